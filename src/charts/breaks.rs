//! Where a line chart's lines break: runs between gaps, changes of basis and changes of territory, and the dashed marks that say so.

use std::fmt::Write as _;

use super::font;
use super::line::{LineChart, SeriesRole};
use super::style::{self, n1};
use crate::i18n::t;

/// The dashed lines where the series change basis (all lines) or the focus region changes
/// territory, each labelled unless its label would overlap the one before (breaks close
/// together share the first label; a change of territory is named first); a label that would
/// run past the plot goes left of its line. `(top, bottom, right)` bound the plot.
pub(super) fn break_marks(
    c: &LineChart,
    x_of: impl Fn(usize) -> i32,
    (top, bottom, right): (f64, f64, f64),
) -> String {
    let focus = c
        .series
        .iter()
        .filter(|s| s.role == SeriesRole::Focus)
        .flat_map(|s| &s.breaks);
    // (position, is a change of basis): a change of territory is named first.
    let mut marks: Vec<(usize, bool)> = c
        .breaks
        .iter()
        .map(|&b| (b, true))
        .chain(focus.map(|&b| (b, false)))
        .collect();
    marks.sort_unstable();
    let basis = t("dasar berubah");
    let territory = t("wilayah berubah");
    let mut out = String::new();
    let mut free_from = f64::NEG_INFINITY;
    for (b, is_basis) in marks {
        let label: &str = if is_basis { &basis } else { &territory };
        let bx = x_of(b);
        let _ = writeln!(
            out,
            "<path class=\"break\" d=\"M{bx} {}V{}\" stroke=\"{}\" stroke-width=\"1\" stroke-dasharray=\"3 3\" fill=\"none\"/>",
            n1(top),
            n1(bottom),
            style::MUTED
        );
        let w = font::text_width(label, 11.0);
        let x = f64::from(bx);
        let (at, anchor, from, to) = if x + 3.0 + w <= right {
            (x + 3.0, "start", x + 3.0, x + 3.0 + w)
        } else {
            (x - 3.0, "end", x - 3.0 - w, x - 3.0)
        };
        if from < free_from {
            continue;
        }
        free_from = to + 6.0;
        out.push_str(&style::text(
            at,
            top + 10.0,
            anchor,
            &format!("fill=\"{}\" font-size=\"11\"{}", style::MUTED, style::HALO),
            label,
        ));
    }
    out
}

/// Splits a series into runs of consecutive present values: `(index, value)` lists; a run
/// also ends where the basis changes (before an index in `breaks`).
pub(super) fn runs(values: &[Option<f64>], breaks: &[usize]) -> Vec<Vec<(usize, f64)>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for (i, v) in values.iter().enumerate() {
        if breaks.contains(&i) && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        match v {
            Some(v) if v.is_finite() => cur.push((i, *v)),
            _ => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}
