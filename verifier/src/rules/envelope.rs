//! Size, form and alphabet: everything decided on raw bytes before any decoding.

use crate::reason::{Reason, Rejection, reject};

/// The three segments of a JWS compact token, as raw (still encoded) bytes.
#[derive(Clone, Copy)]
pub struct Compact<'a> {
    pub header: &'a [u8],
    pub payload: &'a [u8],
    pub signature: &'a [u8],
    /// `header "." payload`: the bytes the signature covers.
    pub signing_input: &'a [u8],
}

/// `oversized_token`: checked on the length alone, before any byte is read.
pub fn check_size(token: &[u8], max_bytes: usize) -> Result<(), Rejection> {
    if token.len() > max_bytes {
        return Err(reject(
            Reason::OversizedToken,
            "token longer than max_token_bytes",
        ));
    }
    Ok(())
}

/// `jws_json_rejected`: a JSON document (JWS JSON serialization, general or flattened).
pub fn reject_json_serialization(token: &[u8]) -> Result<(), Rejection> {
    let first = token
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
    if first == Some(&b'{') {
        return Err(reject(
            Reason::JwsJsonRejected,
            "JSON serialization, not compact",
        ));
    }
    Ok(())
}

/// `jwe_payload`: five segments is JWE compact serialization.
pub fn reject_jwe(token: &[u8]) -> Result<(), Rejection> {
    if count_dots(token) == 4 {
        return Err(reject(Reason::JwePayload, "five segments: JWE"));
    }
    Ok(())
}

/// `not_jws_compact`: exactly three segments of base64url (or lax base64) characters.
pub fn split_compact(token: &[u8]) -> Result<Compact<'_>, Rejection> {
    if count_dots(token) != 2 {
        return Err(reject(Reason::NotJwsCompact, "not three segments"));
    }
    let allowed = |b: &u8| b.is_ascii_alphanumeric() || b"-_+/=.".contains(b);
    if !token.iter().all(allowed) {
        return Err(reject(
            Reason::NotJwsCompact,
            "byte outside the base64url alphabet",
        ));
    }
    let mut parts = token.splitn(3, |&b| b == b'.');
    let (Some(header), Some(payload), Some(signature)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(reject(Reason::NotJwsCompact, "not three segments"));
    };
    let signing_input = &token[..header.len() + 1 + payload.len()];
    Ok(Compact {
        header,
        payload,
        signature,
        signing_input,
    })
}

/// `lax_base64`: `+`, `/` or `=` anywhere (standard alphabet or padding).
pub fn check_alphabet(token: &Compact<'_>) -> Result<(), Rejection> {
    let lax = |segment: &[u8]| segment.iter().any(|b| b"+/=".contains(b));
    if lax(token.header) || lax(token.payload) || lax(token.signature) {
        return Err(reject(
            Reason::LaxBase64,
            "standard base64 alphabet or padding",
        ));
    }
    Ok(())
}

fn count_dots(token: &[u8]) -> usize {
    token.iter().filter(|&&b| b == b'.').count()
}
