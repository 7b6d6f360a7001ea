//! Signature rule: the token's `alg` over the signing input with the selected key, before the
//! payload is read.
//!
//! The form of the signature is checked first, by the same code for every backend, so that the
//! backends differ at most in the last step (and `tests/backends.rs` checks that they never do):
//! - ES256/384/512: r || s of exactly 64, 96 or 132 bytes (RFC 7518 §3.4), r and s in [1, n−1]
//!   (CVE-2022-21449's r = s = 0 never reaches a backend);
//! - RS*/PS*: exactly as long as the modulus (RFC 8017 §8.2.2 and §8.1.2, step 1), so no backend
//!   parses a short or padded signature leniently; PSS uses MGF1 with the same hash and a salt as
//!   long as the hash (RFC 7518 §3.5);
//! - EdDSA (Ed25519): 64 bytes whose S is below the group order L (RFC 8032 §5.1.7: a
//!   non-canonical S is refused, so signatures are not malleable) and whose R is not of small
//!   order (as `verify_strict`, decided from R's encoding without decompressing it; RFC 8032
//!   permits the cofactorless check, which some backends pass for R the identity);
//! - HS*: exactly as long as the hash output (no truncated MAC), compared in constant time.
//!
//! Every failure is `signature_invalid` with a fixed detail, and no input panics.
//!
//! High-S policy: ECDSA signatures with s > n/2 are accepted. RFC 7518 §3.4 does not require
//! low-S, common signers do not normalize, Wycheproof marks high-S signatures valid, and JWT
//! replay protection keys on `jti`, never on signature bytes, so malleability gains nothing.
//!
//! Backends: the verification itself runs on the RustCrypto crates (the default, the oracle:
//! `p256`, `p384`, `p521`, `rsa`, `ed25519-dalek`, `hmac`) or, with the cargo feature `aws-lc-rs`
//! or `ring`, on that crate ([`Backend`]). Where a fast backend lacks an algorithm or key size it
//! runs the RustCrypto check for it: `ring` has no P-521 (ES512), and both take RSA moduli of
//! 2048 to 8192 bits only (a smaller key never gets here, `key_too_weak`; a larger one, up to the
//! key set's bound of 16384 bits, is verified by `rsa`).

use std::fmt;
use std::sync::Arc;

use p256::ecdsa::VerifyingKey;

use crate::alg::{Algorithm, KeyFamily};
use crate::b64;
use crate::jwks::KeyDefect;
use crate::reason::{Reason, Rejection, reject};

/// Largest RSA modulus a key may have, in bits: a hostile key set cannot make verification slow.
pub const MAX_RSA_BITS: usize = 16384;
/// RSA public exponents are below 2^33 (the bound `ring`, `aws-lc-rs` and `rsa` share: a huge
/// exponent makes every verification slow).
const MAX_RSA_EXPONENT_BITS: usize = 33;
/// The moduli the fast backends verify (their `RSA_*_2048_8192_*` parameters).
#[cfg_attr(not(any(feature = "ring", feature = "aws-lc-rs")), allow(dead_code))]
const FAST_RSA_BITS: std::ops::RangeInclusive<usize> = 2048..=8192;
/// The order L of the Ed25519 group, little-endian (RFC 8032 §5.1).
const ED25519_L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// A validated verification key of one family, with the forms a fast backend verifies with
/// prepared once (parsing a point costs `aws-lc-rs` about a tenth of a verification, every
/// time), and the JWK `alg` member it was restricted to, if any. Cloning shares the key.
/// `Debug` shows the family and `alg`, never key material.
#[derive(Clone)]
pub struct PublicKey {
    material: Arc<Material>,
    alg: Option<Algorithm>,
}

enum Material {
    P256(Ec<VerifyingKey>),
    P384(Ec<p384::ecdsa::VerifyingKey>),
    P521(Ec<p521::ecdsa::VerifyingKey>),
    Rsa(RsaKey),
    Ed25519(EdKey),
    Hmac(Secret),
}

