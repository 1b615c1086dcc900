//! Charts as files: each region's indicator chart (over time, its children as bars, as a map) as a standalone SVG and a PNG, with the links and embed code pages show for them.

pub(crate) mod cache;
pub(crate) mod figures;

use serde::Serialize;

use super::{OutputFile, Shared};
use crate::charts;
use crate::diagnostic::{Code, Diagnostic};
use crate::i18n::{t, tf};
use crate::model::Indicator;
use crate::urls;

/// The charts of a region's indicator that are also offered as files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChartKind {
    /// The region over time, with its province and the nation.
    Line,
    /// The region over time in each slice of a dimension (perkotaan, perdesaan, jumlah).
    Split,
    /// Its children as a sorted bar chart.
    Children,
    /// Its children as a map.
    Map,
}

impl ChartKind {
    pub(crate) const ALL: [ChartKind; 4] = [
        ChartKind::Line,
        ChartKind::Split,
        ChartKind::Children,
        ChartKind::Map,
    ];

    /// Its name in `[charts] png` of lumbung.toml.
    pub(crate) fn config_name(self) -> &'static str {
        match self {
            ChartKind::Line => "garis",
            ChartKind::Split => "daerah",
            ChartKind::Children => "rincian",
            ChartKind::Map => "peta",
        }
    }

    /// Whether the site wants this kind as a PNG too (`[charts] png`).
    pub(crate) fn has_png(self, site: &crate::model::Site) -> bool {
        site.config
            .charts
            .png
            .iter()
            .any(|k| k == self.config_name())
    }

    /// The file name stem after the indicator slug: `p0`, `p0-daerah`, `p0-rincian`, `p0-peta`.
    pub(crate) fn suffix(self, site: &crate::model::Site, ind: &Indicator) -> String {
        match self {
            ChartKind::Line => String::new(),
            ChartKind::Split => {
                let dims: Vec<String> = site.datasets[ind.dataset]
                    .dimensions()
                    .map(|(_, f)| crate::slug::slugify(&f.name))
                    .collect();
                format!("-{}", dims.join("-"))
            }
            ChartKind::Children => "-rincian".into(),
            ChartKind::Map => "-peta".into(),
        }
    }
}

/// A chart file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChartFile {
    Svg,
    Png,
}

impl ChartFile {
    /// The file extension.
    pub(crate) fn ext(self) -> &'static str {
        match self {
            ChartFile::Svg => "svg",
            ChartFile::Png => "png",
        }
    }
}

/// A chart output.
#[derive(Debug, Clone)]
pub(crate) enum Job {
    /// One chart of a region's indicator (`indicator` indexes `site.indicators`).
    File {
        region: String,
        indicator: usize,
        kind: ChartKind,
        file: ChartFile,
    },
}

impl Job {
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Job::File {
                file: ChartFile::Svg,
                ..
            } => "grafik SVG",
            Job::File {
                file: ChartFile::Png,
                ..
            } => "grafik PNG",
        }
    }
}

impl Job {
    /// For a PNG, the output path of the SVG file it is drawn from (a PNG is a pure function of
    /// it).
    pub(super) fn svg_path(&self, cx: &Shared<'_>) -> Option<String> {
        let Job::File {
            region,
            indicator,
            kind,
            file: ChartFile::Png,
        } = self
        else {
            return None;
        };
        let ind = &cx.site.indicators[*indicator];
        Some(urls::file_of(&urls::region_chart(
            cx.site,
            region,
            ind,
            *kind,
            ChartFile::Svg,
        )))
    }
}

pub(super) fn list(cx: &Shared<'_>) -> Vec<Job> {
    use rayon::prelude::*;
    // Regions in parallel (whether a region has a chart looks through its series: a second of
    // one core for a portal to desa level), in their order.
    let per_region: Vec<Vec<Job>> = cx
        .site
        .region_pages
        .par_iter()
        .map(|code| region_jobs(cx, code))
        .collect();
    per_region.concat()
}

