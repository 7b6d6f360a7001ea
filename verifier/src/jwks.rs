//! JWK Set parsing (RFC 7517) for the verification keys of the verifier's algorithms.
//!
//! Which keys a set may hold depends on the algorithms the profile allows
//! ([`KeySet::for_algorithms`]; [`KeySet::from_jwks_json`] means `["ES256"]`). A set may mix
//! every kind of key those algorithms use: EC P-256, P-384, P-521, RSA, OKP Ed25519 and `oct`
//! secrets. A key that no allowed algorithm can use refuses the whole set, like any other bad
//! key, rather than being skipped: a key the verifier was given but can never use is a
//! configuration mistake, and skipping it silently would turn the issuer's mistake into a
//! mysterious `kid_unknown` later. Whether a loaded key fits a token's `alg`, and is strong
//! enough for it, is judged per token (`rules::key`): strength belongs to the key with the
//! algorithm, so an RSA key under 2048 bits or a short secret loads and never verifies anything.
//!
//! Policy, each choice deliberate and fail-loud:
//! - the document is strict JSON (duplicate member names refused) of at most [`MAX_JWKS_BYTES`],
//!   an object whose `keys` is an array of 1..=[`MAX_KEYS`] objects; other top-level members are
//!   ignored, as RFC 7517 §5 asks;
//! - each key is checked in this order, the first failure naming the defect:
//!   1. a private member refuses the set (`d p q dp dq qi oth`, and `k` unless the key is
//!      `kty: oct` and an HS* algorithm is allowed): a public key set that carries private
//!      material is a leak, not a key, and so is a secret given to a verifier that cannot use
//!      secrets;
//!   2. `kty` must be one an allowed algorithm uses (`key_wrong_kty`), and for EC and OKP keys
//!      `crv` too (`key_wrong_crv`): the pair binds the key to one family (RFC 7518 §6,
//!      RFC 8037 §2);
//!   3. `use`, when present, must be `"sig"`;
//!   4. `alg`, when present, must be an allowed algorithm of the key's family (`key_wrong_alg`);
//!      the key then verifies that algorithm only (RFC 7517 §4.4);
//!   5. `key_ops`, when present, must be an array holding `"verify"` once, optionally with
//!      `"sign"` once (the pair RFC 7517 §4.3 permits);
//!   6. `kid` is required and non-empty (tokens are matched by `kid`) and unique in the set;
//!   7. the material: EC `x` and `y` strict base64url of exactly the curve's size (32, 48, 66
//!      bytes) and a point on the curve, not the identity; RSA `n` and `e` strict base64url
//!      without a leading zero octet, `e` odd with 3 ≤ e < 2^33, `n` odd, above `e` and at most
//!      16384 bits (a hostile set cannot make verification slow); OKP `x` the canonical 32-byte
//!      encoding of an Ed25519 point not of small order (RFC 8037 §2); `oct` `k` strict
//!      base64url of at least one byte;
//! - other members (`x5c`, `x5t`, …) are ignored and never used to find or trust a key.

use std::collections::BTreeMap;
use std::fmt;

use p256::ecdsa::VerifyingKey;
use serde_json::{Map, Value};

use crate::alg::{Algorithm, KeyFamily};
use crate::rules::signature::PublicKey;
use crate::{b64, json};

/// Largest key-set document accepted, in bytes.
pub const MAX_JWKS_BYTES: usize = 256 * 1024;
/// Most keys accepted in one set.
pub const MAX_KEYS: usize = 256;
const MAX_DEPTH: usize = 8;
/// Private members of every key type (RFC 7518 §6.2.2, §6.3.2); `k` is the `oct` secret.
const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "oth"];

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
    /// An RSA `n` or `e` that is not canonical base64url of a plausible modulus or exponent.
    BadRsaParams,
    /// An `oct` key whose `k` is not canonical base64url of at least one byte.
    BadSecret,
    MissingKid,
    WrongUse,
    WrongKeyOps,
    WrongAlg,
}

