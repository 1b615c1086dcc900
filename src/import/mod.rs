//! `lumbung import`: turns BPS web-table exports into a Lumbung dataset and Kemendagri code lists into a region registry.

pub mod aliases;
pub mod bpscodes;
pub mod cli;
pub mod crosswalk;
mod inputs;
pub mod layout;
pub mod merge;
pub mod names;
pub mod package;
pub mod plausibility;
mod reader;
pub mod report;
pub mod sqldump;
pub mod tidy;
pub mod wilayah;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::data::registry::Registry;
use crate::diagnostic::Diagnostics;
use aliases::Aliases;
pub use inputs::{Inputs, expand_inputs, read_inputs};
use layout::{Daerah, Measure, Periode};
use names::Matcher;
use reader::Reader;
use report::Report;

/// One input file as the user should see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The file's path as given, or as found inside a given folder.
    pub shown: PathBuf,
}

/// Where a value was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Index into the list of sources.
    pub file: usize,
    /// 1-based data row in the table (the first row after the header lines is 1).
    pub row: usize,
    /// 1-based physical line in the file.
    pub line: usize,
    /// The column header it came from.
    pub column: String,
    /// The whole line as written, for messages.
    pub raw: String,
}

/// One imported value.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// The value as read, in the measure's unit.
    pub v: f64,
    /// Where it was read.
    pub origin: Origin,
}

/// The key of a row of the tidy table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// The region code (Kemendagri, dotted: "36.73"; "00" for Indonesia).
    pub kode: String,
    /// The year.
    pub tahun: i32,
    /// The survey period (Maret, September or Tahunan).
    pub periode: Periode,
    /// Perkotaan, perdesaan or both together.
    pub daerah: Daerah,
}

/// Every value of an import, keyed by (kode, tahun, periode, daerah), then by measure.
pub type Merged = BTreeMap<Key, BTreeMap<Measure, Value>>;

/// What `import bps` needs besides the files' text.
#[derive(Debug, Clone, Default)]
pub struct BpsSettings {
    /// The period the publisher declares for tables whose header names none; `None` (the
    /// default) writes them as `tidak disebut` unless the province tables prove their period.
    pub default_periode: Option<Periode>,
    /// Which sources win where tables disagree: parts of file paths, first match first
    /// (`--utamakan "Menurut Daerah"`). Without it every disagreement is an error.
    pub prefer: Vec<String>,
}

/// The result of converting BPS exports: the merged values and what was seen.
#[derive(Debug, Clone)]
pub struct Converted {
    /// One value per key and measure.
    pub merged: Merged,
    /// Measures present, in the fixed output order.
    pub measures: Vec<Measure>,
    /// True when some column or row split perkotaan/perdesaan.
    pub has_daerah: bool,
    /// The input files, in the order read.
    pub sources: Vec<Source>,
    /// Column headers per measure, for the field descriptions.
    pub headers: BTreeMap<Measure, BTreeSet<String>>,
    /// The declared precedence, for the dataset's descriptor.
    pub prefer: Vec<String>,
    /// What was read and decided.
    pub report: Report,
}

/// Converts BPS exports (path as shown, text) into merged values. Every unmatched or ambiguous
/// name, unreadable file, same-file duplicate and undeclared disagreement is an error; all are
/// collected.
pub fn convert_bps(
    reg: &Registry,
    aliases: &Aliases,
    inputs: &[(PathBuf, String)],
    settings: &BpsSettings,
) -> Result<Converted, Diagnostics> {
    let matcher = Matcher::new(reg, aliases);
    let mut reader = Reader::new(&matcher, settings);
    let mut sources = Vec::new();
    for (file_idx, (shown, text)) in inputs.iter().enumerate() {
        sources.push(Source {
            shown: shown.clone(),
        });
        match layout::read_table(shown, text) {
            Ok(table) => reader.add_table(file_idx, shown, &table),
            Err(e) => reader.errors.extend(e),
        }
    }
    reader.notes();
    let Reader {
        mut errors,
        mut report,
        mut obs,
        headers,
        has_daerah,
        matched_codes,
        mut all_keys,
        columns,
        ..
    } = reader;
    let paths: Vec<PathBuf> = inputs.iter().map(|(p, _)| p.clone()).collect();
    let describe_column = |c: (usize, usize)| {
        let name = paths
            .get(c.0)
            .and_then(|p| p.file_name())
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let header = columns.get(&c).cloned().unwrap_or_default();
        format!("{name}, kolom \"{header}\"")
    };
    report.merge.periods = merge::prove_periods(&mut obs, &describe_column);
    let (obs, secondary) = merge::drop_secondary(obs);
    report.merge.secondary = secondary;
    let describe = |k: &str| matcher.describe(k);
    let merged = match merge::settle(obs, &settings.prefer, &paths, &describe) {
        Ok((merged, overridden)) => {
            report.merge.overridden = overridden;
            merged
        }
        Err(e) => {
            errors.extend(e.0);
            Merged::new()
        }
    };
    if errors.has_errors() {
        // The warnings found so far (shifted rows, odd values) help fixing the input too.
        errors.extend(std::mem::take(&mut report.warnings));
        errors.sort();
        return Err(errors);
    }
    finish(
        reg,
        &matcher,
        merged,
        headers,
        has_daerah,
        sources,
        matched_codes,
        &mut all_keys,
        settings,
        report,
    )
}

