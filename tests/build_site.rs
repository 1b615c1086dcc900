//! Builds fixture sites and the sample portal, and asserts on the HTML, CSV and errors produced.

mod common;

use common::*;
use std::fs;

#[test]
fn kota_and_kabupaten_serang_get_their_own_pages() {
    let site = fixture("serang");
    let out = build_ok(site.path());
    let kota = read(&out, "wilayah/36.73-kota-serang/index.html");
    let kab = read(&out, "wilayah/36.04-kabupaten-serang/index.html");
    assert!(kota.contains("<h1>Kota Serang</h1>"));
    assert!(kab.contains("<h1>Kabupaten Serang</h1>"));
    assert!(
        kota.contains("5,65%") && !kota.contains("4,51%</p>"),
        "Kota Serang shows its own P0"
    );
    assert!(kab.contains("4,51%"), "Kabupaten Serang shows its own P0");
    // Both link up to Banten, and Banten links down to both.
    assert!(kota.contains("href=\"/wilayah/36-banten/\""));
    let banten = read(&out, "wilayah/36-banten/index.html");
    assert!(
        banten.contains("/wilayah/36.73-kota-serang/")
            && banten.contains("/wilayah/36.04-kabupaten-serang/")
    );
    // The region slice downloads are separate too.
    let csv = read(&out, "wilayah/36.73-kota-serang/data.csv");
    assert!(
        csv.contains("36.73,Kota Serang,2024,Maret,,p0,5.65,persen"),
        "{csv}"
    );
    assert!(!csv.contains("36.04"));
    assert!(out.join("wilayah/36.73-kota-serang/data.xlsx").is_file());
    assert!(read(&out, "wilayah/36.73-kota-serang/data.json").contains("\"nilai\": 5.65"));
}

