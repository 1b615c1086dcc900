//! The cells of a BPS export: numbers in either locale, the marks for "no value", years in a text, HTML removed; values written back for the CSV and for messages.

use crate::locale;

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

/// A number in either locale.
pub(super) fn looks_numeric(s: &str) -> bool {
    parse_number(s, false).is_some()
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
}
