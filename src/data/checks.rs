//! Plausibility checks on every dataset's values, and the publisher's corrections applied: a value that fails a check is never used as if it were fine.
//!
//! Order: corrections from `koreksi.csv` first (a corrected or confirmed value is vouched for by
//! the publisher), then the checks on what remains: a percentage outside 0–100, a negative count
//! or amount, an exact zero in a rate (open-data exports write 0.0 for "missing"), and a jump
//! against the neighbouring periods of the same series. A flagged value is held back: its cell
//! becomes missing and a note says why, on every page and download that would have shown it.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::cells::{Cell, format_plain};
use super::corrections::Correction;
use super::rows::Row;
use super::schema::{FieldInfo, Role, Schema};
use crate::diagnostic::{Code, Diagnostic};
use crate::locale;

/// What happened to one cell.
#[derive(Debug, Clone, PartialEq)]
pub enum NoteKind {
    /// The publisher replaced the published value.
    Corrected {
        /// The value as published.
        published: f64,
        /// The value used instead.
        corrected: f64,
        /// Why.
        reason: String,
        /// Where the corrected value comes from.
        source: String,
    },
    /// A check flagged the value and the publisher confirmed it as published.
    Confirmed {
        /// The value, as published and used.
        value: f64,
        /// Why it stands.
        reason: String,
        /// Where it was confirmed.
        source: String,
    },
    /// The value is not used: a check flagged it, or the publisher held it back.
    Held {
        /// The value as published.
        published: f64,
        /// Why it is held back.
        reason: String,
    },
}

/// A note about one cell of a dataset: which row and field, and what happened to it.
#[derive(Debug, Clone, PartialEq)]
pub struct CellNote {
    /// Index into the dataset's rows.
    pub row: usize,
    /// Index into the dataset's fields.
    pub field: usize,
    /// What happened.
    pub kind: NoteKind,
}

impl CellNote {
    /// The note in words, for pages and download notes: "dikoreksi dari 505 menjadi 505.469: …".
    pub fn text(&self, f: &FieldInfo) -> String {
        use crate::i18n::{t, tf};
        let n = |v: f64| locale::number_trim(v, f.decimals.max(2));
        match &self.kind {
            NoteKind::Corrected {
                published,
                corrected,
                reason,
                source,
            } => tf(
                "dikoreksi dari {lama} menjadi {baru}: {alasan} (sumber: {sumber})",
                &[
                    ("lama", &n(*published)),
                    ("baru", &n(*corrected)),
                    ("alasan", &t(reason)),
                    ("sumber", source),
                ],
            ),
            NoteKind::Confirmed {
                value,
                reason,
                source,
            } => {
                let kept = tf(
                    "{nilai} diperiksa dan dipertahankan: {alasan}",
                    &[("nilai", &n(*value)), ("alasan", &t(reason))],
                );
                if source.is_empty() {
                    kept
                } else {
                    format!("{kept} {}", tf("(sumber: {sumber})", &[("sumber", source)]))
                }
            }
            NoteKind::Held { published, reason } => tf(
                "{nilai} ditahan, tidak ditampilkan: {alasan}",
                &[("nilai", &n(*published)), ("alasan", &t(reason))],
            ),
        }
    }

    /// A short status word: `dikoreksi`, `dikonfirmasi`, `ditahan`.
    pub fn status(&self) -> &'static str {
        match self.kind {
            NoteKind::Corrected { .. } => "dikoreksi",
            NoteKind::Confirmed { .. } => "dikonfirmasi",
            NoteKind::Held { .. } => "ditahan",
        }
    }
}

/// What the checks found.
#[derive(Debug, Default)]
pub(super) struct Outcome {
    pub notes: Vec<CellNote>,
    pub warnings: Vec<Diagnostic>,
    pub errors: Vec<Diagnostic>,
}

/// Where messages point: the CSV and its lines, and the corrections file.
pub(super) struct Files<'a> {
    pub csv: &'a Path,
    pub csv_text: &'a str,
    pub corrections: &'a Path,
}