/// A point of a NIST curve, with its uncompressed SEC1 encoding (what `ring` takes).
struct Ec<K> {
    point: K,
    #[cfg_attr(not(feature = "ring"), allow(dead_code))]
    sec1: Box<[u8]>,
    /// `None` only if `aws-lc-rs` refused a point the RustCrypto crate accepted: every
    /// signature then fails to verify, as parsing the same point per call would, so this is a
    /// cache, never a second opinion.
    #[cfg(feature = "aws-lc-rs")]
    aws_lc: Option<aws_lc_rs::signature::ParsedPublicKey>,
}

struct RsaKey {
    key: rsa::PublicKey,
    /// Big-endian, no leading zero octet (what `ring` and `aws-lc-rs` take).
    n: Box<[u8]>,
    e: Box<[u8]>,
    bits: usize,
    /// One parsed key per RSA algorithm (RS256 … PS512, in [`Algorithm::ALL`] order), when the
    /// modulus is in the fast backends' range.
    #[cfg(feature = "aws-lc-rs")]
    aws_lc: Option<[aws_lc_rs::signature::ParsedPublicKey; 6]>,
}

struct EdKey {
    key: ed25519_dalek::VerifyingKey,
    #[cfg(feature = "aws-lc-rs")]
    aws_lc: Option<aws_lc_rs::signature::ParsedPublicKey>,
}

struct Secret {
    bytes: Box<[u8]>,
    /// The keyed HMAC state for HS256, HS384, HS512.
    #[cfg(feature = "aws-lc-rs")]
    aws_lc: Box<[aws_lc_rs::hmac::Key; 3]>,
}

impl PublicKey {
    /// The key of a P-256 point `p256` has validated (ES256).
    pub fn new(point: VerifyingKey) -> PublicKey {
        let sec1: Box<[u8]> = point.to_sec1_point(false).as_bytes().into();
        PublicKey::of(Material::P256(Ec {
            #[cfg(feature = "aws-lc-rs")]
            aws_lc: aws_lc::parse(&aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED, &sec1),
            point,
            sec1,
        }))
    }

    /// The key of a P-384 point `p384` has validated (ES384).
    pub fn p384(point: p384::ecdsa::VerifyingKey) -> PublicKey {
        let sec1: Box<[u8]> = point.to_sec1_point(false).as_bytes().into();
        PublicKey::of(Material::P384(Ec {
            #[cfg(feature = "aws-lc-rs")]
            aws_lc: aws_lc::parse(&aws_lc_rs::signature::ECDSA_P384_SHA384_FIXED, &sec1),
            point,
            sec1,
        }))
    }

    /// The key of a P-521 point `p521` has validated (ES512).
    pub fn p521(point: p521::ecdsa::VerifyingKey) -> PublicKey {
        let sec1: Box<[u8]> = point.to_sec1_point(false).as_bytes().into();
        PublicKey::of(Material::P521(Ec {
            #[cfg(feature = "aws-lc-rs")]
            aws_lc: aws_lc::parse(&aws_lc_rs::signature::ECDSA_P521_SHA512_FIXED, &sec1),
            point,
            sec1,
        }))
    }

    /// An RSA key from its big-endian modulus and exponent, as a JWK carries them (RFC 7518
    /// §6.3.1). `BadRsaParams` unless: neither has a leading zero octet, `e` is odd with
    /// 3 ≤ e < 2^33, `n` is odd, greater than `e` and at most [`MAX_RSA_BITS`] long. The
    /// modulus size is not judged here: a short key loads and is refused at token time
    /// (`key_too_weak`), as strength belongs to the key with the algorithm.
    pub fn rsa(n: &[u8], e: &[u8]) -> Result<PublicKey, KeyDefect> {
        let canonical = |v: &[u8]| v.first().is_some_and(|&b| b != 0);
        if !canonical(n) || !canonical(e) {
            return Err(KeyDefect::BadRsaParams);
        }
        let bits = bit_length(n);
        let e_bits = bit_length(e);
        let e_odd_at_least_3 = e.last().is_some_and(|&b| b & 1 == 1) && (e_bits > 1);
        if bits > MAX_RSA_BITS || e_bits > MAX_RSA_EXPONENT_BITS || !e_odd_at_least_3 {
            return Err(KeyDefect::BadRsaParams);
        }
        let uint = |v: &[u8]| rsa::BoxedUint::from_be_slice_vartime(v);
        // Checks n odd and e < n (and the bounds above again).
        let key = rsa::PublicKey::new_with_size_limits(uint(n), uint(e), 1..=MAX_RSA_BITS)
            .map_err(|_| KeyDefect::BadRsaParams)?;
        Ok(PublicKey::of(Material::Rsa(RsaKey {
            #[cfg(feature = "aws-lc-rs")]
            aws_lc: FAST_RSA_BITS
                .contains(&bits)
                .then(|| aws_lc::parse_rsa(n, e))
                .flatten(),
            key,
            n: n.into(),
            e: e.into(),
            bits,
        })))
    }

