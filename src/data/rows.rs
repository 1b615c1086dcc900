//! A dataset's CSV rows: decoded, split by the declared dialect, each cell typed, codes and keys checked, every error collected.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use rayon::prelude::*;

use super::cells::{self, Cell};
use super::period::{self, Period};
use super::registry::{Registry, csv_error_message};
use super::schema::Schema;
use crate::diagnostic::{Code, Diagnostic, LineStarts, line_col};

/// One data row.
#[derive(Debug, Clone)]
pub struct Row {
    /// One typed cell per field, in field order.
    pub cells: Vec<Cell>,
    /// The row's time point, when the dataset has a time field.
    pub period: Option<Period>,
    /// Physical line in the CSV (for later messages).
    pub line: usize,
}

/// Most errors reported for one CSV before summarising the rest.
const MAX_ROW_ERRORS: usize = 50;

/// The CSV bytes as text without a byte-order mark, or an error pointing at the first byte that is not UTF-8.
pub(super) fn decode<'a>(bytes: &'a [u8], csv_shown: &Path) -> Result<&'a str, Diagnostic> {
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes);
    std::str::from_utf8(body).map_err(|e| {
        let lossy = String::from_utf8_lossy(body);
        let (line, col) = line_col(&lossy, e.valid_up_to());
        Diagnostic::error(Code::CsvNotUtf8, csv_shown, "berkas bukan teks UTF-8")
            .at_text(&lossy, line, col)
            .hint("di Excel pilih Simpan Sebagai → \"CSV UTF-8 (Comma delimited)\"")
    })
}

/// Reads every row of `text`; every problem is reported (up to [`MAX_ROW_ERRORS`] per file).
pub(super) fn read(
    text: &str,
    schema: &Schema,
    registry: &Registry,
    csv_shown: &Path,
) -> Result<Vec<Row>, Vec<Diagnostic>> {
    let d = &schema.dialect;
    if let Some(line) = unterminated_quote(text, d.quote) {
        let row = line.saturating_sub(d.header_lines);
        return Err(vec![
            Diagnostic::error(
                Code::CsvUnterminatedQuote,
                csv_shown,
                "tanda kutip dibuka tetapi tidak pernah ditutup",
            )
            .at_csv(row, line, None, text.lines().nth(line - 1))
            .hint(format!(
                "tutup tanda kutip {} di baris ini, atau hapus tanda kutip yang berlebih",
                d.quote as char
            )),
        ]);
    }
    let lines: Vec<&str> = text.lines().collect();
    let line_starts = LineStarts::new(text);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(d.delimiter)
        .quote(d.quote)
        .double_quote(d.double_quote)
        .comment(d.comment)
        .trim(if d.trim {
            csv::Trim::Fields
        } else {
            csv::Trim::None
        })
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let mut reader = RowReader {
        schema,
        registry,
        csv_shown,
        lines: &lines,
        line_starts: &line_starts,
        missing: schema.missing_values.iter().map(String::as_str).collect(),
        // Sized for every line at once: growing a million-row map rehashes it twenty times.
        seen_keys: HashMap::with_capacity(if schema.primary_key.is_empty() {
            0
        } else {
            lines.len()
        }),
        errors: Vec::new(),
        more: 0,
    };
    reader.check_header(&mut records, text)?;
    let mut rows = Vec::with_capacity(lines.len());
    // Records are split off in batches and checked on every thread (a desa dataset's
    // 600,000 rows took a second and a half of one core); their keys and errors are then
    // taken in file order, so the first of two equal keys is the one kept and the errors
    // read as a single pass would report them.
    let mut batch = Vec::with_capacity(BATCH);
    let mut records = records.enumerate();
    loop {
        batch.clear();
        batch.extend(records.by_ref().take(BATCH));
        if batch.is_empty() {
            break;
        }
        let checked: Vec<Checked> = batch
            .par_drain(..)
            .map(|(i, rec)| reader.check(i + 1, rec))
            .collect();
        for c in checked {
            if let Some(row) = reader.take(c) {
                rows.push(row);
            }
        }
    }
    reader.finish()?;
    Ok(rows)
}

/// Records checked together, on every thread.
const BATCH: usize = 8192;

