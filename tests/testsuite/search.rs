//! Search without a server: the header's box on every page, the Pagefind index under
//! `/pagefind/`, and the A–Z list of regions and their other names that works without JavaScript.
//! (Searching in Chromium is tested on the national portal, in `national.rs`.)

use lumbung::diagnostic::Code;

use crate::harness::{Expect, SiteTest};

#[test]
fn every_page_has_the_search_box_and_the_index_is_published() {
    let site = SiteTest::fixture("serang");
    site.build_ok();
    for page in [
        "index.html",
        "wilayah/index.html",
        "data/kemiskinan/index.html",
    ] {
        let html = site.read(page);
        assert!(
            html.contains(
                "<form class=\"search-box\" role=\"search\" action=\"/cari/\" method=\"get\">"
            ),
            "{page}"
        );
    }
    for file in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.id.pagefind",
    ] {
        assert!(site.exists(file), "{file}");
    }
    let entry: serde_json::Value =
        serde_json::from_str(&site.read("pagefind/pagefind-entry.json")).unwrap();
    assert!(
        entry["languages"]["id"]["page_count"].as_u64().unwrap() > 3,
        "{entry}"
    );
    let page = site.main_of("cari/index.html");
    assert!(
        page.contains("<a href=\"/wilayah/36.73-kota-serang/\">Kota Serang</a>"),
        "{page}"
    );
    assert!(site.read("sitemap.xml").contains("/cari/</loc>"));
}

#[test]
fn the_sites_alias_file_names_regions_in_the_a_to_z_list() {
    let site = SiteTest::fixture("serang");
    site.write(
        "data/alias-wilayah.csv",
        "nama_bps,kode\nSerang Kota,36.73\n",
    );
    site.build_ok();
    let page = site.main_of("cari/index.html");
    assert!(
        page.contains("Serang Kota → <a href=\"/wilayah/36.73-kota-serang/\">Kota Serang</a>"),
        "{page}"
    );
    // An alias for a code the registry does not know stops the build, at its row.
    site.write(
        "data/alias-wilayah.csv",
        "nama_bps,kode\nSerang Kota,36.99\n",
    );
    site.build_err()
        .expect_in(Code::ImportAliases, "data/alias-wilayah.csv");
}
