//! The region registry (`data/wilayah.csv`): Kemendagri codes, names, kinds and the parent tree.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, display_path, nearest};

/// The code of the nation, the implicit root of every registry.
pub const NATION: &str = "00";

/// Provinces split by law since 2018, with the provinces made from them: Papua Selatan (93,
/// UU 14/2022), Papua Tengah (94, UU 15/2022) and Papua Pegunungan (95, UU 16/2022) from Papua
/// (91); Papua Barat Daya (96, UU 29/2022) from Papua Barat (92). A BPS 2018 regency of the
/// first may now lie in any of the others, and the first's series changes territory.
pub const SPLITS: &[(&str, &[&str])] = &[("91", &["93", "94", "95"]), ("92", &["96"])];

/// What kind of region a code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Jenis {
    /// Indonesia as a whole (code `00`).
    Nasional,
    /// A province (`36`).
    Provinsi,
    /// A regency, at kab/kota level (`36.04`).
    Kabupaten,
    /// A city, at kab/kota level (`36.73`).
    Kota,
    /// A district (`36.04.01`).
    Kecamatan,
    /// A village, at desa/kelurahan level (`36.04.01.2001`).
    Desa,
    /// An urban village, at desa/kelurahan level (`36.73.01.1001`).
    Kelurahan,
}

impl Jenis {
    /// Every kind, from the nation down.
    pub const ALL: [Jenis; 7] = [
        Jenis::Nasional,
        Jenis::Provinsi,
        Jenis::Kabupaten,
        Jenis::Kota,
        Jenis::Kecamatan,
        Jenis::Desa,
        Jenis::Kelurahan,
    ];

    /// The kind named by a `wilayah.csv` key (case and surrounding spaces ignored); `None` if unknown.
    pub fn parse(s: &str) -> Option<Jenis> {
        Jenis::ALL
            .into_iter()
            .find(|j| j.key() == s.trim().to_lowercase())
    }

    /// The lowercase key used in `wilayah.csv`.
    pub fn key(self) -> &'static str {
        match self {
            Jenis::Nasional => "nasional",
            Jenis::Provinsi => "provinsi",
            Jenis::Kabupaten => "kabupaten",
            Jenis::Kota => "kota",
            Jenis::Kecamatan => "kecamatan",
            Jenis::Desa => "desa",
            Jenis::Kelurahan => "kelurahan",
        }
    }

    /// 0 for the nation, 1 for provinces, 2 for kab/kota, 3 for kecamatan, 4 for desa/kelurahan.
    pub fn level(self) -> u8 {
        match self {
            Jenis::Nasional => 0,
            Jenis::Provinsi => 1,
            Jenis::Kabupaten | Jenis::Kota => 2,
            Jenis::Kecamatan => 3,
            Jenis::Desa | Jenis::Kelurahan => 4,
        }
    }

    /// How the siblings of this level are called in a sentence ("kabupaten/kota").
    pub fn level_plural(self) -> &'static str {
        match self.level() {
            0 => "negara",
            1 => "provinsi",
            2 => "kabupaten/kota",
            3 => "kecamatan",
            _ => "desa/kelurahan",
        }
    }
}

/// One region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    /// The region code (Kemendagri, dotted: "36.73"; "00" for the nation).
    pub kode: String,
    /// The region's name as in `wilayah.csv` ("Kota Serang").
    pub nama: String,
    /// What kind of region it is.
    pub jenis: Jenis,
    /// The parent's code; `None` only for the nation.
    pub induk: Option<String>,
    /// Children's codes in code order.
    pub children: Vec<String>,
    /// The BPS code (MFD 2018: `3604`, `3604010`) when the registry's `kode_bps` column has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kode_bps: Option<String>,
}

/// Every known region by code, with the tree linked both ways.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// Every region by code, the nation (`00`) included.
    pub regions: BTreeMap<String, Region>,
    /// Codes whose rows in `data/wilayah.csv` have an error (already reported): rows that name
    /// them elsewhere are not reported again as unknown regions.
    pub broken: std::collections::BTreeSet<String>,
    /// BPS code → Kemendagri code, from the optional `kode_bps` column.
    pub by_bps: BTreeMap<String, String>,
}

/// True when `kode` looks like a Kemendagri code (`36`, `36.04`, `36.04.01`, `36.04.01.2001`) or the nation.
pub fn valid_code(kode: &str) -> bool {
    if kode == NATION {
        return true;
    }
    let parts: Vec<&str> = kode.split('.').collect();
    let widths = [2usize, 2, 2, 4];
    !parts.is_empty()
        && parts.len() <= 4
        && parts
            .iter()
            .zip(widths)
            .all(|(p, w)| p.len() == w && p.bytes().all(|b| b.is_ascii_digit()))
}

