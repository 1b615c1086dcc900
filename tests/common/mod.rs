//! Shared helpers for the integration tests: copy a fixture site to a temporary folder, build it, read its output.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use lumbung::build::{Options, Summary, build};
use lumbung::diagnostic::Diagnostics;

/// The repository root (the sample portal).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/realdata`, which CI provides; a missing folder fails the test loudly.
pub fn realdata() -> PathBuf {
    let p = repo().join("../shared/realdata");
    assert!(
        p.is_dir(),
        "../shared/realdata is missing at {}: these tests need the real BPS data beside the repository",
        p.display()
    );
    p
}

/// Copies `tests/fixtures/<name>` into a fresh temporary folder.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).unwrap();
        let dst = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&dst).unwrap();
        } else {
            fs::copy(e.path(), &dst).unwrap();
        }
    }
}

/// Builds `root` into `out`.
pub fn build_to(root: &Path, out: &Path) -> Result<Summary, Diagnostics> {
    let mut o = Options::new(root);
    o.output = Some(out.to_path_buf());
    build(&o)
}

/// Builds `root` into `root/public` and panics with the diagnostics on failure.
pub fn build_ok(root: &Path) -> PathBuf {
    let out = root.join("public");
    if let Err(d) = build_to(root, &out) {
        panic!("build failed:\n{d}");
    }
    out
}

pub fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Replaces text in a file of the site.
pub fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let p = root.join(rel);
    let s = fs::read_to_string(&p).unwrap();
    assert!(s.contains(from), "{rel} does not contain {from:?}");
    fs::write(&p, s.replacen(from, to, 1)).unwrap();
}
