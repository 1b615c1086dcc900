//! The chart PNG cache: a PNG is a pure function of its SVG, so it is kept under a SHA-256 made from that SVG's SHA-256 outside the output folder (`.lumbung-cache/png/`), shared by every build of the site.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use crate::charts;

/// Bumped whenever the rasteriser's output for the same SVG changes (resvg upgrade, font,
/// PNG encoding), so no build reuses a PNG drawn the old way.
const RASTER: &str = "resvg-0.49;dejavu-sans;white;rgba-nofilter;2";

/// Entries not used by a build and older than this are removed after it.
const KEEP_UNUSED: Duration = Duration::from_secs(7 * 24 * 3600);

/// How often the cache is looked through for entries to remove, and the file that says when
/// it last was.
const PRUNE_EVERY: Duration = Duration::from_secs(24 * 3600);
const PRUNED: &str = "dipangkas";

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

/// PNGs by the hash of their SVG and width; counts what it drew and reused.
#[derive(Debug, Default)]
pub(crate) struct PngCache {
    /// The cache folder (`<site>/.lumbung-cache/png`), or `None` to draw every PNG.
    dir: Option<PathBuf>,
    drawn: AtomicUsize,
    reused: AtomicUsize,
    /// The first failure to store an entry (a read-only site folder, a full disk).
    store_error: Mutex<Option<String>>,
    /// Keys used by this build, so that pruning keeps them.
    used: Mutex<Vec<String>>,
    /// The SHA-256 of each chart SVG this build wrote, by output path: a PNG whose SVG is
    /// here is looked up without drawing the SVG again.
    svgs: OnceLock<HashMap<String, [u8; 32]>>,
}

/// What the cache did in one build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PngStats {
    /// PNGs rasterised in this build.
    pub drawn: usize,
    /// PNGs taken from the cache.
    pub reused: usize,
}

impl PngCache {
    /// A cache in `dir`, or none.
    pub(crate) fn new(dir: Option<PathBuf>) -> PngCache {
        PngCache {
            dir,
            ..PngCache::default()
        }
    }

    /// The PNG of `svg`, `width` pixels wide: from the cache, or drawn and stored.
    pub(crate) fn png(&self, svg: &str, width: u32) -> Result<Vec<u8>, String> {
        self.png_of(Sha256::digest(svg).into(), width, || Ok(svg.to_string()))
    }

    /// Remembers the SHA-256 of every chart SVG the build wrote (by output path), for
    /// [`PngCache::svg_digest`]; once per build.
    pub(crate) fn know_svgs(&self, svgs: HashMap<String, [u8; 32]>) {
        let _ = self.svgs.set(svgs);
    }

    /// The SHA-256 of the chart SVG the build wrote at `path`, if it wrote one.
    pub(crate) fn svg_digest(&self, path: &str) -> Option<[u8; 32]> {
        self.svgs.get()?.get(path).copied()
    }

    /// The PNG of the SVG whose SHA-256 is `digest`, `width` pixels wide: from the cache, or
    /// `svg()` drawn and stored. Only a miss needs the SVG itself (a region's map or ranking,
    /// drawn again, costs more than reading its PNG); an SVG that turns out to hash otherwise
    /// is stored under its own hash, never under `digest`.
    pub(crate) fn png_of(
        &self,
        digest: [u8; 32],
        width: u32,
        svg: impl FnOnce() -> Result<String, String>,
    ) -> Result<Vec<u8>, String> {
        let key = key(&digest, width);
        let path = self.dir.as_ref().map(|d| entry(d, &key));
        if let Some(p) = &path
            && let Ok(bytes) = std::fs::read(p)
            && bytes.starts_with(PNG_MAGIC)
        {
            self.reused.fetch_add(1, Ordering::Relaxed);
            self.lock_used().push(key);
            return Ok(bytes);
        }
        let svg = svg()?;
        let actual: [u8; 32] = Sha256::digest(&svg).into();
        let (key, path) = if actual == digest {
            (key, path)
        } else {
            let key = self::key(&actual, width);
            let path = self.dir.as_ref().map(|d| entry(d, &key));
            (key, path)
        };
        let png = charts::to_png(&svg, width)?;
        self.drawn.fetch_add(1, Ordering::Relaxed);
        if let Some(p) = &path {
            if let Err(e) = store(p, &png) {
                let mut first = self
                    .store_error
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                first.get_or_insert_with(|| format!("{}: {e}", p.display()));
            }
            self.lock_used().push(key);
        }
        Ok(png)
    }

