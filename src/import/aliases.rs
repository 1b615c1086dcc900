//! Region name aliases: the built-in table of renamed or differently spelt regions and the user's alias file.

use std::collections::BTreeMap;
use std::path::Path;

use crate::data::registry::{Registry, csv_error_message, valid_code};
use crate::diagnostic::{Code, Diagnostic};
use crate::import::names::normalize;

/// BPS names that differ from the Kemendagri name even after normalising (case, spaces,
/// punctuation, "Kep." → "Kepulauan"), with the Kemendagri code and the official name.
/// An alias only applies inside the province its code belongs to.
pub const BUILTIN: &[(&str, &str, &str)] = &[
    ("Toba Samosir", "12.12", "Kabupaten Toba"),
    ("Kota Padang Sidempuan", "12.77", "Kota Padangsidimpuan"),
    ("Karang Asem", "51.07", "Kabupaten Karangasem"),
    ("Pontianak", "61.02", "Kabupaten Mempawah"),
    ("Mahakam Hulu", "64.11", "Kabupaten Mahakam Ulu"),
    (
        "Siau Tagulandang Biaro",
        "71.09",
        "Kabupaten Kep. Siau Tagulandang Biaro",
    ),
    (
        "Pangkajene Kepulauan",
        "73.10",
        "Kabupaten Pangkajene dan Kepulauan",
    ),
    ("Pahuwato", "75.04", "Kabupaten Pohuwato"),
    ("Mamuju Utara", "76.01", "Kabupaten Pasangkayu"),
    (
        "Maluku Tenggara Barat",
        "81.03",
        "Kabupaten Kepulauan Tanimbar",
    ),
];

/// Where an alias comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AliasSource {
    /// The built-in table, [`BUILTIN`].
    BuiltIn,
    /// The user's file and its 1-based line.
    File(String, usize),
}

/// A region name that stands for a Kemendagri code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The name as written in the alias table.
    pub name: String,
    /// The Kemendagri code the name stands for.
    pub kode: String,
    /// Where the alias was defined.
    pub source: AliasSource,
}

/// Aliases by normalised name (several codes per name are allowed: they are told apart by province).
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    /// Normalised name → the aliases with that name.
    pub by_name: BTreeMap<String, Vec<Alias>>,
    /// BPS code → Kemendagri code, from user rows whose first column is a number.
    pub crosswalk: BTreeMap<String, String>,
}

impl Aliases {
    /// The built-in table, keeping only codes the registry knows.
    pub fn builtin(reg: &Registry) -> Aliases {
        let mut a = Aliases::default();
        for (name, kode, _) in BUILTIN {
            if reg.contains(kode) {
                a.add(Alias {
                    name: name.to_string(),
                    kode: kode.to_string(),
                    source: AliasSource::BuiltIn,
                });
            }
        }
        a
    }

    fn add(&mut self, alias: Alias) {
        let list = self.by_name.entry(normalize(&alias.name)).or_default();
        // A user alias for a name replaces a built-in one within the same province.
        list.retain(|x| {
            !(x.source == AliasSource::BuiltIn && province_of(&x.kode) == province_of(&alias.kode))
        });
        list.push(alias);
    }

