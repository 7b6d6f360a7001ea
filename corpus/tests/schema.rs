//! Every vector file validates against `vectors/schema.json`, and the schema refuses what the
//! format forbids (so it can fail). Every vector says the least schema version that holds it,
//! and the loader refuses a version 2 vector whose profile needs version 3.

use std::path::Path;

use corpus::load::{LoadError, parse_vector, schema_version_of};
use serde_json::{Value, json};

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string("../vectors/schema.json").expect("vectors/schema.json");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn errors(validator: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_vector_validates() {
    let validator = schema();
    let files = corpus::load::vector_files(Path::new("../vectors")).expect("vectors/");
    assert!(files.len() >= 600, "only {} vectors", files.len());
    let mut bad = Vec::new();
    for path in &files {
        let doc: Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("JSON");
        let errs = errors(&validator, &doc);
        if !errs.is_empty() {
            bad.push(format!("{}: {}", path.display(), errs.join("; ")));
        }
    }
    assert!(
        bad.is_empty(),
        "{} vectors fail the schema:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// A named way to break a valid vector.
type Breakage = (&'static str, Box<dyn Fn(&mut Value)>);

#[test]
fn schema_refuses_malformed_vectors() {
    let validator = schema();
    let good: Value = serde_json::from_str(
        &std::fs::read_to_string("../vectors/accept/baseline.json").expect("read"),
    )
    .expect("JSON");
    assert!(errors(&validator, &good).is_empty());
    let breakages: Vec<Breakage> = vec![
        ("unknown member", Box::new(|v| v["surprise"] = json!(1))),
        (
            "wrong schema_version",
            Box::new(|v| v["schema_version"] = json!(1)),
        ),
        (
            "a schema_version to come",
            Box::new(|v| v["schema_version"] = json!(4)),
        ),
        (
            "a preset in version 2",
            Box::new(|v| v["profile"]["preset"] = json!("jwt")),
        ),
        (
            "typ null in version 2",
            Box::new(|v| v["profile"]["typ"] = json!(null)),
        ),
        (
            "another algorithm in version 2",
            Box::new(|v| v["profile"]["algorithms"] = json!(["RS256"])),
        ),
        (
            "required_claims in version 2",
            Box::new(|v| v["profile"]["required_claims"] = json!(["iss"])),
        ),
        (
            "a nonce in version 2",
            Box::new(|v| v["profile"]["nonce"] = json!("n-0S6")),
        ),
        (
            "an algorithm no verifier implements",
            Box::new(|v| {
                *v = version_3(v.clone());
                v["profile"]["algorithms"] = json!(["RS256", "none"]);
            }),
        ),
        (
            "an unknown preset",
            Box::new(|v| {
                *v = version_3(v.clone());
                v["profile"]["preset"] = json!("saml");
            }),
        ),
        (
            "a required claim that is not a name",
            Box::new(|v| {
                *v = version_3(v.clone());
                v["profile"]["required_claims"] = json!([1]);
            }),
        ),
        (
            "bad severity",
            Box::new(|v| v["severity"] = json!("should")),
        ),
        (
            "unknown feature",
            Box::new(|v| v["features"] = json!(["telepathy"])),
        ),
        (
            "two token forms",
            Box::new(|v| v["token_base64"] = json!("AAAA")),
        ),
        (
            "no token",
            Box::new(|v| {
                v.as_object_mut().map(|m| m.remove("token"));
            }),
        ),
        (
            "reject without reason",
            Box::new(|v| v["expected"] = json!({"verdict": "reject", "m_id": null})),
        ),
        (
            "profile with an unknown field",
            Box::new(|v| v["profile"]["leeway"] = json!(5)),
        ),
        (
            "no basis",
            Box::new(|v| {
                v.as_object_mut().map(|m| m.remove("basis"));
            }),
        ),
        ("empty basis", Box::new(|v| v["basis"] = json!([]))),
        (
            "an acceptable outcome with an unknown verdict",
            Box::new(|v| v["acceptable"] = json!([{"verdict": "maybe"}])),
        ),
        (
            "an empty acceptable list",
            Box::new(|v| v["acceptable"] = json!([])),
        ),
        (
            "steps beside a single-shot body",
            Box::new(|v| v["steps"] = json!([])),
        ),
    ];
    for (what, breakage) in breakages {
        let mut doc = good.clone();
        breakage(&mut doc);
        assert!(
            !errors(&validator, &doc).is_empty(),
            "schema accepted a vector with {what}"
        );
    }
}

/// `accept/baseline` as a version 3 vector of the `oidc-id-token` preset: every member version
/// 3 added, and a key set with a key of every type.
fn version_3(mut v: Value) -> Value {
    v["schema_version"] = json!(3);
    let profile = &mut v["profile"];
    profile["preset"] = json!("oidc-id-token");
    profile["algorithms"] = json!(["RS256", "ES256", "EdDSA", "HS256"]);
    profile["typ"] = json!(null);
    profile["required_claims"] = json!(["iss", "sub", "aud", "exp", "iat"]);
    profile["client_id"] = json!("client-1");
    profile["nonce"] = json!("n-0S6_WzA2Mj");
    profile["audiences"] = json!(["client-1"]);
    let keys = v["jwks"]["keys"].as_array_mut().expect("keys");
    keys.push(json!({"kty": "RSA", "kid": "rsa", "n": "sXch", "e": "AQAB"}));
    keys.push(json!({"kty": "EC", "crv": "P-384", "kid": "p384", "x": "AA", "y": "AA"}));
    keys.push(json!({"kty": "OKP", "crv": "Ed25519", "kid": "ed", "x": "11qY"}));
    keys.push(json!({"kty": "oct", "kid": "hs", "k": "c2VjcmV0"}));
    v
}

fn baseline() -> Value {
    serde_json::from_str(&std::fs::read_to_string("../vectors/accept/baseline.json").expect("read"))
        .expect("JSON")
}

#[test]
fn the_schema_admits_version_3_profiles_and_key_types() {
    let doc = version_3(baseline());
    let errs = errors(&schema(), &doc);
    assert!(errs.is_empty(), "{errs:?}");
}

/// A version of `baseline()` edited by `edit`.
fn edited(edit: fn(&mut Value)) -> Value {
    let mut v = baseline();
    edit(&mut v);
    v
}

/// The loader reads versions 2 and 3, and refuses a version 2 vector whose profile a version 2
/// reader would verify under the rfc9068 defaults instead.
#[test]
fn the_loader_reads_versions_2_and_3() {
    let understated = "uses members of version 3";
    let cases: Vec<(&str, Value, Option<&str>)> = vec![
        ("version 2", baseline(), None),
        ("version 3", version_3(baseline()), None),
        (
            "a version 2 profile in version 3",
            edited(|v| v["schema_version"] = json!(3)),
            None,
        ),
        (
            "a version 3 profile in version 2",
            edited(|v| {
                *v = version_3(v.clone());
                v["schema_version"] = json!(2);
            }),
            Some(understated),
        ),
        (
            "typ null",
            edited(|v| v["profile"]["typ"] = json!(null)),
            Some(understated),
        ),
        (
            "ES384",
            edited(|v| v["profile"]["algorithms"] = json!(["ES256", "ES384"])),
            Some(understated),
        ),
        (
            "a client",
            edited(|v| v["profile"]["client_id"] = json!("c")),
            Some(understated),
        ),
        (
            "version 1",
            edited(|v| v["schema_version"] = json!(1)),
            Some("knows 2 and 3"),
        ),
        (
            "version 4",
            edited(|v| v["schema_version"] = json!(4)),
            Some("knows 2 and 3"),
        ),
    ];
    for (what, doc, refused) in cases {
        let loaded = parse_vector(Path::new("v.json"), doc.to_string().as_bytes());
        match (refused, loaded) {
            (None, Ok(v)) => assert_eq!(v.schema_version, doc["schema_version"], "{what}"),
            (Some(says), Err(e @ (LoadError::Version(..) | LoadError::Understated(_)))) => {
                assert!(e.to_string().contains(says), "{what}: {e}")
            }
            (_, other) => panic!("{what}: {other:?}"),
        }
    }
}

/// Every vector says the least version that holds it: today's profiles stay version 2, so a
/// version 2 reader keeps reading every vector it can judge.
#[test]
fn every_vector_says_the_least_version_that_holds_it() {
    let vectors = corpus::load::load_dir(Path::new("../vectors")).expect("vectors/");
    let overstated: Vec<&str> = vectors
        .iter()
        .filter(|v| v.schema_version != schema_version_of(&v.profile))
        .map(|v| v.id.as_str())
        .collect();
    assert!(overstated.is_empty(), "{overstated:?}");
    assert_eq!(schema_version_of(&verifier::Profile::default()), 2);
}

/// Every file is in the canonical form the typed model writes back byte for byte: reason IDs,
/// codes and acceptable outcomes read into the catalog types lose nothing and change nothing.
#[test]
fn every_vector_file_round_trips_through_the_typed_model() {
    let files = corpus::load::vector_files(Path::new("../vectors")).expect("vectors/");
    let differ: Vec<String> = files
        .iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).expect("read");
            let vector = corpus::load::load_vector(path).expect("a vector");
            corpus::vector::to_file_json(&vector) != text
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(differ.is_empty(), "not canonical: {}", differ.join(", "));
}
