//! Every URL of the site and the output file behind it: pages, sections, tags, regions, indicators, datasets, downloads, charts, feeds.
//!
//! Nothing else in Lumbung writes a URL: jobs ask this module where their file goes, templates
//! get the fixed addresses as the `urls` value, and the sitemap and the link check resolve
//! through [`file_of`].

use serde::Serialize;

use crate::content::{MediaKind, Page, Section};
use crate::data::registry::{NATION, Registry};
use crate::downloads::Format;
use crate::jobs::charts::{ChartFile, ChartKind};
use crate::slug::slugify;

/// The home page.
pub(crate) const HOME: &str = "/";
/// The index of tags.
pub(crate) const TAGS: &str = "/tag/";
/// The index of regions.
pub(crate) const REGIONS: &str = "/wilayah/";
/// The index of indicators.
pub(crate) const INDICATORS: &str = "/indikator/";
/// The data catalogue.
pub(crate) const CATALOG: &str = "/data/";
/// The Atom feed of news.
pub(crate) const FEED: &str = "/feed.xml";
/// The sitemap (an index of its parts when the site has more pages than one sitemap may list).
pub(crate) const SITEMAP: &str = "/sitemap.xml";

/// The `n`th part of a sitemap split in parts (from 1).
pub(crate) fn sitemap_part(n: usize) -> String {
    format!("/sitemap-{n}.xml")
}
/// The catalogue in DCAT-US 1.1, where data.gov-style harvesters look for it.
pub(crate) const DATA_JSON: &str = "/data.json";
/// The catalogue as DCAT-AP JSON-LD, for CKAN's DCAT harvester.
pub(crate) const DCAT_JSONLD: &str = "/katalog.jsonld";
/// The page served for unknown addresses.
pub(crate) const NOT_FOUND: &str = "/404.html";
/// Instructions for crawlers.
pub(crate) const ROBOTS: &str = "/robots.txt";
/// The theme's stylesheet.
pub(crate) const STYLESHEET: &str = "/style.css";
/// The search page: results with JavaScript, the A–Z list of regions and their other names without.
pub(crate) const SEARCH: &str = "/cari/";
/// The compare page: the chooser (with JavaScript) and the list of compare pages.
pub(crate) const COMPARE: &str = "/bandingkan/";
/// The chooser's script on the compare page.
pub(crate) const COMPARE_SCRIPT: &str = "/bandingkan.js";
/// The script of the search page (theme static file).
pub(crate) const SEARCH_SCRIPT: &str = "/cari.js";
/// The click-to-load video player's script.
pub(crate) const VIDEO_SCRIPT: &str = "/video.js";
/// The theme's icon.
pub(crate) const FAVICON: &str = "/favicon.svg";

/// First path segments Lumbung uses itself; a plain page may not take one as its slug.
pub(crate) const RESERVED: &[&str] = &[
    "berita",
    "agenda",
    "program",
    "galeri",
    "wilayah",
    "indikator",
    "data",
    "tag",
    "halaman",
    "cari",
    "pagefind",
    "bandingkan",
];

/// The first segment of a section's URLs (`berita`), empty for plain pages and the home page.
pub(crate) fn section_dir(s: Section) -> &'static str {
    match s {
        Section::Home | Section::Halaman => "",
        Section::Berita => "berita",
        Section::Agenda => "agenda",
        Section::Program => "program",
        Section::Galeri => "galeri",
    }
}

/// A section's list page `n` (1-based): `/berita/`, `/berita/halaman/2/`.
pub(crate) fn section(s: Section, n: usize) -> String {
    let dir = section_dir(s);
    if n <= 1 {
        format!("/{dir}/")
    } else {
        format!("/{dir}/halaman/{n}/")
    }
}

/// The gallery's list of one kind of item: `/galeri/video/`, `/galeri/foto/`.
pub(crate) fn gallery(kind: MediaKind) -> String {
    format!("{}{}/", section(Section::Galeri, 1), gallery_dir(kind))
}

fn gallery_dir(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Video => "video",
        MediaKind::Foto => "foto",
    }
}

/// Whether a page of `section` may not take `slug` because Lumbung uses that address itself
/// (`/wilayah/` for a plain page, `/galeri/video/` for a gallery item).
pub(crate) fn reserved_slug(section: Section, slug: &str) -> bool {
    match section {
        Section::Halaman => RESERVED.contains(&slug),
        Section::Galeri => [MediaKind::Video, MediaKind::Foto]
            .iter()
            .any(|k| gallery_dir(*k) == slug),
        _ => false,
    }
}

