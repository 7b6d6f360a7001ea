//! Gates: which results fail a run (`--fail-on`), which of those a baseline of known failures
//! excuses (`--baseline`, `--write-baseline`), and which skips cost coverage: a vector the
//! baseline says ran and that is skipped now fails at every level, and a run where nothing ran
//! never passes. docs/maintainers.md shows them in CI.
//!
//! A gate reads only finished [`Report`]s: it never changes a score, only the exit code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::adapter::Adapter;
use crate::call::RunOptions;
use crate::impact::Impact;
use crate::judge::{SkipCause, TestResult, skips_line};
use crate::report::Report;
use crate::report::model::VectorResult;
use crate::vector::Severity;

/// The version of the baseline file format written. Version 2 added `coverage`: the vectors
/// each adapter ran and skipped, so that a vector that goes from run to skipped is caught.
pub const BASELINE_VERSION: u32 = 2;
/// The versions read: a version 1 file (no `coverage`) still excuses its failures, and the gate
/// says that it cannot check coverage against it.
pub const BASELINE_VERSIONS: [u32; 2] = [1, 2];
/// The version of `gate.json` (2 added `ran`, `skipped` and `coverage_lost`).
pub const GATE_VERSION: u32 = 2;
/// Largest baseline file read (a list of every vector of every adapter fits many times over).
pub const MAX_BASELINE_BYTES: u64 = 16 << 20;

/// What fails the run (`--fail-on`), each level counting all the one before it does. Every
/// level counts a failure of a vector in its scope, the adapter's own errors included (a vector
/// the adapter failed on tested nothing), and a result that is only acceptable from an adapter
/// that declares `exact`. Skips are no failures at any level; at every level the gate fails on
/// *coverage lost* (a vector the baseline says ran is skipped now), and a run where nothing
/// ran fails (the CLI exits 2 on it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// A failure of impact class `forgery`, or an adapter error on a `must` vector (where a
    /// forgery could hide). A timeout is not one: a verifier that gives no answer accepted
    /// nothing.
    Forgery,
    /// As `forgery`, and a `denial-of-service` failure (a timeout) of a `must` vector.
    Dos,
    /// A failure of a `must` vector, whatever its impact class.
    Must,
    /// A failure of any vector, `must` or `profile` (the default).
    Profile,
    /// As `profile`, and also any result that is only acceptable: every departure from the
    /// expected outcome, even one the RFCs allow.
    Any,
}

impl FailOn {
    /// `forgery`, `dos`, `must`, `profile`, `any`.
    pub const fn name(self) -> &'static str {
        match self {
            FailOn::Forgery => "forgery",
            FailOn::Dos => "dos",
            FailOn::Must => "must",
            FailOn::Profile => "profile",
            FailOn::Any => "any",
        }
    }

    /// Whether `result`, from an adapter that does (`exact`) or does not declare reference-grade
    /// output, fails a run at this level. A skip never does (see [`Gate::coverage_lost`]).
    pub fn counts(self, result: &VectorResult, exact: bool) -> bool {
        let must = result.severity == Severity::Must;
        let forgery = || result.impact == Some(Impact::Forgery) || (must && result.adapter_error);
        match result.result {
            TestResult::Pass | TestResult::Skip => false,
            TestResult::Acceptable => exact || self == FailOn::Any,
            TestResult::Fail => match self {
                FailOn::Forgery => forgery(),
                FailOn::Dos => {
                    forgery() || (must && result.impact == Some(Impact::DenialOfService))
                }
                FailOn::Must => must,
                FailOn::Profile | FailOn::Any => true,
            },
        }
    }
}

/// One known failure: a vector an adapter fails, and how it failed when the baseline was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The adapter's name as its report gives it (the hello's `name` for a subprocess).
    pub adapter: String,
    /// The vector ID.
    pub vector: String,
    /// `fail` or `acceptable`.
    pub result: TestResult,
    pub severity: Severity,
    /// The impact class of a failure (absent for an acceptable result).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<Impact>,
}

/// A vector an adapter skipped when the baseline was written, and why.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkippedEntry {
    pub vector: String,
    pub cause: SkipCause,
}

