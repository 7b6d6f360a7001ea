//! The runner: applies an adapter to a corpus, one vector at a time, and scores it.
//!
//! Robustness: every adapter call runs on a worker thread inside `catch_unwind`; a call that
//! overruns the per-vector timeout is abandoned (the worker is replaced) and reported as an
//! adapter error, and after [`RunOptions::wedge_after`] consecutive timeouts the adapter is
//! considered wedged and the remaining vectors are reported without being sent to it. Bad input
//! never panics or hangs the runner.
//!
//! Scoring, per step, then per vector:
//!
//! - *exact* ([`TestResult::Pass`], serialized `pass`): the verdict (accept / reject / config
//!   error) is the expected one; for adapters that declare [`Capabilities::exact`], the reason
//!   ID, config-error code and claims are too;
//! - *acceptable* ([`TestResult::Acceptable`]): not exact, but one of the step's `acceptable`
//!   outcomes admits it. The verdict is compared; the outcome's reason only when it names one
//!   and the adapter is exact or mapped its rejection to a reason ID (an unmapped rejection of a
//!   non-exact adapter matches `{reject, reason: X}` by verdict);
//! - *fail*: neither. Every failure gets an [`Impact`] class ([`crate::impact::classify`]).
//!
//! A vector fails if any step fails, is acceptable if any step was only acceptable, and is exact
//! otherwise. An adapter that declares `exact` (the reference) must be exact on every vector:
//! [`Report::passed`] is false when it is merely acceptable anywhere. Reason agreement is scored
//! separately for all adapters, by category and by severity.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::adapter::{ADAPTER_API_VERSION, Adapter, AdapterOutcome, Capabilities, Case};
use crate::corpus::{self, LoadError, token_bytes};
use crate::impact::{self, Impact};
use crate::vector::{
    Expected, Outcome, SCHEMA_VERSION, Severity, Step, Vector, Verdict, to_file_json,
};

/// A loaded corpus.
#[derive(Clone, Debug)]
pub struct Corpus {
    /// Where it was loaded from (empty for in-memory corpora).
    pub dir: PathBuf,
    /// The vectors, sorted by ID.
    pub vectors: Vec<Arc<Vector>>,
    /// `vectors/VERSION` if present, else the schema version and a content hash.
    pub version: String,
}

impl Corpus {
    /// Loads every vector under `dir`.
    pub fn load(dir: &Path) -> Result<Corpus, LoadError> {
        let vectors = corpus::load_dir(dir)?;
        let mut corpus = Corpus::from_vectors(vectors);
        corpus.dir = dir.to_path_buf();
        if let Ok(version) = std::fs::read_to_string(dir.join("VERSION")) {
            corpus.version = version.trim().to_owned();
        }
        Ok(corpus)
    }

    /// A corpus from vectors in memory (tests, generated vectors).
    pub fn from_vectors(vectors: Vec<Vector>) -> Corpus {
        let mut vectors: Vec<Arc<Vector>> = vectors.into_iter().map(Arc::new).collect();
        vectors.sort_by(|a, b| a.id.cmp(&b.id));
        let mut hash = Sha256::new();
        for v in &vectors {
            hash.update(to_file_json(v).as_bytes());
        }
        let digest = hash.finalize();
        let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
        Corpus {
            dir: PathBuf::new(),
            vectors,
            version: format!("schema-v{SCHEMA_VERSION}+sha256:{hex}"),
        }
    }

    /// The vectors whose ID matches `pattern` (a glob with `*` and `?`, or else a substring).
    pub fn filtered(&self, pattern: Option<&str>) -> Corpus {
        let Some(pattern) = pattern else {
            return self.clone();
        };
        Corpus {
            vectors: self
                .vectors
                .iter()
                .filter(|v| id_matches(&v.id, pattern))
                .cloned()
                .collect(),
            ..self.clone()
        }
    }
}

/// `*` matches any run of characters, `?` one character; a pattern without either matches as a
/// substring.
pub fn id_matches(id: &str, pattern: &str) -> bool {
    if !pattern.contains(['*', '?']) {
        return id.contains(pattern);
    }
    let (id, pattern): (Vec<char>, Vec<char>) = (id.chars().collect(), pattern.chars().collect());
    // Classic two-pointer glob with backtracking to the last `*`.
    let (mut i, mut p, mut star, mut mark) = (0, 0, None, 0);
    while i < id.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == id[i]) {
            i += 1;
            p += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some(p);
            mark = i;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            mark += 1;
            i = mark;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// How a run is carried out.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Per-step budget handed to the adapter in [`Case::timeout`].
    pub timeout: Duration,
    /// Extra time the runner waits beyond `timeout` before abandoning a call (lets adapters
    /// that enforce the timeout themselves, like the subprocess adapter, report it first).
    pub grace: Duration,
    /// Consecutive runner-side timeouts after which the adapter is considered wedged.
    pub wedge_after: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            timeout: Duration::from_secs(10),
            grace: Duration::from_secs(2),
            wedge_after: 3,
        }
    }
}

