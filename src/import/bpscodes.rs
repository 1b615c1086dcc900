//! The BPS code of each region (`kode_bps` in the registry), matched by name from a BPS code list within the parent already matched, never by the digits alone.
//!
//! BPS and Kemendagri number regions differently in many provinces (BPS 1101 is Kabupaten
//! Simeulue, Kemendagri 11.01 is Kabupaten Aceh Selatan), so a BPS code is never turned into a
//! Kemendagri code by inserting a dot. The BPS list read is the one its files name (MFD 2018 in
//! `../shared/realdata/wilayah/bps-2018/`: `provinces.csv` `kode,nama`, `regencies.csv`
//! `kode,kode_provinsi,nama`, `districts.csv` `kode,kode_kabupaten,nama`, no header).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::data::registry::{Jenis, Registry};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::import::aliases::Aliases;
use crate::import::names::{Level, Matcher, normalize};

/// Provinces split after 2018 (the four new Papua provinces of 2022): a BPS 2018 regency of
/// the first may now lie in any of the others. Kept with the registry, which the model reads too.
pub use crate::data::registry::SPLITS;

/// One row of a BPS list.
#[derive(Debug, Clone)]
struct BpsRow {
    kode: String,
    induk: String,
    nama: String,
}

/// A BPS code list: provinces, regencies and districts.
#[derive(Debug, Clone, Default)]
pub struct BpsList {
    provinces: Vec<BpsRow>,
    regencies: Vec<BpsRow>,
    districts: Vec<BpsRow>,
}

/// What matching found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BpsReport {
    /// Rows read per level (provinsi, kabupaten/kota, kecamatan).
    pub read: [usize; 3],
    /// Rows matched to a region of the registry, per level.
    pub matched: [usize; 3],
    /// Matched kab/kota whose BPS code is not their Kemendagri code without the dot.
    pub differing: usize,
    /// A few of those, `1101 KABUPATEN SIMEULUE → 11.09`.
    pub differing_examples: Vec<String>,
    /// BPS rows matched to no region (renamed, merged or not in the registry's levels).
    pub unmatched: Vec<String>,
    /// Registry regions (provinsi to kecamatan) that got no BPS code, per level.
    pub without: [usize; 3],
    /// A few of those, by name.
    pub without_examples: Vec<String>,
}

impl fmt::Display for BpsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "  kode BPS (dicocokkan menurut nama di dalam induknya):")?;
        for (i, level) in ["provinsi", "kabupaten/kota", "kecamatan"]
            .iter()
            .enumerate()
        {
            if self.read[i] > 0 {
                writeln!(
                    f,
                    "    {level:<15} {} dari {} baris BPS cocok",
                    self.matched[i], self.read[i]
                )?;
            }
        }
        if self.differing > 0 {
            writeln!(
                f,
                "    {} kabupaten/kota punya kode BPS yang berbeda dari kode Kemendagri-nya, misalnya {}",
                self.differing,
                self.differing_examples.join("; ")
            )?;
        }
        if !self.unmatched.is_empty() {
            writeln!(
                f,
                "    baris BPS tanpa pasangan ({}): {}{}",
                self.unmatched.len(),
                self.unmatched
                    .iter()
                    .take(8)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; "),
                if self.unmatched.len() > 8 {
                    "; …"
                } else {
                    ""
                }
            )?;
        }
        let without: usize = self.without.iter().sum();
        if without > 0 {
            writeln!(
                f,
                "    wilayah tanpa kode BPS: {} provinsi, {} kabupaten/kota, {} kecamatan (misalnya {})",
                self.without[0],
                self.without[1],
                self.without[2],
                self.without_examples.join("; ")
            )?;
        }
        Ok(())
    }
}

impl BpsList {
    /// Reads `provinces.csv`, `regencies.csv` and `districts.csv` (the last may be absent) from `dir`.
    pub fn read(dir: &Path) -> Result<BpsList, Diagnostics> {
        let mut errors = Diagnostics::default();
        let mut list = BpsList::default();
        for (file, width, digits, required) in [
            ("provinces.csv", 2, 2, true),
            ("regencies.csv", 3, 4, true),
            ("districts.csv", 3, 7, false),
        ] {
            let path = dir.join(file);
            let text = match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(_) if !required && !path.exists() => continue,
                Err(e) => {
                    errors.push(
                        Diagnostic::error(
                            Code::WilayahInput,
                            &path,
                            format!("tidak bisa membaca daftar kode BPS: {e}"),
                        )
                        .hint("--bps menunjuk folder berisi provinces.csv, regencies.csv dan districts.csv (kode,[kode_induk,]nama tanpa kepala kolom)"),
                    );
                    continue;
                }
            };
            let rows = read_rows(&path, &text, width, digits, &mut errors);
            match file {
                "provinces.csv" => list.provinces = rows,
                "regencies.csv" => list.regencies = rows,
                _ => list.districts = rows,
            }
        }
        if errors.has_errors() {
            Err(errors)
        } else {
            Ok(list)
        }
    }
}

