//! `brief check`: every warning and error it knows, each on a fixture site, through the real
//! binary, in both output formats: message, file:line:column and exit code.

mod common;
use common::{fm, Site};
use std::process::Command;

/// The day the date warnings compare with, so these tests don't depend on the clock.
const TODAY: &str = "2025-06-01";

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(site: &Site, args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(args)
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .env("BRIEF_TODAY", TODAY)
        .output()
        .expect("run brief");
    let o = Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!o.stderr.contains("panicked"), "panic:\n{}", o.stderr);
    o
}

/// One expected diagnostic.
struct Want<'a> {
    severity: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
    hint: Option<&'a str>,
}

fn warning<'a>(file: &'a str, line: usize, column: usize, message: &'a str) -> Want<'a> {
    Want {
        severity: "warning",
        file,
        line,
        column,
        message,
        hint: None,
    }
}

fn error<'a>(file: &'a str, line: usize, column: usize, message: &'a str) -> Want<'a> {
    Want {
        severity: "error",
        file,
        line,
        column,
        message,
        hint: None,
    }
}

impl<'a> Want<'a> {
    fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }
}

/// Runs `check` as JSON and as text, and asserts that `want` is reported in both, with the
/// exit codes a CI relies on: 1 on any error; for warnings only, 0, and 1 under `--strict`.
fn assert_reported(site: &Site, want: &Want) {
    let errors = want.severity == "error";
    // JSON
    let j = run(site, &["check", "--format", "json"]);
    let arr: serde_json::Value = serde_json::from_str(&j.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", j.stdout, j.stderr));
    let arr = arr.as_array().expect("a JSON array");
    let found = arr.iter().find(|d| {
        d["file"] == want.file
            && d["line"] == want.line
            && d["column"] == want.column
            && d["message"].as_str().unwrap_or("").contains(want.message)
    });
    let Some(found) = found else {
        panic!(
            "{}:{}:{} {:?} not in\n{}",
            want.file, want.line, want.column, want.message, j.stdout
        )
    };
    assert_eq!(found["severity"], want.severity, "{found}");
    for key in ["severity", "file", "line", "column", "message", "hint"] {
        assert!(found.get(key).is_some(), "{key} missing: {found}");
    }
    if let Some(h) = want.hint {
        assert!(
            found["hint"].as_str().unwrap_or("").contains(h),
            "hint {h:?} not in {found}"
        );
    }
    let any_error = arr.iter().any(|d| d["severity"] == "error");
    assert_eq!(any_error, errors, "{}", j.stdout);
    assert_eq!(j.code, if errors { 1 } else { 0 }, "json exit code");

    // Human
    let h = run(site, &["check"]);
    let loc = format!("{}:{}:{}", want.file, want.line, want.column);
    let head = format!("{}: ", want.severity);
    assert!(h.stderr.contains(&loc), "{loc} not in\n{}", h.stderr);
    assert!(
        h.stderr
            .lines()
            .any(|l| l.starts_with(&head) && l.contains(want.message)),
        "{head}{:?} not in\n{}",
        want.message,
        h.stderr
    );
    if let Some(hint) = want.hint {
        assert!(h.stderr.contains(hint), "{hint:?} not in\n{}", h.stderr);
    }
    assert_eq!(h.code, if errors { 1 } else { 0 }, "human exit code");

    // --strict fails on warnings too, in both formats.
    for format in ["human", "json"] {
        let s = run(site, &["check", "--strict", "--format", format]);
        assert_eq!(s.code, 1, "--strict --format {format}");
    }
}

/// A site whose themes and actors are declared, so only the intended warning shows.
fn site() -> Site {
    Site::new()
}

fn front(title: &str, date: &str, more: &str) -> String {
    format!("{}{more}", fm(title, date))
}

#[test]
fn a_clean_site_passes_in_both_formats() {
    let s = site();
    s.briefing(
        "a.md",
        &front("A", "2025-03-01", "actors: [Dmitriev]\n"),
        "Body.\n",
    );
    let h = run(&s, &["check", "--strict"]);
    assert_eq!(h.code, 0, "{}", h.stderr);
    assert!(h.stdout.contains("No problems found."), "{}", h.stdout);
    let j = run(&s, &["check", "--strict", "--format", "json"]);
    assert_eq!(j.code, 0);
    assert_eq!(j.stdout.trim(), "[]");
}

#[test]
fn undeclared_actor_suggests_the_closest_declared_name() {
    let s = site();
    s.briefing(
        "a.md",
        &front("A", "2025-03-01", "actors: [Kiril Dmitriev]\n"),
        "Body.\n",
    );
    assert_reported(
        &s,
        &warning(
            "content/a.md",
            5,
            10,
            "actor `Kiril Dmitriev` is not declared in site.yaml",
        )
        .hint("did you mean `Kirill Dmitriev`?"),
    );
}

#[test]
fn undeclared_actor_without_a_close_name() {
    let s = site();
    s.briefing(
        "a.md",
        &front("A", "2025-03-01", "actors:\n  - Zzyzx Quorp\n"),
        "Body.\n",
    );
    assert_reported(
        &s,
        &warning(
            "content/a.md",
            6,
            5,
            "actor `Zzyzx Quorp` is not declared in site.yaml",
        )
        .hint("declare it under `actors:` in site.yaml"),
    );
}

#[test]
fn undeclared_theme_suggests_the_closest_declared_title() {
    let s = site();
    s.briefing(
        "a.md",
        "title: A\ndate: 2025-03-01\ntopic: U.S.–Russia economic talk\n",
        "Body.\n",
    );
    assert_reported(
        &s,
        &warning(
            "content/a.md",
            4,
            8,
            "theme `U.S.–Russia economic talk` is not declared in site.yaml",
        )
        .hint("did you mean `U.S.–Russia economic talks`?"),
    );
}

#[test]
fn declared_names_that_make_the_same_slug() {
    let s = site();
    s.write(
        "site.yaml",
        "title: T\nactors:\n  - name: Kirill Dmitriev\n    aliases: [Dmitriev]\n  - name: Oleg Dmitriev\n    aliases: [DMITRIEV]\nthemes:\n  - title: Rare earths\n  - title: Rare Earths!\n",
    );
    s.briefing(
        "a.md",
        "title: A\ndate: 2025-03-01\ntopic: Rare earths\n",
        "Body.\n",
    );
    assert_reported(
        &s,
        &warning(
            "site.yaml",
            6,
            15,
            "alias `DMITRIEV` of `Oleg Dmitriev` makes the slug `dmitriev`, already taken by `Kirill Dmitriev`",
        )
        .hint("each name and alias must belong to one actor"),
    );
    assert_reported(
        &s,
        &warning(
            "site.yaml",
            9,
            12,
            "theme `Rare Earths!` makes the slug `rare-earths`, already taken by `Rare earths`",
        ),
    );
}

#[test]
fn future_date_without_status_expected() {
    let s = site();
    s.briefing("a.md", &fm("A", "2025-07-04"), "Body.\n");
    assert_reported(
        &s,
        &warning(
            "content/a.md",
            3,
            7,
            "date 2025-07-04 is in the future, but `status` is not `expected`",
        )
        .hint("status: expected"),
    );
    // The same event, announced, is fine; so is today itself and a month that has begun.
    let ok = site();
    ok.briefing(
        "a.md",
        &front("A", "2025-07-04", "status: expected\n"),
        "Body.\n",
    );
    ok.briefing("b.md", &fm("B", TODAY), "Body.\n");
    ok.briefing("c.md", &fm("C", "2025-06"), "Body.\n");
    let r = run(&ok, &["check", "--strict"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn expected_event_whose_date_has_passed() {
    let s = site();
    s.briefing(
        "a.md",
        &front("A", "2025-04", "status: expected\n"),
        "Body.\n",
    );
    assert_reported(
        &s,
        &warning(
            "content/a.md",
            5,
            9,
            "`expected` event's date 2025-04 has passed",
        )
        .hint("status: confirmed"),
    );
}

#[test]
fn source_url_that_is_not_http() {
    let s = site();
    s.briefing(
        "a.md",
        &front(
            "A",
            "2025-03-01",
            "sources:\n  - https://example.org/ok\n  - ftp://example.org/file\n  - url: www.example.org\n    title: No scheme\n",
        ),
        "Body.\n",
    );
    assert_reported(
        &s,
        &warning(
            "content/a.md",
            7,
            5,
            "source URL `ftp://example.org/file` is not an http(s) address",
        ),
    );
    assert_reported(
        &s,
        &warning(
            "content/a.md",
            8,
            5,
            "source URL `www.example.org` is not an http(s) address",
        )
        .hint("https://"),
    );
    let j = run(&s, &["check", "--format", "json"]);
    assert!(!j.stdout.contains("example.org/ok"), "{}", j.stdout);
}

#[test]
fn no_summary_and_no_first_paragraph() {
    let s = site();
    s.briefing(
        "a.md",
        &fm("A", "2025-03-01"),
        "# Only a heading\n\n- a list\n",
    );
    assert_reported(
        &s,
        &warning(
            "content/a.md",
            5,
            1,
            "no summary, and the body has no first paragraph",
        )
        .hint("summary:"),
    );
    // A summary field is enough.
    let ok = site();
    ok.briefing(
        "a.md",
        &front("A", "2025-03-01", "summary: The bottom line.\n"),
        "",
    );
    assert_eq!(run(&ok, &["check", "--strict"]).code, 0);
}

#[test]
fn title_used_twice() {
    let s = site();
    s.briefing("a.md", &fm("Talks resume", "2025-03-01"), "Body.\n");
    s.briefing("b.md", &fm("Talks resume", "2025-03-02"), "Body.\n");
    assert_reported(
        &s,
        &warning(
            "content/a.md",
            2,
            8,
            "title `Talks resume` is also used by content/b.md",
        ),
    );
    assert_reported(
        &s,
        &warning(
            "content/b.md",
            2,
            8,
            "title `Talks resume` is also used by content/a.md",
        ),
    );
}

#[test]
fn build_prints_warnings_and_succeeds() {
    let s = site();
    s.briefing(
        "a.md",
        &front("A", "2025-03-01", "actors: [Kiril Dmitriev]\n"),
        "Body.\n",
    );
    let r = run(&s, &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("warning: actor `Kiril Dmitriev` is not declared"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("content/a.md:5:10"), "{}", r.stderr);
}

// Links between briefings.

#[test]
fn links_to_briefings_become_their_urls() {
    let s = site();
    s.write(
        "site.yaml",
        format!(
            "{}base_url: https://example.org/briefs/\n",
            common::SITE_YAML.replace("base_url: https://example.org/\n", "")
        ),
    );
    s.briefing(
        "russia/2025-02-18-riyadh.md",
        &fm("Riyadh", "2025-02-18"),
        "Intro.\n\n## Who was there\n\nText.\n",
    );
    s.briefing(
        "notes/a.md",
        &fm("A", "2025-03-01"),
        "See [Riyadh](../russia/2025-02-18-riyadh.md), [who](/russia/2025-02-18-riyadh.md#who-was-there), [ref][r] and [web](https://example.org/x.md).\n\n[r]: ../russia/2025-02-18-riyadh.md#who-was-there\n",
    );
    let r = run(&s, &["check", "--strict"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let b = run(&s, &["build"]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let page = s.page("briefings/a/index.html");
    assert!(
        page.contains(r#"href="/briefs/briefings/riyadh/""#),
        "{page}"
    );
    assert!(
        page.contains(r#"href="/briefs/briefings/riyadh/#who-was-there""#),
        "{page}"
    );
    assert!(
        page.contains(r#"href="https://example.org/x.md""#),
        "{page}"
    );
    assert!(!page.contains("brief-link"), "{page}");
}

#[test]
fn link_to_a_missing_file_is_an_error_at_the_link() {
    let s = site();
    s.briefing("russia/riyadh.md", &fm("Riyadh", "2025-02-18"), "Text.\n");
    s.briefing(
        "notes/a.md",
        &fm("A", "2025-03-01"),
        "Intro.\n\nSee the [talks](../russia/riyad.md) here.\n",
    );
    let want = error(
        "content/notes/a.md",
        8,
        9,
        "link to `../russia/riyad.md`: no briefing at content/russia/riyad.md",
    )
    .hint("did you mean `/russia/riyadh.md`?");
    assert_reported(&s, &want);
    let b = run(&s, &["build"]);
    assert_eq!(b.code, 1);
    assert!(b.stderr.contains("content/notes/a.md:8:9"), "{}", b.stderr);
    assert!(
        b.stderr.contains("[talks](../russia/riyad.md)"),
        "snippet: {}",
        b.stderr
    );
}

#[test]
fn link_to_a_missing_heading_is_an_error_at_the_link() {
    let s = site();
    s.briefing(
        "russia/riyadh.md",
        &fm("Riyadh", "2025-02-18"),
        "Text.\n\n## Who was there\n",
    );
    s.briefing(
        "a.md",
        &fm("A", "2025-03-01"),
        "Text [x](/russia/riyadh.md#who-was-here).\n",
    );
    assert_reported(
        &s,
        &error(
            "content/a.md",
            6,
            6,
            "no such heading in content/russia/riyadh.md",
        )
        .hint("did you mean `#who-was-there`?"),
    );
    assert_eq!(run(&s, &["build"]).code, 1);
}

#[test]
fn link_outside_content_is_an_error() {
    let s = site();
    s.briefing(
        "a.md",
        &fm("A", "2025-03-01"),
        "Text.\n\n[x](../../etc/passwd.md)\n",
    );
    assert_reported(
        &s,
        &error(
            "content/a.md",
            8,
            1,
            "link to `../../etc/passwd.md` points outside content/",
        ),
    );
}

#[test]
fn link_to_a_draft_is_an_error_unless_drafts_are_built() {
    let s = site();
    s.briefing(
        "d.md",
        &front("D", "2025-02-01", "draft: true\n"),
        "Text.\n",
    );
    s.briefing("a.md", &fm("A", "2025-03-01"), "[d](d.md)\n");
    assert_reported(
        &s,
        &error("content/a.md", 6, 1, "a draft left out of this build"),
    );
    assert_eq!(run(&s, &["check", "--drafts"]).code, 0);
}

#[test]
fn a_link_to_a_file_that_failed_to_load_is_not_reported_twice() {
    let s = site();
    s.briefing("b.md", "title: B\n", "Text.\n");
    s.briefing("a.md", &fm("A", "2025-03-01"), "[b](b.md)\n");
    let j = run(&s, &["check", "--format", "json"]);
    assert_eq!(j.code, 1);
    assert!(j.stdout.contains("missing field `date`"), "{}", j.stdout);
    assert!(!j.stdout.contains("link to"), "{}", j.stdout);
}

// Limits.

#[test]
fn a_file_over_4_mib_is_refused() {
    let s = site();
    let mut text = format!("---\n{}---\n", fm("Big", "2025-03-01")).into_bytes();
    text.resize(4 * 1024 * 1024 + 1, b'a');
    s.write("content/big.md", text);
    assert_reported(
        &s,
        &error(
            "content/big.md",
            1,
            1,
            "file is 4194305 bytes; briefings are limited to 4 MiB",
        ),
    );
}

#[test]
fn front_matter_nested_deeper_than_64_levels_is_refused() {
    let s = site();
    let deep = format!("{}{}", "[".repeat(70), "]".repeat(70));
    s.briefing(
        "deep.md",
        &front("Deep", "2025-03-01", &format!("extra: {{a: {deep}}}\n")),
        "Body.\n",
    );
    assert_reported(
        &s,
        &error(
            "content/deep.md",
            5,
            74,
            "YAML is nested more than 64 levels deep",
        ),
    );
    // Block style, one level per line.
    let mut block = String::from("extra:\n");
    for i in 0..70 {
        block.push_str(&format!("{}k{i}:\n", "  ".repeat(i + 1)));
    }
    block.push_str(&format!("{}1\n", "  ".repeat(71)));
    let b = site();
    b.briefing("deep.md", &front("Deep", "2025-03-01", &block), "Body.\n");
    let r = run(&b, &["check", "--format", "json"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("YAML is nested more than 64 levels deep"),
        "{}",
        r.stdout
    );
}

#[test]
fn alias_expansion_beyond_the_budget_is_refused_quickly() {
    let s = site();
    let mut lol = String::from("extra:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(", ");
        lol.push_str(&format!("  {}: &{} [{refs}]\n", w[1], w[1]));
    }
    s.briefing("lol.md", &front("Laughs", "2025-03-01", &lol), "Body.\n");
    let start = std::time::Instant::now();
    assert_reported(
        &s,
        &error(
            "content/lol.md",
            10,
            14,
            "YAML is too large or expands too many aliases",
        ),
    );
    assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
}

// Output at scale.

#[test]
fn human_output_is_grouped_by_file_with_counts_per_kind() {
    let s = site();
    for i in 0..3 {
        s.briefing(
            &format!("bad{i}.md"),
            "title: x\ndate: 2025\ntopic: t\nactor: [a]\n",
            "",
        );
    }
    s.briefing(
        "w.md",
        &front("W", "2025-03-01", "actors: [Kiril Dmitriev]\n"),
        "Body.\n",
    );
    let h = run(&s, &["check"]);
    assert_eq!(h.code, 1);
    assert!(
        h.stderr
            .contains("── content/bad0.md (1 error, 0 warnings)"),
        "{}",
        h.stderr
    );
    assert!(
        h.stderr.contains("── content/w.md (0 errors, 1 warning)"),
        "{}",
        h.stderr
    );
    assert!(
        h.stderr.contains("3 × unknown field (error)"),
        "{}",
        h.stderr
    );
    assert!(
        h.stderr.contains("1 × undeclared actor (warning)"),
        "{}",
        h.stderr
    );
    assert!(
        h.stderr.trim_end().ends_with("3 errors, 1 warning"),
        "{}",
        h.stderr
    );
    // Files appear in order, each once.
    let a = h.stderr.find("── content/bad0.md").unwrap();
    let b = h.stderr.find("── content/bad1.md").unwrap();
    assert!(a < b);
}

// Template functions.

#[test]
fn templates_link_to_themes_and_actors_by_name() {
    let s = site();
    s.briefing("a.md", &fm("A", "2025-03-01"), "Body.\n");
    s.write(
        "templates/404.html",
        r#"{% extends "base.html" %}{% block content %}<a id="t" href="{{ theme_url(name="U.S.–Russia economic talks") }}">t</a><a id="s" href="{{ theme_url(name="us-russia-economic-talks") }}">s</a><a id="a" href="{{ actor_url(name="Dmitriev") }}">a</a>{% endblock %}"#,
    );
    let r = run(&s, &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = s.page("404.html");
    assert!(
        page.contains(r#"<a id="t" href="/themes/us-russia-economic-talks/">"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<a id="s" href="/themes/us-russia-economic-talks/">"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<a id="a" href="/actors/kirill-dmitriev/">"#),
        "{page}"
    );
}

#[test]
fn an_unknown_name_in_a_template_function_is_an_error() {
    let s = site();
    s.briefing("a.md", &fm("A", "2025-03-01"), "Body.\n");
    s.write(
        "templates/404.html",
        r#"{% extends "base.html" %}{% block content %}{{ actor_url(name="Kiril Dmitriev") }}{% endblock %}"#,
    );
    for args in [&["build"][..], &["check"][..]] {
        let r = run(&s, args);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("no actor named `Kiril Dmitriev`"),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.contains("did you mean `Kirill Dmitriev`?"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("templates/404.html"), "{}", r.stderr);
    }
}

#[test]
fn warnings_are_reported_alongside_link_errors() {
    let s = site();
    s.briefing("a.md", &fm("A", "2026-01-01"), "[x](gone.md)\n");
    let j = run(&s, &["check", "--format", "json"]);
    assert_eq!(j.code, 1);
    assert!(
        j.stdout.contains("no briefing at content/gone.md"),
        "{}",
        j.stdout
    );
    assert!(
        j.stdout.contains("date 2026-01-01 is in the future"),
        "{}",
        j.stdout
    );
}