/// exact (`pass`), acceptable, fail or skip (x509-limbo's SUCCESS / FAILURE / SKIPPED, with
/// Wycheproof's "acceptable").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TestResult {
    /// Exact: every step matched the expected outcome (serialized `pass`, its historical name).
    Pass,
    /// Every step matched its expected outcome or one it lists as acceptable, and at least one
    /// step only the latter. Counts as passing, except for adapters that declare `exact`.
    Acceptable,
    Fail,
    Skip,
}

impl TestResult {
    /// `pass`, `acceptable`, `fail`, `skip`.
    pub fn name(self) -> &'static str {
        match self {
            TestResult::Pass => "pass",
            TestResult::Acceptable => "acceptable",
            TestResult::Fail => "fail",
            TestResult::Skip => "skip",
        }
    }
}

/// Whether the adapter's reason ID (or config-error code) agrees with the expected one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonMatch {
    /// Not both rejections (or both config errors): nothing to compare.
    NotApplicable,
    Match,
    Mismatch,
    /// Both rejected, but the adapter gave no reason ID.
    Unmapped,
}

/// The expected result, without claims.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpectedSummary {
    pub verdict: Verdict,
    /// Reject reason ID or config-error code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ExpectedSummary {
    fn of(expected: &Expected) -> Self {
        ExpectedSummary {
            verdict: expected.verdict(),
            reason: match expected {
                Expected::Accept { .. } => None,
                Expected::Reject { reason, .. } => Some(reason.clone()),
                Expected::ConfigError { error } => Some(error.clone()),
            },
        }
    }

    /// `accept`, `reject (reason)`, `config_error (code)`.
    pub fn label(&self) -> String {
        let verdict = verdict_name(self.verdict);
        match &self.reason {
            Some(r) => format!("{verdict} ({r})"),
            None => verdict.to_owned(),
        }
    }
}

/// What the adapter did, without claims.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Observed {
    /// `accept`, `reject`, `config_error`, `skipped` or `adapter_error`.
    pub verdict: String,
    /// The mapped reason ID or config-error code, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The library's own error text (or the skip reason, or the adapter failure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Observed {
    fn of(outcome: &AdapterOutcome) -> Self {
        let (verdict, reason) = match outcome {
            AdapterOutcome::Accept { .. } => ("accept", None),
            AdapterOutcome::Reject { reason, .. } => ("reject", reason.clone()),
            AdapterOutcome::ConfigError { code, .. } => ("config_error", code.clone()),
            AdapterOutcome::Skipped { .. } => ("skipped", None),
            AdapterOutcome::AdapterError { .. } => ("adapter_error", None),
        };
        Observed {
            verdict: verdict.to_owned(),
            reason,
            error: outcome.text().map(str::to_owned),
        }
    }

    /// `accept`, `reject (reason)`, …
    pub fn label(&self) -> String {
        match &self.reason {
            Some(r) => format!("{} ({r})", self.verdict),
            None => self.verdict.clone(),
        }
    }
}

/// One step of a multi-step vector.
#[derive(Clone, Debug, Serialize)]
pub struct StepResult {
    pub step: usize,
    pub expected: ExpectedSummary,
    pub actual: Observed,
    pub result: TestResult,
    pub reason: ReasonMatch,
    /// What the failure lets happen (failed steps only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact: Option<Impact>,
}

/// The result of one vector.
#[derive(Clone, Debug, Serialize)]
pub struct VectorResult {
    pub id: String,
    pub category: String,
    pub severity: Severity,
    /// The vector's citation IDs (`docs/normative.md`).
    pub basis: Vec<String>,
    /// The expected result of the decisive step: the first failing step with the gravest impact,
    /// else the first step that was only acceptable, else the last.
    pub expected: ExpectedSummary,
    /// What the adapter did at that step (absent when skipped for missing features).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<Observed>,
    pub result: TestResult,
    /// What the failure lets happen (failed vectors only; the decisive step's class).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact: Option<Impact>,
    /// Reason agreement over the vector's steps.
    pub reason: ReasonMatch,
    /// One line for people: why it failed or was skipped, or what was compared.
    pub detail: String,
    /// True when the failure is the adapter's own (panic, timeout, crash).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub adapter_error: bool,
    /// Every step, for multi-step vectors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepResult>,
}

