//! What a programme page shows of its data: each indicator of the datasets naming the programme, with its latest totals, a map and the regions ranked.

use serde::Serialize;

use super::tables::{Ranked, ranked_children};
use super::{Link, RegionRef, ViewCache};
use crate::charts::{MapSpec, MapValue};
use crate::data::period::Period;
use crate::data::registry::{Jenis, NATION};
use crate::i18n::{t, tf};
use crate::model::indicator::{level_noun, split_unit};
use crate::model::{Indicator, Site};
use crate::urls;

/// A total for one region: its own figure, or the sum of its children where the measure adds up.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TotalLine {
    pub region: RegionRef,
    /// The number as shown large (`1.206.400`, `5,65%`).
    pub big: String,
    /// Its unit in small print (`keluarga penerima manfaat`).
    pub unit_note: String,
    /// How the total was obtained: "angka provinsi" or "jumlah 38 dari 38 kabupaten/kota".
    pub how: String,
    /// False when some children have no value in the period: the sum is partial.
    pub complete: bool,
}

/// The regions of one parent ranked, with the parent's map where boundaries allow.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Group {
    pub region: RegionRef,
    /// "kabupaten/kota di Jawa Timur".
    pub heading: String,
    /// The unit of the bars' numbers, named once in the heading.
    pub unit: String,
    pub bars: Vec<Ranked>,
    pub map: Option<String>,
}

/// One indicator of a programme, as the programme page shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ProgramFigure {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub dataset: Link,
    pub period: String,
    pub credit: String,
    pub illustrative: Option<String>,
    /// Per province (or the nation) with figures: its total.
    pub totals: Vec<TotalLine>,
    /// The sum of the totals above when there are several and the measure adds up; never
    /// called a national figure unless every province is in it.
    pub grand_total: Option<TotalLine>,
    /// The provinces coloured by their totals (tile grid).
    pub map: Option<String>,
    pub groups: Vec<Group>,
}

/// The figures of every indicator whose dataset names the programme `slug`, in indicator order.
pub(crate) fn figures(site: &Site, views: &ViewCache, slug: &str) -> Vec<ProgramFigure> {
    site.indicators
        .iter()
        .filter(|ind| ind.programs.iter().any(|p| p == slug))
        .filter_map(|ind| figure(site, views, ind))
        .collect()
}

fn figure(site: &Site, views: &ViewCache, ind: &Indicator) -> Option<ProgramFigure> {
    let period = ind.periods.last()?;
    let reg = &site.registry;
    let ds = &site.datasets[ind.dataset];
    // Parents whose children have values, and provinces with their own value.
    let mut parents: Vec<String> = Vec::new();
    for code in ind.series.keys() {
        if ind.value(code, period).is_none() {
            continue;
        }
        let Some(r) = reg.get(code) else { continue };
        let top = match r.jenis.level() {
            0 | 1 => code.clone(),
            _ => reg
                .ancestors(code)
                .iter()
                .find(|a| a.jenis.level() == 1)
                .map_or_else(|| NATION.to_string(), |a| a.kode.clone()),
        };
        if !parents.contains(&top) {
            parents.push(top);
        }
    }
    parents.sort();
    let mut totals = Vec::new();
    let mut groups = Vec::new();
    for p in &parents {
        if let Some(t) = total(site, views, ind, p, period) {
            totals.push(t);
        }
        let bars = ranked_children(site, views, ind, p, period, None);
        if !bars.is_empty() {
            let level = reg
                .get(p)
                .and_then(|r| r.children.first())
                .and_then(|k| reg.get(k))
                .map_or("wilayah", |r| r.jenis.level_plural());
            let name = reg.get(p).map_or(p.as_str(), |r| r.nama.as_str());
            let bars = bars
                .into_iter()
                .map(|mut b| {
                    b.formatted = b.bare.clone();
                    b
                })
                .collect();
            groups.push(Group {
                region: views.regions.get(p),
                heading: tf(
                    "{tingkat} di {wilayah}",
                    &[("tingkat", &level_noun(level, false)), ("wilayah", name)],
                ),
                unit: super::tables::unit_label(&ind.unit).replace('/', " per "),
                bars,
                map: crate::jobs::charts::figures::map_svg(
                    site,
                    ind,
                    p,
                    period,
                    &format!("program-{}-{}", ind.slug, p.replace('.', "-")),
                ),
            });
        }
    }
    let grand_total = if ind.additive && totals.len() > 1 && totals.iter().all(|t| t.complete) {
        let sum: f64 = totals
            .iter()
            .filter_map(|t| total_value(ind, site, &t.region.kode, period))
            .sum();
        let all_provinces = reg
            .get(NATION)
            .is_some_and(|n| n.children.iter().all(|c| parents.contains(c)));
        let (big, unit_note) = split_unit(&ind.unit, ind.decimals, sum);
        Some(TotalLine {
            region: views.regions.get(NATION),
            big,
            unit_note,
            how: if all_provinces {
                t("jumlah semua provinsi")
            } else {
                tf(
                    "jumlah {jumlah} provinsi dalam data, bukan angka nasional",
                    &[("jumlah", &totals.len().to_string())],
                )
            },
            complete: all_provinces,
        })
    } else {
        None
    };
    let map = province_map(site, ind, &totals, period);
    Some(ProgramFigure {
        slug: ind.slug.clone(),
        title: ind.title.clone(),
        url: urls::indicator(&ind.slug),
        dataset: Link {
            name: ds.title.clone(),
            url: urls::dataset(&ds.slug),
        },
        period: period.label(),
        credit: ds.credit_line(),
        illustrative: ind.illustrative.clone(),
        totals,
        grand_total,
        map,
        groups,
    })
}

