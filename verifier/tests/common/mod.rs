//! The one fixture shared by the verifier's integration tests.
//!
//! - Profiles and key sets are built from their JSON forms (the documented configuration
//!   surface), as RFC 7386 merge patches over the forge baseline.
//! - Tokens are minted from header and claims patches over the forge baseline, signed with the
//!   primary key; raw-text helpers cover what `serde_json::Value` cannot express (duplicate
//!   members, `1e10`, `-0`, invalid UTF-8).
//! - [`Env`] wires the stateful stores and key sources with their fault injection.
#![allow(dead_code, unused_imports)] // every test crate uses a different subset

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use verifier::{
    CachingKeySource, Claims, ConfigError, Fetch, FetchError, FetchResponse, KeySet, KeySource,
    MemoryReplayCache, MemorySessionStore, MemorySessionVersions, Profile, Reason, Rejection,
    Verifier,
};

pub use forge::{AUDIENCE, ISSUER, KID, NOW, ORDER_N, PRIME_P, Token, add_be, b64, small, sub_be};

/// Lifetime of the baseline token minted by [`mint`]: issued at `NOW`, expiring 10 minutes later.
pub const LIFETIME: i64 = 600;
/// The default profile's maximum lifetime (24 h).
pub const DAY: i64 = 24 * 60 * 60;
/// The session id the session fixtures open.
pub const SID: &str = "sid-1";

// ---------------------------------------------------------------------------------------------
// JSON patches

/// RFC 7386 JSON merge patch: objects merge recursively, `null` removes a member, anything else
/// replaces the target.
pub fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (name, value) in p {
                if value.is_null() {
                    t.remove(name);
                } else {
                    merge(t.entry(name.clone()).or_insert(Value::Null), value);
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

/// Like [`merge`], except that `null` in the patch sets the member to `null`. Profile patches use
/// this: an absent profile field already means its default, and `null` is a meaningful value
/// (`"max_lifetime_secs": null` lifts the lifetime bound).
pub fn overlay(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (name, value) in p {
                overlay(t.entry(name.clone()).or_insert(Value::Null), value);
            }
        }
        (t, p) => *t = p.clone(),
    }
}

/// `base` with `patch` merged in.
pub fn patched(mut base: Value, patch: &Value) -> Value {
    merge(&mut base, patch);
    base
}

/// The compact JSON text of `object` with `extra` (raw member text such as `"\u0061lg":"x"`)
/// appended as further members: the way to write what a `Value` cannot hold.
pub fn json_text(object: &Value, extra: &str) -> Vec<u8> {
    let text = object.to_string();
    assert!(text.starts_with('{') && text.ends_with('}'), "an object");
    if extra.is_empty() {
        return text.into_bytes();
    }
    let body = &text[..text.len() - 1];
    let sep = if body.len() > 1 { "," } else { "" };
    format!("{body}{sep}{extra}}}").into_bytes()
}

