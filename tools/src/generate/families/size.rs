//! Size: the cap is checked before any other work (M34; CVE-2025-30204 many dots).

use corpus::vector::{Piece, Severity, TokenSpec};
use serde_json::json;
use verifier::Reason;

use super::{Family, rej, set_claim, set_hdr};
use crate::generate::{Case, Draft, Expect};

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

fn recipe(pieces: Vec<Piece>) -> Option<TokenSpec> {
    Some(TokenSpec::Recipe(pieces))
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

pub fn family() -> Family {
    let mut f = Family::new(
        "size",
        Severity::Profile,
        &["seed 003 M34", "RFC 8725 §3.x (DoS)"],
    );
    f.add(Case::new(
        "exactly-8192-accepted",
        "a valid token of exactly 8192 bytes",
        Expect::Accept,
        |d| pad_to(d, 8192),
    ));
    f.add(Case::new(
        "8193-rejected",
        "a valid token of 8193 bytes",
        rej(Reason::OversizedToken),
        |d| pad_to(d, 8193),
    ));
    f.add(Case::new(
        "16k-signed",
        "a validly signed 16 KiB token",
        rej(Reason::OversizedToken),
        |d| pad_to(d, 16384),
    ));
    f.add(
        Case::new(
            "1mib-garbage",
            "1 MiB of base64url characters",
            rej(Reason::OversizedToken),
            |d| {
                d.token = recipe(vec![repeat("A", 1 << 20)]);
            },
        )
        .refs(&["CVE-2025-27144"]),
    );
    f.add(
        Case::new(
            "1mib-dots",
            "1 MiB of dots",
            rej(Reason::OversizedToken),
            |d| {
                d.token = recipe(vec![repeat(".", 1 << 20)]);
            },
        )
        .refs(&["CVE-2025-30204"])
        .severity(Severity::Must),
    );
    f.add(Case::new(
        "1mib-after-valid-header",
        "a real header followed by 1 MiB of payload",
        rej(Reason::OversizedToken),
        |d| {
            let header = forge::b64(d.header_bytes());
            d.token = recipe(vec![
                text(&format!("{header}.")),
                repeat("eyJhIjoi", 1 << 17),
                text(".AAAA"),
            ]);
        },
    ));
    f.add(
        Case::new(
            "8mib-json-serialization",
            "8 MiB JWS JSON document",
            rej(Reason::OversizedToken),
            |d| {
                d.token = recipe(vec![
                    text("{\"payload\":\""),
                    repeat("A", 8 << 20),
                    text("\",\"signatures\":[]}"),
                ]);
            },
        )
        .notes("size is checked before form: oversized wins over jws_json_rejected"),
    );
    f.add(
        Case::new(
            "oversized-alg-none",
            "an 8193-byte token that is also alg none",
            rej(Reason::OversizedToken),
            |d| {
                set_hdr(d, "alg", json!("none"));
                pad_to(d, 8193);
            },
        )
        .notes("size is the first stage: oversized_token wins over alg_none"),
    );
    f.add(Case::new(
        "profile-cap-256",
        "a profile capped at 256 bytes and a longer valid token",
        rej(Reason::OversizedToken),
        |d| {
            d.profile.max_token_bytes = 256;
        },
    ));
    f.add(
        Case::new(
            "1mib-deep-nesting-header",
            "a header of 1 MiB nested arrays",
            rej(Reason::OversizedToken),
            |d| {
                d.token = recipe(vec![repeat("W1tb", 1 << 18), text(".e30.AAAA")]);
            },
        )
        .notes("base64url of '[[[' repeated: rejected on length before any decoding"),
    );
    f
}
