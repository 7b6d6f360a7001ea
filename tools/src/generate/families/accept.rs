//! Positive controls: tokens a conforming verifier accepts.
//!
//! An accept vector cites the clauses that make its token valid. It is `must` when the token is
//! an RFC 9068 access token whose only difference from the baseline is something a binding
//! clause defines (JSON syntax, `aud` arrays, key lookup, the ECDSA validator, `nbf` in the
//! past). It is `profile` when acceptance rests on a local limit (limits may reject safely: any
//! rejection is acceptable), on the profile's configuration, or only on "unknown claims and
//! members are ignored", which RFC 7519 §4 lets the application override, or when a stricter
//! verifier may refuse it without breaking a MUST (an `aud` array that also names other
//! audiences: `reject` is acceptable).

use corpus::vector::Severity::{Must, Profile};
use serde_json::json;
use verifier::Profile as VerifierProfile;
use verifier::Reason::AudMismatch;

use super::aud::{MULTI_AUDIENCE, OURS_AND_OTHERS};
use super::{Draft, Expect, Family, nested};
use crate::generate::{Mutation, Row, Signer, all_of, any_reject, claim, custom, hdr, reject_for};

/// The baseline: a signed RFC 9068 access token that passes every check RFC 9068 §4 lists.
const VALID: &[&str] = &[
    "RFC9068-4-signature",
    "RFC7515-5.2-signature",
    "RFC9068-4-typ",
    "RFC9068-4-iss",
    "RFC9068-4-aud",
    "RFC9068-4-exp",
];
/// `aud` names the recipient (as a string or within an array).
const AUD: &[&str] = &["RFC7519-4.1.3-aud", "RFC9068-4-aud", "M21"];
/// The header is a valid JSON object.
const HEADER_JSON: &[&str] = &["RFC7515-5.2-json"];
/// The claims set is a valid JSON object (custom members in it are ignored).
const PAYLOAD_JSON: &[&str] = &["RFC7519-7.2-json", "RFC7519-4-ignore"];
/// The key the `kid` names is in the pinned set.
const KEY: &[&str] = &["RFC9068-4-signature", "RFC7515-4.1.4-kid", "M12"];

fn ok(name: &str, description: &str, m: Mutation, basis: &[&str]) -> Row {
    Row::new(name, description, m, Expect::Accept, Must, basis)
}

/// Accepted by the profile; rests on a permission, a local limit or the profile's settings.
fn ok_profile(name: &str, description: &str, m: Mutation, basis: &[&str]) -> Row {
    Row::new(name, description, m, Expect::Accept, Profile, basis)
}

/// An `aud` array naming ours and other audiences: the profile accepts, a verifier that refuses
/// a token meant for several audiences breaks no MUST.
fn ok_among_others(name: &str, description: &str, m: Mutation) -> Row {
    ok_profile(name, description, m, OURS_AND_OTHERS)
        .acceptable(&[reject_for(AudMismatch)])
        .rationale(MULTI_AUDIENCE)
}

/// Accepted within the profile's limits; a verifier with lower limits fails closed.
fn within_limits(name: &str, description: &str, m: Mutation, basis: &[&str]) -> Row {
    ok_profile(name, description, m, basis).acceptable(&[any_reject()])
}

/// The claims JSON with `from` replaced by `to` (escapes, extra members at the start).
fn payload_edit(from: &'static str, to: &'static str) -> Mutation {
    custom(move |d| {
        let text = d.claims.to_string().replacen(from, to, 1);
        d.payload_raw = Some(text.into_bytes());
    })
}

/// Every occurrence of the issuer written as `to` in the claims JSON.
fn issuer_spelled(to: &'static str) -> Mutation {
    custom(move |d| {
        let text = d.claims.to_string().replace(forge::ISSUER, to);
        d.payload_raw = Some(text.into_bytes());
    })
}

fn two_keys(d: &mut Draft) {
    d.jwks = forge::jwks(&[
        (forge::KID, &forge::key(forge::KID)),
        ("secondary", &forge::key("secondary")),
    ]);
}

/// A second configured audience.
fn second_audience(d: &mut Draft) {
    d.profile.audiences.push("https://api2.example".into());
}

