//! The targets download (`target.csv` of an indicator or a region): each target beside the figure of its year, in a file of its own so that no target is ever summed with the figures.

use crate::downloads::{Field, Table};
use crate::model::{Indicator, Site};

/// The columns of every targets download.
const COLUMNS: [&str; 10] = [
    "indikator",
    "kode_wilayah",
    "nama_wilayah",
    "tahun",
    "target",
    "satuan",
    "sumber_target",
    "periode_capaian",
    "capaian",
    "selisih",
];

/// The targets of `inds` for every region `wanted` accepts, in indicator, region and year
/// order. `capaian` is the figure of the target's year (its last period with a figure), empty
/// when the year has none; `selisih` is the figure minus the target.
pub(super) fn table<'a>(
    site: &Site,
    inds: impl IntoIterator<Item = &'a Indicator>,
    wanted: impl Fn(&str) -> bool,
) -> Table {
    let mut t = Table::new(&COLUMNS);
    for ind in inds {
        for (code, goals) in ind.targets.iter().filter(|(c, _)| wanted(c)) {
            let nama = site.registry.get(code).map_or("", |r| r.nama.as_str());
            for g in goals {
                let figure = ind.figure_of_year(code, g.year);
                t.rows.push(vec![
                    Field::Text(ind.slug.clone()),
                    Field::Text(code.clone()),
                    Field::Text(nama.to_string()),
                    Field::Num(f64::from(g.year)),
                    Field::Num(g.value),
                    Field::Text(ind.unit.clone()),
                    Field::Text(g.source.clone()),
                    figure.map_or(Field::Empty, |(p, _)| Field::Text(p.label())),
                    figure.map_or(Field::Empty, |(_, v)| Field::Num(v)),
                    figure.map_or(Field::Empty, |(_, v)| {
                        Field::Num(crate::model::indicator::round_to(v - g.value, ind.decimals))
                    }),
                ]);
            }
        }
    }
    t
}
