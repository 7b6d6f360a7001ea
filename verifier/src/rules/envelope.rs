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
    // Exactly two dots: a first, a second, and none after it.
    let first = find_dot(token);
    let second = first.and_then(|h| find_dot(&token[h + 1..]).map(|p| h + 1 + p));
    let (Some(first), Some(second)) = (first, second) else {
        return Err(reject(Reason::NotJwsCompact, "not three segments"));
    };
    if find_dot(&token[second + 1..]).is_some() {
        return Err(reject(Reason::NotJwsCompact, "not three segments"));
    }
    if !all_bytes(token, is_compact_byte) {
        return Err(reject(
            Reason::NotJwsCompact,
            "byte outside the base64url alphabet",
        ));
    }
    let header = &token[..first];
    let payload = &token[first + 1..second];
    let signature = &token[second + 1..];
    let signing_input = &token[..second];
    Ok(Compact {
        header,
        payload,
        signature,
        signing_input,
    })
}

/// `lax_base64`: `+`, `/` or `=` anywhere (standard alphabet or padding).
pub fn check_alphabet(token: &Compact<'_>) -> Result<(), Rejection> {
    let lax = |segment: &[u8]| !all_bytes(segment, |b| !matches!(b, b'+' | b'/' | b'='));
    if lax(token.header) || lax(token.payload) || lax(token.signature) {
        return Err(reject(
            Reason::LaxBase64,
            "standard base64 alphabet or padding",
        ));
    }
    Ok(())
}

// The scans below run on every token before any decoding, so they are written to vectorize:
// branch-free tests folded over blocks (no per-byte early exit, no per-byte call into
// `memchr` as `<[u8]>::contains` makes); dots are counted in u8 lanes over blocks of 255 and
// found block by block.

/// A byte of the base64url alphabet, of the lax extras (`+`, `/`, `=`) or the separator `.`:
/// a letter (either case), one of `- . / 0-9` (0x2D..=0x39, one range), or `+ = _`.
fn is_compact_byte(b: u8) -> bool {
    let letter = (b | 0x20).wrapping_sub(b'a') < 26;
    let dash_dot_slash_digit = b.wrapping_sub(b'-') < 13;
    letter | dash_dot_slash_digit | (b == b'+') | (b == b'=') | (b == b'_')
}

/// True when every byte satisfies `test` (the answer of `iter().all`, without its early exit
/// inside a block of 256).
fn all_bytes(bytes: &[u8], test: impl Fn(u8) -> bool + Copy) -> bool {
    bytes
        .chunks(256)
        .all(|block| block.iter().fold(true, |ok, &b| ok & test(b)))
}

/// The index of the first `.`: the first 16-byte block holding one, then its place in it.
fn find_dot(bytes: &[u8]) -> Option<usize> {
    let mut start = 0;
    for block in bytes.chunks(16) {
        if block.iter().fold(false, |seen, &b| seen | (b == b'.')) {
            return block.iter().position(|&b| b == b'.').map(|i| start + i);
        }
        start += block.len();
    }
    None
}

fn count_dots(token: &[u8]) -> usize {
    token
        .chunks(255)
        .map(|block| usize::from(block.iter().fold(0u8, |n, &b| n + u8::from(b == b'.'))))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_bytes_are_exactly_the_lax_alphabet_and_the_dot() {
        for b in 0..=u8::MAX {
            let want = b.is_ascii_alphanumeric() || b"-_+/=.".contains(&b);
            assert_eq!(is_compact_byte(b), want, "byte {b:#04x}");
        }
    }

    #[test]
    fn scans_agree_with_the_plain_iterators_across_block_boundaries() {
        for len in [
            0usize, 1, 15, 16, 17, 63, 64, 65, 254, 255, 256, 257, 511, 512, 513, 1000,
        ] {
            for at in [0, len / 2, len.saturating_sub(1)] {
                let mut bytes = vec![b'A'; len];
                for &odd in b".+~\0\xff" {
                    if len > 0 {
                        bytes[at] = odd;
                    }
                    let dots = bytes.iter().filter(|&&b| b == b'.').count();
                    assert_eq!(count_dots(&bytes), dots);
                    assert_eq!(find_dot(&bytes), bytes.iter().position(|&b| b == b'.'));
                    let all = bytes.iter().all(|&b| is_compact_byte(b));
                    assert_eq!(all_bytes(&bytes, is_compact_byte), all);
                }
            }
        }
        let dots = vec![b'.'; 1000];
        assert_eq!(count_dots(&dots), 1000);
    }
}
