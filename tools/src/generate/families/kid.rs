//! Key selection: the profile requires a `kid` naming a pinned key (M12). RFC 7515 makes `kid`
//! an OPTIONAL hint, so a token signed by a pinned key under a wrong, odd or missing `kid`
//! forges nothing if a verifier ignores the hint or tries every pinned key: `profile`. Binding
//! are the tokens no pinned key signed (RFC 9068 §4: "MUST use the keys provided by the
//! authorization server") and `kid` injection that selects a key the attacker knows.
//!
//! A `kid` is an opaque, case-sensitive string matched by equality: path-, query- or
//! Unicode-looking kids that name a key in the set, and long kids within the token size bound,
//! are accept controls; past the bound the size check comes first.

use corpus::vector::Severity::{Must, Profile};
use serde_json::{Value, json};
use verifier::Reason::{
    AlgHmacRejected, AlgNotAllowed, HeaderUnparseable, KidUnknown, OversizedToken, SignatureInvalid,
};

use super::{Family, rej};
use crate::generate::{
    Draft, Expect, Mutation, Row, Signer, accept, all_of, any_reject, hdr, no_hdr, reject_for,
};

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
    rows.extend(injection_rows());
    rows.extend(long_rows());
    rows.extend(opaque_rows());
    Family::table("kid", rows)
}

/// More lookups a `kid` could subvert: each returns a secret the attacker knows.
fn injection_rows() -> Vec<Row> {
    let pem = forge::public_pem(forge::key(forge::KID).verifying_key()).into_bytes();
    let environ = b"PATH=/usr/local/bin:/usr/bin:/bin\0".to_vec();
    // (name, what the kid does, kid, the secret it would select)
    let cases: Vec<(&str, &str, &str, Vec<u8>)> = vec![
        (
            "path-traversal-short-hs256-empty-key",
            "a two-level traversal to /dev/null, keyed with the empty secret",
            "../../dev/null",
            Vec::new(),
        ),
        (
            "dev-null-absolute-hs256-empty-key",
            "the absolute path /dev/null, keyed with the empty secret",
            "/dev/null",
            Vec::new(),
        ),
        (
            "proc-self-environ-hs256",
            "/proc/self/environ, keyed with a guessed process environment",
            "/proc/self/environ",
            environ,
        ),
        (
            "path-traversal-url-encoded-hs256",
            "a percent-encoded traversal to /dev/null, keyed with the empty secret",
            "..%2F..%2F..%2Fdev%2Fnull",
            Vec::new(),
        ),
        (
            "path-nul-truncation-hs256",
            "/dev/null followed by NUL and .pem (a lookup that appends a suffix), keyed with \
             the empty secret",
            "/dev/null\u{0}.pem",
            Vec::new(),
        ),
        (
            "file-url-hs256",
            "file:///dev/null, keyed with the empty secret",
            "file:///dev/null",
            Vec::new(),
        ),
        (
            "public-key-file-hs256-pem",
            "the path of the verification key's own PEM file, keyed with that PEM",
            "/etc/jwt/keys/primary.pem",
            pem.clone(),
        ),
        (
            "sql-union-empty-hs256",
            "' UNION SELECT '' -- : a query that returns the empty secret",
            "' UNION SELECT '' -- ",
            Vec::new(),
        ),
        (
            "sql-union-null-hs256",
            "' UNION SELECT NULL -- : a query that returns NULL, read as the empty secret",
            "' UNION SELECT NULL -- ",
            Vec::new(),
        ),
        (
            "sql-or-true-hs256-pem",
            "' OR '1'='1 : a query that returns the first stored key, the public PEM",
            "' OR '1'='1",
            pem.clone(),
        ),
        (
            "ldap-wildcard-hs256-pem",
            "an LDAP filter wildcard that matches the stored public PEM",
            "*)(kid=*",
            pem.clone(),
        ),
        (
            "nosql-operator-text-hs256-pem",
            "a kid holding a NoSQL operator as JSON text, matching the stored public PEM",
            r#"{"$ne":null}"#,
            pem,
        ),
        (
            "command-substitution-hs256",
            "a shell command substitution that prints nothing, keyed with the empty secret",
            "$(cat /dev/null)",
            Vec::new(),
        ),
    ];
    let mut rows: Vec<Row> = cases
        .into_iter()
        .map(|(name, description, kid, secret)| {
            injection(name, &format!("HS256 under {description}"), kid, &secret)
        })
        .collect();
    rows.push(
        Row::new(
            "nosql-operator-object-hs256",
            "HS256 under a kid that is the object {\"$ne\": null}, keyed with the empty secret",
            all_of([
                hdr("alg", json!("HS256")),
                hdr("kid", json!({"$ne": null})),
                Mutation::Sign(Signer::Hmac(256, Vec::new())),
            ]),
            rej(AlgHmacRejected),
            Must,
            INJECTION,
        )
        .acceptable(&[
            reject_for(AlgNotAllowed),
            reject_for(KidUnknown),
            reject_for(HeaderUnparseable),
        ])
        .flags(&["AlgConfusion"])
        .notes("alg is checked before kid; a typed header parser may refuse the object kid"),
    );
    rows.push(
        Row::new(
            "url-attacker-signed",
            "a kid that is the URL of the attacker's key set, signed by the attacker",
            all_of([
                hdr("kid", json!("https://attacker.example/jwks.json")),
                Mutation::Sign(Signer::Es256("attacker")),
            ]),
            rej(KidUnknown),
            Must,
            &[
                "ADV-JKU-FETCH",
                "RFC9068-4-signature",
                "RFC8725-3.10-untrusted",
                "M12",
            ],
        )
        .acceptable(&[reject_for(SignatureInvalid)])
        .notes(
            "a verifier that fetches keys from the kid URL verifies the attacker's key; one that \
             tries every pinned key gives signature_invalid",
        ),
    );
    rows
}