pub fn family() -> Family {
    let aud = forge::AUDIENCE;
    let mut ten: Vec<String> = (0..9).map(|i| format!("https://svc{i}.example")).collect();
    ten.insert(5, aud.to_owned());
    let rows = vec![
        ok(
            "baseline",
            "The baseline RFC 9068 access token",
            Mutation::Baseline,
            VALID,
        ),
        ok(
            "aud-array-single",
            "aud is an array holding only our audience",
            claim("aud", json!([aud])),
            AUD,
        ),
        ok_among_others(
            "aud-array-first",
            "aud array with our audience first of two",
            claim("aud", json!([aud, "https://other.example"])),
        ),
        ok_among_others(
            "aud-array-last",
            "aud array with our audience last of three",
            claim(
                "aud",
                json!(["https://a.example", "https://b.example", aud]),
            ),
        ),
        ok_among_others(
            "aud-array-ten",
            "aud array of ten with ours in the middle",
            claim("aud", json!(ten)),
        )
        .notes("the array form CVE-2020-26160 failed to check: here it names us, so it passes"),
        ok(
            "aud-array-duplicate-entries",
            "aud array naming our audience twice",
            claim("aud", json!([aud, aud])),
            AUD,
        ),
        ok(
            "iss-unicode-escaped",
            "iss with every solidus written as \\u002f",
            issuer_spelled("https:\\u002f\\u002fissuer.example"),
            &["RFC9068-4-iss", "RFC7519-7.2-json", "M23"],
        ),
        ok(
            "aud-second-configured",
            "token names the second of two configured audiences",
            all_of([
                custom(second_audience),
                claim("aud", json!("https://api2.example")),
            ]),
            AUD,
        ),
        ok_among_others(
            "aud-array-second-configured",
            "aud array names only the second configured audience",
            all_of([
                custom(second_audience),
                claim(
                    "aud",
                    json!(["https://x.example", "https://api2.example"]),
                ),
            ]),
        ),
        ok(
            "all-optional-claims",
            "every optional RFC 9068/7519 claim present, nbf in the past, and the profile's \
             cat and sv",
            all_of(
                [
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
                ]
                .map(|(k, v)| claim(k, v)),
            ),
            &["RFC7519-4-ignore", "RFC9068-2.2-claims", "RFC7519-4.1.5-nbf"],
        ),
        ok(
            "nbf-long-ago",
            "nbf in the past",
            claim("nbf", json!(forge::LONG_AGO)),
            &["RFC7519-4.1.5-nbf", "M26"],
        ),
        ok(
            "nbf-zero",
            "nbf of 0 (the epoch)",
            claim("nbf", json!(0)),
            &["RFC7519-4.1.5-nbf", "RFC7519-2-numericdate", "M26"],
        ),
        ok_profile(
            "iat-zero",
            "iat of 0 (the epoch)",
            claim("iat", json!(0)),
            &["RFC7519-4.1.6-iat", "RFC7519-2-numericdate", "M24"],
        ),
        within_limits(
            "exp-i64-max",
            "exp at i64::MAX under a profile without a lifetime bound",
            claim("exp", json!(i64::MAX)),
            &[
                "RFC7519-4.1.4-exp",
                "RFC8259-6-numbers",
                "M30",
                "M19",
                "PROFILE-LIMITS",
            ],
        )
        .notes("a verifier whose time type cannot hold i64::MAX seconds rejects it: a limit, fail closed"),
        ok(
            "unicode-claims",
            "non-ASCII claim values (a custom name, and client_id)",
            all_of([
                claim("name", json!("Zoë Ωμέγα 漢字 🙂")),
                claim("client_id", json!("клиент")),
            ]),
            PAYLOAD_JSON,
        ),
        ok(
            "escaped-solidus-iss",
            "iss written with escaped solidus equals the issuer after unescaping",
            issuer_spelled("https:\\/\\/issuer.example"),
            &["RFC9068-4-iss", "RFC7519-7.2-json", "M23"],
        ),
        ok(
            "unicode-escape-claim",
            "custom claim value with \\u escapes",
            payload_edit("{", "{\"note\":\"caf\\u00e9 \\u6f22\","),
            PAYLOAD_JSON,
        ),
        ok(
            "surrogate-pair-escape",
            "a valid escaped surrogate pair in a custom claim",
            payload_edit("{", "{\"emoji\":\"\\ud83d\\ude00\","),
            PAYLOAD_JSON,
        ),
        within_limits(
            "escaped-nul-in-claim",
            "an escaped NUL inside a custom claim value",
            payload_edit("{", "{\"note\":\"a\\u0000b\","),
            &[
                "RFC7519-7.2-json",
                "RFC7519-4-ignore",
                "RFC8259-9-limits",
                "PROFILE-JSON",
            ],
        )
        .notes("RFC 8259 §9 lets a parser limit the characters of strings, so refusing NUL fails closed"),
        ok(
            "whitespace-in-header-json",
            "insignificant JSON whitespace in the header",
            Mutation::HeaderBytes(
                b"{ \"alg\" : \"ES256\" ,\n \"typ\":\"at+jwt\",\t\"kid\":\"primary\" }".to_vec(),
            ),
            HEADER_JSON,
        ),
        ok(
            "whitespace-in-payload-json",
            "pretty-printed payload JSON",
            custom(|d| {
                d.payload_raw = Some(
                    serde_json::to_string_pretty(&d.claims)
                        .unwrap_or_default()
                        .into_bytes(),
                );
            }),
            &["RFC7519-7.2-json"],
        ),
        ok(
            "trailing-newline-in-payload-json",
            "payload JSON followed by a newline (insignificant whitespace, still one JSON text)",
            custom(|d| d.payload_raw = Some(format!("{}\n", d.claims).into_bytes())),
            &["RFC7519-7.2-json"],
        ),
        ok(
            "header-kid-first",
            "header members in another order (kid, alg, typ)",
            Mutation::HeaderBytes(br#"{"kid":"primary","alg":"ES256","typ":"at+jwt"}"#.to_vec()),
            HEADER_JSON,
        ),
        ok(
            "header-typ-first",
            "header members with typ first",
            Mutation::HeaderBytes(br#"{"typ":"at+jwt","kid":"primary","alg":"ES256"}"#.to_vec()),
            HEADER_JSON,
        ),
        ok(
            "rotated-key-second",
            "signed by the second key of a two-key set",
            all_of([
                custom(two_keys),
                hdr("kid", json!("secondary")),
                Mutation::Sign(Signer::Es256("secondary")),
            ]),
            KEY,
        )
        .refs(&["OpenID conformance oidcc-client-test-signing-key-rotated"]),
        ok(
            "rotated-key-old-still-valid",
            "old key still in a rotated set verifies old tokens",
            custom(two_keys),
            KEY,
        ),
        ok(
            "five-key-set",
            "the signing key is one of five",
            custom(|d| {
                let names = ["k0", "k1", forge::KID, "k3", "k4"];
                let keys: Vec<_> = names.iter().map(|n| forge::key(n)).collect();
                let pairs: Vec<(&str, &forge::SigningKey)> =
                    names.iter().copied().zip(keys.iter()).collect();
                d.jwks = forge::jwks(&pairs);
            }),
            KEY,
        ),
        ok(
            "high-s-signature",
            "a valid signature with s > n/2 (Wycheproof: valid)",
            Mutation::Sign(Signer::Es256Then(
                forge::KID,
                crate::generate::families::signature::to_high_s,
            )),
            &[
                "RFC7518-3.4-es256",
                "RFC6979-malleability",
                "RFC7515-5.2-signature",
                "RFC9068-4-signature",
            ],
        )
        .flags(&["HighS"])
        .refs(&["Wycheproof ecdsa_secp256r1_sha256_p1363"])
        .notes("Policy: high-S accepted, as Wycheproof and RFC 7518 allow")
        .rationale(
            "RFC 7518 §3.4 submits R and S to the ECDSA P-256 validator, which accepts any s in \
             [1, n − 1]; no JOSE RFC asks for low-S, so refusing the signature fails a valid \
             token",
        ),
        within_limits(
            "nested-claims-depth-16",
            "a claim nested to exactly the profile's depth bound (16)",
            custom(|d| {
                let text = d.claims.to_string().replacen(
                    '{',
                    &format!("{{\"deep\":{},", nested(15, "1")),
                    1,
                );
                d.payload_raw = Some(text.into_bytes());
            }),
            &["PROFILE-JSON", "PROFILE-LIMITS", "RFC8259-9-limits"],
        ),
        within_limits(
            "long-jti",
            "a 2000-character jti",
            claim("jti", json!("j".repeat(2000))),
            &["RFC7519-4.1.7-jti", "RFC8259-9-limits", "PROFILE-LIMITS"],
        ),
        ok(
            "kid-unicode",
            "a non-ASCII kid (clé-é), present in the set",
            all_of([
                Mutation::Jwks(forge::jwks(&[("clé-é", &forge::key(forge::KID))])),
                hdr("kid", json!("clé-é")),
            ]),
            KEY,
        ),
        within_limits(
            "kid-long",
            "a 1000-character kid present in the set",
            {
                let kid = "k".repeat(1000);
                all_of([
                    Mutation::Jwks(forge::jwks(&[(kid.as_str(), &forge::key(forge::KID))])),
                    hdr("kid", json!(kid)),
                ])
            },
            &["RFC7515-4.1.4-kid", "RFC8259-9-limits", "PROFILE-LIMITS"],
        ),
        ok(
            "custom-numbers",
            "custom claims may be floats, negatives and exponents",
            payload_edit("{", "{\"f\":1.5,\"n\":-5,\"e\":1e3,\"z\":-0,"),
            &["RFC7519-4-ignore", "RFC7519-7.2-json", "M30"],
        )
        .notes("Only exp, iat and nbf must be integers"),
        ok(
            "custom-null-bool-object",
            "custom claims of every JSON type",
            all_of([
                claim("n", json!(null)),
                claim("b", json!(true)),
                claim("o", json!({"a": {"b": []}})),
            ]),
            &["RFC7519-4-ignore", "RFC7519-7.2-json"],
        ),
        ok(
            "cat-present-not-required",
            "cat present when the profile does not require one",
            claim("cat", json!("refresh")),
            &["RFC7519-4-ignore", "M29"],
        ),
        ok(
            "sid-sv-without-state-rules",
            "sid and sv present when no state rule is on",
            all_of([claim("sid", json!("s1")), claim("sv", json!(0))]),
            &["RFC7519-4-ignore", "M36", "SV"],
        ),
        ok(
            "case-distinct-members",
            "members differing only in case (EXP, Sub) are distinct claims, not duplicates",
            all_of([
                claim("EXP", json!("not a time")),
                claim("Sub", json!(1)),
            ]),
            &["RFC7519-4-dup", "RFC7519-7.2-json", "RFC7519-4-ignore"],
        ),
        ok_profile(
            "jwk-without-use-alg",
            "a JWK with neither use nor alg",
            custom(|d| {
                let mut jwk = forge::public_jwk(forge::key(forge::KID).verifying_key(), forge::KID);
                if let Some(m) = jwk.as_object_mut() {
                    m.remove("use");
                    m.remove("alg");
                }
                d.jwks = json!({"keys": [jwk]});
            }),
            &["RFC7517-4.2-use", "RFC7517-4.4-alg", "PROFILE-KEYSET"],
        ),
        ok_profile(
            "max-lifetime-off-far-exp",
            "exp far in the future (9999-12-31) is fine without a lifetime bound",
            claim("exp", json!(253_402_300_799_i64)),
            &["RFC7519-4.1.4-exp", "M19"],
        ),
        ok(
            "profile-two-audiences-first",
            "two configured audiences, token names the first",
            custom(second_audience),
            AUD,
        ),
        ok(
            "default-profile-short-lived",
            "a short-lived token under the default (clock-bound) profile",
            custom(|d| {
                d.profile = VerifierProfile::new(forge::ISSUER, forge::AUDIENCE);
                d.claims = forge::claims_at(forge::NOW - 10, 300);
            }),
            VALID,
        ),
    ];
    Family::table("accept", rows)
}
