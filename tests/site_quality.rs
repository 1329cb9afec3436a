//! The built example site, checked as files: every internal link and asset reference
//! resolves (at the root and under a path prefix), every page passes the Nu HTML Checker,
//! and the home page's own weight (HTML without the listed briefings, plus its CSS and JS)
//! stays under 100 KB.

mod common;
use common::tools::{build_example, files, percent_decode, vnu};

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One tag's name and attributes (names lower-cased, values entity-decoded).
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn get(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e < 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..end];
        let ch = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                u32::from_str_radix(&ent[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The start tags of an HTML document (comments, scripts' and styles' contents skipped).
fn tags(html: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map(|e| i + e + 3).unwrap_or(b.len());
            continue;
        }
        if i >= b.len() || !b[i].is_ascii_alphabetic() {
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' || b[i] == b'/' {
                break;
            }
            let s = i;
            while i < b.len() && !b"=> \t\n\r/".contains(&b[i]) {
                i += 1;
            }
            let key = html[s..i].to_ascii_lowercase();
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i] as char;
                    let e = html[i + 1..].find(q).map(|e| i + 1 + e).unwrap_or(b.len());
                    value = decode_entities(&html[i + 1..e]);
                    i = (e + 1).min(b.len());
                } else {
                    let s = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = decode_entities(&html[s..i]);
                }
            }
            attrs.push((key, value));
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            i = html[i..].find(&close).map(|e| i + e).unwrap_or(b.len());
        }
        out.push(Tag { name, attrs });
    }
    out
}

