//! Every vector file validates against `vectors/schema.json`, and the schema refuses what the
//! format forbids (so it can fail).

use std::path::Path;

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