/// True when `kode` looks like a BPS code: 2, 4, 7 or 10 digits.
pub fn valid_bps_code(kode: &str) -> bool {
    matches!(kode.len(), 2 | 4 | 7 | 10) && kode.bytes().all(|b| b.is_ascii_digit())
}

/// The parent implied by a code's shape (`36.04` → `36`, `36` → `00`).
pub fn implied_parent(kode: &str) -> Option<String> {
    if kode == NATION {
        return None;
    }
    match kode.rsplit_once('.') {
        Some((p, _)) => Some(p.to_string()),
        None => Some(NATION.to_string()),
    }
}

impl Registry {
    /// Reads `wilayah.csv`; every bad row is reported, none stops the others from being read.
    pub fn load(root: &Path, path: &Path) -> Result<Registry, Vec<Diagnostic>> {
        let shown = display_path(root, path);
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                return Err(vec![
                    Diagnostic::error(
                        Code::RegistryUnreadable,
                        &shown,
                        format!("tidak bisa membaca daftar wilayah: {e}"),
                    )
                    .hint("buat data/wilayah.csv dengan kolom kode,nama,jenis,kode_induk"),
                ]);
            }
        };
        Self::parse(&shown, &text)
    }

    /// Parses registry text; `shown` is the path used in messages. Every bad row is reported.
    pub fn parse(shown: &Path, text: &str) -> Result<Registry, Vec<Diagnostic>> {
        let (reg, errors) = Self::parse_partial(shown, text);
        if errors.is_empty() {
            Ok(reg)
        } else {
            Err(errors)
        }
    }

    /// Reads `wilayah.csv` keeping every good row, with the problems of the others: a build
    /// checks datasets against the good rows, so one bad row is one error, not a thousand.
    pub fn load_partial(root: &Path, path: &Path) -> (Registry, Vec<Diagnostic>) {
        let shown = display_path(root, path);
        if !crate::inside::within(root, path) {
            return (
                Registry::default(),
                vec![crate::inside::refused(root, path)],
            );
        }
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse_partial(&shown, &text),
            Err(e) => (
                Registry::default(),
                vec![
                    Diagnostic::error(
                        Code::RegistryUnreadable,
                        &shown,
                        format!("tidak bisa membaca daftar wilayah: {e}"),
                    )
                    .hint("buat data/wilayah.csv dengan kolom kode,nama,jenis,kode_induk"),
                ],
            ),
        }
    }

    /// The registry of the good rows, and every problem found.
    pub fn parse_partial(shown: &Path, text: &str) -> (Registry, Vec<Diagnostic>) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(text.as_bytes());
        if let Err(e) = check_header(shown, text, &mut rdr) {
            return (Registry::default(), e);
        }
        let lines: Vec<&str> = text.lines().collect();
        let raw_line = |line: usize| lines.get(line.saturating_sub(1)).copied().unwrap_or("");
        let starts = crate::diagnostic::LineStarts::new(text);
        let line_at = |p: &csv::Position| starts.line_of(p);
        let mut errors = Vec::new();
        let mut reg = Registry::default();
        for (i, rec) in rdr.records().enumerate() {
            let row = i + 1;
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(row + 1, line_at);
                    errors.push(
                        Diagnostic::error(Code::RegistrySyntax, shown, csv_error_message(&e))
                            .at_csv(row, line, None, Some(raw_line(line)))
                            .hint("setiap baris harus punya 4 kolom: kode,nama,jenis,kode_induk"),
                    );
                    continue;
                }
            };
            let line = rec.position().map_or(row + 1, line_at);
            let at =
                |d: Diagnostic, field: &str| d.at_csv(row, line, Some(field), Some(raw_line(line)));
            match region_of(shown, &rec) {
                Ok(r) if reg.regions.contains_key(&r.kode) => errors.push(at(
                    Diagnostic::error(
                        Code::RegistryDuplicate,
                        shown,
                        format!("kode wilayah {} muncul dua kali", r.kode),
                    )
                    .hint("setiap kode hanya boleh ada di satu baris"),
                    "kode",
                )),
                Ok(r) => {
                    if let Some(b) = &r.kode_bps {
                        match reg.by_bps.get(b) {
                            Some(other) => errors.push(at(
                                Diagnostic::error(
                                    Code::RegistryDuplicate,
                                    shown,
                                    format!("kode BPS {b} dipakai untuk {other} dan {}", r.kode),
                                )
                                .hint("satu kode BPS hanya boleh menunjuk satu wilayah; kosongkan yang keliru"),
                                "kode_bps",
                            )),
                            None => {
                                reg.by_bps.insert(b.clone(), r.kode.clone());
                            }
                        }
                    }
                    reg.regions.insert(r.kode.clone(), r);
                }
                Err((d, field)) => {
                    if let Some(kode) = rec.get(0).map(str::trim).filter(|k| !k.is_empty()) {
                        reg.broken.insert(kode.to_string());
                    }
                    errors.push(at(d, field));
                }
            }
        }
        reg.regions
            .entry(NATION.to_string())
            .or_insert_with(|| Region {
                kode: NATION.to_string(),
                nama: "Indonesia".to_string(),
                jenis: Jenis::Nasional,
                induk: None,
                children: Vec::new(),
                kode_bps: None,
            });
        errors.extend(reg.link_children(shown));
        (reg, errors)
    }

    /// Links every region to its parent; a parent that does not exist is reported.
    fn link_children(&mut self, shown: &Path) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let codes: Vec<String> = self.regions.keys().cloned().collect();
        for kode in &codes {
            let Some(p) = self.regions[kode].induk.clone() else {
                continue;
            };
            match self.regions.get_mut(&p) {
                Some(parent) => parent.children.push(kode.clone()),
                None if self.broken.contains(&p) => {}
                None => {
                    let near = nearest(&p, codes.iter().map(String::as_str), 3);
                    errors.push(
                        Diagnostic::error(
                            Code::RegistryUnknownParent,
                            shown,
                            format!("induk \"{p}\" dari wilayah {kode} tidak ada di daftar"),
                        )
                        .hint(format!(
                            "tambahkan baris untuk {p} atau perbaiki kode_induk{}",
                            if near.is_empty() {
                                String::new()
                            } else {
                                format!(" (mirip: {})", near.join(", "))
                            }
                        )),
                    );
                }
            }
        }
        errors
    }

    /// The region with code `kode`, if the registry has it.
    pub fn get(&self, kode: &str) -> Option<&Region> {
        self.regions.get(kode)
    }

    /// The Kemendagri code of the region with BPS code `bps`, if the registry has one.
    pub fn from_bps(&self, bps: &str) -> Option<&str> {
        self.by_bps.get(bps).map(String::as_str)
    }

    /// True when the registry has a region with code `kode`.
    pub fn contains(&self, kode: &str) -> bool {
        self.regions.contains_key(kode)
    }

    /// The chain from the nation down to `kode` (inclusive).
    pub fn ancestors(&self, kode: &str) -> Vec<&Region> {
        let mut chain = Vec::new();
        let mut cur = self.get(kode);
        while let Some(r) = cur {
            chain.push(r);
            cur = r.induk.as_deref().and_then(|p| self.get(p));
        }
        chain.reverse();
        chain
    }

    /// A hint naming the closest known codes, for an unknown code.
    pub fn suggest(&self, kode: &str) -> String {
        let near = nearest(kode, self.regions.keys().map(String::as_str), 3);
        let named: Vec<String> = near
            .iter()
            .map(|k| format!("{k} ({})", self.regions[*k].nama))
            .collect();
        if named.is_empty() {
            "tambahkan kode ini ke data/wilayah.csv atau perbaiki salah ketik".to_string()
        } else {
            format!(
                "tambahkan kode ini ke data/wilayah.csv atau perbaiki salah ketik; kode terdekat: {}",
                named.join(", ")
            )
        }
    }
}

