//! Writing the site: build into a staging folder beside the output, reuse unchanged files, then swap atomically.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::PoisonError;

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
pub const SOURCE_FOLDERS: &[&str] = &[
    "content",
    "data",
    "static",
    "templates",
    "themes",
    ".git",
    ".lumbung-cache",
];

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

/// An exclusive lock on an output folder, held for a whole build (released when dropped).
pub struct OutputLock {
    _file: fs::File,
}

/// Takes the exclusive lock of `out` (the file `.<name>.kunci` beside it): a second build of
/// the same folder waits until the first is done, announcing that it waits.
pub fn lock(out: &Path) -> io::Result<OutputLock> {
    let (parent, name) = parent_and_name(out);
    fs::create_dir_all(&parent)?;
    let path = parent.join(format!(".{name}.kunci"));
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            eprintln!(
                "Menunggu build lain ke {} selesai ({} terkunci) …",
                out.display(),
                path.display()
            );
            file.lock()?;
        }
        Err(fs::TryLockError::Error(e)) => return Err(e),
    }
    Ok(OutputLock { _file: file })
}

fn parent_and_name(out: &Path) -> (PathBuf, String) {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let name = out
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or("public")
        .to_string();
    (parent, name)
}

/// Removes a folder when dropped, unless disarmed: staging and old copies never outlive a build,
/// whichever way it ends.
struct Cleanup(Option<PathBuf>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = fs::remove_dir_all(p);
        }
    }
}

