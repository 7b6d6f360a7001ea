//! The runner catches broken verifiers, scores reasons separately, and the example adapter and
//! the hardening wrapper behave as documented.

mod common;

#[path = "../examples/minimal_adapter.rs"]
mod example;

use std::sync::Arc;
use std::time::{Duration, Instant};

use conformance::adapter::{Adapter, AdapterInfo, Capabilities, Case, Outcome};
use conformance::adapters::hardened::Hardened;
use conformance::adapters::reference::Reference;
use conformance::impact::Impact;
use conformance::judge::{ReasonMatch, SkipCause, TestResult};
use conformance::outcome::OutcomeKind;
use conformance::report::{Report, VectorResult, matrix};
use conformance::runner::{self, RunOptions};
use conformance::set::id_matches;
use conformance::vector::{Feature, Severity};
use rstest::rstest;
use serde_json::Value;
use verifier::Algorithm::{self, ES256, PS256, RS256};
use verifier::Preset::{self, Jwt, OidcIdToken, Rfc9068};
use verifier::{Profile, Reason};

/// A fake verifier: `behave` decides every answer.
struct Fake {
    exact: bool,
    features: Vec<Feature>,
    behave: fn(&Case<'_>) -> Outcome,
}

impl Adapter for Fake {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "fake".into(),
            library: "fake".into(),
            version: "0".into(),
            capabilities: Capabilities {
                exact: self.exact,
                ..Capabilities::new(self.features.clone())
            },
            notes: vec![],
        }
    }

    fn verify(&self, case: &Case<'_>) -> Outcome {
        (self.behave)(case)
    }
}

fn fake(behave: fn(&Case<'_>) -> Outcome) -> Fake {
    Fake {
        exact: false,
        features: vec![Feature::Clock, Feature::JwksParsing],
        behave,
    }
}

fn quick() -> RunOptions {
    RunOptions {
        timeout: Duration::from_millis(300),
        grace: Duration::from_millis(100),
        wedge_after: 3,
    }
}

fn run(adapter: impl Adapter + 'static) -> Report {
    run_with(adapter, &quick())
}

fn run_with(adapter: impl Adapter + 'static, opts: &RunOptions) -> Report {
    runner::run(
        Arc::new(adapter),
        &common::corpus(),
        opts,
        &mut |_, _, _| {},
    )
}

fn result<'a>(report: &'a Report, id: &str) -> &'a VectorResult {
    report.results.iter().find(|r| r.id == id).unwrap()
}

fn accept_all(case: &Case<'_>) -> Outcome {
    let _ = case;
    Outcome::Accept {
        claims: forge::claims(),
    }
}

#[test]
fn reference_passes_every_vector_including_state() {
    let report = run(Reference::new());
    assert!(report.passed(), "{:#?}", report.summary.total);
    assert_eq!(report.summary.total.pass, 7);
    assert_eq!(result(&report, "state/replay").steps.len(), 2);
    assert_eq!(report.summary.total.reason_match, 6);
}

#[test]
fn accept_everything_is_caught() {
    let report = run(fake(accept_all));
    assert_eq!(result(&report, "accept/baseline").result, TestResult::Pass);
    for id in [
        "alg/none",
        "signature/zero",
        "typ/jwt",
        "time/expired",
        "jwks/private-d",
    ] {
        let r = result(&report, id);
        assert_eq!(r.result, TestResult::Fail, "{id}");
        assert_eq!(r.actual.as_ref().unwrap().verdict, OutcomeKind::Accept);
        assert!(r.detail.starts_with("expected "), "{}", r.detail);
    }
    // Stateful vectors are skipped for want of the feature, not failed.
    let replay = result(&report, "state/replay");
    assert_eq!(replay.result, TestResult::Skip);
    assert!(replay.detail.contains("replay"), "{}", replay.detail);
    let must = report.summary.by_severity[&Severity::Must];
    assert_eq!((must.pass, must.fail, must.skip), (1, 4, 1));
    assert!(!report.passed());
}

fn reject_wrong_reason(_: &Case<'_>) -> Outcome {
    Outcome::reject_as("nope", Some(Reason::AlgNone))
}