/// What one adapter's run covered when the baseline was written (version 2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    /// The adapter's name as its report gives it.
    pub adapter: String,
    /// The IDs of the vectors it ran (whatever their result), sorted. A vector of a later corpus
    /// is in neither list, and its skip is no loss.
    pub ran: Vec<String>,
    /// The vectors it skipped, with the cause, sorted.
    pub skipped: Vec<SkippedEntry>,
}

/// A baseline file: the known failures of one or more adapters, and (version 2) what each run
/// covered.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub baseline_version: u32,
    /// The corpus version the baseline was written against (informative: entries are matched
    /// by vector ID, so a newer corpus keeps them).
    pub corpus_version: String,
    pub failures: Vec<Entry>,
    /// Per adapter, the vectors run and skipped (version 2; absent in version 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Vec<Coverage>>,
}

impl Baseline {
    /// Every result of `reports` that is not exact, at any level (a baseline written once
    /// serves every `--fail-on`), and what each report ran and skipped.
    pub fn of(reports: &[Report]) -> Baseline {
        let mut failures = Vec::new();
        let mut coverage = Vec::new();
        for report in reports {
            let adapter = &report.header.adapter;
            let mut ran = Vec::new();
            let mut skipped = Vec::new();
            for r in &report.results {
                if FailOn::Any.counts(r, true) {
                    failures.push(Entry {
                        adapter: adapter.clone(),
                        vector: r.id.clone(),
                        result: r.result,
                        severity: r.severity,
                        impact: r.impact,
                    });
                }
                match (r.result, r.skip_cause) {
                    (TestResult::Skip, cause) => skipped.push(SkippedEntry {
                        vector: r.id.clone(),
                        cause: cause.unwrap_or(SkipCause::LibraryLimit),
                    }),
                    _ => ran.push(r.id.clone()),
                }
            }
            coverage.push(Coverage {
                adapter: adapter.clone(),
                ran,
                skipped,
            });
        }
        Baseline {
            baseline_version: BASELINE_VERSION,
            corpus_version: reports
                .first()
                .map(|r| r.header.corpus_version.clone())
                .unwrap_or_default(),
            failures,
            coverage: Some(coverage),
        }
    }

    /// Writes the baseline of `reports` ([`Baseline::of`]) to `path`; the number of failures
    /// and of skips it records.
    pub fn write(reports: &[Report], path: &Path) -> Result<(usize, usize), String> {
        let baseline = Baseline::of(reports);
        std::fs::write(path, baseline.to_json())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        let skips = baseline
            .coverage
            .iter()
            .flatten()
            .map(|c| c.skipped.len())
            .sum();
        Ok((baseline.failures.len(), skips))
    }

    /// Reads a baseline file: bounded, strict, and of a version this runner reads.
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let bytes = crate::text::read_bounded(path, MAX_BASELINE_BYTES)
            .map_err(|e| format!("baseline {}: {e}", path.display()))?;
        let baseline: Baseline = serde_json::from_slice(&bytes).map_err(|e| {
            format!(
                "baseline {}: not a baseline file ({})",
                path.display(),
                crate::text::one_line(&e.to_string(), 120)
            )
        })?;
        if !BASELINE_VERSIONS.contains(&baseline.baseline_version) {
            return Err(format!(
                "baseline {}: baseline_version {}, this runner reads {}",
                path.display(),
                baseline.baseline_version,
                BASELINE_VERSIONS.map(|v| v.to_string()).join(" and ")
            ));
        }
        match (baseline.baseline_version, &baseline.coverage) {
            (1, Some(_)) => {
                return Err(format!(
                    "baseline {}: baseline_version 1 has no `coverage` (it came with version 2)",
                    path.display()
                ));
            }
            (2, None) => {
                return Err(format!(
                    "baseline {}: baseline_version 2 needs `coverage`",
                    path.display()
                ));
            }
            _ => {}
        }
        if let Some(e) = baseline
            .failures
            .iter()
            .find(|e| !matches!(e.result, TestResult::Fail | TestResult::Acceptable))
        {
            return Err(format!(
                "baseline {}: {} of {} is `{}`: an entry is `fail` or `acceptable`",
                path.display(),
                e.vector,
                e.adapter,
                e.result.name()
            ));
        }
        Ok(baseline)
    }

    /// The file's text: pretty JSON, one entry per failure, sorted, with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut sorted = self.clone();
        sorted
            .failures
            .sort_by(|a, b| (&a.adapter, &a.vector).cmp(&(&b.adapter, &b.vector)));
        sorted
            .failures
            .dedup_by(|a, b| a.adapter == b.adapter && a.vector == b.vector);
        if let Some(coverage) = &mut sorted.coverage {
            coverage.sort_by(|a, b| a.adapter.cmp(&b.adapter));
            coverage.dedup_by(|a, b| a.adapter == b.adapter);
            for c in coverage {
                c.ran.sort();
                c.ran.dedup();
                c.skipped.sort();
                c.skipped.dedup_by(|a, b| a.vector == b.vector);
            }
        }
        let mut text = serde_json::to_string_pretty(&sorted).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// One result that counts at the gate's level.
