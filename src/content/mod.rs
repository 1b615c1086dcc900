//! Everything under `content/`: Markdown pages with front matter, read in parallel with every error collected.

pub(crate) mod frontmatter;
pub(crate) mod markdown;
mod page;

pub(crate) use page::{load_page, load_translation};

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
    /// The language of its words: Bahasa Indonesia, or a translation's.
    pub lang: crate::i18n::Lang,
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
    /// Shared (`Arc`): the English edition's copy of a page it has no translation of holds
    /// the same text, not a second one.
    pub html: std::sync::Arc<str>,
    pub headings: Vec<(String, String)>,
    pub words: usize,
    /// Each front matter key (aliases folded to the Indonesian name) with its line, column and
    /// the line's text, for errors found later (unknown region codes…).
    pub key_lines: std::sync::Arc<[(String, usize, usize, String)]>,
}

/// A page's translation into another language (`x.en.md` beside `x.md`): only the words;
/// date, regions, tags and the rest are the original's.
#[derive(Debug, Clone)]
pub(crate) struct Translation {
    pub lang: crate::i18n::Lang,
    /// The translation's file as the user sees it (`content/berita/x.en.md`).
    pub file: PathBuf,
    pub title: String,
    pub summary: String,
    pub draft: bool,
    pub image_alt: Option<String>,
    pub html: std::sync::Arc<str>,
    pub headings: Vec<(String, String)>,
    pub words: usize,
}

impl Translation {
    /// The file of the page it translates: `x.en.md` → `x.md`.
    pub(crate) fn original(&self) -> PathBuf {
        let name = self
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = name
            .strip_suffix(&format!(".{}.md", self.lang.code()))
            .unwrap_or(&name);
        self.file.with_file_name(format!("{stem}.md"))
    }
}

impl Page {
    /// This page in the words of `tr` (its own address, date, regions and tags).
    pub(crate) fn translated(&self, tr: &Translation) -> Page {
        Page {
            title: tr.title.clone(),
            summary: tr.summary.clone(),
            image_alt: tr
                .image_alt
                .clone()
                .unwrap_or_else(|| self.image_alt.clone()),
            html: tr.html.clone(),
            headings: tr.headings.clone(),
            words: tr.words,
            file: tr.file.clone(),
            lang: tr.lang,
            ..self.clone()
        }
    }

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

/// The pages of `content/` and their translations.
#[derive(Debug, Default)]
pub(crate) struct Content {
    pub pages: Vec<Page>,
    pub translations: Vec<Translation>,
}

/// The language of a translation's file name (`x.en.md`), if it is one.
fn translation_lang(path: &Path) -> Option<crate::i18n::Lang> {
    let name = path.file_name()?.to_str()?.strip_suffix(".md")?;
    let (_, code) = name.rsplit_once('.')?;
    crate::i18n::Lang::of(code).filter(|l| *l != crate::i18n::Lang::Id)
}

/// Reads every `.md` under `content/`, in parallel: pages, and translations (`x.en.md`) each
/// beside its page (`x.md`, or an error); every error is returned.
pub(crate) fn load(root: &Path) -> Result<Content, Vec<Diagnostic>> {
    let dir = root.join("content");
    if !dir.is_dir() {
        return Ok(Content::default());
    }
    let files: Vec<PathBuf> = crate::inside::files(root, &dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    let results: Vec<Result<Result<Page, Translation>, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|f| match translation_lang(f) {
            Some(lang) => load_translation(root, f, lang).map(Err),
            None => load_page(root, &dir, f).map(Ok),
        })
        .collect();
    let mut content = Content::default();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(Ok(p)) => content.pages.push(p),
            Ok(Err(t)) => content.translations.push(t),
            Err(e) => errors.extend(e),
        }
    }
    let originals: std::collections::BTreeSet<&Path> =
        content.pages.iter().map(|p| p.file.as_path()).collect();
    for t in &content.translations {
        let original = t.original();
        if !originals.contains(original.as_path()) && !errors.iter().any(|e| e.file == original) {
            errors.push(
                Diagnostic::error(
                    Code::TranslationOrphan,
                    &t.file,
                    format!(
                        "terjemahan ini tidak punya halaman asli {}",
                        original.display()
                    ),
                )
                .hint("terjemahan x.en.md diletakkan di samping halamannya x.md dengan nama yang sama; periksa nama berkasnya"),
            );
        }
    }
    if errors.is_empty() {
        Ok(content)
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
