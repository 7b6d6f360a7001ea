//! Reproduction: `josekit` 0.10.3 accepts an access token that has no `aud` claim, although its
//! validator is given the audience: `set_audience` checks `aud` only when it is present.
//!
//! RFC 8725 §3.9 (`RFC8725-3.9-aud`): "the relying party or application MUST validate the
//! audience value, and if the audience value is not present or not associated with the
//! recipient, it MUST reject the JWT."; RFC 9068 §4 (`RFC9068-4-aud`): "The JWT access token
//! MUST be rejected if "aud" does not contain a resource indicator of the current resource
//! server". A token minted with no audience is accepted by every service trusting the issuer.
//!
//! Reproduces: aud/missing (policy-bypass)
//!
//! Configured as the conformance adapter (`src/adapters/josekit.rs`): the JWK Set parsed by
//! the library (`JwkSet::from_bytes`), the key looked up by `kid` with `JwkSet::get` (the body
//! of the library's `decode_with_verifier_in_jwk_set`), an `ES256` verifier per key (which pins
//! the algorithm); `JwtPayloadValidator` with `base_time` = the vector's `now` (1700000000),
//! `max_issued_time` = now + 60 s (the profile's iat skew), the issuer and the audience. The
//! library can require `aud` only through `set_claim("aud", …)`, a whole-value equality that
//! refuses valid `aud` arrays holding ours, so the adapter (and this test) use `set_audience`.
//!
//! Run: `cargo test -p conformance --test repro_josekit` (add `-- --nocapture` to see the
//! REPRODUCED line).
#![cfg(feature = "josekit")]

use std::time::{Duration, UNIX_EPOCH};

use josekit::jwk::JwkSet;
use josekit::jws::{ES256, JwsVerifier};
use josekit::jwt::{self, JwtPayloadValidator};

const VECTOR: &str = "aud/missing";
const ISSUER: &str = "https://issuer.example";
const AUDIENCE: &str = "https://api.example";
const NOW: u64 = 1_700_000_000;
const IAT_SKEW_SECS: u64 = 60;
const JWKS: &str = r#"{"keys":[{"alg":"ES256","crv":"P-256","kid":"primary","kty":"EC","use":"sig","x":"Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE","y":"opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI"}]}"#;
// Payload: {"client_id":"client-1","exp":4102444800,"iat":1000000000,"iss":"https://issuer.example","jti":"jti-0001","sub":"01HZY2J3K4M5N6P7Q8R9S0T1V2"}
const TOKEN: &str = "eyJhbGciOiJFUzI1NiIsImtpZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ.eyJjbGllbnRfaWQiOiJjbGllbnQtMSIsImV4cCI6NDEwMjQ0NDgwMCwiaWF0IjoxMDAwMDAwMDAwLCJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwianRpIjoianRpLTAwMDEiLCJzdWIiOiIwMUhaWTJKM0s0TTVONlA3UThSOVMwVDFWMiJ9.H735aGDQeQvzZSEhs2lQTazWUkbiiRCTITB9MK6sZRHSUVODTzfBevWwS_p8-dE6Ha_XvFdSGQQLu4yYnOz7zg";

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
            ES256
                .verifier_from_jwk(jwk)
                .unwrap_or_else(|e| not_reproduced(format!("ES256 verifier_from_jwk: {e}")))
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
            "REPRODUCED {VECTOR}: josekit accepted a token with no aud claim although its \
             validator was given the audience {AUDIENCE} (aud {:?})",
            payload.audience()
        ),
        Err(e) => not_reproduced(format!("josekit's validator rejected the token: {e}")),
    }
}
