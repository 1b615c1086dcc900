//! `lumbung serve`: previews the built output on localhost (static files, `index.html` for folders, the site's 404 page) and rebuilds when a source file changes.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// The content type for a file name.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Maps a request path to a file inside `root`, refusing anything that would leave it.
pub fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path);
    let rel = Path::new(decoded.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut p = root.join(rel);
    if p.is_dir() {
        p = p.join("index.html");
    }
    p.is_file().then_some(p)
}

/// Decodes `%xx` escapes of a URL path (invalid escapes stay as they are).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) =
                u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Serves `root` on `addr` from a background thread; returns once the address is bound.
pub fn start(root: &Path, addr: &str) -> Result<std::thread::JoinHandle<()>, String> {
    let server =
        tiny_http::Server::http(addr).map_err(|e| format!("tidak bisa membuka {addr}: {e}"))?;
    println!("Situs tersaji di http://{addr}/ (Ctrl+C untuk berhenti)");
    let root = root.to_path_buf();
    Ok(std::thread::spawn(move || {
        for req in server.incoming_requests() {
            // Resolved per request: a rebuild swaps the output folder in under the same path.
            let (status, path) = match resolve(&root, req.url()) {
                Some(p) => (200, p),
                None => (404, root.join("404.html")),
            };
            let body = std::fs::read(&path).unwrap_or_else(|_| b"404".to_vec());
            let header = tiny_http::Header::from_bytes("Content-Type", content_type(&path))
                .expect("static header is valid");
            let resp = tiny_http::Response::from_data(body)
                .with_status_code(status)
                .with_header(header);
            let _ = req.respond(resp);
        }
    }))
}

/// The folders and files of a site whose changes trigger a rebuild.
pub const WATCHED: [&str; 6] = [
    "content",
    "data",
    "templates",
    "static",
    "themes",
    "lumbung.toml",
];

/// True when a change to `path` should rebuild the site: a source under one of [`WATCHED`],
/// not inside the output, and not hidden (editors' swap files, the `.public.baru` staging folder)
/// or an editor's backup.
pub fn is_source_change(path: &Path, site: &Path, output: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(site) else {
        return false;
    };
    if path.starts_with(output) {
        return false;
    }
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    if !parts.next().is_some_and(|first| WATCHED.contains(&&*first)) {
        return false;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    !(rel
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp"))
}

/// Watches the site's sources and calls `rebuild` after each burst of changes (quiet for
/// `settle`), naming a changed file. Runs until the watcher fails.
pub fn watch(
    site: &Path,
    output: &Path,
    settle: Duration,
    mut rebuild: impl FnMut(),
) -> Result<(), String> {
    use notify::Watcher;
    let site = std::path::absolute(site).map_err(|e| e.to_string())?;
    let output = std::path::absolute(output).map_err(|e| e.to_string())?;
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res
            && !matches!(ev.kind, notify::EventKind::Access(_))
        {
            for p in ev.paths {
                let _ = tx.send(p);
            }
        }
    })
    .map_err(|e| format!("tidak bisa memantau berkas: {e}"))?;
    for w in WATCHED {
        let p = site.join(w);
        if p.exists() {
            watcher
                .watch(&p, notify::RecursiveMode::Recursive)
                .map_err(|e| format!("tidak bisa memantau {}: {e}", p.display()))?;
        }
    }
    println!("Memantau perubahan di {} …", WATCHED.join(", "));
    loop {
        let first = rx.recv().map_err(|e| e.to_string())?;
        let mut changed = is_source_change(&first, &site, &output).then_some(first);
        // Wait until the editor has finished writing (several events per save).
        while let Ok(p) = rx.recv_timeout(settle) {
            if changed.is_none() && is_source_change(&p, &site, &output) {
                changed = Some(p);
            }
        }
        if let Some(p) = changed {
            println!(
                "\nBerubah: {}; membangun ulang …",
                p.strip_prefix(&site).unwrap_or(&p).display()
            );
            rebuild();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_stays_inside_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("wilayah/36.73-kota-serang")).unwrap();
        std::fs::write(dir.path().join("wilayah/36.73-kota-serang/index.html"), "x").unwrap();
        assert!(resolve(dir.path(), "/wilayah/36.73-kota-serang/").is_some());
        assert!(resolve(dir.path(), "/wilayah/36.73-kota-serang/?a=1").is_some());
        assert!(resolve(dir.path(), "/../etc/passwd").is_none());
        assert!(resolve(dir.path(), "/%2e%2e/etc/passwd").is_none());
        assert_eq!(content_type(Path::new("a.svg")), "image/svg+xml");
    }

    #[test]
    fn only_source_changes_rebuild() {
        let site = Path::new("/situs");
        let out = Path::new("/situs/public");
        let yes = |p: &str| is_source_change(Path::new(p), site, out);
        assert!(yes("/situs/content/berita/a.md"));
        assert!(yes("/situs/data/pkh/pkh.csv"));
        assert!(yes("/situs/lumbung.toml"));
        assert!(yes("/situs/templates/region.html"));
        // The output, its staging folder, other folders and editor files do not.
        assert!(!yes("/situs/public/index.html"));
        assert!(!yes("/situs/.public.tmp-1/index.html"));
        assert!(!yes("/situs/target/x"));
        assert!(!yes("/situs/content/berita/.a.md.swp"));
        assert!(!yes("/situs/content/berita/a.md~"));
        assert!(!yes("/situs/content/.public.baru/index.html"));
        let inside =
            |p: &str| is_source_change(Path::new(p), site, Path::new("/situs/content/keluar"));
        assert!(!inside("/situs/content/keluar/index.html"));
        assert!(inside("/situs/content/berita/a.md"));
        assert!(!yes("/lain/content/a.md"));
    }
}
