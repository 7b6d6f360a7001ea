//! Why a failure matters, by what the vector expected: the words of the findings page, as data.
//! [`REASONS`] answers for a rejection that did not happen, by reason ID; [`CODES`] for a key
//! set or profile loaded that must be refused, by config-error code. Every reason and code of
//! the catalog has exactly one row (a test holds it), so a new one is written for, not left to
//! the fallback.

use verifier::{ConfigCode, Reason};

use crate::outcome::{Cause, Id};
use crate::report::ExpectedSummary;
use crate::vector::Verdict;

/// The words for a valid token that was refused.
pub const FALSE_REJECT: &str = "a valid token was refused: the library is stricter than the RFCs at this point, so conforming issuers' tokens fail (an interoperability bug, and an incentive for operators to loosen other checks).";

/// The generic words for a rejection that did not happen.
pub const UNREFUSED: &str = "the token should have been refused for this reason and was not.";

/// Why loading a malformed, empty or oversized key set matters.
pub const MALFORMED_SET: &str = "a malformed, empty or oversized key set was loaded without complaint: the verifier runs with no or unknown keys instead of failing at startup, and the fault later looks like bad tokens.";

/// Why accepting a token that must be rejected for one of the reasons matters.
pub const REASONS: &[(&[Reason], &str)] = &[
    (
        &[Reason::OversizedToken],
        "no size cap before parsing: an attacker chooses how much the verifier decodes and parses (denial of service).",
    ),
    (
        &[Reason::JwsJsonRejected],
        "a JSON-serialized JWS was processed where only compact form is expected: polyglot tokens can show one payload to the verifier and another to the application.",
    ),
    (
        &[Reason::JwePayload],
        "a five-segment (JWE) token was not refused: encrypted tokens bring key-management attacks and decompression bombs to an access-token verifier.",
    ),
    (
        &[Reason::NotJwsCompact],
        "a token that is not three base64url segments was processed: parsers then disagree on where segments begin and end (many-dots denial of service, smuggled bytes).",
    ),
    (
        &[Reason::LaxBase64],
        "non-canonical base64 was accepted: one token has many encodings, which breaks token-level deduplication and signature-over-bytes assumptions.",
    ),
    (
        &[Reason::HeaderUnparseable],
        "an unparseable or non-object header was processed: the verifier reads a header other parsers would refuse.",
    ),
    (
        &[Reason::DuplicateJsonKeys],
        "duplicate member names were accepted: two parsers can read two different values (the first or the last), so what was checked is not what is used (RFC 7515 §5.2, RFC 8725 §3.x).",
    ),
    (
        &[Reason::AlgNone],
        "an unsigned token was accepted: anyone can mint tokens (the classic alg=none attack, RFC 8725 §3.1).",
    ),
    (
        &[Reason::AlgHmacRejected],
        "an HMAC algorithm was accepted against a public-key set: algorithm confusion lets an attacker sign with the public key as an HMAC secret (RFC 8725 §3.1).",
    ),
    (
        &[
            Reason::AlgRsaRejected,
            Reason::AlgEcdsaRejected,
            Reason::AlgNotAllowed,
        ],
        "an algorithm outside the profile's allowlist was accepted: algorithm substitution widens what the verifier trusts (RFC 8725 §3.1).",
    ),
    (
        &[Reason::HeaderJku, Reason::HeaderX5u],
        "a key URL from the token was honored or ignored without refusal: trusting token-supplied key locations lets the attacker pick the key.",
    ),
    (
        &[Reason::HeaderJwk, Reason::HeaderX5c],
        "a key embedded in the token was trusted or ignored without refusal: an attacker-supplied key verifies the attacker's signature.",
    ),
    (
        &[Reason::HeaderCrit],
        "a critical header the verifier does not understand was ignored: RFC 7515 §4.1.11 requires refusal, since the issuer said the token must not be used without it.",
    ),
    (
        &[Reason::HeaderB64False],
        "an unencoded-payload (RFC 7797) header was not refused: the signed bytes and the parsed payload can differ.",
    ),
    (
        &[Reason::NestedJws],
        "a nested token (cty) was not refused: the inner token's claims can be used without being verified against this profile.",
    ),
    (
        &[Reason::HeaderExtraParam, Reason::TypMismatch],
        "the token type or header was not checked: tokens minted for another purpose (ID tokens, other JWTs) are accepted as access tokens (RFC 9068 §4, RFC 8725 §3.11).",
    ),
    (
        &[Reason::KidUnknown],
        "a token naming a key outside the pinned set was verified anyway: key selection does not follow the key set.",
    ),
    (
        &[Reason::KeySourceUnavailable],
        "the key set could not be obtained but tokens were still accepted: the verifier fails open.",
    ),
    (
        &[Reason::SignatureInvalid],
        "a token whose signature does not verify under the pinned key was accepted: forgeries pass (psychic signatures, malformed or DER-encoded signatures, r or s out of range).",
    ),
    (
        &[Reason::PayloadUnparseable],
        "an unparseable payload was processed: claims are read from bytes other parsers refuse.",
    ),
    (
        &[Reason::InvalidNumericType],
        "a time claim that is not a JSON integer was accepted or coerced: parsers disagree on its value (strings, floats, exponents, overflow), so expiry can be dodged.",
    ),
    (
        &[Reason::ExpMissing],
        "a token without exp was accepted: it never expires (RFC 9068 §2.2 requires exp).",
    ),
    (
        &[Reason::Expired],
        "an expired token was accepted: stolen tokens stay usable.",
    ),
    (
        &[Reason::ExpUpperBound],
        "an implausibly long-lived token was accepted: a leaked long-lived token is as good as a password.",
    ),
    (
        &[Reason::IatMissing, Reason::IatFuture],
        "issuance time is missing or in the future: token age cannot be judged (RFC 9068 §2.2 requires iat).",
    ),
    (
        &[Reason::NotYetValid],
        "a token before its nbf was accepted.",
    ),
    (
        &[Reason::IssMismatch],
        "a token from another issuer was accepted: any issuer trusted for the same keys can mint tokens for this service (prefix or case-insensitive matches included).",
    ),
    (
        &[Reason::AudMissing, Reason::AudMismatch],
        "a token for another audience was accepted: a token minted for one service is replayed against another (RFC 8725 §3.9).",
    ),
    (
        &[
            Reason::SubMissing,
            Reason::ClientIdMissing,
            Reason::JtiMissing,
        ],
        "a claim RFC 9068 §2.2 requires was absent and the token was accepted anyway.",
    ),
    (
        &[Reason::TokenTypeMismatch],
        "a token of another category was accepted.",
    ),
    (
        &[Reason::JtiReplayed],
        "a one-time token was accepted again: a captured token can be replayed although the verifier was configured to refuse it.",
    ),
    (
        &[Reason::SessionRevoked, Reason::SessionVersionStale],
        "a token of a revoked session (or of a session version logged out) was accepted: logout and revocation do not take effect.",
    ),
    (
        &[
            Reason::ReplayCacheUnavailable,
            Reason::SessionLookupUnavailable,
            Reason::SessionVersionLookupUnavailable,
        ],
        "the store a configured check needs was down and the token was accepted anyway: the verifier fails open.",
    ),
    (
        &[
            Reason::SubFormatInvalid,
            Reason::AccountTypeInvalid,
            Reason::CapsShapeInvalid,
            Reason::ScopesShapeInvalid,
            Reason::ScopesTooLong,
            Reason::DlgDepthInvalid,
            Reason::AdminBandRejected,
            Reason::UnknownClaim,
        ],
        UNREFUSED,
    ),
    (
        &[Reason::KidAmbiguous],
        "a token without kid was verified by one of several keys the set holds for its algorithm: which key vouches for it is the library's guess (OIDC Core §10.1).",
    ),
    (
        &[Reason::KeyAlgMismatch],
        "a key was used with an algorithm outside its family, or against its JWK alg member: the classic RS256-to-HS256 confusion signs with the public key as an HMAC secret (RFC 8725 §3.1).",
    ),
    (
        &[Reason::KeyTooWeak],
        "a key too weak for its algorithm (an RSA modulus under 2048 bits, an HMAC secret shorter than the hash) verified the token: such keys can be broken or guessed (RFC 7518 §3.2, §3.3).",
    ),
    (
        &[Reason::AudUntrusted],
        "an ID token naming an audience the client does not trust was accepted: a token minted for a party that shares the client's audience list is replayed against it (OIDC Core §3.1.3.7).",
    ),
    (
        &[Reason::ClaimMissing],
        "a claim the profile requires was absent and the token was accepted anyway.",
    ),
    (
        &[Reason::AzpMismatch],
        "an ID token issued to another authorized party was accepted: a token obtained by one client is used at another (OIDC Core §3.1.3.7).",
    ),
    (
        &[Reason::NonceMismatch],
        "an ID token without the configured nonce, or with another one, was accepted: a captured ID token can be replayed into a new login (OIDC Core §3.1.3.7).",
    ),
];

