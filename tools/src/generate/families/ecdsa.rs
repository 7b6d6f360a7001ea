//! `ecdsa`: ES384 and ES512 (RFC 7518 §3.4), and ES256K (RFC 8812), which no profile lists.
//!
//! RFC 7518 §3.4 binds the validator: the JWS Signature is R || S, 96 octets for ES384 and 132
//! for ES512 (each 521-bit integer in 66 octets), handed to the ECDSA validator, which refuses r
//! or s outside [1, n − 1]. So every length off the mark, every DER encoding and every r or s
//! outside the range is a `must` rejection; r = s = 0 (or n) is CVE-2022-21449's psychic
//! signature on each curve.
//!
//! - Accept controls: other keys, two-key sets, keys without `alg`, other payloads, and ES512
//!   signatures whose r and s begin with zero octets (kept, as RFC 7518 §3.4 says).
//! - A P-256 key used for ES384 (and the other curve pairs), signed over the token's hash with
//!   the key's curve, as a verifier that takes the curve from the key and the hash from `alg`
//!   would check it: RFC 8725 §3.1 binds each key to one algorithm (`key_alg_mismatch`).
//! - ES256K: an ECDSA algorithm outside every profile's list (`alg_ecdsa_rejected`).

use corpus::vector::Severity::{Must, Profile};
use forge::alg::{Alg, AnyKey, p384_key, p521_key};
use forge::special::{self, be_add, be_small, be_sub};
use serde_json::{Value, json};
use verifier::ConfigCode::KeyWrongCrv;
use verifier::Reason::{AlgEcdsaRejected, KeyAlgMismatch, SignatureInvalid};

use super::algorithms::{BINDING, World, bare, entry};
use super::{Family, invalid_sig, rej, set_claim};
use crate::generate::{Draft, Expect, Mutation, Row, Signer, any_reject, custom, reject_for};

/// A genuine ES384 or ES512 token.
const VALID: &[&str] = &[
    "RFC7518-3.4-es384-es512",
    "RFC7515-5.2-signature",
    "RFC9068-4-signature",
];
/// r || s of the right length whose integers fail the equation.
const WRONG: &[&str] = &[
    "RFC7518-3.4-es384-es512",
    "RFC7518-3.4-es256",
    "RFC7515-5.2-signature",
];
/// r or s outside [1, n − 1]: the validator refuses them; accepting is CVE-2022-21449's class.
const RANGE: &[&str] = &[
    "RFC7518-3.4-es384-es512",
    "RFC7518-3.4-es256",
    "CVE-2022-21449",
];
/// Not R || S of the curve's size (RFC 7518 §3.4 step 1: "the validation has failed").
const SIZE: &[&str] = WRONG;
/// An ECDSA algorithm no profile lists.
const NOT_LISTED: &[&str] = &["RFC8725-3.1-alg", "M05"];
const WYCHEPROOF: &str = "Wycheproof ecdsa_secp384r1_sha384_p1363 / ecdsa_secp521r1_sha512_p1363";

/// One of the two curves of this family.
#[derive(Clone, Copy)]
struct Curve {
    alg: Alg,
    /// Octets of r and of s.
    width: usize,
    n: &'static [u8],
    p: &'static [u8],
}

const CURVES: [Curve; 2] = [
    Curve {
        alg: Alg::ES384,
        width: 48,
        n: &special::P384_N,
        p: &special::P384_P,
    },
    Curve {
        alg: Alg::ES512,
        width: 66,
        n: &special::P521_N,
        p: &special::P521_P,
    },
];

impl Curve {
    fn slug(self) -> String {
        self.alg.name().to_lowercase()
    }

    fn key(self, name: &str) -> AnyKey {
        match self.alg {
            Alg::ES384 => AnyKey::P384(p384_key(name)),
            _ => AnyKey::P521(p521_key(name)),
        }
    }

    /// The curve's algorithm allowed, its primary key alone in the set.
    fn world(self) -> World {
        World::single(self.alg, self.key("primary"))
    }
}

