//! `lumbung import tabel` on tidy open-data exports, with a registry carrying BPS codes built from
//! the real Kemendagri and BPS lists, then the site built from the dataset it writes.

use std::path::Path;
use std::sync::OnceLock;

use lumbung::diagnostic::Code;
use lumbung::import::tidy::{TabelSettings, import_tabel};
use lumbung::import::wilayah::{Levels, import_wilayah};

use crate::harness::{SiteTest, csv, realdata};

/// Provinces and kab/kota with their BPS codes, built once from `../shared/realdata/wilayah`.
fn registry_with_bps() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("wilayah.csv");
        let wilayah = realdata().join("wilayah");
        assert!(
            wilayah.join("kemendagri-2025.csv").is_file() && wilayah.join("bps-2018").is_dir(),
            "real data missing under {}",
            wilayah.display()
        );
        import_wilayah(
            &wilayah.join("kemendagri-2025.csv"),
            &out,
            Levels::Kabkota,
            Some(&wilayah.join("bps-2018")),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        std::fs::read_to_string(out).unwrap()
    })
}

const PKH_PAGE: &str = "+++\njudul = \"Program Keluarga Harapan\"\nsingkatan = \"PKH\"\nringkasan = \"Bantuan sosial bersyarat.\"\n+++\n\nTentang PKH.\n";

/// The Open Data Jabar shape: a row number, BPS codes, names in capitals, a `satuan` column and
/// a `0.0` where the value is missing. BPS 1101 is Kabupaten Simeulue, Kemendagri 11.09; BPS
/// 9471 (MFD 2018) is Kota Jayapura, Kemendagri 91.71; BPS 9401 is Kabupaten Merauke, in Papua
/// (94) when MFD 2018 was made and in Papua Selatan (93.01) since the 2022 split.
const PKH_EXPORT: &str = "\
id,kode_provinsi,nama_provinsi,kode_kabupaten_kota,nama_kabupaten_kota,jumlah_penerima_manfaat,satuan,tahun
1,36,BANTEN,3604,KABUPATEN SERANG,68000,KELUARGA PENERIMA MANFAAT,2022
2,36,BANTEN,3673,KOTA SERANG,21500,KELUARGA PENERIMA MANFAAT,2022
3,11,ACEH,1101,KABUPATEN SIMEULUE,7400,KELUARGA PENERIMA MANFAAT,2022
4,94,PAPUA,9471,KOTA JAYAPURA,0.0,KELUARGA PENERIMA MANFAAT,2022
7,94,PAPUA,9401,KABUPATEN MERAUKE,12100,KELUARGA PENERIMA MANFAAT,2022
5,36,BANTEN,3604,KABUPATEN SERANG,66000,KELUARGA PENERIMA MANFAAT,2023
6,36,BANTEN,3673,KOTA SERANG,20900,KELUARGA PENERIMA MANFAAT,2023
";

/// Province figures by period and daerah, in thousands (RIBU JIWA), `.` decimals.
const DAERAH_EXPORT: &str = "\
no,kode_provinsi,nama_provinsi,periode_bulan,kategori_daerah,jumlah_penduduk_miskin,satuan,tahun
1,36,BANTEN,MARET,PERKOTAAN,511.73,RIBU JIWA,2023
2,36,BANTEN,MARET,PERDESAAN,317.93,RIBU JIWA,2023
3,36,BANTEN,MARET,PERKOTAAN+PERDESAAN,829.66,RIBU JIWA,2023
4,36,BANTEN,SEPTEMBER,PERKOTAAN+PERDESAAN,814.4,RIBU JIWA,2023
";

fn site_with_bps_registry() -> SiteTest {
    let site = SiteTest::fixture("serang");
    site.write("data/wilayah.csv", registry_with_bps())
        .write("content/program/pkh.md", PKH_PAGE);
    site
}

fn settings(programs: &[&str]) -> TabelSettings {
    TabelSettings {
        source: "Open Data Jabar (contoh uji)".into(),
        source_url: Some("https://opendata.jabarprov.go.id/".into()),
        programs: programs.iter().map(|s| s.to_string()).collect(),
        ..TabelSettings::default()
    }
}

