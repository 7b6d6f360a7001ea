//! Issuer pinning: RFC 9068 §4 requires the issuer identifier to "exactly match" `iss`, so every
//! other value is a binding rejection: a partial match (CVE-2024-53861), a trailing slash, another
//! case, another encoding, another type.

use corpus::vector::Severity::Must;
use serde_json::{Value, json};
use verifier::Reason::IssMismatch;

use super::{Family, rej};
use crate::generate::{Row, claim, custom, no_claim};

/// The issuer must exactly match; RFC 8725 §3.8 ties the key to that issuer.
const ISS: &[&str] = &["RFC9068-4-iss", "RFC8725-3.8-iss", "M23"];
/// A partial comparison accepted another issuer.
const PARTIAL: &[&str] = &["RFC9068-4-iss", "RFC8725-3.8-iss", "CVE-2024-53861", "M23"];
/// `iss` is a case-sensitive string: another type or another spelling is another value.
const SHAPE: &[&str] = &[
    "RFC9068-4-iss",
    "RFC8725-3.8-iss",
    "RFC7519-4.1.1-iss",
    "RFC7519-2-stringoruri",
    "M23",
];

/// Why a URL-normalizing comparison is still wrong.
const NO_NORMALIZING: &str = "RFC 9068 §4 requires the issuer identifier to exactly match \
                              iss, and RFC 7519 §2 compares StringOrURI values as \
                              case-sensitive strings with no transformations or \
                              canonicalizations, so URL normalization that would equate the two \
                              values does not apply.";

pub fn family() -> Family {
    let other = |name: &str, description: &str, value: Value, basis: &[&str]| {
        Row::new(
            name,
            description,
            claim("iss", value),
            rej(IssMismatch),
            Must,
            basis,
        )
    };
    let rows = vec![
        Row::new(
            "missing",
            "no iss",
            no_claim("iss"),
            rej(IssMismatch),
            Must,
            &["RFC9068-4-iss", "RFC9068-2.2-claims", "M23"],
        )
        .refs(&["OpenID conformance oidcc-client-test-invalid-iss"]),
        Row::new(
            "pinned-with-trailing-slash",
            "issuer pinned with a slash, token without",
            custom(|d| d.profile.issuer = Some("https://issuer.example/".into())),
            rej(IssMismatch),
            Must,
            SHAPE,
        )
        .rationale(NO_NORMALIZING),
        other(
            "trailing-slash",
            "the issuer with a trailing slash",
            json!("https://issuer.example/"),
            SHAPE,
        )
        .rationale(NO_NORMALIZING),
        other(
            "uppercase-host",
            "the issuer host in upper case",
            json!("https://ISSUER.example"),
            SHAPE,
        )
        .rationale(NO_NORMALIZING),
        other(
            "uppercase-scheme",
            "the issuer scheme in upper case",
            json!("HTTPS://issuer.example"),
            SHAPE,
        )
        .rationale(NO_NORMALIZING),
        other(
            "percent-encoded",
            "the issuer percent-encoded",
            json!("https%3A%2F%2Fissuer.example"),
            SHAPE,
        )
        .rationale(NO_NORMALIZING),
        other(
            "http-scheme",
            "http instead of https",
            json!("http://issuer.example"),
            ISS,
        ),
        other(
            "suffix-domain",
            "the issuer as a prefix of another host",
            json!("https://issuer.example.attacker.example"),
            PARTIAL,
        ),
        other(
            "path-extension",
            "the issuer followed by a path",
            json!("https://issuer.example/tenant/evil"),
            PARTIAL,
        ),
        other(
            "substring",
            "a substring of the issuer",
            json!("issuer.example"),
            PARTIAL,
        ),
        other(
            "prefix",
            "a prefix of the issuer",
            json!("https://issuer.exam"),
            PARTIAL,
        ),
        other(
            "array",
            "iss as an array holding the issuer",
            json!([forge::ISSUER]),
            SHAPE,
        ),
        other("null", "iss null", json!(null), SHAPE),
        other("number", "iss as a number", json!(1), SHAPE),
        other("empty", "iss empty", json!(""), ISS),
        other(
            "leading-space",
            "the issuer after a space",
            json!(" https://issuer.example"),
            ISS,
        ),
        other(
            "homoglyph",
            "the issuer with a Cyrillic е",
            json!("https://issu\u{0435}r.example"),
            ISS,
        ),
    ];
    Family::table("iss", rows)
}
