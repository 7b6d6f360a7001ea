//! The runner's loopback key-set server for live vectors (issue 18), and the reference
//! verifier's HTTPS client.
//!
//! Third-party libraries' own remote key-set clients are tested against real sockets, so every
//! connection-level behaviour (refused, dropped, hanging, untrusted certificate, redirect) is a
//! real one. The server is meant to face untrusted adapters: it binds 127.0.0.1 only, speaks
//! HTTP/1.1 without keep-alive, and bounds connections, request heads, time and its log.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONNECTION, CONTENT_TYPE, HeaderValue, LOCATION};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};
use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;
use tokio::sync::Semaphore;
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

/// Connections served at once per [`Live`]; more are accepted and closed at once, so a flood
/// from an adapter cannot exhaust the runner's file descriptors.
const MAX_CONNECTIONS: usize = 64;
/// Request head limit (hyper's smallest allowed read buffer).
const MAX_HEAD: usize = 8 * 1024;
/// Time a client gets to finish its TLS handshake, and separately its request head.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(2);
const HEADER_TIMEOUT: Duration = Duration::from_secs(2);
/// Upper bound of [`Reply::Hang`].
const MAX_HANG_MS: u64 = 6000;
/// Whole-connection bound, so a client that never reads its response cannot pin a task.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(15);
/// Log entries kept per [`Live`]; later ones are only counted.
const MAX_LOG: usize = 1000;
/// Logged paths are cut to this many bytes.
const MAX_PATH: usize = 256;

pub use corpus::live::Connection;
/// Which of a live vector's three listeners: issuer and decoy are HTTPS, plain is HTTP.
pub use corpus::vector::Listener;

/// A listener's place in [`Live::ports`] (the order of [`Listener::ALL`]).
fn index(listener: Listener) -> usize {
    match listener {
        Listener::Issuer => 0,
        Listener::Decoy => 1,
        Listener::Plain => 2,
    }
}

/// What a request gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// A response; an invalid `status` is sent as 500, an invalid `location` is left out.
    Respond {
        status: u16,
        location: Option<String>,
        content_type: Option<&'static str>,
        body: Vec<u8>,
    },
    /// Read the request, send nothing for `ms` (capped at 6000), then close.
    Hang { ms: u64 },
    /// Read the request, close without a byte.
    Drop,
}

/// Decides replies; implemented by the runner over its scripted state (it reads shared state
/// behind its own Mutex; never blocks for long).
pub trait Router: Send + Sync {
    /// Called for each accepted connection, before TLS.
    fn connection(&self, listener: Listener) -> Connection;
    /// Called for each parsed request head; `path` is the URI path, without the query.
    fn reply(&self, listener: Listener, method: &str, path: &str) -> Reply;
}

/// One entry of the request log.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Logged {
    /// Position in the whole log of this [`Live`], counting entries that were dropped.
    pub seq: u64,
    pub listener: Listener,
    pub kind: LoggedKind,
    /// Empty for [`LoggedKind::Connect`].
    pub method: String,
    /// The URI path (no query), cut to at most 256 bytes; empty for [`LoggedKind::Connect`].
    pub path: String,
}

/// What a log entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoggedKind {
    /// Every accepted TCP connection, including refused and over-the-limit ones: vectors
    /// assert that a client never even connected.
    Connect,
    /// Every parsed request head.
    Request,
}

/// The run CA (trusted) and the foreign CA's leaf (for [`Connection::Untrusted`]).
struct Tls {
    trusted: TlsAcceptor,
    untrusted: TlsAcceptor,
    ca_pem: String,
}

/// One per run: a tokio runtime (2 worker threads named "keyserver"), a run CA (rcgen, P-256,
/// "jwt-conformance run CA"), a trusted leaf for IP 127.0.0.1, a foreign CA + leaf for
/// [`Connection::Untrusted`], and the CA PEM written to a private temp dir (0700, name
/// jwt-conformance-<pid>-<random>). Drop stops the runtime (shutdown_timeout 1 s) and removes
/// the dir.
pub struct Server {
    runtime: Option<Runtime>,
    tls: Arc<Tls>,
    dir: PathBuf,
    ca_file: PathBuf,
}

