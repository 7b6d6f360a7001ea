//! Form: a JWT is a JWS in compact serialization, three base64url segments (RFC 7519 §1,
//! RFC 7515 §3.1, §5.2).
//!
//! A wrong segment count, or a character inside a segment, fails RFC 7515 §5.2: binding. A JWE
//! cannot be decrypted with no key configured, so accepting one accepts unverified content:
//! binding. Whitespace around the token (which an HTTP stack strips) and the JWS JSON
//! serialization of a token the pinned key signed forge nothing: the strict profile. A polyglot
//! that two parsers read differently is the CVE-2022-39227 attack.

use corpus::vector::Acceptable;
use corpus::vector::Severity::{self, Must, Profile};
use serde_json::json;
use verifier::Reason::{
    self, HeaderUnparseable, JwePayload, JwsJsonRejected, NotJwsCompact, PayloadUnparseable,
    SignatureInvalid,
};

use super::{Family, rej};
use crate::generate::{Draft, Mutation, Row, accept, any_reject, reject_for};

/// Not three segments: nothing to validate the signature of.
const SEGMENTS: &[&str] = &["RFC7515-5.2-signature", "RFC7515-3-compact", "PROFILE-FORM"];
/// A character inside a segment that base64url decoding must refuse.
const INSIDE: &[&str] = &["RFC7515-5.2-b64", "PROFILE-FORM"];
/// Bytes around the token, outside every segment.
const AROUND: &[&str] = &["PROFILE-FORM", "RFC7515-3-compact"];
/// The JWS JSON serialization.
const JSON_SERIALIZATION: &[&str] = &["M31", "RFC7519-1-compact", "RFC7515-7.2-json-serialization"];
/// A JWE: no decryption key is configured, and there is no JWS signature to validate.
const JWE: &[&str] = &["RFC9068-4-signature", "RFC9068-4-encrypted", "M15"];

const AROUND_WHY: &str = "The bytes are outside the compact serialization (HTTP strips whitespace \
                          around a field value, a line reader drops the line end, JavaScript's \
                          trim() also removes a byte order mark), so trimming them forges nothing; \
                          the strict profile refuses them.";
const INSIDE_WHY: &str = "RFC 7515 §5.2 decodes each segment \"following the restriction that no \
                          line breaks, whitespace, or other additional characters have been \
                          used\"; the character is inside the token, not around it.";

/// The baseline token.
fn compact() -> String {
    Draft::default().compact()
}

/// The baseline token's three segments.
fn segments() -> Vec<String> {
    compact().split('.').map(str::to_owned).collect()
}

/// A row whose token is exactly these bytes.
fn raw(
    name: &str,
    description: &str,
    bytes: &[u8],
    expect: Reason,
    severity: Severity,
    basis: &[&str],
    acceptable: &[Acceptable],
) -> Row {
    Row::new(
        name,
        description,
        Mutation::Token(Draft::bytes_token(bytes)),
        rej(expect),
        severity,
        basis,
    )
    .acceptable(acceptable)
}

fn jwe(header: serde_json::Value, key_len: usize) -> Vec<u8> {
    let parts = [
        forge::b64(header.to_string()),
        forge::b64(vec![0x5a; key_len]),
        forge::b64([0x11u8; 12]),
        forge::b64(b"ciphertext of an access token"),
        forge::b64([0x22u8; 16]),
    ];
    parts.join(".").into_bytes()
}

