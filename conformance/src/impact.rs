//! The impact class of a failure: what a library's wrong answer lets an attacker (or an honest
//! issuer) do, computed from the expected and the observed outcome. The classes, gravest first,
//! are the order `docs/findings.md` lists them in:
//!
//! | impact | expected | observed |
//! |---|---|---|
//! | `forgery` | reject for an algorithm, key or signature reason (`alg_*`, `header_jku` / `x5u` / `jwk` / `x5c`, `jwe_payload`, `kid_unknown`, `key_source_unavailable`, `key_alg_mismatch`, `key_too_weak`, `signature_invalid`) on a `must` vector | accept |
//! | `forgery` | config_error (a key set or profile that must not load) on a `must` vector | accept: a key was trusted that should not have been |
//! | `policy-bypass` | reject for a claim, time, audience, issuer, `typ`, domain or state reason (`exp_missing`, `expired`, `not_yet_valid`, `exp_upper_bound`, `iat_*`, `iss_mismatch`, `aud_*`, `typ_mismatch`, `sub` / `client_id` / `jti_missing`, `claim_missing`, `azp_mismatch`, `nonce_mismatch`, `token_type_mismatch`, every domain and state reason; `kid_ambiguous`, a kid-less token one of several trusted keys verified), or for a header member that changes how the signed content is read (`header_crit`, `header_b64_false`, `nested_jws`); and any forgery-class defect on a `profile` vector (signed by a pinned key, a key set the operator chose: trust is intact, the profile's policy is bypassed) | accept |
//! | `parser-laxity` | reject for an encoding or JSON reason (`oversized_token`, `jws_json_rejected`, `not_jws_compact`, `lax_base64`, `header_unparseable`, `payload_unparseable`, `duplicate_json_keys`, `header_extra_param`, `invalid_numeric_type`) | accept |
//! | `denial-of-service` | anything | no answer within the per-vector timeout (the runner's call, [`crate::call`]) |
//! | `false-reject` | accept | reject or config_error: an interoperability failure |
//! | `late-failure` | config_error | reject (and `reject` is not an acceptable outcome of the step) |
//! | `reason-mismatch` | reject | config_error; or reject with another reason (exact adapters) |
//! | `reason-mismatch` | config_error | config_error with another code (exact adapters) |
//! | `reason-mismatch` | accept | accept with other claims (exact adapters) |
//! | `adapter-error` | anything | the adapter crashed, panicked or broke the protocol (not an impact class of the library) |
//!
//! An accepted step takes the gravest class among its expected reason and the reasons of the
//! rejections it lists as acceptable ([`classify_step`]): a last-wins parser that reads a
//! duplicate `typ` as `JWT` and accepts has a missing `typ` check, not only a lax parser.
//!
//! The reason column is [`of_reason`], one match over [`verifier::Reason`]; a reason the catalog
//! adds later falls back on its pipeline [`Stage`] (header, key and signature stages are
//! `forgery`) until it is reviewed here, before findings about it are softened.

use serde::{Deserialize, Serialize};
use verifier::{Reason, Stage};

use crate::outcome::Outcome;
use crate::vector::{Acceptable, Expected, Severity, Step, Vector};

/// What a failure lets happen. Declaration order is severity order (gravest first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Impact {
    /// Accepted a token whose signature, key or algorithm trust is broken, or trusted a key set
    /// that must not load.
    Forgery,
    /// Accepted a token that breaks a rule on claims, time, audience, issuer, `typ`, domain or
    /// state.
    PolicyBypass,
    /// Accepted malformed encoding or JSON.
    ParserLaxity,
    /// The verdict conforms, but the key-set client broke the vector's request bounds: it
    /// contacted a location it must not, fetched more often than allowed, or stalled.
    FetchAbuse,
    /// No answer within the per-vector timeout: one crafted token ties a verifier up (a parser
    /// slower than linear on nested input, say). Nothing was accepted, so it is no forgery; the
    /// runner classifies it ([`crate::runner`]), never [`classify`].
    DenialOfService,
    /// Refused a token (or key set) that conforms: an interoperability failure.
    FalseReject,
    /// Loaded a key set or profile that must be refused, then rejected the token.
    LateFailure,
    /// The right kind of refusal with the wrong reason, code or claims.
    ReasonMismatch,
    /// The adapter itself failed (panic, crash, protocol error): not a finding about the
    /// library. A timeout is [`Impact::DenialOfService`].
    AdapterError,
}

