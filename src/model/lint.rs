//! Warnings: things that build fine but are probably mistakes. `model::build` gathers the
//! ones that depend only on the content; [`dates`] needs today's date, which callers pass in
//! so that the model stays pure (and tests can pick the day).

use ahash::AHashMap as HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::{Carried, Entry, Site};
use crate::diagnostic::Diagnostic;
use crate::load::front_matter::Status;
use crate::load::slug::slugify;
use crate::load::Briefing;
use crate::yaml::Spanned;

fn at(b: &Briefing, (line, column): (usize, usize), width: usize, message: String) -> Diagnostic {
    Diagnostic::warning(&b.path, message)
        .at(&b.front_matter_text, line, column)
        .width(width)
}

fn on(b: &Briefing, s: &Spanned<String>, message: String) -> Diagnostic {
    // Spans in `topics`/`actors` are YAML-relative; the fence line comes first.
    at(b, (s.line + 1, s.column), s.value.chars().count(), message)
}

/// The kind of the warning about a title that more than one briefing uses.
pub const DUPLICATE_TITLE: &str = "duplicate title";
const UNDECLARED_THEME: &str = "undeclared theme";
const UNDECLARED_ACTOR: &str = "undeclared actor";
const SOURCE_NOT_HTTP: &str = "source URL not http(s)";
const NO_SUMMARY: &str = "no summary";
/// The kinds of warning that depend on one file (and `site.yaml`) alone.
const OF_ONE_FILE: [&str; 4] = [
    UNDECLARED_THEME,
    UNDECLARED_ACTOR,
    SOURCE_NOT_HTTP,
    NO_SUMMARY,
];

/// The warnings of [`undeclared`] and [`content`] for `site`, taking those of the files that
/// were not loaded again from `old`, a model built with the same `site.yaml`.
pub fn again(old: &Site, carried: &Carried, site: &Site) -> Vec<Diagnostic> {
    let changed: Vec<usize> = (0..site.entries.len())
        .filter(|&i| carried.to_old[i].is_none())
        .collect();
    // Files gone, loaded again or new.
    let touched: Vec<&Path> = (old.entries.iter().zip(&carried.to_new))
        .filter(|(_, n)| n.is_none())
        .map(|(e, _)| e.briefing.path.as_path())
        .chain(
            changed
                .iter()
                .map(|&i| site.entries[i].briefing.path.as_path()),
        )
        .collect();
    refresh(&old.warnings, &touched, site, &changed)
}

/// Does a warning of this kind come from the entries' own checks ([`undeclared`], [`content`]),
/// which [`refresh`] redoes? The others come from `site.yaml` (or from the dates).
pub fn of_entries(kind: &str) -> bool {
    OF_ONE_FILE.contains(&kind) || kind == DUPLICATE_TITLE
}

/// The warnings of [`undeclared`] and [`content`] for `site` after an edit: from `old` (the
/// last model's warnings, with the same `site.yaml`) those of files not `touched` (gone,
/// loaded again or new) stand; the entries at `changed` are checked; duplicate titles, which
/// span files, are found again.
pub fn refresh(
    old: &[Diagnostic],
    touched: &[&Path],
    site: &Site,
    changed: &[usize],
) -> Vec<Diagnostic> {
    // A set: after a rescan every file is touched, and a list would make this quadratic.
    let touched: ahash::AHashSet<&Path> = touched.iter().copied().collect();
    let mut out: Vec<Diagnostic> = (old.iter())
        .filter(|d| OF_ONE_FILE.contains(&d.kind) && !touched.contains(d.file.as_path()))
        .cloned()
        .collect();
    out.append(&mut undeclared_in(site, changed));
    out.append(&mut sources_and_summaries(&site.entries, changed));
    out.append(&mut duplicate_titles(&site.entries));
    out
}

/// Themes and actors written in briefings but not declared in `site.yaml`.
pub fn undeclared(site: &Site) -> Vec<Diagnostic> {
    let all: Vec<usize> = (0..site.entries.len()).collect();
    undeclared_in(site, &all)
}

