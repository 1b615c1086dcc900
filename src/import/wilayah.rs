//! `import wilayah`: builds the region registry (`kode,nama,jenis,kode_induk`) from a Kemendagri code list.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::data::registry::{Jenis, csv_error_message, implied_parent, valid_code};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::import::package::write_atomic;

/// How deep the registry goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Levels {
    /// Provinces only.
    Provinsi,
    /// Provinces and kabupaten/kota.
    Kabkota,
    /// Down to kecamatan.
    Kecamatan,
    /// Down to desa/kelurahan (everything).
    Desa,
}

impl Levels {
    fn max_level(self) -> u8 {
        match self {
            Levels::Provinsi => 1,
            Levels::Kabkota => 2,
            Levels::Kecamatan => 3,
            Levels::Desa => 4,
        }
    }
}

/// What `import wilayah` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WilayahReport {
    /// Records read from the source list.
    pub rows_read: usize,
    /// Regions written, by kind.
    pub counts: BTreeMap<Jenis, usize>,
    /// Names that had spaces trimmed.
    pub trimmed: usize,
    /// Rows left out because they are below the requested level.
    pub skipped_below_level: usize,
}

impl fmt::Display for WilayahReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Laporan impor wilayah")?;
        writeln!(f, "  baris dibaca : {}", self.rows_read)?;
        let total: usize = self.counts.values().sum();
        writeln!(f, "  baris ditulis: {total}")?;
        for (j, n) in &self.counts {
            writeln!(f, "    {:<10} {n}", j.key())?;
        }
        if self.skipped_below_level > 0 {
            writeln!(
                f,
                "  di bawah tingkat yang diminta (tidak ditulis): {}",
                self.skipped_below_level
            )?;
        }
        if self.trimmed > 0 {
            writeln!(
                f,
                "  nama dirapikan (spasi di tepi dibuang): {}",
                self.trimmed
            )?;
        }
        Ok(())
    }
}

fn level_of(kode: &str) -> u8 {
    (kode.matches('.').count() + 1) as u8
}

/// The kind of a region when the source has no `jenis` column: from the level, the name prefix
/// ("Kota …") and, for villages, the Kemendagri rule (1xxx kelurahan, 2xxx desa).
fn derive_jenis(kode: &str, nama: &str) -> Option<Jenis> {
    match level_of(kode) {
        1 => Some(Jenis::Provinsi),
        2 => Some(if nama.to_lowercase().starts_with("kota ") {
            Jenis::Kota
        } else {
            Jenis::Kabupaten
        }),
        3 => Some(Jenis::Kecamatan),
        4 => match kode.rsplit('.').next().and_then(|s| s.chars().next()) {
            Some('1') => Some(Jenis::Kelurahan),
            Some('2') => Some(Jenis::Desa),
            _ => None,
        },
        _ => None,
    }
}

