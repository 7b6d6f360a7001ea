//! `jsonwebtoken` (Rust), pure-Rust crypto (`rust_crypto` feature).
//!
//! Algorithms: the 12 its `Algorithm` has (ES256, ES384, RS256/384/512, PS256/384/512, EdDSA,
//! HS256/384/512); ES512 is left out (the crate has no P-521). Presets: `rfc9068`, `jwt` and
//! `oidc-id-token` (configured as a plain JWT with the client ID as its audience).
//!
//! Configuration, as strict as its `Validation` allows: `algorithms` = the profile's algorithms
//! of the selected key's family (the library refuses a `Validation` holding an algorithm of
//! another family than the key's, so the list is narrowed per key, never widened: with none of
//! the key's family it is the profile's whole list and the library refuses), issuer, audiences
//! (`validate_aud` only when an audience is configured: under `jwt` without one the library
//! would refuse every `aud`), `leeway` from the profile, `validate_exp` and `validate_nbf` on,
//! and `required_spec_claims` = the profile's required claims (and `iss`, `aud` when one is
//! configured) among the only ones it can require (`exp`, `nbf`, `iss`, `aud`, `sub`). Under
//! `oidc-id-token` the client ID is the audience.
//!
//! Keys: the JWK Set is parsed by the library (`JwkSet`), every key converted with
//! `DecodingKey::from_jwk`, and the token's key chosen with `JwkSet::find(kid)`, as the library's
//! documentation does; `find` needs a `kid`, so a kid-less token is rejected (`kid_unknown`) in
//! every preset. Its EdDSA verifier (`crypto/rust_crypto/eddsa.rs`) panics on an `OKP` key
//! shorter than 32 bytes (it slices `[..32]` first: `eddsa/key-x-31-octets`), and takes keys
//! with `ed25519_dalek::VerifyingKey::from_bytes` and checks with the non-strict `verify`, so a
//! non-canonical small-order key verifies a forged signature; no setting changes either.
//!
//! It has no clock injection, no `typ` check, no `iat` check, no `azp` or `nonce`
//! check, and cannot require `iat`, `client_id`, `jti` or any other claim.

use std::str::FromStr;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde_json::{Map, Value};

use verifier::{Preset, Reason};

use super::common::{alg_label, missing_claim_reason, must_have, peek_claim_names};
use crate::adapter::{Adapter, AdapterInfo, Capabilities, Case, Outcome};
use crate::vector::Feature;

/// The only claims `Validation` can require.
const REQUIRABLE: [&str; 5] = ["exp", "nbf", "iss", "aud", "sub"];

/// The algorithms of `jsonwebtoken::Algorithm` (all but ES512).
const ALGORITHMS: [verifier::Algorithm; 12] = {
    use verifier::Algorithm as A;
    [
        A::ES256,
        A::ES384,
        A::RS256,
        A::RS384,
        A::RS512,
        A::PS256,
        A::PS384,
        A::PS512,
        A::EdDSA,
        A::HS256,
        A::HS384,
        A::HS512,
    ]
};

/// The `jsonwebtoken` crate.
#[derive(Debug, Default)]
pub struct JsonWebToken;

impl Adapter for JsonWebToken {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "jsonwebtoken".to_owned(),
            library: "jsonwebtoken (Rust, rust_crypto)".to_owned(),
            version: env!("LIBVER_JSONWEBTOKEN").to_owned(),
            capabilities: Capabilities {
                algorithms: ALGORITHMS.into(),
                presets: Preset::ALL.into(),
                ..Capabilities::new([Feature::JwksParsing])
            },
            notes: vec![
                "algorithms: all but ES512 (no P-521 in the crate); presets rfc9068, jwt, oidc-id-token (client_id as the audience)".to_owned(),
                "Validation: algorithms = the profile's of the key's family (the library refuses a list mixing families), issuer, audiences (validate_aud only when configured), leeway, exp+nbf validated, required_spec_claims = the profile's among exp/nbf/iss/aud/sub".to_owned(),
                "keys: JwkSet parsed by the library (serde, from the key set's bytes), DecodingKey::from_jwk for each key, JwkSet::find(kid); kid-less tokens rejected (find needs a kid)".to_owned(),
                "no clock injection (system clock): clock vectors skipped".to_owned(),
                "cannot check typ, iat, azp or nonce; cannot require iat, client_id, jti or other claims".to_owned(),
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
        let header = match decode_header(case.token) {
            Ok(h) => h,
            Err(e) => return reject(case, &e, &[]),
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
            Err(e) => return reject(case, &e, &[]),
        };
        let mut all = Vec::new();
        for alg in &case.profile.algorithms {
            let name = alg.name();
            match Algorithm::from_str(name) {
                Ok(alg) => all.push(alg),
                Err(e) => return Outcome::config_error(format!("Algorithm {name}: {e}")),
            }
        }
        let of_family: Vec<Algorithm> = all
            .iter()
            .copied()
            .filter(|a| a.family() == key.family())
            .collect();
        let required: Vec<&str> = REQUIRABLE
            .iter()
            .copied()
            .filter(|c| must_have(case.profile, c))
            .collect();
        let mut validation = Validation::new(Algorithm::ES256);
        validation.algorithms = if of_family.is_empty() { all } else { of_family };
        validation.leeway = case.profile.leeway_secs;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&required);
        if let Some(issuer) = &case.profile.issuer {
            validation.set_issuer(&[issuer]);
        }
        let audiences = case.profile.effective_audiences();
        validation.validate_aud = !audiences.is_empty();
        validation.set_audience(audiences);

        match decode::<Map<String, Value>>(case.token, &key, &validation) {
            Ok(data) => Outcome::Accept {
                claims: Value::Object(data.claims),
            },
            Err(e) => reject(case, &e, &required),
        }
    }
}

fn reject(case: &Case<'_>, e: &jsonwebtoken::errors::Error, required: &[&str]) -> Outcome {
    let reason = match e.kind() {
        ErrorKind::InvalidSignature => Some(Reason::SignatureInvalid),
        ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => alg_label(case.token),
        // The library checks its required claims in `HashSet` order: with several missing, the
        // one it names varies from run to run, so such an error is labeled only when one is.
        ErrorKind::MissingRequiredClaim(c) => {
            let present = peek_claim_names(case.token).unwrap_or_default();
            let missing = required
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
