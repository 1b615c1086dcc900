//! Tera 2 set-up: the theme's templates, the site's overrides, and the Indonesian formatting filters.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::calendar::Date;
use crate::diagnostic::{Code, Diagnostic, display_path};
use crate::locale;
use crate::model::indicator::format_value;

/// The loaded templates, with where each came from (for error messages).
#[derive(Clone)]
pub(crate) struct Templates {
    pub tera: Tera,
    pub origin: BTreeMap<String, PathBuf>,
    /// The texts the HTML templates pass to the `t` filter (for the translation report).
    pub texts: std::collections::BTreeSet<String>,
}

/// Template files of the theme (on disk, or built in), overridden by same-named files in the site's `templates/`.
pub(crate) fn load(root: &Path, theme: &str) -> Result<Templates, Vec<Diagnostic>> {
    if !crate::theme::exists(root, theme) {
        return Err(vec![Diagnostic::error(Code::ThemeMissing, display_path(root, &root.join("themes").join(theme)), format!("tema \"{theme}\" tidak ditemukan"))
            .hint("periksa theme = \"…\" di lumbung.toml; tema ada di folder themes/, atau hapus baris itu untuk tema bawaan")]);
    }
    let mut files: BTreeMap<String, crate::theme::Source> = BTreeMap::new();
    files.extend(crate::theme::files(root, theme, "templates"));
    let site_dir = root.join("templates");
    if site_dir.is_dir() {
        files.extend(crate::theme::walk(root, &site_dir));
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml", ".svg"]);
    register_filters(&mut tera);
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for (name, src) in &files {
        match src.read().map(String::from_utf8) {
            Ok(Ok(s)) => sources.push((name.clone(), s)),
            Ok(Err(_)) => errors.push(Diagnostic::error(
                Code::TemplateUnreadable,
                src.shown(root),
                "templat bukan teks UTF-8",
            )),
            Err(e) => errors.push(Diagnostic::error(
                Code::TemplateUnreadable,
                src.shown(root),
                format!("tidak bisa membaca templat: {e}"),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let origin: BTreeMap<String, PathBuf> = files
        .iter()
        .map(|(n, s)| (n.clone(), s.shown(root)))
        .collect();
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str()))) {
        return Err(vec![template_error(&origin, &e)]);
    }
    let texts = sources
        .iter()
        .filter(|(n, _)| n.ends_with(".html"))
        .flat_map(|(_, s)| crate::i18n::report::template_texts(s))
        .collect();
    Ok(Templates {
        tera,
        origin,
        texts,
    })
}

/// A Tera error as a diagnostic, keeping Tera's own `file:line:col` report and naming the real file.
pub(crate) fn template_error(origin: &BTreeMap<String, PathBuf>, e: &tera::Error) -> Diagnostic {
    let mut report = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        report.push_str(&format!("\n{s}"));
        src = s.source();
    }
    let file = origin
        .iter()
        .find(|(name, _)| report.contains(&format!("{name}:")))
        .map_or_else(|| PathBuf::from("templates"), |(_, p)| p.clone());
    Diagnostic::error(Code::TemplateError, file, "templat gagal").excerpt(report).hint(
        "perbaiki templat di baris yang ditunjuk; variabel yang tidak ada adalah kesalahan di Tera 2 (pakai `x or \"\"` atau `x?.y`)",
    )
}

fn decimals(kwargs: &Kwargs, default: usize) -> TeraResult<usize> {
    Ok(kwargs
        .get::<i64>("d")?
        .map_or(default, |d| d.clamp(0, 10) as usize))
}

fn num(v: &Value) -> Option<f64> {
    v.as_f64().or_else(|| v.as_i64().map(|i| i as f64))
}

/// A phone number as a `tel:` URI needs it: `+` and digits only ("+62 254 000 000 (contoh)" →
/// "+62254000000").
fn tel(s: &str) -> String {
    s.chars()
        .enumerate()
        .filter(|&(i, c)| c.is_ascii_digit() || (i == 0 && c == '+'))
        .map(|(_, c)| c)
        .collect()
}

/// Registers `t`, `angka`, `persen`, `rupiah`, `rupiah_penuh`, `nilai`, `tanggal`, `bulan`,
/// `telepon`. Each formats in the language the page is rendered in ([`crate::i18n`]).
fn register_filters(tera: &mut Tera) {
    // `{{ "Unduh data {nama}" | t(nama=region.nama) }}`: the text in the page's language, then
    // each `{name}` filled; a text without a translation stays as written.
    tera.register_filter(
        "t",
        |v: &Value, kw: Kwargs, _: &State| -> TeraResult<String> {
            let text = match v.as_str() {
                Some(s) => crate::i18n::t(s),
                None => v.to_string(),
            };
            let args: Vec<(String, String)> = kw
                .iter()
                .map(|(k, v)| {
                    let value = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                    (k.to_string(), value)
                })
                .collect();
            let args: Vec<(&str, &str)> =
                args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            Ok(crate::i18n::fill(&text, &args))
        },
    );
    tera.register_filter(
        "telepon",
        |v: &str, _: Kwargs, _: &State| -> TeraResult<String> { Ok(tel(v.trim())) },
    );
    tera.register_filter(
        "angka",
        |v: &Value, kw: Kwargs, _: &State| -> TeraResult<String> {
            Ok(num(v).map_or_else(String::new, |n| {
                locale::number(n, decimals(&kw, 0).unwrap_or(0))
            }))
        },
    );
    tera.register_filter(
        "persen",
        |v: &Value, kw: Kwargs, _: &State| -> TeraResult<String> {
            Ok(num(v).map_or_else(String::new, |n| {
                locale::percent(n, decimals(&kw, 2).unwrap_or(2))
            }))
        },
    );
    tera.register_filter(
        "rupiah",
        |v: &Value, _: Kwargs, _: &State| -> TeraResult<String> {
            Ok(num(v).map_or_else(String::new, locale::rupiah))
        },
    );
    tera.register_filter(
        "rupiah_penuh",
        |v: &Value, _: Kwargs, _: &State| -> TeraResult<String> {
            Ok(num(v).map_or_else(String::new, locale::rupiah_full))
        },
    );
    tera.register_filter(
        "nilai",
        |v: &Value, kw: Kwargs, _: &State| -> TeraResult<String> {
            let unit = kw.get::<&str>("satuan")?.unwrap_or("");
            let d = decimals(&kw, 0)?;
            Ok(num(v).map_or_else(|| "–".to_string(), |n| format_value(unit, d, n)))
        },
    );
    tera.register_filter(
        "tanggal",
        |v: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            Ok(Date::parse(v.get(..10).unwrap_or(v)).map_or_else(|| v.to_string(), Date::shown))
        },
    );
    tera.register_filter(
        "bulan",
        |v: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            Ok(Date::parse(v.get(..10).unwrap_or(v))
                .map_or_else(|| v.to_string(), |d| locale::month(d.year, d.month)))
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_tel_uris() {
        assert_eq!(tel("+62 254 000 000 (contoh)"), "+62254000000");
        assert_eq!(tel("(0254) 123-456"), "0254123456");
    }

    #[test]
    fn filters_follow_the_page_language() {
        let mut t = Tera::new();
        register_filters(&mut t);
        t.add_raw_template(
            "x.html",
            "{{ \"Unduh data {nama}\" | t(nama=\"Kota Serang\") }} · {{ 1234.5 | angka(d=1) }} {{ \"2013-03-27\" | tanggal }} {{ 3200000000000 | rupiah }}",
        )
        .unwrap();
        let id = t.render("x.html", &tera::Context::new()).unwrap();
        assert_eq!(
            id,
            "Unduh data Kota Serang · 1.234,5 27 Maret 2013 Rp3,2 triliun"
        );
        let en = std::sync::Arc::new(crate::i18n::Dictionary::of(
            crate::i18n::Lang::En,
            &[("Unduh data {nama}", "Download {nama}'s data")],
        ));
        let out =
            crate::i18n::scoped(Some(&en), || t.render("x.html", &tera::Context::new())).unwrap();
        assert_eq!(
            out,
            "Download Kota Serang&#39;s data · 1,234.5 27 March 2013 Rp3.2 trillion"
        );
    }

    #[test]
    fn filters_format_indonesian() {
        let mut t = Tera::new();
        register_filters(&mut t);
        t.add_raw_template(
            "x.html",
            "{{ 1234.5 | angka(d=1) }} {{ 5.65 | persen }} {{ 3200000000000 | rupiah }} {{ \"2013-03-27\" | tanggal }} {{ 505469 | nilai(satuan=\"rupiah/kapita/bulan\") }}",
        )
        .unwrap();
        let out = t.render("x.html", &tera::Context::new()).unwrap();
        assert_eq!(
            out,
            "1.234,5 5,65% Rp3,2 triliun 27 Maret 2013 Rp505.469 per kapita per bulan"
        );
    }
}
