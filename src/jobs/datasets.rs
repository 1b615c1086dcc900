//! Dataset pages: the data catalogue, each dataset's page, its downloads (CSV, JSON, XLSX) and its Data Package descriptor.

use serde::Serialize;

use super::{Base, OutputFile, Shared, TableFile, TableOut};
use crate::data::dataset::{Dataset, FieldInfo, Role};
use crate::data::descriptor::{Contributor, License, Source};
use crate::depends::Reads;
use crate::diagnostic::{Code, Diagnostic};
use crate::downloads::{Field, Format, Table};
use crate::model::indicator::format_value;
use crate::view::metadata;
use crate::view::tables::{TableRow, TableValue, dataset_table, show_cell};
use crate::view::{DatasetSummary, Link, RegionRef};
use crate::{published, urls};

/// A dataset output (`index` indexes `site.datasets`).
#[derive(Debug, Clone)]
pub(crate) enum Job {
    Catalog,
    Page {
        index: usize,
    },
    /// The dataset as a tidy table, region names beside codes.
    Download {
        index: usize,
        format: Format,
    },
    /// Its `datapackage.json`, describing the published CSV.
    Descriptor {
        index: usize,
    },
    /// The regions its rows name (`wilayah.csv`), the target of the descriptor's foreign key.
    RegionList {
        index: usize,
    },
    /// A file of a released version, bytes as kept in `rilis/`: `/data/<slug>/v1.0.0/<file>`.
    ReleaseFile {
        index: usize,
        release: usize,
        file: String,
    },
    /// The catalogue in DCAT-US 1.1 (`/data.json`).
    DataJson,
    /// The catalogue as DCAT-AP JSON-LD (`/katalog.jsonld`).
    DcatJsonLd,
    /// The datasets with one value of one facet (`/data/telusur/tema/pkh/`).
    Facet {
        facet: usize,
        value: usize,
    },
}

impl Job {
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Job::Catalog | Job::DataJson | Job::DcatJsonLd | Job::Facet { .. } => "katalog",
            Job::Page { .. } | Job::Descriptor { .. } | Job::RegionList { .. } => "halaman dataset",
            Job::Download { .. } => "unduhan dataset",
            Job::ReleaseFile { .. } => "rilis dataset",
        }
    }

    /// A dataset's page, downloads and released files are made of its figures and metadata;
    /// the catalogue and its metadata files are cheap and read all.
    pub(super) fn reads(&self) -> Reads {
        match self {
            Job::Catalog | Job::DataJson | Job::DcatJsonLd | Job::Facet { .. } => Reads::ALL,
            Job::Page { .. } | Job::RegionList { .. } => Reads::FIGURE_PAGES,
            Job::Download { .. } | Job::Descriptor { .. } | Job::ReleaseFile { .. } => {
                Reads::FIGURES
            }
        }
    }

    pub(super) fn sitemap_url(&self, cx: &Shared<'_>) -> Option<String> {
        match self {
            Job::Catalog => Some(urls::CATALOG.to_string()),
            Job::Facet { facet, value } => Some(cx.views.facets[*facet].values[*value].url.clone()),
            Job::Page { index } => Some(urls::dataset(&cx.site.datasets[*index].slug)),
            _ => None,
        }
    }
}

pub(super) fn list(cx: &Shared<'_>) -> Vec<Job> {
    let mut jobs = vec![Job::Catalog, Job::DataJson, Job::DcatJsonLd];
    for (facet, f) in cx.views.facets.iter().enumerate() {
        jobs.extend((0..f.values.len()).map(|value| Job::Facet { facet, value }));
    }
    for index in 0..cx.site.datasets.len() {
        jobs.push(Job::Page { index });
        jobs.extend(
            published(&cx.site.datasets[index])
                .into_iter()
                .map(|file| match file {
                    Published::Download(format) => Job::Download { index, format },
                    Published::Descriptor => Job::Descriptor { index },
                    Published::RegionList => Job::RegionList { index },
                }),
        );
        for (release, r) in cx.site.datasets[index].releases.iter().enumerate() {
            jobs.extend(r.files.keys().map(|file| Job::ReleaseFile {
                index,
                release,
                file: file.clone(),
            }));
        }
    }
    jobs
}