/// `depth` nested JSON arrays: `[[...]]`.
pub fn nested_arrays(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

// ---------------------------------------------------------------------------------------------
// Configuration

/// The default (clock-bound) profile JSON for the baseline issuer and audience, overlaid.
pub fn profile_json(patch: &Value) -> Value {
    let mut profile = forge::profile_json();
    overlay(&mut profile, patch);
    profile
}

/// The timeless profile JSON (no lifetime bound), overlaid.
pub fn timeless_profile_json(patch: &Value) -> Value {
    let mut profile = forge::timeless_profile_json();
    overlay(&mut profile, patch);
    profile
}

/// A profile from its JSON form.
pub fn profile_from(json: &Value) -> Result<Profile, ConfigError> {
    Profile::from_json(json.to_string().as_bytes())
}

/// The baseline JWK Set (the primary key only).
pub fn baseline_jwks() -> Value {
    forge::baseline_jwks()
}

/// The JWK Set of the named forge keys, each under its own name as `kid`.
pub fn jwks_of(kids: &[&str]) -> Value {
    let keys: Vec<_> = kids.iter().map(|k| (*k, forge::key(k))).collect();
    let refs: Vec<_> = keys.iter().map(|(kid, k)| (*kid, k)).collect();
    forge::jwks(&refs)
}

/// A JWK Set of forge keys of any family, each `(kid, key, alg member)`, with `use: sig` and
/// no `alg` member where it is `None`.
pub fn jwks_any(keys: &[(&str, &forge::AnyKey, Option<forge::Alg>)]) -> Value {
    let keys: Vec<Value> = keys
        .iter()
        .map(|(kid, key, alg)| {
            let mut jwk = key.public_jwk(kid, alg.unwrap_or(forge::Alg::ES256));
            if alg.is_none() {
                jwk.as_object_mut().expect("a JWK").remove("alg");
            }
            jwk
        })
        .collect();
    json!({ "keys": keys })
}

/// A key set from its JSON form.
pub fn key_set(jwks: &Value) -> Result<KeySet, verifier::JwksError> {
    KeySet::from_jwks_json(jwks.to_string().as_bytes())
}

/// A verifier from a profile JSON and a JWKS JSON, both through their parsers.
pub fn build(profile: &Value, jwks: &Value) -> Result<Verifier, ConfigError> {
    Verifier::new(profile_from(profile)?, key_set(jwks)?)
}

/// The default profile patched, over the baseline key set.
pub fn verifier(profile_patch: &Value) -> Verifier {
    build(&profile_json(profile_patch), &baseline_jwks()).expect("fixture verifier")
}

/// The timeless profile patched, over `keys`.
pub fn timeless_verifier(keys: Arc<dyn KeySource>) -> Verifier {
    let profile = profile_from(&timeless_profile_json(&json!({}))).expect("timeless profile");
    Verifier::builder(profile)
        .key_source(keys)
        .build()
        .expect("fixture verifier")
}

// ---------------------------------------------------------------------------------------------
// Tokens

/// The baseline header `{"alg":"ES256","typ":"at+jwt","kid":"primary"}`, patched.
pub fn header(patch: &Value) -> Value {
    patched(forge::header(), patch)
}

/// Baseline claims issued at `NOW` and expiring `LIFETIME` later, patched.
pub fn claims(patch: &Value) -> Value {
    patched(forge::claims_at(NOW, LIFETIME), patch)
}

/// A token from header and claims patches, signed with the primary key.
pub fn mint(header_patch: &Value, claims_patch: &Value) -> String {
    Token::new(&header(header_patch), &claims(claims_patch)).sign(&forge::key(KID))
}

/// The baseline token.
pub fn baseline() -> String {
    mint(&json!({}), &json!({}))
}

/// A token over exact header and payload bytes, signed with the primary key.
pub fn mint_bytes(header: impl Into<Vec<u8>>, payload: impl Into<Vec<u8>>) -> String {
    Token::raw(header, payload).sign(&forge::key(KID))
}

/// The clock-independent forge baseline token (issued long ago, expiring in 2100) with `kid`,
/// signed with the forge key of that name; valid under the timeless profile at any `now` if the
/// key is in the verifier's set.
pub fn timeless_token(kid: &str) -> String {
    Token::new(&header(&json!({ "kid": kid })), &forge::claims()).sign(&forge::key(kid))
}

/// A token over exact encoded segments (canonical or not), validly signed with the primary key:
/// how a defect in the encoding of a signed segment reaches the stage after the signature.
pub fn sign_segments(header: &str, payload: &str) -> String {
    let input = format!("{header}.{payload}");
    let signature = forge::es256(&forge::key(KID), input.as_bytes());
    format!("{input}.{}", b64(signature))
}

/// A token whose header text is the patched baseline header plus raw `extra` members.
pub fn mint_header_text(patch: &Value, extra: &str) -> String {
    mint_bytes(
        json_text(&header(patch), extra),
        json_text(&claims(&json!({})), ""),
    )
}

/// A token whose payload text is the patched baseline claims plus raw `extra` members.
pub fn mint_claims_text(patch: &Value, extra: &str) -> String {
    mint_bytes(
        json_text(&header(&json!({})), ""),
        json_text(&claims(patch), extra),
    )
}

/// `token` with segment `index` (0 header, 1 payload, 2 signature) edited in place.
pub fn with_segment(token: &str, index: usize, edit: impl FnOnce(&mut String)) -> String {
    let mut segments: Vec<String> = token.split('.').map(str::to_owned).collect();
    edit(&mut segments[index]);
    segments.join(".")
}

/// The segments of a compact token.
pub fn segments(token: &str) -> [String; 3] {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a compact token");
    [parts[0].into(), parts[1].into(), parts[2].into()]
}

/// The (r, s) of a compact token's signature.
pub fn signature_rs(token: &str) -> ([u8; 32], [u8; 32]) {
    let bytes = verifier::b64::decode(segments(token)[2].as_bytes()).expect("canonical signature");
    assert_eq!(bytes.len(), 64);
    let mut r = [0u8; 32];
    let mut s = [0u8; 32];
    r.copy_from_slice(&bytes[..32]);
    s.copy_from_slice(&bytes[32..]);
    (r, s)
}

/// The baseline token with its signature replaced by `f(r, s)` of its real signature.
pub fn resign(f: impl FnOnce([u8; 32], [u8; 32]) -> Vec<u8>) -> String {
    let token = baseline();
    let (r, s) = signature_rs(&token);
    let signature = f(r, s);
    with_segment(&token, 2, |seg| *seg = b64(signature))
}

/// `r || s`.
pub fn rs(r: [u8; 32], s: [u8; 32]) -> Vec<u8> {
    [r, s].concat()
}

/// True when big-endian `s` is greater than n/2 (a "high-S" signature).
pub fn is_high(s: &[u8; 32]) -> bool {
    // s > n/2  <=>  s > n - s  (n is odd, so the two are never equal)
    *s > sub_be(&ORDER_N, s)
}

/// The baseline token with its signature's s replaced by the high one of s and n − s.
pub fn high_s_token() -> String {
    resign(|r, s| {
        let high = if is_high(&s) { s } else { sub_be(&ORDER_N, &s) };
        assert!(is_high(&high));
        rs(r, high)
    })
}

/// ASN.1 DER `SEQUENCE { INTEGER r, INTEGER s }`, the encoding JWS forbids (RFC 7518 §3.4).
pub fn der(r: [u8; 32], s: [u8; 32]) -> Vec<u8> {
    fn integer(v: &[u8; 32]) -> Vec<u8> {
        let trimmed: Vec<u8> = v.iter().copied().skip_while(|&b| b == 0).collect();
        let mut body = if trimmed.first().is_some_and(|&b| b >= 0x80) {
            vec![0]
        } else {
            vec![]
        };
        body.extend(if trimmed.is_empty() { vec![0] } else { trimmed });
        let mut out = vec![0x02, u8::try_from(body.len()).expect("short")];
        out.extend(body);
        out
    }
    let body = [integer(&r), integer(&s)].concat();
    let mut out = vec![0x30, u8::try_from(body.len()).expect("short")];
    out.extend(body);
    out
}

/// A base64url segment made non-canonical: its last character gets a non-zero unused bit.
/// Only for segments whose length leaves unused bits (length ≡ 2 or 3 mod 4).
pub fn noncanonical(segment: &mut String) {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    assert!(
        matches!(segment.len() % 4, 2 | 3),
        "segment has unused bits"
    );
    let last = segment.pop().expect("non-empty");
    let value = ALPHABET
        .iter()
        .position(|&c| c == last as u8)
        .expect("base64url");
    segment.push(ALPHABET[value | 1] as char);
}

// ---------------------------------------------------------------------------------------------
// Environments: key sources and stores with fault injection

/// The key source and stores a verification runs against.
#[derive(Clone, Copy, Debug)]
pub enum Env {
    /// The baseline key set, pinned; no state rules.
    Pinned,
    /// A [`CachingKeySource`] whose every fetch fails.
    KeySourceDown,
    /// This key set, pinned, loaded for the profile's algorithms ([`KeySet::for_algorithms`]).
    Keys(fn() -> Value),
    /// Replay rule on; the token is verified `prior_uses` times (each must pass) first.
    Replay { prior_uses: usize, outage: bool },
    /// Session rule on; (`sub`, [`SID`]) is opened when `live`.
    Sessions { live: bool, outage: bool },
    /// Session-version rule on; the baseline subject's version is `current`.
    Versions { current: u64, outage: bool },
}

impl Env {
    /// A verifier for the default profile patched with `profile_patch`, plus whatever this
    /// environment needs (its state rule switched on, its store, its key source).
    pub fn verifier(self, profile_patch: &Value) -> Verifier {
        let mut profile = profile_json(profile_patch);
        let sub = claims(&json!({}))["sub"].as_str().map(str::to_owned);
        let sub = sub.expect("baseline sub");
        let keys = key_set(&baseline_jwks()).expect("baseline jwks");
        let state = |rule: &str| json!({ "state": { rule: true } });
        let builder = |p: &Value| Verifier::builder(profile_from(p).expect("profile"));
        let verifier = match self {
            Env::Pinned => builder(&profile).key_set(keys).build(),
            Env::Keys(jwks) => {
                let profile = profile_from(&profile).expect("profile");
                let text = jwks().to_string();
                let keys = KeySet::for_algorithms(text.as_bytes(), &profile.algorithms);
                Verifier::builder(profile)
                    .key_set(keys.expect("key set"))
                    .build()
            }
            Env::KeySourceDown => builder(&profile)
                .key_source(Arc::new(CachingKeySource::new(|| {
                    Err(FetchError::Transport)
                })))
                .build(),
            Env::Replay { outage, .. } => {
                overlay(&mut profile, &state("replay"));
                let store = MemoryReplayCache::default();
                store.outage.set(outage);
                builder(&profile)
                    .key_set(keys)
                    .replay_defense(Arc::new(store))
                    .build()
            }
            Env::Sessions { live, outage } => {
                overlay(&mut profile, &state("sessions"));
                let store = MemorySessionStore::default();
                if live {
                    store.open(&sub, SID);
                }
                store.outage.set(outage);
                builder(&profile)
                    .key_set(keys)
                    .session_store(Arc::new(store))
                    .build()
            }
            Env::Versions { current, outage } => {
                overlay(&mut profile, &state("session_version"));
                let store = MemorySessionVersions::default();
                store.set(&sub, current);
                store.outage.set(outage);
                builder(&profile)
                    .key_set(keys)
                    .session_versions(Arc::new(store))
                    .build()
            }
        };
        verifier.expect("fixture verifier")
    }
}

/// One verification: a token, the profile patch and environment it meets, and the time.
#[derive(Clone, Debug)]
pub struct Row {
    pub token: Vec<u8>,
    pub profile: Value,
    pub env: Env,
    pub now: i64,
}

/// A row verifying `token` at `NOW` under the default profile and pinned keys.
pub fn row(token: impl Into<Vec<u8>>) -> Row {
    Row {
        token: token.into(),
        profile: json!({}),
        env: Env::Pinned,
        now: NOW,
    }
}

impl Row {
    /// Overlays `patch` on the default profile JSON (see [`overlay`]).
    pub fn profile(mut self, patch: Value) -> Row {
        self.profile = patch;
        self
    }

    /// Runs against `env`'s key source and stores.
    pub fn env(mut self, env: Env) -> Row {
        self.env = env;
        self
    }

    /// Verifies at `now` instead of `NOW`.
    pub fn at(mut self, now: i64) -> Row {
        self.now = now;
        self
    }

    /// Runs the row: builds its verifier, replays prior uses, verifies.
    pub fn verify(&self) -> Result<Claims, Rejection> {
        let verifier = self.env.verifier(&self.profile);
        if let Env::Replay { prior_uses, .. } = self.env {
            for _ in 0..prior_uses {
                verifier
                    .verify(&self.token, self.now)
                    .expect("a prior use passes");
            }
        }
        verifier.verify(&self.token, self.now)
    }

    /// The outcome as accept (`Ok`) or the rejection's reason.
    pub fn outcome(&self) -> Result<(), Reason> {
        self.verify().map(drop).map_err(|r| r.reason)
    }
}

// ---------------------------------------------------------------------------------------------
// Key fetching

/// A scripted key-set fetch: answers with whatever was last set, counting calls.
pub struct ScriptedFetch {
    answer: Mutex<Result<FetchResponse, FetchError>>,
    calls: AtomicUsize,
}

impl ScriptedFetch {
    /// A fetch answering 200 with `jwks`.
    pub fn serving(jwks: &Value) -> Arc<ScriptedFetch> {
        Arc::new(ScriptedFetch {
            answer: Mutex::new(Ok(ok_response(jwks))),
            calls: AtomicUsize::new(0),
        })
    }

    /// From now on, answer with `answer`.
    pub fn set(&self, answer: Result<FetchResponse, FetchError>) {
        *self.answer.lock().expect("lock") = answer;
    }

    /// From now on, answer 200 with `jwks`.
    pub fn serve(&self, jwks: &Value) {
        self.set(Ok(ok_response(jwks)));
    }

    /// Fetches so far.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    fn fetch(&self) -> Result<FetchResponse, FetchError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.answer.lock().expect("lock").clone()
    }

    /// A caching key source over this fetch with the default timing (TTL 1 h, refetch 5 min).
    pub fn source(self: &Arc<Self>) -> CachingKeySource<impl Fetch + use<>> {
        let me = Arc::clone(self);
        CachingKeySource::new(move || me.fetch())
    }
}

/// A 200 response carrying `jwks`.
pub fn ok_response(jwks: &Value) -> FetchResponse {
    FetchResponse {
        status: 200,
        body: jwks.to_string().into_bytes(),
    }
}

// ---------------------------------------------------------------------------------------------
// Temporary files

/// A file under the system temp directory, unique to this process and call, removed on drop.
pub struct TempFile(PathBuf);

impl TempFile {
    pub fn new(contents: impl AsRef<[u8]>) -> TempFile {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let path =
            std::env::temp_dir().join(format!("verifier-tests-{}-{n}.tmp", std::process::id()));
        std::fs::write(&path, contents).expect("write temp file");
        TempFile(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// The path as a command-line argument.
    pub fn arg(&self) -> &str {
        self.0.to_str().expect("UTF-8 temp path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
