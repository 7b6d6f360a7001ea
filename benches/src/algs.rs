//! The accept path per algorithm (the `accept-alg` group): the typical token's claims under
//! RS256, PS256, EdDSA, ES384 and HS256, each with one key of its kind from `forge`, verified by
//! the reference on each backend, by the peers that support the algorithm, and by each
//! backend's raw primitive (the floors). The ES256 accept path is the [`crate::ACCEPT`] group.
//!
//! Every contender is configured as in the ES256 benches (pinned issuer and audience, zero
//! leeway, the one algorithm of the token), except for the algorithm and its key.

use base64::Engine;
use forge::{Alg, AnyKey, Token};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use verifier::{Algorithm, Backend};

use crate::{
    Contender, JSONWEBTOKEN, JWT_SIMPLE, JsonWebToken, Lanes, MAX_TOKEN_BYTES, REFERENCE,
    RUSTCRYPTO_FLOOR, Reference, Setup, alg_floor_of, split_signed, typical_claims,
};

/// Criterion group of the accept path per algorithm (parameters `<alg>-round-<k>`).
pub const ACCEPT_ALG: &str = "accept-alg";
/// The algorithms of the group, in report order. ES256 is the [`crate::ACCEPT`] group.
pub const ALGORITHMS: [Alg; 5] = [Alg::RS256, Alg::PS256, Alg::EdDSA, Alg::ES384, Alg::HS256];
/// Rounds per algorithm (fewer than the ES256 group's: five algorithms run in one bench).
pub const ALG_ROUNDS: usize = 3;

/// The typical setup (issuer, audience, `kid`) with a key of `alg`'s kind: `forge`'s stored
/// 2048-bit RSA key, its P-384 or Ed25519 key of the `kid`, or a 32-byte HMAC secret.
#[derive(Clone, Debug)]
pub struct AlgSetup {
    pub alg: Alg,
    pub setup: Setup,
}

impl AlgSetup {
    pub fn new(alg: Alg) -> AlgSetup {
        AlgSetup {
            alg,
            setup: Setup::typical(),
        }
    }

    /// The verifier's name for the algorithm.
    pub fn algorithm(&self) -> Algorithm {
        Algorithm::from_name(self.alg.name()).expect("forge and the verifier share the names")
    }

    /// The signing key (for HS256, the secret itself).
    pub fn key(&self) -> AnyKey {
        AnyKey::for_alg(self.alg, &self.setup.kid)
    }

    /// The key set: the one key, with `alg` set.
    pub fn jwks(&self) -> Value {
        forge::jwks_of(&[(&self.setup.kid, &self.key(), self.alg)])
    }

    pub fn header(&self) -> Value {
        json!({"alg": self.alg.name(), "typ": "at+jwt", "kid": self.setup.kid})
    }

    /// The typical claims signed under this algorithm.
    pub fn token(&self) -> String {
        Token::new(&self.header(), &typical_claims()).sign_with(self.alg, &self.key())
    }

    /// The timeless bench profile allowing this algorithm only.
    pub fn profile_json(&self) -> Value {
        let mut profile = self.setup.profile_json();
        profile["algorithms"] = json!([self.alg.name()]);
        profile
    }

    /// The reference verifier on `backend`.
    pub fn reference_on(&self, backend: Backend) -> Reference {
        Reference::new(
            &self.profile_json(),
            &self.jwks(),
            &[self.algorithm()],
            backend,
        )
    }

    /// The public key in the form the raw primitives of `ring` and `aws-lc-rs` take: the
    /// PKCS#1 `RSAPublicKey` DER, the uncompressed SEC1 point, the Ed25519 key; for HS256 the
    /// secret.
    pub fn primitive_key(&self) -> Vec<u8> {
        use rsa::pkcs1::EncodeRsaPublicKey;
        match self.key() {
            AnyKey::Rsa(k) => k
                .public()
                .to_pkcs1_der()
                .expect("PKCS#1 encoding")
                .as_bytes()
                .to_vec(),
            AnyKey::P384(k) => k.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
            AnyKey::Ed25519(k) => k.verifying_key().to_bytes().to_vec(),
            AnyKey::Oct(secret) => secret,
            other => panic!("no bench primitive for {other:?}"),
        }
    }

    /// `jsonwebtoken`'s name for the algorithm.
    fn jsonwebtoken_alg(&self) -> jsonwebtoken::Algorithm {
        self.alg
            .name()
            .parse()
            .expect("jsonwebtoken knows every JWS name")
    }

    /// `jsonwebtoken` on `rust_crypto` (`aws_lc: false`) or `aws_lc_rs`.
    pub fn jsonwebtoken(&self, aws_lc: bool) -> JsonWebToken {
        JsonWebToken::for_keys(&self.setup, &self.jwks(), self.jsonwebtoken_alg(), aws_lc)
    }

    /// `jwt-simple` with this setup's one key pinned.
    pub fn jwt_simple(&self) -> JwtSimpleAlg {
        JwtSimpleAlg::new(self)
    }
}

