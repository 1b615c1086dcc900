//! Region pages: the region index, each region's page (headline cards, charts, tables, children, news) and its downloads.

use serde::Serialize;
use tera::Value;

use super::charts::{self, ChartKind, ChartLinks, figures};
use super::{Base, OutputFile, Shared, TableFile, TableOut};
use crate::content::Section;
use crate::data::dataset::Role;
use crate::data::registry::NATION;
use crate::depends::Reads;
use crate::diagnostic::Diagnostic;
use crate::downloads::Prepared;
use crate::downloads::{Field, Format, Table};
use crate::i18n::{t, tf};
use crate::model::Indicator;
use crate::model::indicator::{Headline, bare_value};
use crate::urls;
use crate::view::notes::{self, NoteLine};
use crate::view::tables::{
    Ranked, TableRow, TableValue, names, ranked_children, show_cell, unit_label,
};
use crate::view::{Link, RegionRef};

/// A region output.
#[derive(Debug, Clone)]
pub(crate) enum Job {
    Index,
    Page {
        code: String,
    },
    /// Every figure about the region in one file.
    Download {
        code: String,
        format: Format,
    },
    /// The Data Package descriptor of its CSV.
    Descriptor {
        code: String,
    },
    /// Its targets, each beside the figure of its year (only when it has targets).
    Targets {
        code: String,
    },
}

impl Job {
    /// The index or a page (which a translation has too), not a download.
    pub(super) fn is_page(&self) -> bool {
        matches!(self, Job::Index | Job::Page { .. })
    }

    pub(super) fn kind(&self) -> &'static str {
        match self {
            Job::Index => "daftar wilayah",
            Job::Page { .. } => "halaman wilayah",
            Job::Download { .. } | Job::Descriptor { .. } | Job::Targets { .. } => {
                "unduhan wilayah"
            }
        }
    }

    /// A region page shows figures and the cards of its related pages; the other files figures
    /// alone; the index lists every region with content.
    pub(super) fn reads(&self) -> Reads {
        match self {
            Job::Index => Reads::ALL,
            Job::Page { .. } => Reads::FIGURE_PAGES,
            Job::Download { .. } | Job::Descriptor { .. } | Job::Targets { .. } => Reads::FIGURES,
        }
    }

    /// Beyond the classes it reads, a region page depends on the cards it lists.
    pub(super) fn extra(&self, cx: &Shared<'_>) -> Option<Vec<u8>> {
        match self {
            Job::Page { code } => serde_json::to_vec(&related(cx, code)).ok(),
            _ => None,
        }
    }

    pub(super) fn sitemap_url(&self, cx: &Shared<'_>) -> Option<String> {
        match self {
            Job::Index => Some(urls::REGIONS.to_string()),
            Job::Page { code } => Some(urls::region(&cx.site.registry, code)),
            _ => None,
        }
    }
}

pub(super) fn list(cx: &Shared<'_>) -> Vec<Job> {
    let site = cx.site;
    let mut jobs = vec![Job::Index];
    for code in &site.region_pages {
        jobs.push(Job::Page { code: code.clone() });
        if site.region_datasets.contains_key(code) {
            jobs.extend(Format::ALL.map(|format| Job::Download {
                code: code.clone(),
                format,
            }));
            jobs.push(Job::Descriptor { code: code.clone() });
        }
        if has_targets(cx, code) {
            jobs.push(Job::Targets { code: code.clone() });
        }
    }
    jobs
}

pub(super) fn render(cx: &Shared<'_>, job: &Job) -> Result<OutputFile, Diagnostic> {
    match job {
        Job::Index => index(cx),
        Job::Page { code } => page(cx, code),
        Job::Download { .. } | Job::Descriptor { .. } | Job::Targets { .. } => {
            cx.table_job(job.table_file(cx), job.kind())
        }
    }
}

