//! `jwt-simple` (Rust), pure-Rust feature.
//!
//! Configuration, as strict as its `VerificationOptions` allow: issuer and audiences pinned,
//! `time_tolerance` from the profile's leeway (0; it also bounds `iat` in the future),
//! `required_signature_type` = the profile's `typ`, `max_token_length` from the profile,
//! `required_key_id` = the selected key's `kid`, and `artificial_time` = the vector's `now`
//! (clock injection). The algorithm is fixed by the key type (`ES256PublicKey`). Keys: each JWK
//! is imported with the library's `ES256PublicKey::from_jwk`; the library has no key-set type,
//! so `jwks_parsing` is not claimed, and the key is picked by `kid` (falling back to the first,
//! leaving the `kid` decision to `required_key_id`). Its API takes `&str`: non-UTF-8 tokens are
//! skipped. It cannot require `exp`, `iat`, `sub`, `client_id` or `jti`.

use jwt_simple::JWTError;
use jwt_simple::prelude::{
    Duration, ECDSAP256PublicKeyLike, ES256PublicKey, HashSet, Token, UnixTimeStamp,
    VerificationOptions,
};
use serde_json::{Map, Value};

use verifier::Reason;

use super::common::{alg_label, claims_json, jwk_kid, jwk_members, pick_key};
use crate::adapter::{Adapter, AdapterInfo, Capabilities, Case, Outcome};
use crate::vector::Feature;

/// The `jwt-simple` crate.
#[derive(Debug, Default)]
pub struct JwtSimple;

impl Adapter for JwtSimple {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "jwt-simple".to_owned(),
            library: "jwt-simple (Rust, pure-rust)".to_owned(),
            version: env!("LIBVER_JWT_SIMPLE").to_owned(),
            capabilities: Capabilities::new([Feature::Clock, Feature::Typ]),
            notes: vec![
                "VerificationOptions: allowed_issuers, allowed_audiences, time_tolerance 0, required_signature_type = typ, max_token_length, required_key_id, artificial_time = now".to_owned(),
                "keys: ES256PublicKey::from_jwk per key; no JWK Set parser (jwks_parsing skipped)".to_owned(),
                "API takes &str: non-UTF-8 tokens skipped; cannot require exp, iat, sub, client_id, jti".to_owned(),
            ],
        }
    }

    fn verify(&self, case: &Case<'_>) -> Outcome {
        let members = match jwk_members(case.jwks) {
            Ok(m) => m,
            Err(e) => return Outcome::AdapterError { error: e },
        };
        let mut keys = Vec::with_capacity(members.len());
        for jwk in members {
            match ES256PublicKey::from_jwk(&jwk.to_string()) {
                Ok(key) => keys.push((jwk_kid(jwk).map(str::to_owned), key)),
                Err(e) => {
                    return Outcome::config_error(format!("ES256PublicKey::from_jwk: {e}"));
                }
            }
        }
        let Some(token) = case.token_str() else {
            return Outcome::Skipped {
                why: "jwt-simple takes &str; the token is not UTF-8".to_owned(),
            };
        };
        let token_kid = Token::decode_metadata(token)
            .ok()
            .and_then(|m| m.key_id().map(str::to_owned));
        let Some(index) = pick_key(&keys, token_kid.as_deref()) else {
            return Outcome::AdapterError {
                error: "empty key set".to_owned(),
            };
        };
        let (kid, key) = &keys[index];
        let options = VerificationOptions {
            allowed_issuers: case
                .profile
                .issuer
                .as_ref()
                .map(|i| HashSet::from([i.clone()])),
            allowed_audiences: Some(case.profile.audiences.iter().cloned().collect()),
            time_tolerance: Some(Duration::from_secs(case.profile.leeway_secs)),
            required_signature_type: case.profile.typ.clone(),
            required_key_id: kid.clone(),
            max_token_length: Some(case.profile.max_token_bytes),
            artificial_time: Some(UnixTimeStamp::from_secs(case.now.max(0) as u64)),
            accept_future: false,
            ..VerificationOptions::default()
        };
        match key.verify_token::<Map<String, Value>>(token, Some(options)) {
            Ok(claims) => Outcome::Accept {
                claims: claims_json(&claims),
            },
            Err(e) => {
                let reason = e.downcast_ref::<JWTError>().and_then(|j| reason(case, j));
                Outcome::reject_as(e, reason)
            }
        }
    }
}

fn reason(case: &Case<'_>, e: &JWTError) -> Option<Reason> {
    Some(match e {
        JWTError::TokenTooLong => Reason::OversizedToken,
        JWTError::CompactEncodingError => Reason::NotJwsCompact,
        JWTError::AlgorithmMismatch => return alg_label(case.token),
        JWTError::KeyIdentifierMismatch | JWTError::MissingJWTKeyIdentifier => Reason::KidUnknown,
        JWTError::InvalidSignature => Reason::SignatureInvalid,
        JWTError::ClockDrift => Reason::IatFuture,
        JWTError::TokenNotValidYet => Reason::NotYetValid,
        JWTError::TokenHasExpired => Reason::Expired,
        JWTError::RequiredIssuerMismatch | JWTError::RequiredIssuerMissing => Reason::IssMismatch,
        JWTError::RequiredAudienceMissing => Reason::AudMissing,
        JWTError::RequiredAudienceMismatch => Reason::AudMismatch,
        JWTError::NotJWT | JWTError::RequiredSignatureTypeMismatch => Reason::TypMismatch,
        JWTError::UnknownCriticalExtension => Reason::HeaderCrit,
        _ => return None,
    })
}
