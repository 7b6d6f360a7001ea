//! Gates: which results fail a run (`--fail-on`), and which of those a baseline of known
//! failures excuses (`--baseline`, `--write-baseline`). docs/maintainers.md shows them in CI.
//!
//! A gate reads only finished [`Report`]s: it never changes a score, only the exit code.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::adapter::Adapter;
use crate::call::RunOptions;
use crate::impact::Impact;
use crate::judge::TestResult;
use crate::report::Report;
use crate::report::model::VectorResult;
use crate::vector::Severity;

/// The version of the baseline file format; a file of another version is refused.
pub const BASELINE_VERSION: u32 = 1;
/// Largest baseline file read (a list of every vector of every adapter fits many times over).
pub const MAX_BASELINE_BYTES: u64 = 16 << 20;

/// What fails the run (`--fail-on`). Every level counts a failure of a vector in its scope,
/// the adapter's own errors included (a vector the adapter failed on tested nothing), and a
/// result that is only acceptable from an adapter that declares `exact`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// A failure of impact class `forgery`, or an adapter error on a `must` vector (where a
    /// forgery could hide).
    Forgery,
    /// A failure of a `must` vector, whatever its impact class.
    Must,
    /// A failure of any vector, `must` or `profile` (the default).
    Profile,
    /// As `profile`, and also any result that is only acceptable: every departure from the
    /// expected outcome, even one the RFCs allow.
    Any,
}

