//! The published matrix (`docs/matrix.md`, one page per adapter under `docs/matrix/`), the
//! findings (`docs/findings.md`) and the disputes (`docs/disputes.md`, [`super::disputes`]),
//! rendered from reports of one run over the corpus.
//!
//! Cells count **pass / acceptable / fail / skip**: *pass* is an exact result, *acceptable* one
//! the vector lists as also conforming. Failures carry an [`Impact`] class: the adapters table
//! counts `must` failures per class, the adapter pages show the class of every failing vector,
//! and the findings page orders each library's `must` failures by class (forgery first), quoting
//! the binding or attack clauses of `docs/normative.md` each group rests on.
//!
//! Everything here is a pure function of the reports and the corpus: no timestamps, durations
//! or host names, so regeneration is byte-identical and CI can check freshness.
//!
//! The pages link to vector files and to other documents. In the project's `docs/`
//! ([`Layout::Project`]) those links lead into the checkout; anywhere else
//! ([`Layout::SelfContained`], `matrix --docs DIR`) [`site::bundle`] copies every file they link
//! to into the folder, from what the binary carries, so the folder can be published alone.

pub mod site;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use corpus::normative::{self, Kind};
use verifier::{ConfigCode, Reason};

use crate::adapters::HARDENED_SUFFIX;
use crate::impact::Impact;
use crate::judge::{Tally, TestResult};
use crate::outcome::OutcomeKind;
use crate::outcome::{Cause, Id};
use crate::report::disputes::{self, Disputes};
use crate::report::markdown::{cell, tally_row, total_row};
use crate::report::percent;
use crate::report::{ExpectedSummary, Report, VectorResult};
use crate::set::Corpus;
use crate::text::{feature_name, one_line, scrub, severity_name};
use crate::vector::{Feature, Severity, Vector, Verdict};

/// The command that regenerates these files.
pub const COMMAND: &str = "cargo run --release -p conformance -- matrix";

/// Where the pages' links to files that are not pages lead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// The project's `docs/`: vectors, `vectors/README.md` and the repro snippets are linked
    /// where they are in the checkout (`../vectors/…`).
    Project,
    /// Any other folder: vectors are linked under the folder's `vectors/`, and the repro
    /// snippets, which the binary does not carry, are named instead of linked. Documents beside
    /// the pages (`normative.md`, `adapters.md`, …) are linked alike in both.
    SelfContained,
}

impl Layout {
    /// The relative way up from a page `depth` folders below the project root (`docs/` is 1,
    /// `docs/matrix/` 2) to the root its links to project files start from: the project root,
    /// or the self-contained folder itself.
    fn up(self, depth: usize) -> String {
        match self {
            Layout::Project => "../".repeat(depth),
            Layout::SelfContained => "../".repeat(depth.saturating_sub(1)),
        }
    }
}

/// The overview page, which every other page links back to.
pub const PAGE: &str = "matrix.md";

/// The generated files of the project's `docs/`, by path relative to it.
pub fn render(reports: &[Report], corpus: &Corpus) -> BTreeMap<String, String> {
    render_in(reports, corpus, Layout::Project)
}

/// The generated files, by path relative to the pages' folder, with links for `layout`.
pub fn render_in(reports: &[Report], corpus: &Corpus, layout: Layout) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    files.insert(PAGE.to_owned(), matrix_page(reports, corpus));
    for report in reports {
        files.insert(
            format!("matrix/{}.md", page_name(&report.header.adapter)),
            adapter_page(report, corpus, layout),
        );
    }
    files.insert(
        "findings.md".to_owned(),
        findings_page(reports, corpus, layout),
    );
    files.insert(
        disputes::PAGE.to_owned(),
        Disputes::of(reports, corpus).page_in(corpus, layout),
    );
    files
}

/// Writes the files under `docs`, removing adapter pages (and, in a self-contained folder,
/// copied vectors) no longer generated.
pub fn write(docs: &Path, files: &BTreeMap<String, String>) -> std::io::Result<()> {
    std::fs::create_dir_all(docs.join("matrix"))?;
    for stale in stale_pages(docs, files) {
        std::fs::remove_file(docs.join(stale))?;
    }
    put(docs, files)
}

