//! `docs/matrix.md`: the heatmap, the adapters table (results and `must` failures per impact
//! class), the results by category, and each adapter's results per algorithm group and per
//! preset with the impact columns.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::cells::{counts, features_of, impact_cells, impact_header, must_failures};
use super::groups::{self, Slice};
use super::heatmap;
use crate::adapters::HARDENED_SUFFIX;
use crate::judge::{Tally, TestResult};
use crate::report::markdown::cell;
use crate::report::page::{header_lines, page_name};
use crate::report::{Report, percent};
use crate::set::Corpus;
use crate::vector::{Feature, Severity};

/// `matrix.md`.
pub fn page(reports: &[Report], corpus: &Corpus) -> String {
    let mut out = String::from("# Conformance matrix\n\n");
    header_lines(&mut out, corpus);
    let _ = writeln!(
        out,
        "[![Heatmap: each adapter's gravest impact class by category, algorithm group and preset]({h})]({h})\n",
        h = heatmap::PATH
    );
    out.push_str(heatmap::CAPTION);
    out.push_str(
        "Each adapter wraps one verifier configured as strictly as its own API allows \
         ([docs/adapters.md](adapters.md)); `+hardened` is the same library behind the reference \
         seam (the reference verifier's key-set, pre-signature and claim rules around \
         the library), so the two columns side by side show how much of a library's gap the seam \
         closes. A cell is **pass / acceptable / fail / skip**: *pass* is the expected result \
         exactly, *acceptable* another outcome the vector lists as also conforming (say, a key \
         set that should be refused at load time, refused only when the token is checked), and \
         a failure count links to the failing vectors. Skips are vectors needing a feature the \
         adapter cannot express (clock injection, stores, JWK Set parsing). Severity `must` is an \
         RFC MUST or a known attack; `profile` is this project's strict RFC 9068 profile. The \
         must failures of each library are explained in [findings.md](findings.md); vectors most \
         libraries disagree with are in [disputes.md](disputes.md).\n\n",
    );
    out.push_str(&languages_line(reports));
    let live = live_ids(corpus);
    out.push_str("## Adapters\n\n");
    let (impact_names, impact_align) = impact_header();
    let _ = writeln!(
        out,
        "| adapter | library | version | features | pass | acceptable | fail | skip | verdict agreement | reason agreement | must failures | {impact_names} | fetch |"
    );
    let _ = writeln!(
        out,
        "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|{impact_align}---|"
    );
    for r in reports {
        let h = &r.header;
        let t = &r.summary.total;
        let _ = writeln!(
            out,
            "| [{}](matrix/{}.md) | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            h.adapter,
            page_name(&h.adapter),
            cell(&h.library),
            h.library_version,
            features_of(r),
            t.pass,
            t.acceptable,
            t.fail,
            t.skip,
            percent(t.verdict_pct()),
            percent(t.reason_pct()),
            must_failures(&r.summary),
            impact_cells(&r.summary),
            fetch_cell(r, &live)
        );
    }
    out.push_str(
        "\nVerdict agreement is the share of vectors run whose accept / reject / config-error \
         verdict matched; reason agreement is the share of agreed rejections where the adapter's \
         mapped reason ID matched the expected one (libraries' errors are mapped only when \
         unambiguous, so unmapped ones count against it). The eight impact columns split the `must` \
         failures by impact: **forgery** (accepted a token whose signature, key or algorithm \
         trust is broken, or loaded a key set that must be refused and accepted with it), \
         **policy-bypass** (accepted despite a claim, time, audience, issuer, `typ`, domain or \
         state rule), **parser-laxity** (accepted malformed encoding or JSON), **fetch-abuse** \
         (the verdict held, but the key-set client contacted a place it must not, refetched \
         beyond the bound, or stalled on a hostile endpoint), **denial-of-service** (gave no \
         answer within the per-vector timeout), **false-reject** \
         (refused a conforming token), **late-failure** (loaded a bad key set, then rejected) \
         and **reason-mismatch** (the right refusal for another reason); adapter errors are \
         counted in *must failures* only. The table is in [adapters.md](adapters.md). The \
         *fetch* column is the adapter's run of the live key-set vectors (pass / acceptable / \
         fail over the vectors that need `key_fetch`: the library's own remote key-set client \
         against the runner's loopback HTTPS server); `—` when the library has no such client \
         the adapter can configure.\n\n",
    );
    let categories: BTreeSet<&str> = corpus.vectors.iter().map(|v| v.category.as_str()).collect();
    let columns: Vec<String> = reports.iter().map(|r| r.header.adapter.clone()).collect();
    out.push_str("## By category\n\n");
    let _ = writeln!(out, "| category | vectors | {} |", columns.join(" | "));
    let _ = writeln!(out, "|---|---:|{}", "---|".repeat(columns.len()));
    for category in &categories {
        let n = corpus
            .vectors
            .iter()
            .filter(|v| v.category == *category)
            .count();
        let cells: Vec<String> = reports
            .iter()
            .map(|r| {
                let t = r
                    .summary
                    .by_category
                    .get(*category)
                    .copied()
                    .unwrap_or_default();
                let link = format!(
                    "matrix/{}.md#{}",
                    page_name(&r.header.adapter),
                    Slice::Category((*category).to_owned()).anchor()
                );
                counts(&t, Some(link))
            })
            .collect();
        let _ = writeln!(out, "| {category} | {n} | {} |", cells.join(" | "));
    }
    for (severity, label) in [
        (Severity::Must, "**must**"),
        (Severity::Profile, "**profile**"),
    ] {
        let n = corpus
            .vectors
            .iter()
            .filter(|v| v.severity == severity)
            .count();
        let cells: Vec<String> = reports
            .iter()
            .map(|r| {
                counts(
                    &r.summary
                        .by_severity
                        .get(&severity)
                        .copied()
                        .unwrap_or_default(),
                    None,
                )
            })
            .collect();
        let _ = writeln!(out, "| {label} | {n} | {} |", cells.join(" | "));
    }
    let cells: Vec<String> = reports
        .iter()
        .map(|r| counts(&r.summary.total, None))
        .collect();
    let _ = writeln!(
        out,
        "| **total** | {} | {} |",
        corpus.vectors.len(),
        cells.join(" | ")
    );
    by_algorithm_and_preset(&mut out, reports, corpus);
    out
}

