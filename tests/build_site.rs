//! `brief build` on fixture sites: pages, order, escaping, aliases, dates, drafts, prefixes,
//! reproducibility and the refused output folders.

mod common;
use common::{fm, snapshot, Site};

#[test]
fn example_site_in_the_repo_builds() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let r = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(&target)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let stdout = String::from_utf8_lossy(&r.stdout);
    assert!(stdout.starts_with("Built "), "{stdout}");
    for page in [
        "index.html",
        "themes/index.html",
        "themes/us-russia-economic-talks/index.html",
        "actors/index.html",
        "actors/kirill-dmitriev/index.html",
        "briefings/dmitriev-confirms-rare-earth-talks/index.html",
        "tags/rare-earths/index.html",
        "404.html",
        "style.css",
    ] {
        assert!(target.join(page).is_file(), "missing {page}");
    }
}

#[test]
fn pages_and_their_contents() {
    let s = Site::new();
    s.briefing(
        "a/2025-03-24-talks.md",
        "title: Talks begin\ndate: 2025-03-24\ntopic: [us-russia-economic-talks, Rare earths]\nactors: [Кирилл Дмитриев, Dmitriev, RDIF]\ntags: [Rare Earths]\nlocation: Moscow\nconfidence: high\nsources:\n  - https://example.com/a\n  - url: https://example.com/b\n    title: Report B\n    publisher: Paper\n",
        "Body *text*.\n",
    );
    s.briefing("b/riyadh.md", &fm("Riyadh round", "2025-02"), "Earlier.\n");
    s.briefing(
        "c/next.md",
        "title: Next round\ndate: 2025\ntopic: U.S.–Russia economic talks\nstatus: expected\n",
        "Later.\n",
    );
    let r = s.build();
    assert!(
        r.stdout.contains("Built 3 briefings, 2 themes, 2 actors"),
        "{}",
        r.stdout
    );

    let b = s.page("briefings/talks/index.html");
    assert!(b.contains("24 March 2025"));
    assert!(b.contains("Moscow"));
    assert!(b.contains("High confidence"));
    assert!(b.contains("Report B"));
    assert!(b.contains("https://example.com/a"));
    assert!(b.contains("<em>text</em>"));
    // Both spellings and the alias are one actor.
    assert_eq!(b.matches("/actors/kirill-dmitriev/").count(), 1, "{b}");
    assert!(s.exists("actors/kirill-dmitriev/index.html"));
    assert!(s.exists("actors/rdif/index.html"));
    assert!(s.exists("tags/rare-earths/index.html"));
    assert!(s.exists("themes/rare-earths/index.html"));
    // Previous/next follow the primary theme's story.
    assert!(b.contains("href=\"/briefings/riyadh/\""), "prev missing");
    assert!(b.contains("href=\"/briefings/next/\""), "next missing");

    // Precision is kept: a month reads as a month, a year as a year.
    let home = s.page("index.html");
    assert!(home.contains(">February 2025<"), "{home}");
    assert!(home.contains(">2025<"));

    // The theme page tells the story oldest first with expected events last, even when the
    // expected one sorts first by date.
    let theme = s.page("themes/us-russia-economic-talks/index.html");
    // Read from the story list on, past the visual timeline, whose marks go by date.
    let story = &theme[theme.find("class=\"timeline story\"").unwrap()..];
    let (riyadh, talks, next) = (
        story.find("Riyadh round").unwrap(),
        story.find("Talks begin").unwrap(),
        story.find("Next round").unwrap(),
    );
    assert!(riyadh < talks && talks < next, "story order wrong");
}

#[test]
fn timeline_is_newest_first_with_ties_by_title_then_path() {
    let s = Site::new();
    s.briefing("z/one.md", &fm("Bravo", "2025-03-01"), "");
    s.briefing("a/two.md", &fm("Alpha", "2025-03-01"), "");
    s.briefing("m/three.md", &fm("Charlie", "2025-04-01"), "");
    s.briefing(
        "b/four.md",
        "title: Alpha\ndate: 2025-03-01\ntopic: t\nslug: alpha-2\n",
        "",
    );
    s.build();
    let home = s.page("index.html");
    let pos = |t: &str| home.find(t).unwrap_or_else(|| panic!("{t} missing"));
    assert!(pos("Charlie") < pos("/briefings/two/"));
    assert!(
        pos("/briefings/two/") < pos("/briefings/alpha-2/"),
        "same title: path a/ before b/"
    );
    assert!(pos("/briefings/alpha-2/") < pos("Bravo"));
}

