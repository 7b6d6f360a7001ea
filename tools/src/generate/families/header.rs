//! Header parameters (M07–M16a). A member signed by the pinned key that a verifier may ignore
//! (RFC 7515 §4, and every key-identification member is OPTIONAL) forges nothing: refusing it is
//! this profile's choice. Where trust would come from the token (the attacker's own embedded
//! `jwk`, an `x5c` chain to no configured anchor) or where RFC 7515 §4.1.11 makes the JWS invalid
//! (`crit`), the rejection is binding.

use corpus::vector::Feature;
use corpus::vector::Severity::{Must, Profile};
use serde_json::{Value, json};
use verifier::Reason::{
    HeaderB64False, HeaderCrit, HeaderExtraParam, HeaderJku, HeaderJwk, HeaderX5c, HeaderX5u,
    KidUnknown, NestedJws, PayloadUnparseable, SignatureInvalid, TypMismatch,
};

use super::{Family, rej};
use crate::generate::{Mutation, Row, Signer, all_of, any_reject, hdr, reject_for};

/// `jku` signed by the pinned key: the key set is pinned, so nothing is fetched.
const JKU: &[&str] = &[
    "M07",
    "RFC7515-4.1.2-jku",
    "RFC7515-6-key-id",
    "RFC8725-3.10-untrusted",
];
/// `x5u` signed by the pinned key.
const X5U: &[&str] = &[
    "M08",
    "RFC7515-4.1.5-x5u",
    "RFC7515-6-key-id",
    "RFC8725-3.10-untrusted",
];
/// An embedded `jwk`, token signed by the pinned key.
const JWK: &[&str] = &["M09", "RFC7515-4.1.3-jwk", "RFC7515-6-key-id"];
/// `x5c`, token signed by the pinned key.
const X5C: &[&str] = &["M10", "RFC7515-4.1.6-x5c", "RFC7515-6-key-id"];
/// `b64` without `crit`: the signing input is byte-identical, ignoring it conforms.
const B64: &[&str] = &["M16a", "RFC7797-6-ignore"];
/// `crit` naming something the recipient does not understand: the JWS is invalid.
const CRIT: &[&str] = &["RFC7515-4.1.11-crit", "CVE-2026-32597", "M11"];
/// `cty` over the signed claims themselves (no inner token).
const CTY: &[&str] = &["M14", "RFC7515-4.1.10-cty", "RFC7519-7.2-cty"];
/// A member outside the allowlist that RFC 7515 §4 says to ignore.
const EXTRA: &[&str] = &["M16", "RFC7515-4-ignore"];
/// A certificate thumbprint: an OPTIONAL key hint.
const X5T: &[&str] = &["M16", "RFC7515-4.1.7-x5t", "RFC7515-6-key-id"];
/// A claim replicated in the header, which RFC 7519 §5.3 says to compare (SHOULD).
const REPLICATED: &[&str] = &["M16", "RFC7519-5.3-replicated"];

/// A profile row: header members set on the baseline, still signed by the pinned key.
fn signed_by_pinned(
    name: &str,
    description: &str,
    members: Vec<(&str, Value)>,
    reason: verifier::Reason,
    basis: &[&str],
) -> Row {
    Row::new(
        name,
        description,
        all_of(members.into_iter().map(|(k, v)| hdr(k, v))),
        rej(reason),
        Profile,
        basis,
    )
}

