//! Stage two: all briefings plus `site.yaml` become a [`Site`]: themes, actors and tags
//! resolved, timelines ordered, neighbours linked. Pure: no I/O, no templates.

pub mod digest;
pub mod links;
pub mod lint;
pub mod patch;
pub mod registry;
pub mod related;

use std::cmp::Ordering;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::front_matter::Status;
use crate::load::{Briefing, Html};
pub use digest::{Digest, Period};
pub use registry::{Actor, Registry, Tag, Theme};
pub use related::Related;

/// A briefing placed in the site.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The loaded briefing.
    pub briefing: Arc<Briefing>,
    /// Indices into [`Site::themes`], primary first.
    pub themes: Vec<usize>,
    /// Indices into [`Site::actors`].
    pub actors: Vec<usize>,
    /// Indices into [`Site::tags`].
    pub tags: Vec<usize>,
    /// The previous briefing in the primary theme's story.
    pub prev: Option<usize>,
    /// The next briefing in the primary theme's story.
    pub next: Option<usize>,
    /// Changes whenever anything a page shows about this entry changes.
    pub stamp: u64,
    /// The body with links to other briefings resolved; `None` when it has none (then the
    /// loaded HTML is final).
    pub body_html: Option<Html>,
}

impl Entry {
    /// The final body HTML.
    pub fn body_html(&self) -> &Html {
        self.body_html.as_ref().unwrap_or(&self.briefing.body.html)
    }
}

/// The whole site, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    /// Configuration.
    pub config: Arc<Config>,
    /// Published briefings, newest first (date desc, then title, then path).
    pub entries: Vec<Entry>,
    /// Themes: declared ones in `site.yaml` order, then discovered ones by title.
    pub themes: Vec<Theme>,
    /// Actors: declared, then discovered, by name.
    pub actors: Vec<Actor>,
    /// Tags by name.
    pub tags: Vec<Tag>,
    /// Weekly digests newest first, then monthly digests newest first.
    pub digests: Vec<Digest>,
    /// Related briefings and co-actors.
    pub related: Related,
    /// Warnings found while modelling.
    pub warnings: Vec<Diagnostic>,
}

/// Which entries of an earlier model hold the very same loaded briefing (the same file, not
/// loaded again) as entries of a new one, both ways by index.
#[derive(Debug, Clone)]
pub struct Carried {
    /// Per old entry, its index in the new model.
    pub to_new: Vec<Option<usize>>,
    /// Per new entry, its index in the old model.
    pub to_old: Vec<Option<usize>>,
}

impl Carried {
    /// Matches `old` with `new` by identity of the loaded briefing.
    pub fn new(old: &[Entry], new: &[Entry]) -> Carried {
        // By address, not by path: cheaper to hash, and a file loaded again is a new briefing.
        let at: ahash::AHashMap<*const Briefing, usize> = (new.iter().enumerate())
            .map(|(i, e)| (Arc::as_ptr(&e.briefing), i))
            .collect();
        let to_new: Vec<Option<usize>> = (old.iter())
            .map(|e| at.get(&Arc::as_ptr(&e.briefing)).copied())
            .collect();
        let mut to_old = vec![None; new.len()];
        for (o, n) in to_new.iter().enumerate() {
            if let Some(n) = *n {
                to_old[n] = Some(o);
            }
        }
        Carried { to_new, to_old }
    }
}

/// Newest first; ties by title (A→Z), then path.
pub fn newest_first(a: &Briefing, b: &Briefing) -> Ordering {
    b.date
        .cmp(&a.date)
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.path.as_os_str().cmp(b.path.as_os_str()))
}

/// A theme's story order: oldest first, announced (`expected`) events last; ties by title, path.
pub fn story_order(a: &Briefing, b: &Briefing) -> Ordering {
    let exp = |x: &Briefing| x.status == Status::Expected;
    exp(a)
        .cmp(&exp(b))
        .then_with(|| a.date.cmp(&b.date))
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.path.as_os_str().cmp(b.path.as_os_str()))
}

/// Builds the site model. Errors (duplicate slugs, broken links) stop the build, and are
/// returned with the warnings found so far; warnings are kept in the site.
pub fn build(
    config: Arc<Config>,
    briefings: Vec<Arc<Briefing>>,
    drafts: bool,
) -> Result<Site, Vec<Diagnostic>> {
    build_checked(config, briefings, drafts, &HashSet::new(), None)
}

