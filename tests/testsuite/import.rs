//! `lumbung import` against the real BPS exports and Kemendagri list in `../shared/realdata`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lumbung::data::registry::{Jenis, Registry};
use lumbung::diagnostic::{Code, Location};
use lumbung::import::wilayah::{Levels, import_wilayah};
use lumbung::import::{BpsSettings, import_bps};

const REALDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/realdata");

/// A path under `../shared/realdata`; panics (never skips) when it is missing.
fn realdata(rel: &str) -> PathBuf {
    let p = Path::new(REALDATA).join(rel);
    assert!(
        p.exists(),
        "real data missing: {} — these tests need ../shared/realdata next to the project (see its README)",
        p.display()
    );
    p
}

fn kabkota_inputs() -> Vec<PathBuf> {
    vec![
        realdata("bps-kabkota/(P0) Menurut Kabupaten_Kota"),
        realdata("bps-kabkota/(P1) Menurut Kabupaten_Kota"),
        realdata("bps-kabkota/(P2) Menurut Kabupaten_Kota"),
        realdata("bps-kabkota/Garis Kemiskinan Menurut Kabupaten_Kota"),
        realdata("bps-kabkota/Jumlah Penduduk Miskin (Ribu Jiwa) Menurut KabupatenKota.csv"),
    ]
}

/// The provinces + kab/kota registry, built once with `import wilayah` from kemendagri-2025.csv.
fn registry_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("wilayah.csv");
        import_wilayah(
            &realdata("wilayah/kemendagri-2025.csv"),
            &out,
            Levels::Kabkota,
            None,
        )
        .unwrap();
        std::fs::read_to_string(out).unwrap()
    })
}

fn registry_in(dir: &Path) -> PathBuf {
    let p = dir.join("wilayah.csv");
    std::fs::write(&p, registry_text()).unwrap();
    p
}

/// The output CSV as (kode, tahun, periode) → column → text.
fn read_output(csv: &Path) -> BTreeMap<(String, String, String), BTreeMap<String, String>> {
    let text = std::fs::read_to_string(csv).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut out = BTreeMap::new();
    for l in lines {
        let cells: Vec<&str> = l.split(',').collect();
        assert_eq!(cells.len(), header.len(), "{l}");
        let key = (cells[0].into(), cells[1].into(), cells[2].into());
        let vals = header[3..]
            .iter()
            .zip(&cells[3..])
            .map(|(h, c)| (h.to_string(), c.to_string()))
            .collect();
        assert!(out.insert(key, vals).is_none(), "duplicate key in {l}");
    }
    out
}

fn value<'a>(
    data: &'a BTreeMap<(String, String, String), BTreeMap<String, String>>,
    kode: &str,
    tahun: &str,
    periode: &str,
    field: &str,
) -> &'a str {
    data.get(&(kode.into(), tahun.into(), periode.into()))
        .unwrap_or_else(|| panic!("no row {kode} {tahun} {periode}"))
        .get(field)
        .unwrap_or_else(|| panic!("no column {field}"))
}

