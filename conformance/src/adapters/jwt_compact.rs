//! `jwt-compact` (Rust): features `p256` (ES256), `rsa` (RS256/384/512, PS256/384/512) and
//! `ed25519-dalek` (EdDSA); HS256/384/512 are built in; CBOR support off.
//!
//! Algorithms: those 11 of the 13; ES384 and ES512 are left out (the crate has no P-384 or
//! P-521 algorithm). Presets: `rfc9068`, `jwt` and `oidc-id-token`: the library validates no
//! issuer, audience, nonce or `azp`, so every preset gets the same configuration (the library's
//! gaps stand as findings, as they do under `rfc9068`).
//!
//! The library's validator is one algorithm with one key: there is no algorithm list to pin. The
//! adapter builds the selected key for one of the profile's algorithms of the key's family: the
//! token's `alg` when it is one of them (as an application choosing among its pinned validators
//! by the header would), else the first of them; a key of no allowed family is built for the
//! profile's first algorithm, and the library's key conversion refuses it. The validator then
//! compares the token's `alg` with its own name itself. RSA and HMAC run under the library's
//! `StrongAlg` wrapper (its opt-in strictness), whose `StrongKey` refuses an RSA modulus other
//! than 2048, 3072 or 4096 bits and an HMAC secret shorter than the hash's *block* size (64
//! bytes for HS256, 128 for HS384 and HS512; its documentation says the output size): the
//! library will not verify with such a key, reported as a rejection (`key_too_weak`), which
//! falsely rejects many valid HMAC keys: the price of its strict mode refusing short ones.
//!
//! Configuration, as strict as it allows: `validate_expiration` with a clock function returning
//! the vector's `now` and the profile's leeway, when the profile requires `exp` (the call
//! requires the claim) or the token has one, and `validate_maturity` when the token has `nbf`
//! (the call requires `nbf`). Keys: the selected JWK through the library's `JsonWebKey` and its
//! conversion to the algorithm's verifying key (`StrongKey::try_from` for RSA and HMAC); no
//! key-set type (`jwks_parsing` not claimed), key picked by `kid` else the first, in every
//! preset (the library binds no `kid`). It has no issuer, audience, `typ`, `iat`, `nonce` or
//! `azp` validation and no required claims beyond `exp`. Its API takes `&str`: non-UTF-8 tokens
//! are skipped.

use chrono::{DateTime, TimeZone, Utc};
use jwt_compact::alg::{
    Ed25519, Es256, Hs256, Hs256Key, Hs384, Hs384Key, Hs512, Hs512Key, Rsa, RsaPublicKey,
    StrongAlg, StrongKey,
};
use jwt_compact::jwk::JsonWebKey;
use jwt_compact::prelude::*;
use jwt_compact::{Algorithm as JwtAlgorithm, Claim, ParseError, ValidationError};
use serde_json::{Map, Value};

use verifier::{Algorithm, Preset, Reason};

use super::common::{
    alg_reason, choose_alg, claims_json, jwk_family, jwk_kid, jwk_members, must_have, pick_key,
};
use crate::adapter::{Adapter, AdapterInfo, Capabilities, Case, Outcome};
use crate::vector::Feature;

/// The algorithms of the crate with the features on.
const ALGORITHMS: [Algorithm; 11] = [
    Algorithm::ES256,
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::EdDSA,
    Algorithm::HS256,
    Algorithm::HS384,
    Algorithm::HS512,
];

/// The `jwt-compact` crate.
#[derive(Debug, Default)]
pub struct JwtCompact;

/// One key, as the verifying key of one algorithm.
enum Key {
    Es256(<Es256 as JwtAlgorithm>::VerifyingKey),
    Rsa(Rsa, StrongKey<RsaPublicKey>),
    EdDsa(<Ed25519 as JwtAlgorithm>::VerifyingKey),
    Hs256(StrongKey<Hs256Key>),
    Hs384(StrongKey<Hs384Key>),
    Hs512(StrongKey<Hs512Key>),
}

impl Key {
    /// The JWK as `alg`'s verifying key, with the library's conversions.
    fn import(alg: Algorithm, jwk: &JsonWebKey<'_>) -> Result<Key, Refusal> {
        fn conv<K: for<'a> TryFrom<&'a JsonWebKey<'a>, Error = jwt_compact::jwk::JwkError>>(
            jwk: &JsonWebKey<'_>,
        ) -> Result<K, Refusal> {
            K::try_from(jwk).map_err(|e| Refusal::Key(format!("JsonWebKey: {e}")))
        }
        fn strong<K>(key: K) -> Result<StrongKey<K>, Refusal>
        where
            StrongKey<K>: TryFrom<K>,
            <StrongKey<K> as TryFrom<K>>::Error: std::fmt::Display,
        {
            StrongKey::try_from(key).map_err(|e| Refusal::Weak(format!("StrongKey: {e}")))
        }
        Ok(match alg {
            Algorithm::ES256 => Key::Es256(conv(jwk)?),
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512 => Key::Rsa(
                alg.name()
                    .parse()
                    .map_err(|e| Refusal::Key(format!("{e}")))?,
                strong(conv::<RsaPublicKey>(jwk)?)?,
            ),
            Algorithm::EdDSA => Key::EdDsa(conv(jwk)?),
            Algorithm::HS256 => Key::Hs256(strong(conv::<Hs256Key>(jwk)?)?),
            Algorithm::HS384 => Key::Hs384(strong(conv::<Hs384Key>(jwk)?)?),
            Algorithm::HS512 => Key::Hs512(strong(conv::<Hs512Key>(jwk)?)?),
            Algorithm::ES384 | Algorithm::ES512 => {
                return Err(Refusal::Key(format!("jwt-compact has no {}", alg.name())));
            }
        })
    }

    /// The library's validator for this key, then its time checks.
    fn validate(
        &self,
        token: &UntrustedToken<'_>,
        time: &Time,
        require_exp: bool,
    ) -> Result<Value, ValidationError> {
        match self {
            Key::Es256(k) => run(&Es256, k, token, time, require_exp),
            Key::Rsa(alg, k) => run(&StrongAlg(*alg), k, token, time, require_exp),
            Key::EdDsa(k) => run(&Ed25519, k, token, time, require_exp),
            Key::Hs256(k) => run(&StrongAlg(Hs256), k, token, time, require_exp),
            Key::Hs384(k) => run(&StrongAlg(Hs384), k, token, time, require_exp),
            Key::Hs512(k) => run(&StrongAlg(Hs512), k, token, time, require_exp),
        }
    }
}

