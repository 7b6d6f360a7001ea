//! Audience: RFC 9068 §4 and RFC 8725 §3.9 make the resource server reject a token whose `aud` is
//! missing or names none of its identifiers; RFC 7519 §4.1.3 makes the values case-sensitive
//! strings. Array handling is CVE-2020-26160. An array holding ours beside an ill-typed member is
//! the profile's rule (RFC 7519 lets the principal find itself there). So is accepting an array
//! that names ours beside other audiences: RFC 7519 §4.1.3 and RFC 9068 §4 require only that a
//! token not naming us is rejected, and leave the interpretation of audience values to the
//! application, so a verifier that refuses a token meant for several audiences breaks no MUST.

use corpus::vector::Severity::{Must, Profile};
use serde_json::{Value, json};
use verifier::Reason::{AudMismatch, AudMissing, SubMissing};

use super::iss::exact_configured_value;
use super::{Family, rej};
use crate::generate::{
    Expect, Row, accept, all_of, any_reject, claim, custom, no_claim, reject_for,
};

/// `aud` present but naming none of our identifiers.
pub(super) const AUD: &[&str] = &[
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
/// Ours is among the values: RFC 9068 §4 and RFC 7519 §4.1.3 are satisfied.
const OURS: &[&str] = &["RFC9068-4-aud", "RFC7519-4.1.3-aud", "M21"];
/// Ours beside other audiences: accepting is the profile's reading, refusing breaks no MUST.
pub(super) const OURS_AND_OTHERS: &[&str] = &[
    "RFC9068-4-aud",
    "RFC7519-4.1.3-aud",
    "RFC7519-4.1.3-application",
    "M21",
];
/// Why an `aud` naming ours and another audience is a `profile` accept.
pub(super) const MULTI_AUDIENCE: &str = "RFC 7519 §4.1.3 and RFC 9068 §4 require only that a \
                                         token whose aud does not name the resource server be \
                                         rejected, and the interpretation of audience values is \
                                         application specific: a verifier that refuses a token \
                                         also meant for other audiences breaks no MUST, and the \
                                         profile accepts it.";
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
    rows.extend(near_misses());
    Family::table("aud", rows)
}
/// An `aud` that names none of the configured audiences.
fn mismatch(name: &str, description: &str, value: Value, basis: &[&str]) -> Row {
    Row::new(
        name,
        description,
        claim("aud", value),
        rej(AudMismatch),
        Must,
        basis,
    )
}