/// [`undeclared`] for some entries only (by index).
pub fn undeclared_in(site: &Site, at: &[usize]) -> Vec<Diagnostic> {
    let names = Declared::new(site);
    let mut out = Vec::new();
    for &i in at {
        names.check(site, &site.entries[i], &mut out);
    }
    out
}

/// What `site.yaml` declares, looked up by slug, with the names offered as suggestions.
struct Declared<'a> {
    themes: HashMap<String, usize>,
    actors: HashMap<String, usize>,
    theme_names: Vec<&'a str>,
    actor_names: Vec<&'a str>,
    /// The closest declared name per undeclared one, worked out once per name.
    suggestions: std::cell::RefCell<HashMap<(bool, String), Option<&'a str>>>,
}

impl<'a> Declared<'a> {
    fn new(site: &'a Site) -> Self {
        let mut themes: HashMap<String, usize> = HashMap::new();
        for (i, t) in site.themes.iter().enumerate() {
            themes.entry(t.slug.clone()).or_insert(i);
            themes.entry(slugify(&t.title)).or_insert(i);
        }
        let mut actors: HashMap<String, usize> = HashMap::new();
        for (i, a) in site.actors.iter().enumerate() {
            actors.entry(a.slug.clone()).or_insert(i);
            actors.entry(slugify(&a.name)).or_insert(i);
            for alias in &a.aliases {
                actors.entry(slugify(alias)).or_insert(i);
            }
        }
        Declared {
            themes,
            actors,
            theme_names: (site.themes.iter())
                .filter(|t| t.declared)
                .map(|t| t.title.as_str())
                .collect(),
            actor_names: (site.actors.iter())
                .filter(|a| a.declared)
                .flat_map(|a| {
                    std::iter::once(a.name.as_str()).chain(a.aliases.iter().map(String::as_str))
                })
                .collect(),
            suggestions: Default::default(),
        }
    }

    fn check(&self, site: &Site, e: &Entry, out: &mut Vec<Diagnostic>) {
        let b = &e.briefing;
        // `load` slugged every name already.
        let themes = b.topics.iter().zip(&b.topic_slugs).map(|n| (true, n));
        let actors = b.actors.iter().zip(&b.actor_slugs).map(|n| (false, n));
        for (is_theme, (s, key)) in themes.chain(actors) {
            let declared = if is_theme {
                (self.themes.get(key)).is_some_and(|&i| site.themes[i].declared)
            } else {
                (self.actors.get(key)).is_some_and(|&i| site.actors[i].declared)
            };
            if declared {
                continue;
            }
            let names = if is_theme {
                &self.theme_names
            } else {
                &self.actor_names
            };
            let best = *(self.suggestions.borrow_mut())
                .entry((is_theme, key.clone()))
                .or_insert_with(|| crate::suggest::closest(&s.value, names.iter().copied()));
            let (what, list_name) = if is_theme {
                ("theme", "themes")
            } else {
                ("actor", "actors")
            };
            let d = on(
                b,
                s,
                format!("{what} `{}` is not declared in site.yaml", s.value),
            )
            .kind(if is_theme {
                UNDECLARED_THEME
            } else {
                UNDECLARED_ACTOR
            });
            out.push(match best {
                Some(name) => d.hint(format!("did you mean `{name}`?")),
                None => d.hint(format!(
                    "declare it under `{list_name}:` in site.yaml to give it a description"
                )),
            });
        }
    }
}

/// Titles used by more than one briefing, and source URLs that are not web addresses, and
/// briefings with nothing to show as a summary.
pub fn content(entries: &[Entry]) -> Vec<Diagnostic> {
    let all: Vec<usize> = (0..entries.len()).collect();
    let mut out = sources_and_summaries(entries, &all);
    out.append(&mut duplicate_titles(entries));
    out
}

/// Source URLs that are not web addresses, and missing summaries, in some entries (by index).
pub fn sources_and_summaries(entries: &[Entry], at: &[usize]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &i in at {
        sources_and_summary(&entries[i].briefing, &mut out);
    }
    out
}

