//! What a verifier did with one step of a vector: the one outcome type of the reference run
//! ([`crate::reference`]), of the adapters the conformance runner calls, and of its reports.
//!
//! Its serde form is the answer of the subprocess protocol (`outcome` names the variant), so it
//! is a public contract: `docs/adapters.md`, `docs/schemas/`. What an adapter answers is
//! untrusted, so its reason IDs and codes are [`Id`]s (a catalog value, or the string as sent);
//! what a vector expects is ours and uses the catalog types themselves ([`crate::vector`]).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use verifier::{ConfigCode, Reason};

use crate::vector::{Acceptable, Expected, Verdict};

/// A typed catalog of stable IDs: the reason IDs and the configuration-error codes.
pub trait Catalog: Copy + Eq {
    /// The stable snake_case ID.
    fn id(self) -> &'static str;
    /// The value with this ID, if the catalog has one.
    fn from_id(id: &str) -> Option<Self>;
}

impl Catalog for Reason {
    fn id(self) -> &'static str {
        Reason::id(self)
    }
    fn from_id(id: &str) -> Option<Self> {
        Reason::from_id(id)
    }
}

impl Catalog for ConfigCode {
    fn id(self) -> &'static str {
        ConfigCode::id(self)
    }
    fn from_id(id: &str) -> Option<Self> {
        ConfigCode::from_id(id)
    }
}

/// An ID an adapter answered: one of the catalog's, or another string (adapters may send
/// anything, and what they sent is kept, never dropped). A string on the wire and in reports;
/// typed everywhere in between. Vectors are ours and use the catalog types directly.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Id<T> {
    Known(T),
    Unknown(String),
}

/// A reason ID an adapter answered.
pub type ReasonId = Id<Reason>;
/// A configuration-error code an adapter answered.
pub type CodeId = Id<ConfigCode>;

impl<T: Catalog> Id<T> {
    /// The ID as written.
    pub fn as_str(&self) -> &str {
        match self {
            Id::Known(k) => k.id(),
            Id::Unknown(s) => s,
        }
    }

    /// The catalog value, when the ID is one.
    pub fn known(&self) -> Option<T> {
        match self {
            Id::Known(k) => Some(*k),
            Id::Unknown(_) => None,
        }
    }
}

impl<T: Catalog> From<&str> for Id<T> {
    fn from(id: &str) -> Self {
        T::from_id(id).map_or_else(|| Id::Unknown(id.to_owned()), Id::Known)
    }
}

impl From<Reason> for ReasonId {
    fn from(reason: Reason) -> Self {
        Id::Known(reason)
    }
}

impl From<ConfigCode> for CodeId {
    fn from(code: ConfigCode) -> Self {
        Id::Known(code)
    }
}

impl<T: Catalog> std::fmt::Display for Id<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<T: Catalog> Serialize for Id<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de, T: Catalog> Deserialize<'de> for Id<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| Id::from(s.as_str()))
    }
}

/// What a step is about beyond its verdict: the reason ID of a rejection, or the code of a
/// configuration refusal. A plain string in reports.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Cause {
    Reason(ReasonId),
    Code(CodeId),
}

impl Cause {
    /// The reason ID or code as written.
    pub fn as_str(&self) -> &str {
        match self {
            Cause::Reason(r) => r.as_str(),
            Cause::Code(c) => c.as_str(),
        }
    }
}

impl From<Reason> for Cause {
    fn from(reason: Reason) -> Self {
        Cause::Reason(reason.into())
    }
}

