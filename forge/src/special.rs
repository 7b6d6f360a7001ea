//! Special values for the signature edge cases of EdDSA, ES384 and ES512.
//!
//! - Ed25519 (RFC 8032 §5.1): the group order L and the field prime p as little-endian octets;
//!   the eight points of small order in their canonical encodings and the six non-canonical
//!   encodings of those points (y ≥ p, or x = 0 with the sign bit set: RFC 8032 §5.1.3's
//!   decoding fails on both); S + k·L; signatures built around a chosen R (the identity, a
//!   point with a torsion component) and keys with a torsion component; the cofactored and the
//!   cofactorless verification equations of RFC 8032 §5.1.7, step 3, to choose payloads with.
//! - P-384 and P-521: the group orders n and field primes p (SEC 2 §2.5.1, §2.6.1), big-endian
//!   arithmetic of any width for special r and s values, and the ASN.1 DER form of (r, s)
//!   that RFC 7518 §3.4 does not use.
//!
//! Everything is a pure function of its inputs: byte-identical on every run.

use curve25519_dalek::constants::EIGHT_TORSION;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use ed25519_dalek::SigningKey;
use sha2::{Digest, Sha512};

/// The Ed25519 group order L = 2^252 + 27742317777372353535851937790883648493, little-endian.
pub const ED25519_L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// The Ed25519 field prime p = 2^255 − 19, little-endian.
pub const ED25519_P: [u8; 32] = {
    let mut p = [0xff; 32];
    p[0] = 0xed;
    p[31] = 0x7f;
    p
};

/// An encoding of a point of small order (or of an attempt at one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SmallOrder {
    /// A slug for vector IDs.
    pub slug: &'static str,
    /// What it is, for descriptions.
    pub what: &'static str,
    /// The 32 octets.
    pub bytes: [u8; 32],
    /// The order of the point a lenient decoder reads (1, 2, 4 or 8).
    pub order: u8,
    /// Whether RFC 8032 §5.1.3 decodes it (canonical: y < p, and not x = 0 with the sign bit).
    pub canonical: bool,
}

/// `bytes` with the sign bit (bit 255) set.
const fn with_sign(mut bytes: [u8; 32]) -> [u8; 32] {
    bytes[31] |= 0x80;
    bytes
}

/// p + `v` (v < 19), little-endian: a y-coordinate ≥ p that a lenient decoder reduces to `v`.
const fn p_plus(v: u8) -> [u8; 32] {
    let mut out = ED25519_P;
    out[0] += v;
    out
}

/// The eight points of small order, canonically encoded (EIGHT_TORSION\[i\] has order
/// 8 / gcd(i, 8)), in the order of the torsion subgroup's generator's multiples.
pub fn small_order_points() -> Vec<SmallOrder> {
    const SLUGS: [(&str, &str); 8] = [
        ("identity", "the identity (0, 1), order 1"),
        ("order8-a", "a point of order 8"),
        ("order4-a", "a point of order 4 (y = 0)"),
        ("order8-b", "a second point of order 8"),
        ("order2", "the point (0, −1) of order 2"),
        ("order8-c", "a third point of order 8"),
        ("order4-b", "the other point of order 4 (y = 0, x negative)"),
        ("order8-d", "a fourth point of order 8"),
    ];
    EIGHT_TORSION
        .iter()
        .zip(SLUGS)
        .enumerate()
        .map(|(i, (point, (slug, what)))| SmallOrder {
            slug,
            what,
            bytes: point.compress().to_bytes(),
            order: [1, 8, 4, 8, 2, 8, 4, 8][i],
            canonical: true,
        })
        .collect()
}

/// The six non-canonical encodings of small-order points: y = p + 1 (the identity), y = p
/// (the points of order 4), and x = 0 with the sign bit set (the identity, the point of
/// order 2, and y = p + 1). RFC 8032 §5.1.3 fails to decode every one.
pub fn non_canonical_small_order() -> Vec<SmallOrder> {
    let identity = {
        let mut b = [0u8; 32];
        b[0] = 1;
        b
    };
    let minus_one = {
        let mut b = ED25519_P;
        b[0] -= 1;
        b
    };
    let v = |slug, what, bytes, order| SmallOrder {
        slug,
        what,
        bytes,
        order,
        canonical: false,
    };
    vec![
        v(
            "identity-sign-bit",
            "the identity with the sign bit set (x = 0, x_0 = 1)",
            with_sign(identity),
            1,
        ),
        v(
            "order2-sign-bit",
            "(0, −1) with the sign bit set (x = 0, x_0 = 1)",
            with_sign(minus_one),
            2,
        ),
        v(
            "identity-y-p-plus-1",
            "the identity as y = p + 1 (y ≥ p)",
            p_plus(1),
            1,
        ),
        v(
            "identity-y-p-plus-1-sign-bit",
            "the identity as y = p + 1 with the sign bit set",
            with_sign(p_plus(1)),
            1,
        ),
        v(
            "order4-y-p",
            "a point of order 4 as y = p (y ≥ p)",
            p_plus(0),
            4,
        ),
        v(
            "order4-y-p-sign-bit",
            "the other point of order 4 as y = p with the sign bit set",
            with_sign(p_plus(0)),
            4,
        ),
    ]
}

