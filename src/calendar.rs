//! Dates and times without time zones: parsing `2024-03-27` / `2024-03-27T09:00` and "today" from SOURCE_DATE_EPOCH.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::locale;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// A date with an optional time of day (minutes precision).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct DateTime {
    pub date: Date,
    pub time: Option<(u32, u32)>,
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        (1..=12)
            .contains(&month)
            .then_some(())
            .filter(|_| day >= 1 && day <= days_in_month(year, month))
            .map(|_| Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let mut it = s.splitn(3, '-');
        let y = it.next()?;
        let m = it.next()?;
        let d = it.next()?;
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719468;
        let era = z.div_euclid(146097);
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Monday = 0 … Sunday = 6.
    pub fn weekday(self) -> usize {
        (self.days_since_epoch() + 3).rem_euclid(7) as usize
    }

    /// `27 Maret 2013` (`27 March 2013` on a page in English).
    pub fn shown(self) -> String {
        locale::date(self.year, self.month, self.day)
    }

    /// `2013-03-27`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl DateTime {
    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `YYYY-MM-DD HH:MM` (seconds and a zone are ignored).
    pub(crate) fn parse(s: &str) -> Option<DateTime> {
        let s = s.trim();
        let (d, t) = match s.find(['T', ' ']) {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        let date = Date::parse(d)?;
        let time = match t {
            None => None,
            Some(t) => {
                let mut it = t.split(':');
                let h: u32 = it.next()?.parse().ok()?;
                let m: u32 = it.next()?.get(..2)?.parse().ok()?;
                if h > 23 || m > 59 {
                    return None;
                }
                Some((h, m))
            }
        };
        Some(DateTime { date, time })
    }

    /// `2013-03-27T09:00` or `2013-03-27`.
    pub(crate) fn iso(self) -> String {
        match self.time {
            Some((h, m)) => format!("{}T{h:02}:{m:02}", self.date.iso()),
            None => self.date.iso(),
        }
    }

    /// `09.00` (the Indonesian way of writing times), or empty.
    pub(crate) fn time_id(self) -> String {
        self.time
            .map(|(h, m)| format!("{h:02}.{m:02}"))
            .unwrap_or_default()
    }
}

/// "Today": `SOURCE_DATE_EPOCH` when set, else the config's value, else the system clock.
pub(crate) fn today(config_epoch: Option<i64>) -> Date {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(config_epoch)
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    Date::from_days(secs.div_euclid(86_400))
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_days() {
        let d = Date::new(2013, 3, 27).unwrap();
        assert_eq!(Date::from_days(d.days_since_epoch()), d);
        assert_eq!(Date::from_days(0), Date::new(1970, 1, 1).unwrap());
        assert_eq!(d.weekday(), 2, "27 Maret 2013 was a Wednesday (Rabu)");
        assert_eq!(d.shown(), "27 Maret 2013");
    }

    #[test]
    fn parses_date_times() {
        let t = DateTime::parse("2024-02-10T09:30").unwrap();
        assert_eq!(t.time, Some((9, 30)));
        assert_eq!(t.time_id(), "09.30");
        assert!(DateTime::parse("2024-02-30").is_none());
        assert!(Date::parse("27-03-2013").is_none());
    }
}
