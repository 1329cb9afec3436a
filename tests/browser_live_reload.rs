//! The live preview in a real browser: an edit shows up without a manual reload, a broken file
//! shows the overlay, a fix clears it, and the scroll position survives the reload.

mod common;
use common::browser::Browser;
use common::server::Server;
use common::{fm, Site};

#[test]
fn edits_and_errors_reach_an_open_tab() {
    let Some(browser) = Browser::start(1024, 700) else {
        return;
    };
    let s = Site::new();
    let long_body = "Paragraph.\n\n".repeat(200);
    s.briefing("talks.md", &fm("Talks begin", "2025-03-24"), &long_body);
    let srv = Server::start(s.root(), &[]);
    browser.goto(&format!("http://127.0.0.1:{}/briefings/talks/", srv.port));
    browser.wait_until("return document.querySelector('h1') && document.querySelector('h1').textContent === 'Talks begin' && window.__briefLiveReload === true", "first page");
    browser.eval("window.scrollTo(0, 1500); window.__marker = 'same page load'; return true;");

    s.briefing("talks.md", &fm("Talks renamed", "2025-03-24"), &long_body);
    browser.wait_until(
        "return document.querySelector('h1').textContent === 'Talks renamed'",
        "live edit",
    );
    assert!(
        browser
            .eval("return window.__marker === undefined")
            .as_bool()
            .unwrap(),
        "the page was not reloaded"
    );
    browser.wait_until("return window.scrollY > 1000", "scroll position kept");

    s.briefing(
        "talks.md",
        "title: Talks renamed\ndate: 2025-99\ntopic: t\n",
        "",
    );
    browser.wait_until(
        "return !!document.getElementById('brief-overlay')",
        "error overlay",
    );
    let text = browser
        .eval("return document.getElementById('brief-overlay').textContent")
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.contains("content/talks.md:3:7"), "{text}");
    assert_eq!(
        browser
            .eval("return document.querySelector('h1').textContent")
            .as_str(),
        Some("Talks renamed"),
        "last good page underneath"
    );

    s.briefing("talks.md", &fm("Talks fixed", "2025-03-24"), "Fixed.\n");
    browser.wait_until("return document.querySelector('h1').textContent === 'Talks fixed' && !document.getElementById('brief-overlay')", "overlay cleared");
}
