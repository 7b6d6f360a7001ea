//! Oracles written independently of the verifier's code: a from-the-RFC base64url decoder, a
//! P-256 curve-equation check over big integers, JSON depth, and the accept oracle.

use num_bigint::BigUint;
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature, VerifyingKey};
use serde_json::Value;

/// RFC 4648 §5 base64url without padding, canonical: decodes `segment` 6 bits at a time and
/// refuses any byte outside the URL-safe alphabet, a length of 4k+1, and non-zero leftover bits.
pub fn naive_b64url_decode(segment: &[u8]) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        })
    };
    if segment.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(segment.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for &c in segment {
        acc = (acc << 6) | value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Leftover bits (2 or 4) must all be zero for the encoding to be the canonical one.
    (acc == 0).then_some(out)
}

/// Canonical base64url of `bytes`, written out by hand for the round-trip checks: each group of
/// up to three bytes as a 24-bit number, cut into 6-bit digits, one more digit than bytes.
pub fn naive_b64url_encode(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // Bytes first, one conversion at the end: a `char` push per digit (and the fold over each
    // chunk) made this oracle the largest cost of the `base64url` target.
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = byte(0) << 16 | byte(1) << 8 | byte(2);
        let digits = [n >> 18, n >> 12, n >> 6, n].map(|d| A[(d & 63) as usize]);
        out.extend_from_slice(&digits[..=chunk.len()]);
    }
    String::from_utf8(out).expect("the alphabet is ASCII")
}

/// True when (x, y) satisfies y² = x³ − 3x + b over the P-256 field with x, y < p, computed
/// with plain big integers (not the `p256` crate the verifier uses). The identity has no affine
/// coordinates, so any pair passing this check is a finite point.
pub fn on_p256(x: &[u8; 32], y: &[u8; 32]) -> bool {
    let p = BigUint::from_bytes_be(&forge::PRIME_P);
    let b = BigUint::parse_bytes(
        b"5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
        16,
    )
    .expect("constant");
    let x = BigUint::from_bytes_be(x);
    let y = BigUint::from_bytes_be(y);
    if x >= p || y >= p {
        return false;
    }
    let lhs = (&y * &y) % &p;
    let x3 = (&x * &x % &p) * &x % &p;
    let three_x = (BigUint::from(3u32) * &x) % &p;
    let rhs = ((x3 + &p - three_x) + b) % &p;
    lhs == rhs
}

/// Nesting depth as the strict parser counts it: scalars 0, an array or object one more than
/// its deepest element (an empty one counts 1).
pub fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// The accept oracle: a token the verifier accepted must be three canonical base64url segments
/// whose header names a `kid` that `key_for` knows, whose signature is 64 bytes that verify
/// under that key over the exact signing input, and whose payload is the JSON object returned
/// as claims. Returns what is wrong, if anything.
pub fn check_accepted(
    token: &[u8],
    claims: &serde_json::Map<String, Value>,
    key_for: impl Fn(&str) -> Option<VerifyingKey>,
) -> Result<(), String> {
    let parts: Vec<&[u8]> = token.split(|&b| b == b'.').collect();
    let [h, p, s] = parts[..] else {
        return Err(format!("accepted a token of {} segments", parts.len()));
    };
    let header = naive_b64url_decode(h).ok_or("accepted a non-canonical header segment")?;
    let payload = naive_b64url_decode(p).ok_or("accepted a non-canonical payload segment")?;
    let sig = naive_b64url_decode(s).ok_or("accepted a non-canonical signature segment")?;
    let header: Value =
        serde_json::from_slice(&header).map_err(|e| format!("accepted a non-JSON header: {e}"))?;
    if header.get("alg") != Some(&Value::from("ES256")) {
        return Err("accepted a header whose alg is not ES256".into());
    }
    let kid = header
        .get("kid")
        .and_then(Value::as_str)
        .ok_or("accepted a header without a string kid")?;
    let key =
        key_for(kid).ok_or_else(|| format!("accepted kid {kid:?} that names no known key"))?;
    let sig = Signature::from_slice(&sig).map_err(|_| "accepted a signature that is not r || s")?;
    key.verify(&token[..h.len() + 1 + p.len()], &sig)
        .map_err(|_| "accepted a signature that does not verify under the kid's key")?;
    let payload: Value = serde_json::from_slice(&payload)
        .map_err(|e| format!("accepted a non-JSON payload: {e}"))?;
    if payload.as_object() != Some(claims) {
        return Err("returned claims differ from the signed payload".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    #[test]
    fn naive_codec_matches_the_crate_on_samples() {
        for len in 0..40usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let enc = naive_b64url_encode(&bytes);
            assert_eq!(enc, URL_SAFE_NO_PAD.encode(&bytes));
            assert_eq!(naive_b64url_decode(enc.as_bytes()), Some(bytes));
        }
        assert_eq!(naive_b64url_decode(b"QQ"), Some(b"A".to_vec()));
        assert_eq!(naive_b64url_decode(b"QR"), None, "non-zero trailing bits");
        assert_eq!(naive_b64url_decode(b"Q"), None, "4k+1");
        assert_eq!(naive_b64url_decode(b"QQ=="), None, "padding");
        assert_eq!(naive_b64url_decode(b"a+b/"), None, "standard alphabet");
    }

    #[test]
    fn curve_check_accepts_real_keys_and_refuses_neighbours() {
        let (x, y) = forge::coordinates(forge::key("primary").verifying_key());
        assert!(on_p256(&x, &y));
        let mut y2 = y;
        y2[31] ^= 1;
        assert!(!on_p256(&x, &y2));
        assert!(!on_p256(&[0; 32], &[0; 32]));
    }

    #[test]
    fn baseline_token_passes_the_accept_oracle() {
        let token = forge::baseline_token();
        let claims = forge::claims();
        let key = *forge::key("primary").verifying_key();
        check_accepted(token.as_bytes(), claims.as_object().unwrap(), |k| {
            (k == "primary").then_some(key)
        })
        .unwrap();
    }
}
