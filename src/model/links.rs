//! Links between briefings: each `[text](../other.md#heading)` that `load` recorded becomes the
//! target briefing's URL, or a located error when the file or heading does not exist.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::load::{content_path, Briefing, BriefingLink, Html};

/// What a link can point at: every loaded briefing, published or not, by content path.
pub struct Targets<'a> {
    by_path: HashMap<String, &'a Briefing>,
    /// Content paths by folder and by file name, so a "did you mean" for a missing file
    /// compares with its neighbours and namesakes, not with the whole site.
    by_dir: HashMap<String, Vec<String>>,
    by_name: HashMap<String, Vec<String>>,
    unloaded: &'a HashSet<String>,
    drafts: bool,
}

impl<'a> Targets<'a> {
    /// Indexes `all` (drafts included, so a link to a left-out draft gets its own message).
    /// Links into `unloaded` (files that exist but failed to load, already reported) are not
    /// reported again.
    pub fn new(all: &'a [Arc<Briefing>], unloaded: &'a HashSet<String>, drafts: bool) -> Self {
        let mut t = Targets {
            by_path: HashMap::with_capacity(all.len()),
            by_dir: HashMap::new(),
            by_name: HashMap::new(),
            unloaded,
            drafts,
        };
        for b in all {
            let path = content_path(&b.path);
            let (dir, name) = split_path(&path);
            t.by_dir
                .entry(dir.to_string())
                .or_default()
                .push(path.clone());
            t.by_name
                .entry(name.to_string())
                .or_default()
                .push(path.clone());
            t.by_path.insert(path, b.as_ref());
        }
        t
    }

    /// The existing path closest to a missing `target`.
    fn near(&self, target: &str) -> Option<String> {
        let (dir, name) = split_path(target);
        let same_dir = self.by_dir.get(dir).into_iter().flatten();
        let same_name = self.by_name.get(name).into_iter().flatten();
        let candidates: Vec<&str> = same_dir.chain(same_name).map(String::as_str).collect();
        crate::suggest::closest(target, candidates).map(str::to_string)
    }

    /// The URL each link of `b` resolves to (same order as `b.links`), or the errors found.
    pub fn resolve(&self, b: &Briefing, base_path: &str) -> Result<Vec<String>, Vec<Diagnostic>> {
        let mut urls = Vec::with_capacity(b.links.len());
        let mut errors = Vec::new();
        for link in &b.links {
            match self.resolve_one(b, link, base_path) {
                Ok(u) => urls.push(u),
                Err(Some(d)) => errors.push(d),
                Err(None) => urls.push("#".into()),
            }
        }
        if errors.is_empty() {
            Ok(urls)
        } else {
            Err(errors)
        }
    }

    /// `b`'s body with its links to other briefings replaced by their URLs; `None` when it
    /// has no such links (its loaded HTML is final).
    pub fn body(&self, b: &Briefing, base_path: &str) -> Result<Option<Html>, Vec<Diagnostic>> {
        if b.links.is_empty() {
            return Ok(None);
        }
        let urls = self.resolve(b, base_path)?;
        Ok(Some(Html::new(&crate::load::markdown::substitute(
            b.body.html.as_str(),
            &urls,
        ))))
    }

    fn resolve_one(
        &self,
        b: &Briefing,
        link: &BriefingLink,
        base_path: &str,
    ) -> Result<String, Option<Diagnostic>> {
        let error = |message: String| {
            Diagnostic::error(&b.path, message)
                .at(&link.source_line, 1, link.column)
                .with_line(link.line)
                .width(link.width)
                .kind("broken link")
        };
        let Some(target) = &link.target else {
            return Err(Some(
                error(format!(
                    "link to `{}` points outside content/",
                    link.written
                ))
                .hint("link to briefings by their path under content/, e.g. /theme/briefing.md"),
            ));
        };
        let Some(t) = self.by_path.get(target) else {
            if self.unloaded.contains(target) {
                return Err(None);
            }
            let hint = self
                .near(target)
                .map(|c| format!("did you mean `/{c}`?"))
                .unwrap_or_else(|| "links name a briefing's file, relative to this file or from content/ (`/theme/file.md`)".into());
            return Err(Some(
                error(format!(
                    "link to `{}`: no briefing at content/{target}",
                    link.written
                ))
                .hint(hint),
            ));
        };
        if t.draft && !self.drafts {
            return Err(Some(
                error(format!(
                    "link to `{}`, a draft left out of this build",
                    link.written
                ))
                .hint("publish it (remove `draft: true`) or remove the link"),
            ));
        }
        let mut url = format!("{base_path}briefings/{}/", t.slug);
        if let Some(anchor) = &link.anchor {
            if !t.body.anchors.iter().any(|a| a == anchor) {
                let hint = match crate::suggest::closest(
                    anchor,
                    t.body.anchors.iter().map(String::as_str),
                ) {
                    Some(c) => format!("did you mean `#{c}`?"),
                    None if t.body.anchors.is_empty() => {
                        format!("content/{target} has no headings")
                    }
                    None => format!(
                        "its headings: {}",
                        t.body
                            .anchors
                            .iter()
                            .map(|a| format!("#{a}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                return Err(Some(
                    error(format!(
                        "link to `{}#{anchor}`: no such heading in content/{target}",
                        link.written
                    ))
                    .hint(hint),
                ));
            }
            url.push('#');
            url.push_str(anchor);
        }
        Ok(url)
    }
}

fn split_path(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}
