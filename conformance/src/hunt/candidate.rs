//! Candidates: a seed token and a few structure-aware mutations of it, drawn from the
//! vocabulary of the `structured` fuzz target (`forge::shape`: JSON values and literals,
//! document shapes, base64url and segment quirks, the JWS serialization, profile knobs), plus
//! signature and key-set mutations that work for every algorithm.
//!
//! A candidate is a pure function of the hunt's seed and its index ([`Candidate::generate`]),
//! so a campaign can be resumed, shared and replayed from two numbers. Rendering signs the
//! mutated header and payload again with the seed's own key, unless a signature mutation says
//! otherwise: a header or payload defect then reaches the stages behind the signature instead
//! of being refused as a bad signature.

use arbitrary::{Arbitrary, Unstructured};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use forge::alg::{Alg, AnyKey};
use forge::shape::{
    self, CName, Doc, DocForm, Escape, Form, HName, JVal, Knobs, Quirk, Seg, StrLit,
};
use serde_json::{Value, json};

use super::seed::Seed;
use crate::vector::{Body, Expected, Feature, Severity, Step, TokenSpec, Vector};

/// Most mutations a generated candidate has.
pub const MAX_MUTATIONS: usize = 4;
/// Bytes of pseudo-random input a candidate is drawn from.
const ENTROPY_BYTES: usize = 384;

/// One change to a seed.
#[derive(Arbitrary, Clone, Debug)]
pub enum Mutation {
    /// Sets a header member (replacing it where it is, else appending it).
    Header(HName, JVal),
    /// Appends a header member even if the name is there already (a duplicate name).
    HeaderTwice(HName, JVal),
    DropHeader(HName),
    Claim(CName, JVal),
    ClaimTwice(CName, JVal),
    DropClaim(CName),
    /// Sets a time claim to the verification time plus an offset in seconds.
    Time(TimeClaim, i32),
    HeaderShape(Shape),
    PayloadShape(Shape),
    Quirk(Quirk),
    Serialization(Form),
    Signature(SigMutation),
    Profile(Knobs),
    KeySet(KeyMutation),
}

/// How a document is written.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub escape: Escape,
    pub form: DocForm,
    pub spaced: bool,
    pub order: u8,
}

#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeClaim {
    Exp,
    Iat,
    Nbf,
}

impl TimeClaim {
    fn name(self) -> &'static str {
        match self {
            TimeClaim::Exp => "exp",
            TimeClaim::Iat => "iat",
            TimeClaim::Nbf => "nbf",
        }
    }
}

/// What becomes of the signature (any algorithm).
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq)]
pub enum SigMutation {
    BitFlip(u16),
    Zero,
    Empty,
    /// Drops 1 to 8 bytes from the end.
    Truncate(u8),
    /// Appends a zero byte.
    Extend,
    Random([u8; 16]),
    /// Signed by a forge key of the same family that the key set does not hold.
    OtherKey,
    /// `alg` set to this HMAC algorithm, keyed with the key set's public key (PEM or JWK
    /// text): the algorithm-confusion forgery.
    Confusion(HmacAlg, bool),
    /// `alg` set to `none` (or a case variant), no signature.
    Unsigned(StrLit),
    /// ES256: `s` replaced by `n − s` (the other valid signature); others: unchanged.
    HighS,
    /// ECDSA: the DER encoding instead of `r || s`; others: unchanged.
    Der,
}

#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum HmacAlg {
    Hs256,
    Hs384,
    Hs512,
}

/// A change to the key set's signing key.
#[derive(Arbitrary, Clone, Debug)]
pub enum KeyMutation {
    DropMember(KeyMember),
    SetMember(KeyMember, JVal),
    /// The same key again, with another `kid`.
    DuplicateKey(StrLit),
    /// Another forge key of the same family ahead of it under the same `kid`.
    ShadowKey,
}

#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyMember {
    Alg,
    Use,
    KeyOps,
    Kid,
    Kty,
    Crv,
    D,
    X5c,
}

impl KeyMember {
    fn name(self) -> &'static str {
        match self {
            KeyMember::Alg => "alg",
            KeyMember::Use => "use",
            KeyMember::KeyOps => "key_ops",
            KeyMember::Kid => "kid",
            KeyMember::Kty => "kty",
            KeyMember::Crv => "crv",
            KeyMember::D => "d",
            KeyMember::X5c => "x5c",
        }
    }
}

/// A seed and the mutations applied to it.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Its position in the campaign (0-based).
    pub index: u64,
    /// Index into the hunt's seeds.
    pub seed: usize,
    pub mutations: Vec<Mutation>,
}

