//! Signature rule: ES256 over the signing input, before the payload is read.
//!
//! High-S policy: signatures with s > n/2 are accepted. RFC 7518 §3.4 does not require low-S,
//! common signers do not normalize, Wycheproof marks high-S P-256 signatures valid, and JWT
//! replay protection keys on `jti`, never on signature bytes, so malleability gains nothing.

use p256::ecdsa::signature::Verifier as _;
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
    key.verify(signing_input, &signature)
        .map_err(|_| reject(Reason::SignatureInvalid, "signature does not verify"))
}
