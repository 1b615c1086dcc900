//! Plain-language text descriptions of charts (Bahasa Indonesia, or English on a page in English), for `<desc>`, alt text and screen readers.

use super::style;
use crate::i18n::{Lang, lang, t, tf};

/// Joins names the Indonesian way: `A`, `A dan B`, `A, B, dan C` (in English `A, B and C`).
pub fn join_id(items: &[String]) -> String {
    if lang() == Lang::En {
        let items: Vec<&str> = items.iter().map(String::as_str).collect();
        return crate::locale::join_and(&items);
    }
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [a, b] => format!("{a} dan {b}"),
        [rest @ .., last] => format!("{}, dan {last}", rest.join(", ")),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The first letter in lower case, for a title used mid-sentence; acronyms ("PDRB", "IPM") stay as they are.
pub fn decapitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        // Keep acronyms ("PDRB", "IPM") as they are.
        Some(f) if !c.clone().next().is_some_and(char::is_uppercase) => {
            f.to_lowercase().collect::<String>() + c.as_str()
        }
        _ => s.to_string(),
    }
}

/// One or two sentences on how `indicator` for `region` moved between its first and last
/// known points, e.g. "Persentase penduduk miskin Kota Serang turun dari 6,28% (Maret
/// 2015) menjadi 5,65% (Maret 2024)." Missing periods between them are named.
pub fn describe_trend(
    indicator: &str,
    region: &str,
    unit: &str,
    decimals: usize,
    points: &[(String, Option<f64>)],
) -> String {
    let known: Vec<(usize, &String, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, (l, v))| v.filter(|v| v.is_finite()).map(|v| (i, l, v)))
        .collect();
    let indicator = t(indicator.trim());
    let region = region.trim();
    let (Some(&(i0, l0, v0)), Some(&(i1, l1, v1))) = (known.first(), known.last()) else {
        return tf(
            "Tidak ada data {indikator} untuk {wilayah}.",
            &[
                ("indikator", &decapitalise(&indicator)),
                ("wilayah", region),
            ],
        );
    };
    let subject = capitalise(&indicator);
    let f = |v: f64| style::format_value(v, unit, decimals);
    let mut out = if i0 == i1 {
        tf(
            "{indikator} {wilayah} sebesar {nilai} ({periode}).",
            &[
                ("indikator", &subject),
                ("wilayah", region),
                ("nilai", &f(v0)),
                ("periode", l0),
            ],
        )
    } else if f(v0) == f(v1) {
        tf(
            "{indikator} {wilayah} tetap sebesar {nilai} dari {awal} hingga {akhir}.",
            &[
                ("indikator", &subject),
                ("wilayah", region),
                ("nilai", &f(v0)),
                ("awal", l0),
                ("akhir", l1),
            ],
        )
    } else {
        let args: &[(&str, &str)] = &[
            ("indikator", &subject),
            ("wilayah", region),
            ("nilai_awal", &f(v0)),
            ("awal", l0),
            ("nilai_akhir", &f(v1)),
            ("akhir", l1),
        ];
        if v1 > v0 {
            tf(
                "{indikator} {wilayah} naik dari {nilai_awal} ({awal}) menjadi {nilai_akhir} ({akhir}).",
                args,
            )
        } else {
            tf(
                "{indikator} {wilayah} turun dari {nilai_awal} ({awal}) menjadi {nilai_akhir} ({akhir}).",
                args,
            )
        }
    };
    let gaps: Vec<String> = points[i0..=i1]
        .iter()
        .filter(|(_, v)| !v.is_some_and(f64::is_finite))
        .map(|(l, _)| l.clone())
        .collect();
    if !gaps.is_empty() {
        out.push(' ');
        if gaps.len() <= 5 {
            out.push_str(&tf(
                "Data tidak tersedia untuk {periode}.",
                &[("periode", &join_id(&gaps))],
            ));
        } else {
            out.push_str(&tf(
                "Data tidak tersedia untuk {jumlah} periode, antara lain {periode}.",
                &[
                    ("jumlah", &gaps.len().to_string()),
                    ("periode", &join_id(&gaps[..3])),
                ],
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(v: &[Option<f64>]) -> Vec<(String, Option<f64>)> {
        v.iter()
            .enumerate()
            .map(|(i, v)| (format!("Maret {}", 2015 + i), *v))
            .collect()
    }

    #[test]
    #[allow(clippy::approx_constant)] // 6,28% is the real figure, not τ
    fn falling_series() {
        let p = pts(&[
            Some(6.28),
            Some(6.1),
            Some(5.9),
            Some(5.8),
            Some(5.7),
            Some(6.0),
            Some(6.5),
            Some(6.2),
            Some(5.9),
            Some(5.65),
        ]);
        assert_eq!(
            describe_trend("Persentase penduduk miskin", "Kota Serang", "persen", 2, &p),
            "Persentase penduduk miskin Kota Serang turun dari 6,28% (Maret 2015) menjadi 5,65% (Maret 2024)."
        );
    }

    #[test]
    fn in_english() {
        crate::model::indicator::tests::in_english(|| {
            let p: Vec<(String, Option<f64>)> = [
                ("March 2015", Some(6.31)),
                ("March 2016", None),
                ("March 2017", None),
                ("March 2018", Some(5.65)),
            ]
            .iter()
            .map(|(l, v)| (l.to_string(), *v))
            .collect();
            assert_eq!(
                describe_trend("P0", "Kota Serang", "persen", 2, &p),
                "P0 in Kota Serang fell from 6.31% (March 2015) to 5.65% (March 2018). \
                 No data for March 2016 and March 2017."
            );
            assert_eq!(
                describe_trend("Poverty rate", "Aceh", "persen", 2, &p[1..3]),
                "No poverty rate data for Aceh."
            );
        });
    }

    #[test]
    fn rising_flat_gaps_and_empty() {
        let p = pts(&[None, Some(480000.0), None, None, Some(505469.0), None]);
        assert_eq!(
            describe_trend("garis kemiskinan", "Banten", "rupiah/kapita/bulan", 0, &p),
            "Garis kemiskinan Banten naik dari Rp480.000 (Maret 2016) menjadi Rp505.469 (Maret 2019). \
             Data tidak tersedia untuk Maret 2017 dan Maret 2018."
        );
        let p = pts(&[Some(5.0), Some(5.001)]);
        assert_eq!(
            describe_trend("P0", "Aceh", "persen", 2, &p),
            "P0 Aceh tetap sebesar 5,00% dari Maret 2015 hingga Maret 2016."
        );
        let p = pts(&[None, None]);
        assert_eq!(
            describe_trend("Jumlah penduduk miskin", "Aceh", "ribu jiwa", 1, &p),
            "Tidak ada data jumlah penduduk miskin untuk Aceh."
        );
        let p = pts(&[Some(812.3)]);
        assert_eq!(
            describe_trend("jumlah penduduk miskin", "Aceh", "ribu jiwa", 1, &p),
            "Jumlah penduduk miskin Aceh sebesar 812,3 ribu jiwa (Maret 2015)."
        );
        assert_eq!(
            join_id(&["a".into(), "b".into(), "c".into()]),
            "a, b, dan c"
        );
    }
}