/// The world, then `edit`, then the signature `sign(genuine signature)`.
fn signed(
    curve: Curve,
    edit: impl Fn(&mut Draft) + 'static,
    sign: impl Fn(Vec<u8>) -> Vec<u8> + 'static,
) -> Mutation {
    let w = curve.world();
    custom(move |d| {
        w.apply(d);
        edit(d);
        let input = d.signing_input();
        let genuine = forge::alg::sign(curve.alg, &curve.key("primary"), input.as_bytes());
        d.signer = Signer::Bytes(sign(genuine));
    })
}

/// `find_jti` on a property of the primary key's genuine signature.
fn find_jti(d: &mut Draft, curve: Curve, ok: impl Fn(&[u8]) -> bool) {
    super::find_jti(d, |d| {
        let input = d.signing_input();
        ok(&forge::alg::sign(
            curve.alg,
            &curve.key("primary"),
            input.as_bytes(),
        ))
    });
}

fn accept_rows(c: Curve) -> Vec<Row> {
    let alg = c.alg;
    let slug = c.slug();
    let mut rows = vec![
        Row::new(
            format!("{slug}-accept-second-key"),
            format!("{alg} token signed with a second key, alone in the set"),
            World::single(alg, c.key("second")).mutation(),
            Expect::Accept,
            Must,
            VALID,
        ),
        Row::new(
            format!("{slug}-accept-two-keys-kid-second"),
            format!("{alg} token whose kid selects the second of two keys of its curve"),
            World::second_of_two(alg, c.key("primary"), c.key("second"), "second").mutation(),
            Expect::Accept,
            Must,
            VALID,
        ),
        Row::new(
            format!("{slug}-accept-key-without-alg"),
            format!("{alg} token under a JWK without an alg member"),
            World {
                keys: vec![bare(c.key("primary"))],
                ..c.world()
            }
            .mutation(),
            Expect::Accept,
            Must,
            VALID,
        ),
        Row::new(
            format!("{slug}-accept-claim-non-ascii"),
            format!("{alg} token whose payload carries a non-ASCII string"),
            signed(
                c,
                |d| set_claim(d, "name", json!("Zoë 🗝 Ærøskøbing")),
                |s| s,
            ),
            Expect::Accept,
            Must,
            VALID,
        ),
    ];
    if alg == Alg::ES512 {
        rows.push(
            Row::new(
                "es512-accept-r-and-s-leading-zero-octets",
                "ES512 token whose r and s are both below 2^520 (each 66 octets begins with a zero \
                 octet, kept)",
                signed(
                    c,
                    move |d| find_jti(d, c, |sig| sig[0] == 0 && sig[66] == 0),
                    |s| s,
                ),
                Expect::Accept,
                Must,
                VALID,
            )
            .notes(
                "RFC 7518 §3.4: each 521-bit integer is represented using 528 bits in 66 octets",
            ),
        );
    }
    rows
}

