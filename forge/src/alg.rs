//! Keys and signatures for every JWS algorithm (RFC 7518 §3, RFC 8037 §3.1), all deterministic:
//! - RSA keys are stored files (`keys/*.pem`, PKCS#8), generated once: key generation depends on
//!   the `rsa` crate's prime search, the files do not;
//! - P-384, P-521 and Ed25519 keys and HMAC secrets derive from names through SHA-2;
//! - PKCS#1 v1.5 and Ed25519 signatures are deterministic by construction, ECDSA follows
//!   RFC 6979, and a PSS salt comes from ChaCha20 seeded with SHA-256 of the key name and the
//!   signing input, so minting the same token twice gives the same bytes.
//!
//! The algorithm is forge's own [`Alg`] (mapped by name from the verifier's `Algorithm`): the
//! verifier's tests depend on forge, and minting must not depend on the code it tests.

use std::fmt;
use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20::ChaCha20Rng;
use chacha20::rand_core::SeedableRng;
use p256::pkcs8::EncodePublicKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{RandomizedSigner, SignatureEncoding, Signer};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use serde_json::{Value, json};
use sha2::{Digest, Sha256, Sha384, Sha512};

pub use ed25519_dalek;
pub use p384;
pub use p521;
pub use rsa;

use crate::b64;

/// A JWS `alg` forge can sign with; the name is the registered value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Alg {
    ES256,
    ES384,
    ES512,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    EdDSA,
    HS256,
    HS384,
    HS512,
}

impl Alg {
    /// Every algorithm, in the verifier's order (RFC 7518's table, EdDSA after the RSA ones).
    pub const ALL: [Alg; 13] = [
        Alg::ES256,
        Alg::ES384,
        Alg::ES512,
        Alg::RS256,
        Alg::RS384,
        Alg::RS512,
        Alg::PS256,
        Alg::PS384,
        Alg::PS512,
        Alg::EdDSA,
        Alg::HS256,
        Alg::HS384,
        Alg::HS512,
    ];

    /// The registered `alg` value.
    pub const fn name(self) -> &'static str {
        match self {
            Alg::ES256 => "ES256",
            Alg::ES384 => "ES384",
            Alg::ES512 => "ES512",
            Alg::RS256 => "RS256",
            Alg::RS384 => "RS384",
            Alg::RS512 => "RS512",
            Alg::PS256 => "PS256",
            Alg::PS384 => "PS384",
            Alg::PS512 => "PS512",
            Alg::EdDSA => "EdDSA",
            Alg::HS256 => "HS256",
            Alg::HS384 => "HS384",
            Alg::HS512 => "HS512",
        }
    }

    /// The algorithm with this exact name.
    pub fn from_name(name: &str) -> Option<Alg> {
        Alg::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The SHA-2 output size in bits (EdDSA: SHA-512, internal to Ed25519).
    pub const fn hash_bits(self) -> u16 {
        match self {
            Alg::ES256 | Alg::RS256 | Alg::PS256 | Alg::HS256 => 256,
            Alg::ES384 | Alg::RS384 | Alg::PS384 | Alg::HS384 => 384,
            Alg::ES512 | Alg::RS512 | Alg::PS512 | Alg::EdDSA | Alg::HS512 => 512,
        }
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The P-384 key named `name`: SHA-384 of a fixed label and the name, re-hashed in the
/// negligible case that the digest is not a valid scalar.
pub fn p384_key(name: &str) -> p384::ecdsa::SigningKey {
    let mut seed: [u8; 48] = Sha384::digest(format!("jwt-conformance/p384/{name}")).into();
    loop {
        if let Ok(key) = p384::ecdsa::SigningKey::from_slice(&seed) {
            return key;
        }
        seed = Sha384::digest(seed).into();
    }
}

/// The P-521 key named `name`: SHA-512 of a fixed label and the name as the low 64 bytes of
/// the 66-byte scalar (always below the order; re-hashed in the negligible case of zero).
pub fn p521_key(name: &str) -> p521::ecdsa::SigningKey {
    let mut digest: [u8; 64] = Sha512::digest(format!("jwt-conformance/p521/{name}")).into();
    loop {
        let mut scalar = [0u8; 66];
        scalar[2..].copy_from_slice(&digest);
        if let Ok(key) = p521::ecdsa::SigningKey::from_slice(&scalar) {
            return key;
        }
        digest = Sha512::digest(digest).into();
    }
}

/// The Ed25519 key named `name`: its 32-byte seed (RFC 8032 §5.1.5) is SHA-256 of a fixed
/// label and the name (every 32-byte string is a valid seed).
pub fn ed25519_key(name: &str) -> ed25519_dalek::SigningKey {
    let seed: [u8; 32] = Sha256::digest(format!("jwt-conformance/ed25519/{name}")).into();
    ed25519_dalek::SigningKey::from_bytes(&seed)
}

/// The `len`-byte HMAC secret named `name`: SHA-512 of a fixed label, the name and a block
/// counter, block after block (so a longer secret of a name extends a shorter one).
pub fn secret(name: &str, len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 64);
    let mut block = 0u32;
    while out.len() < len {
        let mut h = Sha512::new();
        h.update(format!("jwt-conformance/hmac/{name}/").as_bytes());
        h.update(block.to_be_bytes());
        out.extend_from_slice(&h.finalize());
        block += 1;
    }
    out.truncate(len);
    out
}

/// One of the stored RSA keys of `keys/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RsaId {
    /// 2048 bits, e = 65537: the RSA key of baseline tokens.
    Rsa2048,
    /// 3072 bits, e = 65537.
    Rsa3072,
    /// 4096 bits, e = 65537.
    Rsa4096,
    /// 1024 bits, e = 65537: below the 2048-bit minimum of RFC 7518 §3.3.
    Weak1024,
    /// 2048 bits, e = 3: the small exponent of Bleichenbacher's 2006 forgery.
    E3,
}

