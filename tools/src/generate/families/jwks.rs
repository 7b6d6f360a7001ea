//! Key-set hygiene (RFC 7517, Wycheproof json_web_key_test): sets that must not load, and
//! tolerated variations that must. Every vector carries the baseline token, so a library that
//! loads a bad set and accepts the token is visibly wrong.

use corpus::vector::Severity;
use serde_json::{Value, json};

use super::Family;
use crate::generate::{Case, Draft, Expect};

/// A change to one JWK.
type JwkEdit = fn(&mut Value);

/// Member edits to a JWK: set (`Some`) or remove (`None`).
type Edits = Vec<(&'static str, Option<Value>)>;

/// The primary key with an ignored member padding the set's compact JSON to `len` bytes.
fn padded_set(len: usize) -> Value {
    let mut jwk = primary_jwk();
    jwk["ext_padding"] = json!("");
    let base = json!({"keys": [jwk.clone()]}).to_string().len();
    jwk["ext_padding"] = json!("p".repeat(len - base));
    json!({"keys": [jwk]})
}

fn primary_jwk() -> Value {
    forge::public_jwk(forge::key(forge::KID).verifying_key(), forge::KID)
}

fn edit(jwk: &mut Value, member: &str, value: Option<Value>) {
    match value {
        Some(v) => jwk[member] = v,
        None => {
            if let Some(m) = jwk.as_object_mut() {
                m.remove(member);
            }
        }
    }
}

fn bad_key(name: &str, description: &str, code: &'static str, changes: Edits) -> Case {
    Case::new(
        name,
        description,
        Expect::Config(code),
        move |d: &mut Draft| {
            let mut jwk = primary_jwk();
            for (member, value) in &changes {
                edit(&mut jwk, member, value.clone());
            }
            d.jwks = json!({"keys": [jwk]});
        },
    )
}

fn bad_set(name: &str, description: &str, code: &'static str, jwks: Value) -> Case {
    Case::new(
        name,
        description,
        Expect::Config(code),
        move |d: &mut Draft| d.jwks = jwks.clone(),
    )
}

pub fn family() -> Family {
    let mut f = Family::new(
        "jwks",
        Severity::Must,
        &["RFC 7517", "Wycheproof json_web_key_test"],
    );
    let key = forge::key(forge::KID);
    let (x, y) = forge::coordinates(key.verifying_key());
    let b = |bytes: &[u8]| json!(forge::b64(bytes));
    let y_plus_1 = forge::add_be(&y, &forge::small(1));
    let p384_x = "iA7lWQLzVrKGEFjfGMfMHfTEZ2KnLiKU7JuNT3E7ygsfE7ygsfE7ygsfE7ygsfE7";
    let cases: Vec<(&str, &str, &'static str, Edits)> = vec![
        (
            "private-d",
            "the primary key with its private scalar d",
            "key_private_member",
            vec![("d", Some(b(&key.to_bytes())))],
        ),
        (
            "private-d-garbage",
            "a d member with any value",
            "key_private_member",
            vec![("d", Some(json!("AAAA")))],
        ),
        (
            "off-curve",
            "y + 1: a point not on P-256",
            "key_not_on_curve",
            vec![("y", Some(b(&y_plus_1)))],
        ),
        (
            "zero-point",
            "x = y = 0",
            "key_not_on_curve",
            vec![("x", Some(b(&[0u8; 32]))), ("y", Some(b(&[0u8; 32])))],
        ),
        (
            "x-y-swapped",
            "x and y swapped",
            "key_not_on_curve",
            vec![("x", Some(b(&y))), ("y", Some(b(&x)))],
        ),
        (
            "crv-p384",
            "crv P-384 for an ES256 key set",
            "key_wrong_crv",
            vec![
                ("crv", Some(json!("P-384"))),
                ("x", Some(json!(p384_x))),
                ("y", Some(json!(p384_x))),
            ],
        ),
        (
            "crv-p521",
            "crv P-521",
            "key_wrong_crv",
            vec![("crv", Some(json!("P-521")))],
        ),
        (
            "crv-secp256k1",
            "crv secp256k1",
            "key_wrong_crv",
            vec![("crv", Some(json!("secp256k1")))],
        ),
        (
            "crv-lowercase",
            "crv p-256",
            "key_wrong_crv",
            vec![("crv", Some(json!("p-256")))],
        ),
        (
            "crv-missing",
            "no crv",
            "key_wrong_crv",
            vec![("crv", None)],
        ),
        (
            "kty-rsa",
            "kty RSA",
            "key_wrong_kty",
            vec![
                ("kty", Some(json!("RSA"))),
                ("n", Some(json!("sXch"))),
                ("e", Some(json!("AQAB"))),
            ],
        ),
        (
            "kty-okp",
            "kty OKP",
            "key_wrong_kty",
            vec![("kty", Some(json!("OKP")))],
        ),
        (
            "kty-missing",
            "no kty",
            "key_wrong_kty",
            vec![("kty", None)],
        ),
        (
            "kty-oct-secret",
            "an oct key: a symmetric secret in a public set",
            "key_private_member",
            vec![("kty", Some(json!("oct"))), ("k", Some(json!("c2VjcmV0")))],
        ),
        (
            "x-31-bytes",
            "x of 31 bytes",
            "key_bad_coordinate",
            vec![("x", Some(b(&x[1..])))],
        ),
        (
            "y-33-bytes",
            "y of 33 bytes",
            "key_bad_coordinate",
            vec![("y", Some(b(&[&[0u8][..], &y[..]].concat())))],
        ),
        (
            "x-padded",
            "x with base64 padding",
            "key_bad_coordinate",
            vec![("x", Some(json!(format!("{}=", forge::b64(x)))))],
        ),
        ("x-missing", "no x", "key_bad_coordinate", vec![("x", None)]),
        (
            "y-number",
            "y as a number",
            "key_bad_coordinate",
            vec![("y", Some(json!(1)))],
        ),
        (
            "use-enc",
            "use enc",
            "key_wrong_use",
            vec![("use", Some(json!("enc")))],
        ),
        (
            "use-uppercase",
            "use SIG",
            "key_wrong_use",
            vec![("use", Some(json!("SIG")))],
        ),
        (
            "alg-rs256",
            "alg RS256 on an EC key",
            "key_wrong_alg",
            vec![("alg", Some(json!("RS256")))],
        ),
        (
            "alg-es384",
            "alg ES384",
            "key_wrong_alg",
            vec![("alg", Some(json!("ES384")))],
        ),
        (
            "alg-hs256",
            "alg HS256",
            "key_wrong_alg",
            vec![("alg", Some(json!("HS256")))],
        ),
        (
            "key-ops-sign",
            "key_ops [sign]",
            "key_wrong_key_ops",
            vec![("key_ops", Some(json!(["sign"])))],
        ),
        (
            "key-ops-sign-verify",
            "key_ops [sign, verify]",
            "key_wrong_key_ops",
            vec![("key_ops", Some(json!(["sign", "verify"])))],
        ),
        (
            "key-ops-string",
            "key_ops as a string",
            "key_wrong_key_ops",
            vec![("key_ops", Some(json!("verify")))],
        ),
        (
            "key-ops-encrypt",
            "key_ops [encrypt]",
            "key_wrong_key_ops",
            vec![("key_ops", Some(json!(["encrypt"])))],
        ),
        (
            "kid-missing",
            "no kid",
            "key_missing_kid",
            vec![("kid", None)],
        ),
        (
            "kid-empty",
            "empty kid",
            "key_missing_kid",
            vec![("kid", Some(json!("")))],
        ),
        (
            "kid-number",
            "kid as a number",
            "key_missing_kid",
            vec![("kid", Some(json!(1)))],
        ),
    ];
    for (name, description, code, changes) in cases {
        f.add(bad_key(name, description, code, changes));
    }
    let dup_kid = json!({"keys": [primary_jwk(), forge::public_jwk(forge::key("attacker").verifying_key(), forge::KID)]});
    f.add(
        bad_set(
            "duplicate-kid",
            "two keys with the same kid",
            "key_duplicate_kid",
            dup_kid,
        )
        .refs(&["RFC 7517 §4.5"]),
    );
    f.add(bad_set(
        "duplicate-kid-same-key",
        "the same key twice",
        "key_duplicate_kid",
        json!({"keys": [primary_jwk(), primary_jwk()]}),
    ));
    f.add(bad_set(
        "empty-keys",
        "keys []",
        "jwks_empty",
        json!({"keys": []}),
    ));
    f.add(bad_set(
        "no-keys-member",
        "no keys member",
        "jwks_not_a_key_set",
        json!({"kty": "EC"}),
    ));
    f.add(bad_set(
        "single-jwk",
        "a bare JWK instead of a set",
        "jwks_not_a_key_set",
        primary_jwk(),
    ));
    f.add(bad_set(
        "keys-object",
        "keys as an object",
        "jwks_not_a_key_set",
        json!({"keys": {"primary": primary_jwk()}}),
    ));
    f.add(
        bad_set(
            "set-is-array",
            "a JSON array of keys",
            "jwks_not_json",
            json!([primary_jwk()]),
        )
        .notes("a document that is not a JSON object"),
    );
    f.add(bad_set(
        "key-is-string",
        "a key that is a string",
        "key_not_an_object",
        json!({"keys": ["primary"]}),
    ));
    let mut private = forge::public_jwk(forge::key("secondary").verifying_key(), "secondary");
    private["d"] = json!(forge::b64(forge::key("secondary").to_bytes()));
    f.add(
        bad_set(
            "one-good-one-bad",
            "a good key and a private key",
            "key_private_member",
            json!({"keys": [primary_jwk(), private]}),
        )
        .notes("one bad key refuses the whole set"),
    );
    f.add(
        Case::new(
            "256-keys-accepted",
            "256 keys, the most a set may hold, the primary last",
            Expect::Accept,
            |d| {
                let bulk = forge::key("bulk");
                let mut keys: Vec<Value> = (0..255)
                    .map(|i| forge::public_jwk(bulk.verifying_key(), &format!("k{i}")))
                    .collect();
                keys.push(primary_jwk());
                d.jwks = json!({"keys": keys});
            },
        )
        .severity(Severity::Profile),
    );
    f.add(
        bad_set("too-many-keys", "257 keys", "jwks_too_many_keys", {
            let one = forge::key("bulk");
            let keys: Vec<Value> = (0..257)
                .map(|i| forge::public_jwk(one.verifying_key(), &format!("k{i}")))
                .collect();
            json!({"keys": keys})
        })
        .severity(Severity::Profile),
    );
    f.add(
        Case::new(
            "at-size-limit-accepted",
            "a key set of exactly 256 KiB (compact JSON)",
            Expect::Accept,
            |d| d.jwks = padded_set(verifier::jwks::MAX_JWKS_BYTES),
        )
        .severity(Severity::Profile)
        .notes("the size is that of the compact JSON serialization"),
    );
    f.add(
        bad_set(
            "too-large",
            "a key set one byte over 256 KiB",
            "jwks_too_large",
            padded_set(verifier::jwks::MAX_JWKS_BYTES + 1),
        )
        .severity(Severity::Profile),
    );
    let accepts: [(&str, &str, JwkEdit); 4] = [
        (
            "unknown-member-accepted",
            "a key with an unknown member",
            |j| j["ext"] = json!(true),
        ),
        (
            "x5t-member-accepted",
            "a key with x5t, which is never used",
            |j| j["x5t"] = json!("AAAA"),
        ),
        ("key-ops-verify-accepted", "key_ops [verify]", |j| {
            j["key_ops"] = json!(["verify"])
        }),
        (
            "top-level-member-accepted",
            "an unknown top-level member",
            |_| {},
        ),
    ];
    for (name, description, change) in accepts {
        f.add(
            Case::new(name, description, Expect::Accept, move |d| {
                let mut jwk = primary_jwk();
                change(&mut jwk);
                d.jwks = json!({"keys": [jwk], "issuer_note": "ignored"});
            })
            .refs(&["RFC 7517 §4", "RFC 7517 §5"]),
        );
    }
    f
}
