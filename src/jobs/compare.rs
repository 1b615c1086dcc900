//! Compare pages: a region's sub-regions as small multiples on one scale per indicator (`/bandingkan/36-banten/p0/`, each member at its own `#w-<kode>` anchor), the chooser page with the list of them, and the figures the chooser draws.

use serde::Serialize;

use super::charts::figures;
use super::{Base, OutputFile, Shared};
use crate::data::period::Period;
use crate::data::registry::NATION;
use crate::depends::Reads;
use crate::diagnostic::{Code, Diagnostic};
use crate::i18n::{t, tf};
use crate::model::indicator::level_noun;
use crate::model::{Indicator, Site};
use crate::urls;
use crate::view::{Link, RegionRef};

/// A compare output.
#[derive(Debug, Clone)]
pub(crate) enum Job {
    /// `/bandingkan/`: the chooser and the list of every compare page.
    Index,
    /// One region's sub-regions on one scale, for one indicator (`index` into the indicators).
    Group { code: String, index: usize },
    /// The figures of one indicator for the chooser, as JSON.
    Data { index: usize },
}

impl Job {
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Job::Index | Job::Group { .. } => "halaman perbandingan",
            Job::Data { .. } => "data perbandingan",
        }
    }

    /// Compare pages and their data are made of figures; the index is cheap and reads all.
    pub(super) fn reads(&self) -> Reads {
        match self {
            Job::Index => Reads::ALL,
            Job::Group { .. } => Reads::FIGURE_PAGES,
            Job::Data { .. } => Reads::FIGURES,
        }
    }

    pub(super) fn sitemap_url(&self, cx: &Shared<'_>) -> Option<String> {
        match self {
            Job::Index => Some(urls::COMPARE.to_string()),
            Job::Group { code, index } => Some(urls::compare_group(
                &cx.site.registry,
                code,
                &cx.site.indicators[*index].slug,
            )),
            Job::Data { .. } => None,
        }
    }
}

/// The regions below `code` with figures of `ind`, in code order; a group needs two.
pub(crate) fn members<'a>(site: &'a Site, ind: &Indicator, code: &str) -> Vec<&'a str> {
    site.registry.get(code).map_or_else(Vec::new, |r| {
        r.children
            .iter()
            .map(String::as_str)
            .filter(|c| is_member(site, ind, c))
            .collect()
    })
}

/// Whether a region can be among [`members`]: it has figures of `ind` and a page.
fn is_member(site: &Site, ind: &Indicator, code: &str) -> bool {
    ind.series.contains_key(code) && site.region_pages.contains(code)
}

/// Every (region, indicator) with at least two sub-regions to compare, regions in code order.
fn groups(site: &Site) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for code in &site.region_pages {
        for (index, ind) in site.indicators.iter().enumerate() {
            if members(site, ind, code).len() >= 2 {
                out.push((code.clone(), index));
            }
        }
    }
    out
}

/// Where a region is compared with its neighbours: the page of its parent's group, at its anchor
/// (`None` when it has no parent group for this indicator).
pub(crate) fn neighbours_url(site: &Site, ind: &Indicator, code: &str) -> Option<String> {
    let parent = site.registry.get(code)?.induk.as_deref()?;
    // It and one other of its parent's [`members`]: asked without listing them all (every
    // desa page asks, for every indicator).
    let member = |c: &str| is_member(site, ind, c);
    let among_others = || {
        let (mut listed, mut other) = (false, false);
        for c in site.registry.get(parent).map_or(&[][..], |p| &p.children) {
            if c == code {
                listed = true;
            } else if !other {
                other = member(c);
            }
        }
        listed && other
    };
    (member(code) && among_others()).then(|| {
        format!(
            "{}#w-{code}",
            urls::compare_group(&site.registry, parent, &ind.slug)
        )
    })
}

/// The chooser page and its figures whenever the site has an indicator; a group page for each
/// region with two or more sub-regions to compare.
pub(super) fn list(cx: &Shared<'_>) -> Vec<Job> {
    if cx.site.indicators.is_empty() {
        return Vec::new();
    }
    let groups = groups(cx.site);
    let mut jobs = vec![Job::Index];
    jobs.extend(
        groups
            .into_iter()
            .map(|(code, index)| Job::Group { code, index }),
    );
    jobs.extend((0..cx.site.indicators.len()).map(|index| Job::Data { index }));
    jobs
}

