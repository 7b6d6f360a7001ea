//! Construction-time errors: a verifier that cannot be configured strictly is never built.

use std::fmt;

/// Why a verifier, key set or profile could not be built. Never contains key material.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No issuer configured (the profile makes the issuer mandatory: `docs/profile.md`).
    MissingIssuer,
    /// No audience configured, or an empty one (mandatory too: `docs/profile.md`).
    MissingAudience,
    /// The preset has no default client (`oidc-id-token`) and none was configured.
    MissingClientId,
    /// The preset has no default algorithm list (`jwt`) and none was configured, or it is empty.
    MissingAlgorithms,
    /// `algorithms` names an algorithm the verifier does not implement (or `none`).
    UnsupportedAlgorithms,
    /// No key source, or a key set with no usable key.
    NoKeys,
    /// A stateful rule is on but its store was not supplied.
    MissingStore(&'static str),
    /// A profile field is out of range.
    Invalid(&'static str),
    /// The profile JSON could not be read (error class and position only, never its text).
    ProfileFormat(String),
    /// The key set was refused.
    KeySet(crate::jwks::JwksError),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingIssuer => f.write_str("no issuer configured"),
            ConfigError::MissingAudience => f.write_str("no audience configured"),
            ConfigError::MissingClientId => f.write_str("no client_id configured"),
            ConfigError::MissingAlgorithms => f.write_str("no algorithms configured"),
            ConfigError::UnsupportedAlgorithms => {
                f.write_str("algorithms names an algorithm that is not implemented")
            }
            ConfigError::NoKeys => f.write_str("no usable verification key"),
            ConfigError::MissingStore(which) => write!(f, "state rule enabled without a {which}"),
            ConfigError::Invalid(why) => write!(f, "invalid profile: {why}"),
            ConfigError::ProfileFormat(why) => write!(f, "profile is not valid: {why}"),
            ConfigError::KeySet(e) => write!(f, "key set refused: {e}"),
        }
    }
}

impl std::error::Error for ConfigError {}

impl From<crate::jwks::JwksError> for ConfigError {
    fn from(e: crate::jwks::JwksError) -> Self {
        ConfigError::KeySet(e)
    }
}
