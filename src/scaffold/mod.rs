//! `brief init` (a new site that builds at once) and `brief new` (a new briefing with its
//! front matter filled in). Neither ever overwrites a file.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::date::{PartialDate, Precision};
use crate::load::front_matter::Status;
use crate::load::slug::{file_slug, slugify};
use crate::render::templates::{DEFAULT_STATIC, DEFAULT_TEMPLATES};

/// The files `brief init` writes, relative to the new site's folder.
pub const INIT_FILES: &[(&str, &str)] = &[
    ("site.yaml", include_str!("site.yaml")),
    (
        "content/water-policy/2025-01-15-council-publishes-a-draft-water-plan.md",
        include_str!("first.md"),
    ),
    (
        "content/water-policy/utility-asks-for-more-time.md",
        include_str!("second.md"),
    ),
];

/// What `brief init` should do.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    /// The folder of the new site; made if missing.
    pub dir: PathBuf,
    /// Go on although the folder is not empty (existing files are still kept).
    pub force: bool,
    /// Also write the embedded templates and static files out, to be edited.
    pub eject_templates: bool,
}

/// What `brief init` did, paths relative to the site folder.
#[derive(Debug, Clone, Default)]
pub struct InitReport {
    /// Files written.
    pub created: Vec<PathBuf>,
    /// Files that were there already and were left alone.
    pub kept: Vec<PathBuf>,
}

/// Creates a site in `opts.dir`: `site.yaml` and two example briefings, and with
/// `eject_templates` the default templates and static files.
pub fn init(opts: &InitOptions) -> Result<InitReport, Diagnostic> {
    let dir = &opts.dir;
    if dir.exists() && !dir.is_dir() {
        return Err(Diagnostic::error(dir, "exists and is not a folder")
            .hint("choose a new folder name for the site"));
    }
    if dir.is_dir() && !opts.force {
        let mut entries = std::fs::read_dir(dir)
            .map_err(|e| Diagnostic::error(dir, format!("cannot read the folder: {e}")))?;
        if entries.next().is_some() {
            return Err(Diagnostic::error(dir, "the folder is not empty").hint(
                "choose an empty or new folder, or pass --force to add the missing files \
                 (existing files are never overwritten)",
            ));
        }
    }
    let mut files: Vec<(String, &[u8])> = INIT_FILES
        .iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes()))
        .collect();
    if opts.eject_templates {
        files.extend(
            DEFAULT_TEMPLATES
                .iter()
                .map(|(n, t)| (format!("templates/{n}"), t.as_bytes())),
        );
        files.extend(
            DEFAULT_STATIC
                .iter()
                .map(|(n, b)| (format!("static/{n}"), *b)),
        );
    }
    let mut report = InitReport::default();
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        if write_new(&path, bytes)? {
            report.created.push(rel.into());
        } else {
            report.kept.push(rel.into());
        }
    }
    Ok(report)
}

/// Writes a file that must not exist yet, making its folders. Returns false (and writes
/// nothing) when it exists.
fn write_new(path: &Path, bytes: &[u8]) -> Result<bool, Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::error(parent, format!("cannot make the folder: {e}")))?;
    }
    // create_new, not an exists() check first, so that nothing can slip in between.
    match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(mut f) => {
            f.write_all(bytes)
                .map_err(|e| Diagnostic::error(path, format!("cannot write: {e}")))?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(Diagnostic::error(path, format!("cannot create: {e}"))),
    }
}

/// What `brief new` should write.
#[derive(Debug, Clone, Default)]
pub struct NewOptions {
    /// The site root.
    pub root: PathBuf,
    /// Headline.
    pub title: String,
    /// Theme, by title or slug.
    pub topic: String,
    /// Actors, by name or alias.
    pub actors: Vec<String>,
    /// Date as the analyst writes it; today (in the site's timezone) when absent.
    pub date: Option<String>,
    /// Status; confirmed when absent.
    pub status: Option<String>,
}

/// What `brief new` wrote.
#[derive(Debug, Clone)]
pub struct NewReport {
    /// The new file, relative to the root.
    pub path: PathBuf,
    /// Names not declared in `site.yaml`, each with the closest declared one when there is one.
    pub warnings: Vec<Diagnostic>,
}

/// Longest slug `brief new` makes from a title, so file names stay well under system limits.
const MAX_SLUG: usize = 80;

/// Checks that a name gives a URL slug (has a letter or digit); for the command line.
pub fn check_name(s: &str) -> Result<String, String> {
    let s = squash(s);
    if slugify(&s).is_empty() {
        Err("needs at least one letter or digit".into())
    } else {
        Ok(s)
    }
}

