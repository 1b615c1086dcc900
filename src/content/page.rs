//! One Markdown page: read, its front matter parsed and checked key by key (every problem at its key's position), its body rendered.

use std::path::Path;

use super::frontmatter::{self, FrontMatter, Split};
use super::{MediaKind, Page, Section, Translation, markdown, section_of, truncate_words};
use crate::calendar::DateTime;
use crate::diagnostic::{Code, Diagnostic, display_path};
use crate::slug::{is_slug, slug_of, slugify};

/// Reads one page.
pub(crate) fn load_page(
    root: &Path,
    content_dir: &Path,
    path: &Path,
) -> Result<Page, Vec<Diagnostic>> {
    let shown = display_path(root, path);
    let rel = path.strip_prefix(content_dir).unwrap_or(path);
    let section = section_of(rel).map_err(|p| {
        vec![Diagnostic::error(Code::PageUnknownFolder, &shown, format!("halaman di tempat yang tidak dikenal: content/{p}")).hint(
            "letakkan berkas di content/ (halaman biasa) atau di content/berita, agenda, program atau galeri",
        )]
    })?;
    let file = read_file(&shown, path)?;
    let fm = &file.fm;
    let mut check = file.checker(&shown);
    let title = check.title(fm);
    let slug = check.slug(fm, path);
    let date = check.date("tanggal", &fm.tanggal).map(|d| d.date);
    let start = check.date("mulai", &fm.mulai);
    let end = check.date("selesai", &fm.selesai);
    let media = check.media(fm);
    check.section_rules(section, fm, date.is_some(), start, end, media);
    check.addresses(fm);
    check.tags(fm);
    let rendered = markdown::render(file.body());
    if !check.errors.is_empty() {
        return Err(check.errors);
    }
    let summary = summary_of(fm, &rendered);
    let key_lines = check.keys.into();
    let fm = file.fm;
    Ok(Page {
        lang: crate::i18n::Lang::Id,
        section,
        file: shown.clone(),
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
        html: rendered.html.into(),
        headings: rendered.headings,
        words: rendered.words,
        key_lines,
    })
}

/// The front matter keys a translation may set; everything else comes from the original page.
const TRANSLATION_KEYS: [&str; 4] = ["judul", "ringkasan", "gambar_alt", "draf"];

/// Reads one translation (`x.en.md`): its title, summary, image text and body. Every other
/// key is the original page's and is an error here, at its line.
pub(crate) fn load_translation(
    root: &Path,
    path: &Path,
    lang: crate::i18n::Lang,
) -> Result<Translation, Vec<Diagnostic>> {
    let shown = display_path(root, path);
    let file = read_file(&shown, path)?;
    let mut check = file.checker(&shown);
    let title = check.title(&file.fm);
    let own: Vec<(String, usize, usize)> = check
        .keys
        .iter()
        .filter(|(k, ..)| !TRANSLATION_KEYS.contains(&k.as_str()))
        .map(|(k, l, c, _)| (k.clone(), *l, *c))
        .collect();
    for (key, line, col) in own {
        let d = Diagnostic::error(
            Code::TranslationOwnKey,
            &shown,
            format!("terjemahan tidak boleh menulis \"{key}\"; nilainya diambil dari halaman aslinya"),
        )
        .hint("hapus baris ini; terjemahan hanya menulis judul, ringkasan, gambar_alt dan draf, sisanya (tanggal, wilayah, tag …) diambil dari halaman berbahasa Indonesia");
        check.errors.push(d.at_text(&file.text, line, col));
    }
    let rendered = markdown::render(file.body());
    if !check.errors.is_empty() {
        return Err(check.errors);
    }
    let summary = summary_of(&file.fm, &rendered);
    Ok(Translation {
        lang,
        title,
        summary: summary.trim().to_string(),
        draft: file.fm.draf,
        image_alt: file.fm.gambar_alt.clone(),
        file: shown,
        html: rendered.html.into(),
        headings: rendered.headings,
        words: rendered.words,
    })
}

/// A page file read: its text, front matter, where its body starts and each key's position.
struct PageFile {
    text: String,
    fm: FrontMatter,
    body_start: usize,
    keys: Vec<(String, usize, usize, String)>,
}

impl PageFile {
    fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// A checker of this file's front matter, naming it `shown`.
    fn checker<'a>(&'a self, shown: &'a Path) -> Checker<'a> {
        Checker {
            shown,
            text: &self.text,
            keys: self.keys.clone(),
            errors: Vec::new(),
        }
    }
}

