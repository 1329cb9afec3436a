//! Navigation aids added to existing pages: theme filter chips on the home page, co-actors on
//! actor pages, and on theme pages the counts per month and a visual timeline drawn with
//! HTML and CSS (no script needed).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use tera::Value;

use super::pages::{page_path, KeyHasher, Kind};
use super::values::{actor_path, briefing_path, theme_path, Values};
use crate::load::date::{PartialDate, Precision};
use crate::load::front_matter::Status;
use crate::model::Site;

/// Above this many briefings a theme's visual timeline draws one mark per month.
pub const MAX_MARKS: usize = 300;
/// Marks closer than this (in percent of the axis) go to different lanes.
const LANE_GAP: f64 = 1.5;
/// Lanes before marks are allowed to overlap.
const MAX_LANES: usize = 4;
/// Axis ticks at most.
const MAX_TICKS: usize = 8;

#[derive(Serialize, Hash)]
struct Chip<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    color: Option<&'a str>,
    count: usize,
}

/// Themes with briefings, most briefings first (ties in site order).
fn chip_list<'a>(site: &'a Site, base_path: &str) -> Vec<Chip<'a>> {
    let mut order: Vec<usize> = (0..site.themes.len())
        .filter(|&t| !site.themes[t].members.is_empty())
        .collect();
    order.sort_by(|&a, &b| {
        site.themes[b]
            .members
            .len()
            .cmp(&site.themes[a].members.len())
            .then(a.cmp(&b))
    });
    order
        .into_iter()
        .map(|t| {
            let th = &site.themes[t];
            Chip {
                slug: &th.slug,
                name: &th.title,
                url: format!("{base_path}{}", theme_path(&th.slug)),
                color: th.color.as_deref(),
                count: th.members.len(),
            }
        })
        .collect()
}

/// The home page's theme filter chips.
pub fn chips(site: &Site, values: &Values) -> Value {
    Value::from_serializable(&chip_list(site, &values.urls.base_path))
}

/// What the chips show, hashed (for the keys of the home pages).
pub fn chips_key(site: &Site) -> u64 {
    KeyHasher::new(Kind::Home(0), 0)
        .value(chip_list(site, ""))
        .finish()
}

#[derive(Serialize, Hash)]
struct CoActorValue<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    count: usize,
}

fn co_actor_list<'a>(site: &'a Site, base_path: &str, a: usize) -> Vec<CoActorValue<'a>> {
    site.related.co_actors[a]
        .iter()
        .map(|c| {
            let ac = &site.actors[c.actor];
            CoActorValue {
                slug: &ac.slug,
                name: &ac.name,
                url: format!("{base_path}{}", actor_path(&ac.slug)),
                count: c.count,
            }
        })
        .collect()
}

/// The actors that appear most often with actor `a`, with counts.
pub fn co_actors(site: &Site, values: &Values, a: usize) -> Value {
    Value::from_serializable(&co_actor_list(site, &values.urls.base_path, a))
}

/// What the co-actor list of actor `a` shows, hashed.
pub fn co_actors_key(site: &Site, a: usize) -> u64 {
    KeyHasher::new(Kind::Actor(0, 0), 0)
        .value(co_actor_list(site, "", a))
        .finish()
}

#[derive(Serialize)]
struct MonthCount {
    key: String,
    label: String,
    count: usize,
    expected: usize,
    /// Bar length relative to the busiest month, in percent.
    pct: usize,
    url: String,
    /// The first day of the month (or year).
    #[serde(skip)]
    start: NaiveDate,
}

/// Counts per month of theme `t`, oldest first, each linking to where that month's
/// briefings start on the theme's pages. Year-precision briefings count under their year.
fn month_counts(site: &Site, values: &Values, t: usize) -> Vec<MonthCount> {
    let th = &site.themes[t];
    let size = site.config.page_size;
    struct Acc {
        label: String,
        start: NaiveDate,
        count: usize,
        expected: usize,
        /// Positions in the theme's story of the month's first briefing that happened, and
        /// of its first expected one (listed apart, after the story).
        first_story: Option<usize>,
        first_expected: Option<usize>,
    }
    let mut months: BTreeMap<String, Acc> = BTreeMap::new();
    for (pos, &i) in th.members.iter().enumerate() {
        let d = &site.entries[i].briefing.date;
        let m = months.entry(d.month_key()).or_insert_with(|| Acc {
            label: d.month_label(),
            start: match d.precision {
                Precision::Year => d.start.with_ordinal(1),
                _ => d.start.with_day(1),
            }
            .unwrap_or(d.start),
            count: 0,
            expected: 0,
            first_story: None,
            first_expected: None,
        });
        m.count += 1;
        if site.entries[i].briefing.status == Status::Expected {
            m.expected += 1;
            m.first_expected.get_or_insert(pos);
        } else {
            m.first_story.get_or_insert(pos);
        }
    }
    let max = months.values().map(|m| m.count).max().unwrap_or(1);
    let base = theme_path(&th.slug);
    months
        .into_iter()
        .map(|(key, m)| {
            let (pos, anchor) = match (m.first_story, m.first_expected) {
                (Some(p), _) => (p, format!("m-{key}")),
                (None, p) => (p.unwrap_or(0), "expected-heading".to_string()),
            };
            let url = format!(
                "{}#{anchor}",
                values.urls.link(&page_path(&base, pos / size + 1))
            );
            MonthCount {
                key,
                label: m.label,
                count: m.count,
                expected: m.expected,
                pct: (m.count * 100).div_ceil(max),
                url,
                start: m.start,
            }
        })
        .collect()
}

