//! `presets`: the `jwt` and `oidc-id-token` profile presets (`docs/profile.md`).
//!
//! - `oidc-id-token` (OpenID Connect Core 1.0 §3.1.3.7): an RS256 ID token for one client. Its
//!   own rules: `aud` names the client and no one else (`aud_untrusted`), `azp` is the client
//!   (`azp_mismatch`), the configured `nonce` comes back (`nonce_mismatch`), and a token without
//!   `kid` is verified only when one key fits its `alg` (§10.1: `kid_ambiguous`).
//! - `jwt` (RFC 7519): nothing is required but what the profile configures; a present `exp` or
//!   `nbf` is still enforced, and a name in `required_claims` with no reason of its own is
//!   `claim_missing`.
//!
//! OpenID Connect Core is not an RFC, so none of its rules makes a vector `must` here; the
//! vectors are `profile` and cite the `PROFILE-OIDC-*` rows of `docs/normative.md`.

use corpus::vector::Severity::{Must, Profile};
use corpus::vector::{Count, Feature, KeySourceSpec};
use forge::alg::{Alg, AnyKey, RsaId};
use serde_json::{Value, json};
use verifier::Reason;
use verifier::Reason::{
    AlgNone, AudMismatch, AudMissing, AudUntrusted, AzpMismatch, ClaimMissing, ExpMissing, Expired,
    IatFuture, IatMissing, InvalidNumericType, IssMismatch, KidAmbiguous, KidUnknown,
    NonceMismatch, NotYetValid, SignatureInvalid, SubMissing, TypMismatch,
};

use super::algorithms::{Entry, World, bare, entry};
use super::state::{fetched_with, jwks, ok, publish, signed_by, step};
use super::{Draft, Expect, Family, invalid_sig, rej};
use crate::generate::{
    Mutation, Row, Signer, accept, all_of, any_reject, claim, custom, hdr, no_claim, no_hdr,
    reject_for,
};

/// The client the ID tokens are for.
pub const CLIENT: &str = "s6BhdRkqt3";
/// The nonce of the `nonce` rows' authentication request.
const NONCE: &str = "n-0S6_WzA2Mj";

const AUD: &[&str] = &["PROFILE-OIDC-AUD", "RFC7519-4.1.3-aud"];
const AZP: &[&str] = &["PROFILE-OIDC-AZP"];
const NONCE_BASIS: &[&str] = &["PROFILE-OIDC-NONCE"];
const KID: &[&str] = &["PROFILE-OIDC-KID", "RFC7515-4.1.4-kid"];
const PRESET: &[&str] = &["PROFILE-PRESET"];
const VALID_ID_TOKEN: &[&str] = &[
    "PROFILE-PRESET",
    "PROFILE-OIDC-AUD",
    "RFC7515-5.2-signature",
];
const TIME: &[&str] = &["PROFILE-PRESET", "RFC7519-4.1.4-exp"];
const ISS: &[&str] = &["PROFILE-OIDC-ISS", "RFC7519-4.1.1-iss"];
/// A corrupted or foreign signature on an ID token: RFC 7515 §5.2 and OIDC Core step 6.
const BAD_SIG: &[&str] = &["RFC7515-5.2-signature", "PROFILE-OIDC-SIG"];
const SIG_OK: &[&str] = &[
    "PROFILE-PRESET",
    "PROFILE-OIDC-SIG",
    "RFC7515-5.2-signature",
];
const JWT_TYP: &[&str] = &["PROFILE-PRESET", "RFC7519-5.1-typ"];
const JWT_ISS: &[&str] = &["PROFILE-PRESET", "RFC7519-4.1.1-iss"];
/// The client secret of [`CLIENT`]: its UTF-8 octets are the HMAC key (OIDC Core §3.1.3.7
/// step 8), 64 bytes, as long as the longest hash.
const CLIENT_SECRET: &str = "7Fjfp0ZBr1KtDRbnfVdmIw-client-secret-of-s6BhdRkqt3-for-HS256-384-";

/// An RS256 ID token for [`CLIENT`] from the baseline issuer, without `typ` and `kid`-named,
/// verified under `oidc-id-token` with its default algorithms (`["RS256"]`).
fn id_token() -> Draft {
    let key = AnyKey::Rsa(RsaId::Rsa2048.key());
    Draft {
        profile: serde_json::from_value(json!({
            "preset": "oidc-id-token",
            "issuer": forge::ISSUER,
            "client_id": CLIENT,
            "max_lifetime_secs": null,
        }))
        .expect("the ID-token profile is a valid profile"),
        jwks: super::algorithms::key_set(&[entry(key.clone(), Alg::RS256)]),
        header: json!({"alg": "RS256", "kid": RsaId::Rsa2048.name()}),
        claims: json!({
            "iss": forge::ISSUER,
            "sub": "248289761001",
            "aud": CLIENT,
            "iat": forge::LONG_AGO,
            "exp": forge::FAR_FUTURE,
        }),
        signer: Signer::Key(Alg::RS256, Box::new(key)),
        ..Draft::default()
    }
}

