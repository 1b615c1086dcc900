//! The link check: every internal link and `#anchor` in the rendered HTML must point at a file or an id that exists.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

// Paths and anchors hashed by FxHash: half a million of them per desa build, hashed several
// times each (SipHash was a fiftieth of the build).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::io;
use std::path::Path;

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic, Location};

/// One `href`/`src` found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The attribute value with character references decoded.
    pub url: String,
    /// Byte offset of the value in the page.
    pub offset: usize,
}

/// What the scanner keeps of one HTML page.
#[derive(Debug, Default, Clone)]
pub struct Scanned {
    /// Every `href`, `xlink:href`, `src`, `poster` and `srcset` URL, in page order.
    pub links: Vec<Link>,
    /// Every `id`, and `name` of `<a>` elements (old-style anchors).
    pub ids: HashSet<String>,
}

/// A page and the line and column of a link in it.
type Place<'a> = (&'a str, usize, usize);

/// Checks the links of a rendered site given as (output-relative path, bytes).
///
/// `base_url` (e.g. `https://data.contoh.or.id/`) makes absolute links to the site itself
/// internal too. Returns one error per broken link target, naming the first page that has it.
pub fn check(files: &[(String, Vec<u8>)], base_url: Option<&str>) -> Vec<Diagnostic> {
    check_with_origins(files, base_url, &[])
}

/// A link written by a setting rather than a page (a `[[menu]]` URL in `lumbung.toml`): the
/// URL as written and a diagnostic placed at the setting (file, position, excerpt), whose
/// message and hint the check fills in.
pub type Origin = (String, Diagnostic);

/// [`check`], with broken links that come from a setting reported once at the setting
/// (`origins`: the URL as written, the file and position that set it) instead of at the
/// first page that shows it.
pub fn check_with_origins(
    files: &[(String, Vec<u8>)],
    base_url: Option<&str>,
    origins: &[Origin],
) -> Vec<Diagnostic> {
    let paths: HashSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    let pages = scan_pages(files);
    let ids: HashMap<&str, &HashSet<String>> = pages.iter().map(|(p, _, s)| (*p, &s.ids)).collect();
    let (examined, _) = examine(&pages, &paths, &ids, base_url);
    broken_links(&examined, origins)
}

/// Where a page's text is, for the line and column of a broken link in it.
#[derive(Clone, Copy)]
enum Text<'a> {
    /// In memory.
    Here(&'a str),
    /// Already written, under this folder.
    In(&'a Path),
}

impl Text<'_> {
    fn line_col(&self, page: &str, offset: usize) -> (usize, usize) {
        match self {
            Text::Here(s) => line_col(s, offset),
            Text::In(dir) => {
                std::fs::read_to_string(dir.join(page)).map_or((1, 1), |s| line_col(&s, offset))
            }
        }
    }
}

/// A page for the check: its path, where its text is, what the scanner kept of it.
type Page<'a> = (&'a str, Text<'a>, Cow<'a, Scanned>);

/// The pages among `files`, scanned (in parallel).
fn scan_pages(files: &[(String, Vec<u8>)]) -> Vec<Page<'_>> {
    files
        .par_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .filter_map(|(p, b)| std::str::from_utf8(b).ok().map(|s| (p.as_str(), s)))
        .map(|(p, s)| (p, Text::Here(s), Cow::Owned(scan(s))))
        .collect()
}

/// Pages scanned as they were rendered and already written under `dir`.
fn scanned_pages<'a>(scanned: &'a [(String, Scanned)], dir: Option<&'a Path>) -> Vec<Page<'a>> {
    scanned
        .iter()
        .map(|(p, s)| {
            let text = dir.map_or(Text::Here(""), Text::In);
            (p.as_str(), text, Cow::Borrowed(s))
        })
        .collect()
}

/// What one pass over a page's links found: its broken links (the problem as the error says
/// it, the link as written, its offset).
struct Examined<'a> {
    page: &'a str,
    text: Text<'a>,
    broken: Vec<(String, &'a str, usize)>,
}

