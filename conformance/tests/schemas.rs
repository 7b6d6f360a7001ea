//! The JSON Schemas of `docs/schemas/` against the real thing: the protocol traffic of the
//! shipped Python and Node adapters and of the version 1 test fixture, recorded on the pipes by
//! a wrapper (tests/fixtures/record.py), and JSON reports of real runs (the reference over the
//! whole corpus in-process, and every recorded run). Each schema also refuses a broken document,
//! so that a schema accepting anything cannot pass.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use conformance::adapter::{Case, LiveEndpoint};
use conformance::adapters::protocol::{PROTOCOL_VERSION, SUPPORTED_VERSIONS, request};
use conformance::adapters::{self, ShippedProcess, reference::Reference};
use conformance::live::Origins;
use conformance::report;
use conformance::report::Report;
use conformance::runner::{self, Corpus, RunOptions};
use rstest::rstest;
use serde_json::{Value, json};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn schema_json(name: &str) -> Value {
    read_json(&manifest().join("../docs/schemas").join(name))
}

fn validator(name: &str) -> jsonschema::Validator {
    let schema = schema_json(name);
    assert_eq!(
        schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "{name}"
    );
    jsonschema::draft202012::new(&schema).unwrap_or_else(|e| panic!("{name} compiles: {e}"))
}

/// Every violation, with where it is; a document is valid when this is empty.
fn violations(validator: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn assert_valid(validator: &jsonschema::Validator, what: &str, doc: &Value) {
    let errors = violations(validator, doc);
    assert!(errors.is_empty(), "{what}: {}", errors.join("; "));
}

fn corpus() -> &'static Corpus {
    static CORPUS: LazyLock<Corpus> =
        LazyLock::new(|| Corpus::load(&manifest().join("../vectors")).expect("vectors/"));
    &CORPUS
}

/// The corpus without the live key-set vectors, which wait real time between steps, but with
/// three of them, so that `key_fetch` requests and their answers are recorded too.
fn traffic_corpus() -> Corpus {
    let (mut rest, live) = runner::split_live(corpus());
    let sample = ["state/fetch-serves", "fetch/status-503", "fetch/jku-decoy"];
    let before = rest.vectors.len();
    rest.vectors.extend(
        live.vectors
            .into_iter()
            .filter(|v| sample.contains(&v.id.as_str())),
    );
    assert_eq!(
        rest.vectors.len(),
        before + sample.len(),
        "live sample vectors gone"
    );
    rest
}

/// What crossed the pipes in one run, and the run's report.
struct Recording {
    requests: Vec<Value>,
    /// The hello, then the responses.
    replies: Vec<Value>,
    report: Report,
}

/// The lines of a recorded file, parsed as the runner parses them: lone UTF-16 surrogate escapes
/// (which Python and JavaScript print for strings their parsers took) repaired, no depth limit
/// (claims of deeply nested payloads come back).
fn lines(path: &Path) -> Vec<Value> {
    use serde::Deserialize;
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .map(|(n, line)| {
            let repaired = conformance::adapters::protocol::repair_surrogates(line);
            let mut de = serde_json::Deserializer::from_str(&repaired);
            de.disable_recursion_limit();
            Value::deserialize(&mut de)
                .unwrap_or_else(|e| panic!("{} line {}: {e}", path.display(), n + 1))
        })
        .collect()
}

/// Runs `argv` over `corpus` through the recording wrapper, as an `exec:` adapter given as a
/// JSON array (the form that survives any path).
fn record(name: &str, argv: &[String], corpus: &Corpus) -> Recording {
    let log = common::temp_dir(&format!("traffic-{name}"));
    let mut command = vec![
        "python3".to_owned(),
        manifest()
            .join("tests/fixtures/record.py")
            .to_string_lossy()
            .into_owned(),
        log.to_string_lossy().into_owned(),
    ];
    command.extend_from_slice(argv);
    let spec = format!("exec:{}", serde_json::to_string(&command).unwrap());
    let adapter = adapters::build(&spec, &manifest()).expect("an exec adapter");
    let opts = RunOptions {
        timeout: Duration::from_secs(20),
        ..RunOptions::default()
    };
    let report = runner::run_quietly(adapter, corpus, &opts);
    let recording = Recording {
        requests: lines(&log.join("requests.jsonl")),
        replies: lines(&log.join("replies.jsonl")),
        report,
    };
    let _ = std::fs::remove_dir_all(&log);
    recording
}

