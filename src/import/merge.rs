//! Merging what every table says into one value per cell: periods proven (never guessed), province rows of kab/kota tables kept as evidence, conflicts reported unless the publisher declares which source wins.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::import::layout::{Daerah, Measure, Periode, show_value};
use crate::import::{Key, Merged, Origin, Value};

/// One value as one table gives it.
#[derive(Debug, Clone)]
pub(crate) struct Obs {
    pub key: Key,
    pub measure: Measure,
    pub value: Value,
    /// The file and column it came from (a column's period is proven as a whole).
    pub column: (usize, usize),
    /// A province or national row of a kab/kota table: evidence for the period of its column,
    /// used as a figure only where no province or national table covers that region and year.
    pub secondary: bool,
}

/// What merging found, for the report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Per measure and year of a table without a period: what the comparison with the province
    /// tables showed and the period given (or not).
    pub periods: Vec<String>,
    /// Province and national rows of kab/kota tables: (kept as the only figure, set aside because
    /// a province or national table gives that region and year).
    pub secondary: (usize, usize),
    /// Cells where the declared precedence settled a disagreement, with both values.
    pub overridden: Vec<String>,
}

/// The candidates a column without a period is compared with.
const CANDIDATES: [Periode; 3] = [Periode::Maret, Periode::September, Periode::Tahunan];

/// Fewest provinces that must be compared before a period counts as proven.
const MIN_EVIDENCE: usize = 5;

/// Gives each column without a period the period its province rows prove, by comparing them with
/// the province tables' figures for the same province, year and measure: proven when every
/// compared province equals one candidate period up to the last printed decimal (and at least
/// [`MIN_EVIDENCE`] were compared).
pub(crate) fn prove_periods(
    obs: &mut [Obs],
    describe_column: &dyn Fn((usize, usize)) -> String,
) -> Vec<String> {
    let primary = primary_figures(obs);
    let mut columns: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, o) in obs.iter().enumerate() {
        if o.key.periode == Periode::Unstated {
            columns.entry(o.column).or_default().push(i);
        }
    }
    let mut lines = Vec::new();
    for (column, members) in columns {
        lines.extend(prove_column(
            obs,
            &members,
            &primary,
            &describe_column(column),
        ));
    }
    lines
}

/// Primary figures by (kode, year, daerah, measure, period).
type Primary = BTreeMap<(String, i32, Daerah, Measure, Periode), f64>;

/// How one candidate period compares: the period, provinces compared, provinces equal, and a
/// few of the differences.
type Tally = (Periode, usize, usize, Vec<String>);

fn primary_figures(obs: &[Obs]) -> Primary {
    let mut primary = Primary::new();
    for o in obs.iter().filter(|o| !o.secondary) {
        primary.insert(
            (
                o.key.kode.clone(),
                o.key.tahun,
                o.key.daerah,
                o.measure,
                o.key.periode,
            ),
            o.value.v,
        );
    }
    primary
}

/// The period of one column (its values are `members`), set when proven; the report's line.
fn prove_column(
    obs: &mut [Obs],
    members: &[usize],
    primary: &Primary,
    column: &str,
) -> Option<String> {
    let evidence: Vec<&Obs> = members
        .iter()
        .map(|&i| &obs[i])
        .filter(|o| o.secondary)
        .collect();
    let first = members.first().map(|&i| &obs[i])?;
    let tally: Vec<Tally> = CANDIDATES
        .into_iter()
        .map(|cand| compare(&evidence, primary, cand))
        .collect();
    let proven: Vec<&Tally> = tally
        .iter()
        .filter(|(_, c, m, _)| *c >= MIN_EVIDENCE && c == m)
        .collect();
    let what = format!("{} {} ({column})", first.measure.field(), first.key.tahun);
    let summary: Vec<String> = tally
        .iter()
        .filter(|(_, c, _, _)| *c > 0)
        .map(|(p, c, m, d)| {
            let differ = if d.is_empty() {
                String::new()
            } else {
                format!(" [{}]", d.join("; "))
            };
            format!("{} {m} dari {c}{differ}", p.label())
        })
        .collect();
    Some(match proven.as_slice() {
        [(p, c, _, _)] => {
            let p = *p;
            for &i in members {
                obs[i].key.periode = p;
            }
            format!(
                "{what}: dicatat {} — baris provinsinya sama dengan angka {} tabel provinsi di {c} dari {c} provinsi",
                p.label(),
                p.label()
            )
        }
        _ if summary.is_empty() => format!(
            "{what}: periode tidak disebut sumber; tidak ada tabel provinsi tahun ini untuk dibandingkan"
        ),
        _ => format!(
            "{what}: periode tidak disebut sumber dan tidak terbukti ({})",
            summary.join(", ")
        ),
    })
}

