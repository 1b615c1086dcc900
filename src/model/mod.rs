//! The site model, built once from config, content and data: pages with their links, regions, indicators, taxonomies.

pub mod indicator;

use std::collections::{BTreeMap, BTreeSet};

use crate::calendar::Date;
use crate::config::Config;
use crate::content::{Page, Section};
use crate::data::dataset::{Cell, Dataset};
use crate::data::registry::{NATION, Registry};
use crate::diagnostic::Diagnostic;
use crate::slug::slugify;

pub use indicator::Indicator;

/// Everything the renderer needs, immutable once built.
pub struct Site {
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
    /// Region codes that get a page: every region with data or content, and their ancestors.
    pub region_pages: BTreeSet<String>,
    /// Region code → indices of datasets with rows about it.
    pub region_datasets: BTreeMap<String, Vec<usize>>,
    /// Region boundaries for choropleth maps, when the config names a file.
    pub boundaries: Option<crate::charts::Boundaries>,
}

impl Site {
    /// Links everything together and checks the links; every broken one is reported.
    pub fn build(
        config: Config,
        registry: Registry,
        mut pages: Vec<Page>,
        datasets: Vec<Dataset>,
        boundaries: Option<crate::charts::Boundaries>,
        drafts: bool,
    ) -> Result<Site, Vec<Diagnostic>> {
        let today = crate::calendar::today(config.source_date_epoch);
        if !drafts {
            pages.retain(|p| !p.draft);
        }
        pages.sort_by(|a, b| {
            (a.section, std::cmp::Reverse(a.date), a.weight, &a.slug).cmp(&(
                b.section,
                std::cmp::Reverse(b.date),
                b.weight,
                &b.slug,
            ))
        });
        let mut errors = Vec::new();

        // Unique URLs per section.
        let mut seen: BTreeMap<(Section, &str), &Page> = BTreeMap::new();
        for p in &pages {
            if let Some(first) = seen.insert((p.section, p.slug.as_str()), p) {
                errors.push(
                    p.error_at_key(
                        "slug",
                        format!(
                            "alamat /{}/{}/ sudah dipakai oleh {}",
                            p.section.dir(),
                            p.slug,
                            first.file.display()
                        ),
                    )
                    .hint("ganti nama berkas atau tambahkan slug = \"…\" yang berbeda"),
                );
            }
        }
        let reserved = [
            "berita",
            "agenda",
            "program",
            "galeri",
            "wilayah",
            "indikator",
            "data",
            "tag",
            "halaman",
        ];
        for p in pages.iter().filter(|p| p.section == Section::Halaman) {
            if reserved.contains(&p.slug.as_str()) {
                errors.push(
                    p.error_at_key(
                        "slug",
                        format!("alamat /{}/ dipakai oleh Lumbung sendiri", p.slug),
                    )
                    .hint("pilih slug lain untuk halaman ini"),
                );
            }
        }

        let programs: BTreeMap<String, usize> = pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.section == Section::Program)
            .map(|(i, p)| (p.slug.clone(), i))
            .collect();

        let mut tags: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
        for (i, p) in pages.iter().enumerate() {
            for code in &p.wilayah {
                if !registry.contains(code) {
                    errors.push(
                        p.error_at_key(
                            "wilayah",
                            format!("kode wilayah \"{code}\" tidak ada di data/wilayah.csv"),
                        )
                        .hint(registry.suggest(code)),
                    );
                }
            }
            for prog in &p.program {
                if !programs.contains_key(prog) {
                    let near =
                        crate::diagnostic::nearest(prog, programs.keys().map(String::as_str), 2);
                    errors.push(
                        p.error_at_key("program", format!("program \"{prog}\" tidak dikenal"))
                            .hint(format!(
                                "program adalah nama berkas di content/program/ tanpa .md{}",
                                if near.is_empty() {
                                    String::new()
                                } else {
                                    format!("; mungkin maksudnya {}", near.join(" atau "))
                                }
                            )),
                    );
                }
            }
            for t in &p.tags {
                let e = tags
                    .entry(slugify(t))
                    .or_insert_with(|| (t.clone(), Vec::new()));
                if !e.1.contains(&i) {
                    e.1.push(i);
                }
            }
        }

        // Regions with data or content, plus their ancestors.
        let mut region_datasets: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (di, ds) in datasets.iter().enumerate() {
            if let Some(r) = ds.region {
                let codes: BTreeSet<&str> = ds
                    .rows
                    .iter()
                    .filter_map(|row| match &row.cells[r] {
                        Cell::Text(c) => Some(c.as_str()),
                        _ => None,
                    })
                    .collect();
                for c in codes {
                    region_datasets.entry(c.to_string()).or_default().push(di);
                }
            }
        }
        let mut region_pages = BTreeSet::new();
        let mut add = |code: &str| {
            for r in registry.ancestors(code) {
                region_pages.insert(r.kode.clone());
            }
        };
        add(NATION);
        for code in region_datasets.keys() {
            add(code);
        }
        for p in &pages {
            for code in &p.wilayah {
                add(code);
            }
        }
        region_pages.retain(|c| registry.contains(c));

        if !errors.is_empty() {
            return Err(errors);
        }
        let indicators = Indicator::from_datasets(&datasets);
        Ok(Site {
            config,
            today,
            registry,
            pages,
            datasets,
            indicators,
            tags,
            programs,
            region_pages,
            region_datasets,
            boundaries,
        })
    }

    pub fn section(&self, s: Section) -> impl Iterator<Item = (usize, &Page)> {
        self.pages
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.section == s)
    }

    /// Pages about a region or any of its ancestors (news tagged to the province shows on its kab/kota).
    pub fn pages_for_region(&self, code: &str) -> Vec<usize> {
        let chain: Vec<&str> = self
            .registry
            .ancestors(code)
            .iter()
            .map(|r| r.kode.as_str())
            .collect();
        let mut own = Vec::new();
        let mut inherited = Vec::new();
        for (i, p) in self.pages.iter().enumerate() {
            if p.wilayah.iter().any(|w| w == code) {
                own.push(i);
            } else if p.wilayah.iter().any(|w| chain.contains(&w.as_str())) {
                inherited.push(i);
            }
        }
        own.extend(inherited);
        own
    }

    /// Where readers report a data error: the configured address, else the contact e-mail,
    /// else the contact page when the site has one; empty when there is none.
    pub fn contact_url(&self) -> String {
        let c = &self.config.contact;
        if !c.report_error_url.is_empty() {
            c.report_error_url.clone()
        } else if !c.email.is_empty() {
            format!("mailto:{}", c.email)
        } else if self
            .pages
            .iter()
            .any(|p| p.section == Section::Halaman && p.slug == "hubungi-kami")
        {
            "/hubungi-kami/".to_string()
        } else {
            String::new()
        }
    }

    /// The URL path of a region page: `/wilayah/36.73-kota-serang/`.
    pub fn region_url(&self, code: &str) -> String {
        region_url(&self.registry, code)
    }
}

/// The URL path of a region page.
pub fn region_url(registry: &Registry, code: &str) -> String {
    match registry.get(code) {
        Some(r) if code == NATION => format!("/wilayah/{}/", slugify(&r.nama)),
        Some(r) => format!("/wilayah/{}-{}/", r.kode, slugify(&r.nama)),
        None => format!("/wilayah/{code}/"),
    }
}

/// The URL path of a page.
pub fn page_url(p: &Page) -> String {
    match p.section {
        Section::Home => "/".to_string(),
        Section::Halaman => format!("/{}/", p.slug),
        s => format!("/{}/{}/", s.dir(), p.slug),
    }
}
