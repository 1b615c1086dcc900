//! XLSX workbooks written directly: rust_xlsxwriter's parts for a download table and its notes
//! sheet, with only the cells and shared strings made per table, zipped with one deflate state
//! per thread (parts under 1 KB stored as they are), large sheets deflated as they are written.
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
        let again = template.workbook(columns, rows, PLACEHOLDER, notes, false)?;
        (unzip(&again)? == parts).then_some(template)
    }

    /// The workbook of a table (a bold, frozen header row) named `sheet` and its notes sheet
    /// (bold keys), as rust_xlsxwriter writes it (each row with the columns its block of 16
    /// rows spans); `None` for what goes to rust_xlsxwriter: no notes, no columns, an empty
    /// column name or note key, a number that is not finite (written as text there), text
    /// longer than Excel takes, a sheet name Excel refuses, one with control characters or
    /// the notes sheet's name, or parts too big for a zip without its 64-bit extension.
    /// `large`: deflated at level 3, not 1 (see `downloads::SMALL_XLSX_CELLS`). The sheets
    /// are deflated as they are written, so memory holds the compressed workbook and the
    /// table's distinct strings, never a sheet's XML.
    pub(crate) fn workbook(
        &self,
        columns: &[String],
        rows: &[Vec<Field>],
        sheet: &str,
        notes: &[(&str, String)],
        large: bool,
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
        let header: Vec<Field> = columns.iter().map(|c| Field::Text(c.clone())).collect();
        let data = Sheet {
            rows: std::iter::once(&header[..]).chain(rows.iter().map(Vec::as_slice)),
            bold: |r: usize, _| r == 0,
        };
        let note_rows: Vec<[Field; 2]> = notes
            .iter()
            .map(|(k, v)| [Field::Text(k.to_string()), Field::Text(v.clone())])
            .collect();
        let notes = Sheet {
            rows: note_rows.iter().map(|r| &r[..]),
            bold: |_, c: usize| c == 0,
        };
        let deflate = if large { &DEFLATE_LARGE } else { &DEFLATE };
        deflate.with_borrow_mut(|z| {
            let mut zip = Zip::default();
            let mut strings = Strings::default();
            let mut xml = String::new();
            for (name, part) in &self.parts {
                xml.clear();
                match part {
                    Part::Fixed(d) => {
                        zip.add(name, d)?;
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
                        let mut part = zip.begin(name, z);
                        if name == DATA_SHEET {
                            data.write(&mut part, (head, views, tail), &mut strings)?;
                        } else {
                            notes.write(&mut part, (head, views, tail), &mut strings)?;
                        }
                        part.end()?;
                        continue;
                    }
                    Part::Strings(head, tail) => {
                        let mut part = zip.begin(name, z);
                        part.xml.push_str(head);
                        let _ = write!(
                            part.xml,
                            " count=\"{}\" uniqueCount=\"{}\">",
                            strings.count,
                            strings.order.len()
                        );
                        for s in &strings.order {
                            if s.starts_with(['\t', '\n', ' ']) || s.ends_with(['\t', '\n', ' ']) {
                                part.xml.push_str("<si><t xml:space=\"preserve\">");
                            } else {
                                part.xml.push_str("<si><t>");
                            }
                            escape_text(&mut part.xml, &escape_escapes(s));
                            part.xml.push_str("</t></si>");
                            part.flush_if_full()?;
                        }
                        part.xml.push_str(tail);
                        part.end()?;
                        continue;
                    }
                }
                let mut part = zip.begin(name, z);
                part.xml.push_str(&xml);
                part.end()?;
            }
            zip.finish()
        })
    }
}

/// A sheet to write: its rows (`rows` in order from row 1) and which cells are bold (by row
/// and column index).
struct Sheet<I, B> {
    rows: I,
    bold: B,
}

