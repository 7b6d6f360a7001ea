//! `pss`: RSASSA-PSS (PS256, PS384, PS512) signatures, genuine and not.
//!
//! RFC 7518 §3.5 defines PS* as RSASSA-PSS "with the MGF1 mask generation function and SHA-2
//! hash functions, always using the same hash function for both the RSASSA-PSS hash function
//! and the MGF1 hash function. The size of the salt value is the same size as the hash function
//! output", validated with RSASSA-PSS-VERIFY (RFC 8017 §8.1.2, EMSA-PSS-VERIFY §9.1.2), and
//! RFC 7515 §5.2 step 8 makes a recipient validate "in the manner defined for the algorithm".
//!
//! - `must`: a signature of another length than the modulus, s ≥ n, s = 0, s = 1; a PKCS#1
//!   v1.5 signature under a PS alg and a PSS signature under an RS alg; MGF1 over another hash
//!   than the message's (the mask does not unmask: the verification outputs "inconsistent");
//!   a trailer octet other than 0xbc (§9.1.2 step 4); a PS256 signature presented as PS384.
//! - `profile`, `accept` acceptable: a salt of another length than the hash. RFC 7518 §3.5
//!   states the salt size as part of the algorithm, without a MUST on the recipient; RFC 8017
//!   §9.1 says the salt length "can be variable" for a given key and EMSA-PSS-VERIFY takes sLen
//!   as an option. Only the key holder can sign with another salt length, so a verifier that
//!   accepts any salt length (many detect it from the encoding) breaks no MUST. The reference
//!   verifier holds sLen = hLen (RFC 7518 §3.5 as written).
//! - `profile`: a 1024-bit key (`key_too_weak`, `accept` acceptable) and genuine signatures
//!   under the e = 3 key (accepted, `reject` acceptable), as in `rsa`.

use corpus::vector::Severity::{self, Must, Profile};
use forge::alg::{Alg, RsaId};
use forge::rsa_raw::{self, Hash, Pss};
use verifier::Reason::SignatureInvalid;

use super::rsa::{
    RS, accept_row, genuine, key_of, lower, presented_as_row, raw, shape_rows, weak_row, world,
};
use super::{Family, rej};
use crate::generate::{Row, accept};

/// A genuine signature under a key the profile trusts, with its algorithm allowed.
const VALID_PS: &[&str] = &[
    "RFC9068-4-signature",
    "RFC7515-5.2-signature",
    "RFC7518-3.1-alg-values",
    "RFC7518-3.5-rsassa-pss",
];
/// A signature RSASSA-PSS-VERIFY refuses.
const INVALID: &[&str] = &[
    "RFC7515-5.2-signature",
    "RFC9068-4-signature",
    "RFC7518-3.5-rsassa-pss",
];
/// An RS* signature RSASSA-PKCS1-v1_5-VERIFY refuses (a PSS signature under an RS alg).
const INVALID_RS: &[&str] = &[
    "RFC7515-5.2-signature",
    "RFC9068-4-signature",
    "RFC7518-3.3-rsassa-pkcs1",
    "RFC7518-3.5-rsassa-pss",
];

const PS: [Alg; 3] = [Alg::PS256, Alg::PS384, Alg::PS512];

/// The RS* algorithm of the same hash.
fn rs_of(alg: Alg) -> Alg {
    match alg.hash_bits() {
        384 => Alg::RS384,
        512 => Alg::RS512,
        _ => Alg::RS256,
    }
}

/// The PS* algorithm of the same hash.
fn ps_of(alg: Alg) -> Alg {
    match alg.hash_bits() {
        384 => Alg::PS384,
        512 => Alg::PS512,
        _ => Alg::PS256,
    }
}

/// A PSS signature of `alg` with these knobs, under the algorithm's key.
fn knob_row(alg: Alg, name: &str, what: String, encoding: Pss, severity: Severity) -> Row {
    let id = key_of(alg);
    let bits = id.key().bits();
    Row::new(
        format!("{}-{name}", lower(alg)),
        format!("{alg} token signed with the private key, {what} ({bits}-bit key)"),
        raw(world(alg, id), move |input| {
            rsa_raw::sign_pss(id.key(), input, encoding)
        }),
        rej(SignatureInvalid),
        severity,
        INVALID,
    )
}

