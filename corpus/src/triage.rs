//! Fuzz triage: which disagreements of the `differential` fuzz target are worth a finding file.
//!
//! This is not the severity of any vector: a vector's severity and basis are stated in its
//! generator row (`docs/normative.md` has the rule). The fuzzer has only a token and the
//! reference verifier's reason, so it writes a finding when a third-party library accepts a
//! token that the reference rejects for a reason whose acceptance breaks a binding clause or
//! grants trust: the `forgery` and binding `policy-bypass` reasons. The differential target
//! re-signs mutated tokens with the pinned key, so header members that only a verifier trusting
//! the token's own key material would misuse (`jku`, `x5u`, `jwk`, `x5c`) are not findings
//! there; neither are this profile's local choices.
//!
//! | finding | reasons | basis |
//! |---|---|---|
//! | yes | `jwe_payload`, `not_jws_compact`, `header_unparseable`, `payload_unparseable` | RFC 7515 §5.2 / RFC 7519 §7.2 (a merely deep document is a local bound: no) |
//! | yes | `alg_none`, `alg_hmac_rejected`, `alg_rsa_rejected`, `alg_ecdsa_rejected`, `alg_not_allowed` | RFC 8725 §3.1, RFC 7518 §3.6 |
//! | yes | `header_crit`, `typ_mismatch` | RFC 7515 §4.1.11, RFC 9068 §4 |
//! | yes | `kid_unknown`, `key_source_unavailable`, `signature_invalid` | RFC 9068 §4 (the keys of the authorization server) |
//! | yes | `exp_missing`, `expired`, `not_yet_valid`, `iss_mismatch`, `aud_missing`, `aud_mismatch` | RFC 7519 §4.1.3–4.1.5, RFC 9068 §4 |
//! | yes | every state reason | a configured replay or revocation check that passes anyway |
//! | no | everything else | the profile's choices, issuer-side requirements, or header members signed by the pinned key |

use verifier::Reason;

/// Whether a third-party accept of a token rejected for `reason` is a finding (module table).
pub fn of_reason(reason: Reason) -> bool {
    use Reason::*;
    !matches!(
        reason,
        OversizedToken
            | JwsJsonRejected
            | LaxBase64
            | DuplicateJsonKeys
            | HeaderJku
            | HeaderX5u
            | HeaderJwk
            | HeaderX5c
            | HeaderB64False
            | NestedJws
            | HeaderExtraParam
            | InvalidNumericType
            | ExpUpperBound
            | IatMissing
            | IatFuture
            | SubMissing
            | ClientIdMissing
            | JtiMissing
            | TokenTypeMismatch
            | SubFormatInvalid
            | AccountTypeInvalid
            | CapsShapeInvalid
            | ScopesShapeInvalid
            | ScopesTooLong
            | DlgDepthInvalid
            | AdminBandRejected
            | UnknownClaim
    )
}

/// Whether a third-party accept of `token`, rejected for `reason`, is a finding: [`of_reason`],
/// except that an `*_unparseable` rejection of a segment that is canonical base64url of a JSON
/// object serde_json parses (so only the nesting bound refused it) is not.
pub fn of_rejection(reason: Reason, token: &[u8]) -> bool {
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
    !only_deep && of_reason(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binding_reasons_are_findings_and_profile_choices_are_not() {
        for finding in [
            Reason::AlgNone,
            Reason::SignatureInvalid,
            Reason::HeaderCrit,
            Reason::TypMismatch,
            Reason::Expired,
            Reason::NotYetValid,
            Reason::IssMismatch,
            Reason::AudMismatch,
            Reason::KidUnknown,
            Reason::JwePayload,
        ] {
            assert!(of_reason(finding), "{finding}");
        }
        for choice in [
            Reason::HeaderExtraParam,
            Reason::HeaderJwk,
            Reason::LaxBase64,
            Reason::DuplicateJsonKeys,
            Reason::JwsJsonRejected,
            Reason::InvalidNumericType,
        ] {
            assert!(!of_reason(choice), "{choice}");
        }
    }

    #[test]
    fn a_merely_deep_document_is_not_a_finding() {
        let enc = |s: &str| verifier::b64::encode(s.as_bytes());
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(20), "]".repeat(20));
        let deep_token = format!("{}.{}.sig", enc(r#"{"alg":"ES256"}"#), enc(&deep));
        let broken_token = format!("{}.{}.sig", enc(r#"{"alg":"ES256"}"#), enc("{"));
        let r = Reason::PayloadUnparseable;
        assert!(!of_rejection(r, deep_token.as_bytes()));
        assert!(of_rejection(r, broken_token.as_bytes()));
        assert!(of_rejection(Reason::Expired, b"x"));
    }
}