impl<'t, I, B> Sheet<I, B>
where
    I: Iterator<Item = &'t [Field]> + Clone,
    B: Fn(usize, usize) -> bool,
{
    /// The sheet's XML into `part`: its frame around the dimension and the rows that have
    /// cells, each with the columns its block of 16 rows spans; text cells take their shared
    /// string's number (given in the order first written).
    fn write(
        &self,
        part: &mut PartWriter<'_>,
        (head, views, tail): (&str, &str, &str),
        strings: &mut Strings<'t>,
    ) -> Option<()> {
        let filled = |f: &Field| match f {
            Field::Text(t) => !t.is_empty(),
            Field::Num(_) => true,
            Field::Empty => false,
        };
        // The columns a row's cells span, if it has any.
        let span = |row: &[Field]| {
            let first = row.iter().position(filled)?;
            let last = row.iter().rposition(filled)?;
            Some((first, last))
        };
        let (mut top, mut bottom, mut left, mut right) = (None, 0, usize::MAX, 0);
        for (i, row) in self.rows.clone().enumerate() {
            if let Some((a, b)) = span(row) {
                top.get_or_insert(i);
                bottom = i;
                left = left.min(a);
                right = right.max(b);
            }
        }
        let top = top.unwrap_or(0);
        let left = if left == usize::MAX { 0 } else { left };
        let mut names: Vec<String> = Vec::new();
        let xml = &mut part.xml;
        xml.push_str(head);
        let _ = write!(xml, "{}{}", column(&mut names, left), top + 1);
        if (top, left) != (bottom, right) {
            let _ = write!(xml, ":{}{}", column(&mut names, right), bottom + 1);
        }
        xml.push_str(views);
        let mut block: Vec<&'t [Field]> = Vec::with_capacity(16);
        let mut rows = self.rows.clone().enumerate().peekable();
        while rows.peek().is_some() {
            block.clear();
            let first = rows.peek().map_or(0, |(i, _)| *i);
            block.extend(rows.by_ref().take(16).map(|(_, r)| r));
            let (a, b) = block
                .iter()
                .filter_map(|r| span(r))
                .fold((usize::MAX, 0), |(a, b), (c, d)| (a.min(c), b.max(d)));
            for (k, row) in block.iter().enumerate() {
                if span(row).is_none() {
                    continue;
                }
                let r = first + k + 1;
                let xml = &mut part.xml;
                xml.push_str("<row r=\"");
                push_number(xml, r);
                xml.push_str("\" spans=\"");
                push_number(xml, a + 1);
                xml.push(':');
                push_number(xml, b + 1);
                xml.push_str("\">");
                for (c, f) in row.iter().enumerate() {
                    if !filled(f) {
                        continue;
                    }
                    xml.push_str("<c r=\"");
                    xml.push_str(column(&mut names, c));
                    push_number(xml, r);
                    xml.push('"');
                    match f {
                        Field::Text(t) => {
                            let s = strings.add(t);
                            if (self.bold)(first + k, c) {
                                xml.push_str(" s=\"1\"");
                            }
                            xml.push_str(" t=\"s\"><v>");
                            push_number(xml, s as usize);
                            xml.push_str("</v></c>");
                        }
                        Field::Num(n) => {
                            let _ = write!(xml, "><v>{n}</v></c>");
                        }
                        Field::Empty => {}
                    }
                }
                xml.push_str("</row>");
            }
            part.flush_if_full()?;
        }
        part.xml.push_str(tail);
        Some(())
    }
}

/// The shared strings in the order first written, and how many cells hold one.
#[derive(Default)]
struct Strings<'a> {
    index: rustc_hash::FxHashMap<&'a str, u32>,
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

/// A column's letters (0 → A, 26 → AA), made once per sheet.
fn column(names: &mut Vec<String>, c: usize) -> &str {
    if names.len() <= c {
        names.extend(
            (names.len()..=c).map(|c| rust_xlsxwriter::utility::column_number_to_name(c as u16)),
        );
    }
    &names[c]
}

/// A whole number's decimal digits at the end of `out` (as `{n}` writes them, without the
/// formatting machinery: a desa portal writes three for each of millions of cells).
fn push_number(out: &mut String, n: usize) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// Text in an element: `&`, `<`, `>` as entities, control characters (but tab and newline)
/// and the two non-characters as Excel's `_xHHHH_`.
fn escape_text(out: &mut String, s: &str) {
    escape(out, s, false);
}

/// Text in an attribute: `&`, `"`, `<`, `>` and newline as entities.
fn escape_attribute(out: &mut String, s: &str) {
    escape(out, s, true);
}

