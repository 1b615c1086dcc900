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
    let _server = Server(
        Command::new(env!("CARGO_BIN_EXE_lumbung"))
            .args(["serve", "--root"])
            .arg(site.root())
            .args(["--addr", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start lumbung serve"),
    );
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

    // A broken edit fails the rebuild; the last good site is still served.
    fs::write(&md, "+++\njudul = \n+++\nRusak.\n").unwrap();
    std::thread::sleep(Duration::from_secs(3));
    let (status, body) = get(port, page).unwrap();
    assert_eq!(status, 200);
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
}