/// Counts for one group of vectors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub vectors: usize,
    /// Exact results (the historical name).
    pub pass: usize,
    /// Results that were only acceptable.
    pub acceptable: usize,
    pub fail: usize,
    pub skip: usize,
    /// Failures that were adapter errors (panic, timeout, crash).
    pub errors: usize,
    /// Vectors run whose every verdict agreed (equals `pass` unless the adapter is exact).
    pub verdict_agree: usize,
    pub reason_match: usize,
    pub reason_mismatch: usize,
    pub reason_unmapped: usize,
}

impl Tally {
    fn add(&mut self, r: &VectorResult) {
        self.vectors += 1;
        match r.result {
            TestResult::Pass => self.pass += 1,
            TestResult::Acceptable => self.acceptable += 1,
            TestResult::Fail => self.fail += 1,
            TestResult::Skip => self.skip += 1,
        }
        if r.adapter_error {
            self.errors += 1;
        }
        if r.result != TestResult::Skip && verdicts_agree(r) {
            self.verdict_agree += 1;
        }
        match r.reason {
            ReasonMatch::Match => self.reason_match += 1,
            ReasonMatch::Mismatch => self.reason_mismatch += 1,
            ReasonMatch::Unmapped => self.reason_unmapped += 1,
            ReasonMatch::NotApplicable => {}
        }
    }

    /// Vectors actually run.
    pub fn run(&self) -> usize {
        self.pass + self.acceptable + self.fail
    }

    /// Vectors that conformed, exactly or acceptably.
    pub fn conformed(&self) -> usize {
        self.pass + self.acceptable
    }

    /// Verdict agreement as a percentage of vectors run.
    pub fn verdict_pct(&self) -> Option<f64> {
        pct(self.verdict_agree, self.run())
    }

    /// Reason agreement as a percentage of vectors where both sides rejected.
    pub fn reason_pct(&self) -> Option<f64> {
        pct(
            self.reason_match,
            self.reason_match + self.reason_mismatch + self.reason_unmapped,
        )
    }
}

fn pct(n: usize, d: usize) -> Option<f64> {
    (d > 0).then(|| 100.0 * n as f64 / d as f64)
}

fn verdicts_agree(r: &VectorResult) -> bool {
    if r.steps.is_empty() {
        r.actual
            .as_ref()
            .is_some_and(|a| a.verdict == verdict_name(r.expected.verdict))
    } else {
        r.steps
            .iter()
            .all(|s| s.actual.verdict == verdict_name(s.expected.verdict))
    }
}

/// Failures of one impact class, by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImpactTally {
    pub must: usize,
    pub profile: usize,
}

impl ImpactTally {
    /// The count for one severity.
    pub fn of(&self, severity: Severity) -> usize {
        match severity {
            Severity::Must => self.must,
            Severity::Profile => self.profile,
        }
    }
}

/// Totals, by category, by severity, and failures by impact class.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub total: Tally,
    pub by_category: BTreeMap<String, Tally>,
    pub by_severity: BTreeMap<Severity, Tally>,
    /// Failures by impact class (only classes that occur; they add up to `total.fail`).
    pub by_impact: BTreeMap<Impact, ImpactTally>,
}

impl Summary {
    /// Scores a list of results.
    pub fn of(results: &[VectorResult]) -> Summary {
        let mut s = Summary::default();
        for r in results {
            s.total.add(r);
            s.by_category.entry(r.category.clone()).or_default().add(r);
            s.by_severity.entry(r.severity).or_default().add(r);
            if let (TestResult::Fail, Some(impact)) = (r.result, r.impact) {
                let t = s.by_impact.entry(impact).or_default();
                match r.severity {
                    Severity::Must => t.must += 1,
                    Severity::Profile => t.profile += 1,
                }
            }
        }
        s
    }

    /// Failures of this class and severity.
    pub fn impact(&self, impact: Impact, severity: Severity) -> usize {
        self.by_impact.get(&impact).map_or(0, |t| t.of(severity))
    }
}

