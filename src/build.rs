//! The build pipeline, top to bottom: config → content and data (in parallel) → model → jobs → render (parallel) → write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::compress;
use crate::config::Config;
use crate::content;
use crate::data::dataset;
use crate::data::registry::Registry;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::jobs::{self, Renderer};
use crate::links;
use crate::model::Site;
use crate::output;
use crate::render::{self, values};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// Output folder; default `<root>/public`.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// Load, validate and render, but write nothing.
    pub check_only: bool,
    /// Print progress to stderr.
    pub progress: bool,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>) -> Options {
        Options {
            root: root.into(),
            output: None,
            drafts: false,
            check_only: false,
            progress: false,
        }
    }
}

/// What a build did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub pages: usize,
    pub regions: usize,
    pub indicators: usize,
    pub datasets: usize,
    pub charts: usize,
    pub files: usize,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    pub output: PathBuf,
    /// Per kind of output: how many files and the summed render time (across threads).
    pub timings: BTreeMap<&'static str, (usize, Duration)>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} halaman konten, {} wilayah, {} indikator, {} dataset, {} grafik; {} berkas: {} ditulis, {} tidak berubah, {} dihapus; {:.2} detik → {}",
            self.pages,
            self.regions,
            self.indicators,
            self.datasets,
            self.charts,
            self.files,
            self.written,
            self.unchanged,
            self.removed,
            self.elapsed.as_secs_f64(),
            self.output.display()
        )
    }
}

fn step(opts: &Options, start: Instant, msg: &str) {
    if opts.progress {
        eprintln!("[{:>6.2} s] {msg}", start.elapsed().as_secs_f64());
    }
}

