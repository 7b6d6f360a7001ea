//! Configuration errors (a loosely configured verifier cannot be built), JWK Set refusals, the
//! caching key source (TTL, kid-triggered refetch, rotation, fail-closed fetches) and the
//! in-memory stores' fail-closed behaviour.

mod common;

use std::sync::Arc;

use common::*;
use rstest::rstest;
use serde_json::{Value, json};
use verifier::{
    ConfigError, FetchError, FetchResponse, JwksError, KeyDefect, KeySet, KeySource,
    KeySourceUnavailable, MemoryReplayCache, MemorySessionStore, MemorySessionVersions, Preset,
    Profile, Reason, ReplayDefense, ReplayOutcome, StoreUnavailable, Verifier,
};

// ---------------------------------------------------------------------------------------------
// Profile and builder

#[rstest]
#[case::no_issuer(json!({"issuer": null}), ConfigError::MissingIssuer)]
#[case::empty_issuer(json!({"issuer": ""}), ConfigError::MissingIssuer)]
#[case::no_audience(json!({"audiences": []}), ConfigError::MissingAudience)]
#[case::empty_audience(json!({"audiences": [""]}), ConfigError::MissingAudience)]
#[case::one_empty_audience(json!({"audiences": [AUDIENCE, ""]}), ConfigError::MissingAudience)]
#[case::no_algorithms(json!({"algorithms": []}), ConfigError::MissingAlgorithms)]
#[case::repeated_algorithm(json!({"algorithms": ["ES256", "ES256"]}), ConfigError::Invalid("algorithms must not repeat a name"))]
#[case::empty_typ(json!({"typ": ""}), ConfigError::Invalid("typ must not be empty"))]
#[case::empty_required_claim(json!({"required_claims": ["iss", ""]}), ConfigError::Invalid("required_claims must not hold an empty name"))]
#[case::repeated_required_claim(json!({"required_claims": ["iss", "iss"]}), ConfigError::Invalid("required_claims must not repeat a name"))]
#[case::client_id_under_rfc9068(json!({"client_id": "app"}), ConfigError::Invalid("client_id and nonce apply to the oidc-id-token preset only"))]
#[case::nonce_under_jwt(json!({"preset": "jwt", "nonce": "n"}), ConfigError::Invalid("client_id and nonce apply to the oidc-id-token preset only"))]
#[case::replay_without_jti(json!({"required_claims": ["exp"], "state": {"replay": true}}), ConfigError::Invalid("state.replay needs jti and exp in required_claims"))]
#[case::replay_without_exp(json!({"required_claims": ["jti"], "state": {"replay": true}}), ConfigError::Invalid("state.replay needs jti and exp in required_claims"))]
#[case::zero_token_bytes(json!({"max_token_bytes": 0}), ConfigError::Invalid("max_token_bytes must be in 1..=1048576"))]
#[case::huge_token_bytes(json!({"max_token_bytes": 1_048_577}), ConfigError::Invalid("max_token_bytes must be in 1..=1048576"))]
#[case::zero_depth(json!({"max_json_depth": 0}), ConfigError::Invalid("max_json_depth must be in 1..=64"))]
#[case::huge_depth(json!({"max_json_depth": 65}), ConfigError::Invalid("max_json_depth must be in 1..=64"))]
#[case::negative_dlg_depth(json!({"domain": {"max_dlg_depth": -1}}), ConfigError::Invalid("max_dlg_depth must not be negative"))]
#[case::inverted_admin_band(json!({"domain": {"admin_band": {"min": 200, "max": 100}}}), ConfigError::Invalid("admin_band must satisfy min <= max <= 999"))]
#[case::admin_band_past_999(json!({"domain": {"admin_band": {"min": 100, "max": 1000}}}), ConfigError::Invalid("admin_band must satisfy min <= max <= 999"))]
fn loose_profile_is_refused(#[case] patch: Value, #[case] expected: ConfigError) {
    let profile = profile_from(&profile_json(&patch)).expect("well-formed profile JSON");
    assert_eq!(profile.validate(), Err(expected.clone()));
    assert_eq!(
        build(&profile_json(&patch), &baseline_jwks()).err(),
        Some(expected)
    );
}

#[test]
fn profile_boundaries_are_accepted() {
    let patch = json!({"max_token_bytes": 1_048_576, "max_json_depth": 64,
                       "domain": {"max_dlg_depth": 0, "admin_band": {"min": 999, "max": 999}}});
    assert!(build(&profile_json(&patch), &baseline_jwks()).is_ok());
}

#[test]
fn default_profile_has_no_issuer_or_audience() {
    assert_eq!(
        Profile::default().validate(),
        Err(ConfigError::MissingIssuer)
    );
    let no_audience = Profile {
        issuer: Some(ISSUER.into()),
        ..Profile::default()
    };
    assert_eq!(no_audience.validate(), Err(ConfigError::MissingAudience));
    assert_eq!(Profile::new(ISSUER, AUDIENCE).validate(), Ok(()));
    // An empty JSON profile is the default profile: every field falls back.
    assert_eq!(Profile::from_json(b"{}"), Ok(Profile::default()));
}

