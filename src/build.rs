//! The build pipeline, top to bottom: config → load (parallel, every error collected) → model → views → jobs → render (parallel) → link check → write.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::compress;
use crate::config::Config;
use crate::content;
use crate::data::dataset;
use crate::data::registry::Registry;
use crate::depends::{Fingerprints, Reads};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::jobs::charts::cache::PngCache;
/// What the chart PNG cache did in a build ([`Summary::pngs`]).
pub use crate::jobs::charts::cache::PngStats;
use crate::jobs::{self, Shared, site_files};
use crate::links;
use crate::model::Site;
use crate::output;
use crate::render::{self, Templates};
use crate::unchanged;
use crate::view::ViewCache;

/// What to build and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site folder (the one holding `lumbung.toml`).
    pub root: PathBuf,
    /// Output folder; default `<root>/public`.
    pub output: Option<PathBuf>,
    /// Publish pages marked as drafts too (`--drafts`).
    pub drafts: bool,
    /// Load, validate and render, but write nothing.
    pub check_only: bool,
    /// Print progress to stderr.
    pub progress: bool,
    /// Keep every page's template context (as JSON, by output path) in the summary.
    pub keep_contexts: bool,
    /// Reuse and keep chart PNGs in `<root>/.lumbung-cache/png/` (on by default;
    /// `--no-cache` turns it off).
    pub png_cache: bool,
    /// `lumbung rilis`: keep the current version of these datasets (all when empty) in their
    /// `rilis/` folders, and write no output.
    pub release: Option<Vec<String>>,
    /// Another build of the site follows in this process (`lumbung serve`): what `data/`
    /// yields is kept in memory and taken again while its files stay the same.
    pub watching: bool,
}

/// Where chart PNGs are cached, inside the site folder (never published).
pub const PNG_CACHE: &str = ".lumbung-cache/png";

impl Options {
    /// Building the site at `root` into `<root>/public`, with every switch off.
    pub fn new(root: impl Into<PathBuf>) -> Options {
        Options {
            root: root.into(),
            output: None,
            drafts: false,
            check_only: false,
            progress: false,
            keep_contexts: false,
            png_cache: true,
            release: None,
            watching: false,
        }
    }
}

/// What a build did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Content pages published (drafts too with [`Options::drafts`]).
    pub pages: usize,
    /// Regions that got a page.
    pub regions: usize,
    /// Indicators read from the datasets.
    pub indicators: usize,
    /// Datasets loaded.
    pub datasets: usize,
    /// Charts drawn, counted as SVG files (each is also inline on its page and a PNG download).
    pub charts: usize,
    /// Chart PNGs drawn in this build and taken from the cache.
    pub pngs: PngStats,
    /// Output files, including the `.gz`/`.br` copies unless [`Options::check_only`] is set.
    pub files: usize,
    /// Files written because they were new or changed; 0 with [`Options::check_only`].
    pub written: usize,
    /// Files whose bytes were already in the output and were kept; 0 with [`Options::check_only`].
    pub unchanged: usize,
    /// Stale files of the previous output removed; 0 with [`Options::check_only`].
    pub removed: usize,
    /// Files kept from the previous output without rendering them, because nothing they depend
    /// on changed (counted in [`Summary::unchanged`] too).
    pub kept: usize,
    /// Problems that did not stop the build (e.g. boundary features without geometry).
    pub warnings: Vec<Diagnostic>,
    /// Wall-clock time of the whole build.
    pub elapsed: Duration,
    /// The output folder (nothing is written there with [`Options::check_only`]).
    pub output: PathBuf,
    /// Per kind of output: how many files and the summed render time (across threads).
    pub timings: BTreeMap<&'static str, (usize, Duration)>,
    /// Each page's template context, by output path, when [`Options::keep_contexts`] is set.
    pub contexts: BTreeMap<String, serde_json::Value>,
    /// What `lumbung rilis` kept ([`Options::release`]).
    pub released: Vec<crate::freeze::Frozen>,
    /// True when neither an input nor the output had changed since the last build into this
    /// folder, so the previous output stands as it is (its counts and warnings are reported).
    pub nothing_changed: bool,
    /// How complete each translation is (one per language in `[languages]`).
    pub translations: Vec<crate::i18n::report::Report>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} halaman konten, {} wilayah, {} indikator, {} dataset, {} grafik (PNG: {} digambar, {} dari cache); {} berkas: {} ditulis, {} tidak berubah ({} tanpa dirender), {} dihapus; {:.2} detik → {}",
            self.pages,
            self.regions,
            self.indicators,
            self.datasets,
            self.charts,
            self.pngs.drawn,
            self.pngs.reused,
            self.files,
            self.written,
            self.unchanged,
            self.kept,
            self.removed,
            self.elapsed.as_secs_f64(),
            self.output.display()
        )
    }
}

/// Prints a progress line with the time since the build started.
struct Progress {
    start: Instant,
    on: bool,
}

impl Progress {
    fn step(&self, msg: &str) {
        if self.on {
            eprintln!("[{:>6.2} s] {msg}", self.start.elapsed().as_secs_f64());
        }
    }
}