#[derive(Clone, Debug)]
pub struct Counted<'r> {
    pub adapter: &'r str,
    pub result: &'r VectorResult,
    /// The baseline entry for the same adapter and vector, if any.
    pub entry: Option<&'r Entry>,
}

impl Counted<'_> {
    /// Whether the baseline excuses the result: it has an entry the result is not graver than.
    pub fn known(&self) -> bool {
        self.entry.is_some_and(|e| !graver(self.result, e))
    }
}

/// A vector the baseline says an adapter ran, skipped now.
#[derive(Clone, Debug)]
pub struct Lost<'r> {
    pub adapter: &'r str,
    pub result: &'r VectorResult,
}

impl Lost<'_> {
    /// Why it is skipped now.
    pub fn cause(&self) -> SkipCause {
        self.result.skip_cause.unwrap_or(SkipCause::LibraryLimit)
    }
}

/// What a gate decided over a run.
#[derive(Debug)]
pub struct Gate<'r> {
    pub level: FailOn,
    /// Every result that counts at the level, known or not.
    pub counted: Vec<Counted<'r>>,
    /// Baseline entries whose vector ran for their adapter and now does better than the entry
    /// says (exact, or acceptable where it failed): the baseline can shrink.
    pub fixed: Vec<&'r Entry>,
    /// Vectors the baseline's coverage says ran, skipped now: each fails the run at every level.
    pub coverage_lost: Vec<Lost<'r>>,
    /// Vectors run, over every report.
    pub ran: usize,
    /// Vectors skipped, by cause, over every report.
    pub skipped: BTreeMap<SkipCause, usize>,
    /// Whether a baseline was given.
    pub with_baseline: bool,
    /// The version of the baseline given, if one was (version 1 records no coverage).
    pub baseline_version: Option<u32>,
}

impl<'r> Gate<'r> {
    /// Judges `reports` at `level`, excusing what `baseline` lists. An entry excuses a result of
    /// the same adapter and vector unless the result is now graver: a failure where the entry
    /// says acceptable, or a graver impact class (a parser laxity that became a forgery is new).
    /// A vector the baseline's coverage lists as run for an adapter and that is skipped now is
    /// coverage lost, whatever the level.
    pub fn judge(level: FailOn, reports: &'r [Report], baseline: Option<&'r Baseline>) -> Self {
        let known: BTreeMap<(&str, &str), &Entry> = baseline
            .map(|b| {
                b.failures
                    .iter()
                    .map(|e| ((e.adapter.as_str(), e.vector.as_str()), e))
                    .collect()
            })
            .unwrap_or_default();
        let ran_before: BTreeSet<(&str, &str)> = baseline
            .and_then(|b| b.coverage.as_ref())
            .into_iter()
            .flatten()
            .flat_map(|c| c.ran.iter().map(|v| (c.adapter.as_str(), v.as_str())))
            .collect();
        let mut counted = Vec::new();
        let mut fixed = Vec::new();
        let mut coverage_lost = Vec::new();
        let mut ran = 0;
        let mut skipped: BTreeMap<SkipCause, usize> = BTreeMap::new();
        for report in reports {
            let adapter = report.header.adapter.as_str();
            let exact = report.header.capabilities.exact;
            ran += report.summary.total.run();
            for (cause, n) in &report.summary.by_skip_cause {
                *skipped.entry(*cause).or_default() += n;
            }
            for r in &report.results {
                let entry = known.get(&(adapter, r.id.as_str())).copied();
                if level.counts(r, exact) {
                    counted.push(Counted {
                        adapter,
                        result: r,
                        entry,
                    });
                }
                if let Some(e) = entry
                    && better(r, e)
                {
                    fixed.push(e);
                }
                if r.result == TestResult::Skip && ran_before.contains(&(adapter, r.id.as_str())) {
                    coverage_lost.push(Lost { adapter, result: r });
                }
            }
        }
        Gate {
            level,
            counted,
            fixed,
            coverage_lost,
            ran,
            skipped,
            with_baseline: baseline.is_some(),
            baseline_version: baseline.map(|b| b.baseline_version),
        }
    }