/// [`escape_text`] or, in an `attribute`, [`escape_attribute`], as rust_xlsxwriter escapes.
fn escape(out: &mut String, s: &str, attribute: bool) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#xA;"),
            '\t' | '\n' => out.push(ch),
            '\0'..='\x1f' | '\u{FFFE}' | '\u{FFFF}' if !attribute => {
                let _ = write!(out, "_x{:04X}_", ch as u32);
            }
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
    /// One raw deflate state per thread and level, reset for every part (making one
    /// allocates and clears about 300 KB): zlib's fastest level for small workbooks, level 3
    /// for large ones.
    static DEFLATE: RefCell<Compress> = RefCell::new(Compress::new(Compression::fast(), false));
    static DEFLATE_LARGE: RefCell<Compress> = RefCell::new(Compress::new(Compression::new(3), false));
}

/// `data` deflated at zlib's fastest level (`None` if zlib fails, which it does not in
/// memory: the workbook then goes through rust_xlsxwriter).
fn deflated(data: &[u8]) -> Option<Deflated> {
    DEFLATE.with_borrow_mut(|z| {
        z.reset();
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        deflate_into(z, data, &mut out, FlushCompress::Finish)?;
        Some(Deflated {
            crc: crc32fast::hash(data),
            len: u32::try_from(data.len()).ok()?,
            data: out,
        })
    })
}

/// Feeds all of `data` to `z`, its output appended to `out`; with [`FlushCompress::Finish`],
/// until the stream ends.
fn deflate_into(
    z: &mut Compress,
    data: &[u8],
    out: &mut Vec<u8>,
    flush: FlushCompress,
) -> Option<()> {
    let start = z.total_in();
    loop {
        let done = usize::try_from(z.total_in() - start).ok()?;
        out.reserve(data.len().saturating_sub(done) / 2 + 1024);
        let status = z.compress_vec(data.get(done..)?, out, flush).ok()?;
        let all_in = usize::try_from(z.total_in() - start).ok()? == data.len();
        match (flush, status) {
            (FlushCompress::Finish, Status::StreamEnd) => return Some(()),
            (FlushCompress::Finish, _) => {}
            _ if all_in => return Some(()),
            _ => {}
        }
    }
}

/// A zip archive being written: local entries, then the central directory (no data
/// descriptors: each local header's CRC and sizes are filled in once its part is deflated;
/// dated 1980-01-01 as rust_xlsxwriter's parts are).
#[derive(Default)]
struct Zip {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

/// A part being written: its XML gathered a piece at a time and deflated into the archive.
struct PartWriter<'a> {
    zip: &'a mut Zip,
    z: &'a mut Compress,
    name: &'a str,
    /// Where its local header starts.
    at: usize,
    xml: String,
    crc: crc32fast::Hasher,
    len: u64,
    /// Whether the deflate state was reset for this part and fed.
    deflating: bool,
}

/// A part smaller than this is stored, not deflated: deflating a few hundred bytes saves a
/// few hundred bytes and costs a reset of the deflate state (128 KB cleared), which was most
/// of the time a desa portal's 92,000 small workbooks took.
const STORED_BELOW: usize = 1 << 10;

impl PartWriter<'_> {
    /// Deflates what is gathered once it is 64 KB.
    fn flush_if_full(&mut self) -> Option<()> {
        if self.xml.len() >= 1 << 16 {
            self.deflate(FlushCompress::None)?;
        }
        Some(())
    }

    fn deflate(&mut self, flush: FlushCompress) -> Option<()> {
        if !self.deflating {
            self.z.reset();
            self.deflating = true;
        }
        self.crc.update(self.xml.as_bytes());
        self.len += self.xml.len() as u64;
        deflate_into(self.z, self.xml.as_bytes(), &mut self.zip.out, flush)?;
        self.xml.clear();
        Some(())
    }

    /// Finishes the part: its header's method, CRC and sizes, its central directory entry
    /// (`None` when it needs zip's 64-bit sizes).
    fn end(mut self) -> Option<()> {
        let stored = !self.deflating && self.xml.len() < STORED_BELOW;
        if stored {
            self.crc.update(self.xml.as_bytes());
            self.len = self.xml.len() as u64;
            self.zip.out.extend_from_slice(self.xml.as_bytes());
        } else {
            self.deflate(FlushCompress::Finish)?;
        }
        let data = self.zip.out.len() - self.at - 30 - self.name.len();
        let part = Sizes {
            crc: self.crc.clone().finalize(),
            compressed: u32::try_from(data).ok()?,
            len: u32::try_from(self.len).ok()?,
            stored,
        };
        self.zip.out[self.at + 8..self.at + 10].copy_from_slice(&part.method().to_le_bytes());
        self.zip.out[self.at + 14..self.at + 26].copy_from_slice(&part.bytes());
        self.zip.central_entry(self.name, self.at, &part)
    }
}