impl fmt::Display for KeyDefect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyDefect::NotAnObject => "not a JSON object",
            KeyDefect::WrongKty => "kty is not one the allowed algorithms use",
            KeyDefect::WrongCrv => "crv is not one the allowed algorithms use",
            KeyDefect::PrivateMember => "carries a private key member",
            KeyDefect::BadCoordinate => {
                "x or y is not canonical base64url of the curve's coordinate size"
            }
            KeyDefect::NotOnCurve => "point is not a valid point of the curve",
            KeyDefect::BadRsaParams => "n or e is not a valid RSA modulus and exponent",
            KeyDefect::BadSecret => "k is not a non-empty secret in canonical base64url",
            KeyDefect::MissingKid => "kid is missing, empty or not a string",
            KeyDefect::WrongUse => "use is not \"sig\"",
            KeyDefect::WrongKeyOps => "key_ops does not allow exactly verification",
            KeyDefect::WrongAlg => "alg is not an allowed algorithm of the key's family",
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

/// A validated set of verification keys, looked up by `kid`.
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
    /// Parses and validates a JWK Set document for a verifier allowing ES256 only (the default
    /// profile's algorithms): `KeySet::for_algorithms(bytes, &[Algorithm::ES256])`.
    pub fn from_jwks_json(bytes: &[u8]) -> Result<KeySet, JwksError> {
        KeySet::for_algorithms(bytes, &[Algorithm::ES256])
    }

    /// Parses and validates a JWK Set document for a verifier allowing `algorithms` (the
    /// profile's): every key must be usable by one of them (module documentation).
    pub fn for_algorithms(bytes: &[u8], algorithms: &[Algorithm]) -> Result<KeySet, JwksError> {
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
        let mut keys: Vec<(String, PublicKey)> = Vec::with_capacity(entries.len());
        for (index, entry) in entries.iter().enumerate() {
            let (kid, key) =
                parse_key(entry, algorithms).map_err(|why| JwksError::BadKey { index, why })?;
            if keys.iter().any(|(k, _)| *k == kid) {
                return Err(JwksError::DuplicateKid { index });
            }
            keys.push((kid, key));
        }
        KeySet::from_keys(keys)
    }

    /// A set of already-validated P-256 keys; `kid`s must be unique and non-empty.
    pub fn new(keys: Vec<(String, VerifyingKey)>) -> Result<KeySet, JwksError> {
        KeySet::from_keys(
            keys.into_iter()
                .map(|(kid, key)| (kid, PublicKey::new(key)))
                .collect(),
        )
    }

    /// A set of already-validated keys of any family; `kid`s must be unique and non-empty.
    pub fn from_keys(keys: Vec<(String, PublicKey)>) -> Result<KeySet, JwksError> {
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
        Ok(KeySet { keys, by_kid })
    }

    /// The key with this `kid`.
    pub fn get(&self, kid: &str) -> Option<&PublicKey> {
        self.by_kid.get(kid).map(|&index| &self.keys[index].1)
    }

    /// The keys a token signed with `alg` may be checked with ([`PublicKey::fits`]), in
    /// document order.
    pub fn usable_for(&self, alg: Algorithm) -> impl Iterator<Item = &PublicKey> {
        self.keys
            .iter()
            .map(|(_, key)| key)
            .filter(move |key| key.fits(alg))
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

/// The family a JWK's `kty` and `crv` bind it to, if some allowed algorithm uses that family;
/// else the defect (`kty` first, then `crv`).
fn family_of(jwk: &Map<String, Value>, algorithms: &[Algorithm]) -> Result<KeyFamily, KeyDefect> {
    let kty = jwk.get("kty").and_then(Value::as_str);
    let crv = jwk.get("crv").and_then(Value::as_str);
    let mut same_kty = algorithms
        .iter()
        .map(|a| a.family())
        .filter(|f| Some(f.kty()) == kty)
        .peekable();
    if same_kty.peek().is_none() {
        return Err(KeyDefect::WrongKty);
    }
    // EC and OKP keys name their curve; RSA and oct keys have none, and any `crv` is ignored.
    same_kty
        .find(|f| f.crv().is_none() || f.crv() == crv)
        .ok_or(KeyDefect::WrongCrv)
}

fn parse_key(entry: &Value, algorithms: &[Algorithm]) -> Result<(String, PublicKey), KeyDefect> {
    let Value::Object(jwk) = entry else {
        return Err(KeyDefect::NotAnObject);
    };
    let secret_allowed = jwk.get("kty").and_then(Value::as_str) == Some("oct")
        && algorithms.iter().any(|a| a.is_hmac());
    if PRIVATE_MEMBERS.iter().any(|m| jwk.contains_key(*m))
        || (jwk.contains_key("k") && !secret_allowed)
    {
        return Err(KeyDefect::PrivateMember);
    }
    let family = family_of(jwk, algorithms)?;
    optional_str(jwk, "use", "sig", KeyDefect::WrongUse)?;
    let alg = match jwk.get("alg") {
        None => None,
        Some(alg) => Some(
            alg.as_str()
                .and_then(Algorithm::from_name)
                .filter(|a| a.family() == family && algorithms.contains(a))
                .ok_or(KeyDefect::WrongAlg)?,
        ),
    };
    check_key_ops(jwk)?;
    let kid = match jwk.get("kid") {
        Some(Value::String(kid)) if !kid.is_empty() => kid.clone(),
        _ => return Err(KeyDefect::MissingKid),
    };
    let key = material(jwk, family)?;
    Ok((
        kid,
        if let Some(a) = alg {
            key.restricted_to(a)
        } else {
            key
        },
    ))
}

/// The key of `family` from the JWK's members (RFC 7518 §6.2.1, §6.3.1, §6.4; RFC 8037 §2).
fn material(jwk: &Map<String, Value>, family: KeyFamily) -> Result<PublicKey, KeyDefect> {
    match family {
        KeyFamily::P256 => {
            let sec1 = sec1_point::<32>(jwk)?;
            // `from_sec1_bytes` checks the curve equation and refuses the identity.
            let point = VerifyingKey::from_sec1_bytes(&sec1).map_err(|_| KeyDefect::NotOnCurve)?;
            Ok(PublicKey::new(point))
        }
        KeyFamily::P384 => {
            let sec1 = sec1_point::<48>(jwk)?;
            let point = p384::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
                .map_err(|_| KeyDefect::NotOnCurve)?;
            Ok(PublicKey::p384(point))
        }
        KeyFamily::P521 => {
            let sec1 = sec1_point::<66>(jwk)?;
            let point = p521::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
                .map_err(|_| KeyDefect::NotOnCurve)?;
            Ok(PublicKey::p521(point))
        }
        KeyFamily::Rsa => {
            let n = member_bytes(jwk, "n").ok_or(KeyDefect::BadRsaParams)?;
            let e = member_bytes(jwk, "e").ok_or(KeyDefect::BadRsaParams)?;
            PublicKey::rsa(&n, &e)
        }
        KeyFamily::Ed25519 => {
            let x = coordinate::<32>(jwk, "x")?;
            PublicKey::ed25519(&x)
        }
        KeyFamily::Oct => {
            let k = member_bytes(jwk, "k").ok_or(KeyDefect::BadSecret)?;
            PublicKey::hmac(&k)
        }
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
        Some(Value::String(s)) if s == want => Ok(()),
        Some(_) => Err(defect),
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

/// The uncompressed SEC1 encoding `04 || x || y` of coordinates of `N` bytes each.
fn sec1_point<const N: usize>(jwk: &Map<String, Value>) -> Result<Vec<u8>, KeyDefect> {
    let x = coordinate::<N>(jwk, "x")?;
    let y = coordinate::<N>(jwk, "y")?;
    Ok([&[0x04][..], &x, &y].concat())
}

/// A member that is strict base64url of exactly `N` bytes.
fn coordinate<const N: usize>(jwk: &Map<String, Value>, name: &str) -> Result<[u8; N], KeyDefect> {
    member_bytes(jwk, name)
        .and_then(|bytes| <[u8; N]>::try_from(bytes).ok())
        .ok_or(KeyDefect::BadCoordinate)
}

/// The bytes of a member that is a string of strict base64url.
fn member_bytes(jwk: &Map<String, Value>, name: &str) -> Option<Vec<u8>> {
    let Some(Value::String(text)) = jwk.get(name) else {
        return None;
    };
    b64::decode(text.as_bytes())
}