    /// An Ed25519 key from its 32-byte encoding (RFC 8037 §2). `NotOnCurve` unless it is the
    /// canonical encoding of a point of the curve that is not of small order (a small-order
    /// key verifies signatures on many messages, and backends treat it differently).
    pub fn ed25519(x: &[u8; 32]) -> Result<PublicKey, KeyDefect> {
        let key = ed25519_dalek::VerifyingKey::from_bytes(x).map_err(|_| KeyDefect::NotOnCurve)?;
        if key.is_weak() || key.to_edwards().compress().to_bytes() != *x {
            return Err(KeyDefect::NotOnCurve);
        }
        Ok(PublicKey::of(Material::Ed25519(EdKey {
            #[cfg(feature = "aws-lc-rs")]
            aws_lc: aws_lc::parse(&aws_lc_rs::signature::ED25519, x),
            key,
        })))
    }

    /// An HMAC secret (`kty: oct`, RFC 7518 §6.4). `BadSecret` when empty. Its length is not
    /// judged here: a short secret loads and is refused at token time (`key_too_weak`).
    pub fn hmac(secret: &[u8]) -> Result<PublicKey, KeyDefect> {
        if secret.is_empty() {
            return Err(KeyDefect::BadSecret);
        }
        Ok(PublicKey::of(Material::Hmac(Secret {
            #[cfg(feature = "aws-lc-rs")]
            aws_lc: Box::new(
                [
                    aws_lc_rs::hmac::HMAC_SHA256,
                    aws_lc_rs::hmac::HMAC_SHA384,
                    aws_lc_rs::hmac::HMAC_SHA512,
                ]
                .map(|hash| aws_lc_rs::hmac::Key::new(hash, secret)),
            ),
            bytes: secret.into(),
        })))
    }

    fn of(material: Material) -> PublicKey {
        PublicKey {
            material: Arc::new(material),
            alg: None,
        }
    }

    /// The key restricted to one algorithm, as a JWK `alg` member restricts it (RFC 7517 §4.4):
    /// a token with another `alg` is `key_alg_mismatch`.
    pub fn restricted_to(mut self, alg: Algorithm) -> PublicKey {
        self.alg = Some(alg);
        self
    }

    /// The algorithm the key is restricted to, if any.
    pub fn alg(&self) -> Option<Algorithm> {
        self.alg
    }

    /// The key's family.
    pub fn family(&self) -> KeyFamily {
        match &*self.material {
            Material::P256(_) => KeyFamily::P256,
            Material::P384(_) => KeyFamily::P384,
            Material::P521(_) => KeyFamily::P521,
            Material::Rsa(_) => KeyFamily::Rsa,
            Material::Ed25519(_) => KeyFamily::Ed25519,
            Material::Hmac(_) => KeyFamily::Oct,
        }
    }

    /// True when a token signed with `alg` may be checked with this key: the key is of the
    /// algorithm's family and, if restricted, to this algorithm.
    pub fn fits(&self, alg: Algorithm) -> bool {
        self.family() == alg.family() && self.alg.is_none_or(|a| a == alg)
    }

    /// The key's size in bits: the RSA modulus, the HMAC secret, the curve's field.
    pub fn bits(&self) -> usize {
        match &*self.material {
            Material::P256(_) | Material::Ed25519(_) => 256,
            Material::P384(_) => 384,
            Material::P521(_) => 521,
            Material::Rsa(k) => k.bits,
            Material::Hmac(s) => s.bytes.len() * 8,
        }
    }

    /// The point of a P-256 key, as `p256` holds it.
    pub fn point(&self) -> Option<&VerifyingKey> {
        match &*self.material {
            Material::P256(ec) => Some(&ec.point),
            _ => None,
        }
    }
}