impl RsaId {
    pub const ALL: [RsaId; 5] = [
        RsaId::Rsa2048,
        RsaId::Rsa3072,
        RsaId::Rsa4096,
        RsaId::Weak1024,
        RsaId::E3,
    ];

    /// The key's name: its file stem under `keys/` and its PSS seed label.
    pub const fn name(self) -> &'static str {
        match self {
            RsaId::Rsa2048 => "rsa-2048",
            RsaId::Rsa3072 => "rsa-3072",
            RsaId::Rsa4096 => "rsa-4096",
            RsaId::Weak1024 => "rsa-1024",
            RsaId::E3 => "rsa-2048-e3",
        }
    }

    const fn pem(self) -> &'static str {
        match self {
            RsaId::Rsa2048 => include_str!("../keys/rsa-2048.pem"),
            RsaId::Rsa3072 => include_str!("../keys/rsa-3072.pem"),
            RsaId::Rsa4096 => include_str!("../keys/rsa-4096.pem"),
            RsaId::Weak1024 => include_str!("../keys/rsa-1024.pem"),
            RsaId::E3 => include_str!("../keys/rsa-2048-e3.pem"),
        }
    }

    /// The key, parsed once.
    pub fn key(self) -> &'static RsaKey {
        static KEYS: [OnceLock<RsaKey>; 5] = [const { OnceLock::new() }; 5];
        KEYS[self as usize].get_or_init(|| RsaKey {
            name: self.name(),
            private: rsa::PrivateKey::from_pkcs8_pem(self.pem())
                .expect("forge/keys/*.pem are valid PKCS#8 RSA keys"),
        })
    }
}

/// A stored RSA private key with its name (the PSS salt seed includes it).
pub struct RsaKey {
    name: &'static str,
    private: rsa::PrivateKey,
}

impl fmt::Debug for RsaKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RsaKey({})", self.name)
    }
}

impl RsaKey {
    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn private(&self) -> &rsa::PrivateKey {
        &self.private
    }

    pub fn public(&self) -> rsa::PublicKey {
        self.private.to_public_key()
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.private.size() * 8
    }

    /// The modulus `n`, big-endian, without leading zero octets (RFC 7518 §6.3.1.1).
    pub fn n(&self) -> Vec<u8> {
        self.private.n_bytes().into_vec()
    }

    /// The public exponent `e`, big-endian, without leading zero octets.
    pub fn e(&self) -> Vec<u8> {
        self.private.e_bytes().into_vec()
    }

    fn pkcs1v15(&self, alg: Alg, input: &[u8]) -> Vec<u8> {
        use rsa::pkcs1v15::SigningKey;
        let key = self.private.clone();
        match alg.hash_bits() {
            384 => SigningKey::<Sha384>::new(key).sign(input).to_vec(),
            512 => SigningKey::<Sha512>::new(key).sign(input).to_vec(),
            _ => SigningKey::<Sha256>::new(key).sign(input).to_vec(),
        }
    }

    /// RSASSA-PSS with MGF1 over the same hash and a salt as long as the hash (RFC 7518 §3.5),
    /// drawn from ChaCha20 seeded with SHA-256 of the key name and the signing input.
    fn pss(&self, alg: Alg, input: &[u8]) -> Vec<u8> {
        use rsa::pss::SigningKey;
        let mut seed = Sha256::new();
        seed.update(format!("jwt-conformance/pss/{}/", self.name).as_bytes());
        seed.update(input);
        let rng = &mut ChaCha20Rng::from_seed(seed.finalize().into());
        let key = self.private.clone();
        match alg.hash_bits() {
            384 => SigningKey::<Sha384>::new(key)
                .sign_with_rng(rng, input)
                .to_vec(),
            512 => SigningKey::<Sha512>::new(key)
                .sign_with_rng(rng, input)
                .to_vec(),
            _ => SigningKey::<Sha256>::new(key)
                .sign_with_rng(rng, input)
                .to_vec(),
        }
    }
}