/// Checks a date as `brief new --date` takes it (site timezone aside); for the command line.
pub fn check_date(s: &str) -> Result<String, String> {
    PartialDate::parse(s, chrono_tz::UTC).map(|_| s.trim().to_string())
}

/// Today's date in `tz`.
pub fn today(tz: chrono_tz::Tz) -> NaiveDate {
    chrono::Utc::now().with_timezone(&tz).date_naive()
}

/// Writes `content/<theme-slug>/<date>-<slug>.md` under `opts.root`.
pub fn new_briefing(opts: &NewOptions) -> Result<NewReport, Vec<Diagnostic>> {
    let config = Config::load(&opts.root)?;
    let usage = |flag: &str, msg: String| vec![Diagnostic::error(flag, msg)];
    let title = check_name(&opts.title).map_err(|m| usage("TITLE", format!("the title {m}")))?;
    let topic = check_name(&opts.topic).map_err(|m| usage("--topic", format!("the topic {m}")))?;
    let mut actors = Vec::new();
    for a in &opts.actors {
        actors.push(check_name(a).map_err(|m| usage("--actor", format!("`{a}` {m}")))?);
    }
    let status = match opts.status.as_deref().map(str::trim) {
        None => Status::default(),
        Some(s) => Status::from_name(s).ok_or_else(|| {
            usage(
                "--status",
                format!(
                    "`{s}` is not a status; use one of {}",
                    Status::NAMES.join(", ")
                ),
            )
        })?,
    };
    let (date_text, date) = match &opts.date {
        Some(d) => {
            let parsed = PartialDate::parse(d, config.timezone)
                .map_err(|m| usage("--date", format!("bad date: {m}")))?;
            (d.trim().to_string(), parsed)
        }
        None => {
            let d = today(config.timezone).format("%Y-%m-%d").to_string();
            let parsed = PartialDate::parse(&d, config.timezone)
                .map_err(|m| usage("--date", format!("bad date: {m}")))?;
            (d, parsed)
        }
    };

    let names = Names::of(&config);
    let theme_slug = names.theme_slug(&topic);
    let mut slug = slugify(&title);
    if slug.len() > MAX_SLUG {
        let cut = slug[..MAX_SLUG].rfind('-').unwrap_or(MAX_SLUG);
        slug.truncate(cut);
    }
    // A date prefix is taken off the slug only when it is a whole day (file_slug's rule), so
    // vaguer dates keep the file name honest and name the slug explicitly.
    let (prefix, explicit_slug) = match date.precision {
        Precision::Day | Precision::Time => (date.start.format("%Y-%m-%d").to_string(), false),
        Precision::Year | Precision::Month => (date.iso(), true),
    };
    let rel = PathBuf::from("content")
        .join(&theme_slug)
        .join(format!("{prefix}-{slug}.md"));
    let shown = rel.to_string_lossy().replace('\\', "/");

    let mut text = String::from("---\n");
    text.push_str(&format!("title: {}\n", yaml_string(&title)));
    text.push_str(&format!("date: {date_text}\n"));
    let topic_line = 4;
    text.push_str(&format!("topic: {}\n", yaml_string(&topic)));
    let mut actor_lines = Vec::new();
    if !actors.is_empty() {
        text.push_str("actors:\n");
        for (i, a) in actors.iter().enumerate() {
            actor_lines.push(topic_line + 2 + i);
            text.push_str(&format!("  - {}\n", yaml_string(a)));
        }
    }
    text.push_str(&format!("status: {}\n", status.name()));
    if explicit_slug {
        text.push_str(&format!("slug: {slug}\n"));
    }
    text.push_str(
        "# More fields (take out the # to use one; see the front-matter reference):\n\
         # summary: The bottom line, in a sentence or two.\n\
         # confidence: moderate\n\
         # location: Where it happened\n\
         # tags: [keyword]\n\
         # sources:\n\
         #   - https://example.org/report\n\
         ---\n\n\
         What happened, why it matters, and what comes next. Unless `summary` is set, this first\n\
         paragraph is the summary shown in lists and feeds.\n",
    );

    let mut warnings = Vec::new();
    if config.path.is_none() {
        warnings.push(
            Diagnostic::warning("site.yaml", "there is no site.yaml in the site root").hint(
                "run brief new in the site's folder or pass --root; the site uses the defaults",
            ),
        );
    } else {
        if !names.has_theme(&topic) {
            warnings.push(undeclared(
                &shown,
                &text,
                topic_line,
                8,
                "theme",
                &topic,
                names.closest_theme(&topic),
            ));
        }
        for (a, line) in actors.iter().zip(&actor_lines) {
            if !names.has_actor(a) {
                warnings.push(undeclared(
                    &shown,
                    &text,
                    *line,
                    5,
                    "actor",
                    a,
                    names.closest_actor(a),
                ));
            }
        }
    }

    let path = opts.root.join(&rel);
    if path.exists() {
        return Err(vec![Diagnostic::error(&shown, "the file exists already")
            .hint(
                "brief new never overwrites; edit that file, or give a different title or --date",
            )]);
    }
    if let Some(other) = slug_owner(&opts.root, &slug)? {
        return Err(vec![Diagnostic::error(
            &shown,
            format!(
                "its slug `{slug}` is taken by {}",
                other.to_string_lossy().replace('\\', "/")
            ),
        )
        .hint("two briefings cannot share a URL; give a different title")]);
    }
    if !write_new(&path, text.as_bytes()).map_err(|d| vec![d])? {
        return Err(vec![Diagnostic::error(&shown, "the file exists already")]);
    }
    Ok(NewReport {
        path: rel,
        warnings,
    })
}

