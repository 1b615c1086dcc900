//! Versioned releases: `lumbung rilis` keeps a dataset's version as published, later builds
//! serve its files byte for byte at `/data/<dataset>/v<version>/`, the page and the data feed
//! say what changed, and figures that change without a new version stop the build.

use lumbung::build::Options;
use lumbung::diagnostic::Code;
use lumbung::freeze::Frozen;

use crate::harness::{Expect, SiteTest, text};

const DESCRIPTOR: &str = "data/kemiskinan/datapackage.json";
const CSV: &str = "data/kemiskinan/kemiskinan.csv";

/// Runs `lumbung rilis` on the site.
fn release(site: &SiteTest, names: &[&str]) -> Vec<Frozen> {
    let mut o = Options::new(site.root());
    o.check_only = true;
    o.release = Some(names.iter().map(|s| s.to_string()).collect());
    lumbung::build::build(&o)
        .unwrap_or_else(|d| panic!("{d}"))
        .released
}

/// The serang fixture with its dataset at version 1.0.0.
fn versioned() -> SiteTest {
    let site = SiteTest::fixture("serang");
    site.replace(
        DESCRIPTOR,
        "\"name\": \"kemiskinan\",",
        "\"name\": \"kemiskinan\",\n  \"version\": \"1.0.0\",",
    );
    site
}

#[test]
fn old_versions_keep_their_bytes_and_the_changelog_names_the_change() {
    let site = versioned();
    let kept = release(&site, &[]);
    assert!(
        matches!(&kept[..], [Frozen::Kept { version, files, .. }] if version == "1.0.0" && files.contains(&"kemiskinan.csv".to_string())),
        "{kept:?}"
    );
    site.build_ok();
    let v1 = "public/data/kemiskinan/v1.0.0/";
    let old_csv = std::fs::read(site.root().join(format!("{v1}kemiskinan.csv"))).unwrap();
    let old_pkg = std::fs::read(site.root().join(format!("{v1}datapackage.json"))).unwrap();
    assert_eq!(
        old_csv,
        std::fs::read(site.out().join("data/kemiskinan/kemiskinan.csv")).unwrap(),
        "a release is the file as published"
    );
    // Released again: nothing changes.
    assert!(matches!(
        &release(&site, &["kemiskinan"])[..],
        [Frozen::Already { .. }]
    ));

    // New figures and a new version: 36.01 2024 revised, a 2025 row added.
    site.replace(CSV, "36.01;2024;Maret;8,64;", "36.01;2024;Maret;8,54;");
    let csv = std::fs::read_to_string(site.root().join(CSV)).unwrap();
    site.write(CSV, &format!("{csv}36.01;2025;Maret;8,10;100.000\n"));
    site.replace(
        DESCRIPTOR,
        "\"version\": \"1.0.0\"",
        "\"version\": \"1.1.0\"",
    );
    site.build_ok();
    assert_eq!(
        std::fs::read(site.root().join(format!("{v1}kemiskinan.csv"))).unwrap(),
        old_csv,
        "the old version's URL serves the old bytes"
    );
    assert_eq!(
        std::fs::read(site.root().join(format!("{v1}datapackage.json"))).unwrap(),
        old_pkg
    );
    assert!(
        !site.exists("data/kemiskinan/v1.1.0/kemiskinan.csv"),
        "1.1.0 is not released yet"
    );
    let page = site.main_of("data/kemiskinan/index.html");
    let v11 = page
        .split("id=\"versi-1.1.0\"")
        .nth(1)
        .and_then(|s| s.split("</li>\n  ").next())
        .unwrap_or_else(|| panic!("no entry for 1.1.0 in {page}"));
    assert!(v11.contains("1 baris ditambah, 1 nilai berubah"), "{v11}");
    assert!(v11.contains("p0: 8,64 → 8,54"), "{v11}");
    assert!(v11.contains("ditambah: 36.01"), "{v11}");
    assert!(page.contains("href=\"/data/kemiskinan/v1.0.0/kemiskinan.csv\""));
    assert!(
        page.contains("versi 1.1.0"),
        "the citation names the version"
    );
    assert!(
        page.contains("diakses <span data-tanggal-akses>"),
        "and the access date"
    );

    // Released: the citation points at the version's own address.
    release(&site, &[]);
    site.build_ok();
    let page = site.main_of("data/kemiskinan/index.html");
    assert!(
        page.contains("https://uji.example.org/data/kemiskinan/v1.1.0/kemiskinan.csv")
            || page.contains("/data/kemiskinan/v1.1.0/kemiskinan.csv, diakses"),
        "{page}"
    );
    // The data feed has one entry per version, the newer saying what changed.
    let feed = site.read("data/feed.xml");
    assert!(
        feed.contains("#versi-1.0.0</id>") && feed.contains("#versi-1.1.0</id>"),
        "{feed}"
    );
    assert!(
        feed.contains("Dibanding versi 1.0.0: 1 baris ditambah, 1 nilai berubah"),
        "{feed}"
    );
}

#[test]
fn figures_changed_under_a_released_version_stop_the_build_at_the_version() {
    let site = versioned();
    release(&site, &[]);
    site.build_ok();
    let before = crate::harness::snapshot(&site.out());
    site.replace(CSV, "36.01;2024;Maret;8,64;", "36.01;2024;Maret;8,54;");
    let e = site.build_err();
    e.expect(Code::ReleasedDataChanged, DESCRIPTOR, text(3, 3));
    assert_eq!(
        before,
        crate::harness::snapshot(&site.out()),
        "output untouched"
    );
}

#[test]
fn a_release_folder_that_is_not_a_release_is_refused() {
    let site = versioned();
    release(&site, &[]);
    // A page slipped into a release would be published as it is: refused.
    site.write(
        "data/kemiskinan/rilis/1.0.0/index.html",
        "<script>alert(1)</script>",
    );
    site.build_err()
        .expect_in(Code::ReleaseInvalid, "data/kemiskinan/rilis/1.0.0");
    site.remove("data/kemiskinan/rilis/1.0.0/index.html");
    // A folder whose descriptor names another version.
    site.replace(
        "data/kemiskinan/rilis/1.0.0/datapackage.json",
        "\"version\": \"1.0.0\"",
        "\"version\": \"0.9.0\"",
    );
    site.build_err()
        .expect_in(Code::ReleaseInvalid, "data/kemiskinan/rilis/1.0.0");
    // Naming a dataset that does not exist, or one without a version, releases nothing.
    let mut o = Options::new(site.root());
    o.check_only = true;
    o.release = Some(vec!["tidak-ada".into()]);
    let site2 = SiteTest::fixture("serang");
    let e = lumbung::build::build(&o).expect_err("unknown dataset");
    assert!(e.codes().contains(&Code::ReleaseInvalid), "{e}");
    let mut o2 = Options::new(site2.root());
    o2.check_only = true;
    o2.release = Some(vec!["kemiskinan".into()]);
    let e = lumbung::build::build(&o2).expect_err("no version");
    e.expect_in(Code::ReleaseInvalid, DESCRIPTOR);
    assert!(!site2.root().join("data/kemiskinan/rilis").exists());
}
