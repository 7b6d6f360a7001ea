//! A minimal, strict, fail-closed reference verifier for JSON Web Tokens (RFC 7515, 7518, 7519,
//! 8037, 8725, 9068): the oracle of the jwt-conformance corpus. It verifies the 13 JWS
//! algorithms of [`Algorithm`], each with keys of its own family only, under three profile
//! presets ([`Preset`]: RFC 9068 access tokens, the default; plain JWTs; OpenID Connect ID
//! tokens).
//!
//! Every rejection carries one stable [`Reason`] from the catalog (`docs/reasons.md`). The
//! pipeline runs size → form → alphabet → header → key → signature → payload → claims →
//! domain → state, and is written out once, in [`Verifier::verify`].
//!
//! ```
//! # use verifier::{Profile, Verifier, KeySet, ConfigError};
//! // A verifier without an issuer or audience cannot be built.
//! let err = Profile::default().validate().unwrap_err();
//! assert_eq!(err, ConfigError::MissingIssuer);
//! ```
#![forbid(unsafe_code)]

/// `Display`, `Serialize` and `Deserialize` of a catalogue type by its stable name: `$name`
/// gives a value's, `$from` looks one up, and an unknown name fails with `$unknown(&name)`, which
/// says what kind of name it is.
macro_rules! by_stable_name {
    ($ty:ident, $name:ident, $from:ident, $unknown:expr) => {
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.$name())
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.$name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let name = <String as serde::Deserialize>::deserialize(d)?;
                $ty::$from(&name).ok_or_else(|| serde::de::Error::custom($unknown(&name)))
            }
        }
    };
}

mod alg;
pub mod b64;
pub mod claims;
mod code;
mod config;
pub mod json;
pub mod jwks;
mod keys;
pub mod profile;
mod reason;
pub mod rules;
mod state;
mod verifier;

pub use alg::{Algorithm, KeyFamily};
pub use claims::{Claim, ClaimSet, Claims};
pub use code::ConfigCode;
pub use config::ConfigError;
pub use jwks::{JwksError, KeyDefect, KeySet};
pub use keys::{
    CachingKeySource, Fetch, FetchError, FetchResponse, KeySource, KeySourceUnavailable, StaticKeys,
};
pub use profile::{AdminBand, DomainRules, Preset, Profile, StateRules};
pub use reason::{Reason, Rejection, Stage};
pub use rules::signature::{Backend, PublicKey};
pub use state::{
    MemoryReplayCache, MemorySessionStore, MemorySessionVersions, Outage, ReplayDefense,
    ReplayOutcome, SessionStore, SessionVersions, StoreUnavailable,
};
pub use verifier::{Verifier, VerifierBuilder, check_claims, check_envelope_and_header};

/// Re-exported so callers name the same key type the verifier uses.
pub use p256::ecdsa::VerifyingKey;

#[cfg(test)]
mod tests {
    use std::fmt::{Debug, Display};

    use serde::{Serialize, de::DeserializeOwned};
    use serde_json::json;

    use super::*;

    /// [`by_stable_name`]: `value` displays, serializes and parses as `name`.
    fn assert_named<T>(value: T, name: &str)
    where
        T: Display + Serialize + DeserializeOwned + PartialEq + Debug + Copy,
    {
        assert_eq!(value.to_string(), name);
        assert_eq!(serde_json::to_value(value).unwrap(), json!(name));
        assert_eq!(serde_json::from_value::<T>(json!(name)).unwrap(), value);
    }

    /// The error of parsing `name` as a `T`.
    fn parse_error<T: DeserializeOwned + Debug>(name: &str) -> String {
        serde_json::from_value::<T>(json!(name))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn stable_names_display_serialize_and_parse() {
        assert_named(Algorithm::EdDSA, "EdDSA");
        assert_named(Reason::KidAmbiguous, "kid_ambiguous");
        assert_named(ConfigCode::KeyWrongAlg, "key_wrong_alg");
    }

    #[test]
    fn unknown_names_say_what_kind_of_name_they_are() {
        assert_eq!(
            parse_error::<Algorithm>("eddsa"),
            "not an algorithm the verifier implements"
        );
        assert_eq!(parse_error::<Reason>("kid"), "unknown reason ID `kid`");
        assert_eq!(
            parse_error::<ConfigCode>("key"),
            "unknown configuration-error code `key`"
        );
    }
}
