//! iCalendar (RFC 5545) files for agenda items: one per item and one for the whole agenda, times in UTC from the site's time zone.

use crate::calendar::{Date, DateTime};
use crate::content::Page;
use crate::model::Site;
use crate::urls;

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets, never inside a character (§3.1).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// A local date and time as UTC (`20270316T020000Z`), `offset` hours ahead of UTC.
fn utc(d: DateTime, offset: i64) -> String {
    let (h, m) = d.time.unwrap_or((0, 0));
    let minutes = d.date.days_since_epoch() * 1440 + i64::from(h) * 60 + i64::from(m) - offset * 60;
    let day = Date::from_days(minutes.div_euclid(1440));
    let rest = minutes.rem_euclid(1440);
    format!(
        "{}T{:02}{:02}00Z",
        day.iso().replace('-', ""),
        rest / 60,
        rest % 60
    )
}

/// `DTSTART`/`DTEND`: a UTC date-time when the time is known, else the day itself.
fn when(name: &str, d: DateTime, offset: i64) -> String {
    match d.time {
        Some(_) => format!("{name}:{}", utc(d, offset)),
        None => format!("{name};VALUE=DATE:{}", d.date.iso().replace('-', "")),
    }
}

fn event(site: &Site, p: &Page, out: &mut String) {
    let Some(start) = p.start else {
        return;
    };
    let (_, offset) = site.config.utc_offset();
    let url = urls::absolute(&site.config.base_url, &urls::page(p));
    let stamp = DateTime {
        date: p.date.unwrap_or(start.date),
        time: Some((0, 0)),
    };
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", text(&url)),
        format!("DTSTAMP:{}", utc(stamp, 0)),
        when("DTSTART", start, offset),
    ];
    match p.end {
        Some(end) => lines.push(when("DTEND", end, offset)),
        // A day without an end lasts that day (§3.6.1).
        None if start.time.is_none() => {
            let next = DateTime {
                date: Date::from_days(start.date.days_since_epoch() + 1),
                time: None,
            };
            lines.push(when("DTEND", next, offset));
        }
        None => {}
    }
    lines.push(format!("SUMMARY:{}", text(&p.title)));
    if let Some(place) = &p.place {
        lines.push(format!("LOCATION:{}", text(place)));
    }
    let mut about = p.summary.clone();
    if let Some(org) = &p.organiser {
        about = format!("{about}\nPenyelenggara: {org}").trim().to_string();
    }
    if !about.is_empty() {
        lines.push(format!("DESCRIPTION:{}", text(&about)));
    }
    lines.push(format!("URL:{}", text(&url)));
    lines.push("END:VEVENT".into());
    for l in lines {
        fold(&l, out);
    }
}

/// A calendar of the given agenda items (those with a start), in their order.
pub(crate) fn calendar<'a>(
    site: &Site,
    name: &str,
    pages: impl IntoIterator<Item = &'a Page>,
) -> Vec<u8> {
    let (zone, offset) = site.config.utc_offset();
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        format!("PRODID:-//Lumbung//{}//ID", text(&site.config.title)),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", text(name)),
        format!(
            "X-WR-TIMEZONE:{}",
            match offset {
                8 => "Asia/Makassar",
                9 => "Asia/Jayapura",
                _ => "Asia/Jakarta",
            }
        ),
        format!("X-LUMBUNG-ZONA:{zone}"),
    ] {
        fold(&l, &mut out);
    }
    for p in pages {
        event(site, p, &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_go_to_utc_and_long_lines_fold() {
        let d = DateTime::parse("2027-03-16T09:00").unwrap();
        assert_eq!(utc(d, 7), "20270316T020000Z");
        let early = DateTime::parse("2027-03-16T05:30").unwrap();
        assert_eq!(utc(early, 9), "20270315T203000Z");
        assert_eq!(text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
        let mut out = String::new();
        fold(&format!("SUMMARY:{}", "é".repeat(60)), &mut out);
        assert!(out.split("\r\n").all(|l| l.len() <= 75), "{out}");
        assert!(out.contains("\r\n "));
    }
}
