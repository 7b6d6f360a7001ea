//! Configuration-error codes: the stable, typed names of why a verifier, profile or key set was
//! refused (`docs/reasons.md`, "Configuration errors"). Like reason IDs they are a public
//! contract: vectors name them in `expected.error`, adapters answer them, reports print them.

use crate::config::ConfigError;
use crate::jwks::{JwksError, KeyDefect};

macro_rules! codes {
    ($( $variant:ident => $id:literal ),+ $(,)?) => {
        /// Why a configuration was refused. `id()` is the stable snake_case code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ConfigCode { $( $variant ),+ }

        impl ConfigCode {
            /// Every code, profile codes first, then key-set codes, then per-key codes.
            pub const ALL: &'static [ConfigCode] = &[ $( ConfigCode::$variant ),+ ];

            /// The stable snake_case code.
            pub const fn id(self) -> &'static str {
                match self { $( ConfigCode::$variant => $id ),+ }
            }

            /// Look a code up by its stable ID.
            pub fn from_id(id: &str) -> Option<ConfigCode> {
                match id { $( $id => Some(ConfigCode::$variant), )+ _ => None }
            }
        }
    };
}

codes! {
    MissingIssuer => "missing_issuer",
    MissingAudience => "missing_audience",
    MissingClientId => "missing_client_id",
    MissingAlgorithms => "missing_algorithms",
    UnsupportedAlgorithms => "unsupported_algorithms",
    NoKeys => "no_keys",
    MissingStore => "missing_store",
    InvalidProfile => "invalid_profile",
    JwksTooLarge => "jwks_too_large",
    JwksNotJson => "jwks_not_json",
    JwksDuplicateMember => "jwks_duplicate_member",
    JwksNotAKeySet => "jwks_not_a_key_set",
    JwksEmpty => "jwks_empty",
    JwksTooManyKeys => "jwks_too_many_keys",
    KeyDuplicateKid => "key_duplicate_kid",
    KeyNotAnObject => "key_not_an_object",
    KeyWrongKty => "key_wrong_kty",
    KeyWrongCrv => "key_wrong_crv",
    KeyPrivateMember => "key_private_member",
    KeyBadCoordinate => "key_bad_coordinate",
    KeyNotOnCurve => "key_not_on_curve",
    KeyBadRsaParams => "key_bad_rsa_params",
    KeyBadSecret => "key_bad_secret",
    KeyMissingKid => "key_missing_kid",
    KeyWrongUse => "key_wrong_use",
    KeyWrongKeyOps => "key_wrong_key_ops",
    KeyWrongAlg => "key_wrong_alg",
}

impl ConfigError {
    /// The stable code of this error.
    pub fn code(&self) -> ConfigCode {
        match self {
            ConfigError::MissingIssuer => ConfigCode::MissingIssuer,
            ConfigError::MissingAudience => ConfigCode::MissingAudience,
            ConfigError::MissingClientId => ConfigCode::MissingClientId,
            ConfigError::MissingAlgorithms => ConfigCode::MissingAlgorithms,
            ConfigError::UnsupportedAlgorithms => ConfigCode::UnsupportedAlgorithms,
            ConfigError::NoKeys => ConfigCode::NoKeys,
            ConfigError::MissingStore(_) => ConfigCode::MissingStore,
            ConfigError::Invalid(_) | ConfigError::ProfileFormat(_) => ConfigCode::InvalidProfile,
            ConfigError::KeySet(e) => e.code(),
        }
    }
}

impl JwksError {
    /// The stable code of this refusal.
    pub fn code(&self) -> ConfigCode {
        match self {
            JwksError::TooLarge => ConfigCode::JwksTooLarge,
            JwksError::NotJson => ConfigCode::JwksNotJson,
            JwksError::DuplicateMember => ConfigCode::JwksDuplicateMember,
            JwksError::NotAKeySet => ConfigCode::JwksNotAKeySet,
            JwksError::Empty => ConfigCode::JwksEmpty,
            JwksError::TooManyKeys => ConfigCode::JwksTooManyKeys,
            JwksError::DuplicateKid { .. } => ConfigCode::KeyDuplicateKid,
            JwksError::BadKey { why, .. } => why.code(),
        }
    }
}

impl KeyDefect {
    /// The stable code of this defect.
    pub fn code(self) -> ConfigCode {
        match self {
            KeyDefect::NotAnObject => ConfigCode::KeyNotAnObject,
            KeyDefect::WrongKty => ConfigCode::KeyWrongKty,
            KeyDefect::WrongCrv => ConfigCode::KeyWrongCrv,
            KeyDefect::PrivateMember => ConfigCode::KeyPrivateMember,
            KeyDefect::BadCoordinate => ConfigCode::KeyBadCoordinate,
            KeyDefect::NotOnCurve => ConfigCode::KeyNotOnCurve,
            KeyDefect::BadRsaParams => ConfigCode::KeyBadRsaParams,
            KeyDefect::BadSecret => ConfigCode::KeyBadSecret,
            KeyDefect::MissingKid => ConfigCode::KeyMissingKid,
            KeyDefect::WrongUse => ConfigCode::KeyWrongUse,
            KeyDefect::WrongKeyOps => ConfigCode::KeyWrongKeyOps,
            KeyDefect::WrongAlg => ConfigCode::KeyWrongAlg,
        }
    }
}

by_stable_name!(ConfigCode, id, from_id, |id| format!(
    "unknown configuration-error code `{id}`"
));
