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

/// `jwt-compact` over the test corpus with `args`: its exit code and stderr.
fn gated(vectors: &str, args: &[&str]) -> (Option<i32>, String) {
    run_adapter("jwt-compact", std::path::Path::new(vectors), args)
}

#[test]
fn a_weaker_library_fails_the_run_unless_exit_zero() {
    let dir = common::corpus_dir("cli-junit");
    let report = dir.join("report.xml");
    let vectors = dir.to_str().unwrap();
    assert_eq!(gated(vectors, &[]).0, Some(1));
    let (code, stderr) = gated(
        vectors,
        &[
            "--format",
            "junit",
            "--output",
            report.to_str().unwrap(),
            "--exit-zero",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let xml = std::fs::read_to_string(&report).unwrap();
    assert!(xml.contains("<testsuites"), "{xml}");
    assert!(stderr.contains("jwt-compact: 7 vectors"), "{stderr}");
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
    tiny_named("tiny")
}

/// The tiny adapter greeting as `name`: two of them are two independent libraries.
fn tiny_named(name: &str) -> String {
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny_adapter.py");
    format!(
        "exec:python3 {} ok {} {name}",
        script.display(),
        forge::baseline_token()
    )
}

/// Runs `conformance disputes` over `vectors` (a corpus directory) with two independent tiny
/// adapters (one alone never makes a dispute), writing under `docs`.
fn disputes(
    vectors: &std::path::Path,
    docs: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    disputes_among(&[tiny(), tiny_named("tiny-too")], vectors, docs, extra)
}

/// [`disputes`] among `adapters`, each in its own `--adapters` (`exec:` takes the rest of a list).
fn disputes_among(
    adapters: &[String],
    vectors: &std::path::Path,
    docs: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "disputes",
        "--vectors",
        vectors.to_str().unwrap(),
        "--docs",
        docs.to_str().unwrap(),
        "--no-progress",
    ];
    for adapter in adapters {
        args.extend(["--adapters", adapter.as_str()]);
    }
    args.extend_from_slice(extra);
    conformance(&args)
}

#[test]
fn disputes_names_disputed_must_vectors_without_a_rationale() {
    let mut vectors = common::vectors();
    vectors.push(common::disputed(None));
    let dir = common::corpus_dir_of("cli-disputes", &vectors);
    // Outside the corpus: a self-contained folder holds copies of the vector files.
    let docs = common::temp_dir("cli-disputes-docs");
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

    // One library alone disputes nothing: its failures are findings about it.
    let alone = disputes_among(&[tiny()], &dir, &docs, &[]);
    assert!(
        alone.status.success(),
        "{}",
        String::from_utf8_lossy(&alone.stderr)
    );
    let said = String::from_utf8_lossy(&alone.stderr);
    let none_disputed = format!("0 of {} vectors disputed", vectors.len());
    assert!(said.contains(&none_disputed), "{said}");

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
        "--adapters",
        &tiny_named("tiny-too"),
        "--no-progress",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("time/disputed"), "{stderr}");
    let page = std::fs::read_to_string(docs.join("disputes.md")).unwrap();
    assert!(
        page.contains("Libraries: tiny 1.0, tiny-too 1.0."),
        "{page}"
    );
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

#[test]
fn the_embedded_corpus_is_vectors_and_runs_from_any_folder() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let embedded = conformance::embedded::corpus().unwrap();
    let folder = conformance::runner::Corpus::load(&root.join("vectors")).unwrap();
    assert_eq!(embedded.version, folder.version);
    assert_eq!(embedded.vectors, folder.vectors);
    let empty = common::temp_dir("cli-anywhere");
    let out = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args([
            "run",
            "--filter",
            "accept/*",
            "--format",
            "json",
            "--no-progress",
        ])
        .current_dir(&empty)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["header"]["corpus_version"], folder.version.as_str());
    assert!(json["summary"]["total"]["pass"].as_u64().unwrap() > 10);
    std::fs::remove_dir_all(empty).unwrap();
}