/// The province rows of a column against the province tables' figures of period `cand`.
fn compare(evidence: &[&Obs], primary: &Primary, cand: Periode) -> Tally {
    let mut compared = 0;
    let mut matched = 0;
    let mut differ = Vec::new();
    for o in evidence {
        let k = (
            o.key.kode.clone(),
            o.key.tahun,
            o.key.daerah,
            o.measure,
            cand,
        );
        if let Some(&v) = primary.get(&k) {
            compared += 1;
            // Equal up to the rounding of the last decimal BPS prints (a kab/kota table
            // may round 9,885 to 9,88 where the province table prints 9,89).
            let tolerance = 10f64.powi(-i32::from(o.measure.decimals())) * 1.01;
            if (v - o.value.v).abs() <= tolerance {
                matched += 1;
            } else if differ.len() < 3 {
                differ.push(format!(
                    "{} {} ≠ {}",
                    o.key.kode,
                    show_value(o.value.v),
                    show_value(v)
                ));
            }
        }
    }
    (cand, compared, matched, differ)
}

/// Province and national rows of kab/kota tables are figures only where no province or national
/// table gives that region, year, daerah and measure (in any period); elsewhere they served as
/// evidence.
pub(crate) fn drop_secondary(obs: Vec<Obs>) -> (Vec<Obs>, (usize, usize)) {
    type Cover = (String, i32, crate::import::layout::Daerah, Measure);
    let covered: std::collections::BTreeSet<Cover> = obs
        .iter()
        .filter(|o| !o.secondary)
        .map(|o| (o.key.kode.clone(), o.key.tahun, o.key.daerah, o.measure))
        .collect();
    let (mut kept, mut dropped) = (0, 0);
    let out = obs
        .into_iter()
        .filter(|o| {
            if !o.secondary {
                return true;
            }
            let keep =
                !covered.contains(&(o.key.kode.clone(), o.key.tahun, o.key.daerah, o.measure));
            if keep {
                kept += 1;
            } else {
                dropped += 1;
            }
            keep
        })
        .collect();
    (out, (kept, dropped))
}

