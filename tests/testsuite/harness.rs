//! The test harness, after mdBook's `BookTest`: copy a fixture site to a temporary folder, change
//! files, build, and assert on the files produced and on the diagnostics' codes and positions.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use lumbung::build::{Options, Summary, build};
use lumbung::diagnostic::{Code, Diagnostic, Diagnostics, Location};

/// The repository root (the sample portal).
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/realdata`, which CI provides; a missing folder fails the test loudly.
pub(crate) fn realdata() -> PathBuf {
    let p = repo().join("../shared/realdata");
    assert!(
        p.is_dir(),
        "../shared/realdata is missing at {}: these tests need the real BPS data beside the repository",
        p.display()
    );
    p
}

/// A site in a temporary folder, built into its `public/`.
pub(crate) struct SiteTest {
    dir: tempfile::TempDir,
    /// Where the site is inside the temporary folder.
    root: PathBuf,
}

impl SiteTest {
    /// A copy of `tests/fixtures/<name>`.
    pub(crate) fn fixture(name: &str) -> SiteTest {
        let src = repo().join("tests/fixtures").join(name);
        assert!(src.is_dir(), "no fixture {}", src.display());
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("situs");
        copy_dir(&src, &root);
        SiteTest { dir, root }
    }

    /// An empty site folder (write its files with [`SiteTest::write`]).
    pub(crate) fn empty() -> SiteTest {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("situs");
        fs::create_dir_all(&root).unwrap();
        SiteTest { dir, root }
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// The default output folder.
    pub(crate) fn out(&self) -> PathBuf {
        self.root.join("public")
    }

    /// A path in the temporary folder, outside the site.
    pub(crate) fn outside(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes (or overwrites) a file of the site.
    pub(crate) fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.root.join(rel);
        if let Some(d) = p.parent() {
            fs::create_dir_all(d).unwrap();
        }
        fs::write(&p, text).unwrap();
        self
    }

    /// Replaces the first `from` in a file of the site; the text must be there.
    pub(crate) fn replace(&self, rel: &str, from: &str, to: &str) -> &Self {
        let p = self.root.join(rel);
        let s = fs::read_to_string(&p).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert!(s.contains(from), "{rel} does not contain {from:?}");
        fs::write(&p, s.replacen(from, to, 1)).unwrap();
        self
    }

    /// Removes a file of the site.
    pub(crate) fn remove(&self, rel: &str) -> &Self {
        fs::remove_file(self.root.join(rel)).unwrap();
        self
    }

    /// The build options for this site, output in `public/`.
    pub(crate) fn options(&self) -> Options {
        let mut o = Options::new(&self.root);
        o.output = Some(self.out());
        o
    }

    pub(crate) fn build_with(&self, o: &Options) -> Result<Summary, Diagnostics> {
        build(o)
    }

    pub(crate) fn build(&self) -> Result<Summary, Diagnostics> {
        build(&self.options())
    }

    /// Builds and panics with the diagnostics when the build fails.
    #[track_caller]
    pub(crate) fn build_ok(&self) -> Summary {
        self.build()
            .unwrap_or_else(|d| panic!("build failed:\n{d}"))
    }

    /// Builds and panics when the build succeeds.
    #[track_caller]
    pub(crate) fn build_err(&self) -> Diagnostics {
        match self.build() {
            Ok(s) => panic!("the build should have failed: {s}"),
            Err(d) => d,
        }
    }

    /// A source file of the site as text.
    #[track_caller]
    pub(crate) fn read_site(&self, rel: &str) -> String {
        fs::read_to_string(self.root.join(rel)).expect("a file of the site")
    }

    /// An output file as text.
    #[track_caller]
    pub(crate) fn read(&self, rel: &str) -> String {
        read(&self.out(), rel)
    }

    /// Whether an output file exists.
    pub(crate) fn exists(&self, rel: &str) -> bool {
        self.out().join(rel).is_file()
    }

    /// The `<main>` of an output page, with each inline chart collapsed to its id (charts have tests of their own).
    #[track_caller]
    pub(crate) fn main_of(&self, rel: &str) -> String {
        main_of(&self.read(rel))
    }
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
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

#[track_caller]
/// Runs the reference Frictionless validator (PyPI `frictionless`, installed by scripts/test.sh
/// into `target/tools/frictionless`) on Data Package descriptors, rows and foreign keys included;
/// panics with its report when any is invalid, and when the validator is missing.
pub(crate) fn frictionless(descriptors: &[PathBuf]) {
    assert!(!descriptors.is_empty(), "no descriptors to validate");
    let python = std::env::var_os("LUMBUNG_FRICTIONLESS_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/tools/frictionless/bin/python"));
    assert!(
        python.exists(),
        "the Frictionless validator is missing at {}: scripts/test.sh installs it",
        python.display()
    );
    let out = std::process::Command::new(&python)
        .arg(repo().join("tools/frictionless_validate.py"))
        .args(descriptors)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", python.display()));
    assert!(
        out.status.success(),
        "Frictionless:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Searches the site served at `base` in headless Chromium (`tools/quality/search.mjs`, with the
/// npm packages scripts/test.sh installs): per query, the results with JavaScript, the bytes of
/// index fetched, and the A–Z lines without JavaScript.
pub(crate) fn search_in_browser(base: &str, queries: &[&str]) -> serde_json::Value {
    assert!(
        repo()
            .join("tools/quality/node_modules/playwright-core")
            .is_dir(),
        "playwright-core is missing: scripts/test.sh installs it (npm ci --prefix tools/quality)"
    );
    node_json("search.mjs", base, queries)
}

/// Runs `tools/quality/<script> base args…` in Node and reads the JSON it prints.
fn node_json<S: AsRef<std::ffi::OsStr>>(script: &str, base: &str, args: &[S]) -> serde_json::Value {
    let path = repo().join("tools/quality").join(script);
    let out = std::process::Command::new("node")
        .arg(&path)
        .arg(base)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("node {}: {e}", path.display()));
    assert!(
        out.status.success(),
        "{script} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{script} output: {e}"))
}

/// Prints `paths` of the site served at `base` to A4 PDF in headless Chromium
/// (`tools/quality/print.mjs`): per page, `{"path", "pages", "first"}` (the first line printed).
pub(crate) fn print_in_browser(base: &str, paths: &[String]) -> serde_json::Value {
    node_json("print.mjs", base, paths)
}

/// Runs the quality checks of docs/quality.md (`tools/quality/check.mjs`) on a built folder,
/// on the pages its `quality.json` names, without screenshots (no one looks at them here; the
/// print PDF goes to a temporary folder); panics with the checker's report when any fails.
pub(crate) fn quality_checks(site: &Path) {
    let shots = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("node")
        .arg(repo().join("tools/quality/check.mjs"))
        .arg("--screenshots")
        .arg(shots.path())
        .arg("--no-screenshots")
        .arg(site)
        .output()
        .unwrap_or_else(|e| panic!("node check.mjs: {e}"));
    let report = String::from_utf8_lossy(&out.stdout);
    println!("{}", report.lines().last().unwrap_or_default());
    assert!(
        out.status.success(),
        "quality checks failed:\n{}{}",
        report
            .lines()
            .filter(|l| !l.starts_with("ok "))
            .collect::<Vec<_>>()
            .join("\n"),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Serves a built folder on a free local port; returns the base URL.
pub(crate) fn serve(dir: &Path) -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let addr = format!("127.0.0.1:{port}");
    lumbung::serve::start(dir, &addr).unwrap_or_else(|e| panic!("{e}"));
    format!("http://{addr}/")
}

pub(crate) fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// Every file under `dir` with its bytes, sorted by path.
pub(crate) fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
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

/// The part of a page between `<main …>` and `</main>`, inline SVG collapsed.
pub(crate) fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("a <main> element");
    let start = start + html[start..].find('>').unwrap() + 1;
    let end = html.find("</main>").expect("</main>");
    collapse_svg(html[start..end].trim())
}

/// Replaces each `<svg …>…</svg>` with `<svg title="…"/>`, keeping the chart's title.
pub(crate) fn collapse_svg(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("<svg") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find("</svg>").map_or(after.len(), |e| e + 6);
        let svg = &after[..end];
        let title = svg
            .split("<title")
            .nth(1)
            .and_then(|t| t.split_once('>'))
            .and_then(|(_, t)| t.split("</title>").next())
            .unwrap_or("");
        out.push_str(&format!("<svg title=\"{title}\"/>"));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// A CSV cell's location: data row, physical line, field.
pub(crate) fn csv(row: usize, line: usize, field: Option<&str>) -> Location {
    Location::Csv {
        row,
        line,
        field: field.map(str::to_string),
    }
}

/// A text position.
pub(crate) fn text(line: usize, col: usize) -> Location {
    Location::Text { line, col }
}

/// Assertions on a failed build's diagnostics, by code and position, never by wording.
pub(crate) trait Expect {
    /// The diagnostic with this code in this file at this location; panics listing all when absent.
    fn expect(&self, code: Code, file: &str, location: Location) -> &Diagnostic;
    /// The diagnostic with this code in this file, wherever it is.
    fn expect_in(&self, code: Code, file: &str) -> &Diagnostic;
    /// The codes of all diagnostics, sorted.
    fn codes(&self) -> Vec<Code>;
}

impl Expect for Diagnostics {
    #[track_caller]
    fn expect(&self, code: Code, file: &str, location: Location) -> &Diagnostic {
        self.0
            .iter()
            .find(|d| d.code == code && d.file == Path::new(file) && d.location == location)
            .unwrap_or_else(|| panic!("no {code:?} in {file} at {location:?} among:\n{self}"))
    }

    #[track_caller]
    fn expect_in(&self, code: Code, file: &str) -> &Diagnostic {
        self.0
            .iter()
            .find(|d| d.code == code && d.file == Path::new(file))
            .unwrap_or_else(|| panic!("no {code:?} in {file} among:\n{self}"))
    }

    fn codes(&self) -> Vec<Code> {
        let mut v: Vec<Code> = self.0.iter().map(|d| d.code).collect();
        v.sort();
        v
    }
}

/// Builds the site at `root` into `out`.
pub(crate) fn build_to(root: &Path, out: &Path) -> Result<Summary, Diagnostics> {
    let mut o = Options::new(root);
    o.output = Some(out.to_path_buf());
    build(&o)
}
