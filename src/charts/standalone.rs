//! Self-contained SVG for download (and PNG input): title, the chart, source and page URL, white background.

use std::fmt::Write as _;

use super::font;
use super::style::{self, FONT, FONT_TITLE, LINE_H, WIDTH, esc, n1};
use crate::i18n::{Lang, lang, t, tf};

const MARGIN: f64 = 16.0;

/// The width and height in a chart's `viewBox="0 0 W H"`.
fn view_box(svg: &str) -> Option<(f64, f64)> {
    let head = &svg[..svg.find('>')?];
    let start = head.find("viewBox=\"")? + 9;
    let rest = &head[start..];
    let nums: Vec<f64> = rest[..rest.find('"')?]
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match nums[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w, h)),
        _ => None,
    }
}

/// The chart's root tag rewritten to sit at (x, y) with a fixed size; its other attributes
/// (viewBox, role, labels, font) are kept.
fn nested(svg: &str, x: f64, y: f64, w: f64, h: f64) -> String {
    let Some(start) = svg.find("<svg") else {
        return String::new();
    };
    let Some(end) = svg[start..].find('>').map(|e| start + e) else {
        return String::new();
    };
    let tag = &svg[start + 4..end];
    let mut kept = String::new();
    let mut rest = tag.trim_start();
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq].trim();
        let after = &rest[eq + 2..];
        let Some(close) = after.find('"') else { break };
        let value = &after[..close];
        if !matches!(name, "width" | "height" | "x" | "y" | "style") {
            let _ = write!(kept, " {name}=\"{value}\"");
        }
        rest = after[close + 1..].trim_start();
    }
    format!(
        "<svg x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{kept}>{}",
        n1(x),
        n1(y),
        n1(w),
        n1(h),
        &svg[end + 1..]
    )
}

/// Wraps an inline chart for download: the title on top, the chart, then "Sumber: …" and
/// the page URL, on white, with a fixed width and height.
pub fn standalone(svg: &str, title: &str, source_line: &str, page_url: &str) -> String {
    font::ensure_registered();
    let (w, h) = view_box(svg).unwrap_or((WIDTH, 400.0));
    let total_w = w + 2.0 * MARGIN;
    let title_lines = font::wrap(title, FONT_TITLE, w, true);
    let title_lh = FONT_TITLE * 1.3;
    let chart_y = MARGIN + title_lines.len() as f64 * title_lh + 8.0;
    let source = source_line.trim();
    let lower = source.to_lowercase();
    let source = match lower.strip_prefix("sumber:") {
        // A source written "Sumber: …" in the data is named in the page's language.
        Some(_) if lang() != Lang::Id => tf(
            "Sumber: {sumber}",
            &[("sumber", source["sumber:".len()..].trim())],
        ),
        _ if lower.starts_with("sumber") || lower.starts_with(&t("Sumber").to_lowercase()) => {
            source.to_string()
        }
        _ => tf("Sumber: {sumber}", &[("sumber", source)]),
    };
    let mut source_lines = font::wrap(&source, FONT, w, false);
    source_lines.extend(font::wrap_url(page_url, FONT, w));
    let foot_y = chart_y + h + 12.0;
    let total_h = (foot_y + source_lines.len() as f64 * LINE_H + MARGIN).ceil();

    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {tw} {th}\" width=\"{tw}\" height=\"{th}\" \
         role=\"img\" aria-labelledby=\"unduhan-title\" font-family=\"{}\" font-size=\"{FONT}\">",
        style::FONT_FAMILY,
        tw = n1(total_w),
        th = n1(total_h)
    );
    let _ = writeln!(out, "<title id=\"unduhan-title\">{}</title>", esc(title));
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>"
    );
    for (i, line) in title_lines.iter().enumerate() {
        out.push_str(&style::text(
            MARGIN,
            MARGIN + FONT_TITLE + i as f64 * title_lh,
            "start",
            &format!(
                "fill=\"{}\" font-size=\"{FONT_TITLE}\" font-weight=\"bold\"",
                style::TEXT
            ),
            line,
        ));
    }
    out.push_str(&nested(svg, MARGIN, chart_y, w, h));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    for (i, line) in source_lines.iter().enumerate() {
        out.push_str(&style::text(
            MARGIN,
            foot_y + 13.0 + i as f64 * LINE_H,
            "start",
            &format!("fill=\"{}\"", style::MUTED),
            line,
        ));
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_chart_with_title_source_and_url() {
        let chart = crate::charts::line::line_chart(&crate::charts::line::tests::sample());
        let s = standalone(
            &chart,
            "Persentase penduduk miskin Kota Serang & Banten",
            "Badan Pusat Statistik",
            "https://contoh.id/wilayah/36.73/",
        );
        assert!(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 432 "));
        assert!(s.contains(" width=\"432\" height=\""));
        assert!(s.contains("<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>"));
        assert!(
            s.contains(">Persentase penduduk miskin Kota Serang &amp;")
                && s.contains("Banten</text>"),
            "{s}"
        );
        assert!(s.contains(">Sumber: Badan Pusat Statistik</text>"));
        assert!(s.contains(">https://contoh.id/wilayah/36.73/</text>"));
        assert!(s.contains("<svg x=\"16\" y=\""));
        assert!(!s.contains("width=\"100%\" style"));
        assert_eq!(s.matches("<svg").count(), 2);
        assert_eq!(s.matches("</svg>").count(), 2);
        let png = crate::charts::to_png(&s, 1344).expect("png");
        assert_eq!(&png[..4], b"\x89PNG");
    }
}
