//! A minimal, strict, fail-closed reference verifier for ES256 JWT access tokens
//! (RFC 7515, 7519, 8725, 9068): the oracle of the jwt-conformance corpus.
//!
//! Every rejection carries one stable [`Reason`] from the catalog (`docs/reasons.md`). The
//! pipeline runs size → form → alphabet → header → key → signature → payload → claims →
//! domain → state, and is written out once, in [`Verifier::verify`].
//!
//! ```
//! # use verifier::{Profile, Verifier, KeySet, ConfigError};
//! // A verifier without an issuer or audience cannot be built.
//! let err = Profile::default().validate().unwrap_err();
//! assert_eq!(err, ConfigError::MissingIssuer);
//! ```
#![forbid(unsafe_code)]

pub mod b64;
mod config;
pub mod json;
pub mod jwks;
mod keys;
pub mod profile;
mod reason;
pub mod rules;
mod state;
mod verifier;

pub use config::ConfigError;
pub use jwks::{JwksError, KeyDefect, KeySet};
pub use keys::{
    CachingKeySource, Fetch, FetchError, FetchResponse, KeySource, KeySourceUnavailable, StaticKeys,
};
pub use profile::{AdminBand, DomainRules, Profile, StateRules};
pub use reason::{Reason, Rejection, Stage};
pub use rules::signature::{Backend, PublicKey};
pub use state::{
    MemoryReplayCache, MemorySessionStore, MemorySessionVersions, Outage, ReplayDefense,
    ReplayOutcome, SessionStore, SessionVersions, StoreUnavailable,
};
pub use verifier::{Claims, Verifier, VerifierBuilder, check_claims, check_envelope_and_header};

/// Re-exported so callers name the same key type the verifier uses.
pub use p256::ecdsa::VerifyingKey;
