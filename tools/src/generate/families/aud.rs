//! Audience: a string or array of strings naming a configured audience (M20–M22,
//! CVE-2020-26160 array handling).

use corpus::vector::Severity;
use serde_json::{Value, json};
use verifier::Reason;

use super::{Family, del_claim, rej, set_claim};
use crate::generate::Case;

pub fn family() -> Family {
    let mut f = Family::new("aud", Severity::Must, &["RFC 7519 §4.1.3", "RFC 9068 §4"]);
    let aud = forge::AUDIENCE;
    f.add(
        Case::new("missing", "no aud", rej(Reason::AudMissing), |d| {
            del_claim(d, "aud")
        })
        .refs(&[
            "seed 003 M20",
            "OpenID conformance oidcc-client-test-missing-aud",
        ]),
    );
    f.add(
        Case::new(
            "missing-and-sub-missing",
            "neither aud nor sub",
            rej(Reason::AudMissing),
            |d| {
                del_claim(d, "aud");
                del_claim(d, "sub");
            },
        )
        .notes("aud is checked before sub"),
    );
    f.add(Case::new(
        "renamed-audience",
        "the audience under another name",
        rej(Reason::AudMissing),
        |d| {
            del_claim(d, "aud");
            set_claim(d, "audience", json!(forge::AUDIENCE));
        },
    ));
    f.add(
        Case::new(
            "missing-azp-present",
            "no aud, but azp names our service",
            rej(Reason::AudMissing),
            |d| {
                del_claim(d, "aud");
                set_claim(d, "azp", json!(forge::AUDIENCE));
            },
        )
        .refs(&["OpenID Connect Core §2"]),
    );
    let values: [(&str, &str, Value); 16] = [
        ("empty-array", "aud []", json!([])),
        ("array-numbers", "aud [1]", json!([1])),
        ("array-mixed", "ours and a number", json!([aud, 1])),
        ("array-null-member", "ours and null", json!([aud, null])),
        (
            "array-nested",
            "ours nested in an inner array",
            json!([[aud]]),
        ),
        (
            "array-none-matching",
            "two other audiences",
            json!(["https://a.example", "https://b.example"]),
        ),
        ("object", "aud as an object", json!({"aud": aud})),
        ("number", "aud as a number", json!(1)),
        ("bool", "aud true", json!(true)),
        ("null", "aud null", json!(null)),
        ("empty-string", "aud empty", json!("")),
        (
            "other",
            "another service's audience",
            json!("https://other.example"),
        ),
        (
            "uppercase",
            "ours in upper case",
            json!("HTTPS://API.EXAMPLE"),
        ),
        (
            "trailing-slash",
            "ours with a trailing slash",
            json!("https://api.example/"),
        ),
        (
            "prefix-match",
            "ours as the prefix of another host",
            json!("https://api.example.attacker.example"),
        ),
        (
            "comma-joined",
            "ours and another joined by a comma",
            json!("https://api.example,https://other.example"),
        ),
    ];
    for (name, description, value) in values {
        // RFC 7519 only demands that the principal find itself; ill-typed members are the profile's rule.
        let severity = if name.starts_with("array-mixed") || name == "array-null-member" {
            Severity::Profile
        } else {
            Severity::Must
        };
        f.add(
            Case::new(name, description, rej(Reason::AudMismatch), move |d| {
                set_claim(d, "aud", value.clone())
            })
            .severity(severity)
            .refs(&["seed 003 M21", "seed 003 M22", "CVE-2020-26160"]),
        );
    }
    f
}
