//! The runner: applies an adapter to a corpus, one vector at a time, step by step, and
//! assembles the report. Data flows one way: [`crate::call`] calls the adapter (workers,
//! timeouts, wedge, setup errors), [`crate::judge`] scores each step, and the runner combines
//! the steps into [`VectorResult`]s of the [`crate::report`] model.
//!
//! An adapter that cannot say who it is within [`RunOptions::hello_timeout`] is a setup error,
//! and every vector is reported [`adapter_broken`](crate::outcome::OutcomeKind::AdapterBroken); so are the remaining vectors of an adapter
//! that wedged (after [`RunOptions::wedge_after`] consecutive timeouts), without being sent to
//! it. A call that times out is a failure of class [`Impact::DenialOfService`], not an adapter
//! error: the library gave no answer in time. Every skip carries its [`SkipCause`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use corpus::live::Seen;
use corpus::vector::RequestBounds;

use crate::adapter::{ADAPTER_API_VERSION, Adapter, Capabilities};
pub use crate::call::RunOptions;
use crate::call::{Called, Caller, info_of};
use crate::corpus::token_bytes;
use crate::impact::{self, Impact};
use crate::judge::{ReasonMatch, SkipCause, Summary, TestResult, combine_reasons, judge};
use crate::live::{self, LiveVector};
use crate::outcome::Outcome;
use crate::report::{ExpectedSummary, Observed, Report, ReportHeader, StepResult, VectorResult};
pub use crate::set::Corpus;
use crate::text::feature_name;
use crate::vector::{Feature, SCHEMA_VERSION, Vector, Verdict};

/// How a step's requests and answer time break its bounds (empty: they hold).
fn request_violations(bounds: &RequestBounds, seen: &[Seen], elapsed: Duration) -> Vec<String> {
    let mut broken = corpus::live::violations(bounds, seen);
    if let Some(ms) = bounds.answer_within_ms
        && elapsed > Duration::from_millis(ms)
    {
        broken.push(format!("answered after more than {ms} ms"));
    }
    broken
}

/// Progress callback: (vectors done, vectors total, ID of the vector just finished).
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize, &str);

/// Runs `adapter` over `corpus`. An adapter that fails to set up has every vector reported
/// [`adapter_broken`](crate::outcome::OutcomeKind::AdapterBroken); one that wedges has the rest of its vectors reported so, not waited for
/// ([`Report::broken`]).
pub fn run(
    adapter: Arc<dyn Adapter>,
    corpus: &Corpus,
    opts: &RunOptions,
    progress: Progress<'_>,
) -> Report {
    // `info` is called on a worker too: an adapter that panics or hangs even there is reported.
    let (info, setup_error) = match info_of(&adapter, opts) {
        Ok(info) => (info, None),
        Err(e) => (*e.info, Some(format!("setup error: {}", e.why))),
    };
    // `caps` is what this build can run of what the adapter declares (the header keeps the
    // declaration, so that a skip for want of the `live` build is told from an undeclared one).
    let declared = info.capabilities.clone();
    let mut caps = declared.clone();
    if !live::AVAILABLE {
        for feature in crate::adapters::hardened::LIVE_FEATURES {
            caps.features.remove(&feature);
        }
    }
    let mut caller = Caller::new(adapter, opts);
    let total = corpus.vectors.len();
    let mut results = Vec::with_capacity(total);
    for (done, vector) in corpus.vectors.iter().enumerate() {
        let wedged = || caller.wedged().filter(|_| caps.runs(vector));
        let result = match setup_error.clone().or_else(wedged) {
            Some(why) => broken_result(vector, &why),
            None => run_vector(&mut caller, (&declared, &caps), vector),
        };
        results.push(result);
        progress(done + 1, total, &vector.id);
    }
    caller.finish();
    Report {
        header: ReportHeader {
            adapter: info.name,
            library: info.library,
            library_version: info.version,
            capabilities: declared,
            notes: info.notes,
            corpus_version: corpus.version.clone(),
            corpus_vectors: total,
            schema_version: SCHEMA_VERSION,
            adapter_api_version: ADAPTER_API_VERSION,
            runner_version: env!("CARGO_PKG_VERSION").to_owned(),
        },
        summary: Summary::of(&results),
        results,
    }
}