/// Bits of a big-endian integer without leading zero octets.
fn bit_length(v: &[u8]) -> usize {
    match v.first() {
        None => 0,
        Some(&first) => v.len() * 8 - first.leading_zeros() as usize,
    }
}

impl From<VerifyingKey> for PublicKey {
    fn from(point: VerifyingKey) -> PublicKey {
        PublicKey::new(point)
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &PublicKey) -> bool {
        let same = match (&*self.material, &*other.material) {
            (Material::P256(a), Material::P256(b)) => a.point == b.point,
            (Material::P384(a), Material::P384(b)) => a.point == b.point,
            (Material::P521(a), Material::P521(b)) => a.point == b.point,
            (Material::Rsa(a), Material::Rsa(b)) => a.n == b.n && a.e == b.e,
            (Material::Ed25519(a), Material::Ed25519(b)) => a.key == b.key,
            (Material::Hmac(a), Material::Hmac(b)) => a.bytes == b.bytes,
            _ => false,
        };
        same && self.alg == other.alg
    }
}

impl Eq for PublicKey {}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("family", &self.family())
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

/// The crate that runs the verification. A build has `P256` and whichever fast backends its
/// features compile in; [`Backend::DEFAULT`] is the fastest of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// The RustCrypto crates, pure Rust: the oracle and the default build's only backend
    /// (`p256` for ES256, hence the name; `p384`, `p521`, `rsa`, `ed25519-dalek` and `hmac` for
    /// the others).
    P256,
    /// `ring` (cargo feature `ring`); ES512, which `ring` lacks, and RSA moduli outside
    /// 2048..=8192 bits run on the RustCrypto crates.
    #[cfg(feature = "ring")]
    Ring,
    /// `aws-lc-rs` (cargo feature `aws-lc-rs`); RSA moduli outside 2048..=8192 bits run on
    /// `rsa`.
    #[cfg(feature = "aws-lc-rs")]
    AwsLcRs,
}

impl Backend {
    /// The backend a [`crate::Verifier`] uses unless told otherwise: `aws-lc-rs` when compiled
    /// in, else `ring`, else the RustCrypto crates.
    #[cfg(feature = "aws-lc-rs")]
    pub const DEFAULT: Backend = Backend::AwsLcRs;
    /// The backend a [`crate::Verifier`] uses unless told otherwise: `aws-lc-rs` when compiled
    /// in, else `ring`, else the RustCrypto crates.
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    pub const DEFAULT: Backend = Backend::Ring;
    /// The backend a [`crate::Verifier`] uses unless told otherwise: `aws-lc-rs` when compiled
    /// in, else `ring`, else the RustCrypto crates.
    #[cfg(not(any(feature = "ring", feature = "aws-lc-rs")))]
    pub const DEFAULT: Backend = Backend::P256;

    /// Every backend of this build, the RustCrypto one first.
    pub const ALL: &'static [Backend] = &[
        Backend::P256,
        #[cfg(feature = "ring")]
        Backend::Ring,
        #[cfg(feature = "aws-lc-rs")]
        Backend::AwsLcRs,
    ];

    /// The crate's name (`p256` for the RustCrypto crates).
    pub fn name(self) -> &'static str {
        match self {
            Backend::P256 => "p256",
            #[cfg(feature = "ring")]
            Backend::Ring => "ring",
            #[cfg(feature = "aws-lc-rs")]
            Backend::AwsLcRs => "aws-lc-rs",
        }
    }

    /// True when `signature` verifies `signing_input` under `key` with `alg` on this backend.
    /// The last step of [`check_signature`], public for the differential test of the backends
    /// (`tests/backends.rs`); it does not repeat the form checks, and a key of another family
    /// than `alg`'s never verifies.
    pub fn verifies(
        self,
        key: &PublicKey,
        alg: Algorithm,
        signing_input: &[u8],
        signature: &[u8],
    ) -> bool {
        match self {
            Backend::P256 => rust_crypto::verifies(key, alg, signing_input, signature),
            #[cfg(feature = "ring")]
            Backend::Ring => ring::verifies(key, alg, signing_input, signature),
            #[cfg(feature = "aws-lc-rs")]
            Backend::AwsLcRs => aws_lc::verifies(key, alg, signing_input, signature),
        }
    }
}

