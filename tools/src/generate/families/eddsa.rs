//! `eddsa`: Ed25519 under `alg: EdDSA` (RFC 8037 §3.1), judged by RFC 8032 §5.1.7, which
//! RFC 8037 §3.1.2 makes the JWS validation ("If the algorithm accepts, the signature is valid;
//! otherwise, the signature is invalid") and RFC 7515 §5.2 step 8 binds the recipient to.
//!
//! - Accept controls: other keys, sets of two keys, a key without `alg`, other payloads.
//! - S ≥ L: RFC 8032 §5.1.7 step 1 decodes S "in the range 0 <= s < L" and a failed decoding
//!   makes the signature invalid, so S + L (the same scalar mod L: a malleable twin) is a `must`
//!   rejection.
//! - Non-canonical encodings (y ≥ p, or x = 0 with the sign bit set): RFC 8032 §5.1.3's decoding
//!   fails, so the signature is invalid: `must`, for R and for the key (a key set refused at
//!   load and a token rejected are both fail-closed).
//! - Small order: RFC 8032 requires the cofactored equation and permits the cofactorless one
//!   ("It's sufficient, but not required"), and forbids neither a small-order R nor a
//!   small-order key. Where the two equations disagree the vector is `profile`, expecting the
//!   cofactorless (strict) answer and listing the cofactored one as acceptable; small-order
//!   keys are refused by the strict profile and every other outcome is listed as acceptable.
//! - Key subtypes: an `Ed448` key is verified with Ed448 (RFC 8037 §3.1) and an `X25519` key
//!   "MUST NOT be used for signing" (RFC 8037 §3.2), whatever its `x` holds.
//! - `Ed25519` as `alg` (RFC 9864's fully-specified name): refused unless the profile lists it,
//!   and a profile lists only the 13 names RFC 7518 and RFC 8037 register.

use corpus::vector::Severity::{self, Must, Profile};
use forge::alg::{Alg, AnyKey, ed25519_key};
use forge::special::{self, SmallOrder};
use serde_json::{Value, json};
use verifier::ConfigCode::{KeyNotOnCurve, KeyWrongAlg, KeyWrongCrv};
use verifier::Reason::{AlgNotAllowed, KeyAlgMismatch, SignatureInvalid};

use super::algorithms::{World, bare, entry};
use super::{Family, find_jti, invalid_sig, rej, set_claim};
use crate::generate::{
    Draft, Expect, Mutation, Row, Signer, accept, any_config_error, any_reject, custom, reject_for,
};

/// RFC 7515 §5.2 step 8: the recipient validates the signature.
const JWS_SIG: &str = "RFC7515-5.2-signature";
/// RFC 8037 §3.1.2: the EdDSA verification is RFC 8032's.
const EDDSA_VERIFY: &str = "RFC8037-3.1.2-verify";

/// A genuine Ed25519 token: RFC 7515 §5.2 and RFC 9068 §4 bind the recipient to verify it.
const VALID: &[&str] = &[JWS_SIG, "RFC9068-4-signature", "RFC8725-3.1-alg"];
/// The signature is invalid by RFC 8032 §5.1.7, which RFC 7515 §5.2 step 8 binds the
/// recipient to.
const INVALID: &[&str] = &[JWS_SIG, EDDSA_VERIFY, "RFC9068-4-signature"];
/// Implementations legitimately differ (RFC 8032 permits both equations; RFC 8725 §3.4 asks
/// libraries to validate inputs such as points of the wrong order).
const ORDER: &[&str] = &[JWS_SIG, EDDSA_VERIFY, "RFC8725-3.4-inputs"];
/// The key's subtype decides the EdDSA variant (RFC 8037 §3.1).
const VARIANT: &[&str] = &[JWS_SIG, EDDSA_VERIFY, "RFC8037-3.1-variant"];
/// An X25519 key under EdDSA.
const X25519: &[&str] = &[JWS_SIG, "RFC8037-3.1-variant", "RFC8037-3.2-x25519"];
/// An OKP key without a usable `crv`.
const CRV: &[&str] = &["RFC8037-2-okp", "RFC9068-4-signature"];
/// An algorithm name outside the profile's list.
const NOT_LISTED: &[&str] = &["RFC8725-3.1-alg", "M02"];
/// RFC 8032 sections, for people.
const VERIFY: &str = "RFC 8032 §5.1.7";
const DECODE: &str = "RFC 8032 §5.1.3";
const COFACTOR: &str = "RFC 8032 §8.8";