/// Builds the site. On any error nothing is written and every error is returned.
pub fn build(opts: &Options) -> Result<Summary, Diagnostics> {
    let progress = Progress {
        start: Instant::now(),
        on: opts.progress,
    };
    let root = opts.root.as_path();
    let out = output_folder(opts)?;
    // Held until the build returns: two builds into one folder never interleave.
    let _lock = lock_output(opts, &out)?;
    // A broken lumbung.toml does not hide the other files' problems: they are read with the
    // default settings and every error is reported together.
    let (config, config_errors) = match Config::load(root) {
        Ok(c) => (c, Vec::new()),
        Err(e) => (Config::fallback(), e),
    };
    progress.step("konfigurasi dibaca");

    // Nothing changed since the last build into this folder: the output stands.
    let fingerprint = (config_errors.is_empty() && skippable(opts))
        .then(|| unchanged::inputs(root, &config, &switches(opts, &out)));
    // The record of the last build, when the output folder is as that build left it: the
    // files of jobs whose inputs did not change can be kept. Whether the folder is as it was
    // is asked while the inputs load (a walk of every output file), unless the inputs are
    // the same: then that answer alone decides whether anything is built.
    // Without the output folder the record of the build that wrote it is no use (a desa
    // portal's is 130 MB of JSON, two seconds to read).
    let recorded = fingerprint
        .as_ref()
        .filter(|_| out.is_dir())
        .and_then(|_| unchanged::load(root, &out));
    let data_key = fingerprint
        .as_ref()
        .filter(|_| opts.watching)
        .map(|f| data_key(root, f));
    let combined = fingerprint.as_ref().map(unchanged::Inputs::combined);
    let intact =
        |r: unchanged::Record| (out.is_dir() && unchanged::outputs(&out) == r.outputs).then_some(r);
    let same_inputs = matches!((&recorded, &combined), (Some(r), Some(i)) if r.inputs == *i);
    let (previous, mut inputs) = if same_inputs {
        let previous = recorded.and_then(intact);
        if let Some(record) = &previous {
            if let Some(key) = data_key {
                warm_up(root, &config, key);
            }
            progress.step("tidak ada masukan atau keluaran yang berubah sejak build terakhir");
            return Ok(Summary {
                elapsed: progress.start.elapsed(),
                ..restored(record, &out)
            });
        }
        (previous, load(root, &config, data_key.as_deref()))
    } else {
        rayon::join(
            || recorded.and_then(intact),
            || load(root, &config, data_key.as_deref()),
        )
    };
    if !config_errors.is_empty() {
        inputs.errors.extend(config_errors);
        return Err(finish(inputs.errors));
    }
    progress.step(&format!(
        "{} halaman dan {} dataset dibaca",
        inputs.content.pages.len(),
        inputs.datasets.len()
    ));
    let (mut templates, mut warnings) = match inputs.templates {
        Some(t) if inputs.errors.is_empty() => (t, inputs.warnings),
        _ => return Err(finish(inputs.errors)),
    };
    let site = Site::build(
        config,
        inputs.registry,
        inputs.content,
        inputs.datasets,
        inputs.boundaries,
        opts.drafts,
    )
    .map_err(finish)?;
    // The translation's templates see its settings (title, menu) as `site`.
    let edition = inputs.dictionaries.first().map(|dict| {
        let mut templates = templates.clone();
        let config = crate::i18n::scoped(Some(dict), || site.config.in_language(dict.lang));
        set_globals(&mut templates, &site, &config);
        let pages = site.pages_translated();
        jobs::Edition {
            config,
            views: ViewCache::build(&site, &pages, Vec::new(), Some(dict)),
            dict: dict.clone(),
            templates,
            pages,
        }
    });
    set_globals(&mut templates, &site, &site.config);

    // A released version never changes: figures that differ from it stop the build here.
    let histories = crate::view::releases::histories(&site).map_err(finish)?;
    let views = ViewCache::build(&site, &site.pages, histories, None);
    let search_aliases = crate::search::aliases(&site, &alias_file(root, &site)?);
    let pngs = PngCache::new(opts.png_cache.then(|| root.join(PNG_CACHE)));
    let statics = site_files::statics(root, &site.config.theme);
    let contexts: Option<std::sync::Mutex<_>> = opts.keep_contexts.then(Default::default);
    let no_translation = jobs::Translated::default();
    let cx = Shared {
        site: &site,
        templates: &templates,
        views: &views,
        pages: &site.pages,
        lang: crate::i18n::Lang::Id,
        translation: edition.as_ref(),
        translated: &no_translation,
        pngs: &pngs,
        statics: &statics,
        contexts: contexts.as_ref(),
        search_aliases: &search_aliases,
    };
    // Which pages the translation has is known from the list (which does not depend on it);
    // every page's language links and the keys of the translated pages need it.
    let list = jobs::list(&cx);
    let translated = jobs::Translated::of(&cx, &list);
    let cx = Shared {
        translated: &translated,
        ..cx
    };
    let fingerprints = fingerprint.map(|f| Fingerprints::new(f, &site));
    let reuse = Reuse::new(fingerprints.as_ref(), previous.as_ref());
    let records = crate::search::records(&site, cx.search_aliases);
    let plan = plan(&cx, &list, &reuse, &records);
    progress.step(&format!(
        "model dibangun; {} berkas akan dibuat, {} dipakai ulang dari build terakhir",
        plan.todo.len() + plan.later.len(),
        plan.kept.len()
    ));

    // A build that writes puts each file into the staging folder as it is made (of a page,
    // what the link check needs stays): memory grows with the largest file, not with the
    // site. Anything that fails from here drops the staging folder; the output stays.
    let staging = if opts.check_only || opts.release.is_some() {
        None
    } else {
        Some(output::Staging::begin(&out).map_err(|e| write_error(&out, &e))?)
    };
    let stream = staging.as_ref().map(|s| Stream {
        staging: s,
        precompress: site.config.precompress,
    });
    // The search index is built beside the pages (it reads the model, not the pages).
    let (rendered, (search, search_time)) = rayon::join(
        || render_all(&cx, &plan.todo, &reuse, stream.as_ref()),
        || {
            let start = Instant::now();
            let index = if plan.search.1 {
                Ok(Vec::new())
            } else {
                crate::search::index(records)
            };
            (index, start.elapsed())
        },
    );
    let mut done = rendered?;
    let later = pngs_after_svgs(plan.later, &mut done, &reuse);
    // The PNGs left to write find their SVG's hash here (a cached PNG needs no drawing).
    pngs.know_svgs(std::mem::take(&mut done.svgs));
    if !later.is_empty() {
        done.add(render_all(&cx, &later, &reuse, stream.as_ref())?);
    }
    let Done {
        mut files,
        mut timings,
        keys: mut record_jobs,
        kept: kept_here,
        staged,
        pages: scanned,
        ..
    } = done;
    let search = search.map_err(Diagnostics::from)?;
    if let Some(key) = &plan.search.0
        && !plan.search.1
    {
        record_jobs.insert(key.clone(), search.iter().map(|(p, _)| p.clone()).collect());
    }
    timings.insert("indeks pencarian", (search.len(), search_time));
    files.extend(search);
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut kept = plan.kept;
    kept.extend(kept_here);
    record_jobs.extend(plan.kept_jobs);
    collisions(&files, &staged, &kept)?;
    progress.step(&format!("{} berkas dirender", files.len() + staged.len()));

    // Broken internal links and anchors are errors: checked in memory, before anything is written.
    // Kept pages passed the last check as they are; they are checked again only when a file
    // or an anchor some page linked to is gone.
    let kept_pages = previous.as_ref().and_then(|r| {
        r.link_targets.as_ref().map(|targets| links::Kept {
            files: &kept,
            out: &out,
            targets,
        })
    });
    let (broken, link_targets) = links::check_build(
        &files,
        &staged,
        &scanned,
        staging.as_ref().map(output::Staging::dir),
        kept_pages,
        Some(&site.config.base_url),
        &site.config.link_origins(root),
    );
    if !broken.is_empty() {
        return Err(finish(broken));
    }
    progress.step("tautan internal diperiksa");

    let pngs = cx.pngs.stats();
    warnings.extend(cache_warning(root, cx.pngs));
    let translations = edition
        .iter()
        .map(|e| crate::i18n::report::report(&site, &e.dict, &e.templates.texts))
        .collect();
    let mut summary = Summary {
        pngs,
        pages: site.pages.len(),
        regions: site.region_pages.len(),
        indicators: site.indicators.len(),
        datasets: site.datasets.len(),
        // One chart per region and indicator (inline on the page, and as SVG and PNG downloads).
        charts: list.iter().filter(|j| j.kind() == "grafik SVG").count(),
        output: out.clone(),
        timings,
        warnings,
        translations,
        contexts: contexts
            .as_ref()
            .and_then(|m| m.lock().ok().map(|mut c| std::mem::take(&mut *c)))
            .unwrap_or_default(),
        ..Summary::default()
    };
    if let Some(names) = &opts.release {
        summary.released = crate::freeze::freeze(&site, &files, names).map_err(finish)?;
    }
    let mut old_output = None;
    // The stamp of every file of the new output, taken as it was put there.
    let mut stamps = None;
    if !opts.check_only && opts.release.is_none() {
        if site.config.precompress {
            compress::add_precompressed(&mut files);
            kept.extend(precompressed_copies(&out, &kept));
            progress.step("salinan .gz dan .br dibuat");
        }
        let stats = match staging {
            Some(staging) => {
                let (stats, old, stamped) = staging
                    .finish(&files, &kept)
                    .map_err(|e| write_error(&out, &e))?;
                old_output = Some(old);
                stamps = Some(stamped);
                stats
            }
            None => output::WriteStats::default(),
        };
        summary.written = stats.written;
        summary.unchanged = stats.unchanged;
        summary.removed = stats.removed;
        summary.kept = kept.len();
        progress.step("keluaran ditukar");
    }
    // Everything in the new output (compressed copies too) when it was written.
    summary.files = if summary.written + summary.unchanged > 0 {
        summary.written + summary.unchanged
    } else {
        files.len() + staged.len() + kept.len()
    };
    // The old output goes while the chart cache is pruned and the record is made (a walk of
    // the new output).
    rayon::join(
        || old_output.map(output::OldOutput::remove),
        || {
            if !opts.check_only && opts.release.is_none() {
                cx.pngs.prune();
            }
            if let Some(inputs) = combined {
                remember(
                    root,
                    &out,
                    inputs,
                    stamps,
                    record_jobs,
                    link_targets,
                    &summary,
                );
            }
        },
    );
    summary.elapsed = progress.start.elapsed();
    // A desa portal's model, views and scanned pages are millions of allocations: freed on
    // the pool, not on the way to the summary (a command-line build exits without waiting).
    rayon::spawn(move || drop((site, views, scanned, edition)));
    Ok(summary)
}

