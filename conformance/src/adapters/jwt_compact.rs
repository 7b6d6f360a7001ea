//! `jwt-compact` (Rust), `p256` feature (pure-Rust ES256), CBOR support off.
//!
//! Configuration, as strict as it allows: the `Es256` validator (the algorithm is fixed by the
//! validator), `validate_expiration` (which requires `exp`) with a clock function returning the
//! vector's `now` and zero leeway, and `validate_maturity` when the token has `nbf` (the call
//! requires `nbf`). Keys: each JWK through the library's `JsonWebKey` and its conversion to the
//! verifying key; no key-set type (`jwks_parsing` not claimed), key picked by `kid` else the
//! first. It has no issuer, audience, `typ` or `iat` validation and no required claims beyond
//! `exp`. Its API takes `&str`: non-UTF-8 tokens are skipped.

use chrono::{TimeZone, Utc};
use jwt_compact::alg::Es256;
use jwt_compact::jwk::JsonWebKey;
use jwt_compact::prelude::*;
use jwt_compact::{Algorithm, Claim, ParseError, ValidationError};
use serde_json::{Map, Value};

use verifier::Reason;

use super::common::{alg_reason, claims_json, jwk_kid, jwk_members, pick_key};
use crate::adapter::{Adapter, AdapterInfo, Capabilities, Case, Outcome};
use crate::vector::Feature;

type VerifyingKey = <Es256 as Algorithm>::VerifyingKey;

/// The `jwt-compact` crate.
#[derive(Debug, Default)]
pub struct JwtCompact;

impl Adapter for JwtCompact {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "jwt-compact".to_owned(),
            library: "jwt-compact (Rust, p256)".to_owned(),
            version: env!("LIBVER_JWT_COMPACT").to_owned(),
            capabilities: Capabilities::new([Feature::Clock]),
            notes: vec![
                "Es256 validator; validate_expiration with TimeOptions(leeway 0, clock = now); validate_maturity when nbf is present".to_owned(),
                "keys: JsonWebKey -> verifying key per key; no JWK Set parser (jwks_parsing skipped)".to_owned(),
                "no issuer, audience, typ or iat validation in the library; API takes &str (non-UTF-8 tokens skipped)".to_owned(),
            ],
        }
    }

    fn verify(&self, case: &Case<'_>) -> Outcome {
        let members = match jwk_members(case.jwks) {
            Ok(m) => m,
            Err(e) => return Outcome::AdapterError { error: e },
        };
        let mut keys: Vec<(Option<String>, VerifyingKey)> = Vec::with_capacity(members.len());
        for member in members {
            let key = serde_json::from_value::<JsonWebKey<'_>>(member.clone())
                .map_err(|e| e.to_string())
                .and_then(|jwk| VerifyingKey::try_from(&jwk).map_err(|e| e.to_string()));
            match key {
                Ok(key) => keys.push((jwk_kid(member).map(str::to_owned), key)),
                Err(e) => return Outcome::config_error(format!("JsonWebKey: {e}")),
            }
        }
        let Some(token) = case.token_str() else {
            return Outcome::Skipped {
                why: "jwt-compact takes &str; the token is not UTF-8".to_owned(),
            };
        };
        let untrusted = match UntrustedToken::new(token) {
            Ok(t) => t,
            Err(e) => {
                let reason = match &e {
                    ParseError::InvalidTokenStructure => Some(Reason::NotJwsCompact),
                    ParseError::MalformedHeader(_) => Some(Reason::HeaderUnparseable),
                    ParseError::UnsupportedContentType(_) => Some(Reason::NestedJws),
                    _ => None,
                };
                return Outcome::reject_as(e, reason);
            }
        };
        let Some(index) = pick_key(&keys, untrusted.header().key_id.as_deref()) else {
            return Outcome::AdapterError {
                error: "empty key set".to_owned(),
            };
        };
        let now = Utc
            .timestamp_opt(case.now, 0)
            .single()
            .unwrap_or(chrono::DateTime::<Utc>::MIN_UTC);
        let leeway =
            chrono::Duration::seconds(i64::try_from(case.profile.leeway_secs).unwrap_or(i64::MAX));
        let time = TimeOptions::new(leeway, move || now);
        let validated = Es256
            .validator::<Map<String, Value>>(&keys[index].1)
            .validate(&untrusted)
            .and_then(|token| {
                let claims = token.claims();
                claims.validate_expiration(&time)?;
                if claims.not_before.is_some() {
                    claims.validate_maturity(&time)?;
                }
                Ok(claims_json(claims))
            });
        match validated {
            Ok(claims) => Outcome::Accept { claims },
            Err(e) => {
                let reason = match &e {
                    ValidationError::AlgorithmMismatch { actual, .. } => Some(alg_reason(actual)),
                    ValidationError::InvalidSignatureLen { .. }
                    | ValidationError::MalformedSignature(_)
                    | ValidationError::InvalidSignature => Some(Reason::SignatureInvalid),
                    ValidationError::NoClaim(Claim::Expiration) => Some(Reason::ExpMissing),
                    ValidationError::Expired => Some(Reason::Expired),
                    ValidationError::NotMature => Some(Reason::NotYetValid),
                    _ => None,
                };
                Outcome::reject_as(e, reason)
            }
        }
    }
}