#[test]
fn kabkota_tables_match_every_region_and_keep_values() {
    let dir = tempfile::tempdir().unwrap();
    let reg = registry_in(dir.path());
    let out = dir.path().join("kemiskinan-bps");
    let report = import_bps(&reg, &out, None, &kabkota_inputs(), &BpsSettings::default())
        .unwrap_or_else(|e| panic!("import failed:\n{e}"));
    assert_eq!(report.files.len(), 4 * 22 + 1);
    assert_eq!(report.regions, (0, 38, 514), "{report}");
    assert_eq!(report.registry_regions, (38, 514));
    assert!(report.files.iter().all(|f| f.rows_read == f.rows_matched));
    // The jumlah file's trailing "Catatan" row is ignored and reported.
    assert!(
        report
            .files
            .iter()
            .any(|f| f.notes.iter().any(|n| n.contains("Nduga"))),
        "{report}"
    );
    // Renamed regions go through the alias table, and it says so.
    let aliases: Vec<&String> = report.aliases_used.keys().collect();
    assert!(
        aliases
            .iter()
            .any(|a| a.contains("\"Toba Samosir\" → 12.12")),
        "{aliases:?}"
    );
    assert!(
        aliases
            .iter()
            .any(|a| a.contains("\"Mamuju Utara\" → 76.01")),
        "{aliases:?}"
    );

    let data = read_output(&out.join("kemiskinan-bps.csv"));
    // Every kab/kota and province has at least one row.
    let reg = Registry::load(Path::new(""), &reg).unwrap();
    for r in reg
        .regions
        .values()
        .filter(|r| matches!(r.jenis.level(), 1 | 2))
    {
        assert!(
            data.keys().any(|k| k.0 == r.kode),
            "{} {} has no data",
            r.kode,
            r.nama
        );
    }
    // The kab/kota tables name no period and, without the province tables, nothing proves one:
    // every value keeps the year alone ("tidak disebut"), never a guessed "Maret".
    assert!(
        data.keys().all(|k| k.2 == "tidak disebut"),
        "a period was guessed"
    );
    assert!(
        report
            .merge
            .periods
            .iter()
            .all(|p| p.contains("periode tidak disebut sumber")),
        "{:#?}",
        report.merge.periods
    );
    let v = |k, y, f| value(&data, k, y, "tidak disebut", f);
    // Kota Serang is not Kabupaten Serang (P0 2024 from the source file).
    assert_eq!(v("36.73", "2024", "p0"), "5.65");
    assert_eq!(v("36.04", "2024", "p0"), "4.51");
    // Province rows in capitals.
    assert_eq!(v("11", "2004", "p0"), "28.47");
    assert_eq!(v("11", "2024", "garis_kemiskinan"), "661227");
    // "Kota Baru" and "Lima Puluh Kota" are kabupaten.
    assert_eq!(v("63.02", "2020", "p0"), "4.22");
    assert_eq!(v("13.07", "2020", "p1"), "0.78");
    // Aliases: Toba Samosir → Toba, Pontianak → Mempawah.
    assert_eq!(v("12.12", "2020", "garis_kemiskinan"), "404864");
    assert_eq!(v("61.02", "2020", "p2"), "0.05");
    // DKI: Kepulauan Seribu and Kota Administrasi Jakarta Utara.
    assert_eq!(v("31.01", "2020", "p0"), "14.87");
    assert_eq!(v("31.72", "2020", "p0"), "6.78");
    // The wide jumlah table, first and last year.
    assert_eq!(v("11.09", "2004", "jumlah_penduduk_miskin"), "24.3");
    assert_eq!(v("11.09", "2025", "jumlah_penduduk_miskin"), "15.58");
    // A Papua province created by pemekaran: its series starts late.
    assert_eq!(v("95", "2024", "p0"), "32.97");
    assert_eq!(v("95", "2025", "garis_kemiskinan"), "1132178");
    assert!(!data.keys().any(|k| k.0 == "95" && k.1.as_str() < "2024"));
    // "-" is an empty cell.
    assert_eq!(v("11", "2004", "jumlah_penduduk_miskin"), "");
    // The descriptor carries units and roles.
    let pkg: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("datapackage.json")).unwrap())
            .unwrap();
    let fields = &pkg["resources"][0]["schema"]["fields"];
    let field = |n: &str| {
        fields
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == n)
            .unwrap_or_else(|| panic!("no field {n}"))
            .clone()
    };
    assert_eq!(field("kode_wilayah")["lumbung:role"], "region");
    assert_eq!(field("tahun")["type"], "year");
    assert_eq!(field("periode")["lumbung:role"], "period");
    assert_eq!(field("p0")["lumbung:unit"], "persen");
    assert_eq!(field("p0")["lumbung:lowerIsBetter"], true);
    assert_eq!(
        field("garis_kemiskinan")["lumbung:unit"],
        "rupiah/kapita/bulan"
    );
    assert_eq!(field("garis_kemiskinan")["lumbung:decimals"], 0);
    // A threshold: neither direction is better, so no polarity is written.
    assert!(
        field("garis_kemiskinan")
            .get("lumbung:lowerIsBetter")
            .is_none()
    );
    assert_eq!(
        field("jumlah_penduduk_miskin")["lumbung:indicator"],
        "jumlah-penduduk-miskin"
    );
    assert_eq!(pkg["sources"][0]["title"], "Sumber: Badan Pusat Statistik");
    assert_eq!(pkg["resources"][0]["path"], "kemiskinan-bps.csv");
}

