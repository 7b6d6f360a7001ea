//! Key rules: the `kid` selects a pinned key (nothing else in the token can), and the key must
//! fit the token's `alg` and be strong enough for it.

use super::header::Header;
use super::signature::PublicKey;
use crate::alg::{Algorithm, KeyFamily};
use crate::keys::KeySource;
use crate::profile::Preset;
use crate::reason::{Reason, Rejection, reject};

/// Shortest RSA modulus that verifies anything, in bits (RFC 7518 §3.3, §3.5).
pub const MIN_RSA_BITS: usize = 2048;

/// `kid_unknown` / `kid_ambiguous` / `key_source_unavailable`: the key named by `kid`. A token
/// without `kid` is refused under `rfc9068` (this profile's rule: its issuers name their keys).
/// Under `jwt` and `oidc-id-token` it takes the set's one key usable for `alg` (RFC 7515 §4.1.4
/// makes `kid` optional; OIDC Core §10.1 requires it only when the set holds several), and is
/// `kid_ambiguous` when there are several.
pub fn resolve_key(
    header: &Header<'_>,
    alg: Algorithm,
    preset: Preset,
    keys: &dyn KeySource,
    now: i64,
) -> Result<PublicKey, Rejection> {
    let unavailable = |_| reject(Reason::KeySourceUnavailable, "key set unavailable");
    if let Some(kid) = header.kid() {
        return match keys.key(kid, now).map_err(unavailable)? {
            Some(key) => Ok(key),
            None => Err(reject(Reason::KidUnknown, "kid not in the key set")),
        };
    }
    if header.has_kid() || preset == Preset::Rfc9068 {
        return Err(reject(Reason::KidUnknown, "kid missing or not a string"));
    }
    let mut usable = keys.keys_for(alg, now).map_err(unavailable)?;
    match (usable.pop(), usable.is_empty()) {
        (Some(key), true) => Ok(key),
        (Some(_), false) => Err(reject(
            Reason::KidAmbiguous,
            "no kid, and several keys are usable for the alg",
        )),
        (None, _) => Err(reject(
            Reason::KidUnknown,
            "no kid, and no key is usable for the alg",
        )),
    }
}

/// `key_alg_mismatch`: the key is of `alg`'s family (an `oct` secret never verifies an
/// asymmetric algorithm, an RSA, EC or OKP key is never an HMAC secret, each curve has its own
/// ES algorithm: RFC 8725 §3.1), and its JWK `alg` member, if any, is `alg` (RFC 7517 §4.4).
pub fn check_key_fits_alg(key: &PublicKey, alg: Algorithm) -> Result<(), Rejection> {
    if key.family() != alg.family() {
        return Err(reject(
            Reason::KeyAlgMismatch,
            "key is not of the alg's family",
        ));
    }
    if key.alg().is_some_and(|a| a != alg) {
        return Err(reject(
            Reason::KeyAlgMismatch,
            "key's alg member is another algorithm",
        ));
    }
    Ok(())
}

/// `key_too_weak`: an RSA modulus of at least 2048 bits (RFC 7518 §3.3), an HMAC secret at
/// least as long as the hash output (RFC 7518 §3.2: 32, 48, 64 bytes for HS256, HS384, HS512).
pub fn check_key_strength(key: &PublicKey, alg: Algorithm) -> Result<(), Rejection> {
    match key.family() {
        KeyFamily::Rsa if key.bits() < MIN_RSA_BITS => Err(reject(
            Reason::KeyTooWeak,
            "RSA modulus shorter than 2048 bits",
        )),
        KeyFamily::Oct if key.bits() < usize::from(alg.hash_bits()) => Err(reject(
            Reason::KeyTooWeak,
            "HMAC secret shorter than the hash output",
        )),
        _ => Ok(()),
    }
}