/// One value per cell. Equal values agree; different ones are settled only by the publisher's
/// precedence (`prefer`: parts of file paths, first match wins); otherwise every disagreeing cell
/// is an error listing each value and where it came from.
pub(crate) fn settle(
    obs: Vec<Obs>,
    prefer: &[String],
    sources: &[PathBuf],
    describe: &dyn Fn(&str) -> String,
) -> Result<(Merged, Vec<String>), Diagnostics> {
    let mut cells: BTreeMap<(Key, Measure), Vec<Obs>> = BTreeMap::new();
    for o in obs {
        cells.entry((o.key.clone(), o.measure)).or_default().push(o);
    }
    let file = |o: &Obs| {
        sources
            .get(o.value.origin.file)
            .cloned()
            .unwrap_or_default()
    };
    let mut merged = Merged::new();
    let mut overridden = Vec::new();
    let mut errors = Diagnostics::default();
    for ((key, measure), mut list) in cells {
        list.sort_by(|a, b| {
            (a.value.origin.file, a.value.origin.line)
                .cmp(&(b.value.origin.file, b.value.origin.line))
        });
        let first = list[0].value.v;
        let chosen = if list.iter().all(|o| o.value.v == first) {
            Some(list[0].value.clone())
        } else {
            let winners: Option<(&String, Vec<&Obs>)> = prefer.iter().find_map(|p| {
                let w: Vec<&Obs> = list
                    .iter()
                    .filter(|o| file(o).to_string_lossy().contains(p.as_str()))
                    .collect();
                (!w.is_empty()).then_some((p, w))
            });
            match winners {
                Some((p, w)) if w.iter().all(|o| o.value.v == w[0].value.v) => {
                    let losers: Vec<String> = list
                        .iter()
                        .filter(|o| o.value.v != w[0].value.v)
                        .map(|o| format!("{} di {}", show_value(o.value.v), name_of(&file(o))))
                        .collect();
                    overridden.push(format!(
                        "{} {} {} {} {}: {} (diutamakan \"{p}\") menggantikan {}",
                        measure.field(),
                        describe(&key.kode),
                        key.tahun,
                        key.periode.label(),
                        key.daerah.label(),
                        show_value(w[0].value.v),
                        losers.join(", ")
                    ));
                    Some(w[0].value.clone())
                }
                _ => {
                    errors.push(conflict(&key, measure, &list, sources, describe));
                    None
                }
            }
        };
        if let Some(v) = chosen {
            merged.entry(key).or_default().insert(measure, v);
        }
    }
    if errors.has_errors() {
        Err(errors)
    } else {
        Ok((merged, overridden))
    }
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The error for one cell the tables disagree on: every value with its file and line.
fn conflict(
    key: &Key,
    measure: Measure,
    list: &[Obs],
    sources: &[PathBuf],
    describe: &dyn Fn(&str) -> String,
) -> Diagnostic {
    let o: &Origin = &list[0].value.origin;
    let file = sources.get(o.file).cloned().unwrap_or_default();
    let values: Vec<String> = list
        .iter()
        .map(|x| {
            let f = sources
                .get(x.value.origin.file)
                .cloned()
                .unwrap_or_default();
            format!(
                "{} di {}:{}",
                show_value(x.value.v),
                f.display(),
                x.value.origin.line
            )
        })
        .collect();
    Diagnostic::error(
        Code::ImportConflict,
        &file,
        format!(
            "tabel BPS tidak sepakat tentang {} {} {} {} ({}): {}",
            measure.field(),
            describe(&key.kode),
            key.tahun,
            key.periode.label(),
            key.daerah.label(),
            values.join("; ")
        ),
    )
    .at_csv(o.row, o.line, Some(&o.column), Some(&o.raw))
    .hint("urutan berkas tidak pernah menentukan nilai: nyatakan sumber yang diutamakan dengan --utamakan BAGIAN_NAMA_BERKAS (misalnya --utamakan \"Menurut Daerah\" untuk angka nasional), atau perbaiki tabel yang salah; lihat docs/data-quality.md")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::layout::Daerah;

    fn obs(kode: &str, periode: Periode, v: f64, column: (usize, usize), secondary: bool) -> Obs {
        Obs {
            key: Key {
                kode: kode.into(),
                tahun: 2013,
                periode,
                daerah: Daerah::Total,
            },
            measure: Measure::P0,
            value: Value {
                v,
                origin: Origin {
                    file: column.0,
                    row: 1,
                    line: 2,
                    column: "x".into(),
                    raw: String::new(),
                },
            },
            column,
            secondary,
        }
    }

    #[test]
    fn a_period_is_proven_by_the_province_rows_or_left_unstated() {
        let provinces = ["11", "12", "13", "14", "15"];
        let mut all = Vec::new();
        for (i, k) in provinces.iter().enumerate() {
            let sep = 10.0 + i as f64;
            all.push(obs(k, Periode::Maret, sep + 0.5, (1, 1), false));
            all.push(obs(k, Periode::September, sep, (1, 2), false));
            // The kab/kota table's province row: September, one rounded down a hundredth.
            let v = if i == 0 { sep - 0.01 } else { sep };
            all.push(obs(k, Periode::Unstated, v, (0, 1), true));
        }
        // A kab/kota row of the same column takes the proven period too.
        all.push(obs("11.01", Periode::Unstated, 20.0, (0, 1), false));
        let lines = prove_periods(&mut all, &|_| "tabel".into());
        assert!(lines[0].contains("dicatat September"), "{lines:?}");
        assert!(all.iter().all(|o| o.key.periode != Periode::Unstated));
        // With too little evidence nothing is proven.
        let mut few = vec![
            obs("11", Periode::September, 10.0, (1, 2), false),
            obs("11", Periode::Unstated, 10.0, (0, 1), true),
        ];
        let lines = prove_periods(&mut few, &|_| "tabel".into());
        assert!(lines[0].contains("tidak terbukti"), "{lines:?}");
        assert_eq!(few[1].key.periode, Periode::Unstated);
        // Province rows serve as figures only where no province table gives them.
        let (kept, counts) = drop_secondary(all);
        assert_eq!(counts, (0, 5));
        assert!(kept.iter().all(|o| !o.secondary));
    }
}
