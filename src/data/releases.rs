//! Released versions of a dataset, kept as published in `data/<dataset>/rilis/<version>/`, and what changed between two versions.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::Path;

use crate::calendar::Date;
use crate::diagnostic::{Code, Diagnostic, display_path};

/// The folder of a dataset that keeps its released versions.
pub const FOLDER: &str = "rilis";

/// One released version: the files exactly as they were published, and its table for
/// comparing versions.
#[derive(Debug, Clone)]
pub struct Release {
    /// The version (`1.0.0`), the name of its folder and of its URL (`/data/x/v1.0.0/`).
    pub version: String,
    /// When it was released: its descriptor's `lumbung:updated`, else `created`.
    pub date: Option<Date>,
    /// Its files by name, bytes as released.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Its published CSV, the name of that file.
    pub csv_name: String,
    /// Its published CSV, read for comparison.
    pub table: Frozen,
}

/// A published CSV read back as text cells: what two versions are compared on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frozen {
    /// The header.
    pub columns: Vec<String>,
    /// The rows, as written.
    pub rows: Vec<Vec<String>>,
    /// The columns that identify a row (the descriptor's primary key, else every column that
    /// is not a measure or a remark).
    pub key: Vec<usize>,
    /// The columns whose values are compared.
    pub values: Vec<usize>,
}

/// Columns that describe a row without being data: the region's name and the remarks.
const DESCRIPTIVE: [&str; 2] = ["nama_wilayah", crate::downloads::REMARKS];

/// True when `v` can name a folder and a URL: letters, digits, `.`, `-`, `_`, `+`, not starting
/// with a dot.
pub fn valid_version(v: &str) -> bool {
    !v.is_empty()
        && !v.starts_with('.')
        && v.len() <= 64
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'))
}

/// Orders versions as numbers part by part (`1.10.0` after `1.9.2`), text parts as text; a
/// pre-release (`2.0.0-rc1`) comes before its release, as in Semantic Versioning.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    let split = |s: &str| -> (Vec<(u64, String)>, Option<String>) {
        let (core, pre) = match s.split_once('-') {
            Some((c, p)) => (c, Some(p.to_string())),
            None => (s, None),
        };
        let parts = core
            .split(['.', '+', '_'])
            .map(|p| (p.parse::<u64>().unwrap_or(u64::MAX), p.to_string()))
            .collect();
        (parts, pre)
    };
    let ((ca, pa), (cb, pb)) = (split(a), split(b));
    ca.cmp(&cb)
        .then_with(|| match (pa, pb) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) => x.cmp(&y),
        })
        .then_with(|| a.cmp(b))
}

impl Frozen {
    /// Reads a published CSV (comma-separated, header first). `key` names the identifying
    /// columns; `measures` the value columns (both from the descriptor).
    pub fn read(csv: &[u8], key: &[String], measures: &[String]) -> Result<Frozen, String> {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(csv);
        let columns: Vec<String> = r
            .headers()
            .map_err(|e| e.to_string())?
            .iter()
            .map(str::to_string)
            .collect();
        let mut rows = Vec::new();
        for rec in r.records() {
            let rec = rec.map_err(|e| e.to_string())?;
            rows.push(rec.iter().map(str::to_string).collect());
        }
        let index = |n: &String| columns.iter().position(|c| c == n);
        let mut key: Vec<usize> = key.iter().filter_map(index).collect();
        if key.is_empty() {
            key = (0..columns.len())
                .filter(|&c| {
                    !measures.contains(&columns[c]) && !DESCRIPTIVE.contains(&columns[c].as_str())
                })
                .collect();
        }
        let values = (0..columns.len())
            .filter(|c| !key.contains(c) && !DESCRIPTIVE.contains(&columns[*c].as_str()))
            .collect();
        Ok(Frozen {
            columns,
            rows,
            key,
            values,
        })
    }

    /// A row's key as shown: its key cells joined by " · ", the region's name beside its code.
    fn key_text(&self, row: &[String]) -> String {
        let name = self.columns.iter().position(|c| c == "nama_wilayah");
        self.key
            .iter()
            .map(|&c| {
                let cell = row.get(c).map_or("", String::as_str);
                match name.and_then(|n| row.get(n)) {
                    Some(n) if c + 1 == name.unwrap_or(0) && !n.is_empty() => {
                        format!("{cell} {n}")
                    }
                    _ => cell.to_string(),
                }
            })
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    }