#[test]
fn province_tables_keep_maret_and_september_apart() {
    let dir = tempfile::tempdir().unwrap();
    let reg = registry_in(dir.path());
    let out = dir.path().join("kemiskinan-provinsi");
    let report = import_bps(
        &reg,
        &out,
        None,
        &[realdata("bps-provinsi")],
        &BpsSettings::default(),
    )
    .unwrap_or_else(|e| panic!("import failed:\n{e}"));
    assert_eq!(report.regions, (1, 38, 0), "{report}");
    let data = read_output(&out.join("kemiskinan-provinsi.csv"));
    assert_eq!(value(&data, "11", "2024", "Maret", "p0"), "14.23");
    assert_eq!(value(&data, "11", "2024", "September", "p0"), "12.64");
    assert_eq!(value(&data, "00", "2024", "Maret", "p0"), "9.03");
    assert_eq!(value(&data, "00", "2024", "September", "p0"), "8.57");
    assert_eq!(
        value(&data, "11", "2015", "September", "jumlah_penduduk_miskin"),
        "859.41"
    );
    // "..." is an empty cell; September 2022 was not published.
    assert_eq!(
        value(&data, "11", "2017", "September", "garis_kemiskinan"),
        ""
    );
    assert!(!data.contains_key(&("11".into(), "2022".into(), "September".into())));
    // The upstream errors are warnings, not failures.
    let in_2022 = |w: &&lumbung::diagnostic::Diagnostic| {
        w.file.to_string_lossy().ends_with("Provinsi, 2022.csv")
    };
    let implausible = report
        .warnings
        .iter()
        .filter(in_2022)
        .find(|w| w.code == Code::ImportImplausible)
        .expect("the national garis kemiskinan of 505 is flagged");
    assert!(
        matches!(&implausible.location, Location::Csv { field: Some(f), .. } if f.contains("Garis Kemiskinan")),
        "{implausible}"
    );
    assert!(
        implausible
            .excerpt
            .as_deref()
            .unwrap()
            .contains("Indonesia,505,")
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.code == Code::ImportRowSkipped),
        "the shifted row is flagged"
    );
    // The shifted row's impossible percentage is not written.
    assert_eq!(value(&data, "00", "2018", "Maret", "p0"), "");
    assert!(report.warnings.iter().all(|w| !w.is_error()));
    let pkg = std::fs::read_to_string(out.join("datapackage.json")).unwrap();
    assert!(
        pkg.contains("\"Maret\",\n                \"September\""),
        "{pkg}"
    );
}

#[test]
fn reimport_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let reg = registry_in(dir.path());
    let mut files = kabkota_inputs();
    files.push(realdata("bps-provinsi"));
    let a = dir.path().join("a/kemiskinan");
    let b = dir.path().join("b/kemiskinan");
    for out in [&a, &b, &a] {
        import_bps(&reg, out, None, &files, &BpsSettings::default()).unwrap();
    }
    for f in ["kemiskinan.csv", "datapackage.json"] {
        let x = std::fs::read(a.join(f)).unwrap();
        let y = std::fs::read(b.join(f)).unwrap();
        assert!(x == y, "{f} differs between runs");
    }
    // Nothing but the two files is left in the folder.
    let mut names: Vec<String> = std::fs::read_dir(&a)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, vec!["datapackage.json", "kemiskinan.csv"]);
}

