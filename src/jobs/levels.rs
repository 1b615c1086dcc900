//! A list of regions too long for one page (the search page's A–Z, an indicator's table of every region), cut at the deepest level that fits.

use serde::Serialize;

use crate::data::registry::{Region, Registry};

/// What a cut list leaves out: how many regions, and the names of their levels
/// ("kecamatan", "desa/kelurahan"), for the sentence that says so.
#[derive(Debug, Default, Serialize)]
pub(super) struct LeftOut {
    pub left_out: usize,
    pub left_out_levels: Vec<String>,
}

/// `codes` down to the deepest level whose lines (each region's `weight`) fit in `max`, with
/// those above it, never above the kab/kota: a desa portal's 91,600 regions made `/cari/` a
/// 12 MB page and a desa indicator's table a 20 MB one. The region pages, which list the
/// regions under them, and the downloads lead further down.
pub(super) fn cut<'k>(
    reg: &Registry,
    codes: impl Iterator<Item = &'k String>,
    weight: impl Fn(&str) -> usize,
    max: usize,
) -> (Vec<&'k String>, LeftOut) {
    let regions: Vec<(&String, Option<&Region>)> = codes.map(|k| (k, reg.get(k))).collect();
    let mut lines = std::collections::BTreeMap::new();
    for &(k, r) in &regions {
        if let Some(r) = r {
            *lines.entry(r.jenis.level()).or_insert(0) += weight(k);
        }
    }
    let deepest = deepest_listed(&lines, max);
    let mut out = LeftOut::default();
    let mut named: Vec<&'static str> = Vec::new();
    let mut listed = Vec::new();
    for (k, r) in regions {
        match r {
            Some(r) if r.jenis.level() > deepest => {
                out.left_out += 1;
                let plural = r.jenis.level_plural();
                if !named.contains(&plural) {
                    named.push(plural);
                    let level = crate::model::indicator::level_noun(plural, true);
                    if !out.left_out_levels.contains(&level) {
                        out.left_out_levels.push(level);
                    }
                }
            }
            _ => listed.push(k),
        }
    }
    (listed, out)
}

/// The deepest level listed, from the number of lines of each level: every level while all
/// fit in `max` lines, else the deepest that fits with those above it, and at least the
/// kab/kota.
fn deepest_listed(lines: &std::collections::BTreeMap<u8, usize>, max: usize) -> u8 {
    let mut total = 0;
    let mut deepest = 2;
    for (&level, &n) in lines {
        total += n;
        if total > max && level > 2 {
            break;
        }
        deepest = deepest.max(level);
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_stops_at_the_deepest_level_that_fits() {
        let lines = |v: &[(u8, usize)]| v.iter().copied().collect();
        // Everything fits: every level.
        assert_eq!(
            deepest_listed(&lines(&[(0, 1), (1, 38), (2, 514)]), 3_000),
            2
        );
        assert_eq!(
            deepest_listed(&lines(&[(1, 1), (2, 8), (3, 155), (4, 1_552)]), 3_000),
            4
        );
        // A desa portal: down to the kab/kota; with room for the kecamatan, to them.
        let desa = lines(&[(0, 1), (1, 38), (2, 514), (3, 7_285), (4, 83_762)]);
        assert_eq!(deepest_listed(&desa, 3_000), 2);
        assert_eq!(deepest_listed(&desa, 10_000), 3);
        // Never above the kab/kota, however many there are.
        assert_eq!(deepest_listed(&lines(&[(1, 38), (2, 5_000)]), 3_000), 2);
        // Levels missing in between do not stop the count.
        assert_eq!(deepest_listed(&lines(&[(1, 1), (4, 50)]), 3_000), 4);
    }

    #[test]
    fn a_cut_list_keeps_the_levels_above_and_names_those_it_leaves_out() {
        let reg = Registry::parse(
            std::path::Path::new("w.csv"),
            "kode,nama,jenis,kode_induk\n36,Banten,provinsi,\n36.73,Kota Serang,kota,36\n36.73.01,Serang,kecamatan,36.73\n36.73.01.1001,Cipare,kelurahan,36.73.01\n36.73.01.1002,Sumurpecung,kelurahan,36.73.01\n",
        )
        .unwrap();
        let codes: Vec<String> = ["36", "36.73", "36.73.01", "36.73.01.1001", "36.73.01.1002"]
            .map(String::from)
            .to_vec();
        let one = |_: &str| 1;
        let (listed, out) = cut(&reg, codes.iter(), one, 5);
        assert_eq!((listed.len(), out.left_out), (5, 0), "all fit");
        assert!(out.left_out_levels.is_empty());
        let (listed, out) = cut(&reg, codes.iter(), one, 3);
        assert_eq!(listed, [&codes[0], &codes[1], &codes[2]]);
        assert_eq!(
            (out.left_out, out.left_out_levels),
            (2, vec!["desa/kelurahan".to_string()])
        );
        // Never above the kab/kota.
        let (listed, out) = cut(&reg, codes.iter(), one, 1);
        assert_eq!(listed, [&codes[0], &codes[1]]);
        assert_eq!(out.left_out, 3);
        assert_eq!(out.left_out_levels, ["kecamatan", "desa/kelurahan"]);
        // Weighted lines: the kelurahan with two other names each no longer fit in five.
        let (_, out) = cut(
            &reg,
            codes.iter(),
            |c: &str| if c.len() > 8 { 3 } else { 1 },
            5,
        );
        assert_eq!(out.left_out, 2);
    }
}
