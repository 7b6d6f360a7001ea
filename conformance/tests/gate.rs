//! `--fail-on` levels and baselines: which results fail a run, which a baseline excuses, and
//! what it reports as fixed. The CLI's exit codes over the same cases are in tests/cli.rs.

mod common;

use conformance::gate::{BASELINE_VERSION, Baseline, FailOn, Gate};
use conformance::impact::Impact;
use conformance::judge::{SkipCause, TestResult};
use conformance::report::Report;
use conformance::report::model::VectorResult;
use conformance::vector::Severity;
use rstest::rstest;

/// A result of severity `severity` scored `result` with `impact` (an adapter error when the
/// impact is `AdapterError`).
fn result(
    id: &str,
    severity: Severity,
    result: TestResult,
    impact: Option<Impact>,
) -> VectorResult {
    let vectors = common::vectors();
    let vector = &vectors[0];
    let error = impact == Some(Impact::AdapterError);
    let mut r = common::result_of(
        vector,
        if error { "adapter_error" } else { "accept" },
        None,
        result,
    );
    r.id = id.to_owned();
    r.severity = severity;
    r.impact = impact;
    r
}

use FailOn::{Any, Dos, Forgery, Must, Profile};
use Severity::{Must as M, Profile as P};
use TestResult::{Acceptable, Fail, Pass, Skip};

#[rstest]
// level       severity result      impact                       exact  counts
#[case(Forgery, M, Fail, Some(Impact::Forgery), false, true)]
#[case(Forgery, M, Fail, Some(Impact::PolicyBypass), false, false)]
#[case(Forgery, M, Fail, Some(Impact::AdapterError), false, true)]
#[case(Forgery, P, Fail, Some(Impact::AdapterError), false, false)]
#[case(Forgery, M, Acceptable, None, false, false)]
#[case(Forgery, M, Acceptable, None, true, true)]
// A timeout accepted nothing: `dos` counts it on a must vector, `forgery` does not.
#[case(Forgery, M, Fail, Some(Impact::DenialOfService), false, false)]
#[case(Dos, M, Fail, Some(Impact::DenialOfService), false, true)]
#[case(Dos, P, Fail, Some(Impact::DenialOfService), false, false)]
#[case(Dos, M, Fail, Some(Impact::Forgery), false, true)]
#[case(Dos, M, Fail, Some(Impact::AdapterError), false, true)]
#[case(Dos, M, Fail, Some(Impact::PolicyBypass), false, false)]
#[case(Must, M, Fail, Some(Impact::DenialOfService), false, true)]
#[case(Profile, P, Fail, Some(Impact::DenialOfService), false, true)]
#[case(Must, M, Fail, Some(Impact::ReasonMismatch), false, true)]
#[case(Must, P, Fail, Some(Impact::PolicyBypass), false, false)]
#[case(Must, M, Fail, Some(Impact::AdapterError), false, true)]
#[case(Profile, P, Fail, Some(Impact::ParserLaxity), false, true)]
#[case(Profile, M, Acceptable, None, false, false)]
#[case(Profile, M, Acceptable, None, true, true)]
#[case(Any, P, Acceptable, None, false, true)]
#[case(Any, M, Pass, None, true, false)]
#[case(Any, M, Skip, None, true, false)]
fn levels_count_what_they_say(
    #[case] level: FailOn,
    #[case] severity: Severity,
    #[case] scored: TestResult,
    #[case] impact: Option<Impact>,
    #[case] exact: bool,
    #[case] counts: bool,
) {
    let r = result("v", severity, scored, impact);
    assert_eq!(level.counts(&r, exact), counts);
}

const LEVELS: [FailOn; 5] = [Forgery, Dos, Must, Profile, Any];

fn library(results: Vec<VectorResult>) -> Vec<Report> {
    vec![common::report_of("lib", false, results)]
}

fn today() -> Vec<Report> {
    library(vec![
        result("a/forged", M, Fail, Some(Impact::Forgery)),
        result("b/lax", M, Fail, Some(Impact::ParserLaxity)),
        result("c/strict", P, Fail, Some(Impact::FalseReject)),
        result("d/allowed", P, Acceptable, None),
        result("e/fine", M, Pass, None),
    ])
}

