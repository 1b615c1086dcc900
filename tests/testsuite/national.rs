//! The whole country from the real BPS exports: import every kab/kota, province, province-by-daerah
//! and national-by-daerah table, build a portal with the real kab/kota boundaries, and check that
//! every figure carries the period its source gives, that Indonesia's series is complete, that
//! province pages split perkotaan and perdesaan, and that 50 random source cells are published
//! as they were written.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::harness::*;
use lumbung::data::registry::{Jenis, Registry};
use lumbung::import::aliases::Aliases;
use lumbung::import::names::{Level, Matcher};
use lumbung::import::wilayah::{Levels, import_wilayah};
use lumbung::import::{BpsSettings, import_bps};

/// Every BPS table of `../shared/realdata`.
fn all_tables(real: &Path) -> Vec<PathBuf> {
    [
        "bps-kabkota/(P0) Menurut Kabupaten_Kota",
        "bps-kabkota/(P1) Menurut Kabupaten_Kota",
        "bps-kabkota/(P2) Menurut Kabupaten_Kota",
        "bps-kabkota/Garis Kemiskinan Menurut Kabupaten_Kota",
        "bps-kabkota/Jumlah Penduduk Miskin (Ribu Jiwa) Menurut KabupatenKota.csv",
        "bps-provinsi",
        "bps-provinsi-daerah/(P0) Menurut Provinsi",
        "bps-provinsi-daerah/(P0) Menurut Daerah",
        "bps-provinsi-daerah/Garis Kemiskinan (Rupiah_Kapita_Bulan) Menurut Daerah",
        "bps-provinsi-daerah/Garis Kemiskinan (Rupiah_Kapita_Bulan) Menurut Provinsi dan Daerah",
    ]
    .iter()
    .map(|r| {
        let p = real.join(r);
        assert!(p.exists(), "missing {}", p.display());
        p
    })
    .collect()
}

/// The corrections the README's national example ships: values no check can settle.
const CORRECTIONS: &str = "kode_wilayah,tahun,periode,dimensi,kolom,nilai_terbit,nilai_koreksi,alasan,sumber\n\
31,2012,September,daerah=Perdesaan,p0,0,,DKI Jakarta tidak memiliki daerah perdesaan; 0 bukan angka kemiskinan,\n\
31,2016,September,daerah=Perdesaan,p0,0,,DKI Jakarta tidak memiliki daerah perdesaan; 0 bukan angka kemiskinan,\n";

/// A region's tidy download as (dataset row fields) → list of (periode, nilai, catatan).
type Tidy = BTreeMap<(String, String, String, String), Vec<(String, String, String)>>;

fn read_tidy(out: &Path, dir: &str) -> Tidy {
    let text = read(out, &format!("wilayah/{dir}/data.csv"));
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut t = Tidy::new();
    for rec in rdr.records() {
        let r = rec.unwrap();
        // dataset,kode_wilayah,nama_wilayah,tahun,periode,dimensi,ukuran,nilai,satuan,catatan
        t.entry((
            r[1].to_string(),
            r[3].to_string(),
            r[5].to_string(),
            r[6].to_string(),
        ))
        .or_default()
        .push((r[4].to_string(), r[7].to_string(), r[9].to_string()));
    }
    t
}

