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

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::data::registry::{NATION, Registry};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, LineStarts};
use crate::import::aliases::Aliases;
use crate::import::layout::{Daerah, Periode, format_value, show_value};
use crate::import::names::{Level, Matcher, Unmatched, normalize};
use crate::import::package::{Constraints, Dialect, dataset_name};

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

/// What a column holds, from its header.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// `id`, `no`: a row number, ignored.
    RowNumber,
    /// A region code at a level (1 provinsi … 4 desa; `None` for `kode_wilayah`).
    Code(Option<u8>),
    /// A region name at a level.
    Name(Option<u8>),
    /// `tahun`.
    Time,
    /// `periode_bulan`: Maret, September or Tahunan.
    Period,
    /// `kategori_daerah`: Perkotaan, Perdesaan or Jumlah.
    Daerah,
    /// `satuan`: the unit, the same on every row.
    Unit,
    /// Any other text: a dimension, kept verbatim.
    Dimension,
    /// Numbers.
    Measure,
    /// Empty on every row: ignored.
    Empty,
}

#[derive(Debug, Clone)]
struct Column {
    /// The header as written.
    header: String,
    /// The header normalised (`kode_kabupaten_kota`), also the output field name.
    name: String,
    kind: Kind,
}

#[derive(Debug, Clone)]
struct Record {
    row: usize,
    line: usize,
    raw: String,
    cells: Vec<String>,
}

/// One input file, read and its columns classified.
struct Table {
    shown: PathBuf,
    columns: Vec<Column>,
    records: Vec<Record>,
}

/// One output row: region, year, period, daerah and the other dimensions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    kode: String,
    tahun: i32,
    periode: Option<Periode>,
    daerah: Option<Daerah>,
    dims: Vec<String>,
}

/// Where a value was read.
#[derive(Debug, Clone)]
struct Origin {
    file: usize,
    row: usize,
    line: usize,
    raw: String,
}

/// What happened to one input file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TabelFile {
    /// The file as given.
    pub file: PathBuf,
    /// Data rows read.
    pub rows: usize,
    /// "kode_kabupaten_kota (kode wilayah) · tahun · …": how each column was read.
    pub columns: String,
    /// Columns ignored, with why: `id (nomor baris)`.
    pub ignored: Vec<String>,
}

/// The closing report of `import tabel`.
#[derive(Debug, Clone, Default)]
pub struct TabelReport {
    /// One entry per input file, in the order given.
    pub files: Vec<TabelFile>,
    /// Data rows read over all files.
    pub rows_read: usize,
    /// Values read (non-empty measure cells).
    pub values_read: usize,
    /// Rows written to the CSV.
    pub rows_written: usize,
    /// Distinct regions by level: nasional, provinsi, kab/kota, kecamatan, desa.
    pub regions: [usize; 5],
    /// Rows whose region came from a BPS code, a Kemendagri code, or a name alone.
    pub via_bps: usize,
    /// Rows whose region came from a Kemendagri code.
    pub via_kemendagri: usize,
    /// Rows whose region came from its name alone.
    pub via_name: usize,
    /// Rows whose name was checked against their code and agreed.
    pub names_checked: usize,
    /// Names matched through an alias: description → rows.
    pub aliases_used: BTreeMap<String, usize>,
    /// Assumptions made and declarations written, for the publisher to review.
    pub notes: Vec<String>,
    /// Problems that did not stop the import (suspicious zeros, names that differ from codes).
    pub warnings: Vec<Diagnostic>,
    /// Files written.
    pub outputs: Vec<PathBuf>,
}

impl fmt::Display for TabelReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Laporan impor tabel")?;
        writeln!(f, "  berkas dibaca        : {}", self.files.len())?;
        for fr in &self.files {
            writeln!(f, "    {}: {} baris", fr.file.display(), fr.rows)?;
            writeln!(f, "      kolom: {}", fr.columns)?;
            if !fr.ignored.is_empty() {
                writeln!(f, "      diabaikan: {}", fr.ignored.join(", "))?;
            }
        }
        writeln!(f, "  baris dibaca         : {}", self.rows_read)?;
        writeln!(f, "  nilai dibaca         : {}", self.values_read)?;
        writeln!(f, "  baris ditulis        : {}", self.rows_written)?;
        let [n, p, k, c, d] = self.regions;
        let mut parts = Vec::new();
        for (count, what) in [
            (n, "nasional"),
            (p, "provinsi"),
            (k, "kabupaten/kota"),
            (c, "kecamatan"),
            (d, "desa/kelurahan"),
        ] {
            if count > 0 {
                parts.push(format!("{count} {what}"));
            }
        }
        writeln!(
            f,
            "  wilayah cocok        : {} ({})",
            n + p + k + c + d,
            parts.join(", ")
        )?;
        writeln!(
            f,
            "  dicocokkan lewat     : kode BPS {} baris, kode Kemendagri {} baris, nama saja {} baris",
            self.via_bps, self.via_kemendagri, self.via_name
        )?;
        writeln!(
            f,
            "  nama dicek dgn kode  : {} baris sesuai",
            self.names_checked
        )?;
        writeln!(f, "  nama tak cocok       : 0")?;
        let used: usize = self.aliases_used.values().sum();
        writeln!(
            f,
            "  alias dipakai        : {} nama, {} baris",
            self.aliases_used.len(),
            used
        )?;
        for (a, c) in &self.aliases_used {
            writeln!(f, "    {a}: {c} baris")?;
        }
        for n in &self.notes {
            writeln!(f, "  catatan: {n}")?;
        }
        writeln!(f, "  peringatan           : {}", self.warnings.len())?;
        for w in &self.warnings {
            for line in w.to_string().lines() {
                writeln!(f, "    {line}")?;
            }
        }
        for o in &self.outputs {
            writeln!(f, "  ditulis: {}", o.display())?;
        }
        Ok(())
    }
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