/// [`build`], for a site some of whose files failed to load: `unloaded` holds their content
/// paths (`theme/a.md`), so that links to them are not reported as missing files as well.
/// With `today`, the warnings about dates that disagree with `status` are added too (the
/// caller picks the day, so that the model stays free of the clock).
pub fn build_checked(
    config: Arc<Config>,
    all: Vec<Arc<Briefing>>,
    drafts: bool,
    unloaded: &HashSet<String>,
    today: Option<chrono::NaiveDate>,
) -> Result<Site, Vec<Diagnostic>> {
    build_from(config, all, drafts, unloaded, today, None)
}

/// [`build`] for the dev server: work that no edit could have changed is taken from
/// `previous`, the last good model built with the same `site.yaml`.
pub fn rebuild(
    previous: &Site,
    config: Arc<Config>,
    briefings: Vec<Arc<Briefing>>,
    drafts: bool,
) -> Result<Site, Vec<Diagnostic>> {
    build_from(
        config,
        briefings,
        drafts,
        &HashSet::new(),
        None,
        Some(previous),
    )
}

fn build_from(
    config: Arc<Config>,
    all: Vec<Arc<Briefing>>,
    drafts: bool,
    unloaded: &HashSet<String>,
    today: Option<chrono::NaiveDate>,
    previous: Option<&Site>,
) -> Result<Site, Vec<Diagnostic>> {
    let (briefings, added) = newest_first_from(&all, drafts, previous);

    // The last good model had no two briefings with one slug, so after an edit only a briefing
    // it did not hold can clash: a scan for its slug, where the full check hashes every slug.
    let mut errors = match added {
        // Each scan reads every slug: past a few added briefings (a rescan reloads them all)
        // the map is far cheaper than `added.len()` scans.
        Some(added) if added.len() <= 16 && !added.iter().any(|a| shares_slug(a, &briefings)) => {
            Vec::new()
        }
        _ => duplicate_slugs(&briefings),
    };
    if !errors.is_empty() {
        crate::diagnostic::sort(&mut errors);
        return Err(errors);
    }

    let mut registry = Registry::new(&config);
    // Resolve in path order so that the spelling that names an undeclared theme or actor does
    // not depend on dates.
    let mut by_path: Vec<usize> = (0..briefings.len()).collect();
    by_path.sort_by(|&a, &b| {
        briefings[a]
            .path
            .as_os_str()
            .cmp(briefings[b].path.as_os_str())
    });
    let mut resolved: Vec<(Vec<usize>, Vec<usize>, Vec<usize>)> =
        vec![Default::default(); briefings.len()];
    for &i in &by_path {
        let b = &briefings[i];
        let themes = dedup(
            b.topics
                .iter()
                .zip(&b.topic_slugs)
                .map(|(t, k)| registry.theme(&t.value, k))
                .collect(),
        );
        let actors = dedup(
            b.actors
                .iter()
                .zip(&b.actor_slugs)
                .map(|(a, k)| registry.actor(&a.value, k))
                .collect(),
        );
        let tags = dedup(
            b.tags
                .iter()
                .zip(&b.tag_slugs)
                .map(|(t, k)| registry.tag(&t.value, k))
                .collect(),
        );
        resolved[i] = (themes, actors, tags);
    }
    let (mut themes, mut actors, mut tags, mut warnings) = registry.finish();
    let mut link_errors = Vec::new();
    let bodies: Vec<Option<Html>> = if briefings.iter().any(|b| !b.links.is_empty()) {
        let targets = links::Targets::new(&all, unloaded, drafts);
        briefings
            .iter()
            .map(|b| {
                targets.body(b, &config.base_path).unwrap_or_else(|mut e| {
                    link_errors.append(&mut e);
                    None
                })
            })
            .collect()
    } else {
        vec![None; briefings.len()]
    };

    let mut entries: Vec<Entry> = briefings
        .into_iter()
        .zip(resolved)
        .zip(bodies)
        .map(|((briefing, (themes, actors, tags)), body_html)| Entry {
            briefing,
            themes,
            actors,
            tags,
            prev: None,
            next: None,
            stamp: 0,
            body_html,
        })
        .collect();

    // Membership lists: entries are already newest first, so pushing in order keeps that.
    for (i, e) in entries.iter().enumerate() {
        for &t in &e.themes {
            themes[t].members.push(i);
        }
        for &a in &e.actors {
            actors[a].members.push(i);
        }
        for &t in &e.tags {
            tags[t].members.push(i);
        }
    }
    themes.par_iter_mut().for_each(|t| {
        t.members
            .sort_by(|&a, &b| story_order(&entries[a].briefing, &entries[b].briefing));
    });
    // Neighbours within the primary theme's story.
    for (t, theme) in themes.iter().enumerate() {
        let story: Vec<usize> = theme
            .members
            .iter()
            .copied()
            .filter(|&i| entries[i].themes.first() == Some(&t))
            .collect();
        for (k, &i) in story.iter().enumerate() {
            entries[i].prev = k.checked_sub(1).map(|p| story[p]);
            entries[i].next = story.get(k + 1).copied();
        }
    }
    entries
        .par_iter_mut()
        .for_each(|e| e.stamp = stamp(e, &themes, &actors, &tags));
    // Independent of each other; on every serve rebuild, so worth the second core.
    let carried = previous.map(|old| (old, Carried::new(&old.entries, &entries)));
    let (digests, related) = rayon::join(
        || digest::build(&entries),
        || match &carried {
            Some((old, carried)) => related::rebuild(old, carried, &entries, &themes, &actors).0,
            None => related::build(&entries, &themes, &actors),
        },
    );
    let mut site = Site {
        config,
        entries,
        themes,
        actors,
        tags,
        digests,
        related,
        warnings: Vec::new(),
    };
    match &carried {
        Some((old, carried)) => warnings.append(&mut lint::again(old, carried, &site)),
        None => {
            warnings.append(&mut lint::undeclared(&site));
            warnings.append(&mut lint::content(&site.entries));
        }
    }
    if let Some(today) = today {
        warnings.append(&mut lint::dates(&site, today));
    }
    crate::diagnostic::sort(&mut warnings);
    if !link_errors.is_empty() {
        link_errors.append(&mut warnings);
        crate::diagnostic::sort(&mut link_errors);
        return Err(link_errors);
    }
    site.warnings = warnings;
    Ok(site)
}

