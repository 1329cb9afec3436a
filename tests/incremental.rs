//! Freshness of incremental rebuilds: after every random edit, add, delete or rename, the
//! pages kept by the serve session equal, byte for byte, a full build of the same files.

mod common;
use std::path::{Path, PathBuf};

use brief::build::{self, Options};
use brief::serve::incremental::{Changes, Session};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

const THEMES: &[&str] = &[
    "U.S.–Russia economic talks",
    "Rare earths",
    "Energy",
    "us-russia-economic-talks",
];
const ACTORS: &[&str] = &[
    "Kirill Dmitriev",
    "Dmitriev",
    "Кирилл Дмитриев",
    "Putin",
    "RDIF",
    "Washington",
    "Undeclared Person",
];
const STATUSES: &[&str] = &["confirmed", "developing", "expected", "disputed"];

fn random_briefing(rng: &mut Rng, n: u64) -> String {
    let date = match rng.below(4) {
        0 => format!("{}", 2020 + rng.below(6)),
        1 => format!("{}-{:02}", 2020 + rng.below(6), 1 + rng.below(12)),
        _ => format!(
            "{}-{:02}-{:02}",
            2020 + rng.below(6),
            1 + rng.below(12),
            1 + rng.below(28)
        ),
    };
    let topics: Vec<String> = (0..1 + rng.below(2))
        .map(|_| format!("\"{}\"", rng.pick(THEMES)))
        .collect();
    let actors: Vec<String> = (0..rng.below(4))
        .map(|_| format!("\"{}\"", rng.pick(ACTORS)))
        .collect();
    let tags: Vec<String> = (0..rng.below(3))
        .map(|_| format!("tag{}", rng.below(4)))
        .collect();
    // Titles collide on purpose so same-day ties and title ordering are exercised.
    format!(
        "---\ntitle: Title {}\ndate: {date}\ntopic: [{}]\nactors: [{}]\ntags: [{}]\nstatus: {}\n{}---\nBody {n} {}\n",
        rng.below(8),
        topics.join(", "),
        actors.join(", "),
        tags.join(", "),
        rng.pick(STATUSES),
        if rng.below(6) == 0 { "draft: true\n" } else { "" },
        rng.next()
    )
}

fn assert_same_as_full_build(session: &mut Session, root: &Path, step: usize, what: &str) {
    let (mut fresh, result) = Session::open(opts(root));
    result.unwrap_or_else(|d| panic!("step {step} ({what}): full build failed: {d:?}"));
    fresh.settle().unwrap();
    session.settle().unwrap();
    assert_eq!(
        session.warnings(),
        fresh.warnings(),
        "step {step} ({what}): different warnings"
    );
    let (inc, full) = (session.pages(), fresh.pages());
    let mut inc_keys: Vec<&String> = inc.keys().collect();
    let mut full_keys: Vec<&String> = full.keys().collect();
    inc_keys.sort();
    full_keys.sort();
    assert_eq!(
        inc_keys, full_keys,
        "step {step} ({what}): different page sets"
    );
    for k in full_keys {
        assert!(
            inc[k] == full[k],
            "step {step} ({what}): stale page {k}\n--- incremental ---\n{}\n--- full ---\n{}",
            String::from_utf8_lossy(&inc[k]),
            String::from_utf8_lossy(&full[k])
        );
    }
}

fn opts(root: &Path) -> Options {
    Options {
        root: root.to_path_buf(),
        drafts: false,
        base_url: Some("http://127.0.0.1:4000/".into()),
    }
}

/// A site with `page_size` and `n` briefings made by `briefing`, file `k` at
/// `content/{name(k)}.md`; returns it with the files' paths (relative to its root).
fn site_of(
    page_size: usize,
    n: u64,
    rng: &mut Rng,
    name: impl Fn(u64) -> String,
    briefing: fn(&mut Rng, u64) -> String,
) -> (common::Site, Vec<PathBuf>) {
    let site = common::Site::new();
    site.write(
        "site.yaml",
        format!("{}page_size: {page_size}\n", common::SITE_YAML),
    );
    let files: Vec<PathBuf> = (0..n)
        .map(|k| {
            let rel = PathBuf::from(format!("content/{}.md", name(k)));
            site.write(rel.to_str().unwrap(), briefing(rng, k));
            rel
        })
        .collect();
    (site, files)
}