/// Header normalised: lower case, spaces and dashes as `_`, no BOM.
fn normal_header(h: &str) -> String {
    let t = h.trim_start_matches('\u{feff}').trim().to_lowercase();
    let mut out = String::new();
    for c in t.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// The level a `kode_…`/`nama_…` suffix names; `None` for a column of any level.
fn level_of_suffix(s: &str) -> Option<Option<u8>> {
    Some(match s {
        "provinsi" | "propinsi" | "prov" => Some(1),
        "kabupaten_kota" | "kab_kota" | "kabkota" | "kabupaten" | "kota" | "kota_kabupaten" => {
            Some(2)
        }
        "kecamatan" | "kec" => Some(3),
        "desa" | "kelurahan" | "desa_kelurahan" | "kelurahan_desa" | "desa_kel" => Some(4),
        "wilayah" | "daerah_wilayah" => None,
        _ => return None,
    })
}

/// The column kind a header names, before looking at the values (`None`: decided by the values).
fn kind_of_header(name: &str) -> Option<Kind> {
    match name {
        "id" | "no" | "nomor" | "no_urut" | "nomor_urut" | "row_id" | "objectid" | "fid" => {
            return Some(Kind::RowNumber);
        }
        "tahun" | "year" | "tahun_data" => return Some(Kind::Time),
        "periode_bulan" | "periode" | "bulan" | "semester" => return Some(Kind::Period),
        "kategori_daerah" | "daerah" | "klasifikasi_daerah" | "tipe_daerah" | "jenis_daerah" => {
            return Some(Kind::Daerah);
        }
        "satuan" | "unit" | "satuan_data" => return Some(Kind::Unit),
        _ => {}
    }
    for (prefix, code) in [
        ("bps_kode_", true),
        ("kode_bps_", true),
        ("kemendagri_kode_", true),
        ("kode_", true),
        ("nama_", false),
    ] {
        if let Some(rest) = name.strip_prefix(prefix)
            && let Some(level) = level_of_suffix(rest)
        {
            return Some(if code {
                Kind::Code(level)
            } else {
                Kind::Name(level)
            });
        }
    }
    match name {
        "kode_wilayah" | "kode" => Some(Kind::Code(None)),
        "nama_wilayah" | "wilayah" => Some(Kind::Name(None)),
        _ => None,
    }
}

/// A number as tidy exports write it: `.` for decimals, no grouping. `Ok(None)` for missing.
fn parse_value(s: &str) -> Result<Option<f64>, &'static str> {
    let t = s.trim();
    if t.is_empty() || matches!(t, "-" | "NA" | "N/A" | "na" | "null" | "NULL" | "..." | "…") {
        return Ok(None);
    }
    if t.contains(',') {
        return Err(
            "angka memakai koma; ekspor data terbuka memakai titik sebagai pemisah desimal dan tanpa pemisah ribuan",
        );
    }
    if t.matches('.').count() > 1 {
        return Err(
            "angka dengan lebih dari satu titik; tulis tanpa pemisah ribuan (115067, bukan 115.067)",
        );
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && t.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c)) => {
            Ok(Some(v))
        }
        _ => Err("bukan angka"),
    }
}

/// Digits with the signs and separators numbers are written with, in any convention.
fn looks_numeric(s: &str) -> bool {
    let t = s.trim();
    t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || ".,+-eE ".contains(c))
}

fn decimals_of(s: &str) -> u8 {
    s.trim()
        .split_once('.')
        .map(|(_, d)| d.trim_end_matches('0').len().min(3) as u8)
        .unwrap_or(0)
}

fn parse_periode(s: &str) -> Option<Periode> {
    let t = normalize(s);
    match t.as_str() {
        "maret" | "mar" | "semester 1" | "semester i" | "03" | "3" => Some(Periode::Maret),
        "september" | "sep" | "sept" | "semester 2" | "semester ii" | "09" | "9" => {
            Some(Periode::September)
        }
        "tahunan" | "setahun" | "tahun" => Some(Periode::Tahunan),
        _ => None,
    }
}

fn parse_daerah(s: &str) -> Option<Daerah> {
    let t = s.trim().to_lowercase();
    let t = t.replace(" dan ", "+").replace(" & ", "+");
    Daerah::of_row(&t)
}

