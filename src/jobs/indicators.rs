//! Indicator pages: the indicator index, each indicator's page (nation, provinces, kab/kota per province on one scale, full table) and its downloads.

use serde::Serialize;

use super::charts::{self, ChartKind, ChartLinks, figures};
use super::{Base, OutputFile, Shared, TableFile, TableOut};
use crate::data::period::Period;
use crate::data::registry::NATION;
use crate::depends::Reads;
use crate::diagnostic::Diagnostic;
use crate::downloads::Prepared;
use crate::downloads::{Field, Format, Table};
use crate::model::Indicator;
use crate::model::indicator::{Headline, bare_value};
use crate::urls;
use crate::view::tables::{Ranked, TableRow, TableValue, ranked_children, share, unit_label};
use crate::view::{IndicatorSummary, Link, RegionRef};

/// An indicator output (`index` indexes `site.indicators`).
#[derive(Debug, Clone)]
pub(crate) enum Job {
    Index,
    /// The page of the indicator, or of one of its slices (`slice` indexes `Indicator::slices`).
    Page {
        index: usize,
        slice: Option<usize>,
    },
    /// The indicator's values for every region and period.
    Download {
        index: usize,
        format: Format,
    },
    /// The Data Package descriptor of its CSV.
    Descriptor {
        index: usize,
    },
    /// Its targets for every region, each beside the figure of its year.
    Targets {
        index: usize,
    },
}

impl Job {
    /// The index or a page (which a translation has too), not a download.
    pub(super) fn is_page(&self) -> bool {
        matches!(self, Job::Index | Job::Page { .. })
    }

    pub(super) fn kind(&self) -> &'static str {
        match self {
            Job::Index => "daftar indikator",
            Job::Page { .. } => "halaman indikator",
            Job::Download { .. } | Job::Descriptor { .. } | Job::Targets { .. } => {
                "unduhan indikator"
            }
        }
    }

    /// Indicator pages and downloads are made of figures; the index is cheap and reads all.
    pub(super) fn reads(&self) -> Reads {
        match self {
            Job::Index => Reads::ALL,
            Job::Page { .. } => Reads::FIGURE_PAGES,
            Job::Download { .. } | Job::Descriptor { .. } | Job::Targets { .. } => Reads::FIGURES,
        }
    }

    pub(super) fn sitemap_url(&self, cx: &Shared<'_>) -> Option<String> {
        match self {
            Job::Index => Some(urls::INDICATORS.to_string()),
            Job::Page { index, slice } => Some(urls::indicator_of(pick(cx, *index, *slice))),
            _ => None,
        }
    }
}

pub(super) fn list(cx: &Shared<'_>) -> Vec<Job> {
    let mut jobs = vec![Job::Index];
    for (index, ind) in cx.site.indicators.iter().enumerate() {
        jobs.push(Job::Page { index, slice: None });
        jobs.extend((0..ind.slices.len()).map(|s| Job::Page {
            index,
            slice: Some(s),
        }));
        let formats = super::datasets::formats(&cx.site.datasets[ind.dataset]);
        jobs.extend(
            formats
                .into_iter()
                .map(|format| Job::Download { index, format }),
        );
        jobs.push(Job::Descriptor { index });
        if !ind.targets.is_empty() {
            jobs.push(Job::Targets { index });
        }
    }
    jobs
}

pub(super) fn render(cx: &Shared<'_>, job: &Job) -> Result<OutputFile, Diagnostic> {
    match job {
        Job::Index => index(cx),
        Job::Page { index, slice } => page(cx, &cx.site.indicators[*index], *slice),
        Job::Download { .. } | Job::Descriptor { .. } | Job::Targets { .. } => {
            cx.table_job(job.table_file(cx), job.kind())
        }
    }
}

impl Job {
    /// An indicator's downloads before they are written: its figures, their descriptor, its
    /// targets.
    pub(super) fn table_file(&self, cx: &Shared<'_>) -> Option<TableFile> {
        let site = cx.site;
        let shared = |index: usize| {
            let ind = &site.indicators[index];
            cx.views
                .tables
                .get(&format!("indikator {index}"), || table(cx, ind))
        };
        match self {
            Job::Index | Job::Page { .. } => None,
            Job::Download { index, format } => {
                let ind = &site.indicators[*index];
                Some(TableFile {
                    url: urls::indicator_download(&ind.slug, *format),
                    table: shared(*index),
                    out: TableOut::Download(*format),
                    title: ind.title.clone(),
                    datasets: vec![ind.dataset],
                })
            }
            Job::Descriptor { index } => {
                let ind = &site.indicators[*index];
                Some(TableFile {
                    url: urls::indicator_download(&ind.slug, Format::Csv),
                    table: shared(*index),
                    out: TableOut::Descriptor {
                        name: ind.slug.clone(),
                    },
                    title: ind.title.clone(),
                    datasets: vec![ind.dataset],
                })
            }
            Job::Targets { index } => {
                let ind = &site.indicators[*index];
                Some(TableFile {
                    url: urls::indicator_targets(&ind.slug),
                    table: Prepared::new(super::targets::table(site, [ind], |_| true)),
                    out: TableOut::Download(Format::Csv),
                    title: format!("Target {}", ind.title),
                    datasets: vec![ind.dataset],
                })
            }
        }
    }
}

