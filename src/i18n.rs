//! A second language: its dictionaries (the program's, the theme's, the site's), the language a thread renders in, and `t`/`tf` that translate.
//!
//! Text is written in Bahasa Indonesia everywhere (templates, Rust, data) and looked up, gettext
//! style, by its Indonesian wording. A page in English is rendered with the English dictionary
//! set for the rendering thread ([`scoped`]); `t` gives the translation or, when there is none,
//! the Indonesian text (the build's translation report counts those). Numbers and dates
//! (`locale.rs`) follow the same language.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, display_path};

/// A language the site is written or translated in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub(crate) enum Lang {
    /// Bahasa Indonesia: the language of every source text, at the site's root.
    #[default]
    Id,
    /// English, under `/en/`.
    En,
}

impl Lang {
    /// The language's code, as in `lang="en"` and the `/en/` folder.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// The language's own name, for the language switch.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Lang::Id => "Bahasa Indonesia",
            Lang::En => "English",
        }
    }

    /// The Open Graph locale (`og:locale`).
    pub(crate) fn locale(self) -> &'static str {
        match self {
            Lang::Id => "id_ID",
            Lang::En => "en_GB",
        }
    }

    /// The language of a code that Lumbung can translate into (`en`), if any.
    pub(crate) fn of(code: &str) -> Option<Lang> {
        match code {
            "id" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The address prefix of its pages: `""` or `"/en"`.
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            Lang::Id => "",
            Lang::En => "/en",
        }
    }
}

/// The program's own English strings (messages Rust composes: chart texts, headlines, notes).
const PROGRAM_EN: &str = include_str!("i18n/en.toml");

/// The translations of one language: Indonesian text → translated text.
#[derive(Debug, Default)]
pub(crate) struct Dictionary {
    pub lang: Lang,
    entries: HashMap<String, String>,
}

impl Dictionary {
    /// The translation of `s`, when the dictionary has one.
    pub(crate) fn get(&self, s: &str) -> Option<&str> {
        self.entries.get(s.trim()).map(String::as_str)
    }

    /// True when `s` (trimmed) has a translation; an empty text needs none, nor does a
    /// translation's own wording used as a key.
    pub(crate) fn has(&self, s: &str) -> bool {
        s.trim().is_empty() || self.entries.contains_key(s.trim())
    }

    /// The program's dictionary for `lang`, then the theme's `i18n/<lang>.toml`, then the
    /// site's `i18n/<lang>.toml`, each later one winning. Every unreadable or malformed file
    /// is an error at its position.
    pub(crate) fn load(
        root: &Path,
        theme: &str,
        lang: Lang,
    ) -> Result<Dictionary, Vec<Diagnostic>> {
        let mut entries = HashMap::new();
        let mut errors = Vec::new();
        let name = format!("{}.toml", lang.code());
        if lang == Lang::En {
            // A mistake in the built-in file is caught by a unit test.
            if let Ok(map) = parse(Path::new("(program)"), PROGRAM_EN) {
                entries.extend(map);
            }
        }
        let mut files: Vec<(std::path::PathBuf, Vec<u8>)> = Vec::new();
        for (rel, src) in crate::theme::files(root, theme, "i18n") {
            if rel == name {
                match src.read() {
                    Ok(b) => files.push((src.shown(root), b)),
                    Err(e) => errors.push(unreadable(&src.shown(root), &e.to_string())),
                }
            }
        }
        let site_file = root.join("i18n").join(&name);
        if site_file.is_file() {
            let shown = display_path(root, &site_file);
            if !crate::inside::within(root, &site_file) {
                errors.push(crate::inside::refused(root, &site_file));
            } else {
                match std::fs::read(&site_file) {
                    Ok(b) => files.push((shown, b)),
                    Err(e) => errors.push(unreadable(&shown, &e.to_string())),
                }
            }
        }
        for (shown, bytes) in files {
            let text = match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    errors.push(unreadable(&shown, "bukan teks UTF-8"));
                    continue;
                }
            };
            match parse(&shown, text.trim_start_matches('\u{feff}')) {
                Ok(map) => entries.extend(map),
                Err(d) => errors.extend(d),
            }
        }
        if errors.is_empty() {
            Ok(Dictionary { lang, entries })
        } else {
            Err(errors)
        }
    }

    /// The dictionary of the given entries (tests).
    #[cfg(test)]
    pub(crate) fn of(lang: Lang, pairs: &[(&str, &str)]) -> Dictionary {
        Dictionary {
            lang,
            entries: pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        }
    }
}

fn unreadable(shown: &Path, e: &str) -> Diagnostic {
    Diagnostic::error(
        Code::TranslationUnreadable,
        shown,
        format!("tidak bisa membaca berkas terjemahan: {e}"),
    )
    .hint("simpan berkas sebagai teks UTF-8, satu terjemahan per baris: \"teks Indonesia\" = \"translation\"")
}

