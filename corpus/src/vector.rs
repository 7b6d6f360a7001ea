//! The test-vector format, schema version 3 (a public contract: `vectors/README.md`).
//!
//! A vector is one JSON file. It is either single-shot (`now`, one token form, `expected`) or a
//! sequence of `steps`, each with its own time, token, store actions and expected result.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use verifier::{ConfigCode, Profile, Reason};

/// The newest schema version, this crate's. A vector is written with the least version that
/// holds it ([`crate::load::schema_version_of`]): 2 unless its profile uses what 3 added.
pub const SCHEMA_VERSION: u32 = 3;
/// Every schema version this crate reads.
pub const SCHEMA_VERSIONS: [u32; 2] = [2, SCHEMA_VERSION];

/// One test vector. (serde cannot combine `deny_unknown_fields` with the flattened body; the
/// JSON Schema in `vectors/schema.json` is what refuses unknown members.)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vector {
    pub schema_version: u32,
    /// Stable unique ID, `<category>/<name>`.
    pub id: String,
    /// One line: what the vector checks.
    pub description: String,
    pub category: String,
    /// Citation IDs of `docs/normative.md` that the expectation rests on. A `must` vector cites
    /// at least one binding clause (an RFC MUST on the recipient) or a documented attack.
    pub basis: Vec<String>,
    /// Other references for people: suite case names (Wycheproof, JSONTestSuite, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
    /// Named bug types (Wycheproof style), for grouping findings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    pub severity: Severity,
    /// What a verifier must be able to express to run this vector.
    pub features: Vec<Feature>,
    /// The full verification profile.
    pub profile: Profile,
    /// The JWK Set to load (for `config_error` vectors, one that must not load). With
    /// `jwks_base64`, the parse a last-wins JSON parser gives of those bytes (`null` when they
    /// are not UTF-8 JSON).
    pub jwks: Value,
    /// The key set's exact bytes, standard padded base64, for a set that a parsed value cannot
    /// hold (duplicate member names, another encoding). When present, these are the key set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_base64: Option<String>,
    /// How keys are obtained; absent means the `jwks` is pinned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_source: Option<KeySourceSpec>,
    /// Why a multi-defect vector expects the reason it does, or other notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// One sentence: why the verdict stands although independent libraries dispute it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    #[serde(flatten)]
    pub body: Body,
}

/// A single-shot check or a sequence.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Body {
    Steps { steps: Vec<Step> },
    Single(Step),
}

/// A sequence when `steps` is present, else a single step. Not serde's `untagged`, whose
/// error ("did not match any variant") would hide the real one, such as an unknown reason ID.
impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut members = serde_json::Map::deserialize(d)?;
        match members.remove("steps") {
            Some(steps) => serde_json::from_value(steps).map(|steps| Body::Steps { steps }),
            None => serde_json::from_value(Value::Object(members)).map(Body::Single),
        }
        .map_err(D::Error::custom)
    }
}

/// One verification: store actions, then the token at `now`, then the expected result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
    pub now: i64,
    #[serde(flatten)]
    pub token: TokenSpec,
    pub expected: Expected,
    /// Other outcomes that also conform (Wycheproof's "acceptable"): scored `acceptable`, not
    /// failed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acceptable: Vec<Acceptable>,
    /// What the live key-set server's request log must show for this step (vectors that need
    /// `key_fetch` only): it holds for the expected outcome and every acceptable one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<Box<RequestBounds>>,
}

/// Bounds on the requests a live key-set server receives during one step: from the runner
/// carrying out the step's actions to the verifier's answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestBounds {
    /// Requests for the issuer's key set (`/jwks.json` on the issuer listener).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks: Option<Count>,
    /// Requests for the issuer's discovery document (`/.well-known/openid-configuration`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery: Option<Count>,
    /// Requests for any other path on the issuer listener.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<Count>,
    /// Listeners that must see no connection at all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forbidden: Vec<Listener>,
    /// The verifier answers within this many milliseconds of being asked (a stalled or
    /// flooding endpoint must not hold it longer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_within_ms: Option<u64>,
}

/// An inclusive range of request counts; an absent end is open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Count {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

impl Count {
    /// Exactly `n`.
    pub const fn exactly(n: u32) -> Count {
        Count {
            min: Some(n),
            max: Some(n),
        }
    }

