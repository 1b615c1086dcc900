//! Quality rules checked on the built output: no broken links, precompressed copies, page weight and scripts.
//!
//! The browser, accessibility, print and HTML checks are in tools/quality/check.mjs (docs/quality.md).

use crate::harness::*;
use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use lumbung::diagnostic::{Code, Location};

/// Largest gzip-compressed weight of a region page: HTML (with inline SVG) + its CSS and images.
const REGION_PAGE_LIMIT: usize = 60 * 1024;
/// Optional JavaScript a page may carry (inline and linked), uncompressed.
const SCRIPT_LIMIT: usize = 15 * 1024;

fn gzip_len(bytes: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).unwrap();
    e.finish().unwrap().len()
}

/// Values of `attr="…"` in `html` (generated HTML quotes its attributes).
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let v = &html[i + needle.len()..];
            v.find('"').map(|e| &v[..e])
        })
        .collect()
}

/// A local file an URL of the site points at.
fn local(out: &Path, url: &str) -> Option<std::path::PathBuf> {
    let path = url.strip_prefix('/')?.split(['#', '?']).next()?;
    let p = out.join(path);
    p.is_file().then_some(p)
}

/// What a page costs to load: gzip bytes of the HTML and every stylesheet, image and script it
/// loads from the site, and the uncompressed bytes of its JavaScript.
#[derive(Debug)]
struct Weight {
    gzip: usize,
    script: usize,
}

fn weight(out: &Path, page: &Path) -> Weight {
    let html = fs::read_to_string(page).unwrap();
    let mut gzip = gzip_len(html.as_bytes());
    let mut script = 0;
    // Inline scripts.
    for (i, _) in html.match_indices("<script") {
        let body = &html[i..];
        let start = body.find('>').map_or(body.len(), |e| e + 1);
        let end = body.find("</script>").unwrap_or(body.len()).max(start);
        script += end - start;
    }
    let mut loaded: Vec<&str> = attr_values(&html, "src");
    // Stylesheets (and preloads); other <link>s (canonical, feed, icon) are not loaded with the page.
    for (i, _) in html.match_indices("<link ") {
        let tag = &html[i..i + html[i..].find('>').unwrap_or(0)];
        if tag.contains("rel=\"stylesheet\"") || tag.contains("rel=\"preload\"") {
            loaded.extend(attr_values(tag, "href"));
        }
    }
    loaded.sort();
    loaded.dedup();
    for url in loaded {
        if let Some(f) = local(out, url) {
            let bytes = fs::read(&f).unwrap();
            gzip += gzip_len(&bytes);
            if url.ends_with(".js") || url.ends_with(".mjs") {
                script += bytes.len();
            }
        }
    }
    Weight { gzip, script }
}

/// Pages over the weight or script limits, as (page, problem); region pages are those under
/// `wilayah/<code>/`, scripts are checked on every page.
/// (page, problem) pairs and (region page, gzip bytes) pairs.
/// Pages over a limit (page, why), and every region page with its gzip weight.
pub(crate) type WeightReport = (Vec<(String, String)>, Vec<(String, usize)>);

/// The weight of every page of the built site `out` against the limits above.
pub(crate) fn weight_problems(out: &Path) -> WeightReport {
    let mut problems = Vec::new();
    let mut regions = Vec::new();
    for e in walkdir::WalkDir::new(out).sort_by_file_name() {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let w = weight(out, e.path());
        if w.script > SCRIPT_LIMIT {
            problems.push((
                rel.clone(),
                format!("{} B JavaScript > {SCRIPT_LIMIT} B", w.script),
            ));
        }
        let is_region = rel.starts_with("wilayah/") && rel.matches('/').count() == 2;
        if is_region {
            if w.gzip > REGION_PAGE_LIMIT {
                problems.push((
                    rel.clone(),
                    format!("{} B gzip > {REGION_PAGE_LIMIT} B", w.gzip),
                ));
            }
            regions.push((rel, w.gzip));
        }
    }
    (problems, regions)
}