#[test]
fn semicolons_and_decimal_commas_load_to_the_right_numbers() {
    let site = fixture("serang");
    let out = build_ok(site.path());
    let csv = read(&out, "data/kemiskinan/kemiskinan.csv");
    assert!(
        csv.starts_with("kode_wilayah,nama_wilayah,tahun,periode,p0,jumlah\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("36.73,Kota Serang,2024,Maret,5.65,41620\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("36.73,Kota Serang,2023,September,,\r\n"),
        "missing values stay empty: {csv}"
    );
}

#[test]
fn headline_change_and_rank_are_computed() {
    let site = fixture("serang");
    let out = build_ok(site.path());
    let kota = read(&out, "wilayah/36.73-kota-serang/index.html");
    // 6,20 → 5,65 is 0,55 points down from Maret 2023; Kota Serang is the 4th highest of 8.
    assert!(
        kota.contains("turun 0,55 poin persen dari Maret 2023"),
        "{kota}"
    );
    assert!(
        kota.contains("tertinggi ke-4 dari 8 kabupaten/kota di Banten"),
        "{kota}"
    );
    assert!(kota.contains("Banten: 5,84%"));
}

#[test]
fn ranked_children_table_shares_ranks_on_ties() {
    let site = fixture("serang");
    // Kabupaten Lebak (36.02) now ties Kabupaten Pandeglang (36.01) in Maret 2024.
    let csv = site.path().join("data/kemiskinan/kemiskinan.csv");
    let text = fs::read_to_string(&csv).unwrap();
    fs::write(
        &csv,
        text.replace("36.02;2024;Maret;8,60;", "36.02;2024;Maret;8,64;"),
    )
    .unwrap();
    let out = build_ok(site.path());
    let banten = read(&out, "wilayah/36-banten/index.html");
    let table = banten
        .split(">Peringkat</th>")
        .skip(1)
        .map(|t| &t[..t.find("</table>").unwrap()])
        .find(|t| t.contains("Nilai (%)"))
        .expect("a ranked P0 table for Banten's kab/kota");
    let ranks: Vec<&str> = table
        .split("<tr><td class=\"num\">")
        .skip(1)
        .map(|row| &row[..row.find("</td>").unwrap()])
        .collect();
    assert_eq!(ranks, ["1", "1", "3", "4", "5", "6", "7", "8"], "{table}");
    // The headline card agrees: both are the highest.
    let lebak = read(&out, "wilayah/36.02-kabupaten-lebak/index.html");
    assert!(lebak.contains("Peringkat 1: tertinggi dari 8 kabupaten/kota di Banten"));
    let pandeglang = read(&out, "wilayah/36.01-kabupaten-pandeglang/index.html");
    assert!(pandeglang.contains("Peringkat 1: tertinggi dari 8 kabupaten/kota di Banten"));
}

#[test]
fn every_chart_is_also_a_file_with_title_and_source() {
    let site = fixture("serang");
    let out = build_ok(site.path());
    let banten = read(&out, "wilayah/36-banten/index.html");
    for stem in ["p0", "p0-rincian"] {
        for ext in ["svg", "png"] {
            let href = format!("href=\"/wilayah/36-banten/{stem}.{ext}\" download");
            assert!(banten.contains(&href), "{href} missing on the Banten page");
        }
        let svg = read(&out, &format!("wilayah/36-banten/{stem}.svg"));
        assert!(svg.contains("Sumber: Badan Pusat Statistik"), "{svg}");
        assert!(
            svg.contains("/wilayah/36-banten/</text>"),
            "page URL inside: {svg}"
        );
        let png = fs::read(out.join(format!("wilayah/36-banten/{stem}.png"))).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
    }
    let bars = read(&out, "wilayah/36-banten/p0-rincian.svg");
    assert!(
        bars.contains("menurut kabupaten/kota di Banten, Maret 2024"),
        "{bars}"
    );
    assert!(bars.contains("Kabupaten Pandeglang") && bars.contains("Kota Cilegon"));
    // Each has an embed snippet, shown as code.
    assert!(
        banten.contains(
            "&lt;iframe src=&quot;https://uji.example.org/wilayah/36-banten/p0-rincian.svg&quot;"
        ),
        "{banten}"
    );
    // The indicator page offers the same files for its per-province charts.
    let ind = read(&out, "indikator/p0/index.html");
    assert!(ind.contains("href=\"/wilayah/36-banten/p0-rincian.png\" download"));
}

#[test]
fn news_pages_home_and_tags() {
    let site = fixture("serang");
    let out = build_ok(site.path());
    let home = read(&out, "index.html");
    assert!(home.contains("<html lang=\"id\">"));
    assert!(
        home.contains("Dua Serang, dua angka"),
        "the newest news is on the home page"
    );
    let art = read(&out, "berita/dua-serang/index.html");
    assert!(
        art.contains("<time datetime=\"2024-07-01\">1 Juli 2024</time>"),
        "{art}"
    );
    assert!(art.contains("<h2 id=\"rincian\">Rincian</h2>"));
    assert!(read(&out, "tag/angka-kemiskinan/index.html").contains("Dua Serang, dua angka"));
    // YAML front matter works, and province news shows on its kab/kota pages.
    assert!(read(&out, "berita/banten/index.html").contains("Banten secara umum"));
    assert!(read(&out, "wilayah/36.73-kota-serang/index.html").contains("Banten secara umum"));
    assert!(out.join("tentang/index.html").is_file());
    assert!(out.join("sitemap.xml").is_file() && out.join("feed.xml").is_file());
}

#[test]
fn unknown_region_on_row_7_fails_and_keeps_previous_output() {
    let site = fixture("serang");
    let out = build_ok(site.path());
    let before = snapshot(&out);
    // Data row 7 is line 8 (after the header).
    edit(
        site.path(),
        "data/kemiskinan/kemiskinan.csv",
        "36.03;2023;Maret;6,66",
        "36.99;2023;Maret;6,66",
    );
    let err = build_to(site.path(), &out)
        .expect_err("unknown code must fail")
        .to_string();
    assert!(
        err.contains("data/kemiskinan/kemiskinan.csv:8: baris data 7, kolom \"kode_wilayah\""),
        "{err}"
    );
    assert!(err.contains("\"36.99\""), "{err}");
    assert!(
        err.contains("36.03;2023;Maret;6,66") || err.contains("36.99;2023;Maret;6,66"),
        "shows the row: {err}"
    );
    assert!(err.contains("saran:"), "{err}");
    assert_eq!(snapshot(&out), before, "previous output untouched");
}

#[test]
fn ragged_row_fails_with_file_and_row() {
    let site = fixture("serang");
    edit(
        site.path(),
        "data/kemiskinan/kemiskinan.csv",
        "36.01;2024;Maret;8,64;107.630",
        "36.01;2024;Maret;8,64",
    );
    let err = build_to(site.path(), &site.path().join("public"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("kemiskinan.csv:5: baris data 4"), "{err}");
    assert!(
        err.contains("4 kolom, padahal tabel punya 5 kolom"),
        "{err}"
    );
    assert!(!site.path().join("public").exists(), "nothing written");
}

#[test]
fn unterminated_quote_fails_with_file_and_row() {
    let site = fixture("serang");
    edit(
        site.path(),
        "data/kemiskinan/kemiskinan.csv",
        "36.02;2023;Maret",
        "\"36.02;2023;Maret",
    );
    let err = build_to(site.path(), &site.path().join("public"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("tanda kutip dibuka tetapi tidak pernah ditutup"),
        "{err}"
    );
    assert!(err.contains("kemiskinan.csv:6: baris data 5"), "{err}");
}

#[test]
fn bad_numbers_and_duplicates_are_all_reported() {
    let site = fixture("serang");
    edit(
        site.path(),
        "data/kemiskinan/kemiskinan.csv",
        "36.01;2023;Maret;9,27",
        "36.01;2023;Maret;9.27",
    );
    edit(
        site.path(),
        "data/kemiskinan/kemiskinan.csv",
        "36.74;2023;Maret",
        "36.74;2024;Maret",
    );
    // A thousands mark after the decimal comma is a typo, not 121,31.
    edit(
        site.path(),
        "data/kemiskinan/kemiskinan.csv",
        "36.02;2023;Maret;9,00;121.310",
        "36.02;2023;Maret;9,00;121,3.10",
    );
    edit(
        site.path(),
        "content/berita/dua-serang.md",
        "tanggal = 2024-07-01",
        "tanggal = 2024-07-01\ntitel = \"x\"",
    );
    let err = build_to(site.path(), &site.path().join("public"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("\"9.27\" bukan angka (kolom p0)"), "{err}");
    assert!(err.contains("tulis seperti 1.234,5"), "{err}");
    assert!(err.contains("ganda: sama dengan baris data"), "{err}");
    assert!(err.contains("content/berita/dua-serang.md:4:1"), "{err}");
    assert!(
        err.contains("kunci front matter tidak dikenal: \"titel\""),
        "{err}"
    );
    assert!(
        err.contains("\"121,3.10\" bukan angka (kolom jumlah)"),
        "{err}"
    );
    assert!(err.contains("4 kesalahan"), "collects every error: {err}");
}

#[test]
fn script_in_region_name_and_title_is_escaped() {
    let site = fixture("serang");
    edit(
        site.path(),
        "data/wilayah.csv",
        "36.73,Kota Serang,kota,36",
        "36.73,<script>alert(1)</script> Serang,kota,36",
    );
    edit(
        site.path(),
        "content/berita/dua-serang.md",
        "judul = \"Dua Serang, dua angka\"",
        "judul = \"<script>alert(2)</script>\"",
    );
    edit(
        site.path(),
        "content/tentang.md",
        "Situs uji.",
        // The image exists: a missing one would (rightly) fail the link check.
        "Situs uji. <script>alert(3)</script><img src=/favicon.svg onerror=alert(4)>",
    );
    let out = build_ok(site.path());
    for e in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
    {
        let html = fs::read_to_string(e.path()).unwrap();
        assert!(
            !html.contains("<script>alert"),
            "{} has a live script",
            e.path().display()
        );
        assert!(!html.contains("onerror"), "{}", e.path().display());
    }
    assert!(
        read(&out, "berita/dua-serang/index.html")
            .contains("&lt;script&gt;alert(2)&lt;/script&gt;")
    );
    assert!(fs::read_dir(out.join("wilayah")).unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("36.73-script-alert-1-script-serang")
    }));
}

#[test]
fn slugs_cannot_escape_the_output_folder() {
    let site = fixture("serang");
    edit(
        site.path(),
        "content/tentang.md",
        "judul = \"Tentang\"",
        "judul = \"Tentang\"\nslug = \"../../evil\"",
    );
    let err = build_to(site.path(), &site.path().join("public"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("slug \"../../evil\" tidak boleh dipakai"),
        "{err}"
    );
    assert!(!site.path().join("evil").exists());
}

#[test]
fn sample_portal_pkh_total_and_home() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let s = build_to(&repo(), &out).unwrap_or_else(|d| panic!("{d}"));
    assert!(s.pages >= 25 && s.datasets >= 4, "{s}");
    let pkh = read(&out, "data/pkh-jatim-2020/index.html");
    assert!(pkh.contains("Rp3.215.966.118.000"), "PKH semester total");
    let home = read(&out, "index.html");
    assert!(home.contains("Terbaru") && home.contains("Pilihan Redaksi"));
    assert!(home.contains("LAPOR!"));
    assert!(out.join("wilayah/36.73-kota-serang/index.html").is_file());
    assert!(out.join("wilayah/35.78-kota-surabaya/index.html").is_file());
    let p0 = read(&out, "indikator/p0/index.html");
    assert!(p0.contains("<h2 id=\"peta\">") || p0.contains("<h2 id=\"grafik\">"));
}

#[test]
fn two_builds_of_the_sample_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build_to(&repo(), &a).unwrap_or_else(|d| panic!("{d}"));
    build_to(&repo(), &b).unwrap_or_else(|d| panic!("{d}"));
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    assert_eq!(sa.len(), sb.len());
    for ((pa, ba), (pb, bb)) in sa.iter().zip(&sb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between two builds");
    }
}

#[test]
fn rebuild_rewrites_only_what_changed() {
    let site = fixture("serang");
    let out = site.path().join("public");
    let first = build_to(site.path(), &out).unwrap();
    let second = build_to(site.path(), &out).unwrap();
    assert_eq!(second.written, 0, "{second}");
    assert_eq!(second.unchanged, first.files);
    edit(
        site.path(),
        "content/tentang.md",
        "Situs uji.",
        "Situs uji, diubah.",
    );
    let third = build_to(site.path(), &out).unwrap();
    // The page and its precompressed .gz and .br copies.
    assert_eq!(third.written, 3, "{third}");
}

#[test]
fn drafts_only_with_the_flag() {
    let site = fixture("serang");
    edit(
        site.path(),
        "content/berita/banten.md",
        "judul: \"Banten secara umum\"",
        "judul: \"Banten secara umum\"\ndraf: true",
    );
    let out = build_ok(site.path());
    assert!(!out.join("berita/banten/index.html").exists());
    assert!(!read(&out, "index.html").contains("Banten secara umum"));
    let mut o = lumbung::build::Options::new(site.path());
    o.output = Some(site.path().join("with-drafts"));
    o.drafts = true;
    lumbung::build::build(&o).unwrap();
    assert!(
        site.path()
            .join("with-drafts/berita/banten/index.html")
            .is_file()
    );
}

#[test]
fn site_templates_override_the_theme_and_errors_keep_position() {
    let site = fixture("serang");
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<p>Tersesat?</p>{% endblock content %}",
    )
    .unwrap();
    let out = build_ok(site.path());
    assert!(read(&out, "404.html").contains("<p>Tersesat?</p>"));
    fs::write(site.path().join("templates/404.html"), "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ tidak_ada }}</p>{% endblock content %}").unwrap();
    let err = build_to(site.path(), &out).unwrap_err().to_string();
    assert!(err.contains("templates/404.html"), "{err}");
    assert!(
        err.contains("404.html:3:"),
        "Tera's file:line:col is kept: {err}"
    );
    assert!(
        read(&out, "404.html").contains("<p>Tersesat?</p>"),
        "old output kept"
    );
}

