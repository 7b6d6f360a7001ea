//! `confusion` (`rsa-*`): RS256 → HS256/384/512 algorithm confusion with the RSA public key in
//! every form an attacker may guess the verifier holds it in (`forge::keyforms`): SPKI and
//! PKCS#1 PEM, the SPKI PEM with its whitespace changed, SPKI and PKCS#1 DER, the public JWK's
//! JSON text, the raw modulus and the OpenSSH line. `confusion.rs` does the same for the ES256
//! key under the ES256-only baseline; `algorithms.rs` has one SPKI PEM and one DER row each.
//!
//! - Under a profile listing only RS256, an HMAC token is outside the allowlist
//!   (`alg_hmac_rejected`; `alg_not_allowed` names the same refusal).
//! - Under a profile listing RS256 and the token's HMAC algorithm, with a set holding only the
//!   RSA key, the `kid` selects the RSA key, which never serves HMAC (`key_alg_mismatch`; a
//!   library that checks the MAC under some other secret fails it: `signature_invalid`).
//! - Mixed sets (RSA + `oct`, both algorithms allowed): the `kid` names the key of the wrong kind
//!   (`key_alg_mismatch`), or the right kind but the wrong secret (`signature_invalid`).
//! - Under `oidc-id-token`, the SPKI PEM confusion of the OpenID Foundation's open request for
//!   an RP test (openid-certification/oidctest#139).
//!
//! Every rejection is `must`: accepting is the documented attack (CVE-2015-9235,
//! CVE-2016-10555, CVE-2022-29217; CVE-2017-11424 for PKCS#1 PEM, CVE-2023-48223 for PEM
//! whitespace, CVE-2024-33663 for the OpenSSH line), and RFC 8725 §3.1 binds each key
//! to one algorithm. Accept controls: the genuine RS* token under each profile and set, and a
//! genuine HMAC token under the mixed set's `oct` kid.

use corpus::vector::Severity::{Must, Profile};
use forge::alg::{Alg, AnyKey, RsaId, secret};
use forge::keyforms::RsaForm;
use serde_json::json;
use verifier::Reason::{
    AlgHmacRejected, AlgNotAllowed, KeyAlgMismatch, KidUnknown, SignatureInvalid,
};

use super::algorithms::{BINDING, CONFUSION, Entry, VALID, World, bare, entry};
use super::{Draft, Expect, Family, rej};
use crate::generate::{Mutation, Row, all_of, custom, reject_for};

/// The RSA key's `kid` in every set here (`algorithms::entry` names it so).
const RSA_KID: &str = "rsa-2048";
/// The `oct` key's `kid` in the mixed sets.
const OCT_KID: &str = "hmac";
/// The OpenID Foundation's open request for an RS256 → HS256 PEM confusion RP test.
const OIDCTEST_139: &str = "openid-certification/oidctest#139";

fn rsa_key() -> AnyKey {
    AnyKey::Rsa(RsaId::Rsa2048.key())
}

/// The mixed sets' HMAC secret: 64 bytes, strong enough for HS512.
fn oct_key() -> AnyKey {
    AnyKey::Oct(secret("rsa-confusion", 64))
}

fn rs(hmac: Alg) -> Alg {
    match hmac {
        Alg::HS384 => Alg::RS384,
        Alg::HS512 => Alg::RS512,
        _ => Alg::RS256,
    }
}

const HMACS: [Alg; 3] = [Alg::HS256, Alg::HS384, Alg::HS512];

/// The form's bytes as the HMAC secret; the JWK form is exactly the set's JWK (entry: RS256).
fn form_secret(form: RsaForm) -> AnyKey {
    AnyKey::Oct(form.bytes(RsaId::Rsa2048.key(), RSA_KID, Alg::RS256))
}

/// The basis of a confusion row with this form: the CVE of the form on top of the classic ones.
fn confusion_basis(form: RsaForm, allowlist: bool) -> Vec<&'static str> {
    let mut basis = CONFUSION.to_vec();
    match form {
        RsaForm::Pkcs1Pem => basis.push("CVE-2017-11424"),
        RsaForm::OpenSsh => basis.push("CVE-2024-33663"),
        RsaForm::SpkiPemCrlf
        | RsaForm::SpkiPemNoNewline
        | RsaForm::SpkiPem76
        | RsaForm::SpkiPemLeadingBlank
        | RsaForm::SpkiPemTrailingBlank => basis.push("CVE-2023-48223"),
        _ => {}
    }
    if allowlist {
        basis.push("M03");
    }
    basis
}

