//! Hostile adapters (`tests/hostile/`, one small Python script each) run through the real
//! `exec:` path of the `conformance` binary. Each misbehaves in one way; every run must end in
//! bounded wall time and bounded memory, classify the misbehaviour (a setup error, a wedged
//! adapter, an adapter error), and leave no process behind: each fixture records its process
//! IDs (and its children's) in a file, and none may be alive after the run.
//!
//! Peak memory is the `conformance` process's peak resident set (getrusage of the waited-for
//! child, through `tests/hostile/measure.py`, which needs nothing but python3): it includes the
//! fixtures, which write their huge lines in chunks and stay small, so the bound is the
//! runner's. The bound is far below the 100 MiB the fixtures send, so a runner that buffered a
//! whole line would fail it.

mod common;

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use common::{read_pids, survivors};
use conformance::adapters::subprocess::{MAX_NOTES, MAX_TEXT_BYTES};
use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;
use rstest::rstest;
use serde_json::Value;

/// Per-vector timeout given to the runner, seconds: small, so that hangs are cut short, but
/// far above what a Python fixture needs to answer on a loaded machine.
const TIMEOUT_SECS: &str = "1";
/// Wall time a whole hostile run may take (the slowest, a hang before the hello, needs the
/// 5 s hello timeout plus 2 s of grace; a wedge needs three 1 s timeouts).
const WALL: Duration = Duration::from_secs(20);
/// Peak resident set of the runner and its adapters, KiB (measured: about 10 MiB).
const PEAK_RSS_KIB: u64 = 64 * 1024;
/// A run that takes this long is killed and fails, instead of hanging the test suite.
const WATCHDOG: Duration = Duration::from_secs(120);

fn hostile(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(file)
}

/// What a hostile run left.
struct Run {
    status: ExitStatus,
    wall: Duration,
    peak_rss_kib: u64,
    /// The JSON report.
    report: Value,
    report_text: String,
    stderr: String,
    /// Every process the fixture started (itself and its children, across restarts).
    pids: Vec<i32>,
}