/// [`run`] without progress reporting.
pub fn run_quietly(adapter: Arc<dyn Adapter>, corpus: &Corpus, opts: &RunOptions) -> Report {
    run(adapter, corpus, opts, &mut |_, _, _| {})
}

/// A vector not run because the adapter is broken: a failure of the adapter's
/// ([`Impact::AdapterError`]) whose verdict is [`adapter_broken`](crate::outcome::OutcomeKind::AdapterBroken).
fn broken_result(vector: &Vector, why: &str) -> VectorResult {
    VectorResult {
        actual: Some(Observed::of(&Outcome::AdapterBroken {
            error: why.to_owned(),
        })),
        result: TestResult::Fail,
        impact: Some(Impact::AdapterError),
        detail: why.to_owned(),
        adapter_error: true,
        ..unrun(&Capabilities::all(), &Capabilities::all(), vector)
    }
}

/// The report of an adapter that is not built or installed here (`run --allow-missing`): every
/// vector skipped for it, with the cause [`SkipCause::AdapterUnavailable`] and `why` as detail.
pub fn unavailable(name: &str, why: &str, corpus: &Corpus) -> Report {
    let results: Vec<VectorResult> = corpus
        .vectors
        .iter()
        .map(|v| VectorResult {
            skip_cause: Some(SkipCause::AdapterUnavailable),
            detail: why.to_owned(),
            ..unrun(&Capabilities::all(), &Capabilities::all(), v)
        })
        .collect();
    Report {
        header: ReportHeader {
            adapter: name.to_owned(),
            library: crate::adapters::subprocess::UNAVAILABLE.to_owned(),
            library_version: "unknown".to_owned(),
            capabilities: Capabilities::default(),
            notes: vec![why.to_owned()],
            corpus_version: corpus.version.clone(),
            corpus_vectors: corpus.vectors.len(),
            schema_version: SCHEMA_VERSION,
            adapter_api_version: ADAPTER_API_VERSION,
            runner_version: env!("CARGO_PKG_VERSION").to_owned(),
        },
        summary: Summary::of(&results),
        results,
    }
}

/// A vector's result before it is run: skipped when the adapter does not declare a feature, an
/// algorithm of the profile or the profile's preset that the vector needs
/// ([`SkipCause::FeatureNotDeclared`], the detail naming each), or declares them but this build
/// cannot run it (`effective` lacks a feature: [`SkipCause::LiveNotBuilt`]). Otherwise a skip
/// without a cause yet, which running the vector replaces.
fn unrun(declared: &Capabilities, effective: &Capabilities, vector: &Vector) -> VectorResult {
    let mut result = VectorResult {
        id: vector.id.clone(),
        category: vector.category.clone(),
        severity: vector.severity,
        basis: vector.basis.clone(),
        expected: vector
            .steps()
            .last()
            .map(|s| ExpectedSummary::of(&s.expected))
            .unwrap_or(ExpectedSummary {
                verdict: Verdict::Reject,
                reason: None,
            }),
        actual: None,
        result: TestResult::Skip,
        impact: None,
        skip_cause: None,
        reason_match: ReasonMatch::NotApplicable,
        detail: String::new(),
        adapter_error: false,
        steps: Vec::new(),
    };
    let names = |missing: Vec<Feature>| {
        let names: Vec<String> = missing.iter().map(|f| feature_name(*f)).collect();
        names.join(", ")
    };
    let mut undeclared = Vec::new();
    let features = declared.missing(&vector.features);
    if !features.is_empty() {
        undeclared.push(format!("feature(s): {}", names(features)));
    }
    let algorithms = declared.missing_algorithms(&vector.profile);
    if !algorithms.is_empty() {
        let names: Vec<&str> = algorithms.iter().map(|a| a.name()).collect();
        undeclared.push(format!("algorithm(s): {}", names.join(", ")));
    }
    if let Some(preset) = declared.missing_preset(&vector.profile) {
        undeclared.push(format!("preset: {}", preset.name()));
    }
    let unbuilt = effective.missing(&vector.features);
    if !undeclared.is_empty() {
        result.skip_cause = Some(SkipCause::FeatureNotDeclared);
        result.detail = format!("adapter lacks {}", undeclared.join("; "));
    } else if !unbuilt.is_empty() {
        result.skip_cause = Some(SkipCause::LiveNotBuilt);
        result.detail = format!(
            "this runner was built without the `live` cargo feature, which {} need(s)",
            names(unbuilt)
        );
    }
    result
}

