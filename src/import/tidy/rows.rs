//! Every row of every file read into its key (region, year, period, daerah, dimensions) and its values, merged across files: two values for one cell stop the import.

use std::collections::{BTreeMap, BTreeSet};

use super::TabelSettings;
use super::regions::{RegionVia, resolve_region};
use super::report::{TabelReport, file_report};
use super::table::{
    Column, Kind, Record, Table, decimals_of, parse_daerah, parse_periode, parse_value, unit_of,
};
use crate::data::registry::{NATION, Registry};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::import::layout::{Daerah, Periode, show_value};
use crate::import::names::Matcher;

/// One output row: region, year, period, daerah and the other dimensions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Key {
    pub(super) kode: String,
    pub(super) tahun: i32,
    pub(super) periode: Option<Periode>,
    pub(super) daerah: Option<Daerah>,
    pub(super) dims: Vec<String>,
}

/// Where a value was read.
#[derive(Debug, Clone)]
pub(super) struct Origin {
    file: usize,
    row: usize,
    line: usize,
    raw: String,
}

/// The values of every file, merged, with what describing them needs.
#[derive(Debug, Default)]
pub(super) struct Merged {
    /// One value per key and measure, with where it was read.
    pub(super) values: BTreeMap<Key, BTreeMap<String, (f64, Origin)>>,
    /// The measure columns, in the order first seen.
    pub(super) measures: Vec<String>,
    /// The most decimals written, per measure.
    pub(super) decimals: BTreeMap<String, u8>,
    /// Each measure's unit as first written (and where).
    pub(super) units: BTreeMap<String, (String, Origin)>,
    /// The values of each dimension column.
    pub(super) dim_values: BTreeMap<String, BTreeSet<String>>,
    /// The headers each measure was read from.
    pub(super) headers_of: BTreeMap<String, BTreeSet<String>>,
}

/// The row being read: its file's index, the file and the record.
#[derive(Clone, Copy)]
struct At<'t> {
    fi: usize,
    t: &'t Table,
    rec: &'t Record,
}

impl At<'_> {
    fn origin(&self) -> Origin {
        Origin {
            file: self.fi,
            row: self.rec.row,
            line: self.rec.line,
            raw: self.rec.raw.clone(),
        }
    }

    /// An error at a cell of this row.
    fn err(&self, code: Code, field: &str, msg: String) -> Diagnostic {
        Diagnostic::error(code, &self.t.shown, msg).at_csv(
            self.rec.row,
            self.rec.line,
            Some(field),
            Some(&self.rec.raw),
        )
    }
}

/// Reads the files' rows one by one into [`Merged`], collecting every error and what the
/// report says.
pub(super) struct Merger<'a, 'm> {
    reg: &'a Registry,
    matcher: &'a Matcher<'m>,
    tables: &'a [Table],
    settings: &'a TabelSettings,
    errors: Diagnostics,
    report: TabelReport,
    merged: Merged,
    /// Warnings about zeros, listed after the others.
    zeros: Vec<Diagnostic>,
    regions_seen: BTreeSet<String>,
    /// Rows with a Papua BPS code and no name to check it with.
    papua_unchecked: usize,
    /// Rows with a BPS code matched by their name (the registry has no `kode_bps`).
    bps_by_name: usize,
}

impl<'a, 'm> Merger<'a, 'm> {
    pub(super) fn new(
        reg: &'a Registry,
        matcher: &'a Matcher<'m>,
        tables: &'a [Table],
        settings: &'a TabelSettings,
    ) -> Self {
        Merger {
            reg,
            matcher,
            tables,
            settings,
            errors: Diagnostics::default(),
            report: TabelReport::default(),
            merged: Merged::default(),
            zeros: Vec::new(),
            regions_seen: BTreeSet::new(),
            papua_unchecked: 0,
            bps_by_name: 0,
        }
    }

