//! `allowlist`: the profile's algorithm allowlist and the JWK members that restrict a key
//! (`alg`, `use`, `key_ops`), for every key type: RSA, EC P-384 and P-521, OKP Ed25519 and
//! `oct` (the `jwk` family has the P-256 rows).
//!
//! - A genuine token whose algorithm the profile does not list: RFC 8725 §3.1 ("MUST NOT use
//!   any other algorithms") makes the rejection binding, for the catalogue's reason of the
//!   algorithm's family (`alg_hmac_rejected`, `alg_rsa_rejected`, `alg_ecdsa_rejected`, else
//!   `alg_not_allowed`, which is acceptable for all). Accept control: the same token with its
//!   algorithm listed too.
//! - A JWK `alg` other than the token's, both algorithms allowed and of the key's family:
//!   `key_alg_mismatch` at token time, `profile` with `accept` acceptable (RFC 7517 §4.4 makes
//!   the member optional to use). A JWK `alg` the key cannot serve (another family or curve) or
//!   the profile does not list refuses the set (`key_wrong_alg`, `PROFILE-KEYSET`).
//! - `use` `enc`, `key_ops` `["encrypt"]` or `["sign"]`: the key is not for verification
//!   (RFC 7517 §4.2, §4.3); the set is refused (`key_wrong_use`, `key_wrong_key_ops`), and any
//!   rejection of the token conforms. Accept controls: `use` `sig`, `key_ops` `["verify"]`, both.

use corpus::vector::Severity::{Must, Profile};
use forge::alg::{Alg, AnyKey, secret};
use serde_json::{Value, json};
use verifier::ConfigCode;
use verifier::Reason::{
    self, AlgEcdsaRejected, AlgHmacRejected, AlgNotAllowed, AlgRsaRejected, KeyAlgMismatch,
};

use super::algorithms::{Entry, VALID, World, bare, entry, key_set};
use super::{Expect, Family, rej};
use crate::generate::{Row, accept, all_of, any_reject, custom, reject_for};

const VALID_JWK_ALG: &[&str] = &[
    "RFC9068-4-signature",
    "RFC7515-5.2-signature",
    "RFC8725-3.1-alg",
    "RFC7517-4.4-alg",
];
const JWK_ALG: &[&str] = &["RFC8725-3.1-alg", "RFC7517-4.4-alg"];
const KEY_ALG: &[&str] = &["PROFILE-KEYSET", "RFC7517-4.4-alg", "RFC8725-3.1-alg"];
const USE: &[&str] = &["PROFILE-KEYSET", "RFC7517-4.2-use", "RFC7517-5-set"];
const KEY_OPS: &[&str] = &["PROFILE-KEYSET", "RFC7517-4.3-key-ops", "RFC7517-5-set"];
const USE_OK: &[&str] = &["PROFILE-KEYSET", "RFC7517-4.2-use"];
const KEY_OPS_OK: &[&str] = &["PROFILE-KEYSET", "RFC7517-4.3-key-ops"];
const BOTH_OK: &[&str] = &[
    "PROFILE-KEYSET",
    "RFC7517-4.2-use",
    "RFC7517-4.3-key-ops",
    "RFC7517-4.3-consistent",
];

const IGNORES_ALG: &str = "RFC 8725 §3.1 binds each key to one algorithm, but RFC 7517 §4.4 \
                           leaves the JWK's alg member optional to use, so a library that \
                           ignores it and verifies the genuine signature breaks no MUST.";

/// The key `alg` signs with here: the algorithm's own forge key, except that every HMAC
/// algorithm shares one 64-byte secret (strong enough for HS512), so that the sets of a row and
/// of its accept control hold the same keys.
fn key_for(alg: Alg) -> AnyKey {
    match alg {
        Alg::HS256 | Alg::HS384 | Alg::HS512 => AnyKey::Oct(secret("primary", 64)),
        _ => AnyKey::for_alg(alg, "primary"),
    }
}

fn kid_for(alg: Alg) -> &'static str {
    bare(key_for(alg)).kid
}

/// The catalogue's reason for an `alg` outside the allowlist, by family (`docs/reasons.md`):
/// HMAC `alg_hmac_rejected` (M03), RSA `alg_rsa_rejected` (M04), ECDSA `alg_ecdsa_rejected`
/// (M05), any other `alg_not_allowed` (M02).
fn refusal(alg: Alg) -> (Reason, &'static str) {
    match alg {
        Alg::HS256 | Alg::HS384 | Alg::HS512 => (AlgHmacRejected, "M03"),
        Alg::RS256 | Alg::RS384 | Alg::RS512 | Alg::PS256 | Alg::PS384 | Alg::PS512 => {
            (AlgRsaRejected, "M04")
        }
        Alg::ES256 | Alg::ES384 | Alg::ES512 => (AlgEcdsaRejected, "M05"),
        Alg::EdDSA => (AlgNotAllowed, "M02"),
    }
}