pub(super) fn render(cx: &Shared<'_>, job: &Job) -> Result<OutputFile, Diagnostic> {
    match job {
        Job::Catalog => catalog(cx),
        Job::Page { index } => page(cx, *index),
        Job::Download { .. } => cx.table_job(job.table_file(cx), job.kind()),
        Job::Descriptor { index } => descriptor(&cx.site.datasets[*index]),
        Job::RegionList { index } => Ok(region_list(cx, &cx.site.datasets[*index])),
        Job::ReleaseFile {
            index,
            release,
            file,
        } => {
            let d = &cx.site.datasets[*index];
            let r = &d.releases[*release];
            let url = urls::dataset_release_file(&d.slug, &r.version, file);
            Ok((urls::file_of(&url), r.files[file].clone()))
        }
        Job::Facet { facet, value } => facet_page(cx, *facet, *value),
        Job::DataJson => json_file(urls::DATA_JSON, &metadata::data_json(cx.site)),
        Job::DcatJsonLd => json_file(urls::DCAT_JSONLD, &metadata::dcat_jsonld(cx.site)),
    }
}

/// A JSON output, pretty-printed with a final newline.
fn json_file(url: &str, v: &serde_json::Value) -> Result<OutputFile, Diagnostic> {
    let mut text = serde_json::to_string_pretty(v).map_err(|e| {
        Diagnostic::error(
            Code::Internal,
            url,
            format!("tidak bisa menyusun {url}: {e}"),
        )
    })?;
    text.push('\n');
    Ok((urls::file_of(url), text.into_bytes()))
}

/// A file a dataset publishes at its own URL (and a release keeps).
pub(crate) enum Published {
    /// The data in one format.
    Download(Format),
    /// `datapackage.json`.
    Descriptor,
    /// `wilayah.csv`, the regions its rows name (only with a region column).
    RegionList,
}

impl Published {
    /// Where the file is published.
    pub(crate) fn url(&self, d: &Dataset) -> String {
        match self {
            Published::Download(f) => urls::dataset_download(&d.slug, *f),
            Published::Descriptor => urls::dataset_descriptor(&d.slug),
            Published::RegionList => urls::dataset_region_list(&d.slug),
        }
    }
}

/// Every file a dataset publishes: its descriptor, its region list and its downloads.
pub(crate) fn published(d: &Dataset) -> Vec<Published> {
    let mut out = vec![Published::Descriptor];
    if d.region.is_some() {
        out.push(Published::RegionList);
    }
    out.extend(formats(d).into_iter().map(Published::Download));
    out
}

/// The download formats of a dataset: no XLSX when it would not fit a sheet (decided at load,
/// with a warning).
pub(crate) fn formats(d: &Dataset) -> Vec<Format> {
    Format::ALL
        .into_iter()
        .filter(|f| {
            *f != Format::Xlsx || crate::downloads::fits_xlsx(d.rows.len(), d.fields.len() + 2)
        })
        .collect()
}

#[derive(Serialize)]
struct CatalogContext<'a> {
    #[serde(flatten)]
    base: Base,
    datasets: &'a [DatasetSummary],
    /// The data releases feed.
    feed: String,
    /// Ways to browse the catalogue, with counts.
    facets: &'a [crate::view::facets::Facet],
}

#[derive(Serialize)]
struct FacetContext<'a> {
    #[serde(flatten)]
    base: Base,
    /// The facet's title ("Tema") and the value's name ("pkh").
    facet: &'a str,
    value: &'a str,
    datasets: Vec<&'a DatasetSummary>,
    facets: &'a [crate::view::facets::Facet],
}

fn facet_page(cx: &Shared<'_>, facet: usize, value: usize) -> Result<OutputFile, Diagnostic> {
    let f = &cx.views.facets[facet];
    let v = &f.values[value];
    let context = FacetContext {
        base: cx.base(&v.url, &format!("Katalog data: {} {}", f.title, v.name)),
        facet: f.title,
        value: &v.name,
        datasets: v.datasets.iter().map(|&i| &cx.views.datasets[i]).collect(),
        facets: &cx.views.facets,
    };
    cx.page(&v.url, "facet.html", &context)
}

