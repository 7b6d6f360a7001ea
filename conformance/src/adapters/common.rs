//! Glue shared by the in-process adapters. None of it decides a verdict: it extracts keys for a
//! library's own key parser, picks a key by `kid` for libraries without key-set lookup, turns a
//! library's claims into JSON, and labels library errors with catalog reason IDs.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde_json::Value;
use verifier::{Algorithm, KeyFamily, Profile, Reason};

/// The members of the JWK Set's `keys` array, untouched (minimal conversion: the library's own
/// JWK parser judges each key). Fails only when there is no `keys` array at all.
pub fn jwk_members(jwks: &Value) -> Result<&[Value], String> {
    match jwks.get("keys") {
        Some(Value::Array(keys)) => Ok(keys),
        _ => Err("the key set has no \"keys\" array".to_owned()),
    }
}

/// The `kid` member of a JWK, if it is a string.
pub fn jwk_kid(jwk: &Value) -> Option<&str> {
    jwk.get("kid").and_then(Value::as_str)
}

/// For libraries with no key-set lookup: the index of the key whose `kid` equals the token's
/// (as read by the library's own header parser), else the first key. The fallback leaves the
/// decision to the library: one that binds `kid` (jwt-simple's `required_key_id`) refuses the
/// mismatch itself, one that does not verifies with the pinned key, as an application handing
/// it its only key would.
pub fn pick_key<K>(keys: &[(Option<String>, K)], token_kid: Option<&str>) -> Option<usize> {
    if keys.is_empty() {
        return None;
    }
    let found = token_kid.and_then(|kid| keys.iter().position(|(k, _)| k.as_deref() == Some(kid)));
    Some(found.unwrap_or(0))
}

/// The key family a JWK's `kty` (and `crv`) names, read for choosing which of the profile's
/// algorithms to configure a per-algorithm key type with (never to judge the key: the library's
/// importer does). `None` for anything else.
pub fn jwk_family(jwk: &Value) -> Option<KeyFamily> {
    let crv = jwk.get("crv").and_then(Value::as_str);
    Some(match (jwk.get("kty").and_then(Value::as_str)?, crv) {
        ("EC", Some("P-256")) => KeyFamily::P256,
        ("EC", Some("P-384")) => KeyFamily::P384,
        ("EC", Some("P-521")) => KeyFamily::P521,
        ("RSA", _) => KeyFamily::Rsa,
        ("OKP", Some("Ed25519")) => KeyFamily::Ed25519,
        ("oct", _) => KeyFamily::Oct,
        _ => return None,
    })
}

/// For libraries whose key type fixes the algorithm: which of the profile's algorithms to build
/// the selected key as. Among the profile's algorithms of the key's family (in the library's
/// reach, `supported`), the token's `alg` when it is one of them (as an application choosing its
/// verifier by the header among its pinned ones would), else the first of them; `None` when the
/// profile allows no algorithm of that family. The library still compares the token's `alg`
/// with the key's algorithm itself: nothing outside the profile is ever configured.
pub fn choose_alg(
    profile: &Profile,
    family: Option<KeyFamily>,
    token_alg: Option<&str>,
    supported: &[Algorithm],
) -> Option<Algorithm> {
    let fitting: Vec<Algorithm> = profile
        .algorithms
        .iter()
        .copied()
        .filter(|a| Some(a.family()) == family && supported.contains(a))
        .collect();
    fitting
        .iter()
        .copied()
        .find(|a| Some(a.name()) == token_alg)
        .or_else(|| fitting.first().copied())
}

/// True when the profile makes `claim` required: its `required_claims`, and `iss` when an
/// issuer is pinned, `aud` when an audience is (docs/profile.md: a configured issuer or audience
/// requires its claim in every preset). For libraries that can require a claim.
pub fn must_have(profile: &Profile, claim: &str) -> bool {
    profile.requires(claim)
        || (claim == "iss" && profile.issuer.is_some())
        || (claim == "aud" && !profile.effective_audiences().is_empty())
}

/// A library's typed claims as JSON.
pub fn claims_json<T: Serialize>(claims: &T) -> Value {
    serde_json::to_value(claims).unwrap_or(Value::Null)
}

/// The catalog reason for an `alg` outside the profile (labeling a library's "algorithm not
/// allowed" error; the library made the decision).
pub fn alg_reason(alg: &str) -> Reason {
    if alg.eq_ignore_ascii_case("none") {
        return Reason::AlgNone;
    }
    match alg {
        "HS256" | "HS384" | "HS512" => Reason::AlgHmacRejected,
        "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" => Reason::AlgRsaRejected,
        "ES384" | "ES512" | "ES256K" => Reason::AlgEcdsaRejected,
        _ => Reason::AlgNotAllowed,
    }
}

/// The header's `alg`, read leniently, for labeling only. `Some("")` when the header has no
/// string `alg`.
pub fn peek_alg(token: &[u8]) -> Option<String> {
    let header = token.split(|&b| b == b'.').next()?;
    let bytes = URL_SAFE_NO_PAD.decode(header).ok()?;
    let value: Value = serde_json::from_slice(&bytes).ok()?;
    Some(
        value
            .get("alg")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
    )
}

/// The label for an "algorithm not allowed" error: the alg family of the token's header.
pub fn alg_label(token: &[u8]) -> Option<Reason> {
    peek_alg(token).map(|alg| {
        if alg.is_empty() {
            Reason::AlgNone
        } else {
            alg_reason(&alg)
        }
    })
}

/// The catalog reason for a missing registered claim.
pub fn missing_claim_reason(claim: &str) -> Option<Reason> {
    Some(match claim {
        "exp" => Reason::ExpMissing,
        "iat" => Reason::IatMissing,
        "iss" => Reason::IssMismatch,
        "aud" => Reason::AudMissing,
        "sub" => Reason::SubMissing,
        "client_id" => Reason::ClientIdMissing,
        "jti" => Reason::JtiMissing,
        _ => return None,
    })
}

/// Unix seconds as a `SystemTime` (before the epoch too).
pub fn system_time(unix: i64) -> std::time::SystemTime {
    let d = std::time::Duration::from_secs(unix.unsigned_abs());
    if unix >= 0 {
        std::time::UNIX_EPOCH + d
    } else {
        std::time::UNIX_EPOCH - d
    }
}

/// The payload's member names, read leniently, for labeling only.
pub fn peek_claim_names(token: &[u8]) -> Option<Vec<String>> {
    let payload = token.split(|&b| b == b'.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    match serde_json::from_slice::<Value>(&bytes).ok()? {
        Value::Object(map) => Some(map.keys().cloned().collect()),
        _ => None,
    }
}