/// Wrong segment counts and empty segments.
fn counts() -> Vec<Row> {
    let s = segments();
    let t = compact();
    let mut rows: Vec<Row> = [1usize, 2, 4, 6, 7]
        .into_iter()
        .map(|n| {
            let parts: Vec<String> = s.iter().cycle().take(n).cloned().collect();
            // Past one segment, a parser that splits at the first two dots finds a signature
            // segment that is missing or holds a dot.
            let other: &[Acceptable] = if n == 1 {
                &[]
            } else {
                &[reject_for(SignatureInvalid)]
            };
            raw(
                &format!("segments-{n}"),
                &format!("{n} segments"),
                parts.join(".").as_bytes(),
                NotJwsCompact,
                Must,
                SEGMENTS,
                other,
            )
        })
        .collect();
    let empty_header = [reject_for(HeaderUnparseable)];
    rows.extend([
        raw(
            "segments-5-jws-extended",
            "a valid JWS with two more segments is read as JWE",
            format!("{t}.AAAA.AAAA").as_bytes(),
            JwePayload,
            Must,
            &[SEGMENTS, &["M15"]].concat(),
            &[reject_for(NotJwsCompact)],
        )
        .notes(
            "five segments is JWE by form: jwe_payload; a verifier that reads the header first \
             finds a JWS header and five segments: not_jws_compact",
        ),
        raw(
            "empty",
            "the empty string",
            b"",
            NotJwsCompact,
            Must,
            SEGMENTS,
            &[],
        ),
        raw(
            "one-dot",
            "a single dot",
            b".",
            NotJwsCompact,
            Must,
            SEGMENTS,
            &empty_header,
        ),
        raw(
            "two-dots",
            "two dots: three empty segments",
            b"..",
            HeaderUnparseable,
            Must,
            &["RFC7515-5.2-json", "PROFILE-FORM"],
            &[reject_for(NotJwsCompact)],
        )
        .notes("three segments: the empty header is unparseable"),
        raw(
            "three-dots",
            "three dots",
            b"...",
            NotJwsCompact,
            Must,
            SEGMENTS,
            &empty_header,
        ),
        raw(
            "four-dots",
            "four dots: five empty segments",
            b"....",
            JwePayload,
            Must,
            &["RFC7515-5.2-json", "RFC7515-3-compact", "M15"],
            &[reject_for(NotJwsCompact), reject_for(HeaderUnparseable)],
        )
        .notes("five segments is JWE by form, whatever the bytes"),
        raw(
            "many-dots-4000",
            "4000 dots within the size cap",
            &[b'.'; 4000],
            NotJwsCompact,
            Must,
            &[SEGMENTS, &["RFC7515-5.2-json", "CVE-2025-30204"]].concat(),
            &empty_header,
        )
        .refs(&["CVE-2025-27144"])
        .notes("the attack is the allocation a split makes (availability); the rejection is binding because there is no JWS"),
        raw(
            "trailing-dot",
            "valid token followed by a dot",
            format!("{t}.").as_bytes(),
            NotJwsCompact,
            Must,
            SEGMENTS,
            &[reject_for(SignatureInvalid)],
        ),
        raw(
            "leading-dot",
            "a dot before a valid token",
            format!(".{t}").as_bytes(),
            NotJwsCompact,
            Must,
            SEGMENTS,
            &empty_header,
        ),
    ]);
    rows
}

