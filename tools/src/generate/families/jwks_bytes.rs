//! Key sets that only exist as bytes: duplicate member names, escaped names, other encodings.
//!
//! RFC 7517 §4 (a JWK) and §5 (a JWK Set) let a parser do one of two things with a repeated
//! member name: reject the document, or keep the lexically last member. Keeping the *first* is
//! neither. So where the token is signed by the key the first members describe, a last-wins
//! parser rejects the token and only a first-wins parser accepts it: those rows are `must`, with
//! any rejection or refusal acceptable. Where the last members describe the signer, a last-wins
//! parser rightly accepts, and refusing the set is the profile's choice (`profile`).
//!
//! The vectors keep the exact bytes in `jwks_base64`; `jwks` holds what a last-wins parser makes
//! of them, for harnesses that can only take a parsed set.

use corpus::vector::Acceptable;
use corpus::vector::Severity::{Must, Profile};
use serde_json::{Value, json};
use verifier::ConfigCode;

use super::Family;
use crate::generate::{
    Draft, Expect, Mutation, Row, Signer, accept, all_of, any_config_error, any_reject, custom,
};

const DUP_KEY: &[&str] = &["RFC7517-4-unique", "PROFILE-KEYSET"];
const DUP_SET: &[&str] = &["RFC7517-5-unique", "PROFILE-KEYSET"];
const DUPLICATE: ConfigCode = ConfigCode::JwksDuplicateMember;

/// A JSON object written member by member (values are JSON text), so names may repeat.
fn object(members: &[(&str, String)]) -> String {
    let body: Vec<String> = members
        .iter()
        .map(|(name, value)| format!("\"{name}\":{value}"))
        .collect();
    format!("{{{}}}", body.join(","))
}

/// The members of a key's public JWK, in the file order of `forge::public_jwk`, as JSON text.
fn members(key: &str, kid: &str) -> Vec<(&'static str, String)> {
    let jwk = forge::public_jwk(forge::key(key).verifying_key(), kid);
    ["kty", "crv", "kid", "use", "alg", "x", "y"]
        .into_iter()
        .map(|name| (name, jwk[name].to_string()))
        .collect()
}

fn text(value: &str) -> String {
    Value::String(value.to_owned()).to_string()
}

/// `{"keys":[jwk]}` around one JWK's text.
fn set_of(jwk: &str) -> Vec<u8> {
    format!("{{\"keys\":[{jwk}]}}").into_bytes()
}

