//! Algorithm pinning (RFC 8725 §3.1, RFC 7515 §4.1.1): `none` in every casing, other families,
//! near-misses. `alg` is a case-sensitive string that MUST be understood; a value that is not
//! exactly an allowed algorithm names no algorithm the verifier may use, even over a genuine
//! ES256 signature by the pinned key. Every row is binding.
//!
//! The catalogue splits "not allowed" by family (M01–M05); a verifier that only keeps an
//! allowlist reports `alg_not_allowed` for all of them, so that reason is acceptable throughout.

use corpus::vector::Severity::Must;
use serde_json::{Value, json};
use verifier::Reason::{
    self, AlgEcdsaRejected, AlgHmacRejected, AlgNone, AlgNotAllowed, AlgRsaRejected, HeaderJwk,
    HeaderUnparseable, TypMismatch,
};

use super::{Family, rej};
use crate::generate::{Mutation, Row, Signer, all_of, hdr, no_hdr, reject_for};

/// `alg` exactly `none`: RFC 9068 §4 names it.
const NONE: &[&str] = &[
    "RFC9068-4-signature",
    "RFC7518-3.6-none",
    "ADV-2015-JWT-LIBS",
    "M01",
];
/// `none` in another casing: not `none`, and no supported algorithm either.
const NONE_CASED: &[&str] = &[
    "RFC7515-4.1.1-alg",
    "RFC7515-4.1.1-case",
    "RFC8725-3.1-alg",
    "ADV-2015-JWT-LIBS",
    "M01",
];
/// `alg` missing or not a string.
const UNPARSEABLE: &[&str] = &[
    "RFC7515-4.1.1-alg",
    "RFC7515-5.2-signature",
    "RFC8725-3.1-alg",
    "M01",
];
/// Family rejections.
const HMAC: &[&str] = &["RFC8725-3.1-alg", "RFC7515-4.1.1-alg", "M03"];
const RSA: &[&str] = &["RFC8725-3.1-alg", "RFC7515-4.1.1-alg", "M04"];
const ECDSA: &[&str] = &["RFC8725-3.1-alg", "RFC7515-4.1.1-alg", "M05"];
/// Any other string outside the allowed list.
const NEAR_MISS: &[&str] = &[
    "RFC8725-3.1-alg",
    "RFC7515-4.1.1-alg",
    "RFC7515-4.1.1-case",
    "M02",
];

const GENUINE: &str = "alg is an exact case-sensitive string (RFC 7515 §4.1.1), so this spelling \
                       is not ES256 and RFC 8725 §3.1 forbids verifying it as ES256, although \
                       the signature is a genuine ES256 one by the pinned key";

/// `alg` set to `alg`, signed by `signer`.
fn alg_row(
    name: &str,
    alg: Value,
    signer: Signer,
    reason: Reason,
    basis: &'static [&'static str],
) -> Row {
    Row::new(
        name,
        format!("alg {alg}"),
        all_of([hdr("alg", alg), Mutation::Sign(signer)]),
        rej(reason),
        Must,
        basis,
    )
    .acceptable(&[reject_for(AlgNotAllowed)])
}

fn none_rows() -> Vec<Row> {
    let empty = Signer::Bytes(Vec::new());
    let es = Signer::Es256(forge::KID);
    let mut rows = Vec::new();
    for (slug, alg) in [
        ("none", "none"),
        ("none-capitalized", "None"),
        ("none-upper", "NONE"),
        ("none-mixed", "nOnE"),
    ] {
        let basis = if alg == "none" { NONE } else { NONE_CASED };
        rows.push(
            alg_row(
                &format!("{slug}-empty-signature"),
                json!(alg),
                empty.clone(),
                AlgNone,
                basis,
            )
            .flags(&["AlgNone"]),
        );
        let with_sig = alg_row(
            &format!("{slug}-with-es256-signature"),
            json!(alg),
            es.clone(),
            AlgNone,
            basis,
        )
        .flags(&["AlgNone"]);
        rows.push(if alg == "none" {
            with_sig.rationale(
                "RFC 9068 §4 rejects any alg none outright, so a genuine ES256 signature \
                 beside it does not make the token acceptable",
            )
        } else {
            with_sig
        });
    }
    rows.push(
        Row::new(
            "none-escaped",
            "alg none written as \\u006eone",
            all_of([
                Mutation::HeaderBytes(
                    br#"{"alg":"\u006eone","typ":"at+jwt","kid":"primary"}"#.to_vec(),
                ),
                Mutation::Sign(Signer::Bytes(Vec::new())),
            ]),
            rej(AlgNone),
            Must,
            NONE,
        )
        .acceptable(&[reject_for(AlgNotAllowed)])
        .flags(&["AlgNone"])
        .notes("escapes are decoded before comparison"),
    );
    rows.push(
        Row::new(
            "none-and-jwk",
            "alg none with an embedded jwk",
            all_of([
                hdr("alg", json!("none")),
                hdr(
                    "jwk",
                    forge::public_jwk(forge::key("attacker").verifying_key(), "attacker"),
                ),
                Mutation::Sign(Signer::Bytes(Vec::new())),
            ]),
            rej(AlgNone),
            Must,
            &[
                "RFC9068-4-signature",
                "RFC7518-3.6-none",
                "ADV-2015-JWT-LIBS",
                "RFC7515-4.1.3-jwk",
                "M01",
                "M09",
            ],
        )
        .acceptable(&[reject_for(AlgNotAllowed), reject_for(HeaderJwk)])
        .notes("alg is checked before header parameters: alg_none wins over header_jwk"),
    );
    rows
}