/// A plain JWT with no registered claim at all, verified under `jwt` with `["ES256"]` and
/// nothing else configured: no lifetime bound either, so that only the vectors about time
/// depend on the clock (a library without clock injection runs the others).
fn plain_jwt() -> Draft {
    Draft {
        profile: serde_json::from_value(
            json!({"preset": "jwt", "algorithms": ["ES256"], "max_lifetime_secs": null}),
        )
        .expect("the plain-JWT profile is a valid profile"),
        header: json!({"alg": "ES256", "kid": forge::KID}),
        claims: json!({"scope": "read"}),
        ..Draft::default()
    }
}

/// Changes the draft's profile.
fn profile(f: impl Fn(&mut verifier::Profile) + 'static) -> Mutation {
    custom(move |d| f(&mut d.profile))
}

fn id_row(name: &str, description: &str, m: Mutation, expect: Expect, basis: &[&str]) -> Row {
    Row::new(name, description, m, expect, Profile, basis)
}

/// The ID token without `kid`, verified against a set of `keys` with `allowed` algorithms.
fn kidless(alg: Alg, signer: AnyKey, allowed: &[Alg], keys: Vec<Entry>) -> Mutation {
    World {
        allowed: allowed.to_vec(),
        keys,
        alg,
        signer,
        kid: None,
    }
    .mutation()
}

fn rsa(id: RsaId) -> AnyKey {
    AnyKey::Rsa(id.key())
}

/// Changes one character in the middle of the signature segment (to another of the alphabet),
/// so that the signature is wrong and still canonical base64url of the right length.
fn corrupt_signature(token: String) -> String {
    let sig_start = token.rfind('.').expect("a compact token") + 1;
    let at = sig_start + (token.len() - sig_start) / 2;
    let mut bytes = token.into_bytes();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).expect("base64url is ASCII")
}

/// The ID token signed with `alg` under a set of that one key (the client secret for HMAC).
fn signed_with(alg: Alg) -> Mutation {
    let key = match alg {
        Alg::HS256 | Alg::HS384 | Alg::HS512 => AnyKey::Oct(CLIENT_SECRET.as_bytes().to_vec()),
        Alg::RS256 => rsa(RsaId::Rsa2048),
        other => AnyKey::for_alg(other, "primary"),
    };
    World::single(alg, key).mutation()
}

/// `oidc-bad-sig-{alg}`: the ID token signed with `alg`, its signature corrupted.
fn bad_sig(alg: Alg, description: String, basis: &[&str]) -> Row {
    invalid_sig(
        format!("oidc-bad-sig-{}", alg.name().to_lowercase()),
        description,
        all_of([signed_with(alg), Mutation::Rewrite(corrupt_signature)]),
        basis,
    )
}

/// The ID token as the live key-set server's issuer signs it: ES256 (the minted form), its key
/// set fetched from `{issuer}/jwks.json` (through discovery if `discovery`), cached for 30 s and
/// refetched for an unknown `kid` at most every 2 s.
fn live_id_token(discovery: bool) -> Mutation {
    custom(move |d| {
        d.profile.algorithms = vec![super::algorithms::algorithm(Alg::ES256)];
        d.jwks = forge::baseline_jwks();
        d.header = json!({"alg": "ES256", "kid": forge::KID});
        d.signer = Signer::Es256(forge::KID);
        fetched_with(d, 30, 2);
        if let Some(KeySourceSpec::Fetched { discovery: on, .. }) = &mut d.key_source {
            *on = discovery;
        }
    })
}

/// OP signing-key rotation (the RP certification's key-rotation tests): the first ID token
/// verifies; the OP then replaces its key with a new one under a new `kid`, and the next ID
/// token, signed with it, verifies too: the unknown `kid` makes the client fetch the set again.
fn rotation(name: &str, description: &str, discovery: bool) -> Row {
    Row::new(
        name,
        description,
        live_id_token(discovery),
        ok(),
        Profile,
        &["PROFILE-OIDC-SIG", "PROFILE-KEY-FETCH"],
    )
    .steps(|d| {
        let mut next = signed_by(d, "next");
        next.now = d.now + 3;
        vec![
            step(vec![], d, ok()).requests(jwks(Count::exactly(1))),
            step(vec![publish(&["next"])], &next, ok()).requests(jwks(Count::exactly(1))),
        ]
    })
    .features(&[Feature::KeyRotation])
    .refs(&[
        "rp-key-rotation-op-sign-key",
        "rp-key-rotation-op-sign-key-native",
    ])
    .notes(
        "the second token comes 3 s after the first: past the 2 s refetch interval, within the \
         30 s TTL, so only its unknown kid makes the client fetch the set again",
    )
}

/// The other algorithms an ID token may be signed with (OIDC Core §3.1.3.7 step 7: the one the
/// client registered): an accept control and a corrupted signature for each.
const OTHER_ID_TOKEN_ALGS: [Alg; 10] = [
    Alg::RS384,
    Alg::RS512,
    Alg::PS256,
    Alg::PS384,
    Alg::PS512,
    Alg::ES384,
    Alg::ES512,
    Alg::EdDSA,
    Alg::HS384,
    Alg::HS512,
];

