//! Choropleth maps from real boundaries: only the mapped regions, fitted, simplified, classed and linked.

use std::fmt::Write as _;

use super::classes::Classes;
use super::font;
use super::geo::{Boundaries, Feature, area2, simplify_ring};
use super::style::{self, FONT, LINE_H, WIDTH, esc, n1};
use super::tilegrid::{MapSpec, MapValue};
use crate::i18n::{t, tf};

const PAD: f64 = 6.0;
const MAX_MAP_H: f64 = 560.0;
/// Simplification tolerance as a share of the drawn extent (about half a pixel).
const TOLERANCE: f64 = 0.0008;

/// Draws the regions of `m.values` that have a shape in `b`, fitted to their bounding box
/// (equirectangular, x scaled by cos of the middle latitude), classed, with a legend.
pub fn choropleth(b: &Boundaries, m: &MapSpec) -> String {
    font::ensure_registered();
    let drawn: Vec<(&MapValue, &Feature)> = m
        .values
        .iter()
        .filter_map(|v| b.features.get(&v.code).map(|f| (v, f)))
        .collect();
    let unmapped: Vec<String> = m
        .values
        .iter()
        .filter(|v| !b.features.contains_key(&v.code))
        .map(|v| v.name.clone())
        .collect();

    // Extent in degrees.
    let mut bb = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for (_, f) in &drawn {
        let point = if f.polygons.is_empty() { f.point } else { None };
        for p in f.polygons.iter().flatten().flatten().chain(point.iter()) {
            bb = [
                bb[0].min(p[0]),
                bb[1].min(p[1]),
                bb[2].max(p[0]),
                bb[3].max(p[1]),
            ];
        }
    }
    let has_extent = bb[0].is_finite() && bb[2] > bb[0] && bb[3] > bb[1];
    if !has_extent {
        bb = [0.0, 0.0, 1.0, 1.0];
    }
    let kx = ((bb[1] + bb[3]) / 2.0).to_radians().cos();
    let (w_deg, h_deg) = ((bb[2] - bb[0]) * kx, bb[3] - bb[1]);
    let avail_w = WIDTH - 2.0 * PAD;
    let scale = (avail_w / w_deg).min(MAX_MAP_H / h_deg);
    let map_w = w_deg * scale;
    let map_h = if has_extent { h_deg * scale } else { 0.0 };
    let ox = PAD + (avail_w - map_w) / 2.0;
    let oy = PAD;
    let tol = TOLERANCE * map_w.max(map_h);
    let project = |p: &[f64; 2]| {
        [
            ox + (p[0] - bb[0]) * kx * scale,
            oy + (bb[3] - p[1]) * scale,
        ]
    };

    let present: Vec<f64> = drawn
        .iter()
        .filter_map(|(v, _)| v.value.filter(|x| x.is_finite()))
        .collect();
    // About two regions per class at least, at most five classes.
    let k = (present.len() / 2).clamp(1, 5);
    let classes = Classes::quantile(&present, k, &m.unit, m.decimals, m.lower_is_better);

    let mut shapes = String::new();
    let mut no_data = Vec::new();
    let mut as_points = Vec::new();
    for (v, f) in &drawn {
        let centre = if f.polygons.is_empty() {
            f.point.map(|p| project(&p))
        } else {
            tiny_centre(f, &project)
        };
        let (d, extra) = match centre {
            Some([x, y]) => {
                // No geometry in the file, or too small to see or point at: an outlined
                // circle at the region's place.
                if f.polygons.is_empty() {
                    as_points.push(v.name.clone());
                }
                let r = if f.polygons.is_empty() { 7.0 } else { 5.0 };
                (
                    format!(
                        "M{} {}a{r} {r} 0 1 0 {} 0a{r} {r} 0 1 0 {} 0Z",
                        n1(x - r),
                        n1(y),
                        2.0 * r,
                        -2.0 * r
                    ),
                    format!(" stroke=\"{}\" stroke-width=\"1.5\"", style::TEXT),
                )
            }
            None => (path_data(f, &project, tol), String::new()),
        };
        let value = v.value.filter(|x| x.is_finite());
        let fill = match value {
            Some(x) => classes.color_of(x).to_string(),
            None => {
                no_data.push(v.name.clone());
                format!("url(#{}-nodata)", esc(&m.id))
            }
        };
        let tip = match value {
            Some(x) => format!(
                "{}: {}",
                v.name,
                style::format_value(x, &m.unit, m.decimals)
            ),
            None => format!("{}: {}", v.name, t("tidak ada data")),
        };
        if let Some(h) = &v.href {
            let _ = writeln!(shapes, "<a href=\"{}\">", esc(h));
        }
        let _ = writeln!(
            shapes,
            "<path data-kode=\"{}\" fill=\"{}\"{extra} d=\"{}\"><title>{}</title></path>",
            esc(&v.code),
            fill,
            d,
            esc(&tip)
        );
        if v.href.is_some() {
            shapes.push_str("</a>\n");
        }
    }

    let legend_y = oy + map_h + 14.0;
    let (legend, mut legend_h) = classes.legend(&m.id, PAD, legend_y, WIDTH - 2.0 * PAD, &no_data);
    let mut note = String::new();
    let mut notes = Vec::new();
    if !as_points.is_empty() {
        notes.push(tf(
            "Batas wilayah tidak tersedia, ditandai lingkaran: {wilayah}",
            &[("wilayah", &as_points.join(", "))],
        ));
    }
    if !unmapped.is_empty() {
        notes.push(tf(
            "Tanpa batas wilayah di peta: {wilayah}",
            &[("wilayah", &unmapped.join(", "))],
        ));
    }
    for text in notes {
        for (i, line) in font::wrap(&text, FONT, WIDTH - 2.0 * PAD, false)
            .iter()
            .enumerate()
        {
            note.push_str(&style::text(
                PAD,
                legend_y + legend_h + 13.0 + i as f64 * LINE_H,
                "start",
                &format!("fill=\"{}\"", style::MUTED),
                line,
            ));
            legend_h += LINE_H;
        }
        legend_h += 4.0;
    }
    let height = (legend_y + legend_h + 4.0).ceil();
    let mut out = style::svg_open(
        &m.id,
        "chart-map chart-choropleth",
        &m.title,
        &m.desc,
        WIDTH,
        height,
    );
    out.push_str("<defs>\n");
    out.push_str(&style::hatch_pattern(&m.id));
    out.push_str("</defs>\n");
    out.push_str(
        "<g class=\"regions\" stroke=\"#FFFFFF\" stroke-width=\"0.7\" stroke-linejoin=\"round\" fill-rule=\"evenodd\">\n",
    );
    out.push_str(&shapes);
    out.push_str("</g>\n");
    out.push_str(&legend);
    out.push_str(&note);
    out.push_str("</svg>\n");
    out
}

