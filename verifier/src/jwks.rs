//! JWK Set parsing (RFC 7517) for public EC P-256 signature keys.
//!
//! Policy, each choice deliberate and fail-loud (a set with one bad key is refused whole, since a
//! silently skipped key turns an issuer's mistake into a mysterious `kid_unknown` later):
//! - the document is strict JSON (duplicate member names refused) of at most [`MAX_JWKS_BYTES`],
//!   an object whose `keys` is an array of 1..=[`MAX_KEYS`] objects; other top-level members are
//!   ignored, as RFC 7517 §5 asks;
//! - `kty` must be `"EC"` and `crv` `"P-256"` (RSA, OKP, oct and P-384/P-521 keys are refused);
//! - any private member (`d`, or the RSA/oct members `p q dp dq qi oth k`) refuses the set: a
//!   public key set that carries private material is a leak, not a key;
//! - `x` and `y` are strict base64url of exactly 32 bytes each, and the point must be on the
//!   curve and not the identity;
//! - `kid` is required and non-empty (tokens are matched by `kid` only) and unique in the set;
//! - `use`, when present, must be `"sig"`; `key_ops`, when present, must be an array holding
//!   `"verify"` once, optionally with `"sign"` once (the pair RFC 7517 §4.3 permits); a key
//!   that does not allow verification, or allows another purpose, is refused;
//!   `alg`, when present, must be `"ES256"`;
//! - other members (`x5c`, `x5t`, …) are ignored and never used to find or trust a key.

use std::collections::BTreeMap;
use std::fmt;

use p256::ecdsa::VerifyingKey;
use serde_json::{Map, Value};

use crate::rules::signature::PublicKey;
use crate::{b64, json};

/// Largest key-set document accepted, in bytes.
pub const MAX_JWKS_BYTES: usize = 256 * 1024;
/// Most keys accepted in one set.
pub const MAX_KEYS: usize = 256;
const MAX_DEPTH: usize = 8;
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// Why a key set was refused. Names the offending key by position and `kid` only.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwksError {
    TooLarge,
    NotJson,
    DuplicateMember,
    NotAKeySet,
    Empty,
    TooManyKeys,
    /// Key number `index` (0-based) was refused for `why`.
    BadKey {
        index: usize,
        why: KeyDefect,
    },
    DuplicateKid {
        index: usize,
    },
}

/// What is wrong with one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyDefect {
    NotAnObject,
    WrongKty,
    WrongCrv,
    PrivateMember,
    BadCoordinate,
    NotOnCurve,
    MissingKid,
    WrongUse,
    WrongKeyOps,
    WrongAlg,
}

impl fmt::Display for KeyDefect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyDefect::NotAnObject => "not a JSON object",
            KeyDefect::WrongKty => "kty is not \"EC\"",
            KeyDefect::WrongCrv => "crv is not \"P-256\"",
            KeyDefect::PrivateMember => "carries a private key member",
            KeyDefect::BadCoordinate => "x or y is not 32 bytes of canonical base64url",
            KeyDefect::NotOnCurve => "point is not on P-256",
            KeyDefect::MissingKid => "kid is missing, empty or not a string",
            KeyDefect::WrongUse => "use is not \"sig\"",
            KeyDefect::WrongKeyOps => "key_ops does not allow exactly verification",
            KeyDefect::WrongAlg => "alg is not \"ES256\"",
        })
    }
}

impl fmt::Display for JwksError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JwksError::TooLarge => write!(f, "key set larger than {MAX_JWKS_BYTES} bytes"),
            JwksError::NotJson => f.write_str("key set is not strict JSON"),
            JwksError::DuplicateMember => f.write_str("key set repeats a JSON member name"),
            JwksError::NotAKeySet => f.write_str("not a JWK Set: no \"keys\" array"),
            JwksError::Empty => f.write_str("key set has no keys"),
            JwksError::TooManyKeys => write!(f, "key set has more than {MAX_KEYS} keys"),
            JwksError::BadKey { index, why } => write!(f, "key #{index}: {why}"),
            JwksError::DuplicateKid { index } => write!(f, "key #{index}: duplicate kid"),
        }
    }
}

impl std::error::Error for JwksError {}

/// A validated set of P-256 verification keys, looked up by `kid`.
#[derive(Clone, PartialEq, Eq)]
pub struct KeySet {
    keys: Vec<(String, PublicKey)>,
    /// Position in `keys` of each `kid`: a few comparisons per token instead of a scan over the
    /// set (measured: a linear scan cost microseconds with a hundred keys and cold caches, and
    /// hashing the `kid` cost more than the search with a handful).
    by_kid: BTreeMap<String, usize>,
}

impl fmt::Debug for KeySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Key material stays out of logs; the count is enough to debug configuration.
        f.debug_struct("KeySet")
            .field("keys", &self.keys.len())
            .finish()
    }
}