/// Why loading a key set or profile that must be refused matters, by config-error code.
pub const CODES: &[(&[ConfigCode], &str)] = &[
    (
        &[ConfigCode::KeyDuplicateKid],
        "two keys share a kid: which one verifies depends on the library's lookup order, so a retired or foreign key can keep verifying, and the operator's mistake is never reported.",
    ),
    (
        &[ConfigCode::KeyPrivateMember],
        "private key material in a public key set was loaded without complaint: whoever can read the set can sign tokens; a verifier should refuse it loudly.",
    ),
    (
        &[ConfigCode::KeyWrongKty, ConfigCode::KeyWrongCrv],
        "a key of another type or curve was loaded for an algorithm it does not serve: the set does not mean what the operator thinks, and cross-algorithm confusion becomes possible.",
    ),
    (
        &[
            ConfigCode::KeyNotOnCurve,
            ConfigCode::KeyBadCoordinate,
            ConfigCode::KeyBadRsaParams,
            ConfigCode::KeyBadSecret,
        ],
        "an invalid public key (off the curve, the identity, a coordinate of the wrong length or encoding) was loaded: invalid-curve attacks and undefined verification behaviour start at load time.",
    ),
    (
        &[ConfigCode::KeyMissingKid],
        "a key without a usable kid was loaded: tokens are matched by kid, so the key is unreachable or matched by accident.",
    ),
    (
        &[
            ConfigCode::KeyWrongUse,
            ConfigCode::KeyWrongKeyOps,
            ConfigCode::KeyWrongAlg,
        ],
        "a key restricted to another use, operation or algorithm (RFC 7517 §4.2–4.4) was accepted for verification: the issuer's restriction is ignored.",
    ),
    (
        &[
            ConfigCode::MissingIssuer,
            ConfigCode::MissingAudience,
            ConfigCode::MissingClientId,
            ConfigCode::MissingAlgorithms,
            ConfigCode::UnsupportedAlgorithms,
            ConfigCode::InvalidProfile,
        ],
        "the library builds a verifier without the issuer, audience, client or algorithms its preset requires, or with an algorithm it does not implement: a loosely configured verifier accepts tokens meant for others.",
    ),
    (
        &[
            ConfigCode::JwksTooLarge,
            ConfigCode::JwksNotJson,
            ConfigCode::JwksDuplicateMember,
            ConfigCode::JwksNotAKeySet,
            ConfigCode::JwksEmpty,
            ConfigCode::JwksTooManyKeys,
            ConfigCode::KeyNotAnObject,
            ConfigCode::NoKeys,
            ConfigCode::MissingStore,
        ],
        MALFORMED_SET,
    ),
];

