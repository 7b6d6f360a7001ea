//! Signature forms the `signature` table lacks (Wycheproof `ecdsa_secp256r1_sha256_p1363`
//! families): every cross pair of special r and s values, integers padded or widened past 32
//! octets, trailing bytes, DER and BER encodings, whitespace inside the segment, and the valid
//! signatures (other payloads, other keys, high-S twins, leading zero octets) that must pass.
//!
//! RFC 7518 §3.4 is binding: the JWS Signature is exactly 64 octets, R then S, each 32 octets,
//! handed to the ECDSA validator (which refuses r or s outside [1, n − 1]). So a longer encoding
//! of the right integers is as invalid as a wrong integer, and every rejection here is `must`.

use corpus::vector::Severity::Must;
use corpus::vector::TokenSpec;
use serde_json::json;
use verifier::Reason::{NotJwsCompact, SignatureInvalid};

use super::signature::{
    RANGE, SIZE, WRONG, WYCHEPROOF, add_33, bad, baseline_sig, bytes, to_high_s, to_low_s,
};
use super::{Family, rej};
use crate::generate::{
    Draft, Expect, Mutation, Row, Signer, all_of, any_reject, claim, custom, hdr, reject_for,
};

/// A valid ES256 signature over this token under a key of the pinned set.
const VALID: &[&str] = &[
    "RFC7518-3.4-es256",
    "RFC7515-5.2-signature",
    "RFC9068-4-signature",
];
/// Bytes outside the base64url alphabet inside the signature segment.
const ALPHABET: &[&str] = &["RFC7515-5.2-b64", "RFC7515-2-base64url", "PROFILE-FORM"];

/// A transformation of the 64 signature octets (low-S, high-S, re-encodings).
type SigForm = fn([u8; 64]) -> Vec<u8>;
/// (kid, forge key name) pairs of a pinned set.
type KeyPairs = &'static [(&'static str, &'static str)];
/// (slug, description, claims change, extra basis) of an accept control's payload.
type PayloadCase = (
    &'static str,
    &'static str,
    fn() -> Mutation,
    &'static [&'static str],
);

/// A special scalar: its name, its slug in IDs, its 32 bytes, whether it lies in [1, n − 1],
/// whether it is 0 mod n, and whether `signature/r-s-<slug>` already has r = s = it.
struct Special {
    name: &'static str,
    slug: &'static str,
    bytes: [u8; 32],
    in_range: bool,
    zero_mod_n: bool,
    diagonal_covered: bool,
}

/// `a >> 1`, big-endian.
fn halve(a: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut carry = 0u8;
    for (o, byte) in out.iter_mut().zip(a) {
        *o = (byte >> 1) | carry;
        carry = (byte & 1) << 7;
    }
    out
}

/// The Wycheproof-like set of special values for r and s.
fn specials() -> Vec<Special> {
    let n = forge::ORDER_N;
    let one = forge::small(1);
    let half_low = halve(&n);
    let v = |name, slug, bytes, in_range, zero_mod_n, diagonal_covered| Special {
        name,
        slug,
        bytes,
        in_range,
        zero_mod_n,
        diagonal_covered,
    };
    vec![
        v("0", "0", [0u8; 32], false, true, true),
        v("1", "1", one, true, false, true),
        v("2", "2", forge::small(2), true, false, false),
        v("(n − 1)/2", "half-n-low", half_low, true, false, false),
        v(
            "(n + 1)/2",
            "half-n-high",
            forge::add_be(&half_low, &one),
            true,
            false,
            false,
        ),
        v(
            "n − 1",
            "nminus1",
            forge::sub_be(&n, &one),
            true,
            false,
            true,
        ),
        v("n", "n", n, false, true, true),
        v(
            "n + 1",
            "nplus1",
            forge::add_be(&n, &one),
            false,
            false,
            true,
        ),
        v("p", "p", forge::PRIME_P, false, false, true),
        v("2^256 − 1", "2256minus1", [0xff; 32], false, false, true),
    ]
}

