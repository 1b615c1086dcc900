//! Content pages: the home page, section lists (news paginated), the gallery's Video and Foto lists, each Markdown page, and the tag pages.

use serde::Serialize;
use tera::Value;

use super::charts::figures;
use super::{Base, OutputFile, Shared};
use crate::content::{MediaKind, Section};
use crate::data::registry::NATION;
use crate::diagnostic::Diagnostic;
use crate::model::indicator::Headline;
use crate::urls;
use crate::view::Link;
use crate::view::page::{FullPage, upcoming};
use crate::view::tables::{Ranked, ranked_children};

/// A content output.
#[derive(Debug, Clone)]
pub(crate) enum Job {
    Home,
    /// A list page of a section (`page` is 1-based).
    SectionList {
        section: Section,
        page: usize,
    },
    /// The gallery's items of one kind.
    Gallery {
        kind: MediaKind,
    },
    Page {
        index: usize,
    },
    TagIndex,
    Tag {
        slug: String,
    },
    /// An agenda item's calendar file, or (`None`) the whole agenda's.
    Calendar {
        index: Option<usize>,
    },
}

impl Job {
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Job::Home => "beranda",
            Job::SectionList { .. } | Job::Gallery { .. } => "daftar",
            Job::Page { .. } => "halaman",
            Job::TagIndex | Job::Tag { .. } => "topik",
            Job::Calendar { .. } => "kalender agenda",
        }
    }

    /// Whether a translation has this page: the home page and the lists always (an untranslated
    /// item shows in Bahasa Indonesia), a page when it is translated.
    pub(super) fn translatable(&self, translated: &std::collections::HashSet<usize>) -> bool {
        match self {
            Job::Home | Job::SectionList { .. } | Job::Gallery { .. } => true,
            Job::Page { index } => translated.contains(index),
            Job::TagIndex | Job::Tag { .. } | Job::Calendar { .. } => false,
        }
    }

    pub(super) fn sitemap_url(&self, cx: &Shared<'_>) -> Option<String> {
        match self {
            Job::Home => Some(urls::HOME.to_string()),
            Job::SectionList { section, page } => Some(urls::section(*section, *page)),
            Job::Gallery { kind } => Some(urls::gallery(*kind)),
            Job::Page { index } => Some(urls::page(&cx.site.pages[*index])),
            Job::TagIndex | Job::Tag { .. } | Job::Calendar { .. } => None,
        }
    }
}

/// The sections with list pages, in menu order.
const LISTED: [Section; 4] = [
    Section::Berita,
    Section::Agenda,
    Section::Program,
    Section::Galeri,
];

/// The kinds of gallery item, each with its own list page (as the SAPA portal's Video and Fotografi menus).
const GALLERY_KINDS: [MediaKind; 2] = [MediaKind::Video, MediaKind::Foto];

/// How many items a section shows per list page (only news is paginated).
fn per_page(cx: &Shared<'_>, s: Section, items: usize) -> usize {
    if s == Section::Berita {
        cx.site.config.paginate
    } else {
        items.max(1)
    }
}

pub(super) fn list(cx: &Shared<'_>) -> Vec<Job> {
    let site = cx.site;
    let mut jobs = vec![Job::Home];
    for section in LISTED {
        let n = site.section(section).count();
        let pages = n.div_ceil(per_page(cx, section, n)).max(1);
        jobs.extend((1..=pages).map(|page| Job::SectionList { section, page }));
    }
    jobs.extend(GALLERY_KINDS.map(|kind| Job::Gallery { kind }));
    for (index, p) in site.pages.iter().enumerate() {
        if p.section != Section::Home {
            jobs.push(Job::Page { index });
        }
        if p.section == Section::Agenda && p.start.is_some() {
            jobs.push(Job::Calendar { index: Some(index) });
        }
    }
    if site
        .section(Section::Agenda)
        .any(|(_, p)| p.start.is_some())
    {
        jobs.push(Job::Calendar { index: None });
    }
    jobs.push(Job::TagIndex);
    jobs.extend(site.tags.keys().map(|slug| Job::Tag { slug: slug.clone() }));
    jobs
}

