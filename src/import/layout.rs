//! Reading one BPS web-table export: header lines, years, periods, measures, data rows and notes.

use std::path::Path;

use crate::diagnostic::{Code, Diagnostic};
use crate::locale;

/// What a value column measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Measure {
    /// Persentase penduduk miskin (headcount index), in percent.
    P0,
    /// Indeks kedalaman kemiskinan (poverty gap index).
    P1,
    /// Indeks keparahan kemiskinan (poverty severity index).
    P2,
    /// Garis kemiskinan (poverty line), in rupiah per capita per month.
    GarisKemiskinan,
    /// Jumlah penduduk miskin (number of poor people), in thousands.
    JumlahPendudukMiskin,
}

impl Measure {
    /// Every measure, in the fixed column order of the tidy CSV.
    pub const ALL: [Measure; 5] = [
        Measure::P0,
        Measure::P1,
        Measure::P2,
        Measure::GarisKemiskinan,
        Measure::JumlahPendudukMiskin,
    ];

    /// Column name in the tidy CSV.
    pub fn field(self) -> &'static str {
        match self {
            Measure::P0 => "p0",
            Measure::P1 => "p1",
            Measure::P2 => "p2",
            Measure::GarisKemiskinan => "garis_kemiskinan",
            Measure::JumlahPendudukMiskin => "jumlah_penduduk_miskin",
        }
    }

    /// The field title in the descriptor ("Garis kemiskinan").
    pub fn title(self) -> &'static str {
        match self {
            Measure::P0 => "Persentase penduduk miskin (P0)",
            Measure::P1 => "Indeks kedalaman kemiskinan (P1)",
            Measure::P2 => "Indeks keparahan kemiskinan (P2)",
            Measure::GarisKemiskinan => "Garis kemiskinan",
            Measure::JumlahPendudukMiskin => "Jumlah penduduk miskin",
        }
    }

    /// The field's `lumbung:unit` ("persen", "indeks", "rupiah/kapita/bulan", "ribu jiwa").
    pub fn unit(self) -> &'static str {
        match self {
            Measure::P0 => "persen",
            Measure::P1 | Measure::P2 => "indeks",
            Measure::GarisKemiskinan => "rupiah/kapita/bulan",
            Measure::JumlahPendudukMiskin => "ribu jiwa",
        }
    }

    /// The field's `lumbung:decimals`.
    pub fn decimals(self) -> u8 {
        match self {
            Measure::GarisKemiskinan => 0,
            _ => 2,
        }
    }

    /// `None` for garis kemiskinan: a threshold, neither higher nor lower is better.
    pub fn lower_is_better(self) -> Option<bool> {
        (!matches!(self, Measure::GarisKemiskinan)).then_some(true)
    }

    /// The slug of the indicator the field feeds (`lumbung:indicator`).
    pub fn indicator(self) -> &'static str {
        match self {
            Measure::P0 => "p0",
            Measure::P1 => "p1",
            Measure::P2 => "p2",
            Measure::GarisKemiskinan => "garis-kemiskinan",
            Measure::JumlahPendudukMiskin => "jumlah-penduduk-miskin",
        }
    }

    /// Recognises a measure in a (lowercased) column header.
    pub fn detect(header: &str) -> Option<Measure> {
        let h = header.to_lowercase();
        let word = |w: &str| h.split(|c: char| !c.is_alphanumeric()).any(|x| x == w);
        if word("p1") || h.contains("kedalaman") {
            Some(Measure::P1)
        } else if word("p2") || h.contains("keparahan") {
            Some(Measure::P2)
        } else if h.contains("garis kemiskinan") {
            Some(Measure::GarisKemiskinan)
        } else if h.contains("jumlah penduduk miskin") {
            Some(Measure::JumlahPendudukMiskin)
        } else if word("p0") || h.contains("persentase penduduk miskin") {
            Some(Measure::P0)
        } else {
            None
        }
    }
}

/// Sub-year period of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Periode {
    /// March (Susenas Maret; "Semester 1").
    Maret,
    /// September (Susenas September; "Semester 2").
    September,
    /// A figure for the whole year, as the table says.
    Tahunan,
    /// The table gives the year alone; written as `tidak disebut`, never guessed.
    Unstated,
}

impl Periode {
    /// Every period, in output order.
    pub const ALL: [Periode; 4] = [
        Periode::Maret,
        Periode::September,
        Periode::Tahunan,
        Periode::Unstated,
    ];

    /// The period as written in the dataset's `periode` column.
    pub fn label(self) -> &'static str {
        match self {
            Periode::Maret => "Maret",
            Periode::September => "September",
            Periode::Tahunan => "Tahunan",
            Periode::Unstated => "tidak disebut",
        }
    }

    fn detect(header: &str) -> Option<Periode> {
        let h = header.to_lowercase();
        if h.contains("maret") {
            Some(Periode::Maret)
        } else if h.contains("september") {
            Some(Periode::September)
        } else if h.contains("tahunan") {
            Some(Periode::Tahunan)
        } else {
            None
        }
    }
}

/// Urban, rural or both, where a table splits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Daerah {
    /// Urban areas.
    Perkotaan,
    /// Rural areas.
    Perdesaan,
    /// Urban and rural together.
    Total,
}