/// The RustCrypto primitive of the algorithm over the token's signing input, with the key and
/// signature parsed once: the same calls the reference's default backend makes (`rsa`'s
/// `PublicKey::verify` over the hash with PKCS#1 v1.5 or PSS, `ed25519-dalek`'s
/// `verify_strict`, `p384`'s `verify`, `hmac`'s constant-time `verify_slice`).
pub struct RustCryptoFloor {
    check: Box<dyn Fn() -> bool>,
}

impl RustCryptoFloor {
    pub fn new(s: &AlgSetup, token: &str) -> RustCryptoFloor {
        use p256::ecdsa::signature::Verifier as _;
        let (input, signature) = split_signed(token);
        let check: Box<dyn Fn() -> bool> = match (s.alg, s.key()) {
            (Alg::RS256, AnyKey::Rsa(k)) => {
                let key = k.public();
                Box::new(move || {
                    let hash = Sha256::digest(&input);
                    key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &hash, &signature)
                        .is_ok()
                })
            }
            (Alg::PS256, AnyKey::Rsa(k)) => {
                let key = k.public();
                Box::new(move || {
                    let hash = Sha256::digest(&input);
                    key.verify(rsa::Pss::<Sha256>::new(), &hash, &signature)
                        .is_ok()
                })
            }
            (Alg::EdDSA, AnyKey::Ed25519(k)) => {
                let key = k.verifying_key();
                let sig = ed25519_dalek::Signature::from_slice(&signature).expect("64 bytes");
                Box::new(move || key.verify_strict(&input, &sig).is_ok())
            }
            (Alg::ES384, AnyKey::P384(k)) => {
                let key = *k.verifying_key();
                let sig = p384::ecdsa::Signature::from_slice(&signature).expect("96 bytes");
                Box::new(move || key.verify(&input, &sig).is_ok())
            }
            (Alg::HS256, AnyKey::Oct(secret)) => {
                let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&secret).expect("any length");
                Box::new(move || {
                    mac.clone()
                        .chain_update(&input)
                        .verify_slice(&signature)
                        .is_ok()
                })
            }
            (alg, key) => panic!("no RustCrypto floor for {alg} with {key:?}"),
        };
        RustCryptoFloor { check }
    }

    /// True when the signature verifies.
    pub fn verify(&self) -> bool {
        (self.check)()
    }
}

/// `jwt-simple` 0.15 (`pure-rust`) for one algorithm: the key type of the algorithm, its `kid`
/// pinned, and the options of [`crate::JwtSimple`] (issuer, audience, `typ`, `kid`, zero
/// tolerance, the 8192-byte cap).
pub struct JwtSimpleAlg {
    key: JwtSimpleKey,
    options: jwt_simple::prelude::VerificationOptions,
}

enum JwtSimpleKey {
    Rs256(jwt_simple::prelude::RS256PublicKey),
    Ps256(jwt_simple::prelude::PS256PublicKey),
    Ed25519(jwt_simple::prelude::Ed25519PublicKey),
    Es384(jwt_simple::prelude::ES384PublicKey),
    Hs256(jwt_simple::prelude::HS256Key),
}

impl JwtSimpleAlg {
    fn new(s: &AlgSetup) -> JwtSimpleAlg {
        use jwt_simple::prelude::*;
        let kid = &s.setup.kid;
        let key = match s.key() {
            AnyKey::Rsa(k) if s.alg == Alg::RS256 => JwtSimpleKey::Rs256(
                RS256PublicKey::from_components(&k.n(), &k.e())
                    .expect("an RSA key")
                    .with_key_id(kid),
            ),
            AnyKey::Rsa(k) => JwtSimpleKey::Ps256(
                PS256PublicKey::from_components(&k.n(), &k.e())
                    .expect("an RSA key")
                    .with_key_id(kid),
            ),
            AnyKey::Ed25519(k) => JwtSimpleKey::Ed25519(
                Ed25519PublicKey::from_bytes(&k.verifying_key().to_bytes())
                    .expect("an Ed25519 key")
                    .with_key_id(kid),
            ),
            AnyKey::P384(_) => JwtSimpleKey::Es384(
                ES384PublicKey::from_bytes(&s.primitive_key())
                    .expect("a P-384 point")
                    .with_key_id(kid),
            ),
            AnyKey::Oct(secret) => {
                JwtSimpleKey::Hs256(HS256Key::from_bytes(&secret).with_key_id(kid))
            }
            other => panic!("no jwt-simple key for {other:?}"),
        };
        let options = VerificationOptions {
            allowed_issuers: Some(HashSet::from_strings(&[&s.setup.issuer])),
            allowed_audiences: Some(HashSet::from_strings(&[&s.setup.audience])),
            required_signature_type: Some("at+jwt".to_owned()),
            required_key_id: Some(kid.clone()),
            time_tolerance: Some(Duration::from_secs(0)),
            max_token_length: Some(MAX_TOKEN_BYTES),
            ..VerificationOptions::default()
        };
        JwtSimpleAlg { key, options }
    }