/// Whether a build may stand on the previous output when nothing changed: a plain build that
/// writes (not `check`, not `rilis`, not collecting contexts) with the cache on.
fn skippable(opts: &Options) -> bool {
    !opts.check_only && opts.release.is_none() && !opts.keep_contexts && opts.png_cache
}

/// The switches that change what a build writes, for the input fingerprint.
fn switches(opts: &Options, out: &Path) -> String {
    format!("drafts={};out={}", opts.drafts, out.display())
}

/// The previous build's summary, for a build in which nothing changed.
fn restored(record: &unchanged::Record, out: &Path) -> Summary {
    let c = record.counts;
    Summary {
        pages: c.pages,
        regions: c.regions,
        indicators: c.indicators,
        datasets: c.datasets,
        charts: c.charts,
        files: c.files,
        unchanged: c.files,
        kept: c.files,
        warnings: record
            .warnings
            .iter()
            .filter_map(unchanged::SavedDiagnostic::restore)
            .collect(),
        output: out.to_path_buf(),
        nothing_changed: true,
        translations: record.translations.clone(),
        ..Summary::default()
    }
}

/// Keeps what the next build compares with: the inputs read, the output written, each job's
/// key with its files, what its pages link to, the counts and warnings of this build.
fn remember(
    root: &Path,
    out: &Path,
    inputs: String,
    stamps: Option<Vec<Vec<u8>>>,
    jobs: BTreeMap<String, Vec<String>>,
    link_targets: std::collections::BTreeSet<String>,
    summary: &Summary,
) {
    let record = unchanged::Record {
        inputs,
        outputs: String::new(),
        counts: unchanged::Counts {
            pages: summary.pages,
            regions: summary.regions,
            indicators: summary.indicators,
            datasets: summary.datasets,
            charts: summary.charts,
            files: summary.files,
        },
        warnings: summary
            .warnings
            .iter()
            .map(unchanged::SavedDiagnostic::from)
            .collect(),
        jobs,
        link_targets: Some(link_targets),
        translations: summary.translations.clone(),
    };
    // The output's fingerprint is made (its files walked, unless they were stamped as they
    // were written) while the rest of the record is written out.
    let (outputs, text) = rayon::join(
        || match stamps {
            Some(stamps) => unchanged::fingerprint(stamps),
            None => unchanged::outputs(out),
        },
        || unchanged::text(&record),
    );
    unchanged::save(root, out, &outputs, text);
    // Half a million keys take a while to free: not on the way to the summary.
    rayon::spawn(move || drop(record));
}