/// r = a, s = b for every pair the `signature` table lacks.
fn pair_rows() -> Vec<Row> {
    let values = specials();
    let mut rows = Vec::new();
    for r in &values {
        for s in &values {
            if r.slug == s.slug && r.diagonal_covered {
                continue;
            }
            let both_in = r.in_range && s.in_range;
            let (note, basis, flags): (&str, &[&str], &[&str]) = if both_in {
                (
                    "both in [1, n − 1]: the equation is checked and fails",
                    WRONG,
                    &["ModifiedSignature"],
                )
            } else if r.zero_mod_n && s.zero_mod_n {
                (
                    "both 0 mod n: the psychic signature",
                    RANGE,
                    &["PsychicSignature", "RangeCheck"],
                )
            } else {
                ("outside [1, n − 1]", RANGE, &["RangeCheck"])
            };
            rows.push(
                bad(
                    format!("pair-r-{}-s-{}", r.slug, s.slug),
                    format!("r = {}, s = {} ({note})", r.name, s.name),
                    bytes([r.bytes, s.bytes].concat()),
                    basis,
                )
                .refs(&[WYCHEPROOF])
                .flags(flags),
            );
        }
    }
    rows
}

/// The genuine r and s of the baseline token.
fn halves(sig: &[u8; 64]) -> ([u8; 32], [u8; 32]) {
    let mut r = [0u8; 32];
    let mut s = [0u8; 32];
    r.copy_from_slice(&sig[..32]);
    s.copy_from_slice(&sig[32..]);
    (r, s)
}

/// `v` left-padded with zeros to `width` octets.
fn left_pad(v: &[u8], width: usize) -> Vec<u8> {
    [vec![0u8; width - v.len()], v.to_vec()].concat()
}

/// The same integers, wider or longer than RFC 7518 §3.4's two 32-octet halves.
fn widened_rows(sig: [u8; 64]) -> Vec<Row> {
    let (r, s) = halves(&sig);
    let r_n = add_33(&r, &forge::ORDER_N);
    let s_n = add_33(&s, &forge::ORDER_N);
    let each = |width: usize| [left_pad(&r, width), left_pad(&s, width)].concat();
    let cases: [(&str, &str, Vec<u8>, &[&str]); 10] = [
        (
            "pad-r-s-33",
            "66 bytes: r and s each zero-padded to 33 octets",
            each(33),
            &["SignatureSize", "Malleability"],
        ),
        (
            "pad-s-33",
            "65 bytes: the genuine r, then s zero-padded to 33 octets",
            [&r[..], &left_pad(&s, 33)].concat(),
            &["SignatureSize", "Malleability"],
        ),
        (
            "pad-r-s-48",
            "96 bytes: r and s each zero-padded to 48 octets (the ES384 layout)",
            each(48),
            &["SignatureSize", "Malleability"],
        ),
        (
            "pad-r-s-64",
            "128 bytes: r and s each zero-padded to 64 octets",
            each(64),
            &["SignatureSize", "Malleability"],
        ),
        (
            "pad-r-s-66",
            "132 bytes: r and s each zero-padded to 66 octets (the ES512 layout)",
            each(66),
            &["SignatureSize", "Malleability"],
        ),
        (
            "pad-r-s-257",
            "514 bytes: r and s each zero-padded to 257 octets",
            each(257),
            &["SignatureSize", "Malleability"],
        ),
        (
            "r-plus-n",
            "65 bytes: r + n as a 33-octet integer, then the genuine s",
            [&r_n[..], &s[..]].concat(),
            &["SignatureSize", "RangeCheck", "Malleability"],
        ),
        (
            "r-plus-n-s-plus-n",
            "66 bytes: r + n and s + n, each a 33-octet integer",
            [r_n, s_n].concat(),
            &["SignatureSize", "RangeCheck", "Malleability"],
        ),
        (
            "r-plus-n-s-padded",
            "66 bytes: r + n as 33 octets, then s zero-padded to 33 octets",
            [&r_n[..], &left_pad(&s, 33)].concat(),
            &["SignatureSize", "RangeCheck", "Malleability"],
        ),
        (
            "each-leading-byte-dropped",
            "62 bytes: r and s each without their first octet",
            [&r[1..], &s[1..]].concat(),
            &["SignatureSize"],
        ),
    ];
    let mut rows: Vec<Row> = cases
        .into_iter()
        .map(|(name, description, sig, flags)| {
            bad(name, description, bytes(sig), SIZE)
                .refs(&[WYCHEPROOF])
                .flags(flags)
        })
        .collect();
    // Truncations the `signature` table lacks (it has 0, 32, 63).
    for (len, why) in [
        (1usize, "the first octet of r"),
        (31, "r without its last octet"),
        (33, "r and the first octet of s"),
        (48, "r and half of s"),
    ] {
        rows.push(
            bad(
                format!("length-{len}"),
                format!("signature of {len} bytes ({why})"),
                bytes(sig[..len].to_vec()),
                SIZE,
            )
            .flags(&["SignatureSize"]),
        );
    }
    // Trailing bytes after the genuine 64 (the `signature` table has one copied octet).
    for (fill, label, counts) in [
        (0u8, "zero", &[1usize, 2, 8, 32][..]),
        (0xff, "ff", &[2, 8, 32]),
    ] {
        for &k in counts {
            rows.push(
                bad(
                    format!("trailing-{label}-{k}"),
                    format!("the genuine 64 bytes followed by {k} byte(s) 0x{fill:02x}"),
                    bytes([&sig[..], &vec![fill; k]].concat()),
                    SIZE,
                )
                .flags(&["SignatureSize", "Malleability"]),
            );
        }
    }
    rows
}