/// A part's CRC-32, stored (deflated) and plain lengths, and whether it is stored as it is.
struct Sizes {
    crc: u32,
    compressed: u32,
    len: u32,
    stored: bool,
}

impl Sizes {
    /// The zip compression method: 0 stored, 8 deflated.
    fn method(&self) -> u16 {
        if self.stored { 0 } else { 8 }
    }

    fn bytes(&self) -> [u8; 12] {
        let mut b = [0; 12];
        b[..4].copy_from_slice(&self.crc.to_le_bytes());
        b[4..8].copy_from_slice(&self.compressed.to_le_bytes());
        b[8..].copy_from_slice(&self.len.to_le_bytes());
        b
    }
}

impl Zip {
    const DOS_DATE: u16 = (1 << 5) | 1;

    /// The header fields a local and a central entry share, from "version needed" on.
    fn common(v: &mut Vec<u8>, name: &str, part: &Sizes) {
        v.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0 (deflate)
        v.extend_from_slice(&0u16.to_le_bytes()); // flags
        v.extend_from_slice(&part.method().to_le_bytes());
        v.extend_from_slice(&0u16.to_le_bytes()); // time
        v.extend_from_slice(&Self::DOS_DATE.to_le_bytes());
        v.extend_from_slice(&part.bytes());
        v.extend_from_slice(&(name.len() as u16).to_le_bytes());
        v.extend_from_slice(&0u16.to_le_bytes()); // extra field
    }

    /// Starts a part whose bytes are not yet known: its local header, sizes to come.
    fn begin<'a>(&'a mut self, name: &'a str, z: &'a mut Compress) -> PartWriter<'a> {
        let at = self.out.len();
        self.out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        let unknown = Sizes {
            crc: 0,
            compressed: 0,
            len: 0,
            stored: false,
        };
        Self::common(&mut self.out, name, &unknown);
        self.out.extend_from_slice(name.as_bytes());
        PartWriter {
            zip: self,
            z,
            name,
            at,
            xml: String::new(),
            crc: crc32fast::Hasher::new(),
            len: 0,
            deflating: false,
        }
    }

    /// A part deflated before.
    fn add(&mut self, name: &str, part: &Deflated) -> Option<()> {
        let at = self.out.len();
        let sizes = Sizes {
            crc: part.crc,
            compressed: u32::try_from(part.data.len()).ok()?,
            len: part.len,
            stored: false,
        };
        self.out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        Self::common(&mut self.out, name, &sizes);
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(&part.data);
        self.central_entry(name, at, &sizes)
    }

    /// The central directory's entry for the part whose local header is at `at`.
    fn central_entry(&mut self, name: &str, at: usize, part: &Sizes) -> Option<()> {
        let at = u32::try_from(at).ok()?;
        self.central
            .extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        self.central.extend_from_slice(&0x0314u16.to_le_bytes()); // made by: Unix, 2.0
        Self::common(&mut self.central, name, part);
        self.central.extend_from_slice(&0u16.to_le_bytes()); // comment
        self.central.extend_from_slice(&0u16.to_le_bytes()); // disk
        self.central.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        self.central
            .extend_from_slice(&(0o100_644u32 << 16).to_le_bytes()); // rw-r--r--
        self.central.extend_from_slice(&at.to_le_bytes());
        self.central.extend_from_slice(name.as_bytes());
        self.entries += 1;
        Some(())
    }

    /// The archive: the entries, the central directory and its end record (`None` past the
    /// sizes a zip without its 64-bit extension holds).
    fn finish(mut self) -> Option<Vec<u8>> {
        let at = u32::try_from(self.out.len()).ok()?;
        let size = u32::try_from(self.central.len()).ok()?;
        self.out.extend_from_slice(&self.central);
        self.out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        self.out.extend_from_slice(&0u16.to_le_bytes()); // this disk
        self.out.extend_from_slice(&0u16.to_le_bytes()); // the directory's disk
        self.out.extend_from_slice(&self.entries.to_le_bytes());
        self.out.extend_from_slice(&self.entries.to_le_bytes());
        self.out.extend_from_slice(&size.to_le_bytes());
        self.out.extend_from_slice(&at.to_le_bytes());
        self.out.extend_from_slice(&0u16.to_le_bytes()); // comment
        Some(self.out)
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
