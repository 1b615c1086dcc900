//! The whole country from the real BPS exports: import every kab/kota table and the province
//! tables, build a portal with the real kab/kota boundaries, and check every kab/kota's page and map.

use std::collections::BTreeMap;
use std::fs;

use crate::harness::*;
use lumbung::data::registry::{Jenis, Registry};
use lumbung::import::wilayah::{Levels, import_wilayah};
use lumbung::import::{BpsSettings, import_bps};

#[test]
fn imported_national_data_builds_a_page_and_a_coloured_map_for_every_kabkota() {
    let real = realdata();
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    fs::create_dir_all(root.join("data")).unwrap();
    let boundaries = real.join("geo/kabkota_514_simplified.geojson");
    assert!(boundaries.is_file(), "missing {}", boundaries.display());
    fs::write(
        root.join("lumbung.toml"),
        format!(
            "title = \"Uji nasional\"\nbase_url = \"https://uji.example.org/\"\n\n[maps]\nboundaries = \"{}\"\n",
            boundaries.display()
        ),
    )
    .unwrap();

    // 1. The registry from the Kemendagri list, provinces and kab/kota.
    let registry = root.join("data/wilayah.csv");
    import_wilayah(
        &real.join("wilayah/kemendagri-2025.csv"),
        &registry,
        Levels::Kabkota,
    )
    .unwrap_or_else(|d| panic!("{d}"));
    // 2. Every kab/kota table (P0, P1, P2, garis kemiskinan, jumlah), as `lumbung import bps` does.
    let inputs = vec![
        real.join("bps-kabkota/(P0) Menurut Kabupaten_Kota"),
        real.join("bps-kabkota/(P1) Menurut Kabupaten_Kota"),
        real.join("bps-kabkota/(P2) Menurut Kabupaten_Kota"),
        real.join("bps-kabkota/Garis Kemiskinan Menurut Kabupaten_Kota"),
        real.join("bps-kabkota/Jumlah Penduduk Miskin (Ribu Jiwa) Menurut KabupatenKota.csv"),
    ];
    let report = import_bps(
        &registry,
        &root.join("data/bps-kabkota"),
        None,
        &inputs,
        &BpsSettings::default(),
    )
    .unwrap_or_else(|d| panic!("{d}"));
    assert!(report.to_string().contains("514"), "{report}");

    // 3. Build it.
    let out = root.join("public");
    let summary = build_to(root, &out).unwrap_or_else(|d| panic!("{d}"));
    let reg = Registry::load(root, &registry).unwrap();
    let kabkota: Vec<&str> = reg
        .regions
        .values()
        .filter(|r| matches!(r.jenis, Jenis::Kabupaten | Jenis::Kota))
        .map(|r| r.kode.as_str())
        .collect();
    assert_eq!(kabkota.len(), 514);
    assert_eq!(summary.regions, 514 + 38 + 1, "{summary}");

    // Every kab/kota has its page, with its own P0 figure.
    let pages: BTreeMap<String, String> = fs::read_dir(out.join("wilayah"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.split_once('-').map(|(k, _)| (k.to_string(), n.clone())))
        .collect();
    for k in &kabkota {
        let dir = pages.get(*k).unwrap_or_else(|| panic!("no page for {k}"));
        let html = read(&out, &format!("wilayah/{dir}/index.html"));
        assert!(html.contains("id=\"p0\""), "{k} has no P0 section");
    }
    let kota = read(&out, &format!("wilayah/{}/index.html", pages["36.73"]));
    assert!(kota.contains("<h1>Kota Serang</h1>"));
    assert!(
        kota.contains(
            "<th scope=\"row\" class=\"period\">Maret 2024</th><td class=\"num\">5,65</td>"
        ),
        "Kota Serang P0 2024 from the real data"
    );
    let kab = read(&out, &format!("wilayah/{}/index.html", pages["36.04"]));
    assert!(
        kab.contains(
            "<th scope=\"row\" class=\"period\">Maret 2024</th><td class=\"num\">4,51</td>"
        ),
        "Kabupaten Serang P0 2024 is its own"
    );

    // Every kab/kota is coloured (not hatched) on its province's P0 map; the largest map is small.
    let mut largest = (0usize, String::new());
    for prov in reg.regions.values().filter(|r| r.jenis == Jenis::Provinsi) {
        let html = read(&out, &format!("wilayah/{}/index.html", pages[&prov.kode]));
        let start = html
            .find("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox")
            .and_then(|_| html.find("id=\"peta-p0-title\""))
            .unwrap_or_else(|| panic!("no P0 map on {}", prov.nama));
        let svg_start = html[..start].rfind("<svg").unwrap();
        let svg_end = start + html[start..].find("</svg>").unwrap() + 6;
        let svg = &html[svg_start..svg_end];
        if svg.len() > largest.0 {
            largest = (svg.len(), prov.nama.clone());
        }
        for child in &prov.children {
            let needle = format!("<path data-kode=\"{child}\" fill=\"#");
            assert!(
                svg.contains(&needle),
                "{child} is not coloured on the map of {}",
                prov.nama
            );
        }
    }
    // Each province's map and bar chart are also files, with the title and source inside.
    let jatim = &pages["35"];
    let map = read(&out, &format!("wilayah/{jatim}/p0-peta.svg"));
    assert!(map.contains("Peta persentase penduduk miskin (P0) di Jawa Timur"));
    assert!(map.contains("Sumber: Badan Pusat Statistik"));
    assert!(
        map.contains("<path data-kode=\"35.78\" fill=\"#"),
        "Kota Surabaya on the downloadable map"
    );
    let png = fs::read(out.join(format!("wilayah/{jatim}/p0-peta.png"))).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let html = read(&out, &format!("wilayah/{jatim}/index.html"));
    assert!(html.contains(&format!("href=\"/wilayah/{jatim}/p0-peta.png\" download")));
    assert!(html.contains(&format!(
        "href=\"/wilayah/{jatim}/p0-rincian.svg\" download"
    )));
    assert!(
        largest.0 < 150 * 1024,
        "largest map {} is {} bytes",
        largest.1,
        largest.0
    );
    println!(
        "largest province map: {} ({} KB)",
        largest.1,
        largest.0 / 1024
    );
}
