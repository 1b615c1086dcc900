//! The output list: one job per file of the site, grouped in families that each list and render their own.
//!
//! A family is a module with a `Job` enum (named fields), `list` and `render`. The dispatcher
//! here only chains the families' lists and routes each job to its family.

pub(crate) mod charts;
pub(crate) mod compare;
pub(crate) mod content;
pub(crate) mod datasets;
pub(crate) mod feeds;
pub(crate) mod indicators;
mod levels;
pub(crate) mod regions;
pub(crate) mod search;
pub(crate) mod site_files;
mod targets;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use serde::Serialize;

use crate::content::Page;
use crate::i18n::{Dictionary, Lang};

use crate::depends::{Fingerprints, Reads};
use crate::diagnostic::{Code, Diagnostic};
use crate::downloads::{Format, Notes, Prepared, Table};
use crate::model::Site;
use crate::render::Templates;
use crate::urls;
use crate::view::ViewCache;

/// One rendered file: its path inside the output folder and its bytes.
pub(crate) type OutputFile = (String, Vec<u8>);

/// Everything shared by all jobs: the model, the templates, the values serialised once and the
/// chart images already made, in one language (`lang`; the jobs of a translation are rendered
/// with [`Shared::edition`]).
#[derive(Clone, Copy)]
pub(crate) struct Shared<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
    pub views: &'a ViewCache,
    /// The pages in this language's words (`site.pages`, or their translations where a page
    /// has one), indexed like `site.pages`.
    pub pages: &'a [Page],
    /// The language the jobs render in.
    pub lang: Lang,
    /// The site's translation, when `lumbung.toml` declares one.
    pub translation: Option<&'a Edition>,
    /// The pages that also exist in the translation.
    pub translated: &'a Translated,
    /// Chart PNGs by the hash of their SVG, shared by every build of the site.
    pub pngs: &'a charts::cache::PngCache,
    /// Static files of the theme and the site, as (source, output path).
    pub statics: &'a [(crate::theme::Source, String)],
    /// When set, every template context is also kept here as JSON, by output path (for theme
    /// authors and the snapshot tests).
    pub contexts: Option<&'a std::sync::Mutex<BTreeMap<String, serde_json::Value>>>,
    /// Other names of regions, by code, for the search index and the A–Z list.
    pub search_aliases: &'a crate::search::Aliases,
}

/// The site in a second language: its dictionary, the templates with that language's settings,
/// the values serialised once in it, and the pages in its words.
pub(crate) struct Edition {
    pub dict: Arc<Dictionary>,
    /// The settings as the language shows them (its title, description, menu).
    pub config: crate::config::Config,
    pub templates: Templates,
    pub views: ViewCache,
    pub pages: Vec<Page>,
}

/// What every HTML template receives about the page it renders.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Base {
    pub page_url: String,
    /// The page's address in Bahasa Indonesia (its `page_url` outside a translation): the
    /// menu's addresses are written so.
    pub source_url: String,
    pub page_title: String,
    pub canonical: String,
    /// The page's language (`lang="…"`).
    pub lang: &'static str,
    pub og_locale: &'static str,
    /// The same page in the site's other languages, where it exists.
    pub alternates: Vec<Alternate>,
}

/// The same page in another language (a link to it carries `hreflang`, so that no address
/// rewriting of the page moves it).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Alternate {
    pub lang: &'static str,
    pub name: &'static str,
    pub url: String,
    /// The whole address, for `<link rel="alternate" hreflang>`.
    pub absolute: String,
}

impl Alternate {
    fn new(lang: Lang, url: String, base_url: &str) -> Alternate {
        Alternate {
            lang: lang.code(),
            name: lang.name(),
            absolute: urls::absolute(base_url, &url),
            url,
        }
    }
}

