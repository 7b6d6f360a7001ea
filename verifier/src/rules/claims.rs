//! Registered-claim rules (RFC 7519 §4.1, RFC 9068 §2.2, RFC 8725 §3.10, OIDC Core §3.1.3.7),
//! in catalog order.
//!
//! Which claims must be present is the profile's `required_claims` (plus `iss` and `aud` when an
//! issuer or audience is configured); a present `exp`, `nbf` or `iat` is checked whether or not
//! it is required. Times are compared in i128 so that no claim value or leeway can overflow the
//! arithmetic.

use crate::claims::{Claim, ClaimSet};
use crate::json::Member;
use crate::reason::{Reason, Rejection, reject};
use crate::{Preset, Profile};

const NUMERIC_DATES: [Claim; 3] = [Claim::Exp, Claim::Iat, Claim::Nbf];

/// Required claims that have a reason of their own; any other required name that is absent is
/// `claim_missing`.
const WITH_OWN_REASON: [&str; 7] = ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"];

/// `invalid_numeric_type`: `exp`, `iat`, `nbf`, when present, are JSON integers in i64 range.
pub fn check_numeric_types(claims: &ClaimSet<'_>) -> Result<(), Rejection> {
    let bad = |claim: &Claim| claims.get(*claim).is_some_and(|v| v.as_i64().is_none());
    if NUMERIC_DATES.iter().any(bad) {
        return Err(reject(
            Reason::InvalidNumericType,
            "time claim is not a JSON integer",
        ));
    }
    Ok(())
}

