//! Download files (CSV, JSON, XLSX) written from one tidy table, so every format carries the same figures.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format as CellFormat, Workbook};
use serde_json::Value;

use crate::config::Config;
use crate::data::dataset::format_plain;

/// A download format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Csv,
    Json,
    Xlsx,
}

impl Format {
    pub(crate) const ALL: [Format; 3] = [Format::Csv, Format::Json, Format::Xlsx];

    /// The file extension.
    pub(crate) fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
        }
    }

    /// The name on a download button.
    pub(crate) fn label(self) -> String {
        self.ext().to_uppercase()
    }

    /// The IANA media type, without parameters (`text/csv`), from the one table the preview
    /// server serves by.
    pub(crate) fn media_type(self) -> &'static str {
        let full = crate::serve::content_type(std::path::Path::new(&format!("f.{}", self.ext())));
        full.split(';').next().unwrap_or(full)
    }
}

/// What a download says about itself: its title, its sheet name (XLSX), the site, the sources
/// of exactly the figures it holds, and remarks (corrected and held-back values).
pub(crate) struct Notes<'a> {
    pub title: &'a str,
    pub sheet: &'a str,
    pub site: &'a Config,
    pub sources: &'a str,
    pub remarks: &'a str,
}

/// The column of a download that says what happened to a row's values.
pub(crate) const REMARKS: &str = "catatan";

/// The remark on every value of a dataset marked `lumbung:illustrative`.
pub(crate) const ILLUSTRATIVE: &str = "angka ilustrasi, bukan data resmi";

/// A remark with the illustrative flag first when the figures are illustrative.
pub(crate) fn remark(illustrative: bool, text: String) -> String {
    match (illustrative, text.is_empty()) {
        (false, _) => text,
        (true, true) => ILLUSTRATIVE.to_string(),
        (true, false) => format!("{ILLUSTRATIVE}; {text}"),
    }
}

