//! Writing the imported dataset: the tidy CSV and its Data Package descriptor, atomically, inside the output folder only.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::import::Converted;
use crate::import::layout::{Daerah, Measure, Periode, format_value};

/// The rendered dataset, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    /// Folder name, also the package, resource and CSV name.
    pub name: String,
    /// The tidy CSV.
    pub csv: String,
    /// The `datapackage.json` describing it.
    pub datapackage: String,
}

#[derive(Serialize)]
struct Package<'a> {
    name: &'a str,
    title: String,
    description: String,
    sources: Vec<Link>,
    keywords: Vec<&'static str>,
    /// Where tables disagreed, which sources were declared to win.
    #[serde(rename = "lumbung:precedence", skip_serializing_if = "Vec::is_empty")]
    precedence: Vec<String>,
    resources: Vec<Resource<'a>>,
}

#[derive(Serialize)]
struct Link {
    title: &'static str,
    path: &'static str,
}

#[derive(Serialize)]
struct Resource<'a> {
    name: &'a str,
    path: String,
    format: &'static str,
    mediatype: &'static str,
    encoding: &'static str,
    dialect: Dialect,
    schema: Schema,
}

/// The dialect of every CSV an import writes: comma-separated with one header line.
#[derive(Serialize)]
pub(super) struct Dialect {
    delimiter: &'static str,
    header: bool,
    #[serde(rename = "headerRowCount")]
    header_row_count: u8,
}

impl Dialect {
    pub(super) const CSV: Dialect = Dialect {
        delimiter: ",",
        header: true,
        header_row_count: 1,
    };
}

#[derive(Serialize)]
struct Schema {
    fields: Vec<Field>,
    #[serde(rename = "missingValues")]
    missing_values: Vec<&'static str>,
    #[serde(rename = "primaryKey")]
    primary_key: Vec<&'static str>,
}

#[derive(Serialize)]
struct Field {
    name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    constraints: Option<Constraints>,
    #[serde(rename = "lumbung:role")]
    role: &'static str,
    #[serde(rename = "lumbung:unit", skip_serializing_if = "Option::is_none")]
    unit: Option<&'static str>,
    #[serde(rename = "lumbung:decimals", skip_serializing_if = "Option::is_none")]
    decimals: Option<u8>,
    #[serde(
        rename = "lumbung:lowerIsBetter",
        skip_serializing_if = "Option::is_none"
    )]
    lower_is_better: Option<bool>,
    #[serde(rename = "lumbung:indicator", skip_serializing_if = "Option::is_none")]
    indicator: Option<&'static str>,
    #[serde(rename = "lumbung:default", skip_serializing_if = "Option::is_none")]
    default: Option<&'static str>,
}

/// A field's constraints: required, and the values it may take.
#[derive(Serialize)]
pub(super) struct Constraints {
    pub(super) required: bool,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub(super) values: Option<Vec<&'static str>>,
}

fn plain(name: &'static str, kind: &'static str, title: &'static str, role: &'static str) -> Field {
    Field {
        name,
        kind,
        title,
        description: None,
        constraints: Some(Constraints {
            required: true,
            values: None,
        }),
        role,
        unit: None,
        decimals: None,
        lower_is_better: None,
        indicator: None,
        default: None,
    }
}

/// The dataset name: the output folder's last component.
pub fn dataset_name(out: &Path) -> Result<String, Diagnostics> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty() && n != "." && n != "..");
    match name {
        Some(n)
            if n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            Ok(n)
        }
        Some(n) => Err(Diagnostic::error(
            Code::ImportOutput,
            out,
            format!("nama folder keluaran \"{n}\" tidak bisa dipakai sebagai nama dataset"),
        )
        .hint("pakai huruf kecil, angka dan tanda hubung, misalnya data/kemiskinan-bps")
        .into()),
        None => Err(
            Diagnostic::error(Code::ImportOutput, out, "folder keluaran harus punya nama")
                .hint("misalnya --out data/kemiskinan-bps")
                .into(),
        ),
    }
}