/// A page: `/berita/<slug>/`, `/<slug>/` for plain pages, `/` for the home text.
pub(crate) fn page(p: &Page) -> String {
    match p.section {
        Section::Home => HOME.to_string(),
        Section::Halaman => format!("/{}/", p.slug),
        s => format!("/{}/{}/", section_dir(s), p.slug),
    }
}

/// A tag's page, from the tag as written.
pub(crate) fn tag(name: &str) -> String {
    tag_slug(&slugify(name))
}

/// A tag's page, from its slug.
pub(crate) fn tag_slug(slug: &str) -> String {
    format!("{TAGS}{slug}/")
}

/// A region's page: `/wilayah/indonesia/`, `/wilayah/36.73-kota-serang/`.
pub(crate) fn region(registry: &Registry, code: &str) -> String {
    match registry.get(code) {
        Some(r) if code == NATION => format!("{REGIONS}{}/", slugify(&r.nama)),
        Some(r) => format!("{REGIONS}{}-{}/", r.kode, slugify(&r.nama)),
        None => format!("{REGIONS}{code}/"),
    }
}

/// Every figure of a region as one download: `/wilayah/36.73-kota-serang/data.csv`.
pub(crate) fn region_download(registry: &Registry, code: &str, f: Format) -> String {
    format!("{}data.{}", region(registry, code), f.ext())
}

/// A region's targets as a CSV: `/wilayah/73.03-kabupaten-bantaeng/target.csv`.
pub(crate) fn region_targets(registry: &Registry, code: &str) -> String {
    format!("{}target.csv", region(registry, code))
}

/// A chart of a region's indicator as a file: `/wilayah/36-banten/p0-peta.svg`.
pub(crate) fn region_chart(
    site: &crate::model::Site,
    code: &str,
    ind: &crate::model::Indicator,
    kind: ChartKind,
    file: ChartFile,
) -> String {
    format!(
        "{}{}{}.{}",
        region(&site.registry, code),
        ind.slug,
        kind.suffix(site, ind),
        file.ext()
    )
}

/// An indicator's page: `/indikator/p0/`.
pub(crate) fn indicator(slug: &str) -> String {
    format!("{INDICATORS}{slug}/")
}

/// The page of an indicator or of one of its slices: `/indikator/p0/`, `/indikator/p0/perkotaan/`.
pub(crate) fn indicator_of(ind: &crate::model::Indicator) -> String {
    match &ind.slice {
        Some(s) => format!("{}{}/", indicator(&ind.slug), s.slug),
        None => indicator(&ind.slug),
    }
}

/// An indicator's data, every region and period: `/indikator/p0/p0.csv`.
pub(crate) fn indicator_download(slug: &str, f: Format) -> String {
    format!("{}{slug}.{}", indicator(slug), f.ext())
}

/// A region's sub-regions compared on one scale: `/bandingkan/36-banten/p0/`.
pub(crate) fn compare_group(registry: &Registry, code: &str, slug: &str) -> String {
    let dir = region(registry, code);
    let dir = dir.strip_prefix(REGIONS).unwrap_or(&dir);
    format!("{COMPARE}{dir}{slug}/")
}

/// The figures the chooser draws, one file per indicator: `/bandingkan/p0.json`.
pub(crate) fn compare_data(slug: &str) -> String {
    format!("{COMPARE}{slug}.json")
}

/// An indicator's targets as a CSV: `/indikator/p0/target.csv`.
pub(crate) fn indicator_targets(slug: &str) -> String {
    format!("{}target.csv", indicator(slug))
}

/// A dataset's page: `/data/kemiskinan-bps/`.
pub(crate) fn dataset(slug: &str) -> String {
    format!("{CATALOG}{slug}/")
}

/// A dataset as a download: `/data/kemiskinan-bps/kemiskinan-bps.csv`.
pub(crate) fn dataset_download(slug: &str, f: Format) -> String {
    format!("{}{slug}.{}", dataset(slug), f.ext())
}

/// Folder of the catalogue's facet pages (`/data/telusur/tema/pkh/`); no dataset may take its name.
pub(crate) const FACETS_DIR: &str = "telusur";

/// A facet value's page: `/data/telusur/tema/pkh/`.
pub(crate) fn catalog_facet(facet: &str, value: &str) -> String {
    format!("{CATALOG}{FACETS_DIR}/{facet}/{value}/")
}

/// A dataset's Data Package descriptor.
pub(crate) fn dataset_descriptor(slug: &str) -> String {
    format!("{}datapackage.json", dataset(slug))
}

/// The folder of a released version's files: `/data/kemiskinan-bps/v1.0.0/`.
pub(crate) fn dataset_release(slug: &str, version: &str) -> String {
    format!("{}v{version}/", dataset(slug))
}