    /// Aliases for a raw name.
    pub fn lookup(&self, name: &str) -> &[Alias] {
        self.by_name
            .get(&normalize(name))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Reads a user alias file: CSV with header `nama_bps,kode`; `nama_bps` is a name as BPS
    /// writes it, or a BPS region code (`1206`) to make a crosswalk entry.
    pub fn load_file(&mut self, shown: &Path, path: &Path, reg: &Registry) -> Vec<Diagnostic> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                return vec![
                    Diagnostic::error(
                        Code::ImportAliases,
                        shown,
                        format!("tidak bisa membaca berkas alias: {e}"),
                    )
                    .hint("berkas alias adalah CSV dengan kolom nama_bps,kode"),
                ];
            }
        };
        self.parse(shown, &text, reg)
    }

    /// Parses alias file text; returns the problems found (the good rows are kept).
    pub fn parse(&mut self, shown: &Path, text: &str, reg: &Registry) -> Vec<Diagnostic> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: Vec<&str> = text.lines().collect();
        let raw_line = |l: usize| lines.get(l.saturating_sub(1)).copied().unwrap_or("");
        let mut errors = Vec::new();
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(text.as_bytes());
        let line_starts = crate::diagnostic::LineStarts::new(text);
        match rdr.headers() {
            Ok(h) if h.iter().map(str::trim).eq(["nama_bps", "kode"]) => {}
            Ok(h) => {
                let got: Vec<&str> = h.iter().collect();
                return vec![
                    Diagnostic::error(
                        Code::ImportAliases,
                        shown,
                        format!("kepala kolom berkas alias tidak dikenal: {}", got.join(",")),
                    )
                    .at_text(text, 1, 1)
                    .hint("baris pertama harus persis: nama_bps,kode"),
                ];
            }
            Err(e) => {
                return vec![Diagnostic::error(
                    Code::ImportAliases,
                    shown,
                    csv_error_message(&e),
                )];
            }
        }
        for (i, rec) in rdr.records().enumerate() {
            let row = i + 1;
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(row + 1, |p| line_starts.line_of(p));
                    errors.push(
                        Diagnostic::error(Code::ImportAliases, shown, csv_error_message(&e))
                            .at_csv(row, line, None, Some(raw_line(line)))
                            .hint("setiap baris: nama_bps,kode (misalnya Toba Samosir,12.12)"),
                    );
                    continue;
                }
            };
            let line = rec.position().map_or(row + 1, |p| line_starts.line_of(p));
            let name = rec[0].trim().to_string();
            let kode = rec[1].trim().to_string();
            if name.is_empty() {
                errors.push(
                    Diagnostic::error(Code::ImportAliases, shown, "nama_bps kosong")
                        .at_csv(row, line, Some("nama_bps"), Some(raw_line(line)))
                        .hint("tulis nama wilayah persis seperti di tabel BPS"),
                );
                continue;
            }
            if !valid_code(&kode) || !reg.contains(&kode) {
                errors.push(
                    Diagnostic::error(
                        Code::ImportAliases,
                        shown,
                        format!("kode \"{kode}\" untuk \"{name}\" tidak ada di daftar wilayah"),
                    )
                    .at_csv(row, line, Some("kode"), Some(raw_line(line)))
                    .hint(reg.suggest(&kode)),
                );
                continue;
            }
            if name.bytes().all(|b| b.is_ascii_digit()) {
                if let Some(old) = self.crosswalk.insert(name.clone(), kode.clone())
                    && old != kode
                {
                    errors.push(
                        Diagnostic::error(
                            Code::ImportAliases,
                            shown,
                            format!("kode BPS {name} dipetakan dua kali ({old} dan {kode})"),
                        )
                        .at_csv(row, line, Some("nama_bps"), Some(raw_line(line)))
                        .hint("satu kode BPS hanya boleh menunjuk satu kode Kemendagri"),
                    );
                }
                continue;
            }
            self.add(Alias {
                name,
                kode,
                source: AliasSource::File(shown.display().to_string(), line),
            });
        }
        errors
    }
}

/// The province part of a code (`36.04` → `36`).
pub fn province_of(kode: &str) -> &str {
    kode.split('.').next().unwrap_or(kode)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REG: &str = "kode,nama,jenis,kode_induk\n12,Sumatera Utara,provinsi,\n12.12,Kabupaten Toba,kabupaten,12\n36,Banten,provinsi,\n36.04,Kabupaten Serang,kabupaten,36\n";

    #[test]
    fn builtin_and_user_aliases() {
        let reg = Registry::parse(Path::new("w.csv"), REG).unwrap();
        let mut a = Aliases::builtin(&reg);
        assert_eq!(a.lookup("TOBA  samosir")[0].kode, "12.12");
        // Codes the registry lacks are dropped.
        assert!(a.lookup("Mamuju Utara").is_empty());
        let errs = a.parse(
            Path::new("alias.csv"),
            "nama_bps,kode\nSerang Lama,36.04\n3604,36.04\nX,99.99\n",
            &reg,
        );
        assert_eq!(a.lookup("serang lama")[0].kode, "36.04");
        assert_eq!(a.crosswalk["3604"], "36.04");
        assert_eq!(errs.len(), 1);
        assert!(errs[0].to_string().contains("\"99.99\""), "{}", errs[0]);
        assert!(errs[0].to_string().contains("alias.csv:4"), "{}", errs[0]);
    }

    #[test]
    fn bad_header_is_reported() {
        let reg = Registry::parse(Path::new("w.csv"), REG).unwrap();
        let errs = Aliases::default().parse(Path::new("a.csv"), "nama,kode\n", &reg);
        assert!(errs[0].to_string().contains("nama_bps,kode"));
    }
}
