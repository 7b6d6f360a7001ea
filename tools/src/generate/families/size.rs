//! Size: the cap is checked before any other work (M34; CVE-2025-30204 many dots).
//!
//! A token's size bound is the profile's resource limit (RFC 8259 §9 lets an implementation set
//! one): an oversized token that is otherwise valid is a profile rejection. An oversized input
//! that is no valid token at all must be rejected whatever the bound, so it is binding, with the
//! reason a verifier without the bound gives as acceptable.

use corpus::vector::Severity::{Must, Profile};
use corpus::vector::{Piece, TokenSpec};
use serde_json::json;
use verifier::Reason::{
    AlgNone, HeaderUnparseable, JwsJsonRejected, NotJwsCompact, OversizedToken, PayloadUnparseable,
    SignatureInvalid,
};

use super::{Family, rej, set_claim, set_hdr};
use crate::generate::{Draft, Expect, Mutation, Row, all_of, custom, hdr, reject_for};

/// The profile's size bound.
const LIMIT: &[&str] = &["M34", "PROFILE-LIMITS", "RFC8259-9-limits"];

const OVERSIZED_VALID: &str = "RFC 8259 §9 lets an implementation bound the size of what it \
                               accepts, and no RFC sets the bound, so rejecting this validly \
                               signed token is the profile's limit (M34), not a MUST.";

/// Pads the payload with a claim so the signed token is exactly `len` bytes.
pub fn pad_to(d: &mut Draft, len: usize) {
    pad_at_least(d, len);
    // A base64url length is never 1 mod 4; lengthen the kid by one byte if needed.
    if d.compact().len() != len {
        set_hdr(d, "kid", json!("primary2"));
        d.jwks = forge::jwks(&[("primary2", &forge::key(forge::KID))]);
        pad_at_least(d, len);
    }
    assert_eq!(
        d.compact().len(),
        len,
        "could not pad the token to {len} bytes"
    );
}

/// Sets the shortest `pad` claim that makes the token at least `len` bytes. The token's length
/// grows monotonically with the pad (the signature's length is fixed), so the search starts at
/// the arithmetic estimate and walks to the boundary instead of signing every length.
fn pad_at_least(d: &mut Draft, len: usize) {
    let token_len = |d: &mut Draft, pad: usize| {
        set_claim(d, "pad", json!("p".repeat(pad)));
        d.compact().len()
    };
    let base = token_len(d, 0);
    let mut pad = len.saturating_sub(base) * 3 / 4;
    while pad > 0 && token_len(d, pad - 1) >= len {
        pad -= 1;
    }
    while token_len(d, pad) < len {
        pad += 1;
    }
}

/// A token given as a recipe of pieces.
fn recipe(pieces: Vec<Piece>) -> Mutation {
    Mutation::Token(TokenSpec::Recipe(pieces))
}

fn text(s: &str) -> Piece {
    Piece::Text { text: s.to_owned() }
}

fn repeat(s: &str, count: usize) -> Piece {
    Piece::Repeat {
        repeat: s.to_owned(),
        count,
    }
}

/// A valid token padded to `len` bytes.
fn padded(len: usize) -> Mutation {
    custom(move |d| pad_to(d, len))
}

pub fn family() -> Family {
    let header = forge::b64(forge::header().to_string());
    Family::table(
        "size",
        vec![
            Row::new(
                "exactly-8192-accepted",
                "a valid token of exactly 8192 bytes",
                padded(8192),
                Expect::Accept,
                Profile,
                LIMIT,
            ),
            Row::new(
                "8193-rejected",
                "a valid token of 8193 bytes",
                padded(8193),
                rej(OversizedToken),
                Profile,
                LIMIT,
            )
            .rationale(OVERSIZED_VALID),
            Row::new(
                "16k-signed",
                "a validly signed 16 KiB token",
                padded(16384),
                rej(OversizedToken),
                Profile,
                LIMIT,
            )
            .rationale(OVERSIZED_VALID),
            Row::new(
                "profile-cap-256",
                "a profile capped at 256 bytes and a longer valid token",
                custom(|d| d.profile.max_token_bytes = 256),
                rej(OversizedToken),
                Profile,
                LIMIT,
            ),
            Row::new(
                "1mib-garbage",
                "1 MiB of base64url characters",
                recipe(vec![repeat("A", 1 << 20)]),
                rej(OversizedToken),
                Must,
                &[LIMIT, &["RFC7515-5.2-signature", "RFC7515-3-compact"]].concat(),
            )
            .acceptable(&[reject_for(NotJwsCompact)])
            .refs(&["CVE-2025-27144"])
            .notes("one segment: no JWS whatever the size bound"),
            Row::new(
                "1mib-dots",
                "1 MiB of dots",
                recipe(vec![repeat(".", 1 << 20)]),
                rej(OversizedToken),
                Must,
                &[
                    LIMIT,
                    &["RFC7515-5.2-json", "RFC7515-3-compact", "CVE-2025-30204"],
                ]
                .concat(),
            )
            .acceptable(&[reject_for(NotJwsCompact), reject_for(HeaderUnparseable)])
            .notes(
                "the attack is the allocation a split makes (availability); the rejection is \
                 binding because there is no JWS, and the size bound makes it cheap",
            ),
            Row::new(
                "1mib-after-valid-header",
                "a real header followed by 1 MiB of payload",
                recipe(vec![
                    text(&format!("{header}.")),
                    repeat("eyJhIjoi", 1 << 17),
                    text(".AAAA"),
                ]),
                rej(OversizedToken),
                Must,
                &[LIMIT, &["RFC7518-3.4-es256"]].concat(),
            )
            .acceptable(&[reject_for(SignatureInvalid), reject_for(PayloadUnparseable)])
            .notes("the 3-octet signature AAAA is no ES256 signature whatever the size bound"),
            Row::new(
                "8mib-json-serialization",
                "8 MiB JWS JSON document",
                recipe(vec![
                    text("{\"payload\":\""),
                    repeat("A", 8 << 20),
                    text("\",\"signatures\":[]}"),
                ]),
                rej(OversizedToken),
                Must,
                &[LIMIT, &["RFC7515-5.2-signature", "M31"]].concat(),
            )
            .acceptable(&[reject_for(JwsJsonRejected)])
            .notes(
                "size is checked before form: oversized wins over jws_json_rejected; with no \
                 signature at all it is rejected whatever the size bound",
            ),
            Row::new(
                "oversized-alg-none",
                "an 8193-byte token that is also alg none",
                all_of([hdr("alg", json!("none")), padded(8193)]),
                rej(OversizedToken),
                Must,
                &[LIMIT, &["RFC9068-4-signature", "RFC7518-3.6-none"]].concat(),
            )
            .acceptable(&[reject_for(AlgNone)])
            .notes("size is the first stage: oversized_token wins over alg_none"),
            Row::new(
                "1mib-deep-nesting-header",
                "a header of 1 MiB nested arrays",
                recipe(vec![repeat("W1tb", 1 << 18), text(".e30.AAAA")]),
                rej(OversizedToken),
                Must,
                &[LIMIT, &["RFC7515-5.2-json"]].concat(),
            )
            .acceptable(&[reject_for(HeaderUnparseable), reject_for(SignatureInvalid)])
            .notes(
                "base64url of '[[[' repeated: rejected on length before any decoding; the arrays \
                 never close, so the header is no JSON object whatever the size bound",
            ),
        ],
    )
}
