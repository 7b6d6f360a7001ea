//! Time boundaries under the default clock-bound profile: exp, iat, nbf, lifetime, leeway.

use corpus::vector::{Feature, Severity};
use serde_json::json;
use verifier::{Profile, Reason};

use super::{Family, rej, set_claim};
use crate::generate::{Case, Draft, Expect};

const NOW: i64 = forge::NOW;

fn base() -> Draft {
    Draft {
        profile: Profile::new(forge::ISSUER, forge::AUDIENCE),
        claims: forge::claims_at(NOW - 10, 600),
        ..Draft::default()
    }
}

fn case(
    name: &str,
    description: &str,
    expect: Expect,
    mutate: impl Fn(&mut Draft) + 'static,
) -> Case {
    Case::new(name, description, expect, mutate).features(&[Feature::Clock])
}

pub fn family() -> Family {
    let mut f = Family::new(
        "time",
        Severity::Must,
        &["RFC 7519 §4.1.4", "RFC 8725 §3.10"],
    )
    .base(base);
    let claim =
        |name: &'static str, value: i64| move |d: &mut Draft| set_claim(d, name, json!(value));
    f.add(case(
        "short-lived-accepted",
        "a ten-minute token, mid-life",
        Expect::Accept,
        |_| {},
    ));
    f.add(
        case(
            "exp-equals-now",
            "exp == now",
            rej(Reason::Expired),
            claim("exp", NOW),
        )
        .refs(&["seed 003 M18"]),
    );
    f.add(case(
        "exp-now-plus-1",
        "exp == now + 1",
        Expect::Accept,
        claim("exp", NOW + 1),
    ));
    f.add(
        case(
            "exp-now-minus-1",
            "exp == now − 1",
            rej(Reason::Expired),
            claim("exp", NOW - 1),
        )
        .refs(&["OpenID conformance oidcc-client-test-expired"]),
    );
    f.add(
        case(
            "iat-now-plus-60",
            "iat == now + 60 (the skew)",
            Expect::Accept,
            claim("iat", NOW + 60),
        )
        .severity(Severity::Profile),
    );
    f.add(
        case(
            "iat-now-plus-61",
            "iat == now + 61",
            rej(Reason::IatFuture),
            claim("iat", NOW + 61),
        )
        .severity(Severity::Profile)
        .refs(&["seed 003 M24", "seed 003 M25"]),
    );
    f.add(case(
        "iat-equals-now",
        "iat == now",
        Expect::Accept,
        claim("iat", NOW),
    ));
    f.add(
        case(
            "nbf-equals-now",
            "nbf == now",
            Expect::Accept,
            claim("nbf", NOW),
        )
        .refs(&["RFC 7519 §4.1.5"]),
    );
    f.add(
        case(
            "nbf-now-plus-1",
            "nbf == now + 1",
            rej(Reason::NotYetValid),
            claim("nbf", NOW + 1),
        )
        .refs(&["RFC 7519 §4.1.5", "seed 003 M26"]),
    );
    f.add(case(
        "nbf-now-minus-1",
        "nbf == now − 1",
        Expect::Accept,
        claim("nbf", NOW - 1),
    ));
    f.add(
        case(
            "lifetime-exactly-24h",
            "exp == now + 24 h",
            Expect::Accept,
            claim("exp", NOW + 86_400),
        )
        .severity(Severity::Profile),
    );
    f.add(
        case(
            "lifetime-24h-plus-1",
            "exp == now + 24 h + 1 s",
            rej(Reason::ExpUpperBound),
            claim("exp", NOW + 86_401),
        )
        .severity(Severity::Profile)
        .refs(&["seed 003 M19"]),
    );
    f.add(
        case(
            "exp-year-2100",
            "exp far in the future under a 24 h bound",
            rej(Reason::ExpUpperBound),
            claim("exp", forge::FAR_FUTURE),
        )
        .severity(Severity::Profile),
    );
    f.add(
        case(
            "exp-i64-max-bounded",
            "exp at i64::MAX under a 24 h bound",
            rej(Reason::ExpUpperBound),
            claim("exp", i64::MAX),
        )
        .severity(Severity::Profile)
        .flags(&["Overflow"]),
    );
    f.add(
        case(
            "profile-lifetime-1h",
            "a 1 h bound and exp == now + 3601",
            rej(Reason::ExpUpperBound),
            |d| {
                d.profile.max_lifetime_secs = Some(3600);
                set_claim(d, "exp", json!(NOW + 3601));
            },
        )
        .severity(Severity::Profile),
    );
    let leeway = |d: &mut Draft| d.profile.leeway_secs = 30;
    f.add(case(
        "leeway-30-exp-now-minus-29",
        "30 s leeway, exp == now − 29",
        Expect::Accept,
        move |d| {
            leeway(d);
            set_claim(d, "exp", json!(NOW - 29));
        },
    ));
    f.add(case(
        "leeway-30-exp-now-minus-30",
        "30 s leeway, exp == now − 30",
        rej(Reason::Expired),
        move |d| {
            leeway(d);
            set_claim(d, "exp", json!(NOW - 30));
        },
    ));
    f.add(case(
        "leeway-30-nbf-now-plus-30",
        "30 s leeway, nbf == now + 30",
        Expect::Accept,
        move |d| {
            leeway(d);
            set_claim(d, "nbf", json!(NOW + 30));
        },
    ));
    f.add(case(
        "leeway-30-nbf-now-plus-31",
        "30 s leeway, nbf == now + 31",
        rej(Reason::NotYetValid),
        move |d| {
            leeway(d);
            set_claim(d, "nbf", json!(NOW + 31));
        },
    ));
    f.add(
        case(
            "skew-0-iat-now-plus-1",
            "no iat skew, iat == now + 1",
            rej(Reason::IatFuture),
            |d| {
                d.profile.iat_skew_secs = 0;
                set_claim(d, "iat", json!(NOW + 1));
            },
        )
        .severity(Severity::Profile),
    );
    f.add(
        case(
            "expired-and-iat-future",
            "expired and iat in the future",
            rej(Reason::Expired),
            |d| {
                set_claim(d, "exp", json!(NOW - 1));
                set_claim(d, "iat", json!(NOW + 3600));
            },
        )
        .notes("exp is checked before iat"),
    );
    f.add(
        case(
            "expired-and-wrong-iss",
            "expired and from another issuer",
            rej(Reason::Expired),
            |d| {
                set_claim(d, "exp", json!(NOW - 1));
                set_claim(d, "iss", json!("https://attacker.example"));
            },
        )
        .notes("time claims are checked before iss"),
    );
    f.add(
        case(
            "not-yet-valid-and-wrong-aud",
            "nbf in the future and another audience",
            rej(Reason::NotYetValid),
            |d| {
                set_claim(d, "nbf", json!(NOW + 100));
                set_claim(d, "aud", json!("https://other.example"));
            },
        )
        .notes("nbf is checked before aud"),
    );
    f
}
