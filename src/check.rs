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
            let rendered = Values::build(&site, &templates).and_then(|values| {
                let specs = render::plan(&site);
                render::pages::render_each(&site, &templates, &values, &specs, |_| {
                    Ok(std::io::sink())
                })
            });
            if let Err(mut e) = rendered {
                out.append(&mut e);
            }
        }
    }
    diagnostic::sort(&mut out);
    out
}

/// One file in, whole pipeline out, in memory: loads `bytes` as a briefing of the site whose
/// `site.yaml` is `site_yaml`, next to `companions` (content path, text), models the site and
/// renders every page with the default templates. Returns whatever was reported.
///
/// The fuzz target and its regression tests drive this; no input may make it panic or hang.
pub fn pipeline_in_memory(
    site_yaml: &str,
    companions: &[(&str, &str)],
    bytes: &[u8],
) -> Vec<Diagnostic> {
    let config = match crate::config::Config::parse(site_yaml, std::path::Path::new("site.yaml")) {
        Ok(c) => Arc::new(c),
        Err(e) => return e,
    };
    let mut out = Vec::new();
    let mut briefings = Vec::new();
    let inputs = companions
        .iter()
        .map(|(p, t)| (*p, t.as_bytes()))
        .chain(std::iter::once(("fuzz/input.md", bytes)));
    for (path, b) in inputs {
        match load::load_bytes(&std::path::Path::new("content").join(path), b, &config) {
            Ok(b) => briefings.push(Arc::new(b)),
            Err(mut e) => out.append(&mut e),
        }
    }
    let today = chrono::NaiveDate::from_ymd_opt(2025, 6, 1);
    let site = match crate::model::build_checked(config, briefings, true, &HashSet::new(), today) {
        Ok(s) => s,
        Err(mut e) => {
            out.append(&mut e);
            return out;
        }
    };
    out.extend(site.warnings.iter().cloned());
    out.append(&mut crate::model::lint::dates(
        &site,
        chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default(),
    ));
    // The defaults compile the same every time; a fuzzer's budget is better spent on input.
    static DEFAULTS: std::sync::OnceLock<Result<templates::Templates, Vec<Diagnostic>>> =
        std::sync::OnceLock::new();
    let mut templates = match DEFAULTS
        .get_or_init(|| templates::load(std::path::Path::new("/nonexistent-brief-site")))
    {
        Ok(t) => t.clone(),
        Err(e) => {
            out.extend(e.iter().cloned());
            return out;
        }
    };
    templates.bind(&site);
    let rendered = Values::build(&site, &templates).and_then(|values| {
        let specs = render::plan(&site);
        render::pages::render(&site, &templates, &values, &specs)
    });
    if let Err(mut e) = rendered {
        out.append(&mut e);
    }
    out
}
