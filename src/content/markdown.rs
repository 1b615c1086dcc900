//! Markdown to HTML (tables, footnotes, strikethrough, heading anchors), then sanitised with an allow-list.

use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::slug::slugify;

/// A rendered Markdown body.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rendered {
    /// Sanitised HTML.
    pub html: String,
    /// Plain text of the first paragraph (for summaries).
    pub first_paragraph: String,
    /// Level-2 headings: (id, text), for a table of contents.
    pub headings: Vec<(String, String)>,
    /// Words in the body.
    pub words: usize,
}

/// Renders Markdown; a `#` heading becomes `<h2>` since the page title is the only `<h1>`.
pub(crate) fn render(markdown: &str) -> Rendered {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut events: Vec<Event<'_>> = Parser::new_ext(markdown, opts).collect();

    let mut used: HashSet<String> = HashSet::new();
    let mut headings = Vec::new();
    let mut first_paragraph = String::new();
    let mut in_first_para = false;
    let mut first_para_done = false;
    let mut words = 0usize;
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let mut text = String::new();
                let mut j = i + 1;
                while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j] {
                        text.push_str(t);
                    }
                    j += 1;
                }
                let base = id.as_ref().map_or_else(|| slugify(&text), |s| slugify(s));
                let mut anchor = base.clone();
                let mut n = 1;
                while !used.insert(anchor.clone()) {
                    n += 1;
                    anchor = format!("{base}-{n}");
                }
                let new_level = shift(*level);
                if new_level == HeadingLevel::H2 {
                    headings.push((anchor.clone(), text));
                }
                events[i] = Event::Start(Tag::Heading {
                    level: new_level,
                    id: Some(CowStr::from(anchor)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                });
                let last = j.min(events.len() - 1);
                if let Event::End(TagEnd::Heading(l)) = &mut events[last] {
                    *l = new_level;
                }
            }
            Event::Start(Tag::Paragraph) if !first_para_done => in_first_para = true,
            Event::End(TagEnd::Paragraph) if in_first_para => {
                in_first_para = false;
                first_para_done = true;
            }
            Event::Text(t) | Event::Code(t) => {
                words += t.split_whitespace().count();
                if in_first_para {
                    first_paragraph.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak if in_first_para => first_paragraph.push(' '),
            _ => {}
        }
        i += 1;
    }
    // Markdown alone cannot carry a script: only raw HTML, a link or image address with
    // another scheme, or heading attributes can. Pages without them (most news) skip the
    // sanitiser, which is a third of the time spent reading content.
    let unsafe_parts = events.iter().any(needs_sanitising);
    let events = accessible_tables(events);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events.into_iter());
    Rendered {
        html: if unsafe_parts { sanitize(&raw) } else { raw },
        first_paragraph: first_paragraph.trim().to_string(),
        headings,
        words,
    }
}

/// Whether an event may put into the page what the sanitiser would remove: raw HTML, a link or
/// image whose address has a scheme other than http, https, mailto and tel (or any control
/// character or space), or a heading's own classes and attributes.
fn needs_sanitising(e: &Event<'_>) -> bool {
    match e {
        Event::Html(_) | Event::InlineHtml(_) => true,
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            !safe_address(dest_url)
        }
        Event::Start(Tag::Heading { classes, attrs, .. }) => {
            !classes.is_empty() || !attrs.is_empty()
        }
        _ => false,
    }
}

/// A relative address, or one whose scheme the sanitiser allows.
fn safe_address(url: &str) -> bool {
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return false;
    }
    match url.find(':') {
        None => true,
        Some(colon) if url[..colon].contains(['/', '?', '#']) => true,
        Some(colon) => ["http", "https", "mailto", "tel"]
            .iter()
            .any(|s| url[..colon].eq_ignore_ascii_case(s)),
    }
}

/// Markdown tables made accessible: each header cell heads its column (`scope="col"`), and a
/// paragraph right before a table that starts with `Tabel:` (or Pandoc's `Table:`) becomes the
/// table's `<caption>`, so a reader of a screen reader hears what the table holds.
fn accessible_tables(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut aligns: Vec<pulldown_cmark::Alignment> = Vec::new();
    let (mut in_head, mut column) = (false, 0);
    for e in events {
        // A header cell of a Markdown table heads its column (`scope="col"`).
        match &e {
            Event::Start(Tag::Table(a)) => aligns = a.clone(),
            Event::Start(Tag::TableHead) => (in_head, column) = (true, 0),
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableCell) if in_head => {
                let style = match aligns.get(column) {
                    Some(pulldown_cmark::Alignment::Left) => " style=\"text-align: left\"",
                    Some(pulldown_cmark::Alignment::Center) => " style=\"text-align: center\"",
                    Some(pulldown_cmark::Alignment::Right) => " style=\"text-align: right\"",
                    _ => "",
                };
                column += 1;
                out.push(Event::Html(CowStr::from(format!(
                    "<th scope=\"col\"{style}>"
                ))));
                continue;
            }
            Event::End(TagEnd::TableCell) if in_head => {
                out.push(Event::Html(CowStr::from("</th>")));
                continue;
            }
            _ => {}
        }
        let is_table = matches!(e, Event::Start(Tag::Table(_)));
        out.push(e);
        if !is_table
            || out.len() < 2
            || !matches!(out[out.len() - 2], Event::End(TagEnd::Paragraph))
        {
            continue;
        }
        let Some(start) = out[..out.len() - 2]
            .iter()
            .rposition(|e| matches!(e, Event::Start(Tag::Paragraph)))
        else {
            continue;
        };
        let label = match out.get(start + 1) {
            Some(Event::Text(t)) => ["Tabel:", "Table:"]
                .iter()
                .find_map(|p| t.strip_prefix(p).map(|rest| rest.trim_start().to_string())),
            _ => None,
        };
        let Some(first) = label else {
            continue;
        };
        let table = out.pop().expect("just pushed");
        let end = out.len() - 1;
        let mut inner: Vec<Event<'_>> = out.drain(start..).collect();
        inner.truncate(end - start); // without End(Paragraph)
        inner.remove(0); // Start(Paragraph)
        inner[0] = Event::Text(CowStr::from(first));
        out.push(table);
        out.push(Event::Html(CowStr::from("<caption>")));
        out.extend(inner);
        out.push(Event::Html(CowStr::from("</caption>")));
    }
    out
}