/// The little-endian sum `s + times·L`, or `None` when it does not fit in 256 bits.
pub fn s_plus_l(s: &[u8; 32], times: u8) -> Option<[u8; 32]> {
    let mut out = *s;
    for _ in 0..times {
        let mut carry = 0u16;
        for (o, l) in out.iter_mut().zip(ED25519_L) {
            let sum = u16::from(*o) + u16::from(l) + carry;
            *o = sum as u8;
            carry = sum >> 8;
        }
        if carry != 0 {
            return None;
        }
    }
    Some(out)
}

/// The challenge k = SHA-512(ENC(R) || ENC(A) || M) mod L (RFC 8032 §5.1.6 step 4, §5.1.7
/// step 2), over the octets of R and A as given (canonical or not).
pub fn challenge(r: &[u8; 32], a: &[u8; 32], msg: &[u8]) -> Scalar {
    let mut h = Sha512::new();
    h.update(r);
    h.update(a);
    h.update(msg);
    Scalar::from_bytes_mod_order_wide(&h.finalize().into())
}

/// A deterministic nonce scalar for the hand-built signatures below, from a label and the message.
fn nonce(label: &str, msg: &[u8]) -> Scalar {
    let mut h = Sha512::new();
    h.update(format!("jwt-conformance/ed25519-nonce/{label}/").as_bytes());
    h.update(msg);
    Scalar::from_bytes_mod_order_wide(&h.finalize().into())
}

/// `R || S` with S = r + k·a mod L, k the challenge over `r_bytes`, `public` and `msg`, and a
/// the key's secret scalar: valid whenever `r_bytes` decodes to [r]B plus a point that the
/// verification equation in use cancels.
fn sign_around(
    key: &SigningKey,
    public: &[u8; 32],
    r_bytes: [u8; 32],
    r: Scalar,
    msg: &[u8],
) -> [u8; 64] {
    let k = challenge(&r_bytes, public, msg);
    let s = r + k * key.to_scalar();
    let mut sig = [0u8; 64];
    sig[..32].copy_from_slice(&r_bytes);
    sig[32..].copy_from_slice(&s.to_bytes());
    sig
}

/// A signature by the key's owner whose R is the given encoding of the identity (r = 0,
/// S = k·a): [S]B = R + [k]A holds, cofactored or not, whenever the encoding decodes to the
/// identity. RFC 8032 neither forbids nor requires refusing a small-order R.
pub fn sign_with_identity_r(key: &SigningKey, r_bytes: [u8; 32], msg: &[u8]) -> [u8; 64] {
    let public = key.verifying_key().to_bytes();
    sign_around(key, &public, r_bytes, Scalar::ZERO, msg)
}

/// A signature by the key's owner whose R = [r]B + T has a torsion component T of order 8
/// (EIGHT_TORSION\[1\]): the cofactored equation holds, the cofactorless one does not.
pub fn sign_with_mixed_r(key: &SigningKey, msg: &[u8]) -> [u8; 64] {
    let r = nonce("mixed-r", msg);
    let point = EdwardsPoint::mul_base(&r) + EIGHT_TORSION[1];
    let public = key.verifying_key().to_bytes();
    sign_around(key, &public, point.compress().to_bytes(), r, msg)
}

/// The key's public point plus a torsion point T of order 8 (EIGHT_TORSION\[1\]), canonically
/// encoded: a key of mixed order (not of small order), which the owner of the key can still
/// sign for (see [`sign_for_mixed_key`]).
pub fn mixed_key(key: &SigningKey) -> [u8; 32] {
    (key.verifying_key().to_edwards() + EIGHT_TORSION[1])
        .compress()
        .to_bytes()
}