    /// Reads every row of file `fi`.
    pub(super) fn add_table(&mut self, fi: usize, t: &Table) {
        let fr = file_report(t);
        for c in t.columns.iter().filter(|c| c.kind == Kind::Measure) {
            if !self.merged.measures.contains(&c.name) {
                self.merged.measures.push(c.name.clone());
            }
            self.merged
                .headers_of
                .entry(c.name.clone())
                .or_default()
                .insert(c.header.trim().to_string());
        }
        let unit_col = t.columns.iter().position(|c| c.kind == Kind::Unit);
        let table_measures: Vec<(usize, &Column)> = t
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.kind == Kind::Measure)
            .collect();
        if unit_col.is_some() && table_measures.len() > 1 {
            self.errors.push(
                Diagnostic::error(
                    Code::TabelUnit,
                    &t.shown,
                    format!(
                        "satu kolom satuan untuk {} kolom angka ({}): tidak jelas satuan milik kolom mana",
                        table_measures.len(),
                        table_measures.iter().map(|(_, c)| c.header.trim()).collect::<Vec<_>>().join(", ")
                    ),
                )
                .hint("pisahkan tabel: satu kolom angka dengan kolom satuannya per berkas"),
            );
            return;
        }
        for rec in &t.records {
            self.add_record(At { fi, t, rec }, unit_col, &table_measures);
        }
        self.report.files.push(fr);
    }

    /// One record: its region, its key, its unit and its values.
    fn add_record(&mut self, at: At<'_>, unit_col: Option<usize>, measures: &[(usize, &Column)]) {
        self.report.rows_read += 1;
        let Some(kode) = self.region(at) else {
            return;
        };
        self.regions_seen.insert(kode.clone());
        let Some(key) = self.key(at, kode) else {
            return;
        };
        if let (Some(uc), Some(&(_, m))) = (unit_col, measures.first())
            && !self.same_unit(at, uc, m)
        {
            return;
        }
        for (mi, m) in measures {
            self.add_value(at, &key, *mi, m);
        }
    }

    /// The row's region, counted for the report; `None` (with the error) when it has none.
    fn region(&mut self, at: At<'_>) -> Option<String> {
        let r = match resolve_region(self.reg, self.matcher, at.t, at.rec) {
            Ok(r) => r,
            Err(d) => {
                self.errors.push(*d);
                return None;
            }
        };
        let report = &mut self.report;
        match r.via {
            RegionVia::Bps => report.via_bps += 1,
            RegionVia::Kemendagri => report.via_kemendagri += 1,
            RegionVia::Name => {
                report.via_name += 1;
                if r.bps_code_unused {
                    self.bps_by_name += 1;
                }
            }
        }
        if r.name_checked {
            report.names_checked += 1;
        }
        if r.papua_unchecked {
            self.papua_unchecked += 1;
        }
        if let Some(a) = r.alias {
            *report.aliases_used.entry(a).or_default() += 1;
        }
        if let Some(w) = r.warning {
            report.warnings.push(
                Diagnostic::warning(Code::TabelRegion, &at.t.shown, w).at_csv(
                    at.rec.row,
                    at.rec.line,
                    None,
                    Some(&at.rec.raw),
                ),
            );
        }
        Some(r.kode)
    }

    /// The row's key: year, period, daerah and dimensions; `None` (with every error) when one
    /// cannot be read.
    fn key(&mut self, at: At<'_>, kode: String) -> Option<Key> {
        let mut key = Key {
            kode,
            tahun: 0,
            periode: None,
            daerah: None,
            dims: Vec::new(),
        };
        let mut bad = false;
        for (ci, c) in at.t.columns.iter().enumerate() {
            let cell = at.rec.cells[ci].as_str();
            match c.kind {
                Kind::Time => match cell.parse::<i32>() {
                    Ok(y) if (1900..=2100).contains(&y) => key.tahun = y,
                    _ => {
                        self.errors.push(
                            at.err(
                                Code::TabelValue,
                                &c.header,
                                format!("tahun \"{cell}\" tidak terbaca"),
                            )
                            .hint("tulis tahun empat angka, misalnya 2023"),
                        );
                        bad = true;
                    }
                },
                Kind::Period => match parse_periode(cell) {
                    Some(p) => key.periode = Some(p),
                    None => {
                        self.errors.push(
                            at.err(
                                Code::TabelValue,
                                &c.header,
                                format!("periode \"{cell}\" tidak dikenal"),
                            )
                            .hint("periode ditulis MARET, SEPTEMBER atau TAHUNAN"),
                        );
                        bad = true;
                    }
                },
                Kind::Daerah => match parse_daerah(cell) {
                    Some(d) => key.daerah = Some(d),
                    None => {
                        self.errors.push(
                            at.err(
                                Code::TabelValue,
                                &c.header,
                                format!("kategori daerah \"{cell}\" tidak dikenal"),
                            )
                            .hint(
                                "daerah ditulis PERKOTAAN, PERDESAAN atau PERKOTAAN+PERDESAAN (JUMLAH)",
                            ),
                        );
                        bad = true;
                    }
                },
                Kind::Dimension => {
                    key.dims.push(cell.to_string());
                    self.merged
                        .dim_values
                        .entry(c.name.clone())
                        .or_default()
                        .insert(cell.to_string());
                }
                _ => {}
            }
        }
        (!bad).then_some(key)
    }

    /// Whether the row's unit (column `uc`) is the one measure `m` was first read in; the first
    /// row of a measure sets it. A different unit is an error: values are never converted.
    fn same_unit(&mut self, at: At<'_>, uc: usize, m: &Column) -> bool {
        let cell = at.rec.cells[uc].trim();
        match self.merged.units.get(&m.name) {
            None => {
                self.merged
                    .units
                    .insert(m.name.clone(), (cell.to_string(), at.origin()));
            }
            Some((u, o)) if unit_of(u) != unit_of(cell) => {
                self.errors.push(
                    at.err(
                        Code::TabelUnit,
                        &at.t.columns[uc].header,
                        format!(
                            "satuan \"{cell}\" berbeda dengan \"{u}\" di {}:{} (baris data {}); satu kolom angka hanya boleh satu satuan",
                            self.tables[o.file].shown.display(),
                            o.line,
                            o.row
                        ),
                    )
                    .hint("nilai tidak pernah dikalikan diam-diam: samakan satuannya di sumber, atau pisahkan baris dengan satuan lain ke berkas sendiri"),
                );
                return false;
            }
            Some(_) => {}
        }
        true
    }

    /// The value of measure `m` (column `mi`) in this row, merged with what other rows gave.
    fn add_value(&mut self, at: At<'_>, key: &Key, mi: usize, m: &Column) {
        let cell = at.rec.cells[mi].as_str();
        let v = match parse_value(cell) {
            Ok(Some(v)) => v,
            Ok(None) => return,
            Err(why) => {
                self.errors.push(
                    at.err(
                        Code::TabelValue,
                        &m.header,
                        format!("nilai \"{cell}\" di kolom {}: {why}", m.header.trim()),
                    )
                    .hint("perbaiki selnya di sumber, atau kosongkan bila datanya tidak ada"),
                );
                return;
            }
        };
        if v == 0.0 {
            let what = if self.settings.zero_is_missing {
                "ditulis kosong (--nol-kosong)"
            } else {
                "ditulis 0; ekspor data terbuka sering menulis 0 atau 0.0 untuk data yang kosong: periksa ke sumbernya, lalu kosongkan selnya atau impor ulang dengan --nol-kosong"
            };
            self.zeros.push(
                Diagnostic::warning(
                    Code::TabelZero,
                    &at.t.shown,
                    format!("{} {} = {cell}: {what}", m.header.trim(), key.tahun),
                )
                .at_csv(
                    at.rec.row,
                    at.rec.line,
                    Some(&m.header),
                    Some(&at.rec.raw),
                ),
            );
            if self.settings.zero_is_missing {
                return;
            }
        }
        self.report.values_read += 1;
        let d = self.merged.decimals.entry(m.name.clone()).or_default();
        *d = (*d).max(decimals_of(cell));
        let cells = self.merged.values.entry(key.clone()).or_default();
        let Some(prior) = cells.get(&m.name).cloned() else {
            cells.insert(m.name.clone(), (v, at.origin()));
            return;
        };
        if prior.1.file == at.fi || prior.0 != v {
            let d = self.conflict(at, key, m, v, &prior);
            self.errors.push(d);
        }
    }

    /// The error for a cell given twice: `v` here, `prior` in an earlier row.
    fn conflict(
        &self,
        at: At<'_>,
        key: &Key,
        m: &Column,
        v: f64,
        prior: &(f64, Origin),
    ) -> Diagnostic {
        let (old, o) = prior;
        let same_file = o.file == at.fi;
        let place = format!(
            "{}:{} (baris data {})",
            self.tables[o.file].shown.display(),
            o.line,
            o.row
        );
        let msg = if same_file && *old == v {
            format!(
                "baris ini mengulang {} {} {}, yang sudah ada di {place}",
                self.reg
                    .get(&key.kode)
                    .map_or(key.kode.as_str(), |r| r.nama.as_str()),
                key.tahun,
                m.header.trim()
            )
        } else {
            format!(
                "{} {} {}: {} di sini, {} di {place}",
                self.reg
                    .get(&key.kode)
                    .map_or(key.kode.as_str(), |r| r.nama.as_str()),
                key.tahun,
                m.header.trim(),
                show_value(v),
                show_value(*old)
            )
        };
        at.err(Code::TabelConflict, &m.header, msg)
            .excerpt(format!(
                "{}:{} | {}\n{}:{} | {}",
                self.tables[o.file].shown.display(),
                o.line,
                o.raw,
                at.t.shown.display(),
                at.rec.line,
                at.rec.raw
            ))
            .hint("urutan berkas tidak memutuskan apa pun: periksa kedua sumber, lalu hapus atau perbaiki baris yang salah")
    }

    /// The merged values and the report's counts, notes and warnings; every error found, if any.
    pub(super) fn finish(self) -> Result<(Merged, TabelReport), Diagnostics> {
        let Merger {
            reg,
            tables,
            errors,
            mut report,
            merged,
            zeros,
            regions_seen,
            papua_unchecked,
            bps_by_name,
            ..
        } = self;
        if errors.has_errors() {
            return Err(errors);
        }
        if merged.values.is_empty() {
            return Err(Diagnostic::error(
                Code::TabelInput,
                &tables[0].shown,
                "tidak ada satu pun nilai angka di tabel",
            )
            .hint("periksa kolom angkanya; sel kosong, \"-\" dan NA dibaca sebagai tidak ada data")
            .into());
        }
        report.warnings.extend(zeros);
        if reg.by_bps.is_empty() && bps_by_name > 0 {
            report.notes.push(format!(
                "daftar wilayah tanpa kolom kode_bps: {bps_by_name} baris berkode BPS dicocokkan lewat namanya (jalankan lumbung import wilayah --bps … agar kode BPS ikut diperiksa)"
            ));
        }
        if papua_unchecked > 0 {
            report.warnings.push(Diagnostic::warning(
                Code::TabelRegion,
                &tables[0].shown,
                format!("{papua_unchecked} baris berkode BPS Papua (91–97) tanpa nama untuk dicek: kode dibaca menurut MFD 2018, padahal BPS memberi nomor baru setelah pemekaran 2022"),
            ).hint("tambahkan kolom nama wilayah agar kode dan nama saling dicek, atau pastikan tabel memakai kode MFD 2018"));
        }
        for r in &regions_seen {
            let level = if r == NATION {
                0
            } else {
                usize::from(reg.get(r).map_or(0, |x| x.jenis.level())).min(4)
            };
            report.regions[level] += 1;
        }
        Ok((merged, report))
    }
}
