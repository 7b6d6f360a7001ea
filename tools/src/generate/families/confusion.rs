//! Algorithm confusion: HS256 keyed with the ES256 public key in every encoding an attacker
//! might guess (CVE-2022-29217, CVE-2024-37568, CVE-2023-48223 and kin).

use corpus::vector::Severity;
use serde_json::json;
use verifier::Reason;

use super::{Family, rej, set_hdr};
use crate::generate::{Case, Signer};

pub fn family() -> Family {
    let mut f = Family::new(
        "confusion",
        Severity::Must,
        &[
            "RFC 8725 §2.1",
            "RFC 8725 §3.1",
            "CVE-2016-10555",
            "CVE-2022-29217",
            "CVE-2024-37568",
            "CVE-2023-48223",
        ],
    );
    let key = forge::key(forge::KID);
    let vk = *key.verifying_key();
    let (x, y) = forge::coordinates(&vk);
    let pem = forge::public_pem(&vk);
    let jwk = forge::public_jwk(&vk, forge::KID);
    let minimal_jwk = json!({"kty": "EC", "crv": "P-256", "x": forge::b64(x), "y": forge::b64(y)});
    let mut compressed = vec![0x02 | (y[31] & 1)];
    compressed.extend_from_slice(&x);
    let secrets: Vec<(&str, &str, &str, Vec<u8>)> = vec![
        (
            "hs256-pem",
            "HS256",
            "the SPKI PEM with its final newline",
            pem.clone().into_bytes(),
        ),
        (
            "hs256-pem-no-newline",
            "HS256",
            "the SPKI PEM without its final newline",
            pem.trim_end().as_bytes().to_vec(),
        ),
        (
            "hs256-pem-crlf",
            "HS256",
            "the SPKI PEM with CRLF line endings",
            pem.replace('\n', "\r\n").into_bytes(),
        ),
        ("hs256-der", "HS256", "the SPKI DER", forge::public_der(&vk)),
        (
            "hs256-jwk-json",
            "HS256",
            "the public JWK as JSON text",
            jwk.to_string().into_bytes(),
        ),
        (
            "hs256-jwk-minimal",
            "HS256",
            "the minimal public JWK as JSON text",
            minimal_jwk.to_string().into_bytes(),
        ),
        (
            "hs256-raw-point",
            "HS256",
            "the uncompressed SEC1 point",
            forge::public_raw(&vk),
        ),
        (
            "hs256-compressed-point",
            "HS256",
            "the compressed SEC1 point",
            compressed,
        ),
        (
            "hs256-x-coordinate",
            "HS256",
            "the x coordinate",
            x.to_vec(),
        ),
        (
            "hs256-x-base64url",
            "HS256",
            "the base64url x coordinate text",
            forge::b64(x).into_bytes(),
        ),
        (
            "hs384-pem",
            "HS384",
            "the SPKI PEM",
            pem.clone().into_bytes(),
        ),
        ("hs512-der", "HS512", "the SPKI DER", forge::public_der(&vk)),
    ];
    for (name, alg, what, secret) in secrets {
        let description = format!("{alg} keyed with {what} of the ES256 verification key");
        f.add(
            Case::new(name, description, rej(Reason::AlgHmacRejected), move |d| {
                set_hdr(d, "alg", json!(alg));
                let bits = alg[2..].parse().unwrap_or(256);
                d.signer = Signer::Hmac(bits, secret.clone());
            })
            .flags(&["AlgConfusion"]),
        );
    }
    f
}
