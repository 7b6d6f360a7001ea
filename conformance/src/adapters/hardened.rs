//! `Hardened<A>`: the fail-closed verifier seam (the reference key-set, pre-signature and claim rules) around any verifier.
//!
//! The wrapper owns what a delegated verifier cannot be trusted to enforce: it refuses the key
//! set and profile with the reference rules (construction seam), runs the reference verifier's
//! pre-signature rules (size, form, alphabet, header parsing, algorithm pin, forbidden header
//! parameters, header allowlist, `typ`, `kid` in the pinned set) before calling the library,
//! and, when the library accepts, decodes the now-authenticated payload strictly and runs the
//! reference claim and domain rules. The signature itself stays the library's job, and so do
//! stateful rules. Comparing `X` with `X+hardened` in the matrix shows how much of a library's
//! gap the seam closes, and what only the library can fix.

use serde_json::Value;
use verifier::rules::{envelope, key, payload};
use verifier::{KeySet, Profile, Reason, Rejection, StaticKeys};

use crate::adapter::{Adapter, AdapterInfo, Case, Outcome};
use crate::vector::Feature;

/// Any adapter behind the reference seam.
#[derive(Debug)]
pub struct Hardened<A> {
    inner: A,
}

impl<A: Adapter> Hardened<A> {
    pub fn new(inner: A) -> Self {
        Hardened { inner }
    }
}

/// Features the seam adds to any library: it validates key sets and profiles, checks `typ`
/// before the library sees the token, and runs the domain and token-category rules itself.
pub const SEAM_FEATURES: [Feature; 4] = [
    Feature::JwksParsing,
    Feature::Typ,
    Feature::Domain,
    Feature::TokenCategory,
];

/// Features of live key-set vectors, which the seam does not take on.
pub const LIVE_FEATURES: [Feature; 3] = [
    Feature::KeyFetch,
    Feature::KeyRotation,
    Feature::KeyDiscovery,
];

impl<A: Adapter> Adapter for Hardened<A> {
    fn info(&self) -> AdapterInfo {
        let mut info = self.inner.info();
        info.name = format!("{}+hardened", info.name);
        info.capabilities.features.extend(SEAM_FEATURES);
        // The seam checks keys from a pinned set; a live key-set client is the library's alone
        // and is measured on the library's own column.
        for live in LIVE_FEATURES {
            info.capabilities.features.remove(&live);
        }
        info.capabilities.exact = false;
        info.notes.push(
            "hardened: reference key-set/profile validation, pre-signature rules before the library, claim and domain rules after it".to_owned(),
        );
        info
    }

    fn verify(&self, case: &Case<'_>) -> Outcome {
        match refusal(case) {
            Some(refused) => refused,
            None => checked(case, self.inner.verify(case)),
        }
    }

    /// The seam's checks case by case; the cases they let through go to the library in one
    /// batch (so a subprocess library keeps its pipeline).
    fn verify_batch(&self, cases: &[Case<'_>]) -> Vec<Outcome> {
        let refused: Vec<Option<Outcome>> = cases.iter().map(|c| refusal(c)).collect();
        let asked: Vec<Case<'_>> = cases
            .iter()
            .zip(&refused)
            .filter(|(_, r)| r.is_none())
            .map(|(c, _)| *c)
            .collect();
        let mut answers = self.inner.verify_batch(&asked).into_iter();
        cases
            .iter()
            .zip(refused)
            .map(|(case, refused)| match refused {
                Some(refused) => refused,
                None => {
                    let answer = answers.next().unwrap_or_else(|| Outcome::AdapterError {
                        error: "the library's batch answered fewer cases than asked".to_owned(),
                    });
                    checked(case, answer)
                }
            })
            .collect()
    }
}

/// The seam's answer when it refuses the case before the library sees it.
fn refusal(case: &Case<'_>) -> Option<Outcome> {
    let keys = match KeySet::for_algorithms(&case.jwks_bytes(), &case.profile.algorithms) {
        Ok(keys) => keys,
        Err(e) => {
            return Some(Outcome::ConfigError {
                error: format!("seam: key set refused: {e}"),
                code: Some(e.code().into()),
            });
        }
    };
    if let Err(e) = case.profile.validate() {
        return Some(Outcome::ConfigError {
            error: format!("seam: {e}"),
            code: Some(e.code().into()),
        });
    }
    pre_signature(case.token, case.profile, keys, case.now)
        .err()
        .map(seam_reject)
}

/// The library's answer, with the seam's claim and domain rules run on an acceptance.
fn checked(case: &Case<'_>, answer: Outcome) -> Outcome {
    match answer {
        Outcome::Accept { .. } => match post_signature(case.token, case.profile, case.now) {
            Ok(claims) => Outcome::Accept { claims },
            Err(r) => seam_reject(r),
        },
        other => other,
    }
}

fn seam_reject(r: Rejection) -> Outcome {
    Outcome::Reject {
        error: format!("seam: {r}"),
        reason: Some(r.reason.into()),
    }
}

/// Size → form → alphabet → header → key, exactly as the reference pipeline runs them.
pub fn pre_signature(token: &[u8], p: &Profile, keys: KeySet, now: i64) -> Result<(), Rejection> {
    let mut scratch = verifier::rules::header::HeaderBuf::default();
    let (_, hdr) = verifier::check_envelope_and_header(token, p, &mut scratch)?;
    let Some(alg) = hdr.algorithm() else {
        // `check_alg` has made `alg` one of the profile's algorithms.
        return Err(Rejection {
            reason: Reason::AlgNotAllowed,
            detail: "algorithm not allowed",
        });
    };
    let key = key::resolve_key(&hdr, alg, p.preset, &StaticKeys(keys), now)?;
    key::check_key_fits_alg(&key, alg)?;
    key::check_key_strength(&key, alg)?;
    Ok(())
}

/// Payload → claims → domain, on a token whose signature the library has verified.
pub fn post_signature(token: &[u8], p: &Profile, now: i64) -> Result<Value, Rejection> {
    let t = envelope::split_compact(token, &envelope::Census::of(token))?;
    let mut text = String::new();
    let c = payload::decode_payload(t.payload, p.max_json_depth, &mut text)?;
    verifier::check_claims(&c, now, p)?;
    serde_json::from_str(&text).map_err(|_| Rejection {
        reason: Reason::PayloadUnparseable,
        detail: "payload is not a JSON object",
    })
}
