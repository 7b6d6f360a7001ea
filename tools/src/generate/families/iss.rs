//! Issuer pinning: RFC 9068 §4 requires the issuer identifier to "exactly match" `iss`, so every
//! other value is a binding rejection: a partial match (CVE-2024-53861), a trailing slash, another
//! case, another encoding, another type. An exact match is accepted; where the pinned value holds
//! a ":" but is not a URI (a Unicode host or path: RFC 3986 URIs are ASCII), RFC 7519 §2 makes it
//! an invalid StringOrURI, so a verifier that refuses it breaks no MUST: those accept controls are
//! `profile` with any rejection acceptable.

use corpus::vector::Severity::{Must, Profile};
use serde_json::{Value, json};
use verifier::Reason::IssMismatch;

use super::{Family, rej};
use crate::generate::{Expect, Mutation, Row, any_reject, claim, custom, no_claim};

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

/// Why accepting a pinned issuer that is not a URI is `profile`.
pub(super) const NOT_A_URI: &str = "RFC 7519 §2 requires a StringOrURI value containing \":\" \
                                    to be a URI, and a URI (RFC 3986) is ASCII, so this value is \
                                    not a valid StringOrURI and a verifier that refuses it breaks \
                                    no MUST; the profile compares it as a string and accepts.";

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
    let mut rows = vec![
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
    rows.extend(near_misses());
    Family::table("iss", rows)
}
/// The issuer pinned as `pinned` and the token's `iss` as `token`.
fn pinned_as(pinned: &'static str, token: &'static str) -> Mutation {
    custom(move |d| {
        d.profile.issuer = Some(pinned.into());
        d.claims["iss"] = json!(token);
    })
}