#[test]
fn the_whole_country_from_every_real_table() {
    let real = realdata();
    let site = SiteTest::empty();
    let root = site.root();
    let boundaries = real.join("geo/kabkota_514_simplified.geojson");
    site.write(
        "lumbung.toml",
        &format!(
            "title = \"Uji nasional\"\nbase_url = \"https://uji.example.org/\"\n\n[maps]\nboundaries = \"{}\"\n\n[charts]\npng = [\"rincian\", \"peta\"]\n",
            boundaries.display()
        ),
    );
    let registry = root.join("data/wilayah.csv");
    import_wilayah(
        &real.join("wilayah/kemendagri-2025.csv"),
        &registry,
        Levels::Kabkota,
        None,
    )
    .unwrap_or_else(|d| panic!("{d}"));

    // 1. Without a declared precedence the tables' disagreements stop the import.
    let settings = BpsSettings::default();
    let tables = all_tables(&real);
    let errors = import_bps(&registry, &root.join("data/x"), None, &tables, &settings)
        .expect_err("the Indonesia rows of the province tables disagree with the national series");
    let conflicts: Vec<_> = errors
        .errors()
        .filter(|d| d.code == lumbung::diagnostic::Code::ImportConflict)
        .collect();
    assert_eq!(conflicts.len(), 5, "{errors}");
    assert!(conflicts.iter().all(|d| d.message.contains("00 Indonesia")));
    assert!(!root.join("data/x").exists(), "nothing written");

    // 2. With the national series preferred, everything merges.
    let settings = BpsSettings {
        prefer: vec!["Menurut Daerah".into()],
        ..BpsSettings::default()
    };
    let out_ds = root.join("data/kemiskinan-bps");
    let report =
        import_bps(&registry, &out_ds, None, &tables, &settings).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(report.regions, (1, 38, 514), "{report}");
    assert_eq!(report.merge.overridden.len(), 5, "{report}");
    let period_of = |measure: &str, year: i32| {
        report
            .merge
            .periods
            .iter()
            .find(|l| l.starts_with(&format!("{measure} {year} (")))
            .cloned()
            .unwrap_or_default()
    };
    for y in 2012..=2014 {
        assert!(period_of("p0", y).contains("dicatat September"), "{y}");
    }
    for y in 2015..=2025 {
        assert!(period_of("p0", y).contains("dicatat Maret"), "{y}");
    }
    for y in 2008..=2011 {
        assert!(period_of("p0", y).contains("tidak terbukti"), "{y}");
    }
    fs::write(out_ds.join("koreksi.csv"), CORRECTIONS).unwrap();

    // 3. Build it.
    let summary = site.build_ok();
    let out = site.out();
    let reg = Registry::load(root, &registry).unwrap();
    assert_eq!(summary.regions, 514 + 38 + 1, "{summary}");
    assert_eq!(summary.indicators, 5, "{summary}");
    let pages: BTreeMap<String, String> = fs::read_dir(out.join("wilayah"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.split_once('-').map(|(k, _)| (k.to_string(), n.clone())))
        .collect();
    let kabkota: Vec<&str> = reg
        .regions
        .values()
        .filter(|r| matches!(r.jenis, Jenis::Kabupaten | Jenis::Kota))
        .map(|r| r.kode.as_str())
        .collect();
    for k in &kabkota {
        let dir = pages.get(*k).unwrap_or_else(|| panic!("no page for {k}"));
        let html = read(&out, &format!("wilayah/{dir}/index.html"));
        assert!(html.contains("id=\"p0\""), "{k} has no P0 section");
    }
    // `[charts] png = ["rincian", "peta"]`: the provinces' bars and maps get PNGs (about 400
    // instead of 3,200), the lines over time SVG only, and no page links a PNG it lacks.
    let jatim = format!("wilayah/{}", pages["35"]);
    for f in [
        "p0.svg",
        "p0-rincian.svg",
        "p0-rincian.png",
        "p0-peta.svg",
        "p0-peta.png",
    ] {
        assert!(out.join(&jatim).join(f).is_file(), "{jatim}/{f}");
    }
    assert!(!out.join(&jatim).join("p0.png").exists());
    assert!(!read(&out, &format!("{jatim}/index.html")).contains("/p0.png"));
    assert!(summary.pngs.drawn + summary.pngs.reused < 600, "{summary}");
    // The national descriptors pass the reference validator: the dataset (with its 553
    // regions as the foreign key's target), every indicator, and a region of each level.
    let mut descriptors = vec![out.join("data/kemiskinan-bps/datapackage.json")];
    for e in fs::read_dir(out.join("indikator")).unwrap() {
        let p = e.unwrap().path().join("datapackage.json");
        if p.exists() {
            descriptors.push(p);
        }
    }
    assert!(descriptors.len() >= 6, "{descriptors:?}");
    descriptors.push(out.join("wilayah/indonesia/datapackage.json"));
    for k in ["36", "36.73", "11.01"] {
        let dir = pages.get(k).unwrap_or_else(|| panic!("no page for {k}"));
        descriptors.push(out.join(format!("wilayah/{dir}/datapackage.json")));
    }
    crate::harness::frictionless(&descriptors);

    // Search, as a reader in Chromium: the old BPS name finds Kabupaten Toba, "kota serang"
    // puts Kota Serang first, "p0" finds the indicator; each query fetches at most 100 KB of
    // index, and without JavaScript the box lands on the A–Z list naming the same pages.
    let found = crate::harness::search_in_browser(
        &crate::harness::serve(&out),
        &["toba samosir", "kota serang", "p0"],
    );
    let region_url = |k: &str| format!("/wilayah/{}/", pages[k]);
    for (q, want) in [
        ("toba samosir", region_url("12.12")),
        ("kota serang", region_url("36.73")),
        ("p0", "/indikator/p0/".to_string()),
    ] {
        let e = found
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["query"] == q)
            .unwrap();
        assert_eq!(e["errors"], serde_json::json!([]), "{e:#}");
        assert_eq!(e["results"][0]["url"], want.as_str(), "{q}: {e:#}");
        let bytes = e["bytes"].as_u64().unwrap();
        println!("search {q:?}: {bytes} bytes in {} files", e["files"]);
        assert!(bytes > 0 && bytes <= 100_000, "{q}: {bytes} bytes of index");
        if q != "p0" {
            let lines = e["nojs"].as_array().unwrap();
            assert!(
                lines.iter().any(|l| l["url"] == want.as_str()),
                "{q} without JavaScript: {e:#}"
            );
        }
    }

    let kota = read(&out, &format!("wilayah/{}/index.html", pages["36.73"]));
    assert!(kota.contains("<h1>Kota Serang</h1>"));
    assert!(
        kota.contains(
            "<th scope=\"row\" class=\"period\">Maret 2024</th><td class=\"num\">5,65</td>"
        ),
        "Kota Serang P0 Maret 2024, a proven period"
    );
    assert!(
        kota.contains("<th scope=\"row\" class=\"period\">September 2013</th>"),
        "2013 is September, as the province rows prove"
    );
    let kab = read(&out, &format!("wilayah/{}/index.html", pages["36.04"]));
    assert!(
        kab.contains(
            "<th scope=\"row\" class=\"period\">Maret 2024</th><td class=\"num\">4,51</td>"
        ),
        "Kabupaten Serang P0 2024 is its own"
    );

    // Indonesia's series is complete from the national tables, with the national series' values.
    let nation = read_tidy(&out, "indonesia");
    for y in (1996..=2025).filter(|y| *y != 1997) {
        assert!(
            nation.contains_key(&(
                "00".into(),
                y.to_string(),
                "daerah=Jumlah".into(),
                "p0".into()
            )),
            "Indonesia has no P0 for {y}"
        );
    }
    let p0 = |y: &str, p: &str| {
        nation[&("00".into(), y.into(), "daerah=Jumlah".into(), "p0".into())]
            .iter()
            .find(|(per, _, _)| per == p)
            .map(|(_, v, _)| v.clone())
    };
    assert_eq!(p0("2017", "Maret").as_deref(), Some("10.64"));
    assert_eq!(p0("2018", "Maret").as_deref(), Some("9.82"));
    let gk = &nation[&(
        "00".into(),
        "2022".into(),
        "daerah=Jumlah".into(),
        "garis_kemiskinan".into(),
    )];
    assert!(
        gk.iter().any(|(p, v, _)| p == "Maret" && v == "505469"),
        "{gk:?}"
    );

    // Province pages show the perkotaan/perdesaan split, as a chart and a table.
    let aceh_dir = &pages["11"];
    let aceh = read(&out, &format!("wilayah/{aceh_dir}/index.html"));
    assert!(aceh.contains("menurut daerah"), "no split on Aceh's page");
    assert!(aceh.contains(">Perkotaan</th>") && aceh.contains(">Perdesaan</th>"));
    assert!(
        out.join(format!("wilayah/{aceh_dir}/p0-daerah.svg"))
            .is_file()
    );
    assert!(out.join("indikator/p0/perkotaan/index.html").is_file());

    // Held-back values are shown as held back, with the reason, on the page and in the download.
    let jakarta_dir = &pages["31"];
    let jakarta = read(&out, &format!("wilayah/{jakarta_dir}/index.html"));
    assert!(
        jakarta.contains("tidak memiliki daerah perdesaan"),
        "no note on Jakarta's page"
    );
    let jt = read_tidy(&out, jakarta_dir);
    let held = &jt[&(
        "31".into(),
        "2012".into(),
        "daerah=Perdesaan".into(),
        "p0".into(),
    )];
    assert!(
        held.iter()
            .any(|(_, v, c)| v.is_empty() && c.contains("ditahan")),
        "{held:?}"
    );

    // Every kab/kota is coloured on its province's P0 map; the largest map is small.
    let mut largest = 0usize;
    for prov in reg.regions.values().filter(|r| r.jenis == Jenis::Provinsi) {
        let html = read(&out, &format!("wilayah/{}/index.html", pages[&prov.kode]));
        let start = html
            .find("id=\"peta-p0-title\"")
            .unwrap_or_else(|| panic!("no P0 map on {}", prov.nama));
        let svg_start = html[..start].rfind("<svg").unwrap();
        let svg_end = start + html[start..].find("</svg>").unwrap() + 6;
        let svg = &html[svg_start..svg_end];
        largest = largest.max(svg.len());
        for child in &prov.children {
            assert!(
                svg.contains(&format!(" data-kode=\"{child}\" fill=\"#")),
                "{child} is not coloured on the map of {}",
                prov.nama
            );
        }
    }
    assert!(largest < 150 * 1024, "largest map is {largest} bytes");
    // Every region page within the weight budget (60 KB gzip with its CSS), and no script.
    let (heavy, weights) = crate::quality::weight_problems(&out);
    assert!(
        weights.len() >= pages.len(),
        "{} region pages weighed",
        weights.len()
    );
    assert!(heavy.is_empty(), "{heavy:#?}");

    // A region page prints as one A4 "Profil Kemiskinan …": the nation, the eight longest
    // province pages, the split provinces (Papua, Papua Barat), DKI Jakarta (held values),
    // a kabupaten and a kota.
    let mut provinces: Vec<(u64, &str)> = reg
        .regions
        .values()
        .filter(|r| r.jenis == Jenis::Provinsi)
        .map(|r| {
            let file = out.join(format!("wilayah/{}/index.html", pages[&r.kode]));
            (fs::metadata(file).unwrap().len(), r.kode.as_str())
        })
        .collect();
    provinces.sort_unstable_by(|a, b| b.cmp(a));
    let mut printed: Vec<String> = vec!["/wilayah/indonesia/".into()];
    printed.extend(
        provinces
            .iter()
            .take(8)
            .map(|(_, k)| *k)
            .chain(["91", "92", "31", "35.09", "36.73"])
            .map(region_url),
    );
    printed.sort();
    printed.dedup();
    let prints = crate::harness::print_in_browser(&crate::harness::serve(&out), &printed);
    for p in prints.as_array().unwrap() {
        assert_eq!(p["pages"], 1, "{p}");
        assert!(
            p["first"]
                .as_str()
                .unwrap()
                .starts_with("Profil Kemiskinan "),
            "{p}"
        );
    }

    // The quality checks of docs/quality.md at national scale (axe at 360 and 1280 px, overflow,
    // browser errors, the Nu HTML Checker, one printed page): the region index with its 38
    // provinces, the longest province page, a split province, a kab/kota, the indicator page
    // with its 38 maps, Jawa Timur's 38 kab/kota on one scale and the chooser.
    let largest = format!("/wilayah/{}/", pages[provinces[0].1]);
    let quality = serde_json::json!({
        "pages": ["/wilayah/", largest, "/wilayah/91-papua/", region_url("35.09"),
                  "/indikator/p0/", "/bandingkan/35-jawa-timur/p0/",
                  "/bandingkan/?i=p0&w=35.09,91,31.71"],
        "print": region_url("35.09"),
    });
    fs::write(out.join("quality.json"), quality.to_string()).unwrap();
    crate::harness::quality_checks(&out);

    // 4. Fifty random cells of the source files, found as written on the pages and downloads.
    random_cells_are_published(&real, &reg, &out, &pages);
}

