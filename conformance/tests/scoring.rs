//! Scoring: exact / acceptable / fail, the impact class of every failure, how steps add up to a
//! vector, the reference's duty to be exact, and the reports that show all of it.

mod common;

use std::sync::Arc;

use common::{Scripted, accept, also, cites, config_error, reject, step, vector};
use conformance::adapter::Outcome;
use conformance::adapters::reference::Reference;
use conformance::impact::Impact;
use conformance::judge::TestResult;
use conformance::outcome::{Cause, CodeId, ReasonId};
use conformance::report::{Report, VectorResult};
use conformance::runner::{self, Corpus, RunOptions};
use conformance::vector::{Acceptable, Body, Severity, Vector};
use rstest::rstest;
use serde_json::{Value, json};
use verifier::{ConfigCode, Reason};

fn run_on(adapter: Scripted, vectors: Vec<Vector>) -> Report {
    runner::run_quietly(
        Arc::new(adapter),
        &Corpus::from_vectors(vectors),
        &RunOptions::default(),
    )
}

fn only(report: &Report) -> &VectorResult {
    assert_eq!(report.results.len(), 1);
    &report.results[0]
}

/// A key set that must be refused (`key_wrong_alg`); rejecting the token as `alg_not_allowed`
/// instead is acceptable.
fn late() -> Vector {
    let v = vector(
        "jwks/late",
        Severity::Must,
        &[],
        also(
            step(
                forge::baseline_token(),
                config_error(ConfigCode::KeyWrongAlg),
            ),
            vec![Acceptable::Reject(Some(Reason::AlgNotAllowed))],
        ),
    );
    cites(v, &["RFC7517-4.4-alg", "RFC8725-3.1-alg"])
}

/// A token to accept; refusing it as `exp_upper_bound` is acceptable.
fn lenient() -> Vector {
    let v = vector(
        "time/lenient",
        Severity::Profile,
        &[],
        also(
            step(forge::baseline_token(), accept()),
            vec![Acceptable::Reject(Some(Reason::ExpUpperBound))],
        ),
    );
    cites(v, &["RFC7519-4.1.4-leeway"])
}

/// A token to reject for `reason`, with no acceptable alternative.
fn plain(reason: Reason) -> Vector {
    let v = vector(
        "plain/reject",
        Severity::Must,
        &[],
        step(forge::baseline_token(), reject(reason)),
    );
    cites(v, &["RFC7515-5.2-signature"])
}

fn accepts() -> Outcome {
    Outcome::Accept {
        claims: forge::claims(),
    }
}

fn accepts_other_claims() -> Outcome {
    Outcome::Accept {
        claims: json!({"sub": "someone else"}),
    }
}

/// A rejection whose reason the adapter mapped to this ID (any string: adapters may send
/// anything).
fn rejects(reason: Option<&str>) -> Outcome {
    Outcome::Reject {
        error: "library says no".to_owned(),
        reason: reason.map(ReasonId::from),
    }
}

fn refuses(code: Option<&str>) -> Outcome {
    Outcome::ConfigError {
        error: "library refuses the set".to_owned(),
        code: code.map(CodeId::from),
    }
}

fn crashes() -> Outcome {
    Outcome::AdapterError {
        error: "panic: boom".to_owned(),
    }
}

