//! The matrix by algorithm and by preset: which algorithm groups and preset a vector counts
//! under ([`AlgGroup`], [`Slice`]), and where a library's verdict on one defect differs between
//! its algorithm paths ([`Defect`], [`divergences`]).
//!
//! A vector counts under every algorithm group its profile's `algorithms` allows (ES256 when it
//! lists none), as `cargo run -p tools -- stats` counts, and under its preset (absent =
//! `rfc9068`).
//!
//! *The same defect under several algorithms*: the corpus renders some rows under more than one
//! algorithm and names them for it: `across/ALG-…` (`across/rs256-form-leading-space` is
//! `form/leading-space` under RS256), `presets/jwt-bad-sig-ALG`, `ecdsa/es384-…` beside
//! `ecdsa/es512-…`. A vector's *defect key* is its ID with its one algorithm word replaced by
//! `*`; an `across/ALG-FAMILY-REST` row whose `FAMILY/REST` is a vector of the corpus takes that
//! vector's key, so the ES256 original joins its re-renderings (unless `across` renders the row
//! under ES256 itself: then the across rows are the table). IDs naming several algorithms
//! (`allowlist/accept-hs256-in-es256-hs256`) are not keyed.

use std::collections::{BTreeMap, BTreeSet};

use verifier::{Algorithm, Preset};

use crate::judge::{Summary, TestResult};
use crate::outcome::OutcomeKind;
use crate::report::{Report, VectorResult};
use crate::set::Corpus;
use crate::vector::Vector;

/// The algorithm groups of the matrix: each EC algorithm alone (their curves and signature
/// lengths differ), then RSA PKCS#1 v1.5, RSA-PSS, EdDSA and HMAC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AlgGroup {
    Es256,
    Es384,
    Es512,
    Rs,
    Ps,
    EdDsa,
    Hs,
}

impl AlgGroup {
    /// Every group, in the matrix's order.
    pub const ALL: [AlgGroup; 7] = [
        AlgGroup::Es256,
        AlgGroup::Es384,
        AlgGroup::Es512,
        AlgGroup::Rs,
        AlgGroup::Ps,
        AlgGroup::EdDsa,
        AlgGroup::Hs,
    ];

    /// The column heading: `ES256`, `RS`, `EdDSA`, …
    pub const fn name(self) -> &'static str {
        match self {
            AlgGroup::Es256 => "ES256",
            AlgGroup::Es384 => "ES384",
            AlgGroup::Es512 => "ES512",
            AlgGroup::Rs => "RS",
            AlgGroup::Ps => "PS",
            AlgGroup::EdDsa => "EdDSA",
            AlgGroup::Hs => "HS",
        }
    }

    /// The group of an algorithm.
    pub const fn of(alg: Algorithm) -> AlgGroup {
        match alg {
            Algorithm::ES256 => AlgGroup::Es256,
            Algorithm::ES384 => AlgGroup::Es384,
            Algorithm::ES512 => AlgGroup::Es512,
            Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 => AlgGroup::Rs,
            Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512 => AlgGroup::Ps,
            Algorithm::EdDSA => AlgGroup::EdDsa,
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => AlgGroup::Hs,
        }
    }
}

/// The algorithm groups a vector counts under.
pub fn groups_of(v: &Vector) -> BTreeSet<AlgGroup> {
    v.algorithms().into_iter().map(AlgGroup::of).collect()
}

/// `ES256`, or `RS + HS` for a vector under several groups.
pub fn groups_label(groups: &BTreeSet<AlgGroup>) -> String {
    groups
        .iter()
        .map(|g| g.name())
        .collect::<Vec<_>>()
        .join(" + ")
}

/// A column of the breakdowns: one category, one algorithm group or one preset.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slice {
    Category(String),
    Algorithm(AlgGroup),
    Preset(Preset),
}

impl Slice {
    /// The algorithm groups, then the presets.
    pub fn algorithms_and_presets() -> Vec<Slice> {
        AlgGroup::ALL
            .into_iter()
            .map(Slice::Algorithm)
            .chain(Preset::ALL.into_iter().map(Slice::Preset))
            .collect()
    }

    /// `header`, `RS`, `oidc-id-token`.
    pub fn label(&self) -> &str {
        match self {
            Slice::Category(c) => c,
            Slice::Algorithm(g) => g.name(),
            Slice::Preset(p) => p.name(),
        }
    }