impl Daerah {
    /// The name written in the tidy CSV ("Perkotaan").
    pub fn label(self) -> &'static str {
        match self {
            Daerah::Perkotaan => "Perkotaan",
            Daerah::Perdesaan => "Perdesaan",
            Daerah::Total => "Jumlah",
        }
    }

    /// The daerah a row of the national table by daerah names: `Kota`, `Desa`, `Kota+Desa`.
    pub fn of_row(name: &str) -> Option<Daerah> {
        match name.trim().to_lowercase().replace(' ', "").as_str() {
            "kota" | "perkotaan" => Some(Daerah::Perkotaan),
            "desa" | "perdesaan" => Some(Daerah::Perdesaan),
            "kota+desa" | "perkotaan+perdesaan" | "jumlah" | "total" => Some(Daerah::Total),
            _ => None,
        }
    }

    /// `None` when the header says nothing about urban/rural.
    fn detect(header: &str) -> Option<Daerah> {
        let h = header.to_lowercase();
        let kota = h.contains("perkotaan");
        let desa = h.contains("perdesaan") || h.contains("pedesaan");
        match (kota, desa) {
            (true, true) => Some(Daerah::Total),
            (true, false) => Some(Daerah::Perkotaan),
            (false, true) => Some(Daerah::Perdesaan),
            (false, false) if h.contains("perkotaan+perdesaan") || h.contains("total") => {
                Some(Daerah::Total)
            }
            // "… Menurut Provinsi dan Daerah (Persen) Jumlah 2024 …": the total of both daerah.
            (false, false)
                if h.contains("daerah")
                    && h.split(|c: char| !c.is_alphanumeric())
                        .collect::<Vec<_>>()
                        .windows(2)
                        .any(|w| w[0] == "jumlah" && w[1] != "penduduk") =>
            {
                Some(Daerah::Total)
            }
            _ => None,
        }
    }
}

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

/// Strings BPS uses for "no value".
pub fn is_missing(s: &str) -> bool {
    matches!(
        s.trim(),
        "" | "-" | "–" | "—" | "..." | "…" | "NA" | "N/A" | "n.a." | "na"
    )
}

/// Parses a number written with dot or comma decimals; `decimal_comma` says how to read a lone `.`
/// grouping like `1.234` (thousands in the Indonesian locale).
pub fn parse_number(s: &str, decimal_comma: bool) -> Option<f64> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    if t.is_empty() {
        return None;
    }
    let has_dot = t.contains('.');
    let has_comma = t.contains(',');
    let normalised = match (has_dot, has_comma) {
        (true, true) => {
            let last_dot = t.rfind('.').unwrap_or(0);
            let last_comma = t.rfind(',').unwrap_or(0);
            if last_comma > last_dot {
                t.replace('.', "").replace(',', ".")
            } else {
                t.replace(',', "")
            }
        }
        (false, true) => {
            if t.matches(',').count() > 1 {
                t.replace(',', "")
            } else {
                t.replace(',', ".")
            }
        }
        (true, false) => {
            if decimal_comma && is_grouped(&t, '.') {
                t.replace('.', "")
            } else {
                t.clone()
            }
        }
        (false, false) => t.clone(),
    };
    let ok = normalised
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+')));
    if !ok || normalised.matches('.').count() > 1 {
        return None;
    }
    normalised.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// `1.234.567` style grouping.
fn is_grouped(t: &str, sep: char) -> bool {
    let t = t.trim_start_matches(['-', '+']);
    let parts: Vec<&str> = t.split(sep).collect();
    parts.len() > 1
        && (1..=3).contains(&parts[0].len())
        && parts[1..].iter().all(|p| p.len() == 3)
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// Four-digit years (1990–2100) in a text, in order of appearance, without repeats.
pub fn years_in(text: &str) -> Vec<i32> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4
                && let Ok(y) = text[start..i].parse::<i32>()
                && (1990..=2100).contains(&y)
                && !out.contains(&y)
            {
                out.push(y);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Removes HTML tags and collapses whitespace.
pub fn strip_html(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
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

fn looks_numeric(s: &str) -> bool {
    parse_number(s, false).is_some()
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

/// Reads the data rows of a table whose columns are known.
struct RowReader<'a> {
    shown: &'a Path,
    lines: &'a [&'a str],
    columns: &'a [Column],
    decimal_comma: bool,
}

impl RowReader<'_> {
    fn raw(&self, line: usize) -> &str {
        self.lines
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or("")
    }

    /// The data rows, the footnotes after them, and warnings about skipped or shifted rows.
    fn read(
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

/// A value as written in the tidy CSV: the shortest decimal that reads back as the same number.
pub fn format_value(v: f64) -> String {
    let s = format!("{v}");
    if s == "-0" { "0".to_string() } else { s }
}

/// A value for messages, in Indonesian notation.
pub fn show_value(v: f64) -> String {
    locale::number_trim(v, 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_both_locales() {
        assert_eq!(parse_number("14.23", false), Some(14.23));
        assert_eq!(parse_number("14,23", true), Some(14.23));
        assert_eq!(parse_number("1.234,5", true), Some(1234.5));
        assert_eq!(parse_number("505.469", true), Some(505469.0));
        assert_eq!(parse_number("505.469", false), Some(505.469));
        assert_eq!(parse_number("abc", false), None);
        assert_eq!(parse_number("1.2.3", false), None);
        assert!(is_missing("...") && is_missing("-") && is_missing(""));
        assert_eq!(format_value(661227.0), "661227");
        assert_eq!(format_value(14.23), "14.23");
    }

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