/// A minimal DER INTEGER for a non-negative big-endian value.
fn der_int(v: &[u8]) -> Vec<u8> {
    let start = v.iter().position(|b| *b != 0).unwrap_or(v.len() - 1);
    let mut body = v[start..].to_vec();
    if body[0] & 0x80 != 0 {
        body.insert(0, 0);
    }
    tlv(0x02, &body)
}

/// A short-form DER TLV.
fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let len = u8::try_from(body.len()).expect("short form");
    [&[tag, len][..], body].concat()
}

/// The two's-complement DER INTEGER of −v (0 < v < 2^256).
fn der_negated(v: &[u8; 32]) -> Vec<u8> {
    let mut full = vec![0xff];
    full.extend_from_slice(&forge::sub_be(&[0u8; 32], v));
    // A 0xff octet is redundant while the next octet has its high bit set.
    let start = (0..32)
        .find(|&i| !(full[i] == 0xff && full[i + 1] & 0x80 != 0))
        .unwrap_or(32);
    tlv(0x02, &full[start..])
}

/// A DER row: name, description, signature bytes, basis, and whether the encoding carries the
/// genuine (r, s), so that accepting it is malleability rather than a forged signer.
type DerCase = (
    &'static str,
    &'static str,
    Vec<u8>,
    &'static [&'static str],
    bool,
);

