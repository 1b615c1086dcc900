//! Build benchmark: renders a site in memory several times and reports time per output kind
//! (per region page, per chart …) and the whole build, first from nothing and then as a rebuild
//! beside a previous output. Run: `cargo bench --bench site [-- ROOT]`.

use std::time::Duration;

use lumbung::build::{Options, Summary, build};

/// The allocator of the `lumbung` binary, so the benchmark measures what a publisher runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").to_string());
    let runs = 3;
    let tmp = std::env::temp_dir().join(format!("lumbung-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    println!("site: {root}");
    println!("threads: {}", rayon::current_num_threads());

    // From nothing: no previous output, every chart rasterised.
    let mut opts = Options::new(&root);
    opts.check_only = true;
    opts.output = Some(tmp.join("none"));
    let (fresh, s) = timed(&opts, runs);
    println!(
        "files: {}, region pages: {}, indicators: {}, charts: {}",
        s.files, s.regions, s.indicators, s.charts
    );
    println!(
        "whole build from nothing (load → render, in memory), median of {runs}: {:.0} ms",
        ms(fresh)
    );
    table(&s);

    // Rebuild: a previous output beside it, so unchanged chart PNGs are reused.
    let mut write = Options::new(&root);
    write.output = Some(tmp.join("public"));
    let written = build(&write).unwrap_or_else(|d| panic!("{d}"));
    println!(
        "first build written to disk: {:.0} ms, {} files",
        ms(written.elapsed),
        written.files
    );
    opts.output = Some(tmp.join("public"));
    let (re, _) = timed(&opts, runs);
    println!(
        "rebuild with nothing changed (in memory), median of {runs}: {:.0} ms",
        ms(re)
    );
    let _ = std::fs::remove_dir_all(&tmp);
}

fn timed(opts: &Options, runs: usize) -> (Duration, Summary) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let s = build(opts).unwrap_or_else(|d| panic!("{d}"));
        times.push(s.elapsed);
        last = Some(s);
    }
    times.sort();
    (times[runs / 2], last.expect("at least one run"))
}

fn table(s: &Summary) {
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
