//! The closing report of `import tabel`: what was read from each file, how regions were matched, notes and warnings.

use crate::import::report::write_aliases;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use super::table::{Kind, Table};
use crate::diagnostic::Diagnostic;

/// What happened to one input file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TabelFile {
    /// The file as given.
    pub file: PathBuf,
    /// Data rows read.
    pub rows: usize,
    /// "kode_kabupaten_kota (kode wilayah) · tahun · …": how each column was read.
    pub columns: String,
    /// Columns ignored, with why: `id (nomor baris)`.
    pub ignored: Vec<String>,
}

/// The closing report of `import tabel`.
#[derive(Debug, Clone, Default)]
pub struct TabelReport {
    /// One entry per input file, in the order given.
    pub files: Vec<TabelFile>,
    /// Data rows read over all files.
    pub rows_read: usize,
    /// Values read (non-empty measure cells).
    pub values_read: usize,
    /// Rows written to the CSV.
    pub rows_written: usize,
    /// Distinct regions by level: nasional, provinsi, kab/kota, kecamatan, desa.
    pub regions: [usize; 5],
    /// Rows whose region came from a BPS code, a Kemendagri code, or a name alone.
    pub via_bps: usize,
    /// Rows whose region came from a Kemendagri code.
    pub via_kemendagri: usize,
    /// Rows whose region came from its name alone.
    pub via_name: usize,
    /// Rows whose name was checked against their code and agreed.
    pub names_checked: usize,
    /// Names matched through an alias: description → rows.
    pub aliases_used: BTreeMap<String, usize>,
    /// Assumptions made and declarations written, for the publisher to review.
    pub notes: Vec<String>,
    /// Problems that did not stop the import (suspicious zeros, names that differ from codes).
    pub warnings: Vec<Diagnostic>,
    /// Files written.
    pub outputs: Vec<PathBuf>,
}

impl fmt::Display for TabelReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Laporan impor tabel")?;
        writeln!(f, "  berkas dibaca        : {}", self.files.len())?;
        for fr in &self.files {
            writeln!(f, "    {}: {} baris", fr.file.display(), fr.rows)?;
            writeln!(f, "      kolom: {}", fr.columns)?;
            if !fr.ignored.is_empty() {
                writeln!(f, "      diabaikan: {}", fr.ignored.join(", "))?;
            }
        }
        writeln!(f, "  baris dibaca         : {}", self.rows_read)?;
        writeln!(f, "  nilai dibaca         : {}", self.values_read)?;
        writeln!(f, "  baris ditulis        : {}", self.rows_written)?;
        let [n, p, k, c, d] = self.regions;
        let mut parts = Vec::new();
        for (count, what) in [
            (n, "nasional"),
            (p, "provinsi"),
            (k, "kabupaten/kota"),
            (c, "kecamatan"),
            (d, "desa/kelurahan"),
        ] {
            if count > 0 {
                parts.push(format!("{count} {what}"));
            }
        }
        writeln!(
            f,
            "  wilayah cocok        : {} ({})",
            n + p + k + c + d,
            parts.join(", ")
        )?;
        writeln!(
            f,
            "  dicocokkan lewat     : kode BPS {} baris, kode Kemendagri {} baris, nama saja {} baris",
            self.via_bps, self.via_kemendagri, self.via_name
        )?;
        writeln!(
            f,
            "  nama dicek dgn kode  : {} baris sesuai",
            self.names_checked
        )?;
        writeln!(f, "  nama tak cocok       : 0")?;
        write_aliases(f, &self.aliases_used)?;
        for n in &self.notes {
            writeln!(f, "  catatan: {n}")?;
        }
        writeln!(f, "  peringatan           : {}", self.warnings.len())?;
        for w in &self.warnings {
            for line in w.to_string().lines() {
                writeln!(f, "    {line}")?;
            }
        }
        for o in &self.outputs {
            writeln!(f, "  ditulis: {}", o.display())?;
        }
        Ok(())
    }
}

/// What the report says about one file before its rows are read: its size and how each column
/// was read.
pub(super) fn file_report(t: &Table) -> TabelFile {
    let mut fr = TabelFile {
        file: t.shown.clone(),
        rows: t.records.len(),
        ..TabelFile::default()
    };
    fr.columns = t
        .columns
        .iter()
        .filter(|c| !matches!(c.kind, Kind::RowNumber | Kind::Empty))
        .map(|c| format!("{} ({})", c.header.trim(), describe_kind(&c.kind)))
        .collect::<Vec<_>>()
        .join(" · ");
    fr.ignored = t
        .columns
        .iter()
        .filter(|c| matches!(c.kind, Kind::RowNumber | Kind::Empty))
        .map(|c| format!("{} ({})", c.header.trim(), describe_kind(&c.kind)))
        .collect();
    fr
}

/// A column's role for the report.
fn describe_kind(k: &Kind) -> &'static str {
    match k {
        Kind::RowNumber => "nomor baris",
        Kind::Code(Some(1)) => "kode provinsi",
        Kind::Code(Some(2)) => "kode kabupaten/kota",
        Kind::Code(Some(3)) => "kode kecamatan",
        Kind::Code(Some(_)) => "kode desa/kelurahan",
        Kind::Code(None) => "kode wilayah",
        Kind::Name(Some(1)) => "nama provinsi",
        Kind::Name(Some(2)) => "nama kabupaten/kota",
        Kind::Name(Some(3)) => "nama kecamatan",
        Kind::Name(Some(_)) => "nama desa/kelurahan",
        Kind::Name(None) => "nama wilayah",
        Kind::Time => "tahun",
        Kind::Period => "periode",
        Kind::Daerah => "daerah",
        Kind::Unit => "satuan",
        Kind::Dimension => "dimensi",
        Kind::Measure => "angka",
        Kind::Empty => "kosong",
    }
}
