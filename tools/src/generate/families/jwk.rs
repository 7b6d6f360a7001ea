//! One JWK member at a time (RFC 7517 §4, RFC 7518 §6.2.1): coordinate encodings, points
//! outside the field or off the curve, private and curve members, and the `use` × `key_ops`
//! combinations of RFC 7517 §4.2–4.3. `jwks` covers whole-set hygiene; this family varies one
//! member of the primary key and keeps the baseline token.
//!
//! The key set is the operator's configuration, so refusing it is the profile's choice
//! (`PROFILE-KEYSET`) and a late rejection always conforms. Where a lenient reader would load
//! exactly the operator's key (a short coordinate left-padded, non-zero pad bits, an unknown
//! `use` value) acceptance forges nothing and is acceptable too. Binding is only a set that
//! loads a key other than the signer's: the token must then fail (RFC 9068 §4).

use corpus::vector::Severity::{Must, Profile};
use serde_json::{Value, json};
use verifier::ConfigCode;
use verifier::Reason::SignatureInvalid;

use super::jwks::{Edits, KEYSET, SKIP, bad_key, edited_primary};
use super::{Family, rej};
use crate::generate::{Expect, Mutation, Row, Signer, accept, all_of, any_reject, hdr};

/// A forge key whose x coordinate starts with a zero byte.
const LEADING_ZERO_X: &str = "leading-zero-60";
/// A forge key whose y coordinate starts with a zero byte.
const LEADING_ZERO_Y: &str = "leading-zero-y-928";

const COORDINATE: &[&str] = &[KEYSET, "RFC7518-6.2.1-coordinates", SKIP];
const ENCODING: &[&str] = &[KEYSET, "RFC7515-2-base64url", SKIP];
const PAD_BITS: &[&str] = &[KEYSET, "RFC4648-3.5-canonical", SKIP];
const CURVE: &[&str] = &[KEYSET, "RFC8725-3.4-inputs", SKIP];
const CRV: &[&str] = &[KEYSET, "RFC7518-6.2.1-crv", SKIP];
const KTY: &[&str] = &[KEYSET, "RFC7517-4.1-kty", SKIP];
const PRIVATE: &[&str] = &[KEYSET, "RFC7518-6.2.2-private"];
const ALG: &[&str] = &[KEYSET, "RFC7517-4.4-alg", SKIP];
const USE: &[&str] = &[KEYSET, "RFC7517-4.2-use", SKIP];
const USE_OTHER: &[&str] = &[KEYSET, "RFC7517-4.2-use", "RFC7517-4.2-other", SKIP];
const KEY_OPS: &[&str] = &[KEYSET, "RFC7517-4.3-key-ops", SKIP];
const KEY_OPS_OTHER: &[&str] = &[KEYSET, "RFC7517-4.3-key-ops", "RFC7517-4.3-other", SKIP];
const KEY_OPS_DUP: &[&str] = &[KEYSET, "RFC7517-4.3-dup", SKIP];
const CONSISTENT: &[&str] = &[KEYSET, "RFC7517-4.3-consistent", SKIP];

const SAME_KEY: &str = "a reader that tolerates this encoding loads exactly the operator's key \
                        and verifies a token that key signed: it forges nothing";

/// The named key alone in the set under its own kid, the token signed by it.
fn own_key(key: &'static str, jwk: Value) -> Mutation {
    all_of([
        Mutation::Jwks(json!({"keys": [jwk]})),
        hdr("kid", json!(key)),
        Mutation::Sign(Signer::Es256(key)),
    ])
}

/// The public JWK of a forge key, kid = its name.
fn jwk_of(name: &str) -> Value {
    forge::public_jwk(forge::key(name).verifying_key(), name)
}

/// The base64url text with its last character's zero pad bits set (same decoded bytes for a
/// lenient decoder).
fn dirty_pad_bits(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let last = *text.as_bytes().last().expect("non-empty");
    let index = ALPHABET.iter().position(|&c| c == last).expect("base64url");
    format!("{}{}", &text[..text.len() - 1], ALPHABET[index | 1] as char)
}

/// A key set the profile loads: the primary key with these members. (The clause on skipping
/// keys a recipient cannot use has nothing to say about a key it loads.)
fn loads(name: &str, description: &str, edits: Edits, basis: &[&str]) -> Row {
    let basis: Vec<&str> = basis.iter().copied().filter(|b| *b != SKIP).collect();
    Row::new(
        name,
        description,
        Mutation::Jwks(json!({"keys": [edited_primary(&edits)]})),
        Expect::Accept,
        Profile,
        &basis,
    )
}