/// A cell of a kab/kota source table: region code, year, measure field, value as written.
struct SourceCell {
    kode: String,
    year: String,
    measure: &'static str,
    text: String,
}

/// Reads the kab/kota rows of the kab/kota tables, matching names as the importer does.
fn kabkota_cells(real: &Path, reg: &Registry) -> Vec<SourceCell> {
    let aliases = Aliases::builtin(reg);
    let matcher = Matcher::new(reg, &aliases);
    let mut out = Vec::new();
    for (folder, measure) in [
        ("(P0) Menurut Kabupaten_Kota", "p0"),
        ("(P1) Menurut Kabupaten_Kota", "p1"),
        ("(P2) Menurut Kabupaten_Kota", "p2"),
        (
            "Garis Kemiskinan Menurut Kabupaten_Kota",
            "garis_kemiskinan",
        ),
    ] {
        let mut files: Vec<PathBuf> = fs::read_dir(real.join("bps-kabkota").join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let year = f
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .rsplit(", ")
                .next()
                .unwrap()
                .to_string();
            let text = fs::read_to_string(&f).unwrap();
            let mut province = None;
            for line in text.lines().skip(3) {
                let Some((name, value)) = line.split_once(',') else {
                    continue;
                };
                let value = value.trim().trim_start_matches('\u{feff}');
                if name.chars().any(char::is_lowercase) {
                    let Ok(m) = matcher.find(name, Level::KabKota, province.as_deref()) else {
                        continue;
                    };
                    if value.parse::<f64>().is_ok() {
                        out.push(SourceCell {
                            kode: m.kode,
                            year: year.clone(),
                            measure,
                            text: value.to_string(),
                        });
                    }
                } else {
                    province = matcher
                        .find(name, Level::Province, None)
                        .ok()
                        .map(|m| m.kode);
                }
            }
        }
    }
    out
}