fn lower(alg: Alg) -> String {
    alg.name().to_lowercase()
}

/// One key per distinct `kid`, without `alg` members, for these algorithms.
fn keys_for(algs: &[Alg]) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for alg in algs {
        let e = bare(key_for(*alg));
        if !out.iter().any(|o| o.kid == e.kid) {
            out.push(e);
        }
    }
    out
}

/// A genuine `alg` token, its own kid; the set holds the keys of the profile's algorithms.
fn genuine(alg: Alg, allowed: Vec<Alg>, keys: Vec<Entry>) -> World {
    World {
        allowed,
        keys,
        alg,
        signer: key_for(alg),
        kid: Some(kid_for(alg)),
    }
}

fn list(algs: &[Alg]) -> String {
    algs.iter().map(|a| lower(*a)).collect::<Vec<_>>().join("-")
}

/// A genuine `alg` token under `profile`, which does not list it; and its accept control.
fn not_allowed_rows(alg: Alg, profile: &[Alg]) -> [Row; 2] {
    let names: Vec<&str> = profile.iter().map(|a| a.name()).collect();
    let (reason, m_id) = refusal(alg);
    let mut reject = Row::new(
        format!("{}-not-in-{}", lower(alg), list(profile)),
        format!("genuine {alg} token, algorithms {names:?}"),
        genuine(alg, profile.to_vec(), keys_for(profile)).mutation(),
        rej(reason),
        Must,
        &["RFC8725-3.1-alg", m_id],
    );
    if reason != AlgNotAllowed {
        reject = reject.acceptable(&[reject_for(AlgNotAllowed)]);
    }
    let mut wider = profile.to_vec();
    wider.push(alg);
    let wider_names: Vec<&str> = wider.iter().map(|a| a.name()).collect();
    let accept_row = Row::new(
        format!("accept-{}-in-{}", lower(alg), list(&wider)),
        format!("genuine {alg} token, algorithms {wider_names:?}"),
        genuine(alg, wider.clone(), keys_for(&wider)).mutation(),
        Expect::Accept,
        Must,
        VALID,
    );
    [reject, accept_row]
}

/// A genuine `alg` token whose key's JWK says `jwk_alg` (same family), both allowed.
fn jwk_alg_row(alg: Alg, jwk_alg: Alg) -> Row {
    Row::new(
        format!("{}-key-alg-{}", lower(alg), lower(jwk_alg)),
        format!(
            "genuine {alg} token, its key's JWK alg is {jwk_alg}; algorithms [{alg}, {jwk_alg}]"
        ),
        genuine(alg, vec![alg, jwk_alg], vec![entry(key_for(alg), jwk_alg)]).mutation(),
        rej(KeyAlgMismatch),
        Profile,
        JWK_ALG,
    )
    .acceptable(&[accept()])
    .rationale(IGNORES_ALG)
}

/// A genuine `alg` token whose key's JWK says `jwk_alg`, which the key cannot serve or the
/// profile does not list: the set is refused.
fn key_alg_refused(alg: Alg, jwk_alg: Alg, allowed: &[Alg]) -> Row {
    let names: Vec<&str> = allowed.iter().map(|a| a.name()).collect();
    let key = key_for(alg);
    Row::new(
        format!("{}-key-alg-{}-refused", lower(alg), lower(jwk_alg)),
        format!(
            "genuine {alg} token, its {} key's JWK alg is {jwk_alg}; algorithms {names:?}",
            key.kind()
        ),
        genuine(alg, allowed.to_vec(), vec![entry(key, jwk_alg)]).mutation(),
        Expect::Config(ConfigCode::KeyWrongAlg),
        Profile,
        KEY_ALG,
    )
    .acceptable(&[any_reject(), accept()])
    .notes(
        "the set is the operator's configuration: refusing it is the profile's choice and any \
         rejection of the token conforms; a library that ignores the optional alg member \
         (RFC 7517 §4.4) loads exactly the operator's key and verifies a token it signed, \
         which forges nothing",
    )
}

/// The JWK-`alg` accept control: the member names the token's algorithm.
fn jwk_alg_accept(alg: Alg, other: Alg) -> Row {
    Row::new(
        format!("accept-{}-key-alg-{}", lower(alg), lower(alg)),
        format!("genuine {alg} token, its key's JWK alg is {alg}; algorithms [{alg}, {other}]"),
        genuine(alg, vec![alg, other], vec![entry(key_for(alg), alg)]).mutation(),
        Expect::Accept,
        Must,
        VALID_JWK_ALG,
    )
}

