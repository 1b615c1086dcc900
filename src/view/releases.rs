//! A dataset's versions as its page, its citation and the data feed show them: each version with its files and what changed from the one before.

use serde::Serialize;

use super::Link;
use crate::data::dataset::Dataset;
use crate::data::releases::{self, Changes, Frozen};
use crate::diagnostic::{Code, Diagnostic};
use crate::downloads::Format;
use crate::model::Site;
use crate::urls;

/// One version of a dataset.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Version {
    pub version: String,
    /// The release date, the Indonesian way ("27 Maret 2013"); empty when unknown.
    pub date: String,
    /// The release date as `YYYY-MM-DD`; empty when unknown.
    #[serde(skip)]
    pub iso: String,
    /// Whether it is the version the dataset's files now hold.
    pub current: bool,
    /// Whether it is kept in `rilis/` with addresses that never change.
    pub released: bool,
    /// Its files at their version's addresses (released versions only).
    pub files: Vec<Link>,
    /// What changed from the version before ("" for the first).
    pub summary: String,
    /// Examples of the changes, one line each.
    pub details: Vec<String>,
    /// The version before it, if any.
    pub previous: Option<String>,
}

/// Every version of a dataset, oldest first, and how to cite the current one.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct History {
    pub versions: Vec<Version>,
    /// The current version, when the dataset has one.
    pub current: Option<String>,
    /// The address a citation names: the current version's CSV when it is released, else the
    /// dataset's page.
    pub cite_url: String,
}

