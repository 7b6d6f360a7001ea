//! Which rejection reasons are `must` and which are `profile`: the one table that decides.
//!
//! A verifier that accepts a token the reference rejects has a *must* failure when the reason is
//! an RFC MUST or a known attack (RFC 7515/7519/8725/9068, CVEs), and a *profile* failure when it
//! is one of this project's strict choices that a conforming verifier may make differently.
//! The fuzzing `differential` target writes a finding only for `must` reasons, and
//! `tools crash-to-vector` gives a regression vector the severity of its expected reason; both
//! call [`of_reason`], and nothing else classifies reasons.
//!
//! | severity | reasons | why |
//! |---|---|---|
//! | must | `jws_json_rejected`, `jwe_payload`, `not_jws_compact` | RFC 7519 §1/§7.2: a JWT is a JWS compact serialization; anything else is not one |
//! | must | `header_unparseable`, `payload_unparseable` | RFC 7515 §5.2 / RFC 7519 §7.2: the header and claims must be JSON objects |
//! | must | `alg_none`, `alg_hmac_rejected`, `alg_rsa_rejected`, `alg_ecdsa_rejected`, `alg_not_allowed` | RFC 8725 §3.1–3.2: the verifier pins the algorithm (`none`, HS/RS confusion, CVE-2015-9235, CVE-2016-10555) |
//! | must | `header_jku`, `header_x5u`, `header_jwk`, `header_x5c` | RFC 8725 §3.10 and CVE-2018-0114: keys and key URLs from the token are attacker-controlled |
//! | must | `header_crit` | RFC 7515 §4.1.11: a verifier MUST reject `crit` extensions it does not understand |
//! | must | `kid_unknown`, `key_source_unavailable`, `signature_invalid` | trust comes from a pinned key; fail closed (CVE-2022-21449 for r = s = 0) |
//! | must | `exp_missing`, `expired`, `not_yet_valid` | RFC 9068 §2.2/§4 and RFC 7519 §4.1.4–4.1.5 |
//! | must | `iss_mismatch`, `aud_missing`, `aud_mismatch` | RFC 9068 §4 and RFC 8725 §3.8–3.9 |
//! | must | `jti_replayed`, `session_revoked`, `session_version_stale` and every `*_unavailable` state reason | a configured replay or revocation check that passes anyway, or fails open |
//! | profile | `oversized_token` | a resource bound of this profile |
//! | profile | `lax_base64`, `duplicate_json_keys` | RFC 7515 §2 and §5.2 let a verifier be lax here (the latter allows "lexically last member") |
//! | profile | `header_b64_false`, `nested_jws`, `header_extra_param`, `typ_mismatch` | this profile's header allowlist and exact `typ` |
//! | profile | `invalid_numeric_type`, `exp_upper_bound`, `iat_missing`, `iat_future` | RFC 7519 allows fractional NumericDates and does not bound `iat` or lifetime |
//! | profile | `sub_missing`, `client_id_missing`, `jti_missing`, `token_type_mismatch` | RFC 9068 requires these of issuers, not of validators |
//! | profile | every domain reason (`sub_format_invalid` … `unknown_claim`) | the IAM domain rules |
//!
//! A reason added to the catalog later is `must` until this table says otherwise: a new rule is
//! reviewed here before findings about it are downgraded.
//!
//! One refinement needs the token, because a reason ID alone cannot carry it:
//! `header_unparseable` and `payload_unparseable` also cover a document that is a well-formed
//! JSON object nested deeper than the profile's `max_json_depth`, which is a profile bound.
//! [`of_rejection`] re-parses the segment with serde_json and calls such a rejection `profile`.

use verifier::Reason;

use crate::vector::Severity;

/// The severity of a failure to reject a token for `reason` (see the module table).
pub fn of_reason(reason: Reason) -> Severity {
    use Reason::*;
    match reason {
        OversizedToken | LaxBase64 | DuplicateJsonKeys | HeaderB64False | NestedJws
        | HeaderExtraParam | TypMismatch | InvalidNumericType | ExpUpperBound | IatMissing
        | IatFuture | SubMissing | ClientIdMissing | JtiMissing | TokenTypeMismatch
        | SubFormatInvalid | AccountTypeInvalid | CapsShapeInvalid | ScopesShapeInvalid
        | ScopesTooLong | DlgDepthInvalid | AdminBandRejected | UnknownClaim => Severity::Profile,
        _ => Severity::Must,
    }
}

/// The severity of a rejection of `token` for `reason`: [`of_reason`], except that an
/// `*_unparseable` rejection of a segment that is canonical base64url of a JSON object serde_json
/// parses (so only the nesting bound refused it) is `profile`.
pub fn of_rejection(reason: Reason, token: &[u8]) -> Severity {
    let segment = match reason {
        Reason::HeaderUnparseable => 0,
        Reason::PayloadUnparseable => 1,
        _ => return of_reason(reason),
    };
    let only_deep = token
        .split(|&b| b == b'.')
        .nth(segment)
        .and_then(verifier::b64::decode)
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .is_some_and(|v| v.is_object());
    if only_deep {
        Severity::Profile
    } else {
        of_reason(reason)
    }
}

/// [`of_reason`] by reason ID; an unknown ID is `must`.
pub fn of_reason_id(id: &str) -> Severity {
    Reason::from_id(id).map_or(Severity::Must, of_reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attacks_are_must_and_profile_choices_are_not() {
        for must in [
            Reason::AlgNone,
            Reason::SignatureInvalid,
            Reason::HeaderJwk,
            Reason::HeaderCrit,
            Reason::Expired,
            Reason::NotYetValid,
            Reason::IssMismatch,
            Reason::AudMismatch,
            Reason::KidUnknown,
            Reason::JwePayload,
            Reason::JwsJsonRejected,
        ] {
            assert_eq!(of_reason(must), Severity::Must, "{must}");
        }
        for profile in [
            Reason::TypMismatch,
            Reason::HeaderExtraParam,
            Reason::LaxBase64,
            Reason::DuplicateJsonKeys,
        ] {
            assert_eq!(of_reason(profile), Severity::Profile, "{profile}");
        }
        assert_eq!(of_reason_id("no_such_reason"), Severity::Must);
    }

    #[test]
    fn a_merely_deep_document_is_a_profile_rejection() {
        let enc = |s: &str| verifier::b64::encode(s.as_bytes());
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(20), "]".repeat(20));
        let deep_token = format!("{}.{}.sig", enc(r#"{"alg":"ES256"}"#), enc(&deep));
        let broken_token = format!("{}.{}.sig", enc(r#"{"alg":"ES256"}"#), enc("{"));
        let r = Reason::PayloadUnparseable;
        assert_eq!(of_rejection(r, deep_token.as_bytes()), Severity::Profile);
        assert_eq!(of_rejection(r, broken_token.as_bytes()), Severity::Must);
        assert_eq!(of_rejection(Reason::Expired, b"x"), Severity::Must);
    }

    #[test]
    fn every_reason_is_classified_by_id_too() {
        for &reason in Reason::ALL {
            assert_eq!(of_reason_id(reason.id()), of_reason(reason));
        }
    }
}
