//! Key selection: the `kid` must name a pinned key (M12).

use corpus::vector::Severity;
use serde_json::{Value, json};
use verifier::Reason;

use super::{Family, del_hdr, rej, set_hdr};
use crate::generate::{Case, Signer};

pub fn family() -> Family {
    let mut f = Family::new("kid", Severity::Must, &["RFC 7515 §4.1.4", "seed 003 M12"]);
    f.add(
        Case::new("missing", "no kid", rej(Reason::KidUnknown), |d| {
            del_hdr(d, "kid")
        })
        .severity(Severity::Profile)
        .notes("RFC 7515 makes kid optional; the profile requires it to select a pinned key"),
    );
    let values: [(&str, &str, Value); 15] = [
        (
            "zero-width-space",
            "the kid followed by U+200B",
            json!("primary\u{200b}"),
        ),
        ("null", "kid null", json!(null)),
        ("number", "kid as a number", json!(1)),
        ("array", "kid as an array", json!([forge::KID])),
        ("object", "kid as an object", json!({"kid": forge::KID})),
        ("bool", "kid true", json!(true)),
        ("empty", "empty kid", json!("")),
        ("unknown", "a kid not in the set", json!("other")),
        ("case-different", "the kid in upper case", json!("PRIMARY")),
        (
            "trailing-space",
            "the kid with a trailing space",
            json!("primary "),
        ),
        (
            "nul-suffix",
            "the kid followed by NUL",
            json!("primary\u{0}"),
        ),
        ("very-long", "a 3000-character kid", json!("k".repeat(3000))),
        (
            "path-traversal",
            "a path-traversal kid",
            json!("../../../../dev/null"),
        ),
        (
            "sql-injection",
            "an SQL-injection kid",
            json!("' OR '1'='1"),
        ),
        ("url", "a URL kid", json!("https://attacker.example/key")),
    ];
    for (name, description, value) in values {
        let severity = if value.is_string() {
            Severity::Must
        } else {
            Severity::Profile
        };
        f.add(
            Case::new(name, description, rej(Reason::KidUnknown), move |d| {
                set_hdr(d, "kid", value.clone())
            })
            .severity(severity),
        );
    }
    f.add(Case::new(
        "attacker-key-unknown-kid",
        "signed by the attacker under the attacker's kid",
        rej(Reason::KidUnknown),
        |d| {
            set_hdr(d, "kid", json!("attacker"));
            d.signer = Signer::Es256("attacker");
        },
    ));
    f.add(
        Case::new(
            "kid-of-other-key",
            "kid names the second key, signed by the first",
            rej(Reason::SignatureInvalid),
            |d| {
                d.jwks = forge::jwks(&[
                    (forge::KID, &forge::key(forge::KID)),
                    ("secondary", &forge::key("secondary")),
                ]);
                set_hdr(d, "kid", json!("secondary"));
            },
        )
        .notes("the kid selects the key; the signature must verify under exactly that key"),
    );
    f
}
