//! Deterministic keys and token minting, written once for every crate that needs tokens:
//! the verifier's tests, the corpus generator, the runner's tests, benches and fuzz targets.
//!
//! Keys derive from names through SHA-256 and signatures are RFC 6979 deterministic, so
//! everything minted here is byte-identical on every run.
//!
//! Every other algorithm lives in [`alg`]: the stored RSA keys of `keys/` (generated once; see
//! `keys/README.md`), P-384, P-521 and Ed25519 keys and HMAC secrets from names, and
//! [`sign`] for all 13 JWS algorithms, deterministic too (PSS salts come from a seeded RNG).
#![forbid(unsafe_code)]

pub mod alg;
pub mod keyforms;
pub mod rsa_raw;
pub mod shape;
pub mod special;

pub use alg::{Alg, AnyKey, RsaId, RsaKey, ed25519_key, jwks_of, p384_key, p521_key, secret, sign};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use p256::ecdsa::signature::Signer;
pub use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use p256::pkcs8::{EncodePublicKey, LineEnding};
use serde_json::{Value, json};
use sha2::{Digest, Sha256, Sha384, Sha512};

/// The issuer every baseline token names.
pub const ISSUER: &str = "https://issuer.example";
/// The audience every baseline verifier serves.
pub const AUDIENCE: &str = "https://api.example";
/// The `kid` of the primary key.
pub const KID: &str = "primary";
/// The verification time of clock-independent vectors (2023-11-14T22:13:20Z).
pub const NOW: i64 = 1_700_000_000;
/// `iat` of clock-independent tokens: long ago (2001-09-09).
pub const LONG_AGO: i64 = 1_000_000_000;
/// `exp` of clock-independent tokens: far in the future (2100-01-01).
pub const FAR_FUTURE: i64 = 4_102_444_800;
/// The P-256 group order n, big-endian.
pub const ORDER_N: [u8; 32] =
    hex32("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
/// The P-256 field prime p, big-endian.
pub const PRIME_P: [u8; 32] =
    hex32("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");

const fn hex32(s: &str) -> [u8; 32] {
    let b = s.as_bytes();
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
        i += 1;
    }
    out
}

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => panic!("not lowercase hex"),
    }
}

/// The signing key named `name`: SHA-256 of a fixed label and the name (re-hashed in the
/// negligible case that the digest is not a valid scalar).
pub fn key(name: &str) -> SigningKey {
    let mut seed: [u8; 32] = Sha256::digest(format!("jwt-conformance/key/{name}")).into();
    loop {
        if let Ok(key) = SigningKey::from_slice(&seed) {
            return key;
        }
        seed = Sha256::digest(seed).into();
    }
}

/// Canonical base64url without padding.
pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The affine coordinates (x, y) of a public key.
pub fn coordinates(key: &VerifyingKey) -> ([u8; 32], [u8; 32]) {
    let point = key.to_sec1_bytes();
    let mut x = [0u8; 32];
    let mut y = [0u8; 32];
    x.copy_from_slice(&point[1..33]);
    y.copy_from_slice(&point[33..65]);
    (x, y)
}

/// The public JWK of `key` with `kid`, `use: sig` and `alg: ES256`.
pub fn public_jwk(key: &VerifyingKey, kid: &str) -> Value {
    let (x, y) = coordinates(key);
    json!({"kty": "EC", "crv": "P-256", "kid": kid, "use": "sig", "alg": "ES256", "x": b64(x), "y": b64(y)})
}

/// The key's public JWK with its private scalar `d` added.
pub fn private_jwk(key: &SigningKey, kid: &str) -> Value {
    let mut jwk = public_jwk(key.verifying_key(), kid);
    jwk["d"] = Value::String(b64(key.to_bytes()));
    jwk
}

/// A JWK Set of the public halves of named keys.
pub fn jwks(keys: &[(&str, &SigningKey)]) -> Value {
    let keys: Vec<Value> = keys
        .iter()
        .map(|(kid, k)| public_jwk(k.verifying_key(), kid))
        .collect();
    json!({ "keys": keys })
}