/// Counts, jump warnings and the measures present: the converted import.
#[allow(clippy::too_many_arguments)]
fn finish(
    reg: &Registry,
    matcher: &Matcher<'_>,
    mut merged: Merged,
    headers: BTreeMap<Measure, BTreeSet<String>>,
    has_daerah: bool,
    sources: Vec<Source>,
    matched_codes: BTreeSet<String>,
    all_keys: &mut BTreeSet<Key>,
    settings: &BpsSettings,
    mut report: Report,
) -> Result<Converted, Diagnostics> {
    report.regions = level_counts(reg, &matched_codes);
    let count_level = |l: u8| {
        reg.regions
            .values()
            .filter(|r| r.jenis.level() == l)
            .count()
    };
    report.registry_regions = (count_level(1), count_level(2));
    let measures: Vec<Measure> = Measure::ALL
        .into_iter()
        .filter(|m| headers.contains_key(m))
        .collect();
    let describe = |k: &str| matcher.describe(k);
    let mut warnings = plausibility::check(&mut merged, &sources, &describe);
    report.warnings.append(&mut warnings);
    let mut ws = Diagnostics(std::mem::take(&mut report.warnings));
    ws.sort();
    report.warnings = ws.0;
    report.rows_written = merged.len();
    all_keys.extend(merged.keys().cloned());
    report.rows_empty = all_keys.len() - merged.len();
    Ok(Converted {
        merged,
        measures,
        has_daerah,
        sources,
        headers,
        prefer: settings.prefer.clone(),
        report,
    })
}

/// How many of the matched codes are the nation, provinces and kab/kota.
fn level_counts(reg: &Registry, codes: &BTreeSet<String>) -> (usize, usize, usize) {
    let mut counts = (0, 0, 0);
    for k in codes {
        match reg.get(k).map(|r| r.jenis.level()) {
            Some(0) => counts.0 += 1,
            Some(1) => counts.1 += 1,
            Some(2) => counts.2 += 1,
            _ => {}
        }
    }
    counts
}

