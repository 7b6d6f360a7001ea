//! `conformance hunt`: a differential campaign that searches for disagreements no vector was
//! written for (`docs/hunt.md`).
//!
//! Candidates are corpus tokens with structure-aware mutations ([`candidate`]), re-signed with
//! the vector's key. Each goes to every adapter of the lineup at once ([`judge`]); the
//! reference verifier's verdict is the oracle. Disagreements are clustered by the reference's
//! verdict and the set of adapters that answered the other way ([`cluster`]); a cluster is new
//! when no corpus vector produces it through the same judge. Each new cluster's smallest
//! candidate is minimized by delta debugging over its mutations and written as a draft vector,
//! and every cluster is listed on a triage page ([`triage`]).
//!
//! A campaign lives in its output folder: `state.json` (rewritten after every batch, so an
//! interrupted hunt loses one batch at most and the next run resumes it), `baseline.json`
//! (the corpus's own clusters for this lineup), `drafts/` and `triage.md`.

pub mod candidate;
pub mod cluster;
pub mod judge;
pub mod seed;
pub mod triage;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use self::candidate::{Candidate, Rendered, render};
use self::cluster::{Baseline, Clusters};
use self::judge::{Entrant, Judged, Signature, judge};
use self::seed::Seed;
use crate::set::Corpus;
use crate::vector::Vector;

/// Version of `state.json`; a folder of another version is refused, not misread.
pub const STATE_VERSION: u32 = 1;
/// Candidates judged per batch: large enough that a subprocess adapter's pipeline stays full,
/// small enough that an interrupt loses little.
pub const BATCH: usize = 256;
/// The most clusters a campaign keeps (memory stays bounded whatever the libraries do): new
/// ones, and new combinations of known disagreements, each bounded on its own so that the
/// combinations cannot crowd out what is new.
pub const MAX_NEW_CLUSTERS: usize = 2000;
pub const MAX_KNOWN_CLUSTERS: usize = 5000;

/// When a hunt stops searching.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Budget {
    /// Search for this long (this run), then minimize and write.
    Seconds(u64),
    /// Until the campaign has judged this many candidates in all.
    Candidates(u64),
}

/// How a hunt runs.
#[derive(Clone, Debug)]
pub struct Options {
    pub seed: u64,
    pub budget: Budget,
    pub out: PathBuf,
    /// Per-case budget handed to the adapters.
    pub timeout: Duration,
}

/// The campaign's saved state.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct State {
    pub state_version: u32,
    pub seed: u64,
    pub corpus: String,
    pub adapters: Vec<String>,
    /// The next candidate index to generate.
    pub next: u64,
    pub disagreements: u64,
    /// Adapter errors (timeouts, crashes) over all candidates and adapters.
    pub adapter_errors: u64,
    /// Seconds spent searching (judging) in all runs, and judging time by adapter.
    pub search_secs: f64,
    pub busy_secs: Vec<(String, f64)>,
    /// Adapter errors by adapter.
    #[serde(default)]
    pub errors: std::collections::BTreeMap<String, u64>,
    pub clusters: Clusters,
    /// Adapters that left the campaign, and why.
    pub broken: Vec<(String, String)>,
}

/// What a hunt found, for the caller's exit status.
#[derive(Clone, Debug)]
pub struct Summary {
    pub state: State,
    /// Clusters no corpus vector produces.
    pub new: Vec<Signature>,
    pub seeds: usize,
    /// Candidates judged in this run and the seconds it took.
    pub judged_now: u64,
    pub secs_now: f64,
}

