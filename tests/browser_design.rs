//! The default theme in a real browser (headless Chromium over WebDriver), on every page kind
//! of the example site, served from a static server under a path prefix:
//!
//! - axe-core finds no accessibility violations, in light and in dark mode;
//! - screenshots at 390 px and 1280 px go to `target/screenshots/` (CI keeps them), and the
//!   layout holds: no horizontal scrolling on a phone, the page's heading above the fold, the
//!   timeline's months in order;
//! - the keyboard reaches every link and the search box, and focus is always visible.
//! - with scripts disabled every page but search still shows everything.
//!
//! The example site is built with `page_size: 8`, so paginated pages are checked too.

mod common;
use common::browser::Browser;
use common::tools::{axe_source, build_example, StaticServer};
use serde_json::Value;
use std::path::PathBuf;

const PREFIX: &str = "/briefs/";

/// Every page kind: (name, site-relative URL).
const PAGES: &[(&str, &str)] = &[
    ("home", ""),
    ("home-page-2", "page/2/"),
    ("themes", "themes/"),
    ("theme", "themes/us-russia-economic-talks/"),
    ("theme-page-2", "themes/us-russia-economic-talks/page/2/"),
    ("actors", "actors/"),
    ("actor", "actors/kirill-dmitriev/"),
    ("briefing", "briefings/dmitriev-confirms-rare-earth-talks/"),
    (
        "briefing-expected",
        "briefings/next-round-saudi-arabia-mid-april/",
    ),
    ("tag", "tags/rare-earths/"),
    ("digests", "digests/"),
    ("digest-week", "digests/2025-w13/"),
    ("digest-month", "digests/2025-03/"),
    ("digest-email", "digests/2025-w13/email.html"),
    ("search", "search/"),
    ("search-results", "search/?q=rare"),
    ("404", "no-such-page/"),
];

struct Fixture {
    _dir: tempfile::TempDir,
    _out: tempfile::TempDir,
    server: StaticServer,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let public = out.path().join("public");
        build_example(dir.path(), &public, "https://example.org/briefs/", |y| {
            y.replace("page_size: 50", "page_size: 8")
        });
        for (name, path) in PAGES {
            let file = path.split('?').next().unwrap();
            let file = if file.ends_with('/') || file.is_empty() {
                format!("{file}index.html")
            } else {
                file.to_string()
            };
            assert!(
                *name == "404" || public.join(&file).exists(),
                "{name}: {file} not built"
            );
        }
        let server = StaticServer::start(&public, PREFIX);
        Fixture {
            _dir: dir,
            _out: out,
            server,
        }
    }

    fn url(&self, path: &str) -> String {
        self.server.url(PREFIX, path)
    }
}

/// Opens a page and waits until it has settled (search results listed, if asked for).
fn open(browser: &Browser, fx: &Fixture, path: &str) {
    browser.goto(&fx.url(path));
    browser.wait_until("return document.readyState === 'complete'", path);
    if path.contains("?q=") {
        browser.wait_until(
            "return document.querySelectorAll('#search-results li').length > 0",
            "search results",
        );
    }
}

fn screenshots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let target = if target.is_absolute() {
        target
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(target)
    };
    target.join("screenshots")
}

const AXE_RUN: &str = r#"
var done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] }).then(function (r) {
  done(r.violations.map(function (v) {
    return v.id + ' (' + v.impact + '): ' + v.help + '\n      ' + v.nodes.slice(0, 6).map(function (n) {
      return n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\s+/g, ' ');
    }).join('\n      ');
  }));
}, function (e) { done(['axe failed: ' + e]); });
"#;

/// The page's background, as the sum of its RGB channels (0 black … 765 white).
const BACKGROUND: &str = "var c = getComputedStyle(document.body).backgroundColor.match(/\\d+(\\.\\d+)?/g).map(Number); var b = c.length > 3 && c[3] === 0 ? getComputedStyle(document.documentElement).backgroundColor.match(/\\d+(\\.\\d+)?/g).map(Number) : c; return b[0] + b[1] + b[2];";