impl KeySet {
    /// Parses and validates a JWK Set document.
    pub fn from_jwks_json(bytes: &[u8]) -> Result<KeySet, JwksError> {
        if bytes.len() > MAX_JWKS_BYTES {
            return Err(JwksError::TooLarge);
        }
        let doc = json::parse_object(bytes, MAX_DEPTH).map_err(|e| match e {
            json::JsonError::DuplicateKey => JwksError::DuplicateMember,
            // Valid JSON that is not an object (an array, a string) is JSON, just not a set.
            json::JsonError::Malformed => match json::parse(bytes, MAX_DEPTH) {
                Err(json::JsonError::Malformed) => JwksError::NotJson,
                _ => JwksError::NotAKeySet,
            },
        })?;
        let Some(Value::Array(entries)) = doc.get("keys") else {
            return Err(JwksError::NotAKeySet);
        };
        if entries.len() > MAX_KEYS {
            return Err(JwksError::TooManyKeys);
        }
        let mut keys: Vec<(String, VerifyingKey)> = Vec::with_capacity(entries.len());
        for (index, entry) in entries.iter().enumerate() {
            let (kid, key) = parse_key(entry).map_err(|why| JwksError::BadKey { index, why })?;
            if keys.iter().any(|(k, _)| *k == kid) {
                return Err(JwksError::DuplicateKid { index });
            }
            keys.push((kid, key));
        }
        KeySet::new(keys)
    }

    /// A set from already-validated keys; `kid`s must be unique and non-empty.
    pub fn new(keys: Vec<(String, VerifyingKey)>) -> Result<KeySet, JwksError> {
        if keys.is_empty() {
            return Err(JwksError::Empty);
        }
        let mut by_kid = BTreeMap::new();
        for (index, (kid, _)) in keys.iter().enumerate() {
            if kid.is_empty() {
                return Err(JwksError::BadKey {
                    index,
                    why: KeyDefect::MissingKid,
                });
            }
            if by_kid.insert(kid.clone(), index).is_some() {
                return Err(JwksError::DuplicateKid { index });
            }
        }
        let keys = keys
            .into_iter()
            .map(|(kid, key)| (kid, PublicKey::new(key)))
            .collect();
        Ok(KeySet { keys, by_kid })
    }

    /// The key with this `kid`.
    pub fn get(&self, kid: &str) -> Option<&PublicKey> {
        self.by_kid.get(kid).map(|&index| &self.keys[index].1)
    }

    /// The `kid`s in the set, in document order.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|(k, _)| k.as_str())
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Always false for a constructed set; present for API symmetry.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

fn parse_key(entry: &Value) -> Result<(String, VerifyingKey), KeyDefect> {
    let Value::Object(jwk) = entry else {
        return Err(KeyDefect::NotAnObject);
    };
    if PRIVATE_MEMBERS.iter().any(|m| jwk.contains_key(*m)) {
        return Err(KeyDefect::PrivateMember);
    }
    require_str(jwk, "kty", "EC", KeyDefect::WrongKty)?;
    require_str(jwk, "crv", "P-256", KeyDefect::WrongCrv)?;
    optional_str(jwk, "use", "sig", KeyDefect::WrongUse)?;
    optional_str(jwk, "alg", "ES256", KeyDefect::WrongAlg)?;
    check_key_ops(jwk)?;
    let kid = match jwk.get("kid") {
        Some(Value::String(kid)) if !kid.is_empty() => kid.clone(),
        _ => return Err(KeyDefect::MissingKid),
    };
    let x = coordinate(jwk, "x")?;
    let y = coordinate(jwk, "y")?;
    let mut sec1 = [0u8; 65];
    sec1[0] = 0x04;
    sec1[1..33].copy_from_slice(&x);
    sec1[33..].copy_from_slice(&y);
    // `from_sec1_bytes` checks the curve equation and refuses the identity.
    let key = VerifyingKey::from_sec1_bytes(&sec1).map_err(|_| KeyDefect::NotOnCurve)?;
    Ok((kid, key))
}

fn require_str(
    jwk: &Map<String, Value>,
    name: &str,
    want: &str,
    defect: KeyDefect,
) -> Result<(), KeyDefect> {
    match jwk.get(name) {
        Some(Value::String(s)) if s == want => Ok(()),
        _ => Err(defect),
    }
}

fn optional_str(
    jwk: &Map<String, Value>,
    name: &str,
    want: &str,
    defect: KeyDefect,
) -> Result<(), KeyDefect> {
    match jwk.get(name) {
        None => Ok(()),
        Some(_) => require_str(jwk, name, want, defect),
    }
}

fn check_key_ops(jwk: &Map<String, Value>) -> Result<(), KeyDefect> {
    let Some(ops) = jwk.get("key_ops") else {
        return Ok(());
    };
    let Value::Array(ops) = ops else {
        return Err(KeyDefect::WrongKeyOps);
    };
    // RFC 7517 §4.3: "sign" with "verify" is a permitted pair; no value may repeat.
    let verify = ops
        .iter()
        .filter(|op| op.as_str() == Some("verify"))
        .count();
    let sign = ops.iter().filter(|op| op.as_str() == Some("sign")).count();
    if verify != 1 || sign > 1 || verify + sign != ops.len() {
        return Err(KeyDefect::WrongKeyOps);
    }
    Ok(())
}

fn coordinate(jwk: &Map<String, Value>, name: &str) -> Result<[u8; 32], KeyDefect> {
    let Some(Value::String(text)) = jwk.get(name) else {
        return Err(KeyDefect::BadCoordinate);
    };
    b64::decode(text.as_bytes())
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .ok_or(KeyDefect::BadCoordinate)
}
