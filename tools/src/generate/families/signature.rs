//! Signature edge cases: scalar ranges (CVE-2022-21449), encodings, lengths, bit flips.
//!
//! RFC 7515 §5.2 step 8 and RFC 9068 §4 make a resource server validate the signature; RFC 7518
//! §3.4 fixes its form (exactly 64 octets, R then S) and hands R and S to the ECDSA validator,
//! which refuses r or s outside [1, n − 1]. Every vector here carries a signature that does not
//! validate, so every rejection is binding. The accepted high-S form is `accept/high-s-signature`;
//! pairs of special values, wider encodings, DER and accept controls are in `sigform.rs`.

use corpus::vector::Severity::Must;
use serde_json::json;
use verifier::Reason::SignatureInvalid;

use super::{Family, rej};
use crate::generate::{Draft, Mutation, Row, Signer, all_of, claim};

/// A signature that does not verify over this signing input and key.
pub(super) const WRONG: &[&str] = &[
    "RFC7515-5.2-signature",
    "RFC9068-4-signature",
    "RFC7518-3.4-es256",
];
/// Not the 64 octets RFC 7518 §3.4 requires.
pub(super) const SIZE: &[&str] = &["RFC7518-3.4-es256", "RFC7515-5.2-signature"];
/// r or s outside [1, n − 1]: the ECDSA validator refuses it before any arithmetic.
pub(super) const RANGE: &[&str] = &[
    "RFC7518-3.4-es256",
    "RFC7515-5.2-signature",
    "CVE-2022-21449",
];

pub(super) const WYCHEPROOF: &str = "Wycheproof ecdsa_secp256r1_sha256_p1363";

/// The same signature with s replaced by n − s (valid: ECDSA accepts both).
pub fn to_high_s(sig: [u8; 64]) -> Vec<u8> {
    let mut s = [0u8; 32];
    s.copy_from_slice(&sig[32..]);
    let flipped = forge::sub_be(&forge::ORDER_N, &s);
    // Keep whichever of s and n − s is the high one.
    let high = if flipped > s { flipped } else { s };
    [&sig[..32], &high[..]].concat()
}

/// The same signature with s replaced by n − s when s is the high one (the low-S twin).
pub fn to_low_s(sig: [u8; 64]) -> Vec<u8> {
    let mut s = [0u8; 32];
    s.copy_from_slice(&sig[32..]);
    let flipped = forge::sub_be(&forge::ORDER_N, &s);
    let low = if flipped < s { flipped } else { s };
    [&sig[..32], &low[..]].concat()
}

/// `a + b` as a 33-byte big-endian integer (no reduction: the carry is kept).
pub(super) fn add_33(a: &[u8; 32], b: &[u8; 32]) -> [u8; 33] {
    let mut out = [0u8; 33];
    let mut carry = 0u16;
    for i in (0..32).rev() {
        let sum = u16::from(a[i]) + u16::from(b[i]) + carry;
        out[i + 1] = sum.to_be_bytes()[1];
        carry = sum >> 8;
    }
    out[0] = carry.to_be_bytes()[1];
    out
}

/// A special scalar value: its name (as the vector ID spells it), its 32 bytes, and whether it
/// lies in [1, n − 1].
struct Scalar {
    name: &'static str,
    bytes: [u8; 32],
    in_range: bool,
    /// Congruent to 0 mod n: r = s = this value is the "psychic signature".
    zero_mod_n: bool,
}

fn scalars() -> Vec<Scalar> {
    let s = |name, bytes, in_range, zero_mod_n| Scalar {
        name,
        bytes,
        in_range,
        zero_mod_n,
    };
    vec![
        s("0", [0u8; 32], false, true),
        s("1", forge::small(1), true, false),
        s(
            "n-1",
            forge::sub_be(&forge::ORDER_N, &forge::small(1)),
            true,
            false,
        ),
        s("n", forge::ORDER_N, false, true),
        s(
            "n+1",
            forge::add_be(&forge::ORDER_N, &forge::small(1)),
            false,
            false,
        ),
        s("p", forge::PRIME_P, false, false),
        s("2^256-1", [0xff; 32], false, false),
    ]
}

pub(super) fn baseline_sig() -> [u8; 64] {
    let d = Draft::default();
    forge::es256(&forge::key(forge::KID), d.signing_input().as_bytes())
}

/// Signs with these exact bytes.
pub(super) fn bytes(sig: Vec<u8>) -> Mutation {
    Mutation::Sign(Signer::Bytes(sig))
}

pub(super) fn bad(
    name: impl Into<String>,
    description: impl Into<String>,
    m: Mutation,
    basis: &[&str],
) -> Row {
    Row::new(name, description, m, rej(SignatureInvalid), Must, basis)
}

