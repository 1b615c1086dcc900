//! Numbers (1.234,5), rupiah (Rp3,2 triliun), percentages and dates (27 Maret 2013) the Indonesian way, or the English way (1,234.5; Rp3.2 trillion; 27 March 2013) on a page in English.

use crate::i18n::{Lang, lang};

/// Month names in Bahasa Indonesia, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// Month names in English, January first.
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The `i`th (0-based) of two lists of names, the one of the rendering language; `?` past the end.
fn nth_name(id: &[&'static str], en: &[&'static str], i: usize) -> &'static str {
    let names = if lang() == Lang::En { en } else { id };
    names.get(i).copied().unwrap_or("?")
}

/// The name of `month` (1–12) in the rendering language.
pub(crate) fn month_name(month: u32) -> &'static str {
    nth_name(&MONTHS, &MONTHS_EN, month.wrapping_sub(1) as usize)
}

/// Day names in Bahasa Indonesia, Monday first (ISO order).
pub(crate) const WEEKDAYS: [&str; 7] = [
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
];

/// Day names in English, Monday first.
const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The name of weekday `i` (Monday = 0) in the rendering language.
pub(crate) fn weekday_name(i: usize) -> &'static str {
    nth_name(&WEEKDAYS, &WEEKDAYS_EN, i)
}

/// Formats a number with `.` between thousands and `,` before decimals: `1234.5` with 1
/// decimal gives `1.234,5` (in English `1,234.5`). Negative numbers get a proper minus sign.
pub(crate) fn number(value: f64, decimals: usize) -> String {
    let (thousands, point) = match lang() {
        Lang::Id => ('.', ','),
        Lang::En => (',', '.'),
    };
    if !value.is_finite() {
        return "–".to_string();
    }
    let s = format!("{:.*}", decimals, value.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 2);
    let negative = value < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    if negative {
        out.push('−');
    }
    let digits = int.as_bytes();
    for (i, d) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(thousands);
        }
        out.push(*d as char);
    }
    if let Some(f) = frac {
        out.push(point);
        out.push_str(f);
    }
    out
}

/// Like [`number`] but with as few decimals as needed, at most `max_decimals` (`5.50` → `5,5`).
pub(crate) fn number_trim(value: f64, max_decimals: usize) -> String {
    let s = number(value, max_decimals);
    let point = if lang() == Lang::En { '.' } else { ',' };
    if max_decimals > 0 && s.contains(point) {
        s.trim_end_matches('0').trim_end_matches(point).to_string()
    } else {
        s
    }
}

/// Rupiah in words for large amounts: `Rp3,2 triliun`, `Rp1,32 miliar`, `Rp360 juta`,
/// `Rp50.000` below a million.
pub(crate) fn rupiah(value: f64) -> String {
    let abs = value.abs();
    let sign = if value < 0.0 { "−" } else { "" };
    let en = lang() == Lang::En;
    let (div, word) = if abs >= 1e12 {
        (1e12, if en { " trillion" } else { " triliun" })
    } else if abs >= 1e9 {
        (1e9, if en { " billion" } else { " miliar" })
    } else if abs >= 1e6 {
        (1e6, if en { " million" } else { " juta" })
    } else {
        return format!("{sign}Rp{}", number(abs, 0));
    };
    let scaled = abs / div;
    let decimals = if scaled >= 100.0 { 0 } else { 2 };
    format!("{sign}Rp{}{word}", number_trim(scaled, decimals))
}

/// Rupiah written out in full: `Rp3.215.966.118.000`.
pub(crate) fn rupiah_full(value: f64) -> String {
    let sign = if value < 0.0 { "−" } else { "" };
    format!("{sign}Rp{}", number(value.abs(), 0))
}

/// A percentage: `5,65%`.
pub(crate) fn percent(value: f64, decimals: usize) -> String {
    format!("{}%", number(value, decimals))
}

/// A date: `27 Maret 2013` (`27 March 2013`).
pub(crate) fn date(year: i32, month: u32, day: u32) -> String {
    format!("{day} {} {year}", month_name(month))
}

/// A list in words: `Papua Selatan, Papua Tengah dan Papua Pegunungan`.
pub(crate) fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => {
            let and = if lang() == Lang::En { "and" } else { "dan" };
            format!("{} {and} {last}", rest.join(", "))
        }
    }
}

/// A month: `Maret 2013` (`March 2013`).
pub(crate) fn month(year: i32, month: u32) -> String {
    format!("{} {year}", month_name(month))
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_end_with_dan() {
        assert_eq!(super::join_and(&[]), "");
        assert_eq!(super::join_and(&["Papua Selatan"]), "Papua Selatan");
        assert_eq!(
            super::join_and(&["Papua Selatan", "Papua Tengah", "Papua Pegunungan"]),
            "Papua Selatan, Papua Tengah dan Papua Pegunungan"
        );
    }

    use super::*;

    #[test]
    fn numbers_use_indonesian_separators() {
        assert_eq!(number(1234.5, 1), "1.234,5");
        assert_eq!(number(1234567.0, 0), "1.234.567");
        assert_eq!(number(0.5, 2), "0,50");
        assert_eq!(number(-12.25, 2), "−12,25");
        assert_eq!(number(-0.001, 1), "0,0");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number_trim(5.50, 2), "5,5");
        assert_eq!(number_trim(6.0, 2), "6");
    }

    #[test]
    fn rupiah_in_words() {
        assert_eq!(rupiah(3_215_966_118_000.0), "Rp3,22 triliun");
        assert_eq!(rupiah(3_200_000_000_000.0), "Rp3,2 triliun");
        assert_eq!(rupiah(1_320_000_000.0), "Rp1,32 miliar");
        assert_eq!(rupiah(360_000_000.0), "Rp360 juta");
        assert_eq!(rupiah(50_000.0), "Rp50.000");
        assert_eq!(rupiah_full(3_215_966_118_000.0), "Rp3.215.966.118.000");
    }

    #[test]
    fn dates_in_bahasa() {
        assert_eq!(date(2013, 3, 27), "27 Maret 2013");
        assert_eq!(month(2020, 4), "April 2020");
        assert_eq!(percent(5.65, 2), "5,65%");
    }

    #[test]
    fn english_pages_get_english_numbers_and_dates() {
        let en = std::sync::Arc::new(crate::i18n::Dictionary::of(Lang::En, &[]));
        crate::i18n::scoped(Some(&en), || {
            assert_eq!(number(1234.5, 1), "1,234.5");
            assert_eq!(number(-12.25, 2), "−12.25");
            assert_eq!(number_trim(5.50, 2), "5.5");
            assert_eq!(number_trim(1000.0, 0), "1,000");
            assert_eq!(rupiah(3_200_000_000_000.0), "Rp3.2 trillion");
            assert_eq!(rupiah(1_320_000_000.0), "Rp1.32 billion");
            assert_eq!(rupiah(50_000.0), "Rp50,000");
            assert_eq!(date(2013, 3, 27), "27 March 2013");
            assert_eq!(month(2020, 5), "May 2020");
            assert_eq!(percent(5.65, 2), "5.65%");
            assert_eq!(join_and(&["a", "b", "c"]), "a, b and c");
        });
        assert_eq!(number(1234.5, 1), "1.234,5");
    }
}
