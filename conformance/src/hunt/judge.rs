//! The judge of a hunt: every vector to every adapter of the lineup that declares what it
//! needs, the reference verifier's verdict as the oracle, and the cluster signature of each
//! disagreement.
//!
//! Each adapter gets its part of a batch in [`Adapter::verify_batch`] calls, one per instance
//! of it, each on a thread of its own: a subprocess adapter pipelines its share through its
//! persistent process, and the adapters and their instances run at once, across the cores. A panic is caught and turns the adapter's answers into
//! adapter errors; an adapter whose every answer in a batch is an adapter error is dropped from
//! the rest of the campaign (broken, reported), so a wedged adapter costs one batch.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::adapter::{Adapter, Capabilities, Case};
use crate::corpus::token_bytes;
use crate::outcome::Outcome;
use crate::reference;
use crate::vector::{Body, Vector};

/// One adapter of a hunt.
pub struct Entrant {
    pub name: String,
    /// `library version (language)`, for the triage page.
    pub label: String,
    pub language: String,
    pub capabilities: Capabilities,
    /// Its instances (at least one), each with a process of its own for a subprocess adapter:
    /// a batch is split among them, so that the slowest library of a lineup, which every batch
    /// waits for, gets more than one core.
    pub adapters: Vec<Arc<dyn Adapter>>,
    /// Why it left the campaign, once it has.
    pub broken: Option<String>,
    /// Wall time spent in its batch calls.
    pub busy: Duration,
}

impl std::fmt::Debug for Entrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entrant")
            .field("name", &self.name)
            .field("broken", &self.broken)
            .finish_non_exhaustive()
    }
}

/// What every adapter answered for one vector (`None`: it does not run the vector, or it
/// failed on it), and the reference's outcome.
#[derive(Clone, Debug)]
pub struct Judged {
    pub reference: Outcome,
    pub answers: Vec<Option<Outcome>>,
    /// Adapter errors (timeouts, crashes, protocol errors) on this vector, by adapter index.
    pub errors: Vec<usize>,
}

/// A disagreement's cluster key: the reference's verdict (`accept`, `reject:REASON`,
/// `config_error:CODE`) and the adapters that answered the other way, sorted.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Signature {
    pub reference: String,
    pub adapters: Vec<String>,
}

impl std::fmt::Display for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let side = if self.reference == "accept" {
            "refused by"
        } else {
            "accepted by"
        };
        write!(f, "{} {side} {}", self.reference, self.adapters.join(", "))
    }
}

/// The reference's verdict as a signature's first half.
pub fn verdict_key(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Accept { .. } => "accept".to_owned(),
        Outcome::Reject { reason, .. } => format!(
            "reject:{}",
            reason
                .as_ref()
                .map_or_else(|| "unknown".to_owned(), ToString::to_string)
        ),
        Outcome::ConfigError { code, .. } => format!(
            "config_error:{}",
            code.as_ref()
                .map_or_else(|| "unknown".to_owned(), ToString::to_string)
        ),
        other => other.kind().name().to_owned(),
    }
}

fn accepts(outcome: &Outcome) -> Option<bool> {
    match outcome {
        Outcome::Accept { .. } => Some(true),
        Outcome::Reject { .. } | Outcome::ConfigError { .. } => Some(false),
        _ => None,
    }
}

impl Judged {
    /// The cluster signature of this vector's disagreements, if any adapter disagrees.
    pub fn signature(&self, lineup: &[Entrant]) -> Option<Signature> {
        let reference = accepts(&self.reference)?;
        let adapters: BTreeSet<String> = self
            .answers
            .iter()
            .zip(lineup)
            .filter_map(|(a, e)| {
                let a = accepts(a.as_ref()?)?;
                (a != reference).then(|| e.name.clone())
            })
            .collect();
        (!adapters.is_empty()).then(|| Signature {
            reference: verdict_key(&self.reference),
            adapters: adapters.into_iter().collect(),
        })
    }
}

/// The vector's single step's token, or `None` for vectors a hunt does not send (sequences).
fn single_token(vector: &Vector) -> Option<(Vec<u8>, i64)> {
    match &vector.body {
        Body::Single(step) if step.actions.is_empty() => {
            token_bytes(&step.token).ok().map(|t| (t, step.now))
        }
        _ => None,
    }
}

