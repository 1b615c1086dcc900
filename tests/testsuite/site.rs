//! Building fixture sites and the sample portal: region pages, figures, charts, news, downloads, rebuilds.

use std::fs;

use crate::harness::*;

#[test]
fn kota_and_kabupaten_serang_get_their_own_pages() {
    let site = SiteTest::fixture("serang");
    site.build_ok();
    let kota = site.read("wilayah/36.73-kota-serang/index.html");
    let kab = site.read("wilayah/36.04-kabupaten-serang/index.html");
    assert!(kota.contains("<h1>Kota Serang</h1>"));
    assert!(kab.contains("<h1>Kabupaten Serang</h1>"));
    assert!(
        kota.contains("5,65%") && !kota.contains("4,51%</p>"),
        "Kota Serang shows its own P0"
    );
    assert!(kab.contains("4,51%"), "Kabupaten Serang shows its own P0");
    // Both link up to Banten, and Banten links down to both.
    assert!(kota.contains("href=\"/wilayah/36-banten/\""));
    let banten = site.read("wilayah/36-banten/index.html");
    assert!(
        banten.contains("/wilayah/36.73-kota-serang/")
            && banten.contains("/wilayah/36.04-kabupaten-serang/")
    );
    // The region slice downloads are separate too.
    let csv = site.read("wilayah/36.73-kota-serang/data.csv");
    assert!(
        csv.contains("36.73,Kota Serang,2024,Maret,,p0,5.65,persen"),
        "{csv}"
    );
    assert!(!csv.contains("36.04"));
    assert!(site.exists("wilayah/36.73-kota-serang/data.xlsx"));
    assert!(
        site.read("wilayah/36.73-kota-serang/data.json")
            .contains("\"nilai\": 5.65")
    );
}

#[test]
fn a_region_page_offers_a_complaint_channel_only_when_the_site_has_one() {
    // The trust fixture has no menu and no address for data errors: no question left without
    // an answer, no empty paragraph.
    let site = SiteTest::fixture("trust");
    site.build_ok();
    let page = "wilayah/36.73-kota-serang/index.html";
    let kota = site.main_of(page);
    assert!(!kota.contains("Punya keluhan"), "{kota}");
    assert!(!kota.contains("<p class=\"no-print\">"), "{kota}");
    // With a LAPOR! menu entry the question comes with its link.
    let base = "base_url = \"https://uji.example.org/\"";
    site.replace(
        "lumbung.toml",
        base,
        &format!("{base}\n[[menu]]\nname = \"LAPOR!\"\nurl = \"https://www.lapor.go.id/\"\nexternal = true\n"),
    );
    site.build_ok();
    let kota = site.main_of(page);
    assert!(
        kota.contains(
            "<p class=\"no-print\"> Punya keluhan layanan publik? <a href=\"https://www.lapor.go.id/\" rel=\"external\">LAPOR!</a></p>"
        ),
        "{kota}"
    );
}

#[test]
fn semicolons_and_decimal_commas_load_to_the_right_numbers() {
    let site = SiteTest::fixture("serang");
    site.build_ok();
    let csv = site.read("data/kemiskinan/kemiskinan.csv");
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
    let site = SiteTest::fixture("serang");
    site.build_ok();
    let kota = site.read("wilayah/36.73-kota-serang/index.html");
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
    let site = SiteTest::fixture("serang");
    // Kabupaten Lebak (36.02) now ties Kabupaten Pandeglang (36.01) in Maret 2024.
    site.replace(
        "data/kemiskinan/kemiskinan.csv",
        "36.02;2024;Maret;8,60;",
        "36.02;2024;Maret;8,64;",
    );
    site.build_ok();
    let banten = site.read("wilayah/36-banten/index.html");
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
    for page in ["36.02-kabupaten-lebak", "36.01-kabupaten-pandeglang"] {
        let html = site.read(&format!("wilayah/{page}/index.html"));
        assert!(html.contains("Peringkat 1: tertinggi dari 8 kabupaten/kota di Banten"));
    }
}

