//! Time boundaries under the default clock-bound profile: exp, iat, nbf, lifetime, leeway.
//!
//! RFC 7519 §4.1.4–4.1.5 fix the `exp` and `nbf` boundaries at zero leeway. `exp` is binding:
//! RFC 9068 §4 makes the resource server check it. `nbf` is not: RFC 7519 §4.1 makes no claim
//! mandatory to implement and §4 has claims not understood ignored, so a token rejected on `nbf`
//! alone is a profile row with `accept` acceptable (a verifier without `nbf` support), while an
//! `nbf` boundary that a verifier processing `nbf` must accept stays `must`. Leeway is a MAY whose
//! boundary no RFC defines, and `iat` and the lifetime bound are the profile's rules (M19, M24):
//! those rows are profile rows, and where the RFCs allow the other answer it is listed as
//! acceptable.

use corpus::vector::Severity::{self, Must, Profile};
use corpus::vector::{Acceptable, Feature};
use serde_json::json;
use verifier::Profile as VerifierProfile;
use verifier::Reason::{
    AudMismatch, ExpUpperBound, Expired, IatFuture, InvalidNumericType, IssMismatch, NotYetValid,
};

use super::{Family, rej};
use crate::generate::{Draft, Expect, Mutation, Row, accept, all_of, claim, custom, reject_for};

const NOW: i64 = forge::NOW;

/// `now >= exp` at zero leeway.
const EXPIRED: &[&str] = &["RFC7519-4.1.4-exp", "RFC9068-4-exp", "M18"];
/// `now >= nbf` at zero leeway: a verifier that processes nbf must accept.
const NOT_YET: &[&str] = &["RFC7519-4.1.5-nbf", "M26"];
/// `now < nbf`: rejected only by a verifier that implements nbf, which none must.
const NOT_YET_OPTIONAL: &[&str] = &["RFC7519-4.1.5-nbf", "RFC7519-4.1-optional", "M26"];
/// Why a rejection on nbf alone is `profile` with `accept` acceptable.
const NBF_OPTIONAL: &str = "RFC 7519 §4.1 makes no claim mandatory to implement and §4 has claims \
                            not understood ignored, so a verifier without nbf support accepts \
                            and breaks no MUST; one that processes nbf rejects (RFC 7519 \
                            §4.1.5), as the profile does (M26).";
/// The `iat` skew: no RFC bounds `iat`.
const IAT: &[&str] = &["RFC7519-4.1.6-iat", "M24"];
/// The lifetime bound: no RFC bounds `exp`.
const LIFETIME: &[&str] = &["M19"];
/// A leeway the profile configures: RFC 7519 allows one, without defining its boundary.
const LEEWAY_EXP: &[&str] = &["RFC7519-4.1.4-leeway", "M18"];
const LEEWAY_NBF: &[&str] = &["RFC7519-4.1.4-leeway", "M26"];

/// A ten-minute token issued ten seconds ago, under the default (24 h bound) profile.
fn base() -> Draft {
    Draft {
        profile: VerifierProfile::new(forge::ISSUER, forge::AUDIENCE),
        claims: forge::claims_at(NOW - 10, 600),
        ..Draft::default()
    }
}

/// Sets a time claim to this absolute value.
fn at(name: &str, value: i64) -> Mutation {
    claim(name, json!(value))
}

/// The profile's leeway set to 30 s, then a time claim.
fn leeway_30(name: &'static str, value: i64) -> Mutation {
    custom(move |d| {
        d.profile.leeway_secs = 30;
        d.claims[name] = json!(value);
    })
}

