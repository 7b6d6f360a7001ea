//! `crash-to-vector`: a minimized fuzz crash or a finding file becomes a regression vector
//! under `vectors/regressions/`, its expected result being what the reference verifier decides.
//!
//! Inputs:
//! - a finding file (JSON with `finding_version`, written by the `differential` and
//!   `structured` targets into `fuzz/findings/`): its token, time, profile and key set;
//! - a raw crash input (`fuzz/artifacts/<target>/crash-…`, `minimized-from-…`), read as its
//!   target (from `--target`, else from a path component naming one) maps to a token in the
//!   baseline world (`forge::baseline_jwks()`, `forge::timeless_profile_json()`, `forge::NOW`):
//!   `verify` and `differential`: the bytes are the token; `json`: the bytes are the payload of a
//!   baseline-header token signed with the primary key; `base64url`: the bytes are the payload
//!   segment of such a token; `jwks`: the bytes are the key set (a JSON document) checked with
//!   the baseline token. `structured` inputs are model bytes: reproduce them with
//!   `cargo +nightly fuzz run structured FILE`, which writes a finding file to convert instead.
//!
//! The vector ID is `regressions/<first 16 hex of SHA-256 of the token or key set>`, so the same
//! case from two crash files is one vector. Provenance (target, file name, SHA-256, date) goes in
//! `refs` and `notes`; the date is `--date`, else the finding's, else the file's modification
//! date (UTC), never today's. Running the command again changes nothing unless the reference
//! verifier now decides differently, in which case `expected` is rewritten.
//!
//! Severity and basis are a reviewer's decision, not the tool's: a new regression vector is
//! `profile` on the catalogue rule of its expected reason until `--severity must --basis ID,…`
//! names a binding clause or attack of `docs/normative.md` (checked). Rerunning keeps the
//! severity and basis already in the file unless they are given again.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use corpus::outcome::Id;
use corpus::reference::{self, Outcome};
use corpus::vector::{Body, Expected, Feature, Severity, Step, TokenSpec, Vector, to_file_json};
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use verifier::{Profile, Reason};

use crate::fuzz_seeds::TARGETS;

/// The finding-file fields this command reads (format: `fuzz/src/finding.rs`).
#[derive(Deserialize)]
struct Finding {
    finding_version: u32,
    target: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    library: Option<String>,
    token_base64: String,
    now: i64,
    #[serde(default)]
    profile: Option<Value>,
    #[serde(default)]
    jwks: Option<Value>,
    #[serde(default)]
    reference: Option<String>,
    #[serde(default)]
    observed: Option<String>,
    #[serde(default)]
    date: Option<String>,
}

/// What the crash or finding describes, before the reference verifier has run.
struct Case {
    target: String,
    token: Vec<u8>,
    jwks: Value,
    profile: Profile,
    now: i64,
    /// Bytes the ID hashes: the token, or the key set for `jwks` inputs.
    identity: Vec<u8>,
    date: Option<String>,
    note: Option<String>,
    library: Option<String>,
}

/// A reviewer's verdict on a regression vector: severity and basis (`None`: the defaults, or
/// what the existing file says).
#[derive(Clone, Debug, Default)]
pub struct Review {
    pub severity: Option<Severity>,
    pub basis: Option<Vec<String>>,
}

pub fn run(
    file: &Path,
    out: &Path,
    target: Option<&str>,
    date: Option<&str>,
    review: &Review,
) -> Result<(), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut case = match serde_json::from_slice::<Finding>(&bytes) {
        Ok(finding) => from_finding(finding)?,
        Err(_) => {
            let target = match target {
                Some(t) => t.to_owned(),
                None => infer_target(file)
                    .ok_or("cannot tell which fuzz target this input is for: pass --target NAME")?,
            };
            from_raw(&target, &bytes)?
        }
    };
    if let Some(d) = date {
        case.date = Some(d.to_owned());
    }
    if case.date.is_none() {
        case.date = modification_date(file);
    }
    let mut vector = build(&case, &file_name)?;
    if let Some(severity) = review.severity {
        vector.severity = severity;
    }
    if let Some(basis) = &review.basis {
        vector.basis = basis.clone();
    }
    corpus::normative::table().check(&vector)?;
    let path = out.join(format!("{}.json", short(&case.identity)));
    let text = to_file_json(&vector);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        if existing == text {
            println!("{}: unchanged", path.display());
            return Ok(());
        }
        if let Ok(mut old) = serde_json::from_str::<Vector>(&existing) {
            // Keep the first provenance; only a changed reference decision rewrites the file.
            if old.steps() == vector.steps() {
                println!(
                    "{}: exists (same case, first provenance kept)",
                    path.display()
                );
                return Ok(());
            }
            old.body = vector.body.clone();
            old.features = vector.features.clone();
            if review.severity.is_some() || review.basis.is_some() {
                old.severity = vector.severity;
                old.basis = vector.basis.clone();
            }
            write(&path, &to_file_json(&old))?;
            println!("{}: expected result updated", path.display());
            return Ok(());
        }
    }
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    write(&path, &text)?;
    println!(
        "{}: {}",
        path.display(),
        reference::describe(&vector.steps()[0].expected)
    );
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn baseline_profile() -> Result<Profile, String> {
    Profile::from_json(forge::timeless_profile_json().to_string().as_bytes())
        .map_err(|e| e.to_string())
}

