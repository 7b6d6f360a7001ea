//! Base64 malleability: padding, the standard alphabet, non-canonical trailing bits, bad lengths,
//! characters outside the alphabet. Tokens are re-signed over the exact bytes they carry, so the
//! encoding is the only defect.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE};
use corpus::vector::{Severity, TokenSpec};
use serde_json::json;
use verifier::Reason;

use super::{Family, rej, set_claim, sign_segments};
use crate::generate::{Case, Draft};

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

fn token(d: &mut Draft, header: String, payload: String, signature: Option<String>) {
    let t = match signature {
        None => sign_segments(&header, &payload, forge::KID),
        Some(sig) => format!("{header}.{payload}.{sig}"),
    };
    d.token = Some(TokenSpec::Text(t));
}

fn segs(d: &Draft) -> (String, String, [u8; 64]) {
    let h = forge::b64(d.header_bytes());
    let p = forge::b64(d.payload_bytes());
    let sig = forge::es256(&forge::key(forge::KID), format!("{h}.{p}").as_bytes());
    (h, p, sig)
}

fn case(name: &str, description: &str, reason: Reason, f: impl Fn(&mut Draft) + 'static) -> Case {
    Case::new(name, description, rej(reason), f)
}

pub fn family() -> Family {
    let mut f = Family::new(
        "base64",
        Severity::Must,
        &["RFC 7515 §2", "RFC 7515 §3", "seed 003 M33"],
    );
    f.add(case(
        "header-padded",
        "header segment with = padding",
        Reason::LaxBase64,
        |d| {
            let (_, p, _) = segs(d);
            token(d, URL_SAFE.encode(d.header_bytes()), p, None);
        },
    ));
    f.add(case(
        "payload-padded",
        "payload segment with = padding",
        Reason::LaxBase64,
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
    ));
    f.add(case(
        "signature-padded",
        "signature segment with == padding",
        Reason::LaxBase64,
        |d| {
            let (h, p, sig) = segs(d);
            token(d, h, p, Some(URL_SAFE.encode(sig)));
        },
    ));
    f.add(case(
        "payload-standard-alphabet",
        "payload in the standard alphabet (+ and /)",
        Reason::LaxBase64,
        |d| {
            url_special(d);
            let (h, _, _) = segs(d);
            token(d, h, STANDARD_NO_PAD.encode(d.payload_bytes()), None);
        },
    ));
    f.add(case(
        "header-standard-alphabet",
        "header in the standard alphabet",
        Reason::LaxBase64,
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
    ));
    f.add(case(
        "signature-standard-alphabet",
        "signature bytes in the standard alphabet",
        Reason::LaxBase64,
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
    ));
    f.add(case(
        "padding-in-middle",
        "a = inside the payload segment",
        Reason::LaxBase64,
        |d| {
            let (h, p, _) = segs(d);
            token(d, h, format!("{}={}", &p[..8], &p[8..]), None);
        },
    ));
    f.add(
        case(
            "header-trailing-bits",
            "header with non-zero trailing bits (non-canonical)",
            Reason::HeaderUnparseable,
            |d| {
                d.header_raw = Some(br#"{"alg":"ES256","typ":"at+jwt","kid":"primary" }"#.to_vec());
                let (h, p, _) = segs(d);
                assert!(h.len() % 4 != 0, "header needs trailing bits");
                token(d, dirty_tail(&h), p, None);
            },
        )
        .refs(&["RFC 4648 §3.5"])
        .flags(&["Malleability"]),
    );
    f.add(
        case(
            "payload-trailing-bits",
            "signed payload with non-zero trailing bits",
            Reason::PayloadUnparseable,
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
        )
        .refs(&["RFC 4648 §3.5"])
        .flags(&["Malleability"])
        .notes("the signature covers the non-canonical segment, so only decoding can catch it"),
    );
    f.add(
        case(
            "signature-trailing-bits",
            "signature with non-zero trailing bits",
            Reason::SignatureInvalid,
            |d| {
                let (h, p, sig) = segs(d);
                token(d, h, p, Some(dirty_tail(&forge::b64(sig))));
            },
        )
        .refs(&["RFC 4648 §3.5"])
        .flags(&["Malleability"]),
    );
    f.add(case(
        "header-length-4k-plus-1",
        "header segment of length 4k+1",
        Reason::HeaderUnparseable,
        |d| {
            let (h, p, _) = segs(d);
            let h = if h.len() % 4 == 0 {
                format!("{h}A")
            } else {
                format!("{h}{}", "A".repeat(5 - h.len() % 4))
            };
            token(d, h, p, None);
        },
    ));
    f.add(case(
        "payload-length-4k-plus-1",
        "signed payload segment of length 4k+1",
        Reason::PayloadUnparseable,
        |d| {
            let (h, p, _) = segs(d);
            let p = format!("{p}{}", "A".repeat((5 - p.len() % 4) % 4));
            assert_eq!(p.len() % 4, 1);
            token(d, h, p, None);
        },
    ));
    f.add(case(
        "signature-87-chars",
        "signature segment one character long",
        Reason::SignatureInvalid,
        |d| {
            let (h, p, sig) = segs(d);
            token(d, h, p, Some(format!("{}A", forge::b64(sig))));
        },
    ));
    for (name, ch, seg) in [
        ("star-header", '*', 0usize),
        ("bang-payload", '!', 1),
        ("tilde-signature", '~', 2),
        ("percent-payload", '%', 1),
        ("backslash-header", '\\', 0),
        ("quote-signature", '"', 2),
        ("colon-payload", ':', 1),
        ("brace-signature", '{', 2),
        ("bracket-payload", '[', 1),
        ("backtick-header", '`', 0),
        ("at-sign-signature", '@', 2),
        ("caret-payload", '^', 1),
    ] {
        f.add(case(
            &format!("invalid-char-{name}"),
            &format!("{ch:?} inside segment {seg}"),
            Reason::NotJwsCompact,
            move |d| {
                let (h, p, sig) = segs(d);
                let mut parts = [h, p, forge::b64(sig)];
                parts[seg].insert(4, ch);
                d.token = Some(TokenSpec::Text(parts.join(".")));
            },
        ));
    }
    f.add(case(
        "header-empty",
        "empty header segment",
        Reason::HeaderUnparseable,
        |d| {
            let (_, p, _) = segs(d);
            token(d, String::new(), p, None);
        },
    ));
    f.add(case(
        "payload-empty",
        "empty payload segment, validly signed",
        Reason::PayloadUnparseable,
        |d| {
            let (h, _, _) = segs(d);
            token(d, h, String::new(), None);
        },
    ));
    f.add(case(
        "header-double-encoded",
        "header base64url-encoded twice",
        Reason::HeaderUnparseable,
        |d| {
            let (h, p, _) = segs(d);
            token(d, forge::b64(h), p, None);
        },
    ));
    f.add(case(
        "payload-double-encoded",
        "payload base64url-encoded twice, validly signed",
        Reason::PayloadUnparseable,
        |d| {
            let (h, p, _) = segs(d);
            token(d, h, forge::b64(p), None);
        },
    ));
    f.add(
        case(
            "header-plain-json",
            "raw JSON text instead of base64url in the header",
            Reason::JwsJsonRejected,
            |d| {
                let (_, p, sig) = segs(d);
                d.token = Some(TokenSpec::Text(format!(
                    "{}.{p}.{}",
                    d.header,
                    forge::b64(sig)
                )));
            },
        )
        .notes("input starting with '{' is a JSON document: jws_json_rejected"),
    );
    f
}