#[test]
fn random_edits_adds_deletes_and_renames_stay_fresh() {
    let mut rng = Rng(0x5eed);
    let (site, mut files) = site_of(
        3,
        12,
        &mut rng,
        |n| format!("f{}/b{n}", n % 3),
        random_briefing,
    );
    let root = site.root().to_path_buf();
    let (mut session, first) = Session::open(opts(&root));
    first.expect("initial build");
    let mut counter = 100u64;
    for step in 0..80 {
        counter += 1;
        let (what, changed): (&str, Vec<PathBuf>) = match rng.below(6) {
            0 | 1 if !files.is_empty() => {
                let f = rng.pick(&files).clone();
                site.write(f.to_str().unwrap(), random_briefing(&mut rng, counter));
                ("edit", vec![f])
            }
            2 => {
                let rel = PathBuf::from(format!("content/f{}/new{counter}.md", rng.below(4)));
                site.write(rel.to_str().unwrap(), random_briefing(&mut rng, counter));
                files.push(rel.clone());
                ("add", vec![rel])
            }
            3 if files.len() > 1 => {
                let i = rng.below(files.len());
                let f = files.remove(i);
                std::fs::remove_file(root.join(&f)).unwrap();
                ("delete", vec![f])
            }
            4 if !files.is_empty() => {
                let i = rng.below(files.len());
                let from = files.remove(i);
                let to = PathBuf::from(format!("content/f{}/renamed{counter}.md", rng.below(4)));
                std::fs::create_dir_all(root.join(&to).parent().unwrap()).unwrap();
                std::fs::rename(root.join(&from), root.join(&to)).unwrap();
                files.push(to.clone());
                ("rename", vec![from, to])
            }
            _ => {
                // Break a file, check the error keeps the old site, then repair it.
                let f = rng.pick(&files).clone();
                let before = session.pages().clone();
                site.write(f.to_str().unwrap(), "---\ntitle: broken\n");
                let err = session.apply(&Changes::from_paths([f.clone()]));
                assert!(err.is_err(), "step {step}: broken file accepted");
                assert!(
                    &before == session.pages(),
                    "step {step}: pages changed on error"
                );
                site.write(f.to_str().unwrap(), random_briefing(&mut rng, counter));
                ("break and fix", vec![f])
            }
        };
        let r = session.apply(&Changes::from_paths(changed));
        r.unwrap_or_else(|d| panic!("step {step} ({what}): {d:?}"));
        assert_same_as_full_build(&mut session, &root, step, what);
    }
}

#[test]
fn folder_add_and_remove_and_template_change() {
    let site = common::Site::new();
    let root = site.root().to_path_buf();
    site.briefing("a.md", &common::fm("A", "2025-01-01"), "");
    let (mut session, first) = Session::open(opts(&root));
    first.unwrap();
    // A whole folder appears at once (e.g. moved in from elsewhere).
    site.briefing("dir/x.md", &common::fm("X", "2025-01-02"), "");
    site.briefing("dir/sub/y.md", &common::fm("Y", "2025-01-03"), "");
    session
        .apply(&Changes::from_paths([PathBuf::from("content/dir")]))
        .unwrap();
    assert_same_as_full_build(&mut session, &root, 0, "add folder");
    std::fs::remove_dir_all(root.join("content/dir")).unwrap();
    session
        .apply(&Changes::from_paths([PathBuf::from("content/dir")]))
        .unwrap();
    assert_same_as_full_build(&mut session, &root, 1, "remove folder");
    site.write("templates/404.html", "gone {{ site.title }}");
    let u = session
        .apply(&Changes::from_paths([PathBuf::from("templates/404.html")]))
        .unwrap();
    assert!(u.written.contains(&"404.html".to_string()));
    assert_same_as_full_build(&mut session, &root, 2, "template");
    site.write(
        "site.yaml",
        common::SITE_YAML.replace("Test briefings", "Renamed site"),
    );
    session
        .apply(&Changes::from_paths([PathBuf::from("site.yaml")]))
        .unwrap();
    assert_same_as_full_build(&mut session, &root, 3, "config");
    assert!(String::from_utf8_lossy(&session.pages()["index.html"]).contains("Renamed site"));
    // Static files have no page keys: an added one is served, a deleted one goes.
    site.write("static/extra/logo.txt", "logo");
    let u = session
        .apply(&Changes::from_paths([PathBuf::from(
            "static/extra/logo.txt",
        )]))
        .unwrap();
    assert_eq!(u.written, ["extra/logo.txt"]);
    assert_same_as_full_build(&mut session, &root, 4, "static added");
    std::fs::remove_file(root.join("static/extra/logo.txt")).unwrap();
    let u = session
        .apply(&Changes::from_paths([PathBuf::from(
            "static/extra/logo.txt",
        )]))
        .unwrap();
    assert_eq!(u.removed, ["extra/logo.txt"]);
    assert!(!session.pages().contains_key("extra/logo.txt"));
    assert_same_as_full_build(&mut session, &root, 5, "static removed");
}

