//! The published matrix (`docs/matrix.md`, one page per adapter under `docs/matrix/`, the
//! heatmap `docs/matrix/heatmap.svg`), the findings (`docs/findings.md`) and the disputes
//! (`docs/disputes.md`, [`super::disputes`]), rendered from reports of one run over the corpus.
//!
//! Cells count **pass / acceptable / fail / skip**: *pass* is an exact result, *acceptable* one
//! the vector lists as also conforming. Failures carry an [`Impact`](crate::impact::Impact)
//! class: the adapters table counts `must` failures per class, overall and per algorithm group
//! and preset ([`groups`]); the adapter pages show the class of every failing vector and where
//! the library's verdict on one defect differs between algorithms; the findings page orders each
//! library's `must` failures by class (forgery first), then by algorithm, quoting the binding or
//! attack clauses of `docs/normative.md` each group rests on ([`why`] says why each matters).
//!
//! One module per page: [`overview`] (`matrix.md`), [`library`] (an adapter's page),
//! [`findings`], [`heatmap`] (the SVG `matrix.md` opens with); `cells` holds what they share,
//! and [`crate::report::page`] what they share with the disputes page.
//!
//! Everything here is a pure function of the reports and the corpus: no timestamps, durations
//! or host names, so regeneration is byte-identical and CI can check freshness.
//!
//! The pages link to vector files and to other documents. In the project's `docs/`
//! ([`Layout::Project`]) those links lead into the checkout; anywhere else
//! ([`Layout::SelfContained`], `matrix --docs DIR`) [`site::bundle`] copies every file they link
//! to into the folder, from what the binary carries, so the folder can be published alone.

mod cells;
pub mod findings;
pub mod groups;
pub mod heatmap;
pub mod library;
pub mod overview;
pub mod site;
pub mod why;

use std::collections::BTreeMap;
use std::path::Path;

use crate::report::Report;
use crate::report::disputes::{self, Disputes};
use crate::set::Corpus;

pub use crate::report::page::{COMMAND, Layout, page_name};
pub use why::why_it_matters;

/// The overview page, which every other page links back to.
pub const PAGE: &str = "matrix.md";

/// The generated files of the project's `docs/`, by path relative to it.
pub fn render(reports: &[Report], corpus: &Corpus) -> BTreeMap<String, String> {
    render_in(reports, corpus, Layout::Project)
}

