//! `import wilayah`: builds the region registry (`kode,nama,jenis,kode_induk`) from a Kemendagri code list.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::data::registry::{Jenis, csv_error_message, implied_parent, valid_code};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::import::bpscodes::{BpsList, BpsReport};
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
    /// Down to desa, kelurahan and desa adat (everything).
    #[value(alias = "kelurahan")]
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
#[derive(Debug, Clone, Default)]
pub struct WilayahReport {
    /// Records read from the source list.
    pub rows_read: usize,
    /// Regions written, by kind.
    pub counts: BTreeMap<Jenis, usize>,
    /// Names that had spaces trimmed.
    pub trimmed: usize,
    /// Rows left out because they are below the requested level.
    pub skipped_below_level: usize,
    /// What matching the BPS list found, when one was given.
    pub bps: Option<BpsReport>,
    /// Warnings (BPS codes that could not be told apart).
    pub warnings: Vec<Diagnostic>,
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
        if let Some(b) = &self.bps {
            write!(f, "{b}")?;
        }
        for w in &self.warnings {
            writeln!(f, "{w}")?;
        }
        Ok(())
    }
}

fn level_of(kode: &str) -> u8 {
    (kode.matches('.').count() + 1) as u8
}

/// The kind of a region when the source has no `jenis` column: from the level, the name prefix
/// ("Kota …") and, for villages, the Kemendagri rule (1xxx kelurahan, 2xxx desa, 3xxx desa adat).
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
            Some('2' | '3') => Some(Jenis::Desa),
            _ => None,
        },
        _ => None,
    }
}

/// A `jenis` cell as Kemendagri lists write it: the registry's keys, and "desa adat",
/// "kabupaten administrasi", "kota administrasi", "kab", "kab." too.
fn parse_jenis(s: &str) -> Option<Jenis> {
    let t = s.trim().to_lowercase();
    Jenis::parse(&t).or(match t.as_str() {
        "desa adat" | "kampung" | "nagari" | "gampong" => Some(Jenis::Desa),
        "kabupaten administrasi" | "kab" | "kab." => Some(Jenis::Kabupaten),
        "kota administrasi" | "kota adm." | "kotamadya" => Some(Jenis::Kota),
        _ => None,
    })
}

/// Where a source row is, for messages: a CSV record or a tuple of a SQL dump.
#[derive(Debug, Clone)]
enum At {
    Csv {
        row: usize,
        line: usize,
        raw: String,
    },
    Sql {
        offset: usize,
    },
}

/// One row of the source list, whatever its format.
#[derive(Debug, Clone)]
struct SourceRow {
    at: At,
    kode: String,
    nama: String,
    jenis: Option<String>,
    induk: Option<String>,
    tingkat: Option<String>,
}

impl SourceRow {
    /// Places `d` at this row (and `field`, for a CSV).
    fn place(&self, d: Diagnostic, field: &str, text: &str) -> Diagnostic {
        match &self.at {
            At::Csv { row, line, raw } => d.at_csv(*row, *line, Some(field), Some(raw)),
            At::Sql { offset } => d.at_offset(text, *offset),
        }
    }
}

/// The rows of a CSV list (header with at least `kode,nama`).
fn csv_rows(shown: &Path, text: &str) -> Result<(Vec<SourceRow>, Diagnostics), Diagnostics> {
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
            .hint("daftar Kemendagri harus punya kepala kolom kode,nama (jenis, kode_induk dan tingkat boleh ada), atau berupa dump SQL INSERT INTO wilayah (kode, nama) VALUES …")
            .into());
    };
    let (c_jenis, c_induk, c_tingkat) = (col("jenis"), col("kode_induk"), col("tingkat"));
    let mut errors = Diagnostics::default();
    let mut rows = Vec::new();
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
        let line = rec.position().map_or(row + 1, |p| line_starts.line_of(p));
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).map(str::to_string);
        rows.push(SourceRow {
            at: At::Csv {
                row,
                line,
                raw: raw_line(line).to_string(),
            },
            kode: get(Some(c_kode)).unwrap_or_default(),
            nama: get(Some(c_nama)).unwrap_or_default(),
            jenis: get(c_jenis),
            induk: get(c_induk),
            tingkat: get(c_tingkat),
        });
    }
    Ok((rows, errors))
}