#[test]
fn every_chart_is_also_a_file_with_title_and_source() {
    let site = SiteTest::fixture("serang");
    site.build_ok();
    let banten = site.read("wilayah/36-banten/index.html");
    for stem in ["p0", "p0-rincian"] {
        for ext in ["svg", "png"] {
            let href = format!("href=\"/wilayah/36-banten/{stem}.{ext}\" download");
            assert!(banten.contains(&href), "{href} missing on the Banten page");
        }
        let svg = site.read(&format!("wilayah/36-banten/{stem}.svg"));
        assert!(svg.contains("Sumber: Badan Pusat Statistik"), "{svg}");
        assert!(
            svg.contains("/wilayah/36-banten/</text>"),
            "page URL inside: {svg}"
        );
        let png = fs::read(site.out().join(format!("wilayah/36-banten/{stem}.png"))).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
    }
    let bars = site.read("wilayah/36-banten/p0-rincian.svg");
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
    let ind = site.read("indikator/p0/index.html");
    assert!(ind.contains("href=\"/wilayah/36-banten/p0-rincian.png\" download"));
}

#[test]
fn news_pages_home_and_tags() {
    let site = SiteTest::fixture("serang");
    site.build_ok();
    let home = site.read("index.html");
    assert!(home.contains("<html lang=\"id\">"));
    assert!(
        home.contains("Dua Serang, dua angka"),
        "the newest news is on the home page"
    );
    let art = site.read("berita/dua-serang/index.html");
    assert!(
        art.contains("<time datetime=\"2024-07-01\">1 Juli 2024</time>"),
        "{art}"
    );
    assert!(art.contains("<h2 id=\"rincian\">Rincian</h2>"));
    assert!(
        site.read("tag/angka-kemiskinan/index.html")
            .contains("Dua Serang, dua angka")
    );
    // YAML front matter works, and province news shows on its kab/kota pages.
    assert!(
        site.read("berita/banten/index.html")
            .contains("Banten secara umum")
    );
    assert!(
        site.read("wilayah/36.73-kota-serang/index.html")
            .contains("Banten secara umum")
    );
    assert!(site.exists("tentang/index.html"));
    assert!(site.exists("sitemap.xml") && site.exists("feed.xml"));
}

#[test]
fn script_in_region_name_and_title_is_escaped() {
    let site = SiteTest::fixture("serang");
    site.replace(
        "data/wilayah.csv",
        "36.73,Kota Serang,kota,36",
        "36.73,<script>alert(1)</script> Serang,kota,36",
    )
    .replace(
        "content/berita/dua-serang.md",
        "judul = \"Dua Serang, dua angka\"",
        "judul = \"<script>alert(2)</script>\"",
    )
    .replace(
        "content/tentang.md",
        "Situs uji.",
        // The image exists: a missing one would (rightly) fail the link check.
        "Situs uji. <script>alert(3)</script><img src=/favicon.svg onerror=alert(4)>",
    );
    site.build_ok();
    for e in walkdir::WalkDir::new(site.out())
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
        site.read("berita/dua-serang/index.html")
            .contains("&lt;script&gt;alert(2)&lt;/script&gt;")
    );
    assert!(fs::read_dir(site.out().join("wilayah")).unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("36.73-script-alert-1-script-serang")
    }));
}