impl FailOn {
    /// `forgery`, `must`, `profile`, `any`.
    pub const fn name(self) -> &'static str {
        match self {
            FailOn::Forgery => "forgery",
            FailOn::Must => "must",
            FailOn::Profile => "profile",
            FailOn::Any => "any",
        }
    }

    /// Whether `result`, from an adapter that does (`exact`) or does not declare reference-grade
    /// output, fails a run at this level.
    pub fn counts(self, result: &VectorResult, exact: bool) -> bool {
        let must = result.severity == Severity::Must;
        match result.result {
            TestResult::Pass | TestResult::Skip => false,
            TestResult::Acceptable => exact || self == FailOn::Any,
            TestResult::Fail => match self {
                FailOn::Forgery => {
                    result.impact == Some(Impact::Forgery) || (must && result.adapter_error)
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

/// A baseline file: the known failures of one or more adapters.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub baseline_version: u32,
    /// The corpus version the baseline was written against (informative: entries are matched
    /// by vector ID, so a newer corpus keeps them).
    pub corpus_version: String,
    pub failures: Vec<Entry>,
}

impl Baseline {
    /// Every result of `reports` that is not exact, at any level: a baseline written once
    /// serves every `--fail-on`.
    pub fn of(reports: &[Report]) -> Baseline {
        let mut failures = Vec::new();
        for report in reports {
            for r in &report.results {
                if FailOn::Any.counts(r, true) {
                    failures.push(Entry {
                        adapter: report.header.adapter.clone(),
                        vector: r.id.clone(),
                        result: r.result,
                        severity: r.severity,
                        impact: r.impact,
                    });
                }
            }
        }
        Baseline {
            baseline_version: BASELINE_VERSION,
            corpus_version: reports
                .first()
                .map(|r| r.header.corpus_version.clone())
                .unwrap_or_default(),
            failures,
        }
    }

    /// Writes the baseline of `reports` ([`Baseline::of`]) to `path`; the number of entries.
    pub fn write(reports: &[Report], path: &Path) -> Result<usize, String> {
        let baseline = Baseline::of(reports);
        std::fs::write(path, baseline.to_json())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(baseline.failures.len())
    }

    /// Reads a baseline file: bounded, strict, and of this version.
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
        if baseline.baseline_version != BASELINE_VERSION {
            return Err(format!(
                "baseline {}: baseline_version {}, this runner reads {BASELINE_VERSION}",
                path.display(),
                baseline.baseline_version
            ));
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

/// What a gate decided over a run.
#[derive(Debug)]
pub struct Gate<'r> {
    pub level: FailOn,
    /// Every result that counts at the level, known or not.
    pub counted: Vec<Counted<'r>>,
    /// Baseline entries whose vector ran for their adapter and now does better than the entry
    /// says (exact, or acceptable where it failed): the baseline can shrink.
    pub fixed: Vec<&'r Entry>,
    /// Whether a baseline was given.
    pub with_baseline: bool,
}

impl<'r> Gate<'r> {
    /// Judges `reports` at `level`, excusing what `baseline` lists. An entry excuses a result of
    /// the same adapter and vector unless the result is now graver: a failure where the entry
    /// says acceptable, or a graver impact class (a parser laxity that became a forgery is new).
    pub fn judge(level: FailOn, reports: &'r [Report], baseline: Option<&'r Baseline>) -> Self {
        let known: BTreeMap<(&str, &str), &Entry> = baseline
            .map(|b| {
                b.failures
                    .iter()
                    .map(|e| ((e.adapter.as_str(), e.vector.as_str()), e))
                    .collect()
            })
            .unwrap_or_default();
        let mut counted = Vec::new();
        let mut fixed = Vec::new();
        for report in reports {
            let adapter = report.header.adapter.as_str();
            let exact = report.header.capabilities.exact;
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
            }
        }
        Gate {
            level,
            counted,
            fixed,
            with_baseline: baseline.is_some(),
        }
    }

    /// The results that count and no baseline entry excuses.
    pub fn new_failures(&self) -> impl Iterator<Item = &Counted<'r>> {
        self.counted.iter().filter(|c| !c.known())
    }

    /// True when nothing new counts.
    pub fn passed(&self) -> bool {
        self.new_failures().next().is_none()
    }

    /// The gate's decision for machines (`gate.json` of `--reports`,
    /// `docs/schemas/gate.schema.json`): the level, whether it passed, every new failure (with
    /// the baseline entry it outgrew, if any) and every entry that can leave the baseline.
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
        let doc = serde_json::json!({
            "gate_version": 1,
            "fail_on": self.level.name(),
            "passed": self.passed(),
            "counted": self.counted.len(),
            "known": self.counted.iter().filter(|c| c.known()).count(),
            "new": new,
            "better": self.fixed,
        });
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The gate's report for people (stderr, and `gate.md` of `--reports`): a summary line,
    /// then every new failure, then every entry that can leave the baseline.
    pub fn render(&self) -> String {
        let new: Vec<&Counted> = self.new_failures().collect();
        let mut out = format!(
            "gate --fail-on {}: {} counted, {} known from the baseline, {} new; {}\n",
            self.level.name(),
            self.counted.len(),
            self.counted.len() - new.len(),
            new.len(),
            if new.is_empty() { "passed" } else { "FAILED" },
        );
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
/// broke, the baseline is unreadable). With [`WRITE_BASELINE_ENV`] set to a path, writes every
/// result that is not exact there instead, and passes.
pub fn check(
    adapter: Arc<dyn Adapter>,
    level: FailOn,
    baseline: Option<&Path>,
) -> Result<String, String> {
    let corpus = crate::embedded::corpus()?;
    let report = crate::runner::run_quietly(adapter, &corpus, &RunOptions::default());
    if let Some(why) = report.broken() {
        return Err(format!("the adapter broke: {why}"));
    }
    let reports = [report];
    if let Some(path) = std::env::var_os(WRITE_BASELINE_ENV) {
        let count = Baseline::write(&reports, Path::new(&path))?;
        return Ok(format!("wrote {count} known failures"));
    }
    let baseline = baseline
        .filter(|p| p.exists())
        .map(Baseline::read)
        .transpose()?;
    let gate = Gate::judge(level, &reports, baseline.as_ref());
    let text = gate.render();
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
            // Declaration order of `Impact` is severity order, gravest first.
            (Some(now), Some(then)) => now < then,
            (Some(_), None) => true,
            (None, _) => false,
        },
        (TestResult::Fail, _) => true,
        _ => false,
    }
}