/// Renders the CSV and the descriptor; the same input always gives the same bytes.
pub fn render(out: &Path, conv: &Converted) -> Result<Dataset, Diagnostics> {
    let name = dataset_name(out)?;
    let (csv, written) = tidy_csv(conv);
    let (fields, primary_key) = fields(conv, &written);
    let (title, description) = describe(conv, &written);
    let pkg = Package {
        name: &name,
        title,
        description,
        sources: vec![Link {
            title: "Sumber: Badan Pusat Statistik",
            path: "https://www.bps.go.id/",
        }],
        keywords: vec!["kemiskinan", "bps"],
        precedence: conv.prefer.clone(),
        resources: vec![Resource {
            name: &name,
            path: format!("{name}.csv"),
            format: "csv",
            mediatype: "text/csv",
            encoding: "utf-8",
            dialect: Dialect::CSV,
            schema: Schema {
                fields,
                missing_values: vec![""],
                primary_key,
            },
        }],
    };
    let mut datapackage = serde_json::to_string_pretty(&pkg).map_err(|e| {
        Diagnostics::from(Diagnostic::error(
            Code::ImportOutput,
            out,
            format!("tidak bisa menyusun datapackage.json: {e}"),
        ))
    })?;
    datapackage.push('\n');
    Ok(Dataset {
        name,
        csv,
        datapackage,
    })
}

/// What the CSV holds, for the descriptor: the periods, daerah and years written.
struct Written {
    periods: BTreeSet<Periode>,
    daerahs: BTreeSet<Daerah>,
    first: i32,
    last: i32,
}