/// The pinned key alone in the set under `kid`, and the token naming `token_kid`.
fn pinned_as(kid: &str, token_kid: &str) -> Mutation {
    all_of([
        Mutation::Jwks(json!({"keys": [
            forge::public_jwk(forge::key(forge::KID).verifying_key(), kid),
        ]})),
        hdr("kid", json!(token_kid)),
    ])
}

/// The token's length with a `kid` of `n` characters.
fn length_with_kid(n: usize) -> usize {
    let mut d = Draft::default();
    d.header["kid"] = json!("k".repeat(n));
    d.compact().len()
}

/// The longest `kid` (of `k`s) whose token fits in `max` bytes.
fn longest_kid_within(max: usize) -> usize {
    let mut n = 0;
    while length_with_kid(n + 1) <= max {
        n += 1;
    }
    n
}

/// Long `kid`s: unknown ones are rejected; known ones verify while the token is within the
/// profile's size bound (8192 bytes).
fn long_rows() -> Vec<Row> {
    let limit = verifier::Profile::default().max_token_bytes;
    let at_limit = longest_kid_within(limit);
    let over_limit = at_limit + 1;
    assert!(length_with_kid(over_limit) > limit);
    let long = |n: usize| "k".repeat(n);
    let known: &[&str] = &[
        "M12",
        "RFC7515-4.1.4-kid",
        "RFC7517-4.5-kid",
        "PROFILE-LIMITS",
    ];
    let size: &[&str] = &["M34", "PROFILE-LIMITS", "RFC8259-9-limits"];
    let mut rows = Vec::new();
    for (name, n) in [("1kib", 1024), ("4kib", 4096)] {
        rows.push(
            Row::new(
                format!("long-{name}-accepted"),
                format!("a {n}-character kid that names the pinned key in the set"),
                pinned_as(&long(n), &long(n)),
                Expect::Accept,
                Profile,
                known,
            )
            .acceptable(&[any_reject()])
            .notes("a verifier with a lower kid length limit fails closed"),
        );
    }
    rows.push(
        Row::new(
            "long-at-size-limit-accepted",
            format!(
                "a {at_limit}-character kid naming the pinned key: the token is as long as the \
                 {limit}-byte bound allows"
            ),
            pinned_as(&long(at_limit), &long(at_limit)),
            Expect::Accept,
            Profile,
            known,
        )
        .acceptable(&[any_reject()])
        .notes("a verifier with a lower size bound fails closed"),
    );
    rows.push(
        Row::new(
            "long-at-size-limit-unknown",
            format!("a {at_limit}-character kid (within the size bound) that names no key"),
            hdr("kid", json!(long(at_limit))),
            rej(KidUnknown),
            Profile,
            HINT,
        )
        .notes(SIGNED_BY_PINNED),
    );
    rows.push(
        Row::new(
            "long-over-size-limit-known",
            format!(
                "a {over_limit}-character kid naming the pinned key: the token is just over the \
                 {limit}-byte bound"
            ),
            pinned_as(&long(over_limit), &long(over_limit)),
            rej(OversizedToken),
            Profile,
            size,
        )
        .acceptable(&[accept()])
        .notes(
            "the size check comes first; a verifier with a larger bound accepts a genuine token",
        ),
    );
    rows.push(
        Row::new(
            "long-8kib-unknown",
            "an 8192-character kid that names no key (the token exceeds the size bound)",
            hdr("kid", json!(long(8192))),
            rej(OversizedToken),
            Profile,
            &["M34", "PROFILE-LIMITS", "RFC8259-9-limits", "M12"],
        )
        .acceptable(&[reject_for(KidUnknown)])
        .notes("the size check comes first; a verifier with a larger bound finds no such key"),
    );
    rows.push(
        Row::new(
            "long-8kib-known",
            "an 8192-character kid naming the pinned key (the token exceeds the size bound)",
            pinned_as(&long(8192), &long(8192)),
            rej(OversizedToken),
            Profile,
            size,
        )
        .acceptable(&[accept()])
        .notes("a verifier with a larger bound accepts a genuine token"),
    );
    let stem = long(1023);
    rows.push(
        Row::new(
            "long-1kib-last-char-differs",
            "a 1024-character kid differing from the pinned key's only in its last character",
            pinned_as(&format!("{stem}a"), &format!("{stem}b")),
            rej(KidUnknown),
            Profile,
            HINT,
        )
        .notes("the whole kid is compared, not a prefix; signed by the pinned key"),
    );
    rows.push(
        Row::new(
            "long-1kib-prefix",
            "a 1023-character kid that is a prefix of the pinned key's 1024-character kid",
            pinned_as(&long(1024), &stem),
            rej(KidUnknown),
            Profile,
            HINT,
        )
        .notes("the whole kid is compared, not a prefix; signed by the pinned key"),
    );
    rows
}