/// A signing key of any family: what [`sign`] takes.
#[derive(Clone)]
pub enum AnyKey {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    P521(p521::ecdsa::SigningKey),
    Rsa(&'static RsaKey),
    Ed25519(ed25519_dalek::SigningKey),
    /// An HMAC secret: any bytes, including the PEM of a public key (algorithm confusion).
    Oct(Vec<u8>),
}

impl fmt::Debug for AnyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnyKey::Rsa(k) => write!(f, "AnyKey::Rsa({})", k.name),
            AnyKey::Oct(s) => write!(f, "AnyKey::Oct({} bytes)", s.len()),
            _ => write!(f, "AnyKey::{}", self.kind()),
        }
    }
}

impl AnyKey {
    /// The named key of the family `alg` signs with: P-256, P-384, P-521 or Ed25519 from the
    /// name, an HMAC secret as long as the hash (RFC 7518 §3.2's minimum) from the name, and
    /// for RS*/PS* the stored 2048-bit key, whatever the name (RSA keys are not derived).
    pub fn for_alg(alg: Alg, name: &str) -> AnyKey {
        match alg {
            Alg::ES256 => AnyKey::P256(crate::key(name)),
            Alg::ES384 => AnyKey::P384(p384_key(name)),
            Alg::ES512 => AnyKey::P521(p521_key(name)),
            Alg::RS256 | Alg::RS384 | Alg::RS512 | Alg::PS256 | Alg::PS384 | Alg::PS512 => {
                AnyKey::Rsa(RsaId::Rsa2048.key())
            }
            Alg::EdDSA => AnyKey::Ed25519(ed25519_key(name)),
            Alg::HS256 | Alg::HS384 | Alg::HS512 => {
                AnyKey::Oct(secret(name, usize::from(alg.hash_bits() / 8)))
            }
        }
    }

    /// A short name of the key's family, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            AnyKey::P256(_) => "P-256",
            AnyKey::P384(_) => "P-384",
            AnyKey::P521(_) => "P-521",
            AnyKey::Rsa(_) => "RSA",
            AnyKey::Ed25519(_) => "Ed25519",
            AnyKey::Oct(_) => "oct",
        }
    }

    /// The JWK members that describe the public key (no `kid`, `use` or `alg`); for an HMAC
    /// secret that is the secret itself, `k`.
    fn public_members(&self) -> Value {
        match self {
            AnyKey::P256(k) => {
                let (x, y) = crate::coordinates(k.verifying_key());
                json!({"kty": "EC", "crv": "P-256", "x": b64(x), "y": b64(y)})
            }
            AnyKey::P384(k) => {
                ec_members("P-384", k.verifying_key().to_sec1_point(false).as_bytes())
            }
            AnyKey::P521(k) => {
                ec_members("P-521", k.verifying_key().to_sec1_point(false).as_bytes())
            }
            AnyKey::Rsa(k) => json!({"kty": "RSA", "n": b64(k.n()), "e": b64(k.e())}),
            AnyKey::Ed25519(k) => {
                json!({"kty": "OKP", "crv": "Ed25519", "x": b64(k.verifying_key().to_bytes())})
            }
            AnyKey::Oct(s) => json!({"kty": "oct", "k": b64(s)}),
        }
    }

    /// The public JWK with `kid`, `use: sig` and `alg` (any `alg`, so that a JWK whose `alg`
    /// disagrees with its key can be written too). For P-256 under ES256 this is exactly
    /// [`crate::public_jwk`].
    pub fn public_jwk(&self, kid: &str, alg: Alg) -> Value {
        let mut jwk = self.public_members();
        jwk["kid"] = json!(kid);
        jwk["use"] = json!("sig");
        jwk["alg"] = json!(alg.name());
        jwk
    }

    /// The public JWK with the private members added (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2).
    pub fn private_jwk(&self, kid: &str, alg: Alg) -> Value {
        let mut jwk = self.public_jwk(kid, alg);
        match self {
            AnyKey::P256(k) => jwk["d"] = json!(b64(k.to_bytes())),
            AnyKey::P384(k) => jwk["d"] = json!(b64(k.to_bytes())),
            AnyKey::P521(k) => jwk["d"] = json!(b64(k.to_bytes())),
            AnyKey::Ed25519(k) => jwk["d"] = json!(b64(k.to_bytes())),
            AnyKey::Rsa(k) => {
                let key = &k.private;
                let uint = |v: &rsa::BoxedUint| b64(v.to_be_bytes_trimmed_vartime());
                let primes = key.primes();
                jwk["d"] = json!(uint(key.d()));
                jwk["p"] = json!(uint(primes[0].as_ref()));
                jwk["q"] = json!(uint(primes[1].as_ref()));
                jwk["dp"] = json!(uint(key.dp().expect("precomputed at load")));
                jwk["dq"] = json!(uint(key.dq().expect("precomputed at load")));
                jwk["qi"] = json!(uint(&key.crt_coefficient().expect("two primes")));
            }
            AnyKey::Oct(_) => {}
        }
        jwk
    }

    /// The public key as SPKI DER (RFC 5280 §4.1.2.7; Ed25519: RFC 8410 §4): the bytes an
    /// algorithm-confusion attacker uses as an HMAC secret. `None` for an HMAC secret.
    pub fn public_der(&self) -> Option<Vec<u8>> {
        fn der(r: Result<p256::pkcs8::Document, p256::pkcs8::spki::Error>) -> Vec<u8> {
            r.expect("SPKI encoding of a valid key").as_bytes().to_vec()
        }
        Some(match self {
            AnyKey::P256(k) => crate::public_der(k.verifying_key()),
            AnyKey::P384(k) => der(k.verifying_key().to_public_key_der()),
            AnyKey::P521(k) => der(k.verifying_key().to_public_key_der()),
            AnyKey::Rsa(k) => der(k.public().to_public_key_der()),
            AnyKey::Ed25519(k) => {
                // SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING { 32-byte key } }
                let mut out = vec![
                    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
                ];
                out.extend_from_slice(&k.verifying_key().to_bytes());
                out
            }
            AnyKey::Oct(_) => return None,
        })
    }

    /// The public key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`, 64-column lines, LF), the
    /// other common form of an algorithm-confusion secret. `None` for an HMAC secret.
    pub fn public_pem(&self) -> Option<String> {
        let der = self.public_der()?;
        let body = STANDARD.encode(der);
        let mut pem = String::from("-----BEGIN PUBLIC KEY-----\n");
        for line in body.as_bytes().chunks(64) {
            pem.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
            pem.push('\n');
        }
        pem.push_str("-----END PUBLIC KEY-----\n");
        Some(pem)
    }
}