impl Candidate {
    /// Candidate `index` of the campaign `hunt_seed` over `seeds` seeds: the same numbers give
    /// the same candidate on every machine.
    pub fn generate(hunt_seed: u64, index: u64, seeds: usize) -> Candidate {
        let mut state = hunt_seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F);
        let mut bytes = Vec::with_capacity(ENTROPY_BYTES);
        while bytes.len() < ENTROPY_BYTES {
            bytes.extend_from_slice(&splitmix64(&mut state).to_le_bytes());
        }
        let mut u = Unstructured::new(&bytes);
        let seed = u.choose_index(seeds.max(1)).unwrap_or(0);
        let count = u.int_in_range(1..=MAX_MUTATIONS).unwrap_or(1);
        let mutations = (0..count)
            .filter_map(|_| Mutation::arbitrary(&mut u).ok())
            .collect();
        Candidate {
            index,
            seed,
            mutations,
        }
    }

    /// The same candidate with only the mutations `keep` selects.
    #[must_use]
    pub fn with_mutations(&self, keep: impl Fn(usize) -> bool) -> Candidate {
        Candidate {
            mutations: self
                .mutations
                .iter()
                .enumerate()
                .filter(|(i, _)| keep(*i))
                .map(|(_, m)| m.clone())
                .collect(),
            ..self.clone()
        }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a stateless-seedable generator that needs no crate.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A rendered candidate: the token and the world it is verified in, as a vector whose expected
/// result is not known yet (the reference decides it).
#[derive(Clone, Debug)]
pub struct Rendered {
    pub vector: Vector,
    pub token: Vec<u8>,
}

/// Renders `candidate` on its seed as a vector with ID `id`.
pub fn render(candidate: &Candidate, seed: &Seed, id: String) -> Rendered {
    let mut w = Work::new(seed);
    for m in &candidate.mutations {
        w.apply(m, seed);
    }
    let token = w.token(seed);
    let mut vector = (*seed.vector).clone();
    vector.id = id;
    vector.category = "hunt".to_owned();
    vector.refs = Vec::new();
    vector.flags = Vec::new();
    vector.notes = None;
    vector.rationale = None;
    vector.severity = Severity::Profile;
    vector.jwks = w.jwks;
    vector.profile = w.profile;
    let mut features = vector.features.clone();
    let touched = |name: &str, before: &[(String, Value)], after: &[(String, JVal)]| {
        let old: Vec<Value> = before
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect();
        let new: Vec<Value> = after
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.to_value())
            .collect();
        old != new
    };
    let timed = ["exp", "iat", "nbf"]
        .iter()
        .any(|c| touched(c, &seed.claims, &w.claims));
    let flags = [
        (
            timed || vector.profile.max_lifetime_secs.is_some(),
            Feature::Clock,
        ),
        (
            vector.profile.expected_cat.is_some(),
            Feature::TokenCategory,
        ),
        (touched("typ", &seed.header, &w.header), Feature::Typ),
        (w.keys_touched, Feature::JwksParsing),
    ];
    features.extend(flags.iter().filter(|(on, _)| *on).map(|(_, f)| *f));
    features.sort();
    features.dedup();
    vector.features = features;
    vector.schema_version = crate::corpus::schema_version_of(&vector.profile);
    let spec = match std::str::from_utf8(&token) {
        Ok(text) => TokenSpec::Text(text.to_owned()),
        Err(_) => TokenSpec::Base64(STANDARD.encode(&token)),
    };
    vector.body = Body::Single(Step {
        actions: Vec::new(),
        now: seed.now,
        token: spec,
        expected: Expected::Accept {
            claims: Value::Null,
        },
        acceptable: Vec::new(),
        requests: None,
    });
    Rendered { vector, token }
}

/// A candidate under construction.
struct Work {
    header: Vec<(String, JVal)>,
    claims: Vec<(String, JVal)>,
    header_shape: Shape,
    payload_shape: Shape,
    quirks: Vec<Quirk>,
    form: Form,
    signature: Option<SigMutation>,
    profile: verifier::Profile,
    jwks: Value,
    keys_touched: bool,
}

const PLAIN: Shape = Shape {
    escape: Escape::None,
    form: DocForm::Object,
    spaced: false,
    order: 0,
};

fn kept(members: &[(String, Value)]) -> Vec<(String, JVal)> {
    members
        .iter()
        .map(|(k, v)| (k.clone(), JVal::Json(v.clone())))
        .collect()
}

fn set(members: &mut Vec<(String, JVal)>, name: String, value: JVal) {
    match members.iter_mut().find(|(k, _)| *k == name) {
        Some((_, v)) => *v = value,
        None => members.push((name, value)),
    }
}

