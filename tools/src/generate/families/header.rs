//! Header parameters (M07–M16a). A member signed by the pinned key that a verifier may ignore
//! (RFC 7515 §4, and every key-identification member is OPTIONAL) forges nothing: refusing it is
//! this profile's choice. Where trust would come from the token (the attacker's own embedded
//! `jwk`, an `x5c` chain to no configured anchor) or where RFC 7515 §4.1.11 makes the JWS invalid
//! (`crit`), the rejection is binding.

use corpus::vector::Feature;
use corpus::vector::Severity::{Must, Profile};
use serde_json::{Value, json};
use verifier::Reason::{
    AlgHmacRejected, AlgNotAllowed, HeaderB64False, HeaderCrit, HeaderExtraParam, HeaderJku,
    HeaderJwk, HeaderX5c, HeaderX5u, KidUnknown, NestedJws, PayloadUnparseable, SignatureInvalid,
    TypMismatch,
};

use super::{Family, rej};
use crate::generate::{Mutation, Row, Signer, all_of, any_reject, hdr, no_hdr, reject_for};

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
    rows.extend(embedded_jwk_rows());
    rows.extend(x5c_x5u_rows());
    Family::table("header", rows)
}

/// CVE-2018-0114: a token that carries its own key (the attacker's, signed by it).
const EMBEDDED: &[&str] = &[
    "CVE-2018-0114",
    "RFC9068-4-signature",
    "RFC7515-4.1.3-jwk",
    "M09",
];
/// A verifier that ignores the embedded key finds the pinned key and a signature that fails.
const IGNORED_JWK: &str = "a verifier that ignores jwk looks up the pinned key and the \
                           attacker's signature fails under it (signature_invalid)";

/// An embedded `jwk` the attacker signs with, under the pinned key's kid.
fn attacker_jwk(name: &str, description: &str, jwk: Value) -> Row {
    Row::new(
        name,
        description,
        all_of([hdr("jwk", jwk), Mutation::Sign(Signer::Es256("attacker"))]),
        rej(HeaderJwk),
        Must,
        EMBEDDED,
    )
    .acceptable(&[reject_for(SignatureInvalid)])
    .flags(&["EmbeddedKey"])
    .notes(IGNORED_JWK)
}