/// A text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first),
/// prefixed with `'` as OWASP recommends for CSV; other text is left as it is.
pub(crate) fn neutralise(s: &str) -> String {
    if is_formula_like(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn is_formula_like(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Excel's limits: rows (with the header) and columns of one sheet.
pub(crate) const XLSX_ROWS: usize = 1_048_576;
pub(crate) const XLSX_COLUMNS: usize = 16_384;

/// Whether a table of `rows` data rows and `columns` columns fits one XLSX sheet.
pub(crate) fn fits_xlsx(rows: usize, columns: usize) -> bool {
    rows < XLSX_ROWS && columns <= XLSX_COLUMNS
}

/// One cell of a download table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Field {
    Text(String),
    Num(f64),
    Empty,
}

/// A tidy table: named columns, one observation per row.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Field>>,
}

impl Table {
    /// How many rows carry a remark, as a sentence for the download's notes ("" when none).
    pub(crate) fn remarks(&self) -> String {
        let formulas = self.formula_like_cells();
        let formula_note = if formulas == 0 {
            String::new()
        } else {
            format!(
                "{formulas} sel teks yang diawali =, +, -, @, tab atau CR diberi awalan ' di CSV agar tidak dijalankan sebagai rumus oleh aplikasi lembar kerja (XLSX menyimpannya sebagai teks)"
            )
        };
        let Some(c) = self.columns.iter().position(|c| c == REMARKS) else {
            return formula_note;
        };
        let count = |word: &str| {
            self.rows
                .iter()
                .filter(|r| matches!(r.get(c), Some(Field::Text(t)) if t.contains(word)))
                .count()
        };
        let (fixed, held) = (count("dikoreksi"), count("ditahan"));
        let checks = if fixed + held == 0 {
            String::new()
        } else {
            format!(
                "{fixed} nilai dikoreksi dan {held} nilai ditahan oleh pemeriksaan; lihat kolom {REMARKS} untuk alasan dan sumbernya"
            )
        };
        let illustrative = match count(ILLUSTRATIVE) {
            0 => String::new(),
            n => format!("{n} nilai adalah angka ilustrasi, bukan data resmi: jangan dikutip"),
        };
        [illustrative, checks, formula_note]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(". ")
    }

    /// How many text cells the CSV prefixes with `'` so that a spreadsheet does not run them.
    pub(crate) fn formula_like_cells(&self) -> usize {
        self.rows
            .iter()
            .flatten()
            .filter(|f| matches!(f, Field::Text(t) if is_formula_like(t)))
            .count()
    }

    /// The table in one format, with its notes (JSON metadata, the XLSX "keterangan" sheet).
    pub(crate) fn write(&self, f: Format, notes: &Notes<'_>) -> Result<Vec<u8>, String> {
        Ok(match f {
            Format::Csv => self.to_csv(),
            Format::Json => {
                let mut meta = serde_json::json!({
                    "judul": notes.title,
                    "situs": notes.site.title,
                    "alamat": notes.site.base_url,
                    "sumber": notes.sources,
                });
                if !notes.remarks.is_empty() {
                    meta["catatan"] = serde_json::Value::String(notes.remarks.to_string());
                }
                self.to_json(meta)
            }
            Format::Xlsx => {
                let mut sheet_notes = vec![
                    ("Judul", notes.title.to_string()),
                    ("Sumber", notes.sources.to_string()),
                    ("Situs", notes.site.base_url.clone()),
                ];
                if !notes.remarks.is_empty() {
                    sheet_notes.push(("Catatan", notes.remarks.to_string()));
                }
                self.to_xlsx(notes.sheet, &sheet_notes)?
            }
        })
    }

    /// The SHA-256 of every column name and cell, length-prefixed: what the table's files are
    /// made of, for their build keys (a tenth of the time of its `Debug` text), hashed as it
    /// goes in 64 KB pieces so that a million rows need no copy.
    pub(crate) fn digest(&self) -> [u8; 32] {
        use sha2::Digest;
        const PIECE: usize = 1 << 16;
        let mut hasher = sha2::Sha256::new();
        // Grown as needed: most tables (a desa's figures) are a few hundred bytes.
        let mut out: Vec<u8> = Vec::with_capacity(4096);
        let text = |out: &mut Vec<u8>, s: &str| {
            out.extend_from_slice(&(s.len() as u64).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        };
        out.extend_from_slice(&(self.columns.len() as u64).to_le_bytes());
        for c in &self.columns {
            text(&mut out, c);
        }
        out.extend_from_slice(&(self.rows.len() as u64).to_le_bytes());
        for row in &self.rows {
            out.extend_from_slice(&(row.len() as u64).to_le_bytes());
            for f in row {
                match f {
                    Field::Text(s) => {
                        out.push(b't');
                        text(&mut out, s);
                    }
                    Field::Num(n) => {
                        out.push(b'n');
                        out.extend_from_slice(&n.to_bits().to_le_bytes());
                    }
                    Field::Empty => out.push(b'e'),
                }
            }
            if out.len() >= PIECE {
                hasher.update(&out);
                out.clear();
            }
        }
        hasher.update(&out);
        hasher.finalize().into()
    }

    pub(crate) fn new(columns: &[&str]) -> Table {
        Table {
            columns: columns.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// UTF-8 CSV, comma-separated, dot decimals, with a header row.
    pub(crate) fn to_csv(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let _ = w.write_record(&self.columns);
        for row in &self.rows {
            let rec: Vec<String> = row
                .iter()
                .map(|f| match f {
                    Field::Text(s) => neutralise(s),
                    Field::Num(n) => format_plain(*n),
                    Field::Empty => String::new(),
                })
                .collect();
            let _ = w.write_record(&rec);
        }
        w.into_inner().unwrap_or_default()
    }

    /// `{"data": [...], "metadata": meta}`: the rows as objects whose keys (the column names)
    /// come sorted, as in a `serde_json::Map`; written row by row, never held as one JSON
    /// value (a million-row table would take a gigabyte).
    pub(crate) fn to_json(&self, meta: Value) -> Vec<u8> {
        let mut out = Vec::new();
        let doc = JsonDocument { table: self, meta };
        if serde_json::to_writer_pretty(&mut out, &doc).is_err() {
            out.clear();
        }
        out.push(b'\n');
        out
    }

    /// An Excel workbook with one sheet and a notes sheet; fixed document date so builds repeat byte for byte.
    /// Written by [`crate::xlsx`]: the same parts as rust_xlsxwriter's in a tenth of the time
    /// (a large table's deflated as they are written); what it does not cover, by
    /// rust_xlsxwriter.
    pub(crate) fn to_xlsx(&self, sheet: &str, notes: &[(&str, String)]) -> Result<Vec<u8>, String> {
        if let Some(bytes) = xlsx_template().and_then(|t| {
            t.workbook(
                &self.columns,
                &self.rows,
                &sheet_name(sheet),
                notes,
                self.is_large(),
            )
        }) {
            return Ok(bytes);
        }
        self.workbook(sheet, notes, self.is_large())
    }

    /// Whether the table is a large workbook: compressed at level 3, not 1, and written
    /// through a temporary file (see [`SMALL_XLSX_CELLS`]).
    fn is_large(&self) -> bool {
        self.rows.len() * self.columns.len() >= SMALL_XLSX_CELLS
    }

    /// The workbook of [`Table::to_xlsx`]; with `streamed`, the data sheet's rows go to an
    /// unnamed temporary file as they are written (XML as in memory, less each row's optional
    /// `spans` hint), or are held in memory where no temporary file can be made.
    fn workbook(
        &self,
        sheet: &str,
        notes: &[(&str, String)],
        streamed: bool,
    ) -> Result<Vec<u8>, String> {
        let mut wb = Workbook::new();
        wb.set_zip_compression_level(if self.is_large() { 3 } else { 1 });
        let date = ExcelDateTime::from_ymd(2000, 1, 1).map_err(|e| e.to_string())?;
        wb.set_properties(&DocProperties::new().set_creation_datetime(&date));
        let bold = CellFormat::new().set_bold();
        {
            let ws = if streamed && wb.add_worksheet_with_low_memory().is_ok() {
                wb.worksheet_from_index(0).map_err(|e| e.to_string())?
            } else {
                wb.add_worksheet()
            };
            ws.set_name(sheet_name(sheet)).map_err(|e| e.to_string())?;
            for (c, name) in self.columns.iter().enumerate() {
                ws.write_string_with_format(0, c as u16, name, &bold)
                    .map_err(|e| e.to_string())?;
            }
            for (r, row) in self.rows.iter().enumerate() {
                let r = (r + 1) as u32;
                for (c, f) in row.iter().enumerate() {
                    let c = c as u16;
                    match f {
                        Field::Text(s) => {
                            ws.write_string(r, c, s).map_err(|e| e.to_string())?;
                        }
                        Field::Num(n) => {
                            ws.write_number(r, c, *n).map_err(|e| e.to_string())?;
                        }
                        Field::Empty => {}
                    }
                }
            }
            ws.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
        }
        if !notes.is_empty() {
            let ws = wb.add_worksheet();
            ws.set_name("keterangan").map_err(|e| e.to_string())?;
            for (r, (k, v)) in notes.iter().enumerate() {
                ws.write_string_with_format(r as u32, 0, *k, &bold)
                    .map_err(|e| e.to_string())?;
                ws.write_string(r as u32, 1, v).map_err(|e| e.to_string())?;
            }
        }
        wb.save_to_buffer().map_err(|e| e.to_string())
    }
}

/// The small-workbook template: rust_xlsxwriter's workbook of a two-cell table, read once
/// (`None` if this program's writer would not make the same parts from it).
fn xlsx_template() -> Option<&'static crate::xlsx::Template> {
    static TEMPLATE: OnceLock<Option<crate::xlsx::Template>> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let sample = Table {
                columns: vec!["kode".into(), "nilai".into()],
                rows: vec![vec![Field::Text("36.04".into()), Field::Num(1.5)]],
            };
            let notes = [("Sumber", "BPS".to_string())];
            let bytes = sample
                .workbook(crate::xlsx::PLACEHOLDER, &notes, false)
                .ok()?;
            crate::xlsx::Template::read(&bytes, &sample.columns, &sample.rows, &notes)
        })
        .as_ref()
}

/// A download table with its [`Table::digest`], made once for the files written from it.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub table: Table,
    pub digest: [u8; 32],
    /// [`Table::remarks`], made by the first file that is written (none when all are kept).
    remarks: OnceLock<String>,
}