/// The published briefings of `all`, newest first. With `previous`, the briefings it held keep
/// their order and only the others (a serve edit's few) are sorted and merged in; those are
/// returned as well. Each briefing is in `all` once (the dev server keeps them by path).
fn newest_first_from(
    all: &[Arc<Briefing>],
    drafts: bool,
    previous: Option<&Site>,
) -> (Vec<Arc<Briefing>>, Option<Vec<Arc<Briefing>>>) {
    let published = |b: &&Arc<Briefing>| drafts || !b.draft;
    let Some(old) = previous else {
        let mut sorted: Vec<Arc<Briefing>> = all.iter().filter(published).cloned().collect();
        sorted.par_sort_by(|a, b| newest_first(a, b));
        return (sorted, None);
    };
    let mut unplaced: ahash::AHashSet<*const Briefing> =
        all.iter().filter(published).map(Arc::as_ptr).collect();
    let kept: Vec<&Arc<Briefing>> = (old.entries.iter())
        .map(|e| &e.briefing)
        .filter(|b| unplaced.remove(&Arc::as_ptr(b)))
        .collect();
    debug_assert!(kept.is_sorted_by(|a, b| newest_first(a, b).is_le()));
    let mut added: Vec<&Arc<Briefing>> = (all.iter())
        .filter(|b| unplaced.contains(&Arc::as_ptr(b)))
        .collect();
    added.sort_by(|a, b| newest_first(a, b));
    let new: Vec<Arc<Briefing>> = added.iter().map(|&b| b.clone()).collect();
    let mut merged = Vec::with_capacity(kept.len() + added.len());
    let (mut k, mut a) = (kept.into_iter().peekable(), added.into_iter().peekable());
    while let (Some(x), Some(y)) = (k.peek(), a.peek()) {
        let next = if newest_first(x, y).is_le() {
            k.next()
        } else {
            a.next()
        };
        merged.extend(next.cloned());
    }
    merged.extend(k.chain(a).cloned());
    (merged, Some(new))
}