/// Which jobs to render and which files to keep from the previous output.
struct Plan<'a> {
    /// Jobs to render, with their keys (none when nothing is recorded).
    todo: Vec<Keyed<'a>>,
    /// Chart PNGs whose inputs changed, with their keys and the SVG each is drawn from: decided
    /// once the SVGs are rendered ([`pngs_after_svgs`]).
    later: Vec<(&'a jobs::Job, Vec<String>, String)>,
    /// Files of the previous output kept as they are.
    kept: Vec<String>,
    /// The keys of the kept jobs, with their files, for the next record.
    kept_jobs: BTreeMap<String, Vec<String>>,
    /// The search index's key, and whether its files are kept.
    search: (Option<String>, bool),
}

/// What lets a build keep files of the last output: this build's fingerprints and the last
/// build's record of every job's keys and files.
struct Reuse<'a> {
    fingerprints: Option<&'a Fingerprints>,
    previous: Option<&'a unchanged::Record>,
    /// The keys each recorded set of files has (a chart PNG: its inputs and the bytes of its
    /// SVG; a table download: its inputs and its table).
    keys_of: BTreeMap<&'a Vec<String>, Vec<&'a String>>,
}

impl<'a> Reuse<'a> {
    fn new(
        fingerprints: Option<&'a Fingerprints>,
        previous: Option<&'a unchanged::Record>,
    ) -> Reuse<'a> {
        let mut keys_of: BTreeMap<&Vec<String>, Vec<&String>> = BTreeMap::new();
        for (k, paths) in previous.iter().flat_map(|r| &r.jobs) {
            keys_of.entry(paths).or_default().push(k);
        }
        Reuse {
            fingerprints,
            previous,
            keys_of,
        }
    }

    /// The files the last build recorded under any of `keys`, with every key of this build and
    /// the last that they go on being recorded under.
    fn recorded(&self, keys: &[String]) -> Option<(Vec<String>, Vec<String>)> {
        let paths = keys
            .iter()
            .find_map(|k| self.previous.and_then(|r| r.jobs.get(k)))?;
        // The record is a file in the site folder: a path in it that would leave the output
        // is never taken for a kept file.
        if !paths.iter().all(|p| output::safe_relative(p)) {
            return None;
        }
        let mut all: Vec<String> = keys.to_vec();
        all.extend(
            self.keys_of
                .get(paths)
                .into_iter()
                .flatten()
                .map(|k| (*k).clone()),
        );
        all.sort();
        all.dedup();
        Some((all, paths.clone()))
    }
}

/// Splits the jobs into those to render and those whose files the previous build wrote from
/// the same inputs (same key), when there is an intact previous output.
fn plan<'a>(
    cx: &Shared<'_>,
    list: &'a [jobs::Job],
    reuse: &Reuse<'_>,
    records: &[crate::search::Record],
) -> Plan<'a> {
    let fingerprints = reuse.fingerprints;
    // Each job's keys and what the last build recorded under them (asked once, in parallel).
    // The content key is made only when the first key was not recorded: a kept job's files
    // go on under every key the last build gave them.
    type Found = (Vec<String>, Option<(Vec<String>, Vec<String>)>);
    // The index is made of its records alone (hashed beside the jobs' keys).
    let search_key = || {
        fingerprints.map(|f| {
            let records = crate::search::digest(records);
            f.key("indeks pencarian", Reads::NONE, Some(&records))
        })
    };
    let job_keys = || {
        list.par_iter()
            .map(|j| match fingerprints {
                Some(f) => {
                    let key = vec![j.key(cx, f)];
                    match reuse.recorded(&key) {
                        Some(found) => (key, Some(found)),
                        None => {
                            let mut keys = key;
                            keys.extend(j.content_key(cx, f));
                            let found = (keys.len() > 1).then(|| reuse.recorded(&keys)).flatten();
                            (keys, found)
                        }
                    }
                }
                None => (Vec::new(), None),
            })
            .collect::<Vec<Found>>()
    };
    let (keys, search_key) = rayon::join(job_keys, search_key);
    let mut plan = Plan {
        todo: Vec::new(),
        later: Vec::new(),
        kept: Vec::new(),
        kept_jobs: BTreeMap::new(),
        search: (search_key.clone(), false),
    };
    if let Some((ks, paths)) = reuse.recorded(search_key.as_slice()) {
        plan.search.1 = true;
        plan.kept.extend(paths.iter().cloned());
        for k in ks {
            plan.kept_jobs.insert(k, paths.clone());
        }
    }
    for (job, (key, found)) in list.iter().zip(keys) {
        match found {
            Some((ks, paths)) => {
                plan.kept.extend(paths.iter().cloned());
                for k in ks {
                    plan.kept_jobs.insert(k, paths.clone());
                }
            }
            None => match job.png_of(cx).filter(|_| fingerprints.is_some()) {
                Some(svg) => plan.later.push((job, key, svg)),
                None => plan.todo.push((job, key)),
            },
        }
    }
    plan
}