/// The rows of a MySQL dump: `INSERT INTO wilayah (kode, nama) VALUES ('11','Aceh'), …;`
/// (without a column list, the first two values are kode and nama).
fn sql_rows(shown: &Path, text: &str) -> Result<(Vec<SourceRow>, Diagnostics), Diagnostics> {
    let mut tuples = crate::import::sqldump::inserts(text).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(Code::WilayahRow, shown, format!("dump SQL tidak terbaca: {}", e.message))
                .at_offset(text, e.offset)
                .hint("setiap baris ditulis ('kode', 'nama'), dipisah koma; tanda kutip di dalam nama ditulis dua kali ('')"),
        )
    })?;
    // The `wilayah` table when the dump has one, else every INSERT.
    if tuples.iter().any(|t| &*t.table == "wilayah") {
        tuples.retain(|t| &*t.table == "wilayah");
    }
    if tuples.is_empty() {
        return Err(Diagnostic::error(
            Code::WilayahInput,
            shown,
            "dump SQL ini tidak berisi INSERT INTO … VALUES",
        )
        .hint("dump harus memuat INSERT INTO wilayah (kode, nama) VALUES ('11','Aceh'), …")
        .into());
    }
    let mut rows = Vec::new();
    for t in tuples {
        let pos = |name: &str, fallback: usize| match &t.columns {
            Some(cols) => cols.iter().position(|c| c == name),
            None => (fallback < t.values.len()).then_some(fallback),
        };
        let get = |i: Option<usize>| i.and_then(|i| t.values.get(i).cloned().flatten());
        let (Some(c_kode), Some(c_nama)) = (pos("kode", 0), pos("nama", 1)) else {
            return Err(Diagnostic::error(
                Code::WilayahInput,
                shown,
                "INSERT ini tidak punya kolom kode dan nama",
            )
            .at_offset(text, t.offset)
            .hint("tulis INSERT INTO wilayah (kode, nama) VALUES …")
            .into());
        };
        rows.push(SourceRow {
            at: At::Sql { offset: t.offset },
            kode: get(Some(c_kode)).unwrap_or_default(),
            nama: get(Some(c_nama)).unwrap_or_default(),
            jenis: get(pos("jenis", usize::MAX)),
            induk: get(pos("kode_induk", usize::MAX)),
            tingkat: get(pos("tingkat", usize::MAX)),
        });
    }
    Ok((rows, Diagnostics::default()))
}

/// Converts a Kemendagri list into registry CSV text: a CSV with a header (at least
/// `kode,nama`; `jenis`, `kode_induk`, `tingkat` used when present) or a MySQL dump of
/// `INSERT INTO wilayah (kode, nama) VALUES …`.
pub fn convert(
    shown: &Path,
    text: &str,
    levels: Levels,
) -> Result<(String, WilayahReport), Diagnostics> {
    convert_with(shown, text, levels, None)
}

/// [`convert`], with BPS codes matched from `bps` into a `kode_bps` column.
pub fn convert_with(
    shown: &Path,
    text: &str,
    levels: Levels,
    bps: Option<(&Path, &BpsList)>,
) -> Result<(String, WilayahReport), Diagnostics> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (source, mut errors) = if crate::import::sqldump::looks_like_sql(text) {
        sql_rows(shown, text)?
    } else {
        csv_rows(shown, text)?
    };
    let mut report = WilayahReport::default();
    let check = Check {
        shown,
        text,
        levels,
    };
    let rows = check.all(&source, &mut report, &mut errors);
    if errors.has_errors() {
        return Err(errors);
    }
    for (_, _, jenis, _) in rows.values() {
        *report.counts.entry(*jenis).or_default() += 1;
    }
    let Some((bps_shown, list)) = bps else {
        return Ok((registry_csv(shown, &rows, None)?, report));
    };
    let plain = registry_csv(shown, &rows, None)?;
    let reg = crate::data::registry::Registry::parse(shown, &plain).map_err(Diagnostics::from)?;
    let (map, bps_report, warnings) = crate::import::bpscodes::crosswalk(&reg, list, bps_shown);
    report.bps = Some(bps_report);
    report.warnings = warnings;
    Ok((registry_csv(shown, &rows, Some(&map))?, report))
}

/// A region as the registry writes it: code, name, kind and parent code (empty for a province).
type RegistryRow = (String, String, Jenis, String);

