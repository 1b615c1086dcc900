//! Line charts over time (plotters draws grid, ticks and lines), with direct labels at the line ends.

use std::fmt::Write as _;

use plotters::backend::SVGBackend;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::series::LineSeries as PlotLine;

use super::breaks::{break_marks, runs};
use super::font;
use super::style::{self, FONT, LINE_H, WIDTH, esc, n1};
use crate::i18n::{t, tf};

/// What a series is on the page; decides colour, width and dashing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesRole {
    /// The region the page is about: strongest colour, thickest line, bold label.
    Focus,
    /// Its parent region (the province of a kab/kota).
    Parent,
    /// Indonesia as a whole: grey and dashed.
    Nation,
    /// Anything else, for comparison.
    Other,
}

/// One line. `values` is aligned with [`LineChart::x_labels`]; `None` is a gap, drawn as
/// a gap (never interpolated).
#[derive(Debug, Clone)]
pub struct LineSeries {
    /// The label at the line end (the region name).
    pub name: String,
    /// What the series is on the page; decides its look.
    pub role: SeriesRole,
    /// One value per x label; `None` is a gap.
    pub values: Vec<Option<f64>>,
    /// x positions where this line's own region changes territory (Papua once the provinces
    /// split from it have figures): the line breaks there; on the focus line a marker says so.
    pub breaks: Vec<usize>,
}

/// A line chart.
#[derive(Debug, Clone)]
pub struct LineChart {
    /// Unique on the page; used for `<title id>` and `<desc id>`.
    pub id: String,
    /// The chart title (`<title>`).
    pub title: String,
    /// What the chart shows, in words, for assistive technology (`<desc>`).
    pub desc: String,
    /// "persen", "rupiah", "ribu jiwa", …
    pub unit: String,
    /// Decimals of the axis ticks and labels.
    pub decimals: usize,
    /// Period labels in order, e.g. "2015" or "Mar 2016".
    pub x_labels: Vec<String>,
    /// The lines to draw; the focus line is drawn on top.
    pub series: Vec<LineSeries>,
    /// x positions where the series changes basis (the period before is annual, the one from
    /// here on sub-annual, or the other way round): lines break there and a marker says so.
    pub breaks: Vec<usize>,
    /// Points of the focus series that were corrected (a ring) or held back (a cross at the axis).
    pub marks: Vec<(usize, PointMark)>,
    /// Targets of the focus region: a dashed level across the plot, a diamond at the year.
    pub targets: Vec<TargetLine>,
    /// A fixed value range for the y axis (small multiples on one scale); `None` fits the data.
    pub y_range: Option<(f64, f64)>,
}

/// A target drawn as a reference beside the figures, never joined to a line.
#[derive(Debug, Clone)]
pub struct TargetLine {
    /// The x position of its year (the year's last period on the axis); `None` when the axis
    /// has no period in that year (the level is drawn, the diamond is not).
    pub x: Option<usize>,
    /// The target value.
    pub value: f64,
    /// What the label says: "Target 2019: 6%".
    pub label: String,
}

/// What a chart says about one point of its focus series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointMark {
    /// The value shown is the publisher's correction of the published one.
    Corrected,
    /// The published value is held back: not drawn.
    Held,
}

const HEIGHT: f64 = 290.0;
const BOTTOM_AREA: u32 = 30;
const TICK: i32 = 4;
const LABEL_GAP: f64 = 10.0;
const MAX_LABEL_W: f64 = 120.0;

/// Stroke colour, text colour, stroke width, dashed, drawing order (low first).
fn role_look(role: SeriesRole, other_index: usize) -> (&'static str, u32, bool, u8) {
    match role {
        SeriesRole::Focus => (style::FOCUS, 3, false, 3),
        SeriesRole::Parent => (style::PARENT, 2, false, 2),
        SeriesRole::Nation => (style::NATION, 2, true, 1),
        SeriesRole::Other => (
            style::OTHERS[other_index % style::OTHERS.len()],
            2,
            false,
            0,
        ),
    }
}

pub(crate) fn rgb(hex: &str) -> RGBColor {
    let h = hex.trim_start_matches('#');
    let p = |i: usize| h.get(i..i + 2).and_then(|s| u8::from_str_radix(s, 16).ok());
    RGBColor(p(0).unwrap_or(0), p(2).unwrap_or(0), p(4).unwrap_or(0))
}

