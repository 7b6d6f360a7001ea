//! Keys of every family, end to end through `Verifier::verify` and `KeySet::for_algorithms`
//! (`src/jwks.rs`, `rules/key.rs`): a key verifies only its own family's algorithms and, with a
//! JWK `alg` member, only that one (`key_alg_mismatch`); RSA keys under 2048 bits and secrets
//! shorter than the hash never verify (`key_too_weak`); a set mixing every family loads when
//! the profile's algorithms use every key and is refused, with the existing codes, when one
//! cannot be used; under `oidc-id-token` a token without `kid` takes the one usable key. Plus
//! the signature forms every backend refuses whatever the key (wrong RSA length, non-canonical
//! Ed25519 S, truncated MAC), and `Debug` without key material.

mod common;

use std::sync::Arc;

use common::*;
use forge::{Alg, AnyKey, RsaId};
use proptest::prelude::*;
use rstest::rstest;
use serde_json::{Value, json};
use verifier::Algorithm::{ES256, ES384, ES512, EdDSA, HS256, PS256, RS256, RS384};
use verifier::Reason::{self, *};
use verifier::rules::signature::check_signature;
use verifier::{Algorithm, Backend, ConfigCode, KeyFamily, KeySet, PublicKey, Verifier};

/// Every algorithm's name: a profile allowing all of them takes a key of any family.
fn all_algorithms() -> Value {
    json!(Algorithm::ALL.map(Algorithm::name))
}

/// forge's name for the verifier's algorithm (forge keeps its own type).
fn forge_alg(alg: Algorithm) -> Alg {
    Alg::from_name(alg.name()).expect("forge signs every algorithm")
}

/// A key of `family` derived from `name` (RSA: the stored 2048-bit key; oct: 64 bytes, enough
/// for every HS* algorithm).
fn key_of(family: KeyFamily, name: &str) -> AnyKey {
    match family {
        KeyFamily::P256 => AnyKey::P256(forge::key(name)),
        KeyFamily::P384 => AnyKey::P384(forge::p384_key(name)),
        KeyFamily::P521 => AnyKey::P521(forge::p521_key(name)),
        KeyFamily::Rsa => AnyKey::Rsa(RsaId::Rsa2048.key()),
        KeyFamily::Ed25519 => AnyKey::Ed25519(forge::ed25519_key(name)),
        KeyFamily::Oct => AnyKey::Oct(forge::secret(name, 64)),
    }
}

/// The baseline claims under a header naming `alg` and `kid` (none when `None`), signed with
/// `key`.
fn token(alg: Algorithm, key: &AnyKey, kid: Option<&str>) -> String {
    let hdr = header(&json!({ "alg": alg.name(), "kid": kid }));
    Token::new(&hdr, &claims(&json!({}))).sign_with(forge_alg(alg), key)
}

/// The outcome of `token` under the default profile patched with `profile_patch`, over `jwks`
/// loaded for the profile's algorithms.
fn verify(profile_patch: &Value, jwks: &Value, token: &str) -> Result<(), Reason> {
    let profile = profile_from(&profile_json(profile_patch)).expect("profile");
    let keys =
        KeySet::for_algorithms(jwks.to_string().as_bytes(), &profile.algorithms).expect("key set");
    let verifier = Verifier::new(profile, keys).expect("verifier");
    verifier
        .verify(token.as_bytes(), NOW)
        .map(drop)
        .map_err(|r| r.reason)
}

/// The number of keys loaded, or the refusal's code.
fn load(algorithms: &[Algorithm], jwks: &Value) -> Result<usize, ConfigCode> {
    KeySet::for_algorithms(jwks.to_string().as_bytes(), algorithms)
        .map(|k| k.len())
        .map_err(|e| e.code())
}

// ---------------------------------------------------------------------------------------------
// Key binding

