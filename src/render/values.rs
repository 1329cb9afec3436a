//! Template values built once per site and shared by every page that shows them.
//!
//! Tera values hold their maps and arrays behind `Arc`, so putting one entry's value in a
//! hundred list pages costs a hundred pointer copies, not a hundred copies of the entry.

use rayon::prelude::*;
use serde::Serialize;
use tera::{Map, Value};

use super::templates::Templates;
use crate::diagnostic::Diagnostic;
use crate::load::date::PartialDate;
use crate::model::{Entry, Site};

/// URL helpers for one site: every internal link is prefixed with the base path.
#[derive(Debug, Clone)]
pub struct Urls {
    /// `/` or `/briefs/`.
    pub base_path: String,
    /// `https://example.org/briefs/`.
    pub base_url: String,
}

impl Urls {
    /// Site-relative path (`themes/x/`) → link (`/briefs/themes/x/`).
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }
    /// Site-relative path → absolute URL.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

/// Site-relative path of a briefing page.
pub fn briefing_path(slug: &str) -> String {
    format!("briefings/{slug}/")
}
/// Site-relative path of a theme page.
pub fn theme_path(slug: &str) -> String {
    format!("themes/{slug}/")
}
/// Site-relative path of an actor page.
pub fn actor_path(slug: &str) -> String {
    format!("actors/{slug}/")
}
/// Site-relative path of a tag page.
pub fn tag_path(slug: &str) -> String {
    format!("tags/{slug}/")
}

#[derive(Serialize)]
struct DateValue {
    iso: String,
    display: String,
    precision: crate::load::date::Precision,
    year: i32,
    month: String,
    month_key: String,
    day: String,
}

fn date_value(d: &PartialDate) -> DateValue {
    DateValue {
        iso: d.iso(),
        display: d.display(),
        precision: d.precision,
        year: d.year(),
        month: d.month_label(),
        month_key: d.month_key(),
        day: d.start.format("%Y-%m-%d").to_string(),
    }
}

/// The small value that names a theme, actor or tag in lists.
#[derive(Serialize)]
struct Named<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    color: Option<&'a str>,
}

#[derive(Serialize)]
struct EntryValue<'a> {
    slug: &'a str,
    url: String,
    permalink: String,
    title: &'a str,
    // Placeholders that keep these keys' places in the map; `entry_value` fills them with the
    // shared values of the dates and names (see `Dates`, `Names`).
    date: (),
    end_date: (),
    theme: (),
    themes: (),
    actors: (),
    tags: (),
    summary: &'a str,
    sources: &'a [crate::load::front_matter::Source],
    location: Option<&'a str>,
    status: &'static str,
    confidence: Option<&'static str>,
    draft: bool,
    extra: &'a serde_json::Value,
    path: String,
    // Filled by `entry_value` with the body and by `with_card` with the card, in place, so
    // the map never grows past the size it is made with.
    body: (),
    card: (),
}

/// Everything shared between pages of one render.
pub struct Values {
    /// One value per entry (same index as [`Site::entries`]), body included.
    pub entries: Vec<Value>,
    /// The `site` object every template gets.
    pub site: Value,
    /// URL helpers.
    pub urls: Urls,
    /// Each entry's stamp, to reuse values across rebuilds.
    stamps: Vec<u64>,
}

impl Values {
    /// Builds every entry's value once, in parallel.
    pub fn build(site: &Site, templates: &Templates) -> Result<Values, Vec<Diagnostic>> {
        Values::build_cached(site, templates, &Values::empty())
    }