#[rstest]
// A late rejection: acceptable by verdict when unmapped, by reason when mapped or exact.
#[case::late_unmapped(late(), false, rejects(None), TestResult::Acceptable, None)]
#[case::late_mapped(
    late(),
    false,
    rejects(Some("alg_not_allowed")),
    TestResult::Acceptable,
    None
)]
#[case::late_other_reason(
    late(),
    false,
    rejects(Some("signature_invalid")),
    TestResult::Fail,
    Some(Impact::LateFailure)
)]
#[case::late_accepted(late(), false, accepts(), TestResult::Fail, Some(Impact::Forgery))]
#[case::late_refused(late(), false, refuses(None), TestResult::Pass, None)]
#[case::late_exact_mapped(
    late(),
    true,
    rejects(Some("alg_not_allowed")),
    TestResult::Acceptable,
    None
)]
#[case::late_exact_unmapped(
    late(),
    true,
    rejects(None),
    TestResult::Fail,
    Some(Impact::LateFailure)
)]
#[case::late_exact_other_code(
    late(),
    true,
    refuses(Some("key_private_member")),
    TestResult::Fail,
    Some(Impact::ReasonMismatch)
)]
#[case::late_exact_code(late(), true, refuses(Some("key_wrong_alg")), TestResult::Pass, None)]
// A stricter library refusing a conforming token.
#[case::lenient_unmapped(lenient(), false, rejects(None), TestResult::Acceptable, None)]
#[case::lenient_other_reason(
    lenient(),
    false,
    rejects(Some("expired")),
    TestResult::Fail,
    Some(Impact::FalseReject)
)]
#[case::lenient_config(
    lenient(),
    false,
    refuses(None),
    TestResult::Fail,
    Some(Impact::FalseReject)
)]
#[case::lenient_exact(
    lenient(),
    true,
    rejects(Some("exp_upper_bound")),
    TestResult::Acceptable,
    None
)]
#[case::claims_exact(
    lenient(),
    true,
    accepts_other_claims(),
    TestResult::Fail,
    Some(Impact::ReasonMismatch)
)]
#[case::claims_lax(lenient(), false, accepts_other_claims(), TestResult::Pass, None)]
// Accepting what must be rejected, by the kind of the expected reason.
#[case::forged(
    plain(Reason::SignatureInvalid),
    false,
    accepts(),
    TestResult::Fail,
    Some(Impact::Forgery)
)]
#[case::alg(
    plain(Reason::AlgHmacRejected),
    false,
    accepts(),
    TestResult::Fail,
    Some(Impact::Forgery)
)]
#[case::expired(
    plain(Reason::Expired),
    false,
    accepts(),
    TestResult::Fail,
    Some(Impact::PolicyBypass)
)]
#[case::typ(
    plain(Reason::TypMismatch),
    false,
    accepts(),
    TestResult::Fail,
    Some(Impact::PolicyBypass)
)]
#[case::replayed(
    plain(Reason::JtiReplayed),
    false,
    accepts(),
    TestResult::Fail,
    Some(Impact::PolicyBypass)
)]
#[case::lax(
    plain(Reason::LaxBase64),
    false,
    accepts(),
    TestResult::Fail,
    Some(Impact::ParserLaxity)
)]
#[case::dup(
    plain(Reason::DuplicateJsonKeys),
    false,
    accepts(),
    TestResult::Fail,
    Some(Impact::ParserLaxity)
)]
#[case::other_reason(
    plain(Reason::SignatureInvalid),
    false,
    rejects(Some("alg_none")),
    TestResult::Pass,
    None
)]
#[case::exact_other_reason(
    plain(Reason::SignatureInvalid),
    true,
    rejects(Some("alg_none")),
    TestResult::Fail,
    Some(Impact::ReasonMismatch)
)]
#[case::config_for_reject(
    plain(Reason::SignatureInvalid),
    false,
    refuses(None),
    TestResult::Fail,
    Some(Impact::ReasonMismatch)
)]
#[case::crashed(
    plain(Reason::SignatureInvalid),
    false,
    crashes(),
    TestResult::Fail,
    Some(Impact::AdapterError)
)]
fn a_step_is_exact_acceptable_or_a_failure_with_an_impact(
    #[case] vector: Vector,
    #[case] exact: bool,
    #[case] answer: Outcome,
    #[case] result: TestResult,
    #[case] impact: Option<Impact>,
) {
    let basis = vector.basis.clone();
    assert!(!basis.is_empty());
    let report = run_on(Scripted::new(exact, vec![answer]), vec![vector]);
    let r = only(&report);
    assert_eq!((r.result, r.impact), (result, impact), "{}", r.detail);
    let t = report.summary.total;
    let counts = (t.pass, t.acceptable, t.fail);
    match result {
        TestResult::Pass => assert_eq!(counts, (1, 0, 0)),
        TestResult::Acceptable => {
            assert_eq!(counts, (0, 1, 0));
            assert!(r.detail.starts_with("acceptable: "), "{}", r.detail);
            assert!(r.detail.contains("listed as acceptable"), "{}", r.detail);
        }
        TestResult::Fail => {
            assert_eq!(counts, (0, 0, 1));
            let class = impact.unwrap();
            assert_eq!(report.summary.impact(class, r.severity), 1);
        }
        TestResult::Skip => unreachable!(),
    }
    assert_eq!(r.basis, basis);
}

