//! `verify_batch` on a subprocess adapter: independent cases pipelined over one process. A
//! well-behaved adapter answers a batch exactly as it answers one `verify` per case; one that
//! reads ahead is answered only by a pipeline; a hostile one is bounded, classified and cleaned
//! up as `verify` would have it (tests/hostile.rs holds the lock-step path to the same).

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{read_pids, survivors};
use conformance::adapter::{Adapter, Case, Outcome};
use conformance::adapters::hardened::Hardened;
use conformance::adapters::subprocess::{BATCH_WEDGE_AFTER, PIPELINE_WINDOW, Subprocess};
use conformance::outcome::OutcomeKind;
use conformance::vector::Vector;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use rstest::rstest;

/// Per-case timeout: far above what a Python fixture needs to answer on a loaded machine.
const TIMEOUT: Duration = Duration::from_secs(1);
/// A batch still running after this long has hung: its processes are killed and the test fails.
const WATCHDOG: Duration = Duration::from_secs(60);

fn fixture(dir: &str, file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(dir)
        .join(file)
        .to_string_lossy()
        .into_owned()
}

/// `tests/fixtures/tiny_adapter.py` in `mode`, accepting the baseline token.
fn tiny(mode: &str) -> Subprocess {
    let args = vec![
        fixture("fixtures", "tiny_adapter.py"),
        mode.to_owned(),
        forge::baseline_token(),
    ];
    Subprocess::new("tiny", "python3", args, None)
}

/// A Python fixture of `tests/fixtures` with these arguments.
fn python(file: &str, args: &[&str]) -> Subprocess {
    let mut argv = vec![fixture("fixtures", file)];
    argv.extend(args.iter().map(|a| (*a).to_owned()));
    Subprocess::new(file, "python3", argv, None)
}

/// The hostile adapter `file`, recording its process IDs in `pids` (through `env`, which execs
/// Python in its place: the process group is the same).
fn hostile(file: &str, pids: &Path) -> Subprocess {
    let args = vec![
        format!("HOSTILE_PIDS={}", pids.display()),
        "python3".to_owned(),
        fixture("hostile", file),
    ];
    Subprocess::new(file, "env", args, None)
}

/// Vectors and their tokens, lent out as cases.
struct Batch {
    vectors: Vec<Vector>,
    tokens: Vec<Vec<u8>>,
}

impl Batch {
    /// `n` single-step vectors of the test corpus in turn, each under an ID of its own.
    fn of(n: usize) -> Batch {
        let singles: Vec<Vector> = common::vectors()
            .into_iter()
            .filter(|v| v.steps().len() == 1)
            .collect();
        Batch::new(
            (0..n)
                .map(|i| {
                    let mut v = singles[i % singles.len()].clone();
                    v.id = format!("{}/{i}", v.id);
                    v
                })
                .collect(),
        )
    }

    /// [`Batch::of`] `n`, with every tenth vector's profile one of schema 3 (`typ: null`),
    /// which an adapter of protocol 1 or 2 is not sent.
    fn mixed(n: usize) -> Batch {
        let mut batch = Batch::of(n);
        for v in batch.vectors.iter_mut().step_by(10) {
            v.profile.typ = None;
        }
        batch
    }

    fn new(vectors: Vec<Vector>) -> Batch {
        let tokens = vectors
            .iter()
            .map(|v| conformance::corpus::token_bytes(&v.steps()[0].token).unwrap())
            .collect();
        Batch { vectors, tokens }
    }

    fn cases(&self) -> Vec<Case<'_>> {
        self.cases_within(TIMEOUT)
    }

    fn cases_within(&self, timeout: Duration) -> Vec<Case<'_>> {
        self.vectors
            .iter()
            .zip(&self.tokens)
            .map(|(v, token)| {
                let step = &v.steps()[0];
                Case {
                    vector: v,
                    step: 0,
                    token,
                    jwks: &v.jwks,
                    profile: &v.profile,
                    now: step.now,
                    actions: &step.actions,
                    live: None,
                    timeout,
                }
            })
            .collect()
    }
}

fn one_by_one(adapter: &dyn Adapter, cases: &[Case<'_>]) -> Vec<Outcome> {
    cases.iter().map(|c| adapter.verify(c)).collect()
}

fn kinds(outcomes: &[Outcome]) -> Vec<OutcomeKind> {
    outcomes.iter().map(Outcome::kind).collect()
}

fn error(outcome: &Outcome) -> &str {
    match outcome {
        Outcome::AdapterError { error } | Outcome::Reject { error, .. } => error,
        _ => "",
    }
}

/// Runs `batch` with `adapter` on a thread of its own, which drops the adapter (closing its
/// process) when done; past [`WATCHDOG`] the processes in `pids` are killed and the test fails.
fn batch_with_watchdog(adapter: Subprocess, batch: Batch, pids: &Path) -> Vec<Outcome> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let outcomes = adapter.verify_batch(&batch.cases());
        drop(adapter);
        let _ = tx.send(outcomes);
    });
    rx.recv_timeout(WATCHDOG).unwrap_or_else(|_| {
        for pid in read_pids(pids) {
            let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
        }
        panic!("verify_batch still running after {WATCHDOG:?}")
    })
}

