//! What the binary prints: --quiet, -v, plain output without a terminal or with NO_COLOR, the
//! progress bar at a terminal, exit codes, completions and the manual page.

mod common;
use common::{fm, Site};
use std::process::Command;

const ESC: char = '\u{1b}';

fn good() -> Site {
    let s = Site::new();
    s.briefing("a.md", &fm("Talks", "2025-03-24"), "Body.\n");
    s
}

fn broken() -> Site {
    let s = Site::new();
    s.briefing("a.md", "title: x\ndate: 2025\ntopic: t\nactor: [a]\n", "");
    s
}

/// Runs `brief ARGS` in `dir` under a pseudo-terminal (util-linux `script`), so that stderr
/// is a terminal. None when `script` is missing.
fn at_terminal(dir: &std::path::Path, args: &str, env: &[(&str, &str)]) -> Option<String> {
    let cmd = format!("'{}' {args}", env!("CARGO_BIN_EXE_brief"));
    let mut c = Command::new("script");
    c.args(["-qec", &cmd, "/dev/null"])
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("TERM", "xterm");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().ok()?;
    if !out.status.success() && out.stdout.is_empty() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn quiet_prints_nothing_on_success_and_plain_errors_on_failure() {
    let s = good();
    let r = s.run(&["build", "--quiet"]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));

    let s = broken();
    let r = s.run(&["build", "-q"]);
    r.fails_with("unknown field `actor`");
    assert_eq!(r.stdout, "");
    assert!(!r.stderr.contains(ESC), "{:?}", r.stderr);
}

#[test]
fn verbose_prints_stage_timings() {
    let r = good().run(&["build", "-v"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = r.stdout.lines().nth(1).unwrap_or("");
    for stage in ["load", "model", "render and write"] {
        assert!(line.contains(stage), "{stage}: {}", r.stdout);
    }
    assert_eq!(
        good().run(&["build", "-q", "-v"]).code,
        2,
        "-q and -v conflict"
    );
}

#[test]
fn output_without_a_terminal_is_plain() {
    let s = broken();
    let out = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("build")
        .current_dir(s.root())
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("unknown field"), "{stderr}");
    assert!(!stderr.contains(ESC), "{stderr:?}");
}

#[test]
fn no_color_is_plain_even_at_a_terminal() {
    let s = broken();
    let Some(coloured) = at_terminal(s.root(), "build", &[]) else {
        eprintln!("skipped: no `script` to make a terminal");
        return;
    };
    assert!(coloured.contains("unknown field"), "{coloured}");
    assert!(
        coloured.contains(ESC),
        "at a terminal, errors are coloured: {coloured:?}"
    );
    let plain = at_terminal(s.root(), "build", &[("NO_COLOR", "1")]).unwrap();
    assert!(plain.contains("unknown field"), "{plain}");
    assert!(!plain.contains(ESC), "{plain:?}");

    let quiet = at_terminal(
        good().root(),
        "build --quiet",
        &[("BRIEF_PROGRESS_DELAY_MS", "0")],
    )
    .unwrap();
    assert!(!quiet.contains(ESC), "{quiet:?}");
    assert!(!quiet.contains("Built"), "{quiet:?}");
}

#[test]
fn progress_bar_only_at_a_terminal_and_only_for_slow_builds() {
    let s = good();
    let Some(fast) = at_terminal(s.root(), "build", &[]) else {
        eprintln!("skipped: no `script` to make a terminal");
        return;
    };
    assert!(
        !fast.contains("Rendering"),
        "a fast build shows no bar: {fast:?}"
    );
    assert!(fast.contains("Built 1 briefings"), "{fast:?}");

    // Make every build "slow" by showing the bar at once.
    let slow = at_terminal(s.root(), "build", &[("BRIEF_PROGRESS_DELAY_MS", "0")]).unwrap();
    assert!(slow.contains("Rendering"), "{slow:?}");
    assert!(slow.contains("Built 1 briefings"), "{slow:?}");
    let plain = at_terminal(
        s.root(),
        "build",
        &[("BRIEF_PROGRESS_DELAY_MS", "0"), ("NO_COLOR", "1")],
    )
    .unwrap();
    assert!(!plain.contains("Rendering"), "{plain:?}");

    let piped = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("build")
        .current_dir(s.root())
        .env("BRIEF_PROGRESS_DELAY_MS", "0")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&piped.stderr), "");
}

#[test]
fn usage_errors_exit_2() {
    let s = good();
    for args in [
        &["build", "--no-such-flag"][..],
        &["frobnicate"],
        &["completions", "tcsh"],
        &["man", "nope"],
        &["init"],
    ] {
        let r = s.run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    }
}

#[test]
fn completions_for_every_shell() {
    let s = good();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let r = s.run(&["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.len() > 200, "{shell}: {}", r.stdout);
        assert!(r.stdout.contains("eject-templates"), "{shell}");
    }
}

#[test]
fn manual_pages_in_roff() {
    let s = good();
    let r = s.run(&["man"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(".TH brief 1"), "{}", r.stdout);
    assert!(r.stdout.contains("brief\\-init(1)"), "{}", r.stdout);
    let r = s.run(&["man", "new"]);
    assert!(r.stdout.contains(".TH brief-new 1"), "{}", r.stdout);
    assert!(r.stdout.contains("\\-\\-topic"), "{}", r.stdout);
}
