//! Disputed vectors (`docs/disputes.md`): where independent libraries, run alone, mostly
//! disagree with the expected verdict.
//!
//! The *independent* adapters are the third-party libraries alone: not `reference`, not any
//! `NAME+hardened` (the seam runs the reference rules), not an adapter that declares `exact`,
//! not a library's entry-point adapter (`authlib-rfc9068`: its library counts once).
//! An adapter *ran* a vector when it neither skipped it nor failed as an adapter (panic, crash,
//! timeout: no verdict to count). It *disagrees* when some step's verdict is neither the expected
//! one nor the verdict of an outcome the step lists as acceptable (verdicts only: reasons and
//! claims do not make a dispute). A vector is *disputed* when at least half of the adapters that
//! ran it disagree, and at least [`MIN_DISSENT`] of them: one library alone is a finding about
//! that library, not a dispute about the vector (a third party's matrix of one library would
//! otherwise dispute every vector it fails).
//!
//! A disputed verdict needs a reason to stand: every disputed `must` vector carries a one-sentence
//! `rationale`, and [`Disputes::error`] names those that do not (`conformance disputes` and
//! `conformance matrix` then exit non-zero).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::adapters::HARDENED_SUFFIX;
use crate::judge::TestResult;
use crate::outcome::OutcomeKind;
use crate::reference::describe;
use crate::report::markdown::cell;
use crate::report::page::{Layout, header_lines, quote_clauses, vector_link};
use crate::report::{Report, VectorResult};
use crate::set::Corpus;
use crate::text::{scrub, severity_name};
use crate::vector::{Severity, Step, Vector};

/// The fewest independent libraries that must disagree with a vector for it to be disputed.
pub const MIN_DISSENT: usize = 2;

/// The page, relative to the docs directory.
pub const PAGE: &str = "disputes.md";

/// The command that regenerates the page on its own (`matrix` writes it too).
pub const COMMAND: &str = "cargo run --release -p conformance -- disputes";

/// Longest error text quoted per library, in characters.
const ERROR_CHARS: usize = 200;

/// Whether a report is of an independent third-party library run alone: not one of a library's
/// entry-point adapters either (its generic adapter already counts that library once).
pub fn independent(report: &Report) -> bool {
    let name = &report.header.adapter;
    let entry_point = crate::adapters::library(name).is_some_and(|l| l.entry_point_of.is_some());
    name != "reference"
        && !name.ends_with(HARDENED_SUFFIX)
        && !report.header.capabilities.exact
        && !entry_point
}

/// Whether the adapter's verdicts on `vector` conform: `Some(true)` when every step's verdict
/// is the expected one or that of an acceptable outcome, `Some(false)` when one is neither, and
/// `None` when the adapter did not run the vector (skipped, an adapter error, or a timeout:
/// `denial-of-service`, with no verdict to count).
pub fn verdict_conforms(vector: &Vector, result: &VectorResult) -> Option<bool> {
    let timed_out = result.impact == Some(crate::impact::Impact::DenialOfService);
    if result.result == TestResult::Skip || result.adapter_error || timed_out {
        return None;
    }
    let steps = vector.steps();
    let ok = |step: Option<&Step>, kind: &OutcomeKind| {
        let verdict = kind.verdict();
        step.is_some_and(|s| {
            verdict == Some(s.expected.verdict())
                || s.acceptable.iter().any(|o| verdict == Some(o.verdict()))
        })
    };
    if result.steps.is_empty() {
        let actual = result.actual.as_ref()?;
        Some(ok(steps.first(), &actual.verdict))
    } else {
        Some(
            result
                .steps
                .iter()
                .all(|s| ok(steps.get(s.step), &s.actual.verdict)),
        )
    }
}

/// One library's answer on a disputed vector.
#[derive(Clone, Debug)]
pub struct Opinion<'a> {
    pub report: &'a Report,
    pub result: &'a VectorResult,
    /// Whether its verdicts conform (exactly or acceptably).
    pub conforms: bool,
}

