//! The site configuration `lumbung.toml`, read strictly: an unknown key is an error with its line.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic, display_path};

/// Everything in `lumbung.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The portal's name, shown in the header, page titles and the news feed.
    pub title: String,
    /// The default `<meta name="description">` of pages; empty when not set.
    #[serde(default)]
    pub description: String,
    /// The site's public address (`http://` or `https://`), used for absolute URLs and the link check.
    pub base_url: String,
    /// Language of the site's own texts; only "id" (the default) is accepted. A translation
    /// is declared under `[languages.en]`.
    #[serde(default = "default_language")]
    pub language: String,
    /// Languages the portal is also published in (`[languages.en]`, under `/en/`), with the
    /// settings that read differently in each.
    #[serde(default)]
    pub languages: std::collections::BTreeMap<String, Translated>,
    /// The theme folder under `themes/`; "default" (the default) is built in and needs none.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The time zone agenda times are written in: `WIB` (the default, UTC+7), `WITA` (UTC+8)
    /// or `WIT` (UTC+9); calendar files give times in UTC from it.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// News items per list page.
    #[serde(default = "default_paginate")]
    pub paginate: usize,
    /// "Today" for agenda, as seconds since 1970; `SOURCE_DATE_EPOCH` wins over it.
    #[serde(default)]
    pub source_date_epoch: Option<i64>,
    /// Entries of the main navigation, in order.
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    /// Contact details (`[contact]`); every part may be empty.
    #[serde(default)]
    pub contact: Contact,
    /// Social network links for the footer (`[[social]]`).
    #[serde(default)]
    pub social: Vec<Social>,
    /// Map settings (`[maps]`).
    #[serde(default)]
    pub maps: Maps,
    /// Chart file settings (`[charts]`).
    #[serde(default)]
    pub charts: Charts,
    /// Search page settings (`[search]`).
    #[serde(default)]
    pub search: Search,
    /// Write `.gz` and `.br` copies of text files beside them (off by default: most hosts and
    /// CDNs compress on the fly; turn it on for a host that serves precompressed files).
    #[serde(default)]
    pub precompress: bool,
}

/// The settings of the site in a second language (`[languages.en]`); empty ones are taken
/// from the Indonesian settings.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Translated {
    /// The portal's name in that language.
    #[serde(default)]
    pub title: String,
    /// The default page description in that language.
    #[serde(default)]
    pub description: String,
    /// The main navigation in that language (addresses as in `menu`: `/berita/` leads to
    /// `/en/berita/` where that page exists). Without it, the Indonesian menu is shown, its
    /// names translated by the site's dictionary when it has them.
    #[serde(default)]
    pub menu: Option<Vec<MenuItem>>,
}

/// One entry of the main navigation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    /// The link text.
    pub name: String,
    /// Where the entry points: a site path such as "/berita/" or a full URL.
    pub url: String,
    /// An outside link; the default theme shows it as a header button, not in the menu list.
    #[serde(default)]
    pub external: bool,
}

/// Contact details shown in the footer and on the contact page.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// The publishing organisation's name; empty hides it.
    #[serde(default)]
    pub organisation: String,
    /// The postal address; empty hides it.
    #[serde(default)]
    pub address: String,
    /// The e-mail address, shown as a `mailto:` link; empty hides it.
    #[serde(default)]
    pub email: String,
    /// The telephone number, shown as a `tel:` link; empty hides it.
    #[serde(default)]
    pub phone: String,
    /// Where "Laporkan kesalahan data" points.
    #[serde(default)]
    pub report_error_url: String,
}

/// A social network link.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Social {
    /// The network's name, the link text.
    pub name: String,
    /// The address of the site's profile there.
    pub url: String,
}

/// Map settings.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Maps {
    /// A GeoJSON or TopoJSON file of boundaries, joined on the region code.
    #[serde(default)]
    pub boundaries: Option<String>,
    /// The feature property holding the region code (auto-detected when absent).
    #[serde(default)]
    pub code_property: Option<String>,
}

/// Chart file settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Charts {
    /// The kinds of chart that also get a PNG download, by their file suffix: `garis` (over
    /// time), `daerah` (by a dimension), `rincian` (sub-regions as bars), `peta` (as a map).
    /// Every kind by default; SVG files are always written.
    #[serde(default = "all_png_kinds")]
    pub png: Vec<String>,
}

