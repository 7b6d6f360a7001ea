//! A runner built without the live key-set server (no feature `live`): live vectors are
//! skipped for every adapter (the runner drops `key_fetch` from what adapters declare), and
//! nothing here opens a socket.

use corpus::vector::Vector;
use verifier::FetchError;

use super::LiveEndpoint;
use crate::outcome::Outcome;

/// Never opened: see [`super::AVAILABLE`].
pub struct LiveVector {
    pub vector: std::sync::Arc<Vector>,
    pub endpoint: LiveEndpoint,
}

impl LiveVector {
    /// Always an error: this runner has no key-set server.
    pub fn open(_vector: &Vector) -> Result<LiveVector, String> {
        Err("this runner was built without the live key-set server (feature `live`)".to_owned())
    }

    pub fn begin_step(&mut self, _i: usize) {}

    pub fn seen(&self) -> Vec<corpus::live::Seen> {
        Vec::new()
    }

    pub fn generalize(&self, outcome: Outcome) -> Outcome {
        outcome
    }
}

/// No run CA to pass on.
pub fn child_env() -> Result<Vec<(&'static str, String)>, String> {
    Ok(Vec::new())
}

/// Nothing to stop.
pub fn shutdown() {}

/// A GET that always fails: there is no client.
pub fn reference_get(_endpoint: &LiveEndpoint) -> corpus::reference::Get {
    Box::new(|_url: &str| Err(FetchError::Transport))
}
