//! Bad input: every problem is reported with its code at its file and position, nothing is written, the previous output stays.

use lumbung::diagnostic::{Code, Location};

use crate::harness::*;

const CSV: &str = "data/kemiskinan/kemiskinan.csv";
const DESCRIPTOR: &str = "data/kemiskinan/datapackage.json";

#[test]
fn unknown_region_on_row_7_fails_and_keeps_previous_output() {
    let site = SiteTest::fixture("serang");
    site.build_ok();
    let before = snapshot(&site.out());
    // Data row 7 is line 8 (after the header).
    site.replace(CSV, "36.03;2023;Maret;6,66", "36.99;2023;Maret;6,66");
    let err = site.build_err();
    let d = err.expect(
        Code::CellUnknownRegion,
        CSV,
        csv(7, 8, Some("kode_wilayah")),
    );
    assert!(
        d.excerpt
            .as_deref()
            .unwrap()
            .contains("36.99;2023;Maret;6,66")
    );
    assert!(d.hint.is_some());
    assert_eq!(snapshot(&site.out()), before, "previous output untouched");
}

#[test]
fn ragged_row_fails_with_file_and_row() {
    let site = SiteTest::fixture("serang");
    site.replace(
        CSV,
        "36.01;2024;Maret;8,64;107.630",
        "36.01;2024;Maret;8,64",
    );
    let err = site.build_err();
    err.expect(Code::CsvFieldCount, CSV, csv(4, 5, None));
    assert_eq!(err.codes(), [Code::CsvFieldCount]);
    assert!(!site.out().exists(), "nothing written");
}

#[test]
fn unterminated_quote_fails_with_file_and_row() {
    let site = SiteTest::fixture("serang");
    site.replace(CSV, "36.02;2023;Maret", "\"36.02;2023;Maret");
    site.build_err()
        .expect(Code::CsvUnterminatedQuote, CSV, csv(5, 6, None));
}

#[test]
fn bad_numbers_duplicates_and_front_matter_are_all_reported() {
    let site = SiteTest::fixture("serang");
    site.replace(CSV, "36.01;2023;Maret;9,27", "36.01;2023;Maret;9.27")
        .replace(CSV, "36.74;2023;Maret", "36.74;2024;Maret")
        // A thousands mark after the decimal comma is a typo, not 121,31.
        .replace(
            CSV,
            "36.02;2023;Maret;9,00;121.310",
            "36.02;2023;Maret;9,00;121,3.10",
        )
        .replace(
            "content/berita/dua-serang.md",
            "tanggal = 2024-07-01",
            "tanggal = 2024-07-01\ntitel = \"x\"",
        );
    let err = site.build_err();
    err.expect(Code::CellNotNumber, CSV, csv(3, 4, Some("p0")));
    err.expect(Code::CellNotNumber, CSV, csv(5, 6, Some("jumlah")));
    err.expect(Code::CsvDuplicateKey, CSV, csv(18, 19, None));
    err.expect(
        Code::FrontMatterUnknownKey,
        "content/berita/dua-serang.md",
        text(4, 1),
    );
    assert_eq!(err.len(), 4, "every error is collected:\n{err}");
}

/// Rows are checked in batches on every thread; what is reported must be what one pass in
/// file order reports: a key's first row is the one kept, and of more than fifty errors the
/// first fifty.
#[test]
fn a_long_csv_reports_its_first_errors_in_file_order() {
    let site = SiteTest::fixture("serang");
    let mut text = std::fs::read_to_string(site.root().join(CSV)).unwrap();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    // Data rows 20 to 20,019: two regions, two periods, 5,000 years; more than two batches.
    let mut k = 0;
    for year in 3000..8000 {
        for code in ["36.01", "36.02"] {
            for period in ["Maret", "September"] {
                k += 1;
                let line = match k {
                    // Row 3's key again, in another batch.
                    9000 => "36.01;2023;Maret;1,00;1.000".to_string(),
                    // Eighty-one bad numbers in the last batches.
                    k if k >= 12_000 && k % 100 == 0 => format!("{code};{year};{period};x;1.000"),
                    _ => format!("{code};{year};{period};1,00;1.000"),
                };
                text.push_str(&line);
                text.push('\n');
            }
        }
    }
    site.write(CSV, &text);
    let err = site.build_err();
    let row = |k: usize| 19 + k;
    err.expect(
        Code::CsvDuplicateKey,
        CSV,
        csv(row(9000), row(9000) + 1, None),
    );
    let bad: Vec<usize> = (12_000..20_000).step_by(100).collect();
    for &k in &bad[..49] {
        err.expect(
            Code::CellNotNumber,
            CSV,
            csv(row(k), row(k) + 1, Some("p0")),
        );
    }
    let more = err.expect_in(Code::CsvMoreErrors, CSV);
    assert!(more.message.contains(" 32 "), "{}", more.message);
    assert_eq!(
        err.len(),
        51,
        "fifty errors and the count of the rest:\n{err}"
    );
}

#[test]
fn a_slug_cannot_leave_the_output_folder() {
    let site = SiteTest::fixture("serang");
    site.replace(
        "content/tentang.md",
        "judul = \"Tentang\"",
        "judul = \"Tentang\"\nslug = \"../../evil\"",
    );
    site.build_err()
        .expect(Code::PageBadSlug, "content/tentang.md", text(3, 1));
    assert!(!site.outside("evil").exists());
}

