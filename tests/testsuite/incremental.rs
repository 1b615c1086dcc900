//! Builds with nothing changed: the previous output stands (counts and warnings reported
//! again); any change to an input or to the output folder makes the next build a full one.

use std::fs;

use crate::harness::*;

const CSV: &str = "data/kemiskinan/kemiskinan.csv";

#[test]
fn a_build_with_nothing_changed_keeps_the_output_and_any_change_builds_again() {
    let site = SiteTest::fixture("trust");
    // A held-back value gives the build a warning to report every time.
    site.replace(CSV, "36.73,2022,Maret,6.05", "36.73,2022,Maret,60.50");
    let first = site.build_ok();
    assert!(!first.nothing_changed);
    assert!(!first.warnings.is_empty());
    let before = snapshot(&site.out());

    // Nothing changed: the output is left as it is, with the same counts and warnings.
    let second = site.build_ok();
    assert!(second.nothing_changed, "{second}");
    assert_eq!(second.written, 0);
    assert_eq!(second.files, first.files);
    assert_eq!(second.unchanged, first.files);
    assert_eq!(second.pages, first.pages);
    assert_eq!(
        second.warnings, first.warnings,
        "the warnings are reported again"
    );
    assert_eq!(snapshot(&site.out()), before);

    // An input changed with the same size (a modification time may not move between two quick
    // writes; the fingerprint reads the bytes): built again, and the page shows it.
    site.replace(CSV, "36.73,2023,Maret,5.90", "36.73,2023,Maret,5.91");
    let third = site.build_ok();
    assert!(!third.nothing_changed);
    assert!(third.written > 0);
    assert!(
        site.read("wilayah/36.73-kota-serang/data.csv")
            .contains("5.91")
    );

    // A file of the output edited by hand: built again, and the file restored.
    let page = site.out().join("wilayah/36.73-kota-serang/index.html");
    let built = fs::read(&page).unwrap();
    fs::write(&page, "diubah").unwrap();
    let fourth = site.build_ok();
    assert!(!fourth.nothing_changed);
    assert_eq!(fs::read(&page).unwrap(), built);

    // A file added to the output: built again, and the stray file removed.
    site.build_ok();
    fs::write(site.out().join("lain.txt"), "x").unwrap();
    let fifth = site.build_ok();
    assert!(!fifth.nothing_changed);
    assert!(!site.out().join("lain.txt").exists());

    // Another output folder, or the cache turned off: a full build.
    let mut other = site.options();
    other.output = Some(site.outside("lain"));
    assert!(!site.build_with(&other).unwrap().nothing_changed);
    let mut no_cache = site.options();
    no_cache.png_cache = false;
    assert!(!site.build_with(&no_cache).unwrap().nothing_changed);
    assert!(site.build_ok().nothing_changed);
}

#[test]
fn a_broken_input_after_a_good_build_is_still_reported() {
    let site = SiteTest::fixture("trust");
    site.build_ok();
    site.replace(CSV, "36.73,2022,Maret,6.05", "36.73,2022,Maret,6;05");
    site.build_err();
    site.replace(CSV, "36.73,2022,Maret,6;05", "36.73,2022,Maret,6.05");
    // Back to the inputs of the last output: nothing to do.
    assert!(site.build_ok().nothing_changed);
}