pub(super) fn render(cx: &Shared<'_>, job: &Job) -> Result<OutputFile, Diagnostic> {
    match job {
        Job::Index => index(cx),
        Job::Group { code, index } => group(cx, code, &cx.site.indicators[*index]),
        Job::Data { index } => data(cx, &cx.site.indicators[*index]),
    }
}

/// One line of the list: a region with a link per indicator it can be compared by.
#[derive(Serialize)]
struct Entry {
    region: RegionRef,
    /// "kabupaten/kota", "provinsi", … (in English "regencies/cities").
    level: String,
    depth: usize,
    links: Vec<Link>,
}

#[derive(Serialize)]
struct IndexContext {
    #[serde(flatten)]
    base: Base,
    entries: Vec<Entry>,
    /// Every indicator the chooser can draw, with its figures' address.
    indicators: Vec<ChooserIndicator>,
}

#[derive(Serialize)]
struct ChooserIndicator {
    slug: String,
    title: String,
    data: String,
}

fn index(cx: &Shared<'_>) -> Result<OutputFile, Diagnostic> {
    let site = cx.site;
    let mut entries: Vec<Entry> = Vec::new();
    for (code, index) in groups(site) {
        let ind = &site.indicators[index];
        let link = Link {
            name: ind.title.clone(),
            url: urls::compare_group(&site.registry, &code, &ind.slug),
        };
        match entries.last_mut() {
            Some(e) if e.region.kode == code => e.links.push(link),
            _ => entries.push(Entry {
                region: cx.views.regions.get(&code),
                level: level_below(site, &code),
                depth: site.registry.ancestors(&code).len(),
                links: vec![link],
            }),
        }
    }
    let context = IndexContext {
        base: cx.base(urls::COMPARE, &t("Bandingkan wilayah")),
        entries,
        indicators: site
            .indicators
            .iter()
            .map(|i| ChooserIndicator {
                slug: i.slug.clone(),
                title: i.title.clone(),
                data: urls::compare_data(&i.slug),
            })
            .collect(),
    };
    cx.page(urls::COMPARE, "compare.html", &context)
}

/// How the regions one level below `code` are called, in the page's language.
fn level_below(site: &Site, code: &str) -> String {
    let reg = &site.registry;
    let level = reg
        .get(code)
        .and_then(|r| r.children.first())
        .and_then(|c| reg.get(c))
        .map_or("wilayah", |c| c.jenis.level_plural());
    level_noun(level, true)
}

/// One small multiple.
#[derive(Serialize)]
struct Member {
    region: RegionRef,
    /// "5,65% (Maret 2024)", or empty without a figure.
    latest: String,
    chart: String,
}

#[derive(Serialize)]
struct GroupContext<'a> {
    #[serde(flatten)]
    base: Base,
    region: RegionRef,
    indicator_title: &'a str,
    indicator_url: String,
    level: String,
    /// The common scale, in words ("0%–25%").
    scale: String,
    /// The group's own region drawn dashed in every chart, when its figures compare.
    reference: Option<String>,
    members: Vec<Member>,
    /// The figures of every member by period (the charts' table).
    table: crate::view::tables::TableValue,
    /// The other indicators the same region can be compared by.
    others: Vec<Link>,
    credit: String,
    chooser: String,
}

fn group(cx: &Shared<'_>, code: &str, ind: &Indicator) -> Result<OutputFile, Diagnostic> {
    let site = cx.site;
    let reg = &site.registry;
    let region = cx.region(code)?;
    let members = members(site, ind, code);
    let periods = figures::chart_periods(ind, &members);
    // How the group's own region is drawn in each chart (as figures::member_line draws it).
    let reference =
        (figures::comparable_across_levels(ind) && ind.series.contains_key(code)).then(|| {
            if code == NATION {
                tf(
                    "garis abu-abu putus-putus: {wilayah}",
                    &[("wilayah", &region.nama)],
                )
            } else {
                tf("garis jingga: {wilayah}", &[("wilayah", &region.nama)])
            }
        });
    let range = scale(ind, &members, reference.as_ref().map(|_| code), &periods);
    let url = urls::compare_group(reg, code, &ind.slug);
    let level = level_below(site, code);
    let group = tf(
        "{tingkat} di {wilayah}",
        &[("tingkat", &level), ("wilayah", &region.nama)],
    );
    let context = GroupContext {
        base: cx.base(&url, &format!("{}: {group}", t(&ind.title))),
        region: cx.views.regions.get(code),
        indicator_title: &ind.title,
        indicator_url: urls::indicator_of(ind),
        level,
        scale: format!(
            "{}–{}",
            ind.format_target(range.0),
            ind.format_target(range.1)
        ),
        reference,
        members: members
            .iter()
            .map(|m| Member {
                region: cx.views.regions.get(m),
                latest: ind
                    .latest(m)
                    .map(|(p, v)| format!("{} ({})", ind.format(v), p.label()))
                    .unwrap_or_default(),
                chart: crate::charts::line_chart(&figures::member_line(
                    site, ind, m, code, &periods, range,
                )),
            })
            .collect(),
        table: member_table(site, ind, &members, &periods, &group),
        others: site
            .indicators
            .iter()
            .filter(|o| o.slug != ind.slug && self::members(site, o, code).len() >= 2)
            .map(|o| Link {
                name: o.title.clone(),
                url: urls::compare_group(reg, code, &o.slug),
            })
            .collect(),
        credit: site.datasets[ind.dataset].credit_line(),
        chooser: format!("{}?i={}", urls::COMPARE, ind.slug),
    };
    cx.page(&url, "compare_group.html", &context)
}