impl Job {
    /// A region's downloads before they are written: every figure about it, its descriptor,
    /// its targets.
    pub(super) fn table_file(&self, cx: &Shared<'_>) -> Option<TableFile> {
        let site = cx.site;
        let name = |code: &str| {
            site.registry
                .get(code)
                .map_or(code.to_string(), |r| r.nama.clone())
        };
        let shared = |code: &str| {
            cx.views
                .tables
                .get(&format!("wilayah {code}"), || table(cx, code))
        };
        match self {
            Job::Index | Job::Page { .. } => None,
            Job::Download { code, format } => Some(TableFile {
                url: urls::region_download(&site.registry, code, *format),
                table: shared(code),
                out: TableOut::Download(*format),
                title: format!("Data {}", name(code)),
                datasets: region_datasets(cx, code).to_vec(),
            }),
            Job::Descriptor { code } => Some(TableFile {
                url: urls::region_download(&site.registry, code, Format::Csv),
                table: shared(code),
                out: TableOut::Descriptor {
                    name: format!("wilayah-{code}"),
                },
                title: format!("Data {}", name(code)),
                datasets: region_datasets(cx, code).to_vec(),
            }),
            Job::Targets { code } => Some(TableFile {
                url: urls::region_targets(&site.registry, code),
                table: Prepared::new(super::targets::table(site, &site.indicators, |c| c == code)),
                out: TableOut::Download(Format::Csv),
                title: format!("Target {}", name(code)),
                datasets: site
                    .indicators
                    .iter()
                    .filter(|i| i.targets.contains_key(code))
                    .map(|i| i.dataset)
                    .collect(),
            }),
        }
    }
}

/// The pages a region's page lists as related: about it or a region above it, newest first.
fn related<'a>(cx: &Shared<'a>, code: &str) -> Vec<&'a Value> {
    let site = cx.site;
    cx.views.cards_of(
        site.pages_for_region(code)
            .into_iter()
            .filter(|&i| site.pages[i].section != Section::Home)
            .take(8),
    )
}

/// Whether any indicator sets a target for the region.
fn has_targets(cx: &Shared<'_>, code: &str) -> bool {
    cx.site
        .indicators
        .iter()
        .any(|i| i.targets.contains_key(code))
}

/// A region with the regions below it that have pages.
#[derive(Serialize)]
struct Tree {
    region: RegionRef,
    children: Vec<Tree>,
}