fn oidc_alg_rows() -> Vec<Row> {
    OTHER_ID_TOKEN_ALGS
        .into_iter()
        .flat_map(|alg| {
            let lower = alg.name().to_lowercase();
            let key = if alg.name().starts_with("HS") {
                "the client secret"
            } else {
                "the provider's key"
            };
            [
                id_row(
                    &format!("oidc-sig-{lower}"),
                    &format!("{alg} ID token signed with {key}, {alg} allowed"),
                    signed_with(alg),
                    Expect::Accept,
                    SIG_OK,
                ),
                bad_sig(
                    alg,
                    format!("{alg} ID token whose signature is corrupted, {alg} allowed"),
                    BAD_SIG,
                ),
            ]
        })
        .collect()
}

/// A plain JWT under `jwt` allowing `alg` only, signed with that algorithm's forge key: valid,
/// or with its signature corrupted.
fn jwt_alg_rows() -> Vec<Row> {
    Alg::ALL
        .into_iter()
        .flat_map(|alg| {
            let lower = alg.name().to_lowercase();
            let world = || World::single(alg, AnyKey::for_alg(alg, "primary")).mutation();
            [
                Row::new(
                    format!("jwt-accept-{lower}"),
                    format!("a plain JWT signed {alg} under jwt allowing {alg}"),
                    world(),
                    Expect::Accept,
                    Must,
                    &[
                        "RFC7515-5.2-signature",
                        "PROFILE-PRESET",
                        "RFC7519-4-ignore",
                    ],
                ),
                Row::new(
                    format!("jwt-bad-sig-{lower}"),
                    format!(
                        "a plain JWT signed {alg}, signature corrupted, under jwt allowing {alg}"
                    ),
                    all_of([world(), Mutation::Rewrite(corrupt_signature)]),
                    rej(SignatureInvalid),
                    Must,
                    &["RFC7515-5.2-signature", "PROFILE-PRESET"],
                ),
            ]
        })
        .collect()
}