/// The command that runs a shipped adapter (installed by scripts/setup.sh, as for every test).
fn shipped(name: &str) -> Vec<String> {
    let process = ShippedProcess::named(name).expect("a shipped subprocess adapter");
    process
        .argv(&manifest().join(".."))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The version 1 test fixture (tests/fixtures/tiny_adapter.py), over the small test corpus.
fn tiny_v1() -> Vec<String> {
    vec![
        "python3".to_owned(),
        manifest()
            .join("tests/fixtures/tiny_adapter.py")
            .to_string_lossy()
            .into_owned(),
        "ok".to_owned(),
        forge::baseline_token(),
    ]
}

#[test]
fn the_version_1_fixture_traffic_matches_the_schemas() {
    on_a_big_stack(|| {
        check_traffic("tiny", 1);
    });
}

/// Every shipped subprocess adapter, two at a time (each is a process the runner drives);
/// between them they answer every outcome a library can give.
#[test]
fn every_shipped_adapter_traffic_matches_the_schemas() {
    let names: Vec<&'static str> = adapters::SHIPPED_PROCESSES.iter().map(|p| p.name).collect();
    let mut failed = Vec::new();
    let mut outcomes = BTreeSet::new();
    for pair in names.chunks(2) {
        let runs: Vec<_> = pair
            .iter()
            .map(|&name| (name, big_stack_thread(move || check_traffic(name, 3))))
            .collect();
        for (name, thread) in runs {
            match thread.join() {
                Ok(answered) => outcomes.extend(answered),
                Err(_) => failed.push(name),
            }
        }
    }
    assert!(failed.is_empty(), "traffic off the schemas: {failed:?}");
    for outcome in ["accept", "reject", "config_error", "skipped"] {
        assert!(outcomes.contains(outcome), "no {outcome} in {outcomes:?}");
    }
}

/// Runs `f` on a thread with a deep stack: the corpus has payloads nested thousands deep that
/// lax libraries accept and hand back, and parsing, validating or dropping those claims
/// recurses once per level.
fn on_a_big_stack(f: impl FnOnce() + Send + 'static) {
    if let Err(panic) = big_stack_thread(f).join() {
        std::panic::resume_unwind(panic);
    }
}

/// `f` on a thread of its own with a 256 MiB stack (see [`on_a_big_stack`]).
fn big_stack_thread<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> std::thread::JoinHandle<T> {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .expect("a thread")
}

/// Checks one adapter's recorded traffic and report; returns the outcomes it answered.
fn check_traffic(name: &str, version: u64) -> BTreeSet<String> {
    let (argv, corpus) = match name {
        "tiny" => (tiny_v1(), common::corpus()),
        shipped_name => (shipped(shipped_name), traffic_corpus()),
    };
    let run = record(name, &argv, &corpus);
    // A process that crashed or hung is replaced by a fresh one, whose hello is in the replies
    // too: the request it was given up on has no answer.
    let (hellos, responses): (Vec<&Value>, Vec<&Value>) = run
        .replies
        .iter()
        .partition(|r| r.get("protocol").is_some());
    assert!(!hellos.is_empty(), "a hello line");
    for hello in &hellos {
        assert_valid(&validator("adapter-hello.schema.json"), "hello", hello);
        assert_eq!(hello["version"], version, "{hello}");
    }

    let requests = validator("adapter-request.schema.json");
    let responses_schema = validator("adapter-response.schema.json");
    // Every vector the adapter can express was sent, and every request answered but those
    // the runner gave up on, one per fresh process.
    let run_count = run.report.summary.total.run();
    assert!(run_count > 0 && run.requests.len() >= run_count);
    let mut answers = responses.iter().copied().peekable();
    let mut given_up = 0;
    for request in &run.requests {
        let id = request["id"].as_str().unwrap_or("?");
        assert_valid(&requests, &format!("request for {id}"), request);
        assert_eq!(request["version"], version, "{id}");
        if version >= 2 {
            // `jwks` is the last-wins parse of the key set's bytes (null when they are not
            // UTF-8 JSON: a raw key set in another encoding).
            let bytes = STANDARD
                .decode(request["jwks_base64"].as_str().unwrap())
                .unwrap();
            assert_eq!(
                serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null),
                request["jwks"],
                "{id}"
            );
        }
        match answers.next_if(|r| (&r["id"], &r["step"]) == (&request["id"], &request["step"])) {
            Some(response) => {
                assert_valid(&responses_schema, &format!("response for {id}"), response);
            }
            None => given_up += 1,
        }
    }
    assert!(answers.next().is_none(), "{name}: an answer to no request");
    assert_eq!(given_up, hellos.len() - 1, "{name}: unanswered requests");
    // What the shipped adapters answer covers the outcomes their libraries can give.
    let outcomes: BTreeSet<String> = responses
        .iter()
        .filter_map(|r| r["outcome"].as_str().map(str::to_owned))
        .collect();
    // Key-set refusals come from the libraries that load key sets up front: the caller checks
    // that some adapter gave one.
    for outcome in ["accept", "reject"] {
        assert!(
            outcomes.contains(outcome),
            "{name}: no {outcome} in {outcomes:?}"
        );
    }
    assert_valid(
        &validator("report.schema.json"),
        "report",
        &serde_json::from_str(&report::json::render(&[run.report])).unwrap(),
    );
    outcomes
}

