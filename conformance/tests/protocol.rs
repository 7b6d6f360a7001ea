//! Subprocess protocol versions 2 and 3 and what came with them: hellos of every version,
//! requests in the adapter's version (key-set bytes from version 2), the algorithms and presets
//! a version 3 hello declares, claims compared for every adapter that says it returns them, and
//! `exec:` commands with quotes, spaces and commas.

mod common;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use conformance::adapter::{Adapter, AdapterInfo, Capabilities, Case, Outcome};
use conformance::adapters::protocol::{Hello, PROTOCOL_VERSION, parse_response};
use conformance::adapters::{self, subprocess::Subprocess};
use conformance::impact::Impact;
use conformance::judge::{TestResult, same_json};
use conformance::report::{Report, VectorResult};
use conformance::runner::{self, RunOptions};
use rstest::rstest;
use serde_json::{Value, json};
use verifier::Algorithm::{self, ES256, EdDSA, HS256, RS256};
use verifier::Preset::{self, Jwt, OidcIdToken, Rfc9068};

fn hello(version: u32, extra: Value) -> String {
    let mut hello = json!({
        "protocol": "jwt-conformance-adapter", "version": version, "name": "x",
        "library": "x (Test)", "library_version": "1", "features": ["clock"],
    });
    hello
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    hello.to_string()
}

#[rstest]
#[case::v1(1, json!({}), false)]
#[case::v1_cannot_claim(1, json!({"claims": true}), false)]
#[case::v2(2, json!({}), false)]
#[case::v2_claims(2, json!({"claims": true}), true)]
fn both_versions_greet_and_only_version_2_returns_claims(
    #[case] version: u32,
    #[case] extra: Value,
    #[case] claims: bool,
) {
    let hello = Hello::parse(&hello(version, extra)).unwrap();
    assert_eq!(hello.version, version);
    let caps = hello.info().capabilities;
    assert_eq!((caps.claims, caps.compares_claims()), (claims, claims));
    assert!(caps.supports(conformance::vector::Feature::Clock));
}

/// What a hello declares beyond features: algorithms and presets from version 3 on (absent:
/// ES256 under rfc9068, what every older adapter ran); an older hello's are ignored.
#[rstest]
#[case::v2_default(2, json!({}), &[ES256], &[Rfc9068])]
#[case::v2_ignored(2, json!({"algorithms": ["RS256"], "presets": ["jwt"]}), &[ES256], &[Rfc9068])]
#[case::v3_default(3, json!({}), &[ES256], &[Rfc9068])]
#[case::v3_algorithms(3, json!({"algorithms": ["RS256", "EdDSA"]}), &[RS256, EdDSA], &[Rfc9068])]
#[case::v3_presets(
    3,
    json!({"algorithms": ["HS256"], "presets": ["jwt", "oidc-id-token"]}),
    &[HS256],
    &[Jwt, OidcIdToken]
)]
fn version_3_declares_algorithms_and_presets(
    #[case] version: u32,
    #[case] extra: Value,
    #[case] algorithms: &[Algorithm],
    #[case] presets: &[Preset],
) {
    let caps = Hello::parse(&hello(version, extra))
        .unwrap()
        .info()
        .capabilities;
    assert_eq!(caps.algorithms, algorithms.iter().copied().collect());
    assert_eq!(caps.presets, presets.iter().copied().collect());
    assert!(caps.supports(conformance::vector::Feature::Clock));
}

#[rstest]
#[case::unknown_version(hello(4, json!({})), "version 4")]
#[case::unknown_algorithm(hello(3, json!({"algorithms": ["ES256", "RS1"]})), "bad hello")]
#[case::alg_none(hello(3, json!({"algorithms": ["none"]})), "bad hello")]
#[case::unknown_preset(hello(3, json!({"presets": ["saml"]})), "bad hello")]
#[case::no_algorithm(hello(3, json!({"algorithms": []})), "bad hello")]
#[case::no_preset(hello(3, json!({"presets": []})), "bad hello")]
#[case::other_protocol(hello(2, json!({"protocol": "other"})), "other")]
#[case::unknown_feature(hello(2, json!({"features": ["teleport"]})), "bad hello")]
#[case::no_name(r#"{"protocol": "jwt-conformance-adapter", "version": 2}"#.to_owned(), "bad hello")]
#[case::huge_junk(format!("{{\"name\": \"{}", "x".repeat(1 << 20)), "bad hello")]
#[case::huge_feature(hello(2, json!({"features": ["y".repeat(1 << 20)]})), "bad hello")]
fn bad_hellos_are_refused_in_one_short_line(#[case] line: String, #[case] says: &str) {
    let error = Hello::parse(&line).unwrap_err();
    assert!(error.contains(says), "{error}");
    assert!(
        error.len() < 1000 && !error.contains('\n'),
        "{}",
        error.len()
    );
}

#[test]
fn a_bad_response_is_quoted_short() {
    let error = parse_response(&"z".repeat(1 << 20)).unwrap_err();
    assert!(error.starts_with("protocol error"), "{error}");
    assert!(error.len() < 1000, "{}", error.len());
}

