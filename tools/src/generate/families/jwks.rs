//! Key-set hygiene (RFC 7517, Wycheproof json_web_key_test): sets the strict profile refuses to
//! load, and tolerated variations it loads. Every vector carries the baseline token, signed by
//! the primary key, so a library that loads a bad set and accepts the token is visibly lax.
//!
//! The key set is the operator's configuration, not attacker input, and no JOSE RFC makes a
//! recipient refuse a whole set: refusing one is the profile's choice (`PROFILE-KEYSET`). A
//! library that loads the set and then rejects the token fails closed, late, and breaks no MUST,
//! so every `config_error` vector lists any rejection as acceptable; where RFC 7517 §5 would
//! have the bad key skipped and a good key still verifies the token, acceptance is acceptable
//! too.

use corpus::vector::Severity::{Must, Profile};
use serde_json::{Value, json};
use verifier::ConfigCode;

use super::Family;
use crate::generate::{Expect, Mutation, Row, accept, any_config_error, any_reject, custom};

/// Member edits to a JWK: set (`Some`) or remove (`None`).
pub(super) type Edits = Vec<(&'static str, Option<Value>)>;

/// The primary key with an ignored member padding the set's compact JSON to `len` bytes.
fn padded_set(len: usize) -> Value {
    let mut jwk = primary_jwk();
    jwk["ext_padding"] = json!("");
    let base = json!({"keys": [jwk.clone()]}).to_string().len();
    jwk["ext_padding"] = json!("p".repeat(len - base));
    json!({"keys": [jwk]})
}

pub(super) fn primary_jwk() -> Value {
    forge::public_jwk(forge::key(forge::KID).verifying_key(), forge::KID)
}

/// The primary key with these member edits.
pub(super) fn edited_primary(changes: &Edits) -> Value {
    let mut jwk = primary_jwk();
    for (member, value) in changes {
        match value {
            Some(v) => jwk[*member] = v.clone(),
            None => {
                if let Some(m) = jwk.as_object_mut() {
                    m.remove(*member);
                }
            }
        }
    }
    jwk
}

/// `n` keys that are not the primary (all the same point, kids `k0`…).
fn bulk_keys(n: usize) -> Vec<Value> {
    let bulk = forge::key("bulk");
    (0..n)
        .map(|i| forge::public_jwk(bulk.verifying_key(), &format!("k{i}")))
        .collect()
}

/// A set the profile refuses with `code`; the token is the baseline, so a late rejection
/// conforms.
pub(super) fn bad_set(
    name: &str,
    description: &str,
    code: ConfigCode,
    jwks: Value,
    basis: &[&str],
) -> Row {
    Row::new(
        name,
        description,
        Mutation::Jwks(jwks),
        Expect::Config(code),
        Profile,
        basis,
    )
    .acceptable(&[any_reject()])
}

/// The primary key, edited, alone in the set.
pub(super) fn bad_key(
    name: &str,
    description: &str,
    code: ConfigCode,
    edits: Edits,
    basis: &[&str],
) -> Row {
    bad_set(
        name,
        description,
        code,
        json!({"keys": [edited_primary(&edits)]}),
        basis,
    )
}

/// A set the profile loads, with the primary key edited and an unknown top-level member.
/// A set the recipient must load: unknown members of a key and of the set MUST be ignored
/// (RFC 7517 §4 and §5), so every tolerated row is `must` on those clauses.
fn tolerated(name: &str, description: &str, edits: Edits, basis: &[&str]) -> Row {
    let jwk = edited_primary(&edits);
    let mut basis = basis.to_vec();
    basis.push("RFC7517-5-ignore");
    basis.dedup();
    Row::new(
        name,
        description,
        Mutation::Jwks(json!({"keys": [jwk], "issuer_note": "ignored"})),
        Expect::Accept,
        Must,
        &basis,
    )
}

pub(super) const KEYSET: &str = "PROFILE-KEYSET";
/// RFC 7517 §5: a recipient SHOULD skip keys it does not understand or that are out of range;
/// with the only key skipped, the token is rejected.
pub(super) const SKIP: &str = "RFC7517-5-set";

pub fn family() -> Family {
    let key = forge::key(forge::KID);
    let (x, y) = forge::coordinates(key.verifying_key());
    let b = |bytes: &[u8]| json!(forge::b64(bytes));
    let y_plus_1 = forge::add_be(&y, &forge::small(1));
    let p384_x = "iA7lWQLzVrKGEFjfGMfMHfTEZ2KnLiKU7JuNT3E7ygsfE7ygsfE7ygsfE7ygsfE7";
    let private_d = b(&key.to_bytes());

    let curve = &[KEYSET, "RFC8725-3.4-inputs", SKIP];
    let crv = &[KEYSET, "RFC7518-6.2.1-crv", SKIP];
    let kty = &[KEYSET, "RFC7517-4.1-kty", SKIP];
    let coordinate = &[KEYSET, "RFC7518-6.2.1-coordinates", SKIP];
    let key_use = &[KEYSET, "RFC7517-4.2-use", SKIP];
    let alg = &[KEYSET, "RFC7517-4.4-alg", SKIP];
    let key_ops = &[KEYSET, "RFC7517-4.3-key-ops", SKIP];
    let kid = &[KEYSET, "RFC7517-4.5-kid", "M12"];
    let private = &[KEYSET, "RFC7518-6.2.2-private"];
    let set = &[KEYSET, "RFC7517-5-keys"];
    let limits = &["PROFILE-LIMITS", "RFC8259-9-limits"];

    let mut private_secondary =
        forge::public_jwk(forge::key("secondary").verifying_key(), "secondary");
    private_secondary["d"] = json!(forge::b64(forge::key("secondary").to_bytes()));

    let rows = vec![
        bad_key(
            "private-d",
            "the primary key with its private scalar d",
            ConfigCode::KeyPrivateMember,
            vec![("d", Some(private_d))],
            private,
        )
        .rationale(
            "a public key set that carries a private key is a leak the profile refuses to run \
             with; a library that ignores d and verifies with x and y forges nothing, which is \
             why this is profile",
        ),
        bad_key(
            "private-d-garbage",
            "the primary key with a d member of any value (AAAA)",
            ConfigCode::KeyPrivateMember,
            vec![("d", Some(json!("AAAA")))],
            private,
        ),
        bad_key(
            "off-curve",
            "the primary key with y + 1: a point not on P-256",
            ConfigCode::KeyNotOnCurve,
            vec![("y", Some(b(&y_plus_1)))],
            curve,
        ),
        bad_key(
            "zero-point",
            "x = y = 0 (not on P-256)",
            ConfigCode::KeyNotOnCurve,
            vec![("x", Some(b(&[0u8; 32]))), ("y", Some(b(&[0u8; 32])))],
            curve,
        ),
        bad_key(
            "x-y-swapped",
            "the primary key with x and y swapped (not on P-256)",
            ConfigCode::KeyNotOnCurve,
            vec![("x", Some(b(&y))), ("y", Some(b(&x)))],
            curve,
        ),
        bad_key(
            "crv-p384",
            "crv P-384 with made-up 48-byte x and y, in an ES256 key set",
            ConfigCode::KeyWrongCrv,
            vec![
                ("crv", Some(json!("P-384"))),
                ("x", Some(json!(p384_x))),
                ("y", Some(json!(p384_x))),
            ],
            crv,
        ),
        bad_key(
            "crv-p521",
            "crv P-521 with the primary key's 32-byte coordinates",
            ConfigCode::KeyWrongCrv,
            vec![("crv", Some(json!("P-521")))],
            crv,
        ),
        bad_key(
            "crv-secp256k1",
            "crv secp256k1 with the primary key's coordinates",
            ConfigCode::KeyWrongCrv,
            vec![("crv", Some(json!("secp256k1")))],
            crv,
        ),
        bad_key(
            "crv-lowercase",
            "crv p-256 (crv is case-sensitive)",
            ConfigCode::KeyWrongCrv,
            vec![("crv", Some(json!("p-256")))],
            crv,
        ),
        bad_key(
            "crv-missing",
            "the primary key without crv",
            ConfigCode::KeyWrongCrv,
            vec![("crv", None)],
            crv,
        ),
        bad_key(
            "kty-rsa",
            "kty RSA with n and e (and the EC members left in place)",
            ConfigCode::KeyWrongKty,
            vec![
                ("kty", Some(json!("RSA"))),
                ("n", Some(json!("sXch"))),
                ("e", Some(json!("AQAB"))),
            ],
            kty,
        ),
        bad_key(
            "kty-okp",
            "kty OKP with the EC members",
            ConfigCode::KeyWrongKty,
            vec![("kty", Some(json!("OKP")))],
            kty,
        ),
        bad_key(
            "kty-missing",
            "the primary key without kty",
            ConfigCode::KeyWrongKty,
            vec![("kty", None)],
            kty,
        ),
        bad_key(
            "kty-oct-secret",
            "kty oct with a secret k (the EC members left in place): a symmetric secret in a \
             public set",
            ConfigCode::KeyPrivateMember,
            vec![("kty", Some(json!("oct"))), ("k", Some(json!("c2VjcmV0")))],
            kty,
        )
        .acceptable(&[Expect::Config(ConfigCode::KeyWrongKty).outcome()])
        .notes(
            "two defects: the private member k and the kty; the profile checks private members \
             first, a verifier that checks kty first says key_wrong_kty",
        ),
        bad_key(
            "x-31-bytes",
            "x of 31 bytes (the primary's x without its first byte)",
            ConfigCode::KeyBadCoordinate,
            vec![("x", Some(b(&x[1..])))],
            coordinate,
        ),
        bad_key(
            "y-33-bytes",
            "y of 33 bytes (a zero byte, then the primary's y)",
            ConfigCode::KeyBadCoordinate,
            vec![("y", Some(b(&[&[0u8][..], &y[..]].concat())))],
            coordinate,
        ),
        bad_key(
            "x-padded",
            "x with base64 padding (=)",
            ConfigCode::KeyBadCoordinate,
            vec![("x", Some(json!(format!("{}=", forge::b64(x)))))],
            &[KEYSET, "RFC7515-2-base64url", SKIP],
        ),
        bad_key(
            "x-missing",
            "the primary key without x",
            ConfigCode::KeyBadCoordinate,
            vec![("x", None)],
            coordinate,
        ),
        bad_key(
            "y-number",
            "y as a number",
            ConfigCode::KeyBadCoordinate,
            vec![("y", Some(json!(1)))],
            coordinate,
        ),
        bad_key(
            "use-enc",
            "use enc on the signing key",
            ConfigCode::KeyWrongUse,
            vec![("use", Some(json!("enc")))],
            key_use,
        ),
        bad_key(
            "use-uppercase",
            "use SIG (use is case-sensitive)",
            ConfigCode::KeyWrongUse,
            vec![("use", Some(json!("SIG")))],
            key_use,
        ),
        bad_key(
            "alg-rs256",
            "alg RS256 on an EC key",
            ConfigCode::KeyWrongAlg,
            vec![("alg", Some(json!("RS256")))],
            alg,
        ),
        bad_key(
            "alg-es384",
            "alg ES384 on a P-256 key",
            ConfigCode::KeyWrongAlg,
            vec![("alg", Some(json!("ES384")))],
            alg,
        ),
        bad_key(
            "alg-hs256",
            "alg HS256 on an EC key",
            ConfigCode::KeyWrongAlg,
            vec![("alg", Some(json!("HS256")))],
            alg,
        ),
        bad_key(
            "key-ops-sign",
            "key_ops [sign]: the key does not allow verification",
            ConfigCode::KeyWrongKeyOps,
            vec![("key_ops", Some(json!(["sign"])))],
            key_ops,
        ),
        Row::new(
            "key-ops-sign-verify",
            "key_ops [sign, verify], the combination RFC 7517 §4.3 permits: the set loads and the \
             token verifies",
            Mutation::Jwks(json!({"keys": [edited_primary(&vec![(
                "key_ops",
                Some(json!(["sign", "verify"])),
            )])]})),
            Expect::Accept,
            Profile,
            &[KEYSET, "RFC7517-4.3-key-ops"],
        )
        .rationale(
            "RFC 7517 §4.3 names sign with verify a permitted combination, so the set is \
             well-formed and its key allows verification",
        ),
        bad_key(
            "key-ops-verify-twice",
            "key_ops [verify, verify]: a repeated value",
            ConfigCode::KeyWrongKeyOps,
            vec![("key_ops", Some(json!(["verify", "verify"])))],
            &[KEYSET, "RFC7517-4.3-dup", SKIP],
        )
        .notes("RFC 7517 §4.3: duplicate key operation values MUST NOT be present in the array"),
        bad_key(
            "key-ops-string",
            "key_ops as a string (verify), not an array",
            ConfigCode::KeyWrongKeyOps,
            vec![("key_ops", Some(json!("verify")))],
            key_ops,
        ),
        bad_key(
            "key-ops-encrypt",
            "key_ops [encrypt]",
            ConfigCode::KeyWrongKeyOps,
            vec![("key_ops", Some(json!(["encrypt"])))],
            key_ops,
        ),
        bad_key(
            "kid-missing",
            "the primary key without kid",
            ConfigCode::KeyMissingKid,
            vec![("kid", None)],
            kid,
        )
        .rationale(
            "kid is optional in RFC 7517, but the profile finds keys by kid only, so a key \
             without one could never verify a token; a library that loads it and then rejects \
             the token (kid primary is unknown) fails closed",
        ),
        bad_key(
            "kid-empty",
            "the primary key with an empty kid",
            ConfigCode::KeyMissingKid,
            vec![("kid", Some(json!("")))],
            kid,
        ),
        bad_key(
            "kid-number",
            "kid as a number (RFC 7517 §4.5: a string)",
            ConfigCode::KeyMissingKid,
            vec![("kid", Some(json!(1)))],
            kid,
        ),
        bad_set(
            "duplicate-kid",
            "two keys with the same kid (primary): the primary key, then another key",
            ConfigCode::KeyDuplicateKid,
            json!({"keys": [
                primary_jwk(),
                forge::public_jwk(forge::key("attacker").verifying_key(), forge::KID),
            ]}),
            &[KEYSET, "RFC7517-4.5-kid"],
        )
        .acceptable(&[accept()])
        .rationale(
            "Wycheproof calls a duplicate kid ambiguous: both keys are the operator's and \
             RFC 7517 §4.5 only asks for distinct kids (SHOULD), so a library that tries the \
             first key, or every key, accepts the token signed by the primary key and forges \
             nothing",
        ),
        bad_set(
            "duplicate-kid-same-key",
            "the primary key twice",
            ConfigCode::KeyDuplicateKid,
            json!({"keys": [primary_jwk(), primary_jwk()]}),
            &[KEYSET, "RFC7517-4.5-kid"],
        )
        .acceptable(&[accept()]),
        bad_set(
            "empty-keys",
            "keys []",
            ConfigCode::JwksEmpty,
            json!({"keys": []}),
            set,
        ),
        bad_set(
            "no-keys-member",
            "no keys member (a document with kty only)",
            ConfigCode::JwksNotAKeySet,
            json!({"kty": "EC"}),
            set,
        ),
        bad_set(
            "single-jwk",
            "the primary JWK itself instead of a set",
            ConfigCode::JwksNotAKeySet,
            primary_jwk(),
            set,
        ),
        bad_set(
            "keys-object",
            "keys as an object",
            ConfigCode::JwksNotAKeySet,
            json!({"keys": {"primary": primary_jwk()}}),
            set,
        ),
        bad_set(
            "set-is-array",
            "a JSON array of keys instead of a JWK Set object",
            ConfigCode::JwksNotAKeySet,
            json!([primary_jwk()]),
            set,
        )
        .notes("valid JSON that is not a JWK Set: not a key set, not a JSON error"),
        bad_set(
            "key-is-string",
            "a key that is a string",
            ConfigCode::KeyNotAnObject,
            json!({"keys": ["primary"]}),
            &[KEYSET, "RFC7517-5-keys", SKIP],
        ),
        bad_set(
            "one-good-one-bad",
            "the primary key and another key with its private d",
            ConfigCode::KeyPrivateMember,
            json!({"keys": [primary_jwk(), private_secondary]}),
            &[KEYSET, "RFC7518-6.2.2-private", SKIP],
        )
        .acceptable(&[accept()])
        .notes("the profile refuses the whole set for one bad key")
        .rationale(
            "RFC 7517 §5 would have a recipient skip a key it cannot use, and the primary key \
             then verifies the token, so acceptance conforms too",
        ),
        Row::new(
            "256-keys-accepted",
            "256 keys, the most the profile's set may hold, the primary last",
            Mutation::Jwks({
                let mut keys = bulk_keys(255);
                keys.push(primary_jwk());
                json!({"keys": keys})
            }),
            Expect::Accept,
            Profile,
            limits,
        )
        .acceptable(&[any_reject(), any_config_error()])
        .notes("a library with a lower key-count limit fails closed"),
        bad_set(
            "too-many-keys",
            "257 keys, none of them the primary",
            ConfigCode::JwksTooManyKeys,
            json!({"keys": bulk_keys(257)}),
            limits,
        ),
        Row::new(
            "at-size-limit-accepted",
            "a key set of exactly 256 KiB (compact JSON)",
            custom(|d| d.jwks = padded_set(verifier::jwks::MAX_JWKS_BYTES)),
            Expect::Accept,
            Profile,
            limits,
        )
        .acceptable(&[any_reject(), any_config_error()])
        .notes(
            "the size is that of the compact JSON serialization; a library with a lower size \
             limit fails closed",
        ),
        bad_set(
            "too-large",
            "a key set one byte over 256 KiB (compact JSON)",
            ConfigCode::JwksTooLarge,
            padded_set(verifier::jwks::MAX_JWKS_BYTES + 1),
            limits,
        ),
        tolerated(
            "unknown-member-accepted",
            "a key with an unknown member (ext), in a set with an unknown member",
            vec![("ext", Some(json!(true)))],
            &["RFC7517-4-ignore"],
        ),
        tolerated(
            "x5t-member-accepted",
            "a key with x5t, which is never used, in a set with an unknown member",
            vec![("x5t", Some(json!("AAAA")))],
            &["RFC7517-4-ignore"],
        ),
        tolerated(
            "key-ops-verify-accepted",
            "key_ops [verify], in a set with an unknown member",
            vec![("key_ops", Some(json!(["verify"])))],
            &["RFC7517-4.3-key-ops", "RFC7517-4-ignore"],
        ),
        tolerated(
            "top-level-member-accepted",
            "an unknown top-level member of the set",
            vec![],
            &["RFC7517-5-ignore"],
        ),
    ];
    let rows = rows
        .into_iter()
        .map(|row| row.refs(&["Wycheproof json_web_key_test"]))
        .collect();
    Family::table("jwks", rows)
}
