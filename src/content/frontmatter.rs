//! Front matter: TOML (`+++`) or YAML (`---`) at the top of a Markdown file, read strictly with positions.

use std::path::Path;

use serde::Deserialize;

use crate::calendar::DateTime;
use crate::diagnostic::{Code, Diagnostic, nearest};

/// Every key a page may declare (see docs/formats.md).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FrontMatter {
    #[serde(alias = "title")]
    pub judul: Option<String>,
    #[serde(alias = "date")]
    pub tanggal: Option<toml::Value>,
    #[serde(alias = "summary")]
    pub ringkasan: Option<String>,
    #[serde(alias = "draft", default)]
    pub draf: bool,
    pub slug: Option<String>,
    #[serde(default)]
    pub wilayah: Vec<String>,
    #[serde(default)]
    pub program: Vec<String>,
    #[serde(alias = "tags", default)]
    pub tag: Vec<String>,
    #[serde(default)]
    pub pilihan: bool,
    #[serde(alias = "image")]
    pub gambar: Option<String>,
    pub gambar_alt: Option<String>,
    #[serde(alias = "author")]
    pub penulis: Option<String>,
    pub mulai: Option<toml::Value>,
    pub selesai: Option<toml::Value>,
    pub tempat: Option<String>,
    pub jenis: Option<String>,
    pub video: Option<String>,
    pub singkatan: Option<String>,
    pub penyelenggara: Option<String>,
    pub dasar_hukum: Option<String>,
    #[serde(alias = "weight")]
    pub urutan: Option<i64>,
}

/// Keys for "did you mean" hints.
pub(crate) const KEYS: &[&str] = &[
    "judul",
    "title",
    "tanggal",
    "date",
    "ringkasan",
    "summary",
    "draf",
    "draft",
    "slug",
    "wilayah",
    "program",
    "tag",
    "tags",
    "pilihan",
    "gambar",
    "image",
    "gambar_alt",
    "penulis",
    "author",
    "mulai",
    "selesai",
    "tempat",
    "jenis",
    "video",
    "singkatan",
    "penyelenggara",
    "dasar_hukum",
    "urutan",
    "weight",
];

/// The Indonesian name of a key that may also be written in English (`title` → `judul`).
pub(crate) fn canonical(key: &str) -> &str {
    match key {
        "title" => "judul",
        "date" => "tanggal",
        "summary" => "ringkasan",
        "draft" => "draf",
        "tags" => "tag",
        "image" => "gambar",
        "author" => "penulis",
        "weight" => "urutan",
        k => k,
    }
}

/// A file split into its front matter and body, with byte offsets into the original text.
pub(crate) struct Split<'a> {
    pub front: &'a str,
    pub front_offset: usize,
    pub body: &'a str,
    pub yaml: bool,
}

/// Splits `text` at its front matter fences. Files without front matter are an error: every page needs a title.
pub(crate) fn split<'a>(shown: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let (fence, yaml) = if text.starts_with("+++") {
        ("+++", false)
    } else if text.starts_with("---") {
        ("---", true)
    } else {
        return Err(Diagnostic::error(
            Code::FrontMatterMissing,
            shown,
            "halaman tidak punya front matter",
        )
        .at_text(text, 1, 1)
        .hint("mulai berkas dengan +++, baris judul = \"...\", lalu +++ lagi"));
    };
    let first_nl = text.find('\n').map_or(text.len(), |i| i + 1);
    let rest = &text[first_nl..];
    let mut pos = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == fence {
            let front = &rest[..pos];
            let body_start = first_nl + pos + line.len();
            return Ok(Split {
                front,
                front_offset: first_nl,
                body: &text[body_start..],
                yaml,
            });
        }
        pos += line.len();
    }
    Err(Diagnostic::error(
        Code::FrontMatterUnclosed,
        shown,
        format!("front matter dibuka dengan {fence} tetapi tidak pernah ditutup"),
    )
    .at_text(text, 1, 1)
    .hint(format!(
        "tambahkan baris {fence} setelah kunci terakhir front matter"
    )))
}

