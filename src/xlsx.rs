//! Small XLSX workbooks written directly: rust_xlsxwriter's parts for a download table and its
//! notes sheet, with only the cells and shared strings made per table, zipped with one deflate
//! state per thread.
//!
//! Through rust_xlsxwriter a desa's workbook took about 0.25 ms, most of it spent making a
//! deflate state for each of its eleven parts and filling its cell and string maps: a fifth
//! of the CPU time of a portal to desa level (91,600 workbooks). Here the parts that never
//! change (theme, styles, relationships, core properties) and the frame of every other part
//! come from one workbook that rust_xlsxwriter writes once per process ([`Template`]); that
//! workbook must come out of this writer byte for byte, or every workbook goes through
//! rust_xlsxwriter. The tests compare the parts of many tables with rust_xlsxwriter's. A table
//! with anything this writer does not cover (see [`Template::workbook`]) also goes through
//! rust_xlsxwriter.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;

use flate2::{Compress, Compression, FlushCompress, Status};

use crate::downloads::Field;

/// The data sheet's name in the template workbook: a name no part holds otherwise.
pub(crate) const PLACEHOLDER: &str = "LumbungLembarContoh";

/// The parts that differ from workbook to workbook.
const APP: &str = "docProps/app.xml";
const WORKBOOK: &str = "xl/workbook.xml";
const DATA_SHEET: &str = "xl/worksheets/sheet1.xml";
const NOTES_SHEET: &str = "xl/worksheets/sheet2.xml";
const STRINGS: &str = "xl/sharedStrings.xml";

/// rust_xlsxwriter's longest cell text, in UTF-16 units: longer text goes to it (and fails there).
const MAX_TEXT: usize = 32_767;

/// A workbook of rust_xlsxwriter's, cut where a table's own text goes.
pub(crate) struct Template {
    /// Every part in the template's order.
    parts: Vec<(String, Part)>,
}

/// One part of the template.
enum Part {
    /// The same in every workbook: deflated once.
    Fixed(Deflated),
    /// The sheet name goes between the two.
    Named(String, String),
    /// A sheet: up to `<dimension ref="`, from there to `<sheetData>`, from `</sheetData>`.
    Sheet(String, String, String),
    /// The shared strings: up to ` count="`, from the last `</si>`.
    Strings(String, String),
}

/// A part already deflated, with its CRC-32 and length.
struct Deflated {
    data: Vec<u8>,
    crc: u32,
    len: u32,
}

impl Template {
    /// The template cut from `bytes`, rust_xlsxwriter's workbook of `sample` with the data sheet
    /// named [`PLACEHOLDER`] and the notes `notes`; `None` unless this writer makes the same
    /// parts from the same table.
    pub(crate) fn read(
        bytes: &[u8],
        columns: &[String],
        rows: &[Vec<Field>],
        notes: &[(&str, String)],
    ) -> Option<Template> {
        let parts = unzip(bytes)?;
        let mut cut = Vec::new();
        for (name, xml) in &parts {
            let part = match name.as_str() {
                APP | WORKBOOK => {
                    let (head, tail) = xml.split_once(PLACEHOLDER)?;
                    if tail.contains(PLACEHOLDER) {
                        return None;
                    }
                    Part::Named(head.to_string(), tail.to_string())
                }
                DATA_SHEET | NOTES_SHEET => {
                    let open = "<dimension ref=\"";
                    let at = xml.find(open)? + open.len();
                    let (head, rest) = xml.split_at(at);
                    let rest = &rest[rest.find('"')?..];
                    let (views, rest) = rest.split_once("<sheetData>")?;
                    let (_, tail) = rest.split_once("</sheetData>")?;
                    Part::Sheet(
                        head.to_string(),
                        format!("{views}<sheetData>"),
                        format!("</sheetData>{tail}"),
                    )
                }
                STRINGS => {
                    let head = &xml[..xml.find(" count=\"")?];
                    let tail = &xml[xml.rfind("</si>")? + "</si>".len()..];
                    Part::Strings(head.to_string(), tail.to_string())
                }
                _ => {
                    if xml.contains(PLACEHOLDER) {
                        return None;
                    }
                    Part::Fixed(deflated(xml.as_bytes())?)
                }
            };
            cut.push((name.clone(), part));
        }
        for needed in [APP, WORKBOOK, DATA_SHEET, NOTES_SHEET, STRINGS] {
            if !cut.iter().any(|(name, _)| name == needed) {
                return None;
            }
        }
        let template = Template { parts: cut };
        let again = template.workbook(columns, rows, PLACEHOLDER, notes)?;
        (unzip(&again)? == parts).then_some(template)
    }

