//! `conformance hunt` end to end, on the accepted vectors of the built-in corpus as seeds:
//! a planted disagreement (an adapter that is the reference verifier except that it accepts
//! one crafted defect, a `jku` header) is found, clustered, minimized to that defect and
//! written as a draft; a campaign is deterministic for its seed and resumes from its folder;
//! a hostile adapter in the lineup stays bounded and leaves no process behind.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use conformance::adapter::{Adapter, AdapterInfo, Capabilities, Case};
use conformance::hunt::candidate::{Candidate, Mutation, render};
use conformance::hunt::judge::Entrant;
use conformance::hunt::{self, Budget, Options, State, seed};
use conformance::outcome::Outcome;
use conformance::reference::World;
use conformance::runner::Corpus;
use forge::shape::HName;
use serde_json::Value;

/// The reference verifier, except that a token it refuses for a `jku` header is accepted.
struct Planted;

impl Adapter for Planted {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "planted".into(),
            library: "planted (test)".into(),
            version: "0".into(),
            capabilities: Capabilities::all(),
            notes: Vec::new(),
        }
    }

    fn verify(&self, case: &Case<'_>) -> Outcome {
        let outcome = match World::new(case.vector) {
            Ok(world) => world.verify(case.token, case.now),
            Err(outcome) => outcome,
        };
        match &outcome {
            Outcome::Reject {
                reason: Some(r), ..
            } if r.to_string() == "header_jku" => Outcome::Accept {
                claims: Value::Object(serde_json::Map::new()),
            },
            _ => outcome,
        }
    }
}

fn entrant(name: &str, adapter: Arc<dyn Adapter>) -> Entrant {
    let info = adapter.info();
    Entrant {
        name: name.to_owned(),
        label: format!("{name} {} {}", info.library, info.version),
        language: "test".to_owned(),
        capabilities: info.capabilities,
        adapters: vec![adapter],
        broken: None,
        busy: Duration::ZERO,
    }
}

/// The built-in corpus's `accept/` vectors: seeds, and a baseline no `jku` vector is in.
fn corpus() -> Corpus {
    let all = conformance::embedded::corpus().expect("the built-in corpus");
    Corpus {
        vectors: all
            .vectors
            .iter()
            .filter(|v| v.id.starts_with("accept/"))
            .cloned()
            .collect(),
        ..all
    }
}