fn catalog(cx: &Shared<'_>) -> Result<OutputFile, Diagnostic> {
    let context = CatalogContext {
        base: cx.base(urls::CATALOG, "Katalog data"),
        datasets: &cx.views.datasets,
        feed: if cx.site.datasets.is_empty() {
            String::new()
        } else {
            format!("{}feed.xml", urls::CATALOG)
        },
        facets: &cx.views.facets,
    };
    cx.page(urls::CATALOG, "catalog.html", &context)
}

/// The sum of a money measure over all rows, where the rows add up.
#[derive(Serialize)]
struct Total<'a> {
    title: &'a str,
    total: String,
    words: String,
}

#[derive(Serialize)]
struct PageContext<'a> {
    #[serde(flatten)]
    base: Base,
    dataset: &'a DatasetSummary,
    licenses: &'a [License],
    sources: &'a [Source],
    contributors: &'a [Contributor],
    keywords: &'a [String],
    created: String,
    fields: &'a [FieldInfo],
    preview: TableValue,
    preview_limit: usize,
    totals: Vec<Total<'a>>,
    indicators: Vec<Link>,
    downloads: Vec<Link>,
    regions: Vec<RegionRef>,
    /// Its corrected, confirmed and held-back values (the first [`NOTES_SHOWN`]).
    notes: Vec<NoteRow>,
    /// How many there are in all, when that is more than the page lists ("34.520"), else "".
    notes_total: String,
    /// Where its source tables disagreed, which sources were declared to win.
    precedence: Vec<String>,
    /// The programmes the figures belong to.
    programs: Vec<Link>,
    /// Why the figures are illustrative, when they are.
    illustrative: Option<&'a str>,
    /// schema.org `Dataset` markup for the page's head.
    jsonld: String,
    /// Its versions, newest first, with what changed and their files.
    versions: Vec<&'a crate::view::releases::Version>,
    /// How to cite it: sources, title, version and address.
    cite: Cite,
}

/// A dataset's citation: who made the figures, which version, where it is.
#[derive(Serialize)]
struct Cite {
    credit: String,
    version: Option<String>,
    /// Whether the version has addresses that never change.
    released: bool,
    url: String,
}

/// Rows shown on a dataset's page.
const PREVIEW: usize = 50;

fn preview(d: &Dataset) -> TableValue {
    TableValue {
        caption: format!("{} (pratinjau)", d.title),
        columns: d.fields.iter().map(|f| f.title.clone()).collect(),
        numeric: d.fields.iter().map(|f| f.role == Role::Measure).collect(),
        rows: d
            .rows
            .iter()
            .take(PREVIEW)
            .map(|row| TableRow {
                label: String::new(),
                cells: d
                    .fields
                    .iter()
                    .zip(&row.cells)
                    .map(|(f, cell)| show_cell(f, cell))
                    .collect(),
            })
            .collect(),
    }
}

/// Totals of each measure over the dataset's rows, where its values add up: the measure declares
/// `lumbung:additive` over every dimension (and over the region when rows name several), as PKH
/// payments do over stages. A budget's realisasi and rencana, or families counted at each stage,
/// never add up, so they get no total.
fn totals(d: &Dataset) -> Vec<Total<'_>> {
    let dims: Vec<&str> = d.dimensions().map(|(_, f)| f.name.as_str()).collect();
    if dims.is_empty() {
        return Vec::new();
    }
    // Whether the rows name more than one region (asked without collecting them: a desa
    // dataset has half a million rows).
    let many_regions = d.region.is_some_and(|r| {
        let mut codes = d.rows.iter().map(|row| row.cells[r].plain());
        codes
            .next()
            .is_some_and(|first| codes.any(|code| code != first))
    });
    let region_field = d.region.map(|r| d.fields[r].name.as_str());
    d.measures()
        .filter(|(_, f)| {
            dims.iter().all(|dim| f.additive.iter().any(|a| a == dim))
                && (!many_regions
                    || region_field.is_some_and(|r| f.additive.iter().any(|a| a == r)))
        })
        .map(|(mi, f)| {
            let sum: f64 = d.rows.iter().filter_map(|r| r.cells[mi].as_f64()).sum();
            Total {
                title: &f.title,
                total: format_value(&f.unit, f.decimals, sum),
                words: if f.unit == "rupiah" {
                    crate::locale::rupiah(sum)
                } else {
                    String::new()
                },
            }
        })
        .collect()
}

