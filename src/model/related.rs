//! Cross-links that help an analyst move sideways: the briefings related to each briefing, and
//! the actors each actor appears with most often.
//!
//! Related briefings share a theme or an actor and lie near in time. Comparing every pair
//! would cost O(n²) at ten thousand briefings; instead each briefing looks only at its nearest
//! neighbours in time within each theme and actor it belongs to (the membership lists are
//! already sorted by date), so the work grows with the number of memberships.

use rayon::prelude::*;

use super::{Actor, Entry, Theme};

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
#[derive(Debug, Clone, Default)]
pub struct Related {
    /// Per entry (same index as [`super::Site::entries`]): related entries, most related first.
    pub briefings: Vec<Vec<usize>>,
    /// Per actor (same index as [`super::Site::actors`]): co-actors, most frequent first.
    pub co_actors: Vec<Vec<CoActor>>,
}

/// Computes related briefings and co-actors. Deterministic: every tie has a defined order.
pub fn build(entries: &[Entry], themes: &[Theme], actors: &[Actor]) -> Related {
    // Entry indices run newest first, so a list sorted by index is sorted by date.
    let theme_lists: Vec<Vec<usize>> = themes
        .iter()
        .map(|t| {
            let mut m = t.members.clone();
            m.sort_unstable();
            m
        })
        .collect();
    let briefings = (0..entries.len())
        .into_par_iter()
        .map(|i| related_to(entries, i, &theme_lists, actors))
        .collect();
    let co_actors = (0..actors.len())
        .into_par_iter()
        .map_init(
            || vec![0usize; actors.len()],
            |counts, a| co_actors_of(entries, actors, a, counts),
        )
        .collect();
    Related {
        briefings,
        co_actors,
    }
}

fn related_to(
    entries: &[Entry],
    i: usize,
    theme_lists: &[Vec<usize>],
    actors: &[Actor],
) -> Vec<usize> {
    let e = &entries[i];
    let lists = e
        .themes
        .iter()
        .map(|&t| theme_lists[t].as_slice())
        .chain(e.actors.iter().map(|&a| actors[a].members.as_slice()));
    let mut candidates: Vec<usize> = Vec::new();
    for list in lists {
        let Ok(pos) = list.binary_search(&i) else {
            continue;
        };
        let lo = pos.saturating_sub(WINDOW);
        let hi = (pos + WINDOW + 1).min(list.len());
        candidates.extend_from_slice(&list[lo..hi]);
    }
    candidates.sort_unstable();
    candidates.dedup();
    // The neighbours in the primary theme are linked on the page already.
    candidates.retain(|&j| j != i && Some(j) != e.prev && Some(j) != e.next);

    let mut scored: Vec<(u64, u64, usize)> = candidates
        .into_iter()
        .map(|j| {
            let o = &entries[j];
            let shared_themes = e.themes.iter().filter(|t| o.themes.contains(t)).count() as u64;
            let shared_actors = e.actors.iter().filter(|a| o.actors.contains(a)).count() as u64;
            let same_primary = u64::from(e.themes.first() == o.themes.first());
            let weight = 3 * shared_themes + 2 * shared_actors + same_primary;
            let days = (e.briefing.date.start - o.briefing.date.start)
                .num_days()
                .unsigned_abs();
            (
                weight * 10_000 * HALF_LIFE_DAYS / (HALF_LIFE_DAYS + days),
                days,
                j,
            )
        })
        .collect();
    // Best score first, then nearer in time, then newer. Candidates are distinct, so the
    // order is total and the result does not depend on the order they were found in.
    let order = |a: &(u64, u64, usize), b: &(u64, u64, usize)| {
        b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
    };
    if scored.len() > RELATED {
        scored.select_nth_unstable_by(RELATED, order);
        scored.truncate(RELATED);
    }
    scored.sort_unstable_by(order);
    // Not `into_iter().collect()`: that reuses the candidates' allocation, and every entry
    // would keep room for all its candidates (a third of the model's memory at 10k).
    let mut related = Vec::with_capacity(scored.len());
    related.extend(scored.iter().map(|&(_, _, j)| j));
    related
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