/// Writes the files under `docs`, creating their folders, and removes nothing.
pub fn put(docs: &Path, files: &BTreeMap<String, String>) -> std::io::Result<()> {
    for (path, text) in files {
        let path = docs.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}

/// The files under `docs` that differ from `files` (or are missing, or extra).
pub fn check(docs: &Path, files: &BTreeMap<String, String>) -> Vec<String> {
    let mut stale = changed(docs, files);
    stale.extend(stale_pages(docs, files));
    stale
}

/// The files of `files` that are missing under `docs` or differ there.
pub fn changed(docs: &Path, files: &BTreeMap<String, String>) -> Vec<String> {
    files
        .iter()
        .filter(|(path, text)| {
            std::fs::read_to_string(docs.join(path)).ok().as_ref() != Some(*text)
        })
        .map(|(path, _)| path.clone())
        .collect()
}

/// Files under the folders the generator owns that it no longer generates: `matrix/*.md`,
/// and `vectors/**/*.json` when it copies vectors (a self-contained folder).
fn stale_pages(docs: &Path, files: &BTreeMap<String, String>) -> Vec<String> {
    let mut extra = Vec::new();
    owned_files(docs, "matrix", "md", false, &mut extra);
    if files.keys().any(|p| p.starts_with("vectors/")) {
        owned_files(docs, "vectors", "json", true, &mut extra);
    }
    extra.retain(|p| !files.contains_key(p));
    extra.sort();
    extra
}

/// The files `*.{ext}` under `docs/{folder}` (in its subfolders too with `deep`), as paths
/// relative to `docs` with `/` separators.
fn owned_files(docs: &Path, folder: &str, ext: &str, deep: bool, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(docs.join(folder)) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let path = format!("{folder}/{name}");
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            if deep {
                owned_files(docs, &path, ext, deep, out);
            }
        } else if name.ends_with(&format!(".{ext}")) {
            out.push(path);
        }
    }
}

/// File name of an adapter's page (`+` becomes `-`).
pub fn page_name(adapter: &str) -> String {
    adapter
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn anchor(category: &str) -> String {
    format!("category-{}", category.to_lowercase())
}

/// A link to a vector's file from a page `depth` folders below the project root.
pub(crate) fn vector_link(id: &str, layout: Layout, depth: usize) -> String {
    format!("[`{id}`]({}vectors/{id}.json)", layout.up(depth))
}

/// Quotes the clauses `ids` of `docs/normative.md` as a blockquote, one paragraph each (ID,
/// source, kind and the quoted text); with `binding_only`, only the binding and attack ones.
/// Writes nothing when no clause qualifies.
pub(crate) fn quote_clauses<'a>(
    out: &mut String,
    ids: impl IntoIterator<Item = &'a str>,
    binding_only: bool,
) {
    let table = normative::table();
    let mut seen = BTreeSet::new();
    let mut paragraphs = Vec::new();
    for id in ids {
        if !seen.insert(id) {
            continue;
        }
        match table.get(id) {
            Some(c) if binding_only && !c.kind.can_bind() => {}
            Some(c) => paragraphs.push(format!(
                "> `{}` — {} ({}): {}",
                c.id,
                c.source,
                kind_name(c.kind),
                c.text
            )),
            None => paragraphs.push(format!("> `{id}` — not in docs/normative.md")),
        }
    }
    if !paragraphs.is_empty() {
        out.push_str(&paragraphs.join("\n>\n"));
        out.push_str("\n\n");
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Binding => "binding",
        Kind::Attack => "attack",
        Kind::Threat => "threat",
        Kind::Permits => "permits",
        Kind::Issuer => "issuer",
        Kind::Profile => "profile",
    }
}

pub(crate) fn header_lines(out: &mut String, corpus: &Corpus) {
    let _ = writeln!(
        out,
        "<!-- Generated by `{COMMAND}`. Do not edit: CI regenerates it and fails when it is stale. -->\n"
    );
    let _ = writeln!(
        out,
        "Corpus `{}`: {} vectors.\n",
        corpus.version,
        corpus.vectors.len()
    );
}

