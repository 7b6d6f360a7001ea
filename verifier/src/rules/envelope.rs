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

/// What one pass over the raw token found: every fact the form and alphabet rules decide on,
/// gathered in a single vectorizable scan instead of one scan per rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Census {
    dots: usize,
    /// Some byte is outside the base64url alphabet, the lax extras and the separator.
    foreign: bool,
    /// Some byte is a lax extra: `+`, `/` or `=` (standard alphabet or padding).
    lax: bool,
}

impl Census {
    /// Scans `token` once.
    pub fn of(token: &[u8]) -> Census {
        // Sixteen lanes of one byte each, folded branch-free so that every lane stays in one
        // vector register; a lane counts at most one dot a block, so it is flushed every 255.
        let (blocks, tail) = token.as_chunks::<LANES>();
        let mut census = Census::default();
        for group in blocks.chunks(usize::from(u8::MAX)) {
            let (mut dots, mut compact, mut lax) = ([0u8; LANES], [true; LANES], [false; LANES]);
            for block in group {
                for lane in 0..LANES {
                    let b = block[lane];
                    dots[lane] += u8::from(b == b'.');
                    compact[lane] &= is_compact_byte(b);
                    lax[lane] |= is_lax_byte(b);
                }
            }
            census.add(&dots, &compact, &lax);
        }
        for &b in tail {
            census.add(
                &[u8::from(b == b'.')],
                &[is_compact_byte(b)],
                &[is_lax_byte(b)],
            );
        }
        census
    }

    fn add(&mut self, dots: &[u8], compact: &[bool], lax: &[bool]) {
        self.dots += dots.iter().map(|&d| usize::from(d)).sum::<usize>();
        self.foreign |= !compact.iter().all(|&c| c);
        self.lax |= lax.iter().any(|&l| l);
    }
}

/// Bytes a [`Census`] folds at once: one SSE2 register.
const LANES: usize = 16;

/// `jwe_payload`: five segments is JWE compact serialization.
pub fn reject_jwe(census: &Census) -> Result<(), Rejection> {
    if census.dots == 4 {
        return Err(reject(Reason::JwePayload, "five segments: JWE"));
    }
    Ok(())
}

/// `not_jws_compact`: exactly three segments of base64url (or lax base64) characters.
/// `census` is [`Census::of`] this `token`.
pub fn split_compact<'a>(token: &'a [u8], census: &Census) -> Result<Compact<'a>, Rejection> {
    if census.dots != 2 {
        return Err(reject(Reason::NotJwsCompact, "not three segments"));
    }
    if census.foreign {
        return Err(reject(
            Reason::NotJwsCompact,
            "byte outside the base64url alphabet",
        ));
    }
    // Exactly two dots: the first from the front (after the short header), the second from the
    // back (before the short signature), so the payload is never scanned again.
    let (Some(first), Some(second)) = (find_dot(token), rfind_dot(token)) else {
        return Err(reject(Reason::NotJwsCompact, "not three segments"));
    };
    Ok(Compact {
        header: &token[..first],
        payload: &token[first + 1..second],
        signature: &token[second + 1..],
        signing_input: &token[..second],
    })
}

/// `lax_base64`: `+`, `/` or `=` anywhere (standard alphabet or padding).
pub fn check_alphabet(census: &Census) -> Result<(), Rejection> {
    if census.lax {
        return Err(reject(
            Reason::LaxBase64,
            "standard base64 alphabet or padding",
        ));
    }
    Ok(())
}

/// A lax extra: `+`, `/` or `=` (standard alphabet or padding).
fn is_lax_byte(b: u8) -> bool {
    (b == b'+') | (b == b'/') | (b == b'=')
}

/// A byte of the base64url alphabet, of the lax extras or the separator `.`: a letter (either
/// case), one of `- . / 0-9` (0x2D..=0x39, one range), `_`, or a lax extra.
fn is_compact_byte(b: u8) -> bool {
    let letter = (b | 0x20).wrapping_sub(b'a') < 26;
    let dash_dot_slash_digit = b.wrapping_sub(b'-') < 13;
    letter | dash_dot_slash_digit | (b == b'_') | is_lax_byte(b)
}

/// The index of the first `.`: the first word holding one, then its place in it.
fn find_dot(bytes: &[u8]) -> Option<usize> {
    let (words, tail) = bytes.as_chunks::<WORD>();
    for (k, word) in words.iter().enumerate() {
        let dots = dot_bits(word);
        if dots != 0 {
            return Some(k * WORD + dots.trailing_zeros() as usize / 8);
        }
    }
    let start = words.len() * WORD;
    tail.iter().position(|&b| b == b'.').map(|i| start + i)
}

/// The index of the last `.`, word by word from the end.
fn rfind_dot(bytes: &[u8]) -> Option<usize> {
    let (head, words) = bytes.as_rchunks::<WORD>();
    for (k, word) in words.iter().enumerate().rev() {
        let dots = dot_bits(word);
        if dots != 0 {
            let last = WORD - 1 - dots.leading_zeros() as usize / 8;
            return Some(head.len() + k * WORD + last);
        }
    }
    head.iter().rposition(|&b| b == b'.')
}

/// Bytes [`dot_bits`] tests at once.
const WORD: usize = 8;

/// The high bit of byte `i` set exactly when `word[i]` is a `.`: the exact SWAR zero-byte
/// test on the word XOR dots (no borrow crosses bytes, so it holds from either end).
fn dot_bits(word: &[u8; WORD]) -> u64 {
    const LOW7: u64 = u64::from_ne_bytes([0x7f; WORD]);
    let x = u64::from_le_bytes(*word) ^ u64::from_ne_bytes([b'.'; WORD]);
    !(((x & LOW7) + LOW7) | x) & !LOW7
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
                for &odd in b".+/=~\0\xff" {
                    if len > 0 {
                        bytes[at] = odd;
                    }
                    let want = Census {
                        dots: bytes.iter().filter(|&&b| b == b'.').count(),
                        foreign: !bytes.iter().all(|&b| is_compact_byte(b)),
                        lax: bytes.iter().any(|b| b"+/=".contains(b)),
                    };
                    assert_eq!(Census::of(&bytes), want);
                    assert_eq!(find_dot(&bytes), bytes.iter().position(|&b| b == b'.'));
                    assert_eq!(rfind_dot(&bytes), bytes.iter().rposition(|&b| b == b'.'));
                }
            }
        }
        assert_eq!(Census::of(&[b'.'; 1000]).dots, 1000);
    }

    #[test]
    fn dot_bits_marks_exactly_the_dots_whatever_surrounds_them() {
        // Backgrounds that could carry or borrow into a neighbour: a dot, its high-bit twin,
        // the bytes beside it, and the extremes.
        for background in [b'A', b'.', 0xae, b'-', b'/', 0x00, 0x7f, 0x80, 0xff] {
            for b in 0..=u8::MAX {
                for at in 0..WORD {
                    let mut word = [background; WORD];
                    word[at] = b;
                    let want = (0..WORD)
                        .filter(|&i| word[i] == b'.')
                        .fold(0u64, |bits, i| bits | 0x80 << (8 * i));
                    assert_eq!(dot_bits(&word), want, "{word:02x?}");
                }
            }
        }
    }
}
