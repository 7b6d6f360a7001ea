//! `docs/findings.md`: every `must` failure of each third-party library, by impact class
//! (gravest first), then by the algorithm groups the vector's profile allows, then by expected
//! outcome, each group quoting the clauses it rests on and saying why it matters ([`super::why`]).
//!
//! The format is read by `conformance/tests/repro.rs`: a library's section is `## NAME`, and
//! its first `### IMPACT: N vector(s)` heading is its gravest group (algorithm groups are
//! `####`, expected outcomes `#####`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use corpus::normative;

use super::cells::{did, impact_cells, impact_header, repro_line};
use super::groups::{AlgGroup, groups_label, groups_of};
use super::why::why_it_matters;
use crate::adapters::HARDENED_SUFFIX;
use crate::impact::Impact;
use crate::judge::TestResult;
use crate::report::markdown::cell;
use crate::report::page::{Layout, header_lines, page_name, quote_clauses, vector_link};
use crate::report::{Report, VectorResult};
use crate::set::Corpus;
use crate::text::one_line;
use crate::vector::{Severity, Vector};

/// A class's failures by algorithm groups (in group order), then by expected outcome.
type ByGroups<'r> = BTreeMap<Vec<AlgGroup>, BTreeMap<String, Vec<&'r VectorResult>>>;

/// `findings.md`.
pub fn page(reports: &[Report], corpus: &Corpus, layout: Layout) -> String {
    let vectors: BTreeMap<&str, &Vector> = corpus
        .vectors
        .iter()
        .map(|v| (v.id.as_str(), &**v))
        .collect();
    let by_name: BTreeMap<&str, &Report> = reports
        .iter()
        .map(|r| (r.header.adapter.as_str(), r))
        .collect();
    let libraries: Vec<&Report> = reports
        .iter()
        .filter(|r| r.header.adapter != "reference" && !r.header.adapter.ends_with(HARDENED_SUFFIX))
        .collect();
    let mut out = String::from("# Findings\n\n");
    header_lines(&mut out, corpus);
    out.push_str(
        "Every `must`-severity failure of each third-party library, configured alone as strictly \
         as its API allows, in the run that produced [matrix.md](matrix.md). Only observed \
         results: each row is a vector the library failed, with what it did and its own error \
         text. `must` marks an RFC MUST or a known attack; failures of the strict profile only \
         are in the matrix pages, not here, and an outcome a vector lists as acceptable is not a \
         failure. Each library's failures are ordered by impact, gravest first, then grouped by the \
         algorithm groups their profiles allow (ES256, ES384, ES512, RS, PS, EdDSA, HS; `RS + HS` for a \
         vector whose profile allows both): **forgery** \
         (accepted a token whose signature, key or algorithm trust is broken, or trusted a key \
         set that must not load), **policy-bypass** (accepted despite a claim, time, audience, \
         issuer, `typ`, domain or state rule), **parser-laxity** (accepted malformed encoding or \
         JSON), **fetch-abuse** (the verdict held, but the key-set client contacted a place it \
         must not, refetched beyond the bound or stalled on a hostile endpoint), \
         **false-reject** (refused a conforming token), **late-failure** (loaded a key \
         set that must be refused, then rejected the token) and **reason-mismatch** (refused, \
         but not as the vector requires); adapter errors come last and are counted only in *must \
         failures*. Each group quotes the binding clauses and attacks of \
         [normative.md](normative.md) its vectors cite. The *seam* column says whether the same \
         library behind the reference seam (`+hardened`) conformed on the vector: a ✔ \
         is a gap the application can close around the library, a ✘ one only the library can \
         fix.\n\n",
    );
    let (impact_names, impact_align) = impact_header();
    let _ = writeln!(
        out,
        "| library | version | must vectors run | must failures | {impact_names} | closed by the seam |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|{impact_align}---:|");
    for r in &libraries {
        let must = r
            .summary
            .by_severity
            .get(&Severity::Must)
            .copied()
            .unwrap_or_default();
        let hardened = by_name.get(format!("{}{HARDENED_SUFFIX}", r.header.adapter).as_str());
        let closed = must_fail_ids(r)
            .filter(|id| hardened.is_some_and(|h| conformed(h, id)))
            .count();
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} | {} | {} | {} |",
            r.header.adapter,
            page_name(&r.header.adapter).to_lowercase(),
            r.header.library_version,
            must.run(),
            must.fail,
            impact_cells(&r.summary),
            if hardened.is_some() {
                closed.to_string()
            } else {
                "—".to_owned()
            }
        );
    }
    for r in libraries {
        let h = &r.header;
        let _ = writeln!(out, "\n## {}\n", page_name(&h.adapter));
        let _ = writeln!(
            out,
            "{} {} — configuration and limits on [its matrix page](matrix/{}.md).\n",
            cell(&h.library),
            h.library_version,
            page_name(&h.adapter)
        );
        if let Some(line) = repro_line(&h.adapter, layout, 1) {
            let _ = writeln!(out, "{line}\n");
        }
        let hardened = by_name
            .get(format!("{}{HARDENED_SUFFIX}", h.adapter).as_str())
            .copied();
        // Impact class (gravest first), then algorithm groups, then expected outcome.
        let mut classes: BTreeMap<Impact, ByGroups<'_>> = BTreeMap::new();
        for v in r
            .results
            .iter()
            .filter(|v| v.result == TestResult::Fail && v.severity == Severity::Must)
        {
            let groups = vectors
                .get(v.id.as_str())
                .map(|vector| groups_of(vector))
                .unwrap_or_default();
            classes
                .entry(v.impact.unwrap_or(Impact::AdapterError))
                .or_default()
                .entry(groups.into_iter().collect())
                .or_default()
                .entry(v.expected.label())
                .or_default()
                .push(v);
        }
        if classes.is_empty() {
            out.push_str("No `must` failure among the vectors it ran.\n");
            continue;
        }
        for (impact, groups) in classes {
            let n: usize = groups
                .values()
                .flat_map(BTreeMap::values)
                .map(Vec::len)
                .sum();
            let _ = writeln!(out, "### {impact}: {n} vector(s)\n");
            if impact == Impact::AdapterError {
                out.push_str(
                    "The adapter crashed, panicked or timed out: no verdict of the library, so \
                     no impact class (counted in *must failures* only).\n\n",
                );
            } else {
                let _ = writeln!(out, "The library {}.\n", impact.meaning());
            }
            for (algorithms, by_expected) in groups {
                let n: usize = by_expected.values().map(Vec::len).sum();
                let label = groups_label(&algorithms.iter().copied().collect());
                let _ = writeln!(out, "#### {label}: {n} vector(s)\n");
                for (expected, failures) in by_expected {
                    finding_group(&mut out, &expected, &failures, &vectors, hardened, layout);
                }
            }
        }
    }
    out
}

