//! The generated pages: disputes (from hand-made reports: the at-least-half rule and the
//! missing-rationale error), the impact classes and quoted clauses of the matrix and the
//! findings, and self-contained pages folders (`matrix --docs DIR`: every link resolves inside).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use common::{
    Scripted, accept, also, cites, config_error, reject, report_of, result_of, step, vector,
};
use conformance::adapter::Outcome;
use conformance::adapters::hardened::Hardened;
use conformance::adapters::reference::Reference;
use conformance::judge::TestResult;
use conformance::report::disputes::{self, Disputes};
use conformance::report::matrix::{Layout, site};
use conformance::report::{Report, matrix};
use conformance::runner::{self, Corpus, RunOptions};
use conformance::text::scrub;
use conformance::vector::{Acceptable, Severity, Vector};
use corpus::normative;
use verifier::{ConfigCode, Reason};

fn must_reject(id: &str, reason: Reason, basis: &[&str]) -> Vector {
    cites(
        vector(
            id,
            Severity::Must,
            &[],
            step(forge::baseline_token(), reject(reason)),
        ),
        basis,
    )
}

const TOKEN: &str = "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiIwMUhaWDNGNTdWUUdNQ0gwRThHMkJIWDNHUyJ9.c2lnbmF0dXJl";

/// The vectors, and what libraries a, b, c, d (and the reference and a hardened library, which
/// never count) answered on each: `accept`, `reject`, `config_error`, `skipped`, `adapter_error`.
fn scenario() -> (Vec<Vector>, Vec<(&'static str, [&'static str; 6])>) {
    let mut explained = must_reject("d/explained", Reason::TypMismatch, &["RFC9068-4-typ"]);
    explained.rationale =
        Some("RFC 9068 §4 binds the resource server to the typ check.".to_owned());
    let acceptable = cites(
        vector(
            "d/acceptable",
            Severity::Must,
            &[],
            also(
                step(
                    forge::baseline_token(),
                    config_error(ConfigCode::KeyPrivateMember),
                ),
                vec![Acceptable::Reject(None)],
            ),
        ),
        &["RFC7518-6.2.2-private"],
    );
    let profile = cites(
        vector(
            "d/profile",
            Severity::Profile,
            &[],
            step(forge::baseline_token(), reject(Reason::IatMissing)),
        ),
        &["M24"],
    );
    let half = cites(
        vector(
            "d/half",
            Severity::Must,
            &[],
            step(forge::baseline_token(), accept()),
        ),
        &["RFC9068-4-signature"],
    );
    let vectors = vec![
        must_reject(
            "d/unexplained",
            Reason::SignatureInvalid,
            &["RFC7515-5.2-signature", "CVE-2022-21449"],
        ),
        explained,
        half,
        must_reject("d/minority", Reason::Expired, &["RFC7519-4.1.4-exp"]),
        acceptable,
        profile,
        must_reject("d/skipped", Reason::AlgNone, &["RFC7518-3.6-none"]),
        must_reject("d/reference-only", Reason::AlgNone, &["RFC7518-3.6-none"]),
    ];
    //                        reference  a+hardened  a  b  c  d
    let answers = vec![
        (
            "d/unexplained",
            ["accept", "accept", "accept", "accept", "reject", "skipped"],
        ),
        (
            "d/explained",
            ["accept", "accept", "accept", "accept", "accept", "skipped"],
        ),
        (
            "d/half",
            ["reject", "reject", "reject", "reject", "accept", "accept"],
        ),
        (
            "d/minority",
            ["accept", "accept", "accept", "reject", "reject", "reject"],
        ),
        (
            "d/acceptable",
            [
                "accept",
                "accept",
                "reject",
                "reject",
                "reject",
                "config_error",
            ],
        ),
        (
            "d/profile",
            ["accept", "accept", "accept", "accept", "accept", "accept"],
        ),
        (
            "d/skipped",
            [
                "accept",
                "accept",
                "skipped",
                "adapter_error",
                "accept",
                "skipped",
            ],
        ),
        (
            "d/reference-only",
            ["accept", "accept", "reject", "reject", "reject", "reject"],
        ),
    ];
    (vectors, answers)
}