fn oidc_rows() -> Vec<Row> {
    let untrusted = |name: &str, aud: Value| {
        id_row(
            name,
            &format!("aud {aud}: the client and another audience"),
            claim("aud", aud),
            rej(AudUntrusted),
            AUD,
        )
    };
    let azp = |name: &str, value: Value| {
        id_row(
            name,
            &format!("azp {value}, not the client"),
            claim("azp", value),
            rej(AzpMismatch),
            AZP,
        )
    };
    let with_nonce = |m: Mutation| all_of([profile(|p| p.nonce = Some(NONCE.to_owned())), m]);
    let nonce = |name: &str, description: &str, m: Mutation| {
        id_row(
            name,
            description,
            with_nonce(m),
            rej(NonceMismatch),
            NONCE_BASIS,
        )
    };
    let missing = |name: &str, reason: Reason| {
        id_row(
            &format!("oidc-no-{name}"),
            &format!("ID token without {name}, which oidc-id-token requires"),
            no_claim(name),
            rej(reason),
            PRESET,
        )
    };
    // A row of the ID token without `kid` ([`kidless`]), for the `kid` rules.
    let no_kid = |name: &str,
                  description: &str,
                  (alg, signer): (Alg, AnyKey),
                  allowed: &[Alg],
                  keys: Vec<Entry>,
                  expect: Expect| {
        id_row(
            name,
            description,
            kidless(alg, signer, allowed, keys),
            expect,
            KID,
        )
    };
    let rs256 = || (Alg::RS256, rsa(RsaId::Rsa2048));
    let two_rsa = || {
        vec![
            entry(rsa(RsaId::Rsa2048), Alg::RS256),
            entry(rsa(RsaId::Rsa3072), Alg::RS256),
        ]
    };
    vec![
        id_row(
            "oidc-id-token",
            "RS256 ID token for the client, no typ, under oidc-id-token",
            Mutation::Baseline,
            Expect::Accept,
            VALID_ID_TOKEN,
        )
        .refs(&["rp-id_token-sig-rs256"]),
        id_row(
            "oidc-typ-jwt",
            "ID token with typ JWT (oidc-id-token requires no typ)",
            hdr("typ", json!("JWT")),
            Expect::Accept,
            VALID_ID_TOKEN,
        ),
        id_row(
            "oidc-aud-array-client",
            "aud [client]",
            claim("aud", json!([CLIENT])),
            Expect::Accept,
            VALID_ID_TOKEN,
        ),
        id_row(
            "oidc-azp-client",
            "azp names the client",
            claim("azp", json!(CLIENT)),
            Expect::Accept,
            VALID_ID_TOKEN,
        ),
        id_row(
            "oidc-no-jti-no-client-id",
            "ID token without jti or client_id claims (an access token would need both)",
            all_of([no_claim("jti"), no_claim("client_id")]),
            Expect::Accept,
            VALID_ID_TOKEN,
        ),
        id_row(
            "oidc-nonce-unrequested",
            "nonce claim present, none configured: nothing to compare",
            claim("nonce", json!(NONCE)),
            Expect::Accept,
            NONCE_BASIS,
        ),
        id_row(
            "oidc-nonce-matches",
            "configured nonce returned",
            with_nonce(claim("nonce", json!(NONCE))),
            Expect::Accept,
            NONCE_BASIS,
        ),
        id_row(
            "oidc-aud-other",
            "aud names another client only",
            claim("aud", json!("other-client")),
            rej(AudMismatch),
            AUD,
        )
        .refs(&["rp-id_token-aud"]),
        id_row(
            "oidc-aud-missing",
            "ID token without aud",
            no_claim("aud"),
            rej(AudMissing),
            AUD,
        )
        .refs(&["rp-id_token-aud"]),
        id_row(
            "oidc-aud-client-and-other-with-azp",
            "aud [client, other-client] with azp naming the client: azp does not make the other \
             audience trusted",
            all_of([
                claim("aud", json!([CLIENT, "other-client"])),
                claim("azp", json!(CLIENT)),
            ]),
            rej(AudUntrusted),
            AUD,
        ),
        untrusted("oidc-aud-client-and-other", json!([CLIENT, "other-client"])),
        untrusted("oidc-aud-other-and-client", json!(["other-client", CLIENT])),
        untrusted("oidc-aud-client-and-issuer", json!([CLIENT, forge::ISSUER])),
        untrusted("oidc-aud-client-and-api", json!([CLIENT, forge::AUDIENCE])),
        untrusted(
            "oidc-aud-client-twice-and-other",
            json!([CLIENT, CLIENT, "x"]),
        ),
        azp("oidc-azp-other", json!("other-client")),
        azp("oidc-azp-empty", json!("")),
        azp("oidc-azp-number", json!(1)),
        azp("oidc-azp-issuer", json!(forge::ISSUER)),
        azp("oidc-azp-case", json!(CLIENT.to_uppercase())),
        nonce(
            "oidc-nonce-missing",
            "nonce configured, no nonce claim",
            Mutation::Baseline,
        ),
        nonce(
            "oidc-nonce-other",
            "nonce of another request",
            claim("nonce", json!("n-other")),
        )
        .refs(&["rp-nonce-invalid"]),
        nonce(
            "oidc-nonce-case",
            "nonce in another case",
            claim("nonce", json!(NONCE.to_uppercase())),
        ),
        nonce("oidc-nonce-empty", "empty nonce", claim("nonce", json!(""))),
        nonce(
            "oidc-nonce-array",
            "nonce as an array holding the nonce",
            claim("nonce", json!([NONCE])),
        ),
        missing("iss", IssMismatch),
        missing("sub", SubMissing).refs(&["rp-id_token-sub"]),
        missing("exp", ExpMissing),
        missing("iat", IatMissing).refs(&["rp-id_token-iat"]),
        no_kid(
            "oidc-no-kid-one-key",
            "no kid, one RSA key in the set",
            rs256(),
            &[Alg::RS256],
            vec![entry(rsa(RsaId::Rsa2048), Alg::RS256)],
            Expect::Accept,
        )
        .refs(&["rp-id_token-kid-absent-single-jwks"]),
        no_kid(
            "oidc-no-kid-one-key-for-alg",
            "no kid, an RSA and an EC key, RS256 and ES256 allowed: one key fits RS256",
            rs256(),
            &[Alg::RS256, Alg::ES256],
            vec![
                entry(rsa(RsaId::Rsa2048), Alg::RS256),
                entry(AnyKey::for_alg(Alg::ES256, "primary"), Alg::ES256),
            ],
            Expect::Accept,
        )
        .refs(&["rp-id_token-kid-absent-single-jwks"]),
        no_kid(
            "oidc-no-kid-other-rsa-key-is-ps256",
            "no kid, two RSA keys of which only one is for RS256 (the other's JWK alg is PS256)",
            rs256(),
            &[Alg::RS256, Alg::PS256],
            vec![
                entry(rsa(RsaId::Rsa2048), Alg::RS256),
                entry(rsa(RsaId::Rsa3072), Alg::PS256),
            ],
            Expect::Accept,
        ),
        no_kid(
            "oidc-no-kid-two-rsa-keys",
            "no kid, two RSA keys for RS256",
            rs256(),
            &[Alg::RS256],
            two_rsa(),
            rej(KidAmbiguous),
        )
        .acceptable(&[accept()])
        .refs(&["rp-id_token-kid-absent-multiple-jwks"])
        .rationale(
            "OIDC Core §10.1 puts the kid MUST on the provider; the RP certification test \
             rp-id_token-kid-absent-multiple-jwks lets the client either reject the token or try \
             every key, and one of them verifies it.",
        ),
        no_kid(
            "oidc-no-kid-two-bare-rsa-keys",
            "no kid, two RSA keys without an alg member",
            rs256(),
            &[Alg::RS256],
            vec![bare(rsa(RsaId::Rsa2048)), bare(rsa(RsaId::Rsa4096))],
            rej(KidAmbiguous),
        ),
        no_kid(
            "oidc-no-kid-three-rsa-keys",
            "no kid, three RSA keys for RS256",
            rs256(),
            &[Alg::RS256],
            {
                let mut keys = two_rsa();
                keys.push(entry(rsa(RsaId::Rsa4096), Alg::RS256));
                keys
            },
            rej(KidAmbiguous),
        ),
        no_kid(
            "oidc-no-kid-two-p256-keys",
            "no kid, ES256 allowed, two P-256 keys",
            (Alg::ES256, AnyKey::for_alg(Alg::ES256, "primary")),
            &[Alg::ES256],
            vec![
                bare(AnyKey::for_alg(Alg::ES256, "primary")),
                entry(AnyKey::for_alg(Alg::ES256, "secondary"), Alg::ES256).named("secondary"),
            ],
            rej(KidAmbiguous),
        ),
        no_kid(
            "oidc-no-kid-ps256-two-rsa-keys",
            "no kid, PS256 allowed, two RSA keys without an alg member",
            (Alg::PS256, rsa(RsaId::Rsa3072)),
            &[Alg::PS256],
            vec![bare(rsa(RsaId::Rsa2048)), bare(rsa(RsaId::Rsa3072))],
            rej(KidAmbiguous),
        ),
        no_kid(
            "oidc-no-kid-no-key-for-alg",
            "no kid, RS256 and ES256 allowed, only an EC key in the set",
            rs256(),
            &[Alg::RS256, Alg::ES256],
            vec![entry(AnyKey::for_alg(Alg::ES256, "primary"), Alg::ES256)],
            rej(KidUnknown),
        ),
        id_row(
            "oidc-iss-other",
            "iss names another provider",
            claim("iss", json!("https://op.other.example")),
            rej(IssMismatch),
            ISS,
        )
        .refs(&["rp-id_token-issuer-mismatch"]),
        id_row(
            "oidc-iss-trailing-slash",
            "iss is the issuer with a trailing slash: not an exact match",
            claim("iss", json!(format!("{}/", forge::ISSUER))),
            rej(IssMismatch),
            ISS,
        )
        .refs(&["rp-id_token-issuer-mismatch"]),
        id_row(
            "oidc-sig-es256",
            "ES256 ID token, ES256 allowed, the provider's P-256 key",
            signed_with(Alg::ES256),
            Expect::Accept,
            SIG_OK,
        )
        .refs(&["rp-id_token-sig-es256"]),
        id_row(
            "oidc-sig-hs256",
            "HS256 ID token keyed with the client secret's UTF-8 octets, HS256 allowed",
            signed_with(Alg::HS256),
            Expect::Accept,
            &[
                "PROFILE-PRESET",
                "PROFILE-OIDC-HMAC",
                "RFC7515-5.2-signature",
            ],
        )
        .refs(&["rp-id_token-sig-hs256"]),
        bad_sig(
            Alg::RS256,
            "RS256 ID token whose signature is corrupted".to_owned(),
            BAD_SIG,
        )
        .refs(&["rp-id_token-bad-sig-rs256"]),
        bad_sig(
            Alg::ES256,
            "ES256 ID token whose signature is corrupted, ES256 allowed".to_owned(),
            BAD_SIG,
        )
        .refs(&["rp-id_token-bad-sig-es256"]),
        bad_sig(
            Alg::HS256,
            "HS256 ID token keyed with the client secret, MAC corrupted, HS256 allowed".to_owned(),
            &[
                "RFC7515-5.2-signature",
                "PROFILE-OIDC-SIG",
                "PROFILE-OIDC-HMAC",
            ],
        )
        .refs(&["rp-id_token-bad-sig-hs256"]),
        Row::new(
            "oidc-hs256-other-client-secret",
            "HS256 ID token keyed with another client's secret, HS256 allowed",
            all_of([
                signed_with(Alg::HS256),
                Mutation::Sign(Signer::Key(
                    Alg::HS256,
                    Box::new(AnyKey::Oct(
                        b"another-client-secret-of-40-bytes-long!!".to_vec(),
                    )),
                )),
            ]),
            rej(SignatureInvalid),
            Must,
            &[
                "RFC7515-5.2-signature",
                "PROFILE-OIDC-SIG",
                "PROFILE-OIDC-HMAC",
            ],
        )
        .refs(&["rp-id_token-bad-sig-hs256"]),
        Row::new(
            "oidc-sig-none",
            "unsigned ID token (alg none, empty signature) under oidc-id-token allowing RS256",
            all_of([
                hdr("alg", json!("none")),
                Mutation::Sign(Signer::Bytes(Vec::new())),
            ]),
            rej(AlgNone),
            Must,
            &[
                "RFC7518-3.6-none",
                "PROFILE-OIDC-NONE",
                "ADV-2015-JWT-LIBS",
                "M01",
            ],
        )
        .flags(&["AlgNone"])
        .refs(&["rp-id_token-sig-none"])
        .notes(
            "the certification test rp-id_token-sig-none has the client register alg none and \
             take the ID token from the token endpoint (code flow), where OIDC Core §2 allows an \
             unsigned ID token and the test expects acceptance; this client expects RS256, and no \
             profile can allow none",
        ),
        id_row(
            "oidc-expired",
            "ID token whose exp has passed",
            claim("exp", json!(forge::NOW - 1)),
            rej(Expired),
            &["PROFILE-OIDC-EXP", "RFC7519-4.1.4-exp"],
        )
        .features(&[Feature::Clock]),
        id_row(
            "oidc-iat-an-hour-ahead",
            "iat an hour after now",
            claim("iat", json!(forge::NOW + 3600)),
            rej(IatFuture),
            &["PROFILE-OIDC-IAT", "RFC7519-4.1.6-iat"],
        )
        .acceptable(&[accept()])
        .features(&[Feature::Clock]),
        Row::new(
            "oidc-no-kid-fetched",
            "ID token without kid, the provider's fetched key set holding its one key: that key \
             verifies it (OIDC Core §10.1)",
            all_of([live_id_token(false), no_hdr("kid")]),
            ok(),
            Profile,
            &["PROFILE-OIDC-KID", "PROFILE-KEY-FETCH"],
        )
        .steps(|d| vec![step(vec![], d, ok()).requests(jwks(Count::exactly(1)))])
        .refs(&["rp-id_token-kid-absent-single-jwks"]),
        rotation(
            "oidc-key-rotation",
            "the provider rotates its signing key: the ID token under the new kid verifies after \
             a refetch",
            false,
        ),
        rotation(
            "oidc-key-rotation-discovery",
            "the provider rotates its signing key, key set found through discovery: the ID token \
             under the new kid verifies after a refetch",
            true,
        ),
    ]
}

