//! One file in, whole pipeline out: the input is a briefing file of the example site (with
//! its site.yaml and a companion briefing to link to); it is loaded, modelled and rendered to
//! memory. Any panic, hang or runaway allocation is a bug.
//!
//! Run by hand on nightly: `cargo fuzz run pipeline fuzz/corpus/pipeline -- -max_total_time=600`
#![no_main]

use libfuzzer_sys::fuzz_target;

const SITE_YAML: &str = include_str!("../../site.yaml");
const COMPANION: &str = "---\ntitle: Companion\ndate: 2025-03-01\ntopic: rare-earths\nactors: [Dmitriev]\n---\n# Talks\n\nSee [the input](../fuzz/input.md#a).\n";

fuzz_target!(|data: &[u8]| {
    let _ = brief::check::pipeline_in_memory(SITE_YAML, &[("other/companion.md", COMPANION)], data);
});
