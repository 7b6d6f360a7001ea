//! The contenders of the fast lane (cargo feature `fast`): the raw `aws-lc-rs` and `ring` floors,
//! `jsonwebtoken` on its `aws_lc_rs` provider and `josekit` on OpenSSL. The reference verifier's
//! fast backends are [`verifier::Backend`]s of the same build.

use std::collections::HashMap;

use forge::Alg;
use josekit::jwk::Jwk;
use josekit::jws::{
    ES256, ES384, ES512, EdDSA, HS256, HS384, HS512, JwsVerifier, PS256, PS384, PS512, RS256,
    RS384, RS512,
};
use josekit::jwt::{self, JwtPayloadValidator};
use serde_json::Value;

use crate::algs::{AlgSetup, CLIENT_ID, NONCE, TokenKind};
use crate::{Setup, split_signed};

/// Raw `aws-lc-rs` ECDSA P-256/SHA-256 verification with the key already parsed: the least a
/// verifier on `aws-lc-rs` does, and the fast lane's floor.
pub struct AwsLcFloor {
    key: aws_lc_rs::signature::ParsedPublicKey,
    signing_input: Vec<u8>,
    signature: Vec<u8>,
}

impl AwsLcFloor {
    /// The floor of `token` under `setup`'s signing key.
    pub fn new(setup: &Setup, token: &str) -> AwsLcFloor {
        let point = setup.key().verifying_key().to_sec1_point(false);
        let key = aws_lc_rs::signature::ParsedPublicKey::new(
            &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED,
            point.as_bytes(),
        )
        .expect("a P-256 point");
        let (signing_input, signature) = split_signed(token);
        AwsLcFloor {
            key,
            signing_input,
            signature,
        }
    }

    /// True when the signature verifies.
    pub fn verify(&self) -> bool {
        self.key
            .verify_sig(&self.signing_input, &self.signature)
            .is_ok()
    }
}

/// Raw `ring` ECDSA P-256/SHA-256 verification (`ring` has no parsed-key type: it reads the
/// point on every call, as every verifier on `ring` does).
pub struct RingFloor {
    key: ring::signature::UnparsedPublicKey<Vec<u8>>,
    signing_input: Vec<u8>,
    signature: Vec<u8>,
}

impl RingFloor {
    /// The floor of `token` under `setup`'s signing key.
    pub fn new(setup: &Setup, token: &str) -> RingFloor {
        let point = setup.key().verifying_key().to_sec1_point(false);
        let key = ring::signature::UnparsedPublicKey::new(
            &ring::signature::ECDSA_P256_SHA256_FIXED,
            point.as_bytes().to_vec(),
        );
        let (signing_input, signature) = split_signed(token);
        RingFloor {
            key,
            signing_input,
            signature,
        }
    }

    /// True when the signature verifies.
    pub fn verify(&self) -> bool {
        self.key
            .verify(&self.signing_input, &self.signature)
            .is_ok()
    }
}

/// `jsonwebtoken`'s crypto provider is one per process; the bench measures both of its
/// providers in one process through a provider that forwards every call to the one the calling
/// thread chose (one thread-local read per token, on both peers alike).
pub mod provider {
    use std::cell::Cell;
    use std::sync::LazyLock;

    use jsonwebtoken::crypto::{CryptoProvider, aws_lc, rust_crypto};

    thread_local!(static AWS_LC: Cell<bool> = const { Cell::new(false) });

    fn chosen() -> &'static CryptoProvider {
        if AWS_LC.get() {
            &aws_lc::DEFAULT_PROVIDER
        } else {
            &rust_crypto::DEFAULT_PROVIDER
        }
    }

    static FORWARDING: LazyLock<CryptoProvider> = LazyLock::new(|| CryptoProvider {
        signer_factory: |alg, key| (chosen().signer_factory)(alg, key),
        verifier_factory: |alg, key| (chosen().verifier_factory)(alg, key),
        key_utils: rust_crypto::DEFAULT_PROVIDER.key_utils.clone(),
    });

    /// Runs `f` with `jsonwebtoken` on `aws_lc_rs` (`true`) or `rust_crypto` (`false`).
    pub fn with<T>(aws_lc: bool, f: impl FnOnce() -> T) -> T {
        static INSTALLED: LazyLock<()> = LazyLock::new(|| {
            // Err means a provider is already installed: only this module installs one.
            let _ = CryptoProvider::install_default(&FORWARDING);
        });
        LazyLock::force(&INSTALLED);
        AWS_LC.set(aws_lc);
        f()
    }
}

