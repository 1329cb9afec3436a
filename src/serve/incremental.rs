//! The site kept in memory between edits, and the rebuild that redoes only what an edit touched.
//!
//! Every page has a key (see [`crate::render::PageSpec`]) hashing everything it shows. After an
//! edit the model is patched in place ([`model::patch`]) or rebuilt from the last one
//! ([`model::rebuild`]), the plan recomputed, and only pages whose key changed are rendered
//! again, some of them only when asked for ([`render::pages::Kind::on_demand`]). Tests compare
//! the result with a full build after random edits.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::build::{self, Options};
use crate::config::Config;
use crate::diagnostic::{self, Diagnostic};
use crate::load::{self, Briefing};
use crate::model;
use crate::render::{self, templates, Templates, Values};

/// Rendered files by output path (`themes/x/index.html`, `style.css`).
pub type Pages = HashMap<String, Arc<[u8]>>;

/// What changed on disk, sorted into the kinds of work it needs.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// `site.yaml` changed: reload everything.
    pub config: bool,
    /// A template changed.
    pub templates: bool,
    /// Static files changed (paths relative to the root).
    pub statics: Vec<PathBuf>,
    /// Paths under `content/` (files or folders, existing or gone), relative to the root.
    pub content: Vec<PathBuf>,
    /// The watcher lost track (overflow); rediscover all content.
    pub rescan: bool,
}

impl Changes {
    /// Sorts changed paths (relative to the root) into kinds.
    pub fn from_paths(paths: impl IntoIterator<Item = PathBuf>) -> Changes {
        let mut c = Changes::default();
        for p in paths {
            let first = p
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            match first.as_deref() {
                Some("site.yaml") if p.components().count() == 1 => c.config = true,
                Some("templates") => c.templates = true,
                Some("static") => c.statics.push(p),
                Some("content") => c.content.push(p),
                _ => {}
            }
        }
        c
    }

    /// Nothing to do?
    pub fn is_empty(&self) -> bool {
        !self.config
            && !self.templates
            && !self.rescan
            && self.statics.is_empty()
            && self.content.is_empty()
    }

    /// Only stylesheets changed, so open pages can swap CSS without reloading.
    pub fn css_only(&self) -> bool {
        !self.config
            && !self.templates
            && !self.rescan
            && self.content.is_empty()
            && !self.statics.is_empty()
            && self
                .statics
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"))
    }
}

/// The result of a successful rebuild.
#[derive(Debug, Clone, Default)]
pub struct Update {
    /// Output paths written or rewritten.
    pub written: Vec<String>,
    /// Output paths removed.
    pub removed: Vec<String>,
    /// Output paths whose content changed, rendered when first asked for (until then the
    /// last good bytes stay in [`Session::pages`]).
    pub deferred: Vec<String>,
    /// Pages planned in all.
    pub total: usize,
    /// The model was patched in place (see [`model::patch`]) rather than built again.
    pub patched: bool,
}

/// The site as last loaded, with the last good rendered output.
pub struct Session {
    opts: Options,
    config: Option<Arc<Config>>,
    templates: Option<Arc<Templates>>,
    statics: Option<Vec<(String, Vec<u8>)>>,
    briefings: BTreeMap<PathBuf, Arc<Briefing>>,
    broken: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// The last good rebuild's template values can be reused (same config and templates).
    reuse_values: bool,
    /// Each planned page's key, and the rebuild that last planned it (see `generation`).
    keys: ahash::AHashMap<String, (u64, u64)>,
    /// Counts rebuilds, so that pages no longer planned show up without a set of every path.
    generation: u64,
    pages: Pages,
    deferred: Arc<Deferred>,
    /// Briefing files changed since the last good rebuild, for [`model::patch`].
    dirty: BTreeSet<PathBuf>,
    /// Something changed since the last good rebuild that only a full model can follow (a
    /// folder, the config, the templates; or there is no good rebuild yet).
    stale: bool,
}

/// The known paths at or under `rel`. `Path` orders by components, so they follow `rel`
/// together: a range, where scanning every key cost milliseconds per edit at 10k files.
fn under<'a, V>(
    map: &'a BTreeMap<PathBuf, V>,
    rel: &'a Path,
) -> impl Iterator<Item = &'a PathBuf> + 'a {
    map.range::<Path, _>((std::ops::Bound::Included(rel), std::ops::Bound::Unbounded))
        .map(|(p, _)| p)
        .take_while(move |p| p.starts_with(rel))
}

