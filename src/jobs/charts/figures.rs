//! What each page draws, built from the model: the line, bar and map charts of a region, an indicator or the home page.

use super::ChartKind;
use crate::charts::{self, Bar, BarChart, LineChart, LineSeries, MapSpec, MapValue, SeriesRole};
use crate::data::period::Period;
use crate::data::registry::{Jenis, NATION};
use crate::model::{Indicator, Site};

/// Width in pixels of downloadable PNG charts.
pub(crate) const PNG_WIDTH: u32 = 960;

/// True for rates and per-person amounts (persen, indeks, rupiah/kapita/bulan), which compare
/// across levels; counts (jiwa, KPM, rupiah totals) of a kabupaten and of the nation do not.
pub(crate) fn comparable_across_levels(ind: &Indicator) -> bool {
    matches!(ind.unit.as_str(), "persen" | "indeks") || ind.unit.contains('/')
}

/// The region, and for rates its province (for a kab/kota) and the nation, as compared on a region page.
pub(crate) fn comparison_chain<'a>(site: &'a Site, ind: &Indicator, code: &'a str) -> Vec<&'a str> {
    let mut chain = vec![code];
    if !comparable_across_levels(ind) {
        return chain;
    }
    if let Some(parent) = site.registry.get(code).and_then(|r| r.induk.as_deref())
        && parent != NATION
        && ind.series.contains_key(parent)
    {
        chain.push(parent);
    }
    if code != NATION && ind.series.contains_key(NATION) {
        chain.push(NATION);
    }
    chain
}

fn name(site: &Site, code: &str) -> String {
    site.registry
        .get(code)
        .map_or_else(|| code.to_string(), |r| r.nama.clone())
}

/// The line chart of a region page: the region, its province and the nation over every period that any of them has.
pub(crate) fn region_line(site: &Site, ind: &Indicator, code: &str) -> LineChart {
    let chain = comparison_chain(site, ind, code);
    let periods = chart_periods(ind, &chain);
    // With Maret and September both present, label the axis with the period name.
    let x_labels: Vec<String> = periods.iter().map(|p| p.short_label()).collect();
    let series: Vec<LineSeries> = chain
        .iter()
        .enumerate()
        .map(|(i, k)| LineSeries {
            name: name(site, k),
            role: match (i, *k) {
                (0, _) => SeriesRole::Focus,
                (_, NATION) => SeriesRole::Nation,
                _ => SeriesRole::Parent,
            },
            values: periods.iter().map(|p| ind.value(k, p)).collect(),
        })
        .collect();
    let points: Vec<(String, Option<f64>)> = periods
        .iter()
        .map(|p| (p.label(), ind.value(code, p)))
        .collect();
    let desc = charts::describe_trend(
        &ind.title,
        &name(site, code),
        &ind.unit,
        ind.decimals,
        &points,
    );
    LineChart {
        id: format!("grafik-{}", ind.slug),
        title: format!(
            "{}, {}",
            ind.title,
            chain
                .iter()
                .map(|k| name(site, k))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        desc,
        unit: ind.unit.clone(),
        decimals: ind.decimals,
        x_labels,
        series,
    }
}

/// The periods a region's chart spans: those where any compared region has a value, limited to
/// the kinds of period the region itself has (a kab/kota measured each Maret is not drawn as
/// dots between the nation's September values).
pub(crate) fn chart_periods<'a>(ind: &'a Indicator, chain: &[&str]) -> Vec<&'a Period> {
    let own: std::collections::BTreeSet<u16> = ind
        .series
        .get(chain[0])
        .map(|s| s.keys().map(|p| p.sub).collect())
        .unwrap_or_default();
    ind.periods
        .iter()
        .filter(|p| own.contains(&p.sub) && chain.iter().any(|k| ind.value(k, p).is_some()))
        .collect()
}

