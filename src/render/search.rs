//! Client-side search: the `/search/` page and a compact `/search-index.json` that the vendored
//! MiniSearch library indexes in the browser.
//!
//! The index must stay small for ten thousand briefings (under 2 MB gzipped), so documents are
//! arrays rather than objects, themes, actors and tags are listed once and referred to by
//! number, and only the opening words of each body are kept.

use rayon::prelude::*;
use serde::Serialize;

use super::data::write_json;
use super::pages::{index, KeyHasher, Kind, PageSpec};
use super::values::Values;
use crate::load::front_matter::Status;
use crate::model::Site;

/// Version of the index's layout, read by `static/search.js`.
const FORMAT: u32 = 1;

/// Plans the search page and its index.
pub(super) fn plan(specs: &mut Vec<PageSpec>, site: &Site) {
    specs.push(PageSpec {
        path: index("search/"),
        kind: Kind::Search,
        key: 0,
    });
    let all: Vec<usize> = (0..site.entries.len()).collect();
    let mut key = KeyHasher::new(Kind::SearchIndex, 1).entries(site, &all);
    for th in &site.themes {
        key = key.value((&th.slug, &th.title));
    }
    for ac in &site.actors {
        key = key.value((&ac.slug, &ac.name, &ac.aliases));
    }
    for tg in &site.tags {
        key = key.value((&tg.slug, &tg.name));
    }
    specs.push(PageSpec {
        path: "search-index.json".into(),
        kind: Kind::SearchIndex,
        key: key.finish(),
    });
}

/// One briefing: `[slug, title, date, themes, actors, tags, summary, body, status]`, where
/// themes, actors and tags are indices into the index's lists and status is empty when
/// `confirmed`.
type Doc<'a> = (
    &'a str,
    &'a str,
    String,
    &'a [usize],
    &'a [usize],
    &'a [usize],
    &'a str,
    &'a str,
    &'a str,
);

#[derive(Serialize)]
struct SearchIndex<'a> {
    v: u32,
    /// Prefix of every link (`/` or `/briefs/`).
    base: &'a str,
    /// `[slug, title]` per theme.
    themes: Vec<(&'a str, &'a str)>,
    /// `[slug, name, aliases]` per actor, aliases joined by spaces.
    actors: Vec<(&'a str, &'a str, String)>,
    /// `[slug, name]` per tag.
    tags: Vec<(&'a str, &'a str)>,
    docs: Vec<Doc<'a>>,
}

/// `/search-index.json`.
pub(super) fn search_index(
    site: &Site,
    values: &Values,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let docs = site
        .entries
        .par_iter()
        .map(|e| {
            let b = &e.briefing;
            let status = if b.status == Status::Confirmed {
                ""
            } else {
                b.status.name()
            };
            (
                b.slug.as_str(),
                b.title.as_str(),
                b.date.display(),
                e.themes.as_slice(),
                e.actors.as_slice(),
                e.tags.as_slice(),
                b.summary.as_str(),
                b.search_terms.as_str(),
                status,
            )
        })
        .collect();
    write_json(
        out,
        &SearchIndex {
            v: FORMAT,
            base: &values.urls.base_path,
            themes: site
                .themes
                .iter()
                .map(|t| (t.slug.as_str(), t.title.as_str()))
                .collect(),
            actors: site
                .actors
                .iter()
                .map(|a| (a.slug.as_str(), a.name.as_str(), a.aliases.join(" ")))
                .collect(),
            tags: site
                .tags
                .iter()
                .map(|t| (t.slug.as_str(), t.name.as_str()))
                .collect(),
            docs,
        },
    )
}