/// Values a URL-aware or partial comparison would equate with the issuer, and exact matches of
/// unusual pinned issuers (accept controls).
fn near_misses() -> Vec<Row> {
    let mut rows = Vec::new();
    // Equal after some URL or Unicode normalization or trimming, never as strings.
    let normalized: [(&str, &str, &str); 19] = [
        (
            "port-443",
            "the issuer with its default port",
            "https://issuer.example:443",
        ),
        (
            "port-443-slash",
            "the issuer with its default port and a slash",
            "https://issuer.example:443/",
        ),
        (
            "trailing-dot-host",
            "the host as a fully qualified name (trailing dot)",
            "https://issuer.example.",
        ),
        (
            "mixed-case-host",
            "the host in mixed case",
            "https://Issuer.Example",
        ),
        (
            "all-uppercase",
            "the issuer in upper case",
            "HTTPS://ISSUER.EXAMPLE",
        ),
        (
            "double-slash",
            "the issuer with a path of two slashes",
            "https://issuer.example//",
        ),
        (
            "empty-query",
            "the issuer with an empty query",
            "https://issuer.example?",
        ),
        (
            "empty-fragment",
            "the issuer with an empty fragment",
            "https://issuer.example#",
        ),
        (
            "dot-segment",
            "the issuer with a dot segment",
            "https://issuer.example/.",
        ),
        (
            "dot-dot-segment",
            "the issuer with a path that resolves away",
            "https://issuer.example/a/..",
        ),
        (
            "percent-encoded-letter",
            "a host letter percent-encoded",
            "https://%69ssuer.example",
        ),
        (
            "percent-encoded-dot",
            "the host dot percent-encoded",
            "https://issuer%2Eexample",
        ),
        (
            "empty-userinfo",
            "the issuer with an empty userinfo",
            "https://@issuer.example",
        ),
        (
            "userinfo",
            "the issuer with a userinfo",
            "https://user@issuer.example",
        ),
        (
            "fullwidth-host",
            "the host in full-width letters (NFKC-equal)",
            "https://\u{ff49}\u{ff53}\u{ff53}\u{ff55}\u{ff45}\u{ff52}.example",
        ),
        (
            "scheme-relative",
            "the issuer without its scheme, scheme-relative",
            "//issuer.example",
        ),
        (
            "trailing-space",
            "the issuer and a space",
            "https://issuer.example ",
        ),
        (
            "trailing-newline",
            "the issuer and a newline",
            "https://issuer.example\n",
        ),
        (
            "trailing-zero-width-space",
            "the issuer and a zero-width space",
            "https://issuer.example\u{200b}",
        ),
    ];
    for (name, description, value) in normalized {
        rows.push(
            Row::new(
                name,
                description,
                claim("iss", json!(value)),
                rej(IssMismatch),
                Must,
                SHAPE,
            )
            .rationale(NO_NORMALIZING),
        );
    }
    // A partial comparison (substring either way, prefix) accepts these (CVE-2024-53861).
    let partial: [(&str, &str, &str); 9] = [
        (
            "substring-scheme-only",
            "only the scheme, a substring of the issuer",
            "https://",
        ),
        (
            "substring-no-tld",
            "the issuer without its top-level domain",
            "https://issuer",
        ),
        (
            "substring-tld",
            "the top-level domain, a substring of the issuer",
            ".example",
        ),
        ("substring-one-char", "one character of the issuer", "s"),
        (
            "trailing-nul",
            "the issuer and a NUL (a C string ends there)",
            "https://issuer.example\u{0}",
        ),
        (
            "userinfo-confusion",
            "the issuer as the userinfo of another host",
            "https://issuer.example@attacker.example",
        ),
        (
            "embedded-in-path",
            "the issuer inside another issuer's path",
            "https://attacker.example/https://issuer.example",
        ),
        (
            "query-extension",
            "the issuer followed by a query",
            "https://issuer.example?tenant=attacker",
        ),
        (
            "other-port",
            "the issuer on another port",
            "https://issuer.example:8443",
        ),
    ];
    for (name, description, value) in partial {
        rows.push(Row::new(
            name,
            description,
            claim("iss", json!(value)),
            rej(IssMismatch),
            Must,
            PARTIAL,
        ));
    }
    // Unusual pinned issuers: another form is refused, the exact value accepted.
    let pinned: [(&str, &str, &'static str, &'static str, &str); 8] = [
        (
            "port-443",
            "an explicit default port",
            "https://issuer.example:443",
            "https://issuer.example",
            "without the port",
        ),
        (
            "trailing-dot",
            "a trailing-dot host",
            "https://issuer.example.",
            "https://issuer.example",
            "without the dot",
        ),
        (
            "nfc",
            "an NFC é in the path",
            "https://issuer.example/caf\u{e9}",
            "https://issuer.example/cafe\u{301}",
            "the NFD form",
        ),
        (
            "nfd",
            "an NFD é in the path",
            "https://issuer.example/cafe\u{301}",
            "https://issuer.example/caf\u{e9}",
            "the NFC form",
        ),
        (
            "idn-unicode",
            "an internationalized host",
            "https://b\u{fc}cher.example",
            "https://xn--bcher-kva.example",
            "its punycode form",
        ),
        (
            "idn-punycode",
            "a punycode host",
            "https://xn--bcher-kva.example",
            "https://b\u{fc}cher.example",
            "its Unicode form",
        ),
        (
            "percent-tilde",
            "a percent-encoded tilde in the path",
            "https://issuer.example/%7Et",
            "https://issuer.example/~t",
            "the decoded tilde",
        ),
        (
            "path-case",
            "a capital in the path",
            "https://issuer.example/Tenant",
            "https://issuer.example/tenant",
            "the path in lower case",
        ),
    ];
    for (slug, what, pin, other, form) in pinned {
        rows.push(
            Row::new(
                format!("pinned-{slug}-token-other-form"),
                format!("issuer pinned with {what}, iss in {form}"),
                pinned_as(pin, other),
                rej(IssMismatch),
                Must,
                SHAPE,
            )
            .rationale(NO_NORMALIZING),
        );
        let exact = format!("pinned-{slug}-exact");
        let description = format!("issuer pinned with {what}, iss byte-equal");
        rows.push(exact_configured_value(
            exact,
            description,
            pinned_as(pin, pin),
            pin,
            SHAPE,
        ));
    }
    rows
}

/// The accept control for a configured `iss` or `aud` value matched byte for byte: `must` for an
/// ASCII value; for any other, `profile` with any rejection acceptable, since a value containing
/// ":" that is not a URI (RFC 7519 §2) may be refused without breaking a MUST.
pub(super) fn exact_configured_value(
    name: String,
    description: String,
    mutation: Mutation,
    value: &str,
    basis: &[&str],
) -> Row {
    if value.is_ascii() {
        return Row::new(name, description, mutation, Expect::Accept, Must, basis);
    }
    let mut basis = basis.to_vec();
    if !basis.contains(&"RFC7519-2-stringoruri") {
        basis.push("RFC7519-2-stringoruri");
    }
    Row::new(name, description, mutation, Expect::Accept, Profile, &basis)
        .acceptable(&[any_reject()])
        .rationale(NOT_A_URI)
}