/// A linear f64 axis whose ticks we choose ourselves (plotters' `WithKeyPoints` has no
/// formatter for f64 axes). No light (minor) points, so no minor gridlines.
#[derive(Debug, Clone)]
pub(crate) struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<f64>,
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        if span == 0.0 {
            return limit.0;
        }
        let t = (value - self.lo) / span;
        (f64::from(limit.0) + t * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

/// A direct label waiting to be placed.
struct Label {
    lines: Vec<String>,
    color: &'static str,
    bold: bool,
    /// Where the line ends (pixel y), and where the label ends up (top of its block).
    target: f64,
    top: f64,
    last_x: f64,
}

impl Label {
    fn height(&self) -> f64 {
        self.lines.len() as f64 * LINE_H
    }
}

/// Moves label blocks apart so none overlaps, keeping each as close to its line end as
/// possible, inside `min_top..max_bottom`.
fn place_labels(labels: &mut [Label], min_top: f64, max_bottom: f64) {
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by(|&a, &b| {
        labels[a]
            .target
            .total_cmp(&labels[b].target)
            .then(a.cmp(&b))
    });
    let gap = 2.0;
    let mut bottom = min_top;
    for &i in &order {
        let want = labels[i].target - labels[i].height() / 2.0;
        labels[i].top = want.max(bottom);
        bottom = labels[i].top + labels[i].height() + gap;
    }
    let mut limit = max_bottom;
    for &i in order.iter().rev() {
        if labels[i].top + labels[i].height() > limit {
            labels[i].top = limit - labels[i].height();
        }
        limit = labels[i].top - gap;
    }
    for l in labels.iter_mut() {
        l.top = l.top.max(min_top);
    }
}

/// Which x labels to show: every `step`-th, counted back from the last one, so that
/// neighbours never touch.
fn x_ticks(labels: &[String], plot_w: f64) -> Vec<usize> {
    let n = labels.len();
    if n == 0 {
        return Vec::new();
    }
    let widest = labels
        .iter()
        .map(|l| font::text_width(l, FONT))
        .fold(0.0, f64::max);
    let dx = if n > 1 {
        plot_w / (n - 1) as f64
    } else {
        plot_w
    };
    let mut step = 1;
    while (step as f64) * dx < widest + 14.0 && step < n {
        step += 1;
    }
    let mut ticks: Vec<usize> = (0..n).rev().step_by(step).collect();
    ticks.reverse();
    // Also label the first period when it does not crowd its neighbour.
    if let Some(&first) = ticks.first()
        && first > 0
        && first as f64 * dx >= widest + 14.0
    {
        ticks.insert(0, 0);
    }
    ticks
}

/// Where a line chart's plot sits and what its axes span: everything plotters' grid, ticks and
/// tick labels depend on, apart from the label texts.
struct Frame {
    top: u32,
    right: u32,
    left: u32,
    x: Axis,
    y: Axis,
}

impl Frame {
    /// The plot on `root`, in this frame's coordinates.
    fn chart<'a, 'b>(
        &self,
        root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    ) -> Result<ChartContext<'a, SVGBackend<'b>, Cartesian2d<Axis, Axis>>, String> {
        ChartBuilder::on(root)
            .margin_top(self.top)
            .margin_right(self.right)
            .margin_left(4)
            .margin_bottom(4)
            .set_label_area_size(LabelAreaPosition::Left, self.left)
            .set_label_area_size(LabelAreaPosition::Bottom, BOTTOM_AREA)
            .build_cartesian_2d(self.x.clone(), self.y.clone())
            .map_err(|e| e.to_string())
    }
}

thread_local! {
    /// Grids already drawn on this thread, by [`mesh`]'s key: the charts of one indicator
    /// mostly share their axes (a desa portal draws 100,000 line charts), and drawing the
    /// grid was half of drawing a chart.
    static MESHES: std::cell::RefCell<std::collections::HashMap<String, std::rc::Rc<str>>> =
        Default::default();
}

/// How many grids a thread keeps before it starts again.
const MESHES_KEPT: usize = 512;

/// The SVG of the grid, ticks and tick labels of `frame` (as [`plotters_body`] keeps them),
/// drawn by plotters on its own, or the same bytes drawn before: the labels are the x labels
/// (one per position) and the y tick labels (one per tick), the only other things the drawing
/// depends on.
fn mesh(
    frame: &Frame,
    x_labels: &[String],
    y_labels: &[String],
) -> Result<std::rc::Rc<str>, String> {
    let key = format!(
        "{} {} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
        frame.top,
        frame.right,
        frame.left,
        frame.x.lo,
        frame.x.hi,
        frame.x.ticks,
        frame.y.lo,
        frame.y.hi,
        frame.y.ticks,
        x_labels,
        y_labels
    );
    if let Some(svg) = MESHES.with(|m| m.borrow().get(&key).cloned()) {
        return Ok(svg);
    }
    let mut buf = String::new();
    {
        let root =
            SVGBackend::with_string(&mut buf, (WIDTH as u32, HEIGHT as u32)).into_drawing_area();
        let mut chart = frame.chart(&root)?;
        // plotters asks for the labels of the key points: positions on x, the ticks on y.
        let label = |labels: &[String], i: Option<usize>| {
            i.and_then(|i| labels.get(i)).cloned().unwrap_or_default()
        };
        let x_label = |v: &f64| {
            let i = v.round();
            label(x_labels, (i >= 0.0).then_some(i as usize))
        };
        let y_label = |v: &f64| label(y_labels, frame.y.ticks.iter().position(|t| t == v));
        chart
            .configure_mesh()
            .disable_x_mesh()
            .bold_line_style(rgb(style::GRID).stroke_width(1))
            .light_line_style(TRANSPARENT)
            .axis_style(TRANSPARENT)
            .set_all_tick_mark_size(TICK)
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .label_style(tick_label_style())
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    let svg: std::rc::Rc<str> = plotters_body(&buf).into();
    MESHES.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MESHES_KEPT {
            m.clear();
        }
        m.insert(key, svg.clone());
    });
    Ok(svg)
}

