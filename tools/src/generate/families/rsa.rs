//! `rsa`: RSASSA-PKCS1-v1_5 (RS256, RS384, RS512) signatures, genuine and not.
//!
//! RFC 7518 §3.3 validates an RS* signature with RSASSA-PKCS1-v1_5-VERIFY (RFC 8017 §8.2.2),
//! and RFC 7515 §5.2 step 8 makes a recipient validate "in the manner defined for the
//! algorithm". That verification rebuilds the one encoded message EMSA-PKCS1-v1_5 allows and
//! compares, so every signature here that opens to anything else is invalid and `must`:
//!
//! - a signature of another length than the modulus (§8.2.2 step 1), s ≥ n (§5.2.2 step 1),
//!   s = 0 and s = 1 (they open to 0 and 1);
//! - a DigestInfo of another hash, garbage after the DigestInfo, octets other than 0xff in the
//!   padding string, a padding string shorter than eight octets (§9.2), each signed with the
//!   private key, and the e = 3 cube-root forgeries of Bleichenbacher's 2006 attack that need no
//!   private key (CVE-2006-4339, CVE-2016-1494);
//! - an RS256 signature presented as RS384, and the reverse (RFC 7515 §5.2: the algorithm
//!   "MUST be accurately represented by the value of the "alg" (algorithm) Header Parameter").
//!
//! Two verdicts are `profile`. A DigestInfo without the NULL parameters: RFC 8017 §9.2 Note 1
//! lists T with NULL parameters and Appendix B.1 says "When formatting the DigestInfoValue in
//! EMSA-PKCS1-v1_5 … shall have a value of type NULL", so the comparison of §8.2.2 fails; but
//! B.1 also says "implementations MUST accept AlgorithmIdentifier values both without
//! parameters and with NULL parameters" (and §9.2 Note 2 lets a cautious implementor decode
//! instead of compare), and accepting needs the private key anyway, so `accept` is acceptable.
//! A 1024-bit key: RFC 7518 §3.3's "MUST be used" binds whoever chooses the key, so a library
//! that verifies is acceptable. Genuine signatures under an e = 3 key are accepted (e = 3 is a
//! valid exponent, RFC 8017 §3.1), `profile` with `reject` acceptable: refusing it is local policy.

use corpus::vector::Severity::{self, Must, Profile};
use forge::alg::{Alg, AnyKey, RsaId, sign};
use forge::rsa_raw::{self, Hash, Padding, Pkcs1};
use serde_json::json;
use verifier::Reason::{KeyTooWeak, SignatureInvalid};

use super::algorithms::{World, bare, entry};
use super::{Family, rej};
use crate::generate::{
    Draft, Expect, Mutation, Row, Signer, accept, all_of, any_config_error, any_reject, custom,
};
use verifier::ConfigCode;

/// A genuine signature under a key the profile trusts, with its algorithm allowed.
pub(super) const VALID_RS: &[&str] = &[
    "RFC9068-4-signature",
    "RFC7515-5.2-signature",
    "RFC7518-3.1-alg-values",
    "RFC7518-3.3-rsassa-pkcs1",
];
/// A signature RSASSA-PKCS1-v1_5-VERIFY refuses.
const INVALID: &[&str] = &[
    "RFC7515-5.2-signature",
    "RFC9068-4-signature",
    "RFC7518-3.3-rsassa-pkcs1",
];
/// An RSA key below RFC 7518's 2048 bits.
const WEAK: &[&str] = &["RFC7518-3.3-rsa-key"];

pub(super) const RS: [Alg; 3] = [Alg::RS256, Alg::RS384, Alg::RS512];

/// The key the malformed rows of an algorithm use: one modulus size per hash, so that every
/// stored key of at least 2048 bits carries some.
pub(super) fn key_of(alg: Alg) -> RsaId {
    match alg.hash_bits() {
        384 => RsaId::Rsa3072,
        512 => RsaId::Rsa4096,
        _ => RsaId::Rsa2048,
    }
}

pub(super) fn lower(alg: Alg) -> String {
    alg.name().to_lowercase()
}

fn rsa(id: RsaId) -> AnyKey {
    AnyKey::Rsa(id.key())
}

