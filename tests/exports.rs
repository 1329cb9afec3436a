//! Data exports: `briefings.json`, `timeline.json` (TimelineJS), `calendar.ics` (parsed by an
//! iCalendar parser and checked line by line) and `sitemap.xml`.

mod common;
use common::Site;
use serde_json::Value;

fn site() -> Site {
    let s = Site::new();
    s.write(
        "site.yaml",
        "title: Export test\ndescription: Data.\nbase_url: https://example.org/briefs/\nthemes:\n  - title: Alpha\n  - title: Beta\nactors:\n  - name: Ann Actor\n    aliases: [Ann]\n",
    );
    s.briefing(
        "day.md",
        "title: A day\ndate: 2025-03-24\nend_date: 2025-03-26\ntopic: [Alpha, Beta]\nactors: [Ann]\ntags: [Ore]\nsummary: The summary.\nsources:\n  - https://example.com/a\n  - url: https://example.com/b\n    title: B\nlocation: Riyadh\nstatus: developing\nconfidence: high\nextra:\n  score: 3\n",
        "Body.\n",
    );
    s.briefing("month.md", "title: A month\ndate: 2025-04\ntopic: Beta\nstatus: expected\nlocation: Saudi Arabia, Riyadh; maybe Jeddah\n", "Expected.\n");
    s.briefing(
        "year.md",
        "title: A year\ndate: 2026\ntopic: Alpha\nstatus: expected\n",
        "Next year.\n",
    );
    s.briefing("moment.md", "title: A moment\ndate: 2025-05-02T09:30:00+03:00\nend_date: 2025-05-02T11:00:00+03:00\ntopic: Alpha\nstatus: expected\n", "Meeting.\n");
    s.briefing("expected-day.md", "title: Expected day\ndate: 2025-06-10\ntopic: Alpha\nstatus: expected\nsummary: \"A line, with; punctuation\"\n", "Soon.\n");
    s.briefing(
        "draft.md",
        "title: A draft\ndate: 2025-03-01\ntopic: Alpha\ndraft: true\n",
        "Hidden.\n",
    );
    s.build();
    s
}

