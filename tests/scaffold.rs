//! `brief init` and `brief new`, through the binary: what they write builds, and they never
//! overwrite anything.

mod common;
use common::{snapshot, Site};

fn empty() -> Site {
    Site {
        dir: tempfile::tempdir().unwrap(),
    }
}

fn initialised() -> Site {
    let s = empty();
    let r = s.run(&["init", "."]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    s
}

fn read(s: &Site, rel: &str) -> String {
    std::fs::read_to_string(s.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn init_then_build_renders_both_examples_without_warnings() {
    let s = initialised();
    let mut files: Vec<_> = snapshot(s.root()).into_iter().map(|(p, _)| p).collect();
    files.sort();
    assert_eq!(
        files,
        [
            "content/water-policy/2025-01-15-council-publishes-a-draft-water-plan.md",
            "content/water-policy/utility-asks-for-more-time.md",
            "site.yaml",
        ]
        .map(std::path::PathBuf::from),
        "init writes site.yaml and two briefings, nothing else"
    );
    let r = s.build();
    assert!(
        r.stdout.contains("Built 2 briefings, 1 themes, 2 actors"),
        "{}",
        r.stdout
    );
    assert_eq!(r.stderr, "", "the example site builds without warnings");
    let first = s.page("briefings/council-publishes-a-draft-water-plan/index.html");
    assert!(first.contains("Council publishes a draft water plan"));
    assert!(
        first.contains("<table>"),
        "the example body's table renders"
    );
    let second = s.page("briefings/utility-asks-for-more-time/index.html");
    assert!(second.contains("February 2025"));
    // Named by slug and by alias, both resolve to the declared theme and actor.
    assert!(second.contains("City water policy"));
    assert!(second.contains("Water utility"));
    let check = s.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn init_makes_the_folder_and_refuses_a_non_empty_one() {
    let s = empty();
    let r = s.run(&["init", "new/site"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(s.root().join("new/site/site.yaml").is_file());

    s.write("busy/notes.txt", "mine");
    let r = s.run(&["init", "busy"]);
    r.fails_with("not empty");
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(
        snapshot(&s.root().join("busy")).len(),
        1,
        "nothing written into a non-empty folder"
    );

    s.write("file", "x");
    s.run(&["init", "file"]).fails_with("not a folder");
}

#[test]
fn init_force_adds_missing_files_and_never_overwrites() {
    let s = empty();
    s.write("site.yaml", "title: Mine\n");
    s.write(
        "content/water-policy/utility-asks-for-more-time.md",
        "my own words",
    );
    let r = s.run(&["init", ".", "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(read(&s, "site.yaml"), "title: Mine\n");
    assert_eq!(
        read(&s, "content/water-policy/utility-asks-for-more-time.md"),
        "my own words"
    );
    assert!(r.stdout.contains("site.yaml (kept"), "{}", r.stdout);
    assert!(s
        .root()
        .join("content/water-policy/2025-01-15-council-publishes-a-draft-water-plan.md")
        .is_file());

    let again = s.run(&["init", ".", "--force"]);
    assert_eq!(again.code, 0);
    assert!(
        again.stdout.contains("every file exists already"),
        "{}",
        again.stdout
    );
}

#[test]
fn eject_templates_copies_the_defaults_and_the_site_still_builds() {
    let s = empty();
    let r = s.run(&["init", ".", "--eject-templates"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (name, text) in brief::render::templates::DEFAULT_TEMPLATES {
        assert_eq!(&read(&s, &format!("templates/{name}")), text, "{name}");
    }
    for (name, bytes) in brief::render::templates::DEFAULT_STATIC {
        assert_eq!(
            &std::fs::read(s.root().join("static").join(name)).unwrap(),
            bytes,
            "{name}"
        );
    }
    s.build();
    assert!(s.exists("briefings/utility-asks-for-more-time/index.html"));
}

#[test]
fn new_writes_a_briefing_that_builds() {
    let s = initialised();
    let title = r#"Council: "phase 2" of the plan & its #costs \ risks"#;
    let r = s.run(&[
        "new",
        title,
        "--topic",
        "water-policy",
        "--actor",
        "Council",
        "--actor",
        "Water utility",
        "--date",
        "2025-03-24",
        "--status",
        "developing",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = "content/water-policy/2025-03-24-council-phase-2-of-the-plan-its-costs-risks.md";
    assert_eq!(r.stdout.trim(), path);
    assert_eq!(r.stderr, "", "declared names give no warning");
    let text = read(&s, path);
    assert!(text.contains("status: developing\n"), "{text}");
    assert!(text.contains("  - Council\n"), "{text}");

    let b = s.build();
    assert!(b.stdout.contains("Built 3 briefings"), "{}", b.stdout);
    let page = s.page("briefings/council-phase-2-of-the-plan-its-costs-risks/index.html");
    assert!(
        page.contains("Council: &quot;phase 2&quot; of the plan &amp; its #costs \\ risks"),
        "the title reads back exactly"
    );
    assert!(page.contains("24 March 2025"));
}

#[test]
fn new_defaults_to_today_and_confirmed() {
    let s = initialised();
    let before = chrono::Utc::now().date_naive();
    let r = s.run(&["new", "Budget vote", "--topic", "City water policy"]);
    let after = chrono::Utc::now().date_naive();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let printed = r.stdout.trim().to_string();
    assert!(
        [before, after].iter().any(|d| printed
            == format!(
                "content/water-policy/{}-budget-vote.md",
                d.format("%Y-%m-%d")
            )),
        "{printed}"
    );
    let text = read(&s, &printed);
    assert!(text.contains("status: confirmed\n"), "{text}");
    s.build();
}

#[test]
fn new_with_a_month_names_the_slug_and_builds() {
    let s = initialised();
    let r = s.run(&[
        "new",
        "Spring hearing",
        "--topic",
        "Housing",
        "--date",
        "2025-04",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.trim(), "content/housing/2025-04-spring-hearing.md");
    assert!(
        read(&s, "content/housing/2025-04-spring-hearing.md").contains("slug: spring-hearing\n")
    );
    s.build();
    assert!(s
        .page("briefings/spring-hearing/index.html")
        .contains("April 2025"));
}

#[test]
fn new_warns_about_undeclared_names_with_the_closest() {
    let s = initialised();
    let r = s.run(&[
        "new",
        "A leak",
        "--topic",
        "City water polcy",
        "--actor",
        "Councill",
        "--actor",
        "Residents",
        "--date",
        "2025-05-02",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r
        .stderr
        .contains("theme `City water polcy` is not declared in site.yaml"));
    assert!(
        r.stderr.contains("did you mean `City water policy`?"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `City council`?"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("actor `Residents` is not declared"),
        "{}",
        r.stderr
    );
    let path = r.stdout.trim();
    assert_eq!(path, "content/city-water-polcy/2025-05-02-a-leak.md");
    s.build();

    let quiet = s.run(&[
        "new",
        "Another leak",
        "--topic",
        "Leaks",
        "--date",
        "2025-05-03",
        "--quiet",
    ]);
    assert_eq!(quiet.code, 0);
    assert_eq!(quiet.stderr, "", "--quiet drops warnings");
    assert_eq!(
        quiet.stdout.trim(),
        "content/leaks/2025-05-03-another-leak.md"
    );
}

#[test]
fn new_never_overwrites_nor_takes_a_used_slug() {
    let s = initialised();
    let args = [
        "new",
        "Budget vote",
        "--topic",
        "water-policy",
        "--date",
        "2025-06-01",
    ];
    assert_eq!(s.run(&args).code, 0);
    let path = "content/water-policy/2025-06-01-budget-vote.md";
    std::fs::write(s.root().join(path), "edited").unwrap();
    s.run(&args).fails_with("exists already");
    assert_eq!(read(&s, path), "edited");

    // Same slug from another folder and date: the build would fail, so new refuses.
    s.run(&[
        "new",
        "Budget vote",
        "--topic",
        "Housing",
        "--date",
        "2025-07-01",
    ])
    .fails_with("is taken by content/water-policy/2025-06-01-budget-vote.md");
    assert!(!s.root().join("content/housing").exists());

    // A month-dated briefing names its slug in front matter; that is seen too.
    let month = [
        "new",
        "Spring hearing",
        "--topic",
        "Housing",
        "--date",
        "2025-04",
    ];
    assert_eq!(s.run(&month).code, 0);
    s.run(&[
        "new",
        "Spring hearing",
        "--topic",
        "Housing",
        "--date",
        "2025-05",
    ])
    .fails_with("is taken by content/housing/2025-04-spring-hearing.md");
}

#[test]
fn new_rejects_bad_arguments_as_usage_errors() {
    let s = initialised();
    for (args, needle) in [
        (
            vec!["new", "x", "--topic", "t", "--date", "2025-13"],
            "--date",
        ),
        (
            vec!["new", "x", "--topic", "t", "--date", "March"],
            "--date",
        ),
        (
            vec!["new", "x", "--topic", "t", "--status", "maybe"],
            "possible values",
        ),
        (vec!["new", "x"], "--topic"),
        (vec!["new", "!!!", "--topic", "t"], "letter or digit"),
        (
            vec!["new", "x", "--topic", "t", "--actor", "!!"],
            "letter or digit",
        ),
    ] {
        let r = s.run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(needle), "{args:?}: {}", r.stderr);
    }
    assert!(!s.root().join("content/t").exists());
}