/// The generated files, by path relative to the pages' folder, with links for `layout`.
pub fn render_in(reports: &[Report], corpus: &Corpus, layout: Layout) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    files.insert(PAGE.to_owned(), overview::page(reports, corpus));
    files.insert(heatmap::PATH.to_owned(), heatmap::svg(reports, corpus));
    let defects = groups::defects(corpus);
    for report in reports {
        files.insert(
            format!("matrix/{}.md", page_name(&report.header.adapter)),
            library::page(report, corpus, &defects, layout),
        );
    }
    files.insert(
        "findings.md".to_owned(),
        findings::page(reports, corpus, layout),
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

/// Files under the folders the generator owns that it no longer generates: `matrix/*.md` and
/// `matrix/*.svg`,
/// and `vectors/**/*.json` when it copies vectors (a self-contained folder).
fn stale_pages(docs: &Path, files: &BTreeMap<String, String>) -> Vec<String> {
    let mut extra = Vec::new();
    owned_files(docs, "matrix", "md", false, &mut extra);
    owned_files(docs, "matrix", "svg", false, &mut extra);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impact::Impact;
    use crate::judge::{Summary, TestResult};
    use crate::outcome::OutcomeKind;
    use crate::report::Observed;
    use crate::runner;
    use crate::vector::Verdict;

    const IDS: [&str; 6] = [
        "across/eddsa-form-leading-space",
        "across/rs256-form-leading-space",
        "claims/exp-missing",
        "form/leading-space",
        "presets/jwt-bad-sig-es256",
        "presets/jwt-bad-sig-rs256",
    ];

    fn corpus() -> Corpus {
        let corpus = crate::embedded::corpus().expect("the embedded corpus");
        let vectors = corpus
            .vectors
            .iter()
            .filter(|v| IDS.contains(&v.id.as_str()))
            .cloned()
            .collect::<Vec<_>>();
        assert_eq!(vectors.len(), IDS.len());
        Corpus { vectors, ..corpus }
    }

    /// A library that ran every vector, accepted those of `fails` (with `impact`) and gave the
    /// expected verdict on the others.
    fn library(corpus: &Corpus, name: &str, fails: &[(&str, Impact)]) -> Report {
        let mut report = runner::unavailable(name, "synthetic", corpus);
        report.header.library = "synthetic".to_owned();
        report.header.library_version = "1.0".to_owned();
        for r in &mut report.results {
            let failed = fails.iter().find(|(id, _)| *id == r.id).map(|(_, i)| *i);
            let expected = match r.expected.verdict {
                Verdict::Accept => OutcomeKind::Accept,
                Verdict::Reject => OutcomeKind::Reject,
                Verdict::ConfigError => OutcomeKind::ConfigError,
            };
            r.skip_cause = None;
            r.detail = String::new();
            r.result = if failed.is_some() {
                TestResult::Fail
            } else {
                TestResult::Pass
            };
            r.impact = failed;
            r.actual = Some(Observed {
                verdict: if failed.is_some() {
                    OutcomeKind::Accept
                } else {
                    expected
                },
                reason: None,
                error: None,
            });
        }
        report.summary = Summary::of(&report.results);
        report
    }

    fn pages() -> BTreeMap<String, String> {
        let corpus = corpus();
        let reports = vec![
            library(&corpus, "clean", &[]),
            library(
                &corpus,
                "lib",
                &[
                    ("across/rs256-form-leading-space", Impact::ParserLaxity),
                    ("presets/jwt-bad-sig-rs256", Impact::Forgery),
                    ("claims/exp-missing", Impact::PolicyBypass),
                ],
            ),
        ];
        let files = render(&reports, &corpus);
        assert_eq!(
            files,
            render(&reports, &corpus),
            "the pages are deterministic"
        );
        files
    }

    #[test]
    fn the_matrix_counts_each_vector_under_its_algorithm_groups_and_preset() {
        let files = pages();
        let matrix = &files[PAGE];
        assert!(
            matrix.starts_with("# Conformance matrix\n")
                && matrix.contains("[![Heatmap: ")
                && matrix.contains("](matrix/heatmap.svg)"),
            "{matrix}"
        );
        // RS: the two RS256 vectors, both failed; one must (a forgery).
        assert!(matrix.contains("### RS (2 vectors)"), "{matrix}");
        assert!(
            matrix.contains(
                "| [lib](matrix/lib.md) | 0 | 0 | [**2**](matrix/lib.md#algorithm-rs) | 0 | 1 | 1 | 0 | 0 |"
            ),
            "{matrix}"
        );
        // ES256: form/leading-space, claims/exp-missing and the ES256 bad signature.
        assert!(matrix.contains("### ES256 (3 vectors)"), "{matrix}");
        assert!(matrix.contains("### jwt (2 vectors)"), "{matrix}");
        assert!(matrix.contains("### rfc9068 (4 vectors)"), "{matrix}");
        assert!(
            matrix.contains("| [clean](matrix/clean.md) | 2 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"),
            "{matrix}"
        );
    }

    #[test]
    fn a_library_page_shows_where_its_verdict_depends_on_the_algorithm() {
        let files = pages();
        let page = &files["matrix/lib.md"];
        let across = &page[page.find("## Across algorithms").expect("the section")..];
        let row = across
            .lines()
            .find(|l| l.starts_with("| `form/leading-space` |"))
            .unwrap_or_else(|| panic!("{across}"));
        let cells: Vec<&str> = row.split(" | ").collect();
        // defect, what it checks, then ES256 … HS.
        assert_eq!(cells.len(), 2 + groups::AlgGroup::ALL.len(), "{row}");
        assert!(
            cells[2].starts_with("[✔ reject](../../vectors/form/leading-space.json)"),
            "{row}"
        );
        assert!(
            cells[5].starts_with("[✘ accept](../../vectors/across/rs256-"),
            "{row}"
        );
        assert!(cells[7].starts_with("[✔ reject]"), "{row}");
        assert!(across.contains("| `presets/jwt-bad-sig-*` |"), "{across}");
        // The clean library's verdict never depends on the algorithm.
        assert!(files["matrix/clean.md"].contains("No such defect"));
        // Failures under each group and preset, the heatmap's anchors.
        for heading in [
            "### algorithm: RS",
            "### algorithm: ES256",
            "### preset: jwt",
        ] {
            assert!(
                page.contains(&format!("\n{heading}\n")),
                "{heading}: {page}"
            );
        }
        assert!(!page.contains("### algorithm: EdDSA"), "{page}");
        assert!(
            page.contains("| [algorithm: RS](#algorithm-rs) | 0 | 0 | 2 | 0 |"),
            "{page}"
        );
    }

    #[test]
    fn findings_group_by_impact_then_algorithm() {
        let files = pages();
        let findings = &files["findings.md"];
        let lib = &findings[findings.find("\n## lib\n").expect("lib's section")..];
        let order: Vec<&str> = lib
            .lines()
            .filter(|l| l.starts_with("###"))
            .map(|l| l.split(':').next().unwrap_or_default())
            .collect();
        assert_eq!(
            order,
            [
                "### forgery",
                "#### RS",
                "##### expected reject (signature_invalid)",
                "### policy-bypass",
                "#### ES256",
                "##### expected reject (exp_missing)",
            ],
            "{lib}"
        );
        assert!(!findings.contains("\n## clean\n") || findings.contains("No `must` failure"));
    }

    #[test]
    fn the_heatmap_is_an_svg_whose_cells_link_to_the_failures() {
        let files = pages();
        let svg = &files[heatmap::PATH];
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{svg}"
        );
        assert!(svg.ends_with("</svg>\n"));
        assert_eq!(svg.matches("<a ").count(), svg.matches("</a>").count());
        // Rows: 2 adapters; columns: 4 categories, 7 groups, 3 presets: a link per cell and one
        // per row label.
        assert_eq!(svg.matches("<a ").count(), 2 * (4 + 7 + 3) + 2, "{svg}");
        for anchor in [
            "algorithm-rs",
            "preset-jwt",
            "category-claims",
            "category-across",
        ] {
            assert!(
                svg.contains(&format!("href=\"lib.md#{anchor}\"")),
                "{anchor}"
            );
        }
        // A cell without failures links to the page; the forgery colours the RS cell.
        assert!(!svg.contains("clean.md#"), "{svg}");
        assert!(
            svg.contains("<title>lib, algorithm: RS: 2 run, 2 failed (gravest must: forgery; profile: parser-laxity)</title>"),
            "{svg}"
        );
        for name in Impact::CLASSES.iter().map(|i| i.name()) {
            assert!(svg.contains(&format!(">{name}</text>")), "legend: {name}");
        }
    }
}
