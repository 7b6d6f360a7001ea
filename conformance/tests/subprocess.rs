//! The subprocess protocol end to end, with a tiny script adapter (tests/fixtures).

mod common;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use conformance::adapter::Adapter;
use conformance::adapters::subprocess::{Subprocess, repair_surrogates};
use conformance::judge::{ReasonMatch, TestResult};
use conformance::report::{Report, VectorResult};
use conformance::runner::{self, RunOptions};

fn tiny(mode: &str) -> Subprocess {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny_adapter.py");
    Subprocess::new(
        "tiny",
        "python3",
        vec![
            script.to_string_lossy().into_owned(),
            mode.to_owned(),
            forge::baseline_token(),
        ],
        None,
    )
}

fn run(mode: &str) -> Report {
    let opts = RunOptions {
        timeout: Duration::from_millis(1500),
        grace: Duration::from_millis(500),
        wedge_after: 3,
    };
    runner::run(
        Arc::new(tiny(mode)),
        &common::corpus(),
        &opts,
        &mut |_, _, _| {},
    )
}

fn result<'a>(report: &'a Report, id: &str) -> &'a VectorResult {
    report.results.iter().find(|r| r.id == id).unwrap()
}

fn pid_of(report: &Report, id: &str) -> String {
    let said = result(report, id)
        .actual
        .as_ref()
        .unwrap()
        .error
        .clone()
        .unwrap();
    said.split("pid ")
        .nth(1)
        .unwrap()
        .trim_end_matches(')')
        .to_owned()
}

#[test]
fn hello_names_the_library_and_its_features() {
    let info = tiny("ok").info();
    assert_eq!(info.name, "tiny");
    assert_eq!(info.version, "1.0");
    assert!(
        info.capabilities
            .supports(conformance::vector::Feature::Clock)
    );
}

#[test]
fn a_script_adapter_runs_the_corpus_in_one_process() {
    let report = run("ok");
    assert_eq!(report.header.library, "tiny (Python)");
    assert_eq!(result(&report, "accept/baseline").result, TestResult::Pass);
    assert_eq!(result(&report, "jwks/private-d").result, TestResult::Pass);
    assert_eq!(result(&report, "state/replay").result, TestResult::Skip);
    let sig = result(&report, "signature/zero");
    assert_eq!(
        (sig.result, sig.reason_match),
        (TestResult::Pass, ReasonMatch::Match)
    );
    assert_eq!(
        result(&report, "typ/jwt").reason_match,
        ReasonMatch::Mismatch
    );
    let t = report.summary.total;
    assert_eq!((t.pass, t.fail, t.skip, t.errors), (6, 0, 1, 0));
    // One process per run, not per vector.
    assert_eq!(pid_of(&report, "alg/none"), pid_of(&report, "typ/jwt"));
}

#[test]
fn a_hung_process_is_killed_and_restarted() {
    let report = run("hang");
    let hung = result(&report, "signature/zero");
    // No answer in time is the library's denial of service, not the adapter's error.
    assert_eq!(
        hung.impact,
        Some(conformance::impact::Impact::DenialOfService)
    );
    assert!(!hung.adapter_error);
    assert!(hung.detail.contains("timeout"), "{}", hung.detail);
    assert!(hung.detail.contains("restarted"), "{}", hung.detail);
    assert_eq!(result(&report, "typ/jwt").result, TestResult::Pass);
    assert_ne!(pid_of(&report, "alg/none"), pid_of(&report, "typ/jwt"));
}

#[test]
fn a_crashed_process_is_reported_with_its_stderr_and_restarted() {
    let report = run("crash");
    let crashed = result(&report, "signature/zero");
    assert!(crashed.adapter_error);
    assert!(crashed.detail.contains("exited"), "{}", crashed.detail);
    assert!(
        crashed.detail.contains("dying on purpose"),
        "{}",
        crashed.detail
    );
    assert_eq!(result(&report, "time/expired").result, TestResult::Pass);
}

#[test]
fn garbage_on_stdout_is_a_protocol_error() {
    let report = run("garbage");
    let r = result(&report, "signature/zero");
    assert!(r.adapter_error);
    assert!(r.detail.contains("protocol error"), "{}", r.detail);
    assert_eq!(result(&report, "typ/jwt").result, TestResult::Pass);
}

#[test]
fn an_unknown_protocol_version_is_refused() {
    let report = run("v99");
    assert_eq!(report.header.library, "unavailable");
    let r = result(&report, "alg/none");
    assert!(r.adapter_error);
    assert!(r.detail.contains("version 99"), "{}", r.detail);
}

#[test]
fn lone_surrogates_from_other_languages_are_repaired() {
    assert_eq!(repair_surrogates(r#""\ud888x""#), r#""\uFFFDx""#);
    assert_eq!(repair_surrogates(r#""\udc00""#), r#""\uFFFD""#);
    assert_eq!(repair_surrogates(r#""\ud83d\ude00""#), r#""\ud83d\ude00""#);
    assert_eq!(repair_surrogates(r#""\\ud888""#), r#""\\ud888""#);
}
