//! The `lumbung` command line.

fn main() {
    println!("lumbung {}", env!("CARGO_PKG_VERSION"));
}
