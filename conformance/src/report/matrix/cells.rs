//! Table cells and lines the matrix pages share: tallies, impact columns, features, what a
//! library did on a vector, where its gravest finding is reproduced.

use crate::impact::Impact;
use crate::judge::{Summary, Tally};
use crate::outcome::OutcomeKind;
use crate::report::markdown::cell;
use crate::report::page::Layout;
use crate::report::{Report, VectorResult};
use crate::text::{feature_name, one_line, scrub};
use crate::vector::{Severity, Verdict};

/// `pass / acceptable / fail / skip`, the failure count linked when there is a page for it.
pub(super) fn counts(t: &Tally, link: Option<String>) -> String {
    let fail = match (t.fail, link) {
        (0, _) | (_, None) => t.fail.to_string(),
        (n, Some(link)) => format!("[**{n}**]({link})"),
    };
    format!("{} / {} / {fail} / {}", t.pass, t.acceptable, t.skip)
}

/// `| forgery | policy-bypass | … |` header cells for the impact classes, and their alignment.
pub(super) fn impact_header() -> (String, String) {
    let names: Vec<&str> = Impact::CLASSES.iter().map(|i| i.name()).collect();
    (names.join(" | "), "---:|".repeat(names.len()))
}

/// The `must` failures of each impact class, as table cells.
pub(super) fn impact_cells(summary: &Summary) -> String {
    Impact::CLASSES
        .iter()
        .map(|i| summary.impact(*i, Severity::Must).to_string())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The `must` failures of a summary.
pub(super) fn must_failures(summary: &Summary) -> usize {
    summary
        .by_severity
        .get(&Severity::Must)
        .map_or(0, |t| t.fail)
}

/// The features the adapter declares, `—` when none.
pub(super) fn features_of(report: &Report) -> String {
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

/// Where a shipped library's gravest finding is reproduced without the suite, as a link from a
/// page `depth` folders below the project root (named in the project's source when the pages
/// are self-contained: the binary does not carry the snippets).
pub(super) fn repro_line(adapter: &str, layout: Layout, depth: usize) -> Option<String> {
    let library = crate::adapters::library(adapter)?;
    let link = |path: &str| match layout {
        Layout::Project => format!("[`{path}`]({}{path})", layout.up(depth)),
        Layout::SelfContained => format!("`{path}` in the jwt-conformance source"),
    };
    let Some(repro) = library.repro else {
        return Some("No `must` finding to reproduce.".to_owned());
    };
    let mut line = format!(
        "Reproduced without the suite: {}, a standalone {} snippet, shows its gravest `must` \
         finding on the token of `{}`.",
        link(repro.path),
        library.language,
        repro.vector,
    );
    if !library.more_repros.is_empty() {
        let more: Vec<String> = library
            .more_repros
            .iter()
            .map(|r| format!("{} (`{}`)", link(r.path), r.vector))
            .collect();
        line.push_str(&format!(
            " Its other `forgery` findings, one snippet per cause: {}.",
            more.join(", ")
        ));
    }
    Some(line)
}

/// What an observed outcome was, in words.
pub(super) fn did(r: &VectorResult) -> String {
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
