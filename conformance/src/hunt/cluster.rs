//! Clusters of disagreements, the clusters the corpus already produces, and the minimizer.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::candidate::Candidate;
use super::judge::Signature;

/// One cluster of a campaign.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Cluster {
    pub signature: Signature,
    /// Candidates that fell in it.
    pub count: u64,
    /// The candidate with the shortest token, and that length.
    pub smallest: u64,
    pub smallest_len: usize,
    /// The mutations of `smallest` that minimization has kept so far (indices).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept: Option<Vec<usize>>,
    /// True once `kept` is 1-minimal (no mutation of it can go).
    #[serde(default)]
    pub minimal: bool,
    /// True when some adapter of it disagrees on the reference's verdict as it does in no
    /// corpus vector ([`Baseline::novel`]).
    pub new: bool,
}

/// What the committed corpus produces through the same judge, with the same adapters.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Baseline {
    /// The corpus version and the adapters (`name version`) it was computed with: a baseline
    /// for another corpus or lineup is computed again.
    pub corpus: String,
    pub adapters: Vec<String>,
    /// Each corpus vector the hunt can send, with its signature (`None`: everyone agreed).
    pub vectors: Vec<(String, Option<Signature>)>,
}

impl Baseline {
    /// The signatures the corpus produces.
    pub fn signatures(&self) -> BTreeSet<&Signature> {
        self.vectors
            .iter()
            .filter_map(|(_, s)| s.as_ref())
            .collect()
    }

    /// Every (reference verdict, adapter) disagreement some corpus vector produces.
    pub fn disagreements(&self) -> BTreeSet<(&str, &str)> {
        self.vectors
            .iter()
            .filter_map(|(_, s)| s.as_ref())
            .flat_map(|s| {
                s.adapters
                    .iter()
                    .map(|a| (s.reference.as_str(), a.as_str()))
            })
            .collect()
    }

    /// The adapters of `signature` that disagree on its reference verdict as they do in no
    /// corpus vector: what the cluster says about a library that the corpus does not. A
    /// cluster without any is a new combination of disagreements the corpus already produces
    /// one by one (its exact set of adapters depends on which adapters declare what the
    /// candidate needs, and on incidental details of the mutation). `known`:
    /// [`Baseline::disagreements`].
    pub fn novel<'s>(known: &BTreeSet<(&str, &str)>, signature: &'s Signature) -> Vec<&'s str> {
        signature
            .adapters
            .iter()
            .map(String::as_str)
            .filter(|a| !known.contains(&(signature.reference.as_str(), *a)))
            .collect()
    }

    /// The corpus vector whose disagreement is nearest `signature`: the same reference verdict
    /// and the most adapters in common (Jaccard); ties go to the first in corpus order.
    pub fn nearest(&self, signature: &Signature) -> Option<(&str, &Signature)> {
        let theirs: BTreeSet<&String> = signature.adapters.iter().collect();
        let mut best: Option<(f64, &str, &Signature)> = None;
        for (id, sig) in &self.vectors {
            let Some(sig) = sig else { continue };
            if sig.reference != signature.reference {
                continue;
            }
            let ours: BTreeSet<&String> = sig.adapters.iter().collect();
            let common = ours.intersection(&theirs).count();
            let all = ours.union(&theirs).count().max(1);
            #[allow(clippy::cast_precision_loss)]
            let score = common as f64 / all as f64;
            if best.is_none_or(|(b, _, _)| score > b) {
                best = Some((score, id, sig));
            }
        }
        best.map(|(_, id, sig)| (id, sig))
    }
}

/// Clusters by signature.
pub type Clusters = BTreeMap<String, Cluster>;

/// Files a disagreement: a new cluster, or one more member of a known one (keeping the
/// candidate with the shortest token). `known`: [`Baseline::disagreements`].
pub fn file(
    clusters: &mut Clusters,
    signature: Signature,
    index: u64,
    len: usize,
    known: &BTreeSet<(&str, &str)>,
) {
    let key = signature.to_string();
    let new = !Baseline::novel(known, &signature).is_empty();
    let c = clusters.entry(key).or_insert_with(|| Cluster {
        signature,
        count: 0,
        smallest: index,
        smallest_len: len,
        kept: None,
        minimal: false,
        new,
    });
    c.count += 1;
    if len < c.smallest_len || (len == c.smallest_len && index < c.smallest) {
        c.smallest = index;
        c.smallest_len = len;
        c.kept = None;
        c.minimal = false;
    }
}