fn read_rows(
    path: &Path,
    text: &str,
    width: usize,
    want: usize,
    errors: &mut Diagnostics,
) -> Vec<BpsRow> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(raw.as_bytes());
        let Some(Ok(rec)) = rdr.records().next() else {
            errors.push(
                Diagnostic::error(Code::WilayahRow, path, "baris CSV tidak terbaca").at_csv(
                    line,
                    line,
                    None,
                    Some(raw),
                ),
            );
            continue;
        };
        let cells: Vec<&str> = rec.iter().map(str::trim).collect();
        // A header row ("id,name") is skipped.
        if line == 1 && !cells[0].bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let ok = cells.len() == width
            && cells[0].len() == want
            && cells[0].bytes().all(|b| b.is_ascii_digit())
            && !cells[width - 1].is_empty();
        if !ok {
            errors.push(
                Diagnostic::error(
                    Code::WilayahRow,
                    path,
                    format!(
                        "baris daftar BPS harus berisi {} dengan kode {want} digit",
                        if width == 2 {
                            "kode,nama"
                        } else {
                            "kode,kode_induk,nama"
                        }
                    ),
                )
                .at_csv(line, line, None, Some(raw))
                .hint(
                    "pakai daftar kode BPS apa adanya (tanpa kepala kolom), satu wilayah per baris",
                ),
            );
            continue;
        }
        out.push(BpsRow {
            kode: cells[0].to_string(),
            induk: if width == 3 {
                cells[1].to_string()
            } else {
                String::new()
            },
            nama: cells[width - 1].to_string(),
        });
    }
    out
}

/// A BPS name as `Matcher` reads names: `KABUPATEN SIMEULUE` → `SIMEULUE` (a bare name is a
/// kabupaten), `KOTA D U M A I` kept with its `KOTA`.
fn as_bps_name(nama: &str) -> &str {
    let t = nama.trim();
    for p in ["KABUPATEN ", "KAB. ", "KAB "] {
        if t.len() > p.len() && t.is_char_boundary(p.len()) && t[..p.len()].eq_ignore_ascii_case(p)
        {
            return t[p.len()..].trim();
        }
    }
    t
}

/// Matches every BPS row to a region of `reg`: provinces by name, kab/kota by name within
/// the matched province (or the provinces split from it), kecamatan by name within the
/// matched kab/kota. Returns Kemendagri code → BPS code; a BPS code or region matched twice
/// is left out with a warning.
pub fn crosswalk(
    reg: &Registry,
    list: &BpsList,
    shown: &Path,
) -> (BTreeMap<String, String>, BpsReport, Vec<Diagnostic>) {
    let aliases = Aliases::builtin(reg);
    let matcher = Matcher::new(reg, &aliases);
    let mut report = BpsReport {
        read: [
            list.provinces.len(),
            list.regencies.len(),
            list.districts.len(),
        ],
        ..BpsReport::default()
    };
    // BPS code → Kemendagri code, per level.
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    match_provinces(&matcher, list, &mut found, &mut report);
    match_regencies(reg, &matcher, list, &mut found, &mut report);
    match_districts(reg, list, &mut found, &mut report);
    let (out, warnings) = one_code_each(&found, shown);
    count_matched(reg, list, &out, &mut report);
    (out, report, warnings)
}

/// A BPS row matched to no region, for the report.
fn miss(r: &BpsRow, report: &mut BpsReport) {
    report.unmatched.push(format!("{} {}", r.kode, r.nama));
}

/// Provinces, by name.
fn match_provinces(
    matcher: &Matcher<'_>,
    list: &BpsList,
    found: &mut BTreeMap<String, String>,
    report: &mut BpsReport,
) {
    for r in &list.provinces {
        match matcher.find(&r.nama, Level::Province, None) {
            Ok(m) => {
                found.insert(r.kode.clone(), m.kode);
            }
            Err(_) => miss(r, report),
        }
    }
}

/// Kab/kota, by name within the matched province or the provinces split from it since.
fn match_regencies(
    reg: &Registry,
    matcher: &Matcher<'_>,
    list: &BpsList,
    found: &mut BTreeMap<String, String>,
    report: &mut BpsReport,
) {
    for r in &list.regencies {
        let Some(prov) = found.get(&r.induk).cloned() else {
            miss(r, report);
            continue;
        };
        let mut provinces = vec![prov.as_str()];
        for (from, to) in SPLITS {
            if *from == prov {
                provinces.extend(to.iter().copied().filter(|p| reg.contains(p)));
            }
        }
        let hits: Vec<String> = provinces
            .iter()
            .filter_map(|p| {
                matcher
                    .find(as_bps_name(&r.nama), Level::KabKota, Some(p))
                    .ok()
            })
            .map(|m| m.kode)
            .collect();
        match hits.as_slice() {
            [kode] => {
                if r.kode != kode.replace('.', "") {
                    report.differing += 1;
                    if report.differing_examples.len() < 3 {
                        report
                            .differing_examples
                            .push(format!("{} {} → {kode}", r.kode, r.nama));
                    }
                }
                found.insert(r.kode.clone(), kode.clone());
            }
            _ => miss(r, report),
        }
    }
}