/// The common y range of a group's small multiples: from 0 (or the lowest value, when below)
/// to the highest value of any member or the reference in the periods drawn.
fn scale(
    ind: &Indicator,
    members: &[&str],
    reference: Option<&str>,
    periods: &[&Period],
) -> (f64, f64) {
    let values = members
        .iter()
        .chain(reference.iter())
        .flat_map(|k| periods.iter().filter_map(|p| ind.value(k, p)));
    let (lo, hi) = values.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let (ticks, _) = crate::charts::style::nice_ticks(lo, if hi > lo { hi } else { lo + 1.0 }, 5);
    (
        ticks.first().copied().unwrap_or(lo),
        ticks.last().copied().unwrap_or(hi),
    )
}

/// Periods down, members across: every figure the small multiples draw.
fn member_table(
    site: &Site,
    ind: &Indicator,
    members: &[&str],
    periods: &[&Period],
    group: &str,
) -> crate::view::tables::TableValue {
    let codes: Vec<&str> = members.to_vec();
    crate::view::tables::TableValue {
        caption: format!("{} ({}), {group}", t(&ind.title), t(&ind.unit)),
        columns: codes
            .iter()
            .map(|k| {
                site.registry
                    .get(k)
                    .map_or_else(|| k.to_string(), |r| r.nama.clone())
            })
            .collect(),
        numeric: vec![true; codes.len()],
        rows: periods
            .iter()
            .rev()
            .map(|p| crate::view::tables::TableRow {
                label: p.label(),
                cells: codes
                    .iter()
                    .map(|k| {
                        ind.value(k, p).map_or_else(
                            || "–".to_string(),
                            |v| crate::model::indicator::bare_value(ind.decimals, v),
                        )
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The chooser's figures of one indicator: its periods, and for every region with figures its
/// name and one value per period (`null` where it has none).
#[derive(Serialize)]
struct ChooserData<'a> {
    judul: &'a str,
    satuan: &'a str,
    desimal: usize,
    lebih_rendah_lebih_baik: Option<bool>,
    sumber: String,
    periode: Vec<String>,
    wilayah: Vec<ChooserRegion>,
}

#[derive(Serialize)]
struct ChooserRegion {
    kode: String,
    nama: String,
    induk: String,
    nilai: Vec<Option<f64>>,
}

fn data(cx: &Shared<'_>, ind: &Indicator) -> Result<OutputFile, Diagnostic> {
    let site = cx.site;
    let url = urls::compare_data(&ind.slug);
    let body = ChooserData {
        judul: &ind.title,
        satuan: &ind.unit,
        desimal: ind.decimals,
        lebih_rendah_lebih_baik: ind.lower_is_better,
        sumber: site.datasets[ind.dataset].credit_line(),
        periode: ind.periods.iter().map(Period::label).collect(),
        wilayah: ind
            .series
            .keys()
            .filter_map(|k| {
                let r = site.registry.get(k)?;
                Some(ChooserRegion {
                    kode: k.clone(),
                    nama: r.nama.clone(),
                    induk: if k == NATION {
                        String::new()
                    } else {
                        r.induk.clone().unwrap_or_default()
                    },
                    nilai: ind.periods.iter().map(|p| ind.value(k, p)).collect(),
                })
            })
            .collect(),
    };
    let bytes = serde_json::to_vec(&body)
        .map_err(|e| Diagnostic::error(Code::Internal, &url, e.to_string()))?;
    Ok((urls::file_of(&url), bytes))
}