#[rstest]
#[case::v1(1)]
#[case::v2(2)]
#[case::v3(3)]
fn requests_are_written_in_the_adapters_version(#[case] version: u32) {
    let vectors = common::vectors();
    let vector = &vectors[0];
    let line = common::first_request(vector, version);
    assert_eq!(line["version"], version);
    assert_eq!(line["jwks"], vector.jwks);
    match version {
        1 => assert!(line.get("jwks_base64").is_none(), "{line}"),
        _ => {
            let bytes = STANDARD
                .decode(line["jwks_base64"].as_str().unwrap())
                .unwrap();
            assert_eq!(bytes, serde_json::to_vec(&vector.jwks).unwrap());
        }
    }
    assert_eq!(PROTOCOL_VERSION, 3);
}

#[test]
fn a_key_set_kept_as_bytes_reaches_the_adapter_byte_for_byte() {
    let mut vector = common::vectors().remove(0);
    let exact = br#"{"keys":[],"keys":[]}"#;
    vector.jwks_base64 = Some(STANDARD.encode(exact));
    let line = common::first_request(&vector, 2);
    let sent = STANDARD
        .decode(line["jwks_base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(sent, exact);
}

/// An adapter that accepts every token with these claims.
struct Accepts {
    caps: Capabilities,
    claims: Value,
}

impl Adapter for Accepts {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "accepts".into(),
            library: "accepts".into(),
            version: "0".into(),
            capabilities: self.caps.clone(),
            notes: vec![],
        }
    }

    fn verify(&self, _: &Case<'_>) -> Outcome {
        Outcome::Accept {
            claims: self.claims.clone(),
        }
    }
}

/// The expected claims of `accept/baseline`, changed by `edit`.
fn claims_with(edit: fn(&mut Value)) -> Value {
    let mut claims = forge::claims();
    edit(&mut claims);
    claims
}

fn caps(exact: bool, claims: bool) -> Capabilities {
    Capabilities {
        exact,
        claims,
        ..Capabilities::new([])
    }
}

#[rstest]
#[case::not_compared(caps(false, false), claims_with(|c| c["sub"] = json!("eve")), None)]
#[case::same(caps(false, true), claims_with(|_| {}), None)]
#[case::other_subject(caps(false, true), claims_with(|c| c["sub"] = json!("eve")), Some("sub"))]
#[case::missing(
    caps(false, true),
    claims_with(|c| { c.as_object_mut().unwrap().remove("jti"); }),
    Some("jti (missing)")
)]
#[case::extra(caps(false, true), claims_with(|c| c["admin"] = json!(true)), Some("admin (extra)"))]
#[case::exp_as_double(caps(false, true), claims_with(|c| c["exp"] = json!(4102444800.0)), None)]
#[case::exp_off_by_one(caps(false, true), claims_with(|c| c["exp"] = json!(4102444801u64)), Some("exp"))]
#[case::exact_exp_as_double(caps(true, false), claims_with(|c| c["exp"] = json!(4102444800.0)), Some("exp"))]
#[case::not_an_object(caps(false, true), json!(null), Some("not a JSON object"))]
fn claims_are_compared_for_every_adapter_that_returns_them(
    #[case] caps: Capabilities,
    #[case] claims: Value,
    #[case] differ: Option<&str>,
) {
    assert_eq!(forge::claims()["exp"], json!(4102444800u64));
    let corpus = common::corpus().filtered(Some("accept/baseline"));
    let report = runner::run_quietly(
        Arc::new(Accepts { caps, claims }),
        &corpus,
        &RunOptions::default(),
    );
    let r = &report.results[0];
    match differ {
        None => assert_eq!(r.result, TestResult::Pass, "{}", r.detail),
        Some(members) => {
            assert_eq!(
                (r.result, r.impact),
                (TestResult::Fail, Some(Impact::ReasonMismatch)),
                "{}",
                r.detail
            );
            assert!(
                r.detail
                    .contains(&format!("differ from the expected ones ({members})")),
                "{}",
                r.detail
            );
        }
    }
}

#[rstest]
#[case::int_and_double(json!(1000), json!(1000.0), true)]
#[case::exponent(json!(1e3), json!(1000u64), true)]
#[case::negative_zero(json!(-0.0), json!(0), true)]
#[case::member_order(json!({"a": 1, "b": [2.0]}), json!({"b": [2], "a": 1.0}), true)]
#[case::i64_max_as_double(json!(i64::MAX), json!(9223372036854775808.0), false)]
#[case::i64_max_rounded(json!(i64::MAX), json!(9223372036854776000u64), false)]
#[case::fraction(json!(1), json!(1.5), false)]
#[case::string_number(json!(1), json!("1"), false)]
#[case::array_length(json!([1]), json!([1, 1]), false)]
#[case::object_member(json!({"a": 1}), json!({"a": 1, "b": 1}), false)]
fn claims_are_equal_in_the_json_data_model(#[case] a: Value, #[case] b: Value, #[case] same: bool) {
    assert_eq!((same_json(&a, &b), same_json(&b, &a)), (same, same));
}