/// The chart PNGs whose inputs changed: each one whose SVG came out byte for byte as before
/// is kept (a PNG is a pure function of its SVG, so its second key is the SVG's SHA-256, added
/// to `done`); the others are returned to be drawn, with both keys.
fn pngs_after_svgs<'a>(
    later: Vec<(&'a jobs::Job, Vec<String>, String)>,
    done: &mut Done,
    reuse: &Reuse<'_>,
) -> Vec<Keyed<'a>> {
    let mut todo = Vec::new();
    for (job, mut keys, svg) in later {
        let Some((digest, f)) = done.svgs.get(&svg).zip(reuse.fingerprints) else {
            todo.push((job, keys));
            continue;
        };
        let second = f.key(&format!("{job:?}"), Reads::NONE, Some(digest));
        keys.push(second.clone());
        match reuse.recorded(&[second]) {
            Some((ks, paths)) => {
                done.kept.extend(paths.iter().cloned());
                for k in ks.into_iter().chain(keys) {
                    done.keys.insert(k, paths.clone());
                }
            }
            None => todo.push((job, keys)),
        }
    }
    todo
}

/// The `.gz` and `.br` copies the previous output has of the kept files.
fn precompressed_copies(out: &Path, kept: &[String]) -> Vec<String> {
    kept.iter()
        .flat_map(|p| [format!("{p}.gz"), format!("{p}.br")])
        .filter(|p| out.join(p).is_file())
        .collect()
}

/// The lock on the output folder for a build that writes it (none for `check` and `rilis`).
fn lock_output(opts: &Options, out: &Path) -> Result<Option<output::OutputLock>, Diagnostics> {
    if opts.check_only || opts.release.is_some() {
        return Ok(None);
    }
    output::lock(out).map(Some).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(
                Code::WriteFailed,
                out,
                format!("tidak bisa mengunci folder keluaran: {e}"),
            )
            .hint("periksa izin tulis folder di atas folder keluaran"),
        )
    })
}

/// A warning when the chart PNGs could not be kept for the next build.
fn cache_warning(root: &Path, pngs: &PngCache) -> Option<Diagnostic> {
    let e = pngs.store_error()?;
    Some(
        Diagnostic::warning(
            Code::CacheUnwritable,
            root.join(PNG_CACHE),
            format!("gambar PNG tidak bisa disimpan untuk build berikutnya: {e}"),
        )
        .hint("periksa izin tulis dan ruang disk di folder situs; build ini tetap lengkap, build berikutnya menggambar PNG lagi"),
    )
}

/// A failure to write the output, naming the folder (the old output is left as it was).
fn write_error(out: &Path, e: &std::io::Error) -> Diagnostics {
    Diagnostics::from(
        Diagnostic::error(
            Code::WriteFailed,
            out,
            format!("gagal menulis keluaran: {e}"),
        )
        .hint("periksa izin tulis dan ruang disk; keluaran lama tidak diubah"),
    )
}

/// The site's other names of regions (`data/alias-wilayah.csv`, as `--aliases` of the
/// importers), when it has them; its problems stop the build.
fn alias_file(root: &Path, site: &Site) -> Result<crate::import::aliases::Aliases, Diagnostics> {
    let mut aliases = crate::import::aliases::Aliases::default();
    let path = root.join("data").join(ALIAS_FILE);
    if path.is_file() {
        if !crate::inside::within(root, &path) {
            return Err(Diagnostics::from(crate::inside::refused(root, &path)));
        }
        let shown = crate::diagnostic::display_path(root, &path);
        let errors = aliases.load_file(&shown, &path, &site.registry);
        if !errors.is_empty() {
            return Err(finish(errors));
        }
    }
    Ok(aliases)
}

/// The site's file of other names of regions, in `data/`.
pub const ALIAS_FILE: &str = "alias-wilayah.csv";

/// The output folder, refused before anything is touched when writing there could destroy sources or other files.
fn output_folder(opts: &Options) -> Result<PathBuf, Diagnostics> {
    let out = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("public"));
    if !opts.check_only
        && opts.release.is_none()
        && let Some(why) = output::unsafe_target(&opts.root, &out)
    {
        return Err(Diagnostics::from(
            Diagnostic::error(Code::UnsafeOutput, &out, format!("{why}; tidak ada yang ditulis atau dihapus"))
                .hint("pilih folder keluaran tersendiri, misalnya --output public (bawaan) atau folder kosong di luar folder sumber"),
        ));
    }
    Ok(out)
}