#[test]
fn rejecting_everything_with_the_wrong_reason_is_scored_separately() {
    let report = run(fake(reject_wrong_reason));
    // Verdicts agree on the rejections; the accept fails; reasons are scored on their own.
    assert_eq!(result(&report, "accept/baseline").result, TestResult::Fail);
    assert_eq!(result(&report, "signature/zero").result, TestResult::Pass);
    assert_eq!(
        result(&report, "signature/zero").reason_match,
        ReasonMatch::Mismatch
    );
    assert_eq!(result(&report, "alg/none").reason_match, ReasonMatch::Match);
    let t = report.summary.total;
    assert_eq!((t.reason_match, t.reason_mismatch), (1, 3));
    assert_eq!(t.verdict_agree, 4);
    // An adapter that claims exact reasons fails on every wrong one.
    let exact = run(Fake {
        exact: true,
        ..fake(reject_wrong_reason)
    });
    assert_eq!(result(&exact, "signature/zero").result, TestResult::Fail);
    assert_eq!(result(&exact, "alg/none").result, TestResult::Pass);
}

fn unmapped(_: &Case<'_>) -> Outcome {
    Outcome::reject("library error text")
}

#[test]
fn unmapped_reasons_are_counted_not_failed() {
    let report = run(fake(unmapped));
    assert_eq!(result(&report, "typ/jwt").result, TestResult::Pass);
    assert_eq!(
        result(&report, "typ/jwt").reason_match,
        ReasonMatch::Unmapped
    );
    assert_eq!(report.summary.total.reason_unmapped, 4);
}

fn panics(_: &Case<'_>) -> Outcome {
    panic!("boom in the library")
}

#[test]
fn a_panicking_verifier_is_reported_and_the_run_continues() {
    // A panic with RUST_BACKTRACE set prints a symbolized backtrace, which can take longer than
    // the quick timeout on a loaded machine: this test is about panics, not timeouts.
    let patient = RunOptions {
        timeout: Duration::from_secs(20),
        ..quick()
    };
    let report = run_with(fake(panics), &patient);
    for r in report
        .results
        .iter()
        .filter(|r| r.result != TestResult::Skip)
    {
        assert_eq!(r.result, TestResult::Fail, "{}", r.id);
        assert!(r.adapter_error);
        assert!(
            r.detail.contains("panic: boom in the library"),
            "{}",
            r.detail
        );
    }
    assert_eq!(report.summary.total.errors, 6);
}

fn hangs_on_signature(case: &Case<'_>) -> Outcome {
    if case.id().starts_with("signature/") {
        std::thread::sleep(Duration::from_secs(3600));
    }
    accept_all(case)
}

#[test]
fn a_hang_is_cut_off_by_the_timeout_and_the_run_continues() {
    let started = Instant::now();
    let report = run(fake(hangs_on_signature));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // No answer in time is a denial of service by the library, not the adapter's own error.
    let hung = result(&report, "signature/zero");
    assert_eq!(hung.result, TestResult::Fail);
    assert_eq!(hung.impact, Some(Impact::DenialOfService));
    assert!(!hung.adapter_error);
    assert!(hung.detail.contains("timeout"), "{}", hung.detail);
    assert_eq!(
        report
            .summary
            .impact(Impact::DenialOfService, Severity::Must),
        1
    );
    assert_eq!(report.summary.total.errors, 0);
    // Vectors after the hang still ran on a fresh worker.
    assert_eq!(
        result(&report, "typ/jwt").actual.as_ref().unwrap().verdict,
        OutcomeKind::Accept
    );
    assert_eq!(result(&report, "accept/baseline").result, TestResult::Pass);
}

fn hangs_always(_: &Case<'_>) -> Outcome {
    std::thread::sleep(Duration::from_secs(3600));
    Outcome::reject("unreachable")
}

#[test]
fn an_adapter_that_always_hangs_is_declared_wedged() {
    let started = Instant::now();
    let report = run(fake(hangs_always));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let run: Vec<&VectorResult> = report
        .results
        .iter()
        .filter(|r| r.result != TestResult::Skip)
        .collect();
    // Three timeouts in a row, each a denial of service; then the adapter is wedged, and the
    // rest are the adapter's failure (a broken run), not the library's.
    let timeouts: Vec<_> = run
        .iter()
        .filter(|r| r.detail.contains("timeout: no answer"))
        .collect();
    assert_eq!(timeouts.len(), 3);
    assert!(
        timeouts
            .iter()
            .all(|r| r.impact == Some(Impact::DenialOfService) && !r.adapter_error)
    );
    let wedged: Vec<_> = run.iter().filter(|r| r.detail.contains("wedged")).collect();
    assert!(!wedged.is_empty(), "{run:?}");
    assert!(
        wedged
            .iter()
            .all(|r| r.impact == Some(Impact::AdapterError))
    );
    assert!(report.broken().is_some());
    assert_eq!(report.summary.total.errors, run.len() - 3);
}