/// Every request the runner would send for the whole corpus, in each version: the shipped
/// adapters lack the stateful features, so store actions and key-endpoint behaviours reach the
/// schema only this way.
#[test]
fn requests_for_every_step_of_the_corpus_match_the_schema() {
    let schema = validator(REQUEST);
    let mut checked = 0;
    for vector in &corpus().vectors {
        // A live vector as the runner sends it: placeholders filled, tokens signed.
        let vector = &conformance::live::instantiate(vector, &Origins::in_memory()).expect("signs");
        let live = conformance::live::is_live(vector).then(|| LiveEndpoint {
            issuer: Origins::in_memory().issuer,
            jwks_uri: format!("{}/jwks.json", Origins::in_memory().issuer),
            discovery: false,
            ca_file: "/tmp/ca.pem".into(),
            ttl_ms: 2000,
            refetch_interval_ms: 2000,
            timeout_ms: 1000,
            ca_pem: String::new(),
        });
        for (i, step) in vector.steps().iter().enumerate() {
            let Ok(token) = conformance::corpus::token_bytes(&step.token) else {
                continue;
            };
            let case = Case {
                live: live.as_ref(),
                vector,
                step: i,
                token: &token,
                jwks: &vector.jwks,
                profile: &vector.profile,
                now: step.now,
                actions: &step.actions,
                timeout: Duration::from_secs(10),
            };
            for version in SUPPORTED_VERSIONS {
                let what = format!("{} step {i}, version {version}", vector.id);
                assert_valid(&schema, &what, &request(&case, version));
                checked += 1;
            }
        }
    }
    assert!(checked > 1200, "{checked}");
}

#[test]
fn reports_of_the_reference_run_match_the_report_schema() {
    let report = runner::run_quietly(Arc::new(Reference::new()), corpus(), &RunOptions::default());
    assert!(report.passed());
    assert!(report.results.iter().any(|r| !r.steps.is_empty()));
    let schema = validator("report.schema.json");
    let one: Value =
        serde_json::from_str(&report::json::render(std::slice::from_ref(&report))).unwrap();
    assert_valid(&schema, "one report", &one);
    let several: Value = serde_json::from_str(&report::json::render(&[
        report.clone(),
        common::report_of("hand-made", false, vec![]),
    ]))
    .unwrap();
    assert_valid(&schema, "several reports", &several);
    // A failing, skipping run has the optional members too (impact, actual absent, …).
    let failing = accepting_everything();
    assert!(failing.results.iter().any(|r| r.impact.is_some()));
    let failing: Value = serde_json::from_str(&report::json::render(&[failing])).unwrap();
    assert_valid(&schema, "a failing report", &failing);
}

