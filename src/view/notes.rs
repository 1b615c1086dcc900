//! The notes beside a region's figures: corrected, confirmed and held-back values, and a change of territory inside a series.

use serde::Serialize;

use crate::data::dataset::Dataset;
use crate::i18n::tf;
use crate::locale;
use crate::model::Site;
use crate::model::indicator::{Indicator, TerritoryChange};

/// One note on a region page: a corrected, confirmed or held-back value, or the period from
/// which the region's figures cover a smaller territory.
#[derive(Serialize)]
pub(crate) struct NoteLine {
    title: String,
    period: String,
    status: &'static str,
    text: String,
}

/// The notes of a region's values of an indicator and its slices, and its change of territory.
pub(crate) fn indicator_notes(site: &Site, ind: &Indicator, code: &str) -> Vec<NoteLine> {
    let ds = &site.datasets[ind.dataset];
    let Some(field) = ds.fields.iter().find(|f| f.name == ind.field) else {
        return Vec::new();
    };
    let territory = std::iter::once(ind)
        .chain(&ind.slices)
        .find_map(|i| i.territory.get(code))
        .map(|t| territory_note(site, ind, code, t));
    std::iter::once(ind)
        .chain(&ind.slices)
        .flat_map(|i| {
            i.notes
                .iter()
                .filter(|((k, _), _)| k == code)
                .map(move |((_, p), n)| NoteLine {
                    title: i.title.clone(),
                    period: p.label(),
                    status: n.status(),
                    text: n.text(field),
                })
        })
        .chain(territory)
        .collect()
}

/// The notes of a region's rows of a dataset that is not an indicator.
pub(crate) fn dataset_notes(d: &Dataset, code: &str) -> Vec<NoteLine> {
    let Some(r) = d.region else {
        return Vec::new();
    };
    d.notes
        .iter()
        .filter(|n| d.rows[n.row].cells[r].as_text() == Some(code))
        .map(|n| {
            let f = &d.fields[n.field];
            NoteLine {
                title: f.title.clone(),
                period: d.rows[n.row]
                    .period
                    .as_ref()
                    .map(|p| p.label())
                    .unwrap_or_default(),
                status: n.status(),
                text: n.text(f),
            }
        })
        .collect()
}

/// The whole page's word on a change of territory (said once under the summary, and the only
/// one printed), from the earliest change among the region's indicators.
pub(crate) fn territory_text(site: &Site, code: &str) -> Option<String> {
    let t = site
        .indicators
        .iter()
        .flat_map(|i| std::iter::once(i).chain(&i.slices))
        .filter_map(|i| i.territory.get(code))
        .min_by_key(|t| t.from.year)?;
    Some(tf(
        "Sejak {tahun} angka {wilayah} tidak lagi mencakup {bagian}, yang dimekarkan menjadi daerah sendiri: \
         garis grafik terputus di sana dan perubahan dari periode sebelumnya tidak dihitung, \
         karena wilayahnya berbeda.",
        &[
            ("tahun", &t.from.year.to_string()),
            ("wilayah", &region_name(site, code)),
            ("bagian", &parts(site, t)),
        ],
    ))
}

/// One indicator's note on its change of territory, with its own period.
fn territory_note(site: &Site, ind: &Indicator, code: &str, t: &TerritoryChange) -> NoteLine {
    NoteLine {
        title: ind.title.clone(),
        period: t.from.label(),
        status: "wilayah-berubah",
        text: tf(
            "sejak periode ini angka {wilayah} tanpa {bagian} (pemekaran); garis grafik terputus, \
             perubahan dari periode sebelumnya tidak dihitung",
            &[
                ("wilayah", &region_name(site, code)),
                ("bagian", &parts(site, t)),
            ],
        ),
    }
}

/// The regions that left, by name: `Papua Selatan, Papua Tengah dan Papua Pegunungan`.
fn parts(site: &Site, t: &TerritoryChange) -> String {
    let names: Vec<String> = t.parts.iter().map(|k| region_name(site, k)).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    locale::join_and(&names)
}

/// A region's name, or its code when the registry has none.
fn region_name(site: &Site, code: &str) -> String {
    site.registry
        .get(code)
        .map_or_else(|| code.to_string(), |r| r.nama.clone())
}
