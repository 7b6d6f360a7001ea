//! Wycheproof's signature and MAC vectors of every JWS algorithm through the verifier's
//! signature layer, `rules::signature::check_signature`, with the signature as the token's
//! base64url segment, on every signature backend of the build (the RustCrypto crates alone by
//! default; `--features ring,aws-lc-rs` adds both fast ones). Which Wycheproof groups are JWS
//! cases is said in `wycheproof_sets`.
//!
//! Policy: a case Wycheproof marks valid is accepted, one it marks invalid is
//! `signature_invalid`. Its "acceptable" cases follow the verifier's documented choices: RSA
//! PKCS#1 v1.5 compares the whole encoded DigestInfo, so a signature whose DigestInfo lacks the
//! NULL parameters is refused (RFC 8017 §8.2.2 step 4); ECDSA high-S signatures are accepted
//! (`rules/signature.rs`). Any other acceptable case is counted and reported, never skipped
//! silently.

mod common;
mod wycheproof_sets;

use common::{ORDER_N, b64, is_high};
use rstest::rstest;
use verifier::rules::signature::check_signature;
use verifier::{Algorithm, Backend, KeyFamily, PublicKey, Reason, VerifyingKey};
use wycheproof::TestResult;
use wycheproof::ecdsa::{TestName, TestSet};
use wycheproof_sets::cases;

#[derive(Debug, Default)]
struct Tally {
    run: usize,
    valid: usize,
    invalid: usize,
    acceptable: usize,
    acceptable_unjudged: usize,
    mismatches: Vec<String>,
}

/// The verdict the verifier must give on an "acceptable" case, where its policy decides one.
fn acceptable_verdict(alg: Algorithm) -> Option<bool> {
    match alg.family() {
        // The only acceptable RSA cases are DigestInfo without NULL: refused.
        KeyFamily::Rsa => Some(false),
        _ => None,
    }
}

#[rstest]
fn wycheproof_cases_get_wycheproofs_verdict(
    #[values(
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::EdDSA,
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512
    )]
    alg: Algorithm,
) {
    let (cases, skipped) = cases(alg);
    for &backend in Backend::ALL {
        let mut tally = Tally::default();
        for case in &cases {
            tally.run += 1;
            let got = check_signature(
                &case.key,
                alg,
                &case.msg,
                b64(&case.sig).as_bytes(),
                backend,
            );
            if let Err(rejection) = got {
                assert_eq!(rejection.reason, Reason::SignatureInvalid, "{}", case.name);
            }
            let want = match case.result {
                TestResult::Valid => {
                    tally.valid += 1;
                    Some(true)
                }
                TestResult::Invalid => {
                    tally.invalid += 1;
                    Some(false)
                }
                TestResult::Acceptable => {
                    tally.acceptable += 1;
                    let want = acceptable_verdict(alg);
                    tally.acceptable_unjudged += usize::from(want.is_none());
                    want
                }
            };
            if let Some(want) = want
                && got.is_ok() != want
            {
                tally.mismatches.push(format!(
                    "{alg} on {}: {} ({:?}): verifier {}",
                    backend.name(),
                    case.name,
                    case.result,
                    if got.is_ok() { "accepted" } else { "rejected" }
                ));
            }
        }
        println!("{alg} on {}: {tally:?}, {skipped} not JWS", backend.name());
        assert!(tally.mismatches.is_empty(), "{:#?}", tally.mismatches);
        // A file or filter that silently yields nothing fails here.
        assert!(tally.run >= 50, "{alg}: ran {} cases", tally.run);
        assert!(tally.valid >= 5 && tally.invalid >= 5, "{alg}: {tally:?}");
        assert_eq!(
            tally.acceptable_unjudged, 0,
            "{alg}: acceptable cases nobody judged"
        );
    }
}

/// The high-S policy is exercised, not just stated: Wycheproof's P-256 file has valid high-S
/// signatures, and the verifier accepts them on every backend (checked above).
#[test]
fn wycheproof_p256_carries_valid_high_s_signatures() {
    let (cases, _) = cases(Algorithm::ES256);
    let high_s_valid = cases
        .iter()
        .filter(|c| c.result == TestResult::Valid && c.sig.len() == 64)
        .filter(|c| {
            let s: [u8; 32] = c.sig[32..].try_into().expect("32 bytes");
            is_high(&s) && s < ORDER_N
        })
        .count();
    assert!(high_s_valid > 0, "Wycheproof carries valid high-S cases");
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
    let check = |segment: &str| {
        check_signature(
            &key,
            Algorithm::ES256,
            &test.msg,
            segment.as_bytes(),
            Backend::DEFAULT,
        )
        .map_err(|r| r.reason)
    };
    assert_eq!(check(&segment), Ok(()));
    let mut noncanonical = segment.clone();
    common::noncanonical(&mut noncanonical);
    for bad in [format!("{segment}=="), noncanonical, format!("{segment}A")] {
        assert_eq!(check(&bad), Err(Reason::SignatureInvalid), "{bad}");
    }
}
