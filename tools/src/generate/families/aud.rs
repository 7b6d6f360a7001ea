//! Audience: RFC 9068 §4 and RFC 8725 §3.9 make the resource server reject a token whose `aud` is
//! missing or names none of its identifiers; RFC 7519 §4.1.3 makes the values case-sensitive
//! strings. Array handling is CVE-2020-26160. An array holding ours beside an ill-typed member is
//! the profile's rule (RFC 7519 lets the principal find itself there).

use corpus::vector::Severity::{Must, Profile};
use serde_json::{Value, json};
use verifier::Reason::{AudMismatch, AudMissing, SubMissing};

use super::{Family, rej};
use crate::generate::{Row, accept, all_of, claim, no_claim, reject_for};

/// `aud` present but naming none of our identifiers.
const AUD: &[&str] = &[
    "RFC9068-4-aud",
    "RFC7519-4.1.3-aud",
    "RFC7519-2-stringoruri",
    "RFC8725-3.9-aud",
    "M21",
];
/// The same, as an array: jwt-go skipped the check for arrays.
const AUD_ARRAY: &[&str] = &[
    "RFC9068-4-aud",
    "RFC7519-4.1.3-aud",
    "RFC8725-3.9-aud",
    "CVE-2020-26160",
    "M21",
];
/// `aud` absent.
const AUD_MISSING: &[&str] = &[
    "RFC9068-4-aud",
    "RFC8725-3.9-aud",
    "RFC9068-2.2-claims",
    "M20",
];

/// Why a URL-normalizing comparison is still wrong.
const NO_NORMALIZING: &str = "Audience values are case-sensitive strings (RFC 7519 §4.1.3) \
                              compared with no transformations or canonicalizations (RFC 7519 \
                              §2), so the resource server's identifier is not in this aud, \
                              whatever URL normalization would equate.";

pub fn family() -> Family {
    let aud = forge::AUDIENCE;
    let mut rows = vec![
        Row::new(
            "missing",
            "no aud",
            no_claim("aud"),
            rej(AudMissing),
            Must,
            AUD_MISSING,
        )
        .refs(&["OpenID conformance oidcc-client-test-missing-aud"]),
        Row::new(
            "missing-and-sub-missing",
            "neither aud nor sub",
            all_of([no_claim("aud"), no_claim("sub")]),
            rej(AudMissing),
            Must,
            &[
                "RFC9068-4-aud",
                "RFC8725-3.9-aud",
                "RFC9068-2.2-claims",
                "M20",
                "M28",
            ],
        )
        .acceptable(&[reject_for(SubMissing)])
        .notes("aud is checked before sub"),
        Row::new(
            "renamed-audience",
            "the audience under another name",
            all_of([no_claim("aud"), claim("audience", json!(aud))]),
            rej(AudMissing),
            Must,
            &[
                "RFC9068-4-aud",
                "RFC8725-3.9-aud",
                "RFC7519-4-ignore",
                "M20",
            ],
        ),
        Row::new(
            "missing-azp-present",
            "no aud, but azp names our service",
            all_of([no_claim("aud"), claim("azp", json!(aud))]),
            rej(AudMissing),
            Must,
            AUD_MISSING,
        )
        .notes("azp (OpenID Connect Core §2) names the authorized party, not an audience"),
    ];
    let mismatch = |name: &str, description: &str, value: Value, basis: &[&str]| {
        Row::new(
            name,
            description,
            claim("aud", value),
            rej(AudMismatch),
            Must,
            basis,
        )
    };
    // No audience at all: a verifier may call it missing.
    let as_missing = [reject_for(AudMissing)];
    rows.extend([
        mismatch("empty-array", "aud []", json!([]), AUD_ARRAY).acceptable(&as_missing),
        mismatch("array-numbers", "aud [1]", json!([1]), AUD_ARRAY),
        mismatch(
            "array-nested",
            "ours nested in an inner array",
            json!([[aud]]),
            AUD_ARRAY,
        ),
        mismatch(
            "array-none-matching",
            "two other audiences",
            json!(["https://a.example", "https://b.example"]),
            AUD_ARRAY,
        ),
        mismatch("object", "aud as an object", json!({"aud": aud}), AUD),
        mismatch("number", "aud as a number", json!(1), AUD),
        mismatch("bool", "aud true", json!(true), AUD),
        mismatch("null", "aud null", json!(null), AUD).acceptable(&as_missing),
        mismatch("empty-string", "aud empty", json!(""), AUD).acceptable(&as_missing),
        mismatch(
            "other",
            "another service's audience",
            json!("https://other.example"),
            AUD,
        ),
        mismatch(
            "uppercase",
            "ours in upper case",
            json!("HTTPS://API.EXAMPLE"),
            AUD,
        )
        .rationale(NO_NORMALIZING),
        mismatch(
            "trailing-slash",
            "ours with a trailing slash",
            json!("https://api.example/"),
            AUD,
        )
        .rationale(NO_NORMALIZING),
        mismatch(
            "prefix-match",
            "ours as the prefix of another host",
            json!("https://api.example.attacker.example"),
            AUD,
        ),
        mismatch(
            "comma-joined",
            "ours and another joined by a comma",
            json!("https://api.example,https://other.example"),
            AUD,
        ),
    ]);
    // Ours is in the array: RFC 7519 §4.1.3 lets the principal find itself; the ill-typed member
    // is refused by the profile.
    for (name, description, value) in [
        ("array-mixed", "ours and a number", json!([aud, 1])),
        ("array-null-member", "ours and null", json!([aud, null])),
    ] {
        rows.push(
            Row::new(
                name,
                description,
                claim("aud", value),
                rej(AudMismatch),
                Profile,
                &["M21", "RFC7519-4.1.3-aud"],
            )
            .acceptable(&[accept()])
            .rationale(
                "The resource server identifies itself with a value in aud, which is all RFC \
                     7519 §4.1.3 and RFC 9068 §4 ask; refusing the ill-typed member beside it is \
                     the profile's rule (M21)",
            ),
        );
    }
    Family::table("aud", rows)
}
