//! Interoperable baselines from the specifications, verbatim: the examples of RFC 7515
//! Appendix A, RFC 7519 §3.1 and §6.1, and RFC 7520 §6, each under the preset it belongs to.
//!
//! Every token and key is copied byte for byte from the RFC text (`docs/rfc/`) or, for RFC 7520,
//! from the JOSE working group's cookbook of its examples; the display line breaks are removed
//! and nothing else (the RFC 7515 A.1 / RFC 7519 §3.1 header and payload keep their CRLF and
//! leading spaces inside the encoded segments). The JWKs carry a `kid` the examples do not have:
//! that is how the verifier is configured, and the tokens name no `kid` anyway.
//!
//! Out of scope, because their payload is not a JSON object and so not a JWT Claims Set:
//! RFC 7515 A.4 (ES512, payload `Payload`; its one row is a rejection under the `jwt` preset
//! after the signature has verified, held back with the kid-less rows) and every RFC 7520 §4
//! JWS example (the payload is the text "It’s a dangerous business, Frodo, …"; §4.5 detaches
//! it, §4.6–§4.8 need the JSON serialization). RFC 7520 §6's inner JWS (PS256, `typ` JWT, a
//! JSON claims set) is in.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use corpus::vector::Severity::{Must, Profile};
use corpus::vector::{Feature, TokenSpec};
use serde_json::{Value, json};
use verifier::Reason::{
    AlgHmacRejected, AlgNone, AlgRsaRejected, Expired, PayloadUnparseable, TypMismatch,
};

use super::{Draft, Expect, Family, rej};
use crate::generate::{Mutation, Row, any_reject, custom};

/// RFC 7515 Appendix A.3: the ES256 example JWS and its key.
const RFC7515_A3: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

/// RFC 7515 A.1 and RFC 7519 §3.1 (the same JWT): HS256, header `{"typ":"JWT",CRLF "alg":"HS256"}`.
const RFC7515_A1: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

/// RFC 7515 A.1's 64-byte HMAC key.
const RFC7515_A1_K: &str =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";

/// RFC 7515 A.2: RS256, header `{"alg":"RS256"}`.
const RFC7515_A2: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

/// RFC 7515 A.2's RSA modulus (2048 bits; `e` is `AQAB`).
const RFC7515_A2_N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";

/// RFC 7515 A.4: ES512 over the ASCII payload `Payload`.
const RFC7515_A4: &str = "eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA.AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn";

/// RFC 7519 §6.1 (and RFC 7515 A.5): the unsecured JWT, `{"alg":"none"}`, empty signature.
const RFC7519_6_1: &str = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.";

/// RFC 7520 §6: the inner JWS of the nested example, PS256, header `{"alg":"PS256","typ":"JWT"}`.
const RFC7520_6: &str = "eyJhbGciOiJQUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJob2JiaXRvbi5leGFtcGxlIiwiZXhwIjoxMzAwODE5MzgwLCJodHRwOi8vZXhhbXBsZS5jb20vaXNfcm9vdCI6dHJ1ZX0.dPpMqwRZxFYi1UfcDAaf8M99o7kwUWtiXZ-ByvVuJih4MhJ_aZqciprz0OWaIAkIvn1qskChirjKvY9ESZNUCP4JjvfyPS-nqjJxYoA5ztWOyFk2cZNIPXjcJXSQwXPO9tEe-v4VSqgD0aKHqPxYog4N6Cz1lKph1U1sYDSI67_bLL7elg_vkjfMp5_W5l5LuUYGMeh6hxQIaIUXf9EwV2JmvTMuZ-vBOWy0Sniy1EFo72CRTvmtrIf5AROo5MNliY3KtUxeP-SOmD-LEYwW9SlkohYzMVAZDDOrVbv7KVRHpeYNaK75KEQqdCEEkS_rskZS-Qtt_nlegTWh1mEYaA";

/// The RSA modulus of RFC 7520 §6's signing key ("hobbiton.example", 2048 bits, `e` `AQAB`).
const RFC7520_N: &str = "kNrPIBDXMU6fcyv5i-QHQAQ-K8gsC3HJb7FYhYaw8hXbNJa-t8q0lDKwLZgQXYV-ffWxXJv5GGrlZE4GU52lfMEegTDzYTrRQ3tepgKFjMGg6Iy6fkl1ZNsx2gEonsnlShfzA9GJwRTmtKPbk1s-hwx1IU5AT-AIelNqBgcF2vE5W25_SGGBoaROVdUYxqETDggM1z5cKV4ZjDZ8-lh4oVB07bkac6LQdHpJUUySH_Er20DXx30Kyi97PciXKTS-QKXnmm8ivyRCmux22ZoPUind2BKC5OiG4MwALhaL2Z2k8CsRdfy-7dg7z41Rp6D0ZeEvtaUp4bX4aKraL4rTfw";

