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

/// A segment decoded on the stack when it fits `N` bytes, on the heap when it does not: a
/// header or a signature is short, and the accept path should not allocate for it.
pub struct Decoded<const N: usize> {
    stack: [u8; N],
    heap: Vec<u8>,
}

impl<const N: usize> Default for Decoded<N> {
    fn default() -> Self {
        Decoded {
            stack: [0; N],
            heap: Vec::new(),
        }
    }
}

impl<const N: usize> Decoded<N> {
    /// [`decode`] `segment` into this buffer; `None` when refused.
    pub fn decode(&mut self, segment: &[u8]) -> Option<&[u8]> {
        if base64::decoded_len_estimate(segment.len()) <= N {
            // The same engine as `decode`: the same canonical form, refused the same way.
            return match URL_SAFE_NO_PAD.decode_slice(segment, &mut self.stack) {
                Ok(len) => self.stack.get(..len),
                Err(_) => None,
            };
        }
        self.heap.clear();
        decode_into(segment, &mut self.heap).then_some(&self.heap[..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On either side of the stack's size, and refusing what `decode` refuses.
    #[test]
    fn decoded_agrees_with_decode_on_both_sides_of_the_stack() {
        for len in [0usize, 1, 2, 3, 47, 48, 49, 64, 100] {
            let bytes: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let text = encode(&bytes);
            for segment in [
                text.clone(),
                format!("{text}="),
                format!("{text}A"),
                text.replace('A', "+"),
            ] {
                let mut buffer = Decoded::<48>::default();
                let got = buffer.decode(segment.as_bytes()).map(<[u8]>::to_vec);
                assert_eq!(got, decode(segment.as_bytes()), "{segment}");
            }
        }
    }
}
