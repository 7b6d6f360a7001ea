//! `across`: the defects that are not about one algorithm, under every algorithm.
//!
//! A library's RSA, EdDSA or HMAC path may parse and check differently from its ES256 path, so
//! the same defects are rendered under each of the 13 JWS algorithms, each in the world of
//! `algorithms` (`World::single`: the profile lists the one algorithm, the set holds its key).
//!
//! - The core table (ids `across/<alg>-<row>`): accept controls (own key, a JWK without `alg`,
//!   the key among unrelated keys) and the usual defects (wrong key, altered or truncated
//!   signatures, `none`, case-changed and sibling algorithms, `kid`, time, `aud`, `iss`, `typ`,
//!   edits after signing, padding, segments). Each row keeps the verdict, severity and basis of
//!   the ES256 row of the same defect in its own family (`signature`, `alg`, `kid`, `claims`,
//!   `aud`, `iss`, `typ`, `base64`, `form`); the signature rows cite RFC 7518 §3.4 only under
//!   ES256, where that clause applies.
//! - Rows of `form`, `base64`, `json`, `header`, `kid` and `jwks` re-rendered under RS256 and
//!   EdDSA (ids `across/<alg>-<family>-<row>`), each with its own verdict. Vector ids have one
//!   slash (the schema's `<category>/<name>`), so the algorithm is the name's first word.

use corpus::vector::Severity::{self, Must, Profile};
use corpus::vector::{Acceptable, Feature, TokenSpec};
use forge::alg::{Alg, AnyKey, RsaId};
use serde_json::json;
use verifier::Reason::{
    self, AlgEcdsaRejected, AlgHmacRejected, AlgNone, AlgNotAllowed, AlgRsaRejected, AudMismatch,
    ExpMissing, Expired, HeaderUnparseable, IssMismatch, JwePayload, KidUnknown, LaxBase64,
    NotJwsCompact, SignatureInvalid, TypMismatch,
};

use super::algorithms::{VALID, World, entry};
use super::aud::AUD;
use super::{Draft, Expect, Family, rej};
use crate::generate::reject_for;
use crate::generate::{Mutation, Row, Signer, all_of, claim, custom, hdr, no_claim, no_hdr};

/// The signing key among others, found by `kid` (`accept/five-key-set`).
const AMONG: &[&str] = &["RFC9068-4-signature", "RFC7515-4.1.4-kid", "M12"];
/// A JWK without `alg` (`accept/jwk-without-use-alg`).
const NO_JWK_ALG: &[&str] = &["RFC7517-4.4-alg", "PROFILE-KEYSET"];
/// `kid` missing or not in the set (`kid/missing`, `kid/unknown`).
const KID: &[&str] = &["M12", "RFC7515-4.1.4-kid"];
const NONE: &[&str] = &[
    "RFC9068-4-signature",
    "RFC7518-3.6-none",
    "ADV-2015-JWT-LIBS",
    "M01",
];
const CASE: &[&str] = &[
    "RFC8725-3.1-alg",
    "RFC7515-4.1.1-alg",
    "RFC7515-4.1.1-case",
    "M02",
];
const ALG_MISSING: &[&str] = &[
    "RFC7515-4.1.1-alg",
    "RFC7515-5.2-signature",
    "RFC8725-3.1-alg",
    "M01",
];
const EXPIRED: &[&str] = &["RFC7519-4.1.4-exp", "RFC9068-4-exp", "M18"];
const EXP_MISSING: &[&str] = &["RFC9068-4-exp", "RFC9068-2.2-claims", "M17"];
const ISS_PARTIAL: &[&str] = &["RFC9068-4-iss", "RFC8725-3.8-iss", "CVE-2024-53861", "M23"];
const TYP: &[&str] = &[
    "RFC9068-4-typ",
    "RFC7515-4.1.9-typ",
    "RFC7519-5.1-typ",
    "M13",
];
const PADDED: &[&str] = &["M33", "RFC7515-2-base64url"];
const SEGMENTS: &[&str] = &["RFC7515-5.2-signature", "RFC7515-3-compact", "PROFILE-FORM"];
const JWE_SEGMENTS: &[&str] = &[
    "RFC7515-5.2-signature",
    "RFC7515-3-compact",
    "PROFILE-FORM",
    "M15",
];

