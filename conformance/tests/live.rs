//! Live key-set vectors end to end: the reference verifier over real HTTPS against the runner's
//! loopback server, request-log assertions that catch a client fetching where it must not, and
//! nothing left listening after a run.

use std::collections::BTreeSet;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use conformance::adapter::{Adapter, AdapterInfo, Case, Outcome};
use conformance::adapters::reference::Reference;
use conformance::impact::Impact;
use conformance::judge::TestResult;
use conformance::runner::{self, Corpus, RunOptions};
use conformance::vector::Feature;

/// The tests that start and stop the run's key-set server take turns.
static SERVER: Mutex<()> = Mutex::new(());

fn live_corpus() -> Corpus {
    let all =
        Corpus::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors")).expect("vectors/");
    runner::split_live(&all).1
}

fn only(corpus: &Corpus, ids: &[&str]) -> Corpus {
    Corpus {
        vectors: corpus
            .vectors
            .iter()
            .filter(|v| ids.contains(&v.id.as_str()))
            .cloned()
            .collect(),
        ..corpus.clone()
    }
}

/// The reference, recording the live endpoint of every case it is given.
#[derive(Default)]
struct Recording {
    inner: Reference,
    seen: Mutex<Vec<(String, u16, PathBuf)>>,
}

impl Adapter for Recording {
    fn info(&self) -> AdapterInfo {
        self.inner.info()
    }

    fn verify(&self, case: &Case<'_>) -> Outcome {
        if let Some(live) = case.live {
            let port = live.issuer.rsplit(':').next().and_then(|p| p.parse().ok());
            if let (Some(port), Ok(mut seen)) = (port, self.seen.lock()) {
                seen.push((case.id().to_owned(), port, live.ca_file.clone()));
            }
        }
        self.inner.verify(case)
    }
}

#[test]
fn the_reference_passes_every_live_vector_over_https_and_nothing_listens_afterwards() {
    let _turn = SERVER.lock().unwrap_or_else(|p| p.into_inner());
    let corpus = live_corpus();
    assert!(
        corpus.vectors.len() >= 40,
        "{} live vectors",
        corpus.vectors.len()
    );
    let adapter = Arc::new(Recording::default());
    let report = runner::run_quietly(adapter.clone(), &corpus, &RunOptions::default());
    let failed: Vec<String> = report
        .results
        .iter()
        .filter(|r| r.result != TestResult::Pass)
        .map(|r| format!("{}: {}", r.id, r.detail))
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
    let seen = adapter.seen.lock().unwrap().clone();
    let ids: BTreeSet<&str> = seen.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(
        ids.len(),
        corpus.vectors.len(),
        "every vector ran on a live server"
    );
    let ports: BTreeSet<u16> = seen.iter().map(|(_, p, _)| *p).collect();
    for port in &ports {
        assert!(
            TcpStream::connect(("127.0.0.1", *port)).is_err(),
            "port {port} still accepts connections"
        );
    }
    if let Ok(table) = std::fs::read_to_string("/proc/net/tcp") {
        let listening: Vec<&str> = table
            .lines()
            .skip(1)
            .filter(|l| l.split_whitespace().nth(3) == Some("0A"))
            .filter(|l| {
                let local = l.split_whitespace().nth(1).unwrap_or_default();
                let port = local.rsplit(':').next().unwrap_or_default();
                u16::from_str_radix(port, 16).is_ok_and(|p| ports.contains(&p))
            })
            .collect();
        assert!(listening.is_empty(), "still listening: {listening:?}");
    }
    let ca_dir = seen[0].2.parent().unwrap().to_path_buf();
    assert!(ca_dir.exists(), "the CA lives as long as the server");
    conformance::live::shutdown();
    assert!(!ca_dir.exists(), "{} left behind", ca_dir.display());
}

/// A key-set client that also fetches the URL a token's `jku` names, and keeps refetching on
/// unknown kids: the verdicts stay right, the request log gives it away.
struct FollowsJku(Reference);

impl Adapter for FollowsJku {
    fn info(&self) -> AdapterInfo {
        let mut info = self.0.info();
        info.name = "follows-jku".to_owned();
        info.capabilities.exact = false;
        info
    }

    fn verify(&self, case: &Case<'_>) -> Outcome {
        let live = case.live.expect("a live case");
        let header = case
            .token_str()
            .and_then(|t| t.split('.').next())
            .and_then(base64_header);
        let url = header
            .as_ref()
            .and_then(|h| h.get("jku").or_else(|| h.get("x5u")))
            .and_then(|u| u.as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| live.jwks_uri.clone());
        let _ = keyserver::get(
            &url,
            &std::fs::read_to_string(&live.ca_file).unwrap_or_default(),
            std::time::Duration::from_secs(1),
            1 << 20,
        );
        self.0.verify(case)
    }
}

fn base64_header(segment: &str) -> Option<serde_json::Value> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(segment)
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[test]
fn a_client_that_fetches_where_it_must_not_fails_on_the_request_log() {
    let _turn = SERVER.lock().unwrap_or_else(|p| p.into_inner());
    let corpus = only(
        &live_corpus(),
        &["fetch/jku-decoy", "fetch/x5u-decoy", "fetch/kid-flood"],
    );
    assert_eq!(corpus.vectors.len(), 3);
    let report = runner::run_quietly(
        Arc::new(FollowsJku(Reference::new())),
        &corpus,
        &RunOptions::default(),
    );
    for r in &report.results {
        assert_eq!(r.result, TestResult::Fail, "{}: {}", r.id, r.detail);
        assert_eq!(r.impact, Some(Impact::FetchAbuse), "{}: {}", r.id, r.detail);
    }
    let details: Vec<&str> = report.results.iter().map(|r| r.detail.as_str()).collect();
    assert!(
        details[0].contains("decoy listener") || details[1].contains("decoy listener"),
        "{details:?}"
    );
    assert!(
        details.iter().any(|d| d.contains("key-set fetches")),
        "{details:?}"
    );
    assert!(
        details
            .iter()
            .all(|d| d.contains("verdict as expected; request log: ")),
        "{details:?}"
    );
    conformance::live::shutdown();
}

#[test]
fn the_seam_leaves_live_vectors_to_the_library() {
    let hardened = conformance::adapters::hardened::Hardened::new(Reference::new());
    let features = hardened.info().capabilities.features;
    assert!(!features.contains(&Feature::KeyFetch));
    assert!(Reference::new().info().capabilities.logical_clock);
}

#[test]
fn the_cli_removes_its_ca_directory_when_a_live_run_ends() {
    let _turn = SERVER.lock().unwrap_or_else(|p| p.into_inner());
    let before = ca_dirs();
    let out = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args([
            "run",
            "--adapter",
            "reference",
            "--filter",
            "fetch/status-50*",
            "--no-progress",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("2 vectors, 2 pass"), "{text}");
    let left: Vec<PathBuf> = ca_dirs().difference(&before).cloned().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

fn ca_dirs() -> BTreeSet<PathBuf> {
    std::fs::read_dir(std::env::temp_dir())
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("jwt-conformance-"))
        })
        .collect()
}