fn coordinate_rows() -> Vec<Row> {
    let key = forge::key(forge::KID);
    let (x, y) = forge::coordinates(key.verifying_key());
    let (xs, ys) = (forge::b64(x), forge::b64(y));
    let b = |bytes: &[u8]| json!(forge::b64(bytes));
    let standard_y = ys.replace('-', "+").replace('_', "/");
    assert_ne!(
        standard_y, ys,
        "the primary's y must use a URL-safe character"
    );
    let parity = y[31] & 1;
    let compressed = [&[0x02 | parity][..], &x[..]].concat();
    let uncompressed = forge::public_raw(key.verifying_key());
    let hex_x: String = x.iter().map(|byte| format!("{byte:02x}")).collect();
    let line_broken = format!("{}\n{}", &xs[..20], &xs[20..]);
    let table: Vec<(&str, &str, Edits, &[&str])> = vec![
        (
            "y-padded",
            "y with base64 padding (=)",
            vec![("y", Some(json!(format!("{ys}="))))],
            ENCODING,
        ),
        (
            "y-standard-alphabet",
            "y in the standard base64 alphabet (+ for -)",
            vec![("y", Some(json!(standard_y)))],
            ENCODING,
        ),
        (
            "y-standard-alphabet-padded",
            "y in the standard alphabet with padding",
            vec![("y", Some(json!(format!("{standard_y}="))))],
            ENCODING,
        ),
        (
            "x-line-break",
            "x with a line break after 20 characters",
            vec![("x", Some(json!(line_broken)))],
            ENCODING,
        ),
        (
            "x-hex",
            "x as 64 hex digits instead of base64url",
            vec![("x", Some(json!(hex_x)))],
            ENCODING,
        ),
        (
            "y-31-bytes",
            "y of 31 bytes (the primary's y without its first byte)",
            vec![("y", Some(b(&y[1..])))],
            COORDINATE,
        ),
        (
            "x-33-bytes",
            "x of 33 bytes (a zero byte, then the primary's x)",
            vec![("x", Some(b(&[&[0u8][..], &x[..]].concat())))],
            COORDINATE,
        ),
        (
            "x-compressed-point-y-missing",
            "x holds the 33-byte compressed SEC1 point and y is absent",
            vec![("x", Some(b(&compressed))), ("y", None)],
            COORDINATE,
        ),
        (
            "x-compressed-point-y-present",
            "x holds the 33-byte compressed SEC1 point, y the real y",
            vec![("x", Some(b(&compressed)))],
            COORDINATE,
        ),
        (
            "x-uncompressed-point-y-missing",
            "x holds the 65-byte uncompressed SEC1 point and y is absent",
            vec![("x", Some(b(&uncompressed))), ("y", None)],
            COORDINATE,
        ),
        (
            "y-boolean-parity",
            "y as a boolean: the parity bit of a compressed point",
            vec![("y", Some(json!(parity == 1)))],
            COORDINATE,
        ),
        (
            "x-null",
            "x null",
            vec![("x", Some(Value::Null))],
            COORDINATE,
        ),
        (
            "infinity-empty-coordinates",
            "x and y empty strings (an encoding of the point at infinity)",
            vec![("x", Some(json!(""))), ("y", Some(json!("")))],
            COORDINATE,
        ),
        (
            "infinity-sec1-zero-byte",
            "x the single SEC1 byte 00 (the point at infinity), y absent",
            vec![("x", Some(b(&[0]))), ("y", None)],
            COORDINATE,
        ),
    ];
    let mut rows: Vec<Row> = table
        .into_iter()
        .map(|(name, description, edits, basis)| {
            bad_key(
                name,
                description,
                ConfigCode::KeyBadCoordinate,
                edits,
                basis,
            )
        })
        .collect();
    for (coordinate, text) in [("x", &xs), ("y", &ys)] {
        rows.push(
            bad_key(
                &format!("{coordinate}-pad-bits-set"),
                &format!("{coordinate} with non-zero pad bits in its last character"),
                ConfigCode::KeyBadCoordinate,
                vec![(coordinate, Some(json!(dirty_pad_bits(text))))],
                PAD_BITS,
            )
            .acceptable(&[accept()])
            .notes(SAME_KEY),
        );
    }
    rows.extend(leading_zero_rows());
    rows
}

