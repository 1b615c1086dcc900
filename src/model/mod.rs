//! The site model, built once from config, content and data: pages with their links, regions, indicators, taxonomies.

pub(crate) mod indicator;

use std::collections::{BTreeMap, BTreeSet};

use crate::calendar::Date;
use crate::config::Config;
use crate::content::{Page, Section};
use crate::data::dataset::Dataset;
use crate::data::registry::{NATION, Registry};
use crate::diagnostic::{Code, Diagnostic};
use crate::slug::slugify;
use crate::urls;

pub(crate) use indicator::Indicator;

/// Everything the renderer needs, immutable once built.
pub(crate) struct Site {
    pub config: Config,
    pub today: Date,
    pub registry: Registry,
    /// Published pages (drafts only with `--drafts`), sorted: newest first within a section.
    pub pages: Vec<Page>,
    pub datasets: Vec<Dataset>,
    pub indicators: Vec<Indicator>,
    /// Tag slug → (name, page indices).
    pub tags: BTreeMap<String, (String, Vec<usize>)>,
    /// Programme slug → page index.
    pub programs: BTreeMap<String, usize>,
    /// Programme slug → indices of the datasets that name it (`lumbung:programs`).
    pub program_datasets: BTreeMap<String, Vec<usize>>,
    /// Region codes that get a page: every region with data or content, and their ancestors.
    pub region_pages: BTreeSet<String>,
    /// Region code → indices of datasets with rows about it.
    pub region_datasets: BTreeMap<String, Vec<usize>>,
    /// Region code → news naming the region or a region below it, newest first (its feed).
    pub region_news: BTreeMap<String, Vec<usize>>,
    /// Region code → the pages that name it (`wilayah`), in page order.
    pub region_named: std::collections::HashMap<String, Vec<usize>>,
    /// Region boundaries for choropleth maps, when the config names a file.
    pub boundaries: Option<crate::charts::Boundaries>,
    /// Each published page's translation (`x.en.md`), by page index, for the languages the
    /// config declares; a draft translation only with `--drafts`.
    pub translations: BTreeMap<usize, crate::content::Translation>,
}