fn tree(cx: &Shared<'_>, code: &str) -> Tree {
    let site = cx.site;
    Tree {
        region: cx.views.regions.get(code),
        children: site
            .registry
            .get(code)
            .map(|reg| {
                reg.children
                    .iter()
                    .filter(|c| site.region_pages.contains(*c))
                    .map(|c| tree(cx, c))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

#[derive(Serialize)]
struct IndexContext {
    #[serde(flatten)]
    base: Base,
    tree: Tree,
}

fn index(cx: &Shared<'_>) -> Result<OutputFile, Diagnostic> {
    let context = IndexContext {
        base: cx.base(urls::REGIONS, "Wilayah"),
        tree: tree(cx, NATION),
    };
    cx.page(urls::REGIONS, "regions.html", &context)
}

/// One indicator on a region's page.
#[derive(Serialize)]
struct RegionIndicator<'a> {
    slug: &'a str,
    title: &'a str,
    url: String,
    unit: &'a str,
    lower_is_better: Option<bool>,
    source: &'a str,
    /// The source as a credit line, without a "Sumber:" label.
    credit: String,
    headline: Headline,
    table: TableValue,
    children: Vec<Ranked>,
    children_period: String,
    /// How the children are called ("provinsi", "kabupaten/kota", "kecamatan").
    children_level: &'static str,
    chart: String,
    chart_desc: String,
    chart_files: Option<ChartLinks>,
    children_files: Option<ChartLinks>,
    map_files: Option<ChartLinks>,
    children_chart: Option<String>,
    map: Option<String>,
    /// The region in each slice of the indicator's dimension (perkotaan, perdesaan, jumlah).
    split: Option<Split>,
    /// The region's corrected, confirmed and held-back values of this indicator.
    notes: Vec<NoteLine>,
    /// The programmes the figures belong to.
    programs: Vec<Link>,
    /// Why the figures are illustrative, when they are.
    illustrative: Option<&'a str>,
    /// Its place among its neighbours on one scale (the parent's compare page, at its anchor).
    neighbours: Option<String>,
    /// Its own sub-regions on one scale, when it has two or more with figures.
    compare_children: Option<String>,
}

/// A region's figures split by a dimension: chart, its files and a table.
#[derive(Serialize)]
struct Split {
    /// "menurut daerah".
    heading: String,
    chart: String,
    files: Option<ChartLinks>,
    table: TableValue,
}

/// A dataset that is not an indicator (programme data by stage, budgets) on a region's page.
#[derive(Serialize)]
struct RegionDataset<'a> {
    title: &'a str,
    url: String,
    source: String,
    table: TableValue,
    /// The region's corrected, confirmed and held-back values in this dataset.
    notes: Vec<NoteLine>,
}

#[derive(Serialize)]
struct PageContext<'a> {
    #[serde(flatten)]
    base: Base,
    region: RegionRef,
    breadcrumbs: Vec<RegionRef>,
    children: Vec<RegionRef>,
    indicators: Vec<RegionIndicator<'a>>,
    datasets: Vec<RegionDataset<'a>>,
    related: Vec<&'a Value>,
    downloads: Vec<Link>,
    /// Every source of the region's figures, as a credit line.
    credits: String,
    /// Its news feed, when news name it or a region below it.
    feed: String,
    /// When part of it became regions of its own inside its series (Papua after 2022), said
    /// once for the whole page (each indicator's notes say it too, with its own period).
    territory: Option<String>,
}

fn page(cx: &Shared<'_>, code: &str) -> Result<OutputFile, Diagnostic> {
    let (site, views) = (cx.site, cx.views);
    let reg = &site.registry;
    let region = cx.region(code)?;
    let url = urls::region(reg, code);
    let datasets = site
        .region_datasets
        .get(code)
        .map_or(&[][..], Vec::as_slice);
    let mut credits: Vec<(String, String)> = datasets
        .iter()
        .map(|&d| {
            (
                site.datasets[d].source_line(),
                site.datasets[d].credit_line(),
            )
        })
        .filter(|(s, _)| !s.is_empty())
        .collect();
    credits.sort();
    credits.dedup();
    let credits: Vec<String> = credits.into_iter().map(|(_, c)| c).collect();
    let territory = notes::territory_text(site, code);
    let context = PageContext {
        territory,
        base: cx.base(&url, &region.nama),
        region: views.regions.get(code),
        breadcrumbs: reg
            .ancestors(code)
            .iter()
            .filter(|a| a.kode != code)
            .map(|a| views.regions.get(&a.kode))
            .collect(),
        children: region
            .children
            .iter()
            .filter(|k| site.region_pages.contains(*k))
            .map(|k| views.regions.get(k))
            .collect(),
        indicators: site
            .indicators
            .iter()
            .filter_map(|ind| region_indicator(cx, ind, code))
            .collect(),
        datasets: datasets
            .iter()
            .filter(|&&di| !site.indicators.iter().any(|i| i.dataset == di))
            .filter_map(|&di| region_dataset(cx, di, code, &region.nama))
            .collect(),
        related: related(cx, code),
        downloads: if datasets.is_empty() {
            Vec::new()
        } else {
            Format::ALL
                .iter()
                .map(|&f| Link {
                    name: f.label(),
                    url: urls::region_download(reg, code, f),
                })
                .chain(has_targets(cx, code).then(|| Link {
                    name: "Target (CSV)".into(),
                    url: urls::region_targets(reg, code),
                }))
                .collect()
        },
        credits: credits.join("; "),
        feed: super::feeds::region_feed_url(cx, code),
    };
    let (path, html) = cx.page(&url, "region.html", &context)?;
    if !crate::charts::choropleth::has_shapes(&html) {
        return Ok((path, html));
    }
    let text = String::from_utf8_lossy(&html);
    match crate::charts::choropleth::share_shapes(&text) {
        std::borrow::Cow::Owned(shared) => Ok((path, shared.into_bytes())),
        std::borrow::Cow::Borrowed(_) => Ok((path, html)),
    }
}

/// How the children of a region are called, from the first child's level.
fn children_level(cx: &Shared<'_>, code: &str) -> &'static str {
    let reg = &cx.site.registry;
    reg.get(code)
        .and_then(|r| r.children.first())
        .and_then(|k| reg.get(k))
        .map_or("wilayah", |r| r.jenis.level_plural())
}

fn region_indicator<'a>(
    cx: &Shared<'_>,
    ind: &'a Indicator,
    code: &str,
) -> Option<RegionIndicator<'a>> {
    let site = cx.site;
    let reg = &site.registry;
    let headline = ind.headline(reg, code)?;
    // The region, and for rates its province and the nation.
    let chain = figures::comparison_chain(site, ind, code);
    let periods = figures::chart_periods(ind, &chain);
    let table = TableValue {
        caption: format!(
            "{} ({}), {}",
            t(&ind.title),
            unit_label(&ind.unit),
            names(site, &chain)
        ),
        columns: chain
            .iter()
            .map(|k| reg.get(k).map_or(k.to_string(), |r| r.nama.clone()))
            .collect(),
        numeric: vec![true; chain.len()],
        rows: periods
            .iter()
            .rev()
            .map(|p| TableRow {
                label: p.label(),
                cells: chain
                    .iter()
                    .map(|k| {
                        ind.value(k, p)
                            .map_or_else(|| "–".to_string(), |v| bare_value(ind.decimals, v))
                    })
                    .collect(),
            })
            .collect(),
    };
    let line = figures::region_line(site, ind, code);
    let chart_files = charts::links(cx, ind, code, ChartKind::Line);
    let kids_period = figures::children_period(ind, site, code);
    let (children, children_chart, map) = match &kids_period {
        Some(p) => (
            ranked_children(site, cx.views, ind, code, p, None),
            figures::children_bars(site, ind, code, p, &format!("anak-{}", ind.slug), None)
                .map(|b| crate::charts::bar_chart(&b)),
            figures::map_svg(site, ind, code, p, &format!("peta-{}", ind.slug)),
        ),
        None => (Vec::new(), None, None),
    };
    Some(RegionIndicator {
        slug: &ind.slug,
        title: &ind.title,
        url: urls::indicator(&ind.slug),
        unit: &ind.unit,
        lower_is_better: ind.lower_is_better,
        source: &ind.source,
        credit: site.datasets[ind.dataset].credit_line(),
        headline,
        table,
        children,
        children_period: kids_period.map(|p| p.label()).unwrap_or_default(),
        children_level: children_level(cx, code),
        chart: match &chart_files {
            // The chart file holds the same drawing: drawn once for both.
            Some(_) if crate::i18n::lang() == crate::i18n::Lang::Id => cx
                .views
                .drawn
                .get(charts::line_key(ind, code), || {
                    crate::charts::line_chart(&line)
                })
                .to_string(),
            _ => crate::charts::line_chart(&line),
        },
        chart_desc: line.desc,
        chart_files,
        children_files: charts::links(cx, ind, code, ChartKind::Children),
        map_files: charts::links(cx, ind, code, ChartKind::Map),
        children_chart,
        map,
        split: split(cx, ind, code),
        notes: notes::indicator_notes(cx.site, ind, code),
        programs: crate::view::page::program_links(site, &ind.programs),
        illustrative: ind.illustrative.as_deref(),
        neighbours: super::compare::neighbours_url(site, ind, code),
        compare_children: (super::compare::members(site, ind, code).len() >= 2)
            .then(|| urls::compare_group(&site.registry, code, &ind.slug)),
    })
}

