//! Indicators: a dataset measure as a time series per region, with the derived figures (latest, change, rank) computed once.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::data::checks::CellNote;
use crate::data::dataset::{Dataset, FieldInfo};
use crate::data::period::Period;
use crate::data::registry::{NATION, Registry, SPLITS};
use crate::diagnostic::{Code, Diagnostic};
use crate::i18n::{Lang, lang, t, tf};
use crate::locale;

/// A measure over regions and time.
#[derive(Debug, Clone)]
pub(crate) struct Indicator {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub unit: String,
    pub decimals: usize,
    /// `Some(true)` lower is better, `Some(false)` higher is better, `None` neither.
    pub lower_is_better: Option<bool>,
    /// Index of the dataset it comes from.
    pub dataset: usize,
    pub dataset_slug: String,
    pub field: String,
    pub source: String,
    /// Every period with at least one value, in order.
    pub periods: Vec<Period>,
    /// Region code → period → value. Missing values are absent, never filled.
    pub series: BTreeMap<String, BTreeMap<Period, f64>>,
    /// For a slice of a dimension (the Perkotaan figures of P0): which one.
    pub slice: Option<Slice>,
    /// For the default slice (the whole): the other slices, one per value of each dimension.
    pub slices: Vec<Indicator>,
    /// What happened to its values (corrected, confirmed, held back), by region and period.
    pub notes: BTreeMap<(String, Period), CellNote>,
    /// Why its figures are illustrative, when its dataset says so (`lumbung:illustrative`).
    pub illustrative: Option<String>,
    /// The programmes its dataset names (`lumbung:programs`).
    pub programs: Vec<String>,
    /// Whether its values add up over regions (`lumbung:additive` names the region field).
    pub additive: bool,
    /// Regions whose territory changed inside their series (Papua once the provinces split from
    /// it in 2022 have figures of their own), by code. Values across it are never compared.
    pub territory: BTreeMap<String, TerritoryChange>,
    /// The targets its dataset's `target.csv` sets for the whole (never for a slice), by
    /// region code, in year order. A target is drawn beside the figures and never enters them.
    pub targets: BTreeMap<String, Vec<Goal>>,
}

/// A target a plan, a regulation or an RPJMD sets for one region and year.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Goal {
    pub year: i32,
    pub value: f64,
    /// The document that sets it.
    pub source: String,
}

/// A region's series before and after part of it became regions of their own.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TerritoryChange {
    /// The first period on the smaller territory: the first in which any part has a figure.
    pub from: Period,
    /// The regions that left it (`93`, `94`, `95`), those with figures in the series.
    pub parts: Vec<String>,
}

/// Which value of which dimension a slice is.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Slice {
    /// The dimension field (`daerah`).
    pub field: String,
    /// Its title (`Daerah`).
    pub field_title: String,
    /// The value (`Perkotaan`).
    pub value: String,
    /// The value as a URL segment (`perkotaan`).
    pub slug: String,
}

/// Change against the same period one year earlier.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Change {
    pub from_period: Period,
    pub from_value: f64,
    /// Absolute difference (percentage points when the unit is persen).
    pub delta: f64,
    /// Relative change in percent (not for percentages).
    pub relative: Option<f64>,
    /// "naik", "turun" or "tetap".
    pub direction: &'static str,
    /// Whether the change is an improvement given lower_is_better ("baik", "buruk", "tetap", or "netral" when neither direction is better).
    pub judgement: &'static str,
    /// Ready-made text: "turun 0,86 poin persen dari Maret 2023".
    pub text: String,
}

/// Position among the siblings with a value in the same period.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Rank {
    /// 1 = highest value; ties share a rank (1, 2, 2, 4).
    pub position: usize,
    pub of: usize,
    /// "kabupaten/kota di Banten", "provinsi di Indonesia".
    pub group: String,
    /// Ready-made text: "tertinggi ke-3 dari 8 kabupaten/kota di Banten".
    pub text: String,
    /// "makin rendah makin baik", "makin tinggi makin baik", or empty when neither is better.
    pub polarity: String,
}

