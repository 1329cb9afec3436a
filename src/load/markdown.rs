//! Markdown to HTML: CommonMark plus the extensions analysts use, with raw HTML policed.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};
use serde::Deserialize;

use super::slug::slugify;

/// What to do with HTML written inside Markdown (`raw_html` in `site.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Keep harmless markup, drop scripts, event handlers and `javascript:` URLs.
    #[default]
    Sanitize,
    /// Show it as text.
    Escape,
    /// Pass it through untouched.
    Trusted,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML, safe to embed as-is.
    pub html: String,
    /// The plain text of the first paragraph (the fallback summary).
    pub first_paragraph: String,
    /// The ids given to headings, for `#anchor` links.
    pub anchors: Vec<String>,
    /// All the text, for search.
    pub plain_text: String,
    /// Links to other briefings by file path, in order; `html` holds [`placeholder`]`(i)` for
    /// link `i`, to be replaced by the target's URL once `model` knows every briefing.
    pub links: Vec<Link>,
}

/// A Markdown link to another briefing's file, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The file path part of the destination (`../russia/2025-02-riyadh.md`), percent-decoded.
    pub path: String,
    /// The `#heading` part, without the `#`, if any.
    pub anchor: Option<String>,
    /// Byte range of the whole link in the body.
    pub range: Range<usize>,
}

/// Splits a link destination into (file path, anchor) when it names a Markdown file by a
/// relative or content-root path; `None` for URLs, in-page anchors and other files.
pub fn briefing_link(dest: &str) -> Option<(String, Option<String>)> {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
        return None;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, (!a.is_empty()).then(|| percent_decode(a))),
        None => (dest, None),
    };
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let path = percent_decode(path);
    let ext = path.len().checked_sub(3).and_then(|i| path.get(i..));
    if path.len() < 4 || !ext.is_some_and(|e| e.eq_ignore_ascii_case(".md")) {
        return None;
    }
    Some((path, anchor))
}

fn has_scheme(dest: &str) -> bool {
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// The marker that stands for link `i` in rendered HTML until `model` resolves it.
///
/// It carries a per-process random part, so text written in a briefing cannot imitate it.
pub fn placeholder(i: usize) -> String {
    format!("{}{i}.", placeholder_prefix())
}

fn placeholder_prefix() -> &'static str {
    static PREFIX: OnceLock<String> = OnceLock::new();
    PREFIX.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(std::process::id() as u64);
        format!("#brief-link-{:016x}-", h.finish())
    })
}

