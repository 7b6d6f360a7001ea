//! The rejection-reason catalog (v2): stable IDs, M-IDs and pipeline stages.
//!
//! The IDs are a public contract shared with the corpus and every adapter; the table order is the
//! pipeline order of `docs/reasons.md`. Never rename a variant's ID; add new rows only.

use std::fmt;

/// Pipeline stage a reason belongs to, in the order the verifier runs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Size,
    Form,
    Alphabet,
    Header,
    Key,
    Signature,
    Payload,
    Claims,
    Domain,
    State,
}

macro_rules! reasons {
    ($( $variant:ident => ($id:literal, $mid:expr, $stage:ident) ),+ $(,)?) => {
        /// Why a token was rejected. `id()` is the stable snake_case identifier.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Reason { $( $variant ),+ }

        impl Reason {
            /// Every reason, in catalog (pipeline) order.
            pub const ALL: &'static [Reason] = &[ $( Reason::$variant ),+ ];

            /// The stable snake_case reason ID.
            pub const fn id(self) -> &'static str {
                match self { $( Reason::$variant => $id ),+ }
            }

            /// The M-ID of the error catalogue (`docs/reasons.md`), where the reason has one.
            pub const fn m_id(self) -> Option<&'static str> {
                match self { $( Reason::$variant => $mid ),+ }
            }

            /// The pipeline stage that raises this reason.
            pub const fn stage(self) -> Stage {
                match self { $( Reason::$variant => Stage::$stage ),+ }
            }

            /// Look a reason up by its stable ID.
            pub fn from_id(id: &str) -> Option<Reason> {
                match id { $( $id => Some(Reason::$variant), )+ _ => None }
            }
        }
    };
}

reasons! {
    OversizedToken => ("oversized_token", Some("M34"), Size),
    JwsJsonRejected => ("jws_json_rejected", Some("M31"), Form),
    JwePayload => ("jwe_payload", Some("M15"), Form),
    NotJwsCompact => ("not_jws_compact", None, Form),
    LaxBase64 => ("lax_base64", Some("M33"), Alphabet),
    HeaderUnparseable => ("header_unparseable", None, Header),
    DuplicateJsonKeys => ("duplicate_json_keys", Some("M32"), Header),
    AlgNone => ("alg_none", Some("M01"), Header),
    AlgHmacRejected => ("alg_hmac_rejected", Some("M03"), Header),
    AlgRsaRejected => ("alg_rsa_rejected", Some("M04"), Header),
    AlgEcdsaRejected => ("alg_ecdsa_rejected", Some("M05"), Header),
    AlgNotAllowed => ("alg_not_allowed", Some("M02"), Header),
    HeaderJku => ("header_jku", Some("M07"), Header),
    HeaderX5u => ("header_x5u", Some("M08"), Header),
    HeaderJwk => ("header_jwk", Some("M09"), Header),
    HeaderX5c => ("header_x5c", Some("M10"), Header),
    HeaderCrit => ("header_crit", Some("M11"), Header),
    HeaderB64False => ("header_b64_false", Some("M16a"), Header),
    NestedJws => ("nested_jws", Some("M14"), Header),
    HeaderExtraParam => ("header_extra_param", Some("M16"), Header),
    TypMismatch => ("typ_mismatch", Some("M13"), Header),
    KidUnknown => ("kid_unknown", Some("M12"), Key),
    KidAmbiguous => ("kid_ambiguous", None, Key),
    KeySourceUnavailable => ("key_source_unavailable", None, Key),
    KeyAlgMismatch => ("key_alg_mismatch", None, Key),
    KeyTooWeak => ("key_too_weak", None, Key),
    SignatureInvalid => ("signature_invalid", None, Signature),
    PayloadUnparseable => ("payload_unparseable", None, Payload),
    InvalidNumericType => ("invalid_numeric_type", Some("M30"), Claims),
    ExpMissing => ("exp_missing", Some("M17"), Claims),
    Expired => ("expired", Some("M18"), Claims),
    ExpUpperBound => ("exp_upper_bound", Some("M19"), Claims),
    IatMissing => ("iat_missing", Some("M24"), Claims),
    IatFuture => ("iat_future", Some("M24/M25"), Claims),
    NotYetValid => ("not_yet_valid", Some("M26"), Claims),
    IssMismatch => ("iss_mismatch", Some("M23"), Claims),
    AudMissing => ("aud_missing", Some("M20"), Claims),
    AudMismatch => ("aud_mismatch", Some("M21/M22"), Claims),
    AudUntrusted => ("aud_untrusted", None, Claims),
    SubMissing => ("sub_missing", Some("M28"), Claims),
    ClientIdMissing => ("client_id_missing", Some("M28a"), Claims),
    JtiMissing => ("jti_missing", Some("M27"), Claims),
    ClaimMissing => ("claim_missing", None, Claims),
    AzpMismatch => ("azp_mismatch", None, Claims),
    NonceMismatch => ("nonce_mismatch", None, Claims),
    TokenTypeMismatch => ("token_type_mismatch", Some("M29"), Claims),
    SubFormatInvalid => ("sub_format_invalid", Some("M39"), Domain),
    AccountTypeInvalid => ("account_type_invalid", Some("M40"), Domain),
    CapsShapeInvalid => ("caps_shape_invalid", Some("M41"), Domain),
    ScopesShapeInvalid => ("scopes_shape_invalid", Some("M42"), Domain),
    ScopesTooLong => ("scopes_too_long", Some("M42"), Domain),
    DlgDepthInvalid => ("dlg_depth_invalid", Some("M43"), Domain),
    AdminBandRejected => ("admin_band_rejected", Some("M44"), Domain),
    UnknownClaim => ("unknown_claim", Some("M45"), Domain),
    JtiReplayed => ("jti_replayed", Some("M35"), State),
    ReplayCacheUnavailable => ("replay_cache_unavailable", Some("M35"), State),
    SessionRevoked => ("session_revoked", Some("M36"), State),
    SessionLookupUnavailable => ("session_lookup_unavailable", Some("M36"), State),
    SessionVersionStale => ("session_version_stale", Some("sv"), State),
    SessionVersionLookupUnavailable => ("session_version_lookup_unavailable", Some("sv"), State),
}

// By stable ID, as vectors and reports write it; an ID outside the catalog does not parse.
by_stable_name!(Reason, id, from_id, |id| format!(
    "unknown reason ID `{id}`"
));

/// A token the verifier refused. Carries no token bytes, claims or key material, by design:
/// it is safe to log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// The catalog reason.
    pub reason: Reason,
    /// A fixed, human-readable explanation; never derived from the token.
    pub detail: &'static str,
}

impl Rejection {
    pub(crate) const fn new(reason: Reason, detail: &'static str) -> Self {
        Rejection { reason, detail }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reason.m_id() {
            Some(m) => write!(f, "token rejected: {} ({m}): {}", self.reason, self.detail),
            None => write!(f, "token rejected: {}: {}", self.reason, self.detail),
        }
    }
}

impl std::error::Error for Rejection {}

/// Shorthand used by every rule: `Err(reject(Reason::X, "why"))`.
pub(crate) const fn reject(reason: Reason, detail: &'static str) -> Rejection {
    Rejection::new(reason, detail)
}