/// Delta debugging over the mutations of several clusters' candidates at once, at the finest
/// granularity (one mutation removed at a time, which is where ddmin ends for lists this
/// short): each round judges, in one batch, every candidate with one of its remaining
/// mutations removed, and keeps for each cluster the first removal that still gives its
/// signature. A cluster is done when no removal does (its kept set is 1-minimal).
///
/// `judge` returns one signature per candidate it is given; `out_of_time` is asked before each
/// round. Returns each cluster's kept mutation indices and whether it is 1-minimal.
pub fn minimize_all(
    clusters: &[(Candidate, Signature)],
    mut judge: impl FnMut(&[Candidate]) -> Vec<Option<Signature>>,
    out_of_time: impl Fn() -> bool,
) -> Vec<(Vec<usize>, bool)> {
    let mut kept: Vec<(Vec<usize>, bool)> = clusters
        .iter()
        .map(|(c, _)| ((0..c.mutations.len()).collect(), false))
        .collect();
    while kept.iter().any(|(_, done)| !done) && !out_of_time() {
        // (cluster, the kept set tried) for every removal of every unfinished cluster.
        let trials: Vec<(usize, Vec<usize>)> = kept
            .iter()
            .enumerate()
            .filter(|(_, (_, done))| !done)
            .flat_map(|(n, (set, _))| {
                (0..set.len()).map(move |drop| {
                    let mut fewer = set.clone();
                    fewer.remove(drop);
                    (n, fewer)
                })
            })
            .collect();
        let candidates: Vec<Candidate> = trials
            .iter()
            .map(|(n, set)| clusters[*n].0.with_mutations(|i| set.contains(&i)))
            .collect();
        let signatures = judge(&candidates);
        let mut reduced = vec![false; clusters.len()];
        for ((n, set), sig) in trials.into_iter().zip(signatures) {
            if !reduced[n] && sig.as_ref() == Some(&clusters[n].1) {
                kept[n].0 = set;
                reduced[n] = true;
            }
        }
        for (n, (set, done)) in kept.iter_mut().enumerate() {
            if !*done && (!reduced[n] || set.is_empty()) {
                *done = !reduced[n] || set.is_empty();
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hunt::candidate::{Mutation, SigMutation};

    fn candidate(n: usize) -> Candidate {
        Candidate {
            index: 0,
            seed: 0,
            mutations: (0..n)
                .map(|i| Mutation::Signature(SigMutation::Truncate(u8::try_from(i).unwrap())))
                .collect(),
        }
    }

    fn truncations(c: &Candidate) -> BTreeSet<u8> {
        c.mutations
            .iter()
            .filter_map(|m| match m {
                Mutation::Signature(SigMutation::Truncate(n)) => Some(*n),
                _ => None,
            })
            .collect()
    }

    /// A judge whose verdict is the set of truncations that `matters` keeps.
    fn judge_by(matters: &[u8]) -> impl FnMut(&[Candidate]) -> Vec<Option<Signature>> + '_ {
        move |cands| {
            cands
                .iter()
                .map(|c| {
                    let t = truncations(c);
                    matters.iter().all(|m| t.contains(m)).then(|| Signature {
                        reference: "reject:x".into(),
                        adapters: vec!["lib".into()],
                    })
                })
                .collect()
        }
    }

    fn target() -> Signature {
        Signature {
            reference: "reject:x".into(),
            adapters: vec!["lib".into()],
        }
    }

    #[test]
    fn minimize_finds_the_one_mutation_that_matters() {
        let kept = minimize_all(&[(candidate(7), target())], judge_by(&[5]), || false);
        assert_eq!(kept, vec![(vec![5], true)]);
    }

    #[test]
    fn minimize_keeps_a_pair_that_only_matters_together_and_works_on_several_at_once() {
        let clusters = [(candidate(8), target()), (candidate(3), target())];
        let kept = minimize_all(&clusters, judge_by(&[1, 2]), || false);
        assert_eq!(kept, vec![(vec![1, 2], true), (vec![1, 2], true)]);
    }

    #[test]
    fn minimize_stops_when_out_of_time() {
        let rounds = std::cell::Cell::new(0);
        let kept = minimize_all(&[(candidate(8), target())], judge_by(&[7]), || {
            rounds.set(rounds.get() + 1);
            rounds.get() > 2
        });
        assert_eq!(kept.len(), 1);
        assert!(!kept[0].1, "not finished");
        assert_eq!(kept[0].0.len(), 6, "two rounds removed two mutations");
    }

    #[test]
    fn a_smaller_token_replaces_the_clusters_representative() {
        let sig = Signature {
            reference: "reject:alg_not_allowed".into(),
            adapters: vec!["a".into()],
        };
        let known = BTreeSet::from([("reject:alg_not_allowed", "b")]);
        let mut clusters = Clusters::new();
        file(&mut clusters, sig.clone(), 3, 100, &known);
        file(&mut clusters, sig.clone(), 9, 80, &known);
        file(&mut clusters, sig.clone(), 12, 90, &known);
        let c = &clusters[&sig.to_string()];
        assert_eq!(
            (c.count, c.smallest, c.smallest_len, c.new),
            (3, 9, 80, true)
        );
        assert!(c.kept.is_none() && !c.minimal);
        let old = Signature {
            reference: "reject:alg_not_allowed".into(),
            adapters: vec!["b".into()],
        };
        file(&mut clusters, old.clone(), 1, 10, &known);
        assert!(
            !clusters[&old.to_string()].new,
            "b disagrees so in the corpus"
        );
    }
}
