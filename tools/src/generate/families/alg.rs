//! Algorithm pinning (RFC 8725 §3.1, §3.2): `none` in every casing, other families, near-misses.

use corpus::vector::Severity;
use serde_json::{Value, json};
use verifier::Reason;

use super::{Family, del_hdr, rej, set_hdr};
use crate::generate::{Case, Draft, Signer};

fn alg_case(name: &str, alg: Value, reason: Reason, signer: Signer) -> Case {
    let description = format!("alg {alg}");
    Case::new(name, description, rej(reason), move |d: &mut Draft| {
        set_hdr(d, "alg", alg.clone());
        d.signer = signer.clone();
    })
}

pub fn family() -> Family {
    let mut f = Family::new("alg", Severity::Must, &["RFC 8725 §3.1", "RFC 7515 §4.1.1"]);
    let empty = Signer::Bytes(Vec::new());
    let es = Signer::Es256(forge::KID);
    for (slug, alg) in [
        ("none", "none"),
        ("none-capitalized", "None"),
        ("none-upper", "NONE"),
        ("none-mixed", "nOnE"),
    ] {
        f.add(
            alg_case(
                &format!("{slug}-empty-signature"),
                json!(alg),
                Reason::AlgNone,
                empty.clone(),
            )
            .refs(&["CVE-2015-9235", "seed 003 M01"])
            .flags(&["AlgNone"]),
        );
        f.add(
            alg_case(
                &format!("{slug}-with-es256-signature"),
                json!(alg),
                Reason::AlgNone,
                es.clone(),
            )
            .refs(&["CVE-2015-9235"])
            .flags(&["AlgNone"]),
        );
    }
    f.add(
        Case::new(
            "none-escaped",
            "alg none written as \\u006eone",
            rej(Reason::AlgNone),
            |d| {
                d.header_raw =
                    Some(br#"{"alg":"\u006eone","typ":"at+jwt","kid":"primary"}"#.to_vec());
                d.signer = Signer::Bytes(Vec::new());
            },
        )
        .notes("escapes are decoded before comparison")
        .flags(&["AlgNone"]),
    );
    f.add(
        Case::new("missing", "no alg member", rej(Reason::AlgNone), |d| {
            del_hdr(d, "alg")
        })
        .flags(&["AlgNone"]),
    );
    for (name, alg) in [
        ("null", json!(null)),
        ("number", json!(256)),
        ("bool", json!(true)),
        ("array", json!(["ES256"])),
        ("object", json!({"name": "ES256"})),
    ] {
        f.add(
            alg_case(
                &format!("non-string-{name}"),
                alg,
                Reason::AlgNone,
                es.clone(),
            )
            .notes("an alg that is not a string cannot be parsed: alg_none"),
        );
    }
    for (alg, bits) in [("HS256", 256), ("HS384", 384), ("HS512", 512)] {
        let secret = Signer::Hmac(bits, b"a shared secret an attacker guessed".to_vec());
        f.add(
            alg_case(
                &alg.to_lowercase(),
                json!(alg),
                Reason::AlgHmacRejected,
                secret,
            )
            .flags(&["AlgConfusion"]),
        );
    }
    let rsa_sig = Signer::Bytes(vec![0x5a; 256]);
    for alg in ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"] {
        f.add(alg_case(
            &alg.to_lowercase(),
            json!(alg),
            Reason::AlgRsaRejected,
            rsa_sig.clone(),
        ));
    }
    for (alg, len) in [("ES384", 96usize), ("ES512", 132), ("ES256K", 64)] {
        f.add(alg_case(
            &alg.to_lowercase(),
            json!(alg),
            Reason::AlgEcdsaRejected,
            Signer::Bytes(vec![0x42; len]),
        ));
    }
    f.add(
        alg_case(
            "es384-with-es256-signature",
            json!("ES384"),
            Reason::AlgEcdsaRejected,
            es.clone(),
        )
        .notes("a genuine ES256 signature does not make ES384 acceptable"),
    );
    let near_misses: [(&str, Value); 16] = [
        ("eddsa", json!("EdDSA")),
        ("ed25519", json!("Ed25519")),
        ("ed448", json!("Ed448")),
        ("lowercase-es256", json!("es256")),
        ("mixed-case-es256", json!("Es256")),
        ("trailing-space", json!("ES256 ")),
        ("leading-space", json!(" ES256")),
        ("trailing-nul", json!("ES256\u{0}")),
        ("trailing-newline", json!("ES256\n")),
        ("inner-space", json!("ES 256")),
        ("hyphenated", json!("ES-256")),
        ("empty-string", json!("")),
        ("jwe-dir", json!("dir")),
        ("jwe-a256kw", json!("A256KW")),
        ("lowercase-hs256", json!("hs256")),
        ("none-with-space", json!("none ")),
    ];
    for (name, alg) in near_misses {
        f.add(alg_case(name, alg, Reason::AlgNotAllowed, es.clone()).refs(&["seed 003 M02"]));
    }
    f.add(
        Case::new(
            "none-and-jwk",
            "alg none with an embedded jwk",
            rej(Reason::AlgNone),
            |d| {
                set_hdr(d, "alg", json!("none"));
                set_hdr(
                    d,
                    "jwk",
                    forge::public_jwk(forge::key("attacker").verifying_key(), "attacker"),
                );
                d.signer = Signer::Bytes(Vec::new());
            },
        )
        .notes("alg is checked before header parameters: alg_none wins over header_jwk"),
    );
    f.add(
        Case::new(
            "hs256-and-typ-jwt",
            "HS256 with typ JWT",
            rej(Reason::AlgHmacRejected),
            |d| {
                set_hdr(d, "alg", json!("HS256"));
                set_hdr(d, "typ", json!("JWT"));
                d.signer = Signer::Hmac(256, b"secret".to_vec());
            },
        )
        .notes("alg is checked before typ"),
    );
    f
}