/// Every algorithm against a key of every family under the token's `kid`: the token is signed
/// with the algorithm's own key of that name, which is the set's key exactly when the families
/// agree; any other family is `key_alg_mismatch`, never a signature check.
#[rstest]
fn a_key_verifies_only_its_own_familys_algorithms(
    #[values(
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::EdDSA,
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512
    )]
    alg: Algorithm,
    #[values(
        KeyFamily::P256,
        KeyFamily::P384,
        KeyFamily::P521,
        KeyFamily::Rsa,
        KeyFamily::Ed25519,
        KeyFamily::Oct
    )]
    family: KeyFamily,
) {
    let jwks = jwks_any(&[("k", &key_of(family, "k"), None)]);
    let token = token(alg, &key_of(alg.family(), "k"), Some("k"));
    let expected = if family == alg.family() {
        Ok(())
    } else {
        Err(KeyAlgMismatch)
    };
    let profile = json!({ "algorithms": all_algorithms() });
    assert_eq!(verify(&profile, &jwks, &token), expected);
}

/// Algorithm confusion (CVE-2015-9235 and kin): an HMAC over the token keyed with a public
/// key's PEM or DER, under that key's `kid`, is refused by the key binding.
#[rstest]
fn an_hmac_keyed_with_a_public_key_is_key_alg_mismatch(
    #[values(Algorithm::HS256, Algorithm::HS384, Algorithm::HS512)] alg: Algorithm,
    #[values(
        KeyFamily::P256,
        KeyFamily::P384,
        KeyFamily::P521,
        KeyFamily::Rsa,
        KeyFamily::Ed25519
    )]
    family: KeyFamily,
    #[values(true, false)] pem: bool,
) {
    let public = key_of(family, "k");
    let secret = if pem {
        public.public_pem().expect("a public key").into_bytes()
    } else {
        public.public_der().expect("a public key")
    };
    let jwks = jwks_any(&[("k", &public, None)]);
    let token = token(alg, &AnyKey::Oct(secret), Some("k"));
    let profile = json!({ "algorithms": all_algorithms() });
    assert_eq!(verify(&profile, &jwks, &token), Err(KeyAlgMismatch));
}

/// A JWK `alg` member binds the key to that algorithm (RFC 7517 §4.4).
#[rstest]
#[case::rsa_same(KeyFamily::Rsa, Alg::RS256, Algorithm::RS256, Ok(()))]
#[case::rsa_pss_member_pkcs1_token(
    KeyFamily::Rsa,
    Alg::PS256,
    Algorithm::RS256,
    Err(KeyAlgMismatch)
)]
#[case::rsa_pkcs1_member_pss_token(
    KeyFamily::Rsa,
    Alg::RS256,
    Algorithm::PS256,
    Err(KeyAlgMismatch)
)]
#[case::rsa_other_hash(KeyFamily::Rsa, Alg::RS512, Algorithm::RS384, Err(KeyAlgMismatch))]
#[case::oct_same(KeyFamily::Oct, Alg::HS256, Algorithm::HS256, Ok(()))]
#[case::oct_other_hash(KeyFamily::Oct, Alg::HS512, Algorithm::HS256, Err(KeyAlgMismatch))]
#[case::p256_same(KeyFamily::P256, Alg::ES256, Algorithm::ES256, Ok(()))]
#[case::ed25519_same(KeyFamily::Ed25519, Alg::EdDSA, Algorithm::EdDSA, Ok(()))]
fn a_jwk_alg_member_must_be_the_tokens_alg(
    #[case] family: KeyFamily,
    #[case] member: Alg,
    #[case] alg: Algorithm,
    #[case] expected: Result<(), Reason>,
) {
    let key = key_of(family, "k");
    let jwks = jwks_any(&[("k", &key, Some(member))]);
    let profile = json!({ "algorithms": all_algorithms() });
    assert_eq!(
        verify(&profile, &jwks, &token(alg, &key, Some("k"))),
        expected
    );
}

// ---------------------------------------------------------------------------------------------
// Key strength

fn rsa(id: RsaId) -> AnyKey {
    AnyKey::Rsa(id.key())
}

fn secret(len: usize) -> AnyKey {
    AnyKey::Oct(forge::secret("s", len))
}