/// The centre of a feature too small to see or point at (under 100 square units drawn,
/// a 10×10 square), else `None`.
fn tiny_centre(f: &Feature, project: &dyn Fn(&[f64; 2]) -> [f64; 2]) -> Option<[f64; 2]> {
    let mut bb = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    let mut area = 0.0;
    for poly in &f.polygons {
        for (i, ring) in poly.iter().enumerate() {
            let px: Vec<[f64; 2]> = ring.iter().map(project).collect();
            let a = area2(&px).abs() / 2.0;
            area += if i == 0 { a } else { -a };
            for q in &px {
                bb = [
                    bb[0].min(q[0]),
                    bb[1].min(q[1]),
                    bb[2].max(q[0]),
                    bb[3].max(q[1]),
                ];
            }
        }
    }
    (bb[0].is_finite() && area < 100.0).then(|| [(bb[0] + bb[2]) / 2.0, (bb[1] + bb[3]) / 2.0])
}

/// SVG path data of a feature: each ring projected, simplified, rounded to 0.1 and
/// closed. Rings that shrink below a pixel are dropped, except that a region always keeps
/// its largest ring so that no region disappears.
fn path_data(f: &Feature, project: &dyn Fn(&[f64; 2]) -> [f64; 2], tol: f64) -> String {
    let mut rings: Vec<Vec<[f64; 2]>> = Vec::new();
    let mut largest: Option<(f64, Vec<[f64; 2]>)> = None;
    for ring in f.polygons.iter().flatten() {
        let px: Vec<[f64; 2]> = ring.iter().map(project).collect();
        let a = area2(&px).abs();
        if largest.as_ref().is_none_or(|(best, _)| a > *best) {
            largest = Some((a, px.clone()));
        }
        let simple = round_ring(&simplify_ring(&px, tol));
        if simple.len() >= 3 && area2(&simple).abs() >= 2.0 * tol * tol {
            rings.push(simple);
        }
    }
    if rings.is_empty()
        && let Some((_, px)) = largest
    {
        let mut r = round_ring(&simplify_ring(&px, tol));
        if r.len() < 3 {
            r = round_ring(&px);
        }
        rings.push(r);
    }
    let mut d = String::new();
    for r in &rings {
        for (i, p) in r.iter().enumerate() {
            d.push(if i == 0 {
                'M'
            } else if i == 1 {
                'L'
            } else {
                ' '
            });
            style::push_n1(&mut d, p[0]);
            d.push(' ');
            style::push_n1(&mut d, p[1]);
        }
        d.push('Z');
    }
    d
}

