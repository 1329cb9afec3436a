//! Inputs that once crashed the pipeline, and the fuzz corpus, run through the same
//! "one file in, whole pipeline out" function the fuzz target drives. None may panic.

use std::path::Path;

const SITE_YAML: &str = include_str!("../site.yaml");
const COMPANION: &str = "---\ntitle: Companion\ndate: 2025-03-01\ntopic: rare-earths\nactors: [Dmitriev]\n---\n# Talks\n\nSee [the input](../fuzz/input.md#a).\n";

fn run_dir(dir: &Path) -> usize {
    let mut n = 0;
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let result = std::panic::catch_unwind(|| {
            brief::check::pipeline_in_memory(
                SITE_YAML,
                &[("other/companion.md", COMPANION)],
                &bytes,
            )
        });
        assert!(result.is_ok(), "{} panicked", f.display());
        n += 1;
    }
    n
}

#[test]
fn crash_inputs_found_so_far_do_not_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    assert!(run_dir(&dir) >= 2);
}

#[test]
fn the_fuzz_corpus_runs_through_the_pipeline() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/pipeline");
    assert!(run_dir(&dir) >= 13);
}

#[test]
fn a_non_ascii_date_is_an_error_not_a_panic() {
    let text = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/date-not-char-boundary.md"),
    )
    .unwrap();
    let out = brief::check::pipeline_in_memory(SITE_YAML, &[], &text);
    assert!(
        out.iter()
            .any(|d| d.is_error() && d.message.contains("is not a date")),
        "{out:?}"
    );
}

mod mutated {
    use super::{COMPANION, SITE_YAML};
    use proptest::prelude::*;

    const SEEDS: &[&str] = &[
        include_str!("../content/us-russia/2025-02-18-riyadh-talks.md"),
        include_str!("../content/us-russia/next-round-saudi-arabia-mid-april.md"),
        include_str!("../content/rare-earths/china-dominance-rare-earth-market.md"),
        include_str!("regressions/links-and-typos.md"),
    ];

    /// Byte-level edits of a real briefing: what a fuzzer does, in a form stable Rust runs
    /// in every `cargo test` (the cargo-fuzz target explores much further, by hand).
    fn mutated() -> impl Strategy<Value = Vec<u8>> {
        let edit = (
            any::<prop::sample::Index>(),
            0u8..4,
            prop::collection::vec(any::<u8>(), 0..8),
        );
        (0..SEEDS.len(), prop::collection::vec(edit, 0..6)).prop_map(|(seed, edits)| {
            let mut b = SEEDS[seed].as_bytes().to_vec();
            for (at, op, bytes) in edits {
                let i = at.index(b.len() + 1);
                match op {
                    0 => {
                        b.splice(i..i, bytes);
                    }
                    1 => {
                        b.drain(i..(i + bytes.len()).min(b.len()));
                    }
                    2 => {
                        let end = (i + bytes.len()).min(b.len());
                        b.splice(i..end, bytes);
                    }
                    _ => {
                        let piece: Vec<u8> = b[i..].iter().take(32).copied().collect();
                        b.splice(i..i, piece);
                    }
                }
            }
            b
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]
        #[test]
        fn mutated_briefings_never_panic(bytes in mutated()) {
            let _ = brief::check::pipeline_in_memory(SITE_YAML, &[("other/companion.md", COMPANION)], &bytes);
        }
    }
}
