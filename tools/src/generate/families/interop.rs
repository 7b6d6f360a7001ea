//! Interoperable baselines from the RFCs, verbatim, under the strict profile.

use corpus::vector::Severity::Must;
use corpus::vector::TokenSpec;
use serde_json::json;
use verifier::Reason::TypMismatch;

use super::{Family, rej};
use crate::generate::{Mutation, Row, any_reject, custom};

/// RFC 7515 Appendix A.3: the ES256 example JWS and its key.
const RFC7515_A3: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

pub fn family() -> Family {
    let jwk = json!({"kty": "EC", "crv": "P-256", "kid": "rfc7515-a3",
        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"});
    Family::table(
        "interop",
        vec![
            Row::new(
                "rfc7515-a3",
                "the RFC 7515 A.3 ES256 example, a valid JWS but not an RFC 9068 access token \
                 (no typ)",
                Mutation::All(vec![
                    Mutation::Jwks(json!({"keys": [jwk]})),
                    custom(|d| d.profile.issuer = Some("joe".into())),
                    Mutation::Token(TokenSpec::Text(RFC7515_A3.into())),
                ]),
                rej(TypMismatch),
                Must,
                &[
                    "RFC9068-4-typ",
                    "RFC7515-4.1.9-typ",
                    "M13",
                    "RFC9068-4-exp",
                    "RFC9068-4-aud",
                ],
            )
            .acceptable(&[any_reject()])
            .refs(&["RFC 7515 Appendix A.3"])
            .notes(
                "a generic JWS library accepts the signature; the access-token profile refuses \
                 it at typ (the header stage), and it would refuse it again at kid, exp (1300819380, \
                 long past), aud, iat, sub, client_id and jti: a verifier that checks in another \
                 order rejects it for another reason",
            ),
        ],
    )
}