pub(super) fn render(cx: &Shared<'_>, job: &Job) -> Result<OutputFile, Diagnostic> {
    match job {
        Job::Home => home(cx),
        Job::SectionList { section, page } => section_list(cx, *section, *page),
        Job::Gallery { kind } => gallery(cx, *kind),
        Job::Page { index } => page(cx, *index),
        Job::TagIndex => tag_index(cx),
        Job::Tag { slug } => tag(cx, slug),
        Job::Calendar { index } => Ok(calendar(cx, *index)),
    }
}

/// An agenda item's `.ics`, or the whole agenda's (items in date order).
fn calendar(cx: &Shared<'_>, index: Option<usize>) -> OutputFile {
    let site = cx.site;
    match index {
        Some(i) => {
            let p = &site.pages[i];
            let bytes = crate::ics::calendar(site, &p.title, [p]);
            (urls::file_of(&urls::page_calendar(p)), bytes)
        }
        None => {
            let mut items: Vec<&crate::content::Page> = site
                .section(Section::Agenda)
                .map(|(_, p)| p)
                .filter(|p| p.start.is_some())
                .collect();
            items.sort_by(|a, b| {
                a.start
                    .map(|s| s.iso())
                    .cmp(&b.start.map(|s| s.iso()))
                    .then_with(|| a.slug.cmp(&b.slug))
            });
            let name = format!("Agenda {}", site.config.title);
            let bytes = crate::ics::calendar(site, &name, items);
            (urls::file_of(&urls::agenda_calendar()), bytes)
        }
    }
}

/// Programmes in their declared order (`urutan`), then by title.
fn programs_sorted(cx: &Shared<'_>) -> Vec<usize> {
    let site = cx.site;
    let mut v: Vec<usize> = site.section(Section::Program).map(|(i, _)| i).collect();
    v.sort_by(|&a, &b| {
        let (pa, pb) = (&site.pages[a], &site.pages[b]);
        (pa.weight, &pa.title).cmp(&(pb.weight, &pb.title))
    });
    v
}

/// The start of an agenda item as sortable text.
fn start_key(cx: &Shared<'_>, i: usize) -> String {
    cx.site.pages[i].start.map(|s| s.iso()).unwrap_or_default()
}

/// Agenda items still to come, soonest first.
fn upcoming_agenda(cx: &Shared<'_>, items: &[usize]) -> Vec<usize> {
    let mut up: Vec<usize> = items
        .iter()
        .copied()
        .filter(|&i| upcoming(cx.site, &cx.site.pages[i]))
        .collect();
    up.sort_by_key(|&i| start_key(cx, i));
    up
}

/// A headline figure of the nation on the home page.
#[derive(Serialize)]
struct Highlight<'a> {
    title: &'a str,
    url: &'a str,
    headline: &'a Headline,
}

/// The home page's map of the provinces.
#[derive(Serialize)]
struct HomeMap<'a> {
    svg: String,
    title: &'a str,
    url: String,
    period: String,
    rows: Vec<Ranked>,
}

#[derive(Serialize)]
struct HomeContext<'a> {
    #[serde(flatten)]
    base: Base,
    latest: Vec<&'a Value>,
    picks: Vec<&'a Value>,
    upcoming: Vec<&'a Value>,
    programs: Vec<&'a Value>,
    intro: Option<FullPage<'a>>,
    highlights: Vec<Highlight<'a>>,
    home_map: Option<HomeMap<'a>>,
    media: Vec<&'a Value>,
}

fn home(cx: &Shared<'_>) -> Result<OutputFile, Diagnostic> {
    let (site, views) = (cx.site, cx.views);
    let news: Vec<usize> = site.section(Section::Berita).map(|(i, _)| i).collect();
    let agenda: Vec<usize> = site.section(Section::Agenda).map(|(i, _)| i).collect();
    let home_map = site
        .indicators
        .iter()
        .find(|i| i.unit == "persen")
        .and_then(|ind| {
            let p = figures::children_period(ind, site, NATION)?;
            Some(HomeMap {
                svg: figures::map_svg(site, ind, NATION, &p, "peta-beranda")?,
                title: &ind.title,
                url: urls::indicator(&ind.slug),
                period: p.label(),
                rows: ranked_children(site, views, ind, NATION, &p, None),
            })
        });
    let context = HomeContext {
        base: cx.base(urls::HOME, cx.site_title()),
        latest: views.cards_of(news.iter().copied().take(6)),
        picks: views.cards_of(
            news.iter()
                .copied()
                .filter(|&i| site.pages[i].pilihan)
                .take(3),
        ),
        upcoming: views.cards_of(upcoming_agenda(cx, &agenda)),
        programs: views.cards_of(programs_sorted(cx)),
        intro: site
            .section(Section::Home)
            .next()
            .map(|(i, _)| FullPage::new(cx.pages, views, i)),
        highlights: views
            .indicators
            .iter()
            .filter_map(|s| {
                Some(Highlight {
                    title: &s.title,
                    url: &s.url,
                    headline: s.headline.as_ref()?,
                })
            })
            .collect(),
        home_map,
        media: views.cards_of(site.section(Section::Galeri).map(|(i, _)| i).take(3)),
    };
    cx.page(urls::HOME, "index.html", &context)
}