impl Impact {
    /// The eight classes of a library's failures, in findings order ([`Impact::AdapterError`]
    /// is not one).
    pub const CLASSES: [Impact; 8] = [
        Impact::Forgery,
        Impact::PolicyBypass,
        Impact::ParserLaxity,
        Impact::FetchAbuse,
        Impact::DenialOfService,
        Impact::FalseReject,
        Impact::LateFailure,
        Impact::ReasonMismatch,
    ];

    /// The kebab-case name, as serialized.
    pub const fn name(self) -> &'static str {
        match self {
            Impact::Forgery => "forgery",
            Impact::PolicyBypass => "policy-bypass",
            Impact::ParserLaxity => "parser-laxity",
            Impact::FetchAbuse => "fetch-abuse",
            Impact::DenialOfService => "denial-of-service",
            Impact::FalseReject => "false-reject",
            Impact::LateFailure => "late-failure",
            Impact::ReasonMismatch => "reason-mismatch",
            Impact::AdapterError => "adapter-error",
        }
    }

    /// One sentence for report pages.
    pub const fn meaning(self) -> &'static str {
        match self {
            Impact::Forgery => {
                "accepted a token whose signature, key or algorithm trust is broken, or trusted a key set that must not load"
            }
            Impact::PolicyBypass => {
                "accepted a token that breaks a rule on claims, time, audience, issuer, typ, domain or state"
            }
            Impact::ParserLaxity => "accepted malformed encoding or JSON",
            Impact::FetchAbuse => {
                "fetched keys from a place the token or a redirect named, refetched beyond the allowed rate, or stalled on a hostile endpoint"
            }
            Impact::DenialOfService => {
                "gave no answer within the per-vector timeout: one token ties the verifier up"
            }
            Impact::FalseReject => {
                "refused a conforming token or key set (an interoperability failure)"
            }
            Impact::LateFailure => {
                "loaded a key set or profile that must be refused, then rejected the token"
            }
            Impact::ReasonMismatch => {
                "refused as expected, but with another reason or code, or accepted with other claims"
            }
            Impact::AdapterError => {
                "the adapter crashed, panicked or broke the protocol (not a finding about the library)"
            }
        }
    }
}

impl std::fmt::Display for Impact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What accepting a token that should have been rejected for `reason` lets happen.
pub fn of_reason(reason: Reason) -> Impact {
    use Reason::*;
    match reason {
        AlgNone | AlgHmacRejected | AlgRsaRejected | AlgEcdsaRejected | AlgNotAllowed
        | HeaderJku | HeaderX5u | HeaderJwk | HeaderX5c | JwePayload | KidUnknown
        | KeySourceUnavailable | KeyAlgMismatch | KeyTooWeak | SignatureInvalid => Impact::Forgery,
        // A kid-less token that one of several trusted keys verified: the issuer signed it.
        KidAmbiguous => Impact::PolicyBypass,
        // Header members that change how the signed content is read, not who signed it.
        HeaderCrit | HeaderB64False | NestedJws => Impact::PolicyBypass,
        OversizedToken | JwsJsonRejected | NotJwsCompact | LaxBase64 | HeaderUnparseable
        | PayloadUnparseable | DuplicateJsonKeys | HeaderExtraParam | InvalidNumericType => {
            Impact::ParserLaxity
        }
        TypMismatch | ExpMissing | Expired | ExpUpperBound | IatMissing | IatFuture
        | NotYetValid | IssMismatch | AudMissing | AudMismatch | AudUntrusted | SubMissing
        | ClientIdMissing | JtiMissing | ClaimMissing | AzpMismatch | NonceMismatch
        | TokenTypeMismatch => Impact::PolicyBypass,
        // Domain and state reasons, and any reason the catalog adds later: by pipeline stage.
        other => match other.stage() {
            Stage::Size | Stage::Form | Stage::Alphabet | Stage::Payload => Impact::ParserLaxity,
            Stage::Header | Stage::Key | Stage::Signature => Impact::Forgery,
            Stage::Claims | Stage::Domain | Stage::State => Impact::PolicyBypass,
        },
    }
}