/// Who ran against what.
#[derive(Clone, Debug, Serialize)]
pub struct ReportHeader {
    pub adapter: String,
    pub library: String,
    pub library_version: String,
    pub capabilities: Capabilities,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub corpus_version: String,
    pub corpus_vectors: usize,
    pub schema_version: u32,
    pub adapter_api_version: u32,
    pub runner_version: String,
}

/// A whole run.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub header: ReportHeader,
    pub summary: Summary,
    pub results: Vec<VectorResult>,
}

impl Report {
    /// True when no vector failed and, for an adapter that declares
    /// [`Capabilities::exact`] (the reference), none was merely acceptable either.
    pub fn passed(&self) -> bool {
        let t = &self.summary.total;
        t.fail == 0 && (!self.header.capabilities.exact || t.acceptable == 0)
    }
}

/// Progress callback: (vectors done, vectors total, ID of the vector just finished).
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize, &str);

struct Job {
    vector: Arc<Vector>,
    step: usize,
    token: Vec<u8>,
    timeout: Duration,
}

struct Worker {
    jobs: Sender<Job>,
    results: Receiver<AdapterOutcome>,
}

impl Worker {
    fn spawn(adapter: Arc<dyn Adapter>) -> Result<Worker, String> {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (result_tx, results) = mpsc::channel();
        std::thread::Builder::new()
            .name(WORKER_THREAD.to_owned())
            .spawn(move || {
                for job in job_rx {
                    let outcome = call(&*adapter, &job);
                    if result_tx.send(outcome).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| format!("cannot start a worker thread: {e}"))?;
        Ok(Worker { jobs, results })
    }
}

/// Name of the threads adapter calls run on (the CLI's panic hook stays quiet on them).
pub const WORKER_THREAD: &str = "adapter-worker";

fn call(adapter: &dyn Adapter, job: &Job) -> AdapterOutcome {
    let Some(step) = job.vector.steps().get(job.step) else {
        return AdapterOutcome::AdapterError {
            error: "no such step".to_owned(),
        };
    };
    let case = Case {
        vector: &job.vector,
        step: job.step,
        token: &job.token,
        jwks: &job.vector.jwks,
        profile: &job.vector.profile,
        now: step.now,
        actions: &step.actions,
        timeout: job.timeout,
    };
    catch_unwind(AssertUnwindSafe(|| adapter.verify(&case))).unwrap_or_else(|panic| {
        AdapterOutcome::AdapterError {
            error: format!("panic: {}", panic_message(&*panic)),
        }
    })
}

/// The message of a caught panic.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_owned()
    }
}

/// Calls the adapter with timeouts, replacing a worker that hangs.
struct Caller {
    adapter: Arc<dyn Adapter>,
    worker: Option<Worker>,
    opts: RunOptions,
    consecutive_timeouts: usize,
}

impl Caller {
    fn wedged(&self) -> bool {
        self.opts.wedge_after > 0 && self.consecutive_timeouts >= self.opts.wedge_after
    }

    fn call(&mut self, vector: &Arc<Vector>, step: usize, token: Vec<u8>) -> AdapterOutcome {
        if self.wedged() {
            return AdapterOutcome::AdapterError {
                error: format!(
                    "not run: adapter wedged after {} consecutive timeouts",
                    self.consecutive_timeouts
                ),
            };
        }
        let worker = match self.worker.take() {
            Some(w) => w,
            None => match Worker::spawn(self.adapter.clone()) {
                Ok(w) => w,
                Err(error) => return AdapterOutcome::AdapterError { error },
            },
        };
        let job = Job {
            vector: vector.clone(),
            step,
            token,
            timeout: self.opts.timeout,
        };
        if worker.jobs.send(job).is_err() {
            return AdapterOutcome::AdapterError {
                error: "adapter worker exited".to_owned(),
            };
        }
        match worker
            .results
            .recv_timeout(self.opts.timeout + self.opts.grace)
        {
            Ok(outcome) => {
                self.consecutive_timeouts = 0;
                self.worker = Some(worker);
                outcome
            }
            Err(RecvTimeoutError::Timeout) => {
                // The worker is abandoned: it may never return. A fresh one serves the rest.
                self.consecutive_timeouts += 1;
                AdapterOutcome::AdapterError {
                    error: format!(
                        "timeout: no answer within {:?} (call abandoned)",
                        self.opts.timeout
                    ),
                }
            }
            Err(RecvTimeoutError::Disconnected) => AdapterOutcome::AdapterError {
                error: "adapter worker exited".to_owned(),
            },
        }
    }
}