/// Titles used by more than one briefing (compared without case).
pub fn duplicate_titles(entries: &[Entry]) -> Vec<Diagnostic> {
    // Grouped by the keys computed at load, so that only titles that may repeat are lowercased
    // here (this runs on every serve edit that moves a briefing).
    let mut keyed: Vec<(u64, usize)> = (entries.iter().enumerate())
        .map(|(i, e)| (e.briefing.title_key, i))
        .collect();
    keyed.sort_unstable();
    let mut out = Vec::new();
    for run in keyed.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
        // One title per run, unless two keys collide.
        let mut groups: Vec<(String, Vec<&Briefing>)> = Vec::new();
        for &(_, i) in run {
            let b = &*entries[i].briefing;
            let lower = b.title.to_lowercase();
            match groups.iter_mut().find(|(t, _)| *t == lower) {
                Some((_, list)) => list.push(b),
                None => groups.push((lower, vec![b])),
            }
        }
        for (_, list) in groups.iter().filter(|(_, l)| l.len() > 1) {
            for b in list {
                out.push(duplicate_title(b, list));
            }
        }
    }
    out
}

fn duplicate_title(b: &Briefing, same: &[&Briefing]) -> Diagnostic {
    let others: Vec<String> = (same.iter())
        .filter(|o| o.path != b.path)
        .map(|o| o.path.display().to_string())
        .collect();
    at(
        b,
        b.spans.title,
        b.title.chars().count(),
        format!("title `{}` is also used by {}", b.title, others.join(", ")),
    )
    .hint("give each briefing its own headline, so readers can tell them apart")
    .kind(DUPLICATE_TITLE)
}

fn sources_and_summary(b: &Briefing, out: &mut Vec<Diagnostic>) {
    for (src, &pos) in b.sources.iter().zip(&b.spans.sources) {
        let url = src.url.trim();
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            // A plain string source sits where its URL is written; a map, at its first key.
            let line = b
                .front_matter_text
                .lines()
                .nth(pos.0.saturating_sub(1))
                .unwrap_or("");
            let rest: String = line.chars().skip(pos.1.saturating_sub(1)).collect();
            let rest = rest.trim_start_matches(['"', '\'']);
            let width = if rest.starts_with(url) {
                url.chars().count()
            } else {
                1
            };
            out.push(
                at(
                    b,
                    pos,
                    width,
                    format!("source URL `{url}` is not an http(s) address"),
                )
                .hint("write the full address, starting with https://")
                .kind(SOURCE_NOT_HTTP),
            );
        }
    }
    if b.summary.is_empty() {
        let fence = b.spans.body_line.saturating_sub(1).max(1);
        out.push(
            Diagnostic::warning(
                &b.path,
                "no summary, and the body has no first paragraph to use instead",
            )
            .at("---", 1, 1)
            .with_line(fence)
            .width(3)
            .hint("add `summary:` to the front matter, or write a paragraph after the ---")
            .kind(NO_SUMMARY),
        );
    }
}

/// Dates that disagree with `status`, judged against `today` in the site's timezone.
pub fn dates(site: &Site, today: NaiveDate) -> Vec<Diagnostic> {
    let tz = site.config.timezone;
    let mut out = Vec::new();
    for e in &site.entries {
        let b = &e.briefing;
        let first_day = match b.date.time {
            Some(t) => t.with_timezone(&tz).date_naive(),
            None => b.date.start,
        };
        let last_day = match b.date.time {
            Some(_) => first_day,
            None => b.date.end_day(),
        };
        // The date as written is ASCII, so its width is its length; made only for a warning.
        let width = || b.date.iso().len();
        if b.status != Status::Expected && first_day > today {
            out.push(
                at(
                    b,
                    b.spans.date,
                    width(),
                    format!(
                        "date {} is in the future, but `status` is not `expected`",
                        b.date.iso()
                    ),
                )
                .hint("add `status: expected` for an announced event, or correct the date")
                .kind("future date not expected"),
            );
        } else if b.status == Status::Expected && last_day < today {
            let pos = b.spans.status.unwrap_or(b.spans.date);
            out.push(
                at(b, pos, "expected".len(), format!("`expected` event's date {} has passed", b.date.iso()))
                    .hint("if it happened, set `status: confirmed` (or `developing`); if it moved, update the date")
                    .kind("expected date passed"),
            );
        }
    }
    out
}