/// A vector at least half of the independent libraries that ran it disagree with.
#[derive(Clone, Debug)]
pub struct Dispute<'a> {
    pub vector: &'a Vector,
    /// Every independent adapter that ran the vector, in report order.
    pub opinions: Vec<Opinion<'a>>,
    /// Independent adapters that did not run it (skipped, or an adapter error).
    pub not_run: usize,
}

impl Dispute<'_> {
    /// Adapters that ran the vector and disagree.
    pub fn dissent(&self) -> usize {
        self.opinions.iter().filter(|o| !o.conforms).count()
    }

    /// A `must` vector without a `rationale`.
    pub fn lacks_rationale(&self) -> bool {
        self.vector.severity == Severity::Must
            && self
                .vector
                .rationale
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
    }
}

/// The disputed vectors of one run.
#[derive(Clone, Debug)]
pub struct Disputes<'a> {
    /// The independent adapters considered.
    pub adapters: Vec<&'a Report>,
    /// Disputed vectors, by ID.
    pub disputed: Vec<Dispute<'a>>,
}

impl<'a> Disputes<'a> {
    /// Finds the disputed vectors of `corpus` among the independent adapters of `reports`.
    pub fn of(reports: &'a [Report], corpus: &'a Corpus) -> Disputes<'a> {
        let adapters: Vec<&Report> = reports.iter().filter(|r| independent(r)).collect();
        let indexed: Vec<BTreeMap<&str, &VectorResult>> = adapters
            .iter()
            .map(|r| r.results.iter().map(|v| (v.id.as_str(), v)).collect())
            .collect();
        let mut disputed = Vec::new();
        for vector in &corpus.vectors {
            let mut opinions = Vec::new();
            let mut not_run = 0;
            for (report, results) in adapters.iter().zip(&indexed) {
                let conforms = results
                    .get(vector.id.as_str())
                    .and_then(|result| Some((*result, verdict_conforms(vector, result)?)));
                match conforms {
                    Some((result, conforms)) => opinions.push(Opinion {
                        report,
                        result,
                        conforms,
                    }),
                    None => not_run += 1,
                }
            }
            let dispute = Dispute {
                vector,
                opinions,
                not_run,
            };
            let dissent = dispute.dissent();
            if dissent >= MIN_DISSENT && 2 * dissent >= dispute.opinions.len() {
                disputed.push(dispute);
            }
        }
        Disputes { adapters, disputed }
    }

    /// IDs of the disputed `must` vectors without a `rationale`.
    pub fn missing_rationale(&self) -> Vec<&'a str> {
        self.disputed
            .iter()
            .filter(|d| d.lacks_rationale())
            .map(|d| d.vector.id.as_str())
            .collect()
    }

    /// The error to print when a disputed `must` vector lacks a rationale.
    pub fn error(&self) -> Option<String> {
        let missing = self.missing_rationale();
        (!missing.is_empty()).then(|| {
            format!(
                "{} disputed must vector(s) without a rationale (at least half of the \
                 independent libraries that ran each, and at least two, disagree with its verdict; give each a \
                 one-sentence `rationale`, or revisit the verdict): {}",
                missing.len(),
                missing.join(", ")
            )
        })
    }

    /// The Markdown page of the project's `docs/`.
    pub fn page(&self, corpus: &Corpus) -> String {
        self.page_in(corpus, Layout::Project)
    }

    /// The Markdown page, with links for `layout`.
    pub fn page_in(&self, corpus: &Corpus, layout: Layout) -> String {
        let mut out = String::from("# Disputes\n\n");
        header_lines(&mut out, corpus);
        out.push_str(
            "Vectors where at least half of the independent libraries that ran them, and at \
             least two, disagree with the expected verdict: each third-party library alone (not the reference, not \
             `+hardened`), in the run that produced [matrix.md](matrix.md); a library that \
             skipped a vector or failed as an adapter did not run it. A library disagrees when \
             its verdict (accept / reject / config error) is neither the expected one nor one the \
             vector lists as acceptable; reasons and claims do not count. A disputed verdict \
             stands only with a reason: every disputed `must` vector carries a one-sentence \
             *rationale*, and the generator of this page fails when one is missing. Each vector \
             quotes its basis from [normative.md](normative.md).\n\n",
        );
        let libraries: Vec<String> = self
            .adapters
            .iter()
            .map(|r| format!("{} {}", r.header.adapter, r.header.library_version))
            .collect();
        let _ = writeln!(
            out,
            "Libraries: {}.\n",
            if libraries.is_empty() {
                "none".to_owned()
            } else {
                libraries.join(", ")
            }
        );
        if self.disputed.is_empty() {
            out.push_str("No vector is disputed.\n");
            return out;
        }
        out.push_str(
            "| vector | severity | expected | disagree | rationale |\n|---|---|---|---:|---|\n",
        );
        for d in &self.disputed {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} of {} | {} |",
                vector_link(&d.vector.id, layout, 1),
                severity_name(d.vector.severity),
                expected_label(d.vector),
                d.dissent(),
                d.opinions.len(),
                if d.lacks_rationale() {
                    "**missing**"
                } else if d.vector.rationale.is_some() {
                    "yes"
                } else {
                    "—"
                }
            );
        }
        for d in &self.disputed {
            dispute_section(&mut out, d);
        }
        out
    }
}

