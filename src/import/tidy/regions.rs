//! The region of one row of a tidy export: its deepest code (BPS or Kemendagri) checked against its name, or its name alone, inside the province the row names.

use std::collections::BTreeMap;

use super::table::{Kind, Record, Table};
use crate::data::registry::{NATION, Registry};
use crate::diagnostic::{Code, Diagnostic};
use crate::import::names::{Level, Matched, Matcher, Unmatched};

/// How a row's region was found.
pub(super) enum RegionVia {
    Bps,
    Kemendagri,
    Name,
}

/// A row's region, with how it was found, for the report.
pub(super) struct Resolved {
    pub(super) kode: String,
    pub(super) via: RegionVia,
    pub(super) name_checked: bool,
    pub(super) bps_code_unused: bool,
    pub(super) papua_unchecked: bool,
    pub(super) alias: Option<String>,
    pub(super) warning: Option<String>,
}

/// The filled region cells of a row by level (0 = "any"): the cell and its column's header.
type Cells<'r> = BTreeMap<u8, (&'r str, &'r str)>;

/// The region of one row: the deepest filled code (BPS through the registry's `kode_bps`, or
/// Kemendagri), checked against the name at that level; a name alone through the same matcher
/// as `import bps`. A code and a name that disagree, or a region outside the row's province,
/// are errors.
pub(super) fn resolve_region(
    reg: &Registry,
    matcher: &Matcher<'_>,
    t: &Table,
    rec: &Record,
) -> Result<Resolved, Box<Diagnostic>> {
    let row = Row::new(reg, matcher, t, rec);
    let mut out = Resolved {
        kode: String::new(),
        via: RegionVia::Name,
        name_checked: false,
        bps_code_unused: false,
        papua_unchecked: false,
        alias: None,
        warning: None,
    };
    let from_code = row.by_code(&mut out)?;
    let kode = row.with_name(from_code, &mut out)?;
    row.check_province(&kode)?;
    out.kode = kode;
    Ok(out)
}

/// One row being resolved: its code and name cells and the province it names.
struct Row<'a, 'm> {
    reg: &'a Registry,
    matcher: &'a Matcher<'m>,
    t: &'a Table,
    rec: &'a Record,
    codes: Cells<'a>,
    names: Cells<'a>,
    /// The province, for names below it and for the containment check.
    province: Option<String>,
}

/// The deepest level of `cells`, with its cell and header.
fn deepest<'r>(cells: &Cells<'r>) -> Option<(u8, (&'r str, &'r str))> {
    cells.iter().max_by_key(|(l, _)| **l).map(|(l, v)| (*l, *v))
}

impl<'a, 'm> Row<'a, 'm> {
    fn new(reg: &'a Registry, matcher: &'a Matcher<'m>, t: &'a Table, rec: &'a Record) -> Self {
        let mut codes: Cells<'a> = BTreeMap::new();
        let mut names: Cells<'a> = BTreeMap::new();
        for (ci, c) in t.columns.iter().enumerate() {
            let cell = rec.cells[ci].as_str();
            if cell.is_empty() {
                continue;
            }
            match c.kind {
                Kind::Code(l) => {
                    codes.insert(l.unwrap_or(0), (cell, c.header.as_str()));
                }
                Kind::Name(l) => {
                    names.insert(l.unwrap_or(0), (cell, c.header.as_str()));
                }
                _ => {}
            }
        }
        let province = match codes.get(&1).and_then(|(c, _)| reg.from_bps(c)) {
            Some(k) => Some(k.to_string()),
            None => names
                .get(&1)
                .and_then(|(n, _)| matcher.find(n, Level::Province, None).ok())
                .map(|m| m.kode),
        };
        Row {
            reg,
            matcher,
            t,
            rec,
            codes,
            names,
            province,
        }
    }

