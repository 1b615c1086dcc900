//! Everything under `content/`: Markdown pages with front matter, read in parallel with every error collected.

pub mod frontmatter;
pub mod markdown;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::calendar::{Date, DateTime};
use crate::diagnostic::{Diagnostic, display_path};
use crate::slug::{is_slug, slugify};

/// The part of the site a page belongs to, from its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// `content/_index.md`: text for the home page.
    Home,
    Berita,
    Agenda,
    Program,
    Galeri,
    /// Any `.md` directly in `content/` (tentang, hubungi-kami).
    Halaman,
}

impl Section {
    /// The URL prefix of the section (`berita`), empty for plain pages.
    pub fn dir(self) -> &'static str {
        match self {
            Section::Home | Section::Halaman => "",
            Section::Berita => "berita",
            Section::Agenda => "agenda",
            Section::Program => "program",
            Section::Galeri => "galeri",
        }
    }
}

/// A gallery item's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    Foto,
    Video,
}

/// One Markdown page, parsed and rendered.
#[derive(Debug, Clone)]
pub struct Page {
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
    /// Line (1-based) of each front matter key, for errors found later (unknown region codes…).
    pub key_lines: Vec<(String, usize, String)>,
}

impl Page {
    /// Where a later check should point for `key`: (line, col, line text).
    pub fn key_position(&self, key: &str) -> Option<(usize, &str)> {
        self.key_lines
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, l, t)| (*l, t.as_str()))
    }

    /// An error about this page's front matter key.
    pub fn error_at_key(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let d = Diagnostic::error(&self.file, message);
        match self.key_position(key) {
            Some((line, text)) => {
                let mut d = d.excerpt(format!("{line:>5} | {text}"));
                d.location = crate::diagnostic::Location::Text { line, col: 1 };
                d
            }
            None => d,
        }
    }
}

