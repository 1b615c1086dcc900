//! `lumbung serve`: previews the built output on localhost (static files, `index.html` for folders, the site's 404 page) and rebuilds when a source file changes.

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use crate::live::Preview;

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
        "ics" => "text/calendar; charset=utf-8",
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

/// How long a connection's lane waits for its next request before its thread ends.
const LANE_IDLE: std::time::Duration = std::time::Duration::from_secs(10);

/// Serves `root` on `addr` from background threads; returns once the address is bound, so a
/// port already in use is reported before any build. Binding beyond loopback is announced.
pub fn start(root: &Path, addr: &str) -> Result<std::thread::JoinHandle<()>, String> {
    start_at(root, addr, "")
}

/// [`start`], serving the site under `mount` (`/portal`, from a `base_url` with a path) as its
/// host will: `/portal/…` are the site's files, `/` redirects to `/portal/`, anything else is 404.
pub fn start_at(
    root: &Path,
    addr: &str,
    mount: &str,
) -> Result<std::thread::JoinHandle<()>, String> {
    start_preview(root, addr, mount, None)
}

/// [`start_at`] for `lumbung serve`: with `preview`, every HTML page served gets the live-reload
/// script ([`crate::live`]) and `mount` + [`crate::live::STATUS_PATH`] answers the preview's state.
/// The files on disk are never changed.
pub fn start_preview(
    root: &Path,
    addr: &str,
    mount: &str,
    preview: Option<Arc<Preview>>,
) -> Result<std::thread::JoinHandle<()>, String> {
    let listener =
        std::net::TcpListener::bind(addr).map_err(|e| format!("tidak bisa membuka {addr}: {e}"))?;
    // Accepted connections inherit TCP_NODELAY (Linux): a kept-alive request is not held back
    // by Nagle's algorithm waiting for the previous response's acknowledgement.
    #[cfg(target_os = "linux")]
    let _ = rustix::net::sockopt::set_tcp_nodelay(&listener, true);
    let server = std::sync::Arc::new(
        tiny_http::Server::from_listener(listener, None)
            .map_err(|e| format!("tidak bisa membuka {addr}: {e}"))?,
    );
    if !is_loopback(addr) {
        eprintln!(
            "peringatan: {addr} bukan alamat lokal; pratinjau ini dapat dibuka dari komputer lain di jaringan. Pakai --addr 127.0.0.1:8000 bila tidak dimaksudkan."
        );
    }
    println!("Situs tersaji di http://{addr}{mount}/ (Ctrl+C untuk berhenti)");
    let root = root.to_path_buf();
    let mount = mount.trim_end_matches('/').to_string();
    let site = Served {
        root,
        mount,
        preview,
    };
    Ok(std::thread::spawn(move || dispatch(&server, &site)))
}

/// What one server serves: the output folder, under which path, and the preview's state.
#[derive(Clone)]
struct Served {
    root: PathBuf,
    mount: String,
    preview: Option<Arc<Preview>>,
}

/// Hands each request to its connection's lane: one thread per open connection answers that
/// connection's requests in order. tiny_http answers the requests of one connection in
/// order, so a client that pipelines requests and never reads blocks its own lane only;
/// with shared workers it would hold every worker, and so the server.
fn dispatch(server: &tiny_http::Server, site: &Served) {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, mpsc};
    type Lanes =
        Arc<Mutex<HashMap<Option<std::net::SocketAddr>, mpsc::Sender<tiny_http::Request>>>>;
    let lanes: Lanes = Arc::default();
    while let Ok(req) = server.recv() {
        let key = req.remote_addr().copied();
        let mut map = lanes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let req = match map.get(&key) {
            Some(lane) => match lane.send(req) {
                Ok(()) => continue,
                Err(mpsc::SendError(req)) => req,
            },
            None => req,
        };
        let (tx, rx) = mpsc::channel::<tiny_http::Request>();
        let _ = tx.send(req);
        map.insert(key, tx);
        drop(map);
        let (lanes, site) = (lanes.clone(), site.clone());
        std::thread::spawn(move || {
            loop {
                match rx.recv_timeout(LANE_IDLE) {
                    Ok(req) => answer(&site, req),
                    Err(_) => {
                        // Leave under the lock; a request that arrived meanwhile is answered.
                        let mut map = lanes
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        map.remove(&key);
                        drop(map);
                        while let Ok(req) = rx.try_recv() {
                            answer(&site, req);
                        }
                        return;
                    }
                }
            }
        });
    }
}

