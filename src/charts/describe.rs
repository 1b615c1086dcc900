//! Plain-Indonesian text descriptions of charts, for `<desc>`, alt text and screen readers.

use super::style;

/// Joins names the Indonesian way: `A`, `A dan B`, `A, B, dan C`.
pub fn join_id(items: &[String]) -> String {
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
    let subject = format!("{} {}", capitalise(indicator.trim()), region.trim());
    let (Some(&(i0, l0, v0)), Some(&(i1, l1, v1))) = (known.first(), known.last()) else {
        return format!(
            "Tidak ada data {} untuk {}.",
            decapitalise(indicator.trim()),
            region.trim()
        );
    };
    let f = |v: f64| style::format_value(v, unit, decimals);
    let mut out = if i0 == i1 {
        format!("{subject} sebesar {} ({l0}).", f(v0))
    } else if f(v0) == f(v1) {
        format!("{subject} tetap sebesar {} dari {l0} hingga {l1}.", f(v0))
    } else {
        let verb = if v1 > v0 { "naik" } else { "turun" };
        format!(
            "{subject} {verb} dari {} ({l0}) menjadi {} ({l1}).",
            f(v0),
            f(v1)
        )
    };
    let gaps: Vec<String> = points[i0..=i1]
        .iter()
        .filter(|(_, v)| !v.is_some_and(f64::is_finite))
        .map(|(l, _)| l.clone())
        .collect();
    if !gaps.is_empty() {
        if gaps.len() <= 5 {
            out.push_str(&format!(" Data tidak tersedia untuk {}.", join_id(&gaps)));
        } else {
            out.push_str(&format!(
                " Data tidak tersedia untuk {} periode, antara lain {}.",
                gaps.len(),
                join_id(&gaps[..3])
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
