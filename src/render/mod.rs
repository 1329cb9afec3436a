//! Stage three: templates and page rendering.

pub mod functions;
pub mod pages;
pub mod templates;
pub mod values;

pub use pages::{plan, Page, PageSpec};
pub use templates::Templates;
pub use values::Values;