fn reports(vectors: &[Vector], answers: &[(&str, [&str; 6])]) -> Vec<Report> {
    let adapters = [
        ("reference", true),
        ("a+hardened", false),
        ("a", false),
        ("b", false),
        ("c", false),
        ("d", false),
    ];
    adapters
        .iter()
        .enumerate()
        .map(|(column, (name, exact))| {
            let results = answers
                .iter()
                .map(|(id, row)| {
                    let v = vectors.iter().find(|v| v.id == *id).unwrap();
                    let verdict = row[column];
                    let error = match (*name, *id) {
                        ("c", "d/unexplained") => Some(format!(
                            "InvalidSignature: token {TOKEN} is not valid\n{}",
                            "and a traceback line that goes on and on ".repeat(10)
                        )),
                        _ if verdict == "reject" => Some(format!("{name} rejected it")),
                        _ => None,
                    };
                    let step = &v.steps()[0];
                    let result = if verdict == "skipped" {
                        TestResult::Skip
                    } else if verdict == step.expected.verdict().name() {
                        TestResult::Pass
                    } else if step
                        .acceptable
                        .iter()
                        .any(|o| verdict == o.verdict().name())
                    {
                        TestResult::Acceptable
                    } else {
                        TestResult::Fail
                    };
                    result_of(v, verdict, error.as_deref(), result)
                })
                .collect();
            report_of(name, *exact, results)
        })
        .collect()
}

#[test]
fn at_least_half_of_the_libraries_that_ran_a_vector_make_a_dispute() {
    let (vectors, answers) = scenario();
    let corpus = Corpus::from_vectors(vectors.clone());
    let reports = reports(&vectors, &answers);
    let found = Disputes::of(&reports, &corpus);
    let names: Vec<&str> = found
        .adapters
        .iter()
        .map(|r| r.header.adapter.as_str())
        .collect();
    assert_eq!(
        names,
        ["a", "b", "c", "d"],
        "the reference and the seam never count"
    );
    let disputed: Vec<(&str, usize, usize, usize)> = found
        .disputed
        .iter()
        .map(|d| {
            (
                d.vector.id.as_str(),
                d.dissent(),
                d.opinions.len(),
                d.not_run,
            )
        })
        .collect();
    assert_eq!(
        disputed,
        [
            // 3 of 3; d skipped it.
            ("d/explained", 3, 3, 1),
            // 2 of 4: exactly half is enough.
            ("d/half", 2, 4, 0),
            ("d/profile", 4, 4, 0),
            ("d/unexplained", 2, 3, 1),
        ]
    );
    // 1 of 4 is not a dispute; nor is 1 of 1 (only c ran `d/skipped`: a skipped, b failed as
    // an adapter, d skipped), since one library alone is a finding about it; a verdict listed
    // as acceptable is agreement; what only the reference and the seam dispute is not a dispute.
    for id in [
        "d/minority",
        "d/skipped",
        "d/acceptable",
        "d/reference-only",
    ] {
        assert!(found.disputed.iter().all(|d| d.vector.id != id), "{id}");
    }
}

#[test]
fn a_disputed_must_vector_without_a_rationale_is_an_error() {
    let (mut vectors, answers) = scenario();
    let corpus = Corpus::from_vectors(vectors.clone());
    let reports = reports(&vectors, &answers);
    let found = Disputes::of(&reports, &corpus);
    // Profile vectors and explained ones need nothing.
    assert_eq!(found.missing_rationale(), ["d/half", "d/unexplained"]);
    let error = found.error().expect("an error");
    assert!(error.contains("d/half, d/unexplained"), "{error}");
    assert!(error.contains("rationale"), "{error}");
    assert!(!error.contains("d/explained"), "{error}");
    for v in vectors.iter_mut().filter(|v| v.severity == Severity::Must) {
        v.rationale
            .get_or_insert_with(|| "Because the RFC says so.".to_owned());
    }
    let corpus = Corpus::from_vectors(vectors.clone());
    let found = Disputes::of(&reports, &corpus);
    assert_eq!(found.disputed.len(), 4);
    assert_eq!(found.error(), None);
    // A blank rationale is none.
    vectors[0].rationale = Some("  ".to_owned());
    let id = vectors[0].id.clone();
    let corpus = Corpus::from_vectors(vectors);
    assert_eq!(
        Disputes::of(&reports, &corpus).missing_rationale(),
        [id.as_str()]
    );
}