/// `pass / acceptable / fail / skip`, the failure count linked when there is a page for it.
fn counts(t: &Tally, link: Option<String>) -> String {
    let fail = match (t.fail, link) {
        (0, _) | (_, None) => t.fail.to_string(),
        (n, Some(link)) => format!("[**{n}**]({link})"),
    };
    format!("{} / {} / {fail} / {}", t.pass, t.acceptable, t.skip)
}

/// `| forgery | policy-bypass | … |` header cells for the impact classes.
fn impact_header() -> (String, String) {
    let names: Vec<&str> = Impact::CLASSES.iter().map(|i| i.name()).collect();
    (names.join(" | "), "---:|".repeat(names.len()))
}

/// The `must` failures of each impact class, as table cells.
fn impact_cells(report: &Report) -> String {
    Impact::CLASSES
        .iter()
        .map(|i| report.summary.impact(*i, Severity::Must).to_string())
        .collect::<Vec<_>>()
        .join(" | ")
}

fn features_of(report: &Report) -> String {
    let f: Vec<String> = report
        .header
        .capabilities
        .features
        .iter()
        .map(|f| feature_name(*f))
        .collect();
    if f.is_empty() {
        "—".to_owned()
    } else {
        f.join(", ")
    }
}

fn must_failures(report: &Report) -> usize {
    report
        .summary
        .by_severity
        .get(&Severity::Must)
        .map_or(0, |t| t.fail)
}

fn matrix_page(reports: &[Report], corpus: &Corpus) -> String {
    let mut out = String::from("# Conformance matrix\n\n");
    header_lines(&mut out, corpus);
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
            must_failures(r),
            impact_cells(r),
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
                    anchor(category)
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
    out
}

