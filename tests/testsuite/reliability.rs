//! Hostile and careless input (the reliability issue's findings): locked and atomic output,
//! allow-listed URLs, neutralised formulas, honest numbers, reads kept inside the site, and
//! diagnostics that point at the real cause.

use lumbung::diagnostic::{Code, Location};
use std::fs;

use crate::harness::*;

const CSV: &str = "data/kemiskinan/kemiskinan.csv";
const DESCRIPTOR: &str = "data/kemiskinan/datapackage.json";

/// Files whose names start with `.` beside `public/`: staging folders and old outputs (the
/// lock file and the chart cache belong there).
fn leftovers(site: &SiteTest) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && !n.ends_with(".kunci") && n != ".lumbung-cache")
        .collect();
    v.sort();
    v
}

// 2. No lock: two builds into one folder at once left a truncated site.
#[test]
fn two_builds_into_one_folder_at_once_both_leave_a_complete_site() {
    let site = SiteTest::fixture("serang");
    site.build_ok();
    let full = snapshot(&site.out());
    let o = site.options();
    std::thread::scope(|s| {
        let a = s.spawn(|| site.build_with(&o));
        let b = s.spawn(|| site.build_with(&o));
        a.join().unwrap().expect("first build");
        b.join().unwrap().expect("second build");
    });
    assert_eq!(snapshot(&site.out()), full, "complete and identical");
    assert!(leftovers(&site).is_empty(), "{:?}", leftovers(&site));
}

// 3. A failed build left its staging folder behind.
#[test]
fn a_failed_build_leaves_no_staging_folder() {
    let site = SiteTest::fixture("serang");
    site.build_ok();
    let before = snapshot(&site.out());
    // Passes loading, fails at the link check after rendering (the latest possible point).
    site.replace("lumbung.toml", "url = \"/berita/\"", "url = \"/beritaa/\"");
    site.build_err();
    assert_eq!(snapshot(&site.out()), before);
    assert!(leftovers(&site).is_empty(), "{:?}", leftovers(&site));
}

// 4. URLs from lumbung.toml were not checked.
#[test]
fn a_javascript_url_in_the_settings_is_an_error_at_its_line() {
    let site = SiteTest::fixture("serang");
    site.replace(
        "lumbung.toml",
        "url = \"https://www.lapor.go.id/\"",
        "url = \"javascript:alert(1)\"",
    )
    .replace(
        "lumbung.toml",
        "report_error_url = \"mailto:data@example.org\"",
        "report_error_url = \"data:text/html,<script>x</script>\"",
    );
    let err = site.build_err();
    assert_eq!(err.codes(), [Code::ConfigUrl, Code::ConfigUrl], "{err}");
    err.expect(Code::ConfigUrl, "lumbung.toml", text(10, 1));
    err.expect(Code::ConfigUrl, "lumbung.toml", text(15, 1));
    assert!(!site.out().exists());
}

// 5. Formula cells came out verbatim in the CSV downloads.
#[test]
fn formula_cells_are_neutralised_in_every_csv_download() {
    let site = SiteTest::fixture("serang");
    site.replace(
        "data/wilayah.csv",
        "36.01,Kabupaten Pandeglang,",
        "36.01,\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",",
    );
    site.build_ok();
    {
        let csv = "wilayah/36.01-hyperlink-http-evil-x/data.csv";
        let text = site.read(csv);
        assert!(text.contains("'=HYPERLINK"), "{csv}:\n{text}");
        assert!(
            !text.contains(",=HYPERLINK") && !text.contains(",\"=HYPERLINK"),
            "{csv}:\n{text}"
        );
    }
    // The XLSX keeps the name as text, as it was written.
    let xlsx = fs::read(
        site.out()
            .join("wilayah/36.01-hyperlink-http-evil-x/data.xlsx"),
    )
    .unwrap();
    assert!(xlsx.starts_with(b"PK"));
}

// 6. Silently wrong numbers.
#[test]
fn numbers_beyond_exact_range_and_empty_files_are_errors() {
    let site = SiteTest::fixture("serang");
    site.replace(
        CSV,
        "36;2023;Maret;6,17;826.130",
        "36;2023;Maret;6,17;99.999.999.999.999.999.999.999",
    )
    .replace(CSV, "36;2024;Maret;5,84", "36;2024;Maret;1e308");
    let err = site.build_err();
    err.expect(Code::CellTooLarge, CSV, csv(1, 2, Some("jumlah")));
    err.expect(Code::CellTooLarge, CSV, csv(2, 3, Some("p0")));

    let site = SiteTest::fixture("serang");
    site.write(CSV, "kode_wilayah;tahun;periode;p0;jumlah\n");
    let err = site.build_err();
    assert_eq!(
        err.codes(),
        [Code::CsvEmpty],
        "one error, no follow-on: {err}"
    );
    // A publisher can allow it per dataset (a table to be filled later).
    site.replace(
        DESCRIPTOR,
        "\"name\": \"kemiskinan\",",
        "\"name\": \"kemiskinan\", \"lumbung:allowEmpty\": true,",
    );
    let s = site.build_ok();
    assert!(
        s.warnings.iter().all(|w| w.code != Code::CsvEmpty),
        "{:?}",
        s.warnings
    );
}