impl Server {
    /// Builds the runtime and certificates and writes the CA file.
    pub fn start() -> io::Result<Server> {
        let tls = Arc::new(make_tls()?);
        let dir = make_private_dir()?;
        let ca_file = dir.join("ca.pem");
        if let Err(e) = std::fs::write(&ca_file, &tls.ca_pem) {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(e);
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("keyserver")
            .enable_io()
            .enable_time()
            .build();
        let runtime = match runtime {
            Ok(r) => r,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(e);
            }
        };
        Ok(Server {
            runtime: Some(runtime),
            tls,
            dir,
            ca_file,
        })
    }

    /// The run CA certificate, PEM; the only root a client of these listeners should trust.
    pub fn ca_pem(&self) -> &str {
        &self.tls.ca_pem
    }

    /// The file holding [`Server::ca_pem`], for adapters' `ca_file` and CA environment variables.
    pub fn ca_file(&self) -> &Path {
        &self.ca_file
    }

    /// Opens a live vector: three listeners on 127.0.0.1:0.
    pub fn open(&self, router: Arc<dyn Router>) -> io::Result<Live> {
        let handle = self
            .runtime
            .as_ref()
            .expect("runtime lives until drop")
            .handle()
            .clone();
        let mut std_listeners = Vec::with_capacity(3);
        for _ in Listener::ALL {
            let l = std::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
            l.set_nonblocking(true)?;
            std_listeners.push(l);
        }
        let mut ports = [0u16; 3];
        for (port, l) in ports.iter_mut().zip(&std_listeners) {
            *port = l.local_addr()?.port();
        }
        let shared = Arc::new(Shared {
            log: Mutex::new(LogState::default()),
            slots: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
        });
        let _guard = handle.enter();
        let mut listeners = Vec::with_capacity(3);
        for l in std_listeners {
            listeners.push(TcpListener::from_std(l)?);
        }
        let accept_loops = Listener::ALL
            .into_iter()
            .zip(listeners)
            .map(|(which, listener)| {
                handle.spawn(accept_loop(
                    which,
                    listener,
                    router.clone(),
                    self.tls.clone(),
                    shared.clone(),
                ))
            })
            .collect();
        Ok(Live {
            ports,
            shared,
            accept_loops,
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(Duration::from_secs(1));
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[derive(Default)]
struct LogState {
    entries: Vec<Logged>,
    next_seq: u64,
    dropped: u64,
}

struct Shared {
    log: Mutex<LogState>,
    slots: Arc<Semaphore>,
}

impl Shared {
    fn record(&self, listener: Listener, kind: LoggedKind, method: &str, path: &str) {
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        let seq = log.next_seq;
        log.next_seq += 1;
        if log.entries.len() >= MAX_LOG {
            log.dropped += 1;
            return;
        }
        log.entries.push(Logged {
            seq,
            listener,
            kind,
            method: cut(method, MAX_PATH).to_owned(),
            path: cut(path, MAX_PATH).to_owned(),
        });
    }
}

/// `s` cut to at most `max` bytes, on a character boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A live vector's listeners. Drop closes the three sockets and aborts every connection task,
/// so nothing listens afterwards and a late request gets connection refused.
pub struct Live {
    ports: [u16; 3],
    shared: Arc<Shared>,
    /// Each accept loop owns its listener and a `JoinSet` of its connection tasks, so aborting
    /// it closes the socket and aborts the connections.
    accept_loops: Vec<JoinHandle<()>>,
}

impl Live {
    /// `https://127.0.0.1:PORT` (issuer, decoy) or `http://127.0.0.1:PORT` (plain).
    pub fn origin(&self, listener: Listener) -> String {
        let port = self.ports[index(listener)];
        match listener {
            Listener::Issuer | Listener::Decoy => format!("https://127.0.0.1:{port}"),
            Listener::Plain => format!("http://127.0.0.1:{port}"),
        }
    }

    /// The ports of the issuer, decoy and plain listeners, in that order.
    pub fn ports(&self) -> [u16; 3] {
        self.ports
    }

    /// A copy of the log so far.
    pub fn log(&self) -> Vec<Logged> {
        let log = self.shared.log.lock().unwrap_or_else(|e| e.into_inner());
        log.entries.clone()
    }

    /// Entries not kept because the log was full (1000 entries).
    pub fn log_dropped(&self) -> u64 {
        let log = self.shared.log.lock().unwrap_or_else(|e| e.into_inner());
        log.dropped
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        for task in &self.accept_loops {
            task.abort();
        }
        // Abort is asynchronous: wait (bounded) until the runtime has dropped each loop, and
        // with it the listening socket, so the ports are closed when drop returns.
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline && !self.accept_loops.iter().all(|t| t.is_finished()) {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

async fn accept_loop(
    which: Listener,
    listener: TcpListener,
    router: Arc<dyn Router>,
    tls: Arc<Tls>,
    shared: Arc<Shared>,
) {
    // Dropped (aborting every connection task) when this loop is aborted.
    let mut connections = JoinSet::new();
    loop {
        let accepted = listener.accept().await;
        // Reap finished tasks so the set does not grow with the connection count.
        while connections.try_join_next().is_some() {}
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Typically EMFILE: back off instead of spinning.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        shared.record(which, LoggedKind::Connect, "", "");
        let Ok(permit) = shared.slots.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let decision = router.connection(which);
        if decision == Connection::Refuse {
            drop(stream);
            continue;
        }
        let router = router.clone();
        let tls = tls.clone();
        let shared = shared.clone();
        connections.spawn(async move {
            let _permit = permit;
            let _ = tokio::time::timeout(
                CONNECTION_TIMEOUT,
                connection(which, decision, stream, router, tls, shared),
            )
            .await;
        });
    }
}

async fn connection(
    which: Listener,
    decision: Connection,
    stream: TcpStream,
    router: Arc<dyn Router>,
    tls: Arc<Tls>,
    shared: Arc<Shared>,
) {
    let _ = stream.set_nodelay(true);
    if which == Listener::Plain {
        serve_http(which, stream, router, shared).await;
        return;
    }
    let acceptor = match decision {
        Connection::Untrusted => &tls.untrusted,
        _ => &tls.trusted,
    };
    if let Ok(Ok(stream)) = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
        serve_http(which, stream, router, shared).await;
    }
}

/// Signals hyper to close the connection without writing a response.
#[derive(Debug)]
struct CloseSilently;

impl std::fmt::Display for CloseSilently {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("closed without a response")
    }
}

impl std::error::Error for CloseSilently {}

async fn serve_http<S>(which: Listener, stream: S, router: Arc<dyn Router>, shared: Arc<Shared>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
        let router = router.clone();
        let shared = shared.clone();
        async move {
            let method = req.method().as_str().to_owned();
            let path = req.uri().path().to_owned();
            // The body is never read: dropping the request leaves it unbuffered.
            drop(req);
            shared.record(which, LoggedKind::Request, &method, &path);
            match router.reply(which, &method, &path) {
                Reply::Respond {
                    status,
                    location,
                    content_type,
                    body,
                } => Ok(respond(status, location, content_type, body)),
                Reply::Hang { ms } => {
                    tokio::time::sleep(Duration::from_millis(ms.min(MAX_HANG_MS))).await;
                    Err(CloseSilently)
                }
                Reply::Drop => Err(CloseSilently),
            }
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .keep_alive(false)
        .max_buf_size(MAX_HEAD)
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let _ = builder
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

fn respond(
    status: u16,
    location: Option<String>,
    content_type: Option<&'static str>,
    body: Vec<u8>,
) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CONNECTION, HeaderValue::from_static("close"));
    if let Some(ct) = content_type.and_then(|ct| HeaderValue::from_str(ct).ok()) {
        headers.insert(CONTENT_TYPE, ct);
    }
    if let Some(loc) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        headers.insert(LOCATION, loc);
    }
    response
}

fn io_err(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// A CA certificate and its key, self-signed.
fn make_ca(name: &str) -> io::Result<(rcgen::Certificate, Issuer<'static, KeyPair>)> {
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).map_err(io_err)?;
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(io_err)?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    // UTCTime range: every client's parser accepts it.
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(2049, 12, 31);
    let cert = params.self_signed(&key).map_err(io_err)?;
    Ok((cert, Issuer::new(params, key)))
}

/// A server leaf for IP 127.0.0.1, shaped to pass strict verifiers too (OpenSSL's
/// X509_STRICT in Python 3.13: authority key identifier, SAN, key usages).
fn make_leaf(
    issuer: &Issuer<'_, KeyPair>,
) -> io::Result<(CertificateDer<'static>, PrivateKeyDer<'static>)> {
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).map_err(io_err)?;
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(io_err)?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(DnType::CommonName, "jwt-conformance live key server");
    params.subject_alt_names = vec![SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST))];
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(2049, 12, 31);
    let cert = params.signed_by(&key, issuer).map_err(io_err)?;
    let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    Ok((cert.der().clone(), key_der))
}

fn acceptor(leaf: CertificateDer<'static>, key: PrivateKeyDer<'static>) -> io::Result<TlsAcceptor> {
    let config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(io_err)?
            .with_no_client_auth()
            .with_single_cert(vec![leaf], key)
            .map_err(io_err)?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

fn make_tls() -> io::Result<Tls> {
    let (ca, ca_issuer) = make_ca("jwt-conformance run CA")?;
    let (leaf, key) = make_leaf(&ca_issuer)?;
    let (_, foreign_issuer) = make_ca("jwt-conformance foreign CA")?;
    let (foreign_leaf, foreign_key) = make_leaf(&foreign_issuer)?;
    Ok(Tls {
        trusted: acceptor(leaf, key)?,
        untrusted: acceptor(foreign_leaf, foreign_key)?,
        ca_pem: ca.pem(),
    })
}

/// A fresh directory only this user can read, so an adapter of another user cannot swap the CA.
fn make_private_dir() -> io::Result<PathBuf> {
    use std::hash::BuildHasher;
    let base = std::env::temp_dir();
    let pid = std::process::id();
    for attempt in 0u32..16 {
        let random = std::collections::hash_map::RandomState::new().hash_one((
            pid,
            attempt,
            std::time::SystemTime::now(),
        ));
        let dir = base.join(format!("jwt-conformance-{pid}-{random:016x}"));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no fresh temp dir name",
    ))
}

/// Why [`get`] failed, in the terms the reference verifier maps to verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GetError {
    /// The whole exchange did not finish within the timeout.
    Timeout,
    /// Connection refused or dropped, TLS failure (untrusted certificate), malformed response.
    Transport,
    /// The body is longer than `max_bytes`.
    TooLarge,
    /// The URL is not https: no connection was attempted.
    NotHttps,
}

