//! The verifier and its pipeline.

use std::fmt;
use std::sync::Arc;

use crate::Profile;
use crate::claims::{ClaimSet, Claims};
use crate::config::ConfigError;
use crate::jwks::KeySet;
use crate::keys::{KeySource, StaticKeys};
use crate::reason::{Reason, Rejection, reject};
use crate::rules::envelope::{Census, Compact};
use crate::rules::header::{Header, HeaderBuf};
use crate::rules::signature::Backend;
use crate::rules::{claims, domain, envelope, header, key, payload, signature, state};
use crate::state::{ReplayDefense, SessionStore, SessionVersions};

/// A strict JWT verifier for one [`Profile`]. Build one with [`Verifier::new`] or
/// [`Verifier::builder`]; construction fails rather than produce a permissive verifier.
pub struct Verifier {
    profile: Profile,
    keys: Arc<dyn KeySource>,
    replay: Option<Arc<dyn ReplayDefense>>,
    sessions: Option<Arc<dyn SessionStore>>,
    versions: Option<Arc<dyn SessionVersions>>,
    backend: Backend,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("profile", &self.profile)
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// A verifier over a pinned key set, with no stateful rules.
    pub fn new(profile: Profile, keys: KeySet) -> Result<Verifier, ConfigError> {
        Verifier::builder(profile).key_set(keys).build()
    }

    /// Starts a builder for key sources and stores.
    pub fn builder(profile: Profile) -> VerifierBuilder {
        VerifierBuilder {
            profile,
            keys: None,
            replay: None,
            sessions: None,
            versions: None,
            backend: Backend::DEFAULT,
        }
    }

    /// The profile this verifier enforces.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The crate that checks signatures.
    pub fn signature_backend(&self) -> Backend {
        self.backend
    }

    /// Verifies `token` at time `now` (Unix seconds). The stages run in the catalog's order and
    /// the first failing rule decides the reason; the payload is decoded only after the
    /// signature has verified.
    pub fn verify(&self, token: &[u8], now: i64) -> Result<Claims, Rejection> {
        let p = &self.profile;

        // size → form → alphabet → header: before any key is touched.
        let mut scratch = HeaderBuf::default();
        let (token, hdr) = check_envelope_and_header(token, p, &mut scratch)?;

        // key → signature: trust comes from the pinned key, never from the token, and the key
        // must fit the token's alg (family, JWK `alg`, strength) before any signature check.
        let Some(alg) = hdr.algorithm() else {
            // `check_alg` has made `alg` one of the profile's algorithms.
            return Err(reject(Reason::AlgNotAllowed, "algorithm not allowed"));
        };
        let key = key::resolve_key(&hdr, alg, p.preset, &*self.keys, now)?;
        key::check_key_fits_alg(&key, alg)?;
        key::check_key_strength(&key, alg)?;
        signature::check_signature(
            &key,
            alg,
            token.signing_input,
            token.signature,
            self.backend,
        )?;

        // payload: authenticated bytes only, read once into the claims the rules read.
        let mut text = String::new();
        let c = payload::decode_payload(token.payload, p.max_json_depth, &mut text)?;

        // claims → domain
        let exp = check_claims(&c, now, p)?;

        // state: stores are present whenever the profile enables their rule (checked at build).
        if let Some(store) = self.replay.as_deref().filter(|_| p.state.replay) {
            // `validate` makes `exp` required whenever the replay rule is on.
            state::check_replay(&c, exp.unwrap_or(i64::MAX), now, store)?;
        }
        if let Some(store) = self.sessions.as_deref().filter(|_| p.state.sessions) {
            state::check_session(&c, store)?;
        }
        if let Some(store) = self.versions.as_deref().filter(|_| p.state.session_version) {
            state::check_session_version(&c, store)?;
        }

        let registered = c.registered();
        Ok(Claims::new(text, registered))
    }
}

/// The pre-key stages (size → form → alphabet → header) on raw bytes. Public so that a seam
/// around another verifier (`conformance`'s `Hardened`) runs exactly the oracle's rules. The
/// header is decoded into `scratch`, which the returned [`Header`] borrows.
pub fn check_envelope_and_header<'t, 'b>(
    token: &'t [u8],
    p: &Profile,
    scratch: &'b mut HeaderBuf,
) -> Result<(Compact<'t>, Header<'b>), Rejection> {
    envelope::check_size(token, p.max_token_bytes)?;
    envelope::reject_json_serialization(token)?;
    let census = Census::of(token);
    envelope::reject_jwe(&census)?;
    let token = envelope::split_compact(token, &census)?;
    envelope::check_alphabet(&census)?;

    let hdr = header::decode_header(token.header, p.max_json_depth, scratch)?;
    header::check_alg(&hdr, p)?;
    header::reject_forbidden_params(&hdr)?;
    header::check_allowlist(&hdr)?;
    header::check_typ(&hdr, p)?;
    Ok((token, hdr))
}

