//! Charts and maps drawn as SVG at build time: line, bar, tile-grid and choropleth, plus PNG export and text descriptions.

pub mod bar;
mod breaks;
pub mod choropleth;
pub mod classes;
pub mod describe;
pub mod font;
pub mod geo;
pub mod line;
pub mod raster;
pub mod standalone;
pub mod style;
pub mod tilegrid;

pub use bar::{Bar, BarChart, bar_chart};
pub use choropleth::choropleth;
pub use describe::describe_trend;
pub use geo::{Boundaries, load_boundaries};
pub use line::{LineChart, LineSeries, PointMark, SeriesRole, TargetLine, line_chart};
pub use raster::to_png;
pub use standalone::standalone;
pub use tilegrid::{MapSpec, MapValue, tile_grid_map};

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// Drawings that two jobs of a build need (a region page shows the line chart its SVG file
/// holds): drawn by whichever comes first, handed to the other, then forgotten. At most
/// [`Pairs::WAITING`] wait for their second job, so a drawing whose other job is not run (a
/// file kept from the last build) costs nothing but the time to draw it.
#[derive(Debug, Default)]
pub(crate) struct Pairs {
    waiting: Mutex<HashMap<String, Arc<str>>>,
}

impl Pairs {
    /// How many drawings may wait for their second job.
    pub(crate) const WAITING: usize = 4096;

    /// The drawing named `key`: the one the other job drew, else `draw()`.
    pub(crate) fn get(&self, key: String, draw: impl FnOnce() -> String) -> Arc<str> {
        let waiting = || self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(svg) = waiting().remove(&key) {
            return svg;
        }
        let svg: Arc<str> = draw().into();
        let mut w = waiting();
        // Drawn by both at once: neither waits for the other any more.
        if w.remove(&key).is_none() && w.len() < Self::WAITING {
            w.insert(key, svg.clone());
        }
        svg
    }

    /// How many drawings wait for their second job.
    #[cfg(test)]
    pub(crate) fn waiting(&self) -> usize {
        self.waiting.lock().map_or(0, |w| w.len())
    }
}

#[cfg(test)]
mod edge_cases {
    use super::*;

    #[test]
    fn a_pair_draws_once_and_forgets() {
        let pairs = Pairs::default();
        let drawn = std::cell::Cell::new(0);
        let draw = || {
            drawn.set(drawn.get() + 1);
            "<svg/>".to_string()
        };
        let first = pairs.get("a".into(), draw);
        assert_eq!(pairs.waiting(), 1);
        let second = pairs.get("a".into(), || unreachable!("drawn by the first"));
        assert_eq!((&*first, &*second, drawn.get()), ("<svg/>", "<svg/>", 1));
        assert_eq!(pairs.waiting(), 0, "forgotten once both had it");
        for i in 0..Pairs::WAITING + 10 {
            pairs.get(i.to_string(), String::new);
        }
        assert_eq!(
            pairs.waiting(),
            Pairs::WAITING,
            "never more than WAITING wait"
        );
    }

    #[test]
    fn empty_and_degenerate_inputs_still_draw() {
        let mut c = line::tests::sample();
        c.x_labels = vec!["2024".into()];
        let one = line_chart(&c);
        assert!(one.contains("<circle") && one.contains("</svg>"));
        c.series.iter_mut().for_each(|s| s.values = vec![None]);
        assert!(line_chart(&c).contains(">Tidak ada data</text>"));
        c.series.clear();
        c.x_labels.clear();
        assert!(line_chart(&c).ends_with("</svg>\n"));

        let mut b = bar::tests::provinces();
        b.bars.clear();
        assert!(bar_chart(&b).ends_with("</svg>\n"));

        let mut m = tilegrid::tests::spec();
        m.values.clear();
        let t = tile_grid_map(&m);
        assert_eq!(
            t.matches("url(#peta-p0-nodata)").count(),
            39,
            "38 tiles + legend"
        );

        let empty = Boundaries::default();
        let svg = choropleth(&empty, &m);
        assert!(svg.ends_with("</svg>\n"));
    }
}

#[cfg(test)]
mod preview {
    /// Writes sample charts to /tmp/charts-preview/ for looking at:
    /// `cargo test --lib charts::preview -- --ignored`.
    #[test]
    #[ignore]
    fn write_previews() {
        let dir = std::path::Path::new("/tmp/charts-preview");
        std::fs::create_dir_all(dir).expect("create /tmp/charts-preview");
        let line = super::line::line_chart(&super::line::tests::sample());
        save(dir, "line", &line);
        save(
            dir,
            "line-standalone",
            &super::standalone(
                &line,
                "Persentase penduduk miskin Kota Serang, Banten dan Indonesia, Maret 2015–2024",
                "Badan Pusat Statistik",
                "https://lumbung.example/wilayah/36.73/",
            ),
        );
        let mut rp = super::line::tests::sample();
        rp.id = "gk".into();
        rp.unit = "rupiah/kapita/bulan".into();
        rp.decimals = 0;
        rp.series[0].name = "Kabupaten Kepulauan Siau Tagulandang Biaro".into();
        for s in &mut rp.series {
            for v in s.values.iter_mut().flatten() {
                *v *= 61_000.0;
            }
        }
        rp.series[1].values[9] = None;
        rp.series[1].values[8] = None;
        save(dir, "line-rupiah", &super::line_chart(&rp));
        let mut jiwa = super::line::tests::sample();
        jiwa.id = "jiwa".into();
        jiwa.unit = "ribu jiwa".into();
        jiwa.decimals = 1;
        jiwa.x_labels = (2004..=2025).map(|y| y.to_string()).collect();
        jiwa.series = vec![super::LineSeries {
            name: "Jawa Timur".into(),
            role: super::SeriesRole::Focus,
            values: (0..22)
                .map(|i| (i != 7).then(|| 7000.0 - f64::from(i) * 120.5))
                .collect(),
            breaks: Vec::new(),
        }];
        save(dir, "line-jiwa", &super::line_chart(&jiwa));
        save(
            dir,
            "bar38",
            &super::bar_chart(&super::bar::tests::provinces()),
        );
        save(
            dir,
            "tilegrid",
            &super::tile_grid_map(&super::tilegrid::tests::spec()),
        );
        let b = super::load_boundaries(
            &super::geo::tests::realdata("kabkota_514_simplified.geojson"),
            None,
        )
        .expect("boundaries");
        let mut specs = super::choropleth::tests::province_specs(&b);
        let largest = specs
            .values()
            .map(|s| (super::choropleth(&b, s).len(), s.id.clone()))
            .max()
            .unwrap_or_default();
        println!("largest kab/kota map: {} ({} bytes)", largest.1, largest.0);
        for prov in ["35", "36", "31", "94"] {
            let mut spec = specs.remove(prov).expect("province");
            spec.values[1].value = None;
            save(
                dir,
                &format!("choropleth-{prov}"),
                &super::choropleth(&b, &spec),
            );
        }
    }

    fn save(dir: &std::path::Path, name: &str, svg: &str) {
        std::fs::write(dir.join(format!("{name}.svg")), svg).expect("write svg");
        let png = super::to_png(svg, 640).expect("render png");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write png");
    }
}