/// The forge key `alg` signs with.
fn own(alg: Alg) -> AnyKey {
    AnyKey::for_alg(alg, "primary")
}

/// The algorithm's world: its key alone, the profile listing it alone.
fn world(alg: Alg) -> World {
    World::single(alg, own(alg))
}

/// Another key of the same family: the other stored 2048-bit RSA key, or another named key.
fn same_family(alg: Alg) -> AnyKey {
    match own(alg) {
        AnyKey::Rsa(_) => AnyKey::Rsa(RsaId::E3.key()),
        _ => AnyKey::for_alg(alg, "attacker"),
    }
}

/// A key of another family and its algorithm.
fn unrelated(alg: Alg) -> (AnyKey, Alg) {
    let other = match alg {
        Alg::ES256 | Alg::ES384 | Alg::ES512 => Alg::EdDSA,
        _ => Alg::ES256,
    };
    (own(other), other)
}

/// The basis of a signature that does not verify under `alg`'s key.
fn wrong(alg: Alg) -> Vec<&'static str> {
    let mut basis = vec!["RFC7515-5.2-signature", "RFC9068-4-signature"];
    if alg == Alg::ES256 {
        basis.push("RFC7518-3.4-es256");
    }
    basis
}

/// The signature the draft would carry, transformed, as its fixed signature bytes.
fn resign(f: fn(Vec<u8>) -> Vec<u8>) -> Mutation {
    custom(move |d| {
        let sig = d.signature(&d.signing_input());
        d.signer = Signer::Bytes(f(sig));
    })
}

/// The finished compact token, rewritten.
fn retoken(f: fn(&str) -> String) -> Mutation {
    custom(move |d| d.token = Some(TokenSpec::Text(f(&d.compact()))))
}

/// The algorithm of the same family the profile does not list, what the catalogue calls its
/// refusal, and the basis of that refusal (`alg/rs384`, `alg/es384`, `alg/hs384`,
/// `alg/ed25519`).
fn sibling(alg: Alg) -> (&'static str, Option<Alg>, Reason, &'static [&'static str]) {
    const RSA: &[&str] = &["RFC8725-3.1-alg", "RFC7515-4.1.1-alg", "M04"];
    const EC: &[&str] = &["RFC8725-3.1-alg", "RFC7515-4.1.1-alg", "M05"];
    const HMAC: &[&str] = &["RFC8725-3.1-alg", "RFC7515-4.1.1-alg", "M03"];
    match alg {
        Alg::RS256 => ("RS384", Some(Alg::RS384), AlgRsaRejected, RSA),
        Alg::RS384 => ("RS512", Some(Alg::RS512), AlgRsaRejected, RSA),
        Alg::RS512 => ("RS256", Some(Alg::RS256), AlgRsaRejected, RSA),
        Alg::PS256 => ("PS384", Some(Alg::PS384), AlgRsaRejected, RSA),
        Alg::PS384 => ("PS512", Some(Alg::PS512), AlgRsaRejected, RSA),
        Alg::PS512 => ("PS256", Some(Alg::PS256), AlgRsaRejected, RSA),
        Alg::ES256 => ("ES384", Some(Alg::ES384), AlgEcdsaRejected, EC),
        Alg::ES384 => ("ES512", Some(Alg::ES512), AlgEcdsaRejected, EC),
        Alg::ES512 => ("ES256", Some(Alg::ES256), AlgEcdsaRejected, EC),
        Alg::HS256 => ("HS384", Some(Alg::HS384), AlgHmacRejected, HMAC),
        Alg::HS384 => ("HS512", Some(Alg::HS512), AlgHmacRejected, HMAC),
        Alg::HS512 => ("HS256", Some(Alg::HS256), AlgHmacRejected, HMAC),
        // No other JWS algorithm of the family: the fully specified name of the same one.
        Alg::EdDSA => ("Ed25519", None, AlgNotAllowed, CASE),
    }
}

/// An algorithm of another family the profile does not list, its signer and its refusal.
fn other_family(alg: Alg) -> (Alg, Reason, &'static [&'static str]) {
    match alg {
        Alg::HS256 | Alg::HS384 | Alg::HS512 => (
            Alg::RS256,
            AlgRsaRejected,
            &["RFC8725-3.1-alg", "RFC7515-4.1.1-alg", "M04"],
        ),
        _ => (
            Alg::HS256,
            AlgHmacRejected,
            &["RFC8725-3.1-alg", "RFC7515-4.1.1-alg", "M03"],
        ),
    }
}