/// The tidy CSV: one row per key, the measures in their fixed order.
fn tidy_csv(conv: &Converted) -> (String, Written) {
    let mut csv = String::new();
    let mut header = vec!["kode_wilayah", "tahun", "periode"];
    if conv.has_daerah {
        header.push("daerah");
    }
    header.extend(conv.measures.iter().map(|m| m.field()));
    csv.push_str(&header.join(","));
    csv.push('\n');
    let mut written = Written {
        periods: BTreeSet::new(),
        daerahs: BTreeSet::new(),
        first: i32::MAX,
        last: i32::MIN,
    };
    for (key, values) in &conv.merged {
        written.periods.insert(key.periode);
        written.daerahs.insert(key.daerah);
        written.first = written.first.min(key.tahun);
        written.last = written.last.max(key.tahun);
        let mut cells = vec![
            key.kode.clone(),
            key.tahun.to_string(),
            key.periode.label().to_string(),
        ];
        if conv.has_daerah {
            cells.push(key.daerah.label().to_string());
        }
        for m in &conv.measures {
            cells.push(values.get(m).map(|v| format_value(v.v)).unwrap_or_default());
        }
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    (csv, written)
}

/// The descriptor's fields and primary key: region, year, period, daerah and one field per measure.
fn fields(conv: &Converted, written: &Written) -> (Vec<Field>, Vec<&'static str>) {
    let mut fields = vec![
        plain("kode_wilayah", "string", "Kode wilayah", "region"),
        plain("tahun", "year", "Tahun", "time"),
    ];
    let mut periode = plain("periode", "string", "Periode", "period");
    if let Some(c) = periode.constraints.as_mut() {
        c.values = Some(written.periods.iter().map(|p| p.label()).collect());
    }
    fields.push(periode);
    let mut primary_key = vec!["kode_wilayah", "tahun", "periode"];
    if conv.has_daerah {
        let mut d = plain("daerah", "string", "Daerah", "dimension");
        d.default = Some(Daerah::Total.label());
        if let Some(c) = d.constraints.as_mut() {
            c.values = Some(written.daerahs.iter().map(|d| d.label()).collect());
        }
        fields.push(d);
        primary_key.push("daerah");
    }
    for m in &conv.measures {
        fields.push(measure_field(conv, *m));
    }
    (fields, primary_key)
}

/// A measure's field, described by the BPS column headers it was read from (years left out).
fn measure_field(conv: &Converted, m: Measure) -> Field {
    let detected: Vec<String> = conv
        .headers
        .get(&m)
        .map(|h| h.iter().map(|s| strip_years(s)).collect::<BTreeSet<_>>())
        .unwrap_or_default()
        .into_iter()
        .collect();
    Field {
        name: m.field(),
        kind: "number",
        title: m.title(),
        description: Some(format!(
            "Dari kolom tabel BPS: {}",
            detected
                .iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        constraints: None,
        role: "measure",
        unit: Some(m.unit()),
        decimals: Some(m.decimals()),
        lower_is_better: m.lower_is_better(),
        indicator: Some(m.indicator()),
        default: None,
    }
}

/// The dataset's title and description: levels, years, measures and the files read.
fn describe(conv: &Converted, written: &Written) -> (String, String) {
    let level = match conv.report.regions {
        (_, _, 0) => "provinsi",
        (_, 0, _) => "kabupaten/kota",
        _ => "provinsi dan kabupaten/kota",
    };
    let (first, last) = (written.first, written.last);
    let years = if conv.merged.is_empty() {
        String::new()
    } else if first == last {
        format!(", {first}")
    } else {
        format!(", {first}–{last}")
    };
    let measure_titles: Vec<&str> = conv.measures.iter().map(|m| m.title()).collect();
    let names: Vec<String> = conv
        .sources
        .iter()
        .map(|s| {
            s.shown
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    let files = summarize_files(&names);
    (
        format!("Kemiskinan menurut {level}{years}"),
        format!(
            "{} menurut {level}. Diimpor dengan `lumbung import bps` dari {} berkas ekspor tabel BPS: {}.",
            measure_titles.join("; "),
            names.len(),
            files.join("; ")
        ),
    )
}

/// File names with their years folded: `"P0, 2004.csv"` … `"P0, 2025.csv"` → `"P0, 2004–2025.csv"`.
fn summarize_files(names: &[String]) -> Vec<String> {
    let mut groups: Vec<(String, Vec<i32>)> = Vec::new();
    for n in names {
        let years = crate::import::layout::years_in(n);
        let (pattern, year) = match years.last() {
            Some(y) => (n.replacen(&y.to_string(), "{}", 1), Some(*y)),
            None => (n.clone(), None),
        };
        match groups.iter_mut().find(|g| g.0 == pattern) {
            Some(g) => g.1.extend(year),
            None => groups.push((pattern, year.into_iter().collect())),
        }
    }
    groups
        .into_iter()
        .map(|(p, ys)| {
            let (a, b) = (ys.iter().min(), ys.iter().max());
            match (a, b) {
                (Some(a), Some(b)) if a != b => p.replacen("{}", &format!("{a}–{b}"), 1),
                (Some(a), _) => p.replacen("{}", &a.to_string(), 1),
                _ => p,
            }
        })
        .collect()
}

/// A column header without its year, for the field description.
fn strip_years(h: &str) -> String {
    let words: Vec<&str> = h
        .split_whitespace()
        .filter(|w| crate::import::layout::years_in(w).is_empty() || w.len() != 4)
        .collect();
    words.join(" ")
}

/// Writes `<out>/<name>.csv` and `<out>/datapackage.json`, each through a temporary file in
/// `out` renamed into place. Creates `out` if needed; writes nothing anywhere else.
pub fn write(out: &Path, ds: &Dataset) -> Result<Vec<PathBuf>, Diagnostics> {
    if let Err(e) = std::fs::create_dir_all(out) {
        return Err(Diagnostic::error(
            Code::ImportOutput,
            out,
            format!("tidak bisa membuat folder keluaran: {e}"),
        )
        .into());
    }
    let mut written = Vec::new();
    for (file, text) in [
        (format!("{}.csv", ds.name), &ds.csv),
        ("datapackage.json".to_string(), &ds.datapackage),
    ] {
        let target = out.join(&file);
        write_atomic(&target, text.as_bytes())?;
        written.push(target);
    }
    Ok(written)
}

/// Writes `bytes` to `target` through `.<name>.tmp` beside it, then renames.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), Diagnostics> {
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fname = target
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{fname}.tmp"));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, target)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Diagnostics::from(Diagnostic::error(
            Code::ImportOutput,
            target,
            format!("tidak bisa menulis berkas: {e}"),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dataset_names() {
        assert_eq!(
            dataset_name(Path::new("data/kemiskinan-bps")).unwrap(),
            "kemiskinan-bps"
        );
        assert!(dataset_name(Path::new("data/..")).is_err());
        assert!(dataset_name(Path::new("data/ada spasi")).is_err());
        assert_eq!(
            strip_years("Persentase (Persen) 2024"),
            "Persentase (Persen)"
        );
        let names = [
            "P0, 2005.csv".to_string(),
            "P0, 2004.csv".into(),
            "Jumlah.csv".into(),
        ];
        assert_eq!(
            summarize_files(&names),
            vec!["P0, 2004–2005.csv", "Jumlah.csv"]
        );
    }

    #[test]
    fn atomic_write_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("a.csv");
        write_atomic(&t, b"x\n").unwrap();
        write_atomic(&t, b"y\n").unwrap();
        assert_eq!(std::fs::read_to_string(&t).unwrap(), "y\n");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }
}
