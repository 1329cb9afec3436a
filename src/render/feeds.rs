//! Atom feeds (RFC 4287) for the whole site, each theme and each actor, newest first.
//!
//! Ids are permalinks. `updated` comes from the briefings' own dates, never from the clock,
//! so two builds of the same content give the same bytes.

use chrono::SecondsFormat;
use tera::{Context, Map, Value};

use super::pages::{base_context, KeyHasher, Kind, PageSpec};
use super::values::{actor_path, theme_path, Values};
use crate::model::Site;

/// Entries per feed: the newest ones.
pub const FEED_ENTRIES: usize = 50;
/// How many entries a theme's or actor's feed holds: there are hundreds of these feeds, each
/// with full bodies, so they carry the recent past and readers catch up from the pages.
pub const TOPIC_FEED_ENTRIES: usize = 20;

/// The `updated` of a feed with no entries: fixed, so empty feeds are reproducible too.
const EPOCH: &str = "1970-01-01T00:00:00Z";

/// Site-relative path of a theme's feed.
pub fn theme_feed_path(slug: &str) -> String {
    format!("{}atom.xml", theme_path(slug))
}

/// Site-relative path of an actor's feed.
pub fn actor_feed_path(slug: &str) -> String {
    format!("{}atom.xml", actor_path(slug))
}

/// The entries a feed shows, newest first.
fn members(site: &Site, kind: Kind) -> Vec<usize> {
    let mut list = match kind {
        Kind::ThemeFeed(t) => {
            // Theme members are in story order; entry indices run newest first.
            let mut m = site.themes[t].members.clone();
            m.sort_unstable();
            m
        }
        Kind::ActorFeed(a) => site.actors[a].members.clone(),
        _ => (0..site.entries.len().min(FEED_ENTRIES)).collect(),
    };
    list.truncate(match kind {
        Kind::ThemeFeed(_) | Kind::ActorFeed(_) => TOPIC_FEED_ENTRIES,
        _ => FEED_ENTRIES,
    });
    list
}

/// Plans the site feed and one feed per theme and per actor.
pub(super) fn plan(specs: &mut Vec<PageSpec>, site: &Site) {
    let mut push = |path: String, kind: Kind, name: (&str, &str, Option<&str>)| {
        let key = KeyHasher::new(kind, 1)
            .value(name)
            .entries(site, &members(site, kind))
            .finish();
        specs.push(PageSpec { path, kind, key });
    };
    push("atom.xml".into(), Kind::Feed, ("", "", None));
    for (t, th) in site.themes.iter().enumerate() {
        push(
            theme_feed_path(&th.slug),
            Kind::ThemeFeed(t),
            (&th.slug, &th.title, th.description.as_deref()),
        );
    }
    for (a, ac) in site.actors.iter().enumerate() {
        push(
            actor_feed_path(&ac.slug),
            Kind::ActorFeed(a),
            (&ac.slug, &ac.name, ac.description.as_deref()),
        );
    }
}

/// The context of `atom.xml` for one feed.
pub(super) fn context(
    site: &Site,
    values: &Values,
    kind: Kind,
    path: &str,
) -> (&'static str, Context) {
    let c = &site.config;
    let (title, subtitle, page) = match kind {
        Kind::ThemeFeed(t) => {
            let th = &site.themes[t];
            (
                format!("{} · {}", th.title, c.title),
                th.description.clone(),
                theme_path(&th.slug),
            )
        }
        Kind::ActorFeed(a) => {
            let ac = &site.actors[a];
            (
                format!("{} · {}", ac.name, c.title),
                ac.description.clone(),
                actor_path(&ac.slug),
            )
        }
        _ => (
            c.title.clone(),
            Some(c.description.clone()).filter(|d| !d.is_empty()),
            String::new(),
        ),
    };
    let tz = c.timezone;
    let mut updated = EPOCH.to_string();
    let mut newest = None;
    let items: Vec<Value> = members(site, kind)
        .into_iter()
        .map(|i| {
            let b = &site.entries[i].briefing;
            let moment = b.date.moment(tz);
            if newest.is_none_or(|n| moment > n) {
                newest = Some(moment);
                updated = moment.to_rfc3339_opts(SecondsFormat::Secs, true);
            }
            let mut m = Map::new();
            m.insert("entry".into(), values.entries[i].clone());
            m.insert(
                "updated".into(),
                Value::from(moment.to_rfc3339_opts(SecondsFormat::Secs, true)),
            );
            // A plain string, so that the template escapes the HTML once, as Atom's
            // `type="html"` content requires.
            let body = site.entries[i].body_html().as_str();
            m.insert("content".into(), Value::normal_string(body));
            Value::from(m)
        })
        .collect();
    let mut feed = Map::new();
    feed.insert("title".into(), Value::from(title.as_str()));
    feed.insert(
        "subtitle".into(),
        subtitle
            .map(|s| Value::from(s.as_str()))
            .unwrap_or_else(Value::none),
    );
    feed.insert("id".into(), Value::from(values.urls.absolute(&page)));
    feed.insert("url".into(), Value::from(values.urls.absolute(path)));
    feed.insert("alternate".into(), Value::from(values.urls.absolute(&page)));
    feed.insert("updated".into(), Value::from(updated));
    let mut ctx = base_context(values, path, &title);
    ctx.insert_value("feed", Value::from(feed));
    ctx.insert_value("items", Value::from(items));
    ("atom.xml", ctx)
}