/// The chart files of one region, indicator by indicator and kind by kind.
fn region_jobs(cx: &Shared<'_>, code: &str) -> Vec<Job> {
    let site = cx.site;
    let mut jobs = Vec::new();
    for (indicator, ind) in site.indicators.iter().enumerate() {
        for kind in ChartKind::ALL {
            if figures::has_chart(site, ind, code, kind) {
                let files: &[ChartFile] = if kind.has_png(site) {
                    &[ChartFile::Svg, ChartFile::Png]
                } else {
                    &[ChartFile::Svg]
                };
                for &file in files {
                    jobs.push(Job::File {
                        region: code.to_string(),
                        indicator,
                        kind,
                        file,
                    });
                }
            }
        }
    }
    jobs
}

/// Everything a chart file is made from: what the chart is drawn from, the credit line under
/// it and the address of its page. The file is a pure function of these and the program.
#[derive(Debug)]
pub(crate) struct FileInputs {
    drawing: figures::Drawing,
    credit: String,
    page: String,
}

fn inputs(site: &crate::model::Site, job: &Job) -> Option<FileInputs> {
    let Job::File {
        region,
        indicator,
        kind,
        ..
    } = job;
    let ind = &site.indicators[*indicator];
    Some(FileInputs {
        drawing: figures::region_drawing(site, ind, region, *kind)?,
        credit: credit(site, ind),
        page: page(site, region),
    })
}

/// The source line of a chart file of `ind`.
fn credit(site: &crate::model::Site, ind: &Indicator) -> String {
    tf(
        "{sumber}, diolah {situs}",
        &[("sumber", &ind.source), ("situs", &site.config.title)],
    )
}

/// The address a chart file of `region` names: its region page.
fn page(site: &crate::model::Site, region: &str) -> String {
    urls::absolute(&site.config.base_url, &urls::region(&site.registry, region))
}

impl Job {
    /// A key made of what the file is drawn from, where that is all it reads (not a map, which
    /// also reads the boundaries): a chart whose own figures did not change is kept when other
    /// figures of the data did, with its PNG.
    pub(super) fn content_key(
        &self,
        cx: &Shared<'_>,
        f: &crate::depends::Fingerprints,
    ) -> Option<String> {
        let Job::File {
            region,
            indicator,
            kind,
            ..
        } = self;
        // A chart's SVG and PNG come one after the other in the list: what they are drawn from
        // is described once for both, in this build (a thread's memory outlives its builds).
        let chart = (cx.views.id, region.clone(), *indicator, *kind);
        let described = LAST.with_borrow(|last| {
            last.as_ref()
                .filter(|(c, _)| *c == chart)
                .map(|(_, d)| d.clone())
        });
        let described = match described {
            Some(d) => d,
            None => {
                let d = inputs(cx.site, self)
                    .filter(|i| i.drawing.self_contained())
                    .map(|i| format!("{i:?}"));
                LAST.set(Some((chart, d.clone())));
                d
            }
        };
        described.map(|d| {
            f.key(
                &format!("{self:?}"),
                crate::depends::Reads::NONE,
                Some(d.as_bytes()),
            )
        })
    }
}

/// A chart (the build's `ViewCache::id`, region, indicator, kind) and what it is drawn from,
/// described (`None`: a map).
type Described = ((u64, String, usize, ChartKind), Option<String>);

thread_local! {
    /// The last chart [`Job::content_key`] described on this thread.
    static LAST: std::cell::RefCell<Option<Described>> = const { std::cell::RefCell::new(None) };
}

