//! `lumbung import`: turns BPS web-table exports into a Lumbung dataset and Kemendagri code lists into a region registry.

pub mod aliases;
pub mod bpscodes;
pub mod cli;
pub mod crosswalk;
pub mod layout;
pub mod merge;
pub mod names;
pub mod package;
pub mod plausibility;
pub mod report;
pub mod sqldump;
pub mod tidy;
pub mod wilayah;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::data::registry::{NATION, Registry};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use aliases::{AliasSource, Aliases};
use layout::{Cell, Daerah, Measure, Periode};
use names::{Level, Matcher, Via, is_upper};
use report::{FileReport, Report};

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

/// Expands directories into the `.csv` files they hold (sorted by name); files stay as given.
pub fn expand_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostics> {
    let mut out = Vec::new();
    let mut errors = Diagnostics::default();
    for p in paths {
        if p.is_dir() {
            match std::fs::read_dir(p) {
                Ok(rd) => {
                    let mut files: Vec<PathBuf> = rd
                        .filter_map(Result::ok)
                        .map(|e| e.path())
                        .filter(|f| {
                            f.is_file()
                                && f.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv"))
                        })
                        .collect();
                    files.sort();
                    if files.is_empty() {
                        errors.push(
                            Diagnostic::error(Code::ImportInput, p, "folder ini tidak berisi berkas .csv")
                                .hint("sebutkan berkas ekspor BPS (.csv) atau folder yang berisi berkas itu"),
                        );
                    }
                    out.extend(files);
                }
                Err(e) => errors.push(Diagnostic::error(
                    Code::ImportInput,
                    p,
                    format!("tidak bisa membaca folder: {e}"),
                )),
            }
        } else {
            out.push(p.clone());
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(
            Diagnostic::error(Code::ImportInput, ".", "tidak ada berkas masukan")
                .hint("contoh: lumbung import bps --registry data/wilayah.csv --out data/kemiskinan berkas-bps.csv"),
        );
    }
    if errors.has_errors() {
        Err(errors)
    } else {
        Ok(out)
    }
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
    let mut reader = Reader {
        matcher: &matcher,
        settings,
        errors: Diagnostics::default(),
        report: Report::default(),
        obs: Vec::new(),
        headers: BTreeMap::new(),
        has_daerah: false,
        matched_codes: BTreeSet::new(),
        all_keys: BTreeSet::new(),
        columns: BTreeMap::new(),
        year_from_name: 0,
    };
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

/// The state of an import while tables are read one by one: what each table says, before merging.
struct Reader<'a> {
    matcher: &'a Matcher<'a>,
    settings: &'a BpsSettings,
    errors: Diagnostics,
    report: Report,
    obs: Vec<merge::Obs>,
    headers: BTreeMap<Measure, BTreeSet<String>>,
    has_daerah: bool,
    matched_codes: BTreeSet<String>,
    /// Every key seen, with or without a value (to count empty rows).
    all_keys: BTreeSet<Key>,
    /// Each column's header, by (file, column index), for the report.
    columns: BTreeMap<(usize, usize), String>,
    /// Files whose year came from the file name.
    year_from_name: usize,
}

impl Reader<'_> {
    /// Matches a table's rows to regions (or to the nation's daerah) and records its values.
    fn add_table(&mut self, file_idx: usize, shown: &Path, table: &layout::Table) {
        self.report.warnings.extend(table.warnings.iter().cloned());
        self.year_from_name += usize::from(table.columns.iter().any(|c| c.year_from_file_name));
        for c in &table.columns {
            self.headers
                .entry(c.measure)
                .or_default()
                .insert(c.header.clone());
            self.columns.insert((file_idx, c.index), c.header.clone());
        }
        let national = is_national_by_daerah(table);
        self.has_daerah |= national || table.columns.iter().any(|c| c.daerah.is_some());
        let levels = RowLevels::of(table);
        let mut province: Option<String> = None;
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut fr = FileReport {
            file: shown.to_path_buf(),
            rows_read: table.rows.len(),
            notes: table.notes.clone(),
            ..Default::default()
        };
        for row in &table.rows {
            let (kode, daerah, secondary) = if national {
                (NATION.to_string(), Daerah::of_row(&row.name), false)
            } else {
                let Some(kode) = self.match_row(shown, row, &levels, &mut province) else {
                    continue;
                };
                let kab_kota_table = levels.mixed || levels.plain == Level::KabKota;
                let aggregate = self.matcher.level_of(&kode).is_some_and(|l| l < 2);
                (kode, None, kab_kota_table && aggregate)
            };
            let seen_key = format!("{kode}{daerah:?}");
            if let Some(first) = seen.get(&seen_key) {
                self.errors.push(
                    Diagnostic::error(
                        Code::ImportDuplicateRegion, shown,
                        format!(
                            "\"{}\" dan baris data {first} menunjuk wilayah yang sama, {}",
                            row.name,
                            self.matcher.describe(&kode)
                        ),
                    )
                    .at_csv(row.row, row.line, None, Some(&row.raw))
                    .hint("satu wilayah hanya boleh muncul sekali dalam satu tabel; periksa nama atau berkas alias"),
                );
                continue;
            }
            seen.insert(seen_key, row.row);
            self.matched_codes.insert(kode.clone());
            fr.rows_matched += 1;
            self.add_values(file_idx, shown, table, row, &kode, daerah, secondary);
        }
        fr.layout = describe_layout(table, levels.mixed, levels.plain);
        self.report.rows_read += fr.rows_read;
        self.report.files.push(fr);
    }

    /// The region code of a row, with the province it sits under when province rows are mixed in.
    fn match_row(
        &mut self,
        shown: &Path,
        row: &layout::DataRow,
        levels: &RowLevels,
        province: &mut Option<String>,
    ) -> Option<String> {
        let level = levels.of_row(&row.name);
        let context = if levels.mixed && level == Level::KabKota {
            province.clone()
        } else {
            None
        };
        let m = match self.matcher.find(&row.name, level, context.as_deref()) {
            Ok(m) => m,
            Err(u) => {
                if level == Level::Province {
                    *province = None;
                }
                self.errors.push(unmatched_error(
                    shown,
                    row,
                    &u,
                    self.matcher,
                    level,
                    context.as_deref(),
                ));
                return None;
            }
        };
        if levels.mixed && level == Level::Province {
            *province = (m.kode != NATION).then(|| m.kode.clone());
        }
        match &m.via {
            Via::Alias(a) => {
                let src = match &a.source {
                    AliasSource::BuiltIn => "bawaan".to_string(),
                    AliasSource::File(f, l) => format!("{f}:{l}"),
                };
                *self
                    .report
                    .aliases_used
                    .entry(format!(
                        "\"{}\" → {} [{src}]",
                        row.name,
                        self.matcher.describe(&m.kode)
                    ))
                    .or_default() += 1;
            }
            Via::Crosswalk(_) => self.report.crosswalk_used += 1,
            _ => {}
        }
        Some(m.kode)
    }

    /// Records one matched row's values; a value that cannot be right is set aside (with a
    /// warning) before merging, so that it never blocks a valid figure from another table.
    #[allow(clippy::too_many_arguments)]
    fn add_values(
        &mut self,
        file_idx: usize,
        shown: &Path,
        table: &layout::Table,
        row: &layout::DataRow,
        kode: &str,
        row_daerah: Option<Daerah>,
        secondary: bool,
    ) {
        for (col, cell) in table.columns.iter().zip(&row.cells) {
            let periode = col
                .periode
                .or(self.settings.default_periode)
                .unwrap_or(Periode::Unstated);
            let key = Key {
                kode: kode.to_string(),
                tahun: col.year,
                periode,
                daerah: row_daerah.or(col.daerah).unwrap_or(Daerah::Total),
            };
            let Cell::Value(v) = cell else {
                self.all_keys.insert(key);
                continue;
            };
            self.report.values_read += 1;
            let origin = Origin {
                file: file_idx,
                row: row.row,
                line: row.line,
                column: col.header.clone(),
                raw: row.raw.clone(),
            };
            if let Some(why) = plausibility::impossible(col.measure, *v) {
                self.report.warnings.push(
                    Diagnostic::warning(
                        Code::ImportImplausible,
                        shown,
                        format!(
                            "{} {} {} {}: {} ({why})",
                            col.measure.field(),
                            self.matcher.describe(kode),
                            key.tahun,
                            key.periode.label(),
                            layout::show_value(*v)
                        ),
                    )
                    .at_csv(row.row, row.line, Some(&col.header), Some(&row.raw))
                    .hint("nilai ini tidak mungkin dan tidak dipakai; tabel lain yang memuat sel ini tetap dipakai; periksa baris ini di sumbernya"),
                );
                self.all_keys.insert(key);
                continue;
            }
            self.obs.push(merge::Obs {
                key,
                measure: col.measure,
                value: Value { v: *v, origin },
                column: (file_idx, col.index),
                secondary,
            });
        }
    }

    /// Notes for the report about what was assumed or declared.
    fn notes(&mut self) {
        if let Some(p) = self.settings.default_periode {
            self.report.notes.push(format!(
                "periode tabel yang tidak menyebut periode dinyatakan sebagai {} (--periode)",
                p.label()
            ));
        }
        if self.year_from_name > 0 {
            self.report.notes.push(format!(
                "{} berkas tidak menyebut tahun di kepala tabel; tahunnya diambil dari nama berkas",
                self.year_from_name
            ));
        }
    }
}

