//! Keeps the docs honest: every front-matter field, site.yaml key, command, flag and template
//! the code has is documented; links between the docs resolve; and the README's build command
//! works on a fresh copy of the example site.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn doc(name: &str) -> String {
    std::fs::read_to_string(repo().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The text of a `### heading` section, up to the next heading of that level or higher
/// (outside code blocks, where `#` starts comments).
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("no section {heading:?}"));
    let rest = &text[start + heading.len() + 2..];
    let level = heading.split(' ').next().unwrap().len();
    let mut in_code = false;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if !in_code {
            let hashes = line.chars().take_while(|&c| c == '#').count();
            if hashes > 0 && hashes <= level && line[hashes..].starts_with(' ') {
                return &rest[..offset];
            }
        }
        offset += line.len();
    }
    rest
}

/// The names serde lists in "unknown field `x`, expected one of a, b, c".
fn expected_fields(message: &str) -> Vec<String> {
    let list = message
        .split("expected one of ")
        .nth(1)
        .unwrap_or_else(|| panic!("no field list in {message:?}"));
    list.split(", ")
        .map(|s| s.trim_matches(['`', ' ']).to_string())
        .collect()
}

#[test]
fn every_front_matter_field_has_a_section() {
    let text = doc("docs/front-matter.md");
    for field in brief::load::front_matter::FIELDS {
        let s = section(&text, &format!("### `{field}`"));
        assert!(s.trim().len() > 40, "`{field}` is documented too briefly");
        assert!(
            text.contains(&format!("| [`{field}`](#{field}) |")),
            "`{field}` is missing from the table of fields"
        );
    }
    for status in brief::load::front_matter::Status::NAMES {
        assert!(
            section(&text, "### `status`").contains(&format!("`{status}`")),
            "status `{status}`"
        );
    }
    // The keys of a source map, as the parser knows them.
    let yaml = "title: x\ndate: 2025\ntopic: t\nsources:\n  - zzz: 1\n";
    let file = format!("---\n{yaml}---\n");
    let err = brief::load::front_matter::parse(yaml, Path::new("a.md"), &file, chrono_tz::UTC)
        .unwrap_err();
    let sources = section(&text, "### `sources`");
    for key in expected_fields(&err[0].message) {
        assert!(sources.contains(&format!("`{key}`")), "source key `{key}`");
    }
}

#[test]
fn every_site_yaml_key_has_a_section() {
    let text = doc("docs/site-yaml.md");
    for key in brief::config::KEYS {
        section(&text, &format!("### `{key}`"));
        assert!(
            text.contains(&format!("| [`{key}`](#{key}) |")),
            "`{key}` is missing from the table of keys"
        );
    }
    for (list, item) in [("themes", "title: x"), ("actors", "name: x")] {
        let yaml = format!("{list}:\n  - {item}\n    zzz: 1\n");
        let err = brief::config::Config::parse(&yaml, Path::new("site.yaml")).unwrap_err();
        let keys = expected_fields(&err[0].message);
        assert!(keys.len() >= 3, "{keys:?}");
        let s = section(&text, &format!("### `{list}`"));
        for key in keys {
            assert!(
                s.contains(&format!("| `{key}` |")),
                "`{list}` key `{key}` has no row in its table"
            );
        }
        assert!(
            !err[0].hint.as_deref().unwrap_or("").contains("anchors"),
            "{:?}",
            err[0].hint
        );
    }
}