#[test]
fn sample_portal_pkh_total_and_home() {
    let dir = tempfile::tempdir().unwrap();
    let mut o = lumbung::build::Options::new(repo());
    o.output = Some(dir.path().join("public"));
    let s = lumbung::build::build(&o).unwrap_or_else(|d| panic!("{d}"));
    let out = dir.path().join("public");
    assert!(s.pages >= 25 && s.datasets >= 4, "{s}");
    let pkh = read(&out, "data/pkh-jatim-2020/index.html");
    assert!(pkh.contains("Rp3.215.966.118.000"), "PKH semester total");
    let home = read(&out, "index.html");
    assert!(home.contains("Terbaru") && home.contains("Pilihan Redaksi"));
    assert!(home.contains("LAPOR!"));
    assert!(out.join("wilayah/36.73-kota-serang/index.html").is_file());
    assert!(out.join("wilayah/35.78-kota-surabaya/index.html").is_file());
    let p0 = read(&out, "indikator/p0/index.html");
    assert!(p0.contains("<h3 id=\"peta\">") && p0.contains("<h2 id=\"grafik\">"));
    // Kabupaten Bantaeng's 6 % target for 2019, on its P0 chart (and the chart file) and card.
    let bantaeng = read(&out, "wilayah/73.03-kabupaten-bantaeng/index.html");
    assert!(
        bantaeng.contains(">Target 2019: 6%</text>"),
        "target on the chart"
    );
    assert!(
        bantaeng.contains("<path class=\"target\""),
        "the dashed level"
    );
    assert!(
        read(&out, "wilayah/73.03-kabupaten-bantaeng/p0.svg").contains(">Target 2019: 6%</text>")
    );
    assert!(
        bantaeng.contains("<strong>Target 2019: 6%</strong>; Maret 2019: 9,03%, 3,03 poin persen di atas target (belum tercapai)"),
        "the headline card"
    );
    // Videos: a local thumbnail and a player that loads only when the reader presses play.
    let video = read(&out, "galeri/video/index.html");
    assert!(
        video.contains("<img src=\"/img/galeri/slrt-bantaeng.svg\""),
        "local thumbnail"
    );
    assert!(
        video.contains(
            "data-embed=\"https://www.youtube-nocookie.com/embed/Bt9LrS2kW4c?autoplay=1\""
        )
    );
    assert!(video.contains("<script type=\"module\" src=\"/video.js\">"));
    for page in [
        "galeri/video/index.html",
        "index.html",
        "galeri/video-belajar-slrt-bantaeng/index.html",
    ] {
        let html = read(&out, page);
        assert!(
            !html.contains("<iframe"),
            "{page} loads no player before play"
        );
        assert!(
            !html.contains("ytimg.com"),
            "{page} loads nothing from the video host"
        );
    }
}

#[test]
fn two_builds_of_the_sample_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for out in [&a, &b] {
        let mut o = lumbung::build::Options::new(repo());
        o.output = Some(out.clone());
        lumbung::build::build(&o).unwrap_or_else(|d| panic!("{d}"));
    }
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    assert_eq!(sa.len(), sb.len());
    for ((pa, ba), (pb, bb)) in sa.iter().zip(&sb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between two builds");
    }
}

#[test]
fn rebuild_rewrites_only_what_changed() {
    let site = SiteTest::fixture("serang");
    let first = site.build_ok();
    let second = site.build_ok();
    assert_eq!(second.written, 0, "{second}");
    assert_eq!(second.unchanged, first.files);
    let before: std::collections::BTreeMap<_, _> = snapshot(&site.out()).into_iter().collect();
    site.replace("content/tentang.md", "Situs uji.", "Situs uji, diubah.");
    let third = site.build_ok();
    // The page only (no precompressed copies unless `precompress = true`), and the search
    // index files that hold its summary (Pagefind names its files by their content).
    let after: std::collections::BTreeMap<_, _> = snapshot(&site.out()).into_iter().collect();
    let changed: Vec<&String> = after
        .iter()
        .filter(|(p, b)| before.get(*p) != Some(b))
        .map(|(p, _)| p)
        .collect();
    let outside: Vec<&&String> = changed
        .iter()
        .filter(|p| !p.starts_with("pagefind/"))
        .collect();
    assert_eq!(outside, [&&"tentang/index.html".to_string()], "{third}");
    assert_eq!(third.written, changed.len(), "{third}");
}

#[test]
fn drafts_only_with_the_flag() {
    let site = SiteTest::fixture("serang");
    site.replace(
        "content/berita/banten.md",
        "judul: \"Banten secara umum\"",
        "judul: \"Banten secara umum\"\ndraf: true",
    );
    site.build_ok();
    assert!(!site.exists("berita/banten/index.html"));
    assert!(!site.read("index.html").contains("Banten secara umum"));
    let mut o = site.options();
    o.output = Some(site.outside("with-drafts"));
    o.drafts = true;
    site.build_with(&o).unwrap();
    assert!(
        site.outside("with-drafts/berita/banten/index.html")
            .is_file()
    );
}

#[test]
fn site_templates_override_the_theme() {
    let site = SiteTest::fixture("serang");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Tersesat?</p>{% endblock content %}",
    );
    site.build_ok();
    assert!(site.read("404.html").contains("<p>Tersesat?</p>"));
}