/// The examples' `exp` (2011-03-22T18:43:00Z): they are verified a minute before it.
const EXAMPLE_EXP: i64 = 1_300_819_380;
const BEFORE_EXP: i64 = EXAMPLE_EXP - 60;

/// A valid example JWT: its signature verifies, its claims are the RFC's.
const VALID: &[&str] = &[
    "RFC7515-5.2-signature",
    "RFC7519-4-ignore",
    "RFC7515-6-key-id",
];

fn a1_jwk() -> Value {
    json!({"kty": "oct", "kid": "rfc7515-a1", "k": RFC7515_A1_K})
}

fn a2_jwk() -> Value {
    json!({"kty": "RSA", "kid": "rfc7515-a2", "n": RFC7515_A2_N, "e": "AQAB"})
}

fn a3_jwk() -> Value {
    json!({"kty": "EC", "crv": "P-256", "kid": "rfc7515-a3",
        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})
}

fn a4_jwk() -> Value {
    json!({"kty": "EC", "crv": "P-521", "kid": "rfc7515-a4",
        "x": "AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk",
        "y": "ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2"})
}

fn rfc7520_jwk() -> Value {
    json!({"kty": "RSA", "kid": "hobbiton.example", "use": "sig", "n": RFC7520_N, "e": "AQAB"})
}

/// The decoded payload segment of an example token (for the expected claims).
fn payload_of(token: &str) -> Vec<u8> {
    let segment = token.split('.').nth(1).expect("a compact token");
    b64_decode(segment).expect("the example's payload is base64url")
}

fn b64_decode(s: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(s).ok()
}

/// The example `token`, verified against `jwk` under `profile` at `now`.
fn example(token: &'static str, jwk: Value, profile: Value, now: i64) -> Mutation {
    custom(move |d: &mut Draft| {
        d.profile = serde_json::from_value(profile.clone()).expect("a valid example profile");
        d.jwks = json!({"keys": [jwk.clone()]});
        d.payload_raw = Some(payload_of(token));
        d.token = Some(TokenSpec::Text(token.to_owned()));
        d.now = now;
    })
}

/// The `jwt` preset allowing `alg` only, nothing else configured.
fn jwt(alg: &str) -> Value {
    json!({"preset": "jwt", "algorithms": [alg]})
}

/// The strict access-token profile, for `alg`, with the examples' issuer.
fn access_token(alg: &str) -> Value {
    json!({"issuer": "joe", "audiences": [forge::AUDIENCE], "algorithms": [alg]})
}