/// The indicator at `index`, or its slice.
fn pick<'a>(cx: &Shared<'a>, index: usize, slice: Option<usize>) -> &'a Indicator {
    let ind = &cx.site.indicators[index];
    slice.map_or(ind, |s| &ind.slices[s])
}

#[derive(Serialize)]
struct IndexContext<'a> {
    #[serde(flatten)]
    base: Base,
    indicators: &'a [IndicatorSummary],
}

fn index(cx: &Shared<'_>) -> Result<OutputFile, Diagnostic> {
    let context = IndexContext {
        base: cx.base(urls::INDICATORS, "Indikator"),
        indicators: &cx.views.indicators,
    };
    cx.page(urls::INDICATORS, "indicators.html", &context)
}

/// What the page says about the indicator itself.
#[derive(Serialize)]
struct About<'a> {
    slug: &'a str,
    title: &'a str,
    description: &'a str,
    unit: &'a str,
    unit_label: String,
    lower_is_better: Option<bool>,
    source: &'a str,
    /// The source as a credit line, without a "Sumber:" label.
    credit: String,
    dataset_url: String,
    dataset_title: &'a str,
    /// The dimension this page is a slice of, when it is one (`Daerah: Perkotaan`).
    slice: Option<&'a crate::model::indicator::Slice>,
    /// The programmes the figures belong to.
    programs: Vec<Link>,
    /// Why the figures are illustrative, when they are.
    illustrative: Option<&'a str>,
}

/// A link to the whole or to one slice of an indicator, with whether it is this page.
#[derive(Serialize)]
struct SliceLink {
    name: String,
    url: String,
    current: bool,
}

/// A value of the indicator that was corrected, confirmed or held back.
#[derive(Serialize)]
struct NoteRow {
    region: RegionRef,
    period: String,
    status: &'static str,
    text: String,
}

/// One province's kab/kota, on the scale shared by all provinces.
#[derive(Serialize)]
struct Group {
    region: RegionRef,
    period: String,
    children: Vec<Ranked>,
    chart: Option<String>,
    map: Option<String>,
    files: Option<ChartLinks>,
    map_files: Option<ChartLinks>,
}

/// A region's latest value in the full table.
#[derive(Serialize)]
struct Latest {
    region: RegionRef,
    level: u8,
    headline: Headline,
}

#[derive(Serialize)]
struct PageContext<'a> {
    #[serde(flatten)]
    base: Base,
    indicator: About<'a>,
    latest: String,
    provinces: Vec<Ranked>,
    groups: Vec<Group>,
    provinces_chart: Option<String>,
    map: Option<String>,
    national_chart: Option<String>,
    national_files: Option<ChartLinks>,
    provinces_files: Option<ChartLinks>,
    map_files: Option<ChartLinks>,
    national: TableValue,
    national_headline: Option<Headline>,
    all: Vec<Latest>,
    /// Regions with figures that the table leaves out (past [`TABLE_MAX`] rows).
    #[serde(flatten)]
    left_out: super::levels::LeftOut,
    downloads: Vec<Link>,
    /// The whole and each slice (Jumlah, Perkotaan, Perdesaan), when the indicator has slices.
    slices: Vec<SliceLink>,
    /// Its corrected, confirmed and held-back values.
    notes: Vec<NoteRow>,
    /// schema.org `Dataset` markup for the page's head.
    jsonld: String,
}

/// The latest period with values for at least two provinces (or, failing that, any region).
fn latest_period(cx: &Shared<'_>, ind: &Indicator) -> Option<Period> {
    let reg = &cx.site.registry;
    ind.periods
        .iter()
        .rev()
        .find(|p| {
            reg.get(NATION).is_some_and(|n| {
                n.children
                    .iter()
                    .filter(|k| ind.value(k, p).is_some())
                    .count()
                    >= 2
            })
        })
        .or(ind.periods.last())
        .cloned()
}

