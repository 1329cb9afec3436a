//! Stage three: the [`Site`] becomes pages. First a plan ([`PageSpec`]s, cheap), then the
//! rendering of whichever specs the caller wants (all for a build, the changed ones in serve).

use std::hash::{Hash, Hasher};
use std::io::Write;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use super::templates::Templates;
use super::values::{actor_path, briefing_path, tag_path, theme_path, Values};
use super::{calendar, data, digests, feeds, nav, search};
use crate::diagnostic::Diagnostic;
use crate::model::Site;

/// Which page, with the parameters that pick its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The whole timeline, page `n` (1-based).
    Home(usize),
    /// The list of themes.
    Themes,
    /// One theme's story, page `n`.
    Theme(usize, usize),
    /// The list of actors.
    Actors,
    /// One actor's timeline, page `n`.
    Actor(usize, usize),
    /// One tag's timeline, page `n`.
    Tag(usize, usize),
    /// One briefing.
    Briefing(usize),
    /// The not-found page.
    NotFound,
    /// The list of digests.
    Digests,
    /// One digest (index into `Site::digests`).
    Digest(usize),
    /// A weekly digest as a self-contained e-mail page.
    DigestEmail(usize),
    /// The site's Atom feed.
    Feed,
    /// One theme's Atom feed.
    ThemeFeed(usize),
    /// One actor's Atom feed.
    ActorFeed(usize),
    /// The search page.
    Search,
    /// The search index (JSON).
    SearchIndex,
    /// Every briefing as JSON.
    BriefingsJson,
    /// Every briefing in TimelineJS's format.
    TimelineJson,
    /// Expected briefings as iCalendar events.
    Calendar,
    /// The sitemap (0) or, on a site too large for one, its part `n` (1-based); planned
    /// last, since it lists every page.
    Sitemap(usize),
    /// The sitemap index naming the `n` parts, when one sitemap cannot list every page.
    SitemapIndex(usize),
}

impl Kind {
    /// Pages the dev server renders when they are asked for, rather than on every rebuild (a
    /// build always renders them): the data exports, which list every briefing and are rarely
    /// looked at while editing, and the second and later pages of paginated lists, nearly all
    /// of which shift by one entry when a briefing is added, removed or moved.
    pub fn on_demand(self) -> bool {
        match self {
            Kind::Home(page) | Kind::Theme(_, page) | Kind::Actor(_, page) | Kind::Tag(_, page) => {
                page > 1
            }
            _ => self.lists_everything(),
        }
    }

    /// The data exports, which list every briefing: each takes as long as hundreds of pages.
    pub fn lists_everything(self) -> bool {
        matches!(
            self,
            Kind::BriefingsJson | Kind::TimelineJson | Kind::SearchIndex | Kind::Sitemap(_)
        )
    }
}

/// A page to be rendered: where it goes and a key that changes whenever its content would.
#[derive(Debug, Clone)]
pub struct PageSpec {
    /// Output path relative to the site root (`themes/x/index.html`).
    pub path: String,
    /// What to render.
    pub kind: Kind,
    /// Hash of everything the page shows; equal keys mean equal bytes (for the same templates).
    pub key: u64,
}

/// A rendered page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Output path relative to the site root.
    pub path: String,
    /// The bytes to write or serve.
    pub bytes: Vec<u8>,
}

fn pages_of(n: usize, size: usize) -> usize {
    n.div_ceil(size).max(1)
}

