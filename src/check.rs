//! `brief check`: every stage of a build but the writing, reporting all it finds.

use std::collections::HashSet;
use std::sync::Arc;

use crate::build::{self, Options};
use crate::diagnostic::{self, Diagnostic};
use crate::load;
use crate::render::{self, templates, Values};

/// Runs load, model, templates and (when all that passed) rendering in memory; returns every
/// error and warning, sorted by file and position.
///
/// Unlike a build, it goes on past files that fail to load, so one run reports the problems of
/// every file, and the model's findings for the rest.
pub fn check(opts: &Options) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut site = None;
    match build::load_config(opts) {
        Err(mut e) => out.append(&mut e),
        Ok(config) => {
            let config = Arc::new(config);
            match load::discover(&opts.root) {
                Err(d) => out.push(d),
                Ok(files) => {
                    let mut briefings = Vec::with_capacity(files.len());
                    let mut unloaded = HashSet::new();
                    for (file, r) in files
                        .iter()
                        .zip(load::load_all(&opts.root, &files, &config))
                    {
                        match r {
                            Ok(b) => briefings.push(Arc::new(b)),
                            Err(mut d) => {
                                out.append(&mut d);
                                unloaded.insert(load::content_path(file));
                            }
                        }
                    }
                    match build::model_site(config, briefings, opts.drafts, &unloaded) {
                        Ok(s) => {
                            out.extend(s.warnings.iter().cloned());
                            site = Some(s);
                        }
                        Err(mut e) => out.append(&mut e),
                    }
                }
            }
        }
    }
    let templates = templates::load(&opts.root)
        .map_err(|mut e| out.append(&mut e))
        .ok();
    if let Err(mut e) = build::static_files(&opts.root) {
        out.append(&mut e);
    }
    // Template errors that only show while rendering (a bad variable, an unknown theme name
    // in `theme_url`) are found by rendering every page, which is only worth it on a site
    // that would otherwise build.
    if let (Some(mut templates), Some(site)) = (templates, site) {
        if !out.iter().any(Diagnostic::is_error) {
            templates.bind(&site);
            let values = Values::build(&site);
            let specs = render::plan(&site);
            if let Err(mut e) =
                render::pages::render_each(&site, &templates, &values, &specs, |_| Ok(()))
            {
                out.append(&mut e);
            }
        }
    }
    diagnostic::sort(&mut out);
    out
}