    /// At most `n`.
    pub const fn at_most(n: u32) -> Count {
        Count {
            min: None,
            max: Some(n),
        }
    }

    /// At least `n`.
    pub const fn at_least(n: u32) -> Count {
        Count {
            min: Some(n),
            max: None,
        }
    }

    /// Whether `n` is in range.
    pub fn admits(&self, n: u32) -> bool {
        self.min.is_none_or(|m| n >= m) && self.max.is_none_or(|m| n <= m)
    }
}

/// The three listeners of a live key-set server: the issuer's origin (HTTPS), another HTTPS
/// origin an attacker controls, and a plain-HTTP one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Listener {
    Issuer,
    Decoy,
    Plain,
}

impl Listener {
    /// All three, in order.
    pub const ALL: [Listener; 3] = [Listener::Issuer, Listener::Decoy, Listener::Plain];

    /// The placeholder that stands for this listener's origin in a live vector.
    pub const fn placeholder(self) -> &'static str {
        match self {
            Listener::Issuer => "{issuer}",
            Listener::Decoy => "{decoy}",
            Listener::Plain => "{plain}",
        }
    }

    /// `issuer`, `decoy` or `plain`.
    pub const fn name(self) -> &'static str {
        match self {
            Listener::Issuer => "issuer",
            Listener::Decoy => "decoy",
            Listener::Plain => "plain",
        }
    }
}

/// An outcome a step may also have (Wycheproof's "acceptable"): a verdict, and for a
/// rejection or configuration refusal optionally the catalog reason or code it must give (absent:
/// any). File form `{"verdict": "reject", "reason": "expired"}`; `reason` holds the code of a
/// `config_error`, and an ID outside the catalog does not load.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Acceptable {
    Accept,
    Reject(Option<Reason>),
    ConfigError(Option<ConfigCode>),
}

impl Acceptable {
    /// `accept`, `reject` or `config_error`.
    pub fn verdict(self) -> Verdict {
        match self {
            Acceptable::Accept => Verdict::Accept,
            Acceptable::Reject(_) => Verdict::Reject,
            Acceptable::ConfigError(_) => Verdict::ConfigError,
        }
    }

    /// The reason ID or code as the file writes it.
    pub fn id(self) -> Option<&'static str> {
        match self {
            Acceptable::Accept | Acceptable::Reject(None) | Acceptable::ConfigError(None) => None,
            Acceptable::Reject(Some(reason)) => Some(reason.id()),
            Acceptable::ConfigError(Some(code)) => Some(code.id()),
        }
    }
}

/// By verdict, then by the ID as written: the order a generator writes a step's list in, so
/// files stay byte-identical.
impl Ord for Acceptable {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.verdict(), self.id()).cmp(&(other.verdict(), other.id()))
    }
}