/// A signature under [`mixed_key`] by the owner of `key`: R = [r]B, S = r + k·a with k over
/// the mixed key. The cofactored equation always holds; the cofactorless one only when
/// [k]T = 0, that is k ≡ 0 mod 8.
pub fn sign_for_mixed_key(key: &SigningKey, msg: &[u8]) -> [u8; 64] {
    let r = nonce("mixed-key", msg);
    let r_bytes = EdwardsPoint::mul_base(&r).compress().to_bytes();
    sign_around(key, &mixed_key(key), r_bytes, r, msg)
}

/// R = the identity, S = 0: under a public key A of small order, [S]B = R + [k]A holds exactly
/// when [k]A is the identity (always for A the identity), and the cofactored equation always.
pub const SMALL_ORDER_FORGERY: [u8; 64] = {
    let mut sig = [0u8; 64];
    sig[0] = 1;
    sig
};

/// A, R and S as a lenient verifier decodes them (RFC 8032 §5.1.7 step 1 without the
/// canonicity checks, S reduced mod L): `None` when a point is not on the curve at all.
fn lenient_parts(
    public: &[u8; 32],
    sig: &[u8; 64],
) -> Option<(EdwardsPoint, EdwardsPoint, Scalar)> {
    let mut r_bytes = [0u8; 32];
    r_bytes.copy_from_slice(&sig[..32]);
    let mut s_bytes = [0u8; 32];
    s_bytes.copy_from_slice(&sig[32..]);
    let a = CompressedEdwardsY(*public).decompress()?;
    let r = CompressedEdwardsY(r_bytes).decompress()?;
    Some((a, r, Scalar::from_bytes_mod_order(s_bytes)))
}

/// The cofactorless equation [S]B = R + [k]A of RFC 8032 §5.1.7 step 3, with S reduced and the
/// points decoded leniently: what a verifier that checks only the equation computes.
pub fn cofactorless_holds(public: &[u8; 32], msg: &[u8], sig: &[u8; 64]) -> bool {
    equation(public, msg, sig, false)
}

/// The cofactored equation [8][S]B = [8]R + [8][k]A of RFC 8032 §5.1.7 step 3.
pub fn cofactored_holds(public: &[u8; 32], msg: &[u8], sig: &[u8; 64]) -> bool {
    equation(public, msg, sig, true)
}

fn equation(public: &[u8; 32], msg: &[u8], sig: &[u8; 64], cofactored: bool) -> bool {
    let Some((a, r, s)) = lenient_parts(public, sig) else {
        return false;
    };
    let mut r_bytes = [0u8; 32];
    r_bytes.copy_from_slice(&sig[..32]);
    let k = challenge(&r_bytes, public, msg);
    let lhs = EdwardsPoint::mul_base(&s);
    let rhs = r + a * k;
    if cofactored {
        lhs.mul_by_cofactor() == rhs.mul_by_cofactor()
    } else {
        lhs == rhs
    }
}

/// The P-384 group order n, big-endian (SEC 2 §2.5.1).
pub const P384_N: [u8; 48] = hex::<48>(
    "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
);
/// The P-384 field prime p, big-endian.
pub const P384_P: [u8; 48] = hex::<48>(
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
);
/// The P-521 group order n, big-endian in 66 octets (SEC 2 §2.6.1).
pub const P521_N: [u8; 66] = hex::<66>(
    "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
);
/// The P-521 field prime p = 2^521 − 1, big-endian in 66 octets.
pub const P521_P: [u8; 66] = {
    let mut p = [0xff; 66];
    p[0] = 0x01;
    p
};

const fn hex<const N: usize>(s: &str) -> [u8; N] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("not lowercase hex"),
        }
    }
    let b = s.as_bytes();
    assert!(b.len() == 2 * N, "hex of the wrong length");
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
        i += 1;
    }
    out
}

/// The octet of `b` under position `i` of an `a_len`-octet number when `b` is right-aligned
/// below it (0 left of `b`'s first octet).
fn aligned(b: &[u8], a_len: usize, i: usize) -> u8 {
    (b.len() + i).checked_sub(a_len).map_or(0, |j| b[j])
}

/// `a + b` modulo 2^(8·a.len()), big-endian, `b` right-aligned (any width up to `a`'s).
pub fn be_add(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = a.to_vec();
    let mut carry = 0u16;
    for i in (0..a.len()).rev() {
        let sum = u16::from(out[i]) + u16::from(aligned(b, a.len(), i)) + carry;
        out[i] = sum as u8;
        carry = sum >> 8;
    }
    out
}