impl Default for Backend {
    fn default() -> Backend {
        Backend::DEFAULT
    }
}

/// `signature_invalid`: canonical base64url of a signature of the form `alg` prescribes (see
/// the module documentation), valid on `backend` for `key`.
pub fn check_signature(
    key: &PublicKey,
    alg: Algorithm,
    signing_input: &[u8],
    segment: &[u8],
    backend: Backend,
) -> Result<(), Rejection> {
    // RSA up to 4096 bits on the stack; longer signatures, rare, on the heap.
    let mut buffer = b64::Decoded::<512>::default();
    let bytes = buffer.decode(segment).ok_or(reject(
        Reason::SignatureInvalid,
        "signature is not canonical base64url",
    ))?;
    check_form(key, alg, bytes)?;
    if backend.verifies(key, alg, signing_input, bytes) {
        Ok(())
    } else {
        Err(reject(
            Reason::SignatureInvalid,
            "signature does not verify",
        ))
    }
}

/// The checks every backend shares: length, and the ranges of r, s and S.
fn check_form(key: &PublicKey, alg: Algorithm, bytes: &[u8]) -> Result<(), Rejection> {
    let fail = |detail| Err(reject(Reason::SignatureInvalid, detail));
    // The key rule has already bound the key to `alg`'s family; this keeps the layer safe alone.
    if key.family() != alg.family() {
        return fail("key is not of the algorithm's family");
    }
    // `from_slice` refuses r or s equal to 0 or at least n (CVE-2022-21449's r = s = 0).
    let range = "r or s outside [1, n-1]";
    match (&*key.material, alg) {
        (Material::P256(_), _) if bytes.len() != 64 => fail("signature is not 64 bytes (r || s)"),
        (Material::P256(_), _) if p256::ecdsa::Signature::from_slice(bytes).is_err() => fail(range),
        (Material::P384(_), _) if bytes.len() != 96 => fail("signature is not 96 bytes (r || s)"),
        (Material::P384(_), _) if p384::ecdsa::Signature::from_slice(bytes).is_err() => fail(range),
        (Material::P521(_), _) if bytes.len() != 132 => fail("signature is not 132 bytes (r || s)"),
        (Material::P521(_), _) if p521::ecdsa::Signature::from_slice(bytes).is_err() => fail(range),
        (Material::Rsa(k), _) if bytes.len() != k.n.len() => {
            fail("signature is not as long as the modulus")
        }
        (Material::Ed25519(_), _) if bytes.len() != 64 => {
            fail("signature is not 64 bytes (R || S)")
        }
        (Material::Ed25519(_), _) if !below_l(&bytes[32..]) => {
            fail("S is not below the group order")
        }
        (Material::Ed25519(_), _) if small_order_r(&bytes[..32]) => fail("R is of small order"),
        (Material::Hmac(_), alg) if bytes.len() * 8 != usize::from(alg.hash_bits()) => {
            fail("MAC is not as long as the hash output")
        }
        _ => Ok(()),
    }
}

/// True when `r` encodes a point of small order. `verify_strict` refuses such an R and `ring`
/// and `aws-lc-rs` do not: with R the identity and S = k·a the owner of a key signs a message
/// whatever it hashes to, so every backend refuses it here, before it runs. Decompressing R to
/// ask would cost more than the rest of the pipeline; the encodings of the eight points of small
/// order are few, so R is compared with them instead.
fn small_order_r(r: &[u8]) -> bool {
    let Ok(r) = <[u8; 32]>::try_from(r) else {
        return false;
    };
    // Whatever the sign bit: a point of small order and its negation are both of small order,
    // and a decompression of x = 0 with the sign bit set yields the same point.
    let y = |i: usize| if i == 31 { r[31] & 0x7f } else { r[i] };
    SMALL_ORDER_Y
        .iter()
        .any(|small| (0..32).all(|i| y(i) == small[i]))
}

