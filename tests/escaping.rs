//! A hostile title (and actor and theme names) comes out inert and intact in every format:
//! HTML pages, the e-mail page, Atom and sitemap XML, the JSON exports and the calendar.

mod common;
use common::Site;

const TITLE: &str = r#"<script>alert(1)</script> & "quotes", semi; back\slash"#;
const TITLE_HTML: &str =
    "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;, semi; back\\slash";
const ACTOR: &str = "<img src=x onerror=alert(2)>";
const THEME: &str = "Ops & <b>\"Theme\"</b>";

fn site() -> Site {
    let s = Site::new();
    let yaml = |v: &str| format!("'{}'", v.replace('\'', "''"));
    s.briefing(
        "hostile.md",
        &format!(
            "title: {}\ndate: 2025-03-24\ntopic: {}\nactors: [{}, Other Actor]\nsummary: {}\nstatus: expected\nlocation: {}\n",
            yaml(TITLE),
            yaml(THEME),
            yaml(ACTOR),
            yaml(TITLE),
            yaml(TITLE)
        ),
        "Body <script>alert(3)</script> text.\n",
    );
    s.briefing(
        "other.md",
        &format!(
            "title: Neighbour\ndate: 2025-03-25\ntopic: {}\nactors: [{}]\n",
            yaml(THEME),
            yaml(ACTOR)
        ),
        "Body.\n",
    );
    s.build();
    s
}

fn assert_no_live_markup(path: &str, text: &str) {
    for bad in [
        "<script>alert",
        "<img src=x",
        "<b>\"Theme",
        "onerror=alert(2)>",
    ] {
        assert!(!text.contains(bad), "{path} contains {bad:?} unescaped");
    }
}

#[test]
fn html_pages_escape_titles_and_names() {
    let s = site();
    for path in [
        "index.html",
        "briefings/hostile/index.html",
        "briefings/other/index.html",
        "themes/index.html",
        "themes/ops-b-theme-b/index.html",
        "actors/img-src-x-onerror-alert-2/index.html",
        "actors/other-actor/index.html",
        "digests/2025-w13/index.html",
        "digests/2025-w13/email.html",
        "digests/2025-03/index.html",
        "digests/index.html",
    ] {
        let page = s.page(path);
        assert_no_live_markup(path, &page);
        assert!(
            !page.contains("alert(3)</script>"),
            "{path}: body script survived"
        );
    }
    let briefing = s.page("briefings/hostile/index.html");
    assert!(
        briefing.contains(&format!("<h1 class=\"page-title\">{TITLE_HTML}</h1>")),
        "{briefing}"
    );
    // In attributes too: the theme's visual timeline labels each mark with the title.
    let theme = s.page("themes/ops-b-theme-b/index.html");
    assert!(
        theme.contains(&format!(
            "aria-label=\"{TITLE_HTML} — 24 March 2025 (expected)\""
        )),
        "{theme}"
    );
    let neighbour = s.page("briefings/other/index.html");
    assert!(
        neighbour.contains(TITLE_HTML),
        "related or previous link shows the escaped title"
    );
    assert!(
        s.page("actors/other-actor/index.html")
            .contains("&lt;img src=x onerror=alert(2)&gt;"),
        "co-actor"
    );
}

#[test]
fn xml_outputs_stay_well_formed_and_round_trip() {
    let s = site();
    for path in [
        "atom.xml",
        "themes/ops-b-theme-b/atom.xml",
        "actors/img-src-x-onerror-alert-2/atom.xml",
        "sitemap.xml",
    ] {
        let xml = s.page(path);
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_no_live_markup(path, &xml);
    }
    let feed = feed_rs::parser::parse(s.page("atom.xml").as_bytes()).unwrap();
    let entry = feed
        .entries
        .iter()
        .find(|e| e.id.ends_with("/briefings/hostile/"))
        .unwrap();
    assert_eq!(entry.title.as_ref().unwrap().content, TITLE);
    assert_eq!(entry.summary.as_ref().unwrap().content, TITLE);
    assert_eq!(entry.categories[0].label.as_deref(), Some(THEME));
    let theme_feed =
        feed_rs::parser::parse(s.page("themes/ops-b-theme-b/atom.xml").as_bytes()).unwrap();
    assert_eq!(
        theme_feed.title.unwrap().content,
        format!("{THEME} · Test briefings")
    );
}

#[test]
fn json_outputs_round_trip_and_stay_inert() {
    let s = site();
    for path in ["briefings.json", "timeline.json", "search-index.json"] {
        let raw = s.page(path);
        assert!(
            !raw.contains('<') && !raw.contains('>'),
            "{path}: angle brackets are escaped as \\u003c"
        );
        serde_json::from_str::<serde_json::Value>(&raw).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let data: serde_json::Value = serde_json::from_str(&s.page("briefings.json")).unwrap();
    let b = data["briefings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["slug"] == "hostile")
        .unwrap();
    assert_eq!(b["title"], TITLE);
    assert_eq!(b["themes"][0]["name"], THEME);
    assert_eq!(b["actors"][0]["name"], ACTOR);

    // TimelineJS reads its text fields as HTML, so they carry the HTML-escaped text.
    let tl: serde_json::Value = serde_json::from_str(&s.page("timeline.json")).unwrap();
    let e = tl["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["unique_id"] == "hostile")
        .unwrap();
    assert_eq!(e["text"]["headline"], TITLE_HTML);
    assert_eq!(e["group"], "Ops &amp; &lt;b&gt;&quot;Theme&quot;&lt;/b&gt;");

    let index: serde_json::Value = serde_json::from_str(&s.page("search-index.json")).unwrap();
    let doc = index["docs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d[0] == "hostile")
        .unwrap();
    assert_eq!(doc[1], TITLE);
}

#[test]
fn calendar_escapes_text_values() {
    let s = site();
    let ics = s.page("calendar.ics");
    let summary = ics.replace("\r\n ", "");
    let summary = summary
        .lines()
        .find(|l| l.starts_with("SUMMARY:"))
        .unwrap()
        .trim_end_matches('\r');
    assert_eq!(
        summary,
        r#"SUMMARY:<script>alert(1)</script> & "quotes"\, semi\; back\\slash"#
    );
    let unfolded = icalendar::parser::unfold(&ics);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("parses");
    let event = cal
        .components
        .iter()
        .find(|c| c.name.as_str() == "VEVENT")
        .unwrap();
    let categories = event
        .properties
        .iter()
        .find(|p| p.name.as_str() == "CATEGORIES")
        .unwrap();
    assert_eq!(categories.val.as_str(), THEME);
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75);
    }
}