#[test]
fn chart_pngs_are_cached_by_content_outside_the_output() {
    let site = SiteTest::fixture("serang");
    let first = site.build_ok();
    assert!(
        first.pngs.drawn > 0 && first.pngs.reused == 0,
        "{:?}",
        first.pngs
    );
    let png = site.out().join("wilayah/36.73-kota-serang/p0.png");
    let original = fs::read(&png).unwrap();
    assert!(original.starts_with(b"\x89PNG"));
    // A fresh output folder (or a new checkout with the cache) draws nothing again …
    let fresh = site.outside("lain");
    let again = build_to(site.root(), &fresh).unwrap();
    assert_eq!((again.pngs.drawn, again.pngs.reused), (0, first.pngs.drawn));
    assert_eq!(snapshot(&fresh), snapshot(&site.out()), "byte-identical");
    // … the PNG comes from the cache: mark the cached copy of this one and it is what is
    // published …
    let cache = site.root().join(".lumbung-cache/png");
    let cached = walk_files(&cache)
        .into_iter()
        .find(|p| fs::read(p).unwrap() == original)
        .expect("the PNG is in the cache");
    let mut marked = original.clone();
    marked.extend_from_slice(b"lumbung-test");
    fs::write(&cached, &marked).unwrap();
    let marked_out = site.outside("markah");
    build_to(site.root(), &marked_out).unwrap();
    assert_eq!(
        fs::read(marked_out.join("wilayah/36.73-kota-serang/p0.png")).unwrap(),
        marked
    );
    // … a changed chart is drawn again …
    site.replace(
        "data/kemiskinan/kemiskinan.csv",
        "36.73;2024;Maret;5,65",
        "36.73;2024;Maret;5,55",
    );
    let changed = site.build_ok();
    assert!(changed.pngs.drawn > 0);
    let redrawn = fs::read(&png).unwrap();
    assert!(redrawn.starts_with(b"\x89PNG") && !redrawn.ends_with(b"lumbung-test"));
    // … and without the cache every PNG is drawn.
    let mut o = site.options();
    o.png_cache = false;
    let uncached = site.build_with(&o).unwrap();
    assert_eq!(uncached.pngs.reused, 0);
    assert_eq!(uncached.pngs.drawn, first.pngs.drawn);
}

fn walk_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Each dated agenda item has an iCalendar file, and the agenda one for all of them: times in
/// UTC from the site's time zone, lines folded at 75 octets, linked from the pages.
#[test]
fn agenda_items_come_as_calendar_files() {
    let site = SiteTest::fixture("every-page");
    site.build_ok();
    let all = site.read("agenda/agenda.ics");
    assert!(
        all.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{all}"
    );
    assert!(all.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(all.matches("BEGIN:VEVENT").count(), 2, "{all}");
    assert!(all.lines().all(|l| l.len() <= 75), "{all}");
    // 09:00 WIB is 02:00 UTC; a day without a time is that day.
    assert!(all.contains("DTSTART:20250210T020000Z\r\n"), "{all}");
    assert!(
        all.contains("DTSTART;VALUE=DATE:20230502\r\nDTEND;VALUE=DATE:20230503\r\n"),
        "{all}"
    );
    let item = site.read("agenda/rakor-2025/acara.ics");
    assert_eq!(item.matches("BEGIN:VEVENT").count(), 1);
    assert!(
        site.read("agenda/rakor-2025/index.html")
            .contains("href=\"/agenda/rakor-2025/acara.ics\"")
    );
    assert!(
        site.read("agenda/index.html")
            .contains("href=\"/agenda/agenda.ics\"")
    );

    // In WIT (Papua) the same 09:00 is 00:00 UTC.
    site.replace("lumbung.toml", "base_url", "timezone = \"WIT\"\nbase_url");
    site.build_ok();
    assert!(
        site.read("agenda/agenda.ics")
            .contains("DTSTART:20250210T000000Z\r\n")
    );
    site.replace("lumbung.toml", "timezone = \"WIT\"", "timezone = \"UTC+7\"");
    site.build_err().expect(
        lumbung::diagnostic::Code::ConfigTimezone,
        "lumbung.toml",
        text(3, 1),
    );
}

#[test]
fn a_programme_page_lists_where_it_has_figures_or_news() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_to(&repo(), &out).unwrap_or_else(|d| panic!("{d}"));
    let section = |page: &str| {
        let html = main_of(&read(&out, page));
        let at = html
            .find("id=\"wilayah-program\"")
            .unwrap_or_else(|| panic!("{page}: no regions section"));
        html[at..].to_string()
    };
    // PKH: figures for Jawa Timur (by stage, 2020) and for the kab/kota of Banten and Jawa
    // Timur (illustrative), news naming Banten and Jawa Timur.
    let pkh = section("program/pkh/index.html");
    assert!(
        pkh.contains(">Banten</a> <span class=\"meta\">(berita)</span>"),
        "{pkh}"
    );
    assert!(pkh.contains(">Jawa Timur</a> <span class=\"meta\">(data · berita)</span>"));
    let data = |prov: &str| {
        let at = pkh.find(&format!(">{prov}</a>")).unwrap();
        let rest = &pkh[at..];
        rest[..rest.find("</li>").unwrap()].to_string()
    };
    assert!(data("Banten").contains("<span class=\"meta\">Data:</span>"));
    assert!(data("Banten").contains(">Kota Serang</a>"));
    assert!(data("Jawa Timur").contains(">Kabupaten Jember</a>"));
    assert!(!data("Banten").contains("Berita:"));
    // SLRT: news of Kabupaten Bantaeng only, listed under its province.
    let slrt = section("program/slrt-puskesos/index.html");
    assert!(slrt.contains(">Sulawesi Selatan</a>"), "{slrt}");
    assert!(slrt.contains("<span class=\"meta\">Berita:</span> <a href=\"/wilayah/73.03-kabupaten-bantaeng/\">Kabupaten Bantaeng</a>"), "{slrt}");
    assert!(!slrt.contains("Data:"));
    assert!(!slrt.contains(">Banten</a>"));
}

