//! Shared look of all charts: palette, font family and sizes, number/unit formatting, nice ticks, SVG helpers.

use std::fmt::Write as _;

use crate::i18n::{Lang, lang, t};
use crate::locale;

/// Named in every SVG. The embedded DejaVu Sans is used to measure; DejaVu is wide, so a
/// browser that substitutes a narrower font still fits in the measured space.
pub const FONT_FAMILY: &str = "DejaVu Sans, Verdana, Arial, sans-serif";

/// Width of every chart's viewBox: text at 15 units is 12 px when the chart is 320 px wide (a 360 px phone).
pub const WIDTH: f64 = 400.0;
/// Tick labels, direct labels, legends.
pub const FONT: f64 = 15.0;
/// Standalone titles.
pub const FONT_TITLE: f64 = 20.0;
/// Line height of 14-unit text.
pub const LINE_H: f64 = 18.0;

/// Body text.
pub const TEXT: &str = "#222222";
/// Tick labels and notes (7:1 contrast on white).
pub const MUTED: &str = "#595959";
/// Light gridlines.
pub const GRID: &str = "#E2E2E2";
/// The zero line.
pub const BASELINE: &str = "#8C8C8C";

/// Focus series and highlighted bars: the strongest colour.
pub const FOCUS: &str = "#0B4F9C";
/// The parent region (province of a kab/kota).
pub const PARENT: &str = "#C05A00";
/// The nation: grey, drawn dashed.
pub const NATION: &str = "#6B6B6B";
/// Other series, in turn; all readable as text on white.
pub const OTHERS: [&str; 4] = ["#2E7D6E", "#7B4FA0", "#8C564B", "#5F6F1A"];
/// A target: its dashed level, its diamond and its label (6.5:1 on white).
pub const TARGET: &str = "#1D6B3A";
/// Bars that are not highlighted when some are.
pub const BAR_MUTED: &str = "#A9BCD6";
/// Bars when none is highlighted.
pub const BAR: &str = "#4F7CB3";
/// Lines of the "no data" hatch.
pub const HATCH: &str = "#9A9A9A";

/// Is this unit a percentage?
pub fn is_percent(unit: &str) -> bool {
    let u = unit.trim().to_lowercase();
    u == "%" || u.starts_with("persen") || u.starts_with("percent")
}

/// Is this unit rupiah (also "rupiah/kapita/bulan")?
pub fn is_rupiah(unit: &str) -> bool {
    let u = unit.trim().to_lowercase();
    u.starts_with("rupiah") || u == "rp"
}

/// A value with its unit, Indonesian style: `5,65%`, `Rp505.469`, `Rp3,2 triliun`,
/// `1.234,5 ribu jiwa`.
pub fn format_value(v: f64, unit: &str, decimals: usize) -> String {
    if is_percent(unit) {
        locale::percent(v, decimals)
    } else if is_rupiah(unit) {
        if v.abs() >= 1e9 {
            locale::rupiah(v)
        } else {
            let sign = if v < 0.0 { "−" } else { "" };
            format!("{sign}Rp{}", locale::number(v.abs(), decimals))
        }
    } else if unit.trim().is_empty() {
        locale::number(v, decimals)
    } else {
        format!("{} {}", locale::number(v, decimals), t(unit.trim()))
    }
}

/// A value without unit words (for ticks and tiles): `%` and `Rp` stay, other units go
/// to a caption.
pub fn format_short(v: f64, unit: &str, decimals: usize) -> String {
    if is_percent(unit) || is_rupiah(unit) {
        format_value(v, unit, decimals)
    } else {
        locale::number(v, decimals)
    }
}

/// An axis tick: like [`format_short`], but rupiah compact (`Rp800 rb`, `Rp1,2 jt`, `Rp3 M`,
/// `Rp2 T`; in English `Rp800k`, `Rp1.2m`, `Rp3bn`, `Rp2tn`) so the axis leaves room for the
/// plot on a phone.
pub fn format_tick(v: f64, unit: &str, decimals: usize) -> String {
    if !is_rupiah(unit) || v.abs() < 1e3 {
        return format_short(v, unit, decimals);
    }
    let en = lang() == Lang::En;
    let (div, word) = match v.abs() {
        a if a >= 1e12 => (1e12, if en { "tn" } else { " T" }),
        a if a >= 1e9 => (1e9, if en { "bn" } else { " M" }),
        a if a >= 1e6 => (1e6, if en { "m" } else { " jt" }),
        _ => (1e3, if en { "k" } else { " rb" }),
    };
    let sign = if v < 0.0 { "−" } else { "" };
    format!("{sign}Rp{}{word}", locale::number_trim(v.abs() / div, 1))
}

/// The caption naming the unit when ticks do not show it.
pub fn unit_caption(unit: &str) -> Option<String> {
    if is_percent(unit) || is_rupiah(unit) || unit.trim().is_empty() {
        None
    } else {
        Some(t(unit.trim()))
    }
}

/// A coordinate rounded to one decimal, without a trailing `.0` (`12`, `12.5`, `-3.2`).
pub fn n1(v: f64) -> String {
    let mut s = String::new();
    push_n1(&mut s, v);
    s
}

