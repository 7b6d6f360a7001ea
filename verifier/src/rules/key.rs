//! Key rule: the `kid` selects a pinned key; nothing else in the token can.

use super::header::Header;
use super::signature::PublicKey;
use crate::keys::KeySource;
use crate::reason::{Reason, Rejection, reject};

/// `kid_unknown` / `key_source_unavailable`.
pub fn resolve_key(
    header: &Header<'_>,
    keys: &dyn KeySource,
    now: i64,
) -> Result<PublicKey, Rejection> {
    let Some(kid) = header.kid() else {
        return Err(reject(Reason::KidUnknown, "kid missing or not a string"));
    };
    match keys.key(kid, now) {
        Ok(Some(key)) => Ok(key),
        Ok(None) => Err(reject(Reason::KidUnknown, "kid not in the key set")),
        Err(_) => Err(reject(Reason::KeySourceUnavailable, "key set unavailable")),
    }
}