/// Parses front matter; errors point into the whole file (`full` with `split.front_offset`).
pub(crate) fn parse(
    shown: &Path,
    full: &str,
    split: &Split<'_>,
) -> Result<FrontMatter, Diagnostic> {
    if split.yaml {
        serde_yaml_ng::from_str::<FrontMatter>(split.front).map_err(|e| {
            // The parser counts lines from the front matter; the file has the fence line above it.
            let before = full[..split.front_offset].matches('\n').count();
            let msg = file_lines(&e.to_string(), before);
            let mut d = Diagnostic::error(code_of(&msg), shown, translate(&msg));
            if let Some(loc) = e.location() {
                d = d.at_offset(full, split.front_offset + loc.index());
            } else {
                d = d.at_text(full, 2, 1);
            }
            hint_for(d, &msg, true)
        })
    } else {
        toml::from_str::<FrontMatter>(split.front).map_err(|e| {
            let msg = e.message().to_string();
            let mut d = Diagnostic::error(code_of(&msg), shown, translate(&msg));
            if let Some(span) = e.span() {
                d = d.at_offset(full, split.front_offset + span.start);
            }
            hint_for(d, &msg, false)
        })
    }
}

/// Rewrites the parser's "at line N column M" (counted in the front matter) as file lines.
fn file_lines(msg: &str, before: usize) -> String {
    let mut out = String::new();
    let mut rest = msg;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        let Ok(n) = after[..digits].parse::<usize>() else {
            out.push_str(" at line ");
            rest = after;
            continue;
        };
        let tail = &after[digits..];
        let (col, tail) = match tail.strip_prefix(" column ") {
            Some(c) => {
                let d = c.chars().take_while(char::is_ascii_digit).count();
                (Some(&c[..d]), &c[d..])
            }
            None => (None, tail),
        };
        out.push_str(&format!(" (baris {}", n + before));
        if let Some(c) = col {
            out.push_str(&format!(", kolom {c}"));
        }
        out.push(')');
        rest = tail;
    }
    out.push_str(rest);
    out
}

fn unknown_field(msg: &str) -> Option<&str> {
    msg.split("unknown field `").nth(1)?.split('`').next()
}

fn code_of(msg: &str) -> Code {
    if unknown_field(msg).is_some() {
        Code::FrontMatterUnknownKey
    } else {
        Code::FrontMatterSyntax
    }
}

fn translate(msg: &str) -> String {
    if let Some(f) = unknown_field(msg) {
        format!("kunci front matter tidak dikenal: \"{f}\"")
    } else {
        format!(
            "front matter tidak sah: {}",
            msg.lines().next().unwrap_or(msg)
        )
    }
}

fn hint_for(d: Diagnostic, msg: &str, yaml: bool) -> Diagnostic {
    match unknown_field(msg) {
        Some(f) => match nearest(f, KEYS.iter().copied(), 1).first() {
            Some(n) => d.hint(format!("mungkin maksudnya \"{n}\"? Daftar kunci ada di docs/formats.md")),
            None => d.hint("hapus kunci ini; daftar kunci ada di docs/formats.md"),
        },
        None if yaml => d.hint("periksa tanda kutip, titik dua dan indentasi: judul: \"…\", tanggal: 2024-03-27, wilayah: [\"36.04\"]"),
        None => d.hint("periksa tanda kutip dan format: judul = \"…\", tanggal = 2024-03-27, wilayah = [\"36.04\"]"),
    }
}

/// Reads a date-like front matter value (TOML date or string) as a date and time.
pub(crate) fn date_time(v: &toml::Value) -> Option<DateTime> {
    match v {
        toml::Value::String(s) => DateTime::parse(s),
        toml::Value::Datetime(d) => DateTime::parse(&d.to_string()),
        _ => None,
    }
}

/// Every top-level front matter key with its 1-based line and column in the whole file, from
/// the parser's spans (for errors found after parsing, such as an unknown region code).
pub(crate) fn key_positions(full: &str, split: &Split<'_>) -> Vec<(String, usize, usize)> {
    let keys = if split.yaml {
        crate::spans::yaml_keys(split.front)
    } else {
        crate::spans::toml_keys(split.front)
    };
    keys.into_iter()
        .map(|(k, offset)| {
            let (line, col) = crate::diagnostic::line_col(full, split.front_offset + offset);
            (k, line, col)
        })
        .collect()
}
