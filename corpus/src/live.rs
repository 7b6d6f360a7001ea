//! Live key-set vectors (feature `key_fetch`): what the key-set server answers, how a vector is
//! made concrete once the server's origins are known, and the reference verifier's fetch
//! policy. No network here: the runner's HTTPS server (`keyserver`) and the in-memory
//! transport of [`Script::get`] both answer from the same [`Script`], so `cargo test -p corpus`
//! checks every live vector without a socket.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{Value, json};
use verifier::{FetchError, FetchResponse};

use crate::vector::{
    Action, Count, EndpointBehaviour, KeySourceSpec, Listener, Mint, RequestBounds, TokenSpec,
    Vector,
};

/// The path of the issuer's key set.
pub const JWKS_PATH: &str = "/jwks.json";
/// The path of the issuer's discovery document (OpenID Connect Discovery 1.0 §4).
pub const DISCOVERY_PATH: &str = "/.well-known/openid-configuration";
/// The largest key-set or discovery body the reference reads (the profile's cap).
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// How long the server stalls an answer: past any sane fetch timeout, below the runner's
/// per-call timeout, so a library without a timeout answers late instead of wedging.
pub const MAX_HANG_MS: u64 = 6000;

/// The listeners' origins of one live run of a vector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origins {
    pub issuer: String,
    pub decoy: String,
    pub plain: String,
}

impl Origins {
    /// Fixed origins for in-memory runs (ports nothing listens on).
    pub fn in_memory() -> Origins {
        Origins {
            issuer: "https://127.0.0.1:1".to_owned(),
            decoy: "https://127.0.0.1:2".to_owned(),
            plain: "http://127.0.0.1:3".to_owned(),
        }
    }

    /// The origin of `listener`.
    pub fn of(&self, listener: Listener) -> &str {
        match listener {
            Listener::Issuer => &self.issuer,
            Listener::Decoy => &self.decoy,
            Listener::Plain => &self.plain,
        }
    }

    /// Which listener a URL points at, and its path (`None`: none of ours).
    pub fn resolve<'u>(&self, url: &'u str) -> Option<(Listener, &'u str)> {
        Listener::ALL.into_iter().find_map(|l| {
            let rest = url.strip_prefix(self.of(l))?;
            if rest.is_empty() {
                Some((l, "/"))
            } else if rest.starts_with('/') {
                Some((l, rest))
            } else {
                None
            }
        })
    }

    /// `text` with every placeholder replaced by its origin.
    pub fn fill(&self, text: &str) -> String {
        Listener::ALL.into_iter().fold(text.to_owned(), |t, l| {
            t.replace(l.placeholder(), self.of(l))
        })
    }

    fn fill_value(&self, value: &mut Value) {
        match value {
            Value::String(s) if s.contains('{') => *s = self.fill(s),
            Value::Array(items) => items.iter_mut().for_each(|v| self.fill_value(v)),
            Value::Object(map) => map.values_mut().for_each(|v| self.fill_value(v)),
            _ => {}
        }
    }
}

/// Whether a vector runs against the live key-set server.
pub fn is_live(vector: &Vector) -> bool {
    vector.key_source.is_some()
}

/// The vector with its placeholders filled in with `origins` and its minted tokens signed:
/// what the verifier is given. Vectors that are not live come back unchanged.
pub fn instantiate(vector: &Vector, origins: &Origins) -> Result<Vector, String> {
    if !is_live(vector) {
        return Ok(vector.clone());
    }
    let mut value = serde_json::to_value(vector).map_err(|e| e.to_string())?;
    origins.fill_value(&mut value);
    let mut concrete: Vector = serde_json::from_value(value).map_err(|e| e.to_string())?;
    for step in concrete.steps_mut() {
        if let TokenSpec::Mint(mint) = &step.token {
            step.token = TokenSpec::Text(sign(mint)?);
        }
    }
    Ok(concrete)
}

