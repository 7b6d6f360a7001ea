//! Key sources: where verification keys come from, failing closed.

use std::fmt;
use std::sync::Mutex;

use crate::alg::Algorithm;
use crate::jwks::KeySet;
use crate::rules::signature::PublicKey;

/// The key source could not produce an answer; the token is rejected with
/// `key_source_unavailable`, never accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeySourceUnavailable;

/// Supplies the verification key for a `kid` at time `now` (Unix seconds).
///
/// `Ok(None)` means "no such key" (`kid_unknown`); `Err` means "cannot tell"
/// (`key_source_unavailable`). An implementation must never guess.
pub trait KeySource: Send + Sync {
    fn key(&self, kid: &str, now: i64) -> Result<Option<PublicKey>, KeySourceUnavailable>;

    /// The keys a token without `kid` signed with `alg` may be checked with
    /// ([`PublicKey::fits`]): the `oidc-id-token` preset accepts such a token when there is
    /// exactly one (OIDC Core §10.1). The default finds none, so a source that looks keys up by
    /// `kid` only refuses every token without one (`kid_unknown`).
    fn keys_for(&self, alg: Algorithm, now: i64) -> Result<Vec<PublicKey>, KeySourceUnavailable> {
        let _ = (alg, now);
        Ok(Vec::new())
    }
}

/// A pinned, in-memory key set.
#[derive(Debug)]
pub struct StaticKeys(pub KeySet);

impl KeySource for StaticKeys {
    fn key(&self, kid: &str, _now: i64) -> Result<Option<PublicKey>, KeySourceUnavailable> {
        Ok(self.0.get(kid).cloned())
    }

    fn keys_for(&self, alg: Algorithm, _now: i64) -> Result<Vec<PublicKey>, KeySourceUnavailable> {
        Ok(self.0.usable_for(alg).cloned().collect())
    }
}

/// What an injected fetch returned: an HTTP-like status and body.
#[derive(Clone, PartialEq, Eq)]
pub struct FetchResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

impl fmt::Debug for FetchResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FetchResponse")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Why an injected fetch failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FetchError {
    Timeout,
    Transport,
}

/// How a key set is fetched (HTTP in production, a closure in tests).
pub trait Fetch: Send + Sync {
    fn fetch(&self) -> Result<FetchResponse, FetchError>;
}

impl<F> Fetch for F
where
    F: Fn() -> Result<FetchResponse, FetchError> + Send + Sync,
{
    fn fetch(&self) -> Result<FetchResponse, FetchError> {
        self()
    }
}

/// Default cache lifetime of a fetched key set.
pub const DEFAULT_TTL_SECS: i64 = 60 * 60;
/// Default minimum spacing of refetches triggered by unknown `kid`s.
pub const DEFAULT_REFETCH_INTERVAL_SECS: i64 = 5 * 60;

/// A key set fetched on demand and cached for a TTL.
///
/// - A missing or expired cache is fetched; if that fails, the answer is "unavailable": a stale
///   set is never served past its TTL. (Bounding the cost of a down endpoint — timeouts,
///   circuit breaking — is the injected fetch's job.)
/// - An unknown `kid` triggers at most one refetch per `refetch_interval` (rotation support
///   without letting forged `kid`s hammer the issuer; a call that just loaded the set does not
///   fetch it twice); a
///   failed refetch answers "unavailable" for that token and keeps serving the cached set,
///   still within its TTL, for other `kid`s.
/// - Any fetch error, timeout, non-2xx status or body that is not a valid key set is a failure.
///   A valid key set is one for the verifier's algorithms ([`KeySet::for_algorithms`]; `["ES256"]`
///   unless [`CachingKeySource::algorithms`] says otherwise).
/// - A token without `kid` ([`KeySource::keys_for`]) is answered from the cached set, loaded if
///   missing or expired, and never triggers a refetch of its own.
pub struct CachingKeySource<F> {
    fetch: F,
    algorithms: Vec<Algorithm>,
    ttl_secs: i64,
    refetch_interval_secs: i64,
    cache: Mutex<Cache>,
}