/// A released version's file: `/data/kemiskinan-bps/v1.0.0/kemiskinan-bps.csv`.
pub(crate) fn dataset_release_file(slug: &str, version: &str, file: &str) -> String {
    format!("{}{file}", dataset_release(slug, version))
}

/// The regions a dataset's rows name, beside its descriptor.
pub(crate) fn dataset_region_list(slug: &str) -> String {
    format!("{}{}", dataset(slug), crate::published::REGION_LIST)
}

/// The Data Package descriptor beside a download (`/indikator/p0/datapackage.json`,
/// `/wilayah/36-banten/datapackage.json`): the download's folder.
pub(crate) fn descriptor_beside(download: &str) -> String {
    let dir = download.rsplit_once('/').map_or("", |(d, _)| d);
    format!("{dir}/datapackage.json")
}

/// An agenda item's calendar file: `/agenda/lokakarya/acara.ics`.
pub(crate) fn page_calendar(p: &Page) -> String {
    format!("{}acara.ics", page(p))
}

/// The whole agenda as one calendar to subscribe to: `/agenda/agenda.ics`.
pub(crate) fn agenda_calendar() -> String {
    format!("/{}/agenda.ics", section_dir(Section::Agenda))
}

/// The output file (relative to the output folder) that serves `url`: a folder URL is its `index.html`.
pub(crate) fn file_of(url: &str) -> String {
    let t = url.trim_start_matches('/');
    if t.is_empty() {
        "index.html".to_string()
    } else if t.ends_with('/') {
        format!("{t}index.html")
    } else {
        t.to_string()
    }
}

/// The absolute address of a site URL (`https://contoh.or.id/wilayah/`).
pub(crate) fn absolute(base_url: &str, url: &str) -> String {
    format!("{}{url}", base_url.trim_end_matches('/'))
}