fn random_cells_are_published(
    real: &Path,
    reg: &Registry,
    out: &Path,
    pages: &BTreeMap<String, String>,
) {
    let cells = kabkota_cells(real, reg);
    assert!(cells.len() > 40_000, "{} cells read", cells.len());
    // A fixed linear congruential sequence: the same 50 cells every run, spread over the tables.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut checked = 0;
    while checked < 50 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let c = &cells[(state >> 33) as usize % cells.len()];
        let dir = &pages[&c.kode];
        let tidy = read_tidy(out, dir);
        let rows = tidy
            .get(&(
                c.kode.clone(),
                c.year.clone(),
                "daerah=Jumlah".into(),
                c.measure.into(),
            ))
            .unwrap_or_else(|| {
                panic!("{} {} {} is not in its download", c.kode, c.year, c.measure)
            });
        let want: f64 = c.text.parse().unwrap();
        let found = rows.iter().any(|(_, v, note)| {
            v.parse::<f64>().is_ok_and(|v| (v - want).abs() < 1e-9)
                || (v.is_empty() && note.contains("ditahan"))
        });
        assert!(
            found,
            "{} {} {}: source {} but published {rows:?}",
            c.kode, c.year, c.measure, c.text
        );
        if c.measure == "p0" {
            let html = read(out, &format!("wilayah/{dir}/index.html"));
            // P0 is below 100: two decimals with a decimal comma, no thousands mark.
            let shown = format!("{want:.2}").replace('.', ",");
            assert!(
                html.contains(&format!("<td class=\"num\">{shown}</td>")),
                "{} {}: {shown} is not on the page",
                c.kode,
                c.year
            );
        }
        checked += 1;
    }
}