pub(super) fn page_path(base: &str, n: usize) -> String {
    if n == 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

pub(super) fn index(path: &str) -> String {
    format!("{path}index.html")
}

pub(super) struct KeyHasher(ahash::AHasher);

impl KeyHasher {
    pub(super) fn new(kind: Kind, pages: usize) -> Self {
        let mut h = crate::hash::hasher();
        kind.hash(&mut h);
        pages.hash(&mut h);
        KeyHasher(h)
    }
    pub(super) fn entries(mut self, site: &Site, idx: &[usize]) -> Self {
        for &i in idx {
            site.entries[i].stamp.hash(&mut self.0);
        }
        self
    }
    pub(super) fn value(mut self, v: impl Hash) -> Self {
        v.hash(&mut self.0);
        self
    }
    pub(super) fn finish(self) -> u64 {
        self.0.finish()
    }
}

/// Lists every page of the site with its key. Cheap: no templates run, and the three parts
/// are planned side by side (the dev server plans again on every edit).
pub fn plan(site: &Site) -> Vec<PageSpec> {
    let (mut specs, (briefings, mut rest)) = rayon::join(
        || plan_lists(site),
        || rayon::join(|| plan_briefings(site), || plan_rest(site)),
    );
    specs.extend(briefings);
    specs.append(&mut rest);
    data::plan_sitemap(&mut specs);
    specs
}

/// The home timeline, themes, actors and tags, with their indexes.
fn plan_lists(site: &Site) -> Vec<PageSpec> {
    let size = site.config.page_size;
    let mut specs = Vec::new();
    let all: Vec<usize> = (0..site.entries.len()).collect();
    paginated(
        &mut specs,
        site,
        "",
        &all,
        size,
        nav::chips_key(site),
        Kind::Home,
    );

    let mut themes_key = KeyHasher::new(Kind::Themes, 1);
    for (t, theme) in site.themes.iter().enumerate() {
        themes_key = themes_key.value(&theme.slug).entries(site, &theme.members);
        // The header shows the theme's count and date span, which any member can move.
        let header = KeyHasher::new(Kind::Themes, 0)
            .entries(site, &theme.members)
            .finish();
        paginated(
            &mut specs,
            site,
            &theme_path(&theme.slug),
            &theme.members,
            size,
            header,
            |p| Kind::Theme(t, p),
        );
    }
    specs.push(PageSpec {
        path: index("themes/"),
        kind: Kind::Themes,
        key: themes_key.finish(),
    });

    let mut actors_key = KeyHasher::new(Kind::Actors, 1);
    for (a, actor) in site.actors.iter().enumerate() {
        actors_key = actors_key.value(&actor.slug).value(actor.members.len());
        if let Some(&latest) = actor.members.first() {
            actors_key = actors_key.entries(site, &[latest]);
        }
        let header = nav::co_actors_key(site, a);
        paginated(
            &mut specs,
            site,
            &actor_path(&actor.slug),
            &actor.members,
            size,
            header,
            |p| Kind::Actor(a, p),
        );
    }
    specs.push(PageSpec {
        path: index("actors/"),
        kind: Kind::Actors,
        key: actors_key.finish(),
    });

    for (t, tag) in site.tags.iter().enumerate() {
        paginated(
            &mut specs,
            site,
            &tag_path(&tag.slug),
            &tag.members,
            size,
            0,
            |p| Kind::Tag(t, p),
        );
    }
    specs
}

/// A page per briefing.
fn plan_briefings(site: &Site) -> Vec<PageSpec> {
    (site.entries.par_iter().enumerate())
        .map(|(i, e)| {
            let neighbours: Vec<usize> = e.prev.iter().chain(e.next.iter()).copied().collect();
            let key = KeyHasher::new(Kind::Briefing(0), 1)
                .entries(site, &[i])
                .value((e.prev.is_some(), e.next.is_some()))
                .entries(site, &neighbours)
                .entries(site, &site.related.briefings[i])
                .finish();
            PageSpec {
                path: briefing_path(&e.briefing.slug) + "index.html",
                kind: Kind::Briefing(i),
                key,
            }
        })
        .collect()
}

/// The 404 page, digests, feeds, search and the data exports (not the sitemap).
fn plan_rest(site: &Site) -> Vec<PageSpec> {
    let mut specs = vec![PageSpec {
        path: "404.html".into(),
        kind: Kind::NotFound,
        key: 0,
    }];
    digests::plan(&mut specs, site);
    feeds::plan(&mut specs, site);
    search::plan(&mut specs, site);
    data::plan_exports(&mut specs, site);
    calendar::plan(&mut specs, site);
    specs
}

/// Plans the pages of one paginated list. `header` hashes whatever the page shows beyond its
/// own slice (counts are hashed here already).
fn paginated(
    specs: &mut Vec<PageSpec>,
    site: &Site,
    base: &str,
    members: &[usize],
    size: usize,
    header: u64,
    kind: impl Fn(usize) -> Kind,
) {
    let pages = pages_of(members.len(), size);
    for p in 1..=pages {
        let chunk = chunk(members, size, p);
        let key = KeyHasher::new(kind(0), pages)
            .value((p, base, members.len(), header))
            .entries(site, chunk)
            .finish();
        specs.push(PageSpec {
            path: index(&page_path(base, p)),
            kind: kind(p),
            key,
        });
    }
}

/// Renders the given specs in parallel, in memory; every failure is reported.
pub fn render(
    site: &Site,
    templates: &Templates,
    values: &Values,
    specs: &[PageSpec],
) -> Result<Vec<Page>, Vec<Diagnostic>> {
    let memo = Memo::new(site);
    let results: Vec<Result<Page, Diagnostic>> = specs
        .par_iter()
        .map(|spec| {
            let mut bytes = Vec::with_capacity(16 * 1024);
            render_to(site, templates, values, &memo, spec, &mut bytes)?;
            Ok(Page {
                path: spec.path.clone(),
                bytes,
            })
        })
        .collect();
    collect(results)
}

/// Renders the given specs in parallel, each straight into the writer `open` gives for its
/// path (so a build never holds the site, or even one large export, in memory).
pub fn render_each<W: Write>(
    site: &Site,
    templates: &Templates,
    values: &Values,
    specs: &[PageSpec],
    open: impl Fn(&str) -> Result<W, Diagnostic> + Sync,
) -> Result<(), Vec<Diagnostic>> {
    let memo = Memo::new(site);
    // The long ones first, so that no thread is left finishing one while the others idle.
    let (long, short): (Vec<&PageSpec>, Vec<&PageSpec>) =
        specs.iter().partition(|s| s.kind.lists_everything());
    let results: Vec<Result<(), Diagnostic>> = (long.into_iter().chain(short))
        .collect::<Vec<_>>()
        .par_iter()
        .map(|spec| {
            let mut out = open(&spec.path)?;
            render_to(site, templates, values, &memo, spec, &mut out)?;
            out.flush()
                .map_err(|e| crate::write::write_error(&spec.path, "cannot write", e))
        })
        .filter(|r| r.is_err())
        .collect();
    collect(results).map(|_| ()).map_err(one_write_error)
}

/// When the output cannot be written (a full disk, a read-only folder), every page fails the
/// same way: report the first, with a count, rather than thousands.
fn one_write_error(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let writes = errors
        .iter()
        .filter(|d| d.kind == crate::write::WRITE_ERROR)
        .count();
    if writes > 1 {
        let first = errors
            .iter()
            .position(|d| d.kind == crate::write::WRITE_ERROR)
            .expect("counted above");
        let mut d = errors[first].clone();
        let more = writes - 1;
        let files = if more == 1 { "file" } else { "files" };
        d.message = format!("{} (and {more} more {files})", d.message);
        errors.retain(|d| d.kind != crate::write::WRITE_ERROR);
        errors.insert(0, d);
    }
    errors
}

/// Keeps the first error of each distinct message, so one broken template reports once.
fn collect<T>(results: Vec<Result<T, Diagnostic>>) -> Result<Vec<T>, Vec<Diagnostic>> {
    let mut ok = Vec::with_capacity(results.len());
    let mut errors: Vec<Diagnostic> = Vec::new();
    for r in results {
        match r {
            Ok(v) => ok.push(v),
            Err(d) => {
                if !errors.contains(&d) {
                    errors.push(d);
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(ok)
    } else {
        Err(errors)
    }
}

/// What all pages of one list share, computed by the first of them to be rendered: the links
/// to every page of the list, and a theme's date span. Without it each page of a P-page list
/// built P links (quadratic in the site) and each theme page scanned all of the theme.
pub(super) struct Memo {
    /// `paginator.pages` per list: the home timeline, then each theme, actor and tag.
    links: Vec<OnceLock<Value>>,
    /// Each theme's first and last date, as shown.
    spans: Vec<OnceLock<(Option<String>, Option<String>)>>,
    /// Each theme's counts per month, shown on every page of the theme (computed per page,
    /// they made a theme's pages quadratic in its size).
    months: Vec<OnceLock<Value>>,
    /// The home pages' theme chips.
    chips: OnceLock<Value>,
    /// The site-relative paths the sitemap lists, planned once for all its parts.
    pub(super) sitemap: OnceLock<Vec<String>>,
}

impl Memo {
    fn new(site: &Site) -> Memo {
        let lists = 1 + site.themes.len() + site.actors.len() + site.tags.len();
        Memo {
            links: std::iter::repeat_with(OnceLock::new).take(lists).collect(),
            spans: std::iter::repeat_with(OnceLock::new)
                .take(site.themes.len())
                .collect(),
            months: std::iter::repeat_with(OnceLock::new)
                .take(site.themes.len())
                .collect(),
            chips: OnceLock::new(),
            sitemap: OnceLock::new(),
        }
    }

    /// The `links` slot of the list a paginated page belongs to (none for other kinds).
    fn links(&self, site: &Site, kind: Kind) -> Option<&OnceLock<Value>> {
        let (themes, actors) = (site.themes.len(), site.actors.len());
        let slot = match kind {
            Kind::Home(_) => 0,
            Kind::Theme(t, _) => 1 + t,
            Kind::Actor(a, _) => 1 + themes + a,
            Kind::Tag(t, _) => 1 + themes + actors + t,
            _ => return None,
        };
        self.links.get(slot)
    }
}

/// The paginator of a page; its `pages` list is shared by the whole list (see [`Memo`]).
#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
}

#[derive(Serialize)]
struct PageLink {
    n: usize,
    url: String,
}

/// One item of the paginator's window: a page link, or a gap where pages are left out.
#[derive(Serialize)]
struct WindowItem {
    n: usize,
    url: String,
    current: bool,
    gap: bool,
}

/// The pages a paginator shows: the first, the last and two on each side of the current one,
/// with a gap marker just beyond those. Built here, from at most nine candidates, because a
/// template that filtered `pages` did work proportional to the list on every page of it
/// (quadratic: 2,000 pages of 2,000 links at 100k briefings).
fn window(current: usize, total: usize, url: impl Fn(usize) -> String) -> Vec<WindowItem> {
    let mut candidates: Vec<usize> = vec![1, total];
    candidates.extend(current.saturating_sub(3).max(1)..=(current + 3).min(total));
    candidates.sort_unstable();
    candidates.dedup();
    candidates
        .into_iter()
        .filter_map(|n| {
            let near = n.abs_diff(current);
            if n == 1 || n == total || near <= 2 {
                Some(WindowItem {
                    n,
                    url: url(n),
                    current: n == current,
                    gap: false,
                })
            } else if near == 3 {
                Some(WindowItem {
                    n,
                    url: String::new(),
                    current: false,
                    gap: true,
                })
            } else {
                None
            }
        })
        .collect()
}

fn paginator(
    values: &Values,
    links: Option<&OnceLock<Value>>,
    base: &str,
    current: usize,
    total: usize,
) -> Value {
    let url = |n: usize| values.urls.link(&page_path(base, n));
    let mut map = Value::from_serializable(&Paginator {
        current,
        total,
        prev_url: (current > 1).then(|| url(current - 1)),
        next_url: (current < total).then(|| url(current + 1)),
    })
    .into_map()
    .expect("a paginator serialises to a map");
    let build = || {
        let pages: Vec<PageLink> = (1..=total).map(|n| PageLink { n, url: url(n) }).collect();
        Value::from_serializable(&pages)
    };
    let pages = match links {
        Some(slot) => slot.get_or_init(build).clone(),
        None => build(),
    };
    map.insert("pages".into(), pages);
    map.insert(
        "window".into(),
        Value::from_serializable(&window(current, total, url)),
    );
    Value::from(map)
}

/// Groups entries under month headings, in the order given.
fn month_groups(site: &Site, values: &Values, idx: &[usize]) -> Value {
    let mut groups: Vec<Value> = Vec::new();
    let mut current: Option<String> = None;
    let mut items: Vec<Value> = Vec::new();
    let mut label = String::new();
    let flush =
        |groups: &mut Vec<Value>, key: &Option<String>, label: &str, items: &mut Vec<Value>| {
            if let Some(k) = key {
                let mut m = tera::Map::new();
                m.insert("key".into(), Value::from(k.as_str()));
                m.insert("label".into(), Value::from(label));
                m.insert("entries".into(), Value::from(std::mem::take(items)));
                groups.push(Value::from(m));
            }
        };
    for &i in idx {
        let d = &site.entries[i].briefing.date;
        let key = d.month_key();
        if current.as_deref() != Some(key.as_str()) {
            flush(&mut groups, &current, &label, &mut items);
            current = Some(key);
            label = d.month_label();
        }
        items.push(values.entries[i].clone());
    }
    flush(&mut groups, &current, &label, &mut items);
    Value::from(groups)
}

pub(super) fn base_context(values: &Values, path: &str, title: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert_value("site", values.site.clone());
    let url_path = path.strip_suffix("index.html").unwrap_or(path);
    let mut page = tera::Map::new();
    page.insert("title".into(), Value::from(title));
    // The masthead section the page belongs to; it follows from the path alone, so it
    // never changes a page's key.
    let section = match url_path.split('/').next().unwrap_or("") {
        "" | "page" => "timeline",
        s @ ("themes" | "actors" | "digests" | "search") => s,
        _ => "",
    };
    page.insert("section".into(), Value::from(section));
    page.insert("url".into(), Value::from(values.urls.link(url_path)));
    page.insert(
        "permalink".into(),
        Value::from(values.urls.absolute(url_path)),
    );
    ctx.insert_value("page", Value::from(page));
    ctx
}

#[derive(Serialize)]
struct ThemeSummary<'a> {
    slug: &'a str,
    title: &'a str,
    url: String,
    description: Option<&'a str>,
    color: Option<&'a str>,
    count: usize,
    first: Option<String>,
    last: Option<String>,
    declared: bool,
}

fn theme_summary<'a>(site: &'a Site, values: &Values, memo: &Memo, t: usize) -> ThemeSummary<'a> {
    let th = &site.themes[t];
    let (first, last) = memo.spans[t]
        .get_or_init(|| {
            let dates = th.members.iter().map(|&i| site.entries[i].briefing.date);
            (
                dates.clone().min().map(|d| d.display()),
                dates.max().map(|d| d.display()),
            )
        })
        .clone();
    ThemeSummary {
        slug: &th.slug,
        title: &th.title,
        url: values.urls.link(&theme_path(&th.slug)),
        description: th.description.as_deref(),
        color: th.color.as_deref(),
        count: th.members.len(),
        first,
        last,
        declared: th.declared,
    }
}