/// The y coordinates (little-endian, sign bit clear) that decompress to a point of small order:
/// 0, 1, p − 1 and the two of order 8, and the non-canonical p and p + 1 (y ≥ p is read
/// modulo p, and only 0 and 1 have a second encoding below 2^255). The unit tests derive this
/// list from the torsion subgroup.
const SMALL_ORDER_Y: [[u8; 32]; 7] = [
    // 0 (order 4)
    [0; 32],
    // 1 (order 1)
    [
        1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0,
    ],
    // order 8
    [
        0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98,
        0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53,
        0xfc, 0x05,
    ],
    // order 8
    [
        0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67,
        0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac,
        0x03, 0x7a,
    ],
    // p - 1 (order 2)
    [
        0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0x7f,
    ],
    // p, read as 0 (order 4)
    [
        0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0x7f,
    ],
    // p + 1, read as 1 (order 1)
    [
        0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0x7f,
    ],
];

/// True when the little-endian 32-byte `s` is below the Ed25519 group order L.
fn below_l(s: &[u8]) -> bool {
    s.len() == 32 && s.iter().rev().cmp(ED25519_L.iter().rev()).is_lt()
}

/// The RustCrypto crates: the default backend, and the fallback of the others.
mod rust_crypto {
    use hmac::{Hmac, KeyInit, Mac};
    use p256::ecdsa::signature::Verifier as _;
    use rsa::{Pkcs1v15Sign, Pss};
    use sha2::{Digest, Sha256, Sha384, Sha512};

    use super::{Material, PublicKey};
    use crate::alg::Algorithm;

    pub(super) fn verifies(key: &PublicKey, alg: Algorithm, msg: &[u8], sig: &[u8]) -> bool {
        use Algorithm::*;
        match (&*key.material, alg) {
            (Material::P256(k), ES256) => p256::ecdsa::Signature::from_slice(sig)
                .is_ok_and(|s| k.point.verify(msg, &s).is_ok()),
            (Material::P384(k), ES384) => p384::ecdsa::Signature::from_slice(sig)
                .is_ok_and(|s| k.point.verify(msg, &s).is_ok()),
            (Material::P521(k), ES512) => p521::ecdsa::Signature::from_slice(sig)
                .is_ok_and(|s| k.point.verify(msg, &s).is_ok()),
            (Material::Rsa(k), RS256) => {
                let hash = Sha256::digest(msg);
                k.key
                    .verify(Pkcs1v15Sign::new::<Sha256>(), &hash, sig)
                    .is_ok()
            }
            (Material::Rsa(k), RS384) => {
                let hash = Sha384::digest(msg);
                k.key
                    .verify(Pkcs1v15Sign::new::<Sha384>(), &hash, sig)
                    .is_ok()
            }
            (Material::Rsa(k), RS512) => {
                let hash = Sha512::digest(msg);
                k.key
                    .verify(Pkcs1v15Sign::new::<Sha512>(), &hash, sig)
                    .is_ok()
            }
            // `Pss::new`: MGF1 with the same hash, salt as long as the hash (RFC 7518 §3.5).
            (Material::Rsa(k), PS256) => {
                let hash = Sha256::digest(msg);
                k.key.verify(Pss::<Sha256>::new(), &hash, sig).is_ok()
            }
            (Material::Rsa(k), PS384) => {
                let hash = Sha384::digest(msg);
                k.key.verify(Pss::<Sha384>::new(), &hash, sig).is_ok()
            }
            (Material::Rsa(k), PS512) => {
                let hash = Sha512::digest(msg);
                k.key.verify(Pss::<Sha512>::new(), &hash, sig).is_ok()
            }
            // What `verify_strict` adds to `verify` is done once for every backend, before it
            // runs: S < L and R not of small order (`check_form`), the key not of small order
            // (`PublicKey::ed25519`); both compare the recomputed R with R's bytes. Deciding R
            // again here would decompress it for nothing.
            (Material::Ed25519(k), EdDSA) => ed25519_dalek::Signature::from_slice(sig)
                .is_ok_and(|s| ed25519_dalek::Verifier::verify(&k.key, msg, &s).is_ok()),
            // `verify_slice`: the whole tag, compared in constant time.
            (Material::Hmac(s), HS256) => hmac::<Sha256>(&s.bytes, msg, sig),
            (Material::Hmac(s), HS384) => hmac::<Sha384>(&s.bytes, msg, sig),
            (Material::Hmac(s), HS512) => hmac::<Sha512>(&s.bytes, msg, sig),
            _ => false,
        }
    }

