//! A small corpus minted with `forge`, for the runner's tests (no dependency on `vectors/`),
//! a scripted adapter, and hand-made reports for the pages built from several runs.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use conformance::adapter::{Adapter, AdapterInfo, Capabilities, Case};
use conformance::judge::{ReasonMatch, SkipCause, Summary, TestResult};
use conformance::outcome::{Outcome, OutcomeKind};
use conformance::report::{ExpectedSummary, Observed, Report, ReportHeader, VectorResult};
use conformance::runner::Corpus;
use conformance::vector::{
    Acceptable, Action, Body, Expected, Feature, SCHEMA_VERSION, Severity, Step, TokenSpec, Vector,
    to_file_json,
};
use serde_json::{Value, json};
use verifier::{ConfigCode, Profile, Reason};

pub fn profile() -> Profile {
    Profile::from_json(forge::timeless_profile_json().to_string().as_bytes()).unwrap()
}

pub fn vector(id: &str, severity: Severity, features: &[Feature], step: Step) -> Vector {
    Vector {
        schema_version: conformance::corpus::schema_version_of(&profile()),
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
        jwks_base64: None,
        notes: None,
        rationale: None,
        body: Body::Single(step),
    }
}

/// `v` with these citation IDs.
pub fn cites(mut v: Vector, basis: &[&str]) -> Vector {
    v.basis = basis.iter().map(|s| (*s).to_owned()).collect();
    v
}

/// `step` with these acceptable outcomes.
pub fn also(step: Step, acceptable: Vec<Acceptable>) -> Step {
    Step { acceptable, ..step }
}

pub fn config_error(code: ConfigCode) -> Expected {
    Expected::ConfigError { error: code }
}

pub fn step(token: String, expected: Expected) -> Step {
    Step {
        requests: None,
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

pub fn reject(reason: Reason) -> Expected {
    Expected::Reject { reason, m_id: None }
}

fn token(header: Value, claims: Value) -> String {
    forge::Token::new(&header, &claims).sign(&forge::key(forge::KID))
}

/// The `alg: none` token of `alg/none`.
pub fn alg_none_token() -> String {
    forge::Token::new(
        &json!({"alg": "none", "typ": "at+jwt", "kid": forge::KID}),
        &forge::claims(),
    )
    .with_signature(b"")
}

/// Seven vectors: two accepts, four single-defect rejects (one needing the clock), one
/// key-set refusal (a late rejection is acceptable), and a two-step replay sequence. Each cites
/// its basis in `docs/normative.md`.
pub fn vectors() -> Vec<Vector> {
    let mut out = vec![
        cites(
            vector(
                "accept/baseline",
                Severity::Must,
                &[],
                step(forge::baseline_token(), accept()),
            ),
            &["RFC9068-4-signature", "RFC7515-5.2-signature"],
        ),
        cites(
            vector(
                "alg/none",
                Severity::Must,
                &[],
                step(alg_none_token(), reject(Reason::AlgNone)),
            ),
            &["RFC7518-3.6-none", "RFC8725-3.1-alg", "M01"],
        ),
        cites(
            vector(
                "signature/zero",
                Severity::Must,
                &[],
                step(
                    forge::Token::new(&forge::header(), &forge::claims())
                        .with_signature(&[0u8; 64]),
                    reject(Reason::SignatureInvalid),
                ),
            ),
            &["RFC7515-5.2-signature", "CVE-2022-21449"],
        ),
        cites(
            vector(
                "typ/jwt",
                Severity::Profile,
                &[],
                step(
                    token(
                        json!({"alg": "ES256", "typ": "JWT", "kid": forge::KID}),
                        forge::claims(),
                    ),
                    reject(Reason::TypMismatch),
                ),
            ),
            &["M13", "RFC8725-3.11-typ"],
        ),
        cites(
            vector(
                "time/expired",
                Severity::Must,
                &[Feature::Clock],
                step(
                    token(forge::header(), forge::claims_at(forge::NOW - 100, 50)),
                    reject(Reason::Expired),
                ),
            ),
            &["RFC7519-4.1.4-exp", "M18"],
        ),
    ];
    let mut private = forge::baseline_jwks();
    private["keys"][0]["d"] = json!(forge::b64([7u8; 32]));
    let mut bad_set = cites(
        vector(
            "jwks/private-d",
            Severity::Must,
            &[Feature::JwksParsing],
            also(
                step(
                    forge::baseline_token(),
                    config_error(ConfigCode::KeyPrivateMember),
                ),
                vec![Acceptable::Reject(None)],
            ),
        ),
        // `must` only with a trust clause: a key that must not load would verify tokens.
        &[
            "RFC9068-4-signature",
            "PROFILE-KEYSET",
            "RFC7518-6.2.2-private",
        ],
    );
    bad_set.jwks = private;
    out.push(bad_set);
    let mut replay = cites(
        vector(
            "state/replay",
            Severity::Must,
            &[Feature::Replay],
            step(String::new(), accept()),
        ),
        &["ADV-REPLAY", "M35"],
    );
    replay.profile.state.replay = true;
    replay.body = Body::Steps {
        steps: vec![
            Step {
                actions: vec![Action::ReplayStore { available: true }],
                ..step(forge::baseline_token(), accept())
            },
            step(forge::baseline_token(), reject(Reason::JtiReplayed)),
        ],
    };
    out.push(replay);
    out
}

/// The baseline token, expected to be rejected as expired, with acceptance listed as acceptable:
/// the reference accepts it, which is only acceptable (a vector the reference cannot be exact on).
pub fn strict_expectation() -> Vector {
    vector(
        "accept/strict",
        Severity::Must,
        &[],
        also(
            step(forge::baseline_token(), reject(Reason::Expired)),
            vec![Acceptable::Accept],
        ),
    )
}

/// A `must` vector expecting the baseline token to be rejected as expired: every library that
/// can run it accepts it (it is not expired), so it is disputed.
pub fn disputed(rationale: Option<&str>) -> Vector {
    let mut v = cites(
        vector(
            "time/disputed",
            Severity::Must,
            &[],
            step(forge::baseline_token(), reject(Reason::Expired)),
        ),
        &["RFC7519-4.1.4-exp"],
    );
    v.rationale = rationale.map(str::to_owned);
    v
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
    corpus_dir_of(name, &vectors())
}

/// Writes `vectors` as a corpus directory, in their canonical file form.
pub fn corpus_dir_of(name: &str, vectors: &[Vector]) -> PathBuf {
    let dir = temp_dir(name);
    for v in vectors {
        let path = dir.join(format!("{}.json", v.id));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, to_file_json(v)).unwrap();
    }
    dir
}

/// An adapter that answers step `i` of every vector with `outcomes[i]` (the last one for later
/// steps).
pub struct Scripted {
    pub exact: bool,
    pub outcomes: Vec<Outcome>,
}

impl Scripted {
    pub fn new(exact: bool, outcomes: Vec<Outcome>) -> Self {
        Scripted { exact, outcomes }
    }
}

impl Adapter for Scripted {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "scripted".into(),
            library: "scripted".into(),
            version: "0".into(),
            capabilities: Capabilities {
                exact: self.exact,
                ..Capabilities::all()
            },
            notes: vec![],
        }
    }

    fn verify(&self, case: &Case<'_>) -> Outcome {
        let i = case.step.min(self.outcomes.len() - 1);
        self.outcomes[i].clone()
    }
}