#[rstest]
#[case::protocol_1("ok")]
#[case::protocol_2("v2")]
#[case::protocol_3("v3")]
fn a_batch_answers_what_one_verify_per_case_answers(#[case] mode: &str) {
    let batch = Batch::mixed(200);
    let cases = batch.cases();
    let adapter = tiny(mode);
    let expected = one_by_one(&adapter, &cases);
    // The same process answers both (the rejections name its process ID), so they must agree
    // to the letter.
    let got = adapter.verify_batch(&cases);
    assert_eq!(got.len(), cases.len());
    assert_eq!(got, expected);
    let seen = kinds(&got);
    for kind in [
        OutcomeKind::Accept,
        OutcomeKind::Reject,
        OutcomeKind::ConfigError,
    ] {
        assert!(seen.contains(&kind), "{mode}: no {kind:?} in {seen:?}");
    }
    // Protocols 1 and 2 are not sent the schema-3 profiles.
    assert_eq!(
        seen.contains(&OutcomeKind::Skipped),
        mode != "v3",
        "{mode}: {seen:?}"
    );
}

#[test]
fn a_hardened_batch_answers_what_one_hardened_verify_per_case_answers() {
    let batch = Batch::of(60);
    let cases = batch.cases();
    let adapter = Hardened::new(tiny("v3"));
    let expected = one_by_one(&adapter, &cases);
    assert_eq!(adapter.verify_batch(&cases), expected);
    assert!(adapter.verify_batch(&[]).is_empty());
}

#[test]
fn cases_of_the_same_step_are_answered_each_in_its_place() {
    let batch = Batch::of(3);
    let all = batch.cases();
    let cases = [all[0], all[0], all[1], all[0], all[2], all[2]];
    let adapter = tiny("v3");
    let expected = one_by_one(&adapter, &cases);
    assert_eq!(adapter.verify_batch(&cases), expected);
}

/// tiny_adapter.py misbehaves on `signature/` vectors: a batch with two of them, apart, loses
/// those two and answers every other case as a well-behaved process does (the cases written
/// after a failure go to the restarted process).
#[rstest]
#[case::hang("hang", "timeout: no answer within 1s (adapter process restarted)")]
#[case::crash("crash", "tiny: dying on purpose")]
#[case::garbage("garbage", "protocol error: bad response line")]
fn a_failure_costs_its_case_and_the_rest_are_resent(#[case] mode: &str, #[case] why: &str) {
    let mut batch = Batch::of(30);
    let odd: Vec<usize> = batch
        .vectors
        .iter()
        .enumerate()
        .filter(|(_, v)| v.id.starts_with("signature/"))
        .map(|(i, _)| i)
        .collect();
    // Keep two of them, the others made harmless.
    let (kept, harmless) = odd.split_at(2);
    for &i in harmless {
        batch.vectors[i].id = format!("quiet/{i}");
    }
    let cases = batch.cases();
    let got = tiny(mode).verify_batch(&cases);
    let expected = one_by_one(&tiny("ok"), &cases);
    assert_eq!(got.len(), cases.len());
    for (i, (got, expected)) in got.iter().zip(&expected).enumerate() {
        if kept.contains(&i) {
            assert_eq!(got.kind(), OutcomeKind::AdapterError, "{i}: {got:?}");
            assert!(error(got).contains(why), "{i}: {got:?}");
            if mode == "hang" {
                assert!(error(got).starts_with("timeout:"), "{got:?}");
            }
        } else {
            assert_eq!(got.kind(), expected.kind(), "{i}: {got:?}");
        }
    }
}

