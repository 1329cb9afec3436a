//! Stage one: each file on its own becomes a [`Briefing`] or a list of diagnostics.
//!
//! Nothing here knows about other briefings or `site.yaml`'s themes and actors; that is `model`.

pub mod date;
pub mod front_matter;
pub mod markdown;
pub mod slug;

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::yaml::Spanned;
use date::PartialDate;
use front_matter::{Confidence, Source, SplitError, Status};
use markdown::Rendered;

/// Files larger than this are refused rather than parsed.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// One briefing file, parsed and rendered, not yet linked to the rest of the site.
#[derive(Debug, Clone)]
pub struct Briefing {
    /// Path relative to the site root (`content/us/a.md`), for messages.
    pub path: PathBuf,
    /// URL slug.
    pub slug: String,
    /// Headline.
    pub title: String,
    /// When.
    pub date: PartialDate,
    /// Until when.
    pub end_date: Option<PartialDate>,
    /// Themes as written, primary first.
    pub topics: Vec<Spanned<String>>,
    /// Actors as written.
    pub actors: Vec<Spanned<String>>,
    /// The bottom line: the `summary` field or the first paragraph.
    pub summary: String,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Tags as written.
    pub tags: Vec<Spanned<String>>,
    /// Where.
    pub location: Option<String>,
    /// Status.
    pub status: Status,
    /// Confidence.
    pub confidence: Option<Confidence>,
    /// Draft?
    pub draft: bool,
    /// Free-form template data.
    pub extra: serde_json::Value,
    /// Rendered body.
    pub body: Rendered,
    /// Hash of the file's bytes: equal hashes mean an unchanged briefing.
    pub content_hash: u64,
    /// Line of the `slug:` field, if any, for duplicate-slug errors.
    pub slug_line: Option<(usize, usize)>,
    /// The file's text up to the end of its front matter, for snippets in later diagnostics.
    pub front_matter_text: std::sync::Arc<str>,
}

/// Is this a Markdown file we should read (not editor litter, not hidden)?
pub fn is_briefing_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.ends_with(".md")
        && !name.starts_with('.')
        && !name.starts_with('#')
        && !name.ends_with('~')
}

/// Lists the briefing files under `content/`, sorted, as paths relative to `root`.
pub fn discover(root: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let content = root.join("content");
    if !content.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&content)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
    {
        let entry = entry.map_err(|e| {
            Diagnostic::error(
                e.path()
                    .unwrap_or(&content)
                    .strip_prefix(root)
                    .unwrap_or(&content),
                format!("cannot read: {e}"),
            )
        })?;
        if entry.file_type().is_file() && is_briefing_file(entry.path()) {
            files.push(
                entry
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(entry.path())
                    .to_path_buf(),
            );
        }
    }
    files.sort();
    Ok(files)
}

/// Loads every file in parallel; results keep the input order.
pub fn load_all(
    root: &Path,
    files: &[PathBuf],
    config: &Config,
) -> Vec<Result<Briefing, Vec<Diagnostic>>> {
    files
        .par_iter()
        .map(|f| load_file(root, f, config))
        .collect()
}

/// Reads and loads one file (`rel` is relative to `root`).
pub fn load_file(root: &Path, rel: &Path, config: &Config) -> Result<Briefing, Vec<Diagnostic>> {
    let bytes = std::fs::read(root.join(rel))
        .map_err(|e| vec![Diagnostic::error(rel, format!("cannot read file: {e}"))])?;
    load_bytes(rel, &bytes, config)
}

/// Loads one briefing from its bytes.
pub fn load_bytes(rel: &Path, bytes: &[u8], config: &Config) -> Result<Briefing, Vec<Diagnostic>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(vec![Diagnostic::error(
            rel,
            format!(
                "file is {} bytes; briefings are limited to 4 MiB",
                bytes.len()
            ),
        )
        .hint(
            "split it into several briefings or move large material to a linked source",
        )]);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            let (line, column) = crate::diagnostic::line_col(valid, valid.len());
            let shown = valid.lines().nth(line - 1).unwrap_or("").to_string();
            return Err(vec![Diagnostic::error(rel, "file is not valid UTF-8")
                .at(&shown, 1, column)
                .hint("save the file as UTF-8")
                .with_line(line)]);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let content_hash = {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut h);
        h.finish()
    };
    let split = front_matter::split(text).map_err(|e| {
        vec![match e {
            SplitError::Empty => Diagnostic::error(rel, "file is empty")
                .at(text, 1, 1)
                .hint("a briefing starts with front matter: ---, title:, date:, topic:, ---"),
            SplitError::NoFrontMatter => {
                Diagnostic::error(rel, "no front matter: the first line must be `---`")
                    .at(text, 1, 1)
                    .hint("start the file with ---, then title:, date: and topic: lines, then ---")
            }
            SplitError::Unclosed => Diagnostic::error(rel, "front matter is not closed")
                .at(text, 1, 1)
                .width(3)
                .hint("add a line with --- after the last field"),
        }]
    })?;
    let fm = front_matter::parse(split.yaml, rel, text, config.timezone)?;
    let body = markdown::render(split.body, config.raw_html);
    let slug = match &fm.slug {
        Some(s) => s.value.clone(),
        None => {
            let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let s = slug::file_slug(stem);
            if s.is_empty() {
                return Err(vec![Diagnostic::error(
                    rel,
                    "cannot make a URL slug from this file name",
                )
                .at(text, 1, 1)
                .hint(
                    "rename the file with letters or digits, or add a `slug:` field",
                )]);
            }
            s
        }
    };
    let summary = fm
        .summary
        .clone()
        .unwrap_or_else(|| body.first_paragraph.clone());
    Ok(Briefing {
        path: rel.to_path_buf(),
        slug,
        title: fm.title,
        date: fm.date,
        end_date: fm.end_date,
        topics: fm.topics,
        actors: fm.actors,
        summary,
        sources: fm.sources.into_iter().map(|s| s.value).collect(),
        tags: fm.tags,
        location: fm.location,
        status: fm.status,
        confidence: fm.confidence,
        draft: fm.draft,
        extra: fm.extra,
        body,
        content_hash,
        slug_line: fm.slug.as_ref().map(|s| (s.line + 1, s.column)),
        front_matter_text: {
            let end = split.yaml.as_ptr() as usize - text.as_ptr() as usize + split.yaml.len();
            std::sync::Arc::from(&text[..end])
        },
    })
}