fn rows() -> Vec<Row> {
    let unbounded = [accept()];
    vec![
        Row::new(
            "short-lived-accepted",
            "a ten-minute token, mid-life",
            Mutation::Baseline,
            Expect::Accept,
            Must,
            EXPIRED,
        ),
        Row::new(
            "exp-equals-now",
            "exp == now",
            at("exp", NOW),
            rej(Expired),
            Must,
            EXPIRED,
        )
        .rationale(
            "RFC 7519 §4.1.4 says exp is the time on or after which the JWT MUST NOT be \
             accepted, so at exp itself the token is expired; a `now <= exp` comparison accepts \
             it one second too long.",
        ),
        Row::new(
            "exp-now-plus-1",
            "exp == now + 1",
            at("exp", NOW + 1),
            Expect::Accept,
            Must,
            EXPIRED,
        ),
        Row::new(
            "exp-now-minus-1",
            "exp == now − 1",
            at("exp", NOW - 1),
            rej(Expired),
            Must,
            EXPIRED,
        )
        .refs(&["OpenID conformance oidcc-client-test-expired"]),
        Row::new(
            "iat-equals-now",
            "iat == now",
            at("iat", NOW),
            Expect::Accept,
            Profile,
            IAT,
        ),
        Row::new(
            "iat-now-plus-60",
            "iat == now + 60 (the skew)",
            at("iat", NOW + 60),
            Expect::Accept,
            Profile,
            IAT,
        ),
        Row::new(
            "iat-now-plus-61",
            "iat == now + 61",
            at("iat", NOW + 61),
            rej(IatFuture),
            Profile,
            IAT,
        )
        .acceptable(&unbounded)
        .rationale(
            "No RFC rejects an iat in the future; the 60 s skew is the profile's rule (M24).",
        ),
        Row::new(
            "skew-0-iat-now-plus-1",
            "no iat skew, iat == now + 1",
            custom(|d| {
                d.profile.iat_skew_secs = 0;
                d.claims["iat"] = json!(NOW + 1);
            }),
            rej(IatFuture),
            Profile,
            IAT,
        )
        .acceptable(&unbounded),
        Row::new(
            "nbf-equals-now",
            "nbf == now",
            at("nbf", NOW),
            Expect::Accept,
            Must,
            NOT_YET,
        ),
        Row::new(
            "nbf-now-plus-1",
            "nbf == now + 1",
            at("nbf", NOW + 1),
            rej(NotYetValid),
            Profile,
            NOT_YET_OPTIONAL,
        )
        .acceptable(&unbounded)
        .rationale(NBF_OPTIONAL),
        Row::new(
            "nbf-now-minus-1",
            "nbf == now − 1",
            at("nbf", NOW - 1),
            Expect::Accept,
            Must,
            NOT_YET,
        ),
        Row::new(
            "lifetime-exactly-24h",
            "exp == now + 24 h",
            at("exp", NOW + 86_400),
            Expect::Accept,
            Profile,
            LIFETIME,
        ),
        Row::new(
            "lifetime-24h-plus-1",
            "exp == now + 24 h + 1 s",
            at("exp", NOW + 86_401),
            rej(ExpUpperBound),
            Profile,
            LIFETIME,
        )
        .acceptable(&unbounded),
        Row::new(
            "exp-year-2100",
            "exp far in the future under a 24 h bound",
            at("exp", forge::FAR_FUTURE),
            rej(ExpUpperBound),
            Profile,
            LIFETIME,
        )
        .acceptable(&unbounded),
        Row::new(
            "exp-i64-max-bounded",
            "exp at i64::MAX under a 24 h bound",
            at("exp", i64::MAX),
            rej(ExpUpperBound),
            Profile,
            LIFETIME,
        )
        .acceptable(&[accept(), reject_for(InvalidNumericType)])
        .flags(&["Overflow"]),
        Row::new(
            "profile-lifetime-1h",
            "a 1 h bound and exp == now + 3601",
            custom(|d| {
                d.profile.max_lifetime_secs = Some(3600);
                d.claims["exp"] = json!(NOW + 3601);
            }),
            rej(ExpUpperBound),
            Profile,
            LIFETIME,
        )
        .acceptable(&unbounded),
        Row::new(
            "leeway-30-exp-now-minus-29",
            "30 s leeway, exp == now − 29",
            leeway_30("exp", NOW - 29),
            Expect::Accept,
            Profile,
            LEEWAY_EXP,
        )
        .acceptable(&[reject_for(Expired)])
        .rationale(
            "Leeway is a MAY of RFC 7519 §4.1.4: a verifier that applies none rejects a token \
             whose exp has passed, and conforms.",
        ),
        Row::new(
            "leeway-30-exp-now-minus-30",
            "30 s leeway, exp == now − 30",
            leeway_30("exp", NOW - 30),
            rej(Expired),
            Profile,
            LEEWAY_EXP,
        )
        .acceptable(&[accept()])
        .rationale(
            "No RFC defines whether exp + leeway is itself still valid: the profile reads now \
             >= exp + leeway as expired, the other reading conforms too.",
        ),
        Row::new(
            "leeway-30-nbf-now-plus-30",
            "30 s leeway, nbf == now + 30",
            leeway_30("nbf", NOW + 30),
            Expect::Accept,
            Profile,
            LEEWAY_NBF,
        )
        .acceptable(&[reject_for(NotYetValid)])
        .rationale(
            "No RFC defines whether nbf − leeway is itself valid, and a verifier that applies \
             no leeway rejects a token before its nbf, and conforms.",
        ),
        Row::new(
            "leeway-30-nbf-now-plus-31",
            "30 s leeway, nbf == now + 31",
            leeway_30("nbf", NOW + 31),
            rej(NotYetValid),
            Profile,
            &[
                "RFC7519-4.1.5-nbf",
                "RFC7519-4.1-optional",
                "RFC7519-4.1.4-leeway",
                "M26",
            ],
        )
        .acceptable(&[accept()])
        .rationale(
            "The nbf lies beyond the configured 30 s leeway under either reading of its \
             boundary, so a verifier that processes nbf rejects; one without nbf support \
             accepts, and RFC 7519 §4.1 makes no claim mandatory to implement.",
        ),
        Row::new(
            "expired-and-iat-future",
            "expired and iat in the future",
            all_of([at("exp", NOW - 1), at("iat", NOW + 3600)]),
            rej(Expired),
            Must,
            &["RFC7519-4.1.4-exp", "RFC9068-4-exp", "M18", "M24"],
        )
        .acceptable(&[reject_for(IatFuture)])
        .notes("exp is checked before iat"),
        Row::new(
            "expired-and-wrong-iss",
            "expired and from another issuer",
            all_of([
                at("exp", NOW - 1),
                claim("iss", json!("https://attacker.example")),
            ]),
            rej(Expired),
            Must,
            &[
                "RFC7519-4.1.4-exp",
                "RFC9068-4-exp",
                "RFC9068-4-iss",
                "M18",
                "M23",
            ],
        )
        .acceptable(&[reject_for(IssMismatch)])
        .notes("time claims are checked before iss"),
        Row::new(
            "not-yet-valid-and-wrong-aud",
            "nbf in the future and another audience",
            all_of([
                at("nbf", NOW + 100),
                claim("aud", json!("https://other.example")),
            ]),
            rej(NotYetValid),
            Must,
            &["RFC7519-4.1.5-nbf", "RFC9068-4-aud", "M26", "M21"],
        )
        .acceptable(&[reject_for(AudMismatch)])
        .notes("nbf is checked before aud"),
    ]
}