    fn hmac<D>(secret: &[u8], msg: &[u8], tag: &[u8]) -> bool
    where
        Hmac<D>: KeyInit + Mac,
        D: hmac::EagerHash,
    {
        <Hmac<D> as KeyInit>::new_from_slice(secret).is_ok_and(|mut mac| {
            mac.update(msg);
            mac.verify_slice(tag).is_ok()
        })
    }
}

/// `ring`: no parsed-key type, so each verification parses the key.
#[cfg(feature = "ring")]
mod ring {
    use ring::signature::{self as sig, RsaPublicKeyComponents, UnparsedPublicKey};

    use super::{FAST_RSA_BITS, Material, PublicKey, rust_crypto};
    use crate::alg::Algorithm;

    pub(super) fn verifies(key: &PublicKey, alg: Algorithm, msg: &[u8], signature: &[u8]) -> bool {
        use Algorithm::*;
        let rsa = |k: &super::RsaKey, params: &'static sig::RsaParameters| {
            RsaPublicKeyComponents { n: &k.n, e: &k.e }
                .verify(params, msg, signature)
                .is_ok()
        };
        let hmac = |secret: &[u8], hash| {
            ring::hmac::verify(&ring::hmac::Key::new(hash, secret), msg, signature).is_ok()
        };
        match (&*key.material, alg) {
            (Material::P256(k), ES256) => {
                UnparsedPublicKey::new(&sig::ECDSA_P256_SHA256_FIXED, &k.sec1)
                    .verify(msg, signature)
                    .is_ok()
            }
            (Material::P384(k), ES384) => {
                UnparsedPublicKey::new(&sig::ECDSA_P384_SHA384_FIXED, &k.sec1)
                    .verify(msg, signature)
                    .is_ok()
            }
            (Material::Rsa(k), _) if FAST_RSA_BITS.contains(&k.bits) => match alg {
                RS256 => rsa(k, &sig::RSA_PKCS1_2048_8192_SHA256),
                RS384 => rsa(k, &sig::RSA_PKCS1_2048_8192_SHA384),
                RS512 => rsa(k, &sig::RSA_PKCS1_2048_8192_SHA512),
                PS256 => rsa(k, &sig::RSA_PSS_2048_8192_SHA256),
                PS384 => rsa(k, &sig::RSA_PSS_2048_8192_SHA384),
                PS512 => rsa(k, &sig::RSA_PSS_2048_8192_SHA512),
                _ => false,
            },
            (Material::Ed25519(k), EdDSA) => {
                UnparsedPublicKey::new(&sig::ED25519, k.key.as_bytes())
                    .verify(msg, signature)
                    .is_ok()
            }
            (Material::Hmac(s), HS256) => hmac(&s.bytes, ring::hmac::HMAC_SHA256),
            (Material::Hmac(s), HS384) => hmac(&s.bytes, ring::hmac::HMAC_SHA384),
            (Material::Hmac(s), HS512) => hmac(&s.bytes, ring::hmac::HMAC_SHA512),
            // ES512 (no P-521 in `ring`), RSA moduli outside its range, a mismatched pair.
            _ => rust_crypto::verifies(key, alg, msg, signature),
        }
    }
}

/// `aws-lc-rs`, on the keys parsed once when the key was built.
#[cfg(feature = "aws-lc-rs")]
mod aws_lc {
    use aws_lc_rs::signature::{self as sig, ParsedPublicKey, RsaPublicKeyComponents};

    use super::{FAST_RSA_BITS, Material, PublicKey, rust_crypto};
    use crate::alg::Algorithm;

    /// The parsed key, or `None` if `aws-lc-rs` refuses it.
    pub(super) fn parse(
        alg: &'static dyn sig::VerificationAlgorithm,
        bytes: &[u8],
    ) -> Option<ParsedPublicKey> {
        ParsedPublicKey::new(alg, bytes).ok()
    }