    /// Builds the values, reusing those of `previous` (an earlier build with the same config
    /// and templates) for entries whose stamp is unchanged.
    ///
    /// Each value carries `card`, the entry rendered once through `partials/entry.html`, so
    /// that list pages showing it concatenate instead of rendering it again.
    pub fn build_cached(
        site: &Site,
        templates: &Templates,
        previous: &Values,
    ) -> Result<Values, Vec<Diagnostic>> {
        let urls = Urls {
            base_path: site.config.base_path.clone(),
            base_url: site.config.base_url.clone(),
        };
        let names = Names::build(site, &urls);
        let c = &site.config;
        let site_value = Value::from_serializable(&serde_json::json!({
            "title": c.title,
            "description": c.description,
            "base_url": c.base_url,
            "base_path": c.base_path,
            "language": c.language,
        }));
        // Mostly an entry sits where it sat (always, when the model was patched); otherwise
        // look for its stamp, indexing the old stamps only if needed.
        let by_stamp: std::sync::OnceLock<ahash::AHashMap<u64, usize>> = Default::default();
        let reused: Vec<Option<usize>> = (site.entries.par_iter().enumerate())
            .map(|(i, e)| {
                if previous.stamps.get(i) == Some(&e.stamp) {
                    return Some(i);
                }
                by_stamp
                    .get_or_init(|| {
                        (previous.stamps.iter().enumerate())
                            .map(|(j, &s)| (s, j))
                            .collect()
                    })
                    .get(&e.stamp)
                    .copied()
            })
            .collect();
        let dates = Dates::build(
            (site.entries.iter().zip(&reused))
                .filter(|(_, r)| r.is_none())
                .map(|(e, _)| &e.briefing),
        );
        let entries: Vec<Result<Value, Diagnostic>> = (site.entries.par_iter().zip(&reused))
            .map(|(e, at)| match at {
                Some(j) => Ok(previous.entries[*j].clone()),
                None => with_card(
                    entry_value(e, &urls, &names, &dates),
                    &site_value,
                    templates,
                ),
            })
            .collect();
        let mut ok = Vec::with_capacity(entries.len());
        let mut errors: Vec<Diagnostic> = Vec::new();
        for r in entries {
            match r {
                Ok(v) => ok.push(v),
                Err(d) if !errors.contains(&d) => errors.push(d),
                Err(_) => {}
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Values {
            entries: ok,
            site: site_value,
            urls,
            stamps: site.entries.iter().map(|e| e.stamp).collect(),
        })
    }

    /// No entries: the state before anything was built.
    pub fn empty() -> Values {
        Values {
            entries: Vec::new(),
            site: Value::none(),
            urls: Urls {
                base_path: "/".into(),
                base_url: "/".into(),
            },
            stamps: Vec::new(),
        }
    }

    /// The value naming theme `t`.
    pub fn theme(&self, site: &Site, t: usize) -> Value {
        let th = &site.themes[t];
        Value::from_serializable(&Named {
            slug: &th.slug,
            name: &th.title,
            url: self.urls.link(&theme_path(&th.slug)),
            color: th.color.as_deref(),
        })
    }

    /// The value naming actor `a`.
    pub fn actor(&self, site: &Site, a: usize) -> Value {
        let ac = &site.actors[a];
        Value::from_serializable(&Named {
            slug: &ac.slug,
            name: &ac.name,
            url: self.urls.link(&actor_path(&ac.slug)),
            color: None,
        })
    }

    /// Values for a list of entry indices.
    pub fn list(&self, idx: &[usize]) -> Value {
        Value::from(
            idx.iter()
                .map(|&i| self.entries[i].clone())
                .collect::<Vec<_>>(),
        )
    }
}

/// The template that renders one entry in lists.
pub const CARD_TEMPLATE: &str = "partials/entry.html";

fn with_card(entry: Map, site: &Value, templates: &Templates) -> Result<Value, Diagnostic> {
    let mut ctx = tera::Context::new();
    ctx.insert_value("site", site.clone());
    ctx.insert_value("entry", Value::from(entry));
    let html = templates.render(CARD_TEMPLATE, &ctx)?;
    // The context holds the only reference, so this takes the map without copying it.
    let mut map = (ctx.remove("entry").and_then(Value::into_map)).expect("the entry put in above");
    map.insert(
        "card".into(),
        Value::safe_string(&String::from_utf8_lossy(&html)),
    );
    Ok(Value::from(map))
}

/// The value of every theme, actor and tag, built once and shared (an `Arc` clone) by every
/// entry that names it, instead of a fresh map per mention.
struct Names {
    themes: Vec<Value>,
    actors: Vec<Value>,
    tags: Vec<Value>,
}

impl Names {
    fn build(site: &Site, urls: &Urls) -> Names {
        let named = |slug: &str, name: &str, url: String, color: Option<&str>| {
            Value::from_serializable(&Named {
                slug,
                name,
                url,
                color,
            })
        };
        Names {
            themes: (site.themes.iter())
                .map(|th| {
                    named(
                        &th.slug,
                        &th.title,
                        urls.link(&theme_path(&th.slug)),
                        th.color.as_deref(),
                    )
                })
                .collect(),
            actors: (site.actors.iter())
                .map(|ac| named(&ac.slug, &ac.name, urls.link(&actor_path(&ac.slug)), None))
                .collect(),
            tags: (site.tags.iter())
                .map(|tg| named(&tg.slug, &tg.name, urls.link(&tag_path(&tg.slug)), None))
                .collect(),
        }
    }

