//! Running several adapters over one corpus for the generated pages (`matrix`, `disputes`).
//!
//! The corpus is split in two ([`runner::split_live`]): the live key-set vectors wait real time
//! between their steps, the rest does not. The rest runs first, on `jobs` workers, each taking
//! the next adapter of the list; then every adapter whose run held (not broken) and that
//! declares `key_fetch` runs the live vectors, all at once, each on a fresh instance; then the
//! two runs of each adapter are merged into one report over the whole corpus
//! ([`runner::merge_live`]). Reports come back in the order of the names, whatever order the
//! workers finish in, so the pages do not depend on timing.
//!
//! Building and running an adapter are the caller's ([`run_all`] takes both as functions), so
//! the binary keeps its progress bars and the tests run without adapters.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::report::Report;
use crate::runner;
use crate::set::Corpus;
use crate::vector::Feature;

/// Which part of the corpus a run covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Every vector but the live key-set ones, on the workers.
    Rest,
    /// The live key-set vectors, every fetching adapter at once.
    Live,
}

/// The outcome of one adapter: its report over the whole corpus, or why it could not run.
pub type Run = Result<Report, String>;

/// Runs every adapter of `names` over `corpus`: `build` makes an instance (an error leaves the
/// adapter out with that error), `run` runs one over a part of the corpus. At most `jobs`
/// adapters run the rest of the corpus at once (at least one); the live part runs for every
/// adapter that reported `key_fetch` and did not break. One result per name, in order.
pub fn run_all<A, B, R>(
    names: &[String],
    corpus: &Corpus,
    jobs: usize,
    build: B,
    run: R,
) -> Vec<Run>
where
    B: Fn(&str) -> Result<A, String> + Sync,
    R: Fn(A, &str, &Corpus, Phase) -> Report + Sync,
{
    let jobs = jobs.clamp(1, names.len().max(1));
    let (rest, live) = runner::split_live(corpus);
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Run>>> = names.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(name) = names.get(i) else { break };
                    let result = build(name).map(|adapter| run(adapter, name, &rest, Phase::Rest));
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(result);
                    }
                }
            });
        }
    });
    let runs: Vec<Option<Run>> = slots
        .into_iter()
        .map(|slot| slot.into_inner().ok().flatten())
        .collect();
    let fetches = |run: &Option<Run>| {
        matches!(run, Some(Ok(r)) if r.broken().is_none()
            && r.header.capabilities.supports(Feature::KeyFetch))
    };
    let live_runs: Vec<Option<Run>> = std::thread::scope(|scope| {
        let handles: Vec<_> = names
            .iter()
            .zip(&runs)
            .map(|(name, r)| {
                let (live, build, run) = (&live, &build, &run);
                fetches(r).then(|| {
                    scope.spawn(move || build(name).map(|a| run(a, name, live, Phase::Live)))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.and_then(|h| h.join().ok()))
            .collect()
    });
    names
        .iter()
        .zip(runs.into_iter().zip(live_runs))
        .map(|(name, (rest, live))| {
            let rest = rest.unwrap_or_else(|| Err(format!("{name}: its run did not finish")))?;
            match live {
                None => Ok(runner::merge_live(rest, None, corpus)),
                Some(Ok(live)) => Ok(runner::merge_live(rest, Some(live), corpus)),
                Some(Err(e)) => Err(e),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::time::Duration;

    use super::*;
    use crate::judge::TestResult;

    /// A report of `name` over `part` in which every vector is skipped with the phase as its
    /// detail; `fetch` declares `key_fetch`.
    fn fake(name: &str, part: &Corpus, phase: Phase, fetch: bool) -> Report {
        let mut report = runner::unavailable(name, &format!("{phase:?}"), part);
        report.header.library = "fake".to_owned();
        if fetch {
            report
                .header
                .capabilities
                .features
                .insert(Feature::KeyFetch);
        }
        report
    }

    fn small_corpus() -> Corpus {
        let corpus = crate::embedded::corpus().expect("the embedded corpus");
        let (rest, live) = runner::split_live(&corpus);
        assert!(!live.vectors.is_empty(), "the corpus has live vectors");
        let vectors = rest
            .vectors
            .iter()
            .take(5)
            .chain(live.vectors.iter().take(3))
            .cloned()
            .collect();
        Corpus { vectors, ..corpus }
    }

    #[test]
    fn reports_come_back_in_order_with_the_live_part_merged_for_fetchers() {
        let corpus = small_corpus();
        let names: Vec<String> = ["slow", "fetcher", "missing", "fast"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let live_runs = AtomicUsize::new(0);
        let runs = run_all(
            &names,
            &corpus,
            3,
            |name| match name {
                "missing" => Err("missing: not installed".to_owned()),
                name => Ok(name.to_owned()),
            },
            |adapter, name, part, phase| {
                assert_eq!(adapter, name);
                if name == "slow" {
                    // Finishes last: the order must not follow the workers.
                    std::thread::sleep(Duration::from_millis(200));
                }
                if phase == Phase::Live {
                    live_runs.fetch_add(1, Ordering::Relaxed);
                }
                fake(name, part, phase, name == "fetcher")
            },
        );
        assert_eq!(runs.len(), names.len());
        assert_eq!(
            live_runs.load(Ordering::Relaxed),
            1,
            "only the fetcher runs live"
        );
        assert_eq!(
            runs[2].as_ref().err().map(String::as_str),
            Some("missing: not installed")
        );
        let ids: Vec<&str> = corpus.vectors.iter().map(|v| v.id.as_str()).collect();
        for (name, run) in names.iter().zip(&runs) {
            let Ok(report) = run else { continue };
            assert_eq!(&report.header.adapter, name);
            // One result per vector of the whole corpus, in its order.
            let got: Vec<&str> = report.results.iter().map(|r| r.id.as_str()).collect();
            assert_eq!(got, ids);
            assert!(report.results.iter().all(|r| r.result == TestResult::Skip));
            let details: BTreeSet<&str> = report
                .results
                .iter()
                .filter(|r| {
                    corpus::live::is_live(corpus.vectors.iter().find(|v| v.id == r.id).unwrap())
                })
                .map(|r| r.detail.as_str())
                .collect();
            if name == "fetcher" {
                assert_eq!(details, BTreeSet::from(["Live"]), "{name}");
            } else {
                assert!(!details.contains("Live"), "{name}: {details:?}");
            }
        }
    }

    #[test]
    fn one_job_runs_the_adapters_one_after_the_other() {
        let corpus = small_corpus();
        let names: Vec<String> = vec!["a".into(), "b".into()];
        let running = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let runs = run_all(
            &names,
            &corpus,
            0,
            |n| Ok(n.to_owned()),
            |_, name, part, phase| {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(20));
                running.fetch_sub(1, Ordering::SeqCst);
                fake(name, part, phase, false)
            },
        );
        assert!(runs.iter().all(Result::is_ok));
        assert_eq!(most.load(Ordering::SeqCst), 1);
    }
}
