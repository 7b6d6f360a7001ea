//! The fixed worlds the targets verify in.
//!
//! The *baseline* world (raw-byte targets and crash files that carry no world of their own) is
//! exactly what `tools crash-to-vector` assumes: `forge::baseline_jwks()` (kid `primary`),
//! `forge::timeless_profile_json()`, verification time `forge::NOW`. The *structured* world adds
//! a second pinned key (`secondary`) so that the model can sign with the wrong pinned key; its
//! findings carry their key set and profile with them.

use std::sync::OnceLock;

use p256::ecdsa::{SigningKey, VerifyingKey};
use serde_json::Value;
use verifier::{KeySet, Profile, Verifier};

/// Verification time of every target.
pub const NOW: i64 = forge::NOW;
/// The `kid`s pinned in the structured world, and the forge key names behind them.
pub const STRUCTURED_KIDS: [&str; 2] = ["primary", "secondary"];
/// A key that is never pinned.
pub const OUTSIDER: &str = "outsider";

/// The baseline profile: the default strict profile, baseline issuer and audience, no lifetime
/// bound (so corpus tokens that live until 2100 verify).
pub fn baseline_profile() -> Profile {
    Profile::from_json(forge::timeless_profile_json().to_string().as_bytes())
        .expect("forge's timeless profile is valid")
}

/// The baseline JWK Set document.
pub fn baseline_jwks() -> Value {
    forge::baseline_jwks()
}

/// The structured world's JWK Set document.
pub fn structured_jwks() -> Value {
    let keys: Vec<(&str, SigningKey)> = STRUCTURED_KIDS
        .iter()
        .map(|kid| (*kid, signing_key(kid).clone()))
        .collect();
    let refs: Vec<(&str, &SigningKey)> = keys.iter().map(|(k, s)| (*k, s)).collect();
    forge::jwks(&refs)
}

/// The verifier of the baseline world, built once.
pub fn baseline_verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| {
        let keys = KeySet::from_jwks_json(baseline_jwks().to_string().as_bytes())
            .expect("baseline key set loads");
        Verifier::new(baseline_profile(), keys).expect("baseline verifier builds")
    })
}

/// The structured world's key set, parsed once.
pub fn structured_keys() -> &'static KeySet {
    static K: OnceLock<KeySet> = OnceLock::new();
    K.get_or_init(|| {
        KeySet::from_jwks_json(structured_jwks().to_string().as_bytes())
            .expect("structured key set loads")
    })
}

/// The forge signing key named `name`, cached (key derivation is a hash loop).
pub fn signing_key(name: &str) -> &'static SigningKey {
    static KEYS: OnceLock<Vec<(&'static str, SigningKey)>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        ["primary", "secondary", OUTSIDER]
            .into_iter()
            .map(|n| (n, forge::key(n)))
            .collect()
    });
    keys.iter()
        .find(|(n, _)| *n == name)
        .map(|(_, k)| k)
        .unwrap_or_else(|| panic!("no cached key {name}"))
}

/// The public key a baseline-world `kid` names, derived from forge (not from the verifier's
/// key set), for the accept oracle.
pub fn baseline_key_for(kid: &str) -> Option<VerifyingKey> {
    (kid == forge::KID).then(|| *signing_key(forge::KID).verifying_key())
}
