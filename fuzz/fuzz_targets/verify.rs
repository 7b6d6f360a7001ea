//! Arbitrary bytes as a token against the baseline world: no panic, no hang, a deterministic
//! verdict, size bound first, and every accept backed by a signature that verifies under a
//! known key over the exact signing input (`oracle::check_accepted`).
#![no_main]

use jwt_conformance_fuzz::{oracle, world};
use libfuzzer_sys::fuzz_target;
use verifier::Reason;

fuzz_target!(|data: &[u8]| {
    let verifier = world::baseline_verifier();
    let verdict = verifier.verify(data, world::NOW);
    assert!(
        verdict == verifier.verify(data, world::NOW),
        "verdict is not deterministic"
    );
    match verdict {
        Ok(claims) => {
            if let Err(why) = oracle::check_accepted(data, claims.as_map(), world::baseline_key_for)
            {
                panic!("accept oracle: {why}");
            }
        }
        Err(rejection) => {
            let oversized = data.len() > verifier.profile().max_token_bytes;
            assert_eq!(
                oversized,
                rejection.reason == Reason::OversizedToken,
                "size rule"
            );
        }
    }
});