/// What a hostile adapter's batch must come to.
#[derive(Debug)]
enum Expect {
    /// One case fails (the process dies on its second request, once), the rest are answered.
    OneFails(&'static str),
    /// Every case fails: the first [`BATCH_WEDGE_AFTER`] saying this, the rest as wedged.
    Wedged(&'static str),
}

#[rstest]
#[case::crashes_mid_run("crashes_mid_run.py", Expect::OneFails("dying on purpose"))]
#[case::wrong_id("wrong_id.py", Expect::Wedged("protocol error: answer for"))]
#[case::hangs_after_hello("hangs_after_hello.py", Expect::Wedged("timeout: no answer"))]
#[case::endless_line("endless_line.py", Expect::Wedged("a line longer than 1 MiB"))]
#[case::huge_error("huge_error.py", Expect::Wedged("a line longer than 1 MiB"))]
fn a_hostile_batch_is_bounded_classified_and_cleaned_up(
    #[case] file: &str,
    #[case] expect: Expect,
) {
    let work = common::temp_dir(&format!("pipeline-{file}"));
    let pids = work.join("pids");
    let n = 12;
    let got = batch_with_watchdog(hostile(file, &pids), Batch::of(n), &pids);
    let context = format!("{file}: {got:#?}");
    assert_eq!(got.len(), n, "{context}");
    for outcome in &got {
        assert!(!error(outcome).contains("eyJ"), "a token leaked: {context}");
    }
    match expect {
        Expect::OneFails(why) => {
            let failed: Vec<&Outcome> = got
                .iter()
                .filter(|o| o.kind() == OutcomeKind::AdapterError)
                .collect();
            assert_eq!(failed.len(), 1, "{context}");
            assert_eq!(got[1].kind(), OutcomeKind::AdapterError, "{context}");
            assert!(error(failed[0]).contains("exited"), "{context}");
            assert!(error(failed[0]).contains(why), "{context}");
            assert!(
                got.iter()
                    .all(|o| [OutcomeKind::AdapterError, OutcomeKind::Reject].contains(&o.kind())),
                "{context}"
            );
        }
        Expect::Wedged(why) => {
            for (i, outcome) in got.iter().enumerate() {
                assert_eq!(outcome.kind(), OutcomeKind::AdapterError, "{context}");
                let (said, what) = if i < BATCH_WEDGE_AFTER {
                    (error(outcome).contains(why), why)
                } else {
                    (error(outcome).starts_with("adapter wedged"), "wedged")
                };
                assert!(said, "case {i} does not say {what:?}: {context}");
            }
        }
    }
    let pids = read_pids(&pids);
    assert!(!pids.is_empty(), "the fixture never ran");
    assert_eq!(survivors(&pids), Vec::<i32>::new(), "{context}");
    std::fs::remove_dir_all(work).unwrap();
}

/// pairs_adapter.py answers only once it has read two requests: one `verify` waits for ever
/// (and times out), a batch is answered, never more than the window ahead.
#[test]
fn a_fixture_that_reads_ahead_is_answered_only_by_a_pipeline() {
    let batch = Batch::of(64);
    let cases = batch.cases();
    let adapter = python("pairs_adapter.py", &[]);
    let lock_step = adapter.verify(&cases[0]);
    assert!(error(&lock_step).starts_with("timeout:"), "{lock_step:?}");

    let got = adapter.verify_batch(&cases);
    assert_eq!(got.len(), cases.len());
    let mut most = 0;
    for outcome in &got {
        assert_eq!(outcome.kind(), OutcomeKind::Reject, "{outcome:?}");
        let ahead = error(outcome)
            .split("ahead ")
            .nth(1)
            .and_then(|n| n.trim_end_matches(')').parse::<usize>().ok())
            .expect("the fixture says how far ahead it read");
        most = most.max(ahead);
    }
    assert!((2..=PIPELINE_WINDOW).contains(&most), "{most}");
}

/// The byte budget holds per answer: an adapter that writes 1 MiB to stderr for each of ten
/// answers is answered; one that writes 6 MiB for each is cut off, and wedged. (The budget is
/// checked while an answer is awaited, so the fixture takes its time to answer.)
#[rstest]
#[case::within(1 << 20, None)]
#[case::beyond(6 << 20, Some("the adapter wrote more than 4 MiB for one case"))]
fn the_byte_budget_holds_for_each_answer(#[case] size: usize, #[case] why: Option<&str>) {
    let batch = Batch::of(10);
    let cases = batch.cases();
    let got = python("chatty_adapter.py", &[&size.to_string()]).verify_batch(&cases);
    assert_eq!(got.len(), cases.len());
    for (i, outcome) in got.iter().enumerate() {
        match why {
            None => assert_eq!(outcome.kind(), OutcomeKind::Reject, "{outcome:?}"),
            Some(why) if i < BATCH_WEDGE_AFTER => {
                assert!(error(outcome).starts_with(why), "{outcome:?}");
            }
            Some(_) => assert!(error(outcome).starts_with("adapter wedged"), "{outcome:?}"),
        }
    }
}

/// Measures one `verify` per case against one `verify_batch` of 2000 cases, with tiny_adapter.py
/// and with the shipped pyjwt adapter (when scripts/setup.sh has installed it). Prints the
/// figures; asserts only that both ways agree.
/// `cargo test -p conformance --test pipeline -- --ignored --nocapture measure`
#[test]
#[ignore = "a measurement, not a test"]
fn measure_lock_step_against_a_pipeline() {
    let batch = Batch::of(2000);
    let cases = batch.cases();
    let mut adapters: Vec<(&str, Arc<dyn Adapter>)> = vec![("tiny", Arc::new(tiny("v3")))];
    let root: PathBuf = conformance::adapters::project_root();
    match conformance::adapters::ShippedProcess::named("pyjwt")
        .unwrap()
        .build(&root)
    {
        Ok(pyjwt) => adapters.push(("pyjwt", Arc::new(pyjwt))),
        Err(e) => eprintln!("pyjwt not measured: {e}"),
    }
    // The runner's own share: writing the requests (reading the answers is smaller).
    let started = Instant::now();
    let bytes: usize = cases
        .iter()
        .map(|c| {
            conformance::adapters::protocol::request(c, 3)
                .to_string()
                .len()
        })
        .sum();
    eprintln!(
        "writing {} requests ({bytes} bytes): {:.2?}",
        cases.len(),
        started.elapsed()
    );
    for (name, adapter) in adapters {
        // Started before the clock runs, so that neither way pays for the interpreter.
        adapter.info();
        let started = Instant::now();
        let one = one_by_one(&*adapter, &cases);
        let lock_step = started.elapsed();
        let started = Instant::now();
        let batched = adapter.verify_batch(&cases);
        let pipelined = started.elapsed();
        assert_eq!(kinds(&one), kinds(&batched), "{name}");
        eprintln!(
            "{name}: {} cases: one verify per case {lock_step:.2?}, one verify_batch \
             {pipelined:.2?} ({:.1}x)",
            cases.len(),
            lock_step.as_secs_f64() / pipelined.as_secs_f64()
        );
    }
}

/// Every installed shipped subprocess adapter answers a pipelined batch of the corpus's
/// single-step vectors (those it declares, without live key sets or actions; at most 300 of
/// them) exactly as it answers them one by one: each reads its stdin line by line and answers
/// in order. Slow (it starts every adapter): run by hand after changing a protocol helper.
/// `cargo test -p conformance --test pipeline -- --ignored --nocapture shipped`
#[test]
#[ignore = "needs scripts/setup.sh and minutes"]
fn shipped_adapters_answer_a_batch_as_they_answer_one_by_one() {
    let root: PathBuf = conformance::adapters::project_root();
    let corpus = conformance::runner::Corpus::load(&root.join("vectors")).unwrap();
    let mut disagree = Vec::new();
    // PIPELINE_ONLY=name checks one adapter.
    let only = std::env::var("PIPELINE_ONLY").ok();
    for shipped in &conformance::adapters::SHIPPED_PROCESSES {
        if only.as_ref().is_some_and(|o| o != shipped.name) {
            continue;
        }
        let Ok(adapter) = shipped.build(&root) else {
            eprintln!("{}: not installed", shipped.name);
            continue;
        };
        let caps = adapter.info().capabilities;
        let vectors: Vec<Vector> = corpus
            .vectors
            .iter()
            .filter(|v| v.steps().len() == 1 && v.steps()[0].actions.is_empty())
            .filter(|v| !v.features.contains(&conformance::vector::Feature::KeyFetch))
            .filter(|v| caps.runs(v))
            .filter(|v| conformance::corpus::token_bytes(&v.steps()[0].token).is_ok())
            .take(300)
            .map(|v| (**v).clone())
            .collect();
        let batch = Batch::new(vectors);
        let cases = batch.cases_within(Duration::from_secs(10));
        let started = Instant::now();
        let one = one_by_one(&adapter, &cases);
        let lock_step = started.elapsed();
        let started = Instant::now();
        let got = adapter.verify_batch(&cases);
        let pipelined = started.elapsed();
        // A library whose answers vary from call to call (Crypt::JWT quotes the wall clock in
        // its expiry errors) is asked twice one by one: only a case it answers the same way
        // both times counts.
        let again = one_by_one(&adapter, &cases);
        let mut differ = 0;
        let mut unsteady = 0;
        for (((a, again), b), case) in one.iter().zip(&again).zip(&got).zip(&cases) {
            if a != again {
                unsteady += 1;
                eprintln!("  {}: unsteady: {a:?}\n  then {again:?}", case.id());
            } else if a != b {
                differ += 1;
                eprintln!("  {}: one by one {a:?}\n  batch {b:?}", case.id());
            }
        }
        eprintln!(
            "{}: {} cases, {differ} differ ({unsteady} answered differently by two one-by-one \
             runs); one by one {lock_step:.2?}, batch {pipelined:.2?}",
            shipped.name,
            cases.len()
        );
        if differ > 0 {
            disagree.push(shipped.name);
        }
    }
    assert!(disagree.is_empty(), "{disagree:?}");
}
