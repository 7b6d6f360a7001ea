//! The pure-Rust peers as a user would configure them: `jsonwebtoken` and `jwt-simple` (the
//! fast lane's `jsonwebtoken` provider and `josekit` are in [`crate::fast`]).

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use crate::*;

/// `aud` as a string or an array of strings.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

/// The RFC 9068 claims a `jsonwebtoken` user would deserialize (all required but `scope`).
#[derive(Debug, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: Audience,
    pub sub: String,
    pub client_id: String,
    pub jti: String,
    pub iat: i64,
    pub exp: i64,
    #[serde(default)]
    pub scope: Option<String>,
}

/// The ID-token claims a `jsonwebtoken` user would deserialize to check `nonce` and `azp`.
#[derive(Debug, Deserialize)]
pub struct IdClaims {
    pub iss: String,
    pub sub: String,
    pub aud: Audience,
    pub exp: i64,
    pub iat: i64,
    pub auth_time: i64,
    pub nonce: String,
    pub azp: String,
}

/// `jsonwebtoken` 11: `decode_header` for the `kid`, the pinned key of that `kid` (looked up in
/// a map built once), then `decode` with a strict `Validation`. The library has no length cap.
pub struct JsonWebToken {
    keys: HashMap<String, jsonwebtoken::DecodingKey>,
    validation: jsonwebtoken::Validation,
    /// ID tokens: the claims are [`IdClaims`], and `nonce` and `azp` are compared by hand (the
    /// `Validation` has no field for either).
    id_token: bool,
    /// On the `aws_lc_rs` provider rather than `rust_crypto` (a `fast` build has both).
    #[cfg_attr(not(feature = "fast"), allow(dead_code))]
    aws_lc: bool,
}

impl JsonWebToken {
    pub(crate) fn new(setup: &Setup, aws_lc: bool) -> JsonWebToken {
        JsonWebToken::for_keys(setup, &setup.jwks(), jsonwebtoken::Algorithm::ES256, aws_lc)
    }

    /// `setup`'s issuer and audience, the keys of `jwks` and `alg` only.
    pub(crate) fn for_keys(
        setup: &Setup,
        jwks: &Value,
        alg: jsonwebtoken::Algorithm,
        aws_lc: bool,
    ) -> JsonWebToken {
        let set: jsonwebtoken::jwk::JwkSet =
            serde_json::from_value(jwks.clone()).expect("jsonwebtoken reads the key set");
        let keys = set
            .keys
            .iter()
            .map(|jwk| {
                let kid = jwk
                    .common
                    .key_id
                    .clone()
                    .expect("every bench key has a kid");
                let key = jsonwebtoken::DecodingKey::from_jwk(jwk).expect("a public key");
                (kid, key)
            })
            .collect();
        let mut validation = jsonwebtoken::Validation::new(alg);
        validation.leeway = 0;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_issuer(&[&setup.issuer]);
        validation.set_audience(&[&setup.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        JsonWebToken {
            keys,
            validation,
            id_token: false,
            aws_lc,
        }
    }

    /// An OpenID Connect relying party: `setup`'s issuer, the client as audience, `exp`, `iat`,
    /// `iss`, `aud` and `sub` required; the `nonce` and `azp` checked on the decoded claims.
    pub(crate) fn for_id_tokens(
        setup: &Setup,
        jwks: &Value,
        alg: jsonwebtoken::Algorithm,
        aws_lc: bool,
    ) -> JsonWebToken {
        let mut this = JsonWebToken::for_keys(setup, jwks, alg, aws_lc);
        this.validation.set_audience(&[crate::algs::CLIENT_ID]);
        this.validation
            .set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        this.id_token = true;
        this
    }

    /// True when `token` is accepted, as an access token or an ID token.
    pub fn verify_any(&self, token: &str) -> bool {
        if !self.id_token {
            return self.verify(token).is_some();
        }
        #[cfg(feature = "fast")]
        return fast::provider::with(self.aws_lc, || self.decode_id_token(token));
        #[cfg(not(feature = "fast"))]
        self.decode_id_token(token)
    }

    fn decode_id_token(&self, token: &str) -> bool {
        let Some(key) = jsonwebtoken::decode_header(token)
            .ok()
            .and_then(|h| self.keys.get(h.kid.as_deref()?))
        else {
            return false;
        };
        jsonwebtoken::decode::<IdClaims>(token, key, &self.validation).is_ok_and(|data| {
            data.claims.nonce == crate::algs::NONCE && data.claims.azp == crate::algs::CLIENT_ID
        })
    }

    /// The claims of an accepted token.
    pub fn verify(&self, token: &str) -> Option<AccessClaims> {
        #[cfg(feature = "fast")]
        return fast::provider::with(self.aws_lc, || self.decode(token));
        #[cfg(not(feature = "fast"))]
        self.decode(token)
    }

    fn decode(&self, token: &str) -> Option<AccessClaims> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        let key = self.keys.get(header.kid.as_deref()?)?;
        jsonwebtoken::decode::<AccessClaims>(token, key, &self.validation)
            .ok()
            .map(|data| data.claims)
    }
}

/// The custom claims a `jwt-simple` user would declare next to its standard ones.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct JwtSimpleExtra {
    pub client_id: String,
    #[serde(default)]
    pub scope: Option<String>,
}