/// Runs `adapter` over `corpus`.
pub fn run(
    adapter: Arc<dyn Adapter>,
    corpus: &Corpus,
    opts: &RunOptions,
    progress: Progress<'_>,
) -> Report {
    // `info` is called on a worker too: an adapter that panics or hangs even there is reported.
    let info = info_of(&adapter, opts);
    let caps = info.capabilities.clone();
    let mut caller = Caller {
        adapter,
        worker: None,
        opts: opts.clone(),
        consecutive_timeouts: 0,
    };
    let total = corpus.vectors.len();
    let mut results = Vec::with_capacity(total);
    for (done, vector) in corpus.vectors.iter().enumerate() {
        let result = run_vector(&mut caller, &caps, vector);
        results.push(result);
        progress(done + 1, total, &vector.id);
    }
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

/// The adapter's info, obtained with the same protections as a verification.
pub fn info_of(adapter: &Arc<dyn Adapter>, opts: &RunOptions) -> crate::adapter::AdapterInfo {
    let (tx, rx) = mpsc::channel();
    let a = adapter.clone();
    let spawned = std::thread::Builder::new()
        .name(WORKER_THREAD.to_owned())
        .spawn(move || {
            let info = catch_unwind(AssertUnwindSafe(|| a.info()));
            let _ = tx.send(info.map_err(|p| panic_message(&*p)));
        });
    let fallback = |why: String| crate::adapter::AdapterInfo {
        name: "unknown".to_owned(),
        library: "unknown".to_owned(),
        version: "unknown".to_owned(),
        capabilities: Capabilities::default(),
        notes: vec![why],
    };
    if let Err(e) = spawned {
        return fallback(format!("cannot start a worker thread: {e}"));
    }
    match rx.recv_timeout(opts.timeout + opts.grace) {
        Ok(Ok(info)) => info,
        Ok(Err(panic)) => fallback(format!("info() panicked: {panic}")),
        Err(_) => fallback("info() did not answer in time".to_owned()),
    }
}

fn run_vector(caller: &mut Caller, caps: &Capabilities, vector: &Arc<Vector>) -> VectorResult {
    let steps = vector.steps();
    let last = steps.last().map(|s| ExpectedSummary::of(&s.expected));
    let mut result = VectorResult {
        id: vector.id.clone(),
        category: vector.category.clone(),
        severity: vector.severity,
        basis: vector.basis.clone(),
        expected: last.unwrap_or(ExpectedSummary {
            verdict: Verdict::Reject,
            reason: None,
        }),
        actual: None,
        result: TestResult::Skip,
        impact: None,
        reason: ReasonMatch::NotApplicable,
        detail: String::new(),
        adapter_error: false,
        steps: Vec::new(),
    };
    let missing = caps.missing(&vector.features);
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|f| feature_name(*f)).collect();
        result.detail = format!("adapter lacks feature(s): {}", names.join(", "));
        return result;
    }
    if steps.is_empty() {
        result.detail = "vector has no steps".to_owned();
        return result;
    }
    let mut judged: Vec<StepResult> = Vec::with_capacity(steps.len());
    // The decisive failure: the first failing step with the gravest impact.
    let mut failure: Option<(usize, Impact, String)> = None;
    let mut acceptable: Option<(usize, String)> = None;
    for (i, step) in steps.iter().enumerate() {
        let expected = ExpectedSummary::of(&step.expected);
        let outcome = match token_bytes(&step.token) {
            Ok(token) => caller.call(vector, i, token),
            Err(why) => AdapterOutcome::AdapterError {
                error: format!("token cannot be built: {why}"),
            },
        };
        if let AdapterOutcome::Skipped { why } = &outcome {
            result.actual = Some(Observed::of(&outcome));
            result.detail = format!("skipped by the adapter: {why}");
            return result;
        }
        let j = judge(step, &outcome, caps.exact);
        let stop = matches!(outcome, AdapterOutcome::AdapterError { .. });
        if stop {
            result.adapter_error = true;
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
            reason: j.reason,
            impact: j.impact,
        });
        if stop {
            break;
        }
    }
    result.reason = combine_reasons(judged.iter().map(|s| s.reason));
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

struct Judgement {
    result: TestResult,
    reason: ReasonMatch,
    impact: Option<Impact>,
    why: String,
}