/// The header must be exactly `kode,nama,jenis,kode_induk`, optionally followed by `kode_bps`.
fn check_header(
    shown: &Path,
    text: &str,
    rdr: &mut csv::Reader<&[u8]>,
) -> Result<(), Vec<Diagnostic>> {
    let expected = ["kode", "nama", "jenis", "kode_induk"];
    match rdr.headers() {
        Ok(h) => {
            let got: Vec<&str> = h.iter().map(str::trim).collect();
            if got == expected || (got.len() == 5 && got[..4] == expected && got[4] == "kode_bps") {
                return Ok(());
            }
            Err(vec![
                Diagnostic::error(
                    Code::RegistryHeader,
                    shown,
                    format!("kepala kolom tidak dikenal: {}", got.join(",")),
                )
                .at_text(text, 1, 1)
                .hint("baris pertama harus persis: kode,nama,jenis,kode_induk (boleh ditambah kolom kode_bps)"),
            ])
        }
        Err(e) => Err(vec![Diagnostic::error(
            Code::RegistrySyntax,
            shown,
            format!("CSV tidak terbaca: {e}"),
        )]),
    }
}

/// One registry row as a region, or the problem and the field it is in.
fn region_of(shown: &Path, rec: &csv::StringRecord) -> Result<Region, (Diagnostic, &'static str)> {
    let kode = rec[0].trim().to_string();
    let nama = rec[1].trim().to_string();
    let jenis_s = rec[2].trim();
    let induk = rec[3].trim();
    if !valid_code(&kode) {
        return Err((
            Diagnostic::error(
                Code::RegistryBadCode,
                shown,
                format!("kode wilayah \"{kode}\" tidak sah"),
            )
            .hint("gunakan kode Kemendagri bertitik: 36, 36.04, 36.04.01 atau 36.04.01.2001"),
            "kode",
        ));
    }
    if nama.is_empty() {
        return Err((
            Diagnostic::error(
                Code::RegistryNoName,
                shown,
                format!("wilayah {kode} tidak punya nama"),
            )
            .hint("isi kolom nama, misalnya \"Kabupaten Serang\""),
            "nama",
        ));
    }
    let Some(jenis) = Jenis::parse(jenis_s) else {
        return Err((
            Diagnostic::error(
                Code::RegistryBadKind,
                shown,
                format!("jenis wilayah \"{jenis_s}\" tidak dikenal"),
            )
            .hint(
                "pilih salah satu: nasional, provinsi, kabupaten, kota, kecamatan, desa, kelurahan",
            ),
            "jenis",
        ));
    };
    let induk = if induk.is_empty() {
        implied_parent(&kode)
    } else {
        Some(induk.to_string())
    };
    let kode_bps = rec.get(4).map(str::trim).filter(|b| !b.is_empty());
    if let Some(b) = kode_bps
        && !valid_bps_code(b)
    {
        return Err((
            Diagnostic::error(
                Code::RegistryBadCode,
                shown,
                format!("kode BPS \"{b}\" untuk {kode} tidak sah"),
            )
            .hint("kode BPS hanya angka: 36 (provinsi), 3604 (kabupaten/kota), 3604010 (kecamatan), 3604010001 (desa); kosongkan bila tidak ada"),
            "kode_bps",
        ));
    }
    Ok(Region {
        kode,
        nama,
        jenis,
        induk,
        children: Vec::new(),
        kode_bps: kode_bps.map(str::to_string),
    })
}