/// Everything read from the site's folders, with every error of every loader.
struct Inputs {
    registry: Registry,
    content: content::Content,
    /// The dictionary of each language the site is translated into.
    dictionaries: Vec<std::sync::Arc<crate::i18n::Dictionary>>,
    datasets: Vec<dataset::Dataset>,
    templates: Option<Templates>,
    boundaries: Option<crate::charts::Boundaries>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// Reads the registry first (datasets check their region codes against it), then content,
/// datasets, templates and boundaries in parallel; errors of one loader never hide another's.
fn load(root: &Path, config: &Config, data_key: Option<&[u8]>) -> Inputs {
    let ((pages, templates), (registry, mut errors, datasets, boundaries)) = rayon::join(
        || rayon::join(|| content::load(root), || render::load(root, &config.theme)),
        || load_data(root, config, data_key),
    );
    let mut warnings = crate::inside::skipped(
        root,
        &[
            root.join("content"),
            root.join("static"),
            root.join("templates"),
            root.join("themes").join(&config.theme),
        ],
    );
    let boundaries = match boundaries {
        Ok(b) => {
            if let Some(b) = &b {
                warnings.extend(b.warnings.iter().cloned());
            }
            b
        }
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let content = collect(pages, &mut errors).unwrap_or_default();
    warnings.extend(content::tag_merges(&content.pages));
    let dictionaries = config
        .translations()
        .into_iter()
        .filter_map(|lang| {
            collect(
                crate::i18n::Dictionary::load(root, &config.theme, lang),
                &mut errors,
            )
        })
        .map(std::sync::Arc::new)
        .collect();
    let datasets: Vec<dataset::Dataset> = collect(datasets, &mut errors).unwrap_or_default();
    for d in &datasets {
        warnings.extend(d.warnings.iter().cloned());
    }
    let templates = collect(templates, &mut errors);
    Inputs {
        registry,
        content,
        dictionaries,
        datasets,
        templates,
        boundaries,
        errors,
        warnings,
    }
}

/// What the last build in this process read from `data/` and the boundaries file, under the
/// fingerprint of those files, the settings and the site's folder ([`data_key`]): the next
/// build of `lumbung serve` takes it when none of them changed, so a national portal's CSV is
/// parsed and checked once, not again at every save of an article. Datasets read from outside
/// `data/` (which the fingerprint does not cover) are never kept.
#[derive(Clone)]
struct Loaded {
    key: Vec<u8>,
    registry: Registry,
    registry_errors: Vec<Diagnostic>,
    datasets: Vec<dataset::Dataset>,
    boundaries: Option<crate::charts::Boundaries>,
}

static LOADED: std::sync::Mutex<Option<Loaded>> = std::sync::Mutex::new(None);

/// The key of what `data/` yields: the site's folder, the program and switches, the settings
/// (the boundaries' file and code property), and every file of `data/` with the boundaries.
fn data_key(root: &Path, f: &unchanged::Inputs) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(root.as_os_str().as_encoded_bytes());
    h.update(f.base);
    h.update(f.config);
    h.update(f.data);
    h.finalize().to_vec()
}

/// What `data/` and the boundaries file yield: the registry (with its errors), the datasets and
/// the boundaries; taken from [`LOADED`] when `key` is there, and kept there under `key`.
fn load_data(root: &Path, config: &Config, key: Option<&[u8]>) -> FromData {
    if let Some(m) = key.and_then(|key| {
        let memo = LOADED.lock().ok()?;
        memo.as_ref().filter(|m| m.key == key).cloned()
    }) {
        return (
            m.registry,
            m.registry_errors,
            Ok(m.datasets),
            Ok(m.boundaries),
        );
    }
    let registry_path = root.join("data").join("wilayah.csv");
    let (registry, errors) = Registry::load_partial(root, &registry_path);
    let (datasets, boundaries) = rayon::join(
        || load_datasets(root, &registry),
        || load_boundaries(root, config),
    );
    if let (Some(key), Ok(datasets), Ok(boundaries)) = (key, &datasets, &boundaries)
        && datasets.iter().all(|d| d.csv_file.starts_with("data"))
        && let Ok(mut memo) = LOADED.lock()
    {
        *memo = Some(Loaded {
            key: key.to_vec(),
            registry: registry.clone(),
            registry_errors: errors.clone(),
            datasets: datasets.clone(),
            boundaries: boundaries.clone(),
        });
    }
    (registry, errors, datasets, boundaries)
}

/// The registry with its errors, the datasets, the boundaries.
type FromData = (
    Registry,
    Vec<Diagnostic>,
    Result<Vec<dataset::Dataset>, Vec<Diagnostic>>,
    Result<Option<crate::charts::Boundaries>, Diagnostic>,
);

/// In `lumbung serve`, when the first build found nothing changed: `data/` is read in the
/// background, so that the first save of an article does not wait for it.
fn warm_up(root: &Path, config: &Config, key: Vec<u8>) {
    let held = LOADED
        .lock()
        .is_ok_and(|m| m.as_ref().is_some_and(|m| m.key == key));
    if held {
        return;
    }
    let (root, config) = (root.to_path_buf(), config.clone());
    std::thread::spawn(move || {
        let _ = load_data(&root, &config, Some(&key));
    });
}

/// The value of a loader, or `None` with its errors added to `errors`.
fn collect<T>(r: Result<T, Vec<Diagnostic>>, errors: &mut Vec<Diagnostic>) -> Option<T> {
    r.map_err(|e| errors.extend(e)).ok()
}

/// The values every template sees: the config, where to report data errors, the fixed URLs.
fn set_globals(templates: &mut Templates, site: &Site, config: &Config) {
    let globals = templates.tera.global_context();
    globals.insert("site", config);
    globals.insert("contact_url", &site.contact_url());
    globals.insert("urls", &crate::urls::Fixed::new());
}

/// Per kind of output: how many files and the summed render time.
type Timings = BTreeMap<&'static str, (usize, Duration)>;

/// What rendering gave: the files, the time per kind, each job's keys with its file, and the
/// files kept after all (a table download whose table came out as the last build's).
#[derive(Default)]
struct Done {
    /// Files held in memory: the pages (for the link check), and every file when nothing is
    /// written.
    files: Vec<jobs::OutputFile>,
    /// Files already put into the staging folder.
    staged: Vec<String>,
    /// The pages among them, as the link check's scanner kept them.
    pages: Vec<(String, links::Scanned)>,
    /// The SHA-256 of every chart SVG, by path (a PNG is kept when its SVG's is the same);
    /// only looked up, never walked.
    svgs: HashMap<String, [u8; 32]>,
    timings: Timings,
    keys: JobKeys,
    kept: Vec<String>,
}

impl Done {
    fn add(&mut self, more: Done) {
        self.files.extend(more.files);
        self.files.sort_by(|a, b| a.0.cmp(&b.0));
        for (kind, (n, took)) in more.timings {
            let e = self.timings.entry(kind).or_default();
            e.0 += n;
            e.1 += took;
        }
        self.keys.extend(more.keys);
        self.kept.extend(more.kept);
        self.staged.extend(more.staged);
        self.pages.extend(more.pages);
        self.svgs.extend(more.svgs);
    }
}

/// Where rendered files go as they are made, in a build that writes.
struct Stream<'a> {
    staging: &'a output::Staging,
    /// With `precompress = true`, each text file's `.gz` and `.br` copies go too.
    precompress: bool,
}

