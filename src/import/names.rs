//! Matching BPS region names to Kemendagri codes: normalising, province context, kota/kabupaten type, aliases.

use std::collections::BTreeMap;

use crate::data::registry::{Jenis, NATION, Registry};
use crate::diagnostic::levenshtein;
use crate::import::aliases::{Alias, AliasSource, Aliases, province_of};
use crate::import::crosswalk::{LeadingCode, split_code};

/// Lowercase letters and digits only, with "Kep." read as "Kepulauan" and "Kab." as "Kabupaten":
/// `"Karang Asem"`, `"KARANGASEM"` and `"Karang-asem"` are one key.
pub fn normalize(s: &str) -> String {
    let lower = s.to_lowercase();
    let lower = lower
        .replace("kep.", "kepulauan ")
        .replace("kab.", "kabupaten ");
    lower.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// True for a name written in capitals (`"SUMATERA UTARA"`), which BPS uses for province rows.
pub fn is_upper(name: &str) -> bool {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| !c.is_lowercase())
}

const REGISTRY_PREFIXES: [&str; 5] = [
    "kabupaten administrasi ",
    "kota administrasi ",
    "kabupaten ",
    "kota ",
    "provinsi ",
];

/// The name without its kind: `"Kota Administrasi Jakarta Utara"` → `"Jakarta Utara"`.
pub fn bare(nama: &str) -> &str {
    let t = nama.trim();
    for p in REGISTRY_PREFIXES {
        if t.len() >= p.len() && t.is_char_boundary(p.len()) && t[..p.len()].eq_ignore_ascii_case(p)
        {
            return t[p.len()..].trim();
        }
    }
    t
}

/// Province keys: the full key and, for "DKI Jakarta" / "DI Yogyakarta", the key without the status.
fn province_keys(name: &str) -> Vec<String> {
    let lower = name.to_lowercase();
    let lower = lower
        .replace("daerah khusus ibukota", "dki")
        .replace("daerah khusus", "dk")
        .replace("daerah istimewa", "di");
    let key = normalize(&lower);
    let mut keys = vec![key.clone()];
    for p in ["dki", "dk", "di"] {
        if let Some(rest) = key.strip_prefix(p)
            && (rest == "jakarta" || rest == "yogyakarta")
        {
            keys.push(rest.to_string());
        }
    }
    keys
}

/// The level a row is matched at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// A province row.
    Province,
    /// A kabupaten or kota row.
    KabKota,
    /// Either; used when a table gives no clue.
    Any,
}

/// How a name was matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// By the region's own name.
    Name,
    /// "Indonesia", the nation (code `00`).
    Nation,
    /// Through this alias.
    Alias(Alias),
    /// A BPS code through the user's crosswalk.
    Crosswalk(String),
    /// A Kemendagri code written in the source.
    Code,
}

/// A name's region code and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    /// The region code (Kemendagri, dotted: "36.73").
    pub kode: String,
    /// How the name was matched.
    pub via: Via,
}

/// Why a name has no code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmatched {
    /// Several regions fit (codes); empty when none does.
    pub ambiguous: Vec<String>,
    /// Closest regions, `"12.12 Kabupaten Toba (Sumatera Utara)"`.
    pub nearest: Vec<String>,
}

#[derive(Debug, Clone)]
struct Entry {
    kode: String,
    jenis: Jenis,
}

/// Name lookup over the provinces and kab/kota of a registry.
pub struct Matcher<'a> {
    reg: &'a Registry,
    aliases: &'a Aliases,
    provinces: BTreeMap<String, Vec<String>>,
    kabkota: Vec<Entry>,
    by_key: BTreeMap<String, Vec<usize>>,
}

