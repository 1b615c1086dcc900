//! The small CSV files a publisher writes beside a dataset (`koreksi.csv`, `target.csv`): read when present, a fixed header, then each row with its position, every malformed row an error at its line.

use std::path::Path;

use super::registry::csv_error_message;
use crate::diagnostic::{Code, Diagnostic, LineStarts};

/// One well-formed row: its 1-based data row, its line in the file, the line as written and
/// its cells.
pub(crate) struct Row<'a> {
    pub row: usize,
    pub line: usize,
    pub raw: &'a str,
    pub record: csv::StringRecord,
}

impl Row<'_> {
    /// An error about one cell of this row (`field`), with the row shown and a hint.
    pub(crate) fn error(
        &self,
        code: Code,
        shown: &Path,
        field: &str,
        msg: String,
        hint: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(code, shown, msg)
            .at_csv(self.row, self.line, Some(field), Some(self.raw))
            .hint(hint)
    }
}

/// The text of `folder/name`, `None` when the folder has no such file; an unreadable file is
/// an error with `code`, naming the file as `what` ("koreksi", "target").
pub(crate) fn read(
    folder: &Path,
    name: &str,
    shown: &Path,
    code: Code,
    what: &str,
) -> Result<Option<String>, Vec<Diagnostic>> {
    let path = folder.join(name);
    if !path.is_file() {
        return Ok(None);
    }
    std::fs::read_to_string(&path).map(Some).map_err(|e| {
        vec![Diagnostic::error(
            code,
            shown,
            format!("tidak bisa membaca berkas {what}: {e}"),
        )]
    })
}

/// The rows of `text` (a leading BOM is ignored) in file order, each well-formed or the error
/// (`code`) at its line; a first line other than `columns` is one error for the whole file.
pub(crate) fn rows<'a>(
    shown: &Path,
    text: &'a str,
    columns: &[&str],
    code: Code,
    what: &str,
) -> Result<Vec<Result<Row<'a>, Diagnostic>>, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let raw_line = |line: usize| lines.get(line.saturating_sub(1)).copied().unwrap_or("");
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header_ok = rdr
        .headers()
        .map(|h| h.iter().map(str::trim).eq(columns.iter().copied()))
        .unwrap_or(false);
    if !header_ok {
        return Err(vec![
            Diagnostic::error(
                code,
                shown,
                format!("kepala kolom berkas {what} tidak dikenal"),
            )
            .at_text(text, 1, 1)
            .hint(format!("baris pertama harus persis: {}", columns.join(","))),
        ]);
    }
    let line_starts = LineStarts::new(text);
    Ok(rdr
        .records()
        .enumerate()
        .map(|(i, rec)| {
            let row = i + 1;
            match rec {
                Ok(record) => {
                    let line = record
                        .position()
                        .map_or(row + 1, |p| line_starts.line_of(p));
                    Ok(Row {
                        row,
                        line,
                        raw: raw_line(line),
                        record,
                    })
                }
                Err(e) => {
                    let line = e.position().map_or(row + 1, |p| line_starts.line_of(p));
                    Err(
                        Diagnostic::error(code, shown, csv_error_message(&e)).at_csv(
                            row,
                            line,
                            None,
                            Some(raw_line(line)),
                        ),
                    )
                }
            }
        })
        .collect())
}
