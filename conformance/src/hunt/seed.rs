//! The corpus tokens a hunt mutates: accepted single-step vectors whose signing key is known,
//! so that a mutated header or payload can be signed again with the vector's own key.
//!
//! The corpus stores public keys only. Every private key the generator signs with is a forge
//! key (named, derived) or an HMAC secret held in the key set itself, so the private key of a
//! vector is found by matching its public JWK against the forge keys of every family.

use std::collections::HashMap;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use forge::alg::{Alg, AnyKey, RsaId};
use serde_json::{Map, Value};

use super::candidate::{Candidate, render};
use crate::corpus::token_bytes;
use crate::outcome::Outcome;
use crate::set::Corpus;
use crate::vector::{Body, Expected, Vector};

/// The forge key names the generator signs with (`tools/src/generate`).
const FORGE_NAMES: [&str; 7] = [
    "primary",
    "secondary",
    "attacker",
    "renewed",
    "bulk",
    "x",
    "outsider",
];

/// One accepted corpus token, taken apart, with the key that signed it.
#[derive(Clone)]
pub struct Seed {
    pub vector: Arc<Vector>,
    pub alg: Alg,
    pub key: AnyKey,
    /// Header and payload members in the order the token has them.
    pub header: Vec<(String, Value)>,
    pub claims: Vec<(String, Value)>,
    /// The verification time of the vector's step.
    pub now: i64,
}

impl std::fmt::Debug for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seed")
            .field("vector", &self.vector.id)
            .field("alg", &self.alg.name())
            .finish_non_exhaustive()
    }
}

/// The seeds of `corpus`, in corpus order: every single-step vector with a pinned key set whose
/// expected result is an acceptance of a compact token signed by a key this module can find,
/// and whose token the reference still accepts once the hunt has re-rendered and re-signed it
/// (a seed it does not accept would start every mutation from a defect). Candidates index
/// this list, so every caller that regenerates a candidate must take its seeds from here.
pub fn seeds(corpus: &Corpus) -> Vec<Seed> {
    let keys = KeyIndex::new();
    corpus
        .vectors
        .iter()
        .filter_map(|v| seed_of(v, &keys))
        .filter(still_accepted)
        .collect()
}

/// True when the reference accepts the seed rendered without any mutation.
fn still_accepted(seed: &Seed) -> bool {
    let bare = Candidate {
        index: 0,
        seed: 0,
        mutations: Vec::new(),
    };
    let r = render(&bare, seed, "hunt/seed".to_owned());
    crate::reference::run(&r.vector)
        .first()
        .is_some_and(|o| matches!(o, Outcome::Accept { .. }))
}

fn seed_of(vector: &Arc<Vector>, keys: &KeyIndex) -> Option<Seed> {
    let Body::Single(step) = &vector.body else {
        return None;
    };
    if !step.actions.is_empty()
        || vector.key_source.is_some()
        || vector.jwks_base64.is_some()
        || crate::live::is_live(vector)
        || !matches!(step.expected, Expected::Accept { .. })
    {
        return None;
    }
    let token = token_bytes(&step.token).ok()?;
    let text = std::str::from_utf8(&token).ok()?;
    let mut parts = text.split('.');
    let (h, p, _s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let header = members(h)?;
    let claims = members(p)?;
    let alg = header
        .iter()
        .find(|(k, _)| k == "alg")
        .and_then(|(_, v)| v.as_str())
        .and_then(Alg::from_name)?;
    let kid = header
        .iter()
        .find(|(k, _)| k == "kid")
        .and_then(|(_, v)| v.as_str());
    let jwk = signing_jwk(&vector.jwks, kid)?;
    let key = keys.private_of(jwk, alg)?;
    Some(Seed {
        vector: vector.clone(),
        alg,
        key,
        header,
        claims,
        now: step.now,
    })
}

/// The members of a base64url JSON object segment, in order.
fn members(segment: &str) -> Option<Vec<(String, Value)>> {
    let bytes = URL_SAFE_NO_PAD.decode(segment).ok()?;
    // Order matters to no verifier, but keeping it keeps the re-rendered token close to the
    // seed; serde_json's map is sorted, so the order is read from the text.
    let map: Map<String, Value> = serde_json::from_slice(&bytes).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let mut named: Vec<(usize, String, Value)> = map
        .into_iter()
        .map(|(k, v)| {
            let at = text
                .find(&serde_json::to_string(&k).unwrap_or_default())
                .unwrap_or(usize::MAX);
            (at, k, v)
        })
        .collect();
    named.sort_by_key(|(at, _, _)| *at);
    Some(named.into_iter().map(|(_, k, v)| (k, v)).collect())
}

/// The JWK the token names: the one with its `kid`, else the only key.
fn signing_jwk<'a>(jwks: &'a Value, kid: Option<&str>) -> Option<&'a Value> {
    let keys = jwks.get("keys")?.as_array()?;
    match kid {
        Some(kid) => keys
            .iter()
            .find(|k| k.get("kid").and_then(Value::as_str) == Some(kid)),
        None if keys.len() == 1 => keys.first(),
        None => None,
    }
}

/// Forge's private keys by their public material.
struct KeyIndex {
    by_material: HashMap<String, AnyKey>,
}

impl KeyIndex {
    fn new() -> KeyIndex {
        let mut by_material = HashMap::new();
        for name in FORGE_NAMES {
            for alg in [Alg::ES256, Alg::ES384, Alg::ES512, Alg::EdDSA] {
                let key = AnyKey::for_alg(alg, name);
                if let Some(m) = material(&key.public_jwk("k", alg)) {
                    by_material.insert(m, key);
                }
            }
        }
        for id in RsaId::ALL {
            let key = AnyKey::Rsa(id.key());
            if let Some(m) = material(&key.public_jwk("k", Alg::RS256)) {
                by_material.insert(m, key);
            }
        }
        KeyIndex { by_material }
    }

    /// The private key behind `jwk`, if it can sign `alg`.
    fn private_of(&self, jwk: &Value, alg: Alg) -> Option<AnyKey> {
        if jwk.get("kty").and_then(Value::as_str) == Some("oct") {
            let k = jwk.get("k")?.as_str()?;
            return URL_SAFE_NO_PAD.decode(k).ok().map(AnyKey::Oct);
        }
        let key = self.by_material.get(&material(jwk)?)?.clone();
        let fits = matches!(
            (alg, &key),
            (Alg::ES256, AnyKey::P256(_))
                | (Alg::ES384, AnyKey::P384(_))
                | (Alg::ES512, AnyKey::P521(_))
                | (Alg::EdDSA, AnyKey::Ed25519(_))
                | (
                    Alg::RS256 | Alg::RS384 | Alg::RS512 | Alg::PS256 | Alg::PS384 | Alg::PS512,
                    AnyKey::Rsa(_)
                )
        );
        fits.then_some(key)
    }
}

/// The public key material of a JWK, as one string (`kty`, `crv`, coordinates or modulus).
fn material(jwk: &Value) -> Option<String> {
    let field = |name: &str| jwk.get(name).and_then(Value::as_str).unwrap_or("");
    let kty = field("kty");
    match kty {
        "EC" => Some(format!("EC|{}|{}|{}", field("crv"), field("x"), field("y"))),
        "OKP" => Some(format!("OKP|{}|{}", field("crv"), field("x"))),
        "RSA" => Some(format!("RSA|{}|{}", field("n"), field("e"))),
        _ => None,
    }
}
