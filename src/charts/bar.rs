//! Horizontal bar charts (plotters draws grid, ticks and bars): names left, values at bar ends, rows as links.

use std::fmt::Write as _;

use plotters::backend::SVGBackend;
use plotters::prelude::*;

use super::font;
use super::line::{Axis, plotters_body, rgb, tick_label_style};
use super::style::{self, FONT, WIDTH, esc, n1};
use crate::i18n::{t, tf};

/// One bar.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Region code (Kemendagri), written as `data-kode`.
    pub code: String,
    /// The region name, written left of the bar.
    pub label: String,
    /// `None` is shown as "tidak ada data".
    pub value: Option<f64>,
    /// Drawn in the focus colour with a bold name.
    pub highlight: bool,
    /// Link for the row (name and bar).
    pub href: Option<String>,
}

/// A horizontal bar chart; `bars` are drawn in the given order, top to bottom.
#[derive(Debug, Clone)]
pub struct BarChart {
    /// Unique on the page; used for `<title id>` and `<desc id>`.
    pub id: String,
    /// The chart title (`<title>`).
    pub title: String,
    /// What the chart shows, in words, for assistive technology (`<desc>`).
    pub desc: String,
    /// Unit of the values ("persen", "rupiah", …); decides how they are written.
    pub unit: String,
    /// Decimals of the value labels.
    pub decimals: usize,
    /// The bars, top to bottom.
    pub bars: Vec<Bar>,
    /// Shared scale maximum for small multiples; `None` fits the data.
    pub domain_max: Option<f64>,
}

const ROW: f64 = 26.0;
/// A row whose name takes two lines.
const ROW_TWO_LINES: f64 = 40.0;
const BAR_H: f64 = 16.0;
const TOP_AREA: f64 = 28.0;
const MAX_NAME_W: f64 = 185.0;
/// Between the two lines of a long name.
const NAME_LINE: f64 = 16.0;

/// Draws `c` as an inline, responsive, accessible SVG.
pub fn bar_chart(c: &BarChart) -> String {
    font::ensure_registered();
    match draw(c) {
        Ok(s) => s,
        Err(e) => {
            let mut s = style::svg_open(&c.id, "chart-bar", &c.title, &c.desc, WIDTH, 80.0);
            s.push_str(&style::text(
                8.0,
                40.0,
                "start",
                &format!("fill=\"{}\"", style::MUTED),
                &tf("Grafik tidak dapat digambar: {galat}", &[("galat", &e)]),
            ));
            s.push_str("</svg>\n");
            s
        }
    }
}