#[test]
fn without_a_baseline_every_counted_result_fails_the_run() {
    let reports = today();
    let gate = Gate::judge(Must, &reports, None);
    assert_eq!(gate.counted.len(), 2);
    assert!(!gate.passed());
    let clean = library(vec![result("e/fine", M, Pass, None)]);
    assert!(Gate::judge(Forgery, &clean, None).passed());
}

#[test]
fn a_baseline_excuses_what_it_lists_at_every_level() {
    let reports = today();
    let baseline = Baseline::of(&reports);
    // Every result that is not exact, whatever the level: one file serves every --fail-on.
    assert_eq!(baseline.failures.len(), 4);
    for level in LEVELS {
        let gate = Gate::judge(level, &reports, Some(&baseline));
        assert!(gate.passed(), "{level:?}: {}", gate.render());
        assert!(gate.fixed.is_empty());
    }
}

#[test]
fn a_failure_missing_from_the_baseline_fails_the_run() {
    let reports = today();
    let mut baseline = Baseline::of(&reports);
    baseline.failures.retain(|e| e.vector != "b/lax");
    let gate = Gate::judge(Must, &reports, Some(&baseline));
    assert!(!gate.passed());
    let new: Vec<&str> = gate.new_failures().map(|c| c.result.id.as_str()).collect();
    assert_eq!(new, ["b/lax"]);
    assert!(gate.render().contains("b/lax"), "{}", gate.render());
    // Another adapter's entry for the same vector excuses nothing.
    baseline
        .failures
        .iter_mut()
        .for_each(|e| e.adapter = "other".into());
    assert_eq!(
        Gate::judge(Must, &reports, Some(&baseline))
            .new_failures()
            .count(),
        2
    );
}

#[test]
fn a_graver_failure_than_the_baseline_says_is_new() {
    let reports = today();
    let mut baseline = Baseline::of(&reports);
    for e in &mut baseline.failures {
        if e.vector == "a/forged" {
            e.impact = Some(Impact::ParserLaxity);
        }
        if e.vector == "b/lax" {
            // Milder now than recorded: still known.
            e.impact = Some(Impact::Forgery);
        }
    }
    let gate = Gate::judge(Must, &reports, Some(&baseline));
    let new: Vec<&str> = gate.new_failures().map(|c| c.result.id.as_str()).collect();
    assert_eq!(new, ["a/forged"]);
    assert!(
        gate.render().contains("(baseline: parser-laxity)"),
        "{}",
        gate.render()
    );
    // A timeout a baseline of an older runner recorded as an adapter error is still known.
    let mut older = Baseline::of(&reports);
    let timed_out = library(vec![result(
        "b/lax",
        M,
        Fail,
        Some(Impact::DenialOfService),
    )]);
    for e in &mut older.failures {
        e.impact = Some(Impact::AdapterError);
    }
    assert!(Gate::judge(Must, &timed_out, Some(&older)).passed());
    // A failure where the baseline recorded an acceptable result is new, too.
    let mut baseline = Baseline::of(&reports);
    let worse = library(vec![result(
        "d/allowed",
        P,
        Fail,
        Some(Impact::FalseReject),
    )]);
    baseline.failures.retain(|e| e.vector == "d/allowed");
    assert!(!Gate::judge(Profile, &worse, Some(&baseline)).passed());
}

#[test]
fn a_fixed_failure_passes_and_is_reported_so_the_baseline_shrinks() {
    let before = today();
    let baseline = Baseline::of(&before);
    let after = library(vec![
        result("a/forged", M, Fail, Some(Impact::Forgery)),
        result("b/lax", M, Pass, None),
        result("c/strict", P, Acceptable, None),
        result("d/allowed", P, Skip, None),
    ]);
    let gate = Gate::judge(Must, &after, Some(&baseline));
    let fixed: Vec<&str> = gate.fixed.iter().map(|e| e.vector.as_str()).collect();
    // A skipped vector is not better (it tells nothing); an acceptable one where it failed is.
    assert_eq!(fixed, ["b/lax", "c/strict"]);
    assert!(gate.render().contains("shrink it"), "{}", gate.render());
    // The skip of a vector that ran is coverage lost, the one thing failing this gate.
    assert!(!gate.passed() && gate.new_failures().next().is_none());
    assert_eq!(gate.coverage_lost[0].result.id, "d/allowed");
    let ran = library(after[0].results[..3].to_vec());
    assert!(Gate::judge(Must, &ran, Some(&baseline)).passed());
}