impl From<ConfigCode> for Cause {
    fn from(code: ConfigCode) -> Self {
        Cause::Code(code.into())
    }
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Cause {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// `name (cause)`, or `name` alone: how outcomes and expectations are labelled (`accept`,
/// `reject (expired)`, `config_error (jwks_empty)`, `adapter_error`).
pub fn label(name: &str, cause: Option<&Cause>) -> String {
    match cause {
        Some(c) => format!("{name} ({c})"),
        None => name.to_owned(),
    }
}

impl Expected {
    /// The expected reason ID of a rejection, or code of a configuration refusal.
    pub fn cause(&self) -> Option<Cause> {
        match self {
            Expected::Accept { .. } => None,
            Expected::Reject { reason, .. } => Some((*reason).into()),
            Expected::ConfigError { error } => Some((*error).into()),
        }
    }
}

impl Acceptable {
    /// The reason ID or code this acceptable outcome names, if any.
    pub fn cause(&self) -> Option<Cause> {
        match *self {
            Acceptable::Accept | Acceptable::Reject(None) | Acceptable::ConfigError(None) => None,
            Acceptable::Reject(Some(reason)) => Some(reason.into()),
            Acceptable::ConfigError(Some(code)) => Some(code.into()),
        }
    }

    /// `accept`, `reject (reason)`, `config_error (code)`.
    pub fn label(&self) -> String {
        label(self.verdict().name(), self.cause().as_ref())
    }

    /// Whether an observed verdict and cause is this outcome: the verdicts are equal, and the
    /// reason or code too when this outcome names one.
    pub fn admits(&self, verdict: Verdict, cause: Option<&Cause>) -> bool {
        self.verdict() == verdict
            && match self.cause() {
                None => true,
                Some(want) => cause == Some(&want),
            }
    }
}

/// The kind of an [`Outcome`], without its data: what reports show as the `verdict` of what
/// an adapter did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    Accept,
    Reject,
    ConfigError,
    Skipped,
    AdapterError,
    AdapterBroken,
}

impl OutcomeKind {
    /// `accept`, `reject`, `config_error`, `skipped`, `adapter_error` or `adapter_broken`.
    pub fn name(self) -> &'static str {
        match self {
            OutcomeKind::Accept => "accept",
            OutcomeKind::Reject => "reject",
            OutcomeKind::ConfigError => "config_error",
            OutcomeKind::Skipped => "skipped",
            OutcomeKind::AdapterError => "adapter_error",
            OutcomeKind::AdapterBroken => "adapter_broken",
        }
    }

    /// The verdict, for the kinds that have one (not a skip or an adapter failure).
    pub fn verdict(self) -> Option<Verdict> {
        match self {
            OutcomeKind::Accept => Some(Verdict::Accept),
            OutcomeKind::Reject => Some(Verdict::Reject),
            OutcomeKind::ConfigError => Some(Verdict::ConfigError),
            OutcomeKind::Skipped | OutcomeKind::AdapterError | OutcomeKind::AdapterBroken => None,
        }
    }
}

impl std::fmt::Display for OutcomeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a verifier (the reference, or an adapted library) did with one step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The token was accepted; these are the claims returned.
    Accept { claims: Value },
    /// The token was rejected. `error` is the library's own text; `reason` is the catalog
    /// reason ID it maps to, when the mapping is unambiguous (the reference always has one).
    Reject {
        error: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<ReasonId>,
    },
    /// The key set or configuration was refused before any token was verified; `code` is the
    /// stable code vectors name (`jwks_empty`, `missing_issuer`), when the adapter mapped it.
    ConfigError {
        error: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<CodeId>,
    },
    /// The adapter cannot express this case (say why); not counted as pass or fail.
    Skipped { why: String },
    /// The adapter itself failed on this call: panic, timeout, crash, protocol error.
    AdapterError { error: String },
    /// Not run: the adapter failed to set up (no hello, a bad one, a protocol mismatch) or
    /// wedged. Set by the runner only; an adapter cannot answer it.
    #[serde(skip_deserializing)]
    AdapterBroken { error: String },
}

impl Outcome {
    /// A rejection with the library's error text and no reason mapping.
    pub fn reject(error: impl ToString) -> Self {
        Outcome::Reject {
            error: error.to_string(),
            reason: None,
        }
    }

    /// A rejection mapped to a catalog reason, when the mapping is unambiguous.
    pub fn reject_as(error: impl ToString, reason: Option<Reason>) -> Self {
        Outcome::Reject {
            error: error.to_string(),
            reason: reason.map(ReasonId::from),
        }
    }