    fn lock_used(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.used
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How many PNGs were drawn and reused.
    pub(crate) fn stats(&self) -> PngStats {
        PngStats {
            drawn: self.drawn.load(Ordering::Relaxed),
            reused: self.reused.load(Ordering::Relaxed),
        }
    }

    /// The first failure to store an entry, if any.
    pub(crate) fn store_error(&self) -> Option<String> {
        self.store_error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// After a successful build: marks the entries it used as fresh and, at most once a day
    /// (a national portal's cache has thousands of entries to look at), removes entries no
    /// build has used for a week, so the cache does not grow without bound.
    pub(crate) fn prune(&self) {
        let Some(dir) = &self.dir else { return };
        let now = SystemTime::now();
        let used: std::collections::HashSet<String> = self.lock_used().drain(..).collect();
        for key in &used {
            if let Ok(f) = std::fs::File::options().write(true).open(entry(dir, key)) {
                let _ = f.set_modified(now);
            }
        }
        let marker = dir.join(PRUNED);
        let pruned_lately = std::fs::metadata(&marker)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age < PRUNE_EVERY);
        if pruned_lately {
            return;
        }
        let _ = std::fs::write(&marker, b"");
        for e in walkdir::WalkDir::new(dir).min_depth(2).max_depth(2) {
            let Ok(e) = e else { continue };
            let old = e
                .metadata()
                .ok()
                .and_then(|m| m.modified().ok())
                .and_then(|t| now.duration_since(t).ok())
                .is_some_and(|age| age > KEEP_UNUSED);
            if old && e.file_type().is_file() {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// The hex SHA-256 of the rasteriser version, the width and the SVG's SHA-256.
fn key(svg: &[u8; 32], width: u32) -> String {
    let mut h = Sha256::new();
    h.update(RASTER.as_bytes());
    h.update([0]);
    h.update(width.to_le_bytes());
    h.update(svg);
    crate::unchanged::hex(&h.finalize())
}

/// `dir/ab/cdef….png` for key `abcdef…`.
fn entry(dir: &Path, key: &str) -> PathBuf {
    dir.join(&key[..2]).join(format!("{}.png", &key[2..]))
}

/// Writes an entry atomically (a temporary file renamed into place), so a concurrent build
/// or a kill never leaves half a PNG under a valid name.
fn store(path: &Path, png: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(path);
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        std::process::id()
    ));
    std::fs::write(&tmp, png)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_png_is_drawn_once_and_then_reused_by_content() {
        let tmp = tempfile::tempdir().unwrap();
        let svg = crate::charts::line::line_chart(&crate::charts::line::tests::sample());
        let a = PngCache::new(Some(tmp.path().to_path_buf()));
        let first = a.png(&svg, 320).unwrap();
        assert_eq!(
            a.stats(),
            PngStats {
                drawn: 1,
                reused: 0
            }
        );
        // Another build (a fresh output folder) reuses it …
        let b = PngCache::new(Some(tmp.path().to_path_buf()));
        assert_eq!(b.png(&svg, 320).unwrap(), first);
        assert_eq!(
            b.stats(),
            PngStats {
                drawn: 0,
                reused: 1
            }
        );
        // … but not for another width or another SVG.
        b.png(&svg, 321).unwrap();
        b.png(&svg.replace("</svg>", "<!-- x --></svg>"), 320)
            .unwrap();
        assert_eq!(
            b.stats(),
            PngStats {
                drawn: 2,
                reused: 1
            }
        );
        // A damaged entry is drawn again, never served.
        let k = key(&Sha256::digest(&svg).into(), 320);
        std::fs::write(entry(tmp.path(), &k), b"not a png").unwrap();
        let c = PngCache::new(Some(tmp.path().to_path_buf()));
        assert_eq!(c.png(&svg, 320).unwrap(), first);
        assert_eq!(
            c.stats(),
            PngStats {
                drawn: 1,
                reused: 0
            }
        );
        // Pruning keeps what was used.
        c.prune();
        assert!(entry(tmp.path(), &k).is_file());
    }

    #[test]
    fn a_png_known_by_its_svgs_hash_is_read_without_the_svg() {
        let tmp = tempfile::tempdir().unwrap();
        let svg = crate::charts::line::line_chart(&crate::charts::line::tests::sample());
        let digest: [u8; 32] = Sha256::digest(&svg).into();
        let a = PngCache::new(Some(tmp.path().to_path_buf()));
        let first = a.png(&svg, 320).unwrap();
        let b = PngCache::new(Some(tmp.path().to_path_buf()));
        let again = b
            .png_of(digest, 320, || -> Result<String, String> {
                panic!("a cached PNG needs no SVG")
            })
            .unwrap();
        assert_eq!(again, first);
        // A digest that does not belong to the SVG drawn on a miss never names its PNG:
        // the PNG goes under the SVG's own hash, and the wrong digest still misses.
        let wrong = [7u8; 32];
        let other = svg.replace("</svg>", "<!-- lain --></svg>");
        let c = PngCache::new(Some(tmp.path().to_path_buf()));
        c.png_of(wrong, 320, || Ok(other.clone())).unwrap();
        assert!(!entry(tmp.path(), &key(&wrong, 320)).exists());
        assert!(entry(tmp.path(), &key(&Sha256::digest(&other).into(), 320)).is_file());
        assert_eq!(
            c.stats(),
            PngStats {
                drawn: 1,
                reused: 0
            }
        );
        // What the build wrote is looked up by path.
        c.know_svgs(HashMap::from([("a/tren.svg".to_string(), digest)]));
        assert_eq!(c.svg_digest("a/tren.svg"), Some(digest));
        assert_eq!(c.svg_digest("b/tren.svg"), None);
    }

    #[test]
    fn entries_unused_for_a_week_go_at_the_daily_look() {
        let tmp = tempfile::tempdir().unwrap();
        let svg = crate::charts::line::line_chart(&crate::charts::line::tests::sample());
        let long_ago = SystemTime::now() - KEEP_UNUSED - Duration::from_secs(3600);
        let age = |p: &Path, t: SystemTime| {
            std::fs::File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(t)
                .unwrap()
        };
        let k = key(&Sha256::digest(&svg).into(), 320);
        let c = PngCache::new(Some(tmp.path().to_path_buf()));
        c.png(&svg, 320).unwrap();
        c.lock_used().clear();
        age(&entry(tmp.path(), &k), long_ago);
        c.prune();
        assert!(
            !entry(tmp.path(), &k).exists(),
            "unused for a week: removed"
        );
        // Within a day of the last look, the cache is not looked through again.
        c.png(&svg, 320).unwrap();
        c.lock_used().clear();
        age(&entry(tmp.path(), &k), long_ago);
        c.prune();
        assert!(
            entry(tmp.path(), &k).is_file(),
            "looked through an hour ago"
        );
        age(&tmp.path().join(PRUNED), SystemTime::now() - PRUNE_EVERY);
        c.prune();
        assert!(!entry(tmp.path(), &k).exists(), "a day later: removed");
    }
}