/// HMAC keyed with the RSA key's bytes in `form`, `kid` the RSA key, the set holding only the
/// RSA key: under `[RS256]` (`hmac_allowed` false) or `[RS256, hmac]`.
fn form_row(form: RsaForm, hmac: Alg, hmac_allowed: bool) -> Row {
    let allowed = if hmac_allowed {
        vec![Alg::RS256, hmac]
    } else {
        vec![Alg::RS256]
    };
    let world = World {
        allowed: allowed.clone(),
        keys: vec![entry(rsa_key(), Alg::RS256)],
        alg: hmac,
        signer: form_secret(form),
        kid: Some(RSA_KID),
    };
    let list: Vec<&str> = allowed.iter().map(|a| a.name()).collect();
    let (suffix, expect, other) = if hmac_allowed {
        (
            format!("{}-allowed", hmac.name().to_lowercase()),
            rej(KeyAlgMismatch),
            reject_for(SignatureInvalid),
        )
    } else {
        (
            "rs256-only".to_owned(),
            rej(AlgHmacRejected),
            reject_for(AlgNotAllowed),
        )
    };
    let basis = confusion_basis(form, !hmac_allowed);
    Row::new(
        format!(
            "rsa-{}-{}-{suffix}",
            hmac.name().to_lowercase(),
            form.name()
        ),
        format!(
            "{hmac} keyed with the RSA public key's {}, kid of the RSA key alone in the set; \
             algorithms {list:?}",
            form.describe()
        ),
        world.mutation(),
        expect,
        Must,
        &basis,
    )
    .acceptable(&[other])
    .flags(&["AlgConfusion"])
}

/// The genuine RS256 token under the same profile and set as the confusion rows.
fn genuine_row(hmac: Option<Alg>) -> Row {
    let mut allowed = vec![Alg::RS256];
    allowed.extend(hmac);
    let list: Vec<&str> = allowed.iter().map(|a| a.name()).collect();
    let name = match hmac {
        Some(h) => format!("rsa-accept-rs256-{}-allowed", h.name().to_lowercase()),
        None => "rsa-accept-rs256-only".to_owned(),
    };
    Row::new(
        name,
        format!("genuine RS256 token, the RSA key alone in the set; algorithms {list:?}"),
        World {
            allowed,
            keys: vec![entry(rsa_key(), Alg::RS256)],
            alg: Alg::RS256,
            signer: rsa_key(),
            kid: Some(RSA_KID),
        }
        .mutation(),
        Expect::Accept,
        Must,
        VALID,
    )
}

/// The mixed set: the RSA key and an `oct` secret, with (`alg_members`) or without their JWK
/// `alg` members.
fn mixed_keys(hmac: Alg, alg_members: bool) -> Vec<Entry> {
    if alg_members {
        vec![
            entry(rsa_key(), rs(hmac)),
            entry(oct_key(), hmac).named(OCT_KID),
        ]
    } else {
        vec![bare(rsa_key()), bare(oct_key()).named(OCT_KID)]
    }
}

fn mixed_rows(hmac: Alg, alg_members: bool) -> Vec<Row> {
    let rsa_alg = rs(hmac);
    let allowed = vec![rsa_alg, hmac];
    let world = |alg: Alg, signer: AnyKey, kid: &'static str| World {
        allowed: allowed.clone(),
        keys: mixed_keys(hmac, alg_members),
        alg,
        signer,
        kid: Some(kid),
    };
    let h = hmac.name().to_lowercase();
    let r = rsa_alg.name().to_lowercase();
    let tag = if alg_members { "-alg-members" } else { "" };
    let set = format!(
        "the set holds the RSA key and an oct secret{}; {rsa_alg} and {hmac} allowed",
        if alg_members {
            " with their alg members"
        } else {
            ", no alg members"
        }
    );
    // A token whose kid names a key of another family than its alg's.
    let mismatch = |name: String, description: String, alg, signer, kid, basis: &[&str]| {
        Row::new(
            name,
            description,
            world(alg, signer, kid).mutation(),
            rej(KeyAlgMismatch),
            Must,
            basis,
        )
        .acceptable(&[reject_for(SignatureInvalid)])
        .flags(&["AlgConfusion"])
    };
    let mut rows = vec![
        mismatch(
            format!("rsa-mixed{tag}-{h}-oct-secret-kid-of-rsa"),
            format!("{hmac} MAC under the oct secret, kid naming the RSA key; {set}"),
            hmac,
            oct_key(),
            RSA_KID,
            BINDING,
        ),
        mismatch(
            format!("rsa-mixed{tag}-{r}-kid-of-oct"),
            format!("genuine {rsa_alg} token whose kid names the oct secret; {set}"),
            rsa_alg,
            rsa_key(),
            OCT_KID,
            BINDING,
        ),
        Row::new(
            format!("rsa-accept-mixed{tag}-{r}"),
            format!("genuine {rsa_alg} token, kid of the RSA key; {set}"),
            world(rsa_alg, rsa_key(), RSA_KID).mutation(),
            Expect::Accept,
            Must,
            VALID,
        ),
        Row::new(
            format!("rsa-accept-mixed{tag}-{h}-oct"),
            format!("genuine {hmac} token under the oct secret, kid of the oct key; {set}"),
            world(hmac, oct_key(), OCT_KID).mutation(),
            Expect::Accept,
            Must,
            VALID,
        ),
    ];
    if !alg_members {
        rows.extend([
            mismatch(
                format!("rsa-mixed-{h}-spki-pem-kid-of-rsa"),
                format!("{hmac} keyed with the RSA key's SPKI PEM, kid naming the RSA key; {set}"),
                hmac,
                form_secret(RsaForm::SpkiPem),
                RSA_KID,
                CONFUSION,
            ),
            Row::new(
                format!("rsa-mixed-{h}-spki-pem-kid-of-oct"),
                format!(
                    "{hmac} keyed with the RSA key's SPKI PEM, kid naming the oct secret (the \
                     MAC is not the secret's); {set}"
                ),
                world(hmac, form_secret(RsaForm::SpkiPem), OCT_KID).mutation(),
                rej(SignatureInvalid),
                Must,
                &[CONFUSION, &["RFC7515-5.2-signature", "RFC9068-4-signature"]].concat(),
            )
            .flags(&["AlgConfusion"]),
        ]);
    }
    rows
}