/// The split of a region's figures by the indicator's dimension, when it has one.
fn split(cx: &Shared<'_>, ind: &Indicator, code: &str) -> Option<Split> {
    let site = cx.site;
    let line = figures::split_line(site, ind, code)?;
    let dim = ind
        .slices
        .first()?
        .slice
        .as_ref()?
        .field_title
        .to_lowercase();
    let parts: Vec<&Indicator> = std::iter::once(ind).chain(&ind.slices).collect();
    let mut periods: Vec<&crate::data::period::Period> = parts
        .iter()
        .filter_map(|i| i.series.get(code))
        .flat_map(|s| s.keys())
        .collect();
    periods.sort();
    periods.dedup();
    let names: Vec<String> = line.series.iter().map(|s| s.name.clone()).collect();
    let table = TableValue {
        caption: tf(
            "{judul} ({satuan}) menurut {dimensi}, {wilayah}",
            &[
                ("judul", &t(&ind.title)),
                ("satuan", &unit_label(&ind.unit)),
                ("dimensi", &t(&dim)),
                (
                    "wilayah",
                    site.registry.get(code).map_or(code, |r| r.nama.as_str()),
                ),
            ],
        ),
        numeric: vec![true; names.len()],
        columns: names,
        rows: periods
            .iter()
            .rev()
            .map(|p| TableRow {
                label: p.label(),
                cells: parts
                    .iter()
                    .filter(|i| i.series.contains_key(code))
                    .map(|i| {
                        i.value(code, p)
                            .map_or_else(|| "–".to_string(), |v| bare_value(ind.decimals, v))
                    })
                    .collect(),
            })
            .collect(),
    };
    Some(Split {
        heading: tf("menurut {dimensi}", &[("dimensi", &t(&dim))]),
        chart: crate::charts::line_chart(&line),
        files: charts::links(cx, ind, code, ChartKind::Split),
        table,
    })
}