impl Prepared {
    pub(crate) fn new(table: Table) -> Arc<Prepared> {
        Arc::new(Prepared {
            digest: table.digest(),
            table,
            remarks: OnceLock::new(),
        })
    }

    /// The table's remarks, counted once for all its files.
    pub(crate) fn remarks(&self) -> &str {
        self.remarks.get_or_init(|| self.table.remarks())
    }
}

/// Download tables by name, each kept only while a job holds it: the jobs that write one
/// table's files at the same time (a dataset's CSV, JSON and XLSX, started together on two
/// threads) make it once between them (a million rows: 0.4 GB and a second each), and none
/// outlives its jobs. Each name keeps its empty slot until the build ends (a desa portal's
/// 92,000 slots: about 10 MB).
#[derive(Debug, Default)]
pub(crate) struct Shelf {
    slots: Mutex<HashMap<String, Arc<Mutex<Weak<Prepared>>>>>,
}

impl Shelf {
    /// The table named `name` while another job holds it, else `make()` (while it is made,
    /// another job asking for the same name waits for it rather than making it too).
    pub(crate) fn get(&self, name: &str, make: impl FnOnce() -> Table) -> Arc<Prepared> {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(slots.entry(name.to_string()).or_default())
        };
        let mut held = slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(made) = held.upgrade() {
            return made;
        }
        let made = Prepared::new(make());
        *held = Arc::downgrade(&made);
        made
    }
}

