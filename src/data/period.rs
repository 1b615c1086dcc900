//! Time points of a series: a year, a year and month, or a year and a named period (Maret, September, Semester I…).

use std::fmt;

use serde::{Serialize, Serializer};

use crate::locale::MONTHS;

/// One point in time at the precision the data has. Ordered by year, then by position in the year.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    /// The calendar year.
    pub year: i32,
    /// Position in the year: 0 for a whole year, 1–12 for a month, 13+ for other named periods.
    pub sub: u16,
    /// The period's name (`Maret`, `Semester I`), empty for a whole year.
    pub name: String,
}

/// Named sub-year periods and their order within a year.
const NAMED: &[(&str, u16)] = &[
    ("triwulan i", 3),
    ("triwulan ii", 6),
    ("triwulan iii", 9),
    ("triwulan iv", 12),
    ("semester i", 6),
    ("semester ii", 12),
    ("tahunan", 0),
];

impl Period {
    /// A whole year.
    pub fn year(year: i32) -> Period {
        Period {
            year,
            sub: 0,
            name: String::new(),
        }
    }

    /// A month (1–12) of a year, named in Bahasa Indonesia ("Maret"); the name is empty for a bad month.
    pub fn month(year: i32, month: u32) -> Period {
        let name = MONTHS
            .get(month.wrapping_sub(1) as usize)
            .copied()
            .unwrap_or("")
            .to_string();
        Period {
            year,
            sub: month as u16,
            name,
        }
    }

    /// A year with a named period (`Maret`, `september`, `Semester I`, `Tahunan`); `None` if unknown.
    pub fn named(year: i32, name: &str) -> Option<Period> {
        let key = name.trim().to_lowercase();
        // "tidak disebut": the source gives the year alone (as `lumbung import bps` writes it).
        if key.is_empty() || key == "tidak disebut" {
            return Some(Period::year(year));
        }
        // The month names are ASCII: compared without lowercasing each (per CSV row).
        if let Some(i) = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(&key)) {
            return Some(Period::month(year, i as u32 + 1));
        }
        let (_, sub) = NAMED.iter().find(|(n, _)| *n == key)?;
        let canonical = capitalise_period(name.trim());
        if *sub == 0 {
            // "Tahunan": a figure for the whole year, as the source says (not a year without a period).
            return Some(Period {
                year,
                sub: 0,
                name: canonical,
            });
        }
        // Named periods sort after the month they end in.
        Some(Period {
            year,
            sub: *sub * 10 + 5,
            name: canonical,
        })
    }

    /// The same period one year earlier.
    pub fn year_before(&self) -> Period {
        Period {
            year: self.year - 1,
            ..self.clone()
        }
    }

    /// Whether the source named the period (Maret, September, Tahunan, a month); `false` for a
    /// bare year, which pages mark as "periode tidak disebut sumber".
    pub fn stated(&self) -> bool {
        !self.name.is_empty()
    }

    /// `Maret 2024`, `2024`, `Semester I 2020`, `Tahunan 2010`.
    pub fn label(&self) -> String {
        if self.name.is_empty() {
            self.year.to_string()
        } else {
            // Built in place: every table row and chart point of a page asks.
            let mut out = self.shown_name();
            out.push(' ');
            out.push_str(itoa::Buffer::new().format(self.year));
            out
        }
    }

    /// The period's name in the rendering language (`Maret`, `March`; `Tahunan`, `Annual`).
    fn shown_name(&self) -> String {
        if (1..=12).contains(&self.sub) {
            crate::locale::month_name(u32::from(self.sub)).to_string()
        } else {
            crate::i18n::t(&self.name)
        }
    }

    /// Short label for chart axes: `Mar 2024` / `2024` (a Tahunan figure is its year; the chart
    /// marks where the basis changes).
    pub fn short_label(&self) -> String {
        if self.name.is_empty() || self.sub == 0 {
            self.year.to_string()
        } else if (1..=12).contains(&self.sub) {
            let mut out: String = self.shown_name().chars().take(3).collect();
            out.push(' ');
            out.push_str(itoa::Buffer::new().format(self.year));
            out
        } else {
            self.label()
        }
    }

    /// A stable key for URLs and downloads: `2024`, `2024-03`, `2024-semester-i`.
    pub fn key(&self) -> String {
        if self.name.is_empty() {
            self.year.to_string()
        } else if (1..=12).contains(&self.sub) {
            format!("{}-{:02}", self.year, self.sub)
        } else {
            format!("{}-{}", self.year, crate::slug::slugify(&self.name))
        }
    }
}

fn capitalise_period(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let lw = w.to_lowercase();
            if lw.chars().all(|c| matches!(c, 'i' | 'v' | 'x')) {
                lw.to_uppercase()
            } else {
                let mut c = lw.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The names accepted in a period field, for error hints.
pub fn known_names() -> String {
    let mut v: Vec<String> = MONTHS.iter().map(|m| m.to_string()).collect();
    v.extend(
        [
            "Triwulan I",
            "Semester I",
            "Semester II",
            "Tahunan",
            "tidak disebut",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    v.join(", ")
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maret_before_september_and_year_before() {
        let m = Period::named(2024, "Maret").unwrap();
        let s = Period::named(2024, "september").unwrap();
        assert!(m < s);
        assert_eq!(s.label(), "September 2024");
        assert_eq!(m.year_before(), Period::named(2023, "Maret").unwrap());
        assert_eq!(
            Period::named(2020, "semester i").unwrap().label(),
            "Semester I 2020"
        );
        assert!(Period::named(2020, "Maretan").is_none());
        let t = Period::named(2010, "tahunan").unwrap();
        assert_eq!(t.label(), "Tahunan 2010");
        assert!(t.stated() && !Period::year(2010).stated());
        assert_ne!(
            t,
            Period::year(2010),
            "a Tahunan figure is not a year without a period"
        );
        assert_eq!(m.key(), "2024-03");
        assert_eq!(m.short_label(), "Mar 2024");
    }

    #[test]
    fn every_month_is_named_in_any_case_and_nothing_else_is_a_month() {
        assert!(MONTHS.iter().all(|m| m.is_ascii()), "compared as ASCII");
        for (i, m) in MONTHS.iter().enumerate() {
            for name in [
                m.to_string(),
                m.to_uppercase(),
                format!(" {} ", m.to_lowercase()),
            ] {
                assert_eq!(
                    Period::named(2024, &name),
                    Some(Period::month(2024, i as u32 + 1))
                );
            }
        }
        for other in ["Mart", "Maret 2024", "Mei-Juni", "\u{212A}"] {
            assert!(Period::named(2024, other).is_none(), "{other}");
        }
    }
}