#[test]
fn baseline_files_round_trip_sorted_and_bad_ones_are_refused() {
    let dir = common::temp_dir("gate-baseline");
    let path = dir.join("baseline.json");
    let baseline = Baseline::of(&today());
    std::fs::write(&path, baseline.to_json()).unwrap();
    let read = Baseline::read(&path).unwrap();
    assert_eq!(read.failures, baseline.failures);
    assert_eq!(read.baseline_version, BASELINE_VERSION);
    for (text, want) in [
        ("{", "not a baseline file"),
        (
            r#"{"baseline_version": 1, "corpus_version": "x", "failures": [], "extra": 1}"#,
            "unknown field",
        ),
        (
            r#"{"baseline_version": 99, "corpus_version": "x", "failures": []}"#,
            "baseline_version 99",
        ),
        (
            r#"{"baseline_version": 1, "corpus_version": "x", "failures": [{"adapter": "a", "vector": "v", "result": "pass", "severity": "must"}]}"#,
            "is `pass`",
        ),
    ] {
        std::fs::write(&path, text).unwrap();
        let error = Baseline::read(&path).unwrap_err();
        assert!(error.contains(want), "{text}: {error}");
    }
    let big = std::fs::File::create(&path).unwrap();
    big.set_len(conformance::gate::MAX_BASELINE_BYTES + 1)
        .unwrap();
    assert!(Baseline::read(&path).unwrap_err().contains("larger than"));
    assert!(Baseline::read(&dir.join("missing.json")).is_err());
    std::fs::remove_dir_all(dir).unwrap();
}

/// `r` skipped for `cause`.
fn skipped(mut r: VectorResult, cause: SkipCause) -> VectorResult {
    r.result = Skip;
    r.impact = None;
    r.skip_cause = Some(cause);
    r
}

#[test]
fn a_vector_that_ran_and_now_skips_is_coverage_lost_at_every_level() {
    let before = library(vec![
        result("a/ran", P, Pass, None),
        skipped(
            result("b/never", M, Skip, None),
            SkipCause::FeatureNotDeclared,
        ),
        result("c/fails", M, Fail, Some(Impact::Forgery)),
    ]);
    let baseline = Baseline::of(&before);
    let coverage = baseline.coverage.as_ref().unwrap();
    assert_eq!(coverage[0].ran, ["a/ran", "c/fails"]);
    assert_eq!(coverage[0].skipped[0].vector, "b/never");
    // The same run passes against its own baseline.
    for level in LEVELS {
        assert!(Gate::judge(level, &before, Some(&baseline)).passed());
    }
    // `a/ran` and `c/fails` skip now (the library's limit, a lean build); `b/never` still
    // skips and `d/new` is new to the corpus: neither ran before, so neither is lost.
    let after = library(vec![
        skipped(result("a/ran", P, Pass, None), SkipCause::LibraryLimit),
        skipped(result("b/never", M, Pass, None), SkipCause::LiveNotBuilt),
        skipped(result("c/fails", M, Pass, None), SkipCause::LiveNotBuilt),
        skipped(
            result("d/new", M, Pass, None),
            SkipCause::FeatureNotDeclared,
        ),
        result("e/runs", M, Pass, None),
    ]);
    for level in LEVELS {
        let gate = Gate::judge(level, &after, Some(&baseline));
        let lost: Vec<&str> = gate
            .coverage_lost
            .iter()
            .map(|l| l.result.id.as_str())
            .collect();
        assert_eq!(lost, ["a/ran", "c/fails"], "{level:?}");
        assert!(!gate.passed(), "{level:?}");
        let text = gate.render();
        assert!(
            text.contains("2 coverage lost, 0 new; FAILED")
                && text.contains("a/ran")
                && text.contains("library limit"),
            "{text}"
        );
        assert_eq!(gate.skipped[&SkipCause::LiveNotBuilt], 2);
    }
    // An updated baseline records the skips: the run passes again.
    let updated = Baseline::of(&after);
    for level in LEVELS {
        assert!(
            Gate::judge(level, &after, Some(&updated)).passed(),
            "{level:?}"
        );
    }
    // Another adapter's coverage says nothing about this one.
    let mut other = baseline.clone();
    other.coverage.as_mut().unwrap()[0].adapter = "other".into();
    assert!(
        Gate::judge(Must, &after, Some(&other))
            .coverage_lost
            .is_empty()
    );
}

