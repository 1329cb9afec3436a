//! Stage three: templates and page rendering.

pub mod calendar;
pub mod data;
pub mod digests;
pub mod feeds;
pub mod functions;
pub mod nav;
pub mod pages;
pub mod search;
pub mod templates;
pub mod values;

pub use pages::{plan, Page, PageSpec};
pub use templates::Templates;
pub use values::Values;
