//! A dataset: a `datapackage.json` and its CSV, read in named steps (descriptor → schema → rows) and validated.

use std::path::{Path, PathBuf};

use super::checks::{self, CellNote};
use super::corrections;
use super::descriptor::Package;
use super::registry::Registry;
use super::schema::{self, Locator, Schema};
use crate::calendar::Date;
use crate::diagnostic::{Code, Diagnostic, display_path};
use crate::slug::slugify;

pub use super::cells::{Cell, format_plain};
pub use super::rows::Row;
pub use super::schema::{FieldInfo, FieldType, Role};

/// A loaded, validated dataset.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The URL slug: the package `name` slugified, or the folder name when it has none.
    pub slug: String,
    /// The `datapackage.json` path as the user should see it.
    pub descriptor_file: PathBuf,
    /// The CSV path as the user should see it.
    pub csv_file: PathBuf,
    /// The CSV's file name, used for the download.
    pub csv_name: String,
    /// The package title, or the folder name when it has none.
    pub title: String,
    /// The package description; empty when it has none.
    pub description: String,
    /// The descriptor as read (republished with the cleaned CSV).
    pub package: Package,
    /// The `lumbung:updated` date; `None` when absent or not a date.
    pub updated: Option<Date>,
    /// The package's `created` date; `None` when absent or not a date.
    pub created: Option<Date>,
    /// The columns, in CSV order.
    pub fields: Vec<FieldInfo>,
    /// The data rows, in file order.
    pub rows: Vec<Row>,
    /// Indices into `fields` of the primary key; empty when none is declared.
    pub primary_key: Vec<usize>,
    /// Index into `fields` of the region column, if any.
    pub region: Option<usize>,
    /// Index into `fields` of the time column, if any.
    pub time: Option<usize>,
    /// Index into `fields` of the period column (Maret, September, …), if any.
    pub period: Option<usize>,
    /// The original CSV bytes, offered as they were published.
    pub original: Vec<u8>,
    /// Cells that were corrected, confirmed or held back, in row order.
    pub notes: Vec<CellNote>,
    /// Held-back values and other warnings found while loading.
    pub warnings: Vec<Diagnostic>,
    /// The programmes it names (`lumbung:programs`), each with the error to report, placed at
    /// the name in the descriptor, should the programme have no page.
    pub programs: Vec<(String, Diagnostic)>,
    /// Why its figures are illustrative (`lumbung:illustrative`), when they are.
    pub illustrative: Option<String>,
    /// Its folder (`data/kemiskinan-bps`).
    pub folder: PathBuf,
    /// Its released versions, kept in `rilis/`, oldest first.
    pub releases: Vec<super::releases::Release>,
    /// The targets its `target.csv` sets for its measures, in file order.
    pub targets: Vec<super::targets::Target>,
    /// Region code → its rows, in file order (built once, so that a region's downloads and
    /// notes never scan every row).
    pub region_rows: std::collections::HashMap<String, Vec<usize>>,
}

impl Dataset {
    /// The indices of the rows about `code`, in file order.
    pub fn rows_of(&self, code: &str) -> &[usize] {
        self.region_rows.get(code).map_or(&[], Vec::as_slice)
    }

