//! The reason table: one row per input, each asserting the exact outcome of `Verifier::verify`
//! (accept, or the one catalog reason of `docs/reasons.md`). Every reason in `Reason::ALL` is
//! hit by at least one row, and `every_reason_has_a_row` keeps it that way. `Reason::ALL` and
//! the table of `docs/reasons.md` list the same reasons, in the same order, with the same stages
//! and M-IDs (`the_catalog_is_docs_reasons_md`).
//!
//! Rows verify at `NOW` under the default (clock-bound) profile unless they say otherwise; the
//! baseline token is issued at `NOW` and expires `LIFETIME` seconds later.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use common::*;
use forge::{Alg, AnyKey, RsaId};
use rstest::rstest;
use serde_json::json;
use verifier::Reason::{self, *};

const ACCEPT: Result<(), Reason> = Ok(());

/// Expands to the rstest table (one `#[case]` per row) and to `rows()`, the same rows as data
/// for the coverage test, so that a row cannot be in one and not the other.
macro_rules! reason_table {
    ($( $name:ident : $row:expr => $expected:expr ; )+) => {
        #[rstest]
        $( #[case::$name($row, $expected)] )+
        fn reason_table(#[case] row: Row, #[case] expected: Result<(), Reason>) {
            assert_eq!(row.outcome(), expected);
        }

        fn rows() -> Vec<(&'static str, Row, Result<(), Reason>)> {
            vec![ $( (stringify!($name), $row, $expected) ),+ ]
        }
    };
}

/// A token from a claims patch.
fn c(patch: serde_json::Value) -> Row {
    row(mint(&json!({}), &patch))
}

/// A token from a header patch.
fn h(patch: serde_json::Value) -> Row {
    row(mint(&patch, &json!({})))
}

/// A raw token string.
fn raw(token: impl Into<Vec<u8>>) -> Row {
    row(token)
}

/// The baseline token with one segment edited.
fn seg(index: usize, edit: impl FnOnce(&mut String)) -> Row {
    row(with_segment(&baseline(), index, edit))
}

/// The baseline token with its signature replaced by `f(r, s)`.
fn sig(f: impl FnOnce([u8; 32], [u8; 32]) -> Vec<u8>) -> Row {
    row(resign(f))
}

fn n_plus_1() -> [u8; 32] {
    add_be(&ORDER_N, &small(1))
}

const MAX: [u8; 32] = [0xff; 32];

/// A profile patch for the `oidc-id-token` preset whose client is the baseline token's `aud`,
/// allowing ES256 (the baseline key's algorithm), with `patch` overlaid.
fn oidc(patch: serde_json::Value) -> serde_json::Value {
    let mut profile =
        json!({"preset": "oidc-id-token", "client_id": AUDIENCE, "algorithms": ["ES256"]});
    overlay(&mut profile, &patch);
    profile
}

/// A profile patch for the `jwt` preset allowing ES256, with no issuer or audience, with
/// `patch` overlaid.
fn jwt(patch: serde_json::Value) -> serde_json::Value {
    let mut profile =
        json!({"preset": "jwt", "algorithms": ["ES256"], "issuer": null, "audiences": []});
    overlay(&mut profile, &patch);
    profile
}

/// A baseline-claims token whose header names `alg` (then `header_patch`), signed with `key`.
fn signed(alg: Alg, key: &AnyKey, header_patch: serde_json::Value) -> Row {
    let mut patch = json!({ "alg": alg.name() });
    merge(&mut patch, &header_patch);
    row(Token::new(&header(&patch), &claims(&json!({}))).sign_with(alg, key))
}

fn rsa_2048() -> AnyKey {
    AnyKey::Rsa(RsaId::Rsa2048.key())
}

/// The 2048-bit RSA key under `kid` "rsa".
fn rsa_jwks() -> serde_json::Value {
    jwks_any(&[("rsa", &rsa_2048(), None)])
}

/// Every claim of the baseline token removed.
fn no_claims() -> serde_json::Value {
    json!({"iss": null, "aud": null, "sub": null, "client_id": null, "jti": null, "iat": null, "exp": null})
}

reason_table! {
    // ---- accept paths
    accept_aud_string: c(json!({"aud": AUDIENCE})) => ACCEPT;
    accept_aud_array: c(json!({"aud": ["https://other.example", AUDIENCE]})) => ACCEPT;
    accept_aud_array_single: c(json!({"aud": [AUDIENCE]})) => ACCEPT;
    accept_optional_claims: c(json!({"scope": "read", "sid": "s", "nbf": NOW, "cat": "x"})) => ACCEPT;
    accept_high_s: row(high_s_token()) => ACCEPT;
    accept_low_s: sig(|r, s| rs(r, if is_high(&s) { sub_be(&ORDER_N, &s) } else { s })) => ACCEPT;
    accept_token_at_size_limit: row(mint(&json!({}), &json!({"pad": "x"})))
        .profile(json!({"max_token_bytes": mint(&json!({}), &json!({"pad": "x"})).len()})) => ACCEPT;
    accept_payload_depth_at_bound: row(mint_claims_text(&json!({}), &format!("\"x\":{}", nested_arrays(15)))) => ACCEPT;

    // ---- size
    oversized_one_over_default: raw("a".repeat(8193)) => Err(OversizedToken);
    oversized_signed_token: c(json!({"pad": "x".repeat(9000)})) => Err(OversizedToken);
    oversized_one_over_profile: row(mint(&json!({}), &json!({"pad": "x"})))
        .profile(json!({"max_token_bytes": mint(&json!({}), &json!({"pad": "x"})).len() - 1})) => Err(OversizedToken);
    size_limit_is_inclusive: raw("a".repeat(8192)) => Err(NotJwsCompact);
    oversized_wins_over_json: raw(format!("{{\"payload\":\"{}\"}}", "a".repeat(9000))) => Err(OversizedToken);

    // ---- form
    jws_json_flattened: raw(r#"{"protected":"eyJhbGciOiJFUzI1NiJ9","payload":"e30","signature":"AA"}"#) => Err(JwsJsonRejected);
    jws_json_general: raw(r#"{"payload":"e30","signatures":[{"protected":"eyJhbGciOiJFUzI1NiJ9","signature":"AA"}]}"#) => Err(JwsJsonRejected);
    jws_json_leading_whitespace: raw(" \r\n\t{}") => Err(JwsJsonRejected);
    jws_json_empty_object: raw("{}") => Err(JwsJsonRejected);
    jwe_five_segments: raw("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d") => Err(JwePayload);
    jwe_empty_segments: raw("....") => Err(JwePayload);
    not_compact_empty: raw("") => Err(NotJwsCompact);
    not_compact_one_segment: raw("abc") => Err(NotJwsCompact);
    not_compact_two_segments: raw("a.b") => Err(NotJwsCompact);
    not_compact_four_segments: raw("a.b.c.d") => Err(NotJwsCompact);
    not_compact_six_segments: raw("a.b.c.d.e.f") => Err(NotJwsCompact);
    not_compact_trailing_newline: raw(baseline() + "\n") => Err(NotJwsCompact);
    not_compact_space: seg(1, |s| s.insert(4, ' ')) => Err(NotJwsCompact);
    not_compact_nul: raw([baseline().as_bytes(), b"\0"].concat()) => Err(NotJwsCompact);
    not_compact_non_ascii: seg(0, |s| s.push('é')) => Err(NotJwsCompact);
    not_compact_json_array: raw("[1,2]") => Err(NotJwsCompact);

    // ---- alphabet
    lax_padding_header: seg(0, |s| s.push_str("==")) => Err(LaxBase64);
    lax_plus_header: seg(0, |s| s.replace_range(0..1, "+")) => Err(LaxBase64);
    lax_padding_payload: seg(1, |s| s.push('=')) => Err(LaxBase64);
    lax_slash_payload: seg(1, |s| s.replace_range(0..1, "/")) => Err(LaxBase64);
    lax_padding_signature: seg(2, |s| s.push_str("==")) => Err(LaxBase64);
    lax_plus_signature: seg(2, |s| s.replace_range(0..1, "+")) => Err(LaxBase64);

    // ---- header parsing
    header_empty: seg(0, String::clear) => Err(HeaderUnparseable);
    header_length_4k_plus_1: seg(0, |s| *s = "eyJhbGciOiJFUzI1NiJ9A".into()) => Err(HeaderUnparseable);
    header_trailing_bits: seg(0, |s| *s = "e31".into()) => Err(HeaderUnparseable);
    header_trailing_bits_of_real_header: seg(0, noncanonical) => Err(HeaderUnparseable);
    header_not_utf8: row(mint_bytes(vec![0xff, 0xfe, b'{', b'}'], claims(&json!({})).to_string())) => Err(HeaderUnparseable);
    header_not_json: row(mint_bytes("not json", claims(&json!({})).to_string())) => Err(HeaderUnparseable);
    header_array: row(mint_bytes("[]", claims(&json!({})).to_string())) => Err(HeaderUnparseable);
    header_null: row(mint_bytes("null", claims(&json!({})).to_string())) => Err(HeaderUnparseable);
    header_bom: row(mint_bytes([b"\xef\xbb\xbf".as_slice(), header(&json!({})).to_string().as_bytes()].concat(), claims(&json!({})).to_string())) => Err(HeaderUnparseable);
    header_trailing_data: row(mint_bytes(header(&json!({})).to_string() + " {}", claims(&json!({})).to_string())) => Err(HeaderUnparseable);
    header_too_deep: row(mint_header_text(&json!({}), &format!("\"x\":{}", nested_arrays(16)))) => Err(HeaderUnparseable);
    header_depth_at_bound_parses: row(mint_header_text(&json!({}), &format!("\"x\":{}", nested_arrays(15)))) => Err(HeaderExtraParam);
    header_depth_profile_bound: row(mint_header_text(&json!({}), "\"x\":[[]]")).profile(json!({"max_json_depth": 2})) => Err(HeaderUnparseable);
    header_syntax_error_wins_over_duplicate: row(mint_bytes(r#"{"alg":"ES256","alg":"ES256""#, claims(&json!({})).to_string())) => Err(HeaderUnparseable);

    // ---- duplicate members
    duplicate_header_alg: row(mint_header_text(&json!({}), r#""alg":"ES256""#)) => Err(DuplicateJsonKeys);
    duplicate_header_escaped_alg: row(mint_header_text(&json!({}), r#""\u0061lg":"ES256""#)) => Err(DuplicateJsonKeys);
    duplicate_header_escaped_kid: row(mint_header_text(&json!({}), r#""\u006bid":"primary""#)) => Err(DuplicateJsonKeys);
    duplicate_header_nested: row(mint_header_text(&json!({}), r#""x":{"a":1,"a":1}"#)) => Err(DuplicateJsonKeys);
    duplicate_payload_sub: row(mint_claims_text(&json!({}), r#""sub":"other""#)) => Err(DuplicateJsonKeys);
    duplicate_payload_escaped_sub: row(mint_claims_text(&json!({}), r#""\u0073ub":"other""#)) => Err(DuplicateJsonKeys);
    duplicate_payload_escaped_exp: row(mint_claims_text(&json!({}), &format!("\"\\u0065xp\":{}", NOW + 1))) => Err(DuplicateJsonKeys);
    duplicate_payload_nested: row(mint_claims_text(&json!({}), r#""x":[{"a":1,"\u0061":2}]"#)) => Err(DuplicateJsonKeys);

    // ---- alg
    alg_none: h(json!({"alg": "none"})) => Err(AlgNone);
    alg_none_mixed_case: h(json!({"alg": "nOnE"})) => Err(AlgNone);
    alg_none_upper: h(json!({"alg": "NONE"})) => Err(AlgNone);
    alg_missing: h(json!({"alg": null})) => Err(AlgNone);
    alg_json_null: row(mint_header_text(&json!({"alg": null}), r#""alg":null"#)) => Err(AlgNone);
    alg_number: h(json!({"alg": 256})) => Err(AlgNone);
    alg_array: h(json!({"alg": ["ES256"]})) => Err(AlgNone);
    alg_hs256: h(json!({"alg": "HS256"})) => Err(AlgHmacRejected);
    alg_hs384: h(json!({"alg": "HS384"})) => Err(AlgHmacRejected);
    alg_hs512: h(json!({"alg": "HS512"})) => Err(AlgHmacRejected);
    alg_rs256: h(json!({"alg": "RS256"})) => Err(AlgRsaRejected);
    alg_rs512: h(json!({"alg": "RS512"})) => Err(AlgRsaRejected);
    alg_ps256: h(json!({"alg": "PS256"})) => Err(AlgRsaRejected);
    alg_ps384: h(json!({"alg": "PS384"})) => Err(AlgRsaRejected);
    alg_es384: h(json!({"alg": "ES384"})) => Err(AlgEcdsaRejected);
    alg_es512: h(json!({"alg": "ES512"})) => Err(AlgEcdsaRejected);
    alg_es256k: h(json!({"alg": "ES256K"})) => Err(AlgEcdsaRejected);
    alg_eddsa: h(json!({"alg": "EdDSA"})) => Err(AlgNotAllowed);
    alg_ed25519: h(json!({"alg": "Ed25519"})) => Err(AlgNotAllowed);
    alg_trailing_space: h(json!({"alg": "ES256 "})) => Err(AlgNotAllowed);
    alg_lowercase: h(json!({"alg": "es256"})) => Err(AlgNotAllowed);
    alg_empty: h(json!({"alg": ""})) => Err(AlgNotAllowed);
    alg_wins_over_forbidden_param: h(json!({"alg": "HS256", "jku": "https://evil.example"})) => Err(AlgHmacRejected);

    // ---- forbidden header parameters
    header_jku: h(json!({"jku": "https://evil.example/jwks"})) => Err(HeaderJku);
    header_x5u: h(json!({"x5u": "https://evil.example/cert"})) => Err(HeaderX5u);
    header_jwk: h(json!({"jwk": {"kty": "EC"}})) => Err(HeaderJwk);
    header_x5c: h(json!({"x5c": ["MIIB"]})) => Err(HeaderX5c);
    header_crit: h(json!({"crit": ["exp"]})) => Err(HeaderCrit);
    header_crit_empty: h(json!({"crit": []})) => Err(HeaderCrit);
    header_b64_false: h(json!({"b64": false})) => Err(HeaderB64False);
    header_b64_true: h(json!({"b64": true})) => Err(HeaderB64False);
    header_cty: h(json!({"cty": "JWT"})) => Err(NestedJws);
    forbidden_params_in_catalog_order: h(json!({"cty": "JWT", "x5u": "u", "jku": "u"})) => Err(HeaderJku);
    header_extra_zip: h(json!({"zip": "DEF"})) => Err(HeaderExtraParam);
    header_extra_x5t: h(json!({"x5t": "AAAA"})) => Err(HeaderExtraParam);
    header_extra_custom: h(json!({"foo": 1})) => Err(HeaderExtraParam);
    header_extra_wins_over_typ: h(json!({"foo": 1, "typ": null})) => Err(HeaderExtraParam);

    // ---- typ
    typ_missing: h(json!({"typ": null})) => Err(TypMismatch);
    typ_jwt: h(json!({"typ": "JWT"})) => Err(TypMismatch);
    // RFC 7515 §4.1.9: media types are case-insensitive and `x` means `application/x`.
    typ_upper: h(json!({"typ": "AT+JWT"})) => ACCEPT;
    typ_media_type: h(json!({"typ": "application/at+jwt"})) => ACCEPT;
    typ_media_type_upper: h(json!({"typ": "Application/AT+JWT"})) => ACCEPT;
    typ_other_top_level: h(json!({"typ": "text/at+jwt"})) => Err(TypMismatch);
    typ_application_jwt: h(json!({"typ": "application/jwt"})) => Err(TypMismatch);
    typ_empty_subtype: h(json!({"typ": "application/"})) => Err(TypMismatch);
    typ_profile_full_media_type: h(json!({"typ": "at+jwt"})).profile(json!({"typ": "application/at+jwt"})) => ACCEPT;
    typ_number: h(json!({"typ": 1})) => Err(TypMismatch);
    typ_profile_value: h(json!({"typ": "JWT"})).profile(json!({"typ": "JWT"})) => ACCEPT;
    // `typ: null`, the default of `jwt` and `oidc-id-token`: the header's `typ` is not looked at.
    accept_typ_null_jwt: h(json!({"typ": "JWT"})).profile(json!({"typ": null})) => ACCEPT;
    accept_typ_null_absent: h(json!({"typ": null})).profile(json!({"typ": null})) => ACCEPT;
    accept_typ_null_number: h(json!({"typ": 1})).profile(json!({"typ": null})) => ACCEPT;
    accept_typ_oidc_default: h(json!({"typ": "JWT"})).profile(oidc(json!({}))) => ACCEPT;
    accept_typ_jwt_default: h(json!({"typ": null})).profile(jwt(json!({}))) => ACCEPT;
    typ_stated_under_jwt: h(json!({"typ": null})).profile(jwt(json!({"typ": "JWT"}))) => Err(TypMismatch);
    // Family reasons for an algorithm the profile does not allow, whatever else it allows.
    alg_es256_not_allowed: h(json!({})).profile(json!({"algorithms": ["RS256"]})) => Err(AlgEcdsaRejected);
    alg_rs256_not_allowed_beside_hs256: h(json!({"alg": "RS256"})).profile(json!({"algorithms": ["ES256", "HS256"]})) => Err(AlgRsaRejected);
    alg_hs256_not_allowed_beside_rs256: h(json!({"alg": "HS256"})).profile(json!({"algorithms": ["ES256", "RS256"]})) => Err(AlgHmacRejected);
    alg_eddsa_lowercase_allowed_eddsa: h(json!({"alg": "eddsa"})).profile(json!({"algorithms": ["ES256", "EdDSA"]})) => Err(AlgNotAllowed);

    // ---- key
    kid_missing: h(json!({"kid": null})) => Err(KidUnknown);
    kid_not_string: h(json!({"kid": 1})) => Err(KidUnknown);
    kid_unknown: h(json!({"kid": "other"})) => Err(KidUnknown);
    kid_empty: h(json!({"kid": ""})) => Err(KidUnknown);
    kid_case_differs: h(json!({"kid": "PRIMARY"})) => Err(KidUnknown);
    key_source_unavailable: row(baseline()).env(Env::KeySourceDown) => Err(KeySourceUnavailable);
    // OIDC Core §10.1: without `kid`, the set's one key usable for the `alg`.
    accept_oidc_without_kid_one_key: h(json!({"kid": null})).profile(oidc(json!({}))) => ACCEPT;
    kid_ambiguous: h(json!({"kid": null})).profile(oidc(json!({}))).env(Env::Keys(|| jwks_of(&["primary", "secondary"]))) => Err(KidAmbiguous);
    kid_missing_oidc_no_key_for_alg: h(json!({"kid": null})).profile(oidc(json!({"algorithms": ["ES256", "RS256"]}))).env(Env::Keys(rsa_jwks)) => Err(KidUnknown);
    kid_not_string_oidc: h(json!({"kid": 1})).profile(oidc(json!({}))) => Err(KidUnknown);
    kid_missing_jwt_one_key: h(json!({"kid": null})).profile(jwt(json!({}))) => ACCEPT;
    kid_missing_rfc9068_one_key: h(json!({"kid": null})) => Err(KidUnknown);
    accept_rs256: signed(Alg::RS256, &rsa_2048(), json!({"kid": "rsa"})).profile(json!({"algorithms": ["RS256"]})).env(Env::Keys(rsa_jwks)) => ACCEPT;
    // The classic confusion: HS256 under the RSA key's PEM, with the RSA key's kid.
    key_alg_mismatch: signed(Alg::HS256, &AnyKey::Oct(rsa_2048().public_pem().expect("PEM").into_bytes()), json!({"kid": "rsa"})).profile(json!({"algorithms": ["RS256", "HS256"]})).env(Env::Keys(rsa_jwks)) => Err(KeyAlgMismatch);
    key_alg_mismatch_jwk_alg: signed(Alg::RS256, &rsa_2048(), json!({"kid": "rsa"})).profile(json!({"algorithms": ["RS256", "PS256"]})).env(Env::Keys(|| jwks_any(&[("rsa", &rsa_2048(), Some(Alg::PS256))]))) => Err(KeyAlgMismatch);
    key_alg_mismatch_curve: signed(Alg::ES384, &AnyKey::P384(forge::p384_key(KID)), json!({})).profile(json!({"algorithms": ["ES256", "ES384"]})) => Err(KeyAlgMismatch);
    key_too_weak: signed(Alg::RS256, &AnyKey::Rsa(RsaId::Weak1024.key()), json!({"kid": "weak"})).profile(json!({"algorithms": ["RS256"]})).env(Env::Keys(|| jwks_any(&[("weak", &AnyKey::Rsa(RsaId::Weak1024.key()), None)]))) => Err(KeyTooWeak);
    key_too_weak_hmac: signed(Alg::HS256, &AnyKey::Oct(vec![7; 31]), json!({"kid": "s"})).profile(json!({"algorithms": ["HS256"]})).env(Env::Keys(|| jwks_any(&[("s", &AnyKey::Oct(vec![7; 31]), None)]))) => Err(KeyTooWeak);
    accept_hmac_as_long_as_the_hash: signed(Alg::HS256, &AnyKey::Oct(vec![7; 32]), json!({"kid": "s"})).profile(json!({"algorithms": ["HS256"]})).env(Env::Keys(|| jwks_any(&[("s", &AnyKey::Oct(vec![7; 32]), None)]))) => ACCEPT;

    // ---- signature
    signature_empty: seg(2, String::clear) => Err(SignatureInvalid);
    signature_other_key: row(Token::new(&header(&json!({})), &claims(&json!({}))).sign(&forge::key("attacker"))) => Err(SignatureInvalid);
    signature_other_payload: row(with_segment(&baseline(), 2, |s| *s = segments(&mint(&json!({}), &json!({"jti": "other"})))[2].clone())) => Err(SignatureInvalid);
    signature_payload_swapped: row(with_segment(&baseline(), 1, |s| *s = segments(&mint(&json!({}), &json!({"jti": "other"})))[1].clone())) => Err(SignatureInvalid);
    signature_not_canonical: seg(2, noncanonical) => Err(SignatureInvalid);
    signature_length_4k_plus_1: seg(2, |s| s.push('A')) => Err(SignatureInvalid);
    signature_63_bytes: sig(|r, s| rs(r, s)[..63].to_vec()) => Err(SignatureInvalid);
    signature_65_bytes: sig(|r, s| [rs(r, s), vec![0]].concat()) => Err(SignatureInvalid);
    signature_der: sig(der) => Err(SignatureInvalid);
    signature_r_s_zero: sig(|_, _| rs(small(0), small(0))) => Err(SignatureInvalid);
    signature_r_zero: sig(|_, s| rs(small(0), s)) => Err(SignatureInvalid);
    signature_r_n: sig(|_, s| rs(ORDER_N, s)) => Err(SignatureInvalid);
    signature_r_n_plus_1: sig(|_, s| rs(n_plus_1(), s)) => Err(SignatureInvalid);
    signature_r_p: sig(|_, s| rs(PRIME_P, s)) => Err(SignatureInvalid);
    signature_r_max: sig(|_, s| rs(MAX, s)) => Err(SignatureInvalid);
    signature_s_zero: sig(|r, _| rs(r, small(0))) => Err(SignatureInvalid);
    signature_s_n: sig(|r, _| rs(r, ORDER_N)) => Err(SignatureInvalid);
    signature_s_n_plus_1: sig(|r, _| rs(r, n_plus_1())) => Err(SignatureInvalid);
    signature_s_p: sig(|r, _| rs(r, PRIME_P)) => Err(SignatureInvalid);
    signature_s_max: sig(|r, _| rs(r, MAX)) => Err(SignatureInvalid);
    signature_s_one: sig(|r, _| rs(r, small(1))) => Err(SignatureInvalid);
    signature_checked_before_payload: row(with_segment(&mint_bytes(header(&json!({})).to_string(), "not json"), 2, noncanonical)) => Err(SignatureInvalid);

    // ---- payload
    payload_not_json: row(mint_bytes(header(&json!({})).to_string(), "not json")) => Err(PayloadUnparseable);
    payload_empty: row(mint_bytes(header(&json!({})).to_string(), "")) => Err(PayloadUnparseable);
    payload_not_utf8: row(mint_bytes(header(&json!({})).to_string(), vec![b'{', b'"', 0xff, b'"', b':', b'1', b'}'])) => Err(PayloadUnparseable);
    payload_array: row(mint_bytes(header(&json!({})).to_string(), "[]")) => Err(PayloadUnparseable);
    payload_string: row(mint_bytes(header(&json!({})).to_string(), "\"claims\"")) => Err(PayloadUnparseable);
    payload_trailing_data: row(mint_bytes(header(&json!({})).to_string(), claims(&json!({})).to_string() + "x")) => Err(PayloadUnparseable);
    payload_too_deep: row(mint_claims_text(&json!({}), &format!("\"x\":{}", nested_arrays(16)))) => Err(PayloadUnparseable);
    payload_lone_surrogate: row(mint_claims_text(&json!({}), r#""x":"\ud800""#)) => Err(PayloadUnparseable);
    payload_not_canonical_signed: row(sign_segments(&b64(header(&json!({})).to_string()), "e31")) => Err(PayloadUnparseable);
    payload_length_4k_plus_1_signed: row(sign_segments(&b64(header(&json!({})).to_string()), "e30AA")) => Err(PayloadUnparseable);
    payload_tampered_after_signing: row(with_segment(&mint_bytes(header(&json!({})).to_string(), "{}"), 1, noncanonical)) => Err(SignatureInvalid);

    // ---- numeric types
    exp_string: c(json!({"exp": "123"})) => Err(InvalidNumericType);
    exp_float: c(json!({"exp": 1.0})) => Err(InvalidNumericType);
    exp_float_text: row(mint_claims_text(&json!({"exp": null}), &format!("\"exp\":{}.0", NOW + 60))) => Err(InvalidNumericType);
    exp_exponent: row(mint_claims_text(&json!({"exp": null}), r#""exp":1e10"#)) => Err(InvalidNumericType);
    exp_negative_zero: row(mint_claims_text(&json!({"exp": null}), r#""exp":-0"#)) => Err(InvalidNumericType);
    exp_bool: c(json!({"exp": true})) => Err(InvalidNumericType);
    exp_null: row(mint_claims_text(&json!({"exp": null}), r#""exp":null"#)) => Err(InvalidNumericType);
    exp_two_pow_63: c(json!({"exp": 9_223_372_036_854_775_808_u64})) => Err(InvalidNumericType);
    exp_beyond_u64: row(mint_claims_text(&json!({"exp": null}), r#""exp":18446744073709551616"#)) => Err(InvalidNumericType);
    iat_float: c(json!({"iat": 1.5})) => Err(InvalidNumericType);
    iat_string: c(json!({"iat": "now"})) => Err(InvalidNumericType);
    nbf_exponent: row(mint_claims_text(&json!({}), r#""nbf":1E3"#)) => Err(InvalidNumericType);
    nbf_array: c(json!({"nbf": [1]})) => Err(InvalidNumericType);
    numeric_type_wins_over_missing_exp: c(json!({"exp": null, "iat": "x"})) => Err(InvalidNumericType);

    // ---- exp
    exp_missing: c(json!({"exp": null})) => Err(ExpMissing);
    expired_exp_equals_now: c(json!({"exp": NOW})) => Err(Expired);
    accept_exp_now_plus_1: c(json!({"exp": NOW + 1})) => ACCEPT;
    accept_last_second_before_exp: row(baseline()).at(NOW + LIFETIME - 1) => ACCEPT;
    expired_at_exp: row(baseline()).at(NOW + LIFETIME) => Err(Expired);
    iat_future_when_clock_is_behind: row(baseline()).at(NOW - 61) => Err(IatFuture);
    expired_long_ago: c(json!({"exp": NOW - 3600})) => Err(Expired);
    expired_i64_min: c(json!({"exp": i64::MIN})) => Err(Expired);
    accept_lifetime_exactly_24h: c(json!({"exp": NOW + DAY})) => ACCEPT;
    exp_upper_bound_24h_plus_1: c(json!({"exp": NOW + DAY + 1})) => Err(ExpUpperBound);
    exp_upper_bound_i64_max: c(json!({"exp": i64::MAX})) => Err(ExpUpperBound);
    exp_upper_bound_profile: c(json!({"exp": NOW + 61})).profile(json!({"max_lifetime_secs": 60})) => Err(ExpUpperBound);
    exp_upper_bound_disabled: c(json!({"exp": i64::MAX})).profile(json!({"max_lifetime_secs": null})) => ACCEPT;
    leeway_extends_exp: c(json!({"exp": NOW})).profile(json!({"leeway_secs": 1})) => ACCEPT;

    // ---- iat
    iat_missing: c(json!({"iat": null})) => Err(IatMissing);
    accept_iat_now_plus_60: c(json!({"iat": NOW + 60})) => ACCEPT;
    iat_future_now_plus_61: c(json!({"iat": NOW + 61})) => Err(IatFuture);
    iat_future_i64_max: c(json!({"iat": i64::MAX})) => Err(IatFuture);
    accept_iat_long_ago: c(json!({"iat": 0})) => ACCEPT;
    iat_skew_profile: c(json!({"iat": NOW + 1})).profile(json!({"iat_skew_secs": 0})) => Err(IatFuture);

    // ---- nbf
    not_yet_valid_nbf_now_plus_1: c(json!({"nbf": NOW + 1})) => Err(NotYetValid);
    accept_nbf_now: c(json!({"nbf": NOW})) => ACCEPT;
    not_yet_valid_i64_max: c(json!({"nbf": i64::MAX})) => Err(NotYetValid);

    // ---- iss
    iss_missing: c(json!({"iss": null})) => Err(IssMismatch);
    iss_other: c(json!({"iss": "https://evil.example"})) => Err(IssMismatch);
    iss_trailing_slash: c(json!({"iss": format!("{ISSUER}/")})) => Err(IssMismatch);
    iss_case: c(json!({"iss": ISSUER.to_uppercase()})) => Err(IssMismatch);
    iss_array: c(json!({"iss": [ISSUER]})) => Err(IssMismatch);

    // ---- aud
    aud_missing: c(json!({"aud": null})) => Err(AudMissing);
    aud_other: c(json!({"aud": "https://other.example"})) => Err(AudMismatch);
    aud_empty_array: c(json!({"aud": []})) => Err(AudMismatch);
    aud_array_of_others: c(json!({"aud": ["a", "b"]})) => Err(AudMismatch);
    aud_non_string_member: c(json!({"aud": [AUDIENCE, 1]})) => Err(AudMismatch);
    aud_number: c(json!({"aud": 1})) => Err(AudMismatch);
    aud_json_null: row(mint_claims_text(&json!({"aud": null}), r#""aud":null"#)) => Err(AudMismatch);
    aud_object: c(json!({"aud": {"aud": AUDIENCE}})) => Err(AudMismatch);
    accept_second_configured_audience: c(json!({"aud": "https://two.example"}))
        .profile(json!({"audiences": [AUDIENCE, "https://two.example"]})) => ACCEPT;

    // ---- sub, client_id, jti, cat
    sub_missing: c(json!({"sub": null})) => Err(SubMissing);
    sub_number: c(json!({"sub": 1})) => Err(SubMissing);
    sub_empty: c(json!({"sub": ""})) => Err(SubMissing);
    client_id_missing: c(json!({"client_id": null})) => Err(ClientIdMissing);
    client_id_number: c(json!({"client_id": 7})) => Err(ClientIdMissing);
    jti_missing: c(json!({"jti": null})) => Err(JtiMissing);
    jti_array: c(json!({"jti": ["a"]})) => Err(JtiMissing);
    token_type_cat_missing: c(json!({})).profile(json!({"expected_cat": "access"})) => Err(TokenTypeMismatch);
    token_type_cat_other: c(json!({"cat": "refresh"})).profile(json!({"expected_cat": "access"})) => Err(TokenTypeMismatch);
    accept_token_type_cat: c(json!({"cat": "access"})).profile(json!({"expected_cat": "access"})) => ACCEPT;

    // ---- required claims (docs/profile.md): `required_claims`, a configured issuer/audience
    claim_missing: c(json!({})).profile(json!({"required_claims": ["iss", "exp", "aud", "sub", "client_id", "iat", "jti", "scope"]})) => Err(ClaimMissing);
    accept_required_claim_any_value: c(json!({"scope": 0})).profile(json!({"required_claims": ["iss", "exp", "aud", "sub", "client_id", "iat", "jti", "scope"]})) => ACCEPT;
    claim_missing_nbf: c(json!({})).profile(jwt(json!({"required_claims": ["nbf"]}))) => Err(ClaimMissing);
    claim_missing_after_jti: c(json!({"jti": null})).profile(json!({"required_claims": ["jti", "scope"]})) => Err(JtiMissing);
    claim_missing_before_cat: c(json!({})).profile(json!({"required_claims": ["scope"], "expected_cat": "access"})) => Err(ClaimMissing);
    accept_jwt_without_claims: c(no_claims()).profile(jwt(json!({}))) => ACCEPT;
    accept_rfc9068_without_required_claims: c(json!({"sub": null, "client_id": null, "jti": null})).profile(json!({"required_claims": ["iss", "exp", "aud", "iat"]})) => ACCEPT;
    jwt_required_exp: c(json!({"exp": null})).profile(jwt(json!({"required_claims": ["exp"]}))) => Err(ExpMissing);
    jwt_required_iat: c(json!({"iat": null})).profile(jwt(json!({"required_claims": ["iat"]}))) => Err(IatMissing);
    jwt_required_sub_empty: c(json!({"sub": ""})).profile(jwt(json!({"required_claims": ["sub"]}))) => Err(SubMissing);
    jwt_required_client_id: c(json!({"client_id": null})).profile(jwt(json!({"required_claims": ["client_id"]}))) => Err(ClientIdMissing);
    jwt_required_jti: c(json!({"jti": 7})).profile(jwt(json!({"required_claims": ["jti"]}))) => Err(JtiMissing);
    jwt_required_iss_without_pin: c(json!({"iss": 1})).profile(jwt(json!({"required_claims": ["iss"]}))) => Err(IssMismatch);
    accept_jwt_required_iss_without_pin: c(json!({"iss": "https://any.example"})).profile(jwt(json!({"required_claims": ["iss"]}))) => ACCEPT;
    jwt_configured_issuer_is_required: c(json!({"iss": null})).profile(jwt(json!({"issuer": ISSUER}))) => Err(IssMismatch);
    jwt_configured_issuer_must_match: c(json!({"iss": "https://other.example"})).profile(jwt(json!({"issuer": ISSUER}))) => Err(IssMismatch);
    jwt_required_aud_without_audiences: c(json!({"aud": null})).profile(jwt(json!({"required_claims": ["aud"]}))) => Err(AudMissing);
    accept_jwt_any_aud_without_audiences: c(json!({"aud": 1})).profile(jwt(json!({}))) => ACCEPT;
    jwt_configured_audience_is_required: c(json!({"aud": null})).profile(jwt(json!({"audiences": [AUDIENCE]}))) => Err(AudMissing);
    jwt_configured_audience_must_match: c(json!({"aud": "https://other.example"})).profile(jwt(json!({"audiences": [AUDIENCE]}))) => Err(AudMismatch);
    // A present time claim is enforced whether or not it is required.
    jwt_present_exp_expired: c(json!({"exp": NOW})).profile(jwt(json!({}))) => Err(Expired);
    jwt_present_exp_upper_bound: c(json!({"exp": NOW + DAY + 1})).profile(jwt(json!({}))) => Err(ExpUpperBound);
    jwt_present_iat_future: c(json!({"iat": NOW + 61})).profile(jwt(json!({}))) => Err(IatFuture);
    jwt_present_nbf: c(json!({"nbf": NOW + 1})).profile(jwt(json!({}))) => Err(NotYetValid);
    jwt_present_exp_float: c(json!({"exp": 1.5})).profile(jwt(json!({}))) => Err(InvalidNumericType);

    // ---- oidc-id-token (OIDC Core §3.1.3.7), client = the baseline audience
    accept_oidc_id_token: c(json!({"client_id": null, "jti": null})).profile(oidc(json!({}))) => ACCEPT;
    accept_oidc_aud_array_of_the_client: c(json!({"aud": [AUDIENCE, AUDIENCE]})).profile(oidc(json!({}))) => ACCEPT;
    accept_oidc_audiences_left_out: c(json!({})).profile(oidc(json!({"audiences": []}))) => ACCEPT;
    oidc_iss_missing: c(json!({"iss": null})).profile(oidc(json!({}))) => Err(IssMismatch);
    oidc_iat_missing: c(json!({"iat": null})).profile(oidc(json!({}))) => Err(IatMissing);
    oidc_aud_missing: c(json!({"aud": null})).profile(oidc(json!({"audiences": []}))) => Err(AudMissing);
    oidc_aud_other: c(json!({"aud": "https://other.example"})).profile(oidc(json!({}))) => Err(AudMismatch);
    aud_untrusted: c(json!({"aud": [AUDIENCE, "https://other.example"]})).profile(oidc(json!({}))) => Err(AudUntrusted);
    aud_untrusted_before_sub: c(json!({"aud": ["https://other.example", AUDIENCE], "sub": null})).profile(oidc(json!({}))) => Err(AudUntrusted);
    oidc_sub_missing: c(json!({"sub": null})).profile(oidc(json!({}))) => Err(SubMissing);
    claim_missing_before_azp: c(json!({"azp": "https://other.example"})).profile(oidc(json!({"required_claims": ["auth_time"]}))) => Err(ClaimMissing);
    azp_mismatch: c(json!({"azp": "https://other.example"})).profile(oidc(json!({}))) => Err(AzpMismatch);
    azp_not_a_string: c(json!({"azp": [AUDIENCE]})).profile(oidc(json!({}))) => Err(AzpMismatch);
    accept_azp_the_client: c(json!({"azp": AUDIENCE})).profile(oidc(json!({}))) => ACCEPT;
    accept_azp_unchecked_under_rfc9068: c(json!({"azp": "https://other.example"})) => ACCEPT;
    nonce_missing: c(json!({})).profile(oidc(json!({"nonce": "n-1"}))) => Err(NonceMismatch);
    nonce_other: c(json!({"nonce": "n-2"})).profile(oidc(json!({"nonce": "n-1"}))) => Err(NonceMismatch);
    nonce_not_a_string: c(json!({"nonce": ["n-1"]})).profile(oidc(json!({"nonce": "n-1"}))) => Err(NonceMismatch);
    nonce_after_azp: c(json!({"azp": "x", "nonce": "n-2"})).profile(oidc(json!({"nonce": "n-1"}))) => Err(AzpMismatch);
    nonce_before_cat: c(json!({})).profile(oidc(json!({"nonce": "n-1", "expected_cat": "access"}))) => Err(NonceMismatch);
    accept_nonce: c(json!({"nonce": "n-1"})).profile(oidc(json!({"nonce": "n-1"}))) => ACCEPT;
    accept_nonce_unchecked_when_not_configured: c(json!({"nonce": "anything"})).profile(oidc(json!({}))) => ACCEPT;

    // ---- domain
    accept_ulid_sub: c(json!({})).profile(json!({"domain": {"ulid_sub": true}})) => ACCEPT;
    sub_not_ulid: c(json!({"sub": "user-1"})).profile(json!({"domain": {"ulid_sub": true}})) => Err(SubFormatInvalid);
    sub_ulid_lowercase: c(json!({"sub": "01hzy2j3k4m5n6p7q8r9s0t1v2"})).profile(json!({"domain": {"ulid_sub": true}})) => Err(SubFormatInvalid);
    sub_ulid_overflow: c(json!({"sub": "81HZY2J3K4M5N6P7Q8R9S0T1V2"})).profile(json!({"domain": {"ulid_sub": true}})) => Err(SubFormatInvalid);
    sub_ulid_excluded_letter: c(json!({"sub": "01HZY2J3K4M5N6P7Q8R9S0T1VI"})).profile(json!({"domain": {"ulid_sub": true}})) => Err(SubFormatInvalid);
    sub_ulid_short: c(json!({"sub": "01HZY2J3K4M5N6P7Q8R9S0T1V"})).profile(json!({"domain": {"ulid_sub": true}})) => Err(SubFormatInvalid);
    account_type_other: c(json!({"account_type": "robot"})).profile(json!({"domain": {"account_types": ["user", "service"]}})) => Err(AccountTypeInvalid);
    account_type_number: c(json!({"account_type": 1})).profile(json!({"domain": {"account_types": ["user"]}})) => Err(AccountTypeInvalid);
    accept_account_type: c(json!({"account_type": "service"})).profile(json!({"domain": {"account_types": ["user", "service"]}})) => ACCEPT;
    caps_string: c(json!({"caps": "read"})).profile(json!({"domain": {"caps_shape": true}})) => Err(CapsShapeInvalid);
    caps_non_string_member: c(json!({"caps": ["read", 1]})).profile(json!({"domain": {"caps_shape": true}})) => Err(CapsShapeInvalid);
    accept_caps: c(json!({"caps": ["read"]})).profile(json!({"domain": {"caps_shape": true}})) => ACCEPT;
    scopes_string: c(json!({"scopes": "a b"})).profile(json!({"domain": {"scopes_shape": true}})) => Err(ScopesShapeInvalid);
    scopes_non_string_member: c(json!({"scopes": ["a", null]})).profile(json!({"domain": {"scopes_shape": true}})) => Err(ScopesShapeInvalid);
    scopes_too_long: c(json!({"scopes": ["a", "b", "c"]})).profile(json!({"domain": {"scopes_shape": true, "max_scopes": 2}})) => Err(ScopesTooLong);
    scopes_too_long_default_bound: c(json!({"scopes": vec!["s"; 257]})).profile(json!({"domain": {"scopes_shape": true}})) => Err(ScopesTooLong);
    accept_scopes_at_bound: c(json!({"scopes": ["a", "b"]})).profile(json!({"domain": {"scopes_shape": true, "max_scopes": 2}})) => ACCEPT;
    dlg_depth_too_deep: c(json!({"dlg_depth": 5})).profile(json!({"domain": {"dlg_depth": true}})) => Err(DlgDepthInvalid);
    dlg_depth_negative: c(json!({"dlg_depth": -1})).profile(json!({"domain": {"dlg_depth": true}})) => Err(DlgDepthInvalid);
    dlg_depth_string: c(json!({"dlg_depth": "1"})).profile(json!({"domain": {"dlg_depth": true}})) => Err(DlgDepthInvalid);
    dlg_depth_float: c(json!({"dlg_depth": 1.0})).profile(json!({"domain": {"dlg_depth": true}})) => Err(DlgDepthInvalid);
    accept_dlg_depth_bound: c(json!({"dlg_depth": 4})).profile(json!({"domain": {"dlg_depth": true}})) => ACCEPT;
    admin_without_ppnum: c(json!({"admin": true})).profile(json!({"domain": {"admin_band": {"min": 100, "max": 199}}})) => Err(AdminBandRejected);
    admin_ppnum_outside_band: c(json!({"admin": true, "active_ppnum": "200123"})).profile(json!({"domain": {"admin_band": {"min": 100, "max": 199}}})) => Err(AdminBandRejected);
    admin_ppnum_number: c(json!({"admin": true, "active_ppnum": 150_123})).profile(json!({"domain": {"admin_band": {"min": 100, "max": 199}}})) => Err(AdminBandRejected);
    admin_ppnum_short: c(json!({"admin": true, "active_ppnum": "15"})).profile(json!({"domain": {"admin_band": {"min": 100, "max": 199}}})) => Err(AdminBandRejected);
    admin_non_bool: c(json!({"admin": "yes"})).profile(json!({"domain": {"admin_band": {"min": 100, "max": 199}}})) => Err(AdminBandRejected);
    accept_admin_in_band: c(json!({"admin": true, "active_ppnum": "199123"})).profile(json!({"domain": {"admin_band": {"min": 100, "max": 199}}})) => ACCEPT;
    accept_admin_false: c(json!({"admin": false})).profile(json!({"domain": {"admin_band": {"min": 100, "max": 199}}})) => ACCEPT;
    unknown_claim: c(json!({"extra": 1})).profile(json!({"domain": {"claim_allowlist": ["iss", "aud", "sub", "client_id", "jti", "iat", "exp"]}})) => Err(UnknownClaim);
    accept_claim_allowlist: c(json!({})).profile(json!({"domain": {"claim_allowlist": ["iss", "aud", "sub", "client_id", "jti", "iat", "exp"]}})) => ACCEPT;
    domain_rules_off_by_default: c(json!({"sub": "x", "caps": 1, "scopes": 1, "dlg_depth": 99, "admin": true})) => ACCEPT;

    // ---- state
    accept_replay_first_use: row(baseline()).env(Env::Replay { prior_uses: 0, outage: false }) => ACCEPT;
    jti_replayed: row(baseline()).env(Env::Replay { prior_uses: 1, outage: false }) => Err(JtiReplayed);
    replay_cache_unavailable: row(baseline()).env(Env::Replay { prior_uses: 0, outage: true }) => Err(ReplayCacheUnavailable);
    accept_live_session: c(json!({"sid": SID})).env(Env::Sessions { live: true, outage: false }) => ACCEPT;
    session_revoked: c(json!({"sid": SID})).env(Env::Sessions { live: false, outage: false }) => Err(SessionRevoked);
    session_other_sid: c(json!({"sid": "sid-2"})).env(Env::Sessions { live: true, outage: false }) => Err(SessionRevoked);
    session_without_sid: c(json!({})).env(Env::Sessions { live: true, outage: false }) => Err(SessionRevoked);
    session_lookup_unavailable: c(json!({"sid": SID})).env(Env::Sessions { live: true, outage: true }) => Err(SessionLookupUnavailable);
    accept_session_version_current: c(json!({"sv": 3})).env(Env::Versions { current: 3, outage: false }) => ACCEPT;
    accept_session_version_newer: c(json!({"sv": 4})).env(Env::Versions { current: 3, outage: false }) => ACCEPT;
    session_version_stale: c(json!({"sv": 2})).env(Env::Versions { current: 3, outage: false }) => Err(SessionVersionStale);
    session_version_missing: c(json!({})).env(Env::Versions { current: 0, outage: false }) => Err(SessionVersionStale);
    session_version_negative: c(json!({"sv": -1})).env(Env::Versions { current: 0, outage: false }) => Err(SessionVersionStale);
    session_version_lookup_unavailable: c(json!({"sv": 3})).env(Env::Versions { current: 3, outage: true }) => Err(SessionVersionLookupUnavailable);
    claims_checked_before_state: c(json!({"exp": NOW})).env(Env::Replay { prior_uses: 0, outage: true }) => Err(Expired);
}

/// The table cannot silently lose a reason: every catalog reason is some row's expectation.
#[test]
fn every_reason_has_a_row() {
    let covered: HashSet<Reason> = rows().iter().filter_map(|(_, _, e)| e.err()).collect();
    let missing: Vec<&str> = Reason::ALL
        .iter()
        .filter(|r| !covered.contains(r))
        .map(|r| r.id())
        .collect();
    assert!(missing.is_empty(), "reasons without a row: {missing:?}");
    assert!(rows().iter().any(|(_, _, e)| e.is_ok()), "an accept row");
}

/// Row names are unique (rstest would refuse duplicates too; this guards `rows()`).
#[test]
fn row_names_are_unique() {
    let rows = rows();
    let names: HashSet<&str> = rows.iter().map(|(n, _, _)| *n).collect();
    assert_eq!(names.len(), rows.len());
}

/// The accept path returns the verified claims, `aud` in the form it was sent.
#[rstest]
#[case::string(json!(AUDIENCE))]
#[case::array(json!(["https://other.example", AUDIENCE]))]
fn accepted_claims_are_returned(#[case] aud: serde_json::Value) {
    let sent = claims(&json!({"aud": aud}));
    let token = mint(&json!({}), &sent);
    let got = row(token).verify().expect("accepted");
    assert_eq!(serde_json::Value::Object(got.into_map()), sent);
}

/// Every reason's ID reads back as that reason and is its `Display`; unknown IDs are none.
#[test]
fn reason_ids_round_trip() {
    for &reason in Reason::ALL {
        assert_eq!(Reason::from_id(reason.id()), Some(reason));
        assert_eq!(reason.to_string(), reason.id());
    }
    assert_eq!(Reason::from_id("no_such_reason"), None);
}

/// One row of the table of `docs/reasons.md`: `| stage | `id` | M-ID | fires when |`.
#[derive(Clone, Debug, PartialEq)]
struct DocRow {
    stage: String,
    id: String,
    /// `None` for the table's `—`.
    m_id: Option<String>,
}

/// The rows of the reason table of a `docs/reasons.md` text, in order: the table lines whose
/// second cell is a backquoted ID.
fn doc_rows(doc: &str) -> Vec<DocRow> {
    doc.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line
                .trim()
                .strip_prefix('|')?
                .split('|')
                .map(str::trim)
                .collect();
            let id = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            let m_id = *cells.get(2)?;
            Some(DocRow {
                stage: cells[0].to_owned(),
                id: id.to_owned(),
                m_id: (m_id != "—").then(|| m_id.to_owned()),
            })
        })
        .collect()
}

/// The stage's name in `docs/reasons.md` (`Stage::Claims` is `claims`).
fn stage_name(reason: Reason) -> String {
    format!("{:?}", reason.stage()).to_lowercase()
}

/// How a `docs/reasons.md` text differs from `Reason::ALL`, one line per difference (empty when
/// they agree). Both ways: a reason the doc lacks, a doc ID that is no reason. A reason's first
/// row gives its place, stage and M-ID; a later row of the same ID (a reason raised again at a
/// later stage, as `duplicate_json_keys` is for the payload) must carry the same M-ID. The doc's
/// stages run in pipeline order.
fn catalog_differences(doc: &str) -> Vec<String> {
    let rows = doc_rows(doc);
    let mut out = Vec::new();
    let mut first: HashMap<&str, &DocRow> = HashMap::new();
    let mut doc_order = Vec::new();
    for row in &rows {
        if Reason::from_id(&row.id).is_none() {
            out.push(format!(
                "docs/reasons.md lists `{}`, which is not in Reason::ALL",
                row.id
            ));
        }
        match first.get(row.id.as_str()) {
            None => {
                first.insert(&row.id, row);
                doc_order.push(row.id.as_str());
            }
            Some(earlier) if earlier.m_id != row.m_id => out.push(format!(
                "docs/reasons.md lists `{}` twice, with M-IDs {:?} and {:?}",
                row.id, earlier.m_id, row.m_id
            )),
            Some(_) => {}
        }
    }
    for &reason in Reason::ALL {
        let Some(row) = first.get(reason.id()) else {
            out.push(format!(
                "Reason::ALL has `{}`, which docs/reasons.md lacks",
                reason.id()
            ));
            continue;
        };
        if row.stage != stage_name(reason) {
            out.push(format!(
                "`{}`: stage {} in docs/reasons.md, {} in the code",
                reason.id(),
                row.stage,
                stage_name(reason)
            ));
        }
        if row.m_id.as_deref() != reason.m_id() {
            out.push(format!(
                "`{}`: M-ID {:?} in docs/reasons.md, {:?} in the code",
                reason.id(),
                row.m_id,
                reason.m_id()
            ));
        }
    }
    // The order of the IDs both sides know (a missing or unknown one is reported above).
    let doc_shared: Vec<&str> = doc_order
        .into_iter()
        .filter(|id| Reason::from_id(id).is_some())
        .collect();
    let code_shared: Vec<&str> = Reason::ALL
        .iter()
        .map(|r| r.id())
        .filter(|id| first.contains_key(id))
        .collect();
    if doc_shared != code_shared {
        out.push(format!(
            "order differs:\n  docs/reasons.md: {}\n  Reason::ALL:     {}",
            doc_shared.join(", "),
            code_shared.join(", ")
        ));
    }
    // Stages in pipeline order: `Stage`'s order, named as the doc names them.
    let pipeline: Vec<String> = Reason::ALL.iter().map(|&r| stage_name(r)).collect();
    let rank = |stage: &str| pipeline.iter().position(|s| s == stage);
    for pair in rows.windows(2) {
        match (rank(&pair[0].stage), rank(&pair[1].stage)) {
            (Some(a), Some(b)) if a > b => out.push(format!(
                "docs/reasons.md: stage {} (`{}`) after stage {} (`{}`)",
                pair[1].stage, pair[1].id, pair[0].stage, pair[0].id
            )),
            (_, None) => out.push(format!(
                "docs/reasons.md: `{}` has an unknown stage {:?}",
                pair[1].id, pair[1].stage
            )),
            _ => {}
        }
    }
    out
}

fn reasons_md() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/reasons.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `Reason::ALL` is the table of `docs/reasons.md`, both ways: the same IDs, in the same order,
/// with the same stages and M-IDs.
#[test]
fn the_catalog_is_docs_reasons_md() {
    let doc = reasons_md();
    assert_eq!(
        doc_rows(&doc).first().map(|r| r.id.as_str()),
        Some(Reason::ALL[0].id())
    );
    let differences = catalog_differences(&doc);
    assert!(
        differences.is_empty(),
        "Reason::ALL and docs/reasons.md differ:\n{}",
        differences.join("\n")
    );
}

/// `doc` with the lines starting with `a` and `b` swapped.
fn swap_lines(doc: &str, a: &str, b: &str) -> String {
    let mut lines: Vec<&str> = doc.lines().collect();
    let at = |p: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(p))
            .expect("the line")
    };
    let (i, j) = (at(a), at(b));
    lines.swap(i, j);
    lines.join("\n")
}

/// The comparison names each kind of difference: a missing row, an unknown ID, a swapped pair,
/// a wrong stage, a wrong M-ID.
#[rstest]
#[case::reason_missing(|d: &str| d.replace("| claims | `expired` | M18 |", "| claims | x | M18 |"), "which docs/reasons.md lacks")]
#[case::unknown_id(|d: &str| d.replace("| claims | `expired` |", "| claims | `expired` |\n| claims | `expired_twice` | M18 | x |\n| claims | `expired` |"), "`expired_twice`, which is not in Reason::ALL")]
#[case::swapped(|d: &str| swap_lines(d, "| header | `header_jku` |", "| header | `header_x5u` |"), "order differs")]
#[case::stage(|d: &str| d.replace("| key | `kid_unknown`", "| header | `kid_unknown`"), "stage header in docs/reasons.md, key in the code")]
#[case::stage_order(|d: &str| d.replace("| size | `oversized_token`", "| state | `oversized_token`"), "stage form (`jws_json_rejected`) after stage state")]
#[case::m_id(|d: &str| d.replace("| `expired` | M18 |", "| `expired` | M81 |"), "M-ID Some(\"M81\")")]
#[case::m_id_of_a_repeat(|d: &str| d.replace("| payload | `duplicate_json_keys` | M32", "| payload | `duplicate_json_keys` | —"), "twice")]
fn a_differing_doc_is_named(#[case] edit: fn(&str) -> String, #[case] expected: &str) {
    let doc = reasons_md();
    let edited = edit(&doc);
    assert_ne!(edited, doc, "the edit applies");
    let differences = catalog_differences(&edited);
    assert!(
        differences.iter().any(|d| d.contains(expected)),
        "expected {expected:?} in {differences:#?}"
    );
}

/// The documented high-S policy: both s and n − s verify.
#[test]
fn high_s_policy_accepts_both_forms() {
    let token = baseline();
    let (r, s) = signature_rs(&token);
    let flipped = with_segment(&token, 2, |seg| {
        *seg = b64(rs(r, sub_be(&ORDER_N, &s)));
    });
    assert_ne!(flipped, token);
    assert_eq!(row(token).outcome(), ACCEPT);
    assert_eq!(row(flipped).outcome(), ACCEPT);
    let (_, high) = signature_rs(&high_s_token());
    assert!(is_high(&high));
}