const ORDER_WHY: &str = "RFC 8032 §5.1.7 requires the cofactored equation and permits the \
                         cofactorless one (\"It's sufficient, but not required\"), so a verifier \
                         may answer either way here; the strict profile takes the cofactorless \
                         answer.";
const IDENTITY_R_WHY: &str = "Both of RFC 8032 §5.1.7's equations hold, so the signature is valid \
                              by the RFC; the strict profile refuses every R of small order, as \
                              verify_strict does, so accepting is acceptable.";
const SMALL_KEY_WHY: &str = "RFC 8032 and RFC 8037 do not forbid a public key of small order, \
                             but for such a key anyone can make signatures (here R = identity, \
                             S = 0), so the strict profile refuses the key set; rejecting the \
                             token, or accepting it as the equation allows, also conforms.";

/// The named Ed25519 signing key.
fn ed(name: &str) -> AnyKey {
    AnyKey::Ed25519(ed25519_key(name))
}

/// EdDSA allowed, the primary Ed25519 key alone in the set.
fn world() -> World {
    World::single(Alg::EdDSA, ed("primary"))
}

/// The primary key's public JWK with its `x` replaced (other points, other encodings).
fn okp_jwk(crv: &str, x: &[u8]) -> Value {
    json!({"kty": "OKP", "crv": crv, "kid": "ed25519", "use": "sig", "alg": "EdDSA", "x": forge::b64(x)})
}

/// The primary world, then `edit`, then the signature `sign(signing input)` instead of the
/// key's own.
fn signed_by(
    edit: impl Fn(&mut Draft) + 'static,
    sign: impl Fn(&[u8]) -> Vec<u8> + 'static,
) -> Mutation {
    let w = world();
    custom(move |d| {
        w.apply(d);
        edit(d);
        let input = d.signing_input();
        d.signer = Signer::Bytes(sign(input.as_bytes()));
    })
}

/// The genuine signature of the primary key, then `change` applied to its 64 octets.
fn genuine_then(change: impl Fn([u8; 64]) -> Vec<u8> + 'static) -> Mutation {
    signed_by(
        |_| {},
        move |input| {
            let sig = forge::alg::sign(Alg::EdDSA, &ed("primary"), input);
            change(sig.try_into().expect("64 octets"))
        },
    )
}

/// `find_jti` on a property of the signing input.
fn find_input(d: &mut Draft, ok: impl Fn(&[u8]) -> bool) {
    find_jti(d, |d| ok(d.signing_input().as_bytes()));
}

fn accept_rows() -> Vec<Row> {
    let second = |name: &'static str| {
        let mut w = World::single(Alg::EdDSA, ed(name));
        w.keys = vec![entry(ed(name), Alg::EdDSA)];
        w
    };
    let claims = |what: &'static str, name: &'static str, value: Value| {
        let w = world();
        Row::new(
            format!("accept-claim-{name}"),
            format!("EdDSA token whose payload carries {what}"),
            custom(move |d| {
                w.apply(d);
                set_claim(d, name, value.clone());
            }),
            Expect::Accept,
            Must,
            VALID,
        )
    };
    vec![
        Row::new(
            "accept-second-key",
            "EdDSA token signed with a second Ed25519 key, alone in the set",
            second("second").mutation(),
            Expect::Accept,
            Must,
            VALID,
        ),
        Row::new(
            "accept-third-key",
            "EdDSA token signed with a third Ed25519 key, alone in the set",
            second("third").mutation(),
            Expect::Accept,
            Must,
            VALID,
        ),
        Row::new(
            "accept-two-keys-kid-second",
            "EdDSA token whose kid selects the second of two Ed25519 keys",
            World::second_of_two(Alg::EdDSA, ed("primary"), ed("second"), "ed25519-2").mutation(),
            Expect::Accept,
            Must,
            VALID,
        ),
        Row::new(
            "accept-key-without-alg",
            "EdDSA token under an Ed25519 JWK without an alg member",
            World {
                keys: vec![bare(ed("primary"))],
                ..world()
            }
            .mutation(),
            Expect::Accept,
            Must,
            VALID,
        ),
        claims("a non-ASCII string", "name", json!("Zoë 🗝 Ærøskøbing")),
        claims("a 2,000-character string", "note", json!("x".repeat(2000))),
        claims(
            "a nested object",
            "ctx",
            json!({"a": [1, 2, {"b": null}], "c": true}),
        ),
    ]
}