    fn by_key(&self) -> BTreeMap<Vec<&str>, &Vec<String>> {
        self.rows
            .iter()
            .map(|r| {
                (
                    self.key
                        .iter()
                        .map(|&c| r.get(c).map_or("", String::as_str))
                        .collect(),
                    r,
                )
            })
            .collect()
    }
}

/// What changed from one version to the next: counts, and a few examples of each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    /// Rows in the new version only.
    pub added: usize,
    /// Rows in the old version only.
    pub removed: usize,
    /// Values that differ in rows both versions have.
    pub changed: usize,
    /// Columns in one version only (named).
    pub columns: Vec<String>,
    /// Up to three keys of added rows.
    pub added_examples: Vec<String>,
    /// Up to three keys of removed rows.
    pub removed_examples: Vec<String>,
    /// Up to five changed values: the row's key, the column, the old and the new value.
    pub changed_examples: Vec<(String, String, String, String)>,
}

impl Changes {
    /// True when the two versions hold the same figures.
    pub fn is_empty(&self) -> bool {
        self.added == 0 && self.removed == 0 && self.changed == 0 && self.columns.is_empty()
    }
}

/// Compares two versions row by row on their keys; a value column missing on one side counts
/// as a column change, not as every value changed.
pub fn diff(old: &Frozen, new: &Frozen) -> Changes {
    let mut c = Changes::default();
    for col in &old.columns {
        if !new.columns.contains(col) {
            c.columns.push(format!("-{col}"));
        }
    }
    for col in &new.columns {
        if !old.columns.contains(col) {
            c.columns.push(format!("+{col}"));
        }
    }
    let (a, b) = (old.by_key(), new.by_key());
    for (k, row) in &b {
        match a.get(k) {
            None => {
                c.added += 1;
                if c.added_examples.len() < 3 {
                    c.added_examples.push(new.key_text(row));
                }
            }
            Some(before) => {
                for &vc in &new.values {
                    let name = &new.columns[vc];
                    let Some(oc) = old.columns.iter().position(|x| x == name) else {
                        continue;
                    };
                    let (x, y) = (
                        before.get(oc).map_or("", String::as_str),
                        row.get(vc).map_or("", String::as_str),
                    );
                    if x != y {
                        c.changed += 1;
                        if c.changed_examples.len() < 5 {
                            c.changed_examples.push((
                                new.key_text(row),
                                name.clone(),
                                x.to_string(),
                                y.to_string(),
                            ));
                        }
                    }
                }
            }
        }
    }
    for (k, row) in &a {
        if !b.contains_key(k) {
            c.removed += 1;
            if c.removed_examples.len() < 3 {
                c.removed_examples.push(old.key_text(row));
            }
        }
    }
    c
}