    /// The workbook of a table (a bold, frozen header row) named `sheet` and its notes sheet
    /// (bold keys), as rust_xlsxwriter writes it; `None` for what goes to rust_xlsxwriter:
    /// no notes, an empty column name or note key, a number that is not finite (written as
    /// text there), text longer than Excel takes, a sheet name Excel refuses, or one with
    /// control characters or the notes sheet's name.
    pub(crate) fn workbook(
        &self,
        columns: &[String],
        rows: &[Vec<Field>],
        sheet: &str,
        notes: &[(&str, String)],
    ) -> Option<Vec<u8>> {
        let text_fits = |s: &str| s.len() <= MAX_TEXT || s.encode_utf16().count() <= MAX_TEXT;
        let unusual = notes.is_empty()
            || columns.is_empty()
            || rust_xlsxwriter::utility::check_sheet_name(sheet).is_err()
            || sheet.chars().any(char::is_control)
            || sheet.to_lowercase() == "keterangan"
            || columns.iter().any(|c| c.is_empty() || !text_fits(c))
            || notes
                .iter()
                .any(|(k, v)| k.is_empty() || !text_fits(k) || !text_fits(v))
            || rows.iter().flatten().any(|f| match f {
                Field::Num(n) => !n.is_finite(),
                Field::Text(t) => !text_fits(t),
                Field::Empty => false,
            })
            || rows.len() + 1 >= crate::downloads::XLSX_ROWS
            || rows.iter().map(Vec::len).chain([columns.len()]).max()
                > Some(crate::downloads::XLSX_COLUMNS);
        if unusual {
            return None;
        }
        let mut strings = Strings::default();
        let header = std::iter::once(
            columns
                .iter()
                .enumerate()
                .map(|(c, name)| Cell::text(c, &mut strings, name, true))
                .collect::<Vec<_>>(),
        );
        let body = rows.iter().map(|row| {
            row.iter()
                .enumerate()
                .filter_map(|(c, f)| match f {
                    Field::Text(t) if !t.is_empty() => Some(Cell::text(c, &mut strings, t, false)),
                    Field::Num(n) => Some(Cell::Num(c, *n)),
                    _ => None,
                })
                .collect::<Vec<_>>()
        });
        let data: Vec<Vec<Cell>> = header.chain(body).collect();
        let notes: Vec<Vec<Cell>> = notes
            .iter()
            .map(|(k, v)| {
                let mut row = vec![Cell::text(0, &mut strings, k, true)];
                if !v.is_empty() {
                    row.push(Cell::text(1, &mut strings, v, false));
                }
                row
            })
            .collect();

        let mut zip = Zip::default();
        let mut xml = String::new();
        for (name, part) in &self.parts {
            xml.clear();
            match part {
                Part::Fixed(d) => {
                    zip.add(name, d);
                    continue;
                }
                Part::Named(head, tail) => {
                    xml.push_str(head);
                    if name == WORKBOOK {
                        escape_attribute(&mut xml, sheet);
                    } else {
                        escape_text(&mut xml, sheet);
                    }
                    xml.push_str(tail);
                }
                Part::Sheet(head, views, tail) => {
                    let cells = if name == DATA_SHEET { &data } else { &notes };
                    write_sheet(&mut xml, (head, views, tail), cells);
                }
                Part::Strings(head, tail) => {
                    xml.push_str(head);
                    let _ = write!(
                        xml,
                        " count=\"{}\" uniqueCount=\"{}\">",
                        strings.count,
                        strings.order.len()
                    );
                    for s in &strings.order {
                        if s.starts_with(['\t', '\n', ' ']) || s.ends_with(['\t', '\n', ' ']) {
                            xml.push_str("<si><t xml:space=\"preserve\">");
                        } else {
                            xml.push_str("<si><t>");
                        }
                        escape_text(&mut xml, &escape_escapes(s));
                        xml.push_str("</t></si>");
                    }
                    xml.push_str(tail);
                }
            }
            zip.add(name, &deflated(xml.as_bytes())?);
        }
        Some(zip.finish())
    }
}

