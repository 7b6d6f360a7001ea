//! The runner: applies an adapter to a corpus, one vector at a time, step by step, and
//! assembles the report. Data flows one way: [`crate::call`] calls the adapter (workers,
//! timeouts, wedge, setup errors), [`crate::judge`] scores each step, and the runner combines
//! the steps into [`VectorResult`]s of the [`crate::report`] model.
//!
//! An adapter that cannot say who it is within [`RunOptions::hello_timeout`] is a setup error,
//! and every vector is reported [`adapter_broken`](crate::outcome::OutcomeKind::AdapterBroken); so are the remaining vectors of an adapter
//! that wedged (after [`RunOptions::wedge_after`] consecutive timeouts), without being sent to
//! it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use corpus::live::Seen;
use corpus::vector::RequestBounds;

use crate::adapter::{ADAPTER_API_VERSION, Adapter, Capabilities};
pub use crate::call::RunOptions;
use crate::call::{Caller, info_of};
use crate::corpus::token_bytes;
use crate::impact::{self, Impact};
use crate::judge::{ReasonMatch, Summary, TestResult, combine_reasons, judge};
use crate::live::{self, LiveVector};
use crate::outcome::Outcome;
use crate::report::{ExpectedSummary, Observed, Report, ReportHeader, StepResult, VectorResult};
pub use crate::set::Corpus;
use crate::text::feature_name;
use crate::vector::{SCHEMA_VERSION, Vector, Verdict};

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
    let mut caps = info.capabilities.clone();
    if !live::AVAILABLE {
        for feature in crate::adapters::hardened::LIVE_FEATURES {
            caps.features.remove(&feature);
        }
    }
    let mut caller = Caller::new(adapter, opts);
    let total = corpus.vectors.len();
    let mut results = Vec::with_capacity(total);
    for (done, vector) in corpus.vectors.iter().enumerate() {
        let wedged = || {
            caller
                .wedged()
                .filter(|_| caps.missing(&vector.features).is_empty())
        };
        let result = match setup_error.clone().or_else(wedged) {
            Some(why) => broken_result(vector, &why),
            None => run_vector(&mut caller, &caps, vector),
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
            capabilities: caps,
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
        ..unrun(&Capabilities::all(), vector)
    }
}

/// A vector's result before it is run: skipped when the adapter lacks a feature it needs.
fn unrun(caps: &Capabilities, vector: &Vector) -> VectorResult {
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
        reason_match: ReasonMatch::NotApplicable,
        detail: String::new(),
        adapter_error: false,
        steps: Vec::new(),
    };
    let missing = caps.missing(&vector.features);
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|f| feature_name(*f)).collect();
        result.detail = format!("adapter lacks feature(s): {}", names.join(", "));
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
        .map(|v| by_id.remove(&v.id).unwrap_or_else(|| unrun(&caps, v)))
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

fn run_vector(caller: &mut Caller, caps: &Capabilities, vector: &Arc<Vector>) -> VectorResult {
    let mut result = unrun(caps, vector);
    if !caps.missing(&vector.features).is_empty() {
        return result;
    }
    if vector.steps().is_empty() {
        result.detail = "vector has no steps".to_owned();
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
    let mut judged: Vec<StepResult> = Vec::with_capacity(steps.len());
    // The decisive failure: the first failing step with the gravest impact.
    let mut failure: Option<(usize, Impact, String)> = None;
    let mut acceptable: Option<(usize, String)> = None;
    for (i, step) in steps.iter().enumerate() {
        if let Some(l) = live.as_mut() {
            if !caps.logical_clock {
                std::thread::sleep(live::pause_before(&vector, i));
            }
            l.begin_step(i);
        }
        let expected = ExpectedSummary::of(&step.expected);
        let started = Instant::now();
        let outcome = match token_bytes(&step.token) {
            Ok(token) => caller.call(&vector, i, token, endpoint.clone()),
            Err(why) => Outcome::AdapterError {
                error: format!("token cannot be built: {why}"),
            },
        };
        let elapsed = started.elapsed();
        let outcome = match &live {
            Some(l) => l.generalize(outcome),
            None => outcome,
        };
        if let Outcome::Skipped { why } = &outcome {
            result.actual = Some(Observed::of(&outcome));
            result.detail = format!("skipped by the adapter: {why}");
            return result;
        }
        let mut j = judge(step, impact::stake(&vector), &outcome, caps);
        let stop = matches!(outcome, Outcome::AdapterError { .. });
        if stop {
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
    let decisive = match (&failure, &acceptable) {
        (Some((i, _, _)), _) | (None, Some((i, _))) => *i,
        (None, None) => judged.len() - 1,
    };
    result.expected = judged[decisive].expected.clone();
    result.actual = Some(judged[decisive].actual.clone());
    let at_step = |i: usize, why: String| {
        if steps.len() > 1 {
            format!("step {i}: {why}")
        } else {
            why
        }
    };
    match (failure, acceptable) {
        (Some((i, impact, why)), _) => {
            result.result = TestResult::Fail;
            result.impact = Some(impact);
            result.detail = at_step(i, why);
        }
        (None, Some((i, why))) => {
            result.result = TestResult::Acceptable;
            result.detail = at_step(i, why);
        }
        (None, None) => {
            result.result = TestResult::Pass;
            result.detail = format!("{} as expected", result.expected.label());
        }
    }
    if steps.len() > 1 {
        result.steps = judged;
    }
    result
}
