//! Plain text for terminals: header, a table by category and by severity (pass = exact,
//! acceptable, fail, skip), failures by impact class, skips by cause, then the failures, the
//! acceptable results and the vectors the library itself skipped.

use std::fmt::Write as _;

use super::percent;
use crate::impact::Impact;
use crate::judge::{SkipCause, Tally, TestResult};
use crate::report::Report;
use crate::report::model::VectorResult;
use crate::text::severity_name;

/// The text report of one adapter.
pub fn render(report: &Report) -> String {
    let h = &report.header;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "adapter {}: {} {}",
        h.adapter, h.library, h.library_version
    );
    let _ = writeln!(
        out,
        "corpus {} ({} vectors)",
        h.corpus_version, h.corpus_vectors
    );
    for note in &h.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    let _ = writeln!(out);
    let width = report
        .summary
        .by_category
        .keys()
        .map(String::len)
        .max()
        .unwrap_or(8)
        .max(8);
    let _ = writeln!(
        out,
        "{:<width$}  {:>7}  {:>5}  {:>10}  {:>5}  {:>5}  {:>8}  {:>8}",
        "category", "vectors", "pass", "acceptable", "fail", "skip", "verdict", "reason"
    );
    let row = |out: &mut String, name: &str, t: &Tally| {
        let _ = writeln!(
            out,
            "{name:<width$}  {:>7}  {:>5}  {:>10}  {:>5}  {:>5}  {:>8}  {:>8}",
            t.vectors,
            t.pass,
            t.acceptable,
            t.fail,
            t.skip,
            percent(t.verdict_pct()),
            percent(t.reason_pct())
        );
    };
    for (category, t) in &report.summary.by_category {
        row(&mut out, category, t);
    }
    let _ = writeln!(out);
    for (severity, t) in &report.summary.by_severity {
        row(&mut out, &format!("[{}]", severity_name(*severity)), t);
    }
    row(&mut out, "TOTAL", &report.summary.total);
    if !report.summary.by_impact.is_empty() {
        let _ = writeln!(out, "\nfailures by impact (must / profile):");
        for (impact, t) in &report.summary.by_impact {
            let _ = writeln!(out, "  {:<16} {:>5} / {}", impact.name(), t.must, t.profile);
        }
    }
    if !report.summary.by_skip_cause.is_empty() {
        let _ = writeln!(out, "\nskipped by cause:");
        for (cause, n) in &report.summary.by_skip_cause {
            let _ = writeln!(out, "  {:<22} {n:>5}", cause.label());
        }
    }
    let failures: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.result == TestResult::Fail)
        .collect();
    if !failures.is_empty() {
        let _ = writeln!(out, "\nfailures ({}):", failures.len());
        for r in failures {
            let _ = writeln!(
                out,
                "  {} [{}] [{}] {}",
                r.id,
                severity_name(r.severity),
                r.impact.map_or("-", Impact::name),
                r.detail
            );
        }
    }
    list_results(
        &mut out,
        "acceptable",
        report
            .results
            .iter()
            .filter(|r| r.result == TestResult::Acceptable),
    );
    // Skips for a missing feature are the adapter's declaration, and are counted above; a
    // library that could not express a case is named, vector by vector.
    list_results(
        &mut out,
        "skipped by the library",
        report
            .results
            .iter()
            .filter(|r| r.skip_cause == Some(SkipCause::LibraryLimit)),
    );
    let _ = writeln!(out, "\n{}", summary_line(report));
    out
}

/// `NAME: N vectors, P pass, A acceptable, F fail (E adapter errors), S skip`: `pass` counts
/// exact results.
pub fn summary_line(report: &Report) -> String {
    let t = &report.summary.total;
    format!(
        "{}: {} vectors, {} pass, {} acceptable, {} fail ({} adapter errors), {} skip",
        report.header.adapter, t.vectors, t.pass, t.acceptable, t.fail, t.errors, t.skip
    )
}

/// Appends `title (N):` and one line per result (ID, severity, detail), unless there are none.
fn list_results<'r>(
    out: &mut String,
    title: &str,
    results: impl Iterator<Item = &'r VectorResult>,
) {
    let results: Vec<&VectorResult> = results.collect();
    if results.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title} ({}):", results.len());
    for r in results {
        let _ = writeln!(
            out,
            "  {} [{}] {}",
            r.id,
            severity_name(r.severity),
            r.detail
        );
    }
}
