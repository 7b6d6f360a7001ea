//! The inputs: the setups (issuer, audience, keys), the typical access token, the sized tokens
//! of the scaling series and the malformed inputs of the rejection bench.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use forge::{SigningKey, Token, b64};
use serde_json::{Value, json};
use verifier::{Backend, Reason};

use crate::*;

/// Token sizes of the scaling series, in bytes (each token is exactly this long).
pub const SIZES: [usize; 6] = [256, 512, 1024, 2048, 4096, 8192];
/// Key-set sizes of the scaling series (the signing key is always the last one).
pub const KEY_COUNTS: [usize; 3] = [1, 10, 100];
/// The reference profile's default `max_token_bytes`; peers that can cap length get it too.
pub const MAX_TOKEN_BYTES: usize = 8192;

/// The verification time given to the reference verifier (the peers read the clock; every
/// token here is valid at any time between 2001 and 2100).
pub const NOW: i64 = forge::NOW;

/// Who issues, for whom, and under which keys: one configuration that every contender gets.
#[derive(Clone, Debug)]
pub struct Setup {
    pub issuer: String,
    pub audience: String,
    pub kid: String,
    /// Keys that are in the set but sign nothing, listed before the signing key.
    pub decoys: usize,
}

impl Setup {
    /// The baseline of `forge`: its issuer, audience and primary key, alone in the set.
    pub fn typical() -> Setup {
        Setup {
            issuer: forge::ISSUER.to_owned(),
            audience: forge::AUDIENCE.to_owned(),
            kid: forge::KID.to_owned(),
            decoys: 0,
        }
    }

    /// One-letter issuer, audience and `kid`, so that a complete RFC 9068 token fits in 256 bytes.
    pub fn compact() -> Setup {
        Setup {
            issuer: "i".to_owned(),
            audience: "a".to_owned(),
            kid: "k".to_owned(),
            decoys: 0,
        }
    }

    /// The typical setup with `count` keys in the set, the signing key last.
    pub fn with_keys(count: usize) -> Setup {
        Setup {
            decoys: count.saturating_sub(1),
            ..Setup::typical()
        }
    }

    /// The signing key.
    pub fn key(&self) -> SigningKey {
        forge::key(&self.kid)
    }

    /// The `(kid, key)` pairs of the set, decoys first.
    pub fn keys(&self) -> Vec<(String, SigningKey)> {
        let mut keys: Vec<(String, SigningKey)> = (0..self.decoys)
            .map(|i| {
                let kid = format!("decoy-{i:03}");
                let key = forge::key(&kid);
                (kid, key)
            })
            .collect();
        keys.push((self.kid.clone(), self.key()));
        keys
    }

    /// The public JWK Set.
    pub fn jwks(&self) -> Value {
        let keys = self.keys();
        let named: Vec<(&str, &SigningKey)> = keys.iter().map(|(k, s)| (k.as_str(), s)).collect();
        forge::jwks(&named)
    }

    /// The reference profile: defaults, this issuer and audience, no lifetime bound.
    pub fn profile_json(&self) -> Value {
        let mut profile = forge::timeless_profile_json();
        profile["issuer"] = json!(self.issuer);
        profile["audiences"] = json!([self.audience]);
        profile
    }

    /// The header every valid token of this setup carries.
    pub fn header(&self) -> Value {
        json!({"alg": "ES256", "typ": "at+jwt", "kid": self.kid})
    }

    /// The smallest claim set the reference verifier accepts (every RFC 9068 required claim).
    pub fn minimal_claims(&self) -> Value {
        json!({
            "iss": self.issuer,
            "aud": self.audience,
            "sub": "s",
            "client_id": "c",
            "jti": "j",
            "iat": 1,
            "exp": forge::FAR_FUTURE,
        })
    }

    /// Signs `claims` under this setup's header and key.
    pub fn sign(&self, claims: &Value) -> String {
        Token::new(&self.header(), claims).sign(&self.key())
    }

    /// The reference verifier for this setup, on `p256`.
    pub fn reference(&self) -> Reference {
        self.reference_on(Backend::P256)
    }

