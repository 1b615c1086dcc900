//! `lumbung import tabel`: tidy open-data exports (one row per region and year, BPS or Kemendagri codes, a `satuan` column) into a validated dataset.
//!
//! The shape of Open Data Jabar and the Satu Data portals:
//!
//! ```text
//! id,kode_provinsi,nama_provinsi,kode_kabupaten_kota,nama_kabupaten_kota,jumlah_penerima_manfaat,satuan,tahun
//! 1,32,JAWA BARAT,3201,KABUPATEN BOGOR,115067,KELUARGA PENERIMA MANFAAT,2017
//! ```
//!
//! Columns are recognised by name: `kode_*`/`nama_*` per level (the deepest filled one is the
//! row's region), `tahun`, `periode_bulan`, `kategori_daerah`, `satuan`, row numbers (`id`,
//! `no`) ignored; every other column with numbers is a measure and any other text a dimension.
//! A code and a name on one row must name the same region; two rows (in one file or in two)
//! giving different values for one cell stop the import, whatever the order of the files.
//!
//! The steps, one module each: `table.rs` reads a file and recognises its columns,
//! `regions.rs` resolves a row's region, `rows.rs` reads every row's key and values and merges
//! the files, `write.rs` renders the CSV and its descriptor, `report.rs` is the closing report.

mod regions;
mod report;
mod rows;
mod table;
mod write;

use std::path::{Path, PathBuf};

use crate::data::registry::Registry;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::import::aliases::Aliases;
use crate::import::names::Matcher;
use crate::import::package::dataset_name;

pub use report::{TabelFile, TabelReport};

/// What the publisher declares on the command line.
#[derive(Debug, Clone, Default)]
pub struct TabelSettings {
    /// Who published the figures (`--sumber`), required: every figure is credited.
    pub source: String,
    /// The source's address (`--tautan`), if any.
    pub source_url: Option<String>,
    /// The dataset title (`--judul`); derived from the columns when absent.
    pub title: Option<String>,
    /// Programmes the figures belong to (`--program pkh`): slugs of `content/program/*.md`.
    pub programs: Vec<String>,
    /// `--nol-kosong`: the export writes 0 for a missing value, so a zero is written as missing.
    pub zero_is_missing: bool,
}

/// The converted dataset, before writing.
#[derive(Debug)]
pub struct Tidy {
    /// The tidy CSV.
    pub csv: String,
    /// Its `datapackage.json`.
    pub datapackage: String,
    /// The report (outputs not yet filled).
    pub report: TabelReport,
}

/// Resolves the region of every row and merges the files: the conversion, without writing.
pub fn convert(
    reg: &Registry,
    aliases: &Aliases,
    out: &Path,
    inputs: &[(PathBuf, String)],
    settings: &TabelSettings,
) -> Result<Tidy, Diagnostics> {
    let name = dataset_name(out)?;
    let tables = table::read_all(inputs, check_source(out, settings))?;
    let matcher = Matcher::new(reg, aliases);
    let mut merger = rows::Merger::new(reg, &matcher, &tables, settings);
    for (fi, t) in tables.iter().enumerate() {
        merger.add_table(fi, t);
    }
    let (merged, report) = merger.finish()?;
    write::render(&name, &tables, &merged, settings, report)
}

/// Every figure is credited: `--sumber` is required.
fn check_source(out: &Path, settings: &TabelSettings) -> Diagnostics {
    let mut errors = Diagnostics::default();
    if settings.source.trim().is_empty() {
        errors.push(
            Diagnostic::error(Code::TabelInput, out, "sumber data belum disebut")
                .hint("tambahkan --sumber \"nama penerbit data\" (misalnya --sumber \"Open Data Jawa Barat\"); setiap angka harus menyebut sumbernya"),
        );
    }
    errors
}