fn draw(c: &BarChart) -> Result<String, String> {
    let n = c.bars.len();
    let unit = c.unit.as_str();
    let no_data = t("tidak ada data");
    let values: Vec<f64> = c
        .bars
        .iter()
        .filter_map(|b| b.value)
        .filter(|v| v.is_finite())
        .collect();
    let mut hi = values.iter().copied().fold(0.0, f64::max);
    if let Some(d) = c.domain_max.filter(|d| d.is_finite()) {
        hi = hi.max(d);
    }
    let lo = values.iter().copied().fold(0.0, f64::min);

    let any_highlight = c.bars.iter().any(|b| b.highlight);
    // One long name shortens every name of the chart alike (Kab. beside Kab., not Kabupaten).
    let shorten = c
        .bars
        .iter()
        .any(|b| font::bold_width(&b.label, FONT) > MAX_NAME_W);
    let names: Vec<Vec<String>> = c
        .bars
        .iter()
        .map(|b| {
            let name = if shorten {
                font::short_form(&b.label)
            } else {
                b.label.clone()
            };
            font::label_lines(&name, FONT, MAX_NAME_W, b.highlight)
        })
        .collect();
    let row = if names.iter().any(|l| l.len() > 1) {
        ROW_TWO_LINES
    } else {
        ROW
    };
    let name_w = c
        .bars
        .iter()
        .zip(&names)
        .flat_map(|(b, lines)| lines.iter().map(move |t| font::width(t, FONT, b.highlight)))
        .fold(0.0, f64::max);
    let value_texts: Vec<String> = c
        .bars
        .iter()
        .map(|b| match b.value.filter(|v| v.is_finite()) {
            // The unit words are in the caption; values keep only % and Rp.
            Some(v) => style::format_short(v, unit, c.decimals),
            None => no_data.clone(),
        })
        .collect();
    let value_w = c
        .bars
        .iter()
        .zip(&value_texts)
        .filter(|(b, _)| b.value.is_some())
        .map(|(b, t)| {
            if b.highlight {
                font::bold_width(t, FONT)
            } else {
                font::text_width(t, FONT)
            }
        })
        .fold(0.0, f64::max);
    // As many ticks as fit under the bars without their labels touching.
    let plot_w = WIDTH - (name_w + 10.0) - (value_w + 10.0);
    let mut target = 4;
    let (ticks, tdec) = loop {
        let (t, d) = style::nice_ticks(lo, hi, target);
        let widest = t
            .iter()
            .map(|v| font::text_width(&style::format_tick(*v, unit, d), FONT))
            .fold(0.0, f64::max);
        if target <= 1 || (widest + 8.0) * t.len() as f64 <= plot_w {
            break (t, d);
        }
        target -= 1;
    };
    let x0 = ticks.first().copied().unwrap_or(0.0);
    let x1 = ticks.last().copied().unwrap_or(1.0);
    let last_tick = ticks
        .last()
        .map(|t| font::text_width(&style::format_tick(*t, unit, tdec), FONT) / 2.0)
        .unwrap_or(0.0);
    let left = (name_w + 10.0).ceil();
    let right = (value_w + 10.0).max(last_tick + 4.0).ceil();
    let height = (TOP_AREA + n.max(1) as f64 * row + 8.0).ceil();

    let mut buf = String::new();
    let mut rows = String::new();
    {
        let root =
            SVGBackend::with_string(&mut buf, (WIDTH as u32, height as u32)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin_right(right as u32)
            .margin_left(2)
            .margin_bottom(8)
            .set_label_area_size(LabelAreaPosition::Left, left as u32)
            .set_label_area_size(LabelAreaPosition::Top, TOP_AREA as u32)
            .build_cartesian_2d(
                Axis {
                    lo: x0,
                    hi: x1,
                    ticks: ticks.clone(),
                },
                Axis {
                    lo: n.max(1) as f64,
                    hi: 0.0,
                    ticks: Vec::new(),
                },
            )
            .map_err(|e| e.to_string())?;
        let xfmt = |v: &f64| style::format_tick(*v, unit, tdec);
        chart
            .configure_mesh()
            .disable_y_mesh()
            .bold_line_style(rgb(style::GRID).stroke_width(1))
            .light_line_style(TRANSPARENT)
            .axis_style(TRANSPARENT)
            .set_all_tick_mark_size(3)
            .x_label_formatter(&xfmt)
            .label_style(tick_label_style())
            .draw()
            .map_err(|e| e.to_string())?;
        if x0 < 0.0 {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(0.0, 0.0), (0.0, n as f64)],
                    rgb(style::BASELINE).stroke_width(1),
                )))
                .map_err(|e| e.to_string())?;
        }
        let pad = (row - BAR_H) / 2.0 / row;
        let bars = c.bars.iter().enumerate().filter_map(|(i, b)| {
            let v = b.value.filter(|v| v.is_finite())?;
            let color = if b.highlight {
                style::FOCUS
            } else if any_highlight {
                style::BAR_MUTED
            } else {
                style::BAR
            };
            let (a, z) = if v >= 0.0 { (0.0, v) } else { (v, 0.0) };
            Some(Rectangle::new(
                [(a, i as f64 + pad), (z, i as f64 + 1.0 - pad)],
                rgb(color).filled(),
            ))
        });
        chart.draw_series(bars).map_err(|e| e.to_string())?;

        let (plot_left, _) = chart.backend_coord(&(x0, 0.0));
        let (zero_x, _) = chart.backend_coord(&(0.0, 0.0));
        for (i, b) in c.bars.iter().enumerate() {
            let (_, top) = chart.backend_coord(&(x0, i as f64));
            let top = f64::from(top);
            let baseline = top + row / 2.0 + 5.0;
            let weight = if b.highlight {
                " font-weight=\"bold\""
            } else {
                ""
            };
            let full = match b.value.filter(|v| v.is_finite()) {
                Some(v) => format!("{}: {}", b.label, style::format_value(v, unit, c.decimals)),
                None => format!("{}: {no_data}", b.label),
            };
            if let Some(h) = &b.href {
                let _ = writeln!(rows, "<a href=\"{}\">", esc(h));
            }
            let _ = writeln!(
                rows,
                "<g data-kode=\"{}\"><title>{}</title>",
                esc(&b.code),
                esc(&full)
            );
            let _ = writeln!(
                rows,
                "<rect x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#FFFFFF\" fill-opacity=\"0\"/>",
                n1(top),
                n1(WIDTH),
                n1(row)
            );
            let name_x = n1(f64::from(plot_left) - 8.0);
            let _ = write!(
                rows,
                "<text x=\"{name_x}\" y=\"{}\" text-anchor=\"end\" fill=\"{}\"{weight}>",
                n1(baseline - (names[i].len() - 1) as f64 * NAME_LINE / 2.0),
                style::TEXT,
            );
            for (k, line) in names[i].iter().enumerate() {
                if k == 0 {
                    rows.push_str(&esc(line));
                } else {
                    let _ = write!(
                        rows,
                        "<tspan x=\"{name_x}\" dy=\"{}\">{}</tspan>",
                        n1(NAME_LINE),
                        esc(line)
                    );
                }
            }
            rows.push_str("</text>\n");
            match b.value.filter(|v| v.is_finite()) {
                Some(v) => {
                    let (end, _) = chart.backend_coord(&(v.max(0.0), 0.0));
                    let _ = writeln!(
                        rows,
                        "<text class=\"value\" x=\"{}\" y=\"{}\" fill=\"{}\"{weight}{}>{}</text>",
                        n1(f64::from(end) + 5.0),
                        n1(baseline),
                        style::TEXT,
                        style::HALO,
                        esc(&value_texts[i])
                    );
                }
                None => {
                    let _ = writeln!(
                        rows,
                        "<text class=\"value\" x=\"{}\" y=\"{}\" fill=\"{}\" font-style=\"italic\">{}</text>",
                        n1(f64::from(zero_x) + 5.0),
                        n1(baseline),
                        style::MUTED,
                        esc(&no_data)
                    );
                }
            }
            rows.push_str("</g>\n");
            if b.href.is_some() {
                rows.push_str("</a>\n");
            }
        }
        root.present().map_err(|e| e.to_string())?;
    }
    let mut out = style::svg_open(&c.id, "chart-bar", &c.title, &c.desc, WIDTH, height);
    if let Some(cap) = style::unit_caption(unit) {
        out.push_str(&style::text(
            4.0,
            TOP_AREA - 9.0,
            "start",
            &format!("fill=\"{}\"", style::MUTED),
            &cap,
        ));
    }
    out.push_str(&plotters_body(&buf));
    out.push_str(&rows);
    out.push_str("</svg>\n");
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// 38 provinces with made-up values, sorted high to low, one missing, one highlighted.
    pub(crate) fn provinces() -> BarChart {
        let mut bars: Vec<Bar> = crate::charts::tilegrid::PROVINCES
            .iter()
            .enumerate()
            .map(|(i, p)| Bar {
                code: p.code.to_string(),
                label: p.name.to_string(),
                value: if p.code == "93" {
                    None
                } else {
                    Some(4.0 + ((i * 37) % 29) as f64 * 0.9)
                },
                highlight: p.code == "36",
                href: Some(format!("/wilayah/{}/", p.code)),
            })
            .collect();
        bars.sort_by(|a, b| {
            b.value
                .unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&a.value.unwrap_or(f64::NEG_INFINITY))
        });
        BarChart {
            id: "p0-provinsi".into(),
            title: "Persentase penduduk miskin menurut provinsi, Maret 2024".into(),
            desc: "38 provinsi, diurutkan dari yang tertinggi".into(),
            unit: "persen".into(),
            decimals: 2,
            bars,
            domain_max: None,
        }
    }

    fn small() -> BarChart {
        BarChart {
            id: "b".into(),
            title: "Uji".into(),
            desc: "Uji".into(),
            unit: "persen".into(),
            decimals: 2,
            bars: vec![
                Bar {
                    code: "36.73".into(),
                    label: "Kota Serang".into(),
                    value: Some(5.65),
                    highlight: true,
                    href: Some("/36.73/".into()),
                },
                Bar {
                    code: "36.04".into(),
                    label: "Kabupaten Serang".into(),
                    value: None,
                    highlight: false,
                    href: None,
                },
                Bar {
                    code: "36.01".into(),
                    label: "Kabupaten Pandeglang".into(),
                    value: Some(9.0),
                    highlight: false,
                    href: None,
                },
            ],
            domain_max: Some(20.0),
        }
    }

    #[test]
    fn keeps_order_and_names_missing_values() {
        let svg = bar_chart(&small());
        let a = svg.find("data-kode=\"36.73\"").expect("first bar");
        let b = svg.find("data-kode=\"36.04\"").expect("second bar");
        let c = svg.find("data-kode=\"36.01\"").expect("third bar");
        assert!(a < b && b < c);
        assert!(svg.contains(">tidak ada data</text>"));
        assert!(svg.contains("<title>Kabupaten Serang: tidak ada data</title>"));
        assert!(svg.contains(">5,65%</text>") && svg.contains(">9,00%</text>"));
        assert!(svg.contains("<a href=\"/36.73/\">"));
        // Two bars drawn, none for the missing value; the shared scale reaches 20%.
        assert_eq!(
            svg.matches(&format!("fill=\"{}\"", style::FOCUS)).count(),
            1
        );
        assert!(svg.contains(">20%</text>"));
        assert!(svg.contains("role=\"img\"") && svg.contains("aria-labelledby=\"b-title b-desc\""));
    }

    #[test]
    fn values_are_in_order_top_to_bottom() {
        let c = provinces();
        let svg = bar_chart(&c);
        assert_eq!(svg.matches("data-kode=").count(), 38);
        let mut last = 0;
        for b in &c.bars {
            let i = svg
                .find(&format!("data-kode=\"{}\"", b.code))
                .expect("every bar");
            assert!(i > last);
            last = i;
        }
        assert_eq!(svg, bar_chart(&c));
    }
}