/// A dictionary file: a flat TOML table of strings. Every value that is not a string, and
/// every empty one, is an error at its key.
fn parse(shown: &Path, text: &str) -> Result<BTreeMap<String, String>, Vec<Diagnostic>> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let d = Diagnostic::error(
            Code::TranslationSyntax,
            shown,
            format!("berkas terjemahan tidak terbaca: {}", e.message()),
        )
        .hint("tulis satu terjemahan per baris: \"teks Indonesia\" = \"translation\"; tanda kutip di dalam teks ditulis \\\"");
        vec![match e.span() {
            Some(span) => d.at_offset(text, span.start),
            None => d,
        }]
    })?;
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for (k, v) in table {
        match v.as_str() {
            Some(s) if !s.trim().is_empty() => {
                out.insert(k.trim().to_string(), s.trim().to_string());
            }
            _ => {
                let d = Diagnostic::error(
                    Code::TranslationSyntax,
                    shown,
                    format!("terjemahan \"{k}\" bukan teks atau kosong"),
                )
                .hint("tulis terjemahannya di antara tanda kutip, atau hapus baris itu bila belum diterjemahkan");
                errors.push(match text.find(&k) {
                    Some(at) => d.at_offset(text, at),
                    None => d,
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

thread_local! {
    /// The dictionary of the language this thread renders in; none for Bahasa Indonesia.
    static CURRENT: RefCell<Option<Arc<Dictionary>>> = const { RefCell::new(None) };
}

/// Runs `f` with `dict`'s language (none: Bahasa Indonesia) as this thread's, and restores the
/// previous one after, also when `f` unwinds.
pub(crate) fn scoped<R>(dict: Option<&Arc<Dictionary>>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Arc<Dictionary>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            CURRENT.with(|c| *c.borrow_mut() = previous);
        }
    }
    let previous = CURRENT.with(|c| c.replace(dict.cloned()));
    let _restore = Restore(previous);
    f()
}

/// The language this thread renders in.
pub(crate) fn lang() -> Lang {
    CURRENT.with(|c| c.borrow().as_ref().map_or(Lang::Id, |d| d.lang))
}

/// `s` in this thread's language: its translation, or `s` itself when there is none (or the
/// language is Bahasa Indonesia).
pub(crate) fn t(s: &str) -> String {
    CURRENT.with(|c| {
        c.borrow()
            .as_ref()
            .and_then(|d| d.get(s))
            .map_or_else(|| s.to_string(), str::to_string)
    })
}

/// `s` translated, then each `{name}` replaced by its value: `tf("naik {x}", &[("x", "0,3")])`.
pub(crate) fn tf(s: &str, args: &[(&str, &str)]) -> String {
    fill(&t(s), args)
}

/// Each `{name}` of `s` replaced by its value from `args`; other braces stay.
pub(crate) fn fill(s: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            args.iter()
                .find(|(n, _)| *n == &after[..close])
                .map(|(_, v)| (close, v))
        }) {
            Some((close, v)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

pub mod report;

#[cfg(test)]
mod coverage;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_program_dictionary_parses() {
        let map = parse(Path::new("en.toml"), PROGRAM_EN).expect("src/i18n/en.toml is valid");
        assert!(!map.is_empty());
    }

    #[test]
    fn translates_in_scope_only_and_falls_back_to_the_source() {
        let d = Arc::new(Dictionary::of(
            Lang::En,
            &[("Sumber", "Source"), ("naik {x} poin", "up {x} points")],
        ));
        assert_eq!(t("Sumber"), "Sumber");
        scoped(Some(&d), || {
            assert_eq!(lang(), Lang::En);
            assert_eq!(t("Sumber"), "Source");
            assert_eq!(t("Belum diterjemahkan"), "Belum diterjemahkan");
            assert_eq!(tf("naik {x} poin", &[("x", "0.3")]), "up 0.3 points");
            // The Indonesian text inside stays Indonesian.
            scoped(None, || assert_eq!(t("Sumber"), "Sumber"));
            assert_eq!(t("Sumber"), "Source");
        });
        assert_eq!(lang(), Lang::Id);
    }

    #[test]
    fn fill_keeps_unknown_braces() {
        assert_eq!(fill("{a} dan {b} {", &[("a", "1")]), "1 dan {b} {");
    }

    #[test]
    fn a_value_that_is_not_text_is_an_error_at_its_key() {
        let e = parse(
            Path::new("i18n/en.toml"),
            "\"Sumber\" = \"Source\"\n\"Catatan\" = 3\n",
        )
        .unwrap_err();
        assert_eq!(e[0].code, Code::TranslationSyntax);
    }
}