/// A hand-made result: `vector` run by an adapter that answered `verdict` (`accept`, `reject`,
/// `config_error`, `skipped`, `adapter_error`) with `error` text, scored `result`.
pub fn result_of(
    vector: &Vector,
    verdict: &str,
    error: Option<&str>,
    result: TestResult,
) -> VectorResult {
    let step = &vector.steps()[0];
    let kind = match verdict {
        "accept" => OutcomeKind::Accept,
        "reject" => OutcomeKind::Reject,
        "config_error" => OutcomeKind::ConfigError,
        "skipped" => OutcomeKind::Skipped,
        "adapter_error" => OutcomeKind::AdapterError,
        other => panic!("no outcome is called {other}"),
    };
    VectorResult {
        id: vector.id.clone(),
        category: vector.category.clone(),
        severity: vector.severity,
        basis: vector.basis.clone(),
        expected: ExpectedSummary::of(&step.expected),
        actual: (kind != OutcomeKind::Skipped).then(|| Observed {
            verdict: kind,
            reason: None,
            error: error.map(str::to_owned),
        }),
        result,
        impact: None,
        // A skip the adapter answered is the library's limit; any other, a missing feature.
        skip_cause: (result == TestResult::Skip).then_some(if kind == OutcomeKind::Skipped {
            SkipCause::LibraryLimit
        } else {
            SkipCause::FeatureNotDeclared
        }),
        reason_match: ReasonMatch::NotApplicable,
        detail: String::new(),
        adapter_error: kind == OutcomeKind::AdapterError,
        steps: vec![],
    }
}

/// A hand-made report of `adapter` with these results.
pub fn report_of(adapter: &str, exact: bool, results: Vec<VectorResult>) -> Report {
    Report {
        header: ReportHeader {
            adapter: adapter.to_owned(),
            library: format!("{adapter} (test)"),
            library_version: "1.0".to_owned(),
            capabilities: Capabilities {
                exact,
                ..Capabilities::all()
            },
            notes: vec![],
            corpus_version: "test".to_owned(),
            corpus_vectors: results.len(),
            schema_version: SCHEMA_VERSION,
            adapter_api_version: conformance::adapter::ADAPTER_API_VERSION,
            runner_version: "0".to_owned(),
        },
        summary: Summary::of(&results),
        results,
    }
}

/// The protocol request the runner writes for the first step of `vector`, in `version`.
pub fn first_request(vector: &Vector, version: u32) -> Value {
    let step = &vector.steps()[0];
    let token = conformance::corpus::token_bytes(&step.token).expect("a token");
    let case = Case {
        live: None,
        vector,
        step: 0,
        token: &token,
        jwks: &vector.jwks,
        profile: &vector.profile,
        now: step.now,
        actions: &step.actions,
        timeout: std::time::Duration::from_secs(1),
    };
    conformance::adapters::protocol::request(&case, version)
}

/// How long a killed process may take to be gone (signals are delivered asynchronously).
pub const DEATH_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// The process IDs a fixture recorded in `path`, one per line.
pub fn read_pids(path: &std::path::Path) -> Vec<i32> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| l.trim().parse().unwrap())
        .collect()
}

/// True when `pid` is a live process (a zombie is dead: it only waits to be reaped, and in a
/// container nobody may reap an orphan).
pub fn alive(pid: i32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    let state = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().next());
    !matches!(state, Some("Z" | "X"))
}

/// The processes of `pids` still alive after [`DEATH_GRACE`].
pub fn survivors(pids: &[i32]) -> Vec<i32> {
    let started = std::time::Instant::now();
    loop {
        let alive: Vec<i32> = pids.iter().copied().filter(|p| alive(*p)).collect();
        if alive.is_empty() || started.elapsed() > DEATH_GRACE {
            return alive;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