    fn list(all: &[Value], idx: &[usize]) -> Value {
        Value::from(idx.iter().map(|&i| all[i].clone()).collect::<Vec<_>>())
    }
}

fn entry_value(e: &Entry, urls: &Urls, names: &Names, dates: &Dates) -> Map {
    let b = &e.briefing;
    let path = briefing_path(&b.slug);
    let v = EntryValue {
        slug: &b.slug,
        url: urls.link(&path),
        permalink: urls.absolute(&path),
        title: &b.title,
        date: (),
        end_date: (),
        theme: (),
        themes: (),
        actors: (),
        tags: (),
        summary: &b.summary,
        sources: &b.sources,
        location: b.location.as_deref(),
        status: b.status.name(),
        confidence: b.confidence.map(|c| c.name()),
        draft: b.draft,
        extra: &b.extra,
        path: b.path.to_string_lossy().replace('\\', "/"),
        body: (),
        card: (),
    };
    let mut map = Value::from_serializable(&v)
        .into_map()
        .expect("an entry serialises to a map");
    let theme = e.themes.first().map(|&t| names.themes[t].clone());
    map.insert("theme".into(), theme.unwrap_or_else(Value::none));
    map.insert("themes".into(), Names::list(&names.themes, &e.themes));
    map.insert("actors".into(), Names::list(&names.actors, &e.actors));
    map.insert("tags".into(), Names::list(&names.tags, &e.tags));
    map.insert("date".into(), dates.get(&b.date));
    let end = b.end_date.as_ref().map(|d| dates.get(d));
    map.insert("end_date".into(), end.unwrap_or_else(Value::none));
    map.insert("body".into(), e.body_html().value());
    map
}

/// The value of each date the entries being built show, made once per date: many briefings
/// share a day, and a date's map is larger than the briefing fields around it.
struct Dates(ahash::AHashMap<DateKey, Value>);

/// A date as written. Not [`PartialDate`] itself: its equality is chrono's, under which
/// `09:00+03:00` and `06:00Z` are one instant, but readers are shown each as written.
type DateKey = (
    chrono::NaiveDate,
    crate::load::date::Precision,
    Option<(chrono::NaiveDateTime, i32)>,
);

fn date_key(d: &PartialDate) -> DateKey {
    let written = d
        .time
        .map(|t| (t.naive_local(), t.offset().local_minus_utc()));
    (d.start, d.precision, written)
}

impl Dates {
    fn build<'a>(
        briefings: impl Iterator<Item = &'a std::sync::Arc<crate::load::Briefing>>,
    ) -> Dates {
        let mut map = ahash::AHashMap::new();
        for b in briefings {
            for d in std::iter::once(&b.date).chain(&b.end_date) {
                map.entry(date_key(d))
                    .or_insert_with(|| Value::from_serializable(&date_value(d)));
            }
        }
        Dates(map)
    }

    fn get(&self, d: &PartialDate) -> Value {
        self.0[&date_key(d)].clone()
    }
}