/// Runs (or resumes) a campaign.
///
/// # Errors
/// An output folder that holds another campaign (another seed, corpus or lineup), or one
/// that cannot be written; a corpus without seeds; a lineup without a working adapter.
pub fn hunt(
    opts: &Options,
    corpus: &Corpus,
    lineup: &mut [Entrant],
    progress: &mut dyn FnMut(&State),
) -> Result<Summary, String> {
    std::fs::create_dir_all(&opts.out).map_err(|e| format!("{}: {e}", opts.out.display()))?;
    let names: Vec<String> = lineup.iter().map(|e| e.name.clone()).collect();
    let mut state = load_state(&opts.out)?.unwrap_or_else(|| State {
        state_version: STATE_VERSION,
        seed: opts.seed,
        corpus: corpus.version.clone(),
        adapters: names.clone(),
        next: 0,
        disagreements: 0,
        adapter_errors: 0,
        search_secs: 0.0,
        busy_secs: names.iter().map(|n| (n.clone(), 0.0)).collect(),
        errors: std::collections::BTreeMap::new(),
        clusters: Clusters::new(),
        broken: Vec::new(),
    });
    if state.seed != opts.seed || state.corpus != corpus.version || state.adapters != names {
        return Err(format!(
            "{} holds another campaign (seed {}, corpus {}, adapters {}): resume it with the \
             same seed and adapters, or choose another --out",
            opts.out.display(),
            state.seed,
            state.corpus,
            state.adapters.join(",")
        ));
    }
    for (name, why) in &state.broken {
        if let Some(e) = lineup.iter_mut().find(|e| &e.name == name) {
            e.broken = Some(why.clone());
        }
    }
    let seeds = seed::seeds(corpus);
    if seeds.is_empty() {
        return Err("the corpus has no token the hunt can re-sign".to_owned());
    }
    let baseline = baseline(&opts.out, corpus, lineup, opts.timeout)?;
    let known = baseline.disagreements();
    // What is new is decided against this baseline, also for clusters a resumed campaign
    // brings.
    for c in state.clusters.values_mut() {
        c.new = !Baseline::novel(&known, &c.signature).is_empty();
    }
    for e in lineup.iter_mut() {
        e.busy = Duration::ZERO;
    }
    let started = Instant::now();
    let mut judged_now = 0u64;
    let mut secs_now = 0.0;
    loop {
        let wanted = match opts.budget {
            Budget::Seconds(s) => {
                if started.elapsed() >= Duration::from_secs(s) * 3 / 4 {
                    break;
                }
                BATCH as u64
            }
            Budget::Candidates(n) => n.saturating_sub(state.next).min(BATCH as u64),
        };
        if wanted == 0 || lineup.iter().all(|e| e.broken.is_some()) {
            break;
        }
        let t = Instant::now();
        let candidates: Vec<Candidate> = (state.next..state.next + wanted)
            .map(|i| Candidate::generate(opts.seed, i, seeds.len()))
            .collect();
        let rendered = render_all(opts.seed, &candidates, &seeds);
        let vectors: Vec<Vector> = rendered.iter().map(|r| r.vector.clone()).collect();
        let judged = judge(lineup, &vectors, opts.timeout);
        let took = t.elapsed().as_secs_f64();
        for e in lineup.iter() {
            if let Some(why) = &e.broken
                && !state.broken.iter().any(|(n, _)| n == &e.name)
            {
                state.broken.push((e.name.clone(), why.clone()));
            }
        }
        record(&mut state, &candidates, &rendered, &judged, lineup, &known);
        for e in lineup.iter_mut() {
            if let Some((_, busy)) = state.busy_secs.iter_mut().find(|(n, _)| *n == e.name) {
                *busy += e.busy.as_secs_f64();
            }
            e.busy = Duration::ZERO;
        }
        state.next += wanted;
        state.search_secs += took;
        judged_now += wanted;
        secs_now += took;
        save_state(&opts.out, &state)?;
        progress(&state);
    }
    // Searching takes three quarters of a time budget; minimizing what it found, the rest.
    let end = match opts.budget {
        Budget::Seconds(s) => Some(started + Duration::from_secs(s)),
        Budget::Candidates(_) => None,
    };
    minimize_new(opts, &mut state, &seeds, lineup, || {
        end.is_some_and(|end| Instant::now() >= end)
    });
    save_state(&opts.out, &state)?;
    triage::write(&opts.out, &state, &seeds, &baseline, lineup, opts.seed)?;
    let new = state
        .clusters
        .values()
        .filter(|c| c.new)
        .map(|c| c.signature.clone())
        .collect();
    Ok(Summary {
        state,
        new,
        seeds: seeds.len(),
        judged_now,
        secs_now,
    })
}

