//! Signature rule: ES256 over the signing input, before the payload is read.
//!
//! High-S policy: signatures with s > n/2 are accepted. RFC 7518 §3.4 does not require low-S,
//! common signers do not normalize, Wycheproof marks high-S P-256 signatures valid, and JWT
//! replay protection keys on `jti`, never on signature bytes, so malleability gains nothing.
//!
//! Backends: the ECDSA verification itself runs on `p256` (the default, the oracle) or, with the
//! cargo feature `aws-lc-rs` or `ring`, on that crate ([`Backend`]). Everything before it
//! (base64url, length, the r and s range) is the same code for all, so they differ at most in the
//! last step, and `tests/backends.rs` checks that they never do.

use std::fmt;
#[cfg(feature = "aws-lc-rs")]
use std::sync::Arc;

use p256::ecdsa::{Signature, VerifyingKey};

use crate::b64;
use crate::reason::{Reason, Rejection, reject};

/// A validated P-256 verification key, with the form a fast backend verifies with prepared once
/// (parsing a point costs `aws-lc-rs` about a tenth of a verification, every time).
#[derive(Clone)]
pub struct PublicKey {
    point: VerifyingKey,
    /// `None` only if `aws-lc-rs` refused a point `p256` accepted: every signature then fails to
    /// verify, as parsing the same point per call would, so this is a cache, never a second
    /// opinion.
    #[cfg(feature = "aws-lc-rs")]
    aws_lc: Option<Arc<aws_lc_rs::signature::ParsedPublicKey>>,
}

impl PublicKey {
    /// The key of a point `p256` has validated.
    pub fn new(point: VerifyingKey) -> PublicKey {
        PublicKey {
            #[cfg(feature = "aws-lc-rs")]
            aws_lc: aws_lc_rs::signature::ParsedPublicKey::new(
                &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED,
                point.to_sec1_point(false).as_bytes(),
            )
            .ok()
            .map(Arc::new),
            point,
        }
    }

    /// The point, as `p256` holds it.
    pub fn point(&self) -> &VerifyingKey {
        &self.point
    }
}

impl From<VerifyingKey> for PublicKey {
    fn from(point: VerifyingKey) -> PublicKey {
        PublicKey::new(point)
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &PublicKey) -> bool {
        self.point == other.point
    }
}

impl Eq for PublicKey {}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PublicKey { .. }")
    }
}

/// The crate that runs the ECDSA P-256/SHA-256 verification. A build has `P256` and whichever
/// fast backends its features compile in; [`Backend::DEFAULT`] is the fastest of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// `p256`, pure Rust: the oracle and the default build's only backend.
    P256,
    /// `ring` (cargo feature `ring`).
    #[cfg(feature = "ring")]
    Ring,
    /// `aws-lc-rs` (cargo feature `aws-lc-rs`).
    #[cfg(feature = "aws-lc-rs")]
    AwsLcRs,
}

impl Backend {
    /// The backend a [`crate::Verifier`] uses unless told otherwise: `aws-lc-rs` when compiled
    /// in, else `ring`, else `p256`.
    #[cfg(feature = "aws-lc-rs")]
    pub const DEFAULT: Backend = Backend::AwsLcRs;
    /// The backend a [`crate::Verifier`] uses unless told otherwise: `aws-lc-rs` when compiled
    /// in, else `ring`, else `p256`.
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    pub const DEFAULT: Backend = Backend::Ring;
    /// The backend a [`crate::Verifier`] uses unless told otherwise: `aws-lc-rs` when compiled
    /// in, else `ring`, else `p256`.
    #[cfg(not(any(feature = "ring", feature = "aws-lc-rs")))]
    pub const DEFAULT: Backend = Backend::P256;

