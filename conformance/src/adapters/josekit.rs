//! `josekit` (Rust, OpenSSL). Built with the crate's default `josekit` feature.
//!
//! Configuration, as strict as it allows: the JWK Set is parsed by the library
//! (`JwkSet::from_bytes`) and the key selected by the library (`decode_with_verifier_in_jwk_set`
//! matches `kid`), each selected key turned into an `ES256` verifier (which pins the algorithm);
//! `JwtPayloadValidator` with `base_time` = the vector's `now` (clock injection), the issuer
//! (required and equal), the audience, and `max_issued_time` = now + the profile's `iat` skew.
//! It validates one audience: profiles with several are skipped. It has no `typ` check and
//! cannot require `exp`, `sub`, `client_id` or `jti`. It can require `aud` only through
//! `set_claim("aud", value)`, which compares the whole claim for equality: that refuses every
//! valid token whose `aud` is an array holding ours (RFC 7519 §4.1.3), so the adapter uses
//! `set_audience` (membership, when present) and a missing `aud` stays the library's finding.

use std::time::Duration;

use josekit::JoseError;
use josekit::jwk::JwkSet;
use josekit::jws::{ES256, JwsVerifier};
use josekit::jwt::{self, JwtPayloadValidator};
use serde_json::Value;

use verifier::Reason;

use super::common::{alg_label, system_time};
use crate::adapter::{Adapter, AdapterInfo, Capabilities, Case, Outcome};
use crate::vector::Feature;

/// The `josekit` crate.
#[derive(Debug, Default)]
pub struct Josekit;

impl Adapter for Josekit {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "josekit".to_owned(),
            library: "josekit (Rust, OpenSSL)".to_owned(),
            version: env!("LIBVER_JOSEKIT").to_owned(),
            capabilities: Capabilities::new([Feature::Clock, Feature::JwksParsing]),
            notes: vec![
                "JwkSet::from_bytes; decode_with_verifier_in_jwk_set (kid lookup by the library); ES256 verifier per key".to_owned(),
                "JwtPayloadValidator: base_time = now, issuer, audience, max_issued_time = now + iat skew".to_owned(),
                "no typ check; cannot require exp, sub, client_id, jti; one audience only".to_owned(),
                "aud is required only by set_claim(\"aud\", …), an equality check that refuses a valid aud array holding ours; set_audience (membership when present) is used instead".to_owned(),
            ],
        }
    }

    fn verify(&self, case: &Case<'_>) -> Outcome {
        let bytes = case.jwks_bytes();
        let set = match JwkSet::from_bytes(bytes) {
            Ok(set) => set,
            Err(e) => return Outcome::config_error(format!("JwkSet::from_bytes: {e}")),
        };
        if case.profile.audiences.len() > 1 {
            return Outcome::Skipped {
                why: "josekit's validator takes one audience; the profile has several".to_owned(),
            };
        }
        let keys = set.keys();
        let verifiers: Vec<Result<_, String>> = keys
            .iter()
            .map(|jwk| ES256.verifier_from_jwk(jwk).map_err(|e| e.to_string()))
            .collect();
        // The body of the library's `decode_with_verifier_in_jwk_set` (kid lookup with
        // `JwkSet::get`), written out so that the verifiers can outlive the selector.
        let decoded = jwt::decode_with_verifier_selector(case.token, |header| {
            let Some(kid) = header.key_id() else {
                return Ok(None);
            };
            for jwk in set.get(kid) {
                let index = keys.iter().position(|k| std::ptr::eq(*k, jwk));
                match index.map(|i| &verifiers[i]) {
                    Some(Ok(v)) => return Ok(Some(v as &dyn JwsVerifier)),
                    Some(Err(e)) => return Err(JoseError::InvalidKeyFormat(anyhow_error(e))),
                    None => {}
                }
            }
            Ok(None)
        });
        let (payload, _header) = match decoded {
            Ok(d) => d,
            Err(e) => return reject(case, &e),
        };
        let mut validator = JwtPayloadValidator::new();
        let now = system_time(case.now);
        validator.set_base_time(now);
        validator.set_max_issued_time(now + Duration::from_secs(case.profile.iat_skew_secs));
        if let Some(issuer) = &case.profile.issuer {
            validator.set_issuer(issuer.clone());
        }
        if let Some(audience) = case.profile.audiences.first() {
            validator.set_audience(audience.clone());
        }
        match validator.validate(&payload) {
            Ok(()) => Outcome::Accept {
                claims: Value::Object(payload.claims_set().clone()),
            },
            Err(e) => reject(case, &e),
        }
    }
}

fn anyhow_error(message: &str) -> anyhow::Error {
    anyhow::anyhow!("{message}")
}

fn reject(case: &Case<'_>, e: &JoseError) -> Outcome {
    let text = format!("{e}: {}", e.source_text());
    let reason = match e {
        JoseError::InvalidSignature(_) => Some(Reason::SignatureInvalid),
        JoseError::UnsupportedSignatureAlgorithm(_) => alg_label(case.token),
        JoseError::InvalidClaim(_) => claim_reason(&text),
        JoseError::InvalidJwtFormat(_) | JoseError::InvalidJwsFormat(_) => {
            if text.contains("alg header claim is not") {
                alg_label(case.token)
            } else if text.contains("critical name") {
                Some(Reason::HeaderCrit)
            } else if text.contains("A verifier is not found") {
                Some(Reason::KidUnknown)
            } else {
                None
            }
        }
        _ => None,
    };
    Outcome::reject_as(text, reason)
}

fn claim_reason(text: &str) -> Option<Reason> {
    [
        ("has expired", Reason::Expired),
        ("not yet valid", Reason::NotYetValid),
        ("issued time is too new", Reason::IatFuture),
        ("Key aud is invalid", Reason::AudMismatch),
        ("Key iss ", Reason::IssMismatch),
    ]
    .iter()
    .find(|(needle, _)| text.contains(needle))
    .map(|(_, reason)| *reason)
}

trait SourceText {
    fn source_text(&self) -> String;
}

impl SourceText for JoseError {
    fn source_text(&self) -> String {
        std::error::Error::source(self)
            .map(|s| s.to_string())
            .unwrap_or_default()
    }
}
