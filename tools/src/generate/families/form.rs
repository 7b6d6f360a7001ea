//! Form: JWS compact serialization only (segment counts, JSON serialization, JWE, bytes).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use corpus::vector::{Severity, TokenSpec};
use serde_json::json;
use verifier::Reason;

use super::{Family, rej};
use crate::generate::{Case, Draft};

fn raw(
    name: &str,
    description: &str,
    reason: Reason,
    token: impl Fn(&Draft) -> Vec<u8> + 'static,
) -> Case {
    Case::new(name, description, rej(reason), move |d| {
        let bytes = token(d);
        d.token = Some(Draft::bytes_token(&bytes));
    })
}

/// Turns a compact token into the bytes under test.
type Mangle = fn(String) -> Vec<u8>;

fn segments(d: &Draft) -> Vec<String> {
    d.compact().split('.').map(str::to_owned).collect()
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

pub fn family() -> Family {
    let mut f = Family::new("form", Severity::Must, &["RFC 7515 §7.1", "RFC 8725 §3.11"]);
    for n in [1usize, 2, 4, 6, 7] {
        f.add(raw(
            &format!("segments-{n}"),
            &format!("{n} segments"),
            Reason::NotJwsCompact,
            move |d| {
                let s = segments(d);
                let mut parts: Vec<String> = s.iter().cycle().take(n).cloned().collect();
                if n == 1 {
                    parts = vec![s[0].clone()];
                }
                parts.join(".").into_bytes()
            },
        ));
    }
    f.add(
        raw(
            "segments-5-jws-extended",
            "a valid JWS with two more segments is read as JWE",
            Reason::JwePayload,
            |d| format!("{}.AAAA.AAAA", d.compact()).into_bytes(),
        )
        .notes("five segments is JWE by form: jwe_payload"),
    );
    f.add(raw(
        "empty",
        "the empty string",
        Reason::NotJwsCompact,
        |_| Vec::new(),
    ));
    f.add(raw(
        "one-dot",
        "a single dot",
        Reason::NotJwsCompact,
        |_| b".".to_vec(),
    ));
    f.add(
        raw(
            "two-dots",
            "two dots: three empty segments",
            Reason::HeaderUnparseable,
            |_| b"..".to_vec(),
        )
        .notes("three segments: the empty header is unparseable"),
    );
    f.add(raw(
        "three-dots",
        "three dots",
        Reason::NotJwsCompact,
        |_| b"...".to_vec(),
    ));
    f.add(raw(
        "four-dots",
        "four dots: five empty segments",
        Reason::JwePayload,
        |_| b"....".to_vec(),
    ));
    f.add(
        raw(
            "many-dots-4000",
            "4000 dots within the size cap",
            Reason::NotJwsCompact,
            |_| vec![b'.'; 4000],
        )
        .refs(&["CVE-2025-30204", "CVE-2025-27144"]),
    );
    f.add(raw(
        "trailing-dot",
        "valid token followed by a dot",
        Reason::NotJwsCompact,
        |d| format!("{}.", d.compact()).into_bytes(),
    ));
    f.add(raw(
        "leading-dot",
        "a dot before a valid token",
        Reason::NotJwsCompact,
        |d| format!(".{}", d.compact()).into_bytes(),
    ));
    let bytes_cases: [(&str, &str, Mangle); 12] = [
        ("leading-space", "a space before the token", |t| {
            format!(" {t}").into_bytes()
        }),
        ("trailing-space", "a space after the token", |t| {
            format!("{t} ").into_bytes()
        }),
        ("trailing-newline", "a newline after the token", |t| {
            format!("{t}\n").into_bytes()
        }),
        ("trailing-crlf", "CRLF after the token", |t| {
            format!("{t}\r\n").into_bytes()
        }),
        (
            "bearer-prefix",
            "the Authorization header value, not the token",
            |t| format!("Bearer {t}").into_bytes(),
        ),
        ("inner-space", "a space inside the payload segment", |t| {
            t.replacen('.', ". ", 1).into_bytes()
        }),
        ("inner-tab", "a tab between segments", |t| {
            t.replacen('.', ".\t", 1).into_bytes()
        }),
        ("line-folded", "a newline in the middle of a segment", |t| {
            let mut b = t.into_bytes();
            b.insert(10, b'\n');
            b
        }),
        ("nul-terminated", "a NUL byte after the token", |t| {
            [t.as_bytes(), b"\0"].concat()
        }),
        ("nul-inside", "a NUL byte inside the signature", |t| {
            let mut b = t.into_bytes();
            let at = b.len() - 5;
            b.insert(at, 0);
            b
        }),
        (
            "non-ascii-utf8",
            "a UTF-8 letter inside the payload segment",
            |t| t.replacen('.', ".é", 1).into_bytes(),
        ),
        (
            "utf8-bom-prefix",
            "a UTF-8 byte-order mark before the token",
            |t| [&[0xef, 0xbb, 0xbf][..], t.as_bytes()].concat(),
        ),
    ];
    for (name, description, make) in bytes_cases {
        f.add(raw(name, description, Reason::NotJwsCompact, move |d| {
            make(d.compact())
        }));
    }
    f.add(raw(
        "invalid-utf8-byte",
        "a 0xFF byte inside the header segment",
        Reason::NotJwsCompact,
        |d| {
            let mut b = d.compact().into_bytes();
            b.insert(4, 0xff);
            b
        },
    ));
    f.add(
        raw(
            "json-flattened",
            "JWS JSON flattened serialization of a validly signed token",
            Reason::JwsJsonRejected,
            |d| {
                let s = segments(d);
                json!({"protected": s[0], "payload": s[1], "signature": s[2]})
                    .to_string()
                    .into_bytes()
            },
        )
        .refs(&["RFC 7515 §7.2.2", "seed 003 M31"]),
    );
    f.add(
        raw(
            "json-general",
            "JWS JSON general serialization of a validly signed token",
            Reason::JwsJsonRejected,
            |d| {
                let s = segments(d);
                json!({"payload": s[1], "signatures": [{"protected": s[0], "signature": s[2]}]})
                    .to_string()
                    .into_bytes()
            },
        )
        .refs(&["RFC 7515 §7.2.1", "seed 003 M31"]),
    );
    f.add(raw(
        "json-leading-whitespace",
        "JWS JSON after leading whitespace",
        Reason::JwsJsonRejected,
        |d| {
            let s = segments(d);
            format!(
                "\n  {}",
                json!({"protected": s[0], "payload": s[1], "signature": s[2]})
            )
            .into_bytes()
        },
    ));
    f.add(raw(
        "json-empty-object",
        "an empty JSON object",
        Reason::JwsJsonRejected,
        |_| b"{}".to_vec(),
    ));
    f.add(raw("json-polyglot", "JSON whose member name is a compact token (CVE-2022-39227 polyglot)", Reason::JwsJsonRejected, |d| {
        let s = segments(d);
        let forged = forge::b64(json!({"iss": forge::ISSUER, "sub": "admin"}).to_string());
        format!("{{\"  {}.{}.  \":\"\",\"protected\":\"{}\",\"payload\":\"{}\",\"signature\":\"{}\"}}", s[0], forged, s[0], s[1], s[2]).into_bytes()
    }).refs(&["CVE-2022-39227"]).flags(&["Polyglot"]));
    f.add(raw(
        "json-array",
        "a JSON array of segments",
        Reason::NotJwsCompact,
        |d| json!(segments(d)).to_string().into_bytes(),
    ));
    let jwe_cases = [
        (
            "jwe-rsa-oaep-256",
            json!({"alg": "RSA-OAEP-256", "enc": "A256GCM", "typ": "at+jwt", "kid": "primary"}),
            256,
        ),
        (
            "jwe-ecdh-es-a256kw",
            json!({"alg": "ECDH-ES+A256KW", "enc": "A256GCM", "epk": {"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}}),
            40,
        ),
        (
            "jwe-dir",
            json!({"alg": "dir", "enc": "A128CBC-HS256", "kid": "primary"}),
            0,
        ),
        (
            "jwe-zip-deflate",
            json!({"alg": "A256KW", "enc": "A256GCM", "zip": "DEF"}),
            40,
        ),
        (
            "jwe-nested-jwt",
            json!({"alg": "RSA-OAEP", "enc": "A256GCM", "cty": "JWT"}),
            256,
        ),
        ("jwe-alg-none", json!({"alg": "none", "enc": "A256GCM"}), 0),
    ];
    for (name, header, key_len) in jwe_cases {
        f.add(
            raw(
                name,
                "a JWE compact token (five segments)",
                Reason::JwePayload,
                move |_| jwe(header.clone(), key_len),
            )
            .refs(&["RFC 7516 §7.1", "seed 003 M15"]),
        );
    }
    f.add(Case::new(
        "token-base64-form",
        "a token given only in its byte form",
        rej(Reason::NotJwsCompact),
        |d| {
            d.token = Some(TokenSpec::Base64(
                STANDARD.encode([0xc3, 0x28, b'.', b'.', 0xa0, 0xa1]),
            ));
        },
    ));
    f
}
