//! A page as every list, card and feed shows it, serialised once; the full page (with its HTML) only for its own output.

use serde::Serialize;

use super::{Link, RegionRef, ViewCache};
use crate::content::{MediaKind, Page, Section};
use crate::locale::WEEKDAYS;
use crate::model::Site;
use crate::urls;

/// What lists, cards and feeds need of a page (no body: that is held once, by the model).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageCard {
    pub title: String,
    pub url: String,
    pub section: Section,
    /// The section's list page (`/berita/`), empty for plain pages.
    pub section_url: String,
    pub date: String,
    pub date_text: String,
    pub summary: String,
    pub pilihan: bool,
    pub image: String,
    pub image_alt: String,
    pub author: String,
    pub tags: Vec<Link>,
    pub wilayah: Vec<RegionRef>,
    pub program: Vec<Link>,
    pub place: String,
    pub start: String,
    pub start_text: String,
    pub end_text: String,
    pub upcoming: bool,
    pub media: String,
    pub video: String,
    pub video_host: String,
    pub short_name: String,
    pub organiser: String,
    pub legal_basis: String,
    pub reading_minutes: usize,
}

/// A page's own output: its card, its HTML and its table of contents.
#[derive(Debug, Serialize)]
pub(crate) struct FullPage<'a> {
    #[serde(flatten)]
    pub card: &'a tera::Value,
    pub html: &'a str,
    pub toc: Vec<Link>,
}

impl<'a> FullPage<'a> {
    /// The full value of page `i` of the site.
    pub(crate) fn new(site: &'a Site, views: &'a ViewCache, i: usize) -> FullPage<'a> {
        let p = &site.pages[i];
        FullPage {
            card: &views.cards[i],
            html: &p.html,
            toc: p
                .headings
                .iter()
                .map(|(id, t)| Link {
                    name: t.clone(),
                    url: format!("#{id}"),
                })
                .collect(),
        }
    }
}

/// Whether an agenda item is still to come ("today" from the site's clock).
pub(crate) fn upcoming(site: &Site, p: &Page) -> bool {
    p.section == Section::Agenda && p.start.is_some_and(|s| s.date >= site.today)
}

/// `Rabu, 27 Maret 2013, 09.00`
fn when(dt: Option<crate::calendar::DateTime>) -> String {
    dt.map(|d| {
        let day = WEEKDAYS[d.date.weekday()];
        let t = d.time_id();
        if t.is_empty() {
            format!("{day}, {}", d.date.indonesian())
        } else {
            format!("{day}, {}, pukul {t}", d.date.indonesian())
        }
    })
    .unwrap_or_default()
}

fn video_host(url: &str) -> String {
    url.split("://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .map(|h| h.trim_start_matches("www.").to_string())
        .unwrap_or_default()
}

/// The card of a page.
pub(crate) fn card(site: &Site, regions: &super::Regions, p: &Page) -> PageCard {
    let dir = urls::section_dir(p.section);
    PageCard {
        title: p.title.clone(),
        url: urls::page(p),
        section: p.section,
        section_url: if dir.is_empty() {
            String::new()
        } else {
            urls::section(p.section, 1)
        },
        date: p.date.map(|d| d.iso()).unwrap_or_default(),
        date_text: p.date.map(|d| d.indonesian()).unwrap_or_default(),
        summary: p.summary.clone(),
        pilihan: p.pilihan,
        image: p.image.clone().unwrap_or_default(),
        image_alt: p.image_alt.clone(),
        author: p.author.clone().unwrap_or_default(),
        tags: p
            .tags
            .iter()
            .map(|t| Link {
                name: t.clone(),
                url: urls::tag(t),
            })
            .collect(),
        wilayah: p.wilayah.iter().map(|c| regions.get(c)).collect(),
        program: program_links(site, &p.program),
        place: p.place.clone().unwrap_or_default(),
        start: p.start.map(|s| s.iso()).unwrap_or_default(),
        start_text: when(p.start),
        end_text: when(p.end),
        upcoming: upcoming(site, p),
        media: match p.media {
            Some(MediaKind::Foto) => "foto",
            Some(MediaKind::Video) => "video",
            None => "",
        }
        .to_string(),
        video: p.video.clone().unwrap_or_default(),
        video_host: p.video.as_deref().map(video_host).unwrap_or_default(),
        short_name: p.short_name.clone().unwrap_or_default(),
        organiser: p.organiser.clone().unwrap_or_default(),
        legal_basis: p.legal_basis.clone().unwrap_or_default(),
        reading_minutes: p.words.div_ceil(200).max(1),
    }
}

/// Links to the pages of programmes named by slug (short name, else title); unknown slugs are skipped.
pub(crate) fn program_links(site: &Site, slugs: &[String]) -> Vec<Link> {
    slugs
        .iter()
        .filter_map(|s| site.programs.get(s).map(|&i| &site.pages[i]))
        .map(|pp| Link {
            name: pp.short_name.clone().unwrap_or_else(|| pp.title.clone()),
            url: urls::page(pp),
        })
        .collect()
}
