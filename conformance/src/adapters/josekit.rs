//! `josekit` (Rust, OpenSSL). Built with the crate's default `josekit` feature.
//!
//! Algorithms: all 13 (`ES256`, `ES384`, `ES512`, `RS*`, `PS*`, `EdDSA`, `HS*` verifiers).
//! Presets: `rfc9068`, `jwt` and `oidc-id-token` (the client ID as the audience, the nonce as a
//! required claim value).
//!
//! Configuration, as strict as it allows: the JWK Set is parsed by the library
//! (`JwkSet::from_bytes`) and the key selected by the library's rule
//! (`decode_with_verifier_in_jwk_set`: the keys whose `kid` equals the token's, none for a
//! kid-less token, in every preset). Its verifiers are one algorithm each: for a selected key the
//! adapter builds, with the library's `verifier_from_jwk` (which checks `kty`, `crv`, `use`,
//! `key_ops`, the JWK's `alg` and the key size), a verifier for every algorithm of the profile,
//! and hands the library the one for the token's `alg` when the profile allows it (or the
//! library's refusal of the key for it), else the first that built (the library then refuses
//! the token's `alg` itself), else the library's refusal of the key. Nothing outside the profile's algorithms is ever configured.
//! `JwtPayloadValidator` with `base_time` = the vector's `now` (clock injection; it has no
//! leeway), the issuer (required and equal), the audience (under `oidc-id-token` the client ID),
//! `max_issued_time` = now + the profile's `iat` skew, and under `oidc-id-token` with a nonce,
//! `set_claim("nonce", nonce)` (required and equal). It validates one audience: profiles with
//! several are skipped. It has no `typ` or `azp` check and cannot require `exp`, `sub`,
//! `client_id` or `jti` (`set_claim` requires a claim only together with one value). It can
//! require `aud` only through `set_claim("aud", value)`, which compares the whole claim for
//! equality: that refuses every valid token whose `aud` is an array holding ours (RFC 7519
//! §4.1.3), so the adapter uses `set_audience` (membership, when present) and a missing `aud`
//! stays the library's finding.
//!
//! Its `EdDSA` verifier takes the JWK's 32 bytes as OpenSSL's raw Ed25519 key and verifies with
//! OpenSSL's one-shot check (`jws/alg/eddsa.rs`): a non-canonical small-order key verifies a
//! forged signature, and no setting refuses such keys. Its payload parser panics on an
//! `exp`, `nbf` or `iat` beyond `SystemTime`'s range (`claims/exp-beyond-i64`).

use std::time::Duration;

use josekit::JoseError;
use josekit::jwk::{Jwk, JwkSet};
use josekit::jws::{
    ES256, ES384, ES512, EdDSA, HS256, HS384, HS512, JwsVerifier, PS256, PS384, PS512, RS256,
    RS384, RS512,
};
use josekit::jwt::{self, JwtPayloadValidator};
use serde_json::Value;

use verifier::{Algorithm, Preset, Reason};

use super::common::{alg_label, system_time};
use crate::adapter::{Adapter, AdapterInfo, Capabilities, Case, Outcome};
use crate::vector::Feature;

/// The `josekit` crate.
#[derive(Debug, Default)]
pub struct Josekit;

/// The library's verifier of `alg` for `jwk`, or its refusal.
fn verifier(alg: Algorithm, jwk: &Jwk) -> Result<Box<dyn JwsVerifier>, JoseError> {
    Ok(match alg {
        Algorithm::ES256 => Box::new(ES256.verifier_from_jwk(jwk)?),
        Algorithm::ES384 => Box::new(ES384.verifier_from_jwk(jwk)?),
        Algorithm::ES512 => Box::new(ES512.verifier_from_jwk(jwk)?),
        Algorithm::RS256 => Box::new(RS256.verifier_from_jwk(jwk)?),
        Algorithm::RS384 => Box::new(RS384.verifier_from_jwk(jwk)?),
        Algorithm::RS512 => Box::new(RS512.verifier_from_jwk(jwk)?),
        Algorithm::PS256 => Box::new(PS256.verifier_from_jwk(jwk)?),
        Algorithm::PS384 => Box::new(PS384.verifier_from_jwk(jwk)?),
        Algorithm::PS512 => Box::new(PS512.verifier_from_jwk(jwk)?),
        Algorithm::EdDSA => Box::new(EdDSA.verifier_from_jwk(jwk)?),
        Algorithm::HS256 => Box::new(HS256.verifier_from_jwk(jwk)?),
        Algorithm::HS384 => Box::new(HS384.verifier_from_jwk(jwk)?),
        Algorithm::HS512 => Box::new(HS512.verifier_from_jwk(jwk)?),
    })
}

