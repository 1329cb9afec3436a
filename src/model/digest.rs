//! Weekly (ISO 8601 week) and monthly digests: the briefings of each period, grouped by their
//! primary theme, themes ordered by how active they were in the period.
//!
//! A briefing belongs to the week of its date only when the date names a day (or a moment);
//! one dated to a month belongs to that month's digest but to no week, and one dated to a year
//! to no digest at all, since placing it in any narrower period would invent precision.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};

use super::Entry;
use crate::load::date::{PartialDate, Precision};

/// A digest's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    /// An ISO 8601 week: `year` is the ISO week-numbering year, which differs from the
    /// calendar year for the first and last days of some years.
    Week {
        /// ISO week-numbering year.
        year: i32,
        /// Week number, 1 to 53.
        week: u32,
    },
    /// A calendar month.
    Month {
        /// Year.
        year: i32,
        /// Month, 1 to 12.
        month: u32,
    },
}

impl Period {
    /// The ISO week that contains `day`.
    pub fn week_of(day: NaiveDate) -> Period {
        let w = day.iso_week();
        Period::Week {
            year: w.year(),
            week: w.week(),
        }
    }

    /// The month that contains `day`.
    pub fn month_of(day: NaiveDate) -> Period {
        Period::Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// Is this a week (rather than a month)?
    pub fn is_week(&self) -> bool {
        matches!(self, Period::Week { .. })
    }

    /// The URL segment: `2026-w01` or `2026-01`.
    pub fn slug(&self) -> String {
        match *self {
            Period::Week { year, week } => format!("{year:04}-w{week:02}"),
            Period::Month { year, month } => format!("{year:04}-{month:02}"),
        }
    }

    /// The first day of the period (a Monday for weeks).
    pub fn first_day(&self) -> NaiveDate {
        match *self {
            Period::Week { year, week } => NaiveDate::from_isoywd_opt(year, week, Weekday::Mon),
            Period::Month { year, month } => NaiveDate::from_ymd_opt(year, month, 1),
        }
        .expect("periods are made from real dates")
    }

    /// The last day of the period (a Sunday for weeks).
    pub fn last_day(&self) -> NaiveDate {
        match *self {
            Period::Week { year, week } => NaiveDate::from_isoywd_opt(year, week, Weekday::Sun),
            Period::Month { year, month } => {
                let (y, m) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt())
            }
        }
        .expect("periods are made from real dates")
    }

    /// A heading: "Week 1, 2026" or "January 2026".
    pub fn label(&self) -> String {
        match *self {
            Period::Week { year, week } => format!("Week {week}, {year}"),
            Period::Month { .. } => shown(self.first_day(), Precision::Month),
        }
    }

    /// The days covered, for people: "29 December 2025 – 4 January 2026".
    pub fn range_label(&self) -> String {
        let (first, last) = (self.first_day(), self.last_day());
        format!(
            "{} – {}",
            shown(first, Precision::Day),
            shown(last, Precision::Day)
        )
    }
}

/// A day or month written the way briefing dates are shown.
fn shown(start: NaiveDate, precision: Precision) -> String {
    PartialDate {
        start,
        time: None,
        precision,
    }
    .display()
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.slug())
    }
}

/// The briefings of one primary theme within a digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestGroup {
    /// Index into [`super::Site::themes`].
    pub theme: usize,
    /// Entry indices, newest first.
    pub members: Vec<usize>,
}

/// One weekly or monthly digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// The period covered.
    pub period: Period,
    /// Every entry of the period, newest first.
    pub members: Vec<usize>,
    /// The entries by primary theme, most active theme first.
    pub groups: Vec<DigestGroup>,
    /// The digest of the period before (same kind), as an index into [`super::Site::digests`].
    pub prev: Option<usize>,
    /// The digest of the period after (same kind).
    pub next: Option<usize>,
}

/// Builds every digest: weeks newest first, then months newest first.
///
/// `entries` must be newest first (as in [`super::Site::entries`]), which keeps each period's
/// members newest first without sorting.
pub fn build(entries: &[Entry]) -> Vec<Digest> {
    let mut weeks: BTreeMap<Period, Vec<usize>> = BTreeMap::new();
    let mut months: BTreeMap<Period, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let d = &e.briefing.date;
        if matches!(d.precision, Precision::Day | Precision::Time) {
            weeks.entry(Period::week_of(d.start)).or_default().push(i);
        }
        if d.precision != Precision::Year {
            months.entry(Period::month_of(d.start)).or_default().push(i);
        }
    }
    let mut digests = Vec::with_capacity(weeks.len() + months.len());
    for list in [weeks, months] {
        let offset = digests.len();
        let n = list.len();
        for (k, (period, members)) in list.into_iter().rev().enumerate() {
            digests.push(Digest {
                period,
                groups: groups(entries, &members),
                members,
                prev: (k + 1 < n).then(|| offset + k + 1),
                next: k.checked_sub(1).map(|p| offset + p),
            });
        }
    }
    digests
}

/// Groups by primary theme: most briefings first, then the theme with the most recent
/// briefing, then site order, so equal activity still orders the same way every build.
fn groups(entries: &[Entry], members: &[usize]) -> Vec<DigestGroup> {
    let mut groups: Vec<DigestGroup> = Vec::new();
    for &i in members {
        let Some(&theme) = entries[i].themes.first() else {
            continue;
        };
        match groups.iter_mut().find(|g| g.theme == theme) {
            Some(g) => g.members.push(i),
            None => groups.push(DigestGroup {
                theme,
                members: vec![i],
            }),
        }
    }
    groups.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then_with(|| a.members[0].cmp(&b.members[0]))
            .then_with(|| a.theme.cmp(&b.theme))
    });
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn iso_weeks_cross_years() {
        // 2026-01-01 is a Thursday: week 1 of 2026 starts on Monday 29 December 2025.
        assert_eq!(Period::week_of(day("2026-01-01")).slug(), "2026-w01");
        assert_eq!(Period::week_of(day("2025-12-29")).slug(), "2026-w01");
        assert_eq!(Period::week_of(day("2025-12-28")).slug(), "2025-w52");
        // 2027-01-01 is a Friday: it still belongs to the last week of 2026.
        assert_eq!(Period::week_of(day("2027-01-01")).slug(), "2026-w53");
        assert_eq!(Period::week_of(day("2027-01-03")).slug(), "2026-w53");
        assert_eq!(Period::week_of(day("2027-01-04")).slug(), "2027-w01");
    }

    #[test]
    fn sunday_closes_the_week() {
        let w = Period::week_of(day("2025-03-23"));
        assert_eq!(w.slug(), "2025-w12");
        assert_eq!(w.first_day(), day("2025-03-17"));
        assert_eq!(w.last_day(), day("2025-03-23"));
        assert_eq!(Period::week_of(day("2025-03-24")).slug(), "2025-w13");
    }

    #[test]
    fn labels() {
        let w = Period::week_of(day("2026-01-01"));
        assert_eq!(w.label(), "Week 1, 2026");
        assert_eq!(w.range_label(), "29 December 2025 – 4 January 2026");
        let m = Period::month_of(day("2024-02-10"));
        assert_eq!(
            (m.slug(), m.label()),
            ("2024-02".to_string(), "February 2024".to_string())
        );
        assert_eq!(m.last_day(), day("2024-02-29"));
        assert_eq!(
            Period::month_of(day("2024-12-10")).last_day(),
            day("2024-12-31")
        );
    }
}