/// Judges `vectors` (single-step, pinned key sets): the reference on this thread, every
/// adapter of `lineup` that is not broken on a thread of its own.
pub fn judge(lineup: &mut [Entrant], vectors: &[Vector], timeout: Duration) -> Vec<Judged> {
    let tokens: Vec<Option<(Vec<u8>, i64)>> = vectors.iter().map(single_token).collect();
    let (answered, reference) = std::thread::scope(|scope| {
        let handles: Vec<_> = lineup
            .iter()
            .map(|entrant| {
                let tokens = &tokens;
                // Named as the runner's workers are, so a caught panic stays off the terminal.
                std::thread::Builder::new()
                    .name(crate::call::WORKER_THREAD.to_owned())
                    .spawn_scoped(scope, move || ask(entrant, vectors, tokens, timeout))
            })
            .collect();
        let reference: Vec<Outcome> = vectors
            .iter()
            .map(|v| {
                reference::run(v)
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| Outcome::config_error("no step"))
            })
            .collect();
        let answered: Vec<(Vec<Option<Outcome>>, Duration)> = handles
            .into_iter()
            .map(|h| {
                h.ok()
                    .and_then(|h| h.join().ok())
                    .unwrap_or_else(|| (vec![None; vectors.len()], Duration::ZERO))
            })
            .collect();
        (answered, reference)
    });
    let per_adapter: Vec<Vec<Option<Outcome>>> = answered
        .into_iter()
        .zip(lineup.iter_mut())
        .map(|((answers, busy), entrant)| {
            entrant.busy += busy;
            answers
        })
        .collect();
    mark_broken(lineup, &per_adapter);
    reference
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let mut errors = Vec::new();
            let answers = per_adapter
                .iter()
                .enumerate()
                .map(|(a, answers)| match answers.get(i).cloned().flatten() {
                    Some(Outcome::AdapterError { .. } | Outcome::AdapterBroken { .. }) => {
                        errors.push(a);
                        None
                    }
                    other => other,
                })
                .collect();
            Judged {
                reference: r,
                answers,
                errors,
            }
        })
        .collect()
}

/// One adapter's answers for the vectors it runs (`None` for the others).
fn ask(
    entrant: &Entrant,
    vectors: &[Vector],
    tokens: &[Option<(Vec<u8>, i64)>],
    timeout: Duration,
) -> (Vec<Option<Outcome>>, Duration) {
    let mut out = vec![None; vectors.len()];
    if entrant.broken.is_some() {
        return (out, Duration::ZERO);
    }
    let runs: Vec<usize> = vectors
        .iter()
        .zip(tokens)
        .enumerate()
        .filter(|(_, (v, t))| t.is_some() && entrant.capabilities.runs(v))
        .map(|(i, _)| i)
        .collect();
    let cases: Vec<Case<'_>> = runs
        .iter()
        .filter_map(|&i| {
            let (token, now) = tokens[i].as_ref()?;
            let v = &vectors[i];
            Some(Case {
                vector: v,
                step: 0,
                token,
                jwks: &v.jwks,
                profile: &v.profile,
                now: *now,
                actions: &[],
                live: None,
                timeout,
            })
        })
        .collect();
    let started = std::time::Instant::now();
    let share = cases.len().div_ceil(entrant.adapters.len().max(1)).max(1);
    let answers: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .chunks(share)
            .zip(&entrant.adapters)
            .map(|(part, adapter)| {
                std::thread::Builder::new()
                    .name(crate::call::WORKER_THREAD.to_owned())
                    .spawn_scoped(scope, move || ask_one(adapter.as_ref(), part))
            })
            .collect();
        handles
            .into_iter()
            .zip(cases.chunks(share))
            .flat_map(|(h, part)| {
                h.ok().and_then(|h| h.join().ok()).unwrap_or_else(|| {
                    let error = "the adapter's worker could not run".to_owned();
                    vec![Outcome::AdapterError { error }; part.len()]
                })
            })
            .collect()
    });
    for (i, answer) in runs.into_iter().zip(answers) {
        out[i] = Some(answer);
    }
    (out, started.elapsed())
}

/// One instance's answers for its share of a batch. A panic on one case must not cost the
/// other answers: the share is asked again case by case, and only the cases that panic get an
/// adapter error.
fn ask_one(adapter: &dyn Adapter, cases: &[Case<'_>]) -> Vec<Outcome> {
    catch_unwind(AssertUnwindSafe(|| adapter.verify_batch(cases))).unwrap_or_else(|_| {
        cases
            .iter()
            .map(|case| {
                catch_unwind(AssertUnwindSafe(|| adapter.verify(case))).unwrap_or_else(|p| {
                    Outcome::AdapterError {
                        error: format!("panic: {}", crate::call::panic_message(p.as_ref())),
                    }
                })
            })
            .collect()
    })
}

/// Drops from the campaign every adapter that answered a batch with adapter errors only.
fn mark_broken(lineup: &mut [Entrant], per_adapter: &[Vec<Option<Outcome>>]) {
    for (entrant, answers) in lineup.iter_mut().zip(per_adapter) {
        let given: Vec<&Outcome> = answers.iter().flatten().collect();
        let failed = given
            .iter()
            .filter(|o| {
                matches!(
                    o,
                    Outcome::AdapterError { .. } | Outcome::AdapterBroken { .. }
                )
            })
            .count();
        if entrant.broken.is_none() && given.len() >= 3 && failed == given.len() {
            let why = given
                .iter()
                .find_map(|o| match o {
                    Outcome::AdapterError { error } => Some(error.clone()),
                    Outcome::AdapterBroken { error } => Some(error.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            entrant.broken = Some(crate::text::one_line(&why, 200));
        }
    }
}
