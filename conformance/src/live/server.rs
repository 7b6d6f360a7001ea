//! The live key-set server and the reference's HTTPS client (feature `live`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use corpus::live::{Answer, Connection, Origins, Script, Seen};
use corpus::vector::{Action, KeySourceSpec, Listener, Vector};
use keyserver::{Live, Logged, LoggedKind, Reply, Router, Server};

use super::LiveEndpoint;
use crate::outcome::Outcome;

static SERVER: Mutex<Option<Arc<Server>>> = Mutex::new(None);

/// The run's key-set server, started on first use.
pub fn server() -> Result<Arc<Server>, String> {
    let mut slot = SERVER.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(server) = slot.as_ref() {
        return Ok(server.clone());
    }
    let server = Arc::new(Server::start().map_err(|e| format!("key-set server: {e}"))?);
    *slot = Some(server.clone());
    Ok(server)
}

/// Stops the key-set server (once every open vector has closed) and removes its CA directory.
pub fn shutdown() {
    let server = SERVER.lock().unwrap_or_else(|p| p.into_inner()).take();
    drop(server);
}

/// The environment a subprocess adapter gets so that its HTTP client trusts the run CA and
/// talks to the loopback server directly (no proxy).
pub fn child_env() -> Result<Vec<(&'static str, String)>, String> {
    let server = server()?;
    let ca = server.ca_file().display().to_string();
    Ok([
        "JWT_CONFORMANCE_CA_FILE",
        "SSL_CERT_FILE",
        "NODE_EXTRA_CA_CERTS",
        "REQUESTS_CA_BUNDLE",
        "CURL_CA_BUNDLE",
    ]
    .into_iter()
    .map(|name| (name, ca.clone()))
    .chain(["NO_PROXY", "no_proxy"].map(|n| (n, "127.0.0.1".to_owned())))
    .collect())
}

/// The scripted state behind one vector's listeners.
struct Scripted(Mutex<Script>);

impl Scripted {
    fn script(&self) -> std::sync::MutexGuard<'_, Script> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Router for Scripted {
    fn connection(&self, listener: Listener) -> Connection {
        self.script().connection(listener)
    }

    fn reply(&self, listener: Listener, method: &str, path: &str) -> Reply {
        if method != "GET" && method != "HEAD" {
            return Reply::Respond {
                status: 405,
                location: None,
                content_type: None,
                body: Vec::new(),
            };
        }
        match self.script().answer(listener, path) {
            Answer::Respond {
                status,
                location,
                body,
            } => Reply::Respond {
                status,
                location,
                content_type: Some("application/json"),
                body,
            },
            Answer::Hang { ms } => Reply::Hang { ms },
            Answer::Drop => Reply::Drop,
        }
    }
}

/// One live vector's server: its listeners, script and log.
pub struct LiveVector {
    live: Live,
    /// Kept so that [`shutdown`] never pulls the server from under a vector still running.
    _server: Arc<Server>,
    router: Arc<Scripted>,
    /// The vector with origins filled in, tokens signed and endpoint actions removed: what
    /// the adapter is given.
    pub vector: Arc<Vector>,
    /// Each step's endpoint actions, carried out by [`LiveVector::begin_step`].
    endpoint_actions: Vec<Vec<Action>>,
    pub endpoint: LiveEndpoint,
    origins: Origins,
    /// Log entries before this position belong to earlier steps.
    mark: u64,
}

