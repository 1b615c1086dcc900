//! The catalogue's facets: datasets by theme (keyword), publisher (source), programme, region level and format, each value with its count and its own page.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::data::registry::NATION;
use crate::model::Site;
use crate::slug::slugify;
use crate::urls;

/// One value of a facet and the datasets that have it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FacetValue {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub count: usize,
    /// Indices into `site.datasets`, in catalogue order.
    #[serde(skip)]
    pub datasets: Vec<usize>,
}

/// A way to browse the catalogue ("Tema"), with its values.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Facet {
    /// The URL segment (`tema`).
    pub key: &'static str,
    pub title: &'static str,
    pub values: Vec<FacetValue>,
}

/// A facet's values being collected: slug → (name as first written, datasets).
type Values = BTreeMap<String, (String, Vec<usize>)>;

/// Every facet with at least one value; values ordered by name.
pub(crate) fn facets(site: &Site) -> Vec<Facet> {
    let mut by: [(&'static str, &'static str, Values); 5] = [
        ("tema", "Tema", BTreeMap::new()),
        ("penerbit", "Sumber", BTreeMap::new()),
        ("program", "Program", BTreeMap::new()),
        ("tingkat", "Tingkat wilayah", BTreeMap::new()),
        ("format", "Format unduhan", BTreeMap::new()),
    ];
    let mut add = |facet: usize, name: &str, di: usize| {
        let slug = slugify(name);
        let e = by[facet]
            .2
            .entry(slug)
            .or_insert_with(|| (name.to_string(), Vec::new()));
        if !e.1.contains(&di) {
            e.1.push(di);
        }
    };
    for (di, d) in site.datasets.iter().enumerate() {
        for k in d.package.keywords.iter().filter(|k| !k.trim().is_empty()) {
            add(0, k.trim(), di);
        }
        for s in &d.package.sources {
            if let Some(t) = s.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                add(1, t.strip_prefix("Sumber: ").unwrap_or(t), di);
            }
        }
        for (p, _) in &d.programs {
            if let Some(&pi) = site.programs.get(p) {
                let page = &site.pages[pi];
                add(2, page.short_name.as_deref().unwrap_or(&page.title), di);
            }
        }
        if let Some(r) = d.region {
            let mut levels: Vec<(u8, &'static str)> = d
                .rows
                .iter()
                .filter_map(|row| row.cells[r].as_text())
                .filter_map(|code| {
                    if code == NATION {
                        return Some((0, "nasional"));
                    }
                    site.registry
                        .get(code)
                        .map(|reg| (reg.jenis.level(), reg.jenis.level_plural()))
                })
                .collect();
            levels.sort_unstable();
            levels.dedup();
            for (_, name) in levels {
                add(3, name, di);
            }
        }
        for f in crate::jobs::datasets::formats(d) {
            add(4, &f.label(), di);
        }
        add(4, "Data Package", di);
    }
    by.into_iter()
        .filter(|(_, _, values)| !values.is_empty())
        .map(|(key, title, values)| Facet {
            key,
            title,
            values: values
                .into_iter()
                .map(|(slug, (name, datasets))| FacetValue {
                    url: urls::catalog_facet(key, &slug),
                    count: datasets.len(),
                    name,
                    slug,
                    datasets,
                })
                .collect(),
        })
        .collect()
}