/// A `must` sequence on the signature clause, so an accepted bad signature is a forgery.
fn two_steps(id: &str, steps: Vec<conformance::vector::Step>) -> Vector {
    let mut v = vector(id, Severity::Must, &[], steps[0].clone());
    v.basis = vec!["RFC9068-4-signature".to_owned()];
    v.body = Body::Steps { steps };
    v
}

#[test]
fn the_gravest_failing_step_decides_a_vector() {
    let v = two_steps(
        "seq/two-failures",
        vec![
            step(forge::baseline_token(), accept()),
            step(forge::baseline_token(), reject(Reason::SignatureInvalid)),
        ],
    );
    let report = run_on(
        Scripted::new(false, vec![rejects(None), accepts()]),
        vec![v],
    );
    let r = only(&report);
    assert_eq!(r.result, TestResult::Fail);
    assert_eq!(r.impact, Some(Impact::Forgery));
    assert!(r.detail.starts_with("step 1: "), "{}", r.detail);
    assert_eq!(
        r.expected.reason,
        Some(Cause::Reason(Reason::SignatureInvalid.into()))
    );
    let impacts: Vec<Option<Impact>> = r.steps.iter().map(|s| s.impact).collect();
    assert_eq!(
        impacts,
        vec![Some(Impact::FalseReject), Some(Impact::Forgery)]
    );
}

#[test]
fn one_acceptable_step_makes_the_vector_acceptable_and_one_failure_fails_it() {
    let steps = vec![
        also(
            step(
                forge::baseline_token(),
                config_error(ConfigCode::KeyPrivateMember),
            ),
            vec![Acceptable::Reject(None)],
        ),
        step(forge::baseline_token(), reject(Reason::SignatureInvalid)),
    ];
    let acceptable = run_on(
        Scripted::new(false, vec![rejects(None), rejects(None)]),
        vec![two_steps("seq/late", steps.clone())],
    );
    let r = only(&acceptable);
    assert_eq!((r.result, r.impact), (TestResult::Acceptable, None));
    assert!(r.detail.starts_with("step 0: acceptable"), "{}", r.detail);
    let results: Vec<TestResult> = r.steps.iter().map(|s| s.result).collect();
    assert_eq!(results, vec![TestResult::Acceptable, TestResult::Pass]);
    let failed = run_on(
        Scripted::new(false, vec![rejects(None), accepts()]),
        vec![two_steps("seq/late", steps)],
    );
    let r = only(&failed);
    assert_eq!(
        (r.result, r.impact),
        (TestResult::Fail, Some(Impact::Forgery))
    );
    assert!(r.detail.starts_with("step 1: "), "{}", r.detail);
}

#[test]
fn an_exact_adapter_that_is_merely_acceptable_has_not_passed() {
    let corpus = Corpus::from_vectors(vec![common::strict_expectation()]);
    let reference =
        runner::run_quietly(Arc::new(Reference::new()), &corpus, &RunOptions::default());
    assert_eq!(only(&reference).result, TestResult::Acceptable);
    assert_eq!(reference.summary.total.fail, 0);
    assert!(!reference.passed(), "the reference must be exact");
    let library = run_on(
        Scripted::new(false, vec![accepts()]),
        vec![common::strict_expectation()],
    );
    assert_eq!(only(&library).result, TestResult::Acceptable);
    assert!(library.passed(), "acceptable is a pass for a library");
    let exact = run_on(
        Scripted::new(true, vec![accepts()]),
        vec![common::strict_expectation()],
    );
    assert!(!exact.passed());
}

fn unmapped_rejecter_over_the_common_corpus() -> Report {
    runner::run_quietly(
        Arc::new(Scripted::new(false, vec![rejects(None)])),
        &common::corpus(),
        &RunOptions::default(),
    )
}

