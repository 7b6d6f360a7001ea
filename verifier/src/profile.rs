//! The verification profile: what the verifier demands of a token.
//!
//! A profile is plain data with a documented JSON form (`docs/profile.md`). Every field is
//! optional in JSON: an absent one takes its preset's default (`preset` itself defaults to
//! `rfc9068`, the strict RFC 9068 access-token profile), so a profile file states only what it
//! changes. A serialized profile leaves out the new fields while they hold their preset's
//! default, so the profiles of the vectors written before presets existed read the same.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::alg::Algorithm;
use crate::config::ConfigError;

/// Hard ceiling on `max_token_bytes`; a larger cap is a configuration error.
pub const MAX_TOKEN_BYTES_CEILING: usize = 1 << 20;
/// Hard ceiling on `max_json_depth`.
pub const MAX_JSON_DEPTH_CEILING: usize = 64;

/// A named set of defaults (`docs/profile.md`): which token kind the profile verifies.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Preset {
    /// RFC 9068 access tokens: today's strict profile, the default.
    #[default]
    #[serde(rename = "rfc9068")]
    Rfc9068,
    /// A plain JWT (RFC 7519): nothing required beyond what is configured.
    #[serde(rename = "jwt")]
    Jwt,
    /// An OpenID Connect ID token (OIDC Core §3.1.3.7).
    #[serde(rename = "oidc-id-token")]
    OidcIdToken,
}

impl Preset {
    /// Every preset.
    pub const ALL: [Preset; 3] = [Preset::Rfc9068, Preset::Jwt, Preset::OidcIdToken];

    /// The preset's name in the profile's JSON form.
    pub const fn name(self) -> &'static str {
        match self {
            Preset::Rfc9068 => "rfc9068",
            Preset::Jwt => "jwt",
            Preset::OidcIdToken => "oidc-id-token",
        }
    }

    /// True for the default preset (its name is left out of serialized profiles).
    pub fn is_default(&self) -> bool {
        *self == Preset::Rfc9068
    }

    /// The `algorithms` of a profile that names none: ES256 for RFC 9068 (the project's
    /// baseline), RS256 for ID tokens (OIDC Core §3.1.3.7 step 7: RS256 is the default `alg`
    /// of a client that registered none), and none for `jwt`, which must say what it accepts.
    pub const fn default_algorithms(self) -> &'static [Algorithm] {
        match self {
            Preset::Rfc9068 => &[Algorithm::ES256],
            Preset::Jwt => &[],
            Preset::OidcIdToken => &[Algorithm::RS256],
        }
    }

    /// The `typ` of a profile that names none: `at+jwt` for RFC 9068 (§4), no requirement for
    /// the others (RFC 7519 §5.1 makes `typ` optional; OIDC Core defines none for ID tokens).
    pub const fn default_typ(self) -> Option<&'static str> {
        match self {
            Preset::Rfc9068 => Some("at+jwt"),
            Preset::Jwt | Preset::OidcIdToken => None,
        }
    }

    /// The `required_claims` of a profile that names none: RFC 9068 §2.2, none for a plain JWT
    /// (RFC 7519 §4.1: every registered claim is optional), OIDC Core §2 for ID tokens.
    pub const fn default_required_claims(self) -> &'static [&'static str] {
        match self {
            Preset::Rfc9068 => &["iss", "exp", "aud", "sub", "client_id", "iat", "jti"],
            Preset::Jwt => &[],
            Preset::OidcIdToken => &["iss", "sub", "aud", "exp", "iat"],
        }
    }
}