/// A time claim at `now + offset` seconds, written with a fraction (`1700000000.0` at 0).
fn frac(name: &'static str, offset: f64, leeway: u64) -> Mutation {
    custom(move |d| {
        d.profile.leeway_secs = leeway;
        d.claims[name] = json!(NOW as f64 + offset);
    })
}

/// A fractional row: name, description, claim, offset from now, leeway, severity, basis, other
/// acceptable outcomes, rationale.
type Frac<'a> = (
    &'a str,
    &'a str,
    &'static str,
    f64,
    u64,
    Severity,
    &'a [&'a str],
    &'a [Acceptable],
    &'a str,
);

/// Fractional NumericDates at every boundary: the profile refuses the fraction (M30); the
/// acceptable outcomes are what an exact comparison (RFC 7519 §2 allows fractions) decides.
fn fractional_rows() -> Vec<Row> {
    const EXP: &[&str] = &[
        "RFC7519-4.1.4-exp",
        "RFC9068-4-exp",
        "RFC7519-2-numericdate",
        "M30",
    ];
    const NBF: &[&str] = &["RFC7519-4.1.5-nbf", "RFC7519-2-numericdate", "M30"];
    const NBF_LATE: &[&str] = &[
        "RFC7519-4.1.5-nbf",
        "RFC7519-4.1-optional",
        "RFC7519-2-numericdate",
        "M30",
    ];
    const LEEWAY: &[&str] = &[
        "RFC7519-4.1.4-leeway",
        "RFC7519-2-numericdate",
        "M18",
        "M26",
        "M30",
    ];
    const IAT_FRAC: &[&str] = &["RFC7519-4.1.6-iat", "RFC7519-2-numericdate", "M24", "M30"];
    const LIFE: &[&str] = &["RFC7519-2-numericdate", "M19", "M30"];
    const ANY_READING: &str = "Compared exactly, truncated or rounded, the time already forbids \
                               the token now (RFC 7519 §4.1.4–4.1.5), so every reading rejects; \
                               the profile names the fraction first (M30).";
    const VALID_EXACT: &str = "RFC 7519 §2 allows a fractional NumericDate, and compared exactly \
                               the token is valid now, so accepting conforms (as does a reading \
                               that rejects early); the profile refuses the fraction (M30).";
    let expired = [reject_for(Expired)];
    // A verifier without nbf support (RFC 7519 §4.1) accepts.
    let not_yet = [reject_for(NotYetValid), accept()];
    let valid_or_expired = [accept(), reject_for(Expired)];
    let valid_or_not_yet = [accept(), reject_for(NotYetValid)];
    let valid = [accept()];
    let cases: [Frac; 18] = [
        (
            "exp-now-minus-half",
            "exp == now − 0.5",
            "exp",
            -0.5,
            0,
            Must,
            EXP,
            &expired,
            ANY_READING,
        ),
        (
            "exp-now-fraction-zero",
            "exp == now, written 1700000000.0",
            "exp",
            0.0,
            0,
            Must,
            EXP,
            &expired,
            ANY_READING,
        ),
        (
            "exp-now-plus-half",
            "exp == now + 0.5",
            "exp",
            0.5,
            0,
            Profile,
            EXP,
            &valid_or_expired,
            VALID_EXACT,
        ),
        (
            "exp-now-plus-1ms",
            "exp == now + 0.001",
            "exp",
            0.001,
            0,
            Profile,
            EXP,
            &valid_or_expired,
            VALID_EXACT,
        ),
        (
            "nbf-now-minus-half",
            "nbf == now − 0.5",
            "nbf",
            -0.5,
            0,
            Profile,
            NBF,
            &valid,
            VALID_EXACT,
        ),
        (
            "nbf-now-fraction-zero",
            "nbf == now, written 1700000000.0",
            "nbf",
            0.0,
            0,
            Profile,
            NBF,
            &valid,
            VALID_EXACT,
        ),
        (
            "nbf-now-plus-half",
            "nbf == now + 0.5",
            "nbf",
            0.5,
            0,
            Profile,
            NBF_LATE,
            &not_yet,
            "Compared exactly, now is before nbf, and RFC 7519 §4.1.5 forbids a verifier that processes nbf to accept the token before it (truncating nbf to now accepts half a second early); one without nbf support accepts, and RFC 7519 §4.1 makes no claim mandatory to implement.",
        ),
        (
            "nbf-now-plus-1ms",
            "nbf == now + 0.001",
            "nbf",
            0.001,
            0,
            Profile,
            NBF_LATE,
            &not_yet,
            "Compared exactly, now is before nbf, and RFC 7519 §4.1.5 forbids a verifier that processes nbf to accept the token before it (truncating nbf accepts it early); one without nbf support accepts, and RFC 7519 §4.1 makes no claim mandatory to implement.",
        ),
        (
            "iat-now-minus-half",
            "iat == now − 0.5",
            "iat",
            -0.5,
            0,
            Profile,
            IAT_FRAC,
            &valid,
            VALID_EXACT,
        ),
        (
            "iat-now-plus-half",
            "iat == now + 0.5",
            "iat",
            0.5,
            0,
            Profile,
            IAT_FRAC,
            &valid,
            VALID_EXACT,
        ),
        (
            "iat-now-plus-59-half",
            "iat == now + 59.5, inside the skew",
            "iat",
            59.5,
            0,
            Profile,
            IAT_FRAC,
            &valid,
            VALID_EXACT,
        ),
        (
            "iat-now-plus-60-half",
            "iat == now + 60.5, past the skew",
            "iat",
            60.5,
            0,
            Profile,
            IAT_FRAC,
            &[accept(), reject_for(IatFuture)],
            "No RFC bounds iat: compared exactly it is past the profile's 60 s skew (iat_future), and ignoring the skew accepts; the profile refuses the fraction first (M30).",
        ),
        (
            "leeway-30-exp-now-minus-29-half",
            "30 s leeway, exp == now − 29.5",
            "exp",
            -29.5,
            30,
            Profile,
            LEEWAY,
            &valid_or_expired,
            VALID_EXACT,
        ),
        (
            "leeway-30-exp-now-minus-30-half",
            "30 s leeway, exp == now − 30.5",
            "exp",
            -30.5,
            30,
            Profile,
            LEEWAY,
            &expired,
            ANY_READING,
        ),
        (
            "leeway-30-nbf-now-plus-29-half",
            "30 s leeway, nbf == now + 29.5",
            "nbf",
            29.5,
            30,
            Profile,
            LEEWAY,
            &valid_or_not_yet,
            VALID_EXACT,
        ),
        (
            "leeway-30-nbf-now-plus-30-half",
            "30 s leeway, nbf == now + 30.5",
            "nbf",
            30.5,
            30,
            Profile,
            &[
                "RFC7519-4.1.5-nbf",
                "RFC7519-4.1-optional",
                "RFC7519-4.1.4-leeway",
                "RFC7519-2-numericdate",
                "M26",
                "M30",
            ],
            &not_yet,
            "Compared exactly, truncated or rounded, the nbf lies beyond the leeway, so a verifier that processes nbf rejects (RFC 7519 §4.1.5); one without nbf support accepts (RFC 7519 §4.1); the profile names the fraction first (M30).",
        ),
        (
            "lifetime-24h-minus-half",
            "exp == now + 24 h − 0.5",
            "exp",
            86_399.5,
            0,
            Profile,
            LIFE,
            &valid,
            VALID_EXACT,
        ),
        (
            "lifetime-24h-plus-half",
            "exp == now + 24 h + 0.5",
            "exp",
            86_400.5,
            0,
            Profile,
            LIFE,
            &[accept(), reject_for(ExpUpperBound)],
            "The lifetime bound is the profile's (M19): compared exactly this exp is past it, and a verifier without the bound accepts; the profile refuses the fraction first (M30).",
        ),
    ];
    cases
        .into_iter()
        .map(
            |(name, description, claim_name, offset, leeway, severity, basis, others, why)| {
                Row::new(
                    format!("fraction-{name}"),
                    description,
                    frac(claim_name, offset, leeway),
                    rej(InvalidNumericType),
                    severity,
                    basis,
                )
                .acceptable(others)
                .flags(&["NumericType"])
                .rationale(why)
            },
        )
        .collect()
}