/// RSA under 2048 bits (RFC 7518 §3.3) and HMAC secrets shorter than the hash (§3.2) load,
/// and never verify: strength is judged with the token's algorithm.
#[rstest]
#[case::rsa_1024_rs256(rsa(RsaId::Weak1024), Algorithm::RS256, Err(KeyTooWeak))]
#[case::rsa_1024_ps256(rsa(RsaId::Weak1024), Algorithm::PS256, Err(KeyTooWeak))]
#[case::rsa_2048(rsa(RsaId::Rsa2048), Algorithm::RS256, Ok(()))]
#[case::rsa_3072(rsa(RsaId::Rsa3072), Algorithm::PS384, Ok(()))]
#[case::rsa_4096(rsa(RsaId::Rsa4096), Algorithm::RS512, Ok(()))]
#[case::rsa_e3(rsa(RsaId::E3), Algorithm::RS256, Ok(()))]
#[case::hs256_31(secret(31), Algorithm::HS256, Err(KeyTooWeak))]
#[case::hs256_32(secret(32), Algorithm::HS256, Ok(()))]
#[case::hs384_47(secret(47), Algorithm::HS384, Err(KeyTooWeak))]
#[case::hs384_48(secret(48), Algorithm::HS384, Ok(()))]
#[case::hs512_63(secret(63), Algorithm::HS512, Err(KeyTooWeak))]
#[case::hs512_64(secret(64), Algorithm::HS512, Ok(()))]
#[case::hs512_with_a_32_byte_secret(secret(32), Algorithm::HS512, Err(KeyTooWeak))]
#[case::hs256_1(secret(1), Algorithm::HS256, Err(KeyTooWeak))]
fn weak_keys_never_verify(
    #[case] key: AnyKey,
    #[case] alg: Algorithm,
    #[case] expected: Result<(), Reason>,
) {
    let jwks = jwks_any(&[("k", &key, None)]);
    let profile = json!({ "algorithms": all_algorithms() });
    assert_eq!(
        verify(&profile, &jwks, &token(alg, &key, Some("k"))),
        expected
    );
}

/// The key rules run in order before the signature: family, then strength, then signature.
#[rstest]
#[case::strength_before_signature(Algorithm::RS256, true, Err(KeyTooWeak))]
#[case::family_before_strength(Algorithm::HS256, false, Err(KeyAlgMismatch))]
fn key_rules_run_before_the_signature(
    #[case] alg: Algorithm,
    #[case] broken_signature: bool,
    #[case] expected: Result<(), Reason>,
) {
    let weak = rsa(RsaId::Weak1024);
    let jwks = jwks_any(&[("k", &weak, None)]);
    let signer = if alg.is_hmac() { secret(64) } else { weak };
    let mut token = token(alg, &signer, Some("k"));
    if broken_signature {
        token = with_segment(&token, 2, |s| *s = b64([0u8; 128]));
    }
    let profile = json!({ "algorithms": all_algorithms() });
    assert_eq!(verify(&profile, &jwks, &token), expected);
}

// ---------------------------------------------------------------------------------------------
// Mixed sets

/// A set with one key of each kind the done-when names: EC P-256, RSA, OKP, oct.
fn mixed() -> Value {
    jwks_any(&[
        ("ec", &key_of(KeyFamily::P256, "ec"), None),
        ("rsa", &key_of(KeyFamily::Rsa, "rsa"), None),
        ("okp", &key_of(KeyFamily::Ed25519, "okp"), None),
        ("oct", &key_of(KeyFamily::Oct, "oct"), None),
    ])
}

fn one(family: KeyFamily, alg: Option<Alg>) -> Value {
    jwks_any(&[("k", &key_of(family, "k"), alg)])
}