/// A national table by daerah: its rows are `Kota`, `Desa` and `Kota+Desa` (the daerah of
/// Indonesia), not region names.
fn is_national_by_daerah(table: &layout::Table) -> bool {
    !table.rows.is_empty() && table.rows.iter().all(|r| Daerah::of_row(&r.name).is_some())
}

/// Which level a table's rows are: capitals mark province rows among kab/kota rows.
struct RowLevels {
    mixed: bool,
    plain: Level,
}

impl RowLevels {
    fn of(table: &layout::Table) -> RowLevels {
        let uppers = table.rows.iter().filter(|r| is_upper(&r.name)).count();
        let label = table.label.to_lowercase();
        let plain = if label.contains("kabupaten") || label.contains("kota") {
            Level::KabKota
        } else if label.contains("provinsi") {
            Level::Province
        } else {
            Level::Any
        };
        RowLevels {
            mixed: uppers > 0 && uppers < table.rows.len() && plain != Level::Province,
            plain,
        }
    }

    fn of_row(&self, name: &str) -> Level {
        match (self.mixed, is_upper(name)) {
            (true, true) => Level::Province,
            (true, false) => Level::KabKota,
            (false, _) => self.plain,
        }
    }
}

fn describe_layout(table: &layout::Table, mixed: bool, plain: Level) -> String {
    let mut measures: BTreeMap<Measure, (i32, i32, BTreeSet<&'static str>)> = BTreeMap::new();
    for c in &table.columns {
        let e = measures
            .entry(c.measure)
            .or_insert((c.year, c.year, BTreeSet::new()));
        e.0 = e.0.min(c.year);
        e.1 = e.1.max(c.year);
        e.2.insert(c.periode.map_or("tanpa periode", Periode::label));
        if let Some(d) = c.daerah {
            e.2.insert(d.label());
        }
    }
    let cols: Vec<String> = measures
        .iter()
        .map(|(m, (a, b, p))| {
            let years = if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            };
            let p: Vec<&str> = p.iter().copied().collect();
            format!("{} {years} ({})", m.field(), p.join(", "))
        })
        .collect();
    let level = if mixed {
        "provinsi + kabupaten/kota"
    } else {
        match plain {
            Level::Province => "provinsi",
            Level::KabKota => "kabupaten/kota",
            Level::Any => "wilayah",
        }
    };
    format!(
        "{} baris kepala, {level}, {}",
        table.header_lines,
        cols.join("; ")
    )
}