/// An adapter page's section on the live key-set vectors: every one, with its result, so
/// that a library's fetch behaviour reads in one place.
fn key_fetching(out: &mut String, report: &Report, corpus: &Corpus, layout: Layout) {
    if !report.header.capabilities.supports(Feature::KeyFetch) {
        return;
    }
    let live = live_ids(corpus);
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

/// The IDs of the live key-set vectors (those that need `key_fetch`).
fn live_ids(corpus: &Corpus) -> BTreeSet<&str> {
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

/// Where a shipped library's gravest finding is reproduced without the suite, as a link from a
/// page `depth` folders below the project root (named in the project's source when the pages
/// are self-contained: the binary does not carry the snippets).
fn repro_line(adapter: &str, layout: Layout, depth: usize) -> Option<String> {
    let library = crate::adapters::library(adapter)?;
    Some(match library.repro {
        Some(repro) => format!(
            "Reproduced without the suite: {}, a standalone {} snippet, shows its gravest `must` \
             finding on the token of `{}`.",
            match layout {
                Layout::Project =>
                    format!("[`{path}`]({}{path})", layout.up(depth), path = repro.path),
                Layout::SelfContained => format!("`{}` in the jwt-conformance source", repro.path),
            },
            library.language,
            repro.vector,
        ),
        None => "No `must` finding to reproduce.".to_owned(),
    })
}

fn adapter_page(report: &Report, corpus: &Corpus, layout: Layout) -> String {
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
            format!("[{category}](#{})", anchor(category))
        } else {
            category.clone()
        };
        let _ = writeln!(out, "{}", tally_row(&name, t));
    }
    let _ = writeln!(out, "{}", total_row(&report.summary.total));
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
        let _ = writeln!(out, "\n### category: {category}\n");
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

/// The library's error text of a result as a table cell: scrubbed, one line, at most `max`
/// characters; `—` when there is none.
pub(crate) fn said_cell(r: &VectorResult, max: usize) -> String {
    r.actual
        .as_ref()
        .and_then(|a| a.error.as_deref())
        .map(|e| cell(&one_line(&scrub(e), max)))
        .unwrap_or_else(|| "—".to_owned())
}

/// What an observed outcome was, in words.
fn did(r: &VectorResult) -> String {
    let Some(a) = &r.actual else {
        return "—".to_owned();
    };
    let said = a
        .error
        .as_deref()
        .map(|e| format!(": {}", cell(&one_line(&scrub(e), 140))))
        .unwrap_or_default();
    let config = r.expected.verdict == Verdict::ConfigError;
    match a.verdict {
        OutcomeKind::Accept if config => "loaded the key set and accepted the token".to_owned(),
        OutcomeKind::Reject if config => {
            format!("loaded the key set, then rejected the token{said}")
        }
        OutcomeKind::Accept => "accepted".to_owned(),
        OutcomeKind::Reject => format!("rejected{said}"),
        OutcomeKind::ConfigError => format!("refused the configuration{said}"),
        OutcomeKind::AdapterError
            if a.error.as_deref().is_some_and(|e| e.starts_with("panic: ")) =>
        {
            format!("panicked{}", said.replacen(": panic", "", 1))
        }
        OutcomeKind::AdapterError => format!("adapter error{said}"),
        other => format!("{other}{said}"),
    }
}

fn findings_page(reports: &[Report], corpus: &Corpus, layout: Layout) -> String {
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
         failure. Each library's failures are ordered by impact, gravest first: **forgery** \
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
            impact_cells(r),
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
        // Impact class (gravest first), then expected outcome.
        let mut classes: BTreeMap<Impact, BTreeMap<String, Vec<&VectorResult>>> = BTreeMap::new();
        for v in r
            .results
            .iter()
            .filter(|v| v.result == TestResult::Fail && v.severity == Severity::Must)
        {
            classes
                .entry(v.impact.unwrap_or(Impact::AdapterError))
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
            let n: usize = groups.values().map(Vec::len).sum();
            let _ = writeln!(out, "### {impact}: {n} vector(s)\n");
            if impact == Impact::AdapterError {
                out.push_str(
                    "The adapter crashed, panicked or timed out: no verdict of the library, so \
                     no impact class (counted in *must failures* only).\n\n",
                );
            } else {
                let _ = writeln!(out, "The library {}.\n", impact.meaning());
            }
            for (expected, failures) in groups {
                finding_group(&mut out, &expected, &failures, &vectors, hardened, layout);
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
        "#### expected {expected}: {} vector(s)\n",
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

/// Why loading a key set or profile that must be refused matters, by config-error code. Every
/// code of the catalog has an arm (a test holds it); `None` is for codes `verifier` adds later
/// (`ConfigCode` is non-exhaustive).
fn why_config_matters(code: ConfigCode) -> Option<&'static str> {
    use ConfigCode::*;
    Some(match code {
        KeyDuplicateKid => {
            "two keys share a kid: which one verifies depends on the library's lookup order, so a retired or foreign key can keep verifying, and the operator's mistake is never reported."
        }
        KeyPrivateMember => {
            "private key material in a public key set was loaded without complaint: whoever can read the set can sign tokens; a verifier should refuse it loudly."
        }
        KeyWrongKty | KeyWrongCrv => {
            "a key of another type or curve was loaded into an ES256 verifier: the set does not mean what the operator thinks, and cross-algorithm confusion becomes possible."
        }
        KeyNotOnCurve | KeyBadCoordinate | KeyBadRsaParams | KeyBadSecret => {
            "an invalid public key (off the curve, the identity, a coordinate of the wrong length or encoding) was loaded: invalid-curve attacks and undefined verification behaviour start at load time."
        }
        KeyMissingKid => {
            "a key without a usable kid was loaded: tokens are matched by kid, so the key is unreachable or matched by accident."
        }
        KeyWrongUse | KeyWrongKeyOps | KeyWrongAlg => {
            "a key restricted to another use, operation or algorithm (RFC 7517 §4.2–4.4) was accepted for verification: the issuer's restriction is ignored."
        }
        MissingIssuer
        | MissingAudience
        | MissingClientId
        | MissingAlgorithms
        | UnsupportedAlgorithms
        | InvalidProfile => {
            "the library builds a verifier without the issuer, audience, client or algorithms its preset requires, or with an algorithm it does not implement: a loosely configured verifier accepts tokens meant for others."
        }
        JwksTooLarge | JwksNotJson | JwksDuplicateMember | JwksNotAKeySet | JwksEmpty
        | JwksTooManyKeys | KeyNotAnObject | NoKeys | MissingStore => MALFORMED_SET,
        _ => return None,
    })
}

/// Why loading a malformed, empty or oversized key set matters.
const MALFORMED_SET: &str = "a malformed, empty or oversized key set was loaded without complaint: the verifier runs with no or unknown keys instead of failing at startup, and the fault later looks like bad tokens.";

/// Why a failure on a vector expecting this outcome matters.
pub fn why_it_matters(expected: &ExpectedSummary) -> &'static str {
    match (expected.verdict, &expected.reason) {
        (Verdict::Accept, _) => {
            "a valid token was refused: the library is stricter than the RFCs at this \
             point, so conforming issuers' tokens fail (an interoperability bug, and an \
             incentive for operators to loosen other checks)."
        }
        (Verdict::ConfigError, Some(Cause::Code(Id::Known(code)))) => {
            why_config_matters(*code).unwrap_or(MALFORMED_SET)
        }
        (Verdict::ConfigError, _) => MALFORMED_SET,
        (Verdict::Reject, Some(Cause::Reason(Id::Known(reason)))) => {
            why_reason_matters(*reason).unwrap_or(UNREFUSED)
        }
        (Verdict::Reject, _) => UNREFUSED,
    }
}

/// The generic words for a rejection that did not happen.
const UNREFUSED: &str = "the token should have been refused for this reason and was not.";

/// Why accepting a token that must be rejected for `reason` matters. Every reason of the
/// catalog has an arm (a test holds it; the domain rules share the generic words); `None` is
/// for reasons `verifier` adds later (`Reason` is non-exhaustive).
fn why_reason_matters(reason: Reason) -> Option<&'static str> {
    use Reason::*;
    Some(match reason {
        OversizedToken => {
            "no size cap before parsing: an attacker chooses how much the verifier decodes and parses (denial of service)."
        }
        JwsJsonRejected => {
            "a JSON-serialized JWS was processed where only compact form is expected: polyglot tokens can show one payload to the verifier and another to the application."
        }
        JwePayload => {
            "a five-segment (JWE) token was not refused: encrypted tokens bring key-management attacks and decompression bombs to an access-token verifier."
        }
        NotJwsCompact => {
            "a token that is not three base64url segments was processed: parsers then disagree on where segments begin and end (many-dots denial of service, smuggled bytes)."
        }
        LaxBase64 => {
            "non-canonical base64 was accepted: one token has many encodings, which breaks token-level deduplication and signature-over-bytes assumptions."
        }
        HeaderUnparseable => {
            "an unparseable or non-object header was processed: the verifier reads a header other parsers would refuse."
        }
        DuplicateJsonKeys => {
            "duplicate member names were accepted: two parsers can read two different values (the first or the last), so what was checked is not what is used (RFC 7515 §5.2, RFC 8725 §3.x)."
        }
        AlgNone => {
            "an unsigned token was accepted: anyone can mint tokens (the classic alg=none attack, RFC 8725 §3.1)."
        }
        AlgHmacRejected => {
            "an HMAC algorithm was accepted against an ES256 key set: algorithm confusion lets an attacker sign with the public key as an HMAC secret (RFC 8725 §3.1)."
        }
        AlgRsaRejected | AlgEcdsaRejected | AlgNotAllowed => {
            "an algorithm outside the pinned ES256 was accepted: algorithm substitution widens what the verifier trusts (RFC 8725 §3.1)."
        }
        HeaderJku | HeaderX5u => {
            "a key URL from the token was honored or ignored without refusal: trusting token-supplied key locations lets the attacker pick the key."
        }
        HeaderJwk | HeaderX5c => {
            "a key embedded in the token was trusted or ignored without refusal: an attacker-supplied key verifies the attacker's signature."
        }
        HeaderCrit => {
            "a critical header the verifier does not understand was ignored: RFC 7515 §4.1.11 requires refusal, since the issuer said the token must not be used without it."
        }
        HeaderB64False => {
            "an unencoded-payload (RFC 7797) header was not refused: the signed bytes and the parsed payload can differ."
        }
        NestedJws => {
            "a nested token (cty) was not refused: the inner token's claims can be used without being verified against this profile."
        }
        HeaderExtraParam | TypMismatch => {
            "the token type or header was not checked: tokens minted for another purpose (ID tokens, other JWTs) are accepted as access tokens (RFC 9068 §4, RFC 8725 §3.11)."
        }
        KidUnknown => {
            "a token naming a key outside the pinned set was verified anyway: key selection does not follow the key set."
        }
        KeySourceUnavailable => {
            "the key set could not be obtained but tokens were still accepted: the verifier fails open."
        }
        SignatureInvalid => {
            "a token whose signature does not verify under the pinned key was accepted: forgeries pass (psychic signatures, malformed or DER-encoded signatures, r or s out of range)."
        }
        PayloadUnparseable => {
            "an unparseable payload was processed: claims are read from bytes other parsers refuse."
        }
        InvalidNumericType => {
            "a time claim that is not a JSON integer was accepted or coerced: parsers disagree on its value (strings, floats, exponents, overflow), so expiry can be dodged."
        }
        ExpMissing => {
            "a token without exp was accepted: it never expires (RFC 9068 §2.2 requires exp)."
        }
        Expired => "an expired token was accepted: stolen tokens stay usable.",
        ExpUpperBound => {
            "an implausibly long-lived token was accepted: a leaked long-lived token is as good as a password."
        }
        IatMissing | IatFuture => {
            "issuance time is missing or in the future: token age cannot be judged (RFC 9068 §2.2 requires iat)."
        }
        NotYetValid => "a token before its nbf was accepted.",
        IssMismatch => {
            "a token from another issuer was accepted: any issuer trusted for the same keys can mint tokens for this service (prefix or case-insensitive matches included)."
        }
        AudMissing | AudMismatch => {
            "a token for another audience was accepted: a token minted for one service is replayed against another (RFC 8725 §3.9)."
        }
        SubMissing | ClientIdMissing | JtiMissing => {
            "a claim RFC 9068 §2.2 requires was absent and the token was accepted anyway."
        }
        TokenTypeMismatch => "a token of another category was accepted.",
        JtiReplayed => {
            "a one-time token was accepted again: a captured token can be replayed although the verifier was configured to refuse it."
        }
        SessionRevoked | SessionVersionStale => {
            "a token of a revoked session (or of a session version logged out) was accepted: logout and revocation do not take effect."
        }
        ReplayCacheUnavailable | SessionLookupUnavailable | SessionVersionLookupUnavailable => {
            "the store a configured check needs was down and the token was accepted anyway: the verifier fails open."
        }
        SubFormatInvalid | AccountTypeInvalid | CapsShapeInvalid | ScopesShapeInvalid
        | ScopesTooLong | DlgDepthInvalid | AdminBandRejected | UnknownClaim => UNREFUSED,
        KidAmbiguous => {
            "a token without kid was verified by one of several keys the set holds for its algorithm: which key vouches for it is the library's guess (OIDC Core §10.1)."
        }
        KeyAlgMismatch => {
            "a key was used with an algorithm outside its family, or against its JWK alg member: the classic RS256-to-HS256 confusion signs with the public key as an HMAC secret (RFC 8725 §3.1)."
        }
        KeyTooWeak => {
            "a key too weak for its algorithm (an RSA modulus under 2048 bits, an HMAC secret shorter than the hash) verified the token: such keys can be broken or guessed (RFC 7518 §3.2, §3.3)."
        }
        AudUntrusted => {
            "an ID token naming an audience the client does not trust was accepted: a token minted for a party that shares the client's audience list is replayed against it (OIDC Core §3.1.3.7)."
        }
        ClaimMissing => {
            "a claim the profile requires was absent and the token was accepted anyway."
        }
        AzpMismatch => {
            "an ID token issued to another authorized party was accepted: a token obtained by one client is used at another (OIDC Core §3.1.3.7)."
        }
        NonceMismatch => {
            "an ID token without the configured nonce, or with another one, was accepted: a captured ID token can be replayed into a new login (OIDC Core §3.1.3.7)."
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The findings page says why each expected outcome matters: every catalog reason and code
    /// has an arm of its own, so a new one is written for, not left to the fallback.
    #[test]
    fn every_reason_and_code_says_why_it_matters() {
        for &reason in Reason::ALL {
            assert!(why_reason_matters(reason).is_some(), "{reason}");
        }
        for &code in ConfigCode::ALL {
            assert!(why_config_matters(code).is_some(), "{code}");
        }
        let expired = ExpectedSummary {
            verdict: Verdict::Reject,
            reason: Some(Reason::Expired.into()),
        };
        assert_eq!(
            why_it_matters(&expired),
            "an expired token was accepted: stolen tokens stay usable."
        );
    }
}
