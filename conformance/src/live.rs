//! Live key-set vectors in the runner: one loopback HTTPS server per run (`keyserver`), three
//! fresh listeners per vector scripted from the vector's steps (`corpus::live::Script`), and
//! what an adapter is told about them ([`LiveEndpoint`]).
//!
//! The server (feature `live`) starts on first use and stops with [`shutdown`] (end of a run, Ctrl-C), which
//! also removes the run CA's directory. Every listener binds 127.0.0.1 and closes when its
//! vector ends, so nothing listens after a run.

use std::path::PathBuf;
use std::time::Duration;

pub use corpus::live::{Origins, instantiate, is_live};
use corpus::vector::Vector;
use serde::Serialize;

#[cfg(not(feature = "live"))]
mod absent;
#[cfg(feature = "live")]
mod server;
#[cfg(not(feature = "live"))]
pub use absent::{LiveVector, child_env, reference_get, shutdown};
#[cfg(feature = "live")]
pub use server::{LiveVector, child_env, reference_get, server, shutdown};

/// Whether this runner was built with the live key-set server (feature `live`, on by
/// default). Without it, adapters are run as if they lacked `key_fetch`.
pub const AVAILABLE: bool = cfg!(feature = "live");

/// What an adapter is told about a live vector's key-set server (the protocol's `key_fetch`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LiveEndpoint {
    /// The issuer, `https://127.0.0.1:PORT`: the profile's issuer and the server's origin.
    pub issuer: String,
    /// The configured key-set location, `{issuer}/jwks.json`.
    pub jwks_uri: String,
    /// Find the key set through `{issuer}/.well-known/openid-configuration` instead.
    pub discovery: bool,
    /// The run CA's certificate (PEM file), the only authority to trust.
    pub ca_file: PathBuf,
    /// How long a fetched set may be cached.
    pub ttl_ms: u64,
    /// The least time between refetches triggered by unknown `kid`s.
    pub refetch_interval_ms: u64,
    /// How long one fetch may take.
    pub timeout_ms: u64,
    /// The run CA's certificate, PEM (not sent: `ca_file` holds it).
    #[serde(skip)]
    pub ca_pem: String,
}

/// Proxy variables removed from a subprocess adapter's environment.
pub const PROXY_VARS: [&str; 6] = [
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
];

/// How long the runner waits before step `i` of a live vector: the difference of the steps'
/// `now`, because third-party key caches run on the wall clock.
pub fn pause_before(vector: &Vector, i: usize) -> Duration {
    let steps = vector.steps();
    match (i.checked_sub(1).and_then(|p| steps.get(p)), steps.get(i)) {
        (Some(prev), Some(step)) => {
            Duration::from_secs(u64::try_from(step.now - prev.now).unwrap_or(0))
        }
        _ => Duration::ZERO,
    }
}