/// The names of a published descriptor's primary key and measure columns.
pub fn key_and_measures(descriptor: &serde_json::Value) -> (Vec<String>, Vec<String>) {
    let schema = &descriptor["resources"][0]["schema"];
    let key = match &schema["primaryKey"] {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(a) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let measures = schema["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["lumbung:role"] == "measure")
        .filter_map(|f| f["name"].as_str().map(str::to_string))
        .collect();
    (key, measures)
}

/// Reads every release kept in `<folder>/rilis/`, oldest first. A release is a folder named
/// by its version holding the `datapackage.json` and the files it names, as published.
pub fn load(root: &Path, folder: &Path) -> Result<Vec<Release>, Vec<Diagnostic>> {
    let dir = folder.join(FOLDER);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        // A hidden folder is a release `lumbung rilis` did not finish writing.
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        match load_one(root, &path) {
            Ok(r) => out.push(r),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    out.sort_by(|a, b| compare_versions(&a.version, &b.version));
    Ok(out)
}

fn load_one(root: &Path, path: &Path) -> Result<Release, Diagnostic> {
    let shown = display_path(root, path);
    let bad = |msg: String, hint: &str| {
        Diagnostic::error(Code::ReleaseInvalid, &shown, msg).hint(hint.to_string())
    };
    let how = "sebuah rilis adalah folder rilis/<versi>/ yang dibuat `lumbung rilis`; jangan ubah isinya, kembalikan dari riwayat git bila perlu";
    if !crate::inside::within(root, path) {
        return Err(crate::inside::refused(root, path));
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    if !path.is_dir() {
        return Err(bad(
            format!("\"{name}\" di folder {FOLDER}/ bukan folder rilis"),
            how,
        ));
    }
    if !valid_version(&name) {
        return Err(bad(
            format!("nama folder rilis \"{name}\" bukan versi yang sah"),
            "versi hanya memakai huruf, angka, titik, - dan _, misalnya 1.0.0",
        ));
    }
    let mut files = BTreeMap::new();
    let mut list: Vec<_> = std::fs::read_dir(path)
        .map_err(|e| bad(format!("tidak bisa membaca folder rilis: {e}"), how))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    list.sort();
    for f in list {
        let file_name = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let symlink = std::fs::symlink_metadata(&f).is_ok_and(|m| m.file_type().is_symlink());
        if symlink || !f.is_file() || !crate::inside::within(root, &f) {
            return Err(bad(
                format!("\"{file_name}\" di rilis {name} bukan berkas biasa"),
                how,
            ));
        }
        // Published as they are, so only data files: never a page or a script.
        let data_file = [".csv", ".json", ".xlsx"]
            .iter()
            .any(|ext| file_name.ends_with(ext));
        if !data_file {
            return Err(bad(
                format!("\"{file_name}\" di rilis {name} bukan berkas data (CSV, JSON, XLSX)"),
                how,
            ));
        }
        let bytes = std::fs::read(&f).map_err(|e| bad(format!("{file_name}: {e}"), how))?;
        files.insert(file_name, bytes);
    }
    let descriptor: serde_json::Value = files
        .get("datapackage.json")
        .ok_or_else(|| bad(format!("rilis {name} tidak punya datapackage.json"), how))
        .and_then(|b| {
            serde_json::from_slice(b)
                .map_err(|e| bad(format!("datapackage.json rilis {name}: {e}"), how))
        })?;
    let version = descriptor["version"].as_str().unwrap_or_default();
    if version != name {
        return Err(bad(
            format!("datapackage.json di rilis {name} menyebut versi \"{version}\""),
            how,
        ));
    }
    let csv_name = descriptor["resources"][0]["path"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let csv = files.get(&csv_name).ok_or_else(|| {
        bad(
            format!("rilis {name} tidak punya berkas \"{csv_name}\" yang disebut datapackage.json"),
            how,
        )
    })?;
    let (key, measures) = key_and_measures(&descriptor);
    let table = Frozen::read(csv, &key, &measures)
        .map_err(|e| bad(format!("{csv_name} di rilis {name}: {e}"), how))?;
    let date = ["lumbung:updated", "created"]
        .iter()
        .filter_map(|k| descriptor[*k].as_str())
        .find_map(|d| Date::parse(d.get(..10).unwrap_or(d)));
    Ok(Release {
        version: name,
        date,
        files,
        csv_name,
        table,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frozen(csv: &str) -> Frozen {
        Frozen::read(
            csv.as_bytes(),
            &["kode_wilayah".into(), "tahun".into()],
            &["p0".into()],
        )
        .unwrap()
    }

    #[test]
    fn versions_order_as_numbers() {
        let mut v = vec!["1.10.0", "1.9.2", "1.0.0", "2.0.0-rc1", "2.0.0"];
        v.sort_by(|a, b| compare_versions(a, b));
        assert_eq!(v, ["1.0.0", "1.9.2", "1.10.0", "2.0.0-rc1", "2.0.0"]);
        assert!(valid_version("1.0.0") && !valid_version("../x") && !valid_version("1 0"));
    }

    #[test]
    fn diff_counts_added_removed_and_changed_values() {
        let old = frozen(
            "kode_wilayah,nama_wilayah,tahun,p0\n36,Banten,2023,6.17\n36.73,Kota Serang,2023,5.70\n36.01,Kabupaten Pandeglang,2023,9.00\n",
        );
        let new = frozen(
            "kode_wilayah,nama_wilayah,tahun,p0\n36,Banten,2023,6.17\n36.73,Kota Serang,2023,5.65\n36.73,Kota Serang,2024,5.50\n",
        );
        let c = diff(&old, &new);
        assert_eq!((c.added, c.removed, c.changed), (1, 1, 1));
        assert_eq!(c.added_examples, ["36.73 Kota Serang · 2024"]);
        assert_eq!(c.removed_examples, ["36.01 Kabupaten Pandeglang · 2023"]);
        assert_eq!(
            c.changed_examples,
            [(
                "36.73 Kota Serang · 2023".to_string(),
                "p0".to_string(),
                "5.70".to_string(),
                "5.65".to_string()
            )]
        );
        assert!(diff(&new, &new).is_empty());
    }
}
