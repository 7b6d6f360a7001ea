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
use crate::generate::{Expect, Mutation, Row, Signer, all_of, hdr, no_hdr, reject_for};

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

/// ES256 spoofs: whitespace, control characters, look-alikes and near-spellings, each over a
/// genuine ES256 signature by the pinned key. None is the string ES256, so none names an
/// allowed algorithm.
fn spoof_rows() -> Vec<Row> {
    let spoofs: [(&str, &str); 35] = [
        ("leading-tab", "\tES256"),
        ("trailing-tab", "ES256\t"),
        ("trailing-cr", "ES256\r"),
        ("trailing-crlf", "ES256\r\n"),
        ("trailing-vertical-tab", "ES256\u{b}"),
        ("trailing-form-feed", "ES256\u{c}"),
        ("leading-nul", "\u{0}ES256"),
        ("inner-nul", "ES\u{0}256"),
        ("trailing-del", "ES256\u{7f}"),
        ("trailing-nel", "ES256\u{85}"),
        ("leading-bom", "\u{feff}ES256"),
        ("trailing-nbsp", "ES256\u{a0}"),
        ("trailing-ideographic-space", "ES256\u{3000}"),
        ("trailing-zero-width-space", "ES256\u{200b}"),
        ("zero-width-joiner", "E\u{200d}S256"),
        ("word-joiner", "ES256\u{2060}"),
        ("soft-hyphen", "ES\u{ad}256"),
        ("combining-acute", "ES256\u{301}"),
        ("right-to-left-override", "\u{202e}652SE"),
        ("cyrillic-ie", "\u{415}S256"),
        ("cyrillic-dze", "E\u{405}256"),
        ("cyrillic-ie-dze", "\u{415}\u{405}256"),
        ("greek-epsilon", "\u{395}S256"),
        ("fullwidth", "\u{ff25}\u{ff33}\u{ff12}\u{ff15}\u{ff16}"),
        ("fullwidth-digits", "ES\u{ff12}\u{ff15}\u{ff16}"),
        ("lowercase-e", "eS256"),
        ("extra-digit", "ES2560"),
        ("missing-digit", "ES25"),
        ("underscore", "ES_256"),
        ("list-es256-hs256", "ES256,HS256"),
        ("curve-name", "P-256"),
        ("ecdsa-sha256", "ECDSA-SHA256"),
        ("es", "ES"),
        ("es256-p256", "ES256-P256"),
        (
            "jose-uri",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
        ),
    ];
    spoofs
        .into_iter()
        .map(|(name, alg)| {
            Row::new(
                format!("spoof-{name}"),
                format!("alg {}", json!(alg)),
                hdr("alg", json!(alg)),
                rej(AlgNotAllowed),
                Must,
                NEAR_MISS,
            )
            .rationale(GENUINE)
        })
        .collect()
}

