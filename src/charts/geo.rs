//! Region boundaries: GeoJSON and TopoJSON loading (serde_json), projection to the page, and Douglas–Peucker simplification.

// `Diagnostic` is the crate's user-facing error and the API returns it by value; boundary
// files are loaded once per build, so the size of the error variant does not matter.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostic::{Code, Diagnostic, Location};

/// A closed ring of (longitude, latitude) in degrees.
pub type Ring = Vec<[f64; 2]>;
/// An outer ring followed by its holes.
pub type Polygon = Vec<Ring>;

/// One region's shape.
#[derive(Debug, Clone, Default)]
pub struct Feature {
    /// The name found in the file ("nama", "name", "PROVINSI", …), if any.
    pub name: Option<String>,
    /// The shape as (longitude, latitude) polygons; empty when the file has only a point for it.
    pub polygons: Vec<Polygon>,
    /// A (longitude, latitude) point from the properties ("lng"/"lon" and "lat"), used to
    /// draw a region whose geometry is empty as a dot rather than not at all.
    pub point: Option<[f64; 2]>,
}

/// Region shapes by code, as loaded (longitude/latitude, unsimplified). Each map projects
/// and simplifies only the regions it draws, fitted to their extent, see
/// [`crate::charts::choropleth`].
#[derive(Debug, Clone, Default)]
pub struct Boundaries {
    /// The file they came from.
    pub source: PathBuf,
    /// Code (as text, e.g. "36.04") to shape, in code order.
    pub features: BTreeMap<String, Feature>,
    /// Things worth telling the user that did not stop loading (duplicate codes, features
    /// without geometry).
    pub warnings: Vec<Diagnostic>,
}

/// Property names tried, in order, when no code property is given.
pub const CODE_PROPERTIES: [&str; 3] = ["kode", "KODE_PROV", "kode_prov"];
const NAME_PROPERTIES: [&str; 6] = ["nama", "NAMA", "name", "NAME", "PROVINSI", "nama_prov"];

/// Loads GeoJSON (`FeatureCollection` or `Feature` of `Polygon`/`MultiPolygon`) or TopoJSON
/// (`Topology` with arcs, quantized or not). The code of each region is read from
/// `code_property`, or from the first of [`CODE_PROPERTIES`] present when `None`.
pub fn load_boundaries(path: &Path, code_property: Option<&str>) -> Result<Boundaries, Diagnostic> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(
            Code::BoundariesUnreadable,
            path,
            format!("berkas batas wilayah tidak dapat dibaca: {e}"),
        )
        .hint("periksa jalur berkas GeoJSON/TopoJSON di konfigurasi")
    })?;
    let root: Value = serde_json::from_str(&text).map_err(|e| json_error(path, &text, &e))?;
    let kind = root.get("type").and_then(Value::as_str).unwrap_or("");
    let mut loader = Loader {
        path,
        code_property: code_property.map(str::to_string),
        out: Boundaries {
            source: path.to_path_buf(),
            ..Boundaries::default()
        },
        index: 0,
    };
    match kind {
        "FeatureCollection" => {
            let features = root
                .get("features")
                .and_then(Value::as_array)
                .ok_or_else(|| bad(path, "FeatureCollection tanpa daftar \"features\""))?;
            for f in features {
                loader.geojson_feature(f)?;
            }
        }
        "Feature" => loader.geojson_feature(&root)?,
        "Topology" => loader.topology(&root)?,
        other => {
            return Err(bad(
                path,
                &format!(
                    "bukan GeoJSON FeatureCollection/Feature atau TopoJSON Topology (\"type\": \"{other}\")"
                ),
            ));
        }
    }
    if loader.out.features.is_empty() {
        return Err(bad(
            path,
            "tidak ada satu pun wilayah berbentuk poligon di berkas ini",
        ));
    }
    Ok(loader.out)
}