#[test]
fn region_pages_are_light_and_need_no_script() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_to(&repo(), &out).unwrap_or_else(|d| panic!("{d}"));
    let (problems, mut regions) = weight_problems(&out);
    assert!(regions.len() > 30, "region pages found: {}", regions.len());
    regions.sort_by_key(|r| std::cmp::Reverse(r.1));
    let (largest, bytes) = &regions[0];
    println!(
        "largest region page: {largest}: {bytes} B ({:.1} KB) gzip with its CSS; limit {} KB",
        *bytes as f64 / 1024.0,
        REGION_PAGE_LIMIT / 1024
    );
    assert!(problems.is_empty(), "{problems:#?}");
    // Every figure is in the HTML: no page loads or embeds JavaScript (the only scripts are
    // schema.org JSON-LD data blocks, which browsers do not run), except the search page, whose
    // results need the index (its A–Z list works without), and pages with a video player, which
    // load it only when the reader presses play (the thumbnail links to the video without).
    // The compare page's chooser is drawn by its script (the list of compare pages below it
    // works without).
    let compare = fs::read_to_string(out.join("bandingkan/index.html")).unwrap();
    assert_eq!(compare.matches("<script").count(), 1);
    assert!(compare.contains("<script type=\"module\" src=\"/bandingkan.js\"></script>"));
    let search = fs::read_to_string(out.join("cari/index.html")).unwrap();
    assert_eq!(
        search.matches("<script").count(),
        1,
        "the search page loads only its own script"
    );
    assert!(search.contains("<script type=\"module\" src=\"/cari.js\"></script>"));
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "html")
            && e.path() != out.join("cari/index.html")
            && e.path() != out.join("bandingkan/index.html")
        {
            let html = fs::read_to_string(e.path()).unwrap();
            let scripts = html.matches("<script").count();
            let data = html
                .matches("<script type=\"application/ld+json\">")
                .count();
            // A video thumbnail that names a player loads the click-to-load script (the same
            // module, run once however often a list names it), and nothing else.
            let video = if html.contains("data-embed=") {
                html.matches("<script type=\"module\" src=\"/video.js\"></script>")
                    .count()
            } else {
                0
            };
            assert_eq!(scripts, data + video, "{}", e.path().display());
        }
    }
}

#[test]
fn weight_check_catches_an_overweight_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    fs::create_dir_all(out.join("wilayah/99-contoh")).unwrap();
    fs::create_dir_all(out.join("wilayah/98-ringan")).unwrap();
    // Incompressible text (a simple LCG), as a large unshrinkable table or image would be.
    let mut x: u32 = 1;
    let noise: String = (0..120_000)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            char::from(b'a' + (x >> 16) as u8 % 26)
        })
        .collect();
    fs::write(
        out.join("wilayah/99-contoh/index.html"),
        format!(
            "<link rel=\"stylesheet\" href=\"/style.css\"><p>{noise}</p><script src=\"/app.js\"></script>"
        ),
    )
    .unwrap();
    fs::write(
        out.join("wilayah/98-ringan/index.html"),
        "<link rel=\"stylesheet\" href=\"/style.css\"><p>ringan</p>",
    )
    .unwrap();
    fs::write(out.join("style.css"), "p{color:#111}").unwrap();
    fs::write(out.join("app.js"), "x();".repeat(5000)).unwrap();
    let (problems, regions) = weight_problems(out);
    assert_eq!(regions.len(), 2);
    let text = format!("{problems:?}");
    assert_eq!(problems.len(), 2, "{text}");
    assert!(
        text.contains("wilayah/99-contoh/index.html") && text.contains("gzip > 61440 B"),
        "{text}"
    );
    assert!(text.contains("20000 B JavaScript > 15360 B"), "{text}");
}

