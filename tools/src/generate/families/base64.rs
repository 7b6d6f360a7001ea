//! Base64url (RFC 7515 §2, §5.2): padding, the standard alphabet, non-canonical trailing bits,
//! bad lengths, characters outside any base64 alphabet. Tokens are re-signed over the exact bytes
//! they carry (unless a row says otherwise), so the encoding is the only defect.
//!
//! A segment that no base64 decoder can read (a character outside every alphabet, a `=` before
//! the end, a length of 4k+1) fails RFC 7515 §5.2's decoding step: binding. Padding, the `+`/`/`
//! alphabet and non-zero trailing bits decode, under the signature, to the signed bytes: only the
//! strict profile (M33) refuses them.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE};
use corpus::vector::Severity::{Must, Profile};
use corpus::vector::{Acceptable, TokenSpec};
use serde_json::json;
use verifier::Reason::{
    self, HeaderUnparseable, JwsJsonRejected, LaxBase64, NotJwsCompact, PayloadUnparseable,
    SignatureInvalid,
};

use super::{Family, rej, set_claim, sign_segments};
use crate::generate::{Draft, Row, accept, custom, reject_for};

/// Padding or the standard alphabet: base64, but not base64url as RFC 7515 §2 defines it.
const LAX: &[&str] = &["M33", "RFC7515-2-base64url"];
/// Why a 4k+1-character segment is a binding rejection.
const LENGTH_4K_PLUS_1_WHY: &str = "No base64 encoding is 4k+1 characters long (the last \
                                    character would carry no whole octet), so decoding fails, and \
                                    RFC 7515 §5.2 makes that a failed validation although the \
                                    signature covers the segment.";
/// Non-zero pad bits: RFC 4648 §3.5 lets a decoder reject them (MAY).
const NON_CANONICAL: &[&str] = &["M33", "RFC7515-2-base64url", "RFC4648-3.5-canonical"];
/// A segment no base64 decoder reads: RFC 7515 §5.2's decoding step fails.
const UNDECODABLE: &[&str] = &["RFC7515-5.2-b64", "PROFILE-FORM"];

const LAX_WHY: &str = "RFC 7515 §2 defines base64url without padding and with the URL-safe \
                       alphabet, but these characters decode to the signed bytes under a signature \
                       that covers them, so a lenient decoder forges nothing; refusing them is the \
                       strict profile (M33).";
const TRAILING_WHY: &str = "RFC 4648 §3.5 lets a decoder reject non-zero pad bits (\"decoders MAY \
                            chose to reject\"), so ignoring them conforms; the strict profile \
                            rejects them because they let one token be spelled several ways.";
const EXTRA_CHAR_WHY: &str = "RFC 7515 §5.2 decodes each segment \"following the restriction that \
                              no line breaks, whitespace, or other additional characters have \
                              been used\", so a decoder that skips the character breaks a MUST \
                              even where the signature still verifies.";

/// The segment a row changes.
#[derive(Clone, Copy)]
enum Seg {
    Header,
    Payload,
    Signature,
}

impl Seg {
    /// What a strict decoder of this segment says.
    fn strict(self) -> Reason {
        match self {
            Seg::Header => HeaderUnparseable,
            Seg::Payload => PayloadUnparseable,
            Seg::Signature => SignatureInvalid,
        }
    }