/// The regions to write, in code order (each part of the code compared as a number).
type Rows = BTreeMap<Vec<u32>, RegistryRow>;

/// Checks the rows of a source list against the Kemendagri code rules.
struct Check<'a> {
    shown: &'a Path,
    text: &'a str,
    levels: Levels,
}

impl Check<'_> {
    /// An error at `field` of the row `src`.
    fn err(&self, src: &SourceRow, code: Code, msg: String, field: &str, hint: &str) -> Diagnostic {
        src.place(Diagnostic::error(code, self.shown, msg), field, self.text)
            .hint(hint)
    }

    /// Every row checked, each code once, every parent present; the errors in `errors`.
    fn all(
        &self,
        source: &[SourceRow],
        report: &mut WilayahReport,
        errors: &mut Diagnostics,
    ) -> Rows {
        let mut rows = Rows::new();
        // Code → the first row that has it (its line is worked out only for a message).
        let mut seen_at: BTreeMap<String, &SourceRow> = BTreeMap::new();
        for src in source {
            report.rows_read += 1;
            let (kode, nama, jenis, induk) = match self.row(src, report) {
                Ok(Some(r)) => r,
                Ok(None) => continue,
                Err(d) => {
                    errors.push(d);
                    continue;
                }
            };
            if let Some(first) = seen_at.get(&kode) {
                let first = match &first.at {
                    At::Csv { line, .. } => *line,
                    At::Sql { offset } => crate::diagnostic::line_col(self.text, *offset).0,
                };
                errors.push(self.err(
                    src,
                    Code::WilayahRow,
                    format!("kode wilayah {kode} muncul dua kali (pertama di baris {first})"),
                    "kode",
                    "setiap kode hanya boleh ada di satu baris",
                ));
                continue;
            }
            seen_at.insert(kode.clone(), src);
            let sort_key: Vec<u32> = kode.split('.').map(|p| p.parse().unwrap_or(0)).collect();
            rows.insert(sort_key, (kode, nama, jenis, induk));
        }
        // Every parent must be present.
        for (kode, _, _, induk) in rows.values() {
            if !induk.is_empty() && !seen_at.contains_key(induk) {
                errors.push(
                    Diagnostic::error(
                        Code::WilayahLevel,
                        self.shown,
                        format!("induk {induk} dari wilayah {kode} tidak ada di daftar"),
                    )
                    .hint("daftar sumber harus memuat semua tingkat di atas wilayah ini"),
                );
            }
        }
        rows
    }

    /// One row as the registry writes it; `None` for the nation's row and for rows below the
    /// requested level.
    fn row(
        &self,
        src: &SourceRow,
        report: &mut WilayahReport,
    ) -> Result<Option<RegistryRow>, Diagnostic> {
        let kode = src.kode.trim().to_string();
        let nama = src.nama.split_whitespace().collect::<Vec<_>>().join(" ");
        if nama != src.nama {
            report.trimmed += 1;
        }
        // A registry made by Lumbung has the nation's row; the registry adds it anyway.
        if kode == crate::data::registry::NATION
            && src
                .jenis
                .as_deref()
                .is_none_or(|j| j.trim().eq_ignore_ascii_case("nasional"))
        {
            return Ok(None);
        }
        if !valid_code(&kode) || kode == crate::data::registry::NATION {
            return Err(self.err(
                src,
                Code::WilayahRow,
                format!("kode wilayah \"{kode}\" tidak sah"),
                "kode",
                "kode Kemendagri bertitik: 36, 36.04, 36.04.01 atau 36.04.01.2001",
            ));
        }
        let level = level_of(&kode);
        if level > self.levels.max_level() {
            report.skipped_below_level += 1;
            return Ok(None);
        }
        if nama.is_empty() {
            return Err(self.err(
                src,
                Code::WilayahRow,
                format!("wilayah {kode} tidak punya nama"),
                "nama",
                "isi kolom nama",
            ));
        }
        let jenis = self.jenis(src, &kode, &nama, level)?;
        if let Some(t) = src
            .tingkat
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            && t.parse::<u8>().ok() != Some(level)
        {
            return Err(self.err(
                src,
                Code::WilayahLevel,
                format!(
                    "tingkat \"{t}\" untuk {kode} tidak cocok dengan panjang kodenya ({level})"
                ),
                "tingkat",
                "periksa kode atau tingkatnya",
            ));
        }
        let implied = implied_parent(&kode).unwrap_or_default();
        if let Some(induk) = src
            .induk
            .as_deref()
            .map(str::trim)
            .filter(|i| !i.is_empty())
            && induk != implied
        {
            return Err(self.err(
                src,
                Code::WilayahLevel,
                format!(
                    "kode_induk \"{induk}\" untuk {kode} tidak cocok dengan kodenya ({implied})"
                ),
                "kode_induk",
                "kode induk adalah kode wilayah tanpa bagian terakhirnya",
            ));
        }
        let induk_out = if level == 1 { String::new() } else { implied };
        Ok(Some((kode, nama, jenis, induk_out)))
    }

    /// The row's kind, as given or read from the code and name; it must match the code's level.
    fn jenis(
        &self,
        src: &SourceRow,
        kode: &str,
        nama: &str,
        level: u8,
    ) -> Result<Jenis, Diagnostic> {
        let given = src
            .jenis
            .as_deref()
            .map(str::trim)
            .filter(|j| !j.is_empty());
        let jenis = match given {
            Some(j) => parse_jenis(j).ok_or_else(|| {
                self.err(
                    src,
                    Code::WilayahLevel,
                    format!("jenis wilayah \"{j}\" untuk {kode} tidak dikenal"),
                    "jenis",
                    "pilih provinsi, kabupaten, kota, kecamatan, desa (juga desa adat) atau kelurahan, atau kosongkan agar jenisnya dibaca dari kode",
                )
            })?,
            None => derive_jenis(kode, nama).ok_or_else(|| {
                self.err(
                    src,
                    Code::WilayahLevel,
                    format!("jenis {kode} ({nama}) tidak bisa dibaca dari kodenya: bagian terakhir kode desa/kelurahan diawali 1 (kelurahan), 2 (desa) atau 3 (desa adat)"),
                    "kode",
                    "periksa kodenya, atau tambahkan kolom jenis",
                )
            })?,
        };
        if jenis.level() != level {
            return Err(self.err(
                src,
                Code::WilayahLevel,
                format!("jenis {} untuk {kode} ({nama}) tidak cocok dengan panjang kodenya (tingkat {level})", jenis.key()),
                "jenis",
                "provinsi: 2 digit; kabupaten/kota: 36.04; kecamatan: 36.04.01; desa/kelurahan: 36.04.01.2001",
            ));
        }
        Ok(jenis)
    }
}