/// S replaced by S + k·L (and other S values at or above L) under the genuine R.
fn s_rows() -> Vec<Row> {
    let plus = |times: u8| {
        move |sig: [u8; 64]| {
            let mut s = [0u8; 32];
            s.copy_from_slice(&sig[32..]);
            let big = special::s_plus_l(&s, times).expect("S + k·L fits in 256 bits for k ≤ 8");
            [&sig[..32], &big[..]].concat()
        }
    };
    let cases: Vec<(&str, &str, Mutation)> = vec![
        (
            "s-plus-l",
            "the genuine signature with S + L (the same scalar mod L)",
            genuine_then(plus(1)),
        ),
        (
            "s-plus-2l",
            "the genuine signature with S + 2L",
            genuine_then(plus(2)),
        ),
        (
            "s-plus-8l",
            "the genuine signature with S + 8L",
            genuine_then(plus(8)),
        ),
        (
            "s-equals-l",
            "the genuine R with S = L (0 mod L)",
            genuine_then(|sig| [&sig[..32], &special::ED25519_L[..]].concat()),
        ),
        (
            "s-all-ones",
            "the genuine R with S = 2^256 − 1",
            genuine_then(|sig| [&sig[..32], &[0xff; 32][..]].concat()),
        ),
        (
            "s-top-bits-set",
            "the genuine signature with S's three top bits set (S + 2^253 + 2^254 + 2^255)",
            genuine_then(|mut sig| {
                sig[63] |= 0xe0;
                sig.to_vec()
            }),
        ),
    ];
    cases
        .into_iter()
        .map(|(name, description, mutation)| {
            invalid_sig(name, description, mutation, INVALID)
            .refs(&[VERIFY])
            .flags(&["Malleability", "RangeCheck"])
            .notes("RFC 8032 §5.1.7 step 1: S is decoded \"in the range 0 <= s < L\"; a failed decoding makes the signature invalid")
        })
        .collect()
}

/// A key set holding only the Ed25519 key encoded as `x` (under `crv`, `Ed25519` usually).
fn set_of(crv: &str, x: &[u8]) -> Value {
    json!({"keys": [okp_jwk(crv, x)]})
}

/// The forgery R = identity, S = 0 under a small-order key `x`, on a payload for which the
/// cofactorless equation holds as a lenient decoder reads the key.
fn small_key_mutation(x: [u8; 32]) -> Mutation {
    let w = world();
    custom(move |d| {
        w.apply(d);
        d.jwks = set_of("Ed25519", &x);
        find_input(d, |input| {
            special::cofactorless_holds(&x, input, &special::SMALL_ORDER_FORGERY)
        });
        d.signer = Signer::Bytes(special::SMALL_ORDER_FORGERY.to_vec());
    })
}

/// Keys of small order, canonical (`profile`) or not (`must`), with R = identity, S = 0.
fn small_key_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for p in special::small_order_points() {
        rows.push(
            small_key_row("key-small-order", &p, "canonical", Profile, ORDER)
                .acceptable(&[any_reject(), accept()])
                .refs(&[VERIFY, COFACTOR])
                .flags(&["SmallOrderKey"])
                .rationale(SMALL_KEY_WHY),
        );
    }
    for p in special::non_canonical_small_order() {
        rows.push(non_canonical_key_row(&p));
    }
    rows
}

/// The key set of the small-order key `p` alone, the forgery R = identity, S = 0: the set is
/// refused at load.
fn small_key_row(
    prefix: &str,
    p: &SmallOrder,
    canonical: &str,
    severity: Severity,
    basis: &[&str],
) -> Row {
    Row::new(
        format!("{prefix}-{}", p.slug),
        format!(
            "public key {} ({canonical}), signature R = identity, S = 0",
            p.what
        ),
        small_key_mutation(p.bytes),
        Expect::Config(KeyNotOnCurve),
        severity,
        basis,
    )
}

