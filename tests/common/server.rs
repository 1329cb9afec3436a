//! A `brief serve` process on loopback, and a tiny raw HTTP client that sends paths exactly
//! as written (real clients normalise `..`, which would hide what the server does).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    pub child: Child,
    pub port: u16,
    pub stderr_path: std::path::PathBuf,
}

impl Server {
    /// Starts `brief serve --port 0` in `root` and waits for its URL.
    // The child is owned by the returned `Server`, whose `Drop` kills and waits for it.
    #[allow(clippy::zombie_processes)]
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let stderr_path =
            std::env::temp_dir().join(format!("brief-serve-{}-{n}.err", std::process::id()));
        let stderr = std::fs::File::create(&stderr_path).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(extra)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start serve");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // Keep reading after the URL is found, so the server never writes into a closed pipe.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("serve printed no URL");
            if let Some(i) = line.find("http://127.0.0.1:") {
                let rest = &line[i + "http://127.0.0.1:".len()..];
                let port = rest[..rest.find('/').unwrap()].parse().unwrap();
                return Server {
                    child,
                    port,
                    stderr_path,
                };
            }
        }
    }

    pub fn get(&self, path: &str) -> Response {
        raw_get(self.port, path)
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// Polls `path` until `pred` holds (live rebuilds take a moment).
    pub fn wait_for(&self, path: &str, what: &str, pred: impl Fn(&Response) -> bool) -> Response {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let r = self.get(path);
            if pred(&r) {
                return r;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what} on {path}; last: {} {}\nstderr: {}",
                r.status,
                r.body,
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Opens the event stream.
    pub fn events(&self) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.write_all(
            b"GET /__brief/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n",
        )
        .unwrap();
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut e = Events {
            reader: BufReader::new(s),
            seen: Vec::new(),
        };
        e.wait("hello");
        e
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.stderr_path);
    }
}

pub struct Events {
    reader: BufReader<TcpStream>,
    pub seen: Vec<String>,
}

impl Events {
    /// Waits for an `event: NAME` line and returns its data line.
    pub fn wait(&mut self, name: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut line = String::new();
        let mut current: Option<String> = None;
        while Instant::now() < deadline {
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => panic!("event stream closed"),
                Ok(_) => {
                    let l = line.trim_end();
                    if let Some(ev) = l.strip_prefix("event: ") {
                        current = Some(ev.to_string());
                        self.seen.push(ev.to_string());
                    } else if let Some(data) = l.strip_prefix("data: ") {
                        if current.as_deref() == Some(name) {
                            return data.to_string();
                        }
                    }
                }
                Err(_) => continue,
            }
        }
        panic!("no `{name}` event; saw {:?}", self.seen);
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `GET path` byte for byte and reads the whole response.
pub fn raw_get(port: u16, path: &str) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| {
            l.split_once(": ")
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}
