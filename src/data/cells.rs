//! One CSV cell: parsed by its field's Table Schema type and checked against the field's constraints.

use super::schema::{FieldInfo, FieldType};
use crate::calendar::Date;
use crate::diagnostic::Code;

/// One typed cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Empty, or one of the dataset's missing-value markers.
    Missing,
    /// A `string` value, trimmed.
    Text(String),
    /// An `integer` or a `year` value.
    Int(i64),
    /// A `number` value.
    Num(f64),
    /// A `boolean` value.
    Bool(bool),
    /// A year-month (year, month).
    YearMonth(i32, u32),
    /// A `date` value.
    Date(Date),
}

impl Cell {
    /// The value of an integer, year or number cell; `None` for any other cell.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Cell::Int(i) => Some(*i as f64),
            Cell::Num(n) => Some(*n),
            _ => None,
        }
    }

    /// The text of a string cell (a region code, a period name), `None` for any other cell.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Cell::Text(s) => Some(s),
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

/// Why a cell was refused: its kind, the message and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct CellError {
    /// The diagnostic code of the refusal.
    pub code: Code,
    /// What is wrong, naming the value and the field.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

fn refuse(code: Code, message: String, hint: impl Into<String>) -> CellError {
    CellError {
        code,
        message,
        hint: hint.into(),
    }
}

/// Parses one raw value by its field's type, then checks `enum`, `minimum` and `maximum`.
pub fn parse(f: &FieldInfo, raw: &str, missing: &[&str]) -> Result<Cell, CellError> {
    let v = raw.trim();
    if missing.contains(&raw) || missing.contains(&v) {
        if f.required {
            return Err(refuse(
                Code::CellRequired,
                format!(
                    "kolom \"{}\" wajib diisi, tetapi kosong (\"{raw}\")",
                    f.name
                ),
                "isi nilainya; kolom kunci tidak boleh kosong",
            ));
        }
        return Ok(Cell::Missing);
    }
    let cell = typed(f, raw, v)?;
    check_constraints(f, raw, &cell)?;
    Ok(cell)
}

/// The largest magnitude a number can have and still be kept exactly (2⁵³): beyond it,
/// 99.999.999.999.999.999.999.999 would silently become another number.
const EXACT: f64 = 9_007_199_254_740_992.0;

fn too_large(f: &FieldInfo, raw: &str) -> CellError {
    refuse(
        Code::CellTooLarge,
        format!(
            "\"{raw}\" terlalu besar untuk disimpan dengan tepat (kolom {})",
            f.name
        ),
        "angka sebesar ini biasanya salah ketik atau beberapa angka yang tergabung; periksa sel ini, atau tulis dalam satuan yang lebih besar (misalnya miliar rupiah)",
    )
}