/// A key whose coordinate starts with a zero byte: the full 32 bytes load, the stripped 31 do
/// not (RFC 7518 §6.2.1.2: the full size of a coordinate).
fn leading_zero_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for (coordinate, key_name, index) in [("x", LEADING_ZERO_X, 0), ("y", LEADING_ZERO_Y, 1)] {
        let key = forge::key(key_name);
        let xy = forge::coordinates(key.verifying_key());
        let value = [xy.0, xy.1][index];
        assert_eq!(value[0], 0, "{key_name}: {coordinate} must start with 00");
        let full = jwk_of(key_name);
        let mut stripped = full.clone();
        stripped[coordinate] = json!(forge::b64(&value[1..]));
        rows.push(Row::new(
            format!("{coordinate}-leading-zero-accepted"),
            format!("a key whose {coordinate} starts with a zero byte, written in full (32 bytes)"),
            own_key(key_name, full),
            Expect::Accept,
            Profile,
            &[KEYSET, "RFC7518-6.2.1-coordinates"],
        ));
        rows.push(
            Row::new(
                format!("{coordinate}-leading-zero-stripped"),
                format!(
                    "the same key with the leading zero byte of {coordinate} stripped (31 bytes)"
                ),
                own_key(key_name, stripped),
                Expect::Config(ConfigCode::KeyBadCoordinate),
                Profile,
                COORDINATE,
            )
            .acceptable(&[any_reject(), accept()])
            .notes(
                "RFC 7518 §6.2.1.2 requires the issuer to write the full size; a reader that \
                 left-pads loads the operator's own key and forges nothing",
            ),
        );
    }
    rows
}

fn field_rows() -> Vec<Row> {
    let key = forge::key(forge::KID);
    let (_, y) = forge::coordinates(key.verifying_key());
    let b = |bytes: &[u8]| json!(forge::b64(bytes));
    let p = forge::PRIME_P;
    let table: Vec<(&str, &str, Edits)> = vec![
        (
            "x-equals-p",
            "x = p, outside the field",
            vec![("x", Some(b(&p)))],
        ),
        (
            "y-equals-p",
            "y = p, outside the field",
            vec![("y", Some(b(&p)))],
        ),
        (
            "x-all-ones",
            "x = 2^256 − 1, above p",
            vec![("x", Some(b(&[0xff; 32])))],
        ),
        (
            "y-all-ones",
            "y = 2^256 − 1, above p",
            vec![("y", Some(b(&[0xff; 32])))],
        ),
        (
            "y-zero",
            "the primary's x with y = 0 (not on P-256)",
            vec![("y", Some(b(&[0; 32])))],
        ),
        (
            "x-zero",
            "x = 0 with the primary's y (not on P-256)",
            vec![("x", Some(b(&[0; 32])))],
        ),
    ];
    let mut rows: Vec<Row> = table
        .into_iter()
        .map(|(name, description, edits)| {
            bad_key(name, description, ConfigCode::KeyNotOnCurve, edits, CURVE)
        })
        .collect();
    let negated_y = forge::sub_be(&p, &y);
    rows.push(
        Row::new(
            "y-negated",
            "the key (x, p − y): a valid P-256 point, but not the signer's key",
            Mutation::Jwks(json!({"keys": [edited_primary(&vec![("y", Some(b(&negated_y)))])]})),
            rej(SignatureInvalid),
            Must,
            &[
                "RFC9068-4-signature",
                "RFC7515-5.2-signature",
                "RFC7518-3.4-es256",
            ],
        )
        .notes(
            "the set loads (the point is on the curve); the token was signed by the key (x, y), \
             so a reader that rebuilds the point from x alone and ignores y accepts a token the \
             configured key never signed",
        ),
    );
    rows
}

