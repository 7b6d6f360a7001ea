//! The runner: applies an adapter to a corpus, one vector at a time, and scores it.
//!
//! Robustness: every adapter call runs on a worker thread inside `catch_unwind`; a call that
//! overruns the per-vector timeout is abandoned (the worker is replaced, the adapter processes
//! it waited on are killed) and reported as an adapter error. After [`RunOptions::wedge_after`]
//! consecutive timeouts (the runner's, or a subprocess adapter's own) the adapter is wedged: the
//! remaining vectors are reported [`ADAPTER_BROKEN`] without being sent to it. An adapter that
//! cannot say who it is within [`RunOptions::hello_timeout`] is a setup error, and every vector
//! is reported so. Bad input never panics or hangs the runner.
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
//! - *fail*: neither. Every failure gets an [`Impact`] class ([`crate::impact::classify_step`]).
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
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::adapter::{
    ADAPTER_API_VERSION, Adapter, AdapterInfo, AdapterOutcome, Capabilities, Case,
};
use crate::adapters::subprocess::{self, STARTUP_TIMEOUT, UNAVAILABLE};
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
    /// Consecutive timeouts after which the adapter is wedged (0: never). A subprocess adapter
    /// that answers with an adapter error only once the whole `timeout` is spent timed out too.
    pub wedge_after: usize,
}

