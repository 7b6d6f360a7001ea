//! Nothing the verifier formats (Debug or Display) carries a token, a signature, key
//! coordinates or key bytes: every type that can reach a log is formatted in every form it
//! supports and searched for each secret's encodings.

mod common;

use std::fmt::{Debug, Display};
use std::sync::Arc;

use common::*;
use serde_json::{Value, json};
use verifier::rules::header;
use verifier::{
    ConfigError, FetchResponse, JwksError, KeySet, Profile, Rejection, StaticKeys, Verifier,
};

/// A secret in the encodings it could leak in.
struct Secret {
    what: String,
    encodings: Vec<String>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn bytes_secret(what: &str, bytes: &[u8]) -> Secret {
    let debug_list = format!("{:?}", &bytes[..8]); // "[12, 34, ..."
    Secret {
        what: what.to_owned(),
        encodings: vec![
            b64(bytes),
            hex(bytes),
            hex(bytes).to_uppercase(),
            debug_list.trim_end_matches(']').to_owned(),
        ],
    }
}

fn text_secret(what: &str, text: &str) -> Secret {
    Secret {
        what: what.to_owned(),
        encodings: vec![text.to_owned()],
    }
}

/// Everything that must never be formatted: the token and its segments' secrets, the public
/// key's coordinates in every encoding, and the private scalar.
fn secrets(token: &str) -> Vec<Secret> {
    let key = forge::key(KID);
    let (x, y) = forge::coordinates(key.verifying_key());
    let [_, payload, signature] = segments(token);
    let pem = forge::public_pem(key.verifying_key());
    let pem_line = pem.lines().nth(1).expect("PEM body").to_owned();
    vec![
        text_secret("token", token),
        text_secret("payload segment", &payload),
        text_secret("signature segment", &signature),
        bytes_secret("x", &x),
        bytes_secret("y", &y),
        bytes_secret("SEC1 point", &forge::public_raw(key.verifying_key())),
        bytes_secret("private scalar", &key.to_bytes()),
        text_secret("PEM body", &pem_line),
    ]
}

/// Asserts that no secret appears in `formatted` (the output of `what`).
fn assert_clean(what: &str, formatted: &str, secrets: &[Secret]) {
    assert!(!formatted.is_empty(), "{what} formats to something");
    for secret in secrets {
        for encoding in &secret.encodings {
            assert!(
                !formatted.contains(encoding.as_str()),
                "{what} leaks the {}: {formatted}",
                secret.what
            );
        }
    }
}

fn check_debug(what: &str, value: &impl Debug, secrets: &[Secret]) {
    assert_clean(&format!("{what} (Debug)"), &format!("{value:?}"), secrets);
    assert_clean(
        &format!("{what} (Debug #)"),
        &format!("{value:#?}"),
        secrets,
    );
}

fn check_both(what: &str, value: &(impl Debug + Display), secrets: &[Secret]) {
    check_debug(what, value, secrets);
    assert_clean(&format!("{what} (Display)"), &value.to_string(), secrets);
}

/// The secrets of the baseline token.
fn baseline_secrets() -> (String, Vec<Secret>) {
    let token = baseline();
    let secrets = secrets(&token);
    (token, secrets)
}

/// The primary public JWK with the private scalar added.
fn private_jwk() -> Value {
    let key = forge::key(KID);
    let mut jwk = forge::public_jwk(key.verifying_key(), KID);
    jwk["d"] = json!(b64(key.to_bytes()));
    jwk
}

#[test]
fn the_secrets_are_searchable() {
    // The search itself must be able to fail: each secret is found where it is.
    let (token, secrets) = baseline_secrets();
    let jwks = baseline_jwks().to_string();
    let private = private_jwk().to_string();
    let key = forge::key(KID);
    let (x, _) = forge::coordinates(key.verifying_key());
    assert!(token.contains(secrets[2].encodings[0].as_str()));
    assert!(jwks.contains(secrets[3].encodings[0].as_str()));
    assert!(jwks.contains(secrets[4].encodings[0].as_str()));
    assert!(private.contains(secrets[6].encodings[0].as_str()));
    assert!(format!("{x:?}").contains(secrets[3].encodings[3].as_str()));
}

#[test]
fn verifier_and_key_sets_are_redacted() {
    let (_, secrets) = baseline_secrets();
    let verifier = verifier(&json!({}));
    check_debug("Verifier", &verifier, &secrets);
    check_debug("Profile", verifier.profile(), &secrets);
    let keys = key_set(&baseline_jwks()).expect("keys");
    check_debug("KeySet", &keys, &secrets);
    check_debug("StaticKeys", &StaticKeys(keys.clone()), &secrets);

    let fetch = ScriptedFetch::serving(&baseline_jwks());
    let source = fetch.source();
    check_debug("CachingKeySource", &source, &secrets);
    let verifier = Verifier::builder(Profile::new(ISSUER, AUDIENCE))
        .key_source(Arc::new(source))
        .build()
        .expect("verifier");
    verifier.verify(baseline().as_bytes(), NOW).expect("warm");
    check_debug("Verifier over a warm cache", &verifier, &secrets);
}

#[test]
fn claims_show_names_not_values() {
    let token = mint(&json!({}), &json!({"email": "alice@example.com"}));
    let mut secrets = secrets(&token);
    let claims = row(token.clone()).verify().expect("accepted");
    for value in [
        "alice@example.com",
        "01HZY2J3K4M5N6P7Q8R9S0T1V2",
        "jti-0001",
    ] {
        secrets.push(text_secret("claim value", value));
    }
    check_debug("Claims", &claims, &secrets);
    assert!(format!("{claims:?}").contains("email"), "names are shown");
}

/// Tokens carrying the secrets where a careless error message would echo them.
fn hostile_tokens() -> Vec<String> {
    let key = forge::key(KID);
    let (x, y) = forge::coordinates(key.verifying_key());
    let jwk = forge::public_jwk(key.verifying_key(), KID);
    vec![
        mint(&json!({}), &json!({"exp": NOW})),
        with_segment(&baseline(), 2, noncanonical),
        resign(der),
        resign(|r, _| rs(r, ORDER_N)),
        mint(&json!({"jwk": jwk}), &json!({})),
        mint(&json!({"kid": b64(x)}), &json!({})),
        mint(&json!({"alg": b64(y)}), &json!({})),
        mint(&json!({"typ": b64(key.to_bytes())}), &json!({})),
        mint(&json!({}), &json!({"iss": b64(x)})),
        mint(&json!({}), &json!({"aud": b64(y)})),
        mint(&json!({}), &json!({"exp": b64(x)})),
        mint_claims_text(&json!({}), &format!("\"sub\":\"{}\"", b64(y))),
        with_segment(&baseline(), 1, |p| p.push('=')),
        baseline() + "\n",
    ]
}

#[test]
fn rejections_are_redacted() {
    let verifier = verifier(&json!({}));
    for token in hostile_tokens() {
        let secrets = secrets_of_hostile(&token);
        let rejection: Rejection = verifier
            .verify(token.as_bytes(), NOW)
            .expect_err("rejected");
        check_both(
            &format!("Rejection {}", rejection.reason),
            &rejection,
            &secrets,
        );
    }
}

#[test]
fn decoded_headers_are_redacted() {
    let mut checked = 0;
    for token in hostile_tokens() {
        let secrets = secrets_of_hostile(&token);
        let head = token.split('.').next().unwrap_or_default();
        let mut scratch = header::HeaderBuf::default();
        if let Ok(header) = header::decode_header(head.as_bytes(), 16, &mut scratch) {
            check_debug("Header", &header, &secrets);
            checked += 1;
        }
    }
    assert!(checked >= 3, "the headers carrying secrets were decoded");
}

/// The secrets of a token that may not split into three segments.
fn secrets_of_hostile(token: &str) -> Vec<Secret> {
    let mut secrets = secrets(&baseline());
    secrets.push(text_secret("token", token.trim_end()));
    if let Some(signature) = token.trim_end().rsplit('.').next() {
        secrets.push(text_secret("signature segment", signature));
    }
    secrets
}

#[test]
fn key_set_errors_are_redacted() {
    let (_, secrets) = baseline_secrets();
    let key = forge::key(KID);
    let (x, y) = forge::coordinates(key.verifying_key());
    let public = forge::public_jwk(key.verifying_key(), KID);
    let mut off_curve = public.clone();
    off_curve["y"] = json!(b64(x));
    let mut bad_length = public.clone();
    bad_length["x"] = json!(b64(&y[1..]));
    let mut kid_is_x = public.clone();
    kid_is_x["kid"] = json!(b64(x));
    let refused = [
        json!({"keys": [private_jwk()]}),
        json!({"keys": [off_curve]}),
        json!({"keys": [bad_length]}),
        json!({"keys": [kid_is_x.clone(), kid_is_x]}),
        json!({"keys": [public.clone(), public]}),
        json!({"keys": []}),
        json!({"keys": b64(x)}),
    ];
    for jwks in refused {
        let err: JwksError = key_set(&jwks).expect_err("refused");
        check_both("JwksError", &err, &secrets);
        let config = build(&profile_json(&json!({})), &jwks).expect_err("refused");
        check_both("ConfigError", &config, &secrets);
    }
    let text = format!("{}{}", private_jwk(), b64(y));
    let err = KeySet::from_jwks_json(text.as_bytes()).expect_err("not JSON");
    check_both("JwksError", &err, &secrets);
}

#[test]
fn profile_errors_are_redacted() {
    let (token, secrets) = baseline_secrets();
    let key = forge::key(KID);
    let (x, _) = forge::coordinates(key.verifying_key());
    // Secrets pasted into the wrong profile fields (or a token file passed as the profile).
    let profiles = [
        json!({"issuer": ISSUER, "audiences": token}),
        json!({"issuer": [b64(x)], "audiences": [AUDIENCE]}),
        json!({"max_token_bytes": b64(key.to_bytes())}),
        json!({"domain": {"claim_allowlist": token}}),
        json!({ b64(x): true }),
        json!(token),
        json!({"algorithms": [token]}),
        json!({"issuer": ISSUER, "audiences": [AUDIENCE, token.clone()], "typ": ""}),
    ];
    for profile in profiles {
        let err: ConfigError = match profile_from(&profile) {
            Err(e) => e,
            Ok(p) => p.validate().expect_err("refused"),
        };
        check_both("ConfigError", &err, &secrets);
    }
    let raw = format!("{{\"issuer\": \"{token}\" \"x\"}}");
    let err = Profile::from_json(raw.as_bytes()).expect_err("not JSON");
    check_both("ConfigError", &err, &secrets);
}

#[test]
fn fetch_responses_are_redacted() {
    let (_, secrets) = baseline_secrets();
    for body in [baseline_jwks(), json!({"keys": [private_jwk()]})] {
        let response = ok_response(&body);
        check_debug("FetchResponse", &response, &secrets);
        let not_found = FetchResponse {
            status: 404,
            body: body.to_string().into_bytes(),
        };
        check_debug("FetchResponse", &not_found, &secrets);
    }
}