/// A set loads when the algorithms use every key in it, and is refused whole, with the codes
/// today's sets get, when one key is of no use: a key the verifier can never use is a
/// configuration mistake, not something to skip.
#[rstest]
#[case::mixed_under_four_families(&[RS256, ES256, EdDSA, HS256], mixed(), Ok(4))]
#[case::mixed_under_es256(&[ES256], mixed(), Err(ConfigCode::KeyWrongKty))]
#[case::mixed_without_hmac(&[RS256, ES256, EdDSA], mixed(), Err(ConfigCode::KeyPrivateMember))]
#[case::mixed_without_eddsa(&[RS256, ES256, HS256], mixed(), Err(ConfigCode::KeyWrongKty))]
#[case::oct_under_es256(&[ES256], one(KeyFamily::Oct, None), Err(ConfigCode::KeyPrivateMember))]
#[case::oct_under_hs256(&[HS256], one(KeyFamily::Oct, None), Ok(1))]
#[case::rsa_under_es256(&[ES256], one(KeyFamily::Rsa, None), Err(ConfigCode::KeyWrongKty))]
#[case::p384_under_es256(&[ES256], one(KeyFamily::P384, None), Err(ConfigCode::KeyWrongCrv))]
#[case::p384_under_es384(&[ES384], one(KeyFamily::P384, None), Ok(1))]
#[case::p521_under_es256_es384(&[ES256, ES384], one(KeyFamily::P521, None), Err(ConfigCode::KeyWrongCrv))]
#[case::p521_under_es512(&[ES512], one(KeyFamily::P521, None), Ok(1))]
#[case::p256_under_es384(&[ES384], one(KeyFamily::P256, None), Err(ConfigCode::KeyWrongCrv))]
#[case::ed25519_under_eddsa(&[EdDSA], one(KeyFamily::Ed25519, None), Ok(1))]
#[case::rsa_alg_member_of_another_family(&[RS256, ES256], one(KeyFamily::Rsa, Some(Alg::ES256)), Err(ConfigCode::KeyWrongAlg))]
#[case::rsa_alg_member_not_allowed(&[RS256], one(KeyFamily::Rsa, Some(Alg::RS384)), Err(ConfigCode::KeyWrongAlg))]
#[case::rsa_alg_member_allowed(&[RS256, RS384], one(KeyFamily::Rsa, Some(Alg::RS384)), Ok(1))]
#[case::oct_alg_member_of_another_hash(&[HS256], one(KeyFamily::Oct, Some(Alg::HS512)), Err(ConfigCode::KeyWrongAlg))]
fn a_set_loads_when_the_algorithms_use_every_key(
    #[case] algorithms: &[Algorithm],
    #[case] jwks: Value,
    #[case] expected: Result<usize, ConfigCode>,
) {
    assert_eq!(load(algorithms, &jwks), expected);
}

/// `from_jwks_json` is `for_algorithms` with ES256 alone, today's behaviour.
#[rstest]
#[case::baseline(baseline_jwks())]
#[case::mixed(mixed())]
#[case::oct(one(KeyFamily::Oct, None))]
#[case::p384(one(KeyFamily::P384, None))]
fn from_jwks_json_means_es256(#[case] jwks: Value) {
    let bytes = jwks.to_string();
    let old = KeySet::from_jwks_json(bytes.as_bytes()).map_err(|e| e.code());
    let new = KeySet::for_algorithms(bytes.as_bytes(), &[ES256]).map_err(|e| e.code());
    assert_eq!(old.map(|k| k.len()), new.map(|k| k.len()));
}

/// The first key of `mixed()` of `kty`, with its members patched (RFC 7386).
fn patched_key(kty: &str, patch: Value) -> Value {
    let jwks = mixed();
    let mut key = jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| k["kty"] == kty)
        .expect("a key of that kty")
        .clone();
    merge(&mut key, &patch);
    json!({ "keys": [key] })
}

/// An Ed25519 `x` that is no point: the first y ≥ 2 that does not decompress.
fn not_a_point() -> String {
    (2u8..)
        .map(|y| {
            let mut bytes = [0u8; 32];
            bytes[0] = y;
            bytes
        })
        .find(|b| ed25519_dalek::VerifyingKey::from_bytes(b).is_err())
        .map(b64)
        .expect("some y is not on the curve")
}

/// A non-canonical encoding (y + p) of a point that is canonical and not of small order.
fn non_canonical_point() -> String {
    // p = 2^255 − 19, little-endian.
    let mut p = [0xffu8; 32];
    p[0] = 0xed;
    p[31] = 0x7f;
    (2u8..19)
        .find(|&y| {
            let mut bytes = [0u8; 32];
            bytes[0] = y;
            ed25519_dalek::VerifyingKey::from_bytes(&bytes).is_ok_and(|k| !k.is_weak())
        })
        .map(|y| {
            let mut bytes = p;
            bytes[0] = p[0] + y;
            b64(bytes)
        })
        .expect("some small y is a point of large order")
}

