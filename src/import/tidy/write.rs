//! Rendering the merged values of `import tabel`: the tidy CSV and its `datapackage.json`, the same bytes for the same input.

use std::collections::BTreeSet;

use serde::Serialize;

use super::report::TabelReport;
use super::rows::Merged;
use super::table::{Column, Kind, Table, unit_of};
use super::{TabelSettings, Tidy};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::import::layout::{Daerah, Periode, format_value};
use crate::import::package::{Constraints, Dialect};

#[derive(Serialize)]
struct TidyPackage {
    name: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<String>,
    #[serde(rename = "lumbung:programs", skip_serializing_if = "Vec::is_empty")]
    programs: Vec<String>,
    sources: Vec<TidySource>,
    resources: Vec<TidyResource>,
}

#[derive(Serialize)]
struct TidySource {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
}

#[derive(Serialize)]
struct TidyResource {
    name: String,
    path: String,
    format: &'static str,
    mediatype: &'static str,
    encoding: &'static str,
    dialect: Dialect,
    schema: TidySchema,
}

#[derive(Serialize)]
struct TidySchema {
    fields: Vec<TidyField>,
    #[serde(rename = "missingValues")]
    missing_values: Vec<&'static str>,
    #[serde(rename = "primaryKey")]
    primary_key: Vec<String>,
}

#[derive(Serialize)]
struct TidyField {
    name: String,
    #[serde(rename = "type")]
    kind: &'static str,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    constraints: Option<Constraints>,
    #[serde(rename = "lumbung:role")]
    role: &'static str,
    #[serde(rename = "lumbung:unit", skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    #[serde(rename = "lumbung:decimals", skip_serializing_if = "Option::is_none")]
    decimals: Option<u8>,
    #[serde(rename = "lumbung:additive", skip_serializing_if = "Option::is_none")]
    additive: Option<Vec<String>>,
    #[serde(rename = "lumbung:default", skip_serializing_if = "Option::is_none")]
    default: Option<String>,
}

/// Turns a field name into a title: `jumlah_penerima_manfaat` → "Jumlah penerima manfaat".
fn title_of(name: &str) -> String {
    let words = name.replace('_', " ");
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Whether values in this unit add up over regions: counts and amounts do, rates and indices never.
pub(super) fn unit_adds_up(unit: &str) -> bool {
    let rate = ["persen", "indeks", "rasio", "rata", "per ", "/", "%"];
    !unit.is_empty() && !rate.iter().any(|r| unit.contains(r))
}

/// The columns of the output besides the region, the year and the measures (every file has
/// the first file's).
struct Shape<'t> {
    has_period: bool,
    has_daerah: bool,
    dims: Vec<&'t Column>,
}

impl<'t> Shape<'t> {
    fn of(t0: &'t Table) -> Self {
        Shape {
            has_period: t0.columns.iter().any(|c| c.kind == Kind::Period),
            has_daerah: t0.columns.iter().any(|c| c.kind == Kind::Daerah),
            dims: t0
                .columns
                .iter()
                .filter(|c| c.kind == Kind::Dimension)
                .collect(),
        }
    }
}

/// What the CSV holds, for the descriptor: the years, periods and daerah written.
struct Written {
    first: i32,
    last: i32,
    periods: BTreeSet<Periode>,
    daerahs: BTreeSet<Daerah>,
}

/// The descriptor's fields and primary key as they are built.
struct Fields {
    fields: Vec<TidyField>,
    primary_key: Vec<String>,
    /// The fields a measure adds up over, when its unit allows.
    additive_over: Vec<String>,
    /// The titles of the measures, for the dataset's title.
    measure_titles: Vec<String>,
}

/// The CSV and descriptor of the merged values; the same input always gives the same bytes.
pub(super) fn render(
    name: &str,
    tables: &[Table],
    merged: &Merged,
    settings: &TabelSettings,
    mut report: TabelReport,
) -> Result<Tidy, Diagnostics> {
    let shape = Shape::of(&tables[0]);
    let (csv, written) = write_csv(name, &shape, merged, &mut report)?;
    let mut fields = key_fields(&shape, &written, merged, &mut report);
    measure_fields(&mut fields, merged, &mut report);
    let datapackage = package(name, tables, settings, &report, &written, fields)?;
    Ok(Tidy {
        csv,
        datapackage,
        report,
    })
}

