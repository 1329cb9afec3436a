//! One Tera instance: the embedded default templates, overlaid file by file by the site's own.

use std::path::Path;

use crate::diagnostic::Diagnostic;

/// The default templates, compiled into the binary.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "partials/entry.html",
        include_str!("../../templates/partials/entry.html"),
    ),
    (
        "partials/groups.html",
        include_str!("../../templates/partials/groups.html"),
    ),
    (
        "partials/paginator.html",
        include_str!("../../templates/partials/paginator.html"),
    ),
    ("index.html", include_str!("../../templates/index.html")),
    ("themes.html", include_str!("../../templates/themes.html")),
    ("theme.html", include_str!("../../templates/theme.html")),
    ("actors.html", include_str!("../../templates/actors.html")),
    ("actor.html", include_str!("../../templates/actor.html")),
    (
        "briefing.html",
        include_str!("../../templates/briefing.html"),
    ),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("digests.html", include_str!("../../templates/digests.html")),
    ("digest.html", include_str!("../../templates/digest.html")),
    (
        "digest_email.html",
        include_str!("../../templates/digest_email.html"),
    ),
    ("search.html", include_str!("../../templates/search.html")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
];

/// The default static files, compiled into the binary.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("app.js", include_bytes!("../../static/app.js")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    ("search.js", include_bytes!("../../static/search.js")),
    (
        "minisearch.js",
        include_bytes!("../../static/minisearch.js"),
    ),
    (
        "minisearch.LICENSE.txt",
        include_bytes!("../../static/minisearch.LICENSE.txt"),
    ),
];

/// Where each template came from, so errors can name the user's file.
type Sources = Vec<(String, String, Option<std::path::PathBuf>)>;

/// The compiled templates of a site.
#[derive(Clone)]
pub struct Templates {
    /// The Tera instance.
    pub tera: tera::Tera,
    sources: Sources,
}

impl Templates {
    /// Renders `name`, turning failures into diagnostics that point into the template.
    pub fn render(&self, name: &str, ctx: &tera::Context) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.render_to(name, ctx, &mut out)?;
        Ok(out)
    }

    /// Renders `name` into `out` (a file, in a build, so no page is held whole in memory).
    pub fn render_to(
        &self,
        name: &str,
        ctx: &tera::Context,
        out: &mut dyn std::io::Write,
    ) -> Result<(), Diagnostic> {
        self.tera
            .render_to(name, ctx, out)
            .map_err(|e| template_error(&e, &self.sources))
    }

    /// Gives the template functions that need the site (`theme_url`, `actor_url`) its data;
    /// call once per build, after modelling and before rendering.
    pub fn bind(&mut self, site: &crate::model::Site) {
        super::functions::register(&mut self.tera, site);
    }

    /// No templates at all: the state before anything was loaded.
    pub fn empty() -> Templates {
        Templates {
            tera: tera::Tera::new(),
            sources: Vec::new(),
        }
    }

    /// Does the site (or the defaults) have this template?
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }
}

/// Builds the templates for a site: defaults, then every file of `root/templates/`.
pub fn load(root: &Path) -> Result<Templates, Vec<Diagnostic>> {
    let mut sources: Sources = DEFAULT_TEMPLATES
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_string(), None))
        .collect();
    let dir = root.join("templates");
    let mut errors = Vec::new();
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_file() || !is_template_file(entry.path()) {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let name = rel.to_string_lossy().replace('\\', "/");
            let shown = Path::new("templates").join(rel);
            match std::fs::read_to_string(entry.path()) {
                Ok(text) => {
                    sources.retain(|(n, _, _)| *n != name);
                    sources.push((name, text, Some(shown)));
                }
                Err(e) => errors.push(Diagnostic::error(
                    shown,
                    format!("cannot read template: {e}"),
                )),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".xml", ".htm"]);
    super::functions::register_placeholders(&mut tera);
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, s, _)| (n.as_str(), s.as_str())))
    {
        return Err(vec![template_error(&e, &sources)]);
    }
    Ok(Templates { tera, sources })
}

/// Editors leave swap and backup files next to templates; those are not templates.
pub fn is_template_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    !(name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.starts_with('#')
        || name == "4913")
}

/// Turns a Tera error into a diagnostic naming the template file, line and column.
fn template_error(err: &tera::Error, sources: &Sources) -> Diagnostic {
    if let tera::ErrorKind::Io(kind) = err.kind() {
        return crate::write::write_error("", "cannot write", std::io::Error::from(*kind));
    }
    let (report, kind_msg) = match err.kind() {
        tera::ErrorKind::SyntaxError(r) => (Some(r), "template syntax error"),
        tera::ErrorKind::RenderingError(r) => (Some(r), "template error"),
        _ => (None, "template error"),
    };
    match report {
        Some(r) => {
            let name = r.filename().to_string();
            let (shown, text) = shown_path(&name, sources);
            let span = r.span();
            let width = if span.end_line == span.start_line {
                span.end_col.saturating_sub(span.start_col)
            } else {
                1
            };
            Diagnostic::error(shown, format!("{kind_msg}: {}", r.message()))
                .at(&text, span.start_line, span.start_col + 1)
                .width(width)
        }
        None => {
            // Reference checks (unknown filters, functions, includes) arrive as pre-rendered
            // reports; read the location back out of their `--> name:line:col` line.
            let text = err.to_string();
            let located = parse_reports(&text, sources);
            if let Some(d) = located.into_iter().next() {
                return d;
            }
            let mut msg = text;
            let mut src = std::error::Error::source(err);
            while let Some(s) = src {
                msg.push_str(": ");
                msg.push_str(&s.to_string());
                src = s.source();
            }
            Diagnostic::error("templates", format!("{kind_msg}: {msg}"))
        }
    }
}

fn shown_path(name: &str, sources: &Sources) -> (std::path::PathBuf, String) {
    sources
        .iter()
        .find(|(n, _, _)| n == name)
        .map(|(_, s, p)| {
            (
                p.clone()
                    .unwrap_or_else(|| Path::new("(built-in templates)").join(name)),
                s.clone(),
            )
        })
        .unwrap_or_else(|| (Path::new("templates").join(name), String::new()))
}

fn parse_reports(text: &str, sources: &Sources) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut message: Option<&str> = None;
    for line in text.lines() {
        let t = line.trim();
        if let Some(m) = t.strip_prefix("error: ") {
            message = Some(m);
        } else if let Some(loc) = t.strip_prefix("--> ") {
            let mut parts = loc.rsplitn(3, ':');
            let (col, line_no, name) = (parts.next(), parts.next(), parts.next());
            if let (Some(c), Some(l), Some(n), Some(m)) = (col, line_no, name, message.take()) {
                if let (Ok(l), Ok(c)) = (l.parse::<usize>(), c.parse::<usize>()) {
                    let (path, src) = shown_path(n, sources);
                    out.push(Diagnostic::error(path, format!("template error: {m}")).at(
                        &src,
                        l,
                        c + 1,
                    ));
                }
            }
        }
    }
    out
}
