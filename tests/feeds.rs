//! Atom feeds, read back by a real feed parser and checked as XML against RFC 4287's required
//! elements; links to them in page heads; byte-identical rebuilds.

mod common;
use common::Site;

fn site() -> Site {
    let s = Site::new();
    s.write(
        "site.yaml",
        "title: Feed test\ndescription: All the briefings.\nbase_url: https://example.org/\nthemes:\n  - title: Alpha\n    description: The alpha story.\n  - title: Beta\nactors:\n  - name: Ann Actor\n",
    );
    for day in 1..=28 {
        let topic = if day % 2 == 0 { "Alpha" } else { "Beta" };
        let actors = if day % 7 == 0 {
            "actors: [Ann Actor]\n"
        } else {
            ""
        };
        s.briefing(
            &format!("d{day:02}.md"),
            &format!("title: Day {day:02}\ndate: 2025-03-{day:02}\ntopic: {topic}\n{actors}summary: Summary {day}.\n"),
            &format!("Body of *day {day}*.\n"),
        );
    }
    for month in 4..=12 {
        s.briefing(
            &format!("m{month:02}.md"),
            &format!("title: Month {month:02}\ndate: 2024-{month:02}\ntopic: Alpha\n"),
            "Older.\n",
        );
    }
    s.briefing(
        "moment.md",
        "title: A moment\ndate: 2025-03-28T09:30:00+03:00\ntopic: Beta\n",
        "At a time.\n",
    );
    s.build();
    s
}

fn parse(xml: &str) -> feed_rs::model::Feed {
    // Well-formed, with the elements RFC 4287 requires of a feed and of each entry.
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let child = |n: roxmltree::Node, name: &str| {
        n.children().filter(|c| c.tag_name().name() == name).count()
    };
    for name in ["id", "title", "updated", "author"] {
        assert_eq!(child(root, name), 1, "feed needs one <{name}>");
    }
    for entry in root.children().filter(|c| c.tag_name().name() == "entry") {
        for name in ["id", "title", "updated", "summary", "content"] {
            assert_eq!(child(entry, name), 1, "entry needs one <{name}>");
        }
    }
    feed_rs::parser::parse(xml.as_bytes()).expect("a valid Atom feed")
}

#[test]
fn site_feed_is_newest_first_with_stable_ids_and_full_content() {
    let s = site();
    let feed = parse(&s.page("atom.xml"));
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(feed.title.as_ref().unwrap().content, "Feed test");
    assert_eq!(feed.id, "https://example.org/");
    assert_eq!(
        feed.entries.len(),
        38,
        "every briefing while there are fewer than 50"
    );
    let first = &feed.entries[0];
    assert_eq!(first.title.as_ref().unwrap().content, "A moment");
    assert_eq!(first.id, "https://example.org/briefings/moment/");
    assert_eq!(first.links[0].href, "https://example.org/briefings/moment/");
    assert_eq!(
        first.updated.unwrap().to_rfc3339(),
        "2025-03-28T06:30:00+00:00"
    );
    // The feed's `updated` is its newest entry's, not the build time.
    assert_eq!(feed.updated, first.updated);
    let day = &feed.entries[1];
    assert_eq!(day.title.as_ref().unwrap().content, "Day 28");
    assert_eq!(day.summary.as_ref().unwrap().content, "Summary 28.");
    assert!(day
        .content
        .as_ref()
        .unwrap()
        .body
        .as_ref()
        .unwrap()
        .contains("<em>day 28</em>"));
    assert_eq!(day.categories[0].term, "alpha");
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap().content)
        .collect();
    assert_eq!(titles.last().unwrap(), "Month 04");
}

#[test]
fn theme_and_actor_feeds_hold_their_own_briefings() {
    let s = site();
    let alpha = parse(&s.page("themes/alpha/atom.xml"));
    assert_eq!(alpha.title.as_ref().unwrap().content, "Alpha · Feed test");
    assert_eq!(
        alpha.description.as_ref().unwrap().content,
        "The alpha story."
    );
    assert_eq!(alpha.id, "https://example.org/themes/alpha/");
    // The theme has 14 + 9 briefings; a theme's feed keeps the newest 20.
    assert_eq!(
        alpha.entries.len(),
        brief::render::feeds::TOPIC_FEED_ENTRIES
    );
    // Newest first, although the theme page itself tells the story oldest first.
    assert_eq!(alpha.entries[0].title.as_ref().unwrap().content, "Day 28");
    let alpha_titles: Vec<String> = alpha
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap().content)
        .collect();
    assert!(
        !alpha_titles.contains(&"Month 04".to_string()),
        "the oldest briefings fall out of the feed"
    );

    let ann = parse(&s.page("actors/ann-actor/atom.xml"));
    let titles: Vec<String> = ann
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap().content)
        .collect();
    assert_eq!(titles, ["Day 28", "Day 21", "Day 14", "Day 07"]);
}

#[test]
fn feeds_keep_the_newest_fifty() {
    let s = Site::new();
    for i in 0..55 {
        s.briefing(
            &format!("b{i}.md"),
            &common::fm(&format!("B{i:02}"), &format!("2024-01-{:02}", 1 + i % 28)),
            "x\n",
        );
    }
    s.build();
    assert_eq!(parse(&s.page("atom.xml")).entries.len(), 50);
}

#[test]
fn pages_link_their_feeds_in_the_head() {
    let s = site();
    let head = |p: &str| {
        let page = s.page(p);
        page[..page.find("</head>").unwrap()].to_string()
    };
    let link = |href: &str| {
        format!("rel=\"alternate\" type=\"application/atom+xml\" title=\"{{}}\" href=\"{href}\"")
    };
    let home = head("index.html");
    assert!(
        home.contains(&link("/atom.xml").replace("{}", "Feed test")),
        "{home}"
    );
    let theme = head("themes/alpha/index.html");
    assert!(
        theme.contains(&link("/themes/alpha/atom.xml").replace("{}", "Alpha · Feed test")),
        "{theme}"
    );
    let actor = head("actors/ann-actor/index.html");
    assert!(
        actor.contains(&link("/actors/ann-actor/atom.xml").replace("{}", "Ann Actor · Feed test")),
        "{actor}"
    );
}

#[test]
fn rebuilds_are_byte_identical() {
    let s = site();
    let first = common::snapshot(&s.root().join("public"));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    s.build();
    let second = common::snapshot(&s.root().join("public"));
    assert_eq!(first.len(), second.len());
    for ((p, a), (_, b)) in first.iter().zip(&second) {
        assert!(a == b, "{} differs between builds", p.display());
    }
}