/// DER and BER encodings of the genuine (or a near) signature instead of P1363.
fn der_rows(sig: [u8; 64]) -> Vec<Row> {
    let (r, s) = halves(&sig);
    let ints = [der_int(&r), der_int(&s)].concat();
    let genuine = tlv(0x30, &ints);
    let high: [u8; 64] = to_high_s(sig).try_into().expect("64 bytes");
    let (_, high_s) = halves(&high);
    let long_int = {
        let ri = der_int(&r);
        [&[0x02, 0x81, ri[1]][..], &ri[2..], &der_int(&s)].concat()
    };
    let extra_zero = {
        let ri = der_int(&r);
        let mut body = vec![0u8];
        body.extend_from_slice(&ri[2..]);
        [tlv(0x02, &body), der_int(&s)].concat()
    };
    let cases: [DerCase; 11] = [
        (
            "der-high-s",
            "the valid high-S twin, DER-encoded",
            tlv(0x30, &[der_int(&r), der_int(&high_s)].concat()),
            SIZE,
            true,
        ),
        (
            "der-long-form-length",
            "DER with the SEQUENCE length in long form (0x81 LL)",
            [&[0x30, 0x81, ints.len() as u8][..], &ints].concat(),
            SIZE,
            true,
        ),
        (
            "der-integer-long-form-length",
            "DER with r's INTEGER length in long form",
            tlv(0x30, &long_int),
            SIZE,
            true,
        ),
        (
            "der-extra-leading-zero",
            "DER with a redundant leading zero octet in r",
            tlv(0x30, &extra_zero),
            SIZE,
            true,
        ),
        (
            "der-negative-r",
            "DER with r negated (a negative INTEGER)",
            tlv(0x30, &[der_negated(&r), der_int(&s)].concat()),
            RANGE,
            true,
        ),
        (
            "ber-indefinite-length",
            "BER SEQUENCE of indefinite length (0x30 0x80 … 0x00 0x00)",
            [&[0x30, 0x80][..], &ints, &[0, 0]].concat(),
            SIZE,
            true,
        ),
        (
            "der-trailing-garbage",
            "the genuine DER followed by two bytes (0x05 0x00)",
            [&genuine[..], &[0x05, 0x00]].concat(),
            SIZE,
            true,
        ),
        (
            "der-set-tag",
            "DER with a SET tag (0x31) instead of SEQUENCE",
            tlv(0x31, &ints),
            SIZE,
            true,
        ),
        (
            "der-r-only",
            "a DER SEQUENCE holding r only",
            tlv(0x30, &der_int(&r)),
            SIZE,
            false,
        ),
        (
            "der-octet-string-p1363",
            "the genuine 64 octets wrapped in a DER OCTET STRING",
            tlv(0x04, &sig),
            SIZE,
            true,
        ),
        (
            "der-zero-r-s",
            "DER of r = 0, s = 0 (the Java psychic signature form)",
            tlv(0x30, &[der_int(&[0]), der_int(&[0])].concat()),
            RANGE,
            false,
        ),
    ];
    cases
        .into_iter()
        .map(|(name, description, der, basis, genuine)| {
            let row = bad(name, description, bytes(der), basis)
                .refs(&[WYCHEPROOF])
                .flags(&["DerSignature"]);
            if genuine {
                row.flags(&["Malleability"])
            } else {
                row
            }
        })
        .collect()
}

/// Whitespace and other non-alphabet bytes inside the signature segment.
fn whitespace_rows() -> Vec<Row> {
    let t = Draft::default().compact();
    let sig_at = t.rfind('.').expect("three segments") + 1;
    let cases: [(&str, &str, usize, &[u8]); 8] = [
        ("sig-space-middle", "a space", 43, b" "),
        ("sig-tab-middle", "a tab", 43, b"\t"),
        ("sig-cr-middle", "a carriage return", 43, b"\r"),
        ("sig-crlf-middle", "CR LF", 43, b"\r\n"),
        ("sig-lf-after-dot", "a newline", 0, b"\n"),
        ("sig-vertical-tab", "a vertical tab", 10, b"\x0b"),
        ("sig-form-feed", "a form feed", 70, b"\x0c"),
        (
            "sig-nbsp",
            "a UTF-8 no-break space",
            43,
            "\u{a0}".as_bytes(),
        ),
    ];
    cases
        .into_iter()
        .map(|(name, what, at, inserted)| {
            let mut token = t.clone().into_bytes();
            let pos = sig_at + at;
            token.splice(pos..pos, inserted.iter().copied());
            Row::new(
                name,
                format!("{what} inside the signature segment, {at} characters in"),
                Mutation::Token(Draft::bytes_token(&token)),
                rej(NotJwsCompact),
                Must,
                ALPHABET,
            )
            .acceptable(&[reject_for(SignatureInvalid)])
            .notes(
                "a byte outside the base64url alphabet is a form defect, found before any \
                 segment is decoded; a verifier that splits first and decodes the signature \
                 segment strictly names signature_invalid",
            )
        })
        .collect()
}

/// The first `jti-search-<i>` whose baseline-shaped token gets a low-S signature matching `hit`
/// (deterministic: RFC 6979 signatures over fixed inputs).
fn find_jti(hit: fn(&[u8]) -> bool) -> String {
    (0..)
        .map(|i| format!("jti-search-{i}"))
        .find(|jti| {
            let mut d = Draft::default();
            d.claims["jti"] = json!(jti);
            let sig = forge::es256(&forge::key(forge::KID), d.signing_input().as_bytes());
            hit(&to_low_s(sig))
        })
        .expect("a match within a few hundred tries")
}

