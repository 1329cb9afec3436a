//! The pipeline, end to end: load → model → render → write. `serve` and `check` call the
//! same functions; nothing here prints.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diagnostic::{self, Diagnostic};
use crate::load::{self, Briefing};
use crate::model::{self, Site};
use crate::render::{self, templates, Templates, Values};
use crate::write::{self, Staging};

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The site root (holding `site.yaml` and `content/`).
    pub root: PathBuf,
    /// Include drafts.
    pub drafts: bool,
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct Report {
    /// Published briefings.
    pub briefings: usize,
    /// Themes.
    pub themes: usize,
    /// Actors.
    pub actors: usize,
    /// Files written (pages and static files).
    pub pages: usize,
    /// Warnings found.
    pub warnings: Vec<Diagnostic>,
    /// Time per stage.
    pub timings: Timings,
}

/// Wall time per stage.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Reading and parsing files.
    pub load: Duration,
    /// Building the model.
    pub model: Duration,
    /// Rendering and writing.
    pub render: Duration,
    /// Everything.
    pub total: Duration,
}

/// Hears how far a build has got, for a progress display. Called from many threads at once.
pub trait Progress: Sync {
    /// A stage begins; `total` counts its steps, 0 when not known in advance.
    fn stage(&self, _name: &'static str, _total: u64) {}
    /// `n` more steps of the current stage are done.
    fn advance(&self, _n: u64) {}
}

/// Ignores progress.
impl Progress for () {}

/// Reads `site.yaml`, applying the command-line overrides.
pub fn load_config(opts: &Options) -> Result<Config, Vec<Diagnostic>> {
    let mut config = Config::load(&opts.root)?;
    if let Some(url) = &opts.base_url {
        config
            .set_base_url(url)
            .map_err(|msg| vec![Diagnostic::error("--base-url", msg)])?;
    }
    Ok(config)
}

/// Loads every briefing file; all file errors are collected, sorted by file.
pub fn load_briefings(root: &Path, config: &Config) -> Result<Vec<Arc<Briefing>>, Vec<Diagnostic>> {
    load_briefings_with(root, config, &())
}

fn load_briefings_with(
    root: &Path,
    config: &Config,
    progress: &dyn Progress,
) -> Result<Vec<Arc<Briefing>>, Vec<Diagnostic>> {
    use rayon::prelude::*;
    let files = load::discover(root).map_err(|d| vec![d])?;
    progress.stage("Loading", files.len() as u64);
    let results: Vec<_> = files
        .par_iter()
        .map(|f| {
            let r = load::load_file(root, f, config);
            progress.advance(1);
            r
        })
        .collect();
    let mut errors = Vec::new();
    let mut briefings = Vec::with_capacity(files.len());
    for r in results {
        match r {
            Ok(b) => briefings.push(Arc::new(b)),
            Err(mut d) => errors.append(&mut d),
        }
    }
    if errors.is_empty() {
        Ok(briefings)
    } else {
        diagnostic::sort(&mut errors);
        Err(errors)
    }
}

/// Load and model: everything a build reads, checked; nothing written.
pub fn load_site(opts: &Options) -> Result<Site, Vec<Diagnostic>> {
    let config = Arc::new(load_config(opts)?);
    let briefings = load_briefings(&opts.root, &config)?;
    model_site(config, briefings, opts.drafts, &Default::default())
}

/// Today in the site's timezone, which the date warnings compare with. `BRIEF_TODAY=YYYY-MM-DD`
/// pins it, so tests and reproducible CI runs don't depend on the clock.
pub fn today(tz: chrono_tz::Tz) -> chrono::NaiveDate {
    std::env::var("BRIEF_TODAY")
        .ok()
        .and_then(|s| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Utc::now().with_timezone(&tz).date_naive())
}

/// [`model::build_checked`], with the date warnings judged against [`today`].
pub fn model_site(
    config: Arc<Config>,
    briefings: Vec<Arc<Briefing>>,
    drafts: bool,
    unloaded: &std::collections::HashSet<String>,
) -> Result<Site, Vec<Diagnostic>> {
    let today = today(config.timezone);
    model::build_checked(config, briefings, drafts, unloaded, Some(today))
}

/// The static files: embedded defaults overlaid by the site's `static/` folder.
pub fn static_files(root: &Path) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
    let mut files: Vec<(String, Vec<u8>)> = templates::DEFAULT_STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    let dir = root.join("static");
    if !dir.is_dir() {
        return Ok(files);
    }
    let mut errors = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(Diagnostic::error("static", format!("cannot read: {e}")));
                continue;
            }
        };
        if !entry.file_type().is_file() || !templates::is_template_file(entry.path()) {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                files.retain(|(n, _)| *n != rel);
                files.push((rel, bytes));
            }
            Err(e) => errors.push(Diagnostic::error(
                Path::new("static").join(&rel),
                format!("cannot read: {e}"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// Builds the site in `opts.root` into `output`. On any error the old output is untouched.
pub fn build(opts: &Options, output: &Path) -> Result<Report, Vec<Diagnostic>> {
    build_with(opts, output, &())
}

/// [`build`], telling `progress` how far it has got.
pub fn build_with(
    opts: &Options,
    output: &Path,
    progress: &dyn Progress,
) -> Result<Report, Vec<Diagnostic>> {
    let start = Instant::now();
    write::check_output(&opts.root, output).map_err(|d| vec![d])?;
    let config = Arc::new(load_config(opts)?);
    // Templates are independent of content: load both, report problems in both at once.
    let (templates, briefings) = rayon::join(
        || templates::load(&opts.root),
        || load_briefings_with(&opts.root, &config, progress),
    );
    let mut errors = Vec::new();
    let templates = templates.map_err(|mut e| errors.append(&mut e)).ok();
    let briefings = briefings.map_err(|mut e| errors.append(&mut e)).ok();
    let statics = static_files(&opts.root)
        .map_err(|mut e| errors.append(&mut e))
        .ok();
    let (Some(mut templates), Some(briefings), Some(statics)) = (templates, briefings, statics)
    else {
        return Err(errors);
    };
    let load_time = start.elapsed();
    progress.stage("Modelling", 0);
    let site = model_site(config, briefings, opts.drafts, &Default::default())?;
    templates.bind(&site);
    let model_time = start.elapsed() - load_time;
    let pages = write_site_with(&site, &templates, &statics, output, progress)?;
    let total = start.elapsed();
    let report = Report {
        briefings: site.entries.len(),
        themes: site.themes.len(),
        actors: site.actors.len(),
        pages,
        warnings: site.warnings.clone(),
        timings: Timings {
            load: load_time,
            model: model_time,
            render: total - load_time - model_time,
            total,
        },
    };
    // Freeing a large site is slow, single-threaded work (half a second at 100k briefings)
    // that nobody waits for: hand it to a thread that a finishing process may cut short.
    std::thread::spawn(move || drop((site, templates, statics)));
    Ok(report)
}

/// Renders every page of `site` into a staging folder and swaps it in. Returns files written.
pub fn write_site(
    site: &Site,
    templates: &Templates,
    statics: &[(String, Vec<u8>)],
    output: &Path,
) -> Result<usize, Vec<Diagnostic>> {
    write_site_with(site, templates, statics, output, &())
}

fn write_site_with(
    site: &Site,
    templates: &Templates,
    statics: &[(String, Vec<u8>)],
    output: &Path,
    progress: &dyn Progress,
) -> Result<usize, Vec<Diagnostic>> {
    let specs = render::plan(site);
    progress.stage("Rendering", (specs.len() + statics.len()) as u64);
    let values = Values::build(site, templates)?;
    let staging = Staging::new(output).map_err(|d| vec![d])?;
    for (name, bytes) in statics {
        staging.write(name, bytes).map_err(|d| vec![d])?;
    }
    progress.advance(statics.len() as u64);
    render::pages::render_each(site, templates, &values, &specs, |path| {
        progress.advance(1);
        staging.create(path)
    })?;
    staging.commit().map_err(|d| vec![d])?;
    Ok(specs.len() + statics.len())
}
