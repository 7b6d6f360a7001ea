//! The report model: who ran against what ([`ReportHeader`]), what each vector expected and
//! what the adapter did ([`VectorResult`], [`StepResult`]), and the tallies over them
//! ([`Summary`]). Every renderer reads only this.

use serde::Serialize;

use crate::adapter::Capabilities;
use crate::impact::Impact;
use crate::judge::{ReasonMatch, SkipCause, Summary, Tally, TestResult};
use crate::outcome::{Cause, Outcome, OutcomeKind, label};
use crate::vector::{Expected, Severity, Verdict};

/// The expected result, without claims.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpectedSummary {
    pub verdict: Verdict,
    /// Reject reason ID or config-error code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Cause>,
}

impl ExpectedSummary {
    pub fn of(expected: &Expected) -> Self {
        ExpectedSummary {
            verdict: expected.verdict(),
            reason: expected.cause(),
        }
    }

    /// `accept`, `reject (reason)`, `config_error (code)`.
    pub fn label(&self) -> String {
        label(self.verdict.name(), self.reason.as_ref())
    }
}

/// What the adapter did, without claims: the report's view of an [`Outcome`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Observed {
    /// `accept`, `reject`, `config_error`, `skipped`, `adapter_error`, or `adapter_broken`
    /// ([`OutcomeKind::AdapterBroken`]: not run, the adapter failed to set up or wedged; a setup error
    /// of the run, and `conformance` exits 2).
    pub verdict: OutcomeKind,
    /// The mapped reason ID or config-error code, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Cause>,
    /// The library's own error text (or the skip reason, or the adapter failure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Observed {
    pub fn of(outcome: &Outcome) -> Self {
        Observed {
            verdict: outcome.kind(),
            reason: outcome.cause(),
            error: outcome.text().map(str::to_owned),
        }
    }

    /// `accept`, `reject (reason)`, …
    pub fn label(&self) -> String {
        label(self.verdict.name(), self.reason.as_ref())
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
    /// Why the vector was skipped (skipped vectors only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_cause: Option<SkipCause>,
    /// Reason agreement over the vector's steps (`mismatch` if any step's reason differs, else
    /// `unmapped` if any was unmapped, else `match` if any matched). Named so as not to be read
    /// as a reason ID, which `expected.reason` and `actual.reason` are.
    pub reason_match: ReasonMatch,
    /// One line for people: why it failed or was skipped, or what was compared.
    pub detail: String,
    /// True when the failure is the adapter's own (panic, crash, protocol error); a timeout is
    /// the library's `denial-of-service` instead.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub adapter_error: bool,
    /// Every step, for multi-step vectors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepResult>,
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
    /// mismatch) or wedged mid-run; its vectors are [`OutcomeKind::AdapterBroken`]. A run that broke says
    /// nothing about the library: the CLI exits 2 on it, whatever `--exit-zero` says.
    pub fn broken(&self) -> Option<&str> {
        self.results
            .iter()
            .filter_map(|r| r.actual.as_ref())
            .find(|a| a.verdict == OutcomeKind::AdapterBroken)
            .map(|a| {
                a.error
                    .as_deref()
                    .unwrap_or(OutcomeKind::AdapterBroken.name())
            })
    }
}

impl Summary {
    /// Scores a list of results.
    pub fn of(results: &[VectorResult]) -> Summary {
        Summary::of_all(results)
    }

    /// The tallies over any selection of results (one category, algorithm group or preset).
    pub fn of_all<'a>(results: impl IntoIterator<Item = &'a VectorResult>) -> Summary {
        let mut s = Summary::default();
        for r in results {
            s.total.add(r);
            s.by_category.entry(r.category.clone()).or_default().add(r);
            s.by_severity.entry(r.severity).or_default().add(r);
            if let (TestResult::Skip, Some(cause)) = (r.result, r.skip_cause) {
                *s.by_skip_cause.entry(cause).or_default() += 1;
            }
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
}

impl Tally {
    pub(crate) fn add(&mut self, r: &VectorResult) {
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
}

fn verdicts_agree(r: &VectorResult) -> bool {
    if r.steps.is_empty() {
        r.actual
            .as_ref()
            .is_some_and(|a| a.verdict.verdict() == Some(r.expected.verdict))
    } else {
        r.steps
            .iter()
            .all(|s| s.actual.verdict.verdict() == Some(s.expected.verdict))
    }
}
