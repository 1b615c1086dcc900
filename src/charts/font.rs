//! The one embedded font (DejaVu Sans): registration with plotters, text measuring, and the resvg font database.

use std::sync::{Arc, OnceLock};

use plotters::style::FontStyle;
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
    match width_at_1000(text) {
        Some(w) => f64::from(w) * px / 1000.0,
        None => text.chars().count() as f64 * 0.62 * px,
    }
}

/// How many texts each thread remembers the width of before it starts afresh.
const MEASURED_MAX: usize = 50_000;

thread_local! {
    /// Widths already measured on this thread: charts repeat the same texts (tick labels,
    /// region names, the source line) thousands of times in a build, and laying out a text
    /// with the font was a tenth of the time a national portal spends drawing charts.
    static MEASURED: std::cell::RefCell<std::collections::HashMap<String, Option<u32>>> =
        Default::default();
}

/// The width of `text` at 1000 px as plotters lays it out, or `None` without the font.
fn width_at_1000(text: &str) -> Option<u32> {
    if let Some(w) = MEASURED.with_borrow(|m| m.get(text).copied()) {
        return w;
    }
    let w = Measure::default().then(text).map(Measure::at_1000);
    MEASURED.with_borrow_mut(|m| {
        if m.len() >= MEASURED_MAX {
            m.clear();
        }
        m.insert(text.to_string(), w);
    });
    w
}

/// Text measured as plotters lays it out (its `estimate_layout` for ab_glyph): the same
/// advances and kerning, added up in the same order, so a line being filled can be measured a
/// word at a time, not again from its start for every word (titles and page addresses
/// wrapped below each chart file: 2 % of a desa portal's build).
#[derive(Clone, Copy, Default)]
struct Measure {
    x: f32,
    /// The last glyph and, when ASCII, its character (the row of [`Ascii::kern`]).
    prev: Option<(ab_glyph::GlyphId, Option<u8>)>,
}

/// The embedded font at the size [`width_at_1000`] asks plotters for.
fn scaled_1000() -> Option<&'static ab_glyph::PxScaleFont<ab_glyph::FontRef<'static>>> {
    use ab_glyph::Font as _;
    static SCALED: OnceLock<Option<ab_glyph::PxScaleFont<ab_glyph::FontRef<'static>>>> =
        OnceLock::new();
    SCALED
        .get_or_init(|| {
            let font = ab_glyph::FontRef::try_from_slice(FONT_BYTES).ok()?;
            Some(font.into_scaled(plotters_size(1000.0) as f32))
        })
        .as_ref()
}

/// The ASCII characters' glyphs, advances and kerning pairs, asked of the font once: the
/// same values it gives for each character and pair (so a sum over them is the same), looked
/// up without searching its tables (nearly all chart text is ASCII).
struct Ascii {
    glyph: [ab_glyph::GlyphId; 128],
    advance: [f32; 128],
    /// `kern[a][b]`: the kerning between `a` and a following `b`.
    kern: Box<[[f32; 128]; 128]>,
}

/// [`Ascii`] for the font [`scaled_1000`] gives.
fn ascii() -> Option<&'static Ascii> {
    use ab_glyph::ScaleFont as _;
    static ASCII: OnceLock<Option<Ascii>> = OnceLock::new();
    ASCII
        .get_or_init(|| {
            let font = scaled_1000()?;
            let glyph: [ab_glyph::GlyphId; 128] =
                std::array::from_fn(|c| font.glyph_id(char::from(c as u8)));
            let advance = glyph.map(|g| font.h_advance(g));
            let mut kern = Box::new([[0.0; 128]; 128]);
            for (a, row) in kern.iter_mut().enumerate() {
                for (b, k) in row.iter_mut().enumerate() {
                    *k = font.kern(glyph[a], glyph[b]);
                }
            }
            Some(Ascii {
                glyph,
                advance,
                kern,
            })
        })
        .as_ref()
}

impl Measure {
    /// The measure with `text` added at the end.
    fn then(mut self, text: &str) -> Option<Measure> {
        use ab_glyph::ScaleFont as _;
        let font = scaled_1000()?;
        let table = ascii()?;
        for c in text.chars() {
            let ascii = u8::try_from(c).ok().filter(u8::is_ascii);
            let (glyph, advance) = match ascii {
                Some(a) => (table.glyph[usize::from(a)], table.advance[usize::from(a)]),
                None => {
                    let g = font.glyph_id(c);
                    (g, font.h_advance(g))
                }
            };
            self.x += advance;
            if let Some((prev, prev_ascii)) = self.prev {
                self.x += match (prev_ascii, ascii) {
                    (Some(p), Some(a)) => table.kern[usize::from(p)][usize::from(a)],
                    _ => font.kern(prev, glyph),
                };
            }
            self.prev = Some((glyph, ascii));
        }
        Some(self)
    }

