//! Interoperable baselines from the RFCs, verbatim, under the strict profile.

use corpus::vector::{Severity, TokenSpec};
use serde_json::json;
use verifier::Reason;

use super::{Family, rej};
use crate::generate::Case;

/// RFC 7515 Appendix A.3: the ES256 example JWS and its key.
const RFC7515_A3: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

pub fn family() -> Family {
    let mut f = Family::new("interop", Severity::Profile, &["RFC 7515 §A.3"]);
    let jwk = json!({"kty": "EC", "crv": "P-256", "kid": "rfc7515-a3",
        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"});
    f.add(Case::new("rfc7515-a3", "the RFC 7515 A.3 ES256 example, a valid JWS but not an RFC 9068 access token", rej(Reason::TypMismatch), move |d| {
        d.jwks = json!({"keys": [jwk.clone()]});
        d.profile.issuer = Some("joe".into());
        d.token = Some(TokenSpec::Text(RFC7515_A3.into()));
    }).notes("a generic JWS library accepts the signature; the access-token profile refuses it at typ (and would at kid, aud, iat, sub, client_id, jti)"));
    f
}
