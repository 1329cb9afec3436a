//! Shared helpers: fixture sites in temp dirs, driven through the real binary.
#![allow(dead_code)]

pub mod browser;
pub mod server;
pub mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A site in a temporary folder.
pub struct Site {
    pub dir: tempfile::TempDir,
}

/// The output of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts a failure with exit code 1 that names `needle` and did not panic.
    pub fn fails_with(&self, needle: &str) -> &Self {
        assert_eq!(
            self.code, 1,
            "expected exit 1\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "panic:\n{}", self.stderr);
        self
    }
}

pub const SITE_YAML: &str = "title: Test briefings\nbase_url: https://example.org/\nthemes:\n  - title: U.S.–Russia economic talks\n    slug: us-russia-economic-talks\nactors:\n  - name: Kirill Dmitriev\n    aliases: [Dmitriev]\n";

impl Site {
    /// An empty site with the standard test `site.yaml`.
    pub fn new() -> Site {
        let s = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        s.write("site.yaml", SITE_YAML);
        s
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders) relative to the site root.
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Writes a briefing with the given front matter lines and body.
    pub fn briefing(&self, rel: &str, front: &str, body: &str) -> &Self {
        self.write(
            &format!("content/{rel}"),
            format!("---\n{front}---\n{body}"),
        )
    }

    /// Runs the binary with `args` from the site root.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_brief"))
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run brief");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `brief build`, asserting success.
    pub fn build(&self) -> Run {
        let r = self.run(&["build"]);
        assert_eq!(r.code, 0, "build failed:\n{}\n{}", r.stdout, r.stderr);
        r
    }

    /// Reads a file of the output.
    pub fn page(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join("public").join(rel))
            .unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.root().join("public").join(rel).exists()
    }
}

/// Every file under `dir`, as (relative path, bytes), sorted.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push((
                    p.strip_prefix(base).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// A minimal valid front matter.
pub fn fm(title: &str, date: &str) -> String {
    format!("title: {title}\ndate: {date}\ntopic: U.S.–Russia economic talks\n")
}