pub(super) fn render(cx: &Shared<'_>, job: &Job) -> Result<OutputFile, Diagnostic> {
    let Job::File {
        region,
        indicator,
        kind,
        file,
    } = job;
    let site = cx.site;
    let ind = &site.indicators[*indicator];
    let url = urls::region_chart(site, region, ind, *kind, *file);
    let path = urls::file_of(&url);
    const NO_DATA: &str = "grafik ini tidak punya data";
    match file {
        ChartFile::Svg => {
            let no_data = || Diagnostic::error(Code::Internal, &path, NO_DATA);
            let (drawing, title) = match kind {
                // The region page shows the same drawing: drawn once for both (what it is
                // drawn from is worked out by whichever draws it; here only its title).
                ChartKind::Line if figures::has_region_line(ind, region) => (
                    cx.views.drawn.get(line_key(ind, region), || {
                        charts::line_chart(&figures::region_line(site, ind, region))
                    }),
                    figures::region_line_title(site, ind, region),
                ),
                _ => {
                    let d =
                        figures::region_drawing(site, ind, region, *kind).ok_or_else(no_data)?;
                    (d.draw(site, region).into(), d.title().to_string())
                }
            };
            let svg = charts::standalone(&drawing, &title, &credit(site, ind), &page(site, region));
            Ok((path, svg.into_bytes()))
        }
        ChartFile::Png => {
            // What the chart is drawn from is worked out only when the cache lacks its PNG.
            let svg = || {
                let i = inputs(site, job).ok_or(NO_DATA)?;
                let drawing = i.drawing.draw(site, region);
                Ok(charts::standalone(
                    &drawing,
                    i.drawing.title(),
                    &i.credit,
                    &i.page,
                ))
            };
            // The SVG this build wrote gives its hash: a cached PNG needs no drawing.
            let png = match job.svg_path(cx).and_then(|p| cx.pngs.svg_digest(&p)) {
                Some(digest) => cx.pngs.png_of(digest, figures::PNG_WIDTH, svg),
                None => svg().and_then(|svg| cx.pngs.png(&svg, figures::PNG_WIDTH)),
            };
            match png {
                Ok(png) => Ok((path, png)),
                Err(e) => Err(Diagnostic::error(
                    Code::FileNotProduced,
                    &path,
                    format!("gagal membuat PNG: {e}"),
                )),
            }
        }
    }
}

/// What a region's line chart of `ind` is named by in [`crate::charts::Pairs`].
pub(crate) fn line_key(ind: &Indicator, code: &str) -> String {
    format!("{}\u{0}{code}", ind.slug)
}

/// The files of one chart as a page links them: SVG, PNG and an embed snippet.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChartLinks {
    pub svg: String,
    /// Empty when the site draws no PNG of this kind.
    pub png: String,
    pub embed: String,
}

/// The files of one chart of a region's indicator, or `None` when it has none.
pub(crate) fn links(
    cx: &Shared<'_>,
    ind: &Indicator,
    code: &str,
    kind: ChartKind,
) -> Option<ChartLinks> {
    let site = cx.site;
    // Chart files are drawn for the whole of each indicator, not for its slices.
    if ind.slice.is_some()
        || !site.region_pages.contains(code)
        || !figures::has_chart(site, ind, code, kind)
    {
        return None;
    }
    let name = site.registry.get(code).map_or(code, |r| r.nama.as_str());
    let what = t(&ind.title);
    let args = [("indikator", what.as_str()), ("wilayah", name)];
    let title = match kind {
        ChartKind::Line => format!("{what}, {name}"),
        ChartKind::Split => tf("{indikator} menurut dimensi, {wilayah}", &args),
        ChartKind::Children => tf("{indikator} di {wilayah} menurut wilayah", &args),
        ChartKind::Map => tf(
            "Peta {indikator} di {wilayah}",
            &[
                ("indikator", &charts::describe::decapitalise(&what)),
                ("wilayah", name),
            ],
        ),
    };
    let file = |f| urls::region_chart(site, code, ind, kind, f);
    let svg = file(ChartFile::Svg);
    let embed = format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"640\" height=\"480\" loading=\"lazy\" style=\"border:0;max-width:100%\"></iframe>",
        urls::absolute(&site.config.base_url, &svg),
        charts::style::esc(&title)
    );
    Some(ChartLinks {
        png: if kind.has_png(site) {
            file(ChartFile::Png)
        } else {
            String::new()
        },
        svg,
        embed,
    })
}