impl Site {
    /// Links everything together and checks the links; every broken one is reported.
    pub(crate) fn build(
        config: Config,
        registry: Registry,
        content: crate::content::Content,
        datasets: Vec<Dataset>,
        boundaries: Option<crate::charts::Boundaries>,
        drafts: bool,
    ) -> Result<Site, Vec<Diagnostic>> {
        let today = crate::calendar::today(config.source_date_epoch);
        let crate::content::Content {
            mut pages,
            translations,
        } = content;
        if !drafts {
            pages.retain(|p| !p.draft);
        }
        // Newest first within a section; undated pages by weight, then slug.
        pages.sort_by(|a, b| {
            (a.section, std::cmp::Reverse(a.date), a.weight, &a.slug).cmp(&(
                b.section,
                std::cmp::Reverse(b.date),
                b.weight,
                &b.slug,
            ))
        });
        let mut errors = check_addresses(&pages);
        let programs: BTreeMap<String, usize> = pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.section == Section::Program)
            .map(|(i, p)| (p.slug.clone(), i))
            .collect();
        errors.extend(check_page_links(&pages, &registry, &programs));
        errors.extend(check_dataset_programs(&datasets, &programs));
        if !errors.is_empty() {
            return Err(errors);
        }
        let region_datasets = region_datasets(&datasets);
        let region_pages = region_pages(&registry, &pages, &region_datasets);
        let indicators = Indicator::from_datasets(&datasets)?;
        let mut program_datasets: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (di, d) in datasets.iter().enumerate() {
            for (slug, _) in &d.programs {
                let list = program_datasets.entry(slug.clone()).or_default();
                if !list.contains(&di) {
                    list.push(di);
                }
            }
        }
        let region_news = region_news(&registry, &pages);
        let region_named = region_named(&pages);
        let langs = config.translations();
        let index: BTreeMap<&std::path::Path, usize> = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.file.as_path(), i))
            .collect();
        let translations = translations
            .into_iter()
            .filter(|t| langs.contains(&t.lang) && (drafts || !t.draft))
            .filter_map(|t| Some((*index.get(t.original().as_path())?, t)))
            .collect();
        Ok(Site {
            translations,
            region_news,
            region_named,
            program_datasets,
            config,
            today,
            tags: tags(&pages),
            registry,
            pages,
            datasets,
            indicators,
            programs,
            region_pages,
            region_datasets,
            boundaries,
        })
    }

    /// The indices of the pages that have a translation.
    pub(crate) fn translated_pages(&self) -> std::collections::HashSet<usize> {
        self.translations.keys().copied().collect()
    }

    /// The pages in the words of the translation (the Indonesian page where there is none).
    pub(crate) fn pages_translated(&self) -> Vec<Page> {
        self.pages
            .iter()
            .enumerate()
            .map(|(i, p)| match self.translations.get(&i) {
                Some(t) => p.translated(t),
                None => p.clone(),
            })
            .collect()
    }

    pub(crate) fn section(&self, s: Section) -> impl Iterator<Item = (usize, &Page)> {
        self.pages
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.section == s)
    }

    /// Pages about a region or any of its ancestors (news tagged to the province shows on its
    /// kab/kota): those naming the region first, then those naming a region above it, each in
    /// page order.
    pub(crate) fn pages_for_region(&self, code: &str) -> Vec<usize> {
        let named = |c: &str| self.region_named.get(c).map_or(&[][..], Vec::as_slice);
        let mut own = named(code).to_vec();
        let mut inherited: Vec<usize> = self
            .registry
            .ancestors(code)
            .iter()
            .filter(|a| a.kode != code)
            .flat_map(|a| named(&a.kode).iter().copied())
            .filter(|i| own.binary_search(i).is_err())
            .collect();
        inherited.sort_unstable();
        inherited.dedup();
        own.extend(inherited);
        own
    }

    /// Where readers report a data error: the configured address, else the contact e-mail,
    /// else the contact page when the site has one; empty when there is none.
    pub(crate) fn contact_url(&self) -> String {
        let c = &self.config.contact;
        if !c.report_error_url.is_empty() {
            c.report_error_url.clone()
        } else if !c.email.is_empty() {
            format!("mailto:{}", c.email)
        } else {
            self.pages
                .iter()
                .find(|p| p.section == Section::Halaman && p.slug == "hubungi-kami")
                .map(urls::page)
                .unwrap_or_default()
        }
    }
}

/// Every page has its own address, and plain pages leave Lumbung's own addresses alone.
fn check_addresses(pages: &[Page]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut seen: BTreeMap<(Section, &str), &Page> = BTreeMap::new();
    for p in pages {
        if let Some(first) = seen.insert((p.section, p.slug.as_str()), p) {
            errors.push(
                p.error_at_key(
                    Code::DuplicateUrl,
                    "slug",
                    format!(
                        "alamat {} sudah dipakai oleh {}",
                        urls::page(p),
                        first.file.display()
                    ),
                )
                .hint("ganti nama berkas atau tambahkan slug = \"…\" yang berbeda"),
            );
        }
        if urls::reserved_slug(p.section, &p.slug) {
            errors.push(
                p.error_at_key(
                    Code::ReservedUrl,
                    "slug",
                    format!("alamat {} dipakai oleh Lumbung sendiri", urls::page(p)),
                )
                .hint("pilih slug lain untuk halaman ini"),
            );
        }
    }
    errors
}

