//! Search: the index's layout and size discipline, the search page, and (in headless
//! Chromium, when it is installed) a query typed into the page finding the right briefing,
//! with keyboard navigation; plus the home page's theme filter working in place.

mod common;
use common::browser::Browser;
use common::server::Server;
use common::Site;
use serde_json::Value;

fn site() -> Site {
    let s = Site::new();
    s.write(
        "site.yaml",
        "title: Search test\nbase_url: https://example.org/\nthemes:\n  - title: Rare earths\n  - title: Energy\nactors:\n  - name: Kirill Dmitriev\n    aliases: [RDIF chief]\n",
    );
    s.briefing(
        "ore.md",
        "title: Rare-earth talks open\ndate: 2025-03-24\ntopic: Rare earths\nactors: [Kirill Dmitriev]\ntags: [lanthanides]\nsummary: Moscow and Washington discuss joint projects.\n",
        &format!("Opening words mention yttrium. {} Far down the body comes the word zirconium.\n", "filler ".repeat(300)),
    );
    s.briefing(
        "gas.md",
        "title: Pipeline deal signed\ndate: 2025-03-20\ntopic: Energy\nstatus: developing\nsummary: A gas pipeline agreement was signed.\n",
        "The compressor stations are in Turkmenistan.\n",
    );
    s.briefing(
        "draft.md",
        "title: Secret draft\ndate: 2025-03-21\ntopic: Energy\ndraft: true\n",
        "Hidden.\n",
    );
    s.build();
    s
}

#[test]
fn the_index_is_compact_and_complete() {
    let s = site();
    let v: Value = serde_json::from_str(&s.page("search-index.json")).unwrap();
    assert_eq!(v["v"], 1);
    assert_eq!(v["base"], "/");
    let docs = v["docs"].as_array().unwrap();
    assert_eq!(docs.len(), 2, "drafts are not indexed");
    let ore = &docs[0];
    assert_eq!(ore[0], "ore");
    assert_eq!(ore[1], "Rare-earth talks open");
    assert_eq!(ore[2], "24 March 2025");
    let theme = &v["themes"][ore[3][0].as_u64().unwrap() as usize];
    assert_eq!(theme[1], "Rare earths");
    let actor = &v["actors"][ore[4][0].as_u64().unwrap() as usize];
    assert_eq!(actor[1], "Kirill Dmitriev");
    assert_eq!(actor[2], "RDIF chief", "aliases are searchable");
    assert_eq!(
        v["tags"][ore[5][0].as_u64().unwrap() as usize][1],
        "lanthanides"
    );
    assert_eq!(ore[6], "Moscow and Washington discuss joint projects.");
    // The body contributes the distinct terms of its opening words only.
    let body = ore[7].as_str().unwrap();
    assert!(
        body.contains("yttrium") && !body.contains("zirconium"),
        "{body}"
    );
    assert_eq!(body.matches("filler").count(), 1, "each term once");
    assert!(body.split(' ').count() <= brief::load::terms::BODY_WORDS);
    assert_eq!(ore[8], "", "confirmed is the default");
    assert_eq!(docs[1][8], "developing");
    assert!(docs[1][7].as_str().unwrap().contains("turkmenistan"));
}

#[test]
fn the_search_page_works_offline_with_vendored_minisearch() {
    let s = site();
    let page = s.page("search/index.html");
    assert!(page.contains("data-index=\"/search-index.json\""));
    assert!(page.contains("src=\"/minisearch.js\"") && page.contains("src=\"/search.js\""));
    assert!(page.contains("<noscript>"));
    for (path, needle) in [
        ("minisearch.js", "MiniSearch"),
        ("minisearch.LICENSE.txt", "Permission is hereby granted"),
        ("search.js", "search-index"),
    ] {
        assert!(s.page(path).contains(needle), "{path}");
    }
    // No request leaves the site: no absolute URL in the scripts or the page's own assets.
    for path in ["search.js", "app.js"] {
        assert!(
            !s.page(path).contains("http://") && !s.page(path).contains("https://"),
            "{path}"
        );
    }
}

#[test]
fn a_query_in_the_browser_finds_the_briefing() {
    let Some(browser) = Browser::start(1024, 800) else {
        return;
    };
    let s = site();
    let srv = Server::start(s.root(), &[]);
    let base = format!("http://127.0.0.1:{}", srv.port);

    // A word from the body, the date and the theme shown with the result.
    browser.goto(&format!("{base}/search/?q=turkmenistan"));
    browser.wait_until(
        "return document.querySelectorAll('#search-results li').length === 1",
        "one result",
    );
    let first = browser.eval("var li = document.querySelector('#search-results li'); return [li.querySelector('a').textContent, li.querySelector('a').getAttribute('href'), li.querySelector('.search-meta').textContent];");
    assert_eq!(
        first,
        serde_json::json!([
            "Pipeline deal signed",
            "/briefings/gas/",
            "20 March 2025 · Energy · Developing"
        ])
    );

    // Typing: an actor's alias, a prefix; arrow keys move from the box to the results.
    browser.eval("var i = document.getElementById('search-input'); i.value = 'rdif'; i.dispatchEvent(new Event('input')); return true;");
    browser.wait_until("var a = document.querySelector('#search-results a'); return !!a && a.textContent === 'Rare-earth talks open';", "alias result");
    browser.wait_until(
        "return location.search === '?q=rdif'",
        "query kept in the address",
    );
    browser.eval("var i = document.getElementById('search-input'); i.value = 'pipe'; i.dispatchEvent(new Event('input')); return true;");
    browser.wait_until("var a = document.querySelector('#search-results a'); return !!a && a.textContent === 'Pipeline deal signed';", "prefix result");
    let moved = browser.eval("var i = document.getElementById('search-input'); i.focus(); i.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true})); return document.activeElement.textContent;");
    assert_eq!(moved, "Pipeline deal signed");
    let back = browser.eval("document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowUp', bubbles: true})); return document.activeElement.id;");
    assert_eq!(back, "search-input");
    browser.eval("var i = document.getElementById('search-input'); i.value = 'zzzzqqq'; i.dispatchEvent(new Event('input')); return true;");
    browser.wait_until("return document.getElementById('search-status').textContent.indexOf('No briefings match') === 0", "no results message");

    // The theme chips filter the home page in place.
    browser.goto(&format!("{base}/"));
    browser.wait_until(
        "return !!document.querySelector('.chips [data-theme=energy][aria-pressed]')",
        "chips enhanced",
    );
    browser.eval("document.querySelector('.chips [data-theme=energy]').click(); return true;");
    let shown = browser.eval("return Array.prototype.filter.call(document.querySelectorAll('.timeline .entry'), function (e) { return !e.hidden; }).map(function (e) { return e.querySelector('h3').textContent; });");
    assert_eq!(shown, serde_json::json!(["Pipeline deal signed"]));
    assert_eq!(
        browser.eval("return location.pathname"),
        "/",
        "filtered in place, not navigated"
    );
    browser.eval("document.querySelector('.chips [data-theme=energy]').click(); return true;");
    let all =
        browser.eval("return document.querySelectorAll('.timeline .entry:not([hidden])').length");
    assert_eq!(all, 2);
}