/// A corrected, confirmed or held-back value of a dataset.
#[derive(Serialize)]
struct NoteRow {
    region: RegionRef,
    period: String,
    field: String,
    status: &'static str,
    text: String,
}

/// How many corrected and held-back values a dataset page lists: a synthetic or badly
/// exported table can flag tens of thousands (a 9 MB page); all of them are in the downloads'
/// `catatan` column, which the page points to.
const NOTES_SHOWN: usize = 200;

fn note_rows(cx: &Shared<'_>, d: &Dataset) -> Vec<NoteRow> {
    d.notes
        .iter()
        .take(NOTES_SHOWN)
        .map(|n| {
            let row = &d.rows[n.row];
            let f = &d.fields[n.field];
            NoteRow {
                region: d
                    .region
                    .map(|r| cx.views.regions.get(&row.cells[r].plain()))
                    .unwrap_or_else(|| cx.views.regions.get("")),
                period: row.period.as_ref().map(|p| p.label()).unwrap_or_default(),
                field: f.title.clone(),
                status: n.status(),
                text: n.text(f),
            }
        })
        .collect()
}

fn page(cx: &Shared<'_>, i: usize) -> Result<OutputFile, Diagnostic> {
    let site = cx.site;
    let d = &site.datasets[i];
    let summary = &cx.views.datasets[i];
    let url = urls::dataset(&d.slug);
    let mut downloads: Vec<Link> = formats(d)
        .iter()
        .map(|&f| Link {
            name: f.label(),
            url: urls::dataset_download(&d.slug, f),
        })
        .collect();
    downloads.push(Link {
        name: "Data Package (JSON)".into(),
        url: urls::dataset_descriptor(&d.slug),
    });
    let pkg = &d.package;
    let history = &cx.views.histories[i];
    let context = PageContext {
        base: cx.base(&url, &d.title),
        dataset: summary,
        licenses: &pkg.licenses,
        sources: &pkg.sources,
        contributors: &pkg.contributors,
        keywords: &pkg.keywords,
        created: d.created.map(|x| x.shown()).unwrap_or_default(),
        fields: &d.fields,
        preview: preview(d),
        preview_limit: PREVIEW.min(d.rows.len()),
        totals: totals(d),
        indicators: site
            .indicators
            .iter()
            .filter(|x| x.dataset == i)
            .map(|x| Link {
                name: x.title.clone(),
                url: urls::indicator(&x.slug),
            })
            .collect(),
        downloads,
        regions: summary
            .region_codes
            .iter()
            .map(|k| cx.views.regions.get(k))
            .collect(),
        notes: note_rows(cx, d),
        notes_total: if d.notes.len() > NOTES_SHOWN {
            crate::locale::number(d.notes.len() as f64, 0)
        } else {
            String::new()
        },
        precedence: pkg
            .extra
            .get("lumbung:precedence")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        programs: crate::view::page::program_links(site, &pkg.programs),
        illustrative: d.illustrative.as_deref(),
        jsonld: metadata::script(&metadata::dataset_schema(site, d)),
        versions: history.versions.iter().rev().collect(),
        cite: Cite {
            credit: d.credit_line(),
            version: history.current.clone(),
            released: history.versions.iter().any(|v| v.current && v.released),
            url: urls::absolute(&site.config.base_url, &history.cite_url),
        },
    };
    cx.page(&url, "dataset.html", &context)
}

impl Job {
    /// A dataset's downloads before they are written: its figures as CSV, JSON or XLSX.
    pub(super) fn table_file(&self, cx: &Shared<'_>) -> Option<TableFile> {
        let Job::Download { index, format } = self else {
            return None;
        };
        let d = &cx.site.datasets[*index];
        Some(TableFile {
            url: urls::dataset_download(&d.slug, *format),
            table: cx
                .views
                .tables
                .get(&format!("dataset {index}"), || dataset_table(cx.site, d)),
            out: TableOut::Download(*format),
            title: d.title.clone(),
            datasets: vec![*index],
        })
    }
}

