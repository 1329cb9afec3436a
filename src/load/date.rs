//! Dates at the precision the analyst wrote: a year, a month, a day, or a moment.

use std::cmp::Ordering;
use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use serde::Serialize;

/// How precisely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// `2025`
    Year,
    /// `2025-04`
    Month,
    /// `2025-03-24`
    Day,
    /// `2025-03-24T09:00:00+03:00`
    Time,
}

/// A date as written, with its precision kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    /// The first day of the period (or the day of the moment, in its own offset).
    pub start: NaiveDate,
    /// The moment, for date-times.
    pub time: Option<DateTime<FixedOffset>>,
    /// What was written.
    pub precision: Precision,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or an RFC 3339 date-time.
    ///
    /// A date-time without an offset is read in `tz`, the site's timezone.
    pub fn parse(text: &str, tz: chrono_tz::Tz) -> Result<PartialDate, String> {
        let t = text.trim();
        let bad = || {
            format!("`{t}` is not a date; write YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 date-time")
        };
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if t.len() > 10 {
            let (date_part, rest) = t.split_at(10);
            if !rest.starts_with(['T', 't', ' ']) {
                return Err(bad());
            }
            if let Ok(dt) = DateTime::parse_from_rfc3339(&t.replacen(' ', "T", 1)) {
                return Ok(PartialDate {
                    start: dt.date_naive(),
                    time: Some(dt),
                    precision: Precision::Time,
                });
            }
            let date = NaiveDate::parse_from_str(date_part, "%Y-%m-%d").map_err(|_| bad())?;
            let time = NaiveTime::parse_from_str(&rest[1..], "%H:%M:%S")
                .or_else(|_| NaiveTime::parse_from_str(&rest[1..], "%H:%M"))
                .map_err(|_| bad())?;
            let local = tz
                .from_local_datetime(&NaiveDateTime::new(date, time))
                .earliest()
                .ok_or_else(|| format!("`{t}` does not exist in timezone {tz}"))?;
            return Ok(PartialDate {
                start: date,
                time: Some(local.fixed_offset()),
                precision: Precision::Time,
            });
        }
        let parts: Vec<&str> = t.split('-').collect();
        let (start, precision) = match parts.as_slice() {
            [y] if digits(y, 4) => (ymd(y, "1", "1"), Precision::Year),
            [y, m] if digits(y, 4) && digits(m, 2) => (ymd(y, m, "1"), Precision::Month),
            [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => {
                (ymd(y, m, d), Precision::Day)
            }
            _ => return Err(bad()),
        };
        let start = start.ok_or_else(|| format!("`{t}` is not a real calendar date"))?;
        Ok(PartialDate {
            start,
            time: None,
            precision,
        })
    }

    /// Year of the period.
    pub fn year(&self) -> i32 {
        self.start.year()
    }

    /// The date in the form it was written, normalised (`2025-04`, `2025-03-24`, RFC 3339).
    pub fn iso(&self) -> String {
        match self.precision {
            Precision::Year => format!("{:04}", self.start.year()),
            Precision::Month => format!("{:04}-{:02}", self.start.year(), self.start.month()),
            Precision::Day => self.start.format("%Y-%m-%d").to_string(),
            Precision::Time => self.time.map(|t| t.to_rfc3339()).unwrap_or_default(),
        }
    }

    /// Human form at its precision: "2025", "April 2025", "24 March 2025", "24 March 2025, 09:00 UTC+03:00".
    pub fn display(&self) -> String {
        let month = MONTHS[self.start.month0() as usize];
        match self.precision {
            Precision::Year => self.start.year().to_string(),
            Precision::Month => format!("{month} {}", self.start.year()),
            Precision::Day => format!("{} {month} {}", self.start.day(), self.start.year()),
            Precision::Time => {
                let t = self.time.expect("time precision has a time");
                let secs = t.offset().local_minus_utc();
                let zone = if secs == 0 {
                    "UTC".to_string()
                } else {
                    let sign = if secs < 0 { '-' } else { '+' };
                    let (h, m) = (secs.abs() / 3600, secs.abs() % 3600 / 60);
                    if m == 0 {
                        format!("UTC{sign}{h:02}:00")
                    } else {
                        format!("UTC{sign}{h:02}:{m:02}")
                    }
                };
                format!(
                    "{} {month} {}, {} {zone}",
                    self.start.day(),
                    self.start.year(),
                    t.format("%H:%M")
                )
            }
        }
    }

    /// The month heading this date falls under: "March 2025", or "2025" for a year-precision date.
    pub fn month_label(&self) -> String {
        match self.precision {
            Precision::Year => self.start.year().to_string(),
            _ => format!(
                "{} {}",
                MONTHS[self.start.month0() as usize],
                self.start.year()
            ),
        }
    }

    /// Key of the month group (`2025-03`, or `2025` for a year-precision date).
    pub fn month_key(&self) -> String {
        match self.precision {
            Precision::Year => format!("{:04}", self.start.year()),
            _ => format!("{:04}-{:02}", self.start.year(), self.start.month()),
        }
    }

    /// The last day of the period (the same day for day and time precision).
    pub fn end_day(&self) -> NaiveDate {
        match self.precision {
            Precision::Year => {
                NaiveDate::from_ymd_opt(self.start.year(), 12, 31).unwrap_or(self.start)
            }
            Precision::Month => {
                let (y, m) = (self.start.year(), self.start.month());
                let next = if m == 12 {
                    NaiveDate::from_ymd_opt(y + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(y, m + 1, 1)
                };
                next.and_then(|d| d.pred_opt()).unwrap_or(self.start)
            }
            Precision::Day | Precision::Time => self.start,
        }
    }

    /// The moment for feeds: the date-time itself, or the start of the period in `tz`.
    pub fn moment(&self, tz: chrono_tz::Tz) -> DateTime<FixedOffset> {
        if let Some(t) = self.time {
            return t;
        }
        tz.from_local_datetime(&self.start.and_time(NaiveTime::MIN))
            .earliest()
            .map(|d| d.fixed_offset())
            .unwrap_or_else(|| self.start.and_time(NaiveTime::MIN).and_utc().fixed_offset())
    }
}

impl Ord for PartialDate {
    /// Chronological by the start of the period; a vaguer date sorts before a precise one in
    /// the same period, so a story opens with its context.
    fn cmp(&self, other: &Self) -> Ordering {
        self.start
            .cmp(&other.start)
            .then(self.precision.cmp(&other.precision))
            .then_with(|| {
                self.time
                    .map(|t| t.naive_utc())
                    .cmp(&other.time.map(|t| t.naive_utc()))
            })
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PartialDate {
        PartialDate::parse(s, chrono_tz::UTC).unwrap()
    }

    #[test]
    fn precision_is_kept_and_shown() {
        assert_eq!(p("2025").display(), "2025");
        assert_eq!(p("2025-04").display(), "April 2025");
        assert_eq!(p("2025-03-24").display(), "24 March 2025");
        assert_eq!(
            p("2025-03-24T09:00:00+03:00").display(),
            "24 March 2025, 09:00 UTC+03:00"
        );
        assert_eq!(p("2025-04").iso(), "2025-04");
        assert_eq!(
            p("2025-03-24T09:00:00+03:00").iso(),
            "2025-03-24T09:00:00+03:00"
        );
    }

    #[test]
    fn naive_times_use_the_site_timezone() {
        let d = PartialDate::parse("2025-03-24T09:00", chrono_tz::Europe::Moscow).unwrap();
        assert_eq!(d.iso(), "2025-03-24T09:00:00+03:00");
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "",
            "25",
            "2025-13",
            "2025-02-30",
            "2025-3-1",
            "March 2025",
            "2025-03-24X",
            "2025-03-24T25:00",
        ] {
            assert!(PartialDate::parse(bad, chrono_tz::UTC).is_err(), "{bad}");
        }
    }

    #[test]
    fn orders_vague_before_precise() {
        assert!(p("2025") < p("2025-01-01"));
        assert!(p("2025-03") < p("2025-03-01"));
        assert!(p("2025-03-02") > p("2025-03-01T23:00:00Z"));
        assert_eq!(p("2025-02").end_day().to_string(), "2025-02-28");
    }
}
