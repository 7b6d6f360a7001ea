//! The `conformance` binary: default run, formats, exit codes, adapter listing.

mod common;

use std::process::Command;

use rstest::rstest;
use serde_json::Value;

fn conformance(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(args)
        .output()
        .expect("the conformance binary runs")
}

#[test]
fn run_reference_writes_json_and_exits_zero() {
    let dir = common::corpus_dir("cli-json");
    let out = conformance(&[
        "run",
        "--vectors",
        dir.to_str().unwrap(),
        "--format",
        "json",
        "--no-progress",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["header"]["adapter"], "reference");
    assert_eq!(json["summary"]["total"]["pass"], 7);
    assert_eq!(json["summary"]["total"]["acceptable"], 0);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_weaker_library_fails_the_run_unless_exit_zero() {
    let dir = common::corpus_dir("cli-junit");
    let report = dir.join("report.xml");
    let vectors = dir.to_str().unwrap();
    let failing = conformance(&[
        "run",
        "--adapter",
        "jwt-compact",
        "--vectors",
        vectors,
        "--no-progress",
    ]);
    assert_eq!(failing.status.code(), Some(1));
    let out = conformance(&[
        "run",
        "--adapter",
        "jwt-compact",
        "--vectors",
        vectors,
        "--format",
        "junit",
        "--output",
        report.to_str().unwrap(),
        "--exit-zero",
        "--no-progress",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let xml = std::fs::read_to_string(&report).unwrap();
    assert!(xml.contains("<testsuites"), "{xml}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("jwt-compact: 7 vectors"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn filters_and_unknown_adapters() {
    let dir = common::corpus_dir("cli-filter");
    let vectors = dir.to_str().unwrap();
    let out = conformance(&[
        "run",
        "--vectors",
        vectors,
        "--filter",
        "alg/*",
        "--format",
        "json",
        "--no-progress",
    ]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["total"]["vectors"], 1);
    let bogus = conformance(&["run", "--adapter", "bogus", "--vectors", vectors]);
    assert_eq!(bogus.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bogus.stderr).contains("unknown adapter"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn list_adapters_names_every_shipped_adapter() {
    let out = conformance(&["list-adapters", "--format", "json"]);
    assert!(out.status.success());
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    for name in [
        "reference",
        "jsonwebtoken",
        "jwt-simple",
        "jwt-compact",
        "josekit",
        "pyjwt",
        "jose",
        "pyjwt+hardened",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    assert_eq!(rows[0]["info"]["capabilities"]["exact"], true);
}

#[test]
fn the_reference_must_be_exact_not_merely_acceptable() {
    let mut vectors = common::vectors();
    vectors.push(common::strict_expectation());
    let dir = common::corpus_dir_of("cli-exact", &vectors);
    let out = conformance(&["run", "--vectors", dir.to_str().unwrap(), "--no-progress"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("reference: 8 vectors, 7 pass, 1 acceptable, 0 fail"),
        "{stdout}"
    );
    assert!(
        stdout.contains("acceptable (1):\n  accept/strict [must]"),
        "{stdout}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// The tiny script adapter as an `exec:` adapter: it accepts only the baseline token.
fn tiny() -> String {
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny_adapter.py");
    format!(
        "exec:python3 {} ok {}",
        script.display(),
        forge::baseline_token()
    )
}

/// Runs `conformance disputes` over `vectors` (a corpus directory) with the tiny adapter,
/// writing under `docs`.
fn disputes(
    vectors: &std::path::Path,
    docs: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let adapter = tiny();
    let mut args = vec![
        "disputes",
        "--vectors",
        vectors.to_str().unwrap(),
        "--docs",
        docs.to_str().unwrap(),
        "--no-progress",
        "--adapters",
        adapter.as_str(),
    ];
    args.extend_from_slice(extra);
    conformance(&args)
}

#[test]
fn disputes_names_disputed_must_vectors_without_a_rationale() {
    let mut vectors = common::vectors();
    vectors.push(common::disputed(None));
    let dir = common::corpus_dir_of("cli-disputes", &vectors);
    let docs = dir.join("docs");
    let out = disputes(&dir, &docs, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("disputed must vector(s) without a rationale")
            && stderr.contains("time/disputed"),
        "{stderr}"
    );
    let page = std::fs::read_to_string(docs.join("disputes.md")).unwrap();
    assert!(page.contains("\n## time/disputed\n"), "{page}");
    assert!(page.contains("| tiny | 1.0 | accept | ✘ | — |"), "{page}");
    assert!(
        page.contains("> `RFC7519-4.1.4-exp` — RFC 7519 §4.1.4 (binding): "),
        "{page}"
    );
    assert!(!page.contains("## alg/none"), "{page}");

    // With a rationale the page is written and fresh.
    let mut vectors = common::vectors();
    vectors.push(common::disputed(Some("Only to test the runner.")));
    let explained = common::corpus_dir_of("cli-disputes-explained", &vectors);
    let out = disputes(&explained, &docs, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = disputes(&explained, &docs, &["--check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(docs.join("disputes.md"), "stale").unwrap();
    let out = disputes(&explained, &docs, &["--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stale"));

    // Libraries alone only.
    let seam = conformance(&[
        "disputes",
        "--vectors",
        explained.to_str().unwrap(),
        "--adapters",
        "jsonwebtoken+hardened",
    ]);
    assert_eq!(seam.status.code(), Some(2));
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::remove_dir_all(explained).unwrap();
}

#[test]
fn matrix_writes_the_disputes_page_and_fails_on_a_missing_rationale() {
    let mut vectors = common::vectors();
    vectors.push(common::disputed(None));
    let dir = common::corpus_dir_of("cli-matrix-disputes", &vectors);
    let docs = dir.join("docs");
    let adapters = format!("reference,{}", tiny());
    let out = conformance(&[
        "matrix",
        "--vectors",
        dir.to_str().unwrap(),
        "--docs",
        docs.to_str().unwrap(),
        "--adapters",
        &adapters,
        "--no-progress",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("time/disputed"), "{stderr}");
    let page = std::fs::read_to_string(docs.join("disputes.md")).unwrap();
    assert!(page.contains("Libraries: tiny 1.0."), "{page}");
    assert!(page.contains("\n## time/disputed\n"), "{page}");
    let matrix = std::fs::read_to_string(docs.join("matrix.md")).unwrap();
    assert!(matrix.contains("| acceptable |"), "{matrix}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// A usage or setup error of `conformance run`.
#[derive(Debug)]
enum SetupError {
    UnknownFlag,
    MissingCorpus,
    EmptyCorpus,
    CorpusNotJson,
    FilterMatchesNothing,
    BadTimeout,
    /// An `exec:` adapter that greets with junk (`tests/hostile/junk_hello.py`).
    AdapterWithoutHello,
}

/// Usage and setup errors exit 2, and `--exit-zero` (which only turns conformance failures
/// into 0) never hides them: a CI job must not go green on a run that never tested anything.
#[rstest]
#[case::unknown_flag(SetupError::UnknownFlag, "unexpected argument")]
#[case::missing_corpus(SetupError::MissingCorpus, "no-such-dir")]
#[case::empty_corpus(SetupError::EmptyCorpus, "no vectors under")]
#[case::corpus_not_json(SetupError::CorpusNotJson, "not a vector")]
#[case::filter_matches_nothing(SetupError::FilterMatchesNothing, "matches no vector")]
#[case::bad_timeout(SetupError::BadTimeout, "bad timeout")]
#[case::adapter_without_hello(SetupError::AdapterWithoutHello, "setup error: ")]
fn usage_and_setup_errors_exit_2_even_with_exit_zero(
    #[case] error: SetupError,
    #[case] says: &str,
) {
    let dir = common::corpus_dir("cli-setup");
    let vectors = dir.to_str().unwrap().to_owned();
    let empty = common::temp_dir("cli-setup-empty");
    let junk = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/junk_hello.py");
    let mut args: Vec<String> = vec!["run".into(), "--exit-zero".into(), "--no-progress".into()];
    let extra: Vec<String> = match error {
        SetupError::UnknownFlag => vec!["--bogus".into()],
        SetupError::MissingCorpus => vec!["--vectors".into(), format!("{vectors}/no-such-dir")],
        SetupError::EmptyCorpus => vec!["--vectors".into(), empty.to_str().unwrap().into()],
        SetupError::CorpusNotJson => {
            std::fs::write(dir.join("alg/broken.json"), "{ not json").unwrap();
            vec!["--vectors".into(), vectors.clone()]
        }
        SetupError::FilterMatchesNothing => {
            vec![
                "--vectors".into(),
                vectors.clone(),
                "--filter".into(),
                "nothing/*".into(),
            ]
        }
        SetupError::BadTimeout => {
            vec![
                "--vectors".into(),
                vectors.clone(),
                "--timeout".into(),
                "0".into(),
            ]
        }
        SetupError::AdapterWithoutHello => vec![
            "--vectors".into(),
            vectors.clone(),
            "--adapter".into(),
            format!("exec:python3 {}", junk.display()),
        ],
    };
    args.extend(extra);
    let out = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(&args)
        .env("HOSTILE_PIDS", dir.join("pids"))
        .output()
        .expect("the conformance binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{error:?}: {stderr}");
    assert!(stderr.contains(says), "{error:?}: {stderr}");
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::remove_dir_all(empty).unwrap();
}