#[test]
fn tallies_count_exact_acceptable_and_failures_by_impact() {
    let report = unmapped_rejecter_over_the_common_corpus();
    let t = report.summary.total;
    // accept/baseline and state/replay's first step are refused; jwks/private-d is a late
    // rejection, listed as acceptable.
    assert_eq!(
        (t.vectors, t.pass, t.acceptable, t.fail, t.skip),
        (7, 4, 1, 2, 0)
    );
    assert_eq!(t.run(), 7);
    assert_eq!(t.conformed(), 5);
    assert_eq!(
        report.summary.impact(Impact::FalseReject, Severity::Must),
        2
    );
    let by_impact: usize = report
        .summary
        .by_impact
        .values()
        .map(|c| c.must + c.profile)
        .sum();
    assert_eq!(by_impact, t.fail);
    assert_eq!(
        report.summary.by_category["jwks"].acceptable, 1,
        "{:?}",
        report.summary.by_category
    );
}

#[test]
fn every_format_shows_acceptable_results_and_impacts() {
    let report = unmapped_rejecter_over_the_common_corpus();
    let reports = std::slice::from_ref(&report);
    let json: Value = serde_json::from_str(&conformance::report::json::render(reports)).unwrap();
    assert_eq!(json["summary"]["total"]["pass"], 4);
    assert_eq!(json["summary"]["total"]["acceptable"], 1);
    assert_eq!(json["summary"]["by_impact"]["false-reject"]["must"], 2);
    let results = json["results"].as_array().unwrap();
    let by_id = |id: &str| results.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(by_id("jwks/private-d")["result"], "acceptable");
    assert!(by_id("jwks/private-d").get("impact").is_none());
    assert_eq!(by_id("accept/baseline")["result"], "fail");
    assert_eq!(by_id("accept/baseline")["impact"], "false-reject");
    assert_eq!(by_id("alg/none")["result"], "pass");
    assert_eq!(
        by_id("alg/none")["basis"],
        json!(["RFC7518-3.6-none", "RFC8725-3.1-alg", "M01"])
    );
    assert_eq!(by_id("state/replay")["steps"][0]["impact"], "false-reject");

    let junit = conformance::report::junit::render(reports);
    let case = |id: &str| {
        let start = junit
            .find(&format!("<testcase name=\"{id}\""))
            .unwrap_or_else(|| panic!("{id} missing in {junit}"));
        let end = start + junit[start..].find("</testcase>").unwrap();
        junit[start..end].to_owned()
    };
    let acceptable = case("jwks/private-d");
    assert!(!acceptable.contains("<failure"), "{acceptable}");
    assert!(
        acceptable.contains("name=\"result\" value=\"acceptable\""),
        "{acceptable}"
    );
    assert!(acceptable.contains("<system-out>"), "{acceptable}");
    assert!(acceptable.contains("listed as acceptable"), "{acceptable}");
    let failed = case("accept/baseline");
    assert!(failed.contains("<failure"), "{failed}");
    assert!(failed.contains("type=\"must/false-reject\""), "{failed}");
    assert!(
        case("alg/none").contains("name=\"result\" value=\"pass\""),
        "{junit}"
    );

    let md = conformance::report::markdown::render(&report);
    assert!(
        md.contains("| category | pass | acceptable | fail | skip |"),
        "{md}"
    );
    assert!(md.contains("| jwks | 0 | 1 | 0 | 0 |"), "{md}");
    assert!(
        md.contains("| `accept/baseline` | must | false-reject | accept |"),
        "{md}"
    );
    assert!(md.contains("Acceptable (not expected"), "{md}");

    let text = conformance::report::text::render(&report);
    assert!(
        text.contains(
            "scripted: 7 vectors, 4 pass, 1 acceptable, 2 fail (0 adapter errors), 0 skip"
        ),
        "{text}"
    );
    assert!(
        text.contains("acceptable (1):\n  jwks/private-d [must]"),
        "{text}"
    );
    assert!(
        text.contains("accept/baseline [must] [false-reject]"),
        "{text}"
    );
    assert!(text.contains("false-reject         2 / 0"), "{text}");
}