impl<'a> Shared<'a> {
    /// The jobs' shared values in the site's translation (none without one).
    pub(crate) fn edition(&self) -> Option<Shared<'a>> {
        self.translation.map(|e| Shared {
            templates: &e.templates,
            views: &e.views,
            pages: &e.pages,
            lang: e.dict.lang,
            ..*self
        })
    }

    /// The portal's name in this language.
    pub(crate) fn site_title(&self) -> &'a str {
        match self.translation {
            Some(e) if self.lang != Lang::Id => &e.config.title,
            _ => &self.site.config.title,
        }
    }

    /// The address of the page at `url` (as in Bahasa Indonesia) in this language.
    pub(crate) fn here(&self, url: &str) -> String {
        format!("{}{url}", self.lang.prefix())
    }

    /// The base values of the page at `url` (its address in Bahasa Indonesia).
    pub(crate) fn base(&self, url: &str, title: &str) -> Base {
        let config = &self.site.config;
        let alternates = match (self.lang, self.translation) {
            (Lang::Id, Some(e)) if self.translated.contains(url) => vec![Alternate::new(
                e.dict.lang,
                format!("{}{url}", e.dict.lang.prefix()),
                &config.base_url,
            )],
            (Lang::Id, _) => Vec::new(),
            (_, _) => vec![Alternate::new(Lang::Id, url.to_string(), &config.base_url)],
        };
        let here = self.here(url);
        Base {
            canonical: urls::absolute(&config.base_url, &here),
            page_url: here,
            source_url: url.to_string(),
            page_title: title.to_string(),
            lang: self.lang.code(),
            og_locale: self.lang.locale(),
            alternates,
        }
    }

    /// The registry's region `code`; a job only names regions of the registry, so a missing
    /// one is an internal error.
    pub(crate) fn region(&self, code: &str) -> Result<&crate::data::registry::Region, Diagnostic> {
        self.site.registry.get(code).ok_or_else(|| {
            Diagnostic::error(
                Code::Internal,
                "data/wilayah.csv",
                format!("wilayah {code} hilang"),
            )
        })
    }

    /// Renders `template` with a typed context.
    pub(crate) fn html<T: Serialize>(
        &self,
        template: &str,
        context: &T,
    ) -> Result<Vec<u8>, Diagnostic> {
        let error = |e: &tera::Error| crate::render::template_error(&self.templates.origin, e);
        let context = tera::Context::from_serialize(context).map_err(|e| error(&e))?;
        self.templates
            .tera
            .render(template, &context)
            .map(String::into_bytes)
            .map_err(|e| error(&e))
    }

    /// A download at `url`: `table` in format `f`, its notes crediting exactly `datasets` (the
    /// datasets whose figures it holds) and counting its corrected and held-back values.
    pub(crate) fn download(
        &self,
        url: &str,
        prepared: &Prepared,
        f: Format,
        title: &str,
        datasets: &[usize],
    ) -> Result<OutputFile, Diagnostic> {
        let path = urls::file_of(url);
        let notes = Notes {
            title,
            sheet: title,
            site: &self.site.config,
            sources: &self.sources_of(datasets),
            remarks: prepared.remarks(),
        };
        let bytes = prepared.table.write(f, &notes).map_err(|e| {
            Diagnostic::error(
                Code::FileNotProduced,
                &path,
                format!("gagal menulis {}: {e}", f.label()),
            )
        })?;
        Ok((path, bytes))
    }

    /// Writes a prepared table file ([`TableFile`]).
    pub(crate) fn table_file(&self, t: &TableFile) -> Result<OutputFile, Diagnostic> {
        match &t.out {
            TableOut::Download(f) => self.download(&t.url, &t.table, *f, &t.title, &t.datasets),
            TableOut::Descriptor { name } => {
                self.table_descriptor(&t.url, name, &t.title, &t.table.table, &t.datasets)
            }
        }
    }

    /// Writes the table file of a table download job (`job.table_file`); a table job without
    /// one is an internal error, named by its kind.
    pub(crate) fn table_job(
        &self,
        table: Option<TableFile>,
        kind: &str,
    ) -> Result<OutputFile, Diagnostic> {
        match table {
            Some(t) => self.table_file(&t),
            None => Err(Diagnostic::error(
                Code::Internal,
                "data",
                format!("{kind} tanpa tabel"),
            )),
        }
    }

    /// What a table file's bytes are made of besides the config and the program: the table,
    /// its address, kind and title, and the metadata of the datasets it credits (sources and
    /// licences come from their descriptors, each digested once per build).
    pub(crate) fn material(&self, t: &TableFile) -> Vec<u8> {
        let mut out = format!("{}\n{:?}\n{}\n", t.url, t.out, t.title).into_bytes();
        out.extend_from_slice(&t.table.digest);
        for &d in &t.datasets {
            out.extend_from_slice(&(d as u64).to_le_bytes());
            out.extend_from_slice(&self.views.packages[d]);
        }
        out
    }

    /// The Data Package descriptor beside a download table's CSV, crediting exactly the given
    /// datasets' sources and licences.
    pub(crate) fn table_descriptor(
        &self,
        csv_url: &str,
        name: &str,
        title: &str,
        table: &Table,
        datasets: &[usize],
    ) -> Result<OutputFile, Diagnostic> {
        let url = urls::descriptor_beside(csv_url);
        let credits = crate::published::Credits {
            name,
            title,
            csv: csv_url.rsplit('/').next().unwrap_or_default(),
            packages: datasets
                .iter()
                .map(|&d| &self.site.datasets[d].package)
                .collect(),
        };
        let mut bytes =
            serde_json::to_vec_pretty(&crate::published::table_package(table, &credits))
                .map_err(|e| Diagnostic::error(Code::Internal, &url, e.to_string()))?;
        bytes.push(b'\n');
        Ok((urls::file_of(&url), bytes))
    }

    /// The sources of the given datasets as one credit line, each named once.
    pub(crate) fn sources_of(&self, datasets: &[usize]) -> String {
        let mut v: Vec<String> = datasets
            .iter()
            .map(|&d| self.site.datasets[d].source_line())
            .filter(|s| !s.is_empty())
            .collect();
        v.sort();
        v.dedup();
        v.join("; ")
    }

    /// Renders the HTML page at `url` (its address in Bahasa Indonesia) to its `index.html`;
    /// in a translation, under the language's folder, with every link to a page that exists
    /// in the language leading there.
    pub(crate) fn page<T: Serialize>(
        &self,
        url: &str,
        template: &str,
        context: &T,
    ) -> Result<OutputFile, Diagnostic> {
        let path = urls::file_of(&self.here(url));
        self.keep_context(&path, context);
        let mut html = self.html(template, context)?;
        if self.lang != Lang::Id {
            let text = String::from_utf8_lossy(&html);
            html =
                urls::into_language(&text, self.lang.prefix(), &self.translated.urls).into_bytes();
        }
        let base_path = self.site.config.base_path();
        if base_path.is_empty() {
            return Ok((path, html));
        }
        let text = String::from_utf8_lossy(&html);
        Ok((path, urls::under_base_path(&text, base_path).into_bytes()))
    }

    /// Keeps a copy of the context of `path` when contexts are being collected.
    fn keep_context<T: Serialize>(&self, path: &str, context: &T) {
        if let Some(store) = &self.contexts
            && let Ok(value) = serde_json::to_value(context)
            && let Ok(mut map) = store.lock()
        {
            map.insert(path.to_string(), value);
        }
    }
}

