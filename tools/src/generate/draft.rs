//! A draft vector (baseline token plus mutations) and the case tables that mutate it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use corpus::vector::{
    Action, Body, Expected, Feature, KeySourceSpec, SCHEMA_VERSION, Severity, Step, TokenSpec,
    Vector,
};
use serde_json::Value;
use verifier::{Profile, Reason};

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

    /// The signature of a freshly signed token replaced by `sig`.
    pub fn with_signature(&mut self, sig: Vec<u8>) {
        self.signer = Signer::Bytes(sig);
    }
}

/// The expected result of a case.
#[derive(Clone)]
pub enum Expect {
    Accept,
    Reject(Reason),
    Config(&'static str),
}

impl Expect {
    fn expected(&self, draft: &Draft) -> Expected {
        match self {
            Expect::Accept => Expected::Accept {
                claims: serde_json::from_slice(&draft.payload_bytes())
                    .expect("an accept vector's payload is JSON"),
            },
            Expect::Reject(reason) => Expected::Reject {
                reason: reason.id().to_owned(),
                m_id: reason.m_id().map(str::to_owned),
            },
            Expect::Config(code) => Expected::ConfigError {
                error: (*code).to_owned(),
            },
        }
    }
}

/// A step of a stateful case: actions, then the draft's token at its `now`.
pub struct StepCase {
    pub actions: Vec<Action>,
    pub draft: Draft,
    pub expect: Expect,
}

/// Builds a stateful case's steps from its mutated draft.
pub type StepsFn = Box<dyn Fn(&Draft) -> Vec<StepCase>>;

/// One named mutation of the baseline.
pub struct Case {
    pub name: String,
    pub description: String,
    pub expect: Expect,
    pub refs: Vec<String>,
    pub flags: Vec<String>,
    pub severity: Option<Severity>,
    pub features: Vec<Feature>,
    pub notes: Option<String>,
    pub mutate: Box<dyn Fn(&mut Draft)>,
    pub steps: Option<StepsFn>,
}

impl Case {
    /// A case that mutates the baseline draft.
    pub fn new(
        name: impl Into<String>,
        description: impl Into<String>,
        expect: Expect,
        mutate: impl Fn(&mut Draft) + 'static,
    ) -> Case {
        Case {
            name: name.into(),
            description: description.into(),
            expect,
            refs: Vec::new(),
            flags: Vec::new(),
            severity: None,
            features: Vec::new(),
            notes: None,
            mutate: Box::new(mutate),
            steps: None,
        }
    }

    /// Adds references (RFC sections, CVEs, M-IDs).
    pub fn refs(mut self, refs: &[&str]) -> Case {
        self.refs.extend(refs.iter().map(|r| (*r).to_owned()));
        self
    }

    /// Adds Wycheproof-style flags.
    pub fn flags(mut self, flags: &[&str]) -> Case {
        self.flags.extend(flags.iter().map(|r| (*r).to_owned()));
        self
    }

    /// Overrides the family's severity.
    pub fn severity(mut self, severity: Severity) -> Case {
        self.severity = Some(severity);
        self
    }

    /// Declares features beyond those derived from the profile and key source.
    pub fn features(mut self, features: &[Feature]) -> Case {
        self.features.extend_from_slice(features);
        self
    }

    /// Explains which defect wins in a multi-defect vector.
    pub fn notes(mut self, notes: &str) -> Case {
        self.notes = Some(notes.to_owned());
        self
    }

    /// Makes this a stateful case: `steps` builds the sequence from the mutated draft.
    pub fn steps(mut self, steps: impl Fn(&Draft) -> Vec<StepCase> + 'static) -> Case {
        self.steps = Some(Box::new(steps));
        self
    }
}

/// A category of vectors with shared defaults.
pub struct Family {
    pub category: &'static str,
    pub severity: Severity,
    pub refs: &'static [&'static str],
    pub base: fn() -> Draft,
    pub cases: Vec<Case>,
}

impl Family {
    pub fn new(
        category: &'static str,
        severity: Severity,
        refs: &'static [&'static str],
    ) -> Family {
        Family {
            category,
            severity,
            refs,
            base: Draft::default,
            cases: Vec::new(),
        }
    }

    /// Uses another baseline draft for every case of the family.
    pub fn base(mut self, base: fn() -> Draft) -> Family {
        self.base = base;
        self
    }

    /// Adds a case.
    pub fn add(&mut self, case: Case) {
        self.cases.push(case);
    }

    /// Renders the family's vectors.
    pub fn vectors(&self) -> Vec<Vector> {
        self.cases.iter().map(|case| self.render(case)).collect()
    }

    fn render(&self, case: &Case) -> Vector {
        let mut draft = (self.base)();
        (case.mutate)(&mut draft);
        let steps: Vec<StepCase> = match &case.steps {
            Some(f) => f(&draft),
            None => vec![StepCase {
                actions: Vec::new(),
                draft: draft.clone(),
                expect: case.expect.clone(),
            }],
        };
        let mut refs: Vec<String> = self.refs.iter().map(|r| (*r).to_owned()).collect();
        refs.extend(case.refs.iter().cloned());
        if let Expect::Reject(reason) = &case.expect
            && let Some(m) = reason.m_id()
        {
            let m = format!("seed 003 {m}");
            if !refs.contains(&m) {
                refs.push(m);
            }
        }
        let mut features = derived_features(&draft, &case.expect);
        features.extend(case.features.iter().copied());
        features.sort();
        features.dedup();
        let mut rendered: Vec<Step> = steps
            .iter()
            .map(|s| Step {
                actions: s.actions.clone(),
                now: s.draft.now,
                token: s.draft.token_spec(),
                expected: s.expect.expected(&s.draft),
            })
            .collect();
        let body = if case.steps.is_some() {
            Body::Steps { steps: rendered }
        } else {
            Body::Single(rendered.remove(0))
        };
        Vector {
            schema_version: SCHEMA_VERSION,
            id: format!("{}/{}", self.category, case.name),
            description: case.description.clone(),
            category: self.category.to_owned(),
            refs,
            flags: case.flags.clone(),
            severity: case.severity.unwrap_or(self.severity),
            features,
            profile: draft.profile.clone(),
            jwks: draft.jwks.clone(),
            key_source: draft.key_source.clone(),
            notes: case.notes.clone(),
            body,
        }
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
