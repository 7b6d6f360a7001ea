//! What a verifier did with one step of a vector: the one outcome type of the reference run
//! ([`crate::reference`]), of the adapters the conformance runner calls, and of its reports.
//!
//! Its serde form is the answer of the subprocess protocol (`outcome` names the variant), so it
//! is a public contract: `docs/adapters.md`, `docs/schemas/`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use verifier::Reason;

use crate::vector::{Expected, Verdict};

/// A reason ID: one of the catalog's, or another string an adapter sent (adapters may send
/// anything). A string on the wire and in reports; typed everywhere in between.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ReasonId {
    Known(Reason),
    Unknown(String),
}

impl ReasonId {
    /// The ID as written.
    pub fn as_str(&self) -> &str {
        match self {
            ReasonId::Known(r) => r.id(),
            ReasonId::Unknown(s) => s,
        }
    }

    /// The catalog reason, when the ID is one.
    pub fn known(&self) -> Option<Reason> {
        match self {
            ReasonId::Known(r) => Some(*r),
            ReasonId::Unknown(_) => None,
        }
    }
}

impl From<&str> for ReasonId {
    fn from(id: &str) -> Self {
        Reason::from_id(id).map_or_else(|| ReasonId::Unknown(id.to_owned()), ReasonId::Known)
    }
}

impl From<Reason> for ReasonId {
    fn from(reason: Reason) -> Self {
        ReasonId::Known(reason)
    }
}

impl std::fmt::Display for ReasonId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ReasonId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ReasonId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| ReasonId::from(s.as_str()))
    }
}

/// What a step is about beyond its verdict: the reason ID of a rejection, or the code of a
/// configuration refusal. A plain string in reports.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Cause {
    Reason(ReasonId),
    Code(String),
}

impl Cause {
    /// The reason ID or code as written.
    pub fn as_str(&self) -> &str {
        match self {
            Cause::Reason(r) => r.as_str(),
            Cause::Code(c) => c,
        }
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
            Expected::Reject { reason, .. } => Some(Cause::Reason(reason.as_str().into())),
            Expected::ConfigError { error } => Some(Cause::Code(error.clone())),
        }
    }
}

impl crate::vector::Outcome {
    /// The reason ID or code this acceptable outcome names, if any.
    pub fn cause(&self) -> Option<Cause> {
        let named = self.reason.as_deref()?;
        Some(match self.verdict {
            Verdict::Reject => Cause::Reason(named.into()),
            Verdict::Accept | Verdict::ConfigError => Cause::Code(named.to_owned()),
        })
    }

    /// `accept`, `reject (reason)`, `config_error (code)`.
    pub fn label(&self) -> String {
        label(self.verdict.name(), self.cause().as_ref())
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
    /// stable code vectors name (`jwks_empty`, `missing_issuer`), when known.
    ConfigError {
        error: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
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

    /// A rejection mapped to a catalog reason ID.
    pub fn reject_as(error: impl ToString, reason: Option<&str>) -> Self {
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
    pub fn config_error_code(code: impl ToString) -> Self {
        let code = code.to_string();
        Outcome::ConfigError {
            error: code.clone(),
            code: Some(code),
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
        assert_eq!(got, Outcome::reject_as("x", Some("expired")));
    }
}