/// The three rows of one scalar value: r = v with the genuine s, s = v with the genuine r, and
/// r = s = v.
fn scalar_rows(v: &Scalar, sig: [u8; 64]) -> Vec<Row> {
    let slug = v
        .name
        .replace('^', "")
        .replace('+', "plus")
        .replace('-', "minus");
    let (range_note, basis, flag) = if v.in_range {
        (
            "in [1, n − 1], but not the signature",
            WRONG,
            "ModifiedSignature",
        )
    } else {
        ("outside [1, n − 1]", RANGE, "RangeCheck")
    };
    let r_row = bad(
        format!("r-{slug}"),
        format!("r = {} ({range_note}) with the genuine s", v.name),
        bytes([&v.bytes[..], &sig[32..]].concat()),
        basis,
    )
    .refs(&[WYCHEPROOF])
    .flags(&[flag]);
    let s_row = bad(
        format!("s-{slug}"),
        format!("s = {} ({range_note}) with the genuine r", v.name),
        bytes([&sig[..32], &v.bytes[..]].concat()),
        basis,
    )
    .refs(&[WYCHEPROOF])
    .flags(&[flag]);
    let both_flags: &[&str] = if v.zero_mod_n {
        &["PsychicSignature", "RangeCheck"]
    } else {
        &[flag]
    };
    let both_note = if v.zero_mod_n {
        format!("{range_note}, congruent to 0 mod n")
    } else {
        range_note.to_owned()
    };
    let both = bad(
        format!("r-s-{slug}"),
        format!("r = s = {} ({both_note})", v.name),
        bytes([v.bytes, v.bytes].concat()),
        basis,
    )
    .flags(both_flags);
    vec![r_row, s_row, both]
}

pub fn family() -> Family {
    let sig = baseline_sig();
    let mut rows: Vec<Row> = scalars().iter().flat_map(|v| scalar_rows(v, sig)).collect();
    let der = forge::Signature::from_slice(&sig)
        .expect("the baseline signature is valid")
        .to_der()
        .as_bytes()
        .to_vec();
    rows.push(
        bad(
            "der-encoded",
            "the genuine signature in ASN.1 DER instead of the 64-octet r || s",
            bytes(der),
            SIZE,
        )
        .flags(&["DerSignature", "Malleability"]),
    );
    for (len, why) in [
        (0usize, "empty"),
        (32, "r only"),
        (63, "the genuine 64 bytes without the last"),
        (65, "the genuine 64 bytes followed by the first byte of r"),
        (128, "the genuine 64 bytes twice"),
    ] {
        let cut: Vec<u8> = sig.iter().chain(sig.iter()).copied().take(len).collect();
        rows.push(
            bad(
                format!("length-{len}"),
                format!("signature of {len} bytes ({why})"),
                bytes(cut),
                SIZE,
            )
            .flags(if len > 64 {
                &["SignatureSize", "Malleability"][..]
            } else {
                &["SignatureSize"][..]
            }),
        );
    }
    let mut s = [0u8; 32];
    s.copy_from_slice(&sig[32..]);
    let s_plus_n = add_33(&s, &forge::ORDER_N);
    rows.extend([
        bad(
            "zero-padded-65",
            "the genuine signature after a leading zero byte (65 bytes)",
            bytes([&[0u8][..], &sig[..]].concat()),
            SIZE,
        )
        .flags(&["SignatureSize", "Malleability"]),
        bad(
            "s-plus-n",
            "65 bytes: the genuine r (32 bytes), then s + n as a 33-byte big-endian integer \
             (out of range, congruent to the genuine s mod n)",
            bytes([&sig[..32], &s_plus_n[..]].concat()),
            SIZE,
        )
        .flags(&["SignatureSize", "RangeCheck", "Malleability"])
        .notes(
            "s + n does not fit in 32 bytes (s starts 0x5b…), so the only honest carrier is a \
             65-byte signature; a parser that reads s as an integer of any length and reduces \
             it mod n would accept it",
        ),
        bad(
            "empty-segment",
            "signature segment empty (unsecured-looking JWS under alg ES256)",
            Mutation::Rewrite(|t| format!("{}.", t.rsplit_once('.').map_or("", |(a, _)| a))),
            SIZE,
        ),
        bad(
            "other-key",
            "signed by a key that is not the one kid names",
            Mutation::Sign(Signer::Es256("attacker")),
            WRONG,
        )
        .flags(&["WrongKey"]),
        bad(
            "swapped-r-s",
            "r and s swapped",
            bytes([&sig[32..], &sig[..32]].concat()),
            WRONG,
        ),
        bad(
            "all-zero-64",
            "64 zero bytes (r = s = 0)",
            bytes(vec![0; 64]),
            RANGE,
        )
        .flags(&["PsychicSignature", "RangeCheck"]),
        bad(
            "payload-swapped",
            "a genuine signature of another payload (sub someone-else)",
            bytes({
                let mut other = Draft::default();
                other.claims["sub"] = json!("someone-else");
                forge::es256(&forge::key(forge::KID), other.signing_input().as_bytes()).to_vec()
            }),
            WRONG,
        )
        .flags(&["CutAndPaste"]),
        bad(
            "claims-edited-after-signing",
            "scope admin added to the claims after signing (scope escalation)",
            all_of([claim("scope", json!("admin")), bytes(sig.to_vec())]),
            WRONG,
        )
        .refs(&["OpenID conformance oidcc-client-test-invalid-sig"]),
        bad(
            "header-edited-after-signing",
            "a space appended to the header JSON after signing",
            all_of([
                Mutation::HeaderBytes(
                    br#"{"alg":"ES256","kid":"primary","typ":"at+jwt"} "#.to_vec(),
                ),
                bytes(sig.to_vec()),
            ]),
            WRONG,
        ),
    ]);
    for bit in (0..512).step_by(23) {
        let mut flipped = sig;
        flipped[bit / 8] ^= 0x80 >> (bit % 8);
        let half = if bit < 256 { "r" } else { "s" };
        rows.push(
            bad(
                format!("bit-flip-{bit:03}"),
                format!("bit {bit} of r || s flipped (in {half})"),
                bytes(flipped.to_vec()),
                WRONG,
            )
            .flags(&["ModifiedSignature"]),
        );
    }
    Family::table("signature", rows)
}