/// The text of the tick labels plotters draws on a grid (line and bar charts).
pub(crate) fn tick_label_style() -> TextStyle<'static> {
    (style::FONT_FAMILY, font::plotters_size(FONT))
        .into_font()
        .color(&rgb(style::MUTED))
}

/// Draws `c` as an inline, responsive, accessible SVG.
pub fn line_chart(c: &LineChart) -> String {
    font::ensure_registered();
    match draw(c) {
        Ok(s) => s,
        Err(e) => fallback(c, &e),
    }
}

fn fallback(c: &LineChart, err: &str) -> String {
    let mut s = style::svg_open(&c.id, "chart-line", &c.title, &c.desc, WIDTH, 80.0);
    s.push_str(&style::text(
        8.0,
        40.0,
        "start",
        &format!("fill=\"{}\"", style::MUTED),
        &tf("Grafik tidak dapat digambar: {galat}", &[("galat", err)]),
    ));
    s.push_str("</svg>\n");
    s
}

fn draw(c: &LineChart) -> Result<String, String> {
    let n = c.x_labels.len();
    let unit = c.unit.as_str();
    let present: Vec<f64> = c
        .series
        .iter()
        .flat_map(|s| s.values.iter().take(n).flatten().copied())
        .filter(|v| v.is_finite())
        .collect();
    let (lo, hi) = if let Some((a, b)) = c
        .y_range
        .filter(|(a, b)| a.is_finite() && b.is_finite() && a < b)
    {
        (a.min(0.0), b.max(0.0))
    } else if present.is_empty() {
        (0.0, 1.0)
    } else {
        let levels = present
            .iter()
            .copied()
            .chain(c.targets.iter().map(|t| t.value).filter(|v| v.is_finite()));
        let (mn, mx) = levels.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        (mn.min(0.0), mx.max(0.0))
    };
    let (yticks, ydec) = style::nice_ticks(lo, hi, 5);
    let y0 = yticks.first().copied().unwrap_or(0.0);
    let y1 = yticks.last().copied().unwrap_or(1.0);
    let ytick_labels: Vec<String> = yticks
        .iter()
        .map(|v| style::format_tick(*v, unit, ydec))
        .collect();
    let left = ytick_labels
        .iter()
        .map(|l| font::text_width(l, FONT))
        .fold(0.0, f64::max)
        + f64::from(TICK * 2)
        + 2.0;
    let caption = style::unit_caption(unit);
    let top = if caption.is_some() { 34.0 } else { 14.0 };

    // Direct labels: name and last value, wrapped to the label column.
    let mut others = 0;
    let mut looks = Vec::new();
    let mut labels: Vec<(usize, Label)> = Vec::new();
    for (si, s) in c.series.iter().enumerate() {
        let look = role_look(s.role, others);
        if s.role == SeriesRole::Other {
            others += 1;
        }
        looks.push(look);
        let vals = &s.values[..s.values.len().min(n)];
        let last = vals
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, v)| v.filter(|v| v.is_finite()).map(|v| (i, v)));
        // A series without a name is labelled only when it is the focus (a small multiple
        // names its region above the chart): by its value alone.
        if let Some((_, v)) = last.filter(|_| !s.name.is_empty() || s.role == SeriesRole::Focus) {
            let bold = s.role == SeriesRole::Focus;
            let value = if style::unit_caption(unit).is_some() {
                style::format_short(v, unit, c.decimals)
            } else {
                style::format_value(v, unit, c.decimals)
            };
            let text = if s.name.is_empty() {
                value
            } else {
                format!("{} {value}", s.name)
            };
            labels.push((
                si,
                Label {
                    lines: font::wrap(&text, FONT, MAX_LABEL_W, bold),
                    color: look.0,
                    bold,
                    target: 0.0,
                    top: 0.0,
                    last_x: 0.0,
                },
            ));
        }
    }
    let label_w = labels
        .iter()
        .flat_map(|(_, l)| {
            l.lines.iter().map(|t| {
                if l.bold {
                    font::bold_width(t, FONT)
                } else {
                    font::text_width(t, FONT)
                }
            })
        })
        .fold(0.0, f64::max);
    // Small multiples on one scale share one plot width (and so the same x ticks): room for
    // the widest value the scale allows, whatever each chart's own last value is.
    let label_w = match c.y_range {
        Some((_, top)) if labels.iter().all(|(i, _)| c.series[*i].name.is_empty()) => label_w.max(
            font::bold_width(&style::format_value(top, unit, c.decimals), FONT),
        ),
        _ => label_w,
    };
    let last_x_label = c
        .x_labels
        .last()
        .map(|l| font::text_width(l, FONT) / 2.0 + 4.0)
        .unwrap_or(0.0);
    let right = (label_w + LABEL_GAP + 6.0).max(last_x_label).max(24.0);
    let plot_w = WIDTH - left - right - 4.0;
    let xt = x_ticks(&c.x_labels, plot_w);
    let xt_f: Vec<f64> = xt.iter().map(|&i| i as f64).collect();
    let (x0, x1) = if n > 1 {
        (0.0, (n - 1) as f64)
    } else {
        (-1.0, 1.0)
    };

    let frame = Frame {
        top: top as u32,
        right: right as u32,
        left: left as u32,
        x: Axis {
            lo: x0,
            hi: x1,
            ticks: xt_f,
        },
        y: Axis {
            lo: y0,
            hi: y1,
            ticks: yticks.clone(),
        },
    };
    let mesh = mesh(&frame, &c.x_labels, &ytick_labels)?;
    let mut buf = String::new();
    let mut dots = String::new();
    {
        let root =
            SVGBackend::with_string(&mut buf, (WIDTH as u32, HEIGHT as u32)).into_drawing_area();
        let mut chart = frame.chart(&root)?;
        if y0 <= 0.0 && y1 >= 0.0 {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x0, 0.0), (x1, 0.0)],
                    rgb(style::BASELINE).stroke_width(1),
                )))
                .map_err(|e| e.to_string())?;
        }

        let mut order: Vec<usize> = (0..c.series.len()).collect();
        order.sort_by_key(|&i| (looks[i].3, i));
        for &si in &order {
            let s = &c.series[si];
            let (color, width, _, _) = looks[si];
            let vals = &s.values[..s.values.len().min(n)];
            let breaks: Vec<usize> = c.breaks.iter().chain(&s.breaks).copied().collect();
            for run in runs(vals, &breaks) {
                if run.len() >= 2 {
                    let pts: Vec<(f64, f64)> = run.iter().map(|&(i, v)| (i as f64, v)).collect();
                    chart
                        .draw_series(PlotLine::new(pts, rgb(color).stroke_width(width)))
                        .map_err(|e| e.to_string())?;
                } else if let Some(&(i, v)) = run.first() {
                    // A lone value between gaps: a dot, never a line to its neighbours.
                    let (px, py) = chart.backend_coord(&(i as f64, v));
                    let _ = writeln!(
                        dots,
                        "<circle cx=\"{px}\" cy=\"{py}\" r=\"3.5\" fill=\"{color}\"/>"
                    );
                }
            }
        }
        let plot_right = chart.backend_coord(&(x1, y0)).0 as f64;
        let plot_top = chart.backend_coord(&(x0, y1)).1 as f64;
        let plot_bottom = chart.backend_coord(&(x0, y0)).1 as f64;
        dots.push_str(&break_marks(
            c,
            |b| chart.backend_coord(&(b as f64 - 0.5, y0)).0,
            (plot_top, plot_bottom, plot_right),
        ));
        if !present.is_empty() {
            let plot_left = chart.backend_coord(&(x0, y0)).0 as f64;
            for t in c.targets.iter().filter(|t| t.value.is_finite()) {
                let (_, py) = chart.backend_coord(&(x0, t.value));
                dots.push_str(&target_mark(
                    t,
                    f64::from(py),
                    (plot_left, plot_right, plot_top),
                    t.x.map(|i| chart.backend_coord(&(i as f64, t.value)).0 as f64),
                ));
            }
        }
        if let Some(focus) = c.series.iter().find(|s| s.role == SeriesRole::Focus) {
            for &(i, mark) in &c.marks {
                match (mark, focus.values.get(i).copied().flatten()) {
                    (PointMark::Corrected, Some(v)) => {
                        let (px, py) = chart.backend_coord(&(i as f64, v));
                        let _ = writeln!(
                            dots,
                            "<circle class=\"corrected\" cx=\"{px}\" cy=\"{py}\" r=\"7\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
                            style::FOCUS
                        );
                    }
                    (PointMark::Held, _) => {
                        let (px, py) = chart.backend_coord(&(i as f64, y0));
                        let _ = writeln!(
                            dots,
                            "<path class=\"held\" d=\"M{} {}l8 8M{} {}l-8 8\" stroke=\"{}\" stroke-width=\"2\" fill=\"none\"/>",
                            px - 4,
                            py - 12,
                            px + 4,
                            py - 12,
                            style::MUTED
                        );
                    }
                    _ => {}
                }
            }
        }
        for (si, l) in labels.iter_mut() {
            let s = &c.series[*si];
            let vals = &s.values[..s.values.len().min(n)];
            if let Some((i, v)) = vals
                .iter()
                .enumerate()
                .rev()
                .find_map(|(i, v)| v.filter(|v| v.is_finite()).map(|v| (i, v)))
            {
                let (px, py) = chart.backend_coord(&(i as f64, v));
                l.target = f64::from(py);
                l.last_x = f64::from(px);
                let r = if s.role == SeriesRole::Focus {
                    4.5
                } else {
                    3.5
                };
                let _ = writeln!(
                    dots,
                    "<circle cx=\"{px}\" cy=\"{py}\" r=\"{r}\" fill=\"{}\" stroke=\"#FFFFFF\" stroke-width=\"1\"/>",
                    l.color
                );
            }
        }
        let mut only: Vec<Label> = labels.drain(..).map(|(_, l)| l).collect();
        place_labels(&mut only, plot_top - 8.0, plot_bottom + 8.0);
        for l in &only {
            let lx = plot_right + LABEL_GAP;
            let centre = l.top + l.height() / 2.0;
            if l.last_x < plot_right - 1.0 {
                // The series stops early: a faint dotted leader to its label.
                let _ = writeln!(
                    dots,
                    "<path d=\"M{} {}H{}\" stroke=\"{}\" stroke-width=\"1\" stroke-dasharray=\"1 3\" fill=\"none\"/>",
                    n1(l.last_x + 6.0),
                    n1(l.target),
                    n1(plot_right + 2.0),
                    l.color
                );
            }
            if (centre - l.target).abs() > 3.0 {
                let _ = writeln!(
                    dots,
                    "<path d=\"M{} {}L{} {}\" stroke=\"{}\" stroke-width=\"1\" fill=\"none\"/>",
                    n1(plot_right + 3.0),
                    n1(l.target),
                    n1(lx - 3.0),
                    n1(centre),
                    l.color
                );
            }
            let weight = if l.bold { " font-weight=\"bold\"" } else { "" };
            for (k, line) in l.lines.iter().enumerate() {
                let _ = writeln!(
                    dots,
                    "<text class=\"label\" x=\"{}\" y=\"{}\" fill=\"{}\"{weight}>{}</text>",
                    n1(lx),
                    n1(l.top + k as f64 * LINE_H + 12.5),
                    l.color,
                    esc(line)
                );
            }
        }
        if present.is_empty() {
            dots.push_str(&style::text(
                (chart.backend_coord(&(x0, y0)).0 as f64 + plot_right) / 2.0,
                (plot_top + plot_bottom) / 2.0,
                "middle",
                &format!("fill=\"{}\"", style::MUTED),
                &t("Tidak ada data"),
            ));
        }
        root.present().map_err(|e| e.to_string())?;
    }

    // plotters writes its own <svg> root; keep the body and wrap it in an accessible root.
    let body = format!("{mesh}{}", plotters_body(&buf)).replace(
        &format!("stroke=\"{}\" stroke-width=\"2\"", style::NATION),
        &format!(
            "stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"7 4\"",
            style::NATION
        ),
    );
    let mut out = style::svg_open(&c.id, "chart-line", &c.title, &c.desc, WIDTH, HEIGHT);
    if let Some(cap) = caption {
        out.push_str(&style::text(
            4.0,
            16.0,
            "start",
            &format!("fill=\"{}\"", style::MUTED),
            &cap,
        ));
    }
    out.push_str("<g stroke-linejoin=\"round\" stroke-linecap=\"round\">\n");
    out.push_str(&body);
    out.push_str("</g>\n");
    out.push_str(&dots);
    out.push_str("</svg>\n");
    Ok(out)
}