fn non_canonical_key_row(p: &SmallOrder) -> Row {
    small_key_row("key-non-canonical", p, "not canonical", Must, INVALID)
        .rationale(
            "RFC 8032 §5.1.3 makes the decoding of a non-canonical point fail (y at or above p, or \
         x = 0 with its sign bit set) and §5.1.7 then makes every signature invalid; the \
         libraries that accept hand the bytes to an Ed25519 implementation that does not check \
         the encoding, and on these small-order points R = identity, S = 0 verifies any payload.",
        )
        .acceptable(&[any_reject()])
        .refs(&[DECODE, VERIFY])
        .flags(&["SmallOrderKey", "InvalidEncoding"])
        .notes(
            "RFC 8032 §5.1.3 fails to decode the key (y >= p, or x = 0 with the sign bit set), and \
         §5.1.7 step 1 makes the signature invalid when the key does not decode; a lenient \
         decoder reads a point of small order, for which R = identity, S = 0 verifies",
        )
}

/// A signature by the primary key's owner with R = `r` (a point of small order), S = k·a.
fn owner_with_r(r: [u8; 32]) -> Mutation {
    signed_by(
        |_| {},
        move |input| special::sign_with_identity_r(&ed25519_key("primary"), r, input).to_vec(),
    )
}

/// Signatures by the key's owner around a chosen R.
fn r_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for p in special::non_canonical_small_order() {
        let bytes = p.bytes;
        rows.push(
            invalid_sig(
                format!("r-non-canonical-{}", p.slug),
                format!(
                    "signature by the key's owner whose R is {} (not canonical), S = k·a",
                    p.what
                ),
                owner_with_r(bytes),
                INVALID,
            )
            .refs(&[DECODE, VERIFY])
            .flags(&["InvalidEncoding", "Malleability"])
            .notes(
                "R does not decode (RFC 8032 §5.1.3), so the signature is invalid (§5.1.7 step \
                 1); a lenient decoder reads a point of small order, and the cofactored \
                 equation, or for the identity both, then holds",
            ),
        );
    }
    for p in special::small_order_points() {
        // R = the identity (S = k·a) satisfies both equations, so RFC 8032 makes the signature
        // valid: the reference refuses every small-order R (`docs/reasons.md`), a policy.
        let (holds, why) = if p.order == 1 {
            ("both equations hold", IDENTITY_R_WHY)
        } else {
            ("only the cofactored equation holds", ORDER_WHY)
        };
        let bytes = p.bytes;
        rows.push(
            Row::new(
                format!("r-small-order-{}", p.slug),
                format!(
                    "signature by the key's owner whose R is {} (canonical), S = k·a: {holds}",
                    p.what
                ),
                owner_with_r(bytes),
                rej(SignatureInvalid),
                Profile,
                ORDER,
            )
            .acceptable(&[accept()])
            .refs(&[VERIFY, COFACTOR])
            .flags(&["SmallOrderR"])
            .rationale(why),
        );
    }
    rows.push(
        Row::new(
            "r-mixed-order",
            "signature by the key's owner whose R = [r]B + T (T of order 8), S = r + k·a: only \
             the cofactored equation holds",
            signed_by(
                |_| {},
                |input| special::sign_with_mixed_r(&ed25519_key("primary"), input).to_vec(),
            ),
            rej(SignatureInvalid),
            Profile,
            ORDER,
        )
        .acceptable(&[accept()])
        .refs(&[VERIFY, COFACTOR])
        .rationale(ORDER_WHY),
    );
    rows
}

/// A key of mixed order (A + T): the owner of A can sign for it.
fn mixed_key_rows() -> Vec<Row> {
    let key = ed25519_key("primary");
    let mixed = special::mixed_key(&key);
    let mutation = move |cofactorless: bool| {
        let w = world();
        custom(move |d| {
            w.apply(d);
            d.jwks = set_of("Ed25519", &mixed);
            let k = ed25519_key("primary");
            find_input(d, |input| {
                let sig = special::sign_for_mixed_key(&k, input);
                special::cofactorless_holds(&mixed, input, &sig) == cofactorless
            });
            let input = d.signing_input();
            d.signer = Signer::Bytes(special::sign_for_mixed_key(&k, input.as_bytes()).to_vec());
        })
    };
    vec![
        Row::new(
            "accept-key-mixed-order-both-equations",
            "public key A + T (T of order 8, not a small-order key), signed by the owner of A \
             on a payload where both equations hold",
            mutation(true),
            Expect::Accept,
            Profile,
            ORDER,
        )
        .acceptable(&[any_reject(), any_config_error()])
        .refs(&[VERIFY, COFACTOR])
        .rationale(
            "Both RFC 8032 §5.1.7 equations hold, so the signature is valid; a verifier that \
             also refuses keys outside the prime-order subgroup breaks no MUST.",
        ),
        Row::new(
            "key-mixed-order-cofactored-only",
            "public key A + T (T of order 8), signed by the owner of A on a payload where only \
             the cofactored equation holds",
            mutation(false),
            rej(SignatureInvalid),
            Profile,
            ORDER,
        )
        .acceptable(&[accept(), any_config_error()])
        .refs(&[VERIFY, COFACTOR])
        .rationale(ORDER_WHY),
    ]
}

