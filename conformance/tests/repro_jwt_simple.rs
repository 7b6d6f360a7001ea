//! Reproduction: `jwt-simple` 0.15.0 (feature `pure-rust`) accepts a token whose `alg` is
//! `Ed25519` when the application allows only `EdDSA`: its Ed25519 key type takes both names.
//!
//! RFC 8725 §3.1 (`RFC8725-3.1-alg`): "libraries MUST enable the caller to specify a supported
//! set of algorithms and MUST NOT use any other algorithms when performing cryptographic
//! operations"; the profile allows `EdDSA` only (M02). `Ed25519` is RFC 9864's fully-specified
//! name, a distinct algorithm identifier. The library's algorithm is its key type, and
//! `Ed25519PublicKey::verify_token` checks the header's `alg` against both `EdDSA` and
//! `Ed25519` (`ED25519_ALGS`, `src/algorithms/eddsa.rs`); `VerificationOptions` has no setting
//! that narrows it, and there is no other Ed25519 key type.
//!
//! Reproduces: eddsa/alg-ed25519-fully-specified (forgery)
//!
//! Configured as the conformance adapter (`src/adapters/jwt_simple.rs`): the JWK imported with
//! `Ed25519PublicKey::from_jwk` (the profile's one algorithm of the key's family, `EdDSA`);
//! `VerificationOptions` with `allowed_issuers` = {issuer}, `allowed_audiences` = {audience},
//! `time_tolerance` 0, `required_signature_type` "at+jwt", `required_key_id` "ed25519" (the
//! key's `kid`), `max_token_length` 8192, `artificial_time` = the vector's `now` (1700000000),
//! and `accept_future` false.
//!
//! Run: `cargo test -p conformance --test repro_jwt_simple` (add `-- --nocapture` to see the
//! REPRODUCED line).
#![cfg(feature = "rust-crates")]

use jwt_simple::prelude::{
    Duration, Ed25519PublicKey, EdDSAPublicKeyLike, HashSet, UnixTimeStamp, VerificationOptions,
};
use serde_json::{Map, Value};

const VECTOR: &str = "eddsa/alg-ed25519-fully-specified";
const ISSUER: &str = "https://issuer.example";
const AUDIENCE: &str = "https://api.example";
const NOW: u64 = 1_700_000_000;
const JWK: &str = r#"{"alg":"EdDSA","crv":"Ed25519","kid":"ed25519","kty":"OKP","use":"sig","x":"jHpei8RjekMrB9P2CLT3g4FTy4AWtR6yTyaxfNdqvVo"}"#;
const KID: &str = "ed25519";
// Header: {"alg":"Ed25519","kid":"ed25519","typ":"at+jwt"}
const TOKEN: &str = "eyJhbGciOiJFZDI1NTE5Iiwia2lkIjoiZWQyNTUxOSIsInR5cCI6ImF0K2p3dCJ9.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.ifHMi2OVADQ69r4RkB7_qbsbt3iGqx5vnJmrPeoHSd0SDx61l9jYCwzUxbUjmURB6-XMQ75irR2mrzw1APPKBg";

#[test]
fn reproduces() {
    let key = Ed25519PublicKey::from_jwk(JWK)
        .unwrap_or_else(|e| panic!("NOT REPRODUCED {VECTOR}: Ed25519PublicKey::from_jwk: {e}"));
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
            "REPRODUCED {VECTOR}: jwt-simple accepted a token with alg \"Ed25519\" although \
             the application allows EdDSA only (sub {:?})",
            claims.subject
        ),
        Err(e) => panic!("NOT REPRODUCED {VECTOR}: jwt-simple rejected the token: {e}"),
    }
}
