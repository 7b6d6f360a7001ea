//! `typ`: RFC 9068 §4 makes a resource server reject any `typ` other than `at+jwt` or
//! `application/at+jwt`; RFC 7515 §4.1.9 makes media types case-insensitive with `application/`
//! implied. A missing or foreign `typ` is a binding rejection; case variants conform either way.

use corpus::vector::Feature;
use corpus::vector::Severity::{Must, Profile};
use serde_json::json;
use verifier::Reason::TypMismatch;

use super::{Family, rej};
use crate::generate::{Expect, Row, all_of, claim, hdr, no_hdr, reject_for};

const TYP: &[&str] = &[
    "RFC9068-4-typ",
    "RFC7515-4.1.9-typ",
    "RFC7519-5.1-typ",
    "M13",
];

/// Why a missing or foreign `typ` is binding although general-purpose libraries accept it.
pub(super) const TYP_WHY: &str = "RFC 7519 §5.1 leaves typ to the JWT application, and RFC 9068 §4 makes \
                       that application, the resource server, reject any typ other than at+jwt \
                       or application/at+jwt: a library that cannot require a typ lacks the \
                       typ feature and skips this vector, leaving the MUST to the application, \
                       as the +hardened column shows.";

pub fn family() -> Family {
    let foreign = |name: &str, value| {
        Row::new(
            name,
            format!("typ {value}"),
            hdr("typ", value),
            rej(TypMismatch),
            Must,
            TYP,
        )
        .features(&[Feature::Typ])
        .rationale(TYP_WHY)
    };
    let case_variant = |name: &str, value| {
        Row::new(
            name,
            format!("typ {value}: at+jwt in another case (media types are case-insensitive)"),
            hdr("typ", value),
            Expect::Accept,
            Profile,
            TYP,
        )
        .acceptable(&[reject_for(TypMismatch)])
    };
    Family::table(
        "typ",
        vec![
            Row::new(
                "missing",
                "no typ",
                no_hdr("typ"),
                rej(TypMismatch),
                Must,
                TYP,
            )
            .features(&[Feature::Typ])
            .rationale(TYP_WHY),
            foreign("jwt", json!("JWT")),
            foreign("jwt-lowercase", json!("jwt")),
            foreign("at-jwt-trailing-space", json!("at+jwt ")),
            foreign("at-jwt-no-plus", json!("atjwt")),
            foreign("empty", json!("")),
            foreign("null", json!(null)),
            foreign("number", json!(1)),
            foreign("array", json!(["at+jwt"])),
            // `application/` is the only top-level type that may be left implicit.
            foreign("text-at-jwt", json!("text/at+jwt")),
            foreign("image-at-jwt", json!("image/at+jwt")),
            foreign("at-jwt-as-top-type", json!("at+jwt/at+jwt")),
            foreign("application-jwt", json!("application/jwt")),
            foreign("application-at-jwt-empty-top", json!("/at+jwt")),
            case_variant("at-jwt-upper", json!("AT+JWT")),
            case_variant("at-jwt-mixed", json!("At+Jwt")),
            case_variant("application-at-jwt-upper", json!("APPLICATION/AT+JWT")),
            Row::new(
                "application-at-jwt",
                "typ application/at+jwt, the full media type RFC 9068 §4 names",
                hdr("typ", json!("application/at+jwt")),
                Expect::Accept,
                Must,
                TYP,
            ),
            Row::new(
                "id-token-typ",
                "an ID token (typ JWT, a nonce) presented as an access token",
                all_of([
                    hdr("typ", json!("JWT")),
                    claim("nonce", json!("n-0S6_WzA2Mj")),
                ]),
                rej(TypMismatch),
                Must,
                &[
                    "RFC9068-4-typ",
                    "ADV-SUBSTITUTION",
                    "RFC7519-5.1-typ",
                    "M13",
                ],
            )
            .notes("token substitution across token types")
            .features(&[Feature::Typ])
            .rationale(TYP_WHY),
        ],
    )
}
