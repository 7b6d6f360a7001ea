//! `algorithms`: every JWS algorithm the reference verifier implements, each key bound to its
//! one algorithm family, and keys too weak for the algorithm they are used with.
//!
//! Every vector is an RFC 9068 access token like the baseline, signed with another algorithm
//! and verified under a profile whose `algorithms` admit it, so that the algorithm, the key and
//! the binding between them are the only things that differ. The corpus across algorithms and
//! presets grows from here; these rows give each new rule of the key stage its vectors.
//!
//! - Accept controls: one per algorithm with a key of its family, and RSA keys of every size.
//! - `key_alg_mismatch` (RFC 8725 §3.1: "each key MUST be used with exactly one algorithm, and
//!   this MUST be checked"): the classic confusion, an HMAC keyed with a public key's bytes,
//!   is `must` with its CVEs; a key of one curve or family named for another algorithm too. A
//!   token whose algorithm disagrees only with the JWK's optional `alg` member is `profile`
//!   (RFC 7517 §4.4 makes the member optional to use).
//! - `key_too_weak` (RFC 7518 §3.2, §3.3): the MUSTs are on whoever chooses the key, so these are
//!   `profile`.

use corpus::vector::Severity::{self, Must, Profile};
use forge::alg::{Alg, AnyKey, RsaId, secret};
use serde_json::{Value, json};
use verifier::Algorithm;
use verifier::Reason::{KeyAlgMismatch, SignatureInvalid};

use super::{Draft, Expect, Family, rej};
use crate::generate::{Mutation, Row, Signer, accept, any_reject, custom, reject_for};

/// A valid access token, signed with an algorithm the profile allows, with the key of its family.
pub(super) const VALID: &[&str] = &[
    "RFC9068-4-signature",
    "RFC7515-5.2-signature",
    "RFC7518-3.1-alg-values",
    "RFC8725-3.1-alg",
];
/// A key used with an algorithm of another family.
pub(super) const BINDING: &[&str] = &["RFC8725-3.1-alg", "RFC9068-4-signature"];
/// An HMAC keyed with the bytes of an asymmetric public key: the documented confusion.
pub(super) const CONFUSION: &[&str] = &[
    "RFC8725-3.1-alg",
    "CVE-2015-9235",
    "CVE-2016-10555",
    "CVE-2022-29217",
];
/// The JWK's `alg` member names another algorithm than the token's.
const JWK_ALG: &[&str] = &["RFC8725-3.1-alg", "RFC7517-4.4-alg"];
const RSA_SIZE: &[&str] = &["RFC7518-3.3-rsa-key"];
const HMAC_SIZE: &[&str] = &["RFC7518-3.2-hmac-key"];

/// The verifier's name for forge's algorithm.
pub fn algorithm(alg: Alg) -> Algorithm {
    Algorithm::from_name(alg.name()).expect("forge and the verifier name the same 13 algorithms")
}

/// The `kid` a key goes by in this family's key sets: its kind.
fn kid_of(key: &AnyKey) -> &'static str {
    match key {
        AnyKey::P256(_) => "p256",
        AnyKey::P384(_) => "p384",
        AnyKey::P521(_) => "p521",
        AnyKey::Rsa(k) => k.name(),
        AnyKey::Ed25519(_) => "ed25519",
        AnyKey::Oct(_) => "hmac",
    }
}

/// A key set entry: the key, its `kid` (its kind's unless renamed), and the `alg` member its
/// JWK carries (`None`: no member).
#[derive(Clone)]
pub struct Entry {
    pub key: AnyKey,
    pub kid: &'static str,
    pub alg: Option<Alg>,
}

impl Entry {
    /// The same key under another `kid` (two keys of one kind in a set).
    pub fn named(mut self, kid: &'static str) -> Entry {
        self.kid = kid;
        self
    }
}

/// A key with the `alg` member of the algorithm it serves.
pub fn entry(key: AnyKey, alg: Alg) -> Entry {
    Entry {
        kid: kid_of(&key),
        key,
        alg: Some(alg),
    }
}