/// `import tabel` end to end: reads the registry and the files, converts, writes `<out>/<name>.csv`
/// and `<out>/datapackage.json`. Returns the report, or every error (and writes nothing).
pub fn import_tabel(
    registry: &Path,
    out: &Path,
    alias_file: Option<&Path>,
    files: &[PathBuf],
    settings: &TabelSettings,
) -> Result<TabelReport, Diagnostics> {
    let (reg, aliases, inputs) = crate::import::read_inputs(registry, alias_file, files)?;
    let tidy = convert(&reg, &aliases, out, &inputs, settings)?;
    let dataset = crate::import::package::Dataset {
        name: dataset_name(out)?,
        csv: tidy.csv,
        datapackage: tidy.datapackage,
    };
    let mut report = tidy.report;
    report.outputs = crate::import::package::write(out, &dataset)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::table::{Kind, kind_of_header, normal_header, parse_value, unit_of};
    use super::write::unit_adds_up;
    use super::*;
    const REG: &str = "kode,nama,jenis,kode_induk,kode_bps\n32,Jawa Barat,provinsi,,32\n32.01,Kabupaten Bogor,kabupaten,32,3201\n32.73,Kota Bandung,kota,32,3273\n36,Banten,provinsi,,36\n36.04,Kabupaten Serang,kabupaten,36,3604\n";

    fn run(files: &[(&str, &str)], settings: &TabelSettings) -> Result<Tidy, Diagnostics> {
        let reg = Registry::parse(Path::new("w.csv"), REG).unwrap();
        let aliases = Aliases::builtin(&reg);
        let inputs: Vec<(PathBuf, String)> = files
            .iter()
            .map(|(n, t)| (PathBuf::from(n), t.to_string()))
            .collect();
        convert(&reg, &aliases, Path::new("data/pkh"), &inputs, settings)
    }

    fn sumber() -> TabelSettings {
        TabelSettings {
            source: "Open Data Jabar".into(),
            ..TabelSettings::default()
        }
    }

    #[test]
    fn headers_are_recognised() {
        assert_eq!(
            kind_of_header("kode_kabupaten_kota"),
            Some(Kind::Code(Some(2)))
        );
        assert_eq!(
            kind_of_header(&normal_header("Nama Provinsi")),
            Some(Kind::Name(Some(1)))
        );
        assert_eq!(
            kind_of_header("bps_kode_desa_kelurahan"),
            Some(Kind::Code(Some(4)))
        );
        assert_eq!(kind_of_header("id"), Some(Kind::RowNumber));
        assert_eq!(kind_of_header("periode_bulan"), Some(Kind::Period));
        assert_eq!(kind_of_header("jumlah_penerima_manfaat"), None);
        assert_eq!(parse_value("0.0"), Ok(Some(0.0)));
        assert!(parse_value("1,5").is_err());
        assert!(parse_value("1.234.567").is_err());
        assert!(parse_value("inf").is_err());
        assert_eq!(parse_value("-"), Ok(None));
        assert_eq!(unit_of("JUTA  JIWA"), "juta jiwa");
        assert!(unit_adds_up("keluarga penerima manfaat"));
        assert!(!unit_adds_up("persen"));
        assert!(!unit_adds_up("rupiah/kapita/bulan"));
    }

    #[test]
    fn an_open_data_jabar_export_becomes_a_dataset() {
        let t = "id,kode_provinsi,nama_provinsi,kode_kabupaten_kota,nama_kabupaten_kota,jumlah_penerima_manfaat,satuan,tahun\n1,32,JAWA BARAT,3201,KABUPATEN BOGOR,115067,KELUARGA PENERIMA MANFAAT,2017\n2,32,JAWA BARAT,3273,KOTA BANDUNG,0.0,KELUARGA PENERIMA MANFAAT,2017\n";
        let tidy = run(&[("pkh.csv", t)], &sumber()).unwrap();
        assert_eq!(
            tidy.csv,
            "kode_wilayah,tahun,jumlah_penerima_manfaat\n32.01,2017,115067\n32.73,2017,0\n"
        );
        let pkg: serde_json::Value = serde_json::from_str(&tidy.datapackage).unwrap();
        let f = &pkg["resources"][0]["schema"]["fields"][2];
        assert_eq!(f["lumbung:unit"], "keluarga penerima manfaat");
        assert_eq!(f["lumbung:additive"], serde_json::json!(["kode_wilayah"]));
        assert_eq!(pkg["sources"][0]["title"], "Open Data Jabar");
        let r = &tidy.report;
        assert_eq!((r.via_bps, r.names_checked), (2, 2));
        assert_eq!(r.files[0].ignored, vec!["id (nomor baris)"]);
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(r.warnings[0].code, Code::TabelZero);
        // With --nol-kosong the zero is written as missing, and still reported.
        let s = TabelSettings {
            zero_is_missing: true,
            ..sumber()
        };
        let tidy = run(&[("pkh.csv", t)], &s).unwrap();
        assert_eq!(
            tidy.csv,
            "kode_wilayah,tahun,jumlah_penerima_manfaat\n32.01,2017,115067\n"
        );
        assert_eq!(tidy.report.warnings.len(), 1);
    }

    #[test]
    fn a_code_and_a_name_that_disagree_stop_the_import() {
        let t = "kode_kabupaten_kota,nama_kabupaten_kota,tahun,nilai,satuan\n3201,KOTA BANDUNG,2020,5,JIWA\n";
        let e = run(&[("a.csv", t)], &sumber()).unwrap_err();
        assert_eq!(e.0[0].code, Code::TabelRegion, "{e}");
        assert!(e.to_string().contains("a.csv:2"), "{e}");
    }

    #[test]
    fn files_that_disagree_stop_the_import_in_either_order() {
        let a = "kode_kabupaten_kota,tahun,nilai\n3201,2020,5\n";
        let b = "kode_kabupaten_kota,tahun,nilai\n3201,2020,6\n";
        for files in [[("a.csv", a), ("b.csv", b)], [("b.csv", b), ("a.csv", a)]] {
            let e = run(&files, &sumber()).unwrap_err();
            assert_eq!(e.0.len(), 1, "{e}");
            assert_eq!(e.0[0].code, Code::TabelConflict);
        }
        // The same value in two files is an overlap, not a conflict.
        assert!(run(&[("a.csv", a), ("c.csv", a)], &sumber()).is_ok());
    }

    #[test]
    fn units_are_never_mixed_or_multiplied() {
        let t = "kode_provinsi,tahun,jumlah_penduduk_miskin,satuan\n32,2020,4.19,JUTA JIWA\n36,2020,775.99,RIBU JIWA\n";
        let e = run(&[("a.csv", t)], &sumber()).unwrap_err();
        assert_eq!(e.0[0].code, Code::TabelUnit, "{e}");
        let t = "kode_provinsi,tahun,jumlah_penduduk_miskin,satuan\n32,2020,4.19,JUTA JIWA\n";
        let tidy = run(&[("a.csv", t)], &sumber()).unwrap();
        assert!(tidy.csv.ends_with("32,2020,4.19\n"), "{}", tidy.csv);
        assert!(tidy.datapackage.contains("\"lumbung:unit\": \"juta jiwa\""));
        assert!(
            tidy.report
                .notes
                .iter()
                .any(|n| n.contains("tidak dikalikan"))
        );
    }

    #[test]
    fn period_and_daerah_become_dimensions() {
        let t = "kode_provinsi,nama_provinsi,tahun,periode_bulan,kategori_daerah,persentase_penduduk_miskin,satuan\n36,BANTEN,2023,MARET,PERKOTAAN,5.1,PERSEN\n36,BANTEN,2023,MARET,PERDESAAN,7.9,PERSEN\n36,BANTEN,2023,MARET,PERKOTAAN+PERDESAAN,6.17,PERSEN\n36,BANTEN,2023,SEPTEMBER,PERKOTAAN+PERDESAAN,6.0,PERSEN\n";
        let tidy = run(&[("a.csv", t)], &sumber()).unwrap();
        assert!(tidy.csv.starts_with("kode_wilayah,tahun,periode,daerah,persentase_penduduk_miskin\n36,2023,Maret,Perkotaan,5.1\n36,2023,Maret,Perdesaan,7.9\n36,2023,Maret,Jumlah,6.17\n36,2023,September,Jumlah,6\n"), "{}", tidy.csv);
        assert!(tidy.datapackage.contains("\"lumbung:default\": \"Jumlah\""));
        assert!(!tidy.datapackage.contains("lumbung:additive"));
        let bad = t.replace("SEPTEMBER", "JUNI");
        let e = run(&[("a.csv", &bad)], &sumber()).unwrap_err();
        assert_eq!(e.0[0].code, Code::TabelValue);
    }

    #[test]
    fn a_source_is_required() {
        let t = "kode_provinsi,tahun,nilai\n32,2020,5\n";
        let e = run(&[("a.csv", t)], &TabelSettings::default()).unwrap_err();
        assert_eq!(e.0[0].code, Code::TabelInput);
    }
}
