//! Stateful rules; each store failure is a rejection of its own (fail closed).

use crate::claims::{Claim, ClaimSet};
use crate::reason::{Reason, Rejection, reject};
use crate::state::{ReplayDefense, ReplayOutcome, SessionStore, SessionVersions};

/// `jti_replayed` / `replay_cache_unavailable`: one atomic check-and-record, kept until `exp`.
pub fn check_replay(
    claims: &ClaimSet<'_>,
    exp: i64,
    now: i64,
    store: &dyn ReplayDefense,
) -> Result<(), Rejection> {
    let jti = claims.non_empty_str(Claim::Jti).unwrap_or_default();
    match store.check_and_record(jti, exp, now) {
        Ok(ReplayOutcome::Fresh) => Ok(()),
        Ok(ReplayOutcome::Replayed) => Err(reject(Reason::JtiReplayed, "jti already used")),
        Err(_) => Err(reject(
            Reason::ReplayCacheUnavailable,
            "replay store unavailable",
        )),
    }
}

/// `session_revoked` / `session_lookup_unavailable`: (`sub`, `sid`) is live; no `sid`, no session.
pub fn check_session(claims: &ClaimSet<'_>, store: &dyn SessionStore) -> Result<(), Rejection> {
    let (Some(sub), Some(sid)) = (
        claims.non_empty_str(Claim::Sub),
        claims.non_empty_str(Claim::Sid),
    ) else {
        return Err(reject(Reason::SessionRevoked, "no sid: no live session"));
    };
    match store.is_live(sub, sid) {
        Ok(true) => Ok(()),
        Ok(false) => Err(reject(Reason::SessionRevoked, "session revoked")),
        Err(_) => Err(reject(
            Reason::SessionLookupUnavailable,
            "session store unavailable",
        )),
    }
}

/// `session_version_stale` / `session_version_lookup_unavailable`: `sv` (a non-negative
/// integer; absent or ill-typed counts as stale) is at least the account's current version.
pub fn check_session_version(
    claims: &ClaimSet<'_>,
    store: &dyn SessionVersions,
) -> Result<(), Rejection> {
    let sub = claims.non_empty_str(Claim::Sub).unwrap_or_default();
    let Some(sv) = claims.get(Claim::Sv).and_then(|v| v.as_u64()) else {
        return Err(reject(
            Reason::SessionVersionStale,
            "sv missing or not a non-negative integer",
        ));
    };
    match store.current(sub) {
        Ok(current) if sv >= current => Ok(()),
        Ok(_) => Err(reject(
            Reason::SessionVersionStale,
            "sv below the current session version",
        )),
        Err(_) => Err(reject(
            Reason::SessionVersionLookupUnavailable,
            "session-version store unavailable",
        )),
    }
}