/// A key without an `alg` member.
pub fn bare(key: AnyKey) -> Entry {
    Entry {
        kid: kid_of(&key),
        key,
        alg: None,
    }
}

/// The public JWK Set of these entries, each under its kind's `kid`.
pub fn key_set(entries: &[Entry]) -> Value {
    let keys: Vec<Value> = entries
        .iter()
        .map(|e| {
            let mut jwk = e.key.public_jwk(e.kid, e.alg.unwrap_or(Alg::ES256));
            if e.alg.is_none()
                && let Some(map) = jwk.as_object_mut()
            {
                map.remove("alg");
            }
            jwk
        })
        .collect();
    json!({ "keys": keys })
}

/// The world of one row: the profile's algorithms, the key set, and the token's `alg`, `kid`
/// (the signing key's own unless named) and signing key.
pub struct World {
    pub allowed: Vec<Alg>,
    pub keys: Vec<Entry>,
    pub alg: Alg,
    pub signer: AnyKey,
    pub kid: Option<&'static str>,
}

impl World {
    /// One algorithm with its own key, in a set of that key alone.
    pub fn single(alg: Alg, key: AnyKey) -> World {
        World {
            allowed: vec![alg],
            keys: vec![entry(key.clone(), alg)],
            alg,
            kid: Some(kid_of(&key)),
            signer: key,
        }
    }

    /// `alg` allowed, `primary` and `second` (named `kid`) in the set, the token signed by
    /// `second` and selecting it by `kid`.
    pub fn second_of_two(alg: Alg, primary: AnyKey, second: AnyKey, kid: &'static str) -> World {
        World {
            allowed: vec![alg],
            keys: vec![entry(primary, alg), entry(second.clone(), alg).named(kid)],
            alg,
            signer: second,
            kid: Some(kid),
        }
    }

    /// Sets the draft's profile algorithms, key set, header and signer.
    pub fn apply(&self, d: &mut Draft) {
        d.profile.algorithms = self.allowed.iter().map(|a| algorithm(*a)).collect();
        d.jwks = key_set(&self.keys);
        d.header["alg"] = json!(self.alg.name());
        match self.kid {
            Some(kid) => d.header["kid"] = json!(kid),
            None => {
                if let Some(map) = d.header.as_object_mut() {
                    map.remove("kid");
                }
            }
        }
        d.signer = Signer::Key(self.alg, Box::new(self.signer.clone()));
    }

    /// The world as a row's mutation.
    pub fn mutation(self) -> Mutation {
        custom(move |d| self.apply(d))
    }
}

/// The forge key `alg` signs baseline tokens with.
fn own_key(alg: Alg) -> AnyKey {
    AnyKey::for_alg(alg, "primary")
}

fn rsa(id: RsaId) -> AnyKey {
    AnyKey::Rsa(id.key())
}

/// An HMAC secret of `len` bytes.
fn hmac_secret(len: usize) -> AnyKey {
    AnyKey::Oct(secret("primary", len))
}

/// The key bytes an attacker uses as the HMAC secret: the public key's SPKI PEM or DER.
fn confusion_secret(key: &AnyKey, pem: bool) -> AnyKey {
    let bytes = if pem {
        key.public_pem().map(String::into_bytes)
    } else {
        key.public_der()
    };
    AnyKey::Oct(bytes.expect("an asymmetric key has an SPKI form"))
}

fn accept_row(alg: Alg) -> Row {
    Row::new(
        format!("accept-{}", alg.name().to_lowercase()),
        format!(
            "{alg} access token signed with a {} key, {alg} allowed",
            own_key(alg).kind()
        ),
        World::single(alg, own_key(alg)).mutation(),
        Expect::Accept,
        Must,
        VALID,
    )
}

