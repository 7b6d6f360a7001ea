//! The protocol helpers' shared fixture, `adapters/fixtures/protocol.json`, against the runner
//! and the reference verifier. The tests of all eight helpers (Python, Node, Go, C, Ruby, Perl,
//! Erlang, Haskell) read that file; these tests make sure it says what the runner does:
//!
//! - each request `line` is what `protocol::request` writes for its `source` (a vector, a step,
//!   the adapter's version, the timeout and the live endpoint), and its `decoded` fields are
//!   what the runner means by it (the token's and key set's exact bytes, and so on);
//! - the broken requests and garbled lines are lines the runner never writes;
//! - the `alg` and missing-claim tables give the reason the reference verifier gives;
//! - every response is a line the runner reads back as that outcome.
//!
//! `JWT_CONFORMANCE_BLESS=1 cargo test -p conformance --test helper_fixture` rewrites the
//! generated members (`line`, `decoded`) from the sources instead of checking them.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use conformance::adapter::{Case, LiveEndpoint};
use conformance::adapters::protocol::{Hello, SUPPORTED_VERSIONS, parse_response, request};
use conformance::outcome::Outcome;
use conformance::vector::Vector;
use serde_json::{Map, Value, json};
use verifier::{KeySet, Profile, Reason, Verifier};

fn fixture_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../adapters/fixtures/protocol.json")
}

fn fixture() -> Value {
    let text = std::fs::read_to_string(fixture_path()).expect("adapters/fixtures/protocol.json");
    serde_json::from_str(&text).expect("the fixture is JSON")
}