/// The ID a candidate is sent under.
pub fn candidate_id(seed: u64, index: u64) -> String {
    format!("hunt/{seed}-{index}")
}

/// Renders candidates; signing (RSA above all) is most of it, so it is spread over the cores.
pub fn render_all(hunt_seed: u64, candidates: &[Candidate], seeds: &[Seed]) -> Vec<Rendered> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = candidates.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = candidates
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|c| {
                            let seed = &seeds[c.seed % seeds.len()];
                            render(c, seed, candidate_id(hunt_seed, c.index))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

fn record(
    state: &mut State,
    candidates: &[Candidate],
    rendered: &[Rendered],
    judged: &[Judged],
    lineup: &[Entrant],
    known: &std::collections::BTreeSet<(&str, &str)>,
) {
    for ((c, r), j) in candidates.iter().zip(rendered).zip(judged) {
        state.adapter_errors += j.errors.len() as u64;
        for &a in &j.errors {
            if let Some(e) = lineup.get(a) {
                *state.errors.entry(e.name.clone()).or_default() += 1;
            }
        }
        let Some(sig) = j.signature(lineup) else {
            continue;
        };
        state.disagreements += 1;
        if !state.clusters.contains_key(&sig.to_string()) {
            let new = !Baseline::novel(known, &sig).is_empty();
            let (kept, most) = if new {
                (
                    state.clusters.values().filter(|c| c.new).count(),
                    MAX_NEW_CLUSTERS,
                )
            } else {
                (
                    state.clusters.values().filter(|c| !c.new).count(),
                    MAX_KNOWN_CLUSTERS,
                )
            };
            if kept >= most {
                continue;
            }
        }
        cluster::file(&mut state.clusters, sig, c.index, r.token.len(), known);
    }
}

/// Minimizes the new clusters that are not 1-minimal yet, until `out_of_time`.
fn minimize_new(
    opts: &Options,
    state: &mut State,
    seeds: &[Seed],
    lineup: &mut [Entrant],
    out_of_time: impl Fn() -> bool,
) {
    let keys: Vec<String> = state
        .clusters
        .iter()
        .filter(|(_, c)| c.new && !c.minimal)
        .map(|(k, _)| k.clone())
        .collect();
    let work: Vec<(Candidate, Signature)> = keys
        .iter()
        .filter_map(|k| state.clusters.get(k))
        .map(|c| {
            (
                triage::representative(c, opts.seed, seeds),
                c.signature.clone(),
            )
        })
        .collect();
    let judge_all = |candidates: &[Candidate]| {
        let mut out = Vec::with_capacity(candidates.len());
        for part in candidates.chunks(BATCH) {
            let rendered = render_all(opts.seed, part, seeds);
            let vectors: Vec<Vector> = rendered.into_iter().map(|r| r.vector).collect();
            out.extend(
                judge(lineup, &vectors, opts.timeout)
                    .iter()
                    .map(|j| j.signature(lineup)),
            );
        }
        out
    };
    let results = cluster::minimize_all(&work, judge_all, out_of_time);
    for (key, (kept, minimal)) in keys.iter().zip(results) {
        if let Some(c) = state.clusters.get_mut(key) {
            // `kept` indexes the representative's mutations; map back to the candidate's.
            let before: Vec<usize> = c.kept.clone().unwrap_or_else(|| {
                (0..Candidate::generate(opts.seed, c.smallest, seeds.len())
                    .mutations
                    .len())
                    .collect()
            });
            c.kept = Some(
                kept.iter()
                    .filter_map(|&i| before.get(i).copied())
                    .collect(),
            );
            c.minimal = minimal;
        }
    }
}

fn state_path(out: &Path) -> PathBuf {
    out.join("state.json")
}

fn load_state(out: &Path) -> Result<Option<State>, String> {
    let path = state_path(out);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(None);
    };
    let state: State =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if state.state_version != STATE_VERSION {
        return Err(format!(
            "{}: state version {} (this runner writes {STATE_VERSION})",
            path.display(),
            state.state_version
        ));
    }
    Ok(Some(state))
}