/// The plain JWT's profile with the baseline audience configured.
fn with_audience() -> Mutation {
    profile(|p| p.audiences = vec![forge::AUDIENCE.to_owned()])
}

/// A `jwt` profile requiring `typ` `required`, the token's `typ` `token` (`None`: absent).
fn typ_required(name: &str, required: &'static str, token: Option<&str>, expect: Expect) -> Row {
    let shown = token.map_or("absent".to_owned(), |t| format!("{t:?}"));
    let token_typ = match token {
        Some(t) => hdr("typ", json!(t)),
        None => no_hdr("typ"),
    };
    Row::new(
        name,
        format!("typ {required} required by the profile, token typ {shown}"),
        all_of([
            profile(move |p| p.typ = Some(required.to_owned())),
            token_typ,
        ]),
        expect,
        Profile,
        &["PROFILE-PRESET", "RFC7515-4.1.9-typ", "RFC8725-3.11-typ"],
    )
    .features(&[Feature::Typ])
}

fn jwt_rows() -> Vec<Row> {
    let jwt = |name: &str, description: &str, m: Mutation, expect: Expect, basis: &[&str]| {
        Row::new(name, description, m, expect, Profile, basis)
    };
    let required = |name: &str, claims: &'static [&'static str], present: Value| {
        jwt(
            name,
            &format!("required_claims {claims:?}, claims {present}"),
            all_of([
                profile(move |p| {
                    p.required_claims = claims.iter().map(|c| (*c).to_owned()).collect()
                }),
                custom(move |d| d.claims = present.clone()),
            ]),
            rej(ClaimMissing),
            PRESET,
        )
    };
    vec![
        jwt(
            "jwt-minimal",
            "a JWT with one private claim, no typ, nothing configured but the algorithm",
            Mutation::Baseline,
            Expect::Accept,
            &[
                "PROFILE-PRESET",
                "RFC7519-4-ignore",
                "RFC7515-5.2-signature",
            ],
        ),
        jwt(
            "jwt-empty-claims",
            "a JWT whose claims set is {}",
            custom(|d| d.claims = json!({})),
            Expect::Accept,
            PRESET,
        ),
        jwt(
            "jwt-typ-at-jwt",
            "typ at+jwt is no requirement under jwt",
            hdr("typ", json!("at+jwt")),
            Expect::Accept,
            PRESET,
        ),
        jwt(
            "jwt-expired",
            "a present exp is enforced under jwt",
            claim("exp", json!(forge::NOW - 1)),
            rej(Expired),
            TIME,
        )
        .features(&[Feature::Clock]),
        jwt(
            "jwt-not-yet-valid",
            "a present nbf is enforced under jwt",
            claim("nbf", json!(forge::NOW + 3600)),
            rej(NotYetValid),
            &["PROFILE-PRESET", "RFC7519-4.1.5-nbf"],
        )
        .acceptable(&[accept()])
        .features(&[Feature::Clock]),
        jwt(
            "jwt-issuer-configured-iss-missing",
            "an issuer configured makes iss required",
            profile(|p| p.issuer = Some(forge::ISSUER.to_owned())),
            rej(IssMismatch),
            &["PROFILE-PRESET", "RFC9068-4-iss"],
        ),
        jwt(
            "jwt-typ-configured-other",
            "typ JWT required by the profile, token typ at+jwt",
            all_of([
                profile(|p| p.typ = Some("JWT".to_owned())),
                hdr("typ", json!("at+jwt")),
            ]),
            rej(TypMismatch),
            &["PROFILE-PRESET", "RFC8725-3.11-typ"],
        )
        .features(&[corpus::vector::Feature::Typ]),
        jwt(
            "jwt-required-present",
            "required_claims [scope], scope present",
            profile(|p| p.required_claims = vec!["scope".to_owned()]),
            Expect::Accept,
            PRESET,
        ),
        required("jwt-required-tenant", &["tenant"], json!({"scope": "read"})),
        required(
            "jwt-required-second-missing",
            &["scope", "tenant"],
            json!({"scope": "read"}),
        ),
        required("jwt-required-nbf", &["nbf"], json!({"scope": "read"})),
        required("jwt-required-nonce", &["nonce"], json!({"scope": "read"})),
        required("jwt-required-azp", &["azp"], json!({"scope": "read"})),
        jwt(
            "jwt-typ-jwt",
            "typ JWT, none required",
            hdr("typ", json!("JWT")),
            Expect::Accept,
            JWT_TYP,
        ),
        jwt(
            "jwt-typ-application-jwt",
            "typ application/jwt, none required",
            hdr("typ", json!("application/jwt")),
            Expect::Accept,
            JWT_TYP,
        ),
        jwt(
            "jwt-typ-other",
            "typ example+jwt, none required",
            hdr("typ", json!("example+jwt")),
            Expect::Accept,
            JWT_TYP,
        ),
        jwt(
            "jwt-typ-empty",
            "typ \"\", none required",
            hdr("typ", json!("")),
            Expect::Accept,
            JWT_TYP,
        )
        .acceptable(&[any_reject()]),
        jwt(
            "jwt-typ-number",
            "typ 1 (not a string), none required",
            hdr("typ", json!(1)),
            Expect::Accept,
            JWT_TYP,
        )
        .acceptable(&[any_reject()])
        .rationale(
            "RFC 7519 §5.1 says JWT implementations ignore typ, so a profile that requires none \
             passes any value; RFC 7515 §4.1.9 defines typ as a string, so a library that refuses \
             another type breaks no MUST either.",
        ),
        typ_required("jwt-typ-required-jwt", "JWT", Some("JWT"), Expect::Accept),
        typ_required(
            "jwt-typ-required-lowercase",
            "JWT",
            Some("jwt"),
            Expect::Accept,
        ),
        typ_required(
            "jwt-typ-required-application-jwt",
            "JWT",
            Some("application/jwt"),
            Expect::Accept,
        ),
        typ_required("jwt-typ-required-absent", "JWT", None, rej(TypMismatch)),
        typ_required(
            "jwt-typ-required-jwt-with-space",
            "JWT",
            Some("JWT "),
            rej(TypMismatch),
        ),
        jwt(
            "jwt-issuer-configured-matches",
            "issuer configured, iss equal",
            all_of([
                profile(|p| p.issuer = Some(forge::ISSUER.to_owned())),
                claim("iss", json!(forge::ISSUER)),
            ]),
            Expect::Accept,
            JWT_ISS,
        ),
        jwt(
            "jwt-issuer-configured-other",
            "issuer configured, iss names another issuer",
            all_of([
                profile(|p| p.issuer = Some(forge::ISSUER.to_owned())),
                claim("iss", json!("https://other.example")),
            ]),
            rej(IssMismatch),
            JWT_ISS,
        ),
        jwt(
            "jwt-issuer-configured-case",
            "issuer configured, iss differs in case",
            all_of([
                profile(|p| p.issuer = Some(forge::ISSUER.to_owned())),
                claim("iss", json!(forge::ISSUER.to_uppercase())),
            ]),
            rej(IssMismatch),
            &[
                "PROFILE-PRESET",
                "RFC7519-4.1.1-iss",
                "RFC7519-2-stringoruri",
            ],
        ),
        jwt(
            "jwt-iss-unconfigured",
            "iss present, no issuer configured: nothing to compare",
            claim("iss", json!("https://anyone.example")),
            Expect::Accept,
            &[
                "PROFILE-PRESET",
                "RFC7519-4.1.1-iss",
                "RFC7519-4.1-optional",
            ],
        ),
        jwt(
            "jwt-audience-configured-matches",
            "audience configured, aud names it",
            all_of([with_audience(), claim("aud", json!(forge::AUDIENCE))]),
            Expect::Accept,
            &["PROFILE-PRESET", "RFC7519-4.1.3-aud"],
        ),
        jwt(
            "jwt-audience-configured-missing",
            "audience configured, no aud claim",
            with_audience(),
            rej(AudMissing),
            &["PROFILE-PRESET", "RFC7519-4.1.3-aud"],
        ),
        Row::new(
            "jwt-audience-configured-other",
            "audience configured, aud names another audience only",
            all_of([
                with_audience(),
                claim("aud", json!("https://other.example")),
            ]),
            rej(AudMismatch),
            Must,
            &["RFC7519-4.1.3-aud", "PROFILE-PRESET"],
        ),
        Row::new(
            "jwt-audience-configured-other-array",
            "audience configured, aud an array of other audiences",
            all_of([
                with_audience(),
                claim(
                    "aud",
                    json!(["https://other.example", "https://third.example"]),
                ),
            ]),
            rej(AudMismatch),
            Must,
            &["RFC7519-4.1.3-aud", "PROFILE-PRESET"],
        ),
        jwt(
            "jwt-audience-configured-in-array",
            "audience configured, aud an array naming it and another",
            all_of([
                with_audience(),
                claim("aud", json!(["https://other.example", forge::AUDIENCE])),
            ]),
            Expect::Accept,
            &[
                "PROFILE-PRESET",
                "RFC7519-4.1.3-aud",
                "RFC7519-4.1.3-application",
            ],
        )
        .acceptable(&[any_reject()]),
        jwt(
            "jwt-exp-next-second",
            "a present exp one second after now",
            claim("exp", json!(forge::NOW + 1)),
            Expect::Accept,
            TIME,
        )
        .features(&[Feature::Clock]),
        jwt(
            "jwt-exp-now",
            "a present exp equal to now",
            claim("exp", json!(forge::NOW)),
            rej(Expired),
            TIME,
        )
        .features(&[Feature::Clock]),
        jwt(
            "jwt-exp-string",
            "a present exp as a string",
            claim("exp", json!(forge::FAR_FUTURE.to_string())),
            rej(InvalidNumericType),
            &[
                "PROFILE-PRESET",
                "RFC7519-4.1.4-exp",
                "RFC7519-2-numericdate",
            ],
        ),
        jwt(
            "jwt-nbf-now",
            "a present nbf equal to now",
            claim("nbf", json!(forge::NOW)),
            Expect::Accept,
            &["PROFILE-PRESET", "RFC7519-4.1.5-nbf"],
        )
        .features(&[Feature::Clock]),
        jwt(
            "jwt-iat-an-hour-ahead",
            "a present iat an hour after now",
            claim("iat", json!(forge::NOW + 3600)),
            rej(IatFuture),
            &["PROFILE-PRESET", "RFC7519-4.1.6-iat"],
        )
        .acceptable(&[accept()])
        .features(&[Feature::Clock]),
        jwt(
            "jwt-exp-and-nbf-valid",
            "exp in the future and nbf in the past, both present",
            all_of([
                claim("exp", json!(forge::NOW + 60)),
                claim("nbf", json!(forge::NOW - 60)),
            ]),
            Expect::Accept,
            &["PROFILE-PRESET", "RFC7519-4.1.4-exp", "RFC7519-4.1.5-nbf"],
        )
        .features(&[Feature::Clock]),
        jwt(
            "jwt-no-kid",
            "a JWT without kid under jwt: the set's one key for its alg verifies it",
            no_hdr("kid"),
            Expect::Accept,
            &["PROFILE-PRESET", "RFC7515-4.1.4-kid", "RFC7515-6-key-id"],
        )
        .acceptable(&[reject_for(KidUnknown)]),
        jwt(
            "jwt-kid-number",
            "a JWT whose kid is the number 1 under jwt: a kid that is not a string selects no key, \
             not the set's one key",
            hdr("kid", json!(1)),
            rej(KidUnknown),
            &["PROFILE-PRESET", "RFC7515-4.1.4-kid", "M12"],
        )
        .acceptable(&[reject_for(Reason::HeaderUnparseable)]),
        jwt(
            "jwt-no-kid-two-keys",
            "a JWT without kid under jwt, two P-256 keys in the set: which one is not said",
            all_of([
                no_hdr("kid"),
                Mutation::Jwks(forge::jwks(&[
                    (forge::KID, &forge::key(forge::KID)),
                    ("secondary", &forge::key("secondary")),
                ])),
            ]),
            rej(KidAmbiguous),
            &["PROFILE-PRESET", "RFC7515-4.1.4-kid", "RFC7515-6-key-id"],
        )
        .acceptable(&[accept(), reject_for(KidUnknown)])
        .rationale(
            "RFC 7515 §4.1.4 makes kid OPTIONAL and §6 lets the recipient identify the key by \
             other means, so a JWT library that tries each key it was given breaks no MUST.",
        ),
    ]
}

/// The `oidc-id-token` rows over an ID token.
pub fn oidc_family() -> Family {
    let mut rows = oidc_rows();
    rows.extend(oidc_alg_rows());
    Family::table("presets", rows).base(id_token)
}

/// The `jwt` rows over a plain JWT.
pub fn jwt_family() -> Family {
    let mut rows = jwt_rows();
    rows.extend(jwt_alg_rows());
    Family::table("presets", rows).base(plain_jwt)
}
