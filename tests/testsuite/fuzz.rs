//! A seeded mutation fuzzer over every loader: CSV with its descriptor, front matter, config,
//! wilayah lists and BPS imports. No input may panic; errors are fine.
//!
//! In `cargo test` each loader gets a fixed number of mutants (the same every run). For a long
//! local run: `LUMBUNG_FUZZ_SECS=600 cargo test --release --test testsuite fuzz -- --nocapture`
//! (seconds per loader); `LUMBUNG_FUZZ_SEED=n` starts from another seed. A panicking input is
//! written to `target/fuzz-failures/` and the test fails naming its seed.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lumbung::build::{Options, build};
use lumbung::config::Config;
use lumbung::data::registry::Registry;
use lumbung::import::aliases::Aliases;
use lumbung::import::wilayah::{Levels, convert};
use lumbung::import::{BpsSettings, convert_bps};

use crate::harness::*;

/// xorshift64*: small, seeded, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Text that loaders treat specially: delimiters, quotes, line ends, markers, numbers at the
/// edges, codes, paths and non-ASCII.
const TOKENS: &[&str] = &[
    "\"",
    ";",
    ",",
    "\t",
    "\r\n",
    "\n",
    "\r",
    "{",
    "}",
    "[",
    "]",
    ":",
    "=",
    "+++",
    "---",
    "#",
    "\\",
    "..",
    "../",
    "/",
    "-",
    "1e308",
    "-5",
    "NaN",
    "inf",
    "99999999999999999999",
    "9.223.372.036.854.775.808",
    "0",
    "0,0",
    "1.234,5",
    "36.04",
    "00",
    "3604",
    "\u{feff}",
    "🔥",
    "é",
    "\u{0}",
    "\u{202e}",
    "lumbung:role",
    "\"measure\"",
    "null",
    "true",
    "Maret",
    "September",
    "2024",
    "Perkotaan",
    "Kota+Desa",
    "<script>",
    "javascript:",
    "=HYPERLINK(",
    "@SUM(",
    "'",
    "tanggal",
    "judul",
    "tag",
    "slug",
    "[[menu]]",
    "url",
    "2023-02-30",
];

/// One mutant of `seed`: one to four random edits.
fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = seed.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(b.len() + 1);
        match rng.below(7) {
            0 if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
            1 | 2 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                b.splice(at..at, t.iter().copied());
            }
            3 if at < b.len() => {
                let end = (at + 1 + rng.below(40)).min(b.len());
                b.drain(at..end);
            }
            4 if at < b.len() => {
                let end = (at + 1 + rng.below(200)).min(b.len());
                let chunk = b[at..end].to_vec();
                let to = rng.below(b.len() + 1);
                b.splice(to..to, chunk);
            }
            5 => b.truncate(at),
            _ => {
                let byte = rng.next() as u8;
                b.insert(at.min(b.len()), byte);
            }
        }
    }
    b
}

