//! `/calendar.ics`: the `expected` briefings as iCalendar (RFC 5545) events, so announced
//! meetings and deadlines can be subscribed to.
//!
//! Dates known to the day, month or year become all-day events spanning that period; moments
//! become timed events in UTC. UIDs are `slug@host`, stable across builds and edits.

use chrono::{Days, NaiveDate, NaiveTime, TimeZone, Utc};

use super::pages::{KeyHasher, Kind, PageSpec};
use super::values::{briefing_path, Values};
use crate::load::date::{PartialDate, Precision};
use crate::load::front_matter::Status;
use crate::model::{Entry, Site};

/// Content lines longer than this many octets are folded (RFC 5545 §3.1).
const FOLD_AT: usize = 75;

fn expected(site: &Site) -> impl DoubleEndedIterator<Item = (usize, &Entry)> {
    site.entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.briefing.status == Status::Expected)
}

/// Plans `/calendar.ics`.
pub(super) fn plan(specs: &mut Vec<PageSpec>, site: &Site) {
    let shown: Vec<usize> = expected(site).map(|(i, _)| i).collect();
    let key = KeyHasher::new(Kind::Calendar, 1)
        .entries(site, &shown)
        .finish();
    specs.push(PageSpec {
        path: "calendar.ics".into(),
        kind: Kind::Calendar,
        key,
    });
}

/// Escapes a TEXT value: backslash, semicolon, comma and newlines (§3.3.11). Other control
/// characters are not allowed in TEXT and are dropped.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets without splitting a character, ended by CRLF.
pub fn push_line(out: &mut String, line: &str) {
    let mut rest = line;
    let mut limit = FOLD_AT;
    while rest.len() > limit {
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // The leading space of a continuation line counts towards its 75 octets.
        limit = FOLD_AT - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

fn ics_date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

fn ics_utc(moment: chrono::DateTime<chrono::FixedOffset>) -> String {
    moment
        .with_timezone(&Utc)
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// The host part of the base URL, for UIDs.
fn host(base_url: &str) -> &str {
    let rest = base_url.split_once("://").map_or("", |(_, r)| r);
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        "brief.invalid"
    } else {
        host
    }
}

/// The event's start and end lines.
fn when(date: &PartialDate, end: Option<&PartialDate>, tz: chrono_tz::Tz) -> Vec<String> {
    let last_day = end
        .map_or(date.end_day(), |e| e.end_day())
        .max(date.end_day());
    if date.precision == Precision::Time {
        let start = date.moment(tz);
        let mut lines = vec![format!("DTSTART:{}", ics_utc(start))];
        match end {
            Some(e) if e.precision == Precision::Time && e.moment(tz) > start => {
                lines.push(format!("DTEND:{}", ics_utc(e.moment(tz))));
            }
            // An end known only to the day ends at the close of that day, in the site's zone.
            Some(_) => {
                let close = (last_day + Days::new(1)).and_time(NaiveTime::MIN);
                if let Some(close) = tz.from_local_datetime(&close).earliest() {
                    lines.push(format!("DTEND:{}", ics_utc(close.fixed_offset())));
                }
            }
            None => {}
        }
        lines
    } else {
        // All-day events: DTEND is the day after the last day (it is exclusive).
        vec![
            format!("DTSTART;VALUE=DATE:{}", ics_date(date.start)),
            format!("DTEND;VALUE=DATE:{}", ics_date(last_day + Days::new(1))),
        ]
    }
}

/// `/calendar.ics`: every expected briefing as a VEVENT, oldest first.
pub(super) fn ics(site: &Site, values: &Values) -> Vec<u8> {
    let c = &site.config;
    let host = host(&c.base_url);
    let mut out = String::with_capacity(1024);
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        &format!("PRODID:-//brief//brief {}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        &format!("X-WR-CALNAME:{}", escape_text(&c.title)),
    ] {
        push_line(&mut out, line);
    }
    if !c.description.is_empty() {
        push_line(
            &mut out,
            &format!("X-WR-CALDESC:{}", escape_text(&c.description)),
        );
    }
    for (_, e) in expected(site).rev() {
        let b = &e.briefing;
        let url = values.urls.absolute(&briefing_path(&b.slug));
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(&mut out, &format!("UID:{}@{host}", b.slug));
        // DTSTAMP is required; the event's own start keeps it reproducible, where the build
        // time would change the file on every build.
        push_line(
            &mut out,
            &format!("DTSTAMP:{}", ics_utc(b.date.moment(c.timezone))),
        );
        for line in when(&b.date, b.end_date.as_ref(), c.timezone) {
            push_line(&mut out, &line);
        }
        push_line(&mut out, &format!("SUMMARY:{}", escape_text(&b.title)));
        let mut description = b.summary.clone();
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&url);
        push_line(
            &mut out,
            &format!("DESCRIPTION:{}", escape_text(&description)),
        );
        if let Some(loc) = &b.location {
            push_line(&mut out, &format!("LOCATION:{}", escape_text(loc)));
        }
        let categories: Vec<String> = e
            .themes
            .iter()
            .map(|&t| escape_text(&site.themes[t].title))
            .collect();
        if !categories.is_empty() {
            push_line(&mut out, &format!("CATEGORIES:{}", categories.join(",")));
        }
        push_line(&mut out, &format!("URL:{url}"));
        push_line(&mut out, "STATUS:TENTATIVE");
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text() {
        assert_eq!(escape_text("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    }

    #[test]
    fn folds_at_75_octets_on_char_boundaries() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "é".repeat(60));
        push_line(&mut out, &line);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn host_of_base_url() {
        assert_eq!(host("https://example.org/briefs/"), "example.org");
        assert_eq!(host("http://127.0.0.1:4000/"), "127.0.0.1:4000");
        assert_eq!(host("/"), "brief.invalid");
    }
}