/// Values a URL-aware or partial comparison would equate with the audience, arrays mixing them
/// with and without ours, and an internationalized audience.
fn near_misses() -> Vec<Row> {
    let aud = forge::AUDIENCE;
    let mut rows = Vec::new();
    let single: [(&str, &str, &str); 18] = [
        (
            "port-443",
            "ours with its default port",
            "https://api.example:443",
        ),
        (
            "other-port",
            "ours on another port",
            "https://api.example:8443",
        ),
        (
            "trailing-dot-host",
            "ours as a fully qualified name (trailing dot)",
            "https://api.example.",
        ),
        (
            "mixed-case-host",
            "ours with the host in mixed case",
            "https://API.example",
        ),
        (
            "uppercase-scheme",
            "ours with the scheme in upper case",
            "HTTPS://api.example",
        ),
        ("http-scheme", "ours over http", "http://api.example"),
        (
            "double-slash",
            "ours with a path of two slashes",
            "https://api.example//",
        ),
        (
            "empty-fragment",
            "ours with an empty fragment",
            "https://api.example#",
        ),
        (
            "path-extension",
            "ours followed by a path",
            "https://api.example/v1",
        ),
        ("userinfo", "ours with a userinfo", "https://u@api.example"),
        (
            "userinfo-confusion",
            "ours as the userinfo of another host",
            "https://api.example@attacker.example",
        ),
        (
            "percent-encoded-letter",
            "ours with a host letter percent-encoded",
            "https://%61pi.example",
        ),
        (
            "fullwidth-host",
            "ours with the host in full-width letters (NFKC-equal)",
            "https://\u{ff41}\u{ff50}\u{ff49}.example",
        ),
        ("prefix", "a prefix of ours", "https://api.exam"),
        ("substring", "ours without the scheme", "api.example"),
        (
            "superstring-label",
            "another host ending in ours",
            "https://evil-api.example",
        ),
        ("trailing-space", "ours and a space", "https://api.example "),
        (
            "trailing-nul",
            "ours and a NUL (a C string ends there)",
            "https://api.example\u{0}",
        ),
    ];
    for (name, description, value) in single {
        let row = mismatch(name, description, json!(value), AUD);
        // Partial matches need no normalization argument: they are other strings outright.
        rows.push(match name {
            "prefix" | "substring" | "superstring-label" => row,
            _ => row.rationale(NO_NORMALIZING),
        });
    }
    // Arrays of near-misses only: ours is in none of them (CVE-2020-26160 for arrays).
    let arrays: [(&str, &str, Value); 5] = [
        (
            "array-near-misses-only",
            "a trailing slash and upper case",
            json!(["https://api.example/", "HTTPS://API.EXAMPLE"]),
        ),
        (
            "array-split",
            "ours split across two members",
            json!(["https://api.exam", "ple"]),
        ),
        (
            "array-trailing-nul",
            "ours and a NUL as the only member",
            json!(["https://api.example\u{0}"]),
        ),
        (
            "array-port-and-dot",
            "the default port and a trailing dot",
            json!(["https://api.example:443", "https://api.example."]),
        ),
        (
            "array-substring-and-superstring",
            "a substring and a superstring of ours",
            json!(["api.example", "https://api.example.attacker.example"]),
        ),
    ];
    for (name, description, value) in arrays {
        rows.push(mismatch(name, description, value, AUD_ARRAY).rationale(NO_NORMALIZING));
    }
    // Ours is in the array beside near-misses: the principal finds itself.
    let with_ours: [(&str, &str, Value); 6] = [
        (
            "array-near-miss-then-ours",
            "a trailing-slash near-miss, then ours",
            json!(["https://api.example/", aud]),
        ),
        (
            "array-ours-then-near-miss",
            "ours, then ours in upper case",
            json!([aud, "HTTPS://API.EXAMPLE"]),
        ),
        (
            "array-two-near-misses-then-ours",
            "two near-misses, then ours",
            json!(["https://api.example:443", "api.example", aud]),
        ),
        ("array-ours-twice", "ours twice", json!([aud, aud])),
        (
            "array-space-then-ours",
            "ours after a space, then ours",
            json!([format!(" {aud}"), aud]),
        ),
        (
            "array-nul-then-ours",
            "ours and a NUL, then ours",
            json!([format!("{aud}\u{0}"), aud]),
        ),
    ];
    for (name, description, value) in with_ours {
        let row = if name == "array-ours-twice" {
            Row::new(
                name,
                description,
                claim("aud", value),
                Expect::Accept,
                Must,
                OURS,
            )
        } else {
            Row::new(
                name,
                description,
                claim("aud", value),
                Expect::Accept,
                Profile,
                OURS_AND_OTHERS,
            )
            .acceptable(&[reject_for(AudMismatch)])
            .rationale(MULTI_AUDIENCE)
        };
        // A member with ":" that is no URI (RFC 7519 §2): refusing it, for any reason, conforms.
        let row = match name {
            "array-space-then-ours" | "array-nul-then-ours" => row.acceptable(&[any_reject()]),
            _ => row,
        };
        rows.push(row.notes("ours is a member; the near-misses beside it are other audiences"));
    }
    // Unusual configured audiences: another form is refused, the exact value accepted.
    let configured: [(&str, &str, &'static str, &'static str, &str); 4] = [
        (
            "idn",
            "a Unicode host",
            "https://b\u{fc}cher.example",
            "https://xn--bcher-kva.example",
            "its punycode form",
        ),
        (
            "nfc",
            "an NFC ü",
            "https://b\u{fc}cher.example",
            "https://bu\u{308}cher.example",
            "the NFD form",
        ),
        (
            "trailing-slash",
            "a trailing slash",
            "https://api.example/",
            "https://api.example",
            "without the slash",
        ),
        (
            "port-443",
            "an explicit default port",
            "https://api.example:443",
            "https://api.example",
            "without the port",
        ),
    ];
    let configure = |ours: &'static str, token: &'static str| {
        custom(move |d| {
            d.profile.audiences = vec![ours.into()];
            d.claims["aud"] = json!(token);
        })
    };
    for (slug, what, ours, other, form) in configured {
        rows.push(
            Row::new(
                format!("configured-{slug}-token-other-form"),
                format!("audience configured with {what}, aud in {form}"),
                configure(ours, other),
                rej(AudMismatch),
                Must,
                AUD,
            )
            .rationale(NO_NORMALIZING),
        );
        if slug == "nfc" {
            continue;
        }
        let exact = format!("configured-{slug}-exact");
        let description = format!("audience configured with {what}, aud byte-equal");
        rows.push(exact_configured_value(
            exact,
            description,
            configure(ours, ours),
            ours,
            OURS,
        ));
    }
    // The audience under another claim name: aud is missing.
    for (name, description, other) in [
        ("renamed-uppercase", "the audience as AUD", "AUD"),
        (
            "renamed-resource",
            "the audience as resource (the RFC 8707 request parameter)",
            "resource",
        ),
    ] {
        rows.push(Row::new(
            name,
            description,
            all_of([no_claim("aud"), claim(other, json!(aud))]),
            rej(AudMissing),
            Must,
            &[
                "RFC9068-4-aud",
                "RFC8725-3.9-aud",
                "RFC7519-4-ignore",
                "M20",
            ],
        ));
    }
    rows
}
