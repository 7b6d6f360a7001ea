//! `hmac`: HS256, HS384 and HS512 (RFC 7518 §3.2).
//!
//! RFC 7518 §3.2 defines validation: the HMAC computed over the received signing input with
//! the shared key "is then compared to the result of base64url decoding the received encoded JWS
//! Signature value … if the values match, the HMAC has been validated". The JWS Signature is the
//! whole HMAC output ("result values: 384 bits each for HMAC SHA-384 and 512 bits each for HMAC
//! SHA-512"), so a truncated MAC does not match: `must`, as a wrong secret is.
//!
//! - Accept controls: each algorithm under its own secret, a second secret, a key without `alg`,
//!   a secret longer than the hash.
//! - A secret shorter than the hash output: RFC 7518 §3.2's MUST binds whoever chooses the key,
//!   so `key_too_weak` is `profile`, with `accept` acceptable (`algorithms` has the first sizes;
//!   these are the others).
//! - An empty (or absent) `k`: no key at all; a token MACed under the empty secret is anyone's
//!   (CVE-2019-20933), so the set must not serve it.
//! - A MAC over a signing input whose segments keep their `=` padding: `lax_base64`, `profile`,
//!   as in the `base64` family (the MAC covers the padded bytes, so a lenient decoder forges
//!   nothing).

use corpus::vector::Severity::{Must, Profile};
use forge::alg::{Alg, AnyKey, secret};
use serde_json::{Value, json};
use verifier::ConfigCode::KeyBadSecret;
use verifier::Reason::{
    HeaderUnparseable, LaxBase64, NotJwsCompact, PayloadUnparseable, SignatureInvalid,
};

use super::algorithms::{World, bare};
use super::{Family, invalid_sig, rej, set_claim};
use crate::generate::{Draft, Expect, Mutation, Row, Signer, any_reject, custom, reject_for};
use corpus::vector::TokenSpec;

/// A genuine HMAC token under the shared secret.
const VALID: &[&str] = &[
    "RFC7518-3.2-hmac-validate",
    "RFC7515-5.2-signature",
    "RFC9068-4-signature",
];
/// The MAC does not match the HMAC computed over the received signing input.
const INVALID: &[&str] = &["RFC7518-3.2-hmac-validate", "RFC7515-5.2-signature"];
/// A secret shorter than the hash output.
const WEAK: &[&str] = &["RFC7518-3.2-hmac-key"];
/// An empty secret: anyone's MAC.
const EMPTY: &[&str] = &["CVE-2019-20933", "RFC7518-3.2-hmac-key"];
/// Padding left on the segments.
const LAX: &[&str] = &["M33", "RFC7515-2-base64url"];

const ALGS: [Alg; 3] = [Alg::HS256, Alg::HS384, Alg::HS512];

fn slug(alg: Alg) -> String {
    alg.name().to_lowercase()
}

/// A `len`-byte secret named `name`.
fn oct(name: &str, len: usize) -> AnyKey {
    AnyKey::Oct(secret(name, len))
}

/// The secret of `alg`'s hash length.
fn own(alg: Alg) -> AnyKey {
    AnyKey::for_alg(alg, "primary")
}

/// `alg` allowed, its own secret alone in the set.
fn world(alg: Alg) -> World {
    World::single(alg, own(alg))
}

/// The world, then `edit`, then the MAC `mac(genuine MAC)`.
fn maced(
    alg: Alg,
    edit: impl Fn(&mut Draft) + 'static,
    mac: impl Fn(Vec<u8>) -> Vec<u8> + 'static,
) -> Mutation {
    let w = world(alg);
    custom(move |d| {
        w.apply(d);
        edit(d);
        let input = d.signing_input();
        d.signer = Signer::Bytes(mac(forge::alg::sign(alg, &own(alg), input.as_bytes())));
    })
}

fn accept_rows(alg: Alg) -> Vec<Row> {
    let s = slug(alg);
    let bytes = usize::from(alg.hash_bits() / 8);
    vec![
        Row::new(
            format!("{s}-accept-second-secret"),
            format!("{alg} token under a second {bytes}-byte secret, alone in the set"),
            World::single(alg, oct("second", bytes)).mutation(),
            Expect::Accept,
            Must,
            VALID,
        ),
        Row::new(
            format!("{s}-accept-two-secrets-kid-second"),
            format!("{alg} token whose kid selects the second of two secrets"),
            World::second_of_two(alg, own(alg), oct("second", bytes), "second").mutation(),
            Expect::Accept,
            Must,
            VALID,
        ),
        Row::new(
            format!("{s}-accept-key-without-alg"),
            format!("{alg} token under an oct JWK without an alg member"),
            World {
                keys: vec![bare(own(alg))],
                ..world(alg)
            }
            .mutation(),
            Expect::Accept,
            Must,
            VALID,
        ),
        Row::new(
            format!("{s}-accept-secret-100-bytes"),
            format!(
                "{alg} token under a 100-byte secret (longer than the hash and the block for HS256)"
            ),
            World::single(alg, oct("long", 100)).mutation(),
            Expect::Accept,
            Must,
            VALID,
        ),
    ]
}

