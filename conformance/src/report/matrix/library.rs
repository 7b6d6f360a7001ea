//! An adapter's page (`docs/matrix/NAME.md`): its configuration, its results by category, by
//! algorithm group and by preset, the defects on which its verdict depends on the algorithm,
//! its key fetching, every failure (by category, then by algorithm group and preset: the
//! heatmap's cells link here), its acceptable results and its skips.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::cells::{features_of, repro_line};
use super::groups::{self, AlgGroup, Defect, Slice};
use crate::adapters::HARDENED_SUFFIX;
use crate::impact::Impact;
use crate::judge::{Summary, TestResult};
use crate::report::markdown::{cell, tally_row, total_row};
use crate::report::page::{Layout, header_lines, said_cell, vector_link};
use crate::report::{Report, VectorResult};
use crate::set::Corpus;
use crate::text::{one_line, scrub, severity_name};
use crate::vector::Feature;

/// An adapter page's section on the live key-set vectors: every one, with its result, so
/// that a library's fetch behaviour reads in one place.
fn key_fetching(out: &mut String, report: &Report, corpus: &Corpus, layout: Layout) {
    if !report.header.capabilities.supports(Feature::KeyFetch) {
        return;
    }
    let live = super::overview::live_ids(corpus);
    let _ = write!(
        out,
        "\n## Key fetching\n\nThe library's own remote key-set client against the runner's \
         loopback HTTPS server: each step scripts the server, and the vector bounds the \
         requests it may see as well as the verdict ([vectors/README.md]({}vectors/README.md)).\n\n\
         | vector | severity | result | impact | what happened |\n|---|---|---|---|---|\n",
        layout.up(2)
    );
    for r in report
        .results
        .iter()
        .filter(|r| live.contains(r.id.as_str()))
    {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            vector_link(&r.id, layout, 2),
            severity_name(r.severity),
            r.result.name(),
            r.impact.map_or("—", Impact::name),
            cell(&one_line(&scrub(&r.detail), 160)),
        );
    }
}

/// An adapter's page (`matrix/NAME.md`).
pub fn page(report: &Report, corpus: &Corpus, defects: &[Defect<'_>], layout: Layout) -> String {
    let h = &report.header;
    let mut out = format!(
        "# {}: {} {}\n\n",
        h.adapter,
        cell(&h.library),
        h.library_version
    );
    header_lines(&mut out, corpus);
    out.push_str("[Back to the matrix](../matrix.md)\n\n");
    let _ = writeln!(out, "Features: {}.\n", features_of(report));
    for note in &h.notes {
        let _ = writeln!(out, "- {}", cell(note));
    }
    if !h.adapter.ends_with(HARDENED_SUFFIX)
        && let Some(line) = repro_line(&h.adapter, layout, 2)
    {
        let _ = writeln!(out, "\n{line}");
    }
    out.push_str(
        "\n| category | pass | acceptable | fail | skip | verdict agreement | reason agreement |\n",
    );
    out.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
    for (category, t) in &report.summary.by_category {
        let name = if t.fail > 0 {
            format!(
                "[{category}](#{})",
                Slice::Category(category.clone()).anchor()
            )
        } else {
            category.clone()
        };
        let _ = writeln!(out, "{}", tally_row(&name, t));
    }
    let _ = writeln!(out, "{}", total_row(&report.summary.total));
    let vectors = groups::index(corpus);
    let slices: Vec<(Slice, Vec<&VectorResult>)> = Slice::algorithms_and_presets()
        .into_iter()
        .map(|s| {
            let results = groups::results_in(report, &s, &vectors);
            (s, results)
        })
        .collect();
    by_algorithm_and_preset(&mut out, &slices);
    across_algorithms(&mut out, report, defects, layout);
    key_fetching(&mut out, report, corpus, layout);
    let mut by_category: BTreeMap<&str, Vec<&VectorResult>> = BTreeMap::new();
    for r in report
        .results
        .iter()
        .filter(|r| r.result == TestResult::Fail)
    {
        by_category.entry(r.category.as_str()).or_default().push(r);
    }
    if !by_category.is_empty() {
        out.push_str("\n## Failures\n");
    }
    for (category, failures) in by_category {
        let _ = writeln!(
            out,
            "\n### {}\n",
            Slice::Category(category.to_owned()).heading()
        );
        out.push_str(
            "| vector | severity | impact | expected | actual | library said |\n|---|---|---|---|---|---|\n",
        );
        for r in failures {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                vector_link(&r.id, layout, 2),
                severity_name(r.severity),
                r.impact.map_or("—", Impact::name),
                r.expected.label(),
                r.actual.as_ref().map(|a| a.label()).unwrap_or_default(),
                said_cell(r, 160),
            );
        }
    }
    failures_by_algorithm_and_preset(&mut out, &slices, layout);
    let acceptable: Vec<&VectorResult> = report
        .results
        .iter()
        .filter(|r| r.result == TestResult::Acceptable)
        .collect();
    if !acceptable.is_empty() {
        out.push_str(
            "\n## Acceptable\n\nNot the expected outcome, but one the vector lists as also \
             conforming.\n\n| vector | severity | expected | actual | library said |\n\
             |---|---|---|---|---|\n",
        );
        for r in acceptable {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                vector_link(&r.id, layout, 2),
                severity_name(r.severity),
                r.expected.label(),
                r.actual.as_ref().map(|a| a.label()).unwrap_or_default(),
                said_cell(r, 160),
            );
        }
    }
    let mut skips: BTreeMap<String, usize> = BTreeMap::new();
    for r in report
        .results
        .iter()
        .filter(|r| r.result == TestResult::Skip)
    {
        *skips.entry(r.detail.clone()).or_default() += 1;
    }
    if !skips.is_empty() {
        out.push_str("\n## Skipped\n\n| why | vectors |\n|---|---:|\n");
        for (why, n) in skips {
            let _ = writeln!(out, "| {} | {n} |", cell(&why));
        }
    }
    out
}