/// Links between the pages of a paginated list.
#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    prev: String,
    next: String,
}

#[derive(Serialize)]
struct SectionContext<'a> {
    #[serde(flatten)]
    base: Base,
    section: Section,
    section_title: &'static str,
    items: Vec<&'a Value>,
    /// Agenda only: items still to come, soonest first.
    upcoming: Vec<&'a Value>,
    /// Agenda only: past items, latest first.
    past: Vec<&'a Value>,
    pagination: Pagination,
    /// Agenda only: the whole agenda as a calendar file, when it has dated items.
    calendar: String,
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

fn section_list(cx: &Shared<'_>, s: Section, n: usize) -> Result<OutputFile, Diagnostic> {
    let (site, views) = (cx.site, cx.views);
    let items: Vec<usize> = if s == Section::Program {
        programs_sorted(cx)
    } else {
        site.section(s).map(|(i, _)| i).collect()
    };
    let per = per_page(cx, s, items.len());
    let total = items.len().div_ceil(per).max(1);
    let url = urls::section(s, n);
    let title = section_title(s);
    let (mut upcoming, mut past) = (Vec::new(), Vec::new());
    if s == Section::Agenda {
        upcoming = upcoming_agenda(cx, &items);
        past = items
            .iter()
            .copied()
            .filter(|i| !upcoming.contains(i))
            .collect();
        past.sort_by_key(|&i| std::cmp::Reverse(start_key(cx, i)));
    }
    let context = SectionContext {
        base: cx.base(
            &url,
            &if n > 1 {
                crate::i18n::tf(
                    "{judul} – halaman {n}",
                    &[("judul", &crate::i18n::t(title)), ("n", &n.to_string())],
                )
            } else {
                crate::i18n::t(title)
            },
        ),
        section: s,
        section_title: title,
        items: views.cards_of(items.iter().copied().skip((n - 1) * per).take(per)),
        calendar: if s == Section::Agenda
            && site
                .section(Section::Agenda)
                .any(|(_, p)| p.start.is_some())
        {
            urls::agenda_calendar()
        } else {
            String::new()
        },
        upcoming: views.cards_of(upcoming),
        past: views.cards_of(past),
        pagination: Pagination {
            current: n,
            total,
            prev: if n > 1 {
                urls::section(s, n - 1)
            } else {
                String::new()
            },
            next: if n < total {
                urls::section(s, n + 1)
            } else {
                String::new()
            },
        },
    };
    cx.page(&url, "section.html", &context)
}

#[derive(Serialize)]
struct PageContext<'a> {
    #[serde(flatten)]
    base: Base,
    page: FullPage<'a>,
    /// For a programme, what names it; for others, news sharing a tag or a region.
    related: Vec<&'a Value>,
    latest: Vec<&'a Value>,
    /// For a programme: the figures of the datasets that name it.
    figures: Vec<crate::view::programs::ProgramFigure>,
    /// For a programme: the datasets that name it.
    datasets: Vec<Link>,
    /// For a programme: the provinces and regions where it has figures or news.
    program_regions: Vec<crate::view::programs::ProgramProvince>,
    /// For a programme: its feed (news and datasets), when it has one.
    feed: String,
    /// For a dated agenda item: its calendar file.
    calendar: String,
}