fn json(s: &Site, path: &str) -> Value {
    serde_json::from_str(&s.page(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn briefings_json_has_every_field_resolved() {
    let s = site();
    let v = json(&s, "briefings.json");
    assert_eq!(v["title"], "Export test");
    let list = v["briefings"].as_array().unwrap();
    let slugs: Vec<&str> = list.iter().map(|b| b["slug"].as_str().unwrap()).collect();
    assert_eq!(
        slugs,
        ["year", "expected-day", "moment", "month", "day"],
        "newest first, no drafts"
    );
    let day = &list[4];
    assert_eq!(day["url"], "https://example.org/briefs/briefings/day/");
    assert_eq!(day["date"]["iso"], "2025-03-24");
    assert_eq!(day["date"]["precision"], "day");
    assert_eq!(day["date"]["display"], "24 March 2025");
    assert_eq!(day["end_date"]["iso"], "2025-03-26");
    assert_eq!(day["themes"][0]["slug"], "alpha");
    assert_eq!(
        day["themes"][1]["url"],
        "https://example.org/briefs/themes/beta/"
    );
    assert_eq!(
        day["actors"][0]["name"], "Ann Actor",
        "the alias resolves to the actor"
    );
    assert_eq!(
        day["actors"][0]["url"],
        "https://example.org/briefs/actors/ann-actor/"
    );
    assert_eq!(day["tags"][0]["slug"], "ore");
    assert_eq!(day["summary"], "The summary.");
    assert_eq!(day["sources"][0]["url"], "https://example.com/a");
    assert_eq!(day["sources"][1]["title"], "B");
    assert_eq!(day["location"], "Riyadh");
    assert_eq!(day["status"], "developing");
    assert_eq!(day["confidence"], "high");
    assert_eq!(day["extra"]["score"], 3);
    assert_eq!(day["draft"], false);
    assert_eq!(list[3]["date"]["precision"], "month");
    assert_eq!(list[0]["date"]["precision"], "year");
}

#[test]
fn timeline_json_is_timelinejs_with_precision_kept() {
    let s = site();
    let v = json(&s, "timeline.json");
    assert_eq!(v["title"]["text"]["headline"], "Export test");
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 5);
    let by_id = |id: &str| {
        events
            .iter()
            .find(|e| e["unique_id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let ids: std::collections::HashSet<&str> = events
        .iter()
        .map(|e| e["unique_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), events.len(), "unique ids");

    let day = by_id("day");
    assert_eq!(
        day["start_date"],
        serde_json::json!({"year": 2025, "month": 3, "day": 24})
    );
    assert_eq!(
        day["end_date"],
        serde_json::json!({"year": 2025, "month": 3, "day": 26})
    );
    assert_eq!(day["display_date"], "24 March 2025 – 26 March 2025");
    assert_eq!(day["text"]["headline"], "A day");
    let text = day["text"]["text"].as_str().unwrap();
    assert!(
        text.contains("<p>The summary.</p>")
            && text.contains("href=\"https://example.org/briefs/briefings/day/\""),
        "{text}"
    );
    assert_eq!(day["group"], "Alpha", "the primary theme");

    assert_eq!(
        by_id("month")["start_date"],
        serde_json::json!({"year": 2025, "month": 4})
    );
    assert_eq!(by_id("month")["display_date"], "April 2025");
    assert!(by_id("month").get("end_date").is_none());
    assert_eq!(by_id("month")["group"], "Beta");
    assert_eq!(
        by_id("year")["start_date"],
        serde_json::json!({"year": 2026})
    );
    // A moment keeps the wall-clock time it was written in.
    assert_eq!(
        by_id("moment")["start_date"],
        serde_json::json!({"year": 2025, "month": 5, "day": 2, "hour": 9, "minute": 30})
    );
    assert_eq!(by_id("moment")["end_date"]["hour"], 11);
    // Oldest first.
    assert_eq!(events[0]["unique_id"], "day");
}

/// RFC 5545 TEXT unescaping, for raw content lines.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Checks the framing (CRLF, 75-octet lines) and returns the unfolded content lines.
fn ics_lines(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"));
    for raw in ics.split("\r\n") {
        assert!(raw.len() <= 75, "line of {} octets: {raw:?}", raw.len());
        assert!(
            !raw.contains('\n') && !raw.contains('\r'),
            "bare line break in {raw:?}"
        );
    }
    ics.trim_end_matches("\r\n")
        .replace("\r\n ", "")
        .split("\r\n")
        .map(str::to_string)
        .collect()
}

#[test]
fn calendar_has_the_expected_briefings_as_events() {
    let s = site();
    let ics = s.page("calendar.ics");
    let lines = ics_lines(&ics);
    assert_eq!(lines.first().unwrap(), "BEGIN:VCALENDAR");
    assert_eq!(lines.last().unwrap(), "END:VCALENDAR");
    assert!(lines.contains(&"VERSION:2.0".to_string()));
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")));

    let unfolded = icalendar::parser::unfold(&ics);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("parses as iCalendar");
    assert!(cal
        .properties
        .iter()
        .any(|p| p.name.as_str() == "VERSION" && p.val.as_str() == "2.0"));
    let events: Vec<_> = cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    assert_eq!(events.len(), 4, "expected briefings only");
    fn prop<'a>(
        e: &icalendar::parser::Component<'a>,
        name: &str,
    ) -> icalendar::parser::Property<'a> {
        e.properties
            .iter()
            .find(|p| p.name.as_str() == name)
            .unwrap_or_else(|| panic!("{name} missing"))
            .clone()
    }
    let uids: Vec<String> = events
        .iter()
        .map(|e| prop(e, "UID").val.as_str().to_string())
        .collect();
    assert_eq!(
        uids,
        [
            "month@example.org",
            "moment@example.org",
            "expected-day@example.org",
            "year@example.org"
        ]
    );
    for e in &events {
        for required in ["DTSTAMP", "DTSTART", "SUMMARY", "URL"] {
            prop(e, required);
        }
    }
    let value_date = |p: &icalendar::parser::Property| {
        p.params.iter().any(|x| {
            x.key.as_str() == "VALUE" && x.val.as_ref().map(|v| v.as_str()) == Some("DATE")
        })
    };

    // A month is an all-day event spanning the month (DTEND is exclusive).
    let month = events[0];
    assert!(value_date(&prop(month, "DTSTART")));
    assert_eq!(prop(month, "DTSTART").val.as_str(), "20250401");
    assert_eq!(prop(month, "DTEND").val.as_str(), "20250501");
    // The parser unescapes TEXT values; the raw line shows the escapes.
    assert_eq!(
        prop(month, "LOCATION").val.as_str(),
        "Saudi Arabia, Riyadh; maybe Jeddah"
    );
    assert!(lines.contains(&"LOCATION:Saudi Arabia\\, Riyadh\\; maybe Jeddah".to_string()));
    assert_eq!(prop(month, "SUMMARY").val.as_str(), "A month");
    assert_eq!(
        prop(month, "URL").val.as_str(),
        "https://example.org/briefs/briefings/month/"
    );

    // A moment is a timed event in UTC.
    let moment = events[1];
    assert_eq!(prop(moment, "DTSTART").val.as_str(), "20250502T063000Z");
    assert_eq!(prop(moment, "DTEND").val.as_str(), "20250502T080000Z");

    // A day is an all-day event of one day.
    let day = events[2];
    assert_eq!(prop(day, "DTSTART").val.as_str(), "20250610");
    assert_eq!(prop(day, "DTEND").val.as_str(), "20250611");
    let raw = lines
        .iter()
        .find(|l| l.starts_with("DESCRIPTION:A line"))
        .unwrap();
    assert_eq!(
        unescape(&raw["DESCRIPTION:".len()..]),
        "A line, with; punctuation\n\nhttps://example.org/briefs/briefings/expected-day/"
    );

    // A year spans the year.
    assert_eq!(prop(events[3], "DTSTART").val.as_str(), "20260101");
    assert_eq!(prop(events[3], "DTEND").val.as_str(), "20270101");
    // DTSTAMP is derived from the event, so rebuilds give the same file.
    assert_eq!(prop(day, "DTSTAMP").val.as_str(), "20250610T000000Z");
}

#[test]
fn sitemap_lists_every_page_with_absolute_urls() {
    let s = site();
    let xml = s.page("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let locs: Vec<&str> = root
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .map(|n| n.text().unwrap())
        .collect();
    for loc in &locs {
        assert!(
            loc.starts_with("https://example.org/briefs/") && loc.ends_with('/'),
            "{loc}"
        );
    }
    for page in [
        "",
        "briefings/day/",
        "themes/alpha/",
        "themes/",
        "actors/ann-actor/",
        "tags/ore/",
        "digests/",
        "digests/2025-w13/",
        "digests/2025-03/",
        "search/",
    ] {
        let url = format!("https://example.org/briefs/{page}");
        assert!(locs.contains(&url.as_str()), "{url} missing");
    }
    assert!(
        !xml.contains("404") && !xml.contains("email.html") && !xml.contains("briefings/draft/")
    );
    // The not-found page is still there.
    assert!(s.exists("404.html"));
}
