//! URL slugs: lowercase ASCII letters, digits and dashes only, so no input can name a path outside the output.

/// Turns any text into a URL segment: `Kota Serang` → `kota-serang`. Never empty: text
/// without a letter or digit gives `halaman` (callers that take names from publishers check
/// [`slug_of`] first and say so).
pub(crate) fn slugify(text: &str) -> String {
    slug_of(text).unwrap_or_else(|| "halaman".to_string())
}

/// The URL segment of `text`, or `None` when it has no letter or digit (`..`, `!!!`, `🔥`).
pub(crate) fn slug_of(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        let c = fold(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    (!out.is_empty()).then_some(out)
}

/// True when `s` is already a clean slug.
pub(crate) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Folds common Latin accents to ASCII (é → e) so names keep their letters.
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe() {
        assert_eq!(slugify("Kota Serang"), "kota-serang");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("Dana Desa: Rp1 miliar!"), "dana-desa-rp1-miliar");
        assert_eq!(slugify("///"), "halaman");
        assert!(is_slug("36-04-kabupaten-serang"));
        assert!(!is_slug("../x"));
    }
}