#[derive(Serialize)]
struct ActorSummary<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    kind: crate::config::ActorKind,
    aliases: &'a [String],
    description: Option<&'a str>,
    count: usize,
    declared: bool,
}

fn actor_summary<'a>(site: &'a Site, values: &Values, a: usize) -> ActorSummary<'a> {
    let ac = &site.actors[a];
    ActorSummary {
        slug: &ac.slug,
        name: &ac.name,
        url: values.urls.link(&actor_path(&ac.slug)),
        kind: ac.kind,
        aliases: &ac.aliases,
        description: ac.description.as_deref(),
        count: ac.members.len(),
        declared: ac.declared,
    }
}

fn chunk(members: &[usize], size: usize, page: usize) -> &[usize] {
    members.chunks(size).nth(page - 1).unwrap_or(&[])
}

fn render_to(
    site: &Site,
    templates: &Templates,
    values: &Values,
    memo: &Memo,
    spec: &PageSpec,
    out: &mut dyn Write,
) -> Result<(), Diagnostic> {
    let written = |r: std::io::Result<()>| {
        r.map_err(|e| crate::write::write_error(&spec.path, "cannot write", e))
    };
    let size = site.config.page_size;
    let (template, ctx) = match spec.kind {
        Kind::Home(p) => {
            // Entries are the timeline already: page p is a range of indices, built without
            // listing all of them first (that made the home pages quadratic in the site).
            let n = site.entries.len();
            let start = ((p - 1) * size).min(n);
            let all: Vec<usize> = (start..(start + size).min(n)).collect();
            let mut ctx = base_context(values, &spec.path, &site.config.title);
            ctx.insert_value("groups", month_groups(site, values, &all));
            ctx.insert_value(
                "paginator",
                paginator(
                    values,
                    memo.links(site, spec.kind),
                    "",
                    p,
                    pages_of(site.entries.len(), size),
                ),
            );
            ctx.insert("total", &site.entries.len());
            ctx.insert_value(
                "chips",
                memo.chips.get_or_init(|| nav::chips(site, values)).clone(),
            );
            ("index.html", ctx)
        }
        Kind::Themes => {
            let mut order: Vec<usize> = (0..site.themes.len()).collect();
            order.sort_by(|&a, &b| {
                let (x, y) = (&site.themes[a], &site.themes[b]);
                y.declared.cmp(&x.declared).then_with(|| {
                    if x.declared {
                        a.cmp(&b)
                    } else {
                        x.title.cmp(&y.title)
                    }
                })
            });
            let list: Vec<Value> = order
                .iter()
                .map(|&t| {
                    let mut m = Value::from_serializable(&theme_summary(site, values, memo, t))
                        .into_map()
                        .expect("map");
                    let latest = site.themes[t].members.iter().copied().min();
                    m.insert(
                        "latest".into(),
                        latest
                            .map(|i| values.entries[i].clone())
                            .unwrap_or_else(Value::none),
                    );
                    Value::from(m)
                })
                .collect();
            let mut ctx = base_context(values, &spec.path, "Themes");
            ctx.insert_value("themes", Value::from(list));
            ("themes.html", ctx)
        }
        Kind::Theme(t, p) => {
            let th = &site.themes[t];
            let on_page = chunk(&th.members, size, p);
            let (expected, story): (Vec<usize>, Vec<usize>) = on_page.iter().partition(|&&i| {
                site.entries[i].briefing.status == crate::load::front_matter::Status::Expected
            });
            let mut ctx = base_context(values, &spec.path, &th.title);
            ctx.insert("theme", &theme_summary(site, values, memo, t));
            ctx.insert_value("groups", month_groups(site, values, &story));
            ctx.insert_value("expected", values.list(&expected));
            ctx.insert_value(
                "paginator",
                paginator(
                    values,
                    memo.links(site, spec.kind),
                    &theme_path(&th.slug),
                    p,
                    pages_of(th.members.len(), size),
                ),
            );
            ctx.insert_value(
                "months",
                memo.months[t]
                    .get_or_init(|| nav::theme_months(site, values, t))
                    .clone(),
            );
            ctx.insert_value(
                "timeline",
                if p == 1 {
                    nav::theme_timeline(site, values, t)
                } else {
                    Value::none()
                },
            );
            ("theme.html", ctx)
        }
        Kind::Actors => {
            let mut order: Vec<usize> = (0..site.actors.len())
                .filter(|&a| !site.actors[a].members.is_empty() || site.actors[a].declared)
                .collect();
            order.sort_by(|&a, &b| {
                site.actors[a]
                    .name
                    .to_lowercase()
                    .cmp(&site.actors[b].name.to_lowercase())
                    .then(a.cmp(&b))
            });
            let list: Vec<Value> = order
                .iter()
                .map(|&a| Value::from_serializable(&actor_summary(site, values, a)))
                .collect();
            let mut ctx = base_context(values, &spec.path, "Actors");
            ctx.insert_value("actors", Value::from(list));
            ("actors.html", ctx)
        }
        Kind::Actor(a, p) => {
            let ac = &site.actors[a];
            let mut ctx = base_context(values, &spec.path, &ac.name);
            ctx.insert("actor", &actor_summary(site, values, a));
            ctx.insert_value(
                "groups",
                month_groups(site, values, chunk(&ac.members, size, p)),
            );
            ctx.insert_value(
                "paginator",
                paginator(
                    values,
                    memo.links(site, spec.kind),
                    &actor_path(&ac.slug),
                    p,
                    pages_of(ac.members.len(), size),
                ),
            );
            ctx.insert_value("co_actors", nav::co_actors(site, values, a));
            ("actor.html", ctx)
        }
        Kind::Tag(t, p) => {
            let tg = &site.tags[t];
            let mut ctx = base_context(values, &spec.path, &format!("#{}", tg.name));
            let mut m = tera::Map::new();
            m.insert("slug".into(), Value::from(tg.slug.as_str()));
            m.insert("name".into(), Value::from(tg.name.as_str()));
            m.insert(
                "url".into(),
                Value::from(values.urls.link(&tag_path(&tg.slug))),
            );
            m.insert("count".into(), Value::from(tg.members.len()));
            ctx.insert_value("tag", Value::from(m));
            ctx.insert_value(
                "groups",
                month_groups(site, values, chunk(&tg.members, size, p)),
            );
            ctx.insert_value(
                "paginator",
                paginator(
                    values,
                    memo.links(site, spec.kind),
                    &tag_path(&tg.slug),
                    p,
                    pages_of(tg.members.len(), size),
                ),
            );
            ("tag.html", ctx)
        }
        Kind::Briefing(i) => {
            let e = &site.entries[i];
            let mut ctx = base_context(values, &spec.path, &e.briefing.title);
            ctx.insert_value("briefing", values.entries[i].clone());
            ctx.insert_value(
                "prev",
                e.prev
                    .map(|p| values.entries[p].clone())
                    .unwrap_or_else(Value::none),
            );
            ctx.insert_value(
                "next",
                e.next
                    .map(|n| values.entries[n].clone())
                    .unwrap_or_else(Value::none),
            );
            ctx.insert_value("related", values.list(&site.related.briefings[i]));
            ("briefing.html", ctx)
        }
        Kind::NotFound => ("404.html", base_context(values, &spec.path, "Not found")),
        Kind::Digests => digests::list(site, values, &spec.path),
        Kind::Digest(d) => digests::page(site, values, d, &spec.path),
        Kind::DigestEmail(d) => digests::email(site, values, d, &spec.path),
        Kind::Feed | Kind::ThemeFeed(_) | Kind::ActorFeed(_) => {
            feeds::context(site, values, spec.kind, &spec.path)
        }
        Kind::Search => ("search.html", base_context(values, &spec.path, "Search")),
        Kind::SearchIndex => return written(search::search_index(site, values, out)),
        Kind::BriefingsJson => return written(data::briefings_json(site, values, out)),
        Kind::TimelineJson => return written(data::timeline_json(site, values, out)),
        Kind::Calendar => return written(out.write_all(&calendar::ics(site, values))),
        Kind::Sitemap(part) => data::sitemap(site, values, memo, &spec.path, part),
        Kind::SitemapIndex(parts) => return written(data::sitemap_index(values, parts, out)),
    };
    templates.render_to(template, &ctx, out).map_err(|d| {
        // Tera cannot know which file it was writing.
        if d.kind == crate::write::WRITE_ERROR {
            Diagnostic {
                file: spec.path.clone().into(),
                ..d
            }
        } else {
            d
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(current: usize, total: usize) -> String {
        window(current, total, |n| n.to_string())
            .iter()
            .map(|w| {
                if w.gap {
                    "…".to_string()
                } else {
                    w.n.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_full_disk_is_reported_once_with_a_count() {
        let full = |path: &str| crate::write::write_error(path, "cannot write", "No space left");
        let template = Diagnostic::error("templates/x.html", "template error: boom");
        let errors = vec![full("a/index.html"), template.clone(), full("b/index.html")];
        let one = one_write_error(errors);
        assert_eq!(one.len(), 2, "{one:?}");
        assert_eq!(
            one[0].message,
            "cannot write: No space left (and 1 more file)"
        );
        assert_eq!(one[1], template);
    }

    #[test]
    fn window_shows_the_ends_and_the_neighbourhood_with_gaps() {
        assert_eq!(shown(1, 1), "1");
        assert_eq!(shown(1, 3), "1 2 3");
        assert_eq!(shown(1, 10), "1 2 3 … 10");
        assert_eq!(shown(5, 10), "1 … 3 4 5 6 7 … 10");
        assert_eq!(shown(10, 10), "1 … 8 9 10");
        assert_eq!(shown(4, 2000), "1 2 3 4 5 6 … 2000");
    }
}