#[derive(Default)]
struct Cache {
    keys: Option<KeySet>,
    fetched_at: i64,
    last_kid_refetch: Option<i64>,
}

impl<F> fmt::Debug for CachingKeySource<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachingKeySource")
            .field("ttl_secs", &self.ttl_secs)
            .field("refetch_interval_secs", &self.refetch_interval_secs)
            .finish_non_exhaustive()
    }
}

impl<F: Fetch> CachingKeySource<F> {
    /// A source with the default TTL (1 h) and refetch interval (5 min).
    pub fn new(fetch: F) -> Self {
        Self::with_timing(fetch, DEFAULT_TTL_SECS, DEFAULT_REFETCH_INTERVAL_SECS)
    }

    /// A source with explicit timing, in seconds.
    pub fn with_timing(fetch: F, ttl_secs: i64, refetch_interval_secs: i64) -> Self {
        CachingKeySource {
            fetch,
            algorithms: vec![Algorithm::ES256],
            ttl_secs,
            refetch_interval_secs,
            cache: Mutex::new(Cache::default()),
        }
    }

    /// Loads sets for these algorithms (the profile's) instead of `["ES256"]`.
    pub fn algorithms(mut self, algorithms: &[Algorithm]) -> Self {
        self.algorithms = algorithms.to_vec();
        self
    }

    fn fetch_key_set(&self) -> Result<KeySet, KeySourceUnavailable> {
        let response = self.fetch.fetch().map_err(|_| KeySourceUnavailable)?;
        if !(200..300).contains(&response.status) {
            return Err(KeySourceUnavailable);
        }
        KeySet::for_algorithms(&response.body, &self.algorithms).map_err(|_| KeySourceUnavailable)
    }

    /// Fetches the set when the cache is empty or expired; true when this call loaded it.
    fn load_if_stale(&self, cache: &mut Cache, now: i64) -> Result<bool, KeySourceUnavailable> {
        let expired = now.saturating_sub(cache.fetched_at) >= self.ttl_secs;
        let loading = cache.keys.is_none() || expired;
        if loading {
            cache.keys = None;
            cache.keys = Some(self.fetch_key_set()?);
            cache.fetched_at = now;
        }
        Ok(loading)
    }
}

impl<F: Fetch> KeySource for CachingKeySource<F> {
    fn key(&self, kid: &str, now: i64) -> Result<Option<PublicKey>, KeySourceUnavailable> {
        // A poisoned lock means a fetch panicked mid-update: fail closed.
        let mut cache = self.cache.lock().map_err(|_| KeySourceUnavailable)?;
        let loading = self.load_if_stale(&mut cache, now)?;
        if let Some(key) = cache.keys.as_ref().and_then(|k| k.get(kid)) {
            return Ok(Some(key.clone()));
        }
        // A set loaded by this very call is as fresh as a refetch would get.
        let spaced = cache
            .last_kid_refetch
            .is_none_or(|t| now.saturating_sub(t) >= self.refetch_interval_secs);
        if loading || !spaced {
            return Ok(None);
        }
        cache.last_kid_refetch = Some(now);
        let keys = self.fetch_key_set()?;
        let key = keys.get(kid).cloned();
        cache.keys = Some(keys);
        cache.fetched_at = now;
        Ok(key)
    }

    fn keys_for(&self, alg: Algorithm, now: i64) -> Result<Vec<PublicKey>, KeySourceUnavailable> {
        let mut cache = self.cache.lock().map_err(|_| KeySourceUnavailable)?;
        self.load_if_stale(&mut cache, now)?;
        Ok(cache
            .keys
            .as_ref()
            .map(|k| k.usable_for(alg).cloned().collect())
            .unwrap_or_default())
    }
}