/// A table download before it is written: with the config, everything its bytes are made of
/// ([`Shared::table_file`] writes it). A build that finds the same material recorded for the
/// file keeps the file instead of writing it again.
#[derive(Debug)]
pub(crate) struct TableFile {
    /// The download's address; for a descriptor, the address of the CSV it describes.
    pub url: String,
    /// The table, shared by the files written from it at the same time.
    pub table: Arc<Prepared>,
    pub out: TableOut,
    pub title: String,
    /// The datasets whose figures it holds (credited in its notes).
    pub datasets: Vec<usize>,
}

/// Which file of a table a [`TableFile`] is.
#[derive(Debug)]
pub(crate) enum TableOut {
    /// The table as CSV, JSON or XLSX.
    Download(Format),
    /// The Data Package descriptor of its CSV, named `name`.
    Descriptor { name: String },
}

/// One output file, by family.
#[derive(Debug, Clone)]
pub(crate) enum Job {
    Content(content::Job),
    Regions(regions::Job),
    Charts(charts::Job),
    Indicators(indicators::Job),
    Compare(compare::Job),
    Datasets(datasets::Job),
    Feeds(feeds::Job),
    Search(search::Job),
    SiteFiles(site_files::Job),
    /// A page of the site's translation (the same job, rendered in that language).
    Translated(Box<Job>),
}

