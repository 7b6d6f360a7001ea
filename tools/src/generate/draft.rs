//! A draft vector (baseline token plus mutations) and the row tables that mutate it.
//!
//! Each family is a table of [`Row`]s: id, description, a named [`Mutation`] of the baseline,
//! the expected outcome, other acceptable outcomes, severity, basis and flags. Severity and basis
//! are stated in the row and nowhere else; `docs/normative.md` holds the IDs a basis may cite.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use corpus::vector::{
    Acceptable, Action, Body, Expected, Feature, KeySourceSpec, Mint, RequestBounds, Severity,
    Step, TokenSpec, Vector,
};
use serde_json::Value;
use verifier::{ConfigCode, Profile, Reason};

/// How the draft's signing input is signed.
#[derive(Clone)]
pub enum Signer {
    /// ES256 with the named forge key.
    Es256(&'static str),
    /// HMAC-SHA-(256|384|512) under this secret (algorithm-confusion vectors).
    Hmac(u16, Vec<u8>),
    /// These exact signature bytes.
    Bytes(Vec<u8>),
    /// ES256 with the named key, then the 64 bytes transformed.
    Es256Then(&'static str, fn([u8; 64]) -> Vec<u8>),
    /// Any algorithm with a key of its family (`forge::alg::sign`).
    Key(forge::alg::Alg, Box<forge::alg::AnyKey>),
}

/// One token under construction and the world it is verified in.
#[derive(Clone)]
pub struct Draft {
    pub header: Value,
    pub claims: Value,
    /// Exact header bytes, overriding `header`.
    pub header_raw: Option<Vec<u8>>,
    /// Exact payload bytes, overriding `claims`.
    pub payload_raw: Option<Vec<u8>>,
    pub signer: Signer,
    /// Rewrites the finished compact token (padding, whitespace, extra segments…).
    pub rewrite: Option<fn(String) -> String>,
    /// The token outright, overriding everything above.
    pub token: Option<TokenSpec>,
    pub profile: Profile,
    pub jwks: Value,
    /// Exact key-set bytes, overriding `jwks` (duplicate members, other encodings).
    pub jwks_raw: Option<Vec<u8>>,
    pub key_source: Option<KeySourceSpec>,
    pub now: i64,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            header: forge::header(),
            claims: forge::claims(),
            header_raw: None,
            payload_raw: None,
            signer: Signer::Es256(forge::KID),
            rewrite: None,
            token: None,
            profile: serde_json::from_value(forge::timeless_profile_json())
                .expect("the timeless profile is a valid profile"),
            jwks: forge::baseline_jwks(),
            jwks_raw: None,
            key_source: None,
            now: forge::NOW,
        }
    }
}

impl Draft {
    /// The exact header bytes.
    pub fn header_bytes(&self) -> Vec<u8> {
        self.header_raw
            .clone()
            .unwrap_or_else(|| self.header.to_string().into_bytes())
    }

    /// The exact payload bytes.
    pub fn payload_bytes(&self) -> Vec<u8> {
        self.payload_raw
            .clone()
            .unwrap_or_else(|| self.claims.to_string().into_bytes())
    }

    /// `b64(header) "." b64(payload)`.
    pub fn signing_input(&self) -> String {
        forge::Token::raw(self.header_bytes(), self.payload_bytes()).signing_input()
    }

    /// The signature bytes for a signing input.
    pub fn signature(&self, input: &str) -> Vec<u8> {
        match &self.signer {
            Signer::Es256(name) => forge::es256(&forge::key(name), input.as_bytes()).to_vec(),
            Signer::Hmac(bits, secret) => forge::hmac(*bits, secret, input.as_bytes()),
            Signer::Bytes(bytes) => bytes.clone(),
            Signer::Es256Then(name, f) => f(forge::es256(&forge::key(name), input.as_bytes())),
            Signer::Key(alg, key) => forge::alg::sign(*alg, key, input.as_bytes()),
        }
    }

    /// The compact token string (before any rewrite).
    pub fn compact(&self) -> String {
        let input = self.signing_input();
        let sig = self.signature(&input);
        format!("{input}.{}", forge::b64(sig))
    }

    /// The token as the vector stores it.
    pub fn token_spec(&self) -> TokenSpec {
        if let Some(token) = &self.token {
            return token.clone();
        }
        // A live vector's token names the server's origins, known only at run time.
        if let (Some(_), Signer::Es256(name), None, None, None) = (
            &self.key_source,
            &self.signer,
            &self.header_raw,
            &self.payload_raw,
            self.rewrite,
        ) {
            return TokenSpec::Mint(Box::new(Mint {
                header: self.header.clone(),
                claims: self.claims.clone(),
                key: forge::private_jwk(&forge::key(name), name),
            }));
        }
        let mut compact = self.compact();
        if let Some(rewrite) = self.rewrite {
            compact = rewrite(compact);
        }
        TokenSpec::Text(compact)
    }