fn region_dataset<'a>(
    cx: &Shared<'a>,
    di: usize,
    code: &str,
    name: &str,
) -> Option<RegionDataset<'a>> {
    let d = &cx.site.datasets[di];
    let r = d.region?;
    let cols: Vec<usize> = (0..d.fields.len()).filter(|&f| f != r).collect();
    let notes = notes::dataset_notes(d, code);
    let rows: Vec<TableRow> = d
        .rows_of(code)
        .iter()
        .map(|&i| &d.rows[i])
        .map(|row| TableRow {
            label: String::new(),
            cells: cols
                .iter()
                .map(|&f| show_cell(&d.fields[f], &row.cells[f]))
                .collect(),
        })
        .collect();
    Some(RegionDataset {
        title: &d.title,
        url: urls::dataset(&d.slug),
        source: d.source_line(),
        table: TableValue {
            caption: format!("{} – {name}", t(&d.title)),
            columns: cols.iter().map(|&f| d.fields[f].title.clone()).collect(),
            numeric: cols
                .iter()
                .map(|&f| d.fields[f].role == Role::Measure)
                .collect(),
            rows,
        },
        notes,
    })
}

/// Every figure about a region, tidy: one value per row, with what happened to it.
fn table(cx: &Shared<'_>, code: &str) -> Table {
    let site = cx.site;
    let mut t = Table::new(&[
        "dataset",
        "kode_wilayah",
        "nama_wilayah",
        "tahun",
        "periode",
        "dimensi",
        "ukuran",
        "nilai",
        "satuan",
        crate::downloads::REMARKS,
    ]);
    let nama = site.registry.get(code).map_or("", |r| r.nama.as_str());
    for &di in site.region_datasets.get(code).into_iter().flatten() {
        let d = &site.datasets[di];
        if d.region.is_none() {
            continue;
        }
        for (ri, row) in d.rows_of(code).iter().map(|&i| (i, &d.rows[i])) {
            let dims: Vec<String> = d
                .dimensions()
                .map(|(i, f)| format!("{}={}", f.name, row.cells[i].plain()))
                .collect();
            let (year, per) = match &row.period {
                Some(p) => (p.year.to_string(), p.name.clone()),
                None => (String::new(), String::new()),
            };
            for (mi, m) in d.measures() {
                t.rows.push(vec![
                    Field::Text(d.slug.clone()),
                    Field::Text(code.to_string()),
                    Field::Text(nama.to_string()),
                    Field::Text(year.clone()),
                    Field::Text(per.clone()),
                    Field::Text(dims.join("; ")),
                    Field::Text(m.name.clone()),
                    row.cells[mi].as_f64().map_or(Field::Empty, Field::Num),
                    Field::Text(m.unit.clone()),
                    Field::Text(crate::downloads::remark(
                        d.illustrative.is_some(),
                        d.note(ri, mi).map(|n| n.text(m)).unwrap_or_default(),
                    )),
                ]);
            }
        }
    }
    t
}

/// The datasets with figures about a region.
fn region_datasets<'a>(cx: &Shared<'a>, code: &str) -> &'a [usize] {
    cx.site
        .region_datasets
        .get(code)
        .map_or(&[][..], Vec::as_slice)
}
