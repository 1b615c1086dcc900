//! Class breaks (quantiles rounded to the shown decimals), the colour-blind-safe sequential palette, and the map legend.

use std::fmt::Write as _;

use super::font;
use super::style::{self, FONT, LINE_H, esc, n1};
use crate::i18n::tf;

/// ColorBrewer YlOrRd (colour-blind safe, prints in grey), light to dark, by class count.
const PALETTES: [&[&str]; 5] = [
    &["#FD8D3C"],
    &["#FECC5C", "#E31A1C"],
    &["#FFEDA0", "#FEB24C", "#F03B20"],
    &["#FFFFB2", "#FECC5C", "#FD8D3C", "#E31A1C"],
    &["#FFFFB2", "#FECC5C", "#FD8D3C", "#F03B20", "#BD0026"],
];

/// Values split into at most 5 classes; darker means worse.
#[derive(Debug, Clone)]
pub struct Classes {
    /// Lower bounds of classes 1.. (class 0 is everything below `breaks[0]`).
    pub breaks: Vec<f64>,
    /// Fill per class, in ascending value order.
    pub colors: Vec<&'static str>,
    /// Legend text per class, without unit: `< 5,00`, `5,00–7,50`, `≥ 12,00`.
    pub labels: Vec<String>,
    /// The unit, shown once before the swatches.
    pub unit: String,
}

impl Classes {
    /// Quantile classes of `values`, with breaks rounded to `decimals` so the legend shows
    /// exactly the thresholds used. `lower_is_better`: high values are dark; otherwise low
    /// values are dark.
    pub fn quantile(
        values: &[f64],
        k: usize,
        unit: &str,
        decimals: usize,
        lower_is_better: bool,
    ) -> Classes {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        if sorted.is_empty() {
            return Classes {
                breaks: Vec::new(),
                colors: Vec::new(),
                labels: Vec::new(),
                unit: unit.to_string(),
            };
        }
        let k = k.clamp(1, 5);
        let scale = 10f64.powi(decimals.min(12) as i32);
        let mut breaks: Vec<f64> = Vec::new();
        for j in 1..k {
            let idx = (j * sorted.len()) / k;
            let b = (sorted[idx.min(sorted.len() - 1)] * scale).round() / scale;
            if b > sorted[0] && breaks.last().is_none_or(|&last| b > last) {
                breaks.push(b);
            }
        }
        let n = breaks.len() + 1;
        let mut colors: Vec<&'static str> = PALETTES[n - 1].to_vec();
        if !lower_is_better {
            colors.reverse();
        }
        let f = |v: f64| crate::locale::number(v, decimals);
        let labels = if breaks.is_empty() {
            let (lo, hi) = (sorted[0], sorted[sorted.len() - 1]);
            if f(lo) == f(hi) {
                vec![f(lo)]
            } else {
                vec![format!("{}–{}", f(lo), f(hi))]
            }
        } else {
            let mut l = vec![format!("< {}", f(breaks[0]))];
            for w in breaks.windows(2) {
                l.push(format!("{}–{}", f(w[0]), f(w[1])));
            }
            l.push(format!("≥ {}", f(breaks[breaks.len() - 1])));
            l
        };
        Classes {
            breaks,
            colors,
            labels,
            unit: unit.to_string(),
        }
    }

    /// The class of `v`.
    pub fn class_of(&self, v: f64) -> usize {
        self.breaks.iter().take_while(|&&b| v >= b).count()
    }