/// `header_extra_param` rows: one member RFC 7515 §4 tells a verifier to ignore.
fn extras() -> Vec<Row> {
    let extras: [(&str, &str, Value); 9] = [
        ("zip", "zip DEF in a JWS", json!("DEF")),
        ("enc", "enc in a JWS", json!("A256GCM")),
        ("x5t", "x5t thumbprint", json!("dGhpcyBpcyBub3QgYSB0aHVtYg")),
        (
            "x5t#S256",
            "x5t#S256 thumbprint",
            json!("dGhpcyBpcyBub3QgYSB0aHVtYg"),
        ),
        (
            "iss",
            "iss replicated in the header (RFC 7519 §5.3)",
            json!("https://attacker.example"),
        ),
        ("Alg", "a second alg spelled with a capital", json!("none")),
        ("foo", "an unknown member", json!("bar")),
        ("", "a member with an empty name", json!(1)),
        ("epk", "a JWE epk member", json!({"kty": "EC"})),
    ];
    extras
        .into_iter()
        .map(|(member, description, value)| {
            let slug = match member {
                "" => "empty-name".to_owned(),
                m => m.replace('#', "-").to_lowercase(),
            };
            let row = signed_by_pinned(
                &format!("extra-{slug}"),
                description,
                vec![(member, value)],
                HeaderExtraParam,
                match member {
                    "x5t" | "x5t#S256" => X5T,
                    "iss" => REPLICATED,
                    _ => EXTRA,
                },
            );
            match member {
                "x5t" | "x5t#S256" => row.notes(
                    "a thumbprint is an OPTIONAL key hint (RFC 7515 §4.1.7, §4.1.8, §6); \
                     the key is pinned, so the profile's allowlist refuses it",
                ),
                "iss" => row.notes(
                    "RFC 7519 §5.3 says a recipient SHOULD check a replicated claim against the \
                     claims set; the header value differs, and the allowlist refuses it first",
                ),
                "Alg" => row.notes("member names are case-sensitive: Alg is not alg"),
                _ => row,
            }
        })
        .collect()
}

