//! Signature edge cases: scalar ranges (CVE-2022-21449), encodings, lengths, bit flips.

use corpus::vector::Severity;
use serde_json::json;
use verifier::Reason;

use super::{Family, rej, set_claim};
use crate::generate::{Case, Draft, Signer};

/// The same signature with s replaced by n − s (valid: ECDSA accepts both).
pub fn to_high_s(sig: [u8; 64]) -> Vec<u8> {
    let mut s = [0u8; 32];
    s.copy_from_slice(&sig[32..]);
    let flipped = forge::sub_be(&forge::ORDER_N, &s);
    // Keep whichever of s and n − s is the high one.
    let high = if flipped > s { flipped } else { s };
    [&sig[..32], &high[..]].concat()
}

fn scalar(name: &str) -> [u8; 32] {
    match name {
        "0" => [0u8; 32],
        "1" => forge::small(1),
        "n-1" => forge::sub_be(&forge::ORDER_N, &forge::small(1)),
        "n" => forge::ORDER_N,
        "n+1" => forge::add_be(&forge::ORDER_N, &forge::small(1)),
        "p" => forge::PRIME_P,
        _ => [0xff; 32],
    }
}

const SCALARS: [&str; 7] = ["0", "1", "n-1", "n", "n+1", "p", "2^256-1"];

fn bad(name: &str, description: &str, mutate: impl Fn(&mut Draft) + 'static) -> Case {
    Case::new(name, description, rej(Reason::SignatureInvalid), mutate)
}

fn baseline_sig() -> [u8; 64] {
    let d = Draft::default();
    forge::es256(&forge::key(forge::KID), d.signing_input().as_bytes())
}

pub fn family() -> Family {
    let mut f = Family::new(
        "signature",
        Severity::Must,
        &["RFC 7515 §5.2", "RFC 7518 §3.4"],
    );
    for name in SCALARS {
        let slug = name
            .replace('^', "")
            .replace('+', "plus")
            .replace('-', "minus");
        let r_desc = format!("r = {name} with the genuine s");
        f.add(
            bad(&format!("r-{slug}"), &r_desc, move |d| {
                let sig = baseline_sig();
                d.with_signature([&scalar(name)[..], &sig[32..]].concat());
            })
            .refs(&["Wycheproof ecdsa_secp256r1_sha256_p1363"])
            .flags(&["RangeCheck"]),
        );
        let s_desc = format!("s = {name} with the genuine r");
        f.add(
            bad(&format!("s-{slug}"), &s_desc, move |d| {
                let sig = baseline_sig();
                d.with_signature([&sig[..32], &scalar(name)[..]].concat());
            })
            .refs(&["Wycheproof ecdsa_secp256r1_sha256_p1363"])
            .flags(&["RangeCheck"]),
        );
        let both = format!("r = s = {name}");
        f.add(
            bad(&format!("r-s-{slug}"), &both, move |d| {
                d.with_signature([scalar(name), scalar(name)].concat());
            })
            .refs(&["CVE-2022-21449"])
            .flags(&["PsychicSignature"]),
        );
    }
    f.add(
        bad(
            "der-encoded",
            "the genuine signature in ASN.1 DER instead of r || s",
            |d| {
                let sig = forge::Signature::from_slice(&baseline_sig()).expect("valid signature");
                d.with_signature(sig.to_der().as_bytes().to_vec());
            },
        )
        .refs(&["RFC 7518 §3.4"])
        .flags(&["DerSignature"]),
    );
    for (len, why) in [
        (0usize, "empty"),
        (32, "r only"),
        (63, "one byte short"),
        (65, "one byte long"),
        (128, "doubled"),
    ] {
        f.add(
            bad(
                &format!("length-{len}"),
                &format!("signature of {len} bytes ({why})"),
                move |d| {
                    let sig = baseline_sig();
                    let bytes: Vec<u8> = sig.iter().chain(sig.iter()).copied().take(len).collect();
                    d.with_signature(bytes);
                },
            )
            .flags(&["SignatureSize"]),
        );
    }
    f.add(
        bad(
            "zero-padded-65",
            "genuine signature with a leading zero byte",
            |d| {
                d.with_signature([&[0u8][..], &baseline_sig()[..]].concat());
            },
        )
        .flags(&["SignatureSize"]),
    );
    f.add(bad(
        "empty-segment",
        "signature segment empty (unsecured-looking JWS)",
        |d| {
            d.rewrite = Some(|t| format!("{}.", t.rsplit_once('.').map_or("", |(a, _)| a)));
        },
    ));
    f.add(
        bad(
            "other-key",
            "signed by a key that is not the one kid names",
            |d| d.signer = Signer::Es256("attacker"),
        )
        .flags(&["WrongKey"]),
    );
    f.add(bad("swapped-r-s", "r and s swapped", |d| {
        let sig = baseline_sig();
        d.with_signature([&sig[32..], &sig[..32]].concat());
    }));
    f.add(
        bad("all-zero-64", "64 zero bytes", |d| {
            d.with_signature(vec![0; 64])
        })
        .refs(&["CVE-2022-21449"])
        .flags(&["PsychicSignature"]),
    );
    f.add(
        bad(
            "payload-swapped",
            "a genuine signature of another payload",
            |d| {
                let other = {
                    let mut o = Draft::default();
                    set_claim(&mut o, "sub", json!("someone-else"));
                    forge::es256(&forge::key(forge::KID), o.signing_input().as_bytes())
                };
                d.with_signature(other.to_vec());
            },
        )
        .flags(&["CutAndPaste"]),
    );
    f.add(
        bad(
            "claims-edited-after-signing",
            "claims changed after signing (scope escalation)",
            |d| {
                let sig = baseline_sig();
                set_claim(d, "scope", json!("admin"));
                d.with_signature(sig.to_vec());
            },
        )
        .refs(&["OpenID conformance oidcc-client-test-invalid-sig"]),
    );
    f.add(bad(
        "header-edited-after-signing",
        "header changed after signing",
        |d| {
            let sig = baseline_sig();
            d.header_raw = Some(br#"{"alg":"ES256","kid":"primary","typ":"at+jwt"} "#.to_vec());
            d.with_signature(sig.to_vec());
        },
    ));
    for bit in (0..512).step_by(23) {
        f.add(
            bad(
                &format!("bit-flip-{bit:03}"),
                &format!("bit {bit} of r || s flipped"),
                move |d| {
                    let mut sig = baseline_sig();
                    sig[bit / 8] ^= 0x80 >> (bit % 8);
                    d.with_signature(sig.to_vec());
                },
            )
            .flags(&["ModifiedSignature"]),
        );
    }
    f.add(
        bad(
            "s-plus-n",
            "s + n (out of range, congruent to a valid s)",
            |d| {
                let sig = baseline_sig();
                let mut s = [0u8; 32];
                s.copy_from_slice(&sig[32..]);
                let big = forge::add_be(&s, &forge::ORDER_N);
                d.with_signature([&sig[..32], &big[..]].concat());
            },
        )
        .flags(&["RangeCheck"])
        .notes("Only meaningful when s + n < 2^256; otherwise it wraps and still fails"),
    );
    f
}
