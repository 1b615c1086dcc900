//! Atom feeds beyond the news: the data releases, each programme (its news and datasets), each region (news naming it or a region below it).

use serde::Serialize;

use super::{OutputFile, Shared};
use crate::content::Section;
use crate::diagnostic::Diagnostic;
use crate::urls;

/// Entries of a programme's or a region's feed.
const ENTRIES: usize = 20;

/// A feed output.
#[derive(Debug, Clone)]
pub(crate) enum Job {
    /// One entry per dataset version: `/data/feed.xml`.
    Data,
    /// A programme's news and datasets: `/program/<slug>/feed.xml`.
    Program { slug: String },
    /// News naming a region or a region below it: `/wilayah/<kode>-<nama>/feed.xml`.
    Region { code: String },
}

impl Job {
    pub(super) fn kind(&self) -> &'static str {
        "umpan"
    }
}

pub(super) fn list(cx: &Shared<'_>) -> Vec<Job> {
    let site = cx.site;
    let mut jobs = Vec::new();
    if !site.datasets.is_empty() {
        jobs.push(Job::Data);
    }
    jobs.extend(
        site.programs
            .keys()
            .filter(|slug| has_program_feed(cx, slug))
            .map(|slug| Job::Program { slug: slug.clone() }),
    );
    jobs.extend(
        site.region_pages
            .iter()
            .filter(|code| site.region_news.contains_key(*code))
            .map(|code| Job::Region { code: code.clone() }),
    );
    jobs
}

pub(super) fn render(cx: &Shared<'_>, job: &Job) -> Result<OutputFile, Diagnostic> {
    match job {
        Job::Data => data(cx),
        Job::Program { slug } => program(cx, slug),
        Job::Region { code } => region(cx, code),
    }
}

/// Whether a programme has anything to put in its feed.
pub(crate) fn has_program_feed(cx: &Shared<'_>, slug: &str) -> bool {
    cx.site.program_datasets.contains_key(slug)
        || cx
            .site
            .pages
            .iter()
            .any(|p| p.program.iter().any(|g| g == slug))
}

/// The feed address of a programme's page, when it has one; empty otherwise.
pub(crate) fn program_feed_url(cx: &Shared<'_>, slug: &str) -> String {
    match cx.site.programs.get(slug) {
        Some(&i) if has_program_feed(cx, slug) => {
            format!("{}feed.xml", urls::page(&cx.site.pages[i]))
        }
        _ => String::new(),
    }
}

/// The feed address of a region's page, when it has one; empty otherwise.
pub(crate) fn region_feed_url(cx: &Shared<'_>, code: &str) -> String {
    if cx.site.region_news.contains_key(code) {
        format!("{}feed.xml", urls::region(&cx.site.registry, code))
    } else {
        String::new()
    }
}

/// One entry, with absolute addresses and RFC 3339 dates.
#[derive(Serialize)]
struct Entry {
    title: String,
    url: String,
    id: String,
    updated: String,
    summary: String,
}

#[derive(Serialize)]
struct FeedContext {
    title: String,
    subtitle: String,
    /// The page the feed belongs to.
    alternate: String,
    self_url: String,
    updated: String,
    author: String,
    email: String,
    entries: Vec<Entry>,
}

fn rfc3339(d: crate::calendar::Date) -> String {
    format!("{}T00:00:00Z", d.iso())
}

fn write(
    cx: &Shared<'_>,
    page_url: &str,
    title: String,
    subtitle: String,
    mut entries: Vec<Entry>,
) -> Result<OutputFile, Diagnostic> {
    let site = cx.site;
    let abs = |u: &str| urls::absolute(&site.config.base_url, u);
    let feed_url = format!("{page_url}feed.xml");
    // Newest first; ties by id, so the order never depends on the input's order.
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    let updated = entries
        .first()
        .map(|e| e.updated.clone())
        .unwrap_or_else(|| rfc3339(site.today));
    let c = &site.config.contact;
    let context = FeedContext {
        title,
        subtitle,
        alternate: abs(page_url),
        self_url: abs(&feed_url),
        updated,
        author: if c.organisation.is_empty() {
            site.config.title.clone()
        } else {
            c.organisation.clone()
        },
        email: c.email.clone(),
        entries,
    };
    let bytes = cx.html("atom.xml", &context)?;
    Ok((urls::file_of(&feed_url), bytes))
}