    /// `category`, `algorithm` or `preset`.
    pub fn kind(&self) -> &'static str {
        match self {
            Slice::Category(_) => "category",
            Slice::Algorithm(_) => "algorithm",
            Slice::Preset(_) => "preset",
        }
    }

    /// The heading of the slice's failures on an adapter page (`### category: header`) and
    /// its anchor, as GitHub derives it (`category-header`, `algorithm-eddsa`).
    pub fn heading(&self) -> String {
        format!("{}: {}", self.kind(), self.label())
    }

    /// The anchor of [`Slice::heading`].
    pub fn anchor(&self) -> String {
        format!("{}-{}", self.kind(), self.label().to_lowercase())
    }

    /// Whether vector `v` counts under the slice.
    pub fn contains(&self, v: &Vector) -> bool {
        match self {
            Slice::Category(c) => v.category == *c,
            Slice::Algorithm(g) => groups_of(v).contains(g),
            Slice::Preset(p) => v.profile.preset == *p,
        }
    }
}

/// The vectors of a corpus by ID.
pub fn index(corpus: &Corpus) -> BTreeMap<&str, &Vector> {
    corpus
        .vectors
        .iter()
        .map(|v| (v.id.as_str(), &**v))
        .collect()
}

/// The results of `report` whose vector counts under `slice`.
pub fn results_in<'r>(
    report: &'r Report,
    slice: &Slice,
    vectors: &BTreeMap<&str, &Vector>,
) -> Vec<&'r VectorResult> {
    report
        .results
        .iter()
        .filter(|r| {
            vectors
                .get(r.id.as_str())
                .is_some_and(|v| slice.contains(v))
        })
        .collect()
}

/// The tallies of `report` over `slice`.
pub fn summary_in(report: &Report, slice: &Slice, vectors: &BTreeMap<&str, &Vector>) -> Summary {
    Summary::of_all(results_in(report, slice, vectors))
}

/// The corpus's vectors under `slice`.
pub fn vectors_in(corpus: &Corpus, slice: &Slice) -> usize {
    corpus.vectors.iter().filter(|v| slice.contains(v)).count()
}

/// The lower-case algorithm word of an ID (`rs256`, `eddsa`).
fn algorithm_word(word: &str) -> Option<Algorithm> {
    Algorithm::ALL
        .into_iter()
        .find(|a| a.name().eq_ignore_ascii_case(word))
}

/// The defect key of an ID by its name alone: the ID with its one algorithm word replaced by
/// `*`; `None` when it names no algorithm or several.
fn own_key(id: &str) -> Option<String> {
    let (family, name) = id.split_once('/')?;
    let words: Vec<&str> = name.split('-').collect();
    let mut at = words
        .iter()
        .enumerate()
        .filter(|(_, w)| algorithm_word(w).is_some());
    let (i, _) = at.next()?;
    if at.next().is_some() {
        return None;
    }
    let mut keyed = words.clone();
    keyed[i] = "*";
    Some(format!("{family}/{}", keyed.join("-")))
}

/// One defect the corpus renders under several algorithm groups.
#[derive(Clone, Debug)]
pub struct Defect<'a> {
    /// `form/leading-space`, `presets/jwt-bad-sig-*`.
    pub key: String,
    /// Its vectors, each under one algorithm group, in ID order.
    pub vectors: Vec<(&'a Vector, AlgGroup)>,
}

/// The defects of `corpus` rendered under two or more algorithm groups, by key.
pub fn defects(corpus: &Corpus) -> Vec<Defect<'_>> {
    let ids: BTreeSet<&str> = corpus.vectors.iter().map(|v| v.id.as_str()).collect();
    let key_of = |id: &str| -> Option<String> {
        if let Some(rest) = id.strip_prefix("across/") {
            // across/ALG-FAMILY-REST re-renders FAMILY/REST under ALG, unless the row has an
            // ES256 rendering of its own in `across` (the table under all thirteen).
            if let Some((_, tail)) = rest.split_once('-')
                && let Some((family, name)) = tail.split_once('-')
                && !ids.contains(format!("across/es256-{tail}").as_str())
            {
                let original = format!("{family}/{name}");
                if ids.contains(original.as_str()) {
                    return Some(own_key(&original).unwrap_or(original));
                }
            }
        }
        own_key(id).or_else(|| Some(id.to_owned()))
    };
    let mut by_key: BTreeMap<String, Vec<(&Vector, AlgGroup)>> = BTreeMap::new();
    for v in &corpus.vectors {
        let groups = groups_of(v);
        let (Some(key), true) = (key_of(&v.id), groups.len() == 1) else {
            continue;
        };
        if let Some(&group) = groups.first() {
            by_key.entry(key).or_default().push((v, group));
        }
    }
    by_key
        .into_iter()
        .filter(|(_, vs)| {
            let groups: BTreeSet<AlgGroup> = vs.iter().map(|(_, g)| *g).collect();
            groups.len() > 1
        })
        .map(|(key, vectors)| Defect { key, vectors })
        .collect()
}

