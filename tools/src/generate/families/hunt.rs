//! `hunt`: findings of the differential campaign (`conformance hunt`), one row per reviewed
//! draft in `hunt.json`, written there by `tools hunt-to-vector` (`crate::hunt`, docs/hunt.md).
//! Each row holds its token, world and the reference verifier's verdict as the draft had them,
//! with the reviewer's severity, basis, acceptable outcomes and description.

use super::Family;

/// The rows, compiled in so `generate --check` sees exactly what is committed.
const ROWS: &str = include_str!("hunt.json");

pub fn family() -> Family {
    crate::hunt::family(ROWS)
        .unwrap_or_else(|e| panic!("tools/src/generate/families/hunt.json: {e}"))
}