#[test]
fn a_tidy_export_with_bps_codes_becomes_a_programme_dataset_and_its_pages() {
    let site = site_with_bps_registry();
    let root = site.root();
    let export = root.join("unduhan/pkh-kabkota.csv");
    std::fs::create_dir_all(export.parent().unwrap()).unwrap();
    std::fs::write(&export, PKH_EXPORT).unwrap();
    let out = root.join("data/pkh-kabkota");
    let report = import_tabel(
        &root.join("data/wilayah.csv"),
        &out,
        None,
        std::slice::from_ref(&export),
        &settings(&["pkh"]),
    )
    .unwrap_or_else(|e| panic!("{e}"));

    // Every row matched by its BPS code and checked against its name; the row number ignored.
    assert_eq!((report.rows_read, report.rows_written), (7, 7));
    assert_eq!((report.via_bps, report.names_checked), (7, 7));
    assert_eq!(report.files[0].ignored, vec!["id (nomor baris)"]);
    // The 0.0 is flagged at its row and field, not silently dropped or kept.
    let zeros: Vec<_> = report
        .warnings
        .iter()
        .filter(|w| w.code == Code::TabelZero)
        .collect();
    assert_eq!(zeros.len(), 1, "{report}");
    assert_eq!(
        zeros[0].location,
        csv(4, 5, Some("jumlah_penerima_manfaat"))
    );
    let printed = report.to_string();
    assert!(printed.contains("baris dibaca         : 7"), "{printed}");

    // Kemendagri codes, never BPS ones with a dot inserted; no id column; values as read.
    let data = std::fs::read_to_string(out.join("pkh-kabkota.csv")).unwrap();
    assert_eq!(
        data,
        "kode_wilayah,tahun,jumlah_penerima_manfaat\n11.09,2022,7400\n36.04,2022,68000\n36.04,2023,66000\n36.73,2022,21500\n36.73,2023,20900\n91.71,2022,0\n93.01,2022,12100\n"
    );
    let desc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("datapackage.json")).unwrap())
            .unwrap();
    assert_eq!(desc["lumbung:programs"], serde_json::json!(["pkh"]));
    assert_eq!(desc["sources"][0]["title"], "Open Data Jabar (contoh uji)");
    let measure = &desc["resources"][0]["schema"]["fields"][2];
    assert_eq!(measure["lumbung:unit"], "keluarga penerima manfaat");
    assert_eq!(
        measure["lumbung:additive"],
        serde_json::json!(["kode_wilayah"])
    );

    // Importing again gives the same bytes.
    import_tabel(
        &root.join("data/wilayah.csv"),
        &out,
        None,
        &[export],
        &settings(&["pkh"]),
    )
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(out.join("pkh-kabkota.csv")).unwrap(),
        data
    );

    // The built site: the programme page shows the figures, totals and ranked regions; each
    // region page names the programme beside the figure.
    site.build_ok();
    let prog = site.main_of("program/pkh/index.html");
    assert!(prog.contains("id=\"data-program\""), "{prog}");
    assert!(prog.contains("Jumlah penerima manfaat, 2023"), "{prog}");
    assert!(prog.contains("jumlah 2 dari 8 kabupaten/kota"), "{prog}");
    assert!(prog.contains("(belum lengkap)"), "{prog}");
    assert!(prog.contains("66.000"), "{prog}");
    assert!(
        prog.contains("href=\"/indikator/pkh-kabkota-jumlah-penerima-manfaat/\""),
        "{prog}"
    );
    assert!(prog.contains("href=\"/data/pkh-kabkota/\""), "{prog}");
    let serang = site.main_of("wilayah/36.04-kabupaten-serang/index.html");
    assert!(
        serang.contains("Program: <a href=\"/program/pkh/\">PKH</a>"),
        "{serang}"
    );
    assert!(serang.contains("66.000"), "{serang}");
    let simeulue = site.main_of("wilayah/11.09-kabupaten-simeulue/index.html");
    assert!(simeulue.contains("7.400"), "{simeulue}");
    let ds = site.main_of("data/pkh-kabkota/index.html");
    assert!(ds.contains("<dt>Program</dt>"), "{ds}");
}

#[test]
fn period_and_daerah_columns_become_dimensions_and_thousands_stay_thousands() {
    let site = site_with_bps_registry();
    let root = site.root();
    let export = root.join("unduhan/miskin-daerah.csv");
    std::fs::create_dir_all(export.parent().unwrap()).unwrap();
    std::fs::write(&export, DAERAH_EXPORT).unwrap();
    let out = root.join("data/miskin-daerah");
    let report = import_tabel(
        &root.join("data/wilayah.csv"),
        &out,
        None,
        &[export],
        &settings(&[]),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.files[0].ignored, vec!["no (nomor baris)"]);
    assert!(
        report.notes.iter().any(|n| n.contains("tidak dikalikan")),
        "{report}"
    );
    let data = std::fs::read_to_string(out.join("miskin-daerah.csv")).unwrap();
    assert_eq!(
        data,
        "kode_wilayah,tahun,periode,daerah,jumlah_penduduk_miskin\n36,2023,Maret,Perkotaan,511.73\n36,2023,Maret,Perdesaan,317.93\n36,2023,Maret,Jumlah,829.66\n36,2023,September,Jumlah,814.4\n"
    );
    let desc = std::fs::read_to_string(out.join("datapackage.json")).unwrap();
    assert!(desc.contains("\"lumbung:unit\": \"ribu jiwa\""), "{desc}");
    assert!(desc.contains("\"lumbung:default\": \"Jumlah\""), "{desc}");
    // Counts of people add up over regions and over urban/rural.
    assert!(desc.contains("\"lumbung:additive\": [\n              \"kode_wilayah\",\n              \"daerah\"\n            ]"), "{desc}");
    site.build_ok();
    let ind = site.main_of("indikator/miskin-daerah-jumlah-penduduk-miskin/index.html");
    assert!(ind.contains("September 2023"), "{ind}");
    assert!(
        site.exists("indikator/miskin-daerah-jumlah-penduduk-miskin/perkotaan/index.html"),
        "the Perkotaan slice has its page"
    );
}

