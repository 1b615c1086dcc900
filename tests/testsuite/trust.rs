//! Figures people can trust: each planted problem (a 10× value, a 505, a 0 rate, a P0 of 134, a
//! stale correction, a dataset without a source, a realisasi + rencana sum) ends as its
//! diagnostic, or as the held-back or corrected marker on the page and in every download.

use std::io::Read;

use lumbung::diagnostic::{Code, Severity};

use crate::harness::*;

const CSV: &str = "data/kemiskinan/kemiskinan.csv";
const KOTA: &str = "wilayah/36.73-kota-serang";

/// The text of one part of an XLSX (a zip): `xl/sharedStrings.xml` holds every string.
fn xlsx_strings(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an XLSX is a zip");
    let mut s = String::new();
    zip.by_name("xl/sharedStrings.xml")
        .expect("shared strings")
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// Asserts that every download holding the region's value carries `marker` (`ditahan`,
/// `dikoreksi`): the region's CSV and JSON rows, the XLSX notes, the indicator's CSV.
#[track_caller]
fn every_download_says(site: &SiteTest, region: &str, marker: &str) {
    let csv = site.read(&format!("{region}/data.csv"));
    assert!(csv.lines().any(|l| l.contains(marker)), "region CSV: {csv}");
    let json = site.read(&format!("{region}/data.json"));
    assert!(json.contains(marker), "region JSON rows");
    assert!(json.contains("\"catatan\": \""), "region JSON metadata");
    let xlsx = std::fs::read(site.out().join(format!("{region}/data.xlsx"))).unwrap();
    assert!(xlsx_strings(&xlsx).contains(marker), "region XLSX");
    let ind = site.read("indikator/p0/p0.csv");
    assert!(
        ind.lines()
            .any(|l| l.starts_with("36.73,") && l.contains(marker)),
        "indicator CSV"
    );
}

#[test]
fn the_clean_fixture_builds_without_a_warning() {
    let site = SiteTest::fixture("trust");
    let s = site.build_ok();
    assert!(s.warnings.is_empty(), "{:#?}", s.warnings);
    assert_eq!(s.indicators, 2);
}

#[test]
fn a_ten_times_value_is_held_back_everywhere() {
    let site = SiteTest::fixture("trust");
    site.replace(CSV, "36.73,2022,Maret,6.05", "36.73,2022,Maret,60.50");
    let s = site.build_ok();
    let w = s
        .warnings
        .iter()
        .find(|w| w.code == Code::ValueHeldBack)
        .expect("a held-back warning");
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!(w.file, std::path::Path::new(CSV));
    assert_eq!(w.location, csv(10, 11, Some("p0")));
    let page = site.read(&format!("{KOTA}/index.html"));
    assert!(
        page.contains("class=\"note-ditahan\""),
        "held-back note on the page"
    );
    assert!(!page.contains(">60,50<"), "the value is not shown");
    assert!(
        page.contains("class=\"held\""),
        "the chart marks the held-back point"
    );
    every_download_says(&site, KOTA, "ditahan");
    // Its neighbours stay: a dropped value blocks no valid one.
    assert!(page.contains(">6,20</td>") && page.contains(">5,90</td>"));
}

#[test]
fn impossible_and_empty_looking_values_are_held_back() {
    let site = SiteTest::fixture("trust");
    site.replace(CSV, "36,2022,Maret,6.15,480000", "36,2022,Maret,6.15,505")
        .replace(CSV, "36.04,2021,Maret,4.60", "36.04,2021,Maret,0")
        .replace(CSV, "36.73,2020,Maret,6.35", "36.73,2020,Maret,134.2");
    let s = site.build_ok();
    let mut held: Vec<_> = s
        .warnings
        .iter()
        .filter(|w| w.code == Code::ValueHeldBack)
        .map(|w| w.location.clone())
        .collect();
    held.sort();
    let mut want = vec![
        csv(4, 5, Some("garis_kemiskinan")),
        csv(8, 9, Some("p0")),
        csv(15, 16, Some("p0")),
    ];
    want.sort();
    assert_eq!(held, want, "{:#?}", s.warnings);
    for region in [KOTA, "wilayah/36-banten", "wilayah/36.04-kabupaten-serang"] {
        assert!(
            site.read(&format!("{region}/data.csv")).contains("ditahan"),
            "{region}"
        );
    }
    // The 505 is not drawn as a dip: Banten's line has no point at it.
    let svg = site.read("wilayah/36-banten/garis-kemiskinan.svg");
    assert!(svg.contains("class=\"held\""), "{svg}");
}

#[test]
fn a_correction_replaces_the_value_with_its_source_everywhere() {
    let site = SiteTest::fixture("trust");
    site.replace(CSV, "36.73,2022,Maret,6.05", "36.73,2022,Maret,60.50");
    site.write(
        "data/kemiskinan/koreksi.csv",
        "kode_wilayah,tahun,periode,dimensi,kolom,nilai_terbit,nilai_koreksi,alasan,sumber\n\
         36.73,2022,Maret,,p0,60.5,6.05,Titik desimal bergeser di ekspor,https://serangkota.bps.go.id/\n",
    );
    let s = site.build_ok();
    assert!(s.warnings.is_empty(), "{:#?}", s.warnings);
    let page = site.read(&format!("{KOTA}/index.html"));
    assert!(page.contains("class=\"note-dikoreksi\""));
    assert!(page.contains(">6,05</td>"), "the corrected value is shown");
    assert!(
        page.contains("class=\"corrected\""),
        "the chart marks the corrected point"
    );
    every_download_says(&site, KOTA, "dikoreksi");
    let dataset = site.read("data/kemiskinan/index.html");
    assert!(dataset.contains("Koreksi dan nilai yang ditahan"));
    assert!(dataset.contains("serangkota.bps.go.id"));
}

#[test]
fn a_stale_or_unmatched_correction_is_an_error() {
    let site = SiteTest::fixture("trust");
    site.write(
        "data/kemiskinan/koreksi.csv",
        "kode_wilayah,tahun,periode,dimensi,kolom,nilai_terbit,nilai_koreksi,alasan,sumber\n\
         36.73,2022,Maret,,p0,59,5.9,Titik desimal bergeser,https://serangkota.bps.go.id/\n\
         36.73,2031,Maret,,p0,1,2,Tahun salah,https://serangkota.bps.go.id/\n",
    );
    let err = site.build_err();
    err.expect(
        Code::CorrectionStale,
        "data/kemiskinan/koreksi.csv",
        csv(1, 2, Some("nilai_terbit")),
    );
    err.expect(
        Code::CorrectionBad,
        "data/kemiskinan/koreksi.csv",
        csv(2, 3, Some("kode_wilayah")),
    );
}

#[test]
fn a_dataset_without_a_source_is_an_error() {
    let site = SiteTest::fixture("trust");
    site.replace(
        "data/anggaran/datapackage.json",
        "\"sources\": [{\"title\": \"Pemerintah Provinsi Banten (uji)\"}],",
        "",
    );
    site.build_err()
        .expect_in(Code::DatasetNoSource, "data/anggaran/datapackage.json");
}

#[test]
fn realisasi_and_rencana_are_never_added_up() {
    let site = SiteTest::fixture("trust");
    site.build_ok();
    let page = site.read("data/anggaran/index.html");
    assert!(
        !page.contains("id=\"jumlah\""),
        "no total of realisasi + rencana"
    );
    assert!(!page.contains("Rp3,9 triliun"));
    // A measure declared additive over its dimension does get a total.
    site.replace(
        "data/anggaran/datapackage.json",
        "\"lumbung:unit\": \"rupiah\",",
        "\"lumbung:unit\": \"rupiah\", \"lumbung:additive\": [\"jenis\"],",
    );
    site.build_ok();
    assert!(
        site.read("data/anggaran/index.html")
            .contains("Rp3,9 triliun")
    );
}

#[test]
fn a_total_without_a_declared_default_is_a_warning_and_two_measures_for_one_indicator_an_error() {
    let site = SiteTest::fixture("trust");
    site.replace(
        "data/anggaran/anggaran.csv",
        "36,2024,Rencana",
        "36,2024,Jumlah",
    );
    let s = site.build_ok();
    assert!(
        s.warnings.iter().any(|w| w.code == Code::DimensionDefault),
        "{:#?}",
        s.warnings
    );
    site.replace(
        "data/anggaran/datapackage.json",
        "\"lumbung:decimals\": 0}",
        "\"lumbung:decimals\": 0, \"lumbung:indicator\": \"p0\"}",
    )
    .replace(
        "data/anggaran/datapackage.json",
        "\"lumbung:role\": \"dimension\"}",
        "\"lumbung:role\": \"dimension\", \"lumbung:default\": \"Jumlah\"}",
    );
    site.build_err()
        .expect_in(Code::DuplicateIndicator, "data/kemiskinan/datapackage.json");
}

/// The serang registry with BPS codes beside the Kemendagri ones.
const WILAYAH_BPS: &str = "kode,nama,jenis,kode_induk,kode_bps\n36,Banten,provinsi,,36\n36.01,Kabupaten Pandeglang,kabupaten,36,3601\n36.02,Kabupaten Lebak,kabupaten,36,3602\n36.03,Kabupaten Tangerang,kabupaten,36,3603\n36.04,Kabupaten Serang,kabupaten,36,3604\n36.71,Kota Tangerang,kota,36,3671\n36.72,Kota Cilegon,kota,36,3672\n36.73,Kota Serang,kota,36,3673\n36.74,Kota Tangerang Selatan,kota,36,3674\n";

const BPS_CODED: &str = r#"{
  "name": "pkh-bps", "title": "PKH menurut kode BPS (uji)",
  "sources": [{"title": "Open Data (uji)"}],
  "resources": [{"name": "pkh-bps", "path": "pkh-bps.csv", "schema": {
    "fields": [
      {"name": "kode_kabupaten_kota", "type": "string", "lumbung:role": "region", "lumbung:codes": "bps"},
      {"name": "tahun", "type": "year", "lumbung:role": "time"},
      {"name": "kpm", "type": "integer", "lumbung:role": "measure", "lumbung:unit": "keluarga"}
    ],
    "primaryKey": ["kode_kabupaten_kota", "tahun"]
  }}]
}
"#;