#[test]
fn hostile_titles_and_bodies_are_escaped() {
    let s = Site::new();
    s.briefing(
        "x.md",
        "title: \"<script>alert(1)</script> & \\\"q\\\"\"\ndate: 2025-01-01\ntopic: \"<b>theme</b>\"\nactors: [\"<img src=x onerror=alert(1)>\"]\nsummary: \"<i>sum</i>\"\n",
        "<script>alert(2)</script>\n\n<a href=\"javascript:alert(3)\" onclick=\"x()\">link</a> <sup>ok</sup>\n",
    );
    s.build();
    for page in [
        "index.html",
        "briefings/x/index.html",
        "themes/b-theme-b/index.html",
        "themes/index.html",
        "actors/index.html",
    ] {
        let html = s.page(page);
        assert!(!html.contains("<script>alert"), "{page}: raw script");
        assert!(!html.contains("<img src=x"), "{page}: raw img");
        assert!(!html.contains("<i>sum</i>"), "{page}: raw summary");
        assert!(!html.contains("javascript:"), "{page}: javascript URL");
        assert!(!html.contains("onclick"), "{page}: event handler");
    }
    let b = s.page("briefings/x/index.html");
    assert!(
        b.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || b.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{b}"
    );
    assert!(b.contains("<sup>ok</sup>"), "harmless markup kept");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let s = Site::new();
    s.briefing("a.md", &fm("Published", "2025-01-01"), "");
    s.briefing(
        "b.md",
        &format!("{}draft: true\n", fm("Secret draft", "2025-01-02")),
        "",
    );
    s.build();
    assert!(!s.exists("briefings/b/index.html"));
    assert!(!s.page("index.html").contains("Secret draft"));
    let r = s.run(&["build", "--drafts"]);
    assert_eq!(r.code, 0);
    assert!(s.page("index.html").contains("Secret draft"));
}

#[test]
fn every_internal_link_carries_the_path_prefix() {
    let s = Site::new();
    s.write(
        "site.yaml",
        common::SITE_YAML.replace("https://example.org/", "https://example.org/briefs/"),
    );
    s.briefing(
        "a.md",
        &format!("{}actors: [Dmitriev]\ntags: [x]\n", fm("A", "2025-01-01")),
        "",
    );
    s.briefing("b.md", &fm("B", "2025-01-02"), "");
    s.build();
    for (path, bytes) in snapshot(&s.root().join("public")) {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8(bytes).unwrap();
            for attr in ["href=\"", "src=\""] {
                for part in html.split(attr).skip(1) {
                    let url = &part[..part.find('"').unwrap()];
                    assert!(
                        url.starts_with("/briefs/")
                            || url.starts_with("https://")
                            || url.starts_with('#'),
                        "{}: {url}",
                        path.display()
                    );
                }
            }
        }
    }
}

#[test]
fn pagination_splits_the_timeline() {
    let s = Site::new();
    s.write("site.yaml", format!("{}page_size: 2\n", common::SITE_YAML));
    for i in 1..=5 {
        s.briefing(
            &format!("b{i}.md"),
            &fm(&format!("Item {i}"), &format!("2025-01-0{i}")),
            "",
        );
    }
    s.build();
    assert!(s.page("index.html").contains("Item 5"));
    assert!(s.page("page/2/index.html").contains("Item 3"));
    assert!(s.page("page/3/index.html").contains("Item 1"));
    assert!(!s.exists("page/4/index.html"));
    assert!(s
        .page("themes/us-russia-economic-talks/page/3/index.html")
        .contains("Item 5"));
}