/// Pages whose content changed but that are rendered on demand (see
/// [`render::pages::Kind::on_demand`]), from this snapshot of the site, when first asked for.
pub struct Deferred {
    site: Arc<model::Site>,
    values: Arc<Values>,
    templates: Arc<Templates>,
    pending: Mutex<HashMap<String, render::PageSpec>>,
}

impl Deferred {
    fn empty() -> Arc<Deferred> {
        let config = Arc::new(Config::default());
        let site = model::build(config, Vec::new(), false).expect("an empty site builds");
        Arc::new(Deferred {
            site: Arc::new(site),
            values: Arc::new(Values::empty()),
            templates: Arc::new(Templates::empty()),
            pending: Mutex::new(HashMap::new()),
        })
    }

    /// Renders a pending page; `None` if `path` is not pending. A page that fails stays
    /// pending, so that every request for it shows the error.
    pub fn render(&self, path: &str) -> Option<Result<Arc<[u8]>, Vec<Diagnostic>>> {
        let spec = (self.pending.lock())
            .unwrap_or_else(|e| e.into_inner())
            .get(path)?
            .clone();
        let result = render::pages::render(&self.site, &self.templates, &self.values, &[spec]);
        if result.is_ok() {
            (self.pending.lock())
                .unwrap_or_else(|e| e.into_inner())
                .remove(path);
        }
        Some(result.map(|mut pages| Arc::from(pages.remove(0).bytes)))
    }

    fn pending_paths(&self) -> Vec<String> {
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .cloned()
            .collect()
    }
}

impl Session {
    /// Loads and renders everything. The session exists even when the site is broken, so a
    /// server can start and show the error; the result says whether the build succeeded.
    pub fn open(opts: Options) -> (Session, Result<Update, Vec<Diagnostic>>) {
        let mut s = Session {
            opts,
            config: None,
            templates: None,
            statics: None,
            briefings: BTreeMap::new(),
            broken: BTreeMap::new(),
            reuse_values: false,
            keys: ahash::AHashMap::new(),
            generation: 0,
            pages: Pages::new(),
            deferred: Deferred::empty(),
            dirty: BTreeSet::new(),
            stale: true,
        };
        let r = s.apply(&Changes {
            config: true,
            ..Changes::default()
        });
        (s, r)
    }

    /// The last good site.
    pub fn pages(&self) -> &Pages {
        &self.pages
    }

