//! Times chart drawing: line chart, 38-bar chart, tile grid, and the Jawa Timur kab/kota choropleth.
//! Run with `cargo bench --bench charts`; prints microseconds per chart.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use lumbung::charts::{
    Bar, BarChart, LineChart, LineSeries, MapSpec, MapValue, SeriesRole, bar_chart, choropleth,
    line_chart, load_boundaries, tile_grid_map, tilegrid::PROVINCES,
};

fn time<F: FnMut() -> String>(name: &str, iters: u32, mut f: F) {
    // Warm up (font registration, caches).
    let bytes = f().len();
    let start = Instant::now();
    for _ in 0..iters {
        black_box(f());
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(iters);
    println!("{name:<34} {per:>10.1} µs/chart  ({iters} iterations, {bytes} bytes of SVG)");
}

fn value(i: usize) -> f64 {
    4.0 + ((i * 37) % 29) as f64 * 0.93
}

fn main() {
    let years: Vec<String> = (2015..=2024).map(|y| format!("Mar {y}")).collect();
    let series = |name: &str, role, skip: usize| LineSeries {
        name: name.to_string(),
        role,
        values: (0..years.len())
            .map(|i| (i >= skip && i != 4).then(|| value(i + skip)))
            .collect(),
        breaks: Vec::new(),
    };
    let line = LineChart {
        id: "tren".into(),
        title: "Persentase penduduk miskin".into(),
        desc: "Kota Serang, Banten dan Indonesia".into(),
        unit: "persen".into(),
        decimals: 2,
        x_labels: years.clone(),
        series: vec![
            series("Kota Serang", SeriesRole::Focus, 0),
            series("Banten", SeriesRole::Parent, 3),
            series("Indonesia", SeriesRole::Nation, 0),
        ],
        breaks: Vec::new(),
        marks: Vec::new(),
        targets: Vec::new(),
        y_range: None,
    };
    let bars = BarChart {
        id: "bar".into(),
        title: "Persentase penduduk miskin menurut provinsi".into(),
        desc: "38 provinsi".into(),
        unit: "persen".into(),
        decimals: 2,
        bars: PROVINCES
            .iter()
            .enumerate()
            .map(|(i, p)| Bar {
                code: p.code.into(),
                label: p.name.into(),
                value: Some(value(i)),
                highlight: p.code == "36",
                href: Some(format!("/wilayah/{}/", p.code)),
            })
            .collect(),
        domain_max: None,
    };
    let tiles = MapSpec {
        id: "peta".into(),
        title: "Persentase penduduk miskin menurut provinsi".into(),
        desc: "Peta petak".into(),
        unit: "persen".into(),
        decimals: 2,
        lower_is_better: true,
        values: PROVINCES
            .iter()
            .enumerate()
            .map(|(i, p)| MapValue {
                code: p.code.into(),
                name: p.name.into(),
                value: Some(value(i)),
                href: Some(format!("/wilayah/{}/", p.code)),
            })
            .collect(),
    };
    let geo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/realdata/geo/kabkota_514_simplified.geojson");
    let load_start = Instant::now();
    let boundaries = match load_boundaries(&geo, None) {
        Ok(b) => b,
        Err(e) => panic!("cannot load {}: {e}", geo.display()),
    };
    println!(
        "{:<34} {:>10.1} µs (once, 514 kab/kota, GeoJSON 1,1 MB)",
        "load_boundaries",
        load_start.elapsed().as_secs_f64() * 1e6
    );
    let jatim = MapSpec {
        id: "peta-35".into(),
        title: "Persentase penduduk miskin, Jawa Timur".into(),
        desc: "Kabupaten/kota".into(),
        unit: "persen".into(),
        decimals: 2,
        lower_is_better: true,
        values: boundaries
            .features
            .iter()
            .filter(|(code, _)| code.starts_with("35."))
            .enumerate()
            .map(|(i, (code, f))| MapValue {
                code: code.clone(),
                name: f.name.clone().unwrap_or_default(),
                value: Some(value(i)),
                href: Some(format!("/wilayah/{code}/")),
            })
            .collect(),
    };

    time("line_chart (3 series, 10 points)", 2000, || {
        line_chart(&line)
    });
    time("bar_chart (38 bars)", 1000, || bar_chart(&bars));
    time("tile_grid_map (38 provinces)", 2000, || {
        tile_grid_map(&tiles)
    });
    time("choropleth (Jawa Timur, 38 kab/kota)", 200, || {
        choropleth(&boundaries, &jatim)
    });
}