/// The reference verifier's HTTPS client (ureq): GET `url` trusting only `ca_pem`, https only,
/// no redirects followed (a 3xx is returned as its status), no proxy, whole-exchange timeout,
/// body cut at `max_bytes` (more is `GetError::TooLarge`).
pub fn get(
    url: &str,
    ca_pem: &str,
    timeout: Duration,
    max_bytes: usize,
) -> Result<(u16, Vec<u8>), GetError> {
    // Checked here, before ureq, so a plain URL never opens a connection.
    let is_https = url
        .get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"));
    if !is_https {
        return Err(GetError::NotHttps);
    }
    let agent = agent(ca_pem, timeout).ok_or(GetError::Transport)?;
    let mut response = agent.get(url).call().map_err(map_error)?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(max_bytes as u64)
        .read_to_vec()
        .map_err(map_error)?;
    Ok((status, body))
}

fn map_error(e: ureq::Error) -> GetError {
    match e {
        ureq::Error::Timeout(_) => GetError::Timeout,
        ureq::Error::Io(ref io) if io.kind() == io::ErrorKind::TimedOut => GetError::Timeout,
        ureq::Error::BodyExceedsLimit(_) => GetError::TooLarge,
        ureq::Error::RequireHttpsOnly(_) => GetError::NotHttps,
        _ => GetError::Transport,
    }
}

