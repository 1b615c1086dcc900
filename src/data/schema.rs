//! A dataset's Table Schema and CSV dialect, read from its descriptor: field types, roles, units, keys and how the CSV is written.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::descriptor::{self, Package, Resource};
use crate::diagnostic::{Code, Diagnostic};
use crate::slug::slugify;

/// How a column is used by the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The region code (checked against the registry).
    Region,
    /// The row's year, year-month or date.
    Time,
    /// The named period within the year (Maret, September, Semester I, …).
    Period,
    /// A breakdown of the values, such as perkotaan/perdesaan.
    Dimension,
    /// A charted number (the default for numbers and integers outside the primary key).
    Measure,
    /// Any other column (notes, units): shown and downloaded, not charted.
    Attribute,
}

/// The Table Schema types Lumbung reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// `string`: text.
    String,
    /// `integer`: a whole number.
    Integer,
    /// `number`: a number, written with the field's decimal and group marks.
    Number,
    /// `year`: a four-digit year.
    Year,
    /// `yearmonth`: a year and month ("2020-04").
    YearMonth,
    /// `date`: a calendar date ("2024-03-27").
    Date,
    /// `boolean`: true/false (also ya/tidak, 1/0, yes/no).
    Boolean,
}

impl FieldType {
    fn parse(s: &str) -> Option<FieldType> {
        Some(match s {
            "string" => FieldType::String,
            "integer" => FieldType::Integer,
            "number" => FieldType::Number,
            "year" => FieldType::Year,
            "yearmonth" => FieldType::YearMonth,
            "date" => FieldType::Date,
            "boolean" => FieldType::Boolean,
            _ => return None,
        })
    }
}

/// A column with what the portal needs to show it.
#[derive(Debug, Clone, Serialize)]
pub struct FieldInfo {
    /// The column name, as in the descriptor and the CSV header.
    pub name: String,
    /// The descriptor's title, or the name with underscores as spaces.
    pub title: String,
    /// The descriptor's description; empty when none.
    pub description: String,
    /// The Table Schema type.
    pub kind: FieldType,
    /// How the portal uses the column (given by `lumbung:role`, else guessed from the type).
    pub role: Role,
    /// The `lumbung:unit` ("persen", "rupiah/kapita/bulan", …); empty when none.
    pub unit: String,
    /// Decimals to show: `lumbung:decimals`, else 2 for persen, indeks and unitless numbers, else 0.
    pub decimals: usize,
    /// `Some(true)`: lower is better; `Some(false)`: higher is better; `None`: neither (a threshold such as garis kemiskinan).
    pub lower_is_better: Option<bool>,
    /// The indicator slug this measure feeds, when it does.
    pub indicator: Option<String>,
    /// For a dimension: the value that stands for the whole (`lumbung:default`).
    pub default: Option<String>,
    /// For a measure: the fields over which its values may be summed (`lumbung:additive`).
    pub additive: Vec<String>,
    #[serde(skip)]
    pub(super) decimal_char: char,
    #[serde(skip)]
    pub(super) group_char: Option<char>,
    #[serde(skip)]
    pub(super) bare_number: bool,
    #[serde(skip)]
    pub(super) required: bool,
    #[serde(skip)]
    pub(super) allowed: Option<Vec<String>>,
    #[serde(skip)]
    pub(super) minimum: Option<f64>,
    #[serde(skip)]
    pub(super) maximum: Option<f64>,
}

#[cfg(test)]
impl FieldInfo {
    /// A bare number field with the given marks, for tests.
    pub(super) fn number(name: &str, decimal_char: char, group_char: Option<char>) -> FieldInfo {
        FieldInfo {
            name: name.into(),
            title: name.into(),
            description: String::new(),
            kind: FieldType::Number,
            role: Role::Measure,
            unit: String::new(),
            decimals: 2,
            lower_is_better: None,
            indicator: None,
            default: None,
            additive: Vec::new(),
            decimal_char,
            group_char,
            bare_number: true,
            required: false,
            allowed: None,
            minimum: None,
            maximum: None,
        }
    }
}