impl Work {
    fn new(seed: &Seed) -> Work {
        Work {
            header: kept(&seed.header),
            claims: kept(&seed.claims),
            header_shape: PLAIN,
            payload_shape: PLAIN,
            quirks: Vec::new(),
            form: Form::Compact,
            signature: None,
            profile: seed.vector.profile.clone(),
            jwks: seed.vector.jwks.clone(),
            keys_touched: false,
        }
    }

    fn apply(&mut self, m: &Mutation, seed: &Seed) {
        match m {
            Mutation::Header(n, v) => set(&mut self.header, n.text(), v.clone()),
            Mutation::HeaderTwice(n, v) => self.header.push((n.text(), v.clone())),
            Mutation::DropHeader(n) => self.header.retain(|(k, _)| *k != n.text()),
            Mutation::Claim(n, v) => set(&mut self.claims, n.text(), v.clone()),
            Mutation::ClaimTwice(n, v) => self.claims.push((n.text(), v.clone())),
            Mutation::DropClaim(n) => self.claims.retain(|(k, _)| *k != n.text()),
            Mutation::Time(c, offset) => set(
                &mut self.claims,
                c.name().to_owned(),
                JVal::Json(json!(seed.now + i64::from(*offset))),
            ),
            Mutation::HeaderShape(s) => self.header_shape = *s,
            Mutation::PayloadShape(s) => self.payload_shape = *s,
            Mutation::Quirk(q) => self.quirks.push(*q),
            Mutation::Serialization(f) => self.form = *f,
            Mutation::Signature(s) => self.signature = Some(s.clone()),
            Mutation::Profile(k) => {
                self.profile.leeway_secs = k.leeway_secs();
                self.profile.iat_skew_secs = k.iat_skew_secs();
                self.profile.max_lifetime_secs = k.max_lifetime_secs();
                self.profile.expected_cat = k.expected_cat().map(str::to_owned);
            }
            Mutation::KeySet(k) => {
                self.keys_touched = true;
                self.mutate_keys(k, seed);
            }
        }
    }

    /// The signing key's JWK in the key set (by the header's `kid`, else the only key).
    fn signing_jwk_index(&self, seed: &Seed) -> Option<usize> {
        let kid = seed
            .header
            .iter()
            .find(|(k, _)| k == "kid")
            .and_then(|(_, v)| v.as_str());
        let keys = self.jwks.get("keys")?.as_array()?;
        match kid {
            Some(kid) => keys
                .iter()
                .position(|k| k.get("kid").and_then(Value::as_str) == Some(kid)),
            None => (keys.len() == 1).then_some(0),
        }
    }

    fn mutate_keys(&mut self, m: &KeyMutation, seed: &Seed) {
        let Some(at) = self.signing_jwk_index(seed) else {
            return;
        };
        let Some(keys) = self.jwks.get_mut("keys").and_then(Value::as_array_mut) else {
            return;
        };
        let jwk = keys[at].clone();
        match m {
            KeyMutation::DropMember(member) => {
                if let Some(obj) = keys[at].as_object_mut() {
                    obj.remove(member.name());
                }
            }
            KeyMutation::SetMember(member, value) => {
                if let Some(obj) = keys[at].as_object_mut() {
                    obj.insert(member.name().to_owned(), value.to_value());
                }
            }
            KeyMutation::DuplicateKey(kid) => {
                let mut twin = jwk;
                if let Some(obj) = twin.as_object_mut() {
                    obj.insert("kid".to_owned(), Value::String(kid.text()));
                }
                keys.push(twin);
            }
            KeyMutation::ShadowKey => {
                let kid = jwk.get("kid").and_then(Value::as_str).unwrap_or("");
                let other = other_key(seed).public_jwk(kid, seed.alg);
                keys.insert(at, other);
            }
        }
    }

    fn token(&self, seed: &Seed) -> Vec<u8> {
        let mut header = self.header.clone();
        let alg = match &self.signature {
            Some(SigMutation::Confusion(h, _)) => Some(h.alg()),
            _ => None,
        };
        if let Some(alg) = alg {
            set(&mut header, "alg".to_owned(), JVal::Json(json!(alg.name())));
        }
        if let Some(SigMutation::Unsigned(none)) = &self.signature {
            set(&mut header, "alg".to_owned(), JVal::Str(*none));
        }
        let doc = |members: Vec<(String, JVal)>, s: Shape| {
            Doc::new(members, s.order, s.escape, s.form, s.spaced).render()
        };
        let mut h = forge::b64(doc(header, self.header_shape)).into_bytes();
        let mut p = forge::b64(doc(self.claims.clone(), self.payload_shape)).into_bytes();
        for q in &self.quirks {
            shape::modify(q, Seg::Header, &mut h);
            shape::modify(q, Seg::Payload, &mut p);
        }
        for q in &self.quirks {
            shape::insert(q, Seg::Header, &mut h);
            shape::insert(q, Seg::Payload, &mut p);
        }
        let input = [&h[..], b".", &p[..]].concat();
        let sig = self.signature_bytes(seed, &input);
        let mut s = forge::b64(sig).into_bytes();
        for q in &self.quirks {
            shape::modify(q, Seg::Signature, &mut s);
        }
        for q in &self.quirks {
            shape::insert(q, Seg::Signature, &mut s);
        }
        self.form.assemble(&h, &p, &s)
    }