/// Does another briefing of `all` have `b`'s slug?
fn shares_slug(b: &Briefing, all: &[Arc<Briefing>]) -> bool {
    all.iter()
        .any(|o| o.slug == b.slug && !std::ptr::eq(&**o, b))
}

/// Drops repeats in place, keeping first occurrences; lists are a handful long, so a linear
/// scan beats a set.
fn dedup(mut v: Vec<usize>) -> Vec<usize> {
    let mut i = 1;
    while i < v.len() {
        if v[..i].contains(&v[i]) {
            v.remove(i);
        } else {
            i += 1;
        }
    }
    v
}

/// What a page shows of an entry, hashed: its own file plus the names it resolved to.
fn stamp(e: &Entry, themes: &[Theme], actors: &[Actor], tags: &[Tag]) -> u64 {
    let mut h = crate::hash::hasher();
    e.briefing.content_hash.hash(&mut h);
    e.briefing.path.hash(&mut h);
    e.body_html.hash(&mut h);
    for &t in &e.themes {
        (&themes[t].slug, &themes[t].title).hash(&mut h);
    }
    for &a in &e.actors {
        (&actors[a].slug, &actors[a].name).hash(&mut h);
    }
    for &t in &e.tags {
        (&tags[t].slug, &tags[t].name).hash(&mut h);
    }
    h.finish()
}

