//! Tile-grid map of the 38 provinces: one square each, laid out roughly as the archipelago lies.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::classes::{Classes, text_on};
use super::font;
use super::style::{self, FONT, WIDTH, esc, n1};
use crate::i18n::t;

/// A value for one region of a map.
#[derive(Debug, Clone)]
pub struct MapValue {
    /// Kemendagri code: "36" for a province, "36.04" for a kab/kota.
    pub code: String,
    /// The region name, for the tooltip and the list of regions without data.
    pub name: String,
    /// `None` when the region has no data (drawn hatched).
    pub value: Option<f64>,
    /// Link for the region's tile or shape; `None` leaves it unlinked.
    pub href: Option<String>,
}

/// What to draw on a map.
#[derive(Debug, Clone)]
pub struct MapSpec {
    /// Unique on the page; used for `<title id>` and `<desc id>`.
    pub id: String,
    /// The map title (`<title>`).
    pub title: String,
    /// What the map shows, in words, for assistive technology (`<desc>`).
    pub desc: String,
    /// Unit of the values ("persen", "rupiah", …); decides how they are written.
    pub unit: String,
    /// Decimals of the values in the legend, tooltips and tiles.
    pub decimals: usize,
    /// true for poverty rates: high values are drawn dark.
    pub lower_is_better: bool,
    /// The regions to colour; a province missing here shows as having no data.
    pub values: Vec<MapValue>,
}

/// A province on the tile grid.
#[derive(Debug, Clone, Copy)]
pub struct Province {
    /// Kemendagri code.
    pub code: &'static str,
    /// Name as commonly written.
    pub name: &'static str,
    /// ISO 3166-2:ID subdivision code, short enough for a tile at 14 px.
    pub short: &'static str,
    /// Column on the grid, 0 (west) to 12 (east).
    pub col: u8,
    /// Row on the grid, 0 (north) to 5 (south).
    pub row: u8,
}

const fn p(
    code: &'static str,
    name: &'static str,
    short: &'static str,
    col: u8,
    row: u8,
) -> Province {
    Province {
        code,
        name,
        short,
        col,
        row,
    }
}

/// The 38 provinces (Kepmendagri 300.2.2-2430/2025), west to east, north to south.
/// Sumatra runs down the left, Java and Nusa Tenggara along the bottom, Kalimantan and
/// Sulawesi in the middle, Maluku and Papua on the right.
pub const PROVINCES: [Province; 38] = [
    p("11", "Aceh", "AC", 0, 0),
    p("12", "Sumatera Utara", "SU", 1, 0),
    p("13", "Sumatera Barat", "SB", 1, 1),
    p("14", "Riau", "RI", 2, 0),
    p("15", "Jambi", "JA", 2, 1),
    p("16", "Sumatera Selatan", "SS", 2, 2),
    p("17", "Bengkulu", "BE", 1, 2),
    p("18", "Lampung", "LA", 2, 3),
    p("19", "Kepulauan Bangka Belitung", "BB", 3, 2),
    p("21", "Kepulauan Riau", "KR", 3, 0),
    p("31", "DKI Jakarta", "JK", 3, 3),
    p("32", "Jawa Barat", "JB", 3, 4),
    p("33", "Jawa Tengah", "JT", 4, 4),
    p("34", "DI Yogyakarta", "YO", 4, 5),
    p("35", "Jawa Timur", "JI", 5, 4),
    p("36", "Banten", "BT", 2, 4),
    p("51", "Bali", "BA", 6, 4),
    p("52", "Nusa Tenggara Barat", "NB", 7, 4),
    p("53", "Nusa Tenggara Timur", "NT", 8, 4),
    p("61", "Kalimantan Barat", "KB", 4, 1),
    p("62", "Kalimantan Tengah", "KT", 5, 1),
    p("63", "Kalimantan Selatan", "KS", 6, 2),
    p("64", "Kalimantan Timur", "KI", 6, 1),
    p("65", "Kalimantan Utara", "KU", 6, 0),
    p("71", "Sulawesi Utara", "SA", 9, 0),
    p("72", "Sulawesi Tengah", "ST", 7, 1),
    p("73", "Sulawesi Selatan", "SN", 7, 3),
    p("74", "Sulawesi Tenggara", "SG", 8, 2),
    p("75", "Gorontalo", "GO", 8, 0),
    p("76", "Sulawesi Barat", "SR", 7, 2),
    p("81", "Maluku", "MA", 10, 2),
    p("82", "Maluku Utara", "MU", 9, 1),
    p("91", "Papua", "PA", 12, 1),
    p("92", "Papua Barat", "PB", 11, 1),
    p("93", "Papua Selatan", "PS", 12, 3),
    p("94", "Papua Tengah", "PT", 11, 2),
    p("95", "Papua Pegunungan", "PE", 12, 2),
    p("96", "Papua Barat Daya", "PD", 10, 1),
];