/// Writes a file whole or not at all (a rename), so an interrupt never leaves half a state.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), String> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn save_state(out: &Path, state: &State) -> Result<(), String> {
    let text = serde_json::to_string_pretty(state).map_err(|e| e.to_string())?;
    write_atomic(&state_path(out), &text)
}

/// The clusters the corpus produces with this lineup: read from `baseline.json` when it was
/// computed for the same corpus and adapters, else computed (the corpus through the judge).
fn baseline(
    out: &Path,
    corpus: &Corpus,
    lineup: &mut [Entrant],
    timeout: Duration,
) -> Result<Baseline, String> {
    let path = out.join("baseline.json");
    let adapters: Vec<String> = lineup.iter().map(|e| e.label.clone()).collect();
    if let Ok(text) = std::fs::read_to_string(&path)
        && let Ok(b) = serde_json::from_str::<Baseline>(&text)
        && b.corpus == corpus.version
        && b.adapters == adapters
    {
        return Ok(b);
    }
    let vectors: Vec<Vector> = corpus
        .vectors
        .iter()
        .filter(|v| sendable(v))
        .map(|v| (**v).clone())
        .collect();
    let mut b = Baseline {
        corpus: corpus.version.clone(),
        adapters,
        vectors: Vec::new(),
    };
    for part in vectors.chunks(BATCH) {
        let judged = judge(lineup, part, timeout);
        b.vectors.extend(
            part.iter()
                .zip(&judged)
                .map(|(v, j)| (v.id.clone(), j.signature(lineup))),
        );
    }
    let text = serde_json::to_string(&b).map_err(|e| e.to_string())?;
    write_atomic(&path, &text)?;
    Ok(b)
}

/// A corpus vector the hunt's judge can send: one step, no store actions, a pinned key set.
fn sendable(v: &Vector) -> bool {
    matches!(&v.body, crate::vector::Body::Single(s) if s.actions.is_empty())
        && v.key_source.is_none()
        && !crate::live::is_live(v)
}

/// A lineup and the adapters left out of it, each with why.
pub type Lineup = (Vec<Entrant>, Vec<(String, String)>);

/// The adapters `names` names (`lang:LANGUAGE` expands to that language's libraries), each built
/// `instances` times (a subprocess adapter starts its process on first use) and greeted: the lineup, and the adapters left out with why. `None` names every third-party
/// library that ships (one adapter per library); then one that is not installed here is left
/// out, while one named explicitly and not installed is an error.
///
/// # Errors
/// An unknown or uninstalled adapter named explicitly, or an empty lineup.
pub fn lineup(
    names: Option<&[String]>,
    root: &Path,
    timeout: Duration,
    instances: usize,
) -> Result<Lineup, String> {
    use crate::adapters;
    let explicit = names.is_some();
    let names: Vec<String> = match names {
        Some(list) => list
            .iter()
            .flat_map(|n| match n.strip_prefix("lang:") {
                Some(lang) => adapters::LIBRARIES
                    .iter()
                    .filter(|l| l.entry_point_of.is_none() && l.language.eq_ignore_ascii_case(lang))
                    .map(|l| l.name.to_owned())
                    .collect(),
                None => vec![n.clone()],
            })
            .collect(),
        None => adapters::distinct_libraries(adapters::LIBRARIES.iter())
            .map(|l| l.name.to_owned())
            .collect(),
    };
    let opts = crate::call::RunOptions {
        timeout,
        ..crate::call::RunOptions::default()
    };
    let mut lineup = Vec::new();
    let mut missing = Vec::new();
    for name in names {
        if lineup.iter().any(|e: &Entrant| e.name == name) {
            return Err(format!("adapter {name} is listed twice"));
        }
        let built = adapters::build(&name, root).and_then(|a| {
            crate::call::info_of(&a, &opts)
                .map(|i| (a, i))
                .map_err(|e| e.why)
        });
        let built = built.and_then(|(first, info)| {
            let mut all = vec![first];
            for _ in 1..instances.max(1) {
                all.push(adapters::build(&name, root)?);
            }
            Ok((all, info))
        });
        match built {
            Ok((adapters, info)) => lineup.push(Entrant {
                label: format!("{name} {} {}", info.library, info.version),
                language: adapters::library(&name)
                    .map_or_else(|| "other".to_owned(), |l| l.language.to_owned()),
                capabilities: info.capabilities,
                name,
                adapters,
                broken: None,
                busy: Duration::ZERO,
            }),
            Err(e) if explicit => return Err(format!("{name}: {e}")),
            Err(e) => missing.push((name, crate::text::one_line(&e, 200))),
        }
    }
    if lineup.is_empty() {
        return Err("no adapter to hunt with".to_owned());
    }
    Ok((lineup, missing))
}

