//! `jsonwebtoken` (Rust), pure-Rust crypto (`rust_crypto` feature).
//!
//! Configuration, as strict as its `Validation` allows: the profile's algorithms (ES256), issuer
//! and audiences, `leeway` from the profile (0), `validate_exp` and `validate_nbf` on, and
//! `exp`, `iss`, `aud`, `sub` required (the only claims it can require). Keys: the JWK Set is
//! parsed by the library (`JwkSet`), every key converted with `DecodingKey::from_jwk`, and the
//! token's key chosen with `JwkSet::find(kid)`, as the library's documentation does.
//! It has no clock injection, no `typ` check, no `iat` check and cannot require `client_id` or
//! `jti`.

use std::str::FromStr;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde_json::{Map, Value};

use verifier::Reason;

use super::common::{alg_label, missing_claim_reason, peek_claim_names};
use crate::adapter::{Adapter, AdapterInfo, Capabilities, Case, Outcome};
use crate::vector::Feature;

/// The only claims `Validation` can require.
const REQUIRED: [&str; 4] = ["exp", "iss", "aud", "sub"];

/// The `jsonwebtoken` crate.
#[derive(Debug, Default)]
pub struct JsonWebToken;

impl Adapter for JsonWebToken {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "jsonwebtoken".to_owned(),
            library: "jsonwebtoken (Rust, rust_crypto)".to_owned(),
            version: env!("LIBVER_JSONWEBTOKEN").to_owned(),
            capabilities: Capabilities::new([Feature::JwksParsing]),
            notes: vec![
                "Validation: profile algorithms (ES256), issuer, audiences, leeway 0, exp+nbf validated, required exp/iss/aud/sub".to_owned(),
                "keys: JwkSet parsed by the library (serde, from the key set's bytes), DecodingKey::from_jwk for each key, JwkSet::find(kid)".to_owned(),
                "no clock injection (system clock): clock vectors skipped".to_owned(),
                "cannot check typ or iat, cannot require client_id or jti".to_owned(),
            ],
        }
    }

    fn verify(&self, case: &Case<'_>) -> Outcome {
        // The set's bytes, so that its serde parse meets duplicate members as the library would.
        let set: JwkSet = match serde_json::from_slice(&case.jwks_bytes()) {
            Ok(set) => set,
            Err(e) => return Outcome::config_error(format!("JwkSet: {e}")),
        };
        for jwk in &set.keys {
            if let Err(e) = DecodingKey::from_jwk(jwk) {
                return Outcome::config_error(format!("DecodingKey::from_jwk: {e}"));
            }
        }
        let mut algorithms = Vec::new();
        for alg in &case.profile.algorithms {
            let name = alg.name();
            match Algorithm::from_str(name) {
                Ok(alg) => algorithms.push(alg),
                Err(e) => return Outcome::config_error(format!("Algorithm {name}: {e}")),
            }
        }
        let mut validation = Validation::new(Algorithm::ES256);
        validation.algorithms = algorithms;
        validation.leeway = case.profile.leeway_secs;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.validate_aud = true;
        validation.set_required_spec_claims(&REQUIRED);
        if let Some(issuer) = &case.profile.issuer {
            validation.set_issuer(&[issuer]);
        }
        validation.set_audience(&case.profile.audiences);

        let header = match decode_header(case.token) {
            Ok(h) => h,
            Err(e) => return reject(case, &e),
        };
        let Some(kid) = header.kid else {
            return Outcome::reject_as(
                "no kid in the header: JwkSet::find cannot select a key",
                Some(Reason::KidUnknown),
            );
        };
        let Some(jwk) = set.find(&kid) else {
            return Outcome::reject_as(
                format!("JwkSet::find: no key with kid {kid:?}"),
                Some(Reason::KidUnknown),
            );
        };
        let key = match DecodingKey::from_jwk(jwk) {
            Ok(k) => k,
            Err(e) => return reject(case, &e),
        };
        match decode::<Map<String, Value>>(case.token, &key, &validation) {
            Ok(data) => Outcome::Accept {
                claims: Value::Object(data.claims),
            },
            Err(e) => reject(case, &e),
        }
    }
}

fn reject(case: &Case<'_>, e: &jsonwebtoken::errors::Error) -> Outcome {
    let reason = match e.kind() {
        ErrorKind::InvalidSignature => Some(Reason::SignatureInvalid),
        ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => alg_label(case.token),
        // The library checks its required claims in `HashSet` order: with several missing, the
        // one it names varies from run to run, so such an error is labeled only when one is.
        ErrorKind::MissingRequiredClaim(c) => {
            let present = peek_claim_names(case.token).unwrap_or_default();
            let missing = REQUIRED
                .iter()
                .filter(|r| !present.iter().any(|p| p == *r))
                .count();
            if missing == 1 {
                missing_claim_reason(c)
            } else {
                None
            }
        }
        ErrorKind::InvalidClaimFormat(c) if ["exp", "nbf", "iat"].contains(&c.as_str()) => {
            Some(Reason::InvalidNumericType)
        }
        ErrorKind::ExpiredSignature => Some(Reason::Expired),
        ErrorKind::InvalidIssuer => Some(Reason::IssMismatch),
        ErrorKind::InvalidAudience => Some(Reason::AudMismatch),
        ErrorKind::ImmatureSignature => Some(Reason::NotYetValid),
        _ => None,
    };
    Outcome::reject_as(e, reason)
}