/// The pages' broken links, and every target they link to inside the site (`path` and, with
/// an anchor, `path#id`).
type Found<'a> = (Vec<Examined<'a>>, HashSet<String>);

/// Resolves every link of `pages` once, the pages in parallel: a news portal has a million
/// links (menus, tags, neighbours), each both checked and recorded as a target. Each thread
/// gathers targets into one set, so a target many pages share is held once per thread, and
/// remembers what each root-relative link (`/wilayah/`, the same from every page) came to:
/// the menu and footer links of a desa portal's 91,600 pages are resolved once per thread.
fn examine<'a>(
    pages: &'a [Page<'a>],
    paths: &HashSet<&str>,
    ids: &HashMap<&str, &HashSet<String>>,
    base_url: Option<&str>,
) -> Found<'a> {
    /// A thread's pages so far: broken links, targets, and each root-relative link's problem
    /// (`None`: fine), its targets already in the set.
    type Fold<'a> = (
        Vec<Examined<'a>>,
        HashSet<String>,
        HashMap<&'a str, Option<String>>,
    );
    pages
        .par_iter()
        .fold(
            || (Vec::new(), HashSet::default(), HashMap::default()),
            |(mut examined, mut targets, mut seen): Fold<'a>, (page, text, scanned)| {
                let mut broken = Vec::new();
                for link in &scanned.links {
                    let url = link.url.trim();
                    let same_everywhere = url.starts_with('/') && !url.starts_with("//");
                    if same_everywhere && let Some(problem) = seen.get(url) {
                        if let Some(why) = problem {
                            broken.push((why.clone(), link.url.as_str(), link.offset));
                        }
                        continue;
                    }
                    let problem = match resolve(page, &link.url, base_url, paths) {
                        Resolved::External => None,
                        Resolved::Broken(why) => Some(why),
                        Resolved::Target { path, fragment } => {
                            let mut problem = None;
                            if !fragment.is_empty() {
                                if ids
                                    .get(path.as_str())
                                    .is_some_and(|set| !set.contains(&fragment))
                                {
                                    problem = Some(format!("#{path}"));
                                }
                                targets.insert(format!("{path}#{fragment}"));
                            }
                            targets.insert(path);
                            problem
                        }
                    };
                    if let Some(why) = &problem {
                        broken.push((why.clone(), link.url.as_str(), link.offset));
                    }
                    if same_everywhere {
                        seen.insert(url, problem);
                    }
                }
                if !broken.is_empty() {
                    examined.push(Examined {
                        page,
                        text: *text,
                        broken,
                    });
                }
                (examined, targets, seen)
            },
        )
        .map(|(examined, targets, _)| (examined, targets))
        .reduce(
            || (Vec::new(), HashSet::default()),
            |(mut a, ta), (b, tb)| {
                a.extend(b);
                let (mut big, small) = if ta.len() >= tb.len() {
                    (ta, tb)
                } else {
                    (tb, ta)
                };
                big.extend(small);
                (a, big)
            },
        )
}

/// `targets` in order, sorted on every thread (a desa portal links to 757,000).
fn sorted(targets: HashSet<String>) -> BTreeSet<String> {
    let mut targets: Vec<String> = targets.into_iter().collect();
    targets.par_sort_unstable();
    targets.into_iter().collect()
}

/// The link check of a build that kept some files of the last output without rendering them
/// (their pages passed the last build's check and are byte for byte the same).
pub(crate) struct Kept<'a> {
    /// The kept files.
    pub files: &'a [String],
    /// The output folder: the kept files, and the last build's version of the others.
    pub out: &'a Path,
    /// Every target (`path`, `path#id`) the last output's pages linked to, or more.
    pub targets: &'a BTreeSet<String>,
}