    /// The results that count and no baseline entry excuses.
    pub fn new_failures(&self) -> impl Iterator<Item = &Counted<'r>> {
        self.counted.iter().filter(|c| !c.known())
    }

    /// True when every vector of the run was skipped (or there was none): such a run tested
    /// nothing, and never passes.
    pub fn nothing_ran(&self) -> bool {
        self.ran == 0
    }

    /// True when something ran, nothing new counts, and no coverage was lost.
    pub fn passed(&self) -> bool {
        !self.nothing_ran() && self.new_failures().next().is_none() && self.coverage_lost.is_empty()
    }

    /// The gate's decision for machines (`gate.json` of `--reports`,
    /// `docs/schemas/gate.schema.json`): the level, whether it passed, every new failure (with
    /// the baseline entry it outgrew, if any), every vector whose coverage was lost, the skips
    /// by cause and every entry that can leave the baseline.
    pub fn to_json(&self) -> String {
        let new: Vec<serde_json::Value> = self
            .new_failures()
            .map(|c| {
                let r = c.result;
                let mut failure = serde_json::json!({
                    "adapter": c.adapter,
                    "vector": r.id,
                    "severity": r.severity,
                    "result": r.result,
                    "expected": r.expected,
                });
                if let Some(impact) = r.impact {
                    failure["impact"] = serde_json::json!(impact);
                }
                if let Some(actual) = &r.actual {
                    failure["actual"] = serde_json::json!(actual);
                }
                if let Some(entry) = c.entry {
                    failure["baseline"] = serde_json::json!(entry);
                }
                failure
            })
            .collect();
        let lost: Vec<serde_json::Value> = self
            .coverage_lost
            .iter()
            .map(|l| {
                serde_json::json!({
                    "adapter": l.adapter,
                    "vector": l.result.id,
                    "severity": l.result.severity,
                    "cause": l.cause(),
                    "detail": l.result.detail,
                })
            })
            .collect();
        let doc = serde_json::json!({
            "gate_version": GATE_VERSION,
            "fail_on": self.level.name(),
            "passed": self.passed(),
            "ran": self.ran,
            "skipped": self.skipped,
            "counted": self.counted.len(),
            "known": self.counted.iter().filter(|c| c.known()).count(),
            "new": new,
            "coverage_lost": lost,
            "better": self.fixed,
        });
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The gate's report for people (stderr, and `gate.txt` of `--reports`): a summary line,
    /// the skips by cause, then every vector whose coverage was lost, every new failure, and
    /// every entry that can leave the baseline.
    pub fn render(&self) -> String {
        let new: Vec<&Counted> = self.new_failures().collect();
        let mut out = format!(
            "gate --fail-on {}: {} counted, {} known from the baseline, {} coverage lost, {} new; {}\n",
            self.level.name(),
            self.counted.len(),
            self.counted.len() - new.len(),
            self.coverage_lost.len(),
            new.len(),
            if self.passed() { "passed" } else { "FAILED" },
        );
        out.push_str(&format!(
            "ran {}, skipped {}\n",
            self.ran,
            skips_line(&self.skipped)
        ));
        if self.nothing_ran() {
            out.push_str("nothing ran: every vector was skipped, so the run tested nothing\n");
        }
        if self.baseline_version == Some(1) {
            out.push_str(
                "the baseline is version 1 and records no coverage: a vector that ran then and \
                 skips now is not caught (rewrite it: --write-baseline FILE)\n",
            );
        }
        if !self.coverage_lost.is_empty() {
            out.push_str("\ncoverage lost (ran when the baseline was written, skipped now):\n");
            for l in &self.coverage_lost {
                out.push_str(&format!(
                    "  {:<20} {:<44} {:<8} {:<20} {}\n",
                    l.adapter,
                    l.result.id,
                    crate::text::severity_name(l.result.severity),
                    l.cause().label(),
                    crate::text::one_line(&l.result.detail, 160),
                ));
            }
        }
        if !new.is_empty() {
            out.push_str(if self.with_baseline {
                "\nnew failures (not in the baseline, or graver than it says):\n"
            } else {
                "\nfailures:\n"
            });
            for c in &new {
                let r = c.result;
                let was = c.entry.map_or_else(String::new, |e| {
                    format!(
                        " (baseline: {})",
                        e.impact.map_or(e.result.name(), Impact::name)
                    )
                });
                out.push_str(&format!(
                    "  {:<20} {:<44} {:<8} {:<16} expected {}, got {}{was}\n",
                    c.adapter,
                    r.id,
                    crate::text::severity_name(r.severity),
                    r.impact.map_or(r.result.name(), Impact::name),
                    r.expected.label(),
                    r.actual
                        .as_ref()
                        .map_or_else(|| "nothing".to_owned(), |a| a.label()),
                ));
            }
        }
        if !self.fixed.is_empty() {
            out.push_str("\nbetter than the baseline says (shrink it: --write-baseline FILE):\n");
            for e in &self.fixed {
                out.push_str(&format!("  {:<20} {}\n", e.adapter, e.vector));
            }
        }
        out
    }
}