#[test]
fn hardened_closes_header_and_claim_gaps_but_not_signatures() {
    let report = run(Hardened::new(fake(accept_all)));
    assert_eq!(report.header.adapter, "fake+hardened");
    assert_eq!(result(&report, "alg/none").result, TestResult::Pass);
    assert_eq!(result(&report, "alg/none").reason_match, ReasonMatch::Match);
    assert_eq!(result(&report, "typ/jwt").result, TestResult::Pass);
    assert_eq!(result(&report, "time/expired").result, TestResult::Pass);
    assert_eq!(result(&report, "jwks/private-d").result, TestResult::Pass);
    // The signature is the library's job: the seam cannot fix a library that accepts forgeries.
    assert_eq!(result(&report, "signature/zero").result, TestResult::Fail);
    assert_eq!(result(&report, "accept/baseline").result, TestResult::Pass);
}

#[test]
fn the_documented_example_adapter_compiles_and_passes() {
    let report = run(example::MinimalAdapter);
    assert!(report.passed(), "{:#?}", report.results);
    assert_eq!(report.summary.total.pass, 6);
    assert_eq!(report.summary.total.skip, 1);
}

#[test]
fn filters_are_globs_or_substrings() {
    assert!(id_matches("alg/none-upper", "alg/*"));
    assert!(id_matches("alg/none-upper", "none"));
    assert!(id_matches("alg/none-upper", "*/none-?pper"));
    assert!(!id_matches("alg/none-upper", "typ/*"));
    assert!(!id_matches("alg/none", "alg/none?"));
    assert_eq!(common::corpus().filtered(Some("alg/*")).vectors.len(), 1);
}

#[test]
fn reports_render_in_every_format() {
    let report = run(fake(accept_all));
    let json: Value = serde_json::from_str(&conformance::report::json::render(
        std::slice::from_ref(&report),
    ))
    .unwrap();
    assert_eq!(json["header"]["adapter"], "fake");
    assert_eq!(json["header"]["library_version"], "0");
    assert!(
        json["header"]["corpus_version"]
            .as_str()
            .unwrap()
            .starts_with("schema-v2+sha256:")
    );
    let first = &json["results"][0];
    for key in ["id", "expected", "actual", "result", "detail"] {
        assert!(first.get(key).is_some(), "{key} missing in {first}");
    }
    let junit = conformance::report::junit::render(std::slice::from_ref(&report));
    assert!(junit.starts_with("<?xml"));
    assert!(junit.contains("<testsuite name=\"fake/alg\""));
    assert!(junit.contains("<failure"));
    assert!(junit.contains("<skipped"));
    let md = conformance::report::markdown::render(&report);
    assert!(md.contains("| alg | 0 | 0 | 1 | 0 |"), "{md}");
    let text = conformance::report::text::render(&report);
    assert!(
        text.contains("fake: 7 vectors, 1 pass, 0 acceptable, 5 fail (0 adapter errors), 1 skip"),
        "{text}"
    );
}

#[test]
fn the_matrix_is_deterministic_and_its_freshness_is_checked() {
    let corpus = common::corpus();
    let reports = || {
        vec![
            run(Reference::new()),
            run(fake(accept_all)),
            run(Hardened::new(fake(accept_all))),
        ]
    };
    let files = matrix::render(&reports(), &corpus);
    assert_eq!(files, matrix::render(&reports(), &corpus));
    assert!(files.contains_key("matrix.md"));
    assert!(files.contains_key("matrix/fake-hardened.md"));
    let findings = &files["findings.md"];
    assert!(findings.contains("signature/zero"), "{findings}");
    assert!(findings.contains("accepted"));
    let docs = common::temp_dir("matrix");
    assert!(!matrix::check(&docs, &files).is_empty());
    matrix::write(&docs, &files).unwrap();
    assert!(matrix::check(&docs, &files).is_empty());
    std::fs::write(docs.join("matrix/gone.md"), "old").unwrap();
    assert_eq!(matrix::check(&docs, &files), vec!["matrix/gone.md"]);
    std::fs::remove_dir_all(docs).unwrap();
}

