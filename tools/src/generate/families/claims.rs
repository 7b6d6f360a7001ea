//! Registered claims: numeric types (M30), presence and types of exp, iat, sub, client_id, jti,
//! and the token category (M29). Clock-independent: values are far from any plausible now.

use corpus::vector::Severity;
use serde_json::{Value, json};
use verifier::Reason;

use super::{Family, del_claim, rej, set_claim};
use crate::generate::{Case, Draft, Expect};

fn raw_claim(name: &'static str, literal: &'static str) -> impl Fn(&mut Draft) + 'static {
    move |d: &mut Draft| {
        del_claim(d, name);
        let text = d
            .claims
            .to_string()
            .replacen('{', &format!("{{\"{name}\":{literal},"), 1);
        d.payload_raw = Some(text.into_bytes());
    }
}

pub fn family() -> Family {
    let mut f = Family::new(
        "claims",
        Severity::Must,
        &["RFC 7519 §4.1", "RFC 9068 §2.2"],
    );
    let numeric: [(&str, &str, &str); 17] = [
        ("exp-string", "exp", "\"4102444800\""),
        ("exp-float", "exp", "4102444800.0"),
        ("exp-exponent", "exp", "4.1024448e9"),
        ("exp-negative-zero", "exp", "-0"),
        ("exp-bool", "exp", "true"),
        ("exp-null", "exp", "null"),
        ("exp-array", "exp", "[4102444800]"),
        ("exp-object", "exp", "{\"t\":4102444800}"),
        ("exp-beyond-i64", "exp", "9223372036854775808"),
        ("exp-beyond-u64", "exp", "18446744073709551616"),
        ("iat-string", "iat", "\"1000000000\""),
        ("iat-float", "iat", "1000000000.5"),
        ("iat-exponent", "iat", "1e9"),
        ("nbf-string", "nbf", "\"1000000000\""),
        ("nbf-float", "nbf", "1.0"),
        ("nbf-negative-zero", "nbf", "-0"),
        ("nbf-bool", "nbf", "false"),
    ];
    for (name, claim, literal) in numeric {
        let description = format!("{claim} written as {literal}");
        f.add(
            Case::new(
                name,
                description,
                rej(Reason::InvalidNumericType),
                raw_claim(claim, literal),
            )
            .refs(&["RFC 7519 §2 NumericDate", "RFC 8725 §2.4", "seed 003 M30"])
            .flags(&["NumericType"]),
        );
    }
    f.add(
        Case::new("exp-missing", "no exp", rej(Reason::ExpMissing), |d| {
            del_claim(d, "exp")
        })
        .refs(&["RFC 9068 §2.2", "RFC 8725 §3.10"]),
    );
    f.add(
        Case::new(
            "exp-missing-iat-missing",
            "neither exp nor iat",
            rej(Reason::ExpMissing),
            |d| {
                del_claim(d, "exp");
                del_claim(d, "iat");
            },
        )
        .notes("exp is checked before iat"),
    );
    f.add(
        Case::new(
            "exp-missing-nbf-string",
            "no exp and nbf as a string",
            rej(Reason::InvalidNumericType),
            raw_claim("nbf", "\"1\""),
        )
        .notes("numeric types are checked before presence"),
    );
    f.add(
        Case::new(
            "exp-renamed",
            "exp spelled Exp",
            rej(Reason::ExpMissing),
            |d| {
                del_claim(d, "exp");
                set_claim(d, "Exp", json!(forge::FAR_FUTURE));
            },
        )
        .notes("claim names are case-sensitive"),
    );
    f.add(Case::new(
        "iat-missing-nbf-present",
        "no iat, but nbf",
        rej(Reason::IatMissing),
        |d| {
            del_claim(d, "iat");
            set_claim(d, "nbf", json!(forge::LONG_AGO));
        },
    ));
    f.add(
        Case::new(
            "iat-missing-auth-time-present",
            "no iat, but auth_time",
            rej(Reason::IatMissing),
            |d| {
                del_claim(d, "iat");
                set_claim(d, "auth_time", json!(forge::LONG_AGO));
            },
        )
        .notes("auth_time is not an issuance time"),
    );
    f.add(Case::new(
        "exp-zero",
        "exp at the epoch",
        rej(Reason::Expired),
        |d| set_claim(d, "exp", json!(0)),
    ));
    f.add(Case::new(
        "exp-negative",
        "exp negative",
        rej(Reason::Expired),
        |d| set_claim(d, "exp", json!(-1)),
    ));
    f.add(
        Case::new(
            "exp-i64-min",
            "exp at i64::MIN",
            rej(Reason::Expired),
            |d| set_claim(d, "exp", json!(i64::MIN)),
        )
        .flags(&["Overflow"]),
    );
    f.add(
        Case::new(
            "exp-2001",
            "exp long past (2001)",
            rej(Reason::Expired),
            |d| set_claim(d, "exp", json!(forge::LONG_AGO + 1)),
        )
        .refs(&["OpenID conformance oidcc-client-test-expired"]),
    );
    f.add(
        Case::new("iat-missing", "no iat", rej(Reason::IatMissing), |d| {
            del_claim(d, "iat")
        })
        .refs(&[
            "RFC 9068 §2.2",
            "OpenID conformance oidcc-client-test-missing-iat",
        ]),
    );
    f.add(
        Case::new(
            "iat-i64-max",
            "iat at i64::MAX",
            rej(Reason::IatFuture),
            |d| set_claim(d, "iat", json!(i64::MAX)),
        )
        .flags(&["Overflow"]),
    );
    f.add(Case::new(
        "iat-year-2099",
        "iat in 2099",
        rej(Reason::IatFuture),
        |d| set_claim(d, "iat", json!(4_070_908_800_i64)),
    ));
    f.add(
        Case::new(
            "nbf-year-2099",
            "nbf in 2099",
            rej(Reason::NotYetValid),
            |d| set_claim(d, "nbf", json!(4_070_908_800_i64)),
        )
        .refs(&["RFC 7519 §4.1.5"]),
    );
    f.add(
        Case::new(
            "nbf-i64-max",
            "nbf at i64::MAX",
            rej(Reason::NotYetValid),
            |d| set_claim(d, "nbf", json!(i64::MAX)),
        )
        .flags(&["Overflow"]),
    );
    let required: [(&str, Reason, &str); 3] = [
        ("sub", Reason::SubMissing, "RFC 9068 §2.2"),
        ("client_id", Reason::ClientIdMissing, "RFC 9068 §2.2"),
        ("jti", Reason::JtiMissing, "RFC 9068 §2.2"),
    ];
    let bad_values: [(&str, Value); 5] = [
        ("number", json!(1)),
        ("null", json!(null)),
        ("empty", json!("")),
        ("array", json!(["x"])),
        ("object", json!({"id": "x"})),
    ];
    for (claim, reason, rfc) in required {
        let slug = claim.replace('_', "-");
        f.add(
            Case::new(
                format!("{slug}-missing"),
                format!("no {claim}"),
                rej(reason),
                move |d| del_claim(d, claim),
            )
            .refs(&[rfc]),
        );
        for (kind, value) in &bad_values {
            let severity = if *kind == "empty" {
                Severity::Profile
            } else {
                Severity::Must
            };
            let value = value.clone();
            f.add(
                Case::new(
                    format!("{slug}-{kind}"),
                    format!("{claim} as {value}"),
                    rej(reason),
                    move |d| set_claim(d, claim, value.clone()),
                )
                .refs(&[rfc])
                .severity(severity),
            );
        }
    }
    f.add(
        Case::new(
            "sub-missing-jti-missing",
            "neither sub nor jti",
            rej(Reason::SubMissing),
            |d| {
                del_claim(d, "sub");
                del_claim(d, "jti");
            },
        )
        .notes("sub is checked before client_id and jti"),
    );
    let cat = |d: &mut Draft| d.profile.expected_cat = Some("access".into());
    f.add(
        Case::new(
            "cat-access",
            "cat access when the profile requires it",
            Expect::Accept,
            move |d| {
                cat(d);
                set_claim(d, "cat", json!("access"));
            },
        )
        .refs(&["seed 003 M29"]),
    );
    for (name, value) in [
        ("missing", None),
        ("refresh", Some(json!("refresh"))),
        ("upper", Some(json!("ACCESS"))),
        ("number", Some(json!(1))),
        ("array", Some(json!(["access"]))),
    ] {
        f.add(
            Case::new(
                format!("cat-{name}"),
                format!(
                    "cat {} when access is required",
                    value.as_ref().map_or("absent".to_owned(), Value::to_string)
                ),
                rej(Reason::TokenTypeMismatch),
                move |d| {
                    cat(d);
                    if let Some(v) = &value {
                        set_claim(d, "cat", v.clone());
                    }
                },
            )
            .severity(Severity::Profile)
            .refs(&["seed 003 M29"]),
        );
    }
    f
}
