//! The search page (`/cari/`): with JavaScript it asks the Pagefind index; without, it is the A–Z list of the regions (every level that fits on one light page) with every other name each goes by.

use serde::Serialize;

use super::levels::LeftOut;
use super::{Base, OutputFile, Shared};
use crate::diagnostic::Diagnostic;
use crate::urls;

/// A search output.
#[derive(Debug, Clone)]
pub(crate) enum Job {
    Page,
}

impl Job {
    pub(super) fn kind(&self) -> &'static str {
        "pencarian"
    }

    pub(super) fn sitemap_url(&self) -> Option<String> {
        Some(urls::SEARCH.to_string())
    }
}

pub(super) fn list(_cx: &Shared<'_>) -> Vec<Job> {
    vec![Job::Page]
}

pub(super) fn render(cx: &Shared<'_>, job: &Job) -> Result<OutputFile, Diagnostic> {
    match job {
        Job::Page => page(cx),
    }
}

/// One line of the A–Z list: a region by its name, or one of its other names pointing at it.
#[derive(Serialize)]
struct Entry {
    /// What the line is sorted and grouped by: the name without "Kabupaten"/"Kota"/"Provinsi".
    #[serde(skip)]
    key: String,
    name: String,
    url: String,
    /// "Kabupaten di Sumatera Utara · 12.12", or for another name the region it stands for.
    note: String,
    /// For another name: the region's official name.
    points_to: Option<String>,
}

/// The entries under one letter.
#[derive(Serialize)]
struct Letter {
    letter: String,
    entries: Vec<Entry>,
}

#[derive(Serialize)]
struct SearchContext {
    #[serde(flatten)]
    base: Base,
    letters: Vec<Letter>,
    /// How many regions and other names the list holds.
    regions: usize,
    aliases: usize,
    /// Regions with pages that the list leaves out (past `[search] a_z_max` lines).
    #[serde(flatten)]
    left_out: LeftOut,
}

/// The name without the word for its kind, lower-cased, for sorting: "Kota Serang" → "serang".
fn sort_key(name: &str) -> String {
    let bare = crate::import::names::bare(name);
    let bare = if bare.is_empty() { name } else { bare };
    bare.to_lowercase()
}

fn page(cx: &Shared<'_>) -> Result<OutputFile, Diagnostic> {
    let site = cx.site;
    let aliases = |code: &str| cx.search_aliases.get(code).map_or(0, Vec::len);
    let (listed, left_out) = super::levels::cut(
        &site.registry,
        site.region_pages.iter(),
        |code| 1 + aliases(code),
        site.config.search.a_z_max,
    );
    let mut entries = Vec::new();
    let mut alias_count = 0;
    for code in listed {
        let Some(r) = site.registry.get(code) else {
            continue;
        };
        let url = urls::region(&site.registry, code);
        let note = crate::search::region_note(site, r);
        entries.push(Entry {
            key: sort_key(&r.nama),
            name: r.nama.clone(),
            url: url.clone(),
            note,
            points_to: None,
        });
        for alias in cx.search_aliases.get(code).into_iter().flatten() {
            alias_count += 1;
            entries.push(Entry {
                key: sort_key(alias),
                name: alias.clone(),
                url: url.clone(),
                note: format!("nama lain {}", r.nama),
                points_to: Some(r.nama.clone()),
            });
        }
    }
    entries.sort_by(|a, b| a.key.cmp(&b.key).then_with(|| a.name.cmp(&b.name)));
    let regions = entries.len() - alias_count;
    let mut letters: Vec<Letter> = Vec::new();
    for e in entries {
        let letter = e
            .key
            .chars()
            .next()
            .filter(char::is_ascii_alphabetic)
            .map_or("#".to_string(), |c| c.to_ascii_uppercase().to_string());
        match letters.last_mut() {
            Some(l) if l.letter == letter => l.entries.push(e),
            _ => letters.push(Letter {
                letter,
                entries: vec![e],
            }),
        }
    }
    let context = SearchContext {
        base: cx.base(urls::SEARCH, "Cari"),
        letters,
        regions,
        aliases: alias_count,
        left_out,
    };
    cx.page(urls::SEARCH, "search.html", &context)
}