/// Reads a page or translation file and parses its front matter.
fn read_file(shown: &Path, path: &Path) -> Result<PageFile, Vec<Diagnostic>> {
    let text = read_text(shown, path).map_err(|d| vec![d])?;
    let split = frontmatter::split(shown, &text).map_err(|d| vec![d])?;
    let fm = frontmatter::parse(shown, &text, &split).map_err(|d| vec![d])?;
    let keys = key_lines(&text, &split);
    let body_start = text.len() - split.body.len();
    Ok(PageFile {
        text,
        fm,
        body_start,
        keys,
    })
}

/// The page's summary: `ringkasan`, else the first 40 words of its first paragraph.
fn summary_of(fm: &FrontMatter, rendered: &markdown::Rendered) -> String {
    fm.ringkasan
        .clone()
        .unwrap_or_else(|| truncate_words(&rendered.first_paragraph, 40))
}

/// The file as UTF-8 text without a byte-order mark, with `\n` line ends.
fn read_text(shown: &Path, path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(
            Code::PageUnreadable,
            shown,
            format!("tidak bisa membaca berkas: {e}"),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Diagnostic::error(
            Code::PageNotUtf8,
            shown,
            format!(
                "berkas bukan teks UTF-8 (bita ke-{})",
                e.utf8_error().valid_up_to()
            ),
        )
        .hint("simpan ulang berkas sebagai UTF-8 di penyunting teks")
    })?;
    Ok(text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n"))
}