/// A cell: its column and a shared string (bold or not) or a number.
enum Cell {
    Text(usize, u32, bool),
    Num(usize, f64),
}

impl Cell {
    fn text<'a>(column: usize, strings: &mut Strings<'a>, s: &'a str, bold: bool) -> Cell {
        Cell::Text(column, strings.add(s), bold)
    }

    fn column(&self) -> usize {
        match self {
            Cell::Text(c, ..) | Cell::Num(c, _) => *c,
        }
    }
}

/// The shared strings in the order first written, and how many cells hold one.
#[derive(Default)]
struct Strings<'a> {
    index: HashMap<&'a str, u32>,
    order: Vec<&'a str>,
    count: usize,
}

impl<'a> Strings<'a> {
    fn add(&mut self, s: &'a str) -> u32 {
        self.count += 1;
        let next = self.order.len() as u32;
        *self.index.entry(s).or_insert_with(|| {
            self.order.push(s);
            next
        })
    }
}

/// A sheet's XML: its frame around the dimension and the rows that have cells (`rows[i]` is
/// row `i + 1`), each with the columns its block of 16 rows spans, as rust_xlsxwriter writes
/// them.
fn write_sheet(xml: &mut String, (head, views, tail): (&str, &str, &str), rows: &[Vec<Cell>]) {
    let filled = || rows.iter().enumerate().filter(|(_, r)| !r.is_empty());
    let columns = |r: &Vec<Cell>| {
        let first = r.first().map_or(0, Cell::column);
        let last = r.last().map_or(0, Cell::column);
        (first, last)
    };
    let (mut first, mut last) = (usize::MAX, 0);
    for (_, row) in filled() {
        let (a, b) = columns(row);
        first = first.min(a);
        last = last.max(b);
    }
    let (top, bottom) = match (filled().next(), filled().next_back()) {
        (Some((top, _)), Some((bottom, _))) => (top, bottom),
        _ => (0, 0),
    };
    let first = if first == usize::MAX { 0 } else { first };
    xml.push_str(head);
    let _ = write!(xml, "{}{}", name(first), top + 1);
    if (top, first) != (bottom, last) {
        let _ = write!(xml, ":{}{}", name(last), bottom + 1);
    }
    xml.push_str(views);
    let spans: Vec<(usize, usize)> = rows
        .chunks(16)
        .map(|block| {
            block
                .iter()
                .filter(|r| !r.is_empty())
                .map(columns)
                .fold((usize::MAX, 0), |(a, b), (c, d)| (a.min(c), b.max(d)))
        })
        .collect();
    let mut names: Vec<String> = Vec::new();
    for (i, row) in filled() {
        let (a, b) = spans[i / 16];
        let _ = write!(xml, "<row r=\"{}\" spans=\"{}:{}\">", i + 1, a + 1, b + 1);
        for cell in row {
            let c = cell.column();
            if names.len() <= c {
                names.extend((names.len()..=c).map(name));
            }
            let _ = write!(xml, "<c r=\"{}{}\"", names[c], i + 1);
            match cell {
                Cell::Text(_, s, true) => {
                    let _ = write!(xml, " s=\"1\" t=\"s\"><v>{s}</v></c>");
                }
                Cell::Text(_, s, false) => {
                    let _ = write!(xml, " t=\"s\"><v>{s}</v></c>");
                }
                Cell::Num(_, n) => {
                    let _ = write!(xml, "><v>{n}</v></c>");
                }
            }
        }
        xml.push_str("</row>");
    }
    xml.push_str(tail);
}

/// A column's letters (0 → A, 26 → AA).
fn name(column: usize) -> String {
    rust_xlsxwriter::utility::column_number_to_name(column as u16)
}

/// Text in an element: `&`, `<`, `>` as entities, control characters (but tab and newline)
/// and the two non-characters as Excel's `_xHHHH_`.
fn escape_text(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' => out.push(ch),
            '\0'..='\x1f' | '\u{FFFE}' | '\u{FFFF}' => {
                let _ = write!(out, "_x{:04X}_", ch as u32);
            }
            _ => out.push(ch),
        }
    }
}

/// Text in an attribute: `&`, `"`, `<`, `>` and newline as entities.
fn escape_attribute(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("&#xA;"),
            _ => out.push(ch),
        }
    }
}