/// A run over the test corpus of an adapter that accepts every token: failures of every kind.
fn accepting_everything() -> Report {
    runner::run_quietly(
        Arc::new(common::Scripted::new(
            false,
            vec![conformance::adapter::Outcome::Accept { claims: json!({}) }],
        )),
        &common::corpus(),
        &RunOptions::default(),
    )
}

/// A failing run and an adapter that is not installed, their baseline, and a gate over them
/// with one entry dropped (a new failure), one added for a vector that passes (better than the
/// baseline says), and one vector that ran then and is skipped now (coverage lost).
fn gate_documents() -> (Value, Value) {
    use conformance::gate::{Baseline, Entry, FailOn, Gate};
    let failing = accepting_everything();
    let missing = runner::unavailable("missing", "not installed", &common::corpus());
    let mut baseline = Baseline::of(&[failing.clone(), missing.clone()]);
    assert!(baseline.failures.len() > 2);
    baseline.failures.remove(0);
    baseline.failures.push(Entry {
        adapter: failing.header.adapter.clone(),
        vector: "accept/baseline".to_owned(),
        result: conformance::judge::TestResult::Fail,
        severity: conformance::vector::Severity::Must,
        impact: Some(conformance::impact::Impact::FalseReject),
    });
    let mut now = failing;
    let skipped = runner::unavailable("scripted", "gone", &common::corpus()).results;
    *now.results.last_mut().unwrap() = skipped.last().unwrap().clone();
    now.summary = conformance::judge::Summary::of(&now.results);
    let reports = [now, missing];
    let gate = Gate::judge(FailOn::Profile, &reports, Some(&baseline));
    assert!(!gate.passed() && !gate.fixed.is_empty());
    (
        serde_json::from_str(&baseline.to_json()).unwrap(),
        serde_json::from_str(&gate.to_json()).unwrap(),
    )
}

#[test]
fn baselines_and_gate_decisions_match_their_schemas() {
    let (baseline, gate) = gate_documents();
    assert_valid(&validator(BASELINE), "a baseline", &baseline);
    assert_valid(&validator(GATE), "a gate decision", &gate);
    assert_eq!(gate["new"].as_array().unwrap().len(), 1, "{gate}");
    assert_eq!(gate["better"][0]["vector"], "accept/baseline", "{gate}");
    assert_eq!(gate["coverage_lost"].as_array().unwrap().len(), 1, "{gate}");
    let vectors = common::corpus().vectors.len();
    assert_eq!(
        gate["skipped"]["adapter_unavailable"],
        vectors + 1,
        "{gate}"
    );
}

const HELLO: &str = "adapter-hello.schema.json";
const REQUEST: &str = "adapter-request.schema.json";
const RESPONSE: &str = "adapter-response.schema.json";
const REPORT: &str = "report.schema.json";
const BASELINE: &str = "baseline.schema.json";
const GATE: &str = "gate.schema.json";

fn remove(v: &mut Value, member: &str) {
    v.as_object_mut().unwrap().remove(member);
}