/// `josekit` 0.10 on OpenSSL: the `kid`'s verifier (built once per key, looked up in a
/// map), `decode_with_verifier_selector`, then a `JwtPayloadValidator` (built once) for the
/// issuer and audience at the current time. It has no `typ` check, no length cap and cannot
/// require `exp`, `sub`, `client_id` or `jti`.
pub struct JoseKit {
    verifiers: HashMap<String, Box<dyn JwsVerifier>>,
    validator: JwtPayloadValidator,
}

impl JoseKit {
    /// `josekit` configured for `setup` (ES256).
    pub fn new(setup: &Setup) -> JoseKit {
        JoseKit::for_keys(setup, &setup.jwks(), Alg::ES256)
    }

    /// `josekit` for `setup`'s issuer and audience, the keys of `jwks` and `alg`'s verifiers.
    pub fn for_keys(setup: &Setup, jwks: &Value, alg: Alg) -> JoseKit {
        let verifiers = jwks["keys"]
            .as_array()
            .expect("a key set")
            .iter()
            .map(|jwk| {
                let jwk = Jwk::from_map(jwk.as_object().expect("a JWK").clone()).expect("a JWK");
                let kid = jwk.key_id().expect("every bench key has a kid").to_owned();
                (kid, josekit_verifier(alg, &jwk))
            })
            .collect();
        let mut validator = JwtPayloadValidator::new();
        validator.set_issuer(setup.issuer.clone());
        validator.set_audience(setup.audience.clone());
        JoseKit {
            verifiers,
            validator,
        }
    }

    /// `josekit` for an [`AlgSetup`]: for the ID token, the client as audience and the `nonce`
    /// claim required to equal the request's (`set_claim`); it cannot check `azp`.
    pub fn for_alg_setup(s: &AlgSetup) -> JoseKit {
        let mut this = JoseKit::for_keys(&s.setup, &s.jwks(), s.alg);
        if s.kind == TokenKind::IdToken {
            this.validator.set_audience(CLIENT_ID);
            this.validator.set_claim("nonce", Value::from(NONCE));
        }
        this
    }

    /// True when `token` is accepted.
    pub fn verify(&self, token: &str) -> bool {
        let decoded = jwt::decode_with_verifier_selector(token, |header| {
            Ok(header
                .key_id()
                .and_then(|kid| self.verifiers.get(kid))
                .map(|v| v.as_ref()))
        });
        match decoded {
            Ok((payload, _header)) => self.validator.validate(&payload).is_ok(),
            Err(_) => false,
        }
    }
}

/// `josekit`'s verifier of `alg` for `jwk`.
fn josekit_verifier(alg: Alg, jwk: &Jwk) -> Box<dyn JwsVerifier> {
    let verifier: Result<Box<dyn JwsVerifier>, _> = match alg {
        Alg::ES256 => ES256.verifier_from_jwk(jwk).map(|v| Box::new(v) as _),
        Alg::ES384 => ES384.verifier_from_jwk(jwk).map(|v| Box::new(v) as _),
        Alg::ES512 => ES512.verifier_from_jwk(jwk).map(|v| Box::new(v) as _),
        Alg::RS256 => RS256.verifier_from_jwk(jwk).map(|v| Box::new(v) as _),
        Alg::RS384 => RS384.verifier_from_jwk(jwk).map(|v| Box::new(v) as _),
        Alg::RS512 => RS512.verifier_from_jwk(jwk).map(|v| Box::new(v) as _),
        Alg::PS256 => PS256.verifier_from_jwk(jwk).map(|v| Box::new(v) as _),
        Alg::PS384 => PS384.verifier_from_jwk(jwk).map(|v| Box::new(v) as _),
        Alg::PS512 => PS512.verifier_from_jwk(jwk).map(|v| Box::new(v) as _),
        Alg::EdDSA => EdDSA.verifier_from_jwk(jwk).map(|v| Box::new(v) as _),
        Alg::HS256 => HS256.verifier_from_jwk(jwk).map(|v| Box::new(v) as _),
        Alg::HS384 => HS384.verifier_from_jwk(jwk).map(|v| Box::new(v) as _),
        Alg::HS512 => HS512.verifier_from_jwk(jwk).map(|v| Box::new(v) as _),
    };
    verifier.expect("josekit reads the bench key")
}