/// Every URL a tag refers to, with the attribute it came from.
fn references(tag: &Tag) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in &tag.attrs {
        match k.as_str() {
            "href" | "src" | "data-index" | "action" | "poster" => {
                out.push((k.clone(), v.trim().to_string()))
            }
            "srcset" => {
                for candidate in v.split(',') {
                    if let Some(url) = candidate.split_whitespace().next() {
                        out.push((k.clone(), url.to_string()));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// What a reference resolves to in the output folder: `Some((file, fragment))` for an
/// internal one, `None` for an external one; `Err` for one that leaves the base path.
fn resolve(
    url: &str,
    page_dir: &str,
    base_path: &str,
    base_url: &str,
) -> Result<Option<(String, Option<String>)>, String> {
    if url.is_empty() {
        return Err("empty URL".into());
    }
    let lower = url.to_ascii_lowercase();
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let site_path = if let Some(rest) = url.strip_prefix(base_url) {
        rest.split(['#', '?']).next().unwrap_or("").to_string()
    } else if lower.starts_with("http:")
        || lower.starts_with("https:")
        || lower.starts_with("mailto:")
        || lower.starts_with("tel:")
        || url.starts_with("//")
    {
        return Ok(None);
    } else if lower.starts_with("javascript:") || lower.starts_with("data:") {
        return Err("script or data URL".into());
    } else if url.starts_with('/') {
        match path.strip_prefix(base_path) {
            Some(rest) => rest.to_string(),
            None => return Err(format!("outside the base path {base_path}")),
        }
    } else {
        // Relative to the page (an empty path is the page itself).
        let mut parts: Vec<&str> = page_dir.split('/').filter(|s| !s.is_empty()).collect();
        let joined = if path.is_empty() {
            return Ok(Some((String::new(), fragment)));
        } else {
            path
        };
        for seg in joined.split('/') {
            match seg {
                "." | "" => {}
                ".." => {
                    if parts.pop().is_none() {
                        return Err("climbs above the site root".into());
                    }
                }
                s => parts.push(s),
            }
        }
        let mut p = parts.join("/");
        if joined.ends_with('/') && !p.is_empty() {
            p.push('/');
        }
        p
    };
    let site_path = percent_decode(&site_path);
    let file = if site_path.is_empty() || site_path.ends_with('/') {
        format!("{site_path}index.html")
    } else {
        site_path
    };
    Ok(Some((file, fragment)))
}

#[derive(Debug)]
struct Checked {
    pages: usize,
    references: usize,
}

/// Crawls every HTML page of `out` (built with `base_url`) and checks every reference.
fn check_links(out: &Path, base_url: &str) -> Result<Checked, Vec<String>> {
    let base_path = {
        let after_scheme = base_url.split_once("://").unwrap().1;
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".into(),
        }
    };
    let all = files(out);
    let set: BTreeSet<&str> = all.iter().map(|s| s.as_str()).collect();
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut parsed = Vec::new();
    for f in all.iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(out.join(f)).unwrap();
        let t = tags(&html);
        ids.insert(
            f.clone(),
            t.iter()
                .filter_map(|t| t.get("id").or(t.get("name")).map(str::to_string))
                .collect(),
        );
        parsed.push((f.clone(), t));
    }
    let mut problems = Vec::new();
    let mut count = 0;
    for (f, tags) in &parsed {
        let page_dir = f.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        for tag in tags {
            // Links to feeds and other alternates must resolve too, but not `canonical`,
            // which is absolute on purpose and checked like any absolute internal URL.
            for (attr, url) in references(tag) {
                count += 1;
                match resolve(&url, page_dir, &base_path, base_url) {
                    Ok(None) => {}
                    Ok(Some((file, fragment))) => {
                        let file = if file.is_empty() { f.clone() } else { file };
                        let exists = set.contains(file.as_str())
                            || set.contains(format!("{file}/index.html").as_str());
                        if !exists {
                            problems.push(format!(
                                "{f}: <{} {attr}=\"{url}\"> → {file} does not exist",
                                tag.name
                            ));
                        } else if let Some(frag) = fragment.filter(|x| !x.is_empty()) {
                            let frag = percent_decode(&frag);
                            if let Some(page_ids) = ids.get(&file) {
                                if !page_ids.contains(&frag) {
                                    problems.push(format!(
                                        "{f}: <{} {attr}=\"{url}\"> → no id {frag:?} in {file}",
                                        tag.name
                                    ));
                                }
                            }
                        }
                    }
                    Err(why) => {
                        problems.push(format!("{f}: <{} {attr}=\"{url}\">: {why}", tag.name))
                    }
                }
            }
        }
    }
    // The sitemap and feeds point into the site with absolute URLs.
    for f in all.iter().filter(|f| {
        let name = f.rsplit('/').next().unwrap_or(f);
        name.starts_with("sitemap") && name.ends_with(".xml") || name == "atom.xml"
    }) {
        let xml = std::fs::read_to_string(out.join(f)).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        for n in doc.descendants() {
            let url = if n.has_tag_name("loc") || n.has_tag_name("id") {
                n.text().map(str::to_string)
            } else if n.has_tag_name("link") {
                n.attribute("href").map(str::to_string)
            } else {
                None
            };
            let Some(url) = url.filter(|u| u.starts_with(base_url)) else {
                continue;
            };
            count += 1;
            if let Ok(Some((file, _))) = resolve(&url, "", &base_path, base_url) {
                if !set.contains(file.as_str()) {
                    problems.push(format!("{f}: {url} → {file} does not exist"));
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Checked {
        pages: parsed.len(),
        references: count,
    })
}

#[test]
fn every_internal_link_and_asset_resolves_at_the_root_and_under_a_prefix() {
    for (base_url, page_size) in [
        ("https://example.org/", None),
        ("https://example.org/briefs/", Some(5)),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let out = out.path().join("public");
        build_example(dir.path(), &out, base_url, |y| match page_size {
            Some(n) => y.replace("page_size: 50", &format!("page_size: {n}")),
            None => y.to_string(),
        });
        let checked = check_links(&out, base_url).unwrap_or_else(|problems| {
            panic!(
                "{} broken references:\n{}",
                problems.len(),
                problems.join("\n")
            )
        });
        eprintln!(
            "{base_url}: {} pages, {} references, all resolve",
            checked.pages, checked.references
        );
        assert!(checked.pages > 40 && checked.references > 1000);
        if page_size.is_some() {
            assert!(out.join("page/2/index.html").exists(), "paginated");
        }
    }
}

#[test]
fn the_crawler_notices_broken_references() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    std::fs::create_dir_all(out.join("a")).unwrap();
    std::fs::write(out.join("a/index.html"), "<p id=x><a href=\"/p/a/#x\">ok</a> <a href=\"../a/\">ok</a> <img src='/p/missing.png'> <a href=\"/elsewhere/\">out</a> <a href=\"/p/a/#nope\">frag</a> <img srcset=\"/p/a/index.html 1x, /p/b.png 2x\"></p>").unwrap();
    let problems =
        check_links(out, "https://example.org/p/").expect_err("broken references are reported");
    let msg = problems.join("\n");
    assert_eq!(problems.len(), 4, "{msg}");
    for needle in [
        "missing.png",
        "outside the base path",
        "no id \"nope\"",
        "b.png",
    ] {
        assert!(msg.contains(needle), "{needle}: {msg}");
    }
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    let Some((java, jar)) = vnu() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    // Paginated, so the paginator is checked too.
    build_example(dir.path(), &out, "https://example.org/briefs/", |y| {
        y.replace("page_size: 50", "page_size: 5")
    });
    let targets: Vec<String> = files(&out)
        .into_iter()
        .filter(|f| f.ends_with(".html") || f.ends_with(".css") || f.ends_with(".svg"))
        .collect();
    assert!(targets.iter().any(|f| f.ends_with("email.html")));
    let o = std::process::Command::new(java)
        .arg("-jar")
        .arg(jar)
        .args([
            "--errors-only",
            "--also-check-css",
            "--also-check-svg",
            "--format",
            "json",
        ])
        .args(targets.iter().map(|f| out.join(f)))
        .output()
        .expect("run vnu");
    // vnu writes its JSON report to stderr.
    let report = String::from_utf8_lossy(&o.stderr);
    let v: serde_json::Value = serde_json::from_str(report.trim())
        .unwrap_or_else(|e| panic!("vnu output is not JSON ({e}): {report}"));
    let messages = v["messages"].as_array().expect("messages");
    let shown: Vec<String> = messages
        .iter()
        .map(|m| {
            format!(
                "{}:{}: {}: {}",
                m["url"]
                    .as_str()
                    .unwrap_or("?")
                    .rsplit("/public/")
                    .next()
                    .unwrap_or(""),
                m["lastLine"],
                m["type"].as_str().unwrap_or(""),
                m["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(
        messages.is_empty(),
        "the Nu HTML Checker reports {} errors:\n{}",
        messages.len(),
        shown.join("\n")
    );
    eprintln!("vnu: {} files, 0 errors", targets.len());
}

#[test]
fn the_home_page_weighs_under_100_kb_without_its_listed_briefings() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    build_example(dir.path(), &out, "https://example.org/", |y| y.to_string());
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    // The listed content: each briefing's card.
    let mut own = String::new();
    let mut rest = html.as_str();
    while let Some(i) = rest.find("<article class=\"entry") {
        own.push_str(&rest[..i]);
        let end = rest[i..].find("</article>").expect("card ends") + i + "</article>".len();
        rest = &rest[end..];
    }
    own.push_str(rest);
    assert!(own.len() < html.len(), "cards found");
    let mut total = own.len();
    let mut assets = Vec::new();
    for tag in tags(&html) {
        let asset = match tag.name.as_str() {
            "link" if tag.get("rel") == Some("stylesheet") => tag.get("href"),
            "script" => tag.get("src"),
            _ => None,
        };
        if let Some(url) = asset {
            let rel = url.trim_start_matches('/');
            total += std::fs::metadata(out.join(rel))
                .unwrap_or_else(|e| panic!("{rel}: {e}"))
                .len() as usize;
            assets.push(rel.to_string());
        }
    }
    assert!(assets.iter().any(|a| a.ends_with(".css")), "{assets:?}");
    eprintln!(
        "home page: {} bytes of its own HTML + {assets:?} = {total} bytes",
        own.len()
    );
    assert!(total < 100 * 1024, "{total} bytes");
}
