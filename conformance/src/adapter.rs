//! The adapter contract (version [`ADAPTER_API_VERSION`]): how any JWT verifier is plugged into
//! the runner. A public, versioned interface, documented in `docs/adapters.md`.
//!
//! An adapter wraps one library configured as strictly as that library's own API allows. It
//! declares the vector [`Feature`]s it can express; the runner skips vectors that need others.
//! For each step of each vector it receives a [`Case`] (token bytes, key set, profile, time) and
//! answers with an [`Outcome`]. It adds no checks of its own: what it reports is what
//! the library did.

use std::collections::BTreeSet;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use verifier::{Algorithm, Preset, Profile};

pub use crate::live::LiveEndpoint;
pub use crate::outcome::Outcome;
use crate::vector::{Action, Feature, Vector};

/// Version of the adapter trait. Bumped on any incompatible change to [`Adapter`], [`Case`],
/// [`Capabilities`] or [`Outcome`] (the subprocess protocol has its own version:
/// [`crate::adapters::protocol::PROTOCOL_VERSION`]).
pub const ADAPTER_API_VERSION: u32 = 4;

/// What an adapter can express, beyond a single stateless, clock-independent ES256 check under
/// the default (`rfc9068`) preset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// The vector features this adapter supports.
    pub features: BTreeSet<Feature>,
    /// The algorithms the adapter can pin its library to. A vector whose profile allows an
    /// algorithm outside them is skipped (`feature_not_declared`). Default `{ES256}`: every
    /// vector of schema version 2, so an adapter written before algorithms were declared runs
    /// what it always ran.
    #[serde(default = "default_algorithms")]
    pub algorithms: BTreeSet<Algorithm>,
    /// The profile presets the adapter can configure its library for; a vector of another preset
    /// is skipped (`feature_not_declared`). Default `{rfc9068}`, for the same reason.
    #[serde(default = "default_presets")]
    pub presets: BTreeSet<Preset>,
    /// The adapter reproduces the reference's reason IDs, config-error codes and claims exactly,
    /// so any difference in them is a failure (not only a different verdict).
    #[serde(default)]
    pub exact: bool,
    /// The claims of every acceptance are the library's own decoded payload, so the runner
    /// compares them with the expected claims and a difference fails the step (impact
    /// `reason-mismatch`). Implied by `exact`. Without it the claims are not compared: an
    /// adapter that cannot hand back the library's claims faithfully must not be failed for it.
    #[serde(default)]
    pub claims: bool,
    /// The adapter's key cache runs on each case's `now`, so the runner need not wait real
    /// time between the steps of a live key-set vector (the reference). Not in the protocol:
    /// a library's cache runs on the wall clock.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub logical_clock: bool,
}

/// `{ES256}`: what an adapter that declares no algorithms supports.
fn default_algorithms() -> BTreeSet<Algorithm> {
    BTreeSet::from([Algorithm::ES256])
}

/// `{rfc9068}`: what an adapter that declares no presets supports.
fn default_presets() -> BTreeSet<Preset> {
    BTreeSet::from([Preset::Rfc9068])
}

impl Default for Capabilities {
    /// No features, ES256 under `rfc9068` only.
    fn default() -> Self {
        Capabilities::new([])
    }
}

impl Capabilities {
    /// Capabilities with these features, ES256 under `rfc9068` only (add the algorithms and
    /// presets the library can be configured for with functional update).
    pub fn new(features: impl IntoIterator<Item = Feature>) -> Self {
        Capabilities {
            features: features.into_iter().collect(),
            algorithms: default_algorithms(),
            presets: default_presets(),
            exact: false,
            claims: false,
            logical_clock: false,
        }
    }

    /// True when the runner compares the claims of an acceptance with the expected ones.
    pub fn compares_claims(&self) -> bool {
        self.exact || self.claims
    }

    /// Every feature, algorithm and preset the vector format knows.
    pub fn all() -> Self {
        Capabilities {
            algorithms: Algorithm::ALL.into(),
            presets: Preset::ALL.into(),
            ..Capabilities::new(ALL_FEATURES)
        }
    }

    /// True when `feature` is supported.
    pub fn supports(&self, feature: Feature) -> bool {
        self.features.contains(&feature)
    }

    /// The features of `needed` this adapter lacks.
    pub fn missing(&self, needed: &[Feature]) -> Vec<Feature> {
        let mut missing: Vec<Feature> = needed
            .iter()
            .copied()
            .filter(|f| !self.supports(*f))
            .collect();
        missing.sort();
        missing.dedup();
        missing
    }

    /// The algorithms `profile` allows that this adapter does not declare. A vector needs every
    /// one of them: a library pinned to fewer could not be configured as the profile says, and
    /// its verdict would answer another question. The token's own `alg` is not counted: a
    /// token whose `alg` the profile does not allow is a rejection every adapter must give.
    pub fn missing_algorithms(&self, profile: &Profile) -> Vec<Algorithm> {
        let mut missing: Vec<Algorithm> = profile
            .algorithms
            .iter()
            .copied()
            .filter(|a| !self.algorithms.contains(a))
            .collect();
        missing.sort();
        missing.dedup();
        missing
    }