/// The clauses and attacks of `docs/normative.md` about who signed a token and with what key
/// and algorithm: a `must` vector citing one of them puts that trust at stake, and only then is
/// an accepted forgery-class defect a forgery.
pub const TRUST_BASIS: &[&str] = &[
    "RFC9068-4-signature",
    "RFC7515-5.2-signature",
    "RFC7515-4.1.1-alg",
    "RFC7518-3.4-es256",
    "RFC7518-3.6-none",
    "RFC8725-3.1-alg",
    "RFC8725-3.3-crypto",
    "CVE-2015-9235",
    "CVE-2016-10555",
    "CVE-2018-0114",
    "CVE-2022-21449",
    "CVE-2022-29217",
    "CVE-2022-39227",
    "CVE-2023-48223",
    "CVE-2024-37568",
    "ADV-2015-JWT-LIBS",
    "ADV-JKU-FETCH",
    "ADV-KID-INJECTION",
    "ADV-X5C-CHAIN",
];

/// The flag of a vector whose token carries the genuine signature in another encoding (padded,
/// DER, trailing bytes, a scalar plus n): accepting it gives one signed token many byte forms,
/// which defeats caches keyed on the signature, but no key signed anything it did not.
pub const MALLEABILITY: &str = "Malleability";

/// What a wrongly accepted token of a vector puts at stake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stake {
    /// Trust in the signer, key or algorithm: a `must` vector citing a [`TRUST_BASIS`] clause.
    Trust,
    /// Only the signature's encoding: a trust vector flagged [`MALLEABILITY`].
    Encoding,
    /// Neither: a policy the configuration set.
    Policy,
}

/// [`Stake`] of a vector.
pub fn stake(vector: &Vector) -> Stake {
    let trust = vector.severity == Severity::Must
        && vector
            .basis
            .iter()
            .any(|b| TRUST_BASIS.contains(&b.as_str()));
    match (trust, vector.flags.iter().any(|f| f == MALLEABILITY)) {
        (false, _) => Stake::Policy,
        (true, true) => Stake::Encoding,
        (true, false) => Stake::Trust,
    }
}

/// The impact of a failed step, from everything its vector says: [`classify`] on the expected
/// outcome, then two refinements a maintainer would ask for. An accept failed every rejection
/// the step lists, so it takes the gravest class among the expected reason and the reasons of
/// its acceptable rejections (a duplicate `typ` that a last-wins parser reads as `JWT` is a
/// missing `typ` check, not only parser laxity). And trust is broken only where the vector puts
/// it at stake ([`stake`]): a token signed by a pinned key, with an ignored `jwk` or `crit`
/// beside it, or a key set the operator chose, bypasses a policy instead; the genuine signature
/// in another encoding is parser laxity.
pub fn classify_step(step: &Step, stake: Stake, outcome: &Outcome) -> Impact {
    let base = classify(&step.expected, outcome);
    let wrongly_accepted = matches!(outcome, Outcome::Accept { .. })
        && !matches!(step.expected, Expected::Accept { .. });
    if !wrongly_accepted {
        return base;
    }
    let trust = stake == Stake::Trust;
    let base = match (base, stake) {
        (Impact::Forgery, Stake::Encoding) => Impact::ParserLaxity,
        (Impact::Forgery, Stake::Policy) => Impact::PolicyBypass,
        (impact, _) => impact,
    };
    // Without trust at stake, another reading's forgery-class reason (say `signature_invalid`
    // for a pipeline that checks the signature first) says nothing about this token.
    step.acceptable
        .iter()
        .filter_map(|o| match o {
            Acceptable::Reject(reason) => *reason,
            Acceptable::Accept | Acceptable::ConfigError(_) => None,
        })
        .map(of_reason)
        .filter(|impact| trust || *impact != Impact::Forgery)
        .fold(base, Ord::min)
}