/// Why the library would not build the verifying key.
enum Refusal {
    /// Its key conversion refused the JWK.
    Key(String),
    /// `StrongKey` refused the key as weak: the library will not verify with it.
    Weak(String),
}

type Time = TimeOptions<Box<dyn Fn() -> DateTime<Utc>>>;

fn run<A: JwtAlgorithm>(
    alg: &A,
    key: &A::VerifyingKey,
    token: &UntrustedToken<'_>,
    time: &Time,
    require_exp: bool,
) -> Result<Value, ValidationError> {
    let token = alg.validator::<Map<String, Value>>(key).validate(token)?;
    let claims = token.claims();
    if require_exp || claims.expiration.is_some() {
        claims.validate_expiration(time)?;
    }
    if claims.not_before.is_some() {
        claims.validate_maturity(time)?;
    }
    Ok(claims_json(claims))
}

impl Adapter for JwtCompact {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "jwt-compact".to_owned(),
            library: "jwt-compact (Rust, p256, rsa, ed25519-dalek)".to_owned(),
            version: env!("LIBVER_JWT_COMPACT").to_owned(),
            capabilities: Capabilities {
                algorithms: ALGORITHMS.into(),
                presets: Preset::ALL.into(),
                ..Capabilities::new([Feature::Clock])
            },
            notes: vec![
                "algorithms: ES256, RS*, PS*, EdDSA (ed25519-dalek), HS*; ES384 and ES512 left out (no such algorithm in the crate); presets rfc9068, jwt, oidc-id-token (all configured alike: the library checks no claim but exp and nbf)".to_owned(),
                "one validator per algorithm: the selected key is built for the profile's algorithm of its family that the token names, else the first of them; the validator compares the token's alg with its own".to_owned(),
                "RSA and HMAC under StrongAlg: StrongKey refuses RSA moduli other than 2048/3072/4096 bits and HMAC secrets shorter than the hash block size (64/128 bytes): reported as a rejection (key_too_weak)".to_owned(),
                "validate_expiration (leeway, clock = now) when exp is required or present; validate_maturity when nbf is present".to_owned(),
                "keys: JsonWebKey -> verifying key for the selected key; no JWK Set parser (jwks_parsing skipped); kid lookup, else the first key".to_owned(),
                "no issuer, audience, typ, iat, nonce or azp validation in the library; API takes &str (non-UTF-8 tokens skipped)".to_owned(),
            ],
        }
    }

    fn verify(&self, case: &Case<'_>) -> Outcome {
        let members = match jwk_members(case.jwks) {
            Ok(m) => m,
            Err(e) => return Outcome::AdapterError { error: e },
        };
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
        let keys: Vec<(Option<String>, &Value)> = members
            .iter()
            .map(|jwk| (jwk_kid(jwk).map(str::to_owned), jwk))
            .collect();
        let Some(index) = pick_key(&keys, untrusted.header().key_id.as_deref()) else {
            return Outcome::AdapterError {
                error: "empty key set".to_owned(),
            };
        };
        let member = keys[index].1;
        let Some(alg) = choose_alg(
            case.profile,
            jwk_family(member),
            Some(untrusted.algorithm()),
            &ALGORITHMS,
        )
        .or_else(|| case.profile.algorithms.first().copied()) else {
            return Outcome::AdapterError {
                error: "the profile allows no algorithm".to_owned(),
            };
        };
        let key = serde_json::from_value::<JsonWebKey<'_>>(member.clone())
            .map_err(|e| Refusal::Key(format!("JsonWebKey: {e}")))
            .and_then(|jwk| Key::import(alg, &jwk));
        let key = match key {
            Ok(key) => key,
            Err(Refusal::Key(e)) => return Outcome::config_error(e),
            // The library refuses to verify with a weak key: a rejection of this token.
            Err(Refusal::Weak(e)) => return Outcome::reject_as(e, Some(Reason::KeyTooWeak)),
        };
        let now = Utc
            .timestamp_opt(case.now, 0)
            .single()
            .unwrap_or(chrono::DateTime::<Utc>::MIN_UTC);
        let leeway =
            chrono::Duration::seconds(i64::try_from(case.profile.leeway_secs).unwrap_or(i64::MAX));
        let clock: Box<dyn Fn() -> DateTime<Utc>> = Box::new(move || now);
        let time = TimeOptions::new(leeway, clock);
        match key.validate(&untrusted, &time, must_have(case.profile, "exp")) {
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
