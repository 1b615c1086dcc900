//! Region codes written in front of names: BPS codes (looked up in the user's crosswalk) and Kemendagri codes.
//!
//! Lumbung ships no BPS ↔ Kemendagri table: BPS codes mostly equal the Kemendagri code without
//! dots (3604 ~ 36.04) but not everywhere (Aceh, the Papua provinces), and the published lists
//! carry their own licences. A user whose source carries BPS codes adds rows `kode_bps,kode` to
//! the alias file (`--aliases`), for example `1206,12.12`; rows without a crosswalk entry are
//! matched by the name that follows the code, like every other row.

/// A code found at the start of a name cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeadingCode<'a> {
    /// Digits only, `1206` or `12`: a BPS code.
    Bps(&'a str),
    /// Dotted, `36.04`: a Kemendagri code.
    Kemendagri(&'a str),
}

/// Splits `"[1206] Toba Samosir"`, `"1206 Toba Samosir"`, `"1206 - Toba Samosir"` or
/// `"36.04 Kabupaten Serang"` into the code and the name; a cell without a leading code is
/// returned whole.
pub fn split_code(cell: &str) -> (Option<LeadingCode<'_>>, &str) {
    let s = cell.trim();
    let (inner, bracketed) = match s.strip_prefix('[') {
        Some(rest) => (rest, true),
        None => (s, false),
    };
    let end = inner
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(inner.len());
    let code = inner[..end].trim_end_matches('.');
    let mut rest = &inner[end..];
    if bracketed {
        match rest.strip_prefix(']') {
            Some(r) => rest = r,
            None => return (None, s),
        }
    }
    // The code must stand alone: followed by the end, a space or a separator.
    if !(rest.is_empty() || rest.starts_with([' ', '-', '–', ':', '\t'])) {
        return (None, s);
    }
    let rest = rest.trim_start_matches([' ', '-', '–', ':', '\t']);
    let digits_only = code.bytes().all(|b| b.is_ascii_digit());
    let kind = if digits_only && (code.len() == 2 || code.len() == 4) {
        LeadingCode::Bps(code)
    } else if !digits_only && crate::data::registry::valid_code(code) {
        LeadingCode::Kemendagri(code)
    } else {
        return (None, s);
    };
    (Some(kind), rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_split_off() {
        assert_eq!(
            split_code("[1206] Toba Samosir"),
            (Some(LeadingCode::Bps("1206")), "Toba Samosir")
        );
        assert_eq!(
            split_code("1206 - Toba Samosir"),
            (Some(LeadingCode::Bps("1206")), "Toba Samosir")
        );
        assert_eq!(
            split_code("36.04 Kabupaten Serang"),
            (Some(LeadingCode::Kemendagri("36.04")), "Kabupaten Serang")
        );
        assert_eq!(split_code("3604"), (Some(LeadingCode::Bps("3604")), ""));
        assert_eq!(split_code("Lima Puluh Kota"), (None, "Lima Puluh Kota"));
        assert_eq!(split_code("123456 X"), (None, "123456 X"));
    }
}