/// Text that itself reads like Excel's `_xHHHH_` escape keeps it: its underscore is written
/// `_x005F` (`_x0000_` becomes `_x005F_x0000_`).
fn escape_escapes(s: &str) -> std::borrow::Cow<'_, str> {
    let escape = |i: usize| {
        s.get(i + 2..i + 6)
            .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
            && s.get(i + 6..).is_some_and(|rest| rest.starts_with('_'))
    };
    if !s.match_indices("_x").any(|(i, _)| escape(i)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 12);
    let mut done = 0;
    for (i, _) in s.match_indices("_x").filter(|(i, _)| escape(*i)) {
        out.push_str(&s[done..i]);
        out.push_str("_x005F");
        done = i;
    }
    out.push_str(&s[done..]);
    std::borrow::Cow::Owned(out)
}

thread_local! {
    /// One raw deflate state per thread at zlib's fastest level, reset for every part (making
    /// one allocates and clears about 300 KB).
    static DEFLATE: RefCell<Compress> = RefCell::new(Compress::new(Compression::fast(), false));
}

/// `data` deflated (`None` if zlib fails, which it does not in memory: the workbook then
/// goes through rust_xlsxwriter).
fn deflated(data: &[u8]) -> Option<Deflated> {
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    DEFLATE.with_borrow_mut(|z| {
        z.reset();
        loop {
            let done = usize::try_from(z.total_in()).ok()?;
            out.reserve(data.len().saturating_sub(done) / 2 + 1024);
            match z.compress_vec(data.get(done..)?, &mut out, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => return Some(()),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    })?;
    Some(Deflated {
        crc: crc32fast::hash(data),
        len: u32::try_from(data.len()).ok()?,
        data: out,
    })
}

/// A zip archive being written: local entries, then the central directory (no data
/// descriptors, every size known; dated 1980-01-01 as rust_xlsxwriter's parts are).
#[derive(Default)]
struct Zip {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

impl Zip {
    const DOS_DATE: u16 = (1 << 5) | 1;

    fn add(&mut self, name: &str, part: &Deflated) {
        let offset = self.out.len() as u32;
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0 (deflate)
            v.extend_from_slice(&0u16.to_le_bytes()); // flags
            v.extend_from_slice(&8u16.to_le_bytes()); // deflated
            v.extend_from_slice(&0u16.to_le_bytes()); // time
            v.extend_from_slice(&Self::DOS_DATE.to_le_bytes());
            v.extend_from_slice(&part.crc.to_le_bytes());
            v.extend_from_slice(&(part.data.len() as u32).to_le_bytes());
            v.extend_from_slice(&part.len.to_le_bytes());
            v.extend_from_slice(&(name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // extra field
        };
        self.out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut self.out);
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(&part.data);

        self.central
            .extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        self.central.extend_from_slice(&0x0314u16.to_le_bytes()); // made by: Unix, 2.0
        common(&mut self.central);
        self.central.extend_from_slice(&0u16.to_le_bytes()); // comment
        self.central.extend_from_slice(&0u16.to_le_bytes()); // disk
        self.central.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        self.central
            .extend_from_slice(&(0o100_644u32 << 16).to_le_bytes()); // rw-r--r--
        self.central.extend_from_slice(&offset.to_le_bytes());
        self.central.extend_from_slice(name.as_bytes());
        self.entries += 1;
    }

    fn finish(mut self) -> Vec<u8> {
        let at = self.out.len() as u32;
        self.out.extend_from_slice(&self.central);
        self.out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        self.out.extend_from_slice(&0u16.to_le_bytes()); // this disk
        self.out.extend_from_slice(&0u16.to_le_bytes()); // the directory's disk
        self.out.extend_from_slice(&self.entries.to_le_bytes());
        self.out.extend_from_slice(&self.entries.to_le_bytes());
        self.out
            .extend_from_slice(&(self.central.len() as u32).to_le_bytes());
        self.out.extend_from_slice(&at.to_le_bytes());
        self.out.extend_from_slice(&0u16.to_le_bytes()); // comment
        self.out
    }
}

/// Every part of a zip archive, in order, as text.
pub(crate) fn unzip(bytes: &[u8]) -> Option<Vec<(String, String)>> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).ok()?;
            let mut xml = String::new();
            f.read_to_string(&mut xml).ok()?;
            Some((f.name().ok()?.to_string(), xml))
        })
        .collect()
}
