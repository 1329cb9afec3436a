//! `brief serve` driven over real HTTP on loopback: edits, errors, files coming and going,
//! path traversal, concurrency, and what it never does (write to public/).

mod common;
use common::server::Server;
use common::{fm, Site};
use std::time::Duration;

fn site() -> Site {
    let s = Site::new();
    s.briefing(
        "us/talks.md",
        &format!("{}actors: [Dmitriev]\n", fm("Talks begin", "2025-03-24")),
        "First body.\n",
    );
    s.briefing(
        "us/riyadh.md",
        &fm("Riyadh round", "2025-02-18"),
        "Earlier.\n",
    );
    s
}

#[test]
fn edit_reloads_tabs_after_the_rebuild_and_updates_every_page() {
    let s = site();
    let srv = Server::start(s.root(), &[]);
    let home = srv.get("/");
    assert_eq!(home.status, 200);
    assert!(
        home.body.contains("brief-live-reload"),
        "live reload script missing"
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert!(home
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));

    let mut events = srv.events();
    s.briefing(
        "us/talks.md",
        &format!("{}actors: [Dmitriev]\n", fm("Talks renamed", "2025-03-24")),
        "Second body.\n",
    );
    events.wait("reload");
    // The reload is sent only after the whole site is swapped: every page is fresh at once.
    // Data exports are rendered when first asked for, from the finished rebuild.
    for page in [
        "/",
        "/briefings/talks/",
        "/briefings/riyadh/",
        "/themes/us-russia-economic-talks/",
        "/actors/kirill-dmitriev/",
        "/briefings.json",
        "/timeline.json",
        "/search-index.json",
        "/atom.xml",
    ] {
        assert!(srv.get(page).body.contains("Talks renamed"), "{page} stale");
    }
    assert!(
        !s.root().join("public").exists(),
        "serve wrote into public/"
    );
}

#[test]
fn a_broken_file_shows_the_overlay_over_the_last_good_site_until_fixed() {
    let s = site();
    let srv = Server::start(s.root(), &[]);
    let mut events = srv.events();
    s.briefing(
        "us/talks.md",
        "title: Talks begin\ndate: 2025-13-01\ntopic: t\n",
        "",
    );
    let data = events.wait("build-error");
    assert!(data.contains("content/us/talks.md:3:7"), "{data}");
    let page = srv.get("/briefings/talks/");
    assert_eq!(page.status, 200, "last good page still served");
    assert!(page.body.contains("First body."));
    assert!(page.body.contains("id=\"brief-overlay\""));
    assert!(page.body.contains("content/us/talks.md:3:7"));
    // Every HTML page carries it, including the 404 page.
    assert!(srv.get("/nowhere/").body.contains("id=\"brief-overlay\""));
    // The terminal shows it once.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        srv.stderr().matches("content/us/talks.md:3:7").count(),
        1,
        "{}",
        srv.stderr()
    );

    s.briefing("us/talks.md", &fm("Talks fixed", "2025-03-24"), "Fixed.\n");
    events.wait("reload");
    let page = srv.get("/briefings/talks/");
    assert!(!page.body.contains("id=\"brief-overlay\""), "overlay stuck");
    assert!(page.body.contains("Talks fixed"));
}

#[test]
fn add_delete_rename_and_atomic_save() {
    let s = site();
    let srv = Server::start(s.root(), &[]);
    s.briefing("new/added.md", &fm("Added later", "2025-04-01"), "");
    srv.wait_for("/briefings/added/", "added page", |r| r.status == 200);
    assert!(srv.get("/").body.contains("Added later"));

    std::fs::remove_file(s.root().join("content/new/added.md")).unwrap();
    srv.wait_for("/briefings/added/", "deleted page", |r| r.status == 404);
    assert!(!srv.get("/").body.contains("Added later"));

    std::fs::rename(
        s.root().join("content/us/riyadh.md"),
        s.root().join("content/us/riyadh-2.md"),
    )
    .unwrap();
    srv.wait_for("/briefings/riyadh-2/", "renamed page", |r| r.status == 200);
    assert_eq!(srv.get("/briefings/riyadh/").status, 404);

    // Editors' atomic save: write a temporary file, then rename it over the original.
    let tmp = s.root().join("content/us/.talks.md.tmp");
    std::fs::write(
        &tmp,
        format!(
            "---\n{}---\nAtomic.\n",
            fm("Saved atomically", "2025-03-24")
        ),
    )
    .unwrap();
    std::fs::rename(&tmp, s.root().join("content/us/talks.md")).unwrap();
    srv.wait_for("/briefings/talks/", "atomic save", |r| {
        r.body.contains("Saved atomically")
    });

    // A new folder with a file in it.
    s.briefing("brand/new/deep.md", &fm("Deep file", "2025-05-01"), "");
    srv.wait_for("/briefings/deep/", "new folder", |r| r.status == 200);

    // Editor litter does not trigger anything or break the build.
    s.write("content/us/.talks.md.swp", "garbage");
    s.write("content/us/talks.md~", "garbage");
    s.write("content/us/4913", "");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(srv.get("/briefings/talks/").status, 200);
    assert!(!srv.get("/").body.contains("id=\"brief-overlay\""));
}

