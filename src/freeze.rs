//! `lumbung rilis`: each dataset's current version kept in its `rilis/<version>/` folder exactly as the build publishes it, so its addresses never change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::data::releases::FOLDER;
use crate::diagnostic::{Code, Diagnostic};
use crate::jobs::OutputFile;
use crate::model::Site;
use crate::urls;

/// What `lumbung rilis` did for one dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frozen {
    /// The version was kept, in this folder, with these files.
    Kept {
        /// The dataset's slug.
        dataset: String,
        /// The version kept.
        version: String,
        /// The new release folder.
        folder: PathBuf,
        /// The files written there.
        files: Vec<String>,
    },
    /// The version had been released before (with the same figures: a build refuses otherwise).
    Already {
        /// The dataset's slug.
        dataset: String,
        /// Its current version.
        version: String,
    },
    /// The dataset has no `version`, so it has nothing to release.
    Unversioned {
        /// The dataset's slug.
        dataset: String,
    },
}

/// The published files a release keeps: the downloads, the descriptor and the region list.
fn release_files(site: &Site, di: usize) -> Vec<String> {
    let d = &site.datasets[di];
    crate::jobs::datasets::published(d)
        .iter()
        .map(|f| urls::file_of(&f.url(d)))
        .collect()
}

/// Keeps the current version of the named datasets (by slug or folder name; every dataset
/// when `names` is empty) from the rendered `files`. A name that matches no dataset, or a
/// named dataset without a version, is an error; nothing is written then.
pub(crate) fn freeze(
    site: &Site,
    files: &[OutputFile],
    names: &[String],
) -> Result<Vec<Frozen>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    for n in names {
        let known = site.datasets.iter().any(|d| matches(d, n));
        if !known {
            errors.push(
                Diagnostic::error(
                    Code::ReleaseInvalid,
                    n.as_str(),
                    format!("tidak ada dataset bernama \"{n}\""),
                )
                .hint(format!(
                    "dataset yang ada: {}",
                    site.datasets
                        .iter()
                        .map(|d| d.slug.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
    let chosen: Vec<usize> = (0..site.datasets.len())
        .filter(|&i| names.is_empty() || names.iter().any(|n| matches(&site.datasets[i], n)))
        .collect();
    for &i in &chosen {
        let d = &site.datasets[i];
        if !names.is_empty() && crate::view::releases::current_version(d).is_none() {
            errors.push(
                Diagnostic::error(
                    Code::ReleaseInvalid,
                    &d.descriptor_file,
                    format!("dataset {} tidak punya \"version\" yang bisa dirilis", d.slug),
                )
                .hint("tulis \"version\": \"1.0.0\" di datapackage.json (huruf, angka, titik, - dan _)"),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let by_path: BTreeMap<&str, &[u8]> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let mut out = Vec::new();
    for i in chosen {
        let d = &site.datasets[i];
        let Some(version) = crate::view::releases::current_version(d) else {
            out.push(Frozen::Unversioned {
                dataset: d.slug.clone(),
            });
            continue;
        };
        if d.releases.iter().any(|r| r.version == version) {
            out.push(Frozen::Already {
                dataset: d.slug.clone(),
                version: version.to_string(),
            });
            continue;
        }
        let mut kept = Vec::new();
        for path in release_files(site, i) {
            let Some(bytes) = by_path.get(path.as_str()) else {
                continue;
            };
            let name = path.rsplit('/').next().unwrap_or_default().to_string();
            kept.push((name, bytes.to_vec()));
        }
        let folder = d.folder.join(FOLDER).join(version);
        write_release(&folder, &kept).map_err(|e| {
            vec![
                Diagnostic::error(
                    Code::WriteFailed,
                    &folder,
                    format!("rilis tidak bisa disimpan: {e}"),
                )
                .hint("periksa izin tulis dan ruang disk di folder dataset"),
            ]
        })?;
        out.push(Frozen::Kept {
            dataset: d.slug.clone(),
            version: version.to_string(),
            folder,
            files: kept.into_iter().map(|(n, _)| n).collect(),
        });
    }
    Ok(out)
}

fn matches(d: &crate::data::dataset::Dataset, name: &str) -> bool {
    d.slug == name || d.folder.file_name().is_some_and(|f| f == name)
}

/// Writes the files into a hidden folder beside the release, then renames it into place: a
/// release folder is complete or absent.
fn write_release(folder: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    let parent = folder.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = folder
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("rilis");
    let staging = parent.join(format!(".{name}.sementara"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir(&staging)?;
    for (file, bytes) in files {
        std::fs::write(staging.join(file), bytes)?;
    }
    std::fs::rename(&staging, folder)
}