/// The impact of a step that failed: `expected` is what the vector wants, `outcome` what the
/// adapter did. Only meaningful for failures (a step that matched or was acceptable has none).
pub fn classify(expected: &Expected, outcome: &Outcome) -> Impact {
    match (expected, outcome) {
        (
            _,
            Outcome::AdapterError { .. } | Outcome::AdapterBroken { .. } | Outcome::Skipped { .. },
        ) => Impact::AdapterError,
        (Expected::Accept { .. }, Outcome::Accept { .. }) => Impact::ReasonMismatch,
        (Expected::Accept { .. }, Outcome::Reject { .. } | Outcome::ConfigError { .. }) => {
            Impact::FalseReject
        }
        (Expected::Reject { reason, .. }, Outcome::Accept { .. }) => of_reason(*reason),
        (Expected::Reject { .. }, Outcome::Reject { .. } | Outcome::ConfigError { .. }) => {
            Impact::ReasonMismatch
        }
        (Expected::ConfigError { .. }, Outcome::Accept { .. }) => Impact::Forgery,
        (Expected::ConfigError { .. }, Outcome::Reject { .. }) => Impact::LateFailure,
        (Expected::ConfigError { .. }, Outcome::ConfigError { .. }) => Impact::ReasonMismatch,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use verifier::ConfigCode;

    use super::*;

    const FORGERY: &[Reason] = &[
        Reason::AlgNone,
        Reason::AlgHmacRejected,
        Reason::AlgRsaRejected,
        Reason::AlgEcdsaRejected,
        Reason::AlgNotAllowed,
        Reason::HeaderJku,
        Reason::HeaderX5u,
        Reason::HeaderJwk,
        Reason::HeaderX5c,
        Reason::JwePayload,
        Reason::KidUnknown,
        Reason::KeySourceUnavailable,
        Reason::KeyAlgMismatch,
        Reason::KeyTooWeak,
        Reason::SignatureInvalid,
    ];
    const PARSER: &[Reason] = &[
        Reason::OversizedToken,
        Reason::JwsJsonRejected,
        Reason::NotJwsCompact,
        Reason::LaxBase64,
        Reason::HeaderUnparseable,
        Reason::PayloadUnparseable,
        Reason::DuplicateJsonKeys,
        Reason::HeaderExtraParam,
        Reason::InvalidNumericType,
    ];

    #[test]
    fn every_catalog_reason_has_the_documented_class() {
        for reason in Reason::ALL {
            let want = if FORGERY.contains(reason) {
                Impact::Forgery
            } else if PARSER.contains(reason) {
                Impact::ParserLaxity
            } else {
                // Claims, time, audience, issuer, typ, domain and state.
                Impact::PolicyBypass
            };
            assert_eq!(of_reason(*reason), want, "{reason}");
        }
        for reason in [
            Reason::TypMismatch,
            Reason::IatFuture,
            Reason::UnknownClaim,
            Reason::JtiReplayed,
            Reason::HeaderCrit,
            Reason::HeaderB64False,
            Reason::NestedJws,
        ] {
            assert_eq!(of_reason(reason), Impact::PolicyBypass, "{reason}");
        }
    }

    fn reject(reason: Reason) -> Expected {
        Expected::Reject { reason, m_id: None }
    }

    #[test]
    fn verdict_pairs_give_their_class() {
        let accept = Expected::Accept { claims: json!({}) };
        let config = Expected::ConfigError {
            error: ConfigCode::KeyPrivateMember,
        };
        let got_accept = Outcome::Accept { claims: json!({}) };
        let got_reject = Outcome::reject("nope");
        let got_config = Outcome::config_error("bad set");
        let crashed = Outcome::AdapterError {
            error: "panic".to_owned(),
        };
        let cases = [
            (&accept, &got_reject, Impact::FalseReject),
            (&accept, &got_config, Impact::FalseReject),
            (&accept, &got_accept, Impact::ReasonMismatch),
            (&config, &got_accept, Impact::Forgery),
            (&config, &got_reject, Impact::LateFailure),
            (&config, &got_config, Impact::ReasonMismatch),
            (&config, &crashed, Impact::AdapterError),
        ];
        for (expected, outcome, want) in cases {
            assert_eq!(
                classify(expected, outcome),
                want,
                "{expected:?} {outcome:?}"
            );
        }
        assert_eq!(
            classify(&reject(Reason::SignatureInvalid), &got_accept),
            Impact::Forgery
        );
        assert_eq!(
            classify(&reject(Reason::Expired), &got_accept),
            Impact::PolicyBypass
        );
        assert_eq!(
            classify(&reject(Reason::LaxBase64), &got_accept),
            Impact::ParserLaxity
        );
        assert_eq!(
            classify(&reject(Reason::Expired), &got_config),
            Impact::ReasonMismatch
        );
        assert_eq!(
            classify(
                &reject(Reason::Expired),
                &Outcome::reject_as("x", Some(Reason::NotYetValid))
            ),
            Impact::ReasonMismatch
        );
    }

    fn step(expected: Expected, acceptable: &[Acceptable]) -> Step {
        Step {
            requests: None,
            actions: vec![],
            now: 0,
            token: crate::vector::TokenSpec::Text(String::new()),
            expected,
            acceptable: acceptable.to_vec(),
        }
    }

    #[test]
    fn a_step_takes_its_gravest_listed_rejection_and_forgery_needs_trust_at_stake() {
        let (trusted, untrusted) = (Stake::Trust, Stake::Policy);
        let accepted = Outcome::Accept { claims: json!({}) };
        let rejected = Outcome::reject("nope");
        let dup_typ = step(
            reject(Reason::DuplicateJsonKeys),
            &[Acceptable::Reject(Some(Reason::TypMismatch))],
        );
        let attacker_jwk = step(
            reject(Reason::HeaderJwk),
            &[
                Acceptable::Reject(Some(Reason::SignatureInvalid)),
                Acceptable::Reject(None),
            ],
        );
        let pinned_jwk = step(reject(Reason::HeaderJwk), &[]);
        let bad_set = step(
            Expected::ConfigError {
                error: ConfigCode::KeyDuplicateKid,
            },
            &[Acceptable::Accept],
        );
        let inner_newline = step(
            reject(Reason::NotJwsCompact),
            &[Acceptable::Reject(Some(Reason::SignatureInvalid))],
        );
        let other_claims = step(
            Expected::Accept {
                claims: json!({"a": 1}),
            },
            &[Acceptable::Reject(Some(Reason::Expired))],
        );
        let cases = [
            (&other_claims, trusted, &accepted, Impact::ReasonMismatch),
            (&dup_typ, trusted, &accepted, Impact::PolicyBypass),
            (&dup_typ, trusted, &rejected, Impact::ReasonMismatch),
            (&attacker_jwk, trusted, &accepted, Impact::Forgery),
            (&pinned_jwk, untrusted, &accepted, Impact::PolicyBypass),
            (&pinned_jwk, trusted, &accepted, Impact::Forgery),
            (&bad_set, untrusted, &accepted, Impact::PolicyBypass),
            (
                &step(reject(Reason::LaxBase64), &[]),
                untrusted,
                &accepted,
                Impact::ParserLaxity,
            ),
            (&inner_newline, untrusted, &accepted, Impact::ParserLaxity),
            (&inner_newline, trusted, &accepted, Impact::Forgery),
            (
                &step(reject(Reason::SignatureInvalid), &[]),
                Stake::Encoding,
                &accepted,
                Impact::ParserLaxity,
            ),
            (
                &step(reject(Reason::SignatureInvalid), &[]),
                Stake::Encoding,
                &rejected,
                Impact::ReasonMismatch,
            ),
        ];
        for (step, trust, outcome, want) in cases {
            assert_eq!(classify_step(step, trust, outcome), want, "{step:?}");
        }
    }

    #[test]
    fn trust_is_at_stake_only_on_a_must_vector_citing_a_trust_clause() {
        let v = |severity, basis: &[&str]| {
            let mut v: Vector =
                serde_json::from_str(include_str!("../../vectors/accept/baseline.json"))
                    .expect("a vector");
            v.severity = severity;
            v.basis = basis.iter().map(|b| (*b).to_owned()).collect();
            v
        };
        assert_eq!(
            stake(&v(Severity::Must, &["M09", "CVE-2018-0114"])),
            Stake::Trust
        );
        assert_eq!(
            stake(&v(Severity::Profile, &["CVE-2018-0114"])),
            Stake::Policy
        );
        let mut reencoded = v(Severity::Must, &["RFC7518-3.4-es256"]);
        reencoded.flags = vec![MALLEABILITY.to_owned()];
        assert_eq!(stake(&reencoded), Stake::Encoding);
        reencoded.severity = Severity::Profile;
        assert_eq!(stake(&reencoded), Stake::Policy);
        // `crit` ignored beside a pinned-key signature: a binding clause and an attack, but no
        // signer, key or algorithm is trusted that should not be.
        let crit = v(
            Severity::Must,
            &["RFC7515-4.1.11-crit", "CVE-2026-32597", "RFC7515-4.1.3-jwk"],
        );
        assert_eq!(stake(&crit), Stake::Policy);
        for id in TRUST_BASIS {
            assert!(
                ::corpus::normative::table().get(id).is_some(),
                "{id} is not in docs/normative.md"
            );
        }
    }

    #[test]
    fn names_are_the_serialized_kebab_case() {
        for impact in Impact::CLASSES.into_iter().chain([Impact::AdapterError]) {
            assert_eq!(
                serde_json::to_value(impact).unwrap(),
                json!(impact.name()),
                "{impact:?}"
            );
        }
        // Severity order is declaration order: findings list forgery first.
        let mut sorted = Impact::CLASSES;
        sorted.sort();
        assert_eq!(sorted, Impact::CLASSES);
        assert_eq!(Impact::CLASSES[0], Impact::Forgery);
    }
}
