//! Reproduction: `jwt-simple` 0.15.0 (feature `pure-rust`) accepts an access token that has no
//! `exp` claim: such a token never expires.
//!
//! RFC 9068 §4 (`RFC9068-4-exp`): "The current time MUST be before the time represented by the
//! "exp" claim."; RFC 9068 §2.2 (`RFC9068-2.2-claims`): "exp REQUIRED". `VerificationOptions`
//! has no way to require `exp`, and the library checks it only when present.
//!
//! Reproduces: claims/exp-missing (policy-bypass)
//!
//! Configured as the conformance adapter (`src/adapters/jwt_simple.rs`): the JWK imported with
//! `ES256PublicKey::from_jwk` (the algorithm is fixed by the key type); `VerificationOptions`
//! with `allowed_issuers` = {issuer}, `allowed_audiences` = {audience}, `time_tolerance` 0,
//! `required_signature_type` "at+jwt", `required_key_id` "primary" (the key's `kid`),
//! `max_token_length` 8192, `artificial_time` = the vector's `now` (1700000000), and
//! `accept_future` false.
//!
//! Run: `cargo test -p conformance --test repro_jwt_simple` (add `-- --nocapture` to see the
//! REPRODUCED line).
#![cfg(feature = "rust-crates")]

use jwt_simple::prelude::{
    Duration, ECDSAP256PublicKeyLike, ES256PublicKey, HashSet, UnixTimeStamp, VerificationOptions,
};
use serde_json::{Map, Value};

const VECTOR: &str = "claims/exp-missing";
const ISSUER: &str = "https://issuer.example";
const AUDIENCE: &str = "https://api.example";
const NOW: u64 = 1_700_000_000;
const JWK: &str = r#"{"alg":"ES256","crv":"P-256","kid":"primary","kty":"EC","use":"sig","x":"Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE","y":"opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI"}"#;
const KID: &str = "primary";
// Payload: {"aud":"https://api.example","client_id":"client-1","iat":1000000000,"iss":"https://issuer.example","jti":"jti-0001","sub":"01HZY2J3K4M5N6P7Q8R9S0T1V2"}
const TOKEN: &str = "eyJhbGciOiJFUzI1NiIsImtpZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJpYXQiOjEwMDAwMDAwMDAsImlzcyI6Imh0dHBzOi8vaXNzdWVyLmV4YW1wbGUiLCJqdGkiOiJqdGktMDAwMSIsInN1YiI6IjAxSFpZMkozSzRNNU42UDdROFI5UzBUMVYyIn0.hACXccR_FLYq6VdkJQiSty71J1jlEJhlHFutjRoP7qFSrjhJkbg3YbnTY5aF42eUGkQEUhDbSN-hF81Sift9eA";

#[test]
fn reproduces() {
    let key = ES256PublicKey::from_jwk(JWK)
        .unwrap_or_else(|e| panic!("NOT REPRODUCED {VECTOR}: ES256PublicKey::from_jwk: {e}"));
    let options = VerificationOptions {
        allowed_issuers: Some(HashSet::from([ISSUER.to_owned()])),
        allowed_audiences: Some(HashSet::from([AUDIENCE.to_owned()])),
        time_tolerance: Some(Duration::from_secs(0)),
        required_signature_type: Some("at+jwt".to_owned()),
        required_key_id: Some(KID.to_owned()),
        max_token_length: Some(8192),
        artificial_time: Some(UnixTimeStamp::from_secs(NOW)),
        accept_future: false,
        ..VerificationOptions::default()
    };
    match key.verify_token::<Map<String, Value>>(TOKEN, Some(options)) {
        Ok(claims) => println!(
            "REPRODUCED {VECTOR}: jwt-simple accepted a token with no exp claim \
             (expires_at {:?}): it never expires",
            claims.expires_at
        ),
        Err(e) => panic!("NOT REPRODUCED {VECTOR}: jwt-simple rejected the token: {e}"),
    }
}
