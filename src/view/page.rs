//! A page as every list, card and feed shows it, serialised once; the full page (with its HTML) only for its own output.

use serde::Serialize;

use super::{Link, RegionRef, ViewCache};
use crate::content::{MediaKind, Page, Section};
use crate::model::Site;
use crate::urls;

/// What lists, cards and feeds need of a page (no body: that is held once, by the model).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageCard {
    /// The language its words are in (`id`, or a translation's).
    pub lang: &'static str,
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
    /// The host's player address (YouTube without cookies, Vimeo), loaded only when the reader
    /// presses play; empty for other hosts, whose videos stay a link.
    pub video_embed: String,
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
    /// The full value of page `i` of `pages` (the site's, or a translation's).
    pub(crate) fn new(pages: &'a [Page], views: &'a ViewCache, i: usize) -> FullPage<'a> {
        let p = &pages[i];
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
        let day = crate::locale::weekday_name(d.date.weekday());
        let t = d.time_id();
        let date = d.date.shown();
        if t.is_empty() {
            format!("{day}, {date}")
        } else {
            crate::i18n::tf(
                "{hari}, {tanggal}, pukul {jam}",
                &[("hari", day), ("tanggal", &date), ("jam", &t)],
            )
        }
    })
    .unwrap_or_default()
}

/// The player address of a YouTube or Vimeo video (`youtube-nocookie.com/embed/ID`,
/// `player.vimeo.com/video/ID`), built from an ID checked character by character; `None` for
/// any other address.
pub(crate) fn video_embed(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.trim_start_matches("www.").trim_start_matches("m.");
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let youtube_id = |id: &str| {
        (id.len() >= 6
            && id.len() <= 20
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .then(|| format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1"))
    };
    match host {
        "youtube.com" => match path.split('/').collect::<Vec<_>>().as_slice() {
            ["watch"] => query
                .split('&')
                .find_map(|kv| kv.strip_prefix("v="))
                .and_then(youtube_id),
            ["shorts" | "embed" | "live", id] => youtube_id(id),
            _ => None,
        },
        "youtu.be" => youtube_id(path),
        "vimeo.com" => {
            (!path.is_empty() && path.len() <= 12 && path.bytes().all(|b| b.is_ascii_digit()))
                .then(|| format!("https://player.vimeo.com/video/{path}?autoplay=1"))
        }
        _ => None,
    }
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
        lang: p.lang.code(),
        title: p.title.clone(),
        url: urls::page(p),
        section: p.section,
        section_url: if dir.is_empty() {
            String::new()
        } else {
            urls::section(p.section, 1)
        },
        date: p.date.map(|d| d.iso()).unwrap_or_default(),
        date_text: p.date.map(|d| d.shown()).unwrap_or_default(),
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
        video_embed: p.video.as_deref().and_then(video_embed).unwrap_or_default(),
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

#[cfg(test)]
mod tests {
    use super::video_embed;

    #[test]
    fn only_known_hosts_and_clean_ids_become_players() {
        let yt = Some("https://www.youtube-nocookie.com/embed/Bt9LrS2kW4c?autoplay=1".to_string());
        assert_eq!(
            video_embed("https://www.youtube.com/watch?v=Bt9LrS2kW4c"),
            yt
        );
        assert_eq!(
            video_embed("https://youtube.com/watch?feature=x&v=Bt9LrS2kW4c"),
            yt
        );
        assert_eq!(video_embed("https://youtu.be/Bt9LrS2kW4c"), yt);
        assert_eq!(video_embed("https://m.youtube.com/shorts/Bt9LrS2kW4c"), yt);
        assert_eq!(
            video_embed("https://vimeo.com/76979871").as_deref(),
            Some("https://player.vimeo.com/video/76979871?autoplay=1")
        );
        for bad in [
            "https://www.youtube.com/watch?v=a\"onload=x",
            "https://www.youtube.com/watch?v=../../x",
            "https://vimeo.com/channels/staff",
            "https://example.org/video.mp4",
            "javascript:alert(1)",
        ] {
            assert_eq!(video_embed(bad), None, "{bad}");
        }
    }
}