    /// The token's bytes as a vector stores them, for a token with arbitrary bytes.
    pub fn bytes_token(bytes: &[u8]) -> TokenSpec {
        match std::str::from_utf8(bytes) {
            Ok(text) => TokenSpec::Text(text.to_owned()),
            Err(_) => TokenSpec::Base64(STANDARD.encode(bytes)),
        }
    }
}

/// The expected result of a case: [`Expected`] without the claims, which an accepting case
/// takes from its draft's payload.
#[derive(Clone, Copy)]
pub enum Expect {
    Accept,
    Reject(Reason),
    Config(ConfigCode),
}

impl Expect {
    /// The verdict and reason this expectation is, as an acceptable-outcome entry would say it.
    pub fn outcome(&self) -> Acceptable {
        match *self {
            Expect::Accept => Acceptable::Accept,
            Expect::Reject(reason) => Acceptable::Reject(Some(reason)),
            Expect::Config(code) => Acceptable::ConfigError(Some(code)),
        }
    }

    fn expected(&self, draft: &Draft) -> Expected {
        match self {
            Expect::Accept => Expected::Accept {
                claims: serde_json::from_slice(&draft.payload_bytes())
                    .expect("an accept vector's payload is JSON"),
            },
            Expect::Reject(reason) => Expected::Reject {
                reason: *reason,
                m_id: reason.m_id().map(str::to_owned),
            },
            Expect::Config(code) => Expected::ConfigError { error: *code },
        }
    }
}

/// Acceptable outcome: the token is accepted.
pub fn accept() -> Acceptable {
    Acceptable::Accept
}

/// Acceptable outcome: the token is rejected, for any reason (a late failure, or another
/// pipeline order).
pub fn any_reject() -> Acceptable {
    Acceptable::Reject(None)
}

/// Acceptable outcome: the token is rejected for this reason.
pub fn reject_for(reason: Reason) -> Acceptable {
    Acceptable::Reject(Some(reason))
}

/// Acceptable outcome: the key set or profile is refused, with any code.
pub fn any_config_error() -> Acceptable {
    Acceptable::ConfigError(None)
}

/// A named change to the baseline draft: the vocabulary rows are written in.
pub enum Mutation {
    /// The baseline as it is.
    Baseline,
    /// Sets a header member.
    Header(String, Value),
    /// Removes a header member.
    DropHeader(String),
    /// Sets a claim.
    Claim(String, Value),
    /// Removes a claim.
    DropClaim(String),
    /// These exact header bytes.
    HeaderBytes(Vec<u8>),
    /// These exact payload bytes.
    PayloadBytes(Vec<u8>),
    /// Signs with this signer.
    Sign(Signer),
    /// Rewrites the finished compact token.
    Rewrite(fn(String) -> String),
    /// This token outright.
    Token(TokenSpec),
    /// Verifies against this key set.
    Jwks(Value),
    /// Several mutations in order.
    All(Vec<Mutation>),
    /// Anything the vocabulary cannot say (profile changes, derived tokens); name it in the
    /// row's description.
    Custom(Box<dyn Fn(&mut Draft)>),
}

impl Mutation {
    /// Applies the mutation to a draft.
    pub fn apply(&self, d: &mut Draft) {
        match self {
            Mutation::Baseline => {}
            Mutation::Header(name, value) => d.header[name.as_str()] = value.clone(),
            Mutation::DropHeader(name) => {
                if let Some(map) = d.header.as_object_mut() {
                    map.remove(name);
                }
            }
            Mutation::Claim(name, value) => d.claims[name.as_str()] = value.clone(),
            Mutation::DropClaim(name) => {
                if let Some(map) = d.claims.as_object_mut() {
                    map.remove(name);
                }
            }
            Mutation::HeaderBytes(bytes) => d.header_raw = Some(bytes.clone()),
            Mutation::PayloadBytes(bytes) => d.payload_raw = Some(bytes.clone()),
            Mutation::Sign(signer) => d.signer = signer.clone(),
            Mutation::Rewrite(f) => d.rewrite = Some(*f),
            Mutation::Token(token) => d.token = Some(token.clone()),
            Mutation::Jwks(jwks) => d.jwks = jwks.clone(),
            Mutation::All(ms) => ms.iter().for_each(|m| m.apply(d)),
            Mutation::Custom(f) => f(d),
        }
    }
}