/// A table's JSON download, serialised as it is written.
struct JsonDocument<'a> {
    table: &'a Table,
    meta: Value,
}

impl serde::Serialize for JsonDocument<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        // A map keeps one value per name, the last column's that the row has: its keys in
        // order, with the columns of each name.
        let mut keys: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
        for (i, c) in self.table.columns.iter().enumerate() {
            keys.entry(c).or_default().push(i);
        }
        let keys: Vec<(&str, Vec<usize>)> = keys.into_iter().collect();
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry(
            "data",
            &JsonRows {
                rows: &self.table.rows,
                keys: &keys,
            },
        )?;
        map.serialize_entry("metadata", &self.meta)?;
        map.end()
    }
}

/// The rows of a JSON download.
struct JsonRows<'a> {
    rows: &'a [Vec<Field>],
    keys: &'a [(&'a str, Vec<usize>)],
}

/// A whole number as JSON writes it without a fraction (`420000`, not `420000.0`, which
/// Python and R would read as a float), while it is exact (below 2^53).
fn json_integer(n: f64) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    (n.fract() == 0.0 && n.abs() < EXACT).then_some(n as i64)
}

impl serde::Serialize for JsonRows<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        struct Row<'a>(&'a [Field], &'a [(&'a str, Vec<usize>)]);
        impl serde::Serialize for Row<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let present = self.1.iter().filter_map(|(key, columns)| {
                    let i = columns.iter().rev().find(|&&i| i < self.0.len())?;
                    Some((*key, *i))
                });
                let mut map = s.serialize_map(Some(present.clone().count()))?;
                for (key, i) in present {
                    match &self.0[i] {
                        Field::Text(t) => map.serialize_entry(key, t)?,
                        Field::Num(n) => match json_integer(*n) {
                            Some(i) => map.serialize_entry(key, &i)?,
                            None if n.is_finite() => map.serialize_entry(key, n)?,
                            None => map.serialize_entry(key, &())?,
                        },
                        Field::Empty => map.serialize_entry(key, &())?,
                    }
                }
                map.end()
            }
        }
        let mut seq = s.serialize_seq(Some(self.rows.len()))?;
        for row in self.rows {
            seq.serialize_element(&Row(row, self.keys))?;
        }
        seq.end()
    }
}

/// Below this many cells a workbook is compressed at zlib's fastest level (1): its XML parts
/// are a few kilobytes, and the default level (6) saves about a kilobyte in twice the time (a
/// region's download of 60 cells: 7.6 against 6.3 KB). Larger workbooks take level 3: a tenth
/// bigger than level 6 in three fifths of the time, where level 1 is two thirds bigger (a
/// million-row dataset: 31.6 MB at level 3, 28.5 MB at 6, 47.6 MB at 1). `xlsx.rs` deflates
/// a sheet as it writes it; a large table that goes to rust_xlsxwriter has its data sheet
/// written row by row through a temporary file (its low-memory mode): held in memory, a
/// million rows took 1.4 GB of cells and XML.
const SMALL_XLSX_CELLS: usize = 10_000;