/// Runs `load` on mutants of `seeds` (a fixed `count` in CI, or for `LUMBUNG_FUZZ_SECS`);
/// returns how many ran. A panic saves the input and fails the test.
fn run(name: &str, seeds: &[Vec<u8>], count: usize, load: impl Fn(&[u8])) -> usize {
    let start_seed: u64 = std::env::var("LUMBUNG_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed);
    let budget = std::env::var("LUMBUNG_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs);
    let started = Instant::now();
    let mut runs = 0;
    loop {
        match budget {
            Some(b) if started.elapsed() >= b => break,
            None if runs >= count => break,
            _ => {}
        }
        let seed = start_seed.wrapping_add(runs as u64);
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let input = mutate(&seeds[rng.below(seeds.len())], &mut rng);
        if catch_unwind(AssertUnwindSafe(|| load(&input))).is_err() {
            let dir = repo().join("target/fuzz-failures");
            fs::create_dir_all(&dir).unwrap();
            let file = dir.join(format!("{name}-{seed}.txt"));
            fs::write(&file, &input).unwrap();
            panic!(
                "{name}: seed {seed} panicked; input saved to {}",
                file.display()
            );
        }
        runs += 1;
    }
    if budget.is_some() {
        eprintln!(
            "fuzz {name}: {runs} inputs in {:.0} s, no panic",
            started.elapsed().as_secs_f64()
        );
    }
    runs
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn serang(rel: &str) -> Vec<u8> {
    fs::read(repo().join("tests/fixtures/serang").join(rel)).unwrap()
}

fn serang_registry() -> Registry {
    let (reg, errors) = Registry::parse_partial(
        Path::new("data/wilayah.csv"),
        &text(&serang("data/wilayah.csv")),
    );
    assert!(errors.is_empty());
    reg
}

#[test]
fn fuzz_dataset_csv_and_descriptor() {
    let site = SiteTest::fixture("serang");
    let folder = site.root().join("data/kemiskinan");
    let reg = serang_registry();
    let csv = serang("data/kemiskinan/kemiskinan.csv");
    let desc = serang("data/kemiskinan/datapackage.json");
    let trust = fs::read(repo().join("tests/fixtures/trust/data/kemiskinan/kemiskinan.csv"))
        .unwrap_or_else(|_| csv.clone());
    let n = run("csv", &[csv.clone(), trust], 600, |input| {
        fs::write(folder.join("kemiskinan.csv"), input).unwrap();
        let _ = lumbung::data::dataset::load(site.root(), &folder, &reg);
    });
    fs::write(folder.join("kemiskinan.csv"), &csv).unwrap();
    let m = run("descriptor", &[desc], 600, |input| {
        fs::write(folder.join("datapackage.json"), input).unwrap();
        let _ = lumbung::data::dataset::load(site.root(), &folder, &reg);
    });
    assert!(n + m >= 1200);
}

#[test]
fn fuzz_config() {
    let seeds = [
        serang("lumbung.toml"),
        fs::read(repo().join("tests/fixtures/every-page/lumbung.toml")).unwrap(),
    ];
    run("config", &seeds, 3000, |input| {
        let _ = Config::parse(Path::new("lumbung.toml"), &text(input));
    });
}

#[test]
fn fuzz_wilayah() {
    let kemendagri = fs::read(realdata().join("wilayah/kemendagri-2025.csv")).unwrap();
    // The first 300 lines: every level, small enough for many runs.
    let head: Vec<u8> = text(&kemendagri)
        .lines()
        .take(300)
        .collect::<Vec<_>>()
        .join("\n")
        .into_bytes();
    let seeds = [serang("data/wilayah.csv"), head];
    run("wilayah", &seeds, 1000, |input| {
        let t = text(input);
        let _ = Registry::parse_partial(Path::new("data/wilayah.csv"), &t);
        let _ = convert(Path::new("wilayah.csv"), &t, Levels::Desa);
    });
}

#[test]
fn fuzz_import_bps() {
    let real = realdata();
    let (reg_text, _) = convert(
        Path::new("kemendagri-2025.csv"),
        &fs::read_to_string(real.join("wilayah/kemendagri-2025.csv")).unwrap(),
        Levels::Kabkota,
    )
    .expect("registry");
    let (reg, _) = Registry::parse_partial(Path::new("wilayah.csv"), &reg_text);
    let aliases = Aliases::builtin(&reg);
    let pick = |dir: &str| -> Vec<u8> {
        let d = real.join(dir);
        let mut files: Vec<PathBuf> = fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        fs::read(&files[files.len() / 2]).unwrap()
    };
    let seeds = [
        pick("bps-kabkota/(P0) Menurut Kabupaten_Kota"),
        pick("bps-provinsi-daerah/(P0) Menurut Daerah"),
    ];
    run("import", &seeds, 300, |input| {
        let inputs = [(PathBuf::from("tabel.csv"), text(input))];
        let _ = convert_bps(&reg, &aliases, &inputs, &BpsSettings::default());
    });
}

#[test]
fn fuzz_front_matter_through_a_check_build() {
    let site = SiteTest::fixture("serang");
    // One page is enough: the data loaders have their own fuzz tests.
    fs::remove_dir_all(site.root().join("data/kemiskinan")).unwrap();
    let page = site.root().join("content/berita/dua-serang.md");
    let seeds = [
        fs::read(&page).unwrap(),
        b"---\njudul: \"Rakor\"\ntanggal: \"2024-06-01\"\ntag: [\"a\", \"b\"]\nwilayah: [\"36\"]\n---\nIsi *tebal* [tautan](/berita/).\n".to_vec(),
    ];
    let mut o = Options::new(site.root());
    o.check_only = true;
    run("front-matter", &seeds, 150, |input| {
        fs::write(&page, input).unwrap();
        let _ = build(&o);
    });
}