impl PartialOrd for Acceptable {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The file form of an [`Acceptable`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AcceptableForm {
    verdict: Verdict,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

impl Serialize for Acceptable {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        AcceptableForm {
            verdict: self.verdict(),
            reason: self.id().map(str::to_owned),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Acceptable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let form = AcceptableForm::deserialize(d)?;
        let id = form.reason.as_deref();
        Ok(match (form.verdict, id) {
            (Verdict::Accept, None) => Acceptable::Accept,
            (Verdict::Accept, Some(_)) => {
                return Err(D::Error::custom("an acceptable `accept` names no reason"));
            }
            (Verdict::Reject, id) => Acceptable::Reject(
                id.map(|id| {
                    Reason::from_id(id)
                        .ok_or_else(|| D::Error::custom(format!("unknown reason ID `{id}`")))
                })
                .transpose()?,
            ),
            (Verdict::ConfigError, id) => Acceptable::ConfigError(
                id.map(|id| {
                    ConfigCode::from_id(id).ok_or_else(|| {
                        D::Error::custom(format!("unknown configuration-error code `{id}`"))
                    })
                })
                .transpose()?,
            ),
        })
    }
}

/// The token, in exactly one of three forms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenSpec {
    /// The token as a UTF-8 string.
    #[serde(rename = "token")]
    Text(String),
    /// The token's bytes in standard base64 with padding (for tokens that are not UTF-8).
    #[serde(rename = "token_base64")]
    Base64(String),
    /// Pieces concatenated by the loader (for very large tokens).
    #[serde(rename = "token_recipe")]
    Recipe(Vec<Piece>),
    /// A JWS the runner signs once the live server's origins are known (live vectors only):
    /// the placeholders `{issuer}`, `{decoy}` and `{plain}` in its header and claims are the
    /// listeners' origins.
    #[serde(rename = "token_mint")]
    Mint(Box<Mint>),
}

/// An ES256 token to sign at run time: `BASE64URL(header) . BASE64URL(claims) . signature`,
/// each JSON object serialized compactly with members in sorted order, signed with the private
/// JWK `key` (RFC 6979 deterministic ECDSA, so a given origin always yields the same token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mint {
    pub header: Value,
    pub claims: Value,
    pub key: Value,
}

/// One piece of a token recipe.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, untagged)]
pub enum Piece {
    /// Literal text.
    Text { text: String },
    /// `unit` repeated `count` times.
    Repeat { repeat: String, count: usize },
}

/// Expected outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case", deny_unknown_fields)]
pub enum Expected {
    /// The token verifies; these are its claims.
    Accept { claims: Value },
    /// The token is rejected for this catalog reason.
    Reject {
        reason: Reason,
        m_id: Option<String>,
    },
    /// The key set (or profile) must not load; `error` is the code of the defect.
    ConfigError { error: ConfigCode },
}

impl Expected {
    /// `accept`, `reject` or `config_error`.
    pub fn verdict(&self) -> Verdict {
        match self {
            Expected::Accept { .. } => Verdict::Accept,
            Expected::Reject { .. } => Verdict::Reject,
            Expected::ConfigError { .. } => Verdict::ConfigError,
        }
    }

    /// The expected reason of a rejection.
    pub fn reason(&self) -> Option<Reason> {
        match self {
            Expected::Reject { reason, .. } => Some(*reason),
            _ => None,
        }
    }

    /// The expected code of a configuration refusal.
    pub fn code(&self) -> Option<ConfigCode> {
        match self {
            Expected::ConfigError { error } => Some(*error),
            _ => None,
        }
    }
}

/// The three verdicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Accept,
    Reject,
    ConfigError,
}

impl Verdict {
    /// `accept`, `reject` or `config_error`, as vectors and reports spell it.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Accept => "accept",
            Verdict::Reject => "reject",
            Verdict::ConfigError => "config_error",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether a failure breaks an RFC MUST or known attack, or only our strict profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Must,
    Profile,
}

/// Capabilities a verifier needs to run a vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// The verification time is injected (`now`); time-boundary vectors.
    Clock,
    /// The domain rules of the profile (M39–M45).
    Domain,
    /// A `cat` (token category) requirement.
    TokenCategory,
    /// One-time `jti` with a replay store.
    Replay,
    /// Session liveness with a session store.
    Sessions,
    /// Session-version epochs.
    SessionVersion,
    /// Store outages (fail closed).
    StoreFaults,
    /// Keys fetched from the runner's live HTTPS key-set server, whose answers the steps script.
    KeyFetch,
    /// A key set that changes between steps.
    KeyRotation,
    /// Finding the key set through the issuer's discovery document
    /// (`/.well-known/openid-configuration`) instead of a configured `jwks_uri`.
    KeyDiscovery,
    /// Loading a JWK Set document and refusing bad ones.
    JwksParsing,
    /// Requiring a given `typ` header value (RFC 8725 §3.11, RFC 9068 §4): vectors whose
    /// rejection hinges on `typ` alone.
    Typ,
}

/// How keys are obtained.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum KeySourceSpec {
    /// The `jwks` is served by the live key-set server at `{issuer}/jwks.json`, which steps can
    /// change or break; keys are cached for `ttl_secs` and an unknown `kid` refetches at most
    /// once per `refetch_interval_secs`; one fetch gives up after `fetch_timeout_ms`. With
    /// `discovery`, the verifier finds the key set through
    /// `{issuer}/.well-known/openid-configuration`.
    Fetched {
        ttl_secs: i64,
        refetch_interval_secs: i64,
        #[serde(default = "default_fetch_timeout_ms")]
        fetch_timeout_ms: u64,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        discovery: bool,
    },
}

/// One second: what a fetch may take unless a vector says otherwise.
pub const DEFAULT_FETCH_TIMEOUT_MS: u64 = 1000;