#[test]
fn broken_links_fail_the_build_with_page_and_link() {
    let site = SiteTest::fixture("serang");
    site.build_ok();
    let before = snapshot(&site.out());
    site.replace(
        "content/tentang.md",
        "Situs uji.",
        "Situs uji. Lihat [berita yang hilang](/berita/tidak-ada/) dan [bagian ini](#tidak-ada).",
    );
    let err = site.build_err();
    let link = err.expect_in(Code::BrokenLink, "tentang/index.html");
    assert!(link.message.contains("\"/berita/tidak-ada/\""), "{link}");
    assert!(matches!(link.location, Location::Text { .. }) && link.hint.is_some());
    let anchor = err.expect_in(Code::BrokenAnchor, "tentang/index.html");
    assert!(anchor.message.contains("\"#tidak-ada\""), "{anchor}");
    assert_eq!(err.codes(), [Code::BrokenLink, Code::BrokenAnchor]);
    assert_eq!(snapshot(&site.out()), before, "the old output stays");
}

#[test]
fn check_links_reads_a_built_folder() {
    let site = SiteTest::fixture("serang");
    site.build_ok();
    let out = site.out();
    assert_eq!(lumbung::links::check_dir(&out, None).unwrap(), vec![]);
    fs::remove_dir_all(out.join("berita")).unwrap();
    let d = lumbung::links::check_dir(&out, None).unwrap();
    assert!(
        d.iter().any(|d| d.code == Code::BrokenLink
            && d.message.contains("\"/berita/\"")
            && d.file.starts_with(&out)
            && d.hint.is_some()),
        "{d:#?}"
    );
}

#[test]
fn text_outputs_are_precompressed_when_asked() {
    let site = SiteTest::fixture("serang");
    site.build_ok();
    assert!(!site.out().join("style.css.gz").exists(), "off by default");
    site.replace(
        "lumbung.toml",
        "title = \"Uji Serang\"",
        "title = \"Uji Serang\"\nprecompress = true",
    );
    site.build_ok();
    let out = site.out();
    let html = fs::read(out.join("wilayah/36.73-kota-serang/index.html")).unwrap();
    let gz = fs::read(out.join("wilayah/36.73-kota-serang/index.html.gz")).unwrap();
    let mut back = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut back)
        .unwrap();
    assert_eq!(back, html);
    assert!(
        out.join("wilayah/36.73-kota-serang/index.html.br")
            .is_file()
    );
    assert!(out.join("style.css.gz").is_file() && out.join("style.css.br").is_file());
    assert!(!out.join("wilayah/36.73-kota-serang/data.xlsx.gz").exists());
}

/// Inline SVG charts that lack `role="img"`, a `<title>` or a `<desc>`, as (page, problem);
/// SVGs marked `aria-hidden="true"` (icons) are skipped. The browser check (check.mjs) also
/// asserts each chart has a table with its numbers; this one covers every page of the site.
fn chart_problems(out: &Path) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    for e in walkdir::WalkDir::new(out).sort_by_file_name() {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let rel = e.path().strip_prefix(out).unwrap().display().to_string();
        let html = fs::read_to_string(e.path()).unwrap();
        for (i, _) in html.match_indices("<svg") {
            let open = &html[i..i + html[i..].find('>').unwrap_or(0)];
            if open.contains("aria-hidden=\"true\"") {
                continue;
            }
            let body = &html[i..i + html[i..].find("</svg>").unwrap_or(html.len() - i)];
            for (ok, what) in [
                (open.contains("role=\"img\""), "role=\"img\""),
                (body.contains("<title"), "<title>"),
                (body.contains("<desc"), "<desc>"),
            ] {
                if !ok {
                    problems.push((rel.clone(), format!("an inline chart lacks {what}")));
                }
            }
        }
    }
    problems
}

#[test]
fn every_inline_chart_has_role_title_and_description() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_to(&repo(), &out).unwrap_or_else(|d| panic!("{d}"));
    let problems = chart_problems(&out);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn chart_check_catches_a_bare_svg() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("index.html"),
        "<svg aria-hidden=\"true\"><path/></svg>\
         <svg role=\"img\" aria-labelledby=\"t\"><title id=\"t\">P0</title><desc>Turun</desc></svg>\
         <svg viewBox=\"0 0 10 10\"><rect/></svg>",
    )
    .unwrap();
    let problems = chart_problems(dir.path());
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems.iter().all(|(p, _)| p == "index.html"));
}