#[test]
fn the_disputes_page_quotes_basis_rationale_and_scrubbed_library_words() {
    let (vectors, answers) = scenario();
    let corpus = Corpus::from_vectors(vectors.clone());
    let reports = reports(&vectors, &answers);
    let page = Disputes::of(&reports, &corpus).page(&corpus);
    assert!(page.starts_with("# Disputes\n"), "{page}");
    assert!(
        page.contains("Libraries: a 1.0, b 1.0, c 1.0, d 1.0."),
        "{page}"
    );
    for id in ["d/half", "d/explained", "d/profile", "d/unexplained"] {
        assert!(page.contains(&format!("\n## {id}\n")), "{id} in {page}");
    }
    assert!(!page.contains("## d/minority"), "{page}");
    assert!(!page.contains("## d/skipped"), "{page}");
    assert!(
        page.contains("Rationale: RFC 9068 §4 binds the resource server"),
        "{page}"
    );
    assert!(page.contains("Rationale: **missing**"), "{page}");
    let cve = normative::table().get("CVE-2022-21449").unwrap();
    assert!(
        page.contains(&format!(
            "> `CVE-2022-21449` — {} (attack): {}",
            cve.source, cve.text
        )),
        "{page}"
    );
    // The library's words: one line, at most ~200 characters, no token.
    let row = page
        .lines()
        .find(|l| l.starts_with("| c | 1.0 | reject | ✔ | InvalidSignature: token "))
        .unwrap_or_else(|| panic!("c's words on d/unexplained in {page}"));
    assert!(row.contains("‹token›"), "{row}");
    assert!(!row.contains("eyJ"), "{row}");
    assert!(row.contains("is not valid and a traceback line"), "{row}");
    let said = row
        .strip_prefix("| c | 1.0 | reject | ✔ | ")
        .and_then(|r| r.strip_suffix(" |"))
        .unwrap();
    assert_eq!(said.chars().count(), 201, "{said}");
    assert!(said.ends_with('…'), "{said}");
    // The same page is written by `matrix`, from the same reports.
    let files = matrix::render(&reports, &corpus);
    assert_eq!(files[disputes::PAGE], page);
}

fn accepts_everything() -> Scripted {
    Scripted::new(
        false,
        vec![Outcome::Accept {
            claims: forge::claims(),
        }],
    )
}

fn run(adapter: impl conformance::adapter::Adapter + 'static) -> Report {
    runner::run_quietly(Arc::new(adapter), &common::corpus(), &RunOptions::default())
}

