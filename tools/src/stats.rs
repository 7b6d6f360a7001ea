//! `stats`: corpus counts by category, reason, severity and feature, and coverage checks.

use std::collections::BTreeMap;
use std::path::Path;

use corpus::vector::{Expected, Vector};
use verifier::Reason;

/// Minimum distinct vectors per reason ID.
const MIN_PER_REASON: usize = 3;
/// Minimum accept vectors.
const MIN_ACCEPT: usize = 60;
/// Minimum corpus size.
const MIN_TOTAL: usize = 600;

fn table(title: &str, counts: &BTreeMap<String, usize>) {
    println!("\n{title}");
    for (k, v) in counts {
        println!("  {k:<40} {v:>5}");
    }
}

/// Prints the counts; fails when coverage targets are missed.
pub fn run(dir: &Path) -> Result<(), String> {
    let vectors = corpus::load::load_dir(dir).map_err(|e| e.to_string())?;
    let report = Stats::of(&vectors);
    println!("vectors: {}", vectors.len());
    table("by category", &report.category);
    table("by expected verdict", &report.verdict);
    table("by reason (every step)", &report.reason);
    table("by severity", &report.severity);
    table("by feature", &report.feature);
    let problems = report.problems(vectors.len());
    if problems.is_empty() {
        println!(
            "\ncoverage: every reason has >= {MIN_PER_REASON} vectors, >= {MIN_ACCEPT} accepts, >= {MIN_TOTAL} vectors"
        );
        Ok(())
    } else {
        Err(format!("coverage targets missed:\n{}", problems.join("\n")))
    }
}

#[derive(Default)]
struct Stats {
    category: BTreeMap<String, usize>,
    verdict: BTreeMap<String, usize>,
    reason: BTreeMap<String, usize>,
    severity: BTreeMap<String, usize>,
    feature: BTreeMap<String, usize>,
}

fn label<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl Stats {
    fn of(vectors: &[Vector]) -> Stats {
        let mut s = Stats::default();
        for v in vectors {
            *s.category.entry(v.category.clone()).or_default() += 1;
            *s.severity.entry(label(&v.severity)).or_default() += 1;
            for f in &v.features {
                *s.feature.entry(label(f)).or_default() += 1;
            }
            if v.features.is_empty() {
                *s.feature.entry("(none)".into()).or_default() += 1;
            }
            let mut reasons: Vec<&str> = v
                .steps()
                .iter()
                .filter_map(|st| st.expected.reason())
                .collect();
            reasons.sort();
            reasons.dedup();
            for r in reasons {
                *s.reason.entry(r.to_owned()).or_default() += 1;
            }
            let last = v.steps().last().map(|st| &st.expected);
            let verdict = match last {
                Some(Expected::Accept { .. }) => "accept",
                Some(Expected::Reject { .. }) => "reject",
                _ => "config_error",
            };
            *s.verdict.entry(verdict.into()).or_default() += 1;
            if v.steps()
                .iter()
                .any(|st| matches!(st.expected, Expected::Accept { .. }))
                && verdict != "accept"
            {
                *s.verdict
                    .entry("(sequences with an accept step)".into())
                    .or_default() += 1;
            }
        }
        s
    }

    fn problems(&self, total: usize) -> Vec<String> {
        let mut out: Vec<String> = Reason::ALL
            .iter()
            .filter(|r| self.reason.get(r.id()).copied().unwrap_or(0) < MIN_PER_REASON)
            .map(|r| {
                format!(
                    "reason {} has {} vectors (< {MIN_PER_REASON})",
                    r.id(),
                    self.reason.get(r.id()).copied().unwrap_or(0)
                )
            })
            .collect();
        let accepts = self.verdict.get("accept").copied().unwrap_or(0);
        if accepts < MIN_ACCEPT {
            out.push(format!("{accepts} accept vectors (< {MIN_ACCEPT})"));
        }
        if total < MIN_TOTAL {
            out.push(format!("{total} vectors (< {MIN_TOTAL})"));
        }
        out
    }
}