/// The world of one algorithm and one stored key.
pub(super) fn world(alg: Alg, id: RsaId) -> World {
    World::single(alg, rsa(id))
}

/// `world`, then the signature computed from the signing input by `sig`.
pub(super) fn raw(world: World, sig: impl Fn(&[u8]) -> Vec<u8> + 'static) -> Mutation {
    custom(move |d: &mut Draft| {
        world.apply(d);
        let input = d.signing_input();
        d.signer = Signer::Bytes(sig(input.as_bytes()));
    })
}

/// `world`, then the first signature `sig` finds for the signing input, trying `jti` values
/// `jti-0001`, `jti-0001-1`, `jti-0001-2`… (a forgery may need an odd digest, a short
/// signature a leading zero octet).
pub(super) fn searched(world: World, sig: impl Fn(&[u8]) -> Option<Vec<u8>> + 'static) -> Mutation {
    custom(move |d: &mut Draft| {
        world.apply(d);
        for i in 0..20_000 {
            if i > 0 {
                d.claims["jti"] = json!(format!("jti-0001-{i}"));
            }
            let input = d.signing_input();
            if let Some(s) = sig(input.as_bytes()) {
                d.signer = Signer::Bytes(s);
                return;
            }
        }
        panic!("no jti gives the signature this row needs");
    })
}

/// The genuine signature of `alg` with the stored key `id`.
pub(super) fn genuine(alg: Alg, id: RsaId, input: &[u8]) -> Vec<u8> {
    sign(alg, &rsa(id), input)
}

/// A rejected row under `alg` with the key `id`.
fn invalid(
    name: String,
    description: String,
    mutation: Mutation,
    basis: &[&str],
    refs: &[&str],
) -> Row {
    super::invalid_sig(name, description, mutation, basis).refs(refs)
}

/// An accept control: a genuine signature of `alg` under the stored key `id`.
pub(super) fn accept_row(alg: Alg, id: RsaId, basis: &[&str]) -> Row {
    let key = id.key();
    let e3 = id == RsaId::E3;
    let severity: Severity = if e3 { Profile } else { Must };
    let what = if e3 {
        format!("{}-bit key with e = 3", key.bits())
    } else {
        format!("{}-bit key", key.bits())
    };
    let row = Row::new(
        format!("accept-{}-{}", lower(alg), id.name()),
        format!("{alg} access token, genuine signature under the {what}"),
        world(alg, id).mutation(),
        Expect::Accept,
        severity,
        basis,
    );
    if e3 {
        row.acceptable(&[any_reject()]).rationale(
            "e = 3 is a valid RSA public exponent (RFC 8017 §3.1) and the signature is genuine; \
             a library that refuses small exponents applies a local policy no RFC requires.",
        )
    } else {
        row
    }
}

/// A genuine signature under the 1024-bit key: `key_too_weak`, with `accept` acceptable.
pub(super) fn weak_row(alg: Alg) -> Row {
    super::weak_key(
        format!("{}-rsa-1024", lower(alg)),
        format!("{alg} access token, genuine signature under a 1024-bit RSA key"),
        world(alg, RsaId::Weak1024).mutation(),
        WEAK,
    )
    .rationale(
        "RFC 7518 §3.3's \"A key of size 2048 bits or larger MUST be used\" binds whoever \
         chooses the key, not the recipient, so a library that verifies the genuine signature \
         breaks no MUST.",
    )
}