/// `exp_missing`, when the profile requires `exp`; returns `exp` when present.
pub fn require_exp(claims: &ClaimSet<'_>, profile: &Profile) -> Result<Option<i64>, Rejection> {
    require_time(claims, Claim::Exp, profile, Reason::ExpMissing, "no exp")
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

/// `iat_missing`, when the profile requires `iat`; returns `iat` when present.
pub fn require_iat(claims: &ClaimSet<'_>, profile: &Profile) -> Result<Option<i64>, Rejection> {
    require_time(claims, Claim::Iat, profile, Reason::IatMissing, "no iat")
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
pub fn check_not_before(
    claims: &ClaimSet<'_>,
    now: i64,
    profile: &Profile,
) -> Result<(), Rejection> {
    match claims.int(Claim::Nbf) {
        Some(nbf) if i128::from(now) + i128::from(profile.leeway_secs) < i128::from(nbf) => {
            Err(reject(Reason::NotYetValid, "now < nbf"))
        }
        _ => Ok(()),
    }
}

/// `iss_mismatch`: with a pinned issuer, a string byte-equal to it (no trailing-slash or case
/// folding); without one, when `iss` is required, a non-empty string.
pub fn check_iss(claims: &ClaimSet<'_>, profile: &Profile) -> Result<(), Rejection> {
    let ok = match &profile.issuer {
        Some(pinned) => claims.str(Claim::Iss) == Some(pinned.as_str()),
        None => !profile.requires("iss") || claims.non_empty_str(Claim::Iss).is_some(),
    };
    if !ok {
        return Err(reject(
            Reason::IssMismatch,
            "iss missing or not the pinned issuer",
        ));
    }
    Ok(())
}

/// `aud_missing`, when `aud` is required or an audience is configured; returns `aud` when
/// present.
pub fn require_aud<'c>(
    claims: &'c ClaimSet<'_>,
    profile: &Profile,
) -> Result<Option<&'c Member<'c>>, Rejection> {
    let aud = claims.get(Claim::Aud);
    let required = profile.requires("aud") || !profile.effective_audiences().is_empty();
    if aud.is_none() && required {
        return Err(reject(Reason::AudMissing, "no aud"));
    }
    Ok(aud)
}

/// `aud_mismatch`: when audiences are configured, one of them, as a string or in a non-empty
/// array of strings.
pub fn check_aud(aud: &Member<'_>, profile: &Profile) -> Result<(), Rejection> {
    let audiences = profile.effective_audiences();
    if audiences.is_empty() {
        return Ok(());
    }
    let ours = |a: &str| audiences.iter().any(|x| x == a);
    let ok = match aud {
        Member::Str(a) => ours(a),
        Member::Array(items) => items.all_strings && items.kept.iter().any(|a| ours(a)),
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

/// `aud_untrusted`: under `oidc-id-token`, every audience `aud` names is the client: "MUST be
/// rejected if [...] it contains additional audiences not trusted by the Client" (OIDC Core
/// §3.1.3.7 step 3). Runs after [`check_aud`], so `aud` names the client.
pub fn check_aud_trusted(aud: &Member<'_>, profile: &Profile) -> Result<(), Rejection> {
    let Some(client) = oidc_client(profile) else {
        return Ok(());
    };
    match aud {
        Member::Array(items) if !items.all_strings || items.kept.iter().any(|a| a != client) => {
            Err(reject(
                Reason::AudUntrusted,
                "aud names an audience besides the client",
            ))
        }
        _ => Ok(()),
    }
}

/// `sub_missing`: when required, a non-empty string.
pub fn check_sub(claims: &ClaimSet<'_>, profile: &Profile) -> Result<(), Rejection> {
    require_text(
        claims,
        profile,
        Claim::Sub,
        Reason::SubMissing,
        "sub missing or not a non-empty string",
    )
}

/// `client_id_missing`: when required, a non-empty string.
pub fn check_client_id(claims: &ClaimSet<'_>, profile: &Profile) -> Result<(), Rejection> {
    require_text(
        claims,
        profile,
        Claim::ClientId,
        Reason::ClientIdMissing,
        "client_id missing or not a non-empty string",
    )
}

/// `jti_missing`: when required, a non-empty string.
pub fn check_jti(claims: &ClaimSet<'_>, profile: &Profile) -> Result<(), Rejection> {
    require_text(
        claims,
        profile,
        Claim::Jti,
        Reason::JtiMissing,
        "jti missing or not a non-empty string",
    )
}

/// `claim_missing`: every required claim without a reason of its own is present (any value).
pub fn check_required_claims(claims: &ClaimSet<'_>, profile: &Profile) -> Result<(), Rejection> {
    let absent =
        |name: &String| !WITH_OWN_REASON.contains(&name.as_str()) && !claims.contains(name);
    if profile.required_claims.iter().any(absent) {
        return Err(reject(Reason::ClaimMissing, "a required claim is missing"));
    }
    Ok(())
}

/// `azp_mismatch`: under `oidc-id-token`, a present `azp` is the client: "If an azp
/// (authorized party) Claim is present, the Client SHOULD verify that its client_id is the
/// Claim Value" (OIDC Core §3.1.3.7 step 5).
pub fn check_azp(claims: &ClaimSet<'_>, profile: &Profile) -> Result<(), Rejection> {
    let Some(client) = oidc_client(profile) else {
        return Ok(());
    };
    match claims.get(Claim::Azp) {
        Some(azp) if azp.as_str() != Some(client) => {
            Err(reject(Reason::AzpMismatch, "azp is not the client"))
        }
        _ => Ok(()),
    }
}

/// `nonce_mismatch`: with a configured `nonce` (`oidc-id-token` only), the claim is present and
/// equal to it (OIDC Core §3.1.3.7 step 11).
pub fn check_nonce(claims: &ClaimSet<'_>, profile: &Profile) -> Result<(), Rejection> {
    require_expected(
        claims,
        Claim::Nonce,
        profile.nonce.as_deref(),
        Reason::NonceMismatch,
        "nonce missing or not the expected one",
    )
}

/// `token_type_mismatch`: `cat` equals the profile's expected category, when one is set.
pub fn check_cat(claims: &ClaimSet<'_>, profile: &Profile) -> Result<(), Rejection> {
    require_expected(
        claims,
        Claim::Cat,
        profile.expected_cat.as_deref(),
        Reason::TokenTypeMismatch,
        "cat missing or not the expected category",
    )
}

/// The time claim `name` when present; `reason` when it is absent and required.
fn require_time(
    claims: &ClaimSet<'_>,
    claim: Claim,
    profile: &Profile,
    reason: Reason,
    detail: &'static str,
) -> Result<Option<i64>, Rejection> {
    match claims.int(claim) {
        None if profile.requires(claim.name()) => Err(reject(reason, detail)),
        t => Ok(t),
    }
}

/// `reason` when `name` is required and not a non-empty string.
fn require_text(
    claims: &ClaimSet<'_>,
    profile: &Profile,
    claim: Claim,
    reason: Reason,
    detail: &'static str,
) -> Result<(), Rejection> {
    if profile.requires(claim.name()) && claims.non_empty_str(claim).is_none() {
        return Err(reject(reason, detail));
    }
    Ok(())
}

/// `reason` when an expected value is configured and the claim `name` is not that string.
fn require_expected(
    claims: &ClaimSet<'_>,
    claim: Claim,
    expected: Option<&str>,
    reason: Reason,
    detail: &'static str,
) -> Result<(), Rejection> {
    match expected {
        Some(want) if claims.str(claim) != Some(want) => Err(reject(reason, detail)),
        _ => Ok(()),
    }
}

/// The client an ID token is for, under `oidc-id-token`.
fn oidc_client(profile: &Profile) -> Option<&str> {
    profile
        .client_id
        .as_deref()
        .filter(|_| profile.preset == Preset::OidcIdToken)
}