/// Makes the draft an RS256-keyed ID token for `presets::CLIENT` under `oidc-id-token`, then
/// applies the world (its algorithms, set, `alg`, `kid` and signer).
fn oidc(world: World) -> Mutation {
    all_of([
        custom(|d: &mut Draft| {
            d.profile = serde_json::from_value(json!({
                "preset": "oidc-id-token",
                "issuer": forge::ISSUER,
                "client_id": super::presets::CLIENT,
                "max_lifetime_secs": null,
            }))
            .expect("the ID-token profile is a valid profile");
            d.header = json!({"alg": "RS256", "kid": RSA_KID});
            d.claims = json!({
                "iss": forge::ISSUER,
                "sub": "248289761001",
                "aud": super::presets::CLIENT,
                "iat": forge::LONG_AGO,
                "exp": forge::FAR_FUTURE,
            });
        }),
        world.mutation(),
    ])
}

fn oidc_rows() -> Vec<Row> {
    let only_rsa = || vec![entry(rsa_key(), Alg::RS256)];
    // An HS256 token keyed with the RSA key's SPKI PEM, the RSA key alone in the set.
    let pem_world = |allowed: &[Alg], kid| World {
        allowed: allowed.to_vec(),
        keys: only_rsa(),
        alg: Alg::HS256,
        signer: form_secret(RsaForm::SpkiPem),
        kid,
    };
    let confusion = |name: &str, description: &str, world: World, expect, others: &[_]| {
        Row::new(
            name,
            description,
            oidc(world),
            expect,
            Must,
            &[CONFUSION, &["PROFILE-PRESET"]].concat(),
        )
        .acceptable(others)
        .flags(&["AlgConfusion"])
        .refs(&[OIDCTEST_139])
    };
    vec![
        confusion(
            "rsa-oidc-hs256-spki-pem",
            "oidc-id-token, algorithms [RS256]: an HS256 ID token keyed with the RSA key's SPKI \
             PEM, kid of the RSA key",
            pem_world(&[Alg::RS256], Some(RSA_KID)),
            rej(AlgHmacRejected),
            &[reject_for(AlgNotAllowed)],
        ),
        confusion(
            "rsa-oidc-hs256-spki-pem-hs256-allowed",
            "oidc-id-token, algorithms [RS256, HS256]: an HS256 ID token keyed with the RSA key's \
             SPKI PEM, kid of the RSA key",
            pem_world(&[Alg::RS256, Alg::HS256], Some(RSA_KID)),
            rej(KeyAlgMismatch),
            &[reject_for(SignatureInvalid)],
        ),
        confusion(
            "rsa-oidc-hs256-spki-pem-no-kid",
            "oidc-id-token, algorithms [RS256, HS256]: an HS256 ID token keyed with the RSA key's \
             SPKI PEM, without kid (no key in the set serves HS256)",
            pem_world(&[Alg::RS256, Alg::HS256], None),
            rej(KidUnknown),
            &[reject_for(KeyAlgMismatch), reject_for(SignatureInvalid)],
        )
        .notes(
            "without kid, oidc-id-token takes the one key usable for the alg (OIDC Core §10.1); \
             none serves HS256, so no key is found; a library that takes the set's only key \
             finds it of the wrong kind (key_alg_mismatch) or its MAC wrong",
        ),
        Row::new(
            "rsa-oidc-accept-rs256",
            "oidc-id-token, algorithms [RS256, HS256]: the genuine RS256 ID token, kid of the RSA \
             key alone in the set",
            oidc(World {
                allowed: vec![Alg::RS256, Alg::HS256],
                keys: only_rsa(),
                alg: Alg::RS256,
                signer: rsa_key(),
                kid: Some(RSA_KID),
            }),
            Expect::Accept,
            Profile,
            &[
                "PROFILE-PRESET",
                "PROFILE-OIDC-AUD",
                "RFC7515-5.2-signature",
            ],
        )
        .refs(&[OIDCTEST_139]),
    ]
}

pub fn family() -> Family {
    let mut rows = Vec::new();
    for hmac in HMACS {
        for form in RsaForm::ALL {
            rows.push(form_row(form, hmac, false));
            rows.push(form_row(form, hmac, true));
        }
    }
    rows.push(genuine_row(None));
    for hmac in HMACS {
        rows.push(genuine_row(Some(hmac)));
        rows.extend(mixed_rows(hmac, false));
    }
    rows.extend(mixed_rows(Alg::HS256, true));
    rows.extend(oidc_rows());
    Family::table("confusion", rows)
}
