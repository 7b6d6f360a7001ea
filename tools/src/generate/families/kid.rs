//! Key selection: the profile requires a `kid` naming a pinned key (M12). RFC 7515 makes `kid`
//! an OPTIONAL hint, so a token signed by a pinned key under a wrong, odd or missing `kid`
//! forges nothing if a verifier ignores the hint or tries every pinned key: `profile`. Binding
//! are the tokens no pinned key signed (RFC 9068 §4: "MUST use the keys provided by the
//! authorization server") and `kid` injection that selects a key the attacker knows.

use corpus::vector::Severity::{Must, Profile};
use serde_json::{Value, json};
use verifier::Reason::{
    AlgHmacRejected, AlgNotAllowed, HeaderUnparseable, KidUnknown, SignatureInvalid,
};

use super::{Family, rej};
use crate::generate::{Mutation, Row, Signer, all_of, hdr, no_hdr, reject_for};

/// A `kid` the pinned set does not hold, on a token the pinned key signed.
const HINT: &[&str] = &["M12", "RFC7515-4.1.4-kid"];
/// The same, with a value built for lookups that trust it (path, query, URL).
const HINT_UNTRUSTED: &[&str] = &["M12", "RFC7515-4.1.4-kid", "RFC8725-3.10-untrusted"];
/// `kid` injection with an HMAC token keyed by what the injected lookup would return.
const INJECTION: &[&str] = &[
    "ADV-KID-INJECTION",
    "RFC8725-3.1-alg",
    "RFC9068-4-signature",
    "M03",
    "M12",
];

const SIGNED_BY_PINNED: &str = "signed by the pinned key: a verifier that ignores kid or tries \
                                every pinned key accepts nothing forged";

fn string_rows() -> Vec<Row> {
    let values: [(&str, &str, &str, &[&str]); 10] = [
        (
            "zero-width-space",
            "the kid followed by U+200B",
            "primary\u{200b}",
            HINT,
        ),
        ("empty", "empty kid", "", HINT),
        ("unknown", "a kid not in the set", "other", HINT),
        ("case-different", "the kid in upper case", "PRIMARY", HINT),
        (
            "trailing-space",
            "the kid with a trailing space",
            "primary ",
            HINT,
        ),
        (
            "nul-suffix",
            "the kid followed by NUL",
            "primary\u{0}",
            HINT,
        ),
        ("very-long", "a 3000-character kid", "", HINT),
        (
            "path-traversal",
            "a path-traversal kid",
            "../../../../dev/null",
            HINT_UNTRUSTED,
        ),
        (
            "sql-injection",
            "an SQL-injection kid",
            "' OR '1'='1",
            HINT_UNTRUSTED,
        ),
        (
            "url",
            "a URL kid",
            "https://attacker.example/key",
            HINT_UNTRUSTED,
        ),
    ];
    values
        .into_iter()
        .map(|(name, description, value, basis)| {
            let value = if name == "very-long" {
                "k".repeat(3000)
            } else {
                value.to_owned()
            };
            Row::new(
                name,
                description,
                hdr("kid", json!(value)),
                rej(KidUnknown),
                Profile,
                basis,
            )
            .notes(SIGNED_BY_PINNED)
        })
        .collect()
}

fn non_string_rows() -> Vec<Row> {
    let values: [(&str, &str, Value); 5] = [
        ("null", "kid null", json!(null)),
        ("number", "kid as a number", json!(1)),
        ("array", "kid as an array", json!([forge::KID])),
        ("object", "kid as an object", json!({"kid": forge::KID})),
        ("bool", "kid true", json!(true)),
    ];
    values
        .into_iter()
        .map(|(name, description, value)| {
            Row::new(
                name,
                description,
                hdr("kid", value),
                rej(KidUnknown),
                Profile,
                HINT,
            )
            .acceptable(&[reject_for(HeaderUnparseable)])
            .notes(
                "a kid MUST be a string (RFC 7515 §4.1.4), but the token is signed by the \
                 pinned key; a typed header parser may refuse the header instead",
            )
        })
        .collect()
}

/// An HS256 token whose `kid` would make a naive lookup return `secret`.
fn injection(name: &str, description: &str, kid: &str, secret: &[u8]) -> Row {
    Row::new(
        name,
        description,
        all_of([
            hdr("alg", json!("HS256")),
            hdr("kid", json!(kid)),
            Mutation::Sign(Signer::Hmac(256, secret.to_vec())),
        ]),
        rej(AlgHmacRejected),
        Must,
        INJECTION,
    )
    .acceptable(&[reject_for(AlgNotAllowed), reject_for(KidUnknown)])
    .flags(&["AlgConfusion"])
    .notes("alg is checked before kid: the HMAC algorithm is refused before any key lookup")
}

pub fn family() -> Family {
    let mut rows = vec![
        Row::new(
            "missing",
            "no kid",
            no_hdr("kid"),
            rej(KidUnknown),
            Profile,
            HINT,
        )
        .notes("RFC 7515 makes kid optional; the profile requires it to select a pinned key"),
    ];
    rows.extend(string_rows());
    rows.extend(non_string_rows());
    rows.push(
        Row::new(
            "attacker-key-unknown-kid",
            "signed by the attacker under the attacker's kid",
            all_of([
                hdr("kid", json!("attacker")),
                Mutation::Sign(Signer::Es256("attacker")),
            ]),
            rej(KidUnknown),
            Must,
            &["RFC9068-4-signature", "RFC7515-5.2-signature", "M12"],
        )
        .acceptable(&[reject_for(SignatureInvalid)])
        .notes("no pinned key signed it; a verifier that tries every pinned key gives signature_invalid"),
    );
    rows.push(
        Row::new(
            "kid-of-other-key",
            "kid names the second key, signed by the first",
            all_of([
                Mutation::Jwks(forge::jwks(&[
                    (forge::KID, &forge::key(forge::KID)),
                    ("secondary", &forge::key("secondary")),
                ])),
                hdr("kid", json!("secondary")),
            ]),
            rej(SignatureInvalid),
            Profile,
            &["M12", "RFC7515-4.1.4-kid", "RFC7517-4.5-kid"],
        )
        .notes("the kid selects the key; the signature must verify under exactly that key")
        .rationale(
            "kid is only a hint (RFC 7515 §4.1.4), so a verifier that tries every pinned key and \
             accepts this token, which a pinned key signed, forges nothing: profile",
        ),
    );
    rows.push(injection(
        "path-traversal-hs256-empty-key",
        "HS256 under a kid naming /dev/null by path traversal, keyed with the empty secret",
        "../../../../dev/null",
        b"",
    ));
    rows.push(injection(
        "sql-injection-hs256",
        "HS256 under a kid whose SQL injection selects a secret the attacker chose",
        "x' UNION SELECT 'attacker-secret' -- ",
        b"attacker-secret",
    ));
    Family::table("kid", rows)
}
