//! JSON interoperability (JSONTestSuite, RFC 8259, RFC 7515 §5.2): duplicate members, encodings,
//! nesting, trailing data and non-objects, in header and (validly signed) payload.

use corpus::vector::Severity;
use verifier::Reason;

use super::{Family, nested, rej};
use crate::generate::{Case, Draft};

const HEADER: &str = r#""alg":"ES256","typ":"at+jwt","kid":"primary""#;

/// Builds a payload from the baseline claims' members (without braces).
type PayloadFn = fn(&str) -> Vec<u8>;

fn claims_body(d: &Draft) -> String {
    let text = d.claims.to_string();
    text[1..text.len() - 1].to_owned()
}

fn header(name: &str, description: &str, reason: Reason, raw: Vec<u8>) -> Case {
    Case::new(name, description, rej(reason), move |d| {
        d.header_raw = Some(raw.clone())
    })
}

fn payload(name: &str, description: &str, reason: Reason, make: PayloadFn) -> Case {
    Case::new(name, description, rej(reason), move |d| {
        let body = claims_body(d);
        d.payload_raw = Some(make(&body));
    })
}

pub fn family() -> Family {
    let mut f = Family::new("json", Severity::Must, &["RFC 8259", "RFC 7515 §5.2"]);
    let dup = |s: &str| format!("{{{HEADER},{s}}}").into_bytes();
    let dups: [(&str, &str, String); 6] = [
        (
            "header-dup-alg-same",
            "alg twice with the same value",
            r#""alg":"ES256""#.into(),
        ),
        (
            "header-dup-alg-none-last",
            "alg twice, none last",
            r#""alg":"none""#.into(),
        ),
        ("header-dup-kid", "kid twice", r#""kid":"other""#.into()),
        ("header-dup-typ", "typ twice", r#""typ":"JWT""#.into()),
        (
            "header-dup-escaped-alg",
            "alg twice, once as \\u0061lg",
            r#""\u0061lg":"none""#.into(),
        ),
        (
            "header-dup-escaped-kid",
            "kid twice, once as \\u006bid",
            r#""\u006bid":"attacker""#.into(),
        ),
    ];
    for (name, description, extra) in dups {
        f.add(header(name, description, Reason::DuplicateJsonKeys, dup(&extra)).severity(Severity::Profile).refs(&["RFC 7515 §4", "seed 003 M32"]).flags(&["DuplicateKey"]).notes("RFC 7515 §4 allows reject-or-last-wins; the profile rejects, and a last-wins parser behind a first-wins one is the smuggling attack"));
    }
    // Past the handful of members a valid header has: a parser that tracks only the first few
    // names (or switches to another structure beyond them) must still see the repeat.
    let extras = (0..12)
        .map(|i| format!("\"x{i}\":{i}"))
        .collect::<Vec<_>>()
        .join(",");
    let many: [(&str, &str, String); 2] = [
        (
            "header-dup-alg-after-many",
            "alg repeated as none after twelve other members",
            format!("{extras},\"alg\":\"none\""),
        ),
        (
            "header-dup-among-many",
            "two of fourteen extra members share a name, both past the twelfth member",
            format!("{extras},\"y\":1,\"y\":2"),
        ),
    ];
    for (name, description, extra) in many {
        f.add(
            header(name, description, Reason::DuplicateJsonKeys, dup(&extra))
                .severity(Severity::Profile)
                .refs(&["RFC 7515 §4", "seed 003 M32"])
                .flags(&["DuplicateKey"])
                .notes(
                    "duplicate detection runs before header parameter rules, at any member count",
                ),
        );
    }
    f.add(
        header(
            "header-dup-nested",
            "a duplicate inside a nested header object",
            Reason::DuplicateJsonKeys,
            format!("{{{HEADER},\"jwk\":{{\"kty\":\"EC\",\"kty\":\"oct\"}}}}").into_bytes(),
        )
        .severity(Severity::Profile)
        .notes("duplicate detection runs before header parameter rules"),
    );
    let payload_dups: [(&str, &str, PayloadFn); 7] = [
        (
            "payload-dup-exp",
            "exp twice, the later far in the past",
            |b| format!("{{{b},\"exp\":1}}").into_bytes(),
        ),
        ("payload-dup-aud", "aud twice", |b| {
            format!("{{{b},\"aud\":\"https://other.example\"}}").into_bytes()
        }),
        ("payload-dup-sub", "sub twice", |b| {
            format!("{{{b},\"sub\":\"admin\"}}").into_bytes()
        }),
        ("payload-dup-iss", "iss twice", |b| {
            format!("{{{b},\"iss\":\"https://attacker.example\"}}").into_bytes()
        }),
        (
            "payload-dup-escaped-exp",
            "exp twice, once as \\u0065xp",
            |b| format!("{{{b},\"\\u0065xp\":1}}").into_bytes(),
        ),
        (
            "payload-dup-nested",
            "a duplicate inside a nested claim object",
            |b| format!("{{{b},\"ext\":{{\"role\":\"user\",\"role\":\"admin\"}}}}").into_bytes(),
        ),
        (
            "payload-dup-in-array-object",
            "a duplicate inside an object in an array",
            |b| format!("{{{b},\"l\":[{{\"a\":1,\"a\":2}}]}}").into_bytes(),
        ),
    ];
    for (name, description, make) in payload_dups {
        f.add(
            payload(name, description, Reason::DuplicateJsonKeys, make)
                .severity(Severity::Profile)
                .refs(&["RFC 7519 §4", "seed 003 M32"])
                .flags(&["DuplicateKey"]),
        );
    }
    let header_bad: [(&str, &str, Vec<u8>); 19] = [
        (
            "header-bom",
            "UTF-8 BOM before the header JSON",
            [&[0xef, 0xbb, 0xbf][..], format!("{{{HEADER}}}").as_bytes()].concat(),
        ),
        (
            "header-invalid-utf8",
            "an invalid UTF-8 byte in a header string",
            [format!("{{{HEADER},\"x\":\"").as_bytes(), &[0xff], b"\"}"].concat(),
        ),
        (
            "header-overlong-utf8",
            "an overlong UTF-8 encoding of '/'",
            [
                format!("{{{HEADER},\"x\":\"").as_bytes(),
                &[0xc0, 0xaf],
                b"\"}",
            ]
            .concat(),
        ),
        (
            "header-lone-high-surrogate",
            "a lone high surrogate escape in kid",
            br#"{"alg":"ES256","typ":"at+jwt","kid":"\ud888"}"#.to_vec(),
        ),
        (
            "header-lone-low-surrogate",
            "a lone low surrogate escape",
            br#"{"alg":"ES256","typ":"at+jwt","kid":"\udc00x"}"#.to_vec(),
        ),
        (
            "header-nested-17",
            "a header nested one level past the bound",
            format!("{{{HEADER},\"x\":{}}}", nested(16, "1")).into_bytes(),
        ),
        (
            "header-nested-500",
            "a header nested 500 deep",
            format!("{{{HEADER},\"x\":{}}}", nested(500, "1")).into_bytes(),
        ),
        (
            "header-trailing-garbage",
            "text after the header object",
            format!("{{{HEADER}}}x").into_bytes(),
        ),
        (
            "header-two-objects",
            "two header objects",
            format!("{{{HEADER}}}{{}}").into_bytes(),
        ),
        (
            "header-trailing-comma",
            "a trailing comma",
            format!("{{{HEADER},}}").into_bytes(),
        ),
        (
            "header-block-comment",
            "a block comment",
            format!("{{/*c*/{HEADER}}}").into_bytes(),
        ),
        (
            "header-line-comment",
            "a line comment",
            format!("{{{HEADER}//c\n}}").into_bytes(),
        ),
        (
            "header-single-quotes",
            "single-quoted strings",
            b"{'alg':'ES256','typ':'at+jwt','kid':'primary'}".to_vec(),
        ),
        (
            "header-unquoted-keys",
            "unquoted member names",
            b"{alg:\"ES256\",typ:\"at+jwt\",kid:\"primary\"}".to_vec(),
        ),
        (
            "header-array",
            "a header that is an array",
            br#"["ES256","at+jwt","primary"]"#.to_vec(),
        ),
        (
            "header-string",
            "a header that is a string",
            br#""ES256""#.to_vec(),
        ),
        ("header-null", "a header that is null", b"null".to_vec()),
        (
            "header-raw-control",
            "a raw control character inside a string",
            format!("{{{HEADER},\"x\":\"a\u{1}b\"}}").into_bytes(),
        ),
        (
            "header-truncated",
            "a truncated header object",
            format!("{{{HEADER}").into_bytes(),
        ),
    ];
    for (name, description, raw) in header_bad {
        f.add(header(name, description, Reason::HeaderUnparseable, raw));
    }
    f.add(
        header(
            "header-empty-object",
            "an empty header object",
            Reason::AlgNone,
            b"{}".to_vec(),
        )
        .notes("a well-formed header without alg: alg_none"),
    );
    f.add(
        header(
            "header-case-variant-member",
            "ALG beside alg is a distinct member",
            Reason::HeaderExtraParam,
            format!("{{{HEADER},\"ALG\":\"none\"}}").into_bytes(),
        )
        .severity(Severity::Profile)
        .notes("member names are case-sensitive: not a duplicate, but outside the allowlist"),
    );
    let payload_bad: [(&str, &str, PayloadFn); 22] = [
        ("payload-bom", "UTF-8 BOM before the payload JSON", |b| {
            [&[0xef, 0xbb, 0xbf][..], format!("{{{b}}}").as_bytes()].concat()
        }),
        (
            "payload-invalid-utf8",
            "an invalid UTF-8 byte in a claim",
            |b| [format!("{{{b},\"x\":\"").as_bytes(), &[0xff], b"\"}"].concat(),
        ),
        (
            "payload-overlong-utf8",
            "an overlong UTF-8 sequence in a claim",
            |b| {
                [
                    format!("{{{b},\"x\":\"").as_bytes(),
                    &[0xe0, 0x80, 0xaf],
                    b"\"}",
                ]
                .concat()
            },
        ),
        ("payload-latin1", "a Latin-1 byte in a claim", |b| {
            [format!("{{{b},\"x\":\"caf").as_bytes(), &[0xe9], b"\"}"].concat()
        }),
        (
            "payload-lone-high-surrogate",
            "a lone high surrogate escape in a claim",
            |b| format!("{{{b},\"x\":\"\\ud888\"}}").into_bytes(),
        ),
        (
            "payload-lone-low-surrogate",
            "a lone low surrogate escape",
            |b| format!("{{{b},\"x\":\"\\udc00\"}}").into_bytes(),
        ),
        (
            "payload-reversed-surrogates",
            "a low surrogate before a high one",
            |b| format!("{{{b},\"x\":\"\\udc00\\ud800\"}}").into_bytes(),
        ),
        (
            "payload-nested-17",
            "a claim nested one level past the bound",
            |b| format!("{{{b},\"x\":{}}}", nested(16, "1")).into_bytes(),
        ),
        ("payload-nested-1000", "a claim nested 1000 deep", |b| {
            format!("{{{b},\"x\":{}}}", nested(1000, "1")).into_bytes()
        }),
        (
            "payload-trailing-garbage",
            "text after the payload object",
            |b| format!("{{{b}}}x").into_bytes(),
        ),
        ("payload-two-objects", "two payload objects", |b| {
            format!("{{{b}}}{{\"sub\":\"admin\"}}").into_bytes()
        }),
        ("payload-trailing-comma", "a trailing comma", |b| {
            format!("{{{b},}}").into_bytes()
        }),
        ("payload-comment", "a comment", |b| {
            format!("{{{b}/* admin */}}").into_bytes()
        }),
        ("payload-nan", "NaN as a claim value", |b| {
            format!("{{{b},\"x\":NaN}}").into_bytes()
        }),
        ("payload-infinity", "Infinity as a claim value", |b| {
            format!("{{{b},\"x\":Infinity}}").into_bytes()
        }),
        (
            "payload-leading-zero",
            "a number with a leading zero",
            |b| format!("{{{b},\"x\":0123}}").into_bytes(),
        ),
        ("payload-plus-sign", "a number with a plus sign", |b| {
            format!("{{{b},\"x\":+1}}").into_bytes()
        }),
        (
            "payload-huge-float",
            "a float beyond the double range",
            |b| format!("{{{b},\"x\":1e400}}").into_bytes(),
        ),
        ("payload-array", "a payload that is an array", |_| {
            b"[]".to_vec()
        }),
        ("payload-string", "a payload that is a JSON string", |_| {
            br#""eyJzdWIiOiJhZG1pbiJ9""#.to_vec()
        }),
        ("payload-number", "a payload that is a number", |_| {
            b"1".to_vec()
        }),
        ("payload-null", "a payload that is null", |_| {
            b"null".to_vec()
        }),
    ];
    for (name, description, make) in payload_bad {
        f.add(
            payload(name, description, Reason::PayloadUnparseable, make).refs(&["JSONTestSuite"]),
        );
    }
    f.add(payload(
        "payload-true",
        "a payload that is true",
        Reason::PayloadUnparseable,
        |_| b"true".to_vec(),
    ));
    f.add(
        payload(
            "payload-nested-token",
            "a payload that is itself a compact JWS",
            Reason::PayloadUnparseable,
            |_| b"eyJhbGciOiJFUzI1NiJ9.e30.AAAA".to_vec(),
        )
        .refs(&["seed 003 M14"])
        .notes("a nested JWS without cty is still not a claims object"),
    );
    f
}
