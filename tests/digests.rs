//! Weekly and monthly digests: which briefings land in which period (ISO weeks across year
//! ends, Sundays, vague dates), theme grouping, neighbours, and the e-mail page.

mod common;
use common::Site;

fn briefing(s: &Site, file: &str, title: &str, date: &str, topic: &str) {
    s.briefing(
        file,
        &format!("title: {title}\ndate: \"{date}\"\ntopic: {topic}\nsummary: About {title}.\n"),
        "Body.\n",
    );
}

fn site() -> Site {
    let s = Site::new();
    s.write(
        "site.yaml",
        "title: Digest test\nbase_url: https://example.org/briefs/\nthemes:\n  - title: Alpha\n    color: \"#123456\"\n  - title: Beta\n",
    );
    briefing(
        &s,
        "sun.md",
        "Sunday closes week twelve",
        "2025-03-23",
        "Alpha",
    );
    // 23:30 on Sunday where it was written, Monday in UTC: the date as written counts.
    briefing(
        &s,
        "late.md",
        "Late Sunday in Bogota",
        "2025-03-23T23:30:00-05:00",
        "Alpha",
    );
    briefing(
        &s,
        "mon.md",
        "Monday opens week twelve",
        "2025-03-17",
        "Beta",
    );
    briefing(
        &s,
        "wed.md",
        "Wednesday in week twelve",
        "2025-03-19",
        "Beta",
    );
    briefing(
        &s,
        "thu.md",
        "Thursday in week twelve",
        "2025-03-20",
        "Beta",
    );
    briefing(
        &s,
        "next.md",
        "Monday of week thirteen",
        "2025-03-24",
        "Alpha",
    );
    // 2026-01-01 is a Thursday: ISO week 1 of 2026 runs from Monday 29 December 2025.
    briefing(&s, "ny26.md", "New Year 2026", "2026-01-01", "Alpha");
    briefing(
        &s,
        "dec25.md",
        "Monday before New Year",
        "2025-12-29",
        "Beta",
    );
    briefing(&s, "dec28.md", "Sunday before that", "2025-12-28", "Beta");
    // 2027-01-01 is a Friday: it belongs to week 53 of 2026.
    briefing(&s, "ny27.md", "New Year 2027", "2027-01-01", "Beta");
    briefing(&s, "month.md", "Sometime in March", "2025-03", "Alpha");
    briefing(&s, "year.md", "Sometime in 2025", "2025", "Alpha");
    s.build();
    s
}

