//! The search index: regions (with every alias of their names), indicators, datasets and content pages as Pagefind records, built in memory into the files under `/pagefind/`.

use std::collections::BTreeMap;

use crate::charts::style::esc;
use crate::content::Section;
use crate::data::registry::Jenis;
use crate::diagnostic::{Code, Diagnostic};
use crate::jobs::OutputFile;
use crate::model::Site;
use crate::urls;

/// At most this many fragment files (each result's title and excerpt); more records share files.
const MAX_FRAGMENT_FILES: u32 = 5000;

/// Records are fossicked this many at a time (in parallel within a batch).
const BATCH: usize = 1000;

/// The folder of the index and of Pagefind's script and WebAssembly.
pub(crate) const DIR: &str = "pagefind";

/// Names a region is also known by, by code: the importers' built-in aliases (old names,
/// BPS spellings) and the site's alias file, with the BPS code.
pub(crate) type Aliases = BTreeMap<String, Vec<String>>;

/// The aliases the search knows, from the importers' table and `data/alias-wilayah.csv`.
pub(crate) fn aliases(site: &Site, file: &crate::import::aliases::Aliases) -> Aliases {
    let mut out: Aliases = BTreeMap::new();
    for (name, kode, _) in crate::import::aliases::BUILTIN {
        if site.registry.contains(kode) {
            out.entry(kode.to_string())
                .or_default()
                .push(name.to_string());
        }
    }
    for list in file.by_name.values() {
        for a in list {
            out.entry(a.kode.clone()).or_default().push(a.name.clone());
        }
    }
    for v in out.values_mut() {
        v.sort();
        v.dedup();
    }
    out
}

/// One record: its address, the kind shown beside the result, and its HTML body; or, for
/// content pages, plain text indexed as a custom record (no HTML to parse: the bulk of a
/// news portal's records).
pub(crate) struct Record {
    url: String,
    html: String,
    plain: Option<(String, String, String)>,
}

/// The SHA-256 of `records`: the index is a pure function of them (and of the program), so
/// a build whose records came out the same keeps the last index. An edit to an article's body
/// that leaves its title, summary, headings and tags alone, or a changed figure, does not
/// index the site again.
pub(crate) fn digest(records: &[Record]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for r in records {
        let plain = r.plain.as_ref();
        let parts = [
            r.url.as_str(),
            &r.html,
            plain.map_or("", |p| p.0.as_str()),
            plain.map_or("", |p| p.1.as_str()),
            plain.map_or("", |p| p.2.as_str()),
        ];
        h.update([u8::from(plain.is_some())]);
        for part in parts {
            // Lengths first: no two lists of records hash alike by shifting text between fields.
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
    }
    h.finalize().into()
}

fn record(url: String, title: &str, kind: &str, weighted: &[String], body: &str) -> Record {
    let extra: String = weighted
        .iter()
        .map(|w| format!("<p data-pagefind-weight=\"8\">{}</p>", esc(w)))
        .collect();
    Record {
        url,
        plain: None,
        html: format!(
            "<html lang=\"id\"><body><h1>{}</h1><p data-pagefind-meta=\"jenis\">{}</p>{extra}{body}</body></html>",
            esc(title),
            esc(kind)
        ),
    }
}

/// Where a region sits, as a reader reads it beside the name: "Kabupaten di Banten · 36.04",
/// "Provinsi · 36" (the nation is nobody's named parent). The search results and the A–Z list
/// of `/cari/` both use it.
pub(crate) fn region_note(site: &Site, r: &crate::data::registry::Region) -> String {
    let level = level(r.jenis);
    match r
        .induk
        .as_deref()
        .and_then(|p| site.registry.get(p))
        .filter(|p| p.kode != crate::data::registry::NATION)
    {
        Some(p) => format!("{level} di {} · {}", p.nama, r.kode),
        None => format!("{level} · {}", r.kode),
    }
}

/// A region's kind as a reader names it ("Kabupaten").
pub(crate) fn level(j: Jenis) -> &'static str {
    match j {
        Jenis::Nasional => "Nasional",
        Jenis::Provinsi => "Provinsi",
        Jenis::Kabupaten => "Kabupaten",
        Jenis::Kota => "Kota",
        Jenis::Kecamatan => "Kecamatan",
        Jenis::Desa => "Desa",
        Jenis::Kelurahan => "Kelurahan",
    }
}

/// Every record of the index, in the order they are added.
pub(crate) fn records(site: &Site, aliases: &Aliases) -> Vec<Record> {
    use rayon::prelude::*;
    // A portal to desa level has 91,600 regions: made on every thread, in order.
    let regions: Vec<&String> = site.region_pages.iter().collect();
    let mut out: Vec<Record> = regions
        .par_iter()
        .filter_map(|code| {
            let r = site.registry.get(code)?;
            let mut names = aliases.get(*code).cloned().unwrap_or_default();
            names.extend(r.kode_bps.iter().cloned());
            Some(record(
                urls::region(&site.registry, code),
                &r.nama,
                &format!("Wilayah: {}", region_note(site, r)),
                &names,
                "",
            ))
        })
        .collect();
    for ind in site
        .indicators
        .iter()
        .flat_map(|i| std::iter::once(i).chain(&i.slices))
    {
        out.push(record(
            urls::indicator_of(ind),
            &ind.title,
            "Indikator",
            std::slice::from_ref(&ind.slug),
            &format!(
                "<p>{}</p><p>{}</p>",
                esc(&ind.description),
                esc(&ind.source)
            ),
        ));
    }
    for d in &site.datasets {
        out.push(record(
            urls::dataset(&d.slug),
            &d.title,
            "Dataset",
            &d.package.keywords,
            &format!(
                "<p>{}</p><p>{}</p>",
                esc(&d.description),
                esc(&d.credit_line())
            ),
        ));
    }
    for p in &site.pages {
        let kind = match p.section {
            Section::Berita => "Berita",
            Section::Agenda => "Agenda",
            Section::Program => "Program",
            Section::Galeri => "Galeri",
            _ => "Halaman",
        };
        let date = p
            .date
            .map(|d| format!(" · {}", d.shown()))
            .unwrap_or_default();
        // A page is found by its title, summary, headings and tags, not its whole text: the
        // index stays small enough that one query fetches at most ~100 KB on a national portal.
        let mut text = p.summary.clone();
        for (_, h) in &p.headings {
            text.push_str(". ");
            text.push_str(h);
        }
        if !p.tags.is_empty() {
            text.push_str(". ");
            text.push_str(&p.tags.join(", "));
        }
        if let Some(s) = &p.short_name {
            text.push_str(". ");
            text.push_str(s);
        }
        out.push(Record {
            url: urls::page(p),
            html: String::new(),
            plain: Some((p.title.clone(), format!("{kind}{date}"), text)),
        });
    }
    out
}