/// [`Mutation::Header`].
pub fn hdr(name: impl Into<String>, value: Value) -> Mutation {
    Mutation::Header(name.into(), value)
}

/// [`Mutation::DropHeader`].
pub fn no_hdr(name: impl Into<String>) -> Mutation {
    Mutation::DropHeader(name.into())
}

/// [`Mutation::Claim`].
pub fn claim(name: impl Into<String>, value: Value) -> Mutation {
    Mutation::Claim(name.into(), value)
}

/// [`Mutation::DropClaim`].
pub fn no_claim(name: impl Into<String>) -> Mutation {
    Mutation::DropClaim(name.into())
}

/// [`Mutation::All`].
pub fn all_of(mutations: impl IntoIterator<Item = Mutation>) -> Mutation {
    Mutation::All(mutations.into_iter().collect())
}

/// [`Mutation::Custom`].
pub fn custom(f: impl Fn(&mut Draft) + 'static) -> Mutation {
    Mutation::Custom(Box::new(f))
}

/// A step of a stateful case: actions, then the draft's token at its `now`.
pub struct StepCase {
    pub actions: Vec<Action>,
    pub draft: Draft,
    pub expect: Expect,
    /// Other outcomes of this step that also conform.
    pub acceptable: Vec<Acceptable>,
    /// What the live key-set server's log must show for this step.
    pub requests: Option<RequestBounds>,
}

impl StepCase {
    /// A step with no other acceptable outcome.
    pub fn new(actions: Vec<Action>, draft: Draft, expect: Expect) -> StepCase {
        StepCase {
            actions,
            draft,
            expect,
            acceptable: Vec::new(),
            requests: None,
        }
    }

    /// Bounds this step's requests to the live key-set server.
    pub fn requests(mut self, bounds: RequestBounds) -> StepCase {
        self.requests = Some(bounds);
        self
    }

    /// Adds acceptable outcomes to this step.
    pub fn acceptable(mut self, outcomes: &[Acceptable]) -> StepCase {
        self.acceptable.extend_from_slice(outcomes);
        self
    }
}

/// Builds a stateful case's steps from its mutated draft.
pub type StepsFn = Box<dyn Fn(&Draft) -> Vec<StepCase>>;

/// One row of a family's table.
pub struct Row {
    pub name: String,
    pub description: String,
    pub mutation: Mutation,
    pub expect: Expect,
    /// Other outcomes that also conform (single-step rows and one-step sequences; the steps of
    /// longer sequences carry their own).
    pub acceptable: Vec<Acceptable>,
    pub severity: Severity,
    /// IDs of `docs/normative.md`.
    pub basis: Vec<String>,
    pub flags: Vec<String>,
    /// Suite case names and other references for people.
    pub refs: Vec<String>,
    pub features: Vec<Feature>,
    pub notes: Option<String>,
    pub rationale: Option<String>,
    pub steps: Option<StepsFn>,
}

impl Row {
    /// A row: the mutation of the baseline, what it must give, how binding that is and why.
    pub fn new(
        name: impl Into<String>,
        description: impl Into<String>,
        mutation: Mutation,
        expect: Expect,
        severity: Severity,
        basis: &[&str],
    ) -> Row {
        Row {
            name: name.into(),
            description: description.into(),
            mutation,
            expect,
            acceptable: Vec::new(),
            severity,
            basis: basis.iter().map(|b| (*b).to_owned()).collect(),
            flags: Vec::new(),
            refs: Vec::new(),
            features: Vec::new(),
            notes: None,
            rationale: None,
            steps: None,
        }
    }

    /// Other outcomes that also conform.
    pub fn acceptable(mut self, outcomes: &[Acceptable]) -> Row {
        self.acceptable.extend_from_slice(outcomes);
        self
    }

    /// Wycheproof-style flags.
    pub fn flags(mut self, flags: &[&str]) -> Row {
        self.flags.extend(flags.iter().map(|r| (*r).to_owned()));
        self
    }

    /// Suite case names and other references.
    pub fn refs(mut self, refs: &[&str]) -> Row {
        self.refs.extend(refs.iter().map(|r| (*r).to_owned()));
        self
    }

    /// Features beyond those derived from the profile and key source.
    pub fn features(mut self, features: &[Feature]) -> Row {
        self.features.extend_from_slice(features);
        self
    }

    /// Why a multi-defect vector expects the reason it does, or other notes.
    pub fn notes(mut self, notes: &str) -> Row {
        self.notes = Some(notes.to_owned());
        self
    }

    /// One sentence: why the verdict stands although libraries dispute it.
    pub fn rationale(mut self, rationale: &str) -> Row {
        self.rationale = Some(rationale.to_owned());
        self
    }

