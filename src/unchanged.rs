//! The nothing-changed check: a fingerprint of every input a build reads and of the output folder it wrote, so that a build with neither changed reports the previous result instead of redoing it.
//!
//! Inputs are fingerprinted by path and contents (a modification time can repeat within a
//! few milliseconds, a file's bytes cannot hide a change): the config, `content/`, `data/`,
//! `templates/`, `static/`, the theme's folder, the boundaries file; with them the `lumbung`
//! program itself (its size and modification time), the build's switches and the day ("today"
//! decides which agenda items are upcoming). The output folder is fingerprinted by path, size and
//! modification time, so a file edited, added or removed there by hand makes the next build a
//! full one. The record lives in `.lumbung-cache/build/`, one per output folder, with the key of
//! every job and the files it wrote ([`crate::depends`]: when some input changed, a job whose
//! key is the same keeps its files); `--no-cache` always builds in full.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Location, Severity};

/// Where the records are kept, inside the site folder.
pub(crate) const DIR: &str = ".lumbung-cache/build";

/// What a build leaves for the next one to compare with.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Record {
    /// The fingerprint of the inputs the build read.
    pub inputs: String,
    /// The fingerprint of the output folder it wrote (written first by [`save`], apart from the
    /// rest, which is made while the output folder is walked).
    #[serde(skip_serializing, default)]
    pub outputs: String,
    /// Its counts, reported again when nothing changed.
    pub counts: Counts,
    /// Its warnings, printed again when nothing changed (a held-back value stays held back).
    pub warnings: Vec<SavedDiagnostic>,
    /// The key of every job it rendered (what the output depends on, [`crate::depends`]) with
    /// the files the job wrote: a later build keeps those files when a job's key is the same.
    #[serde(default)]
    pub jobs: std::collections::BTreeMap<String, Vec<String>>,
    /// Every target (`path`, `path#id`) its pages link to, or more (`links::check_build`): a
    /// build that keeps pages checks them again only when one of these is gone.
    #[serde(default)]
    pub link_targets: Option<std::collections::BTreeSet<String>>,
    /// Its translation reports, printed again when nothing changed.
    #[serde(default)]
    pub translations: Vec<crate::i18n::report::Report>,
}

/// The counts of a build's summary.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub(crate) struct Counts {
    pub pages: usize,
    pub regions: usize,
    pub indicators: usize,
    pub datasets: usize,
    pub charts: usize,
    pub files: usize,
}

/// A warning as kept in a record.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct SavedDiagnostic {
    code: String,
    file: PathBuf,
    line: Option<usize>,
    col: Option<usize>,
    row: Option<usize>,
    field: Option<String>,
    message: String,
    excerpt: Option<String>,
    hint: Option<String>,
}

impl SavedDiagnostic {
    /// A warning to keep.
    pub(crate) fn from(d: &Diagnostic) -> SavedDiagnostic {
        let (line, col, row, field) = match &d.location {
            Location::File => (None, None, None, None),
            Location::Text { line, col } => (Some(*line), Some(*col), None, None),
            Location::Csv { row, line, field } => (Some(*line), None, Some(*row), field.clone()),
        };
        SavedDiagnostic {
            code: d.code.id().to_string(),
            file: d.file.clone(),
            line,
            col,
            row,
            field,
            message: d.message.clone(),
            excerpt: d.excerpt.clone(),
            hint: d.hint.clone(),
        }
    }

    /// The warning again, or `None` when its code no longer exists.
    pub(crate) fn restore(&self) -> Option<Diagnostic> {
        let code = *Code::ALL.iter().find(|c| c.id() == self.code)?;
        let location = match (self.line, self.col, self.row) {
            (Some(line), _, Some(row)) => Location::Csv {
                row,
                line,
                field: self.field.clone(),
            },
            (Some(line), Some(col), None) => Location::Text { line, col },
            _ => Location::File,
        };
        Some(Diagnostic {
            code,
            severity: Severity::Warning,
            file: self.file.clone(),
            location,
            message: self.message.clone(),
            excerpt: self.excerpt.clone(),
            hint: self.hint.clone(),
        })
    }
}

/// The record of the last build of `root` into `out`, when there is a readable one.
pub(crate) fn load(root: &Path, out: &Path) -> Option<Record> {
    let text = std::fs::read_to_string(record_path(root, out)).ok()?;
    serde_json::from_str(&text).ok()
}