#[test]
fn a_dataset_naming_an_unknown_programme_fails_at_the_name() {
    let site = site_with_bps_registry();
    let root = site.root();
    let export = root.join("unduhan/pkh.csv");
    std::fs::create_dir_all(export.parent().unwrap()).unwrap();
    std::fs::write(&export, PKH_EXPORT.replace("0.0", "900")).unwrap();
    import_tabel(
        &root.join("data/wilayah.csv"),
        &root.join("data/pkh"),
        None,
        &[export],
        &settings(&["pkh2"]),
    )
    .unwrap();
    let errors = site.build_err();
    let d = errors
        .0
        .iter()
        .find(|d| d.code == Code::DatasetUnknownProgram)
        .unwrap_or_else(|| panic!("{errors}"));
    assert_eq!(d.file, Path::new("data/pkh/datapackage.json"));
    assert!(d.to_string().contains("pkh"), "{d}");
    assert!(
        matches!(d.location, lumbung::diagnostic::Location::Text { .. }),
        "{d}"
    );
}

#[test]
fn bad_tidy_exports_write_nothing_and_say_where() {
    let site = site_with_bps_registry();
    let root = site.root();
    let registry = root.join("data/wilayah.csv");
    let try_import = |name: &str, text: &str| {
        let p = root.join("unduhan").join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        let out = root.join("data/gagal");
        let e = import_tabel(&registry, &out, None, &[p], &settings(&[])).unwrap_err();
        assert!(!out.exists(), "nothing written for {name}");
        e
    };
    // Code and name naming different regions.
    let e = try_import(
        "beda.csv",
        "kode_kabupaten_kota,nama_kabupaten_kota,tahun,nilai\n3604,KOTA SERANG,2022,5\n",
    );
    assert_eq!(e.0[0].code, Code::TabelRegion, "{e}");
    assert_eq!(e.0[0].location, csv(1, 2, Some("nama_kabupaten_kota")));
    // A number written with thousands separators.
    let e = try_import(
        "ribuan.csv",
        "kode_kabupaten_kota,tahun,nilai\n3604,2022,1.234.567\n",
    );
    assert_eq!(e.0[0].code, Code::TabelValue, "{e}");
    // Two files disagreeing on one cell, in either order.
    let a = root.join("unduhan/a.csv");
    let b = root.join("unduhan/b.csv");
    std::fs::write(&a, "kode_kabupaten_kota,tahun,nilai\n3604,2022,5\n").unwrap();
    std::fs::write(&b, "kode_kabupaten_kota,tahun,nilai\n3604,2022,6\n").unwrap();
    for files in [[a.clone(), b.clone()], [b, a]] {
        let e = import_tabel(
            &registry,
            &root.join("data/gagal"),
            None,
            &files,
            &settings(&[]),
        )
        .unwrap_err();
        assert_eq!(e.0.len(), 1, "{e}");
        assert_eq!(e.0[0].code, Code::TabelConflict, "{e}");
    }
}

#[test]
fn the_samples_pkh_dataset_is_what_the_readme_command_writes() {
    let repo = crate::harness::repo();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pkh-kabkota-ilustrasi");
    let report = import_tabel(
        &repo.join("data/wilayah.csv"),
        &out,
        None,
        &[repo.join("docs/contoh/pkh-kabkota-ilustrasi.csv")],
        &TabelSettings {
            source: "Angka ilustrasi Tim Lumbung (bukan data Kementerian Sosial)".into(),
            programs: vec!["pkh".into()],
            ..TabelSettings::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        std::fs::read_to_string(out.join("pkh-kabkota-ilustrasi.csv")).unwrap(),
        std::fs::read_to_string(repo.join("data/pkh-kabkota-ilustrasi/pkh-kabkota-ilustrasi.csv"))
            .unwrap()
    );
    // The report in the README is this report.
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let printed = report
        .to_string()
        .replace(&format!("{}/", repo.display()), "");
    for line in printed.lines().filter(|l| !l.contains("ditulis:")) {
        assert!(readme.contains(line), "README lacks report line {line:?}");
    }
    // The published sample says its figures are illustrative, everywhere they are used.
    let sample =
        std::fs::read_to_string(repo.join("data/pkh-kabkota-ilustrasi/datapackage.json")).unwrap();
    assert!(sample.contains("\"lumbung:illustrative\""));
}