/// Material of each new kind, each defect named by the existing codes.
#[rstest]
#[case::rsa_n_leading_zero(patched_key("RSA", json!({"n": b64([&[0u8][..], &RsaId::Rsa2048.key().n()].concat())})), Err(ConfigCode::KeyBadRsaParams))]
#[case::rsa_n_missing(patched_key("RSA", json!({"n": null})), Err(ConfigCode::KeyBadRsaParams))]
#[case::rsa_n_not_canonical(patched_key("RSA", json!({"n": format!("{}=", b64(RsaId::Rsa2048.key().n()))})), Err(ConfigCode::KeyBadRsaParams))]
#[case::rsa_n_even(patched_key("RSA", json!({"n": b64({ let mut n = RsaId::Rsa2048.key().n(); *n.last_mut().expect("n") &= 0xfe; n })})), Err(ConfigCode::KeyBadRsaParams))]
#[case::rsa_n_over_16384_bits(patched_key("RSA", json!({"n": b64([0xffu8; 2049])})), Err(ConfigCode::KeyBadRsaParams))]
#[case::rsa_n_1024_bits_loads(patched_key("RSA", json!({"n": b64(RsaId::Weak1024.key().n())})), Ok(1))]
#[case::rsa_n_16384_bits_loads(patched_key("RSA", json!({"n": b64([0xffu8; 2048])})), Ok(1))]
#[case::rsa_e_3(patched_key("RSA", json!({"e": "Aw"})), Ok(1))]
#[case::rsa_e_1(patched_key("RSA", json!({"e": "AQ"})), Err(ConfigCode::KeyBadRsaParams))]
#[case::rsa_e_even(patched_key("RSA", json!({"e": "AQAA"})), Err(ConfigCode::KeyBadRsaParams))]
#[case::rsa_e_leading_zero(patched_key("RSA", json!({"e": "AAEAAQ"})), Err(ConfigCode::KeyBadRsaParams))]
#[case::rsa_e_2_pow_33_plus_1(patched_key("RSA", json!({"e": b64([2u8, 0, 0, 0, 1])})), Err(ConfigCode::KeyBadRsaParams))]
#[case::rsa_e_2_pow_33_minus_1(patched_key("RSA", json!({"e": b64([1u8, 0xff, 0xff, 0xff, 0xff])})), Ok(1))]
#[case::rsa_e_not_a_string(patched_key("RSA", json!({"e": 65537})), Err(ConfigCode::KeyBadRsaParams))]
#[case::oct_k_empty(patched_key("oct", json!({"k": ""})), Err(ConfigCode::KeyBadSecret))]
#[case::oct_k_missing(patched_key("oct", json!({"k": null})), Err(ConfigCode::KeyBadSecret))]
#[case::oct_k_not_canonical(patched_key("oct", json!({"k": "AB"})), Err(ConfigCode::KeyBadSecret))]
#[case::oct_k_one_byte_loads(patched_key("oct", json!({"k": "AA"})), Ok(1))]
#[case::okp_x_31_bytes(patched_key("OKP", json!({"x": b64([9u8; 31])})), Err(ConfigCode::KeyBadCoordinate))]
#[case::okp_x_missing(patched_key("OKP", json!({"x": null})), Err(ConfigCode::KeyBadCoordinate))]
#[case::okp_x_not_a_point(patched_key("OKP", json!({"x": not_a_point()})), Err(ConfigCode::KeyNotOnCurve))]
#[case::okp_x_identity(patched_key("OKP", json!({"x": b64({ let mut b = [0u8; 32]; b[0] = 1; b })})), Err(ConfigCode::KeyNotOnCurve))]
#[case::okp_x_non_canonical(patched_key("OKP", json!({"x": non_canonical_point()})), Err(ConfigCode::KeyNotOnCurve))]
#[case::okp_crv_x25519(patched_key("OKP", json!({"crv": "X25519"})), Err(ConfigCode::KeyWrongCrv))]
#[case::okp_private_d(patched_key("OKP", json!({"d": b64([1u8; 32])})), Err(ConfigCode::KeyPrivateMember))]
#[case::rsa_private_p(patched_key("RSA", json!({"p": "AQ"})), Err(ConfigCode::KeyPrivateMember))]
#[case::rsa_k_member(patched_key("RSA", json!({"k": "AQ"})), Err(ConfigCode::KeyPrivateMember))]
fn key_material_of_every_kind_is_validated(
    #[case] jwks: Value,
    #[case] expected: Result<usize, ConfigCode>,
) {
    assert_eq!(load(&[RS256, ES256, EdDSA, HS256], &jwks), expected);
}

