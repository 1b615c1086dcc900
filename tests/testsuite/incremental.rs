//! Builds with nothing changed: the previous output stands (counts and warnings reported
//! again); any change to an input or to the output folder makes the next build a full one.

use std::fs;

use lumbung::diagnostic::Code;

use crate::harness::*;

const CSV: &str = "data/kemiskinan/kemiskinan.csv";

#[test]
fn a_build_with_nothing_changed_keeps_the_output_and_any_change_builds_again() {
    let site = SiteTest::fixture("trust");
    // A held-back value gives the build a warning to report every time.
    site.replace(CSV, "36.73,2022,Maret,6.05", "36.73,2022,Maret,60.50");
    let first = site.build_ok();
    assert!(!first.nothing_changed);
    assert!(!first.warnings.is_empty());
    let before = snapshot(&site.out());

    // Nothing changed: the output is left as it is, with the same counts and warnings.
    let second = site.build_ok();
    assert!(second.nothing_changed, "{second}");
    assert_eq!(second.written, 0);
    assert_eq!(second.files, first.files);
    assert_eq!(second.unchanged, first.files);
    assert_eq!(second.pages, first.pages);
    assert_eq!(
        second.warnings, first.warnings,
        "the warnings are reported again"
    );
    assert_eq!(snapshot(&site.out()), before);

    // An input changed with the same size (a modification time may not move between two quick
    // writes; the fingerprint reads the bytes): built again, and the page shows it.
    site.replace(CSV, "36.73,2023,Maret,5.90", "36.73,2023,Maret,5.91");
    let third = site.build_ok();
    assert!(!third.nothing_changed);
    assert!(third.written > 0);
    assert!(
        site.read("wilayah/36.73-kota-serang/data.csv")
            .contains("5.91")
    );

    // A file of the output edited by hand: built again, and the file restored.
    let page = site.out().join("wilayah/36.73-kota-serang/index.html");
    let built = fs::read(&page).unwrap();
    fs::write(&page, "diubah").unwrap();
    let fourth = site.build_ok();
    assert!(!fourth.nothing_changed);
    assert_eq!(fs::read(&page).unwrap(), built);

    // A file added to the output: built again, and the stray file removed.
    site.build_ok();
    fs::write(site.out().join("lain.txt"), "x").unwrap();
    let fifth = site.build_ok();
    assert!(!fifth.nothing_changed);
    assert!(!site.out().join("lain.txt").exists());

    // Another output folder, or the cache turned off: a full build.
    let mut other = site.options();
    other.output = Some(site.outside("lain"));
    assert!(!site.build_with(&other).unwrap().nothing_changed);
    let mut no_cache = site.options();
    no_cache.png_cache = false;
    assert!(!site.build_with(&no_cache).unwrap().nothing_changed);
    assert!(site.build_ok().nothing_changed);
}

#[test]
fn a_broken_input_after_a_good_build_is_still_reported() {
    let site = SiteTest::fixture("trust");
    site.build_ok();
    site.replace(CSV, "36.73,2022,Maret,6.05", "36.73,2022,Maret,6;05");
    site.build_err();
    site.replace(CSV, "36.73,2022,Maret,6;05", "36.73,2022,Maret,6.05");
    // Back to the inputs of the last output: nothing to do.
    assert!(site.build_ok().nothing_changed);
}