/// The record as [`save`] takes it: everything but the output folder's fingerprint, as
/// `serde_json` writes it, in pieces that follow each other: its job keys and link targets
/// (130 MB of a desa portal's record, a second of one core) are written a few thousand to a
/// piece on every thread, and never copied into one string.
pub(crate) fn text(record: &Record) -> Option<Vec<Vec<u8>>> {
    use rayon::prelude::*;
    /// `items` as a JSON array or object (`open`, `close`) in pieces, each item written by
    /// `item`.
    fn pieces<T: Sync>(
        items: &[T],
        (open, close): (u8, u8),
        item: impl Fn(&mut Vec<u8>, &T) -> serde_json::Result<()> + Sync,
    ) -> Option<Vec<Vec<u8>>> {
        let mut pieces: Vec<Vec<u8>> = items
            .par_chunks(4096)
            .enumerate()
            .map(|(n, chunk)| {
                let mut piece = Vec::new();
                for (i, it) in chunk.iter().enumerate() {
                    if n > 0 || i > 0 {
                        piece.push(b',');
                    }
                    item(&mut piece, it)?;
                }
                Ok(piece)
            })
            .collect::<serde_json::Result<_>>()
            .ok()?;
        pieces.insert(0, vec![open]);
        pieces.push(vec![close]);
        Some(pieces)
    }
    let jobs: Vec<(&String, &Vec<String>)> = record.jobs.iter().collect();
    let targets: Option<Vec<&String>> = record.link_targets.as_ref().map(|t| t.iter().collect());
    let (jobs, targets) = rayon::join(
        || {
            pieces(&jobs, (b'{', b'}'), |out, (key, files)| {
                serde_json::to_writer(&mut *out, key)?;
                out.push(b':');
                serde_json::to_writer(out, files)
            })
        },
        || match &targets {
            Some(t) => pieces(t, (b'[', b']'), |out, t| serde_json::to_writer(out, t)),
            None => Some(vec![b"null".to_vec()]),
        },
    );
    let head = format!(
        "{{\"inputs\":{},\"counts\":{},\"warnings\":{},\"jobs\":",
        serde_json::to_string(&record.inputs).ok()?,
        serde_json::to_string(&record.counts).ok()?,
        serde_json::to_string(&record.warnings).ok()?,
    );
    let tail = format!(
        ",\"translations\":{}}}",
        serde_json::to_string(&record.translations).ok()?
    );
    let mut text = vec![head.into_bytes()];
    text.extend(jobs?);
    text.push(b",\"link_targets\":".to_vec());
    text.extend(targets?);
    text.push(tail.into_bytes());
    Some(text)
}

/// Keeps the record of a build that just wrote `out`, with the fingerprint of that folder
/// (best effort: a record that cannot be written only means the next build runs in full).
pub(crate) fn save(root: &Path, out: &Path, outputs: &str, text: Option<Vec<Vec<u8>>>) {
    let path = record_path(root, out);
    if let Some(dir) = path.parent()
        && std::fs::create_dir_all(dir).is_ok()
        && let Some(text) = text
        && let Some(rest) = text.first().and_then(|t| t.strip_prefix(b"{"))
        && let Ok(outputs) = serde_json::to_string(outputs)
    {
        let tmp = path.with_extension("tmp");
        // The fingerprint first, then the pieces as they are (each a write of its own).
        let written = std::fs::File::create(&tmp).and_then(|mut f| {
            use std::io::Write;
            f.write_all(format!("{{\"outputs\":{outputs},").as_bytes())?;
            f.write_all(rest)?;
            text[1..].iter().try_for_each(|piece| f.write_all(piece))
        });
        if written.is_ok() {
            let _ = std::fs::rename(&tmp, &path);
        }
    }
}

/// One record per output folder, named by the hash of its path.
fn record_path(root: &Path, out: &Path) -> PathBuf {
    let mut h = Sha256::new();
    h.update(out.to_string_lossy().as_bytes());
    root.join(DIR)
        .join(format!("{}.json", &hex(&h.finalize())[..16]))
}

/// The fingerprints of what a build reads, one per class of input, so that a job can name the
/// classes its output depends on ([`crate::depends`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Inputs {
    /// The program (version, size and modification time), the build's switches and the day:
    /// every output depends on these.
    pub base: [u8; 32],
    /// `lumbung.toml`.
    pub config: [u8; 32],
    /// `content/`.
    pub content: [u8; 32],
    /// `data/` and the boundaries file of `[maps]`.
    pub data: [u8; 32],
    /// `templates/` and the theme's folder.
    pub theme: [u8; 32],
    /// `static/`.
    pub statics: [u8; 32],
}

