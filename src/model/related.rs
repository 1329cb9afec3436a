//! Cross-links that help an analyst move sideways: the briefings related to each briefing, and
//! the actors each actor appears with most often.
//!
//! Related briefings share a theme or an actor and lie near in time. Comparing every pair
//! would cost O(n²) at ten thousand briefings; instead each briefing looks only at its nearest
//! neighbours in time within each theme and actor it belongs to (the membership lists are
//! already sorted by date), so the work grows with the number of memberships.

use chrono::Datelike;
use rayon::prelude::*;

use super::{Actor, Carried, Entry, Site, Theme};

/// How many related briefings a briefing page lists.
pub const RELATED: usize = 5;
/// How many co-actors an actor page lists.
pub const CO_ACTORS: usize = 8;
/// How many neighbours on each side, in each shared list, are considered.
const WINDOW: usize = 20;
/// Days over which the time bonus halves.
const HALF_LIFE_DAYS: u64 = 30;

/// An actor seen alongside another, with how many briefings they share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoActor {
    /// Index into [`super::Site::actors`].
    pub actor: usize,
    /// Briefings naming both actors.
    pub count: usize,
}

/// The cross-links of a site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Related {
    /// Per entry (same index as [`super::Site::entries`]): related entries, most related first.
    pub briefings: Vec<Vec<usize>>,
    /// Per actor (same index as [`super::Site::actors`]): co-actors, most frequent first.
    pub co_actors: Vec<Vec<CoActor>>,
}

/// Computes related briefings and co-actors. Deterministic: every tie has a defined order.
pub fn build(entries: &[Entry], themes: &[Theme], actors: &[Actor]) -> Related {
    let inputs = Inputs::new(entries, themes, actors);
    let briefings = (0..entries.len())
        .into_par_iter()
        .map_init(
            || Scratch::new(entries.len()),
            |scratch, i| inputs.related_to(i, scratch),
        )
        .collect();
    Related {
        briefings,
        co_actors: co_actors(entries, actors),
    }
}

/// [`build`], taking from `old` (the last model of the same site) every list that no change
/// could have reached, and saying how many lists it worked out afresh.
///
/// An entry's related briefings depend only on the entries within a few places of it in its
/// themes' and actors' date-ordered lists, and on its neighbours in its story. An edit moves,
/// adds or removes a few entries; every other entry keeps its relative order, so a list far
/// from every change is the old list with its indices renumbered.
pub fn rebuild(
    old: &Site,
    carried: &Carried,
    entries: &[Entry],
    themes: &[Theme],
    actors: &[Actor],
) -> (Related, usize) {
    let same_names = old.themes.len() == themes.len()
        && old.actors.len() == actors.len()
        && old.themes.iter().zip(themes).all(|(a, b)| a.slug == b.slug)
        && old.actors.iter().zip(actors).all(|(a, b)| a.slug == b.slug);
    if !same_names {
        return (build(entries, themes, actors), entries.len());
    }
    let (to_new, to_old) = (&carried.to_new, &carried.to_old);
    // An entry moved if it resolves to other themes or actors; entries whose file is gone,
    // new or loaded again count as moved too.
    let moved = |o: usize, n: usize| {
        let (a, b) = (&old.entries[o], &entries[n]);
        a.themes != b.themes || a.actors != b.actors
    };
    let inputs = Inputs::new(entries, themes, actors);
    let old_inputs = Inputs::new(&old.entries, &old.themes, &old.actors);
    let mut stale = vec![false; entries.len()];
    for (n, o) in to_old.iter().enumerate() {
        match *o {
            Some(o) if !moved(o, n) => {
                let renumber = |x: Option<usize>| x.and_then(|x| to_new[x]);
                let e = &old.entries[o];
                if renumber(e.prev) != entries[n].prev || renumber(e.next) != entries[n].next {
                    stale[n] = true;
                }
            }
            _ => inputs.near(n, |j| stale[j] = true),
        }
    }
    for (o, n) in to_new.iter().enumerate() {
        if n.is_none_or(|n| moved(o, n)) {
            old_inputs.near(o, |j| {
                if let Some(j) = to_new[j] {
                    stale[j] = true;
                }
            });
        }
    }
    let recomputed = stale.iter().filter(|&&s| s).count();
    let briefings = (0..entries.len())
        .into_par_iter()
        .map_init(
            || Scratch::new(entries.len()),
            |scratch, n| {
                let kept = (to_old[n].filter(|_| !stale[n])).and_then(|o| {
                    let list = &old.related.briefings[o];
                    let mut out = Vec::with_capacity(list.len());
                    for &j in list {
                        out.push(to_new[j]?);
                    }
                    Some(out)
                });
                kept.unwrap_or_else(|| inputs.related_to(n, scratch))
            },
        )
        .collect();
    let related = Related {
        briefings,
        co_actors: co_actors(entries, actors),
    };
    (related, recomputed)
}

/// The co-actors of every actor.
fn co_actors(entries: &[Entry], actors: &[Actor]) -> Vec<Vec<CoActor>> {
    (0..actors.len())
        .into_par_iter()
        .map_init(
            || vec![0usize; actors.len()],
            |counts, a| co_actors_of(entries, actors, a, counts),
        )
        .collect()
}

