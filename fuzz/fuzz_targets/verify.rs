//! Arbitrary bytes as a token against two worlds: no panic, no hang, a deterministic verdict and
//! the size bound first in both.
//!
//! - The baseline world (ES256, RFC 9068): every accept is backed by a signature that verifies
//!   under a known key over the exact signing input (`oracle::check_accepted`).
//! - The every-algorithm world (`jwt` preset, all 13 algorithms, a key of every family): every
//!   accept names, in its own header, an algorithm of the family of the key its `kid` selects
//!   (or, without `kid`, the world holds exactly one key of its algorithm's family), read
//!   independently of the verifier, so no algorithm confusion ever verifies.
#![no_main]

use jwt_conformance_fuzz::{oracle, world};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use verifier::{Algorithm, Claims, Reason, Rejection, Verifier};

/// Verifies twice (the verdict is deterministic) and checks the size rule on a rejection.
fn verdict(verifier: &Verifier, data: &[u8]) -> Result<Claims, Rejection> {
    let verdict = verifier.verify(data, world::NOW);
    assert!(
        verdict == verifier.verify(data, world::NOW),
        "verdict is not deterministic"
    );
    if let Err(rejection) = &verdict {
        let oversized = data.len() > verifier.profile().max_token_bytes;
        assert_eq!(
            oversized,
            rejection.reason == Reason::OversizedToken,
            "size rule"
        );
    }
    verdict
}

/// The accepted token's own header: its `alg` must be of the family of the key its `kid` names.
fn check_binding(data: &[u8]) {
    let header = data
        .split(|&b| b == b'.')
        .next()
        .and_then(oracle::naive_b64url_decode)
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .expect("an accepted token has a JSON header");
    let alg = header["alg"]
        .as_str()
        .and_then(Algorithm::from_name)
        .expect("an accepted token names an implemented alg");
    let family = match header.get("kid") {
        // No `kid`: the `jwt` preset takes the one key usable for `alg`, which must then be the
        // world's only key of `alg`'s family.
        None => {
            let same = world::EVERY_FAMILY
                .iter()
                .filter_map(|(_, a)| Algorithm::from_name(a.name()))
                .filter(|a| a.family() == alg.family())
                .count();
            assert_eq!(
                same, 1,
                "a token without kid verified without one key of its family"
            );
            alg.family()
        }
        Some(kid) => kid
            .as_str()
            .and_then(world::every_family_of)
            .expect("an accepted token names a pinned kid or none"),
    };
    assert_eq!(alg.family(), family, "algorithm confusion verified");
}

fuzz_target!(|data: &[u8]| {
    if let Ok(claims) = verdict(world::baseline_verifier(), data)
        && let Err(why) = oracle::check_accepted(data, &claims.to_map(), world::baseline_key_for)
    {
        panic!("accept oracle: {why}");
    }
    if verdict(world::every_algorithm_verifier(), data).is_ok() {
        check_binding(data);
    }
});