/// A region's own value, else the sum of its children when the measure adds up over regions.
fn total_value(ind: &Indicator, site: &Site, code: &str, period: &Period) -> Option<f64> {
    if let Some(v) = ind.value(code, period) {
        return Some(v);
    }
    if !ind.additive {
        return None;
    }
    let r = site.registry.get(code)?;
    let vals: Vec<f64> = r
        .children
        .iter()
        .filter_map(|k| ind.value(k, period))
        .collect();
    (!vals.is_empty()).then(|| vals.iter().sum())
}

fn total(
    site: &Site,
    views: &ViewCache,
    ind: &Indicator,
    code: &str,
    period: &Period,
) -> Option<TotalLine> {
    let r = site.registry.get(code)?;
    if let Some(v) = ind.value(code, period) {
        let (big, unit_note) = split_unit(&ind.unit, ind.decimals, v);
        return Some(TotalLine {
            region: views.regions.get(code),
            big,
            unit_note,
            how: own_figure(r.jenis),
            complete: true,
        });
    }
    let v = total_value(ind, site, code, period)?;
    let with = r
        .children
        .iter()
        .filter(|k| ind.value(k, period).is_some())
        .count();
    let level = r
        .children
        .first()
        .and_then(|k| site.registry.get(k))
        .map_or("wilayah", |c| c.jenis.level_plural());
    let (big, unit_note) = split_unit(&ind.unit, ind.decimals, v);
    Some(TotalLine {
        region: views.regions.get(code),
        big,
        unit_note,
        how: tf(
            "jumlah {jumlah} dari {semua} {tingkat}",
            &[
                ("jumlah", &with.to_string()),
                ("semua", &r.children.len().to_string()),
                ("tingkat", &level_noun(level, r.children.len() != 1)),
            ],
        ),
        complete: with == r.children.len(),
    })
}

/// How a region's own figure is called: "angka provinsi".
fn own_figure(jenis: Jenis) -> String {
    match jenis {
        Jenis::Nasional => t("angka nasional"),
        Jenis::Provinsi => t("angka provinsi"),
        Jenis::Kabupaten => t("angka kabupaten"),
        Jenis::Kota => t("angka kota"),
        Jenis::Kecamatan => t("angka kecamatan"),
        Jenis::Desa => t("angka desa"),
        Jenis::Kelurahan => t("angka kelurahan"),
    }
}