fn member_rows() -> Vec<Row> {
    let secondary_d = json!(forge::b64(forge::key("secondary").to_bytes()));
    let table: Vec<(&str, &str, ConfigCode, Edits, &[&str])> = vec![
        (
            "d-empty",
            "the primary key with d the empty string",
            ConfigCode::KeyPrivateMember,
            vec![("d", Some(json!("")))],
            PRIVATE,
        ),
        (
            "d-null",
            "the primary key with d null (refused by presence)",
            ConfigCode::KeyPrivateMember,
            vec![("d", Some(Value::Null))],
            PRIVATE,
        ),
        (
            "d-of-other-key",
            "the primary key with the private scalar of another key",
            ConfigCode::KeyPrivateMember,
            vec![("d", Some(secondary_d))],
            PRIVATE,
        ),
        (
            "crv-no-hyphen",
            "crv P256",
            ConfigCode::KeyWrongCrv,
            vec![("crv", Some(json!("P256")))],
            CRV,
        ),
        (
            "crv-trailing-space",
            "crv \"P-256 \"",
            ConfigCode::KeyWrongCrv,
            vec![("crv", Some(json!("P-256 ")))],
            CRV,
        ),
        (
            "crv-secp256r1",
            "crv secp256r1 (the SEC 2 name of P-256, not a JOSE value)",
            ConfigCode::KeyWrongCrv,
            vec![("crv", Some(json!("secp256r1")))],
            CRV,
        ),
        (
            "crv-prime256v1",
            "crv prime256v1 (the X9.62 name of P-256, not a JOSE value)",
            ConfigCode::KeyWrongCrv,
            vec![("crv", Some(json!("prime256v1")))],
            CRV,
        ),
        (
            "crv-oid",
            "crv as the P-256 OID 1.2.840.10045.3.1.7",
            ConfigCode::KeyWrongCrv,
            vec![("crv", Some(json!("1.2.840.10045.3.1.7")))],
            CRV,
        ),
        (
            "crv-null",
            "crv null",
            ConfigCode::KeyWrongCrv,
            vec![("crv", Some(Value::Null))],
            CRV,
        ),
        (
            "kty-lowercase",
            "kty ec (kty is case-sensitive)",
            ConfigCode::KeyWrongKty,
            vec![("kty", Some(json!("ec")))],
            KTY,
        ),
        (
            "kty-ecdsa",
            "kty ECDSA",
            ConfigCode::KeyWrongKty,
            vec![("kty", Some(json!("ECDSA")))],
            KTY,
        ),
        (
            "alg-lowercase",
            "alg es256 on the key (alg is case-sensitive)",
            ConfigCode::KeyWrongAlg,
            vec![("alg", Some(json!("es256")))],
            ALG,
        ),
        (
            "alg-none",
            "alg none on the key",
            ConfigCode::KeyWrongAlg,
            vec![("alg", Some(json!("none")))],
            ALG,
        ),
        (
            "alg-es256k",
            "alg ES256K on a P-256 key",
            ConfigCode::KeyWrongAlg,
            vec![("alg", Some(json!("ES256K")))],
            ALG,
        ),
        (
            "alg-array",
            "alg [ES256] as an array",
            ConfigCode::KeyWrongAlg,
            vec![("alg", Some(json!(["ES256"])))],
            ALG,
        ),
    ];
    table
        .into_iter()
        .map(|(name, description, code, edits, basis)| {
            bad_key(name, description, code, edits, basis)
        })
        .collect()
}

