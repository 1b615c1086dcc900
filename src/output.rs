//! Writing the site: build into a staging folder beside the output, reuse unchanged files, then swap atomically.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Counts of what a write did.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteStats {
    /// Files that were new or changed, written into the new output.
    pub written: usize,
    /// Files whose bytes were already in the output, kept as they were.
    pub unchanged: usize,
    /// Files of the old output that are no longer produced, left out.
    pub removed: usize,
}

/// Folders of a site that hold its sources: the output may never be, contain or lie inside one.
pub const SOURCE_FOLDERS: &[&str] = &["content", "data", "static", "templates", "themes", ".git"];

/// Why `out` may not receive the build of the site at `root`, checked before anything is touched:
/// it is the site root or lies above it, it is (or is inside) a source folder, or it is an
/// existing folder with files that is not a built site (no `index.html`), which the swap would
/// otherwise delete.
pub fn unsafe_target(root: &Path, out: &Path) -> Option<String> {
    let root = resolved(root);
    let target = resolved(out);
    if target == root {
        return Some("folder keluaran adalah folder situs itu sendiri".into());
    }
    if root.starts_with(&target) {
        return Some("folder keluaran berisi folder situs".into());
    }
    for src in SOURCE_FOLDERS {
        let s = resolved(&root.join(src));
        if target == s || target.starts_with(&s) {
            return Some(format!("folder keluaran ada di dalam folder sumber {src}/"));
        }
    }
    let has_files = fs::read_dir(out).is_ok_and(|mut d| d.next().is_some());
    if out.is_dir() && has_files && !out.join("index.html").is_file() {
        return Some("folder keluaran sudah berisi berkas lain dan bukan situs hasil Lumbung (tidak ada index.html)".into());
    }
    if out.exists() && !out.is_dir() {
        return Some("keluaran yang diminta adalah berkas, bukan folder".into());
    }
    None
}

/// An absolute path with symlinks resolved as far as the path exists (the rest appended as written).
fn resolved(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut out = c;
            for r in rest.iter().rev() {
                out.push(r);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return abs,
        }
    }
}

/// True when a relative output path stays inside the output folder.
pub fn safe_relative(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty()
        && !p.is_absolute()
        && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Writes every file into a staging copy of `out` and swaps it in.
///
/// The staging folder starts as hard links of the current output (no bytes copied, no mass
/// deletion), files whose bytes are unchanged stay linked, changed ones are replaced, stale
/// ones removed; then the old folder is renamed aside, the staging folder renamed into place,
/// and the old one removed. If anything fails before the swap, `out` is untouched.
pub fn write_site(out: &Path, files: &[(String, Vec<u8>)]) -> io::Result<WriteStats> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = out.file_name().and_then(|s| s.to_str()).unwrap_or("public");
    let staging = parent.join(format!(".{name}.baru"));
    let old = parent.join(format!(".{name}.lama"));
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    let mut stats = WriteStats::default();
    let wanted: BTreeSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    fs::create_dir_all(&staging)?;
    // Link the current output into staging, keeping only files we will still produce.
    if out.is_dir() {
        for e in walkdir::WalkDir::new(out)
            .min_depth(1)
            .into_iter()
            .filter_map(Result::ok)
        {
            let rel = e.path().strip_prefix(out).unwrap_or(e.path());
            let rel_s = rel.to_string_lossy().replace('\\', "/");
            if e.file_type().is_file() {
                if wanted.contains(rel_s.as_str()) {
                    let dst = staging.join(rel);
                    if let Some(d) = dst.parent() {
                        fs::create_dir_all(d)?;
                    }
                    if fs::hard_link(e.path(), &dst).is_err() {
                        fs::copy(e.path(), &dst)?;
                    }
                } else {
                    stats.removed += 1;
                }
            }
        }
    }
    for (rel, bytes) in files {
        if !safe_relative(rel) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("jalur keluaran tidak aman: {rel}"),
            ));
        }
        let dst = staging.join(rel);
        if let Ok(existing) = fs::read(&dst)
            && existing == *bytes
        {
            stats.unchanged += 1;
            continue;
        }
        if let Some(d) = dst.parent() {
            fs::create_dir_all(d)?;
        }
        // Replace rather than write through the hard link, so the old output keeps its bytes.
        let tmp = tmp_path(&dst);
        fs::write(&tmp, bytes)?;
        fs::rename(&tmp, &dst)?;
        stats.written += 1;
    }
    // Swap.
    if out.exists() {
        fs::rename(out, &old)?;
    }
    if let Err(e) = fs::rename(&staging, out) {
        if old.exists() {
            let _ = fs::rename(&old, out);
        }
        return Err(e);
    }
    if old.exists() {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(stats)
}

fn tmp_path(p: &Path) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(".tmp");
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_may_not_be_or_hold_a_source() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("situs");
        for f in ["content/berita", "data/x", "static"] {
            fs::create_dir_all(site.join(f)).unwrap();
        }
        fs::write(site.join("content/berita/a.md"), "x").unwrap();
        assert!(unsafe_target(&site, &site.join("public")).is_none());
        assert!(unsafe_target(&site, &dir.path().join("keluar")).is_none());
        for bad in [
            site.clone(),
            site.join("."),
            dir.path().to_path_buf(),
            site.join("content"),
            site.join("content/berita"),
            site.join("data/x/public"),
            site.join("static/../content"),
        ] {
            assert!(
                unsafe_target(&site, &bad).is_some(),
                "{} was accepted",
                bad.display()
            );
        }
        // A folder with other files that is not a built site is refused; a built one is fine.
        let other = dir.path().join("dokumen");
        fs::create_dir_all(&other).unwrap();
        fs::write(other.join("laporan.docx"), "x").unwrap();
        assert!(unsafe_target(&site, &other).is_some());
        fs::write(other.join("index.html"), "x").unwrap();
        assert!(unsafe_target(&site, &other).is_none());
    }

    #[test]
    fn rejects_escaping_paths() {
        assert!(safe_relative("berita/a/index.html"));
        assert!(!safe_relative("../x"));
        assert!(!safe_relative("/etc/passwd"));
        assert!(!safe_relative("a/../../x"));
    }

    #[test]
    fn unchanged_files_are_kept_and_stale_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = write_site(
            &out,
            &[
                ("a.txt".into(), b"1".to_vec()),
                ("b/c.txt".into(), b"2".to_vec()),
            ],
        )
        .unwrap();
        assert_eq!(s.written, 2);
        let s = write_site(
            &out,
            &[
                ("a.txt".into(), b"1".to_vec()),
                ("d.txt".into(), b"3".to_vec()),
            ],
        )
        .unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (1, 1, 1));
        assert!(!out.join("b/c.txt").exists());
        assert_eq!(fs::read(out.join("d.txt")).unwrap(), b"3");
    }
}