/// The time to judge the same candidates three ways: the hunt's engine; the runner over all
/// of them, one adapter after the other, one round trip per case (adapter processes already
/// started); and a naive loop of `conformance run` calls, one per candidate and adapter, on the
/// first `cli_candidates` of them.
#[derive(Clone, Copy, Debug)]
pub struct Throughput {
    pub candidates: usize,
    /// The hunt's time, and the part of it spent rendering (mutating and signing) candidates.
    pub hunt_secs: f64,
    pub render_secs: f64,
    pub runner_secs: f64,
    pub cli_candidates: usize,
    pub cli_secs: f64,
}

/// Measures [`Throughput`] on the first `n` candidates of the campaign `hunt_seed`; `runner`
/// is the `conformance` binary the naive loop calls.
///
/// # Errors
/// A corpus without seeds; a candidate that cannot be written for the naive loop.
pub fn throughput(
    hunt_seed: u64,
    n: usize,
    cli_candidates: usize,
    runner: &Path,
    corpus: &Corpus,
    lineup: &mut [Entrant],
    timeout: Duration,
) -> Result<Throughput, String> {
    let seeds = seed::seeds(corpus);
    if seeds.is_empty() {
        return Err("the corpus has no token the hunt can re-sign".to_owned());
    }
    let candidates: Vec<Candidate> = (0..n as u64)
        .map(|i| Candidate::generate(hunt_seed, i, seeds.len()))
        .collect();
    let t = Instant::now();
    let rendered = render_all(hunt_seed, &candidates, &seeds);
    let render_secs = t.elapsed().as_secs_f64();
    let vectors: Vec<Vector> = rendered.into_iter().map(|r| r.vector).collect();
    for part in vectors.chunks(BATCH) {
        judge(lineup, part, timeout);
    }
    let hunt_secs = t.elapsed().as_secs_f64();
    let candidates_corpus = Corpus {
        dir: PathBuf::new(),
        vectors: vectors.into_iter().map(std::sync::Arc::new).collect(),
        version: corpus.version.clone(),
    };
    let opts = crate::call::RunOptions {
        timeout,
        ..crate::call::RunOptions::default()
    };
    let t = Instant::now();
    for e in lineup.iter().filter(|e| e.broken.is_none()) {
        crate::runner::run_quietly(e.adapters[0].clone(), &candidates_corpus, &opts);
    }
    let runner_secs = t.elapsed().as_secs_f64();
    let cli_candidates = cli_candidates.min(n);
    let dir = std::env::temp_dir().join(format!("hunt-naive-{}", std::process::id()));
    let t = Instant::now();
    for (i, v) in candidates_corpus
        .vectors
        .iter()
        .take(cli_candidates)
        .enumerate()
    {
        let one = dir.join(i.to_string());
        let file = one.join(format!("{}.json", v.id));
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&file, crate::vector::to_file_json(v))
            .map_err(|e| format!("{}: {e}", file.display()))?;
        for e in lineup.iter().filter(|e| e.broken.is_none()) {
            // Its verdict is not read: only the time a naive loop takes is.
            let _ = std::process::Command::new(runner)
                .args(["run", "--adapter", &e.name, "--exit-zero", "--no-progress"])
                .args([
                    "--format",
                    "json",
                    "--timeout",
                    &timeout.as_secs_f64().to_string(),
                ])
                .arg("--vectors")
                .arg(&one)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status();
        }
    }
    let cli_secs = t.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(Throughput {
        candidates: n,
        hunt_secs,
        render_secs,
        runner_secs,
        cli_candidates,
        cli_secs,
    })
}