/// The step's `acceptable` outcome that admits what the adapter did, if any: the verdict must
/// be the outcome's; its reason (or code) is compared only when the outcome names one and the
/// adapter is exact or gave a mapped reason.
pub fn acceptable_match<'s>(
    step: &'s Step,
    outcome: &AdapterOutcome,
    exact: bool,
) -> Option<&'s Outcome> {
    let (verdict, reason) = match outcome {
        AdapterOutcome::Accept { .. } => (Verdict::Accept, None),
        AdapterOutcome::Reject { reason, .. } => (Verdict::Reject, reason.as_deref()),
        AdapterOutcome::ConfigError { code, .. } => (Verdict::ConfigError, code.as_deref()),
        AdapterOutcome::Skipped { .. } | AdapterOutcome::AdapterError { .. } => return None,
    };
    step.acceptable.iter().find(|o| {
        if exact || reason.is_some() {
            o.admits(verdict, reason)
        } else {
            o.verdict == verdict
        }
    })
}

/// Scores one step: exact, acceptable or fail (with its impact class).
fn judge(step: &Step, outcome: &AdapterOutcome, exact: bool) -> Judgement {
    let expected = &step.expected;
    let want = ExpectedSummary::of(expected);
    let got = Observed::of(outcome);
    let verdict_ok = got.verdict == verdict_name(want.verdict);
    let reason = match (expected, outcome) {
        (Expected::Reject { reason: w, .. }, AdapterOutcome::Reject { reason: g, .. })
        | (Expected::ConfigError { error: w }, AdapterOutcome::ConfigError { code: g, .. }) => {
            match g {
                Some(g) if g == w => ReasonMatch::Match,
                Some(_) => ReasonMatch::Mismatch,
                None => ReasonMatch::Unmapped,
            }
        }
        _ => ReasonMatch::NotApplicable,
    };
    let claims_ok = match (expected, outcome) {
        (Expected::Accept { claims: w }, AdapterOutcome::Accept { claims: g }) => w == g,
        _ => true,
    };
    let said = got
        .error
        .as_deref()
        .map(|e| format!(": {}", one_line(e, 300)))
        .unwrap_or_default();
    let wrong_reason = exact && matches!(reason, ReasonMatch::Mismatch | ReasonMatch::Unmapped);
    let why = if !verdict_ok || wrong_reason {
        format!("expected {}, got {}{said}", want.label(), got.label())
    } else if exact && !claims_ok {
        "accepted, but the claims differ from the expected ones".to_owned()
    } else if !claims_ok {
        "accepted as expected (the library's claims differ from the expected ones)".to_owned()
    } else {
        String::new()
    };
    let pass = verdict_ok && !wrong_reason && (!exact || claims_ok);
    if pass {
        return Judgement {
            result: TestResult::Pass,
            reason,
            impact: None,
            why,
        };
    }
    if let Some(o) = acceptable_match(step, outcome, exact) {
        let listed = match &o.reason {
            Some(r) => format!("{} ({r})", verdict_name(o.verdict)),
            None => verdict_name(o.verdict).to_owned(),
        };
        return Judgement {
            result: TestResult::Acceptable,
            reason,
            impact: None,
            why: format!(
                "acceptable: expected {}, got {}{said} ({listed} is listed as acceptable)",
                want.label(),
                got.label()
            ),
        };
    }
    let impact = impact::classify(expected, outcome);
    Judgement {
        result: TestResult::Fail,
        reason,
        impact: Some(impact),
        why,
    }
}

fn combine_reasons(reasons: impl Iterator<Item = ReasonMatch>) -> ReasonMatch {
    let mut out = ReasonMatch::NotApplicable;
    for r in reasons {
        out = match (out, r) {
            (ReasonMatch::Mismatch, _) | (_, ReasonMatch::Mismatch) => ReasonMatch::Mismatch,
            (ReasonMatch::Unmapped, _) | (_, ReasonMatch::Unmapped) => ReasonMatch::Unmapped,
            (ReasonMatch::Match, _) | (_, ReasonMatch::Match) => ReasonMatch::Match,
            _ => ReasonMatch::NotApplicable,
        };
    }
    out
}

/// `accept`, `reject`, `config_error`.
pub fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Accept => "accept",
        Verdict::Reject => "reject",
        Verdict::ConfigError => "config_error",
    }
}

/// The snake_case name of a feature, as vectors spell it.
pub fn feature_name(f: crate::vector::Feature) -> String {
    serde_json::to_value(f)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// `must` or `profile`.
pub fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Must => "must",
        Severity::Profile => "profile",
    }
}

/// The first line of `text`, at most `max` characters, for tables and summaries.
pub fn one_line(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    let mut out: String = line.chars().take(max).collect();
    if line.chars().count() > max || text.lines().nth(1).is_some() {
        out.push('…');
    }
    out
}