/// Bytes around the token, and bytes inside it.
fn bytes() -> Vec<Row> {
    let t = compact();
    // Around the token: a transport or a trim() may remove them.
    let around: [(&str, &str, Vec<u8>, &[Acceptable]); 6] = [
        (
            "leading-space",
            "a space before the token",
            format!(" {t}").into_bytes(),
            &[reject_for(HeaderUnparseable), reject_for(SignatureInvalid)],
        ),
        (
            "trailing-space",
            "a space after the token",
            format!("{t} ").into_bytes(),
            &[reject_for(SignatureInvalid)],
        ),
        (
            "trailing-newline",
            "a newline after the token",
            format!("{t}\n").into_bytes(),
            &[reject_for(SignatureInvalid)],
        ),
        (
            "trailing-crlf",
            "CRLF after the token",
            format!("{t}\r\n").into_bytes(),
            &[reject_for(SignatureInvalid)],
        ),
        (
            "utf8-bom-prefix",
            "a UTF-8 byte-order mark before the token",
            [&[0xef, 0xbb, 0xbf][..], t.as_bytes()].concat(),
            &[reject_for(HeaderUnparseable), reject_for(SignatureInvalid)],
        ),
        (
            "bearer-prefix",
            "the Authorization header value, not the token",
            format!("Bearer {t}").into_bytes(),
            &[reject_for(HeaderUnparseable)],
        ),
    ];
    let mut rows: Vec<Row> = around
        .into_iter()
        .map(|(name, description, bytes, other)| {
            let row = raw(
                name,
                description,
                &bytes,
                NotJwsCompact,
                Profile,
                AROUND,
                &[accept()],
            )
            .acceptable(other);
            if name == "bearer-prefix" {
                row.rationale(
                    "The Bearer scheme belongs to the Authorization header (RFC 6750 §2.1); a \
                     verifier that strips it acts as the transport and accepts only what the \
                     pinned key signed, while the strict profile wants the token alone.",
                )
            } else {
                row.rationale(AROUND_WHY)
            }
        })
        .collect();
    // Inside the token, after signing: skipping the byte also fails the signature, unless the
    // byte is in the signature segment.
    let payload_side = [reject_for(PayloadUnparseable), reject_for(SignatureInvalid)];
    let header_side = [reject_for(HeaderUnparseable), reject_for(SignatureInvalid)];
    let signature_side = [reject_for(SignatureInvalid)];
    let mut nul_inside = t.clone().into_bytes();
    nul_inside.insert(t.len() - 5, 0);
    let mut folded = t.clone().into_bytes();
    folded.insert(10, b'\n');
    let mut ff = t.clone().into_bytes();
    ff.insert(4, 0xff);
    let mut sig_newline = t.clone().into_bytes();
    sig_newline.insert(t.len() - 20, b'\n');
    let inside: [(&str, &str, Vec<u8>, &[Acceptable]); 8] = [
        (
            "inner-space",
            "a space inside the payload segment",
            t.replacen('.', ". ", 1).into_bytes(),
            &payload_side,
        ),
        (
            "inner-tab",
            "a tab between segments",
            t.replacen('.', ".\t", 1).into_bytes(),
            &payload_side,
        ),
        (
            "line-folded",
            "a newline in the middle of a segment",
            folded,
            &header_side,
        ),
        (
            "nul-terminated",
            "a NUL byte after the token",
            [t.as_bytes(), b"\0"].concat(),
            &signature_side,
        ),
        (
            "nul-inside",
            "a NUL byte inside the signature",
            nul_inside,
            &signature_side,
        ),
        (
            "signature-inner-newline",
            "a newline inside the signature segment (a decoder that skips whitespace still verifies)",
            sig_newline,
            &signature_side,
        ),
        (
            "non-ascii-utf8",
            "a UTF-8 letter inside the payload segment",
            t.replacen('.', ".é", 1).into_bytes(),
            &payload_side,
        ),
        (
            "invalid-utf8-byte",
            "a 0xFF byte inside the header segment",
            ff,
            &header_side,
        ),
    ];
    rows.extend(inside.into_iter().map(|(name, description, bytes, other)| {
        let row = raw(
            name,
            description,
            &bytes,
            NotJwsCompact,
            Must,
            INSIDE,
            other,
        );
        if name == "nul-terminated" {
            row.rationale(
                "A NUL is no whitespace any trim() removes: in a length-delimited input \
                         it is an additional character in the signature segment, which RFC 7515 \
                         §5.2 decoding must refuse.",
            )
        } else {
            row.rationale(INSIDE_WHY)
        }
    }));
    rows.push(raw(
        "token-base64-form",
        "bytes that are not UTF-8 (C3 28 . . A0 A1), given in the byte form",
        &[0xc3, 0x28, b'.', b'.', 0xa0, 0xa1],
        NotJwsCompact,
        Must,
        INSIDE,
        &[reject_for(HeaderUnparseable)],
    ));
    rows
}