fn tiny(args: &[&str]) -> Subprocess {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny_adapter.py");
    let mut argv = vec![script.to_string_lossy().into_owned()];
    argv.extend(args.iter().map(|s| (*s).to_owned()));
    Subprocess::new("tiny", "python3", argv, None)
}

fn run(adapter: Arc<dyn Adapter>) -> Report {
    let opts = RunOptions {
        timeout: Duration::from_secs(5),
        ..RunOptions::default()
    };
    runner::run_quietly(adapter, &common::corpus(), &opts)
}

fn result<'a>(report: &'a Report, id: &str) -> &'a VectorResult {
    report.results.iter().find(|r| r.id == id).unwrap()
}

/// The fixture in version 2 checks every request's key-set bytes, and says it returns claims:
/// its claims are not the token's, so its one acceptance fails on them, and nothing else does.
#[test]
fn a_version_2_adapter_gets_key_set_bytes_and_its_claims_compared() {
    let report = run(Arc::new(tiny(&["v2", &forge::baseline_token()])));
    assert!(report.header.capabilities.claims);
    let accepted = result(&report, "accept/baseline");
    assert_eq!(
        (accepted.result, accepted.impact),
        (TestResult::Fail, Some(Impact::ReasonMismatch)),
        "{}",
        accepted.detail
    );
    assert!(
        accepted.detail.contains("pid (extra)"),
        "{}",
        accepted.detail
    );
    assert_eq!(result(&report, "jwks/private-d").result, TestResult::Pass);
    let t = report.summary.total;
    assert_eq!((t.pass, t.fail, t.skip, t.errors), (5, 1, 1, 0));
}

/// `exec:` as a quoted command line and as a JSON array, with a script whose path holds a
/// space, a comma and a quote: the run is the same as with the plain fixture.
#[rstest]
#[case::quoted(|script: &str, token: &str| {
    format!("exec:python3 {} ok {token}", shlex::try_quote(script).unwrap())
})]
#[case::json(|script: &str, token: &str| {
    format!("exec:{}", json!(["python3", script, "ok", token]))
})]
fn exec_commands_take_quoted_paths(#[case] spec: fn(&str, &str) -> String) {
    let dir = common::temp_dir("exec").join("a dir, with 'quotes' and spaces");
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("tiny adapter.py");
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny_adapter.py");
    std::fs::copy(fixture, &script).unwrap();
    let spec = spec(&script.to_string_lossy(), &forge::baseline_token());
    let names = adapters::parse_list(&format!("reference,{spec}"));
    assert_eq!(names, ["reference", spec.as_str()]);
    let adapter = adapters::build(&names[1], &adapters::project_root()).unwrap();
    let report = run(adapter);
    assert_eq!(report.header.library, "tiny (Python)");
    let t = report.summary.total;
    assert_eq!((t.pass, t.fail, t.skip, t.errors), (6, 0, 1, 0));
}

/// Version 3 speaks as version 2 does (the fixture asserts every request's version and key-set
/// bytes) and its declaration reaches the report.
#[test]
fn a_version_3_adapter_runs_as_version_2_with_its_declaration() {
    let report = run(Arc::new(tiny(&["v3", &forge::baseline_token()])));
    let caps = &report.header.capabilities;
    assert_eq!(caps.algorithms, [ES256, RS256].into());
    assert_eq!(caps.presets, [Rfc9068, Jwt].into());
    let t = report.summary.total;
    assert_eq!((t.pass, t.fail, t.skip, t.errors), (5, 1, 1, 0));
}

/// An algorithm name no runner knows is a setup error, like an unknown feature: every vector
/// is reported `adapter_broken`, with the reason.
#[test]
fn a_hello_with_an_unknown_algorithm_breaks_the_adapter() {
    let report = run(Arc::new(tiny(&["v3-rs1", &forge::baseline_token()])));
    assert_eq!(report.header.library, "unavailable");
    assert!(report.broken().is_some());
    let r = result(&report, "accept/baseline");
    assert!(r.adapter_error, "{}", r.detail);
    assert!(r.detail.contains("bad hello"), "{}", r.detail);
}

/// An adapter of protocol 1 or 2 is never sent a profile with members of vector schema 3, even
/// one of the rfc9068 preset and ES256 (it would misread `typ: null`): it is skipped instead.
#[rstest]
#[case::v1("ok", true)]
#[case::v2("v2", true)]
#[case::v3("v3", false)]
fn older_adapters_are_not_sent_profiles_of_schema_3(#[case] mode: &str, #[case] skipped: bool) {
    let mut vector = common::vectors().remove(0);
    vector.profile.typ = None;
    let adapter = tiny(&[mode, &forge::baseline_token()]);
    let token = forge::baseline_token();
    let case = Case {
        vector: &vector,
        step: 0,
        token: token.as_bytes(),
        jwks: &vector.jwks,
        profile: &vector.profile,
        now: forge::NOW,
        actions: &[],
        live: None,
        timeout: Duration::from_secs(5),
    };
    let outcome = adapter.verify(&case);
    assert_eq!(
        matches!(&outcome, Outcome::Skipped { why } if why.contains("schema 3")),
        skipped,
        "{outcome:?}"
    );
}
