//! Signature rule: ES256 over the signing input, before the payload is read.
//!
//! High-S policy: signatures with s > n/2 are accepted. RFC 7518 §3.4 does not require low-S,
//! common signers do not normalize, Wycheproof marks high-S P-256 signatures valid, and JWT
//! replay protection keys on `jti`, never on signature bytes, so malleability gains nothing.
//!
//! Backends: the ECDSA verification itself runs on `p256` (the default, the oracle) or, with the
//! cargo feature `aws-lc-rs` or `ring`, on that crate. Everything before it (base64url, length,
//! the r and s range) is the same code for all, so they differ at most in the last step, and
//! `tests/backends.rs` checks that they never do.

use p256::ecdsa::{Signature, VerifyingKey};

use crate::b64;
use crate::reason::{Reason, Rejection, reject};

/// `signature_invalid`: 64 bytes of canonical base64url, r and s in [1, n−1], and valid.
pub fn check_signature(
    key: &VerifyingKey,
    signing_input: &[u8],
    segment: &[u8],
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
    #[cfg(not(any(feature = "ring", feature = "aws-lc-rs")))]
    let verifies = backends::p256(key, signing_input, &signature);
    // The range check above is the same for every backend; the fast ones read r || s themselves.
    #[cfg(feature = "aws-lc-rs")]
    let verifies = {
        let _range_checked = signature;
        backends::aws_lc(key, signing_input, &bytes)
    };
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    let verifies = {
        let _range_checked = signature;
        backends::ring(key, signing_input, &bytes)
    };
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