/// A worksheet name Excel accepts for `title`: without `[]:*?/\`, at most 31 characters, not
/// starting or ending with an apostrophe (Toraja names such as "Sangalla'" end with one), and
/// not the reserved "History"; "data" when nothing is left.
fn sheet_name(title: &str) -> String {
    let kept: String = title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    let name = kept.trim_matches(|c: char| c == '\'' || c.is_whitespace());
    if name.is_empty() || name.eq_ignore_ascii_case("history") {
        "data".to_string()
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

    /// A table's workbook from the small-workbook writer and from rust_xlsxwriter, as parts.
    fn both_writers(
        t: &Table,
        sheet: &str,
        notes: &[(&str, String)],
    ) -> [Vec<(String, String)>; 2] {
        let fast = t.to_xlsx(sheet, notes).unwrap();
        let reference = t.workbook(sheet, notes, false).unwrap();
        assert_ne!(fast, reference, "the small-workbook writer wrote it");
        [fast, reference].map(|b| crate::xlsx::unzip(&b).expect("a readable zip, CRCs checked"))
    }

    #[test]
    fn small_workbooks_hold_rust_xlsxwriters_parts_byte_for_byte() {
        assert!(xlsx_template().is_some(), "the template reads back");
        // A made-up mix of what download tables hold: text that needs escaping, control
        // characters, Excel's own escapes, edge whitespace, other scripts, empty cells and
        // text, rows shorter and longer than the header, empty rows, numbers of every size,
        // more than 26 columns and more than 16 rows (spans per block of 16).
        let words = [
            "Kab. Serang",
            "a & b",
            "<b>tebal</b>",
            "\"kutip\"",
            "Sangalla'",
            " depan",
            "belakang ",
            "\tTab",
            "baris\nbaru",
            "cr\r\nlf",
            "\u{1}kontrol\u{1f}",
            "_x0041_",
            "_x00",
            "a_x004G_b",
            "x_x1234_y_xABCD_",
            "Bahasa Indonesia",
            "中文",
            "emoji 🌾",
            "",
            "=SUM(A1)",
            "'kutip",
            "\u{FFFE}",
            "36.04",
            "2013",
            "Maret",
            "ditahan",
        ];
        let numbers = [
            0.0,
            -0.0,
            1.5,
            9.35,
            -2.25,
            1e-7,
            123_456_789.125,
            1e21,
            3.0e300,
            42.0,
            0.1 + 0.2,
        ];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for case in 0..60 {
            let width = 1 + next(if case % 5 == 0 { 40 } else { 9 });
            let columns: Vec<String> = (0..width)
                .map(|c| format!("{}{c}", words[next(words.len())]))
                .collect();
            let rows = (0..next(if case % 4 == 0 { 70 } else { 12 }))
                .map(|_| {
                    let len = match next(6) {
                        0 => 0,
                        1 => next(width + 3),
                        _ => width,
                    };
                    (0..len)
                        .map(|_| match next(5) {
                            0 => Field::Empty,
                            1 | 2 => Field::Num(numbers[next(numbers.len())]),
                            _ => Field::Text(words[next(words.len())].to_string()),
                        })
                        .collect()
                })
                .collect();
            let t = Table { columns, rows };
            let sheet = [
                "Data Kab. Serang",
                "Data A & B <x>",
                "Data \"36.04\"",
                "Data Sangalla",
            ][case % 4];
            let mut notes = vec![
                ("Judul", format!("Data {}", words[next(words.len())])),
                ("Sumber", "BPS & Kemendagri".to_string()),
                ("Situs", "https://contoh.id/".to_string()),
            ];
            if case % 2 == 0 {
                notes.push(("Catatan", words[next(words.len())].to_string()));
            }
            let [fast, reference] = both_writers(&t, sheet, &notes);
            assert_eq!(fast.len(), reference.len(), "case {case}");
            for ((name, a), (name_b, b)) in fast.iter().zip(&reference) {
                assert_eq!((name, a), (name_b, b), "case {case}");
            }
        }
    }

    #[test]
    fn small_workbooks_escape_text_that_looks_like_rich_text() {
        // rust_xlsxwriter writes a shared string that starts with `<r>` and ends with `</r>` as
        // raw XML (its rich strings); a cell from a CSV is text and stays text.
        let mut t = Table::new(&["catatan"]);
        t.rows
            .push(vec![Field::Text("<r><t>bukan XML</t></r>".into())]);
        let bytes = t.to_xlsx("x", &[("Sumber", "BPS".into())]).unwrap();
        let parts = crate::xlsx::unzip(&bytes).unwrap();
        let strings = &parts
            .iter()
            .find(|(n, _)| n == "xl/sharedStrings.xml")
            .unwrap()
            .1;
        assert!(
            strings.contains("<si><t>&lt;r&gt;&lt;t&gt;bukan XML&lt;/t&gt;&lt;/r&gt;</t></si>"),
            "{strings}"
        );
    }

    #[test]
    fn unusual_workbooks_go_to_rust_xlsxwriter() {
        let mut t = Table::new(&["nilai"]);
        t.rows.push(vec![Field::Num(f64::NAN)]);
        let notes = [("Sumber", "BPS".to_string())];
        assert_eq!(
            t.to_xlsx("x", &notes).unwrap(),
            t.workbook("x", &notes, false).unwrap()
        );
        let plain = Table::new(&["nilai"]);
        for (sheet, notes) in [("keterangan", &notes[..]), ("x", &[][..])] {
            assert_eq!(
                plain.to_xlsx(sheet, notes),
                plain.workbook(sheet, notes, false),
                "{sheet}"
            );
        }
        let long = Table {
            columns: vec!["x".repeat(40_000)],
            rows: Vec::new(),
        };
        assert!(
            long.to_xlsx("x", &notes).is_err(),
            "longer than Excel takes"
        );
    }

    #[test]
    fn sheet_names_are_ones_excel_accepts() {
        assert_eq!(sheet_name("Data Sangalla'"), "Data Sangalla");
        assert_eq!(sheet_name("'Data'"), "Data");
        assert_eq!(sheet_name("Data [1/2]?"), "Data 12");
        assert_eq!(sheet_name("History"), "data");
        let long = sheet_name("Data Kabupaten Kepulauan Siau Tagulandang Biaro");
        assert_eq!(long.chars().count(), 31);
        // Each name is accepted by the writer.
        for title in [
            "Data Malimbong Balepe'",
            "Data Sangalla'",
            "'",
            "Data Ba'tan",
        ] {
            let t = Table {
                columns: vec!["a".into()],
                rows: vec![vec![Field::Num(1.0)]],
            };
            assert!(t.to_xlsx(title, &[]).is_ok(), "{title}");
        }
    }

    #[test]
    fn formula_cells_are_neutralised_and_other_text_is_not() {
        for f in [
            "=HYPERLINK(\"http://evil\",\"x\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralise(f), format!("'{f}"));
        }
        for t in ["Kabupaten Serang", "36.04", "", "a=b"] {
            assert_eq!(neutralise(t), t);
        }
        let mut t = Table::new(&["nama", "nilai"]);
        t.rows
            .push(vec![Field::Text("=1+1".into()), Field::Num(-5.0)]);
        let csv = String::from_utf8(t.to_csv()).unwrap();
        assert!(csv.contains("'=1+1,-5"), "numbers are never touched: {csv}");
    }

    #[test]
    fn json_is_written_as_the_value_tree_would_print() {
        // The form it replaced: the whole table as one JSON value.
        let tree = |t: &Table, meta: Value| {
            let data: Vec<Value> = t
                .rows
                .iter()
                .map(|row| {
                    let mut m = Map::new();
                    for (c, f) in t.columns.iter().zip(row) {
                        m.insert(
                            c.clone(),
                            match f {
                                Field::Text(s) => Value::String(s.clone()),
                                Field::Num(n) => match json_integer(*n) {
                                    Some(i) => Value::from(i),
                                    None => serde_json::Number::from_f64(*n)
                                        .map_or(Value::Null, Value::Number),
                                },
                                Field::Empty => Value::Null,
                            },
                        );
                    }
                    Value::Object(m)
                })
                .collect();
            let mut root = Map::new();
            root.insert("metadata".into(), meta);
            root.insert("data".into(), Value::Array(data));
            let mut out = serde_json::to_vec_pretty(&Value::Object(root)).unwrap();
            out.push(b'\n');
            out
        };
        let mut t = Table::new(&["tahun", "nilai", "catatan", "nilai", "Ä", "a b\"c"]);
        t.rows.push(vec![
            Field::Text("2024".into()),
            Field::Num(5.65),
            Field::Text("=1+1 \u{7} é".into()),
            Field::Num(-0.0),
            Field::Empty,
            Field::Num(400.0),
        ]);
        t.rows
            .push(vec![Field::Num(f64::NAN), Field::Num(f64::INFINITY)]);
        t.rows.push(vec![]);
        let meta = serde_json::json!({"judul": "Data", "sumber": "BPS", "alamat": "https://x/"});
        let json = String::from_utf8(t.to_json(meta.clone())).unwrap();
        assert!(
            json.contains("\"a b\\\"c\": 400,"),
            "a whole number without .0: {json}"
        );
        assert!(json.contains("\"nilai\": 0,"), "minus zero is 0: {json}");
        assert_eq!(json, String::from_utf8(tree(&t, meta)).unwrap());
        let empty = Table::new(&["a"]);
        assert_eq!(empty.to_json(Value::Null), tree(&empty, Value::Null));
    }

    #[test]
    fn fingerprints_tell_tables_apart() {
        let print = Table::digest;
        let mut a = Table::new(&["kode", "nilai"]);
        a.rows
            .push(vec![Field::Text("36.73".into()), Field::Num(5.65)]);
        let mut b = a.clone();
        assert_eq!(print(&a), print(&b));
        b.rows[0][1] = Field::Num(5.66);
        assert_ne!(print(&a), print(&b), "a value");
        b.rows[0][1] = Field::Empty;
        assert_ne!(print(&a), print(&b), "a value gone");
        let mut c = Table::new(&["kode", "nilai"]);
        c.rows.push(vec![
            Field::Text("36.7".into()),
            Field::Text("35.65".into()),
        ]);
        assert_ne!(print(&a), print(&c), "text moved between cells");
        let mut d = Table::new(&["kodenilai"]);
        d.rows.push(vec![Field::Text("36.73".into())]);
        assert_ne!(print(&Table::new(&["kode", "nilai"])), print(&d), "columns");
        // Past the first 64 KB piece, the last cell still counts.
        let mut big = Table::new(&["n"]);
        for i in 0..10_000 {
            big.rows.push(vec![Field::Num(i as f64)]);
        }
        let mut changed = big.clone();
        assert_eq!(print(&big), print(&changed));
        changed.rows[9_999][0] = Field::Num(0.5);
        assert_ne!(print(&big), print(&changed), "the last value");
    }

    #[test]
    fn a_large_workbook_holds_what_rust_xlsxwriter_writes() {
        let mut t = Table::new(&["kode", "tahun", "kelompok", "nilai"]);
        for i in 0..SMALL_XLSX_CELLS / 4 {
            t.rows.push(vec![
                Field::Text(format!("36.{:02}", i % 9)),
                Field::Num((2000 + i % 20) as f64),
                if i % 7 == 0 {
                    Field::Empty
                } else {
                    Field::Text(format!("kelompok {}", i % 13))
                },
                Field::Num(i as f64 / 4.0),
            ]);
        }
        assert!(t.is_large());
        let notes = [("Sumber", "BPS".to_string())];
        // This program's writer (deflated as it goes) against rust_xlsxwriter's in memory.
        let [fast, held] = both_writers(&t, "x", &notes);
        assert_eq!(fast, held);
        // rust_xlsxwriter's row-by-row mode, for a large table it is given (one with a value
        // that is not finite), writes the same less each row's ` spans="1:4"` hint.
        let parts = |bytes: Vec<u8>| crate::xlsx::unzip(&bytes).unwrap();
        let streamed = parts(t.workbook("x", &notes, true).unwrap());
        assert_eq!(held.len(), streamed.len());
        let unhinted = |xml: &str| {
            let mut out = String::new();
            let mut rest = xml;
            while let Some(i) = rest.find(" spans=\"") {
                out.push_str(&rest[..i]);
                let after = &rest[i + 8..];
                rest = &after[after.find('"').map_or(0, |j| j + 1)..];
            }
            out + rest
        };
        for ((name, a), (name_b, b)) in held.iter().zip(&streamed) {
            assert_eq!(name, name_b);
            if name == "xl/worksheets/sheet1.xml" {
                assert!(a.contains(" spans=") && !b.contains(" spans="), "{name}");
                assert_eq!(unhinted(a), *b, "{name}");
                assert!(b.contains(r#"<row r="2501">"#), "every row: {name}");
            } else {
                assert_eq!(a, b, "{name}");
            }
        }
    }

    #[test]
    fn a_shelved_table_is_made_once_while_held_and_not_kept_after() {
        let shelf = Shelf::default();
        let made = std::sync::atomic::AtomicUsize::new(0);
        let make = || {
            made.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Table::new(&["kode"])
        };
        let a = shelf.get("wilayah 36.04", make);
        let b = shelf.get("wilayah 36.04", make);
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(made.load(std::sync::atomic::Ordering::SeqCst), 1);
        let _c = shelf.get("wilayah 36.73", make);
        assert_eq!(
            made.load(std::sync::atomic::Ordering::SeqCst),
            2,
            "another name"
        );
        drop((a, b));
        let d = shelf.get("wilayah 36.04", make);
        assert_eq!(
            made.load(std::sync::atomic::Ordering::SeqCst),
            3,
            "made again"
        );
        assert_eq!(d.digest, Table::new(&["kode"]).digest());
    }

    #[test]
    fn excel_limits_are_known_before_writing() {
        assert!(fits_xlsx(XLSX_ROWS - 1, 10));
        assert!(!fits_xlsx(XLSX_ROWS, 10), "the header takes a row");
        assert!(fits_xlsx(10, XLSX_COLUMNS));
        assert!(!fits_xlsx(10, XLSX_COLUMNS + 1));
    }

    #[test]
    fn formats_agree() {
        let mut t = Table::new(&["kode", "nilai"]);
        t.rows
            .push(vec![Field::Text("36.73".into()), Field::Num(5.65)]);
        t.rows.push(vec![Field::Text("36.04".into()), Field::Empty]);
        let csv = String::from_utf8(t.to_csv()).unwrap();
        assert_eq!(csv, "kode,nilai\r\n36.73,5.65\r\n36.04,\r\n");
        let mut evil = Table::new(&["catatan", "nilai"]);
        for s in [
            "=HYPERLINK(\"http://evil\",\"x\")",
            "+cmd|' /C calc'!A0",
            "@SUM(A1)",
            "-2+3",
            "aman",
        ] {
            evil.rows
                .push(vec![Field::Text(s.into()), Field::Num(-5.0)]);
        }
        let csv = String::from_utf8(evil.to_csv()).unwrap();
        assert!(
            csv.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",-5"),
            "{csv}"
        );
        assert!(
            csv.contains("'+cmd|' /C calc'!A0,")
                && csv.contains("'@SUM(A1),")
                && csv.contains("'-2+3,"),
            "{csv}"
        );
        assert!(
            csv.contains("\r\naman,-5\r\n"),
            "numbers and plain text untouched: {csv}"
        );
        assert_eq!(evil.formula_like_cells(), 4);
        assert!(evil.remarks().contains("awalan '"));
        let json = String::from_utf8(t.to_json(Value::Null)).unwrap();
        assert!(
            json.contains("\"nilai\": 5.65") && json.contains("\"nilai\": null"),
            "{json}"
        );
        let a = t.to_xlsx("x", &[("Sumber", "BPS".into())]).unwrap();
        let b = t.to_xlsx("x", &[("Sumber", "BPS".into())]).unwrap();
        assert_eq!(a, b, "xlsx must be deterministic");
        assert_eq!(&a[..2], b"PK");
    }
}