impl Stream<'_> {
    /// Puts a file (and its compressed copies) into the staging folder; its path is returned.
    fn put(&self, (path, bytes): jobs::OutputFile) -> Result<String, Diagnostic> {
        let error = |e: std::io::Error| {
            Diagnostic::error(Code::WriteFailed, &path, format!("gagal menulis: {e}"))
                .hint("periksa izin tulis dan ruang disk; keluaran lama tidak diubah")
        };
        self.staging.put(&path, &bytes).map_err(error)?;
        if self.precompress {
            // A site's own `x.css.gz` wins over the copy, whichever is rendered first.
            for (p, b) in compress::copies(&path, &bytes) {
                self.staging.put_unless_taken(&p, &b).map_err(error)?;
            }
        }
        Ok(path)
    }
}

/// One job's outcome: its file, its file already in the staging folder (a page with what the
/// link check needs of it, a chart SVG with its SHA-256), or the files of the last output kept
/// with their keys.
enum Outcome {
    File(jobs::OutputFile),
    Page(String, links::Scanned),
    Staged(String, Option<[u8; 32]>),
    Kept(Vec<String>, Vec<String>),
}

/// Time spent making tables whose files were then kept (their table came out the same).
const TABLES_KEPT: &str = "tabel tetap (berkas lama dipakai)";