#[test]
fn an_unknown_config_key_is_reported_at_its_line() {
    let site = SiteTest::fixture("serang");
    site.replace(
        "lumbung.toml",
        "title = \"Uji Serang\"",
        "title = \"Uji Serang\"\nbasis_url = \"x\"",
    );
    let d = site
        .build_err()
        .expect(Code::ConfigUnknownKey, "lumbung.toml", text(2, 1))
        .clone();
    assert!(
        d.hint.unwrap().contains("\"base_url\""),
        "the hint names the right key"
    );
}

#[test]
fn config_values_are_placed_by_the_toml_parser() {
    let site = SiteTest::fixture("serang");
    // "language" also appears inside a string before the key: the position comes from the parser.
    site.replace(
        "lumbung.toml",
        "title = \"Uji Serang\"",
        "title = \"Uji Serang, language netral\"\nlanguage = \"en\"\npaginate = 0",
    );
    let err = site.build_err();
    err.expect(Code::ConfigLanguage, "lumbung.toml", text(2, 1));
    err.expect(Code::ConfigPaginate, "lumbung.toml", text(3, 1));
}

#[test]
fn a_template_error_names_the_site_template_and_keeps_the_old_output() {
    let site = SiteTest::fixture("serang");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Tersesat?</p>{% endblock content %}",
    );
    site.build_ok();
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ tidak_ada }}</p>{% endblock content %}",
    );
    let err = site.build_err();
    let d = err.expect(Code::TemplateError, "templates/404.html", Location::File);
    assert!(
        d.excerpt.as_deref().unwrap().contains("404.html:3:"),
        "Tera's file:line:col is kept: {d}"
    );
    assert!(
        site.read("404.html").contains("<p>Tersesat?</p>"),
        "old output kept"
    );
}

#[test]
fn descriptor_problems_are_placed_at_their_own_member() {
    let site = SiteTest::fixture("serang");
    // A licence with its own "path" comes first: the bad resource path must not be reported there.
    site.replace(
        DESCRIPTOR,
        "\"sources\":",
        "\"licenses\": [{\"name\": \"CC-BY-4.0\", \"path\": \"https://creativecommons.org/licenses/by/4.0/\"}],\n  \"sources\":",
    )
    .replace(DESCRIPTOR, "\"path\": \"kemiskinan.csv\"", "\"path\": \"../luar.csv\"");
    let err = site.build_err();
    let text_of = std::fs::read_to_string(site.root().join(DESCRIPTOR)).unwrap();
    let line = text_of
        .lines()
        .position(|l| l.contains("../luar.csv"))
        .unwrap()
        + 1;
    let col = text_of
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("\"path\"")
        .unwrap()
        + 1;
    err.expect(Code::DescriptorBadPath, DESCRIPTOR, text(line, col));
}

#[test]
fn a_bad_role_is_one_error_not_a_missing_key_too() {
    let site = SiteTest::fixture("serang");
    site.replace(
        DESCRIPTOR,
        "\"name\": \"tahun\", \"type\": \"year\", \"lumbung:role\": \"time\"",
        "\"name\": \"tahun\", \"type\": \"year\", \"lumbung:role\": \"waktu\", \"lumbung:satuan\": \"x\"",
    );
    let err = site.build_err();
    assert_eq!(
        err.codes(),
        [Code::DescriptorUnknownKey, Code::DescriptorBadRole],
        "{err}"
    );
    let desc = std::fs::read_to_string(site.root().join(DESCRIPTOR)).unwrap();
    let line = desc.lines().position(|l| l.contains("waktu")).unwrap() + 1;
    let at = |what: &str| {
        text(
            line,
            desc.lines().nth(line - 1).unwrap().find(what).unwrap() + 1,
        )
    };
    err.expect(Code::DescriptorBadRole, DESCRIPTOR, at("\"lumbung:role\""));
    err.expect(
        Code::DescriptorUnknownKey,
        DESCRIPTOR,
        at("\"lumbung:satuan\""),
    );
}

#[test]
fn yaml_front_matter_errors_point_at_the_key() {
    let site = SiteTest::fixture("serang");
    site.write(
        "content/berita/banten.md",
        "---\njudul: \"Banten secara umum\"\ntanggal: \"2024-06-01\"\nringkasan: >\n  wilayah: bukan kunci\nwilayah: [\"36.99\"]\n---\nBerita.\n",
    );
    site.build_err().expect(
        Code::PageUnknownRegion,
        "content/berita/banten.md",
        text(6, 1),
    );
}

#[test]
fn the_output_may_not_be_the_site_or_a_source_folder() {
    let site = SiteTest::fixture("serang");
    let before = snapshot(site.root());
    for out in [
        site.root().to_path_buf(),
        site.root().join("content"),
        site.root().join("data/kemiskinan/keluar"),
        site.outside(""),
    ] {
        let mut o = site.options();
        o.output = Some(out.clone());
        let err = site.build_with(&o).expect_err("refused");
        assert_eq!(err.codes(), [Code::UnsafeOutput], "{}", out.display());
    }
    assert_eq!(snapshot(site.root()), before, "no source file touched");
}

#[test]
fn a_gallery_item_may_not_take_the_address_of_a_gallery_list() {
    let site = SiteTest::fixture("every-page");
    site.write(
        "content/galeri/video.md",
        "+++\njudul = \"Video lain\"\njenis = \"video\"\nvideo = \"https://www.youtube.com/watch?v=x\"\n+++\nIsi.\n",
    );
    let err = site.build_err();
    assert_eq!(err.codes(), [Code::ReservedUrl], "{err}");
    err.expect_in(Code::ReservedUrl, "content/galeri/video.md");
}