impl LiveVector {
    /// Opens three listeners for `vector` and makes it concrete.
    pub fn open(vector: &Vector) -> Result<LiveVector, String> {
        let server = server()?;
        let router = Arc::new(Scripted(Mutex::new(Script::new(
            vector,
            &Origins::in_memory(),
        ))));
        let live = server
            .open(router.clone())
            .map_err(|e| format!("key-set server: {e}"))?;
        let origins = Origins {
            issuer: live.origin(Listener::Issuer),
            decoy: live.origin(Listener::Decoy),
            plain: live.origin(Listener::Plain),
        };
        *router.script() = Script::new(vector, &origins);
        let mut concrete = corpus::live::instantiate(vector, &origins)?;
        let endpoint_actions = concrete
            .steps_mut()
            .iter_mut()
            .map(|step| {
                let (endpoint, other) = step.actions.drain(..).partition(Action::is_endpoint);
                step.actions = other;
                endpoint
            })
            .collect();
        let policy = corpus::live::FetchPolicy::of(&concrete);
        let (ttl, refetch, timeout) = match &vector.key_source {
            Some(KeySourceSpec::Fetched {
                ttl_secs,
                refetch_interval_secs,
                fetch_timeout_ms,
                ..
            }) => (*ttl_secs, *refetch_interval_secs, *fetch_timeout_ms),
            None => (0, 0, corpus::vector::DEFAULT_FETCH_TIMEOUT_MS),
        };
        let millis = |secs: i64| u64::try_from(secs).unwrap_or(0).saturating_mul(1000);
        let endpoint = LiveEndpoint {
            jwks_uri: policy.jwks_uri(),
            issuer: policy.issuer,
            discovery: policy.discovery,
            ca_file: server.ca_file().to_path_buf(),
            ttl_ms: millis(ttl),
            refetch_interval_ms: millis(refetch),
            timeout_ms: timeout,
            ca_pem: server.ca_pem().to_owned(),
        };
        Ok(LiveVector {
            live,
            _server: server.clone(),
            router,
            vector: Arc::new(concrete),
            endpoint_actions,
            endpoint,
            origins,
            mark: 0,
        })
    }

    /// `outcome` with this run's origins and CA path in its texts put back as placeholders,
    /// so that reports and pages do not change with the ports of a run.
    pub fn generalize(&self, outcome: Outcome) -> Outcome {
        let ca = self.endpoint.ca_file.display().to_string();
        let fix = |text: String| {
            let text = Listener::ALL
                .into_iter()
                .fold(text, |t, l| t.replace(self.origins.of(l), l.placeholder()));
            text.replace(&ca, "{ca_file}")
        };
        match outcome {
            Outcome::Reject { error, reason } => Outcome::Reject {
                error: fix(error),
                reason,
            },
            Outcome::ConfigError { error, code } => Outcome::ConfigError {
                error: fix(error),
                code,
            },
            Outcome::Skipped { why } => Outcome::Skipped { why: fix(why) },
            Outcome::AdapterError { error } => Outcome::AdapterError { error: fix(error) },
            other => other,
        }
    }

    /// Carries out step `i`'s endpoint actions and starts its request window.
    pub fn begin_step(&mut self, i: usize) {
        let mut script = self.router.script();
        for action in self.endpoint_actions.get(i).into_iter().flatten() {
            script.apply(action);
        }
        self.mark = self.live.log().last().map_or(0, |l| l.seq + 1);
    }

    /// The requests seen since the current step began.
    pub fn seen(&self) -> Vec<Seen> {
        self.live
            .log()
            .into_iter()
            .filter(|l| l.seq >= self.mark)
            .filter_map(seen)
            .collect()
    }
}

/// A log entry as the vector format counts it: requests by path; connections (with or
/// without a request) only toward the forbidden listeners.
fn seen(logged: Logged) -> Option<Seen> {
    let path = (logged.kind == LoggedKind::Request).then_some(logged.path);
    Some(Seen {
        listener: logged.listener,
        path,
    })
}

/// The reference's HTTPS GET for a live vector: the run CA only, no redirect, a body capped at
/// the profile's key-set size.
pub fn reference_get(endpoint: &LiveEndpoint) -> corpus::reference::Get {
    let ca = endpoint.ca_pem.clone();
    let timeout = Duration::from_millis(endpoint.timeout_ms);
    Box::new(move |url: &str| {
        use verifier::{FetchError, FetchResponse};
        match keyserver::get(url, &ca, timeout, corpus::live::MAX_BODY_BYTES) {
            Ok((status, body)) => Ok(FetchResponse { status, body }),
            Err(keyserver::GetError::Timeout) => Err(FetchError::Timeout),
            Err(_) => Err(FetchError::Transport),
        }
    })
}
