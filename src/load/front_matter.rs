//! Splitting a briefing file into front matter and body, and validating the fields.

use std::fmt;
use std::path::Path;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::diagnostic::Diagnostic;
use crate::yaml::{self, Origin, Spanned};

/// Every field a briefing's front matter may have.
pub const FIELDS: &[&str] = &[
    "title",
    "date",
    "end_date",
    "topic",
    "actors",
    "summary",
    "sources",
    "tags",
    "location",
    "status",
    "confidence",
    "draft",
    "slug",
    "extra",
];

/// A file split at its front matter fences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// Everything after the closing fence.
    pub body: &'a str,
    /// 1-based line on which the body starts.
    pub body_line: usize,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// Nothing but whitespace.
    Empty,
    /// The first line is not `---`.
    NoFrontMatter,
    /// No closing `---`.
    Unclosed,
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', ' ', '\t']) == "---"
}

/// Splits `text` (BOM already removed) into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let first_end = text.find('\n').unwrap_or(text.len());
    if !is_fence(&text[..first_end]) {
        return Err(SplitError::NoFrontMatter);
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    let mut line_no = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if is_fence(&text[pos..end]) {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..pos],
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        pos = end + 1;
        line_no += 1;
    }
    Err(SplitError::Unclosed)
}

/// The analyst's view of how firm an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Happened, and is established.
    #[default]
    Confirmed,
    /// Still unfolding.
    Developing,
    /// Announced, not yet happened.
    Expected,
    /// Contested.
    Disputed,
}

impl Status {
    /// Every status, as written in front matter.
    pub const NAMES: [&'static str; 4] = ["confirmed", "developing", "expected", "disputed"];
    /// The status written as `s`, if it is one.
    pub fn from_name(s: &str) -> Option<Status> {
        Some(match s {
            "confirmed" => Status::Confirmed,
            "developing" => Status::Developing,
            "expected" => Status::Expected,
            "disputed" => Status::Disputed,
            _ => return None,
        })
    }
    /// The lower-case name, as written in front matter.
    pub fn name(self) -> &'static str {
        Status::NAMES[self as usize]
    }
}

/// The analyst's confidence in the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Low.
    Low,
    /// Moderate.
    Moderate,
    /// High.
    High,
}

impl Confidence {
    const NAMES: [&'static str; 3] = ["low", "moderate", "high"];
    fn from_name(s: &str) -> Option<Confidence> {
        Some(match s {
            "low" => Confidence::Low,
            "moderate" => Confidence::Moderate,
            "high" => Confidence::High,
            _ => return None,
        })
    }
    /// The lower-case name, as written in front matter.
    pub fn name(self) -> &'static str {
        Confidence::NAMES[self as usize]
    }
}

