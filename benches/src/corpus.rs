//! The corpus of the throughput bench: the usable vectors of `vectors/`, or a synthetic mix.

use std::path::{Path, PathBuf};

use ::corpus::vector::{Body, TokenSpec, Vector};
use serde_json::{Value, json};
use verifier::{Backend, KeySet, Profile, Verifier};

use crate::*;

/// One corpus vector ready to run: a built verifier, the token and the time.
pub struct CorpusCase {
    pub verifier: Verifier,
    pub token: Vec<u8>,
    pub now: i64,
}

/// Where the corpus came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CorpusSource {
    /// `vectors/**/*.json` of the workspace.
    Vectors,
    /// No usable vector on disk: a synthetic mix from `forge`.
    Synthetic,
}

impl CorpusSource {
    /// The bench parameter naming the source.
    pub fn id(self) -> &'static str {
        match self {
            CorpusSource::Vectors => "vectors",
            CorpusSource::Synthetic => "synthetic",
        }
    }
}

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("benches/ sits in the workspace")
        .to_path_buf()
}

/// The corpus of the throughput bench.
pub struct Corpus {
    pub source: CorpusSource,
    pub cases: Vec<CorpusCase>,
    /// Vector files found but not usable here (see [`load_corpus`]).
    pub skipped: usize,
}

/// The corpus: every single-step vector under `dir` (loaded with the `corpus` crate's loader)
/// with a `token` string and a pinned key set (no `key_source`) whose profile and key set build
/// a verifier without stores; other vectors (sequences, byte or recipe tokens, fetched keys,
/// stateful profiles, config errors) are skipped. With none usable (or a corpus that does not
/// load), the synthetic mix.
pub fn load_corpus(dir: &Path, backend: Backend) -> Corpus {
    let vectors = ::corpus::set::Corpus::load(dir)
        .map(|c| c.vectors)
        .unwrap_or_default();
    let cases: Vec<CorpusCase> = vectors
        .iter()
        .filter_map(|v| corpus_case(v, backend))
        .collect();
    let skipped = vectors.len() - cases.len();
    if cases.is_empty() {
        Corpus {
            source: CorpusSource::Synthetic,
            cases: synthetic_corpus(backend),
            skipped,
        }
    } else {
        Corpus {
            source: CorpusSource::Vectors,
            cases,
            skipped,
        }
    }
}

fn corpus_case(vector: &Vector, backend: Backend) -> Option<CorpusCase> {
    let Body::Single(step) = &vector.body else {
        return None;
    };
    let TokenSpec::Text(token) = &step.token else {
        return None;
    };
    if vector.key_source.is_some() || !vector.jwks.is_object() {
        return None;
    }
    let keys = KeySet::from_jwks_json(&vector.jwks_bytes()).ok()?;
    let verifier = Verifier::builder(vector.profile.clone())
        .key_set(keys)
        .signature_backend(backend)
        .build()
        .ok()?;
    Some(CorpusCase {
        verifier,
        token: token.as_bytes().to_vec(),
        now: step.now,
    })
}

/// Synthetic corpus: the typical token, the scaling tokens, the malformed inputs, and tokens
/// failing after the signature (bad signature, expired, wrong issuer and audience), under the
/// clock-bound and timeless default profiles.
pub fn synthetic_corpus(backend: Backend) -> Vec<CorpusCase> {
    let typical = Setup::typical();
    let compact = Setup::compact();
    let case = |setup: &Setup, profile: Value, token: String, now: i64| CorpusCase {
        verifier: Verifier::builder(
            Profile::from_json(profile.to_string().as_bytes()).expect("profile"),
        )
        .key_set(KeySet::from_jwks_json(setup.jwks().to_string().as_bytes()).expect("key set"))
        .signature_backend(backend)
        .build()
        .expect("verifier"),
        token: token.into_bytes(),
        now,
    };
    let timeless = |setup: &Setup, token: String| case(setup, setup.profile_json(), token, NOW);
    let bound = |token: String, now: i64| case(&typical, forge::profile_json(), token, now);

    let mut cases = vec![timeless(&typical, typical_token())];
    for len in SIZES {
        cases.push(timeless(&compact, sized_token(&compact, len)));
    }
    for m in malformed_inputs() {
        cases.push(timeless(&typical, m.token));
    }
    let mut bad_signature = typical_token();
    bad_signature.replace_range(bad_signature.len() - 2.., "AA");
    cases.push(timeless(&typical, bad_signature));
    let now = forge::NOW;
    let sign = |claims: Value| typical.sign(&claims);
    cases.push(bound(sign(forge::claims_at(now - 600, 300)), now));
    cases.push(bound(sign(forge::claims_at(now, 600)), now));
    let mut wrong_iss = forge::claims_at(now, 600);
    wrong_iss["iss"] = json!("https://issuer.example/");
    cases.push(bound(sign(wrong_iss), now));
    let mut wrong_aud = forge::claims_at(now, 600);
    wrong_aud["aud"] = json!(["https://other.example"]);
    cases.push(bound(sign(wrong_aud), now));
    cases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_corpus_builds() {
        let cases = synthetic_corpus(Backend::DEFAULT);
        let accepted = cases
            .iter()
            .filter(|c| c.verifier.verify(&c.token, c.now).is_ok())
            .count();
        assert!(accepted >= 8 && accepted < cases.len(), "{accepted}");
    }

    #[test]
    fn corpus_falls_back_to_synthetic_without_vectors() {
        let corpus = load_corpus(Path::new("/nonexistent/vectors"), Backend::DEFAULT);
        assert_eq!(corpus.source, CorpusSource::Synthetic);
        assert!(!corpus.cases.is_empty());
        assert_eq!(corpus.skipped, 0);
    }
}