/// Checks the links of a build (`files` in memory, the pages among them; `staged`: the paths of
/// the files already written, with `scanned` the pages among them as the scanner kept them,
/// their text under `staging`): of every page, or, when files were kept, of the rendered
/// pages alone as long as no file a page linked to is gone and no anchor one linked to was
/// lost (else of every page, the kept ones read back from the output). Returns the errors and
/// the targets the output's pages link to (all of them after a full check; after a partial
/// one, the last build's with the new pages' added).
pub(crate) fn check_build(
    files: &[(String, Vec<u8>)],
    staged: &[String],
    scanned: &[(String, Scanned)],
    staging: Option<&Path>,
    kept: Option<Kept<'_>>,
    base_url: Option<&str>,
    origins: &[Origin],
) -> (Vec<Diagnostic>, BTreeSet<String>) {
    let full = |extra: Vec<(String, Vec<u8>)>| {
        let mut paths: HashSet<&str> = files
            .iter()
            .chain(&extra)
            .map(|(p, _)| p.as_str())
            .collect();
        paths.extend(staged.iter().map(String::as_str));
        let mut pages = scan_pages(files);
        pages.extend(scanned_pages(scanned, staging));
        pages.extend(scan_pages(&extra));
        let ids: HashMap<&str, &HashSet<String>> =
            pages.iter().map(|(p, _, s)| (*p, &s.ids)).collect();
        let (examined, targets) = examine(&pages, &paths, &ids, base_url);
        (broken_links(&examined, origins), sorted(targets))
    };
    let Some(kept) = kept.filter(|k| !k.files.is_empty()) else {
        return full(Vec::new());
    };
    let read_back = |p: &String| {
        let bytes = if p.ends_with(".html") {
            std::fs::read(kept.out.join(p)).unwrap_or_default()
        } else {
            Vec::new()
        };
        (p.clone(), bytes)
    };
    let mut paths: HashSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    paths.extend(staged.iter().map(String::as_str));
    paths.extend(kept.files.iter().map(String::as_str));
    // A file of the last output that is gone, and that some page linked to: check everything.
    let gone = walkdir::WalkDir::new(kept.out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .any(|e| {
            let rel = e.path().strip_prefix(kept.out).unwrap_or(e.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            !paths.contains(rel.as_str()) && kept.targets.contains(&rel)
        });
    let mut pages = scan_pages(files);
    pages.extend(scanned_pages(scanned, staging));
    // An anchor some page linked to, gone from its page: check everything.
    let lost = pages.iter().any(|(page, _, scanned)| {
        let prefix = format!("{page}#");
        kept.targets
            .range(prefix.clone()..)
            .take_while(|t| t.starts_with(&prefix))
            .any(|t| !scanned.ids.contains(&t[prefix.len()..]))
    });
    if gone || lost {
        return full(kept.files.par_iter().map(read_back).collect());
    }
    // The rendered pages' links: to anchors of kept pages too, read back for their ids.
    let kept_set: HashSet<&str> = kept.files.iter().map(String::as_str).collect();
    let mut wanted: BTreeSet<String> = BTreeSet::new();
    for (page, _, scanned) in &pages {
        for link in &scanned.links {
            if let Resolved::Target { path, fragment } = resolve(page, &link.url, base_url, &paths)
                && !fragment.is_empty()
                && kept_set.contains(path.as_str())
                && path.ends_with(".html")
            {
                wanted.insert(path);
            }
        }
    }
    let wanted: Vec<String> = wanted.into_iter().collect();
    let targets_read: Vec<(String, Vec<u8>)> = wanted.par_iter().map(read_back).collect();
    let target_pages = scan_pages(&targets_read);
    let mut ids: HashMap<&str, &HashSet<String>> =
        pages.iter().map(|(p, _, s)| (*p, &s.ids)).collect();
    ids.extend(target_pages.iter().map(|(p, _, s)| (*p, &s.ids)));
    let (examined, found) = examine(&pages, &paths, &ids, base_url);
    let mut targets = kept.targets.clone();
    targets.extend(found);
    (broken_links(&examined, origins), targets)
}

/// The errors for the broken links the examined pages have, one per problem and link.
fn broken_links(examined: &[Examined<'_>], origins: &[Origin]) -> Vec<Diagnostic> {
    // (problem, link as written) → pages where it occurs, with the first position.
    let mut broken: BTreeMap<(String, String), Vec<Place<'_>>> = BTreeMap::new();
    for e in examined {
        let mut seen = BTreeSet::new();
        for (problem, url, offset) in &e.broken {
            if !seen.insert((problem, url)) {
                continue;
            }
            let (line, col) = e.text.line_col(e.page, *offset);
            broken
                .entry((problem.clone(), url.to_string()))
                .or_default()
                .push((e.page, line, col));
        }
    }
    let mut out: Vec<Diagnostic> = broken
        .into_iter()
        .map(|((problem, url), mut at)| {
            at.sort();
            let (page, line, col) = at[0];
            let also = match at.len() {
                1 => String::new(),
                n => format!(" (juga di {} halaman lain)", n - 1),
            };
            let (code, message, hint) = if let Some(target) = problem.strip_prefix('#') {
                (
                    Code::BrokenAnchor,
                    format!("jangkar rusak: tautan \"{url}\" menuju {target}, tetapi halaman itu tidak punya id=\"{}\"{also}", fragment_of(&url)),
                    "perbaiki bagian #… tautan di sumber halaman ini atau beri judul/elemen tujuan id yang sama",
                )
            } else {
                (
                    Code::BrokenLink,
                    format!("tautan rusak: \"{url}\" tidak menuju berkas mana pun di situs ({problem}){also}"),
                    "periksa ejaan tautan di sumber halaman ini; halaman tujuan mungkin sudah diganti nama atau dihapus",
                )
            };
            if let Some((_, placed)) = origins.iter().find(|(u, _)| *u == url) {
                let mut d = placed.clone();
                d.code = code;
                d.message = format!(
                    "tautan rusak: \"{url}\" dari pengaturan ini tidak menuju berkas mana pun di situs ({problem}); tautan ini tampil di {} halaman, misalnya {page}",
                    at.len()
                );
                d.hint = Some("perbaiki alamat ini; alamat di situs ditulis seperti /berita/ dan harus menuju halaman yang ada".into());
                return d;
            }
            let mut d = Diagnostic::error(code, page, message).hint(hint);
            d.location = Location::Text { line, col };
            d
        })
        .collect();
    out.sort_by(|a, b| (&a.file, &a.location).cmp(&(&b.file, &b.location)));
    out
}

/// Checks the links of a site already written to `dir`.
pub fn check_dir(dir: &Path, base_url: Option<&str>) -> io::Result<Vec<Diagnostic>> {
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(dir).into_iter() {
        let e = e.map_err(io::Error::other)?;
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(dir)
            .unwrap_or(e.path())
            .to_string_lossy()
            .replace('\\', "/");
        // Only pages are read; other files just need to exist.
        let bytes = if rel.ends_with(".html") {
            std::fs::read(e.path())?
        } else {
            Vec::new()
        };
        files.push((rel, bytes));
    }
    let mut out = check(&files, base_url);
    for d in &mut out {
        d.file = dir.join(&d.file);
    }
    Ok(out)
}

/// Where a link leads.
enum Resolved {
    /// Outside the site (another host, `mailto:`, …): not ours to check.
    External,
    /// Nowhere: the problem, as the error says it.
    Broken(String),
    /// A file of the site (output path) and the anchor, empty when none (`#top` counts as none).
    Target { path: String, fragment: String },
}

/// Where `url` on `page` leads, given the site's files.
fn resolve(page: &str, url: &str, base_url: Option<&str>, paths: &HashSet<&str>) -> Resolved {
    let url = url.trim();
    let base_path = base_url.map_or("", crate::config::base_path_of);
    let url = match base_url.map(|b| b.trim_end_matches('/')) {
        Some(b) if !b.is_empty() && url.starts_with(b) => {
            let rest = &url[b.len()..];
            if rest.is_empty() {
                "/"
            } else if rest.starts_with(['/', '?', '#']) {
                rest
            } else {
                return Resolved::External;
            }
        }
        // A site served under a path (`/portal`): its own links start with that path; any other
        // root-absolute link leaves the site.
        _ if !base_path.is_empty() && url.starts_with('/') && !url.starts_with("//") => {
            match url.strip_prefix(base_path) {
                Some("") => "/",
                Some(rest) if rest.starts_with(['/', '?', '#']) => rest,
                _ => return Resolved::Broken(format!("di luar {base_path}/, jalur situs ini")),
            }
        }
        _ => url,
    };
    if url.is_empty() || url.starts_with("//") || has_scheme(url) {
        return Resolved::External;
    }
    let (rest, fragment) = match url.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (url, None),
    };
    let path = rest.split('?').next().unwrap_or("");
    let target = if path.is_empty() {
        page.to_string()
    } else {
        let joined = if let Some(abs) = path.strip_prefix('/') {
            abs.to_string()
        } else {
            match page.rfind('/') {
                Some(i) => format!("{}/{path}", &page[..i]),
                None => path.to_string(),
            }
        };
        // Most links are plain (no escapes, no `.` segments, no doubled slashes): taken as
        // they are, without decoding and splitting them (a desa portal checks 2 million).
        let plain = !joined.contains('%')
            && !joined.contains("//")
            && !joined.split('/').any(|seg| seg == "." || seg == "..")
            && !joined.starts_with('/');
        let norm = if plain {
            joined
        } else {
            match normalise(&crate::serve::percent_decode(&joined)) {
                Some(norm) => norm,
                None => return Resolved::Broken("keluar dari akar situs".into()),
            }
        };
        let dir_index = if norm.is_empty() {
            "index.html".to_string()
        } else {
            format!("{}/index.html", norm.trim_end_matches('/'))
        };
        if !norm.ends_with('/') && !norm.is_empty() && paths.contains(norm.as_str()) {
            norm
        } else if paths.contains(dir_index.as_str()) {
            dir_index
        } else if norm.ends_with('/') || norm.is_empty() {
            return Resolved::Broken(format!("{dir_index} tidak ada"));
        } else {
            return Resolved::Broken(format!("{norm} tidak ada"));
        }
    };
    let fragment = match fragment {
        Some(f) if f.contains('%') => crate::serve::percent_decode(f),
        Some(f) => f.to_string(),
        None => String::new(),
    };
    let fragment = if fragment.eq_ignore_ascii_case("top") {
        String::new()
    } else {
        fragment
    };
    Resolved::Target {
        path: target,
        fragment,
    }
}

fn fragment_of(url: &str) -> String {
    crate::serve::percent_decode(url.split_once('#').map(|(_, f)| f).unwrap_or(""))
}

/// `http:`, `mailto:`, `tel:`, `data:`… (a scheme is letters, digits, `+-.` before the first `:`).
fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) if i > 0 => {
            let s = &url[..i];
            s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !s.contains('/')
        }
        _ => false,
    }
}