    /// A configuration refusal with the library's error text.
    pub fn config_error(error: impl ToString) -> Self {
        Outcome::ConfigError {
            error: error.to_string(),
            code: None,
        }
    }

    /// A configuration refusal known by its stable code (the code is the text too).
    pub fn config_error_code(code: ConfigCode) -> Self {
        Outcome::ConfigError {
            error: code.id().to_owned(),
            code: Some(code.into()),
        }
    }

    /// What kind of outcome this is.
    pub fn kind(&self) -> OutcomeKind {
        match self {
            Outcome::Accept { .. } => OutcomeKind::Accept,
            Outcome::Reject { .. } => OutcomeKind::Reject,
            Outcome::ConfigError { .. } => OutcomeKind::ConfigError,
            Outcome::Skipped { .. } => OutcomeKind::Skipped,
            Outcome::AdapterError { .. } => OutcomeKind::AdapterError,
            Outcome::AdapterBroken { .. } => OutcomeKind::AdapterBroken,
        }
    }

    /// The verdict, for the outcomes that have one (not a skip or an adapter failure).
    pub fn verdict(&self) -> Option<Verdict> {
        self.kind().verdict()
    }

    /// The mapped reason ID of a rejection, or the code of a configuration refusal.
    pub fn cause(&self) -> Option<Cause> {
        match self {
            Outcome::Reject { reason, .. } => reason.clone().map(Cause::Reason),
            Outcome::ConfigError { code, .. } => code.clone().map(Cause::Code),
            _ => None,
        }
    }

    /// Short label: `accept`, `reject (reason)`, `config_error (code)`, `skipped`, …
    pub fn label(&self) -> String {
        label(self.kind().name(), self.cause().as_ref())
    }

    /// The library's own words (error text, skip reason, adapter failure), if any.
    pub fn text(&self) -> Option<&str> {
        match self {
            Outcome::Accept { .. } => None,
            Outcome::Reject { error, .. }
            | Outcome::ConfigError { error, .. }
            | Outcome::AdapterError { error }
            | Outcome::AdapterBroken { error } => Some(error),
            Outcome::Skipped { why } => Some(why),
        }
    }

    /// True when this outcome is exactly what `expected` asks for (verdict, reason or error
    /// code, and claims).
    pub fn matches(&self, expected: &Expected) -> bool {
        match (self, expected) {
            (Outcome::Accept { claims }, Expected::Accept { claims: want }) => claims == want,
            _ => self.verdict() == Some(expected.verdict()) && self.cause() == expected.cause(),
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adapter_cannot_answer_adapter_broken() {
        let line = r#"{"outcome":"adapter_broken","error":"x"}"#;
        assert!(serde_json::from_str::<Outcome>(line).is_err());
        let line = r#"{"outcome":"reject","error":"x","reason":"expired"}"#;
        let got: Outcome = serde_json::from_str(line).unwrap();
        assert_eq!(got, Outcome::reject_as("x", Some(Reason::Expired)));
    }

    /// What an adapter sends is kept as it was sent: a catalog ID typed, any other string
    /// as it is, and both serialize back to the same line.
    #[test]
    fn adapter_ids_round_trip_known_or_not() {
        for (line, known) in [
            (
                r#"{"outcome":"reject","error":"x","reason":"expired"}"#,
                true,
            ),
            (
                r#"{"outcome":"reject","error":"x","reason":"my_reason"}"#,
                false,
            ),
            (
                r#"{"outcome":"config_error","error":"x","code":"jwks_empty"}"#,
                true,
            ),
            (
                r#"{"outcome":"config_error","error":"x","code":"Jwks_Empty"}"#,
                false,
            ),
        ] {
            let got: Outcome = serde_json::from_str(line).unwrap();
            let typed = match got.cause() {
                Some(Cause::Reason(r)) => r.known().is_some(),
                Some(Cause::Code(c)) => c.known().is_some(),
                None => panic!("{line}: no cause"),
            };
            assert_eq!(typed, known, "{line}");
            assert_eq!(serde_json::to_string(&got).unwrap(), line);
        }
    }
}