/// `## By algorithm and preset`: the page's tallies per algorithm group and preset, each
/// linked to its failures when it has some.
fn by_algorithm_and_preset(out: &mut String, slices: &[(Slice, Vec<&VectorResult>)]) {
    out.push_str(
        "\n## By algorithm and preset\n\nA vector counts under every algorithm group its \
         profile allows (ES256 when it lists none) and under its preset.\n\n\
         | algorithm or preset | pass | acceptable | fail | skip | verdict agreement | reason agreement |\n\
         |---|---:|---:|---:|---:|---:|---:|\n",
    );
    for (slice, results) in slices {
        let t = Summary::of_all(results.iter().copied()).total;
        let name = if t.fail > 0 {
            format!("[{}](#{})", slice.heading(), slice.anchor())
        } else {
            slice.heading()
        };
        let _ = writeln!(out, "{}", tally_row(&name, &t));
    }
}

/// `## Across algorithms`: the defects the corpus renders under several algorithm groups on
/// which the library conformed under one and failed under another.
fn across_algorithms(out: &mut String, report: &Report, defects: &[Defect<'_>], layout: Layout) {
    let divergences = groups::divergences(report, defects);
    out.push_str(
        "\n## Across algorithms\n\nThe same defect rendered under several algorithm groups \
         (the `across` family, and the rows other families repeat per algorithm), where the \
         library's verdict depends on the algorithm: ✔ conformed, ✘ failed, each linked to its \
         vector; `—` not run under that group.\n\n",
    );
    if divergences.is_empty() {
        out.push_str(
            "No such defect: among the vectors it ran, its verdict on each defect is the same \
             under every algorithm group.\n",
        );
        return;
    }
    let names: Vec<&str> = AlgGroup::ALL.iter().map(|g| g.name()).collect();
    let _ = writeln!(
        out,
        "| defect | what it checks | {} |\n|---|---|{}",
        names.join(" | "),
        "---|".repeat(names.len())
    );
    for d in divergences {
        // The words of its first vector in group order (the ES256 original, mostly), without
        // an `ALG: ` prefix.
        let what = d
            .defect
            .vectors
            .iter()
            .min_by_key(|(v, g)| (*g, v.id.as_str()))
            .map(|(v, _)| {
                let text = v.description.as_str();
                let text = text
                    .split_once(": ")
                    .filter(|(alg, _)| !alg.contains(' '))
                    .map_or(text, |(_, rest)| rest);
                cell(&one_line(text, 100))
            })
            .unwrap_or_default();
        let cells: Vec<String> = AlgGroup::ALL
            .iter()
            .map(|g| {
                let marks: Vec<String> = d
                    .verdicts
                    .iter()
                    .filter(|v| v.group == *g)
                    .map(|v| {
                        format!(
                            "[{} {}]({}vectors/{}.json)",
                            if v.conforms { "✔" } else { "✘" },
                            v.did,
                            layout.up(2),
                            v.id
                        )
                    })
                    .collect();
                let listed = d.defect.vectors.iter().any(|(_, vg)| vg == g);
                match (marks.is_empty(), listed) {
                    (false, _) => marks.join(" "),
                    (true, true) => "—".to_owned(),
                    (true, false) => String::new(),
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "| `{}` | {what} | {} |",
            d.defect.key,
            cells.join(" | ")
        );
    }
}

/// `## Failures by algorithm and preset`: every failure again, under each algorithm group and
/// preset it counts under (the heatmap links here).
fn failures_by_algorithm_and_preset(
    out: &mut String,
    slices: &[(Slice, Vec<&VectorResult>)],
    layout: Layout,
) {
    let failing: Vec<(&Slice, Vec<&VectorResult>)> = slices
        .iter()
        .map(|(s, results)| {
            let failures: Vec<&VectorResult> = results
                .iter()
                .copied()
                .filter(|r| r.result == TestResult::Fail)
                .collect();
            (s, failures)
        })
        .filter(|(_, failures)| !failures.is_empty())
        .collect();
    if failing.is_empty() {
        return;
    }
    out.push_str("\n## Failures by algorithm and preset\n");
    for (slice, failures) in failing {
        let _ = writeln!(
            out,
            "\n### {}\n\n| vector | category | severity | impact | expected | actual |\n|---|---|---|---|---|---|",
            slice.heading()
        );
        for r in failures {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                vector_link(&r.id, layout, 2),
                r.category,
                severity_name(r.severity),
                r.impact.map_or("—", Impact::name),
                r.expected.label(),
                r.actual.as_ref().map(|a| a.label()).unwrap_or_default(),
            );
        }
    }
}