#[test]
fn one_edit_rerenders_only_the_pages_that_show_it() {
    let site = common::Site::new();
    let root = site.root().to_path_buf();
    for i in 0..30 {
        site.briefing(
            &format!("b{i}.md"),
            &format!(
                "{}actors: [A{}]\n",
                common::fm(&format!("T{i:02}"), &format!("2025-01-{:02}", i % 28 + 1)),
                i % 5
            ),
            "x\n",
        );
    }
    let (mut session, first) = Session::open(opts(&root));
    let total = first.unwrap().total;
    site.briefing(
        "b7.md",
        &format!("{}actors: [A2]\n", common::fm("T07 edited", "2025-01-08")),
        "y\n",
    );
    let u = session
        .apply(&Changes::from_paths([PathBuf::from("content/b7.md")]))
        .unwrap();
    assert!(u.written.contains(&"briefings/b7/index.html".to_string()));
    assert!(u.written.contains(&"actors/a2/index.html".to_string()));
    assert!(
        !u.written.contains(&"actors/a0/index.html".to_string()),
        "{:?}",
        u.written
    );
    assert!(
        u.written.len() < total / 2,
        "re-rendered {} of {total}: {:?}",
        u.written.len(),
        u.written
    );
    assert_same_as_full_build(&mut session, &root, 0, "edit");
}

/// A briefing whose place in the model stays put under text edits: the body links to other
/// briefings (one to a heading), and titles collide so that a retitled briefing sometimes
/// moves among same-day neighbours and sometimes does not.
fn text_briefing(rng: &mut Rng, title: usize, date: usize, links: &[usize], extra: &str) -> String {
    let body_links: Vec<String> = links
        .iter()
        .map(|&k| {
            if rng.below(2) == 0 {
                format!("See [{k}](../t/b{k}.md#background).")
            } else {
                format!("See [{k}](/t/b{k}.md).")
            }
        })
        .collect();
    let summary = match rng.below(3) {
        0 => String::new(),
        1 => "summary: \"\"\n".into(),
        _ => format!("summary: Summary {}\n", rng.below(4)),
    };
    let source = match rng.below(3) {
        0 => String::new(),
        1 => "sources: [\"ftp://old.example\"]\n".into(),
        _ => format!("sources: [\"https://example.org/{}\"]\n", rng.below(9)),
    };
    format!(
        "---\ntitle: Title {title}\ndate: 2025-03-0{date}\ntopic: Talks\nactors: [A{}]\n{summary}{source}---\nOpening {}.\n\n## Background\n\n{}\n{extra}",
        date % 2,
        rng.next(),
        body_links.join(" ")
    )
}

#[test]
fn text_edits_patch_the_model_in_place_and_stay_fresh() {
    let site = common::Site::new();
    site.write("site.yaml", format!("{}page_size: 4\n", common::SITE_YAML));
    let root = site.root().to_path_buf();
    let mut rng = Rng(0x7e57);
    let n = 10;
    // Each file keeps its date (edits that move a date take the full path anyway).
    let dates: Vec<usize> = (0..n).map(|_| 1 + rng.below(3)).collect();
    for (k, &date) in dates.iter().enumerate() {
        let title = rng.below(4);
        let text = text_briefing(&mut rng, title, date, &[], "");
        site.write(&format!("content/t/b{k}.md"), text);
    }
    let (mut session, first) = Session::open(opts(&root));
    first.expect("initial build");
    let mut patched = 0;
    for step in 0..120 {
        let k = rng.below(n);
        let rel = PathBuf::from(format!("content/t/b{k}.md"));
        let links: Vec<usize> = (0..rng.below(3))
            .map(|_| rng.below(n))
            .filter(|&j| j != k)
            .collect();
        // Now and then a new heading, which other briefings' links could point at.
        let extra = if rng.below(8) == 0 {
            "\n## Later\n\nMore.\n"
        } else {
            ""
        };
        let title = rng.below(4);
        let text = text_briefing(&mut rng, title, dates[k], &links, extra);
        site.write(rel.to_str().unwrap(), text);
        let u = session
            .apply(&Changes::from_paths([rel]))
            .unwrap_or_else(|d| panic!("step {step}: {d:?}"));
        patched += usize::from(u.patched);
        assert_same_as_full_build(&mut session, &root, step, "text edit");
    }
    // The fast path must actually be taken, or this test proves nothing about it.
    assert!(
        patched > 40,
        "only {patched} of 120 edits patched the model"
    );
}

/// A briefing for the larger site below: two themes and four actors, so lists run far longer
/// than the stretch an edit can reach.
fn spread_briefing(rng: &mut Rng, n: u64) -> String {
    format!(
        "---\ntitle: Title {}\ndate: 2025-{:02}-{:02}\ntopic: {}\nactors: [A{}]\nstatus: {}\n---\nBody {n}.\n",
        rng.below(20),
        1 + rng.below(12),
        1 + rng.below(28),
        rng.pick(&["Energy", "Rare earths"]),
        rng.below(4),
        if rng.below(12) == 0 { "expected" } else { "confirmed" },
    )
}