/// The registry CSV of `rows`, with a `kode_bps` column when `kode_bps` is given.
fn registry_csv(
    shown: &Path,
    rows: &Rows,
    kode_bps: Option<&BTreeMap<String, String>>,
) -> Result<String, Diagnostics> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut ok = true;
    let mut header = vec!["kode", "nama", "jenis", "kode_induk"];
    if kode_bps.is_some() {
        header.push("kode_bps");
    }
    ok &= w.write_record(&header).is_ok();
    for (kode, nama, jenis, induk) in rows.values() {
        let mut rec = vec![kode.as_str(), nama.as_str(), jenis.key(), induk.as_str()];
        if let Some(map) = kode_bps {
            rec.push(map.get(kode).map_or("", String::as_str));
        }
        ok &= w.write_record(&rec).is_ok();
    }
    match (ok, w.into_inner()) {
        (true, Ok(b)) => Ok(String::from_utf8_lossy(&b).into_owned()),
        _ => {
            Err(Diagnostic::error(Code::WilayahInput, shown, "gagal menyusun CSV keluaran").into())
        }
    }
}

/// `import wilayah` end to end: reads `source` (and the BPS list in `bps`, if given), writes
/// the registry to `out` atomically.
pub fn import_wilayah(
    source: &Path,
    out: &Path,
    levels: Levels,
    bps: Option<&Path>,
) -> Result<WilayahReport, Diagnostics> {
    let text = std::fs::read_to_string(source).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(
                Code::WilayahInput,
                source,
                format!("tidak bisa membaca daftar Kemendagri: {e}"),
            )
            .hint("sebutkan CSV dengan kolom kode,nama (UTF-8) atau dump SQL INSERT INTO wilayah"),
        )
    })?;
    let list = match bps {
        Some(dir) => Some(BpsList::read(dir)?),
        None => None,
    };
    let (csv, report) = convert_with(source, &text, levels, bps.zip(list.as_ref()))?;
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