/// `reject (alg_none)`, with the acceptable outcomes: `config_error (x); also reject`.
fn expected_label(vector: &Vector) -> String {
    let labels: Vec<String> = vector
        .steps()
        .iter()
        .map(|s| {
            let want = describe(&s.expected);
            let also: Vec<String> = s.acceptable.iter().map(|o| o.label()).collect();
            if also.is_empty() {
                want
            } else {
                format!("{want}; also {}", also.join(", "))
            }
        })
        .collect();
    labels.join(" → ")
}

fn dispute_section(out: &mut String, d: &Dispute<'_>) {
    let v = d.vector;
    let _ = writeln!(out, "\n## {}\n", v.id);
    let _ = writeln!(out, "{}\n", cell(&v.description));
    let _ = writeln!(
        out,
        "Severity **{}**; expected **{}**; {} of {} libraries that ran it disagree{}.\n",
        severity_name(v.severity),
        expected_label(v),
        d.dissent(),
        d.opinions.len(),
        if d.not_run > 0 {
            format!(" ({} did not run it)", d.not_run)
        } else {
            String::new()
        }
    );
    match v.rationale.as_deref().filter(|r| !r.trim().is_empty()) {
        Some(r) => {
            let _ = writeln!(out, "Rationale: {}\n", cell(r));
        }
        None if v.severity == Severity::Must => {
            out.push_str("Rationale: **missing** (required for a disputed `must` vector).\n\n");
        }
        None => {}
    }
    out.push_str("Basis:\n\n");
    quote_clauses(out, v.basis.iter().map(String::as_str), false);
    out.push_str(
        "| library | version | verdict | conforms | library said |\n|---|---|---|---|---|\n",
    );
    for o in &d.opinions {
        let actual = o.result.actual.as_ref();
        let said = actual
            .and_then(|a| a.error.as_deref())
            .map(|e| cell(&flat(&scrub(e), ERROR_CHARS)))
            .unwrap_or_else(|| "—".to_owned());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {said} |",
            o.report.header.adapter,
            o.report.header.library_version,
            actual.map(|a| a.label()).unwrap_or_default(),
            if o.conforms { "✔" } else { "✘" },
        );
    }
}

/// `text` on one line (whitespace runs become one space), at most `max` characters.
fn flat(text: &str, max: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let line = words.join(" ");
    if line.chars().count() > max {
        let mut cut: String = line.chars().take(max).collect();
        cut.push('…');
        cut
    } else {
        line
    }
}
