//! One fast, fixed-seed hasher for content hashes, entry stamps and page keys.
//!
//! Fixed seeds keep values equal across runs of the same binary; the quality of ahash keeps
//! accidental collisions (which would leave a page stale in serve) out of reach.

use std::hash::BuildHasher;

/// A fresh hasher with the project's fixed seeds.
pub fn hasher() -> ahash::AHasher {
    ahash::RandomState::with_seeds(
        0x243f_6a88_85a3_08d3,
        0x1319_8a2e_0370_7344,
        0xa409_3822_299f_31d0,
        0x082e_fa98_ec4e_6c89,
    )
    .build_hasher()
}