/// A write error naming the file it happened on.
fn at(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Writes every file into a staging copy of `out` and swaps it in; the files named in `kept`
/// stay as the current output has them (their jobs were not rendered because nothing they
/// depend on changed). [`Staging`] in one step.
pub fn write_site(
    out: &Path,
    files: &[(String, Vec<u8>)],
    kept: &[String],
) -> io::Result<WriteStats> {
    let (stats, old, _) = Staging::begin(out)?.finish(files, kept)?;
    old.remove();
    Ok(stats)
}

/// The output as it was before the swap, beside the new one: removed by [`OldOutput::remove`]
/// (which the caller may run beside other work) or when dropped.
pub struct OldOutput {
    cleanup: Cleanup,
    old: PathBuf,
}

impl OldOutput {
    /// Removes the old output, its files in parallel.
    pub fn remove(mut self) {
        if let Some(p) = self.cleanup.0.take() {
            let _ = remove_tree(&p);
        }
        let _ = remove_tree(&self.old);
    }
}

/// The next output, filled while the site renders: each file goes into a staging folder beside
/// `out` as soon as it is made (linked from the current output when its bytes are the same, so
/// nothing is copied), the files kept from the last build are linked at the end, and the
/// staging folder and the output are then exchanged in one atomic step
/// (`renameat2(RENAME_EXCHANGE)` on Linux), so there is never a moment without a complete
/// output. Dropped before [`Staging::finish`] (a build that failed), the staging folder is
/// removed and `out` is untouched; an error names the file it happened on (a full disk, a
/// permission).
pub struct Staging {
    out: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    cleanup: Cleanup,
    /// Whether there is a current output to link unchanged files from.
    current: bool,
    written: std::sync::atomic::AtomicUsize,
    unchanged: std::sync::atomic::AtomicUsize,
    /// Every file put so far, with its stamp for the build's record ([`unchanged::stamp_line`]:
    /// taken from the file just written, so the output is not walked again to fingerprint it).
    put: std::sync::Mutex<Vec<(String, Vec<u8>)>>,
    /// The folders of the staging folder made so far (a folder is asked for once, not once
    /// per file: a desa build puts 580,000 files in 92,000 folders).
    folders: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl Staging {
    /// An empty staging folder beside `out` (one left by a killed build is removed first).
    pub fn begin(out: &Path) -> io::Result<Staging> {
        let (parent, name) = parent_and_name(out);
        fs::create_dir_all(&parent).map_err(|e| at(&parent, e))?;
        let staging = parent.join(format!(".{name}.baru"));
        let old = parent.join(format!(".{name}.lama"));
        for leftover in [&staging, &old] {
            if leftover.exists() {
                fs::remove_dir_all(leftover).map_err(|e| at(leftover, e))?;
            }
        }
        let cleanup = Cleanup(Some(staging.clone()));
        fs::create_dir_all(&staging).map_err(|e| at(&staging, e))?;
        Ok(Staging {
            current: out.is_dir(),
            out: out.to_path_buf(),
            staging,
            old,
            cleanup,
            written: Default::default(),
            unchanged: Default::default(),
            put: Default::default(),
            folders: Default::default(),
        })
    }

    /// The staging folder (files put so far can be read back from it).
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// Puts one file into the next output: linked from the current output when its bytes are
    /// the same there, else written. A path that would leave the output folder is refused.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.put_as(rel, bytes, true)
    }

    /// Puts a file that gives way to any other file on its path, whichever comes first (a
    /// compressed copy beside a site's own `x.css.gz`): it never replaces one.
    pub fn put_unless_taken(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.put_as(rel, bytes, false)
    }

    fn put_as(&self, rel: &str, bytes: &[u8], replace: bool) -> io::Result<()> {
        use std::sync::atomic::Ordering::Relaxed;
        if !safe_relative(rel) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("jalur keluaran tidak aman: {rel}"),
            ));
        }
        let dst = self.staging.join(rel);
        if let Some(d) = dst.parent() {
            self.folder(d)?;
        }
        let current = self.out.join(rel);
        let same = self
            .current
            .then(|| fs::metadata(&current).ok())
            .flatten()
            .filter(|m| {
                m.len() == bytes.len() as u64 && fs::read(&current).is_ok_and(|b| b == bytes)
            });
        // The file's size and modification time once it is in place (a link shares its
        // source's).
        let meta;
        if let Some(m) = same.filter(|_| fs::hard_link(&current, &dst).is_ok()) {
            self.unchanged.fetch_add(1, Relaxed);
            meta = Some(m);
        } else if !replace && dst.exists() {
            return Ok(());
        } else if let Some(m) = if replace {
            create_new(&dst, bytes).map_err(|e| at(&dst, e))?
        } else {
            None
        } {
            // A new path (nearly every file): written in place, no temporary file to rename.
            // A path put before is replaced through a temporary file below, never written
            // into: it may be a link to the current output's file.
            self.written.fetch_add(1, Relaxed);
            meta = m;
        } else {
            let tmp = tmp_path(&dst);
            fs::write(&tmp, bytes).map_err(|e| at(&dst, e))?;
            if replace {
                fs::rename(&tmp, &dst).map_err(|e| at(&dst, e))?;
            } else {
                // Linking fails when the path was taken meanwhile: the other file stays.
                let linked = fs::hard_link(&tmp, &dst);
                let _ = fs::remove_file(&tmp);
                if linked.is_err() {
                    return Ok(());
                }
            }
            self.written.fetch_add(1, Relaxed);
            meta = fs::symlink_metadata(&dst).ok();
        }
        let stamp = crate::unchanged::stamp_line(&self.staging, &dst, meta);
        if let Ok(mut put) = self.put.lock() {
            put.push((rel.to_string(), stamp));
        }
        Ok(())
    }

    /// Makes a folder of the staging folder unless it was made already.
    fn folder(&self, d: &Path) -> io::Result<()> {
        if self.folders.lock().is_ok_and(|f| f.contains(d)) {
            return Ok(());
        }
        fs::create_dir_all(d).map_err(|e| at(d, e))?;
        if let Ok(mut f) = self.folders.lock() {
            f.insert(d.to_path_buf());
        }
        Ok(())
    }

    /// Puts the remaining `files` (in parallel), links the `kept` files from the current output,
    /// and swaps the staging folder in; returns what was written, kept and removed, the old
    /// output to remove, and the stamp of every file of the new output (in no order).
    pub fn finish(
        self,
        files: &[(String, Vec<u8>)],
        kept: &[String],
    ) -> io::Result<(WriteStats, OldOutput, Vec<Vec<u8>>)> {
        use rayon::prelude::*;
        files
            .par_iter()
            .try_for_each(|(rel, bytes)| self.put(rel, bytes))?;
        let folders: BTreeSet<&Path> = kept.iter().filter_map(|p| Path::new(p).parent()).collect();
        for f in folders {
            let d = self.staging.join(f);
            fs::create_dir_all(&d).map_err(|e| at(&d, e))?;
        }
        let kept_stamps = kept.par_iter().map(|rel| {
            let (src, dst) = (self.out.join(rel), self.staging.join(rel));
            let gone = || {
                io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("berkas keluaran lama hilang saat build: {rel}"),
                )
            };
            if !safe_relative(rel) {
                return Err(gone());
            }
            // Linked first, asked about only when that fails: one system call a file, not two.
            if fs::hard_link(&src, &dst).is_err() {
                if !src.is_file() {
                    return Err(gone());
                }
                fs::copy(&src, &dst).map_err(|err| at(&dst, err))?;
            }
            let meta = fs::symlink_metadata(&dst).ok();
            Ok(crate::unchanged::stamp_line(&self.staging, &dst, meta))
        });
        let kept_stamps: Vec<Vec<u8>> = kept_stamps.collect::<io::Result<_>>()?;
        let mut put = self
            .put
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        // A path put twice (a compressed copy replaced by the site's own file of that name)
        // is stamped as it is now, whichever stamp was taken last.
        put.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        put.dedup_by(|later, first| {
            let twice = later.0 == first.0;
            if twice {
                let path = self.staging.join(&first.0);
                let meta = fs::symlink_metadata(&path).ok();
                first.1 = crate::unchanged::stamp_line(&self.staging, &path, meta);
            }
            twice
        });
        let mut all: std::collections::HashSet<&str> =
            put.iter().map(|(rel, _)| rel.as_str()).collect();
        all.extend(kept.iter().map(String::as_str));
        let removed = if self.current {
            walkdir::WalkDir::new(&self.out)
                .min_depth(1)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .filter(|e| {
                    let rel = e.path().strip_prefix(&self.out).unwrap_or(e.path());
                    !all.contains(rel.to_string_lossy().replace('\\', "/").as_str())
                })
                .count()
        } else {
            0
        };
        let stats = WriteStats {
            written: self.written.into_inner(),
            unchanged: self.unchanged.into_inner() + kept.len(),
            removed,
        };
        drop(all);
        swap(&self.staging, &self.out, &self.old)?;
        let mut stamps: Vec<Vec<u8>> = put.into_iter().map(|(_, stamp)| stamp).collect();
        stamps.extend(kept_stamps);
        // After an exchange the staging path holds the old output; either way it goes.
        Ok((
            stats,
            OldOutput {
                cleanup: self.cleanup,
                old: self.old,
            },
            stamps,
        ))
    }
}