/// What scoring reads, gathered once per build.
struct Inputs<'a> {
    entries: &'a [Entry],
    actors: &'a [Actor],
    /// Theme members by entry index; entry indices run newest first, so this is date order.
    theme_lists: Vec<Vec<usize>>,
    /// Each entry's first day, as days since the common era: scoring compares dates of
    /// hundreds of candidates per entry.
    days: Vec<i32>,
}

/// One worker's reusable buffers: a per-entry mark that says "seen for the current entry"
/// (compared with a counter, so it never needs clearing), and the scored candidates.
struct Scratch {
    seen: Vec<u32>,
    round: u32,
    scored: Vec<(u64, u64, usize)>,
}

impl Scratch {
    fn new(n: usize) -> Scratch {
        Scratch {
            seen: vec![0; n],
            round: 0,
            scored: Vec::new(),
        }
    }
}

impl<'a> Inputs<'a> {
    fn new(entries: &'a [Entry], themes: &[Theme], actors: &'a [Actor]) -> Inputs<'a> {
        let theme_lists = themes
            .iter()
            .map(|t| {
                let mut m = t.members.clone();
                m.sort_unstable();
                m
            })
            .collect();
        let days = entries
            .iter()
            .map(|e| e.briefing.date.start.num_days_from_ce())
            .collect();
        Inputs {
            entries,
            actors,
            theme_lists,
            days,
        }
    }

    /// The stretches of entry `i`'s theme and actor lists (date order) within [`WINDOW`] of
    /// it: where its related briefings are looked for, and so the entries whose related
    /// briefings can change when `i` moves.
    fn windows(&self, i: usize) -> impl Iterator<Item = &[usize]> {
        let e = &self.entries[i];
        (e.themes.iter())
            .map(|&t| self.theme_lists[t].as_slice())
            .chain(e.actors.iter().map(|&a| self.actors[a].members.as_slice()))
            .filter_map(move |list| {
                let pos = list.binary_search(&i).ok()?;
                let lo = pos.saturating_sub(WINDOW);
                Some(&list[lo..(pos + WINDOW + 1).min(list.len())])
            })
    }

    /// Calls `f` with entry `i` and every entry in its [`Inputs::windows`].
    fn near(&self, i: usize, mut f: impl FnMut(usize)) {
        f(i);
        self.windows(i).flatten().for_each(|&j| f(j));
    }

    /// The related briefings of entry `i`, most related first.
    fn related_to(&self, i: usize, s: &mut Scratch) -> Vec<usize> {
        let e = &self.entries[i];
        s.round = s.round.wrapping_add(1);
        if s.round == 0 {
            s.seen.fill(0);
            s.round = 1;
        }
        let round = s.round;
        // The entry itself, and its neighbours in the primary theme (linked on the page
        // already), are never candidates.
        for j in std::iter::once(i).chain(e.prev).chain(e.next) {
            s.seen[j] = round;
        }
        s.scored.clear();
        for &j in self.windows(i).flatten() {
            if s.seen[j] != round {
                s.seen[j] = round;
                s.scored.push(self.score(i, j));
            }
        }
        // Best score first, then nearer in time, then newer. Candidates are distinct, so the
        // order is total and the result does not depend on the order they were found in.
        let order = |a: &(u64, u64, usize), b: &(u64, u64, usize)| {
            b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
        };
        if s.scored.len() > RELATED {
            s.scored.select_nth_unstable_by(RELATED, order);
            s.scored.truncate(RELATED);
        }
        s.scored.sort_unstable_by(order);
        s.scored.iter().map(|&(_, _, j)| j).collect()
    }

    /// (score, days apart, j) for candidate `j` of entry `i`.
    fn score(&self, i: usize, j: usize) -> (u64, u64, usize) {
        let (e, o) = (&self.entries[i], &self.entries[j]);
        let shared_themes = e.themes.iter().filter(|t| o.themes.contains(t)).count() as u64;
        let shared_actors = e.actors.iter().filter(|a| o.actors.contains(a)).count() as u64;
        let same_primary = u64::from(e.themes.first() == o.themes.first());
        let weight = 3 * shared_themes + 2 * shared_actors + same_primary;
        let days = u64::from(self.days[i].abs_diff(self.days[j]));
        (
            weight * 10_000 * HALF_LIFE_DAYS / (HALF_LIFE_DAYS + days),
            days,
            j,
        )
    }
}

