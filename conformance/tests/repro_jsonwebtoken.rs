//! Reproduction: `jsonwebtoken` 11.1.0 (feature `rust_crypto`) accepts a token whose `crit`
//! header lists an extension it does not understand.
//!
//! RFC 7515 §4.1.11 (`RFC7515-4.1.11-crit`): "If any of the listed extension Header Parameters
//! are not understood and supported by the recipient, then the JWS is invalid. … This Header
//! Parameter MUST be understood and processed by implementations." (the attack pattern of
//! CVE-2026-32597). The token below is signed by the pinned key and its header carries
//! `"crit":["http://example.com/ext"]` with that extension present; the library ignores `crit`,
//! validates the token and returns its claims.
//!
//! Reproduces: header/crit-unknown-extension (policy-bypass)
//!
//! Configured as the conformance adapter (`src/adapters/jsonwebtoken.rs`): the JWK Set parsed
//! by the library (`JwkSet`), the key chosen with `JwkSet::find(kid)` and converted with
//! `DecodingKey::from_jwk`; `Validation` with algorithms [ES256], the issuer, the audience,
//! leeway 0, `exp` and `nbf` validated, `exp`/`iss`/`aud`/`sub` required. The vector's `now`
//! (1700000000) cannot be given: the library reads the system clock, and the token's `exp`
//! (4102444800, year 2100) is valid under either.
//!
//! Run: `cargo test -p conformance --test repro_jsonwebtoken` (add `-- --nocapture` to see the
//! REPRODUCED line).
#![cfg(feature = "rust-crates")]

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde_json::{Map, Value};

const VECTOR: &str = "header/crit-unknown-extension";
const ISSUER: &str = "https://issuer.example";
const AUDIENCE: &str = "https://api.example";
const JWKS: &str = r#"{"keys":[{"alg":"ES256","crv":"P-256","kid":"primary","kty":"EC","use":"sig","x":"Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE","y":"opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI"}]}"#;
// Header: {"alg":"ES256","crit":["http://example.com/ext"],"http://example.com/ext":true,"kid":"primary","typ":"at+jwt"}
const TOKEN: &str = "eyJhbGciOiJFUzI1NiIsImNyaXQiOlsiaHR0cDovL2V4YW1wbGUuY29tL2V4dCJdLCJodHRwOi8vZXhhbXBsZS5jb20vZXh0Ijp0cnVlLCJraWQiOiJwcmltYXJ5IiwidHlwIjoiYXQrand0In0.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.oYwG_a_DaEDlfjUVQm9XZqbCEiZjwR9Naj78PmgL1Okhf0UX3flJwGHQb4EnLIRilKJ6HpzMycALTB-8Xj6Kwg";

fn not_reproduced(what: impl std::fmt::Display) -> ! {
    panic!("NOT REPRODUCED {VECTOR}: {what}")
}

#[test]
fn reproduces() {
    let set: JwkSet =
        serde_json::from_str(JWKS).unwrap_or_else(|e| not_reproduced(format!("JwkSet: {e}")));
    let mut validation = Validation::new(Algorithm::ES256);
    validation.algorithms = vec![Algorithm::ES256];
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
            "REPRODUCED {VECTOR}: jsonwebtoken accepted a token with crit [\"http://example.com/ext\"] \
             (an extension it does not understand) and returned its claims (sub {})",
            data.claims.get("sub").unwrap_or(&Value::Null)
        ),
        Err(e) => not_reproduced(format!("jsonwebtoken rejected the token: {e}")),
    }
}