/// What a token must satisfy. Build a [`crate::Verifier`] from it.
///
/// Its JSON form (`docs/profile.md`) resolves absent fields against the preset, so
/// [`Serialize`] and [`Deserialize`] are written out below rather than derived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// The preset whose defaults fill the fields a profile leaves out.
    pub preset: Preset,
    /// The pinned issuer; `iss` must equal it byte for byte. Required under `rfc9068` and
    /// `oidc-id-token`; when set, `iss` is required in every preset.
    pub issuer: Option<String>,
    /// Audiences this verifier serves; `aud` must name at least one. Required under `rfc9068`;
    /// under `oidc-id-token` empty or exactly `[client_id]`; when set, `aud` is required.
    pub audiences: Vec<String>,
    /// Allowed `alg` values, non-empty.
    pub algorithms: Vec<Algorithm>,
    /// Required `typ` header value, compared as a media type (RFC 7515 §4.1.9: case-insensitive,
    /// `application/` implied); `None`: no `typ` requirement at all.
    pub typ: Option<String>,
    /// Claims a token must carry; each is checked by its own rule where it has one
    /// (`docs/reasons.md`), the others by presence (`claim_missing`).
    pub required_claims: Vec<String>,
    /// `oidc-id-token` only, and required there: the client the ID token is for (`aud`, `azp`).
    pub client_id: Option<String>,
    /// `oidc-id-token` only: the `nonce` the client sent in its authentication request.
    pub nonce: Option<String>,
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
    /// The `rfc9068` preset's profile, without issuer or audience.
    fn default() -> Self {
        Profile::for_preset(Preset::Rfc9068)
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
    /// The preset's profile: its algorithms, `typ` and required claims, the common defaults
    /// for the rest, no issuer, audience, client or nonce.
    pub fn for_preset(preset: Preset) -> Self {
        Profile {
            preset,
            issuer: None,
            audiences: Vec::new(),
            algorithms: preset.default_algorithms().to_vec(),
            typ: preset.default_typ().map(str::to_owned),
            required_claims: preset
                .default_required_claims()
                .iter()
                .map(|&c| c.to_owned())
                .collect(),
            client_id: None,
            nonce: None,
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

    /// The default (`rfc9068`) profile pinned to one issuer and audience.
    pub fn new(issuer: impl Into<String>, audience: impl Into<String>) -> Self {
        Profile {
            issuer: Some(issuer.into()),
            audiences: vec![audience.into()],
            ..Profile::default()
        }
    }

    /// Reads a profile from its JSON form; absent fields take the preset's defaults. An
    /// algorithm name outside the 13 is [`ConfigError::UnsupportedAlgorithms`].
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
        serde_json::from_slice::<ProfileJson>(bytes)
            .map_err(|e| ConfigError::ProfileFormat(redacted(&e)))?
            .resolve()
    }

    /// True when `required_claims` names `claim`.
    pub fn requires(&self, claim: &str) -> bool {
        self.required_claims.iter().any(|c| c == claim)
    }

    /// The audiences `aud` is matched against: `audiences`, or under `oidc-id-token` the
    /// client itself (OIDC Core §3.1.3.7 step 3), which `validate` makes the same thing.
    pub fn effective_audiences(&self) -> &[String] {
        match (&self.client_id, self.preset) {
            (Some(client), Preset::OidcIdToken) => std::slice::from_ref(client),
            _ => &self.audiences,
        }
    }

    /// Refuses any profile under which a verifier could pass tokens it should not, per preset
    /// (`docs/profile.md`).
    pub fn validate(&self) -> Result<(), ConfigError> {
        let oidc = self.preset == Preset::OidcIdToken;
        match &self.issuer {
            Some(iss) if iss.is_empty() => return Err(ConfigError::MissingIssuer),
            None if self.preset != Preset::Jwt => return Err(ConfigError::MissingIssuer),
            _ => {}
        }
        if self.audiences.iter().any(String::is_empty)
            || (self.preset == Preset::Rfc9068 && self.audiences.is_empty())
        {
            return Err(ConfigError::MissingAudience);
        }
        if oidc {
            let client = match &self.client_id {
                Some(client) if !client.is_empty() => client,
                _ => return Err(ConfigError::MissingClientId),
            };
            if !(self.audiences.is_empty() || self.audiences == [client.as_str()]) {
                return Err(ConfigError::Invalid(
                    "audiences must be empty or exactly [client_id] under oidc-id-token",
                ));
            }
            if self.nonce.as_deref() == Some("") {
                return Err(ConfigError::Invalid("nonce must not be empty"));
            }
        } else if self.client_id.is_some() || self.nonce.is_some() {
            // Silently ignoring them would let a user believe they are checked.
            return Err(ConfigError::Invalid(
                "client_id and nonce apply to the oidc-id-token preset only",
            ));
        }
        if self.algorithms.is_empty() {
            return Err(ConfigError::MissingAlgorithms);
        }
        if has_repeats(&self.algorithms) {
            return Err(ConfigError::Invalid("algorithms must not repeat a name"));
        }
        if self.typ.as_deref() == Some("") {
            return Err(ConfigError::Invalid("typ must not be empty"));
        }
        if self.required_claims.iter().any(String::is_empty) {
            return Err(ConfigError::Invalid(
                "required_claims must not hold an empty name",
            ));
        }
        if has_repeats(&self.required_claims) {
            return Err(ConfigError::Invalid(
                "required_claims must not repeat a name",
            ));
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
        // The replay cache keys on `jti` and keeps it until `exp`.
        if self.state.replay && !(self.requires("jti") && self.requires("exp")) {
            return Err(ConfigError::Invalid(
                "state.replay needs jti and exp in required_claims",
            ));
        }
        Ok(())
    }
}

fn has_repeats<T: PartialEq>(items: &[T]) -> bool {
    items
        .iter()
        .enumerate()
        .any(|(i, a)| items[..i].contains(a))
}

/// The JSON form as read: the preset-dependent fields are `Option`s, `None` only when absent
/// (`null` is a value of `typ`, and refused for the lists), until [`ProfileJson::resolve`]
/// fills them from the preset.
#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ProfileJson {
    preset: Preset,
    issuer: Option<String>,
    audiences: Vec<String>,
    /// Names, not [`Algorithm`]s: an unknown one is a typed configuration error, not serde's.
    #[serde(deserialize_with = "present")]
    algorithms: Option<Vec<String>>,
    #[serde(deserialize_with = "present")]
    typ: Option<Option<String>>,
    #[serde(deserialize_with = "present")]
    required_claims: Option<Vec<String>>,
    client_id: Option<String>,
    nonce: Option<String>,
    max_token_bytes: usize,
    max_json_depth: usize,
    leeway_secs: u64,
    iat_skew_secs: u64,
    max_lifetime_secs: Option<u64>,
    expected_cat: Option<String>,
    domain: DomainRules,
    state: StateRules,
}

impl Default for ProfileJson {
    fn default() -> Self {
        let p = Profile::default();
        ProfileJson {
            preset: p.preset,
            issuer: p.issuer,
            audiences: p.audiences,
            algorithms: None,
            typ: None,
            required_claims: None,
            client_id: p.client_id,
            nonce: p.nonce,
            max_token_bytes: p.max_token_bytes,
            max_json_depth: p.max_json_depth,
            leeway_secs: p.leeway_secs,
            iat_skew_secs: p.iat_skew_secs,
            max_lifetime_secs: p.max_lifetime_secs,
            expected_cat: p.expected_cat,
            domain: p.domain,
            state: p.state,
        }
    }
}

/// A member that is present, whatever its value (`null` included).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

impl ProfileJson {
    /// The profile, with every absent preset-dependent field taken from the preset.
    fn resolve(self) -> Result<Profile, ConfigError> {
        let preset_profile = Profile::for_preset(self.preset);
        let algorithms = match self.algorithms {
            None => preset_profile.algorithms,
            Some(names) => names
                .iter()
                .map(|name| Algorithm::from_name(name))
                .collect::<Option<_>>()
                .ok_or(ConfigError::UnsupportedAlgorithms)?,
        };
        Ok(Profile {
            preset: self.preset,
            issuer: self.issuer,
            audiences: self.audiences,
            algorithms,
            typ: self.typ.unwrap_or(preset_profile.typ),
            required_claims: self
                .required_claims
                .unwrap_or(preset_profile.required_claims),
            client_id: self.client_id,
            nonce: self.nonce,
            max_token_bytes: self.max_token_bytes,
            max_json_depth: self.max_json_depth,
            leeway_secs: self.leeway_secs,
            iat_skew_secs: self.iat_skew_secs,
            max_lifetime_secs: self.max_lifetime_secs,
            expected_cat: self.expected_cat,
            domain: self.domain,
            state: self.state,
        })
    }
}

impl<'de> Deserialize<'de> for Profile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The message is the error's Display, which never quotes the input.
        ProfileJson::deserialize(d)?
            .resolve()
            .map_err(serde::de::Error::custom)
    }
}

