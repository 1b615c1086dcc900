//! Where a key or value sits in a JSON, TOML or YAML text, taken from the parsers' own spans (never by searching the text).
//!
//! Paths are JSON-Pointer-like: `/resources/0/schema/fields/3/type`. A numeric step indexes an
//! array; any other step names a key. A problem found after parsing (a bad resource `path`, an
//! unknown `lumbung:` key, a wrong `base_url`) is placed at the node the path names, so the
//! licence's `"path"` can never be mistaken for the resource's.

use std::ops::Range;

/// Where a node is: the byte range of its key (when it is an object member) and of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    /// The member's key, quotes included; `None` for array elements and the root.
    pub key: Option<Range<usize>>,
    /// The value.
    pub value: Range<usize>,
}

impl Span {
    /// The key when there is one, else the value: where a message about this member points.
    pub(crate) fn start(&self) -> usize {
        self.key.as_ref().map_or(self.value.start, |k| k.start)
    }
}

fn steps(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

/// The span of the node at `path` in a JSON text, or `None` when the text does not parse or has no such node.
pub(crate) fn json(text: &str, path: &str) -> Option<Span> {
    use jsonc_parser::ast::Value;
    use jsonc_parser::common::Ranged;
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default()).ok()?;
    let mut node = parsed.value?;
    let mut key = None;
    for step in steps(path) {
        let next = match node {
            Value::Object(o) => {
                let prop = o.properties.into_iter().find(|p| p.name.as_str() == step)?;
                key = Some(prop.name.range());
                prop.value
            }
            Value::Array(a) => {
                let i: usize = step.parse().ok()?;
                key = None;
                a.elements.into_iter().nth(i)?
            }
            _ => return None,
        };
        node = next;
    }
    let r = node.range();
    Some(Span {
        key: key.map(|k| k.start..k.end),
        value: r.start..r.end,
    })
}

/// The span of the node at `path` in a TOML text (`/menu/2/url` is the `url` of the third `[[menu]]`).
pub(crate) fn toml(text: &str, path: &str) -> Option<Span> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let whole = root.span();
    let mut table: &DeTable<'_> = root.get_ref();
    let mut array: Option<&toml::de::DeArray<'_>> = None;
    let mut span = Span {
        key: None,
        value: whole,
    };
    for step in steps(path) {
        let value = if let Some(a) = array.take() {
            let v = a.get(step.parse::<usize>().ok()?)?;
            span = Span {
                key: None,
                value: v.span(),
            };
            v
        } else {
            let (k, v) = table.get_key_value(step)?;
            span = Span {
                key: Some(k.span()),
                value: v.span(),
            };
            v
        };
        match value.get_ref() {
            DeValue::Table(t) => table = t,
            DeValue::Array(a) => array = Some(a),
            _ => {}
        }
    }
    Some(span)
}

/// The top-level keys of a TOML document with the byte offset where each key starts.
pub(crate) fn toml_keys(text: &str) -> Vec<(String, usize)> {
    let Ok(root) = toml::de::DeTable::parse(text) else {
        return Vec::new();
    };
    let mut keys: Vec<(String, usize)> = root
        .get_ref()
        .iter()
        .map(|(k, _)| (k.get_ref().to_string(), k.span().start))
        .collect();
    keys.sort_by_key(|(_, o)| *o);
    keys
}

/// The top-level keys of a YAML mapping with the byte offset where each key starts.
pub(crate) fn yaml_keys(text: &str) -> Vec<(String, usize)> {
    use yaml_rust2::parser::{Event, Parser};
    let mut parser = Parser::new_from_str(text);
    let mut out = Vec::new();
    // Depth of nested collections; at depth 1 inside the root mapping, every other scalar is a key.
    let mut depth = 0usize;
    let mut expect_key = false;
    while let Ok((event, mark)) = parser.next_token() {
        match event {
            Event::StreamEnd => break,
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if depth == 1 {
                    expect_key = true;
                }
                depth += 1;
                if depth == 1 {
                    expect_key = true;
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                depth = depth.saturating_sub(1);
            }
            Event::Scalar(s, ..) if depth == 1 => {
                if expect_key {
                    out.push((s, mark.index()));
                }
                expect_key = !expect_key;
            }
            Event::Alias(_) if depth == 1 => expect_key = !expect_key,
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_paths_find_the_right_member() {
        let t = r#"{
  "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/"}],
  "resources": [{"name": "x", "path": "../luar.csv"}]
}"#;
        let s = json(t, "/resources/0/path").unwrap();
        assert_eq!(&t[s.value.clone()], "\"../luar.csv\"");
        assert_eq!(&t[s.key.clone().unwrap()], "\"path\"");
        assert!(
            s.start() > t.find("resources").unwrap(),
            "not the licence's path"
        );
        assert_eq!(
            &t[json(t, "/licenses/0/name").unwrap().value],
            "\"CC-BY-4.0\""
        );
        assert!(json(t, "/resources/1").is_none());
        assert!(json("{", "/a").is_none());
    }

    #[test]
    fn toml_paths_reach_array_tables() {
        let t = "title = \"x\"\n[[menu]]\nname = \"a\"\nurl = \"/\"\n[[menu]]\nname = \"b\"\nurl = \"javascript:x\"\n[contact]\nemail = \"a@b\"\n";
        let s = toml(t, "/menu/1/url").unwrap();
        assert_eq!(&t[s.value.clone()], "\"javascript:x\"");
        assert_eq!(&t[s.key.unwrap()], "url");
        assert_eq!(&t[toml(t, "/contact/email").unwrap().value], "\"a@b\"");
        assert_eq!(&t[toml(t, "/title").unwrap().key.unwrap()], "title");
        assert!(toml(t, "/menu/2").is_none());
        let keys: Vec<String> = toml_keys(t).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["title", "menu", "contact"]);
    }

    #[test]
    fn yaml_top_level_keys_skip_nested_ones() {
        let t = "judul: Satu\nwilayah:\n  - \"36\"\n  - \"36.73\"\nlain:\n  judul: bukan\ntag: [a, b]\n";
        let keys = yaml_keys(t);
        let names: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["judul", "wilayah", "lain", "tag"]);
        assert_eq!(keys[3].1, t.find("tag").unwrap());
    }
}