#[test]
fn a_run_where_nothing_ran_never_passes() {
    let all_skipped = library(vec![skipped(
        result("a/x", M, Skip, None),
        SkipCause::AdapterUnavailable,
    )]);
    for level in LEVELS {
        let gate = Gate::judge(level, &all_skipped, None);
        assert!(gate.nothing_ran() && !gate.passed(), "{level:?}");
        assert!(gate.render().contains("nothing ran"), "{}", gate.render());
    }
    assert!(!Gate::judge(Any, &library(vec![]), None).passed());
    let json: serde_json::Value =
        serde_json::from_str(&Gate::judge(Must, &all_skipped, None).to_json()).unwrap();
    assert_eq!(json["passed"], false);
    assert_eq!(json["ran"], 0);
    assert_eq!(json["skipped"]["adapter_unavailable"], 1);
}

#[test]
fn a_version_1_baseline_still_excuses_failures_and_says_it_checks_no_coverage() {
    let dir = common::temp_dir("gate-v1");
    let path = dir.join("baseline.json");
    std::fs::write(
        &path,
        r#"{"baseline_version": 1, "corpus_version": "x", "failures": [
            {"adapter": "lib", "vector": "a/forged", "result": "fail", "severity": "must", "impact": "forgery"},
            {"adapter": "lib", "vector": "b/lax", "result": "fail", "severity": "must", "impact": "parser-laxity"}]}"#,
    )
    .unwrap();
    let v1 = Baseline::read(&path).unwrap();
    assert!(v1.coverage.is_none());
    let mut reports = today();
    reports[0].results[4] = skipped(result("e/fine", M, Pass, None), SkipCause::LibraryLimit);
    let gate = Gate::judge(Must, &reports, Some(&v1));
    assert!(gate.passed(), "{}", gate.render());
    assert!(
        gate.render().contains("records no coverage"),
        "{}",
        gate.render()
    );
    // Version 1 with coverage, or version 2 without, is no baseline.
    for (version, coverage) in [(1, r#", "coverage": []"#), (2, "")] {
        std::fs::write(
            &path,
            format!(r#"{{"baseline_version": {version}, "corpus_version": "x", "failures": []{coverage}}}"#),
        )
        .unwrap();
        let error = Baseline::read(&path).unwrap_err();
        assert!(error.contains("coverage"), "{version}: {error}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// The Rust maintainer's path of docs/maintainers.md: `gate::check` in a library's own tests.
#[test]
fn check_runs_the_embedded_corpus_and_judges_it() {
    use std::sync::Arc;

    use conformance::adapters::{build, project_root};
    use conformance::gate::check;

    let reference = build("reference", &project_root()).unwrap();
    let passed = check(Arc::clone(&reference), Forgery, None).unwrap();
    assert!(passed.contains("0 counted"), "{passed}");
    // jwt-compact fails must vectors: without a baseline the gate fails and names them.
    let library = build("jwt-compact", &project_root()).unwrap();
    let failed = check(Arc::clone(&library), Must, None).unwrap_err();
    assert!(
        failed.contains("FAILED") && failed.contains("jwt-compact"),
        "{failed}"
    );
    // A baseline of today's failures excuses them.
    let dir = common::temp_dir("gate-check");
    let baseline = dir.join("baseline.json");
    let corpus = conformance::embedded::corpus().unwrap();
    let report = conformance::runner::run_quietly(library.clone(), &corpus, &Default::default());
    std::fs::write(&baseline, Baseline::of(&[report]).to_json()).unwrap();
    let known = check(library, Must, Some(&baseline)).unwrap();
    assert!(known.contains("0 new; passed"), "{known}");
    std::fs::remove_dir_all(dir).unwrap();
}