#[test]
fn findings_lead_with_forgery_and_quote_the_binding_clauses() {
    let corpus = common::corpus();
    let reports = vec![
        run(Reference::new()),
        run(accepts_everything()),
        run(Hardened::new(accepts_everything())),
    ];
    let files = matrix::render(&reports, &corpus);
    let findings = &files["findings.md"];
    // The summary: must failures by class (forgery: alg/none, signature/zero, jwks/private-d;
    // policy-bypass: time/expired, state/replay).
    assert!(
        findings.contains("| must failures | forgery | policy-bypass | parser-laxity | fetch-abuse | denial-of-service | false-reject | late-failure | reason-mismatch | closed by the seam |"),
        "{findings}"
    );
    // The seam closes alg/none, time/expired and jwks/private-d, not the signature or replay.
    assert!(
        findings
            .contains("| [scripted](#scripted) | 0 | 6 | 5 | 3 | 2 | 0 | 0 | 0 | 0 | 0 | 0 | 3 |"),
        "{findings}"
    );
    let forgery = findings
        .find("### forgery: 3 vector(s)")
        .expect("forgery section");
    let bypass = findings
        .find("### policy-bypass: 2 vector(s)")
        .expect("policy-bypass section");
    assert!(forgery < bypass);
    // typ/jwt is profile: not a finding.
    assert!(!findings.contains("typ/jwt"), "{findings}");
    // The alg/none group quotes its binding clauses once, and not its profile M-ID.
    let alg = normative::table().get("RFC8725-3.1-alg").unwrap();
    let quote = format!(
        "> `RFC8725-3.1-alg` — {} (binding): {}",
        alg.source, alg.text
    );
    assert_eq!(findings.matches(&quote).count(), 1, "{findings}");
    assert!(findings.contains("> `RFC7518-3.6-none` — "), "{findings}");
    assert!(!findings.contains("> `M01`"), "{findings}");
    assert!(
        findings.contains("| `RFC7518-3.6-none`, `RFC8725-3.1-alg` |"),
        "{findings}"
    );
    // jwks/private-d cites no binding clause: no quote, basis `—`.
    assert!(!findings.contains("> `PROFILE-KEYSET`"), "{findings}");
    let matrix = &files["matrix.md"];
    assert!(
        matrix.contains("| must failures | forgery | policy-bypass | parser-laxity | fetch-abuse | denial-of-service | false-reject | late-failure | reason-mismatch | fetch |"),
        "{matrix}"
    );
    assert!(
        matrix.contains(
            "| 1 | 0 | 6 | 0 | 14.3% | - | 5 | 3 | 2 | 0 | 0 | 0 | 0 | 0 | 0 | 0 / 0 / 0 |"
        ),
        "{matrix}"
    );
    let page = &files["matrix/scripted.md"];
    assert!(
        page.contains("| [`alg/none`](../../vectors/alg/none.json) | must | forgery | reject (alg_none) | accept |"),
        "{page}"
    );
    assert!(
        page.contains("| profile | policy-bypass | reject (typ_mismatch) |"),
        "{page}"
    );
}

#[test]
fn matrix_cells_count_pass_acceptable_fail_skip() {
    let corpus = common::corpus();
    let rejecter = run(Scripted::new(false, vec![Outcome::reject("no")]));
    let files = matrix::render(&[rejecter], &corpus);
    let matrix = &files["matrix.md"];
    // jwks/private-d: a late rejection, acceptable.
    assert!(matrix.contains("| jwks | 1 | 0 / 1 / 0 / 0 |"), "{matrix}");
    assert!(
        matrix.contains("pass / acceptable / fail / skip"),
        "{matrix}"
    );
    let page = &files["matrix/scripted.md"];
    assert!(page.contains("## Acceptable"), "{page}");
    assert!(page.contains("| [`jwks/private-d`](../../vectors/jwks/private-d.json) | must | config_error (key_private_member) | reject |"), "{page}");
    assert!(files.contains_key(disputes::PAGE));
}

#[rstest::rstest]
#[case::jws("bad token eyJhbGciOiJub25lIn0.e30. here", "bad token ‹token› here")]
#[case::segment("sig 3q2-7_wXyZ09aBcDeFgHiJkLmN0 wrong", "sig ‹token› wrong")]
#[case::address("<object at 0x7f3a9c2b1d40>", "<object at 0x…>")]
#[case::short_hex("code 0x1f", "code 0x1f")]
#[case::snake(
    "session_version_lookup_unavailable",
    "session_version_lookup_unavailable"
)]
#[case::constant("ERR_JWKS_MULTIPLE_MATCHING_KEYS", "ERR_JWKS_MULTIPLE_MATCHING_KEYS")]
#[case::camel(
    "InvalidSignatureErrorException: no",
    "InvalidSignatureErrorException: no"
)]
#[case::path(
    "/adapters/pyjwt/.venv/lib/python3.12/site-packages",
    "/adapters/pyjwt/.venv/lib/python3.12/site-packages"
)]
fn error_text_is_scrubbed_of_tokens_and_addresses(#[case] text: &str, #[case] want: &str) {
    assert_eq!(scrub(text), want);
}