/// Signs a [`Mint`] recipe (placeholders already filled in).
pub fn sign(mint: &Mint) -> Result<String, String> {
    let d = mint
        .key
        .get("d")
        .and_then(Value::as_str)
        .and_then(|d| URL_SAFE_NO_PAD.decode(d).ok())
        .ok_or("token_mint key has no base64url `d`")?;
    let key = SigningKey::from_slice(&d).map_err(|_| "token_mint key `d` is not a P-256 scalar")?;
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(mint.header.to_string()),
        URL_SAFE_NO_PAD.encode(mint.claims.to_string())
    );
    let signature: Signature = key.sign(input.as_bytes());
    Ok(format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    ))
}

/// The default discovery document: the issuer and its key set's location.
pub fn default_discovery() -> Value {
    json!({"issuer": "{issuer}", "jwks_uri": format!("{{issuer}}{JWKS_PATH}")})
}

/// What one request gets (the server's and the in-memory transport's common plan).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Respond {
        status: u16,
        location: Option<String>,
        body: Vec<u8>,
    },
    /// Say nothing for this long, then close.
    Hang { ms: u64 },
    /// Close without a byte.
    Drop,
}

/// How a listener treats a new connection, before any request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    Serve,
    /// Closed before the TLS handshake.
    Refuse,
    /// A certificate from an authority the client does not trust (the plain listener has no
    /// TLS: there it is served as [`Connection::Serve`]).
    Untrusted,
}

/// One request the server saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    pub listener: Listener,
    /// `None` for a connection (accepted or refused) that carried no request.
    pub path: Option<String>,
}

/// The scripted state of a live vector's server: what each listener serves now.
#[derive(Clone, Debug)]
pub struct Script {
    origins: Origins,
    jwks: Value,
    jwks_behaviour: EndpointBehaviour,
    discovery: Option<Value>,
    discovery_behaviour: EndpointBehaviour,
    hosted: Vec<(Listener, String, Value)>,
}

impl Script {
    /// The server of a live vector before its first step: the vector's `jwks` at
    /// `{issuer}/jwks.json`, and the default discovery document when the vector discovers.
    pub fn new(vector: &Vector, origins: &Origins) -> Script {
        let discovery = matches!(
            vector.key_source,
            Some(KeySourceSpec::Fetched {
                discovery: true,
                ..
            })
        );
        let mut jwks = vector.jwks.clone();
        origins.fill_value(&mut jwks);
        let mut script = Script {
            origins: origins.clone(),
            jwks,
            jwks_behaviour: EndpointBehaviour::Serve,
            discovery: None,
            discovery_behaviour: EndpointBehaviour::Serve,
            hosted: Vec::new(),
        };
        if discovery {
            script.set_discovery(default_discovery());
        }
        script
    }

    fn set_discovery(&mut self, mut document: Value) {
        self.origins.fill_value(&mut document);
        self.discovery = Some(document);
    }

    /// Carries out an endpoint action ([`Action::is_endpoint`]); others are ignored.
    pub fn apply(&mut self, action: &Action) {
        let fill = |v: &Value| {
            let mut v = v.clone();
            self.origins.fill_value(&mut v);
            v
        };
        match action {
            Action::PublishJwks { jwks } => self.jwks = fill(jwks),
            Action::KeyEndpoint { behaviour } => self.jwks_behaviour = behaviour.clone(),
            Action::PublishDiscovery { document } => self.set_discovery(document.clone()),
            Action::DiscoveryEndpoint { behaviour } => self.discovery_behaviour = behaviour.clone(),
            Action::Host { at, path, body } => {
                let body = fill(body);
                self.hosted.retain(|(l, p, _)| !(l == at && p == path));
                self.hosted.push((*at, path.clone(), body));
            }
            _ => {}
        }
    }

    /// How `listener` treats a new connection: the issuer's key-set behaviour decides for the
    /// whole issuer origin (a refused or untrusted origin is so for every path).
    pub fn connection(&self, listener: Listener) -> Connection {
        match (listener, &self.jwks_behaviour) {
            (Listener::Issuer, EndpointBehaviour::TransportError) => Connection::Refuse,
            (Listener::Issuer, EndpointBehaviour::Untrusted) => Connection::Untrusted,
            _ => Connection::Serve,
        }
    }

