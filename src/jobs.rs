//! The output list: one job per file the site contains, each rendered on its own from the shared model.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;
use tera::{Context, Value};

use crate::charts;
use crate::content::Section;
use crate::data::dataset::{Cell, Role};
use crate::data::registry::NATION;
use crate::diagnostic::Diagnostic;
use crate::downloads::{Field, Table};
use crate::figures;
use crate::figures::ChartKind;
use crate::model::indicator::{bare_value, format_value};
use crate::model::{Indicator, Site, page_url, region_url};
use crate::render::Templates;
use crate::render::values::{Link, PageValue, RegionRef, region_ref};

/// A download format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Xlsx,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Csv, Format::Json, Format::Xlsx];
    pub fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
        }
    }
}

/// A chart download format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFile {
    Svg,
    Png,
}

/// One output file.
#[derive(Debug, Clone)]
pub enum Job {
    Home,
    /// A list page of a section (1-based page number).
    SectionList(Section, usize),
    Page(usize),
    TagIndex,
    Tag(String),
    RegionIndex,
    Region(String),
    RegionDownload(String, Format),
    /// A region's indicator chart (over time, its children as bars, or as a map) for download, as a standalone SVG or a PNG.
    RegionChart(String, usize, ChartKind, ChartFile),
    IndicatorIndex,
    Indicator(usize),
    IndicatorDownload(usize, Format),
    Catalog,
    Dataset(usize),
    DatasetDownload(usize, Format),
    DatasetDescriptor(usize),
    Sitemap,
    Feed,
    NotFound,
    Robots,
    /// A static file copied as is: source, output path.
    Static(crate::theme::Source, String),
}

/// Everything shared by all jobs: the model, the templates and the values serialised once.
pub struct Renderer<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
    pub pages: Vec<Value>,
    pub page_values: Vec<PageValue>,
    pub statics: Vec<(crate::theme::Source, String)>,
    /// The previous output folder: a chart PNG whose SVG there is byte-identical is reused, not rasterised again.
    pub previous: Option<std::path::PathBuf>,
}

impl Job {
    /// The kind of output, for timings and summaries.
    pub fn kind(&self) -> &'static str {
        match self {
            Job::Home => "beranda",
            Job::SectionList(..) => "daftar",
            Job::Page(_) => "halaman",
            Job::TagIndex | Job::Tag(_) => "topik",
            Job::RegionIndex => "daftar wilayah",
            Job::Region(_) => "halaman wilayah",
            Job::RegionDownload(..) => "unduhan wilayah",
            Job::RegionChart(_, _, _, ChartFile::Svg) => "grafik SVG",
            Job::RegionChart(_, _, _, ChartFile::Png) => "grafik PNG",
            Job::IndicatorIndex => "daftar indikator",
            Job::Indicator(_) => "halaman indikator",
            Job::IndicatorDownload(..) => "unduhan indikator",
            Job::Catalog => "katalog",
            Job::Dataset(_) | Job::DatasetDescriptor(_) => "halaman dataset",
            Job::DatasetDownload(..) => "unduhan dataset",
            Job::Sitemap | Job::Feed | Job::NotFound | Job::Robots => "lain-lain",
            Job::Static(..) => "statis",
        }
    }
}

/// Lists every file of the site.
pub fn list(r: &Renderer<'_>) -> Vec<Job> {
    let site = r.site;
    let mut jobs = vec![
        Job::Home,
        Job::NotFound,
        Job::Robots,
        Job::Sitemap,
        Job::Feed,
    ];
    for s in [
        Section::Berita,
        Section::Agenda,
        Section::Program,
        Section::Galeri,
    ] {
        let n = site.section(s).count();
        let per = if s == Section::Berita {
            site.config.paginate
        } else {
            usize::MAX
        };
        let pages = n.div_ceil(per).max(1);
        jobs.extend((1..=pages).map(|i| Job::SectionList(s, i)));
    }
    for (i, p) in site.pages.iter().enumerate() {
        if p.section != Section::Home {
            jobs.push(Job::Page(i));
        }
    }
    jobs.push(Job::TagIndex);
    jobs.extend(site.tags.keys().map(|t| Job::Tag(t.clone())));
    jobs.push(Job::RegionIndex);
    for code in &site.region_pages {
        jobs.push(Job::Region(code.clone()));
        if site.region_datasets.contains_key(code) {
            jobs.extend(Format::ALL.map(|f| Job::RegionDownload(code.clone(), f)));
        }
        for (i, ind) in site.indicators.iter().enumerate() {
            for kind in ChartKind::ALL {
                if figures::has_chart(site, ind, code, kind) {
                    jobs.push(Job::RegionChart(code.clone(), i, kind, ChartFile::Svg));
                    jobs.push(Job::RegionChart(code.clone(), i, kind, ChartFile::Png));
                }
            }
        }
    }
    jobs.push(Job::IndicatorIndex);
    for i in 0..site.indicators.len() {
        jobs.push(Job::Indicator(i));
        jobs.extend(Format::ALL.map(|f| Job::IndicatorDownload(i, f)));
    }
    jobs.push(Job::Catalog);
    for i in 0..site.datasets.len() {
        jobs.push(Job::Dataset(i));
        jobs.push(Job::DatasetDescriptor(i));
        jobs.extend(Format::ALL.map(|f| Job::DatasetDownload(i, f)));
    }
    jobs.extend(
        r.statics
            .iter()
            .map(|(s, d)| Job::Static(s.clone(), d.clone())),
    );
    jobs
}

/// `berita/x/` → `berita/x/index.html`.
fn html_path(url: &str) -> String {
    let t = url.trim_matches('/');
    if t.is_empty() {
        "index.html".to_string()
    } else {
        format!("{t}/index.html")
    }
}