/// Rounds to 0.1 and drops repeated points (and a closing point equal to the first).
fn round_ring(r: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = Vec::with_capacity(r.len());
    for p in r {
        let q = [(p[0] * 10.0).round() / 10.0, (p[1] * 10.0).round() / 10.0];
        if out.last() != Some(&q) {
            out.push(q);
        }
    }
    if out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    out
}

/// How a map's shape begins in a page.
const SHAPE: &str = "<path data-kode=\"";

/// Whether a page holds a map shape at all (most region pages below the kab/kota don't):
/// only then is [`share_shapes`] worth its scan.
pub fn has_shapes(html: &[u8]) -> bool {
    memchr::memmem::find(html, SHAPE.as_bytes()).is_some()
}

/// The shapes drawn more than once in `html` (a region page draws the same kab/kota on the map
/// of every indicator), each kept once: its outline goes into one hidden `<defs>` before the
/// first map, and every map colours it through `<use>`. The page reads and works the same
/// (links, tooltips, colours), at a fraction of the weight; the chart files keep full shapes.
pub fn share_shapes(html: &str) -> std::borrow::Cow<'_, str> {
    let shapes = |text: &str| -> Vec<(usize, usize, usize, usize)> {
        // (tag start, d value start, d value end, tag end) of each map shape.
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(at) = text[from..].find(SHAPE).map(|i| i + from) {
            let Some(end) = text[at..].find('>').map(|i| i + at) else {
                break;
            };
            if let Some(d) = text[at..end].find(" d=\"").map(|i| i + at + 4)
                && let Some(d_end) = text[d..end].find('"').map(|i| i + d)
            {
                out.push((at, d, d_end, end));
            }
            from = end;
        }
        out
    };
    let found = shapes(html);
    let mut count: std::collections::HashMap<&str, usize> = Default::default();
    for &(_, d, d_end, _) in &found {
        *count.entry(&html[d..d_end]).or_default() += 1;
    }
    let mut ids: std::collections::HashMap<&str, usize> = Default::default();
    let mut defs = String::new();
    for &(_, d, d_end, _) in &found {
        let outline = &html[d..d_end];
        if count[outline] > 1 && !ids.contains_key(outline) {
            let id = ids.len() + 1;
            ids.insert(outline, id);
            let _ = write!(defs, "<path id=\"bentuk-{id}\" d=\"{outline}\"/>");
        }
    }
    if ids.is_empty() {
        return std::borrow::Cow::Borrowed(html);
    }
    let first_svg = html[..found[0].0].rfind("<svg").unwrap_or(found[0].0);
    let mut out = String::with_capacity(html.len());
    out.push_str(&html[..first_svg]);
    let _ = write!(
        out,
        "<svg class=\"shapes\" width=\"0\" height=\"0\" aria-hidden=\"true\" focusable=\"false\"><defs>{defs}</defs></svg>"
    );
    let mut pos = first_svg;
    for &(at, d, d_end, end) in &found {
        let Some(id) = ids.get(&html[d..d_end]) else {
            continue;
        };
        out.push_str(&html[pos..at]);
        // `<path data-kode=… fill=…{extra} d="…">` → `<use data-kode=… fill=…{extra} href="#…">`,
        // and its `</path>` (after the `<title>`) → `</use>`.
        let _ = write!(out, "<use {}href=\"#bentuk-{id}\">", &html[at + 6..d - 3]);
        let close = html[end..].find("</path>").map_or(end + 1, |i| i + end);
        out.push_str(&html[end + 1..close]);
        out.push_str("</use>");
        pos = close + "</path>".len().min(html.len() - close);
    }
    out.push_str(&html[pos..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::charts::geo::load_boundaries;
    use crate::charts::geo::tests::realdata;
    use std::collections::BTreeMap;

    /// Every province's kab/kota map with a made-up value for every kab/kota.
    pub(crate) fn province_specs(b: &Boundaries) -> BTreeMap<String, MapSpec> {
        let mut specs: BTreeMap<String, MapSpec> = BTreeMap::new();
        for (i, (code, f)) in b.features.iter().enumerate() {
            let prov = code.split('.').next().unwrap_or(code).to_string();
            let spec = specs.entry(prov.clone()).or_insert_with(|| MapSpec {
                id: format!("peta-{prov}"),
                title: format!("Persentase penduduk miskin, provinsi {prov}"),
                desc: "Peta kabupaten/kota".into(),
                unit: "persen".into(),
                decimals: 2,
                lower_is_better: true,
                values: Vec::new(),
            });
            spec.values.push(MapValue {
                code: code.clone(),
                name: f.name.clone().unwrap_or_else(|| code.clone()),
                value: Some(3.0 + ((i * 53) % 97) as f64 * 0.21),
                href: Some(format!("/wilayah/{code}/")),
            });
        }
        specs
    }

    fn check_all_provinces(file: &str) {
        let b = load_boundaries(&realdata(file), None).expect("load boundaries");
        let specs = province_specs(&b);
        assert_eq!(specs.len(), 38);
        let mut largest = (0, String::new());
        for (prov, spec) in &specs {
            let svg = choropleth(&b, spec);
            for v in &spec.values {
                let needle = format!("<path data-kode=\"{}\" fill=\"#", v.code);
                let at = svg.find(&needle).unwrap_or_else(|| {
                    panic!("{file}: {} missing or hatched in map {prov}", v.code)
                });
                let d = svg[at..].split(" d=\"").nth(1).unwrap_or("");
                assert!(
                    d.starts_with('M') && d.contains('Z'),
                    "{}: empty shape",
                    v.code
                );
            }
            assert!(!svg.contains("url(#peta-"), "no region is without data");
            if svg.len() > largest.0 {
                largest = (svg.len(), prov.clone());
            }
        }
        assert!(
            largest.0 < 150 * 1024,
            "{file}: map of province {} is {} bytes",
            largest.1,
            largest.0
        );
    }

    #[test]
    fn every_kabkota_is_drawn_filled_from_geojson() {
        check_all_provinces("kabkota_514_simplified.geojson");
    }

    #[test]
    fn every_kabkota_is_drawn_filled_from_topojson() {
        check_all_provinces("kabkota_514_simplified.topo.json");
    }

    #[test]
    fn missing_values_are_hatched_and_named() {
        let b = load_boundaries(&realdata("kabkota_514_simplified.geojson"), None).expect("load");
        let mut spec = province_specs(&b).remove("36").expect("Banten");
        spec.values[0].value = None;
        spec.values.push(MapValue {
            code: "36.99".into(),
            name: "Kota Khayalan".into(),
            value: Some(1.0),
            href: None,
        });
        let svg = choropleth(&b, &spec);
        let first = &spec.values[0];
        assert!(svg.contains(&format!(
            "<path data-kode=\"{}\" fill=\"url(#peta-36-nodata)\"",
            first.code
        )));
        assert!(svg.contains(&format!("Tidak ada data: {}", first.name)));
        assert!(svg.contains("Tanpa batas wilayah di peta: Kota Khayalan"));
        assert!(svg.contains("<a href=\"/wilayah/36.73/\">"));
        assert_eq!(svg, choropleth(&b, &spec));
    }

    #[test]
    fn shapes_drawn_twice_on_a_page_are_kept_once() {
        let b = load_boundaries(&realdata("kabkota_514_simplified.geojson"), None)
            .expect("load boundaries");
        let specs = province_specs(&b);
        let banten = &specs["36"];
        let mut other = banten.clone();
        other.id = "peta-lain".into();
        for v in &mut other.values {
            v.value = v.value.map(|x| x * 2.0);
        }
        let page = format!(
            "<body><p>x</p><figure>{}</figure><figure>{}</figure></body>",
            choropleth(&b, banten),
            choropleth(&b, &other)
        );
        let shared = share_shapes(&page);
        assert!(
            shared.len() < page.len() * 3 / 4,
            "{} of {}",
            shared.len(),
            page.len()
        );
        assert!(!shared.contains("<path data-kode="));
        // Every region keeps its code, colour, tooltip and link on both maps.
        for v in &banten.values {
            let needle = format!("<use data-kode=\"{}\" fill=\"#", v.code);
            assert_eq!(shared.matches(&needle).count(), 2, "{}", v.code);
        }
        assert_eq!(
            shared.matches("<title>").count(),
            page.matches("<title>").count()
        );
        assert_eq!(shared.matches("</use>").count(), 2 * banten.values.len());
        assert!(shared.starts_with("<body><p>x</p><figure><svg class=\"shapes\""));
        // Each outline is defined once, and every reference finds it.
        for id in 1..=banten.values.len() {
            assert_eq!(shared.matches(&format!("id=\"bentuk-{id}\"")).count(), 1);
            assert_eq!(shared.matches(&format!("href=\"#bentuk-{id}\"")).count(), 2);
        }
        // A page with one map is left alone.
        let one = choropleth(&b, banten);
        assert_eq!(share_shapes(&one), one);
    }
}