/// The primary key's JWK with `extra` members appended (repeating earlier names).
fn primary_plus(extra: &[(&'static str, String)]) -> Vec<u8> {
    let mut m = members(forge::KID, forge::KID);
    m.extend_from_slice(extra);
    set_of(&object(&m))
}

/// The attacker's coordinates, as `x` and `y` members.
fn attacker_xy() -> Vec<(&'static str, String)> {
    members("attacker", forge::KID)
        .into_iter()
        .filter(|(n, _)| *n == "x" || *n == "y")
        .collect()
}

fn raw(bytes: Vec<u8>) -> Mutation {
    custom(move |d: &mut Draft| d.jwks_raw = Some(bytes.clone()))
}

/// Signs the baseline with the attacker's key (same kid).
fn signed_by_attacker() -> Mutation {
    Mutation::Sign(Signer::Es256("attacker"))
}

/// The first members name the signer: only a first-wins parser accepts, which RFC 7517 forbids.
fn first_wins(name: &str, description: &str, m: Mutation, basis: &[&str]) -> Row {
    Row::new(name, description, m, Expect::Config(DUPLICATE), Must, basis)
        .acceptable(&[any_reject(), any_config_error()])
        .flags(&["DuplicateKey"])
}

/// The duplicate leaves the profile's set as loadable under last-wins: refusing is the
/// profile's choice; a late rejection fails closed.
fn profile_dup(name: &str, description: &str, m: Mutation, basis: &[&str]) -> Row {
    Row::new(
        name,
        description,
        m,
        Expect::Config(DUPLICATE),
        Profile,
        basis,
    )
    .acceptable(&[any_reject()])
    .flags(&["DuplicateKey"])
}

/// A set that is the same JSON as a valid one: it loads and the token verifies.
fn same_set(name: &str, description: &str, bytes: Vec<u8>) -> Row {
    Row::new(
        name,
        description,
        raw(bytes),
        Expect::Accept,
        Profile,
        &["PROFILE-KEYSET", "RFC7517-5-ignore"],
    )
}

/// A set that is not UTF-8 JSON text.
fn not_utf8_json(name: &str, description: &str, bytes: Vec<u8>, also: &[Acceptable]) -> Row {
    Row::new(
        name,
        description,
        raw(bytes),
        Expect::Config(ConfigCode::JwksNotJson),
        Profile,
        &["RFC8259-8.1-utf8", "PROFILE-KEYSET"],
    )
    .acceptable(&[any_reject()])
    .acceptable(also)
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|u| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

fn utf32(text: &str, big_endian: bool) -> Vec<u8> {
    text.chars()
        .flat_map(|c| {
            let u = u32::from(c);
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

pub fn family() -> Family {
    let primary = object(&members(forge::KID, forge::KID));
    let attacker = object(&members("attacker", forge::KID));
    let other = object(&members("other", "other"));
    let baseline = String::from_utf8(set_of(&primary)).expect("ASCII");
    let kid_other = ("kid", text("other"));

    let mut rows = vec![
        first_wins(
            "raw-dup-kid-last-renames",
            "the key repeats kid, the last naming another kid: last-wins finds no key for the token",
            raw(primary_plus(std::slice::from_ref(&kid_other))),
            DUP_KEY,
        ),
        first_wins(
            "raw-dup-xy-last-attacker",
            "the key repeats x and y, the last pair the attacker's: last-wins verifies with that key",
            raw(primary_plus(&attacker_xy())),
            DUP_KEY,
        ),
        first_wins(
            "raw-dup-x-only-last-attacker",
            "the key repeats x only: last-wins pairs the attacker's x with the primary's y, off the curve",
            raw(primary_plus(&attacker_xy()[..1])),
            DUP_KEY,
        ),
        first_wins(
            "raw-dup-y-only-last-attacker",
            "the key repeats y only: last-wins pairs the primary's x with the attacker's y, off the curve",
            raw(primary_plus(&attacker_xy()[1..])),
            DUP_KEY,
        ),
        first_wins(
            "raw-dup-crv-last-p384",
            "the key repeats crv, the last P-384: last-wins reads a key of another curve",
            raw(primary_plus(&[("crv", text("P-384"))])),
            DUP_KEY,
        ),
        first_wins(
            "raw-dup-kty-last-oct",
            "the key repeats kty, the last oct: last-wins reads a symmetric key without k",
            raw(primary_plus(&[("kty", text("oct"))])),
            DUP_KEY,
        ),
        first_wins(
            "raw-dup-kty-last-rsa",
            "the key repeats kty, the last RSA: last-wins reads an RSA key without n or e",
            raw(primary_plus(&[("kty", text("RSA"))])),
            DUP_KEY,
        ),
        first_wins(
            "raw-dup-kid-escaped-name",
            "the key repeats kid spelled with an escape (\\u0069): the same name, the last renaming the key",
            raw(primary_plus(&[("k\\u0069d", text("other"))])),
            DUP_KEY,
        ),
        first_wins(
            "raw-dup-keys-last-attacker",
            "the set repeats keys, the last list holding the attacker's key under the primary kid",
            raw(format!("{{\"keys\":[{primary}],\"keys\":[{attacker}]}}").into_bytes()),
            DUP_SET,
        ),
        first_wins(
            "raw-dup-keys-last-empty",
            "the set repeats keys, the last list empty",
            raw(format!("{{\"keys\":[{primary}],\"keys\":[]}}").into_bytes()),
            DUP_SET,
        ),
        first_wins(
            "raw-dup-keys-last-other-kid",
            "the set repeats keys, the last list holding only another kid",
            raw(format!("{{\"keys\":[{primary}],\"keys\":[{other}]}}").into_bytes()),
            DUP_SET,
        ),
        first_wins(
            "raw-dup-keys-last-null",
            "the set repeats keys, the last one null",
            raw(format!("{{\"keys\":[{primary}],\"keys\":null}}").into_bytes()),
            DUP_SET,
        ),
        first_wins(
            "raw-dup-keys-escaped-name",
            "the set repeats keys spelled with an escape (\\u006b), the last list empty",
            raw(format!("{{\"keys\":[{primary}],\"\\u006beys\":[]}}").into_bytes()),
            DUP_SET,
        ),
        profile_dup(
            "raw-dup-xy-first-attacker",
            "the key repeats x and y, the last pair the primary's: last-wins loads the right key",
            raw({
                let mut m = members(forge::KID, forge::KID);
                m.retain(|(n, _)| *n != "x" && *n != "y");
                m.extend(attacker_xy());
                m.extend(
                    members(forge::KID, forge::KID)
                        .into_iter()
                        .filter(|(n, _)| *n == "x" || *n == "y"),
                );
                set_of(&object(&m))
            }),
            DUP_KEY,
        )
        .acceptable(&[accept()]),
        profile_dup(
            "raw-dup-kid-same-value",
            "the key repeats kid with the same value: every parser that loads it finds the key",
            raw(primary_plus(&[("kid", text(forge::KID))])),
            DUP_KEY,
        ),
        profile_dup(
            "raw-dup-use-last-enc",
            "the key repeats use, the last enc: last-wins reads an encryption key",
            raw(primary_plus(&[("use", text("enc"))])),
            &["RFC7517-4-unique", "RFC7517-4.2-use", "PROFILE-KEYSET"],
        ),
        profile_dup(
            "raw-dup-alg-last-rs256",
            "the key repeats alg, the last RS256: last-wins reads a key for another algorithm",
            raw(primary_plus(&[("alg", text("RS256"))])),
            &["RFC7517-4-unique", "RFC7517-4.4-alg", "PROFILE-KEYSET"],
        ),
        profile_dup(
            "raw-dup-key-ops-last-encrypt",
            "the key carries key_ops twice, the last [\"encrypt\"]: last-wins reads a key not for verifying",
            raw(primary_plus(&[
                ("key_ops", json!(["verify"]).to_string()),
                ("key_ops", json!(["encrypt"]).to_string()),
            ])),
            &["RFC7517-4-unique", "RFC7517-4.3-key-ops", "PROFILE-KEYSET"],
        ),
        profile_dup(
            "raw-dup-in-unused-key",
            "a second key (not the token's) repeats its kid: the token's key is intact",
            raw({
                let mut m = members("other", "other");
                m.push(("kid", text("other2")));
                format!("{{\"keys\":[{primary},{}]}}", object(&m)).into_bytes()
            }),
            DUP_KEY,
        ),
        profile_dup(
            "raw-dup-set-member-unknown",
            "the set repeats an unknown member beside keys",
            raw(format!("{{\"keys\":[{primary}],\"note\":1,\"note\":2}}").into_bytes()),
            DUP_SET,
        ),
        profile_dup(
            "raw-dup-keys-same-list",
            "the set repeats keys with the same list twice",
            raw(format!("{{\"keys\":[{primary}],\"keys\":[{primary}]}}").into_bytes()),
            DUP_SET,
        ),
        Row::new(
            "raw-dup-xy-signed-by-last",
            "the key repeats x and y, the last pair the attacker's, and the attacker signed: \
             last-wins accepts, as RFC 7517 §4 allows; the profile refuses the set",
            all_of([raw(primary_plus(&attacker_xy())), signed_by_attacker()]),
            Expect::Config(DUPLICATE),
            Profile,
            DUP_KEY,
        )
        .acceptable(&[any_reject(), accept()])
        .flags(&["DuplicateKey"]),
        same_set(
            "raw-escaped-member-names-accepted",
            "every member name of the set written with \\u escapes: the same JSON as the baseline set",
            baseline
                .replace("\"keys\"", "\"\\u006b\\u0065\\u0079\\u0073\"")
                .replace("\"kid\"", "\"\\u006b\\u0069\\u0064\"")
                .replace("\"x\"", "\"\\u0078\"")
                .into_bytes(),
        ),
        same_set(
            "raw-pretty-printed-accepted",
            "the baseline set pretty-printed with tabs, CRLF and spaces around every token",
            baseline
                .replace('{', "{\r\n\t")
                .replace(',', " ,\r\n\t")
                .replace(':', " : ")
                .replace('}', "\r\n}")
                .into_bytes(),
        ),
        same_set(
            "raw-escaped-solidus-and-unicode-values-accepted",
            "string values of the set written with escapes (\\u0045\\u0043 for EC, P\\u002d256)",
            baseline
                .replace("\"EC\"", "\"\\u0045\\u0043\"")
                .replace("\"P-256\"", "\"P\\u002d256\"")
                .into_bytes(),
        ),
        same_set(
            "raw-unused-key-in-other-order-accepted",
            "the primary key's members in reverse order, after another key",
            {
                let mut m = members(forge::KID, forge::KID);
                m.reverse();
                format!("{{\"keys\":[{other},{}]}}", object(&m)).into_bytes()
            },
        ),
        not_utf8_json(
            "raw-utf8-bom",
            "the set starts with a UTF-8 byte order mark (RFC 8259 §8.1 lets a parser ignore it)",
            [b"\xEF\xBB\xBF".as_slice(), baseline.as_bytes()].concat(),
            &[accept()],
        ),
        not_utf8_json(
            "raw-trailing-garbage",
            "a second JSON value after the set",
            format!("{baseline}{{}}").into_bytes(),
            &[],
        ),
        not_utf8_json(
            "raw-trailing-nul",
            "a NUL byte after the set",
            format!("{baseline}\0").into_bytes(),
            &[],
        ),
        not_utf8_json(
            "raw-invalid-utf8-in-unknown-member",
            "an unknown member's string holds a lone 0xFF byte: not UTF-8",
            [
                b"{\"note\":\"".as_slice(),
                b"\xFF",
                b"\",",
                &baseline.as_bytes()[1..],
            ]
            .concat(),
            &[],
        ),
    ];
    for (label, bytes) in [
        ("utf16le", utf16(&baseline, false)),
        ("utf16be", utf16(&baseline, true)),
        ("utf32le", utf32(&baseline, false)),
        ("utf32be", utf32(&baseline, true)),
        (
            "utf16le-bom",
            [b"\xFF\xFE".as_slice(), &utf16(&baseline, false)].concat(),
        ),
        (
            "utf16be-bom",
            [b"\xFE\xFF".as_slice(), &utf16(&baseline, true)].concat(),
        ),
    ] {
        rows.push(not_utf8_json(
            &format!("raw-{label}"),
            &format!("the baseline set encoded as {label}, not UTF-8"),
            bytes,
            &[],
        ));
    }
    Family::table("jwks", rows)
}