/// `a − b` modulo 2^(8·a.len()), big-endian, `b` right-aligned.
pub fn be_sub(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = a.to_vec();
    let mut borrow = 0i16;
    for i in (0..a.len()).rev() {
        let mut d = i16::from(out[i]) - i16::from(aligned(b, a.len(), i)) - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = d as u8;
    }
    out
}

/// The `width`-octet big-endian encoding of a small integer.
pub fn be_small(width: usize, v: u8) -> Vec<u8> {
    let mut out = vec![0u8; width];
    if let Some(last) = out.last_mut() {
        *last = v;
    }
    out
}

/// The ASN.1 DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279 §2.2.3) of
/// big-endian r and s: the form X.509 and most crypto libraries use, not RFC 7518 §3.4's.
pub fn der_signature(r: &[u8], s: &[u8]) -> Vec<u8> {
    let body = [der_integer(r), der_integer(s)].concat();
    der_tlv(0x30, &body)
}

/// A minimal DER INTEGER of a non-negative big-endian value.
fn der_integer(v: &[u8]) -> Vec<u8> {
    let start = v
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(v.len().saturating_sub(1));
    let mut body = v[start..].to_vec();
    if body.is_empty() || body[0] & 0x80 != 0 {
        body.insert(0, 0);
    }
    der_tlv(0x02, &body)
}

/// A DER TLV, with the long form of the length from 128 octets on.
fn der_tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match u8::try_from(body.len()) {
        Ok(len) if len < 0x80 => out.push(len),
        Ok(len) => out.extend_from_slice(&[0x81, len]),
        Err(_) => {
            let len = u16::try_from(body.len()).expect("a DER signature is short");
            out.push(0x82);
            out.extend_from_slice(&len.to_be_bytes());
        }
    }
    out.extend_from_slice(body);
    out
}

