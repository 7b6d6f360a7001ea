//! Domain rules of the IAM seed (M39–M45); each runs only when the profile turns it on.

use crate::claims::{Claim, ClaimSet};
use crate::json::Member;
use crate::profile::DomainRules;
use crate::reason::{Reason, Rejection, reject};

/// `sub_format_invalid`: a canonical ULID (26 uppercase Crockford base32, first digit 0–7).
pub fn check_sub_ulid(claims: &ClaimSet<'_>, rules: &DomainRules) -> Result<(), Rejection> {
    if !rules.ulid_sub || claims.str(Claim::Sub).is_some_and(is_ulid) {
        return Ok(());
    }
    Err(reject(Reason::SubFormatInvalid, "sub is not a ULID"))
}

/// `account_type_invalid`: a present `account_type` is one of the profile's strings.
pub fn check_account_type(claims: &ClaimSet<'_>, rules: &DomainRules) -> Result<(), Rejection> {
    let (Some(allowed), Some(value)) = (&rules.account_types, claims.get(Claim::AccountType))
    else {
        return Ok(());
    };
    match value.as_str() {
        Some(t) if allowed.iter().any(|a| a == t) => Ok(()),
        _ => Err(reject(
            Reason::AccountTypeInvalid,
            "account_type not in the profile's set",
        )),
    }
}

/// `caps_shape_invalid`: a present `caps` is an array of strings.
pub fn check_caps_shape(claims: &ClaimSet<'_>, rules: &DomainRules) -> Result<(), Rejection> {
    match claims.get(Claim::Caps) {
        Some(caps) if rules.caps_shape && !caps.is_string_array() => Err(reject(
            Reason::CapsShapeInvalid,
            "caps is not an array of strings",
        )),
        _ => Ok(()),
    }
}

/// `scopes_shape_invalid`: a present `scopes` is an array of strings.
pub fn check_scopes_shape(claims: &ClaimSet<'_>, rules: &DomainRules) -> Result<(), Rejection> {
    match claims.get(Claim::Scopes) {
        Some(scopes) if rules.scopes_shape && !scopes.is_string_array() => Err(reject(
            Reason::ScopesShapeInvalid,
            "scopes is not an array of strings",
        )),
        _ => Ok(()),
    }
}

/// `scopes_too_long`: at most `max_scopes` entries.
pub fn check_scopes_len(claims: &ClaimSet<'_>, rules: &DomainRules) -> Result<(), Rejection> {
    match claims.get(Claim::Scopes) {
        Some(Member::Array(items)) if rules.scopes_shape && items.len > rules.max_scopes => Err(
            reject(Reason::ScopesTooLong, "more scopes than the profile allows"),
        ),
        _ => Ok(()),
    }
}

/// `dlg_depth_invalid`: a present `dlg_depth` is an integer in `[0, max_dlg_depth]`.
pub fn check_dlg_depth(claims: &ClaimSet<'_>, rules: &DomainRules) -> Result<(), Rejection> {
    let Some(depth) = claims.get(Claim::DlgDepth).filter(|_| rules.dlg_depth) else {
        return Ok(());
    };
    match depth.as_i64() {
        Some(d) if (0..=rules.max_dlg_depth).contains(&d) => Ok(()),
        _ => Err(reject(
            Reason::DlgDepthInvalid,
            "dlg_depth not an integer in range",
        )),
    }
}

/// `admin_band_rejected`: `admin` other than absent or `false` needs an all-digit
/// `active_ppnum` whose first three digits fall in the band (a non-boolean `admin` is treated
/// as a claim of admin, failing closed).
pub fn check_admin_band(claims: &ClaimSet<'_>, rules: &DomainRules) -> Result<(), Rejection> {
    let Some(band) = rules.admin_band else {
        return Ok(());
    };
    if matches!(claims.get(Claim::Admin), None | Some(Member::Bool(false))) {
        return Ok(());
    }
    let prefix = claims
        .str(Claim::ActivePpnum)
        .filter(|p| p.len() >= 3 && p.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|p| p[..3].parse::<u16>().ok());
    match prefix {
        Some(n) if (band.min..=band.max).contains(&n) => Ok(()),
        _ => Err(reject(
            Reason::AdminBandRejected,
            "admin without a banded active_ppnum",
        )),
    }
}

/// `unknown_claim`: every member is on the profile's allowlist, when one is set.
pub fn check_claim_allowlist(claims: &ClaimSet<'_>, rules: &DomainRules) -> Result<(), Rejection> {
    let Some(allowed) = &rules.claim_allowlist else {
        return Ok(());
    };
    if claims.every_name(|k| allowed.iter().any(|a| a == k)) {
        return Ok(());
    }
    Err(reject(Reason::UnknownClaim, "claim outside the allowlist"))
}

fn is_ulid(s: &str) -> bool {
    const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    s.len() == 26 && s.as_bytes()[0] <= b'7' && s.bytes().all(|b| CROCKFORD.contains(&b))
}