    /// The fill for `v`.
    pub fn color_of(&self, v: f64) -> &'static str {
        self.colors
            .get(self.class_of(v))
            .copied()
            .unwrap_or(style::HATCH)
    }

    /// A legend at (x, y), `width` wide: one swatch per class with its range, then a hatched
    /// swatch naming the regions without data. Returns the SVG and its height.
    pub fn legend(
        &self,
        id: &str,
        x: f64,
        y: f64,
        width: f64,
        no_data: &[String],
    ) -> (String, f64) {
        let mut s = String::from("<g class=\"legend\">\n");
        let sw = 18.0;
        let sh = 14.0;
        let mut cx = x;
        let mut cy = y;
        if !self.colors.is_empty() && !self.unit.trim().is_empty() {
            let cap = format!("{}:", crate::model::indicator::unit_words(self.unit.trim()));
            s.push_str(&style::text(
                cx,
                cy + 13.0,
                "start",
                &format!("fill=\"{}\"", style::MUTED),
                &cap,
            ));
            cx += font::text_width(&cap, FONT) + 10.0;
        }
        for (color, label) in self.colors.iter().zip(&self.labels) {
            let w = sw + 5.0 + font::text_width(label, FONT) + 12.0;
            if cx > x && cx + w > x + width {
                cx = x;
                cy += LINE_H + 6.0;
            }
            let _ = writeln!(
                s,
                "<rect x=\"{}\" y=\"{}\" width=\"{sw}\" height=\"{sh}\" fill=\"{color}\" stroke=\"#BBBBBB\" stroke-width=\"0.5\"/>",
                n1(cx),
                n1(cy + 1.0)
            );
            s.push_str(&style::text(
                cx + sw + 5.0,
                cy + 13.0,
                "start",
                &format!("fill=\"{}\"", style::TEXT),
                label,
            ));
            cx += w;
        }
        if !self.colors.is_empty() {
            cy += LINE_H + 8.0;
        }
        if !no_data.is_empty() {
            let shown = 8;
            let mut names = no_data[..no_data.len().min(shown)].join(", ");
            if no_data.len() > shown {
                names.push(' ');
                names.push_str(&tf(
                    "dan {jumlah} lainnya",
                    &[("jumlah", &(no_data.len() - shown).to_string())],
                ));
            }
            let text = tf("Tidak ada data: {wilayah}", &[("wilayah", &names)]);
            let lines = font::wrap(&text, FONT, width - sw - 6.0, false);
            let _ = writeln!(
                s,
                "<rect x=\"{}\" y=\"{}\" width=\"{sw}\" height=\"{sh}\" fill=\"url(#{}-nodata)\" stroke=\"#BBBBBB\" stroke-width=\"0.5\"/>",
                n1(x),
                n1(cy + 1.0),
                esc(id)
            );
            for (i, line) in lines.iter().enumerate() {
                s.push_str(&style::text(
                    x + sw + 6.0,
                    cy + 13.0 + i as f64 * LINE_H,
                    "start",
                    &format!("fill=\"{}\"", style::TEXT),
                    line,
                ));
            }
            cy += lines.len() as f64 * LINE_H + 8.0;
        }
        s.push_str("</g>\n");
        (s, cy - y)
    }
}

/// Text colour with the better contrast on `fill` (a `#RRGGBB` colour).
pub fn text_on(fill: &str) -> &'static str {
    let h = fill.trim_start_matches('#');
    let ch = |i: usize| {
        let c = h
            .get(i..i + 2)
            .and_then(|s| u8::from_str_radix(s, 16).ok())
            .map_or(1.0, |v| f64::from(v) / 255.0);
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let lum = 0.2126 * ch(0) + 0.7152 * ch(2) + 0.0722 * ch(4);
    // Contrast with #222222 (luminance ~0.016) against contrast with white.
    let dark = (lum + 0.05) / (0.016 + 0.05);
    let light = 1.05 / (lum + 0.05);
    if dark >= light {
        style::TEXT
    } else {
        "#FFFFFF"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_breaks_and_labels() {
        let v: Vec<f64> = (1..=20).map(f64::from).collect();
        let c = Classes::quantile(&v, 5, "persen", 1, true);
        assert_eq!(c.breaks, vec![5.0, 9.0, 13.0, 17.0]);
        assert_eq!(c.labels[0], "< 5,0");
        assert_eq!(c.labels[1], "5,0–9,0");
        assert_eq!(c.labels[4], "≥ 17,0");
        assert_eq!(c.class_of(1.0), 0);
        assert_eq!(c.class_of(17.0), 4);
        assert_eq!(c.color_of(20.0), "#BD0026");
        let r = Classes::quantile(&v, 5, "persen", 1, false);
        assert_eq!(r.color_of(20.0), "#FFFFB2");
        let same = Classes::quantile(&[3.0, 3.0], 5, "persen", 1, true);
        assert_eq!(same.labels, vec!["3,0"]);
    }

    #[test]
    fn readable_text() {
        assert_eq!(text_on("#FFFFB2"), style::TEXT);
        assert_eq!(text_on("#BD0026"), "#FFFFFF");
    }
}
