//! Runs `lumbung serve` on a fixture site: it serves the built pages, rebuilds when a source
//! changes, keeps serving the last good output when an edit breaks the build, and never serves
//! files outside the output folder.

use crate::harness::*;
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the server when the test ends, passed or not.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A GET over plain TCP: (status code, body), or None while nothing listens.
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n")?.1.to_string();
    Some((status, body))
}

/// Polls `path` until `ok` holds for its body; panics with the last body after `limit`.
/// (A generous limit for a slow CI machine: this waits for an event, it does not time one.)
fn wait_for(port: u16, path: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    let mut last = String::new();
    while start.elapsed() < Duration::from_secs(90) {
        if let Some((200, body)) = get(port, path) {
            if ok(&body) {
                return body;
            }
            last = body;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("{what}: {path} never showed it; last body:\n{last}");
}

#[test]
fn serve_rebuilds_on_change_and_keeps_the_last_good_site() {
    let site = SiteTest::fixture("serang");
    let port = free_port();
    let _server = serve(&site, &format!("127.0.0.1:{port}"), Stdio::null());
    let page = "/tentang/";
    wait_for(port, page, "first build", |b| b.contains("Situs uji."));
    let (status, body) = get(port, "/wilayah/36.73-kota-serang/").unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("<h1>Kota Serang</h1>"));
    // Unknown pages get the site's 404 page; paths cannot climb out of the output.
    let (status, body) = get(port, "/tidak-ada/").unwrap();
    assert_eq!(status, 404);
    assert!(body.contains("lang=\"id\""), "{body}");
    assert_eq!(get(port, "/../lumbung.toml").unwrap().0, 404);
    assert_eq!(get(port, "/%2e%2e/lumbung.toml").unwrap().0, 404);

    // An edit is picked up without restarting.
    let md = site.root().join("content/tentang.md");
    fs::write(
        &md,
        "+++\njudul = \"Tentang\"\n+++\nSitus uji, diperbarui.\n",
    )
    .unwrap();
    wait_for(port, page, "rebuild after an edit", |b| {
        b.contains("Situs uji, diperbarui.")
    });

    // The preview adds its live-reload script to the pages it serves, never to the files.
    let (_, served) = get(port, page).unwrap();
    assert!(served.contains("<script data-lumbung-preview>"), "{served}");
    let on_disk = fs::read_to_string(site.root().join("public/tentang/index.html")).unwrap();
    assert!(!on_disk.contains("data-lumbung-preview"));
    assert!(on_disk.contains("Situs uji, diperbarui."));
    let status = |body: &str| -> (u64, String) {
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        (
            v["build"].as_u64().unwrap(),
            v["errors"].as_str().unwrap().into(),
        )
    };
    // The page is on disk as soon as the output is swapped in; the preview counts the build
    // when the build returns, a moment later.
    let mut tries = 0;
    let (before, errors) = loop {
        let (n, errors) = status(&get(port, "/__lumbung/status").unwrap().1);
        if n >= 2 || tries == 100 {
            break (n, errors);
        }
        tries += 1;
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(before >= 2 && errors.is_empty(), "{before} {errors}");

    // A broken edit fails the rebuild; the last good site is still served, and the open pages
    // are told its errors (code and file), to show over the page.
    fs::write(&md, "+++\njudul = \n+++\nRusak.\n").unwrap();
    let failed = wait_for(
        port,
        "/__lumbung/status",
        "errors of a failed rebuild",
        |b| !status(b).1.is_empty(),
    );
    let (after, errors) = status(&failed);
    assert!(after > before);
    assert!(
        errors.contains("kesalahan[L0") && errors.contains("content/tentang.md"),
        "{errors}"
    );
    let (status_code, body) = get(port, page).unwrap();
    assert_eq!(status_code, 200);
    assert!(body.contains("Situs uji, diperbarui.") && !body.contains("Rusak."));

    // Fixing it rebuilds again.
    fs::write(
        &md,
        "+++\njudul = \"Tentang\"\n+++\nSitus uji, diperbaiki.\n",
    )
    .unwrap();
    wait_for(port, page, "rebuild after a fix", |b| {
        b.contains("Situs uji, diperbaiki.")
    });
    // The errors go once a build succeeds (the page then reloads: the counter moved on).
    let ok = wait_for(port, "/__lumbung/status", "errors cleared", |b| {
        status(b).1.is_empty()
    });
    assert!(status(&ok).0 > after);
}

/// Starts `lumbung serve` on `site` at `addr` (stderr piped only by a test that reads it: the
/// progress of every rebuild goes there).
fn serve(site: &SiteTest, addr: &str, stderr: Stdio) -> Server {
    Server(
        Command::new(env!("CARGO_BIN_EXE_lumbung"))
            .args(["serve", "--root"])
            .arg(site.root())
            .args(["--addr", addr])
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("start lumbung serve"),
    )
}

/// The status of a request with `method` on a fresh connection.
fn status_of(port: u16, method: &str, path: &str) -> u16 {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    String::from_utf8_lossy(&buf)
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[test]
fn a_client_that_never_reads_blocks_no_one_and_only_get_and_head_are_served() {
    let site = SiteTest::fixture("serang");
    let port = free_port();
    let _server = serve(&site, &format!("127.0.0.1:{port}"), Stdio::null());
    wait_for(port, "/tentang/", "first build", |b| {
        b.contains("Situs uji.")
    });
    // A client pipelines 200 requests for a PNG and never reads the answers.
    let mut stuck = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let png = "/wilayah/36.73-kota-serang/p0.png";
    let many: String = (0..200)
        .map(|_| format!("GET {png} HTTP/1.1\r\nHost: localhost\r\n\r\n"))
        .collect();
    stuck.write_all(many.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    // Everyone else is still answered (get() gives up after 10 s).
    for _ in 0..5 {
        assert_eq!(get(port, "/tentang/").map(|r| r.0), Some(200));
    }
    assert_eq!(status_of(port, "HEAD", "/tentang/"), 200);
    assert_eq!(status_of(port, "POST", "/tentang/"), 405);
    assert_eq!(status_of(port, "DELETE", "/tentang/"), 405);
    drop(stuck);
}

#[test]
fn atomic_saves_and_folders_made_after_start_are_seen() {
    let site = SiteTest::fixture("serang");
    let port = free_port();
    let _server = serve(&site, &format!("127.0.0.1:{port}"), Stdio::null());
    wait_for(port, "/tentang/", "first build", |b| {
        b.contains("Uji Serang")
    });
    // An editor's atomic save: write a temporary file, rename it over lumbung.toml.
    let toml = site.root().join("lumbung.toml");
    let text = fs::read_to_string(&toml).unwrap();
    let tmp = site.root().join(".lumbung.toml.tmp");
    fs::write(&tmp, text.replace("Uji Serang", "Uji Serang Baru")).unwrap();
    fs::rename(&tmp, &toml).unwrap();
    wait_for(port, "/tentang/", "rebuild after an atomic save", |b| {
        b.contains("Uji Serang Baru")
    });
    // A second atomic save is seen too (the watch follows the new file).
    fs::write(&tmp, text.replace("Uji Serang", "Uji Serang Lagi")).unwrap();
    fs::rename(&tmp, &toml).unwrap();
    wait_for(
        port,
        "/tentang/",
        "rebuild after a second atomic save",
        |b| b.contains("Uji Serang Lagi"),
    );
    // templates/ did not exist at start.
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Tersesat?</p>{% endblock content %}",
    );
    let start = Instant::now();
    loop {
        let body = get(port, "/tidak-ada/").map(|r| r.1).unwrap_or_default();
        if body.contains("Tersesat?") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "templates/ never seen:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_port_in_use_fails_before_building_and_a_public_address_is_warned_about() {
    let site = SiteTest::fixture("serang");
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = Command::new(env!("CARGO_BIN_EXE_lumbung"))
        .args(["serve", "--root"])
        .arg(site.root())
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        !site.out().exists(),
        "no build before the port is known to be free"
    );
    drop(taken);

    let port = free_port();
    let mut server = serve(&site, &format!("0.0.0.0:{port}"), Stdio::piped());
    wait_for(port, "/tentang/", "first build", |b| {
        b.contains("Situs uji.")
    });
    let _ = server.0.kill();
    let mut err = String::new();
    server
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(
        err.contains("0.0.0.0"),
        "a warning names the address: {err}"
    );
}

/// The sample portal with `base_url` under `/portal/`, served there: every page, asset and
/// download it links to answers 200 under `/portal/`, and nothing links outside it.
#[test]
fn the_sample_portal_served_under_a_path_has_no_broken_links() {
    let site = SiteTest::empty();
    for part in ["content", "data", "static"] {
        copy_dir(&repo().join(part), &site.root().join(part));
    }
    let toml = fs::read_to_string(repo().join("lumbung.toml")).unwrap();
    assert!(toml.contains("base_url = \"https://lumbung.example.or.id/\""));
    site.write(
        "lumbung.toml",
        &toml.replace(
            "base_url = \"https://lumbung.example.or.id/\"",
            "base_url = \"https://example.org/portal/\"",
        ),
    );
    site.build_ok();
    let home = site.read("index.html");
    assert!(home.contains("<link rel=\"stylesheet\" href=\"/portal/style.css\">"));
    assert!(home.contains("<link rel=\"canonical\" href=\"https://example.org/portal/\">"));
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://example.org/portal/wilayah/</loc>")
    );

    let port = free_port();
    let _server =
        lumbung::serve::start_at(&site.out(), &format!("127.0.0.1:{port}"), "/portal").unwrap();
    wait_for(port, "/portal/", "the portal", |b| b.contains("<html"));
    assert_eq!(
        get(port, "/data/").map(|r| r.0),
        Some(404),
        "only /portal/ is the site"
    );

    // HTTP/1.0, so that large pages come whole rather than chunked.
    let get = |port: u16, path: &str| -> Option<(u16, String)> {
        let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
        write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).ok()?;
        let text = String::from_utf8_lossy(&buf).into_owned();
        let status = text.split(' ').nth(1)?.parse().ok()?;
        Some((status, text.split_once("\r\n\r\n")?.1.to_string()))
    };
    // From the home page and from every address in the sitemap.
    let sitemap = site.read("sitemap.xml");
    let mut queue: Vec<String> = std::iter::once("/portal/".to_string())
        .chain(
            sitemap
                .split("<loc>https://example.org")
                .skip(1)
                .filter_map(|s| s.split_once("</loc>").map(|(u, _)| u.to_string())),
        )
        .collect();
    let mut seen: std::collections::BTreeSet<String> = queue.iter().cloned().collect();
    let mut pages = 0;
    while let Some(url) = queue.pop() {
        let (status, body) = get(port, &url).unwrap_or((0, String::new()));
        assert_eq!(status, 200, "{url}");
        if !(url.ends_with('/') || url.ends_with(".html")) {
            continue;
        }
        pages += 1;
        for link in lumbung::links::scan(&body).links {
            let target = link.url.split(['#', '?']).next().unwrap_or("").to_string();
            if target.is_empty() || target.starts_with("//") || target.contains(':') {
                continue;
            }
            assert!(
                target.starts_with("/portal/"),
                "{url} links to {target}, outside /portal/"
            );
            if seen.insert(target.clone()) {
                queue.push(target);
            }
        }
    }
    // Every page of the output was reached.
    let html_files = walkdir::WalkDir::new(site.out())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter(|e| e.file_name() != "404.html")
        .count();
    assert!(pages >= html_files, "crawled {pages} of {html_files} pages");
}
