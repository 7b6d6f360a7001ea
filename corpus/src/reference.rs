//! Running a vector against the reference verifier: the oracle the corpus is checked with.

use std::sync::{Arc, Mutex};

use serde_json::Value;
use verifier::{
    Backend, CachingKeySource, ConfigError, FetchError, FetchResponse, KeySet, MemoryReplayCache,
    MemorySessionStore, MemorySessionVersions, Verifier,
};

use crate::live::{self, FetchPolicy, Origins, Script, Seen};
use crate::load::token_bytes;
pub use crate::outcome::Outcome;
use crate::vector::{Action, Expected, KeySourceSpec, Vector};

/// The in-memory key-set server of a live vector and the requests it has seen.
type Memory = Arc<Mutex<(Script, Vec<Seen>)>>;

/// How the reference fetches a live vector's key set: [`FetchPolicy::fetch`] over some GET.
pub type Get = Box<dyn FnMut(&str) -> Result<FetchResponse, FetchError> + Send>;

/// The reference verifier with the stores and key endpoint a vector's steps act on.
pub struct World {
    verifier: Verifier,
    replay: Arc<MemoryReplayCache>,
    sessions: Arc<MemorySessionStore>,
    versions: Arc<MemorySessionVersions>,
    memory: Option<Memory>,
}

impl World {
    /// Builds the verifier a vector describes, or the configuration error it must raise. A
    /// live vector fetches from an in-memory server, so `vector` must already be
    /// [`live::instantiate`]d with [`Origins::in_memory`].
    pub fn new(vector: &Vector) -> Result<World, Outcome> {
        World::on(vector, Backend::DEFAULT)
    }

    /// [`World::new`] with signatures checked on `backend`.
    pub fn on(vector: &Vector, backend: Backend) -> Result<World, Outcome> {
        let memory: Memory = Arc::new(Mutex::new((
            Script::new(vector, &Origins::in_memory()),
            Vec::new(),
        )));
        let shared = memory.clone();
        let get: Get = Box::new(move |url: &str| {
            let mut guard = shared.lock().map_err(|_| FetchError::Transport)?;
            let (script, log) = &mut *guard;
            script.get(url, log)
        });
        let mut world = World::build(vector, backend, get)?;
        world.memory = live::is_live(vector).then_some(memory);
        Ok(world)
    }

    /// The verifier of a concrete live vector whose key set comes through `get` (the runner's
    /// HTTPS client against its live server).
    pub fn fetching(vector: &Vector, backend: Backend, get: Get) -> Result<World, Outcome> {
        World::build(vector, backend, get)
    }

    fn build(vector: &Vector, backend: Backend, get: Get) -> Result<World, Outcome> {
        let config_error = |e: ConfigError| Outcome::config_error_code(e.code());
        let replay = Arc::new(MemoryReplayCache::default());
        let sessions = Arc::new(MemorySessionStore::default());
        let versions = Arc::new(MemorySessionVersions::default());
        let builder = Verifier::builder(vector.profile.clone())
            .replay_defense(replay.clone())
            .session_store(sessions.clone())
            .session_versions(versions.clone())
            .signature_backend(backend);
        let builder = match &vector.key_source {
            None => {
                let keys = KeySet::for_algorithms(&vector.jwks_bytes(), &vector.profile.algorithms)
                    .map_err(|e| config_error(e.into()))?;
                builder.key_set(keys)
            }
            Some(KeySourceSpec::Fetched {
                ttl_secs,
                refetch_interval_secs,
                ..
            }) => {
                let policy = FetchPolicy::of(vector);
                let get = Mutex::new(get);
                let fetch = move || {
                    let mut get = get.lock().map_err(|_| FetchError::Transport)?;
                    policy.fetch(&mut *get)
                };
                builder.key_source(Arc::new(
                    CachingKeySource::with_timing(fetch, *ttl_secs, *refetch_interval_secs)
                        .algorithms(&vector.profile.algorithms),
                ))
            }
        };
        let verifier = builder.build().map_err(config_error)?;
        Ok(World {
            verifier,
            replay,
            sessions,
            versions,
            memory: None,
        })
    }