/// MACs that do not match.
fn invalid_rows(alg: Alg) -> Vec<Row> {
    let s = slug(alg);
    let bytes = usize::from(alg.hash_bits() / 8);
    let mut cases: Vec<(String, String, Mutation)> = vec![
        (
            format!("{s}-wrong-secret"),
            format!("{alg} token MACed under another {bytes}-byte secret"),
            {
                let w = world(alg);
                custom(move |d| {
                    w.apply(d);
                    d.signer = Signer::Key(alg, Box::new(oct("other", bytes)));
                })
            },
        ),
        (
            format!("{s}-mac-truncated-half"),
            format!(
                "{alg}: the genuine MAC cut to its first {} octets",
                bytes / 2
            ),
            maced(alg, |_| {}, move |m| m[..bytes / 2].to_vec()),
        ),
        (
            format!("{s}-mac-truncated-one-octet"),
            format!("{alg}: the genuine MAC without its last octet"),
            maced(alg, |_| {}, move |m| m[..bytes - 1].to_vec()),
        ),
        (
            format!("{s}-mac-first-octet"),
            format!("{alg}: the genuine MAC's first octet alone"),
            maced(alg, |_| {}, |m| m[..1].to_vec()),
        ),
        (
            format!("{s}-mac-extended"),
            format!("{alg}: the genuine MAC with a zero octet appended"),
            maced(alg, |_| {}, |m| [m, vec![0]].concat()),
        ),
    ];
    if alg != Alg::HS256 {
        let w = world(alg);
        cases.push((
            format!("{s}-mac-is-hs256"),
            format!("{alg} token carrying the HS256 MAC under the same secret"),
            custom(move |d| {
                w.apply(d);
                let input = d.signing_input();
                d.signer = Signer::Bytes(forge::hmac(
                    256,
                    &secret("primary", bytes),
                    input.as_bytes(),
                ));
            }),
        ));
    }
    cases
        .into_iter()
        .map(|(name, description, mutation)| {
            let truncated = name.contains("truncated") || name.contains("first-octet");
            let row = invalid_sig(name, description, mutation, INVALID);
            if truncated {
                row.flags(&["TruncatedMac"]).notes(
                    "RFC 7518 §3.2: the HMAC output value is the JWS Signature, and validation \
                     compares the computed HMAC with the whole decoded signature; a prefix does \
                     not match",
                )
            } else {
                row
            }
        })
        .collect()
}

/// A validly MACed token under a secret shorter than the hash (sizes `algorithms` lacks).
fn weak_rows() -> Vec<Row> {
    [
        (Alg::HS256, 20),
        (Alg::HS384, 16),
        (Alg::HS384, 47),
        (Alg::HS512, 32),
        (Alg::HS512, 63),
    ]
    .into_iter()
    .map(|(alg, len)| {
        super::weak_key(
            format!("{}-secret-{len}-bytes", slug(alg)),
            format!("{alg} token validly MACed under a {len}-byte secret"),
            World {
                keys: vec![bare(oct("primary", len))],
                signer: oct("primary", len),
                ..world(alg)
            }
            .mutation(),
            WEAK,
        )
        .rationale(
            "RFC 7518 §3.2's \"A key of the same size as the hash output … or larger MUST be \
             used\" binds whoever chooses the key; a verifier that uses the short key it was \
             given breaks no MUST.",
        )
    })
    .collect()
}