#[test]
fn a_dataset_coded_by_bps_is_published_with_kemendagri_codes() {
    let site = SiteTest::fixture("serang");
    site.write("data/wilayah.csv", WILAYAH_BPS)
        .write("data/pkh-bps/datapackage.json", BPS_CODED)
        .write(
            "data/pkh-bps/pkh-bps.csv",
            "kode_kabupaten_kota,tahun,kpm\n3673,2017,21500\n3604,2017,68000\n",
        );
    site.build_ok();
    let published = site.read("data/pkh-bps/pkh-bps.csv");
    assert!(
        published.contains("\n36.04,Kabupaten Serang,2017,68000"),
        "{published}"
    );
    assert!(!published.contains("3604,"), "{published}");
    let desc = site.read("data/pkh-bps/datapackage.json");
    assert!(
        !desc.contains("lumbung:codes"),
        "the published CSV holds Kemendagri codes: {desc}"
    );
    assert!(
        site.read("wilayah/36.73-kota-serang/index.html")
            .contains("21.500")
    );

    // An unknown BPS code, at its row and field; a registry without kode_bps says how to add it.
    site.replace("data/pkh-bps/pkh-bps.csv", "3604,2017", "3699,2017");
    site.build_err().expect(
        Code::CellUnknownBpsCode,
        "data/pkh-bps/pkh-bps.csv",
        csv(2, 3, Some("kode_kabupaten_kota")),
    );
    // A code system Lumbung does not know, at its key.
    site.replace("data/pkh-bps/pkh-bps.csv", "3699,2017", "3604,2017");
    site.replace(
        "data/pkh-bps/datapackage.json",
        "\"lumbung:codes\": \"bps\"",
        "\"lumbung:codes\": \"bps2018\"",
    );
    site.build_err().expect(
        Code::DescriptorBadCodes,
        "data/pkh-bps/datapackage.json",
        text(6, 83),
    );
}