/// Reads one CSV file (`,` or `;`), with each record's line and raw text.
fn read_table(shown: &Path, text: &str) -> Result<Table, Diagnostics> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let lines: Vec<&str> = text.lines().collect();
    let starts = LineStarts::new(text);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => {
            return Err(Diagnostic::error(
                Code::TabelInput,
                shown,
                crate::data::registry::csv_error_message(&e),
            )
            .at_text(text, 1, 1)
            .into());
        }
    };
    let mut errors = Diagnostics::default();
    let mut records = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let row = i + 1;
        match rec {
            Ok(r) => {
                let line = r.position().map(|p| starts.line_of(p)).unwrap_or(row + 1);
                let raw = lines.get(line - 1).copied().unwrap_or("").to_string();
                if r.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                if r.len() != headers.len() {
                    errors.push(
                        Diagnostic::error(
                            Code::TabelInput,
                            shown,
                            format!(
                                "baris ini punya {} kolom, kepala tabel {} kolom",
                                r.len(),
                                headers.len()
                            ),
                        )
                        .at_csv(row, line, None, Some(&raw))
                        .hint("teks yang berisi koma harus diapit tanda kutip"),
                    );
                    continue;
                }
                records.push(Record {
                    row,
                    line,
                    raw,
                    cells: r.iter().map(|c| c.trim().to_string()).collect(),
                });
            }
            Err(e) => errors.push(
                Diagnostic::error(
                    Code::TabelInput,
                    shown,
                    crate::data::registry::csv_error_message(&e),
                )
                .hint("periksa tanda kutip dan pemisah kolom"),
            ),
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    if records.is_empty() {
        return Err(Diagnostic::error(
            Code::TabelInput,
            shown,
            "tabel tidak punya baris data di bawah kepala kolom",
        )
        .at_text(text, 1, 1)
        .hint("ekspor ulang tabel lengkap dari portal datanya")
        .into());
    }
    let mut columns = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, h) in headers.iter().enumerate() {
        let name = normal_header(h);
        if let Some(first) = seen.insert(name.clone(), i) {
            errors.push(
                Diagnostic::error(
                    Code::TabelInput,
                    shown,
                    format!(
                        "kolom \"{h}\" muncul dua kali (kolom {} dan {})",
                        first + 1,
                        i + 1
                    ),
                )
                .at_text(text, 1, 1)
                .hint("beri setiap kolom nama yang berbeda"),
            );
        }
        let kind = match kind_of_header(&name) {
            Some(k) => k,
            None => {
                let filled: Vec<&str> = records
                    .iter()
                    .map(|r| r.cells[i].as_str())
                    .filter(|c| parse_value(c) != Ok(None))
                    .collect();
                // Numbers written the wrong way (1.234.567, 5,2) still make a measure column, so
                // that each such cell is reported rather than the column read as text.
                let numbers = filled.iter().filter(|c| looks_numeric(c)).count();
                if filled.is_empty() {
                    Kind::Empty
                } else if numbers * 2 >= filled.len() {
                    Kind::Measure
                } else {
                    Kind::Dimension
                }
            }
        };
        columns.push(Column {
            header: h.clone(),
            name,
            kind,
        });
    }
    if errors.has_errors() {
        return Err(errors);
    }
    let has = |f: &dyn Fn(&Kind) -> bool| columns.iter().any(|c| f(&c.kind));
    let header_list = headers.join(",");
    if !has(&|k| matches!(k, Kind::Code(_) | Kind::Name(_))) {
        errors.push(
            Diagnostic::error(
                Code::TabelInput,
                shown,
                format!("tidak ada kolom wilayah di kepala tabel ({header_list})"),
            )
            .at_text(text, 1, 1)
            .hint("tabel perlu kolom kode_kabupaten_kota (atau kode_provinsi, kode_wilayah, …) dan/atau nama_kabupaten_kota"),
        );
    }
    if !has(&|k| *k == Kind::Time) {
        errors.push(
            Diagnostic::error(
                Code::TabelInput,
                shown,
                format!("tidak ada kolom tahun di kepala tabel ({header_list})"),
            )
            .at_text(text, 1, 1)
            .hint("tabel perlu kolom tahun; setiap baris satu wilayah dan satu tahun"),
        );
    }
    if !has(&|k| *k == Kind::Measure) {
        errors.push(
            Diagnostic::error(
                Code::TabelInput,
                shown,
                format!("tidak ada kolom angka di kepala tabel ({header_list})"),
            )
            .at_text(text, 1, 1)
            .hint("setidaknya satu kolom harus berisi angka (misalnya jumlah_penerima_manfaat)"),
        );
    }
    if errors.has_errors() {
        return Err(errors);
    }
    Ok(Table {
        shown: shown.to_path_buf(),
        columns,
        records,
    })
}

/// A column's role for the report.
fn describe_kind(k: &Kind) -> &'static str {
    match k {
        Kind::RowNumber => "nomor baris",
        Kind::Code(Some(1)) => "kode provinsi",
        Kind::Code(Some(2)) => "kode kabupaten/kota",
        Kind::Code(Some(3)) => "kode kecamatan",
        Kind::Code(Some(_)) => "kode desa/kelurahan",
        Kind::Code(None) => "kode wilayah",
        Kind::Name(Some(1)) => "nama provinsi",
        Kind::Name(Some(2)) => "nama kabupaten/kota",
        Kind::Name(Some(3)) => "nama kecamatan",
        Kind::Name(Some(_)) => "nama desa/kelurahan",
        Kind::Name(None) => "nama wilayah",
        Kind::Time => "tahun",
        Kind::Period => "periode",
        Kind::Daerah => "daerah",
        Kind::Unit => "satuan",
        Kind::Dimension => "dimensi",
        Kind::Measure => "angka",
        Kind::Empty => "kosong",
    }
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

/// The unit as Lumbung writes it: lower case, `%` as `persen`; scaling words kept.
fn unit_of(satuan: &str) -> String {
    let t = satuan.split_whitespace().collect::<Vec<_>>().join(" ");
    let t = t.to_lowercase();
    match t.as_str() {
        "%" | "persen" | "persentase" | "prosentase" => "persen".into(),
        _ => t,
    }
}

/// Whether values in this unit add up over regions: counts and amounts do, rates and indices never.
fn unit_adds_up(unit: &str) -> bool {
    let rate = ["persen", "indeks", "rasio", "rata", "per ", "/", "%"];
    !unit.is_empty() && !rate.iter().any(|r| unit.contains(r))
}

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