/// Special r and s values of the curve.
fn special_rows(c: Curve) -> Vec<Row> {
    let w = c.width;
    let slug = c.slug();
    let alg = c.alg;
    let zero = vec![0u8; w];
    let one = be_small(w, 1);
    let n = c.n.to_vec();
    let n_minus_1 = be_sub(c.n, &[1]);
    let n_plus_1 = be_add(c.n, &[1]);
    let p = c.p.to_vec();
    let ones = vec![0xffu8; w];
    // (slug, description, r, s; `None` takes the genuine value, psychic)
    type Case = (
        &'static str,
        &'static str,
        Option<Vec<u8>>,
        Option<Vec<u8>>,
        bool,
    );
    let cases: Vec<Case> = vec![
        (
            "r-s-zero",
            "r = 0, s = 0: the psychic signature",
            Some(zero.clone()),
            Some(zero.clone()),
            true,
        ),
        (
            "r-s-n",
            "r = n, s = n (0 mod n): the psychic signature",
            Some(n.clone()),
            Some(n.clone()),
            true,
        ),
        (
            "r-zero-s-n",
            "r = 0, s = n",
            Some(zero.clone()),
            Some(n.clone()),
            true,
        ),
        (
            "r-zero",
            "the genuine s with r = 0",
            Some(zero.clone()),
            None,
            false,
        ),
        (
            "s-zero",
            "the genuine r with s = 0",
            None,
            Some(zero.clone()),
            false,
        ),
        (
            "r-n",
            "the genuine s with r = n",
            Some(n.clone()),
            None,
            false,
        ),
        (
            "s-n",
            "the genuine r with s = n",
            None,
            Some(n.clone()),
            false,
        ),
        (
            "r-zero-s-one",
            "r = 0, s = 1",
            Some(zero.clone()),
            Some(one.clone()),
            false,
        ),
        (
            "r-n-plus-1",
            "the genuine s with r = n + 1 (1 mod n)",
            Some(n_plus_1),
            None,
            false,
        ),
        (
            "r-p",
            "the genuine s with r = p (the field prime)",
            Some(p),
            None,
            false,
        ),
        (
            "s-all-ones",
            "the genuine r with s = 2^k − 1 (every bit set)",
            None,
            Some(ones),
            false,
        ),
    ];
    let mut rows: Vec<Row> = cases
        .into_iter()
        .map(|(name, description, r, s, psychic)| {
            let mutation = signed(
                c,
                |_| {},
                move |genuine| {
                    let (gr, gs) = genuine.split_at(w);
                    [
                        r.clone().unwrap_or(gr.to_vec()),
                        s.clone().unwrap_or(gs.to_vec()),
                    ]
                    .concat()
                },
            );
            let flags: &[&str] = if psychic {
                &["PsychicSignature", "RangeCheck"]
            } else {
                &["RangeCheck"]
            };
            invalid_sig(
                format!("{slug}-{name}"),
                format!("{alg}: {description}"),
                mutation,
                RANGE,
            )
            .refs(&[WYCHEPROOF])
            .flags(flags)
        })
        .collect();
    for (name, description, r, s) in [
        (
            "r-s-one",
            "r = 1, s = 1 (in range, the equation fails)",
            one.clone(),
            one.clone(),
        ),
        (
            "r-s-n-minus-1",
            "r = n − 1, s = n − 1 (in range, the equation fails)",
            n_minus_1.clone(),
            n_minus_1,
        ),
    ] {
        rows.push(
            invalid_sig(
                format!("{slug}-{name}"),
                format!("{alg}: {description}"),
                signed(c, |_| {}, move |_| [r.clone(), s.clone()].concat()),
                WRONG,
            )
            .refs(&[WYCHEPROOF])
            .flags(&["ModifiedSignature"]),
        );
    }
    if alg == Alg::ES512 {
        // 66 octets hold r + n and s + n: the same values mod n, outside [1, n − 1].
        for (name, description, at) in [
            (
                "r-plus-n",
                "the genuine signature with r + n (the same r mod n)",
                0,
            ),
            (
                "s-plus-n",
                "the genuine signature with s + n (the same s mod n)",
                w,
            ),
        ] {
            rows.push(
                invalid_sig(
                    format!("{slug}-{name}"),
                    format!("{alg}: {description}"),
                    signed(
                        c,
                        |_| {},
                        move |mut genuine| {
                            let plus = be_add(&genuine[at..at + w], &special::P521_N);
                            genuine[at..at + w].copy_from_slice(&plus);
                            genuine
                        },
                    ),
                    RANGE,
                )
                .refs(&[WYCHEPROOF])
                .flags(&["RangeCheck", "Malleability"]),
            );
        }
    }
    rows
}