/// Where a fact comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Default)]
pub struct Source {
    /// The address.
    pub url: String,
    /// The headline of the source.
    pub title: Option<String>,
    /// Who published it.
    pub publisher: Option<String>,
    /// When, as written.
    pub date: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceMap {
    url: String,
    title: Option<String>,
    publisher: Option<String>,
    date: Option<String>,
}

impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Source;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a URL or a map with url, title, publisher, date")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Source, E> {
                Ok(Source {
                    url: v.to_string(),
                    ..Source::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Source, A::Error> {
                let m = SourceMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Source {
                    url: m.url,
                    title: m.title,
                    publisher: m.publisher,
                    date: m.date,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// One string or a list of strings, each with its position.
#[derive(Debug, Clone, Default)]
pub struct StrList(pub Vec<Spanned<String>>);

impl<'de> Deserialize<'de> for StrList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StrList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StrList, E> {
                Ok(StrList(vec![Spanned {
                    value: v.to_string(),
                    line: 0,
                    column: 0,
                }]))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<StrList, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<StrList, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_unit<E: de::Error>(self) -> Result<StrList, E> {
                Ok(StrList(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StrList, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<Spanned<String>>()? {
                    out.push(s);
                }
                Ok(StrList(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// The front matter exactly as written, before validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    title: Option<Spanned<String>>,
    date: Option<Spanned<String>>,
    end_date: Option<Spanned<String>>,
    topic: Option<Spanned<StrList>>,
    actors: Option<Spanned<StrList>>,
    summary: Option<Spanned<String>>,
    #[serde(default)]
    sources: Vec<Spanned<Source>>,
    tags: Option<Spanned<StrList>>,
    location: Option<String>,
    status: Option<Spanned<String>>,
    confidence: Option<Spanned<String>>,
    draft: Option<bool>,
    slug: Option<Spanned<String>>,
    extra: Option<Spanned<serde_json::Value>>,
}

/// Validated front matter.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// Headline.
    pub title: String,
    /// When it happened.
    pub date: super::date::PartialDate,
    /// When it ended, for spans.
    pub end_date: Option<super::date::PartialDate>,
    /// Themes as written, primary first.
    pub topics: Vec<Spanned<String>>,
    /// Actors as written.
    pub actors: Vec<Spanned<String>>,
    /// Bottom line.
    pub summary: Option<String>,
    /// Sources.
    pub sources: Vec<Spanned<Source>>,
    /// Tags as written.
    pub tags: Vec<Spanned<String>>,
    /// Where.
    pub location: Option<String>,
    /// Status.
    pub status: Status,
    /// Confidence.
    pub confidence: Option<Confidence>,
    /// Left out unless `--drafts`.
    pub draft: bool,
    /// Explicit slug.
    pub slug: Option<Spanned<String>>,
    /// Free-form data for templates.
    pub extra: serde_json::Value,
    /// Where `title`, `date` and `status` were written (YAML-relative line, column), for
    /// warnings found later.
    pub positions: Positions,
}

/// YAML-relative (line, column) of the fields later stages warn about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Positions {
    /// The `title` value.
    pub title: (usize, usize),
    /// The `date` value.
    pub date: (usize, usize),
    /// The `status` value, if written.
    pub status: Option<(usize, usize)>,
}

/// Parses and validates the YAML of a front matter block; reports every problem found.
pub fn parse(
    yaml_text: &str,
    file: &Path,
    file_text: &str,
    tz: chrono_tz::Tz,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    let origin = Origin {
        file,
        file_text,
        line_offset: 1,
    };
    if yaml_text.trim().is_empty() {
        return Err(vec![Diagnostic::error(file, "front matter is empty")
            .at(file_text, 1, 1)
            .width(3)
            .hint(
                "add at least `title:`, `date:` and `topic:` between the --- lines",
            )]);
    }
    // The strict parse alone decides valid files (one YAML pass, not two); only when it fails
    // do we list the keys, so that every unknown key is reported with a "did you mean".
    let raw: RawFrontMatter = match yaml::parse(yaml_text, origin) {
        Ok(raw) => raw,
        Err(d) => {
            let keys = yaml::top_level_keys(yaml_text, origin).map_err(|d| vec![d])?;
            let unknown = yaml::unknown_keys(&keys, FIELDS, "field", origin);
            return Err(if unknown.is_empty() { vec![d] } else { unknown });
        }
    };
    let mut errors = Vec::new();
    let fence = |name: &str, example: &str| {
        Diagnostic::error(file, format!("missing field `{name}`"))
            .at(file_text, 1, 1)
            .width(3)
            .hint(format!("add `{name}: {example}` to the front matter"))
    };
    let width = |s: &Spanned<String>| s.value.chars().count().max(1);

    let positions = Positions {
        title: raw.title.as_ref().map_or((1, 1), |t| (t.line, t.column)),
        date: raw.date.as_ref().map_or((1, 1), |d| (d.line, d.column)),
        status: raw.status.as_ref().map(|s| (s.line, s.column)),
    };
    let title = match raw.title {
        None => {
            errors.push(fence("title", "A short headline"));
            String::new()
        }
        Some(t) if t.value.trim().is_empty() => {
            errors.push(
                origin
                    .error_on(&t, 1, "`title` is empty")
                    .hint("write a short headline"),
            );
            String::new()
        }
        Some(t) => t.value.trim().to_string(),
    };
    let mut parse_date =
        |s: &Spanned<String>, name: &str| match super::date::PartialDate::parse(&s.value, tz) {
            Ok(d) => Some(d),
            Err(msg) => {
                errors.push(
                    origin
                        .error_on(s, width(s), format!("bad `{name}`: {msg}"))
                        .hint("examples: 2025, 2025-04, 2025-03-24, 2025-03-24T09:00:00+03:00"),
                );
                None
            }
        };
    let date = match &raw.date {
        None => None,
        Some(d) => parse_date(d, "date"),
    };
    let end_date = raw
        .end_date
        .as_ref()
        .and_then(|d| parse_date(d, "end_date"));
    if raw.date.is_none() {
        errors.push(fence("date", "2025-03-24"));
    }
    if let (Some(d), Some(e), Some(es)) = (date, end_date, &raw.end_date) {
        if e.end_day() < d.start {
            errors.push(origin.error_on(es, width(es), "`end_date` is before `date`"));
        }
    }

    let fix_spans = |list: Option<Spanned<StrList>>| -> Vec<Spanned<String>> {
        list.map(|outer| {
            outer
                .value
                .0
                .into_iter()
                .map(|mut s| {
                    if s.line == 0 {
                        s.line = outer.line;
                        s.column = outer.column;
                    }
                    s.value = s.value.trim().to_string();
                    s
                })
                .collect()
        })
        .unwrap_or_default()
    };
    let topic_missing = raw.topic.is_none();
    let topic_pos = raw.topic.as_ref().map(|t| (t.line, t.column));
    let topics = fix_spans(raw.topic);
    if topic_missing {
        errors.push(fence("topic", "U.S.–Russia economic talks"));
    } else if topics.is_empty() {
        let (l, c) = topic_pos.unwrap_or((1, 1));
        errors.push(
            origin
                .error_at(l, c, "`topic` is empty")
                .hint("name at least one theme"),
        );
    }
    let actors = fix_spans(raw.actors);
    let tags = fix_spans(raw.tags);
    for s in topics.iter().chain(&actors).chain(&tags) {
        if crate::load::slug::slugify(&s.value).is_empty() {
            errors.push(
                origin
                    .error_on(
                        s,
                        width(s),
                        format!("`{}` has no letters or digits to make a URL from", s.value),
                    )
                    .hint("use a name with at least one letter or digit"),
            );
        }
    }

    let status = match &raw.status {
        None => Status::default(),
        Some(s) => Status::from_name(s.value.trim()).unwrap_or_else(|| {
            errors.push(choice_error(origin, s, "status", &Status::NAMES));
            Status::default()
        }),
    };
    let confidence = raw.confidence.as_ref().and_then(|s| {
        let c = Confidence::from_name(s.value.trim());
        if c.is_none() {
            errors.push(choice_error(origin, s, "confidence", &Confidence::NAMES));
        }
        c
    });
    for s in &raw.sources {
        let url = s.value.url.trim();
        if url.is_empty() {
            errors.push(origin.error_on(s, 1, "a source has an empty `url`"));
        }
    }
    if let Some(slug) = &raw.slug {
        let clean = crate::load::slug::slugify(&slug.value);
        if clean != slug.value {
            errors.push(
                origin
                    .error_on(
                        slug,
                        width(slug),
                        format!("`{}` is not a valid slug", slug.value),
                    )
                    .hint(if clean.is_empty() {
                        "a slug uses only a-z, 0-9 and -".to_string()
                    } else {
                        format!("write `{clean}`")
                    }),
            );
        }
    }
    let extra = match raw.extra {
        None => serde_json::Value::Object(Default::default()),
        Some(e) if e.value.is_object() => e.value,
        Some(e) => {
            errors.push(origin.error_on(&e, 1, "`extra` must be a map of keys to values"));
            serde_json::Value::Null
        }
    };
    let summary = raw
        .summary
        .map(|s| s.value.trim().to_string())
        .filter(|s| !s.is_empty());

    match date {
        Some(date) if errors.is_empty() => Ok(FrontMatter {
            title,
            date,
            end_date,
            topics,
            actors,
            summary,
            sources: raw.sources,
            tags,
            location: raw
                .location
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty()),
            status,
            confidence,
            draft: raw.draft.unwrap_or(false),
            slug: raw.slug,
            extra,
            positions,
        }),
        _ => Err(errors),
    }
}

fn choice_error(origin: Origin, s: &Spanned<String>, field: &str, allowed: &[&str]) -> Diagnostic {
    let d = origin.error_on(
        s,
        s.value.chars().count().max(1),
        format!("`{}` is not a valid `{field}`", s.value),
    );
    match crate::suggest::closest(&s.value, allowed.iter().copied()) {
        Some(best) => d.hint(format!(
            "did you mean `{best}`? ({field} is one of {})",
            allowed.join(", ")
        )),
        None => d.hint(format!("{field} is one of {}", allowed.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_crlf_and_reports_body_line() {
        let s = split("---\r\ntitle: x\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(s.yaml, "title: x\r\n");
        assert_eq!(s.body, "Body\r\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn split_errors() {
        assert_eq!(split("  \n"), Err(SplitError::Empty));
        assert_eq!(split("# Title\n"), Err(SplitError::NoFrontMatter));
        assert_eq!(split("---\ntitle: x\n"), Err(SplitError::Unclosed));
        assert!(split("---\n---\n").is_ok());
    }

    fn errs(fm: &str) -> Vec<Diagnostic> {
        let text = format!("---\n{fm}---\n");
        parse(fm, Path::new("a.md"), &text, chrono_tz::UTC).unwrap_err()
    }

    #[test]
    fn unknown_field_suggests_the_closest() {
        let e = errs("title: x\ndate: 2025\ntopic: t\nactor: [a]\n");
        assert_eq!(e[0].message, "unknown field `actor`");
        assert_eq!((e[0].line, e[0].column), (5, 1));
        assert_eq!(e[0].hint.as_deref(), Some("did you mean `actors`?"));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let e = errs("title: ''\ndate: 2025-13\ntopic: t\nstatus: expectd\n");
        let msgs: Vec<_> = e.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(e[2]
            .hint
            .as_deref()
            .unwrap()
            .contains("did you mean `expected`"));
    }

    #[test]
    fn topic_may_be_a_string_or_a_list() {
        let text = "---\ntitle: x\ndate: 2025\ntopic: [a, b]\nactors: Putin\n---\n";
        let fm = parse(
            "title: x\ndate: 2025\ntopic: [a, b]\nactors: Putin\n",
            Path::new("a.md"),
            text,
            chrono_tz::UTC,
        )
        .unwrap();
        assert_eq!(
            fm.topics
                .iter()
                .map(|t| t.value.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!((fm.actors[0].line, fm.actors[0].column), (4, 9));
    }
}