/// The public key as SPKI PEM (the bytes an HS256-confusion attacker would use as the secret).
pub fn public_pem(key: &VerifyingKey) -> String {
    key.to_public_key_pem(LineEnding::LF).unwrap_or_default()
}

/// The public key as SPKI DER.
pub fn public_der(key: &VerifyingKey) -> Vec<u8> {
    key.to_public_key_der()
        .map(|d| d.as_bytes().to_vec())
        .unwrap_or_default()
}

/// The public key as an uncompressed SEC1 point (0x04 || x || y).
pub fn public_raw(key: &VerifyingKey) -> Vec<u8> {
    key.to_sec1_bytes().to_vec()
}

/// Deterministic ES256 (RFC 6979) over `input`, as r || s.
pub fn es256(key: &SigningKey, input: &[u8]) -> [u8; 64] {
    let signature: Signature = key.sign(input);
    signature.to_bytes().into()
}

/// HMAC-SHA256 of `input` under `secret`.
pub fn hs256(secret: &[u8], input: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(&hmac(256, secret, input));
    out
}

/// HMAC-SHA-`bits` (256, 384 or 512; anything else is 256) of `input` under `secret`.
pub fn hmac(bits: u16, secret: &[u8], input: &[u8]) -> Vec<u8> {
    fn mac<M: Mac + KeyInit>(secret: &[u8], input: &[u8]) -> Vec<u8> {
        let mut mac = <M as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
        mac.update(input);
        mac.finalize().into_bytes().to_vec()
    }
    match bits {
        384 => mac::<Hmac<Sha384>>(secret, input),
        512 => mac::<Hmac<Sha512>>(secret, input),
        _ => mac::<Hmac<Sha256>>(secret, input),
    }
}

/// A token under construction: the exact header and payload bytes, before encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub header: Vec<u8>,
    pub payload: Vec<u8>,
}

impl Token {
    /// Header and payload from JSON values (compact serialization, serde_json key order).
    pub fn new(header: &Value, claims: &Value) -> Token {
        Token {
            header: header.to_string().into_bytes(),
            payload: claims.to_string().into_bytes(),
        }
    }

    /// Header and payload from exact bytes (duplicate keys, odd JSON, invalid UTF-8).
    pub fn raw(header: impl Into<Vec<u8>>, payload: impl Into<Vec<u8>>) -> Token {
        Token {
            header: header.into(),
            payload: payload.into(),
        }
    }

    /// `b64(header) "." b64(payload)`.
    pub fn signing_input(&self) -> String {
        format!("{}.{}", b64(&self.header), b64(&self.payload))
    }

    /// The compact token signed with ES256 under `key`.
    pub fn sign(&self, key: &SigningKey) -> String {
        let input = self.signing_input();
        let signature = es256(key, input.as_bytes());
        format!("{input}.{}", b64(signature))
    }

    /// The compact token signed with `alg` under `key` (the header is left as it is, so it may
    /// name another `alg`; see [`sign`] for the pairs that exist).
    pub fn sign_with(&self, alg: Alg, key: &AnyKey) -> String {
        let input = self.signing_input();
        let signature = sign(alg, key, input.as_bytes());
        format!("{input}.{}", b64(signature))
    }

    /// The compact token with an arbitrary signature.
    pub fn with_signature(&self, signature: &[u8]) -> String {
        format!("{}.{}", self.signing_input(), b64(signature))
    }
}

/// The baseline header: `{"alg":"ES256","typ":"at+jwt","kid":KID}`.
pub fn header() -> Value {
    json!({"alg": "ES256", "typ": "at+jwt", "kid": KID})
}

/// Baseline RFC 9068 claims that never depend on the clock (issued long ago, expiring far in
/// the future), valid under [`timeless_profile_json`].
pub fn claims() -> Value {
    json!({
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "01HZY2J3K4M5N6P7Q8R9S0T1V2",
        "client_id": "client-1",
        "jti": "jti-0001",
        "iat": LONG_AGO,
        "exp": FAR_FUTURE,
    })
}