/// One key's verifiers, one per profile algorithm, in the profile's order.
type Verifiers = Vec<(Algorithm, Result<Box<dyn JwsVerifier>, String>)>;

impl Adapter for Josekit {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "josekit".to_owned(),
            library: "josekit (Rust, OpenSSL)".to_owned(),
            version: env!("LIBVER_JOSEKIT").to_owned(),
            capabilities: Capabilities {
                algorithms: Algorithm::ALL.into(),
                presets: Preset::ALL.into(),
                ..Capabilities::new([Feature::Clock, Feature::JwksParsing])
            },
            notes: vec![
                "algorithms: all 13; presets rfc9068, jwt, oidc-id-token (client_id as the audience, nonce as a required claim value)".to_owned(),
                "JwkSet::from_bytes; kid lookup by the library's rule (decode_with_verifier_in_jwk_set: kid-less tokens find no key); per key a verifier_from_jwk for each profile algorithm: the token's alg's when allowed (or its refusal of the key), else the first built".to_owned(),
                "JwtPayloadValidator: base_time = now (no leeway), issuer, audience, max_issued_time = now + iat skew, set_claim(nonce)".to_owned(),
                "no typ or azp check; cannot require exp, sub, client_id, jti; one audience only".to_owned(),
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
        let audiences = case.profile.effective_audiences();
        if audiences.len() > 1 {
            return Outcome::Skipped {
                why: "josekit's validator takes one audience; the profile has several".to_owned(),
            };
        }
        let keys = set.keys();
        let verifiers: Vec<Verifiers> = keys
            .iter()
            .map(|jwk| {
                case.profile
                    .algorithms
                    .iter()
                    .map(|&alg| (alg, verifier(alg, jwk).map_err(|e| key_error(&e))))
                    .collect()
            })
            .collect();
        // The body of the library's `decode_with_verifier_in_jwk_set` (kid lookup with
        // `JwkSet::get`), written out so that the verifiers can outlive the selector and the
        // choice among the key's verifiers can see the header.
        let decoded = jwt::decode_with_verifier_selector(case.token, |header| {
            let Some(kid) = header.key_id() else {
                return Ok(None);
            };
            let token_alg = header.algorithm();
            for jwk in set.get(kid) {
                let Some(index) = keys.iter().position(|k| std::ptr::eq(*k, jwk)) else {
                    continue;
                };
                let built = &verifiers[index];
                let named = built.iter().find(|(alg, _)| Some(alg.name()) == token_alg);
                let chosen = match named {
                    Some((_, built)) => Some(built.as_ref()),
                    None => built
                        .iter()
                        .find(|(_, r)| r.is_ok())
                        .or(built.first())
                        .map(|(_, r)| r.as_ref()),
                };
                match chosen {
                    Some(Ok(v)) => return Ok(Some(v.as_ref() as &dyn JwsVerifier)),
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
        if let Some(audience) = audiences.first() {
            validator.set_audience(audience.clone());
        }
        if let Some(nonce) = &case.profile.nonce {
            validator.set_claim("nonce", Value::String(nonce.clone()));
        }
        match validator.validate(&payload) {
            Ok(()) => Outcome::Accept {
                claims: Value::Object(payload.claims_set().clone()),
            },
            Err(e) => reject(case, &e),
        }
    }
}

/// A verifier refusal as text (`JoseError` is not `Clone`: the selection rebuilds it).
fn key_error(e: &JoseError) -> String {
    let source = e.source_text();
    if source.is_empty() {
        e.to_string()
    } else {
        source
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
        JoseError::InvalidKeyFormat(_)
            if text.contains("key length must be") || text.contains("Secret key size must be") =>
        {
            Some(Reason::KeyTooWeak)
        }
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
        ("Key nonce ", Reason::NonceMismatch),
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