impl Inputs {
    /// One fingerprint of everything, for the nothing-changed check.
    pub(crate) fn combined(&self) -> String {
        let mut h = Sha256::new();
        for part in [
            &self.base,
            &self.config,
            &self.content,
            &self.data,
            &self.theme,
            &self.statics,
        ] {
            h.update(part);
        }
        hex(&h.finalize())
    }
}

/// The fingerprints of everything a build of `root` with `config` and `switches` reads.
pub(crate) fn inputs(root: &Path, config: &Config, switches: &str) -> Inputs {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(switches.as_bytes());
    h.update(
        crate::calendar::today(config.source_date_epoch)
            .iso()
            .as_bytes(),
    );
    if let Ok(exe) = std::env::current_exe() {
        stamp(&mut h, &exe, &exe);
    }
    let base = h.finalize().into();
    let of_trees = |dirs: &[PathBuf], files: &[PathBuf]| -> [u8; 32] {
        let mut h = Sha256::new();
        for d in dirs {
            tree(&mut h, root, d, contents);
        }
        for f in files {
            contents(&mut h, root, f);
        }
        h.finalize().into()
    };
    let boundaries: Vec<PathBuf> = config
        .maps
        .boundaries
        .iter()
        .map(|b| root.join(b))
        .collect();
    // The four folders are read in parallel: on a large site each is thousands of files.
    let ((content, data), (theme, statics)) = rayon::join(
        || {
            rayon::join(
                || of_trees(&[root.join("content")], &[]),
                || of_trees(&[root.join("data")], &boundaries),
            )
        },
        || {
            rayon::join(
                || {
                    of_trees(
                        &[
                            root.join("templates"),
                            root.join("themes").join(&config.theme),
                            root.join("i18n"),
                        ],
                        &[],
                    )
                },
                || of_trees(&[root.join("static")], &[]),
            )
        },
    );
    Inputs {
        base,
        config: of_trees(&[], &[root.join("lumbung.toml")]),
        content,
        data,
        theme,
        statics,
    }
}

/// The fingerprint of an output folder: every file's path, size and modification time.
pub(crate) fn outputs(out: &Path) -> String {
    fingerprint(walk(out, out))
}

/// The fingerprint of an output folder from the stamps of its files ([`stamp_line`]), gathered
/// in any order: they are sorted first, so a build can stamp each file as it writes it
/// (`output::Staging`) rather than walk the output at the end.
pub(crate) fn fingerprint(mut stamps: Vec<Vec<u8>>) -> String {
    use rayon::slice::ParallelSliceMut;
    stamps.par_sort_unstable();
    let mut h = Sha256::new();
    for s in &stamps {
        h.update(s);
    }
    hex(&h.finalize())
}

/// The stamp of every entry under `dir` but its folders: its path relative to `root`, size
/// and modification time, a line each, in no particular order. Folders are read in parallel
/// (a desa portal has 92,000). The output holds no links of Lumbung's making, so none is
/// followed (a link put there counts as itself).
fn walk(root: &Path, dir: &Path) -> Vec<Vec<u8>> {
    use rayon::iter::Either;
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = match std::fs::read_dir(dir).and_then(|l| l.collect()) {
        Ok(entries) => entries,
        Err(e) => return vec![format!("?{}: {e}\n", dir.display()).into_bytes()],
    };
    entries
        .par_iter()
        .flat_map_iter(|e| {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                Either::Left(walk(root, &e.path()).into_iter())
            } else {
                Either::Right(std::iter::once(stamp_line(
                    root,
                    &e.path(),
                    e.metadata().ok(),
                )))
            }
        })
        .collect()
}

/// Adds every file under `dir` with `add` (sorted, links followed as the loaders follow them).
fn tree(h: &mut Sha256, root: &Path, dir: &Path, add: fn(&mut Sha256, &Path, &Path)) {
    for e in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
    {
        match e {
            Ok(e) if e.file_type().is_file() => add(h, root, e.path()),
            Ok(_) => {}
            // An unreadable entry: the fingerprint says so, and differs from a readable one.
            Err(e) => h.update(format!("?{e}\n").as_bytes()),
        }
    }
}

/// Adds one file's path (relative to `root`), size and modification time; a missing file adds
/// its path alone.
fn stamp(h: &mut Sha256, root: &Path, path: &Path) {
    h.update(stamp_line(root, path, std::fs::metadata(path).ok()));
}

