//! The closing report of an import: rows read and written, regions matched, aliases used, notes and warnings.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

/// What happened to one input file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileReport {
    pub file: PathBuf,
    /// "3 baris kepala, kolom: p0 2024 (Maret*)" style summary of the detected layout.
    pub layout: String,
    pub rows_read: usize,
    pub rows_matched: usize,
    /// Footnotes found after the data and ignored.
    pub notes: Vec<String>,
}

/// Totals of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub files: Vec<FileReport>,
    pub rows_read: usize,
    /// Non-missing values read.
    pub values_read: usize,
    /// Data rows (lines after the header) written to the CSV.
    pub rows_written: usize,
    /// Keys whose every value is missing in every file; not written.
    pub rows_empty: usize,
    /// Distinct regions matched, by level: (nasional, provinsi, kab/kota).
    pub regions: (usize, usize, usize),
    /// Regions of the registry at those levels: (provinsi, kab/kota).
    pub registry_regions: (usize, usize),
    /// Alias description → number of rows that used it.
    pub aliases_used: BTreeMap<String, usize>,
    /// Rows matched through the BPS-code crosswalk.
    pub crosswalk_used: usize,
    /// General notes (assumptions made, e.g. the period of tables that name none).
    pub notes: Vec<String>,
    pub warnings: Vec<Diagnostic>,
    /// Where the output went.
    pub outputs: Vec<PathBuf>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Laporan impor BPS")?;
        writeln!(f, "  berkas dibaca        : {}", self.files.len())?;
        for fr in &self.files {
            writeln!(
                f,
                "    {}: {} baris, {} cocok; {}",
                fr.file.display(),
                fr.rows_read,
                fr.rows_matched,
                fr.layout
            )?;
            for n in &fr.notes {
                writeln!(f, "      catatan diabaikan: {}", shorten(n, 110))?;
            }
        }
        writeln!(f, "  baris dibaca         : {}", self.rows_read)?;
        writeln!(f, "  nilai dibaca         : {}", self.values_read)?;
        writeln!(f, "  baris ditulis        : {}", self.rows_written)?;
        if self.rows_empty > 0 {
            writeln!(
                f,
                "  baris tanpa nilai    : {} (semua kolom kosong, tidak ditulis)",
                self.rows_empty
            )?;
        }
        let (n, p, k) = self.regions;
        writeln!(
            f,
            "  wilayah cocok        : {} ({} nasional, {} dari {} provinsi, {} dari {} kabupaten/kota)",
            n + p + k,
            n,
            p,
            self.registry_regions.0,
            k,
            self.registry_regions.1
        )?;
        writeln!(f, "  nama tak cocok       : 0")?;
        let used: usize = self.aliases_used.values().sum();
        writeln!(
            f,
            "  alias dipakai        : {} nama, {} baris",
            self.aliases_used.len(),
            used
        )?;
        for (a, c) in &self.aliases_used {
            writeln!(f, "    {a}: {c} baris")?;
        }
        if self.crosswalk_used > 0 {
            writeln!(f, "  kode BPS via crosswalk: {} baris", self.crosswalk_used)?;
        }
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

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let t: String = s.chars().take(max).collect();
        format!("{t}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_lists_totals() {
        let mut r = Report {
            rows_read: 10,
            rows_written: 8,
            regions: (1, 2, 3),
            registry_regions: (38, 514),
            ..Default::default()
        };
        r.aliases_used.insert("Toba Samosir → 12.12".into(), 2);
        let s = r.to_string();
        assert!(s.contains("baris dibaca         : 10"), "{s}");
        assert!(
            s.contains("2 dari 38 provinsi, 3 dari 514 kabupaten/kota"),
            "{s}"
        );
        assert!(s.contains("Toba Samosir → 12.12: 2 baris"), "{s}");
        assert_eq!(shorten("abcdef", 3), "abc…");
    }
}
