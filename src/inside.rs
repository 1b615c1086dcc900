//! Keeps reads inside the site folder: symbolic links are followed only when they end inside it, and every skipped file is reported.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic, display_path};

/// Whether `path` (after following every symbolic link) lies inside the site `root`. A path
/// that does not exist counts as inside: its reader reports it missing.
pub(crate) fn within(root: &Path, path: &Path) -> bool {
    let Ok(target) = path.canonicalize() else {
        return true;
    };
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    target.starts_with(root)
}

/// The refusal of a file named by the site (a dataset's CSV, a correction file) that leads
/// outside the site.
pub(crate) fn refused(root: &Path, path: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::OutsideSite,
        display_path(root, path),
        "berkas ini tautan (symlink) ke luar folder situs; tidak dibaca",
    )
    .hint("salin berkasnya ke dalam folder situs; Lumbung hanya membaca berkas di dalam situs")
}

/// Every file under `dir` (sorted by path), following symbolic links that stay inside `root`.
pub(crate) fn files(root: &Path, dir: &Path) -> Vec<PathBuf> {
    visit(root, dir).0
}

/// The warnings for what [`files`] skips under each of `dirs`: links leading outside the site,
/// link loops and unreadable folders.
pub(crate) fn skipped(root: &Path, dirs: &[PathBuf]) -> Vec<Diagnostic> {
    dirs.iter()
        .filter(|d| d.is_dir())
        .flat_map(|d| visit(root, d).1)
        .collect()
}

fn visit(root: &Path, dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let canonical_dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let mut walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    const LOOP: &str = "tautan (symlink) ini menunjuk ke folder di atasnya (berputar)";
    let skip = |path: &Path, why: &str| {
        Diagnostic::warning(
            Code::SkippedFile,
            display_path(root, path),
            format!("{why}; dilewati"),
        )
        .hint("hapus tautannya atau perbaiki izin bacanya")
    };
    while let Some(entry) = walk.next() {
        let e = match entry {
            Ok(e) => e,
            Err(err) => {
                let why = match err.io_error() {
                    _ if err.loop_ancestor().is_some() => LOOP.to_string(),
                    Some(io) => format!("tidak bisa dibaca: {io}"),
                    None => format!("tidak bisa dibaca: {err}"),
                };
                skipped.push(skip(err.path().unwrap_or(dir), &why));
                continue;
            }
        };
        if e.path_is_symlink() {
            let target = e.path().canonicalize();
            let inside = target
                .as_ref()
                .is_ok_and(|t| t.starts_with(&canonical_root));
            // A link to a folder above the walked one (inside the site) would list every file
            // again under a new path; walkdir sees only loops within the walk.
            let to_parent = e.file_type().is_dir()
                && target.as_ref().is_ok_and(|t| canonical_dir.starts_with(t));
            if e.file_type().is_dir() && (to_parent || !inside) {
                walk.skip_current_dir();
            }
            if inside && to_parent {
                skipped.push(skip(e.path(), LOOP));
                continue;
            }
            if !inside {
                skipped.push(
                    Diagnostic::warning(
                        Code::OutsideSite,
                        display_path(root, e.path()),
                        "tautan (symlink) ke luar folder situs; dilewati",
                    )
                    .hint("salin berkasnya ke dalam folder situs bila ingin diterbitkan; Lumbung hanya membaca berkas di dalam situs"),
                );
                continue;
            }
        }
        if e.file_type().is_file() {
            files.push(e.into_path());
        }
    }
    (files, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_site_are_skipped_and_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("situs");
        let dir = root.join("content");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(tmp.path().join("rahasia.md"), "x").unwrap();
        std::fs::write(dir.join("a.md"), "a").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("rahasia.md"), dir.join("b.md")).unwrap();
        std::os::unix::fs::symlink(dir.join("a.md"), dir.join("c.md")).unwrap();
        std::os::unix::fs::symlink(&root, dir.join("putar")).unwrap();
        let names: Vec<String> = files(&root, &dir)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.md", "c.md"]);
        let warned = skipped(&root, &[dir]);
        let codes: Vec<Code> = warned.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::OutsideSite, Code::SkippedFile], "{warned:?}");
        assert!(!within(&root, &tmp.path().join("rahasia.md")));
        assert!(within(&root, &root.join("content/c.md")));
    }
}