/// Counts co-occurrences in `counts` (one slot per actor, all zero on entry and on return), so
/// that no map is built per actor.
fn co_actors_of(
    entries: &[Entry],
    actors: &[Actor],
    a: usize,
    counts: &mut [usize],
) -> Vec<CoActor> {
    let mut touched: Vec<usize> = Vec::new();
    for &i in &actors[a].members {
        for &other in &entries[i].actors {
            if other != a {
                if counts[other] == 0 {
                    touched.push(other);
                }
                counts[other] += 1;
            }
        }
    }
    let mut list: Vec<CoActor> = touched
        .into_iter()
        .map(|actor| CoActor {
            actor,
            count: std::mem::take(&mut counts[actor]),
        })
        .collect();
    list.sort_unstable_by(|x, y| {
        y.count
            .cmp(&x.count)
            .then_with(|| actors[x.actor].name.cmp(&actors[y.actor].name))
            .then(x.actor.cmp(&y.actor))
    });
    list.truncate(CO_ACTORS);
    list
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::rebuild;
    use crate::config::Config;
    use crate::load::{load_bytes, Briefing};
    use crate::model::tests::change;
    use crate::model::{build, Carried};

    /// A briefing in one of 6 themes with one of 12 actors: lists several times longer than
    /// the window, so that most lists are out of an edit's reach. Same-day ties, month dates
    /// and expected events make story order differ from timeline order.
    fn briefing(config: &Config, n: usize, seed: usize) -> Arc<Briefing> {
        let day = seed * 7919 % 300;
        let date = if seed.is_multiple_of(9) {
            format!("2025-{:02}", 1 + day / 28 % 12)
        } else {
            format!("2025-{:02}-{:02}", 1 + day / 28 % 12, 1 + day % 28)
        };
        let status = if seed.is_multiple_of(11) {
            "expected"
        } else {
            "confirmed"
        };
        let text = format!(
            "---\ntitle: B{}\ndate: {date}\ntopic: T{}\nactors: [A{}]\nstatus: {status}\n---\nBody.\n",
            seed % 50,
            seed % 6,
            seed * 31 % 12,
        );
        let path = PathBuf::from(format!("content/b{n}.md"));
        Arc::new(load_bytes(&path, text.as_bytes(), config).expect("a valid briefing"))
    }

    #[test]
    fn rebuild_equals_build_and_reworks_only_what_an_edit_reaches() {
        // Declared names keep their places whatever the edits (discovered ones are numbered in
        // the order files name them, which an edit can change; then nothing is reused).
        let themes: String = (0..6).map(|t| format!("  - title: T{t}\n")).collect();
        let actors: String = (0..12).map(|a| format!("  - name: A{a}\n")).collect();
        let yaml = format!("title: Test\nthemes:\n{themes}actors:\n{actors}");
        let config = Arc::new(Config::parse(&yaml, "site.yaml".as_ref()).unwrap());
        let mut ids: Vec<usize> = (0..600).collect();
        let mut all: Vec<Arc<Briefing>> = ids.iter().map(|&n| briefing(&config, n, n)).collect();
        let mut old = build(config.clone(), all.clone(), false).unwrap();
        let mut next = 600;
        for step in 0..45 {
            next += 1;
            // In turn: a move (a new date, title, theme or actor for a file), an add, a delete.
            change(&mut ids, &mut all, next, step, |n, seed| {
                briefing(&config, n, seed)
            });
            let new = build(config.clone(), all.clone(), false).unwrap();
            let carried = Carried::new(&old.entries, &new.entries);
            let (related, reworked) =
                rebuild(&old, &carried, &new.entries, &new.themes, &new.actors);
            assert_eq!(related, new.related, "step {step}");
            assert!(
                reworked < new.entries.len() / 3,
                "step {step}: reworked {reworked} of {}",
                new.entries.len()
            );
            old = new;
        }
        // Unrelated models share nothing: everything is worked out again, and still right.
        let other: Vec<Arc<Briefing>> = (0..300).map(|n| briefing(&config, n, n + 7)).collect();
        let new = build(config.clone(), other, false).unwrap();
        let carried = Carried::new(&old.entries, &new.entries);
        let (related, _) = rebuild(&old, &carried, &new.entries, &new.themes, &new.actors);
        assert_eq!(related, new.related);
    }

    #[test]
    fn an_entry_whose_story_neighbours_change_far_from_the_edit_is_reworked() {
        // Announced events close a story: the newest confirmed briefing's next is the oldest
        // expected one. Adding an older expected event, far away in the timeline, changes it,
        // and with it which briefings are left out of the related list.
        let config = Arc::new(Config::default());
        let text = |title: &str, date: &str, status: &str| {
            format!("---\ntitle: {title}\ndate: {date}\ntopic: T\nstatus: {status}\n---\nx\n")
        };
        let load = |n: &str, t: String| {
            let path = PathBuf::from(format!("content/{n}.md"));
            Arc::new(load_bytes(&path, t.as_bytes(), &config).unwrap())
        };
        let mut all: Vec<Arc<Briefing>> = (0..60)
            .map(|d| {
                load(
                    &format!("c{d}"),
                    text("C", &format!("2025-06-{:02}", d % 28 + 1), "confirmed"),
                )
            })
            .collect();
        all.push(load("e", text("E", "2025-06-28", "expected")));
        let old = build(config.clone(), all.clone(), false).unwrap();
        all.push(load("m", text("M", "2020-01-01", "expected")));
        let new = build(config.clone(), all, false).unwrap();
        let carried = Carried::new(&old.entries, &new.entries);
        let (related, _) = rebuild(&old, &carried, &new.entries, &new.themes, &new.actors);
        assert_eq!(related, new.related);
    }
}
