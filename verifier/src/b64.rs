//! Strict base64url (RFC 7515 §2): URL-safe alphabet, no padding, canonical trailing bits.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Decodes one segment, refusing padding, the standard alphabet, whitespace, a length of 4k+1
/// and non-zero trailing bits, so that every byte string has exactly one accepted encoding.
pub fn decode(segment: &[u8]) -> Option<Vec<u8>> {
    // `URL_SAFE_NO_PAD` is `DecodePaddingMode::RequireNone` with trailing bits disallowed:
    // exactly the canonical form.
    URL_SAFE_NO_PAD.decode(segment).ok()
}

/// [`decode`], appending to `out` (which keeps its allocation across calls); false when refused.
pub fn decode_into(segment: &[u8], out: &mut Vec<u8>) -> bool {
    URL_SAFE_NO_PAD.decode_vec(segment, out).is_ok()
}

/// Encodes bytes the one canonical way.
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}