    /// The index of the field called `name`, if there is one.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// The measure fields, with their indices.
    pub fn measures(&self) -> impl Iterator<Item = (usize, &FieldInfo)> {
        self.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.role == Role::Measure)
    }

    /// The dimension fields, with their indices.
    pub fn dimensions(&self) -> impl Iterator<Item = (usize, &FieldInfo)> {
        self.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.role == Role::Dimension)
    }

    /// The sources' titles as a credit line, without a leading "Sumber:" label ("Badan Pusat Statistik").
    pub fn credit_line(&self) -> String {
        self.package
            .sources
            .iter()
            .filter_map(|s| s.title.as_deref())
            .map(|t| t.strip_prefix("Sumber: ").unwrap_or(t))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The note on the cell of row `row` and field `field`, if any (notes are in row order).
    pub(crate) fn note(&self, row: usize, field: usize) -> Option<&CellNote> {
        self.notes
            .binary_search_by_key(&(row, field), |n| (n.row, n.field))
            .ok()
            .map(|i| &self.notes[i])
    }

    /// The sources' titles as written, joined.
    pub fn source_line(&self) -> String {
        self.package
            .sources
            .iter()
            .filter_map(|s| s.title.clone())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Loads `data/<folder>/datapackage.json` and its CSV, checking every row.
pub fn load(root: &Path, folder: &Path, registry: &Registry) -> Result<Dataset, Vec<Diagnostic>> {
    let desc_path = folder.join("datapackage.json");
    let shown = display_path(root, &desc_path);
    let (text, package) = read_descriptor(&shown, &desc_path)?;
    let loc = Locator {
        shown: &shown,
        text: &text,
    };
    let schema = schema::read(&loc, &package, folder)?;
    let csv_shown = display_path(root, &schema.csv_path);
    for named in [&desc_path, &schema.csv_path] {
        if !crate::inside::within(root, named) {
            return Err(vec![crate::inside::refused(root, named)]);
        }
    }
    let original = std::fs::read(&schema.csv_path).map_err(|e| {
        vec![
            Diagnostic::error(
                Code::CsvUnreadable,
                &csv_shown,
                format!("tidak bisa membaca berkas data: {e}"),
            )
            .hint(format!("periksa \"path\" di {}", shown.display())),
        ]
    })?;
    let csv_text = super::rows::decode(&original, &csv_shown).map_err(|d| vec![d])?;
    let mut rows = super::rows::read(csv_text, &schema, registry, &csv_shown)?;
    let mut problems = check_package(&loc, &package, &schema, &rows);
    let allow_empty = package
        .extra
        .get("lumbung:allowEmpty")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    if rows.is_empty() && !allow_empty {
        problems.push(
            Diagnostic::error(Code::CsvEmpty, &csv_shown, "berkas data tidak punya baris data")
                .hint("isi datanya, atau tulis \"lumbung:allowEmpty\": true di datapackage.json bila dataset ini memang sengaja kosong untuk sementara"),
        );
    }
    let corrections_shown = display_path(root, &folder.join(corrections::FILE));
    // Corrections of an empty file would each report a missing row: one error says it all.
    let corrections_path = folder.join(corrections::FILE);
    let corrections = if !crate::inside::within(root, &corrections_path) {
        problems.push(crate::inside::refused(root, &corrections_path));
        Vec::new()
    } else if rows.is_empty() {
        Vec::new()
    } else {
        corrections::read(folder, &corrections_shown).unwrap_or_else(|e| {
            problems.extend(e);
            Vec::new()
        })
    };
    let files = checks::Files {
        csv: &csv_shown,
        csv_text,
        corrections: &corrections_shown,
    };
    let outcome = checks::apply(&schema, &mut rows, &corrections, &files);
    problems.extend(outcome.errors);
    let targets_path = folder.join(super::targets::FILE);
    let targets = if crate::inside::within(root, &targets_path) {
        let measures: Vec<String> = schema
            .fields
            .iter()
            .filter(|f| f.role == Role::Measure)
            .map(|f| f.name.clone())
            .collect();
        let known = super::targets::Known {
            measures: &measures,
            registry,
        };
        super::targets::read(folder, &display_path(root, &targets_path), &known).unwrap_or_else(
            |e| {
                problems.extend(e);
                Vec::new()
            },
        )
    } else {
        problems.push(crate::inside::refused(root, &targets_path));
        Vec::new()
    };
    let releases = super::releases::load(root, folder).unwrap_or_else(|e| {
        problems.extend(e);
        Vec::new()
    });
    let (errors, mut warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        problems.into_iter().partition(Diagnostic::is_error);
    if !errors.is_empty() {
        return Err(errors);
    }
    warnings.extend(outcome.warnings);
    if !crate::downloads::fits_xlsx(rows.len(), schema.fields.len() + 2) {
        warnings.push(
            Diagnostic::warning(
                Code::FileNotProduced,
                &csv_shown,
                format!(
                    "{} baris melebihi batas Excel ({} baris); dataset ini dan indikatornya tidak diberi unduhan XLSX",
                    rows.len(),
                    crate::downloads::XLSX_ROWS - 1
                ),
            )
            .hint("unduhan CSV dan JSON tetap dibuat; pecah dataset per tahun atau per wilayah bila perlu XLSX"),
        );
    }
    let programs = package
        .programs
        .iter()
        .enumerate()
        .map(|(i, slug)| {
            let d = loc.at(
                Code::DatasetUnknownProgram,
                &format!("/lumbung:programs/{i}"),
                format!("program \"{slug}\" tidak dikenal"),
                "",
            );
            (slug.clone(), d)
        })
        .collect();
    let illustrative = package
        .illustrative
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let mut d = assemble(folder, shown, csv_shown, package, schema, rows, original);
    d.programs = programs;
    if illustrative.is_some() && !d.title.to_lowercase().contains("ilustrasi") {
        d.title.push_str(" (ilustrasi)");
    }
    d.illustrative = illustrative;
    d.releases = releases;
    d.targets = targets;
    d.notes = outcome.notes;
    d.warnings = warnings;
    Ok(d)
}

/// What the package must say beyond its schema: a source for its figures, and a default for
/// each dimension whose values include a total.
fn check_package(
    loc: &Locator<'_>,
    package: &Package,
    schema: &Schema,
    rows: &[Row],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let has_source = package
        .sources
        .iter()
        .any(|s| s.title.as_deref().is_some_and(|t| !t.trim().is_empty()));
    if !has_source {
        out.push(loc.at(
            Code::DatasetNoSource,
            "/sources",
            "dataset tidak menyebut sumber angkanya".into(),
            "tambahkan \"sources\": [{\"title\": \"Badan Pusat Statistik\", \"path\": \"https://www.bps.go.id/\"}] di datapackage.json; setiap angka di portal menyebut sumbernya",
        ));
    }
    if rows.is_empty() {
        // An empty file is reported once (CsvEmpty); its dimensions have nothing to check.
        return out;
    }
    for (i, f) in schema.fields.iter().enumerate() {
        if f.role != Role::Dimension {
            continue;
        }
        let values: std::collections::BTreeSet<String> =
            rows.iter().map(|r| r.cells[i].plain()).collect();
        let path = format!("/resources/0/schema/fields/{i}");
        match &f.default {
            Some(d) if !values.contains(d) => out.push(loc.at(
                Code::DimensionDefault,
                &format!("{path}/lumbung:default"),
                format!("nilai bawaan \"{d}\" dimensi {} tidak ada di data", f.name),
                format!(
                    "pilih salah satu nilai yang ada: {}",
                    values.iter().cloned().collect::<Vec<_>>().join(", ")
                ),
            )),
            None if values.iter().any(|v| looks_like_total(v)) => {
                let total = values
                    .iter()
                    .find(|v| looks_like_total(v))
                    .cloned()
                    .unwrap_or_default();
                let mut w = loc.at(
                    Code::DimensionDefault,
                    &path,
                    format!(
                        "dimensi {} punya nilai \"{total}\" tetapi tidak menyatakan nilai bawaan; ukurannya tidak menjadi indikator",
                        f.name
                    ),
                    format!("tambahkan \"lumbung:default\": \"{total}\" pada kolom {} agar angka totalnya menjadi indikator", f.name),
                );
                w.severity = crate::diagnostic::Severity::Warning;
                out.push(w);
            }
            _ => {}
        }
    }
    out
}

/// A dimension value that stands for the whole (Jumlah, Total, Kota+Desa …).
fn looks_like_total(v: &str) -> bool {
    let v = v.trim().to_lowercase();
    matches!(
        v.as_str(),
        "jumlah"
            | "total"
            | "semua"
            | "kota+desa"
            | "perkotaan+perdesaan"
            | "perkotaan + perdesaan"
    )
}

/// The descriptor's text (without a byte-order mark) and its parsed package.
fn read_descriptor(shown: &Path, path: &Path) -> Result<(String, Package), Vec<Diagnostic>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Diagnostic::error(
            Code::DescriptorUnreadable,
            shown,
            format!("tidak bisa membaca deskriptor dataset: {e}"),
        )]
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    let package: Package = serde_json::from_str(&text).map_err(|e| {
        vec![
            Diagnostic::error(
                Code::DescriptorSyntax,
                shown,
                format!("datapackage.json tidak sah: {}", json_message(&e)),
            )
            .at_text(&text, e.line().max(1), e.column().max(1))
            .hint(
                "periksa koma, tanda kutip dan kurung; tipe dan nama kunci ada di docs/formats.md",
            ),
        ]
    })?;
    Ok((text, package))
}

fn assemble(
    folder: &Path,
    shown: PathBuf,
    csv_shown: PathBuf,
    package: Package,
    schema: Schema,
    rows: Vec<Row>,
    original: Vec<u8>,
) -> Dataset {
    let folder_name = folder
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or("dataset");
    let date = |d: &Option<String>| {
        d.as_deref()
            .and_then(|d| Date::parse(d.get(..10).unwrap_or(d)))
    };
    let mut region_rows: std::collections::HashMap<String, Vec<usize>> =
        std::collections::HashMap::new();
    if let Some(r) = schema.region {
        for (i, row) in rows.iter().enumerate() {
            if let Some(code) = row.cells[r].as_text() {
                region_rows.entry(code.to_string()).or_default().push(i);
            }
        }
    }
    Dataset {
        region_rows,
        slug: slugify(package.name.as_deref().unwrap_or(folder_name)),
        descriptor_file: shown,
        csv_name: schema
            .csv_path
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or("data.csv")
            .to_string(),
        csv_file: csv_shown,
        title: package
            .title
            .clone()
            .unwrap_or_else(|| folder_name.to_string()),
        description: package.description.clone().unwrap_or_default(),
        updated: date(&package.updated),
        created: date(&package.created),
        fields: schema.fields,
        rows,
        primary_key: schema.primary_key,
        region: schema.region,
        time: schema.time,
        period: schema.period,
        package,
        original,
        notes: Vec::new(),
        warnings: Vec::new(),
        programs: Vec::new(),
        illustrative: None,
        folder: folder.to_path_buf(),
        releases: Vec::new(),
        targets: Vec::new(),
    }
}

fn json_message(e: &serde_json::Error) -> String {
    let m = e.to_string();
    m.split(" at line ").next().unwrap_or(&m).to_string()
}

/// Every dataset folder under `data/` (those with a `datapackage.json`), sorted.
pub fn folders(root: &Path) -> Vec<PathBuf> {
    let dir = root.join("data");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("datapackage.json").is_file())
        .collect();
    out.sort();
    out
}
