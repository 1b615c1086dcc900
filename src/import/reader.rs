//! Reading the BPS tables one by one: each row matched to its region (province rows among kab/kota rows, the nation's daerah), each value recorded with where it was read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::data::registry::NATION;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::import::aliases::AliasSource;
use crate::import::layout::{self, Cell, Daerah, Measure, Periode};
use crate::import::names::{self, Level, Matcher, Via, is_upper};
use crate::import::report::{FileReport, Report};
use crate::import::{BpsSettings, Key, Origin, Value, merge, plausibility};

/// The state of an import while tables are read one by one: what each table says, before merging.
pub(super) struct Reader<'a> {
    matcher: &'a Matcher<'a>,
    settings: &'a BpsSettings,
    pub(super) errors: Diagnostics,
    pub(super) report: Report,
    pub(super) obs: Vec<merge::Obs>,
    pub(super) headers: BTreeMap<Measure, BTreeSet<String>>,
    pub(super) has_daerah: bool,
    pub(super) matched_codes: BTreeSet<String>,
    /// Every key seen, with or without a value (to count empty rows).
    pub(super) all_keys: BTreeSet<Key>,
    /// Each column's header, by (file, column index), for the report.
    pub(super) columns: BTreeMap<(usize, usize), String>,
    /// Files whose year came from the file name.
    year_from_name: usize,
}

impl<'a> Reader<'a> {
    /// A reader that has read nothing yet.
    pub(super) fn new(matcher: &'a Matcher<'a>, settings: &'a BpsSettings) -> Self {
        Reader {
            matcher,
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
        }
    }
}

impl Reader<'_> {
    /// Matches a table's rows to regions (or to the nation's daerah) and records its values.
    pub(super) fn add_table(&mut self, file_idx: usize, shown: &Path, table: &layout::Table) {
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
    pub(super) fn notes(&mut self) {
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