/// More integer boundaries of the profile's own bounds.
fn bound_rows() -> Vec<Row> {
    let unbounded = [accept()];
    let lifetime = |secs: u64, exp: i64| {
        custom(move |d| {
            d.profile.max_lifetime_secs = Some(secs);
            d.claims["exp"] = json!(NOW + exp);
        })
    };
    let skew = |secs: u64, iat: i64| {
        custom(move |d| {
            d.profile.iat_skew_secs = secs;
            d.claims["iat"] = json!(NOW + iat);
        })
    };
    vec![
        Row::new(
            "lifetime-one-year",
            "exp == now + 365 days",
            at("exp", NOW + 31_536_000),
            rej(ExpUpperBound),
            Profile,
            LIFETIME,
        )
        .acceptable(&unbounded),
        Row::new(
            "profile-lifetime-60s",
            "a 60 s bound and exp == now + 61",
            lifetime(60, 61),
            rej(ExpUpperBound),
            Profile,
            LIFETIME,
        )
        .acceptable(&unbounded),
        Row::new(
            "profile-lifetime-1h-exact",
            "a 1 h bound and exp == now + 3600",
            lifetime(3600, 3600),
            Expect::Accept,
            Profile,
            LIFETIME,
        ),
        Row::new(
            "iat-now-plus-1h",
            "iat an hour in the future",
            at("iat", NOW + 3600),
            rej(IatFuture),
            Profile,
            IAT,
        )
        .acceptable(&unbounded),
        Row::new(
            "skew-300-iat-now-plus-301",
            "a 300 s iat skew, iat == now + 301",
            skew(300, 301),
            rej(IatFuture),
            Profile,
            IAT,
        )
        .acceptable(&unbounded),
        Row::new(
            "skew-300-iat-now-plus-300",
            "a 300 s iat skew, iat == now + 300",
            skew(300, 300),
            Expect::Accept,
            Profile,
            IAT,
        ),
        Row::new(
            "nbf-now-plus-1h",
            "nbf an hour in the future",
            at("nbf", NOW + 3600),
            rej(NotYetValid),
            Profile,
            NOT_YET_OPTIONAL,
        )
        .acceptable(&unbounded)
        .rationale(NBF_OPTIONAL),
    ]
}

pub fn family() -> Family {
    let mut rows = rows();
    rows.extend(fractional_rows());
    rows.extend(bound_rows());
    let rows = rows
        .into_iter()
        .map(|row| row.features(&[Feature::Clock]))
        .collect();
    Family::table("time", rows).base(base)
}