#[test]
fn css_change_swaps_styles_without_a_reload() {
    let s = site();
    s.write("static/style.css", "body { color: blue }");
    let srv = Server::start(s.root(), &[]);
    let mut events = srv.events();
    s.write("static/style.css", "body { color: red }");
    events.wait("css");
    assert!(!events.seen.contains(&"reload".to_string()));
    assert_eq!(srv.get("/style.css").body, "body { color: red }");
    assert!(srv
        .get("/style.css")
        .header("content-type")
        .unwrap()
        .starts_with("text/css"));
}

#[test]
fn template_change_rebuilds() {
    let s = site();
    let srv = Server::start(s.root(), &[]);
    let mut events = srv.events();
    s.write(
        "templates/404.html",
        "<!DOCTYPE html><html><body>custom missing</body></html>",
    );
    events.wait("reload");
    let r = srv.get("/does-not-exist/");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("custom missing"));
}

#[test]
fn nothing_outside_the_built_site_can_be_read() {
    let s = site();
    s.write("secret.txt", "TOP SECRET");
    s.write("content/us/notes.txt", "TOP SECRET");
    let srv = Server::start(s.root(), &[]);
    for path in [
        "/../secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/briefings/../../secret.txt",
        "/briefings/%2e%2e/%2e%2e/secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/%2fetc%2fpasswd",
        "/site.yaml",
        "/content/us/talks.md",
        "/content/us/notes.txt",
        "/secret.txt",
        "/%00",
    ] {
        let r = srv.get(path);
        assert!(
            r.status == 404 || r.status == 400,
            "{path}: status {}",
            r.status
        );
        assert!(
            !r.body.contains("TOP SECRET") && !r.body.contains("root:"),
            "{path} leaked"
        );
    }
    let r = srv.get("/missing/");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Page not found"), "site's own 404 page");
}