#[test]
fn a_province_split_breaks_its_series_where_the_data_shows_it() {
    // BPS went on publishing Papua (91) on its old territory until the provinces split from it
    // in 2022 had figures of their own (Maret 2024): the drop from 26,03 to 17,26 is territory.
    let site = SiteTest::fixture("trust");
    site.replace(
        "data/wilayah.csv",
        "36,Banten,provinsi,\n",
        "36,Banten,provinsi,\n91,Papua,provinsi,\n93,Papua Selatan,provinsi,\n",
    );
    site.replace(
        CSV,
        "kode_wilayah,tahun,periode,p0,garis_kemiskinan\n",
        "kode_wilayah,tahun,periode,p0,garis_kemiskinan\n\
         91,2022,Maret,26.56,700000\n91,2023,Maret,26.03,720000\n91,2024,Maret,17.26,740000\n\
         93,2024,Maret,17.44,730000\n",
    );
    let s = site.build_ok();
    assert!(s.warnings.is_empty(), "{:#?}", s.warnings);
    let papua = site.main_of("wilayah/91-papua/index.html");
    assert!(
        papua.contains("class=\"note-wilayah-berubah\""),
        "the page says the territory changed"
    );
    assert!(
        papua.contains("Papua Selatan"),
        "and names the part that left"
    );
    let whole = site.read("wilayah/91-papua/index.html");
    assert!(
        whole.contains(">wilayah berubah<"),
        "the chart marks the break"
    );
    assert!(
        !papua.contains("dari Maret 2023"),
        "no change is computed across the split"
    );
    // The part itself, and a region without a split, say nothing of the kind.
    let selatan = site.main_of("wilayah/93-papua-selatan/index.html");
    assert!(!selatan.contains("note-wilayah-berubah"));
    assert!(
        !site
            .read(&format!("{KOTA}/index.html"))
            .contains(">wilayah berubah<")
    );
    // Without a figure of any part, nothing proves when the territory changed.
    site.replace(CSV, "93,2024,Maret,17.44,730000\n", "");
    site.build_ok();
    let papua = site.read("wilayah/91-papua/index.html");
    assert!(!papua.contains("note-wilayah-berubah") && !papua.contains(">wilayah berubah<"));
}