/// The provinces coloured by their totals; provinces without a complete total are hatched.
fn province_map(
    site: &Site,
    ind: &Indicator,
    totals: &[TotalLine],
    period: &Period,
) -> Option<String> {
    let nation = site.registry.get(NATION)?;
    let values: Vec<MapValue> = nation
        .children
        .iter()
        .map(|k| MapValue {
            code: k.clone(),
            name: site
                .registry
                .get(k)
                .map_or_else(|| k.clone(), |r| r.nama.clone()),
            value: totals
                .iter()
                .find(|t| t.region.kode == *k && t.complete)
                .and_then(|_| total_value(ind, site, k, period)),
            href: None,
        })
        .collect();
    let with = values.iter().filter(|v| v.value.is_some()).count();
    if with == 0 {
        return None;
    }
    Some(crate::charts::tile_grid_map(&MapSpec {
        id: format!("program-peta-{}", ind.slug),
        title: tf(
            "Peta {indikator} per provinsi, {periode}",
            &[("indikator", &t(&ind.title)), ("periode", &period.label())],
        ),
        desc: tf(
            "{jumlah} provinsi berwarna menurut {indikator}{catatan}; provinsi tanpa data lengkap diarsir.",
            &[
                ("jumlah", &with.to_string()),
                ("indikator", &t(&ind.title)),
                (
                    "catatan",
                    &if ind.additive {
                        format!(
                            " {}",
                            t("(jumlah kabupaten/kota bila provinsi tidak punya angka sendiri)")
                        )
                    } else {
                        String::new()
                    },
                ),
            ],
        ),
        unit: ind.unit.clone(),
        decimals: ind.decimals,
        lower_is_better: ind.lower_is_better != Some(false),
        values,
    }))
}
/// What a programme has in one region: figures in its datasets, news or agenda naming it.
#[derive(Debug, Serialize)]
pub(crate) struct ProgramRegion {
    pub region: RegionRef,
    pub data: bool,
    pub news: bool,
}

/// A province where a programme runs, with the regions below it where it has figures and
/// those where news name it.
#[derive(Debug, Serialize)]
pub(crate) struct ProgramProvince {
    #[serde(flatten)]
    pub province: ProgramRegion,
    pub with_data: Vec<RegionRef>,
    pub with_news: Vec<RegionRef>,
}

/// The regions where programme `slug` has figures (rows of the datasets naming it) or news
/// (pages naming it and the region), by province, each with what it has there. Only regions
/// with a page are listed; the nation is not a place a programme runs in.
pub(crate) fn regions(site: &Site, views: &ViewCache, slug: &str) -> Vec<ProgramProvince> {
    use std::collections::BTreeMap;
    // Code → (data, news).
    let mut found: BTreeMap<String, (bool, bool)> = BTreeMap::new();
    for &di in site.program_datasets.get(slug).into_iter().flatten() {
        let d = &site.datasets[di];
        let Some(r) = d.region else { continue };
        for row in &d.rows {
            if let Some(code) = row.cells[r].as_text() {
                found.entry(code.to_string()).or_default().0 = true;
            }
        }
    }
    for p in site
        .pages
        .iter()
        .filter(|p| p.program.iter().any(|s| s == slug))
    {
        for code in &p.wilayah {
            found.entry(code.clone()).or_default().1 = true;
        }
    }
    let mut provinces: BTreeMap<String, ProgramProvince> = BTreeMap::new();
    for (code, (data, news)) in found {
        if code == NATION || !site.region_pages.contains(&code) {
            continue;
        }
        let Some(prov) = site
            .registry
            .ancestors(&code)
            .into_iter()
            .find(|a| a.jenis == crate::data::registry::Jenis::Provinsi)
            .map(|a| a.kode.clone())
        else {
            continue;
        };
        let entry = provinces
            .entry(prov.clone())
            .or_insert_with(|| ProgramProvince {
                province: ProgramRegion {
                    region: views.regions.get(&prov),
                    data: false,
                    news: false,
                },
                with_data: Vec::new(),
                with_news: Vec::new(),
            });
        if code == prov {
            entry.province.data |= data;
            entry.province.news |= news;
            continue;
        }
        if data {
            entry.with_data.push(views.regions.get(&code));
        }
        if news {
            entry.with_news.push(views.regions.get(&code));
        }
    }
    provinces.into_values().collect()
}