#[test]
fn fail_on_and_baselines_decide_the_exit_code() {
    let dir = common::corpus_dir("cli-gate");
    let vectors = dir.to_str().unwrap();
    let files = common::temp_dir("cli-gate-baseline");
    let baseline = files.join("baseline.json");
    let path = baseline.to_str().unwrap();
    let (code, stderr) = gated(vectors, &["--write-baseline", path]);
    assert_eq!(code, Some(0), "{stderr}");
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    // jwt-compact has no `typ` check: its one failure on the test corpus is `typ/jwt`.
    let entries = written["failures"].as_array().unwrap().clone();
    assert_eq!(entries.len(), 1, "{written}");
    assert_eq!(entries[0]["vector"], "typ/jwt");
    let (code, _) = gated(vectors, &["--fail-on", "must"]);
    assert_eq!(
        code,
        Some(0),
        "a profile failure does not fail --fail-on must"
    );

    // All known.
    let (code, stderr) = gated(vectors, &["--fail-on", "profile", "--baseline", path]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("0 new; passed"), "{stderr}");

    // A new failure: the entry dropped from the baseline.
    let mut fewer = written.clone();
    fewer["failures"] = serde_json::json!([]);
    std::fs::write(&baseline, fewer.to_string()).unwrap();
    let (code, stderr) = gated(vectors, &["--fail-on", "profile", "--baseline", path]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("typ/jwt"), "{stderr}");
    let (code, _) = gated(vectors, &["--baseline", path, "--exit-zero"]);
    assert_eq!(code, Some(0));

    // A fixed failure: the baseline lists a vector that now passes.
    let mut more = written.clone();
    more["failures"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "adapter": "jwt-compact", "vector": "accept/baseline", "result": "fail",
            "severity": "must", "impact": "false-reject"
        }));
    std::fs::write(&baseline, more.to_string()).unwrap();
    let (code, stderr) = gated(vectors, &["--fail-on", "profile", "--baseline", path]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("shrink it") && stderr.contains("accept/baseline"),
        "{stderr}"
    );

    // A baseline that is not one is a setup error, never hidden.
    std::fs::write(&baseline, "[]").unwrap();
    let (code, stderr) = gated(vectors, &["--baseline", path, "--exit-zero"]);
    assert_eq!(code, Some(2), "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::remove_dir_all(files).unwrap();
}