/// News pages as entries (the feed keeps at most [`ENTRIES`]).
fn news_entries(cx: &Shared<'_>, pages: impl IntoIterator<Item = usize>) -> Vec<Entry> {
    let site = cx.site;
    pages
        .into_iter()
        .filter(|&i| site.pages[i].section == Section::Berita)
        .take(ENTRIES)
        .map(|i| {
            let p = &site.pages[i];
            let url = urls::absolute(&site.config.base_url, &urls::page(p));
            Entry {
                title: p.title.clone(),
                id: url.clone(),
                url,
                updated: rfc3339(p.date.unwrap_or(site.today)),
                summary: p.summary.clone(),
            }
        })
        .collect()
}

/// A dataset's versions as entries, one per version with what changed from the one before; a
/// dataset without a version is one entry named by its date. Ids name the version, so a new
/// version is a new entry and an old one keeps its id across builds.
fn dataset_entries(cx: &Shared<'_>, di: usize) -> Vec<Entry> {
    let site = cx.site;
    let d = &site.datasets[di];
    let page = urls::absolute(&site.config.base_url, &urls::dataset(&d.slug));
    let date = d.updated.or(d.created);
    let years: Vec<i32> = d
        .rows
        .iter()
        .filter_map(|r| r.period.as_ref().map(|p| p.year))
        .collect();
    let span = match (years.iter().min(), years.iter().max()) {
        (Some(a), Some(b)) if a != b => format!(", {a}–{b}"),
        (Some(a), _) => format!(", {a}"),
        _ => String::new(),
    };
    let source = d.credit_line();
    let about = format!(
        "Sumber: {}. {}",
        if source.is_empty() { "–" } else { &source },
        d.description
    );
    let versions = &cx.views.histories[di].versions;
    if versions.is_empty() {
        let (title, id) = match date {
            Some(day) => (
                format!("{} (diperbarui {})", d.title, day.shown()),
                format!("{page}#{}", day.iso()),
            ),
            None => (d.title.clone(), page.clone()),
        };
        return vec![Entry {
            title,
            url: page.clone(),
            id,
            updated: rfc3339(date.unwrap_or(site.today)),
            summary: format!(
                "{} baris{span}. {about}",
                crate::locale::number(d.rows.len() as f64, 0)
            )
            .trim()
            .to_string(),
        }];
    }
    versions
        .iter()
        .map(|v| {
            let url = format!("{page}#versi-{}", v.version);
            let changed = match (&v.previous, v.summary.is_empty()) {
                (Some(p), false) => format!("Dibanding versi {p}: {}", v.summary),
                _ => "Versi pertama".to_string(),
            };
            let details = if v.details.is_empty() {
                String::new()
            } else {
                format!(" ({})", v.details.join("; "))
            };
            let released = if v.released { "" } else { " Belum dirilis." };
            Entry {
                title: format!("{} (versi {})", d.title, v.version),
                id: url.clone(),
                url,
                updated: crate::calendar::Date::parse(&v.iso)
                    .or(date)
                    .map_or_else(|| rfc3339(site.today), rfc3339),
                summary: format!("{changed}{details}.{released} {about}")
                    .trim()
                    .to_string(),
            }
        })
        .collect()
}

fn data(cx: &Shared<'_>) -> Result<OutputFile, Diagnostic> {
    let site = cx.site;
    let entries = (0..site.datasets.len())
        .flat_map(|di| dataset_entries(cx, di))
        .collect();
    write(
        cx,
        urls::CATALOG,
        format!("Data {}", site.config.title),
        "Dataset baru dan versi baru dataset".into(),
        entries,
    )
}

fn program(cx: &Shared<'_>, slug: &str) -> Result<OutputFile, Diagnostic> {
    let site = cx.site;
    let page = &site.pages[site.programs[slug]];
    let name = page
        .short_name
        .clone()
        .unwrap_or_else(|| page.title.clone());
    let mut entries = news_entries(
        cx,
        (0..site.pages.len()).filter(|&i| site.pages[i].program.iter().any(|g| g == slug)),
    );
    if let Some(ds) = site.program_datasets.get(slug) {
        entries.extend(ds.iter().flat_map(|&di| dataset_entries(cx, di)));
    }
    write(
        cx,
        &urls::page(page),
        format!("{name} – {}", site.config.title),
        format!("Berita dan data program {}", page.title),
        entries,
    )
}

fn region(cx: &Shared<'_>, code: &str) -> Result<OutputFile, Diagnostic> {
    let site = cx.site;
    let name = site
        .registry
        .get(code)
        .map_or(code.to_string(), |r| r.nama.clone());
    let pages = site.region_news.get(code).cloned().unwrap_or_default();
    write(
        cx,
        &urls::region(&site.registry, code),
        format!("{name} – {}", site.config.title),
        format!("Berita tentang {name} dan wilayah di dalamnya"),
        news_entries(cx, pages),
    )
}
