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
//! otherwise ([`crate::runner`] combines the steps). An adapter that declares `exact` (the
//! reference) must be exact on every vector: [`crate::report::Report::passed`] is false when it
//! is merely acceptable anywhere. Reason agreement is scored separately for all adapters, by
//! category and by severity: the tallies ([`Tally`], [`Summary`]) are here, filled from a
//! report's results by [`crate::report::model`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::adapter::Capabilities;
use crate::impact::{self, Impact};
use crate::outcome::Outcome;
use crate::reference::describe;
use crate::text::one_line;
use crate::vector::{Acceptable, Expected, Severity, Step, Verdict};

/// exact (`pass`), acceptable, fail or skip (x509-limbo's SUCCESS / FAILURE / SKIPPED, with
/// Wycheproof's "acceptable").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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

/// Why a vector was skipped. A skip tests nothing, so every report and the gate count skips by
/// cause, and a baseline records them: a vector that ran when the baseline was written and is
/// skipped now is *coverage lost* ([`crate::gate`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipCause {
    /// The adapter does not declare a feature, an algorithm of the profile or the preset the
    /// vector needs: a choice the adapter made.
    FeatureNotDeclared,
    /// The vector needs the live key-set server, and this runner was built without the `live`
    /// cargo feature: the adapter declared what it needs, the build cannot run it.
    LiveNotBuilt,
    /// The adapter is not built or installed here (`run --allow-missing`).
    AdapterUnavailable,
    /// The adapter answered `skipped`: its library cannot express the case.
    LibraryLimit,
}

impl SkipCause {
    /// Every cause, in report order.
    pub const ALL: [SkipCause; 4] = [
        SkipCause::FeatureNotDeclared,
        SkipCause::LiveNotBuilt,
        SkipCause::AdapterUnavailable,
        SkipCause::LibraryLimit,
    ];

    /// The serialized name: `feature_not_declared`, `live_not_built`, …
    pub const fn name(self) -> &'static str {
        match self {
            SkipCause::FeatureNotDeclared => "feature_not_declared",
            SkipCause::LiveNotBuilt => "live_not_built",
            SkipCause::AdapterUnavailable => "adapter_unavailable",
            SkipCause::LibraryLimit => "library_limit",
        }
    }

    /// Words for people: `feature not declared`, `build without live`, …
    pub const fn label(self) -> &'static str {
        match self {
            SkipCause::FeatureNotDeclared => "feature not declared",
            SkipCause::LiveNotBuilt => "build without live",
            SkipCause::AdapterUnavailable => "adapter unavailable",
            SkipCause::LibraryLimit => "library limit",
        }
    }
}

impl std::fmt::Display for SkipCause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `12 (feature not declared 8, library limit 4)`, or `0`: skips by cause, for one line.
pub fn skips_line(by_cause: &BTreeMap<SkipCause, usize>) -> String {
    let total: usize = by_cause.values().sum();
    if total == 0 {
        return "0".to_owned();
    }
    let parts: Vec<String> = by_cause
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(cause, n)| format!("{} {n}", cause.label()))
        .collect();
    format!("{total} ({})", parts.join(", "))
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

pub(crate) struct Judgement {
    pub(crate) result: TestResult,
    pub(crate) reason: ReasonMatch,
    pub(crate) impact: Option<Impact>,
    pub(crate) why: String,
}

/// The step's `acceptable` outcome that admits what the adapter did, if any: the verdict must
/// be the outcome's; its reason (or code) is compared only when the outcome names one and the
/// adapter is exact or gave a mapped reason.
pub fn acceptable_match<'s>(
    step: &'s Step,
    outcome: &Outcome,
    exact: bool,
) -> Option<&'s Acceptable> {
    let verdict = outcome.verdict()?;
    let cause = outcome.cause();
    step.acceptable.iter().find(|o| {
        if exact || cause.is_some() {
            o.admits(verdict, cause.as_ref())
        } else {
            o.verdict() == verdict
        }
    })
}

/// Scores one step: exact, acceptable or fail (with its impact class). Reason IDs and codes
/// count only for `exact` adapters; claims for every adapter that says it returns the library's
/// own ([`Capabilities::compares_claims`]).
pub(crate) fn judge(
    step: &Step,
    stake: impact::Stake,
    outcome: &Outcome,
    caps: &Capabilities,
) -> Judgement {
    let exact = caps.exact;
    let expected = &step.expected;
    let (want, got) = (describe(expected), outcome.label());
    let verdict_ok = outcome.verdict() == Some(expected.verdict());
    // Reasons (or codes) are compared when both sides rejected, or both refused the setup.
    let reason = match outcome.verdict() {
        Some(v) if v == expected.verdict() && v != Verdict::Accept => match outcome.cause() {
            Some(g) if Some(&g) == expected.cause().as_ref() => ReasonMatch::Match,
            Some(_) => ReasonMatch::Mismatch,
            None => ReasonMatch::Unmapped,
        },
        _ => ReasonMatch::NotApplicable,
    };
    let claims_differ = match (expected, outcome) {
        (Expected::Accept { claims: w }, Outcome::Accept { claims: g }) => {
            claims_difference(w, g, exact)
        }
        _ => None,
    };
    let claims_ok = claims_differ.is_none();
    let compare_claims = caps.compares_claims();
    let said = outcome
        .text()
        .map(|e| format!(": {}", one_line(e, 300)))
        .unwrap_or_default();
    let wrong_reason = exact && matches!(reason, ReasonMatch::Mismatch | ReasonMatch::Unmapped);
    let why = if !verdict_ok || wrong_reason {
        format!("expected {}, got {}{said}", want, got)
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
        let listed = o.label();
        return Judgement {
            result: TestResult::Acceptable,
            reason,
            impact: None,
            why: format!(
                "acceptable: expected {}, got {}{said} ({listed} is listed as acceptable)",
                want, got
            ),
        };
    }
    let impact = impact::classify_step(step, stake, outcome);
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

pub(crate) fn combine_reasons(reasons: impl Iterator<Item = ReasonMatch>) -> ReasonMatch {
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
    /// Failures that were adapter errors (panic, crash, protocol error; not timeouts).
    pub errors: usize,
    /// Vectors run whose every verdict agreed (equals `pass` unless the adapter is exact).
    pub verdict_agree: usize,
    pub reason_match: usize,
    pub reason_mismatch: usize,
    pub reason_unmapped: usize,
}

impl Tally {
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

pub(crate) fn pct(n: usize, d: usize) -> Option<f64> {
    (d > 0).then(|| 100.0 * n as f64 / d as f64)
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
    /// Skips by cause (only causes that occur; they add up to `total.skip`).
    pub by_skip_cause: BTreeMap<SkipCause, usize>,
}

impl Summary {
    /// Failures of this class and severity.
    pub fn impact(&self, impact: Impact, severity: Severity) -> usize {
        self.by_impact.get(&impact).map_or(0, |t| t.of(severity))
    }
}
