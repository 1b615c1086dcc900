//! Reading one BPS web-table export: header lines, years, periods, measures, data rows and notes.
//!
//! `measure.rs` holds what a header names, `cells.rs` how a cell is read, `rows.rs` the data
//! rows; this file finds the header lines and the value columns.

mod cells;
mod measure;
mod rows;

use std::path::Path;

use crate::diagnostic::{Code, Diagnostic};
use cells::looks_numeric;
pub use cells::{format_value, is_missing, parse_number, show_value, strip_html, years_in};
pub use measure::{Daerah, Measure, Periode};
use rows::RowReader;

/// One value column of a table, with what was detected in its header.
#[derive(Debug, Clone)]
pub struct Column {
    /// 0-based position in the CSV record.
    pub index: usize,
    /// The header lines of this column joined with spaces.
    pub header: String,
    /// What the column measures.
    pub measure: Measure,
    /// The year of the values, from the header or else the file name.
    pub year: i32,
    /// `None`: the header names no period.
    pub periode: Option<Periode>,
    /// `None`: the header says nothing about perkotaan/perdesaan.
    pub daerah: Option<Daerah>,
    /// The year came from the file name, not the header.
    pub year_from_file_name: bool,
}

/// A value cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A number, as read.
    Value(f64),
    /// One of the marks BPS uses for "no value" ("-", "…", empty, …).
    Missing,
}

/// One data row: a region name and its values, one per column.
#[derive(Debug, Clone)]
pub struct DataRow {
    /// 1-based data row (the first row after the header lines is 1).
    pub row: usize,
    /// 1-based physical line.
    pub line: usize,
    /// The whole line as written, for messages.
    pub raw: String,
    /// The region name in the first column, as written.
    pub name: String,
    /// Aligned with `Table::columns`.
    pub cells: Vec<Cell>,
}

/// A BPS export, understood.
#[derive(Debug, Clone)]
pub struct Table {
    /// Number of header lines before the first data row.
    pub header_lines: usize,
    /// The header of the name column ("Nama Wilayah", "Provinsi" …).
    pub label: String,
    /// The value columns, in CSV order.
    pub columns: Vec<Column>,
    /// The data rows, in file order (blank, note and misplaced rows left out).
    pub rows: Vec<DataRow>,
    /// Footnotes after the data ("Catatan", "Keterangan"), HTML removed.
    pub notes: Vec<String>,
    /// Rows that were skipped and why (warnings).
    pub warnings: Vec<Diagnostic>,
}

/// The separator used by the file: the most frequent of `,`, `;` and tab in its first lines.
fn detect_delimiter(text: &str) -> u8 {
    let head: String = text.lines().take(5).collect::<Vec<_>>().join("\n");
    let count = |c: char| head.matches(c).count();
    let (comma, semi, tab) = (count(','), count(';'), count('\t'));
    if semi > comma && semi >= tab {
        b';'
    } else if tab > comma && tab > semi {
        b'\t'
    } else {
        b','
    }
}

/// One CSV record: its physical line and its trimmed cells.
type Record = (usize, Vec<String>);

/// Reads a BPS export. `shown` is the path for messages; the file name may supply the year.
pub fn read_table(shown: &Path, text: &str) -> Result<Table, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = detect_delimiter(text);
    let lines: Vec<&str> = text.lines().collect();
    let records = read_records(shown, text, delimiter, &lines)?;
    let Some(first_data) = records.iter().position(|(_, c)| is_data(c)) else {
        return Err(vec![
            Diagnostic::error(
                Code::ImportNoRows,
                shown,
                "tidak ada baris data: tidak satu baris pun berisi nama wilayah diikuti angka",
            )
            .hint("pastikan ini ekspor tabel BPS (CSV) dengan nama wilayah di kolom pertama"),
        ]);
    };
    let (header, data) = records.split_at(first_data);
    let (label, col_headers) = column_headers(header, &records);
    let mut errors = Vec::new();
    let columns = detect_columns(shown, header, data, &col_headers, &mut errors);
    check_duplicate_columns(shown, &columns, &mut errors);
    let reader = RowReader {
        shown,
        lines: &lines,
        columns: &columns,
        decimal_comma: delimiter != b',',
    };
    let (rows, notes, warnings) = reader.read(data, &mut errors);
    if errors.is_empty() {
        Ok(Table {
            header_lines: first_data,
            label,
            columns,
            rows,
            notes,
            warnings,
        })
    } else {
        Err(errors)
    }
}