fn from_finding(f: Finding) -> Result<Case, String> {
    if f.finding_version != 1 {
        return Err(format!(
            "finding_version {} (this tool reads 1)",
            f.finding_version
        ));
    }
    let token = STANDARD
        .decode(&f.token_base64)
        .map_err(|_| "token_base64 is not standard base64")?;
    let profile = match f.profile {
        Some(p) => serde_json::from_value(p).map_err(|e| format!("finding profile: {e}"))?,
        None => baseline_profile()?,
    };
    let note = match (&f.kind, &f.library, &f.reference, &f.observed) {
        (_, Some(lib), Some(r), Some(o)) => Some(format!(
            "{lib} answered {o} where the reference answered {r}"
        )),
        (Some(k), None, Some(r), Some(o)) => {
            Some(format!("{k}: the verifier answered {r}, the model {o}"))
        }
        _ => None,
    };
    Ok(Case {
        target: f.target,
        identity: token.clone(),
        token,
        jwks: f.jwks.unwrap_or_else(forge::baseline_jwks),
        profile,
        now: f.now,
        date: f.date,
        note,
        library: f.library,
    })
}

fn from_raw(target: &str, bytes: &[u8]) -> Result<Case, String> {
    let signed_with_payload_segment = |payload_segment: &[u8]| {
        let mut input = forge::b64(forge::header().to_string()).into_bytes();
        input.push(b'.');
        input.extend_from_slice(payload_segment);
        let sig = forge::es256(&forge::key(forge::KID), &input);
        input.push(b'.');
        input.extend_from_slice(forge::b64(sig).as_bytes());
        input
    };
    let mut jwks = forge::baseline_jwks();
    let (token, identity) = match target {
        "verify" | "differential" => (bytes.to_vec(), bytes.to_vec()),
        "json" => {
            let t = signed_with_payload_segment(forge::b64(bytes).as_bytes());
            (t.clone(), t)
        }
        "base64url" => {
            let t = signed_with_payload_segment(bytes);
            (t.clone(), t)
        }
        "jwks" => {
            jwks = serde_json::from_slice(bytes).map_err(|_| {
                "this jwks input is not JSON, and a vector holds its key set as JSON: \
                 it cannot be represented as a vector"
            })?;
            (forge::baseline_token().into_bytes(), bytes.to_vec())
        }
        "structured" => {
            return Err("a raw structured input is model bytes, not a token: run \
                 `cargo +nightly fuzz run structured FILE` and convert the finding it writes \
                 to fuzz/findings/"
                .into());
        }
        other => {
            return Err(format!(
                "unknown fuzz target {other:?} (known: {TARGETS:?})"
            ));
        }
    };
    Ok(Case {
        target: target.to_owned(),
        token,
        jwks,
        profile: baseline_profile()?,
        now: forge::NOW,
        identity,
        date: None,
        note: None,
        library: None,
    })
}

/// A path component that names a target (`fuzz/artifacts/<target>/crash-…`).
fn infer_target(file: &Path) -> Option<String> {
    file.parent()?
        .components()
        .rev()
        .filter_map(|c| c.as_os_str().to_str())
        .find(|c| TARGETS.contains(c))
        .map(str::to_owned)
}

/// The catalogue rule a rejection reason enforces, as a `docs/normative.md` ID: the reason's
/// M-ID (one row per M-ID group), else the profile row of its stage.
pub(crate) fn catalogue_basis(reason: Reason) -> &'static str {
    use verifier::Stage;
    match reason.m_id() {
        Some("M21/M22") => "M21",
        Some("M24/M25") => "M24",
        Some("M28a") => "M28",
        Some("sv") => "SV",
        Some(m) => m,
        None => match reason.stage() {
            Stage::Form | Stage::Alphabet | Stage::Size => "PROFILE-FORM",
            Stage::Key => "PROFILE-KEY-FETCH",
            Stage::Signature => "RFC7515-5.2-signature",
            _ => "PROFILE-JSON",
        },
    }
}