/// NIST curves beyond P-256: exact coordinate sizes, points on the curve.
#[rstest]
#[case::p384_x_32_bytes(KeyFamily::P384, ES384, json!({"x": b64([1u8; 32])}), Err(ConfigCode::KeyBadCoordinate))]
#[case::p384_off_curve(KeyFamily::P384, ES384, json!({"y": b64([1u8; 48])}), Err(ConfigCode::KeyNotOnCurve))]
#[case::p521_x_65_bytes(KeyFamily::P521, ES512, json!({"x": b64([1u8; 65])}), Err(ConfigCode::KeyBadCoordinate))]
#[case::p521_off_curve(KeyFamily::P521, ES512, json!({"y": b64([1u8; 66])}), Err(ConfigCode::KeyNotOnCurve))]
#[case::p521_valid(KeyFamily::P521, ES512, json!({}), Ok(1))]
fn ec_keys_of_every_curve_are_validated(
    #[case] family: KeyFamily,
    #[case] alg: Algorithm,
    #[case] patch: Value,
    #[case] expected: Result<usize, ConfigCode>,
) {
    let mut jwks = one(family, None);
    merge(&mut jwks["keys"][0], &patch);
    assert_eq!(load(&[alg], &jwks), expected);
}

// ---------------------------------------------------------------------------------------------
// OIDC: tokens without kid

fn oidc(algorithms: &[Algorithm]) -> Value {
    json!({
        "preset": "oidc-id-token",
        "client_id": AUDIENCE,
        "algorithms": algorithms.iter().map(|a| a.name()).collect::<Vec<_>>(),
    })
}

/// OIDC Core §10.1 (and RFC 7515 §4.1.4 under `jwt`): without `kid`, the one key usable for the
/// token's `alg`; several are `kid_ambiguous`, none `kid_unknown`; `rfc9068` requires `kid`.
#[rstest]
#[case::one_rsa_beside_ec(oidc(&[RS256, ES256]), jwks_any(&[("ec", &key_of(KeyFamily::P256, "ec"), None), ("rsa", &rsa(RsaId::Rsa2048), None)]), rsa(RsaId::Rsa2048), Ok(()))]
#[case::two_rsa(oidc(&[RS256]), jwks_any(&[("a", &rsa(RsaId::Rsa2048), None), ("b", &rsa(RsaId::Rsa3072), None)]), rsa(RsaId::Rsa2048), Err(KidAmbiguous))]
#[case::other_rsa_restricted_to_pss(oidc(&[RS256, PS256]), jwks_any(&[("a", &rsa(RsaId::Rsa2048), None), ("b", &rsa(RsaId::Rsa3072), Some(Alg::PS256))]), rsa(RsaId::Rsa2048), Ok(()))]
#[case::no_rsa(oidc(&[RS256, ES256]), jwks_any(&[("ec", &key_of(KeyFamily::P256, "ec"), None)]), rsa(RsaId::Rsa2048), Err(KidUnknown))]
#[case::weak_rsa(oidc(&[RS256]), jwks_any(&[("a", &rsa(RsaId::Weak1024), None)]), rsa(RsaId::Weak1024), Err(KeyTooWeak))]
#[case::rfc9068_preset(json!({"algorithms": ["RS256"]}), jwks_any(&[("a", &rsa(RsaId::Rsa2048), None)]), rsa(RsaId::Rsa2048), Err(KidUnknown))]
#[case::jwt_preset(json!({"preset": "jwt", "algorithms": ["RS256"]}), jwks_any(&[("a", &rsa(RsaId::Rsa2048), None)]), rsa(RsaId::Rsa2048), Ok(()))]
#[case::jwt_preset_two_rsa(json!({"preset": "jwt", "algorithms": ["RS256"]}), jwks_any(&[("a", &rsa(RsaId::Rsa2048), None), ("b", &rsa(RsaId::Rsa3072), None)]), rsa(RsaId::Rsa2048), Err(KidAmbiguous))]
fn oidc_takes_the_one_usable_key_without_kid(
    #[case] profile: Value,
    #[case] jwks: Value,
    #[case] signer: AnyKey,
    #[case] expected: Result<(), Reason>,
) {
    assert_eq!(
        verify(&profile, &jwks, &token(RS256, &signer, None)),
        expected
    );
}

