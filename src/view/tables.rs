//! Tables as templates show them (figures tables, ranked lists of regions with shared bar scales, cells formatted the Indonesian way) and a dataset as its download table.

use serde::Serialize;

use super::{RegionRef, ViewCache};
use crate::data::dataset::{Cell, Dataset, FieldInfo, Role};
use crate::data::period::Period;
use crate::downloads::{Field, Table};
use crate::i18n::t;
use crate::model::indicator::{bare_value, format_value, unit_words};
use crate::model::{Indicator, Site};

/// A row of a figures table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TableRow {
    pub label: String,
    pub cells: Vec<String>,
}

/// A table ready for a template: caption, column heads, rows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TableValue {
    pub caption: String,
    pub columns: Vec<String>,
    /// Per column: holds numbers (right-aligned, never wrapped).
    pub numeric: Vec<bool>,
    pub rows: Vec<TableRow>,
}

/// A ranked value for bar lists and ranked tables.
#[derive(Debug, Serialize, Clone)]
pub(crate) struct Ranked {
    pub region: RegionRef,
    pub value: f64,
    pub formatted: String,
    /// The number alone, for tables whose head names the unit.
    pub bare: String,
    /// The unit for that head ("%", "jiwa", "rupiah per kapita per bulan").
    pub unit: String,
    /// Bar length in percent of the largest value in the group.
    pub share: f64,
    /// 1 = highest; equal values share a rank and the next one skips (1, 2, 2, 4).
    pub rank: usize,
    pub highlight: bool,
}

/// How a unit is written in captions, in the page's language (each word of
/// `rupiah/kapita/bulan` translated; the `/` stays for the caller to write as "per").
pub(crate) fn unit_label(unit: &str) -> String {
    match unit {
        "persen" => "%".into(),
        "" => t("nilai"),
        u => unit_words(u),
    }
}

/// A bar length in percent of `max`, to one decimal.
pub(crate) fn share(value: f64, max: f64) -> f64 {
    if max > 0.0 {
        (value / max * 1000.0).round() / 10.0
    } else {
        0.0
    }
}

/// The children of `code` with a value in `period`, highest first, with bar shares on a shared scale.
pub(crate) fn ranked_children(
    site: &Site,
    views: &ViewCache,
    ind: &Indicator,
    code: &str,
    period: &Period,
    highlight: Option<&str>,
) -> Vec<Ranked> {
    let Some(region) = site.registry.get(code) else {
        return Vec::new();
    };
    let mut v: Vec<Ranked> = region
        .children
        .iter()
        .filter_map(|k| {
            let value = ind.value(k, period)?;
            Some(Ranked {
                region: views.regions.get(k),
                value,
                formatted: ind.format(value),
                bare: bare_value(ind.decimals, value),
                unit: unit_label(&ind.unit).replace('/', " per "),
                share: 0.0,
                rank: 0,
                highlight: highlight == Some(k.as_str()),
            })
        })
        .collect();
    v.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then_with(|| a.region.kode.cmp(&b.region.kode))
    });
    let max = v.iter().map(|r| r.value).fold(0.0, f64::max);
    for i in 0..v.len() {
        v[i].rank = match i.checked_sub(1).map(|j| &v[j]) {
            Some(prev) if prev.value == v[i].value => prev.rank,
            _ => i + 1,
        };
        v[i].share = share(v[i].value, max);
    }
    v
}

/// A cell as a page shows it: measures in their unit, missing as a dash, a dimension's value
/// (Perkotaan) in the page's language.
pub(crate) fn show_cell(f: &FieldInfo, c: &Cell) -> String {
    match c {
        Cell::Missing => "–".into(),
        c if f.role == Role::Measure => c
            .as_f64()
            .map_or_else(|| "–".into(), |v| format_value(&f.unit, f.decimals, v)),
        c if f.role == Role::Dimension => t(&c.plain()),
        c => c.plain(),
    }
}

/// Region names joined for a caption ("Kota Serang, Banten, Indonesia").
pub(crate) fn names(site: &Site, codes: &[&str]) -> String {
    codes
        .iter()
        .map(|k| {
            site.registry
                .get(k)
                .map_or(k.to_string(), |r| r.nama.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A dataset as a download table, with region names beside codes and, when some of its values
/// were corrected or held back, a column saying so.
pub(crate) fn dataset_table(site: &Site, d: &Dataset) -> Table {
    let mut cols: Vec<String> = Vec::new();
    for (i, f) in d.fields.iter().enumerate() {
        cols.push(f.name.clone());
        if Some(i) == d.region {
            cols.push("nama_wilayah".into());
        }
    }
    let with_remarks = !d.notes.is_empty() || d.illustrative.is_some();
    if with_remarks {
        cols.push(crate::downloads::REMARKS.into());
    }
    let mut remarks: Vec<Vec<String>> = vec![Vec::new(); d.rows.len()];
    if d.illustrative.is_some() {
        for r in &mut remarks {
            r.push(crate::downloads::ILLUSTRATIVE.to_string());
        }
    }
    for n in &d.notes {
        let f = &d.fields[n.field];
        remarks[n.row].push(format!("{}: {}", f.name, n.text(f)));
    }
    let mut t = Table {
        columns: cols,
        rows: Vec::new(),
    };
    for (ri, row) in d.rows.iter().enumerate() {
        let mut out = Vec::new();
        for (i, (f, cell)) in d.fields.iter().zip(&row.cells).enumerate() {
            out.push(match cell {
                Cell::Missing => Field::Empty,
                c if f.role == Role::Measure => c.as_f64().map_or(Field::Empty, Field::Num),
                c => Field::Text(c.plain()),
            });
            if Some(i) == d.region {
                let name = cell
                    .as_text()
                    .and_then(|k| site.registry.get(k))
                    .map_or(String::new(), |r| r.nama.clone());
                out.push(Field::Text(name));
            }
        }
        if with_remarks {
            out.push(Field::Text(remarks[ri].join("; ")));
        }
        t.rows.push(out);
    }
    t
}
