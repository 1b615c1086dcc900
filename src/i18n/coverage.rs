//! Every text the program passes to `t`/`tf` as a literal has an English entry in `src/i18n/en.toml`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, in path order.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The Rust string literal whose opening quote is at `src[0]`, unescaped; `None` when it is not
/// closed (or is a raw or byte string, which this does not read).
fn string_literal(src: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = src.strip_prefix('"')?.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                '0' => out.push('\0'),
                '\\' => out.push('\\'),
                '"' => out.push('"'),
                '\'' => out.push('\''),
                // A line continuation: the newline and the next line's leading whitespace go.
                '\n' => {
                    while chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                }
                'u' => {
                    let mut hex = String::new();
                    for c in chars.by_ref() {
                        match c {
                            '{' => {}
                            '}' => break,
                            c => hex.push(c),
                        }
                    }
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                'x' => {
                    let hex: String = [chars.next()?, chars.next()?].iter().collect();
                    out.push(char::from(u8::from_str_radix(&hex, 16).ok()?));
                }
                other => {
                    out.push('\\');
                    out.push(other);
                }
            },
            c => out.push(c),
        }
    }
    None
}

/// The literal first arguments of every `t("…")` and `tf("…", …)` call in `src`, also as
/// `i18n::t("…")` (a call preceded by an identifier character or `.` — `fmt(`, `x.t(` — is
/// another function).
fn literal_calls(src: &str) -> Vec<String> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    for name in ["t(", "tf("] {
        let mut from = 0;
        while let Some(at) = src[from..].find(name).map(|i| i + from) {
            from = at + name.len();
            let before = at.checked_sub(1).map(|i| bytes[i]);
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.') {
                continue;
            }
            let arg = src[from..].trim_start();
            if arg.starts_with('"')
                && let Some(s) = string_literal(arg)
            {
                out.push(s);
            }
        }
    }
    out
}

/// The `{name}` placeholders of a text.
fn placeholders(s: &str) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if !after[..close].is_empty()
                    && after[..close]
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_') =>
            {
                out.insert(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

#[test]
fn every_literal_passed_to_t_has_an_english_entry() {
    let dictionary = super::parse(Path::new("en.toml"), super::PROGRAM_EN)
        .unwrap_or_else(|e| panic!("src/i18n/en.toml is not valid: {e:?}"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let skipped = [root.join("src/i18n.rs"), root.join("src/i18n/coverage.rs")];
    let mut missing = Vec::new();
    let mut found = 0;
    for file in files.iter().filter(|f| !skipped.contains(f)) {
        let src = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        for text in literal_calls(&src) {
            found += 1;
            if !dictionary.contains_key(text.trim()) {
                let shown = file.strip_prefix(root).unwrap_or(file).display();
                missing.push(format!("  {shown}: {text:?}"));
            }
        }
    }
    assert!(found > 0, "no call of t or tf found under src/");
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "{} text(s) passed to t/tf have no entry in src/i18n/en.toml:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn every_translation_keeps_its_placeholders() {
    let dictionary = super::parse(Path::new("en.toml"), super::PROGRAM_EN)
        .unwrap_or_else(|e| panic!("src/i18n/en.toml is not valid: {e:?}"));
    let wrong: Vec<String> = dictionary
        .iter()
        .filter(|(k, v)| placeholders(k) != placeholders(v))
        .map(|(k, v)| format!("  {k:?} = {v:?}"))
        .collect();
    assert!(
        wrong.is_empty(),
        "translations whose {{placeholders}} differ from their key's:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_scanner_reads_literals_and_skips_other_calls() {
    let src = "let a = t(\"Sumber\"); let b = tf(\n    \"naik {x} \\\"poin\\\" \\\n     persen\",\n &[]);\n\
               fmt(\"no\"); x.t(\"no\"); i18n::t(\"Catatan\"); t(name); tf(r\"raw\", &[]);";
    assert_eq!(
        literal_calls(src),
        ["Sumber", "Catatan", "naik {x} \"poin\" persen"]
    );
    assert_eq!(
        placeholders("{a} dan {b_c} {"),
        BTreeSet::from(["a", "b_c"])
    );
}