/// An HMAC token keyed with the public key's bytes, `kid` naming that public key, both the
/// public key's algorithm and HMAC allowed.
fn confusion_row(name: &str, public: Alg, hmac: Alg, pem: bool) -> Row {
    let key = own_key(public);
    let form = if pem { "PEM" } else { "DER" };
    let world = World {
        allowed: vec![public, hmac],
        keys: vec![entry(key.clone(), public), entry(hmac_secret(64), hmac)],
        alg: hmac,
        kid: Some(kid_of(&key)),
        signer: confusion_secret(&key, pem),
    };
    Row::new(
        name,
        format!(
            "{hmac} keyed with the {} key's SPKI {form}, kid of that key; {public} and {hmac} allowed",
            key.kind()
        ),
        world.mutation(),
        rej(KeyAlgMismatch),
        Must,
        CONFUSION,
    )
    .acceptable(&[reject_for(SignatureInvalid)])
    .flags(&["AlgorithmConfusion"])
}

/// A token of `alg`, validly signed with its own key, whose `kid` names a key of another family
/// (`other`), both allowed.
fn wrong_family_row(name: &str, alg: Alg, other: Alg) -> Row {
    let own = own_key(alg);
    let theirs = own_key(other);
    let world = World {
        allowed: vec![alg, other],
        keys: vec![bare(own.clone()), bare(theirs.clone())],
        alg,
        kid: Some(kid_of(&theirs)),
        signer: own,
    };
    Row::new(
        name,
        format!(
            "{alg} token whose kid names the {} key ({other} allowed too)",
            theirs.kind()
        ),
        world.mutation(),
        rej(KeyAlgMismatch),
        Must,
        BINDING,
    )
    .acceptable(&[reject_for(SignatureInvalid)])
}

/// A token of `alg`, validly signed with a key whose JWK says `jwk_alg`, both allowed.
fn jwk_alg_row(name: &str, alg: Alg, jwk_alg: Alg) -> Row {
    let key = own_key(alg);
    let world = World {
        allowed: vec![alg, jwk_alg],
        keys: vec![entry(key.clone(), jwk_alg)],
        alg,
        kid: Some(kid_of(&key)),
        signer: key,
    };
    Row::new(
        name,
        format!("{alg} token, validly signed, with a key whose JWK alg is {jwk_alg}"),
        world.mutation(),
        rej(KeyAlgMismatch),
        Profile,
        JWK_ALG,
    )
    .acceptable(&[accept()])
    .rationale(
        "RFC 8725 §3.1 binds each key to one algorithm, but RFC 7517 §4.4 leaves the JWK's alg \
         member optional to use, so a library that ignores it and verifies the signature breaks \
         no MUST.",
    )
}

/// A validly signed token under a key too weak for its algorithm.
fn weak_row(name: &str, alg: Alg, key: AnyKey, basis: &[&str]) -> Row {
    let what = match &key {
        AnyKey::Rsa(k) => format!("{}-bit RSA key", k.bits()),
        AnyKey::Oct(s) => format!("{}-byte HMAC secret", s.len()),
        other => other.kind().to_owned(),
    };
    let world = World {
        allowed: vec![alg],
        keys: vec![bare(key.clone())],
        alg,
        kid: Some(kid_of(&key)),
        signer: key,
    };
    // RFC 7518 §3.2 and §3.3 bind whoever chooses the key: refusing it at use is this
    // profile's check, so a library that verifies the signature breaks no MUST.
    super::weak_key(
        name,
        format!("{alg} token validly signed with a {what}"),
        world.mutation(),
        basis,
    )
}

/// A validly signed token under an RSA key of another size (or exponent) that is strong enough.
fn rsa_size_row(name: &str, alg: Alg, id: RsaId, severity: Severity) -> Row {
    let key = rsa(id);
    let bits = id.key().bits();
    let row = Row::new(
        name,
        format!(
            "{alg} token signed with the {} key ({bits} bits)",
            id.name()
        ),
        World::single(alg, key).mutation(),
        Expect::Accept,
        severity,
        VALID,
    );
    if severity == Profile {
        row.acceptable(&[any_reject()])
    } else {
        row
    }
}