/// A csv crate error in Bahasa Indonesia.
pub fn csv_error_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("baris ini punya {len} kolom, padahal kepala tabel punya {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => {
            "teks bukan UTF-8; simpan ulang berkas sebagai CSV UTF-8".to_string()
        }
        csv::ErrorKind::Io(err) => format!("tidak bisa membaca berkas: {err}"),
        _ => format!("CSV tidak terbaca: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "kode,nama,jenis,kode_induk\n36,Banten,provinsi,\n36.04,Kabupaten Serang,kabupaten,36\n36.73,Kota Serang,kota,36\n";

    #[test]
    fn serang_twice_is_two_regions() {
        let r = Registry::parse(Path::new("w.csv"), SAMPLE).unwrap();
        assert_eq!(r.get("36.04").unwrap().jenis, Jenis::Kabupaten);
        assert_eq!(r.get("36.73").unwrap().jenis, Jenis::Kota);
        assert_eq!(r.get("36").unwrap().children, vec!["36.04", "36.73"]);
        assert_eq!(r.get(NATION).unwrap().children, vec!["36"]);
        let chain: Vec<&str> = r
            .ancestors("36.73")
            .iter()
            .map(|x| x.kode.as_str())
            .collect();
        assert_eq!(chain, vec!["00", "36", "36.73"]);
    }

    #[test]
    fn bad_rows_are_all_reported() {
        let t = "kode,nama,jenis,kode_induk\n36,Banten,provinsi,\n3604,X,kabupaten,36\n36.73,Kota Serang,kotamadya,36\n36.73,Y,kota\n";
        let errs = Registry::parse(Path::new("w.csv"), t).unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:#?}");
        assert!(errs[0].to_string().contains("\"3604\" tidak sah"));
        assert!(errs[1].to_string().contains("kotamadya"));
        assert!(
            errs[2].to_string().contains("5 kolom") || errs[2].to_string().contains("3 kolom"),
            "{}",
            errs[2]
        );
    }
}
