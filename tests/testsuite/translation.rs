//! The site in English: `/en/` pages, `lang` per page, English numbers and dates, sibling
//! translations, links kept inside the language, and the translation report.

use lumbung::diagnostic::Code;

use crate::harness::{Expect, SiteTest, text};

const ENGLISH: &str = r#"

[languages.en]
title = "Serang Test"
menu = [{ name = "News", url = "/berita/" }, { name = "Regions", url = "/wilayah/" }]
"#;

/// The Serang fixture in English, with one news item and the about page translated.
fn english() -> SiteTest {
    let site = SiteTest::fixture("serang");
    let config = site.read_site("lumbung.toml");
    site.write("lumbung.toml", &format!("{config}{ENGLISH}"));
    site.write(
        "content/berita/dua-serang.en.md",
        "+++\njudul = \"Two Serangs, two figures\"\n+++\nKota Serang 5.65%, Kabupaten Serang 4.51%.\n\n## Details\n",
    );
    site.write(
        "content/tentang.en.md",
        "+++\njudul = \"About\"\n+++\nA test site.\n",
    );
    site.write(
        "i18n/en.toml",
        "\"Persentase penduduk miskin (P0)\" = \"Poverty rate (P0)\"\n",
    );
    site
}

#[test]
fn english_pages_have_their_own_addresses_language_and_numbers() {
    let site = english();
    let summary = site.build_ok();
    // Every English page says so; the Indonesian ones stay Indonesian.
    for page in [
        "en/index.html",
        "en/berita/index.html",
        "en/tentang/index.html",
    ] {
        assert!(
            site.read(page)
                .starts_with("<!doctype html>\n<html lang=\"en\">"),
            "{page} is not lang=en"
        );
    }
    assert!(site.read("index.html").contains("<html lang=\"id\">"));
    // A region page in English: English number format, the indicator's title from the
    // site's dictionary, English period names.
    let region = site.read("en/wilayah/36.73-kota-serang/index.html");
    assert!(region.contains("<html lang=\"en\">"));
    assert!(
        region.contains("Poverty rate (P0)"),
        "the site's dictionary is used"
    );
    assert!(
        region.contains("5.65%"),
        "English decimal point: {}",
        crate::harness::main_of(&region)
    );
    assert!(
        !region.contains("5,65%"),
        "no Indonesian decimal comma in English"
    );
    assert!(region.contains("March 2024"), "English month names");
    let indonesian = site.read("wilayah/36.73-kota-serang/index.html");
    assert!(indonesian.contains("5,65%") && indonesian.contains("Maret 2024"));
    // Links between English pages stay in English; downloads are shared.
    assert!(region.contains("href=\"/en/wilayah/36-banten/\""));
    assert!(region.contains("href=\"/wilayah/36.73-kota-serang/data.csv\""));
    assert!(!region.contains("href=\"/wilayah/36-banten/\""));
    // Each version names the other.
    assert!(indonesian.contains(
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://uji.example.org/en/wilayah/36.73-kota-serang/\">"
    ));
    assert!(region.contains("href=\"/wilayah/36.73-kota-serang/\" lang=\"id\" hreflang=\"id\""));
    // The translated news item has its English page; the untranslated one has none, and
    // shows in the English news list marked as Indonesian.
    assert!(
        site.read("en/berita/dua-serang/index.html")
            .contains("Two Serangs, two figures")
    );
    assert!(!site.exists("en/berita/banten/index.html"));
    let list = site.read("en/berita/index.html");
    assert!(list.contains("Two Serangs, two figures"));
    assert!(
        list.contains(" lang=\"id\""),
        "an untranslated card is marked as Indonesian"
    );
    // The sitemap lists both languages.
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("https://uji.example.org/en/wilayah/36.73-kota-serang/"));
    // `--timings` counts the English pages apart: home, 4 lists, 2 translated pages, the
    // region index and pages, the indicator index and pages.
    let english = summary
        .timings
        .get("halaman bahasa Inggris")
        .map_or(0, |t| t.0);
    assert!(english > 10, "{english} English pages timed");
    // The report counts what is translated.
    let report = &summary.translations[0];
    assert_eq!(report.lang, "en");
    let news = report.pages.iter().find(|c| c.kind == "berita").unwrap();
    assert_eq!((news.done, news.total), (1, 2));
    let theme = report.texts.iter().find(|c| c.kind == "teks tema").unwrap();
    assert_eq!(
        theme.done, theme.total,
        "the default theme is wholly translated: missing {:?}",
        theme.missing
    );
    let data = report
        .texts
        .iter()
        .find(|c| c.kind.starts_with("judul, satuan"))
        .unwrap();
    assert!(data.done >= 1 && data.done < data.total);
    assert!(data.missing.contains(&"Jumlah penduduk miskin".to_string()));
}

#[test]
fn without_a_translation_nothing_is_under_en() {
    let site = SiteTest::fixture("serang");
    site.write(
        "content/tentang.en.md",
        "+++\njudul = \"About\"\n+++\nA test site.\n",
    );
    let summary = site.build_ok();
    assert!(!site.exists("en/index.html"));
    assert!(summary.translations.is_empty());
    assert!(!site.read("tentang/index.html").contains("hreflang"));
}

#[test]
fn a_translation_without_its_page_or_with_the_pages_own_keys_is_an_error() {
    let site = english();
    site.write(
        "content/berita/tiga-serang.en.md",
        "+++\njudul = \"Three\"\n+++\nx\n",
    );
    site.write(
        "content/tentang.en.md",
        "+++\njudul = \"About\"\ntanggal = 2024-01-01\nwilayah = [\"36\"]\n+++\nA test site.\n",
    );
    let err = site.build_err();
    err.expect_in(Code::TranslationOrphan, "content/berita/tiga-serang.en.md");
    err.expect(Code::TranslationOwnKey, "content/tentang.en.md", text(3, 1));
    err.expect(Code::TranslationOwnKey, "content/tentang.en.md", text(4, 1));
}

#[test]
fn a_broken_dictionary_is_an_error_at_its_line_and_keeps_the_output() {
    let site = english();
    site.build_ok();
    let before = site.read("en/index.html");
    site.write(
        "i18n/en.toml",
        "\"Persentase penduduk miskin (P0)\" = \"Poverty rate (P0)\"\n\"Jumlah\" = \n",
    );
    site.build_err()
        .expect_in(Code::TranslationSyntax, "i18n/en.toml");
    assert_eq!(site.read("en/index.html"), before);
}

#[test]
fn only_english_can_be_a_translation() {
    let site = SiteTest::fixture("serang");
    let config = site.read_site("lumbung.toml");
    site.write(
        "lumbung.toml",
        &format!("{config}\n[languages.fr]\ntitle = \"x\"\n"),
    );
    site.build_err()
        .expect_in(Code::ConfigUnknownKey, "lumbung.toml");
}
