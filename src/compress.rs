//! Precompressed copies of text outputs (`x.html.gz`, `x.html.br`) that a web server can send as they are.

use std::io::Write;

use rayon::prelude::*;

/// Extensions of the outputs that get `.gz` and `.br` copies.
pub(crate) const TEXT: [&str; 7] = ["html", "css", "svg", "xml", "json", "csv", "js"];

/// Smaller files are not worth a second request path or the disk.
const MIN_SIZE: usize = 256;

/// Brotli quality: 5 of 11 gives most of the gain at a small part of the time of 11.
const BROTLI_QUALITY: u32 = 5;

/// True for paths that get precompressed copies.
pub(crate) fn is_text(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| TEXT.contains(&ext))
}

/// Gzip with a fixed header (no file name, mtime 0), so the same input gives the same bytes.
pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("writing to memory");
    e.finish().expect("writing to memory")
}

/// Brotli (deterministic: no header fields depend on time or name).
pub(crate) fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY as i32,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory");
    out
}

/// The `.gz` and `.br` copies of one file: of text files from 256 bytes, each only when it is
/// smaller than the file.
pub(crate) fn copies(path: &str, bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    if !is_text(path) || bytes.len() < MIN_SIZE {
        return Vec::new();
    }
    [
        (format!("{path}.gz"), gzip(bytes)),
        (format!("{path}.br"), brotli(bytes)),
    ]
    .into_iter()
    .filter(|(_, c)| c.len() < bytes.len())
    .collect()
}

/// Adds `.gz` and `.br` copies of every text file that compression makes smaller, keeping the
/// list sorted by path. A path already in the list (e.g. a static `x.css.gz`) is left alone.
pub(crate) fn add_precompressed(files: &mut Vec<(String, Vec<u8>)>) {
    let existing: std::collections::HashSet<String> =
        files.iter().map(|(p, _)| p.clone()).collect();
    let extra: Vec<(String, Vec<u8>)> = files
        .par_iter()
        .filter(|(p, b)| is_text(p) && b.len() >= MIN_SIZE)
        .flat_map_iter(|(p, b)| {
            let gz = (format!("{p}.gz"), gzip(b));
            let br = (format!("{p}.br"), brotli(b));
            [gz, br].into_iter().filter(move |(_, c)| c.len() < b.len())
        })
        .filter(|(p, _)| !existing.contains(p))
        .collect();
    files.extend(extra);
    files.sort_by(|a, b| a.0.cmp(&b.0));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn round_trips_and_is_deterministic() {
        let text = "<p>Persentase penduduk miskin</p>\n".repeat(50);
        let gz = gzip(text.as_bytes());
        assert_eq!(gz, gzip(text.as_bytes()));
        assert_eq!(&gz[4..8], &[0, 0, 0, 0], "mtime must be 0");
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, text);
        let br = brotli(text.as_bytes());
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).unwrap();
        assert_eq!(back, text.as_bytes());
    }

    #[test]
    fn adds_copies_of_text_files_only() {
        let big = "a,b\n1,2\n".repeat(100).into_bytes();
        let mut files = vec![
            ("data.csv".to_string(), big.clone()),
            ("data.xlsx".to_string(), big.clone()),
            ("kecil.html".to_string(), b"<p>x</p>".to_vec()),
            ("style.css.gz".to_string(), b"sudah ada".to_vec()),
            ("style.css".to_string(), big),
        ];
        add_precompressed(&mut files);
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "data.csv",
                "data.csv.br",
                "data.csv.gz",
                "data.xlsx",
                "kecil.html",
                "style.css",
                "style.css.br",
                "style.css.gz"
            ]
        );
        assert_eq!(files[7].1, b"sudah ada");
    }
}