    /// Every backend of this build, `p256` first.
    pub const ALL: &'static [Backend] = &[
        Backend::P256,
        #[cfg(feature = "ring")]
        Backend::Ring,
        #[cfg(feature = "aws-lc-rs")]
        Backend::AwsLcRs,
    ];

    /// The crate's name.
    pub fn name(self) -> &'static str {
        match self {
            Backend::P256 => "p256",
            #[cfg(feature = "ring")]
            Backend::Ring => "ring",
            #[cfg(feature = "aws-lc-rs")]
            Backend::AwsLcRs => "aws-lc-rs",
        }
    }

    /// True when `signature`, range-checked and parsed from the 64 bytes `r_s`, verifies
    /// `signing_input` under `key` (`p256` takes the parsed form, the others the bytes).
    #[cfg_attr(
        not(any(feature = "ring", feature = "aws-lc-rs")),
        allow(unused_variables)
    )]
    pub fn verifies(
        self,
        key: &PublicKey,
        signing_input: &[u8],
        signature: &Signature,
        r_s: &[u8],
    ) -> bool {
        match self {
            Backend::P256 => backends::p256(&key.point, signing_input, signature),
            #[cfg(feature = "ring")]
            Backend::Ring => backends::ring(&key.point, signing_input, r_s),
            #[cfg(feature = "aws-lc-rs")]
            Backend::AwsLcRs => key
                .aws_lc
                .as_ref()
                .is_some_and(|parsed| parsed.verify_sig(signing_input, r_s).is_ok()),
        }
    }
}

impl Default for Backend {
    fn default() -> Backend {
        Backend::DEFAULT
    }
}

/// `signature_invalid`: 64 bytes of canonical base64url, r and s in [1, n−1], and valid on
/// `backend`.
pub fn check_signature(
    key: &PublicKey,
    signing_input: &[u8],
    segment: &[u8],
    backend: Backend,
) -> Result<(), Rejection> {
    let bytes = b64::decode(segment).ok_or(reject(
        Reason::SignatureInvalid,
        "signature is not canonical base64url",
    ))?;
    if bytes.len() != 64 {
        return Err(reject(
            Reason::SignatureInvalid,
            "signature is not 64 bytes (r || s)",
        ));
    }
    // `from_slice` refuses r or s equal to 0 or at least n (CVE-2022-21449's r = s = 0).
    let signature = Signature::from_slice(&bytes)
        .map_err(|_| reject(Reason::SignatureInvalid, "r or s outside [1, n-1]"))?;
    let verifies = backend.verifies(key, signing_input, &signature, &bytes);
    if verifies {
        Ok(())
    } else {
        Err(reject(
            Reason::SignatureInvalid,
            "signature does not verify",
        ))
    }
}

/// The ECDSA P-256/SHA-256 verification of each backend, on a signature already checked for
/// form and range. Public for the differential test of the two backends (`tests/backends.rs`).
pub mod backends {
    use p256::ecdsa::signature::Verifier as _;
    use p256::ecdsa::{Signature, VerifyingKey};

    /// `p256`: the default backend.
    pub fn p256(key: &VerifyingKey, signing_input: &[u8], signature: &Signature) -> bool {
        key.verify(signing_input, signature).is_ok()
    }

    /// `aws-lc-rs` (feature `aws-lc-rs`), on the key's uncompressed SEC1 point and r || s.
    #[cfg(feature = "aws-lc-rs")]
    pub fn aws_lc(key: &VerifyingKey, signing_input: &[u8], signature: &[u8]) -> bool {
        let point = key.to_sec1_point(false);
        aws_lc_rs::signature::UnparsedPublicKey::new(
            &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED,
            point.as_bytes(),
        )
        .verify(signing_input, signature)
        .is_ok()
    }

    /// `ring` (feature `ring`), on the key's uncompressed SEC1 point and the 64-byte r || s.
    #[cfg(feature = "ring")]
    pub fn ring(key: &VerifyingKey, signing_input: &[u8], signature: &[u8]) -> bool {
        let point = key.to_sec1_point(false);
        ring::signature::UnparsedPublicKey::new(
            &ring::signature::ECDSA_P256_SHA256_FIXED,
            point.as_bytes(),
        )
        .verify(signing_input, signature)
        .is_ok()
    }
}