/// The briefing that has `slug` already, if any: by its `slug:` field or its file name. A
/// clash would fail the next build, so `new` refuses it up front.
fn slug_owner(root: &Path, slug: &str) -> Result<Option<PathBuf>, Vec<Diagnostic>> {
    let files = crate::load::discover(root).map_err(|d| vec![d])?;
    Ok(files.into_iter().find(|f| {
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let own = std::fs::read_to_string(root.join(f))
            .ok()
            .and_then(|text| slug_field(&text));
        own.unwrap_or_else(|| file_slug(stem)) == slug
    }))
}

/// The value of a top-level `slug:` line in a file's front matter, without a full parse.
fn slug_field(text: &str) -> Option<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let split = crate::load::front_matter::split(text).ok()?;
    split.yaml.lines().find_map(|l| {
        let v = l.strip_prefix("slug:")?;
        let v = v.split(" #").next().unwrap_or(v).trim();
        Some(v.trim_matches(['"', '\'']).to_string())
    })
}

fn undeclared(
    file: &str,
    text: &str,
    line: usize,
    column: usize,
    what: &str,
    name: &str,
    closest: Option<&str>,
) -> Diagnostic {
    let d = Diagnostic::warning(
        file,
        format!("{what} `{name}` is not declared in site.yaml"),
    )
    .at(text, line, column)
    .width(
        text.lines()
            .nth(line - 1)
            .map_or(1, |l| l.chars().count().saturating_sub(column - 1)),
    );
    match closest {
        Some(c) => d.hint(format!("did you mean `{c}`?")),
        None => d.hint(format!(
            "a new {what} will be made from it; declare it under `{what}s:` in site.yaml to describe it"
        )),
    }
}

/// The theme and actor names `site.yaml` declares, matched the way the model matches them: by
/// slug, so spelling, case and script do not matter.
struct Names {
    /// Per theme: its slug, and the slug of its title (the two keys it answers to).
    themes: Vec<(String, String)>,
    /// Every theme title and slug, for suggestions, with the title each belongs to.
    theme_words: Vec<(String, String)>,
    /// The slug of every actor name and alias.
    actors: Vec<String>,
    /// Every actor name and alias, for suggestions, with the name each belongs to.
    actor_words: Vec<(String, String)>,
}

impl Names {
    fn of(config: &Config) -> Names {
        let mut n = Names {
            themes: Vec::new(),
            theme_words: Vec::new(),
            actors: Vec::new(),
            actor_words: Vec::new(),
        };
        for t in &config.themes {
            let title = &t.title.value;
            let slug = t
                .slug
                .as_ref()
                .map(|s| slugify(&s.value))
                .unwrap_or_else(|| slugify(title));
            n.themes.push((slug.clone(), slugify(title)));
            n.theme_words.push((title.clone(), title.clone()));
            n.theme_words.push((slug, title.clone()));
        }
        for a in &config.actors {
            for word in std::iter::once(&a.name).chain(&a.aliases) {
                n.actors.push(slugify(&word.value));
                n.actor_words
                    .push((word.value.clone(), a.name.value.clone()));
            }
        }
        n
    }