/// The headline figures of one indicator for one region.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Headline {
    pub period: Period,
    pub value: f64,
    pub formatted: String,
    /// The number as shown large (`5,65%`, `Rp540.786`, `41,62`).
    pub big: String,
    /// What follows it in small print (`ribu jiwa`, `per kapita per bulan`).
    pub unit_note: String,
    pub change: Option<Change>,
    pub rank: Option<Rank>,
    pub parent: Option<(String, String, String)>,
    pub nation: Option<String>,
    /// False when the source gives the year alone, without saying Maret, September or Tahunan.
    pub period_stated: bool,
    /// The region's target for this indicator that matters now, when one is set.
    pub target: Option<TargetNote>,
}

/// A target on a headline card: the one for the latest figure's year or the next one after it
/// (else the latest before it), with the figure it is measured against.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TargetNote {
    /// "Target 2019: 6%".
    pub label: String,
    /// "Maret 2019: 9,03%, 3,03 poin persen di atas target"; empty when no figure compares.
    pub text: String,
    /// "tercapai", "belum tercapai", or empty (the figure is not of the target's year, or
    /// neither direction is better).
    pub status: String,
    /// The document that sets it.
    pub source: String,
}

impl Indicator {
    /// Builds every indicator found in the datasets: each measure of a dataset with a region and
    /// a time field whose dimensions (if any) all declare a default value. The default slice is the
    /// indicator; every other value of one dimension (the others at their default) is a slice.
    /// Two measures feeding one indicator slug is an error naming both (never settled by order).
    pub(crate) fn from_datasets(datasets: &[Dataset]) -> Result<Vec<Indicator>, Vec<Diagnostic>> {
        let mut out: Vec<Indicator> = Vec::new();
        let mut errors = Vec::new();
        for (di, ds) in datasets.iter().enumerate() {
            let (Some(region), Some(_)) = (ds.region, ds.time) else {
                continue;
            };
            let dims: Vec<(usize, &FieldInfo)> = ds.dimensions().collect();
            if dims.iter().any(|(_, f)| f.default.is_none()) {
                continue;
            }
            for (fi, f) in ds.measures() {
                let slug = f
                    .indicator
                    .clone()
                    .unwrap_or_else(|| format!("{}-{}", ds.slug, crate::slug::slugify(&f.name)));
                if let Some(first) = out.iter().find(|i| i.slug == slug) {
                    errors.push(
                        Diagnostic::error(
                            Code::DuplicateIndicator,
                            &ds.descriptor_file,
                            format!(
                                "kolom {} dan kolom {} di {} sama-sama mengisi indikator \"{slug}\"",
                                f.name, first.field, datasets[first.dataset].descriptor_file.display()
                            ),
                        )
                        .hint("beri salah satu kolom \"lumbung:indicator\" yang lain, atau gabungkan kedua dataset"),
                    );
                    continue;
                }
                let mut ind = Self::slice_of(ds, di, region, fi, f, &slug, &dims, None);
                for &(d, df) in &dims {
                    let mut values: Vec<String> =
                        ds.rows.iter().map(|r| r.cells[d].plain()).collect();
                    values.sort();
                    values.dedup();
                    for v in values.iter().filter(|v| Some(*v) != df.default.as_ref()) {
                        let slice = Slice {
                            field: df.name.clone(),
                            field_title: df.title.clone(),
                            value: v.clone(),
                            slug: crate::slug::slugify(v),
                        };
                        ind.slices.push(Self::slice_of(
                            ds,
                            di,
                            region,
                            fi,
                            f,
                            &slug,
                            &dims,
                            Some(slice),
                        ));
                    }
                }
                out.push(ind);
            }
        }
        out.sort_by(|a, b| a.slug.cmp(&b.slug));
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// The series of one measure in the rows of one slice: every dimension at its default, but
    /// the slice's own dimension at the slice's value.
    #[allow(clippy::too_many_arguments)]
    fn slice_of(
        ds: &Dataset,
        di: usize,
        region: usize,
        fi: usize,
        f: &FieldInfo,
        slug: &str,
        dims: &[(usize, &FieldInfo)],
        slice: Option<Slice>,
    ) -> Indicator {
        let wanted = |df: &FieldInfo| -> Option<String> {
            match &slice {
                Some(s) if s.field == df.name => Some(s.value.clone()),
                _ => df.default.clone(),
            }
        };
        let in_slice = |row: &crate::data::dataset::Row| {
            dims.iter()
                .all(|&(d, df)| Some(row.cells[d].plain()) == wanted(df))
        };
        let mut series: BTreeMap<String, BTreeMap<Period, f64>> = BTreeMap::new();
        let mut periods = BTreeSet::new();
        let mut notes = BTreeMap::new();
        let row_notes: BTreeMap<usize, &CellNote> = ds
            .notes
            .iter()
            .filter(|n| n.field == fi)
            .map(|n| (n.row, n))
            .collect();
        for (ri, row) in ds.rows.iter().enumerate().filter(|(_, r)| in_slice(r)) {
            let (Some(p), Some(code)) = (row.period.clone(), row.cells[region].as_text()) else {
                continue;
            };
            if let Some(n) = row_notes.get(&ri) {
                notes.insert((code.to_string(), p.clone()), (*n).clone());
            }
            let Some(v) = row.cells[fi].as_f64() else {
                continue;
            };
            periods.insert(p.clone());
            series.entry(code.to_string()).or_default().insert(p, v);
        }
        let mut title = match &slice {
            Some(s) => format!("{} – {}", f.title, s.value),
            None => f.title.clone(),
        };
        if ds.illustrative.is_some() {
            title.push_str(" (ilustrasi)");
        }
        let territory = territory_changes(&series);
        let mut targets: BTreeMap<String, Vec<Goal>> = BTreeMap::new();
        if slice.is_none() {
            for t in ds.targets.iter().filter(|t| t.field == f.name) {
                targets.entry(t.region.clone()).or_default().push(Goal {
                    year: t.year,
                    value: t.value,
                    source: t.source.clone(),
                });
            }
            for goals in targets.values_mut() {
                goals.sort_by_key(|g| g.year);
            }
        }
        Indicator {
            slug: slug.to_string(),
            title,
            description: f.description.clone(),
            unit: f.unit.clone(),
            decimals: f.decimals,
            lower_is_better: f.lower_is_better,
            dataset: di,
            dataset_slug: ds.slug.clone(),
            field: f.name.clone(),
            source: ds.source_line(),
            periods: periods.into_iter().collect(),
            series,
            slice,
            slices: Vec::new(),
            notes,
            illustrative: ds.illustrative.clone(),
            programs: ds.programs.iter().map(|(p, _)| p.clone()).collect(),
            additive: f.additive.iter().any(|a| *a == ds.fields[region].name),
            territory,
            targets,
        }
    }

    /// Where the series of `code` changes territory among `periods`: the index of the first
    /// period on the new territory (the line breaks there).
    pub(crate) fn territory_break(&self, code: &str, periods: &[&Period]) -> Option<usize> {
        let t = self.territory.get(code)?;
        periods
            .iter()
            .position(|p| **p >= t.from)
            .filter(|&i| i > 0)
    }

    pub(crate) fn value(&self, code: &str, period: &Period) -> Option<f64> {
        self.series.get(code)?.get(period).copied()
    }

    /// The region's figure of `year`: its last period of that year with a value.
    pub(crate) fn figure_of_year(&self, code: &str, year: i32) -> Option<(&Period, f64)> {
        self.series
            .get(code)?
            .iter()
            .rev()
            .find(|(p, _)| p.year == year)
            .map(|(p, v)| (p, *v))
    }

    /// The latest period with a value for the region.
    pub(crate) fn latest(&self, code: &str) -> Option<(&Period, f64)> {
        self.series
            .get(code)?
            .iter()
            .next_back()
            .map(|(p, v)| (p, *v))
    }

    /// Formats a value in the indicator's unit: `5,65%`, `Rp505.469`, `1.234,56 ribu jiwa`.
    pub(crate) fn format(&self, v: f64) -> String {
        format_value(&self.unit, self.decimals, v)
    }

    /// Formats a target with no more decimals than it was set with: `6%`, not `6,00%`.
    pub(crate) fn format_target(&self, v: f64) -> String {
        let d = (0..self.decimals)
            .find(|&d| {
                let scaled = v * 10f64.powi(d as i32);
                (scaled - scaled.round()).abs() < 1e-9
            })
            .unwrap_or(self.decimals);
        format_value(&self.unit, d, v)
    }

    pub(crate) fn is_percent(&self) -> bool {
        self.unit == "persen"
    }

    /// Change against the same named period a year earlier (Maret with Maret), if both exist.
    pub(crate) fn change(&self, code: &str, period: &Period) -> Option<Change> {
        let now = self.value(code, period)?;
        let from_period = period.year_before();
        if let Some(t) = self.territory.get(code)
            && from_period < t.from
            && t.from <= *period
        {
            return None;
        }
        let before = self.value(code, &from_period)?;
        let delta = now - before;
        let rounded = (delta * 10f64.powi(self.decimals as i32)).round();
        let direction = if rounded == 0.0 {
            "tetap"
        } else if delta > 0.0 {
            "naik"
        } else {
            "turun"
        };
        let judgement = match (direction, self.lower_is_better) {
            ("tetap", _) => "tetap",
            (_, None) => "netral",
            ("naik", Some(true)) | ("turun", Some(false)) => "buruk",
            _ => "baik",
        };
        let relative = (!self.is_percent() && before != 0.0).then(|| delta / before.abs() * 100.0);
        let amount = if self.is_percent() {
            points(delta.abs(), self.decimals)
        } else {
            format!(
                "{} ({})",
                format_value(&self.unit, self.decimals, delta.abs()),
                locale::percent(relative.unwrap_or(0.0).abs(), 1)
            )
        };
        let from = from_period.label();
        let text = match direction {
            "tetap" => tf("tidak berubah dari {periode}", &[("periode", &from)]),
            "naik" => tf(
                "naik {jumlah} dari {periode}",
                &[("jumlah", &amount), ("periode", &from)],
            ),
            _ => tf(
                "turun {jumlah} dari {periode}",
                &[("jumlah", &amount), ("periode", &from)],
            ),
        };
        Some(Change {
            from_period,
            from_value: before,
            delta,
            relative,
            direction,
            judgement,
            text,
        })
    }

    /// Rank of `code` among its parent's children that have a value in `period`.
    pub(crate) fn rank(&self, registry: &Registry, code: &str, period: &Period) -> Option<Rank> {
        let region = registry.get(code)?;
        let parent = registry.get(region.induk.as_deref()?)?;
        let mine = self.value(code, period)?;
        let values: Vec<f64> = parent
            .children
            .iter()
            .filter(|c| {
                registry
                    .get(c)
                    .is_some_and(|r| r.jenis.level() == region.jenis.level())
            })
            .filter_map(|c| self.value(c, period))
            .collect();
        if values.len() < 2 {
            return None;
        }
        let position = 1 + values.iter().filter(|v| **v > mine).count();
        let group = tf(
            "{tingkat} di {wilayah}",
            &[
                ("tingkat", &level_noun(region.jenis.level_plural(), true)),
                ("wilayah", &parent.nama),
            ],
        );
        let polarity = match self.lower_is_better {
            Some(true) => t("makin rendah makin baik"),
            Some(false) => t("makin tinggi makin baik"),
            None => String::new(),
        };
        let of = values.len().to_string();
        let text = if values.len() == 1 {
            String::new()
        } else if position == 1 {
            tf(
                "tertinggi dari {jumlah} {kelompok}",
                &[("jumlah", &of), ("kelompok", &group)],
            )
        } else if position == values.len() {
            tf(
                "terendah dari {jumlah} {kelompok}",
                &[("jumlah", &of), ("kelompok", &group)],
            )
        } else {
            tf(
                "tertinggi ke-{posisi} dari {jumlah} {kelompok}",
                &[
                    ("posisi", &ordinal(position)),
                    ("jumlah", &of),
                    ("kelompok", &group),
                ],
            )
        };
        Some(Rank {
            position,
            of: values.len(),
            group,
            text,
            polarity,
        })
    }

    /// Every headline figure for a region, or `None` when it has no value.
    pub(crate) fn headline(&self, registry: &Registry, code: &str) -> Option<Headline> {
        let (period, value) = self.latest(code)?;
        let period = period.clone();
        let parent = registry
            .get(code)
            .and_then(|r| r.induk.as_deref())
            .filter(|p| *p != NATION)
            .and_then(|p| {
                let v = self.value(p, &period)?;
                Some((p.to_string(), registry.get(p)?.nama.clone(), self.format(v)))
            });
        let nation = (code != NATION)
            .then(|| self.value(NATION, &period).map(|v| self.format(v)))
            .flatten();
        let (big, unit_note) = split_unit(&self.unit, self.decimals, value);
        Some(Headline {
            big,
            unit_note,
            formatted: self.format(value),
            change: self.change(code, &period),
            rank: self.rank(registry, code, &period),
            parent,
            nation,
            period_stated: period.stated(),
            target: self.target_note(code, &period),
            period,
            value,
        })
    }

    /// The target a headline card shows for `code` when its latest figure is of `latest`.
    fn target_note(&self, code: &str, latest: &Period) -> Option<TargetNote> {
        let goals = self.targets.get(code)?;
        let goal = goals
            .iter()
            .find(|g| g.year >= latest.year)
            .or_else(|| goals.last())?;
        // The figure of the target's own year (its last period), else the latest when the
        // target lies ahead of the figures.
        let (figure, same_year) = match self.figure_of_year(code, goal.year) {
            Some((p, v)) => (Some((p.clone(), v)), true),
            None if goal.year > latest.year => {
                (self.value(code, latest).map(|v| (latest.clone(), v)), false)
            }
            None => (None, false),
        };
        let (text, status) = match figure {
            None => (String::new(), String::new()),
            Some((p, v)) => {
                let delta = v - goal.value;
                let size = if self.is_percent() {
                    points(delta.abs(), self.decimals)
                } else {
                    self.format(delta.abs())
                };
                let gap = if delta.abs() < 1e-9 {
                    t("sama dengan target")
                } else if delta > 0.0 {
                    tf("{selisih} di atas target", &[("selisih", &size)])
                } else {
                    tf("{selisih} di bawah target", &[("selisih", &size)])
                };
                let met = match self.lower_is_better {
                    Some(true) => Some(v <= goal.value),
                    Some(false) => Some(v >= goal.value),
                    None => None,
                };
                let status = match (same_year, met) {
                    (true, Some(true)) => t("tercapai"),
                    (true, Some(false)) => t("belum tercapai"),
                    _ => String::new(),
                };
                let lead = if same_year {
                    p.label()
                } else {
                    tf("angka terakhir, {periode}", &[("periode", &p.label())])
                };
                (format!("{lead}: {}, {gap}", self.format(v)), status)
            }
        };
        Some(TargetNote {
            label: target_label(goal.year, &self.format_target(goal.value)),
            text,
            status,
            source: goal.source.clone(),
        })
    }
}

/// The regions of `series` whose territory changed within it: a province split by law
/// ([`SPLITS`]) whose figures go on after one of the new provinces has figures of its own.
/// Proven from the data (the first figure of a part), never from the date of the law: BPS kept
/// publishing Papua on its old territory for a year after the split.
fn territory_changes(
    series: &BTreeMap<String, BTreeMap<Period, f64>>,
) -> BTreeMap<String, TerritoryChange> {
    SPLITS
        .iter()
        .filter_map(|(whole, parts)| {
            let own = series.get(*whole)?;
            let from = parts
                .iter()
                .filter_map(|c| series.get(*c)?.keys().next())
                .min()?;
            let before = own.keys().next().is_some_and(|p| p < from);
            let after = own.keys().next_back().is_some_and(|p| p >= from);
            (before && after).then(|| {
                let change = TerritoryChange {
                    from: from.clone(),
                    parts: parts
                        .iter()
                        .filter(|c| series.contains_key(**c))
                        .map(|c| c.to_string())
                        .collect(),
                };
                (whole.to_string(), change)
            })
        })
        .collect()
}

/// A difference of percentages: `0,86 poin persen` (`0.86 percentage points`).
fn points(delta: f64, decimals: usize) -> String {
    tf(
        "{x} poin persen",
        &[("x", &locale::number(delta, decimals))],
    )
}

/// A target's label: `Target 2019: 6%`.
pub(crate) fn target_label(year: i32, value: &str) -> String {
    tf(
        "Target {tahun}: {nilai}",
        &[("tahun", &year.to_string()), ("nilai", value)],
    )
}

/// A rank in words: `3` for "ke-3" in Bahasa Indonesia, `3rd` in English.
fn ordinal(n: usize) -> String {
    if lang() == Lang::Id {
        return n.to_string();
    }
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The regions of one level in a sentence, from [`crate::data::registry::Jenis::level_plural`]
/// ("kabupaten/kota", or "wilayah" when the level is unknown). Bahasa Indonesia has one word
/// for one and many; English says "regencies/cities" (`plural`) or "regency/city" ("by
/// regency/city").
pub(crate) fn level_noun(level: &str, plural: bool) -> String {
    if lang() == Lang::Id {
        return level.to_string();
    }
    let (one, many) = match level {
        "negara" => ("country", "countries"),
        "provinsi" => ("province", "provinces"),
        "kabupaten/kota" => ("regency/city", "regencies/cities"),
        "kecamatan" => ("district", "districts"),
        "desa/kelurahan" => ("village", "villages"),
        "wilayah" => ("region", "regions"),
        other => return t(other),
    };
    (if plural { many } else { one }).to_string()
}

/// A unit with each of its `/`-separated words in the page's language (`rupiah/kapita/bulan`
/// stays as written in Bahasa Indonesia): a site's dictionary translates the words.
pub(crate) fn unit_words(unit: &str) -> String {
    unit.split('/').map(t).collect::<Vec<_>>().join("/")
}

/// Formats a value by unit the Indonesian way (the English way on a page in English).
pub(crate) fn format_value(unit: &str, decimals: usize, v: f64) -> String {
    match unit {
        "persen" => locale::percent(v, decimals),
        "rupiah" => locale::rupiah_full(v),
        u if u.starts_with("rupiah/") => format!(
            "{} per {}",
            locale::rupiah_full(v),
            unit_words(&u["rupiah/".len()..]).replace('/', " per ")
        ),
        "" | "indeks" => locale::number(v, decimals),
        u => format!("{} {}", locale::number(v, decimals), t(u)),
    }
}

/// A value split into its large number and its unit in words, for headline cards.
pub(crate) fn split_unit(unit: &str, decimals: usize, v: f64) -> (String, String) {
    match unit {
        "persen" => (locale::percent(v, decimals), String::new()),
        "rupiah" => (locale::rupiah_full(v), String::new()),
        u if u.starts_with("rupiah/") => (
            locale::rupiah_full(v),
            format!(
                "per {}",
                unit_words(&u["rupiah/".len()..]).replace('/', " per ")
            ),
        ),
        "" | "indeks" => (locale::number(v, decimals), String::new()),
        u => (locale::number(v, decimals), t(u)),
    }
}

/// A value as a bare number for table cells whose caption names the unit.
/// `v` rounded to `decimals` places (a difference of two figures, without float noise).
pub(crate) fn round_to(v: f64, decimals: usize) -> f64 {
    let f = 10f64.powi(i32::try_from(decimals).unwrap_or(0));
    (v * f).round() / f
}

pub(crate) fn bare_value(decimals: usize, v: f64) -> String {
    locale::number(v, decimals)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::path::Path;

    fn banten() -> Registry {
        let text = "kode,nama,jenis,kode_induk\n36,Banten,provinsi,\n36.01,Kabupaten Pandeglang,kabupaten,36\n36.02,Kabupaten Lebak,kabupaten,36\n36.03,Kabupaten Tangerang,kabupaten,36\n36.04,Kabupaten Serang,kabupaten,36\n36.71,Kota Tangerang,kota,36\n36.72,Kota Cilegon,kota,36\n36.73,Kota Serang,kota,36\n36.74,Kota Tangerang Selatan,kota,36\n";
        Registry::parse(Path::new("w.csv"), text).unwrap()
    }

    fn indicator(rows: &[(&str, Period, f64)]) -> Indicator {
        let mut series: BTreeMap<String, BTreeMap<Period, f64>> = BTreeMap::new();
        let mut periods = BTreeSet::new();
        for (k, p, v) in rows {
            periods.insert(p.clone());
            series
                .entry(k.to_string())
                .or_default()
                .insert(p.clone(), *v);
        }
        Indicator {
            slug: "p0".into(),
            title: "P0".into(),
            description: String::new(),
            unit: "persen".into(),
            decimals: 2,
            lower_is_better: Some(true),
            dataset: 0,
            dataset_slug: "x".into(),
            field: "p0".into(),
            source: String::new(),
            periods: periods.into_iter().collect(),
            slice: None,
            slices: Vec::new(),
            notes: BTreeMap::new(),
            illustrative: None,
            programs: Vec::new(),
            additive: false,
            territory: territory_changes(&series),
            series,
            targets: BTreeMap::new(),
        }
    }

    fn maret(y: i32) -> Period {
        Period::named(y, "Maret").unwrap()
    }
    fn september(y: i32) -> Period {
        Period::named(y, "September").unwrap()
    }

    #[test]
    fn papua_changes_territory_when_a_new_province_has_figures() {
        // BPS kept publishing Papua on its old territory in 2023; the new provinces start in 2024.
        let ind = indicator(&[
            ("91", maret(2022), 26.56),
            ("91", maret(2023), 26.03),
            ("91", maret(2024), 17.26),
            ("91", maret(2025), 19.16),
            ("93", maret(2024), 17.44),
            ("94", maret(2024), 29.76),
            ("92", maret(2023), 20.49),
            ("92", maret(2024), 21.66),
        ]);
        let t = &ind.territory["91"];
        assert_eq!(t.from, maret(2024));
        assert_eq!(t.parts, ["93", "94"]);
        // Papua Barat's part (96) has no figures here: nothing proves when its territory changed.
        assert!(!ind.territory.contains_key("92"));
        // No change across the split; after it, an ordinary one.
        assert!(ind.change("91", &maret(2024)).is_none());
        assert!(ind.change("91", &maret(2023)).is_some());
        assert_eq!(ind.change("91", &maret(2025)).unwrap().direction, "naik");
        let periods: Vec<&Period> = ind.periods.iter().collect();
        assert_eq!(ind.territory_break("91", &periods), Some(2));
        assert_eq!(ind.territory_break("93", &periods), None);
    }

    #[test]
    fn eight_kabkota_rank_one_to_eight_with_ties() {
        let reg = banten();
        let vals = [
            ("36.01", 8.64),
            ("36.02", 8.60),
            ("36.03", 6.23),
            ("36.04", 4.51),
            ("36.71", 4.60),
            ("36.72", 3.33),
            ("36.73", 5.65),
            ("36.74", 2.30),
        ];
        let ind = indicator(
            &vals
                .iter()
                .map(|(k, v)| (*k, maret(2024), *v))
                .collect::<Vec<_>>(),
        );
        let mut ranks: Vec<usize> = vals
            .iter()
            .map(|(k, _)| ind.rank(&reg, k, &maret(2024)).unwrap().position)
            .collect();
        ranks.sort();
        assert_eq!(ranks, (1..=8).collect::<Vec<_>>());
        let r = ind.rank(&reg, "36.73", &maret(2024)).unwrap();
        assert_eq!((r.position, r.of), (4, 8));
        assert_eq!(r.text, "tertinggi ke-4 dari 8 kabupaten/kota di Banten");
        assert_eq!(r.polarity, "makin rendah makin baik");
        assert_eq!(
            ind.rank(&reg, "36.01", &maret(2024)).unwrap().text,
            "tertinggi dari 8 kabupaten/kota di Banten"
        );
        // A tie shares the rank and the next one skips: 1, 2, 2, 4 …
        let mut tied = vals;
        tied[2].1 = 8.60;
        let ind = indicator(
            &tied
                .iter()
                .map(|(k, v)| (*k, maret(2024), *v))
                .collect::<Vec<_>>(),
        );
        assert_eq!(ind.rank(&reg, "36.02", &maret(2024)).unwrap().position, 2);
        assert_eq!(ind.rank(&reg, "36.03", &maret(2024)).unwrap().position, 2);
        assert_eq!(ind.rank(&reg, "36.73", &maret(2024)).unwrap().position, 4);
    }

    /// Runs `f` on a page in English, with the program's dictionary alone.
    pub(crate) fn in_english<R>(f: impl FnOnce() -> R) -> R {
        let en = crate::i18n::Dictionary::load(Path::new("/nonexistent-site"), "", Lang::En)
            .expect("the program dictionary");
        crate::i18n::scoped(Some(&std::sync::Arc::new(en)), f)
    }

    #[test]
    fn headline_texts_in_english() {
        let reg = banten();
        let mut ind = indicator(&[
            ("36.01", maret(2024), 8.64),
            ("36.02", maret(2024), 8.60),
            ("36.03", maret(2024), 6.23),
            ("36.73", maret(2023), 6.20),
            ("36.73", maret(2024), 5.65),
        ]);
        ind.targets.insert(
            "36.73".into(),
            vec![Goal {
                year: 2024,
                value: 6.0,
                source: "RPJMD".into(),
            }],
        );
        in_english(|| {
            let h = ind.headline(&reg, "36.73").unwrap();
            let c = h.change.unwrap();
            assert_eq!(c.text, "down 0.55 percentage points from March 2023");
            assert_eq!(c.direction, "turun", "a code, never translated");
            let r = h.rank.unwrap();
            assert_eq!(r.text, "lowest of 4 regencies/cities in Banten");
            assert_eq!(r.polarity, "lower is better");
            assert_eq!(
                ind.rank(&reg, "36.02", &maret(2024)).unwrap().text,
                "2nd highest of 4 regencies/cities in Banten"
            );
            let t = h.target.unwrap();
            assert_eq!(t.label, "Target 2024: 6%");
            assert_eq!(
                t.text,
                "March 2024: 5.65%, 0.35 percentage points below target"
            );
            assert_eq!(t.status, "met");
        });
        assert_eq!(ordinal(3), "3");
        in_english(|| {
            let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
                .into_iter()
                .map(ordinal)
                .collect();
            assert_eq!(
                got,
                [
                    "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                    "111th"
                ]
            );
            assert_eq!(
                format_value("rupiah/kapita/bulan", 0, 505469.0),
                "Rp505,469 per capita per month"
            );
        });
    }

    #[test]
    fn change_is_maret_against_maret() {
        let reg = banten();
        let ind = indicator(&[
            ("36.73", maret(2023), 6.20),
            ("36.73", september(2023), 5.00),
            ("36.73", maret(2024), 5.65),
            ("36.73", september(2024), 5.40),
        ]);
        let c = ind.change("36.73", &maret(2024)).unwrap();
        assert_eq!(c.from_period, maret(2023));
        assert!((c.delta + 0.55).abs() < 1e-9);
        assert_eq!(c.text, "turun 0,55 poin persen dari Maret 2023");
        assert_eq!(c.judgement, "baik");
        let c = ind.change("36.73", &september(2024)).unwrap();
        assert_eq!(
            c.from_period,
            september(2023),
            "September compares with September, never with Maret"
        );
        assert_eq!(c.direction, "naik");
        assert_eq!(c.judgement, "buruk");
        // The headline is the latest period (September 2024) and its change against September 2023.
        let h = ind.headline(&reg, "36.73").unwrap();
        assert_eq!(h.period, september(2024));
        assert_eq!(h.big, "5,40%");
    }

    #[test]
    fn late_start_and_gaps_invent_nothing() {
        let ind = indicator(&[
            ("36", maret(2015), 5.75),
            ("36", maret(2016), 5.42),
            ("36.74", maret(2024), 2.30),
            ("36.73", maret(2022), 5.94),
            ("36.73", maret(2024), 5.65),
        ]);
        assert!(ind.value("36.74", &maret(2023)).is_none());
        assert!(
            ind.change("36.74", &maret(2024)).is_none(),
            "no earlier year, no change"
        );
        assert!(
            ind.change("36.73", &maret(2024)).is_none(),
            "2023 is a gap: 2024 is never compared with 2022"
        );
        assert_eq!(ind.series["36.74"].len(), 1);
    }

    #[test]
    fn neutral_indicators_are_not_judged() {
        let mut ind = indicator(&[
            ("36", maret(2023), 600_000.0),
            ("36", maret(2024), 654_213.0),
        ]);
        ind.unit = "rupiah/kapita/bulan".into();
        ind.decimals = 0;
        ind.lower_is_better = None;
        let c = ind.change("36", &maret(2024)).unwrap();
        assert_eq!(c.judgement, "netral");
        assert_eq!(ind.format(654_213.0), "Rp654.213 per kapita per bulan");
        assert_eq!(
            split_unit(&ind.unit, 0, 654_213.0),
            ("Rp654.213".to_string(), "per kapita per bulan".to_string())
        );
    }
}
