//! PNG export of chart SVGs with resvg, using only the embedded font (no system fonts).

use resvg::{tiny_skia, usvg};

use super::font;

/// Renders `svg` to a PNG `width_px` wide (height from the aspect ratio) on white.
pub fn to_png(svg: &str, width_px: u32) -> Result<Vec<u8>, String> {
    if width_px == 0 || width_px > 10_000 {
        return Err(format!("lebar PNG tidak wajar: {width_px} piksel"));
    }
    let opt = usvg::Options {
        font_family: font::FONT_NAME.to_string(),
        fontdb: font::database(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| format!("SVG tidak valid: {e}"))?;
    let size = tree.size();
    let scale = width_px as f32 / size.width();
    let height_px = (size.height() * scale).ceil().max(1.0) as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width_px, height_px)
        .ok_or_else(|| format!("ukuran PNG tidak wajar: {width_px}×{height_px}"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    encode(width_px, height_px, &pixmap.take_demultiplied())
        .map_err(|e| format!("PNG tidak dapat dibuat: {e}"))
}

/// The pixels as an 8-bit RGBA PNG without row filters: flat-colour charts compress better
/// without them, about a fifth smaller than tiny-skia's adaptive filters for the same time
/// (measured on Jawa Timur's four chart kinds, `docs/benchmarks.md`).
fn encode(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    encoder.set_filter(png::Filter::NoFilter);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgba)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_has_magic_and_ink() {
        let svg = crate::charts::line::line_chart(&crate::charts::line::tests::sample());
        let png = to_png(&svg, 640).expect("render");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let pixmap = tiny_skia::Pixmap::decode_png(&png).expect("decode");
        assert_eq!(pixmap.width(), 640);
        let ink = pixmap
            .pixels()
            .iter()
            .filter(|p| p.red() < 200 || p.green() < 200 || p.blue() < 200)
            .count();
        assert!(ink > 1000, "only {ink} non-white pixels");
        assert!(to_png("<svg", 100).is_err());
    }
}