/// Key sets whose `oct` key has no secret, with a token MACed under the empty secret.
fn empty_rows() -> Vec<Row> {
    let jwk = |alg: Alg, k: Option<&str>| {
        let mut jwk = json!({"kty": "oct", "kid": "hmac", "use": "sig", "alg": alg.name()});
        if let Some(k) = k {
            jwk["k"] = json!(k);
        }
        json!({ "keys": [jwk] })
    };
    let m = |alg: Alg, jwks: Value| {
        let w = world(alg);
        custom(move |d| {
            w.apply(d);
            d.jwks = jwks.clone();
            let input = d.signing_input();
            d.signer = Signer::Bytes(forge::hmac(alg.hash_bits(), b"", input.as_bytes()));
        })
    };
    let mut rows: Vec<Row> = ALGS
        .into_iter()
        .map(|alg| {
            Row::new(
                format!("{}-empty-k", slug(alg)),
                format!("{alg} allowed, the oct key's k is \"\", the token MACed under the empty secret"),
                m(alg, jwk(alg, Some(""))),
                Expect::Config(KeyBadSecret),
                Must,
                EMPTY,
            )
            .acceptable(&[any_reject()])
            .flags(&["WeakKey"])
            .notes("an empty secret lets anyone MAC any token (CVE-2019-20933); refusing the key set and rejecting the token both fail closed")
        })
        .collect();
    rows.push(
        Row::new(
            "hs256-k-absent",
            "HS256 allowed, the oct key has no k member, the token MACed under the empty secret",
            m(Alg::HS256, jwk(Alg::HS256, None)),
            Expect::Config(KeyBadSecret),
            Must,
            EMPTY,
        )
        .acceptable(&[any_reject()])
        .flags(&["WeakKey"])
        .notes("a library that reads a missing k as the empty secret serves anyone's MAC (CVE-2019-20933)"),
    );
    rows
}

/// MACs over signing inputs whose segments keep their `=` padding.
fn padded_rows() -> Vec<Row> {
    type Build = fn(&mut Draft, Alg);
    fn padded(bytes: &[u8]) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE.encode(bytes)
    }
    fn mac_token(d: &mut Draft, alg: Alg, h: String, p: String, pad_sig: bool) {
        let input = format!("{h}.{p}");
        let secret = secret("primary", usize::from(alg.hash_bits() / 8));
        let mac = forge::hmac(alg.hash_bits(), &secret, input.as_bytes());
        let sig = if pad_sig {
            padded(&mac)
        } else {
            forge::b64(mac)
        };
        d.token = Some(TokenSpec::Text(format!("{input}.{sig}")));
    }
    let header: Build = |d, alg| {
        // A kid whose length leaves the header's base64 with padding.
        for kid in ["hmac", "hmac-", "hmac--"] {
            d.header["kid"] = json!(kid);
            let h = padded(&d.header_bytes());
            if h.ends_with('=') {
                d.jwks["keys"][0]["kid"] = json!(kid);
                let p = forge::b64(d.payload_bytes());
                mac_token(d, alg, h, p, false);
                return;
            }
        }
    };
    let payload: Build = |d, alg| {
        for i in 0..3 {
            set_claim(d, "x", json!("a".repeat(i)));
            let p = padded(&d.payload_bytes());
            if p.ends_with('=') {
                let h = forge::b64(d.header_bytes());
                mac_token(d, alg, h, p, false);
                return;
            }
        }
    };
    let signature: Build = |d, alg| {
        let h = forge::b64(d.header_bytes());
        let p = forge::b64(d.payload_bytes());
        mac_token(d, alg, h, p, true);
    };
    let cases: [(Alg, &str, &str, Build, verifier::Reason); 5] = [
        (
            Alg::HS256,
            "header",
            "header segment",
            header,
            HeaderUnparseable,
        ),
        (
            Alg::HS384,
            "header",
            "header segment",
            header,
            HeaderUnparseable,
        ),
        (
            Alg::HS512,
            "header",
            "header segment",
            header,
            HeaderUnparseable,
        ),
        (
            Alg::HS256,
            "payload",
            "payload segment",
            payload,
            PayloadUnparseable,
        ),
        (
            Alg::HS512,
            "signature",
            "MAC segment",
            signature,
            SignatureInvalid,
        ),
    ];
    cases
        .into_iter()
        .map(|(alg, what, description, build, strict)| {
            let w = world(alg);
            Row::new(
                format!("{}-padded-{what}", slug(alg)),
                format!("{alg} token whose {description} keeps its = padding, MACed over the padded signing input"),
                custom(move |d| {
                    w.apply(d);
                    build(d, alg);
                }),
                rej(LaxBase64),
                Profile,
                LAX,
            )
            .acceptable(&[reject_for(strict), reject_for(NotJwsCompact)])
            .rationale(
                "RFC 7515 §2 defines base64url without padding, but the MAC covers the padded \
                 bytes as received, so a lenient decoder forges nothing; refusing them is the \
                 strict profile (M33).",
            )
        })
        .collect()
}

/// The family's vectors.
pub fn family() -> Family {
    let mut rows = Vec::new();
    for alg in ALGS {
        rows.extend(accept_rows(alg));
        rows.extend(invalid_rows(alg));
    }
    rows.extend(weak_rows());
    rows.extend(empty_rows());
    rows.extend(padded_rows());
    Family::table("hmac", rows)
}
