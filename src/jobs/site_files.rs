//! Site files: the sitemap, the news feed, the 404 page, robots.txt and the static files of the theme and the site.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use tera::Value;

use super::{Base, OutputFile, Shared};
use crate::content::Section;
use crate::diagnostic::{Code, Diagnostic};
use crate::theme::Source;
use crate::urls;

/// A site-wide output.
#[derive(Debug, Clone)]
pub(crate) enum Job {
    /// The sitemap of the given page addresses.
    Sitemap {
        pages: Vec<String>,
    },
    Feed,
    NotFound,
    Robots,
    /// A static file copied as is.
    Static {
        source: Source,
        path: String,
    },
}

impl Job {
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Job::Sitemap { .. } | Job::Feed | Job::NotFound | Job::Robots => "lain-lain",
            Job::Static { .. } => "statis",
        }
    }
}

/// The site files; `pages` are the addresses the other families' pages have, for the sitemap.
pub(super) fn list(cx: &Shared<'_>, pages: Vec<String>) -> Vec<Job> {
    let mut jobs = vec![
        Job::NotFound,
        Job::Robots,
        Job::Sitemap { pages },
        Job::Feed,
    ];
    jobs.extend(cx.statics.iter().map(|(source, path)| Job::Static {
        source: source.clone(),
        path: path.clone(),
    }));
    jobs
}

pub(super) fn render(cx: &Shared<'_>, job: &Job) -> Result<OutputFile, Diagnostic> {
    match job {
        Job::Sitemap { pages } => sitemap(cx, pages),
        Job::Feed => feed(cx),
        Job::NotFound => {
            let context = NotFoundContext {
                base: cx.base(urls::NOT_FOUND, "Halaman tidak ditemukan"),
            };
            cx.page(urls::NOT_FOUND, "404.html", &context)
        }
        Job::Robots => Ok((
            urls::file_of(urls::ROBOTS),
            format!(
                "User-agent: *\nAllow: /\nSitemap: {}\n",
                urls::absolute(&cx.site.config.base_url, urls::SITEMAP)
            )
            .into_bytes(),
        )),
        Job::Static { source, path } => {
            let bytes = source.read().map_err(|e| {
                Diagnostic::error(
                    Code::StaticUnreadable,
                    source.shown(Path::new("")),
                    format!("tidak bisa membaca berkas statis: {e}"),
                )
            })?;
            Ok((path.clone(), bytes))
        }
    }
}

#[derive(Serialize)]
struct NotFoundContext {
    #[serde(flatten)]
    base: Base,
}

#[derive(Serialize)]
struct SitemapContext<'a> {
    /// The site's address without its trailing slash; each page's address follows it.
    base: &'a str,
    urls: &'a [String],
}

fn sitemap(cx: &Shared<'_>, pages: &[String]) -> Result<OutputFile, Diagnostic> {
    let context = SitemapContext {
        base: cx.site.config.base(),
        urls: pages,
    };
    let bytes = cx.html("sitemap.xml", &context)?;
    Ok((urls::file_of(urls::SITEMAP), bytes))
}

#[derive(Serialize)]
struct FeedContext<'a> {
    /// The site's address without its trailing slash; each item's address follows it.
    base: &'a str,
    /// The feed's own address.
    self_url: String,
    items: Vec<&'a Value>,
    /// The date of the latest news item.
    updated: String,
}

/// News items in the feed.
const FEED_ITEMS: usize = 20;

fn feed(cx: &Shared<'_>) -> Result<OutputFile, Diagnostic> {
    let site = cx.site;
    let context = FeedContext {
        base: site.config.base(),
        self_url: urls::absolute(&site.config.base_url, urls::FEED),
        items: cx.views.cards_of(
            site.section(Section::Berita)
                .map(|(i, _)| i)
                .take(FEED_ITEMS),
        ),
        updated: site
            .section(Section::Berita)
            .next()
            .and_then(|(_, p)| p.date)
            .map(|d| d.iso())
            .unwrap_or_default(),
    };
    let bytes = cx.html("feed.xml", &context)?;
    Ok((urls::file_of(urls::FEED), bytes))
}

/// Static files of the theme and the site (the site's win), as (source, output path).
pub(crate) fn statics(root: &Path, theme: &str) -> Vec<(Source, String)> {
    let mut map: BTreeMap<String, Source> = BTreeMap::new();
    map.extend(crate::theme::files(root, theme, "static"));
    let site_static = root.join("static");
    if site_static.is_dir() {
        map.extend(crate::theme::walk(root, &site_static));
    }
    map.into_iter()
        .filter(|(d, _)| crate::output::safe_relative(d) && !d.ends_with(".gitkeep"))
        .map(|(d, s)| (s, d))
        .collect()
}
