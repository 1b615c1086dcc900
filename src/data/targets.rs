//! A dataset's targets file, `target.csv` beside its data: the value a plan, a regulation or an RPJMD sets for a measure, per region and year, with its source.
//!
//! ```text
//! kode_wilayah,tahun,kolom,nilai,sumber
//! 73.03,2019,p0,6,"Pemerintah Kabupaten Bantaeng, paparan kepada Pemerintah Kabupaten Brebes, Maret 2019"
//! ```
//!
//! A target is a year's goal, not a figure: it is drawn as a reference beside the figures and
//! never enters a total, a rank or a change. Two targets for the same region, year and column
//! are an error naming both lines (never settled by file order).

use std::collections::BTreeMap;
use std::path::Path;

use super::registry::Registry;
use super::sidecar;
use crate::diagnostic::{Code, Diagnostic};

/// The columns of `target.csv`, in order.
pub const COLUMNS: [&str; 5] = ["kode_wilayah", "tahun", "kolom", "nilai", "sumber"];

/// The file name, inside the dataset's folder.
pub const FILE: &str = "target.csv";

/// One target, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The region it is set for (a Kemendagri code, `00` for Indonesia).
    pub region: String,
    /// The year it is set for.
    pub year: i32,
    /// The measure field it is a target of (`p0`).
    pub field: String,
    /// The target value, in the measure's unit.
    pub value: f64,
    /// Where it is set: a plan, a regulation, an RPJMD (a title or a URL).
    pub source: String,
    /// The 1-based line in `target.csv`.
    pub line: usize,
}

/// What a row is checked against: the dataset's measure columns and the region registry.
pub struct Known<'a> {
    /// The names of the dataset's measure fields.
    pub measures: &'a [String],
    /// Every region code the site knows.
    pub registry: &'a Registry,
}

/// Reads `target.csv` when the folder has one; every bad row is reported.
pub fn read(
    folder: &Path,
    shown: &Path,
    known: &Known<'_>,
) -> Result<Vec<Target>, Vec<Diagnostic>> {
    match sidecar::read(folder, FILE, shown, Code::TargetBad, "target")? {
        Some(text) => parse(shown, &text, known),
        None => Ok(Vec::new()),
    }
}

/// Parses the text of a targets file; `shown` is its path for messages.
pub fn parse(shown: &Path, text: &str, known: &Known<'_>) -> Result<Vec<Target>, Vec<Diagnostic>> {
    let rows = sidecar::rows(shown, text, &COLUMNS, Code::TargetBad, "target")?;
    let mut out: Vec<Target> = Vec::new();
    let mut errors = Vec::new();
    let mut seen: BTreeMap<(String, i32, String), usize> = BTreeMap::new();
    for r in rows {
        let r = match r {
            Ok(r) => r,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        match target(&r.record, r.line, known) {
            Ok(t) => {
                let key = (t.region.clone(), t.year, t.field.clone());
                if let Some(first) = seen.get(&key) {
                    errors.push(r.error(
                        Code::TargetBad,
                        shown,
                        "tahun",
                        format!(
                            "dua target {} untuk {} tahun {} (baris {first} dan baris {})",
                            t.field, t.region, t.year, r.line
                        ),
                        "sisakan satu target per wilayah, tahun dan kolom; bila targetnya direvisi, tulis yang berlaku dan sebut revisinya di kolom sumber",
                    ));
                } else {
                    seen.insert(key, r.line);
                    out.push(t);
                }
            }
            Err((field, msg, hint)) => {
                errors.push(r.error(Code::TargetBad, shown, field, msg, hint))
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// One record as a target, or the field that is wrong, the message and the hint.
fn target(
    rec: &csv::StringRecord,
    line: usize,
    known: &Known<'_>,
) -> Result<Target, (&'static str, String, String)> {
    let get = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
    let region = get(0);
    if !known.registry.contains(&region) {
        return Err((
            "kode_wilayah",
            format!("kode wilayah \"{region}\" tidak ada di data/wilayah.csv"),
            "tulis kode wilayah Kemendagri (misalnya 73.03), 00 untuk Indonesia".into(),
        ));
    }
    let year_text = get(1);
    let year = year_text
        .parse::<i32>()
        .ok()
        .filter(|y| (1900..=2100).contains(y))
        .ok_or((
            "tahun",
            format!("\"{year_text}\" bukan tahun"),
            "tulis tahun target dengan empat angka, misalnya 2024".into(),
        ))?;
    let field = get(2);
    if !known.measures.contains(&field) {
        return Err((
            "kolom",
            format!("\"{field}\" bukan kolom angka dataset ini"),
            format!(
                "tulis nama kolom angka dari datapackage.json: {}",
                known.measures.join(", ")
            ),
        ));
    }
    let value_text = get(3);
    let value = value_text
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .ok_or((
            "nilai",
            format!("\"{value_text}\" bukan angka"),
            "tulis angka dengan titik sebagai tanda desimal dan tanpa pemisah ribuan, misalnya 6 atau 7.5".into(),
        ))?;
    let source = get(4);
    if source.is_empty() {
        return Err((
            "sumber",
            "target tanpa sumber".into(),
            "sebutkan dokumen yang menetapkan target ini: RPJMD, peraturan, rencana kerja atau paparan resmi (judul atau alamat web)".into(),
        ));
    }
    Ok(Target {
        region,
        year,
        field,
        value,
        source,
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        Registry::parse(
            Path::new("wilayah.csv"),
            "kode,nama,jenis,kode_induk\n00,Indonesia,nasional,\n73,Sulawesi Selatan,provinsi,00\n73.03,Kabupaten Bantaeng,kabupaten,73\n",
        )
        .unwrap()
    }

    #[test]
    fn reads_targets_and_reports_each_bad_row() {
        let reg = registry();
        let measures = vec!["p0".to_string()];
        let known = Known {
            measures: &measures,
            registry: &reg,
        };
        let ok = "kode_wilayah,tahun,kolom,nilai,sumber\n73.03,2019,p0,6,Paparan Bupati 2019\n";
        let t = parse(Path::new("target.csv"), ok, &known).unwrap();
        assert_eq!((t[0].year, t[0].value, t[0].line), (2019, 6.0, 2));
        let bad = "kode_wilayah,tahun,kolom,nilai,sumber\n\
                   99,2019,p0,6,x\n\
                   73.03,20,p0,6,x\n\
                   73.03,2019,p9,6,x\n\
                   73.03,2019,p0,6%,x\n\
                   73.03,2020,p0,6,\n\
                   73.03,2021,p0,6,a\n\
                   73.03,2021,p0,5,b\n";
        let e = parse(Path::new("target.csv"), bad, &known).unwrap_err();
        let fields: Vec<String> = e
            .iter()
            .map(|d| match &d.location {
                crate::diagnostic::Location::Csv { field, .. } => field.clone().unwrap_or_default(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(
            fields,
            ["kode_wilayah", "tahun", "kolom", "nilai", "sumber", "tahun"]
        );
        assert!(
            e[5].message.contains("baris 7 dan baris 8"),
            "{}",
            e[5].message
        );
        assert!(e.iter().all(|d| d.code == Code::TargetBad));
    }
}