/// Applies the corrections, then checks every measure; flagged cells are emptied and noted.
pub(super) fn apply(
    schema: &Schema,
    rows: &mut [Row],
    corrections: &[Correction],
    files: &Files<'_>,
) -> Outcome {
    let mut out = Outcome::default();
    let vouched = apply_corrections(schema, rows, corrections, files, &mut out);
    let mut flags: BTreeMap<(usize, usize), String> = BTreeMap::new();
    let series = series(schema, rows);
    for (fi, f) in schema.fields.iter().enumerate() {
        if f.role != Role::Measure {
            continue;
        }
        for (ri, row) in rows.iter().enumerate() {
            if vouched.contains_key(&(ri, fi)) {
                continue;
            }
            if let Some(v) = row.cells[fi].as_f64()
                && let Some(why) = impossible(f, v)
            {
                flags.insert((ri, fi), why);
            }
        }
        for (ri, why) in jumps(schema, rows, fi, &flags, &series) {
            if !vouched.contains_key(&(ri, fi)) {
                flags.entry((ri, fi)).or_insert(why);
            }
        }
    }
    let lines: Vec<&str> = files.csv_text.lines().collect();
    for ((ri, fi), reason) in flags {
        let published = rows[ri].cells[fi].as_f64().unwrap_or_default();
        rows[ri].cells[fi] = Cell::Missing;
        let f = &schema.fields[fi];
        let line = rows[ri].line;
        out.warnings.push(
            Diagnostic::warning(
                Code::ValueHeldBack,
                files.csv,
                format!(
                    "{} = {} ditahan: {reason}",
                    f.name,
                    locale::number_trim(published, f.decimals.max(2))
                ),
            )
            .at_csv(ri + 1, line, Some(&f.name), lines.get(line.saturating_sub(1)).copied())
            .hint(format!(
                "periksa angka ini di sumbernya; perbaiki CSV-nya, atau tulis koreksi (atau konfirmasi nilai yang sama) di {}",
                files.corrections.display()
            )),
        );
        out.notes.push(CellNote {
            row: ri,
            field: fi,
            kind: NoteKind::Held { published, reason },
        });
    }
    out.notes.extend(vouched.into_values());
    out.notes.sort_by_key(|n| (n.row, n.field));
    out
}

/// The identity of a row for corrections: region, time, period and dimension cells.
type RowKey = (String, String, String, Vec<(String, String)>);

fn row_key(schema: &Schema, row: &Row) -> RowKey {
    let cell = |i: Option<usize>| i.map(|i| row.cells[i].plain()).unwrap_or_default();
    let mut dims: Vec<(String, String)> = schema
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.role == Role::Dimension)
        .map(|(i, f)| (f.name.clone(), row.cells[i].plain()))
        .collect();
    dims.sort();
    (
        region_of(schema, row).into_owned(),
        cell(schema.time),
        cell(schema.period).to_lowercase(),
        dims,
    )
}

/// A row's region cell as text (empty without a region column), without a copy when it is
/// text.
fn region_of<'a>(schema: &Schema, row: &'a Row) -> Cow<'a, str> {
    match schema.region.map(|i| &row.cells[i]) {
        Some(Cell::Text(t)) => Cow::Borrowed(t.as_str()),
        Some(c) => Cow::Owned(c.plain()),
        None => Cow::Borrowed(""),
    }
}

/// Applies each correction to its cell; returns the notes of the cells the publisher vouched for.
fn apply_corrections(
    schema: &Schema,
    rows: &mut [Row],
    corrections: &[Correction],
    files: &Files<'_>,
    out: &mut Outcome,
) -> BTreeMap<(usize, usize), CellNote> {
    let mut vouched = BTreeMap::new();
    if corrections.is_empty() {
        return vouched;
    }
    // Only the rows of regions that have a correction are keyed (a national table has
    // tens of thousands of rows and a handful of corrections).
    let corrected: HashSet<&str> = corrections.iter().map(|c| c.region.as_str()).collect();
    let index: HashMap<RowKey, usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| corrected.contains(region_of(schema, r).as_ref()))
        .map(|(i, r)| (row_key(schema, r), i))
        .collect();
    for c in corrections {
        let at = |code, msg: String, field: &str, hint: &str| {
            Diagnostic::error(code, files.corrections, msg)
                .at_csv(c.line - 1, c.line, Some(field), Some(&c.raw))
                .hint(hint)
        };
        let Some(fi) = schema
            .fields
            .iter()
            .position(|f| f.name == c.field && f.role == Role::Measure)
        else {
            out.errors.push(at(
                Code::CorrectionBad,
                format!("kolom \"{}\" bukan kolom angka dataset ini", c.field),
                "kolom",
                "tulis nama kolom ukuran seperti di datapackage.json",
            ));
            continue;
        };
        let key = (
            c.region.clone(),
            c.time.clone(),
            c.period.to_lowercase(),
            c.dimensions.clone(),
        );
        let Some(&ri) = index.get(&key) else {
            out.errors.push(at(
                Code::CorrectionBad,
                format!(
                    "tidak ada baris {} {} {} {} di data",
                    c.region,
                    c.time,
                    c.period,
                    c.dimensions
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                "kode_wilayah",
                "samakan kode wilayah, tahun, periode dan dimensi dengan baris di CSV dataset",
            ));
            continue;
        };
        let current = rows[ri].cells[fi].as_f64();
        if current != Some(c.published) {
            out.errors.push(at(
                Code::CorrectionStale,
                format!(
                    "nilai terbit {} tidak sama dengan nilai di data ({})",
                    format_plain(c.published),
                    current.map_or_else(|| "kosong".to_string(), format_plain)
                ),
                "nilai_terbit",
                "data atau koreksinya sudah berubah: periksa lagi nilainya dan perbarui baris koreksi",
            ));
            continue;
        }
        let kind = match c.corrected {
            Some(v) if v == c.published => NoteKind::Confirmed {
                value: v,
                reason: c.reason.clone(),
                source: c.source.clone(),
            },
            Some(v) => {
                rows[ri].cells[fi] = Cell::Num(v);
                NoteKind::Corrected {
                    published: c.published,
                    corrected: v,
                    reason: c.reason.clone(),
                    source: c.source.clone(),
                }
            }
            None => {
                rows[ri].cells[fi] = Cell::Missing;
                NoteKind::Held {
                    published: c.published,
                    reason: c.reason.clone(),
                }
            }
        };
        vouched.insert(
            (ri, fi),
            CellNote {
                row: ri,
                field: fi,
                kind,
            },
        );
    }
    vouched
}