/// The tidy CSV: one row per key, the measures in the order first seen.
fn write_csv(
    name: &str,
    shape: &Shape<'_>,
    merged: &Merged,
    report: &mut TabelReport,
) -> Result<(String, Written), Diagnostics> {
    let mut header: Vec<String> = vec!["kode_wilayah".into(), "tahun".into()];
    if shape.has_period {
        header.push("periode".into());
    }
    if shape.has_daerah {
        header.push("daerah".into());
    }
    header.extend(shape.dims.iter().map(|d| d.name.clone()));
    header.extend(merged.measures.iter().cloned());
    let mut wtr = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let csv_err = |e: csv::Error| {
        Diagnostics::from(Diagnostic::error(
            Code::ImportOutput,
            name,
            format!("gagal menyusun CSV keluaran: {e}"),
        ))
    };
    wtr.write_record(&header).map_err(csv_err)?;
    let mut written = Written {
        first: i32::MAX,
        last: i32::MIN,
        periods: BTreeSet::new(),
        daerahs: BTreeSet::new(),
    };
    for (key, cells) in &merged.values {
        written.first = written.first.min(key.tahun);
        written.last = written.last.max(key.tahun);
        let mut row = vec![key.kode.clone(), key.tahun.to_string()];
        if shape.has_period {
            let p = key.periode.unwrap_or(Periode::Unstated);
            written.periods.insert(p);
            row.push(p.label().to_string());
        }
        if shape.has_daerah {
            let d = key.daerah.unwrap_or(Daerah::Total);
            written.daerahs.insert(d);
            row.push(d.label().to_string());
        }
        row.extend(key.dims.iter().cloned());
        for m in &merged.measures {
            row.push(
                cells
                    .get(m)
                    .map(|(v, _)| format_value(*v))
                    .unwrap_or_default(),
            );
        }
        wtr.write_record(&row).map_err(csv_err)?;
        report.rows_written += 1;
    }
    let csv = String::from_utf8(
        wtr.into_inner()
            .map_err(|e| csv_err(e.into_error().into()))?,
    )
    .unwrap_or_default();
    Ok((csv, written))
}

/// A required field without a unit or default.
fn field(name: &str, kind: &'static str, title: String, role: &'static str) -> TidyField {
    TidyField {
        name: name.to_string(),
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
        additive: None,
        default: None,
    }
}

/// The fields of the primary key: region, year, period, daerah and the other dimensions.
fn key_fields(
    shape: &Shape<'_>,
    written: &Written,
    merged: &Merged,
    report: &mut TabelReport,
) -> Fields {
    let mut out = Fields {
        fields: vec![
            field("kode_wilayah", "string", "Kode wilayah".into(), "region"),
            field("tahun", "year", "Tahun".into(), "time"),
        ],
        primary_key: vec!["kode_wilayah".to_string(), "tahun".to_string()],
        additive_over: vec!["kode_wilayah".to_string()],
        measure_titles: Vec::new(),
    };
    if shape.has_period {
        let mut f = field("periode", "string", "Periode".into(), "period");
        f.constraints = Some(Constraints {
            required: true,
            values: Some(written.periods.iter().map(|p| p.label()).collect()),
        });
        out.fields.push(f);
        out.primary_key.push("periode".into());
    }
    if shape.has_daerah {
        let mut d = field("daerah", "string", "Daerah".into(), "dimension");
        d.constraints = Some(Constraints {
            required: true,
            values: Some(written.daerahs.iter().map(|d| d.label()).collect()),
        });
        if written.daerahs.contains(&Daerah::Total) {
            d.default = Some(Daerah::Total.label().to_string());
            out.additive_over.push("daerah".into());
        } else {
            report.notes.push("kategori daerah tanpa baris PERKOTAAN+PERDESAAN (Jumlah): angkanya tampil di halaman dataset, tetapi tidak menjadi indikator (jumlahnya tidak dihitung sendiri)".into());
        }
        out.fields.push(d);
        out.primary_key.push("daerah".into());
    }
    for d in &shape.dims {
        out.fields
            .push(field(&d.name, "string", title_of(&d.name), "dimension"));
        out.primary_key.push(d.name.clone());
        let n = merged.dim_values.get(&d.name).map_or(0, BTreeSet::len);
        report.notes.push(format!(
            "kolom {} dibaca sebagai dimensi ({n} nilai); tambahkan \"lumbung:default\" (nilai yang berarti jumlah seluruhnya) di datapackage.json agar angkanya menjadi indikator",
            d.header.trim()
        ));
    }
    out
}

