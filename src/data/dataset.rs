//! A dataset: a `datapackage.json` and its CSV, every row parsed to typed cells and validated.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::descriptor::{self, Package};
use super::period::{self, Period};
use super::registry::{Registry, csv_error_message};
use crate::calendar::Date;
use crate::diagnostic::{Diagnostic, display_path, line_col};
use crate::slug::slugify;

/// How a column is used by the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Region,
    Time,
    Period,
    Dimension,
    Measure,
    /// Any other column (notes, units): shown and downloaded, not charted.
    Attribute,
}

/// The Table Schema types Lumbung reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    String,
    Integer,
    Number,
    Year,
    YearMonth,
    Date,
    Boolean,
}

impl FieldType {
    fn parse(s: &str) -> Option<FieldType> {
        Some(match s {
            "string" => FieldType::String,
            "integer" => FieldType::Integer,
            "number" => FieldType::Number,
            "year" => FieldType::Year,
            "yearmonth" => FieldType::YearMonth,
            "date" => FieldType::Date,
            "boolean" => FieldType::Boolean,
            _ => return None,
        })
    }
}

/// One typed cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Missing,
    Text(String),
    Int(i64),
    Num(f64),
    Bool(bool),
    /// A year-month (year, month).
    YearMonth(i32, u32),
    Date(Date),
}

impl Cell {
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Cell::Int(i) => Some(*i as f64),
            Cell::Num(n) => Some(*n),
            _ => None,
        }
    }

    /// The value as plain machine-readable text (dot decimals, ISO dates), empty when missing.
    pub fn plain(&self) -> String {
        match self {
            Cell::Missing => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Num(n) => format_plain(*n),
            Cell::Bool(b) => b.to_string(),
            Cell::YearMonth(y, m) => format!("{y:04}-{m:02}"),
            Cell::Date(d) => d.iso(),
        }
    }
}

/// A float without noise: `5.65`, `3215966118000`, `0.1`.
pub fn format_plain(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n}");
        if s.contains('e') {
            format!("{n:.10}").trim_end_matches('0').to_string()
        } else {
            s
        }
    }
}

/// A column with what the portal needs to show it.
#[derive(Debug, Clone, Serialize)]
pub struct FieldInfo {
    pub name: String,
    pub title: String,
    pub description: String,
    pub kind: FieldType,
    pub role: Role,
    pub unit: String,
    pub decimals: usize,
    /// `Some(true)`: lower is better; `Some(false)`: higher is better; `None`: neither (a threshold such as garis kemiskinan).
    pub lower_is_better: Option<bool>,
    /// The indicator slug this measure feeds, when it does.
    pub indicator: Option<String>,
    #[serde(skip)]
    decimal_char: char,
    #[serde(skip)]
    group_char: Option<char>,
    #[serde(skip)]
    bare_number: bool,
    #[serde(skip)]
    required: bool,
    #[serde(skip)]
    allowed: Option<Vec<String>>,
    #[serde(skip)]
    minimum: Option<f64>,
    #[serde(skip)]
    maximum: Option<f64>,
}

/// One data row.
#[derive(Debug, Clone)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// The row's time point, when the dataset has a time field.
    pub period: Option<Period>,
    /// Physical line in the CSV (for later messages).
    pub line: usize,
}

/// A loaded, validated dataset.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub slug: String,
    pub descriptor_file: PathBuf,
    pub csv_file: PathBuf,
    /// The CSV's file name, used for the download.
    pub csv_name: String,
    pub title: String,
    pub description: String,
    pub package: Package,
    pub updated: Option<Date>,
    pub created: Option<Date>,
    pub fields: Vec<FieldInfo>,
    pub rows: Vec<Row>,
    pub primary_key: Vec<usize>,
    pub region: Option<usize>,
    pub time: Option<usize>,
    pub period: Option<usize>,
    /// The original CSV bytes, offered as they were published.
    pub original: Vec<u8>,
}

