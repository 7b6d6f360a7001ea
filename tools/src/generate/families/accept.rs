//! Positive controls: tokens a conforming verifier must accept.

use corpus::vector::Severity;
use serde_json::json;
use verifier::Profile;

use super::{Draft, Expect, Family, nested, set_claim, set_hdr};
use crate::generate::{Case, Signer};

fn ok(name: &str, description: &str, mutate: impl Fn(&mut Draft) + 'static) -> Case {
    Case::new(name, description, Expect::Accept, mutate)
}

fn two_keys(d: &mut Draft) {
    d.jwks = forge::jwks(&[
        (forge::KID, &forge::key(forge::KID)),
        ("secondary", &forge::key("secondary")),
    ]);
}

pub fn family() -> Family {
    let mut f = Family::new("accept", Severity::Must, &["RFC 9068 §4", "RFC 7515 §5.2"]);
    let aud = forge::AUDIENCE;
    f.add(ok("baseline", "The baseline RFC 9068 access token", |_| {}));
    f.add(
        ok(
            "aud-array-single",
            "aud is an array holding only our audience",
            move |d| set_claim(d, "aud", json!([aud])),
        )
        .refs(&["RFC 7519 §4.1.3"]),
    );
    f.add(
        ok(
            "aud-array-first",
            "aud array with our audience first of two",
            move |d| set_claim(d, "aud", json!([aud, "https://other.example"])),
        )
        .refs(&["RFC 7519 §4.1.3"]),
    );
    f.add(
        ok(
            "aud-array-last",
            "aud array with our audience last of three",
            move |d| {
                set_claim(
                    d,
                    "aud",
                    json!(["https://a.example", "https://b.example", aud]),
                )
            },
        )
        .refs(&["RFC 7519 §4.1.3"]),
    );
    f.add(
        ok(
            "aud-array-ten",
            "aud array of ten with ours in the middle",
            move |d| {
                let mut list: Vec<String> =
                    (0..9).map(|i| format!("https://svc{i}.example")).collect();
                list.insert(5, aud.to_owned());
                set_claim(d, "aud", json!(list));
            },
        )
        .refs(&["RFC 7519 §4.1.3", "CVE-2020-26160"]),
    );
    f.add(ok(
        "aud-array-duplicate-entries",
        "aud array naming our audience twice",
        move |d| set_claim(d, "aud", json!([aud, aud])),
    ));
    f.add(
        ok(
            "iss-unicode-escaped",
            "iss with every solidus written as \\u002f",
            |d| {
                let text = d.claims.to_string().replace(
                    "https://issuer.example",
                    "https:\\u002f\\u002fissuer.example",
                );
                d.payload_raw = Some(text.into_bytes());
            },
        )
        .refs(&["RFC 8259 §7"]),
    );
    f.add(ok(
        "aud-second-configured",
        "token names the second of two configured audiences",
        |d| {
            d.profile.audiences.push("https://api2.example".into());
            set_claim(d, "aud", json!("https://api2.example"));
        },
    ));
    f.add(ok(
        "aud-array-second-configured",
        "aud array names only the second configured audience",
        |d| {
            d.profile.audiences.push("https://api2.example".into());
            set_claim(
                d,
                "aud",
                json!(["https://x.example", "https://api2.example"]),
            );
        },
    ));
    f.add(
        ok(
            "all-optional-claims",
            "every optional RFC 9068/7519 claim present",
            |d| {
                for (k, v) in [
                    ("nbf", json!(forge::LONG_AGO)),
                    ("scope", json!("read write")),
                    ("auth_time", json!(forge::LONG_AGO)),
                    ("acr", json!("urn:mace:incommon:iap:silver")),
                    ("amr", json!(["pwd", "otp"])),
                    ("groups", json!(["admins"])),
                    ("roles", json!(["reader"])),
                    ("entitlements", json!(["e1"])),
                    ("sid", json!("session-1")),
                    ("cat", json!("access")),
                    ("sv", json!(1)),
                ] {
                    set_claim(d, k, v);
                }
            },
        )
        .refs(&["RFC 9068 §2.2.3", "RFC 7519 §4.1"]),
    );
    f.add(ok("nbf-long-ago", "nbf in the past", |d| {
        set_claim(d, "nbf", json!(forge::LONG_AGO))
    }));
    f.add(ok("nbf-zero", "nbf of 0 (the epoch)", |d| {
        set_claim(d, "nbf", json!(0))
    }));
    f.add(ok("iat-zero", "iat of 0 (the epoch)", |d| {
        set_claim(d, "iat", json!(0))
    }));
    f.add(
        ok(
            "exp-i64-max",
            "exp at i64::MAX under a profile without a lifetime bound",
            |d| set_claim(d, "exp", json!(i64::MAX)),
        )
        .refs(&["RFC 7519 §2"]),
    );
    f.add(ok("unicode-claims", "non-ASCII claim values", |d| {
        set_claim(d, "name", json!("Zoë Ωμέγα 漢字 🙂"));
        set_claim(d, "client_id", json!("клиент"));
    }));
    f.add(
        ok(
            "escaped-solidus-iss",
            "iss written with escaped solidus equals the issuer after unescaping",
            |d| {
                let text = d
                    .claims
                    .to_string()
                    .replace("https://issuer.example", "https:\\/\\/issuer.example");
                d.payload_raw = Some(text.into_bytes());
            },
        )
        .refs(&["RFC 8259 §7"]),
    );
    f.add(ok(
        "unicode-escape-claim",
        "claim value with \\u escapes",
        |d| {
            let text = d
                .claims
                .to_string()
                .replacen('{', "{\"note\":\"caf\\u00e9 \\u6f22\",", 1);
            d.payload_raw = Some(text.into_bytes());
        },
    ));
    f.add(
        ok(
            "surrogate-pair-escape",
            "a valid escaped surrogate pair",
            |d| {
                let text = d
                    .claims
                    .to_string()
                    .replacen('{', "{\"emoji\":\"\\ud83d\\ude00\",", 1);
                d.payload_raw = Some(text.into_bytes());
            },
        )
        .refs(&["RFC 8259 §7"]),
    );
    f.add(ok(
        "escaped-nul-in-claim",
        "an escaped NUL inside a custom claim value",
        |d| {
            let text = d
                .claims
                .to_string()
                .replacen('{', "{\"note\":\"a\\u0000b\",", 1);
            d.payload_raw = Some(text.into_bytes());
        },
    ));
    f.add(
        ok(
            "whitespace-in-header-json",
            "insignificant JSON whitespace in the header",
            |d| {
                d.header_raw = Some(
                    b"{ \"alg\" : \"ES256\" ,\n \"typ\":\"at+jwt\",\t\"kid\":\"primary\" }"
                        .to_vec(),
                );
            },
        )
        .refs(&["RFC 8259 §2"]),
    );
    f.add(ok(
        "whitespace-in-payload-json",
        "pretty-printed payload JSON",
        |d| {
            d.payload_raw = Some(
                serde_json::to_string_pretty(&d.claims)
                    .unwrap_or_default()
                    .into_bytes(),
            );
        },
    ));
    f.add(
        ok(
            "trailing-newline-in-payload-json",
            "payload JSON followed by whitespace (valid JSON text)",
            |d| {
                d.payload_raw = Some(format!("{}\n", d.claims).into_bytes());
            },
        )
        .refs(&["RFC 8259 §2"]),
    );
    f.add(ok(
        "header-kid-first",
        "header members in another order",
        |d| {
            d.header_raw = Some(br#"{"kid":"primary","alg":"ES256","typ":"at+jwt"}"#.to_vec());
        },
    ));
    f.add(ok(
        "header-typ-first",
        "header members with typ first",
        |d| {
            d.header_raw = Some(br#"{"typ":"at+jwt","kid":"primary","alg":"ES256"}"#.to_vec());
        },
    ));
    f.add(
        ok(
            "rotated-key-second",
            "signed by the second key of a two-key set",
            |d| {
                two_keys(d);
                set_hdr(d, "kid", json!("secondary"));
                d.signer = Signer::Es256("secondary");
            },
        )
        .refs(&["OpenID conformance oidcc-client-test-signing-key-rotated"]),
    );
    f.add(ok(
        "rotated-key-old-still-valid",
        "old key still in a rotated set verifies old tokens",
        two_keys,
    ));
    f.add(ok("five-key-set", "the signing key is one of five", |d| {
        let names = ["k0", "k1", forge::KID, "k3", "k4"];
        let keys: Vec<_> = names.iter().map(|n| forge::key(n)).collect();
        let pairs: Vec<(&str, &forge::SigningKey)> =
            names.iter().copied().zip(keys.iter()).collect();
        d.jwks = forge::jwks(&pairs);
    }));
    f.add(
        ok(
            "high-s-signature",
            "a valid signature with s > n/2 (Wycheproof: valid)",
            |d| {
                d.signer =
                    Signer::Es256Then(forge::KID, crate::generate::families::signature::to_high_s);
            },
        )
        .flags(&["HighS"])
        .notes("Policy: high-S accepted, as Wycheproof and RFC 7518 allow")
        .refs(&["Wycheproof ecdsa_secp256r1_sha256_p1363"]),
    );
    f.add(
        ok(
            "nested-claims-depth-16",
            "a claim nested to exactly the profile's depth bound (16)",
            |d| {
                let text = d.claims.to_string().replacen(
                    '{',
                    &format!("{{\"deep\":{},", nested(15, "1")),
                    1,
                );
                d.payload_raw = Some(text.into_bytes());
            },
        )
        .severity(Severity::Profile),
    );
    f.add(ok("long-jti", "a 2000-character jti", |d| {
        set_claim(d, "jti", json!("j".repeat(2000)))
    }));
    f.add(ok("kid-unicode", "a non-ASCII kid", |d| {
        d.jwks = forge::jwks(&[("clé-é", &forge::key(forge::KID))]);
        set_hdr(d, "kid", json!("clé-é"));
    }));
    f.add(ok(
        "kid-long",
        "a 1000-character kid present in the set",
        |d| {
            let kid = "k".repeat(1000);
            d.jwks = forge::jwks(&[(kid.as_str(), &forge::key(forge::KID))]);
            set_hdr(d, "kid", json!(kid));
        },
    ));
    f.add(
        ok(
            "custom-numbers",
            "custom claims may be floats, negatives and exponents",
            |d| {
                let text = d.claims.to_string().replacen(
                    '{',
                    "{\"f\":1.5,\"n\":-5,\"e\":1e3,\"z\":-0,",
                    1,
                );
                d.payload_raw = Some(text.into_bytes());
            },
        )
        .notes("Only exp, iat and nbf must be integers"),
    );
    f.add(ok(
        "custom-null-bool-object",
        "custom claims of every JSON type",
        |d| {
            set_claim(d, "n", json!(null));
            set_claim(d, "b", json!(true));
            set_claim(d, "o", json!({"a": {"b": []}}));
        },
    ));
    f.add(ok(
        "cat-present-not-required",
        "cat present when the profile does not require one",
        |d| set_claim(d, "cat", json!("refresh")),
    ));
    f.add(ok(
        "sid-sv-without-state-rules",
        "sid and sv present when no state rule is on",
        |d| {
            set_claim(d, "sid", json!("s1"));
            set_claim(d, "sv", json!(0));
        },
    ));
    f.add(
        ok(
            "case-distinct-members",
            "members differing only in case are distinct, not duplicates",
            |d| {
                set_claim(d, "EXP", json!("not a time"));
                set_claim(d, "Sub", json!(1));
            },
        )
        .refs(&["RFC 8259 §8.3"]),
    );
    f.add(
        ok(
            "jwk-without-use-alg",
            "a JWK with neither use nor alg",
            |d| {
                let mut jwk = forge::public_jwk(forge::key(forge::KID).verifying_key(), forge::KID);
                if let Some(m) = jwk.as_object_mut() {
                    m.remove("use");
                    m.remove("alg");
                }
                d.jwks = json!({"keys": [jwk]});
            },
        )
        .refs(&["RFC 7517 §4.2", "RFC 7517 §4.4"]),
    );
    f.add(ok(
        "max-lifetime-off-far-exp",
        "exp far in the future is fine without a lifetime bound",
        |d| set_claim(d, "exp", json!(253_402_300_799_i64)),
    ));
    f.add(ok(
        "profile-two-audiences-first",
        "two configured audiences, token names the first",
        |d| {
            d.profile.audiences.push("https://api2.example".into());
        },
    ));
    f.add(
        ok(
            "default-profile-short-lived",
            "a short-lived token under the default (clock-bound) profile",
            |d| {
                d.profile = Profile::new(forge::ISSUER, forge::AUDIENCE);
                d.claims = forge::claims_at(forge::NOW - 10, 300);
            },
        )
        .refs(&["RFC 9068 §4"]),
    );
    f
}