#[test]
fn axe_finds_no_violations_on_any_page_in_light_or_dark_mode() {
    let Some(axe) = axe_source() else { return };
    let Some(browser) = Browser::start(1280, 900) else {
        return;
    };
    browser.script_timeout(120_000);
    let fx = Fixture::new();
    let mut report = Vec::new();
    let mut checked = 0;
    for scheme in ["light", "dark"] {
        browser.color_scheme(scheme);
        for (name, path) in PAGES {
            open(&browser, &fx, path);
            let dark = browser
                .eval("return matchMedia('(prefers-color-scheme: dark)').matches")
                .as_bool()
                .unwrap();
            assert_eq!(dark, scheme == "dark", "{name}: colour scheme not emulated");
            let bg = browser.eval(BACKGROUND).as_f64().unwrap();
            if *name == "digest-email" {
                // The e-mail page has its own fixed palette (mail clients ignore media queries).
            } else if scheme == "dark" {
                assert!(
                    bg < 150.0,
                    "{name}: dark palette not active (background {bg})"
                );
            } else {
                assert!(
                    bg > 600.0,
                    "{name}: light palette not active (background {bg})"
                );
            }
            browser.eval(&format!("{axe}\n;return typeof axe;"));
            let violations = browser.eval_async(AXE_RUN);
            let list = violations.as_array().expect("axe result");
            checked += 1;
            for v in list {
                report.push(format!("{name} ({scheme}): {}", v.as_str().unwrap_or("")));
            }
        }
    }
    assert!(
        report.is_empty(),
        "axe-core found {} violations:\n{}",
        report.len(),
        report.join("\n")
    );
    eprintln!("axe-core: {checked} page loads (light and dark), 0 violations");
}

