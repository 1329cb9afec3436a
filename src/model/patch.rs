//! Applying an edit to a built site without building it again: the dev server's fast path.
//!
//! Most edits change a briefing's text, not where it sits: its date, themes, actors, tags and
//! slug stay as they were. Then the order of the timeline, the theme stories, the neighbours,
//! the digests and the related briefings are all unchanged, and only the edited entries need
//! their body and stamp redone. [`patch`] checks that this holds and does just that; when it
//! does not hold it declines, and the caller builds the model from scratch. A test compares
//! patched sites with built ones after random edits.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::sync::Arc;

use super::{links, lint, newest_first, stamp, story_order, Site};
use crate::diagnostic::Diagnostic;
use crate::load::Briefing;

/// `old` with the briefings in `changed` (replacing those with the same paths) swapped in, or
/// `None` when an edit moves something the model derives from it, or adds or removes a
/// briefing. `all` holds every loaded briefing after the edit (drafts too), for links.
pub fn patch(
    old: &Site,
    changed: &[Arc<Briefing>],
    all: &[Arc<Briefing>],
    drafts: bool,
) -> Option<Result<Site, Vec<Diagnostic>>> {
    let mut at = Vec::with_capacity(changed.len());
    for b in changed {
        let i = old.entries.iter().position(|e| e.briefing.path == b.path)?;
        if !same_place(&old.entries[i].briefing, b) {
            return None;
        }
        at.push(i);
    }
    // A new title can move an entry among others of the same date; then the order (and all
    // that follows from it) must be worked out again. Checked before copying the model, since
    // a title edit that moves its entry is common and then the copy would be wasted.
    let briefing = |j: usize| match at.iter().position(|&i| i == j) {
        Some(k) => &*changed[k],
        None => &*old.entries[j].briefing,
    };
    if !at.iter().all(|&i| in_order(old, i, &briefing)) {
        return None;
    }
    let mut site = old.clone();
    for (&i, b) in at.iter().zip(changed) {
        site.entries[i].briefing = b.clone();
    }
    let unloaded = HashSet::new();
    // Indexing every file costs more than the rest of a patch: only when a link needs it.
    let targets = std::cell::OnceCell::new();
    let mut errors = Vec::new();
    for &i in &at {
        let b = site.entries[i].briefing.clone();
        site.entries[i].body_html = if b.links.is_empty() {
            None
        } else {
            let targets = targets.get_or_init(|| links::Targets::new(all, &unloaded, drafts));
            (targets.body(&b, &site.config.base_path)).unwrap_or_else(|mut e| {
                errors.append(&mut e);
                None
            })
        };
        let e = &site.entries[i];
        site.entries[i].stamp = stamp(e, &site.themes, &site.actors, &site.tags);
    }
    // Warnings from `site.yaml` stand; the entries' own are refreshed for the edited files.
    let paths: Vec<&std::path::Path> = changed.iter().map(|b| b.path.as_path()).collect();
    let mut warnings: Vec<Diagnostic> = (old.warnings.iter())
        .filter(|d| !lint::of_entries(d.kind))
        .cloned()
        .collect();
    warnings.append(&mut lint::refresh(&old.warnings, &paths, &site, &at));
    crate::diagnostic::sort(&mut warnings);
    if !errors.is_empty() {
        errors.append(&mut warnings);
        crate::diagnostic::sort(&mut errors);
        return Some(Err(errors));
    }
    site.warnings = warnings;
    Some(Ok(site))
}

/// Does the model place `new` where it placed `old`? Everything but the title is compared
/// here; the title is checked against the neighbours by [`in_order`].
fn same_place(old: &Briefing, new: &Briefing) -> bool {
    let names = |a: &[crate::yaml::Spanned<String>], b: &[crate::yaml::Spanned<String>]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.value == y.value)
    };
    old.slug == new.slug
        && old.date == new.date
        && old.end_date == new.end_date
        && old.status == new.status
        && old.draft == new.draft
        && names(&old.topics, &new.topics)
        && names(&old.actors, &new.actors)
        && names(&old.tags, &new.tags)
        // Other briefings may link to this one's headings. (Its own links may change: they
        // are resolved again below.)
        && old.body.anchors == new.body.anchors
}

/// Is entry `i` still in its place in the timeline and in each of its themes' stories, with
/// `briefing(j)` standing for entry `j`'s briefing after the edit?
fn in_order<'a>(site: &Site, i: usize, briefing: &dyn Fn(usize) -> &'a Briefing) -> bool {
    let before = |j: usize, k: usize, cmp: fn(&Briefing, &Briefing) -> Ordering| {
        cmp(briefing(j), briefing(k)) == Ordering::Less
    };
    let timeline = (i == 0 || before(i - 1, i, newest_first))
        && (i + 1 >= site.entries.len() || before(i, i + 1, newest_first));
    timeline
        && site.entries[i].themes.iter().all(|&t| {
            let story = &site.themes[t].members;
            let Some(k) = story.iter().position(|&j| j == i) else {
                return false;
            };
            (k == 0 || before(story[k - 1], i, story_order))
                && story
                    .get(k + 1)
                    .is_none_or(|&next| before(i, next, story_order))
        })
}