/// Every record of the file, cells trimmed.
fn read_records(
    shown: &Path,
    text: &str,
    delimiter: u8,
    lines: &[&str],
) -> Result<Vec<Record>, Vec<Diagnostic>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let line_starts = crate::diagnostic::LineStarts::new(text);
    let mut records = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        match rec {
            Ok(r) => {
                let line = r.position().map_or(i + 1, |p| line_starts.line_of(p));
                records.push((line, r.iter().map(|c| c.trim().to_string()).collect()));
            }
            Err(e) => {
                let line = e.position().map_or(i + 1, |p| line_starts.line_of(p));
                return Err(vec![
                    Diagnostic::error(
                        Code::ImportInput,
                        shown,
                        crate::data::registry::csv_error_message(&e),
                    )
                    .at_csv(
                        i + 1,
                        line,
                        None,
                        lines.get(line.saturating_sub(1)).copied(),
                    )
                    .hint("simpan ulang tabel dari situs BPS sebagai CSV"),
                ]);
            }
        }
    }
    Ok(records)
}

/// A row of years ("Tahun,2023,2024") is a header even though its cells are numbers.
fn is_year_row(cells: &[String]) -> bool {
    let nums: Vec<&String> = cells[1..].iter().filter(|c| !c.is_empty()).collect();
    !nums.is_empty() && nums.iter().all(|c| c.len() == 4 && years_in(c).len() == 1)
}

/// A name followed by numbers (or missing markers).
fn is_data(cells: &[String]) -> bool {
    cells.len() > 1
        && !is_year_row(cells)
        && !cells[0].is_empty()
        && cells[1..].iter().any(|c| looks_numeric(c))
        && cells[1..].iter().all(|c| looks_numeric(c) || is_missing(c))
}

/// The name column's label and each column's header lines joined; an empty cell of a merged
/// header continues the value column on its left.
fn column_headers(header: &[Record], all: &[Record]) -> (String, Vec<String>) {
    let width = all.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
    let mut col_headers = vec![String::new(); width];
    let mut label = String::new();
    for (_, cells) in header {
        if let Some(c) = cells.first()
            && label.is_empty()
            && !c.is_empty()
        {
            label = c.clone();
        }
        let mut last = String::new();
        for (j, slot) in col_headers.iter_mut().enumerate().skip(1) {
            let Some(cell) = cells.get(j) else { break };
            let cell = if cell.is_empty() {
                last.clone()
            } else {
                cell.to_string()
            };
            last.clone_from(&cell);
            if !cell.is_empty() {
                if !slot.is_empty() {
                    slot.push(' ');
                }
                slot.push_str(&cell);
            }
        }
    }
    (label, col_headers)
}