/// Each dataset's history, in `site.datasets` order. A dataset whose figures differ from the
/// release of its current version is an error: a released version never changes.
pub(crate) fn histories(site: &Site) -> Result<Vec<History>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for d in &site.datasets {
        match history(site, d) {
            Ok(h) => out.push(h),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The dataset's current figures as its published CSV reads back.
pub(crate) fn current_table(site: &Site, d: &Dataset) -> Frozen {
    let key: Vec<String> = d
        .primary_key
        .iter()
        .map(|&i| d.fields[i].name.clone())
        .collect();
    let measures: Vec<String> = d.measures().map(|(_, f)| f.name.clone()).collect();
    let csv = crate::view::tables::dataset_table(site, d).to_csv();
    Frozen::read(&csv, &key, &measures).unwrap_or_default()
}

/// The dataset's current version, when it has a usable one.
pub(crate) fn current_version(d: &Dataset) -> Option<&str> {
    d.package
        .version
        .as_deref()
        .map(str::trim)
        .filter(|v| releases::valid_version(v))
}

fn history(site: &Site, d: &Dataset) -> Result<History, Diagnostic> {
    let current = current_version(d);
    // The current figures are compared only with releases: a dataset with none (most, and
    // every large one not yet released) is not written out and read back for nothing.
    let table = if d.releases.is_empty() {
        Frozen::default()
    } else {
        current_table(site, d)
    };
    if let Some(v) = current
        && let Some(r) = d.releases.iter().find(|r| r.version == v)
    {
        let changes = releases::diff(&r.table, &table);
        if !changes.is_empty() {
            let error = Diagnostic::error(
                Code::ReleasedDataChanged,
                &d.descriptor_file,
                format!(
                    "angka dataset {} berbeda dari rilis {v} ({}), padahal versinya masih {v}",
                    d.slug,
                    summary(&changes)
                ),
            )
            .hint(format!(
                "rilis yang sudah terbit tidak diubah: naikkan \"version\" di datapackage.json (misalnya \"{}\") lalu jalankan `lumbung rilis`; contoh perubahan: {}",
                next_version(v),
                details(&changes).join("; ")
            ));
            // Placed at the version the descriptor still names.
            let text =
                std::fs::read_to_string(d.folder.join("datapackage.json")).unwrap_or_default();
            return Err(match crate::spans::json(&text, "/version") {
                Some(span) => error.at_offset(&text, span.start()),
                None => error,
            });
        }
    }
    // Every version: the released ones, and the current one when not released yet.
    let mut tables: Vec<(String, &Frozen, Option<&releases::Release>)> = d
        .releases
        .iter()
        .map(|r| (r.version.clone(), &r.table, Some(r)))
        .collect();
    if let Some(v) = current
        && !d.releases.iter().any(|r| r.version == v)
    {
        tables.push((v.to_string(), &table, None));
        tables.sort_by(|a, b| releases::compare_versions(&a.0, &b.0));
    }
    let mut versions = Vec::new();
    for (i, (v, t, release)) in tables.iter().enumerate() {
        let (summary_text, detail_lines, previous) = match i.checked_sub(1).map(|p| &tables[p]) {
            Some((pv, pt, _)) => {
                let c = releases::diff(pt, t);
                let s = if c.is_empty() {
                    format!("angka sama dengan versi {pv}")
                } else {
                    summary(&c)
                };
                (s, details(&c), Some(pv.clone()))
            }
            None => (String::new(), Vec::new(), None),
        };
        let is_current = current == Some(v.as_str());
        let date = match release {
            Some(r) => r.date,
            None => d.updated.or(d.created),
        };
        versions.push(Version {
            version: v.clone(),
            date: date.map(|x| x.shown()).unwrap_or_default(),
            iso: date.map(|x| x.iso()).unwrap_or_default(),
            current: is_current,
            released: release.is_some(),
            files: release.map_or_else(Vec::new, |r| {
                r.files
                    .keys()
                    .map(|name| Link {
                        name: name.clone(),
                        url: urls::dataset_release_file(&d.slug, &r.version, name),
                    })
                    .collect()
            }),
            summary: summary_text,
            details: detail_lines,
            previous,
        });
    }
    let cite_url = match current {
        Some(v) if d.releases.iter().any(|r| r.version == v) => {
            urls::dataset_release_file(&d.slug, v, &csv_name(d))
        }
        _ => urls::dataset(&d.slug),
    };
    Ok(History {
        versions,
        current: current.map(str::to_string),
        cite_url,
    })
}

/// The published CSV's file name (`kemiskinan-bps.csv`).
pub(crate) fn csv_name(d: &Dataset) -> String {
    let url = urls::dataset_download(&d.slug, Format::Csv);
    url.rsplit('/').next().unwrap_or_default().to_string()
}

/// The version after `v`: its last number plus one (`1.0.0` → `1.0.1`), else `v` + `.1`.
pub(crate) fn next_version(v: &str) -> String {
    match v.rsplit_once('.') {
        Some((head, last)) if last.parse::<u64>().is_ok() => {
            format!("{head}.{}", last.parse::<u64>().unwrap_or(0) + 1)
        }
        _ => format!("{v}.1"),
    }
}

/// The counts of a change as one phrase: "2 baris ditambah, 1 nilai berubah".
pub(crate) fn summary(c: &Changes) -> String {
    let n = |x: usize| crate::locale::number(x as f64, 0);
    let mut parts = Vec::new();
    if c.added > 0 {
        parts.push(format!("{} baris ditambah", n(c.added)));
    }
    if c.removed > 0 {
        parts.push(format!("{} baris dihapus", n(c.removed)));
    }
    if c.changed > 0 {
        parts.push(format!("{} nilai berubah", n(c.changed)));
    }
    if !c.columns.is_empty() {
        parts.push(format!("kolom berubah: {}", c.columns.join(", ")));
    }
    parts.join(", ")
}

/// Examples of a change, one line each, numbers the Indonesian way.
pub(crate) fn details(c: &Changes) -> Vec<String> {
    let mut out: Vec<String> = c
        .changed_examples
        .iter()
        .map(|(key, col, old, new)| format!("{key}, {col}: {} → {}", show(old), show(new)))
        .collect();
    out.extend(c.added_examples.iter().map(|k| format!("ditambah: {k}")));
    out.extend(c.removed_examples.iter().map(|k| format!("dihapus: {k}")));
    out
}

/// A published cell as a reader reads it: "5.65" → "5,65", "" → "kosong".
fn show(cell: &str) -> String {
    if cell.is_empty() {
        return "kosong".into();
    }
    match cell.parse::<f64>() {
        Ok(v) if v.is_finite() => {
            let decimals = cell.split_once('.').map_or(0, |(_, f)| f.len());
            crate::locale::number(v, decimals)
        }
        _ => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_versions_and_shown_cells() {
        assert_eq!(next_version("1.0.0"), "1.0.1");
        assert_eq!(next_version("2024"), "2024.1");
        assert_eq!(show("1234.5"), "1.234,5");
        assert_eq!(show(""), "kosong");
        assert_eq!(show("Maret"), "Maret");
    }
}
