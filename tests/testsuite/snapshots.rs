//! Snapshots (insta) of one page of every page type and of every template context, built from
//! `tests/fixtures/every-page`. Review changes with `cargo insta review` (or accept them all with
//! `INSTA_UPDATE=always cargo test --test testsuite snapshots`).

use std::sync::OnceLock;

use lumbung::build::Summary;

use crate::harness::*;

/// The fixture built once, with its template contexts kept.
fn built() -> &'static (SiteTest, Summary) {
    static BUILT: OnceLock<(SiteTest, Summary)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let site = SiteTest::fixture("every-page");
        let mut o = site.options();
        o.keep_contexts = true;
        let summary = site
            .build_with(&o)
            .unwrap_or_else(|d| panic!("build failed:\n{d}"));
        (site, summary)
    })
}

/// One output page of each type: (snapshot name, output path).
const PAGES: &[(&str, &str)] = &[
    ("home", "index.html"),
    ("news_list", "berita/index.html"),
    ("news_list_page_2", "berita/halaman/2/index.html"),
    ("news_article", "berita/dua-serang/index.html"),
    ("agenda_list", "agenda/index.html"),
    ("agenda_item", "agenda/rakor-2025/index.html"),
    ("program_list", "program/index.html"),
    ("program", "program/pkh/index.html"),
    ("gallery", "galeri/index.html"),
    ("gallery_videos", "galeri/video/index.html"),
    ("gallery_photos", "galeri/foto/index.html"),
    ("gallery_video", "galeri/video-slrt/index.html"),
    ("plain_page", "tentang/index.html"),
    ("tags", "tag/index.html"),
    ("tag", "tag/angka-kemiskinan/index.html"),
    ("regions", "wilayah/index.html"),
    ("region_nation", "wilayah/indonesia/index.html"),
    ("region_province", "wilayah/36-banten/index.html"),
    ("region_kota", "wilayah/36.73-kota-serang/index.html"),
    ("indicators", "indikator/index.html"),
    ("indicator", "indikator/p0/index.html"),
    ("compare", "bandingkan/index.html"),
    ("compare_group", "bandingkan/36-banten/p0/index.html"),
    ("catalog", "data/index.html"),
    ("dataset", "data/kemiskinan/index.html"),
    ("dataset_with_dimension", "data/anggaran/index.html"),
    ("not_found", "404.html"),
];

#[test]
fn one_page_of_every_type() {
    let (site, _) = built();
    for (name, path) in PAGES {
        insta::assert_snapshot!(format!("page_{name}"), site.main_of(path), path);
    }
}

#[test]
fn the_page_frame_feed_and_sitemap() {
    let (site, _) = built();
    let home = site.read("index.html");
    let head = &home[..home.find("<main").unwrap()];
    let foot = &home[home.find("</main>").unwrap()..];
    insta::assert_snapshot!("frame_head", head);
    insta::assert_snapshot!("frame_foot", foot);
    insta::assert_snapshot!("feed", site.read("feed.xml"));
    insta::assert_snapshot!("sitemap", site.read("sitemap.xml"));
    insta::assert_snapshot!("robots", site.read("robots.txt"));
}

/// A context with inline SVG collapsed to its id and rendered HTML to its length.
fn readable(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::String(s) if s.starts_with("<svg") => Value::String(collapse_svg(s)),
        Value::Array(a) => Value::Array(a.iter().map(readable).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, v)| (k.clone(), readable(v))).collect())
        }
        v => v.clone(),
    }
}

#[test]
fn every_template_context() {
    let (_, summary) = built();
    for (name, path) in PAGES {
        let context = summary
            .contexts
            .get(*path)
            .unwrap_or_else(|| panic!("no context kept for {path}"));
        insta::assert_json_snapshot!(format!("context_{name}"), readable(context), path);
    }
}