fn embedded_jwk_rows() -> Vec<Row> {
    let attacker_key = forge::key("attacker");
    let attacker_as_primary = forge::public_jwk(attacker_key.verifying_key(), forge::KID);
    let ours = forge::public_jwk(forge::key(forge::KID).verifying_key(), forge::KID);
    let mut ours_no_kid = ours.clone();
    if let Some(map) = ours_no_kid.as_object_mut() {
        map.remove("kid");
    }
    let mut attacker_private = attacker_as_primary.clone();
    attacker_private["d"] = json!(forge::b64(attacker_key.to_bytes()));
    let x5c = json!(crate::generate::certs::x5c_chain());
    let mut rows = vec![
        attacker_jwk(
            "jwk-attacker-key-pinned-kid",
            "embedded jwk of the attacker's key carrying the pinned kid, signed by the attacker",
            attacker_as_primary.clone(),
        ),
        attacker_jwk(
            "jwk-attacker-key-with-d",
            "embedded jwk of the attacker's key with its private d, signed by the attacker",
            attacker_private,
        ),
        attacker_jwk(
            "jwk-attacker-key-set",
            "an embedded JWK Set holding the attacker's key under the pinned kid, signed by it",
            json!({"keys": [attacker_as_primary.clone()]}),
        ),
        attacker_jwk(
            "jwk-pinned-key-values-attacker-signed",
            "embedded jwk equal to the pinned key, but the token signed by the attacker",
            ours.clone(),
        )
        .notes(
            "whichever key a verifier takes (embedded or pinned) it is the pinned key, and the \
             attacker's signature fails under it",
        ),
        Row::new(
            "jwk-attacker-key-no-kid",
            "embedded jwk of the attacker's key, no kid in the header, signed by the attacker",
            all_of([
                hdr("jwk", attacker_as_primary.clone()),
                no_hdr("kid"),
                Mutation::Sign(Signer::Es256("attacker")),
            ]),
            rej(HeaderJwk),
            Must,
            EMBEDDED,
        )
        .acceptable(&[reject_for(KidUnknown), reject_for(SignatureInvalid)])
        .flags(&["EmbeddedKey"])
        .notes("with no kid the embedded key is the only key the token names"),
        Row::new(
            "jwk-attacker-key-with-jku",
            "embedded attacker jwk beside a jku naming the attacker's key set, signed by the \
             attacker",
            all_of([
                hdr("jwk", attacker_as_primary.clone()),
                hdr("jku", json!("https://attacker.example/jwks.json")),
                Mutation::Sign(Signer::Es256("attacker")),
            ]),
            rej(HeaderJku),
            Must,
            &[
                "CVE-2018-0114",
                "ADV-JKU-FETCH",
                "RFC9068-4-signature",
                "RFC7515-4.1.3-jwk",
                "M07",
                "M09",
            ],
        )
        .acceptable(&[reject_for(HeaderJwk), reject_for(SignatureInvalid)])
        .flags(&["EmbeddedKey"])
        .notes("jku is checked before jwk"),
        Row::new(
            "jwk-attacker-key-with-x5u",
            "embedded attacker jwk beside an x5u, signed by the attacker",
            all_of([
                hdr("jwk", attacker_as_primary.clone()),
                hdr("x5u", json!("https://attacker.example/cert.pem")),
                Mutation::Sign(Signer::Es256("attacker")),
            ]),
            rej(HeaderX5u),
            Must,
            &[
                "CVE-2018-0114",
                "ADV-JKU-FETCH",
                "RFC9068-4-signature",
                "RFC7515-4.1.3-jwk",
                "M08",
                "M09",
            ],
        )
        .acceptable(&[reject_for(HeaderJwk), reject_for(SignatureInvalid)])
        .flags(&["EmbeddedKey"])
        .notes("x5u is checked before jwk"),
        Row::new(
            "jwk-attacker-key-with-x5c",
            "embedded attacker jwk beside an x5c chain for the same key, signed by the attacker",
            all_of([
                hdr("jwk", attacker_as_primary),
                hdr("x5c", x5c.clone()),
                Mutation::Sign(Signer::Es256("attacker")),
            ]),
            rej(HeaderJwk),
            Must,
            &[
                "CVE-2018-0114",
                "ADV-X5C-CHAIN",
                "RFC9068-4-signature",
                "RFC7515-4.1.3-jwk",
                "M09",
                "M10",
            ],
        )
        .acceptable(&[reject_for(HeaderX5c), reject_for(SignatureInvalid)])
        .flags(&["EmbeddedKey"])
        .notes("jwk is checked before x5c"),
        Row::new(
            "jwk-oct-hs256",
            "an embedded symmetric jwk and an HS256 token keyed with its k",
            all_of([
                hdr("alg", json!("HS256")),
                hdr(
                    "jwk",
                    json!({"kty": "oct", "kid": forge::KID, "k": forge::b64(b"embedded")}),
                ),
                Mutation::Sign(Signer::Hmac(256, b"embedded".to_vec())),
            ]),
            rej(AlgHmacRejected),
            Must,
            &[
                "CVE-2018-0114",
                "RFC8725-3.1-alg",
                "RFC7515-4.1.3-jwk",
                "M03",
                "M09",
            ],
        )
        .acceptable(&[reject_for(AlgNotAllowed), reject_for(HeaderJwk)])
        .flags(&["EmbeddedKey", "AlgConfusion"])
        .notes("alg is checked before header parameters: alg_hmac_rejected wins over header_jwk"),
    ];
    rows.extend([
        signed_by_pinned(
            "jwk-pinned-key-no-kid",
            "embedded jwk with the pinned key's public values and no kid, genuinely signed",
            vec![("jwk", ours_no_kid)],
            HeaderJwk,
            JWK,
        )
        .notes("refused by presence; the signer is the pinned key, so ignoring jwk forges nothing"),
        signed_by_pinned(
            "jwk-pinned-key-with-x5c",
            "embedded jwk of the pinned key beside an x5c chain, genuinely signed",
            vec![("jwk", ours), ("x5c", x5c)],
            HeaderJwk,
            &[
                "M09",
                "M10",
                "RFC7515-4.1.3-jwk",
                "RFC7515-4.1.6-x5c",
                "RFC7515-6-key-id",
            ],
        )
        .acceptable(&[reject_for(HeaderX5c)])
        .notes("jwk is checked before x5c"),
        Row::new(
            "jwk-as-claim-accepted",
            "the attacker's jwk as a claim in the payload, not a header parameter: an unknown \
             claim, ignored; the token is signed by the pinned key",
            crate::generate::claim(
                "jwk",
                forge::public_jwk(forge::key("attacker").verifying_key(), "attacker"),
            ),
            crate::generate::Expect::Accept,
            Profile,
            &["RFC7519-4-ignore", "RFC9068-4-signature", "M09"],
        )
        .notes("M09 refuses a jwk header parameter; a claim of that name selects no key"),
        signed_by_pinned(
            "jwk-null",
            "jwk present as null",
            vec![("jwk", json!(null))],
            HeaderJwk,
            JWK,
        )
        .notes("refused by presence"),
        signed_by_pinned(
            "jwk-string",
            "jwk as a string holding the pinned key's JSON",
            vec![(
                "jwk",
                json!(
                    forge::public_jwk(forge::key(forge::KID).verifying_key(), forge::KID)
                        .to_string()
                ),
            )],
            HeaderJwk,
            JWK,
        ),
    ]);
    rows
}

