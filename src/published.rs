//! Frictionless Data Package descriptors of what the portal publishes: each dataset's (its CSV
//! and the list of its regions), and one beside every indicator and region download.

use serde_json::{Value, json};

use crate::data::descriptor::{License, Package, Source};
use crate::downloads::{Field, Table};

/// The file beside a dataset's CSV listing its regions, the target of its region column's
/// foreign key: `kode_wilayah`, `nama_wilayah`, `tingkat`, `kode_induk`.
pub(crate) const REGION_LIST: &str = "wilayah.csv";

/// The name of the region-list resource in a published descriptor.
pub(crate) const REGION_RESOURCE: &str = "wilayah";

/// Removes every `null` member and `null` array item, recursively: Frictionless reads a `null`
/// as a value of the wrong type (`"format": null` is not a string), not as an absent key.
pub(crate) fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        Value::Array(a) => {
            a.retain(|x| !x.is_null());
            a.iter_mut().for_each(strip_nulls);
        }
        _ => {}
    }
}

/// `created` as the RFC 3339 date-time the Data Package standard requires: a date alone
/// (`2024-03-01`) stands for its start in UTC; anything else is kept as written.
pub(crate) fn created_datetime(created: &str) -> String {
    let t = created.trim();
    let is_date = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if is_date {
        format!("{t}T00:00:00Z")
    } else {
        t.to_string()
    }
}

/// The package's metadata as JSON, without `null`s and with `created` as a date-time.
pub(crate) fn package_json(pkg: &Package) -> Value {
    let mut v = serde_json::to_value(pkg).unwrap_or(Value::Null);
    strip_nulls(&mut v);
    if let Some(c) = pkg.created.as_deref() {
        v["created"] = Value::String(created_datetime(c));
    }
    v
}

/// The Table Schema type of a download column: `integer` when every value is a whole number,
/// `number` when every value is a number, `string` otherwise (and for an all-empty column).
fn column_type(t: &Table, c: usize) -> &'static str {
    let mut kind = None;
    for row in &t.rows {
        match row.get(c) {
            Some(Field::Num(n)) if n.fract() == 0.0 && n.abs() < 1e15 => {
                kind.get_or_insert("integer");
            }
            Some(Field::Num(_)) => kind = Some("number"),
            Some(Field::Text(_)) => return "string",
            _ => {}
        }
    }
    kind.unwrap_or("string")
}

/// The Table Schema of a download table, types read from its cells; empty cells are missing.
pub(crate) fn table_schema(t: &Table) -> Value {
    let fields: Vec<Value> = t
        .columns
        .iter()
        .enumerate()
        .map(|(c, name)| json!({ "name": name, "type": column_type(t, c) }))
        .collect();
    json!({ "fields": fields, "missingValues": [""] })
}

/// What a table's descriptor says about where its figures come from.
pub(crate) struct Credits<'a> {
    /// The package name (lowercase, `-`, `_`, `.`): `p0`, `wilayah-36.73`.
    pub name: &'a str,
    /// Its title.
    pub title: &'a str,
    /// The CSV's file name beside the descriptor.
    pub csv: &'a str,
    /// The packages of the datasets whose figures the table holds.
    pub packages: Vec<&'a Package>,
}

/// A descriptor for one published download table: its CSV as the one resource, with the
/// sources and licences of exactly the datasets whose figures it holds, each named once.
pub(crate) fn table_package(t: &Table, credits: &Credits<'_>) -> Value {
    let mut sources: Vec<&Source> = Vec::new();
    let mut licenses: Vec<&License> = Vec::new();
    for p in &credits.packages {
        for s in &p.sources {
            if s.title.is_some() && !sources.iter().any(|x| x.title == s.title) {
                sources.push(s);
            }
        }
        for l in &p.licenses {
            let key = (&l.name, &l.path);
            if (l.name.is_some() || l.path.is_some())
                && !licenses.iter().any(|x| (&x.name, &x.path) == key)
            {
                licenses.push(l);
            }
        }
    }
    let mut v = json!({
        "name": credits.name,
        "title": credits.title,
        "licenses": licenses,
        "sources": sources,
        "resources": [{
            "name": credits.name,
            "path": credits.csv,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": table_schema(t),
        }],
    });
    strip_nulls(&mut v);
    v
}

/// The region-list resource of a dataset's descriptor.
pub(crate) fn region_resource() -> Value {
    let field = |name: &str, title: &str| json!({ "name": name, "type": "string", "title": title });
    json!({
        "name": REGION_RESOURCE,
        "path": REGION_LIST,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [
                field("kode_wilayah", "Kode wilayah (Kemendagri)"),
                field("nama_wilayah", "Nama wilayah"),
                field("tingkat", "Tingkat wilayah"),
                field("kode_induk", "Kode wilayah induk"),
            ],
            "missingValues": [""],
            "primaryKey": ["kode_wilayah"],
        },
    })
}

/// The foreign key from a dataset's region column to its region list.
pub(crate) fn region_foreign_key(field: &str) -> Value {
    json!({
        "fields": [field],
        "reference": { "resource": REGION_RESOURCE, "fields": ["kode_wilayah"] },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nulls_go_and_dates_become_datetimes() {
        let mut v = json!({"a": null, "b": [1, null, {"c": null, "d": 2}]});
        strip_nulls(&mut v);
        assert_eq!(v, json!({"b": [1, {"d": 2}]}));
        assert_eq!(created_datetime("2024-03-01"), "2024-03-01T00:00:00Z");
        assert_eq!(
            created_datetime("2024-03-01T10:00:00+07:00"),
            "2024-03-01T10:00:00+07:00"
        );
        assert_eq!(created_datetime("2024-3-1"), "2024-3-1");
    }

    #[test]
    fn column_types_follow_the_cells() {
        let mut t = Table::new(&["kode", "tahun", "nilai", "kosong"]);
        t.rows.push(vec![
            Field::Text("36".into()),
            Field::Num(2022.0),
            Field::Num(1.0),
            Field::Empty,
        ]);
        t.rows.push(vec![
            Field::Text("36.01".into()),
            Field::Num(2023.0),
            Field::Num(1.5),
            Field::Empty,
        ]);
        let s = table_schema(&t);
        let types: Vec<&str> = s["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["type"].as_str().unwrap())
            .collect();
        assert_eq!(types, ["string", "integer", "number", "string"]);
    }
}