    /// The folder for a topic: the declared theme's slug, or the topic's own.
    fn theme_slug(&self, topic: &str) -> String {
        let key = slugify(topic);
        self.themes
            .iter()
            .find(|(slug, title)| *slug == key || *title == key)
            .map(|(slug, _)| slug.clone())
            .unwrap_or(key)
    }

    fn has_theme(&self, topic: &str) -> bool {
        let key = slugify(topic);
        self.themes.iter().any(|(s, t)| *s == key || *t == key)
    }

    fn has_actor(&self, name: &str) -> bool {
        self.actors.contains(&slugify(name))
    }

    fn closest_theme(&self, topic: &str) -> Option<&str> {
        closest(topic, &self.theme_words)
    }

    fn closest_actor(&self, name: &str) -> Option<&str> {
        closest(name, &self.actor_words)
    }
}

/// The canonical name whose spelling (any of them) is closest to `input`.
fn closest<'a>(input: &str, words: &'a [(String, String)]) -> Option<&'a str> {
    let best = crate::suggest::closest(input, words.iter().map(|(w, _)| w.as_str()))?;
    words
        .iter()
        .find(|(w, _)| w == best)
        .map(|(_, canonical)| canonical.as_str())
}

/// Collapses runs of whitespace (newlines included) to one space and trims.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A YAML scalar that reads back as exactly `s`: plain when that is unambiguous, otherwise
/// double-quoted with escapes.
pub fn yaml_string(s: &str) -> String {
    const WORDS: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ];
    let plain = s.chars().next().is_some_and(char::is_alphabetic)
        && !s.ends_with(' ')
        && s.chars()
            .all(|c| c.is_alphanumeric() || " -.,'()/–—’".contains(c))
        && !WORDS.contains(&s.to_lowercase().as_str());
    if plain {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_back(value: &str) -> String {
        let yaml = format!("title: {}\ndate: 2025\ntopic: t\n", yaml_string(value));
        let text = format!("---\n{yaml}---\n");
        crate::load::front_matter::parse(&yaml, Path::new("a.md"), &text, chrono_tz::UTC)
            .unwrap_or_else(|e| panic!("{value:?} → {yaml}: {e:?}"))
            .title
    }

    #[test]
    fn yaml_strings_read_back_unchanged() {
        for s in [
            "Plain title",
            "Talks: round two",
            "\"Quoted\" words",
            "# not a comment",
            "- not a list",
            "yes",
            "No",
            "null",
            "2025",
            "1e3",
            "0x1F",
            ".inf",
            "back\\slash",
            "tab\there",
            "[flow]",
            "{map}",
            "*alias",
            "&anchor",
            "!tag",
            "%directive",
            "@at",
            "`tick`",
            "| pipe",
            "> fold",
            "Кирилл Дмитриев: итоги",
            "U.S.–Russia talks",
            "ends with colon:",
            "a # b",
            "'single'",
            "?question",
            "bell\u{7}",
        ] {
            assert_eq!(read_back(s), s.trim(), "{s:?}");
        }
        assert_eq!(yaml_string("City council"), "City council");
        assert_eq!(yaml_string("yes"), "\"yes\"");
    }

    #[test]
    fn names_match_by_slug_and_suggest_the_canonical_name() {
        let config = Config::parse(include_str!("site.yaml"), Path::new("site.yaml")).unwrap();
        let n = Names::of(&config);
        assert_eq!(n.theme_slug("City Water Policy"), "water-policy");
        assert_eq!(n.theme_slug("water-policy"), "water-policy");
        assert_eq!(n.theme_slug("Housing"), "housing");
        assert!(n.has_actor("council"));
        assert!(!n.has_actor("Councill"));
        assert_eq!(n.closest_actor("Councill"), Some("City council"));
        assert_eq!(
            n.closest_theme("City water polcy"),
            Some("City water policy")
        );
        assert_eq!(n.closest_theme("Defence"), None);
    }

    #[test]
    fn slug_fields_are_read_without_a_full_parse() {
        assert_eq!(
            slug_field("---\ntitle: x\nslug: \"kept\"  # old URL\n---\nslug: body\n"),
            Some("kept".into())
        );
        assert_eq!(slug_field("---\ntitle: x\n---\nslug: body\n"), None);
        assert_eq!(slug_field("no front matter"), None);
    }

    #[test]
    fn init_site_yaml_sets_every_key() {
        let text = include_str!("site.yaml");
        for key in crate::config::KEYS {
            assert!(
                text.lines().any(|l| l.starts_with(&format!("{key}:"))),
                "init's site.yaml lacks `{key}`"
            );
        }
        Config::parse(text, Path::new("site.yaml")).unwrap();
    }
}