/// How the CSV is written, checked and ready for the reader.
#[derive(Debug, Clone)]
pub struct Dialect {
    /// The field separator.
    pub delimiter: u8,
    /// The quote character (`"` unless `quoteChar` is another single byte).
    pub quote: u8,
    /// A doubled quote inside quotes stands for one quote.
    pub double_quote: bool,
    /// Lines starting with this byte are skipped; `None` without a single-byte `commentChar`.
    pub comment: Option<u8>,
    /// Spaces after a delimiter are skipped (`skipInitialSpace`).
    pub trim: bool,
    /// Lines up to and including the header row.
    pub header_lines: usize,
}

/// Everything the row reader needs: fields with their roles, keys, dialect and missing markers.
#[derive(Debug, Clone)]
pub struct Schema {
    /// The columns, in CSV order.
    pub fields: Vec<FieldInfo>,
    /// Indices into `fields` of the primary key; empty when none is declared.
    pub primary_key: Vec<usize>,
    /// The primary key's field names as written (for messages).
    pub primary_key_names: Vec<String>,
    /// Index into `fields` of the region column, if any.
    pub region: Option<usize>,
    /// Index into `fields` of the time column, if any.
    pub time: Option<usize>,
    /// Index into `fields` of the period column, if any.
    pub period: Option<usize>,
    /// Fields whose values must be codes of the registry (the region field and foreign keys to `wilayah`).
    pub region_checked: Vec<usize>,
    /// Fields among `region_checked` whose cells are BPS codes (`lumbung:codes: "bps"`),
    /// replaced by the Kemendagri code as the rows are read.
    pub bps_coded: Vec<usize>,
    /// Cell texts that mean "no value" (`missingValues`; by default only the empty text).
    pub missing_values: Vec<String>,
    /// How the CSV is written.
    pub dialect: Dialect,
    /// The CSV file, inside the dataset folder.
    pub csv_path: PathBuf,
}

/// Places descriptor problems at the node a JSON path names.
pub(super) struct Locator<'a> {
    pub shown: &'a Path,
    pub text: &'a str,
}

impl Locator<'_> {
    /// An error at `path` (`/resources/0/path`), or about the whole file when the path is not in the text.
    pub(super) fn at(
        &self,
        code: Code,
        path: &str,
        msg: String,
        hint: impl Into<String>,
    ) -> Diagnostic {
        let d = Diagnostic::error(code, self.shown, msg).hint(hint);
        match crate::spans::json(self.text, path) {
            Some(span) => d.at_offset(self.text, span.start()),
            None => d,
        }
    }
}

/// Unknown `lumbung:` keys in an object's extra members; `path` is the object's JSON path.
fn check_extra(
    loc: &Locator<'_>,
    path: &str,
    extra: &BTreeMap<String, serde_json::Value>,
    errors: &mut Vec<Diagnostic>,
) {
    for k in extra.keys().filter(|k| k.starts_with("lumbung:")) {
        if descriptor::LUMBUNG_KEYS.contains(&k.as_str()) {
            continue;
        }
        let near = crate::diagnostic::nearest(k, descriptor::LUMBUNG_KEYS.iter().copied(), 1);
        errors.push(loc.at(
            Code::DescriptorUnknownKey,
            &format!("{path}/{k}"),
            format!("kunci \"{k}\" tidak dikenal"),
            match near.first() {
                Some(n) => format!("mungkin maksudnya \"{n}\"?"),
                None => "lihat docs/formats.md untuk kunci lumbung:*".into(),
            },
        ));
    }
}