/// The descriptor of the published CSV (comma-separated, dot decimals, empty for missing) and,
/// when the dataset has a region column, of its region list, the target of that column's
/// foreign key; valid for the Frictionless validator (no `null`s, `created` a date-time).
fn descriptor(d: &Dataset) -> Result<OutputFile, Diagnostic> {
    let mut pkg = d.package.clone();
    let region_field = d.region.map(|r| d.fields[r].name.clone());
    if let Some(res) = pkg.resources.first_mut() {
        let csv = urls::dataset_download(&d.slug, Format::Csv);
        res.path = Some(serde_json::Value::String(
            csv.rsplit('/').next().unwrap_or_default().to_string(),
        ));
        res.dialect = Default::default();
        if let Some(schema) = res.schema.as_mut() {
            for f in &mut schema.fields {
                f.decimal_char = None;
                f.group_char = None;
                // The published CSV carries Kemendagri codes whatever the source used.
                f.codes = None;
            }
            schema.missing_values = vec![String::new()];
            // The region column now points at the region list published beside it.
            schema.foreign_keys.clear();
            // The columns the download adds: region names beside codes, and remarks.
            let added = |name: &str, title: &str, description: &str| {
                serde_json::from_value::<crate::data::descriptor::Field>(serde_json::json!({
                    "name": name, "type": "string", "title": title, "description": description,
                }))
            };
            if let Some(r) = d.region
                && let Ok(f) = added(
                    "nama_wilayah",
                    "Nama wilayah",
                    "Nama wilayah menurut data/wilayah.csv portal ini",
                )
            {
                schema.fields.insert(r + 1, f);
            }
            if (!d.notes.is_empty() || d.illustrative.is_some())
                && let Ok(f) = added(
                    crate::downloads::REMARKS,
                    "Catatan",
                    "Nilai yang dikoreksi, dikonfirmasi atau ditahan oleh pemeriksaan, dengan alasan dan sumbernya",
                )
            {
                schema.fields.push(f);
            }
        }
    }
    let mut v = published::package_json(&pkg);
    if let Some(field) = &region_field
        && let Some(resources) = v["resources"].as_array_mut()
    {
        if let Some(first) = resources.first_mut() {
            first["schema"]["foreignKeys"] =
                serde_json::json!([published::region_foreign_key(field)]);
        }
        resources.truncate(1);
        resources.push(published::region_resource());
    }
    let mut bytes = serde_json::to_vec_pretty(&v)
        .map_err(|e| Diagnostic::error(Code::Internal, &d.descriptor_file, e.to_string()))?;
    bytes.push(b'\n');
    Ok((urls::file_of(&urls::dataset_descriptor(&d.slug)), bytes))
}

/// The regions a dataset's rows name, with every region above them, in code order: the
/// published region list its descriptor's foreign key points at.
fn region_list(cx: &Shared<'_>, d: &Dataset) -> OutputFile {
    let registry = &cx.site.registry;
    let mut codes = std::collections::BTreeSet::new();
    if let Some(r) = d.region {
        // Each region once (a desa dataset names each in several rows).
        let mut seen = rustc_hash::FxHashSet::default();
        for row in &d.rows {
            if let Some(k) = row.cells[r].as_text()
                && seen.insert(k)
            {
                codes.extend(registry.ancestors(k).into_iter().map(|x| x.kode.as_str()));
            }
        }
    }
    let mut t = Table::new(&["kode_wilayah", "nama_wilayah", "tingkat", "kode_induk"]);
    for code in codes {
        if let Some(r) = registry.get(code) {
            let text = |s: &str| Field::Text(s.to_string());
            t.rows.push(vec![
                text(&r.kode),
                text(&r.nama),
                text(r.jenis.key()),
                r.induk.as_deref().map_or(Field::Empty, text),
            ]);
        }
    }
    (
        urls::file_of(&urls::dataset_region_list(&d.slug)),
        t.to_csv(),
    )
}
