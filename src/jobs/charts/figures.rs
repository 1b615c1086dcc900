//! What each page draws, built from the model: the line, bar and map charts of a region, an indicator or the home page.

use super::ChartKind;
use crate::charts::{
    self, Bar, BarChart, LineChart, LineSeries, MapSpec, MapValue, PointMark, SeriesRole,
    TargetLine,
};
use crate::data::checks::NoteKind;
use crate::data::period::Period;
use crate::data::registry::{Jenis, NATION};
use crate::i18n::{t, tf};
use crate::model::indicator::{level_noun, target_label};
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
            breaks: ind.territory_break(k, &periods).into_iter().collect(),
        })
        .collect();
    line_over(
        site,
        ind,
        code,
        &periods,
        series,
        format!("grafik-{}", ind.slug),
        line_title(site, ind, &chain),
    )
}

/// Whether `code` has a line chart of `ind` ([`region_line`]): it has figures of its own.
pub(crate) fn has_region_line(ind: &Indicator, code: &str) -> bool {
    ind.series.contains_key(code)
}

/// The title of [`region_line`] (without working out the rest of the chart).
pub(crate) fn region_line_title(site: &Site, ind: &Indicator, code: &str) -> String {
    line_title(site, ind, &comparison_chain(site, ind, code))
}