/// Agents cached per (CA text, timeout): ureq builds the rustls config once per agent.
fn agent(ca_pem: &str, timeout: Duration) -> Option<ureq::Agent> {
    type Cache = Mutex<HashMap<(String, Duration), ureq::Agent>>;
    static AGENTS: OnceLock<Cache> = OnceLock::new();
    let cache = AGENTS.get_or_init(Default::default);
    let key = (ca_pem.to_owned(), timeout);
    if let Some(agent) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Some(agent.clone());
    }
    let agent = make_agent(ca_pem, timeout)?;
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() >= 16 {
        cache.clear();
    }
    cache.insert(key, agent.clone());
    Some(agent)
}

fn make_agent(ca_pem: &str, timeout: Duration) -> Option<ureq::Agent> {
    use ureq::tls::{PemItem, RootCerts, TlsConfig, TlsProvider};
    let mut roots = Vec::new();
    for item in ureq::tls::parse_pem(ca_pem.as_bytes()) {
        if let Ok(PemItem::Certificate(cert)) = item {
            roots.push(cert);
        }
    }
    if roots.is_empty() {
        return None;
    }
    let tls = TlsConfig::builder()
        .provider(TlsProvider::Rustls)
        .root_certs(RootCerts::Specific(Arc::new(roots)))
        .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .build();
    let config = ureq::Agent::config_builder()
        .tls_config(tls)
        .https_only(true)
        .max_redirects(0)
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(timeout))
        .build();
    Some(config.new_agent())
}
