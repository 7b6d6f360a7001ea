//! The fixed worlds the targets verify in.
//!
//! The *baseline* world (raw-byte targets and crash files that carry no world of their own) is
//! exactly what `tools crash-to-vector` assumes: `forge::baseline_jwks()` (kid `primary`),
//! `forge::timeless_profile_json()`, verification time `forge::NOW`. The *structured* world adds
//! a second pinned key (`secondary`) so that the model can sign with the wrong pinned key; its
//! findings carry their key set and profile with them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use p256::ecdsa::{SigningKey, VerifyingKey};
use serde_json::Value;
use sha2::{Digest, Sha256};
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
    // Parsed once: the structured target derives a profile from it for every input.
    static P: OnceLock<Profile> = OnceLock::new();
    P.get_or_init(|| {
        Profile::from_json(forge::timeless_profile_json().to_string().as_bytes())
            .expect("forge's timeless profile is valid")
    })
    .clone()
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

/// `forge::es256` with the forge key `name` over `input`, remembered for the last few thousand
/// (key, signing input) pairs. A mutation that leaves the signing input alone (one of the
/// signature segment in `differential`, of the signature choice, knobs or signature quirks in
/// `structured`) needs the signature its parent had; RFC 6979 is deterministic, so the
/// remembered bytes are exactly those signing would give, at none of its cost. Keyed by the
/// SHA-256 of key name and input: hashing and copying whole inputs into the map (under ASan
/// and comparison tracing) cost more than the signatures it saved.
pub fn es256(name: &str, input: &[u8]) -> [u8; 64] {
    const CAPACITY: usize = 4096;
    thread_local! {
        static SIGNED: RefCell<HashMap<[u8; 32], [u8; 64]>> = RefCell::new(HashMap::new());
    }
    let digest: [u8; 32] = Sha256::new()
        .chain_update(name.as_bytes())
        .chain_update([0])
        .chain_update(input)
        .finalize()
        .into();
    SIGNED.with_borrow_mut(|signed| {
        if let Some(sig) = signed.get(&digest) {
            return *sig;
        }
        if signed.len() >= CAPACITY {
            signed.clear();
        }
        let sig = forge::es256(signing_key(name), input);
        signed.insert(digest, sig);
        sig
    })
}

/// The `kid`s of the every-algorithm world, one key of each family, and the forge key behind
/// each: the keys the corpus's `algorithms` vectors sign with, so their tokens seed it.
pub const EVERY_FAMILY: [(&str, forge::alg::Alg); 6] = [
    ("p256", forge::alg::Alg::ES256),
    ("p384", forge::alg::Alg::ES384),
    ("p521", forge::alg::Alg::ES512),
    ("rsa-2048", forge::alg::Alg::RS256),
    ("ed25519", forge::alg::Alg::EdDSA),
    ("hmac", forge::alg::Alg::HS512),
];

/// The verifier of the every-algorithm world: the `jwt` preset with all 13 algorithms allowed
/// and a set holding a key of every family (no `alg` members, so each key serves every
/// algorithm of its family), built once. Raw bytes reach every signature path through it.
pub fn every_algorithm_verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| {
        let all: Vec<&str> = verifier::Algorithm::ALL.iter().map(|a| a.name()).collect();
        let profile = Profile::from_json(
            serde_json::json!({"preset": "jwt", "algorithms": all})
                .to_string()
                .as_bytes(),
        )
        .expect("the every-algorithm profile is valid");
        let keys: Vec<Value> = EVERY_FAMILY
            .iter()
            .map(|(kid, alg)| {
                let mut jwk = forge::alg::AnyKey::for_alg(*alg, "primary").public_jwk(kid, *alg);
                jwk.as_object_mut().map(|m| m.remove("alg"));
                jwk
            })
            .collect();
        let doc = serde_json::json!({ "keys": keys }).to_string();
        let keys = KeySet::for_algorithms(doc.as_bytes(), &profile.algorithms)
            .expect("the every-family key set loads");
        Verifier::new(profile, keys).expect("the every-algorithm verifier builds")
    })
}

/// The key family of the every-algorithm world's `kid`, from [`EVERY_FAMILY`] (not from the
/// verifier's key set), for the binding oracle.
pub fn every_family_of(kid: &str) -> Option<verifier::KeyFamily> {
    let (_, alg) = EVERY_FAMILY.iter().find(|(k, _)| *k == kid)?;
    verifier::Algorithm::from_name(alg.name()).map(verifier::Algorithm::family)
}
