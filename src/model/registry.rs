//! Names to things: which theme, actor or tag a string written in front matter means.
//!
//! Matching is by slug, so "Кирилл Дмитриев", "Kirill Dmitriev" and "kirill dmitriev" are one
//! actor; declared aliases add more names for the same slug.

use ahash::AHashMap as HashMap;
use std::path::PathBuf;

use crate::config::{ActorKind, Config};
use crate::diagnostic::Diagnostic;
use crate::load::slug::slugify;
use crate::yaml::Spanned;

/// A theme: a story told across briefings.
#[derive(Debug, Clone)]
pub struct Theme {
    /// URL slug.
    pub slug: String,
    /// Display title.
    pub title: String,
    /// Description from `site.yaml`.
    pub description: Option<String>,
    /// Accent colour from `site.yaml`.
    pub color: Option<String>,
    /// Declared in `site.yaml` (as opposed to made from a briefing's `topic`).
    pub declared: bool,
    /// Entry indices in story order (oldest first, expected last).
    pub members: Vec<usize>,
}

/// A person, organisation or country.
#[derive(Debug, Clone)]
pub struct Actor {
    /// URL slug.
    pub slug: String,
    /// Canonical name.
    pub name: String,
    /// Declared aliases.
    pub aliases: Vec<String>,
    /// Kind.
    pub kind: ActorKind,
    /// Description from `site.yaml`.
    pub description: Option<String>,
    /// Declared in `site.yaml`.
    pub declared: bool,
    /// Entry indices, newest first.
    pub members: Vec<usize>,
}

/// A cross-cutting keyword.
#[derive(Debug, Clone)]
pub struct Tag {
    /// URL slug.
    pub slug: String,
    /// Name as first written.
    pub name: String,
    /// Entry indices, newest first.
    pub members: Vec<usize>,
}

/// A warning at a name in `site.yaml` that slugs like an earlier one.
fn clash(
    file: &std::path::Path,
    text: &str,
    at: &Spanned<String>,
    message: String,
    hint: &str,
) -> Diagnostic {
    Diagnostic::warning(file, message)
        .at(text, at.line, at.column)
        .width(at.value.chars().count())
        .hint(hint)
        .kind("names share a slug")
}

/// Collects themes, actors and tags while briefings are resolved.
pub struct Registry {
    themes: Vec<Theme>,
    theme_by_key: HashMap<String, usize>,
    actors: Vec<Actor>,
    actor_by_key: HashMap<String, usize>,
    tags: Vec<Tag>,
    tag_by_key: HashMap<String, usize>,
    warnings: Vec<Diagnostic>,
}

