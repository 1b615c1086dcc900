//! The Frictionless Data Package descriptor (`datapackage.json`) with Lumbung's `lumbung:*` extras.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The package: metadata and its resources.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Package {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default, rename = "lumbung:updated")]
    pub updated: Option<String>,
    #[serde(default)]
    pub homepage: Option<String>,
    #[serde(default)]
    pub licenses: Vec<License>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub contributors: Vec<Contributor>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// Anything else; keys starting with `lumbung:` must be known.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct License {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Source {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Contributor {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub organization: Option<String>,
}

/// One data file.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Resource {
    #[serde(default)]
    pub name: Option<String>,
    pub path: Option<serde_json::Value>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub mediatype: Option<String>,
    #[serde(default)]
    pub encoding: Option<String>,
    #[serde(default)]
    pub dialect: Dialect,
    pub schema: Option<Schema>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// How the CSV is written (Frictionless CSV Dialect, v1 and v2 names).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dialect {
    #[serde(default = "comma")]
    pub delimiter: String,
    #[serde(default = "dquote")]
    pub quote_char: String,
    #[serde(default = "yes")]
    pub double_quote: bool,
    #[serde(default = "yes")]
    pub header: bool,
    /// Lines up to and including the header (the last of them is the header).
    #[serde(default)]
    pub header_row_count: Option<usize>,
    /// v2: the header rows (1-based); the last is used as the header.
    #[serde(default)]
    pub header_rows: Option<Vec<usize>>,
    #[serde(default)]
    pub comment_char: Option<String>,
    #[serde(default)]
    pub skip_initial_space: bool,
    #[serde(default)]
    pub line_terminator: Option<String>,
    #[serde(default)]
    pub case_sensitive_header: Option<bool>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect {
            delimiter: comma(),
            quote_char: dquote(),
            double_quote: true,
            header: true,
            header_row_count: None,
            header_rows: None,
            comment_char: None,
            skip_initial_space: false,
            line_terminator: None,
            case_sensitive_header: None,
            extra: BTreeMap::new(),
        }
    }
}

fn comma() -> String {
    ",".into()
}
fn dquote() -> String {
    "\"".into()
}
fn yes() -> bool {
    true
}

/// The Table Schema.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    pub fields: Vec<Field>,
    #[serde(default = "default_missing")]
    pub missing_values: Vec<String>,
    #[serde(default)]
    pub primary_key: Option<OneOrMany>,
    #[serde(default)]
    pub foreign_keys: Vec<ForeignKey>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

fn default_missing() -> Vec<String> {
    vec![String::new()]
}

/// A string or a list of strings (Table Schema allows both for keys).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ForeignKey {
    pub fields: OneOrMany,
    pub reference: Reference,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Reference {
    #[serde(default)]
    pub resource: String,
    pub fields: OneOrMany,
}

/// One column.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    pub name: String,
    #[serde(default = "string_type", rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub decimal_char: Option<String>,
    #[serde(default)]
    pub group_char: Option<String>,
    #[serde(default)]
    pub bare_number: Option<bool>,
    #[serde(default)]
    pub constraints: Option<Constraints>,
    #[serde(default, rename = "lumbung:role")]
    pub role: Option<String>,
    #[serde(default, rename = "lumbung:unit")]
    pub unit: Option<String>,
    #[serde(default, rename = "lumbung:decimals")]
    pub decimals: Option<usize>,
    #[serde(default, rename = "lumbung:lowerIsBetter")]
    pub lower_is_better: Option<bool>,
    #[serde(default, rename = "lumbung:indicator")]
    pub indicator: Option<String>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

fn string_type() -> String {
    "string".into()
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Constraints {
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub unique: bool,
    #[serde(default)]
    pub minimum: Option<serde_json::Value>,
    #[serde(default)]
    pub maximum: Option<serde_json::Value>,
    #[serde(default, rename = "enum")]
    pub allowed: Option<Vec<serde_json::Value>>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// Every `lumbung:` key the descriptor may use, for unknown-key errors.
pub const LUMBUNG_KEYS: &[&str] = &[
    "lumbung:updated",
    "lumbung:role",
    "lumbung:unit",
    "lumbung:decimals",
    "lumbung:lowerIsBetter",
    "lumbung:indicator",
];
