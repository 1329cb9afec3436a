//! Stage one: each file on its own becomes a [`Briefing`] or a list of diagnostics.
//!
//! Nothing here knows about other briefings or `site.yaml`'s themes and actors; that is `model`.

pub mod date;
pub mod front_matter;
pub mod markdown;
pub mod slug;
pub mod terms;

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::yaml::Spanned;
use date::PartialDate;
use front_matter::{Confidence, Source, SplitError, Status};

/// Files larger than this are refused rather than parsed.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Rendered HTML, held once: a Tera safe string keeps long text behind an `Arc`, so every
/// template value that shows a body shares this copy instead of holding its own (a third of
/// the memory of a large build went to second copies).
#[derive(Debug, Clone, PartialEq)]
pub struct Html(tera::Value);

impl Html {
    /// Wraps HTML that is safe to embed as-is.
    pub fn new(html: &str) -> Html {
        Html(tera::Value::safe_string(html))
    }
    /// The HTML.
    pub fn as_str(&self) -> &str {
        self.0.as_str().unwrap_or_default()
    }
    /// The HTML as a template value (marked safe); shares the text.
    pub fn value(&self) -> tera::Value {
        self.0.clone()
    }
}

impl std::hash::Hash for Html {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

/// What a briefing keeps of its rendered body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The HTML, safe to embed; links to other briefings are placeholders until `model`
    /// resolves them.
    pub html: Html,
    /// The ids given to headings, for `#anchor` links.
    pub anchors: Vec<String>,
}

/// One briefing file, parsed and rendered, not yet linked to the rest of the site.
#[derive(Debug, Clone)]
pub struct Briefing {
    /// Path relative to the site root (`content/us/a.md`), for messages.
    pub path: PathBuf,
    /// URL slug.
    pub slug: String,
    /// Headline.
    pub title: String,
    /// Hash of the lowercased headline (see [`title_key`]).
    pub title_key: u64,
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
    pub body: Body,
    /// The body's words that search indexes (see [`terms::body_terms`]).
    pub search_terms: String,
    /// Slugs of `topics`, `actors` and `tags`, computed here (in parallel) so that the model,
    /// which runs on every edit in serve, only looks them up.
    pub topic_slugs: Vec<String>,
    /// Slugs of `actors`.
    pub actor_slugs: Vec<String>,
    /// Slugs of `tags`.
    pub tag_slugs: Vec<String>,
    /// Hash of the file's bytes: equal hashes mean an unchanged briefing.
    pub content_hash: u64,
    /// Line of the `slug:` field, if any, for duplicate-slug errors.
    pub slug_line: Option<(usize, usize)>,
    /// The file's text up to the end of its front matter, for snippets in later diagnostics.
    pub front_matter_text: std::sync::Arc<str>,
    /// Where fields were written in the file, for warnings found in later stages.
    pub spans: Spans,
    /// Links to other briefings in the body, resolved by `model` (`body.html` holds a
    /// placeholder for each, in the same order).
    pub links: Vec<BriefingLink>,
}

/// File positions (1-based line, column) of what later stages may warn about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spans {
    /// The `title` value.
    pub title: (usize, usize),
    /// The `date` value.
    pub date: (usize, usize),
    /// The `status` value, if written.
    pub status: Option<(usize, usize)>,
    /// Each source's URL, in the order of [`Briefing::sources`].
    pub sources: Vec<(usize, usize)>,
    /// The line on which the body starts.
    pub body_line: usize,
}

/// A Markdown link from this briefing to another one's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BriefingLink {
    /// The target as written in the link (`../russia/a.md`).
    pub written: String,
    /// The target's path relative to `content/`, with `/` separators; `None` when the link
    /// climbs out of `content/`.
    pub target: Option<String>,
    /// The `#heading`, without `#`.
    pub anchor: Option<String>,
    /// 1-based line of the link in the file.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Characters of the link on its first line, for the underline.
    pub width: usize,
    /// The text of the link's line, for the snippet.
    pub source_line: String,
}