/// The JSON form as written. Fields older than presets are always written, as they always
/// were; the newer ones only when they differ from the preset's default (`typ` is old: always
/// written, `null` when there is no requirement).
#[derive(Serialize)]
struct ProfileJsonOut<'a> {
    #[serde(skip_serializing_if = "Preset::is_default")]
    preset: Preset,
    issuer: &'a Option<String>,
    audiences: &'a [String],
    algorithms: &'a [Algorithm],
    typ: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    required_claims: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
    max_token_bytes: usize,
    max_json_depth: usize,
    leeway_secs: u64,
    iat_skew_secs: u64,
    max_lifetime_secs: Option<u64>,
    expected_cat: &'a Option<String>,
    domain: &'a DomainRules,
    state: &'a StateRules,
}

impl Serialize for Profile {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let default_claims = self.preset.default_required_claims();
        let claims_are_default = self.required_claims.len() == default_claims.len()
            && self
                .required_claims
                .iter()
                .zip(default_claims)
                .all(|(a, b)| a == b);
        ProfileJsonOut {
            preset: self.preset,
            issuer: &self.issuer,
            audiences: &self.audiences,
            algorithms: &self.algorithms,
            typ: &self.typ,
            required_claims: (!claims_are_default).then_some(&self.required_claims[..]),
            client_id: self.client_id.as_deref(),
            nonce: self.nonce.as_deref(),
            max_token_bytes: self.max_token_bytes,
            max_json_depth: self.max_json_depth,
            leeway_secs: self.leeway_secs,
            iat_skew_secs: self.iat_skew_secs,
            max_lifetime_secs: self.max_lifetime_secs,
            expected_cat: &self.expected_cat,
            domain: &self.domain,
            state: &self.state,
        }
        .serialize(s)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The default profile's JSON exactly as it was written before presets existed: the
    /// profiles of today's vectors stay byte-identical when regenerated.
    #[test]
    fn default_profile_serializes_as_before_presets() {
        let written =
            serde_json::to_string(&Profile::new("https://i.example", "https://a.example"))
                .expect("serializes");
        assert_eq!(
            written,
            concat!(
                r#"{"issuer":"https://i.example","audiences":["https://a.example"],"#,
                r#""algorithms":["ES256"],"typ":"at+jwt","max_token_bytes":8192,"#,
                r#""max_json_depth":16,"leeway_secs":0,"iat_skew_secs":60,"#,
                r#""max_lifetime_secs":86400,"expected_cat":null,"#,
                r#""domain":{"ulid_sub":false,"account_types":null,"caps_shape":false,"#,
                r#""scopes_shape":false,"max_scopes":256,"dlg_depth":false,"max_dlg_depth":4,"#,
                r#""admin_band":null,"claim_allowlist":null},"#,
                r#""state":{"replay":false,"sessions":false,"session_version":false}}"#
            )
        );
    }

