//! Property tests over the pieces that see raw user input: the front-matter splitter, the
//! date parser, the slug rule and the link rewriter. No input may panic them.

use brief::load::date::{PartialDate, Precision};
use brief::load::front_matter::split;
use brief::load::markdown::{self, briefing_link, placeholder, substitute, RawHtml};
use brief::load::resolve_link_path;
use brief::load::slug::{file_slug, slugify};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        ..ProptestConfig::default()
    }
}

/// Text made mostly of the characters that matter to the splitter.
fn fencey() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("---".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just(" ".to_string()),
            Just("\t".to_string()),
            Just("title: x".to_string()),
            Just("\u{feff}".to_string()),
            "\\PC{0,6}",
        ],
        0..24,
    )
    .prop_map(|v| v.concat())
}

fn is_slug(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn splitter_never_panics_and_splits_exactly(text in fencey()) {
        if let Ok(s) = split(&text) {
            // yaml and body are the file's own text, in order, and body_line counts lines.
            let yaml_at = s.yaml.as_ptr() as usize - text.as_ptr() as usize;
            let body_at = s.body.as_ptr() as usize - text.as_ptr() as usize;
            prop_assert!(text.starts_with("---"));
            prop_assert!(yaml_at + s.yaml.len() <= body_at);
            prop_assert_eq!(&text[body_at..], s.body);
            let fence = &text[yaml_at + s.yaml.len()..body_at];
            prop_assert_eq!(fence.trim_end_matches(['\r', '\n', ' ', '\t']), "---");
            prop_assert_eq!(s.body_line, text[..body_at].matches('\n').count() + 1 + usize::from(!text[..body_at].ends_with('\n')));
        }
    }

    #[test]
    fn splitter_finds_what_was_put_in(
        lines in proptest::collection::vec("[a-z]{1,5}: [ -~&&[^-]]{0,10}", 0..6),
        body in "\\PC{0,40}",
    ) {
        let yaml: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let text = format!("---\n{yaml}---\n{body}");
        let s = split(&text).expect("well-formed file splits");
        prop_assert_eq!(s.yaml, yaml.as_str());
        prop_assert_eq!(s.body, body.as_str());
        prop_assert_eq!(s.body_line, lines.len() + 3);
    }

    #[test]
    fn date_parser_never_panics_and_round_trips(text in "[0-9T:+Z. -]{0,30}|\\PC{0,30}") {
        if let Ok(d) = PartialDate::parse(&text, chrono_tz::Europe::Moscow) {
            let again = PartialDate::parse(&d.iso(), chrono_tz::UTC);
            prop_assert_eq!(again, Ok(d), "{} printed as {}", text, d.iso());
            let _ = d.display();
            let _ = d.end_day();
        }
    }

    #[test]
    fn every_valid_date_prints_back_at_its_precision(
        y in 0i32..10000, m in 1u32..13, day in 1u32..29,
        h in 0u32..24, min in 0u32..60, s in 0u32..60,
        off in -14i32 * 60..=14 * 60,
        which in 0u8..5,
    ) {
        let (text, precision) = match which {
            0 => (format!("{y:04}"), Precision::Year),
            1 => (format!("{y:04}-{m:02}"), Precision::Month),
            2 => (format!("{y:04}-{m:02}-{day:02}"), Precision::Day),
            3 => {
                let sign = if off < 0 { '-' } else { '+' };
                let (oh, om) = (off.abs() / 60, off.abs() % 60);
                (format!("{y:04}-{m:02}-{day:02}T{h:02}:{min:02}:{s:02}{sign}{oh:02}:{om:02}"), Precision::Time)
            }
            _ => (format!("{y:04}-{m:02}-{day:02}T{h:02}:{min:02}"), Precision::Time),
        };
        let d = PartialDate::parse(&text, chrono_tz::UTC).map_err(TestCaseError::fail)?;
        prop_assert_eq!(d.precision, precision);
        if precision != Precision::Time {
            prop_assert_eq!(d.iso(), text.clone());
        }
        prop_assert_eq!(PartialDate::parse(&d.iso(), chrono_tz::UTC), Ok(d));
    }

    #[test]
    fn slugs_are_always_clean(name in "\\PC{0,40}") {
        let s = slugify(&name);
        prop_assert!(is_slug(&s), "{:?} → {:?}", name, s);
        prop_assert_eq!(slugify(&s), s.clone(), "not idempotent");
        if name.chars().any(|c| c.is_ascii_alphanumeric()) {
            prop_assert!(!s.is_empty(), "{:?} gave an empty slug", name);
        }
        let f = file_slug(&name);
        prop_assert!(is_slug(&f), "{:?} → {:?}", name, f);
    }

    #[test]
    fn letters_of_latin_cyrillic_and_greek_make_a_slug(name in "[a-zA-ZÀ-ÖØ-öø-žа-щыэюяА-ЩЫЭЮЯёЁα-ωΑ-ΡΣ-Ω0-9][\\PC]{0,10}") {
        prop_assert!(!slugify(&name).is_empty(), "{:?}", name);
    }

    #[test]
    fn link_detection_never_panics(dest in "\\PC{0,40}|[./#a-z%]{0,20}\\.md(#[a-z-]{0,8})?") {
        if let Some((path, anchor)) = briefing_link(&dest) {
            prop_assert!(path.to_ascii_lowercase().ends_with(".md"));
            prop_assert!(!path.contains('#'));
            prop_assert!(anchor.as_deref() != Some(""));
            let _ = resolve_link_path("a/b.md", &path);
        }
    }

    #[test]
    fn resolved_link_paths_stay_inside_content(from in "[a-z/.]{0,12}", written in "[a-z/.\\\\]{0,20}") {
        if let Some(p) = resolve_link_path(&from, &written) {
            prop_assert!(p.split('/').all(|seg| seg != ".." && seg != "."), "{}", p);
            prop_assert!(!p.starts_with('/'));
        }
    }

    #[test]
    fn rewriter_replaces_every_placeholder_and_nothing_else(
        parts in proptest::collection::vec(("[^#]{0,12}", "[a-z0-9/#&\"<>-]{0,16}"), 0..8),
    ) {
        let mut html = String::new();
        let mut expected = String::new();
        let mut urls = Vec::new();
        for (i, (text, url)) in parts.iter().enumerate() {
            html.push_str(text);
            html.push_str(&placeholder(i));
            expected.push_str(text);
            expected.push_str(&url.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;"));
            urls.push(url.clone());
        }
        prop_assert_eq!(substitute(&html, &urls), expected);
        // With no URLs, placeholders stay (they are never silently dropped).
        prop_assert_eq!(substitute(&html, &[]).matches("#brief-link-").count(), parts.len());
    }

    #[test]
    fn markdown_links_are_recorded_and_rewritten(
        targets in proptest::collection::vec("[a-z]{1,6}(/[a-z]{1,6})?\\.md(#[a-z]{1,5})?", 0..6),
        filler in "[a-zA-Z ,.*_]{0,20}",
        raw in prop_oneof![Just(RawHtml::Sanitize), Just(RawHtml::Escape), Just(RawHtml::Trusted)],
    ) {
        let body: String = targets.iter().map(|t| format!("x{filler}[link]({t}) <b>x</b>\n\n")).collect();
        let r = markdown::render(&body, raw);
        prop_assert_eq!(r.links.len(), targets.len());
        for (l, t) in r.links.iter().zip(&targets) {
            let (path, anchor) = briefing_link(t).unwrap();
            prop_assert_eq!(&l.path, &path);
            prop_assert_eq!(&l.anchor, &anchor);
            prop_assert!(body[l.range.clone()].starts_with("[link]("));
        }
        let urls: Vec<String> = (0..targets.len()).map(|i| format!("/briefings/t{i}/")).collect();
        let out = substitute(&r.html, &urls);
        prop_assert!(!out.contains("#brief-link-"), "{}", out);
        for u in &urls {
            let href = format!("href=\"{u}\"");
            prop_assert!(out.contains(&href), "{} not in {}", u, out);
        }
    }

    #[test]
    fn markdown_never_panics(body in "\\PC{0,200}") {
        let r = markdown::render(&body, RawHtml::Sanitize);
        let urls: Vec<String> = r.links.iter().map(|_| "/x/".to_string()).collect();
        prop_assert!(!substitute(&r.html, &urls).contains("#brief-link-"));
    }
}