    /// What a request for `path` on `listener` gets.
    pub fn answer(&self, listener: Listener, path: &str) -> Answer {
        if let Some((_, _, body)) = self
            .hosted
            .iter()
            .find(|(l, p, _)| *l == listener && p == path)
        {
            return ok(body_bytes(body));
        }
        if listener != Listener::Issuer {
            return not_found();
        }
        match (path, &self.discovery) {
            (JWKS_PATH, _) => self.behave(&self.jwks_behaviour, &self.jwks),
            (DISCOVERY_PATH, Some(document)) => self.behave(&self.discovery_behaviour, document),
            _ => not_found(),
        }
    }

    fn behave(&self, behaviour: &EndpointBehaviour, document: &Value) -> Answer {
        match behaviour {
            EndpointBehaviour::Serve | EndpointBehaviour::Untrusted => ok(body_bytes(document)),
            EndpointBehaviour::Timeout => Answer::Hang { ms: MAX_HANG_MS },
            EndpointBehaviour::TransportError | EndpointBehaviour::Drop => Answer::Drop,
            EndpointBehaviour::Status { status } => Answer::Respond {
                status: *status,
                location: None,
                body: Vec::new(),
            },
            EndpointBehaviour::Body { body } => ok(body.clone().into_bytes()),
            EndpointBehaviour::Oversized { bytes } => ok(padded(document, *bytes)),
            EndpointBehaviour::Redirect { status, location } => Answer::Respond {
                status: *status,
                location: Some(self.origins.fill(location)),
                body: Vec::new(),
            },
        }
    }

    /// The in-memory transport: what a GET of `url` would return, with the request appended
    /// to `log` as the server would log it. A hang is a timeout, a drop or an untrusted
    /// certificate a transport error, and a body over [`MAX_BODY_BYTES`] a transport error.
    pub fn get(&self, url: &str, log: &mut Vec<Seen>) -> Result<FetchResponse, FetchError> {
        let (listener, path) = self.origins.resolve(url).ok_or(FetchError::Transport)?;
        if listener == Listener::Plain {
            // The reference only fetches https URLs: it never connects.
            return Err(FetchError::Transport);
        }
        match self.connection(listener) {
            Connection::Serve => {}
            Connection::Refuse | Connection::Untrusted => {
                log.push(Seen {
                    listener,
                    path: None,
                });
                return Err(FetchError::Transport);
            }
        }
        log.push(Seen {
            listener,
            path: Some(path.to_owned()),
        });
        match self.answer(listener, path) {
            Answer::Respond { body, .. } if body.len() > MAX_BODY_BYTES => {
                Err(FetchError::Transport)
            }
            Answer::Respond { status, body, .. } => Ok(FetchResponse { status, body }),
            Answer::Hang { .. } => Err(FetchError::Timeout),
            Answer::Drop => Err(FetchError::Transport),
        }
    }
}

fn ok(body: Vec<u8>) -> Answer {
    Answer::Respond {
        status: 200,
        location: None,
        body,
    }
}

fn not_found() -> Answer {
    Answer::Respond {
        status: 404,
        location: None,
        body: Vec::new(),
    }
}

/// A JSON body, or a string's text as is.
fn body_bytes(body: &Value) -> Vec<u8> {
    match body {
        Value::String(text) => text.clone().into_bytes(),
        other => other.to_string().into_bytes(),
    }
}

/// `document` with a `"pad"` member of spaces making it `bytes` long (at least its own size).
fn padded(document: &Value, bytes: usize) -> Vec<u8> {
    let mut doc = document.clone();
    let base = document.to_string().len() + r#","pad":"""#.len();
    if let Value::Object(map) = &mut doc {
        map.insert(
            "pad".to_owned(),
            Value::String(" ".repeat(bytes.saturating_sub(base))),
        );
    }
    doc.to_string().into_bytes()
}