/// The signature length and integer range rows common to RS* and PS* (RFC 8017 §8.1.2 and
/// §8.2.2 step 1: k octets; RSAVP1, §5.2.2: s below n). `basis` is the family's.
pub(super) fn shape_rows(alg: Alg, basis: &'static [&'static str]) -> Vec<Row> {
    let id = key_of(alg);
    let bits = id.key().bits();
    let a = lower(alg);
    let len_ref = if matches!(alg, Alg::PS256 | Alg::PS384 | Alg::PS512) {
        "RFC 8017 §8.1.2 step 1"
    } else {
        "RFC 8017 §8.2.2 step 1"
    };
    let range_ref = "RFC 8017 §5.2.2 step 1";
    vec![
        invalid(
            format!("{a}-signature-one-octet-short"),
            format!(
                "{alg} signature whose leading zero octet is dropped: the genuine integer in \
                 k − 1 octets (2048-bit key)"
            ),
            searched(world(alg, RsaId::Rsa2048), move |input| {
                let s = genuine(alg, RsaId::Rsa2048, input);
                (s[0] == 0).then(|| s[1..].to_vec())
            }),
            basis,
            &[len_ref],
        )
        .flags(&["SignatureSize", "Malleability"])
        .rationale(
            "RFC 8017's verification operations begin by refusing a signature that is not k \
             octets long (§8.1.2 and §8.2.2, step 1); the libraries that accept left-pad the \
             integer, as OpenSSL's RSA does, which makes a genuine signature malleable.",
        ),
        invalid(
            format!("{a}-signature-one-octet-long"),
            format!(
                "{alg} signature with a zero octet prepended: the genuine integer in k + 1 \
                 octets ({bits}-bit key)"
            ),
            raw(world(alg, id), move |input| {
                [&[0u8][..], &genuine(alg, id, input)].concat()
            }),
            basis,
            &[len_ref],
        )
        .flags(&["SignatureSize", "Malleability"]),
        invalid(
            format!("{a}-s-equals-n"),
            format!("{alg} signature s = n, the modulus itself ({bits}-bit key)"),
            raw(world(alg, id), move |_| id.key().n()),
            basis,
            &[range_ref],
        )
        .flags(&["RangeCheck"]),
        invalid(
            format!("{a}-s-all-ones"),
            format!("{alg} signature of k octets 0xff: s = 2^(8k) − 1 > n ({bits}-bit key)"),
            raw(world(alg, id), move |_| vec![0xff; id.key().bits() / 8]),
            basis,
            &[range_ref],
        )
        .flags(&["RangeCheck"]),
        invalid(
            format!("{a}-s-zero"),
            format!("{alg} signature s = 0, k zero octets ({bits}-bit key)"),
            raw(world(alg, id), move |_| vec![0; id.key().bits() / 8]),
            basis,
            &[range_ref],
        )
        .flags(&["EdgeCase"]),
        invalid(
            format!("{a}-s-one"),
            format!("{alg} signature s = 1 in k octets ({bits}-bit key)"),
            raw(world(alg, id), move |_| {
                let mut s = vec![0; id.key().bits() / 8];
                *s.last_mut().expect("k > 0") = 1;
                s
            }),
            basis,
            &[range_ref],
        )
        .flags(&["EdgeCase"]),
    ]
}

/// Another hash than `alg`'s, for a DigestInfo that names it.
fn other_hash(alg: Alg) -> Hash {
    match Hash::of(alg) {
        Hash::Sha256 => Hash::Sha512,
        Hash::Sha384 => Hash::Sha256,
        Hash::Sha512 => Hash::Sha384,
    }
}