#[rstest]
#[case::hello_version(HELLO, "version 4", |v: &mut Value| v["version"] = json!(4))]
#[case::hello_algorithm(HELLO, "unknown algorithm", |v: &mut Value| v["algorithms"] = json!(["RS1"]))]
#[case::hello_alg_none(HELLO, "algorithm none", |v: &mut Value| v["algorithms"] = json!(["none"]))]
#[case::hello_no_algorithm(HELLO, "an empty algorithm list", |v: &mut Value| v["algorithms"] = json!([]))]
#[case::hello_preset(HELLO, "unknown preset", |v: &mut Value| v["presets"] = json!(["saml"]))]
#[case::hello_v2_algorithms(HELLO, "algorithms in version 2", |v: &mut Value| v["version"] = json!(2))]
#[case::request_v3_bytes(REQUEST, "version 3 without bytes", |v: &mut Value| { v["version"] = json!(3); remove(v, "jwks_base64"); })]
#[case::request_algorithm(REQUEST, "an unknown profile algorithm", |v: &mut Value| v["profile"]["algorithms"] = json!(["none"]))]
#[case::request_preset(REQUEST, "an unknown preset", |v: &mut Value| v["profile"]["preset"] = json!("saml"))]
#[case::report_algorithms(REPORT, "no algorithms capability", |v: &mut Value| remove(&mut v["header"]["capabilities"], "algorithms"))]
#[case::report_preset(REPORT, "an unknown preset capability", |v: &mut Value| v["header"]["capabilities"]["presets"] = json!(["saml"]))]
#[case::hello_feature(HELLO, "unknown feature", |v: &mut Value| v["features"] = json!(["x"]))]
#[case::hello_v1_claims(HELLO, "claims in version 1", |v: &mut Value| {
    v["version"] = json!(1);
    remove(v, "algorithms");
    remove(v, "presets");
})]
#[case::hello_member(HELLO, "unknown member", |v: &mut Value| v["surprise"] = json!(1))]
#[case::hello_name(HELLO, "no name", |v: &mut Value| remove(v, "name"))]
#[case::request_v2_bytes(REQUEST, "version 2 without bytes", |v: &mut Value| {
    v["version"] = json!(2);
    remove(v, "jwks_base64");
})]
#[case::request_v1_bytes(REQUEST, "version 1 with bytes", |v: &mut Value| v["version"] = json!(1))]
#[case::request_b64(REQUEST, "base64url token bytes", |v: &mut Value| v["token_b64"] = json!("a-b_"))]
#[case::request_profile(REQUEST, "unknown profile member", |v: &mut Value| v["profile"]["x"] = json!(1))]
#[case::request_action(REQUEST, "unknown action", |v: &mut Value| v["actions"] = json!([{"op": "x"}]))]
#[case::response_outcome(RESPONSE, "unknown outcome", |v: &mut Value| v["outcome"] = json!("maybe"))]
#[case::response_claims(RESPONSE, "accept without claims", |v: &mut Value| remove(v, "claims"))]
#[case::response_member(RESPONSE, "error on an accept", |v: &mut Value| v["error"] = json!("x"))]
#[case::response_reject(RESPONSE, "reject without error", |v: &mut Value| v["outcome"] = json!("reject"))]
#[case::report_reason(REPORT, "the old reason member", |v: &mut Value| v["results"][0]["reason"] = json!("match"))]
#[case::report_result(REPORT, "unknown result", |v: &mut Value| v["results"][0]["result"] = json!("ok"))]
#[case::report_tally(REPORT, "unknown tally member", |v: &mut Value| v["summary"]["total"]["x"] = json!(0))]
#[case::report_claims(REPORT, "no claims capability", |v: &mut Value| remove(&mut v["header"]["capabilities"], "claims"))]
#[case::baseline_version(BASELINE, "another version", |v: &mut Value| v["baseline_version"] = json!(3))]
#[case::baseline_v1_coverage(BASELINE, "coverage in version 1", |v: &mut Value| v["baseline_version"] = json!(1))]
#[case::baseline_no_coverage(BASELINE, "version 2 without coverage", |v: &mut Value| remove(v, "coverage"))]
#[case::baseline_skip_cause(BASELINE, "an unknown skip cause", |v: &mut Value| v["coverage"][0]["skipped"][0]["cause"] = json!("bored"))]
#[case::report_skip_cause(REPORT, "a skip without its cause", |v: &mut Value| remove(&mut v["results"][6], "skip_cause"))]
#[case::report_cause_on_a_run(REPORT, "a cause on a vector that ran", |v: &mut Value| v["results"][0]["skip_cause"] = json!("library_limit"))]
#[case::gate_coverage(GATE, "no coverage_lost", |v: &mut Value| remove(v, "coverage_lost"))]
#[case::gate_skipped(GATE, "an unknown skip cause", |v: &mut Value| v["skipped"]["bored"] = json!(1))]
#[case::baseline_result(BASELINE, "a passing entry", |v: &mut Value| v["failures"][0]["result"] = json!("pass"))]
#[case::baseline_member(BASELINE, "unknown entry member", |v: &mut Value| v["failures"][0]["x"] = json!(1))]
#[case::gate_level(GATE, "unknown level", |v: &mut Value| v["fail_on"] = json!("some"))]
#[case::gate_passed(GATE, "no passed", |v: &mut Value| remove(v, "passed"))]
#[case::gate_new(GATE, "a new failure without its vector", |v: &mut Value| remove(&mut v["new"][0], "vector"))]
fn the_schemas_refuse_broken_documents(
    #[case] schema: &str,
    #[case] what: &str,
    #[case] break_it: fn(&mut Value),
) {
    let mut doc = valid_example(schema);
    let validator = validator(schema);
    assert_valid(&validator, "the valid example", &doc);
    break_it(&mut doc);
    assert!(
        !violations(&validator, &doc).is_empty(),
        "{schema} accepts: {what}"
    );
}