fn page(cx: &Shared<'_>, i: usize) -> Result<OutputFile, Diagnostic> {
    let (site, views) = (cx.site, cx.views);
    let p = &cx.pages[i];
    let url = urls::page(p);
    let related: Vec<usize> = if p.section == Section::Program {
        site.pages
            .iter()
            .enumerate()
            .filter(|(_, q)| q.program.contains(&p.slug))
            .map(|(j, _)| j)
            .collect()
    } else {
        site.pages
            .iter()
            .enumerate()
            .filter(|(j, q)| {
                *j != i
                    && q.section == Section::Berita
                    && (q.tags.iter().any(|t| p.tags.contains(t))
                        || q.wilayah.iter().any(|w| p.wilayah.contains(w)))
            })
            .map(|(j, _)| j)
            .take(4)
            .collect()
    };
    let context = PageContext {
        base: cx.base(&url, &p.title),
        page: FullPage::new(cx.pages, views, i),
        related: views.cards_of(related),
        latest: views.cards_of(
            site.section(Section::Berita)
                .map(|(j, _)| j)
                .filter(|&j| j != i)
                .take(5),
        ),
        figures: if p.section == Section::Program {
            crate::view::programs::figures(site, views, &p.slug)
        } else {
            Vec::new()
        },
        datasets: if p.section == Section::Program {
            site.program_datasets
                .get(&p.slug)
                .into_iter()
                .flatten()
                .map(|&d| Link {
                    name: site.datasets[d].title.clone(),
                    url: urls::dataset(&site.datasets[d].slug),
                })
                .collect()
        } else {
            Vec::new()
        },
        program_regions: if p.section == Section::Program {
            crate::view::programs::regions(site, views, &p.slug)
        } else {
            Vec::new()
        },
        feed: if p.section == Section::Program {
            super::feeds::program_feed_url(cx, &p.slug)
        } else {
            String::new()
        },
        calendar: if p.section == Section::Agenda && p.start.is_some() {
            urls::page_calendar(p)
        } else {
            String::new()
        },
    };
    cx.page(&url, "page.html", &context)
}

/// A tag in the index, with how many pages carry it.
#[derive(Serialize)]
struct TagLink<'a> {
    name: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct TagIndexContext<'a> {
    #[serde(flatten)]
    base: Base,
    tags: Vec<TagLink<'a>>,
}

fn tag_index(cx: &Shared<'_>) -> Result<OutputFile, Diagnostic> {
    let context = TagIndexContext {
        base: cx.base(urls::TAGS, "Topik"),
        tags: cx
            .site
            .tags
            .iter()
            .map(|(slug, (name, pages))| TagLink {
                name,
                url: urls::tag_slug(slug),
                count: pages.len(),
            })
            .collect(),
    };
    cx.page(urls::TAGS, "tags.html", &context)
}

#[derive(Serialize)]
struct TagContext<'a> {
    #[serde(flatten)]
    base: Base,
    tag: &'a str,
    items: Vec<&'a Value>,
}

fn tag(cx: &Shared<'_>, slug: &str) -> Result<OutputFile, Diagnostic> {
    let (name, pages) = &cx.site.tags[slug];
    let url = urls::tag_slug(slug);
    let context = TagContext {
        base: cx.base(&url, &format!("Topik: {name}")),
        tag: name,
        items: cx.views.cards_of(pages.iter().copied()),
    };
    cx.page(&url, "tag.html", &context)
}

#[derive(Serialize)]
struct GalleryContext<'a> {
    #[serde(flatten)]
    base: Base,
    kind: MediaKind,
    /// Items of this kind, newest first.
    items: Vec<&'a Value>,
    /// The list of the other kind.
    other: Link,
}

fn gallery_title(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Video => "Video",
        MediaKind::Foto => "Fotografi",
    }
}

fn gallery(cx: &Shared<'_>, kind: MediaKind) -> Result<OutputFile, Diagnostic> {
    let site = cx.site;
    let url = urls::gallery(kind);
    let other = match kind {
        MediaKind::Video => MediaKind::Foto,
        MediaKind::Foto => MediaKind::Video,
    };
    let context = GalleryContext {
        base: cx.base(&url, &crate::i18n::t(gallery_title(kind))),
        kind,
        items: cx.views.cards_of(
            site.section(Section::Galeri)
                .filter(|(_, p)| p.media == Some(kind))
                .map(|(i, _)| i),
        ),
        other: Link {
            name: gallery_title(other).to_string(),
            url: urls::gallery(other),
        },
    };
    cx.page(&url, "gallery.html", &context)
}