#[test]
fn two_builds_are_byte_identical() {
    let s = Site::new();
    for i in 0..20 {
        s.briefing(
            &format!("b{i}.md"),
            &format!(
                "{}actors: [A{}, B]\ntags: [t{}]\n",
                fm(&format!("T{i}"), "2025-01-01"),
                i % 3,
                i % 4
            ),
            "x\n",
        );
    }
    s.build();
    let first = snapshot(&s.root().join("public"));
    s.build();
    assert_eq!(first, snapshot(&s.root().join("public")));
}

#[test]
fn site_templates_and_static_files_override_the_defaults() {
    let s = Site::new();
    s.briefing("a.md", &fm("A", "2025-01-01"), "");
    s.write("templates/404.html", "custom {{ site.title }}");
    s.write("static/style.css", "body{}");
    s.write("static/extra/logo.txt", "logo");
    s.build();
    assert_eq!(s.page("404.html"), "custom Test briefings");
    assert_eq!(s.page("style.css"), "body{}");
    assert_eq!(s.page("extra/logo.txt"), "logo");
    assert!(
        s.page("index.html").contains("<!DOCTYPE html>"),
        "other templates stay"
    );
}

#[test]
fn a_site_without_site_yaml_builds_with_defaults() {
    let s = Site::new();
    std::fs::remove_file(s.root().join("site.yaml")).unwrap();
    s.briefing("a.md", &fm("A", "2025-01-01"), "");
    s.build();
    assert!(s.page("index.html").contains("Briefings"));
}

#[test]
fn dangerous_output_folders_are_refused_and_nothing_is_deleted() {
    let s = Site::new();
    s.briefing("a.md", &fm("A", "2025-01-01"), "");
    s.write("templates/keep.html", "keep");
    s.write("static/keep.css", "keep");
    let parent = s.root().parent().unwrap().to_str().unwrap().to_string();
    for out in [
        ".",
        "content",
        "templates",
        "static",
        "content/public",
        parent.as_str(),
    ] {
        let r = s.run(&["build", "--output", out]);
        r.fails_with("refusing to build into");
    }
    assert!(s.root().join("content/a.md").is_file());
    assert!(s.root().join("templates/keep.html").is_file());
    assert!(s.root().join("static/keep.css").is_file());
    assert!(s.root().join("site.yaml").is_file());

    // A folder that brief did not write is not replaced either.
    s.write("mine/notes.txt", "precious");
    s.run(&["build", "--output", "mine"])
        .fails_with("did not write");
    assert!(s.root().join("mine/notes.txt").is_file());
}

#[test]
fn a_failed_build_leaves_the_last_good_output() {
    let s = Site::new();
    s.briefing("a.md", &fm("Good", "2025-01-01"), "");
    s.build();
    let before = snapshot(&s.root().join("public"));
    s.briefing("a.md", "title: Good\ndate: nonsense\ntopic: t\n", "");
    s.run(&["build"]).fails_with("a.md");
    assert_eq!(before, snapshot(&s.root().join("public")));
    let leftovers: Vec<_> = std::fs::read_dir(s.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}

#[test]
fn bom_and_crlf_are_accepted() {
    let s = Site::new();
    s.write(
        "content/a.md",
        "\u{feff}---\r\ntitle: CRLF\r\ndate: 2025-01-01\r\ntopic: t\r\n---\r\nBody line\r\n",
    );
    s.build();
    assert!(s.page("briefings/a/index.html").contains("Body line"));
}

#[test]
fn one_instant_written_in_two_offsets_keeps_each_briefings_own_time() {
    // Template values share one map per date; two spellings of the same moment are still two
    // dates for readers.
    let site = Site::new();
    site.briefing(
        "a.md",
        "title: Moscow morning\ndate: 2025-03-24T09:00:00+03:00\ntopic: U.S.–Russia economic talks\n",
        "Body.\n",
    )
    .briefing(
        "b.md",
        "title: London morning\ndate: 2025-03-24T06:00:00Z\ntopic: U.S.–Russia economic talks\n",
        "Body.\n",
    )
    .build();
    let a = site.page("briefings/a/index.html");
    let b = site.page("briefings/b/index.html");
    assert!(a.contains("09:00 UTC+03:00"), "{a}");
    assert!(b.contains("06:00 UTC"), "{b}");
    assert!(!b.contains("UTC+03:00"), "{b}");
}