/// The corpus split in two: the vectors that run against the live key-set server (they wait
/// real time between steps, so a matrix runs them concurrently across adapters), and the rest.
pub fn split_live(corpus: &Corpus) -> (Corpus, Corpus) {
    let (live, rest): (Vec<_>, Vec<_>) = corpus
        .vectors
        .iter()
        .cloned()
        .partition(|v| corpus::live::is_live(v));
    let part = |vectors| Corpus {
        dir: corpus.dir.clone(),
        vectors,
        version: corpus.version.clone(),
    };
    (part(rest), part(live))
}

/// One report over `corpus` from an adapter's run over the rest of [`split_live`] and its run
/// over the live part (`None`: not run, because the adapter lacks `key_fetch`; those vectors
/// are skipped for it), in the corpus's order.
pub fn merge_live(rest: Report, live: Option<Report>, corpus: &Corpus) -> Report {
    let caps = rest.header.capabilities.clone();
    let mut by_id: std::collections::HashMap<String, VectorResult> = rest
        .results
        .into_iter()
        .chain(live.into_iter().flat_map(|r| r.results))
        .map(|r| (r.id.clone(), r))
        .collect();
    let results: Vec<VectorResult> = corpus
        .vectors
        .iter()
        .map(|v| {
            by_id
                .remove(&v.id)
                .unwrap_or_else(|| unrun(&caps, &caps, v))
        })
        .collect();
    Report {
        header: ReportHeader {
            corpus_vectors: corpus.vectors.len(),
            ..rest.header
        },
        summary: Summary::of(&results),
        results,
    }
}