/// The children of `code` with a value in `period`, highest first, as a bar chart (`domain_max` for a shared scale).
pub(crate) fn children_bars(
    site: &Site,
    ind: &Indicator,
    code: &str,
    period: &Period,
    id: &str,
    domain_max: Option<f64>,
) -> Option<BarChart> {
    let region = site.registry.get(code)?;
    let mut bars: Vec<Bar> = region
        .children
        .iter()
        .filter(|k| ind.series.contains_key(*k))
        .map(|k| Bar {
            code: k.clone(),
            label: name(site, k),
            value: ind.value(k, period),
            highlight: false,
            // Charts are role="img" (one picture for assistive technology); links live in the table beside them.
            href: None,
        })
        .collect();
    if bars.iter().all(|b| b.value.is_none()) {
        return None;
    }
    bars.sort_by(|a, b| match (a.value, b.value) {
        (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| a.code.cmp(&b.code)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.code.cmp(&b.code),
    });
    let with = bars.iter().filter(|b| b.value.is_some()).count();
    let top = bars.first().map(|b| b.label.clone()).unwrap_or_default();
    let bottom = bars
        .iter()
        .rev()
        .find(|b| b.value.is_some())
        .map(|b| b.label.clone())
        .unwrap_or_default();
    let level = region
        .children
        .first()
        .and_then(|k| site.registry.get(k))
        .map_or("wilayah", |r| r.jenis.level_plural());
    Some(BarChart {
        id: id.to_string(),
        title: format!(
            "{} menurut {level} di {}, {}",
            ind.title,
            region.nama,
            period.label()
        ),
        desc: format!(
            "{} {level} di {} diurutkan dari nilai tertinggi ({top}) ke terendah ({bottom}), {}.",
            with,
            region.nama,
            period.label()
        ),
        unit: ind.unit.clone(),
        decimals: ind.decimals,
        bars,
        domain_max,
    })
}

/// Whether a region is drawn on its parent's map (provinces and kab/kota; deeper levels have no boundaries).
fn mappable(site: &Site, code: &str) -> bool {
    site.registry
        .get(code)
        .is_some_and(|r| matches!(r.jenis, Jenis::Provinsi | Jenis::Kabupaten | Jenis::Kota))
}

/// The map values of `code`'s children in `period`.
pub(crate) fn children_map(
    site: &Site,
    ind: &Indicator,
    code: &str,
    period: &Period,
    id: &str,
) -> Option<MapSpec> {
    let region = site.registry.get(code)?;
    let values: Vec<MapValue> = region
        .children
        .iter()
        .filter(|k| mappable(site, k))
        .map(|k| MapValue {
            code: k.clone(),
            name: name(site, k),
            value: ind.value(k, period),
            // Charts are role="img" (one picture for assistive technology); links live in the table beside them.
            href: None,
        })
        .collect();
    if values.iter().all(|v| v.value.is_none()) {
        return None;
    }
    Some(MapSpec {
        id: id.to_string(),
        title: format!(
            "Peta {} di {}, {}",
            charts::describe::decapitalise(&ind.title),
            region.nama,
            period.label()
        ),
        desc: format!(
            "Peta {} wilayah di {} berwarna menurut {}; wilayah tanpa data diarsir.",
            values.len(),
            region.nama,
            charts::describe::decapitalise(&ind.title)
        ),
        unit: ind.unit.clone(),
        decimals: ind.decimals,
        lower_is_better: ind.lower_is_better != Some(false),
        values,
    })
}

/// The map of a region's children: the province tile grid for the nation, a choropleth where boundaries are configured.
pub(crate) fn map_svg(
    site: &Site,
    ind: &Indicator,
    code: &str,
    period: &Period,
    id: &str,
) -> Option<String> {
    let spec = children_map(site, ind, code, period, id)?;
    if code == NATION {
        return Some(charts::tile_grid_map(&spec));
    }
    let b = site.boundaries.as_ref()?;
    spec.values
        .iter()
        .any(|v| b.features.contains_key(&v.code))
        .then(|| charts::choropleth(b, &spec))
}

/// The latest period in which at least two of `code`'s children have a value.
pub(crate) fn children_period(ind: &Indicator, site: &Site, code: &str) -> Option<Period> {
    let r = site.registry.get(code)?;
    ind.periods
        .iter()
        .rev()
        .find(|p| {
            r.children
                .iter()
                .filter(|k| ind.value(k, p).is_some())
                .count()
                >= 2
        })
        .cloned()
}

/// Whether `region_chart` draws this chart, decided without drawing it (for the job list).
pub(crate) fn has_chart(site: &Site, ind: &Indicator, code: &str, kind: ChartKind) -> bool {
    match kind {
        ChartKind::Line => ind.series.contains_key(code),
        ChartKind::Children => children_period(ind, site, code).is_some(),
        ChartKind::Map => {
            // As `map_svg`: some mapped child has a value; the nation's tile grid needs no boundaries.
            let (Some(p), Some(region)) =
                (children_period(ind, site, code), site.registry.get(code))
            else {
                return false;
            };
            let mut mapped = region.children.iter().filter(|k| mappable(site, k));
            mapped.clone().any(|k| ind.value(k, &p).is_some())
                && (code == NATION
                    || site
                        .boundaries
                        .as_ref()
                        .is_some_and(|b| mapped.any(|k| b.features.contains_key(k))))
        }
    }
}

/// One chart of a region's indicator, drawn on its own: the SVG and its title.
pub(crate) fn region_chart(
    site: &Site,
    ind: &Indicator,
    code: &str,
    kind: ChartKind,
) -> Option<(String, String)> {
    let id = format!("{}{}", ind.slug, kind.suffix());
    match kind {
        ChartKind::Line => {
            if !ind.series.contains_key(code) {
                return None;
            }
            let line = region_line(site, ind, code);
            Some((charts::line_chart(&line), line.title))
        }
        ChartKind::Children => {
            let p = children_period(ind, site, code)?;
            let bars = children_bars(site, ind, code, &p, &id, None)?;
            Some((charts::bar_chart(&bars), bars.title))
        }
        ChartKind::Map => {
            let p = children_period(ind, site, code)?;
            let title = children_map(site, ind, code, &p, &id)?.title;
            Some((map_svg(site, ind, code, &p, &id)?, title))
        }
    }
}
