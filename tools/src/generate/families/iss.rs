//! Issuer pinning: byte equality only (CVE-2024-53861 partial match, trailing slash, case).

use corpus::vector::Severity;
use serde_json::{Value, json};
use verifier::Reason;

use super::{Family, del_claim, rej, set_claim};
use crate::generate::Case;

pub fn family() -> Family {
    let mut f = Family::new(
        "iss",
        Severity::Must,
        &["RFC 7519 §4.1.1", "RFC 9068 §4", "seed 003 M23"],
    );
    f.add(
        Case::new("missing", "no iss", rej(Reason::IssMismatch), |d| {
            del_claim(d, "iss")
        })
        .refs(&["OpenID conformance oidcc-client-test-invalid-iss"]),
    );
    let values: [(&str, &str, Value); 15] = [
        (
            "trailing-slash",
            "the issuer with a trailing slash",
            json!("https://issuer.example/"),
        ),
        (
            "uppercase-host",
            "the issuer host in upper case",
            json!("https://ISSUER.example"),
        ),
        (
            "uppercase-scheme",
            "the issuer scheme in upper case",
            json!("HTTPS://issuer.example"),
        ),
        (
            "http-scheme",
            "http instead of https",
            json!("http://issuer.example"),
        ),
        (
            "suffix-domain",
            "the issuer as a prefix of another host",
            json!("https://issuer.example.attacker.example"),
        ),
        (
            "path-extension",
            "the issuer followed by a path",
            json!("https://issuer.example/tenant/evil"),
        ),
        (
            "substring",
            "a substring of the issuer",
            json!("issuer.example"),
        ),
        (
            "prefix",
            "a prefix of the issuer",
            json!("https://issuer.exam"),
        ),
        (
            "array",
            "iss as an array holding the issuer",
            json!([forge::ISSUER]),
        ),
        ("null", "iss null", json!(null)),
        ("number", "iss as a number", json!(1)),
        ("empty", "iss empty", json!("")),
        (
            "leading-space",
            "the issuer after a space",
            json!(" https://issuer.example"),
        ),
        (
            "homoglyph",
            "the issuer with a Cyrillic е",
            json!("https://issu\u{0435}r.example"),
        ),
        (
            "percent-encoded",
            "the issuer percent-encoded",
            json!("https%3A%2F%2Fissuer.example"),
        ),
    ];
    for (name, description, value) in values {
        f.add(
            Case::new(name, description, rej(Reason::IssMismatch), move |d| {
                set_claim(d, "iss", value.clone())
            })
            .refs(&["CVE-2024-53861"]),
        );
    }
    f.add(Case::new(
        "pinned-with-trailing-slash",
        "issuer pinned with a slash, token without",
        rej(Reason::IssMismatch),
        |d| {
            d.profile.issuer = Some("https://issuer.example/".into());
        },
    ));
    f
}