/// The JWS JSON serialization, JSON documents, and a polyglot.
fn json_forms() -> Vec<Row> {
    let s = segments();
    let flattened = json!({"protected": s[0], "payload": s[1], "signature": s[2]});
    let compact_only = [reject_for(NotJwsCompact)];
    let serialization = |name: &str, description: &str, bytes: String| {
        raw(
            name,
            description,
            bytes.as_bytes(),
            JwsJsonRejected,
            Profile,
            JSON_SERIALIZATION,
            &compact_only,
        )
        .rationale(
            "RFC 7519 §1 makes a JWT compact, but this JWS JSON serialization carries a signature \
             by the pinned key, so a JOSE library that verifies it forges nothing; refusing it is \
             the strict profile (M31).",
        )
    };
    let forged = forge::b64(json!({"iss": forge::ISSUER, "sub": "admin"}).to_string());
    let polyglot = format!(
        "{{\"  {}.{}.  \":\"\",\"protected\":\"{}\",\"payload\":\"{}\",\"signature\":\"{}\"}}",
        s[0], forged, s[0], s[1], s[2]
    );
    vec![
        serialization(
            "json-flattened",
            "JWS JSON flattened serialization of a validly signed token",
            flattened.to_string(),
        ),
        serialization(
            "json-general",
            "JWS JSON general serialization of a validly signed token",
            json!({"payload": s[1], "signatures": [{"protected": s[0], "signature": s[2]}]})
                .to_string(),
        ),
        serialization(
            "json-leading-whitespace",
            "JWS JSON after leading whitespace",
            format!("\n  {flattened}"),
        ),
        raw(
            "json-empty-object",
            "an empty JSON object",
            b"{}",
            JwsJsonRejected,
            Must,
            &["RFC7515-5.2-signature", "M31"],
            &[any_reject()],
        )
        .notes("no signature in any serialization: any rejection conforms"),
        raw(
            "json-polyglot",
            "JSON whose member name is a compact token (CVE-2022-39227 polyglot)",
            polyglot.as_bytes(),
            JwsJsonRejected,
            Must,
            &["CVE-2022-39227", "RFC7519-1-compact", "M31"],
            &compact_only,
        )
        .flags(&["Polyglot"])
        .rationale(
            "One parser reads a signed JWS JSON object, another a compact token whose payload \
             the pinned key never signed (CVE-2022-39227); a JWT verifier must not accept input \
             that two parsers read differently.",
        )
        .notes(
            "a JWS JSON verifier that returns the signed payload forges nothing, but a verdict \
             cannot tell it from one that returns the member name's payload",
        ),
        raw(
            "json-array",
            "a JSON array of segments",
            json!(s).to_string().as_bytes(),
            NotJwsCompact,
            Must,
            INSIDE,
            &[reject_for(JwsJsonRejected)],
        ),
    ]
}

/// JWE compact tokens: five segments, no decryption key.
fn jwes() -> Vec<Row> {
    let cases = [
        (
            "jwe-rsa-oaep-256",
            "RSA-OAEP-256 with A256GCM",
            json!({"alg": "RSA-OAEP-256", "enc": "A256GCM", "typ": "at+jwt", "kid": "primary"}),
            256,
        ),
        (
            "jwe-ecdh-es-a256kw",
            "ECDH-ES+A256KW with an ephemeral key",
            json!({"alg": "ECDH-ES+A256KW", "enc": "A256GCM", "epk": {"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}}),
            40,
        ),
        (
            "jwe-dir",
            "direct encryption, an empty encrypted key",
            json!({"alg": "dir", "enc": "A128CBC-HS256", "kid": "primary"}),
            0,
        ),
        (
            "jwe-zip-deflate",
            "A256KW with DEFLATE compression",
            json!({"alg": "A256KW", "enc": "A256GCM", "zip": "DEF"}),
            40,
        ),
        (
            "jwe-nested-jwt",
            "RSA-OAEP around a nested JWT (cty JWT)",
            json!({"alg": "RSA-OAEP", "enc": "A256GCM", "cty": "JWT"}),
            256,
        ),
        (
            "jwe-alg-none",
            "alg none, an empty encrypted key",
            json!({"alg": "none", "enc": "A256GCM"}),
            0,
        ),
    ];
    cases
        .into_iter()
        .map(|(name, what, header, key_len)| {
            raw(
                name,
                &format!("a JWE compact token (five segments): {what}"),
                &jwe(header, key_len),
                JwePayload,
                Must,
                JWE,
                &[any_reject()],
            )
            .notes("no decryption key is configured: any rejection conforms")
        })
        .collect()
}

pub fn family() -> Family {
    let mut rows = counts();
    rows.extend(bytes());
    rows.extend(json_forms());
    rows.extend(jwes());
    Family::table("form", rows)
}