#[test]
fn missing_config_and_unknown_config_key() {
    let site = fixture("serang");
    edit(
        site.path(),
        "lumbung.toml",
        "title = \"Uji Serang\"",
        "title = \"Uji Serang\"\nbasis_url = \"x\"",
    );
    let err = build_to(site.path(), &site.path().join("public"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("lumbung.toml:2:1"), "{err}");
    assert!(err.contains("\"basis_url\""), "{err}");
    assert!(err.contains("base_url"), "hint names the right key: {err}");
}

#[test]
fn chart_png_is_reused_when_its_svg_is_unchanged() {
    let site = fixture("serang");
    let out = build_ok(site.path());
    let png = out.join("wilayah/36.73-kota-serang/p0.png");
    let original = fs::read(&png).unwrap();
    assert!(original.starts_with(b"\x89PNG"));
    // Mark the old PNG: an unchanged chart keeps it (no second rasterising) …
    let mut marked = original.clone();
    marked.extend_from_slice(b"lumbung-test");
    fs::write(&png, &marked).unwrap();
    build_ok(site.path());
    assert_eq!(fs::read(&png).unwrap(), marked);
    // … and a changed chart is drawn again.
    edit(
        site.path(),
        "data/kemiskinan/kemiskinan.csv",
        "36.73;2024;Maret;5,65",
        "36.73;2024;Maret;5,55",
    );
    build_ok(site.path());
    let redrawn = fs::read(&png).unwrap();
    assert!(redrawn.starts_with(b"\x89PNG") && !redrawn.ends_with(b"lumbung-test"));
}