fn bad(path: &Path, message: &str) -> Diagnostic {
    Diagnostic::error(Code::BoundariesShape, path, message.to_string())
        .hint("berkas batas wilayah harus GeoJSON (Polygon/MultiPolygon) atau TopoJSON")
}

/// A JSON syntax error with its position and a short excerpt (GeoJSON lines can be
/// megabytes long, so only the characters around the column are shown).
fn json_error(path: &Path, text: &str, e: &serde_json::Error) -> Diagnostic {
    let line = e.line().max(1);
    let col = e.column().max(1);
    let src = text.lines().nth(line - 1).unwrap_or("");
    let chars: Vec<char> = src.chars().collect();
    let from = col.saturating_sub(40).min(chars.len());
    let to = (col + 40).min(chars.len());
    let snippet: String = chars[from..to].iter().collect();
    let caret = " ".repeat(col.saturating_sub(from + 1));
    let mut d = Diagnostic::error(
        Code::BoundariesSyntax,
        path,
        format!("JSON tidak valid: {e}"),
    )
    .excerpt(format!("{line:>5} | {snippet}\n      | {caret}^"))
    .hint("periksa koma, kurung dan tanda kutip di sekitar posisi ini");
    d.location = Location::Text { line, col };
    d
}

struct Loader<'a> {
    path: &'a Path,
    code_property: Option<String>,
    out: Boundaries,
    /// 1-based number of the feature being read, for messages.
    index: usize,
}