    /// The warnings of the last good site.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.deferred.site.warnings
    }

    /// Bulk pages not rendered yet, and how to render them.
    pub fn deferred(&self) -> Arc<Deferred> {
        self.deferred.clone()
    }

    /// Renders every deferred page into [`Session::pages`], as a build would have.
    pub fn settle(&mut self) -> Result<(), Vec<Diagnostic>> {
        for path in self.deferred.pending_paths() {
            if let Some(r) = self.deferred.render(&path) {
                self.pages.insert(path, r?);
            }
        }
        Ok(())
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        &self.opts.root
    }

    /// Applies a set of changes. On error, the last good pages stay as they were.
    pub fn apply(&mut self, changes: &Changes) -> Result<Update, Vec<Diagnostic>> {
        let root = self.opts.root.clone();
        let mut full = false;
        if changes.config || self.config.is_none() {
            self.config = None;
            let config = build::load_config(&self.opts)?;
            self.config = Some(Arc::new(config));
            full = true;
        }
        if changes.config || changes.templates || self.templates.is_none() {
            self.templates = None;
            self.templates = Some(Arc::new(templates::load(&root)?));
            full = true;
        }
        let config = self.config.clone().expect("config loaded above");
        if full || changes.rescan {
            self.stale = true;
            self.reload_all_content(&config)?;
        } else {
            for p in &changes.content {
                if self.reload_path(p, &config) {
                    self.dirty.insert(p.clone());
                } else {
                    self.stale = true;
                }
            }
        }
        let statics_changed = !changes.statics.is_empty() || self.statics.is_none();
        if statics_changed {
            self.statics = None;
            self.statics = Some(build::static_files(&root)?);
        }
        if full {
            // New templates or config: no old page or value can be trusted.
            self.reuse_values = false;
            self.keys.clear();
        }
        if !self.broken.is_empty() {
            let mut all: Vec<Diagnostic> = self.broken.values().flatten().cloned().collect();
            diagnostic::sort(&mut all);
            return Err(all);
        }
        self.render(config, statics_changed || full)
    }

    fn reload_all_content(&mut self, config: &Config) -> Result<(), Vec<Diagnostic>> {
        let files = load::discover(&self.opts.root).map_err(|d| vec![d])?;
        self.briefings.clear();
        self.broken.clear();
        for (path, r) in files
            .iter()
            .zip(load::load_all(&self.opts.root, &files, config))
        {
            match r {
                Ok(b) => {
                    self.briefings.insert(path.clone(), Arc::new(b));
                }
                Err(d) => {
                    self.broken.insert(path.clone(), d);
                }
            }
        }
        Ok(())
    }

    /// Reloads one changed path: a file, a new folder, or something that is gone. Says whether
    /// the path was (and is) one briefing file, or is gone, as [`model::patch`] needs.
    fn reload_path(&mut self, rel: &Path, config: &Config) -> bool {
        let abs = self.opts.root.join(rel);
        // Whatever was known at or under this path is stale.
        let known: Vec<PathBuf> = (under(&self.briefings, rel).chain(under(&self.broken, rel)))
            .cloned()
            .collect();
        // One file, known before: a new file cannot be patched in (and looking for it in the
        // model costs a scan).
        let mut single = !known.is_empty() && known.iter().all(|p| p == rel);
        for p in &known {
            self.briefings.remove(p);
            self.broken.remove(p);
        }
        let files: Vec<PathBuf> = if abs.is_dir() {
            walkdir::WalkDir::new(&abs)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file() && load::is_briefing_file(e.path()))
                .filter_map(|e| {
                    e.path()
                        .strip_prefix(&self.opts.root)
                        .ok()
                        .map(Path::to_path_buf)
                })
                .collect()
        } else if abs.is_file() && load::is_briefing_file(&abs) {
            vec![rel.to_path_buf()]
        } else {
            Vec::new()
        };
        single &= files.iter().all(|f| f.as_path() == rel);
        for f in files {
            match load::load_file(&self.opts.root, &f, config) {
                Ok(b) => {
                    self.briefings.insert(f, Arc::new(b));
                }
                Err(d) => {
                    self.broken.insert(f, d);
                }
            }
        }
        single
    }

    /// The model after this rebuild's edits: patched from the last good one when every edit
    /// left its briefing in place, built from scratch otherwise. Says which it was.
    fn model(&self, config: Arc<Config>) -> Result<(model::Site, bool), Vec<Diagnostic>> {
        let all: Vec<Arc<Briefing>> = self.briefings.values().cloned().collect();
        if !self.stale {
            let changed: Option<Vec<Arc<Briefing>>> = (self.dirty.iter())
                .map(|p| self.briefings.get(p).cloned())
                .collect();
            if let Some(changed) = changed {
                let old = &self.deferred.site;
                if let Some(r) = model::patch::patch(old, &changed, &all, self.opts.drafts) {
                    return r.map(|site| (site, true));
                }
            }
        }
        if self.reuse_values {
            // Same config as the last good model: reuse what the edits cannot have reached.
            let old = &self.deferred.site;
            return model::rebuild(old, config, all, self.opts.drafts).map(|site| (site, false));
        }
        model::build(config, all, self.opts.drafts).map(|site| (site, false))
    }

    fn render(
        &mut self,
        config: Arc<Config>,
        statics_changed: bool,
    ) -> Result<Update, Vec<Diagnostic>> {
        let (site, patched) = self.model(config)?;
        if let Some(t) = self.templates.as_mut() {
            Arc::make_mut(t).bind(&site);
        }
        let templates = self.templates.clone().expect("templates loaded");
        // The plan does not need the values: compute both at once.
        let (values, specs) = rayon::join(
            || {
                let empty = Values::empty();
                let previous = if self.reuse_values {
                    &*self.deferred.values
                } else {
                    &empty
                };
                Values::build_cached(&site, &templates, previous)
            },
            || render::plan(&site),
        );
        let values = values?;
        // Pages still waiting from the last rebuild must be redone from this one.
        let still_pending: ahash::AHashSet<String> =
            self.deferred.pending_paths().into_iter().collect();
        // Marking (and counting) the planned pages that were planned before finds, without a
        // set of every path, the pages that have gone. (A failed rebuild's marks are not read.)
        self.generation += 1;
        let generation = self.generation;
        let mut kept = 0;
        let keys = &mut self.keys;
        let (later, todo): (Vec<render::PageSpec>, Vec<render::PageSpec>) = specs
            .iter()
            .filter(|s| match keys.get_mut(&s.path) {
                Some((key, planned)) => {
                    *planned = generation;
                    kept += 1;
                    *key != s.key || still_pending.contains(&s.path)
                }
                None => true,
            })
            .cloned()
            .partition(|s| s.kind.on_demand());
        let rendered = render::pages::render(&site, &templates, &values, &todo)?;

        // Nothing below can fail: the last good pages change only from here on.
        let mut update = Update {
            total: specs.len(),
            patched,
            ..Update::default()
        };
        // Every planned page's key first (on-demand ones too), so that the prunes below see them.
        let old_len = self.keys.len();
        for spec in todo.iter().chain(&later) {
            self.keys.insert(spec.path.clone(), (spec.key, generation));
        }
        let statics = self.statics.as_ref().expect("statics loaded");
        if kept < old_len {
            let gone: Vec<String> = (self.keys.iter())
                .filter(|(_, &(_, planned))| planned != generation)
                .map(|(path, _)| path.clone())
                .collect();
            for path in gone {
                self.keys.remove(&path);
                // A build writes static files first and pages over them: one shows through.
                match statics.iter().find(|(n, _)| *n == path) {
                    Some((_, bytes)) => {
                        self.pages.insert(path.clone(), Arc::from(&bytes[..]));
                        update.written.push(path);
                    }
                    None => {
                        // Also when only the server holds it (rendered on demand).
                        self.pages.remove(&path);
                        update.removed.push(path);
                    }
                }
            }
        }
        if statics_changed {
            // Static files have no keys: what is neither planned nor static any more has gone.
            let names: ahash::AHashSet<&str> = statics.iter().map(|(n, _)| n.as_str()).collect();
            self.pages.retain(|path, _| {
                let keep = self.keys.contains_key(path) || names.contains(path.as_str());
                if !keep {
                    update.removed.push(path.clone());
                }
                keep
            });
            for (name, bytes) in statics {
                // A page of the same name wins, as in a build.
                if !self.keys.contains_key(name)
                    && self.pages.get(name).map(|b| &b[..]) != Some(&bytes[..])
                {
                    self.pages.insert(name.clone(), Arc::from(&bytes[..]));
                    update.written.push(name.clone());
                }
            }
        }
        for (spec, page) in todo.iter().zip(rendered) {
            debug_assert_eq!(spec.path, page.path);
            self.pages.insert(page.path.clone(), Arc::from(page.bytes));
            update.written.push(page.path);
        }
        let mut pending = HashMap::new();
        for spec in later {
            update.deferred.push(spec.path.clone());
            pending.insert(spec.path.clone(), spec);
        }
        update.deferred.sort();
        let previous = std::mem::replace(
            &mut self.deferred,
            Arc::new(Deferred {
                site: Arc::new(site),
                values: Arc::new(values),
                templates,
                pending: Mutex::new(pending),
            }),
        );
        // Freeing ten thousand entries takes milliseconds the reload need not wait for.
        std::thread::spawn(move || drop(previous));
        update.removed.sort();
        update.written.sort();
        self.reuse_values = true;
        self.dirty.clear();
        self.stale = false;
        Ok(update)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_finds_a_path_and_everything_inside_it_and_nothing_else() {
        let map: BTreeMap<PathBuf, ()> = [
            "content/a",
            "content/a/b.md",
            "content/a/c/d.md",
            "content/a-b/c.md",
            "content/a.md",
            "content/ab.md",
            "content/0.md",
        ]
        .into_iter()
        .map(|p| (PathBuf::from(p), ()))
        .collect();
        let found = |rel: &str| -> Vec<String> {
            under(&map, Path::new(rel))
                .map(|p| p.to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(
            found("content/a"),
            ["content/a", "content/a/b.md", "content/a/c/d.md"]
        );
        assert_eq!(found("content/a.md"), ["content/a.md"]);
        assert_eq!(found("content/a/c"), ["content/a/c/d.md"]);
        assert!(found("content/z.md").is_empty());
        assert_eq!(found("content").len(), map.len());
    }
}