#[rstest]
#[case::unknown_field(r#"{"issuer":"i","audiences":["a"],"leeway":5}"#)]
#[case::unknown_preset(r#"{"preset":"oidc"}"#)]
#[case::preset_case(r#"{"preset":"JWT"}"#)]
#[case::algorithms_null(r#"{"algorithms":null}"#)]
#[case::algorithms_string(r#"{"algorithms":"ES256"}"#)]
#[case::required_claims_null(r#"{"required_claims":null}"#)]
#[case::typ_number(r#"{"typ":1}"#)]
#[case::wrong_type(r#"{"issuer":"i","audiences":"a"}"#)]
#[case::negative_unsigned(r#"{"issuer":"i","audiences":["a"],"leeway_secs":-1}"#)]
#[case::unknown_domain_rule(r#"{"domain":{"ulid":true}}"#)]
#[case::not_json(r#"issuer = "i""#)]
#[case::string(r#""issuer""#)]
#[case::null("null")]
#[case::trailing_data(r#"{"issuer":"i"} {}"#)]
#[case::array(r#"["i", ["a"]]"#)]
fn malformed_profile_json_is_refused(#[case] text: &str) {
    match Profile::from_json(text.as_bytes()) {
        Err(ConfigError::ProfileFormat(why)) => {
            assert!(why.contains(" at line 1 column "), "position: {why}");
        }
        other => panic!("expected ProfileFormat, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Presets (docs/profile.md)

/// What a profile that states only its preset resolves to: the table of `docs/profile.md`.
#[rstest]
#[case::absent(json!({}), &["ES256"], Some("at+jwt"), &["iss", "exp", "aud", "sub", "client_id", "iat", "jti"])]
#[case::rfc9068(json!({"preset": "rfc9068"}), &["ES256"], Some("at+jwt"), &["iss", "exp", "aud", "sub", "client_id", "iat", "jti"])]
#[case::jwt(json!({"preset": "jwt"}), &[], None, &[])]
#[case::oidc_id_token(json!({"preset": "oidc-id-token"}), &["RS256"], None, &["iss", "sub", "aud", "exp", "iat"])]
fn preset_gives_its_defaults(
    #[case] json: Value,
    #[case] algorithms: &[&str],
    #[case] typ: Option<&str>,
    #[case] required: &[&str],
) {
    let profile = profile_from(&json).expect("reads");
    let names: Vec<&str> = profile.algorithms.iter().map(|a| a.name()).collect();
    assert_eq!(names, algorithms);
    assert_eq!(profile.typ.as_deref(), typ);
    assert_eq!(profile.required_claims, required);
    assert_eq!((&profile.client_id, &profile.nonce), (&None, &None));
    // Everything else is the common default, whatever the preset.
    let common = Profile::default();
    assert_eq!(
        (
            profile.max_token_bytes,
            profile.max_lifetime_secs,
            profile.iat_skew_secs
        ),
        (
            common.max_token_bytes,
            common.max_lifetime_secs,
            common.iat_skew_secs
        )
    );
    assert_eq!(Profile::for_preset(profile.preset), profile);
}

/// A stated field overrides the preset's default (and replaces it: a list is not merged);
/// `typ: null` is "no requirement", which absent is not.
#[rstest]
#[case::typ_null(json!({"typ": null}), "typ", json!(null))]
#[case::typ_absent_rfc9068(json!({}), "typ", json!("at+jwt"))]
#[case::typ_stated_under_jwt(json!({"preset": "jwt", "typ": "JWT"}), "typ", json!("JWT"))]
#[case::typ_stated_under_oidc(json!({"preset": "oidc-id-token", "typ": "application/jwt"}), "typ", json!("application/jwt"))]
#[case::algorithms_under_oidc(json!({"preset": "oidc-id-token", "algorithms": ["ES256", "EdDSA"]}), "algorithms", json!(["ES256", "EdDSA"]))]
#[case::algorithms_under_rfc9068(json!({"algorithms": ["RS256", "HS512"]}), "algorithms", json!(["RS256", "HS512"]))]
#[case::every_algorithm(json!({"preset": "jwt", "algorithms": ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA", "HS256", "HS384", "HS512"]}), "algorithms", json!(["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA", "HS256", "HS384", "HS512"]))]
#[case::required_claims_replace(json!({"required_claims": ["iss", "nonce"]}), "required_claims", json!(["iss", "nonce"]))]
#[case::required_claims_none(json!({"preset": "oidc-id-token", "required_claims": []}), "required_claims", json!([]))]
#[case::required_claims_under_jwt(json!({"preset": "jwt", "required_claims": ["exp"]}), "required_claims", json!(["exp"]))]
fn stated_field_overrides_the_preset(
    #[case] json: Value,
    #[case] field: &str,
    #[case] expected: Value,
) {
    let profile = profile_from(&json).expect("reads");
    let written = serde_json::to_value(&profile).expect("serializes");
    // `required_claims` is left out when it holds the preset's default.
    let value = written
        .get(field)
        .cloned()
        .unwrap_or_else(|| json!(profile.preset.default_required_claims()));
    assert_eq!(value, expected);
    assert_eq!(profile_from(&written), Ok(profile), "round trip");
}

/// A name outside the 13 algorithms is `unsupported_algorithms` when the profile is read,
/// under every preset; never a serde error that could quote it.
#[rstest]
fn unknown_algorithm_name_is_unsupported(
    #[values("rfc9068", "jwt", "oidc-id-token")] preset: &str,
    #[values(
        json!(["none"]),
        json!(["es256"]),
        json!(["ES256K"]),
        json!(["Ed25519"]),
        json!(["HS256", "HS1024"]),
        json!(["RS256", ""]),
        json!([256])
    )]
    algorithms: Value,
) {
    let json = json!({"preset": preset, "issuer": ISSUER, "algorithms": algorithms});
    let got = profile_from(&json);
    if algorithms[0] == json!(256) {
        // Not a name at all: a type error, like any other field of the wrong type.
        assert!(matches!(got, Err(ConfigError::ProfileFormat(_))), "{got:?}");
    } else {
        assert_eq!(got, Err(ConfigError::UnsupportedAlgorithms));
    }
}

/// Which fields each preset requires and how `oidc-id-token` ties audiences to `client_id`.
#[rstest]
#[case::jwt_needs_algorithms(json!({"preset": "jwt"}), Err(ConfigError::MissingAlgorithms))]
#[case::jwt_empty_algorithms(json!({"preset": "jwt", "algorithms": []}), Err(ConfigError::MissingAlgorithms))]
#[case::jwt_needs_no_issuer_or_audience(json!({"preset": "jwt", "algorithms": ["HS256"]}), Ok(()))]
#[case::jwt_with_issuer_and_audience(json!({"preset": "jwt", "algorithms": ["HS256"], "issuer": ISSUER, "audiences": [AUDIENCE]}), Ok(()))]
#[case::jwt_empty_issuer(json!({"preset": "jwt", "algorithms": ["HS256"], "issuer": ""}), Err(ConfigError::MissingIssuer))]
#[case::jwt_empty_audience(json!({"preset": "jwt", "algorithms": ["HS256"], "audiences": [""]}), Err(ConfigError::MissingAudience))]
#[case::rfc9068_needs_issuer(json!({"audiences": [AUDIENCE]}), Err(ConfigError::MissingIssuer))]
#[case::rfc9068_needs_audience(json!({"issuer": ISSUER}), Err(ConfigError::MissingAudience))]
#[case::oidc_minimal(json!({"preset": "oidc-id-token", "issuer": ISSUER, "client_id": "app"}), Ok(()))]
#[case::oidc_needs_issuer(json!({"preset": "oidc-id-token", "client_id": "app"}), Err(ConfigError::MissingIssuer))]
#[case::oidc_needs_client_id(json!({"preset": "oidc-id-token", "issuer": ISSUER}), Err(ConfigError::MissingClientId))]
#[case::oidc_client_id_null(json!({"preset": "oidc-id-token", "issuer": ISSUER, "client_id": null}), Err(ConfigError::MissingClientId))]
#[case::oidc_empty_client_id(json!({"preset": "oidc-id-token", "issuer": ISSUER, "client_id": ""}), Err(ConfigError::MissingClientId))]
#[case::oidc_audiences_are_the_client(json!({"preset": "oidc-id-token", "issuer": ISSUER, "client_id": "app", "audiences": ["app"]}), Ok(()))]
#[case::oidc_other_audience(json!({"preset": "oidc-id-token", "issuer": ISSUER, "client_id": "app", "audiences": [AUDIENCE]}), Err(ConfigError::Invalid("audiences must be empty or exactly [client_id] under oidc-id-token")))]
#[case::oidc_extra_audience(json!({"preset": "oidc-id-token", "issuer": ISSUER, "client_id": "app", "audiences": ["app", AUDIENCE]}), Err(ConfigError::Invalid("audiences must be empty or exactly [client_id] under oidc-id-token")))]
#[case::oidc_client_twice(json!({"preset": "oidc-id-token", "issuer": ISSUER, "client_id": "app", "audiences": ["app", "app"]}), Err(ConfigError::Invalid("audiences must be empty or exactly [client_id] under oidc-id-token")))]
#[case::oidc_nonce(json!({"preset": "oidc-id-token", "issuer": ISSUER, "client_id": "app", "nonce": "n-1"}), Ok(()))]
#[case::oidc_empty_nonce(json!({"preset": "oidc-id-token", "issuer": ISSUER, "client_id": "app", "nonce": ""}), Err(ConfigError::Invalid("nonce must not be empty")))]
#[case::oidc_empty_algorithms(json!({"preset": "oidc-id-token", "issuer": ISSUER, "client_id": "app", "algorithms": []}), Err(ConfigError::MissingAlgorithms))]
#[case::oidc_typ_null(json!({"preset": "oidc-id-token", "issuer": ISSUER, "client_id": "app", "typ": null}), Ok(()))]
fn preset_validation(#[case] json: Value, #[case] expected: Result<(), ConfigError>) {
    let profile = profile_from(&json).expect("reads");
    assert_eq!(profile.validate(), expected);
}

/// `for_preset` is what `{"preset": …}` reads as; `new` is the `rfc9068` profile with an issuer
/// and an audience.
#[test]
fn rust_constructors_match_the_json_form() {
    for preset in Preset::ALL {
        let json = json!({ "preset": preset.name() });
        assert_eq!(profile_from(&json), Ok(Profile::for_preset(preset)));
    }
    let pinned = profile_from(&json!({"issuer": ISSUER, "audiences": [AUDIENCE]}));
    assert_eq!(pinned, Ok(Profile::new(ISSUER, AUDIENCE)));
    assert_eq!(Profile::new(ISSUER, AUDIENCE).preset, Preset::Rfc9068);
}

#[rstest]
#[case::replay(json!({"state": {"replay": true}}), "replay store")]
#[case::sessions(json!({"state": {"sessions": true}}), "session store")]
#[case::session_version(json!({"state": {"session_version": true}}), "session-version store")]
fn state_rule_without_its_store_is_refused(#[case] patch: Value, #[case] store: &'static str) {
    let profile = profile_from(&profile_json(&patch)).expect("profile");
    let keys = key_set(&baseline_jwks()).expect("keys");
    let err = Verifier::new(profile.clone(), keys.clone()).expect_err("no store");
    assert_eq!(err, ConfigError::MissingStore(store));
    // With every store supplied, the same profile builds.
    let built = Verifier::builder(profile)
        .key_set(keys)
        .replay_defense(Arc::new(MemoryReplayCache::default()))
        .session_store(Arc::new(MemorySessionStore::default()))
        .session_versions(Arc::new(MemorySessionVersions::default()))
        .build();
    assert!(built.is_ok());
}

#[test]
fn no_key_source_is_refused() {
    let profile = profile_from(&profile_json(&json!({}))).expect("profile");
    assert_eq!(
        Verifier::builder(profile).build().err(),
        Some(ConfigError::NoKeys)
    );
}

// ---------------------------------------------------------------------------------------------
// Key sets

#[test]
fn empty_key_set_is_refused() {
    assert_eq!(key_set(&json!({"keys": []})), Err(JwksError::Empty));
    assert_eq!(KeySet::new(Vec::new()), Err(JwksError::Empty));
    assert_eq!(
        build(&profile_json(&json!({})), &json!({"keys": []})).err(),
        Some(ConfigError::KeySet(JwksError::Empty))
    );
}

#[rstest]
#[case::not_json(b"{\"keys\":[".to_vec(), JwksError::NotJson)]
#[case::not_an_object(b"[]".to_vec(), JwksError::NotAKeySet)]
#[case::a_string(br#""keys""#.to_vec(), JwksError::NotAKeySet)]
#[case::array_with_duplicates(br#"[{"a":1,"a":2}]"#.to_vec(), JwksError::NotAKeySet)]
#[case::not_utf8(b"{\"keys\":[\xff]}".to_vec(), JwksError::NotJson)]
#[case::no_keys_member(b"{}".to_vec(), JwksError::NotAKeySet)]
#[case::keys_not_array(br#"{"keys":{}}"#.to_vec(), JwksError::NotAKeySet)]
#[case::duplicate_member(br#"{"keys":[],"\u006beys":[]}"#.to_vec(), JwksError::DuplicateMember)]
#[case::too_large(format!("{{\"keys\":[],\"pad\":\"{}\"}}", "x".repeat(256 * 1024)).into_bytes(), JwksError::TooLarge)]
#[case::too_many_keys(json!({"keys": vec![json!({}); 257]}).to_string().into_bytes(), JwksError::TooManyKeys)]
fn malformed_jwks_is_refused(#[case] body: Vec<u8>, #[case] expected: JwksError) {
    assert_eq!(KeySet::from_jwks_json(&body), Err(expected));
}

/// The public JWK of the primary key (`kid` "primary", `use` sig, `alg` ES256), patched.
fn jwk(patch: Value) -> Value {
    let key = forge::key(KID);
    patched(forge::public_jwk(key.verifying_key(), KID), &patch)
}

/// A coordinate of the primary key, as the forge encodes it.
fn coordinate(which: usize) -> [u8; 32] {
    let (x, y) = forge::coordinates(forge::key(KID).verifying_key());
    [x, y][which]
}

/// `bytes` in base64url with a non-zero unused bit.
fn noncanonical_b64(bytes: [u8; 32]) -> String {
    let mut text = b64(bytes);
    noncanonical(&mut text);
    text
}

/// A set of a good key ("other") followed by `bad`: one bad key refuses the whole set, and the
/// error names it by position.
#[rstest]
#[case::private_d(jwk(json!({"d": b64(forge::key(KID).to_bytes())})), KeyDefect::PrivateMember)]
#[case::private_k(jwk(json!({"k": "c2VjcmV0"})), KeyDefect::PrivateMember)]
#[case::off_curve(jwk(json!({"y": b64({ let mut y = coordinate(1); y[31] ^= 1; y })})), KeyDefect::NotOnCurve)]
#[case::swapped_coordinates(jwk(json!({"x": b64(coordinate(1)), "y": b64(coordinate(0))})), KeyDefect::NotOnCurve)]
#[case::zero_point(jwk(json!({"x": b64([0u8; 32]), "y": b64([0u8; 32])})), KeyDefect::NotOnCurve)]
#[case::crv_p384(jwk(json!({"crv": "P-384", "x": b64([1u8; 48]), "y": b64([1u8; 48])})), KeyDefect::WrongCrv)]
#[case::crv_secp256k1(jwk(json!({"crv": "secp256k1"})), KeyDefect::WrongCrv)]
#[case::crv_missing(jwk(json!({"crv": null})), KeyDefect::WrongCrv)]
#[case::kty_rsa(jwk(json!({"kty": "RSA"})), KeyDefect::WrongKty)]
#[case::kty_okp(jwk(json!({"kty": "OKP", "crv": "Ed25519"})), KeyDefect::WrongKty)]
#[case::kty_lowercase(jwk(json!({"kty": "ec"})), KeyDefect::WrongKty)]
#[case::kty_missing(jwk(json!({"kty": null})), KeyDefect::WrongKty)]
#[case::use_enc(jwk(json!({"use": "enc"})), KeyDefect::WrongUse)]
#[case::use_number(jwk(json!({"use": 1})), KeyDefect::WrongUse)]
#[case::alg_es384(jwk(json!({"alg": "ES384"})), KeyDefect::WrongAlg)]
#[case::alg_hs256(jwk(json!({"alg": "HS256"})), KeyDefect::WrongAlg)]
#[case::x_31_bytes(jwk(json!({"x": b64(&coordinate(0)[1..])})), KeyDefect::BadCoordinate)]
#[case::y_33_bytes(jwk(json!({"y": b64([&[0u8][..], &coordinate(1)[..]].concat())})), KeyDefect::BadCoordinate)]
#[case::x_missing(jwk(json!({"x": null})), KeyDefect::BadCoordinate)]
#[case::y_number(jwk(json!({"y": 5})), KeyDefect::BadCoordinate)]
#[case::x_padded(jwk(json!({"x": b64(coordinate(0)) + "="})), KeyDefect::BadCoordinate)]
#[case::x_not_canonical(jwk(json!({"x": noncanonical_b64(coordinate(0))})), KeyDefect::BadCoordinate)]
#[case::kid_missing(jwk(json!({"kid": null})), KeyDefect::MissingKid)]
#[case::kid_empty(jwk(json!({"kid": ""})), KeyDefect::MissingKid)]
#[case::kid_number(jwk(json!({"kid": 1})), KeyDefect::MissingKid)]
#[case::key_ops_sign(jwk(json!({"key_ops": ["sign"]})), KeyDefect::WrongKeyOps)]
#[case::key_ops_verify_twice(jwk(json!({"key_ops": ["verify", "verify"]})), KeyDefect::WrongKeyOps)]
#[case::key_ops_sign_verify_encrypt(jwk(json!({"key_ops": ["sign", "verify", "encrypt"]})), KeyDefect::WrongKeyOps)]
#[case::key_ops_empty(jwk(json!({"key_ops": []})), KeyDefect::WrongKeyOps)]
#[case::key_ops_string(jwk(json!({"key_ops": "verify"})), KeyDefect::WrongKeyOps)]
#[case::not_an_object(json!("primary"), KeyDefect::NotAnObject)]
fn defective_key_refuses_the_set(#[case] bad: Value, #[case] why: KeyDefect) {
    let other = forge::public_jwk(forge::key("other").verifying_key(), "other");
    let jwks = json!({"keys": [other, bad]});
    let expected = JwksError::BadKey { index: 1, why };
    assert_eq!(key_set(&jwks), Err(expected.clone()));
    assert_eq!(
        build(&profile_json(&json!({})), &jwks).err(),
        Some(ConfigError::KeySet(expected))
    );
}

#[test]
fn duplicate_kid_refuses_the_set() {
    let jwks = json!({"keys": [jwk(json!({})), jwk(json!({})), jwk(json!({"kid": "x"}))]});
    assert_eq!(key_set(&jwks), Err(JwksError::DuplicateKid { index: 1 }));
    // The same kid for two different keys is no better.
    let twin = forge::public_jwk(forge::key("other").verifying_key(), KID);
    let jwks = json!({"keys": [jwk(json!({})), twin]});
    assert_eq!(key_set(&jwks), Err(JwksError::DuplicateKid { index: 1 }));
    let key = *forge::key(KID).verifying_key();
    assert_eq!(
        KeySet::new(vec![("a".into(), key), ("a".into(), key)]),
        Err(JwksError::DuplicateKid { index: 1 })
    );
    assert_eq!(
        KeySet::new(vec![(String::new(), key)]),
        Err(JwksError::BadKey {
            index: 0,
            why: KeyDefect::MissingKid
        })
    );
}

#[rstest]
#[case::minimal(jwk(json!({"use": null, "alg": null})))]
#[case::key_ops_verify(jwk(json!({"key_ops": ["verify"]})))]
#[case::key_ops_sign_verify(jwk(json!({"key_ops": ["sign", "verify"]})))]
#[case::unused_members(jwk(json!({"x5t": "AAAA", "ext": true})))]
fn acceptable_key_is_kept(#[case] good: Value) {
    let set = key_set(&json!({"keys": [good], "issuer": "ignored"})).expect("accepted");
    assert_eq!(set.kids().collect::<Vec<_>>(), [KID]);
    assert_eq!(
        set.get(KID).and_then(|k| k.point()),
        Some(forge::key(KID).verifying_key())
    );
    assert_eq!(set.len(), 1);
    assert!(!set.is_empty());
    assert!(set.get("other").is_none());
}

// ---------------------------------------------------------------------------------------------
// Caching key source

fn verdict(verifier: &Verifier, token: &str, now: i64) -> Result<(), Reason> {
    verifier
        .verify(token.as_bytes(), now)
        .map(drop)
        .map_err(|r| r.reason)
}

#[test]
fn key_set_is_cached_for_the_default_ttl_of_one_hour() {
    let fetch = ScriptedFetch::serving(&baseline_jwks());
    let verifier = timeless_verifier(Arc::new(fetch.source()));
    let token = timeless_token(KID);
    assert_eq!(fetch.calls(), 0, "fetched lazily");
    for now in [NOW, NOW + 1, NOW + 1800, NOW + 3599] {
        assert_eq!(verdict(&verifier, &token, now), Ok(()));
        assert_eq!(fetch.calls(), 1, "cached at {now}");
    }
    assert_eq!(verdict(&verifier, &token, NOW + 3600), Ok(()));
    assert_eq!(fetch.calls(), 2, "refetched once the hour is up");
    assert_eq!(verdict(&verifier, &token, NOW + 7199), Ok(()));
    assert_eq!(fetch.calls(), 2);
}

#[test]
fn unknown_kid_refetches_at_most_once_per_interval() {
    let fetch = ScriptedFetch::serving(&baseline_jwks());
    let verifier = timeless_verifier(Arc::new(fetch.source()));
    assert_eq!(verdict(&verifier, &timeless_token(KID), NOW), Ok(()));
    assert_eq!(fetch.calls(), 1);

    assert_eq!(
        verdict(&verifier, &timeless_token("ghost"), NOW + 1),
        Err(Reason::KidUnknown)
    );
    assert_eq!(fetch.calls(), 2, "one refetch for the unknown kid");
    for (kid, now) in [("ghost", NOW + 2), ("ghost-2", NOW + 100), ("x", NOW + 300)] {
        assert_eq!(
            verdict(&verifier, &timeless_token(kid), now),
            Err(Reason::KidUnknown)
        );
        assert_eq!(fetch.calls(), 2, "no refetch for {kid} at {now}");
    }
    // Known kids are served from the cache meanwhile.
    assert_eq!(verdict(&verifier, &timeless_token(KID), NOW + 200), Ok(()));
    assert_eq!(fetch.calls(), 2);
    // The default interval is five minutes after the last kid refetch.
    assert_eq!(
        verdict(&verifier, &timeless_token("ghost"), NOW + 301),
        Err(Reason::KidUnknown)
    );
    assert_eq!(fetch.calls(), 3);
}

#[test]
fn rotation_keeps_remaining_keys_and_drops_removed_ones() {
    let fetch = ScriptedFetch::serving(&jwks_of(&[KID]));
    let verifier = timeless_verifier(Arc::new(fetch.source()));
    assert_eq!(verdict(&verifier, &timeless_token(KID), NOW), Ok(()));

    // The issuer publishes the next key alongside the current one.
    fetch.serve(&jwks_of(&[KID, "next"]));
    assert_eq!(
        verdict(&verifier, &timeless_token("next"), NOW + 10),
        Ok(())
    );
    assert_eq!(fetch.calls(), 2, "the new kid triggered one refetch");
    assert_eq!(verdict(&verifier, &timeless_token(KID), NOW + 11), Ok(()));
    assert_eq!(
        fetch.calls(),
        2,
        "the old key still serves from the new set"
    );

    // The issuer retires the old key; once the source sees the new set the old key stops.
    fetch.serve(&jwks_of(&["next"]));
    let later = NOW + 10 + 3600;
    assert_eq!(
        verdict(&verifier, &timeless_token(KID), later),
        Err(Reason::KidUnknown)
    );
    assert_eq!(
        verdict(&verifier, &timeless_token("next"), later + 1),
        Ok(())
    );
    assert_eq!(
        verdict(&verifier, &timeless_token(KID), later + 2),
        Err(Reason::KidUnknown)
    );
}

fn response(status: u16, body: &[u8]) -> Result<FetchResponse, FetchError> {
    Ok(FetchResponse {
        status,
        body: body.to_vec(),
    })
}

#[rstest]
#[case::timeout(Err(FetchError::Timeout))]
#[case::transport(Err(FetchError::Transport))]
#[case::status_404(response(404, baseline_jwks().to_string().as_bytes()))]
#[case::status_500(response(500, baseline_jwks().to_string().as_bytes()))]
#[case::status_304(response(304, baseline_jwks().to_string().as_bytes()))]
#[case::status_199(response(199, baseline_jwks().to_string().as_bytes()))]
#[case::malformed_body(response(200, b"<html>oops</html>"))]
#[case::empty_body(response(200, b""))]
#[case::empty_key_set(response(200, br#"{"keys":[]}"#))]
#[case::truncated_body(response(200, &baseline_jwks().to_string().as_bytes()[..40]))]
#[case::private_key_in_body(response(200, json!({"keys": [jwk(json!({"d": "AAAA"}))]}).to_string().as_bytes()))]
fn every_fetch_failure_is_key_source_unavailable(
    #[case] answer: Result<FetchResponse, FetchError>,
) {
    let fetch = ScriptedFetch::serving(&baseline_jwks());
    fetch.set(answer.clone());
    let source = fetch.source();
    assert_eq!(source.key(KID, NOW), Err(KeySourceUnavailable));
    let verifier = timeless_verifier(Arc::new(source));
    assert_eq!(
        verdict(&verifier, &timeless_token(KID), NOW),
        Err(Reason::KeySourceUnavailable)
    );

    // A cached set keeps serving known kids within its TTL; a failed kid refetch is
    // "unavailable" for that token only; past the TTL the stale set is never used.
    let fetch = ScriptedFetch::serving(&baseline_jwks());
    let verifier = timeless_verifier(Arc::new(fetch.source()));
    assert_eq!(verdict(&verifier, &timeless_token(KID), NOW), Ok(()));
    fetch.set(answer);
    assert_eq!(
        verdict(&verifier, &timeless_token("next"), NOW + 1),
        Err(Reason::KeySourceUnavailable)
    );
    assert_eq!(verdict(&verifier, &timeless_token(KID), NOW + 3599), Ok(()));
    assert_eq!(
        verdict(&verifier, &timeless_token(KID), NOW + 3600),
        Err(Reason::KeySourceUnavailable)
    );
    // Recovery: the next good fetch serves again.
    fetch.serve(&baseline_jwks());
    assert_eq!(verdict(&verifier, &timeless_token(KID), NOW + 3601), Ok(()));
}

#[test]
fn any_2xx_with_a_valid_body_is_served() {
    let fetch = ScriptedFetch::serving(&baseline_jwks());
    fetch.set(response(203, baseline_jwks().to_string().as_bytes()));
    let source = fetch.source();
    let served = source.key(KID, NOW).expect("served").expect("the kid");
    assert_eq!(served.point(), Some(forge::key(KID).verifying_key()));
    assert_eq!(source.key("ghost", NOW), Ok(None));
}

// ---------------------------------------------------------------------------------------------
// Stores

#[test]
fn replay_second_use_is_rejected_until_exp() {
    let cache = MemoryReplayCache::default();
    assert_eq!(
        cache.check_and_record("a", 100, 10),
        Ok(ReplayOutcome::Fresh)
    );
    assert_eq!(
        cache.check_and_record("a", 100, 11),
        Ok(ReplayOutcome::Replayed)
    );
    assert_eq!(
        cache.check_and_record("a", 100, 99),
        Ok(ReplayOutcome::Replayed)
    );
    assert_eq!(
        cache.check_and_record("b", 100, 11),
        Ok(ReplayOutcome::Fresh)
    );
    assert_eq!(
        cache.check_and_record("a", 200, 100),
        Ok(ReplayOutcome::Fresh)
    );

    // Through the verifier: the same token twice.
    let cache = Arc::new(MemoryReplayCache::default());
    let verifier = stateful(json!({"replay": true}), |b| b.replay_defense(cache.clone()));
    let token = baseline();
    assert_eq!(verdict(&verifier, &token, NOW), Ok(()));
    assert_eq!(
        verdict(&verifier, &token, NOW + 1),
        Err(Reason::JtiReplayed)
    );
    // A different jti is fresh.
    let other = mint(&json!({}), &json!({"jti": "jti-0002"}));
    assert_eq!(verdict(&verifier, &other, NOW + 1), Ok(()));
}

#[test]
fn full_replay_cache_fails_closed() {
    let cache = MemoryReplayCache::new(2);
    assert_eq!(
        cache.check_and_record("a", 100, 0),
        Ok(ReplayOutcome::Fresh)
    );
    assert_eq!(cache.check_and_record("b", 50, 0), Ok(ReplayOutcome::Fresh));
    assert_eq!(cache.check_and_record("c", 100, 1), Err(StoreUnavailable));
    // Still full: a replay is still recognised as one.
    assert_eq!(
        cache.check_and_record("a", 100, 1),
        Ok(ReplayOutcome::Replayed)
    );
    // Once an entry expires its slot is reused, never a live one.
    assert_eq!(
        cache.check_and_record("c", 100, 50),
        Ok(ReplayOutcome::Fresh)
    );
    assert_eq!(cache.check_and_record("d", 100, 50), Err(StoreUnavailable));

    let cache = Arc::new(MemoryReplayCache::new(1));
    let verifier = stateful(json!({"replay": true}), |b| b.replay_defense(cache.clone()));
    assert_eq!(verdict(&verifier, &baseline(), NOW), Ok(()));
    let other = mint(&json!({}), &json!({"jti": "jti-0002"}));
    assert_eq!(
        verdict(&verifier, &other, NOW),
        Err(Reason::ReplayCacheUnavailable)
    );
}

#[test]
fn store_outages_fail_closed_and_recover() {
    let cache = Arc::new(MemoryReplayCache::default());
    let sessions = Arc::new(MemorySessionStore::default());
    let versions = Arc::new(MemorySessionVersions::default());
    let verifier = stateful(
        json!({"replay": true, "sessions": true, "session_version": true}),
        |b| {
            b.replay_defense(cache.clone())
                .session_store(sessions.clone())
                .session_versions(versions.clone())
        },
    );
    let sub = claims(&json!({}))["sub"].as_str().expect("sub").to_owned();
    sessions.open(&sub, SID);
    versions.set(&sub, 2);
    let token = |jti: &str, sv: u64| mint(&json!({}), &json!({"jti": jti, "sid": SID, "sv": sv}));

    assert_eq!(verdict(&verifier, &token("j1", 2), NOW), Ok(()));
    cache.outage.set(true);
    assert_eq!(
        verdict(&verifier, &token("j2", 2), NOW),
        Err(Reason::ReplayCacheUnavailable)
    );
    cache.outage.set(false);
    sessions.outage.set(true);
    assert_eq!(
        verdict(&verifier, &token("j3", 2), NOW),
        Err(Reason::SessionLookupUnavailable)
    );
    sessions.outage.set(false);
    versions.outage.set(true);
    assert_eq!(
        verdict(&verifier, &token("j4", 2), NOW),
        Err(Reason::SessionVersionLookupUnavailable)
    );
    versions.outage.set(false);
    assert_eq!(verdict(&verifier, &token("j5", 2), NOW), Ok(()));

    // Logout-all bumps the version; revocation deletes the session.
    versions.set(&sub, 3);
    assert_eq!(
        verdict(&verifier, &token("j6", 2), NOW),
        Err(Reason::SessionVersionStale)
    );
    assert_eq!(verdict(&verifier, &token("j7", 3), NOW), Ok(()));
    sessions.revoke(&sub, SID);
    assert_eq!(
        verdict(&verifier, &token("j8", 3), NOW),
        Err(Reason::SessionRevoked)
    );
}

/// The default profile with the given state rules, over the baseline keys, with stores wired by
/// `with`.
fn stateful(
    state: Value,
    with: impl FnOnce(verifier::VerifierBuilder) -> verifier::VerifierBuilder,
) -> Verifier {
    let profile = profile_from(&profile_json(&json!({ "state": state }))).expect("profile");
    let keys = key_set(&baseline_jwks()).expect("keys");
    with(Verifier::builder(profile).key_set(keys))
        .build()
        .expect("stateful verifier")
}