impl Dataset {
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    pub fn measures(&self) -> impl Iterator<Item = (usize, &FieldInfo)> {
        self.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.role == Role::Measure)
    }

    pub fn dimensions(&self) -> impl Iterator<Item = (usize, &FieldInfo)> {
        self.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.role == Role::Dimension)
    }

    /// The first source's title, or a default credit.
    pub fn source_line(&self) -> String {
        self.package
            .sources
            .iter()
            .filter_map(|s| s.title.clone())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Most errors reported for one CSV before summarising the rest.
const MAX_ROW_ERRORS: usize = 50;

/// Loads `data/<folder>/datapackage.json` and its CSV, checking every row.
pub fn load(root: &Path, folder: &Path, registry: &Registry) -> Result<Dataset, Vec<Diagnostic>> {
    let desc_path = folder.join("datapackage.json");
    let shown = display_path(root, &desc_path);
    let text = std::fs::read_to_string(&desc_path).map_err(|e| {
        vec![Diagnostic::error(
            &shown,
            format!("tidak bisa membaca deskriptor dataset: {e}"),
        )]
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    let package: Package = serde_json::from_str(&text).map_err(|e| {
        vec![
            Diagnostic::error(
                &shown,
                format!("datapackage.json tidak sah: {}", json_message(&e)),
            )
            .at_text(&text, e.line().max(1), e.column().max(1))
            .hint(
                "periksa koma, tanda kutip dan kurung; tipe dan nama kunci ada di docs/formats.md",
            ),
        ]
    })?;
    let at = |needle: &str, msg: String, hint: String| -> Diagnostic {
        let d = Diagnostic::error(&shown, msg).hint(hint);
        match text.find(needle) {
            Some(off) => d.at_offset(&text, off),
            None => d,
        }
    };
    let mut errors = Vec::new();

    // Unknown lumbung: keys anywhere we read them.
    let mut check_extra = |extra: &BTreeMap<String, serde_json::Value>| {
        for k in extra.keys().filter(|k| k.starts_with("lumbung:")) {
            if !descriptor::LUMBUNG_KEYS.contains(&k.as_str()) {
                let near =
                    crate::diagnostic::nearest(k, descriptor::LUMBUNG_KEYS.iter().copied(), 1);
                errors.push(at(
                    &format!("\"{k}\""),
                    format!("kunci \"{k}\" tidak dikenal"),
                    match near.first() {
                        Some(n) => format!("mungkin maksudnya \"{n}\"?"),
                        None => "lihat docs/formats.md untuk kunci lumbung:*".into(),
                    },
                ));
            }
        }
    };
    check_extra(&package.extra);
    let Some(resource) = package.resources.first() else {
        return Err(vec![at(
            "\"resources\"",
            "dataset tidak punya resources".into(),
            "tambahkan resources dengan path ke berkas CSV".into(),
        )]);
    };
    check_extra(&resource.extra);
    let Some(schema) = &resource.schema else {
        return Err(vec![at(
            "\"resources\"",
            "resource tidak punya schema".into(),
            "tambahkan schema dengan fields (nama dan tipe setiap kolom)".into(),
        )]);
    };
    for f in &schema.fields {
        check_extra(&f.extra);
    }

    // Resolve the CSV path safely inside the dataset folder.
    let rel = match &resource.path {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Array(a)) if a.len() == 1 => {
            a[0].as_str().unwrap_or_default().to_string()
        }
        _ => String::new(),
    };
    let rel_path = Path::new(&rel);
    if rel.is_empty()
        || rel.contains("://")
        || rel_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
    {
        errors.push(at(
            "\"path\"",
            format!("path resource \"{rel}\" tidak bisa dipakai"),
            "tulis nama berkas CSV di folder dataset ini, misalnya \"path\": \"data.csv\"".into(),
        ));
        return Err(errors);
    }
    let csv_path = folder.join(rel_path);
    let csv_shown = display_path(root, &csv_path);

    // Fields.
    let pk: Vec<String> = schema
        .primary_key
        .as_ref()
        .map(|k| k.to_vec())
        .unwrap_or_default();
    let mut fields = Vec::new();
    for f in &schema.fields {
        let Some(kind) = FieldType::parse(&f.kind) else {
            errors.push(at(
                &format!("\"{}\"", f.kind),
                format!("tipe kolom \"{}\" ({}) tidak dikenal", f.kind, f.name),
                "pilih string, integer, number, year, yearmonth, date atau boolean".into(),
            ));
            continue;
        };
        let role = match f.role.as_deref() {
            None => match kind {
                FieldType::Number | FieldType::Integer if !pk.contains(&f.name) => Role::Measure,
                _ => Role::Attribute,
            },
            Some("region") => Role::Region,
            Some("time") => Role::Time,
            Some("period") => Role::Period,
            Some("dimension") => Role::Dimension,
            Some("measure") => Role::Measure,
            Some("attribute") => Role::Attribute,
            Some(other) => {
                errors.push(at(
                    &format!("\"{other}\""),
                    format!("peran kolom \"{other}\" ({}) tidak dikenal", f.name),
                    "pilih region, time, period, dimension, measure atau attribute".into(),
                ));
                continue;
            }
        };
        if role == Role::Measure && !matches!(kind, FieldType::Number | FieldType::Integer) {
            errors.push(at(
                &format!("\"{}\"", f.name),
                format!(
                    "kolom ukuran \"{}\" harus bertipe number atau integer",
                    f.name
                ),
                "ubah \"type\" menjadi \"number\"".into(),
            ));
        }
        if role == Role::Time
            && !matches!(
                kind,
                FieldType::Year | FieldType::YearMonth | FieldType::Date | FieldType::Integer
            )
        {
            errors.push(at(
                &format!("\"{}\"", f.name),
                format!(
                    "kolom waktu \"{}\" harus bertipe year, yearmonth atau date",
                    f.name
                ),
                "ubah \"type\" menjadi \"year\"".into(),
            ));
        }
        let one_char = |s: &Option<String>, default: Option<char>| -> Option<char> {
            match s {
                Some(s) => s.chars().next(),
                None => default,
            }
        };
        let unit = f.unit.clone().unwrap_or_default();
        let decimals = f.decimals.unwrap_or(match unit.as_str() {
            "persen" | "indeks" => 2,
            _ if kind == FieldType::Number && unit.is_empty() => 2,
            _ => 0,
        });
        let c = f.constraints.clone().unwrap_or_default();
        let num = |v: &Option<serde_json::Value>| v.as_ref().and_then(|v| v.as_f64());
        fields.push(FieldInfo {
            name: f.name.clone(),
            title: f.title.clone().unwrap_or_else(|| f.name.replace('_', " ")),
            description: f.description.clone().unwrap_or_default(),
            kind,
            role,
            unit,
            decimals,
            lower_is_better: f.lower_is_better,
            indicator: f.indicator.clone().map(|s| slugify(&s)),
            decimal_char: one_char(&f.decimal_char, Some('.')).unwrap_or('.'),
            group_char: one_char(&f.group_char, None),
            bare_number: f.bare_number.unwrap_or(true),
            required: c.required || pk.contains(&f.name),
            allowed: c.allowed.map(|v| {
                v.iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                    .collect()
            }),
            minimum: num(&c.minimum),
            maximum: num(&c.maximum),
        });
    }
    let find_role = |r: Role| fields.iter().position(|f| f.role == r);
    let region = find_role(Role::Region);
    let time = find_role(Role::Time);
    let period_field = find_role(Role::Period);
    for r in [Role::Region, Role::Time, Role::Period] {
        if fields.iter().filter(|f| f.role == r).count() > 1 {
            errors.push(at(
                "\"lumbung:role\"",
                format!("lebih dari satu kolom berperan {r:?}").to_lowercase(),
                "hanya satu kolom boleh berperan region, time atau period".into(),
            ));
        }
    }
    let mut primary_key = Vec::new();
    for k in &pk {
        match fields.iter().position(|f| &f.name == k) {
            Some(i) => primary_key.push(i),
            None => errors.push(at(
                "\"primaryKey\"",
                format!("primaryKey menyebut kolom \"{k}\" yang tidak ada"),
                "samakan dengan nama di fields".into(),
            )),
        }
    }
    // Foreign keys to the registry.
    let mut region_checked: Vec<usize> = Vec::new();
    for fk in &schema.foreign_keys {
        if fk.reference.resource == "wilayah" {
            for name in fk.fields.to_vec() {
                match fields.iter().position(|f| f.name == name) {
                    Some(i) => region_checked.push(i),
                    None => errors.push(at(
                        "\"foreignKeys\"",
                        format!("foreignKeys menyebut kolom \"{name}\" yang tidak ada"),
                        "samakan dengan nama di fields".into(),
                    )),
                }
            }
        }
    }
    if let Some(r) = region
        && !region_checked.contains(&r)
    {
        region_checked.push(r);
    }
    let dialect = &resource.dialect;
    let delimiter = single_byte(&dialect.delimiter);
    let quote = single_byte(&dialect.quote_char);
    if delimiter.is_none() {
        errors.push(at(
            "\"delimiter\"",
            format!(
                "pemisah kolom \"{}\" harus satu karakter",
                dialect.delimiter
            ),
            "misalnya \"delimiter\": \";\"".into(),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (delimiter, quote) = (delimiter.unwrap_or(b','), quote.unwrap_or(b'"'));
    let header_lines = match (&dialect.header_rows, dialect.header_row_count) {
        (Some(rows), _) => rows.iter().copied().max().unwrap_or(0),
        (None, Some(n)) => n,
        (None, None) => usize::from(dialect.header),
    };

    // The CSV itself.
    let original = std::fs::read(&csv_path).map_err(|e| {
        vec![
            Diagnostic::error(&csv_shown, format!("tidak bisa membaca berkas data: {e}"))
                .hint(format!("periksa \"path\" di {}", shown.display())),
        ]
    })?;
    let body = original
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(&original);
    let csv_text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            let (line, col) = line_col(&String::from_utf8_lossy(body), e.valid_up_to());
            return Err(vec![
                Diagnostic::error(&csv_shown, "berkas bukan teks UTF-8")
                    .at_text(&String::from_utf8_lossy(body), line, col)
                    .hint("di Excel pilih Simpan Sebagai → \"CSV UTF-8 (Comma delimited)\""),
            ]);
        }
    };
    if let Some(line) = unterminated_quote(csv_text, quote) {
        let row = line.saturating_sub(header_lines);
        return Err(vec![
            Diagnostic::error(&csv_shown, "tanda kutip dibuka tetapi tidak pernah ditutup")
                .at_csv(row, line, None, csv_text.lines().nth(line - 1))
                .hint(format!(
                    "tutup tanda kutip {} di baris ini, atau hapus tanda kutip yang berlebih",
                    quote as char
                )),
        ]);
    }
    let lines: Vec<&str> = csv_text.lines().collect();
    let raw_line = |line: usize| lines.get(line.saturating_sub(1)).copied();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .quote(quote)
        .double_quote(dialect.double_quote)
        .comment(dialect.comment_char.as_deref().and_then(single_byte))
        .trim(if dialect.skip_initial_space {
            csv::Trim::Fields
        } else {
            csv::Trim::None
        })
        .from_reader(csv_text.as_bytes());
    let mut records = rdr.records();
    let mut header: Option<csv::StringRecord> = None;
    for _ in 0..header_lines {
        match records.next() {
            Some(Ok(r)) => header = Some(r),
            Some(Err(e)) => {
                return Err(vec![
                    Diagnostic::error(&csv_shown, csv_error_message(&e)).at_text(csv_text, 1, 1),
                ]);
            }
            None => break,
        }
    }
    let expected: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    if let Some(h) = &header {
        let got: Vec<&str> = h.iter().map(str::trim).collect();
        if got != expected {
            let line = h.position().map_or(1, |p| p.line() as usize);
            return Err(vec![
                Diagnostic::error(
                    &csv_shown,
                    "kepala tabel tidak sama dengan fields di datapackage.json",
                )
                .at_csv(0, line, None, raw_line(line))
                .hint(format!(
                    "baris kepala harus: {}",
                    expected.join(&(delimiter as char).to_string())
                )),
            ]);
        }
    }
    let mut rows = Vec::new();
    let mut row_errors: Vec<Diagnostic> = Vec::new();
    let mut more = 0usize;
    let mut push_err = |d: Diagnostic, errs: &mut Vec<Diagnostic>| {
        if errs.len() < MAX_ROW_ERRORS {
            errs.push(d)
        } else {
            more += 1
        }
    };
    let missing: Vec<&str> = schema.missing_values.iter().map(String::as_str).collect();
    let mut seen_keys: HashMap<Vec<String>, usize> = HashMap::new();
    for (i, rec) in records.enumerate() {
        let row_no = i + 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(row_no + header_lines, |p| p.line() as usize);
                push_err(
                    Diagnostic::error(&csv_shown, csv_error_message(&e)).at_csv(
                        row_no,
                        line,
                        None,
                        raw_line(line),
                    ),
                    &mut row_errors,
                );
                continue;
            }
        };
        let line = rec
            .position()
            .map_or(row_no + header_lines, |p| p.line() as usize);
        if rec.len() == 1 && rec[0].trim().is_empty() {
            continue; // a blank line
        }
        if rec.len() != fields.len() {
            push_err(
                Diagnostic::error(&csv_shown, format!("baris ini punya {} kolom, padahal tabel punya {} kolom", rec.len(), fields.len()))
                    .at_csv(row_no, line, None, raw_line(line))
                    .hint(format!(
                        "setiap baris harus punya {} nilai dipisah \"{}\"; nilai yang mengandung \"{}\" harus diapit tanda kutip",
                        fields.len(), delimiter as char, delimiter as char
                    )),
                &mut row_errors,
            );
            continue;
        }
        let mut cells = Vec::with_capacity(fields.len());
        let mut ok = true;
        for (f, raw) in fields.iter().zip(rec.iter()) {
            match parse_cell(f, raw, &missing) {
                Ok(c) => cells.push(c),
                Err((msg, hint)) => {
                    ok = false;
                    push_err(
                        Diagnostic::error(&csv_shown, msg)
                            .at_csv(row_no, line, Some(&f.name), raw_line(line))
                            .hint(hint),
                        &mut row_errors,
                    );
                    cells.push(Cell::Missing);
                }
            }
        }
        for &fi in &region_checked {
            if let Cell::Text(code) = &cells[fi]
                && !registry.contains(code)
            {
                ok = false;
                push_err(
                    Diagnostic::error(
                        &csv_shown,
                        format!("kode wilayah \"{code}\" tidak ada di data/wilayah.csv"),
                    )
                    .at_csv(row_no, line, Some(&fields[fi].name), raw_line(line))
                    .hint(registry.suggest(code)),
                    &mut row_errors,
                );
            }
        }
        if !primary_key.is_empty() && ok {
            let key: Vec<String> = primary_key.iter().map(|&k| cells[k].plain()).collect();
            if let Some(first) = seen_keys.insert(key.clone(), row_no) {
                ok = false;
                push_err(
                    Diagnostic::error(&csv_shown, format!("kunci ({}) ganda: sama dengan baris data {first}", key.join(", ")))
                        .at_csv(row_no, line, None, raw_line(line))
                        .hint(format!("setiap kombinasi {} hanya boleh muncul sekali; hapus atau gabungkan baris ganda", pk.join(" + "))),
                    &mut row_errors,
                );
            }
        }
        let period = match time.map(|t| &cells[t]) {
            None | Some(Cell::Missing) => None,
            Some(Cell::Int(y)) => {
                let y = *y as i32;
                match period_field.map(|p| &cells[p]) {
                    Some(Cell::Text(name)) => match Period::named(y, name) {
                        Some(p) => Some(p),
                        None => {
                            ok = false;
                            push_err(
                                Diagnostic::error(
                                    &csv_shown,
                                    format!("periode \"{name}\" tidak dikenal"),
                                )
                                .at_csv(
                                    row_no,
                                    line,
                                    period_field.map(|p| fields[p].name.as_str()),
                                    raw_line(line),
                                )
                                .hint(format!("gunakan salah satu: {}", period::known_names())),
                                &mut row_errors,
                            );
                            None
                        }
                    },
                    _ => Some(Period::year(y)),
                }
            }
            Some(Cell::YearMonth(y, m)) => Some(Period::month(*y, *m)),
            Some(Cell::Date(d)) => Some(Period::month(d.year, d.month)),
            Some(_) => None,
        };
        if ok {
            rows.push(Row {
                cells,
                period,
                line,
            });
        }
    }
    if more > 0 {
        row_errors.push(
            Diagnostic::error(
                &csv_shown,
                format!("… dan {more} kesalahan lain di berkas ini"),
            )
            .hint("perbaiki kesalahan di atas lalu jalankan lagi"),
        );
    }
    if !row_errors.is_empty() {
        return Err(row_errors);
    }
    let folder_name = folder
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or("dataset");
    let title = package
        .title
        .clone()
        .unwrap_or_else(|| folder_name.to_string());
    Ok(Dataset {
        slug: slugify(package.name.as_deref().unwrap_or(folder_name)),
        descriptor_file: shown,
        csv_name: csv_path
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or("data.csv")
            .to_string(),
        csv_file: csv_shown,
        title,
        description: package.description.clone().unwrap_or_default(),
        updated: package
            .updated
            .as_deref()
            .and_then(|d| Date::parse(d.get(..10).unwrap_or(d))),
        created: package
            .created
            .as_deref()
            .and_then(|d| Date::parse(d.get(..10).unwrap_or(d))),
        package: package.clone(),
        fields,
        rows,
        primary_key,
        region,
        time,
        period: period_field,
        original,
    })
}

fn single_byte(s: &str) -> Option<u8> {
    let b = s.as_bytes();
    (b.len() == 1).then(|| b[0])
}

fn json_message(e: &serde_json::Error) -> String {
    let m = e.to_string();
    m.split(" at line ").next().unwrap_or(&m).to_string()
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

type CellError = (String, String);

/// Parses one raw value by its field's type.
fn parse_cell(f: &FieldInfo, raw: &str, missing: &[&str]) -> Result<Cell, CellError> {
    let v = raw.trim();
    if missing.contains(&raw) || missing.contains(&v) {
        if f.required {
            return Err((
                format!(
                    "kolom \"{}\" wajib diisi, tetapi kosong (\"{raw}\")",
                    f.name
                ),
                "isi nilainya; kolom kunci tidak boleh kosong".into(),
            ));
        }
        return Ok(Cell::Missing);
    }
    let cell = match f.kind {
        FieldType::String => Cell::Text(v.to_string()),
        FieldType::Integer => {
            let n = parse_number(f, v).ok_or_else(|| number_error(f, raw))?;
            if n.fract() != 0.0 {
                return Err((
                    format!("\"{raw}\" bukan bilangan bulat (kolom {})", f.name),
                    "kolom ini hanya menerima bilangan bulat".into(),
                ));
            }
            Cell::Int(n as i64)
        }
        FieldType::Number => Cell::Num(parse_number(f, v).ok_or_else(|| number_error(f, raw))?),
        FieldType::Year => {
            let y: i32 = v
                .parse()
                .ok()
                .filter(|y| (1000..=9999).contains(y))
                .ok_or_else(|| {
                    (
                        format!("\"{raw}\" bukan tahun (kolom {})", f.name),
                        "tulis tahun empat angka, misalnya 2024".to_string(),
                    )
                })?;
            Cell::Int(i64::from(y))
        }
        FieldType::YearMonth => {
            let parsed = v
                .split_once('-')
                .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)));
            match parsed {
                Some((y, m)) if (1..=12).contains(&m) && y > 999 => Cell::YearMonth(y, m),
                _ => {
                    return Err((
                        format!("\"{raw}\" bukan tahun-bulan (kolom {})", f.name),
                        "tulis seperti 2020-04".into(),
                    ));
                }
            }
        }
        FieldType::Date => Cell::Date(Date::parse(v).ok_or_else(|| {
            (
                format!("\"{raw}\" bukan tanggal (kolom {})", f.name),
                "tulis tanggal seperti 2024-03-27".to_string(),
            )
        })?),
        FieldType::Boolean => match v.to_lowercase().as_str() {
            "true" | "ya" | "1" | "yes" => Cell::Bool(true),
            "false" | "tidak" | "0" | "no" => Cell::Bool(false),
            _ => {
                return Err((
                    format!("\"{raw}\" bukan ya/tidak (kolom {})", f.name),
                    "tulis true atau false".into(),
                ));
            }
        },
    };
    if let Some(allowed) = &f.allowed
        && let Cell::Text(s) = &cell
        && !allowed.contains(s)
    {
        return Err((
            format!(
                "\"{raw}\" tidak termasuk nilai yang diizinkan untuk {}",
                f.name
            ),
            format!("pilih salah satu: {}", allowed.join(", ")),
        ));
    }
    if let Some(n) = cell.as_f64() {
        if let Some(min) = f.minimum
            && n < min
        {
            return Err((
                format!(
                    "{raw} lebih kecil dari batas minimum {min} (kolom {})",
                    f.name
                ),
                "periksa nilainya".into(),
            ));
        }
        if let Some(max) = f.maximum
            && n > max
        {
            return Err((
                format!(
                    "{raw} lebih besar dari batas maksimum {max} (kolom {})",
                    f.name
                ),
                "periksa nilainya".into(),
            ));
        }
    }
    Ok(cell)
}