/// `alg` written with JSON escapes, as raw header bytes. An escape that decodes to exactly
/// ES256 is ES256 (RFC 7515 §5.2 step 3 reads the header as JSON); one that decodes to
/// anything else is a spoof.
fn escape_rows() -> Vec<Row> {
    let header = |alg_member: &str| {
        format!(r#"{{{alg_member},"typ":"at+jwt","kid":"primary"}}"#).into_bytes()
    };
    let accepted: [(&str, &str, &str); 6] = [
        ("first-char", "E escaped", r#""alg":"\u0045S256""#),
        (
            "every-char",
            "every character escaped",
            r#""alg":"\u0045\u0053\u0032\u0035\u0036""#,
        ),
        ("last-char", "the 6 escaped", r#""alg":"ES25\u0036""#),
        ("middle-char", "the S escaped", r#""alg":"E\u0053256""#),
        (
            "member-name",
            "the member name written \\u0061lg",
            r#""\u0061lg":"ES256""#,
        ),
        (
            "member-name-and-value",
            "name and value fully escaped",
            r#""\u0061\u006c\u0067":"\u0045\u0053\u0032\u0035\u0036""#,
        ),
    ];
    let accept_basis: &[&str] = &[
        "RFC7515-5.2-json",
        "RFC7515-4.1.1-alg",
        "RFC7515-5.2-signature",
        "RFC9068-4-signature",
    ];
    let mut rows: Vec<Row> = accepted
        .into_iter()
        .map(|(name, what, member)| {
            Row::new(
                format!("escaped-{name}-accepted"),
                format!("alg ES256 with {what}: {member}"),
                Mutation::HeaderBytes(header(member)),
                Expect::Accept,
                Must,
                accept_basis,
            )
            .notes("after JSON decoding the value is exactly ES256; the signature covers the escaped bytes")
        })
        .collect();
    rows.push(Row::new(
        "alg-last-member-accepted",
        "alg ES256 written after kid and typ: member order carries no meaning",
        Mutation::HeaderBytes(br#"{"kid":"primary","typ":"at+jwt","alg":"ES256"}"#.to_vec()),
        Expect::Accept,
        Must,
        accept_basis,
    ));
    let spoofed: [(&str, &str, &str); 5] = [
        (
            "lowercase-e",
            "an escaped lowercase e",
            r#""alg":"\u0065S256""#,
        ),
        (
            "trailing-space",
            "an escaped trailing space",
            r#""alg":"ES256\u0020""#,
        ),
        (
            "trailing-nul",
            "an escaped trailing NUL",
            r#""alg":"ES256\u0000""#,
        ),
        (
            "fullwidth-e",
            "an escaped full-width E",
            r#""alg":"\uff25S256""#,
        ),
        (
            "trailing-zero-width-space",
            "an escaped trailing zero-width space",
            r#""alg":"\u0045S256\u200b""#,
        ),
    ];
    rows.extend(spoofed.into_iter().map(|(name, what, member)| {
        Row::new(
            format!("escaped-{name}"),
            format!("alg with {what}: {member}"),
            Mutation::HeaderBytes(header(member)),
            rej(AlgNotAllowed),
            Must,
            &[
                "RFC7515-5.2-json",
                "RFC8725-3.1-alg",
                "RFC7515-4.1.1-alg",
                "RFC7515-4.1.1-case",
                "M02",
            ],
        )
        .rationale(GENUINE)
        .notes("the escape decodes to a string that is not ES256")
    }));
    rows.push(
        Row::new(
            "escaped-uppercase-u",
            "alg written \\U0045S256: \\U is no JSON escape",
            Mutation::HeaderBytes(header(r#""alg":"\U0045S256""#)),
            rej(HeaderUnparseable),
            Must,
            &["RFC7515-5.2-json", "PROFILE-JSON"],
        )
        .notes("an invalid escape makes the header invalid JSON"),
    );
    rows
}

/// More family rows: a genuine ES256 signature under another family's name, and array or
/// empty `alg` values.
fn family_extra_rows() -> Vec<Row> {
    let es = || Signer::Es256(forge::KID);
    let mut rows = Vec::new();
    for alg in ["RS256", "PS256"] {
        rows.push(
            alg_row(
                &format!("{}-with-es256-signature", alg.to_lowercase()),
                json!(alg),
                es(),
                AlgRsaRejected,
                RSA,
            )
            .notes("a genuine 64-byte ES256 signature does not make an RSA alg acceptable"),
        );
    }
    rows.push(alg_row(
        "rs256-empty-signature",
        json!("RS256"),
        Signer::Bytes(Vec::new()),
        AlgRsaRejected,
        RSA,
    ));
    for alg in ["ES512", "ES256K"] {
        rows.push(
            alg_row(
                &format!("{}-with-es256-signature", alg.to_lowercase()),
                json!(alg),
                es(),
                AlgEcdsaRejected,
                ECDSA,
            )
            .notes(if alg == "ES256K" {
                "ES256K signatures are 64 bytes too: only the alg tells secp256k1 from P-256"
            } else {
                "a genuine ES256 signature does not make ES512 acceptable"
            }),
        );
    }
    rows.push(alg_row(
        "es384-empty-signature",
        json!("ES384"),
        Signer::Bytes(Vec::new()),
        AlgEcdsaRejected,
        ECDSA,
    ));
    let also = [reject_for(AlgNotAllowed), reject_for(HeaderUnparseable)];
    for (name, alg) in [
        ("non-string-empty-array", json!([])),
        ("non-string-two-element-array", json!(["ES256", "HS256"])),
    ] {
        rows.push(
            alg_row(name, alg, es(), AlgNone, UNPARSEABLE)
                .acceptable(&also)
                .notes("an alg that is not a string cannot be parsed: alg_none"),
        );
    }
    rows
}

pub fn family() -> Family {
    let mut rows = none_rows();
    rows.extend(spoof_rows());
    rows.extend(escape_rows());
    rows.extend(family_extra_rows());
    rows.extend(unparseable_rows());
    rows.extend(family_rows());
    rows.extend(near_miss_rows());
    Family::table("alg", rows)
}