/// Encodings signed with the private key that EMSA-PKCS1-v1_5 does not produce.
fn encoding_rows(alg: Alg) -> Vec<Row> {
    let id = key_of(alg);
    let bits = id.key().bits();
    let a = lower(alg);
    let hash = Hash::of(alg);
    let other = other_hash(alg);
    let signed = move |encoding: Pkcs1| {
        raw(world(alg, id), move |input| {
            rsa_raw::sign_pkcs1(id.key(), input, encoding)
        })
    };
    let genuine_enc = Pkcs1::genuine(alg);
    vec![
        invalid(
            format!("{a}-digest-info-{}", other.name().to_lowercase()),
            format!(
                "{alg} token whose PKCS#1 v1.5 DigestInfo names {} and carries that hash of the \
                 signing input, signed with the private key ({bits}-bit key)",
                other.name()
            ),
            signed(Pkcs1 {
                hash: other,
                ..genuine_enc
            }),
            INVALID,
            &["RFC 8017 §9.2", "RFC 8017 §8.2.2 step 4"],
        )
        .flags(&["WrongDigestInfo"]),
        Row::new(
            format!("{a}-digest-info-without-null"),
            format!(
                "{alg} token whose DigestInfo omits the NULL parameters of the {} \
                 AlgorithmIdentifier, signed with the private key ({bits}-bit key)",
                hash.name()
            ),
            signed(Pkcs1 {
                null_params: false,
                ..genuine_enc
            }),
            rej(SignatureInvalid),
            Profile,
            INVALID,
        )
        .acceptable(&[accept()])
        .refs(&["RFC 8017 §9.2 Note 1", "RFC 8017 Appendix B.1"])
        .rationale(
            "RFC 8017 Appendix B.1 requires the NULL parameters when formatting the DigestInfo \
             of EMSA-PKCS1-v1_5, so the encoding comparison of §8.2.2 fails; but B.1 also says \
             implementations MUST accept SHA-2 AlgorithmIdentifiers with and without \
             parameters, and only the key holder can make such a signature, so accepting it \
             is a legitimate reading.",
        ),
        invalid(
            format!("{a}-garbage-after-digest-info"),
            format!(
                "{alg} token whose encoded message has 16 octets of garbage after the \
                 DigestInfo (the padding string 16 octets shorter), signed with the private key \
                 ({bits}-bit key)"
            ),
            signed(Pkcs1 {
                after: 16,
                ..genuine_enc
            }),
            &[INVALID, &["CVE-2006-4339"]].concat(),
            &["RFC 8017 §9.2", "RFC 8017 §8.2.2 step 4"],
        )
        .flags(&["InvalidPadding"]),
        invalid(
            format!("{a}-garbage-in-padding"),
            format!(
                "{alg} token whose padding string holds non-zero octets other than 0xff, \
                 signed with the private key ({bits}-bit key)"
            ),
            signed(Pkcs1 {
                padding: Padding::Garbage,
                ..genuine_enc
            }),
            &[INVALID, &["CVE-2016-1494"]].concat(),
            &["RFC 8017 §9.2 step 4", "RFC 8017 §8.2.2 step 4"],
        )
        .flags(&["InvalidPadding"]),
        invalid(
            format!("{a}-short-padding-string"),
            format!(
                "{alg} token whose encoded message is 0x00 … 0x00 0x01, seven 0xff octets, 0x00 \
                 and the DigestInfo: a padding string below eight octets, right-aligned in k \
                 octets, signed with the private key ({bits}-bit key)"
            ),
            raw(world(alg, id), move |input| {
                let key = id.key();
                let k = rsa_raw::modulus_len(key);
                let t = rsa_raw::digest_info(hash, true, &hash.digest(input));
                let mut tail = vec![0x01];
                tail.extend([0xff; 7]);
                tail.push(0x00);
                tail.extend(t);
                let em = [vec![0u8; k - tail.len()], tail].concat();
                rsa_raw::private_op(key, &em)
            }),
            INVALID,
            &["RFC 8017 §9.2 step 4", "RFC 8017 §8.2.2 step 4"],
        )
        .flags(&["InvalidPadding"]),
    ]
}

/// Bleichenbacher's 2006 forgeries under the e = 3 key: no private key involved.
fn forgery_rows(alg: Alg) -> Vec<Row> {
    let a = lower(alg);
    let id = RsaId::E3;
    let after = |name: String, description: String, ps_len: usize| {
        invalid(
            name,
            description,
            raw(world(alg, id), move |input| {
                rsa_raw::forge_e3_garbage_after(id.key(), alg, input, ps_len)
                    .expect("the garbage absorbs the cube root's error")
            }),
            &[INVALID, &["CVE-2006-4339"]].concat(),
            &["Bleichenbacher, RSA signature forgery based on implementation error (CRYPTO 2006 rump session)"],
        )
        .flags(&["SignatureForgery", "InvalidPadding", "SmallPublicExponent"])
    };
    let mut rows = Vec::new();
    if alg == Alg::RS512 {
        // The SHA-512 DigestInfo leaves too little garbage for eight 0xff octets.
        rows.push(after(
            format!("{a}-e3-forgery-no-padding-garbage-after"),
            format!(
                "{alg} forgery without the private key (e = 3 key): a cube root whose cube is \
                 0x00 0x01 0x00, the DigestInfo, then garbage (no padding octet at all)"
            ),
            0,
        ));
    } else {
        rows.push(after(
            format!("{a}-e3-forgery-garbage-after"),
            format!(
                "{alg} forgery without the private key (e = 3 key): a cube root whose cube is \
                 0x00 0x01, eight 0xff octets, 0x00, the DigestInfo, then garbage"
            ),
            8,
        ));
        rows.push(after(
            format!("{a}-e3-forgery-short-padding"),
            format!(
                "{alg} forgery without the private key (e = 3 key): a cube root whose cube is \
                 0x00 0x01 0xff 0x00, the DigestInfo, then garbage (a one-octet padding string)"
            ),
            1,
        ));
    }
    rows.push(
        invalid(
            format!("{a}-e3-forgery-garbage-in-padding"),
            format!(
                "{alg} forgery without the private key (e = 3 key): a cube root whose cube is \
                 0x00 0x01, non-zero garbage, 0x00 and the DigestInfo at the end (CVE-2016-1494)"
            ),
            searched(world(alg, id), move |input| {
                rsa_raw::forge_e3_garbage_in_padding(id.key(), alg, input)
            }),
            &[INVALID, &["CVE-2016-1494"]].concat(),
            &["python-rsa before 3.3 (CVE-2016-1494)"],
        )
        .flags(&["SignatureForgery", "InvalidPadding", "SmallPublicExponent"]),
    );
    rows
}