/// Other key subtypes and `crv` values for the Ed25519 key's bytes.
fn subtype_rows() -> Vec<Row> {
    let x = ed25519_key("primary").verifying_key().to_bytes();
    let montgomery = ed25519_key("primary")
        .verifying_key()
        .to_montgomery()
        .to_bytes();
    let ed448_x: Vec<u8> = forge::secret("ed448-x", 57);
    let no_crv = {
        let mut jwk = okp_jwk("Ed25519", &x);
        if let Some(map) = jwk.as_object_mut() {
            map.remove("crv");
        }
        json!({ "keys": [jwk] })
    };
    let not_for_signing = "RFC 8037 §3.2: X25519 keys \"MUST NOT be used for signing\"";
    // (name, description, key set, config code, severity, basis, reference, notes)
    [
        (
            "key-crv-ed448-ed25519-bytes",
            "the Ed25519 key's 32 octets labelled crv Ed448, genuine Ed25519 signature",
            set_of("Ed448", &x),
            KeyWrongCrv,
            Must,
            VARIANT,
            VERIFY,
            Some(
                "RFC 8037 §3.1: the EdDSA variant is determined by the key's subtype, so the \
                 token is checked with Ed448, which no 32-octet key and 64-octet signature pass",
            ),
        ),
        (
            "key-crv-ed448-57-octets",
            "an Ed448-sized key (57 octets) as the only key, genuine Ed25519 signature by another key",
            set_of("Ed448", &ed448_x),
            KeyWrongCrv,
            Profile,
            VARIANT,
            VERIFY,
            Some("the strict profile verifies Ed25519 only (RFC 8037 makes Ed448 optional)"),
        ),
        (
            "key-crv-x25519-ed25519-bytes",
            "the Ed25519 key's 32 octets labelled crv X25519, genuine Ed25519 signature",
            set_of("X25519", &x),
            KeyWrongCrv,
            Must,
            X25519,
            VERIFY,
            Some(not_for_signing),
        ),
        (
            "key-crv-x25519-montgomery",
            "the Ed25519 key converted to its X25519 (Montgomery) form, crv X25519",
            set_of("X25519", &montgomery),
            KeyWrongCrv,
            Must,
            X25519,
            VERIFY,
            Some(not_for_signing),
        ),
        (
            "key-crv-missing",
            "the Ed25519 key without crv",
            no_crv,
            KeyWrongCrv,
            Profile,
            CRV,
            VERIFY,
            Some("RFC 8037 §2: crv \"MUST be present\" (a requirement on the key's issuer)"),
        ),
        (
            "key-crv-lowercase",
            "the Ed25519 key with crv \"ed25519\"",
            set_of("ed25519", &x),
            KeyWrongCrv,
            Profile,
            CRV,
            VERIFY,
            None,
        ),
        (
            "key-x-31-octets",
            "the Ed25519 key's x without its last octet",
            set_of("Ed25519", &x[..31]),
            verifier::ConfigCode::KeyBadCoordinate,
            Must,
            INVALID,
            DECODE,
            Some("a 31-octet string is no Ed25519 point encoding (RFC 8032 §5.1.3 takes 32 octets)"),
        ),
    ]
    .into_iter()
    .map(
        |(name, description, jwks, code, severity, basis, reference, notes)| {
            let w = world();
            let row = Row::new(
                name,
                description,
                custom(move |d| {
                    w.apply(d);
                    d.jwks = jwks.clone();
                }),
                Expect::Config(code),
                severity,
                basis,
            )
            .acceptable(&[any_reject()])
            .refs(&[reference]);
            match notes {
                Some(notes) => row.notes(notes),
                None => row,
            }
        },
    )
    .collect()
}