/// The stamp of one file: its path relative to `root`, size and modification time from `meta`
/// (the path alone without it), a line ending in a newline.
pub(crate) fn stamp_line(root: &Path, path: &Path, meta: Option<std::fs::Metadata>) -> Vec<u8> {
    use std::fmt::Write as _;
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut line = rel.to_string_lossy().into_owned();
    if let Some(m) = meta {
        let modified = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let _ = write!(line, "\t{}\t{modified}", m.len());
    }
    line.push('\n');
    line.into_bytes()
}

/// Adds one file's path (relative to `root`) and the hash of its bytes; a missing or
/// unreadable file adds its path alone.
fn contents(h: &mut Sha256, root: &Path, path: &Path) {
    let rel = path.strip_prefix(root).unwrap_or(path);
    h.update(rel.to_string_lossy().as_bytes());
    if let Ok(bytes) = std::fs::read(path) {
        h.update(b"\t");
        h.update(Sha256::digest(&bytes));
    }
    h.update(b"\n");
}

/// `bytes` as lower-case hexadecimal (a million job keys a desa build: one string each, not
/// one per byte).
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_is_written_as_serde_json_writes_it() {
        // Pieces of job keys and link targets (more than one piece of each, a key and a
        // target that need escaping), the small parts around them: the same text as the whole
        // record through serde_json, which reads it back.
        let mut record = Record {
            inputs: "abc".into(),
            outputs: "tidak ditulis".into(),
            counts: Counts {
                pages: 1,
                regions: 2,
                indicators: 3,
                datasets: 4,
                charts: 5,
                files: 6,
            },
            warnings: vec![SavedDiagnostic::from(
                &Diagnostic::warning(Code::Internal, "data/a.csv", "\"kutip\" \\ baris\nbaru")
                    .hint("saran"),
            )],
            jobs: (0..10_000)
                .map(|i| {
                    (
                        format!("k{i:05}\"é"),
                        vec![format!("wilayah/{i}/index.html")],
                    )
                })
                .collect(),
            link_targets: Some((0..9_000).map(|i| format!("a/{i}#x\\y")).collect()),
            translations: Vec::new(),
        };
        record.jobs.insert("kosong".into(), Vec::new());
        let whole = serde_json::to_string(&record).unwrap();
        assert_eq!(text(&record).unwrap().concat(), whole.as_bytes());
        let dir = tempfile::tempdir().unwrap();
        let out = Path::new("/situs/public");
        save(dir.path(), out, "sidik", text(&record));
        let back = load(dir.path(), out).unwrap();
        assert_eq!((back.outputs.as_str(), back.jobs.len()), ("sidik", 10_001));
        assert_eq!(back.link_targets, record.link_targets);
        record.link_targets = None;
        record.jobs.clear();
        assert_eq!(
            text(&record).unwrap().concat(),
            serde_json::to_string(&record).unwrap().as_bytes()
        );
    }

    #[test]
    fn hex_is_two_lower_case_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff, 0x5c]), "000fa0ff5c");
        assert_eq!(hex(&[]), "");
    }

    /// Stamps gathered in any order give the fingerprint a walk of the whole folder gives;
    /// one missing, or a file changed afterwards, gives another.
    #[test]
    fn stamps_in_any_order_fingerprint_the_whole_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let write = |rel: &str, text: &str| {
            let p = out.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        let files = [
            ("index.html", "beranda"),
            ("wilayah/36-banten/index.html", "banten"),
            ("wilayah/36-banten/data.csv", "kode,p0\n36,6.2\n"),
            ("wilayah/36.04-kabupaten-serang/index.html", "serang"),
            ("wilayah-a.txt", "a"),
        ];
        for (rel, text) in files {
            write(rel, text);
        }
        let mut each: Vec<Vec<u8>> = files
            .iter()
            .rev()
            .map(|(rel, _)| {
                let path = out.join(rel);
                stamp_line(out, &path, std::fs::symlink_metadata(&path).ok())
            })
            .collect();
        let whole = outputs(out);
        assert_eq!(fingerprint(each.clone()), whole);
        assert_eq!(
            walk(out, out).len(),
            5,
            "one stamp per file, none per folder"
        );
        assert_ne!(fingerprint(each[1..].to_vec()), whole);
        write("wilayah/36-banten/data.csv", "kode,p0\n36,6.25\n");
        assert_ne!(outputs(out), whole);
        each.push(Vec::new());
        assert_ne!(fingerprint(each), outputs(out));
    }
}