/// One group of a library's findings: the vectors of one impact class with the same expected
/// outcome, why it matters, the clauses they rest on (quoted once), and a row per vector.
fn finding_group(
    out: &mut String,
    expected: &str,
    failures: &[&VectorResult],
    vectors: &BTreeMap<&str, &Vector>,
    hardened: Option<&Report>,
    layout: Layout,
) {
    let _ = writeln!(
        out,
        "##### expected {expected}: {} vector(s)\n",
        failures.len()
    );
    let mut cves: BTreeSet<&str> = BTreeSet::new();
    for f in failures {
        if let Some(v) = vectors.get(f.id.as_str()) {
            cves.extend(
                v.refs
                    .iter()
                    .filter(|r| r.starts_with("CVE-"))
                    .map(String::as_str),
            );
        }
    }
    let mut why = why_it_matters(&failures[0].expected).to_owned();
    if !cves.is_empty() {
        let list: Vec<&str> = cves.into_iter().collect();
        let _ = write!(why, " Related: {}.", list.join(", "));
    }
    let _ = writeln!(out, "Why it matters: {why}\n");
    quote_clauses(
        out,
        failures
            .iter()
            .flat_map(|f| f.basis.iter().map(String::as_str)),
        true,
    );
    out.push_str(
        "| vector | what it checks | basis | what the library did | seam |\n|---|---|---|---|---|\n",
    );
    for f in failures {
        let description = vectors
            .get(f.id.as_str())
            .map(|v| cell(&one_line(&v.description, 160)))
            .unwrap_or_default();
        let seam = match hardened {
            Some(h) if conformed(h, &f.id) => "✔",
            Some(_) => "✘",
            None => "—",
        };
        let _ = writeln!(
            out,
            "| {} | {description} | {} | {} | {seam} |",
            vector_link(&f.id, layout, 1),
            basis_ids(&f.basis),
            did(f)
        );
    }
    out.push('\n');
}

/// The binding and attack IDs of a basis, as code spans (`—` when there is none).
fn basis_ids(basis: &[String]) -> String {
    let table = normative::table();
    let ids: Vec<String> = basis
        .iter()
        .filter(|id| table.get(id).is_none_or(|c| c.kind.can_bind()))
        .map(|id| format!("`{id}`"))
        .collect();
    if ids.is_empty() {
        "—".to_owned()
    } else {
        ids.join(", ")
    }
}

fn must_fail_ids(r: &Report) -> impl Iterator<Item = &str> {
    r.results
        .iter()
        .filter(|v| v.result == TestResult::Fail && v.severity == Severity::Must)
        .map(|v| v.id.as_str())
}

/// Whether the report's adapter conformed (exactly or acceptably) on vector `id`.
fn conformed(report: &Report, id: &str) -> bool {
    report
        .results
        .iter()
        .any(|r| r.id == id && matches!(r.result, TestResult::Pass | TestResult::Acceptable))
}