/// Renders every job in parallel; every failure is reported. A table download is made in two
/// steps: its table first, whose key (the table and the metadata it credits) may show that the
/// last build wrote the same file, which is then kept; else the file is written from it. With a
/// `stream`, every file goes into the staging folder as soon as it is made.
fn render_all(
    cx: &Shared<'_>,
    list: &[Keyed<'_>],
    reuse: &Reuse<'_>,
    stream: Option<&Stream<'_>>,
) -> Result<Done, Diagnostics> {
    // Jobs differ a thousandfold in cost (a robots.txt, a national XLSX) and come in family
    // order. Each thread takes the next job not yet taken, the long ones first, so they run
    // side by side (work stealing would leave them queued behind each other on the thread
    // that split the list first) and none is left running alone at the end; the results go
    // back into list order.
    // A region's page and its line-chart file, which share a drawing, come one after the
    // other (after every job that shares nothing).
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by_key(|&i| (!list[i].0.long(), list[i].0.pair()));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let taken = || {
        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        order.get(k).map(|&i| (i, &list[i]))
    };
    let mut rendered: Vec<(usize, Timed)> = rayon::broadcast(|_| {
        std::iter::from_fn(taken)
            .map(|(i, (j, keys))| (i, render_one(cx, j, keys, reuse, stream)))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    rendered.sort_unstable_by_key(|(i, _)| *i);
    let mut done = Done::default();
    // Keys are gathered in list order and sorted in parallel: inserted one by one into their
    // map, a desa portal's 1,060,000 keys took two seconds of one core. Each carries its first
    // eight bytes inline, so that the sort rarely reads the keys' text (a cache miss apiece).
    let mut keys: Vec<(u64, String, Vec<String>)> = Vec::with_capacity(rendered.len());
    let mut svgs: Vec<(String, [u8; 32])> = Vec::new();
    let keyed = |k: String, paths: Vec<String>| (prefix(&k), k, paths);
    let mut errors = Vec::new();
    for (_, (kind, took, r, job_keys)) in rendered {
        let kind = if matches!(r, Ok(Outcome::Kept(..))) {
            TABLES_KEPT
        } else {
            kind
        };
        let e = done.timings.entry(kind).or_default();
        e.0 += 1;
        e.1 += took;
        match r {
            Ok(Outcome::File(f)) => {
                keys.extend(job_keys.into_iter().map(|k| keyed(k, vec![f.0.clone()])));
                if f.0.ends_with(".svg") {
                    svgs.push((f.0.clone(), Sha256::digest(&f.1).into()));
                }
                done.files.push(f);
            }
            Ok(Outcome::Page(path, scanned)) => {
                keys.extend(job_keys.into_iter().map(|k| keyed(k, vec![path.clone()])));
                done.staged.push(path.clone());
                done.pages.push((path, scanned));
            }
            Ok(Outcome::Staged(path, svg)) => {
                keys.extend(job_keys.into_iter().map(|k| keyed(k, vec![path.clone()])));
                if let Some(svg) = svg {
                    svgs.push((path.clone(), svg));
                }
                done.staged.push(path);
            }
            Ok(Outcome::Kept(ks, paths)) => {
                done.kept.extend(paths.iter().cloned());
                keys.extend(
                    ks.into_iter()
                        .chain(job_keys)
                        .map(|k| keyed(k, paths.clone())),
                );
            }
            Err(e) => errors.push(e),
        }
    }
    // A stable sort: of two equal keys the later stays, as with `insert` (and in the SVGs'
    // map, filled in list order).
    keys.par_sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    done.keys = keys.into_iter().map(|(_, k, paths)| (k, paths)).collect();
    done.svgs = svgs.into_iter().collect();
    if !errors.is_empty() {
        errors.dedup_by(|a, b| a.message == b.message && a.excerpt == b.excerpt);
        return Err(finish(errors));
    }
    done.files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(done)
}

/// The first eight bytes of `key`, zero-padded, as a number that orders as the text does
/// (ties are broken by the text).
fn prefix(key: &str) -> u64 {
    let mut b = [0; 8];
    let n = key.len().min(8);
    b[..n].copy_from_slice(&key.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

/// One job of [`render_all`]: its outcome (a table download kept when its table's key was
/// recorded), how long it took, and its keys.
fn render_one(
    cx: &Shared<'_>,
    j: &jobs::Job,
    keys: &[String],
    reuse: &Reuse<'_>,
    stream: Option<&Stream<'_>>,
) -> Timed {
    let t = Instant::now();
    let mut keys = keys.to_vec();
    let table = reuse.fingerprints.and_then(|f| {
        let table = j.table_file(cx)?;
        keys.push(f.key(&format!("{j:?}"), Reads::CONFIG, Some(&cx.material(&table))));
        Some(table)
    });
    let r = match table {
        Some(table) => match reuse.recorded(&keys[keys.len() - 1..]) {
            Some((ks, paths)) => Ok(Outcome::Kept(ks, paths)),
            None => cx.table_file(&table).map(Outcome::File),
        },
        None => jobs::render(cx, j).map(Outcome::File),
    };
    let r = r.and_then(|o| match (o, stream) {
        // A page is scanned for the link check before it goes; its text is read back only for
        // a broken link's line and column.
        (Outcome::File(f), Some(s)) if f.0.ends_with(".html") => {
            match std::str::from_utf8(&f.1).map(links::scan) {
                Ok(scanned) => s.put(f).map(|path| Outcome::Page(path, scanned)),
                Err(_) => Ok(Outcome::File(f)),
            }
        }
        (Outcome::File(f), Some(s)) => {
            let svg = f.0.ends_with(".svg").then(|| Sha256::digest(&f.1).into());
            s.put(f).map(|path| Outcome::Staged(path, svg))
        }
        (o, _) => Ok(o),
    });
    (j.kind(), t.elapsed(), r, keys)
}

/// Two outputs on one path (rendered or kept) is a bug in input naming (e.g. a static file
/// shadowing a page): one error per path.
fn collisions(
    files: &[jobs::OutputFile],
    staged: &[String],
    kept: &[String],
) -> Result<(), Diagnostics> {
    // Sorted on every thread: a desa portal writes 580,000 files.
    let mut paths: Vec<&str> = files
        .iter()
        .map(|(p, _)| p.as_str())
        .chain(staged.iter().chain(kept).map(String::as_str))
        .collect();
    paths.par_sort_unstable();
    let errors: Vec<Diagnostic> = paths
        .chunk_by(|a, b| a == b)
        .filter(|same| same.len() > 1)
        .map(|same| {
            Diagnostic::error(
                Code::OutputCollision,
                same[0],
                format!("{} keluaran menulis ke berkas yang sama", same.len()),
            )
            .hint("ganti nama berkas di static/ atau slug halaman yang bertabrakan")
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(finish(errors))
    }
}

/// A job to render with its keys.
type Keyed<'a> = (&'a jobs::Job, Vec<String>);

/// Each job's key with the files it wrote (a file may have more than one key).
type JobKeys = BTreeMap<String, Vec<String>>;

/// One rendered job: its kind, how long it took, its outcome or the error, and its keys.
type Timed = (
    &'static str,
    Duration,
    Result<Outcome, Diagnostic>,
    Vec<String>,
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
    // The config may name a file outside the site; its contents are never echoed in a message.
    let outside = !crate::inside::within(root, &path);
    let mut b = crate::charts::load_boundaries(&path, config.maps.code_property.as_deref())
        .map_err(|mut d| {
            if outside {
                d.excerpt = None;
            }
            d
        })?;
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
        if d.slug == crate::urls::FACETS_DIR {
            errors.push(
                Diagnostic::error(
                    Code::DuplicateDataset,
                    &d.descriptor_file,
                    format!(
                        "nama dataset \"{}\" dipakai katalog sendiri (/data/{}/)",
                        d.slug,
                        crate::urls::FACETS_DIR
                    ),
                )
                .hint("ganti \"name\" di datapackage.json ini"),
            );
        }
        if let Some(first) = seen.insert(d.slug.clone(), d.descriptor_file.clone()) {
            errors.push(
                Diagnostic::error(
                    Code::DuplicateDataset,
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