/// A `#` heading in the body becomes `<h2>`: the page title is the only `<h1>`.
fn shift(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        other => other,
    }
}

/// Cleans HTML with an allow-list: no scripts, styles, event handlers, iframes or `javascript:` URLs.
pub(crate) fn sanitize(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut b = ammonia::Builder::default();
            let with_id: BTreeSet<&str> = [
                "h2", "h3", "h4", "h5", "h6", "div", "sup", "li", "p", "section", "table",
            ]
            .into();
            for tag in with_id {
                b.add_tag_attributes(tag, ["id"]);
            }
            b.add_tags(["figure", "figcaption", "section"]);
            b.add_tag_attributes("th", ["scope", "style"]);
            b.add_tag_attributes("td", ["style"]);
            b.add_allowed_classes("div", ["footnote-definition"]);
            b.add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"]);
            b.add_tag_attributes("img", ["loading"]);
            b.filter_style_properties(["text-align"].into());
            b.link_rel(Some("noopener"));
            b.url_schemes(["http", "https", "mailto", "tel"].into());
            b
        })
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_unique_anchors_and_shift() {
        let r = render("# Latar Belakang\n\nteks\n\n## Latar Belakang\n");
        assert!(
            r.html
                .contains("<h2 id=\"latar-belakang\">Latar Belakang</h2>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("id=\"latar-belakang-2\""), "{}", r.html);
        assert_eq!(r.first_paragraph, "teks");
    }

    #[test]
    fn a_tabel_paragraph_before_a_table_is_its_caption() {
        let r = render("Tabel: Data yang *kami* sajikan\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(
            r.html.starts_with(
                "<table><caption>Data yang <em>kami</em> sajikan</caption><thead><tr><th scope=\"col\">a</th>"
            ),
            "{}",
            r.html
        );
        let plain = render("Teks biasa.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(
            plain.html.starts_with("<p>Teks biasa.</p>"),
            "{}",
            plain.html
        );
    }

    #[test]
    fn only_what_markdown_cannot_make_safe_goes_through_the_sanitiser() {
        // Plain Markdown is written as pulldown-cmark writes it (escaped), unsanitised.
        let plain = render("Teks *tebal* & [tautan](/berita/) <b\\>\n\n![peta](/img/p.svg)\n");
        assert!(
            plain.html.contains("<a href=\"/berita/\">tautan</a>"),
            "{}",
            plain.html
        );
        assert!(plain.html.contains("&amp;"), "{}", plain.html);
        // A script address, raw HTML or a heading attribute makes the page go through it.
        for (md, gone) in [
            ("[x](javascript:alert(1))", "javascript"),
            ("[x](JaVaScRiPt:alert(1))", "alert"),
            ("![x](data:image/svg+xml,abc)", "data:"),
            ("# Judul {onclick=alert(1)}", "onclick"),
            ("a <img src=x onerror=alert(1)>", "onerror"),
        ] {
            let r = render(md);
            assert!(!r.html.contains(gone), "{md} → {}", r.html);
        }
        assert!(safe_address("/a:b/") && safe_address("?x=a:b") && safe_address("MAILTO:a@b.id"));
        assert!(!safe_address("vbscript:x") && !safe_address("java\tscript:x"));
    }

    #[test]
    fn tables_footnotes_strikethrough() {
        let r = render("|a|b|\n|-|-|\n|1|2|\n\nteks[^1] ~~lama~~\n\n[^1]: catatan\n");
        assert!(r.html.contains("<table>"), "{}", r.html);
        assert!(r.html.contains("<del>lama</del>"), "{}", r.html);
        assert!(r.html.contains("footnote-definition"), "{}", r.html);
    }

    #[test]
    fn raw_html_is_sanitised() {
        let r = render(
            "<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">klik</a> <img src=x onerror=alert(1)>\n",
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("javascript:"), "{}", r.html);
        assert!(!r.html.contains("onclick"), "{}", r.html);
        assert!(!r.html.contains("onerror"), "{}", r.html);
    }
}