/// A field per measure: its unit as written (never scaled), its decimals, and whether it adds up.
fn measure_fields(out: &mut Fields, merged: &Merged, report: &mut TabelReport) {
    for m in &merged.measures {
        let unit = merged
            .units
            .get(m)
            .map(|(u, _)| unit_of(u))
            .unwrap_or_default();
        let title = title_of(m);
        out.measure_titles.push(title.clone());
        let from: Vec<String> = merged
            .headers_of
            .get(m)
            .map(|h| h.iter().map(|s| format!("\"{s}\"")).collect())
            .unwrap_or_default();
        let mut f = field(m, "number", title, "measure");
        f.constraints = None;
        f.description = Some(format!("Dari kolom {}", from.join(", ")));
        f.decimals = Some(merged.decimals.get(m).copied().unwrap_or(0));
        if let Some((raw, _)) = merged.units.get(m) {
            f.unit = Some(unit.clone());
            let scaled = ["ribu", "juta", "miliar", "milyar", "triliun"];
            if scaled
                .iter()
                .any(|s| unit.split_whitespace().any(|w| w == *s))
            {
                report.notes.push(format!(
                    "satuan \"{}\" ditulis apa adanya sebagai satuan {m}; nilainya tidak dikalikan",
                    raw.trim()
                ));
            }
            if unit_adds_up(&unit) {
                f.additive = Some(out.additive_over.clone());
                report.notes.push(format!(
                    "{m} ({unit}) dianggap dapat dijumlahkan antarwilayah{} (lumbung:additive); hapus kunci itu di datapackage.json bila tidak",
                    if out.additive_over.len() > 1 { " dan antardaerah" } else { "" }
                ));
            }
        } else {
            report.notes.push(format!(
                "{m} tanpa kolom satuan: tambahkan \"lumbung:unit\" di datapackage.json"
            ));
        }
        out.fields.push(f);
    }
}

/// The `datapackage.json`: title and description from the measures, levels and years, the
/// source credited, and the schema.
fn package(
    name: &str,
    tables: &[Table],
    settings: &TabelSettings,
    report: &TabelReport,
    written: &Written,
    fields: Fields,
) -> Result<String, Diagnostics> {
    let level_names: Vec<&str> = {
        let mut l = Vec::new();
        for (i, what) in [
            (1, "provinsi"),
            (2, "kabupaten/kota"),
            (3, "kecamatan"),
            (4, "desa/kelurahan"),
        ] {
            if report.regions[i] > 0 {
                l.push(what);
            }
        }
        l
    };
    let (first, last) = (written.first, written.last);
    let years = if first == last {
        format!("{first}")
    } else {
        format!("{first}–{last}")
    };
    let measure_titles = &fields.measure_titles;
    let title = settings.title.clone().unwrap_or_else(|| {
        format!(
            "{} menurut {}, {years}",
            measure_titles.join("; "),
            level_names.join(" dan ")
        )
    });
    let files: Vec<String> = tables
        .iter()
        .map(|t| {
            t.shown
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    let pkg = TidyPackage {
        name: name.to_string(),
        title,
        description: format!(
            "{} menurut {}, {years}. Sumber: {}. Diimpor dengan `lumbung import tabel` dari {}; kode wilayah BPS diganti kode Kemendagri.",
            measure_titles.join("; "),
            level_names.join(" dan "),
            settings.source.trim(),
            files.join(", ")
        ),
        keywords: settings.programs.clone(),
        programs: settings.programs.clone(),
        sources: vec![TidySource {
            title: settings.source.trim().to_string(),
            path: settings.source_url.clone(),
        }],
        resources: vec![TidyResource {
            name: name.to_string(),
            path: format!("{name}.csv"),
            format: "csv",
            mediatype: "text/csv",
            encoding: "utf-8",
            dialect: Dialect::CSV,
            schema: TidySchema {
                fields: fields.fields,
                missing_values: vec![""],
                primary_key: fields.primary_key,
            },
        }],
    };
    let mut datapackage = serde_json::to_string_pretty(&pkg).map_err(|e| {
        Diagnostics::from(Diagnostic::error(
            Code::ImportOutput,
            name,
            format!("tidak bisa menyusun datapackage.json: {e}"),
        ))
    })?;
    datapackage.push('\n');
    Ok(datapackage)
}