/// Converts a Kemendagri list (header with at least `kode,nama`; `jenis`, `kode_induk`,
/// `tingkat` used when present) into registry CSV text.
pub fn convert(
    shown: &Path,
    text: &str,
    levels: Levels,
) -> Result<(String, WilayahReport), Diagnostics> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let raw_line = |l: usize| lines.get(l.saturating_sub(1)).copied().unwrap_or("");
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let line_starts = crate::diagnostic::LineStarts::new(text);
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_lowercase()).collect(),
        Err(e) => {
            return Err(Diagnostic::error(Code::WilayahInput, shown, csv_error_message(&e)).into());
        }
    };
    let col = |n: &str| header.iter().position(|h| h == n);
    let (Some(c_kode), Some(c_nama)) = (col("kode"), col("nama")) else {
        return Err(Diagnostic::error(Code::WilayahInput, shown, format!("kolom kode dan nama tidak ada di kepala tabel ({})", header.join(",")))
            .at_text(text, 1, 1)
            .hint("daftar Kemendagri harus punya kepala kolom kode,nama (jenis, kode_induk dan tingkat boleh ada)")
            .into());
    };
    let (c_jenis, c_induk, c_tingkat) = (col("jenis"), col("kode_induk"), col("tingkat"));
    let mut errors = Diagnostics::default();
    let mut report = WilayahReport::default();
    let mut rows: BTreeMap<Vec<u32>, (String, String, Jenis, String)> = BTreeMap::new();
    let mut seen_line: BTreeMap<String, usize> = BTreeMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let row = i + 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(row + 1, |p| line_starts.line_of(p));
                errors.push(
                    Diagnostic::error(Code::WilayahRow, shown, csv_error_message(&e))
                        .at_csv(row, line, None, Some(raw_line(line)))
                        .hint("nama yang berisi koma harus diapit tanda kutip"),
                );
                continue;
            }
        };
        report.rows_read += 1;
        let line = rec.position().map_or(row + 1, |p| line_starts.line_of(p));
        let raw = raw_line(line);
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("");
        let kode = get(Some(c_kode)).trim().to_string();
        let nama_raw = get(Some(c_nama));
        let nama = nama_raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if nama != nama_raw {
            report.trimmed += 1;
        }
        if !valid_code(&kode) || kode == crate::data::registry::NATION {
            errors.push(
                Diagnostic::error(
                    Code::WilayahRow,
                    shown,
                    format!("kode wilayah \"{kode}\" tidak sah"),
                )
                .at_csv(row, line, Some("kode"), Some(raw))
                .hint("kode Kemendagri bertitik: 36, 36.04, 36.04.01 atau 36.04.01.2001"),
            );
            continue;
        }
        let level = level_of(&kode);
        if level > levels.max_level() {
            report.skipped_below_level += 1;
            continue;
        }
        if nama.is_empty() {
            errors.push(
                Diagnostic::error(
                    Code::WilayahRow,
                    shown,
                    format!("wilayah {kode} tidak punya nama"),
                )
                .at_csv(row, line, Some("nama"), Some(raw))
                .hint("isi kolom nama"),
            );
            continue;
        }
        let jenis = match c_jenis.map(|c| get(Some(c)).trim()) {
            Some(j) if !j.is_empty() => Jenis::parse(j),
            _ => derive_jenis(&kode, &nama),
        };
        let Some(jenis) = jenis.filter(|j| j.level() == level) else {
            errors.push(
                Diagnostic::error(Code::WilayahLevel, shown, format!("jenis wilayah {kode} ({nama}) tidak cocok dengan panjang kodenya"))
                    .at_csv(row, line, Some("jenis"), Some(raw))
                    .hint("provinsi: 2 digit; kabupaten/kota: 36.04; kecamatan: 36.04.01; desa/kelurahan: 36.04.01.2001"),
            );
            continue;
        };
        if let Some(c) = c_tingkat {
            let t = get(Some(c)).trim();
            if !t.is_empty() && t.parse::<u8>().ok() != Some(level) {
                errors.push(
                    Diagnostic::error(Code::WilayahLevel, shown, format!("tingkat \"{t}\" untuk {kode} tidak cocok dengan panjang kodenya ({level})"))
                        .at_csv(row, line, Some("tingkat"), Some(raw))
                        .hint("periksa kode atau tingkatnya"),
                );
                continue;
            }
        }
        let implied = implied_parent(&kode).unwrap_or_default();
        let induk = get(c_induk).trim();
        if !induk.is_empty() && induk != implied {
            errors.push(
                Diagnostic::error(
                    Code::WilayahLevel,
                    shown,
                    format!(
                        "kode_induk \"{induk}\" untuk {kode} tidak cocok dengan kodenya ({implied})"
                    ),
                )
                .at_csv(row, line, Some("kode_induk"), Some(raw))
                .hint("kode induk adalah kode wilayah tanpa bagian terakhirnya"),
            );
            continue;
        }
        if let Some(first) = seen_line.get(&kode) {
            errors.push(
                Diagnostic::error(
                    Code::WilayahRow,
                    shown,
                    format!("kode wilayah {kode} muncul dua kali (pertama di baris {first})"),
                )
                .at_csv(row, line, Some("kode"), Some(raw))
                .hint("setiap kode hanya boleh ada di satu baris"),
            );
            continue;
        }
        seen_line.insert(kode.clone(), line);
        let sort_key: Vec<u32> = kode.split('.').map(|p| p.parse().unwrap_or(0)).collect();
        let induk_out = if level == 1 { String::new() } else { implied };
        rows.insert(sort_key, (kode, nama, jenis, induk_out));
    }
    // Every parent must be present.
    for (kode, _, _, induk) in rows.values() {
        if !induk.is_empty() && !seen_line.contains_key(induk) {
            errors.push(
                Diagnostic::error(
                    Code::WilayahLevel,
                    shown,
                    format!("induk {induk} dari wilayah {kode} tidak ada di daftar"),
                )
                .hint("daftar sumber harus memuat semua tingkat di atas wilayah ini"),
            );
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut out_err = None;
    let _ = w.write_record(["kode", "nama", "jenis", "kode_induk"]);
    for (kode, nama, jenis, induk) in rows.values() {
        *report.counts.entry(*jenis).or_default() += 1;
        if let Err(e) = w.write_record([kode.as_str(), nama.as_str(), jenis.key(), induk.as_str()])
        {
            out_err = Some(e);
        }
    }
    let bytes = match (out_err, w.into_inner()) {
        (None, Ok(b)) => b,
        _ => {
            return Err(Diagnostic::error(
                Code::WilayahInput,
                shown,
                "gagal menyusun CSV keluaran",
            )
            .into());
        }
    };
    Ok((String::from_utf8_lossy(&bytes).into_owned(), report))
}

/// `import wilayah` end to end: reads `source`, writes the registry to `out` atomically.
pub fn import_wilayah(
    source: &Path,
    out: &Path,
    levels: Levels,
) -> Result<WilayahReport, Diagnostics> {
    let text = std::fs::read_to_string(source).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(
                Code::WilayahInput,
                source,
                format!("tidak bisa membaca daftar Kemendagri: {e}"),
            )
            .hint("sebutkan CSV dengan kolom kode,nama (UTF-8)"),
        )
    })?;
    let (csv, report) = convert(source, &text, levels)?;
    if let Some(dir) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            Diagnostics::from(Diagnostic::error(
                Code::WilayahInput,
                dir,
                format!("tidak bisa membuat folder: {e}"),
            ))
        })?;
    }
    write_atomic(out, csv.as_bytes())?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::registry::Registry;

    const SRC: &str = "kode,nama,tingkat,kode_induk,jenis\r\n36,Banten,1,,provinsi\r\n36.73,Kota Serang,2,36,kota\r\n36.04,Kabupaten Serang,2,36,kabupaten\r\n36.04.01,Cinangka,3,36.04,kecamatan\r\n36.04.01.2001,\"Sindanglaya, Baru\",4,36.04.01,desa\r\n31,Daerah Khusus Ibukota Jakarta,1,,provinsi\r\n31.72,Kota Administrasi Jakarta Utara ,2,31,kota\r\n";

    #[test]
    fn converts_and_loads_as_registry() {
        let (csv, rep) = convert(Path::new("k.csv"), SRC, Levels::Desa).unwrap();
        assert!(csv.starts_with("kode,nama,jenis,kode_induk\n31,Daerah Khusus Ibukota Jakarta,provinsi,\n31.72,Kota Administrasi Jakarta Utara,kota,31\n36,"), "{csv}");
        assert!(csv.contains("\"Sindanglaya, Baru\""));
        assert_eq!(rep.trimmed, 1);
        let reg = Registry::parse(Path::new("w.csv"), &csv).unwrap();
        assert_eq!(reg.get("36.73").unwrap().jenis, Jenis::Kota);
        assert_eq!(reg.get("36.04").unwrap().jenis, Jenis::Kabupaten);
        let (csv, rep) = convert(Path::new("k.csv"), SRC, Levels::Kabkota).unwrap();
        assert_eq!(rep.skipped_below_level, 2);
        assert!(!csv.contains("Cinangka"));
    }

    #[test]
    fn bad_rows_are_reported() {
        let src =
            "kode,nama\n36,Banten\n36.04,Kabupaten Serang\n36.04,Lagi\n3604,X\n37.01,Tanpa Induk\n";
        let errs = convert(Path::new("k.csv"), src, Levels::Desa).unwrap_err();
        let s = errs.to_string();
        assert!(s.contains("36.04 muncul dua kali"), "{s}");
        assert!(s.contains("\"3604\" tidak sah"), "{s}");
        assert!(s.contains("induk 37 dari wilayah 37.01"), "{s}");
    }
}