/// Where and how the reference fetches: its configured issuer, and whether it discovers.
#[derive(Clone, Debug)]
pub struct FetchPolicy {
    pub issuer: String,
    pub discovery: bool,
}

impl FetchPolicy {
    /// The policy of a (concrete) live vector.
    pub fn of(vector: &Vector) -> FetchPolicy {
        FetchPolicy {
            issuer: vector.profile.issuer.clone().unwrap_or_default(),
            discovery: matches!(
                vector.key_source,
                Some(KeySourceSpec::Fetched {
                    discovery: true,
                    ..
                })
            ),
        }
    }

    /// The configured key-set location: `{issuer}/jwks.json`.
    pub fn jwks_uri(&self) -> String {
        format!("{}{JWKS_PATH}", self.issuer)
    }

    /// The discovery document's location.
    pub fn discovery_url(&self) -> String {
        format!("{}{DISCOVERY_PATH}", self.issuer)
    }

    /// One key-set fetch under the profile's fetch rules (`docs/profile.md`, PROFILE-KEY-FETCH):
    /// only `https` locations, no redirect (a 3xx is a failure), and with discovery the
    /// document's `issuer` must be byte-equal to the configured issuer (RFC 8414 §3.3) and its
    /// `jwks_uri` an `https` URL. The metadata is read again on every key-set fetch.
    pub fn fetch(
        &self,
        get: &mut dyn FnMut(&str) -> Result<FetchResponse, FetchError>,
    ) -> Result<FetchResponse, FetchError> {
        let location = if self.discovery {
            let response = get(&self.discovery_url())?;
            if response.status != 200 {
                return Err(FetchError::Transport);
            }
            let document: Value =
                serde_json::from_slice(&response.body).map_err(|_| FetchError::Transport)?;
            if document.get("issuer").and_then(Value::as_str) != Some(self.issuer.as_str()) {
                return Err(FetchError::Transport);
            }
            document
                .get("jwks_uri")
                .and_then(Value::as_str)
                .filter(|uri| uri.starts_with("https://"))
                .ok_or(FetchError::Transport)?
                .to_owned()
        } else {
            self.jwks_uri()
        };
        let response = get(&location)?;
        if (300..400).contains(&response.status) {
            return Err(FetchError::Transport);
        }
        Ok(response)
    }
}

/// How the requests `seen` during one step break `bounds`: one line each (empty: none).
pub fn violations(bounds: &RequestBounds, seen: &[Seen]) -> Vec<String> {
    let on_issuer = |wanted: &dyn Fn(&str) -> bool| -> u32 {
        let n = seen
            .iter()
            .filter(|s| s.listener == Listener::Issuer)
            .filter(|s| s.path.as_deref().is_some_and(wanted))
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    };
    let counted: [(&str, Option<Count>, u32); 3] = [
        (
            "key-set fetches",
            bounds.jwks,
            on_issuer(&|p| p == JWKS_PATH),
        ),
        (
            "discovery fetches",
            bounds.discovery,
            on_issuer(&|p| p == DISCOVERY_PATH),
        ),
        (
            "other requests",
            bounds.other,
            on_issuer(&|p| p != JWKS_PATH && p != DISCOVERY_PATH),
        ),
    ];
    let mut out: Vec<String> = counted
        .into_iter()
        .filter_map(|(what, count, n)| {
            let count = count?;
            (!count.admits(n)).then(|| format!("{n} {what}, expected {}", describe(count)))
        })
        .collect();
    for listener in &bounds.forbidden {
        let n = seen.iter().filter(|s| s.listener == *listener).count();
        if n > 0 {
            out.push(format!(
                "{n} connection(s) to the {} listener, which no verifier may contact",
                listener.name()
            ));
        }
    }
    out
}

fn describe(count: Count) -> String {
    match (count.min, count.max) {
        (Some(a), Some(b)) if a == b => format!("exactly {a}"),
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "any number".to_owned(),
    }
}