fn validator(name: &str) -> jsonschema::Validator {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../docs/schemas")
        .join(name);
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::draft202012::new(&schema).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn cases<'a>(fixture: &'a Value, section: &str) -> &'a Vec<Value> {
    fixture[section]
        .as_array()
        .unwrap_or_else(|| panic!("no {section}"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The request line the runner writes for a fixture source, and the fields a helper must
/// decode from it.
fn generate(source: &Value) -> (String, Value) {
    let vector: Vector =
        serde_json::from_value(source["vector"].clone()).expect("source.vector is a vector");
    let index = source["step"].as_u64().expect("source.step") as usize;
    let version = u32::try_from(source["version"].as_u64().expect("source.version")).unwrap();
    let timeout = Duration::from_millis(source["timeout_ms"].as_u64().expect("timeout_ms"));
    let live = source.get("key_fetch").map(|k| {
        let text = |member: &str| k[member].as_str().expect("a string").to_owned();
        let millis = |member: &str| k[member].as_u64().expect("milliseconds");
        LiveEndpoint {
            issuer: text("issuer"),
            jwks_uri: text("jwks_uri"),
            discovery: k["discovery"].as_bool().expect("discovery"),
            ca_file: text("ca_file").into(),
            ttl_ms: millis("ttl_ms"),
            refetch_interval_ms: millis("refetch_interval_ms"),
            timeout_ms: millis("timeout_ms"),
            ca_pem: String::new(),
        }
    });
    let step = &vector.steps()[index];
    let token = conformance::corpus::token_bytes(&step.token).expect("a token");
    let case = Case {
        live: live.as_ref(),
        vector: &vector,
        step: index,
        token: &token,
        jwks: &vector.jwks,
        profile: &vector.profile,
        now: step.now,
        actions: &step.actions,
        timeout,
    };
    // As the subprocess transport writes it (`adapters/subprocess.rs`).
    let line = request(&case, version).to_string();
    let mut decoded = Map::new();
    decoded.insert("id".into(), json!(vector.id));
    decoded.insert("step".into(), json!(index));
    decoded.insert("version".into(), json!(version));
    decoded.insert("token_hex".into(), json!(hex(&token)));
    decoded.insert("token_text".into(), json!(case.token_str()));
    if version == 1 {
        // Version 1 sends no bytes: a helper serializes `jwks` itself, in its own member order.
        decoded.insert("jwks_json".into(), case.jwks.clone());
    } else {
        decoded.insert("jwks_hex".into(), json!(hex(&case.jwks_bytes())));
    }
    decoded.insert("jwks".into(), case.jwks.clone());
    decoded.insert("profile".into(), json!(case.profile));
    decoded.insert("now".into(), json!(case.now));
    decoded.insert("actions".into(), json!(case.actions));
    decoded.insert("features".into(), json!(vector.features));
    decoded.insert("timeout_ms".into(), json!(timeout.as_millis() as u64));
    decoded.insert("key_fetch".into(), json!(live));
    (line, Value::Object(decoded))
}

#[test]
fn requests_are_the_lines_the_runner_writes() {
    let mut fixture = fixture();
    let bless = std::env::var_os("JWT_CONFORMANCE_BLESS").is_some();
    let schema = validator("adapter-request.schema.json");
    let mut names = BTreeSet::new();
    let mut stale = Vec::new();
    for case in fixture["requests"].as_array_mut().expect("requests") {
        let name = case["name"].as_str().expect("a name").to_owned();
        assert!(names.insert(name.clone()), "two requests named {name}");
        let (line, decoded) = generate(&case["source"]);
        let parsed: Value = serde_json::from_str(&line).unwrap();
        let errors: Vec<String> = schema.iter_errors(&parsed).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        if bless {
            case["line"] = json!(line);
            case["decoded"] = decoded;
        } else if case["line"] != json!(line) || case["decoded"] != decoded {
            stale.push(name);
        }
    }
    if bless {
        // Written aside and renamed, so that the other tests never read half a file.
        let text = serde_json::to_string_pretty(&fixture).unwrap() + "\n";
        let aside = fixture_path().with_extension("json.new");
        std::fs::write(&aside, text).expect("writes the fixture");
        std::fs::rename(&aside, fixture_path()).expect("replaces the fixture");
    }
    assert!(
        stale.is_empty(),
        "adapters/fixtures/protocol.json is stale for {stale:?}: the runner now writes other \
         lines. Rewrite them with JWT_CONFORMANCE_BLESS=1 cargo test -p conformance --test \
         helper_fixture, and check that every helper's tests still pass"
    );
}

/// The requests cover what a helper must decode: removing one of these cases fails here.
#[test]
fn the_requests_cover_every_kind_of_line() {
    let fixture = fixture();
    let decoded: Vec<&Value> = cases(&fixture, "requests")
        .iter()
        .map(|c| &c["decoded"])
        .collect();
    let any = |what: &str, f: &dyn Fn(&Value) -> bool| {
        assert!(decoded.iter().any(|d| f(d)), "no request with {what}");
    };
    any("version 1", &|d| d["version"] == 1);
    any("a token that is not UTF-8", &|d| d["token_text"].is_null());
    any("a NUL in the token", &|d| {
        d["token_text"].as_str().is_some_and(|t| t.contains('\0'))
    });
    any("key-set bytes that are not the compact parse", &|d| {
        d["jwks_hex"].as_str().is_some_and(|h| {
            let compact = hex(d["jwks"].to_string().as_bytes());
            *h != compact
        })
    });
    any("a key set that is not an object", &|d| {
        !d["jwks"].is_object() && !d["jwks"].is_null()
    });
    any("key_fetch", &|d| d["key_fetch"].is_object());
    any("a later step with actions", &|d| {
        d["step"].as_u64() > Some(0) && d["actions"].as_array().is_some_and(|a| !a.is_empty())
    });
    any("features", &|d| {
        d["features"].as_array().is_some_and(|f| f.len() > 3)
    });
    any("a profile with domain and state rules", &|d| {
        d["profile"]["state"]["replay"] == true && d["profile"]["domain"]["ulid_sub"] == true
    });
}

/// The id and step a helper reads before anything else, if it can.
fn id_and_step(line: &str) -> Option<(String, u64)> {
    let value: Value = serde_json::from_str(line).ok()?;
    Some((value["id"].as_str()?.to_owned(), value["step"].as_u64()?))
}

#[test]
fn broken_requests_are_identifiable_but_never_sent() {
    let fixture = fixture();
    let schema = validator("adapter-request.schema.json");
    for case in cases(&fixture, "bad_requests") {
        let line = case["line"].as_str().expect("a line");
        let (id, step) = id_and_step(line).expect("an id and a step a helper can echo");
        let parsed: Value = serde_json::from_str(line).unwrap();
        assert!(
            !schema.is_valid(&parsed),
            "{line}: the runner could send it"
        );
        assert_eq!(
            case["response"],
            json!({"id": id, "step": step, "outcome": "adapter_error"}),
            "{line}"
        );
    }
}

#[test]
fn garbled_lines_have_no_id_and_step() {
    let fixture = fixture();
    let lines = cases(&fixture, "garbled_lines");
    assert!(lines.len() >= 5);
    for case in lines {
        let line = case["line"].as_str().expect("a line");
        assert!(id_and_step(line).is_none(), "{line} has an id and a step");
    }
}

/// The reference verifier under the profile every helper is configured with, and the baseline
/// key set.
fn reference() -> Verifier {
    let profile: Profile = serde_json::from_value(forge::timeless_profile_json()).unwrap();
    let keys = KeySet::from_jwks_json(forge::baseline_jwks().to_string().as_bytes()).unwrap();
    Verifier::new(profile, keys).unwrap()
}

fn reason_of(verifier: &Verifier, header: &Value, claims: &Value) -> Option<&'static str> {
    let token = forge::Token::new(header, claims).sign(&forge::key(forge::KID));
    verifier
        .verify(token.as_bytes(), forge::NOW)
        .err()
        .map(|r| r.reason.id())
}

#[test]
fn the_alg_table_is_the_reference_verifiers() {
    let fixture = fixture();
    let verifier = reference();
    let with_alg = |alg: Option<&Value>| {
        let mut header = forge::header();
        match alg {
            Some(alg) => header["alg"] = alg.clone(),
            None => drop(header.as_object_mut().unwrap().remove("alg")),
        }
        header
    };
    // ES256 is refused only by a profile that does not allow it: one pinned to ES384 (the key
    // set is never reached, the `alg` rule comes first).
    let mut es384: Profile = serde_json::from_value(forge::timeless_profile_json()).unwrap();
    es384.algorithms = vec![verifier::Algorithm::ES384];
    let p384 = forge::AnyKey::for_alg(forge::Alg::ES384, forge::KID);
    let p384_set = forge::jwks_of(&[(forge::KID, &p384, forge::Alg::ES384)]).to_string();
    let p384_keys = KeySet::for_algorithms(p384_set.as_bytes(), &es384.algorithms).unwrap();
    let without_es256 = Verifier::new(es384, p384_keys).expect("an ES384 verifier");
    let table = fixture["alg_reasons"].as_object().expect("alg_reasons");
    let mut families = BTreeSet::new();
    for (alg, reason) in table {
        let verifier = if alg == "ES256" {
            &without_es256
        } else {
            &verifier
        };
        let got = reason_of(verifier, &with_alg(Some(&json!(alg))), &forge::claims());
        assert_eq!(got, reason.as_str(), "alg {alg:?}");
        families.insert(reason.as_str().unwrap());
    }
    let every_family = Reason::ALL
        .iter()
        .map(|r| r.id())
        .filter(|id| id.starts_with("alg_"))
        .collect::<BTreeSet<_>>();
    assert_eq!(families, every_family, "a reason family has no row");
    let others = &fixture["alg_not_a_string"];
    let reason = others["reason"].as_str().expect("alg_not_a_string.reason");
    for value in others["values"].as_array().expect("values") {
        let got = reason_of(&verifier, &with_alg(Some(value)), &forge::claims());
        assert_eq!(got, Some(reason), "alg {value}");
        if value.is_null() {
            // null stands for "no alg" too: a helper's API has no other way to say it.
            let got = reason_of(&verifier, &with_alg(None), &forge::claims());
            assert_eq!(got, Some(reason), "no alg");
        }
    }
}

#[test]
fn the_missing_claim_table_is_the_reference_verifiers() {
    let fixture = fixture();
    let verifier = reference();
    assert_eq!(
        reason_of(&verifier, &forge::header(), &forge::claims()),
        None
    );
    let table = fixture["missing_claim_reasons"]
        .as_object()
        .expect("missing_claim_reasons");
    let required: Vec<&str> = fixture["required_claims"]
        .as_array()
        .expect("required_claims")
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(
        table.keys().map(String::as_str).collect::<Vec<_>>(),
        required,
        "missing_claim_reasons lists the required claims, in order"
    );
    // Every claim of the baseline token is required: without it, the token is refused.
    let baseline = forge::claims();
    let claims: BTreeSet<&str> = baseline
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(claims, required.iter().copied().collect());
    for (claim, reason) in table {
        let mut without = baseline.clone();
        without.as_object_mut().unwrap().remove(claim);
        let got = reason_of(&verifier, &forge::header(), &without);
        assert_eq!(got, reason.as_str(), "without {claim}");
    }
    for other in fixture["other_claims"].as_array().expect("other_claims") {
        let other = other.as_str().unwrap();
        assert!(!table.contains_key(other), "{other} is in the table");
    }
}

/// `required_claims(profile)` of every helper is the reference's reading of the profile: an
/// explicit `required_claims` member, else its preset's default.
#[test]
fn the_required_claims_of_each_profile_are_the_reference_verifiers() {
    let fixture = fixture();
    let rows = cases(&fixture, "required_claims_by_profile");
    let mut presets = BTreeSet::new();
    for row in rows {
        let profile: Profile =
            serde_json::from_value(row["profile"].clone()).expect("a profile the reference reads");
        let want: BTreeSet<&str> = row["required"]
            .as_array()
            .expect("required")
            .iter()
            .map(|c| c.as_str().expect("a claim name"))
            .collect();
        let got: BTreeSet<&str> = profile.required_claims.iter().map(String::as_str).collect();
        assert_eq!(got, want, "{}", row["about"]);
        presets.insert(profile.preset);
    }
    assert_eq!(presets.len(), 3, "a row for each preset");
}

#[test]
fn responses_are_lines_the_runner_reads_as_their_outcome() {
    let fixture = fixture();
    let schema = validator("adapter-response.schema.json");
    let requests = cases(&fixture, "requests");
    let mut outcomes = BTreeSet::new();
    for case in cases(&fixture, "responses") {
        let name = case["name"].as_str().expect("a name");
        let request = requests
            .iter()
            .find(|r| r["name"] == case["request"])
            .unwrap_or_else(|| panic!("{name}: no request {}", case["request"]));
        let mut expected =
            json!({"id": request["decoded"]["id"], "step": request["decoded"]["step"]});
        expected
            .as_object_mut()
            .unwrap()
            .extend(case["answer"].as_object().expect("answer").clone());
        assert_eq!(
            case["response"], expected,
            "{name}: response = request + answer"
        );
        let errors: Vec<String> = schema
            .iter_errors(&case["response"])
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        let parsed = parse_response(&case["response"].to_string()).expect("the runner reads it");
        let answer = &case["answer"];
        let same = match &parsed.outcome {
            Outcome::Accept { claims } => *claims == answer["claims"],
            Outcome::Reject { error, reason } => {
                *error == answer["error"]
                    && reason.as_ref().map(|r| r.as_str()) == answer["reason"].as_str()
                    && reason.as_ref().is_none_or(|r| r.known().is_some())
            }
            Outcome::ConfigError { error, code } => {
                *error == answer["error"]
                    && code.as_ref().map(|c| c.as_str()) == answer["code"].as_str()
                    && code.as_ref().is_none_or(|c| c.known().is_some())
            }
            Outcome::Skipped { why } => *why == answer["why"],
            other => panic!("{name}: {other:?} is not an answer"),
        };
        assert!(same, "{name}: the runner reads {:?}", parsed.outcome);
        outcomes.insert(answer["outcome"].as_str().unwrap().to_owned());
    }
    let all = ["accept", "reject", "config_error", "skipped"];
    assert_eq!(
        outcomes,
        all.map(str::to_owned).into(),
        "an outcome has no response"
    );
}

#[test]
fn the_hello_is_one_the_runner_takes() {
    let fixture = fixture();
    let hello = &fixture["hello"]["hello"];
    let errors: Vec<String> = validator("adapter-hello.schema.json")
        .iter_errors(hello)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let parsed = Hello::parse(&hello.to_string()).expect("the runner takes it");
    let given = &fixture["hello"]["given"];
    // The helpers speak version 2, which the runner still speaks beside the newest.
    assert_eq!(parsed.version, 2);
    assert!(SUPPORTED_VERSIONS.contains(&parsed.version));
    assert_eq!(
        json!([
            parsed.name,
            parsed.library,
            parsed.library_version,
            parsed.claims,
            parsed.notes
        ]),
        json!([
            given["name"],
            given["library"],
            given["version"],
            given["claims"],
            given["notes"]
        ])
    );
    assert_eq!(json!(parsed.features), given["features"]);
}