fn default_fetch_timeout_ms() -> u64 {
    DEFAULT_FETCH_TIMEOUT_MS
}

/// A change to the world before a step's token is verified.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// The replay store goes down or comes back.
    ReplayStore { available: bool },
    /// The session store goes down or comes back.
    SessionStore { available: bool },
    /// The session-version store goes down or comes back.
    SessionVersionStore { available: bool },
    /// A session becomes live.
    OpenSession { sub: String, sid: String },
    /// A session is revoked.
    RevokeSession { sub: String, sid: String },
    /// An account's session version is set (logout-all bumps it).
    SetSessionVersion { sub: String, version: u64 },
    /// The key-set endpoint now serves this document (rotation).
    PublishJwks { jwks: Value },
    /// The key-set endpoint now answers like this.
    KeyEndpoint { behaviour: EndpointBehaviour },
    /// The discovery document is now this one (placeholders allowed).
    PublishDiscovery { document: Value },
    /// The discovery endpoint now answers like this.
    DiscoveryEndpoint { behaviour: EndpointBehaviour },
    /// A listener now serves `body` (JSON, or text when a string) at `path`: an attacker's key
    /// set or certificate that no verifier may fetch.
    Host {
        at: Listener,
        path: String,
        body: Value,
    },
}

impl Action {
    /// Whether this action scripts the live key-set server (the runner carries it out; it is
    /// not sent to adapters).
    pub fn is_endpoint(&self) -> bool {
        matches!(
            self,
            Action::PublishJwks { .. }
                | Action::KeyEndpoint { .. }
                | Action::PublishDiscovery { .. }
                | Action::DiscoveryEndpoint { .. }
                | Action::Host { .. }
        )
    }
}

/// How the key-set endpoint answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum EndpointBehaviour {
    /// 200 with the published key set.
    Serve,
    /// The server reads the request and answers nothing for 6 s, then closes: the fetch must
    /// time out.
    Timeout,
    /// The connection is accepted and closed before the TLS handshake.
    TransportError,
    /// This HTTP status with an empty body.
    Status { status: u16 },
    /// 200 with this body.
    Body { body: String },
    /// The server reads the request and closes the connection without a byte.
    Drop,
    /// 200 with the published key set padded with a `"pad"` member to `bytes` bytes: valid
    /// JSON, too large for a bounded client.
    Oversized { bytes: usize },
    /// This redirect status with `Location: location` (placeholders allowed).
    Redirect { status: u16, location: String },
    /// The TLS handshake presents a certificate from an authority the verifier was not told
    /// to trust, then the published key set is served.
    Untrusted,
}

impl Vector {
    /// The key set's exact bytes: `jwks_base64` decoded, or else `jwks` serialized compactly
    /// (members in the file's order). Undecodable base64 gives no bytes, which no parser loads.
    pub fn jwks_bytes(&self) -> Vec<u8> {
        match &self.jwks_base64 {
            Some(text) => STANDARD.decode(text).unwrap_or_default(),
            None => serde_json::to_vec(&self.jwks).unwrap_or_default(),
        }
    }

    /// The algorithms its verifier is configured to accept: the profile's `algorithms`, or ES256
    /// when it lists none. The corpus statistics and the matrix count a vector under each.
    pub fn algorithms(&self) -> std::collections::BTreeSet<verifier::Algorithm> {
        let mut algs: std::collections::BTreeSet<_> =
            self.profile.algorithms.iter().copied().collect();
        if algs.is_empty() {
            algs.insert(verifier::Algorithm::ES256);
        }
        algs
    }

    /// The steps, a single-shot vector being one step.
    pub fn steps(&self) -> &[Step] {
        match &self.body {
            Body::Steps { steps } => steps,
            Body::Single(step) => std::slice::from_ref(step),
        }
    }

    /// The steps, mutably.
    pub fn steps_mut(&mut self) -> &mut [Step] {
        match &mut self.body {
            Body::Steps { steps } => steps,
            Body::Single(step) => std::slice::from_mut(step),
        }
    }
}

/// The canonical file form of a vector: pretty JSON, two-space indent, trailing newline.
/// Generators and tools write only this, so regeneration is byte-identical.
pub fn to_file_json(vector: &Vector) -> String {
    let mut text = serde_json::to_string_pretty(vector).unwrap_or_default();
    text.push('\n');
    text
}
