//! Algorithm confusion: HS256 keyed with the ES256 public key in every encoding an attacker
//! might guess. A verifier that takes the algorithm from the token and feeds the pinned key's
//! bytes to HMAC accepts these: the documented attack (CVE-2015-9235, CVE-2016-10555,
//! CVE-2022-29217, CVE-2024-37568, CVE-2023-48223), and RFC 8725 §3.1 forbids it. All binding.
//!
//! Mixed key sets (`mixed-*`): the EC key beside a symmetric `kty: oct` key and an HMAC token.
//! The profile allows ES256 only, so accepting the HMAC token breaks RFC 8725 §3.1 (and a
//! symmetric key in a published key set is no secret): rejecting the token is binding. Whether
//! the set itself loads is the profile's choice (`PROFILE-KEYSET` refuses it), so each such
//! vector expects the configuration error and lists any rejection as acceptable.

use corpus::vector::Severity::{Must, Profile};
use serde_json::{Value, json};
use verifier::ConfigCode;
use verifier::Reason::{AlgHmacRejected, AlgNotAllowed, TypMismatch};

use super::jwks::{KEYSET, SKIP, primary_jwk};
use super::{Family, rej};
use crate::generate::{
    Expect, Mutation, Row, Signer, accept, all_of, any_reject, hdr, no_hdr, reject_for,
};

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
    rows.extend(mixed_rows());
    Family::table("confusion", rows)
}

/// HMAC in a set that also holds a symmetric key: the profile's algorithm list is ES256 only.
const MIXED: &[&str] = &["RFC8725-3.1-alg", "M03", KEYSET];
/// The same, with the symmetric secret being the EC public key's bytes.
const MIXED_PUBLIC: &[&str] = &[
    "RFC8725-3.1-alg",
    "CVE-2015-9235",
    "ADV-2015-JWT-LIBS",
    "M03",
    KEYSET,
];
const MIXED_PEM: &[&str] = &[
    "RFC8725-3.1-alg",
    "CVE-2015-9235",
    "CVE-2023-48223",
    "ADV-2015-JWT-LIBS",
    "M03",
    KEYSET,
];
/// The secret of the symmetric test key.
const SECRET: &[u8] = b"a symmetric secret published in the key set";
/// The symmetric key's kid.
const OCT_KID: &str = "hmac";

/// A symmetric JWK with these extra members.
fn oct(kid: &str, secret: &[u8], extra: Value) -> Value {
    let mut jwk = json!({"kty": "oct", "kid": kid, "k": forge::b64(secret)});
    if let (Some(map), Value::Object(more)) = (jwk.as_object_mut(), extra) {
        map.extend(more);
    }
    jwk
}

/// An HMAC token (`bits`) under `kid` (none when `None`), keyed with `secret`.
fn hmac_token(bits: u16, kid: Option<&str>, secret: &[u8]) -> Mutation {
    all_of([
        hdr("alg", json!(format!("HS{bits}"))),
        match kid {
            Some(kid) => hdr("kid", json!(kid)),
            None => no_hdr("kid"),
        },
        Mutation::Sign(Signer::Hmac(bits, secret.to_vec())),
    ])
}

/// A mixed set that must not load and an HMAC token that must not verify.
fn mixed(
    name: &str,
    description: &str,
    keys: Vec<Value>,
    token: Mutation,
    code: ConfigCode,
    basis: &[&str],
) -> Row {
    Row::new(
        format!("mixed-{name}"),
        description,
        all_of([Mutation::Jwks(json!({"keys": keys})), token]),
        Expect::Config(code),
        Must,
        basis,
    )
    .acceptable(&[any_reject()])
    .flags(&["AlgConfusion"])
    .notes(
        "rejecting the HMAC token is binding; refusing the whole set is the profile's \
         choice, so a library that loads it and rejects the token conforms",
    )
}

