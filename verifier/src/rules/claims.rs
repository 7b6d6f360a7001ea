//! Registered-claim rules (RFC 7519 §4.1, RFC 9068 §2.2, RFC 8725 §3.10), in catalog order.
//!
//! Times are compared in i128 so that no claim value or leeway can overflow the arithmetic.

use serde_json::Value;

use super::{Object, non_empty_str};
use crate::Profile;
use crate::json::is_integer;
use crate::reason::{Reason, Rejection, reject};

const NUMERIC_DATES: [&str; 3] = ["exp", "iat", "nbf"];

/// `invalid_numeric_type`: `exp`, `iat`, `nbf`, when present, are JSON integers in i64 range.
pub fn check_numeric_types(claims: &Object) -> Result<(), Rejection> {
    let bad = |name: &&str| claims.get(*name).is_some_and(|v| !is_integer(v));
    if NUMERIC_DATES.iter().any(bad) {
        return Err(reject(
            Reason::InvalidNumericType,
            "time claim is not a JSON integer",
        ));
    }
    Ok(())
}

/// `exp_missing`; returns `exp`.
pub fn require_exp(claims: &Object) -> Result<i64, Rejection> {
    time(claims, "exp").ok_or(reject(Reason::ExpMissing, "no exp"))
}

/// `expired`: rejects when `now >= exp + leeway`.
pub fn check_not_expired(exp: i64, now: i64, profile: &Profile) -> Result<(), Rejection> {
    if i128::from(now) >= i128::from(exp) + i128::from(profile.leeway_secs) {
        return Err(reject(Reason::Expired, "now >= exp"));
    }
    Ok(())
}

/// `exp_upper_bound`: `exp` no further than `max_lifetime_secs` from now.
pub fn check_exp_upper_bound(exp: i64, now: i64, profile: &Profile) -> Result<(), Rejection> {
    match profile.max_lifetime_secs {
        Some(max) if i128::from(exp) > i128::from(now) + i128::from(max) => Err(reject(
            Reason::ExpUpperBound,
            "exp beyond the maximum lifetime",
        )),
        _ => Ok(()),
    }
}

/// `iat_missing`; returns `iat`.
pub fn require_iat(claims: &Object) -> Result<i64, Rejection> {
    time(claims, "iat").ok_or(reject(Reason::IatMissing, "no iat"))
}

/// `iat_future`: `iat <= now + iat_skew_secs`.
pub fn check_iat_not_future(iat: i64, now: i64, profile: &Profile) -> Result<(), Rejection> {
    if i128::from(iat) > i128::from(now) + i128::from(profile.iat_skew_secs) {
        return Err(reject(
            Reason::IatFuture,
            "iat in the future beyond the skew",
        ));
    }
    Ok(())
}

/// `not_yet_valid`: a present `nbf` satisfies `now + leeway >= nbf`.
pub fn check_not_before(claims: &Object, now: i64, profile: &Profile) -> Result<(), Rejection> {
    match time(claims, "nbf") {
        Some(nbf) if i128::from(now) + i128::from(profile.leeway_secs) < i128::from(nbf) => {
            Err(reject(Reason::NotYetValid, "now < nbf"))
        }
        _ => Ok(()),
    }
}

/// `iss_mismatch`: a string byte-equal to the pinned issuer (no trailing-slash or case folding).
pub fn check_iss(claims: &Object, profile: &Profile) -> Result<(), Rejection> {
    match (claims.get("iss"), &profile.issuer) {
        (Some(Value::String(iss)), Some(pinned)) if iss == pinned => Ok(()),
        _ => Err(reject(
            Reason::IssMismatch,
            "iss missing or not the pinned issuer",
        )),
    }
}

/// `aud_missing`.
pub fn require_aud(claims: &Object) -> Result<&Value, Rejection> {
    claims
        .get("aud")
        .ok_or(reject(Reason::AudMissing, "no aud"))
}

/// `aud_mismatch`: a configured audience, as a string or in a non-empty array of strings.
pub fn check_aud(aud: &Value, profile: &Profile) -> Result<(), Rejection> {
    let ours = |a: &str| profile.audiences.iter().any(|x| x == a);
    let ok = match aud {
        Value::String(a) => ours(a),
        Value::Array(items) => {
            let strings: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
            strings.is_some_and(|s| s.into_iter().any(ours))
        }
        _ => false,
    };
    if !ok {
        return Err(reject(
            Reason::AudMismatch,
            "aud names none of our audiences",
        ));
    }
    Ok(())
}

/// `sub_missing`: a non-empty string.
pub fn check_sub(claims: &Object) -> Result<(), Rejection> {
    require_text(
        claims,
        "sub",
        Reason::SubMissing,
        "sub missing or not a non-empty string",
    )
}

/// `client_id_missing`: a non-empty string.
pub fn check_client_id(claims: &Object) -> Result<(), Rejection> {
    require_text(
        claims,
        "client_id",
        Reason::ClientIdMissing,
        "client_id missing or not a non-empty string",
    )
}

/// `jti_missing`: a non-empty string.
pub fn check_jti(claims: &Object) -> Result<(), Rejection> {
    require_text(
        claims,
        "jti",
        Reason::JtiMissing,
        "jti missing or not a non-empty string",
    )
}

/// `token_type_mismatch`: `cat` equals the profile's expected category, when one is set.
pub fn check_cat(claims: &Object, profile: &Profile) -> Result<(), Rejection> {
    match &profile.expected_cat {
        Some(want) if claims.get("cat").and_then(Value::as_str) != Some(want.as_str()) => {
            Err(reject(
                Reason::TokenTypeMismatch,
                "cat missing or not the expected category",
            ))
        }
        _ => Ok(()),
    }
}

fn time(claims: &Object, name: &str) -> Option<i64> {
    claims.get(name).and_then(Value::as_i64)
}

fn require_text(
    claims: &Object,
    name: &str,
    reason: Reason,
    detail: &'static str,
) -> Result<(), Rejection> {
    match non_empty_str(claims, name) {
        Some(_) => Ok(()),
        None => Err(reject(reason, detail)),
    }
}