/// ECDSA over a digest of another hash than the curve's own (RFC 6979, the digest truncated or
/// padded as FIPS 186-4 §6.4 says): what a verifier that takes the curve from the key and the
/// hash from `alg` checks. `hash_bits` 256, 384 or 512. The signature is r || s of the curve.
pub fn ecdsa_with_hash(key: &crate::alg::AnyKey, hash_bits: u16, msg: &[u8]) -> Vec<u8> {
    use crate::alg::AnyKey;
    use p256::ecdsa::signature::hazmat::PrehashSigner;
    let digest: Vec<u8> = match hash_bits {
        384 => sha2::Sha384::digest(msg).to_vec(),
        512 => Sha512::digest(msg).to_vec(),
        _ => sha2::Sha256::digest(msg).to_vec(),
    };
    match key {
        AnyKey::P256(k) => {
            let sig: p256::ecdsa::Signature = k.sign_prehash(&digest).expect("a digest signs");
            sig.to_bytes().to_vec()
        }
        AnyKey::P384(k) => {
            let sig: p384::ecdsa::Signature = k.sign_prehash(&digest).expect("a digest signs");
            sig.to_bytes().to_vec()
        }
        AnyKey::P521(k) => {
            let sig: p521::ecdsa::Signature = k.sign_prehash(&digest).expect("a digest signs");
            sig.to_bytes().to_vec()
        }
        other => panic!(
            "forge::special::ecdsa_with_hash: {} is not an EC key",
            other.kind()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alg::{AnyKey, ed25519_key, p384_key, p521_key};

    #[test]
    fn the_eight_small_order_points_are_of_small_order() {
        let points = small_order_points();
        assert_eq!(points.len(), 8);
        for p in &points {
            let point = CompressedEdwardsY(p.bytes)
                .decompress()
                .expect("on the curve");
            assert!(point.is_small_order(), "{}", p.slug);
            assert_eq!(
                point.compress().to_bytes(),
                p.bytes,
                "{} is canonical",
                p.slug
            );
            let mut multiple = point;
            let mut order = 1u8;
            while multiple != EdwardsPoint::default() {
                multiple += point;
                order += 1;
            }
            assert_eq!(order, p.order, "{}", p.slug);
        }
    }

    #[test]
    fn non_canonical_encodings_decode_leniently_to_small_order_points_but_differ() {
        let canonical: Vec<[u8; 32]> = small_order_points().iter().map(|p| p.bytes).collect();
        for p in non_canonical_small_order() {
            assert!(!canonical.contains(&p.bytes), "{}", p.slug);
            let point = CompressedEdwardsY(p.bytes)
                .decompress()
                .expect("decodes leniently");
            assert!(point.is_small_order(), "{}", p.slug);
            assert_ne!(
                point.compress().to_bytes(),
                p.bytes,
                "{} is not canonical",
                p.slug
            );
        }
    }

    #[test]
    fn s_plus_l_is_the_same_scalar_and_overflows_when_it_must() {
        let s = Scalar::from_bytes_mod_order([7; 32]).to_bytes();
        let bigger = s_plus_l(&s, 1).expect("fits");
        assert_ne!(bigger, s);
        assert_eq!(Scalar::from_bytes_mod_order(bigger).to_bytes(), s);
        assert!(s_plus_l(&s, 8).is_some());
        assert_eq!(s_plus_l(&[0xff; 32], 1), None);
    }

    #[test]
    fn hand_built_ed25519_signatures_satisfy_the_equations_they_claim() {
        let key = ed25519_key("primary");
        let public = key.verifying_key().to_bytes();
        let msg = b"header.payload";
        let genuine: [u8; 64] = ed25519_dalek::Signer::sign(&key, msg).to_bytes();
        assert!(cofactorless_holds(&public, msg, &genuine));
        assert!(!cofactorless_holds(&public, b"other", &genuine));

        let identity = small_order_points()[0].bytes;
        let sig = sign_with_identity_r(&key, identity, msg);
        assert!(cofactorless_holds(&public, msg, &sig));
        assert!(cofactored_holds(&public, msg, &sig));

        let mixed = sign_with_mixed_r(&key, msg);
        assert!(!cofactorless_holds(&public, msg, &mixed));
        assert!(cofactored_holds(&public, msg, &mixed));

        let a = mixed_key(&key);
        let sig = sign_for_mixed_key(&key, msg);
        assert!(cofactored_holds(&a, msg, &sig));

        assert!(cofactored_holds(&identity, msg, &SMALL_ORDER_FORGERY));
        assert!(cofactorless_holds(&identity, msg, &SMALL_ORDER_FORGERY));
        assert_eq!(Scalar::from_bytes_mod_order(ED25519_L), Scalar::ZERO);
        assert_eq!((-Scalar::ONE + Scalar::ONE), Scalar::ZERO);
        let mut l_minus_1 = ED25519_L;
        l_minus_1[0] -= 1;
        assert_eq!((-Scalar::ONE).to_bytes(), l_minus_1);
    }

    #[test]
    fn curve_orders_bound_the_scalars() {
        let one = be_small(48, 1);
        let n_minus_1 = be_sub(&P384_N, &one);
        assert!(
            p384::ecdsa::Signature::from_slice(&[n_minus_1.clone(), one.clone()].concat()).is_ok()
        );
        assert!(
            p384::ecdsa::Signature::from_slice(&[P384_N.to_vec(), one.clone()].concat()).is_err()
        );
        let one = be_small(66, 1);
        let n_minus_1 = be_sub(&P521_N, &one);
        assert!(p521::ecdsa::Signature::from_slice(&[n_minus_1, one.clone()].concat()).is_ok());
        assert!(p521::ecdsa::Signature::from_slice(&[P521_N.to_vec(), one].concat()).is_err());
        assert_eq!(be_add(&be_sub(&P521_N, &[1]), &[1]), P521_N.to_vec());
    }

    #[test]
    fn der_uses_the_long_form_past_127_octets() {
        let short = der_signature(&[0x80; 32], &[0x01; 32]);
        assert_eq!(&short[..4], &[0x30, 0x45, 0x02, 0x21]);
        let long = der_signature(&[0xff; 66], &[0x01; 66]);
        assert_eq!(&long[..3], &[0x30, 0x81, 0x89]);
    }

    #[test]
    fn ecdsa_with_another_hash_verifies_under_that_hash() {
        use p256::ecdsa::signature::hazmat::PrehashVerifier;
        let msg = b"header.payload";
        let key = AnyKey::P384(p384_key("primary"));
        let sig = ecdsa_with_hash(&key, 256, msg);
        let AnyKey::P384(k) = &key else {
            unreachable!()
        };
        let sig = p384::ecdsa::Signature::from_slice(&sig).expect("96 octets");
        assert!(
            k.verifying_key()
                .verify_prehash(&sha2::Sha256::digest(msg), &sig)
                .is_ok()
        );
        let key = AnyKey::P521(p521_key("primary"));
        assert_eq!(ecdsa_with_hash(&key, 384, msg).len(), 132);
    }
}