/// The claims of a typical RFC 9068 access token (a 342-byte payload): those of RFC 9068 §2.2
/// with the usual optional ones (`scope`, `auth_time`, `acr`, `amr`), clock-independent as
/// [`claims`]. What the benches and the allocation test measure.
pub fn typical_access_claims() -> Value {
    let mut claims = claims();
    claims["jti"] = json!("4f1c2a7e-9b3d-4c8e-a6f2-0d5b7e9c1a34");
    claims["client_id"] = json!("s6BhdRkqt3-web-frontend");
    claims["scope"] = json!("openid profile orders:read orders:write");
    claims["auth_time"] = json!(LONG_AGO);
    claims["acr"] = json!("urn:mace:incommon:iap:silver");
    claims["amr"] = json!(["pwd", "otp"]);
    claims
}

/// The OIDC client the typical ID token is issued to (its `aud` and `azp`).
pub const ID_TOKEN_CLIENT: &str = "s6BhdRkqt3-web-frontend";
/// The `nonce` of the authentication request the typical ID token answers.
pub const ID_TOKEN_NONCE: &str = "n-0S6_WzA2Mj-7b4c1f9e";

/// The claims of a typical OpenID Connect ID token (OIDC Core §2 and §5.1): the required ones,
/// `auth_time`, `nonce`, `azp`, and the usual profile and email claims (a 409-byte payload).
pub fn typical_id_token_claims() -> Value {
    json!({
        "iss": ISSUER,
        "sub": "248289761001",
        "aud": ID_TOKEN_CLIENT,
        "exp": FAR_FUTURE,
        "iat": LONG_AGO,
        "auth_time": LONG_AGO,
        "nonce": ID_TOKEN_NONCE,
        "azp": ID_TOKEN_CLIENT,
        "name": "Jane Doe",
        "given_name": "Jane",
        "family_name": "Doe",
        "preferred_username": "j.doe",
        "email": "janedoe@example.com",
        "email_verified": true,
        "locale": "en-US",
        "picture": "https://example.com/janedoe/me.jpg",
    })
}

/// Baseline claims for a time-bound token issued at `now` and living `lifetime` seconds.
pub fn claims_at(now: i64, lifetime: i64) -> Value {
    let mut c = claims();
    c["iat"] = json!(now);
    c["exp"] = json!(now + lifetime);
    c
}

/// The default profile for the baseline issuer and audience, with the lifetime bound lifted
/// so that the baseline token verifies at any time (the profile's JSON form).
pub fn timeless_profile_json() -> Value {
    json!({"issuer": ISSUER, "audiences": [AUDIENCE], "max_lifetime_secs": null})
}

/// The default (clock-bound) profile's JSON form for the baseline issuer and audience.
pub fn profile_json() -> Value {
    json!({"issuer": ISSUER, "audiences": [AUDIENCE]})
}

/// The baseline token, signed with the primary key.
pub fn baseline_token() -> String {
    Token::new(&header(), &claims()).sign(&key(KID))
}

/// The baseline key set: the primary key only.
pub fn baseline_jwks() -> Value {
    jwks(&[(KID, &key(KID))])
}

/// Bit-for-bit big-endian subtraction helpers for signature edge values: `a - b` mod 2^256.
pub fn sub_be(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut d = i16::from(a[i]) - i16::from(b[i]) - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = d as u8;
    }
    out
}

/// `a + b` mod 2^256, big-endian.
pub fn add_be(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut carry = 0u16;
    for i in (0..32).rev() {
        let s = u16::from(a[i]) + u16::from(b[i]) + carry;
        out[i] = s as u8;
        carry = s >> 8;
    }
    out
}

/// The 32-byte big-endian encoding of a small integer.
pub fn small(v: u8) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[31] = v;
    out
}