/// The files that differ between two output folders (missing on either side or other bytes).
fn differing(a: &std::path::Path, b: &std::path::Path) -> Vec<String> {
    let (a, b) = (snapshot(a), snapshot(b));
    let mut names: Vec<String> = a
        .iter()
        .filter(|f| !b.contains(f))
        .chain(b.iter().filter(|f| !a.contains(f)))
        .map(|(p, _)| p.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// What a build kept from the last output without rendering it, and what it wrote.
fn kept_and_written(s: &lumbung::build::Summary) -> (usize, usize) {
    (s.kept, s.written)
}

/// After each kind of change, the build that keeps the files of unaffected jobs from the last
/// output writes byte for byte what a build from nothing writes: the dependencies each job
/// declares (`src/depends.rs`) are checked here against every class of input.
#[test]
fn a_partial_rebuild_writes_what_a_full_build_writes_after_every_kind_of_change() {
    let site = SiteTest::fixture("every-page");
    // A kecamatan without figures: it gets a page only once news names it (the site's shape).
    let registry = fs::read_to_string(site.root().join("data/wilayah.csv")).unwrap();
    site.write(
        "data/wilayah.csv",
        &format!("{registry}36.73.01,Kecamatan Serang,kecamatan,36.73\n"),
    );
    // In English too: the translation's pages have keys of their own.
    let config = fs::read_to_string(site.root().join("lumbung.toml")).unwrap();
    site.write(
        "lumbung.toml",
        &format!("{config}\n[languages.en]\ntitle = \"All Pages Test\"\n"),
    );
    site.write(
        "content/tentang.en.md",
        "+++\njudul = \"About\"\n+++\nA test site.\n",
    );
    // As `lumbung serve` builds: what `data/` yields is kept in memory between builds and
    // taken again while its files are the same (every edit below is then checked against it).
    let mut watching = site.options();
    watching.watching = true;
    let first = site.build_with(&watching).unwrap();
    assert_eq!(first.kept, 0);

    type Edit = (&'static str, fn(&SiteTest), bool);
    let edits: &[Edit] = &[
        (
            "the title of news about two regions",
            |s| {
                s.replace(
                    "content/berita/dua-serang.md",
                    "judul = \"Dua Serang, dua angka\"",
                    "judul = \"Dua Serang, dua angka baru\"",
                );
            },
            true,
        ),
        (
            "the body of news",
            |s| {
                s.replace("content/berita/banten.md", "Berita untuk", "Kabar untuk");
            },
            true,
        ),
        (
            "a paragraph added to news",
            |s| {
                s.replace(
                    "content/berita/banten.md",
                    "untuk provinsi.",
                    "untuk provinsi.\n\nParagraf tambahan.",
                );
            },
            true,
        ),
        (
            "news naming a kecamatan that had no page",
            |s| {
                s.write(
                    "content/berita/kecamatan.md",
                    "+++\njudul = \"Musrenbang Kecamatan Serang\"\ntanggal = 2024-08-01\nwilayah = [\"36.73.01\"]\n+++\nMusrenbang kecamatan.\n",
                );
            },
            true,
        ),
        (
            "a programme's short name",
            |s| {
                s.replace(
                    "content/program/pkh.md",
                    "singkatan = \"PKH\"",
                    "singkatan = \"P.K.H.\"",
                );
            },
            true,
        ),
        (
            "a figure",
            |s| {
                s.replace(
                    "data/kemiskinan/kemiskinan.csv",
                    "36.01;2024;Maret;Jumlah;8,64",
                    "36.01;2024;Maret;Jumlah;8,94",
                );
            },
            true,
        ),
        (
            "a correction",
            |s| {
                s.replace("data/kemiskinan/koreksi.csv", ",3.59,", ",3.60,");
            },
            true,
        ),
        (
            "news translated",
            |s| {
                s.write(
                    "content/berita/banten.en.md",
                    "+++\njudul = \"News about Banten\"\n+++\nNews for Banten.\n",
                );
            },
            true,
        ),
        (
            "a translation's words",
            |s| {
                s.replace("content/berita/banten.en.md", "News for", "A story for");
            },
            true,
        ),
        (
            "a programme translated (region pages link to it)",
            |s| {
                s.write(
                    "content/program/pkh.en.md",
                    "+++\njudul = \"Family Hope Programme\"\n+++\nCash for poor families.\n",
                );
            },
            true,
        ),
        (
            "the site's dictionary",
            |s| {
                s.write(
                    "i18n/en.toml",
                    "\"Persentase penduduk miskin (P0)\" = \"Poverty rate (P0)\"\n",
                );
            },
            true,
        ),
        (
            "a template of the site",
            |s| {
                let theme = fs::read_to_string(repo().join("themes/default/templates/region.html"))
                    .unwrap();
                let end = "{% endblock content %}";
                assert!(theme.contains(end));
                s.write(
                    "templates/region.html",
                    &theme.replace(end, &format!("<p>Templat situs</p>{end}")),
                );
            },
            true,
        ),
        (
            "a static file",
            |s| {
                s.write(
                    "static/img/baru.svg",
                    "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
                );
            },
            true,
        ),
        (
            "news removed",
            |s| {
                s.remove("content/berita/kecamatan.md");
            },
            true,
        ),
        (
            "the config",
            |s| {
                s.replace(
                    "lumbung.toml",
                    "title = \"Uji Semua Halaman\"",
                    "title = \"Uji Semua\"",
                );
            },
            // Every page shows the site's title; the search index's records do not, so
            // only the index is kept.
            true,
        ),
    ];
    for (n, (what, edit, keeps)) in edits.iter().enumerate() {
        edit(&site);
        let partial = site.build_with(&watching).unwrap();
        if *what == "a figure" {
            // Only Pandeglang's figure changed: of the regions' downloads only its four files
            // (CSV, JSON, XLSX, descriptor) are made again; the others' tables came out the same.
            let rendered = partial.timings.get("unduhan wilayah").map_or(0, |t| t.0);
            assert_eq!(rendered, 4, "{what}: {partial}");
        }
        // The search index is made again only when its records changed (a page's title,
        // summary, headings, tags or short name; a region that gains or loses its page): not
        // for a paragraph after the first, a figure, a translation, a template, a static file
        // or the site's title.
        let indexed = partial.timings.get("indeks pencarian").map_or(0, |t| t.0);
        let new_records = [
            "the title of news about two regions",
            "the body of news",
            "news naming a kecamatan that had no page",
            "a programme's short name",
            "news removed",
        ]
        .contains(what);
        assert_eq!(indexed > 0, new_records, "{what}: {partial}");
        let mut full = site.options();
        full.output = Some(site.outside(&format!("penuh-{n}")));
        let fresh = site.build_with(&full).unwrap();
        assert_eq!(
            fresh.kept, 0,
            "{what}: a new output folder renders everything"
        );
        let differing = differing(&site.out(), &site.outside(&format!("penuh-{n}")));
        assert!(
            differing.is_empty(),
            "{what}: the partial rebuild differs from a full build in {differing:?}"
        );
        let (kept, written) = kept_and_written(&partial);
        assert!(written > 0, "{what}: the change shows");
        assert_eq!(
            kept > 0,
            *keeps,
            "{what}: {kept} files kept from the last output ({partial})"
        );
    }
    // News is about regions: its title shows on their pages, which were rendered again.
    assert!(
        site.read("wilayah/36.73-kota-serang/index.html")
            .contains("dua angka baru")
    );
    // The English region page lists the translated news in English, with a link into English.
    let english = site.read("en/wilayah/36-banten/index.html");
    assert!(english.contains("News about Banten"), "{english}");
    assert!(english.contains("href=\"/en/berita/banten/\""));
    assert!(english.contains("Poverty rate (P0)"));
}

/// A page kept from the last output is checked again when a file or an anchor it links to is
/// gone, though nothing it depends on changed: the link check never trusts a kept page blindly.
#[test]
fn a_kept_page_whose_link_target_vanished_fails_the_build() {
    let site = SiteTest::fixture("every-page");
    // Region pages (kept when only content or static files change) link to a static file and
    // to an anchor of a content page, through a template of the site.
    let theme = fs::read_to_string(repo().join("themes/default/templates/region.html")).unwrap();
    let end = "{% endblock content %}";
    site.write(
        "templates/region.html",
        &theme.replace(
            end,
            &format!("<p><img src=\"/img/peta.svg\" alt=\"Peta\"> <a href=\"/tentang/#misi\">Misi</a></p>{end}"),
        ),
    );
    site.write(
        "static/img/peta.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write(
        "content/tentang.md",
        "+++\njudul = \"Tentang\"\n+++\n## Misi\n\nSitus uji.\n",
    );
    site.build_ok();

    // The static file removed: region pages are kept, yet the build fails at them.
    site.remove("static/img/peta.svg");
    let errors = site.build_err();
    let e = errors.expect_in(Code::BrokenLink, "wilayah/36-banten/index.html");
    assert!(e.message.contains("/img/peta.svg"), "{e}");
    site.write(
        "static/img/peta.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let back = site.build_ok();
    assert!(back.kept > 0, "{back}");

    // The anchor renamed on the content page: region pages are kept, yet the build fails.
    site.write(
        "content/tentang.md",
        "+++\njudul = \"Tentang\"\n+++\n## Visi\n\nSitus uji.\n",
    );
    let errors = site.build_err();
    let e = errors.expect_in(Code::BrokenAnchor, "wilayah/36-banten/index.html");
    assert!(e.message.contains("#misi"), "{e}");
    // A change that breaks nothing keeps the region pages and passes.
    site.write(
        "content/tentang.md",
        "+++\njudul = \"Tentang\"\n+++\n## Misi\n\nSitus uji, lagi.\n",
    );
    let ok = site.build_ok();
    assert!(ok.kept > 0 && ok.written > 0, "{ok}");
}

/// The build record is a file in the site folder: a path in it that leaves the output folder
/// is never kept, linked or read, and the build comes out as a full one would.
#[test]
fn a_tampered_record_cannot_reach_outside_the_output() {
    let site = SiteTest::fixture("every-page");
    site.write("rahasia.csv", "rahasia\n");
    site.build_ok();
    let dir = site.root().join(".lumbung-cache/build");
    let record = fs::read_dir(&dir).unwrap().next().unwrap().unwrap().path();
    let text = fs::read_to_string(&record).unwrap();
    let target = "\"wilayah/36-banten/data.csv\"";
    assert!(text.contains(target));
    fs::write(&record, text.replace(target, "\"../../rahasia.csv\"")).unwrap();
    site.replace("content/berita/banten.md", "Berita untuk", "Kabar untuk");
    site.build_ok();
    assert!(site.exists("wilayah/36-banten/data.csv"));
    let mut full = site.options();
    full.output = Some(site.outside("penuh"));
    site.build_with(&full).unwrap();
    assert_eq!(
        differing(&site.out(), &site.outside("penuh")),
        Vec::<String>::new()
    );
}

/// A chart's second key is made of what it is drawn from in this build. What a thread
/// described in the last build (as `lumbung serve` builds again and again in one process) must
/// never stand for it: here one thread draws the site's only chart in both builds.
#[test]
fn a_changed_figure_is_drawn_again_by_the_thread_that_drew_the_old_one() {
    let site = SiteTest::fixture("trust");
    // One chart: Banten's P0 over time (without the garis kemiskinan column).
    let csv = fs::read_to_string(site.root().join(CSV)).unwrap();
    let banten: String = csv
        .lines()
        .filter(|l| l.starts_with("kode_wilayah") || l.starts_with("36,"))
        .map(|l| format!("{}\n", &l[..l.rfind(',').unwrap()]))
        .collect();
    site.write(CSV, &banten);
    let package = fs::read_to_string(site.root().join("data/kemiskinan/datapackage.json")).unwrap();
    let p0 = package.find("\"lumbung:indicator\": \"p0\"}").unwrap() + 26;
    let end = package[p0..].find(']').unwrap() + p0;
    site.write(
        "data/kemiskinan/datapackage.json",
        &format!("{}\n      {}", &package[..p0], &package[end..]),
    );
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let mut watching = site.options();
    watching.watching = true;
    let first = one.install(|| site.build_with(&watching)).unwrap();
    assert_eq!(first.charts, 1, "{first}");
    site.replace(CSV, "36,2024,Maret,5.85", "36,2024,Maret,5.55");
    one.install(|| site.build_with(&watching)).unwrap();
    let svg = site.read("wilayah/36-banten/p0.svg");
    assert!(svg.contains("5,55") && !svg.contains("5,85"), "{svg}");
    let mut full = site.options();
    full.output = Some(site.outside("penuh"));
    site.build_with(&full).unwrap();
    let differing = differing(&site.out(), &site.outside("penuh"));
    assert!(differing.is_empty(), "{differing:?}");
}