    /// Applies one action to the stores or, in memory, to the key-set server.
    pub fn apply(&self, action: &Action) {
        match action {
            Action::ReplayStore { available } => self.replay.outage.set(!available),
            Action::SessionStore { available } => self.sessions.outage.set(!available),
            Action::SessionVersionStore { available } => self.versions.outage.set(!available),
            Action::OpenSession { sub, sid } => self.sessions.open(sub, sid),
            Action::RevokeSession { sub, sid } => self.sessions.revoke(sub, sid),
            Action::SetSessionVersion { sub, version } => self.versions.set(sub, *version),
            endpoint => {
                if let Some(Ok(mut memory)) = self.memory.as_ref().map(|m| m.lock()) {
                    memory.0.apply(endpoint);
                }
            }
        }
    }

    /// The requests the in-memory key-set server has seen since the last call.
    pub fn take_requests(&self) -> Vec<Seen> {
        match self.memory.as_ref().map(|m| m.lock()) {
            Some(Ok(mut memory)) => std::mem::take(&mut memory.1),
            _ => Vec::new(),
        }
    }

    /// Verifies a token.
    pub fn verify(&self, token: &[u8], now: i64) -> Outcome {
        match self.verifier.verify(token, now) {
            Ok(claims) => Outcome::Accept {
                claims: Value::Object(claims.into_map()),
            },
            Err(r) => Outcome::reject_as(r.reason.id(), Some(r.reason)),
        }
    }
}

/// Runs every step of `vector` against the reference verifier (a live vector against the
/// in-memory key-set server).
///
/// A configuration error is the outcome of every step (the verifier never existed).
pub fn run(vector: &Vector) -> Vec<Outcome> {
    run_on(vector, Backend::DEFAULT)
        .into_iter()
        .map(|(outcome, _)| outcome)
        .collect()
}

/// [`run`] with signatures checked on `backend`, each outcome with the requests the in-memory
/// key-set server saw during that step.
pub fn run_on(vector: &Vector, backend: Backend) -> Vec<(Outcome, Vec<Seen>)> {
    let steps = vector.steps().len();
    let vector = match live::instantiate(vector, &Origins::in_memory()) {
        Ok(v) => v,
        Err(why) => return vec![(Outcome::config_error(why), Vec::new()); steps],
    };
    let world = match World::on(&vector, backend) {
        Ok(world) => world,
        Err(outcome) => return vec![(outcome, Vec::new()); steps],
    };
    vector
        .steps()
        .iter()
        .map(|step| {
            step.actions.iter().for_each(|a| world.apply(a));
            let outcome = match token_bytes(&step.token) {
                Ok(token) => world.verify(&token, step.now),
                Err(why) => Outcome::config_error(why),
            };
            (outcome, world.take_requests())
        })
        .collect()
}

/// Checks `vector` against the reference verifier on every signature backend of the build
/// (each must meet the expectation exactly, so the backends agree on verdict and reason); the
/// error names each disagreeing step.
pub fn check(vector: &Vector) -> Result<(), String> {
    let vector = &live::instantiate(vector, &Origins::in_memory())?;
    let failures: Vec<String> = Backend::ALL
        .iter()
        .flat_map(|&backend| {
            let outcomes = run_on(vector, backend);
            vector
                .steps()
                .iter()
                .zip(outcomes)
                .enumerate()
                .filter_map(|(i, (step, (got, seen)))| {
                    let broken = step
                        .requests
                        .as_ref()
                        .map(|b| live::violations(b, &seen))
                        .unwrap_or_default();
                    if !got.matches(&step.expected) {
                        Some(format!(
                            "{} step {i} ({}): expected {}, got {got}",
                            vector.id,
                            backend.name(),
                            describe(&step.expected)
                        ))
                    } else if !broken.is_empty() {
                        Some(format!(
                            "{} step {i} ({}): request log: {}",
                            vector.id,
                            backend.name(),
                            broken.join("; ")
                        ))
                    } else {
                        None
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// `accept`, `reject (reason)` or `config_error (code)`.
pub fn describe(expected: &Expected) -> String {
    crate::outcome::label(expected.verdict().name(), expected.cause().as_ref())
}