    /// The width at 1000 px, as plotters' `box_size` gives it.
    fn at_1000(self) -> u32 {
        (self.x as i32).unsigned_abs()
    }

    /// The width at `px` pixels, as [`text_width`] gives it.
    fn width(self, px: f64) -> f64 {
        f64::from(self.at_1000()) * px / 1000.0
    }
}

/// Width of bold text.
pub fn bold_width(text: &str, px: f64) -> f64 {
    text_width(text, px) * BOLD_FACTOR
}

/// Width of text, bold or not.
pub fn width(text: &str, px: f64, bold: bool) -> f64 {
    if bold {
        bold_width(text, px)
    } else {
        text_width(text, px)
    }
}

/// Greedy word wrap to lines no wider than `max_w`. A single word wider than `max_w`
/// gets a line of its own.
pub fn wrap(text: &str, px: f64, max_w: f64, bold: bool) -> Vec<String> {
    let factor = if bold { BOLD_FACTOR } else { 1.0 };
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    // The line so far, measured (`None`: measured whole each time, as without the font).
    let mut measured = Some(Measure::default());
    for word in text.split_whitespace() {
        if cur.is_empty() {
            cur.push_str(word);
            measured = Measure::default().then(word);
            continue;
        }
        let longer = measured.and_then(|m| m.then(" ")?.then(word));
        let fits = match longer {
            Some(m) => m.width(px) * factor <= max_w,
            None => width(&format!("{cur} {word}"), px, bold) <= max_w,
        };
        if fits {
            cur.push(' ');
            cur.push_str(word);
            measured = longer;
        } else {
            lines.push(std::mem::take(&mut cur));
            cur.push_str(word);
            measured = Measure::default().then(word);
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// The usual short forms of Indonesian region names, longest first: `Kab. Kep. Seribu`,
/// `DI Yogyakarta`, `Kep. Bangka Belitung`. Used only where the whole name does not fit; the
/// whole name stays in the chart's `<title>` and in the table.
const SHORT_FORMS: [(&str, &str); 6] = [
    ("Daerah Khusus Ibukota ", "DKI "),
    ("Daerah Istimewa ", "DI "),
    ("Kabupaten Administrasi ", "Kab. Adm. "),
    ("Kota Administrasi ", "Kota Adm. "),
    ("Kabupaten ", "Kab. "),
    ("Kepulauan ", "Kep. "),
];

/// A region name with the usual short forms ([`SHORT_FORMS`]): `Kab. Kep. Seribu`.
pub fn short_form(name: &str) -> String {
    SHORT_FORMS
        .iter()
        .fold(name.to_string(), |s, (long, short)| s.replace(long, short))
}

/// A name in at most two lines no wider than `max_w`: whole on one line when it fits, else
/// with the usual short forms ([`SHORT_FORMS`]), else wrapped on two lines. Nothing is cut
/// unless even two lines cannot hold it (a name of over forty letters without abbreviations).
pub fn label_lines(name: &str, px: f64, max_w: f64, bold: bool) -> Vec<String> {
    let measure = |s: &str| width(s, px, bold);
    if measure(name) <= max_w {
        return vec![name.to_string()];
    }
    let short = short_form(name);
    if measure(&short) <= max_w {
        return vec![short];
    }
    let mut lines = wrap(&short, px, max_w, bold);
    if lines.len() > 2 {
        let rest = lines.split_off(1).join(" ");
        lines.push(truncate(
            &rest,
            px,
            max_w / if bold { BOLD_FACTOR } else { 1.0 },
        ));
    }
    lines
}

/// An address in lines no wider than `max_w`, broken after `/`, `-` or `.` (never cut):
/// `https://portal.example.org/wilayah/` + `36.73-kota-serang/`.
pub fn wrap_url(url: &str, px: f64, max_w: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut measured = Some(Measure::default());
    for piece in url.split_inclusive(['/', '-', '.']) {
        let longer = measured.and_then(|m| m.then(piece));
        let too_wide = match longer {
            Some(m) => m.width(px) > max_w,
            None => text_width(&format!("{cur}{piece}"), px) > max_w,
        };
        if !cur.is_empty() && too_wide {
            lines.push(std::mem::take(&mut cur));
            measured = Measure::default().then(piece);
        } else {
            measured = longer;
        }
        cur.push_str(piece);
    }
    if !cur.is_empty() || lines.is_empty() {
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
    use plotters::style::{FontDesc, FontFamily};

    #[test]
    fn lines_measured_word_by_word_wrap_as_measured_whole() {
        // The old way: every candidate line measured whole through plotters.
        fn wrap_whole(text: &str, px: f64, max_w: f64, bold: bool) -> Vec<String> {
            let mut lines: Vec<String> = Vec::new();
            let mut cur = String::new();
            for word in text.split_whitespace() {
                if cur.is_empty() {
                    cur.push_str(word);
                    continue;
                }
                let candidate = format!("{cur} {word}");
                if width(&candidate, px, bold) <= max_w {
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
        fn wrap_url_whole(url: &str, px: f64, max_w: f64) -> Vec<String> {
            let mut lines: Vec<String> = Vec::new();
            let mut cur = String::new();
            for piece in url.split_inclusive(['/', '-', '.']) {
                if !cur.is_empty() && text_width(&format!("{cur}{piece}"), px) > max_w {
                    lines.push(std::mem::take(&mut cur));
                }
                cur.push_str(piece);
            }
            if !cur.is_empty() || lines.is_empty() {
                lines.push(cur);
            }
            lines
        }
        assert!(ensure_registered());
        let texts = [
            "Persentase penduduk miskin (P0) menurut kabupaten/kota, Provinsi Banten, Maret 2013–2025",
            "AVATAR To Ta Ty We Yo LT ff fi \"kutip\" — 中文 🌾 Kab. Kep. Seribu",
            "Sumber: BPS, Survei Sosial Ekonomi Nasional (Susenas) Maret; diolah oleh TKPKD",
            "",
            "satu",
        ];
        for text in texts {
            for (px, max_w) in [(12.0, 80.0), (14.0, 300.0), (17.0, 620.0), (11.0, 5.0)] {
                for bold in [false, true] {
                    assert_eq!(
                        wrap(text, px, max_w, bold),
                        wrap_whole(text, px, max_w, bold)
                    );
                }
            }
            // The measure is plotters' own, which draws the text.
            let plotters = FontDesc::new(
                FontFamily::Name(FONT_FAMILY),
                plotters_size(1000.0),
                FontStyle::Normal,
            )
            .box_size(text)
            .unwrap()
            .0;
            assert_eq!(
                Measure::default().then(text).unwrap().at_1000(),
                plotters,
                "{text}"
            );
        }
        let urls = [
            "https://portal.example.org/wilayah/36.73-kota-serang/",
            "https://uji.example.org/wilayah/96.71.10.1004-tanjung-kasuari/p0-sintetis-desa.svg",
            "https://x.id/",
        ];
        for url in urls {
            for max_w in [40.0, 200.0, 400.0, 2000.0] {
                assert_eq!(wrap_url(url, 11.0, max_w), wrap_url_whole(url, 11.0, max_w));
            }
        }
    }

    #[test]
    fn every_ascii_pair_measures_as_plotters_lays_it_out() {
        // The ASCII table's advances and kerning, and the switch to the font's own tables at
        // a character beyond ASCII (either side), give plotters' widths.
        assert!(ensure_registered());
        let font = FontDesc::new(
            FontFamily::Name(FONT_FAMILY),
            plotters_size(1000.0),
            FontStyle::Normal,
        );
        let printable = (0x20u8..0x7f).map(char::from);
        for a in printable.clone() {
            for b in printable.clone() {
                for text in [format!("{a}{b}"), format!("é{a}{b}ô"), format!("{a}—{b}")] {
                    assert_eq!(
                        Measure::default().then(&text).unwrap().at_1000(),
                        font.box_size(&text).unwrap().0,
                        "{text:?}"
                    );
                }
            }
        }
    }

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
    fn region_names_are_shortened_then_wrapped_never_cut() {
        assert_eq!(label_lines("Banten", 15.0, 185.0, false), ["Banten"]);
        assert_eq!(
            label_lines("Daerah Istimewa Yogyakarta", 15.0, 185.0, false),
            ["DI Yogyakarta"]
        );
        assert_eq!(
            label_lines("Kepulauan Bangka Belitung", 15.0, 185.0, false),
            ["Kep. Bangka Belitung"]
        );
        let siau = label_lines(
            "Kabupaten Kepulauan Siau Tagulandang Biaro",
            15.0,
            185.0,
            true,
        );
        assert_eq!(siau.join(" "), "Kab. Kep. Siau Tagulandang Biaro");
        assert!(siau.len() == 2 && siau.iter().all(|l| bold_width(l, 15.0) <= 185.0));
        // Tapanuli Selatan and Tapanuli Tengah stay apart.
        let a = label_lines("Kabupaten Tapanuli Selatan", 15.0, 185.0, false);
        let b = label_lines("Kabupaten Tapanuli Tengah", 15.0, 185.0, false);
        assert_ne!(a, b);
        assert!(!a.concat().contains('…') && !b.concat().contains('…'));
    }

    #[test]
    fn addresses_wrap_whole() {
        let url =
            "https://portal-data-kemiskinan.example.org/wilayah/36.73-kota-serang/p0-rincian.png";
        let lines = wrap_url(url, 15.0, 300.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), url);
        assert!(
            lines.iter().all(|l| text_width(l, 15.0) <= 300.0),
            "{lines:?}"
        );
        assert_eq!(wrap_url("/a/", 15.0, 300.0), ["/a/"]);
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
