//! Algorithm confusion: HS256 keyed with the ES256 public key in every encoding an attacker
//! might guess. A verifier that takes the algorithm from the token and feeds the pinned key's
//! bytes to HMAC accepts these: the documented attack (CVE-2015-9235, CVE-2016-10555,
//! CVE-2022-29217, CVE-2024-37568, CVE-2023-48223), and RFC 8725 §3.1 forbids it. All binding.

use corpus::vector::Severity::Must;
use serde_json::json;
use verifier::Reason::{AlgHmacRejected, AlgNotAllowed, TypMismatch};

use super::{Family, rej};
use crate::generate::{Mutation, Row, Signer, all_of, hdr, no_hdr, reject_for};

/// Every confusion row.
const CONFUSION: &[&str] = &[
    "RFC8725-3.1-alg",
    "CVE-2015-9235",
    "CVE-2016-10555",
    "CVE-2022-29217",
    "CVE-2024-37568",
    "ADV-2015-JWT-LIBS",
    "M03",
];
/// The PEM rows add the fast-jwt CVE (a public key in an unexpected PEM form).
const CONFUSION_PEM: &[&str] = &[
    "RFC8725-3.1-alg",
    "CVE-2015-9235",
    "CVE-2016-10555",
    "CVE-2022-29217",
    "CVE-2024-37568",
    "CVE-2023-48223",
    "ADV-2015-JWT-LIBS",
    "M03",
];

pub fn family() -> Family {
    let key = forge::key(forge::KID);
    let vk = *key.verifying_key();
    let (x, y) = forge::coordinates(&vk);
    let pem = forge::public_pem(&vk);
    let jwk = forge::public_jwk(&vk, forge::KID);
    let minimal_jwk = json!({"kty": "EC", "crv": "P-256", "x": forge::b64(x), "y": forge::b64(y)});
    let mut compressed = vec![0x02 | (y[31] & 1)];
    compressed.extend_from_slice(&x);
    // (name, HMAC bits, what the secret is, the secret)
    let secrets: Vec<(&str, u16, &str, Vec<u8>)> = vec![
        (
            "hs256-pem",
            256,
            "the SPKI PEM with its final newline",
            pem.clone().into_bytes(),
        ),
        (
            "hs256-pem-no-newline",
            256,
            "the SPKI PEM without its final newline",
            pem.trim_end().as_bytes().to_vec(),
        ),
        (
            "hs256-pem-crlf",
            256,
            "the SPKI PEM with CRLF line endings",
            pem.replace('\n', "\r\n").into_bytes(),
        ),
        ("hs256-der", 256, "the SPKI DER", forge::public_der(&vk)),
        (
            "hs256-jwk-json",
            256,
            "the public JWK as JSON text",
            jwk.to_string().into_bytes(),
        ),
        (
            "hs256-jwk-minimal",
            256,
            "the minimal public JWK as JSON text",
            minimal_jwk.to_string().into_bytes(),
        ),
        (
            "hs256-raw-point",
            256,
            "the uncompressed SEC1 point",
            forge::public_raw(&vk),
        ),
        (
            "hs256-compressed-point",
            256,
            "the compressed SEC1 point",
            compressed,
        ),
        ("hs256-x-coordinate", 256, "the x coordinate", x.to_vec()),
        (
            "hs256-x-base64url",
            256,
            "the base64url x coordinate text",
            forge::b64(x).into_bytes(),
        ),
        ("hs384-pem", 384, "the SPKI PEM", pem.clone().into_bytes()),
        ("hs512-der", 512, "the SPKI DER", forge::public_der(&vk)),
    ];
    let mut rows: Vec<Row> = secrets
        .into_iter()
        .map(|(name, bits, what, secret)| {
            let alg = format!("HS{bits}");
            let basis = if name.contains("pem") {
                CONFUSION_PEM
            } else {
                CONFUSION
            };
            Row::new(
                name,
                format!("{alg} keyed with {what} of the ES256 verification key"),
                all_of([
                    hdr("alg", json!(alg)),
                    Mutation::Sign(Signer::Hmac(bits, secret)),
                ]),
                rej(AlgHmacRejected),
                Must,
                basis,
            )
            .acceptable(&[reject_for(AlgNotAllowed)])
            .flags(&["AlgConfusion"])
        })
        .collect();
    // The PEM secret with the typ a generic JWT library expects (or none): a library that
    // refuses typ at+jwt before it picks the algorithm still meets the attack through these.
    let typ_variants = [
        ("hs256-pem-typ-jwt", "typ JWT", hdr("typ", json!("JWT"))),
        ("hs256-pem-no-typ", "no typ", no_hdr("typ")),
    ];
    rows.extend(typ_variants.into_iter().map(|(name, what, typ)| {
        Row::new(
            name,
            format!("HS256 keyed with the SPKI PEM of the ES256 verification key, {what}"),
            all_of([
                hdr("alg", json!("HS256")),
                typ,
                Mutation::Sign(Signer::Hmac(256, pem.clone().into_bytes())),
            ]),
            rej(AlgHmacRejected),
            Must,
            CONFUSION_PEM,
        )
        .acceptable(&[reject_for(AlgNotAllowed), reject_for(TypMismatch)])
        .flags(&["AlgConfusion"])
    }));
    Family::table("confusion", rows)
}