/// Rows whose outcome the reference reaches before it selects a key.
fn rows() -> Vec<Row> {
    // A valid JWS that is no access token: refused at typ (the header stage), and for other
    // reasons by a verifier that checks in another order.
    let not_access_token =
        |name: &str, description: &str, m: Mutation, basis: &[&str], refs: &[&str], notes: &str| {
            Row::new(name, description, m, rej(TypMismatch), Must, basis)
                .acceptable(&[any_reject()])
                .refs(refs)
                .notes(notes)
        };
    vec![
        not_access_token(
            "rfc7515-a3",
            "the RFC 7515 A.3 ES256 example, a valid JWS but not an RFC 9068 access token \
             (no typ)",
            Mutation::All(vec![
                Mutation::Jwks(json!({"keys": [a3_jwk()]})),
                custom(|d| d.profile.issuer = Some("joe".into())),
                Mutation::Token(TokenSpec::Text(RFC7515_A3.into())),
            ]),
            &[
                "RFC9068-4-typ",
                "RFC7515-4.1.9-typ",
                "M13",
                "RFC9068-4-exp",
                "RFC9068-4-aud",
            ],
            &["RFC 7515 Appendix A.3"],
            "a generic JWS library accepts the signature; the access-token profile refuses \
             it at typ (the header stage), and it would refuse it again at kid, exp (1300819380, \
             long past), aud, iat, sub, client_id and jti: a verifier that checks in another \
             order rejects it for another reason",
        ),
        not_access_token(
            "rfc7515-a1-as-access-token",
            "the RFC 7515 A.1 HS256 example (typ JWT) under the RFC 9068 profile, HS256 allowed, \
             at its own clock",
            example(RFC7515_A1, a1_jwk(), access_token("HS256"), BEFORE_EXP),
            &["RFC9068-4-typ", "RFC7515-4.1.9-typ", "M13", "RFC9068-4-aud"],
            &["RFC 7515 Appendix A.1", "RFC 7519 §3.1"],
            "typ JWT is not at+jwt (the header stage); the token has no kid, aud, sub, \
             client_id, iat or jti either, so a verifier checking in another order rejects it \
             for another reason",
        ),
        not_access_token(
            "rfc7515-a2-as-access-token",
            "the RFC 7515 A.2 RS256 example (no typ) under the RFC 9068 profile, RS256 allowed, \
             at its own clock",
            example(RFC7515_A2, a2_jwk(), access_token("RS256"), BEFORE_EXP),
            &["RFC9068-4-typ", "M13", "RFC9068-4-aud"],
            &["RFC 7515 Appendix A.2"],
            "no typ (the header stage); the token has no kid, aud, sub, client_id, iat or jti \
             either, so a verifier checking in another order rejects it for another reason",
        ),
        Row::new(
            "rfc7515-a2-typ-jwt-required",
            "the RFC 7515 A.2 RS256 example (no typ) under jwt with typ JWT required",
            all_of_example(
                RFC7515_A2,
                a2_jwk(),
                json!({"preset": "jwt", "algorithms": ["RS256"], "typ": "JWT"}),
            ),
            rej(TypMismatch),
            Profile,
            &["PROFILE-PRESET", "RFC8725-3.11-typ", "M13"],
        )
        .features(&[Feature::Typ])
        .refs(&["RFC 7515 Appendix A.2"]),
        Row::new(
            "rfc7515-a1-hs256-not-allowed",
            "the RFC 7515 A.1 HS256 example under jwt allowing RS256 only (the A.2 key)",
            example(RFC7515_A1, a2_jwk(), jwt("RS256"), BEFORE_EXP),
            rej(AlgHmacRejected),
            Must,
            &["RFC8725-3.1-alg", "M03"],
        )
        .refs(&["RFC 7515 Appendix A.1", "RFC 7519 §3.1"]),
        Row::new(
            "rfc7515-a2-rs256-not-allowed",
            "the RFC 7515 A.2 RS256 example under jwt allowing HS256 only (the A.1 key)",
            example(RFC7515_A2, a1_jwk(), jwt("HS256"), BEFORE_EXP),
            rej(AlgRsaRejected),
            Must,
            &["RFC8725-3.1-alg", "M04"],
        )
        .refs(&["RFC 7515 Appendix A.2"]),
        unsecured("rfc7519-6.1-unsecured", "HS256", a1_jwk()),
        unsecured("rfc7519-6.1-unsecured-rs256", "RS256", a2_jwk()),
    ]
}

/// The example at its own clock (a minute before its `exp`).
fn all_of_example(token: &'static str, jwk: Value, profile: Value) -> Mutation {
    example(token, jwk, profile, BEFORE_EXP)
}

/// RFC 7519 §6.1's unsecured JWT under a `jwt` profile allowing `alg` with its example key.
fn unsecured(name: &str, alg: &str, jwk: Value) -> Row {
    Row::new(
        name,
        format!(
            "the RFC 7519 §6.1 unsecured JWT (alg none, empty signature) under jwt allowing {alg}, \
             at its own clock"
        ),
        all_of_example(RFC7519_6_1, jwk, jwt(alg)),
        rej(AlgNone),
        Must,
        &[
            "RFC7518-3.6-none",
            "RFC8725-3.1-alg",
            "ADV-2015-JWT-LIBS",
            "M01",
        ],
    )
    .flags(&["AlgNone"])
    .refs(&["RFC 7519 §6.1", "RFC 7515 Appendix A.5"])
}

