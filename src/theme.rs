//! The default theme, built into the binary so a new site needs no copy of it; `themes/<name>/` on disk wins.

use std::path::{Path, PathBuf};

/// Where a theme file comes from.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    Disk(PathBuf),
    Embedded(&'static [u8]),
}

impl Source {
    pub(crate) fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Source::Disk(p) => std::fs::read(p),
            Source::Embedded(b) => Ok(b.to_vec()),
        }
    }

    /// How to name it in messages.
    pub(crate) fn shown(&self, root: &Path) -> PathBuf {
        match self {
            Source::Disk(p) => crate::diagnostic::display_path(root, p),
            Source::Embedded(_) => PathBuf::from("(tema bawaan)"),
        }
    }
}

/// Every file of the default theme, relative to `themes/default/` (listed by `tools/embed_theme.rs`).
pub(crate) const DEFAULT: &[(&str, &[u8])] =
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// The files of `theme` under `sub` (`templates` or `static`), as (path relative to `sub`, source):
/// from `<root>/themes/<theme>/<sub>` when that folder exists, else the built-in default theme.
pub(crate) fn files(root: &Path, theme: &str, sub: &str) -> Vec<(String, Source)> {
    let dir = root.join("themes").join(theme).join(sub);
    if dir.is_dir() {
        return walk(root, &dir);
    }
    if theme != "default" {
        return Vec::new();
    }
    let prefix = format!("{sub}/");
    DEFAULT
        .iter()
        .filter_map(|(p, b)| {
            p.strip_prefix(&prefix)
                .map(|rel| (rel.to_string(), Source::Embedded(b)))
        })
        .collect()
}

/// Files under `dir`, sorted, as (relative path with `/`, source); links leading outside the
/// site `root` are left out (and reported by the build, see [`crate::inside::skipped`]).
pub(crate) fn walk(root: &Path, dir: &Path) -> Vec<(String, Source)> {
    crate::inside::files(root, dir)
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(dir)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            (rel, Source::Disk(p))
        })
        .collect()
}

/// True when the theme exists on disk or is built in.
pub(crate) fn exists(root: &Path, theme: &str) -> bool {
    root.join("themes").join(theme).is_dir() || theme == "default"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_matches_theme_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<(String, Vec<u8>)> = walk(&dir, &dir)
            .into_iter()
            .map(|(p, s)| (p, s.read().unwrap()))
            .collect();
        on_disk.sort();
        let embedded: Vec<(String, Vec<u8>)> = DEFAULT
            .iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect();
        assert_eq!(on_disk, embedded, "the embedded theme is the theme folder");
    }
}