impl Loader<'_> {
    fn err(&self, what: &str) -> Diagnostic {
        Diagnostic::error(
            Code::BoundariesFeature,
            self.path,
            format!("fitur ke-{}: {what}", self.index),
        )
    }

    /// The code of a feature from its properties (or its `id` when no property is set).
    fn code(
        &mut self,
        props: Option<&Map<String, Value>>,
        id: Option<&Value>,
    ) -> Result<String, Diagnostic> {
        if self.code_property.is_none()
            && let Some(p) =
                props.and_then(|props| CODE_PROPERTIES.iter().find(|k| props.contains_key(**k)))
        {
            self.code_property = Some((*p).to_string());
        }
        let value = match &self.code_property {
            Some(k) => props.and_then(|p| p.get(k)),
            None => id,
        };
        let code = match value {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) => i.to_string(),
                None => n.to_string(),
            },
            _ => {
                let wanted = match &self.code_property {
                    Some(k) => format!("\"{k}\""),
                    None => CODE_PROPERTIES
                        .iter()
                        .map(|k| format!("\"{k}\""))
                        .collect::<Vec<_>>()
                        .join(", "),
                };
                let have: Vec<String> = props
                    .map(|p| p.keys().map(|k| format!("\"{k}\"")).collect())
                    .unwrap_or_default();
                let have = if have.is_empty() {
                    "tidak ada".to_string()
                } else {
                    have.join(", ")
                };
                return Err(self
                    .err(&format!(
                        "tidak ada kode wilayah (dicari properti {wanted}; properti yang ada: {have})"
                    ))
                    .hint("sebutkan nama properti kode wilayah di konfigurasi peta"));
            }
        };
        Ok(code)
    }

    fn name(props: Option<&Map<String, Value>>) -> Option<String> {
        let props = props?;
        NAME_PROPERTIES
            .iter()
            .find_map(|k| props.get(*k).and_then(Value::as_str))
            .map(str::to_string)
    }

    fn point(props: Option<&Map<String, Value>>) -> Option<[f64; 2]> {
        let props = props?;
        let get = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| props.get(*k).and_then(Value::as_f64))
        };
        let lon = get(&["lng", "lon", "longitude", "LONG", "lng_center"])?;
        let lat = get(&["lat", "latitude", "LAT", "lat_center"])?;
        ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)).then_some([lon, lat])
    }

    fn add(
        &mut self,
        code: String,
        name: Option<String>,
        polygons: Vec<Polygon>,
        point: Option<[f64; 2]>,
    ) {
        if polygons.is_empty() {
            let what = if point.is_some() {
                "digambar sebagai titik dari properti lat/lng"
            } else {
                "dilewati"
            };
            self.out.warnings.push(
                Diagnostic::warning(
                    Code::BoundariesFeature,
                    self.path,
                    format!(
                        "fitur ke-{} (kode {code}) tidak punya poligon; {what}",
                        self.index
                    ),
                )
                .hint("lengkapi geometri wilayah ini di berkas batas wilayah"),
            );
            if point.is_none() || self.out.features.contains_key(&code) {
                return;
            }
        }
        match self.out.features.get_mut(&code) {
            Some(f) => {
                self.out.warnings.push(
                    Diagnostic::warning(
                        Code::BoundariesFeature,
                        self.path,
                        format!(
                            "kode {code} dipakai lebih dari satu fitur (fitur ke-{}); bentuknya digabung",
                            self.index
                        ),
                    )
                    .hint("pastikan setiap wilayah punya kode sendiri"),
                );
                f.polygons.extend(polygons);
            }
            None => {
                self.out.features.insert(
                    code,
                    Feature {
                        name,
                        polygons,
                        point,
                    },
                );
            }
        }
    }

    fn geojson_feature(&mut self, f: &Value) -> Result<(), Diagnostic> {
        self.index += 1;
        let props = f.get("properties").and_then(Value::as_object);
        let code = self.code(props, f.get("id"))?;
        let name = Self::name(props);
        let mut polygons = Vec::new();
        if let Some(g) = f.get("geometry").filter(|g| !g.is_null()) {
            self.geojson_geometry(g, &code, &mut polygons)?;
        }
        self.add(code, name, polygons, Self::point(props));
        Ok(())
    }

    fn geojson_geometry(
        &self,
        g: &Value,
        code: &str,
        out: &mut Vec<Polygon>,
    ) -> Result<(), Diagnostic> {
        let kind = g.get("type").and_then(Value::as_str).unwrap_or("");
        let coords = g.get("coordinates");
        match kind {
            "Polygon" => out.push(self.polygon(coords, code)?),
            "MultiPolygon" => {
                let polys = coords.and_then(Value::as_array).ok_or_else(|| {
                    self.err(&format!("MultiPolygon kode {code} tanpa \"coordinates\""))
                })?;
                for p in polys {
                    out.push(self.polygon(Some(p), code)?);
                }
            }
            "GeometryCollection" => {
                for sub in g
                    .get("geometries")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    self.geojson_geometry(sub, code, out)?;
                }
            }
            // Points and lines have no area to colour.
            _ => {}
        }
        Ok(())
    }

    fn polygon(&self, coords: Option<&Value>, code: &str) -> Result<Polygon, Diagnostic> {
        let rings = coords.and_then(Value::as_array).ok_or_else(|| {
            self.err(&format!(
                "poligon kode {code} tanpa \"coordinates\" berupa daftar"
            ))
        })?;
        let mut poly = Vec::with_capacity(rings.len());
        for ring in rings {
            let pts = ring.as_array().ok_or_else(|| {
                self.err(&format!("cincin poligon kode {code} bukan daftar titik"))
            })?;
            let mut r = Vec::with_capacity(pts.len());
            for p in pts {
                r.push(self.position(p, code)?);
            }
            if r.len() >= 3 {
                poly.push(r);
            }
        }
        Ok(poly)
    }

    fn position(&self, p: &Value, code: &str) -> Result<[f64; 2], Diagnostic> {
        let a = p.as_array();
        let x = a.and_then(|a| a.first()).and_then(Value::as_f64);
        let y = a.and_then(|a| a.get(1)).and_then(Value::as_f64);
        match (x, y) {
            (Some(x), Some(y)) if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) => {
                Ok([x, y])
            }
            _ => Err(self
                .err(&format!("koordinat tidak valid pada kode {code}: {p}"))
                .hint("koordinat harus [bujur, lintang] dalam derajat (WGS84)")),
        }
    }

    fn topology(&mut self, root: &Value) -> Result<(), Diagnostic> {
        let transform = root.get("transform");
        let nums = |key: &str| -> Option<[f64; 2]> {
            let a = transform?.get(key)?.as_array()?;
            Some([a.first()?.as_f64()?, a.get(1)?.as_f64()?])
        };
        let quantized = match (transform, nums("scale"), nums("translate")) {
            (None, _, _) => None,
            (Some(_), Some(s), Some(t)) => Some((s, t)),
            _ => {
                return Err(bad(
                    self.path,
                    "\"transform\" TopoJSON harus punya \"scale\" dan \"translate\" berisi dua angka",
                ));
            }
        };
        let raw_arcs = root
            .get("arcs")
            .and_then(Value::as_array)
            .ok_or_else(|| bad(self.path, "Topology tanpa daftar \"arcs\""))?;
        let mut arcs: Vec<Vec<[f64; 2]>> = Vec::with_capacity(raw_arcs.len());
        for (ai, arc) in raw_arcs.iter().enumerate() {
            let pts = arc
                .as_array()
                .ok_or_else(|| bad(self.path, &format!("arc ke-{ai} bukan daftar titik")))?;
            let mut out = Vec::with_capacity(pts.len());
            let (mut x, mut y) = (0.0, 0.0);
            for p in pts {
                let a = p.as_array();
                let px = a.and_then(|a| a.first()).and_then(Value::as_f64);
                let py = a.and_then(|a| a.get(1)).and_then(Value::as_f64);
                let (Some(px), Some(py)) = (px, py) else {
                    return Err(bad(
                        self.path,
                        &format!("arc ke-{ai}: titik tidak valid {p}"),
                    ));
                };
                let pos = match quantized {
                    Some((s, t)) => {
                        x += px;
                        y += py;
                        [x * s[0] + t[0], y * s[1] + t[1]]
                    }
                    None => [px, py],
                };
                out.push(pos);
            }
            arcs.push(out);
        }
        let objects = root
            .get("objects")
            .and_then(Value::as_object)
            .ok_or_else(|| bad(self.path, "Topology tanpa \"objects\""))?;
        for obj in objects.values() {
            self.topo_object(obj, &arcs)?;
        }
        Ok(())
    }

    fn topo_object(&mut self, obj: &Value, arcs: &[Vec<[f64; 2]>]) -> Result<(), Diagnostic> {
        if obj.get("type").and_then(Value::as_str) == Some("GeometryCollection") {
            for g in obj
                .get("geometries")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                self.topo_object(g, arcs)?;
            }
            return Ok(());
        }
        self.index += 1;
        let props = obj.get("properties").and_then(Value::as_object);
        let code = self.code(props, obj.get("id"))?;
        let name = Self::name(props);
        let mut polygons = Vec::new();
        let a = obj.get("arcs");
        match obj.get("type").and_then(Value::as_str).unwrap_or("") {
            "Polygon" => polygons.push(self.topo_polygon(a, arcs, &code)?),
            "MultiPolygon" => {
                for p in a.and_then(Value::as_array).into_iter().flatten() {
                    polygons.push(self.topo_polygon(Some(p), arcs, &code)?);
                }
            }
            _ => {}
        }
        self.add(code, name, polygons, Self::point(props));
        Ok(())
    }

    fn topo_polygon(
        &self,
        rings: Option<&Value>,
        arcs: &[Vec<[f64; 2]>],
        code: &str,
    ) -> Result<Polygon, Diagnostic> {
        let rings = rings
            .and_then(Value::as_array)
            .ok_or_else(|| self.err(&format!("poligon kode {code} tanpa \"arcs\"")))?;
        let mut poly = Vec::with_capacity(rings.len());
        for ring in rings {
            let idx = ring
                .as_array()
                .ok_or_else(|| self.err(&format!("cincin kode {code} bukan daftar arc")))?;
            let mut r: Ring = Vec::new();
            for i in idx {
                let i = i.as_i64().ok_or_else(|| {
                    self.err(&format!("indeks arc bukan bilangan bulat pada kode {code}"))
                })?;
                // Negative indexes mean arc !i, walked backwards.
                let (k, rev) = if i < 0 {
                    ((!i) as usize, true)
                } else {
                    (i as usize, false)
                };
                let arc = arcs.get(k).ok_or_else(|| {
                    self.err(&format!("kode {code} memakai arc ke-{k} yang tidak ada"))
                })?;
                let skip = usize::from(!r.is_empty());
                if rev {
                    r.extend(arc.iter().rev().skip(skip));
                } else {
                    r.extend(arc.iter().skip(skip));
                }
            }
            if r.len() >= 3 {
                poly.push(r);
            }
        }
        Ok(poly)
    }
}

