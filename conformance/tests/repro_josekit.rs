//! Reproduction: `josekit` 0.10.3 (OpenSSL) accepts, under a key set holding a non-canonical
//! small-order Ed25519 public key, an EdDSA token whose signature is R = identity, S = 0: a
//! signature anyone can make for any payload.
//!
//! RFC 7515 §5.2 step 8 (`RFC7515-5.2-signature`) and RFC 8037 §3.1.2 (`RFC8037-3.1.2-verify`):
//! the signature must be validated with the key (RFC 8032 §5.1.7 decodes `A` and refuses a
//! non-canonical encoding); RFC 9068 §4 (`RFC9068-4-signature`). The key's `x` is the identity
//! point with the sign bit set (x = 0, x_0 = 1), an encoding RFC 8032 §5.1.3 refuses.
//! `EdDSA.verifier_from_jwk` takes the 32 bytes as they are and the verifier calls OpenSSL's
//! one-shot Ed25519 verification (`src/jws/alg/eddsa.rs`); neither has a setting that refuses
//! small-order or non-canonical keys, so the forged token verifies.
//!
//! Reproduces: eddsa/key-non-canonical-identity-sign-bit (forgery)
//!
//! Configured as the conformance adapter (`src/adapters/josekit.rs`): the JWK Set parsed by
//! the library (`JwkSet::from_bytes`), the key looked up by `kid` with `JwkSet::get` (the body
//! of the library's `decode_with_verifier_in_jwk_set`), an `EdDSA` verifier for it (the
//! profile's one algorithm, which the library holds the token's `alg` to);
//! `JwtPayloadValidator` with `base_time` = the vector's `now` (1700000000), `max_issued_time`
//! = now + 60 s (the profile's iat skew), the issuer and the audience.
//!
//! Run: `cargo test -p conformance --test repro_josekit` (add `-- --nocapture` to see the
//! REPRODUCED line).
#![cfg(feature = "josekit")]

use std::time::{Duration, UNIX_EPOCH};

use josekit::jwk::JwkSet;
use josekit::jws::{EdDSA, JwsVerifier};
use josekit::jwt::{self, JwtPayloadValidator};

const VECTOR: &str = "eddsa/key-non-canonical-identity-sign-bit";
const ISSUER: &str = "https://issuer.example";
const AUDIENCE: &str = "https://api.example";
const NOW: u64 = 1_700_000_000;
const IAT_SKEW_SECS: u64 = 60;
const JWKS: &str = r#"{"keys":[{"alg":"EdDSA","crv":"Ed25519","kid":"ed25519","kty":"OKP","use":"sig","x":"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIA"}]}"#;
// Header: {"alg":"EdDSA","kid":"ed25519","typ":"at+jwt"}; signature: R = identity (01 00…00), S = 0.
const TOKEN: &str = "eyJhbGciOiJFZERTQSIsImtpZCI6ImVkMjU1MTkiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

fn not_reproduced(what: impl std::fmt::Display) -> ! {
    panic!("NOT REPRODUCED {VECTOR}: {what}")
}

#[test]
fn reproduces() {
    let set = JwkSet::from_bytes(JWKS)
        .unwrap_or_else(|e| not_reproduced(format!("JwkSet::from_bytes: {e}")));
    let keys = set.keys();
    let verifiers: Vec<_> = keys
        .iter()
        .map(|jwk| {
            EdDSA
                .verifier_from_jwk(jwk)
                .unwrap_or_else(|e| not_reproduced(format!("EdDSA verifier_from_jwk: {e}")))
        })
        .collect();
    let (payload, _header) = jwt::decode_with_verifier_selector(TOKEN, |header| {
        let Some(kid) = header.key_id() else {
            return Ok(None);
        };
        Ok(set.get(kid).into_iter().find_map(|jwk| {
            let index = keys.iter().position(|k| std::ptr::eq(*k, jwk))?;
            Some(&verifiers[index] as &dyn JwsVerifier)
        }))
    })
    .unwrap_or_else(|e| not_reproduced(format!("josekit rejected the token: {e}")));

    let now = UNIX_EPOCH + Duration::from_secs(NOW);
    let mut validator = JwtPayloadValidator::new();
    validator.set_base_time(now);
    validator.set_max_issued_time(now + Duration::from_secs(IAT_SKEW_SECS));
    validator.set_issuer(ISSUER);
    validator.set_audience(AUDIENCE);
    match validator.validate(&payload) {
        Ok(()) => println!(
            "REPRODUCED {VECTOR}: josekit accepted an EdDSA token signed R = identity, S = 0 \
             under a non-canonical small-order key (x = 0 with the sign bit) (sub {:?})",
            payload.subject()
        ),
        Err(e) => not_reproduced(format!("josekit's validator rejected the token: {e}")),
    }
}