/// One record checked on its own: everything but its key, which needs the rows before it.
enum Checked {
    /// A blank record, or one that cannot be a row (unreadable, wrong number of fields).
    Skipped(Vec<Diagnostic>),
    Row {
        row_no: usize,
        row: Row,
        /// Whether its cells and region codes are sound (only then is its key checked).
        cells_ok: bool,
        /// Whether its period is known.
        period_ok: bool,
        /// What its cells and region codes break, and then what its period does.
        before_key: Vec<Diagnostic>,
        after_key: Vec<Diagnostic>,
    },
}

/// The state of one pass over the records.
struct RowReader<'a> {
    schema: &'a Schema,
    registry: &'a Registry,
    csv_shown: &'a Path,
    lines: &'a [&'a str],
    /// Where each physical line starts, to place records.
    line_starts: &'a LineStarts,
    missing: Vec<&'a str>,
    /// The primary key of each row so far (see [`RowReader::check_key`]), with its row.
    seen_keys: HashMap<String, usize>,
    errors: Vec<Diagnostic>,
    more: usize,
}

impl RowReader<'_> {
    fn raw_line(&self, line: usize) -> Option<&str> {
        self.lines.get(line.saturating_sub(1)).copied()
    }

    fn push(&mut self, d: Diagnostic) {
        if self.errors.len() < MAX_ROW_ERRORS {
            self.errors.push(d);
        } else {
            self.more += 1;
        }
    }

    fn error(&self, code: Code, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, self.csv_shown, msg)
    }

    /// Skips the header lines; the last one must name the fields in order.
    fn check_header(
        &self,
        records: &mut csv::StringRecordsIter<'_, &[u8]>,
        text: &str,
    ) -> Result<(), Vec<Diagnostic>> {
        let mut header: Option<csv::StringRecord> = None;
        for _ in 0..self.schema.dialect.header_lines {
            match records.next() {
                Some(Ok(r)) => header = Some(r),
                Some(Err(e)) => {
                    return Err(vec![
                        self.error(Code::CsvSyntax, csv_error_message(&e))
                            .at_text(text, 1, 1),
                    ]);
                }
                None => break,
            }
        }
        let expected: Vec<&str> = self.schema.fields.iter().map(|f| f.name.as_str()).collect();
        let Some(h) = &header else { return Ok(()) };
        let got: Vec<&str> = h.iter().map(str::trim).collect();
        if got == expected {
            return Ok(());
        }
        let line = h.position().map_or(1, |p| self.line_starts.line_of(p));
        let raw = self.raw_line(line);
        let hint = match raw.and_then(|r| self.other_delimiter(r, Some(&expected))) {
            Some(hint) => hint,
            None => format!(
                "baris kepala harus: {}",
                expected.join(&(self.schema.dialect.delimiter as char).to_string())
            ),
        };
        Err(vec![
            self.error(
                Code::CsvHeaderMismatch,
                "kepala tabel tidak sama dengan fields di datapackage.json",
            )
            .at_csv(0, line, None, raw)
            .hint(hint),
        ])
    }

    /// When `raw` splits into the expected fields (or their number) on a delimiter other
    /// than the declared one, the hint that says so and how to declare it.
    fn other_delimiter(&self, raw: &str, names: Option<&[&str]>) -> Option<String> {
        let declared = self.schema.dialect.delimiter as char;
        let n = self.schema.fields.len();
        [',', ';', '\t', '|']
            .into_iter()
            .filter(|&c| c != declared)
            .find(|&c| {
                let parts: Vec<&str> = raw.split(c).map(str::trim).collect();
                match names {
                    Some(names) => parts == names,
                    None => parts.len() == n,
                }
            })
            .map(|c| {
                let shown = if c == '\t' { "\\t".to_string() } else { c.to_string() };
                format!(
                    "berkas ini dipisah \"{shown}\", bukan \"{declared}\": tulis \"dialect\": {{\"delimiter\": \"{shown}\"}} pada resource ini di datapackage.json (Excel berbahasa Indonesia menyimpan CSV dengan \";\")"
                )
            })
    }

    /// One record checked, all but its key.
    fn check(&self, row_no: usize, rec: csv::Result<csv::StringRecord>) -> Checked {
        let header_lines = self.schema.dialect.header_lines;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(row_no + header_lines, |p| self.line_starts.line_of(p));
                let d = self.error(Code::CsvSyntax, csv_error_message(&e)).at_csv(
                    row_no,
                    line,
                    None,
                    self.raw_line(line),
                );
                return Checked::Skipped(vec![d]);
            }
        };
        let line = rec
            .position()
            .map_or(row_no + header_lines, |p| self.line_starts.line_of(p));
        if rec.len() == 1 && rec[0].trim().is_empty() {
            return Checked::Skipped(Vec::new()); // a blank line
        }
        let fields = &self.schema.fields;
        if rec.len() != fields.len() {
            let delimiter = self.schema.dialect.delimiter as char;
            let d = self
                .error(
                    Code::CsvFieldCount,
                    format!(
                        "baris ini punya {} kolom, padahal tabel punya {} kolom",
                        rec.len(),
                        fields.len()
                    ),
                )
                .at_csv(row_no, line, None, self.raw_line(line))
                .hint(
                    self.raw_line(line)
                        .filter(|_| rec.len() == 1)
                        .and_then(|r| self.other_delimiter(r, None))
                        .unwrap_or_else(|| format!(
                    "setiap baris harus punya {} nilai dipisah \"{delimiter}\"; nilai yang mengandung \"{delimiter}\" harus diapit tanda kutip",
                    fields.len()
                )));
            return Checked::Skipped(vec![d]);
        }
        let mut before_key = Vec::new();
        let mut ok = true;
        let mut cells = Vec::with_capacity(fields.len());
        for (f, raw) in fields.iter().zip(rec.iter()) {
            match cells::parse(f, raw, &self.missing) {
                Ok(c) => cells.push(c),
                Err(e) => {
                    ok = false;
                    let d = self
                        .error(e.code, e.message)
                        .at_csv(row_no, line, Some(&f.name), self.raw_line(line))
                        .hint(e.hint);
                    before_key.push(d);
                    cells.push(Cell::Missing);
                }
            }
        }
        ok &= self.check_regions(&mut cells, row_no, line, &mut before_key);
        let mut after_key = Vec::new();
        let mut period_ok = true;
        let period = self.period(&cells, row_no, line, &mut period_ok, &mut after_key);
        Checked::Row {
            row_no,
            row: Row {
                cells,
                period,
                line,
            },
            cells_ok: ok,
            period_ok,
            before_key,
            after_key,
        }
    }

    /// A checked record's errors recorded and its key checked, in file order: its row, if it
    /// has no errors.
    fn take(&mut self, checked: Checked) -> Option<Row> {
        match checked {
            Checked::Skipped(errors) => {
                errors.into_iter().for_each(|d| self.push(d));
                None
            }
            Checked::Row {
                row_no,
                row,
                cells_ok,
                period_ok,
                before_key,
                after_key,
            } => {
                before_key.into_iter().for_each(|d| self.push(d));
                let key_ok = cells_ok && self.check_key(&row.cells, row_no, row.line);
                after_key.into_iter().for_each(|d| self.push(d));
                (key_ok && period_ok).then_some(row)
            }
        }
    }

    /// Every region-coded cell names a region of the registry.
    fn check_regions(
        &self,
        cells: &mut [Cell],
        row_no: usize,
        line: usize,
        errors: &mut Vec<Diagnostic>,
    ) -> bool {
        let mut ok = true;
        for &fi in &self.schema.bps_coded {
            let Cell::Text(bps) = &cells[fi] else {
                continue;
            };
            match self.registry.from_bps(bps) {
                Some(kode) => cells[fi] = Cell::Text(kode.to_string()),
                None => {
                    ok = false;
                    let d = self
                        .error(
                            Code::CellUnknownBpsCode,
                            format!("kode BPS \"{bps}\" tidak ada di kolom kode_bps data/wilayah.csv"),
                        )
                        .at_csv(row_no, line, Some(&self.schema.fields[fi].name), self.raw_line(line))
                        .hint(if self.registry.by_bps.is_empty() {
                            "data/wilayah.csv belum punya kolom kode_bps: buat ulang dengan `lumbung import wilayah … --bps FOLDER_BPS`".to_string()
                        } else {
                            "periksa kodenya, atau isi kode_bps wilayah itu di data/wilayah.csv".to_string()
                        });
                    errors.push(d);
                }
            }
        }
        if !ok {
            return false;
        }
        for &fi in &self.schema.region_checked {
            if let Cell::Text(code) = &cells[fi]
                && !self.registry.contains(code)
            {
                ok = false;
                if self.registry.broken.contains(code) {
                    continue; // its own row in data/wilayah.csv is already reported
                }
                let d = self
                    .error(
                        Code::CellUnknownRegion,
                        format!("kode wilayah \"{code}\" tidak ada di data/wilayah.csv"),
                    )
                    .at_csv(
                        row_no,
                        line,
                        Some(&self.schema.fields[fi].name),
                        self.raw_line(line),
                    )
                    .hint(self.registry.suggest(code));
                errors.push(d);
            }
        }
        ok
    }

    /// The primary key has not been seen before.
    fn check_key(&mut self, cells: &[Cell], row_no: usize, line: usize) -> bool {
        let pk = &self.schema.primary_key;
        if pk.is_empty() {
            return true;
        }
        // One string per key, each part length-prefixed (no two keys write the same one): a
        // million rows' keys in one allocation each, not one per part.
        let mut key = String::new();
        for &k in pk {
            let part = cells[k].plain();
            let _ = write!(key, "{}:{part}", part.len());
        }
        let first = match self.seen_keys.entry(key) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(row_no);
                return true;
            }
            std::collections::hash_map::Entry::Occupied(o) => *o.get(),
        };
        let shown: Vec<String> = pk.iter().map(|&k| cells[k].plain()).collect();
        let d = self
            .error(
                Code::CsvDuplicateKey,
                format!(
                    "kunci ({}) ganda: sama dengan baris data {first}",
                    shown.join(", ")
                ),
            )
            .at_csv(row_no, line, None, self.raw_line(line))
            .hint(format!(
                "setiap kombinasi {} hanya boleh muncul sekali; hapus atau gabungkan baris ganda",
                self.schema.primary_key_names.join(" + ")
            ));
        self.push(d);
        false
    }

    /// The row's time point from its time and period cells.
    fn period(
        &self,
        cells: &[Cell],
        row_no: usize,
        line: usize,
        ok: &mut bool,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Period> {
        let period_field = self.schema.period;
        match self.schema.time.map(|t| &cells[t]) {
            None | Some(Cell::Missing) => None,
            Some(Cell::Int(y)) => {
                let y = *y as i32;
                let Some(Cell::Text(name)) = period_field.map(|p| &cells[p]) else {
                    return Some(Period::year(y));
                };
                let p = Period::named(y, name);
                if p.is_none() {
                    *ok = false;
                    let field = period_field.map(|p| self.schema.fields[p].name.clone());
                    let d = self
                        .error(
                            Code::CellUnknownPeriod,
                            format!("periode \"{name}\" tidak dikenal"),
                        )
                        .at_csv(row_no, line, field.as_deref(), self.raw_line(line))
                        .hint(format!("gunakan salah satu: {}", period::known_names()));
                    errors.push(d);
                }
                p
            }
            Some(Cell::YearMonth(y, m)) => Some(Period::month(*y, *m)),
            Some(Cell::Date(d)) => Some(Period::month(d.year, d.month)),
            Some(_) => None,
        }
    }

    fn finish(mut self) -> Result<(), Vec<Diagnostic>> {
        if self.more > 0 {
            let more = self.more;
            self.errors.push(
                self.error(
                    Code::CsvMoreErrors,
                    format!("… dan {more} kesalahan lain di berkas ini"),
                )
                .hint("perbaiki kesalahan di atas lalu jalankan lagi"),
            );
        }
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}

/// The 1-based line where a quote opens that is never closed, if any.
fn unterminated_quote(text: &str, quote: u8) -> Option<usize> {
    let mut inside = false;
    let mut open_line = 0;
    let mut line = 1;
    let mut field_start = true;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if inside {
            if b == quote {
                if bytes.get(i + 1) == Some(&quote) {
                    i += 1;
                } else {
                    inside = false;
                }
            }
        } else if b == quote && field_start {
            inside = true;
            open_line = line;
        }
        if b == b'\n' {
            line += 1;
        }
        field_start = !inside && (b == b'\n' || b == b',' || b == b';' || b == b'\t' || b == b'|');
        i += 1;
    }
    inside.then_some(open_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unterminated_quote_found() {
        assert_eq!(unterminated_quote("a,b\n\"x,y\n1,2\n", b'"'), Some(2));
        assert_eq!(unterminated_quote("a,b\n\"x\"\"y\",2\n", b'"'), None);
        assert_eq!(unterminated_quote("a;b\n1;\"ok\"\n", b'"'), None);
    }
}