/// Each front matter key (by its Indonesian name, aliases folded) with its line, column and the line's text.
fn key_lines(text: &str, split: &Split<'_>) -> Vec<(String, usize, usize, String)> {
    frontmatter::key_positions(text, split)
        .into_iter()
        .map(|(k, line, col)| {
            (
                frontmatter::canonical(&k).to_string(),
                line,
                col,
                text.lines().nth(line - 1).unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Collects the problems of one page's front matter, each at its key.
struct Checker<'a> {
    shown: &'a Path,
    text: &'a str,
    keys: Vec<(String, usize, usize, String)>,
    errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn push(&mut self, code: Code, key: &str, msg: String, hint: &str) {
        let d = Diagnostic::error(code, self.shown, msg).hint(hint);
        let (line, col) = self
            .keys
            .iter()
            .find(|(k, ..)| k == key)
            .map_or((1, 1), |(_, l, c, _)| (*l, *c));
        self.errors.push(d.at_text(self.text, line, col));
    }

    fn title(&mut self, fm: &FrontMatter) -> String {
        let title = fm.judul.clone().unwrap_or_default().trim().to_string();
        if title.is_empty() {
            self.push(
                Code::PageNoTitle,
                "judul",
                "halaman tidak punya judul".into(),
                "tambahkan judul = \"…\" di front matter",
            );
        }
        title
    }

    fn slug(&mut self, fm: &FrontMatter, path: &Path) -> String {
        match &fm.slug {
            Some(s) if is_slug(s) => s.clone(),
            Some(s) => {
                let hint = match slug_of(s) {
                    Some(good) => format!(
                        "slug hanya berisi huruf kecil, angka dan tanda minus, misalnya \"{good}\""
                    ),
                    None => "slug hanya berisi huruf kecil, angka dan tanda minus, misalnya \"rakor-tkpkd\"".to_string(),
                };
                self.push(
                    Code::PageBadSlug,
                    "slug",
                    format!("slug \"{s}\" tidak boleh dipakai"),
                    &hint,
                );
                slugify(s)
            }
            None => {
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                match slug_of(&stem) {
                    Some(slug) => slug,
                    None => {
                        self.errors.push(
                            Diagnostic::error(
                                Code::PageBadSlug,
                                self.shown,
                                format!("nama berkas \"{stem}.md\" tidak berisi huruf atau angka, jadi halaman ini tidak punya alamat"),
                            )
                            .hint("ganti nama berkasnya, misalnya rakor-tkpkd.md, atau tulis slug = \"rakor-tkpkd\" di kepala halaman"),
                        );
                        String::new()
                    }
                }
            }
        }
    }

    fn date(&mut self, key: &str, v: &Option<toml::Value>) -> Option<DateTime> {
        let v = v.as_ref()?;
        let parsed = frontmatter::date_time(v);
        if parsed.is_none() {
            self.push(
                Code::PageBadDate,
                key,
                format!("{key} tidak bisa dibaca sebagai tanggal: {v}"),
                "tulis tanggal seperti 2024-03-27 atau tanggal dan jam seperti 2024-03-27T09:00",
            );
        }
        parsed
    }

    fn media(&mut self, fm: &FrontMatter) -> Option<MediaKind> {
        match fm.jenis.as_deref() {
            None => None,
            Some("foto") => Some(MediaKind::Foto),
            Some("video") => Some(MediaKind::Video),
            Some(other) => {
                self.push(
                    Code::PageBadMediaKind,
                    "jenis",
                    format!("jenis \"{other}\" tidak dikenal"),
                    "pilih jenis = \"foto\" atau jenis = \"video\"",
                );
                None
            }
        }
    }

    /// What each section requires: news a date, agenda a start and a place, gallery items a kind.
    fn section_rules(
        &mut self,
        section: Section,
        fm: &FrontMatter,
        has_date: bool,
        start: Option<DateTime>,
        end: Option<DateTime>,
        media: Option<MediaKind>,
    ) {
        match section {
            Section::Berita if !has_date && fm.tanggal.is_none() => self.push(
                Code::NewsNoDate,
                "judul",
                "berita harus punya tanggal".into(),
                "tambahkan tanggal = 2024-03-27 di front matter",
            ),
            Section::Agenda => {
                if start.is_none() && fm.mulai.is_none() {
                    self.push(
                        Code::AgendaNoStart,
                        "judul",
                        "agenda harus punya waktu mulai".into(),
                        "tambahkan mulai = 2024-03-27T09:00",
                    );
                }
                if fm.tempat.as_deref().is_none_or(|t| t.trim().is_empty()) {
                    self.push(
                        Code::AgendaNoPlace,
                        "judul",
                        "agenda harus punya tempat".into(),
                        "tambahkan tempat = \"…\"",
                    );
                }
                if let (Some(s), Some(e)) = (start, end)
                    && e < s
                {
                    self.push(
                        Code::AgendaEndsBeforeStart,
                        "selesai",
                        "agenda selesai sebelum mulai".into(),
                        "periksa tanggal mulai dan selesai",
                    );
                }
            }
            Section::Galeri => {
                if media.is_none() && fm.jenis.is_none() {
                    self.push(
                        Code::GalleryNoKind,
                        "judul",
                        "item galeri harus punya jenis".into(),
                        "tambahkan jenis = \"foto\" atau jenis = \"video\"",
                    );
                }
                if media == Some(MediaKind::Video) && fm.video.is_none() {
                    self.push(
                        Code::VideoNoUrl,
                        "jenis",
                        "video tidak punya alamat".into(),
                        "tambahkan video = \"https://www.youtube.com/watch?v=…\"",
                    );
                }
            }
            _ => {}
        }
    }

    /// The video is a web address; the image lies in static/ or on https.
    fn addresses(&mut self, fm: &FrontMatter) {
        if let Some(v) = &fm.video
            && !(v.starts_with("https://") || v.starts_with("http://"))
        {
            self.push(
                Code::VideoBadUrl,
                "video",
                format!("alamat video \"{v}\" bukan alamat web"),
                "tulis alamat lengkap yang diawali https://",
            );
        }
        if let Some(g) = &fm.gambar
            && (g.contains("..") || !(g.starts_with('/') || g.starts_with("https://")))
        {
            self.push(
                Code::PageBadImage,
                "gambar",
                format!("alamat gambar \"{g}\" tidak bisa dipakai"),
                "tulis alamat di dalam static/, misalnya \"/img/foto.jpg\"",
            );
        }
    }

    fn tags(&mut self, fm: &FrontMatter) {
        for (i, t) in fm.tag.iter().enumerate() {
            if t.trim().is_empty() {
                self.push(
                    Code::PageEmptyTag,
                    "tag",
                    format!("tag ke-{} kosong", i + 1),
                    "hapus tag kosong",
                );
            } else if slug_of(t).is_none() {
                self.push(
                    Code::PageEmptyTag,
                    "tag",
                    format!(
                        "tag ke-{} \"{}\" tidak berisi huruf atau angka, jadi tidak punya alamat",
                        i + 1,
                        t.trim()
                    ),
                    "tulis tag dengan huruf atau angka, misalnya \"bansos\", atau hapus tag ini",
                );
            }
        }
    }
}