fn modification_date(file: &Path) -> Option<String> {
    let modified = std::fs::metadata(file).ok()?.modified().ok()?;
    Some(humantime::format_rfc3339_seconds(modified).to_string()[..10].to_owned())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn short(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes)[..8])
}

fn build(case: &Case, file_name: &str) -> Result<Vector, String> {
    let token = match std::str::from_utf8(&case.token) {
        Ok(text) => TokenSpec::Text(text.to_owned()),
        Err(_) => TokenSpec::Base64(STANDARD.encode(&case.token)),
    };
    let mut vector = Vector {
        schema_version: corpus::load::schema_version_of(&case.profile),
        id: format!("regressions/{}", short(&case.identity)),
        description: String::new(),
        category: "regressions".into(),
        basis: vec!["PROFILE-KEYSET".into()],
        refs: Vec::new(),
        flags: vec!["fuzz_regression".into()],
        severity: Severity::Profile,
        features: Vec::new(),
        profile: case.profile.clone(),
        jwks: case.jwks.clone(),
        key_source: None,
        jwks_base64: None,
        notes: None,
        rationale: None,
        body: Body::Single(Step {
            requests: None,
            actions: Vec::new(),
            now: case.now,
            token,
            expected: Expected::Accept {
                claims: Value::Null,
            },
            acceptable: Vec::new(),
        }),
    };
    let outcome = reference::run(&vector)
        .into_iter()
        .next()
        .ok_or("the reference run produced no outcome")?;
    let (expected, summary) = match outcome {
        Outcome::Accept { claims } => {
            vector.basis = vec!["RFC9068-4-signature".to_owned()];
            (Expected::Accept { claims }, "accepted".to_owned())
        }
        Outcome::Reject {
            reason: Some(Id::Known(reason)),
            ..
        } => {
            vector.basis = vec![catalogue_basis(reason).to_owned()];
            if matches!(
                reason,
                Reason::Expired | Reason::NotYetValid | Reason::IatFuture | Reason::ExpUpperBound
            ) {
                vector.features.push(Feature::Clock);
            }
            let summary = format!("rejected with {reason}");
            (
                Expected::Reject {
                    m_id: reason.m_id().map(str::to_owned),
                    reason,
                },
                summary,
            )
        }
        Outcome::ConfigError {
            code: Some(Id::Known(error)),
            ..
        } => (
            Expected::ConfigError { error },
            format!("key set refused ({error})"),
        ),
        other => return Err(format!("unexpected reference outcome: {other}")),
    };
    if case.target == "jwks" {
        vector.features.push(Feature::JwksParsing);
    }
    if case.profile.expected_cat.is_some() {
        vector.features.push(Feature::TokenCategory);
    }
    let sha = hex(&Sha256::digest(&case.identity));
    vector.description = format!("Fuzz regression from the {} target: {summary}", case.target);
    vector.refs = vec![format!("fuzz:{}", case.target), format!("sha256:{sha}")];
    if let Some(lib) = &case.library {
        vector.refs.push(format!("library:{lib}"));
    }
    let mut notes = format!("Found by the `{}` fuzz target", case.target);
    if let Some(date) = &case.date {
        notes.push_str(&format!(" on {date}"));
    }
    notes.push_str(&format!(" (input file {file_name:?})"));
    if let Some(note) = &case.note {
        notes.push_str(&format!("; {note}"));
    }
    notes.push_str(
        ". Expected result is the reference verifier's; written by `tools crash-to-vector`.",
    );
    vector.notes = Some(notes);
    if let Body::Single(step) = &mut vector.body {
        step.expected = expected;
    }
    Ok(vector)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("crash-to-vector-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn raw_verify_crash_becomes_a_checked_idempotent_vector() {
        let dir = tmp("raw");
        let crash_dir = dir.join("artifacts/verify");
        std::fs::create_dir_all(&crash_dir).unwrap();
        let crash = crash_dir.join("crash-abc");
        let token = forge::Token::new(&forge::header(), &forge::claims()).sign(&forge::key("x"));
        std::fs::write(&crash, &token).unwrap();
        let out = dir.join("regressions");
        run(&crash, &out, None, Some("2026-01-02"), &Review::default()).unwrap();
        let files: Vec<_> = std::fs::read_dir(&out).unwrap().flatten().collect();
        assert_eq!(files.len(), 1);
        let path = files[0].path();
        let first = std::fs::read_to_string(&path).unwrap();
        let vector = corpus::load::load_vector(&path).unwrap();
        assert!(path.ends_with(format!(
            "{}.json",
            vector.id.trim_start_matches("regressions/")
        )));
        assert_eq!(
            vector.steps()[0].expected.reason(),
            Some(Reason::SignatureInvalid)
        );
        assert_eq!(
            vector.severity,
            Severity::Profile,
            "a reviewer promotes, not the tool"
        );
        assert_eq!(vector.basis, ["RFC7515-5.2-signature"]);
        assert!(vector.notes.as_deref().unwrap().contains("2026-01-02"));
        reference::check(&vector).unwrap();
        run(&crash, &out, None, Some("2030-01-01"), &Review::default()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), first, "idempotent");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_review_promotes_only_on_a_binding_basis_and_survives_reruns() {
        let dir = tmp("review");
        let crash = dir.join("crash");
        let token = forge::Token::new(&forge::header(), &forge::claims()).sign(&forge::key("x"));
        std::fs::write(&crash, &token).unwrap();
        let out = dir.join("out");
        let review = |severity, basis: &[&str]| Review {
            severity: Some(severity),
            basis: Some(basis.iter().map(|b| (*b).to_owned()).collect()),
        };
        let weak = review(Severity::Must, &["M33"]);
        let err = run(&crash, &out, Some("verify"), None, &weak).unwrap_err();
        assert!(err.contains("no basis is a binding clause"), "{err}");
        let strong = review(Severity::Must, &["RFC9068-4-signature"]);
        run(&crash, &out, Some("verify"), Some("2026-01-02"), &strong).unwrap();
        run(
            &crash,
            &out,
            Some("verify"),
            Some("2026-01-02"),
            &Review::default(),
        )
        .unwrap();
        let v = corpus::load::load_dir(&out).unwrap();
        assert_eq!(
            (v[0].severity, v[0].basis.as_slice()),
            (Severity::Must, &["RFC9068-4-signature".to_owned()][..])
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn json_and_jwks_inputs_map_to_tokens_and_key_sets() {
        let dir = tmp("json");
        let json = dir.join("in.json");
        std::fs::write(&json, br#"{"a":1,"a":2}"#).unwrap();
        run(
            &json,
            &dir.join("out"),
            Some("json"),
            Some("2026-01-02"),
            &Review::default(),
        )
        .unwrap();
        let v = corpus::load::load_dir(&dir.join("out")).unwrap();
        assert_eq!(
            v[0].steps()[0].expected.reason(),
            Some(Reason::DuplicateJsonKeys)
        );
        assert_eq!(v[0].severity, Severity::Profile);

        let jwks = dir.join("k");
        std::fs::write(&jwks, br#"{"keys":[]}"#).unwrap();
        run(
            &jwks,
            &dir.join("out2"),
            Some("jwks"),
            Some("2026-01-02"),
            &Review::default(),
        )
        .unwrap();
        let v = corpus::load::load_dir(&dir.join("out2")).unwrap();
        assert_eq!(
            v[0].steps()[0].expected.verdict(),
            corpus::vector::Verdict::ConfigError
        );
        assert!(v[0].features.contains(&Feature::JwksParsing));
        reference::check(&v[0]).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn finding_files_carry_their_world() {
        let dir = tmp("finding");
        let token = forge::baseline_token();
        let finding = serde_json::json!({
            "finding_version": 1, "target": "differential", "kind": "third_party_accept",
            "library": "somelib 1", "token_base64": STANDARD.encode(&token), "now": forge::NOW,
            "reference": "reject (x)", "observed": "accept", "sha256": "00", "date": "2026-03-04"
        });
        let file = dir.join("f.json");
        std::fs::write(&file, finding.to_string()).unwrap();
        run(&file, &dir.join("out"), None, None, &Review::default()).unwrap();
        let v = corpus::load::load_dir(&dir.join("out")).unwrap();
        assert_eq!(
            v[0].steps()[0].expected.verdict(),
            corpus::vector::Verdict::Accept
        );
        assert!(v[0].refs.contains(&"library:somelib 1".to_owned()));
        assert!(v[0].notes.as_deref().unwrap().contains("2026-03-04"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn structured_raw_input_is_refused_with_a_hint() {
        let dir = tmp("structured");
        let file = dir.join("crash-1");
        std::fs::write(&file, b"\x01\x02").unwrap();
        let err = run(
            &file,
            &dir.join("out"),
            Some("structured"),
            None,
            &Review::default(),
        )
        .unwrap_err();
        assert!(err.contains("fuzz run structured"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
