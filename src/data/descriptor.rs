//! The Frictionless Data Package descriptor (`datapackage.json`) with Lumbung's `lumbung:*` extras.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The package: metadata and its resources.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Package {
    /// The package name; the dataset's slug comes from it (else from the folder name).
    #[serde(default)]
    pub name: Option<String>,
    /// The dataset's title; the folder name is used when absent.
    #[serde(default)]
    pub title: Option<String>,
    /// What the dataset holds, shown on its page.
    #[serde(default)]
    pub description: Option<String>,
    /// The package version; kept and republished, not read.
    #[serde(default)]
    pub version: Option<String>,
    /// When the dataset was created (ISO 8601; the first 10 characters are read as a date).
    #[serde(default)]
    pub created: Option<String>,
    /// `lumbung:updated`: when the data was last updated (ISO 8601 date).
    #[serde(default, rename = "lumbung:updated")]
    pub updated: Option<String>,
    /// The package's home page; kept and republished, not read.
    #[serde(default)]
    pub homepage: Option<String>,
    /// Licences, listed on the dataset page.
    #[serde(default)]
    pub licenses: Vec<License>,
    /// Where the data comes from; their titles make the credit line.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Whom to contact about the data, listed on the dataset page.
    #[serde(default)]
    pub contributors: Vec<Contributor>,
    /// Keywords, listed on the dataset page.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// `lumbung:programs`: the programmes the figures belong to (slugs of `content/program/*.md`).
    #[serde(
        default,
        rename = "lumbung:programs",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub programs: Vec<String>,
    /// `lumbung:illustrative`: why the figures are illustrative, not real data; every page,
    /// chart and download that uses them says so.
    #[serde(
        default,
        rename = "lumbung:illustrative",
        skip_serializing_if = "Option::is_none"
    )]
    pub illustrative: Option<String>,
    /// The data files; only the first is read.
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// Anything else; keys starting with `lumbung:` must be known.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A licence under which the data may be reused.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct License {
    /// The licence identifier ("CC-BY-4.0"), shown when there is no title.
    #[serde(default)]
    pub name: Option<String>,
    /// The licence's name as shown.
    #[serde(default)]
    pub title: Option<String>,
    /// Where the licence text is; the name links there when set.
    #[serde(default)]
    pub path: Option<String>,
}

/// Where the data comes from.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Source {
    /// The source's name ("Badan Pusat Statistik"), used in credit lines.
    #[serde(default)]
    pub title: Option<String>,
    /// Where the source is; the title links there when set.
    #[serde(default)]
    pub path: Option<String>,
    /// The source's e-mail address; kept and republished, not shown by the default theme.
    #[serde(default)]
    pub email: Option<String>,
}

/// A person or organisation to contact about the data.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Contributor {
    /// The contributor's name.
    #[serde(default)]
    pub title: Option<String>,
    /// The contributor's e-mail address, shown as a `mailto:` link.
    #[serde(default)]
    pub email: Option<String>,
    /// A URL of the contributor; kept and republished, not shown by the default theme.
    #[serde(default)]
    pub path: Option<String>,
    /// The contributor's role ("author", …); kept and republished, not shown by the default theme.
    #[serde(default)]
    pub role: Option<String>,
    /// The contributor's organisation; kept and republished, not shown by the default theme.
    #[serde(default)]
    pub organization: Option<String>,
}

/// One data file.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Resource {
    /// The resource name; kept and republished, not read.
    #[serde(default)]
    pub name: Option<String>,
    /// The CSV file, relative to the dataset folder: a string or a one-element list.
    pub path: Option<serde_json::Value>,
    /// The resource title; kept and republished, not read.
    #[serde(default)]
    pub title: Option<String>,
    /// The file format ("csv"); kept and republished, not read.
    #[serde(default)]
    pub format: Option<String>,
    /// The media type ("text/csv"); kept and republished, not read.
    #[serde(default)]
    pub mediatype: Option<String>,
    /// The declared encoding; anything but UTF-8 is refused (L0420).
    #[serde(default)]
    pub encoding: Option<String>,
    /// How the CSV is written; the Frictionless defaults when absent.
    #[serde(default)]
    pub dialect: Dialect,
    /// The Table Schema; a resource without one is refused.
    pub schema: Option<Schema>,
    /// Anything else; keys starting with `lumbung:` must be known.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// How the CSV is written (Frictionless CSV Dialect, v1 and v2 names).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dialect {
    /// The field separator; must be a single byte (default `,`).
    #[serde(default = "comma")]
    pub delimiter: String,
    /// The quote character (default `"`); anything but a single byte falls back to `"`.
    #[serde(default = "dquote")]
    pub quote_char: String,
    /// Whether `""` inside quotes stands for one quote (default true).
    #[serde(default = "yes")]
    pub double_quote: bool,
    /// Whether the first line is a header (default true), when no header count or rows are given.
    #[serde(default = "yes")]
    pub header: bool,
    /// Lines up to and including the header (the last of them is the header).
    #[serde(default)]
    pub header_row_count: Option<usize>,
    /// v2: the header rows (1-based); the last is used as the header.
    #[serde(default)]
    pub header_rows: Option<Vec<usize>>,
    /// Lines starting with this character are skipped; ignored unless a single byte.
    #[serde(default)]
    pub comment_char: Option<String>,
    /// Whether spaces after a delimiter are skipped (default false).
    #[serde(default)]
    pub skip_initial_space: bool,
    /// Accepted, not read: any line ending is understood.
    #[serde(default)]
    pub line_terminator: Option<String>,
    /// Accepted, not read: the header must match the field names exactly (after trimming).
    #[serde(default)]
    pub case_sensitive_header: Option<bool>,
    /// Any other dialect keys; not read (the republished descriptor has the default dialect).
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
    /// The columns, in CSV order.
    pub fields: Vec<Field>,
    /// Cell texts that mean "no value" (default: only the empty text).
    #[serde(default = "default_missing")]
    pub missing_values: Vec<String>,
    /// The column(s) that identify a row: required in every row, and no two rows may share them.
    #[serde(default)]
    pub primary_key: Option<OneOrMany>,
    /// Links to other resources; columns linked to `wilayah` are checked against the region registry.
    #[serde(default)]
    pub foreign_keys: Vec<ForeignKey>,
    /// Any other schema keys; kept and republished, not read.
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
    /// A single name.
    One(String),
    /// A list of names.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The names as a list.
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// A Table Schema foreign key.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ForeignKey {
    /// The column(s) of this table.
    pub fields: OneOrMany,
    /// What they refer to.
    pub reference: Reference,
}