    /// The six RSA parsed keys, in RS256 … PS512 order, or `None` if `aws-lc-rs` refuses one.
    pub(super) fn parse_rsa(n: &[u8], e: &[u8]) -> Option<[ParsedPublicKey; 6]> {
        let parse = |params| {
            RsaPublicKeyComponents { n, e }
                .to_parsed_public_key(params)
                .ok()
        };
        Some([
            parse(&sig::RSA_PKCS1_2048_8192_SHA256)?,
            parse(&sig::RSA_PKCS1_2048_8192_SHA384)?,
            parse(&sig::RSA_PKCS1_2048_8192_SHA512)?,
            parse(&sig::RSA_PSS_2048_8192_SHA256)?,
            parse(&sig::RSA_PSS_2048_8192_SHA384)?,
            parse(&sig::RSA_PSS_2048_8192_SHA512)?,
        ])
    }

    pub(super) fn verifies(key: &PublicKey, alg: Algorithm, msg: &[u8], signature: &[u8]) -> bool {
        use Algorithm::*;
        let parsed = |p: &Option<ParsedPublicKey>| {
            p.as_ref()
                .is_some_and(|p| p.verify_sig(msg, signature).is_ok())
        };
        let hmac = |key| aws_lc_rs::hmac::verify(key, msg, signature).is_ok();
        let rsa_index = match alg {
            RS256 => Some(0),
            RS384 => Some(1),
            RS512 => Some(2),
            PS256 => Some(3),
            PS384 => Some(4),
            PS512 => Some(5),
            _ => None,
        };
        match (&*key.material, alg) {
            (Material::P256(k), ES256) => parsed(&k.aws_lc),
            (Material::P384(k), ES384) => parsed(&k.aws_lc),
            (Material::P521(k), ES512) => parsed(&k.aws_lc),
            (Material::Rsa(k), _) if FAST_RSA_BITS.contains(&k.bits) => {
                match (&k.aws_lc, rsa_index) {
                    (Some(keys), Some(i)) => keys[i].verify_sig(msg, signature).is_ok(),
                    _ => false,
                }
            }
            (Material::Ed25519(k), EdDSA) => parsed(&k.aws_lc),
            (Material::Hmac(s), HS256) => hmac(&s.aws_lc[0]),
            (Material::Hmac(s), HS384) => hmac(&s.aws_lc[1]),
            (Material::Hmac(s), HS512) => hmac(&s.aws_lc[2]),
            // RSA moduli outside its range, a mismatched pair.
            _ => rust_crypto::verifies(key, alg, msg, signature),
        }
    }
}

#[cfg(test)]
mod small_order_tests {
    use curve25519_dalek::constants::EIGHT_TORSION;

    use super::*;

    /// Decompresses R and asks, as the check did before the table.
    fn decompressed_small_order(r: &[u8; 32]) -> bool {
        ed25519_dalek::VerifyingKey::from_bytes(r).is_ok_and(|point| point.is_weak())
    }

    /// The table is exactly the y coordinates of the torsion subgroup, canonical and, for y < 19,
    /// also + p (the only non-canonical encodings below 2^255).
    #[test]
    fn the_table_is_the_torsion_subgroup() {
        let mut want: Vec<[u8; 32]> = Vec::new();
        for point in EIGHT_TORSION {
            let mut y = point.compress().to_bytes();
            y[31] &= 0x7f;
            let small = y[1..].iter().all(|&b| b == 0) && y[0] < 19;
            if small {
                // y + p: p = 2^255 - 19 is 0xed, 0xff…, 0x7f.
                let mut plus_p = [0xff; 32];
                plus_p[0] = 0xed + y[0];
                plus_p[31] = 0x7f;
                want.push(plus_p);
            }
            want.push(y);
        }
        want.sort_unstable();
        want.dedup();
        let mut got = SMALL_ORDER_Y.to_vec();
        got.sort_unstable();
        assert_eq!(got, want);
    }

    /// Every table entry, with either sign bit, is what decompression calls small order; and
    /// points that are not (R of real signatures, the base point, random encodings) are not.
    #[test]
    fn the_table_agrees_with_decompression() {
        for y in SMALL_ORDER_Y {
            for sign in [0, 0x80] {
                let mut r = y;
                r[31] |= sign;
                assert!(small_order_r(&r), "{r:02x?}");
                assert!(decompressed_small_order(&r), "{r:02x?}");
            }
        }
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..2000 {
            let r: [u8; 32] = std::array::from_fn(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            });
            assert_eq!(small_order_r(&r), decompressed_small_order(&r), "{r:02x?}");
        }
        assert!(!small_order_r(&[0; 31]), "not 32 bytes");
    }
}