/// Counts per month of theme `t`, for the theme page.
pub fn theme_months(site: &Site, values: &Values, t: usize) -> Value {
    Value::from_serializable(&month_counts(site, values, t))
}

#[derive(Serialize)]
struct Mark {
    url: String,
    label: String,
    /// Position along the axis, in percent.
    x: String,
    lane: usize,
    expected: bool,
    #[serde(skip)]
    pos: f64,
}

#[derive(Serialize)]
struct Tick {
    x: String,
    label: String,
}

#[derive(Serialize)]
struct VisualTimeline {
    marks: Vec<Mark>,
    ticks: Vec<Tick>,
    lanes: usize,
    start: String,
    end: String,
    /// One mark per month rather than per briefing.
    grouped: bool,
}

fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

fn display_day(d: NaiveDate) -> String {
    PartialDate {
        start: d,
        time: None,
        precision: Precision::Day,
    }
    .display()
}

/// The visual timeline of theme `t`: one mark per briefing (one per month for big themes)
/// along a date axis, with month or year ticks.
pub fn theme_timeline(site: &Site, values: &Values, t: usize) -> Value {
    let th = &site.themes[t];
    if th.members.is_empty() {
        return Value::none();
    }
    let briefings = th.members.iter().map(|&i| &site.entries[i].briefing);
    let first = briefings
        .clone()
        .map(|b| b.date.start)
        .min()
        .expect("members");
    let last = briefings
        .map(|b| b.end_date.unwrap_or(b.date).end_day().max(b.date.end_day()))
        .max()
        .expect("members");
    let (lo, span) = (
        day_number(first),
        (day_number(last) - day_number(first)) as f64,
    );
    let at = |d: NaiveDate| {
        if span == 0.0 {
            50.0
        } else {
            (day_number(d) - lo) as f64 * 100.0 / span
        }
    };

    let grouped = th.members.len() > MAX_MARKS;
    let mut marks: Vec<Mark> = if grouped {
        month_counts(site, values, t)
            .into_iter()
            .map(|m| {
                // The middle of the month (or year), kept on the axis.
                let half = if m.key.len() == 4 { 182 } else { 14 };
                let mid = (m.start + chrono::Days::new(half)).clamp(first, last);
                let noun = if m.count == 1 {
                    "briefing"
                } else {
                    "briefings"
                };
                Mark {
                    url: m.url,
                    label: format!("{}: {} {noun}", m.label, m.count),
                    x: String::new(),
                    lane: 0,
                    expected: m.expected == m.count,
                    pos: at(mid),
                }
            })
            .collect()
    } else {
        th.members
            .iter()
            .map(|&i| {
                let b = &site.entries[i].briefing;
                let expected = b.status == Status::Expected;
                let url = values.urls.link(&briefing_path(&b.slug));
                let note = if expected { " (expected)" } else { "" };
                Mark {
                    url,
                    label: format!("{} — {}{note}", b.title, b.date.display()),
                    x: String::new(),
                    lane: 0,
                    expected,
                    pos: at(b.date.start),
                }
            })
            .collect()
    };
    marks.sort_by(|a, b| a.pos.total_cmp(&b.pos));
    let mut lane_end: Vec<f64> = Vec::new();
    for m in &mut marks {
        m.lane = match lane_end.iter().position(|&end| end + LANE_GAP <= m.pos) {
            Some(l) => l,
            None if lane_end.len() < MAX_LANES => {
                lane_end.push(f64::NEG_INFINITY);
                lane_end.len() - 1
            }
            None => (0..lane_end.len())
                .min_by(|&a, &b| lane_end[a].total_cmp(&lane_end[b]))
                .unwrap_or(0),
        };
        lane_end[m.lane] = m.pos;
        m.x = format!("{:.2}", m.pos);
    }
    let timeline = VisualTimeline {
        ticks: ticks(first, last, &at),
        lanes: lane_end.len().max(1),
        marks,
        start: display_day(first),
        end: display_day(last),
        grouped,
    };
    Value::from_serializable(&timeline)
}

/// Month or year boundaries inside the axis, thinned to at most [`MAX_TICKS`].
fn ticks(first: NaiveDate, last: NaiveDate, at: &dyn Fn(NaiveDate) -> f64) -> Vec<Tick> {
    let month_index = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
    let (a, b) = (month_index(first) + 1, month_index(last));
    let count = (b - a + 1).max(0) as usize;
    let step = [1, 2, 3, 6, 12, 24, 60, 120, 240]
        .into_iter()
        .find(|&s| count.div_ceil(s as usize) <= MAX_TICKS)
        .unwrap_or(1200);
    (a..=b)
        .filter(|m| m.rem_euclid(step) == 0)
        .filter_map(|m| {
            let d = NaiveDate::from_ymd_opt(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, 1)?;
            let label = if step >= 12 {
                d.year().to_string()
            } else {
                d.format("%b %Y").to_string()
            };
            Some(Tick {
                x: format!("{:.2}", at(d)),
                label,
            })
        })
        .collect()
}