fn number_error(f: &FieldInfo, raw: &str) -> CellError {
    let example = match (f.decimal_char, f.group_char) {
        (',', Some('.')) => "1.234,5",
        (',', _) => "1234,5",
        (_, Some(',')) => "1,234.5",
        _ => "1234.5",
    };
    (
        format!("\"{raw}\" bukan angka (kolom {})", f.name),
        format!(
            "kolom ini memakai \"{}\" sebagai tanda desimal{}; tulis seperti {example}, atau kosongkan/isi \"-\" jika tidak ada data",
            f.decimal_char,
            f.group_char
                .map(|g| format!(" dan \"{g}\" sebagai pemisah ribuan"))
                .unwrap_or_default()
        ),
    )
}

/// Reads a number written with the field's decimal and group characters.
fn parse_number(f: &FieldInfo, v: &str) -> Option<f64> {
    let mut s = v.to_string();
    if !f.bare_number {
        s = s
            .trim_matches(|c: char| !(c.is_ascii_digit() || c == '-' || c == '−'))
            .to_string();
    }
    if let Some(g) = f.group_char
        && s.contains(g)
    {
        // Groups after the first must have exactly three digits: with "." as group mark, "9.27" is a typo, not 927.
        // (A whole-number column may declare "." as both marks: then every "." groups.)
        let (int_part, fraction) = match s.split_once(f.decimal_char) {
            Some(parts) if f.decimal_char != g => parts,
            _ => (s.as_str(), ""),
        };
        // A group mark after the decimal mark ("121,3.10") is a typo, not a number.
        if fraction.contains(g) {
            return None;
        }
        let mut groups = int_part.trim_start_matches(['-', '−', '+']).split(g);
        let first_ok = groups.next().is_some_and(|x| (1..=3).contains(&x.len()));
        if !first_ok || !groups.all(|x| x.len() == 3) {
            return None;
        }
        s = s.replace(g, "");
    }
    if f.decimal_char != '.' {
        if s.contains('.') {
            return None;
        }
        s = s.replace(f.decimal_char, ".");
    }
    let s = s.replace('−', "-");
    if s.is_empty()
        || !s.bytes().all(|b| {
            b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+' || b == b'e' || b == b'E'
        })
    {
        return None;
    }
    s.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Every dataset folder under `data/` (those with a `datapackage.json`), sorted.
pub fn folders(root: &Path) -> Vec<PathBuf> {
    let dir = root.join("data");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("datapackage.json").is_file())
        .collect();
    out.sort();
    out
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

    #[test]
    fn plain_numbers() {
        assert_eq!(format_plain(5.65), "5.65");
        assert_eq!(format_plain(3215966118000.0), "3215966118000");
    }
}