impl Default for Charts {
    fn default() -> Charts {
        Charts {
            png: all_png_kinds(),
        }
    }
}

/// Search page settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Search {
    /// The most lines (regions and their other names) of the A–Z list on `/cari/`, the search
    /// page that works without JavaScript and where every search from the header lands. Past
    /// it the list stops at the deepest level that fits (never above the kab/kota), and each
    /// region's page lists the regions under it. 3,000 by default: a desa portal's whole list
    /// is a 12 MB page.
    #[serde(default = "default_a_z_max")]
    pub a_z_max: usize,
}

impl Default for Search {
    fn default() -> Search {
        Search {
            a_z_max: default_a_z_max(),
        }
    }
}

fn default_a_z_max() -> usize {
    3_000
}

/// The chart kinds `[charts] png` may name.
pub const PNG_KINDS: [&str; 4] = ["garis", "daerah", "rincian", "peta"];

fn all_png_kinds() -> Vec<String> {
    PNG_KINDS.iter().map(|k| k.to_string()).collect()
}

fn default_language() -> String {
    "id".to_string()
}
fn default_timezone() -> String {
    "WIB".to_string()
}

/// Hours ahead of UTC of Indonesia's time zones.
pub const TIMEZONES: [(&str, i64); 3] = [("WIB", 7), ("WITA", 8), ("WIT", 9)];

impl Config {
    /// The site's time zone: its name and hours ahead of UTC (WIB when not one of them).
    pub fn utc_offset(&self) -> (&'static str, i64) {
        TIMEZONES
            .iter()
            .copied()
            .find(|(n, _)| n.eq_ignore_ascii_case(self.timezone.trim()))
            .unwrap_or(TIMEZONES[0])
    }
}

fn default_theme() -> String {
    "default".to_string()
}
fn default_paginate() -> usize {
    10
}

