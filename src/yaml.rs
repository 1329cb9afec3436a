//! The one place that knows which YAML crate we use (serde-saphyr).
//!
//! Everything else sees [`Spanned`] values and [`Diagnostic`]s, so the crate can change here alone.

use std::path::Path;

use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::{MessageFormatter, Options, UserMessageFormatter};

use crate::diagnostic::Diagnostic;

/// A value with the 1-based line and column it was written at.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    /// The value itself.
    pub value: T,
    /// 1-based line within the YAML text (0 when unknown).
    pub line: usize,
    /// 1-based column within the YAML text.
    pub column: usize,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        Ok(Spanned {
            value: s.value,
            line: s.referenced.line() as usize,
            column: s.referenced.column() as usize,
        })
    }
}

/// Where a YAML text sits inside its file, so positions can be reported in file terms.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// The file, as shown to the user.
    pub file: &'a Path,
    /// The whole file text, for snippets.
    pub file_text: &'a str,
    /// How many lines of the file come before the YAML text.
    pub line_offset: usize,
}

impl Origin<'_> {
    /// A diagnostic at a YAML-relative position, translated to the file.
    pub fn error_at(&self, line: usize, column: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file, message).at(self.file_text, line + self.line_offset, column)
    }

    /// A diagnostic at a spanned value, underlining `width` characters.
    pub fn error_on<T>(
        &self,
        s: &Spanned<T>,
        width: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.error_at(s.line, s.column, message).width(width)
    }
}

/// Parsing limits: small enough that no front matter can hang the build or exhaust memory.
fn options() -> Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 64,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_events: 200_000,
            max_nodes: 100_000,
            max_recorded_anchor_events: 20_000,
        },
    }
}

/// Parses `text` into `T`, turning any failure into a located diagnostic.
pub fn parse<T: DeserializeOwned>(text: &str, origin: Origin) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options(text, options()).map_err(|err| {
        let message = UserMessageFormatter.format_message(&err).into_owned();
        let (line, column) = err
            .location()
            .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
        if let Some((message, hint, kind)) = budget_message(&message) {
            return origin
                .error_at(line.max(1), column.max(1), message)
                .hint(hint)
                .kind(kind);
        }
        let hint = hint_for(&message);
        let d = origin.error_at(line.max(1), column.max(1), message);
        match hint {
            Some(h) => d.hint(h),
            None => d,
        }
    })
}

/// Says in the user's terms which parsing limit a text breached (the parser's own message
/// names internal counters).
fn budget_message(message: &str) -> Option<(String, String, &'static str)> {
    let detail = message.split_once("limits breached: ")?.1.trim();
    if detail.starts_with("Depth") {
        return Some((
            "YAML is nested more than 64 levels deep".into(),
            "flatten the structure; front matter may be nested at most 64 levels deep".into(),
            "YAML nested too deep",
        ));
    }
    Some((
        format!("YAML is too large or expands too many aliases (limit reached: {detail})"),
        "YAML anchors and aliases (&name, *name) are limited so that no file can exhaust memory; write the values out".into(),
        "YAML over its size budget",
    ))
}

fn hint_for(message: &str) -> Option<&'static str> {
    let m = message.to_ascii_lowercase();
    // "aliases" is also an actor field, named in unknown-field messages.
    if m.contains("budget") || (m.contains("alias") && !m.contains("unknown field")) {
        Some("YAML anchors and aliases are limited so that no file can exhaust memory; write the values out")
    } else if m.contains("duplicate") {
        Some("each key may appear once; remove one of them")
    } else if m.contains("depth") || m.contains("nest") {
        Some("front matter may be nested at most 64 levels deep")
    } else {
        None
    }
}

/// The top-level keys of a YAML mapping, with positions, in the order written.
///
/// Used before the strict parse so that unknown keys can be reported with a "did you mean".
pub fn top_level_keys(text: &str, origin: Origin) -> Result<Vec<Spanned<String>>, Diagnostic> {
    struct Keys(Vec<Spanned<String>>);
    impl<'de> Deserialize<'de> for Keys {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Keys;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a mapping of fields")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                    let mut keys = Vec::new();
                    while let Some(k) = map.next_key::<Spanned<String>>()? {
                        map.next_value::<IgnoredAny>()?;
                        keys.push(k);
                    }
                    Ok(Keys(keys))
                }
            }
            d.deserialize_map(V)
        }
    }
    parse::<Keys>(text, origin).map(|k| k.0)
}

/// Reports every key not in `known`, each with the closest known name as a hint.
pub fn unknown_keys(
    keys: &[Spanned<String>],
    known: &[&str],
    what: &str,
    origin: Origin,
) -> Vec<Diagnostic> {
    keys.iter()
        .filter(|k| !known.contains(&k.value.as_str()))
        .map(|k| {
            let d = origin
                .error_on(
                    k,
                    k.value.chars().count(),
                    format!("unknown {what} `{}`", k.value),
                )
                .kind(match what {
                    "field" => "unknown field",
                    "key" => "unknown key",
                    _ => "unknown name",
                });
            match crate::suggest::closest(&k.value, known.iter().copied()) {
                Some(best) => d.hint(format!("did you mean `{best}`?")),
                None => d.hint(format!("known {what}s: {}", known.join(", "))),
            }
        })
        .collect()
}