#[test]
fn unmatched_and_ambiguous_names_are_errors_with_candidates() {
    let dir = tempfile::tempdir().unwrap();
    let reg = registry_in(dir.path());
    let src = realdata(
        "bps-kabkota/(P0) Menurut Kabupaten_Kota/Persentase Penduduk Miskin (P0) Menurut Kabupaten_Kota, 2024.csv",
    );
    let text = std::fs::read_to_string(src).unwrap();
    let typo = dir.path().join("p0-typo, 2024.csv");
    std::fs::write(&typo, text.replace("\nKota Serang,", "\nKota Serangg,")).unwrap();
    let bare = dir.path().join("p0-bare.csv");
    std::fs::write(
        &bare,
        "Nama Wilayah,\n,Persentase Penduduk Miskin (P0) (Persen)\n,2024\nGorontalo,15.1\n",
    )
    .unwrap();
    let out = dir.path().join("gagal");
    let errs = import_bps(&reg, &out, None, &[typo, bare], &BpsSettings::default())
        .expect_err("typo must fail");
    let s = errs.to_string();
    assert_eq!(errs.errors().count(), 2, "{s}");
    let unknown = errs
        .errors()
        .find(|d| d.code == Code::ImportUnknownName)
        .expect("the typo is unknown");
    assert!(unknown.file.ends_with("p0-typo, 2024.csv"));
    assert_eq!(
        unknown.location,
        Location::Csv {
            row: 288,
            line: 291,
            field: None
        }
    );
    assert!(unknown.message.contains("\"Kota Serangg\""));
    assert!(
        unknown.hint.as_deref().unwrap().contains("36.73"),
        "the nearest candidate is offered"
    );
    let ambiguous = errs
        .errors()
        .find(|d| d.code == Code::ImportAmbiguousName)
        .expect("Gorontalo is ambiguous");
    assert!(ambiguous.file.ends_with("p0-bare.csv"));
    assert_eq!(
        ambiguous.location,
        Location::Csv {
            row: 1,
            line: 4,
            field: None
        }
    );
    assert!(
        ambiguous.message.contains("75.01"),
        "both candidates are named: {ambiguous}"
    );
    assert!(!out.exists(), "nothing is written on error");

    // The user's alias file resolves the name, and the report says which alias was used.
    let aliases = dir.path().join("alias.csv");
    std::fs::write(&aliases, "nama_bps,kode\nKota Serangg,36.73\n").unwrap();
    let typo = dir.path().join("p0-typo, 2024.csv");
    let report = import_bps(&reg, &out, Some(&aliases), &[typo], &BpsSettings::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let used: Vec<&String> = report.aliases_used.keys().collect();
    assert!(
        used.iter().any(
            |a| a.contains("\"Kota Serangg\" → 36.73 Kota Serang (Banten)")
                && a.contains("alias.csv:2")
        ),
        "{used:?}"
    );
    let data = read_output(&out.join("gagal.csv"));
    assert_eq!(value(&data, "36.73", "2024", "tidak disebut", "p0"), "5.65");
}

#[test]
fn injected_505_garis_kemiskinan_warns() {
    let dir = tempfile::tempdir().unwrap();
    let reg = registry_in(dir.path());
    let gk = "bps-kabkota/Garis Kemiskinan Menurut Kabupaten_Kota/Garis Kemiskinan Menurut Kabupaten_Kota";
    let mut files = Vec::new();
    for y in 2022..=2025 {
        let text = std::fs::read_to_string(realdata(&format!("{gk}, {y}.csv"))).unwrap();
        let text = if y == 2024 {
            assert!(text.contains("\nBANTEN,"), "source changed");
            text.replace("\nKota Serang,540786", "\nKota Serang,540")
        } else {
            text
        };
        let p = dir.path().join(format!("gk, {y}.csv"));
        std::fs::write(&p, text).unwrap();
        files.push(p);
    }
    let out = dir.path().join("gk");
    let report = import_bps(&reg, &out, None, &files, &BpsSettings::default()).unwrap();
    assert_eq!(report.warnings.len(), 1, "{:#?}", report.warnings);
    let w = &report.warnings[0];
    assert_eq!(w.code, Code::ImportImplausible);
    assert!(w.file.ends_with("gk, 2024.csv"), "{w}");
    assert!(
        w.excerpt.as_deref().unwrap().contains("Kota Serang,540"),
        "{w}"
    );
    assert!(
        w.hint.as_deref().unwrap().contains("540.000"),
        "the likely value is suggested: {w}"
    );
    // A warning, not a failure: the value is imported as written.
    let data = read_output(&out.join("gk.csv"));
    assert_eq!(
        value(&data, "36.73", "2024", "tidak disebut", "garis_kemiskinan"),
        "540"
    );
}

#[test]
fn wilayah_import_builds_the_full_registry() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("data/wilayah.csv");
    let report = import_wilayah(
        &realdata("wilayah/kemendagri-2025.csv"),
        &out,
        Levels::Desa,
        None,
    )
    .unwrap();
    let n = |j: Jenis| report.counts.get(&j).copied().unwrap_or(0);
    assert_eq!(n(Jenis::Provinsi), 38);
    assert_eq!(n(Jenis::Kabupaten) + n(Jenis::Kota), 514);
    assert_eq!(n(Jenis::Kecamatan), 7285);
    assert_eq!(n(Jenis::Desa) + n(Jenis::Kelurahan), 83762);
    let full = std::fs::read_to_string(&out).unwrap();
    assert_eq!(full.lines().count(), 1 + 38 + 514 + 7285 + 83762);
    assert!(full.contains("\n36.04.05,Kramatwatu,kecamatan,36.04\n"));
    // The province + kab/kota registry (the full one loads the same way, only slower in a
    // debug build) parses as the project's registry format.
    let reg = Registry::parse(Path::new("wilayah.csv"), registry_text())
        .unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(reg.get("36.73").unwrap().jenis, Jenis::Kota);
    assert_eq!(reg.get("36.73").unwrap().nama, "Kota Serang");
    assert_eq!(reg.get("36.04").unwrap().jenis, Jenis::Kabupaten);
    assert_eq!(reg.get("36.04").unwrap().nama, "Kabupaten Serang");
    assert_eq!(reg.get("63.02").unwrap().jenis, Jenis::Kabupaten);
    assert_eq!(
        reg.get("31.72").unwrap().nama,
        "Kota Administrasi Jakarta Utara"
    );
    assert_eq!(reg.get("36").unwrap().induk.as_deref(), Some("00"));
}