/// Root-absolute links of a page (`href="/data/"`, `src="/style.css"`) moved under the path the
/// site is served from (`href="/portal/data/"`); protocol-relative `//…` and absolute links stay.
/// Every address is made root-absolute here (templates, Markdown links), so one pass suffices.
pub(crate) fn under_base_path(html: &str, base_path: &str) -> String {
    if base_path.is_empty() {
        return html.to_string();
    }
    const ATTRS: [&str; 6] = ["href", "src", "action", "poster", "srcset", "xlink:href"];
    let mut out = String::with_capacity(html.len() + html.len() / 50);
    let mut copied = 0;
    // One pass over every `="/`: moved when the attribute before it is one of ATTRS (a whole
    // name, so `data-href` stays) and the value is not protocol-relative (`//cdn…`).
    for (i, _) in html.match_indices("=\"/") {
        let before = &html[..i];
        let ours = ATTRS.iter().any(|a| {
            before
                .strip_suffix(a)
                .is_some_and(|b| b.ends_with(|c: char| c.is_whitespace()))
        });
        if ours && !html[i + 2..].starts_with("//") {
            out.push_str(&html[copied..i + 2]);
            out.push_str(base_path);
            copied = i + 2;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// The links of a page in a translation (`prefix` = `/en`) to pages the translation also has
/// (`translated`, by their address in Bahasa Indonesia) moved into it: `href="/wilayah/36/"` →
/// `href="/en/wilayah/36/"`, keeping `#anchor` and `?query`. Links to files (downloads, charts,
/// the stylesheet), to pages only in Bahasa Indonesia, and links that name their language
/// (`hreflang`) stay as they are.
pub(crate) fn into_language(
    html: &str,
    prefix: &str,
    translated: &std::collections::HashSet<String>,
) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 50);
    let mut copied = 0;
    for (i, _) in html.match_indices("href=\"/") {
        let whole_name = html[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
        let start = i + "href=\"".len();
        let Some(len) = html[start..].find('"') else {
            break;
        };
        let value = &html[start..start + len];
        let path = value.split(['#', '?']).next().unwrap_or(value);
        // A link that names its language (`hreflang`, the language switch) stays.
        let tag_start = html[..i].rfind('<').unwrap_or(0);
        let tag_end = html[i..].find('>').map_or(html.len(), |e| i + e);
        let names_language = html[tag_start..tag_end].contains("hreflang=");
        if whole_name && !names_language && translated.contains(path) {
            out.push_str(&html[copied..start]);
            out.push_str(prefix);
            copied = start;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// The fixed addresses, given to every template as `urls`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Fixed {
    pub home: &'static str,
    pub news: String,
    pub agenda: String,
    pub programs: String,
    pub gallery: String,
    pub gallery_video: String,
    pub gallery_photos: String,
    pub tags: &'static str,
    pub regions: &'static str,
    pub indicators: &'static str,
    pub catalog: &'static str,
    pub feed: &'static str,
    pub data_json: &'static str,
    pub dcat_jsonld: &'static str,
    pub stylesheet: &'static str,
    pub favicon: &'static str,
    pub search: &'static str,
    pub search_script: &'static str,
    pub video_script: &'static str,
    pub compare: &'static str,
    pub compare_script: &'static str,
}

impl Fixed {
    /// The addresses as they are for every site.
    pub(crate) fn new() -> Fixed {
        Fixed {
            home: HOME,
            news: section(Section::Berita, 1),
            agenda: section(Section::Agenda, 1),
            programs: section(Section::Program, 1),
            gallery: section(Section::Galeri, 1),
            gallery_video: gallery(MediaKind::Video),
            gallery_photos: gallery(MediaKind::Foto),
            tags: TAGS,
            regions: REGIONS,
            indicators: INDICATORS,
            catalog: CATALOG,
            feed: FEED,
            data_json: DATA_JSON,
            dcat_jsonld: DCAT_JSONLD,
            stylesheet: STYLESHEET,
            favicon: FAVICON,
            search: SEARCH,
            search_script: SEARCH_SCRIPT,
            video_script: VIDEO_SCRIPT,
            compare: COMPARE,
            compare_script: COMPARE_SCRIPT,
        }
    }
}

impl Default for Fixed {
    fn default() -> Self {
        Fixed::new()
    }
}

#[cfg(test)]
mod language_tests {
    #[test]
    fn links_to_translated_pages_move_into_the_language() {
        let translated: std::collections::HashSet<String> =
            ["/".to_string(), "/wilayah/36/".to_string()].into();
        let html = r#"<a href="/">a</a><a href="/wilayah/36/#p0">b</a><a href="/wilayah/36/data.csv">c</a><a data-href="/wilayah/36/">d</a><a href="/katalog/">e</a><a href="https://x/wilayah/36/">f</a><a href="/wilayah/36/" hreflang="id">g</a>"#;
        assert_eq!(
            super::into_language(html, "/en", &translated),
            r#"<a href="/en/">a</a><a href="/en/wilayah/36/#p0">b</a><a href="/wilayah/36/data.csv">c</a><a data-href="/wilayah/36/">d</a><a href="/katalog/">e</a><a href="https://x/wilayah/36/">f</a><a href="/wilayah/36/" hreflang="id">g</a>"#
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_move_under_the_base_path() {
        let html = r#"<a href="/data/">d</a><img src="/x.png"><a href="//cdn.example/x">c</a><a href="https://a.id/">a</a><span data-href="/y"><use xlink:href="/s.svg#i"/>"#;
        assert_eq!(
            under_base_path(html, "/portal"),
            r#"<a href="/portal/data/">d</a><img src="/portal/x.png"><a href="//cdn.example/x">c</a><a href="https://a.id/">a</a><span data-href="/y"><use xlink:href="/portal/s.svg#i"/>"#
        );
        assert_eq!(under_base_path(html, ""), html);
        assert_eq!(
            crate::config::base_path_of("https://a.id/portal/"),
            "/portal"
        );
        assert_eq!(crate::config::base_path_of("https://a.id/"), "");
        assert_eq!(crate::config::base_path_of("https://a.id"), "");
        assert_eq!(crate::config::base_path_of("https://a.id/a/b"), "/a/b");
    }

    #[test]
    fn files_behind_urls() {
        assert_eq!(file_of("/"), "index.html");
        assert_eq!(file_of("/berita/halaman/2/"), "berita/halaman/2/index.html");
        assert_eq!(file_of("/feed.xml"), "feed.xml");
        assert_eq!(file_of(NOT_FOUND), "404.html");
        assert_eq!(section(Section::Berita, 1), "/berita/");
        assert_eq!(section(Section::Berita, 3), "/berita/halaman/3/");
        assert_eq!(tag("Angka Kemiskinan"), "/tag/angka-kemiskinan/");
        assert_eq!(
            indicator_download("p0", Format::Xlsx),
            "/indikator/p0/p0.xlsx"
        );
        assert_eq!(dataset_descriptor("x"), "/data/x/datapackage.json");
        assert_eq!(absolute("https://a.b/", "/c/"), "https://a.b/c/");
        assert_eq!(gallery(MediaKind::Video), "/galeri/video/");
        assert!(reserved_slug(Section::Galeri, "foto"));
        assert!(reserved_slug(Section::Halaman, "wilayah"));
        assert!(!reserved_slug(Section::Berita, "wilayah"));
    }
}
