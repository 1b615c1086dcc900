//! Template values: each page, region and dataset serialised once and shared by every output that shows it.

use serde::Serialize;
use tera::Value;

use crate::content::{MediaKind, Page, Section};
use crate::locale::WEEKDAYS;
use crate::model::{Site, page_url, region_url};

/// A link to a region.
#[derive(Debug, Clone, Serialize)]
pub struct RegionRef {
    pub kode: String,
    pub nama: String,
    pub jenis: String,
    pub url: String,
}

/// A link to a tag or programme.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// What lists and cards need of a page.
#[derive(Debug, Clone, Serialize)]
pub struct PageValue {
    pub title: String,
    pub url: String,
    pub section: Section,
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
    pub html: String,
    pub toc: Vec<Link>,
}

/// A region reference for templates.
pub fn region_ref(site: &Site, code: &str) -> RegionRef {
    let r = site.registry.get(code);
    RegionRef {
        kode: code.to_string(),
        nama: r.map_or_else(|| code.to_string(), |r| r.nama.clone()),
        jenis: r.map_or("", |r| r.jenis.key()).to_string(),
        url: if site.region_pages.contains(code) {
            region_url(&site.registry, code)
        } else {
            String::new()
        },
    }
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

/// Serialises a page once.
pub fn page_value(site: &Site, p: &Page) -> PageValue {
    let start_date = p.start.map(|s| s.date);
    PageValue {
        title: p.title.clone(),
        url: page_url(p),
        section: p.section,
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
                url: format!("/tag/{}/", crate::slug::slugify(t)),
            })
            .collect(),
        wilayah: p.wilayah.iter().map(|c| region_ref(site, c)).collect(),
        program: p
            .program
            .iter()
            .filter_map(|s| site.programs.get(s).map(|&i| &site.pages[i]))
            .map(|pp| Link {
                name: pp.short_name.clone().unwrap_or_else(|| pp.title.clone()),
                url: page_url(pp),
            })
            .collect(),
        place: p.place.clone().unwrap_or_default(),
        start: p.start.map(|s| s.iso()).unwrap_or_default(),
        start_text: when(p.start),
        end_text: when(p.end),
        upcoming: p.section == Section::Agenda && start_date.is_some_and(|d| d >= site.today),
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
        html: p.html.clone(),
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

/// Converts anything serialisable into a template value.
pub fn to_value<T: Serialize>(v: &T) -> Value {
    Value::from_serializable(v)
}
