//! `typ` must be exactly `at+jwt` (RFC 9068 §2.1, §4; RFC 8725 §3.11 explicit typing).

use corpus::vector::Severity;
use serde_json::{Value, json};
use verifier::Reason;

use super::{Family, del_hdr, rej, set_hdr};
use crate::generate::Case;

pub fn family() -> Family {
    let mut f = Family::new(
        "typ",
        Severity::Profile,
        &["RFC 9068 §2.1", "RFC 8725 §3.11", "seed 003 M13"],
    );
    f.add(
        Case::new("missing", "no typ", rej(Reason::TypMismatch), |d| {
            del_hdr(d, "typ")
        })
        .severity(Severity::Must)
        .refs(&["RFC 9068 §4"]),
    );
    let values: [(&str, Value); 11] = [
        ("jwt", json!("JWT")),
        ("jwt-lowercase", json!("jwt")),
        ("at-jwt-upper", json!("AT+JWT")),
        ("at-jwt-mixed", json!("At+Jwt")),
        ("application-at-jwt", json!("application/at+jwt")),
        ("at-jwt-trailing-space", json!("at+jwt ")),
        ("at-jwt-no-plus", json!("atjwt")),
        ("empty", json!("")),
        ("null", json!(null)),
        ("number", json!(1)),
        ("array", json!(["at+jwt"])),
    ];
    for (name, value) in values {
        let description = format!("typ {value}");
        f.add(Case::new(
            name,
            description,
            rej(Reason::TypMismatch),
            move |d| set_hdr(d, "typ", value.clone()),
        ));
    }
    f.add(
        Case::new(
            "id-token-typ",
            "an ID token (typ JWT) presented as an access token",
            rej(Reason::TypMismatch),
            |d| {
                set_hdr(d, "typ", json!("JWT"));
                d.claims["nonce"] = json!("n-0S6_WzA2Mj");
            },
        )
        .severity(Severity::Must)
        .refs(&["RFC 9068 §4", "seed 004"])
        .notes("token substitution across token types"),
    );
    f
}
