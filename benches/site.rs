//! Build benchmark: renders a site in memory several times and reports time per output kind
//! (per region page, per indicator page …) and the whole build. Run: `cargo bench --bench site [-- ROOT]`.

use std::time::Duration;

use lumbung::build::{Options, build};

fn main() {
    let root = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").to_string());
    let runs = 5;
    let mut opts = Options::new(&root);
    opts.check_only = true;
    let mut totals = Vec::new();
    let mut last = None;
    build(&opts).unwrap_or_else(|d| panic!("{d}")); // warm-up
    for _ in 0..runs {
        let s = build(&opts).unwrap_or_else(|d| panic!("{d}"));
        totals.push(s.elapsed);
        last = Some(s);
    }
    totals.sort();
    let s = last.expect("at least one run");
    println!("site: {root}");
    println!("threads: {}", rayon::current_num_threads());
    println!(
        "files: {}, region pages: {}, indicators: {}",
        s.files, s.regions, s.indicators
    );
    println!(
        "whole build in memory (load → render), median of {runs}: {:.1} ms",
        ms(totals[runs / 2])
    );
    println!("{:<22} {:>7} {:>14}", "output kind", "files", "µs per file");
    for (kind, (n, d)) in &s.timings {
        println!(
            "{kind:<22} {n:>7} {:>14.0}",
            d.as_secs_f64() * 1e6 / *n as f64
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
