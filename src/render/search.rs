//! Client-side search: the `/search/` page and a compact `/search-index.json` that the vendored
//! MiniSearch library indexes in the browser.
//!
//! The index must stay small for ten thousand briefings (under 2 MB gzipped), so documents are
//! arrays rather than objects, themes, actors and tags are listed once and referred to by
//! number, and only the opening words of each body are kept.

use std::collections::HashSet;

use rayon::prelude::*;
use serde::Serialize;

use super::data::json_bytes;
use super::pages::{index, KeyHasher, Kind, PageSpec};
use super::values::Values;
use crate::load::front_matter::Status;
use crate::model::Site;

/// Words of body text read per briefing (after the summary, which is indexed in full).
pub const BODY_WORDS: usize = 40;

/// Common English words that would only weigh down the index.
const STOPWORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "are", "as", "at", "be", "been", "but",
    "by", "for", "from", "had", "has", "have", "he", "her", "his", "in", "into", "is", "it", "its",
    "more", "not", "of", "on", "or", "said", "says", "she", "so", "than", "that", "the", "their",
    "there", "they", "this", "to", "was", "were", "which", "while", "who", "will", "with", "would",
];

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
    String,
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

fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The search terms of the body's opening words: lower-cased, each once, in order of first
/// use, leaving out common words and words the title or summary already hold. MiniSearch
/// tokenises and lower-cases the same way, so nothing findable is lost from these words,
/// and the index stays small. The summary is skipped when the body starts with it (as it
/// does when the summary was taken from the first paragraph).
fn body_terms(plain: &str, title: &str, summary: &str) -> String {
    let text = plain.trim_start();
    let text = if !summary.is_empty() && text.starts_with(summary) {
        &text[summary.len()..]
    } else {
        text
    };
    static STOP: std::sync::OnceLock<HashSet<&'static str>> = std::sync::OnceLock::new();
    let stop = STOP.get_or_init(|| STOPWORDS.iter().copied().collect());
    let mut seen: HashSet<String> = terms(title).chain(terms(summary)).collect();
    let words = text
        .split_whitespace()
        .take(BODY_WORDS)
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = String::with_capacity(words.len());
    for term in terms(&words) {
        if !stop.contains(term.as_str()) && seen.insert(term.clone()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&term);
        }
    }
    out
}

/// `/search-index.json`.
pub(super) fn search_index(site: &Site, values: &Values) -> Vec<u8> {
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
                body_terms(&b.body.plain_text, &b.title, &b.summary),
                status,
            )
        })
        .collect();
    json_bytes(&SearchIndex {
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_terms_skip_the_summary_title_and_repeats() {
        let body = "First para here.\nThe Second   paragraph, second time\nwith Words and U.S.-made parts.";
        assert_eq!(
            body_terms(body, "A paragraph", "First para here."),
            "second time words u s made parts"
        );
        assert_eq!(
            body_terms(body, "", "Other"),
            "first para here second paragraph time words u s made parts"
        );
        let long = (0..500)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(body_terms(&long, "", "").split(' ').count(), BODY_WORDS);
    }
}