/// `alg` values other than `EdDSA` over a genuine Ed25519 signature.
fn alg_rows() -> Vec<Row> {
    let named = |alg: &'static str, keys: Option<Value>| {
        let w = world();
        custom(move |d| {
            w.apply(d);
            if let Some(jwks) = &keys {
                d.jwks = jwks.clone();
            }
            d.header["alg"] = json!(alg);
            // Sign after renaming: the signature covers the header that names `alg`.
            let input = d.signing_input();
            d.signer = Signer::Bytes(forge::alg::sign(
                Alg::EdDSA,
                &ed("primary"),
                input.as_bytes(),
            ));
        })
    };
    let x = ed25519_key("primary").verifying_key().to_bytes();
    let mut bare_jwk = okp_jwk("Ed25519", &x);
    if let Some(map) = bare_jwk.as_object_mut() {
        map.remove("alg");
    }
    let mut ed_alg_jwk = okp_jwk("Ed25519", &x);
    ed_alg_jwk["alg"] = json!("Ed25519");
    vec![
        Row::new(
            "alg-ed25519-fully-specified",
            "alg \"Ed25519\" (RFC 9864's fully-specified name), genuine signature, profile lists EdDSA only",
            named("Ed25519", None),
            rej(AlgNotAllowed),
            Must,
            NOT_LISTED,
        )
        .refs(&["RFC 9864"])
        .notes("the profile lists the algorithms it allows; EdDSA and Ed25519 are two names"),
        Row::new(
            "alg-ed25519-key-without-alg",
            "alg \"Ed25519\", genuine signature, the key without an alg member, profile lists EdDSA only",
            named("Ed25519", Some(json!({ "keys": [bare_jwk] }))),
            rej(AlgNotAllowed),
            Must,
            NOT_LISTED,
        )
        .refs(&["RFC 9864"]),
        Row::new(
            "alg-ed25519-key-alg-ed25519",
            "alg \"Ed25519\" and a key whose alg member is \"Ed25519\", profile lists EdDSA only",
            named("Ed25519", Some(json!({ "keys": [ed_alg_jwk] }))),
            Expect::Config(KeyWrongAlg),
            Profile,
            NOT_LISTED,
        )
        .acceptable(&[reject_for(AlgNotAllowed), reject_for(KeyAlgMismatch)])
        .refs(&["RFC 9864"])
        .notes("a key bound to an algorithm the profile does not allow cannot be used"),
        Row::new(
            "alg-ed448-over-ed25519",
            "alg \"Ed448\" (RFC 9864) over a genuine Ed25519 signature, profile lists EdDSA only",
            named("Ed448", None),
            rej(AlgNotAllowed),
            Must,
            NOT_LISTED,
        )
        .refs(&["RFC 9864"]),
        Row::new(
            "alg-eddsa-uppercase",
            "alg \"EDDSA\", genuine signature",
            named("EDDSA", None),
            rej(AlgNotAllowed),
            Must,
            &["RFC8725-3.1-alg", "RFC7515-4.1.1-case", "M02"],
        ),
    ]
}

/// Signatures of the wrong length or of another key.
fn form_rows() -> Vec<Row> {
    let cases: Vec<(&str, &str, Mutation)> = vec![
        (
            "sig-63-octets",
            "the genuine signature without its last octet",
            genuine_then(|sig| sig[..63].to_vec()),
        ),
        (
            "sig-65-octets",
            "the genuine signature with a zero octet appended",
            genuine_then(|sig| [&sig[..], &[0u8][..]].concat()),
        ),
        (
            "sig-all-zero",
            "64 zero octets (R of order 4, S = 0)",
            genuine_then(|_| vec![0u8; 64]),
        ),
        (
            "sig-r-and-s-swapped",
            "the genuine signature with R and S swapped",
            genuine_then(|sig| [&sig[32..], &sig[..32]].concat()),
        ),
        (
            "sig-of-other-key",
            "a genuine Ed25519 signature by a key not in the set",
            signed_by(
                |_| {},
                |input| forge::alg::sign(Alg::EdDSA, &ed("other"), input),
            ),
        ),
    ];
    cases
        .into_iter()
        .map(|(name, description, mutation)| {
            invalid_sig(name, description, mutation, INVALID).refs(&[VERIFY])
        })
        .collect()
}

/// The family's vectors.
pub fn family() -> Family {
    let mut rows = accept_rows();
    rows.extend(s_rows());
    rows.extend(small_key_rows());
    rows.extend(r_rows());
    rows.extend(mixed_key_rows());
    rows.extend(subtype_rows());
    rows.extend(alg_rows());
    rows.extend(form_rows());
    Family::table("eddsa", rows)
}