#[test]
fn symlinks_out_of_the_site_are_neither_built_nor_served() {
    let s = site();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.txt"), "OUTSIDE").unwrap();
    s.write("static/ok.txt", "inside");
    std::os::unix::fs::symlink(
        outside.path().join("x.txt"),
        s.root().join("static/leak.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), s.root().join("static/dir")).unwrap();
    let srv = Server::start(s.root(), &[]);
    assert_eq!(srv.get("/ok.txt").body, "inside");
    for path in ["/leak.txt", "/dir/x.txt"] {
        let r = srv.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("OUTSIDE"));
    }
    drop(srv);
    s.build();
    assert!(!s.exists("leak.txt") && !s.exists("dir/x.txt"));
}

#[test]
fn hundreds_of_concurrent_requests() {
    let s = site();
    let srv = Server::start(s.root(), &[]);
    let port = srv.port;
    let handles: Vec<_> = (0..8)
        .map(|t| {
            std::thread::spawn(move || {
                for i in 0..40 {
                    let path = ["/", "/briefings/talks/", "/themes/", "/style.css"][(t + i) % 4];
                    assert_eq!(common::server::raw_get(port, path).status, 200, "{path}");
                }
            })
        })
        .collect();
    // Rebuilds while requests are in flight: answered from the old or new site, never half.
    for n in 0..5 {
        s.briefing("us/talks.md", &fm(&format!("Talks {n}"), "2025-03-24"), "");
        std::thread::sleep(Duration::from_millis(40));
    }
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn drafts_are_served_only_with_the_flag_and_never_written() {
    let s = site();
    s.briefing(
        "d.md",
        &format!("{}draft: true\n", fm("Draft note", "2025-01-01")),
        "",
    );
    let srv = Server::start(s.root(), &["--drafts"]);
    assert_eq!(srv.get("/briefings/d/").status, 200);
    drop(srv);
    let srv = Server::start(s.root(), &[]);
    assert_eq!(srv.get("/briefings/d/").status, 404);
    assert!(!s.root().join("public").exists());
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let s = site();
    let srv = Server::start(s.root(), &[]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["serve", "--port", &srv.port.to_string(), "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("port {}", srv.port)) && err.contains("already in use"),
        "{err}"
    );
}

#[test]
fn ctrl_c_stops_it_quickly_with_exit_zero() {
    let s = site();
    let mut srv = Server::start(s.root(), &[]);
    let _events = srv.events();
    let pid = srv.child.id().to_string();
    let start = std::time::Instant::now();
    std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    loop {
        if let Some(status) = srv.child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status:?}");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "still running after 1 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_site_broken_from_the_start_still_serves_the_error() {
    let s = site();
    s.briefing("bad.md", "title: x\n", "");
    let srv = Server::start(s.root(), &[]);
    let r = srv.get("/");
    assert_eq!(r.status, 404);
    assert!(
        r.body.contains("id=\"brief-overlay\"") && r.body.contains("content/bad.md"),
        "{}",
        r.body
    );
    s.briefing("bad.md", &fm("Now good", "2025-01-01"), "");
    srv.wait_for("/", "recovery", |r| {
        r.status == 200 && r.body.contains("Now good") && !r.body.contains("id=\"brief-overlay\"")
    });
}

#[test]
fn a_later_list_page_that_fails_keeps_its_last_good_version_and_shows_why() {
    // Later pages of a list are rendered when asked for; one that fails then must still show
    // the last good version, with the error over it, as a failed rebuild would.
    let s = site();
    s.write("site.yaml", format!("{}page_size: 1\n", common::SITE_YAML));
    s.write(
        "templates/index.html",
        r#"{% for g in groups %}{% for e in g.entries %}<p>{{ e.title }}</p>{% if e.title == "Boom" %}{{ e.title | int }}{% endif %}{% endfor %}{% endfor %}"#,
    );
    let srv = Server::start(s.root(), &[]);
    let mut events = srv.events();
    let page = srv.get("/page/2/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<p>Riyadh round</p>"), "{}", page.body);

    // Lands on page 2, whose template now fails; page 1 and the rebuild are fine.
    s.briefing("us/boom.md", &fm("Boom", "2025-03-01"), "");
    events.wait("reload");
    assert!(srv.get("/").body.contains("<p>Talks begin</p>"));
    for _ in 0..2 {
        let page = srv.get("/page/2/");
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("<p>Riyadh round</p>"),
            "last good: {}",
            page.body
        );
        assert!(page.body.contains("id=\"brief-overlay\""), "{}", page.body);
        assert!(
            page.body.contains("templates/index.html:1:"),
            "{}",
            page.body
        );
    }

    s.briefing("us/boom.md", &fm("No longer boom", "2025-03-01"), "");
    events.wait("reload");
    let page = srv.get("/page/2/");
    assert!(page.body.contains("<p>No longer boom</p>"), "{}", page.body);
    assert!(!page.body.contains("id=\"brief-overlay\""), "overlay stuck");
}

#[test]
fn a_saved_files_warnings_are_printed_and_the_rest_counted() {
    let s = site();
    s.briefing(
        "us/odd.md",
        &format!(
            "{}actors: [Somebody Undeclared]\n",
            fm("Odd one", "2025-01-05")
        ),
        "",
    );
    let srv = Server::start(s.root(), &[]);
    let mut events = srv.events();
    assert!(
        srv.stderr()
            .contains("2 warnings: `brief check` lists them"),
        "{}",
        srv.stderr()
    );
    assert!(
        !srv.stderr().contains("Somebody Undeclared"),
        "not listed at start"
    );

    s.briefing(
        "us/talks.md",
        &format!(
            "{}actors: [Another Stranger]\n",
            fm("Talks begin", "2025-03-24")
        ),
        "Edited.\n",
    );
    events.wait("reload");
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !srv.stderr().contains("Another Stranger") && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let err = srv.stderr();
    assert!(
        err.contains("actor `Another Stranger` is not declared in site.yaml"),
        "{err}"
    );
    assert!(err.contains("content/us/talks.md:"), "{err}");
    // Only the saved file's: the other file's warning was not reprinted.
    assert!(!err.contains("Somebody Undeclared"), "{err}");
}

#[test]
fn a_later_list_page_that_is_no_longer_planned_is_no_longer_served() {
    let s = Site::new();
    s.write("site.yaml", format!("{}page_size: 1\n", common::SITE_YAML));
    s.briefing("a.md", &fm("A", "2025-01-01"), "");
    s.briefing("b.md", &fm("B", "2025-01-02"), "");
    let srv = Server::start(s.root(), &[]);
    assert_eq!(srv.get("/page/2/").status, 200); // rendered on demand
    let mut events = srv.events();
    std::fs::remove_file(s.root().join("content/b.md")).unwrap();
    events.wait("reload");
    assert!(!srv.get("/").body.contains(">B<"));
    let r = srv.get("/page/2/");
    assert_eq!(r.status, 404, "stale page 2 still served: {}", r.body.len());
}