pub fn family() -> Family {
    let mut rows: Vec<Row> = Alg::ALL.into_iter().map(accept_row).collect();
    rows.extend([
        rsa_size_row("accept-rs256-rsa-3072", Alg::RS256, RsaId::Rsa3072, Must),
        rsa_size_row("accept-rs256-rsa-4096", Alg::RS256, RsaId::Rsa4096, Must),
        rsa_size_row("accept-ps512-rsa-4096", Alg::PS512, RsaId::Rsa4096, Must),
        // e = 3 is a valid RSA exponent (RFC 8017 §3.1); refusing it is a local policy.
        rsa_size_row("accept-rs256-rsa-e3", Alg::RS256, RsaId::E3, Profile),
        Row::new(
            "accept-hs256-secret-64-bytes",
            "HS256 token under a 64-byte secret (longer than the hash is allowed)",
            World::single(Alg::HS256, hmac_secret(64)).mutation(),
            Expect::Accept,
            Must,
            VALID,
        ),
        Row::new(
            "accept-mixed-set-rs256",
            "RS256 token in a set holding RSA, EC, OKP and oct keys, all four families allowed",
            World {
                allowed: vec![Alg::RS256, Alg::ES256, Alg::EdDSA, Alg::HS256],
                keys: vec![
                    entry(own_key(Alg::RS256), Alg::RS256),
                    entry(own_key(Alg::ES256), Alg::ES256),
                    entry(own_key(Alg::EdDSA), Alg::EdDSA),
                    entry(own_key(Alg::HS256), Alg::HS256),
                ],
                alg: Alg::RS256,
                kid: Some(kid_of(&own_key(Alg::RS256))),
                signer: own_key(Alg::RS256),
            }
            .mutation(),
            Expect::Accept,
            Must,
            VALID,
        ),
        confusion_row("hs256-rsa-pem-as-secret", Alg::RS256, Alg::HS256, true),
        confusion_row("hs256-rsa-der-as-secret", Alg::RS256, Alg::HS256, false),
        confusion_row("hs512-rsa-pem-as-secret", Alg::PS256, Alg::HS512, true),
        confusion_row("hs256-p256-pem-as-secret", Alg::ES256, Alg::HS256, true),
        confusion_row("hs384-p384-pem-as-secret", Alg::ES384, Alg::HS384, true),
        confusion_row("hs256-ed25519-pem-as-secret", Alg::EdDSA, Alg::HS256, true),
        wrong_family_row("es256-kid-of-p384-key", Alg::ES256, Alg::ES384),
        wrong_family_row("es512-kid-of-rsa-key", Alg::ES512, Alg::RS256),
        wrong_family_row("rs256-kid-of-hmac-key", Alg::RS256, Alg::HS256),
        wrong_family_row("eddsa-kid-of-p256-key", Alg::EdDSA, Alg::ES256),
        wrong_family_row("hs256-kid-of-ed25519-key", Alg::HS256, Alg::EdDSA),
        jwk_alg_row("ps256-key-for-rs256", Alg::PS256, Alg::RS256),
        jwk_alg_row("rs256-key-for-rs512", Alg::RS256, Alg::RS512),
        jwk_alg_row("hs256-key-for-hs384", Alg::HS256, Alg::HS384),
        weak_row("rs256-rsa-1024", Alg::RS256, rsa(RsaId::Weak1024), RSA_SIZE),
        weak_row("ps256-rsa-1024", Alg::PS256, rsa(RsaId::Weak1024), RSA_SIZE),
        weak_row("rs512-rsa-1024", Alg::RS512, rsa(RsaId::Weak1024), RSA_SIZE),
        weak_row(
            "hs256-secret-16-bytes",
            Alg::HS256,
            hmac_secret(16),
            HMAC_SIZE,
        ),
        weak_row(
            "hs256-secret-31-bytes",
            Alg::HS256,
            hmac_secret(31),
            HMAC_SIZE,
        ),
        weak_row(
            "hs384-secret-32-bytes",
            Alg::HS384,
            hmac_secret(32),
            HMAC_SIZE,
        ),
        weak_row(
            "hs512-secret-48-bytes",
            Alg::HS512,
            hmac_secret(48),
            HMAC_SIZE,
        ),
        weak_row("hs256-secret-1-byte", Alg::HS256, hmac_secret(1), HMAC_SIZE),
    ]);
    Family::table("algorithms", rows)
}