fn mixed_rows() -> Vec<Row> {
    let vk = *forge::key(forge::KID).verifying_key();
    let (x, _) = forge::coordinates(&vk);
    let pem = forge::public_pem(&vk).into_bytes();
    let jwk_text = primary_jwk().to_string().into_bytes();
    let der = forge::public_der(&vk);
    let ec = primary_jwk;
    let plain = || oct(OCT_KID, SECRET, json!({}));
    let private = ConfigCode::KeyPrivateMember;
    let mut rows = Vec::new();
    for bits in [256u16, 384, 512] {
        rows.push(mixed(
            &format!("oct-hs{bits}"),
            &format!("the EC key and a symmetric key; HS{bits} under the symmetric kid"),
            vec![ec(), plain()],
            hmac_token(bits, Some(OCT_KID), SECRET),
            private,
            MIXED,
        ));
    }
    let public_secrets: [(&str, &str, &Vec<u8>, &[&str]); 4] = [
        (
            "k-jwk-json",
            "the EC key's JWK as JSON text",
            &jwk_text,
            MIXED_PUBLIC,
        ),
        ("k-pem", "the EC key's SPKI PEM", &pem, MIXED_PEM),
        ("k-der", "the EC key's SPKI DER", &der, MIXED_PUBLIC),
        (
            "k-x-coordinate",
            "the EC key's x coordinate",
            &x.to_vec(),
            MIXED_PUBLIC,
        ),
    ];
    for (name, what, secret, basis) in public_secrets {
        rows.push(mixed(
            &format!("oct-{name}"),
            &format!("a symmetric key whose k is {what}; HS256 under its kid keyed with k"),
            vec![ec(), oct(OCT_KID, secret, json!({}))],
            hmac_token(256, Some(OCT_KID), secret),
            private,
            basis,
        ));
    }
    let members: [(&str, &str, Value); 3] = [
        ("alg-hs256", "alg HS256", json!({"alg": "HS256"})),
        ("use-sig", "use sig", json!({"use": "sig"})),
        (
            "alg-use-key-ops",
            "alg HS256, use sig and key_ops [verify]",
            json!({"alg": "HS256", "use": "sig", "key_ops": ["verify"]}),
        ),
    ];
    for (name, what, extra) in members {
        rows.push(mixed(
            &format!("oct-{name}"),
            &format!("a symmetric key with {what}, declared for exactly this HMAC use; HS256"),
            vec![ec(), oct(OCT_KID, SECRET, extra)],
            hmac_token(256, Some(OCT_KID), SECRET),
            private,
            MIXED,
        ));
    }
    rows.extend([
        mixed(
            "kid-ec-key-hs256-oct-secret",
            "the EC key and a symmetric key; HS256 under the EC key's kid, keyed with the \
             symmetric secret (a library that picks a key by algorithm, not kid)",
            vec![ec(), plain()],
            hmac_token(256, Some(forge::KID), SECRET),
            private,
            MIXED,
        ),
        mixed(
            "kid-ec-key-hs256-x",
            "the EC key and a symmetric key; HS256 under the EC key's kid, keyed with its x",
            vec![ec(), plain()],
            hmac_token(256, Some(forge::KID), &x),
            private,
            MIXED_PUBLIC,
        ),
        mixed(
            "no-kid-hs256",
            "the EC key and a symmetric key; HS256 without kid, keyed with the symmetric secret",
            vec![ec(), plain()],
            hmac_token(256, None, SECRET),
            private,
            MIXED,
        ),
        mixed(
            "oct-without-k",
            "a symmetric key with no k; HS256 under its kid keyed with the empty secret",
            vec![ec(), json!({"kty": "oct", "kid": OCT_KID})],
            hmac_token(256, Some(OCT_KID), b""),
            ConfigCode::KeyWrongKty,
            MIXED,
        ),
        mixed(
            "oct-empty-k",
            "a symmetric key with k empty; HS256 under its kid keyed with the empty secret",
            vec![ec(), oct(OCT_KID, b"", json!({}))],
            hmac_token(256, Some(OCT_KID), b""),
            private,
            MIXED,
        ),
        mixed(
            "oct-first",
            "the symmetric key before the EC key; HS256 under the symmetric kid",
            vec![plain(), ec()],
            hmac_token(256, Some(OCT_KID), SECRET),
            private,
            MIXED,
        ),
        mixed(
            "oct-only",
            "a set holding only a symmetric key; HS256 under its kid",
            vec![plain()],
            hmac_token(256, Some(OCT_KID), SECRET),
            private,
            MIXED,
        ),
        mixed(
            "oct-k-text-not-decoded",
            "the EC key and a symmetric key; HS256 keyed with the k member's base64url text \
             rather than its decoded bytes",
            vec![ec(), plain()],
            hmac_token(256, Some(OCT_KID), forge::b64(SECRET).as_bytes()),
            private,
            MIXED,
        ),
        mixed(
            "oct-duplicate-kid",
            "a symmetric key under the EC key's kid; HS256 under that kid",
            vec![ec(), oct(forge::KID, SECRET, json!({}))],
            hmac_token(256, Some(forge::KID), SECRET),
            private,
            MIXED,
        )
        .acceptable(&[Expect::Config(ConfigCode::KeyDuplicateKid).outcome()]),
    ]);
    rows.push(
        Row::new(
            "mixed-oct-es256-token",
            "the EC key and a symmetric key; the baseline ES256 token under the EC key's kid",
            Mutation::Jwks(json!({"keys": [ec(), plain()]})),
            Expect::Config(private),
            Profile,
            &[KEYSET, SKIP],
        )
        .acceptable(&[any_reject(), accept()])
        .notes(
            "the token is genuine ES256 by the pinned key: a library that skips or keeps the \
             symmetric key and accepts it forges nothing",
        ),
    );
    rows.push(
        Row::new(
            "mixed-oct-es256-token-oct-kid",
            "the EC key and a symmetric key; an ES256 token by the EC key under the symmetric kid",
            all_of([
                Mutation::Jwks(json!({"keys": [ec(), plain()]})),
                hdr("kid", json!(OCT_KID)),
            ]),
            Expect::Config(private),
            Profile,
            &[KEYSET, SKIP, "RFC7515-4.1.4-kid"],
        )
        .acceptable(&[any_reject()])
        .notes("an ES256 signature cannot verify under a symmetric key: reject if the set loads"),
    );
    let mut secondary = forge::public_jwk(forge::key("secondary").verifying_key(), "secondary");
    secondary["alg"] = json!("ES256");
    secondary["use"] = json!("sig");
    rows.push(Row::new(
        "mixed-ec-pair-accepted",
        "the EC key beside a second EC key with alg ES256 and use sig (the control of the \
             mixed sets): ES256 under the second kid, signed by it",
        all_of([
            Mutation::Jwks(json!({"keys": [ec(), secondary]})),
            hdr("kid", json!("secondary")),
            Mutation::Sign(Signer::Es256("secondary")),
        ]),
        Expect::Accept,
        Profile,
        &[KEYSET, "RFC7517-4.5-kid", "RFC7515-4.1.4-kid"],
    ));
    rows
}