/// Lengths off RFC 7518 §3.4's, and DER.
fn size_rows(c: Curve) -> Vec<Row> {
    let w = c.width;
    let slug = c.slug();
    let alg = c.alg;
    let full = 2 * w;
    let mut cases: Vec<(String, String, Mutation)> = vec![
        (
            format!("{slug}-sig-{}-octets-short", full - 1),
            format!(
                "{alg}: the genuine signature without its last octet ({} octets)",
                full - 1
            ),
            signed(c, |_| {}, move |s| s[..full - 1].to_vec()),
        ),
        (
            format!("{slug}-sig-{}-octets-trailing-zero", full + 1),
            format!(
                "{alg}: the genuine signature with a zero octet appended ({} octets)",
                full + 1
            ),
            signed(c, |_| {}, |s| [s, vec![0]].concat()),
        ),
        (
            format!("{slug}-sig-{}-octets-leading-zero", full + 1),
            format!(
                "{alg}: the genuine signature with a zero octet prepended ({} octets)",
                full + 1
            ),
            signed(c, |_| {}, |s| [vec![0], s].concat()),
        ),
        (
            format!("{slug}-sig-der"),
            format!("{alg}: the genuine (r, s) DER-encoded (RFC 3279 ECDSA-Sig-Value)"),
            signed(c, |_| {}, move |s| special::der_signature(&s[..w], &s[w..])),
        ),
        (
            format!("{slug}-sig-der-zero"),
            format!("{alg}: DER of r = 0, s = 0 (the psychic signature in Java's form)"),
            signed(c, |_| {}, |_| special::der_signature(&[0], &[0])),
        ),
    ];
    if alg == Alg::ES512 {
        cases.extend([
            (
                "es512-sig-130-octets".to_owned(),
                "ES512: genuine r and s each in 65 octets (their leading zero octets dropped)"
                    .to_owned(),
                signed(
                    c,
                    move |d| find_jti(d, c, |sig| sig[0] == 0 && sig[66] == 0),
                    |s| [&s[1..66], &s[67..]].concat(),
                ),
            ),
            (
                "es512-sig-131-octets-r-short".to_owned(),
                "ES512: genuine r in 65 octets (leading zero dropped), s in 66".to_owned(),
                signed(
                    c,
                    move |d| find_jti(d, c, |sig| sig[0] == 0),
                    |s| s[1..].to_vec(),
                ),
            ),
            (
                "es512-sig-131-octets-s-short".to_owned(),
                "ES512: genuine r in 66 octets, s in 65 (leading zero dropped)".to_owned(),
                signed(
                    c,
                    move |d| find_jti(d, c, |sig| sig[66] == 0),
                    |s| [&s[..66], &s[67..]].concat(),
                ),
            ),
        ]);
    }
    cases
        .into_iter()
        .map(|(name, description, mutation)| {
            let der = name.contains("der");
            invalid_sig(name, description, mutation, if der { RANGE } else { SIZE })
                .flags(if der {
                    &["DerSignature"]
                } else {
                    &["SignatureSize"]
                })
                .notes(
                    "RFC 7518 §3.4 fixes the JWS Signature as R || S in 96 (ES384) or 132 (ES512) \
                 octets; any other octet string fails validation at step 1",
                )
        })
        .collect()
}

/// A token of `alg` whose kid names `key` (alone in the set, no `alg` member), signed by that
/// key over `alg`'s hash: what a verifier that takes the curve from the key checks.
fn mismatch_row(name: &str, alg: Alg, key: AnyKey, allowed: Vec<Alg>) -> Row {
    let kind = key.kind();
    let world = World {
        allowed: allowed.clone(),
        keys: vec![bare(key.clone())],
        alg,
        signer: key.clone(),
        kid: None,
    };
    let kid = match &key {
        AnyKey::P256(_) => "p256",
        AnyKey::P384(_) => "p384",
        _ => "p521",
    };
    let listed: Vec<&str> = allowed.iter().map(|a| a.name()).collect();
    Row::new(
        name,
        format!(
            "{alg} token signed by the {kind} key over {alg}'s hash, kid of that key; {} allowed",
            listed.join(" and ")
        ),
        custom(move |d| {
            world.apply(d);
            d.header["kid"] = json!(kid);
            let input = d.signing_input();
            d.signer = Signer::Bytes(special::ecdsa_with_hash(
                &key,
                alg.hash_bits(),
                input.as_bytes(),
            ));
        }),
        rej(KeyAlgMismatch),
        Must,
        BINDING,
    )
    .acceptable(&[reject_for(SignatureInvalid)])
    .flags(&["AlgorithmConfusion"])
    .notes("RFC 8725 §3.1: each key MUST be used with exactly one algorithm; the key's curve is not the algorithm's")
}

