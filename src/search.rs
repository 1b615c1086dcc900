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

/// One record: its address and what is indexed under it.
#[derive(Debug)]
pub(crate) enum Record {
    /// A whole HTML document (indicators and datasets: a heading, the kind shown beside the
    /// result, their other names weighted, a body).
    Html { url: String, html: String },
    /// A region: the HTML [`record`] would make without a body, given as its escaped texts
    /// (heading, kind, other names) and indexed without parsing it (a portal to desa level
    /// has 91,600 of them; parsing each was a twentieth of the build).
    Headed {
        url: String,
        title: String,
        kind: String,
        weighted: Vec<String>,
    },
    /// A content page as plain text: title, kind and text (a custom record).
    Plain {
        url: String,
        title: String,
        kind: String,
        text: String,
    },
}

/// The SHA-256 of `records`: the index is a pure function of them (and of the program), so
/// a build whose records came out the same keeps the last index. An edit to an article's body
/// that leaves its title, summary, headings and tags alone, or a changed figure, does not
/// index the site again.
pub(crate) fn digest(records: &[Record]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    use std::io::Write;
    // Each record's whole `Debug` text, as a chart's content key is made: every text quoted
    // and escaped, so no two lists of records hash alike by moving text between fields.
    let mut h = Sha256::new();
    for r in records {
        // Writing into a hash cannot fail.
        let _ = write!(h, "{r:?}");
    }
    h.finalize().into()
}

/// The weight of a record's other names (its heading has Pagefind's 7).
const OTHER_NAMES: &str = "8";

fn record(url: String, title: &str, kind: &str, weighted: &[String], body: &str) -> Record {
    let extra: String = weighted
        .iter()
        .map(|w| format!("<p data-pagefind-weight=\"{OTHER_NAMES}\">{}</p>", esc(w)))
        .collect();
    Record::Html {
        url,
        html: format!(
            "<html lang=\"id\"><body><h1>{}</h1><p data-pagefind-meta=\"jenis\">{}</p>{extra}{body}</body></html>",
            esc(title),
            esc(kind)
        ),
    }
}

