//! Stateful seams (M35 replay, M36 sessions, session version), each failing closed, with
//! in-memory implementations that support fault injection.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The store could not answer: the token is rejected with the matching `*_unavailable` reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreUnavailable;

/// Result of an atomic check-and-record of a `jti`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplayOutcome {
    /// First sighting; now recorded.
    Fresh,
    /// Seen before within the window.
    Replayed,
}

/// One-time-use enforcement. `check_and_record` must be a single atomic step (like Redis
/// `SET NX EX`): a separate check and record would let two concurrent replays both pass.
pub trait ReplayDefense: Send + Sync {
    /// Records `jti` until `expires_at` unless already recorded.
    fn check_and_record(
        &self,
        jti: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<ReplayOutcome, StoreUnavailable>;
}

/// Session liveness: is (`sub`, `sid`) still a live session?
pub trait SessionStore: Send + Sync {
    fn is_live(&self, sub: &str, sid: &str) -> Result<bool, StoreUnavailable>;
}

/// Account-wide session epoch: tokens with `sv` below it are stale.
pub trait SessionVersions: Send + Sync {
    /// The current version for `sub` (0 for an account never bumped).
    fn current(&self, sub: &str) -> Result<u64, StoreUnavailable>;
}

/// A switch that makes an in-memory store fail, to test fail-closed behaviour.
#[derive(Debug, Default)]
pub struct Outage(AtomicBool);

impl Outage {
    /// Makes every subsequent call fail (`true`) or succeed (`false`).
    pub fn set(&self, down: bool) {
        self.0.store(down, Ordering::SeqCst);
    }

    fn check(&self) -> Result<(), StoreUnavailable> {
        if self.0.load(Ordering::SeqCst) {
            Err(StoreUnavailable)
        } else {
            Ok(())
        }
    }
}

/// In-memory replay cache with bounded capacity: when full of unexpired entries it refuses to
/// record (fails closed) rather than evicting a live `jti`.
pub struct MemoryReplayCache {
    seen: Mutex<HashMap<String, i64>>,
    capacity: usize,
    /// Fault injection.
    pub outage: Outage,
}

impl fmt::Debug for MemoryReplayCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryReplayCache")
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl MemoryReplayCache {
    pub fn new(capacity: usize) -> Self {
        MemoryReplayCache {
            seen: Mutex::new(HashMap::new()),
            capacity,
            outage: Outage::default(),
        }
    }
}

impl Default for MemoryReplayCache {
    fn default() -> Self {
        Self::new(100_000)
    }
}

impl ReplayDefense for MemoryReplayCache {
    fn check_and_record(
        &self,
        jti: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<ReplayOutcome, StoreUnavailable> {
        self.outage.check()?;
        let mut seen = self.seen.lock().map_err(|_| StoreUnavailable)?;
        if seen.get(jti).is_some_and(|&until| now < until) {
            return Ok(ReplayOutcome::Replayed);
        }
        if seen.len() >= self.capacity {
            seen.retain(|_, until| now < *until);
            if seen.len() >= self.capacity {
                return Err(StoreUnavailable);
            }
        }
        seen.insert(jti.to_owned(), expires_at);
        Ok(ReplayOutcome::Fresh)
    }
}

/// In-memory session table.
#[derive(Debug, Default)]
pub struct MemorySessionStore {
    live: Mutex<HashSet<(String, String)>>,
    /// Fault injection.
    pub outage: Outage,
}

impl MemorySessionStore {
    /// Marks (`sub`, `sid`) live.
    pub fn open(&self, sub: &str, sid: &str) {
        if let Ok(mut live) = self.live.lock() {
            live.insert((sub.to_owned(), sid.to_owned()));
        }
    }

    /// Revokes (`sub`, `sid`): row deletion is revocation.
    pub fn revoke(&self, sub: &str, sid: &str) {
        if let Ok(mut live) = self.live.lock() {
            live.remove(&(sub.to_owned(), sid.to_owned()));
        }
    }
}

impl SessionStore for MemorySessionStore {
    fn is_live(&self, sub: &str, sid: &str) -> Result<bool, StoreUnavailable> {
        self.outage.check()?;
        let live = self.live.lock().map_err(|_| StoreUnavailable)?;
        Ok(live.contains(&(sub.to_owned(), sid.to_owned())))
    }
}

/// In-memory session-version table.
#[derive(Debug, Default)]
pub struct MemorySessionVersions {
    versions: Mutex<HashMap<String, u64>>,
    /// Fault injection.
    pub outage: Outage,
}

impl MemorySessionVersions {
    /// Sets the account's current version (a logout-all bumps it).
    pub fn set(&self, sub: &str, version: u64) {
        if let Ok(mut versions) = self.versions.lock() {
            versions.insert(sub.to_owned(), version);
        }
    }
}

impl SessionVersions for MemorySessionVersions {
    fn current(&self, sub: &str) -> Result<u64, StoreUnavailable> {
        self.outage.check()?;
        let versions = self.versions.lock().map_err(|_| StoreUnavailable)?;
        Ok(versions.get(sub).copied().unwrap_or(0))
    }
}