impl Config {
    /// Reads and checks `lumbung.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join("lumbung.toml");
        let shown = display_path(root, &path);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            vec![
                Diagnostic::error(
                    Code::ConfigUnreadable,
                    &shown,
                    format!("tidak bisa membaca konfigurasi situs: {e}"),
                )
                .hint("jalankan lumbung di folder situs, atau beri --root FOLDER"),
            ]
        })?;
        Self::parse(&shown, &text)
    }

    /// Parses config text; `shown` is the path used in messages. Every unknown key is reported
    /// (each at its line), then every wrong value.
    pub fn parse(shown: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let unknown = unknown_keys(shown, text);
        if !unknown.is_empty() {
            return Err(unknown);
        }
        let config: Config = toml::from_str(text)
            .map_err(|e| vec![toml_diagnostic(shown, text, &e, CONFIG_KEYS)])?;
        let at = |code, path: &str, msg: String, hint: &str| {
            let d = Diagnostic::error(code, shown, msg).hint(hint);
            match crate::spans::toml(text, path) {
                Some(span) => d.at_offset(text, span.start()),
                None => d,
            }
        };
        let mut errors = Vec::new();
        if !config.base_url.starts_with("http://") && !config.base_url.starts_with("https://") {
            errors.push(at(
                Code::ConfigBaseUrl,
                "/base_url",
                format!("base_url \"{}\" bukan alamat web", config.base_url),
                "tulis alamat lengkap, misalnya base_url = \"https://data.contoh.or.id/\"",
            ));
        }
        if config.language != "id" {
            errors.push(at(
                Code::ConfigLanguage,
                "/language",
                format!(
                    "bahasa \"{}\" belum didukung sebagai bahasa utama",
                    config.language
                ),
                "gunakan language = \"id\"; terjemahan bahasa Inggris ditulis di [languages.en]",
            ));
        }
        if !TIMEZONES
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(config.timezone.trim()))
        {
            errors.push(at(
                Code::ConfigTimezone,
                "/timezone",
                format!("zona waktu \"{}\" tidak dikenal", config.timezone),
                "tulis timezone = \"WIB\", \"WITA\" atau \"WIT\" (zona waktu jam agenda)",
            ));
        }
        if config.paginate == 0 {
            errors.push(at(
                Code::ConfigPaginate,
                "/paginate",
                "paginate harus lebih dari 0".into(),
                "misalnya paginate = 10",
            ));
        }
        if !crate::slug::is_slug(&config.theme.replace('_', "-")) {
            errors.push(at(
                Code::ConfigTheme,
                "/theme",
                format!("nama tema \"{}\" bukan nama folder di themes/", config.theme),
                "tulis nama folder tema saja, misalnya theme = \"default\"; tema dibaca dari themes/<nama>/ di folder situs",
            ));
        }
        for (i, kind) in config.charts.png.iter().enumerate() {
            if !PNG_KINDS.contains(&kind.as_str()) {
                errors.push(at(
                    Code::ConfigChartKind,
                    &format!("/charts/png/{i}"),
                    format!("jenis grafik \"{kind}\" tidak dikenal"),
                    "pilih dari \"garis\", \"daerah\", \"rincian\" dan \"peta\", misalnya png = [\"garis\"]",
                ));
            }
        }
        for (path, url) in config.urls() {
            if !url.is_empty() && !allowed_url(url) {
                errors.push(at(
                    Code::ConfigUrl,
                    &path,
                    format!("alamat \"{url}\" tidak boleh dipakai sebagai tautan"),
                    "pakai alamat https://, http://, mailto: atau tel:, atau alamat di situs ini seperti /berita/",
                ));
            }
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// Every URL the settings put on pages, with its key path (`/menu/0/url`).
    fn urls(&self) -> Vec<(String, &str)> {
        let mut urls: Vec<(String, &str)> = Vec::new();
        for (i, m) in self.menu.iter().enumerate() {
            urls.push((format!("/menu/{i}/url"), &m.url));
        }
        for (i, m) in self.social.iter().enumerate() {
            urls.push((format!("/social/{i}/url"), &m.url));
        }
        for (code, t) in &self.languages {
            for (i, m) in t.menu.iter().flatten().enumerate() {
                urls.push((format!("/languages/{code}/menu/{i}/url"), &m.url));
            }
        }
        urls.push((
            "/contact/report_error_url".into(),
            &self.contact.report_error_url,
        ));
        urls
    }

    /// Where each URL of the settings is written in `root/lumbung.toml`, so that a broken one
    /// is reported there once rather than on every page that shows it.
    pub fn link_origins(&self, root: &Path) -> Vec<crate::links::Origin> {
        let path = root.join("lumbung.toml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Vec::new();
        };
        let shown = display_path(root, &path);
        self.urls()
            .into_iter()
            .filter(|(_, url)| !url.is_empty())
            .map(|(key, url)| {
                let d = Diagnostic::error(Code::BrokenLink, &shown, String::new());
                let d = match crate::spans::toml(&text, &key) {
                    Some(span) => d.at_offset(&text, span.start()),
                    None => d,
                };
                (url.to_string(), d)
            })
            .collect()
    }

    /// The settings used to go on reading a site whose `lumbung.toml` is broken, so that the
    /// other files' problems are reported in the same run.
    pub fn fallback() -> Config {
        Config {
            title: String::new(),
            description: String::new(),
            base_url: "https://contoh.invalid/".into(),
            language: default_language(),
            theme: default_theme(),
            timezone: default_timezone(),
            paginate: default_paginate(),
            source_date_epoch: None,
            languages: Default::default(),
            menu: Vec::new(),
            contact: Contact::default(),
            social: Vec::new(),
            maps: Maps::default(),
            charts: Charts::default(),
            search: Search::default(),
            precompress: false,
        }
    }

    /// The settings as pages in `lang` show them: its title, description and menu from
    /// `[languages.<lang>]`, the Indonesian ones where it gives none (menu names through the
    /// dictionary of the thread's language, see [`crate::i18n::t`]).
    pub(crate) fn in_language(&self, lang: crate::i18n::Lang) -> Config {
        let mut c = self.clone();
        let Some(t) = self.languages.get(lang.code()) else {
            return c;
        };
        if !t.title.trim().is_empty() {
            c.title = t.title.clone();
        }
        if !t.description.trim().is_empty() {
            c.description = t.description.clone();
        }
        c.menu = match &t.menu {
            Some(menu) => menu.clone(),
            None => self
                .menu
                .iter()
                .map(|m| MenuItem {
                    name: crate::i18n::t(&m.name),
                    ..m.clone()
                })
                .collect(),
        };
        c
    }

    /// The languages the site is translated into, besides Bahasa Indonesia.
    pub(crate) fn translations(&self) -> Vec<crate::i18n::Lang> {
        self.languages
            .keys()
            .filter_map(|k| crate::i18n::Lang::of(k))
            .filter(|l| *l != crate::i18n::Lang::Id)
            .collect()
    }

    /// The base URL without its trailing slash.
    pub fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The path the site is served under (`/portal` for `https://contoh.or.id/portal/`), empty
    /// when it is served at the root of its host.
    pub fn base_path(&self) -> &str {
        base_path_of(&self.base_url)
    }
}