impl<'a> Matcher<'a> {
    /// Indexes the provinces and kab/kota of `reg` by normalised name, with `aliases` for the rest.
    pub fn new(reg: &'a Registry, aliases: &'a Aliases) -> Matcher<'a> {
        let mut provinces: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut kabkota = Vec::new();
        let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for r in reg.regions.values() {
            match r.jenis.level() {
                1 => {
                    for k in province_keys(bare(&r.nama)) {
                        provinces.entry(k).or_default().push(r.kode.clone());
                    }
                }
                2 => {
                    let key = normalize(bare(&r.nama));
                    by_key.entry(key).or_default().push(kabkota.len());
                    kabkota.push(Entry {
                        kode: r.kode.clone(),
                        jenis: r.jenis,
                    });
                }
                _ => {}
            }
        }
        Matcher {
            reg,
            aliases,
            provinces,
            kabkota,
            by_key,
        }
    }

    /// Finds the code of `name` at `level`; `province` is the province row above a kab/kota row.
    pub fn find(
        &self,
        name: &str,
        level: Level,
        province: Option<&str>,
    ) -> Result<Matched, Unmatched> {
        let (code, rest) = split_code(name);
        match code {
            Some(LeadingCode::Bps(c)) => {
                if let Some(k) = self.aliases.crosswalk.get(c) {
                    return Ok(Matched {
                        kode: k.clone(),
                        via: Via::Crosswalk(c.to_string()),
                    });
                }
            }
            Some(LeadingCode::Kemendagri(c)) if self.reg.contains(c) => {
                return Ok(Matched {
                    kode: c.to_string(),
                    via: Via::Code,
                });
            }
            _ => {}
        }
        let name = if rest.is_empty() { name } else { rest };
        if normalize(name) == "indonesia" {
            return Ok(Matched {
                kode: NATION.to_string(),
                via: Via::Nation,
            });
        }
        // The user's aliases first (they may override a name), built-in ones only when the
        // name itself finds nothing.
        let fits_level = |kode: &str| match level {
            Level::Province => !kode.contains('.'),
            Level::KabKota => kode.matches('.').count() == 1,
            Level::Any => kode.matches('.').count() <= 1,
        };
        let aliases = |builtin: bool| -> Result<Option<Matched>, Unmatched> {
            let list: Vec<&Alias> = self
                .aliases
                .lookup(name)
                .iter()
                .filter(|a| (a.source == AliasSource::BuiltIn) == builtin)
                .filter(|a| fits_level(&a.kode))
                .filter(|a| province.is_none_or(|p| province_of(&a.kode) == p))
                .collect();
            match list.as_slice() {
                [a] => Ok(Some(Matched {
                    kode: a.kode.clone(),
                    via: Via::Alias((*a).clone()),
                })),
                [] => Ok(None),
                many => Err(Unmatched {
                    ambiguous: many.iter().map(|a| a.kode.clone()).collect(),
                    nearest: Vec::new(),
                }),
            }
        };
        if let Some(m) = aliases(false)? {
            return Ok(m);
        }
        let mut found: Vec<String> = Vec::new();
        if matches!(level, Level::Province | Level::Any) {
            for k in province_keys(name) {
                if let Some(codes) = self.provinces.get(&k) {
                    for c in codes {
                        if !found.contains(c) {
                            found.push(c.clone());
                        }
                    }
                }
            }
        }
        if matches!(level, Level::KabKota | Level::Any) {
            found.extend(self.find_kabkota(name, province));
        }
        if found.is_empty()
            && let Some(m) = aliases(true)?
        {
            return Ok(m);
        }
        match found.len() {
            1 => Ok(Matched {
                kode: found.remove(0),
                via: Via::Name,
            }),
            0 => Err(Unmatched {
                ambiguous: Vec::new(),
                nearest: self.nearest(name, level, province),
            }),
            _ => Err(Unmatched {
                ambiguous: found,
                nearest: Vec::new(),
            }),
        }
    }

    /// Kab/kota by BPS convention: "Kota X" is a kota, a bare name is a kabupaten; a kabupaten
    /// whose own name starts with "Kota" ("Kota Baru") is found when no kota X exists.
    fn find_kabkota(&self, name: &str, province: Option<&str>) -> Vec<String> {
        let t = name.trim();
        let lower = t.to_lowercase();
        let strip = |p: &str| -> Option<&str> {
            (lower.starts_with(p) && t.is_char_boundary(p.len())).then(|| t[p.len()..].trim())
        };
        let (want, rest, whole_as_kab) = if let Some(r) = strip("kabupaten administrasi ")
            .or_else(|| strip("kabupaten "))
            .or_else(|| strip("kab. "))
            .or_else(|| strip("kab "))
        {
            (Jenis::Kabupaten, r, false)
        } else if let Some(r) = strip("kota administrasi ").or_else(|| strip("kota ")) {
            (Jenis::Kota, r, true)
        } else {
            (Jenis::Kabupaten, t, false)
        };
        let pick = |key: &str, jenis: Jenis| -> Vec<String> {
            self.by_key
                .get(key)
                .map(|ids| {
                    ids.iter()
                        .map(|&i| &self.kabkota[i])
                        .filter(|e| e.jenis == jenis)
                        .filter(|e| province.is_none_or(|p| province_of(&e.kode) == p))
                        .map(|e| e.kode.clone())
                        .collect()
                })
                .unwrap_or_default()
        };
        let found = pick(&normalize(rest), want);
        if found.is_empty() && whole_as_kab {
            return pick(&normalize(t), Jenis::Kabupaten);
        }
        found
    }

    /// Up to three closest regions, those in the province context first.
    fn nearest(&self, name: &str, level: Level, province: Option<&str>) -> Vec<String> {
        let key = normalize(bare(name));
        let want_kota = name.trim().to_lowercase().starts_with("kota ");
        let mut scored: Vec<(usize, bool, bool, &str)> = self
            .reg
            .regions
            .values()
            .filter(|r| match level {
                Level::Province => r.jenis.level() == 1,
                Level::KabKota => r.jenis.level() == 2,
                Level::Any => (1..=2).contains(&r.jenis.level()),
            })
            .map(|r| {
                let other = if r.jenis.level() == 1 {
                    province_keys(bare(&r.nama))[0].clone()
                } else {
                    normalize(bare(&r.nama))
                };
                let outside = province.is_some_and(|p| province_of(&r.kode) != p);
                let other_kind = r.jenis.level() == 2 && (r.jenis == Jenis::Kota) != want_kota;
                (
                    levenshtein(&key, &other),
                    outside,
                    other_kind,
                    r.kode.as_str(),
                )
            })
            .collect();
        scored.sort();
        let limit = (key.chars().count() / 2).max(3);
        let mut out: Vec<String> = scored
            .iter()
            .filter(|(d, outside, _, _)| !outside && *d <= limit)
            .take(3)
            .map(|(_, _, _, k)| self.describe(k))
            .collect();
        for (d, _, _, k) in scored.iter().filter(|(d, _, _, _)| *d <= limit) {
            if out.len() >= 3 {
                break;
            }
            let s = self.describe(k);
            if !out.contains(&s) && *d <= limit {
                out.push(s);
            }
        }
        if out.is_empty() {
            out = scored
                .iter()
                .take(3)
                .map(|(_, _, _, k)| self.describe(k))
                .collect();
        }
        out
    }

    /// `"12.12 Kabupaten Toba (Sumatera Utara)"`.
    /// The level of a region of the registry: 0 the nation, 1 a province, 2 a kab/kota, …
    pub fn level_of(&self, kode: &str) -> Option<u8> {
        self.reg.get(kode).map(|r| r.jenis.level())
    }

    /// A region as messages name it: `36.73 Kota Serang (Banten)`.
    pub fn describe(&self, kode: &str) -> String {
        let Some(r) = self.reg.get(kode) else {
            return kode.to_string();
        };
        let parent = r
            .induk
            .as_deref()
            .filter(|p| *p != NATION)
            .and_then(|p| self.reg.get(p))
            .map(|p| format!(" ({})", p.nama))
            .unwrap_or_default();
        format!("{kode} {}{parent}", r.nama)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const REG: &str = "kode,nama,jenis,kode_induk
11,Aceh,provinsi,
11.01,Kabupaten Aceh Selatan,kabupaten,11
13,Sumatera Barat,provinsi,
13.07,Kabupaten Lima Puluh Kota,kabupaten,13
31,Daerah Khusus Ibukota Jakarta,provinsi,
31.01,Kabupaten Administrasi Kepulauan Seribu,kabupaten,31
31.72,Kota Administrasi Jakarta Utara ,kota,31
34,Daerah Istimewa Yogyakarta,provinsi,
36,Banten,provinsi,
36.04,Kabupaten Serang,kabupaten,36
36.73,Kota Serang,kota,36
51,Bali,provinsi,
51.07,Kabupaten Karangasem,kabupaten,51
63,Kalimantan Selatan,provinsi,
63.02,Kabupaten Kotabaru,kabupaten,63
75,Gorontalo,provinsi,
75.01,Kabupaten Gorontalo,kabupaten,75
75.71,Kota Gorontalo,kota,75
";

    fn reg() -> Registry {
        Registry::parse(Path::new("w.csv"), REG).unwrap()
    }

    #[test]
    fn kota_is_not_kabupaten() {
        let reg = reg();
        let al = Aliases::builtin(&reg);
        let m = Matcher::new(&reg, &al);
        let k = |n: &str, l, p| m.find(n, l, p).map(|x| x.kode);
        assert_eq!(k("Serang", Level::KabKota, Some("36")), Ok("36.04".into()));
        assert_eq!(
            k("Kota Serang", Level::KabKota, Some("36")),
            Ok("36.73".into())
        );
        assert_eq!(
            k("Kabupaten Serang", Level::KabKota, None),
            Ok("36.04".into())
        );
        assert_eq!(
            k("Kota Baru", Level::KabKota, Some("63")),
            Ok("63.02".into())
        );
        assert_eq!(
            k("Lima Puluh Kota", Level::KabKota, Some("13")),
            Ok("13.07".into())
        );
        assert_eq!(
            k("Kota Jakarta Utara", Level::KabKota, Some("31")),
            Ok("31.72".into())
        );
        assert_eq!(
            k("Kepulauan Seribu", Level::KabKota, Some("31")),
            Ok("31.01".into())
        );
        assert_eq!(k("D I YOGYAKARTA", Level::Province, None), Ok("34".into()));
        assert_eq!(k("DKI Jakarta", Level::Province, None), Ok("31".into()));
        assert_eq!(k("INDONESIA", Level::Province, None), Ok("00".into()));
        assert_eq!(k("36.73 Kota Serang", Level::Any, None), Ok("36.73".into()));
        // Serang in the wrong province is not found.
        assert!(k("Serang", Level::KabKota, Some("11")).is_err());
    }

    #[test]
    fn aliases_are_used_and_reported() {
        let reg = reg();
        let al = Aliases::builtin(&reg);
        let m = Matcher::new(&reg, &al);
        // "Karang Asem" is found by normalising; no alias needed.
        let got = m.find("Karang Asem", Level::KabKota, Some("51")).unwrap();
        assert_eq!((got.kode.as_str(), &got.via), ("51.07", &Via::Name));
        let mut al = Aliases::builtin(&reg);
        let errs = al.parse(
            Path::new("a.csv"),
            "nama_bps,kode\nSerang Lama,36.04\n",
            &reg,
        );
        assert!(errs.is_empty());
        let m = Matcher::new(&reg, &al);
        let got = m.find("SERANG LAMA", Level::KabKota, Some("36")).unwrap();
        assert_eq!(got.kode, "36.04");
        assert!(matches!(got.via, Via::Alias(_)));
    }

    #[test]
    fn ambiguous_and_unmatched() {
        let reg = reg();
        let al = Aliases::builtin(&reg);
        let m = Matcher::new(&reg, &al);
        let e = m.find("Gorontalo", Level::Any, None).unwrap_err();
        assert_eq!(e.ambiguous, vec!["75".to_string(), "75.01".to_string()]);
        let e = m.find("Serangg", Level::KabKota, Some("36")).unwrap_err();
        assert!(e.ambiguous.is_empty());
        assert_eq!(e.nearest[0], "36.04 Kabupaten Serang (Banten)");
    }
}