/// r ‖ s with r's leading zero octet dropped (63 bytes).
fn drop_r_lead(sig: [u8; 64]) -> Vec<u8> {
    [&sig[1..32], &to_low_s(sig)[32..]].concat()
}

/// r ‖ s with s's leading zero octet dropped (63 bytes).
fn drop_s_lead(sig: [u8; 64]) -> Vec<u8> {
    let low = to_low_s(sig);
    [&low[..32], &low[33..]].concat()
}

/// r as 31 octets and s as 33: 64 bytes, but the split point moved.
fn shift_split(sig: [u8; 64]) -> Vec<u8> {
    let low = to_low_s(sig);
    [&low[1..32], &[0u8][..], &low[32..]].concat()
}

/// Pins these (kid, key name) pairs.
fn pinned(set: KeyPairs) -> Mutation {
    custom(move |d| {
        let keys: Vec<_> = set.iter().map(|(_, n)| forge::key(n)).collect();
        let pairs: Vec<(&str, &forge::SigningKey)> =
            set.iter().map(|(k, _)| *k).zip(keys.iter()).collect();
        d.jwks = forge::jwks(&pairs);
    })
}

/// A valid signature: accepted, `must` (RFC 7518 §3.4 hands R and S to the validator).
fn valid(name: &str, description: &str, m: Mutation, extra: &[&str]) -> Row {
    Row::new(
        name,
        description,
        m,
        Expect::Accept,
        Must,
        &[VALID, extra].concat(),
    )
}

/// Accept controls, and the rejects that differ from them by one encoding step.
fn control_rows() -> Vec<Row> {
    let low = || Mutation::Sign(Signer::Es256Then(forge::KID, to_low_s));
    let high = || Mutation::Sign(Signer::Es256Then(forge::KID, to_high_s));
    let payloads: [PayloadCase; 3] = [
        (
            "other-jti",
            "jti jti-0042",
            || claim("jti", json!("jti-0042")),
            &[],
        ),
        (
            "aud-array",
            "aud as an array naming only this audience",
            || claim("aud", json!([forge::AUDIENCE])),
            &["RFC7519-4.1.3-aud"],
        ),
        (
            "other-client",
            "client_id client-2",
            || claim("client_id", json!("client-2")),
            &[],
        ),
    ];
    let mut rows = Vec::new();
    for (slug, what, payload, extra) in payloads {
        rows.push(valid(
            &format!("valid-{slug}-low-s"),
            &format!("{what}, genuine low-S signature"),
            all_of([payload(), low()]),
            extra,
        ));
        rows.push(
            valid(
                &format!("valid-{slug}-high-s"),
                &format!("{what}, the high-S twin of the genuine signature"),
                all_of([payload(), high()]),
                &[extra, &["RFC6979-malleability"]].concat(),
            )
            .flags(&["HighS"]),
        );
    }
    // Other keys of the pinned set, and one key listed under two kids.
    let three: KeyPairs = &[
        (forge::KID, forge::KID),
        ("second", "second"),
        ("third", "third"),
    ];
    let alias: KeyPairs = &[(forge::KID, forge::KID), ("alias", forge::KID)];
    let key_cases: [(&str, &str, bool, KeyPairs); 6] = [
        ("second", "second", false, three),
        ("second", "second", true, three),
        ("third", "third", false, three),
        ("third", "third", true, three),
        ("alias", forge::KID, false, alias),
        ("alias", forge::KID, true, alias),
    ];
    for (kid, key, high_s, set) in key_cases {
        let (form, label): (SigForm, &str) = if high_s {
            (to_high_s, "high-s")
        } else {
            (to_low_s, "low-s")
        };
        let listed: Vec<String> = set.iter().map(|(k, n)| format!("{k}={n}")).collect();
        let row = valid(
            &format!("valid-kid-{kid}-{label}"),
            &format!(
                "kid '{kid}' (key '{key}', {label}) in the pinned set {{{}}}",
                listed.join(", ")
            ),
            all_of([
                pinned(set),
                hdr("kid", json!(kid)),
                Mutation::Sign(Signer::Es256Then(key, form)),
            ]),
            if high_s {
                &["RFC7515-4.1.4-kid", "M12", "RFC6979-malleability"]
            } else {
                &["RFC7515-4.1.4-kid", "M12"]
            },
        );
        rows.push(if high_s { row.flags(&["HighS"]) } else { row });
    }
    // Leading zero octets inside the 32-octet fields.
    let r_zero = find_jti(|sig| sig[0] == 0);
    let s_zero = find_jti(|sig| sig[32] == 0);
    let with = |jti: &str, signer: SigForm| {
        all_of([
            claim("jti", json!(jti)),
            Mutation::Sign(Signer::Es256Then(forge::KID, signer)),
        ])
    };
    rows.extend([
        valid(
            "valid-r-leading-zero",
            "a genuine signature whose r starts with a zero octet (jti chosen for it)",
            with(&r_zero, to_low_s),
            &[],
        )
        .notes("a verifier that trims or re-encodes r as a minimal integer breaks here"),
        valid(
            "valid-r-leading-zero-high-s",
            "the high-S twin of a signature whose r starts with a zero octet",
            with(&r_zero, to_high_s),
            &["RFC6979-malleability"],
        )
        .flags(&["HighS"]),
        valid(
            "valid-s-leading-zero",
            "a genuine signature whose s starts with a zero octet (jti chosen for it)",
            with(&s_zero, to_low_s),
            &[],
        ),
        bad(
            "r-leading-zero-dropped",
            "63 bytes: the signature of valid-r-leading-zero with r's zero octet dropped",
            with(&r_zero, drop_r_lead),
            SIZE,
        )
        .flags(&["SignatureSize", "Malleability"]),
        bad(
            "r-leading-zero-split-shifted",
            "64 bytes: r's zero octet dropped and s zero-padded to 33 octets (the split moves)",
            with(&r_zero, shift_split),
            WRONG,
        )
        .flags(&["ModifiedSignature"])
        .notes("the length is right, so the split reads r and s that are not the signature"),
        bad(
            "s-leading-zero-dropped",
            "63 bytes: the signature of valid-s-leading-zero with s's zero octet dropped",
            with(&s_zero, drop_s_lead),
            SIZE,
        )
        .flags(&["SignatureSize", "Malleability"]),
    ]);
    rows
}

