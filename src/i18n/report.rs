//! The translation report a build prints: of each kind of page and text, how much the translation has.

use serde::{Deserialize, Serialize};

use super::Dictionary;
use crate::content::Section;
use crate::model::Site;

/// How much of one kind is translated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    /// What is counted (`berita`, `teks tema`, `judul dan satuan data` …).
    pub kind: String,
    /// How many have a translation.
    pub done: usize,
    /// How many there are.
    pub total: usize,
    /// The first few without one, in order, to show where to start.
    pub missing: Vec<String>,
}

/// The completeness of one translation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The language's code (`en`).
    pub lang: String,
    /// Content pages by section (a page is translated by a sibling `x.en.md`).
    pub pages: Vec<Count>,
    /// Texts by kind: the templates', the settings', the data's.
    pub texts: Vec<Count>,
}

/// How many missing items a count names.
const SHOWN: usize = 5;

fn count(kind: &str, items: impl IntoIterator<Item = (String, bool)>) -> Count {
    let mut c = Count {
        kind: kind.to_string(),
        ..Count::default()
    };
    let mut seen = std::collections::BTreeSet::new();
    for (item, done) in items {
        if item.trim().is_empty() || !seen.insert(item.clone()) {
            continue;
        }
        c.total += 1;
        if done {
            c.done += 1;
        } else if c.missing.len() < SHOWN {
            c.missing.push(item);
        }
    }
    c
}

/// The report of `dict`'s translation of `site`, whose templates pass `template_texts` to `t`.
pub(crate) fn report(
    site: &Site,
    dict: &Dictionary,
    template_texts: &std::collections::BTreeSet<String>,
) -> Report {
    let sections = [
        (Section::Home, "beranda"),
        (Section::Halaman, "halaman"),
        (Section::Berita, "berita"),
        (Section::Agenda, "agenda"),
        (Section::Program, "program"),
        (Section::Galeri, "galeri"),
    ];
    let pages = sections
        .iter()
        .map(|(s, kind)| {
            count(
                kind,
                site.section(*s).map(|(i, p)| {
                    (
                        p.file.display().to_string(),
                        site.translations.contains_key(&i),
                    )
                }),
            )
        })
        .filter(|c| c.total > 0)
        .collect();
    let settings = site.config.languages.get(dict.lang.code());
    let mut texts = vec![count(
        "teks tema",
        template_texts.iter().map(|s| (s.clone(), dict.has(s))),
    )];
    let own = |set: bool, s: &str| (s.to_string(), set || dict.has(s));
    let mut config_texts = vec![
        own(
            settings.is_some_and(|t| !t.title.trim().is_empty()),
            &site.config.title,
        ),
        own(
            settings.is_some_and(|t| !t.description.trim().is_empty()),
            &site.config.description,
        ),
    ];
    let menu_given = settings.is_some_and(|t| t.menu.is_some());
    config_texts.extend(site.config.menu.iter().map(|m| own(menu_given, &m.name)));
    texts.push(count("judul situs dan menu", config_texts));
    let mut data = Vec::new();
    for ind in &site.indicators {
        data.push(ind.title.clone());
        data.push(ind.unit.clone());
        data.push(ind.description.clone());
    }
    for d in &site.datasets {
        data.push(d.title.clone());
        data.push(d.description.clone());
        for (_, f) in d.measures() {
            data.push(f.title.clone());
        }
    }
    let units = ["persen", "rupiah", "rupiah/kapita/bulan", "indeks", ""];
    texts.push(count(
        "judul, satuan dan uraian data",
        data.into_iter()
            .filter(|s| !units.contains(&s.as_str()))
            .map(|s| {
                let done = dict.has(&s);
                (s, done)
            }),
    ));
    Report {
        lang: dict.lang.code().to_string(),
        pages,
        texts,
    }
}

impl std::fmt::Display for Report {
    /// `Terjemahan en: halaman 3 dari 28 (berita 1/20, …); teks tema 212/212; …`, then a line per
    /// kind with missing items.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let done: usize = self.pages.iter().map(|c| c.done).sum();
        let total: usize = self.pages.iter().map(|c| c.total).sum();
        let by: Vec<String> = self
            .pages
            .iter()
            .map(|c| format!("{} {}/{}", c.kind, c.done, c.total))
            .collect();
        write!(
            f,
            "Terjemahan {}: halaman {done} dari {total} diterjemahkan ({})",
            self.lang,
            by.join(", ")
        )?;
        for c in &self.texts {
            write!(f, "; {} {}/{}", c.kind, c.done, c.total)?;
        }
        write!(f, ".")?;
        for c in self.pages.iter().chain(&self.texts) {
            if c.missing.is_empty() {
                continue;
            }
            let more = c.total - c.done - c.missing.len();
            let quoted: Vec<String> = c
                .missing
                .iter()
                .map(|m| {
                    let short: String = m.chars().take(70).collect();
                    if short.len() < m.len() {
                        format!("\"{short}…\"")
                    } else {
                        format!("\"{m}\"")
                    }
                })
                .collect();
            write!(
                f,
                "\n  belum diterjemahkan ({}): {}{}",
                c.kind,
                quoted.join(", "),
                if more > 0 {
                    format!(" dan {more} lagi")
                } else {
                    String::new()
                }
            )?;
        }
        Ok(())
    }
}

/// The texts a template passes to the `t` filter as literals: `{{ "Unduh" | t }}`,
/// `("menurut provinsi" | t)`.
pub(crate) fn template_texts(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        // A string literal: up to the next unescaped quote.
        let mut j = i + 1;
        let mut text = String::new();
        while j < bytes.len() && bytes[j] != b'"' {
            if bytes[j] == b'\\' && j + 1 < bytes.len() {
                j += 1;
            }
            let ch_len = source[j..].chars().next().map_or(1, char::len_utf8);
            text.push_str(&source[j..j + ch_len]);
            j += ch_len;
        }
        let rest = source.get(j + 1..).unwrap_or("").trim_start();
        if let Some(after) = rest.strip_prefix('|')
            && let Some(after) = after.trim_start().strip_prefix('t')
            && !after.starts_with(|c: char| c.is_alphanumeric() || c == '_')
        {
            out.push(text);
        }
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_literals_given_to_t() {
        let src = r#"<h2>{{ "Ringkasan" | t }}</h2>{{ x | title }}{{ "a \"b\"" |t(n=1) }}{% set c = ("menurut provinsi" | t) ~ "," %}{{ "tidak" | trim }}"#;
        assert_eq!(
            template_texts(src),
            vec!["Ringkasan", "a \"b\"", "menurut provinsi"]
        );
    }
}
