//! `jwt-simple` (Rust), pure-Rust feature.
//!
//! Algorithms: the 12 it has of the 13 (ES256, ES384, RS256/384/512, PS256/384/512, EdDSA,
//! HS256/384/512); ES512 is left out (the crate has no P-521). Presets: `rfc9068`, `jwt` and
//! `oidc-id-token` (the client ID as the audience, the nonce as `required_nonce`).
//!
//! The library's key type is the algorithm (`RS256PublicKey`, `ES384PublicKey`, `HS512Key`, …):
//! there is no algorithm list to pin. The adapter builds the selected key as one of the
//! profile's algorithms of the key's family: the token's `alg` when it is one of them (as an
//! application choosing among its pinned verifiers by the header would), else the first of them
//! (the library then refuses the token's `alg` itself); a key of no allowed family is built as
//! the profile's first algorithm, and the library's importer refuses it. So the header's `alg`
//! chooses only among the profile's algorithms, and the library compares it with the key's.
//! `Ed25519PublicKey` takes both `EdDSA` and `Ed25519` (RFC 9864) as the token's `alg`
//! (`ED25519_ALGS`), with no setting to narrow it and no other Ed25519 key type.
//!
//! Configuration, as strict as its `VerificationOptions` allow: `allowed_issuers` = the issuer,
//! `allowed_audiences` = the audiences (under `oidc-id-token` the client ID; none configured:
//! no audience check), both of which require their claim, `required_nonce` = the profile's
//! nonce, `time_tolerance` from the profile's leeway (it also bounds `iat` in the future),
//! `required_signature_type` = the profile's `typ` (`typ: null`: none, and the library then
//! still refuses a `typ` that is not `JWT` or `*+JWT`), `max_token_length` from the profile,
//! `required_key_id` = the selected key's `kid` (under `jwt` and `oidc-id-token`, which require
//! no `kid`, only when the token names one), and `artificial_time` = the vector's `now` (clock
//! injection). Keys: each public key imported with the library's strict
//! `*PublicKey::from_jwk` (which checks `alg`, `use` and `key_ops` against the key type);
//! an `oct` key's `k` is base64url-decoded into `HS*Key::from_bytes` (the library has no `oct`
//! JWK importer). The library has no key-set type, so `jwks_parsing` is not claimed, and the key
//! is picked by `kid` (falling back to the first, leaving the `kid` decision to
//! `required_key_id`); a kid-less token takes the first key (under `rfc9068` the library then
//! refuses it for its missing `kid`). Its API takes
//! `&str`: non-UTF-8 tokens are skipped. It cannot require `exp`, `iat`, `sub` (only a given
//! value), `client_id`, `jti` or other claims, and has no `azp` check.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwt_simple::JWTError;
use jwt_simple::prelude::{
    Duration, ECDSAP256PublicKeyLike, ECDSAP384PublicKeyLike, ES256PublicKey, ES384PublicKey,
    Ed25519PublicKey, EdDSAPublicKeyLike, HS256Key, HS384Key, HS512Key, HashSet, JWTClaims,
    MACLike, PS256PublicKey, PS384PublicKey, PS512PublicKey, RS256PublicKey, RS384PublicKey,
    RS512PublicKey, RSAPublicKeyLike, Token, UnixTimeStamp, VerificationOptions,
};
use serde_json::{Map, Value};

use verifier::{Algorithm, Preset, Reason};

use super::common::{
    alg_label, choose_alg, claims_json, jwk_family, jwk_kid, jwk_members, pick_key,
};
use crate::adapter::{Adapter, AdapterInfo, Capabilities, Case, Outcome};
use crate::vector::Feature;