#[test]
fn moves_adds_and_deletes_on_a_larger_site_stay_fresh() {
    // Edits that move a briefing rebuild the model from the last one, keeping what they
    // cannot reach (related briefings, warnings of other files), and leave later list pages
    // to be rendered on demand: all of it must equal a full build.
    let mut rng = Rng(0x1a76e);
    let (site, mut files) = site_of(10, 240, &mut rng, |n| format!("s/b{n}"), spread_briefing);
    let root = site.root().to_path_buf();
    let (mut session, first) = Session::open(opts(&root));
    first.expect("initial build");
    for step in 0..14 {
        let n = 1000 + step as u64;
        let (what, rel) = match step % 3 {
            0 => {
                let f = rng.pick(&files).clone();
                site.write(f.to_str().unwrap(), spread_briefing(&mut rng, n));
                ("move", f)
            }
            1 => {
                let f = PathBuf::from(format!("content/s/new{n}.md"));
                site.write(f.to_str().unwrap(), spread_briefing(&mut rng, n));
                files.push(f.clone());
                ("add", f)
            }
            _ => {
                let f = files.remove(rng.below(files.len()));
                std::fs::remove_file(root.join(&f)).unwrap();
                ("delete", f)
            }
        };
        session
            .apply(&Changes::from_paths([rel]))
            .unwrap_or_else(|d| panic!("step {step} ({what}): {d:?}"));
        assert_same_as_full_build(&mut session, &root, step, what);
    }
}

/// What `brief build` writes at `rel`, for the same options as the session.
fn built(root: &Path, rel: &str) -> Option<Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    build::build(&opts(root), &target).unwrap();
    std::fs::read(target.join(rel)).ok()
}

#[test]
fn a_static_file_at_a_page_path_loses_to_the_page_at_open_as_in_a_build() {
    let site = common::Site::new();
    let root = site.root().to_path_buf();
    site.briefing("a.md", &common::fm("A", "2025-01-01"), "");
    site.write("static/index.html", "STATIC INDEX");
    let full = built(&root, "index.html").unwrap();
    assert!(!String::from_utf8_lossy(&full).contains("STATIC INDEX"));
    let (session, r) = Session::open(opts(&root));
    r.unwrap();
    assert_eq!(
        String::from_utf8_lossy(&session.pages()["index.html"]),
        String::from_utf8_lossy(&full),
        "serve shows the static file where `brief build` writes the page"
    );
}

#[test]
fn a_static_file_under_a_page_that_goes_stays_served() {
    let site = common::Site::new();
    let root = site.root().to_path_buf();
    site.briefing("a.md", &common::fm("A", "2025-01-01"), "");
    site.briefing("b.md", &common::fm("B", "2025-01-02"), "");
    site.write("static/briefings/b/index.html", "STATIC B");
    let (mut session, r) = Session::open(opts(&root));
    r.unwrap();
    std::fs::remove_file(root.join("content/b.md")).unwrap();
    session
        .apply(&Changes::from_paths([PathBuf::from("content/b.md")]))
        .unwrap();
    let full = built(&root, "briefings/b/index.html");
    assert_eq!(full.as_deref(), Some(&b"STATIC B"[..]));
    assert_eq!(
        session
            .pages()
            .get("briefings/b/index.html")
            .map(|b| b.to_vec()),
        full,
        "the page went and took the static file with it"
    );
}

#[test]
fn a_template_change_keeps_deferred_pages_last_good_bytes() {
    let site = common::Site::new();
    let root = site.root().to_path_buf();
    site.write("site.yaml", format!("{}page_size: 1\n", common::SITE_YAML));
    for (i, d) in ["2025-01-01", "2025-01-02", "2025-01-03"]
        .iter()
        .enumerate()
    {
        site.briefing(&format!("b{i}.md"), &common::fm(&format!("B{i}"), d), "");
    }
    let (mut session, r) = Session::open(opts(&root));
    r.unwrap();
    session.settle().unwrap();
    assert!(session.pages().contains_key("page/2/index.html"));
    site.write("templates/404.html", "gone {{ site.title }}");
    let u = session
        .apply(&Changes::from_paths([PathBuf::from("templates/404.html")]))
        .unwrap();
    assert!(u.deferred.contains(&"page/2/index.html".to_string()));
    assert!(
        !u.removed.contains(&"page/2/index.html".to_string()),
        "a deferred page is reported removed: {:?}",
        u.removed
    );
    assert!(
        session.pages().contains_key("page/2/index.html"),
        "Update::deferred promises the last good bytes stay in Session::pages"
    );
}
