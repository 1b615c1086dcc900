//! Everything under `content/`: Markdown pages with front matter, read in parallel with every error collected.

pub(crate) mod frontmatter;
pub(crate) mod markdown;
mod page;

pub(crate) use page::load_page;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::calendar::{Date, DateTime};
use crate::diagnostic::{Code, Diagnostic};

/// The part of the site a page belongs to, from its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Section {
    /// `content/_index.md`: text for the home page.
    Home,
    Berita,
    Agenda,
    Program,
    Galeri,
    /// Any `.md` directly in `content/` (tentang, hubungi-kami).
    Halaman,
}

/// A gallery item's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum MediaKind {
    Foto,
    Video,
}

/// One Markdown page, parsed and rendered.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub section: Section,
    /// The file as the user sees it (`content/berita/x.md`).
    pub file: PathBuf,
    pub slug: String,
    pub title: String,
    pub date: Option<Date>,
    pub summary: String,
    pub draft: bool,
    pub wilayah: Vec<String>,
    pub program: Vec<String>,
    pub tags: Vec<String>,
    pub pilihan: bool,
    pub image: Option<String>,
    pub image_alt: String,
    pub author: Option<String>,
    pub start: Option<DateTime>,
    pub end: Option<DateTime>,
    pub place: Option<String>,
    pub media: Option<MediaKind>,
    pub video: Option<String>,
    pub short_name: Option<String>,
    pub organiser: Option<String>,
    pub legal_basis: Option<String>,
    pub weight: i64,
    pub html: String,
    pub headings: Vec<(String, String)>,
    pub words: usize,
    /// Each front matter key (aliases folded to the Indonesian name) with its line, column and
    /// the line's text, for errors found later (unknown region codes…).
    pub key_lines: Vec<(String, usize, usize, String)>,
}

impl Page {
    /// An error about this page's front matter key, at the key.
    pub(crate) fn error_at_key(
        &self,
        code: Code,
        key: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let d = Diagnostic::error(code, &self.file, message);
        match self.key_lines.iter().find(|(k, ..)| k == key) {
            Some((_, line, col, text)) => {
                let mut d = d.excerpt(format!("{line:>5} | {text}"));
                d.location = crate::diagnostic::Location::Text {
                    line: *line,
                    col: *col,
                };
                d
            }
            None => d,
        }
    }
}

/// Reads every `.md` under `content/`, in parallel; returns pages sorted by file, or every error.
pub(crate) fn load(root: &Path) -> Result<Vec<Page>, Vec<Diagnostic>> {
    let dir = root.join("content");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let files: Vec<PathBuf> = crate::inside::files(root, &dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    let results: Vec<Result<Page, Vec<Diagnostic>>> =
        files.par_iter().map(|f| load_page(root, &dir, f)).collect();
    let mut pages = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(p) => pages.push(p),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(pages)
    } else {
        Err(errors)
    }
}

/// Warnings for tags written differently (beyond case, spaces and dashes) that share one
/// address and so one tag page: `c++` and `c` both become `/tag/c/`.
pub(crate) fn tag_merges(pages: &[Page]) -> Vec<Diagnostic> {
    let key = |t: &str| -> String {
        t.chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
            .collect()
    };
    // slug → (first name, its page) in path order, so the warning names a stable pair.
    let mut order: Vec<&Page> = pages.iter().collect();
    order.sort_by(|a, b| a.file.cmp(&b.file));
    let mut first: std::collections::BTreeMap<String, (&str, &Page)> = Default::default();
    let mut warned = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for p in order {
        for t in &p.tags {
            let Some(slug) = crate::slug::slug_of(t) else {
                continue;
            };
            let (name, page) = *first.entry(slug.clone()).or_insert((t.as_str(), p));
            if key(name) != key(t) && warned.insert((slug.clone(), t.clone())) {
                out.push(
                    Diagnostic::warning(
                        Code::TagsMerged,
                        &p.file,
                        format!(
                            "tag \"{t}\" dan tag \"{name}\" (di {}) sama-sama beralamat /tag/{slug}/ dan tampil sebagai satu tag",
                            page.file.display()
                        ),
                    )
                    .hint("bila keduanya memang berbeda, tulis salah satunya dengan kata lain; bila sama, samakan tulisannya"),
                );
            }
        }
    }
    out
}

pub(crate) fn section_of(rel: &Path) -> Result<Section, String> {
    let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
    match parts.as_slice() {
        ["_index.md"] => Ok(Section::Home),
        [_] => Ok(Section::Halaman),
        ["berita", _] => Ok(Section::Berita),
        ["agenda", _] => Ok(Section::Agenda),
        ["program", _] => Ok(Section::Program),
        ["galeri", _] => Ok(Section::Galeri),
        _ => Err(parts.join("/")),
    }
}

/// At most `n` words, with an ellipsis when cut.
pub(crate) fn truncate_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= n {
        words.join(" ")
    } else {
        format!("{} …", words[..n].join(" "))
    }
}