#[test]
fn a_target_is_drawn_beside_the_figures_never_among_them() {
    let site = SiteTest::fixture("trust");
    site.write(
        "data/kemiskinan/target.csv",
        "kode_wilayah,tahun,kolom,nilai,sumber\n\
         36.73,2022,p0,5.5,RPJMD Kota Serang 2019–2023 (uji)\n\
         36.73,2026,p0,4,RPJMD Kota Serang 2025–2029 (uji)\n",
    );
    site.build_ok();
    let page = site.read(&format!("{KOTA}/index.html"));
    // The chart: a dashed level and a diamond per target on the axis, labelled with its year.
    assert!(page.contains(">Target 2022: 5,5%</text>"), "chart label");
    assert!(page.contains(">Target 2026: 4%</text>"), "chart label");
    assert_eq!(
        page.matches("<path class=\"target\"").count(),
        3,
        "two levels, one diamond (2026 is not on the axis)"
    );
    let svg = site.read(&format!("{KOTA}/p0.svg"));
    assert!(
        svg.contains(">Target 2022: 5,5%</text>"),
        "the chart file too"
    );
    // The card: the next target after the latest figure (2024), against the latest figure.
    let card = main_of(&page);
    assert!(
        card.contains("Target 2026: 4%</strong>; angka terakhir, Maret 2024: 5,75%, 1,75 poin persen di atas target."),
        "{card}"
    );
    assert!(card.contains("Sumber target: RPJMD Kota Serang 2025–2029 (uji)"));
    // The download of targets: each beside the figure of its own year; the figures' downloads
    // never carry a target.
    let targets = site.read(&format!("{KOTA}/target.csv"));
    assert!(
        targets.contains("p0,36.73,Kota Serang,2022,5.5,persen,RPJMD Kota Serang 2019–2023 (uji),Maret 2022,6.05,0.55"),
        "{targets}"
    );
    assert!(
        targets.contains("p0,36.73,Kota Serang,2026,4,persen,RPJMD Kota Serang 2025–2029 (uji),,,")
    );
    assert!(site.read("indikator/p0/target.csv").contains(",2022,5.5,"));
    assert!(!site.read(&format!("{KOTA}/data.csv")).contains("RPJMD"));
    assert!(!site.read("indikator/p0/p0.csv").contains("RPJMD"));
    // A region without targets gets no targets file.
    assert!(!site.out().join("wilayah/36-banten/target.csv").exists());
}

