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
    /// Language of the site; only "id" (the default) is accepted.
    #[serde(default = "default_language")]
    pub language: String,
    /// The theme folder under `themes/`; "default" (the default) is built in and needs none.
    #[serde(default = "default_theme")]
    pub theme: String,
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

fn default_language() -> String {
    "id".to_string()
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

    /// Parses config text; `shown` is the path used in messages.
    pub fn parse(shown: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
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
                format!("bahasa \"{}\" belum didukung", config.language),
                "gunakan language = \"id\"",
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
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// The base URL without its trailing slash.
    pub fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }
}

/// Keys that may appear in `lumbung.toml`, for "did you mean" hints.
const CONFIG_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "paginate",
    "source_date_epoch",
    "menu",
    "contact",
    "social",
    "maps",
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
