//! The verification profile: what the verifier demands of a token.
//!
//! Defaults are the strict RFC 9068 access-token profile of `docs/reasons.md`. A profile is
//! plain data with a documented JSON form (`docs/profile.md`); every field is optional in JSON and
//! falls back to the default, so a profile file states only what it changes.

use serde::{Deserialize, Serialize};

use crate::config::ConfigError;

/// The only signature algorithm the reference verifier implements.
pub const ES256: &str = "ES256";
/// Hard ceiling on `max_token_bytes`; a larger cap is a configuration error.
pub const MAX_TOKEN_BYTES_CEILING: usize = 1 << 20;
/// Hard ceiling on `max_json_depth`.
pub const MAX_JSON_DEPTH_CEILING: usize = 64;

/// What a token must satisfy. Build a [`crate::Verifier`] from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// The pinned issuer; `iss` must equal it byte for byte. Required.
    pub issuer: Option<String>,
    /// Audiences this verifier serves; `aud` must name at least one. Required, non-empty.
    pub audiences: Vec<String>,
    /// Allowed `alg` values. Only `["ES256"]` is implemented; anything else is a config error.
    pub algorithms: Vec<String>,
    /// Required `typ` header value, compared as a media type (RFC 7515 §4.1.9: case-insensitive,
    /// `application/` implied).
    pub typ: String,
    /// Longest accepted token, in bytes, checked before anything else.
    pub max_token_bytes: usize,
    /// Deepest accepted nesting of arrays and objects in header and payload.
    pub max_json_depth: usize,
    /// Leeway for `exp` and `nbf`, in seconds.
    pub leeway_secs: u64,
    /// How far in the future `iat` may be, in seconds.
    pub iat_skew_secs: u64,
    /// Longest remaining lifetime (`exp - now`) accepted; `null` disables the bound.
    pub max_lifetime_secs: Option<u64>,
    /// Required value of the `cat` claim; `null` disables the check.
    pub expected_cat: Option<String>,
    /// Optional domain rules (all off by default).
    pub domain: DomainRules,
    /// Optional stateful rules (all off by default); each needs its store at build time.
    pub state: StateRules,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            issuer: None,
            audiences: Vec::new(),
            algorithms: vec![ES256.to_owned()],
            typ: "at+jwt".to_owned(),
            max_token_bytes: 8192,
            max_json_depth: 16,
            leeway_secs: 0,
            iat_skew_secs: 60,
            max_lifetime_secs: Some(24 * 60 * 60),
            expected_cat: None,
            domain: DomainRules::default(),
            state: StateRules::default(),
        }
    }
}

/// Domain rules of the IAM seed (M39–M45). Each is off unless set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DomainRules {
    /// `sub` must be a canonical ULID (26 Crockford base32 characters, uppercase).
    pub ulid_sub: bool,
    /// If set, a present `account_type` must be one of these strings.
    pub account_types: Option<Vec<String>>,
    /// A present `caps` must be an array of strings.
    pub caps_shape: bool,
    /// A present `scopes` must be an array of at most `max_scopes` strings.
    pub scopes_shape: bool,
    /// Bound on the number of `scopes` entries.
    pub max_scopes: usize,
    /// A present `dlg_depth` must be an integer in `[0, max_dlg_depth]`.
    pub dlg_depth: bool,
    /// Inclusive delegation-depth bound.
    pub max_dlg_depth: i64,
    /// If set, `admin` other than `false` requires `active_ppnum` in this band.
    pub admin_band: Option<AdminBand>,
    /// If set, every payload member must be named here.
    pub claim_allowlist: Option<Vec<String>>,
}

impl Default for DomainRules {
    fn default() -> Self {
        DomainRules {
            ulid_sub: false,
            account_types: None,
            caps_shape: false,
            scopes_shape: false,
            max_scopes: 256,
            dlg_depth: false,
            max_dlg_depth: 4,
            admin_band: None,
            claim_allowlist: None,
        }
    }
}

/// The admin allocation band: the first three digits of `active_ppnum`, inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminBand {
    pub min: u16,
    pub max: u16,
}

/// Stateful rules (M35, M36, session version). Each needs its store.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StateRules {
    /// One-time `jti`: check-and-record against a [`crate::ReplayDefense`].
    pub replay: bool,
    /// (`sub`, `sid`) must be a live session in a [`crate::SessionStore`].
    pub sessions: bool,
    /// `sv` must be at least the account's current session version.
    pub session_version: bool,
}

impl Profile {
    /// The default profile pinned to one issuer and audience.
    pub fn new(issuer: impl Into<String>, audience: impl Into<String>) -> Self {
        Profile {
            issuer: Some(issuer.into()),
            audiences: vec![audience.into()],
            ..Profile::default()
        }
    }

    /// Reads a profile from its JSON form; absent fields keep their defaults.
    pub fn from_json(bytes: &[u8]) -> Result<Self, ConfigError> {
        // Only an object is a profile: serde would also fill the struct from a JSON array.
        if let Some(at) = bytes.iter().position(|b| !b.is_ascii_whitespace())
            && bytes[at] != b'{'
        {
            let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
            let column = 1 + at
                - bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |n| n + 1);
            return Err(ConfigError::ProfileFormat(format!(
                "not a JSON object at line {line} column {column}"
            )));
        }
        serde_json::from_slice(bytes).map_err(|e| ConfigError::ProfileFormat(redacted(&e)))
    }

    /// Refuses any profile under which a verifier could pass tokens it should not.
    pub fn validate(&self) -> Result<(), ConfigError> {
        match &self.issuer {
            Some(iss) if !iss.is_empty() => {}
            _ => return Err(ConfigError::MissingIssuer),
        }
        if self.audiences.is_empty() || self.audiences.iter().any(String::is_empty) {
            return Err(ConfigError::MissingAudience);
        }
        if self.algorithms != [ES256] {
            return Err(ConfigError::UnsupportedAlgorithms);
        }
        if self.typ.is_empty() {
            return Err(ConfigError::Invalid("typ must not be empty"));
        }
        if self.max_token_bytes == 0 || self.max_token_bytes > MAX_TOKEN_BYTES_CEILING {
            return Err(ConfigError::Invalid(
                "max_token_bytes must be in 1..=1048576",
            ));
        }
        if self.max_json_depth == 0 || self.max_json_depth > MAX_JSON_DEPTH_CEILING {
            return Err(ConfigError::Invalid("max_json_depth must be in 1..=64"));
        }
        if self.domain.max_dlg_depth < 0 {
            return Err(ConfigError::Invalid("max_dlg_depth must not be negative"));
        }
        if let Some(band) = self.domain.admin_band
            && (band.min > band.max || band.max > 999)
        {
            return Err(ConfigError::Invalid(
                "admin_band must satisfy min <= max <= 999",
            ));
        }
        Ok(())
    }
}

/// serde's message can quote the offending value or member name (`invalid type: string "…"`,
/// ``unknown field `…` ``), which may be a token or key pasted into the wrong file: keep only
/// the error class and position.
fn redacted(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Io => "unreadable",
        serde_json::error::Category::Syntax => "not valid JSON",
        serde_json::error::Category::Eof => "truncated JSON",
        serde_json::error::Category::Data => "unknown field or wrong value type",
    };
    format!("{what} at line {} column {}", e.line(), e.column())
}