fn replay_then_skip_step_1(case: &Case<'_>) -> Outcome {
    match case.step {
        0 => Outcome::reject_as("no", Some(Reason::SignatureInvalid)),
        _ => Outcome::Skipped {
            why: "no replay store".into(),
        },
    }
}

fn accept_then_skip_step_1(case: &Case<'_>) -> Outcome {
    match case.step {
        0 => accept_all(case),
        _ => Outcome::Skipped {
            why: "no replay store".into(),
        },
    }
}

/// A step the adapter skips never hides a failure before it: the failing step decides the
/// vector. After steps that held, the vector is a library-limit skip naming the step.
#[rstest::rstest]
#[case::fail_then_skip(replay_then_skip_step_1, TestResult::Fail, "step 0: expected accept")]
#[case::pass_then_skip(
    accept_then_skip_step_1,
    TestResult::Skip,
    "step 1: skipped by the adapter: no replay store"
)]
fn a_skipped_step_keeps_the_failures_before_it(
    #[case] behave: fn(&Case<'_>) -> Outcome,
    #[case] want: TestResult,
    #[case] detail: &str,
) {
    let report = run(Fake {
        exact: false,
        features: vec![Feature::Replay],
        behave,
    });
    let replay = result(&report, "state/replay");
    assert_eq!(replay.result, want, "{replay:#?}");
    assert!(replay.detail.starts_with(detail), "{}", replay.detail);
    let steps: Vec<TestResult> = replay.steps.iter().map(|s| s.result).collect();
    assert_eq!(steps[1], TestResult::Skip);
    match want {
        TestResult::Fail => {
            assert_eq!(replay.impact, Some(Impact::FalseReject));
            assert_eq!(replay.skip_cause, None);
        }
        _ => assert_eq!(replay.skip_cause, Some(SkipCause::LibraryLimit)),
    }
}

/// Every skip has a cause, and every format shows the skips by cause.
#[test]
fn skips_carry_their_cause_into_every_format() {
    fn skips_signatures(case: &Case<'_>) -> Outcome {
        if case.id().starts_with("signature/") {
            return Outcome::Skipped {
                why: "cannot express".into(),
            };
        }
        accept_all(case)
    }
    let report = run(fake(skips_signatures));
    assert_eq!(
        result(&report, "state/replay").skip_cause,
        Some(SkipCause::FeatureNotDeclared)
    );
    assert_eq!(
        result(&report, "signature/zero").skip_cause,
        Some(SkipCause::LibraryLimit)
    );
    assert!(
        report
            .results
            .iter()
            .all(|r| (r.result == TestResult::Skip) == r.skip_cause.is_some())
    );
    let by_cause = &report.summary.by_skip_cause;
    assert_eq!(
        (
            by_cause[&SkipCause::FeatureNotDeclared],
            by_cause[&SkipCause::LibraryLimit]
        ),
        (1, 1)
    );
    let text = conformance::report::text::render(&report);
    assert!(
        text.contains(
            "skipped by cause:\n  feature not declared       1\n  library limit              1\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("skipped by the library (1):\n  signature/zero [must] skipped by the adapter: cannot express"),
        "{text}"
    );
    let md = conformance::report::markdown::render(&report);
    assert!(
        md.contains("| library limit (`library_limit`) | 1 |"),
        "{md}"
    );
    let junit = conformance::report::junit::render(std::slice::from_ref(&report));
    assert!(
        junit.contains(r#"<property name="skipped.library_limit" value="1"/>"#)
            && junit.contains(r#"<property name="skip_cause" value="feature_not_declared"/>"#),
        "{junit}"
    );
    let json: Value = serde_json::from_str(&conformance::report::json::render(
        std::slice::from_ref(&report),
    ))
    .unwrap();
    assert_eq!(json["summary"]["by_skip_cause"]["library_limit"], 1);
    let zero = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "signature/zero")
        .unwrap();
    assert_eq!(zero["skip_cause"], "library_limit");
}

#[test]
fn an_unavailable_adapter_skips_every_vector_for_that_cause() {
    let corpus = common::corpus();
    let report = runner::unavailable("pyjwt", "not installed", &corpus);
    assert_eq!(report.summary.total.skip, corpus.vectors.len());
    assert_eq!(
        report.summary.by_skip_cause[&SkipCause::AdapterUnavailable],
        corpus.vectors.len()
    );
    assert!(report.broken().is_none());
    assert_eq!(report.results[0].detail, "not installed");
}

/// An adapter that accepts every token and declares `0`.
struct Declares(Capabilities);

impl Adapter for Declares {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "declares".into(),
            library: "declares".into(),
            version: "0".into(),
            capabilities: self.0.clone(),
            notes: vec![],
        }
    }

    fn verify(&self, case: &Case<'_>) -> Outcome {
        accept_all(case)
    }
}