/// The done-when, on the library: a genuine RS256 ID token is accepted under
/// `oidc-id-token` from a set holding RSA, EC, OKP and oct keys, and the same claims re-signed
/// as HS256 with the RSA key's PEM under the RSA key's `kid` are `key_alg_mismatch`.
#[rstest]
#[case::rs256(RS256, rsa(RsaId::Rsa2048), Some("rsa"), Ok(()))]
#[case::rs256_without_kid(RS256, rsa(RsaId::Rsa2048), None, Ok(()))]
#[case::es256(ES256, key_of(KeyFamily::P256, "ec"), Some("ec"), Ok(()))]
#[case::eddsa(EdDSA, key_of(KeyFamily::Ed25519, "okp"), Some("okp"), Ok(()))]
#[case::hs256(HS256, key_of(KeyFamily::Oct, "oct"), Some("oct"), Ok(()))]
#[case::hs256_with_the_rsa_pem(HS256, AnyKey::Oct(rsa(RsaId::Rsa2048).public_pem().expect("PEM").into_bytes()), Some("rsa"), Err(KeyAlgMismatch))]
#[case::hs256_with_the_rsa_der(HS256, AnyKey::Oct(rsa(RsaId::Rsa2048).public_der().expect("DER")), Some("rsa"), Err(KeyAlgMismatch))]
#[case::hs256_with_the_rsa_pem_without_kid(HS256, AnyKey::Oct(rsa(RsaId::Rsa2048).public_pem().expect("PEM").into_bytes()), None, Err(SignatureInvalid))]
fn an_oidc_verifier_over_a_set_of_every_kind(
    #[case] alg: Algorithm,
    #[case] signer: AnyKey,
    #[case] kid: Option<&str>,
    #[case] expected: Result<(), Reason>,
) {
    let profile = oidc(&[RS256, ES256, EdDSA, HS256]);
    assert_eq!(
        verify(&profile, &mixed(), &token(alg, &signer, kid)),
        expected
    );
}

/// A fetched set is loaded for the algorithms the source is given: by default ES256, so the
/// mixed set is unusable (`key_source_unavailable`); with the profile's algorithms it serves
/// every key, and a token without `kid` too.
#[rstest]
#[case::default_es256(None, Some("rsa"), Err(KeySourceUnavailable))]
#[case::profile_algorithms(Some(&[RS256, ES256, EdDSA, HS256][..]), Some("rsa"), Ok(()))]
#[case::without_kid(Some(&[RS256, ES256, EdDSA, HS256][..]), None, Ok(()))]
fn a_caching_source_loads_for_its_algorithms(
    #[case] algorithms: Option<&[Algorithm]>,
    #[case] kid: Option<&str>,
    #[case] expected: Result<(), Reason>,
) {
    let fetch = ScriptedFetch::serving(&mixed());
    let mut source = fetch.source();
    if let Some(algorithms) = algorithms {
        source = source.algorithms(algorithms);
    }
    let profile = profile_from(&profile_json(&oidc(&[RS256, ES256, EdDSA, HS256])));
    let verifier = Verifier::builder(profile.expect("profile"))
        .key_source(Arc::new(source))
        .build()
        .expect("verifier");
    let token = token(RS256, &rsa(RsaId::Rsa2048), kid);
    let got = verifier.verify(token.as_bytes(), NOW).map(drop);
    assert_eq!(got.map_err(|r| r.reason), expected);
}

// ---------------------------------------------------------------------------------------------
// Signature forms, on every backend of the build

/// The verifier's key for `key`, through a one-key set.
fn public(key: &AnyKey, alg: Algorithm) -> PublicKey {
    let set = jwks_any(&[("k", key, None)]);
    let keys = KeySet::for_algorithms(set.to_string().as_bytes(), &[alg]).expect("key set");
    keys.get("k").expect("the key").clone()
}

/// `little-endian s + L`, the other S of the same Ed25519 signature a lenient verifier takes.
fn plus_l(s: &[u8]) -> Vec<u8> {
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut carry = 0u16;
    s.iter()
        .zip(L)
        .map(|(&a, b)| {
            let sum = u16::from(a) + u16::from(b) + carry;
            carry = sum >> 8;
            sum as u8
        })
        .collect()
}