/// Builds the site. On any error nothing is written and every error is returned.
pub fn build(opts: &Options) -> Result<Summary, Diagnostics> {
    let start = Instant::now();
    let root = opts.root.as_path();
    let config = Config::load(root).map_err(Diagnostics::from)?;
    step(opts, start, "konfigurasi dibaca");

    // Registry first (datasets check their region codes against it), then content and datasets in parallel.
    let registry_path = root.join("data").join("wilayah.csv");
    let (registry, mut errors) = match Registry::load(root, &registry_path) {
        Ok(r) => (r, Vec::new()),
        Err(e) => (Registry::default(), e),
    };
    let ((pages, datasets), (templates, boundaries)) = rayon::join(
        || rayon::join(|| content::load(root), || load_datasets(root, &registry)),
        || {
            rayon::join(
                || render::load(root, &config.theme),
                || load_boundaries(root, &config),
            )
        },
    );
    let mut warnings = Vec::new();
    let boundaries = match boundaries {
        Ok(Some(b)) => {
            warnings.extend(b.warnings.iter().cloned());
            Some(b)
        }
        Ok(None) => None,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let pages = pages.unwrap_or_else(|e| {
        errors.extend(e);
        Vec::new()
    });
    let datasets = datasets.unwrap_or_else(|e| {
        errors.extend(e);
        Vec::new()
    });
    let templates = match templates {
        Ok(t) => Some(t),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    step(
        opts,
        start,
        &format!(
            "{} halaman dan {} dataset dibaca",
            pages.len(),
            datasets.len()
        ),
    );
    if !errors.is_empty() {
        return Err(finish(errors));
    }
    let mut templates = templates.expect("templates loaded when there are no errors");
    let site =
        Site::build(config, registry, pages, datasets, boundaries, opts.drafts).map_err(finish)?;
    templates.tera.global_context().insert("site", &site.config);
    templates
        .tera
        .global_context()
        .insert("contact_url", &site.contact_url());

    let page_values: Vec<values::PageValue> = site
        .pages
        .par_iter()
        .map(|p| values::page_value(&site, p))
        .collect();
    let pages: Vec<tera::Value> = page_values.iter().map(values::to_value).collect();
    let statics = jobs::statics(root, &site.config.theme);
    let out = opts.output.clone().unwrap_or_else(|| root.join("public"));
    let renderer = Renderer {
        site: &site,
        templates: &templates,
        pages,
        page_values,
        statics,
        previous: out.is_dir().then(|| out.clone()),
    };
    let list = jobs::list(&renderer);
    step(
        opts,
        start,
        &format!("model dibangun; {} berkas akan dibuat", list.len()),
    );

    let rendered: Vec<Timed> = list
        .par_iter()
        .map(|j| {
            let t = Instant::now();
            let r = renderer.render(j);
            (j.kind(), t.elapsed(), r)
        })
        .collect();
    let mut files = Vec::with_capacity(rendered.len());
    let mut errors = Vec::new();
    let mut timings: BTreeMap<&'static str, (usize, Duration)> = BTreeMap::new();
    for (kind, took, r) in rendered {
        let e = timings.entry(kind).or_default();
        e.0 += 1;
        e.1 += took;
        match r {
            Ok(f) => files.push(f),
            Err(e) => errors.push(e),
        }
    }
    // Two outputs on one path is a bug in input naming (e.g. a static file shadowing a page).
    let mut by_path: BTreeMap<&str, usize> = BTreeMap::new();
    for (p, _) in &files {
        *by_path.entry(p.as_str()).or_default() += 1;
    }
    for (p, n) in by_path {
        if n > 1 {
            errors.push(
                Diagnostic::error(p, format!("{n} keluaran menulis ke berkas yang sama"))
                    .hint("ganti nama berkas di static/ atau slug halaman yang bertabrakan"),
            );
        }
    }
    if !errors.is_empty() {
        errors.dedup_by(|a, b| a.message == b.message && a.excerpt == b.excerpt);
        return Err(finish(errors));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    step(opts, start, &format!("{} berkas dirender", files.len()));

    // Broken internal links and anchors are errors: checked in memory, before anything is written.
    let broken = links::check(&files, Some(&site.config.base_url));
    if !broken.is_empty() {
        return Err(finish(broken));
    }
    step(opts, start, "tautan internal diperiksa");
    if !opts.check_only {
        compress::add_precompressed(&mut files);
        step(opts, start, "salinan .gz dan .br dibuat");
    }

    let mut summary = Summary {
        pages: site.pages.len(),
        regions: site.region_pages.len(),
        indicators: site.indicators.len(),
        datasets: site.datasets.len(),
        // One chart per region and indicator (inline on the page, and as SVG and PNG downloads).
        charts: timings.get("grafik SVG").map_or(0, |t| t.0),
        files: files.len(),
        output: out.clone(),
        timings,
        warnings,
        ..Summary::default()
    };
    if !opts.check_only {
        let stats = output::write_site(&out, &files).map_err(|e| {
            Diagnostics::from(
                Diagnostic::error(&out, format!("gagal menulis keluaran: {e}"))
                    .hint("periksa izin tulis dan ruang disk; keluaran lama tidak diubah"),
            )
        })?;
        summary.written = stats.written;
        summary.unchanged = stats.unchanged;
        summary.removed = stats.removed;
        step(opts, start, "keluaran ditukar");
    }
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// One rendered job: its kind, how long it took, and the file or the error.
type Timed = (
    &'static str,
    Duration,
    Result<(String, Vec<u8>), Diagnostic>,
);

fn finish(errors: Vec<Diagnostic>) -> Diagnostics {
    let mut d = Diagnostics(errors);
    d.sort();
    d
}

/// Loads the boundary file named in `[maps]`, if any.
fn load_boundaries(
    root: &Path,
    config: &Config,
) -> Result<Option<crate::charts::Boundaries>, Diagnostic> {
    let Some(rel) = &config.maps.boundaries else {
        return Ok(None);
    };
    let path = root.join(rel);
    let mut b = crate::charts::load_boundaries(&path, config.maps.code_property.as_deref())?;
    b.source = crate::diagnostic::display_path(root, &path);
    Ok(Some(b))
}

/// Loads every dataset folder in parallel, collecting all errors.
fn load_datasets(
    root: &Path,
    registry: &Registry,
) -> Result<Vec<dataset::Dataset>, Vec<Diagnostic>> {
    let folders = dataset::folders(root);
    let results: Vec<_> = folders
        .par_iter()
        .map(|f| dataset::load(root, f, registry))
        .collect();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(d) => out.push(d),
            Err(e) => errors.extend(e),
        }
    }
    let mut seen = BTreeMap::new();
    for d in &out {
        if let Some(first) = seen.insert(d.slug.clone(), d.descriptor_file.clone()) {
            errors.push(
                Diagnostic::error(
                    &d.descriptor_file,
                    format!(
                        "nama dataset \"{}\" sudah dipakai oleh {}",
                        d.slug,
                        first.display()
                    ),
                )
                .hint("ganti \"name\" di salah satu datapackage.json"),
            );
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