/// Resolves `.` and `..`; keeps a trailing `/`; `None` when the path climbs above the root.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut s = parts.join("/");
    if !s.is_empty() && (path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..")) {
        s.push('/');
    }
    Some(s)
}

fn line_col(s: &str, offset: usize) -> (usize, usize) {
    let before = &s.as_bytes()[..offset.min(s.len())];
    let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, col)
}

/// Scans an HTML page for link attributes and ids.
///
/// A small tokenizer, enough for generated HTML: comments, doctype, raw-text elements
/// (`script`, `style`, `textarea`, `title`), quoted and unquoted attribute values and
/// character references are handled; the tree is not built. Only the values it keeps are
/// copied (a page's inline maps hold megabytes of path data).
pub fn scan(html: &str) -> Scanned {
    let b = html.as_bytes();
    let mut out = Scanned::default();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[i.min(b.len())..]).map(|p| p + i) {
        i = lt + 1;
        if b[i..].starts_with(b"!--") {
            i = find(b, i + 3, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        if i < b.len() && matches!(b[i], b'!' | b'?' | b'/') {
            i = find(b, i, b">").map_or(b.len(), |e| e + 1);
            continue;
        }
        let name_start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b':' | b'-')) {
            i += 1;
        }
        if i == name_start || !b[name_start].is_ascii_alphabetic() {
            continue;
        }
        let tag = &html[name_start..i];
        // Attributes.
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let an = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>') {
                if b[i] == b'/' && i + 1 < b.len() && b[i + 1] == b'>' {
                    break;
                }
                i += 1;
            }
            let attr = &html[an..i];
            let mut j = i;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= b.len() || b[j] != b'=' {
                continue; // attribute without value
            }
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let (vs, ve, next) = match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = memchr::memchr(q, &b[j + 1..]).map_or(b.len(), |e| j + 1 + e);
                    (j + 1, end, (end + 1).min(b.len()))
                }
                _ => {
                    let mut e = j;
                    while e < b.len() && !b[e].is_ascii_whitespace() && b[e] != b'>' {
                        e += 1;
                    }
                    (j, e, e)
                }
            };
            i = next;
            let is = |name: &str| attr.eq_ignore_ascii_case(name);
            if is("id") || (is("name") && tag.eq_ignore_ascii_case("a")) {
                out.ids.insert(decode_refs(&html[vs..ve]));
            } else if is("href") || is("xlink:href") || is("src") || is("poster") {
                out.links.push(Link {
                    url: decode_refs(&html[vs..ve]),
                    offset: vs,
                });
            } else if is("srcset") {
                for cand in decode_refs(&html[vs..ve]).split(',') {
                    if let Some(u) = cand.split_whitespace().next() {
                        out.links.push(Link {
                            url: u.to_string(),
                            offset: vs,
                        });
                    }
                }
            }
        }
        if ["script", "style", "textarea", "title"]
            .iter()
            .any(|raw| tag.eq_ignore_ascii_case(raw))
        {
            i = closing_tag(b, i.min(b.len()), tag.as_bytes()).unwrap_or(b.len());
        }
    }
    out
}