#[test]
fn cli_parses_both_subcommands() {
    use clap::Parser;
    use lumbung::import::cli::ImportCommand;
    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        cmd: ImportCommand,
    }
    let c = Cli::try_parse_from([
        "import",
        "bps",
        "--registry",
        "data/wilayah.csv",
        "--out",
        "data/kemiskinan",
        "a.csv",
        "b",
    ])
    .unwrap();
    assert!(matches!(c.cmd, ImportCommand::Bps { ref files, .. } if files.len() == 2));
    let c = Cli::try_parse_from([
        "import", "wilayah", "--out", "w.csv", "--levels", "kabkota", "k.csv",
    ])
    .unwrap();
    assert!(matches!(c.cmd, ImportCommand::Wilayah { .. }));
    assert!(Cli::try_parse_from(["import", "bps", "--out", "x", "a.csv"]).is_err());
}

#[test]
fn wilayah_import_adds_bps_codes_matched_by_name_within_the_parent() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("data/wilayah.csv");
    let report = import_wilayah(
        &realdata("wilayah/kemendagri-2025.csv"),
        &out,
        Levels::Kecamatan,
        Some(&realdata("wilayah/bps-2018")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let bps = report.bps.as_ref().unwrap();
    assert_eq!(bps.read, [34, 514, 7215]);
    assert_eq!(bps.matched[0..2], [34, 514], "{bps}");
    assert!(bps.matched[2] > 6900, "{bps}");
    // The four provinces made in 2022 have no BPS 2018 code.
    assert_eq!(bps.without[0..2], [4, 0], "{bps}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("kode,nama,jenis,kode_induk,kode_bps\n"));
    let reg = Registry::parse(Path::new("wilayah.csv"), &text).unwrap_or_else(|e| panic!("{e:#?}"));
    // BPS numbers many provinces' regencies differently: never by inserting a dot.
    assert_eq!(reg.from_bps("1101"), Some("11.09")); // Kabupaten Simeulue
    assert_eq!(reg.get("11.01").unwrap().kode_bps.as_deref(), Some("1103"));
    assert_eq!(reg.from_bps("3604"), Some("36.04"));
    assert_eq!(reg.from_bps("3673"), Some("36.73"));
    assert_eq!(reg.from_bps("1206"), Some("12.12")); // Toba Samosir, now Toba
    // Papua before the 2022 split: BPS 94 is Papua (91), 91 is Papua Barat (92), and
    // Merauke (BPS 9401) now lies in Papua Selatan.
    assert_eq!(reg.from_bps("94"), Some("91"));
    assert_eq!(reg.from_bps("91"), Some("92"));
    assert_eq!(reg.from_bps("9401"), Some("93.01"));
    assert_eq!(reg.from_bps("3604010").map(|k| k.len()), Some(8));
    assert!(reg.get("93").unwrap().kode_bps.is_none());
}

/// A list in both formats: a kelurahan, a desa, a desa adat (3xxx), names with a comma and a quote.
const LIST_CSV: &str = "kode,nama\n91,Papua\n91.03,Kabupaten Jayapura\n91.03.01,Sentani\n91.03.01.1001,Hinekombe\n91.03.01.2002,\"Yobeh, Lama\"\n91.03.01.3007,Desa Adat Yoboi\n36,Banten\n36.73,Kota Serang\n36.73.01,Serang\n36.73.01.1001,Cimuncang\n11,Aceh\n11.06,Kabupaten Aceh Besar\n11.06.01,Lhoong\n11.06.01.2001,Jum'at\n";

const LIST_SQL: &str = "-- Dump of wilayah\nSET NAMES utf8mb4;\nDROP TABLE IF EXISTS `wilayah`;\nCREATE TABLE `wilayah` (\n  `kode` varchar(13) NOT NULL,\n  `nama` varchar(100) DEFAULT NULL,\n  PRIMARY KEY (`kode`)\n) ENGINE=InnoDB;\n\nINSERT INTO `wilayah` (`kode`, `nama`) VALUES\n('11', 'Aceh'),\n('11.06', 'Kabupaten Aceh Besar'),\n('11.06.01', 'Lhoong'),\n('11.06.01.2001', 'Jum''at'),\n('36', 'Banten'),\n('36.73', 'Kota Serang');\nINSERT INTO `wilayah` (`kode`, `nama`) VALUES ('36.73.01', 'Serang'), ('36.73.01.1001', 'Cimuncang'),\n('91', 'Papua'), ('91.03', 'Kabupaten Jayapura'), ('91.03.01', 'Sentani'),\n('91.03.01.1001', 'Hinekombe'), ('91.03.01.2002', 'Yobeh, Lama'), ('91.03.01.3007', 'Desa Adat Yoboi');\n";

#[test]
fn a_sql_dump_gives_the_same_registry_as_its_csv_and_desa_adat_are_desa() {
    use lumbung::import::wilayah::convert;
    let (from_csv, rep_csv) = convert(Path::new("k.csv"), LIST_CSV, Levels::Desa).unwrap();
    let (from_sql, rep_sql) = convert(Path::new("k.sql"), LIST_SQL, Levels::Desa).unwrap();
    assert_eq!(from_sql, from_csv);
    assert_eq!(rep_sql.rows_read, 14);
    assert_eq!(rep_sql.counts, rep_csv.counts);
    assert!(from_sql.contains("\n91.03.01.3007,Desa Adat Yoboi,desa,91.03.01\n"));
    assert!(from_sql.contains("\n91.03.01.1001,Hinekombe,kelurahan,91.03.01\n"));
    assert!(from_sql.contains("\n11.06.01.2001,Jum'at,desa,11.06.01\n"));
    assert!(from_sql.contains("\"Yobeh, Lama\""));
    let reg = Registry::parse(Path::new("w.csv"), &from_sql).unwrap();
    assert_eq!(reg.get("91.03.01.3007").unwrap().jenis, Jenis::Desa);
    // --levels kelurahan is the same as desa.
    use clap::ValueEnum;
    assert_eq!(Levels::from_str("kelurahan", true), Ok(Levels::Desa));
}

#[test]
fn bad_sql_dumps_and_village_codes_say_where_and_what() {
    use lumbung::import::wilayah::convert;
    let broken = "INSERT INTO wilayah (kode, nama) VALUES\n('11', 'Aceh'),\n('11.01' 'Kabupaten Aceh Selatan');\n";
    let e = convert(Path::new("w.sql"), broken, Levels::Desa).unwrap_err();
    let d = e.errors().next().unwrap();
    assert_eq!(d.code, Code::WilayahRow);
    assert!(
        matches!(d.location, Location::Text { line: 3, col: 10 }),
        "{d}"
    );
    // A village code whose last part starts with neither 1, 2 nor 3, and a bad row in a dump.
    let odd = "INSERT INTO wilayah (kode, nama) VALUES ('36','Banten'), ('36.73','Kota Serang'),\n('36.73.01','Serang'), ('36.73.01.5001','X'), ('3673', 'Y');\n";
    let e = convert(Path::new("w.sql"), odd, Levels::Desa).unwrap_err();
    let all: Vec<_> = e.errors().collect();
    assert_eq!(all.len(), 2, "{e}");
    assert_eq!(all[0].code, Code::WilayahLevel);
    assert!(
        matches!(all[0].location, Location::Text { line: 2, col: 24 }),
        "{}",
        all[0]
    );
    assert!(all[0].message.contains("3 (desa adat)"), "{}", all[0]);
    assert_eq!(all[1].code, Code::WilayahRow);
    // A jenis the list spells its own way.
    let spelt = "kode,nama,jenis\n91,Papua,provinsi\n91.03,Kabupaten Jayapura,kabupaten\n91.03.01,Sentani,kecamatan\n91.03.01.3007,Desa Adat Yoboi,Desa Adat\n91.03.01.3010,X,dusun\n";
    let e = convert(Path::new("w.csv"), spelt, Levels::Desa).unwrap_err();
    let all: Vec<_> = e.errors().collect();
    assert_eq!(all.len(), 1, "{e}");
    assert!(
        matches!(&all[0].location, Location::Csv { row: 5, line: 6, field: Some(f) } if f == "jenis"),
        "{}",
        all[0]
    );
}