    fn err(&self, field: &str, msg: String, hint: String) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::error(Code::TabelRegion, &self.t.shown, msg)
                .at_csv(
                    self.rec.row,
                    self.rec.line,
                    Some(field),
                    Some(&self.rec.raw),
                )
                .hint(hint),
        )
    }

    fn describe(&self, k: &str) -> String {
        self.matcher.describe(k)
    }

    /// A name at level `l`, within the row's province or the provinces split from it since;
    /// kecamatan and desa are never matched by name.
    fn by_name(&self, l: u8, n: &str) -> Result<Matched, Unmatched> {
        if l >= 3 {
            return Err(Unmatched {
                ambiguous: Vec::new(),
                nearest: Vec::new(),
            });
        }
        if l == 1 {
            return self.matcher.find(n, Level::Province, None);
        }
        let level = if l == 2 { Level::KabKota } else { Level::Any };
        // The row's province, and the provinces split from it since (an MFD 2018 export puts
        // Merauke in 94 PAPUA; it now lies in 93 Papua Selatan).
        let mut contexts: Vec<Option<&str>> = vec![self.province.as_deref()];
        if let Some(p) = self.province.as_deref() {
            for (from, to) in crate::import::bpscodes::SPLITS {
                if *from == p {
                    contexts.extend(to.iter().map(|t| Some(*t)));
                }
            }
        }
        // "KABUPATEN TOBA SAMOSIR": aliases are kept under the bare name, as BPS tables write it.
        let upper = n.trim().to_uppercase();
        let bare = ["KABUPATEN ", "KAB. ", "KAB "].iter().find_map(|pre| {
            upper
                .strip_prefix(pre)
                .map(|_| n.trim()[pre.len()..].trim())
        });
        let mut first_err = None;
        for ctx in contexts {
            for name in std::iter::once(n).chain(bare) {
                match self.matcher.find(name, level, ctx) {
                    Ok(m) => return Ok(m),
                    Err(e) => {
                        first_err.get_or_insert(e);
                    }
                }
            }
        }
        Err(first_err.unwrap_or(Unmatched {
            ambiguous: Vec::new(),
            nearest: Vec::new(),
        }))
    }

    /// The Kemendagri code the deepest code cell gives, if any.
    fn by_code(&self, out: &mut Resolved) -> Result<Option<String>, Box<Diagnostic>> {
        let reg = self.reg;
        Ok(match deepest(&self.codes) {
            Some((_, (c, _))) if c == NATION || c == "0" || c == "0000" => Some(NATION.into()),
            Some((l, (c, header))) if c.contains('.') => {
                if !reg.contains(c) {
                    return Err(self.err(
                        header,
                        format!("kode Kemendagri \"{c}\" tidak ada di daftar wilayah"),
                        format!("periksa kodenya; {}", reg.suggest(c)),
                    ));
                }
                let got = reg.get(c).map_or(0, |r| r.jenis.level());
                if l > 0 && got != l {
                    return Err(self.err(
                        header,
                        format!("kode \"{c}\" di kolom {header} adalah {}", self.describe(c)),
                        "pindahkan kode ke kolom tingkatnya".into(),
                    ));
                }
                out.via = RegionVia::Kemendagri;
                Some(c.to_string())
            }
            Some((l, (c, header))) if c.chars().all(|ch| ch.is_ascii_digit()) => {
                self.by_bps_code(l, c, header, out)?
            }
            Some((_, (c, header))) => {
                return Err(self.err(
                    header,
                    format!("kode wilayah \"{c}\" tidak terbaca"),
                    "kode BPS berupa angka saja (3201), kode Kemendagri bertitik (32.01)".into(),
                ));
            }
            None => None,
        })
    }

    /// A BPS code `c` in a column of level `l`, through the registry's `kode_bps`; `None` when
    /// the registry has no BPS codes and the row's name is to decide.
    fn by_bps_code(
        &self,
        l: u8,
        c: &str,
        header: &str,
        out: &mut Resolved,
    ) -> Result<Option<String>, Box<Diagnostic>> {
        let bps_level = match c.len() {
            2 => 1,
            4 => 2,
            7 => 3,
            10 => 4,
            _ => 0,
        };
        if bps_level == 0 || (l > 0 && bps_level != l) {
            return Err(self.err(
                header,
                format!("kode \"{c}\" di kolom {header} bukan kode BPS yang dikenal (2, 4, 7 atau 10 angka sesuai tingkatnya)"),
                "kode BPS: provinsi 2 angka (32), kabupaten/kota 4 (3201), kecamatan 7, desa 10; kode Kemendagri bertitik (32.01)".into(),
            ));
        }
        if c.starts_with('9') && c.len() >= 2 && ("91".."98").contains(&&c[..2]) {
            out.papua_unchecked =
                !self.names.contains_key(&bps_level) && !self.names.contains_key(&0);
        }
        match self.reg.from_bps(c) {
            Some(k) => {
                out.via = RegionVia::Bps;
                Ok(Some(k.to_string()))
            }
            None if self.reg.by_bps.is_empty() => {
                out.bps_code_unused = true;
                if deepest(&self.names).is_none() || bps_level >= 3 {
                    return Err(self.err(
                        header,
                        format!("kode BPS \"{c}\" tidak bisa dipetakan ke kode Kemendagri: daftar wilayah tidak punya kolom kode_bps"),
                        "buat daftar wilayah dengan lumbung import wilayah --bps FOLDER_KODE_BPS, atau sertakan kolom nama wilayah".into(),
                    ));
                }
                out.papua_unchecked = false;
                Ok(None)
            }
            None => Err(self.err(
                header,
                format!("kode BPS \"{c}\" tidak ada di kolom kode_bps daftar wilayah"),
                "periksa kodenya; kode BPS sesudah pemekaran Papua 2022 berbeda dengan MFD 2018 yang dipakai daftar wilayah".into(),
            )),
        }
    }

    /// The row's region from its code and the name at the region's own level: the code checked
    /// by the name, or the name alone.
    fn with_name(
        &self,
        from_code: Option<String>,
        out: &mut Resolved,
    ) -> Result<String, Box<Diagnostic>> {
        let code_level = from_code
            .as_deref()
            .map(|k| self.reg.get(k).map_or(0, |r| r.jenis.level()));
        let name_here = match code_level {
            Some(l) => self.names.get(&l).or_else(|| self.names.get(&0)).copied(),
            None => deepest(&self.names).map(|(_, v)| v),
        };
        let name_level = match code_level {
            Some(l) => l,
            None => deepest(&self.names).map_or(0, |(l, _)| l),
        };
        let from_name = name_here.map(|(n, header)| (self.by_name(name_level, n), n, header));
        Ok(match (from_code, from_name) {
            (Some(k), Some((Ok(m), n, header))) => {
                if m.kode != k {
                    return Err(self.err(
                        header,
                        format!(
                            "kode dan nama menunjuk wilayah berbeda: kodenya {}, namanya \"{n}\" {}",
                            self.describe(&k),
                            self.describe(&m.kode)
                        ),
                        "perbaiki kode atau nama di sumber; Lumbung tidak memilih salah satunya"
                            .into(),
                    ));
                }
                out.name_checked = true;
                k
            }
            (Some(k), Some((Err(_), n, _))) => {
                if name_level <= 2 {
                    out.warning = Some(format!(
                        "nama \"{n}\" tidak ditemukan di daftar wilayah; baris dipetakan lewat kodenya ke {}",
                        self.describe(&k)
                    ));
                }
                k
            }
            (Some(k), None) => k,
            (None, Some((Ok(m), n, _))) => {
                if let crate::import::names::Via::Alias(a) = &m.via {
                    let src = match &a.source {
                        crate::import::aliases::AliasSource::BuiltIn => "bawaan".to_string(),
                        crate::import::aliases::AliasSource::File(f, l) => format!("{f}:{l}"),
                    };
                    out.alias = Some(format!("\"{n}\" → {} [{src}]", self.describe(&m.kode)));
                }
                m.kode
            }
            (None, Some((Err(u), n, header))) => {
                return Err(self.unmatched(name_level, &u, n, header));
            }
            (None, None) => {
                return Err(Box::new(
                    Diagnostic::error(
                        Code::TabelRegion,
                        &self.t.shown,
                        "baris tanpa kode dan nama wilayah",
                    )
                    .at_csv(self.rec.row, self.rec.line, None, Some(&self.rec.raw))
                    .hint("isi kode atau nama wilayahnya, atau hapus baris ini"),
                ));
            }
        })
    }

    /// The error for a name without a code that matches no region, or more than one.
    fn unmatched(&self, name_level: u8, u: &Unmatched, n: &str, header: &str) -> Box<Diagnostic> {
        let what = if name_level >= 3 {
            return self.err(
                header,
                format!("nama \"{n}\" tanpa kode: kecamatan dan desa hanya dicocokkan lewat kode"),
                "sertakan kolom kode_kecamatan atau kode_desa (BPS atau Kemendagri)".into(),
            );
        } else if u.ambiguous.is_empty() {
            let near = if u.nearest.is_empty() {
                String::new()
            } else {
                format!("kandidat terdekat: {}; ", u.nearest.join(", "))
            };
            (
                format!("nama \"{n}\" tidak ada di daftar wilayah"),
                format!(
                    "{near}jika ini nama lama atau ejaan lain, tambahkan baris \"{n},<kode>\" ke berkas alias (--aliases)"
                ),
            )
        } else {
            (
                format!(
                    "nama \"{n}\" ambigu: cocok dengan {}",
                    u.ambiguous
                        .iter()
                        .map(|k| self.describe(k))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "sertakan kolom kode wilayah, atau tulis \"Kota …\"/\"Kabupaten …\"".into(),
            )
        };
        self.err(header, what.0, what.1)
    }

    /// The region lies inside the row's province.
    /// A province split since (Papua, 2022) still contains its old kab/kota in exports that
    /// number regions as before the split (MFD 2018: 94 PAPUA, 9401 MERAUKE, now 93.01).
    fn check_province(&self, kode: &str) -> Result<(), Box<Diagnostic>> {
        let split_from = |current: &str| -> Option<&str> {
            crate::import::bpscodes::SPLITS
                .iter()
                .find(|(_, to)| to.contains(&current))
                .map(|(from, _)| *from)
        };
        let inside = |p: &str| {
            self.reg
                .ancestors(kode)
                .iter()
                .any(|a| a.kode == p || (a.jenis.level() == 1 && split_from(&a.kode) == Some(p)))
        };
        if let Some(p) = &self.province
            && kode != NATION
            && kode != *p
            && !inside(p)
        {
            let header = self
                .codes
                .get(&1)
                .or_else(|| self.names.get(&1))
                .map_or("", |(_, h)| *h);
            return Err(self.err(
                header,
                format!(
                    "{} tidak berada di provinsi {} yang disebut baris ini",
                    self.describe(kode),
                    self.describe(p)
                ),
                "perbaiki kolom provinsi atau kode wilayahnya di sumber".into(),
            ));
        }
        Ok(())
    }
}
