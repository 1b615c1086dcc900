//! `lumbung import`: turns BPS web-table exports into a Lumbung dataset and Kemendagri code lists into a region registry.

pub mod aliases;
pub mod cli;
pub mod crosswalk;
pub mod layout;
pub mod names;
pub mod package;
pub mod plausibility;
pub mod report;
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
#[derive(Debug, Clone)]
pub struct BpsSettings {
    /// Period given to columns whose header names none (BPS kab/kota tables are annual figures
    /// from the March Susenas).
    pub default_periode: Periode,
}

impl Default for BpsSettings {
    fn default() -> Self {
        BpsSettings {
            default_periode: Periode::Maret,
        }
    }
}

/// The result of converting BPS exports: the merged values and what was seen.
#[derive(Debug, Clone)]
pub struct Converted {
    /// Every value read, by row key and measure.
    pub merged: Merged,
    /// Measures present, in the fixed output order.
    pub measures: Vec<Measure>,
    /// True when some column split perkotaan/perdesaan.
    pub has_daerah: bool,
    /// The input files, in the order read ([`Origin::file`] indexes this list).
    pub sources: Vec<Source>,
    /// Column headers per measure, for the field descriptions.
    pub headers: BTreeMap<Measure, BTreeSet<String>>,
    /// What was read, matched and written, with the warnings.
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
/// name, unreadable file and same-file duplicate is an error; all are collected.
pub fn convert_bps(
    reg: &Registry,
    aliases: &Aliases,
    inputs: &[(PathBuf, String)],
    settings: &BpsSettings,
) -> Result<Converted, Diagnostics> {
    let matcher = Matcher::new(reg, aliases);
    let mut state = Merger {
        matcher: &matcher,
        inputs,
        settings,
        errors: Diagnostics::default(),
        report: Report::default(),
        merged: Merged::new(),
        headers: BTreeMap::new(),
        has_daerah: false,
        matched_codes: BTreeSet::new(),
        all_keys: BTreeSet::new(),
        defaulted_periode: 0,
        year_from_name: 0,
    };
    let mut sources = Vec::new();
    for (file_idx, (shown, text)) in inputs.iter().enumerate() {
        sources.push(Source {
            shown: shown.clone(),
        });
        match layout::read_table(shown, text) {
            Ok(table) => state.add_table(file_idx, shown, &table),
            Err(e) => state.errors.extend(e),
        }
    }
    state.notes();
    let Merger {
        mut errors,
        mut report,
        mut merged,
        headers,
        has_daerah,
        matched_codes,
        mut all_keys,
        ..
    } = state;
    if errors.has_errors() {
        // The warnings found so far (shifted rows, disagreeing tables) help fixing the input too.
        errors.extend(std::mem::take(&mut report.warnings));
        errors.sort();
        return Err(errors);
    }
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

/// The state of an import while tables are added one by one.
struct Merger<'a> {
    matcher: &'a Matcher<'a>,
    inputs: &'a [(PathBuf, String)],
    settings: &'a BpsSettings,
    errors: Diagnostics,
    report: Report,
    merged: Merged,
    headers: BTreeMap<Measure, BTreeSet<String>>,
    has_daerah: bool,
    matched_codes: BTreeSet<String>,
    /// Every key seen, with or without a value (to count empty rows).
    all_keys: BTreeSet<Key>,
    /// Files whose header names no period.
    defaulted_periode: usize,
    /// Files whose year came from the file name.
    year_from_name: usize,
}

impl Merger<'_> {
    /// Matches a table's rows to regions and merges its values.
    fn add_table(&mut self, file_idx: usize, shown: &Path, table: &layout::Table) {
        self.report.warnings.extend(table.warnings.iter().cloned());
        self.has_daerah |= table.columns.iter().any(|c| c.daerah.is_some());
        self.defaulted_periode += usize::from(table.columns.iter().any(|c| c.periode.is_none()));
        self.year_from_name += usize::from(table.columns.iter().any(|c| c.year_from_file_name));
        for c in &table.columns {
            self.headers
                .entry(c.measure)
                .or_default()
                .insert(c.header.clone());
        }
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
            let Some(kode) = self.match_row(shown, row, &levels, &mut province) else {
                continue;
            };
            if let Some(first) = seen.get(&kode) {
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
            seen.insert(kode.clone(), row.row);
            self.matched_codes.insert(kode.clone());
            fr.rows_matched += 1;
            self.add_values(file_idx, shown, table, row, &kode);
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

    /// Merges one matched row's values; a different value for a cell already read is reported.
    fn add_values(
        &mut self,
        file_idx: usize,
        shown: &Path,
        table: &layout::Table,
        row: &layout::DataRow,
        kode: &str,
    ) {
        for (col, cell) in table.columns.iter().zip(&row.cells) {
            let key = Key {
                kode: kode.to_string(),
                tahun: col.year,
                periode: col.periode.unwrap_or(self.settings.default_periode),
                daerah: col.daerah.unwrap_or(Daerah::Total),
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
            let slot = self.merged.entry(key.clone()).or_default();
            match slot.get(&col.measure) {
                None => {
                    slot.insert(col.measure, Value { v: *v, origin });
                }
                Some(old) if old.v == *v => {}
                Some(old) => {
                    let old_file = self
                        .inputs
                        .get(old.origin.file)
                        .map(|x| x.0.display().to_string())
                        .unwrap_or_default();
                    self.report.warnings.push(
                        Diagnostic::warning(
                            Code::ImportConflict, shown,
                            format!(
                                "tabel BPS tidak sepakat: {} {} {} {} = {} di sini, tetapi {} di {old_file}:{} (baris data {}); yang dipakai {} dari berkas yang disebut lebih dulu",
                                col.measure.field(),
                                self.matcher.describe(&key.kode),
                                key.tahun,
                                key.periode.label(),
                                layout::show_value(*v),
                                layout::show_value(old.v),
                                old.origin.line,
                                old.origin.row,
                                layout::show_value(old.v),
                            ),
                        )
                        .at_csv(row.row, row.line, Some(&col.header), Some(&row.raw))
                        .hint("urutan berkas di perintah menentukan nilai yang dipakai; periksa mana yang benar di situs BPS"),
                    );
                }
            }
        }
    }

    /// Notes for the report about what was assumed.
    fn notes(&mut self) {
        let settings = self.settings;
        if self.defaulted_periode > 0 {
            self.report.notes.push(format!(
                "{} berkas tidak menyebut periode di kepala tabel; nilainya dicatat sebagai periode {}{} (ubah dengan --periode)",
                self.defaulted_periode,
                settings.default_periode.label(),
                if settings.default_periode == Periode::Maret {
                    ", sebab angka tahunan BPS untuk kabupaten/kota berasal dari Susenas Maret"
                } else {
                    ""
                }
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

/// `import bps` end to end: reads the registry, aliases and files, converts, and writes the
/// dataset folder. Returns the report, or every error.
pub fn import_bps(
    registry: &Path,
    out: &Path,
    alias_file: Option<&Path>,
    files: &[PathBuf],
    settings: &BpsSettings,
) -> Result<Report, Diagnostics> {
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
        assert!(ds.csv.starts_with("kode_wilayah,tahun,periode,daerah,p0\n36,2024,Maret,Perkotaan,5.1\n36,2024,Maret,Perdesaan,6.2\n36,2024,Maret,Total,5.84\n"), "{}", ds.csv);
        assert!(ds.datapackage.contains("\"name\": \"daerah\""));
        assert!(ds.datapackage.contains("\"kode_wilayah\",\n          \"tahun\",\n          \"periode\",\n          \"daerah\""), "{}", ds.datapackage);
    }

    #[test]
    fn files_that_disagree_warn_and_the_first_wins() {
        let a = "Nama Wilayah,\n,Persentase Penduduk Miskin (P0) Menurut Kabupaten/Kota (Persen)\n,2024\nBANTEN,5.84\nKota Serang,5.65\n";
        let b = "Provinsi,Persentase Penduduk Miskin - Maret 2024,Persentase Penduduk Miskin - September 2024\nBanten,5.85,5.7\n";
        let c = run(&[("a.csv", a), ("b.csv", b)]).unwrap();
        let w: Vec<String> = c.report.warnings.iter().map(|d| d.to_string()).collect();
        assert_eq!(w.len(), 1, "{w:#?}");
        assert!(w[0].contains("tabel BPS tidak sepakat: p0 36 Banten 2024 Maret = 5,85 di sini, tetapi 5,84 di a.csv:4"), "{}", w[0]);
        assert!(w[0].contains("--> b.csv:2"), "{}", w[0]);
        let key = |p| Key {
            kode: "36".into(),
            tahun: 2024,
            periode: p,
            daerah: Daerah::Total,
        };
        assert_eq!(c.merged[&key(Periode::Maret)][&Measure::P0].v, 5.84);
        assert_eq!(c.merged[&key(Periode::September)][&Measure::P0].v, 5.7);
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