fn unparseable_rows() -> Vec<Row> {
    let also = [reject_for(AlgNotAllowed), reject_for(HeaderUnparseable)];
    let mut rows = vec![
        Row::new(
            "missing",
            "no alg member",
            no_hdr("alg"),
            rej(AlgNone),
            Must,
            UNPARSEABLE,
        )
        .acceptable(&also)
        .flags(&["AlgNone"]),
    ];
    for (name, alg) in [
        ("null", json!(null)),
        ("number", json!(256)),
        ("bool", json!(true)),
        ("array", json!(["ES256"])),
        ("object", json!({"name": "ES256"})),
    ] {
        rows.push(
            alg_row(
                &format!("non-string-{name}"),
                alg,
                Signer::Es256(forge::KID),
                AlgNone,
                UNPARSEABLE,
            )
            .acceptable(&also)
            .notes("an alg that is not a string cannot be parsed: alg_none"),
        );
    }
    rows
}

fn family_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for (alg, bits) in [("HS256", 256), ("HS384", 384), ("HS512", 512)] {
        let secret = Signer::Hmac(bits, b"a shared secret an attacker guessed".to_vec());
        rows.push(
            alg_row(
                &alg.to_lowercase(),
                json!(alg),
                secret,
                AlgHmacRejected,
                HMAC,
            )
            .flags(&["AlgConfusion"]),
        );
    }
    let rsa_sig = Signer::Bytes(vec![0x5a; 256]);
    for alg in ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"] {
        rows.push(alg_row(
            &alg.to_lowercase(),
            json!(alg),
            rsa_sig.clone(),
            AlgRsaRejected,
            RSA,
        ));
    }
    for (alg, len) in [("ES384", 96usize), ("ES512", 132), ("ES256K", 64)] {
        rows.push(alg_row(
            &alg.to_lowercase(),
            json!(alg),
            Signer::Bytes(vec![0x42; len]),
            AlgEcdsaRejected,
            ECDSA,
        ));
    }
    rows.push(
        alg_row(
            "es384-with-es256-signature",
            json!("ES384"),
            Signer::Es256(forge::KID),
            AlgEcdsaRejected,
            ECDSA,
        )
        .notes("a genuine ES256 signature does not make ES384 acceptable")
        .rationale(
            "RFC 8725 §3.1 requires the alg header to name the algorithm actually used, and \
             ES384 is not ES256 even where the ES256 signature by the pinned key is genuine",
        ),
    );
    rows.push(
        Row::new(
            "hs256-and-typ-jwt",
            "HS256 with typ JWT",
            all_of([
                hdr("alg", json!("HS256")),
                hdr("typ", json!("JWT")),
                Mutation::Sign(Signer::Hmac(256, b"secret".to_vec())),
            ]),
            rej(AlgHmacRejected),
            Must,
            &[
                "RFC8725-3.1-alg",
                "RFC7515-4.1.1-alg",
                "RFC9068-4-typ",
                "M03",
                "M13",
            ],
        )
        .acceptable(&[reject_for(AlgNotAllowed), reject_for(TypMismatch)])
        .notes("alg is checked before typ"),
    );
    rows
}

fn near_miss_rows() -> Vec<Row> {
    // (name, alg, whether it is ES256 spelled another way: the verdicts libraries dispute)
    let near_misses: [(&str, Value, bool); 16] = [
        ("eddsa", json!("EdDSA"), false),
        ("ed25519", json!("Ed25519"), false),
        ("ed448", json!("Ed448"), false),
        ("lowercase-es256", json!("es256"), true),
        ("mixed-case-es256", json!("Es256"), true),
        ("trailing-space", json!("ES256 "), true),
        ("leading-space", json!(" ES256"), true),
        ("trailing-nul", json!("ES256\u{0}"), true),
        ("trailing-newline", json!("ES256\n"), true),
        ("inner-space", json!("ES 256"), true),
        ("hyphenated", json!("ES-256"), true),
        ("empty-string", json!(""), false),
        ("jwe-dir", json!("dir"), false),
        ("jwe-a256kw", json!("A256KW"), false),
        ("lowercase-hs256", json!("hs256"), false),
        ("none-with-space", json!("none "), false),
    ];
    near_misses
        .into_iter()
        .map(|(name, alg, es256_spelled_otherwise)| {
            let row = Row::new(
                name,
                format!("alg {alg}"),
                hdr("alg", alg),
                rej(AlgNotAllowed),
                Must,
                NEAR_MISS,
            );
            let row = if es256_spelled_otherwise {
                row.rationale(GENUINE)
            } else {
                row
            };
            if name == "empty-string" {
                row.acceptable(&[reject_for(AlgNone)])
                    .notes("an empty alg is not an algorithm; a verifier may call it alg_none")
            } else {
                row
            }
        })
        .collect()
}

pub fn family() -> Family {
    let mut rows = none_rows();
    rows.extend(unparseable_rows());
    rows.extend(family_rows());
    rows.extend(near_miss_rows());
    Family::table("alg", rows)
}