/// `jwt-simple` 0.15 (`pure-rust`): with one pinned key, `verify_token` requiring its `kid`;
/// with a set, `decode_metadata` for the `kid` and that key (looked up in a map built once). The
/// options (cloned per call, as the API takes them by value) require ES256 by construction, the
/// issuer, audience, `typ` and `kid`, zero clock tolerance and the 8192-byte cap.
pub struct JwtSimple {
    keys: HashMap<String, jwt_simple::prelude::ES256PublicKey>,
    pinned: Option<(String, jwt_simple::prelude::ES256PublicKey)>,
    options: jwt_simple::prelude::VerificationOptions,
}

impl JwtSimple {
    pub(crate) fn new(setup: &Setup) -> JwtSimple {
        use jwt_simple::prelude::*;
        let keys: HashMap<String, ES256PublicKey> = setup
            .keys()
            .into_iter()
            .map(|(kid, key)| {
                let public = ES256PublicKey::from_bytes(&forge::public_raw(key.verifying_key()))
                    .expect("a P-256 point")
                    .with_key_id(&kid);
                (kid, public)
            })
            .collect();
        let pinned = (keys.len() == 1).then(|| {
            let (kid, key) = keys.iter().next().expect("one key");
            (kid.clone(), key.clone())
        });
        let options = VerificationOptions {
            allowed_issuers: Some(HashSet::from_strings(&[&setup.issuer])),
            allowed_audiences: Some(HashSet::from_strings(&[&setup.audience])),
            required_signature_type: Some("at+jwt".to_owned()),
            required_key_id: pinned.as_ref().map(|(kid, _)| kid.clone()),
            time_tolerance: Some(Duration::from_secs(0)),
            max_token_length: Some(MAX_TOKEN_BYTES),
            ..VerificationOptions::default()
        };
        JwtSimple {
            keys,
            pinned,
            options,
        }
    }

    /// The claims of an accepted token.
    pub fn verify(&self, token: &str) -> Option<jwt_simple::prelude::JWTClaims<JwtSimpleExtra>> {
        use jwt_simple::prelude::*;
        if let Some((_, key)) = &self.pinned {
            return key.verify_token(token, Some(self.options.clone())).ok();
        }
        let metadata = Token::decode_metadata(token).ok()?;
        let kid = metadata.key_id()?;
        let key = self.keys.get(kid)?;
        let mut options = self.options.clone();
        options.required_key_id = Some(kid.to_owned());
        key.verify_token(token, Some(options)).ok()
    }
}
