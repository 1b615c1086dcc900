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

/// Past `[search] a_z_max` lines the A–Z list stops at the deepest level that fits (never above
/// the kab/kota) and says what it leaves out; the regions left out keep their pages and are
/// reached from the page of the region above them.
#[test]
fn past_its_limit_the_a_to_z_list_stops_at_a_level_and_says_what_it_leaves_out() {
    let site = SiteTest::fixture("serang");
    let registry = std::fs::read_to_string(site.root().join("data/wilayah.csv")).unwrap();
    site.write(
        "data/wilayah.csv",
        &format!(
            "{registry}36.73.01,Serang,kecamatan,36.73\n36.73.02,Cipocok Jaya,kecamatan,36.73\n36.73.03,Taktakan,kecamatan,36.73\n"
        ),
    );
    site.write(
        "data/kecamatan/datapackage.json",
        r#"{
  "name": "kecamatan",
  "title": "Kemiskinan kecamatan Kota Serang (uji)",
  "sources": [{"title": "Uji", "path": "https://contoh.invalid/"}],
  "resources": [{
    "name": "kecamatan",
    "path": "kecamatan.csv",
    "schema": {
      "fields": [
        {"name": "kode_wilayah", "type": "string", "lumbung:role": "region"},
        {"name": "tahun", "type": "year", "lumbung:role": "time"},
        {"name": "p0", "type": "number", "title": "P0 kecamatan", "lumbung:role": "measure",
         "lumbung:unit": "persen", "lumbung:decimals": 2, "lumbung:indicator": "p0-kecamatan"}
      ],
      "primaryKey": ["kode_wilayah", "tahun"]
    }
  }]
}"#,
    );
    site.write(
        "data/kecamatan/kecamatan.csv",
        "kode_wilayah,tahun,p0\n36.73.01,2024,5.1\n36.73.02,2024,4.2\n36.73.03,2024,6.3\n",
    );
    let cipocok = "<a href=\"/wilayah/36.73.02-cipocok-jaya/\">Cipocok Jaya</a>";
    site.build_ok();
    let page = site.main_of("cari/index.html");
    assert!(page.contains(cipocok), "every level fits: {page}");
    assert!(!page.contains("tidak masuk daftar ini"), "{page}");

    // Nine lines for the province and the kab/kota are over five, but the kab/kota stay.
    let config = std::fs::read_to_string(site.root().join("lumbung.toml")).unwrap();
    site.write(
        "lumbung.toml",
        &format!("{config}\n[search]\na_z_max = 5\n"),
    );
    site.build_ok();
    let page = site.main_of("cari/index.html");
    assert!(
        page.contains("<a href=\"/wilayah/36.73-kota-serang/\">Kota Serang</a>"),
        "{page}"
    );
    assert!(!page.contains("Cipocok Jaya"), "{page}");
    assert!(
        page.contains(
            "3 wilayah lain (kecamatan) tidak masuk daftar ini agar halaman tetap ringan"
        ),
        "{page}"
    );
    // Left out of the list, not of the site: the kecamatan's page, linked from its city's.
    assert!(site.exists("wilayah/36.73.02-cipocok-jaya/index.html"));
    assert!(
        site.read("wilayah/36.73-kota-serang/index.html")
            .contains("href=\"/wilayah/36.73.02-cipocok-jaya/\"")
    );
}