/// Rates compare across periods within a narrow band; counts and amounts may grow faster.
fn is_rate(f: &FieldInfo) -> bool {
    matches!(f.unit.as_str(), "persen" | "indeks") || f.unit.contains('/')
}

/// How many times larger (or smaller) than its neighbours a value must be to count as a jump:
/// against both neighbours, and against the only one at a series' end. Percentages and amounts
/// per person are stable from period to period (BPS P0 never moved 1.5× between neighbouring
/// years); poverty indices (P1, P2) are small, rounded and noisy, so only a shifted decimal or
/// lost digits (10× and more) count; counts and totals may grow fast.
fn jump_factors(f: &FieldInfo) -> (f64, f64) {
    match f.unit.as_str() {
        "persen" => (3.0, 10.0),
        u if u.contains('/') => (3.0, 10.0),
        _ => (10.0, 30.0),
    }
}

/// Why a value cannot be right on its own, if it cannot.
fn impossible(f: &FieldInfo, v: f64) -> Option<String> {
    let unit = f.unit.as_str();
    if matches!(unit, "persen" | "indeks") && !(0.0..=100.0).contains(&v) {
        return Some(format!(
            "{} di luar 0–100",
            if unit == "persen" {
                "persentase"
            } else {
                "indeks"
            }
        ));
    }
    if v < 0.0 {
        return Some("angka negatif untuk jumlah atau nilai".into());
    }
    if is_rate(f) && v == 0.0 {
        return Some(
            "tepat 0 pada angka rasio (ekspor data terbuka sering menulis 0 untuk data kosong)"
                .into(),
        );
    }
    None
}

/// One series of a measure: region, dimension values, and the kind of period (sub, name).
type SeriesKey = (String, Vec<String>, u16, String);

/// The rows of each series (same region, dimensions and kind of period), in row order: the
/// same for every measure, so grouped once for all of them.
fn series(schema: &Schema, rows: &[Row]) -> Vec<Vec<usize>> {
    let mut series: BTreeMap<SeriesKey, Vec<usize>> = BTreeMap::new();
    for (ri, row) in rows.iter().enumerate() {
        let Some(p) = &row.period else {
            continue;
        };
        let region = region_of(schema, row).into_owned();
        let dims: Vec<String> = schema
            .fields
            .iter()
            .enumerate()
            .filter(|(_, g)| g.role == Role::Dimension)
            .map(|(i, _)| row.cells[i].plain())
            .collect();
        series
            .entry((region, dims, p.sub, p.name.clone()))
            .or_default()
            .push(ri);
    }
    series.into_values().collect()
}

/// Values that jump against their neighbouring periods in the same series (`series`, as
/// [`series`] groups the rows), by row; neighbours already flagged are skipped.
fn jumps(
    schema: &Schema,
    rows: &[Row],
    fi: usize,
    flagged: &BTreeMap<(usize, usize), String>,
    series: &[Vec<usize>],
) -> Vec<(usize, String)> {
    let f = &schema.fields[fi];
    let (both, one) = jump_factors(f);
    let mut out = Vec::new();
    for rows_of in series {
        // (period, value, row) in period order.
        let mut points: Vec<(i32, f64, usize)> = rows_of
            .iter()
            .filter(|&&ri| !flagged.contains_key(&(ri, fi)))
            .filter_map(|&ri| {
                let row = &rows[ri];
                Some((row.period.as_ref()?.year, row.cells[fi].as_f64()?, ri))
            })
            .collect();
        points.sort_by_key(|p| p.0);
        for i in 0..points.len() {
            let (_, v, ri) = points[i];
            let near: Vec<f64> = [i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .filter_map(|j| points.get(j).map(|p| p.1))
                .collect();
            let factor = if near.len() == 2 { both } else { one };
            let far = |n: f64| {
                let (a, b) = (
                    v.abs().max(f64::MIN_POSITIVE),
                    n.abs().max(f64::MIN_POSITIVE),
                );
                a / b >= factor || b / a >= factor
            };
            if !near.is_empty() && near.iter().all(|n| far(*n)) {
                let shown: Vec<String> = near
                    .iter()
                    .map(|n| locale::number_trim(*n, f.decimals.max(2)))
                    .collect();
                out.push((
                    ri,
                    format!(
                        "melonjak dibanding periode di sekitarnya ({})",
                        shown.join(" dan ")
                    ),
                ));
            }
        }
    }
    out
}
