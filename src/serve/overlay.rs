//! What serve adds to HTML pages: the live-reload script and, while a build error stands, the
//! error overlay. Built pages never contain either.

use crate::diagnostic::{self, Diagnostic};

/// The script injected into every HTML page the dev server sends.
///
/// It listens for server events and reloads only when told the rebuild is complete; a `css`
/// event swaps stylesheets in place; `hello` carries the server's instance id, so a tab that
/// reconnects to a restarted server reloads. Scroll position survives reloads.
pub const LIVE_RELOAD_JS: &str = r#"<script id="brief-live-reload">
(function () {
  "use strict";
  var key = "brief-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var y = +saved;
    window.scrollTo(0, y);
    window.addEventListener("load", function () { window.scrollTo(0, y); });
  }
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  function showOverlay(html) {
    var old = document.getElementById("brief-overlay");
    if (old) old.remove();
    if (!html) return;
    var holder = document.createElement("div");
    holder.innerHTML = html;
    if (holder.firstElementChild) document.body.appendChild(holder.firstElementChild);
  }
  var instance = null;
  var source = new EventSource("/__brief/events");
  source.addEventListener("hello", function (e) {
    if (instance !== null && instance !== e.data) reload();
    instance = e.data;
  });
  source.addEventListener("reload", reload);
  source.addEventListener("css", function () {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("brief", String(Date.now()));
      link.href = url.toString();
    });
  });
  source.addEventListener("build-error", function (e) { showOverlay(JSON.parse(e.data)); });
  window.__briefLiveReload = true;
})();
</script>"#;

/// The overlay for a failed build: the same text the terminal shows, escaped.
pub fn overlay_html(diags: &[Diagnostic]) -> String {
    let text = diagnostic::render_all(diags, false);
    format!(
        concat!(
            r#"<div id="brief-overlay" role="alert" style="position:fixed;inset:0;z-index:2147483647;"#,
            r#"background:rgba(20,20,20,.92);color:#f4f4f4;overflow:auto;padding:2rem;font:14px/1.5 ui-monospace,monospace">"#,
            r#"<p style="margin:0 0 1rem;font:600 16px system-ui,sans-serif;color:#ff8a8a">Build failed — showing the last good version underneath. Fix the file and save; this clears itself.</p>"#,
            r#"<pre style="white-space:pre-wrap;margin:0">{}</pre></div>"#
        ),
        escape(&text)
    )
}

/// Minimal HTML escaping for text nodes and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Inserts the script (and overlay, if any) before `</body>`, or at the end.
pub fn inject(html: &[u8], overlay: Option<&str>) -> Vec<u8> {
    let extra = match overlay {
        Some(o) => format!("{o}{LIVE_RELOAD_JS}"),
        None => LIVE_RELOAD_JS.to_string(),
    };
    let at = find_last_body_close(html).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_body_close(html: &[u8]) -> Option<usize> {
    let needle = b"</body>";
    (0..html.len().saturating_sub(needle.len() - 1))
        .rev()
        .find(|&i| html[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_body_close() {
        let out = String::from_utf8(inject(b"<html><body>x</BODY></html>", Some("<div>o</div>")))
            .unwrap();
        assert!(out.starts_with("<html><body>x<div>o</div><script"));
        assert!(out.ends_with("</script></BODY></html>"));
    }

    #[test]
    fn overlay_escapes_the_message() {
        let d = Diagnostic::error("content/a.md", "<script>bad</script>");
        let html = overlay_html(&[d]);
        assert!(!html.contains("<script>bad"));
        assert!(html.contains("&lt;script&gt;bad"));
    }
}