fn unmatched_error(
    shown: &Path,
    row: &layout::DataRow,
    u: &names::Unmatched,
    matcher: &Matcher,
    level: Level,
    context: Option<&str>,
) -> Diagnostic {
    let what = match level {
        Level::Province => "provinsi",
        Level::KabKota => "kabupaten/kota",
        Level::Any => "wilayah",
    };
    let ctx = context
        .map(|p| format!(" (provinsi {})", matcher.describe(p)))
        .unwrap_or_default();
    if u.ambiguous.is_empty() {
        let near = if u.nearest.is_empty() {
            String::new()
        } else {
            format!("kandidat terdekat: {}; ", u.nearest.join(", "))
        };
        Diagnostic::error(
            Code::ImportUnknownName, shown,
            format!("nama {what} \"{}\"{ctx} tidak ada di daftar wilayah", row.name),
        )
        .at_csv(row.row, row.line, None, Some(&row.raw))
        .hint(format!(
            "{near}jika ini nama lama atau ejaan lain, tambahkan baris \"{},<kode>\" ke berkas alias (--aliases)",
            row.name
        ))
    } else {
        let list: Vec<String> = u.ambiguous.iter().map(|k| matcher.describe(k)).collect();
        Diagnostic::error(
            Code::ImportAmbiguousName, shown,
            format!(
                "nama \"{}\" ambigu{ctx}: cocok dengan {}",
                row.name,
                list.join(", ")
            ),
        )
        .at_csv(row.row, row.line, None, Some(&row.raw))
        .hint(format!(
            "tulis \"Kota …\" atau \"Kabupaten …\" di sumbernya, atau tambahkan baris \"{},<kode>\" ke berkas alias (--aliases)",
            row.name
        ))
    }
}

/// Input files as (path as given, text).
pub type Inputs = Vec<(PathBuf, String)>;

/// What every table import reads first: the registry, the built-in aliases with the user's
/// (`--aliases`), and each input file (folders expanded) as text. UTF-8 is expected;
/// Windows-1252 files are read byte for byte. Every unreadable file is reported.
pub fn read_inputs(
    registry: &Path,
    alias_file: Option<&Path>,
    files: &[PathBuf],
) -> Result<(Registry, Aliases, Inputs), Diagnostics> {
    let reg = Registry::load(Path::new(""), registry).map_err(Diagnostics::from)?;
    let mut aliases = Aliases::builtin(&reg);
    if let Some(a) = alias_file {
        let errs = aliases.load_file(a, a, &reg);
        if !errs.is_empty() {
            return Err(errs.into());
        }
    }
    let paths = expand_inputs(files)?;
    let mut inputs = Vec::new();
    let mut errors = Diagnostics::default();
    for p in &paths {
        match std::fs::read(p) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => inputs.push((p.clone(), t)),
                Err(e) => {
                    // BPS exports are UTF-8; Windows-1252 files are read byte for byte.
                    let t: String = e.as_bytes().iter().map(|&b| b as char).collect();
                    inputs.push((p.clone(), t));
                }
            },
            Err(e) => errors.push(
                Diagnostic::error(
                    Code::ImportInput,
                    p,
                    format!("tidak bisa membaca berkas: {e}"),
                )
                .hint("periksa nama dan letak berkas"),
            ),
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    Ok((reg, aliases, inputs))
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