/// Environment variable naming a file: [`check`] then writes the baseline there and passes.
pub const WRITE_BASELINE_ENV: &str = "JWT_CONFORMANCE_WRITE_BASELINE";

/// The whole gate, for a Rust library's own test suite (docs/maintainers.md): runs `adapter`
/// over the embedded corpus and judges it at `level`, excusing what the baseline file at
/// `baseline` lists (none yet is fine: a first run has no baseline). `Ok` carries the gate's
/// text, `Err` the gate's text of a failed run, or why the run could not be judged (the adapter
/// broke, the baseline is unreadable: read before the first vector runs). With
/// [`WRITE_BASELINE_ENV`] set to a path, writes every result that is not exact, and the vectors
/// run and skipped, there instead, and passes.
pub fn check(
    adapter: Arc<dyn Adapter>,
    level: FailOn,
    baseline: Option<&Path>,
) -> Result<String, String> {
    let write_to = std::env::var_os(WRITE_BASELINE_ENV);
    // The baseline is read before the first vector runs: a bad one fails at once.
    let baseline = baseline
        .filter(|p| write_to.is_none() && p.exists())
        .map(Baseline::read)
        .transpose()?;
    let corpus = crate::embedded::corpus()?;
    let report = crate::runner::run_quietly(adapter, &corpus, &RunOptions::default());
    if let Some(why) = report.broken() {
        return Err(format!("the adapter broke: {why}"));
    }
    let reports = [report];
    let gate = Gate::judge(level, &reports, baseline.as_ref());
    let text = gate.render();
    if gate.nothing_ran() {
        return Err(text);
    }
    if let Some(path) = write_to {
        let (failures, skips) = Baseline::write(&reports, Path::new(&path))?;
        return Ok(format!("wrote {failures} known failures and {skips} skips"));
    }
    if gate.passed() { Ok(text) } else { Err(text) }
}

/// Whether `result` is better than the baseline `entry` says: exact, or only acceptable where
/// the entry says it failed. A skipped vector tells nothing.
fn better(result: &VectorResult, entry: &Entry) -> bool {
    match result.result {
        TestResult::Pass => true,
        TestResult::Acceptable => entry.result == TestResult::Fail,
        TestResult::Fail | TestResult::Skip => false,
    }
}

/// Whether `result` is graver than the baseline `entry` says.
fn graver(result: &VectorResult, entry: &Entry) -> bool {
    match (result.result, entry.result) {
        (TestResult::Fail, TestResult::Fail) => match (result.impact, entry.impact) {
            // Runners before `denial-of-service` filed a timeout as an adapter error: the same
            // failure, not a graver one.
            (Some(Impact::DenialOfService), Some(Impact::AdapterError)) => false,
            // Declaration order of `Impact` is severity order, gravest first.
            (Some(now), Some(then)) => now < then,
            (Some(_), None) => true,
            (None, _) => false,
        },
        (TestResult::Fail, _) => true,
        _ => false,
    }
}