/// Whether an address only listens on this computer.
fn is_loopback(addr: &str) -> bool {
    let host = addr.rsplit_once(':').map_or(addr, |(h, _)| h);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Answers one request: GET and HEAD only; the file is read whole and sent with its length
/// in one write, so a kept-alive connection never waits on Nagle's algorithm.
fn answer(site: &Served, req: tiny_http::Request) {
    let (root, mount) = (site.root.as_path(), site.mount.as_str());
    let header =
        |k: &str, v: &str| tiny_http::Header::from_bytes(k, v).expect("static header is valid");
    if !matches!(
        req.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        let resp = tiny_http::Response::from_string("hanya GET dan HEAD")
            .with_status_code(405)
            .with_header(header("Allow", "GET, HEAD"));
        let _ = req.respond(resp);
        return;
    }
    if !mount.is_empty() && matches!(req.url(), "/" | "") {
        let resp = tiny_http::Response::from_string("")
            .with_status_code(302)
            .with_header(header("Location", &format!("{mount}/")));
        let _ = req.respond(resp);
        return;
    }
    let local = if mount.is_empty() {
        Some(req.url())
    } else {
        req.url()
            .strip_prefix(mount)
            .filter(|r| r.is_empty() || r.starts_with(['/', '?', '#']))
    };
    if let Some(p) = &site.preview
        && local.is_some_and(|u| u.split('?').next() == Some(crate::live::STATUS_PATH))
    {
        let resp = tiny_http::Response::from_string(p.status_json())
            .with_header(header("Content-Type", "application/json"))
            .with_header(header("Cache-Control", "no-store"));
        let _ = req.respond(resp);
        return;
    }
    // Resolved per request: a rebuild swaps the output folder in under the same path.
    let (status, path) = match local.and_then(|u| resolve(root, if u.is_empty() { "/" } else { u }))
    {
        Some(p) => (200, p),
        None => (404, root.join("404.html")),
    };
    let mut body = std::fs::read(&path).unwrap_or_else(|_| b"404".to_vec());
    if site.preview.is_some() && content_type(&path).starts_with("text/html") {
        body = crate::live::inject(&body, mount);
    }
    let resp = tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type(&path)))
        .with_header(header("Cache-Control", "no-store"));
    let _ = req.respond(resp);
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

/// A watch on the site's sources, started before the first build so that a save made while
/// it runs is not lost (it triggers a rebuild as soon as [`Watch::run`] begins).
pub struct Watch {
    watcher: notify::RecommendedWatcher,
    rx: mpsc::Receiver<PathBuf>,
    site: PathBuf,
    output: PathBuf,
    watched: Vec<PathBuf>,
}

impl Watch {
    /// Starts watching `site` (its folder and every folder in [`WATCHED`] that exists).
    pub fn start(site: &Path, output: &Path) -> Result<Watch, String> {
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
        // The site folder itself, not recursively: an editor's atomic save replaces
        // lumbung.toml (a rename into the folder), and a templates/ folder may be created
        // after the start.
        watcher
            .watch(&site, notify::RecursiveMode::NonRecursive)
            .map_err(|e| format!("tidak bisa memantau {}: {e}", site.display()))?;
        let mut watch = Watch {
            watcher,
            rx,
            site,
            output,
            watched: Vec::new(),
        };
        watch.watch_new();
        Ok(watch)
    }

    /// Adds a recursive watch on each source folder made since the last call.
    fn watch_new(&mut self) {
        use notify::Watcher;
        for w in WATCHED.iter().filter(|w| !w.contains('.')) {
            let p = self.site.join(w);
            if p.is_dir()
                && !self.watched.contains(&p)
                && self
                    .watcher
                    .watch(&p, notify::RecursiveMode::Recursive)
                    .is_ok()
            {
                self.watched.push(p);
            }
        }
    }

    /// Calls `rebuild` after each burst of changes (quiet for `settle`), naming a changed
    /// file. Runs until the watcher fails.
    pub fn run(mut self, settle: Duration, mut rebuild: impl FnMut()) -> Result<(), String> {
        println!("Memantau perubahan di {} …", WATCHED.join(", "));
        loop {
            let first = self.rx.recv().map_err(|e| e.to_string())?;
            self.watch_new();
            let mut changed = is_source_change(&first, &self.site, &self.output).then_some(first);
            // Wait until the editor has finished writing (several events per save).
            while let Ok(p) = self.rx.recv_timeout(settle) {
                if changed.is_none() && is_source_change(&p, &self.site, &self.output) {
                    changed = Some(p);
                }
            }
            if let Some(p) = changed {
                println!(
                    "\nBerubah: {}; membangun ulang …",
                    p.strip_prefix(&self.site).unwrap_or(&p).display()
                );
                rebuild();
            }
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
    fn loopback_addresses() {
        assert!(
            is_loopback("127.0.0.1:8000")
                && is_loopback("localhost:8000")
                && is_loopback("[::1]:8000")
        );
        assert!(!is_loopback("0.0.0.0:8000") && !is_loopback("192.168.1.5:80"));
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