/// A region's record: indexed as [`record`]'s HTML without a body is.
fn headed(url: String, title: &str, kind: &str, weighted: &[String]) -> Record {
    Record::Headed {
        url,
        title: esc(title),
        kind: esc(kind),
        weighted: weighted.iter().map(|w| esc(w)).collect(),
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
            Some(headed(
                urls::region(&site.registry, code),
                &r.nama,
                &format!("Wilayah: {}", region_note(site, r)),
                &names,
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
        out.push(Record::Plain {
            url: urls::page(p),
            title: p.title.clone(),
            kind: format!("{kind}{date}"),
            text,
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

/// Records of one kind as Pagefind takes them.
enum Batch {
    Html(Vec<(String, String)>),
    Headed(Vec<pagefind::api::HeadedRecord>),
    Plain(Vec<(String, String, String, BTreeMap<String, String>)>),
}

impl From<Record> for Batch {
    fn from(r: Record) -> Batch {
        match r {
            Record::Html { url, html } => Batch::Html(vec![(url, html)]),
            Record::Headed {
                url,
                title,
                kind,
                weighted,
            } => Batch::Headed(vec![pagefind::api::HeadedRecord {
                url,
                language: "id".to_string(),
                title,
                meta: ("jenis".to_string(), kind),
                weighted: weighted
                    .into_iter()
                    .map(|w| (OTHER_NAMES.to_string(), w))
                    .collect(),
            }]),
            Record::Plain {
                url,
                title,
                kind,
                text,
            } => {
                let meta =
                    BTreeMap::from([("title".to_string(), title), ("jenis".to_string(), kind)]);
                Batch::Plain(vec![(url, text, "id".to_string(), meta)])
            }
        }
    }
}

impl Batch {
    /// `next` added to this batch when it is of the same kind and not full; else `next`.
    fn take(&mut self, next: Batch) -> Option<Batch> {
        match (self, next) {
            (Batch::Html(a), Batch::Html(mut b)) if a.len() < BATCH => a.append(&mut b),
            (Batch::Headed(a), Batch::Headed(mut b)) if a.len() < BATCH => a.append(&mut b),
            (Batch::Plain(a), Batch::Plain(mut b)) if a.len() < BATCH => a.append(&mut b),
            (_, next) => return Some(next),
        }
        None
    }
}

/// `records` in order, in batches of one kind, [`BATCH`] at most: a batch's words are held
/// twice while they are fossicked.
fn batches(records: Vec<Record>) -> Vec<Batch> {
    let mut out: Vec<Batch> = Vec::new();
    for r in records {
        let one = Batch::from(r);
        let rest = match out.last_mut() {
            Some(last) => last.take(one),
            None => Some(one),
        };
        out.extend(rest);
    }
    out
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
        // In the order given (regions, indicators and datasets, then content pages), each
        // batch fossicked in parallel.
        for batch in batches(records) {
            match batch {
                Batch::Html(b) => index.add_html_files(b).await,
                Batch::Headed(b) => index.add_headed_records(b).await,
                Batch::Plain(b) => index.add_custom_records(b).await,
            }
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
        Record::Plain {
            url: url.into(),
            title: title.into(),
            kind: kind.into(),
            text: text.into(),
        }
    }

    /// Names that test every rule of Pagefind's parser the headed records follow: a full stop
    /// after a word character, a quote, `)`, `$` or `*` and not after other punctuation,
    /// entities, spaces at the ends, text that is only spaces, letters beyond ASCII.
    const NAMES: &[&str] = &[
        "Kota Serang",
        "Sangalla'",
        "Ba'tan",
        "A & B",
        "Kota <Baru>",
        "\"Dikutip\"",
        "Pulau (Besar)",
        "Rp$",
        "Bintang*",
        "Selesai.",
        "Tanya?",
        "Tanda ·",
        " Spasi di tepi ",
        "   ",
        "",
        "Ñusa Penida",
        "Tolitoli–Buol",
        "36.04",
        "Kabupaten di Banten · 36.04",
    ];

    #[test]
    fn a_headed_record_is_indexed_as_its_html_is() {
        let records = |headed_records: bool| -> Vec<Record> {
            let mut out = Vec::new();
            for (i, name) in NAMES.iter().enumerate() {
                let others: Vec<String> = NAMES
                    .iter()
                    .cycle()
                    .skip(i)
                    .take(i % 4)
                    .map(|s| s.to_string())
                    .collect();
                let url = format!("/wilayah/{i}/");
                let kind = format!("Wilayah: {}", NAMES[(i + 3) % NAMES.len()]);
                out.push(if headed_records {
                    headed(url, name, &kind, &others)
                } else {
                    record(url, name, &kind, &others, "")
                });
            }
            out.push(plain(
                "/berita/a/",
                "Judul",
                "Berita",
                "Ringkasan Kota Serang",
            ));
            out
        };
        let html = index(records(false)).unwrap();
        let headed = index(records(true)).unwrap();
        assert!(html.len() > 10, "{}", html.len());
        let names = |files: &[OutputFile]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&html), names(&headed));
        for (a, b) in html.iter().zip(&headed) {
            assert!(a.1 == b.1, "{} differs", a.0);
        }
    }

    /// The same for the real names of Kemendagri's regions: every one with a character other
    /// than letters, digits and spaces (1,108: `Ba'u`, `Lawe. Berigin`, `Pulo Lon / Pulo Dayah`)
    /// and every hundredth of the others.
    #[test]
    fn every_unusual_real_region_name_is_indexed_as_its_html_is() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/realdata/wilayah/kemendagri-2025.csv"
        );
        let mut rdr = csv::Reader::from_path(path).unwrap_or_else(|e| {
            panic!("REAL DATA MISSING: {path}: {e}; the tests need ../shared/realdata")
        });
        let names: Vec<(String, String)> = rdr
            .records()
            .map(|r| r.unwrap())
            .enumerate()
            .filter(|(i, r)| r[1].chars().any(|c| !c.is_alphanumeric() && c != ' ') || i % 100 == 0)
            .map(|(_, r)| (r[0].to_string(), r[1].to_string()))
            .collect();
        assert!(names.len() > 1_900, "{}", names.len());
        let records = |headed_records: bool| -> Vec<Record> {
            names
                .iter()
                .enumerate()
                .map(|(i, (code, name))| {
                    let url = format!("/wilayah/{code}/");
                    let kind = format!(
                        "Wilayah: Desa di {} · {code}",
                        names[(i + 1) % names.len()].1
                    );
                    let others = [names[(i + 2) % names.len()].1.clone(), code.clone()];
                    if headed_records {
                        headed(url, name, &kind, &others)
                    } else {
                        record(url, name, &kind, &others, "")
                    }
                })
                .collect()
        };
        let html = index(records(false)).unwrap();
        let headed = index(records(true)).unwrap();
        assert_eq!(html.len(), headed.len());
        for (a, b) in html.iter().zip(&headed) {
            assert_eq!(a.0, b.0);
            assert!(a.1 == b.1, "{} differs", a.0);
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
            // A record as HTML, not as plain text.
            vec![
                record("/wilayah/36/".into(), "Banten", "Wilayah", &[], ""),
                Record::Html {
                    url: "/berita/a/".into(),
                    html: "Judul".into(),
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