    /// The reference verifier for this setup, on `backend`.
    pub fn reference_on(&self, backend: Backend) -> Reference {
        let es256 = [verifier::Algorithm::ES256];
        Reference::new(&self.profile_json(), &self.jwks(), &es256, backend)
    }

    /// `jsonwebtoken` on `rust_crypto`, configured strictly for this setup.
    pub fn jsonwebtoken(&self) -> JsonWebToken {
        JsonWebToken::new(self, false)
    }

    /// `jsonwebtoken` on `aws_lc_rs`, configured strictly for this setup.
    #[cfg(feature = "fast")]
    pub fn jsonwebtoken_aws_lc(&self) -> JsonWebToken {
        JsonWebToken::new(self, true)
    }

    /// `jwt-simple`, configured strictly for this setup.
    pub fn jwt_simple(&self) -> JwtSimple {
        JwtSimple::new(self)
    }
}

/// The claims of the typical RFC 9068 access token (`forge::typical_access_claims`).
pub fn typical_claims() -> Value {
    forge::typical_access_claims()
}

/// The typical token, signed by the typical setup.
pub fn typical_token() -> String {
    Setup::typical().sign(&typical_claims())
}

/// A token of exactly `len` bytes from `setup`: its minimal claims plus a `scope` of
/// space-separated names, then a `jti` lengthened byte by byte to land on `len` exactly.
///
/// Panics when `len` is too small for the minimal claims or not reachable (base64url lengths
/// skip every value of the form 4k + 1).
pub fn sized_token(setup: &Setup, len: usize) -> String {
    // An ES256 signature is 86 base64url characters, after a dot.
    let length = |claims: &Value| Token::new(&setup.header(), claims).signing_input().len() + 87;
    let mut claims = setup.minimal_claims();
    assert!(
        length(&claims) <= len,
        "{len} bytes cannot hold the minimal claims ({})",
        length(&claims)
    );
    // The scope takes all but the last few bytes; `,"scope":""` alone costs 11 bytes of JSON.
    if length(&claims) + 24 <= len {
        let mut fill = 0;
        loop {
            claims["scope"] = json!(scope_text(fill + 1));
            if length(&claims) + 4 > len {
                claims["scope"] = json!(scope_text(fill));
                break;
            }
            fill += 1;
        }
    }
    let mut jti = String::from("j");
    loop {
        claims["jti"] = json!(jti);
        match length(&claims) {
            n if n == len => return setup.sign(&claims),
            n if n > len => panic!("no token of exactly {len} bytes"),
            _ => jti.push('0'),
        }
    }
}

/// Space-separated scope names, cut to `len` bytes.
fn scope_text(len: usize) -> String {
    let mut text = String::with_capacity(len + 16);
    let mut i = 0;
    while text.len() < len {
        text.push_str(&format!("scope:{i:04} "));
        i += 1;
    }
    text.truncate(len);
    text
}