#[test]
fn reports_writes_every_format_and_the_gate() {
    let dir = common::corpus_dir("cli-reports");
    let reports = dir.join("out");
    let (code, stderr) = gated(
        dir.to_str().unwrap(),
        &[
            "--fail-on",
            "forgery",
            "--reports",
            reports.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    for name in [
        "results.txt",
        "results.json",
        "results.xml",
        "results.md",
        "gate.txt",
        "gate.json",
    ] {
        let text = std::fs::read_to_string(reports.join(name)).unwrap();
        assert!(
            text.contains("jwt-compact") || name.starts_with("gate."),
            "{name}: {text}"
        );
    }
    let gate = std::fs::read_to_string(reports.join("gate.txt")).unwrap();
    assert!(gate.starts_with("gate --fail-on forgery:"), "{gate}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// The skipping fixture (tests/fixtures/skippy_adapter.py) as an `exec:` adapter: it answers
/// `skipped` for the vectors whose ID starts with `prefix` (`-`: none).
fn skippy(prefix: &str) -> String {
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/skippy_adapter.py");
    let argv = serde_json::json!(["python3", script, prefix]);
    format!("exec:{argv}")
}

/// `conformance run` of `adapter` over `vectors` with `args`: its exit code and stderr.
fn run_adapter(adapter: &str, vectors: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec![
        "run",
        "--adapter",
        adapter,
        "--vectors",
        vectors.to_str().unwrap(),
        "--no-progress",
    ];
    all.extend_from_slice(args);
    let out = conformance(&all);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The maintainer's path of docs/maintainers.md §3: a gated run fails when a vector it ran
/// when the baseline was written is skipped now, at every level, and passes again once the
/// baseline is rewritten.
#[test]
fn a_gated_run_fails_when_a_vector_it_ran_is_now_skipped() {
    let dir = common::corpus_dir("cli-coverage");
    let files = common::temp_dir("cli-coverage-files");
    let baseline = files.join("baseline.json");
    let path = baseline.to_str().unwrap();
    let (code, stderr) = run_adapter(&skippy("-"), &dir, &["--write-baseline", path]);
    assert_eq!(code, Some(0), "{stderr}");
    // It lacks `replay`: state/replay is skipped from the start.
    assert!(stderr.contains("and 1 skips"), "{stderr}");
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(written["baseline_version"], 2);
    assert_eq!(written["coverage"][0]["adapter"], "skippy");
    assert!(
        written["coverage"][0]["ran"]
            .as_array()
            .unwrap()
            .contains(&"alg/none".into())
    );

    // The library stops running alg/none: coverage lost, at every level.
    let now = skippy("alg/");
    for level in ["forgery", "dos", "must", "profile", "any"] {
        let (code, stderr) = run_adapter(&now, &dir, &["--fail-on", level, "--baseline", path]);
        assert_eq!(code, Some(1), "{level}: {stderr}");
        assert!(
            stderr.contains("1 coverage lost")
                && stderr
                    .contains("coverage lost (ran when the baseline was written, skipped now)")
                && stderr.contains("alg/none")
                && stderr.contains("library limit"),
            "{level}: {stderr}"
        );
    }
    let reports = files.join("out");
    let (code, _) = run_adapter(
        &now,
        &dir,
        &["--baseline", path, "--reports", reports.to_str().unwrap()],
    );
    assert_eq!(code, Some(1));
    let gate: Value =
        serde_json::from_str(&std::fs::read_to_string(reports.join("gate.json")).unwrap()).unwrap();
    assert_eq!(gate["coverage_lost"][0]["vector"], "alg/none", "{gate}");
    assert_eq!(gate["skipped"]["library_limit"], 1, "{gate}");
    let txt = std::fs::read_to_string(reports.join("gate.txt")).unwrap();
    assert!(
        txt.contains("skipped 2 (feature not declared 1, library limit 1)"),
        "{txt}"
    );
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(reports.join("results.json")).unwrap())
            .unwrap();
    assert_eq!(results["summary"]["by_skip_cause"]["library_limit"], 1);

    // The maintainer accepts the loss: an updated baseline records the skip, and passes.
    let (code, stderr) = run_adapter(&now, &dir, &["--write-baseline", path]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("and 2 skips"), "{stderr}");
    let (code, stderr) = run_adapter(&now, &dir, &["--fail-on", "any", "--baseline", path]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("0 coverage lost, 0 new; passed"),
        "{stderr}"
    );
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::remove_dir_all(files).unwrap();
}

/// A run where every vector was skipped tested nothing: exit 2, which --exit-zero never hides,
/// and no baseline is written from it.
#[test]
fn a_run_where_nothing_ran_exits_2() {
    let dir = common::corpus_dir("cli-nothing-ran");
    let files = common::temp_dir("cli-nothing-ran-files");
    let baseline = files.join("baseline.json");
    for extra in [
        vec!["--exit-zero"],
        vec!["--write-baseline", baseline.to_str().unwrap()],
    ] {
        let (code, stderr) = run_adapter(&skippy(""), &dir, &extra);
        assert_eq!(code, Some(2), "{extra:?}: {stderr}");
        assert!(stderr.contains("nothing ran"), "{stderr}");
    }
    assert!(!baseline.exists());
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::remove_dir_all(files).unwrap();
}

/// What makes an input bad, for [`inputs_are_checked_before_the_first_vector_runs`].
#[derive(Debug)]
enum BadInput {
    MalformedBaseline,
    MissingBaseline,
    OutputInMissingFolder,
    OutputIsAFolder,
    ReportsIsAFile,
    WriteBaselineInMissingFolder,
}

/// Every input is checked before any adapter starts: a bad one is exit 2 at once. The adapter
/// would touch a marker file and never greet (so a late check would cost its hello timeout).
#[rstest]
#[case::malformed_baseline(BadInput::MalformedBaseline, "not a baseline file")]
#[case::missing_baseline(BadInput::MissingBaseline, "baseline")]
#[case::output_in_missing_folder(BadInput::OutputInMissingFolder, "cannot write")]
#[case::output_is_a_folder(BadInput::OutputIsAFolder, "it is a folder")]
#[case::reports_is_a_file(BadInput::ReportsIsAFile, "cannot write under")]
#[case::write_baseline_in_missing_folder(BadInput::WriteBaselineInMissingFolder, "cannot write")]
fn inputs_are_checked_before_the_first_vector_runs(#[case] bad: BadInput, #[case] says: &str) {
    let dir = common::corpus_dir("cli-early");
    let marker = dir.join("adapter-started");
    let file = dir.join("a-file");
    std::fs::write(&file, "{").unwrap();
    let missing = dir.join("no-such-folder/out");
    let (flag, value) = match bad {
        BadInput::MalformedBaseline => ("--baseline", &file),
        BadInput::MissingBaseline => ("--baseline", &missing),
        BadInput::OutputInMissingFolder => ("--output", &missing),
        BadInput::OutputIsAFolder => ("--output", &dir),
        BadInput::ReportsIsAFile => ("--reports", &file),
        BadInput::WriteBaselineInMissingFolder => ("--write-baseline", &missing),
    };
    let adapter = serde_json::json!([
        "sh",
        "-c",
        format!("touch '{}'; sleep 30", marker.display())
    ]);
    let started = std::time::Instant::now();
    let (code, stderr) = run_adapter(
        &format!("exec:{adapter}"),
        &dir,
        &["--exit-zero", flag, value.to_str().unwrap()],
    );
    assert_eq!(code, Some(2), "{bad:?}: {stderr}");
    assert!(stderr.contains(says), "{bad:?}: {stderr}");
    assert!(!marker.exists(), "{bad:?}: the adapter was started");
    // Well within the adapter's hello timeout (at least 5 s), which a late check would wait out.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(4),
        "{bad:?}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// `run --adapter all` exits 2 when a shipped adapter is not installed, unless
/// `--allow-missing`, which reports its vectors skipped for that cause. Run from a folder that
/// looks like a checkout without any adapter installed.
#[test]
fn a_missing_adapter_exits_2_unless_allow_missing() {
    let dir = common::corpus_dir("cli-missing");
    let checkout = common::temp_dir("cli-missing-checkout");
    std::fs::create_dir_all(checkout.join("adapters")).unwrap();
    std::fs::write(checkout.join("Cargo.toml"), "").unwrap();
    let run = |adapter: &str, extra: &[&str]| {
        let mut args = vec![
            "run",
            "--adapter",
            adapter,
            "--vectors",
            dir.to_str().unwrap(),
            "--no-progress",
            "--format",
            "json",
            "--exit-zero",
        ];
        args.extend_from_slice(extra);
        Command::new(env!("CARGO_BIN_EXE_conformance"))
            .args(&args)
            .current_dir(&checkout)
            .output()
            .unwrap()
    };
    for adapter in ["all", "reference,pyjwt"] {
        let out = run(adapter, &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{adapter}: {stderr}");
        assert!(
            stderr.contains("not installed") && stderr.contains("--allow-missing"),
            "{stderr}"
        );
        assert!(out.stdout.is_empty(), "{adapter}: nothing ran");
    }
    let out = run("reference,pyjwt", &["--allow-missing"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let pyjwt = &json["reports"][1];
    assert_eq!(pyjwt["header"]["adapter"], "pyjwt");
    assert_eq!(pyjwt["summary"]["by_skip_cause"]["adapter_unavailable"], 7);
    assert_eq!(pyjwt["results"][0]["skip_cause"], "adapter_unavailable");
    assert!(stderr.contains("pyjwt is unavailable"), "{stderr}");
    // An unknown name is a usage error, --allow-missing or not.
    let out = run("reference,bogus", &["--allow-missing"]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::remove_dir_all(checkout).unwrap();
}