/// The path part of a base URL, without its trailing slash: `https://a.id/portal/` → `/portal`.
pub fn base_path_of(base_url: &str) -> &str {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..]
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .trim_end_matches('/'),
        None => "",
    }
}

/// Whether a URL from the config may be written as a link: `https:`, `http:`, `mailto:`, `tel:`
/// or an address without a scheme (`/berita/`, `#isi`). `javascript:` and `data:` never.
pub fn allowed_url(url: &str) -> bool {
    let u = url.trim();
    let scheme = u.find(':').map(|i| &u[..i]).filter(|s| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    match scheme {
        None => !u.starts_with("//") && !u.chars().any(char::is_control),
        Some(s) => matches!(
            s.to_ascii_lowercase().as_str(),
            "https" | "http" | "mailto" | "tel"
        ),
    }
}

/// The keys each table of `lumbung.toml` may hold.
const TABLE_KEYS: &[(&str, &[&str])] = &[
    (
        "",
        &[
            "title",
            "description",
            "base_url",
            "language",
            "theme",
            "timezone",
            "paginate",
            "source_date_epoch",
            "menu",
            "contact",
            "social",
            "maps",
            "charts",
            "search",
            "precompress",
            "languages",
        ],
    ),
    ("languages", &["en"]),
    ("menu", &["name", "url", "external"]),
    ("social", &["name", "url"]),
    (
        "contact",
        &[
            "organisation",
            "address",
            "email",
            "phone",
            "report_error_url",
        ],
    ),
    ("maps", &["boundaries", "code_property"]),
    ("charts", &["png"]),
    ("search", &["a_z_max"]),
];

/// Every key of `lumbung.toml` that Lumbung does not know, each at its own position.
fn unknown_keys(shown: &Path, text: &str) -> Vec<Diagnostic> {
    use toml::de::{DeTable, DeValue};
    let Ok(root) = DeTable::parse(text) else {
        return Vec::new(); // a syntax error: the deserializer reports it with its position
    };
    let mut out = Vec::new();
    let mut check = |table: &DeTable<'_>, name: &str| {
        let known = TABLE_KEYS
            .iter()
            .find(|(t, _)| *t == name)
            .map_or(&[][..], |(_, k)| *k);
        for (k, _) in table.iter() {
            let key = k.get_ref().as_ref();
            if known.contains(&key) {
                continue;
            }
            let near = crate::diagnostic::nearest(key, known.iter().copied(), 1);
            let where_ = if name.is_empty() {
                String::new()
            } else {
                format!(" di [{name}]")
            };
            out.push(
                Diagnostic::error(
                    Code::ConfigUnknownKey,
                    shown,
                    format!("kunci tidak dikenal{where_}: \"{key}\""),
                )
                .at_offset(text, k.span().start)
                .hint(match near.first() {
                    Some(n) => format!("kunci \"{key}\" tidak dikenal; mungkin maksudnya \"{n}\"?"),
                    None => format!(
                        "hapus kunci \"{key}\"; lihat docs/formats.md untuk kunci yang dikenal"
                    ),
                }),
            );
        }
    };
    check(root.get_ref(), "");
    for (k, v) in root.get_ref().iter() {
        let name = k.get_ref().as_ref();
        match v.get_ref() {
            DeValue::Table(t) => check(t, name),
            DeValue::Array(a) => {
                for item in a.iter() {
                    if let DeValue::Table(t) = item.get_ref() {
                        check(t, name);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Keys that may appear in `lumbung.toml`, for "did you mean" hints.
const CONFIG_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "timezone",
    "paginate",
    "source_date_epoch",
    "menu",
    "contact",
    "social",
    "maps",
    "precompress",
    "name",
    "url",
    "external",
    "organisation",
    "address",
    "email",
    "phone",
    "report_error_url",
    "boundaries",
    "code_property",
    "charts",
    "png",
    "search",
    "a_z_max",
    "languages",
    "en",
];

/// Turns a TOML error into a diagnostic at its line and column, with a hint for unknown keys.
pub fn toml_diagnostic(
    shown: &Path,
    text: &str,
    e: &toml::de::Error,
    known: &[&str],
) -> Diagnostic {
    let msg = e.message().trim().to_string();
    let code = if unknown_field(&msg).is_some() {
        Code::ConfigUnknownKey
    } else if msg.starts_with("missing field") {
        Code::ConfigMissingKey
    } else {
        Code::ConfigSyntax
    };
    let mut d = Diagnostic::error(code, shown, translate_toml(&msg));
    if let Some(span) = e.span() {
        d = d.at_offset(text, span.start);
    }
    if let Some(unknown) = unknown_field(&msg) {
        let near = crate::diagnostic::nearest(&unknown, known.iter().copied(), 1);
        d = d.hint(match near.first() {
            Some(n) => format!("kunci \"{unknown}\" tidak dikenal; mungkin maksudnya \"{n}\"?"),
            None => {
                format!("hapus kunci \"{unknown}\"; lihat docs/formats.md untuk kunci yang dikenal")
            }
        });
    } else {
        d = d.hint("periksa penulisan TOML: teks dalam tanda kutip, tanggal seperti 2024-03-27, daftar seperti [\"a\", \"b\"]");
    }
    d
}

fn unknown_field(msg: &str) -> Option<String> {
    let rest = msg.split("unknown field `").nth(1)?;
    Some(rest.split('`').next()?.to_string())
}

fn translate_toml(msg: &str) -> String {
    if let Some(f) = unknown_field(msg) {
        return format!("kunci tidak dikenal: \"{f}\"");
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        return format!("kunci wajib tidak ada: \"{}\"", rest.trim_end_matches('`'));
    }
    format!("TOML tidak sah: {msg}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_key_and_line() {
        let t = "title = \"x\"\nbase_url = \"https://a.b/\"\ntitel = \"y\"\n";
        let e = Config::parse(Path::new("lumbung.toml"), t).unwrap_err();
        let s = e[0].to_string();
        assert!(s.contains("\"titel\""), "{s}");
        assert!(s.contains("lumbung.toml:3:1"), "{s}");
        assert!(s.contains("\"title\""), "{s}");
    }

    #[test]
    fn every_unknown_key_is_reported_at_its_own_line() {
        let t = "titel = \"x\"\nbase_url = \"https://a.b/\"\n[contact]\nemial = \"a@b\"\n[[menu]]\nname = \"A\"\nlink = \"/\"\n";
        let e = Config::parse(Path::new("lumbung.toml"), t).unwrap_err();
        let at: Vec<String> = e.iter().map(|d| d.position()).collect();
        assert_eq!(
            at,
            ["lumbung.toml:1:1", "lumbung.toml:4:1", "lumbung.toml:7:1"],
            "{e:?}"
        );
        assert!(e.iter().all(|d| d.code == Code::ConfigUnknownKey));
    }

    #[test]
    fn hostile_urls_and_theme_paths_are_refused() {
        let t = "title = \"x\"\nbase_url = \"https://a.b/\"\ntheme = \"../..\"\n[contact]\nreport_error_url = \"data:text/html,<script>\"\n[[social]]\nname = \"X\"\nurl = \"javascript:alert(1)\"\n[[menu]]\nname = \"A\"\nurl = \"/berita/\"\n";
        let e = Config::parse(Path::new("lumbung.toml"), t).unwrap_err();
        let codes: Vec<(Code, String)> = e.iter().map(|d| (d.code, d.position())).collect();
        assert_eq!(
            codes,
            [
                (Code::ConfigTheme, "lumbung.toml:3:1".to_string()),
                (Code::ConfigUrl, "lumbung.toml:8:1".to_string()),
                (Code::ConfigUrl, "lumbung.toml:5:1".to_string()),
            ]
        );
        for ok in [
            "https://x.org/",
            "mailto:a@b",
            "tel:+62254",
            "/wilayah/",
            "#isi",
        ] {
            assert!(allowed_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:x",
            "data:text/html,x",
            "vbscript:x",
            "//evil.org/",
        ] {
            assert!(!allowed_url(bad), "{bad}");
        }
    }

    #[test]
    fn minimal_config_loads() {
        let c = Config::parse(
            Path::new("l.toml"),
            "title = \"x\"\nbase_url = \"https://a.b/\"\n",
        )
        .unwrap();
        assert_eq!(c.base(), "https://a.b");
        assert_eq!(c.paginate, 10);
    }
}
