//! What the design tests need besides the browser: the example site built into a temp dir,
//! a tiny static file server for it, and the Node-packaged checkers (axe-core, vnu.jar)
//! installed by `.ci/run` into `tests/browser/node_modules`.
//!
//! A missing tool skips the test with a message on a developer's machine and fails it when
//! `CI` is set, the same rule as the browser harness.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Reports a missing tool: a panic in CI, a message (and `None`) elsewhere.
pub fn missing<T>(what: &str, install: &str) -> Option<T> {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is missing, and CI is set: {install}");
    }
    eprintln!("SKIPPED: {what} not found ({install})");
    None
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where `npm ci` in `tests/browser` puts the checkers.
pub fn node_modules() -> PathBuf {
    repo().join("tests/browser/node_modules")
}

const NPM_HINT: &str = "run `npm ci --prefix tests/browser` (as .ci/run does)";

/// The source of `axe.min.js`, to inject into pages.
pub fn axe_source() -> Option<String> {
    match std::fs::read_to_string(node_modules().join("axe-core/axe.min.js")) {
        Ok(s) => Some(s),
        Err(_) => missing("axe-core", NPM_HINT),
    }
}

/// `java` and the Nu HTML Checker's jar.
pub fn vnu() -> Option<(String, PathBuf)> {
    let jar = node_modules().join("vnu-jar/build/dist/vnu.jar");
    if !jar.exists() {
        return missing("vnu.jar", NPM_HINT);
    }
    let java = Command::new("java")
        .arg("-version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !java {
        return missing(
            "java",
            "install a Java runtime, e.g. openjdk-17-jre-headless",
        );
    }
    Some(("java".into(), jar))
}

/// The repository's example site (its `site.yaml` and `content/`), copied into a temp dir
/// with `edit` applied to `site.yaml`, and built into `out` with the given base URL.
pub fn build_example(dir: &Path, out: &Path, base_url: &str, edit: impl Fn(&str) -> String) {
    let yaml = std::fs::read_to_string(repo().join("site.yaml")).unwrap();
    std::fs::write(dir.join("site.yaml"), edit(&yaml)).unwrap();
    copy_dir(&repo().join("content"), &dir.join("content"));
    let o = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("build")
        .arg("--root")
        .arg(dir)
        .arg("--output")
        .arg(out)
        .args(["--base-url", base_url])
        .env("NO_COLOR", "1")
        .output()
        .expect("run brief");
    assert!(
        o.status.success(),
        "example build failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let t = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).unwrap();
        }
    }
}

/// Every file under `dir`, relative, with `/` separators, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy();
                out.push(rel.replace('\\', "/"));
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// A static file server for a built site on loopback, serving it under `prefix` (`/` or
/// `/briefs/`) the way a plain web server would: folders answer with their `index.html`,
/// anything else with `404.html` and status 404. It stops with the test process.
pub struct StaticServer {
    pub port: u16,
}

impl StaticServer {
    pub fn start(root: &Path, prefix: &str) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let root = root.to_path_buf();
        let prefix = prefix.to_string();
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let (root, prefix) = (root.clone(), prefix.clone());
                std::thread::spawn(move || serve_one(stream, &root, &prefix));
            }
        });
        StaticServer { port }
    }

    /// The absolute URL of a site-relative path (`themes/`).
    pub fn url(&self, prefix: &str, path: &str) -> String {
        format!("http://127.0.0.1:{}{prefix}{path}", self.port)
    }
}

fn serve_one(mut stream: TcpStream, root: &Path, prefix: &str) {
    let mut line = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // Drain the headers.
    let mut h = String::new();
    while reader.read_line(&mut h).map(|n| n > 2).unwrap_or(false) {
        h.clear();
    }
    let target = line.split(' ').nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let file = path
        .strip_prefix(prefix)
        .filter(|rel| !rel.split('/').any(|s| s == ".."))
        .map(|rel| {
            let rel = percent_decode(rel);
            let p = root.join(&rel);
            if p.is_dir() {
                p.join("index.html")
            } else {
                p
            }
        })
        .filter(|p| p.is_file());
    let (status, body, file) = match file {
        Some(f) => ("200 OK", std::fs::read(&f).unwrap(), f),
        None => {
            let f = root.join("404.html");
            ("404 Not Found", std::fs::read(&f).unwrap_or_default(), f)
        }
    };
    let mime = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "ics" => "text/calendar",
        "png" => "image/png",
        _ => "application/octet-stream",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

/// Decodes `%XX` escapes in a URL path.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