/// RFC 7517 §4.2–4.3: `use` × `key_ops`. The profile loads a key whose `use` (if present) is
/// `sig` and whose `key_ops` (if present) holds `verify` once, with at most `sign` beside it.
fn use_key_ops_rows() -> Vec<Row> {
    let sig = Some(json!("sig"));
    let enc = Some(json!("enc"));
    let ops = |v: Value| Some(v);
    // (name, use, key_ops, Ok(basis) to load | Err(code, basis), a lenient reader forges nothing)
    type Case = (
        &'static str,
        Option<Value>,
        Option<Value>,
        Result<&'static [&'static str], (ConfigCode, &'static [&'static str])>,
        bool,
    );
    let wrong_use = ConfigCode::KeyWrongUse;
    let wrong_ops = ConfigCode::KeyWrongKeyOps;
    let cases: Vec<Case> = vec![
        ("use-absent-accepted", None, None, Ok(USE), false),
        (
            "use-absent-key-ops-verify-accepted",
            None,
            ops(json!(["verify"])),
            Ok(KEY_OPS),
            false,
        ),
        (
            "use-absent-key-ops-sign-verify-accepted",
            None,
            ops(json!(["sign", "verify"])),
            Ok(KEY_OPS),
            false,
        ),
        (
            "key-ops-verify-sign-accepted",
            None,
            ops(json!(["verify", "sign"])),
            Ok(KEY_OPS),
            false,
        ),
        (
            "use-absent-key-ops-sign",
            None,
            ops(json!(["sign"])),
            Err((wrong_ops, KEY_OPS)),
            false,
        ),
        (
            "use-absent-key-ops-encrypt",
            None,
            ops(json!(["encrypt"])),
            Err((wrong_ops, KEY_OPS)),
            false,
        ),
        (
            "use-sig-key-ops-empty",
            sig,
            ops(json!([])),
            Err((wrong_ops, KEY_OPS)),
            false,
        ),
        (
            "use-absent-key-ops-verify-twice",
            None,
            ops(json!(["verify", "verify"])),
            Err((wrong_ops, KEY_OPS_DUP)),
            false,
        ),
        (
            "use-absent-key-ops-string",
            None,
            ops(json!("verify")),
            Err((wrong_ops, KEY_OPS)),
            false,
        ),
        (
            "use-enc-key-ops-verify",
            enc.clone(),
            ops(json!(["verify"])),
            Err((wrong_use, CONSISTENT)),
            false,
        ),
        (
            "use-enc-key-ops-encrypt",
            enc.clone(),
            ops(json!(["encrypt"])),
            Err((wrong_use, USE)),
            false,
        ),
        (
            "use-enc-key-ops-empty",
            enc.clone(),
            ops(json!([])),
            Err((wrong_use, USE)),
            false,
        ),
        (
            "use-enc-key-ops-sign-verify",
            enc,
            ops(json!(["sign", "verify"])),
            Err((wrong_use, CONSISTENT)),
            false,
        ),
        (
            "use-unknown-value",
            Some(json!("attest")),
            None,
            Err((wrong_use, USE_OTHER)),
            true,
        ),
        (
            "use-unknown-value-key-ops-verify",
            Some(json!("attest")),
            ops(json!(["verify"])),
            Err((wrong_use, USE_OTHER)),
            true,
        ),
        (
            "use-empty-string",
            Some(json!("")),
            None,
            Err((wrong_use, USE)),
            false,
        ),
        (
            "use-null",
            Some(Value::Null),
            None,
            Err((wrong_use, USE)),
            false,
        ),
        (
            "use-array",
            Some(json!(["sig"])),
            None,
            Err((wrong_use, USE)),
            false,
        ),
        (
            "use-absent-key-ops-empty",
            None,
            ops(json!([])),
            Err((wrong_ops, KEY_OPS)),
            false,
        ),
        (
            "key-ops-verify-encrypt",
            None,
            ops(json!(["verify", "encrypt"])),
            Err((wrong_ops, KEY_OPS)),
            false,
        ),
        (
            "key-ops-verify-unknown-value",
            None,
            ops(json!(["verify", "attest"])),
            Err((wrong_ops, KEY_OPS_OTHER)),
            true,
        ),
        (
            "key-ops-sign-verify-verify",
            None,
            ops(json!(["sign", "verify", "verify"])),
            Err((wrong_ops, KEY_OPS_DUP)),
            false,
        ),
        (
            "key-ops-null",
            None,
            ops(Value::Null),
            Err((wrong_ops, KEY_OPS)),
            false,
        ),
        (
            "key-ops-object",
            None,
            ops(json!({"verify": true})),
            Err((wrong_ops, KEY_OPS)),
            false,
        ),
        (
            "key-ops-uppercase",
            None,
            ops(json!(["VERIFY"])),
            Err((wrong_ops, KEY_OPS)),
            false,
        ),
    ];
    cases
        .into_iter()
        .map(|(name, key_use, key_ops, outcome, lenient_ok)| {
            let describe = |v: &Option<Value>| v.as_ref().map_or("absent".into(), Value::to_string);
            let description = format!("use {}, key_ops {}", describe(&key_use), describe(&key_ops));
            let both = key_use.is_some() && key_ops.is_some();
            let edits: Edits = vec![("use", key_use), ("key_ops", key_ops)];
            match outcome {
                Ok(basis) => loads(name, &description, edits, basis),
                Err((code, basis)) => {
                    let mut row = bad_key(name, &description, code, edits, basis);
                    if both && code == wrong_use {
                        // Two members disagree; naming either one is the same refusal.
                        row = row.acceptable(&[Expect::Config(wrong_ops).outcome()]);
                    }
                    if lenient_ok {
                        row.acceptable(&[accept()]).notes(
                            "RFC 7517 lets other values be used; a reader that ignores the \
                             unknown value still holds verify (or no restriction) and loads the \
                             operator's own key, which forges nothing",
                        )
                    } else {
                        row
                    }
                }
            }
        })
        .collect()
}

pub fn family() -> Family {
    let mut rows = coordinate_rows();
    rows.extend(field_rows());
    rows.extend(member_rows());
    rows.extend(use_key_ops_rows());
    rows.push(loads(
        "minimal-key-accepted",
        "only kty, crv, x, y and kid: no alg, use or key_ops restricts the key",
        vec![("alg", None), ("use", None)],
        &[
            KEYSET,
            "RFC7517-4.2-use",
            "RFC7517-4.3-key-ops",
            "RFC7517-4.4-alg",
        ],
    ));
    Family::table("jwk", rows)
}