/// Kecamatan: by normalised name among the kab/kota's children.
fn match_districts(
    reg: &Registry,
    list: &BpsList,
    found: &mut BTreeMap<String, String>,
    report: &mut BpsReport,
) {
    let mut by_parent: BTreeMap<&str, BTreeMap<String, Vec<&str>>> = BTreeMap::new();
    for region in reg.regions.values().filter(|x| x.jenis == Jenis::Kecamatan) {
        if let Some(p) = region.induk.as_deref() {
            by_parent
                .entry(p)
                .or_default()
                .entry(normalize(&region.nama))
                .or_default()
                .push(region.kode.as_str());
        }
    }
    for r in &list.districts {
        let hit = found
            .get(&r.induk)
            .and_then(|kab| by_parent.get(kab.as_str()))
            .and_then(|names| names.get(&normalize(&r.nama)))
            .filter(|codes| codes.len() == 1)
            .map(|codes| codes[0].to_string());
        match hit {
            Some(kode) => {
                found.insert(r.kode.clone(), kode);
            }
            None => miss(r, report),
        }
    }
}

/// One region, one BPS code: Kemendagri code → BPS code, leaving out (with a warning) a region
/// that several BPS codes matched.
fn one_code_each(
    found: &BTreeMap<String, String>,
    shown: &Path,
) -> (BTreeMap<String, String>, Vec<Diagnostic>) {
    let mut by_kemendagri: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (bps, kode) in found {
        by_kemendagri
            .entry(kode.clone())
            .or_default()
            .push(bps.clone());
    }
    let mut out = BTreeMap::new();
    let mut warnings = Vec::new();
    for (kode, bps) in by_kemendagri {
        if let [one] = bps.as_slice() {
            out.insert(kode, one.clone());
        } else {
            warnings.push(
                Diagnostic::warning(
                    Code::WilayahLevel,
                    shown,
                    format!(
                        "kode BPS {} cocok dengan wilayah yang sama ({kode}); kode_bps wilayah itu dikosongkan",
                        bps.join(" dan ")
                    ),
                )
                .hint("isi kode_bps wilayah itu sendiri di data/wilayah.csv bila tahu mana yang benar"),
            );
        }
    }
    (out, warnings)
}

/// The regions that got a BPS code, and those (provinsi to kecamatan) that did not, per level.
fn count_matched(
    reg: &Registry,
    list: &BpsList,
    out: &BTreeMap<String, String>,
    report: &mut BpsReport,
) {
    for kode in out.keys() {
        report.matched[kode.matches('.').count().min(2)] += 1;
    }
    for region in reg.regions.values() {
        let level = match region.jenis.level() {
            1 => 0,
            2 => 1,
            3 => 2,
            _ => continue,
        };
        if level == 2 && list.districts.is_empty() {
            continue;
        }
        if !out.contains_key(&region.kode) {
            report.without[level] += 1;
            if report.without_examples.len() < 4 {
                report
                    .without_examples
                    .push(format!("{} {}", region.kode, region.nama));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REG: &str = "kode,nama,jenis,kode_induk\n11,Aceh,provinsi,\n11.01,Kabupaten Aceh Selatan,kabupaten,11\n11.09,Kabupaten Simeulue,kabupaten,11\n11.09.01,Teupah Selatan,kecamatan,11.09\n91,Papua,provinsi,\n93,Papua Selatan,provinsi,\n93.01,Kabupaten Merauke,kabupaten,93\n";

    #[test]
    fn matches_by_name_within_the_parent_and_across_the_papua_split() {
        let reg = Registry::parse(Path::new("w.csv"), REG).unwrap();
        let list = BpsList {
            provinces: vec![row("11", "", "ACEH"), row("94", "", "PAPUA")],
            regencies: vec![
                row("1101", "11", "KABUPATEN SIMEULUE"),
                row("1103", "11", "KABUPATEN ACEH SELATAN"),
                row("9401", "94", "KABUPATEN MERAUKE"),
                row("9402", "94", "KABUPATEN JAYAWIJAYA"),
            ],
            districts: vec![row("1101010", "1101", "TEUPAH SELATAN")],
        };
        let (out, rep, warnings) = crosswalk(&reg, &list, Path::new("bps"));
        assert!(warnings.is_empty());
        assert_eq!(out["11.09"], "1101");
        assert_eq!(out["11.01"], "1103");
        assert_eq!(out["93.01"], "9401");
        assert_eq!(out["91"], "94");
        assert_eq!(out["11.09.01"], "1101010");
        assert_eq!(rep.unmatched, vec!["9402 KABUPATEN JAYAWIJAYA"]);
        assert_eq!(rep.differing, 3);
        assert_eq!(rep.without, [1, 0, 0]);
    }

    fn row(kode: &str, induk: &str, nama: &str) -> BpsRow {
        BpsRow {
            kode: kode.into(),
            induk: induk.into(),
            nama: nama.into(),
        }
    }
}