/// `## By algorithm` and `## By preset`: a table per algorithm group and per preset, each
/// adapter's results there with the impact columns.
fn by_algorithm_and_preset(out: &mut String, reports: &[Report], corpus: &Corpus) {
    let vectors = groups::index(corpus);
    let (impact_names, impact_align) = impact_header();
    for title in ["algorithm", "preset"] {
        let _ = writeln!(out, "\n## By {title}\n");
        if title == "algorithm" {
            out.push_str(
                "A vector counts under every algorithm group its profile allows (ES256 when it \
                 lists none): the three EC algorithms apart, RSA PKCS#1 v1.5 (RS256/384/512), \
                 RSA-PSS (PS256/384/512), EdDSA and HMAC (HS256/384/512). A vector of a group \
                 the adapter does not declare is skipped; a failure count links to the adapter \
                 page's failures under the group.\n",
            );
        } else {
            out.push_str(
                "A vector counts under its profile's preset: `rfc9068` (access tokens, the \
                 default), `jwt` (a plain JWT) or `oidc-id-token` (an OpenID Connect ID token). A \
                 vector of a preset the adapter does not declare is skipped.\n",
            );
        }
        for slice in Slice::algorithms_and_presets()
            .into_iter()
            .filter(|s| s.kind() == title)
        {
            let _ = writeln!(
                out,
                "\n### {} ({} vectors)\n",
                slice.label(),
                groups::vectors_in(corpus, &slice)
            );
            let _ = writeln!(
                out,
                "| adapter | pass | acceptable | fail | skip | must failures | {impact_names} |"
            );
            let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|{impact_align}");
            for r in reports {
                let s = groups::summary_in(r, &slice, &vectors);
                let t = &s.total;
                let page = page_name(&r.header.adapter);
                let fail = match t.fail {
                    0 => "0".to_owned(),
                    n => format!("[**{n}**](matrix/{page}.md#{})", slice.anchor()),
                };
                let _ = writeln!(
                    out,
                    "| [{}](matrix/{page}.md) | {} | {} | {fail} | {} | {} | {} |",
                    r.header.adapter,
                    t.pass,
                    t.acceptable,
                    t.skip,
                    must_failures(&s),
                    impact_cells(&s)
                );
            }
        }
    }
}

/// The IDs of the live key-set vectors (those that need `key_fetch`).
pub(super) fn live_ids(corpus: &Corpus) -> BTreeSet<&str> {
    corpus
        .vectors
        .iter()
        .filter(|v| v.features.contains(&Feature::KeyFetch))
        .map(|v| v.id.as_str())
        .collect()
}

/// `pass / acceptable / fail` over the live vectors, linked to the failures; `—` when the
/// adapter has no key-set client.
fn fetch_cell(report: &Report, live: &BTreeSet<&str>) -> String {
    if !report.header.capabilities.supports(Feature::KeyFetch) {
        return "—".to_owned();
    }
    let mut tally = Tally::default();
    for r in report
        .results
        .iter()
        .filter(|r| live.contains(r.id.as_str()))
    {
        match r.result {
            TestResult::Pass => tally.pass += 1,
            TestResult::Acceptable => tally.acceptable += 1,
            TestResult::Fail => tally.fail += 1,
            TestResult::Skip => tally.skip += 1,
        }
    }
    let fail = match tally.fail {
        0 => "0".to_owned(),
        n => format!(
            "[**{n}**](matrix/{}.md#key-fetching)",
            page_name(&report.header.adapter)
        ),
    };
    format!("{} / {} / {fail}", tally.pass, tally.acceptable)
}

/// The third-party libraries run, by language: `N libraries in M languages: Rust (a, b), …`.
fn languages_line(reports: &[Report]) -> String {
    let by_language = crate::adapters::by_language(
        reports
            .iter()
            .filter(|r| !r.header.adapter.ends_with(HARDENED_SUFFIX))
            .filter_map(|r| crate::adapters::library(&r.header.adapter)),
    );
    if by_language.is_empty() {
        return String::new();
    }
    let count: usize = by_language.iter().map(|(_, n)| n.len()).sum();
    let groups: Vec<String> = by_language
        .iter()
        .map(|(language, names)| format!("{language} ({})", names.join(", ")))
        .collect();
    format!(
        "{count} third-party libraries in {} languages: {}.\n\n",
        by_language.len(),
        groups.join("; ")
    )
}