/// Reads the schema of the package's first resource; every problem is reported.
pub(super) fn read(
    loc: &Locator<'_>,
    package: &Package,
    folder: &Path,
) -> Result<Schema, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    check_extra(loc, "", &package.extra, &mut errors);
    let Some(resource) = package.resources.first() else {
        return Err(vec![loc.at(
            Code::DescriptorNoResource,
            "/resources",
            "dataset tidak punya resources".into(),
            "tambahkan resources dengan path ke berkas CSV",
        )]);
    };
    check_extra(loc, "/resources/0", &resource.extra, &mut errors);
    let Some(schema) = &resource.schema else {
        return Err(vec![loc.at(
            Code::DescriptorNoSchema,
            "/resources/0",
            "resource tidak punya schema".into(),
            "tambahkan schema dengan fields (nama dan tipe setiap kolom)",
        )]);
    };
    for (i, f) in schema.fields.iter().enumerate() {
        check_extra(
            loc,
            &format!("/resources/0/schema/fields/{i}"),
            &f.extra,
            &mut errors,
        );
    }
    let csv_path = match csv_path(resource, folder) {
        Ok(p) => p,
        Err(rel) => {
            errors.push(loc.at(
                Code::DescriptorBadPath,
                "/resources/0/path",
                format!("path resource \"{rel}\" tidak bisa dipakai"),
                "tulis nama berkas CSV di folder dataset ini, misalnya \"path\": \"data.csv\"",
            ));
            return Err(errors);
        }
    };
    let primary_key_names: Vec<String> = schema
        .primary_key
        .as_ref()
        .map(|k| k.to_vec())
        .unwrap_or_default();
    let fields = read_fields(loc, schema, &primary_key_names, &mut errors);
    let find_role = |r: Role| fields.iter().position(|f| f.role == r);
    let (region, time, period) = (
        find_role(Role::Region),
        find_role(Role::Time),
        find_role(Role::Period),
    );
    check_single_roles(loc, &fields, &mut errors);
    check_additive(loc, &fields, &mut errors);
    // Names are checked against the descriptor's fields: a field refused for its type or role is
    // reported once, not again as "missing" from the keys.
    let declared: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
    let primary_key = resolve_primary_key(loc, &fields, &declared, &primary_key_names, &mut errors);
    let mut region_checked = foreign_key_fields(loc, schema, &fields, &declared, &mut errors);
    if let Some(r) = region
        && !region_checked.contains(&r)
    {
        region_checked.push(r);
    }
    let mut bps_coded = Vec::new();
    for (i, f) in schema.fields.iter().enumerate() {
        let Some(codes) = f.codes.as_deref() else {
            continue;
        };
        let at = fields.iter().position(|x| x.name == f.name);
        let checked = at.filter(|a| region_checked.contains(a));
        let problem = match (codes.trim().to_lowercase().as_str(), checked) {
            ("kemendagri", Some(_)) => None,
            ("bps", Some(a)) => {
                bps_coded.push(a);
                None
            }
            ("bps" | "kemendagri", None) => Some((
                format!(
                    "lumbung:codes hanya berlaku untuk kolom wilayah, bukan \"{}\"",
                    f.name
                ),
                "pindahkan lumbung:codes ke kolom yang berperan region, atau hapus kuncinya",
            )),
            (other, _) => Some((
                format!("sistem kode \"{other}\" ({}) tidak dikenal", f.name),
                "tulis \"kemendagri\" (kode bertitik 36.04, bawaan) atau \"bps\" (3604, dicari di kolom kode_bps data/wilayah.csv)",
            )),
        };
        if let Some((msg, hint)) = problem {
            errors.push(loc.at(
                Code::DescriptorBadCodes,
                &format!("/resources/0/schema/fields/{i}/lumbung:codes"),
                msg,
                hint,
            ));
        }
    }
    let dialect = read_dialect(loc, resource, &mut errors);
    if let Some(enc) = &resource.encoding {
        let norm = enc.trim().to_ascii_lowercase().replace(['-', '_'], "");
        if norm != "utf8" && norm != "utf8sig" {
            errors.push(loc.at(
                Code::DescriptorBadEncoding,
                "/resources/0/encoding",
                format!("encoding \"{enc}\" tidak didukung; Lumbung hanya membaca CSV UTF-8"),
                "simpan ulang CSV-nya sebagai UTF-8 (Excel: Simpan Sebagai → \"CSV UTF-8\"), lalu tulis \"encoding\": \"utf-8\" atau hapus kuncinya",
            ));
        }
    }
    match dialect {
        Some(dialect) if errors.is_empty() => Ok(Schema {
            fields,
            primary_key,
            primary_key_names,
            region,
            time,
            period,
            region_checked,
            bps_coded,
            missing_values: schema.missing_values.clone(),
            dialect,
            csv_path,
        }),
        _ => Err(errors),
    }
}

/// The resource's CSV inside the dataset folder; `Err` with the path as written when it is empty, a URL or leaves the folder.
fn csv_path(resource: &Resource, folder: &Path) -> Result<PathBuf, String> {
    let rel = match &resource.path {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Array(a)) if a.len() == 1 => {
            a[0].as_str().unwrap_or_default().to_string()
        }
        _ => String::new(),
    };
    let rel_path = Path::new(&rel);
    if rel.is_empty()
        || rel.contains("://")
        || rel_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(rel);
    }
    Ok(folder.join(rel_path))
}

