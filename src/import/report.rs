//! The closing report of an import: rows read and written, regions matched, aliases used, notes and warnings.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::import::layout::years_in;

/// What happened to one input file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileReport {
    /// The file's path as given.
    pub file: PathBuf,
    /// "3 baris kepala, kolom: p0 2024 (Maret*)" style summary of the detected layout.
    pub layout: String,
    /// Data rows of the table (blank, note and skipped rows not counted).
    pub rows_read: usize,
    /// Of those, rows matched to a region.
    pub rows_matched: usize,
    /// Footnotes found after the data and ignored.
    pub notes: Vec<String>,
}

/// Totals of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// One report per input file, in the order read.
    pub files: Vec<FileReport>,
    /// Data rows read over all files.
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
    /// Problems that did not stop the import (skipped or shifted rows, disagreeing tables, odd values), sorted.
    pub warnings: Vec<Diagnostic>,
    /// Where the output went.
    pub outputs: Vec<PathBuf>,
    /// Periods proven, province rows of kab/kota tables, and disagreements settled by precedence.
    pub merge: crate::import::merge::MergeReport,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Laporan impor BPS")?;
        writeln!(f, "  berkas dibaca        : {}", self.files.len())?;
        for g in group_files(&self.files) {
            let count = if g.files > 1 {
                format!(" ({} berkas)", g.files)
            } else {
                String::new()
            };
            writeln!(
                f,
                "    {}{count}: {} baris, {} cocok; {}",
                g.name, g.rows_read, g.rows_matched, g.layout
            )?;
            for n in &g.notes {
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
        write_aliases(f, &self.aliases_used)?;
        if self.crosswalk_used > 0 {
            writeln!(f, "  kode BPS via crosswalk: {} baris", self.crosswalk_used)?;
        }
        for n in &self.notes {
            writeln!(f, "  catatan: {n}")?;
        }
        if !self.merge.periods.is_empty() {
            writeln!(
                f,
                "  periode tabel tanpa periode ({}):",
                self.merge.periods.len()
            )?;
            for p in &self.merge.periods {
                writeln!(f, "    {p}")?;
            }
        }
        let (kept, set_aside) = self.merge.secondary;
        if kept + set_aside > 0 {
            writeln!(
                f,
                "  baris provinsi/nasional tabel kab/kota: {set_aside} hanya sebagai pembanding (tabel provinsi atau nasional memuat angkanya), {kept} dipakai (tidak ada tabel lain untuk wilayah dan tahun itu)"
            )?;
        }
        if !self.merge.overridden.is_empty() {
            writeln!(
                f,
                "  nilai yang diputuskan oleh --utamakan: {}",
                self.merge.overridden.len()
            )?;
            for o in self.merge.overridden.iter().take(20) {
                writeln!(f, "    {o}")?;
            }
            if self.merge.overridden.len() > 20 {
                writeln!(f, "    … dan {} lainnya", self.merge.overridden.len() - 20)?;
            }
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

/// Files that differ only by their year, shown as one line.
struct FileGroup {
    name: String,
    layout: String,
    files: usize,
    rows_read: usize,
    rows_matched: usize,
    notes: Vec<String>,
    years: Vec<i32>,
}

fn fold_years(s: &str) -> (String, Vec<i32>) {
    let years = years_in(s);
    let mut out = s.to_string();
    for y in &years {
        out = out.replace(&y.to_string(), "{}");
    }
    (out, years)
}

fn group_files(files: &[FileReport]) -> Vec<FileGroup> {
    let mut groups: Vec<(String, String, FileGroup)> = Vec::new();
    for fr in files {
        let name = fr.file.display().to_string();
        let (name_pat, mut years) = fold_years(&name);
        let (layout_pat, ly) = fold_years(&fr.layout);
        years.extend(ly);
        let notes: Vec<String> = fr
            .notes
            .iter()
            .map(|n| {
                format!(
                    "{}: {n}",
                    fr.file
                        .file_name()
                        .map(|f| f.to_string_lossy())
                        .unwrap_or_default()
                )
            })
            .collect();
        match groups.last_mut() {
            Some((n, l, g)) if *n == name_pat && *l == layout_pat && years.len() <= 2 => {
                g.files += 1;
                g.rows_read += fr.rows_read;
                g.rows_matched += fr.rows_matched;
                g.notes.extend(notes);
                g.years.extend(years);
            }
            _ => groups.push((
                name_pat,
                layout_pat,
                FileGroup {
                    name: name.clone(),
                    layout: fr.layout.clone(),
                    files: 1,
                    rows_read: fr.rows_read,
                    rows_matched: fr.rows_matched,
                    notes,
                    years,
                },
            )),
        }
    }
    groups
        .into_iter()
        .map(|(n, l, mut g)| {
            if g.files > 1 {
                let a = g.years.iter().min().copied().unwrap_or(0);
                let b = g.years.iter().max().copied().unwrap_or(0);
                let range = format!("{a}–{b}");
                g.name = n.replace("{}", &range);
                g.layout = l.replace("{}", &range);
            } else {
                g.notes = g
                    .notes
                    .iter()
                    .map(|x| x.split_once(": ").map_or(x.clone(), |(_, t)| t.to_string()))
                    .collect();
            }
            g
        })
        .collect()
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let t: String = s.chars().take(max).collect();
        format!("{t}…")
    }
}

/// The report lines of the aliases a matching used, with how many rows each settled.
pub(crate) fn write_aliases(
    f: &mut fmt::Formatter<'_>,
    used: &BTreeMap<String, usize>,
) -> fmt::Result {
    let rows: usize = used.values().sum();
    writeln!(
        f,
        "  alias dipakai        : {} nama, {} baris",
        used.len(),
        rows
    )?;
    for (a, c) in used {
        writeln!(f, "    {a}: {c} baris")?;
    }
    Ok(())
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