/// Where `</tag` (in any case) first starts in `b` from `from`: the end of a raw-text element.
fn closing_tag(b: &[u8], from: usize, tag: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(p) = memchr::memchr(b'<', &b[at..]).map(|p| p + at) {
        let rest = &b[p + 1..];
        if rest.first() == Some(&b'/')
            && rest.len() > tag.len()
            && rest[1..=tag.len()].eq_ignore_ascii_case(tag)
        {
            return Some(p);
        }
        at = p + 1;
    }
    None
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    memchr::memmem::find(&hay[from..], needle).map(|p| p + from)
}

/// Decodes the character references that occur in attribute values.
fn decode_refs(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&e| e <= 10).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let v = match num.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(v)
                }
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        pages
            .iter()
            .map(|(p, s)| (p.to_string(), s.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn scanner_finds_links_and_ids() {
        let s = scan(
            r##"<!doctype html><!-- <a href="/komentar/"> --><a class=x href='/a/?q=1&amp;b=2#top' id="satu">A</a>
<script>var s = "<a href='/script/'>";</script><img src=/gambar.png alt=""><a name=lama></a>
<svg><a xlink:href="#dua"/><g id=dua></g></svg><p ID="Tiga">"##,
        );
        let urls: Vec<&str> = s.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["/a/?q=1&b=2#top", "/gambar.png", "#dua"]);
        for id in ["satu", "lama", "dua", "Tiga"] {
            assert!(s.ids.contains(id), "{id}");
        }
    }

    #[test]
    fn good_links_pass() {
        let files = site(&[
            (
                "index.html",
                r##"<a href="/berita/">b</a> <a href="berita/a/#isi">a</a> <a href="/style.css">c</a>
                <a href="https://contoh.org/x/">ext</a> <a href="mailto:a@b.id">m</a> <a href="tel:+62">t</a>
                <a href="#">top</a> <a href="/berita">no slash</a> <a href="https://situs.id/berita/a/">self</a>"##,
            ),
            (
                "berita/index.html",
                r#"<a href="../">home</a> <a href="a/">a</a>"#,
            ),
            (
                "berita/a/index.html",
                r#"<main id="isi"></main><a href="../../index.html">home</a>"#,
            ),
            ("style.css", ""),
        ]);
        let d = check(&files, Some("https://situs.id/"));
        assert!(d.is_empty(), "{d:#?}");
    }

    #[test]
    fn broken_paths_and_anchors_are_reported_with_page_and_link() {
        let files = site(&[
            (
                "index.html",
                "<p>\n<a href=\"/berita/tidak-ada/\">x</a> <a href=\"#tidak-ada\">y</a> <a href=\"/berita/a/#hilang\">z</a>",
            ),
            (
                "berita/a/index.html",
                r#"<a href="/berita/tidak-ada/">x</a> <img src="../../foto.jpg" alt=""> <a href="https://situs.id/tiada/">s</a>"#,
            ),
        ]);
        let d = check(&files, Some("https://situs.id"));
        let msgs: Vec<String> = d
            .iter()
            .map(|d| format!("{} {}", d.position(), d.message))
            .collect();
        assert_eq!(d.len(), 5, "{msgs:#?}");
        let all = msgs.join("\n");
        assert!(
            all.contains("berita/a/index.html:1:10 tautan rusak: \"/berita/tidak-ada/\""),
            "{all}"
        );
        assert!(all.contains("(juga di 1 halaman lain)"), "{all}");
        assert!(
            all.contains("jangkar rusak: tautan \"#tidak-ada\" menuju index.html"),
            "{all}"
        );
        assert!(all.contains("\"/berita/a/#hilang\" menuju berita/a/index.html, tetapi halaman itu tidak punya id=\"hilang\""), "{all}");
        assert!(all.contains("\"../../foto.jpg\""), "{all}");
        assert!(all.contains("\"https://situs.id/tiada/\""), "{all}");
        assert!(d.iter().all(|d| d.hint.is_some() && d.is_error()));
    }

    #[test]
    fn a_broken_link_many_pages_share_is_reported_for_each_of_them() {
        // Root-relative links are resolved once per thread: every page still gets its error.
        let texts: Vec<(String, String)> = (0..300)
            .map(|i| {
                (
                    format!("desa/{i}/index.html"),
                    format!(
                        r##"<a href="/ada/">ok</a><a href="/hilang/">x</a><a href="/ada/#tiada">y</a><a href="../{}/">z</a>"##,
                        i + 1
                    ),
                )
            })
            .collect();
        let mut pages: Vec<(&str, &str)> = texts
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        pages.push(("ada/index.html", r#"<p id="ada">"#));
        let d = check(&site(&pages), Some("https://situs.id/"));
        let all: String = d.iter().map(|d| format!("{}\n", d.message)).collect();
        assert_eq!(d.len(), 3, "{all}");
        assert!(
            all.contains("\"/hilang/\"") && all.contains("juga di 299 halaman lain"),
            "{all}"
        );
        assert!(all.contains("tidak punya id=\"tiada\""), "{all}");
        assert!(
            all.contains("\"../300/\""),
            "the one relative link that is broken: {all}"
        );
    }

    #[test]
    fn a_site_under_a_path_keeps_its_links_under_it() {
        let files = site(&[
            (
                "index.html",
                r#"<a href="/portal/data/">ok</a><a href="/data/">keluar</a><a href="https://x.id/portal/data/">abs</a><a href="data/">rel</a>"#,
            ),
            ("data/index.html", "<p>data</p>"),
        ]);
        let errors = check(&files, Some("https://x.id/portal/"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].message.contains("\"/data/\""),
            "{}",
            errors[0].message
        );
        assert!(
            errors[0].message.contains("di luar /portal/"),
            "{}",
            errors[0].message
        );
        assert!(
            check(&files, Some("https://x.id/"))
                .iter()
                .any(|e| e.message.contains("/portal/data/"))
        );
    }

    #[test]
    fn paths_are_normalised() {
        assert_eq!(normalise("a/./b/../c/").as_deref(), Some("a/c/"));
        assert_eq!(
            normalise("a/.."),
            Some("/".to_string())
                .filter(|_| false)
                .or(Some(String::new()))
        );
        assert_eq!(normalise("../x"), None);
        assert_eq!(crate::serve::percent_decode("36.73%20kota"), "36.73 kota");
        assert!(has_scheme("mailto:x@y.id") && has_scheme("https://x") && !has_scheme("/a:b"));
        assert_eq!(decode_refs("a&amp;b&#39;c&#x41;&zz;"), "a&b'cA&zz;");
    }
}
