//! Markdown for one adapter: header, a table by category (pass = exact, acceptable, fail, skip),
//! the skips by cause, the failures with their impact class, and the acceptable results.

use std::fmt::Write as _;

use super::percent;
use crate::impact::Impact;
use crate::judge::{Tally, TestResult};
use crate::report::Report;
use crate::text::{one_line, severity_name};

/// Escapes text for a Markdown table cell.
pub fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('`', "'")
}

/// One `| label | pass | acceptable | fail | skip | verdict | reason |` table row.
pub fn tally_row(label: &str, t: &Tally) -> String {
    format!(
        "| {label} | {} | {} | {} | {} | {} | {} |",
        t.pass,
        t.acceptable,
        t.fail,
        t.skip,
        percent(t.verdict_pct()),
        percent(t.reason_pct())
    )
}

/// The bold total row of such a table.
pub fn total_row(t: &Tally) -> String {
    format!(
        "| **total** | **{}** | **{}** | **{}** | **{}** | {} | {} |",
        t.pass,
        t.acceptable,
        t.fail,
        t.skip,
        percent(t.verdict_pct()),
        percent(t.reason_pct())
    )
}

/// The Markdown report of one adapter.
pub fn render(report: &Report) -> String {
    let h = &report.header;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## {}: {} {}\n",
        h.adapter,
        cell(&h.library),
        h.library_version
    );
    let _ = writeln!(
        out,
        "Corpus `{}` ({} vectors).\n",
        h.corpus_version, h.corpus_vectors
    );
    let _ = writeln!(
        out,
        "| category | pass | acceptable | fail | skip | verdict agreement | reason agreement |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|");
    for (category, t) in &report.summary.by_category {
        let _ = writeln!(out, "{}", tally_row(category, t));
    }
    let _ = writeln!(out, "{}", total_row(&report.summary.total));
    if !report.summary.by_skip_cause.is_empty() {
        let _ = writeln!(out, "\nSkipped by cause:\n");
        let _ = writeln!(out, "| cause | vectors |");
        let _ = writeln!(out, "|---|---:|");
        for (cause, n) in &report.summary.by_skip_cause {
            let _ = writeln!(out, "| {} (`{}`) | {n} |", cause.label(), cause.name());
        }
    }
    for (result, title) in [
        (TestResult::Fail, "Failures"),
        (
            TestResult::Acceptable,
            "Acceptable (not expected, but listed as conforming)",
        ),
    ] {
        let rows: Vec<_> = report
            .results
            .iter()
            .filter(|r| r.result == result)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}:\n");
        let _ = writeln!(
            out,
            "| vector | severity | impact | expected | actual | library said |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for r in rows {
            let actual = r.actual.as_ref();
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} |",
                r.id,
                severity_name(r.severity),
                r.impact.map_or("—", Impact::name),
                r.expected.label(),
                actual.map(|a| a.label()).unwrap_or_default(),
                cell(&one_line(
                    actual.and_then(|a| a.error.as_deref()).unwrap_or("-"),
                    160
                ))
            );
        }
    }
    out
}