impl Job {
    /// The kind of output, for timings and summaries.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Job::Content(j) => j.kind(),
            Job::Regions(j) => j.kind(),
            Job::Charts(j) => j.kind(),
            Job::Indicators(j) => j.kind(),
            Job::Compare(j) => j.kind(),
            Job::Datasets(j) => j.kind(),
            Job::Feeds(j) => j.kind(),
            Job::Search(j) => j.kind(),
            Job::SiteFiles(j) => j.kind(),
            // Counted apart, so `--timings` shows what the translation costs.
            Job::Translated(_) => "halaman bahasa Inggris",
        }
    }

    /// Whether the site's translation has this page: the home page, section and gallery
    /// lists, translated pages, and the region and indicator pages and indexes.
    fn translatable(&self, translated_pages: &HashSet<usize>) -> bool {
        match self {
            Job::Content(j) => j.translatable(translated_pages),
            Job::Regions(j) => j.is_page(),
            Job::Indicators(j) => j.is_page(),
            _ => false,
        }
    }

    /// The classes of input this job's file depends on: everything, unless its family says less.
    fn reads(&self) -> Reads {
        match self {
            Job::Regions(j) => j.reads(),
            Job::Charts(_) => Reads::FIGURES,
            Job::Indicators(j) => j.reads(),
            Job::Compare(j) => j.reads(),
            Job::Datasets(j) => j.reads(),
            Job::Translated(j) => j.reads(),
            Job::Content(_) | Job::Feeds(_) | Job::Search(_) | Job::SiteFiles(_) => Reads::ALL,
        }
    }

    /// The key of this job's file: what it depends on, for keeping it from the previous output.
    pub(crate) fn key(&self, cx: &Shared<'_>, fingerprints: &Fingerprints) -> String {
        let extra = match self {
            Job::Regions(j) => j.extra(cx),
            // A page of the translation reads what its original reads (in the translation's
            // words: the cards of its news in English), and which pages the translation has,
            // since each link to one of them leads into the translation.
            Job::Translated(inner) => {
                let mut extra = match (inner.as_ref(), cx.edition()) {
                    (Job::Regions(j), Some(en)) => j.extra(&en).unwrap_or_default(),
                    _ => Vec::new(),
                };
                extra.extend_from_slice(&cx.translated.digest);
                Some(extra)
            }
            _ => None,
        };
        fingerprints.key(&format!("{self:?}"), self.reads(), extra.as_deref())
    }

    /// Whether the job may take seconds (a whole dataset's or indicator's download, a million
    /// rows in XLSX): such jobs start first, so none of them is left running alone at the end.
    pub(crate) fn long(&self) -> bool {
        match self {
            Job::Datasets(datasets::Job::Download { .. })
            | Job::Indicators(indicators::Job::Download { .. }) => true,
            Job::Translated(inner) => inner.long(),
            _ => false,
        }
    }

    /// The region whose page and line-chart file share one drawing ([`crate::charts::Pairs`]):
    /// run side by side, so the drawing waits moments for its second job, not the whole build.
    pub(crate) fn pair(&self) -> Option<&str> {
        match self {
            Job::Regions(regions::Job::Page { code }) => Some(code),
            Job::Charts(charts::Job::File {
                region,
                kind: charts::ChartKind::Line,
                file: charts::ChartFile::Svg,
                ..
            }) => Some(region),
            _ => None,
        }
    }

    /// A second key made of the file's own content inputs, where the family has one (a chart
    /// file: what it is drawn from), so that it is kept when only other figures changed.
    pub(crate) fn content_key(&self, cx: &Shared<'_>, f: &Fingerprints) -> Option<String> {
        match self {
            Job::Charts(j) => j.content_key(cx, f),
            _ => None,
        }
    }

    /// For a table download, the table and what its notes say, before it is written.
    pub(crate) fn table_file(&self, cx: &Shared<'_>) -> Option<TableFile> {
        match self {
            Job::Regions(j) => j.table_file(cx),
            Job::Indicators(j) => j.table_file(cx),
            Job::Datasets(j) => j.table_file(cx),
            _ => None,
        }
    }

    /// For a chart PNG, the output path of the SVG file it is drawn from.
    pub(crate) fn png_of(&self, cx: &Shared<'_>) -> Option<String> {
        match self {
            Job::Charts(j) => j.svg_path(cx),
            _ => None,
        }
    }

    /// The address of the page this job writes, when it belongs in the sitemap.
    fn sitemap_url(&self, cx: &Shared<'_>) -> Option<String> {
        match self {
            Job::Content(j) => j.sitemap_url(cx),
            Job::Regions(j) => j.sitemap_url(cx),
            Job::Indicators(j) => j.sitemap_url(cx),
            Job::Compare(j) => j.sitemap_url(cx),
            Job::Datasets(j) => j.sitemap_url(cx),
            Job::Search(j) => j.sitemap_url(),
            Job::Translated(j) => {
                let cx = cx.edition()?;
                j.sitemap_url(&cx).map(|u| cx.here(&u))
            }
            Job::Charts(_) | Job::Feeds(_) | Job::SiteFiles(_) => None,
        }
    }
}