    fn signature_bytes(&self, seed: &Seed, input: &[u8]) -> Vec<u8> {
        let valid = || forge::alg::sign(seed.alg, &seed.key, input);
        let Some(m) = &self.signature else {
            return valid();
        };
        match m {
            SigMutation::BitFlip(bit) => {
                let mut sig = valid();
                let bit = usize::from(*bit) % (sig.len().max(1) * 8);
                if let Some(b) = sig.get_mut(bit / 8) {
                    *b ^= 1 << (bit % 8);
                }
                sig
            }
            SigMutation::Zero => vec![0; valid().len()],
            SigMutation::Empty | SigMutation::Unsigned(_) => Vec::new(),
            SigMutation::Truncate(n) => {
                let mut sig = valid();
                sig.truncate(sig.len().saturating_sub(1 + usize::from(n % 8)));
                sig
            }
            SigMutation::Extend => {
                let mut sig = valid();
                sig.push(0);
                sig
            }
            SigMutation::Random(bytes) => {
                bytes.repeat(valid().len().div_ceil(16))[..valid().len()].to_vec()
            }
            SigMutation::OtherKey => forge::alg::sign(seed.alg, &other_key(seed), input),
            SigMutation::Confusion(h, jwk_text) => {
                let secret = match (&seed.key, jwk_text) {
                    (AnyKey::Oct(_), _) => return valid(),
                    (key, false) => key.public_pem().unwrap_or_default().into_bytes(),
                    (key, true) => key.public_jwk("k", seed.alg).to_string().into_bytes(),
                };
                forge::alg::sign(h.alg(), &AnyKey::Oct(secret), input)
            }
            SigMutation::HighS => {
                let mut sig = valid();
                let s: Option<[u8; 32]> = sig.get(32..).and_then(|s| s.try_into().ok());
                if let (Alg::ES256, Some(s)) = (seed.alg, s) {
                    sig[32..].copy_from_slice(&forge::sub_be(&forge::ORDER_N, &s));
                }
                sig
            }
            SigMutation::Der => {
                let sig = valid();
                match seed.alg {
                    Alg::ES256 | Alg::ES384 | Alg::ES512 => der(&sig),
                    _ => sig,
                }
            }
        }
    }
}

impl HmacAlg {
    fn alg(self) -> Alg {
        match self {
            HmacAlg::Hs256 => Alg::HS256,
            HmacAlg::Hs384 => Alg::HS384,
            HmacAlg::Hs512 => Alg::HS512,
        }
    }
}

/// A forge key of the seed's family that no corpus key set pins for it.
fn other_key(seed: &Seed) -> AnyKey {
    match &seed.key {
        AnyKey::Rsa(k) => forge::alg::RsaId::ALL
            .iter()
            .map(|id| id.key())
            .find(|other| other.name() != k.name() && other.bits() == k.bits())
            .map_or_else(|| AnyKey::for_alg(seed.alg, "hunt"), AnyKey::Rsa),
        AnyKey::Oct(s) => AnyKey::Oct(s.iter().map(|b| b ^ 0x5a).collect()),
        _ => AnyKey::for_alg(seed.alg, "hunt-outsider"),
    }
}

/// The ASN.1 DER `SEQUENCE { INTEGER r, INTEGER s }` of an `r || s` signature.
fn der(sig: &[u8]) -> Vec<u8> {
    let half = sig.len() / 2;
    let int = |bytes: &[u8]| {
        let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
        let mut v = if trimmed.first().is_some_and(|b| b & 0x80 != 0) {
            vec![0]
        } else {
            Vec::new()
        };
        v.extend(trimmed);
        if v.is_empty() {
            v.push(0);
        }
        let mut out = vec![0x02];
        out.extend(der_len(v.len()));
        out.extend(v);
        out
    };
    let mut body = int(&sig[..half]);
    body.extend(int(&sig[half..]));
    let mut out = vec![0x30];
    out.extend(der_len(body.len()));
    out.extend(body);
    out
}

fn der_len(len: usize) -> Vec<u8> {
    match u8::try_from(len) {
        Ok(l) if l < 0x80 => vec![l],
        Ok(l) => vec![0x81, l],
        Err(_) => {
            let [hi, lo] = u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes();
            vec![0x82, hi, lo]
        }
    }
}