/// The claim and domain stages on an authenticated payload, in catalog order; returns `exp`
/// when present (the replay cache keeps a `jti` until then).
pub fn check_claims(c: &ClaimSet<'_>, now: i64, p: &Profile) -> Result<Option<i64>, Rejection> {
    claims::check_numeric_types(c)?;
    let exp = claims::require_exp(c, p)?;
    if let Some(exp) = exp {
        claims::check_not_expired(exp, now, p)?;
        claims::check_exp_upper_bound(exp, now, p)?;
    }
    if let Some(iat) = claims::require_iat(c, p)? {
        claims::check_iat_not_future(iat, now, p)?;
    }
    claims::check_not_before(c, now, p)?;
    claims::check_iss(c, p)?;
    if let Some(aud) = claims::require_aud(c, p)? {
        claims::check_aud(aud, p)?;
        claims::check_aud_trusted(aud, p)?;
    }
    claims::check_sub(c, p)?;
    claims::check_client_id(c, p)?;
    claims::check_jti(c, p)?;
    claims::check_required_claims(c, p)?;
    claims::check_azp(c, p)?;
    claims::check_nonce(c, p)?;
    claims::check_cat(c, p)?;

    let d = &p.domain;
    domain::check_sub_ulid(c, d)?;
    domain::check_account_type(c, d)?;
    domain::check_caps_shape(c, d)?;
    domain::check_scopes_shape(c, d)?;
    domain::check_scopes_len(c, d)?;
    domain::check_dlg_depth(c, d)?;
    domain::check_admin_band(c, d)?;
    domain::check_claim_allowlist(c, d)?;
    Ok(exp)
}

/// Assembles a [`Verifier`]; `build` validates the whole configuration.
pub struct VerifierBuilder {
    profile: Profile,
    keys: Option<Arc<dyn KeySource>>,
    replay: Option<Arc<dyn ReplayDefense>>,
    sessions: Option<Arc<dyn SessionStore>>,
    versions: Option<Arc<dyn SessionVersions>>,
    backend: Backend,
}

impl VerifierBuilder {
    /// Checks signatures on `backend` instead of [`Backend::DEFAULT`] (only the signature
    /// changes; every rule, reason and their order are the same).
    pub fn signature_backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// Pins a static key set.
    pub fn key_set(self, keys: KeySet) -> Self {
        self.key_source(Arc::new(StaticKeys(keys)))
    }

    /// Uses any key source (for example a [`crate::CachingKeySource`]).
    pub fn key_source(mut self, keys: Arc<dyn KeySource>) -> Self {
        self.keys = Some(keys);
        self
    }

    /// The replay store, required when `profile.state.replay` is on.
    pub fn replay_defense(mut self, store: Arc<dyn ReplayDefense>) -> Self {
        self.replay = Some(store);
        self
    }

    /// The session store, required when `profile.state.sessions` is on.
    pub fn session_store(mut self, store: Arc<dyn SessionStore>) -> Self {
        self.sessions = Some(store);
        self
    }

    /// The session-version store, required when `profile.state.session_version` is on.
    pub fn session_versions(mut self, store: Arc<dyn SessionVersions>) -> Self {
        self.versions = Some(store);
        self
    }

    /// Validates the profile and that every enabled rule has what it needs.
    pub fn build(self) -> Result<Verifier, ConfigError> {
        self.profile.validate()?;
        let keys = self.keys.ok_or(ConfigError::NoKeys)?;
        let state = self.profile.state;
        if state.replay && self.replay.is_none() {
            return Err(ConfigError::MissingStore("replay store"));
        }
        if state.sessions && self.sessions.is_none() {
            return Err(ConfigError::MissingStore("session store"));
        }
        if state.session_version && self.versions.is_none() {
            return Err(ConfigError::MissingStore("session-version store"));
        }
        Ok(Verifier {
            profile: self.profile,
            keys,
            replay: self.replay,
            sessions: self.sessions,
            versions: self.versions,
            backend: self.backend,
        })
    }
}