    /// The preset of `profile`, when this adapter does not declare it.
    pub fn missing_preset(&self, profile: &Profile) -> Option<Preset> {
        Some(profile.preset).filter(|p| !self.presets.contains(p))
    }

    /// True when the adapter declares everything `vector` needs: its features, the algorithms
    /// its profile allows and its preset.
    pub fn runs(&self, vector: &Vector) -> bool {
        self.missing(&vector.features).is_empty()
            && self.missing_algorithms(&vector.profile).is_empty()
            && self.missing_preset(&vector.profile).is_none()
    }
}

/// Every [`Feature`], in declaration order.
pub const ALL_FEATURES: [Feature; 12] = [
    Feature::Clock,
    Feature::Domain,
    Feature::TokenCategory,
    Feature::Replay,
    Feature::Sessions,
    Feature::SessionVersion,
    Feature::StoreFaults,
    Feature::KeyFetch,
    Feature::KeyRotation,
    Feature::KeyDiscovery,
    Feature::JwksParsing,
    Feature::Typ,
];

/// Who an adapter is: shown in every report header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdapterInfo {
    /// Short name used on the command line (`jsonwebtoken`, `pyjwt+hardened`).
    pub name: String,
    /// The library wrapped (`jsonwebtoken (Rust)`, `PyJWT (Python)`).
    pub library: String,
    /// The library's exact version.
    pub version: String,
    pub capabilities: Capabilities,
    /// How the library is configured, and what it cannot be configured to do.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// One verification the runner asks of an adapter: one step of one vector.
#[derive(Clone, Copy, Debug)]
pub struct Case<'a> {
    /// The whole vector, for adapters that need more than the fields below.
    pub vector: &'a Vector,
    /// Index of this step (0 for single-shot vectors). Steps of a vector arrive in order, on the
    /// same adapter, with step 0 first: a stateful adapter starts afresh at step 0.
    pub step: usize,
    /// The token's exact bytes (not necessarily UTF-8).
    pub token: &'a [u8],
    /// The JWK Set document to load.
    pub jwks: &'a Value,
    /// The verification profile.
    pub profile: &'a Profile,
    /// Verification time, Unix seconds.
    pub now: i64,
    /// Store and key-endpoint changes to apply before this step (stateful features only).
    pub actions: &'a [Action],
    /// The live key-set server of a vector that needs `key_fetch` (absent otherwise): the
    /// adapter's key-set client fetches from it, and the vector's `jwks` is not to be used.
    pub live: Option<&'a LiveEndpoint>,
    /// How long the runner waits for this answer. Adapters that call out of process should
    /// give up (and clean up) by then; the runner abandons in-process calls that overrun it.
    pub timeout: Duration,
}

impl Case<'_> {
    /// The token as text, when it is UTF-8 (libraries whose API takes a string need this).
    pub fn token_str(&self) -> Option<&str> {
        std::str::from_utf8(self.token).ok()
    }

    /// The key set's exact bytes ([`Vector::jwks_bytes`]): give these to a library that parses
    /// key sets itself, so that byte-level key-set vectors (duplicate members) reach its parser.
    pub fn jwks_bytes(&self) -> Vec<u8> {
        self.vector.jwks_bytes()
    }

    /// The vector ID.
    pub fn id(&self) -> &str {
        &self.vector.id
    }
}

/// A JWT verifier plugged into the runner.
///
/// Implementations must be `Send + Sync`: the runner calls [`Adapter::verify`] on a worker
/// thread so that a panic is caught and a hang is cut off by a timeout. Steps of one vector are
/// sent in order and never concurrently.
pub trait Adapter: Send + Sync {
    /// Name, library, version and capabilities.
    fn info(&self) -> AdapterInfo;

    /// Verifies one case.
    fn verify(&self, case: &Case<'_>) -> Outcome;

    /// Verifies independent single-step cases and answers them in their order, one outcome per
    /// case. Two cases may share a vector ID only if their steps differ. By default one
    /// [`Adapter::verify`] per case; the subprocess adapter pipelines them over its process.
    /// A provided method, added under API version 4: implementations of that version compile
    /// and behave as before.
    fn verify_batch(&self, cases: &[Case<'_>]) -> Vec<Outcome> {
        cases.iter().map(|case| self.verify(case)).collect()
    }
}

impl<A: Adapter + ?Sized> Adapter for Box<A> {
    fn info(&self) -> AdapterInfo {
        (**self).info()
    }

    fn verify(&self, case: &Case<'_>) -> Outcome {
        (**self).verify(case)
    }

    fn verify_batch(&self, cases: &[Case<'_>]) -> Vec<Outcome> {
        (**self).verify_batch(cases)
    }
}

impl<A: Adapter + ?Sized> Adapter for std::sync::Arc<A> {
    fn info(&self) -> AdapterInfo {
        (**self).info()
    }

    fn verify(&self, case: &Case<'_>) -> Outcome {
        (**self).verify(case)
    }

    fn verify_batch(&self, cases: &[Case<'_>]) -> Vec<Outcome> {
        (**self).verify_batch(cases)
    }
}