fn campaign(out: &Path, candidates: u64, lineup: &mut [Entrant]) -> hunt::Summary {
    let opts = Options {
        seed: 7,
        budget: Budget::Candidates(candidates),
        out: out.to_path_buf(),
        timeout: Duration::from_secs(1),
    };
    hunt::hunt(&opts, &corpus(), lineup, &mut |_: &State| {}).expect("the hunt runs")
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hunt-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

const PLANTED: &str = "reject:header_jku accepted by planted";

#[test]
fn a_planted_disagreement_is_found_clustered_minimized_and_drafted() {
    let out = tempdir("planted");
    let mut lineup = vec![entrant("planted", Arc::new(Planted))];
    let summary = campaign(&out, 768, &mut lineup);
    let cluster = summary
        .state
        .clusters
        .get(PLANTED)
        .unwrap_or_else(|| panic!("no planted cluster in {:?}", summary.state.clusters.keys()));
    assert!(cluster.new, "no accept/ vector has a jku header");
    assert!(cluster.minimal, "the cluster was minimized to the end");
    assert_eq!(
        summary.state.clusters.len(),
        1,
        "the planted defect is the only disagreement: {:?}",
        summary.state.clusters.keys()
    );
    // Minimized to the defect: one mutation, and it is the `jku` header.
    let seeds = seed::seeds(&corpus());
    let kept = cluster.kept.clone().expect("kept mutations");
    let original = Candidate::generate(7, cluster.smallest, seeds.len());
    // Seed 7 puts the defect in a candidate with other mutations, which minimization drops.
    assert!(original.mutations.len() >= 2, "{original:?}");
    assert_eq!(kept.len(), 1, "minimized to one mutation: {original:?}");
    let only = &original.mutations[kept[0]];
    assert!(
        matches!(
            only,
            Mutation::Header(HName::Jku, _) | Mutation::HeaderTwice(HName::Jku, _)
        ),
        "the kept mutation is the jku header: {only:?}"
    );
    // The draft: corpus format, the reference's verdict, no severity or basis.
    let drafts: Vec<PathBuf> = std::fs::read_dir(out.join("drafts"))
        .expect("drafts folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(drafts.len(), 1, "{drafts:?}");
    let draft: Value =
        serde_json::from_str(&std::fs::read_to_string(&drafts[0]).expect("draft")).expect("json");
    assert_eq!(draft["category"], "hunt");
    assert!(
        draft["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("hunt/"))
    );
    assert_eq!(draft["expected"]["reason"], "header_jku");
    assert!(draft.get("severity").is_none() && draft.get("basis").is_none());
    assert_eq!(draft["flags"], serde_json::json!(["hunt_draft"]));
    let page = std::fs::read_to_string(out.join("triage.md")).expect("triage page");
    assert!(page.contains(PLANTED), "{page}");
    assert!(
        page.contains("clusters (by the reference's verdict"),
        "{page}"
    );
    assert!(page.contains("1 are new"), "{page}");
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn candidates_are_a_function_of_the_seed_and_a_campaign_resumes_to_the_same_state() {
    let corpus = corpus();
    let seeds = seed::seeds(&corpus);
    assert!(seeds.len() >= 30, "{} seeds", seeds.len());
    for i in 0..200 {
        let a = Candidate::generate(11, i, seeds.len());
        let b = Candidate::generate(11, i, seeds.len());
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        let seed = &seeds[a.seed];
        assert_eq!(
            render(&a, seed, "hunt/x".into()).token,
            render(&b, seed, "hunt/x".into()).token,
            "rendering is deterministic (RFC 6979, seeded PSS)"
        );
    }
    let differ = (0..50)
        .filter(|&i| {
            format!("{:?}", Candidate::generate(11, i, seeds.len()))
                != format!("{:?}", Candidate::generate(12, i, seeds.len()))
        })
        .count();
    assert!(differ > 40, "another seed gives other candidates");

    // One run of 512, and the same campaign as 256 then resumed to 512: the same state.
    let whole = tempdir("whole");
    let split = tempdir("split");
    let mut lineup = vec![entrant("planted", Arc::new(Planted))];
    let a = campaign(&whole, 512, &mut lineup);
    let first = campaign(&split, 256, &mut lineup);
    assert_eq!(first.state.next, 256);
    let b = campaign(&split, 512, &mut lineup);
    assert_eq!(b.judged_now, 256, "the resumed run judged only the rest");
    let clusters = |s: &hunt::Summary| serde_json::to_string(&s.state.clusters).unwrap();
    assert_eq!(
        (a.state.next, a.state.disagreements),
        (512, b.state.disagreements)
    );
    assert_eq!(clusters(&a), clusters(&b));
    for dir in [&whole, &split] {
        std::fs::remove_dir_all(dir).ok();
    }
}

#[test]
fn another_campaign_in_the_same_folder_is_refused() {
    let out = tempdir("other");
    let mut lineup = vec![entrant("planted", Arc::new(Planted))];
    campaign(&out, 16, &mut lineup);
    let opts = Options {
        seed: 8,
        budget: Budget::Candidates(32),
        out: out.clone(),
        timeout: Duration::from_secs(1),
    };
    let err = hunt::hunt(&opts, &corpus(), &mut lineup, &mut |_: &State| {}).unwrap_err();
    assert!(err.contains("another campaign"), "{err}");
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn a_hostile_adapter_in_a_hunt_stays_bounded_and_leaves_nothing_behind() {
    let out = tempdir("hostile");
    let pids = out.with_extension("pids");
    let _ = std::fs::remove_file(&pids);
    // The fixture records its process IDs in the file `HOSTILE_PIDS` names (set through `env`).
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/hangs_after_hello.py");
    let hostile = conformance::adapters::subprocess::Subprocess::new(
        "hostile",
        "env",
        vec![
            format!("HOSTILE_PIDS={}", pids.display()),
            "python3".into(),
            fixture.display().to_string(),
        ],
        None,
    );
    let mut lineup = vec![
        entrant("planted", Arc::new(Planted)),
        entrant("hostile", Arc::new(hostile)),
    ];
    let started = Instant::now();
    let summary = campaign(&out, 512, &mut lineup);
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(120),
        "the hunt took {took:?} with a hanging adapter"
    );
    let why = summary
        .state
        .broken
        .iter()
        .find(|(n, _)| n == "hostile")
        .map(|(_, why)| why.clone())
        .unwrap_or_else(|| panic!("the hanging adapter stayed: {:?}", summary.state.broken));
    assert!(why.contains("timeout") || why.contains("wedged"), "{why}");
    assert!(
        summary
            .state
            .clusters
            .keys()
            .all(|k| !k.contains("hostile")),
        "an adapter error is no verdict"
    );
    assert_eq!(summary.state.next, 512, "the others were judged to the end");
    // Dropping the adapter closes its process (its whole process group is killed).
    drop(lineup);
    let recorded = common::read_pids(&pids);
    assert!(!recorded.is_empty(), "the fixture ran");
    assert_eq!(
        common::survivors(&recorded),
        Vec::<i32>::new(),
        "processes left behind"
    );
    std::fs::remove_dir_all(&out).ok();
    let _ = std::fs::remove_file(&pids);
}
