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
    /// The sitemap of the given page addresses: the whole site's, or its `part`th part.
    Sitemap {
        part: Option<usize>,
        pages: Vec<String>,
    },
    /// The sitemap as an index of its parts, when one file may not list every page.
    SitemapIndex {
        parts: usize,
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
            Job::Sitemap { .. }
            | Job::SitemapIndex { .. }
            | Job::Feed
            | Job::NotFound
            | Job::Robots => "lain-lain",
            Job::Static { .. } => "statis",
        }
    }
}

/// The site files; `pages` are the addresses the other families' pages have, for the sitemap.
pub(super) fn list(cx: &Shared<'_>, pages: Vec<String>) -> Vec<Job> {
    let mut jobs = vec![Job::NotFound, Job::Robots, Job::Feed];
    let mut parts = sitemap_parts(pages, SITEMAP_URLS, SITEMAP_BYTES);
    if parts.len() == 1 {
        let pages = parts.pop().unwrap_or_default();
        jobs.push(Job::Sitemap { part: None, pages });
    } else {
        jobs.push(Job::SitemapIndex { parts: parts.len() });
        jobs.extend(
            parts
                .into_iter()
                .enumerate()
                .map(|(i, pages)| Job::Sitemap {
                    part: Some(i + 1),
                    pages,
                }),
        );
    }
    jobs.extend(cx.statics.iter().map(|(source, path)| Job::Static {
        source: source.clone(),
        path: path.clone(),
    }));
    jobs
}

pub(super) fn render(cx: &Shared<'_>, job: &Job) -> Result<OutputFile, Diagnostic> {
    match job {
        Job::Sitemap { part, pages } => sitemap(cx, *part, pages),
        Job::SitemapIndex { parts } => Ok((
            urls::file_of(urls::SITEMAP),
            sitemap_index(&cx.site.config.base_url, *parts).into_bytes(),
        )),
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

fn sitemap(
    cx: &Shared<'_>,
    part: Option<usize>,
    pages: &[String],
) -> Result<OutputFile, Diagnostic> {
    let context = SitemapContext {
        base: cx.site.config.base(),
        urls: pages,
    };
    let bytes = cx.html("sitemap.xml", &context)?;
    let url = part.map_or_else(|| urls::SITEMAP.to_string(), urls::sitemap_part);
    Ok((urls::file_of(&url), bytes))
}

/// The most addresses one sitemap file may list, and its largest size (sitemaps.org: 50,000
/// addresses, 50 MB; the size is kept well under, as each address is written with its
/// markup and the site's address).
const SITEMAP_URLS: usize = 50_000;
const SITEMAP_BYTES: usize = 40 << 20;

/// The page addresses in consecutive parts of at most `max_urls` addresses and about
/// `max_bytes` of addresses each; one part (maybe empty) when they fit in one.
fn sitemap_parts(pages: Vec<String>, max_urls: usize, max_bytes: usize) -> Vec<Vec<String>> {
    let mut parts: Vec<Vec<String>> = vec![Vec::new()];
    let mut bytes = 0;
    for page in pages {
        // An address's own length plus its markup (`  <url><loc>`, the site, `</loc></url>`).
        let size = page.len() + 100;
        let full = parts
            .last()
            .is_some_and(|p| !p.is_empty() && (p.len() >= max_urls || bytes + size > max_bytes));
        if full {
            parts.push(Vec::new());
            bytes = 0;
        }
        bytes += size;
        if let Some(part) = parts.last_mut() {
            part.push(page);
        }
    }
    parts
}

/// The sitemap index of `parts` parts (sitemaps.org's `sitemapindex`).
fn sitemap_index(base_url: &str, parts: usize) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 1..=parts {
        let mut loc = Vec::new();
        let url = urls::absolute(base_url, &urls::sitemap_part(n));
        // Writing into a vector cannot fail.
        let _ = tera::escape_html(&url, &mut loc);
        out.push_str("  <sitemap><loc>");
        out.push_str(&String::from_utf8_lossy(&loc));
        out.push_str("</loc></sitemap>\n");
    }
    out.push_str("</sitemapindex>\n");
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("/wilayah/{i:05}/")).collect()
    }

    #[test]
    fn a_sitemap_is_split_at_its_address_limit_in_order() {
        assert_eq!(sitemap_parts(pages(3), 3, usize::MAX), vec![pages(3)]);
        assert_eq!(
            sitemap_parts(Vec::new(), 3, usize::MAX),
            vec![Vec::<String>::new()]
        );
        let parts = sitemap_parts(pages(7), 3, usize::MAX);
        assert_eq!(
            parts.iter().map(Vec::len).collect::<Vec<_>>(),
            [3, 3, 1],
            "{parts:?}"
        );
        assert_eq!(parts.concat(), pages(7), "every address once, in order");
    }

    #[test]
    fn a_sitemap_is_split_at_its_size_limit() {
        // Each address counts its length and 100 bytes of markup: 115 bytes here.
        let parts = sitemap_parts(pages(5), 50_000, 2 * 115);
        assert_eq!(parts.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 1]);
        // An address larger than the limit still gets a part of its own.
        let parts = sitemap_parts(pages(2), 50_000, 10);
        assert_eq!(parts.iter().map(Vec::len).collect::<Vec<_>>(), [1, 1]);
    }

    #[test]
    fn the_sitemap_index_lists_every_part_with_the_sites_address() {
        let index = sitemap_index("https://data.example.org/?a=1&b=2/", 3);
        assert!(index.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
        assert_eq!(index.matches("<sitemap><loc>").count(), 3);
        assert!(
            index.contains("<loc>https://data.example.org/?a=1&amp;b=2/sitemap-3.xml</loc>"),
            "{index}"
        );
        assert!(index.ends_with("</sitemapindex>\n"));
    }
}
