//! The search page (`/cari/`): with JavaScript it asks the Pagefind index; without, it is the A–Z list of the regions (every level that fits on one light page) with every other name each goes by.

use serde::Serialize;

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
    /// Regions with pages that the list leaves out (too many for one page), and the names of
    /// their levels ("kecamatan", "desa/kelurahan").
    left_out: usize,
    left_out_levels: Vec<String>,
}

/// The deepest level the A–Z list includes, from the number of lines of each level: every
/// level while all fit in `max` lines (`[search] a_z_max`: a desa portal's 91,600 regions made
/// `/cari/`, where every search from the header lands, a 12 MB page), else the deepest that
/// fits with those above it, and at least the kab/kota; the region pages, which list the
/// regions under them, lead further down.
pub(super) fn deepest_listed(lines: &std::collections::BTreeMap<u8, usize>, max: usize) -> u8 {
    let mut total = 0;
    let mut deepest = 2;
    for (&level, &n) in lines {
        total += n;
        if total > max && level > 2 {
            break;
        }
        deepest = deepest.max(level);
    }
    deepest
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
    let mut lines = std::collections::BTreeMap::new();
    for code in &site.region_pages {
        if let Some(r) = site.registry.get(code) {
            *lines.entry(r.jenis.level()).or_insert(0) += 1 + aliases(code);
        }
    }
    let deepest = deepest_listed(&lines, site.config.search.a_z_max);
    let mut entries = Vec::new();
    let mut alias_count = 0;
    let mut left_out = 0;
    let mut left_out_levels = Vec::new();
    for code in &site.region_pages {
        let Some(r) = site.registry.get(code) else {
            continue;
        };
        if r.jenis.level() > deepest {
            left_out += 1;
            let level = crate::model::indicator::level_noun(r.jenis.level_plural(), true);
            if !left_out_levels.contains(&level) {
                left_out_levels.push(level);
            }
            continue;
        }
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
        left_out_levels,
    };
    cx.page(urls::SEARCH, "search.html", &context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_a_to_z_list_stops_at_the_deepest_level_that_fits() {
        let lines = |v: &[(u8, usize)]| v.iter().copied().collect();
        // Everything fits: every level.
        assert_eq!(
            deepest_listed(&lines(&[(0, 1), (1, 38), (2, 514)]), 3_000),
            2
        );
        assert_eq!(
            deepest_listed(&lines(&[(1, 1), (2, 8), (3, 155), (4, 1_552)]), 3_000),
            4
        );
        // A desa portal: down to the kab/kota; with room for the kecamatan, to them.
        let desa = lines(&[(0, 1), (1, 38), (2, 514), (3, 7_285), (4, 83_762)]);
        assert_eq!(deepest_listed(&desa, 3_000), 2);
        assert_eq!(deepest_listed(&desa, 10_000), 3);
        // Never above the kab/kota, however many there are.
        assert_eq!(deepest_listed(&lines(&[(1, 38), (2, 5_000)]), 3_000), 2);
        // Levels missing in between do not stop the count.
        assert_eq!(deepest_listed(&lines(&[(1, 1), (4, 50)]), 3_000), 4);
    }
}