    /// A stateful row: `steps` builds the sequence from the mutated draft.
    pub fn steps(mut self, steps: impl Fn(&Draft) -> Vec<StepCase> + 'static) -> Row {
        self.steps = Some(Box::new(steps));
        self
    }

    /// Renders the row over a baseline.
    pub fn render(&self, category: &str, base: fn() -> Draft) -> Vector {
        let mut draft = base();
        self.mutation.apply(&mut draft);
        let mut steps: Vec<StepCase> = match &self.steps {
            Some(f) => f(&draft),
            None => vec![StepCase {
                actions: Vec::new(),
                draft: draft.clone(),
                expect: self.expect,
                acceptable: self.acceptable.clone(),
                requests: None,
            }],
        };
        // A row-level acceptable outcome of a one-step sequence is its step's.
        if self.steps.is_some() && !self.acceptable.is_empty() {
            assert_eq!(
                steps.len(),
                1,
                "{}: acceptable outcomes per step",
                self.name
            );
            steps[0].acceptable.extend_from_slice(&self.acceptable);
        }
        let mut features = derived_features(&draft, &self.expect);
        features.extend(self.features.iter().copied());
        features.sort();
        features.dedup();
        let mut rendered: Vec<Step> = steps.iter().map(StepCase::render).collect();
        let body = if self.steps.is_some() {
            Body::Steps { steps: rendered }
        } else {
            Body::Single(rendered.remove(0))
        };
        Vector {
            // The least version that holds it: today's profiles stay 2, byte for byte.
            schema_version: corpus::load::schema_version_of(&draft.profile),
            id: format!("{category}/{}", self.name),
            description: self.description.clone(),
            category: category.to_owned(),
            basis: self.basis.clone(),
            refs: self.refs.clone(),
            flags: self.flags.clone(),
            severity: self.severity,
            features,
            profile: draft.profile.clone(),
            jwks: match &draft.jwks_raw {
                // What a last-wins parser (serde_json's `Value`) makes of the bytes.
                Some(raw) => serde_json::from_slice(raw).unwrap_or(Value::Null),
                None => draft.jwks.clone(),
            },
            jwks_base64: draft.jwks_raw.as_ref().map(|raw| STANDARD.encode(raw)),
            key_source: draft.key_source.clone(),
            notes: self.notes.clone(),
            rationale: self.rationale.clone(),
            body,
        }
    }
}

impl StepCase {
    fn render(&self) -> Step {
        let mut acceptable = self.acceptable.clone();
        acceptable.sort();
        acceptable.dedup();
        Step {
            actions: self.actions.clone(),
            now: self.draft.now,
            token: self.draft.token_spec(),
            expected: self.expect.expected(&self.draft),
            acceptable,
            requests: self.requests.clone().map(Box::new),
        }
    }
}

/// A category of vectors: one table of rows over a baseline draft.
pub struct Family {
    pub category: &'static str,
    pub base: fn() -> Draft,
    pub rows: Vec<Row>,
}

impl Family {
    /// A family that is one table of rows over the default baseline.
    pub fn table(category: &'static str, rows: Vec<Row>) -> Family {
        Family {
            category,
            base: Draft::default,
            rows,
        }
    }

    /// Uses another baseline draft for every row of the family.
    pub fn base(mut self, base: fn() -> Draft) -> Family {
        self.base = base;
        self
    }

    /// Renders the family's vectors.
    pub fn vectors(&self) -> Vec<Vector> {
        self.rows
            .iter()
            .map(|row| row.render(self.category, self.base))
            .collect()
    }
}

/// Features implied by the draft's profile, key source and expected result.
fn derived_features(draft: &Draft, expect: &Expect) -> Vec<Feature> {
    let p = &draft.profile;
    let d = &p.domain;
    let mut f = Vec::new();
    let domain = d.ulid_sub
        || d.account_types.is_some()
        || d.caps_shape
        || d.scopes_shape
        || d.dlg_depth
        || d.admin_band.is_some()
        || d.claim_allowlist.is_some();
    let flags = [
        (domain, Feature::Domain),
        (p.expected_cat.is_some(), Feature::TokenCategory),
        (p.state.replay, Feature::Replay),
        (p.state.sessions, Feature::Sessions),
        (p.state.session_version, Feature::SessionVersion),
        (draft.key_source.is_some(), Feature::KeyFetch),
        (matches!(expect, Expect::Config(_)), Feature::JwksParsing),
        // A bounded lifetime makes any verdict depend on `now`.
        (p.max_lifetime_secs.is_some(), Feature::Clock),
    ];
    f.extend(flags.iter().filter(|(on, _)| *on).map(|(_, feat)| *feat));
    f
}