/// A region line chart's title: the indicator and the regions of its lines.
fn line_title(site: &Site, ind: &Indicator, chain: &[&str]) -> String {
    format!(
        "{}, {}",
        t(&ind.title),
        chain
            .iter()
            .map(|k| name(site, k))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// A line chart of `series` over `periods`, described from the focus region's values, with the
/// breaks where the basis changes and the marks of corrected and held-back values.
fn line_over(
    site: &Site,
    ind: &Indicator,
    code: &str,
    periods: &[&Period],
    series: Vec<LineSeries>,
    id: String,
    title: String,
) -> LineChart {
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
    // The region's notes, found from its first (one copy of the code, not one per period).
    let first = (
        code.to_string(),
        Period {
            year: i32::MIN,
            sub: 0,
            name: String::new(),
        },
    );
    let mut marks: Vec<(usize, PointMark)> = ind
        .notes
        .range(&first..)
        .take_while(|((c, _), _)| *c == first.0)
        .filter_map(|((_, p), n)| {
            let i = periods.iter().position(|q| *q == p)?;
            match n.kind {
                NoteKind::Corrected { .. } => Some((i, PointMark::Corrected)),
                NoteKind::Held { .. } => Some((i, PointMark::Held)),
                NoteKind::Confirmed { .. } => None,
            }
        })
        .collect();
    marks.sort_by_key(|m| m.0);
    let targets = ind
        .targets
        .get(code)
        .into_iter()
        .flatten()
        .map(|g| TargetLine {
            x: periods.iter().rposition(|p| p.year == g.year),
            value: g.value,
            label: target_label(g.year, &ind.format_target(g.value)),
        })
        .collect::<Vec<_>>();
    let desc = if targets.is_empty() {
        desc
    } else {
        let said: Vec<String> = targets.iter().map(|t| t.label.clone()).collect();
        format!("{desc} {}.", said.join("; "))
    };
    LineChart {
        id,
        title,
        desc,
        unit: ind.unit.clone(),
        decimals: ind.decimals,
        x_labels: periods.iter().map(|p| p.short_label()).collect(),
        series,
        breaks: basis_breaks(periods),
        marks,
        targets,
        y_range: None,
    }
}

/// Where a series changes basis: between an annual figure (a bare year, or Tahunan) and a
/// sub-annual one (Maret, September), or between two kinds of annual figure.
pub(crate) fn basis_breaks(periods: &[&Period]) -> Vec<usize> {
    let basis = |p: &Period| (p.sub == 0).then(|| p.name.clone());
    periods
        .windows(2)
        .enumerate()
        .filter(|(_, w)| basis(w[0]) != basis(w[1]))
        .map(|(i, _)| i + 1)
        .collect()
}

/// Whether `split_line` draws a chart for `code`: the indicator has slices and at least two of
/// it and its slices have a series there.
fn has_split(ind: &Indicator, code: &str) -> bool {
    !ind.slices.is_empty()
        && std::iter::once(ind)
            .chain(&ind.slices)
            .filter(|i| i.series.contains_key(code))
            .count()
            >= 2
}

/// The region over time in each slice of its indicator (Jumlah, Perkotaan, Perdesaan), when
/// the indicator has slices and the region has values in at least two of them.
pub(crate) fn split_line(site: &Site, ind: &Indicator, code: &str) -> Option<LineChart> {
    if !has_split(ind, code) {
        return None;
    }
    let parts: Vec<&Indicator> = std::iter::once(ind)
        .chain(&ind.slices)
        .filter(|i| i.series.contains_key(code))
        .collect();
    let mut periods: Vec<&Period> = parts.iter().flat_map(|i| i.series[code].keys()).collect();
    periods.sort();
    periods.dedup();
    let label = |i: &Indicator| {
        i.slice
            .as_ref()
            .map_or_else(|| default_name(site, ind), |s| t(&s.value))
    };
    let series = parts
        .iter()
        .map(|i| LineSeries {
            name: label(i),
            role: if i.slice.is_none() {
                SeriesRole::Focus
            } else {
                SeriesRole::Other
            },
            values: periods.iter().map(|p| i.value(code, p)).collect(),
            breaks: i.territory_break(code, &periods).into_iter().collect(),
        })
        .collect();
    let dim = ind
        .slices
        .first()
        .and_then(|s| s.slice.as_ref())
        .map_or_else(String::new, |s| t(&s.field_title).to_lowercase());
    let title = tf(
        "{indikator} menurut {dimensi}, {wilayah}",
        &[
            ("indikator", &t(&ind.title)),
            ("dimensi", &dim),
            ("wilayah", &name(site, code)),
        ],
    );
    let id = format!("grafik-{}-menurut", ind.slug);
    let mut chart = line_over(site, ind, code, &periods, series, id, title);
    let latest = parts
        .iter()
        .filter_map(|i| {
            let (p, v) = i.latest(code)?;
            Some(format!("{} {} ({})", label(i), i.format(v), p.label()))
        })
        .collect::<Vec<_>>()
        .join(", ");
    chart.desc = tf(
        "{indikator} {wilayah} menurut {dimensi}: {nilai}.",
        &[
            ("indikator", &t(&ind.title)),
            ("wilayah", &name(site, code)),
            ("dimensi", &dim),
            ("nilai", &latest),
        ],
    );
    Some(chart)
}

/// The name of an indicator's whole slice: its dimensions' default values ("Jumlah"), in the
/// page's language.
pub(crate) fn default_name(site: &Site, ind: &Indicator) -> String {
    site.datasets[ind.dataset]
        .dimensions()
        .filter_map(|(_, f)| f.default.as_deref().map(t))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The periods a region's chart spans: those where any compared region has a value, limited to
/// the kinds of period the region itself has (a kab/kota measured each Maret is not drawn as
/// dots between the nation's September values, nor its bare years between Tahunan figures),
/// plus those where the region's own value was held back (marked on the chart).
pub(crate) fn chart_periods<'a>(ind: &'a Indicator, chain: &[&str]) -> Vec<&'a Period> {
    let own: std::collections::BTreeSet<(u16, &str)> = ind
        .series
        .get(chain[0])
        .map(|s| s.keys().map(|p| (p.sub, p.name.as_str())).collect())
        .unwrap_or_default();
    let mut out: Vec<&Period> = ind
        .periods
        .iter()
        .filter(|p| {
            own.contains(&(p.sub, p.name.as_str()))
                && chain.iter().any(|k| ind.value(k, p).is_some())
        })
        .collect();
    out.extend(
        ind.notes
            .keys()
            .filter(|(k, p)| k == chain[0] && own.contains(&(p.sub, p.name.as_str())))
            .map(|(_, p)| p),
    );
    out.sort();
    out.dedup();
    out
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
        title: tf(
            "{indikator} menurut {tingkat} di {wilayah}, {periode}",
            &[
                ("indikator", &t(&ind.title)),
                ("tingkat", &level_noun(level, false)),
                ("wilayah", &region.nama),
                ("periode", &period.label()),
            ],
        ),
        desc: tf(
            "{jumlah} {tingkat} di {wilayah} diurutkan dari nilai tertinggi ({tertinggi}) ke terendah ({terendah}), {periode}.",
            &[
                ("jumlah", &with.to_string()),
                ("tingkat", &level_noun(level, with != 1)),
                ("wilayah", &region.nama),
                ("tertinggi", &top),
                ("terendah", &bottom),
                ("periode", &period.label()),
            ],
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
    let what = charts::describe::decapitalise(&t(&ind.title));
    Some(MapSpec {
        id: id.to_string(),
        title: tf(
            "Peta {indikator} di {wilayah}, {periode}",
            &[
                ("indikator", &what),
                ("wilayah", &region.nama),
                ("periode", &period.label()),
            ],
        ),
        desc: tf(
            "Peta {jumlah} wilayah di {wilayah} berwarna menurut {indikator}; wilayah tanpa data diarsir.",
            &[
                ("jumlah", &values.len().to_string()),
                ("wilayah", &region.nama),
                ("indikator", &what),
            ],
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
    draw_map(site, code, &spec)
}

/// Whether `spec` of `code`'s children can be drawn: as tiles for the nation, else where the
/// boundaries have at least one of the children.
fn can_map(site: &Site, code: &str, spec: &MapSpec) -> bool {
    code == NATION
        || site
            .boundaries
            .as_ref()
            .is_some_and(|b| spec.values.iter().any(|v| b.features.contains_key(&v.code)))
}

/// The map of `spec`, when [`can_map`].
fn draw_map(site: &Site, code: &str, spec: &MapSpec) -> Option<String> {
    if !can_map(site, code, spec) {
        return None;
    }
    match site.boundaries.as_ref().filter(|_| code != NATION) {
        Some(b) => Some(charts::choropleth(b, spec)),
        None => Some(charts::tile_grid_map(spec)),
    }
}

/// The latest period in which at least two of `code`'s children have a value.
pub(crate) fn children_period(ind: &Indicator, site: &Site, code: &str) -> Option<Period> {
    let r = site.registry.get(code)?;
    // Only children with a series can have a value: most regions below the kab/kota have
    // none, and are answered without walking every period.
    let with_series: Vec<&String> = r
        .children
        .iter()
        .filter(|k| ind.series.contains_key(*k))
        .collect();
    if with_series.len() < 2 {
        return None;
    }
    ind.periods
        .iter()
        .rev()
        .find(|p| {
            with_series
                .iter()
                .filter(|k| ind.value(k, p).is_some())
                .count()
                >= 2
        })
        .cloned()
}

/// Whether `region_drawing` has this chart, decided without drawing it (for the job list).
pub(crate) fn has_chart(site: &Site, ind: &Indicator, code: &str, kind: ChartKind) -> bool {
    match kind {
        ChartKind::Line => ind.series.contains_key(code),
        ChartKind::Split => has_split(ind, code),
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

/// What one chart of a region's indicator is drawn from, before it is drawn.
#[derive(Debug)]
pub(crate) enum Drawing {
    /// A line chart (over time, or by slice): a pure function of its spec.
    Line(charts::LineChart),
    /// The children as bars: a pure function of its spec.
    Bars(charts::BarChart),
    /// The children as a map: its spec, drawn with the boundaries.
    Map(MapSpec),
}

impl Drawing {
    /// The chart's title.
    pub(crate) fn title(&self) -> &str {
        match self {
            Drawing::Line(c) => &c.title,
            Drawing::Bars(c) => &c.title,
            Drawing::Map(m) => &m.title,
        }
    }

    /// Whether the drawing is a function of this description alone (a map also reads the
    /// boundaries' geometry).
    pub(crate) fn self_contained(&self) -> bool {
        !matches!(self, Drawing::Map(..))
    }

    /// The SVG.
    pub(crate) fn draw(&self, site: &Site, code: &str) -> String {
        match self {
            Drawing::Line(c) => charts::line_chart(c),
            Drawing::Bars(c) => charts::bar_chart(c),
            Drawing::Map(m) => draw_map(site, code, m).unwrap_or_default(),
        }
    }
}

/// What the chart of `kind` of `code`'s indicator is drawn from, or `None` when it has none.
pub(crate) fn region_drawing(
    site: &Site,
    ind: &Indicator,
    code: &str,
    kind: ChartKind,
) -> Option<Drawing> {
    let id = format!("{}{}", ind.slug, kind.suffix(site, ind));
    match kind {
        ChartKind::Line => {
            has_region_line(ind, code).then(|| Drawing::Line(region_line(site, ind, code)))
        }
        ChartKind::Split => Some(Drawing::Line(split_line(site, ind, code)?)),
        ChartKind::Children => {
            let p = children_period(ind, site, code)?;
            Some(Drawing::Bars(children_bars(
                site, ind, code, &p, &id, None,
            )?))
        }
        ChartKind::Map => {
            let p = children_period(ind, site, code)?;
            let spec = children_map(site, ind, code, &p, &id)?;
            can_map(site, code, &spec).then_some(Drawing::Map(spec))
        }
    }
}

/// One small multiple of a group compared on one scale: the member's line (labelled by its
/// value; the page names it above the chart) and, for rates, the group's own region dashed.
pub(crate) fn member_line(
    site: &Site,
    ind: &Indicator,
    member: &str,
    group: &str,
    periods: &[&Period],
    y_range: (f64, f64),
) -> LineChart {
    let mut series = vec![LineSeries {
        name: String::new(),
        role: SeriesRole::Focus,
        values: periods.iter().map(|p| ind.value(member, p)).collect(),
        breaks: ind.territory_break(member, periods).into_iter().collect(),
    }];
    if comparable_across_levels(ind) && ind.series.contains_key(group) {
        series.push(LineSeries {
            name: String::new(),
            role: if group == NATION {
                SeriesRole::Nation
            } else {
                SeriesRole::Parent
            },
            values: periods.iter().map(|p| ind.value(group, p)).collect(),
            breaks: ind.territory_break(group, periods).into_iter().collect(),
        });
    }
    let title = format!("{}, {}", t(&ind.title), name(site, member));
    let mut chart = line_over(
        site,
        ind,
        member,
        periods,
        series,
        format!("bandingkan-{member}"),
        title,
    );
    chart.y_range = Some(y_range);
    chart
}