/// `import bps` end to end: reads the registry, aliases and files, converts, and writes the
/// dataset folder. Returns the report, or every error.
pub fn import_bps(
    registry: &Path,
    out: &Path,
    alias_file: Option<&Path>,
    files: &[PathBuf],
    settings: &BpsSettings,
) -> Result<Report, Diagnostics> {
    let (reg, aliases, inputs) = read_inputs(registry, alias_file, files)?;
    let mut conv = convert_bps(&reg, &aliases, &inputs, settings)?;
    let ds = package::render(out, &conv)?;
    let written = package::write(out, &ds)?;
    conv.report.outputs = written;
    Ok(conv.report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Diagnostic};

    const REG: &str = "kode,nama,jenis,kode_induk\n36,Banten,provinsi,\n36.04,Kabupaten Serang,kabupaten,36\n36.73,Kota Serang,kota,36\n";

    fn run(files: &[(&str, &str)]) -> Result<Converted, Diagnostics> {
        let reg = Registry::parse(Path::new("w.csv"), REG).unwrap();
        let aliases = Aliases::builtin(&reg);
        let inputs: Vec<(PathBuf, String)> = files
            .iter()
            .map(|(n, t)| (PathBuf::from(n), t.to_string()))
            .collect();
        convert_bps(&reg, &aliases, &inputs, &BpsSettings::default())
    }

    #[test]
    fn daerah_columns_become_a_dimension() {
        let t = "Provinsi/Kabupaten/Kota,P0 Perkotaan 2024,P0 Perdesaan 2024,P0 Perkotaan+Perdesaan 2024\nBANTEN,5.1,6.2,5.84\nSerang,4,5,4.51\nKota Serang,5.5,6,5.65\n";
        let t = t.replace("P0", "Persentase Penduduk Miskin (P0)");
        let c = run(&[("p0.csv", &t)]).unwrap();
        assert!(c.has_daerah);
        assert_eq!(c.merged.len(), 9);
        let ds = package::render(Path::new("out/p0-daerah"), &c).unwrap();
        // No period in the header and nothing to prove one: the year alone, never a guessed Maret.
        assert!(ds.csv.starts_with("kode_wilayah,tahun,periode,daerah,p0\n36,2024,tidak disebut,Perkotaan,5.1\n36,2024,tidak disebut,Perdesaan,6.2\n36,2024,tidak disebut,Jumlah,5.84\n"), "{}", ds.csv);
        assert!(ds.datapackage.contains("\"name\": \"daerah\""));
        assert!(
            ds.datapackage.contains("\"lumbung:default\": \"Jumlah\""),
            "{}",
            ds.datapackage
        );
        assert!(ds.datapackage.contains("\"kode_wilayah\",\n          \"tahun\",\n          \"periode\",\n          \"daerah\""), "{}", ds.datapackage);
    }

    #[test]
    fn files_that_disagree_stop_the_import_unless_a_source_is_preferred() {
        let a = "Provinsi,Persentase Penduduk Miskin - Maret 2024,Persentase Penduduk Miskin - September 2024\nBanten,5.84,5.7\n";
        let b = "Provinsi,Persentase Penduduk Miskin - Maret 2024\nBanten,5.85\n";
        let e = run(&[("a.csv", a), ("b.csv", b)]).unwrap_err();
        let conflicts: Vec<&Diagnostic> =
            e.0.iter()
                .filter(|d| d.code == Code::ImportConflict)
                .collect();
        assert_eq!(conflicts.len(), 1, "{e}");
        assert!(conflicts[0].message.contains("5,84") && conflicts[0].message.contains("5,85"));
        // The order of the files changes nothing.
        assert!(run(&[("b.csv", b), ("a.csv", a)]).is_err());
        // The publisher's declared precedence settles it, and the report says so.
        let reg = Registry::parse(Path::new("w.csv"), REG).unwrap();
        let aliases = Aliases::builtin(&reg);
        let inputs = vec![
            (PathBuf::from("a.csv"), a.to_string()),
            (PathBuf::from("b.csv"), b.to_string()),
        ];
        let settings = BpsSettings {
            prefer: vec!["b.csv".into()],
            ..BpsSettings::default()
        };
        let c = convert_bps(&reg, &aliases, &inputs, &settings).unwrap();
        let key = |p| Key {
            kode: "36".into(),
            tahun: 2024,
            periode: p,
            daerah: Daerah::Total,
        };
        assert_eq!(c.merged[&key(Periode::Maret)][&Measure::P0].v, 5.85);
        assert_eq!(c.merged[&key(Periode::September)][&Measure::P0].v, 5.7);
        assert_eq!(c.report.merge.overridden.len(), 1);
        assert!(c.report.merge.overridden[0].contains("menggantikan 5,84"));
    }

    #[test]
    fn same_region_twice_in_one_file_is_an_error() {
        let a = "Nama Wilayah,\n,Persentase Penduduk Miskin (P0) (Persen)\n,2024\nBANTEN,5.84\nKota Serang,5.65\nKota  Serang,5.6\n";
        let e = run(&[("a.csv", a)]).unwrap_err().to_string();
        assert!(
            e.contains(
                "\"Kota  Serang\" dan baris data 2 menunjuk wilayah yang sama, 36.73 Kota Serang"
            ),
            "{e}"
        );
        assert!(e.contains("a.csv:6: baris data 3"), "{e}");
    }
}