/// The baseline header's JSON with spaces before its closing brace, so that its base64url
/// form is `8k + rem` characters long.
fn header_of_len_mod_8(rem: usize) -> String {
    let json = forge::header().to_string();
    (0..8)
        .map(|pad| format!("{}{}}}", &json[..json.len() - 1], " ".repeat(pad)))
        .map(|padded| forge::b64(padded.as_bytes()))
        .find(|segment| segment.len() % 8 == rem)
        .expect("eight paddings reach every reachable residue")
}

/// Whole tokens so short after the header that both dots fall in the last partial 8-byte word
/// a word-at-a-time dot search leaves to its tail loop: the header must still end at the
/// first dot, and the signature (empty here) is refused for its size.
fn tail_dot_rows() -> Vec<Row> {
    [
        (
            "tiny-payload-empty-signature-tail-dot",
            2,
            "e30",
            "payload {} and an empty signature",
        ),
        (
            "empty-payload-empty-signature-tail-dot",
            2,
            "",
            "empty payload and signature",
        ),
        (
            "tiny-payload-empty-signature-word-aligned",
            0,
            "e30",
            "payload {}, empty signature, header of whole 8-byte words",
        ),
    ]
    .into_iter()
    .map(|(name, rem, payload, what)| {
        let token = format!("{}.{payload}.", header_of_len_mod_8(rem));
        bad(
            name,
            format!("a genuine header, then {what}: the only dots are in the token's last 8 bytes"),
            Mutation::Token(TokenSpec::Text(token)),
            SIZE,
        )
        .acceptable(&[any_reject()])
        .flags(&["SignatureSize"])
    })
    .collect()
}

pub fn family() -> Family {
    let sig = baseline_sig();
    let mut rows = pair_rows();
    rows.extend(widened_rows(sig));
    rows.extend(der_rows(sig));
    rows.extend(whitespace_rows());
    rows.extend(control_rows());
    rows.extend(tail_dot_rows());
    Family::table("signature", rows)
}