/// A genuine signature of `signed_as` presented under the header `alg` `presented`, both allowed.
pub(super) fn presented_as_row(signed_as: Alg, presented: Alg, basis: &[&str]) -> Row {
    let id = key_of(signed_as);
    let mut w = world(presented, id);
    w.allowed = vec![signed_as, presented];
    w.keys = vec![bare(rsa(id))];
    super::invalid_sig(
        format!("{}-signature-as-{}", lower(signed_as), lower(presented)),
        format!(
            "genuine {signed_as} signature in a token whose alg says {presented}, both allowed, \
             key without an alg member"
        ),
        raw(w, move |input| genuine(signed_as, id, input)),
        basis,
    )
    .flags(&["AlgorithmConfusion"])
}

/// RSA JWKs whose `n` or `e` the key set must not load (`key_bad_rsa_params`): not the minimal
/// octets of Base64urlUInt (RFC 7518 §2), an exponent that is even, 1 or 2^33 and more, an even
/// modulus, a modulus over the 16384-bit bound. Each replaces a member of the 2048-bit key's
/// JWK under a genuine RS256 token: a leading zero octet is the same key, so a reader that
/// strips it verifies the token and forges nothing; every other change is another key.
fn rsa_param_rows() -> Vec<Row> {
    let modulus = RsaId::Rsa2048.key().n();
    let mut even_n = modulus.clone();
    if let Some(last) = even_n.last_mut() {
        *last &= 0xfe;
    }
    let cases: [(&str, &str, &str, Vec<u8>, bool); 7] = [
        (
            "n-leading-zero",
            "n with a leading zero octet",
            "n",
            [&[0u8][..], &modulus].concat(),
            true,
        ),
        (
            "e-leading-zero",
            "e with a leading zero octet",
            "e",
            vec![0, 1, 0, 1],
            true,
        ),
        ("e-one", "e = 1", "e", vec![1], false),
        ("e-even", "e = 65536, even", "e", vec![1, 0, 0], false),
        (
            "e-2-33-plus-1",
            "e = 2^33 + 1, over the exponent bound",
            "e",
            vec![2, 0, 0, 0, 1],
            false,
        ),
        ("n-even", "an even modulus", "n", even_n, false),
        (
            "n-16392-bits",
            "a 16392-bit modulus, over the 16384-bit bound",
            "n",
            vec![0xff; 2049],
            false,
        ),
    ];
    cases
        .into_iter()
        .map(|(name, what, member, value, same_key)| {
            let row = jwk_member_row(
                name,
                format!("genuine RS256 token; the RSA key's JWK has {what}"),
                member,
                &value,
                (
                    Expect::Config(ConfigCode::KeyBadRsaParams),
                    Profile,
                    &["PROFILE-KEYSET"],
                ),
            );
            if same_key {
                row.acceptable(&[accept()])
            } else {
                row
            }
        })
        .collect()
}

