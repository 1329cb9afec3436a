//! A real headless Chromium, driven over WebDriver (Debian's `chromium` and `chromium-driver`).
//!
//! Missing browser: the test is skipped with a message on a developer's machine, and fails
//! when `CI` is set, so CI can never pass without running it.
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
}

fn find(names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| {
        let p = std::path::Path::new(n);
        if p.is_absolute() {
            p.exists().then(|| n.to_string())
        } else {
            Command::new("which")
                .arg(n)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        }
    })
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session, or `None` when they are missing
    /// outside CI.
    pub fn start(width: u32, height: u32) -> Option<Browser> {
        let chromium = find(&[
            "/usr/bin/chromium",
            "chromium",
            "chromium-browser",
            "google-chrome",
        ]);
        let driver = find(&["/usr/bin/chromedriver", "chromedriver"]);
        let (Some(chromium), Some(driver)) = (chromium, driver) else {
            if std::env::var_os("CI").is_some() {
                panic!("Chromium or chromedriver is missing, and CI is set: install the chromium and chromium-driver packages");
            }
            eprintln!("SKIPPED: Chromium or chromedriver not found (install chromium and chromium-driver)");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        // The flags that headless Chromium needs on these machines (closed network, root user).
        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {"binary": chromium, "args": args}}}});
        let mut resp = ureq::post(&format!("{base}/session"))
            .send_json(&caps)
            .expect("new session");
        let v: Value = resp.body_mut().read_json().unwrap();
        let session = v["value"]["sessionId"]
            .as_str()
            .expect("session id")
            .to_string();
        Some(Browser {
            driver: child,
            base,
            session,
            _profile: profile,
        })
    }

    fn post(&self, path: &str, body: Value) -> Value {
        let mut r = ureq::post(&format!("{}/session/{}/{path}", self.base, self.session))
            .send_json(&body)
            .unwrap_or_else(|e| panic!("webdriver {path}: {e}"));
        let v: Value = r.body_mut().read_json().unwrap();
        v["value"].clone()
    }

    pub fn goto(&self, url: &str) {
        self.post("url", json!({ "url": url }));
    }

    /// Runs a script (`return ...;`) in the page.
    pub fn eval(&self, script: &str) -> Value {
        self.post("execute/sync", json!({ "script": script, "args": [] }))
    }

    /// Runs an async script; it must call `arguments[arguments.length - 1](result)`.
    pub fn eval_async(&self, script: &str) -> Value {
        self.post("execute/async", json!({ "script": script, "args": [] }))
    }

    /// Polls a script until it returns `true`.
    pub fn wait_until(&self, script: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.eval(script) != Value::Bool(true) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Saves a PNG screenshot.
    pub fn screenshot(&self, path: &std::path::Path) {
        let mut r = ureq::get(&format!(
            "{}/session/{}/screenshot",
            self.base, self.session
        ))
        .call()
        .unwrap();
        let v: Value = r.body_mut().read_json().unwrap();
        let b64 = v["value"].as_str().unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, decode_base64(b64)).unwrap();
    }
}

impl Browser {
    /// Runs a Chrome DevTools Protocol command through chromedriver.
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.post("goog/cdp/execute", json!({ "cmd": cmd, "params": params }))
    }

    /// How long an async script may run (axe on a long page takes a while on a busy machine).
    pub fn script_timeout(&self, ms: u64) {
        self.post("timeouts", json!({ "script": ms }));
    }

    /// Emulates a viewport `width` × `height` CSS pixels wide (`mobile`: as a phone would,
    /// honouring the page's viewport meta tag).
    pub fn viewport(&self, width: u32, height: u32, mobile: bool) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}),
        );
    }

    /// Emulates `prefers-color-scheme: dark` (or light) for the pages that follow.
    pub fn color_scheme(&self, scheme: &str) {
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
        );
    }

    /// Saves a PNG of the whole page, not just the viewport (at most `max_height` pixels tall).
    pub fn full_screenshot(&self, path: &std::path::Path, max_height: u32) {
        let size = self.eval(
            "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight];",
        );
        let (w, h) = (
            size[0].as_f64().unwrap_or(800.0),
            size[1].as_f64().unwrap_or(600.0).min(max_height as f64),
        );
        let v = self.cdp(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true,
                   "clip": {"x": 0, "y": 0, "width": w, "height": h, "scale": 1}}),
        );
        let b64 = v["data"].as_str().expect("screenshot data");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, decode_base64(b64)).unwrap();
    }

    /// Presses a key `times` times (WebDriver key codes: `\u{E004}` is Tab).
    pub fn press(&self, key: &str, times: usize) {
        let mut actions = Vec::with_capacity(times * 2);
        for _ in 0..times {
            actions.push(json!({"type": "keyDown", "value": key}));
            actions.push(json!({"type": "keyUp", "value": key}));
        }
        self.post(
            "actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn decode_base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|c| *c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let v: Vec<u32> = chunk.iter().map(|&c| val(c) as u32).collect();
        let n = v
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, x)| acc | (x << (18 - 6 * i)));
        out.push((n >> 16) as u8);
        if v.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if v.len() > 3 {
            out.push(n as u8);
        }
    }
    out
}