    /// True when `token` is accepted.
    pub fn verify(&self, token: &str) -> bool {
        use crate::JwtSimpleExtra as Extra;
        use jwt_simple::prelude::*;
        let options = Some(self.options.clone());
        match &self.key {
            JwtSimpleKey::Rs256(k) => k.verify_token::<Extra>(token, options).is_ok(),
            JwtSimpleKey::Ps256(k) => k.verify_token::<Extra>(token, options).is_ok(),
            JwtSimpleKey::Ed25519(k) => k.verify_token::<Extra>(token, options).is_ok(),
            JwtSimpleKey::Es384(k) => k.verify_token::<Extra>(token, options).is_ok(),
            JwtSimpleKey::Hs256(k) => k.verify_token::<Extra>(token, options).is_ok(),
        }
    }
}

/// The contenders of `lanes` for `token` under `s`: the floors, the reference on each backend,
/// then the peers; each paired with its lane's floor ([`alg_floor_of`]).
pub fn alg_contenders(s: &AlgSetup, token: &str, lanes: Lanes) -> Vec<Contender> {
    let contender =
        |name, run: Box<dyn Fn(&str) -> bool>| Contender::with_floor(name, alg_floor_of(name), run);
    let reference = |name, backend| {
        let reference = s.reference_on(backend);
        contender(
            name,
            Box::new(move |t| reference.verify(t.as_bytes()).is_ok()),
        )
    };
    let jsonwebtoken = |name, aws_lc| {
        let jsonwebtoken = s.jsonwebtoken(aws_lc);
        contender(name, Box::new(move |t| jsonwebtoken.verify(t).is_some()))
    };
    let floor = RustCryptoFloor::new(s, token);
    let jwt_simple = s.jwt_simple();
    #[cfg_attr(not(feature = "fast"), allow(unused_mut))]
    let mut all = vec![
        contender(RUSTCRYPTO_FLOOR, Box::new(move |_| floor.verify())),
        reference(REFERENCE, Backend::P256),
        jsonwebtoken(JSONWEBTOKEN, false),
        contender(JWT_SIMPLE, Box::new(move |t| jwt_simple.verify(t))),
    ];
    #[cfg(feature = "fast")]
    if lanes == Lanes::All {
        use crate::{
            AWS_LC_FLOOR, JOSEKIT, JSONWEBTOKEN_AWS_LC, REFERENCE_AWS_LC, REFERENCE_RING,
            RING_FLOOR, fast,
        };
        let aws_lc_floor = fast::AlgFloor::aws_lc(s, token);
        let ring_floor = fast::AlgFloor::ring(s, token);
        let josekit = fast::JoseKit::for_keys(&s.setup, &s.jwks(), s.alg);
        all.splice(
            1..1,
            [
                contender(AWS_LC_FLOOR, Box::new(move |_| aws_lc_floor.verify())),
                contender(RING_FLOOR, Box::new(move |_| ring_floor.verify())),
            ],
        );
        all.extend([
            reference(REFERENCE_AWS_LC, Backend::AwsLcRs),
            reference(REFERENCE_RING, Backend::Ring),
            jsonwebtoken(JSONWEBTOKEN_AWS_LC, true),
            contender(JOSEKIT, Box::new(move |t| josekit.verify(t))),
        ]);
    }
    #[cfg(not(feature = "fast"))]
    let _ = lanes;
    all
}

/// The token with its signature's middle byte flipped: every contender must refuse it.
pub fn tampered(token: &str) -> String {
    let (input, mut signature) = split_signed(token);
    let middle = signature.len() / 2;
    signature[middle] ^= 1;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}",
        String::from_utf8(input).expect("ASCII"),
        engine.encode(signature)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_contender_accepts_each_algorithm_and_refuses_a_tampered_signature() {
        for alg in ALGORITHMS {
            let s = AlgSetup::new(alg);
            let token = s.token();
            let contenders = alg_contenders(&s, &token, Lanes::All);
            assert_eq!(contenders.len(), if crate::FAST { 10 } else { 4 }, "{alg}");
            crate::assert_all_accept(&contenders, &token);
            let bad = tampered(&token);
            for c in contenders.iter().filter(|c| !c.is_floor()) {
                assert!(!c.run(&bad), "{} accepts a tampered {alg} token", c.name);
            }
            for c in &contenders {
                assert!(contenders.iter().any(|f| f.name == c.floor), "{}", c.floor);
            }
        }
    }

    #[test]
    fn the_floors_check_the_signature() {
        for alg in ALGORITHMS {
            let s = AlgSetup::new(alg);
            let bad = tampered(&s.token());
            assert!(!RustCryptoFloor::new(&s, &bad).verify(), "{alg}");
            #[cfg(feature = "fast")]
            {
                assert!(!crate::fast::AlgFloor::aws_lc(&s, &bad).verify(), "{alg}");
                assert!(!crate::fast::AlgFloor::ring(&s, &bad).verify(), "{alg}");
            }
        }
    }
}
