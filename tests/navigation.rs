//! Navigation aids: related briefings, co-actors, theme chips on the home page, and the theme
//! page's counts per month and visual timeline.

mod common;
use common::Site;

fn site() -> Site {
    let s = Site::new();
    s.write(
        "site.yaml",
        "title: Nav test\nbase_url: https://example.org/\npage_size: 2\nthemes:\n  - title: Alpha\n    color: \"#aa0000\"\n  - title: Beta\nactors:\n  - name: Ann\n  - name: Bob\n  - name: Cid\n",
    );
    let b = |file: &str, title: &str, date: &str, topic: &str, actors: &str, extra: &str| {
        s.briefing(
            file,
            &format!("title: {title}\ndate: {date}\ntopic: {topic}\nactors: [{actors}]\n{extra}"),
            "Body.\n",
        );
    };
    b("a1.md", "Alpha one", "2025-01-10", "Alpha", "Ann, Bob", "");
    b("a2.md", "Alpha two", "2025-01-12", "Alpha", "Ann", "");
    b(
        "a3.md",
        "Alpha three",
        "2025-02-01",
        "Alpha",
        "Bob, Cid",
        "",
    );
    b("b1.md", "Beta one", "2025-01-11", "Beta", "Ann, Bob", "");
    b("b2.md", "Beta two", "2023-06-01", "Beta", "Cid", "");
    b(
        "exp.md",
        "Alpha expected",
        "2025-05",
        "Alpha",
        "Ann",
        "status: expected\n",
    );
    s.build();
    s
}

fn section<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let i = page
        .find(start)
        .unwrap_or_else(|| panic!("{start} not found"));
    let rest = &page[i..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[test]
fn related_briefings_share_actors_or_themes_and_are_near_in_time() {
    let s = site();
    let page = s.page("briefings/b1/index.html");
    let related = section(&page, "class=\"related\"", "</section>");
    let order: Vec<usize> = [
        "/briefings/a1/",
        "/briefings/a2/",
        "/briefings/a3/",
        "/briefings/exp/",
    ]
    .iter()
    .map(|u| {
        related
            .find(&format!("href=\"{u}\""))
            .unwrap_or_else(|| panic!("{u} not related"))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "two shared actors first, then nearer in time: {related}"
    );
    assert!(!related.contains("/briefings/b1/"), "not itself");
    assert!(
        !related.contains("/briefings/b2/"),
        "the previous briefing in the theme is linked already"
    );
    assert!(page.contains("rel=\"prev\" href=\"/briefings/b2/\""));
    assert!(related.contains(">10 January 2025<"), "dates shown");
}

#[test]
fn actor_pages_show_who_they_appear_with() {
    let s = site();
    let bob = s.page("actors/bob/index.html");
    let co = section(&bob, "Appears most often with", "</section>");
    let (ann, cid) = (
        co.find("/actors/ann/").unwrap(),
        co.find("/actors/cid/").unwrap(),
    );
    assert!(ann < cid, "more shared briefings first");
    assert!(
        co.contains("<a href=\"/actors/ann/\">Ann</a> <span class=\"co-count\">2<"),
        "{co}"
    );
    assert!(co.contains("<a href=\"/actors/cid/\">Cid</a> <span class=\"co-count\">1<"));
    assert!(!co.contains("/actors/bob/"));
}

#[test]
fn home_chips_link_to_theme_pages() {
    let s = site();
    let home = s.page("index.html");
    let chips = section(&home, "<nav class=\"chips\"", "</nav>");
    let alpha = chips
        .find("href=\"/themes/alpha/\" data-theme=\"alpha\"")
        .expect("alpha chip");
    let beta = chips
        .find("href=\"/themes/beta/\" data-theme=\"beta\"")
        .expect("beta chip");
    assert!(alpha < beta, "busiest theme first");
    assert!(chips.contains("--theme: #aa0000"));
    assert!(
        home.contains("data-themes=\"alpha\""),
        "entries carry their themes for the filter"
    );
    assert!(
        s.page("app.js").contains("data-theme"),
        "the in-place filter ships"
    );
}

#[test]
fn theme_page_has_month_counts_and_a_visual_timeline() {
    let s = site();
    let page = s.page("themes/alpha/index.html");
    assert!(
        page.contains("4 briefings · 10 January 2025 – May 2025"),
        "date span"
    );
    let months = section(&page, "class=\"month-counts\"", "</details>");
    assert!(
        months.contains("href=\"/themes/alpha/#m-2025-01\""),
        "{months}"
    );
    assert!(months.contains(">January 2025<") && months.contains(">2</span>"));
    // Later months start on page 2 (two briefings a page); an expected-only month links to the
    // announced section.
    assert!(months.contains("href=\"/themes/alpha/page/2/#m-2025-02\""));
    assert!(months.contains("href=\"/themes/alpha/page/2/#expected-heading\""));
    assert!(months.contains("1 (1 expected)"));

    let tl = section(&page, "<figure class=\"vtl\"", "</figure>");
    assert_eq!(tl.matches("<li class=\"vtl-mark").count(), 4);
    assert!(
        tl.contains("<a href=\"/briefings/a1/\" aria-label=\"Alpha one — 10 January 2025\""),
        "{tl}"
    );
    assert!(
        tl.contains("<li class=\"vtl-mark vtl-expected\""),
        "expected drawn differently"
    );
    assert!(tl.contains("aria-label=\"Alpha expected — May 2025 (expected)\""));
    assert!(
        tl.contains("style=\"left: 0.00%"),
        "the first briefing starts the axis"
    );
    assert!(tl.contains(">Feb 2025<"), "month ticks");
    assert!(
        !s.page("themes/alpha/page/2/index.html")
            .contains("class=\"vtl\""),
        "the timeline is on the first page"
    );
    assert!(s
        .page("themes/alpha/page/2/index.html")
        .contains("class=\"month-counts\""));
}

#[test]
fn big_themes_draw_one_mark_per_month() {
    let s = Site::new();
    for i in 0..310 {
        s.briefing(
            &format!("b{i}.md"),
            &common::fm(
                &format!("B{i}"),
                &format!("2024-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            ),
            "x\n",
        );
    }
    s.build();
    let page = s.page("themes/us-russia-economic-talks/index.html");
    let tl = section(&page, "<figure class=\"vtl\"", "</figure>");
    assert_eq!(tl.matches("<li class=\"vtl-mark").count(), 12);
    assert!(
        tl.contains("aria-label=\"January 2024: 26 briefings\""),
        "{tl}"
    );
    assert!(tl.contains("one mark per month"));
    assert!(
        !s.page("index.html").contains("class=\"chips\""),
        "no chips for a single theme"
    );
}
