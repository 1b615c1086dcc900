//! Template values built once per build and shared by every output that shows them: page cards, region references, dataset and indicator summaries.
//!
//! Modelled on Zola's `RenderCache`: a page is serialised to a template value once, and the
//! home page, section lists, tag pages, related lists and the feed all reuse that value.

pub(crate) mod facets;
pub(crate) mod metadata;
pub(crate) mod notes;
pub(crate) mod page;
pub(crate) mod programs;
pub(crate) mod releases;
pub(crate) mod tables;

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::data::dataset::Dataset;
use crate::data::period::Period;
use crate::data::registry::NATION;
use crate::model::indicator::Headline;
use crate::model::{Indicator, Site};
use crate::urls;

/// A link with its text.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Link {
    pub name: String,
    pub url: String,
}

/// A reference to a region: code, name, kind and its page (empty when it has none).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RegionRef {
    pub kode: String,
    pub nama: String,
    pub jenis: String,
    pub url: String,
}

/// Every region of the registry as a reference, built once.
pub(crate) struct Regions {
    refs: HashMap<String, RegionRef>,
}

impl Regions {
    fn new(site: &Site) -> Regions {
        let refs = site
            .registry
            .regions
            .values()
            .map(|r| {
                let url = if site.region_pages.contains(&r.kode) {
                    urls::region(&site.registry, &r.kode)
                } else {
                    String::new()
                };
                (
                    r.kode.clone(),
                    RegionRef {
                        kode: r.kode.clone(),
                        nama: r.nama.clone(),
                        jenis: r.jenis.key().to_string(),
                        url,
                    },
                )
            })
            .collect();
        Regions { refs }
    }

    /// The reference of `code`; a code the registry lacks is shown as itself, without a link.
    pub(crate) fn get(&self, code: &str) -> RegionRef {
        self.refs.get(code).cloned().unwrap_or_else(|| RegionRef {
            kode: code.to_string(),
            nama: code.to_string(),
            jenis: String::new(),
            url: String::new(),
        })
    }
}

/// A dataset as the catalogue and its page summarise it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DatasetSummary {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub description: String,
    pub rows: usize,
    /// How many regions it has rows about.
    pub regions: usize,
    /// The first and last period (one when they are the same, none without a time field).
    pub periods: Vec<String>,
    pub source: String,
    pub updated: String,
    pub measures: Vec<String>,
    /// The codes of those regions, in code order.
    #[serde(skip)]
    pub region_codes: Vec<String>,
}

impl DatasetSummary {
    fn new(d: &Dataset) -> DatasetSummary {
        let region_codes: BTreeSet<&str> = d
            .region
            .map(|r| {
                d.rows
                    .iter()
                    .filter_map(|row| row.cells[r].as_text())
                    .collect()
            })
            .unwrap_or_default();
        let mut all: Vec<&Period> = d.rows.iter().filter_map(|r| r.period.as_ref()).collect();
        all.sort();
        all.dedup();
        let periods = match (all.first(), all.last()) {
            (Some(a), Some(b)) if a != b => vec![a.label(), b.label()],
            (Some(a), _) => vec![a.label()],
            _ => vec![],
        };
        DatasetSummary {
            slug: d.slug.clone(),
            title: d.title.clone(),
            url: urls::dataset(&d.slug),
            description: d.description.clone(),
            rows: d.rows.len(),
            regions: region_codes.len(),
            periods,
            source: d.source_line(),
            updated: d.updated.map(|x| x.shown()).unwrap_or_default(),
            measures: d.measures().map(|(_, f)| f.title.clone()).collect(),
            region_codes: region_codes.into_iter().map(str::to_string).collect(),
        }
    }
}

