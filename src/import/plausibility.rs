//! Plausibility warnings on imported values: jumps against the value's own series and impossible ranges.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::import::layout::{Daerah, Measure, Periode, show_value};
use crate::import::{Key, Merged, Source};

/// One series: a region's measure over the years, in one period and daerah.
type SeriesKey<'a> = (&'a str, Periode, Daerah, Measure);

/// The series needs at least this many values before a jump is judged.
pub const MIN_SERIES: usize = 3;

/// How far (as a factor) a value may be from both its neighbouring years before it is flagged;
/// `None`: not judged (P1 and P2 are small indices that legitimately move by large factors).
pub fn jump_factor(m: Measure) -> Option<f64> {
    match m {
        Measure::GarisKemiskinan => Some(2.0),
        Measure::P0 | Measure::JumlahPendudukMiskin => Some(5.0),
        Measure::P1 | Measure::P2 => None,
    }
}

/// Why a value cannot be (a percentage or index outside 0–100, a negative count or amount).
pub fn impossible(m: Measure, v: f64) -> Option<&'static str> {
    match m {
        Measure::P0 if !(0.0..=100.0).contains(&v) => Some("persentase di luar 0–100"),
        Measure::P1 | Measure::P2 if !(0.0..=100.0).contains(&v) => {
            Some("indeks kemiskinan di luar 0–100")
        }
        Measure::GarisKemiskinan | Measure::JumlahPendudukMiskin if v < 0.0 => {
            Some("nilai negatif")
        }
        _ => None,
    }
}

/// Checks every merged value for jumps against its own series; returns warnings placed at the
/// row the value came from. (Impossible values were set aside before merging.) Values that jump
/// are kept: the build's checks hold them back unless the publisher corrects or confirms them.
pub fn check(
    merged: &mut Merged,
    files: &[Source],
    describe: &dyn Fn(&str) -> String,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Series: (kode, periode, daerah, measure) → [(tahun, key)].
    let mut series: BTreeMap<SeriesKey, Vec<(i32, f64, &Key)>> = BTreeMap::new();
    for (key, values) in merged.iter() {
        for (m, val) in values {
            series
                .entry((key.kode.as_str(), key.periode, key.daerah, *m))
                .or_default()
                .push((key.tahun, val.v, key));
        }
    }
    for ((_, _, _, m), points) in &series {
        let Some(factor) = jump_factor(*m) else {
            continue;
        };
        if points.len() < MIN_SERIES {
            continue;
        }
        let far = |a: f64, b: f64| a <= 0.0 || b <= 0.0 || a / b > factor || b / a > factor;
        for (i, (tahun, v, key)) in points.iter().enumerate() {
            // Judged against its neighbours in time: a value that disagrees with every
            // neighbour is a jump; a level shift (a region split, pemekaran) is not.
            // At either end of the series the two nearest values on the one side count.
            let idx: Vec<Option<usize>> = if i == 0 {
                vec![Some(1), Some(2)]
            } else if i + 1 == points.len() {
                vec![i.checked_sub(1), i.checked_sub(2)]
            } else {
                vec![Some(i - 1), Some(i + 1)]
            };
            let neighbours: Vec<f64> = idx
                .into_iter()
                .flatten()
                .filter_map(|j| points.get(j).map(|p| p.1))
                .collect();
            if *v <= 0.0 || neighbours.is_empty() || !neighbours.iter().all(|n| far(*v, *n)) {
                continue;
            }
            let Some(val) = merged.get(*key).and_then(|x| x.get(m)) else {
                continue;
            };
            let near: Vec<String> = neighbours.iter().map(|n| show_value(*n)).collect();
            let typical = neighbours.iter().sum::<f64>() / neighbours.len() as f64;
            let hint = if !far(v * 1000.0, typical) {
                format!(
                    "tampaknya tiga angka terakhir hilang (titik ribuan terbaca sebagai desimal?): mungkin {}; periksa sumbernya; nilai tetap diimpor, dan portal menahannya sampai dikoreksi atau dikonfirmasi di koreksi.csv",
                    show_value(v * 1000.0)
                )
            } else {
                "periksa angka ini di sumbernya; nilai tetap diimpor, dan portal menahannya bila pemeriksaannya juga menandainya".to_string()
            };
            out.push(warn(
                files,
                val,
                format!(
                    "{} {} {tahun} {}: {} melonjak dibanding tahun di sekitarnya ({})",
                    m.field(),
                    describe(&key.kode),
                    key.periode.label(),
                    show_value(*v),
                    near.join(" dan ")
                ),
                &hint,
            ));
        }
    }
    out
}

fn warn(files: &[Source], val: &crate::import::Value, message: String, hint: &str) -> Diagnostic {
    let o = &val.origin;
    let file = files
        .get(o.file)
        .map(|s| s.shown.clone())
        .unwrap_or_default();
    Diagnostic::warning(Code::ImportImplausible, file, message)
        .at_csv(o.row, o.line, Some(&o.column), Some(&o.raw))
        .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{Origin, Value};
    use std::path::PathBuf;

    fn put(m: &mut Merged, kode: &str, tahun: i32, measure: Measure, v: f64) {
        let key = Key {
            kode: kode.into(),
            tahun,
            periode: Periode::Maret,
            daerah: Daerah::Total,
        };
        m.entry(key).or_default().insert(
            measure,
            Value {
                v,
                origin: Origin {
                    file: 0,
                    row: (tahun - 2000) as usize,
                    line: (tahun - 1998) as usize,
                    column: "x".into(),
                    raw: format!("Indonesia,{v}"),
                },
            },
        );
    }

    #[test]
    fn garis_kemiskinan_505_is_flagged() {
        let mut m = Merged::new();
        for (y, v) in [
            (2019, 425250.0),
            (2020, 454652.0),
            (2021, 472525.0),
            (2022, 505.0),
            (2023, 550458.0),
        ] {
            put(&mut m, "00", y, Measure::GarisKemiskinan, v);
        }
        let files = vec![Source {
            shown: PathBuf::from("gk.csv"),
        }];
        let w = check(&mut m, &files, &|k| k.to_string());
        assert_eq!(w.len(), 1, "{w:#?}");
        let all: String = w.iter().map(|d| d.to_string()).collect();
        assert!(all.contains("garis_kemiskinan 00 2022 Maret: 505 melonjak dibanding tahun di sekitarnya (472.525 dan 550.458)"), "{all}");
        assert!(all.contains("mungkin 505.000"), "{all}");
        assert!(w.iter().all(|d| !d.is_error()));
        // The jump is kept (the build holds it back unless corrected).
        let k2022 = m.keys().find(|k| k.tahun == 2022).unwrap().clone();
        assert_eq!(m[&k2022][&Measure::GarisKemiskinan].v, 505.0);
        assert_eq!(
            impossible(Measure::P0, 109.54),
            Some("persentase di luar 0–100")
        );
    }
}
