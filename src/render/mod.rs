//! Tera 2 set-up: the theme's templates, the site's overrides, and the Indonesian formatting filters.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::calendar::Date;
use crate::diagnostic::{Code, Diagnostic, display_path};
use crate::locale;
use crate::model::indicator::format_value;

/// The loaded templates, with where each came from (for error messages).
pub(crate) struct Templates {
    pub tera: Tera,
    pub origin: BTreeMap<String, PathBuf>,
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
    Ok(Templates { tera, origin })
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

/// Registers `angka`, `persen`, `rupiah`, `rupiah_penuh`, `nilai`, `tanggal`, `bulan`, `telepon`.
fn register_filters(tera: &mut Tera) {
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
            Ok(Date::parse(v.get(..10).unwrap_or(v))
                .map_or_else(|| v.to_string(), Date::indonesian))
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