fn typed(f: &FieldInfo, raw: &str, v: &str) -> Result<Cell, CellError> {
    let checked = |n: f64| {
        if n.abs() >= EXACT {
            Err(too_large(f, raw))
        } else {
            Ok(n)
        }
    };
    Ok(match f.kind {
        FieldType::String => Cell::Text(v.to_string()),
        FieldType::Integer => {
            let n = checked(parse_number(f, v).ok_or_else(|| number_error(f, raw))?)?;
            if n.fract() != 0.0 {
                return Err(refuse(
                    Code::CellNotInteger,
                    format!("\"{raw}\" bukan bilangan bulat (kolom {})", f.name),
                    "kolom ini hanya menerima bilangan bulat",
                ));
            }
            Cell::Int(n as i64)
        }
        FieldType::Number => Cell::Num(checked(
            parse_number(f, v).ok_or_else(|| number_error(f, raw))?,
        )?),
        FieldType::Year => {
            let y: i32 = v
                .parse()
                .ok()
                .filter(|y| (1000..=9999).contains(y))
                .ok_or_else(|| {
                    refuse(
                        Code::CellNotYear,
                        format!("\"{raw}\" bukan tahun (kolom {})", f.name),
                        "tulis tahun empat angka, misalnya 2024",
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
                    return Err(refuse(
                        Code::CellNotYearMonth,
                        format!("\"{raw}\" bukan tahun-bulan (kolom {})", f.name),
                        "tulis seperti 2020-04",
                    ));
                }
            }
        }
        FieldType::Date => Cell::Date(Date::parse(v).ok_or_else(|| {
            refuse(
                Code::CellNotDate,
                format!("\"{raw}\" bukan tanggal (kolom {})", f.name),
                "tulis tanggal seperti 2024-03-27",
            )
        })?),
        FieldType::Boolean => match v.to_lowercase().as_str() {
            "true" | "ya" | "1" | "yes" => Cell::Bool(true),
            "false" | "tidak" | "0" | "no" => Cell::Bool(false),
            _ => {
                return Err(refuse(
                    Code::CellNotBoolean,
                    format!("\"{raw}\" bukan ya/tidak (kolom {})", f.name),
                    "tulis true atau false",
                ));
            }
        },
    })
}

fn check_constraints(f: &FieldInfo, raw: &str, cell: &Cell) -> Result<(), CellError> {
    if let Some(allowed) = &f.allowed
        && let Cell::Text(s) = cell
        && !allowed.contains(s)
    {
        return Err(refuse(
            Code::CellNotAllowed,
            format!(
                "\"{raw}\" tidak termasuk nilai yang diizinkan untuk {}",
                f.name
            ),
            format!("pilih salah satu: {}", allowed.join(", ")),
        ));
    }
    let Some(n) = cell.as_f64() else {
        return Ok(());
    };
    if let Some(min) = f.minimum
        && n < min
    {
        return Err(refuse(
            Code::CellBelowMinimum,
            format!(
                "{raw} lebih kecil dari batas minimum {min} (kolom {})",
                f.name
            ),
            "periksa nilainya",
        ));
    }
    if let Some(max) = f.maximum
        && n > max
    {
        return Err(refuse(
            Code::CellAboveMaximum,
            format!(
                "{raw} lebih besar dari batas maksimum {max} (kolom {})",
                f.name
            ),
            "periksa nilainya",
        ));
    }
    Ok(())
}

fn number_error(f: &FieldInfo, raw: &str) -> CellError {
    let example = match (f.decimal_char, f.group_char) {
        (',', Some('.')) => "1.234,5",
        (',', _) => "1234,5",
        (_, Some(',')) => "1,234.5",
        _ => "1234.5",
    };
    refuse(
        Code::CellNotNumber,
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
        s = without_groups(&s, g, f.decimal_char)?;
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

/// `s` without its group marks, or `None` when they are not where thousands go.
///
/// Groups after the first must have exactly three digits: with "." as group mark, "9.27" is a
/// typo, not 927. A whole-number column may declare "." as both marks: then every "." groups.
/// A group mark after the decimal mark ("121,3.10") is a typo, not a number.
fn without_groups(s: &str, g: char, decimal: char) -> Option<String> {
    let (int_part, fraction) = match s.split_once(decimal) {
        Some(parts) if decimal != g => parts,
        _ => (s, ""),
    };
    if fraction.contains(g) {
        return None;
    }
    let mut groups = int_part.trim_start_matches(['-', '−', '+']).split(g);
    let first_ok = groups.next().is_some_and(|x| (1..=3).contains(&x.len()));
    if !first_ok || !groups.all(|x| x.len() == 3) {
        return None;
    }
    Some(s.replace(g, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers() {
        assert_eq!(format_plain(5.65), "5.65");
        assert_eq!(format_plain(3215966118000.0), "3215966118000");
    }

    #[test]
    fn indonesian_marks_and_their_typos() {
        let f = FieldInfo::number("p0", ',', Some('.'));
        assert_eq!(parse(&f, "1.234,5", &[]).unwrap(), Cell::Num(1234.5));
        assert_eq!(parse(&f, "", &[""]).unwrap(), Cell::Missing);
        for bad in ["9.27", "1.060.350,575.000", "12,3,4", "abc"] {
            assert_eq!(
                parse(&f, bad, &[]).unwrap_err().code,
                Code::CellNotNumber,
                "{bad}"
            );
        }
        assert_eq!(
            parse(&f, "99.999.999.999.999.999.999.999", &[])
                .unwrap_err()
                .code,
            Code::CellTooLarge
        );
        assert_eq!(
            parse(&f, "1e308", &[]).unwrap_err().code,
            Code::CellTooLarge
        );
        let whole = FieldInfo::number("n", '.', Some('.'));
        assert_eq!(
            parse(&whole, "1.538.948", &[]).unwrap(),
            Cell::Num(1538948.0)
        );
    }
}