/// The relative link targets of the Markdown pages (`*.md`) under `dir`, each with the page
/// it is on: every `](target)` whose target has no scheme, anchors dropped.
fn relative_links(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut pages = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                pages.push(path);
            }
        }
    }
    let mut out = Vec::new();
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap();
        for (at, _) in text.match_indices("](") {
            let rest = &text[at + 2..];
            let target = &rest[..rest.find(')').unwrap_or(rest.len())];
            let target = target.split('#').next().unwrap();
            if !target.is_empty() && !target.contains("://") {
                out.push((page.clone(), target.to_owned()));
            }
        }
    }
    out
}

/// The links of the generated pages under `dir` (the copied documents' own links are not
/// followed) that do not lead to a file under `dir`.
fn leading_out(dir: &Path) -> Vec<String> {
    let root = dir.canonicalize().unwrap();
    let generated = |page: &Path| {
        let name = page.strip_prefix(dir).unwrap();
        name.starts_with("matrix")
            || ["matrix.md", "findings.md", "disputes.md"]
                .iter()
                .any(|p| name == Path::new(p))
    };
    relative_links(dir)
        .into_iter()
        .filter(|(page, _)| generated(page))
        .filter(|(page, target)| {
            !page
                .parent()
                .unwrap()
                .join(target)
                .canonicalize()
                .is_ok_and(|t| t.is_file() && t.starts_with(&root))
        })
        .map(|(page, target)| format!("{}: {target}", page.display()))
        .collect()
}

/// Reports over `corpus` for pages with every kind of link: the reference, and a library that
/// accepts everything (findings, vector links) under a shipped library's name (a repro
/// snippet) with a key-set client (the key-fetching section).
fn linked_reports(corpus: &Corpus) -> Vec<Report> {
    let mut library = runner::run_quietly(
        Arc::new(accepts_everything()),
        corpus,
        &RunOptions::default(),
    );
    library.header.adapter = "pyjwt".to_owned();
    vec![
        runner::run_quietly(Arc::new(Reference::new()), corpus, &RunOptions::default()),
        library,
    ]
}

#[test]
fn self_contained_pages_link_only_to_files_in_their_folder() {
    let vectors = common::vectors();
    let corpus_dir = common::corpus_dir_of("site-corpus", &vectors);
    let corpus = Corpus::load(&corpus_dir).unwrap();
    let reports = linked_reports(&corpus);
    let mut files = matrix::render_in(&reports, &corpus, Layout::SelfContained);
    site::bundle(&mut files, &[], site::vector_files(&corpus)).unwrap();
    let dir = common::temp_dir("site");
    matrix::write(&dir, &files).unwrap();

    let links = relative_links(&dir);
    for kind in ["vectors/", "normative.md", "adapters.md", "matrix/pyjwt.md"] {
        assert!(
            links.iter().any(|(_, t)| t.contains(kind)),
            "the pages link to {kind}: {links:?}"
        );
    }
    assert_eq!(leading_out(&dir), Vec::<String>::new());
    // The copies are the corpus's own files and the project's documents.
    assert_eq!(
        std::fs::read(dir.join("vectors/alg/none.json")).unwrap(),
        std::fs::read(corpus_dir.join("alg/none.json")).unwrap()
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("normative.md")).unwrap(),
        normative::NORMATIVE_MD
    );
    // The repro snippet is named, not linked: the binary does not carry it.
    assert!(
        files["findings.md"].contains("`adapters/pyjwt/repro.py` in the jwt-conformance source"),
        "{}",
        files["findings.md"]
    );
    assert!(matrix::check(&dir, &files).is_empty());

    // The project's layout, written to the same kind of folder, leads out of it: the check
    // above can fail.
    let project = common::temp_dir("site-project");
    matrix::write(&project, &matrix::render(&reports, &corpus)).unwrap();
    let out = leading_out(&project);
    assert!(
        out.iter().any(|l| l.ends_with("../vectors/alg/none.json")),
        "{out:?}"
    );
    assert!(out.iter().any(|l| l.ends_with("normative.md")), "{out:?}");
}