/// An indicator as the indicator index and the home page summarise it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct IndicatorSummary {
    pub title: String,
    pub url: String,
    pub unit: String,
    pub description: String,
    /// The national headline, when the nation has a value.
    pub headline: Option<Headline>,
    /// How many regions have a series.
    pub regions: usize,
    pub first: Option<Period>,
    pub last: Option<Period>,
    /// Its dataset's sources, as a credit line.
    pub credit: String,
}

impl IndicatorSummary {
    fn new(site: &Site, ind: &Indicator) -> IndicatorSummary {
        IndicatorSummary {
            title: ind.title.clone(),
            url: urls::indicator(&ind.slug),
            unit: ind.unit.clone(),
            description: ind.description.clone(),
            headline: ind.headline(&site.registry, NATION),
            regions: ind.series.len(),
            first: ind.periods.first().cloned(),
            last: ind.periods.last().cloned(),
            credit: site.datasets[ind.dataset].credit_line(),
        }
    }
}

/// Everything serialised once, indexed like the model (`cards[i]` is `site.pages[i]`).
pub(crate) struct ViewCache {
    /// Each page's card as a template value.
    pub cards: Vec<tera::Value>,
    pub regions: Regions,
    pub datasets: Vec<DatasetSummary>,
    pub indicators: Vec<IndicatorSummary>,
    /// The catalogue's facets (theme, source, programme, level, format) with their values.
    pub facets: Vec<facets::Facet>,
    /// Each dataset's versions, in `site.datasets` order.
    pub histories: Vec<releases::History>,
    /// This cache's number, unique in the process (one per build and language): what a value
    /// remembered on a thread between jobs belongs to, so that no later build takes it.
    pub id: u64,
    /// The SHA-256 of each dataset's descriptor (its `Debug` text), in `site.datasets` order:
    /// what a download crediting it is keyed by.
    pub packages: Vec<[u8; 32]>,
    /// The download tables jobs are writing files from, shared while they do.
    pub tables: crate::downloads::Shelf,
    /// Line charts a region page and its chart file share.
    pub drawn: crate::charts::Pairs,
}

impl ViewCache {
    /// Serialises every page (of `pages`: the site's, or in a translation's words), region,
    /// dataset and indicator summary once, in the language of `dict` (none: Bahasa Indonesia);
    /// pages in parallel.
    pub(crate) fn build(
        site: &Site,
        pages: &[crate::content::Page],
        histories: Vec<releases::History>,
        dict: Option<&std::sync::Arc<crate::i18n::Dictionary>>,
    ) -> ViewCache {
        crate::i18n::scoped(dict, || Self::build_here(site, pages, histories, dict))
    }

    fn build_here(
        site: &Site,
        pages: &[crate::content::Page],
        histories: Vec<releases::History>,
        dict: Option<&std::sync::Arc<crate::i18n::Dictionary>>,
    ) -> ViewCache {
        let regions = Regions::new(site);
        let cards = pages
            .par_iter()
            .map(|p| {
                crate::i18n::scoped(dict, || {
                    tera::Value::from_serializable(&page::card(site, &regions, p))
                })
            })
            .collect();
        ViewCache {
            cards,
            datasets: site
                .datasets
                .par_iter()
                .map(|d| crate::i18n::scoped(dict, || DatasetSummary::new(d)))
                .collect(),
            indicators: site
                .indicators
                .iter()
                .map(|i| IndicatorSummary::new(site, i))
                .collect(),
            regions,
            facets: facets::facets(site),
            histories,
            id: {
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
            packages: site
                .datasets
                .iter()
                .map(|d| {
                    use sha2::Digest as _;
                    sha2::Sha256::digest(format!("{:?}", d.package).as_bytes()).into()
                })
                .collect(),
            tables: Default::default(),
            drawn: Default::default(),
        }
    }

    /// The cards of the given pages, in that order.
    pub(crate) fn cards_of(&self, pages: impl IntoIterator<Item = usize>) -> Vec<&tera::Value> {
        pages.into_iter().map(|i| &self.cards[i]).collect()
    }
}
