//! Reproduction: `jwt-compact` 0.8.0 (feature `p256`) accepts an access token minted for
//! another service (`aud` "https://other.example"): it has no audience validation at all.
//!
//! RFC 7519 §4.1.3 (`RFC7519-4.1.3-aud`): "If the principal processing the claim does not
//! identify itself with a value in the "aud" claim when this claim is present, then the JWT MUST
//! be rejected."; RFC 9068 §4 (`RFC9068-4-aud`) and RFC 8725 §3.9 (`RFC8725-3.9-aud`) likewise.
//! A token for one service can be replayed against another that trusts the same issuer.
//!
//! Reproduces: aud/other (policy-bypass)
//!
//! Configured as the conformance adapter (`src/adapters/jwt_compact.rs`), as strictly as the
//! library allows: the JWK read as the library's `JsonWebKey` and converted to the `Es256`
//! verifying key; the `Es256` validator (the algorithm is fixed by it); `validate_expiration`
//! with `TimeOptions` (leeway 0, clock = the vector's `now`, 1700000000); `validate_maturity`
//! only when the token has `nbf` (this one has none). The library takes no issuer or audience,
//! so the profile's (issuer "https://issuer.example", audience "https://api.example") cannot be
//! given to it.
//!
//! Run: `cargo test -p conformance --test repro_jwt_compact` (add `-- --nocapture` to see the
//! REPRODUCED line).
#![cfg(feature = "rust-crates")]

use chrono::{TimeZone, Utc};
use jwt_compact::alg::Es256;
use jwt_compact::jwk::JsonWebKey;
use jwt_compact::prelude::*;
use jwt_compact::{Algorithm, ValidationError};
use serde_json::{Map, Value};

type VerifyingKey = <Es256 as Algorithm>::VerifyingKey;

const VECTOR: &str = "aud/other";
const NOW: i64 = 1_700_000_000;
const JWK: &str = r#"{"alg":"ES256","crv":"P-256","kid":"primary","kty":"EC","use":"sig","x":"Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE","y":"opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI"}"#;
// Payload: {"aud":"https://other.example","client_id":"client-1","exp":4102444800,"iat":1000000000,"iss":"https://issuer.example","jti":"jti-0001","sub":"01HZY2J3K4M5N6P7Q8R9S0T1V2"}
const TOKEN: &str = "eyJhbGciOiJFUzI1NiIsImtpZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL290aGVyLmV4YW1wbGUiLCJjbGllbnRfaWQiOiJjbGllbnQtMSIsImV4cCI6NDEwMjQ0NDgwMCwiaWF0IjoxMDAwMDAwMDAwLCJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwianRpIjoianRpLTAwMDEiLCJzdWIiOiIwMUhaWTJKM0s0TTVONlA3UThSOVMwVDFWMiJ9.LUZMzi340_40rpa228C2x-0vT2pxgBOF1_UQdKc779pOZ3-NoHcqz0lcTzy726wx0l-PQJtwc7PSy53-h1Cy7Q";

fn not_reproduced(what: impl std::fmt::Display) -> ! {
    panic!("NOT REPRODUCED {VECTOR}: {what}")
}

#[test]
fn reproduces() {
    let jwk: JsonWebKey<'_> =
        serde_json::from_str(JWK).unwrap_or_else(|e| not_reproduced(format!("JsonWebKey: {e}")));
    let key = VerifyingKey::try_from(&jwk)
        .unwrap_or_else(|e| not_reproduced(format!("JsonWebKey -> verifying key: {e}")));
    let untrusted = UntrustedToken::new(TOKEN)
        .unwrap_or_else(|e| not_reproduced(format!("UntrustedToken::new rejected the token: {e}")));
    let now = Utc
        .timestamp_opt(NOW, 0)
        .single()
        .expect("NOW is a valid timestamp");
    let time = TimeOptions::new(chrono::Duration::seconds(0), move || now);

    let validated = Es256
        .validator::<Map<String, Value>>(&key)
        .validate(&untrusted)
        .and_then(|token| {
            let claims = token.claims();
            claims.validate_expiration(&time)?;
            if claims.not_before.is_some() {
                claims.validate_maturity(&time)?;
            }
            Ok::<_, ValidationError>(claims.custom.get("aud").cloned())
        });
    match validated {
        Ok(aud) => println!(
            "REPRODUCED {VECTOR}: jwt-compact accepted a token for aud {} \
             (expected https://api.example): it has no audience check",
            aud.unwrap_or(Value::Null)
        ),
        Err(e) => not_reproduced(format!("jwt-compact rejected the token: {e}")),
    }
}