#[test]
fn a_bad_or_repeated_target_is_an_error_at_its_cell() {
    let site = SiteTest::fixture("trust");
    site.write(
        "data/kemiskinan/target.csv",
        "kode_wilayah,tahun,kolom,nilai,sumber\n\
         36.73,2022,p9,5.5,RPJMD\n\
         36.73,2023,p0,5.5,\n\
         36.73,2024,p0,5,RPJMD awal\n\
         36.73,2024,p0,4.5,RPJMD perubahan\n",
    );
    let err = site.build_err();
    let file = "data/kemiskinan/target.csv";
    err.expect(Code::TargetBad, file, csv(1, 2, Some("kolom")));
    err.expect(Code::TargetBad, file, csv(2, 3, Some("sumber")));
    err.expect(Code::TargetBad, file, csv(4, 5, Some("tahun")));
}

#[test]
fn a_dataset_page_lists_the_first_flagged_values_and_points_to_the_rest() {
    let site = SiteTest::fixture("trust");
    // 250 rates of exactly 0: each held back, each a row of the downloads' `catatan` column.
    let mut csv = site.read_site(CSV);
    for year in 1760..2010 {
        csv.push_str(&format!("36.04,{year},September,0,\n"));
    }
    site.write(CSV, &csv);
    let s = site.build_ok();
    let held = s
        .warnings
        .iter()
        .filter(|w| w.code == Code::ValueHeldBack)
        .count();
    assert_eq!(held, 250, "{:#?}", s.warnings);
    let page = site.read("data/kemiskinan/index.html");
    let section = &page[page.find("id=\"catatan\"").expect("the notes section")..];
    let table = &section[..section.find("</table>").unwrap()];
    assert_eq!(table.matches("<tr><th scope=\"row\">").count(), 200);
    assert!(
        section.contains("Tabel ini memuat 200 nilai pertama dari 250; semuanya ada di kolom <code>catatan</code> unduhan."),
        "{section}"
    );
    // Every one of them is in the downloads.
    let data = site.read("data/kemiskinan/kemiskinan.csv");
    assert_eq!(data.lines().filter(|l| l.contains("ditahan")).count(), 250);
}

#[test]
fn a_dataset_page_lists_every_flagged_value_when_they_are_few() {
    let site = SiteTest::fixture("trust");
    site.replace(CSV, "36.73,2022,Maret,6.05", "36.73,2022,Maret,0");
    site.build_ok();
    let page = site.read("data/kemiskinan/index.html");
    assert!(page.contains("id=\"catatan\""));
    assert!(!page.contains("nilai pertama dari"), "nothing left out");
}
