//! Digest pages: the list of digests, each weekly or monthly digest read like a memo, and the
//! weekly digest again as a self-contained page to paste into a newsletter tool.

use serde::Serialize;
use tera::{Context, Map, Value};

use super::pages::{base_context, index, KeyHasher, Kind, PageSpec};
use super::values::{theme_path, Values};
use crate::load::front_matter::Status;
use crate::model::{Digest, Period, Site};

/// Themes named per digest on the list page.
const LIST_THEMES: usize = 3;

/// Site-relative path of a digest page.
pub fn digest_path(period: &Period) -> String {
    format!("digests/{}/", period.slug())
}

/// Site-relative path of a weekly digest's e-mail page.
pub fn email_path(period: &Period) -> String {
    format!("{}email.html", digest_path(period))
}

/// Plans the list, every digest and every weekly e-mail page.
pub(super) fn plan(specs: &mut Vec<PageSpec>, site: &Site) {
    let mut list_key = KeyHasher::new(Kind::Digests, 1);
    for (d, digest) in site.digests.iter().enumerate() {
        let key = digest_key(site, digest);
        specs.push(PageSpec {
            path: index(&digest_path(&digest.period)),
            kind: Kind::Digest(d),
            key,
        });
        if digest.period.is_week() {
            let key = KeyHasher::new(Kind::DigestEmail(0), 1).value(key).finish();
            specs.push(PageSpec {
                path: email_path(&digest.period),
                kind: Kind::DigestEmail(d),
                key,
            });
        }
        list_key = list_key.value(summary(site, "", digest));
    }
    specs.push(PageSpec {
        path: index("digests/"),
        kind: Kind::Digests,
        key: list_key.finish(),
    });
}

/// Everything a digest page shows: its period, its neighbours' periods, its themes and the
/// stamps of its briefings in the order shown.
fn digest_key(site: &Site, digest: &Digest) -> u64 {
    let period = |n: Option<usize>| n.map(|n| site.digests[n].period);
    let mut key = KeyHasher::new(Kind::Digest(0), 1)
        .value(digest.period)
        .value((period(digest.prev), period(digest.next)));
    for g in &digest.groups {
        let th = &site.themes[g.theme];
        key = key
            .value((&th.slug, &th.title, &th.color))
            .entries(site, &g.members);
    }
    key.finish()
}

#[derive(Serialize, Hash)]
struct Summary {
    slug: String,
    kind: &'static str,
    label: String,
    range: String,
    url: String,
    count: usize,
    expected: usize,
    /// The most active themes' titles.
    themes: Vec<String>,
    theme_count: usize,
    /// Themes not named.
    more: usize,
}

fn summary(site: &Site, base_path: &str, digest: &Digest) -> Summary {
    let p = &digest.period;
    Summary {
        slug: p.slug(),
        kind: if p.is_week() { "week" } else { "month" },
        label: p.label(),
        range: p.range_label(),
        url: format!("{base_path}{}", digest_path(p)),
        count: digest.members.len(),
        expected: digest
            .members
            .iter()
            .filter(|&&i| site.entries[i].briefing.status == Status::Expected)
            .count(),
        themes: digest
            .groups
            .iter()
            .take(LIST_THEMES)
            .map(|g| site.themes[g.theme].title.clone())
            .collect(),
        theme_count: digest.groups.len(),
        more: digest.groups.len().saturating_sub(LIST_THEMES),
    }
}

#[derive(Serialize)]
struct Link {
    label: String,
    url: String,
}

fn digest_link(site: &Site, values: &Values, d: Option<usize>) -> Value {
    d.map(|d| {
        let p = &site.digests[d].period;
        Value::from_serializable(&Link {
            label: p.label(),
            url: values.urls.link(&digest_path(p)),
        })
    })
    .unwrap_or_else(Value::none)
}

#[derive(Serialize)]
struct GroupHeader<'a> {
    slug: &'a str,
    title: &'a str,
    url: String,
    permalink: String,
    color: Option<&'a str>,
    count: usize,
}

/// The digest's value: its summary plus absolute URLs and the groups with their entries.
fn digest_value(site: &Site, values: &Values, d: usize) -> Value {
    let digest = &site.digests[d];
    let p = &digest.period;
    let mut map = Value::from_serializable(&summary(site, &values.urls.base_path, digest))
        .into_map()
        .expect("a map");
    map.insert(
        "permalink".into(),
        Value::from(values.urls.absolute(&digest_path(p))),
    );
    if p.is_week() {
        map.insert(
            "email_url".into(),
            Value::from(values.urls.link(&email_path(p))),
        );
        map.insert(
            "email_permalink".into(),
            Value::from(values.urls.absolute(&email_path(p))),
        );
    }
    let groups: Vec<Value> = digest
        .groups
        .iter()
        .map(|g| {
            let th = &site.themes[g.theme];
            let path = theme_path(&th.slug);
            let header = GroupHeader {
                slug: &th.slug,
                title: &th.title,
                url: values.urls.link(&path),
                permalink: values.urls.absolute(&path),
                color: th.color.as_deref(),
                count: g.members.len(),
            };
            let mut m: Map = Value::from_serializable(&header).into_map().expect("a map");
            m.insert("entries".into(), values.list(&g.members));
            Value::from(m)
        })
        .collect();
    map.insert("groups".into(), Value::from(groups));
    Value::from(map)
}

fn digest_context(site: &Site, values: &Values, d: usize, path: &str) -> Context {
    let digest = &site.digests[d];
    let mut ctx = base_context(values, path, &format!("Digest: {}", digest.period.label()));
    ctx.insert_value("digest", digest_value(site, values, d));
    ctx.insert_value("prev", digest_link(site, values, digest.prev));
    ctx.insert_value("next", digest_link(site, values, digest.next));
    ctx
}

/// The `/digests/` page: weekly and monthly digests, newest first.
pub(super) fn list(site: &Site, values: &Values, path: &str) -> (&'static str, Context) {
    let (weeks, months): (Vec<&Digest>, Vec<&Digest>) =
        site.digests.iter().partition(|d| d.period.is_week());
    let summaries = |list: Vec<&Digest>| {
        Value::from_serializable(
            &list
                .into_iter()
                .map(|d| summary(site, &values.urls.base_path, d))
                .collect::<Vec<_>>(),
        )
    };
    let mut ctx = base_context(values, path, "Digests");
    ctx.insert_value("weeks", summaries(weeks));
    ctx.insert_value("months", summaries(months));
    ("digests.html", ctx)
}

/// One digest page.
pub(super) fn page(site: &Site, values: &Values, d: usize, path: &str) -> (&'static str, Context) {
    ("digest.html", digest_context(site, values, d, path))
}

/// A weekly digest as a self-contained e-mail page.
pub(super) fn email(site: &Site, values: &Values, d: usize, path: &str) -> (&'static str, Context) {
    ("digest_email.html", digest_context(site, values, d, path))
}