/// The common name of a province code, if it is one.
pub fn province_name(code: &str) -> Option<&'static str> {
    PROVINCES.iter().find(|p| p.code == code).map(|p| p.name)
}

const COLS: f64 = 13.0;
const ROWS: f64 = 6.0;
const GAP: f64 = 3.0;
/// Height of a tile with two lines (code and value) of chart text.
const TILE_H_TWO_LINES: f64 = 38.0;

/// Draws the 38-province tile grid with a classed legend.
pub fn tile_grid_map(m: &MapSpec) -> String {
    font::ensure_registered();
    let pitch = ((WIDTH - 4.0 + GAP) / COLS).floor();
    let tile = pitch - GAP;
    let x0 = ((WIDTH - (COLS * pitch - GAP)) / 2.0).floor();
    let by_code: BTreeMap<&str, &MapValue> =
        m.values.iter().map(|v| (v.code.as_str(), v)).collect();
    let value_of = |code: &str| {
        by_code
            .get(code)
            .and_then(|v| v.value)
            .filter(|v| v.is_finite())
    };
    let present: Vec<f64> = PROVINCES.iter().filter_map(|p| value_of(p.code)).collect();
    let classes = Classes::quantile(&present, 5, &m.unit, m.decimals, m.lower_is_better);

    // Values (without unit; the legend names it) in the tiles when they fit, with fewer
    // decimals if needed, else only the codes.
    let mut tile_decimals = None;
    for d in (0..=m.decimals).rev() {
        let fits = present
            .iter()
            .all(|v| font::text_width(&crate::locale::number(*v, d), FONT) <= tile - 3.0);
        if fits {
            tile_decimals = Some(d);
            break;
        }
    }

    // Tiles holding a code and a value are taller than wide, so that both lines fit at full text size.
    let tile_h = if tile_decimals.is_some() {
        TILE_H_TWO_LINES
    } else {
        tile
    };
    let pitch_y = tile_h + GAP;
    let grid_h = ROWS * pitch_y;
    let mut body = String::new();
    let mut no_data = Vec::new();
    for p in &PROVINCES {
        let mv = by_code.get(p.code);
        let name = mv.map_or(p.name, |v| v.name.as_str());
        let x = x0 + f64::from(p.col) * pitch;
        let y = f64::from(p.row) * pitch_y;
        let value = value_of(p.code);
        let (fill, ink) = match value {
            Some(v) => {
                let c = classes.color_of(v);
                (c.to_string(), text_on(c))
            }
            None => {
                no_data.push(name.to_string());
                (format!("url(#{}-nodata)", esc(&m.id)), style::TEXT)
            }
        };
        let tooltip = match value {
            Some(v) => format!("{name}: {}", style::format_value(v, &m.unit, m.decimals)),
            None => format!("{name}: {}", t("tidak ada data")),
        };
        let href = mv.and_then(|v| v.href.as_ref());
        if let Some(h) = href {
            let _ = writeln!(body, "<a href=\"{}\">", esc(h));
        }
        let _ = writeln!(
            body,
            "<g class=\"tile\" data-kode=\"{}\"><title>{}</title>",
            p.code,
            esc(&tooltip)
        );
        let _ = writeln!(
            body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\" fill=\"{}\"/>",
            n1(x),
            n1(y),
            n1(tile),
            n1(tile_h),
            fill
        );
        let (label_y, value_y) = match (value, tile_decimals) {
            (Some(_), Some(_)) => (y + 16.0, y + 33.0),
            _ => (y + tile_h / 2.0 + 5.0, 0.0),
        };
        body.push_str(&style::text(
            x + tile / 2.0,
            label_y,
            "middle",
            &format!("fill=\"{ink}\" font-weight=\"bold\""),
            p.short,
        ));
        if let (Some(v), Some(d)) = (value, tile_decimals) {
            body.push_str(&style::text(
                x + tile / 2.0,
                value_y,
                "middle",
                &format!("fill=\"{ink}\""),
                &crate::locale::number(v, d),
            ));
        }
        body.push_str("</g>\n");
        if href.is_some() {
            body.push_str("</a>\n");
        }
    }
    let (legend, legend_h) = classes.legend(&m.id, x0, grid_h + 12.0, WIDTH - 2.0 * x0, &no_data);
    let height = (grid_h + 12.0 + legend_h).ceil();
    let mut out = style::svg_open(
        &m.id,
        "chart-map chart-tilegrid",
        &m.title,
        &m.desc,
        WIDTH,
        height,
    );
    out.push_str("<defs>\n");
    out.push_str(&style::hatch_pattern(&m.id));
    out.push_str("</defs>\n");
    out.push_str(&body);
    out.push_str(&legend);
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::BTreeSet;

    pub(crate) fn spec() -> MapSpec {
        MapSpec {
            id: "peta-p0".into(),
            title: "Persentase penduduk miskin menurut provinsi, Maret 2024".into(),
            desc: "Peta petak 38 provinsi".into(),
            unit: "persen".into(),
            decimals: 2,
            lower_is_better: true,
            values: PROVINCES
                .iter()
                .enumerate()
                .map(|(i, p)| MapValue {
                    code: p.code.into(),
                    name: p.name.into(),
                    value: if p.code == "93" || p.code == "95" {
                        None
                    } else {
                        Some(4.0 + ((i * 37) % 29) as f64 * 0.93)
                    },
                    href: Some(format!("/wilayah/{}/", p.code)),
                })
                .collect(),
        }
    }

    #[test]
    fn table_matches_kemendagri_and_positions_are_distinct() {
        let pos: BTreeSet<(u8, u8)> = PROVINCES.iter().map(|p| (p.col, p.row)).collect();
        assert_eq!(pos.len(), 38);
        let codes: BTreeSet<&str> = PROVINCES.iter().map(|p| p.code).collect();
        assert_eq!(codes.len(), 38);
        let shorts: BTreeSet<&str> = PROVINCES.iter().map(|p| p.short).collect();
        assert_eq!(shorts.len(), 38);
        assert!(
            PROVINCES
                .iter()
                .all(|p| f64::from(p.col) < COLS && f64::from(p.row) < ROWS)
        );
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/realdata/wilayah/kemendagri-2025.csv"
        );
        let csv = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("real data missing: cannot read {path}: {e}"));
        let official: BTreeSet<String> = csv
            .lines()
            .filter(|l| l.ends_with(",1,,provinsi"))
            .filter_map(|l| l.split(',').next().map(str::to_string))
            .collect();
        let ours: BTreeSet<String> = codes.iter().map(|c| c.to_string()).collect();
        assert_eq!(official, ours);
    }

    #[test]
    fn draws_38_tiles_with_hatch_for_missing() {
        let svg = tile_grid_map(&spec());
        assert_eq!(svg.matches("class=\"tile\"").count(), 38);
        assert_eq!(svg.matches("data-kode=").count(), 38);
        let xy: BTreeSet<String> = svg
            .lines()
            .filter(|l| l.starts_with("<rect x=") && l.contains("rx=\"2\""))
            .map(|l| l.split(" width").next().unwrap_or("").to_string())
            .collect();
        assert_eq!(xy.len(), 38);
        assert_eq!(
            svg.matches("fill=\"url(#peta-p0-nodata)\"").count(),
            3,
            "2 tiles + legend"
        );
        assert!(svg.contains("Tidak ada data: Papua Selatan,"), "{svg}");
        assert!(svg.contains(">Pegunungan</text>"), "{svg}");
        assert!(svg.contains("<title>Banten: "));
        assert!(svg.contains("<a href=\"/wilayah/36/\">"));
        assert!(svg.contains("aria-labelledby=\"peta-p0-title peta-p0-desc\""));
        assert_eq!(svg, tile_grid_map(&spec()));
    }
}