/// The long options and positional arguments in a `--help` text.
fn options(help: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_args = false;
    for line in help.lines() {
        if line.ends_with(':') && !line.starts_with(' ') {
            in_args = line == "Arguments:";
            continue;
        }
        let t = line.trim_start();
        if in_args {
            if let Some(name) = t.strip_prefix('<').and_then(|r| r.split('>').next()) {
                out.push(name.to_string());
            }
        } else if let Some(i) = t.find("--") {
            let flag: String = t[i..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            if flag.len() > 2 && t[..i].trim_end_matches([',', ' ']).len() <= 2 {
                out.push(flag);
            }
            if t.starts_with('-') && !t.starts_with("--") {
                out.push(t[..2].to_string());
            }
        }
    }
    out
}

fn help(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(args)
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_command_and_option_is_in_the_cli_reference() {
    let cli = doc("docs/cli.md");
    let top = help(&[]);
    let commands: Vec<String> = top
        .split("Commands:\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 7, "{commands:?}");
    assert!(cli.contains("`brief help [COMMAND]`"));
    for flag in options(&top) {
        assert!(cli.contains(&format!("`{flag}`")), "brief {flag}");
    }
    for command in &commands {
        let s = section(&cli, &format!("## `brief {command}`"));
        for opt in options(&help(&[command])) {
            if opt == "--help" || opt == "-h" {
                continue;
            }
            let shown = if opt.starts_with('-') {
                format!("`{opt}")
            } else {
                format!("`{opt}`")
            };
            assert!(
                s.contains(&shown),
                "`brief {command} {opt}` is not in its section of docs/cli.md"
            );
        }
    }
    let readme = doc("README.md");
    for command in ["build", "serve", "check", "new", "init"] {
        assert!(
            readme.contains(&format!("`{command}`")),
            "README: {command}"
        );
    }
}

#[test]
fn every_template_is_in_the_template_reference() {
    let reference = doc("docs/template-reference.md") + &doc("docs/digests-feeds-search.md");
    for (name, _) in brief::render::templates::DEFAULT_TEMPLATES {
        assert!(reference.contains(&format!("`{name}`")), "template {name}");
    }
}

#[test]
fn links_between_the_docs_resolve() {
    let mut files = vec![PathBuf::from("README.md")];
    for e in std::fs::read_dir(repo().join("docs")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            files.push(p.strip_prefix(repo()).unwrap().to_path_buf());
        }
    }
    for file in files {
        let text = doc(file.to_str().unwrap());
        let dir = repo().join(file.parent().unwrap());
        for link in text.split("](").skip(1) {
            let target = link.split(')').next().unwrap();
            if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
            let full = dir.join(path);
            assert!(full.exists(), "{}: broken link {target}", file.display());
            if !anchor.is_empty() && path.ends_with(".md") {
                let target_text = std::fs::read_to_string(&full).unwrap();
                let anchors: Vec<String> = target_text
                    .lines()
                    .filter(|l| l.starts_with('#'))
                    .map(github_anchor)
                    .collect();
                assert!(
                    anchors.iter().any(|a| a == anchor),
                    "{}: no heading #{anchor} in {path}",
                    file.display()
                );
            }
        }
    }
}

/// The anchor GitHub gives a Markdown heading.
fn github_anchor(heading: &str) -> String {
    heading
        .trim_start_matches('#')
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn readme_build_command_works_on_a_fresh_copy_of_the_example_site() {
    let readme = doc("README.md");
    let first_screen: String = readme.lines().take(20).collect::<Vec<_>>().join("\n");
    for command in ["cargo run --release -- build", "cargo test"] {
        assert!(
            first_screen.lines().any(|l| l.starts_with(command)),
            "the README's first screen lacks `{command}` (.ci/run relies on it)"
        );
    }
    // What `cargo run -- build` does in a fresh clone: build the site files of the repository,
    // and nothing left behind by earlier builds, into public/.
    let copy = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("content"), &copy.path().join("content"));
    std::fs::copy(repo().join("site.yaml"), copy.path().join("site.yaml")).unwrap();
    // The example briefings tell the story of spring 2025, with one round still `expected`;
    // judged from a later day, `check` rightly warns that its date has passed.
    let out = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("build")
        .current_dir(copy.path())
        .env("BRIEF_TODAY", "2025-04-01")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(copy.path().join("public/index.html").is_file());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "no warnings");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}
