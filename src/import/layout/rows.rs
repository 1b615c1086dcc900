//! The data rows of a BPS export whose columns are known: values read, notes after the data kept, shifted and misplaced rows warned about.

use std::path::Path;

use super::cells::{is_missing, looks_numeric, parse_number, show_value, strip_html};
use super::{Cell, Column, DataRow, Record};
use crate::diagnostic::{Code, Diagnostic};

const NOTE_WORDS: [&str; 6] = ["catatan", "keterangan", "sumber", "note", "notes", "source"];

fn is_note_label(name: &str) -> bool {
    let n = name
        .trim()
        .trim_end_matches([':', '.'])
        .trim()
        .to_lowercase();
    NOTE_WORDS.contains(&n.as_str())
}

/// Letters and no digits: a region name where a number should be.
fn looks_like_name(s: &str) -> bool {
    !is_missing(s)
        && s.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && !s.chars().any(|c| c.is_ascii_digit())
}

/// Reads the data rows of a table whose columns are known.
pub(super) struct RowReader<'a> {
    pub(super) shown: &'a Path,
    pub(super) lines: &'a [&'a str],
    pub(super) columns: &'a [Column],
    pub(super) decimal_comma: bool,
}

impl RowReader<'_> {
    fn raw(&self, line: usize) -> &str {
        self.lines
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or("")
    }

    /// The data rows, the footnotes after them, and warnings about skipped or shifted rows.
    pub(super) fn read(
        &self,
        data: &[Record],
        errors: &mut Vec<Diagnostic>,
    ) -> (Vec<DataRow>, Vec<String>, Vec<Diagnostic>) {
        let header_width = self.columns.iter().map(|c| c.index + 1).max().unwrap_or(1);
        let (mut rows, mut notes, mut warnings) = (Vec::new(), Vec::new(), Vec::new());
        let mut in_notes = false;
        for (k, (line, cells)) in data.iter().enumerate() {
            let row = k + 1;
            if cells.iter().all(String::is_empty) {
                continue;
            }
            let name = cells.first().cloned().unwrap_or_default();
            if in_notes || is_note_label(&name) {
                in_notes = true;
                let text = strip_html(&cells.join(" "));
                if !text.is_empty() {
                    notes.push(text);
                }
                continue;
            }
            if let Some(why) = misplaced(&name, cells, header_width) {
                warnings.push(
                    Diagnostic::warning(
                        Code::ImportRowSkipped,
                        self.shown,
                        format!("{why}; baris dilewati"),
                    )
                    .at_csv(row, *line, None, Some(self.raw(*line)))
                    .hint("periksa baris ini di sumbernya dan perbaiki letak kolomnya"),
                );
                continue;
            }
            let Some(values) = self.values(row, *line, cells, errors) else {
                continue;
            };
            warnings.extend(self.shifted(row, *line, &values));
            rows.push(DataRow {
                row,
                line: *line,
                raw: self.raw(*line).to_string(),
                name,
                cells: values,
            });
        }
        (rows, notes, warnings)
    }

    /// The row's values, one per column; `None` when one is not a number (each reported).
    fn values(
        &self,
        row: usize,
        line: usize,
        cells: &[String],
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Vec<Cell>> {
        let mut out = Vec::with_capacity(self.columns.len());
        let mut bad = false;
        for col in self.columns {
            let text = cells.get(col.index).map(String::as_str).unwrap_or("");
            if is_missing(text) {
                out.push(Cell::Missing);
            } else if let Some(v) = parse_number(text, self.decimal_comma) {
                out.push(Cell::Value(v));
            } else {
                bad = true;
                errors.push(
                    Diagnostic::error(Code::ImportNotNumber, self.shown, format!("\"{text}\" bukan angka"))
                        .at_csv(row, line, Some(&col.header), Some(self.raw(line)))
                        .hint("tulis angka (misalnya 14.23) atau \"-\" / \"...\" untuk data yang tidak ada"),
                );
            }
        }
        (!bad).then_some(out)
    }

    /// Two neighbouring columns of different measures holding the same number: the row has
    /// probably slid by one column.
    fn shifted(&self, row: usize, line: usize, values: &[Cell]) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (k, pair) in self.columns.windows(2).enumerate() {
            if let (Cell::Value(a), Cell::Value(b)) = (&values[k], &values[k + 1])
                && pair[0].measure != pair[1].measure
                && pair[1].index == pair[0].index + 1
                && a == b
            {
                out.push(
                    Diagnostic::warning(
                        Code::ImportRowSkipped, self.shown,
                        format!(
                            "baris ini tampak bergeser satu kolom: \"{}\" dan \"{}\" berisi angka yang sama ({})",
                            pair[0].header,
                            pair[1].header,
                            show_value(*a)
                        ),
                    )
                    .at_csv(row, line, Some(&pair[1].header), Some(self.raw(line)))
                    .hint("periksa baris ini di sumbernya; nilai yang mustahil tidak ditulis, yang lain tetap diimpor"),
                );
            }
        }
        out
    }
}

/// Why a row is not a region name followed by its values, when it is not.
fn misplaced(name: &str, cells: &[String], header_width: usize) -> Option<&'static str> {
    let extra = cells.iter().skip(header_width).any(|c| !c.is_empty());
    let name_is_number = looks_numeric(name);
    let value_is_text = cells.get(1).is_some_and(|c| looks_like_name(c));
    if name.is_empty() && value_is_text {
        Some(
            "baris ini tampak bergeser satu kolom ke kanan (kolom pertama kosong, nama di kolom kedua)",
        )
    } else if name_is_number {
        Some("baris ini tampak bergeser satu kolom ke kiri (kolom nama berisi angka)")
    } else if extra {
        Some("baris ini punya lebih banyak isian daripada kepala tabel; tampak bergeser satu kolom")
    } else if name.is_empty() {
        Some("baris ini berisi angka tanpa nama wilayah")
    } else if value_is_text {
        Some("baris ini berisi teks di kolom angka; tampak bergeser satu kolom")
    } else {
        None
    }
}