/// Douglas–Peucker: keeps the points of `pts` that deviate more than `tol` from the
/// simplified line. Endpoints are kept. Iterative (no recursion on long coastlines).
pub fn simplify(pts: &[[f64; 2]], tol: f64) -> Vec<[f64; 2]> {
    if pts.len() <= 2 {
        return pts.to_vec();
    }
    let mut keep = vec![false; pts.len()];
    keep[0] = true;
    keep[pts.len() - 1] = true;
    let mut stack = vec![(0usize, pts.len() - 1)];
    let tol2 = tol * tol;
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (ax, ay) = (pts[a][0], pts[a][1]);
        let (dx, dy) = (pts[b][0] - ax, pts[b][1] - ay);
        let len2 = dx * dx + dy * dy;
        let mut worst = 0.0;
        let mut at = a;
        for (i, p) in pts.iter().enumerate().take(b).skip(a + 1) {
            let (px, py) = (p[0] - ax, p[1] - ay);
            let d2 = if len2 == 0.0 {
                px * px + py * py
            } else {
                let cross = px * dy - py * dx;
                cross * cross / len2
            };
            if d2 > worst {
                worst = d2;
                at = i;
            }
        }
        if worst > tol2 {
            keep[at] = true;
            stack.push((a, at));
            stack.push((at, b));
        }
    }
    pts.iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