    /// A field is left out only while it holds its preset's default, and every profile reads
    /// back as itself.
    #[test]
    fn new_fields_are_written_only_when_they_differ_from_the_preset() {
        for preset in Preset::ALL {
            let profile = Profile::for_preset(preset);
            let json = serde_json::to_value(&profile).expect("serializes");
            assert_eq!(json.get("preset").is_some(), preset != Preset::Rfc9068);
            assert!(json.get("required_claims").is_none(), "{preset:?}");
            assert!(json.get("client_id").is_none() && json.get("nonce").is_none());
            assert_eq!(json["typ"].as_str(), preset.default_typ());
            let back: Profile = serde_json::from_value(json).expect("reads back");
            assert_eq!(back, profile);
        }
        let changed = Profile {
            required_claims: vec!["iss".into()],
            typ: None,
            client_id: Some("c".into()),
            nonce: Some("n".into()),
            ..Profile::for_preset(Preset::OidcIdToken)
        };
        let json = serde_json::to_value(&changed).expect("serializes");
        assert_eq!(json["required_claims"], serde_json::json!(["iss"]));
        assert_eq!(json["typ"], serde_json::Value::Null);
        assert_eq!(
            (json["client_id"].as_str(), json["nonce"].as_str()),
            (Some("c"), Some("n"))
        );
        assert_eq!(
            serde_json::from_value::<Profile>(json).expect("reads back"),
            changed
        );
    }
}
