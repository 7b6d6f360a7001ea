//! A small corpus minted with `forge`, for the runner's tests (no dependency on `vectors/`).
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use conformance::runner::Corpus;
use conformance::vector::{
    Action, Body, Expected, Feature, SCHEMA_VERSION, Severity, Step, TokenSpec, Vector,
    to_file_json,
};
use serde_json::{Value, json};
use verifier::Profile;

pub fn profile() -> Profile {
    Profile::from_json(forge::timeless_profile_json().to_string().as_bytes()).unwrap()
}

pub fn vector(id: &str, severity: Severity, features: &[Feature], step: Step) -> Vector {
    Vector {
        schema_version: SCHEMA_VERSION,
        id: id.to_owned(),
        description: format!("test vector {id}"),
        category: id.split('/').next().unwrap().to_owned(),
        basis: Vec::new(),
        refs: vec![],
        flags: vec![],
        severity,
        features: features.to_vec(),
        profile: profile(),
        jwks: forge::baseline_jwks(),
        key_source: None,
        notes: None,
        rationale: None,
        body: Body::Single(step),
    }
}

pub fn step(token: String, expected: Expected) -> Step {
    Step {
        actions: vec![],
        now: forge::NOW,
        token: TokenSpec::Text(token),
        expected,
        acceptable: vec![],
    }
}

pub fn accept() -> Expected {
    Expected::Accept {
        claims: forge::claims(),
    }
}

pub fn reject(reason: &str) -> Expected {
    Expected::Reject {
        reason: reason.to_owned(),
        m_id: None,
    }
}

fn token(header: Value, claims: Value) -> String {
    forge::Token::new(&header, &claims).sign(&forge::key(forge::KID))
}

/// Seven vectors: two accepts, four single-defect rejects (one needing the clock), one
/// key-set refusal, and a two-step replay sequence.
pub fn vectors() -> Vec<Vector> {
    let mut out = vec![
        vector(
            "accept/baseline",
            Severity::Must,
            &[],
            step(forge::baseline_token(), accept()),
        ),
        vector(
            "alg/none",
            Severity::Must,
            &[],
            step(
                forge::Token::new(
                    &json!({"alg": "none", "typ": "at+jwt", "kid": forge::KID}),
                    &forge::claims(),
                )
                .with_signature(b""),
                reject("alg_none"),
            ),
        ),
        vector(
            "signature/zero",
            Severity::Must,
            &[],
            step(
                forge::Token::new(&forge::header(), &forge::claims()).with_signature(&[0u8; 64]),
                reject("signature_invalid"),
            ),
        ),
        vector(
            "typ/jwt",
            Severity::Profile,
            &[],
            step(
                token(
                    json!({"alg": "ES256", "typ": "JWT", "kid": forge::KID}),
                    forge::claims(),
                ),
                reject("typ_mismatch"),
            ),
        ),
        vector(
            "time/expired",
            Severity::Must,
            &[Feature::Clock],
            step(
                token(forge::header(), forge::claims_at(forge::NOW - 100, 50)),
                reject("expired"),
            ),
        ),
    ];
    let mut private = forge::baseline_jwks();
    private["keys"][0]["d"] = json!(forge::b64([7u8; 32]));
    let mut bad_set = vector(
        "jwks/private-d",
        Severity::Must,
        &[Feature::JwksParsing],
        step(
            forge::baseline_token(),
            Expected::ConfigError {
                error: "key_private_member".to_owned(),
            },
        ),
    );
    bad_set.jwks = private;
    out.push(bad_set);
    let mut replay = vector(
        "state/replay",
        Severity::Must,
        &[Feature::Replay],
        step(String::new(), accept()),
    );
    replay.profile.state.replay = true;
    replay.body = Body::Steps {
        steps: vec![
            Step {
                actions: vec![Action::ReplayStore { available: true }],
                ..step(forge::baseline_token(), accept())
            },
            step(forge::baseline_token(), reject("jti_replayed")),
        ],
    };
    out.push(replay);
    out
}

pub fn corpus() -> Corpus {
    Corpus::from_vectors(vectors())
}

/// A fresh empty directory under the system temp dir.
pub fn temp_dir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "jwt-conformance-{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the vectors as a corpus directory, in their canonical file form.
pub fn corpus_dir(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    for v in vectors() {
        let path = dir.join(format!("{}.json", v.id));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, to_file_json(&v)).unwrap();
    }
    dir
}