pub fn family() -> Family {
    let attacker = forge::public_jwk(forge::key("attacker").verifying_key(), "attacker");
    let ours = forge::public_jwk(forge::key(forge::KID).verifying_key(), forge::KID);
    let mut rows = vec![
        // jku and x5u: URLs from the token. Signed by the pinned key, so ignoring them conforms.
        signed_by_pinned(
            "jku",
            "jku pointing at an attacker's key set, token signed by the pinned key",
            vec![("jku", json!("https://attacker.example/jwks.json"))],
            HeaderJku,
            JKU,
        )
        .notes("a verifier that ignores jku verifies under the pinned key and forges nothing"),
        signed_by_pinned(
            "jku-same-issuer",
            "jku pointing at the real issuer's key set",
            vec![("jku", json!("https://issuer.example/.well-known/jwks.json"))],
            HeaderJku,
            JKU,
        )
        .notes("even a plausible jku is refused: keys are pinned"),
        signed_by_pinned(
            "jku-null",
            "jku present as null",
            vec![("jku", json!(null))],
            HeaderJku,
            JKU,
        )
        .notes("refused by presence"),
        signed_by_pinned(
            "jku-and-x5u",
            "jku and x5u together",
            vec![
                ("jku", json!("https://a.example")),
                ("x5u", json!("https://b.example")),
            ],
            HeaderJku,
            &[
                "M07",
                "M08",
                "RFC7515-4.1.2-jku",
                "RFC7515-4.1.5-x5u",
                "RFC7515-6-key-id",
                "RFC8725-3.10-untrusted",
            ],
        )
        .acceptable(&[reject_for(HeaderX5u)])
        .notes("jku is checked first; a verifier checking x5u first gives header_x5u"),
        signed_by_pinned(
            "x5u",
            "x5u pointing at an attacker's certificate, token signed by the pinned key",
            vec![("x5u", json!("https://attacker.example/cert.pem"))],
            HeaderX5u,
            X5U,
        ),
        signed_by_pinned(
            "x5u-http",
            "x5u over plain http",
            vec![("x5u", json!("http://issuer.example/cert.pem"))],
            HeaderX5u,
            X5U,
        ),
        signed_by_pinned(
            "x5u-file",
            "x5u with a file URL",
            vec![("x5u", json!("file:///etc/ssl/certs/ca.pem"))],
            HeaderX5u,
            X5U,
        ),
        // jwk: the attack is the attacker's own key verifying the token.
        Row::new(
            "jwk-attacker-key",
            "embedded jwk of the attacker's key, signed by it (CVE-2018-0114)",
            all_of([
                hdr("jwk", attacker.clone()),
                hdr("kid", json!("attacker")),
                Mutation::Sign(Signer::Es256("attacker")),
            ]),
            rej(HeaderJwk),
            Must,
            &[
                "CVE-2018-0114",
                "RFC9068-4-signature",
                "RFC7515-4.1.3-jwk",
                "M09",
            ],
        )
        .acceptable(&[reject_for(KidUnknown), reject_for(SignatureInvalid)])
        .flags(&["EmbeddedKey"])
        .notes(
            "a verifier that ignores jwk finds no pinned key named attacker (kid_unknown) or, \
             trying every pinned key, no key that verifies (signature_invalid)",
        ),
        signed_by_pinned(
            "jwk-our-key",
            "embedded jwk equal to the pinned key, genuinely signed",
            vec![("jwk", ours)],
            HeaderJwk,
            JWK,
        )
        .notes("refused by presence, not by value"),
        signed_by_pinned(
            "jwk-empty-object",
            "jwk as an empty object",
            vec![("jwk", json!({}))],
            HeaderJwk,
            JWK,
        ),
        // x5c: the attack is a chain to no configured trust anchor.
        Row::new(
            "x5c-chain",
            "x5c with a real certificate chain for the attacker's key, signed by it",
            all_of([
                hdr("x5c", json!(crate::generate::certs::x5c_chain())),
                Mutation::Sign(Signer::Es256("attacker")),
            ]),
            rej(HeaderX5c),
            Must,
            &[
                "ADV-X5C-CHAIN",
                "RFC9068-4-signature",
                "RFC7515-4.1.6-x5c",
                "M10",
            ],
        )
        .acceptable(&[reject_for(SignatureInvalid)])
        .flags(&["EmbeddedKey"])
        .notes(
            "the chain's root is no configured anchor; a verifier that ignores x5c and checks \
             the signature under the pinned key gives signature_invalid",
        ),
        signed_by_pinned(
            "x5c-empty",
            "x5c as an empty array",
            vec![("x5c", json!([]))],
            HeaderX5c,
            X5C,
        ),
        signed_by_pinned(
            "x5c-string",
            "x5c as a bare string",
            vec![("x5c", json!("MIIB"))],
            HeaderX5c,
            X5C,
        ),
        // crit: binding when it names something the recipient does not understand.
        Row::new(
            "crit-exp",
            "crit naming a registered claim",
            hdr("crit", json!(["exp"])),
            rej(HeaderCrit),
            Must,
            &[
                "RFC7515-4.1.11-crit",
                "RFC7515-4.1.11-crit-shape",
                "CVE-2026-32597",
                "M11",
            ],
        )
        .rationale(
            "exp is no header extension a JWS recipient understands, so RFC 7515 §4.1.11 makes \
             the JWS invalid; the listed member is also absent from the header",
        ),
        Row::new(
            "crit-empty",
            "crit as an empty array (producers MUST NOT send it; recipients MAY reject)",
            hdr("crit", json!([])),
            rej(HeaderCrit),
            Profile,
            &["M11", "RFC7515-4.1.11-crit-shape"],
        ),
        Row::new(
            "crit-unknown-extension",
            "crit naming an unknown extension that is present",
            all_of([
                hdr("crit", json!(["http://example.com/ext"])),
                hdr("http://example.com/ext", json!(true)),
            ]),
            rej(HeaderCrit),
            Must,
            CRIT,
        )
        .acceptable(&[reject_for(HeaderExtraParam)])
        .notes("crit is checked before the allowlist; the other order gives header_extra_param")
        .rationale(
            "RFC 7515 §4.1.11 makes a JWS invalid when crit lists an extension the recipient \
             does not understand, however harmless the extension member looks",
        ),
        Row::new(
            "crit-b64",
            "crit [b64] with b64 false (RFC 7797), the payload still base64url-encoded",
            all_of([hdr("crit", json!(["b64"])), hdr("b64", json!(false))]),
            rej(HeaderCrit),
            Must,
            &[
                "RFC7515-4.1.11-crit",
                "RFC7797-3-b64",
                "RFC7519-7.2-json",
                "CVE-2026-32597",
                "M11",
            ],
        )
        .acceptable(&[reject_for(HeaderB64False), reject_for(PayloadUnparseable)])
        .notes(
            "crit is checked before b64; a verifier without RFC 7797 must reject the critical \
             b64, one with it reads the payload segment as unencoded octets that are no JSON \
             claims set (payload_unparseable)",
        )
        .rationale(
            "b64 is listed as critical, so a recipient without RFC 7797 must reject the JWS \
             (RFC 7515 §4.1.11), and one with it reads a payload that is no JSON claims set",
        ),
        Row::new(
            "jwk-and-crit",
            "an embedded attacker jwk and crit [exp] together, signed by the pinned key",
            all_of([hdr("jwk", attacker), hdr("crit", json!(["exp"]))]),
            rej(HeaderJwk),
            Must,
            &[
                "RFC7515-4.1.11-crit",
                "CVE-2026-32597",
                "RFC7515-4.1.3-jwk",
                "M09",
                "M11",
            ],
        )
        .acceptable(&[reject_for(HeaderCrit)])
        .rationale(
            "RFC 7515 §4.1.11 makes the JWS invalid because crit lists exp, which no JWS \
             recipient understands as a header extension, whichever key verifies it; a library \
             that ignores crit and verifies with the pinned key still breaks that MUST, although \
             it never trusts the embedded jwk.",
        )
        .notes("jwk is checked before crit; the crit member alone makes the rejection binding"),
        // b64 without crit: the signing input is the same bytes either way.
        signed_by_pinned(
            "b64-false",
            "b64 false without crit",
            vec![("b64", json!(false))],
            HeaderB64False,
            B64,
        )
        .acceptable(&[any_reject()])
        .notes(
            "without crit a verifier unaware of RFC 7797 processes the JWS as if b64 were true \
             and verifies the same signing input; one that honours b64 false reads the payload \
             as raw octets and rejects",
        ),
        signed_by_pinned(
            "b64-string-false",
            "b64 as the string \"false\"",
            vec![("b64", json!("false"))],
            HeaderB64False,
            B64,
        ),
        signed_by_pinned(
            "b64-true",
            "b64 true (the default, stated)",
            vec![("b64", json!(true))],
            HeaderB64False,
            B64,
        ),
        // cty over the signed claims: nothing unsigned is trusted.
        signed_by_pinned(
            "cty-jwt",
            "cty JWT over a payload that is the claims set, not a nested token",
            vec![("cty", json!("JWT"))],
            NestedJws,
            CTY,
        )
        .acceptable(&[any_reject()])
        .notes(
            "the claims are signed by the pinned key, so a verifier that ignores cty forges \
             nothing; one that follows RFC 7519 §7.2 step 8 fails to parse the claims as a JWT",
        ),
        signed_by_pinned(
            "cty-at-jwt",
            "cty at+jwt",
            vec![("cty", json!("at+jwt"))],
            NestedJws,
            CTY,
        ),
        signed_by_pinned(
            "cty-json",
            "cty application/json",
            vec![("cty", json!("application/json"))],
            NestedJws,
            CTY,
        ),
        signed_by_pinned(
            "cty-and-extra",
            "cty and an unknown member",
            vec![("cty", json!("JWT")), ("foo", json!(1))],
            NestedJws,
            &[
                "M14",
                "M16",
                "RFC7515-4.1.10-cty",
                "RFC7519-7.2-cty",
                "RFC7515-4-ignore",
            ],
        )
        .acceptable(&[reject_for(HeaderExtraParam)])
        .notes("forbidden parameters are checked before the allowlist"),
        Row::new(
            "extra-and-typ-jwt",
            "an unknown member and typ JWT",
            all_of([hdr("foo", json!(1)), hdr("typ", json!("JWT"))]),
            rej(HeaderExtraParam),
            Must,
            &[
                "RFC9068-4-typ",
                "RFC7515-4.1.9-typ",
                "M13",
                "M16",
                "RFC7515-4-ignore",
            ],
        )
        .acceptable(&[reject_for(TypMismatch)])
        .features(&[Feature::Typ])
        .rationale(
            "RFC 9068 §4 makes a resource server reject typ JWT whatever else the header holds; \
             the unknown member only decides which reason this profile names first.",
        )
        .notes(
            "the allowlist is checked before typ; a verifier that ignores foo rejects typ JWT \
             (typ_mismatch), which RFC 9068 §4 requires",
        ),
    ];
    rows.extend(extras());
    Family::table("header", rows)
}