/// A valid signature's form edited: how long RSA signatures must be (RFC 8017 §8.2.2 step 1),
/// that Ed25519's S is canonical (RFC 8032 §5.1.7), that a MAC is whole. The unedited
/// signature verifies, on every backend.
#[rstest]
#[case::rsa_valid(RS256, |_: &mut Vec<u8>| {}, true)]
#[case::rsa_zero_prefixed(RS256, |s: &mut Vec<u8>| s.insert(0, 0), false)]
#[case::rsa_truncated(RS256, |s: &mut Vec<u8>| s.truncate(s.len() - 1), false)]
#[case::pss_zero_prefixed(PS256, |s: &mut Vec<u8>| s.insert(0, 0), false)]
#[case::ed25519_valid(EdDSA, |_: &mut Vec<u8>| {}, true)]
#[case::ed25519_s_plus_l(EdDSA, |s: &mut Vec<u8>| { let high = plus_l(&s[32..]); s.truncate(32); s.extend(high) }, false)]
#[case::hmac_valid(HS256, |_: &mut Vec<u8>| {}, true)]
#[case::hmac_truncated(HS256, |s: &mut Vec<u8>| s.truncate(16), false)]
#[case::hmac_extended(HS256, |s: &mut Vec<u8>| s.push(0), false)]
#[case::es384_valid(ES384, |_: &mut Vec<u8>| {}, true)]
#[case::es384_as_der_length(ES384, |s: &mut Vec<u8>| s.push(0), false)]
#[case::es512_valid(ES512, |_: &mut Vec<u8>| {}, true)]
#[case::es512_r_zero(ES512, |s: &mut Vec<u8>| s[..66].fill(0), false)]
fn signature_forms(#[case] alg: Algorithm, #[case] edit: fn(&mut Vec<u8>), #[case] verifies: bool) {
    let signer = key_of(alg.family(), "k");
    let key = public(&signer, alg);
    let input = b"header.payload";
    let mut sig = forge::sign(forge_alg(alg), &signer, input);
    edit(&mut sig);
    for &backend in Backend::ALL {
        let got = check_signature(&key, alg, input, b64(&sig).as_bytes(), backend);
        let want = if verifies {
            Ok(())
        } else {
            Err(SignatureInvalid)
        };
        assert_eq!(got.map_err(|r| r.reason), want, "{}", backend.name());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Arbitrary signature segments, for every algorithm with its own key, on every backend:
    /// never a panic, always `signature_invalid` (random bytes do not verify).
    #[test]
    fn arbitrary_signatures_are_refused_without_panic(
        alg in proptest::sample::select(Algorithm::ALL.to_vec()),
        bytes in proptest::collection::vec(any::<u8>(), 0..600),
        exact_length in any::<bool>(),
    ) {
        let signer = key_of(alg.family(), "k");
        let key = public(&signer, alg);
        let mut sig = bytes;
        if exact_length {
            // The right length, so the bytes reach the backend.
            let len = forge::sign(forge_alg(alg), &signer, b"x").len();
            sig.resize(len, 0x5a);
        }
        for &backend in Backend::ALL {
            let got = check_signature(&key, alg, b"header.payload", b64(&sig).as_bytes(), backend);
            prop_assert_eq!(got.map_err(|r| r.reason), Err(SignatureInvalid));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Debug

/// `Debug` names the family, never the material: no secret, no modulus, no point.
#[rstest]
#[case::oct(KeyFamily::Oct, None, "PublicKey { family: Oct, alg: None, .. }")]
#[case::rsa(
    KeyFamily::Rsa,
    Some(Alg::PS384),
    "PublicKey { family: Rsa, alg: Some(PS384), .. }"
)]
#[case::ed25519(
    KeyFamily::Ed25519,
    None,
    "PublicKey { family: Ed25519, alg: None, .. }"
)]
#[case::p521(KeyFamily::P521, None, "PublicKey { family: P521, alg: None, .. }")]
fn debug_shows_no_key_material(
    #[case] family: KeyFamily,
    #[case] alg: Option<Alg>,
    #[case] expected: &str,
) {
    let jwks = jwks_any(&[("k", &key_of(family, "k"), alg)]);
    let keys =
        KeySet::for_algorithms(jwks.to_string().as_bytes(), &Algorithm::ALL).expect("key set");
    assert_eq!(format!("{:?}", keys.get("k").expect("key")), expected);
    assert_eq!(format!("{keys:?}"), "KeySet { keys: 1 }");
}