    /// Other reasons for a character inserted after signing: a strict decoder names the
    /// segment; a decoder that skips the character fails the signature over the segment as
    /// received.
    fn garbled(self) -> [Acceptable; 2] {
        [reject_for(self.strict()), reject_for(SignatureInvalid)]
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Sets the trailing (unused) bits of the last character of a base64url segment.
fn dirty_tail(segment: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = segment.as_bytes().to_vec();
    let last = bytes.len() - 1;
    let value = ALPHABET.iter().position(|&c| c == bytes[last]).unwrap_or(0);
    bytes[last] = ALPHABET[value | 1];
    String::from_utf8(bytes).unwrap_or_default()
}

/// A claims set whose encoding contains both `-` and `_`, so the standard alphabet differs.
fn url_special(d: &mut Draft) {
    set_claim(d, "note", json!("??>>~~ÿÿ"));
}

/// The token from these segments: signed over exactly them, or with this signature segment.
fn token(d: &mut Draft, header: String, payload: String, signature: Option<String>) {
    let t = match signature {
        None => sign_segments(&header, &payload, forge::KID),
        Some(sig) => format!("{header}.{payload}.{sig}"),
    };
    d.token = Some(TokenSpec::Text(t));
}

/// The draft's canonical segments and the signature over them.
fn segs(d: &Draft) -> (String, String, [u8; 64]) {
    let h = forge::b64(d.header_bytes());
    let p = forge::b64(d.payload_bytes());
    let sig = forge::es256(&forge::key(forge::KID), format!("{h}.{p}").as_bytes());
    (h, p, sig)
}

/// Builds a row's token from the baseline draft.
type Build = fn(&mut Draft);

/// Padding and the standard alphabet: `lax_base64`.
fn lax() -> Vec<Row> {
    let rows: [(&str, &str, Seg, Build); 6] = [
        (
            "header-padded",
            "header segment with = padding",
            Seg::Header,
            |d| {
                let (_, p, _) = segs(d);
                token(d, URL_SAFE.encode(d.header_bytes()), p, None);
            },
        ),
        (
            "payload-padded",
            "payload segment with = padding",
            Seg::Payload,
            |d| {
                for i in 0..3 {
                    set_claim(d, "x", json!("a".repeat(i)));
                    let p = URL_SAFE.encode(d.payload_bytes());
                    if p.ends_with('=') {
                        let (h, _, _) = segs(d);
                        token(d, h, p, None);
                        return;
                    }
                }
            },
        ),
        (
            "signature-padded",
            "signature segment with == padding",
            Seg::Signature,
            |d| {
                let (h, p, sig) = segs(d);
                token(d, h, p, Some(URL_SAFE.encode(sig)));
            },
        ),
        (
            "payload-standard-alphabet",
            "payload in the standard alphabet (+ and /)",
            Seg::Payload,
            |d| {
                url_special(d);
                let (h, _, _) = segs(d);
                token(d, h, STANDARD_NO_PAD.encode(d.payload_bytes()), None);
            },
        ),
        (
            "header-standard-alphabet",
            "header in the standard alphabet",
            Seg::Header,
            |d| {
                let (_, p, _) = segs(d);
                for kid in ["?>?>", "a?>?>", "ab?>?>"] {
                    let h = STANDARD_NO_PAD
                        .encode(json!({"alg": "ES256", "kid": kid, "typ": "at+jwt"}).to_string());
                    if h.contains(['+', '/']) {
                        d.jwks = forge::jwks(&[(kid, &forge::key(forge::KID))]);
                        token(d, h, p, None);
                        return;
                    }
                }
            },
        ),
        (
            "signature-standard-alphabet",
            "signature bytes in the standard alphabet",
            Seg::Signature,
            |d| {
                // Find a payload whose signature encodes with '-' or '_'.
                for i in 0..64 {
                    set_claim(d, "n", json!(i));
                    let (h, p, sig) = segs(d);
                    let std = STANDARD_NO_PAD.encode(sig);
                    if std.contains(['+', '/']) {
                        token(d, h, p, Some(std));
                        return;
                    }
                }
            },
        ),
    ];
    rows.into_iter()
        .map(|(name, description, seg, build)| {
            Row::new(
                name,
                description,
                custom(build),
                rej(LaxBase64),
                Profile,
                LAX,
            )
            .acceptable(&[reject_for(seg.strict()), reject_for(NotJwsCompact)])
            .rationale(LAX_WHY)
        })
        .collect()
}

/// Non-zero trailing bits: the segment decodes, but not canonically.
fn trailing_bits() -> Vec<Row> {
    let rows: [(&str, &str, Seg, Build); 3] = [
        (
            "header-trailing-bits",
            "header with non-zero trailing bits (non-canonical)",
            Seg::Header,
            |d| {
                d.header_raw = Some(br#"{"alg":"ES256","typ":"at+jwt","kid":"primary" }"#.to_vec());
                let (h, p, _) = segs(d);
                assert!(h.len() % 4 != 0, "header needs trailing bits");
                token(d, dirty_tail(&h), p, None);
            },
        ),
        (
            "payload-trailing-bits",
            "signed payload with non-zero trailing bits",
            Seg::Payload,
            |d| {
                for i in 0..4 {
                    set_claim(d, "x", json!("y".repeat(i)));
                    let (h, p, _) = segs(d);
                    if p.len() % 4 != 0 {
                        token(d, h, dirty_tail(&p), None);
                        return;
                    }
                }
            },
        ),
        (
            "signature-trailing-bits",
            "signature with non-zero trailing bits",
            Seg::Signature,
            |d| {
                let (h, p, sig) = segs(d);
                token(d, h, p, Some(dirty_tail(&forge::b64(sig))));
            },
        ),
    ];
    rows.into_iter()
        .map(|(name, description, seg, build)| {
            let row = Row::new(
                name,
                description,
                custom(build),
                rej(seg.strict()),
                Profile,
                NON_CANONICAL,
            )
            .acceptable(&[accept()])
            .flags(&["Malleability"])
            .rationale(TRAILING_WHY);
            match seg {
                Seg::Payload => row.notes(
                    "the signature covers the non-canonical segment, so only decoding can catch it",
                ),
                _ => row,
            }
        })
        .collect()
}

/// Segments no base64 decoder reads, and segments that decode to no JSON or no signature.
fn undecodable() -> Vec<Row> {
    let mut rows = vec![
        Row::new(
            "padding-in-middle",
            "a = inside the payload segment",
            custom(|d| {
                let (h, p, _) = segs(d);
                token(d, h, format!("{}={}", &p[..8], &p[8..]), None);
            }),
            rej(LaxBase64),
            Must,
            &[UNDECODABLE, &["M33"]].concat(),
        )
        .acceptable(&[reject_for(PayloadUnparseable), reject_for(NotJwsCompact)])
        .rationale(
            "A = before the end of a segment is padding in no base64 alphabet, and RFC 7515 §5.2 \
             decodes \"following the restriction that no … other additional characters have been \
             used\", so a decoder that skips it breaks a MUST although the signature covers it.",
        ),
        Row::new(
            "header-length-4k-plus-1",
            "header segment of length 4k+1",
            custom(|d| {
                let (h, p, _) = segs(d);
                let h = if h.len() % 4 == 0 {
                    format!("{h}A")
                } else {
                    format!("{h}{}", "A".repeat(5 - h.len() % 4))
                };
                token(d, h, p, None);
            }),
            rej(HeaderUnparseable),
            Must,
            UNDECODABLE,
        )
        .rationale(LENGTH_4K_PLUS_1_WHY),
        Row::new(
            "payload-length-4k-plus-1",
            "signed payload segment of length 4k+1",
            custom(|d| {
                let (h, p, _) = segs(d);
                let p = format!("{p}{}", "A".repeat((5 - p.len() % 4) % 4));
                assert_eq!(p.len() % 4, 1);
                token(d, h, p, None);
            }),
            rej(PayloadUnparseable),
            Must,
            UNDECODABLE,
        )
        .rationale(LENGTH_4K_PLUS_1_WHY),
        Row::new(
            "signature-87-chars",
            "signature segment of 87 characters: the 86-character signature plus 'A', 65 octets \
             where ES256 has 64",
            custom(|d| {
                let (h, p, sig) = segs(d);
                token(d, h, p, Some(format!("{}A", forge::b64(sig))));
            }),
            rej(SignatureInvalid),
            Must,
            &["RFC7518-3.4-es256", "RFC7515-5.2-signature"],
        )
        // The 65 octets are the genuine 64 and a zero.
        .flags(&["Malleability"]),
        Row::new(
            "header-empty",
            "empty header segment",
            custom(|d| {
                let (_, p, _) = segs(d);
                token(d, String::new(), p, None);
            }),
            rej(HeaderUnparseable),
            Must,
            &["RFC7515-5.2-json"],
        )
        .acceptable(&[reject_for(NotJwsCompact)]),
        Row::new(
            "payload-empty",
            "empty payload segment, validly signed",
            custom(|d| {
                let (h, _, _) = segs(d);
                token(d, h, String::new(), None);
            }),
            rej(PayloadUnparseable),
            Must,
            &["RFC7519-7.2-json"],
        ),
        Row::new(
            "header-double-encoded",
            "header base64url-encoded twice",
            custom(|d| {
                let (h, p, _) = segs(d);
                token(d, forge::b64(h), p, None);
            }),
            rej(HeaderUnparseable),
            Must,
            &["RFC7515-5.2-json"],
        ),
        Row::new(
            "payload-double-encoded",
            "payload base64url-encoded twice, validly signed",
            custom(|d| {
                let (h, p, _) = segs(d);
                token(d, h, forge::b64(p), None);
            }),
            rej(PayloadUnparseable),
            Must,
            &["RFC7519-7.2-json"],
        ),
        Row::new(
            "header-plain-json",
            "raw JSON text instead of base64url in the header",
            custom(|d| {
                let (_, p, sig) = segs(d);
                d.token = Some(TokenSpec::Text(format!(
                    "{}.{p}.{}",
                    d.header,
                    forge::b64(sig)
                )));
            }),
            rej(JwsJsonRejected),
            Must,
            &["RFC7515-5.2-b64", "RFC7515-3-compact", "M31"],
        )
        .acceptable(&[reject_for(NotJwsCompact), reject_for(HeaderUnparseable)])
        .notes(
            "input starting with '{' is a JSON document: jws_json_rejected; a verifier that \
             splits it first finds characters outside base64url",
        ),
    ];
    // The character is inserted after signing: the signature covers the segment without it.
    let chars: [(&str, char, Seg); 12] = [
        ("star-header", '*', Seg::Header),
        ("bang-payload", '!', Seg::Payload),
        ("tilde-signature", '~', Seg::Signature),
        ("percent-payload", '%', Seg::Payload),
        ("backslash-header", '\\', Seg::Header),
        ("quote-signature", '"', Seg::Signature),
        ("colon-payload", ':', Seg::Payload),
        ("brace-signature", '{', Seg::Signature),
        ("bracket-payload", '[', Seg::Payload),
        ("backtick-header", '`', Seg::Header),
        ("at-sign-signature", '@', Seg::Signature),
        ("caret-payload", '^', Seg::Payload),
    ];
    rows.extend(chars.into_iter().map(|(name, ch, seg)| {
        Row::new(
            format!("invalid-char-{name}"),
            format!("{ch:?} inside segment {}", seg.index()),
            custom(move |d| {
                let (h, p, sig) = segs(d);
                let mut parts = [h, p, forge::b64(sig)];
                parts[seg.index()].insert(4, ch);
                d.token = Some(TokenSpec::Text(parts.join(".")));
            }),
            rej(NotJwsCompact),
            Must,
            UNDECODABLE,
        )
        .acceptable(&seg.garbled())
        .rationale(EXTRA_CHAR_WHY)
    }));
    rows
}

pub fn family() -> Family {
    let mut rows = lax();
    rows.extend(trailing_bits());
    rows.extend(undecodable());
    Family::table("base64", rows)
}