/// Waits for `child` (a process group leader) at most [`WATCHDOG`]; kills its group if it
/// overruns.
fn wait_or_kill(child: &mut std::process::Child, what: &str) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > WATCHDOG {
            let _ = killpg(Pid::from_raw(child.id() as i32), Signal::SIGKILL);
            let _ = child.wait();
            panic!("{what} still running after {WATCHDOG:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The `conformance run` arguments for `fixture` over the test corpus in `vectors`.
fn run_args(fixture: &str, vectors: &Path, timeout: &str, report: &Path) -> Vec<String> {
    [
        "run",
        "--adapter",
        &format!("exec:python3 {}", hostile(fixture).display()),
        "--vectors",
        vectors.to_str().unwrap(),
        "--timeout",
        timeout,
        "--format",
        "json",
        "--output",
        report.to_str().unwrap(),
        "--no-progress",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// Runs `conformance` with the hostile adapter `fixture` over the seven-vector test corpus (six
/// of which it runs: it declares `clock` and `jwks_parsing`), measuring wall time and memory.
fn run_hostile(fixture: &str) -> Run {
    let vectors = common::corpus_dir(&format!("hostile-{fixture}"));
    let work = common::temp_dir(&format!("hostile-{fixture}-work"));
    let (pids, rss, report, stderr) = (
        work.join("pids"),
        work.join("rss"),
        work.join("report.json"),
        work.join("stderr"),
    );
    let started = Instant::now();
    let mut child = Command::new("python3")
        .arg(hostile("measure.py"))
        .arg(&rss)
        .arg(env!("CARGO_BIN_EXE_conformance"))
        .args(run_args(fixture, &vectors, TIMEOUT_SECS, &report))
        .env("HOSTILE_PIDS", &pids)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(File::create(&stderr).unwrap())
        .process_group(0)
        .spawn()
        .expect("python3 runs");
    let status = wait_or_kill(&mut child, fixture);
    let wall = started.elapsed();
    let report_text = std::fs::read_to_string(&report).unwrap_or_default();
    let run = Run {
        status,
        wall,
        peak_rss_kib: std::fs::read_to_string(&rss)
            .expect("measure.py wrote the peak RSS")
            .trim()
            .parse()
            .unwrap(),
        report: serde_json::from_str(&report_text).unwrap_or(Value::Null),
        report_text,
        stderr: std::fs::read_to_string(&stderr).unwrap(),
        pids: read_pids(&pids),
    };
    std::fs::remove_dir_all(vectors).unwrap();
    std::fs::remove_dir_all(work).unwrap();
    run
}

/// What a hostile adapter must be classified as.
#[derive(Debug)]
enum Expect {
    /// A setup error: exit 2, every vector `adapter_broken` with this in its error, and the
    /// reason on stderr.
    Setup(&'static str),
    /// Wedged: exit 2, three timeouts, then `adapter_broken` for the rest.
    Wedged,
    /// Every vector run is an `adapter_error` saying this; exit 1.
    EveryCallFails(&'static str),
    /// One vector is an `adapter_error` saying this, the others were answered; exit 1.
    OneCallFails(&'static str),
    /// Every vector was answered (what matters is what is left behind); exit 1.
    Answered,
    /// Every vector was answered, and everything kept of what the adapter said is short and
    /// carries no token; exit 1.
    Clipped,
}

/// The results the adapter was asked about (not skipped for features it lacks).
fn run_results(report: &Value) -> Vec<&Value> {
    report["results"]
        .as_array()
        .expect("a JSON report")
        .iter()
        .filter(|r| r["result"] != "skip")
        .collect()
}

fn verdict(r: &Value) -> &str {
    r["actual"]["verdict"].as_str().unwrap_or_default()
}

fn error(r: &Value) -> &str {
    r["actual"]["error"].as_str().unwrap_or_default()
}

/// Every string in `value`, with its JSON path.
fn strings<'v>(value: &'v Value, path: String, out: &mut Vec<(String, &'v str)>) {
    match value {
        Value::String(s) => out.push((path, s)),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                strings(v, format!("{path}[{i}]"), out);
            }
        }
        Value::Object(members) => {
            for (k, v) in members {
                strings(v, format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

#[rstest]
#[case::exits_at_once("exits_at_once.py", Expect::Setup("exited"))]
#[case::junk_hello("junk_hello.py", Expect::Setup("bad hello line"))]
#[case::hangs_before_hello("hangs_before_hello.py", Expect::Setup("did not identify itself"))]
#[case::hangs_after_hello("hangs_after_hello.py", Expect::Wedged)]
#[case::endless_line("endless_line.py", Expect::EveryCallFails("a line longer than 1 MiB"))]
#[case::huge_hello("huge_hello.py", Expect::Setup("a line longer than 1 MiB"))]
#[case::huge_error("huge_error.py", Expect::EveryCallFails("a line longer than 1 MiB"))]
#[case::wrong_id("wrong_id.py", Expect::EveryCallFails("protocol error: answer for"))]
#[case::forks_child("forks_child.py", Expect::Answered)]
#[case::crashes_mid_run("crashes_mid_run.py", Expect::OneCallFails("dying on purpose"))]
#[case::long_texts("long_texts.py", Expect::Clipped)]
fn a_hostile_adapter_is_bounded_classified_and_cleaned_up(
    #[case] fixture: &str,
    #[case] expect: Expect,
) {
    let run = run_hostile(fixture);
    let context = format!(
        "{fixture}: exit {:?} after {:?}, peak RSS {} KiB\nstderr: {}",
        run.status.code(),
        run.wall,
        run.peak_rss_kib,
        run.stderr
    );
    eprintln!(
        "{fixture}: exit {:?} in {:?}, peak RSS {} KiB, {} process(es)",
        run.status.code(),
        run.wall,
        run.peak_rss_kib,
        run.pids.len()
    );
    assert!(run.wall < WALL, "{context}");
    assert!(run.peak_rss_kib < PEAK_RSS_KIB, "{context}");
    assert!(!run.pids.is_empty(), "the fixture never ran: {context}");
    assert_eq!(survivors(&run.pids), Vec::<i32>::new(), "{context}");
    // No token reaches the report or the terminal, whatever the adapter said.
    for text in [&run.report_text, &run.stderr] {
        assert!(!text.contains("eyJ"), "a token leaked: {context}");
    }

    // A broken setup leaves every vector `adapter_broken`; otherwise `state/replay` is skipped.
    let results = run_results(&run.report);
    let asked = if matches!(expect, Expect::Setup(_)) {
        7
    } else {
        6
    };
    assert_eq!(results.len(), asked, "{context}");
    match expect {
        Expect::Setup(why) => {
            assert_eq!(run.status.code(), Some(2), "{context}");
            assert_eq!(run.report["header"]["library"], "unavailable", "{context}");
            for r in &results {
                assert_eq!(verdict(r), "adapter_broken", "{context}");
                assert!(error(r).starts_with("setup error: "), "{context}");
                assert!(error(r).contains(why), "{}: {context}", error(r));
            }
            assert!(run.stderr.contains(why), "{context}");
        }
        Expect::Wedged => {
            assert_eq!(run.status.code(), Some(2), "{context}");
            let verdicts: Vec<&str> = results.iter().map(|r| verdict(r)).collect();
            assert_eq!(
                verdicts,
                [
                    "adapter_error",
                    "adapter_error",
                    "adapter_error",
                    "adapter_broken",
                    "adapter_broken",
                    "adapter_broken"
                ],
                "{context}"
            );
            assert!(error(results[0]).starts_with("timeout"), "{context}");
            assert!(error(results[3]).contains("wedged"), "{context}");
            // Each timeout is a denial of service by the library; the wedge is the adapter's.
            let impacts: Vec<&str> = results
                .iter()
                .map(|r| r["impact"].as_str().unwrap_or_default())
                .collect();
            assert_eq!(impacts[..3], ["denial-of-service"; 3], "{context}");
            assert_eq!(impacts[3..], ["adapter-error"; 3], "{context}");
            assert!(run.stderr.contains("wedged"), "{context}");
        }
        Expect::EveryCallFails(why) => {
            assert_eq!(run.status.code(), Some(1), "{context}");
            for r in &results {
                assert_eq!(verdict(r), "adapter_error", "{context}");
                assert!(error(r).contains(why), "{}: {context}", error(r));
            }
        }
        Expect::OneCallFails(why) => {
            assert_eq!(run.status.code(), Some(1), "{context}");
            let failed: Vec<&&Value> = results
                .iter()
                .filter(|r| verdict(r) == "adapter_error")
                .collect();
            assert_eq!(failed.len(), 1, "{context}");
            assert!(error(failed[0]).contains("exited"), "{context}");
            assert!(error(failed[0]).contains(why), "{context}");
            assert!(
                results
                    .iter()
                    .all(|r| ["adapter_error", "reject"].contains(&verdict(r))),
                "{context}"
            );
        }
        Expect::Answered => {
            assert_eq!(run.status.code(), Some(1), "{context}");
            assert!(results.iter().all(|r| verdict(r) == "reject"), "{context}");
            assert!(run.pids.len() >= 2, "the child was not recorded: {context}");
        }
        Expect::Clipped => {
            assert_eq!(run.status.code(), Some(1), "{context}");
            assert!(results.iter().all(|r| verdict(r) == "reject"), "{context}");
            let notes = run.report["header"]["notes"].as_array().unwrap();
            assert!(notes.len() <= MAX_NOTES, "{context}");
            let mut all = Vec::new();
            strings(&run.report, String::new(), &mut all);
            for (path, text) in all {
                // A result's detail quotes the adapter's (clipped) error and reason.
                let bound = if path.ends_with(".detail") {
                    3 * MAX_TEXT_BYTES
                } else {
                    MAX_TEXT_BYTES
                };
                assert!(text.len() <= bound, "{path}: {} bytes", text.len());
            }
            for line in run.stderr.lines() {
                assert!(line.len() <= 3 * MAX_TEXT_BYTES, "{line}");
            }
        }
    }
}

/// Ctrl-C (SIGINT) while an adapter hangs: the runner kills the adapter's process group and
/// exits 130 at once.
#[test]
fn ctrl_c_kills_the_adapter_processes_and_exits_130() {
    let vectors = common::corpus_dir("hostile-ctrl-c");
    let work = common::temp_dir("hostile-ctrl-c-work");
    let pids = work.join("pids");
    let mut child = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(run_args(
            "hangs_after_hello.py",
            &vectors,
            "60",
            &work.join("report.json"),
        ))
        .env("HOSTILE_PIDS", &pids)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap();
    // Wait until the adapter is running, then a moment for the runner to be waiting on it.
    let started = Instant::now();
    while read_pids(&pids).is_empty() {
        assert!(started.elapsed() < WALL, "the adapter never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
    let interrupted = Instant::now();
    kill(Pid::from_raw(child.id() as i32), Signal::SIGINT).unwrap();
    let status = wait_or_kill(&mut child, "conformance after SIGINT");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(interrupted.elapsed() < Duration::from_secs(5), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let pids = read_pids(&pids);
    assert_eq!(survivors(&pids), Vec::<i32>::new());
    std::fs::remove_dir_all(vectors).unwrap();
    std::fs::remove_dir_all(work).unwrap();
}