/// A target: a dashed level across the plot at `y`, its label above it at the left (below it
/// when the level is near the top), and a hollow diamond at its year when the axis has it.
fn target_mark(
    t: &TargetLine,
    y: f64,
    (left, right, top): (f64, f64, f64),
    at: Option<f64>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<path class=\"target\" d=\"M{} {}H{}\" stroke=\"{}\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\" fill=\"none\"/>",
        n1(left),
        n1(y),
        n1(right),
        style::TARGET
    );
    if let Some(px) = at {
        let _ = writeln!(
            out,
            "<path class=\"target\" d=\"M{} {}l6 6l-6 6l-6 -6z\" fill=\"#FFFFFF\" stroke=\"{}\" stroke-width=\"2\"/>",
            n1(px),
            n1(y - 6.0),
            style::TARGET
        );
    }
    let label_y = if y - top < LINE_H + 2.0 {
        y + LINE_H
    } else {
        y - 6.0
    };
    out.push_str(&style::text(
        left + 4.0,
        label_y,
        "start",
        &format!(
            "class=\"target-label\" fill=\"{}\"{}",
            style::TARGET,
            style::HALO
        ),
        &t.label,
    ));
    out
}

/// The elements plotters drew, without its `<svg>` root, with attributes the root already
/// sets (font family, opacity 1) removed and each `<text>` on one line.
pub(crate) fn plotters_body(buf: &str) -> String {
    let start = buf.find('\n').map_or(0, |i| i + 1);
    let end = buf.rfind("</svg>").unwrap_or(buf.len()).max(start);
    let family = format!(" font-family=\"{}\"", style::FONT_FAMILY);
    let dropped = [
        memchr::memmem::Finder::new(" opacity=\"1\""),
        memchr::memmem::Finder::new(family.as_bytes()),
    ];
    let mut out = String::with_capacity(end - start);
    let mut in_text = false;
    let mut line = String::new();
    for raw in buf[start..end].lines() {
        without(raw, &dropped, &mut line);
        let line = line.as_str();
        if line.starts_with("<text") && !line.ends_with("</text>") {
            in_text = true;
            out.push_str(line);
        } else if in_text {
            out.push_str(line);
            if line == "</text>" {
                in_text = false;
                out.push('\n');
            }
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// `line` without any of the `dropped` attributes, into `out` (emptied first), in one pass
/// (two `str::replace` calls allocated twice per line: 2.6 % of a desa build's CPU).
fn without(line: &str, dropped: &[memchr::memmem::Finder<'_>], out: &mut String) {
    out.clear();
    let mut rest = line;
    while let Some((at, len)) = dropped
        .iter()
        .filter_map(|f| f.find(rest.as_bytes()).map(|i| (i, f.needle().len())))
        .min()
    {
        out.push_str(&rest[..at]);
        rest = &rest[at + len..];
    }
    out.push_str(rest);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[allow(clippy::approx_constant)] // 6,28% is the real figure, not τ
    pub(crate) fn sample() -> LineChart {
        let years: Vec<String> = (2015..=2024).map(|y| format!("Mar {y}")).collect();
        LineChart {
            id: "tren-p0".into(),
            title: "Persentase penduduk miskin".into(),
            desc: "Kota Serang, Banten dan Indonesia, 2015–2024".into(),
            unit: "persen".into(),
            decimals: 2,
            x_labels: years,
            series: vec![
                LineSeries {
                    name: "Kota Serang".into(),
                    role: SeriesRole::Focus,
                    values: vec![
                        Some(6.28),
                        Some(6.1),
                        None,
                        None,
                        Some(5.7),
                        Some(6.0),
                        Some(6.5),
                        Some(6.2),
                        Some(5.9),
                        Some(5.65),
                    ],
                    breaks: Vec::new(),
                },
                LineSeries {
                    name: "Banten".into(),
                    role: SeriesRole::Parent,
                    values: vec![
                        None,
                        None,
                        None,
                        Some(5.6),
                        Some(5.3),
                        Some(5.9),
                        Some(6.7),
                        Some(6.2),
                        Some(6.0),
                        Some(5.8),
                    ],
                    breaks: Vec::new(),
                },
                LineSeries {
                    name: "Indonesia".into(),
                    role: SeriesRole::Nation,
                    values: vec![
                        Some(11.22),
                        Some(10.86),
                        Some(10.64),
                        Some(9.82),
                        Some(9.41),
                        Some(9.78),
                        Some(10.14),
                        Some(9.54),
                        Some(9.36),
                        Some(9.03),
                    ],
                    breaks: Vec::new(),
                },
            ],
            breaks: Vec::new(),
            marks: Vec::new(),
            targets: Vec::new(),
            y_range: None,
        }
    }

    fn polylines_with(svg: &str, color: &str) -> Vec<String> {
        svg.lines()
            .filter(|l| l.starts_with("<polyline") && l.contains(&format!("stroke=\"{color}\"")))
            .map(str::to_string)
            .collect()
    }

    fn points(polyline: &str) -> usize {
        let start = polyline.find("points=\"").map_or(0, |i| i + 8);
        let rest = &polyline[start..];
        let end = rest.find('"').unwrap_or(rest.len());
        rest[..end].split_whitespace().count()
    }

    #[test]
    fn gap_gives_two_segments_and_no_invented_point() {
        let svg = line_chart(&sample());
        let focus = polylines_with(&svg, style::FOCUS);
        assert_eq!(focus.len(), 2, "{svg}");
        // 2 values before the gap, 6 after: 8 points, none invented for the gap.
        assert_eq!(points(&focus[0]), 2);
        assert_eq!(points(&focus[1]), 6);
        let nation = polylines_with(&svg, style::NATION);
        assert_eq!(nation.len(), 1);
        assert!(nation[0].contains("stroke-dasharray"));
        // The late-starting parent series has 7 points.
        let parent = polylines_with(&svg, style::PARENT);
        assert_eq!(parent.len(), 1);
        assert_eq!(points(&parent[0]), 7);
    }

    #[test]
    fn accessible_root_and_direct_labels() {
        let svg = line_chart(&sample());
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"tren-p0-title tren-p0-desc\""));
        assert!(svg.contains("<title id=\"tren-p0-title\">Persentase penduduk miskin</title>"));
        assert!(svg.contains("<desc id=\"tren-p0-desc\">"));
        assert!(svg.contains("viewBox=\"0 0 400 290\""));
        assert!(svg.contains("width=\"100%\""));
        assert!(!svg.contains("height=\"290\""));
        assert!(
            svg.contains(">Kota Serang</text>") && svg.contains(">5,65%</text>"),
            "{svg}"
        );
        assert!(
            svg.contains(">Indonesia 9,03%</text>") || svg.contains(">9,03%</text>"),
            "{svg}"
        );
        assert!(svg.contains(">10%</text>"));
        assert!(!svg.contains("<rect"), "no boxed legend or background");
    }

    #[test]
    fn a_target_above_every_figure_stretches_the_axis_and_is_no_point_of_a_line() {
        let mut c = sample();
        let before = polylines_with(&line_chart(&c), style::FOCUS);
        c.targets.push(TargetLine {
            x: Some(4),
            value: 12.0,
            label: "Target 2019: 12%".into(),
        });
        let svg = line_chart(&c);
        assert!(
            svg.contains(">12%</text>") || svg.contains(">15%</text>"),
            "{svg}"
        );
        assert!(svg.contains(">Target 2019: 12%</text>"));
        assert_eq!(
            svg.matches("<path class=\"target\"").count(),
            2,
            "level and diamond"
        );
        let after = polylines_with(&svg, style::FOCUS);
        assert_eq!(
            before.iter().map(|p| points(p)).collect::<Vec<_>>(),
            after.iter().map(|p| points(p)).collect::<Vec<_>>(),
            "the focus line keeps its points"
        );
    }

    #[test]
    fn same_output_twice() {
        let a = line_chart(&sample());
        let b = line_chart(&sample());
        assert_eq!(a, b);
    }

    #[test]
    fn labels_do_not_overlap() {
        let mut c = sample();
        // Three series ending on nearly the same value.
        c.series[0].values[9] = Some(9.0);
        c.series[1].values[9] = Some(9.05);
        let svg = line_chart(&c);
        let mut ys: Vec<f64> = svg
            .lines()
            .filter(|l| l.starts_with("<text class=\"label\""))
            .filter_map(|l| {
                let i = l.find(" y=\"")? + 4;
                l[i..].split('"').next()?.parse().ok()
            })
            .collect();
        ys.sort_by(f64::total_cmp);
        for w in ys.windows(2) {
            assert!(w[1] - w[0] >= LINE_H - 0.01, "{ys:?}");
        }
    }

    #[test]
    fn runs_split_on_gaps() {
        let r = runs(&[Some(1.0), None, Some(2.0), Some(3.0), None], &[]);
        assert_eq!(r.len(), 2);
        assert_eq!(r[1], vec![(2, 2.0), (3, 3.0)]);
    }

    #[test]
    fn close_breaks_share_a_label_and_a_late_one_stays_inside() {
        let mut c = sample();
        c.breaks = vec![1, 2, 3];
        c.series[0].breaks = vec![9];
        let svg = line_chart(&c);
        assert_eq!(svg.matches("class=\"break\"").count(), 4);
        assert_eq!(svg.matches(">dasar berubah<").count(), 1, "{svg}");
        assert_eq!(svg.matches(">wilayah berubah<").count(), 1);
        // The last break is near the right end: its label is written leftwards.
        let at = svg.find(">wilayah berubah<").unwrap();
        let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
        assert!(tag.contains("text-anchor=\"end\""), "{tag}");
        // Without a change of basis only the territory is named.
        let svg = line_chart(&LineChart {
            breaks: Vec::new(),
            ..c.clone()
        });
        assert!(!svg.contains(">dasar berubah<"));
    }

    /// Charts that share their axes share one drawing of the grid: a chart drawn after others
    /// (its grid taken from them) has the bytes it has when drawn first, on a fresh thread.
    #[test]
    fn a_grid_drawn_before_gives_the_same_chart() {
        let base = sample();
        let mut charts = Vec::new();
        for k in 0..24 {
            let mut c = base.clone();
            // Values that keep the axes (same ticks, same label widths) and values that do not.
            for s in &mut c.series {
                for v in s.values.iter_mut().flatten() {
                    *v += f64::from(k % 4) * 0.01 + if k >= 16 { 4.0 } else { 0.0 };
                }
            }
            if k % 5 == 0 {
                c.unit = "ribu jiwa".into();
            }
            if k % 7 == 0 {
                c.x_labels[3] = "Sep 2018".into();
            }
            if k % 6 == 0 {
                c.y_range = Some((0.0, 20.0));
            }
            charts.push(c);
        }
        let warm: Vec<String> = charts.iter().map(line_chart).collect();
        let grids = MESHES.with(|m| m.borrow().len());
        assert!(
            grids < charts.len() / 2,
            "charts with the same axes share a grid ({grids} grids for {} charts)",
            charts.len()
        );
        for (c, drawn) in charts.iter().zip(&warm) {
            let c = c.clone();
            let cold = std::thread::spawn(move || line_chart(&c)).join().unwrap();
            assert_eq!(&cold, drawn);
        }
        // Ticks with decimals read "0,5%" in Indonesian and "0.5%" in English, on axes that are
        // otherwise the same: each edition has its own grid.
        let mut small = base.clone();
        for s in &mut small.series {
            for v in s.values.iter_mut().flatten() {
                *v /= 10.0;
            }
        }
        let id = line_chart(&small);
        let en = crate::model::indicator::tests::in_english(|| line_chart(&small));
        let en_cold = std::thread::spawn(move || {
            crate::model::indicator::tests::in_english(|| line_chart(&small))
        })
        .join()
        .unwrap();
        assert!(id.contains(">0,5%</text>") && en.contains(">0.5%</text>"));
        assert_eq!(en, en_cold);
        // The grid is part of the chart: the first chart's grid lines and tick labels.
        assert!(warm[0].contains(&format!("stroke=\"{}\"", style::GRID)));
        assert!(warm[0].contains(">Mar 2024</text>"));
    }
}