/// One core row before its algorithm's world is put under it.
struct Core {
    name: &'static str,
    description: String,
    edit: Mutation,
    expect: Expect,
    severity: Severity,
    basis: Vec<&'static str>,
    acceptable: Vec<Acceptable>,
    /// A `typ` rejection: runs only where `typ` can be required, with the typ family's rationale.
    typ: bool,
}

fn core(
    name: &'static str,
    description: impl Into<String>,
    edit: Mutation,
    expect: Expect,
    severity: Severity,
    basis: &[&'static str],
) -> Core {
    Core {
        name,
        description: description.into(),
        edit,
        expect,
        severity,
        basis: basis.to_vec(),
        acceptable: Vec::new(),
        typ: false,
    }
}

impl Core {
    fn or(mut self, outcomes: &[Acceptable]) -> Core {
        self.acceptable.extend_from_slice(outcomes);
        self
    }

    fn typ(mut self) -> Core {
        self.typ = true;
        self
    }
}

/// The core table under `alg`.
fn core_rows(alg: Alg) -> Vec<Core> {
    let key = own(alg);
    let sig = wrong(alg);
    let (unrelated_key, unrelated_alg) = unrelated(alg);
    let (sib_name, sib_alg, sib_reason, sib_basis) = sibling(alg);
    let (other_alg, other_reason, other_basis) = other_family(alg);
    let sig_len = forge::alg::sign(alg, &key, b"length").len();
    let lower = alg.name().to_lowercase();

    let with_keys = |keys: Vec<super::algorithms::Entry>| {
        custom(move |d: &mut Draft| d.jwks = super::algorithms::key_set(&keys))
    };
    // A set holding a key no listed algorithm can use is refused whole (`key_wrong_kty`), so
    // the unrelated key's algorithm is listed too.
    let with_unrelated = |keys: Vec<super::algorithms::Entry>| {
        all_of([
            with_keys(keys),
            custom(move |d: &mut Draft| {
                d.profile
                    .algorithms
                    .push(super::algorithms::algorithm(unrelated_alg));
            }),
        ])
    };
    let mut rows = vec![
        core(
            "accept",
            format!("{alg} access token signed with its {} key", key.kind()),
            Mutation::Baseline,
            Expect::Accept,
            Must,
            VALID,
        ),
        core(
            "accept-jwk-without-alg",
            format!("{alg} token; the key's JWK has no alg member"),
            with_keys(vec![super::algorithms::bare(key.clone())]),
            Expect::Accept,
            Profile,
            NO_JWK_ALG,
        ),
        core(
            "accept-unrelated-key-after",
            format!(
                "{alg} token; the set also holds a {} key, {unrelated_alg} allowed too",
                unrelated_key.kind()
            ),
            with_unrelated(vec![
                entry(key.clone(), alg),
                entry(unrelated_key.clone(), unrelated_alg),
            ]),
            Expect::Accept,
            Must,
            AMONG,
        ),
        core(
            "accept-unrelated-key-first",
            format!(
                "{alg} token; a {} key comes first in the set, {unrelated_alg} allowed too",
                unrelated_key.kind()
            ),
            with_unrelated(vec![
                entry(unrelated_key, unrelated_alg),
                entry(key.clone(), alg),
            ]),
            Expect::Accept,
            Must,
            AMONG,
        ),
        core(
            "accept-same-family-key-in-set",
            format!(
                "{alg} token; the set also holds another {} key under kid secondary",
                key.kind()
            ),
            with_keys(vec![
                entry(same_family(alg), alg).named("secondary"),
                entry(key.clone(), alg),
            ]),
            Expect::Accept,
            Must,
            AMONG,
        ),
        core(
            "no-kid-single-key",
            format!("{alg} token without kid, the set holding its key alone"),
            no_hdr("kid"),
            rej(KidUnknown),
            Profile,
            KID,
        ),
        core(
            "kid-not-in-set",
            format!("{alg} token whose kid is not in the set"),
            hdr("kid", json!("no-such-key")),
            rej(KidUnknown),
            Profile,
            KID,
        ),
        core(
            "wrong-key-same-family",
            format!(
                "{alg} token signed by another {} key; kid names the set's key",
                key.kind()
            ),
            Mutation::Sign(Signer::Key(alg, Box::new(same_family(alg)))),
            rej(SignatureInvalid),
            Must,
            &sig,
        ),
        core(
            "sig-bit-flip-first-byte",
            format!("{alg} signature with the low bit of its first byte flipped"),
            resign(|mut s| {
                s[0] ^= 1;
                s
            }),
            rej(SignatureInvalid),
            Must,
            &sig,
        ),
        core(
            "sig-bit-flip-last-byte",
            format!("{alg} signature with the low bit of its last byte flipped"),
            resign(|mut s| {
                if let Some(b) = s.last_mut() {
                    *b ^= 1;
                }
                s
            }),
            rej(SignatureInvalid),
            Must,
            &sig,
        ),
        core(
            "sig-truncated",
            format!(
                "{alg} signature without its last byte ({} bytes)",
                sig_len - 1
            ),
            resign(|mut s| {
                s.pop();
                s
            }),
            rej(SignatureInvalid),
            Must,
            &sig,
        ),
        core(
            "sig-extra-byte",
            format!(
                "{alg} signature followed by its first byte ({} bytes)",
                sig_len + 1
            ),
            resign(|mut s| {
                s.push(s[0]);
                s
            }),
            rej(SignatureInvalid),
            Must,
            &sig,
        ),
        core(
            "sig-empty",
            format!("{alg} token with an empty signature segment"),
            Mutation::Sign(Signer::Bytes(Vec::new())),
            rej(SignatureInvalid),
            Must,
            &sig,
        ),
        core(
            "sig-all-zero",
            format!("{alg} signature of {sig_len} zero bytes"),
            Mutation::Sign(Signer::Bytes(vec![0; sig_len])),
            rej(SignatureInvalid),
            Must,
            &sig,
        ),
        core(
            "sig-of-other-payload",
            format!("{alg}: a genuine signature of another payload (sub someone-else)"),
            custom(|d| {
                let mut other = d.clone();
                other.claims["sub"] = json!("someone-else");
                let sig = other.signature(&other.signing_input());
                d.signer = Signer::Bytes(sig);
            }),
            rej(SignatureInvalid),
            Must,
            &sig,
        ),
        core(
            "payload-edited-after-signing",
            format!("{alg}: scope admin added to the claims after signing"),
            custom(|d| {
                let sig = d.signature(&d.signing_input());
                d.claims["scope"] = json!("admin");
                d.signer = Signer::Bytes(sig);
            }),
            rej(SignatureInvalid),
            Must,
            &sig,
        ),
        core(
            "header-edited-after-signing",
            format!("{alg}: a space appended to the header JSON after signing"),
            custom(|d| {
                let sig = d.signature(&d.signing_input());
                let mut header = d.header_bytes();
                header.push(b' ');
                d.header_raw = Some(header);
                d.signer = Signer::Bytes(sig);
            }),
            rej(SignatureInvalid),
            Must,
            &sig,
        ),
        core(
            "alg-none-empty-signature",
            format!("alg \"none\" with an empty signature, {alg} allowed"),
            all_of([
                hdr("alg", json!("none")),
                Mutation::Sign(Signer::Bytes(Vec::new())),
            ]),
            rej(AlgNone),
            Must,
            NONE,
        )
        .or(&[reject_for(AlgNotAllowed)]),
        core(
            "alg-none-with-signature",
            format!("alg \"none\" with a {alg} signature by the set's key"),
            hdr("alg", json!("none")),
            rej(AlgNone),
            Must,
            NONE,
        )
        .or(&[reject_for(AlgNotAllowed)]),
        core(
            "alg-lowercase",
            format!("alg \"{lower}\", signed with {alg}"),
            hdr("alg", json!(lower)),
            rej(AlgNotAllowed),
            Must,
            CASE,
        ),
        core(
            "alg-missing",
            format!("no alg member, signed with {alg}"),
            no_hdr("alg"),
            rej(AlgNone),
            Must,
            ALG_MISSING,
        )
        .or(&[reject_for(AlgNotAllowed), reject_for(HeaderUnparseable)]),
        {
            let signer = match sib_alg {
                Some(s) if matches!(key, AnyKey::Rsa(_)) => {
                    Mutation::Sign(Signer::Key(s, Box::new(key.clone())))
                }
                Some(s) => Mutation::Sign(Signer::Key(s, Box::new(own(s)))),
                None => Mutation::Baseline,
            };
            let c = core(
                "alg-sibling-not-allowed",
                format!(
                    "alg \"{sib_name}\" with a signature of that algorithm; the profile lists \
                     {alg} only"
                ),
                all_of([hdr("alg", json!(sib_name)), signer]),
                rej(sib_reason),
                Must,
                sib_basis,
            );
            if sib_reason == AlgNotAllowed {
                c
            } else {
                c.or(&[reject_for(AlgNotAllowed)])
            }
        },
        core(
            "alg-other-family-not-allowed",
            format!(
                "alg \"{other_alg}\" with a genuine {other_alg} signature by a {} key; the \
                 profile lists {alg} only",
                own(other_alg).kind()
            ),
            all_of([
                hdr("alg", json!(other_alg.name())),
                Mutation::Sign(Signer::Key(other_alg, Box::new(own(other_alg)))),
            ]),
            rej(other_reason),
            Must,
            other_basis,
        )
        .or(&[reject_for(AlgNotAllowed)]),
        core(
            "expired",
            format!("{alg} token whose exp is long past (2001)"),
            claim("exp", json!(978_307_200)),
            rej(Expired),
            Must,
            EXPIRED,
        ),
        core(
            "exp-missing",
            format!("{alg} token without exp"),
            no_claim("exp"),
            rej(ExpMissing),
            Must,
            EXP_MISSING,
        ),
        core(
            "aud-mismatch",
            format!("{alg} token for another service's audience"),
            claim("aud", json!("https://other.example")),
            rej(AudMismatch),
            Must,
            AUD,
        ),
        core(
            "iss-prefix",
            format!("{alg} token whose iss is a prefix of the issuer"),
            claim("iss", json!("https://issuer.exam")),
            rej(IssMismatch),
            Must,
            ISS_PARTIAL,
        ),
        core(
            "typ-jwt",
            format!("{alg} token with typ \"JWT\""),
            hdr("typ", json!("JWT")),
            rej(TypMismatch),
            Must,
            TYP,
        )
        .typ(),
        core(
            "typ-missing",
            format!("{alg} token without typ"),
            no_hdr("typ"),
            rej(TypMismatch),
            Must,
            TYP,
        )
        .typ(),
        core(
            "segments-2",
            format!("{alg} token without its signature segment (2 segments)"),
            retoken(|t| t.rsplit_once('.').map_or(t, |(input, _)| input).to_owned()),
            rej(NotJwsCompact),
            Must,
            SEGMENTS,
        )
        .or(&[reject_for(SignatureInvalid)]),
        core(
            "segments-4",
            format!("{alg} token with its signature segment twice (4 segments)"),
            retoken(|t| {
                let sig = t.rsplit_once('.').map_or("", |(_, s)| s);
                format!("{t}.{sig}")
            }),
            rej(NotJwsCompact),
            Must,
            SEGMENTS,
        )
        .or(&[reject_for(SignatureInvalid)]),
        core(
            "segments-5",
            format!("{alg} token with two more segments (read as JWE)"),
            retoken(|t| {
                let sig = t.rsplit_once('.').map_or("", |(_, s)| s);
                format!("{t}.{sig}.{sig}")
            }),
            rej(JwePayload),
            Must,
            JWE_SEGMENTS,
        )
        .or(&[reject_for(NotJwsCompact)]),
    ];
    // Padding only where the signature's length leaves some (not 48, 96, 132 or 384 bytes).
    if !sig_len.is_multiple_of(3) {
        rows.push(
            core(
                "sig-padded",
                format!("{alg} signature segment with its = padding"),
                retoken(|t| {
                    let pad = (4 - t.rsplit_once('.').map_or(0, |(_, s)| s.len()) % 4) % 4;
                    format!("{t}{}", "=".repeat(pad))
                }),
                rej(LaxBase64),
                Profile,
                PADDED,
            )
            .or(&[reject_for(NotJwsCompact), reject_for(SignatureInvalid)]),
        );
    }
    rows
}

/// The core rows under every algorithm.
fn core_table() -> Vec<Row> {
    let mut rows = Vec::new();
    for alg in Alg::ALL {
        let prefix = alg.name().to_lowercase();
        for c in core_rows(alg) {
            let mut row = Row::new(
                format!("{prefix}-{}", c.name),
                c.description,
                all_of([world(alg).mutation(), c.edit]),
                c.expect,
                c.severity,
                &c.basis,
            );
            if !c.acceptable.is_empty() {
                row = row.acceptable(&c.acceptable);
            }
            if c.typ {
                row = row.features(&[Feature::Typ]).rationale(super::typ::TYP_WHY);
            }
            rows.push(row);
        }
    }
    rows
}

/// The family's vectors.
pub fn family() -> Family {
    let mut rows = core_table();
    rows.extend(rerendered());
    Family::table("across", rows)
}

/// The world of a re-rendered row: `alg` with its own key under the baseline's `kid`, so that
/// rows naming `primary` in exact header bytes still find the key.
fn named_world(alg: Alg) -> World {
    World {
        allowed: vec![alg],
        keys: vec![entry(own(alg), alg).named(forge::KID)],
        alg,
        signer: own(alg),
        kid: Some(forge::KID),
    }
}

/// After a row's own mutation: the `alg` it left at ES256 (in the header or its exact bytes)
/// names `alg`, so that the row's defect is the only one.
fn realg(alg: Alg) -> Mutation {
    custom(move |d| {
        if d.header.get("alg") == Some(&json!("ES256")) {
            d.header["alg"] = json!(alg.name());
        }
        if let Some(raw) = &mut d.header_raw {
            *raw = replace_bytes(raw, b"ES256", alg.name().as_bytes());
        }
    })
}

fn replace_bytes(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}

/// The (ES256, `alg`) pairs of header and signature segments a fixed token may be cut from:
/// the baseline token's, and the token of the draft as the row left it (signed with ES256 by
/// the baseline key, as `sign_segments` does).
fn segment_pairs(d: &Draft, alg: Alg) -> Vec<(String, String)> {
    let input = d.signing_input();
    let es256 = forge::b64(forge::es256(&forge::key(forge::KID), input.as_bytes()));
    let own_sig = forge::b64(forge::alg::sign(alg, &own(alg), input.as_bytes()));
    let mut pairs = baseline_pairs(alg);
    pairs.push((es256, own_sig));
    pairs
}

thread_local! {
    /// [`baseline_pairs`] per algorithm name (RSA signing is slow; the pairs never change).
    static BASELINE_PAIRS: std::cell::RefCell<std::collections::BTreeMap<&'static str, Vec<(String, String)>>> =
        std::cell::RefCell::default();
}

/// The baseline token's header and signature segments, each with `alg`'s world's.
fn baseline_pairs(alg: Alg) -> Vec<(String, String)> {
    BASELINE_PAIRS.with(|cache| {
        cache
            .borrow_mut()
            .entry(alg.name())
            .or_insert_with(|| {
                let mut world = Draft::default();
                named_world(alg).apply(&mut world);
                let baseline = Draft::default().compact();
                let ours = world.compact();
                let seg = |t: &str, i: usize| t.split('.').nth(i).unwrap_or_default().to_owned();
                vec![
                    (seg(&baseline, 0), seg(&ours, 0)),
                    (seg(&baseline, 2), seg(&ours, 2)),
                ]
            })
            .clone()
    })
}

/// A fixed token cut from ES256 segments, with `alg`'s header and signature segments in their
/// place. `None`: the token carries no ES256 signature of those (a signature of its own, a
/// recipe or a live mint).
fn resegmented(token: &TokenSpec, d: &Draft, alg: Alg) -> Option<TokenSpec> {
    let mut bytes = match token {
        TokenSpec::Text(_) | TokenSpec::Base64(_) => corpus::load::token_bytes(token).ok()?,
        _ => return None,
    };
    let pairs = segment_pairs(d, alg);
    if !pairs[1..]
        .iter()
        .any(|(es, _)| contains(&bytes, es.as_bytes()))
    {
        return None;
    }
    for (from, to) in &pairs {
        bytes = replace_bytes(&bytes, from.as_bytes(), to.as_bytes());
    }
    Some(Draft::bytes_token(&bytes))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// After a row's own mutation, its fixed token (if any) made of `alg`'s segments.
fn retarget(alg: Alg) -> Mutation {
    custom(move |d| {
        if let Some(token) = d.token.take() {
            d.token = Some(resegmented(&token, d, alg).unwrap_or(token));
        }
    })
}

/// Whether a row of another family, put over `alg`'s world, stays a token of `alg` under
/// `alg`'s key set: it signs with no signer of its own (or fixes a token cut from the
/// baseline's segments), fixes no key-set bytes or live source, puts no EC key in the set,
/// and is one step.
fn portable(row: &Row, base: fn() -> Draft, alg: Alg) -> bool {
    if row.steps.is_some() {
        return false;
    }
    let mut d = base();
    named_world(alg).apply(&mut d);
    row.mutation.apply(&mut d);
    let ec_key = d.jwks["keys"]
        .as_array()
        .is_some_and(|keys| keys.iter().any(|k| k["kty"] == json!("EC")));
    let signed = match &d.token {
        None => matches!(&d.signer, Signer::Key(a, _) if *a == alg),
        Some(token) => resegmented(token, &d, alg).is_some(),
    };
    signed && d.key_source.is_none() && d.jwks_raw.is_none() && !ec_key
}

/// `form`: string surgery on a genuine token (all its portable rows but the rarest
/// variants).
const FORM: &[&str] = &[
    "segments-4",
    "segments-5-jws-extended",
    "trailing-dot",
    "leading-dot",
    "leading-space",
    "trailing-newline",
    "utf8-bom-prefix",
    "bearer-prefix",
    "inner-space",
    "line-folded",
    "nul-terminated",
    "non-ascii-utf8",
    "invalid-utf8-byte",
    "json-flattened",
    "json-general",
    "json-polyglot",
];
/// `base64`: the rows cut from a genuine signature (not `signature-87-chars`, whose verdict
/// counts ES256's 64 octets).
const BASE64: &[&str] = &[
    "signature-padded",
    "header-plain-json",
    "invalid-char-star-header",
    "invalid-char-bang-payload",
    "invalid-char-percent-payload",
    "invalid-char-backslash-header",
    "invalid-char-colon-payload",
    "invalid-char-bracket-payload",
    "invalid-char-backtick-header",
    "invalid-char-caret-payload",
];
const JSON: &[&str] = &[
    "header-dup-alg-same",
    "header-dup-alg-none-last",
    "header-dup-escaped-alg",
    "header-dup-kid",
    "header-dup-typ",
    "payload-dup-exp",
    "payload-dup-aud",
    "payload-dup-iss",
    "header-invalid-utf8",
    "header-trailing-garbage",
    "header-two-objects",
    "header-trailing-comma",
    "header-array",
    "header-bom",
    "header-nested-500",
    "header-empty-object",
    "header-case-variant-member",
    "payload-invalid-utf8",
    "payload-trailing-garbage",
    "payload-nan",
    "payload-array",
    "payload-nested-1000",
    "payload-nested-token",
    "payload-lone-high-surrogate",
    "header-raw-nul-truncates-to-kid",
    "payload-raw-nul-truncates-to-exp",
    "header-escaped-alg-nul-extra",
    "header-escaped-alg-nul-only",
    "payload-escaped-exp-nul-extra",
    "payload-escaped-iss-lf-extra",
    "payload-escaped-aud-tab-extra",
    "payload-escaped-sub-us-extra",
    "payload-escaped-exp-renamed",
    "payload-escaped-aud-renamed",
    "header-utf16le",
    "payload-utf16le-bom",
    "payload-cesu8-surrogate-pair",
    "exp-number-1e309",
    "exp-number-min-subnormal",
    "exp-number-negative-zero-float",
    "exp-number-2p53-plus-1",
    "exp-number-e0",
    "nbf-number-beyond-i64",
    "iat-number-below-i64",
    "other-claim-number-max-double",
    "other-claim-number-min-subnormal",
    "other-claim-number-negative-zero",
    "other-claim-number-2p53-plus-1",
    "other-claim-number-2p63",
    "other-claim-number-2p64",
    "other-claim-number-below-i64",
    "other-claim-number-underflow",
    "crit-string-extension",
    "crit-absent-extension",
    "crit-alg",
    "crit-null",
    "crit-b64-true",
    "b64-null",
    "payload-b64-claim",
    "payload-cty-claim",
    "payload-crit-claim",
];
/// `header`: not the rows embedding the pinned EC key (`jwk-our-key`, `jwk-pinned-key-*`,
/// `jwk-string`), an EC attacker key (`jwk-and-crit`) or an EC leaf (`x5c-base64url-leaf`).
const HEADER: &[&str] = &[
    "jku",
    "jku-null",
    "x5u",
    "x5u-internal-address",
    "jwk-empty-object",
    "jwk-null",
    "x5c-empty",
    "x5c-not-base64",
    "crit-exp",
    "crit-empty",
    "crit-unknown-extension",
    "crit-b64",
    "b64-false",
    "cty-jwt",
    "extra-and-typ-jwt",
    "extra-zip",
    "extra-x5t",
    "extra-iss",
    "extra-foo",
    "jwk-as-claim-accepted",
];
/// `kid`: not `long-at-size-limit-unknown`, whose length is fitted to the ES256 token's size.
const KID_ROWS: &[&str] = &[
    "missing",
    "zero-width-space",
    "empty",
    "unknown",
    "case-different",
    "nul-suffix",
    "very-long",
    "path-traversal",
    "sql-injection",
    "null",
    "number",
    "array",
];
/// `jwks`: the set-shape rows that carry no EC key.
const JWKS: &[&str] = &["empty-keys", "no-keys-member", "key-is-string"];

/// The families whose rows are re-rendered, and the rows picked from each.
fn picks() -> Vec<(&'static str, Family, &'static [&'static str])> {
    vec![
        ("form", super::form::family(), FORM),
        ("base64", super::base64::family(), BASE64),
        ("json", super::json::family(), JSON),
        ("header", super::header::family(), HEADER),
        ("kid", super::kid::family(), KID_ROWS),
        ("jwks", super::jwks::family(), JWKS),
    ]
}

/// The picked rows of the other families under RS256 and EdDSA.
fn rerendered() -> Vec<Row> {
    let mut rows = Vec::new();
    for alg in [Alg::RS256, Alg::EdDSA] {
        let prefix = alg.name().to_lowercase();
        for (family, table, names) in picks() {
            let base = table.base;
            let mut found = 0;
            for row in table.rows {
                if !names.contains(&row.name.as_str()) {
                    continue;
                }
                found += 1;
                assert!(
                    portable(&row, base, alg),
                    "{family}/{} is not portable to {alg}",
                    row.name
                );
                let mutation = all_of([
                    custom(move |d| *d = base()),
                    named_world(alg).mutation(),
                    row.mutation,
                    realg(alg),
                    retarget(alg),
                ]);
                rows.push(Row {
                    name: format!("{prefix}-{family}-{}", row.name),
                    description: format!("{alg}: {}", row.description),
                    mutation,
                    ..row
                });
            }
            assert_eq!(found, names.len(), "a picked {family} row is gone");
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_algorithm_has_its_accept_controls() {
        for alg in Alg::ALL {
            let rows = core_rows(alg);
            let accepts = rows
                .iter()
                .filter(|c| matches!(c.expect, Expect::Accept))
                .count();
            assert!(accepts >= 4, "{alg}: {accepts} accept controls");
            assert!(
                accepts * 10 >= rows.len(),
                "{alg}: {accepts} of {}",
                rows.len()
            );
        }
    }

    #[test]
    fn a_row_with_a_signer_of_its_own_is_not_portable() {
        let own_signer = Row::new(
            "x",
            "signed by the attacker's ES256 key",
            Mutation::Sign(Signer::Es256("attacker")),
            Expect::Accept,
            Must,
            VALID,
        );
        assert!(!portable(&own_signer, Draft::default, Alg::RS256));
        let header = Row::new(
            "y",
            "typ JWT",
            hdr("typ", json!("JWT")),
            Expect::Accept,
            Must,
            VALID,
        );
        assert!(portable(&header, Draft::default, Alg::RS256));
    }

    #[test]
    fn a_token_cut_from_the_baseline_gets_the_algorithms_segments() {
        let baseline = Draft::default().compact();
        let token = TokenSpec::Text(format!(" {baseline}"));
        let Some(TokenSpec::Text(moved)) = resegmented(&token, &Draft::default(), Alg::EdDSA)
        else {
            panic!("the baseline's segments are found");
        };
        let mut d = Draft::default();
        named_world(Alg::EdDSA).apply(&mut d);
        assert_eq!(moved, format!(" {}", d.compact()));
    }
}