/// A file's path relative to `content/` (`us/a.md`), as links name it.
pub fn content_path(rel: &Path) -> String {
    let rel = rel.strip_prefix("content").unwrap_or(rel);
    rel.components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Resolves a link written in the file at content path `from` to a content path, `None`
/// when it climbs above `content/`.
pub fn resolve_link_path(from: &str, written: &str) -> Option<String> {
    let dir = match from.rfind('/') {
        Some(i) if !written.starts_with('/') => &from[..i],
        _ => "",
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in dir.split('/').chain(written.split(['/', '\\'])) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn locate_links(
    rel: &Path,
    body: &str,
    body_line: usize,
    links: Vec<markdown::Link>,
) -> Vec<BriefingLink> {
    let from = content_path(rel);
    links
        .into_iter()
        .map(|l| {
            let start = l.range.start.min(body.len());
            let (line, column) = crate::diagnostic::line_col(body, start);
            let line_start = body[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = body[start..].find('\n').map_or(body.len(), |i| start + i);
            let source_line = body[line_start..line_end]
                .trim_end_matches('\r')
                .to_string();
            let width = body
                .get(start..l.range.end.clamp(start, line_end))
                .map_or(1, |s| s.chars().count());
            BriefingLink {
                target: resolve_link_path(&from, &l.path),
                written: l.path,
                anchor: l.anchor,
                line: body_line + line - 1,
                column,
                width: width.max(1),
                source_line,
            }
        })
        .collect()
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

/// Lists the briefing files under `content/`, sorted by their bytes, as paths relative to `root`.
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
    // By bytes, as the model orders paths: `Path`'s own order parses components on every
    // comparison, 12 of the 22 ms this took at 10k files, all on one core.
    files.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
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
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(120)]);
        return Err(vec![Diagnostic::error(
            rel,
            format!(
                "file is {} bytes; briefings are limited to 4 MiB",
                bytes.len()
            ),
        )
        .at(head.lines().next().unwrap_or(""), 1, 1)
        .hint("split it into several briefings or move large material to a linked source")
        .kind("file too large")]);
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
        let mut h = crate::hash::hasher();
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
    let mut body = markdown::render(split.body, config.raw_html);
    let links = locate_links(
        rel,
        split.body,
        split.body_line,
        std::mem::take(&mut body.links),
    );
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
    let search_terms = terms::body_terms(&body.plain_text, &fm.title, &summary);
    let file_pos = |(line, column): (usize, usize)| (line + 1, column);
    let spans = Spans {
        title: file_pos(fm.positions.title),
        date: file_pos(fm.positions.date),
        status: fm.positions.status.map(file_pos),
        sources: fm
            .sources
            .iter()
            .map(|s| file_pos((s.line, s.column)))
            .collect(),
        body_line: split.body_line,
    };
    let slugs = |list: &[Spanned<String>]| list.iter().map(|s| slug::slugify(&s.value)).collect();
    Ok(Briefing {
        title_key: title_key(&fm.title),
        topic_slugs: slugs(&fm.topics),
        actor_slugs: slugs(&fm.actors),
        tag_slugs: slugs(&fm.tags),
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
        body: Body {
            html: Html::new(&body.html),
            anchors: body.anchors,
        },
        search_terms,
        content_hash,
        slug_line: fm.slug.as_ref().map(|s| (s.line + 1, s.column)),
        front_matter_text: {
            let end = split.yaml.as_ptr() as usize - text.as_ptr() as usize + split.yaml.len();
            std::sync::Arc::from(&text[..end])
        },
        spans,
        links,
    })
}

/// A hash of `title` without case, computed once per file so that looking for titles used
/// twice (on every edit in serve) need not lowercase every headline. Equal keys are checked
/// for equal titles before anything is reported.
pub fn title_key(title: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::hash::hasher();
    // str::to_lowercase, as the check compares: per-char lowercasing differs on a final sigma.
    h.write(title.to_lowercase().as_bytes());
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_equal_without_case_share_a_key() {
        assert_eq!(title_key("Talks in Riyadh"), title_key("TALKS IN RIYADH"));
        // The Kelvin sign lowercases to an ASCII k.
        assert_eq!(title_key("\u{212A}elvin"), title_key("kelvin"));
        assert_ne!(title_key("Talks in Riyadh"), title_key("Talks in Jeddah"));
    }

    #[test]
    fn link_paths_resolve_from_the_file_or_the_content_root() {
        assert_eq!(content_path(Path::new("content/us/a.md")), "us/a.md");
        assert_eq!(
            resolve_link_path("us/a.md", "../ru/b.md").as_deref(),
            Some("ru/b.md")
        );
        assert_eq!(
            resolve_link_path("us/a.md", "./c.md").as_deref(),
            Some("us/c.md")
        );
        assert_eq!(
            resolve_link_path("us/a.md", "/ru/b.md").as_deref(),
            Some("ru/b.md")
        );
        assert_eq!(resolve_link_path("us/a.md", "../../b.md"), None);
    }
}