/// The regions and programmes that pages name exist.
fn check_page_links(
    pages: &[Page],
    registry: &Registry,
    programs: &BTreeMap<String, usize>,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for p in pages {
        for code in p.wilayah.iter().filter(|c| !registry.contains(c)) {
            errors.push(
                p.error_at_key(
                    Code::PageUnknownRegion,
                    "wilayah",
                    format!("kode wilayah \"{code}\" tidak ada di data/wilayah.csv"),
                )
                .hint(registry.suggest(code)),
            );
        }
        for prog in p.program.iter().filter(|g| !programs.contains_key(*g)) {
            errors.push(
                p.error_at_key(
                    Code::PageUnknownProgram,
                    "program",
                    format!("program \"{prog}\" tidak dikenal"),
                )
                .hint(program_hint(prog, programs)),
            );
        }
    }
    errors
}

/// The programmes that datasets name (`lumbung:programs`) have pages.
fn check_dataset_programs(
    datasets: &[Dataset],
    programs: &BTreeMap<String, usize>,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for d in datasets {
        for (slug, at) in d.programs.iter().filter(|(g, _)| !programs.contains_key(g)) {
            errors.push(at.clone().hint(program_hint(slug, programs)));
        }
    }
    errors
}

/// How to name a programme, with the nearest known ones.
fn program_hint(slug: &str, programs: &BTreeMap<String, usize>) -> String {
    let near = crate::diagnostic::nearest(slug, programs.keys().map(String::as_str), 2);
    format!(
        "program adalah nama berkas di content/program/ tanpa .md{}",
        if near.is_empty() {
            String::new()
        } else {
            format!("; mungkin maksudnya {}", near.join(" atau "))
        }
    )
}

/// Tag slug → (name as first written, pages carrying it).
fn tags(pages: &[Page]) -> BTreeMap<String, (String, Vec<usize>)> {
    let mut tags: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        for t in &p.tags {
            let e = tags
                .entry(slugify(t))
                .or_insert_with(|| (t.clone(), Vec::new()));
            if !e.1.contains(&i) {
                e.1.push(i);
            }
        }
    }
    tags
}

/// News by the regions they name and every region above those, in page order (newest first).
fn region_news(registry: &Registry, pages: &[Page]) -> BTreeMap<String, Vec<usize>> {
    let mut out: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        if p.section != Section::Berita {
            continue;
        }
        let mut named: BTreeSet<&str> = BTreeSet::new();
        for w in &p.wilayah {
            for a in registry.ancestors(w) {
                named.insert(a.kode.as_str());
            }
        }
        for code in named {
            out.entry(code.to_string()).or_default().push(i);
        }
    }
    out
}

/// Region code → the pages that name it, in page order (a page naming a code twice once).
fn region_named(pages: &[Page]) -> std::collections::HashMap<String, Vec<usize>> {
    let mut out: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for (i, p) in pages.iter().enumerate() {
        for w in &p.wilayah {
            let list = out.entry(w.clone()).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    out
}

/// Region code → the datasets with rows about it.
fn region_datasets(datasets: &[Dataset]) -> BTreeMap<String, Vec<usize>> {
    let mut out: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (di, ds) in datasets.iter().enumerate() {
        let Some(r) = ds.region else { continue };
        let codes: BTreeSet<&str> = ds
            .rows
            .iter()
            .filter_map(|row| row.cells[r].as_text())
            .collect();
        for c in codes {
            out.entry(c.to_string()).or_default().push(di);
        }
    }
    out
}

/// The regions that get a page: the nation, every region with data or content, and their ancestors.
fn region_pages(
    registry: &Registry,
    pages: &[Page],
    region_datasets: &BTreeMap<String, Vec<usize>>,
) -> BTreeSet<String> {
    let named = pages.iter().flat_map(|p| p.wilayah.iter());
    let mut out = BTreeSet::new();
    for code in std::iter::once(NATION)
        .chain(region_datasets.keys().map(String::as_str))
        .chain(named.map(String::as_str))
    {
        out.extend(registry.ancestors(code).iter().map(|r| r.kode.clone()));
    }
    out.retain(|c| registry.contains(c));
    out
}