/// The genuine `alg` token, the set its key alone with `use` and `key_ops` set (`None`:
/// absent); `alg` member kept.
fn use_ops_world(
    alg: Alg,
    key_use: Option<Value>,
    key_ops: Option<Value>,
) -> crate::generate::Mutation {
    let world = genuine(alg, vec![alg], vec![entry(key_for(alg), alg)]);
    let mut set = key_set(&world.keys);
    if let Some(jwk) = set["keys"][0].as_object_mut() {
        jwk.remove("use");
        jwk.remove("key_ops");
        if let Some(v) = key_use {
            jwk.insert("use".into(), v);
        }
        if let Some(v) = key_ops {
            jwk.insert("key_ops".into(), v);
        }
    }
    all_of([world.mutation(), custom(move |d| d.jwks = set.clone())])
}

fn use_ops_rows(label: &str, alg: Alg) -> Vec<Row> {
    let kind = key_for(alg).kind();
    let bad = |name: &str, what: &str, u: Option<Value>, o: Option<Value>, code, basis| {
        Row::new(
            format!("{label}-{name}"),
            format!("genuine {alg} token, its {kind} key has {what}"),
            use_ops_world(alg, u, o),
            Expect::Config(code),
            Profile,
            basis,
        )
        .acceptable(&[any_reject()])
    };
    let good = |name: &str, what: &str, u: Option<Value>, o: Option<Value>, basis| {
        Row::new(
            format!("accept-{label}-{name}"),
            format!("genuine {alg} token, its {kind} key has {what}"),
            use_ops_world(alg, u, o),
            Expect::Accept,
            Profile,
            basis,
        )
    };
    vec![
        bad(
            "use-enc",
            "use enc",
            Some(json!("enc")),
            None,
            ConfigCode::KeyWrongUse,
            USE,
        ),
        bad(
            "key-ops-encrypt",
            "key_ops [encrypt], no use",
            None,
            Some(json!(["encrypt"])),
            ConfigCode::KeyWrongKeyOps,
            KEY_OPS,
        ),
        bad(
            "key-ops-sign",
            "key_ops [sign], no use",
            None,
            Some(json!(["sign"])),
            ConfigCode::KeyWrongKeyOps,
            KEY_OPS,
        ),
        good("use-sig", "use sig", Some(json!("sig")), None, USE_OK),
        good(
            "key-ops-verify",
            "key_ops [verify], no use",
            None,
            Some(json!(["verify"])),
            KEY_OPS_OK,
        ),
        good(
            "use-sig-key-ops-verify",
            "use sig and key_ops [verify]",
            Some(json!("sig")),
            Some(json!(["verify"])),
            BOTH_OK,
        ),
    ]
}

pub fn family() -> Family {
    use Alg::*;
    let not_allowed: &[(Alg, &[Alg])] = &[
        (RS256, &[RS512]),
        (RS384, &[RS256]),
        (RS512, &[PS512]),
        (PS256, &[RS256]),
        (PS384, &[PS256]),
        (PS512, &[PS384, RS512]),
        (ES256, &[ES384]),
        (ES384, &[ES256]),
        (ES512, &[ES256, ES384]),
        (EdDSA, &[ES256]),
        (ES256, &[EdDSA]),
        (RS256, &[ES256]),
        (EdDSA, &[RS256, PS256]),
        (HS256, &[HS512]),
        (HS384, &[HS256]),
        (HS512, &[RS256]),
        (HS256, &[ES256]),
    ];
    let mut rows: Vec<Row> = not_allowed
        .iter()
        .flat_map(|(alg, profile)| not_allowed_rows(*alg, profile))
        .collect();
    rows.extend([
        jwk_alg_row(RS384, RS256),
        jwk_alg_row(RS512, PS512),
        jwk_alg_row(PS384, PS512),
        jwk_alg_row(PS512, RS512),
        jwk_alg_row(HS512, HS256),
        jwk_alg_row(HS384, HS512),
        key_alg_refused(ES256, ES384, &[ES256, ES384]),
        key_alg_refused(ES384, ES512, &[ES384, ES512]),
        key_alg_refused(ES512, ES256, &[ES512, ES256]),
        key_alg_refused(EdDSA, ES256, &[EdDSA, ES256]),
        key_alg_refused(RS256, HS256, &[RS256, HS256]),
        key_alg_refused(HS256, RS256, &[HS256, RS256]),
        key_alg_refused(RS256, RS512, &[RS256]),
        key_alg_refused(HS256, HS512, &[HS256]),
        jwk_alg_accept(RS384, RS256),
        jwk_alg_accept(PS512, RS512),
        jwk_alg_accept(ES384, ES256),
        jwk_alg_accept(ES512, ES384),
        jwk_alg_accept(EdDSA, ES256),
        jwk_alg_accept(HS512, HS256),
    ]);
    for (label, alg) in [
        ("rsa", RS256),
        ("p384", ES384),
        ("p521", ES512),
        ("okp", EdDSA),
        ("oct", HS256),
    ] {
        rows.extend(use_ops_rows(label, alg));
    }
    Family::table("allowlist", rows)
}
