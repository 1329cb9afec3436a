//! `site.yaml` → [`Config`], strictly: unknown keys and bad values are located errors.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::load::markdown::RawHtml;
use crate::yaml::{self, Origin, Spanned};

/// The keys `site.yaml` accepts at its top level.
pub const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "timezone",
    "page_size",
    "raw_html",
    "themes",
    "actors",
];

/// A theme declared in `site.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeDecl {
    /// Display title.
    pub title: Spanned<String>,
    /// Optional slug; derived from the title otherwise.
    #[serde(default)]
    pub slug: Option<Spanned<String>>,
    /// One-paragraph description.
    #[serde(default)]
    pub description: Option<String>,
    /// CSS colour used for the theme's accents.
    #[serde(default)]
    pub color: Option<Spanned<String>>,
}

/// The kind of an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    /// A person.
    Person,
    /// An organisation (also accepted as `organization`).
    #[serde(alias = "organization")]
    Organisation,
    /// A country.
    Country,
    /// Anything else.
    #[default]
    Other,
}

/// An actor declared in `site.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorDecl {
    /// Canonical name.
    pub name: Spanned<String>,
    /// Other spellings that mean this actor.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// Person, organisation, country or other.
    #[serde(default)]
    pub kind: Option<ActorKind>,
    /// Who they are.
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<Spanned<String>>,
    language: Option<String>,
    timezone: Option<Spanned<String>>,
    page_size: Option<Spanned<i64>>,
    raw_html: Option<RawHtml>,
    #[serde(default)]
    themes: Vec<ThemeDecl>,
    #[serde(default)]
    actors: Vec<ActorDecl>,
}

/// The site configuration, validated.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// One-line description.
    pub description: String,
    /// Absolute base URL, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url` (`/` or `/briefs/`), prefixed to every internal link.
    pub base_path: String,
    /// BCP 47 language tag for `<html lang>`.
    pub language: String,
    /// Timezone for dates written without one.
    pub timezone: chrono_tz::Tz,
    /// Entries per timeline page.
    pub page_size: usize,
    /// Raw HTML policy.
    pub raw_html: RawHtml,
    /// Declared themes, in order.
    pub themes: Vec<ThemeDecl>,
    /// Declared actors, in order.
    pub actors: Vec<ActorDecl>,
    /// Where the config came from (for diagnostics), if a file.
    pub path: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Briefings".into(),
            description: String::new(),
            base_url: "/".into(),
            base_path: "/".into(),
            language: "en".into(),
            timezone: chrono_tz::UTC,
            page_size: 50,
            raw_html: RawHtml::Sanitize,
            themes: Vec::new(),
            actors: Vec::new(),
            path: None,
        }
    }
}

impl Config {
    /// Loads `root/site.yaml`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join("site.yaml");
        let text = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                    let (line, col) = crate::diagnostic::line_col(
                        std::str::from_utf8(valid).unwrap_or(""),
                        valid.len(),
                    );
                    return Err(vec![Diagnostic::error(
                        "site.yaml",
                        "site.yaml is not valid UTF-8",
                    )
                    .at("", line, col)
                    .hint("save the file as UTF-8")]);
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(vec![Diagnostic::error(
                    "site.yaml",
                    format!("cannot read site.yaml: {e}"),
                )])
            }
        };
        Config::parse(&text, Path::new("site.yaml"))
    }

    /// Parses the text of a `site.yaml`.
    pub fn parse(text: &str, file: &Path) -> Result<Config, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let origin = Origin {
            file,
            file_text: text,
            line_offset: 0,
        };
        if text.trim().is_empty()
            || text
                .lines()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            return Ok(Config {
                path: Some(file.into()),
                ..Config::default()
            });
        }
        let keys = yaml::top_level_keys(text, origin).map_err(|d| vec![d])?;
        let unknown = yaml::unknown_keys(&keys, KEYS, "key", origin);
        if !unknown.is_empty() {
            return Err(unknown);
        }
        let raw: RawConfig = yaml::parse(text, origin).map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        let mut config = Config {
            path: Some(file.into()),
            ..Config::default()
        };
        if let Some(t) = raw.title {
            config.title = t;
        }
        if let Some(d) = raw.description {
            config.description = d;
        }
        if let Some(l) = raw.language {
            config.language = l;
        }
        if let Some(r) = raw.raw_html {
            config.raw_html = r;
        }
        if let Some(url) = raw.base_url {
            match normalise_base_url(&url.value) {
                Ok((base, path)) => {
                    config.base_url = base;
                    config.base_path = path;
                }
                Err(msg) => errors.push(
                    origin
                        .error_on(&url, url.value.chars().count(), msg)
                        .hint("write an absolute URL such as https://example.org/ or https://example.org/briefs/"),
                ),
            }
        }
        if let Some(tz) = raw.timezone {
            match tz.value.parse::<chrono_tz::Tz>() {
                Ok(t) => config.timezone = t,
                Err(_) => {
                    let d = origin.error_on(
                        &tz,
                        tz.value.chars().count(),
                        format!("unknown timezone `{}`", tz.value),
                    );
                    errors.push(
                        d.hint("use an IANA name such as UTC, Europe/Moscow or America/New_York"),
                    );
                }
            }
        }
        if let Some(n) = raw.page_size {
            if n.value < 1 || n.value > 10_000 {
                errors.push(origin.error_on(&n, 1, "page_size must be between 1 and 10000"));
            } else {
                config.page_size = n.value as usize;
            }
        }
        for t in &raw.themes {
            if let Some(c) = &t.color {
                if !is_css_color(&c.value) {
                    errors.push(
                        origin
                            .error_on(c, c.value.chars().count(), format!("`{}` is not a colour", c.value))
                            .hint("write a hex colour such as \"#8a1c1c\" (quoted, since # starts a YAML comment)"),
                    );
                }
            }
        }
        config.themes = raw.themes;
        config.actors = raw.actors;
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// Replaces the base URL (the `--base-url` flag, or the dev server's own address).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let (base, path) = normalise_base_url(url)?;
        self.base_url = base;
        self.base_path = path;
        Ok(())
    }
}

/// Splits a base URL into its absolute form and its path, both ending in `/`.
fn normalise_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url `{url}` must start with http:// or https://"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() || host.contains(['?', '#', ' ']) || path.contains(['?', '#', ' ']) {
        return Err(format!("base_url `{url}` is not a plain site address"));
    }
    let path = if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    };
    let scheme = &url[..url.len() - rest.len()];
    Ok((format!("{scheme}{host}{path}"), path))
}

fn is_css_color(c: &str) -> bool {
    let hex = c.strip_prefix('#').unwrap_or("");
    (matches!(hex.len(), 3 | 4 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        || (c.len() < 30 && c.bytes().all(|b| b.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_path_prefix() {
        assert_eq!(
            normalise_base_url("https://example.org/briefs").unwrap(),
            ("https://example.org/briefs/".into(), "/briefs/".into())
        );
        assert_eq!(normalise_base_url("http://127.0.0.1:4000").unwrap().1, "/");
        assert!(normalise_base_url("example.org").is_err());
    }

    #[test]
    fn unknown_key_is_located_with_a_suggestion() {
        let errs = Config::parse("title: x\nthemse: []\n", Path::new("site.yaml")).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].line, errs[0].column), (2, 1));
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `themes`?"));
    }

    #[test]
    fn empty_config_gives_defaults() {
        let c = Config::parse("# nothing\n", Path::new("site.yaml")).unwrap();
        assert_eq!(c.page_size, 50);
    }
}