/// A `kid` is an opaque case-sensitive string: odd ones that name a key in the set verify.
fn opaque_rows() -> Vec<Row> {
    let known: &[&str] = &[
        "RFC7515-4.1.4-kid",
        "RFC7517-4.5-kid",
        "RFC9068-4-signature",
        "M12",
    ];
    let mut rows: Vec<Row> = [
        (
            "path-like-accepted",
            "a kid that looks like a path (../../dev/null) and names the pinned key",
            "../../dev/null",
        ),
        (
            "sql-like-accepted",
            "a kid that looks like SQL (' OR '1'='1) and names the pinned key",
            "' OR '1'='1",
        ),
        (
            "unicode-accepted",
            "a non-ASCII kid (clé-ключ-鍵) that names the pinned key",
            "clé-ключ-鍵",
        ),
    ]
    .into_iter()
    .map(|(name, description, kid)| {
        Row::new(
            name,
            description,
            pinned_as(kid, kid),
            Expect::Accept,
            Must,
            known,
        )
        .notes("the kid is matched as a string by equality, never interpreted")
    })
    .collect();
    rows.push(
        Row::new(
            "nul-inside-accepted",
            "a kid with a NUL inside (a\\u0000b) that names the pinned key",
            pinned_as("a\u{0}b", "a\u{0}b"),
            Expect::Accept,
            Must,
            known,
        )
        .notes("the whole string is compared: nothing truncates the kid at the NUL"),
    );
    let secondary = forge::public_jwk(forge::key("secondary").verifying_key(), forge::KID);
    let primary_cased = forge::public_jwk(forge::key(forge::KID).verifying_key(), "Primary");
    rows.push(
        Row::new(
            "case-pair-accepted",
            "a set with kid primary (another key) and kid Primary (the signer); the token names \
             Primary",
            all_of([
                Mutation::Jwks(json!({"keys": [secondary, primary_cased]})),
                hdr("kid", json!("Primary")),
            ]),
            Expect::Accept,
            Must,
            known,
        )
        .notes(
            "kid is case-sensitive (RFC 7515 §4.1.4): a case-folding lookup picks the wrong key",
        ),
    );
    let escaped: [(&str, &str, &str, &[u8]); 2] = [
        (
            "escaped-accepted",
            "the kid written as \\u0070rimary, which decodes to primary",
            forge::KID,
            br#"{"alg":"ES256","typ":"at+jwt","kid":"\u0070rimary"}"#,
        ),
        (
            "escaped-solidus-accepted",
            "the kid a\\/b (an escaped solidus) naming the key a/b",
            "a/b",
            br#"{"alg":"ES256","typ":"at+jwt","kid":"a\/b"}"#,
        ),
    ];
    for (name, description, set_kid, header) in escaped {
        let mut basis = known.to_vec();
        basis.push("RFC7515-5.2-json");
        rows.push(Row::new(
            name,
            description,
            all_of([
                pinned_as(set_kid, set_kid),
                Mutation::HeaderBytes(header.to_vec()),
            ]),
            Expect::Accept,
            Must,
            &basis,
        ));
    }
    rows
}