/// What a library did on one vector of a defect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlgVerdict<'r> {
    pub id: &'r str,
    pub group: AlgGroup,
    /// Conformed (exactly or acceptably).
    pub conforms: bool,
    /// What it did: `accept`, `reject`, `config_error`.
    pub did: OutcomeKind,
}

/// A defect on which the library's verdict depends on the algorithm.
#[derive(Clone, Debug)]
pub struct Divergence<'a, 'r> {
    pub defect: &'a Defect<'a>,
    /// The vectors the library ran (not skipped, no adapter error, no timeout), in ID order.
    pub verdicts: Vec<AlgVerdict<'r>>,
}

/// The defects of `defects` on which `report` conformed under some algorithm and failed under
/// another, among the vectors it ran.
pub fn divergences<'a, 'r>(
    report: &'r Report,
    defects: &'a [Defect<'a>],
) -> Vec<Divergence<'a, 'r>> {
    let results: BTreeMap<&str, &VectorResult> =
        report.results.iter().map(|r| (r.id.as_str(), r)).collect();
    defects
        .iter()
        .filter_map(|defect| {
            let verdicts: Vec<AlgVerdict<'r>> = defect
                .vectors
                .iter()
                .filter_map(|(v, group)| {
                    let r = results.get(v.id.as_str())?;
                    let ran = r.result != TestResult::Skip
                        && !r.adapter_error
                        && r.impact != Some(crate::impact::Impact::DenialOfService);
                    let did = r.actual.as_ref()?.verdict;
                    ran.then_some(AlgVerdict {
                        id: r.id.as_str(),
                        group: *group,
                        conforms: r.result != TestResult::Fail,
                        did,
                    })
                })
                .collect();
            let differs =
                verdicts.iter().any(|v| v.conforms) && verdicts.iter().any(|v| !v.conforms);
            differs.then_some(Divergence { defect, verdicts })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_algorithm_word_is_the_key_unless_there_are_several() {
        assert_eq!(
            own_key("presets/jwt-bad-sig-rs256").as_deref(),
            Some("presets/jwt-bad-sig-*")
        );
        assert_eq!(
            own_key("across/eddsa-form-leading-space").as_deref(),
            Some("across/*-form-leading-space")
        );
        assert_eq!(own_key("allowlist/accept-hs256-in-es256-hs256"), None);
        assert_eq!(own_key("form/leading-space"), None);
        assert_eq!(AlgGroup::of(Algorithm::PS384), AlgGroup::Ps);
        assert_eq!(
            Slice::Algorithm(AlgGroup::EdDsa).anchor(),
            "algorithm-eddsa"
        );
        assert_eq!(
            Slice::Preset(Preset::OidcIdToken).anchor(),
            "preset-oidc-id-token"
        );
        assert_eq!(
            Slice::Category("header".into()).heading(),
            "category: header"
        );
    }

    #[test]
    fn the_corpus_renders_defects_under_several_groups() {
        let corpus = crate::embedded::corpus().expect("the embedded corpus");
        let defects = defects(&corpus);
        let find = |key: &str| defects.iter().find(|d| d.key == key);
        // The ES256 original joins its RS256 and EdDSA re-renderings.
        let space = find("form/leading-space").expect("form/leading-space is re-rendered");
        let ids: Vec<&str> = space.vectors.iter().map(|(v, _)| v.id.as_str()).collect();
        assert!(ids.contains(&"form/leading-space"), "{ids:?}");
        assert!(ids.contains(&"across/rs256-form-leading-space"), "{ids:?}");
        assert!(ids.contains(&"across/eddsa-form-leading-space"), "{ids:?}");
        // The across rows under all thirteen algorithms: every group.
        let none = find("across/*-alg-none-empty-signature").expect("alg none across");
        let groups: BTreeSet<AlgGroup> = none.vectors.iter().map(|(_, g)| *g).collect();
        assert_eq!(groups.len(), AlgGroup::ALL.len(), "{groups:?}");
        // Every defect spans two groups at least.
        assert!(defects.iter().all(|d| {
            d.vectors
                .iter()
                .map(|(_, g)| *g)
                .collect::<BTreeSet<_>>()
                .len()
                > 1
        }));
    }
}