fn ec_members(crv: &str, point: &[u8]) -> Value {
    let coordinate_len = (point.len() - 1) / 2;
    let (x, y) = point[1..].split_at(coordinate_len);
    json!({"kty": "EC", "crv": crv, "x": b64(x), "y": b64(y)})
}

/// A JWK Set of public JWKs, each `(kid, key, alg)`.
pub fn jwks_of(keys: &[(&str, &AnyKey, Alg)]) -> Value {
    let keys: Vec<Value> = keys
        .iter()
        .map(|(kid, key, alg)| key.public_jwk(kid, *alg))
        .collect();
    json!({ "keys": keys })
}

/// The JWS signature of `input` under `alg` with `key`, in its JWS form (ECDSA: r || s,
/// RFC 7518 §3.4; RSA: as long as the modulus; HMAC: the full MAC). Deterministic: the same
/// arguments give the same bytes on every run.
///
/// # Panics
/// When the key is not of `alg`'s family (ES256 takes P-256, ES384 P-384, ES512 P-521, RS*/PS*
/// RSA, EdDSA Ed25519, HS* an HMAC secret): such a signature does not exist. To forge an
/// HMAC under a public key, pass [`AnyKey::Oct`] of [`AnyKey::public_pem`].
pub fn sign(alg: Alg, key: &AnyKey, input: &[u8]) -> Vec<u8> {
    match (alg, key) {
        (Alg::ES256, AnyKey::P256(k)) => crate::es256(k, input).to_vec(),
        (Alg::ES384, AnyKey::P384(k)) => {
            let signature: p384::ecdsa::Signature = k.sign(input);
            signature.to_bytes().to_vec()
        }
        (Alg::ES512, AnyKey::P521(k)) => {
            let signature: p521::ecdsa::Signature = k.sign(input);
            signature.to_bytes().to_vec()
        }
        (Alg::RS256 | Alg::RS384 | Alg::RS512, AnyKey::Rsa(k)) => k.pkcs1v15(alg, input),
        (Alg::PS256 | Alg::PS384 | Alg::PS512, AnyKey::Rsa(k)) => k.pss(alg, input),
        (Alg::EdDSA, AnyKey::Ed25519(k)) => {
            ed25519_dalek::Signer::sign(k, input).to_bytes().to_vec()
        }
        (Alg::HS256 | Alg::HS384 | Alg::HS512, AnyKey::Oct(s)) => {
            crate::hmac(alg.hash_bits(), s, input)
        }
        _ => panic!("forge::sign: {alg} does not sign with a {} key", key.kind()),
    }
}