/// The value columns: measure, year (from the header, else the file name), period and daerah.
fn detect_columns(
    shown: &Path,
    header: &[Record],
    data: &[Record],
    col_headers: &[String],
    errors: &mut Vec<Diagnostic>,
) -> Vec<Column> {
    let file_years = years_in(
        &shown
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    let header_cells = header.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
    let mut columns = Vec::new();
    for (j, h) in col_headers.iter().enumerate().skip(1) {
        if j >= header_cells {
            // No header cell at all: values out here are reported row by row as shifted.
            break;
        }
        let has_data = data
            .iter()
            .any(|(_, c)| c.get(j).is_some_and(|v| !v.is_empty()));
        let Some(measure) = Measure::detect(h) else {
            if has_data && !h.is_empty() {
                errors.push(
                    Diagnostic::error(Code::ImportUnknownColumn, shown, format!("kolom {} \"{h}\" tidak dikenali", j + 1))
                        .hint("kolom yang dikenali: persentase penduduk miskin (P0), indeks kedalaman (P1), indeks keparahan (P2), garis kemiskinan, jumlah penduduk miskin"),
                );
            } else if has_data {
                errors.push(
                    Diagnostic::error(
                        Code::ImportUnknownColumn,
                        shown,
                        format!("kolom {} berisi angka tetapi tidak punya judul", j + 1),
                    )
                    .hint("periksa apakah baris kepala tabel ikut tersimpan"),
                );
            }
            continue;
        };
        if measure == Measure::JumlahPendudukMiskin && !h.to_lowercase().contains("ribu") {
            errors.push(
                Diagnostic::error(
                    Code::ImportUnit, shown,
                    format!("kolom \"{h}\": satuan jumlah penduduk miskin tidak tertulis sebagai ribu jiwa"),
                )
                .hint("Lumbung menyimpan jumlah penduduk miskin dalam ribu jiwa; ekspor tabel BPS dengan satuan \"(Ribu Jiwa)\""),
            );
            continue;
        }
        let Some((year, from_name)) = column_year(shown, h, &file_years, errors) else {
            continue;
        };
        columns.push(Column {
            index: j,
            header: h.clone(),
            measure,
            year,
            periode: Periode::detect(h),
            daerah: Daerah::detect(h),
            year_from_file_name: from_name,
        });
    }
    if columns.is_empty() && errors.is_empty() {
        errors.push(
            Diagnostic::error(
                Code::ImportUnknownColumn,
                shown,
                "tidak ada kolom angka yang dikenali",
            )
            .hint("kolom yang dikenali: P0, P1, P2, garis kemiskinan, jumlah penduduk miskin"),
        );
    }
    columns
}

/// A column's year and whether it came from the file name; `None` (with an error) when it cannot be told.
fn column_year(
    shown: &Path,
    h: &str,
    file_years: &[i32],
    errors: &mut Vec<Diagnostic>,
) -> Option<(i32, bool)> {
    match years_in(h).as_slice() {
        [y] => Some((*y, false)),
        [] => match file_years {
            [y] => Some((*y, true)),
            _ => {
                errors.push(
                    Diagnostic::error(Code::ImportYear, shown, format!("kolom \"{h}\" tidak menyebut tahun, dan nama berkasnya tidak menyebut tepat satu tahun"))
                        .hint("beri nama berkas dengan tahunnya, misalnya \"… Menurut Provinsi, 2024.csv\""),
                );
                None
            }
        },
        many => {
            let list: Vec<String> = many.iter().map(i32::to_string).collect();
            errors.push(
                Diagnostic::error(
                    Code::ImportYear,
                    shown,
                    format!(
                        "kolom \"{h}\" menyebut lebih dari satu tahun ({})",
                        list.join(", ")
                    ),
                )
                .hint("satu kolom harus berisi satu tahun"),
            );
            None
        }
    }
}

/// Two columns for the same measure, year, period and daerah.
fn check_duplicate_columns(shown: &Path, columns: &[Column], errors: &mut Vec<Diagnostic>) {
    for (a, ca) in columns.iter().enumerate() {
        for cb in &columns[a + 1..] {
            if (ca.measure, ca.year, ca.periode, ca.daerah)
                == (cb.measure, cb.year, cb.periode, cb.daerah)
            {
                errors.push(
                    Diagnostic::error(
                        Code::ImportDuplicateColumn,
                        shown,
                        format!(
                            "kolom {} dan {} sama-sama berisi {} {}",
                            ca.index + 1,
                            cb.index + 1,
                            ca.measure.field(),
                            ca.year
                        ),
                    )
                    .hint("hapus salah satu kolom atau perbaiki kepala tabelnya"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kabkota_layout() {
        let t = "\u{feff}Nama Wilayah,\n,Persentase Penduduk Miskin (P0) Menurut Kabupaten/Kota (Persen)\n,2024\nACEH,14.23\nSimeulue,-";
        let tab = read_table(Path::new("p0.csv"), t).unwrap();
        assert_eq!(tab.header_lines, 3);
        assert_eq!(tab.label, "Nama Wilayah");
        assert_eq!(tab.columns.len(), 1);
        assert_eq!(tab.columns[0].measure, Measure::P0);
        assert_eq!(tab.columns[0].year, 2024);
        assert_eq!(tab.columns[0].periode, None);
        assert_eq!(tab.rows[0].cells, vec![Cell::Value(14.23)]);
        assert_eq!(tab.rows[1].cells, vec![Cell::Missing]);
        assert_eq!(tab.rows[1].line, 5);
    }

    #[test]
    fn wide_merged_header_and_notes() {
        let t = "Provinsi/Kabupaten/Kota,Jumlah Penduduk Miskin (Ribu Jiwa),,\n,2004,2005,2006\nACEH,-,1.5,2\n,,,\nCatatan,\"<br />Tidak ada data<br />\",,";
        let tab = read_table(Path::new("j.csv"), t).unwrap();
        let years: Vec<i32> = tab.columns.iter().map(|c| c.year).collect();
        assert_eq!(years, vec![2004, 2005, 2006]);
        assert!(
            tab.columns
                .iter()
                .all(|c| c.measure == Measure::JumlahPendudukMiskin)
        );
        assert_eq!(tab.rows.len(), 1);
        assert_eq!(tab.notes, vec!["Catatan Tidak ada data".to_string()]);
    }

    #[test]
    fn province_layout_takes_year_from_file_name() {
        let t = "Provinsi,Garis Kemiskinan - Maret (Rp),Persentase Penduduk Miskin - September\nAceh,661227,12.64\nPapua Selatan,...,...\n";
        let tab = read_table(Path::new("x/Menurut Provinsi, 2024.csv"), t).unwrap();
        assert_eq!(tab.columns[0].measure, Measure::GarisKemiskinan);
        assert_eq!(tab.columns[0].periode, Some(Periode::Maret));
        assert_eq!(tab.columns[1].periode, Some(Periode::September));
        assert!(
            tab.columns
                .iter()
                .all(|c| c.year == 2024 && c.year_from_file_name)
        );
        assert_eq!(tab.rows[1].cells, vec![Cell::Missing, Cell::Missing]);
    }

    #[test]
    fn shifted_rows_warn_and_bad_numbers_fail() {
        let t =
            "Provinsi,Persentase Penduduk Miskin - Maret 2024\nAceh,14.23\n,Bali,4\nJambi,7.1,8\n";
        let tab = read_table(Path::new("p.csv"), t).unwrap();
        assert_eq!(tab.rows.len(), 1);
        assert_eq!(tab.warnings.len(), 2, "{:?}", tab.warnings);
        assert!(tab.warnings[0].to_string().contains("bergeser"));
        let t = "Provinsi,Jumlah Penduduk Miskin - Maret 2024 (Ribu),Persentase Penduduk Miskin - Maret 2024\nIndonesia,25674.58,25674.58\n";
        let tab = read_table(Path::new("p.csv"), t).unwrap();
        assert_eq!(tab.rows.len(), 1);
        assert!(
            tab.warnings[0]
                .message
                .contains("tampak bergeser satu kolom"),
            "{:?}",
            tab.warnings
        );
        let t = "Provinsi,Persentase Penduduk Miskin - Maret 2024\nAceh,14.23\nBali,4%x\n";
        let errs = read_table(Path::new("p.csv"), t).unwrap_err();
        assert!(
            errs[0].to_string().contains("\"4%x\" bukan angka"),
            "{}",
            errs[0]
        );
        assert!(errs[0].to_string().contains("p.csv:3"), "{}", errs[0]);
    }

    #[test]
    fn a_row_of_years_is_a_header() {
        let t = "Provinsi,Persentase Penduduk Miskin (P0),\nTahun,2023,2024\nAceh,14.45,14.23\n";
        let tab = read_table(Path::new("p.csv"), t).unwrap();
        assert_eq!(tab.header_lines, 2);
        assert_eq!(tab.label, "Provinsi");
        let years: Vec<i32> = tab.columns.iter().map(|c| c.year).collect();
        assert_eq!(years, vec![2023, 2024]);
    }

    #[test]
    fn semicolon_locale() {
        let t = "Provinsi;Garis Kemiskinan - Maret 2024 (Rp)\nAceh;661.227\nBali;\"600.000,5\"\n";
        let tab = read_table(Path::new("p.csv"), t).unwrap();
        assert_eq!(tab.rows[0].cells, vec![Cell::Value(661227.0)]);
        assert_eq!(tab.rows[1].cells, vec![Cell::Value(600000.5)]);
    }
}