/// A valid document of each schema, made by the code that makes the real ones.
fn valid_example(schema: &str) -> Value {
    use conformance::adapters::protocol::{Hello, PROTOCOL};
    match schema {
        HELLO => serde_json::to_value(Hello {
            protocol: PROTOCOL.to_owned(),
            version: PROTOCOL_VERSION,
            name: "x".to_owned(),
            library: "x".to_owned(),
            library_version: "1".to_owned(),
            features: vec![conformance::vector::Feature::Clock],
            exact: false,
            claims: true,
            algorithms: Some(vec![verifier::Algorithm::ES256, verifier::Algorithm::RS256]),
            presets: Some(vec![verifier::Preset::Rfc9068]),
            notes: vec![],
        })
        .unwrap(),
        REQUEST => common::first_request(&common::vectors()[0], PROTOCOL_VERSION),
        "adapter-response.schema.json" => {
            json!({"id": "a/b", "step": 0, "outcome": "accept", "claims": {}})
        }
        "report.schema.json" => {
            let mut run = runner::run_quietly(
                Arc::new(common::Scripted::new(
                    false,
                    vec![conformance::adapter::Outcome::reject("no")],
                )),
                &common::corpus(),
                &RunOptions::default(),
            );
            // The last vector skipped, as for an adapter that is not installed: a skip and its
            // cause are in the example too.
            let mut unavailable = runner::unavailable("x", "not installed", &common::corpus());
            *run.results.last_mut().unwrap() = unavailable.results.pop().unwrap();
            run.summary = conformance::judge::Summary::of(&run.results);
            serde_json::from_str(&report::json::render(&[run])).unwrap()
        }
        BASELINE => gate_documents().0,
        GATE => gate_documents().1,
        other => unreachable!("{other}"),
    }
}

/// The request schema's profile, action and feature definitions are copies of the vector
/// schema's (self-contained schemas are easier to use); they must not drift apart.
#[rstest]
fn the_request_schema_shares_the_vector_definitions(
    #[values("profile", "action", "endpoint", "feature")] name: &str,
) {
    let vectors = read_json(&manifest().join("../vectors/schema.json"));
    assert_eq!(
        schema_json("adapter-request.schema.json")["$defs"][name],
        vectors["$defs"][name],
        "{name}"
    );
    assert_eq!(
        schema_json("report.schema.json")["$defs"]["feature"],
        vectors["$defs"]["feature"]
    );
}

/// The baseline and gate schemas copy the report schema's outcome definitions.
#[rstest]
fn the_gate_schemas_share_the_report_definitions(
    #[values(
        (BASELINE, "severity"),
        (BASELINE, "impact"),
        (GATE, "severity"),
        (GATE, "impact"),
        (GATE, "expected"),
        (GATE, "observed"),
        (BASELINE, "skip_cause"),
        (GATE, "skip_cause")
    )]
    copy: (&str, &str),
) {
    let (schema, name) = copy;
    assert_eq!(
        schema_json(schema)["$defs"][name],
        schema_json(REPORT)["$defs"][name],
        "{schema}: {name}"
    );
    assert_eq!(
        schema_json(GATE)["$defs"]["entry"],
        schema_json(BASELINE)["$defs"]["entry"]
    );
}