/// Replaces every link placeholder in `html` by its URL (`urls[i]` for link `i`), escaped
/// for an HTML attribute. Placeholders without a URL become `#`.
pub fn substitute(html: &str, urls: &[String]) -> String {
    let prefix = placeholder_prefix();
    let mut out = String::with_capacity(html.len() + urls.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(pos) = rest.find(prefix) {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + prefix.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let url = after[..digits]
            .parse::<usize>()
            .ok()
            .filter(|_| after[digits..].starts_with('.'))
            .and_then(|i| urls.get(i));
        match url {
            Some(u) => {
                escape_attr(&mut out, u);
                rest = &after[digits + 1..];
            }
            None => {
                out.push_str(&rest[pos..pos + prefix.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn escape_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a Markdown body under the given raw-HTML policy.
pub fn render(body: &str, raw: RawHtml) -> Rendered {
    let (mut events, ranges): (Vec<Event>, Vec<Range<usize>>) =
        Parser::new_ext(body, options()).into_offset_iter().unzip();
    let mut out = Rendered::default();
    let mut has_raw_html = false;
    let mut used = HashSet::new();

    // Heading anchors: give every heading an id taken from its text, unique in the document.
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id, .. }) = &events[i] {
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = explicit.unwrap_or_else(|| {
                let s = slugify(&text);
                if s.is_empty() {
                    "section".into()
                } else {
                    s
                }
            });
            let mut anchor = base.clone();
            let mut n = 1;
            while !used.insert(anchor.clone()) {
                anchor = format!("{base}-{n}");
                n += 1;
            }
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(anchor.clone()));
            }
            out.anchors.push(anchor);
            i = j;
        }
        i += 1;
    }

    let mut in_first_para = 0u8; // 0 = not yet, 1 = inside, 2 = done
    for (ev, range) in events.iter_mut().zip(&ranges) {
        match ev {
            Event::Start(Tag::Link { dest_url, .. }) if briefing_link(dest_url).is_some() => {
                let (path, anchor) = briefing_link(dest_url).unwrap_or_default();
                *dest_url = CowStr::from(placeholder(out.links.len()));
                out.links.push(Link {
                    path,
                    anchor,
                    range: range.clone(),
                });
            }
            Event::Start(Tag::Paragraph) if in_first_para == 0 => in_first_para = 1,
            Event::End(TagEnd::Paragraph) if in_first_para == 1 => in_first_para = 2,
            Event::Text(t) | Event::Code(t) => {
                if in_first_para == 1 {
                    out.first_paragraph.push_str(t);
                }
                out.plain_text.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => {
                if in_first_para == 1 {
                    out.first_paragraph.push(' ');
                }
                out.plain_text.push(' ');
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                out.plain_text.push('\n');
            }
            Event::Html(h) | Event::InlineHtml(h) => match raw {
                RawHtml::Escape => *ev = Event::Text(h.clone()),
                RawHtml::Sanitize => has_raw_html = true,
                RawHtml::Trusted => {}
            },
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if raw != RawHtml::Trusted && is_dangerous_url(dest_url) =>
            {
                *dest_url = CowStr::Borrowed("#");
            }
            _ => {}
        }
    }
    // Task-list boxes get an accessible name: "Done", checked or not.
    for ev in events.iter_mut() {
        if let Event::TaskListMarker(done) = ev {
            *ev = Event::InlineHtml(CowStr::Borrowed(if *done {
                "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
            } else {
                "<input type=\"checkbox\" disabled aria-label=\"Done\"> "
            }));
        }
    }
    html::push_html(&mut out.html, events.into_iter());
    if has_raw_html {
        out.html = sanitizer().clean(&out.html).to_string();
    }
    out.first_paragraph = out.first_paragraph.trim().to_string();
    out
}

/// `javascript:`, `vbscript:` and `data:` (other than images) URLs never reach the page.
fn is_dangerous_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned.starts_with("javascript:")
        || cleaned.starts_with("vbscript:")
        || cleaned.starts_with("data:text")
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags([
            "details",
            "summary",
            "input",
            "figure",
            "figcaption",
            "mark",
            "kbd",
            "abbr",
        ])
        .add_generic_attributes(["id", "class", "title", "lang"])
        .add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .link_rel(Some("noopener noreferrer"));
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_are_on() {
        let r = render(
            "# Hello\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"quoted\"\n\n- [x] done\n\nNote[^1]\n\n[^1]: foot\n",
            RawHtml::Sanitize,
        );
        assert!(r.html.contains("<h1 id=\"hello\">"), "{}", r.html);
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("“quoted”"));
        assert!(r
            .html
            .contains("type=\"checkbox\" disabled checked aria-label=\"Done\""));
        assert!(r.html.contains("footnote"));
        assert_eq!(r.anchors, vec!["hello"]);
    }

    #[test]
    fn sanitize_removes_scripts_and_keeps_harmless_markup() {
        let r = render(
            "Hi <sup>2</sup> <abbr title=\"x\">X</abbr>\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1))\n",
            RawHtml::Sanitize,
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onerror"), "{}", r.html);
        assert!(!r.html.contains("javascript:"), "{}", r.html);
        assert!(r.html.contains("<sup>2</sup>"), "{}", r.html);
        assert!(r.html.contains("<abbr"), "{}", r.html);
    }

    #[test]
    fn escape_and_trusted_modes() {
        assert!(render("<b>x</b>", RawHtml::Escape)
            .html
            .contains("&lt;b&gt;"));
        assert!(render("<b onclick=\"y\">x</b>", RawHtml::Trusted)
            .html
            .contains("onclick"));
    }

    #[test]
    fn first_paragraph_and_duplicate_anchors() {
        let r = render(
            "## A\n\nFirst *para*\nline.\n\n## A\n\nSecond.",
            RawHtml::Sanitize,
        );
        assert_eq!(r.first_paragraph, "First para line.");
        assert_eq!(r.anchors, vec!["a", "a-1"]);
    }

    #[test]
    fn briefing_links_are_md_paths_without_a_scheme() {
        let l = |d: &str| briefing_link(d);
        assert_eq!(l("../russia/a.md"), Some(("../russia/a.md".into(), None)));
        assert_eq!(
            l("/russia/a.md#who-was-there"),
            Some(("/russia/a.md".into(), Some("who-was-there".into())))
        );
        assert_eq!(l("my%20file.MD#"), Some(("my file.MD".into(), None)));
        for not in [
            "https://x.org/a.md",
            "//x.org/a.md",
            "mailto:a.md",
            "#a.md",
            "a.html",
            ".md",
            "",
        ] {
            assert_eq!(l(not), None, "{not}");
        }
    }

    #[test]
    fn links_are_recorded_and_left_as_placeholders() {
        let r = render(
            "See [a](../x/a.md#h) and [web](https://e.org/).\n",
            RawHtml::Sanitize,
        );
        assert_eq!(r.links.len(), 1);
        assert_eq!(r.links[0].range, 4..20);
        assert!(r.html.contains(&placeholder(0)), "{}", r.html);
        let out = substitute(&r.html, &["/briefings/a/#h".into()]);
        assert!(out.contains(r#"<a href="/briefings/a/#h">a</a>"#), "{out}");
    }
}