impl RunOptions {
    /// How long an adapter may take to say who it is (a subprocess's hello line): three cases'
    /// budget, since a cold interpreter loading its crypto libraries on a loaded machine is
    /// slow, but at least 5 s and at most [`STARTUP_TIMEOUT`]. Nothing by then is a setup error.
    pub fn hello_timeout(&self) -> Duration {
        (self.timeout * 3).clamp(Duration::from_secs(5), STARTUP_TIMEOUT)
    }
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
    /// `accept`, `reject`, `config_error`, `skipped`, `adapter_error`, or [`ADAPTER_BROKEN`]
    /// (not run: the adapter failed to set up or wedged).
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
    /// Whether the step's reason ID or config-error code agreed with the expected one (not a
    /// reason ID itself: those are `expected.reason` and `actual.reason`).
    pub reason_match: ReasonMatch,
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
    /// Reason agreement over the vector's steps (`mismatch` if any step's reason differs, else
    /// `unmapped` if any was unmapped, else `match` if any matched). Named so as not to be read
    /// as a reason ID, which `expected.reason` and `actual.reason` are.
    pub reason_match: ReasonMatch,
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
        match r.reason_match {
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

    /// Why the adapter broke, if it did: a setup error (no hello, a bad one, a protocol
    /// mismatch) or wedged mid-run; its vectors are [`ADAPTER_BROKEN`]. A run that broke says
    /// nothing about the library: the CLI exits 2 on it, whatever `--exit-zero` says.
    pub fn broken(&self) -> Option<&str> {
        self.results
            .iter()
            .filter_map(|r| r.actual.as_ref())
            .find(|a| a.verdict == ADAPTER_BROKEN)
            .map(|a| a.error.as_deref().unwrap_or(ADAPTER_BROKEN))
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
    thread: JoinHandle<()>,
}

impl Worker {
    fn spawn(adapter: Arc<dyn Adapter>) -> Result<Worker, String> {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (result_tx, results) = mpsc::channel();
        let thread = std::thread::Builder::new()
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
        Ok(Worker {
            jobs,
            results,
            thread,
        })
    }

    /// Gives up on the worker's call: kills the adapter processes it is waiting on, so that an
    /// abandoned wait never leaves one behind (the thread then returns). An in-process library
    /// that hangs for good keeps its thread; nothing else can be done about it safely.
    fn abandon(self) {
        subprocess::abort_waits_of(self.thread.thread().id());
    }

    /// Ends an idle worker and waits for its thread, so that the adapter it holds is dropped
    /// (and its processes closed) before the run returns, not at some later point.
    fn finish(self) {
        drop(self.jobs);
        let _ = self.thread.join();
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

/// Calls the adapter with timeouts, replacing a worker that hangs, and counts consecutive
/// timeouts to declare the adapter wedged.
struct Caller {
    adapter: Arc<dyn Adapter>,
    worker: Option<Worker>,
    opts: RunOptions,
    consecutive_timeouts: usize,
}

impl Caller {
    /// Why the adapter is no longer called, once [`RunOptions::wedge_after`] consecutive calls
    /// timed out.
    fn wedged(&self) -> Option<String> {
        (self.opts.wedge_after > 0 && self.consecutive_timeouts >= self.opts.wedge_after).then(
            || {
                format!(
                    "adapter wedged: {} consecutive timeouts; not run",
                    self.consecutive_timeouts
                )
            },
        )
    }

    fn call(&mut self, vector: &Arc<Vector>, step: usize, token: Vec<u8>) -> AdapterOutcome {
        if let Some(error) = self.wedged() {
            return AdapterOutcome::AdapterError { error };
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
        let started = Instant::now();
        match worker
            .results
            .recv_timeout(self.opts.timeout + self.opts.grace)
        {
            Ok(outcome) => {
                // An adapter that enforces the timeout itself (a subprocess) reports it as an
                // adapter error once the whole budget is spent: that is a timeout as well.
                let timed_out = matches!(outcome, AdapterOutcome::AdapterError { .. })
                    && started.elapsed() >= self.opts.timeout;
                self.consecutive_timeouts = if timed_out {
                    self.consecutive_timeouts + 1
                } else {
                    0
                };
                self.worker = Some(worker);
                outcome
            }
            Err(RecvTimeoutError::Timeout) => {
                // The worker is abandoned (its processes killed); a fresh one serves the rest.
                worker.abandon();
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

    /// Ends the run's calls: the idle worker is joined, and the adapter released.
    fn finish(self) {
        if let Some(worker) = self.worker {
            worker.finish();
        }
    }
}

/// The verdict of a vector that was not run because the adapter is broken: it failed to set
/// up (no hello, a bad one, a protocol mismatch), or it wedged. Distinct from `adapter_error`
/// (one call failed): a broken adapter is a setup error of the run (`conformance` exits 2).
pub const ADAPTER_BROKEN: &str = "adapter_broken";

/// An adapter that could not be set up: what is known of it, and why.
#[derive(Clone, Debug)]
pub struct SetupError {
    /// The adapter's info as far as it is known (`library` is [`UNAVAILABLE`]).
    pub info: Box<AdapterInfo>,
    /// One line, scrubbed and short.
    pub why: String,
}

/// Runs `adapter` over `corpus`. An adapter that fails to set up has every vector reported
/// [`ADAPTER_BROKEN`]; one that wedges has the rest of its vectors reported so, not waited for
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

/// A vector not run because the adapter is broken: a failure of the adapter's
/// ([`Impact::AdapterError`]) whose verdict is [`ADAPTER_BROKEN`].
fn broken_result(vector: &Vector, why: &str) -> VectorResult {
    let expected = vector
        .steps()
        .last()
        .map(|s| ExpectedSummary::of(&s.expected))
        .unwrap_or(ExpectedSummary {
            verdict: Verdict::Reject,
            reason: None,
        });
    VectorResult {
        id: vector.id.clone(),
        category: vector.category.clone(),
        severity: vector.severity,
        basis: vector.basis.clone(),
        expected,
        actual: Some(Observed {
            verdict: ADAPTER_BROKEN.to_owned(),
            reason: None,
            error: Some(why.to_owned()),
        }),
        result: TestResult::Fail,
        impact: Some(Impact::AdapterError),
        reason_match: ReasonMatch::NotApplicable,
        detail: why.to_owned(),
        adapter_error: true,
        steps: Vec::new(),
    }
}

/// [`run`] without progress reporting.
pub fn run_quietly(adapter: Arc<dyn Adapter>, corpus: &Corpus, opts: &RunOptions) -> Report {
    run(adapter, corpus, opts, &mut |_, _, _| {})
}

/// The adapter's info, obtained with the same protections as a verification, within
/// [`RunOptions::hello_timeout`] (plus the grace). An adapter whose info panics, does not come
/// in time (its processes are then killed), or says the adapter is [`UNAVAILABLE`] (a
/// subprocess that did not start or greeted wrongly) is a setup error.
pub fn info_of(adapter: &Arc<dyn Adapter>, opts: &RunOptions) -> Result<AdapterInfo, SetupError> {
    let (tx, rx) = mpsc::channel();
    let a = adapter.clone();
    let spawned = std::thread::Builder::new()
        .name(WORKER_THREAD.to_owned())
        .spawn(move || {
            let info = catch_unwind(AssertUnwindSafe(|| a.info()));
            // Released before answering, so that the caller holds the last reference.
            drop(a);
            let _ = tx.send(info.map_err(|p| panic_message(&*p)));
        });
    let fail = |why: String| SetupError {
        info: Box::new(AdapterInfo {
            name: "unknown".to_owned(),
            library: UNAVAILABLE.to_owned(),
            version: "unknown".to_owned(),
            capabilities: Capabilities::default(),
            notes: vec![why.clone()],
        }),
        why,
    };
    let thread = match spawned {
        Ok(handle) => handle.thread().id(),
        Err(e) => return Err(fail(format!("cannot start a worker thread: {e}"))),
    };
    let wait = opts.hello_timeout() + opts.grace;
    match rx.recv_timeout(wait) {
        Ok(Ok(info)) if info.library == UNAVAILABLE => {
            let why = info
                .notes
                .first()
                .cloned()
                .unwrap_or_else(|| "the adapter is unavailable".to_owned());
            Err(SetupError {
                info: Box::new(info),
                why,
            })
        }
        Ok(Ok(info)) => Ok(info),
        Ok(Err(panic)) => Err(fail(format!("info() panicked: {panic}"))),
        Err(_) => {
            subprocess::abort_waits_of(thread);
            Err(fail(format!(
                "the adapter did not identify itself within {wait:?} (no hello)"
            )))
        }
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
        reason_match: ReasonMatch::NotApplicable,
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
        let j = judge(step, vector.severity, &outcome, caps);
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

/// Scores one step: exact, acceptable or fail (with its impact class). Reason IDs and codes
/// count only for `exact` adapters; claims for every adapter that says it returns the library's
/// own ([`Capabilities::compares_claims`]).
fn judge(
    step: &Step,
    severity: Severity,
    outcome: &AdapterOutcome,
    caps: &Capabilities,
) -> Judgement {
    let exact = caps.exact;
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
    let claims_differ = match (expected, outcome) {
        (Expected::Accept { claims: w }, AdapterOutcome::Accept { claims: g }) => {
            claims_difference(w, g, exact)
        }
        _ => None,
    };
    let claims_ok = claims_differ.is_none();
    let compare_claims = caps.compares_claims();
    let said = got
        .error
        .as_deref()
        .map(|e| format!(": {}", one_line(e, 300)))
        .unwrap_or_default();
    let wrong_reason = exact && matches!(reason, ReasonMatch::Mismatch | ReasonMatch::Unmapped);
    let why = if !verdict_ok || wrong_reason {
        format!("expected {}, got {}{said}", want.label(), got.label())
    } else if let Some(differ) = claims_differ.filter(|_| compare_claims) {
        format!("accepted, but the claims differ from the expected ones ({differ})")
    } else if !claims_ok {
        "accepted as expected (the library's claims differ from the expected ones)".to_owned()
    } else {
        String::new()
    };
    let pass = verdict_ok && !wrong_reason && (!compare_claims || claims_ok);
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
    let impact = impact::classify_step(step, severity, outcome);
    Judgement {
        result: TestResult::Fail,
        reason,
        impact: Some(impact),
        why,
    }
}

/// `None` when the claims are equal, else which members differ, by name only (a claim's value
/// may be anything the token carried): `exp, nbf (missing), x (extra)`, at most a line.
///
/// An `exact` adapter must reproduce the reference's claims value for value. Other adapters
/// are held to the JSON data model ([`same_json`]): a language without an integer type cannot
/// tell `1e3` from `1000`, and that is no fault of its library; a number it cannot hold
/// (`9223372036854775807` read as a double) is a difference.
fn claims_difference(
    want: &serde_json::Value,
    got: &serde_json::Value,
    exact: bool,
) -> Option<String> {
    let same = |w: &serde_json::Value, g: &serde_json::Value| {
        if exact { w == g } else { same_json(w, g) }
    };
    if same(want, got) {
        return None;
    }
    let (Some(w), Some(g)) = (want.as_object(), got.as_object()) else {
        return Some("not a JSON object".to_owned());
    };
    let mut names: Vec<String> = w
        .iter()
        .filter_map(|(k, v)| match g.get(k) {
            None => Some(format!("{k} (missing)")),
            Some(other) if !same(v, other) => Some(k.clone()),
            Some(_) => None,
        })
        .collect();
    names.extend(
        g.keys()
            .filter(|k| !w.contains_key(*k))
            .map(|k| format!("{k} (extra)")),
    );
    Some(one_line(&names.join(", "), 200))
}

/// JSON values equal in the JSON data model: numbers by mathematical value (`1e3`, `1000` and
/// `1000.0` are one number, and so are `-0` and `0`), object members in any order.
pub fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::{Array, Number, Object};
    match (a, b) {
        (Number(x), Number(y)) => same_number(x, y),
        (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
        (Object(x), Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// Two JSON numbers with the same value: integers exactly, an integer and a double when the
/// double is that very integer, doubles by `==`.
fn same_number(x: &serde_json::Number, y: &serde_json::Number) -> bool {
    let int = |n: &serde_json::Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    // A double that holds an integer exactly (|f| < 2^127 keeps the cast exact).
    let whole = |f: f64| (f.fract() == 0.0 && f.abs() < 1.7e38).then_some(f as i128);
    match (int(x), int(y)) {
        (Some(i), Some(j)) => i == j,
        (Some(i), None) => y.as_f64().and_then(whole) == Some(i),
        (None, Some(j)) => x.as_f64().and_then(whole) == Some(j),
        (None, None) => x.as_f64() == y.as_f64(),
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