impl Registry {
    /// Starts from the themes and actors declared in `site.yaml`.
    pub fn new(config: &Config) -> Registry {
        let mut r = Registry {
            themes: Vec::new(),
            theme_by_key: HashMap::default(),
            actors: Vec::new(),
            actor_by_key: HashMap::default(),
            tags: Vec::new(),
            tag_by_key: HashMap::default(),
            warnings: Vec::new(),
        };
        let file = config
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from("site.yaml"));
        for t in &config.themes {
            let slug = t
                .slug
                .as_ref()
                .map(|s| slugify(&s.value))
                .unwrap_or_else(|| slugify(&t.title.value));
            let idx = r.themes.len();
            r.themes.push(Theme {
                slug: slug.clone(),
                title: t.title.value.clone(),
                description: t.description.clone(),
                color: t.color.as_ref().map(|c| c.value.clone()),
                declared: true,
                members: Vec::new(),
            });
            let slug_at = t.slug.as_ref().unwrap_or(&t.title);
            let title_key = slugify(&t.title.value);
            if title_key != slug {
                r.claim_theme(title_key, idx, &file, &config.text, &t.title);
            }
            r.claim_theme(slug, idx, &file, &config.text, slug_at);
        }
        for a in &config.actors {
            let slug = slugify(&a.name.value);
            let idx = r.actors.len();
            r.actors.push(Actor {
                slug: slug.clone(),
                name: a.name.value.clone(),
                aliases: a.aliases.iter().map(|s| s.value.clone()).collect(),
                kind: a.kind.unwrap_or_default(),
                description: a.description.clone(),
                declared: true,
                members: Vec::new(),
            });
            r.claim_actor(slug, idx, &file, &config.text, &a.name);
            for alias in &a.aliases {
                r.claim_actor(slugify(&alias.value), idx, &file, &config.text, alias);
            }
        }
        r
    }

    fn claim_theme(
        &mut self,
        key: String,
        idx: usize,
        file: &std::path::Path,
        text: &str,
        at: &Spanned<String>,
    ) {
        match self.theme_by_key.get(&key) {
            Some(&other) if other != idx => {
                let msg = format!(
                    "theme `{}` makes the slug `{key}`, already taken by `{}`",
                    self.themes[idx].title, self.themes[other].title
                );
                self.warnings.push(clash(
                    file,
                    text,
                    at,
                    msg,
                    "each theme needs its own slug; rename one or give it a `slug:`",
                ));
            }
            Some(_) => {}
            None => {
                self.theme_by_key.insert(key, idx);
            }
        }
    }

    fn claim_actor(
        &mut self,
        key: String,
        idx: usize,
        file: &std::path::Path,
        text: &str,
        at: &Spanned<String>,
    ) {
        match self.actor_by_key.get(&key) {
            Some(&other) if other != idx => {
                let (name, taken) = (&self.actors[idx].name, &self.actors[other].name);
                let msg = if at.value == *name {
                    format!("actor `{name}` makes the slug `{key}`, already taken by `{taken}`")
                } else {
                    format!(
                        "alias `{}` of `{name}` makes the slug `{key}`, already taken by `{taken}`",
                        at.value
                    )
                };
                self.warnings.push(clash(
                    file,
                    text,
                    at,
                    msg,
                    "each name and alias must belong to one actor",
                ));
            }
            Some(_) => {}
            None => {
                self.actor_by_key.insert(key, idx);
            }
        }
    }

    /// The theme a `topic` string (whose slug is `key`) means, made on first use if undeclared.
    pub fn theme(&mut self, text: &str, key: &str) -> usize {
        if let Some(&i) = self.theme_by_key.get(key) {
            return i;
        }
        let key = key.to_string();
        let idx = self.themes.len();
        self.themes.push(Theme {
            slug: key.clone(),
            title: text.to_string(),
            description: None,
            color: None,
            declared: false,
            members: Vec::new(),
        });
        self.theme_by_key.insert(key, idx);
        idx
    }

    /// The actor a name or alias (whose slug is `key`) means, made on first use if undeclared.
    pub fn actor(&mut self, text: &str, key: &str) -> usize {
        if let Some(&i) = self.actor_by_key.get(key) {
            return i;
        }
        let key = key.to_string();
        let idx = self.actors.len();
        self.actors.push(Actor {
            slug: key.clone(),
            name: text.to_string(),
            aliases: Vec::new(),
            kind: ActorKind::Other,
            description: None,
            declared: false,
            members: Vec::new(),
        });
        self.actor_by_key.insert(key, idx);
        idx
    }

    /// The tag a keyword (whose slug is `key`) means.
    pub fn tag(&mut self, text: &str, key: &str) -> usize {
        if let Some(&i) = self.tag_by_key.get(key) {
            return i;
        }
        let key = key.to_string();
        let idx = self.tags.len();
        self.tags.push(Tag {
            slug: key.clone(),
            name: text.to_string(),
            members: Vec::new(),
        });
        self.tag_by_key.insert(key, idx);
        idx
    }

    /// Does `text` name a declared theme?
    pub fn is_declared_theme(&self, text: &str) -> bool {
        self.theme_by_key
            .get(&slugify(text))
            .is_some_and(|&i| self.themes[i].declared)
    }

    /// Hands over the collections and any warnings found.
    pub fn finish(self) -> (Vec<Theme>, Vec<Actor>, Vec<Tag>, Vec<Diagnostic>) {
        (self.themes, self.actors, self.tags, self.warnings)
    }
}