/// Kab/kota of each province on one shared scale, each at the latest period it has.
fn groups(cx: &Shared<'_>, ind: &Indicator) -> Vec<Group> {
    let site = cx.site;
    let reg = &site.registry;
    let mut global_max: f64 = 0.0;
    let mut raw = Vec::new();
    for prov in reg
        .get(NATION)
        .map(|n| n.children.clone())
        .unwrap_or_default()
    {
        let Some(pr) = reg.get(&prov) else { continue };
        let Some(period) = ind
            .periods
            .iter()
            .rev()
            .find(|pp| pr.children.iter().any(|k| ind.value(k, pp).is_some()))
            .cloned()
        else {
            continue;
        };
        let kids = ranked_children(site, cx.views, ind, &prov, &period, None);
        if kids.is_empty() {
            continue;
        }
        global_max = kids.iter().map(|k| k.value).fold(global_max, f64::max);
        raw.push((prov, period, kids));
    }
    raw.into_iter()
        .map(|(prov, period, mut kids)| {
            for k in &mut kids {
                k.share = share(k.value, global_max);
            }
            let id = format!("kab-{}", prov.replace('.', "-"));
            Group {
                chart: figures::children_bars(site, ind, &prov, &period, &id, Some(global_max))
                    .map(|b| crate::charts::bar_chart(&b)),
                map: figures::map_svg(site, ind, &prov, &period, &format!("peta-{id}")),
                files: charts::links(cx, ind, &prov, ChartKind::Children),
                map_files: charts::links(cx, ind, &prov, ChartKind::Map),
                region: cx.views.regions.get(&prov),
                period: period.label(),
                children: kids,
            }
        })
        .collect()
}

