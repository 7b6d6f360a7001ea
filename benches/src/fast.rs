//! The contenders of the fast lane (cargo feature `fast`): the raw `aws-lc-rs` and `ring` floors,
//! `jsonwebtoken` on its `aws_lc_rs` provider and `josekit` on OpenSSL. The reference verifier's
//! fast backends are [`verifier::Backend`]s of the same build.

use std::collections::HashMap;

use josekit::jwk::Jwk;
use josekit::jws::alg::ecdsa::EcdsaJwsVerifier;
use josekit::jws::{ES256, JwsVerifier};
use josekit::jwt::{self, JwtPayloadValidator};

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

/// `josekit` 0.10 on OpenSSL: the `kid`'s ES256 verifier (built once per key, looked up in a
/// map), `decode_with_verifier_selector`, then a `JwtPayloadValidator` (built once) for the
/// issuer and audience at the current time. It has no `typ` check, no length cap and cannot
/// require `exp`, `sub`, `client_id` or `jti`.
pub struct JoseKit {
    verifiers: HashMap<String, EcdsaJwsVerifier>,
    validator: JwtPayloadValidator,
}

impl JoseKit {
    /// `josekit` configured for `setup`.
    pub fn new(setup: &Setup) -> JoseKit {
        let verifiers = setup.jwks()["keys"]
            .as_array()
            .expect("a key set")
            .iter()
            .map(|jwk| {
                let jwk = Jwk::from_map(jwk.as_object().expect("a JWK").clone()).expect("a JWK");
                let kid = jwk.key_id().expect("every bench key has a kid").to_owned();
                (kid, ES256.verifier_from_jwk(&jwk).expect("an EC P-256 key"))
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

    /// True when `token` is accepted.
    pub fn verify(&self, token: &str) -> bool {
        let decoded = jwt::decode_with_verifier_selector(token, |header| {
            Ok(header
                .key_id()
                .and_then(|kid| self.verifiers.get(kid))
                .map(|v| v as &dyn JwsVerifier))
        });
        match decoded {
            Ok((payload, _header)) => self.validator.validate(&payload).is_ok(),
            Err(_) => false,
        }
    }
}