fn x5c_x5u_rows() -> Vec<Row> {
    let chain = crate::generate::certs::x5c_chain();
    let leaf = chain[0].clone();
    let x5c_attack: &[&str] = &[
        "ADV-X5C-CHAIN",
        "RFC9068-4-signature",
        "RFC7515-4.1.6-x5c",
        "M10",
    ];
    let x5u_attack: &[&str] = &[
        "ADV-JKU-FETCH",
        "RFC9068-4-signature",
        "RFC7515-4.1.5-x5u",
        "M08",
    ];
    vec![
        Row::new(
            "x5c-leaf-only",
            "x5c with only the attacker's self-issued leaf (no chain), signed by the attacker",
            all_of([
                hdr("x5c", json!([leaf.clone()])),
                Mutation::Sign(Signer::Es256("attacker")),
            ]),
            rej(HeaderX5c),
            Must,
            x5c_attack,
        )
        .acceptable(&[reject_for(SignatureInvalid)])
        .flags(&["EmbeddedKey"]),
        Row::new(
            "x5c-chain-no-kid",
            "x5c with the attacker's chain and no kid, signed by the attacker",
            all_of([
                hdr("x5c", json!(chain)),
                no_hdr("kid"),
                Mutation::Sign(Signer::Es256("attacker")),
            ]),
            rej(HeaderX5c),
            Must,
            x5c_attack,
        )
        .acceptable(&[reject_for(KidUnknown), reject_for(SignatureInvalid)])
        .flags(&["EmbeddedKey"]),
        signed_by_pinned(
            "x5c-null",
            "x5c present as null",
            vec![("x5c", json!(null))],
            HeaderX5c,
            X5C,
        )
        .notes("refused by presence"),
        signed_by_pinned(
            "x5c-not-base64",
            "x5c holding a string that is not base64 DER",
            vec![("x5c", json!(["not a certificate"]))],
            HeaderX5c,
            X5C,
        ),
        signed_by_pinned(
            "x5c-base64url-leaf",
            "x5c holding the leaf in base64url instead of standard base64",
            vec![(
                "x5c",
                json!([leaf
                    .replace('+', "-")
                    .replace('/', "_")
                    .trim_end_matches('=')]),
            )],
            HeaderX5c,
            X5C,
        ),
        Row::new(
            "x5u-attacker-signed",
            "x5u naming the attacker's certificate, signed by the attacker",
            all_of([
                hdr("x5u", json!("https://attacker.example/cert.pem")),
                Mutation::Sign(Signer::Es256("attacker")),
            ]),
            rej(HeaderX5u),
            Must,
            x5u_attack,
        )
        .acceptable(&[reject_for(SignatureInvalid)])
        .flags(&["EmbeddedKey"])
        .notes("a verifier that fetches x5u verifies the attacker's key: the SSRF and the forgery"),
        signed_by_pinned(
            "x5u-null",
            "x5u present as null",
            vec![("x5u", json!(null))],
            HeaderX5u,
            X5U,
        )
        .notes("refused by presence"),
        signed_by_pinned(
            "x5u-relative",
            "x5u as a relative reference (/cert.pem)",
            vec![("x5u", json!("/cert.pem"))],
            HeaderX5u,
            X5U,
        ),
        signed_by_pinned(
            "x5u-internal-address",
            "x5u naming a link-local metadata address (server-side request forgery)",
            vec![("x5u", json!("http://169.254.169.254/latest/meta-data/"))],
            HeaderX5u,
            X5U,
        ),
    ]
}
