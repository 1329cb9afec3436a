//! brief: a static-site generator for briefing digests.
//!
//! The pipeline runs one way: [`load`] (files → briefings) → [`model`] (briefings + config →
//! site) → [`render`] (site → pages) → [`write`] (pages → disk). [`build`] strings the stages
//! together; the dev server and `check` reuse them.

// Diagnostics travel by value through cold error paths; boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod check;
pub mod config;
pub mod diagnostic;
pub mod hash;
pub mod load;
pub mod model;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod suggest;
pub mod write;
pub mod yaml;