fn salt_rows(alg: Alg) -> Vec<Row> {
    let id = key_of(alg);
    let h_len = Hash::of(alg).output_len();
    let max = id.key().bits() / 8 - h_len - 2;
    [
        (0, "salt-empty".to_owned(), "an empty salt".to_owned()),
        (
            20,
            "salt-20".to_owned(),
            "a 20-octet salt (SHA-1's length)".to_owned(),
        ),
        (
            h_len + 1,
            format!("salt-{}", h_len + 1),
            format!("a {}-octet salt (one more than the hash)", h_len + 1),
        ),
        (
            max,
            "salt-max".to_owned(),
            format!("a {max}-octet salt (the most the modulus holds)"),
        ),
    ]
    .into_iter()
    .filter(|(len, _, _)| *len != h_len)
    .map(|(len, name, what)| {
        knob_row(
            alg,
            &name,
            what,
            Pss {
                salt_len: len,
                ..Pss::genuine(alg)
            },
            Profile,
        )
        .acceptable(&[accept()])
        .refs(&[
            "RFC 8017 §9.1",
            "RFC 8017 §9.1 Note 4",
            "RFC 8017 §9.1.2 step 10",
        ])
        .flags(&["SaltLength"])
        .rationale(
            "RFC 7518 §3.5 gives the salt size as the hash output size but puts no MUST on the \
             recipient, RFC 8017 §9.1 lets the salt length vary for a key, and only the key \
             holder can sign with another salt length, so a verifier that accepts any salt \
             length breaks no MUST.",
        )
    })
    .collect()
}

fn mgf_rows(alg: Alg) -> Vec<Row> {
    let hash = Hash::of(alg);
    [Hash::Sha256, Hash::Sha384, Hash::Sha512]
        .into_iter()
        .filter(|h| *h != hash)
        .map(|mgf| {
            knob_row(
                alg,
                &format!("mgf1-{}", mgf.name().to_lowercase()),
                format!("MGF1 over {} instead of {}", mgf.name(), hash.name()),
                Pss {
                    mgf_hash: mgf,
                    ..Pss::genuine(alg)
                },
                Must,
            )
            .refs(&["RFC 8017 §9.1.2 steps 7–10"])
            .flags(&["WrongMgfHash"])
        })
        .collect()
}

fn trailer_row(alg: Alg, trailer: u8) -> Row {
    knob_row(
        alg,
        &format!("trailer-{trailer:02x}"),
        format!("the trailer octet 0x{trailer:02x} instead of 0xbc"),
        Pss {
            trailer,
            ..Pss::genuine(alg)
        },
        Must,
    )
    .refs(&["RFC 8017 §9.1.2 step 4"])
    .flags(&["InvalidPadding"])
}

/// A genuine signature of the other RSA scheme under the same hash.
fn scheme_row(signed_as: Alg, presented: Alg) -> Row {
    let id = key_of(signed_as);
    let bits = id.key().bits();
    let (scheme, other) = if presented == ps_of(presented) {
        ("PKCS#1 v1.5", "RSASSA-PSS")
    } else {
        ("RSASSA-PSS", "PKCS#1 v1.5")
    };
    let basis = if presented == ps_of(presented) {
        INVALID
    } else {
        INVALID_RS
    };
    super::invalid_sig(
        format!("{}-signature-as-{}", lower(signed_as), lower(presented)),
        format!(
            "genuine {signed_as} ({scheme}) signature in a {presented} ({other}) token, \
             {presented} allowed ({bits}-bit key)"
        ),
        raw(world(presented, id), move |input| {
            genuine(signed_as, id, input)
        }),
        basis,
    )
    .flags(&["AlgorithmConfusion"])
}

pub fn family() -> Family {
    let mut rows = Vec::new();
    for alg in PS {
        for id in [RsaId::Rsa2048, RsaId::Rsa3072, RsaId::Rsa4096, RsaId::E3] {
            rows.push(accept_row(alg, id, VALID_PS));
        }
        rows.extend(shape_rows(alg, INVALID));
        rows.extend(salt_rows(alg));
        rows.extend(mgf_rows(alg));
        rows.push(trailer_row(alg, 0xbd));
        rows.push(trailer_row(alg, 0x00));
        rows.push(scheme_row(rs_of(alg), alg));
        // PS512 needs 2 + 64 + 64 octets: a 1024-bit (128-octet) key cannot carry it.
        if alg != Alg::PS512 {
            rows.push(weak_row(alg));
        }
    }
    for alg in RS {
        rows.push(scheme_row(ps_of(alg), alg));
    }
    for (signed_as, presented) in [(Alg::PS256, Alg::PS384), (Alg::PS384, Alg::PS256)] {
        rows.push(presented_as_row(signed_as, presented, INVALID));
    }
    Family::table("pss", rows)
}