fn read_fields(
    loc: &Locator<'_>,
    schema: &descriptor::Schema,
    pk: &[String],
    errors: &mut Vec<Diagnostic>,
) -> Vec<FieldInfo> {
    let mut fields = Vec::new();
    for (i, f) in schema.fields.iter().enumerate() {
        let at = |code, key: &str, msg, hint: &str| {
            loc.at(
                code,
                &format!("/resources/0/schema/fields/{i}/{key}"),
                msg,
                hint,
            )
        };
        let Some(kind) = FieldType::parse(&f.kind) else {
            errors.push(at(
                Code::DescriptorBadType,
                "type",
                format!("tipe kolom \"{}\" ({}) tidak dikenal", f.kind, f.name),
                "pilih string, integer, number, year, yearmonth, date atau boolean",
            ));
            continue;
        };
        let role = match f.role.as_deref() {
            None => match kind {
                FieldType::Number | FieldType::Integer if !pk.contains(&f.name) => Role::Measure,
                _ => Role::Attribute,
            },
            Some("region") => Role::Region,
            Some("time") => Role::Time,
            Some("period") => Role::Period,
            Some("dimension") => Role::Dimension,
            Some("measure") => Role::Measure,
            Some("attribute") => Role::Attribute,
            Some(other) => {
                errors.push(at(
                    Code::DescriptorBadRole,
                    "lumbung:role",
                    format!("peran kolom \"{other}\" ({}) tidak dikenal", f.name),
                    "pilih region, time, period, dimension, measure atau attribute",
                ));
                continue;
            }
        };
        if role == Role::Measure && !matches!(kind, FieldType::Number | FieldType::Integer) {
            errors.push(at(
                Code::DescriptorMeasureNotNumber,
                "type",
                format!(
                    "kolom ukuran \"{}\" harus bertipe number atau integer",
                    f.name
                ),
                "ubah \"type\" menjadi \"number\"",
            ));
        }
        if role == Role::Time
            && !matches!(
                kind,
                FieldType::Year | FieldType::YearMonth | FieldType::Date | FieldType::Integer
            )
        {
            errors.push(at(
                Code::DescriptorBadTimeType,
                "type",
                format!(
                    "kolom waktu \"{}\" harus bertipe year, yearmonth atau date",
                    f.name
                ),
                "ubah \"type\" menjadi \"year\"",
            ));
        }
        fields.push(field_info(f, kind, role, pk));
    }
    fields
}

fn field_info(f: &descriptor::Field, kind: FieldType, role: Role, pk: &[String]) -> FieldInfo {
    let one_char = |s: &Option<String>, default: Option<char>| -> Option<char> {
        match s {
            Some(s) => s.chars().next(),
            None => default,
        }
    };
    let unit = f.unit.clone().unwrap_or_default();
    let decimals = f.decimals.unwrap_or(match unit.as_str() {
        "persen" | "indeks" => 2,
        _ if kind == FieldType::Number && unit.is_empty() => 2,
        _ => 0,
    });
    let c = f.constraints.clone().unwrap_or_default();
    let num = |v: &Option<serde_json::Value>| v.as_ref().and_then(|v| v.as_f64());
    FieldInfo {
        name: f.name.clone(),
        title: f.title.clone().unwrap_or_else(|| f.name.replace('_', " ")),
        description: f.description.clone().unwrap_or_default(),
        kind,
        role,
        unit,
        decimals,
        lower_is_better: f.lower_is_better,
        indicator: f.indicator.clone().map(|s| slugify(&s)),
        default: f.default.clone(),
        additive: f.additive.clone(),
        decimal_char: one_char(&f.decimal_char, Some('.')).unwrap_or('.'),
        group_char: one_char(&f.group_char, None),
        bare_number: f.bare_number.unwrap_or(true),
        required: c.required || pk.contains(&f.name),
        allowed: c.allowed.map(|v| {
            v.iter()
                .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                .collect()
        }),
        minimum: num(&c.minimum),
        maximum: num(&c.maximum),
    }
}