/// The row of `REASONS` or `CODES` naming `key`.
fn row<K: PartialEq + Copy>(table: &[(&[K], &'static str)], key: K) -> Option<&'static str> {
    table
        .iter()
        .find(|(keys, _)| keys.contains(&key))
        .map(|(_, why)| *why)
}

/// Why a failure on a vector expecting this outcome matters.
pub fn why_it_matters(expected: &ExpectedSummary) -> &'static str {
    match (expected.verdict, &expected.reason) {
        (Verdict::Accept, _) => FALSE_REJECT,
        (Verdict::ConfigError, Some(Cause::Code(Id::Known(code)))) => {
            row(CODES, *code).unwrap_or(MALFORMED_SET)
        }
        (Verdict::ConfigError, _) => MALFORMED_SET,
        (Verdict::Reject, Some(Cause::Reason(Id::Known(reason)))) => {
            row(REASONS, *reason).unwrap_or(UNREFUSED)
        }
        (Verdict::Reject, _) => UNREFUSED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every catalog reason and code has one row of its own.
    #[test]
    fn every_reason_and_code_has_exactly_one_row() {
        for &reason in Reason::ALL {
            let rows = REASONS
                .iter()
                .filter(|(rs, _)| rs.contains(&reason))
                .count();
            assert_eq!(rows, 1, "{reason}");
        }
        for &code in ConfigCode::ALL {
            let rows = CODES.iter().filter(|(cs, _)| cs.contains(&code)).count();
            assert_eq!(rows, 1, "{code}");
        }
        let expired = ExpectedSummary {
            verdict: Verdict::Reject,
            reason: Some(Reason::Expired.into()),
        };
        assert_eq!(
            why_it_matters(&expired),
            "an expired token was accepted: stolen tokens stay usable."
        );
    }
}