fn mismatch_rows() -> Vec<Row> {
    let p256 = || AnyKey::P256(forge::key("primary"));
    let p384 = || AnyKey::P384(p384_key("primary"));
    let p521 = || AnyKey::P521(p521_key("primary"));
    vec![
        mismatch_row("es384-signed-by-p256-key", Alg::ES384, p256(), vec![Alg::ES256, Alg::ES384]),
        mismatch_row("es256-signed-by-p384-key", Alg::ES256, p384(), vec![Alg::ES256, Alg::ES384]),
        mismatch_row("es512-signed-by-p384-key", Alg::ES512, p384(), vec![Alg::ES384, Alg::ES512]),
        mismatch_row("es384-signed-by-p521-key", Alg::ES384, p521(), vec![Alg::ES384, Alg::ES512]),
        mismatch_row("es512-signed-by-p256-key", Alg::ES512, p256(), vec![Alg::ES256, Alg::ES512]),
        Row::new(
            "es384-only-set-holds-p256-key",
            "ES384 allowed alone, the set holds only a P-256 key (token signed by it over SHA-384)",
            {
                let world = World {
                    allowed: vec![Alg::ES384],
                    keys: vec![bare(p256())],
                    alg: Alg::ES384,
                    signer: p256(),
                    kid: Some("p256"),
                };
                custom(move |d| {
                    world.apply(d);
                    let input = d.signing_input();
                    d.signer =
                        Signer::Bytes(special::ecdsa_with_hash(&p256(), 384, input.as_bytes()));
                })
            },
            Expect::Config(KeyWrongCrv),
            Profile,
            BINDING,
        )
        .acceptable(&[any_reject()])
        .notes("a key no allowed algorithm can use refuses the set (the strict profile); rejecting the token also fails closed"),
    ]
}

/// A token naming ES256K (RFC 8812), under profiles that cannot list it.
fn es256k_rows() -> Vec<Row> {
    let token = |allowed: Vec<Alg>, jwks: Option<Value>| {
        let world = World {
            allowed,
            keys: vec![entry(AnyKey::P256(forge::key("primary")), Alg::ES256)],
            alg: Alg::ES256,
            signer: AnyKey::P256(forge::key("primary")),
            kid: Some("p256"),
        };
        custom(move |d| {
            world.apply(d);
            if let Some(j) = &jwks {
                d.jwks = j.clone();
            }
            d.header["alg"] = json!("ES256K");
            // 64 octets, the ES256K size: the ES256 signature of the P-256 key over the token.
        })
    };
    let (x, y) = forge::coordinates(forge::key("primary").verifying_key());
    let k1 = json!({"keys": [
        {"kty": "EC", "crv": "secp256k1", "kid": "p256", "use": "sig", "x": forge::b64(x), "y": forge::b64(y)}
    ]});
    let row = |name: &str, description: &str, m: Mutation| {
        Row::new(
            name,
            description,
            m,
            rej(AlgEcdsaRejected),
            Must,
            NOT_LISTED,
        )
        .refs(&["RFC 8812 §3.2"])
    };
    vec![
        row(
            "es256k-profile-es256",
            "alg ES256K, ES256 allowed, the P-256 key named",
            token(vec![Alg::ES256], None),
        ),
        row(
            "es256k-profile-es384-es512",
            "alg ES256K, ES384 and ES512 allowed",
            token(vec![Alg::ES256, Alg::ES384, Alg::ES512], None),
        ),
        row(
            "es256k-profile-eddsa-hs256",
            "alg ES256K, ES256, EdDSA and HS256 allowed",
            token(vec![Alg::ES256, Alg::EdDSA, Alg::HS256], None),
        ),
        Row::new(
            "es256k-secp256k1-key-in-set",
            "alg ES256K, ES256 allowed, the set holds an EC key with crv secp256k1",
            token(vec![Alg::ES256], Some(k1)),
            Expect::Config(KeyWrongCrv),
            Profile,
            NOT_LISTED,
        )
        .acceptable(&[any_reject()])
        .refs(&["RFC 8812 §3.1"])
        .notes("a key no allowed algorithm can use refuses the set; rejecting the token for its alg also fails closed"),
    ]
}

/// The family's vectors.
pub fn family() -> Family {
    let mut rows = Vec::new();
    for c in CURVES {
        rows.extend(accept_rows(c));
        rows.extend(special_rows(c));
        rows.extend(size_rows(c));
    }
    rows.extend(mismatch_rows());
    rows.extend(es256k_rows());
    Family::table("ecdsa", rows)
}