fn national_table(ind: &Indicator) -> TableValue {
    TableValue {
        caption: format!(
            "{} ({}), Indonesia",
            crate::i18n::t(&ind.title),
            unit_label(&ind.unit)
        ),
        columns: vec!["Indonesia".into()],
        numeric: vec![true],
        rows: ind
            .series
            .get(NATION)
            .map(|s| {
                s.iter()
                    .rev()
                    .map(|(p, v)| TableRow {
                        label: p.label(),
                        cells: vec![bare_value(ind.decimals, *v)],
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Links to the whole indicator and its slices, for the page of `ind` (one of them).
fn slice_links(whole: &Indicator, ind: &Indicator, cx: &Shared<'_>) -> Vec<SliceLink> {
    if whole.slices.is_empty() {
        return Vec::new();
    }
    let default = cx.site.datasets[whole.dataset]
        .dimensions()
        .filter_map(|(_, f)| f.default.clone())
        .collect::<Vec<_>>()
        .join(", ");
    std::iter::once((default, whole))
        .chain(whole.slices.iter().map(|s| {
            (
                s.slice
                    .as_ref()
                    .map(|x| x.value.clone())
                    .unwrap_or_default(),
                s,
            )
        }))
        .map(|(name, i)| SliceLink {
            name,
            url: urls::indicator_of(i),
            current: std::ptr::eq(i, ind),
        })
        .collect()
}

/// The notes of an indicator's values, region by region.
fn notes(cx: &Shared<'_>, ind: &Indicator) -> Vec<NoteRow> {
    let field = cx.site.datasets[ind.dataset]
        .fields
        .iter()
        .find(|f| f.name == ind.field);
    ind.notes
        .iter()
        .filter_map(|((code, period), n)| {
            Some(NoteRow {
                region: cx.views.regions.get(code),
                period: period.label(),
                status: n.status(),
                text: n.text(field?),
            })
        })
        .collect()
}

/// Most rows of an indicator page's table of every region.
const TABLE_MAX: usize = 3_000;

fn page(
    cx: &Shared<'_>,
    whole: &Indicator,
    slice: Option<usize>,
) -> Result<OutputFile, Diagnostic> {
    let site = cx.site;
    let reg = &site.registry;
    let ind = slice.map_or(whole, |s| &whole.slices[s]);
    let url = urls::indicator_of(ind);
    let latest = latest_period(cx, ind);
    let (listed, left_out) = super::levels::cut(reg, ind.series.keys(), |_| 1, TABLE_MAX);
    let (provinces, groups) = match &latest {
        Some(p) => (
            ranked_children(site, cx.views, ind, NATION, p, None),
            groups(cx, ind),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let context = PageContext {
        base: cx.base(&url, &crate::i18n::t(&ind.title)),
        indicator: About {
            slug: &ind.slug,
            title: &ind.title,
            description: &ind.description,
            unit: &ind.unit,
            unit_label: unit_label(&ind.unit),
            lower_is_better: ind.lower_is_better,
            source: &ind.source,
            credit: site.datasets[ind.dataset].credit_line(),
            dataset_url: urls::dataset(&ind.dataset_slug),
            dataset_title: &site.datasets[ind.dataset].title,
            slice: ind.slice.as_ref(),
            programs: crate::view::page::program_links(site, &ind.programs),
            illustrative: ind.illustrative.as_deref(),
        },
        latest: latest.as_ref().map(|p| p.label()).unwrap_or_default(),
        provinces,
        groups,
        provinces_chart: latest.as_ref().and_then(|p| {
            figures::children_bars(site, ind, NATION, p, "provinsi", None)
                .map(|b| crate::charts::bar_chart(&b))
        }),
        map: latest
            .as_ref()
            .and_then(|p| figures::map_svg(site, ind, NATION, p, "peta-provinsi")),
        national_chart: ind
            .series
            .contains_key(NATION)
            .then(|| crate::charts::line_chart(&figures::region_line(site, ind, NATION))),
        national_files: charts::links(cx, ind, NATION, ChartKind::Line),
        provinces_files: charts::links(cx, ind, NATION, ChartKind::Children),
        map_files: charts::links(cx, ind, NATION, ChartKind::Map),
        national: national_table(ind),
        national_headline: ind.headline(reg, NATION),
        all: listed
            .into_iter()
            .filter_map(|k| {
                Some(Latest {
                    headline: ind.headline(reg, k)?,
                    region: cx.views.regions.get(k),
                    level: reg.get(k).map_or(9, |x| x.jenis.level()),
                })
            })
            .collect(),
        left_out,
        downloads: super::datasets::formats(&site.datasets[ind.dataset])
            .iter()
            .map(|&f| Link {
                name: f.label(),
                url: urls::indicator_download(&ind.slug, f),
            })
            .chain((!whole.targets.is_empty()).then(|| Link {
                name: "Target (CSV)".into(),
                url: urls::indicator_targets(&whole.slug),
            }))
            .collect(),
        slices: slice_links(whole, ind, cx),
        notes: notes(cx, ind),
        jsonld: crate::view::metadata::script(&crate::view::metadata::indicator_schema(site, ind)),
    };
    cx.page(&url, "indicator.html", &context)
}

/// The indicator for every region and period, tidy: the whole and each slice, with the
/// dimension columns and what happened to each value.
fn table(cx: &Shared<'_>, ind: &Indicator) -> Table {
    let site = cx.site;
    let ds = &site.datasets[ind.dataset];
    let dims: Vec<&crate::data::dataset::FieldInfo> = ds.dimensions().map(|(_, f)| f).collect();
    let field = ds.fields.iter().find(|f| f.name == ind.field);
    let mut columns = vec!["kode_wilayah", "nama_wilayah", "jenis", "tahun", "periode"];
    columns.extend(dims.iter().map(|f| f.name.as_str()));
    columns.extend([ind.field.as_str(), crate::downloads::REMARKS]);
    let mut t = Table::new(&columns);
    for part in std::iter::once(ind).chain(&ind.slices) {
        let dim_values: Vec<Field> = dims
            .iter()
            .map(|d| {
                Field::Text(match &part.slice {
                    Some(s) if s.field == d.name => s.value.clone(),
                    _ => d.default.clone().unwrap_or_default(),
                })
            })
            .collect();
        let mut keys: std::collections::BTreeSet<(&String, &Period)> = part
            .series
            .iter()
            .flat_map(|(k, s)| s.keys().map(move |p| (k, p)))
            .collect();
        keys.extend(part.notes.keys().map(|(k, p)| (k, p)));
        // The notes in the same (region, period) order, walked beside the keys (a lookup
        // copied the region and period for every row: a desa indicator has 500,000).
        let mut notes = part.notes.iter().peekable();
        for (code, p) in keys {
            let r = site.registry.get(code);
            let mut row = vec![
                Field::Text(code.clone()),
                Field::Text(r.map_or_else(String::new, |r| r.nama.clone())),
                Field::Text(r.map_or("", |r| r.jenis.key()).to_string()),
                Field::Num(f64::from(p.year)),
                Field::Text(p.name.clone()),
            ];
            row.extend(dim_values.iter().cloned());
            row.push(part.value(code, p).map_or(Field::Empty, Field::Num));
            while notes.next_if(|((c, q), _)| (c, q) < (code, p)).is_some() {}
            let note = notes
                .next_if(|((c, q), _)| c == code && q == p)
                .map(|(_, n)| n);
            row.push(Field::Text(crate::downloads::remark(
                ind.illustrative.is_some(),
                note.zip(field).map(|(n, f)| n.text(f)).unwrap_or_default(),
            )));
            t.rows.push(row);
        }
    }
    t
}
