//! Reading one tidy export: its records, what each column holds (from the header, else from the values), and the cell parsers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, LineStarts};
use crate::import::layout::{Daerah, Periode};
use crate::import::names::normalize;

/// What a column holds, from its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind {
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
pub(super) struct Column {
    /// The header as written.
    pub(super) header: String,
    /// The header normalised (`kode_kabupaten_kota`), also the output field name.
    pub(super) name: String,
    pub(super) kind: Kind,
}

#[derive(Debug, Clone)]
pub(super) struct Record {
    pub(super) row: usize,
    pub(super) line: usize,
    pub(super) raw: String,
    pub(super) cells: Vec<String>,
}

/// One input file, read and its columns classified.
pub(super) struct Table {
    pub(super) shown: PathBuf,
    pub(super) columns: Vec<Column>,
    pub(super) records: Vec<Record>,
}

/// Header normalised: lower case, spaces and dashes as `_`, no BOM.
pub(super) fn normal_header(h: &str) -> String {
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
pub(super) fn kind_of_header(name: &str) -> Option<Kind> {
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
pub(super) fn parse_value(s: &str) -> Result<Option<f64>, &'static str> {
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

pub(super) fn decimals_of(s: &str) -> u8 {
    s.trim()
        .split_once('.')
        .map(|(_, d)| d.trim_end_matches('0').len().min(3) as u8)
        .unwrap_or(0)
}

pub(super) fn parse_periode(s: &str) -> Option<Periode> {
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

pub(super) fn parse_daerah(s: &str) -> Option<Daerah> {
    let t = s.trim().to_lowercase();
    let t = t.replace(" dan ", "+").replace(" & ", "+");
    Daerah::of_row(&t)
}

/// The unit as Lumbung writes it: lower case, `%` as `persen`; scaling words kept.
pub(super) fn unit_of(satuan: &str) -> String {
    let t = satuan.split_whitespace().collect::<Vec<_>>().join(" ");
    let t = t.to_lowercase();
    match t.as_str() {
        "%" | "persen" | "persentase" | "prosentase" => "persen".into(),
        _ => t,
    }
}

/// Reads every input file (`errors`: problems found before reading, reported with the files'
/// own); every file must have the same row structure (period, daerah, dimensions).
pub(super) fn read_all(
    inputs: &[(PathBuf, String)],
    mut errors: Diagnostics,
) -> Result<Vec<Table>, Diagnostics> {
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
    Ok(tables)
}

/// Reads one CSV file (`,` or `;`), with each record's line and raw text.
fn read_table(shown: &Path, text: &str) -> Result<Table, Diagnostics> {
    let text = text.trim_start_matches('\u{feff}');
    let (headers, records) = read_records(shown, text)?;
    let columns = classify(shown, text, &headers, &records)?;
    check_required(shown, text, &headers, &columns)?;
    Ok(Table {
        shown: shown.to_path_buf(),
        columns,
        records,
    })
}

/// The header cells and the non-blank records, each as wide as the header.
fn read_records(shown: &Path, text: &str) -> Result<(Vec<String>, Vec<Record>), Diagnostics> {
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
    Ok((headers, records))
}

/// Each column's kind, from its header or else its values; a header written twice is an error.
fn classify(
    shown: &Path,
    text: &str,
    headers: &[String],
    records: &[Record],
) -> Result<Vec<Column>, Diagnostics> {
    let mut errors = Diagnostics::default();
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
        let kind = kind_of_header(&name).unwrap_or_else(|| kind_of_values(records, i));
        columns.push(Column {
            header: h.clone(),
            name,
            kind,
        });
    }
    if errors.has_errors() {
        return Err(errors);
    }
    Ok(columns)
}

/// The kind of a column whose header says nothing: numbers, text, or nothing at all.
fn kind_of_values(records: &[Record], i: usize) -> Kind {
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

/// A region column, a year column and a column of numbers must be there.
fn check_required(
    shown: &Path,
    text: &str,
    headers: &[String],
    columns: &[Column],
) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::default();
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
    Ok(())
}