/// A vector needs every algorithm its profile allows and its preset: an adapter that does not
/// declare one skips it as `feature_not_declared`, the detail naming what is missing; one that
/// declares them runs it. (The token's own `alg` is not counted: `alg/none` runs everywhere.)
#[rstest]
#[case::es256_only_skips_rs256(&[ES256], &[Rfc9068], |p: &mut Profile| p.algorithms = vec![RS256], Some("algorithm(s): RS256"))]
#[case::declared_rs256_runs(&[ES256, RS256], &[Rfc9068], |p: &mut Profile| p.algorithms = vec![RS256], None)]
#[case::every_algorithm_is_needed(
    &[RS256],
    &[Rfc9068],
    |p: &mut Profile| p.algorithms = vec![RS256, PS256, ES256],
    Some("algorithm(s): ES256, PS256")
)]
#[case::undeclared_preset_skips(&[ES256], &[Rfc9068], |p: &mut Profile| p.preset = Jwt, Some("preset: jwt"))]
#[case::declared_preset_runs(&[ES256], &[Rfc9068, Jwt], |p: &mut Profile| p.preset = Jwt, None)]
#[case::both_named(
    &[ES256],
    &[Jwt],
    |p: &mut Profile| { p.preset = OidcIdToken; p.algorithms = vec![RS256]; },
    Some("adapter lacks algorithm(s): RS256; preset: oidc-id-token")
)]
fn undeclared_algorithms_and_presets_are_skipped(
    #[case] algorithms: &[Algorithm],
    #[case] presets: &[Preset],
    #[case] edit: fn(&mut Profile),
    #[case] skipped: Option<&str>,
) {
    let mut corpus = common::corpus().filtered(Some("accept/baseline"));
    edit(&mut Arc::make_mut(&mut corpus.vectors[0]).profile);
    let caps = Capabilities {
        algorithms: algorithms.iter().copied().collect(),
        presets: presets.iter().copied().collect(),
        ..Capabilities::new([])
    };
    let report = runner::run_quietly(Arc::new(Declares(caps)), &corpus, &quick());
    let r = &report.results[0];
    match skipped {
        Some(names) => {
            assert_eq!(
                (r.result, r.skip_cause),
                (TestResult::Skip, Some(SkipCause::FeatureNotDeclared))
            );
            assert!(r.detail.contains(names), "{}", r.detail);
            assert_eq!(
                report.summary.by_skip_cause[&SkipCause::FeatureNotDeclared],
                1
            );
        }
        None => assert_eq!(r.result, TestResult::Pass, "{}", r.detail),
    }
}

/// Adapters that declare no algorithms run ES256 under rfc9068, every vector of schema 2; the
/// reference declares every algorithm and preset.
#[test]
fn declarations_default_to_es256_under_rfc9068() {
    let plain = Capabilities::new([Feature::Clock]);
    assert_eq!(plain.algorithms, [ES256].into());
    assert_eq!(plain.presets, [Rfc9068].into());
    assert_eq!(Capabilities::default().algorithms, plain.algorithms);
    let reference = Reference::new().info().capabilities;
    assert_eq!(reference.algorithms, Algorithm::ALL.into());
    assert_eq!(reference.presets, Preset::ALL.into());
    let report = run(fake(accept_all));
    assert_eq!(result(&report, "alg/none").skip_cause, None);
}