/// Runs one vector, step by step. `caps` is what the adapter declares and what this build can
/// run of it. A failing step decides the vector whatever comes after it: a step the adapter
/// skips after a failure leaves the vector failed, and one it skips after steps that held makes
/// the vector a skip ([`SkipCause::LibraryLimit`]) whose detail names the step.
fn run_vector(
    caller: &mut Caller,
    (declared, caps): (&Capabilities, &Capabilities),
    vector: &Arc<Vector>,
) -> VectorResult {
    let mut result = unrun(declared, caps, vector);
    if result.skip_cause.is_some() {
        return result;
    }
    if vector.steps().is_empty() {
        // A vector that tests nothing must not pass, nor hide as a skip.
        result.detail = "vector has no steps".to_owned();
        result.result = TestResult::Fail;
        result.impact = Some(Impact::AdapterError);
        result.adapter_error = true;
        return result;
    }
    // A live vector runs against fresh listeners, with its origins filled in.
    let mut live = None;
    let mut vector = vector.clone();
    if corpus::live::is_live(&vector) {
        match LiveVector::open(&vector) {
            Ok(l) => {
                vector = l.vector.clone();
                live = Some(l);
            }
            Err(why) => {
                result.detail = format!("the runner's key-set server failed: {why}");
                result.result = TestResult::Fail;
                result.impact = Some(Impact::AdapterError);
                result.adapter_error = true;
                return result;
            }
        }
    }
    let endpoint = live.as_ref().map(|l| Arc::new(l.endpoint.clone()));
    let steps = vector.steps();
    let at_step = |i: usize, why: String| {
        if steps.len() > 1 {
            format!("step {i}: {why}")
        } else {
            why
        }
    };
    let mut judged: Vec<StepResult> = Vec::with_capacity(steps.len());
    // The decisive failure: the first failing step with the gravest impact.
    let mut failure: Option<(usize, Impact, String)> = None;
    let mut acceptable: Option<(usize, String)> = None;
    // The step the adapter skipped, if it did (no later step is sent).
    let mut skipped: Option<(usize, String)> = None;
    for (i, step) in steps.iter().enumerate() {
        if let Some(l) = live.as_mut() {
            if !caps.logical_clock {
                std::thread::sleep(live::pause_before(&vector, i));
            }
            l.begin_step(i);
        }
        let expected = ExpectedSummary::of(&step.expected);
        let started = Instant::now();
        let called = match token_bytes(&step.token) {
            Ok(token) => caller.call(&vector, i, token, endpoint.clone()),
            Err(why) => Called {
                outcome: Outcome::AdapterError {
                    error: format!("token cannot be built: {why}"),
                },
                timed_out: false,
            },
        };
        let elapsed = started.elapsed();
        let outcome = match &live {
            Some(l) => l.generalize(called.outcome),
            None => called.outcome,
        };
        if let Outcome::Skipped { why } = &outcome {
            judged.push(StepResult {
                step: i,
                expected,
                actual: Observed::of(&outcome),
                result: TestResult::Skip,
                reason_match: ReasonMatch::NotApplicable,
                impact: None,
            });
            skipped = Some((i, format!("skipped by the adapter: {why}")));
            break;
        }
        let mut j = judge(step, impact::stake(&vector), &outcome, caps);
        let stop = matches!(outcome, Outcome::AdapterError { .. });
        if called.timed_out {
            // No answer in time: the library was tied up, which is a finding about it (a crash
            // or a protocol error stays the adapter's own).
            j.result = TestResult::Fail;
            j.impact = Some(Impact::DenialOfService);
        } else if stop {
            result.adapter_error = true;
        }
        if let (Some(l), Some(bounds), false) = (&live, step.requests.as_deref(), stop) {
            let broken = request_violations(bounds, &l.seen(), elapsed);
            if !broken.is_empty() && j.result != TestResult::Fail {
                j.result = TestResult::Fail;
                j.impact = Some(Impact::FetchAbuse);
                j.why = format!("verdict as expected; request log: {}", broken.join("; "));
            }
        }
        match (j.result, j.impact) {
            (TestResult::Fail, Some(impact))
                if failure.as_ref().is_none_or(|(_, worst, _)| impact < *worst) =>
            {
                failure = Some((i, impact, j.why.clone()));
            }
            (TestResult::Acceptable, _) if acceptable.is_none() => {
                acceptable = Some((i, j.why.clone()));
            }
            _ => {}
        }
        judged.push(StepResult {
            step: i,
            expected,
            actual: Observed::of(&outcome),
            result: j.result,
            reason_match: j.reason,
            impact: j.impact,
        });
        if stop {
            break;
        }
    }
    result.reason_match = combine_reasons(judged.iter().map(|s| s.reason_match));
    let decisive = match (&failure, &skipped, &acceptable) {
        (Some((i, _, _)), _, _) | (None, Some((i, _)), _) | (None, None, Some((i, _))) => *i,
        (None, None, None) => judged.len() - 1,
    };
    result.expected = judged[decisive].expected.clone();
    result.actual = Some(judged[decisive].actual.clone());
    match (failure, skipped, acceptable) {
        (Some((i, impact, why)), _, _) => {
            result.result = TestResult::Fail;
            result.impact = Some(impact);
            result.detail = at_step(i, why);
        }
        (None, Some((i, why)), _) => {
            result.result = TestResult::Skip;
            result.skip_cause = Some(SkipCause::LibraryLimit);
            result.detail = at_step(i, why);
        }
        (None, None, Some((i, why))) => {
            result.result = TestResult::Acceptable;
            result.detail = at_step(i, why);
        }
        (None, None, None) => {
            result.result = TestResult::Pass;
            result.detail = format!("{} as expected", result.expected.label());
        }
    }
    if steps.len() > 1 {
        result.steps = judged;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A skip before the vector is sent says whose choice it was: the adapter's declaration, or
    /// a build without the live key-set server.
    #[test]
    fn a_skip_before_the_run_names_its_cause() {
        let mut vector: Vector =
            serde_json::from_str(include_str!("../../vectors/accept/baseline.json"))
                .expect("a vector");
        vector.features = vec![Feature::KeyFetch];
        let declared = Capabilities::new([Feature::KeyFetch]);
        let lean = Capabilities::new([]);
        let cases = [
            (&lean, &lean, Some(SkipCause::FeatureNotDeclared), "lacks"),
            (&declared, &lean, Some(SkipCause::LiveNotBuilt), "`live`"),
            (&declared, &declared, None, ""),
        ];
        for (declared, effective, cause, says) in cases {
            let r = unrun(declared, effective, &vector);
            assert_eq!(r.skip_cause, cause, "{says}");
            assert!(r.detail.contains(says), "{}", r.detail);
        }
    }
}