/// The pre-signature rejections, each with the reason the reference verifier gives.
pub fn malformed_inputs() -> Vec<Malformed> {
    let setup = Setup::typical();
    let key = setup.key();
    let claims = typical_claims();
    let header = setup.header();
    let payload = b64(claims.to_string());
    let signature = b64(forge::es256(&key, b"any"));

    // Typical header and signature around a payload of filler: exactly `len` bytes.
    let oversized = |len: usize| {
        let head = b64(header.to_string());
        let fill = len - head.len() - signature.len() - 2;
        format!("{head}.{}.{signature}", "A".repeat(fill))
    };

    // The header in the standard alphabet with padding, correctly signed, so that a lax
    // peer would accept it.
    let lax = {
        let head = STANDARD.encode(header.to_string());
        assert!(head.ends_with('='), "the lax header carries padding");
        let input = format!("{head}.{payload}");
        format!("{input}.{}", b64(forge::es256(&key, input.as_bytes())))
    };

    // Compact JWE (RFC 7516 §7.1): direct encryption, so an empty encrypted key.
    let jwe = {
        let protected =
            json!({"alg": "dir", "enc": "A256GCM", "typ": "at+jwt", "kid": setup.kid}).to_string();
        let iv: Vec<u8> = (0u8..12).collect();
        let ciphertext: Vec<u8> = (0..claims.to_string().len())
            .map(|i| (i * 37 % 251) as u8)
            .collect();
        let tag: Vec<u8> = (100u8..116).collect();
        format!(
            "{}..{}.{}.{}",
            b64(protected),
            b64(iv),
            b64(ciphertext),
            b64(tag)
        )
    };

    // The same member twice, correctly signed.
    let duplicate = Token::raw(
        br#"{"alg":"ES256","typ":"at+jwt","kid":"primary","alg":"ES256"}"#.to_vec(),
        claims.to_string(),
    )
    .sign(&key);

    // `alg: none` with an empty signature.
    let none = Token::new(
        &json!({"alg": "none", "typ": "at+jwt", "kid": setup.kid}),
        &claims,
    )
    .with_signature(b"");

    // A kid outside the set, correctly signed by its own key.
    let unknown_kid = Token::new(
        &json!({"alg": "ES256", "typ": "at+jwt", "kid": "unknown"}),
        &claims,
    )
    .sign(&forge::key("unknown"));

    vec![
        Malformed::new("1MiB", oversized(1 << 20), Reason::OversizedToken),
        Malformed::new(
            "8193B",
            oversized(MAX_TOKEN_BYTES + 1),
            Reason::OversizedToken,
        ),
        Malformed::new("alg-none", none, Reason::AlgNone),
        Malformed::new("lax-base64", lax, Reason::LaxBase64),
        Malformed::new("jwe", jwe, Reason::JwePayload),
        Malformed::new(
            "duplicate-header-keys",
            duplicate,
            Reason::DuplicateJsonKeys,
        ),
        Malformed::new("unknown-kid", unknown_kid, Reason::KidUnknown),
    ]
}

/// One malformed input: its bench name, its bytes and the reference verifier's reason.
#[derive(Clone, Debug)]
pub struct Malformed {
    pub name: &'static str,
    pub token: String,
    pub reason: Reason,
}

impl Malformed {
    fn new(name: &'static str, token: String, reason: Reason) -> Malformed {
        Malformed {
            name,
            token,
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typical_token_is_about_600_bytes_and_accepted_by_all() {
        let token = typical_token();
        assert!((580..=680).contains(&token.len()), "{}", token.len());
        let setup = Setup::typical();
        assert_all_accept(&contenders(&setup, &token, Lanes::All), &token);
    }

    #[test]
    fn sized_tokens_are_exact_and_accepted_by_all() {
        let setup = Setup::compact();
        for len in SIZES {
            let token = sized_token(&setup, len);
            assert_eq!(token.len(), len);
            assert_all_accept(&contenders(&setup, &token, Lanes::All), &token);
        }
    }

    #[test]
    fn key_set_series_is_accepted_by_all() {
        let token = typical_token();
        for count in KEY_COUNTS {
            let setup = Setup::with_keys(count);
            assert_eq!(setup.keys().len(), count);
            assert_all_accept(&contenders(&setup, &token, Lanes::All), &token);
        }
    }

    #[test]
    fn malformed_inputs_are_rejected_by_all_for_the_expected_reason() {
        let setup = Setup::typical();
        let verifiers = verifiers(&setup, Lanes::All);
        assert_eq!(verifiers.len(), if FAST { 7 } else { 3 });
        for &backend in Backend::ALL {
            let reference = setup.reference_on(backend);
            for m in malformed_inputs() {
                let got = reference.verify(m.token.as_bytes()).map(|_| ());
                assert_eq!(got.map_err(|r| r.reason), Err(m.reason), "{}", m.name);
            }
        }
        for m in malformed_inputs() {
            for v in &verifiers {
                let known = ACCEPTED_MALFORMED.contains(&(v.name, m.name));
                assert_eq!(v.run(&m.token), known, "{} on {}", v.name, m.name);
            }
        }
        let sizes: Vec<usize> = malformed_inputs().iter().map(|m| m.token.len()).collect();
        assert_eq!(sizes[..2], [1 << 20, MAX_TOKEN_BYTES + 1]);
    }
}