#[test]
fn a_vector_no_longer_linked_is_removed_from_the_folder() {
    let vectors = common::vectors();
    let corpus = Corpus::load(&common::corpus_dir_of("site-stale", &vectors)).unwrap();
    let reports = linked_reports(&corpus);
    let mut files = matrix::render_in(&reports, &corpus, Layout::SelfContained);
    site::bundle(&mut files, &[], site::vector_files(&corpus)).unwrap();
    let dir = common::temp_dir("site-stale-pages");
    matrix::write(&dir, &files).unwrap();
    let gone = "vectors/alg/none.json";
    assert!(dir.join(gone).is_file());
    files.remove(gone);
    assert_eq!(matrix::check(&dir, &files), [gone]);
    matrix::write(&dir, &files).unwrap();
    assert!(!dir.join(gone).exists());
    assert!(matrix::check(&dir, &files).is_empty());
}

#[test]
fn bundling_refuses_pages_that_link_to_files_it_has_no_copy_of() {
    let corpus = Corpus::load(&common::corpus_dir("site-missing")).unwrap();
    // The project's layout climbs out of the folder: nothing to copy there.
    let mut files = matrix::render(&linked_reports(&corpus), &corpus);
    let error = site::bundle(&mut files, &[], site::vector_files(&corpus)).unwrap_err();
    assert!(error.contains("../vectors/alg/none.json"), "{error}");
    assert!(error.contains("../adapters/pyjwt/repro.py"), "{error}");
}

fn conformance(cwd: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

#[test]
fn matrix_outside_a_checkout_needs_docs_and_writes_self_contained_pages() {
    let corpus = common::corpus_dir("site-cli-corpus");
    let cwd = common::temp_dir("site-cli");
    let vectors = corpus.to_str().unwrap();
    // No --docs outside a checkout: exit 2 before any run, and nothing written anywhere.
    let out = conformance(
        &cwd,
        &["matrix", "--vectors", vectors, "--adapters", "reference"],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--docs DIR"),
        "{out:?}"
    );
    assert_eq!(std::fs::read_dir(&cwd).unwrap().count(), 0);
    let out = conformance(
        &cwd,
        &["disputes", "--vectors", vectors, "--adapters", "jose"],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    // With --docs: the pages and every file they link to.
    let args = [
        "matrix",
        "--vectors",
        vectors,
        "--adapters",
        "reference",
        "--docs",
        "site",
    ];
    let out = conformance(&cwd, &[&args[..], &["--no-progress"]].concat());
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let site = cwd.join("site");
    assert!(site.join("matrix/reference.md").is_file());
    // The reference fails nothing, so no vector file is linked; the documents are.
    for document in ["normative.md", "adapters.md", "vectors/README.md"] {
        assert!(site.join(document).is_file(), "{document}");
    }
    assert_eq!(std::fs::read_dir(site.join("vectors")).unwrap().count(), 1);
    assert_eq!(leading_out(&site), Vec::<String>::new());
    let out = conformance(&cwd, &[&args[..], &["--no-progress", "--check"]].concat());
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

/// Pages written into the corpus folder carry copies of its vector files: the next load names
/// the copy instead of running a vector twice.
#[test]
fn a_copy_of_a_vector_inside_the_corpus_is_refused_at_load() {
    let vectors = common::vectors();
    let corpus_dir = common::corpus_dir_of("site-inside", &vectors);
    let corpus = Corpus::load(&corpus_dir).unwrap();
    let mut files = matrix::render_in(&linked_reports(&corpus), &corpus, Layout::SelfContained);
    site::bundle(&mut files, &[], site::vector_files(&corpus)).unwrap();
    matrix::write(&corpus_dir.join("site"), &files).unwrap();
    let error = Corpus::load(&corpus_dir).unwrap_err().to_string();
    assert!(
        error.contains("site/vectors/") && error.contains("is already taken"),
        "{error}"
    );
}
