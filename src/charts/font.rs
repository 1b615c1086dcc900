//! The one embedded font (DejaVu Sans): registration with plotters, text measuring, and the resvg font database.

use std::sync::{Arc, OnceLock};

use plotters::style::{FontDesc, FontFamily, FontStyle};
use resvg::usvg::fontdb;

use super::style::FONT_FAMILY;

/// DejaVu Sans from Debian's fonts-dejavu-core; licence in `assets/fonts/LICENSE-DejaVu.txt`.
pub const FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The family name inside the TTF, used by resvg to find it.
pub const FONT_NAME: &str = "DejaVu Sans";

/// plotters divides requested sizes by this factor when it writes SVG `font-size`.
pub const PLOTTERS_SIZE_FACTOR: f64 = 1.24;

/// DejaVu Sans Bold is about this much wider than the regular face; we only embed the
/// regular face, so bold text is measured as regular text times this factor.
const BOLD_FACTOR: f64 = 1.12;

static REGISTERED: OnceLock<bool> = OnceLock::new();
static FONTDB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();

/// Registers the font with plotters under [`FONT_FAMILY`] (once per process). Returns
/// whether the font is usable; when it is not, measuring falls back to an estimate.
pub fn ensure_registered() -> bool {
    *REGISTERED.get_or_init(|| {
        plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, FONT_BYTES).is_ok()
    })
}

/// The size to ask plotters for so that the SVG says `font-size="px"`.
pub fn plotters_size(px: f64) -> f64 {
    px * PLOTTERS_SIZE_FACTOR
}

/// Width of `text` at `px` pixels (regular face), measured with the embedded font.
///
/// plotters' measure is about 6% wider than the glyphs as drawn, which leaves a little
/// room when a browser substitutes a narrower font.
pub fn text_width(text: &str, px: f64) -> f64 {
    if text.is_empty() {
        return 0.0;
    }
    if ensure_registered() {
        let font = FontDesc::new(
            FontFamily::Name(FONT_FAMILY),
            plotters_size(1000.0),
            FontStyle::Normal,
        );
        if let Ok((w, _)) = font.box_size(text) {
            return f64::from(w) * px / 1000.0;
        }
    }
    text.chars().count() as f64 * 0.62 * px
}

/// Width of bold text.
pub fn bold_width(text: &str, px: f64) -> f64 {
    text_width(text, px) * BOLD_FACTOR
}

/// Greedy word wrap to lines no wider than `max_w`. A single word wider than `max_w`
/// gets a line of its own.
pub fn wrap(text: &str, px: f64, max_w: f64, bold: bool) -> Vec<String> {
    let measure = |s: &str| {
        if bold {
            bold_width(s, px)
        } else {
            text_width(s, px)
        }
    };
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        if cur.is_empty() {
            cur.push_str(word);
            continue;
        }
        let candidate = format!("{cur} {word}");
        if measure(&candidate) <= max_w {
            cur = candidate;
        } else {
            lines.push(std::mem::take(&mut cur));
            cur.push_str(word);
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Shortens `text` with a trailing "…" until it fits in `max_w`.
pub fn truncate(text: &str, px: f64, max_w: f64) -> String {
    if text_width(text, px) <= max_w {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut n = chars.len();
    while n > 1 {
        n -= 1;
        let s: String = chars[..n].iter().collect::<String>().trim_end().to_string() + "…";
        if text_width(&s, px) <= max_w {
            return s;
        }
    }
    "…".to_string()
}

/// A font database holding only the embedded font (no system fonts), shared by all
/// PNG renders. Generic `sans-serif` resolves to it too.
pub fn database() -> Arc<fontdb::Database> {
    FONTDB
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_font_data(FONT_BYTES.to_vec());
            db.set_sans_serif_family(FONT_NAME);
            db.set_serif_family(FONT_NAME);
            db.set_monospace_family(FONT_NAME);
            Arc::new(db)
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_registers_and_measures() {
        assert!(ensure_registered());
        let w = text_width("Jawa Timur", 14.0);
        // DejaVu Sans: about 0.6 em per character.
        assert!(w > 60.0 && w < 110.0, "{w}");
        assert!(text_width("WWW", 14.0) > text_width("iii", 14.0));
        assert_eq!(database().len(), 1);
    }

    #[test]
    fn wraps_and_truncates() {
        let lines = wrap(
            "Kabupaten Kepulauan Siau Tagulandang Biaro",
            14.0,
            120.0,
            false,
        );
        assert!(lines.len() >= 3, "{lines:?}");
        let t = truncate("Kabupaten Kepulauan Siau Tagulandang Biaro", 14.0, 100.0);
        assert!(t.ends_with('…') && text_width(&t, 14.0) <= 100.0, "{t}");
    }
}
