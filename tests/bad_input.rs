//! One test per bad input: exit code 1, the file named with line and column, no panic,
//! and the last good output left in place.

mod common;
use common::{fm, snapshot, Site};

/// Builds a good site, then breaks `rel` with `text` and checks the failure.
fn broken(rel: &str, text: &[u8], needles: &[&str]) -> common::Run {
    let s = Site::new();
    s.briefing("good.md", &fm("Good", "2025-01-01"), "ok\n");
    s.build();
    let before = snapshot(&s.root().join("public"));
    s.write(rel, text);
    let r = s.run(&["build"]);
    for n in needles {
        r.fails_with(n);
    }
    assert_eq!(
        before,
        snapshot(&s.root().join("public")),
        "output changed after a failed build"
    );
    r
}

#[test]
fn unknown_field_names_the_closest_known_one() {
    let r = broken(
        "content/bad.md",
        b"---\ntitle: x\ndate: 2025\ntopic: t\nactor: [Putin]\n---\n",
        &["content/bad.md:5:1", "unknown field `actor`"],
    );
    assert!(r.stderr.contains("did you mean `actors`?"), "{}", r.stderr);
    assert!(
        r.stderr.contains("actor: [Putin]"),
        "snippet missing: {}",
        r.stderr
    );
}

#[test]
fn missing_field() {
    broken(
        "content/bad.md",
        b"---\ntitle: x\ntopic: t\n---\n",
        &["content/bad.md:1:1", "missing field `date`"],
    );
}

#[test]
fn empty_title() {
    broken(
        "content/bad.md",
        b"---\ntitle: \"  \"\ndate: 2025\ntopic: t\n---\n",
        &["content/bad.md:2:8", "`title` is empty"],
    );
}

#[test]
fn bad_date() {
    broken(
        "content/bad.md",
        b"---\ntitle: x\ndate: 2025-02-30\ntopic: t\n---\n",
        &["content/bad.md:3:7", "not a real calendar date"],
    );
    broken(
        "content/bad.md",
        b"---\ntitle: x\ndate: March 2025\ntopic: t\n---\n",
        &["content/bad.md:3:7", "is not a date"],
    );
}

#[test]
fn wrong_types() {
    broken(
        "content/bad.md",
        b"---\ntitle: [a, b]\ndate: 2025\ntopic: t\n---\n",
        &["content/bad.md:2:8"],
    );
    broken(
        "content/bad.md",
        b"---\ntitle: x\ndate: 2025\ntopic: t\ndraft: perhaps\n---\n",
        &["content/bad.md:5:8"],
    );
    broken(
        "content/bad.md",
        b"---\ntitle: x\ndate: 2025\ntopic: t\nextra: 5\n---\n",
        &["content/bad.md:5:8", "`extra` must be a map"],
    );
}

#[test]
fn bad_status_suggests_the_closest() {
    let r = broken(
        "content/bad.md",
        b"---\ntitle: x\ndate: 2025\ntopic: t\nstatus: expectd\n---\n",
        &["content/bad.md:5:9", "not a valid `status`"],
    );
    assert!(r.stderr.contains("did you mean `expected`?"));
}

#[test]
fn unclosed_front_matter() {
    broken(
        "content/bad.md",
        b"---\ntitle: x\ndate: 2025\n\nBody\n",
        &["content/bad.md:1:1", "front matter is not closed"],
    );
}

#[test]
fn yaml_syntax_error() {
    broken(
        "content/bad.md",
        b"---\ntitle: x\ndate: 2025\ntopic: [t\n---\n",
        &["content/bad.md:"],
    );
    broken(
        "content/bad.md",
        b"---\ntitle: x\n  date: : 2025\ntopic: t\n---\n",
        &["content/bad.md:"],
    );
}

#[test]
fn non_utf8_bytes() {
    broken(
        "content/bad.md",
        b"---\ntitle: caf\xe9\ndate: 2025\ntopic: t\n---\n",
        &["content/bad.md:2:11", "not valid UTF-8"],
    );
}

#[test]
fn empty_file() {
    broken(
        "content/bad.md",
        b"",
        &["content/bad.md:1:1", "file is empty"],
    );
}

#[test]
fn no_front_matter() {
    broken(
        "content/bad.md",
        b"# Just a heading\n",
        &["content/bad.md:1:1", "no front matter"],
    );
}

#[test]
fn duplicate_slug_names_both_files() {
    let s = Site::new();
    s.briefing("a/same.md", &fm("One", "2025-01-01"), "");
    s.briefing("b/2025-01-02-same.md", &fm("Two", "2025-01-02"), "");
    let r = s.run(&["build"]);
    r.fails_with("duplicate slug `same`");
    assert!(
        r.stderr.contains("content/a/same.md") && r.stderr.contains("content/b/2025-01-02-same.md"),
        "{}",
        r.stderr
    );
}

#[test]
fn yaml_alias_bomb_is_refused_quickly() {
    let mut bomb = String::from(
        "---\ntitle: x\ndate: 2025\ntopic: t\nextra:\n  a: &a [x,x,x,x,x,x,x,x,x,x]\n",
    );
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
        bomb.push_str(&format!("  {name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    bomb.push_str("---\n");
    let start = std::time::Instant::now();
    broken("content/bad.md", bomb.as_bytes(), &["content/bad.md:"]);
    assert!(
        start.elapsed().as_secs() < 20,
        "alias bomb took {:?}",
        start.elapsed()
    );
}

#[test]
fn unknown_key_in_site_yaml() {
    let r = broken(
        "site.yaml",
        b"title: x\nbase_ulr: https://example.org/\n",
        &["site.yaml:2:1", "unknown key `base_ulr`"],
    );
    assert!(r.stderr.contains("did you mean `base_url`?"));
}

#[test]
fn template_syntax_error_names_the_template_and_line() {
    broken(
        "templates/index.html",
        b"<p>\n{% if x %}\n{{ oops( }}\n",
        &["templates/index.html:3:"],
    );
}

#[test]
fn template_render_error_names_the_template() {
    broken(
        "templates/404.html",
        b"line one\n{{ site.title | no_such_filter }}\n",
        &["templates/404.html:2:"],
    );
}

#[test]
fn oversized_file() {
    let mut big = b"---\ntitle: x\ndate: 2025\ntopic: t\n---\n".to_vec();
    big.resize(4 * 1024 * 1024 + 10, b'a');
    broken(
        "content/bad.md",
        &big,
        &["content/bad.md", "limited to 4 MiB"],
    );
}

#[test]
fn all_errors_are_reported_in_one_run() {
    let s = Site::new();
    s.briefing("a.md", "title: x\ndate: bad\ntopic: t\n", "");
    s.briefing("b.md", "title: x\ndate: 2025\ntopic: t\nsttus: x\n", "");
    s.write("content/c.md", "no fences");
    let r = s.run(&["build"]);
    r.fails_with("content/a.md:3:7")
        .fails_with("content/b.md:5:1")
        .fails_with("content/c.md:1:1");
    assert!(r.stderr.contains("3 errors"), "{}", r.stderr);
}