/// The algorithms the crate has (all but ES512).
const ALGORITHMS: [Algorithm; 12] = [
    Algorithm::ES256,
    Algorithm::ES384,
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

/// The `jwt-simple` crate.
#[derive(Debug, Default)]
pub struct JwtSimple;

/// One key, as the key type of one algorithm.
enum Key {
    Es256(ES256PublicKey),
    Es384(ES384PublicKey),
    Rs256(RS256PublicKey),
    Rs384(RS384PublicKey),
    Rs512(RS512PublicKey),
    Ps256(PS256PublicKey),
    Ps384(PS384PublicKey),
    Ps512(PS512PublicKey),
    EdDsa(Ed25519PublicKey),
    Hs256(HS256Key),
    Hs384(HS384Key),
    Hs512(HS512Key),
}

type Claims = JWTClaims<Map<String, Value>>;

impl Key {
    /// The JWK as the key type of `alg`, with the library's importer (`oct`: its `k` decoded).
    fn import(alg: Algorithm, jwk: &Value) -> Result<Key, String> {
        let text = jwk.to_string();
        let e = |e: jwt_simple::Error| format!("{}PublicKey::from_jwk: {e}", alg.name());
        Ok(match alg {
            Algorithm::ES256 => Key::Es256(ES256PublicKey::from_jwk(&text).map_err(e)?),
            Algorithm::ES384 => Key::Es384(ES384PublicKey::from_jwk(&text).map_err(e)?),
            Algorithm::RS256 => Key::Rs256(RS256PublicKey::from_jwk(&text).map_err(e)?),
            Algorithm::RS384 => Key::Rs384(RS384PublicKey::from_jwk(&text).map_err(e)?),
            Algorithm::RS512 => Key::Rs512(RS512PublicKey::from_jwk(&text).map_err(e)?),
            Algorithm::PS256 => Key::Ps256(PS256PublicKey::from_jwk(&text).map_err(e)?),
            Algorithm::PS384 => Key::Ps384(PS384PublicKey::from_jwk(&text).map_err(e)?),
            Algorithm::PS512 => Key::Ps512(PS512PublicKey::from_jwk(&text).map_err(e)?),
            Algorithm::EdDSA => Key::EdDsa(Ed25519PublicKey::from_jwk(&text).map_err(e)?),
            Algorithm::HS256 => Key::Hs256(HS256Key::from_bytes(&secret(jwk)?)),
            Algorithm::HS384 => Key::Hs384(HS384Key::from_bytes(&secret(jwk)?)),
            Algorithm::HS512 => Key::Hs512(HS512Key::from_bytes(&secret(jwk)?)),
            Algorithm::ES512 => return Err("jwt-simple has no ES512".to_owned()),
        })
    }

    fn verify(
        &self,
        token: &str,
        options: VerificationOptions,
    ) -> Result<Claims, jwt_simple::Error> {
        let o = Some(options);
        match self {
            Key::Es256(k) => k.verify_token(token, o),
            Key::Es384(k) => k.verify_token(token, o),
            Key::Rs256(k) => k.verify_token(token, o),
            Key::Rs384(k) => k.verify_token(token, o),
            Key::Rs512(k) => k.verify_token(token, o),
            Key::Ps256(k) => k.verify_token(token, o),
            Key::Ps384(k) => k.verify_token(token, o),
            Key::Ps512(k) => k.verify_token(token, o),
            Key::EdDsa(k) => k.verify_token(token, o),
            Key::Hs256(k) => k.verify_token(token, o),
            Key::Hs384(k) => k.verify_token(token, o),
            Key::Hs512(k) => k.verify_token(token, o),
        }
    }
}

/// An `oct` JWK's secret: its `k`, base64url without padding (the minimal conversion).
fn secret(jwk: &Value) -> Result<Vec<u8>, String> {
    let k = jwk
        .get("k")
        .and_then(Value::as_str)
        .ok_or("the JWK has no string \"k\" (not an oct key)")?;
    URL_SAFE_NO_PAD
        .decode(k)
        .map_err(|e| format!("the JWK's \"k\" is not base64url: {e}"))
}

impl Adapter for JwtSimple {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "jwt-simple".to_owned(),
            library: "jwt-simple (Rust, pure-rust)".to_owned(),
            version: env!("LIBVER_JWT_SIMPLE").to_owned(),
            capabilities: Capabilities {
                algorithms: ALGORITHMS.into(),
                presets: Preset::ALL.into(),
                ..Capabilities::new([Feature::Clock, Feature::Typ])
            },
            notes: vec![
                "algorithms: all but ES512 (no P-521 in the crate); presets rfc9068, jwt, oidc-id-token (client_id as the audience, required_nonce)".to_owned(),
                "the key type is the algorithm: the selected key is built as the profile's algorithm of its family that the token names, else the first of them; the library compares the token's alg with it".to_owned(),
                "VerificationOptions: allowed_issuers, allowed_audiences (when configured), required_nonce, time_tolerance = leeway, required_signature_type = typ, max_token_length, required_key_id (jwt, oidc-id-token: only when the token has a kid), artificial_time = now".to_owned(),
                "keys: *PublicKey::from_jwk per key type (oct: k decoded into HS*Key::from_bytes); no JWK Set parser (jwks_parsing skipped); kid lookup, else the first key".to_owned(),
                "API takes &str: non-UTF-8 tokens skipped; cannot require exp, iat, sub, client_id, jti; no azp check".to_owned(),
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
                why: "jwt-simple takes &str; the token is not UTF-8".to_owned(),
            };
        };
        let metadata = Token::decode_metadata(token).ok();
        let token_kid = metadata.as_ref().and_then(|m| m.key_id());
        let token_alg = metadata.as_ref().map(|m| m.algorithm());
        let keys: Vec<(Option<String>, &Value)> = members
            .iter()
            .map(|jwk| (jwk_kid(jwk).map(str::to_owned), jwk))
            .collect();
        let Some(index) = pick_key(&keys, token_kid) else {
            return Outcome::AdapterError {
                error: "empty key set".to_owned(),
            };
        };
        let (kid, jwk) = &keys[index];
        let Some(alg) = choose_alg(case.profile, jwk_family(jwk), token_alg, &ALGORITHMS)
            .or_else(|| case.profile.algorithms.first().copied())
        else {
            return Outcome::AdapterError {
                error: "the profile allows no algorithm".to_owned(),
            };
        };
        let key = match Key::import(alg, jwk) {
            Ok(key) => key,
            Err(e) => return Outcome::config_error(e),
        };
        // `rfc9068` binds every token to a key by `kid`; `jwt` and `oidc-id-token` do not
        // require one, so there the library binds the `kid` only when the token names one.
        let required_key_id = if case.profile.preset == Preset::Rfc9068 || token_kid.is_some() {
            kid.clone()
        } else {
            None
        };
        let audiences = case.profile.effective_audiences();
        let options = VerificationOptions {
            allowed_issuers: case
                .profile
                .issuer
                .as_ref()
                .map(|i| HashSet::from([i.clone()])),
            allowed_audiences: (!audiences.is_empty()).then(|| audiences.iter().cloned().collect()),
            required_nonce: case.profile.nonce.clone(),
            time_tolerance: Some(Duration::from_secs(case.profile.leeway_secs)),
            required_signature_type: case.profile.typ.clone(),
            required_key_id,
            max_token_length: Some(case.profile.max_token_bytes),
            artificial_time: Some(UnixTimeStamp::from_secs(case.now.max(0) as u64)),
            accept_future: false,
            ..VerificationOptions::default()
        };
        match key.verify(token, options) {
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
        JWTError::InvalidSignature | JWTError::InvalidAuthenticationTag => Reason::SignatureInvalid,
        JWTError::WeakKey => Reason::KeyTooWeak,
        JWTError::ClockDrift => Reason::IatFuture,
        JWTError::TokenNotValidYet => Reason::NotYetValid,
        JWTError::TokenHasExpired => Reason::Expired,
        JWTError::RequiredIssuerMismatch | JWTError::RequiredIssuerMissing => Reason::IssMismatch,
        JWTError::RequiredAudienceMissing => Reason::AudMissing,
        JWTError::RequiredAudienceMismatch => Reason::AudMismatch,
        JWTError::RequiredNonceMissing | JWTError::RequiredNonceMismatch => Reason::NonceMismatch,
        JWTError::NotJWT | JWTError::RequiredSignatureTypeMismatch => Reason::TypMismatch,
        JWTError::UnknownCriticalExtension => Reason::HeaderCrit,
        _ => return None,
    })
}