/// Rows whose outcome needs the example's signature checked, so the key selected without a
/// `kid`: an accepted example, an expired one, a payload that is no claims set.
fn kidless_rows() -> Vec<Row> {
    let accept = |name: &str, description: &str, m: Mutation, refs: &[&str]| {
        Row::new(name, description, m, Expect::Accept, Must, VALID)
            .refs(refs)
            .features(&[Feature::Clock])
    };
    // An RFC 7515 example under `jwt` at `now`, past its exp.
    let expired = |name: &str, description: &str, token, jwk, alg, now, appendix: &str| {
        Row::new(
            name,
            description,
            example(token, jwk, jwt(alg), now),
            rej(Expired),
            Must,
            &["RFC7519-4.1.4-exp"],
        )
        .refs(&[appendix])
        .features(&[Feature::Clock])
    };
    vec![
        accept(
            "rfc7515-a1",
            "the RFC 7515 A.1 HS256 example (typ JWT, CRLF in header and payload) under jwt, \
             HS256 and its 64-byte key, at its own clock",
            all_of_example(RFC7515_A1, a1_jwk(), jwt("HS256")),
            &["RFC 7515 Appendix A.1"],
        ),
        accept(
            "rfc7519-3.1",
            "the RFC 7519 §3.1 example JWT under jwt with issuer joe and exp required, at its \
             own clock",
            all_of_example(
                RFC7515_A1,
                a1_jwk(),
                json!({"preset": "jwt", "algorithms": ["HS256"], "issuer": "joe",
                    "required_claims": ["exp"]}),
            ),
            &["RFC 7519 §3.1", "RFC 7515 Appendix A.1"],
        ),
        accept(
            "rfc7515-a2",
            "the RFC 7515 A.2 RS256 example under jwt, RS256 and its 2048-bit key, at its own \
             clock",
            all_of_example(RFC7515_A2, a2_jwk(), jwt("RS256")),
            &["RFC 7515 Appendix A.2"],
        ),
        accept(
            "rfc7515-a3-jwt",
            "the RFC 7515 A.3 ES256 example under jwt, at its own clock",
            all_of_example(RFC7515_A3, a3_jwk(), jwt("ES256")),
            &["RFC 7515 Appendix A.3"],
        ),
        accept(
            "rfc7520-6-inner-jws",
            "the inner JWS of RFC 7520 §6 (PS256, typ JWT, a JSON claims set) under jwt, at \
             its own clock",
            all_of_example(RFC7520_6, rfc7520_jwk(), jwt("PS256")),
            &[
                "RFC 7520 §6",
                "ietf-jose/cookbook 6.nesting_signatures_and_encryption.json",
            ],
        ),
        expired(
            "rfc7515-a1-at-exp",
            "the RFC 7515 A.1 example under jwt at exactly its exp",
            RFC7515_A1,
            a1_jwk(),
            "HS256",
            EXAMPLE_EXP,
            "RFC 7515 Appendix A.1",
        )
        .rationale(
            "RFC 7519 §4.1.4: the current time MUST be before exp, and at exp it is not; the \
             libraries that accept compare with at-or-before, one second too late, or never read \
             exp under a plain JWT profile.",
        ),
        expired(
            "rfc7515-a2-after-exp",
            "the RFC 7515 A.2 example under jwt a second after its exp",
            RFC7515_A2,
            a2_jwk(),
            "RS256",
            EXAMPLE_EXP + 1,
            "RFC 7515 Appendix A.2",
        ),
        Row::new(
            "rfc7515-a4-payload-not-json",
            "the RFC 7515 A.4 ES512 example, a valid JWS whose payload is the text Payload, \
             under jwt: not a JWT",
            custom(|d: &mut Draft| {
                d.profile = serde_json::from_value(jwt("ES512")).expect("a valid profile");
                d.jwks = json!({"keys": [a4_jwk()]});
                d.token = Some(TokenSpec::Text(RFC7515_A4.to_owned()));
            }),
            rej(PayloadUnparseable),
            Must,
            &["RFC7519-7.2-json"],
        )
        .refs(&["RFC 7515 Appendix A.4"]),
    ]
}

pub fn family() -> Family {
    let mut rows = rows();
    rows.extend(kidless_rows());
    Family::table("interop", rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The payload of RFC 7515 A.1–A.3 and A.5 and of RFC 7519 §3.1 and §6.1, encoded:
    /// `{"iss":"joe",CRLF "exp":1300819380,CRLF "http://example.com/is_root":true}`.
    const JOE_PAYLOAD: &str = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";

    /// The copied segments are the RFCs' own: the shared payload, and A.1's 64-byte key.
    #[test]
    fn examples_are_copied_whole() {
        for token in [RFC7515_A1, RFC7515_A2, RFC7515_A3, RFC7519_6_1] {
            assert_eq!(token.split('.').nth(1), Some(JOE_PAYLOAD));
        }
        assert_eq!(
            payload_of(RFC7515_A1),
            b"{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"
        );
        assert_eq!(b64_decode(RFC7515_A1_K).map(|k| k.len()), Some(64));
        assert_eq!(b64_decode(RFC7515_A2_N).map(|n| n.len()), Some(256));
        assert_eq!(payload_of(RFC7515_A4), b"Payload");
        // Held-back rows still render (and so still type-check and build their tokens).
        assert_eq!(kidless_rows().len(), 8);
    }
}