/// [`n1`] written onto `out`, without a string of its own: a map's outlines are thousands of
/// coordinates, and formatting each as a float into a new string was a twentieth of a
/// national portal's rebuild.
pub fn push_n1(out: &mut String, v: f64) {
    use std::fmt::Write as _;
    let tenths = (v * 10.0).round();
    if !tenths.is_finite() || tenths.abs() >= 9e15 {
        // Beyond what an SVG coordinate ever is: as the float formats it.
        let r = tenths / 10.0;
        let _ = write!(out, "{r:.1}");
        return;
    }
    let t = tenths as i64;
    if t < 0 {
        out.push('-');
    }
    let (whole, tenth) = (t.unsigned_abs() / 10, t.unsigned_abs() % 10);
    let _ = write!(out, "{whole}");
    if tenth != 0 {
        out.push('.');
        out.push(char::from(b'0' + tenth as u8));
    }
}

/// Escapes text for XML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            other => out.push(other),
        }
    }
    out
}

/// Round tick positions covering `lo..=hi`, about `target` of them, and the decimals
/// their labels need.
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, usize) {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else if hi == 0.0 {
        (0.0, 1.0)
    } else {
        (lo.min(0.0), hi.abs().max(lo.abs()) * 1.1)
    };
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    let step = nice * mag;
    let start = (lo / step + 1e-9).floor() as i64;
    let end = (hi / step - 1e-9).ceil() as i64;
    let ticks = (start..=end).map(|i| i as f64 * step).collect();
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    (ticks, decimals)
}

/// The opening `<svg>` of a responsive, accessible chart: viewBox only (no fixed size),
/// `role="img"`, `<title>` and `<desc>` tied with `aria-labelledby`.
pub fn svg_open(id: &str, class: &str, title: &str, desc: &str, w: f64, h: f64) -> String {
    let id = esc(id);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"100%\" \
         style=\"height:auto;max-width:100%\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         class=\"chart {class}\" font-family=\"{FONT_FAMILY}\" font-size=\"{FONT}\">\n\
         <title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
        n1(w),
        n1(h),
        esc(title),
        esc(desc)
    );
    s
}

/// Attributes that give a label a white halo, so that a gridline or line passing under it does not cut it.
pub const HALO: &str =
    " stroke=\"#FFFFFF\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"";

/// A `<pattern>` of diagonal grey lines for regions without data.
pub fn hatch_pattern(id: &str) -> String {
    format!(
        "<pattern id=\"{}-nodata\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" \
         patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#FFFFFF\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{HATCH}\" stroke-width=\"2.5\"/></pattern>\n",
        esc(id)
    )
}

/// `<text>` at (x, y) with the given anchor and extra attributes.
pub fn text(x: f64, y: f64, anchor: &str, attrs: &str, content: &str) -> String {
    let anchor = if anchor == "start" {
        String::new()
    } else {
        format!(" text-anchor=\"{anchor}\"")
    };
    let attrs = if attrs.is_empty() {
        String::new()
    } else {
        format!(" {attrs}")
    };
    format!(
        "<text x=\"{}\" y=\"{}\"{anchor}{attrs}>{}</text>\n",
        n1(x),
        n1(y),
        esc(content)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_values() {
        assert_eq!(format_value(5.654, "persen", 2), "5,65%");
        assert_eq!(
            format_value(505469.0, "rupiah/kapita/bulan", 0),
            "Rp505.469"
        );
        assert_eq!(format_value(1234.5, "ribu jiwa", 1), "1.234,5 ribu jiwa");
        assert_eq!(format_short(1234.5, "ribu jiwa", 1), "1.234,5");
        assert_eq!(format_tick(800_000.0, "rupiah/kapita/bulan", 0), "Rp800 rb");
        assert_eq!(format_tick(1_200_000.0, "rupiah", 0), "Rp1,2 jt");
        assert_eq!(format_tick(2.2e12, "rupiah", 0), "Rp2,2 T");
        assert_eq!(format_tick(5.5, "persen", 0), "6%");
        assert_eq!(n1(12.04), "12");
        assert_eq!(n1(-0.01), "0");
        assert_eq!(n1(3.25), "3.3");
        assert_eq!(n1(-0.34), "-0.3");
        assert_eq!(n1(-12.96), "-13");
    }

    #[test]
    fn coordinates_are_written_as_the_float_formatting_wrote_them() {
        let by_float = |v: f64| {
            let r = (v * 10.0).round() / 10.0;
            let r = if r == 0.0 { 0.0 } else { r };
            if r.fract() == 0.0 {
                format!("{}", r as i64)
            } else {
                format!("{r:.1}")
            }
        };
        let mut v = -1234.567_f64;
        while v < 1234.567 {
            assert_eq!(n1(v), by_float(v), "{v}");
            v += 0.0123;
        }
        for v in [0.05, -0.05, 0.049_999, 1e9 + 0.06, -7.95, 799.95] {
            assert_eq!(n1(v), by_float(v), "{v}");
        }
    }

    #[test]
    fn ticks_are_round() {
        let (t, d) = nice_ticks(0.0, 23.4, 5);
        assert_eq!(t, vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0]);
        assert_eq!(d, 0);
        let (t, d) = nice_ticks(0.0, 0.9, 4);
        assert_eq!(t, vec![0.0, 0.5, 1.0]);
        assert_eq!(d, 1);
    }
}
