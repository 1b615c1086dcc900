//! `lumbung serve`: previews the built output on localhost (static files, `index.html` for folders, the site's 404 page).

use std::path::{Component, Path, PathBuf};

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

/// Serves `root` on `addr` until the process is stopped.
pub fn serve(root: &Path, addr: &str) -> Result<(), String> {
    let server =
        tiny_http::Server::http(addr).map_err(|e| format!("tidak bisa membuka {addr}: {e}"))?;
    println!("Situs tersaji di http://{addr}/ (Ctrl+C untuk berhenti)");
    for req in server.incoming_requests() {
        let (status, path) = match resolve(root, req.url()) {
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
    Ok(())
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
}
