//! Markdown to HTML: CommonMark plus the extensions analysts use, with raw HTML policed.

use std::collections::HashSet;

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
    let mut events: Vec<Event> = Parser::new_ext(body, options()).collect();
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
    for ev in events.iter_mut() {
        match ev {
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
    html::push_html(&mut out.html, events.into_iter());
    if has_raw_html {
        out.html = sanitizer().clean(&out.html).to_string();
    }
    out.first_paragraph = out.first_paragraph.trim().to_string();
    // Kept for the whole build: give back what growing by doubling left unused (a third of
    // these strings' memory on the benchmark corpus).
    out.html.shrink_to_fit();
    out.plain_text.shrink_to_fit();
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
        .add_tag_attributes("input", ["type", "checked", "disabled"])
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
        assert!(r.html.contains("type=\"checkbox\""));
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
}
