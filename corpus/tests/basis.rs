//! The severity rule over the whole corpus: every vector has a basis from `docs/normative.md`,
//! every `must` vector cites a clause binding the recipient or a documented attack (never only a
//! threat row the project wrote), and none fails a library for lacking a check an RFC leaves
//! optional.

use std::path::Path;

use corpus::normative::{Kind, table};
use corpus::vector::{Acceptable, Severity, Vector};
use verifier::Reason;

fn corpus() -> Vec<Vector> {
    corpus::load::load_dir(Path::new("../vectors")).expect("vectors/")
}

#[test]
fn every_vector_has_a_basis_that_supports_its_severity() {
    let table = table();
    let problems: Vec<String> = corpus()
        .iter()
        .filter_map(|v| table.check(v).err())
        .collect();
    assert!(
        problems.is_empty(),
        "{} vectors break the severity rule:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_rule_refuses_a_must_without_a_binding_clause_and_an_unknown_id() {
    let table = table();
    let mut v = baseline_as_must();
    v.basis = vec!["RFC7519-2-numericdate".into(), "M30".into()];
    assert!(table.check(&v).is_err(), "must on a permissive clause");
    v.basis.push("RFC7519-4.1.4-exp".into());
    assert!(table.check(&v).is_ok());
    v.basis.push("RFC9999-1-nothing".into());
    assert!(table.check(&v).is_err(), "unknown ID");
    v.basis.clear();
    v.severity = Severity::Profile;
    assert!(table.check(&v).is_err(), "empty basis");
}

#[test]
fn profile_clauses_are_only_profile_and_attacks_name_a_source() {
    for clause in table().clauses.values() {
        let m_id =
            clause.id.starts_with('M') || clause.id.starts_with("PROFILE-") || clause.id == "SV";
        assert_eq!(m_id, clause.kind == Kind::Profile, "{}", clause.id);
        assert!(
            !clause.text.is_empty() && !clause.source.is_empty(),
            "{}",
            clause.id
        );
    }
}

#[test]
fn a_threat_this_project_wrote_cannot_make_a_vector_must_alone() {
    let table = table();
    let mut v = baseline_as_must();
    for threat in [
        "ADV-REPLAY",
        "ADV-FAIL-OPEN",
        "ADV-JKU-FETCH",
        "ADV-SUBSTITUTION",
    ] {
        v.basis = vec![threat.into(), "M35".into()];
        assert!(table.check(&v).is_err(), "must on {threat} alone");
    }
    v.basis = vec!["ADV-2015-JWT-LIBS".into(), "M01".into()];
    assert!(table.check(&v).is_ok(), "a published advisory binds");
}

#[test]
fn attacks_are_cves_or_published_advisories_and_the_project_s_own_rows_are_threats() {
    for clause in table().clauses.values() {
        match clause.kind {
            // A CVE names itself; a published advisory opens its source with its quoted title.
            Kind::Attack => assert!(
                (clause.id.starts_with("CVE-") && clause.source.starts_with(&clause.id))
                    || clause.source.starts_with('"'),
                "{}: an attack row cites a CVE or a published advisory ({})",
                clause.id,
                clause.source
            ),
            Kind::Threat => assert!(clause.id.starts_with("ADV-"), "{}", clause.id),
            _ => assert!(!clause.id.starts_with("ADV-"), "{}", clause.id),
        }
    }
}

/// Reasons of checks no RFC requires a recipient to implement: `nbf` (RFC 7519 §4.1: no claim is
/// mandatory to implement), `iat` and the lifetime bound, the claims RFC 9068 §2.2 requires of
/// the issuer only, the state stores, the token category and the domain rules.
const OPTIONAL_CHECKS: &[Reason] = &[
    Reason::NotYetValid,
    Reason::IatFuture,
    Reason::IatMissing,
    Reason::ExpUpperBound,
    Reason::JtiMissing,
    Reason::SubMissing,
    Reason::ClientIdMissing,
    Reason::JtiReplayed,
    Reason::ReplayCacheUnavailable,
    Reason::SessionRevoked,
    Reason::SessionLookupUnavailable,
    Reason::SessionVersionStale,
    Reason::SessionVersionLookupUnavailable,
    Reason::TokenTypeMismatch,
    Reason::SubFormatInvalid,
    Reason::AccountTypeInvalid,
    Reason::CapsShapeInvalid,
    Reason::ScopesShapeInvalid,
    Reason::ScopesTooLong,
    Reason::DlgDepthInvalid,
    Reason::AdminBandRejected,
    Reason::UnknownClaim,
];

/// Whether a `must` vector would fail a library that lacks an optional check: some step expects
/// one of those reasons, and neither accept nor a rejection for another reason is acceptable.
fn rests_on_an_optional_check(v: &Vector) -> Option<String> {
    if v.severity != Severity::Must {
        return None;
    }
    v.steps().iter().enumerate().find_map(|(i, step)| {
        let reason = step.expected.reason()?;
        if !OPTIONAL_CHECKS.contains(&reason) {
            return None;
        }
        let other = step.acceptable.iter().any(|o| match o {
            Acceptable::Accept => true,
            Acceptable::Reject(r) => r.is_none_or(|r| !OPTIONAL_CHECKS.contains(&r)),
            Acceptable::ConfigError(_) => false,
        });
        (!other).then(|| format!("{} (step {i}): must, on {reason} alone", v.id))
    })
}

#[test]
fn no_must_vector_rests_only_on_a_check_an_rfc_leaves_optional() {
    let problems: Vec<String> = corpus()
        .iter()
        .filter_map(rests_on_an_optional_check)
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The rule can fail: an nbf rejection made `must` without its acceptable accept.
    let mut v = corpus()
        .into_iter()
        .find(|v| v.id == "time/nbf-now-plus-1")
        .expect("time/nbf-now-plus-1");
    assert!(rests_on_an_optional_check(&v).is_none(), "profile");
    v.severity = Severity::Must;
    assert!(
        rests_on_an_optional_check(&v).is_none(),
        "accept is acceptable"
    );
    v.steps_mut()[0].acceptable.clear();
    assert!(rests_on_an_optional_check(&v).is_some());
}

/// `accept/baseline`, made `must`: the vector whose basis the rule tests are rewritten.
fn baseline_as_must() -> corpus::vector::Vector {
    let mut v = corpus()
        .into_iter()
        .find(|v| v.id == "accept/baseline")
        .expect("accept/baseline");
    v.severity = Severity::Must;
    v
}