fn list_url(s: Section, n: usize) -> String {
    if n <= 1 {
        format!("/{}/", s.dir())
    } else {
        format!("/{}/halaman/{n}/", s.dir())
    }
}

/// A row of a figures table.
#[derive(Serialize)]
struct TableRow {
    label: String,
    cells: Vec<String>,
}

/// A table ready for a template: caption, column heads, rows.
#[derive(Serialize)]
struct TableValue {
    caption: String,
    columns: Vec<String>,
    /// Per column: holds numbers (right-aligned, never wrapped).
    numeric: Vec<bool>,
    rows: Vec<TableRow>,
}

/// A ranked value for bar lists.
#[derive(Serialize, Clone)]
struct Ranked {
    region: RegionRef,
    value: f64,
    formatted: String,
    /// The number alone, for tables whose head names the unit.
    bare: String,
    /// The unit for that head ("%", "jiwa", "rupiah/kapita/bulan").
    unit: String,
    /// Bar length in percent of the largest value in the group.
    share: f64,
    /// 1 = highest; equal values share a rank and the next one skips (1, 2, 2, 4).
    rank: usize,
    highlight: bool,
}

impl Renderer<'_> {
    fn ctx(&self, url: &str, title: &str) -> Context {
        let mut c = Context::new();
        c.insert("page_url", url);
        c.insert("page_title", title);
        c.insert("canonical", &format!("{}{url}", self.site.config.base()));
        c
    }

    fn html(&self, template: &str, ctx: &Context) -> Result<Vec<u8>, Diagnostic> {
        self.templates
            .tera
            .render(template, ctx)
            .map(String::into_bytes)
            .map_err(|e| crate::render::template_error(&self.templates.origin, &e))
    }

    /// Renders one job to its output path and bytes.
    pub fn render(&self, job: &Job) -> Result<(String, Vec<u8>), Diagnostic> {
        let site = self.site;
        match job {
            Job::Home => {
                let mut c = self.ctx("/", &site.config.title);
                let news: Vec<&Value> = site
                    .section(Section::Berita)
                    .map(|(i, _)| &self.pages[i])
                    .collect();
                c.insert("latest", &news.iter().take(6).collect::<Vec<_>>());
                let picks: Vec<&Value> = site
                    .section(Section::Berita)
                    .filter(|(_, p)| p.pilihan)
                    .map(|(i, _)| &self.pages[i])
                    .take(3)
                    .collect();
                c.insert("picks", &picks);
                let mut upcoming: Vec<&PageValue> = site
                    .section(Section::Agenda)
                    .map(|(i, _)| &self.page_values[i])
                    .filter(|p| p.upcoming)
                    .collect();
                upcoming.sort_by(|a, b| a.start.cmp(&b.start));
                c.insert("upcoming", &upcoming);
                let programs: Vec<&Value> = self
                    .programs_sorted()
                    .into_iter()
                    .map(|i| &self.pages[i])
                    .collect();
                c.insert("programs", &programs);
                let intro = site
                    .section(Section::Home)
                    .next()
                    .map(|(i, _)| self.pages[i].clone())
                    .unwrap_or(Value::none());
                c.insert("intro", &intro);
                let highlights: Vec<serde_json::Value> = site
                    .indicators
                    .iter()
                    .filter_map(|ind| {
                        let h = ind.headline(&site.registry, NATION)?;
                        Some(json!({"title": ind.title, "url": format!("/indikator/{}/", ind.slug), "headline": h}))
                    })
                    .collect();
                c.insert("highlights", &highlights);
                let home_map = site.indicators.iter().find(|i| i.unit == "persen").and_then(|ind| {
                    let p = figures::children_period(ind, site, NATION)?;
                    let rows = self.ranked_children(ind, NATION, &p, None);
                    Some(json!({"svg": figures::map_svg(site, ind, NATION, &p, "peta-beranda")?, "title": ind.title, "url": format!("/indikator/{}/", ind.slug), "period": p.label(), "rows": rows}))
                });
                c.insert("home_map", &home_map);
                c.insert(
                    "media",
                    &site
                        .section(Section::Galeri)
                        .map(|(i, _)| &self.pages[i])
                        .take(3)
                        .collect::<Vec<_>>(),
                );
                Ok(("index.html".into(), self.html("index.html", &c)?))
            }
            Job::SectionList(s, n) => {
                let items: Vec<usize> = if *s == Section::Program {
                    self.programs_sorted()
                } else {
                    site.section(*s).map(|(i, _)| i).collect()
                };
                let per = if *s == Section::Berita {
                    site.config.paginate
                } else {
                    items.len().max(1)
                };
                let total = items.len().div_ceil(per).max(1);
                let slice: Vec<&Value> = items
                    .iter()
                    .skip((n - 1) * per)
                    .take(per)
                    .map(|&i| &self.pages[i])
                    .collect();
                let url = list_url(*s, *n);
                let title = section_title(*s);
                let mut c = self.ctx(
                    &url,
                    &if *n > 1 {
                        format!("{title} – halaman {n}")
                    } else {
                        title.to_string()
                    },
                );
                c.insert("section", s);
                c.insert("section_title", title);
                c.insert("items", &slice);
                if *s == Section::Agenda {
                    let mut up: Vec<&PageValue> = items
                        .iter()
                        .map(|&i| &self.page_values[i])
                        .filter(|p| p.upcoming)
                        .collect();
                    up.sort_by(|a, b| a.start.cmp(&b.start));
                    let mut past: Vec<&PageValue> = items
                        .iter()
                        .map(|&i| &self.page_values[i])
                        .filter(|p| !p.upcoming)
                        .collect();
                    past.sort_by(|a, b| b.start.cmp(&a.start));
                    c.insert("upcoming", &up);
                    c.insert("past", &past);
                }
                c.insert(
                    "pagination",
                    &json!({
                        "current": n, "total": total,
                        "prev": if *n > 1 { list_url(*s, n - 1) } else { String::new() },
                        "next": if *n < total { list_url(*s, n + 1) } else { String::new() },
                    }),
                );
                Ok((html_path(&url), self.html("section.html", &c)?))
            }
            Job::Page(i) => {
                let p = &site.pages[*i];
                let url = page_url(p);
                let mut c = self.ctx(&url, &p.title);
                c.insert("page", &self.pages[*i]);
                // Related: for programmes, what links to them; for others, same tags/regions.
                let related: Vec<&Value> = if p.section == Section::Program {
                    site.pages
                        .iter()
                        .enumerate()
                        .filter(|(_, q)| q.program.contains(&p.slug))
                        .map(|(j, _)| &self.pages[j])
                        .collect()
                } else {
                    site.pages
                        .iter()
                        .enumerate()
                        .filter(|(j, q)| {
                            *j != *i
                                && q.section == Section::Berita
                                && (q.tags.iter().any(|t| p.tags.contains(t))
                                    || q.wilayah.iter().any(|w| p.wilayah.contains(w)))
                        })
                        .map(|(j, _)| &self.pages[j])
                        .take(4)
                        .collect()
                };
                c.insert("related", &related);
                let latest: Vec<&Value> = site
                    .section(Section::Berita)
                    .filter(|(j, _)| j != i)
                    .map(|(j, _)| &self.pages[j])
                    .take(5)
                    .collect();
                c.insert("latest", &latest);
                Ok((html_path(&url), self.html("page.html", &c)?))
            }
            Job::TagIndex => {
                let mut c = self.ctx("/tag/", "Topik");
                let tags: Vec<serde_json::Value> = site.tags.iter().map(|(slug, (name, ps))| json!({"name": name, "url": format!("/tag/{slug}/"), "count": ps.len()})).collect();
                c.insert("tags", &tags);
                Ok(("tag/index.html".into(), self.html("tags.html", &c)?))
            }
            Job::Tag(slug) => {
                let (name, ps) = &site.tags[slug];
                let url = format!("/tag/{slug}/");
                let mut c = self.ctx(&url, &format!("Topik: {name}"));
                c.insert("tag", name);
                c.insert(
                    "items",
                    &ps.iter().map(|&i| &self.pages[i]).collect::<Vec<_>>(),
                );
                Ok((html_path(&url), self.html("tag.html", &c)?))
            }
            Job::RegionIndex => {
                let mut c = self.ctx("/wilayah/", "Wilayah");
                c.insert("tree", &self.region_tree(NATION));
                Ok(("wilayah/index.html".into(), self.html("regions.html", &c)?))
            }
            Job::Region(code) => self.region_page(code),
            Job::RegionDownload(code, f) => {
                let t = self.region_table(code);
                let base = region_url(&site.registry, code);
                let name = site
                    .registry
                    .get(code)
                    .map_or(code.as_str(), |r| r.nama.as_str());
                let bytes = self.download(&t, *f, name, &format!("Data {name}"))?;
                Ok((
                    format!("{}data.{}", base.trim_start_matches('/'), f.ext()),
                    bytes,
                ))
            }
            Job::RegionChart(code, i, chart, kind) => {
                let ind = &site.indicators[*i];
                let url = region_url(&site.registry, code);
                let base = format!(
                    "{}{}{}",
                    url.trim_start_matches('/'),
                    ind.slug,
                    chart.suffix()
                );
                let (inner, title) =
                    figures::region_chart(site, ind, code, *chart).ok_or_else(|| {
                        Diagnostic::error(format!("{base}.svg"), "grafik ini tidak punya data")
                    })?;
                let svg = charts::standalone(
                    &inner,
                    &title,
                    &format!("{}, diolah {}", ind.source, site.config.title),
                    &format!("{}{url}", site.config.base()),
                );
                match kind {
                    ChartFile::Svg => Ok((format!("{base}.svg"), svg.into_bytes())),
                    ChartFile::Png => {
                        if let Some(png) = self.reuse_png(&base, &svg) {
                            return Ok((format!("{base}.png"), png));
                        }
                        let png = charts::to_png(&svg, figures::PNG_WIDTH).map_err(|e| {
                            Diagnostic::error(
                                format!("{base}.png"),
                                format!("gagal membuat PNG: {e}"),
                            )
                        })?;
                        Ok((format!("{base}.png"), png))
                    }
                }
            }
            Job::IndicatorIndex => {
                let mut c = self.ctx("/indikator/", "Indikator");
                let list: Vec<serde_json::Value> = site
                    .indicators
                    .iter()
                    .map(|ind| {
                        json!({"title": ind.title, "url": format!("/indikator/{}/", ind.slug), "unit": ind.unit,
                               "description": ind.description, "headline": ind.headline(&site.registry, NATION),
                               "regions": ind.series.len(), "first": ind.periods.first(), "last": ind.periods.last()})
                    })
                    .collect();
                c.insert("indicators", &list);
                Ok((
                    "indikator/index.html".into(),
                    self.html("indicators.html", &c)?,
                ))
            }
            Job::Indicator(i) => self.indicator_page(*i),
            Job::IndicatorDownload(i, f) => {
                let ind = &site.indicators[*i];
                let t = self.indicator_table(ind);
                let bytes = self.download(&t, *f, &ind.title, &ind.title)?;
                Ok((
                    format!("indikator/{}/{}.{}", ind.slug, ind.slug, f.ext()),
                    bytes,
                ))
            }
            Job::Catalog => {
                let mut c = self.ctx("/data/", "Katalog data");
                let list: Vec<serde_json::Value> = site
                    .datasets
                    .iter()
                    .map(|d| self.dataset_summary(d))
                    .collect();
                c.insert("datasets", &list);
                Ok(("data/index.html".into(), self.html("catalog.html", &c)?))
            }
            Job::Dataset(i) => self.dataset_page(*i),
            Job::DatasetDownload(i, f) => {
                let d = &site.datasets[*i];
                let t = dataset_table(site, d);
                let bytes = self.download(&t, *f, &d.title, &d.title)?;
                Ok((format!("data/{}/{}.{}", d.slug, d.slug, f.ext()), bytes))
            }
            Job::DatasetDescriptor(i) => {
                let d = &site.datasets[*i];
                let mut pkg = d.package.clone();
                if let Some(res) = pkg.resources.first_mut() {
                    res.path = Some(serde_json::Value::String(format!("{}.csv", d.slug)));
                    res.dialect = Default::default();
                    if let Some(schema) = res.schema.as_mut() {
                        for f in &mut schema.fields {
                            f.decimal_char = None;
                            f.group_char = None;
                        }
                        schema.missing_values = vec![String::new()];
                    }
                }
                let mut bytes = serde_json::to_vec_pretty(&pkg)
                    .map_err(|e| Diagnostic::error(&d.descriptor_file, e.to_string()))?;
                bytes.push(b'\n');
                Ok((format!("data/{}/datapackage.json", d.slug), bytes))
            }
            Job::Sitemap => {
                let mut urls: Vec<String> = vec!["/".into()];
                for j in list(self) {
                    match j {
                        Job::Page(i) => urls.push(page_url(&site.pages[i])),
                        Job::Region(c) => urls.push(region_url(&site.registry, &c)),
                        Job::Indicator(i) => {
                            urls.push(format!("/indikator/{}/", site.indicators[i].slug))
                        }
                        Job::Dataset(i) => urls.push(format!("/data/{}/", site.datasets[i].slug)),
                        Job::SectionList(s, n) => urls.push(list_url(s, n)),
                        _ => {}
                    }
                }
                let mut c = Context::new();
                c.insert("urls", &urls);
                Ok(("sitemap.xml".into(), self.html("sitemap.xml", &c)?))
            }
            Job::Feed => {
                let mut c = Context::new();
                let items: Vec<&Value> = site
                    .section(Section::Berita)
                    .map(|(i, _)| &self.pages[i])
                    .take(20)
                    .collect();
                c.insert("items", &items);
                let updated = site
                    .section(Section::Berita)
                    .next()
                    .and_then(|(_, p)| p.date)
                    .map(|d| d.iso())
                    .unwrap_or_default();
                c.insert("updated", &updated);
                Ok(("feed.xml".into(), self.html("feed.xml", &c)?))
            }
            Job::NotFound => {
                let c = self.ctx("/404.html", "Halaman tidak ditemukan");
                Ok(("404.html".into(), self.html("404.html", &c)?))
            }
            Job::Robots => Ok((
                "robots.txt".into(),
                format!(
                    "User-agent: *\nAllow: /\nSitemap: {}/sitemap.xml\n",
                    site.config.base()
                )
                .into_bytes(),
            )),
            Job::Static(src, dst) => {
                let bytes = src.read().map_err(|e| {
                    Diagnostic::error(
                        src.shown(&std::path::PathBuf::new()),
                        format!("tidak bisa membaca berkas statis: {e}"),
                    )
                })?;
                Ok((dst.clone(), bytes))
            }
        }
    }

    /// The SVG and PNG files and an embed snippet of one chart of a region's indicator, or null when it has none.
    fn chart_files(&self, ind: &Indicator, code: &str, kind: ChartKind) -> serde_json::Value {
        let site = self.site;
        if !site.region_pages.contains(code) || !figures::has_chart(site, ind, code, kind) {
            return serde_json::Value::Null;
        }
        let name = site.registry.get(code).map_or(code, |r| r.nama.as_str());
        let title = match kind {
            ChartKind::Line => format!("{}, {name}", ind.title),
            ChartKind::Children => format!("{} di {name} menurut wilayah", ind.title),
            ChartKind::Map => format!(
                "Peta {} di {name}",
                charts::describe::decapitalise(&ind.title)
            ),
        };
        let file = format!(
            "{}{}{}",
            region_url(&site.registry, code),
            ind.slug,
            kind.suffix()
        );
        let embed = format!(
            "<iframe src=\"{}{file}.svg\" title=\"{}\" width=\"640\" height=\"480\" loading=\"lazy\" style=\"border:0;max-width:100%\"></iframe>",
            site.config.base(),
            charts::style::esc(&title)
        );
        json!({"svg": format!("{file}.svg"), "png": format!("{file}.png"), "embed": embed})
    }

    /// The PNG of the previous build when its SVG source is unchanged (PNGs are a pure function of the SVG).
    fn reuse_png(&self, base: &str, svg: &str) -> Option<Vec<u8>> {
        let prev = self.previous.as_ref()?;
        let old_svg = std::fs::read(prev.join(format!("{base}.svg"))).ok()?;
        if old_svg != svg.as_bytes() {
            return None;
        }
        let png = std::fs::read(prev.join(format!("{base}.png"))).ok()?;
        png.starts_with(b"\x89PNG").then_some(png)
    }

    fn programs_sorted(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .site
            .section(Section::Program)
            .map(|(i, _)| i)
            .collect();
        v.sort_by(|&a, &b| {
            let (pa, pb) = (&self.site.pages[a], &self.site.pages[b]);
            (pa.weight, &pa.title).cmp(&(pb.weight, &pb.title))
        });
        v
    }

    fn download(
        &self,
        t: &Table,
        f: Format,
        title: &str,
        sheet: &str,
    ) -> Result<Vec<u8>, Diagnostic> {
        let site = self.site;
        Ok(match f {
            Format::Csv => t.to_csv(),
            Format::Json => t.to_json(json!({"judul": title, "situs": site.config.title, "alamat": site.config.base_url, "sumber": self.sources_line()})),
            Format::Xlsx => t
                .to_xlsx(sheet, &[("Judul", title.to_string()), ("Sumber", self.sources_line()), ("Situs", site.config.base_url.clone())])
                .map_err(|e| Diagnostic::error("xlsx", format!("gagal menulis XLSX: {e}")))?,
        })
    }

    fn sources_line(&self) -> String {
        let mut v: Vec<String> = self
            .site
            .datasets
            .iter()
            .map(|d| d.source_line())
            .filter(|s| !s.is_empty())
            .collect();
        v.sort();
        v.dedup();
        v.join("; ")
    }

    fn region_tree(&self, code: &str) -> serde_json::Value {
        let site = self.site;
        let r = region_ref(site, code);
        let children: Vec<serde_json::Value> = site
            .registry
            .get(code)
            .map(|reg| {
                reg.children
                    .iter()
                    .filter(|c| site.region_pages.contains(*c))
                    .map(|c| self.region_tree(c))
                    .collect()
            })
            .unwrap_or_default();
        json!({"region": r, "children": children})
    }

    fn region_page(&self, code: &str) -> Result<(String, Vec<u8>), Diagnostic> {
        let site = self.site;
        let reg = &site.registry;
        let region = reg.get(code).ok_or_else(|| {
            Diagnostic::error("data/wilayah.csv", format!("wilayah {code} hilang"))
        })?;
        let url = region_url(reg, code);
        let mut c = self.ctx(&url, &region.nama);
        c.insert("region", &region_ref(site, code));
        let crumbs: Vec<RegionRef> = reg
            .ancestors(code)
            .iter()
            .filter(|a| a.kode != code)
            .map(|a| region_ref(site, &a.kode))
            .collect();
        c.insert("breadcrumbs", &crumbs);
        let children: Vec<RegionRef> = region
            .children
            .iter()
            .filter(|k| site.region_pages.contains(*k))
            .map(|k| region_ref(site, k))
            .collect();
        c.insert("children", &children);
        let mut indicators = Vec::new();
        for ind in &site.indicators {
            let Some(h) = ind.headline(reg, code) else {
                continue;
            };
            // The region, and for rates its province and the nation.
            let chain = figures::comparison_chain(site, ind, code);
            let periods = figures::chart_periods(ind, &chain);
            let table = TableValue {
                caption: format!(
                    "{} ({}), {}",
                    ind.title,
                    unit_label(&ind.unit),
                    names(site, &chain)
                ),
                columns: chain
                    .iter()
                    .map(|k| reg.get(k).map_or(k.to_string(), |r| r.nama.clone()))
                    .collect(),
                numeric: vec![true; chain.len()],
                rows: periods
                    .iter()
                    .rev()
                    .map(|p| TableRow {
                        label: p.label(),
                        cells: chain
                            .iter()
                            .map(|k| {
                                ind.value(k, p).map_or_else(
                                    || "–".to_string(),
                                    |v| bare_value(ind.decimals, v),
                                )
                            })
                            .collect(),
                    })
                    .collect(),
            };
            let line = figures::region_line(site, ind, code);
            let chart = charts::line_chart(&line);
            let kids_period = figures::children_period(ind, site, code);
            let (kids, kids_chart, map) = match &kids_period {
                Some(p) => (
                    self.ranked_children(ind, code, p, None),
                    figures::children_bars(site, ind, code, p, &format!("anak-{}", ind.slug), None)
                        .map(|b| charts::bar_chart(&b)),
                    figures::map_svg(site, ind, code, p, &format!("peta-{}", ind.slug)),
                ),
                None => (Vec::new(), None, None),
            };
            indicators.push(json!({
                "slug": ind.slug, "title": ind.title, "url": format!("/indikator/{}/", ind.slug), "unit": ind.unit,
                "lower_is_better": ind.lower_is_better, "source": ind.source, "headline": h, "table": table,
                "children": kids, "children_period": kids_period.map(|p| p.label()).unwrap_or_default(),
                "chart": chart, "chart_desc": line.desc,
                "chart_files": self.chart_files(ind, code, ChartKind::Line),
                "children_files": self.chart_files(ind, code, ChartKind::Children),
                "map_files": self.chart_files(ind, code, ChartKind::Map),
                "children_chart": kids_chart, "map": map,
            }));
        }
        c.insert("indicators", &indicators);
        // Figures from datasets that are not indicators (programme data by stage, budgets …).
        let mut other = Vec::new();
        for &di in site.region_datasets.get(code).into_iter().flatten() {
            let d = &site.datasets[di];
            if site.indicators.iter().any(|i| i.dataset == di) {
                continue;
            }
            let Some(r) = d.region else { continue };
            let cols: Vec<usize> = (0..d.fields.len()).filter(|&f| f != r).collect();
            let rows: Vec<TableRow> = d
                .rows
                .iter()
                .filter(|row| matches!(&row.cells[r], Cell::Text(k) if k == code))
                .map(|row| TableRow {
                    label: String::new(),
                    cells: cols
                        .iter()
                        .map(|&f| show_cell(&d.fields[f], &row.cells[f]))
                        .collect(),
                })
                .collect();
            other.push(json!({
                "title": d.title, "url": format!("/data/{}/", d.slug), "source": d.source_line(),
                "table": TableValue { caption: format!("{} – {}", d.title, region.nama), columns: cols.iter().map(|&f| d.fields[f].title.clone()).collect(), numeric: cols.iter().map(|&f| d.fields[f].role == Role::Measure).collect(), rows },
            }));
        }
        c.insert("datasets", &other);
        let related: Vec<&Value> = site
            .pages_for_region(code)
            .into_iter()
            .filter(|&i| site.pages[i].section != Section::Home)
            .map(|i| &self.pages[i])
            .take(8)
            .collect();
        c.insert("related", &related);
        let has_data = site.region_datasets.contains_key(code);
        c.insert(
            "downloads",
            &if has_data {
                Format::ALL
                    .iter()
                    .map(|f| Link {
                        name: f.ext().to_uppercase(),
                        url: format!("{url}data.{}", f.ext()),
                    })
                    .collect()
            } else {
                Vec::new()
            },
        );
        let sources = {
            let mut v: Vec<String> = site
                .region_datasets
                .get(code)
                .into_iter()
                .flatten()
                .map(|&d| site.datasets[d].source_line())
                .filter(|s| !s.is_empty())
                .collect();
            v.sort();
            v.dedup();
            v.join("; ")
        };
        c.insert("sources", &sources);
        Ok((html_path(&url), self.html("region.html", &c)?))
    }

    /// The children of `code` with a value in `period`, highest first, with bar shares on a shared scale.
    fn ranked_children(
        &self,
        ind: &Indicator,
        code: &str,
        period: &crate::data::period::Period,
        highlight: Option<&str>,
    ) -> Vec<Ranked> {
        let site = self.site;
        let Some(region) = site.registry.get(code) else {
            return Vec::new();
        };
        let mut v: Vec<Ranked> = region
            .children
            .iter()
            .filter_map(|k| {
                let value = ind.value(k, period)?;
                Some(Ranked {
                    region: region_ref(site, k),
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
            let r = &mut v[i];
            r.share = if max > 0.0 {
                (r.value / max * 1000.0).round() / 10.0
            } else {
                0.0
            };
        }
        v
    }

    /// Every figure about a region, tidy: one value per row.
    fn region_table(&self, code: &str) -> Table {
        let site = self.site;
        let mut t = Table::new(&[
            "dataset",
            "kode_wilayah",
            "nama_wilayah",
            "tahun",
            "periode",
            "dimensi",
            "ukuran",
            "nilai",
            "satuan",
        ]);
        let nama = site.registry.get(code).map_or("", |r| r.nama.as_str());
        for &di in site.region_datasets.get(code).into_iter().flatten() {
            let d = &site.datasets[di];
            let Some(r) = d.region else { continue };
            for row in d
                .rows
                .iter()
                .filter(|row| matches!(&row.cells[r], Cell::Text(k) if k == code))
            {
                let dims: Vec<String> = d
                    .dimensions()
                    .map(|(i, f)| format!("{}={}", f.name, row.cells[i].plain()))
                    .collect();
                for (mi, m) in d.measures() {
                    let (year, per) = match &row.period {
                        Some(p) => (p.year.to_string(), p.name.clone()),
                        None => (String::new(), String::new()),
                    };
                    t.rows.push(vec![
                        Field::Text(d.slug.clone()),
                        Field::Text(code.to_string()),
                        Field::Text(nama.to_string()),
                        Field::Text(year),
                        Field::Text(per),
                        Field::Text(dims.join("; ")),
                        Field::Text(m.name.clone()),
                        row.cells[mi].as_f64().map_or(Field::Empty, Field::Num),
                        Field::Text(m.unit.clone()),
                    ]);
                }
            }
        }
        t
    }

    fn indicator_table(&self, ind: &Indicator) -> Table {
        let site = self.site;
        let mut t = Table::new(&[
            "kode_wilayah",
            "nama_wilayah",
            "jenis",
            "tahun",
            "periode",
            &ind.field,
        ]);
        for (code, series) in &ind.series {
            let r = site.registry.get(code);
            for (p, v) in series {
                t.rows.push(vec![
                    Field::Text(code.clone()),
                    Field::Text(r.map_or_else(String::new, |r| r.nama.clone())),
                    Field::Text(r.map_or("", |r| r.jenis.key()).to_string()),
                    Field::Num(f64::from(p.year)),
                    Field::Text(p.name.clone()),
                    Field::Num(*v),
                ]);
            }
        }
        t
    }

    fn indicator_page(&self, i: usize) -> Result<(String, Vec<u8>), Diagnostic> {
        let site = self.site;
        let reg = &site.registry;
        let ind = &site.indicators[i];
        let url = format!("/indikator/{}/", ind.slug);
        let mut c = self.ctx(&url, &ind.title);
        // The latest period that has values for provinces (or, failing that, any region).
        let latest = ind
            .periods
            .iter()
            .rev()
            .find(|p| {
                reg.get(NATION).is_some_and(|n| {
                    n.children
                        .iter()
                        .filter(|k| ind.value(k, p).is_some())
                        .count()
                        >= 2
                })
            })
            .or(ind.periods.last())
            .cloned();
        let mut provinces = Vec::new();
        let mut groups = Vec::new();
        if let Some(p) = &latest {
            provinces = self.ranked_children(ind, NATION, p, None);
            // Kab/kota of each province on one shared scale, at the latest period each has.
            let mut global_max: f64 = 0.0;
            let mut raw = Vec::new();
            for prov in reg
                .get(NATION)
                .map(|n| n.children.clone())
                .unwrap_or_default()
            {
                let Some(pr) = reg.get(&prov) else { continue };
                let period = ind
                    .periods
                    .iter()
                    .rev()
                    .find(|pp| pr.children.iter().any(|k| ind.value(k, pp).is_some()))
                    .cloned();
                let Some(period) = period else { continue };
                let kids = self.ranked_children(ind, &prov, &period, None);
                if kids.is_empty() {
                    continue;
                }
                global_max = kids.iter().map(|k| k.value).fold(global_max, f64::max);
                raw.push((prov, period, kids));
            }
            for (prov, period, mut kids) in raw {
                for k in &mut kids {
                    k.share = if global_max > 0.0 {
                        (k.value / global_max * 1000.0).round() / 10.0
                    } else {
                        0.0
                    };
                }
                let id = format!("kab-{}", prov.replace('.', "-"));
                let chart =
                    figures::children_bars(site, ind, &prov, &period, &id, Some(global_max))
                        .map(|b| charts::bar_chart(&b));
                let map = figures::map_svg(site, ind, &prov, &period, &format!("peta-{id}"));
                groups.push(json!({"region": region_ref(site, &prov), "period": period.label(), "children": kids, "chart": chart, "map": map,
                    "files": self.chart_files(ind, &prov, ChartKind::Children), "map_files": self.chart_files(ind, &prov, ChartKind::Map)}));
            }
        }
        c.insert("indicator", &json!({
            "slug": ind.slug, "title": ind.title, "description": ind.description, "unit": ind.unit, "unit_label": unit_label(&ind.unit),
            "lower_is_better": ind.lower_is_better, "source": ind.source, "dataset_url": format!("/data/{}/", ind.dataset_slug),
            "dataset_title": site.datasets[ind.dataset].title,
        }));
        c.insert(
            "latest",
            &latest.as_ref().map(|p| p.label()).unwrap_or_default(),
        );
        c.insert("provinces", &provinces);
        c.insert("groups", &groups);
        if let Some(p) = &latest {
            c.insert(
                "provinces_chart",
                &figures::children_bars(site, ind, NATION, p, "provinsi", None)
                    .map(|b| charts::bar_chart(&b)),
            );
            c.insert(
                "map",
                &figures::map_svg(site, ind, NATION, p, "peta-provinsi"),
            );
        } else {
            c.insert("provinces_chart", &None::<String>);
            c.insert("map", &None::<String>);
        }
        let national_chart = ind
            .series
            .contains_key(NATION)
            .then(|| charts::line_chart(&figures::region_line(site, ind, NATION)));
        c.insert("national_chart", &national_chart);
        c.insert(
            "national_files",
            &self.chart_files(ind, NATION, ChartKind::Line),
        );
        c.insert(
            "provinces_files",
            &self.chart_files(ind, NATION, ChartKind::Children),
        );
        c.insert("map_files", &self.chart_files(ind, NATION, ChartKind::Map));
        let national = TableValue {
            caption: format!("{} ({}), Indonesia", ind.title, unit_label(&ind.unit)),
            columns: vec!["Indonesia".into()],
            numeric: vec![true],
            rows: ind
                .series
                .get(NATION)
                .map(|s| {
                    s.iter()
                        .rev()
                        .map(|(p, v)| TableRow {
                            label: p.label(),
                            cells: vec![bare_value(ind.decimals, *v)],
                        })
                        .collect()
                })
                .unwrap_or_default(),
        };
        c.insert("national", &national);
        c.insert("national_headline", &ind.headline(reg, NATION));
        // Full table: every region's latest value and its change.
        let all: Vec<serde_json::Value> = ind
            .series
            .keys()
            .filter_map(|k| {
                let h = ind.headline(reg, k)?;
                let r = region_ref(site, k);
                let level = reg.get(k).map_or(9, |x| x.jenis.level());
                Some(json!({"region": r, "level": level, "headline": h}))
            })
            .collect();
        c.insert("all", &all);
        c.insert(
            "downloads",
            &Format::ALL
                .iter()
                .map(|f| Link {
                    name: f.ext().to_uppercase(),
                    url: format!("{url}{}.{}", ind.slug, f.ext()),
                })
                .collect::<Vec<_>>(),
        );
        Ok((html_path(&url), self.html("indicator.html", &c)?))
    }

    fn dataset_summary(&self, d: &crate::data::dataset::Dataset) -> serde_json::Value {
        let regions: std::collections::BTreeSet<String> = d
            .region
            .map(|r| {
                d.rows
                    .iter()
                    .filter_map(|row| {
                        if let Cell::Text(k) = &row.cells[r] {
                            Some(k.clone())
                        } else {
                            None
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let periods: Vec<String> = {
            let mut v: Vec<_> = d.rows.iter().filter_map(|r| r.period.clone()).collect();
            v.sort();
            v.dedup();
            match (v.first(), v.last()) {
                (Some(a), Some(b)) if a != b => vec![a.label(), b.label()],
                (Some(a), _) => vec![a.label()],
                _ => vec![],
            }
        };
        json!({
            "slug": d.slug, "title": d.title, "url": format!("/data/{}/", d.slug), "description": d.description,
            "rows": d.rows.len(), "regions": regions.len(), "periods": periods, "source": d.source_line(),
            "updated": d.updated.map(|x| x.indonesian()).unwrap_or_default(),
            "measures": d.measures().map(|(_, f)| f.title.clone()).collect::<Vec<_>>(),
        })
    }

    fn dataset_page(&self, i: usize) -> Result<(String, Vec<u8>), Diagnostic> {
        let site = self.site;
        let d = &site.datasets[i];
        let url = format!("/data/{}/", d.slug);
        let mut c = self.ctx(&url, &d.title);
        c.insert("dataset", &self.dataset_summary(d));
        let pkg = &d.package;
        c.insert("licenses", &pkg.licenses);
        c.insert("sources", &pkg.sources);
        c.insert("contributors", &pkg.contributors);
        c.insert("keywords", &pkg.keywords);
        c.insert(
            "created",
            &d.created.map(|x| x.indonesian()).unwrap_or_default(),
        );
        c.insert("fields", &d.fields);
        const PREVIEW: usize = 50;
        let columns: Vec<String> = d.fields.iter().map(|f| f.title.clone()).collect();
        let rows: Vec<TableRow> = d
            .rows
            .iter()
            .take(PREVIEW)
            .map(|row| TableRow {
                label: String::new(),
                cells: d
                    .fields
                    .iter()
                    .zip(&row.cells)
                    .map(|(f, cell)| show_cell(f, cell))
                    .collect(),
            })
            .collect();
        c.insert(
            "preview",
            &TableValue {
                caption: format!("{} (pratinjau)", d.title),
                columns,
                numeric: d.fields.iter().map(|f| f.role == Role::Measure).collect(),
                rows,
            },
        );
        c.insert("preview_limit", &PREVIEW.min(d.rows.len()));
        // Totals of each measure when the dataset is split by a dimension (e.g. PKH by stage).
        // Only money adds up across rows; counts of recipients per stage do not (the same family is paid each stage).
        let totals: Vec<serde_json::Value> = if d.dimensions().next().is_some() {
            d.measures()
                .filter(|(_, f)| f.unit == "rupiah")
                .map(|(mi, f)| {
                    let sum: f64 = d.rows.iter().filter_map(|r| r.cells[mi].as_f64()).sum();
                    json!({"title": f.title, "total": format_value(&f.unit, f.decimals, sum), "words": if f.unit == "rupiah" { crate::locale::rupiah(sum) } else { String::new() }})
                })
                .collect()
        } else {
            Vec::new()
        };
        c.insert("totals", &totals);
        let indicators: Vec<Link> = site
            .indicators
            .iter()
            .filter(|x| x.dataset == i)
            .map(|x| Link {
                name: x.title.clone(),
                url: format!("/indikator/{}/", x.slug),
            })
            .collect();
        c.insert("indicators", &indicators);
        let mut downloads: Vec<Link> = Format::ALL
            .iter()
            .map(|f| Link {
                name: f.ext().to_uppercase(),
                url: format!("{url}{}.{}", d.slug, f.ext()),
            })
            .collect();
        downloads.push(Link {
            name: "Data Package (JSON)".into(),
            url: format!("{url}datapackage.json"),
        });
        c.insert("downloads", &downloads);
        let regions: Vec<RegionRef> = d
            .region
            .map(|r| {
                let set: std::collections::BTreeSet<&str> = d
                    .rows
                    .iter()
                    .filter_map(|row| {
                        if let Cell::Text(k) = &row.cells[r] {
                            Some(k.as_str())
                        } else {
                            None
                        }
                    })
                    .collect();
                set.into_iter().map(|k| region_ref(site, k)).collect()
            })
            .unwrap_or_default();
        c.insert("regions", &regions);
        Ok((html_path(&url), self.html("dataset.html", &c)?))
    }
}

/// A dataset as a tidy download table, with region names beside codes.
fn dataset_table(site: &Site, d: &crate::data::dataset::Dataset) -> Table {
    let mut cols: Vec<String> = Vec::new();
    for (i, f) in d.fields.iter().enumerate() {
        cols.push(f.name.clone());
        if Some(i) == d.region {
            cols.push("nama_wilayah".into());
        }
    }
    let mut t = Table {
        columns: cols,
        rows: Vec::new(),
    };
    for row in &d.rows {
        let mut out = Vec::new();
        for (i, (f, cell)) in d.fields.iter().zip(&row.cells).enumerate() {
            out.push(match cell {
                Cell::Missing => Field::Empty,
                c if f.role == Role::Measure => c.as_f64().map_or(Field::Empty, Field::Num),
                c => Field::Text(c.plain()),
            });
            if Some(i) == d.region {
                let name = if let Cell::Text(k) = cell {
                    site.registry
                        .get(k)
                        .map_or(String::new(), |r| r.nama.clone())
                } else {
                    String::new()
                };
                out.push(Field::Text(name));
            }
        }
        t.rows.push(out);
    }
    t
}

fn show_cell(f: &crate::data::dataset::FieldInfo, c: &Cell) -> String {
    match c {
        Cell::Missing => "–".into(),
        c if f.role == Role::Measure => c
            .as_f64()
            .map_or_else(|| "–".into(), |v| format_value(&f.unit, f.decimals, v)),
        c => c.plain(),
    }
}

fn names(site: &Site, codes: &[&str]) -> String {
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

/// How a unit is written in captions.
pub fn unit_label(unit: &str) -> String {
    match unit {
        "persen" => "%".into(),
        "" => "nilai".into(),
        u => u.to_string(),
    }
}

fn section_title(s: Section) -> &'static str {
    match s {
        Section::Berita => "Berita",
        Section::Agenda => "Agenda",
        Section::Program => "Program",
        Section::Galeri => "Galeri",
        Section::Home | Section::Halaman => "Halaman",
    }
}

/// Static files of the theme and the site (site wins), as (source, output path).
pub fn statics(root: &std::path::Path, theme: &str) -> Vec<(crate::theme::Source, String)> {
    let mut map: BTreeMap<String, crate::theme::Source> = BTreeMap::new();
    map.extend(crate::theme::files(root, theme, "static"));
    let site_static = root.join("static");
    if site_static.is_dir() {
        map.extend(crate::theme::walk(&site_static));
    }
    map.into_iter()
        .filter(|(d, _)| crate::output::safe_relative(d) && !d.ends_with(".gitkeep"))
        .map(|(d, s)| (s, d))
        .collect()
}
