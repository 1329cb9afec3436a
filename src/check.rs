//! `brief check`: every stage of a build but the writing, reporting all it finds.

use crate::build::{self, Options};
use crate::diagnostic::{self, Diagnostic};
use crate::render::templates;

/// Runs load, model and template compilation; returns every error and warning, sorted.
pub fn check(opts: &Options) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match build::load_config(opts) {
        Err(mut e) => out.append(&mut e),
        Ok(config) => {
            let config = std::sync::Arc::new(config);
            match build::load_briefings(&opts.root, &config) {
                Err(mut e) => out.append(&mut e),
                Ok(briefings) => match crate::model::build(config, briefings, opts.drafts) {
                    Ok(site) => out.extend(site.warnings),
                    Err(mut e) => out.append(&mut e),
                },
            }
        }
    }
    if let Err(mut e) = templates::load(&opts.root) {
        out.append(&mut e);
    }
    if let Err(mut e) = build::static_files(&opts.root) {
        out.append(&mut e);
    }
    diagnostic::sort(&mut out);
    out
}