/// Writes `bytes` to `path` when nothing is there yet, giving the file's metadata once written
/// (`Some(None)` when it cannot be read); `None` when the path is taken.
fn create_new(path: &Path, bytes: &[u8]) -> io::Result<Option<Option<fs::Metadata>>> {
    use std::io::Write;
    match fs::File::create_new(path) {
        Ok(mut f) => {
            f.write_all(bytes)?;
            Ok(Some(f.metadata().ok()))
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(None),
        Err(e) => Err(e),
    }
}

/// Removes a folder tree, its files in parallel (a site has thousands).
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.into_path())
        .collect();
    files.par_iter().for_each(|f| {
        let _ = fs::remove_file(f);
    });
    fs::remove_dir_all(dir)
}

/// Puts `staging` in place of `out` without a moment in which `out` is missing.
fn swap(staging: &Path, out: &Path, old: &Path) -> io::Result<()> {
    if !out.exists() {
        return fs::rename(staging, out).map_err(|e| at(out, e));
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // A file system without RENAME_EXCHANGE: fall back to two renames below.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(at(out, e.into())),
        }
    }
    fs::rename(out, old).map_err(|e| at(out, e))?;
    if let Err(e) = fs::rename(staging, out) {
        let _ = fs::rename(old, out);
        return Err(at(out, e));
    }
    // Keep `staging`'s name pointing at the old copy, as after an exchange.
    fs::rename(old, staging).map_err(|e| at(staging, e))
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
    fn the_swap_leaves_no_staging_folder_and_a_failed_write_leaves_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[("a.txt".into(), b"1".to_vec())], &[]).unwrap();
        write_site(&out, &[("a.txt".into(), b"2".to_vec())], &[]).unwrap();
        assert_eq!(fs::read(out.join("a.txt")).unwrap(), b"2");
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["public"], "no staging or old folder is left");
        // An unsafe path fails the write: the output stays, the staging folder goes.
        let e = write_site(&out, &[("../x".into(), b"3".to_vec())], &[]).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(fs::read(out.join("a.txt")).unwrap(), b"2");
        assert!(!dir.path().join(".public.baru").exists());
    }

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = lock(&out).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let out2 = out.clone();
        let t = std::thread::spawn(move || {
            let _second = lock(&out2).unwrap();
            tx.send(()).unwrap();
        });
        assert!(
            rx.recv_timeout(std::time::Duration::from_millis(300))
                .is_err(),
            "the second build must wait"
        );
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(5))
            .expect("the second build goes on once the first is done");
        t.join().unwrap();
    }

    #[test]
    fn a_compressed_copy_gives_way_to_a_file_of_the_site_in_either_order() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = Staging::begin(&out).unwrap();
        s.put_unless_taken("a.css.gz", b"salinan").unwrap();
        s.put("a.css.gz", b"milik situs").unwrap();
        s.put("b.css.gz", b"milik situs").unwrap();
        s.put_unless_taken("b.css.gz", b"salinan").unwrap();
        s.finish(&[], &[]).unwrap().1.remove();
        assert_eq!(fs::read(out.join("a.css.gz")).unwrap(), b"milik situs");
        assert_eq!(fs::read(out.join("b.css.gz")).unwrap(), b"milik situs");
    }

    #[test]
    fn every_file_is_stamped_as_it_is_put() {
        // Written anew, linked from the current output, replaced, given way, held to the end
        // and kept: the stamps give the fingerprint of a walk of the new output.
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[
                ("index.html".into(), b"lama".to_vec()),
                ("sama/index.html".into(), b"sama".to_vec()),
                ("tetap.txt".into(), b"tetap".to_vec()),
            ],
            &[],
        )
        .unwrap();
        let s = Staging::begin(&out).unwrap();
        s.put("index.html", b"baru").unwrap();
        s.put("sama/index.html", b"sama").unwrap();
        s.put_unless_taken("a.css.gz", b"salinan").unwrap();
        s.put("a.css.gz", b"milik situs").unwrap();
        s.put("b.css.gz", b"milik situs").unwrap();
        s.put_unless_taken("b.css.gz", b"salinan").unwrap();
        let (stats, old, stamps) = s
            .finish(
                &[("akhir/x.json".into(), b"{}".to_vec())],
                &["tetap.txt".into()],
            )
            .unwrap();
        old.remove();
        assert_eq!(stats.unchanged, 2, "one linked, one kept");
        assert_eq!(stamps.len(), 6, "one stamp a file");
        assert_eq!(
            crate::unchanged::fingerprint(stamps.clone()),
            crate::unchanged::outputs(&out)
        );
        fs::write(out.join("a.css.gz"), "diubah sesudahnya").unwrap();
        assert_ne!(
            crate::unchanged::fingerprint(stamps),
            crate::unchanged::outputs(&out)
        );
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
            &[],
        )
        .unwrap();
        assert_eq!(s.written, 2);
        let s = write_site(
            &out,
            &[
                ("a.txt".into(), b"1".to_vec()),
                ("d.txt".into(), b"3".to_vec()),
            ],
            &[],
        )
        .unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (1, 1, 1));
        assert!(!out.join("b/c.txt").exists());
        assert_eq!(fs::read(out.join("d.txt")).unwrap(), b"3");
        // A kept file stays without being given; a kept file that is gone fails the write.
        let s = write_site(&out, &[("a.txt".into(), b"4".to_vec())], &["d.txt".into()]).unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (1, 1, 0));
        assert_eq!(fs::read(out.join("d.txt")).unwrap(), b"3");
        let e = write_site(&out, &[("a.txt".into(), b"4".to_vec())], &["e.txt".into()]);
        assert_eq!(e.unwrap_err().kind(), io::ErrorKind::NotFound);
        assert_eq!(fs::read(out.join("d.txt")).unwrap(), b"3");
    }
}