/// Reads every `.md` under `content/`, in parallel; returns pages sorted by file, or every error.
pub fn load(root: &Path) -> Result<Vec<Page>, Vec<Diagnostic>> {
    let dir = root.join("content");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
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

fn section_of(rel: &Path) -> Result<Section, String> {
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

/// Reads one page.
pub fn load_page(root: &Path, content_dir: &Path, path: &Path) -> Result<Page, Vec<Diagnostic>> {
    let shown = display_path(root, path);
    let rel = path.strip_prefix(content_dir).unwrap_or(path);
    let section = section_of(rel).map_err(|p| {
        vec![Diagnostic::error(&shown, format!("halaman di tempat yang tidak dikenal: content/{p}")).hint(
            "letakkan berkas di content/ (halaman biasa) atau di content/berita, agenda, program atau galeri",
        )]
    })?;
    let bytes = std::fs::read(path).map_err(|e| {
        vec![Diagnostic::error(
            &shown,
            format!("tidak bisa membaca berkas: {e}"),
        )]
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        vec![
            Diagnostic::error(
                &shown,
                format!(
                    "berkas bukan teks UTF-8 (bita ke-{})",
                    e.utf8_error().valid_up_to()
                ),
            )
            .hint("simpan ulang berkas sebagai UTF-8 di penyunting teks"),
        ]
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n");
    let split = frontmatter::split(&shown, &text).map_err(|d| vec![d])?;
    let fm = frontmatter::parse(&shown, &text, &split).map_err(|d| vec![d])?;

    let mut errors = Vec::new();
    let key_lines: Vec<(String, usize, String)> = frontmatter::KEYS
        .iter()
        .filter_map(|k| {
            frontmatter::key_line(&text, &split, k).map(|(l, _)| {
                (
                    k.to_string(),
                    l,
                    text.lines().nth(l - 1).unwrap_or("").to_string(),
                )
            })
        })
        .collect();
    let at = |key: &str, msg: String, hint: &str| -> Diagnostic {
        let d = Diagnostic::error(&shown, msg).hint(hint);
        match frontmatter::key_line(&text, &split, key) {
            Some((l, c)) => d.at_text(&text, l, c),
            None => d.at_text(&text, 1, 1),
        }
    };

    let title = fm.judul.clone().unwrap_or_default().trim().to_string();
    if title.is_empty() {
        errors.push(at(
            "judul",
            "halaman tidak punya judul".into(),
            "tambahkan judul = \"…\" di front matter",
        ));
    }
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("halaman");
    let slug = match &fm.slug {
        Some(s) if is_slug(s) => s.clone(),
        Some(s) => {
            errors.push(at(
                "slug",
                format!("slug \"{s}\" tidak boleh dipakai"),
                &format!(
                    "slug hanya berisi huruf kecil, angka dan tanda minus, misalnya \"{}\"",
                    slugify(s)
                ),
            ));
            slugify(s)
        }
        None => slugify(stem),
    };
    let mut read_dt = |key: &str, v: &Option<toml::Value>| -> Option<DateTime> {
        let v = v.as_ref()?;
        let parsed = frontmatter::date_time(v);
        if parsed.is_none() {
            errors.push(at(
                key,
                format!("{key} tidak bisa dibaca sebagai tanggal: {v}"),
                "tulis tanggal seperti 2024-03-27 atau tanggal dan jam seperti 2024-03-27T09:00",
            ));
        }
        parsed
    };
    let date = read_dt("tanggal", &fm.tanggal).map(|d| d.date);
    let start = read_dt("mulai", &fm.mulai);
    let end = read_dt("selesai", &fm.selesai);

    let media = match fm.jenis.as_deref() {
        None => None,
        Some("foto") => Some(MediaKind::Foto),
        Some("video") => Some(MediaKind::Video),
        Some(other) => {
            errors.push(at(
                "jenis",
                format!("jenis \"{other}\" tidak dikenal"),
                "pilih jenis = \"foto\" atau jenis = \"video\"",
            ));
            None
        }
    };
    match section {
        Section::Berita if date.is_none() && fm.tanggal.is_none() => {
            errors.push(at(
                "judul",
                "berita harus punya tanggal".into(),
                "tambahkan tanggal = 2024-03-27 di front matter",
            ));
        }
        Section::Agenda => {
            if start.is_none() && fm.mulai.is_none() {
                errors.push(at(
                    "judul",
                    "agenda harus punya waktu mulai".into(),
                    "tambahkan mulai = 2024-03-27T09:00",
                ));
            }
            if fm.tempat.as_deref().is_none_or(|t| t.trim().is_empty()) {
                errors.push(at(
                    "judul",
                    "agenda harus punya tempat".into(),
                    "tambahkan tempat = \"…\"",
                ));
            }
            if let (Some(s), Some(e)) = (start, end)
                && e < s
            {
                errors.push(at(
                    "selesai",
                    "agenda selesai sebelum mulai".into(),
                    "periksa tanggal mulai dan selesai",
                ));
            }
        }
        Section::Galeri => {
            if media.is_none() && fm.jenis.is_none() {
                errors.push(at(
                    "judul",
                    "item galeri harus punya jenis".into(),
                    "tambahkan jenis = \"foto\" atau jenis = \"video\"",
                ));
            }
            if media == Some(MediaKind::Video) && fm.video.is_none() {
                errors.push(at(
                    "jenis",
                    "video tidak punya alamat".into(),
                    "tambahkan video = \"https://www.youtube.com/watch?v=…\"",
                ));
            }
        }
        _ => {}
    }
    if let Some(v) = &fm.video
        && !(v.starts_with("https://") || v.starts_with("http://"))
    {
        errors.push(at(
            "video",
            format!("alamat video \"{v}\" bukan alamat web"),
            "tulis alamat lengkap yang diawali https://",
        ));
    }
    if let Some(g) = &fm.gambar
        && (g.contains("..") || !(g.starts_with('/') || g.starts_with("https://")))
    {
        errors.push(at(
            "gambar",
            format!("alamat gambar \"{g}\" tidak bisa dipakai"),
            "tulis alamat di dalam static/, misalnya \"/img/foto.jpg\"",
        ));
    }
    for (i, t) in fm.tag.iter().enumerate() {
        if t.trim().is_empty() {
            errors.push(at(
                "tag",
                format!("tag ke-{} kosong", i + 1),
                "hapus tag kosong",
            ));
        }
    }

    let rendered = markdown::render(split.body);
    let summary = fm
        .ringkasan
        .clone()
        .unwrap_or_else(|| truncate_words(&rendered.first_paragraph, 40));
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Page {
        section,
        file: shown,
        slug,
        title,
        date: date.or(start.map(|s| s.date)),
        summary: summary.trim().to_string(),
        draft: fm.draf,
        wilayah: fm.wilayah.iter().map(|w| w.trim().to_string()).collect(),
        program: fm.program.iter().map(|p| p.trim().to_string()).collect(),
        tags: fm.tag.iter().map(|t| t.trim().to_lowercase()).collect(),
        pilihan: fm.pilihan,
        image: fm.gambar,
        image_alt: fm.gambar_alt.unwrap_or_default(),
        author: fm.penulis,
        start,
        end,
        place: fm.tempat,
        media,
        video: fm.video,
        short_name: fm.singkatan,
        organiser: fm.penyelenggara,
        legal_basis: fm.dasar_hukum,
        weight: fm.urutan.unwrap_or(0),
        html: rendered.html,
        headings: rendered.headings,
        words: rendered.words,
        key_lines,
    })
}

/// At most `n` words, with an ellipsis when cut.
pub fn truncate_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= n {
        words.join(" ")
    } else {
        format!("{} …", words[..n].join(" "))
    }
}