/// Resolves the region of every row and merges the files: the conversion, without writing.
pub fn convert(
    reg: &Registry,
    aliases: &Aliases,
    out: &Path,
    inputs: &[(PathBuf, String)],
    settings: &TabelSettings,
) -> Result<Tidy, Diagnostics> {
    let name = dataset_name(out)?;
    let mut errors = Diagnostics::default();
    if settings.source.trim().is_empty() {
        errors.push(
            Diagnostic::error(Code::TabelInput, out, "sumber data belum disebut")
                .hint("tambahkan --sumber \"nama penerbit data\" (misalnya --sumber \"Open Data Jawa Barat\"); setiap angka harus menyebut sumbernya"),
        );
    }
    let mut tables = Vec::new();
    for (shown, text) in inputs {
        match read_table(shown, text) {
            Ok(t) => tables.push(t),
            Err(e) => errors.extend(e.0),
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    // Every file must have the same row structure (period, daerah, dimensions).
    let shape = |t: &Table| -> Vec<String> {
        t.columns
            .iter()
            .filter(|c| matches!(c.kind, Kind::Period | Kind::Daerah | Kind::Dimension))
            .map(|c| c.name.clone())
            .collect()
    };
    let first_shape = shape(&tables[0]);
    for t in &tables[1..] {
        if shape(t) != first_shape {
            errors.push(
                Diagnostic::error(
                    Code::TabelInput,
                    &t.shown,
                    format!(
                        "kolom periode/daerah/dimensi berkas ini ({}) berbeda dengan {} ({})",
                        shape(t).join(", "),
                        tables[0].shown.display(),
                        first_shape.join(", ")
                    ),
                )
                .hint("impor tabel dengan susunan kolom berbeda sebagai dataset terpisah"),
            );
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    let matcher = Matcher::new(reg, aliases);
    let mut report = TabelReport::default();
    let mut values: BTreeMap<Key, BTreeMap<String, (f64, Origin)>> = BTreeMap::new();
    let mut measures: Vec<String> = Vec::new();
    let mut decimals: BTreeMap<String, u8> = BTreeMap::new();
    let mut units: BTreeMap<String, (String, Origin)> = BTreeMap::new();
    let mut dim_values: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut headers_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut zeros: Vec<Diagnostic> = Vec::new();
    let mut regions_seen: BTreeSet<String> = BTreeSet::new();
    let mut papua_unchecked = 0usize;
    let no_bps = reg.by_bps.is_empty();
    let mut bps_by_name = 0usize;
    for (fi, t) in tables.iter().enumerate() {
        let mut fr = TabelFile {
            file: t.shown.clone(),
            rows: t.records.len(),
            ..TabelFile::default()
        };
        fr.columns = t
            .columns
            .iter()
            .filter(|c| !matches!(c.kind, Kind::RowNumber | Kind::Empty))
            .map(|c| format!("{} ({})", c.header.trim(), describe_kind(&c.kind)))
            .collect::<Vec<_>>()
            .join(" · ");
        fr.ignored = t
            .columns
            .iter()
            .filter(|c| matches!(c.kind, Kind::RowNumber | Kind::Empty))
            .map(|c| format!("{} ({})", c.header.trim(), describe_kind(&c.kind)))
            .collect();
        for c in t.columns.iter().filter(|c| c.kind == Kind::Measure) {
            if !measures.contains(&c.name) {
                measures.push(c.name.clone());
            }
            headers_of
                .entry(c.name.clone())
                .or_default()
                .insert(c.header.trim().to_string());
        }
        let unit_col = t.columns.iter().position(|c| c.kind == Kind::Unit);
        let table_measures: Vec<(usize, &Column)> = t
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.kind == Kind::Measure)
            .collect();
        if unit_col.is_some() && table_measures.len() > 1 {
            errors.push(
                Diagnostic::error(
                    Code::TabelUnit,
                    &t.shown,
                    format!(
                        "satu kolom satuan untuk {} kolom angka ({}): tidak jelas satuan milik kolom mana",
                        table_measures.len(),
                        table_measures.iter().map(|(_, c)| c.header.trim()).collect::<Vec<_>>().join(", ")
                    ),
                )
                .hint("pisahkan tabel: satu kolom angka dengan kolom satuannya per berkas"),
            );
            continue;
        }
        for rec in &t.records {
            report.rows_read += 1;
            let origin = || Origin {
                file: fi,
                row: rec.row,
                line: rec.line,
                raw: rec.raw.clone(),
            };
            let err = |code: Code, field: &str, msg: String| {
                Diagnostic::error(code, &t.shown, msg).at_csv(
                    rec.row,
                    rec.line,
                    Some(field),
                    Some(&rec.raw),
                )
            };
            // Region.
            let kode = match resolve_region(reg, &matcher, t, rec) {
                Ok(r) => {
                    match r.via {
                        RegionVia::Bps => report.via_bps += 1,
                        RegionVia::Kemendagri => report.via_kemendagri += 1,
                        RegionVia::Name => {
                            report.via_name += 1;
                            if r.bps_code_unused {
                                bps_by_name += 1;
                            }
                        }
                    }
                    if r.name_checked {
                        report.names_checked += 1;
                    }
                    if r.papua_unchecked {
                        papua_unchecked += 1;
                    }
                    if let Some(a) = r.alias {
                        *report.aliases_used.entry(a).or_default() += 1;
                    }
                    if let Some(w) = r.warning {
                        report.warnings.push(
                            Diagnostic::warning(Code::TabelRegion, &t.shown, w).at_csv(
                                rec.row,
                                rec.line,
                                None,
                                Some(&rec.raw),
                            ),
                        );
                    }
                    r.kode
                }
                Err(d) => {
                    errors.push(*d);
                    continue;
                }
            };
            regions_seen.insert(kode.clone());
            let mut key = Key {
                kode,
                tahun: 0,
                periode: None,
                daerah: None,
                dims: Vec::new(),
            };
            let mut bad = false;
            for (ci, c) in t.columns.iter().enumerate() {
                let cell = rec.cells[ci].as_str();
                match c.kind {
                    Kind::Time => match cell.parse::<i32>() {
                        Ok(y) if (1900..=2100).contains(&y) => key.tahun = y,
                        _ => {
                            errors.push(
                                err(
                                    Code::TabelValue,
                                    &c.header,
                                    format!("tahun \"{cell}\" tidak terbaca"),
                                )
                                .hint("tulis tahun empat angka, misalnya 2023"),
                            );
                            bad = true;
                        }
                    },
                    Kind::Period => match parse_periode(cell) {
                        Some(p) => key.periode = Some(p),
                        None => {
                            errors.push(
                                err(
                                    Code::TabelValue,
                                    &c.header,
                                    format!("periode \"{cell}\" tidak dikenal"),
                                )
                                .hint("periode ditulis MARET, SEPTEMBER atau TAHUNAN"),
                            );
                            bad = true;
                        }
                    },
                    Kind::Daerah => match parse_daerah(cell) {
                        Some(d) => key.daerah = Some(d),
                        None => {
                            errors.push(
                                err(
                                    Code::TabelValue,
                                    &c.header,
                                    format!("kategori daerah \"{cell}\" tidak dikenal"),
                                )
                                .hint(
                                    "daerah ditulis PERKOTAAN, PERDESAAN atau PERKOTAAN+PERDESAAN (JUMLAH)",
                                ),
                            );
                            bad = true;
                        }
                    },
                    Kind::Dimension => {
                        key.dims.push(cell.to_string());
                        dim_values
                            .entry(c.name.clone())
                            .or_default()
                            .insert(cell.to_string());
                    }
                    _ => {}
                }
            }
            if bad {
                continue;
            }
            if let (Some(uc), Some(&(_, m))) = (unit_col, table_measures.first()) {
                let cell = rec.cells[uc].trim();
                match units.get(&m.name) {
                    None => {
                        units.insert(m.name.clone(), (cell.to_string(), origin()));
                    }
                    Some((u, o)) if unit_of(u) != unit_of(cell) => {
                        errors.push(
                            err(
                                Code::TabelUnit,
                                &t.columns[uc].header,
                                format!(
                                    "satuan \"{cell}\" berbeda dengan \"{u}\" di {}:{} (baris data {}); satu kolom angka hanya boleh satu satuan",
                                    tables[o.file].shown.display(),
                                    o.line,
                                    o.row
                                ),
                            )
                            .hint("nilai tidak pernah dikalikan diam-diam: samakan satuannya di sumber, atau pisahkan baris dengan satuan lain ke berkas sendiri"),
                        );
                        continue;
                    }
                    Some(_) => {}
                }
            }
            for (mi, m) in &table_measures {
                let cell = rec.cells[*mi].as_str();
                let v = match parse_value(cell) {
                    Ok(Some(v)) => v,
                    Ok(None) => continue,
                    Err(why) => {
                        errors.push(
                            err(
                                Code::TabelValue,
                                &m.header,
                                format!("nilai \"{cell}\" di kolom {}: {why}", m.header.trim()),
                            )
                            .hint(
                                "perbaiki selnya di sumber, atau kosongkan bila datanya tidak ada",
                            ),
                        );
                        continue;
                    }
                };
                if v == 0.0 {
                    let what = if settings.zero_is_missing {
                        "ditulis kosong (--nol-kosong)"
                    } else {
                        "ditulis 0; ekspor data terbuka sering menulis 0 atau 0.0 untuk data yang kosong: periksa ke sumbernya, lalu kosongkan selnya atau impor ulang dengan --nol-kosong"
                    };
                    zeros.push(
                        Diagnostic::warning(
                            Code::TabelZero,
                            &t.shown,
                            format!("{} {} = {cell}: {what}", m.header.trim(), key.tahun),
                        )
                        .at_csv(
                            rec.row,
                            rec.line,
                            Some(&m.header),
                            Some(&rec.raw),
                        ),
                    );
                    if settings.zero_is_missing {
                        continue;
                    }
                }
                report.values_read += 1;
                let d = decimals.entry(m.name.clone()).or_default();
                *d = (*d).max(decimals_of(cell));
                let cells = values.entry(key.clone()).or_default();
                match cells.get(&m.name) {
                    None => {
                        cells.insert(m.name.clone(), (v, origin()));
                    }
                    Some((old, o)) => {
                        let same_file = o.file == fi;
                        if same_file || *old != v {
                            let place = format!(
                                "{}:{} (baris data {})",
                                tables[o.file].shown.display(),
                                o.line,
                                o.row
                            );
                            let msg = if same_file && *old == v {
                                format!(
                                    "baris ini mengulang {} {} {}, yang sudah ada di {place}",
                                    reg.get(&key.kode)
                                        .map_or(key.kode.as_str(), |r| r.nama.as_str()),
                                    key.tahun,
                                    m.header.trim()
                                )
                            } else {
                                format!(
                                    "{} {} {}: {} di sini, {} di {place}",
                                    reg.get(&key.kode)
                                        .map_or(key.kode.as_str(), |r| r.nama.as_str()),
                                    key.tahun,
                                    m.header.trim(),
                                    show_value(v),
                                    show_value(*old)
                                )
                            };
                            errors.push(
                                err(Code::TabelConflict, &m.header, msg)
                                    .excerpt(format!(
                                        "{}:{} | {}\n{}:{} | {}",
                                        tables[o.file].shown.display(),
                                        o.line,
                                        o.raw,
                                        t.shown.display(),
                                        rec.line,
                                        rec.raw
                                    ))
                                    .hint("urutan berkas tidak memutuskan apa pun: periksa kedua sumber, lalu hapus atau perbaiki baris yang salah"),
                            );
                        }
                    }
                }
            }
        }
        report.files.push(fr);
    }
    if errors.has_errors() {
        return Err(errors);
    }
    if values.is_empty() {
        return Err(Diagnostic::error(
            Code::TabelInput,
            &tables[0].shown,
            "tidak ada satu pun nilai angka di tabel",
        )
        .hint("periksa kolom angkanya; sel kosong, \"-\" dan NA dibaca sebagai tidak ada data")
        .into());
    }
    report.warnings.extend(zeros);
    if no_bps && bps_by_name > 0 {
        report.notes.push(format!(
            "daftar wilayah tanpa kolom kode_bps: {bps_by_name} baris berkode BPS dicocokkan lewat namanya (jalankan lumbung import wilayah --bps … agar kode BPS ikut diperiksa)"
        ));
    }
    if papua_unchecked > 0 {
        report.warnings.push(Diagnostic::warning(
            Code::TabelRegion,
            &tables[0].shown,
            format!("{papua_unchecked} baris berkode BPS Papua (91–97) tanpa nama untuk dicek: kode dibaca menurut MFD 2018, padahal BPS memberi nomor baru setelah pemekaran 2022"),
        ).hint("tambahkan kolom nama wilayah agar kode dan nama saling dicek, atau pastikan tabel memakai kode MFD 2018"));
    }
    for r in &regions_seen {
        let level = if r == NATION {
            0
        } else {
            usize::from(reg.get(r).map_or(0, |x| x.jenis.level())).min(4)
        };
        report.regions[level] += 1;
    }
    let tidy = render(
        &name,
        &tables,
        &values,
        &measures,
        &decimals,
        &units,
        &dim_values,
        &headers_of,
        settings,
        &mut report,
    )?;
    Ok(tidy)
}

enum RegionVia {
    Bps,
    Kemendagri,
    Name,
}

struct Resolved {
    kode: String,
    via: RegionVia,
    name_checked: bool,
    bps_code_unused: bool,
    papua_unchecked: bool,
    alias: Option<String>,
    warning: Option<String>,
}

/// The region of one row: the deepest filled code (BPS through the registry's `kode_bps`, or
/// Kemendagri), checked against the name at that level; a name alone through the same matcher
/// as `import bps`. A code and a name that disagree, or a region outside the row's province,
/// are errors.
fn resolve_region(
    reg: &Registry,
    matcher: &Matcher<'_>,
    t: &Table,
    rec: &Record,
) -> Result<Resolved, Box<Diagnostic>> {
    let err = |field: &str, msg: String, hint: String| {
        Box::new(
            Diagnostic::error(Code::TabelRegion, &t.shown, msg)
                .at_csv(rec.row, rec.line, Some(field), Some(&rec.raw))
                .hint(hint),
        )
    };
    // The filled code and name cells by level (0 = "any").
    let mut codes: BTreeMap<u8, (&str, &str)> = BTreeMap::new();
    let mut names: BTreeMap<u8, (&str, &str)> = BTreeMap::new();
    for (ci, c) in t.columns.iter().enumerate() {
        let cell = rec.cells[ci].as_str();
        if cell.is_empty() {
            continue;
        }
        match c.kind {
            Kind::Code(l) => {
                codes.insert(l.unwrap_or(0), (cell, c.header.as_str()));
            }
            Kind::Name(l) => {
                names.insert(l.unwrap_or(0), (cell, c.header.as_str()));
            }
            _ => {}
        }
    }
    let deepest_code = codes.iter().max_by_key(|(l, _)| **l).map(|(l, v)| (*l, *v));
    let deepest_name = names.iter().max_by_key(|(l, _)| **l).map(|(l, v)| (*l, *v));
    // The province, for names below it and for the containment check.
    let province_of_row: Option<String> = match codes.get(&1).and_then(|(c, _)| reg.from_bps(c)) {
        Some(k) => Some(k.to_string()),
        None => names
            .get(&1)
            .and_then(|(n, _)| matcher.find(n, Level::Province, None).ok())
            .map(|m| m.kode),
    };
    let level_name = |l: u8| match l {
        1 => Level::Province,
        2 => Level::KabKota,
        _ => Level::Any,
    };
    let by_name = |l: u8, n: &str| -> Result<crate::import::names::Matched, Unmatched> {
        if l >= 3 {
            return Err(Unmatched {
                ambiguous: Vec::new(),
                nearest: Vec::new(),
            });
        }
        if l == 1 {
            return matcher.find(n, Level::Province, None);
        }
        // The row's province, and the provinces split from it since (an MFD 2018 export puts
        // Merauke in 94 PAPUA; it now lies in 93 Papua Selatan).
        let mut contexts: Vec<Option<&str>> = vec![province_of_row.as_deref()];
        if let Some(p) = province_of_row.as_deref() {
            for (from, to) in crate::import::bpscodes::SPLITS {
                if *from == p {
                    contexts.extend(to.iter().map(|t| Some(*t)));
                }
            }
        }
        // "KABUPATEN TOBA SAMOSIR": aliases are kept under the bare name, as BPS tables write it.
        let upper = n.trim().to_uppercase();
        let bare = ["KABUPATEN ", "KAB. ", "KAB "].iter().find_map(|pre| {
            upper
                .strip_prefix(pre)
                .map(|_| n.trim()[pre.len()..].trim())
        });
        let mut first_err = None;
        for ctx in contexts {
            for name in std::iter::once(n).chain(bare) {
                match matcher.find(name, level_name(l), ctx) {
                    Ok(m) => return Ok(m),
                    Err(e) => {
                        first_err.get_or_insert(e);
                    }
                }
            }
        }
        Err(first_err.unwrap_or(Unmatched {
            ambiguous: Vec::new(),
            nearest: Vec::new(),
        }))
    };
    let describe = |k: &str| matcher.describe(k);
    let mut out = Resolved {
        kode: String::new(),
        via: RegionVia::Name,
        name_checked: false,
        bps_code_unused: false,
        papua_unchecked: false,
        alias: None,
        warning: None,
    };
    let from_code: Option<String> = match deepest_code {
        Some((_, (c, _))) if c == NATION || c == "0" || c == "0000" => Some(NATION.into()),
        Some((l, (c, header))) if c.contains('.') => {
            if !reg.contains(c) {
                return Err(err(
                    header,
                    format!("kode Kemendagri \"{c}\" tidak ada di daftar wilayah"),
                    format!("periksa kodenya; {}", reg.suggest(c)),
                ));
            }
            let got = reg.get(c).map_or(0, |r| r.jenis.level());
            if l > 0 && got != l {
                return Err(err(
                    header,
                    format!("kode \"{c}\" di kolom {header} adalah {}", describe(c)),
                    "pindahkan kode ke kolom tingkatnya".into(),
                ));
            }
            out.via = RegionVia::Kemendagri;
            Some(c.to_string())
        }
        Some((l, (c, header))) if c.chars().all(|ch| ch.is_ascii_digit()) => {
            let bps_level = match c.len() {
                2 => 1,
                4 => 2,
                7 => 3,
                10 => 4,
                _ => 0,
            };
            if bps_level == 0 || (l > 0 && bps_level != l) {
                return Err(err(
                    header,
                    format!("kode \"{c}\" di kolom {header} bukan kode BPS yang dikenal (2, 4, 7 atau 10 angka sesuai tingkatnya)"),
                    "kode BPS: provinsi 2 angka (32), kabupaten/kota 4 (3201), kecamatan 7, desa 10; kode Kemendagri bertitik (32.01)".into(),
                ));
            }
            if c.starts_with('9') && c.len() >= 2 && ("91".."98").contains(&&c[..2]) {
                out.papua_unchecked = !names.contains_key(&bps_level) && !names.contains_key(&0);
            }
            match reg.from_bps(c) {
                Some(k) => {
                    out.via = RegionVia::Bps;
                    Some(k.to_string())
                }
                None if reg.by_bps.is_empty() => {
                    out.bps_code_unused = true;
                    if deepest_name.is_none() || bps_level >= 3 {
                        return Err(err(
                            header,
                            format!("kode BPS \"{c}\" tidak bisa dipetakan ke kode Kemendagri: daftar wilayah tidak punya kolom kode_bps"),
                            "buat daftar wilayah dengan lumbung import wilayah --bps FOLDER_KODE_BPS, atau sertakan kolom nama wilayah".into(),
                        ));
                    }
                    out.papua_unchecked = false;
                    None
                }
                None => {
                    return Err(err(
                        header,
                        format!("kode BPS \"{c}\" tidak ada di kolom kode_bps daftar wilayah"),
                        "periksa kodenya; kode BPS sesudah pemekaran Papua 2022 berbeda dengan MFD 2018 yang dipakai daftar wilayah".into(),
                    ));
                }
            }
        }
        Some((_, (c, header))) => {
            return Err(err(
                header,
                format!("kode wilayah \"{c}\" tidak terbaca"),
                "kode BPS berupa angka saja (3201), kode Kemendagri bertitik (32.01)".into(),
            ));
        }
        None => None,
    };
    // The name at the region's own level.
    let code_level = from_code
        .as_deref()
        .map(|k| reg.get(k).map_or(0, |r| r.jenis.level()));
    let name_here = match code_level {
        Some(l) => names.get(&l).or_else(|| names.get(&0)).copied(),
        None => deepest_name.map(|(_, v)| v),
    };
    let name_level = match code_level {
        Some(l) => l,
        None => deepest_name.map_or(0, |(l, _)| l),
    };
    let from_name = name_here.map(|(n, header)| (by_name(name_level, n), n, header));
    let kode = match (from_code, from_name) {
        (Some(k), Some((Ok(m), n, header))) => {
            if m.kode != k {
                return Err(err(
                    header,
                    format!(
                        "kode dan nama menunjuk wilayah berbeda: kodenya {}, namanya \"{n}\" {}",
                        describe(&k),
                        describe(&m.kode)
                    ),
                    "perbaiki kode atau nama di sumber; Lumbung tidak memilih salah satunya".into(),
                ));
            }
            out.name_checked = true;
            k
        }
        (Some(k), Some((Err(_), n, _))) => {
            if name_level <= 2 {
                out.warning = Some(format!(
                    "nama \"{n}\" tidak ditemukan di daftar wilayah; baris dipetakan lewat kodenya ke {}",
                    describe(&k)
                ));
            }
            k
        }
        (Some(k), None) => k,
        (None, Some((Ok(m), n, _))) => {
            if let crate::import::names::Via::Alias(a) = &m.via {
                let src = match &a.source {
                    crate::import::aliases::AliasSource::BuiltIn => "bawaan".to_string(),
                    crate::import::aliases::AliasSource::File(f, l) => format!("{f}:{l}"),
                };
                out.alias = Some(format!("\"{n}\" → {} [{src}]", describe(&m.kode)));
            }
            m.kode
        }
        (None, Some((Err(u), n, header))) => {
            let what = if name_level >= 3 {
                return Err(err(
                    header,
                    format!(
                        "nama \"{n}\" tanpa kode: kecamatan dan desa hanya dicocokkan lewat kode"
                    ),
                    "sertakan kolom kode_kecamatan atau kode_desa (BPS atau Kemendagri)".into(),
                ));
            } else if u.ambiguous.is_empty() {
                let near = if u.nearest.is_empty() {
                    String::new()
                } else {
                    format!("kandidat terdekat: {}; ", u.nearest.join(", "))
                };
                (
                    format!("nama \"{n}\" tidak ada di daftar wilayah"),
                    format!(
                        "{near}jika ini nama lama atau ejaan lain, tambahkan baris \"{n},<kode>\" ke berkas alias (--aliases)"
                    ),
                )
            } else {
                (
                    format!(
                        "nama \"{n}\" ambigu: cocok dengan {}",
                        u.ambiguous
                            .iter()
                            .map(|k| describe(k))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    "sertakan kolom kode wilayah, atau tulis \"Kota …\"/\"Kabupaten …\"".into(),
                )
            };
            return Err(err(header, what.0, what.1));
        }
        (None, None) => {
            return Err(Box::new(
                Diagnostic::error(
                    Code::TabelRegion,
                    &t.shown,
                    "baris tanpa kode dan nama wilayah",
                )
                .at_csv(rec.row, rec.line, None, Some(&rec.raw))
                .hint("isi kode atau nama wilayahnya, atau hapus baris ini"),
            ));
        }
    };
    // The region lies inside the row's province.
    // A province split since (Papua, 2022) still contains its old kab/kota in exports that
    // number regions as before the split (MFD 2018: 94 PAPUA, 9401 MERAUKE, now 93.01).
    let split_from = |current: &str| -> Option<&str> {
        crate::import::bpscodes::SPLITS
            .iter()
            .find(|(_, to)| to.contains(&current))
            .map(|(from, _)| *from)
    };
    let inside = |p: &str| {
        reg.ancestors(&kode)
            .iter()
            .any(|a| a.kode == p || (a.jenis.level() == 1 && split_from(&a.kode) == Some(p)))
    };
    if let Some(p) = &province_of_row
        && kode != NATION
        && kode != *p
        && !inside(p)
    {
        let header = codes
            .get(&1)
            .or_else(|| names.get(&1))
            .map_or("", |(_, h)| *h);
        return Err(err(
            header,
            format!(
                "{} tidak berada di provinsi {} yang disebut baris ini",
                describe(&kode),
                describe(p)
            ),
            "perbaiki kolom provinsi atau kode wilayahnya di sumber".into(),
        ));
    }
    out.kode = kode;
    Ok(out)
}

/// The CSV and descriptor of the merged values; the same input always gives the same bytes.
#[allow(clippy::too_many_arguments)]
fn render(
    name: &str,
    tables: &[Table],
    values: &BTreeMap<Key, BTreeMap<String, (f64, Origin)>>,
    measures: &[String],
    decimals: &BTreeMap<String, u8>,
    units: &BTreeMap<String, (String, Origin)>,
    dim_values: &BTreeMap<String, BTreeSet<String>>,
    headers_of: &BTreeMap<String, BTreeSet<String>>,
    settings: &TabelSettings,
    report: &mut TabelReport,
) -> Result<Tidy, Diagnostics> {
    let t0 = &tables[0];
    let has_period = t0.columns.iter().any(|c| c.kind == Kind::Period);
    let has_daerah = t0.columns.iter().any(|c| c.kind == Kind::Daerah);
    let dims: Vec<&Column> = t0
        .columns
        .iter()
        .filter(|c| c.kind == Kind::Dimension)
        .collect();
    let mut header: Vec<String> = vec!["kode_wilayah".into(), "tahun".into()];
    if has_period {
        header.push("periode".into());
    }
    if has_daerah {
        header.push("daerah".into());
    }
    header.extend(dims.iter().map(|d| d.name.clone()));
    header.extend(measures.iter().cloned());
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
    let (mut first, mut last) = (i32::MAX, i32::MIN);
    let mut periods = BTreeSet::new();
    let mut daerahs = BTreeSet::new();
    for (key, cells) in values {
        first = first.min(key.tahun);
        last = last.max(key.tahun);
        let mut row = vec![key.kode.clone(), key.tahun.to_string()];
        if has_period {
            let p = key.periode.unwrap_or(Periode::Unstated);
            periods.insert(p);
            row.push(p.label().to_string());
        }
        if has_daerah {
            let d = key.daerah.unwrap_or(Daerah::Total);
            daerahs.insert(d);
            row.push(d.label().to_string());
        }
        row.extend(key.dims.iter().cloned());
        for m in measures {
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

    let field = |name: &str, kind: &'static str, title: String, role: &'static str| TidyField {
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
    };
    let mut fields: Vec<TidyField> = vec![
        field("kode_wilayah", "string", "Kode wilayah".into(), "region"),
        field("tahun", "year", "Tahun".into(), "time"),
    ];
    let mut primary_key = vec!["kode_wilayah".to_string(), "tahun".to_string()];
    let mut additive_over = vec!["kode_wilayah".to_string()];
    if has_period {
        let mut f = field("periode", "string", "Periode".into(), "period");
        f.constraints = Some(Constraints {
            required: true,
            values: Some(periods.iter().map(|p| p.label()).collect()),
        });
        fields.push(f);
        primary_key.push("periode".into());
    }
    if has_daerah {
        let mut d = field("daerah", "string", "Daerah".into(), "dimension");
        d.constraints = Some(Constraints {
            required: true,
            values: Some(daerahs.iter().map(|d| d.label()).collect()),
        });
        if daerahs.contains(&Daerah::Total) {
            d.default = Some(Daerah::Total.label().to_string());
            additive_over.push("daerah".into());
        } else {
            report.notes.push("kategori daerah tanpa baris PERKOTAAN+PERDESAAN (Jumlah): angkanya tampil di halaman dataset, tetapi tidak menjadi indikator (jumlahnya tidak dihitung sendiri)".into());
        }
        fields.push(d);
        primary_key.push("daerah".into());
    }
    for d in &dims {
        fields.push(field(&d.name, "string", title_of(&d.name), "dimension"));
        primary_key.push(d.name.clone());
        let n = dim_values.get(&d.name).map_or(0, BTreeSet::len);
        report.notes.push(format!(
            "kolom {} dibaca sebagai dimensi ({n} nilai); tambahkan \"lumbung:default\" (nilai yang berarti jumlah seluruhnya) di datapackage.json agar angkanya menjadi indikator",
            d.header.trim()
        ));
    }
    let mut measure_titles = Vec::new();
    for m in measures {
        let unit = units.get(m).map(|(u, _)| unit_of(u)).unwrap_or_default();
        let title = title_of(m);
        measure_titles.push(title.clone());
        let from: Vec<String> = headers_of
            .get(m)
            .map(|h| h.iter().map(|s| format!("\"{s}\"")).collect())
            .unwrap_or_default();
        let mut f = field(m, "number", title, "measure");
        f.constraints = None;
        f.description = Some(format!("Dari kolom {}", from.join(", ")));
        f.decimals = Some(decimals.get(m).copied().unwrap_or(0));
        if let Some((raw, _)) = units.get(m) {
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
                f.additive = Some(additive_over.clone());
                report.notes.push(format!(
                    "{m} ({unit}) dianggap dapat dijumlahkan antarwilayah{} (lumbung:additive); hapus kunci itu di datapackage.json bila tidak",
                    if additive_over.len() > 1 { " dan antardaerah" } else { "" }
                ));
            }
        } else {
            report.notes.push(format!(
                "{m} tanpa kolom satuan: tambahkan \"lumbung:unit\" di datapackage.json"
            ));
        }
        fields.push(f);
    }
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
    let years = if first == last {
        format!("{first}")
    } else {
        format!("{first}–{last}")
    };
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
                fields,
                missing_values: vec![""],
                primary_key,
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
    Ok(Tidy {
        csv,
        datapackage,
        report: std::mem::take(report),
    })
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
