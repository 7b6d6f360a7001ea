//! Header parameters that move trust into the token, and the header allowlist (M07–M16).

use corpus::vector::Severity;
use serde_json::{Value, json};
use verifier::Reason;

use super::{Family, rej, set_hdr};
use crate::generate::{Case, Draft, Signer};

fn with(
    name: &str,
    description: &str,
    reason: Reason,
    members: Vec<(&'static str, Value)>,
) -> Case {
    Case::new(name, description, rej(reason), move |d: &mut Draft| {
        for (k, v) in &members {
            set_hdr(d, k, v.clone());
        }
    })
}

pub fn family() -> Family {
    let mut f = Family::new(
        "header",
        Severity::Must,
        &["RFC 8725 §3.10", "RFC 7515 §4.1"],
    );
    let attacker = forge::public_jwk(forge::key("attacker").verifying_key(), "attacker");
    let ours = forge::public_jwk(forge::key(forge::KID).verifying_key(), forge::KID);
    f.add(
        with(
            "jku",
            "jku pointing at an attacker's key set",
            Reason::HeaderJku,
            vec![("jku", json!("https://attacker.example/jwks.json"))],
        )
        .refs(&["RFC 7515 §4.1.2", "seed 003 M07"]),
    );
    f.add(
        with(
            "jku-same-issuer",
            "jku pointing at the real issuer's key set",
            Reason::HeaderJku,
            vec![("jku", json!("https://issuer.example/.well-known/jwks.json"))],
        )
        .notes("even a plausible jku is refused: keys are pinned"),
    );
    f.add(
        with(
            "x5u",
            "x5u pointing at an attacker's certificate",
            Reason::HeaderX5u,
            vec![("x5u", json!("https://attacker.example/cert.pem"))],
        )
        .refs(&["RFC 7515 §4.1.5", "seed 003 M08"]),
    );
    f.add(
        Case::new(
            "jwk-attacker-key",
            "embedded jwk of the attacker's key, signed by it (CVE-2018-0114)",
            rej(Reason::HeaderJwk),
            {
                let attacker = attacker.clone();
                move |d: &mut Draft| {
                    set_hdr(d, "jwk", attacker.clone());
                    set_hdr(d, "kid", json!("attacker"));
                    d.signer = Signer::Es256("attacker");
                }
            },
        )
        .refs(&["CVE-2018-0114", "RFC 7515 §4.1.3", "seed 003 M09"])
        .flags(&["EmbeddedKey"]),
    );
    f.add(
        with(
            "jwk-our-key",
            "embedded jwk equal to the pinned key, genuinely signed",
            Reason::HeaderJwk,
            vec![("jwk", ours)],
        )
        .notes("refused by presence, not by value"),
    );
    f.add(
        Case::new(
            "x5c-chain",
            "x5c with a real certificate chain for the attacker's key",
            rej(Reason::HeaderX5c),
            |d| {
                set_hdr(d, "x5c", json!(crate::generate::certs::x5c_chain()));
                d.signer = Signer::Es256("attacker");
            },
        )
        .refs(&["RFC 7515 §4.1.6", "seed 003 M10"])
        .flags(&["EmbeddedKey"]),
    );
    f.add(
        with(
            "jku-null",
            "jku present as null",
            Reason::HeaderJku,
            vec![("jku", json!(null))],
        )
        .notes("refused by presence"),
    );
    f.add(with(
        "jwk-empty-object",
        "jwk as an empty object",
        Reason::HeaderJwk,
        vec![("jwk", json!({}))],
    ));
    f.add(with(
        "x5u-http",
        "x5u over plain http",
        Reason::HeaderX5u,
        vec![("x5u", json!("http://issuer.example/cert.pem"))],
    ));
    f.add(with(
        "x5u-file",
        "x5u with a file URL",
        Reason::HeaderX5u,
        vec![("x5u", json!("file:///etc/ssl/certs/ca.pem"))],
    ));
    f.add(with(
        "x5c-string",
        "x5c as a bare string",
        Reason::HeaderX5c,
        vec![("x5c", json!("MIIB"))],
    ));
    f.add(
        with(
            "b64-string-false",
            "b64 as the string \"false\"",
            Reason::HeaderB64False,
            vec![("b64", json!("false"))],
        )
        .severity(Severity::Profile),
    );
    f.add(with(
        "x5c-empty",
        "x5c as an empty array",
        Reason::HeaderX5c,
        vec![("x5c", json!([]))],
    ));
    f.add(
        with(
            "crit-exp",
            "crit naming a registered claim",
            Reason::HeaderCrit,
            vec![("crit", json!(["exp"]))],
        )
        .refs(&["RFC 7515 §4.1.11", "CVE-2026-32597", "seed 003 M11"]),
    );
    f.add(
        with(
            "crit-empty",
            "crit as an empty array (itself invalid)",
            Reason::HeaderCrit,
            vec![("crit", json!([]))],
        )
        .refs(&["RFC 7515 §4.1.11"]),
    );
    f.add(
        with(
            "crit-unknown-extension",
            "crit naming an unknown extension that is present",
            Reason::HeaderCrit,
            vec![
                ("crit", json!(["http://example.com/ext"])),
                ("http://example.com/ext", json!(true)),
            ],
        )
        .refs(&["RFC 7515 §4.1.11", "CVE-2026-32597"]),
    );
    f.add(
        with(
            "crit-b64",
            "crit [b64] with b64 false (RFC 7797)",
            Reason::HeaderCrit,
            vec![("crit", json!(["b64"])), ("b64", json!(false))],
        )
        .notes("crit is checked before b64"),
    );
    f.add(
        with(
            "b64-false",
            "b64 false without crit",
            Reason::HeaderB64False,
            vec![("b64", json!(false))],
        )
        .refs(&["RFC 7797 §3", "seed 003 M16a"]),
    );
    f.add(
        with(
            "b64-true",
            "b64 true (the default, stated)",
            Reason::HeaderB64False,
            vec![("b64", json!(true))],
        )
        .severity(Severity::Profile),
    );
    f.add(
        with(
            "cty-jwt",
            "cty JWT: a nested token",
            Reason::NestedJws,
            vec![("cty", json!("JWT"))],
        )
        .refs(&["RFC 7519 §5.2", "seed 003 M14"]),
    );
    f.add(
        with(
            "cty-at-jwt",
            "cty at+jwt",
            Reason::NestedJws,
            vec![("cty", json!("at+jwt"))],
        )
        .severity(Severity::Profile),
    );
    f.add(
        with(
            "cty-json",
            "cty application/json",
            Reason::NestedJws,
            vec![("cty", json!("application/json"))],
        )
        .severity(Severity::Profile),
    );
    let extras: [(&str, &str, Value); 9] = [
        ("zip", "zip DEF in a JWS", json!("DEF")),
        ("enc", "enc in a JWS", json!("A256GCM")),
        ("x5t", "x5t thumbprint", json!("dGhpcyBpcyBub3QgYSB0aHVtYg")),
        (
            "x5t#S256",
            "x5t#S256 thumbprint",
            json!("dGhpcyBpcyBub3QgYSB0aHVtYg"),
        ),
        (
            "iss",
            "iss replicated in the header (RFC 7519 §5.3)",
            json!("https://attacker.example"),
        ),
        ("Alg", "a second alg spelled with a capital", json!("none")),
        ("foo", "an unknown member", json!("bar")),
        ("", "a member with an empty name", json!(1)),
        ("epk", "a JWE epk member", json!({"kty": "EC"})),
    ];
    for (member, description, value) in extras {
        let slug = match member {
            "" => "empty-name".to_owned(),
            m => m.replace('#', "-").to_lowercase(),
        };
        f.add(
            with(
                &format!("extra-{slug}"),
                description,
                Reason::HeaderExtraParam,
                vec![(member, value)],
            )
            .severity(Severity::Profile)
            .refs(&["seed 003 M16"]),
        );
    }
    f.add(
        with(
            "jku-and-x5u",
            "jku and x5u together",
            Reason::HeaderJku,
            vec![
                ("jku", json!("https://a.example")),
                ("x5u", json!("https://b.example")),
            ],
        )
        .notes("jku is checked first"),
    );
    f.add(
        with(
            "jwk-and-crit",
            "jwk and crit together",
            Reason::HeaderJwk,
            vec![("jwk", attacker.clone()), ("crit", json!(["exp"]))],
        )
        .notes("jwk is checked before crit"),
    );
    f.add(
        with(
            "cty-and-extra",
            "cty and an unknown member",
            Reason::NestedJws,
            vec![("cty", json!("JWT")), ("foo", json!(1))],
        )
        .notes("forbidden parameters are checked before the allowlist"),
    );
    f.add(
        with(
            "extra-and-typ-jwt",
            "an unknown member and typ JWT",
            Reason::HeaderExtraParam,
            vec![("foo", json!(1)), ("typ", json!("JWT"))],
        )
        .severity(Severity::Profile)
        .notes("the allowlist is checked before typ"),
    );
    f
}
