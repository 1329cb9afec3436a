//! A site of 10,000 briefings with 1,000 broken ones: `check` reports every problem, grouped
//! by file. The time taken after parsing is printed (run with `--nocapture`), not asserted.

mod common;
use common::Site;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

const TOTAL: usize = 10_000;
const BROKEN: usize = 1_000;

/// Every tenth briefing is broken, in one of three ways: an unknown field and a bad date
/// (found while loading) or a link to a missing file (found by the model).
fn generate() -> Site {
    let s = Site::new();
    for i in 0..TOTAL {
        let theme = i % 50;
        let (extra, body) = match (i % 10 == 0).then_some(i / 10 % 3) {
            Some(0) => ("actor: [Dmitriev]\n", String::new()),
            Some(1) => ("", String::new()),
            Some(_) => (
                "",
                format!("See [the other one](../t{theme}/missing-{i}.md).\n"),
            ),
            None if i % 7 == 0 => (
                "",
                format!(
                    "See [earlier](../t{}/b{:05}.md#point).\n",
                    (i - 1) % 50,
                    i - 1
                ),
            ),
            None => ("", String::new()),
        };
        let date = if i % 10 == 0 && i / 10 % 3 == 1 {
            "2024-13-01".to_string()
        } else {
            format!("2024-{:02}-{:02}", i % 12 + 1, i % 28 + 1)
        };
        let text = format!(
            "---\ntitle: Briefing number {i}\ndate: {date}\ntopic: U.S.–Russia economic talks\nsummary: Summary {i}.\n{extra}---\n## Point\n\nBody of briefing {i}.\n\n{body}"
        );
        s.write(&format!("content/t{theme}/b{i:05}.md"), text);
    }
    s
}

#[test]
fn ten_thousand_briefings_with_a_thousand_errors_all_reported() {
    let s = generate();

    // Through the binary: every error is reported, in both formats.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["check", "--format", "json"])
        .current_dir(s.root())
        .env("BRIEF_TODAY", "2025-06-01")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let arr: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = arr.as_array().unwrap();
    let errors: Vec<_> = arr.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(
        errors.len(),
        BROKEN,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files: HashSet<&str> = errors.iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert_eq!(files.len(), BROKEN, "one error per broken file");
    let kinds = |needle: &str| {
        errors
            .iter()
            .filter(|d| d["message"].as_str().unwrap().contains(needle))
            .count()
    };
    assert_eq!(kinds("unknown field `actor`"), 334);
    assert_eq!(
        kinds("not a real calendar date") + kinds("is not a date"),
        333
    );
    assert_eq!(kinds("no briefing at content/"), 333);

    let human = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["check"])
        .current_dir(s.root())
        .env("NO_COLOR", "1")
        .env("BRIEF_TODAY", "2025-06-01")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stderr);
    assert_eq!(
        text.matches("\n── content/").count() + usize::from(text.starts_with("── ")),
        BROKEN
    );
    assert!(
        text.contains("334 × unknown field (error)"),
        "{}",
        &text[text.len().saturating_sub(400)..]
    );
    assert!(text.contains("333 × broken link (error)"));
    assert!(text.trim_end().ends_with("1000 errors, 0 warnings"));

    // In process, to time what happens after parsing.
    let opts = brief::build::Options {
        root: s.root().to_path_buf(),
        ..Default::default()
    };
    let t0 = Instant::now();
    let config = Arc::new(brief::build::load_config(&opts).unwrap());
    let files = brief::load::discover(s.root()).unwrap();
    let loaded = brief::load::load_all(s.root(), &files, &config);
    let parsed = t0.elapsed();
    let t1 = Instant::now();
    let mut diags = Vec::new();
    let mut briefings = Vec::new();
    let mut unloaded = HashSet::new();
    for (f, r) in files.iter().zip(loaded) {
        match r {
            Ok(b) => briefings.push(Arc::new(b)),
            Err(mut e) => {
                diags.append(&mut e);
                unloaded.insert(brief::load::content_path(f));
            }
        }
    }
    match brief::build::model_site(config, briefings, false, &unloaded) {
        Ok(site) => diags.extend(site.warnings),
        Err(mut e) => diags.append(&mut e),
    }
    let modelled = t1.elapsed();
    brief::diagnostic::sort(&mut diags);
    let human = brief::diagnostic::render_all(&diags, false);
    let json = brief::diagnostic::to_json_array(&diags);
    let after = t1.elapsed();
    assert_eq!(diags.iter().filter(|d| d.is_error()).count(), BROKEN);
    assert!(human.len() > 100_000 && json.len() > 100_000);
    eprintln!(
        "scale: {TOTAL} briefings, {BROKEN} errors: parsing {parsed:?}; after parsing {after:?} (model {modelled:?}, then sort and render text and JSON {:?})",
        after - modelled
    );
}