fn digest_files(s: &Site) -> Vec<String> {
    let mut out = Vec::new();
    for e in walk(&s.root().join("public/digests")) {
        out.push(
            e.strip_prefix(s.root().join("public"))
                .unwrap()
                .to_string_lossy()
                .into_owned(),
        );
    }
    out.sort();
    out
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn briefings_land_in_their_iso_week_and_month() {
    let s = site();
    assert_eq!(
        digest_files(&s),
        [
            "digests/2025-03/index.html",
            "digests/2025-12/index.html",
            "digests/2025-w12/email.html",
            "digests/2025-w12/index.html",
            "digests/2025-w13/email.html",
            "digests/2025-w13/index.html",
            "digests/2025-w52/email.html",
            "digests/2025-w52/index.html",
            "digests/2026-01/index.html",
            "digests/2026-w01/email.html",
            "digests/2026-w01/index.html",
            "digests/2026-w53/email.html",
            "digests/2026-w53/index.html",
            "digests/2027-01/index.html",
            "digests/index.html",
        ]
    );

    let w12 = s.page("digests/2025-w12/index.html");
    for t in [
        "Sunday closes",
        "Late Sunday in Bogota",
        "Monday opens",
        "Wednesday",
        "Thursday",
    ] {
        assert!(w12.contains(t), "{t} missing from week 12");
    }
    assert!(!w12.contains("week thirteen") && !w12.contains("Sometime"));
    assert!(w12.contains("17 March 2025 – 23 March 2025"));
    assert!(s
        .page("digests/2025-w13/index.html")
        .contains("Monday of week thirteen"));

    let w01 = s.page("digests/2026-w01/index.html");
    assert!(w01.contains("New Year 2026") && w01.contains("Monday before New Year"));
    assert!(
        !w01.contains("Sunday before that"),
        "28 December 2025 is in week 52"
    );
    assert!(w01.contains("29 December 2025 – 4 January 2026"));
    let w53 = s.page("digests/2026-w53/index.html");
    assert!(w53.contains("New Year 2027") && w53.contains("Week 53, 2026"));

    // A month-precision briefing is in its month's digest only; a year-precision one in none.
    let march = s.page("digests/2025-03/index.html");
    for t in [
        "Sometime in March",
        "Sunday closes",
        "Monday of week thirteen",
    ] {
        assert!(march.contains(t), "{t} missing from March");
    }
    for f in digest_files(&s) {
        assert!(
            !s.page(&f).contains("Sometime in 2025"),
            "{f} has the year-precision briefing"
        );
    }
    // The December digest keeps the calendar month even where the ISO year differs.
    let dec = s.page("digests/2025-12/index.html");
    assert!(dec.contains("Monday before New Year") && !dec.contains("New Year 2026"));
}

#[test]
fn themes_are_ordered_by_activity_with_counts_and_summaries() {
    let s = site();
    let w12 = s.page("digests/2025-w12/index.html");
    let (beta, alpha) = (
        w12.find("id=\"t-beta\"").unwrap(),
        w12.find("id=\"t-alpha\"").unwrap(),
    );
    assert!(beta < alpha, "Beta has three briefings, Alpha two");
    assert!(w12.contains("5 briefings in 2 themes"), "counts line");
    assert!(w12.contains("3 briefings</span>"));
    assert!(
        w12.contains("About Thursday in week twelve."),
        "summary shown"
    );
    assert!(w12.contains("--theme: #123456"), "theme colour");
    // Newest first within a theme.
    let (thu, mon) = (
        w12.find("Thursday in week").unwrap(),
        w12.find("Monday opens").unwrap(),
    );
    assert!(thu < mon);
    // Links work under the path prefix.
    assert!(w12.contains("href=\"/briefs/briefings/thu/\""));
    assert!(w12.contains("href=\"/briefs/themes/beta/\""));
}

#[test]
fn neighbours_and_the_list_page() {
    let s = site();
    let w13 = s.page("digests/2025-w13/index.html");
    assert!(
        w13.contains("rel=\"prev\" href=\"/briefs/digests/2025-w12/\""),
        "{w13}"
    );
    assert!(w13.contains("rel=\"next\" href=\"/briefs/digests/2025-w52/\""));
    let w12 = s.page("digests/2025-w12/index.html");
    assert!(
        !w12.contains("rel=\"prev\""),
        "the oldest week has no previous digest"
    );
    let march = s.page("digests/2025-03/index.html");
    assert!(
        march.contains("rel=\"next\" href=\"/briefs/digests/2025-12/\""),
        "months link to months"
    );
    assert!(march.contains("Monthly digest") && !march.contains("email.html"));
    assert!(w12.contains("href=\"/briefs/digests/2025-w12/email.html\""));

    let list = s.page("digests/index.html");
    let order: Vec<usize> = [
        "2026-w53/",
        "2026-w01/",
        "2025-w52/",
        "2025-w13/",
        "2025-w12/",
        "2027-01/",
        "2026-01/",
        "2025-12/",
        "2025-03/",
    ]
    .iter()
    .map(|p| {
        list.find(&format!("href=\"/briefs/digests/{p}\""))
            .unwrap_or_else(|| panic!("{p} not listed"))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "newest first, weeks then months: {order:?}"
    );
    let nav = s.page("index.html");
    assert!(nav.contains("href=\"/briefs/digests/\"") && nav.contains("href=\"/briefs/search/\""));
}

/// Every `href="…"` or `src="…"` value in `html`.
fn urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\"", "href='", "src='"] {
        let quote = attr.chars().last().unwrap();
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            out.push(rest[..rest.find(quote).unwrap()].to_string());
        }
    }
    out
}

#[test]
fn the_email_page_is_self_contained() {
    let s = site();
    let mail = s.page("digests/2025-w12/email.html");
    let lower = mail.to_lowercase();
    assert!(!lower.contains("<script"), "no scripts");
    assert!(
        !lower.contains("<link") && !lower.contains("<img") && !lower.contains("@import"),
        "no external assets"
    );
    assert!(!lower.contains("<style"), "inline styles only");
    assert!(lower.contains("<table") && lower.contains("style=\""));
    let found = urls(&mail);
    assert!(found.len() > 8, "{found:?}");
    for u in &found {
        assert!(
            u.starts_with("http"),
            "relative URL {u:?} in the e-mail page"
        );
    }
    assert!(found.contains(&"https://example.org/briefs/briefings/thu/".to_string()));
    assert!(found.contains(&"https://example.org/briefs/themes/beta/".to_string()));
    assert!(found.contains(&"https://example.org/briefs/digests/2025-w12/".to_string()));
    assert!(mail.contains("About Thursday in week twelve."));
}

#[test]
fn print_stylesheet_makes_a_memo() {
    let s = site();
    let css = s.page("style.css");
    let print = &css[css.rfind("@media print").unwrap()..];
    assert!(print.contains("attr(href)"), "link addresses printed");
    assert!(print.contains(".digest-theme + .digest-theme { break-before: page; }"));
    assert!(
        css.contains(".masthead nav") && print.contains(".chips"),
        "navigation hidden"
    );
}