/// A genuine RS256 token from the 2048-bit key, under a set whose RSA JWK has `member`
/// replaced by `value`: `verdict` is the expectation, its severity and basis. A library that
/// refuses the token or the set instead fails closed.
fn jwk_member_row(
    name: &str,
    description: String,
    member: &'static str,
    value: &[u8],
    verdict: (Expect, Severity, &'static [&'static str]),
) -> Row {
    let encoded = forge::b64(value);
    let (expect, severity, basis) = verdict;
    Row::new(
        format!("jwk-{name}"),
        description,
        all_of([
            world(Alg::RS256, RsaId::Rsa2048).mutation(),
            custom(move |d: &mut Draft| d.jwks["keys"][0][member] = json!(encoded)),
        ]),
        expect,
        severity,
        basis,
    )
    .acceptable(&[any_reject(), any_config_error()])
}

/// One edge row: name, what the JWK has, the member, its value, the expectation, its severity
/// and basis.
type EdgeCase = (
    &'static str,
    &'static str,
    &'static str,
    Vec<u8>,
    Expect,
    Severity,
    &'static [&'static str],
);

/// RSA JWKs at the edges the key set still loads: a modulus of exactly 16384 bits and an
/// exponent of 33 bits (2^33 − 1) are other keys, so the genuine RS256 token does not verify;
/// a 2047-bit modulus (top octet 0x7f) loads and is too weak for any RS algorithm. A library
/// with lower bounds may refuse the set instead, which fails closed.
fn rsa_edge_rows() -> Vec<Row> {
    let cases: [EdgeCase; 3] = [
        (
            "n-16384-bits",
            "a 16384-bit modulus, the largest the set loads",
            "n",
            vec![0xff; 2048],
            rej(SignatureInvalid),
            Must,
            INVALID,
        ),
        (
            "e-2-33-minus-1",
            "e = 2^33 − 1, the largest exponent the set loads",
            "e",
            vec![1, 0xff, 0xff, 0xff, 0xff],
            rej(SignatureInvalid),
            Must,
            INVALID,
        ),
        (
            "n-2047-bits",
            "a 2047-bit modulus (top octet 0x7f)",
            "n",
            [&[0x7f_u8][..], &[0xff; 255]].concat(),
            rej(KeyTooWeak),
            Profile,
            WEAK,
        ),
    ];
    cases
        .into_iter()
        .map(|(name, what, member, value, expect, severity, basis)| {
            jwk_member_row(
                name,
                format!("genuine RS256 token from the 2048-bit key; the set's RSA JWK has {what}"),
                member,
                &value,
                (expect, severity, basis),
            )
        })
        .collect()
}

pub fn family() -> Family {
    let mut rows = rsa_param_rows();
    rows.extend(rsa_edge_rows());
    for alg in RS {
        for id in [RsaId::Rsa2048, RsaId::Rsa3072, RsaId::Rsa4096, RsaId::E3] {
            rows.push(accept_row(alg, id, VALID_RS));
        }
        rows.extend(shape_rows(alg, INVALID));
        rows.extend(encoding_rows(alg));
        rows.extend(forgery_rows(alg));
        rows.push(weak_row(alg));
    }
    rows.push(
        invalid(
            "rs256-s-plus-n".into(),
            "RS256 signature s + n: congruent to the genuine s modulo n, still k octets \
             (2048-bit key)"
                .into(),
            searched(world(Alg::RS256, RsaId::Rsa2048), |input| {
                rsa_raw::plus_modulus(
                    RsaId::Rsa2048.key(),
                    &genuine(Alg::RS256, RsaId::Rsa2048, input),
                )
            }),
            INVALID,
            &["RFC 8017 §5.2.2 step 1"],
        )
        .flags(&["RangeCheck", "Malleability"]),
    );
    rows.push(Row::new(
        "accept-rs256-key-with-alg",
        "RS256 access token under the 2048-bit key whose JWK names RS256, RS256 and RS512 allowed",
        {
            let mut w = world(Alg::RS256, RsaId::Rsa2048);
            w.allowed = vec![Alg::RS256, Alg::RS512];
            w.keys = vec![entry(rsa(RsaId::Rsa2048), Alg::RS256)];
            w.mutation()
        },
        Expect::Accept,
        Must,
        VALID_RS,
    ));
    for (signed_as, presented) in [
        (Alg::RS256, Alg::RS384),
        (Alg::RS384, Alg::RS256),
        (Alg::RS512, Alg::RS256),
        (Alg::RS256, Alg::RS512),
    ] {
        rows.push(presented_as_row(signed_as, presented, INVALID));
    }
    Family::table("rsa", rows)
}