/// The target of a foreign key.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Reference {
    /// The target resource; only `wilayah` (the region registry) is checked.
    #[serde(default)]
    pub resource: String,
    /// The target column(s); not read.
    pub fields: OneOrMany,
}

/// One column.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    /// The column name; the CSV header must list the names in field order.
    pub name: String,
    /// The Table Schema `type` (default `string`).
    #[serde(default = "string_type", rename = "type")]
    pub kind: String,
    /// The Table Schema `format`; kept and republished, not read.
    #[serde(default)]
    pub format: Option<String>,
    /// The column's title; the name with underscores as spaces when absent.
    #[serde(default)]
    pub title: Option<String>,
    /// What the column holds.
    #[serde(default)]
    pub description: Option<String>,
    /// The decimal mark of numbers (its first character; default `.`).
    #[serde(default)]
    pub decimal_char: Option<String>,
    /// The thousands separator of numbers (its first character), if any.
    #[serde(default)]
    pub group_char: Option<String>,
    /// Whether numbers must be bare (default true); `false` strips text around them ("5,6 %").
    #[serde(default)]
    pub bare_number: Option<bool>,
    /// Checks every value must pass.
    #[serde(default)]
    pub constraints: Option<Constraints>,
    /// `lumbung:role`: region, time, period, dimension, measure or attribute; guessed from the type when absent.
    #[serde(default, rename = "lumbung:role")]
    pub role: Option<String>,
    /// `lumbung:unit`: the unit of the values ("persen", "rupiah/kapita/bulan", …).
    #[serde(default, rename = "lumbung:unit")]
    pub unit: Option<String>,
    /// `lumbung:decimals`: how many decimals to show.
    #[serde(default, rename = "lumbung:decimals")]
    pub decimals: Option<usize>,
    /// `lumbung:lowerIsBetter`: whether lower values are better; absent for neither.
    #[serde(default, rename = "lumbung:lowerIsBetter")]
    pub lower_is_better: Option<bool>,
    /// `lumbung:indicator`: the indicator this measure feeds (slugified).
    #[serde(default, rename = "lumbung:indicator")]
    pub indicator: Option<String>,
    /// `lumbung:default`: for a dimension, the value that stands for the whole (Jumlah, Total);
    /// that slice drives headline cards, ranks and maps.
    #[serde(
        default,
        rename = "lumbung:default",
        skip_serializing_if = "Option::is_none"
    )]
    pub default: Option<String>,
    /// `lumbung:additive`: for a measure, the fields (dimensions, or the region) over which its
    /// values may be summed; empty means they never add up.
    #[serde(
        default,
        rename = "lumbung:additive",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub additive: Vec<String>,
    /// `lumbung:codes`: for the region field, which code system its cells use: `kemendagri`
    /// (dotted, the default) or `bps` (`3604`, looked up in the registry's `kode_bps` column).
    #[serde(
        default,
        rename = "lumbung:codes",
        skip_serializing_if = "Option::is_none"
    )]
    pub codes: Option<String>,
    /// Anything else; keys starting with `lumbung:` must be known.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

fn string_type() -> String {
    "string".into()
}

/// The Table Schema `constraints` of a field.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Constraints {
    /// Every row needs a value (always so for primary key columns).
    #[serde(default)]
    pub required: bool,
    /// Accepted, not checked (only the primary key is checked for duplicates).
    #[serde(default)]
    pub unique: bool,
    /// The lowest allowed value of a number, integer or year.
    #[serde(default)]
    pub minimum: Option<serde_json::Value>,
    /// The highest allowed value of a number, integer or year.
    #[serde(default)]
    pub maximum: Option<serde_json::Value>,
    /// `enum`: the only values a `string` cell may take.
    #[serde(default, rename = "enum")]
    pub allowed: Option<Vec<serde_json::Value>>,
    /// Any other constraints; kept and republished, not checked.
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
    "lumbung:default",
    "lumbung:precedence",
    "lumbung:allowEmpty",
    "lumbung:additive",
    "lumbung:codes",
    "lumbung:programs",
    "lumbung:illustrative",
];