fn duplicate_slugs(briefings: &[Arc<Briefing>]) -> Vec<Diagnostic> {
    // Most sites have no duplicates: find them with one map of first owners, and only then
    // gather the groups.
    let mut first: ahash::AHashMap<&str, usize> = ahash::AHashMap::with_capacity(briefings.len());
    let mut clashing: Vec<&str> = Vec::new();
    for (i, b) in briefings.iter().enumerate() {
        if first.insert(b.slug.as_str(), i).is_some() {
            clashing.push(b.slug.as_str());
        }
    }
    clashing.sort_unstable();
    clashing.dedup();
    let mut errors = Vec::new();
    for slug in clashing {
        let mut list: Vec<&Briefing> = briefings
            .iter()
            .filter(|b| b.slug == slug)
            .map(|b| &**b)
            .collect();
        list.sort_by(|a, b| a.path.cmp(&b.path));
        let names: Vec<String> = list.iter().map(|b| b.path.display().to_string()).collect();
        for b in &list {
            let own = b.path.display().to_string();
            let others: Vec<&str> = names
                .iter()
                .map(String::as_str)
                .filter(|n| *n != own)
                .collect();
            let (line, col) = b.slug_line.unwrap_or((1, 1));
            errors.push(
                Diagnostic::error(
                    &b.path,
                    format!(
                        "duplicate slug `{slug}`: also used by {}",
                        others.join(", ")
                    ),
                )
                .at(&b.front_matter_text, line, col)
                .hint("rename one of the files or give one a different `slug:`")
                .kind("duplicate slug"),
            );
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::{build, rebuild, Site};
    use crate::config::Config;
    use crate::load::{load_bytes, Briefing};

    /// Briefing `n`, in one of a few shapes picked by `seed`: same-day ties broken by title
    /// and then by path, month dates, and drafts.
    fn briefing(config: &Config, n: usize, seed: usize) -> Arc<Briefing> {
        let day = 1 + seed * 7 % 5;
        let date = if seed.is_multiple_of(7) {
            "2025-03".to_string()
        } else {
            format!("2025-03-{day:02}")
        };
        let draft = seed.is_multiple_of(13);
        let text = format!(
            "---\ntitle: B{}\ndate: {date}\ntopic: T{}\ndraft: {draft}\n---\nBody.\n",
            seed % 4,
            seed % 3,
        );
        let path = PathBuf::from(format!("content/b{n}.md"));
        Arc::new(load_bytes(&path, text.as_bytes(), config).expect("a valid briefing"))
    }

    /// One change to a numbered set of briefing files (`ids[k]` is the number of `all[k]`), for
    /// tests that edit a site step by step: by `kind % 3`, the file at a place picked by `next`
    /// is loaded again as `make(its number, next)` (a move, most likely), or file `next` is
    /// added, or the file at that place is deleted.
    pub(super) fn change(
        ids: &mut Vec<usize>,
        all: &mut Vec<Arc<Briefing>>,
        next: usize,
        kind: usize,
        make: impl Fn(usize, usize) -> Arc<Briefing>,
    ) {
        let at = next * 37 % all.len();
        match kind % 3 {
            0 => all[at] = make(ids[at], next),
            1 => {
                ids.push(next);
                all.push(make(next, next));
            }
            _ => {
                ids.remove(at);
                all.remove(at);
            }
        }
    }

    fn order(site: &Site) -> Vec<&std::path::Path> {
        site.entries
            .iter()
            .map(|e| e.briefing.path.as_path())
            .collect()
    }

    #[test]
    fn titles_equal_without_case_are_duplicates_even_with_a_final_sigma() {
        let config = Arc::new(Config::parse("title: Test\n", "site.yaml".as_ref()).unwrap());
        let make = |path: &str, title: &str| {
            let text = format!("---\ntitle: {title}\ndate: 2025-03-01\ntopic: T\n---\nBody.\n");
            Arc::new(load_bytes(&PathBuf::from(path), text.as_bytes(), &config).unwrap())
        };
        // str::to_lowercase turns a word-final capital sigma into ς; char::to_lowercase, σ.
        assert_eq!("ΟΔΟΣ".to_lowercase(), "οδος".to_lowercase());
        let site = build(
            config.clone(),
            vec![make("content/a.md", "ΟΔΟΣ"), make("content/b.md", "οδος")],
            false,
        )
        .unwrap();
        let dups = site
            .warnings
            .iter()
            .filter(|d| d.message.contains("is also used by"))
            .count();
        assert_eq!(dups, 2, "{:?}", site.warnings);
    }

    #[test]
    fn a_rebuild_finds_the_slug_clash_an_edit_makes() {
        let config = Arc::new(Config::parse("title: Test\n", "site.yaml".as_ref()).unwrap());
        let make = |path: &str, slug: &str| {
            let text = format!(
                "---\ntitle: {path}\ndate: 2025-03-01\ntopic: T\nslug: {slug}\n---\nBody.\n"
            );
            Arc::new(load_bytes(&PathBuf::from(path), text.as_bytes(), &config).unwrap())
        };
        let (a, b) = (make("content/a.md", "one"), make("content/b.md", "two"));
        let old = build(config.clone(), vec![a.clone(), b.clone()], false).unwrap();
        let edits = [
            // b takes a's slug; then a new file takes it.
            vec![a.clone(), make("content/b.md", "one")],
            vec![a.clone(), b.clone(), make("content/c.md", "one")],
            vec![make("content/c.md", "two"), make("content/d.md", "two")],
        ];
        for all in edits {
            let full = build(config.clone(), all.clone(), false).unwrap_err();
            let again = rebuild(&old, config.clone(), all, false).unwrap_err();
            assert!(full.iter().all(|d| d.message.starts_with("duplicate slug")));
            assert_eq!(format!("{again:?}"), format!("{full:?}"));
        }
        let fine = vec![a.clone(), make("content/c.md", "two")];
        assert!(rebuild(&old, config.clone(), fine, false).is_ok());
    }

    #[test]
    fn a_rebuild_orders_entries_as_a_full_build_does() {
        let config = Arc::new(Config::parse("title: Test\n", "site.yaml".as_ref()).unwrap());
        for drafts in [false, true] {
            let mut ids: Vec<usize> = (0..200).collect();
            let mut all: Vec<Arc<Briefing>> =
                ids.iter().map(|&n| briefing(&config, n, n)).collect();
            let mut old = build(config.clone(), all.clone(), drafts).unwrap();
            let mut next = 200;
            for step in 0..60 {
                // One to three changes at once: moves (a file loaded again), adds, deletes.
                for _ in 0..1 + step % 3 {
                    next += 1;
                    change(&mut ids, &mut all, next, next, |n, seed| {
                        briefing(&config, n, seed)
                    });
                }
                let full = build(config.clone(), all.clone(), drafts).unwrap();
                let again = rebuild(&old, config.clone(), all.clone(), drafts).unwrap();
                assert_eq!(order(&again), order(&full), "step {step}, drafts {drafts}");
                old = again;
            }
        }
    }
}