#[test]
fn compare_pages_put_every_kabupaten_on_one_scale_and_work_without_javascript() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_to(&repo(), &out).unwrap_or_else(|d| panic!("{d}"));
    // Banten's eight kab/kota, each at its anchor, every chart on the same y scale.
    let banten = read(&out, "bandingkan/36-banten/p0/index.html");
    let members = banten.matches("<div class=\"multiple\" id=\"w-36.").count();
    assert_eq!(members, 8, "Banten's kab/kota");
    assert_eq!(banten.matches("<svg").count(), members, "one chart each");
    for tick in [">0%</text>", ">5%</text>", ">10%</text>", ">15%</text>"] {
        assert_eq!(
            banten.matches(tick).count(),
            members,
            "every chart has the tick {tick}"
        );
    }
    assert!(banten.contains("<table>"), "the figures as a table");
    // A kab/kota page links to its place among its neighbours; a province to its kab/kota.
    let kota = read(&out, "wilayah/36.73-kota-serang/index.html");
    assert!(kota.contains("href=\"/bandingkan/36-banten/p0/#w-36.73\""));
    let province = read(&out, "wilayah/36-banten/index.html");
    assert!(province.contains("href=\"/bandingkan/36-banten/p0/\""));
    assert!(province.contains("href=\"/bandingkan/indonesia/p0/#w-36\""));
    // The chooser: hidden without JavaScript, above the list of every compare page.
    let index = read(&out, "bandingkan/index.html");
    assert!(index.contains("<form id=\"pilih\" class=\"compare-form\" hidden>"));
    assert!(index.contains("href=\"/bandingkan/35-jawa-timur/p0/\""));
    assert!(index.contains("<script type=\"module\" src=\"/bandingkan.js\"></script>"));
    // Its figures: one value per period for every region, null where there is none.
    let data: serde_json::Value = serde_json::from_str(&read(&out, "bandingkan/p0.json")).unwrap();
    let periods = data["periode"].as_array().unwrap().len();
    let regions = data["wilayah"].as_array().unwrap();
    assert!(
        regions
            .iter()
            .all(|w| w["nilai"].as_array().unwrap().len() == periods)
    );
    let serang = regions.iter().find(|w| w["kode"] == "36.73").unwrap();
    assert_eq!(serang["nama"], "Kota Serang");
    assert!(
        serang["nilai"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v.is_null()),
        "no September figure is made up"
    );
}