/// Lists every file of the site, family by family, then the pages of its translation; the
/// sitemap lists the pages of the others.
pub(crate) fn list(cx: &Shared<'_>) -> Vec<Job> {
    let mut jobs = originals(cx);
    if cx.translation.is_some() {
        let pages = cx.site.translated_pages();
        let translated: Vec<Job> = jobs
            .iter()
            .filter(|j| j.translatable(&pages))
            .map(|j| Job::Translated(Box::new(j.clone())))
            .collect();
        jobs.extend(translated);
    }
    let pages = jobs.iter().filter_map(|j| j.sitemap_url(cx)).collect();
    jobs.extend(site_files::list(cx, pages).into_iter().map(Job::SiteFiles));
    jobs
}

/// The pages the translation also has: their addresses in Bahasa Indonesia (`/wilayah/…/`),
/// and one digest of them all, which every translated page's key holds (each of its links to
/// such a page leads into the translation).
#[derive(Debug, Default)]
pub(crate) struct Translated {
    pub urls: HashSet<String>,
    digest: Vec<u8>,
}

impl Translated {
    /// The translated pages among `jobs` (none without a translation).
    pub(crate) fn of(cx: &Shared<'_>, jobs: &[Job]) -> Translated {
        let Some(en) = cx.edition() else {
            return Translated::default();
        };
        let urls: HashSet<String> = jobs
            .iter()
            .filter_map(|j| match j {
                Job::Translated(inner) => inner.sitemap_url(&en),
                _ => None,
            })
            .collect();
        let mut sorted: Vec<&String> = urls.iter().collect();
        sorted.sort();
        use sha2::Digest as _;
        let mut h = sha2::Sha256::new();
        for u in sorted {
            h.update(u.as_bytes());
            h.update(b"\n");
        }
        let digest = h.finalize().to_vec();
        Translated { urls, digest }
    }

    pub(crate) fn contains(&self, url: &str) -> bool {
        self.urls.contains(url)
    }
}

/// The files of the site in Bahasa Indonesia, family by family, without the site files.
fn originals(cx: &Shared<'_>) -> Vec<Job> {
    let mut jobs: Vec<Job> = Vec::new();
    jobs.extend(content::list(cx).into_iter().map(Job::Content));
    jobs.extend(regions::list(cx).into_iter().map(Job::Regions));
    jobs.extend(charts::list(cx).into_iter().map(Job::Charts));
    jobs.extend(indicators::list(cx).into_iter().map(Job::Indicators));
    jobs.extend(compare::list(cx).into_iter().map(Job::Compare));
    jobs.extend(datasets::list(cx).into_iter().map(Job::Datasets));
    jobs.extend(feeds::list(cx).into_iter().map(Job::Feeds));
    jobs.extend(search::list(cx).into_iter().map(Job::Search));
    jobs
}

/// Renders one job to its output path and bytes.
pub(crate) fn render(cx: &Shared<'_>, job: &Job) -> Result<OutputFile, Diagnostic> {
    match job {
        Job::Content(j) => content::render(cx, j),
        Job::Regions(j) => regions::render(cx, j),
        Job::Charts(j) => charts::render(cx, j),
        Job::Indicators(j) => indicators::render(cx, j),
        Job::Compare(j) => compare::render(cx, j),
        Job::Datasets(j) => datasets::render(cx, j),
        Job::Feeds(j) => feeds::render(cx, j),
        Job::Search(j) => search::render(cx, j),
        Job::SiteFiles(j) => site_files::render(cx, j),
        Job::Translated(j) => match (cx.edition(), cx.translation) {
            (Some(en), Some(e)) => crate::i18n::scoped(Some(&e.dict), || render(&en, j)),
            _ => Err(Diagnostic::error(
                Code::Internal,
                "lumbung.toml",
                "halaman terjemahan tanpa terjemahan situs",
            )),
        },
    }
}