/// Files Pagefind writes that this portal does not use: its ready-made interfaces and
/// playground (the theme has its own search page).
fn unused(name: &str) -> bool {
    [
        "pagefind-ui",
        "pagefind-component-ui",
        "pagefind-modular-ui",
        "pagefind-highlight",
        "playground",
    ]
    .iter()
    .any(|p| name.starts_with(p))
}

/// `items` in order, [`BATCH`] at a time.
fn batches<T>(mut items: Vec<T>) -> impl Iterator<Item = Vec<T>> {
    std::iter::from_fn(move || {
        if items.is_empty() {
            return None;
        }
        let rest = items.split_off(items.len().min(BATCH));
        Some(std::mem::replace(&mut items, rest))
    })
}

/// Builds the index of the site from its [`records`]; its files go under `/pagefind/`.
pub(crate) fn index(records: Vec<Record>) -> Result<Vec<OutputFile>, Diagnostic> {
    let failed = |e: String| {
        Diagnostic::error(
            Code::FileNotProduced,
            DIR,
            format!("indeks pencarian tidak bisa dibuat: {e}"),
        )
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| failed(e.to_string()))?;
    let files = runtime.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .force_language("id".to_string())
            .keep_index_url(false)
            // A large news portal's fragments are bundled a few to a file (20,000 pages: 5,000
            // files); a portal of fewer records keeps one file per record.
            .max_fragments(MAX_FRAGMENT_FILES)
            .build();
        let mut index =
            pagefind::api::PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
        // Regions, indicators and datasets (HTML) first, then content pages (plain text), each
        // kind in batches fossicked in parallel.
        let mut html = Vec::new();
        let mut plain = Vec::new();
        for r in records {
            match r.plain {
                None => html.push((r.url, r.html)),
                Some((title, kind, text)) => {
                    let meta =
                        BTreeMap::from([("title".to_string(), title), ("jenis".to_string(), kind)]);
                    plain.push((r.url, text, "id".to_string(), meta));
                }
            }
        }
        // In batches: a batch's words are held twice while they are fossicked.
        for batch in batches(html) {
            index
                .add_html_files(batch)
                .await
                .map_err(|e| e.to_string())?;
        }
        for batch in batches(plain) {
            index
                .add_custom_records(batch)
                .await
                .map_err(|e| e.to_string())?;
        }
        index.get_files_once().await.map_err(|e| e.to_string())
    });
    let mut out: Vec<OutputFile> = files
        .map_err(failed)?
        .into_iter()
        .filter_map(|f| {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            (!unused(&name)).then(|| (format!("{DIR}/{name}"), f.contents))
        })
        .collect();
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(url: &str, title: &str, kind: &str, text: &str) -> Record {
        Record {
            url: url.into(),
            html: String::new(),
            plain: Some((title.into(), kind.into(), text.into())),
        }
    }

    #[test]
    fn the_digest_changes_with_any_field_of_any_record_and_only_then() {
        let base = || {
            vec![
                record("/wilayah/36/".into(), "Banten", "Wilayah", &[], ""),
                plain("/berita/a/", "Judul", "Berita", "Ringkasan"),
            ]
        };
        let d = digest(&base());
        assert_eq!(d, digest(&base()));
        let changed = [
            vec![
                record("/wilayah/36/".into(), "Banten!", "Wilayah", &[], ""),
                plain("/berita/a/", "Judul", "Berita", "Ringkasan"),
            ],
            vec![
                record(
                    "/wilayah/36/".into(),
                    "Banten",
                    "Wilayah",
                    &["Bantam".into()],
                    "",
                ),
                plain("/berita/a/", "Judul", "Berita", "Ringkasan"),
            ],
            // Text moved from one field to the next.
            vec![
                record("/wilayah/36/".into(), "Banten", "Wilayah", &[], ""),
                plain("/berita/a/", "JudulB", "erita", "Ringkasan"),
            ],
            vec![
                record("/wilayah/36/".into(), "Banten", "Wilayah", &[], ""),
                plain("/berita/b/", "Judul", "Berita", "Ringkasan"),
            ],
            // A record as HTML or as plain text.
            vec![
                record("/wilayah/36/".into(), "Banten", "Wilayah", &[], ""),
                Record {
                    url: "/berita/a/".into(),
                    html: "Judul".into(),
                    plain: None,
                },
            ],
            base().into_iter().rev().collect(),
            base().into_iter().take(1).collect(),
        ];
        for (i, records) in changed.iter().enumerate() {
            assert_ne!(d, digest(records), "change {i}");
        }
    }
}