// 8. Reads outside the site.
#[cfg(unix)]
#[test]
fn files_outside_the_site_are_never_read() {
    let site = SiteTest::fixture("serang");
    let secret = site.outside("rahasia.csv");
    fs::copy(site.root().join(CSV), &secret).unwrap();
    site.remove(CSV);
    std::os::unix::fs::symlink(&secret, site.root().join(CSV)).unwrap();
    let err = site.build_err();
    err.expect(Code::OutsideSite, CSV, Location::File);

    // Links under content/ and static/ are skipped, each with a warning.
    let site = SiteTest::fixture("serang");
    fs::write(
        site.outside("luar.md"),
        "+++\njudul = \"Luar\"\n+++\nRahasia.\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(site.outside("luar.md"), site.root().join("content/luar.md"))
        .unwrap();
    fs::create_dir_all(site.root().join("static")).unwrap();
    std::os::unix::fs::symlink(site.outside(""), site.root().join("static/semua")).unwrap();
    let s = site.build_ok();
    let warned: Vec<(Code, String)> = s
        .warnings
        .iter()
        .map(|w| (w.code, w.file.display().to_string()))
        .collect();
    assert!(
        warned.contains(&(Code::OutsideSite, "content/luar.md".into())),
        "{warned:?}"
    );
    assert!(
        warned.contains(&(Code::OutsideSite, "static/semua".into())),
        "{warned:?}"
    );
    assert!(!site.exists("luar/index.html"));
    assert!(!site.out().join("semua").exists());

    // A theme name that climbs out of themes/.
    let site = SiteTest::fixture("serang");
    site.replace(
        "lumbung.toml",
        "title = \"Uji Serang\"",
        "title = \"Uji Serang\"\ntheme = \"../..\"",
    );
    site.build_err()
        .expect(Code::ConfigTheme, "lumbung.toml", text(2, 1));

    // Boundaries outside the site: the error shows none of the file's text.
    let site = SiteTest::fixture("serang");
    fs::write(site.outside("batas.geojson"), "RAHASIA-BARIS-PERTAMA\n").unwrap();
    site.replace(
        "lumbung.toml",
        "[contact]",
        &format!(
            "[maps]\nboundaries = \"{}\"\n\n[contact]",
            site.outside("batas.geojson").display()
        ),
    );
    let err = site.build_err();
    assert!(!err.to_string().contains("RAHASIA"), "{err}");
}

// 10. Diagnostics that mislead.
#[test]
fn a_config_error_does_not_hide_a_dataset_error() {
    let site = SiteTest::fixture("serang");
    site.replace(
        "lumbung.toml",
        "title = \"Uji Serang\"",
        "title = \"Uji Serang\"\njudull = 1\nwarna = 2",
    )
    .replace(CSV, "36.01;2023;Maret;9,27", "36.01;2023;Maret;sembilan");
    let err = site.build_err();
    err.expect(Code::ConfigUnknownKey, "lumbung.toml", text(2, 1));
    err.expect(Code::ConfigUnknownKey, "lumbung.toml", text(3, 1));
    err.expect(Code::CellNotNumber, CSV, csv(3, 4, Some("p0")));
}

#[test]
fn one_bad_region_row_is_one_error() {
    let site = SiteTest::fixture("serang");
    site.replace(
        "data/wilayah.csv",
        "36.02,Kabupaten Lebak,kabupaten,36",
        "36.02,Kabupaten Lebak,kabupatn,36",
    );
    let err = site.build_err();
    assert_eq!(err.0.len(), 1, "{err}");
    err.expect_in(Code::RegistryBadKind, "data/wilayah.csv");
}

#[test]
fn a_broken_menu_link_is_one_error_at_the_setting() {
    let site = SiteTest::fixture("serang");
    site.replace("lumbung.toml", "url = \"/berita/\"", "url = \"/beritaa/\"");
    let err = site.build_err();
    assert_eq!(err.codes(), [Code::BrokenLink], "{err}");
    err.expect(Code::BrokenLink, "lumbung.toml", text(6, 1));
}

#[test]
fn a_declared_encoding_other_than_utf8_is_an_error() {
    let site = SiteTest::fixture("serang");
    site.replace(
        DESCRIPTOR,
        "\"path\": \"kemiskinan.csv\",",
        "\"path\": \"kemiskinan.csv\",\n    \"encoding\": \"windows-1252\",",
    );
    let err = site.build_err();
    err.expect(Code::DescriptorBadEncoding, DESCRIPTOR, text(8, 5));
    // UTF-8, however it is spelled, is fine.
    site.replace(DESCRIPTOR, "windows-1252", "UTF-8");
    site.build_ok();
}

#[test]
fn a_semicolon_file_without_a_declared_delimiter_is_told_to_declare_it() {
    let site = SiteTest::fixture("serang");
    site.replace(DESCRIPTOR, "\"delimiter\": \";\", ", "");
    let err = site.build_err();
    let d = err.expect(Code::CsvHeaderMismatch, CSV, csv(0, 1, None));
    assert!(
        d.hint.as_deref().unwrap().contains("\"delimiter\": \";\""),
        "{d}"
    );
}

#[test]
fn crlf_files_report_the_row_they_mean() {
    let site = SiteTest::fixture("serang");
    let text = fs::read_to_string(site.root().join(CSV)).unwrap();
    let crlf = text
        .replace("36.01;2023;Maret;9,27", "36.01;2023;Maret;sembilan")
        .replace("36.01;2024;Maret;8,64;107.630", "36.01;2024;Maret;8,64")
        .replace('\n', "\r\n");
    site.write(CSV, &crlf);
    let err = site.build_err();
    let d = err.expect(Code::CellNotNumber, CSV, csv(3, 4, Some("p0")));
    assert!(d.excerpt.as_deref().unwrap().contains("sembilan"), "{d}");
    let d = err.expect(Code::CsvFieldCount, CSV, csv(4, 5, None));
    assert!(
        d.excerpt
            .as_deref()
            .unwrap()
            .contains("36.01;2024;Maret;8,64"),
        "{d}"
    );

    // The same for the region list (every CSV reader places records the same way).
    let site = SiteTest::fixture("serang");
    let text = fs::read_to_string(site.root().join("data/wilayah.csv")).unwrap();
    let crlf = text
        .replace(
            "36.02,Kabupaten Lebak,kabupaten,36",
            "36.02,Kabupaten Lebak,kabupatn,36",
        )
        .replace('\n', "\r\n");
    site.write("data/wilayah.csv", &crlf);
    let err = site.build_err();
    let d = err.expect(
        Code::RegistryBadKind,
        "data/wilayah.csv",
        csv(3, 4, Some("jenis")),
    );
    assert!(d.excerpt.as_deref().unwrap().contains("kabupatn"), "{d}");
}

// 11. Slugs.
#[test]
fn names_without_letters_are_errors_and_merged_tags_a_warning() {
    let site = SiteTest::fixture("serang");
    site.write(
        "content/berita/..md",
        "+++\njudul = \"Titik\"\ntanggal = 2024-01-02\n+++\nIsi.\n",
    )
    .write(
        "content/berita/api.md",
        "+++\njudul = \"Api\"\ntanggal = 2024-01-03\ntag = [\"🔥\", \"..\"]\n+++\nIsi.\n",
    );
    let err = site.build_err();
    assert_eq!(
        err.codes(),
        [Code::PageBadSlug, Code::PageEmptyTag, Code::PageEmptyTag],
        "{err}"
    );
    err.expect_in(Code::PageBadSlug, "content/berita/..md");

    let site = SiteTest::fixture("serang");
    site.write(
        "content/berita/a.md",
        "+++\njudul = \"A\"\ntanggal = 2024-01-02\ntag = [\"c++\", \"Dana Desa\"]\n+++\nIsi.\n",
    )
    .write(
        "content/berita/b.md",
        "+++\njudul = \"B\"\ntanggal = 2024-01-03\ntag = [\"c\", \"dana-desa\"]\n+++\nIsi.\n",
    );
    let s = site.build_ok();
    let merged: Vec<_> = s
        .warnings
        .iter()
        .filter(|w| w.code == Code::TagsMerged)
        .collect();
    assert_eq!(
        merged.len(),
        1,
        "only c++/c, not Dana Desa/dana-desa: {merged:?}"
    );
    assert_eq!(merged[0].file, std::path::Path::new("content/berita/b.md"));
}