/// At most one field may be the region, the time and the period.
fn check_single_roles(loc: &Locator<'_>, fields: &[FieldInfo], errors: &mut Vec<Diagnostic>) {
    for r in [Role::Region, Role::Time, Role::Period] {
        let with: Vec<usize> = (0..fields.len()).filter(|&i| fields[i].role == r).collect();
        if let [_, second, ..] = with.as_slice() {
            errors.push(loc.at(
                Code::DescriptorDuplicateRole,
                &format!("/resources/0/schema/fields/{second}/lumbung:role"),
                format!("lebih dari satu kolom berperan {r:?}").to_lowercase(),
                "hanya satu kolom boleh berperan region, time atau period",
            ));
        }
    }
}

/// A measure may only add up over dimensions or the region.
fn check_additive(loc: &Locator<'_>, fields: &[FieldInfo], errors: &mut Vec<Diagnostic>) {
    for (i, f) in fields.iter().enumerate() {
        for name in &f.additive {
            let ok = fields
                .iter()
                .any(|g| &g.name == name && matches!(g.role, Role::Dimension | Role::Region));
            if !ok || f.role != Role::Measure {
                errors.push(loc.at(
                    Code::DescriptorBadAdditive,
                    &format!("/resources/0/schema/fields/{i}/lumbung:additive"),
                    format!("lumbung:additive kolom \"{}\" menyebut \"{name}\", yang bukan dimensi atau kolom wilayah", f.name),
                    "tulis nama kolom berperan dimension atau region yang nilainya boleh dijumlahkan, misalnya [\"tahap\"]; kosongkan jika angkanya tidak boleh dijumlahkan",
                ));
            }
        }
    }
}

fn resolve_primary_key(
    loc: &Locator<'_>,
    fields: &[FieldInfo],
    declared: &[&str],
    names: &[String],
    errors: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let mut out = Vec::new();
    for k in names {
        match fields.iter().position(|f| &f.name == k) {
            Some(i) => out.push(i),
            None if declared.contains(&k.as_str()) => {}
            None => errors.push(loc.at(
                Code::DescriptorBadPrimaryKey,
                "/resources/0/schema/primaryKey",
                format!("primaryKey menyebut kolom \"{k}\" yang tidak ada"),
                "samakan dengan nama di fields",
            )),
        }
    }
    out
}

/// Fields that foreign keys tie to the `wilayah` registry.
fn foreign_key_fields(
    loc: &Locator<'_>,
    schema: &descriptor::Schema,
    fields: &[FieldInfo],
    declared: &[&str],
    errors: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, fk) in schema.foreign_keys.iter().enumerate() {
        if fk.reference.resource != "wilayah" {
            continue;
        }
        for name in fk.fields.to_vec() {
            match fields.iter().position(|f| f.name == name) {
                Some(i) => out.push(i),
                None if declared.contains(&name.as_str()) => {}
                None => errors.push(loc.at(
                    Code::DescriptorBadForeignKey,
                    &format!("/resources/0/schema/foreignKeys/{i}/fields"),
                    format!("foreignKeys menyebut kolom \"{name}\" yang tidak ada"),
                    "samakan dengan nama di fields",
                )),
            }
        }
    }
    out
}

fn single_byte(s: &str) -> Option<u8> {
    let b = s.as_bytes();
    (b.len() == 1).then(|| b[0])
}

fn read_dialect(
    loc: &Locator<'_>,
    resource: &Resource,
    errors: &mut Vec<Diagnostic>,
) -> Option<Dialect> {
    let d = &resource.dialect;
    let delimiter = single_byte(&d.delimiter);
    if delimiter.is_none() {
        errors.push(loc.at(
            Code::DescriptorBadDelimiter,
            "/resources/0/dialect/delimiter",
            format!("pemisah kolom \"{}\" harus satu karakter", d.delimiter),
            "misalnya \"delimiter\": \";\"",
        ));
    }
    let header_lines = match (&d.header_rows, d.header_row_count) {
        (Some(rows), _) => rows.iter().copied().max().unwrap_or(0),
        (None, Some(n)) => n,
        (None, None) => usize::from(d.header),
    };
    Some(Dialect {
        delimiter: delimiter?,
        quote: single_byte(&d.quote_char).unwrap_or(b'"'),
        double_quote: d.double_quote,
        comment: d.comment_char.as_deref().and_then(single_byte),
        trim: d.skip_initial_space,
        header_lines,
    })
}