/// Simplifies a closed ring: splits it at the point farthest from the first so both
/// halves keep their shape.
pub fn simplify_ring(ring: &[[f64; 2]], tol: f64) -> Vec<[f64; 2]> {
    let n = ring.len();
    if n < 4 {
        return ring.to_vec();
    }
    let first = ring[0];
    let far = ring
        .iter()
        .enumerate()
        .map(|(i, p)| (i, (p[0] - first[0]).powi(2) + (p[1] - first[1]).powi(2)))
        .fold(
            (0, -1.0),
            |best, cur| if cur.1 > best.1 { cur } else { best },
        )
        .0;
    let mut a = simplify(&ring[..=far], tol);
    let b = simplify(&ring[far..], tol);
    a.pop();
    a.extend(b);
    a
}

/// Twice the signed area of a ring (shoelace).
pub fn area2(ring: &[[f64; 2]]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let p = ring[i];
            let q = ring[(i + 1) % n];
            p[0] * q[1] - q[0] * p[1]
        })
        .sum()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn realdata(name: &str) -> PathBuf {
        let p = PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/realdata/geo/"
        ))
        .join(name);
        assert!(
            p.is_file(),
            "REAL DATA MISSING: {} does not exist. The chart tests need the shared real data \
             (../shared/realdata/geo/ next to the project); they must not be skipped.",
            p.display()
        );
        p
    }

    #[test]
    fn simplify_drops_collinear_points() {
        let pts = [[0.0, 0.0], [1.0, 0.01], [2.0, 0.0], [3.0, 5.0]];
        assert_eq!(
            simplify(&pts, 0.1),
            vec![[0.0, 0.0], [2.0, 0.0], [3.0, 5.0]]
        );
    }

    #[test]
    fn geojson_and_topojson_give_the_same_codes() {
        let g =
            load_boundaries(&realdata("kabkota_514_simplified.geojson"), None).expect("geojson");
        let t =
            load_boundaries(&realdata("kabkota_514_simplified.topo.json"), None).expect("topojson");
        assert_eq!(g.features.len(), 514);
        let gk: Vec<&String> = g.features.keys().collect();
        let tk: Vec<&String> = t.features.keys().collect();
        assert_eq!(gk, tk);
        assert_eq!(t.features.len(), 514);
        // Kabupaten Sorong has an empty geometry in both files: kept as a point, with a warning.
        for b in [&g, &t] {
            assert_eq!(b.warnings.len(), 1, "{:?}", b.warnings);
            assert!(b.warnings[0].message.contains("kode 96.01"));
            assert!(b.features["96.01"].polygons.is_empty());
            assert!(b.features["96.01"].point.is_some());
        }
        assert_eq!(g.features["36.73"].name.as_deref(), Some("Kota Serang"));
        // Same place, both formats: the rings' bounding boxes agree to the quantization step.
        let bbox = |f: &Feature| {
            f.polygons.iter().flatten().flatten().fold(
                [f64::MAX, f64::MAX, f64::MIN, f64::MIN],
                |b, p| {
                    [
                        b[0].min(p[0]),
                        b[1].min(p[1]),
                        b[2].max(p[0]),
                        b[3].max(p[1]),
                    ]
                },
            )
        };
        let (a, b) = (bbox(&g.features["35.78"]), bbox(&t.features["35.78"]));
        for i in 0..4 {
            assert!((a[i] - b[i]).abs() < 0.01, "{a:?} {b:?}");
        }
    }

    #[test]
    fn province_file_auto_detects_kode_prov() {
        let b = load_boundaries(&realdata("indonesia-38-provinces.geojson"), None).expect("load");
        assert!(b.features.len() >= 30);
        // This file is known to repeat codes for several Papua provinces: a warning, not a crash.
        assert!(b.features.contains_key("11"));
    }

    #[test]
    fn malformed_files_name_the_file_and_problem() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("rusak.geojson");
        std::fs::write(
            &p,
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",}]}",
        )
        .expect("write");
        let e = load_boundaries(&p, None).expect_err("syntax error");
        assert_eq!(e.file, p);
        assert!(e.message.starts_with("JSON tidak valid"), "{e}");
        assert!(matches!(e.location, Location::Text { line: 1, .. }));

        std::fs::write(
            &p,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"nama":"X"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}"#,
        )
        .expect("write");
        let e = load_boundaries(&p, None).expect_err("no code");
        assert!(
            e.message.contains("tidak ada kode wilayah") && e.message.contains("\"nama\""),
            "{e}"
        );

        std::fs::write(
            &p,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kode":"11"},"geometry":{"type":"Polygon","coordinates":[[[0,0],["a",0],[1,1],[0,0]]]}}]}"#,
        )
        .expect("write");
        let e = load_boundaries(&p, None).expect_err("bad coordinate");
        assert!(
            e.message.contains("koordinat tidak valid pada kode 11"),
            "{e}"
        );

        let e = load_boundaries(&dir.path().join("tidak-ada.geojson"), None).expect_err("missing");
        assert!(e.message.contains("tidak dapat dibaca"), "{e}");

        std::fs::write(&p, r#"{"type":"Topology","arcs":[[[0,0],[1,0]]],"objects":{"a":{"type":"GeometryCollection","geometries":[{"type":"Polygon","arcs":[[5]],"properties":{"kode":"1"}}]}}}"#).expect("write");
        let e = load_boundaries(&p, None).expect_err("bad arc");
        assert!(e.message.contains("arc ke-5"), "{e}");
    }
}