/// The raw `aws-lc-rs` or `ring` primitive of an algorithm over one token's signing
/// input: the key parsed once where the crate can (`aws-lc-rs`'s `ParsedPublicKey`; `ring`
/// reads it on every call), the HMAC key built once.
pub struct AlgFloor {
    check: Box<dyn Fn() -> bool>,
}

/// An [`AlgFloor`] constructor over `$krate`: `aws-lc-rs` and `ring` share the `signature` and
/// `hmac` API, so the algorithm→parameters table is written once; `$floor` turns the `$params`
/// and the `$key` bytes into the check of a signature over a signing input.
macro_rules! alg_floor {
    (
        $(#[$doc:meta])*
        $fn:ident, $krate:ident, $name:literal, |$params:ident, $key:ident| $floor:expr
    ) => {
        $(#[$doc])*
        pub fn $fn(s: &AlgSetup, token: &str) -> Option<AlgFloor> {
            use $krate::{hmac, signature as sig};
            let $key = s.primitive_key();
            let hmac = |alg| {
                let key = hmac::Key::new(alg, &$key);
                Some(AlgFloor::new(token, move |m, t| hmac::verify(&key, m, t).is_ok()))
            };
            let $params: &'static dyn sig::VerificationAlgorithm = match s.alg {
                Alg::RS256 => &sig::RSA_PKCS1_2048_8192_SHA256,
                Alg::RS384 => &sig::RSA_PKCS1_2048_8192_SHA384,
                Alg::RS512 => &sig::RSA_PKCS1_2048_8192_SHA512,
                Alg::PS256 => &sig::RSA_PSS_2048_8192_SHA256,
                Alg::PS384 => &sig::RSA_PSS_2048_8192_SHA384,
                Alg::PS512 => &sig::RSA_PSS_2048_8192_SHA512,
                Alg::EdDSA => &sig::ED25519,
                Alg::ES256 => &sig::ECDSA_P256_SHA256_FIXED,
                Alg::ES384 => &sig::ECDSA_P384_SHA384_FIXED,
                Alg::ES512 => alg_floor!(@p521 $krate)?,
                Alg::HS256 => return hmac(hmac::HMAC_SHA256),
                Alg::HS384 => return hmac(hmac::HMAC_SHA384),
                Alg::HS512 => return hmac(hmac::HMAC_SHA512),
            };
            Some(AlgFloor::new(token, $floor))
        }
    };
    (@p521 aws_lc_rs) => {
        Some::<&'static dyn sig::VerificationAlgorithm>(&sig::ECDSA_P521_SHA512_FIXED)
    };
    // `ring` has no P-521.
    (@p521 ring) => {
        None::<&'static dyn sig::VerificationAlgorithm>
    };
}

impl AlgFloor {
    alg_floor!(
        /// The `aws-lc-rs` floor of `token` under `s`'s key.
        aws_lc, aws_lc_rs, "aws-lc-rs", |params, key| {
            let key = sig::ParsedPublicKey::new(params, key).expect("aws-lc-rs reads the key");
            move |m: &[u8], t: &[u8]| key.verify_sig(m, t).is_ok()
        }
    );

    alg_floor!(
        /// The `ring` floor of `token` under `s`'s key.
        ring, ring, "ring", |params, key| {
            let key = sig::UnparsedPublicKey::new(params, key);
            move |m: &[u8], t: &[u8]| key.verify(m, t).is_ok()
        }
    );

    fn new(token: &str, check: impl Fn(&[u8], &[u8]) -> bool + 'static) -> AlgFloor {
        let (signing_input, signature) = split_signed(token);
        AlgFloor {
            check: Box::new(move || check(&signing_input, &signature)),
        }
    }

    /// True when the signature verifies.
    pub fn verify(&self) -> bool {
        (self.check)()
    }
}