#[test]
fn screenshots_and_layout_at_phone_and_desktop_widths() {
    let Some(browser) = Browser::start(1280, 900) else {
        return;
    };
    let fx = Fixture::new();
    let dir = screenshots_dir();
    let mut problems = Vec::new();
    for (width, height, mobile, scheme) in [
        (390, 844, true, "light"),
        (1280, 900, false, "light"),
        (390, 844, true, "dark"),
        (1280, 900, false, "dark"),
    ] {
        browser.viewport(width, height, mobile);
        browser.color_scheme(scheme);
        for (name, path) in PAGES {
            open(&browser, &fx, path);
            let suffix = if scheme == "dark" { "-dark" } else { "" };
            browser.full_screenshot(&dir.join(format!("{name}-{width}{suffix}.png")), 8000);
            if scheme == "dark" {
                continue;
            }
            let facts = browser.eval(
                r#"
                var d = document.documentElement;
                var h1s = document.querySelectorAll('h1');
                var h1 = h1s[0];
                var r = h1 ? h1.getBoundingClientRect() : null;
                var wide = Array.prototype.filter.call(document.querySelectorAll('body *'), function (el) {
                  var b = el.getBoundingClientRect();
                  return b.width > 0 && (b.right > d.clientWidth + 1 || b.left < -1) && el.checkVisibility() && !el.closest('.skip');
                }).slice(0, 5).map(function (el) { return el.tagName.toLowerCase() + '.' + el.className; });
                return {
                  scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, wide: wide,
                  h1s: h1s.length, h1Top: r && r.top, h1Bottom: r && r.bottom, h1Width: r && r.width,
                  h1Visible: !!h1 && h1.checkVisibility({opacityProperty: true, visibilityProperty: true}),
                  inMain: !!h1 && !!h1.closest('main, [role=main]') || location.pathname.endsWith('email.html'),
                  innerHeight: innerHeight,
                  months: Array.prototype.map.call(document.querySelectorAll('.timeline .month-heading[id]'), function (h) { return h.id.slice(2); })
                };"#,
            );
            let num = |k: &str| facts[k].as_f64().unwrap_or(-1.0);
            if num("scrollWidth") > num("clientWidth") {
                problems.push(format!(
                    "{name} at {width}px scrolls sideways: {} > {} ({})",
                    facts["scrollWidth"], facts["clientWidth"], facts["wide"]
                ));
            }
            if facts["h1s"] != 1 || !facts["inMain"].as_bool().unwrap_or(false) {
                problems.push(format!("{name}: not exactly one h1 in main: {facts}"));
            }
            if !(facts["h1Visible"] == true
                && num("h1Top") >= 0.0
                && num("h1Bottom") <= num("innerHeight")
                && num("h1Width") > 0.0)
            {
                problems.push(format!(
                    "{name} at {width}px: the h1 is not visible above the fold: {facts}"
                ));
            }
            let months: Vec<String> = facts["months"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap().to_string())
                .collect();
            let story = name.starts_with("theme") && *name != "themes";
            let mut sorted = months.clone();
            sorted.sort();
            if !story {
                sorted.reverse();
            }
            let mut unique = months.clone();
            unique.dedup();
            if months != sorted || unique.len() != months.len() {
                problems.push(format!(
                    "{name}: month headings out of order ({}): {months:?}",
                    if story {
                        "oldest first"
                    } else {
                        "newest first"
                    }
                ));
            }
            // (The theme's second page holds only its announced events, listed apart.)
            let timeline = ["home", "home-page-2", "theme", "actor", "tag"];
            if timeline.contains(name) && months.is_empty() {
                problems.push(format!("{name}: no month headings"));
            }
            if *name == "home" && months.first().map(String::as_str) != Some("2025-04") {
                problems.push(format!("home: newest month first: {months:?}"));
            }
        }
    }
    // Print: a briefing and a digest as paper would get them.
    browser.viewport(800, 1100, false);
    browser.color_scheme("light");
    browser.cdp(
        "Emulation.setEmulatedMedia",
        serde_json::json!({"media": "print"}),
    );
    for (name, path) in PAGES {
        if ["briefing", "digest-week", "theme"].contains(name) {
            open(&browser, &fx, path);
            let hidden = browser.eval(
                "return getComputedStyle(document.querySelector('.masthead nav')).display === 'none'",
            );
            assert_eq!(hidden, Value::Bool(true), "{name}: navigation printed");
            browser.full_screenshot(&dir.join(format!("{name}-print.png")), 8000);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    eprintln!("screenshots in {}", dir.display());
}

#[test]
fn the_keyboard_reaches_every_link_and_the_search_box_with_visible_focus() {
    let Some(browser) = Browser::start(1280, 900) else {
        return;
    };
    let fx = Fixture::new();
    let mut problems = Vec::new();
    for (name, path) in PAGES {
        open(&browser, &fx, path);
        let n = browser
            .eval(
                r#"
                window.__tabbed = [];
                var style = function (el) {
                  var cs = getComputedStyle(el);
                  return [cs.outlineStyle, cs.outlineWidth, cs.outlineColor, cs.boxShadow,
                          cs.backgroundColor, cs.borderColor, cs.textDecorationLine].join(' | ');
                };
                window.__style = style;
                document.addEventListener('focusin', function (e) {
                  window.__tabbed.push({ el: e.target, focused: style(e.target) });
                }, true);
                if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
                return document.querySelectorAll('a[href], input, button, select, textarea, summary, [tabindex]').length;"#,
            )
            .as_u64()
            .unwrap() as usize;
        browser.press("\u{E004}", n + 2);
        let result = browser.eval(
            r#"
            var describe = function (el) {
              return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' +
                (el.textContent || el.getAttribute('aria-label') || el.getAttribute('href') || '').trim().slice(0, 40) + '"';
            };
            var wanted = Array.prototype.filter.call(
              document.querySelectorAll('a[href], input:not([type=hidden]), button, select, textarea, summary'),
              function (el) { return el.checkVisibility() && !el.disabled && !el.closest('[hidden], noscript'); });
            var seen = new Set(window.__tabbed.map(function (t) { return t.el; }));
            var missed = wanted.filter(function (el) { return !seen.has(el); }).map(describe);
            if (document.activeElement) document.activeElement.blur();
            var invisible = window.__tabbed.filter(function (t) {
              return t.el !== document.body && window.__style(t.el) === t.focused;
            }).map(describe);
            return { wanted: wanted.length, tabbed: window.__tabbed.length, missed: missed, invisible: invisible,
                     search: !!document.getElementById('search-input') && seen.has(document.getElementById('search-input')) };"#,
        );
        let missed = result["missed"].as_array().unwrap();
        if !missed.is_empty() {
            problems.push(format!("{name}: Tab never reaches {missed:?}"));
        }
        let invisible = result["invisible"].as_array().unwrap();
        if !invisible.is_empty() {
            problems.push(format!("{name}: focus is not visible on {invisible:?}"));
        }
        if name.starts_with("search") && result["search"] != true {
            problems.push(format!("{name}: Tab never reaches the search box"));
        }
        if result["wanted"].as_u64().unwrap_or(0) < 3 {
            problems.push(format!("{name}: too few focusable elements: {result}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn pages_work_without_javascript() {
    let Some(browser) = Browser::start(1280, 900) else {
        return;
    };
    let fx = Fixture::new();
    browser.cdp(
        "Emulation.setScriptExecutionDisabled",
        serde_json::json!({"value": true}),
    );
    for (name, path) in PAGES {
        if name.starts_with("search") {
            continue; // search needs JavaScript, and says so
        }
        open(&browser, &fx, path);
        let facts = browser.eval(
            r#"return {
              enhanced: document.querySelectorAll('[aria-pressed]').length,
              hidden: Array.prototype.filter.call(document.querySelectorAll('main a[href], main h1, main .entry'), function (el) { return !el.checkVisibility(); }).length,
              entries: document.querySelectorAll('.timeline .entry').length,
              h1: (document.querySelector('h1') || {}).textContent || ''
            };"#,
        );
        assert_eq!(facts["enhanced"], 0, "{name}: scripts ran: {facts}");
        assert_eq!(
            facts["hidden"], 0,
            "{name}: content hidden without JS: {facts}"
        );
        assert!(!facts["h1"].as_str().unwrap().is_empty(), "{name}: {facts}");
        if ["home", "theme", "actor", "tag"].contains(name) {
            assert!(facts["entries"].as_u64().unwrap() > 0, "{name}: {facts}");
        }
    }
    // The search page explains itself.
    open(&browser, &fx, "search/");
    let notice = browser.eval("return document.querySelector('noscript') !== null && document.body.innerText.indexOf('needs JavaScript') >= 0");
    assert_eq!(notice, Value::Bool(true), "search page without JS");
}
