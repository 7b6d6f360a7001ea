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

use corpus::vector::Severity::Profile;
use forge::alg::{Alg, AnyKey, RsaId};
use serde_json::{Value, json};
use verifier::Reason;
use verifier::Reason::{
    AudMismatch, AudUntrusted, AzpMismatch, ClaimMissing, ExpMissing, Expired, IatMissing,
    IssMismatch, KidAmbiguous, KidUnknown, NonceMismatch, NotYetValid, SubMissing, TypMismatch,
};

use super::algorithms::{Entry, World, bare, entry};
use super::{Draft, Expect, Family, rej};
use crate::generate::{Mutation, Row, Signer, all_of, claim, custom, hdr, no_claim, no_hdr};

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
/// nothing else configured.
fn plain_jwt() -> Draft {
    Draft {
        profile: serde_json::from_value(json!({"preset": "jwt", "algorithms": ["ES256"]}))
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
        ),
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
        ),
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
        missing("sub", SubMissing),
        missing("exp", ExpMissing),
        missing("iat", IatMissing),
        no_kid(
            "oidc-no-kid-one-key",
            "no kid, one RSA key in the set",
            rs256(),
            &[Alg::RS256],
            vec![entry(rsa(RsaId::Rsa2048), Alg::RS256)],
            Expect::Accept,
        ),
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
        ),
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
    ]
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
        ),
        jwt(
            "jwt-not-yet-valid",
            "a present nbf is enforced under jwt",
            claim("nbf", json!(forge::NOW + 3600)),
            rej(NotYetValid),
            &["PROFILE-PRESET", "RFC7519-4.1.5-nbf"],
        ),
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
            "jwt-no-kid",
            "a JWT without kid under jwt: keys are still selected by kid only",
            no_hdr("kid"),
            rej(KidUnknown),
            &["PROFILE-PRESET", "RFC7515-4.1.4-kid"],
        ),
    ]
}

/// The `oidc-id-token` rows over an ID token.
pub fn oidc_family() -> Family {
    Family::table("presets", oidc_rows()).base(id_token)
}

/// The `jwt` rows over a plain JWT.
pub fn jwt_family() -> Family {
    Family::table("presets", jwt_rows()).base(plain_jwt)
}
