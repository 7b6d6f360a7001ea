//! The accept path per algorithm (the `accept-alg` group): every JWS algorithm of
//! [`verifier::Algorithm::ALL`], each with one key of its kind from `forge`, and two tokens under
//! each: the typical RFC 9068 access token and a typical OpenID Connect ID token
//! ([`TokenKind`]). Verified by the reference on each backend, by the peers that support the
//! algorithm, and by each backend's raw primitive (the floors). The ES256 accept path with its
//! rounds is the [`crate::ACCEPT`] group.
//!
//! Every contender is configured as in the ES256 benches (pinned issuer and audience, zero
//! leeway, the one algorithm of the token), except for the algorithm, its key and, for the ID
//! token, the OIDC checks each API offers.

use base64::Engine;
use forge::{Alg, AnyKey, Token};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::{Digest, Sha256, Sha384, Sha512};
use verifier::{Algorithm, Backend};

use crate::{
    Contender, JSONWEBTOKEN, JWT_SIMPLE, JsonWebToken, Lanes, MAX_TOKEN_BYTES, REFERENCE,
    RUSTCRYPTO_FLOOR, Reference, Setup, alg_floor_of, split_signed, typical_claims,
};

/// Criterion group of the accept path per algorithm (parameters `<alg>` and `<alg>-id-token`).
pub const ACCEPT_ALG: &str = "accept-alg";
/// The algorithms of the group, in report order: all of them.
pub const ALGORITHMS: [Alg; 13] = Alg::ALL;
/// Rounds of separate timings per algorithm: one, of the floors only, on the access token. The
/// verifiers' figures are their paired overheads over their floors, which drift cannot skew;
/// the floors' own times give the ratios to the floor. Keeps 13 algorithms × 2 tokens within
/// the run's budget.
pub const ALG_ROUNDS: usize = 1;

/// The OIDC client the ID token is issued to (its `aud` and `azp`).
pub const CLIENT_ID: &str = forge::ID_TOKEN_CLIENT;
/// The `nonce` of the authentication request the ID token answers.
pub const NONCE: &str = forge::ID_TOKEN_NONCE;

/// The two tokens measured under each algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// The typical RFC 9068 access token (`typ` `at+jwt`), the default preset.
    Access,
    /// A typical OpenID Connect ID token under `Preset::OidcIdToken` (`client_id`, `nonce`).
    IdToken,
}

impl TokenKind {
    pub const ALL: [TokenKind; 2] = [TokenKind::Access, TokenKind::IdToken];

    /// The bench parameter of `alg` with this token: `RS256`, `RS256-id-token`.
    pub fn point(self, alg: &str) -> String {
        match self {
            TokenKind::Access => alg.to_owned(),
            TokenKind::IdToken => format!("{alg}-id-token"),
        }
    }

    /// How the report names it.
    pub fn describe(self) -> &'static str {
        match self {
            TokenKind::Access => "access token",
            TokenKind::IdToken => "ID token",
        }
    }
}

/// The claims of a typical OpenID Connect ID token (`forge::typical_id_token_claims`).
pub fn id_token_claims() -> Value {
    forge::typical_id_token_claims()
}

/// The typical setup (issuer, audience, `kid`) with a key of `alg`'s kind: `forge`'s stored
/// 2048-bit RSA key, its P-256, P-384, P-521 or Ed25519 key of the `kid`, or an HMAC secret as
/// long as the hash.
#[derive(Clone, Debug)]
pub struct AlgSetup {
    pub alg: Alg,
    pub setup: Setup,
    pub kind: TokenKind,
}

impl AlgSetup {
    /// The access-token setup of `alg`.
    pub fn new(alg: Alg) -> AlgSetup {
        AlgSetup::of(alg, TokenKind::Access)
    }

    pub fn of(alg: Alg, kind: TokenKind) -> AlgSetup {
        AlgSetup {
            alg,
            setup: Setup::typical(),
            kind,
        }
    }

    /// The verifier's name for the algorithm.
    pub fn algorithm(&self) -> Algorithm {
        Algorithm::from_name(self.alg.name()).expect("forge and the verifier share the names")
    }

    /// The signing key (for HS*, the secret itself).
    pub fn key(&self) -> AnyKey {
        AnyKey::for_alg(self.alg, &self.setup.kid)
    }

    /// The key set: the one key, with `alg` set.
    pub fn jwks(&self) -> Value {
        forge::jwks_of(&[(&self.setup.kid, &self.key(), self.alg)])
    }

    /// The access token's header carries `typ` `at+jwt`; the ID token's none (OIDC defines none).
    pub fn header(&self) -> Value {
        match self.kind {
            TokenKind::Access => {
                json!({"alg": self.alg.name(), "typ": "at+jwt", "kid": self.setup.kid})
            }
            TokenKind::IdToken => json!({"alg": self.alg.name(), "kid": self.setup.kid}),
        }
    }

    /// The claims of the token kind.
    pub fn claims(&self) -> Value {
        match self.kind {
            TokenKind::Access => typical_claims(),
            TokenKind::IdToken => id_token_claims(),
        }
    }

    /// The claims signed under this algorithm.
    pub fn token(&self) -> String {
        Token::new(&self.header(), &self.claims()).sign_with(self.alg, &self.key())
    }

    /// The timeless bench profile allowing this algorithm only: the default preset for the
    /// access token; `oidc-id-token` with the issuer, `client_id`, `nonce` (and `typ` null, the
    /// preset's) for the ID token.
    pub fn profile_json(&self) -> Value {
        let mut profile = match self.kind {
            TokenKind::Access => self.setup.profile_json(),
            TokenKind::IdToken => json!({
                "preset": "oidc-id-token",
                "issuer": self.setup.issuer,
                "client_id": CLIENT_ID,
                "nonce": NONCE,
                "max_lifetime_secs": null,
            }),
        };
        profile["algorithms"] = json!([self.alg.name()]);
        profile
    }

    /// The reference verifier on `backend`.
    pub fn reference_on(&self, backend: Backend) -> Reference {
        Reference::new(
            &self.profile_json(),
            &self.jwks(),
            &[self.algorithm()],
            backend,
        )
    }

    /// The public key in the form the raw primitives of `ring` and `aws-lc-rs` take: the
    /// PKCS#1 `RSAPublicKey` DER, the uncompressed SEC1 point, the Ed25519 key; for HS* the
    /// secret.
    pub fn primitive_key(&self) -> Vec<u8> {
        use rsa::pkcs1::EncodeRsaPublicKey;
        match self.key() {
            AnyKey::Rsa(k) => k
                .public()
                .to_pkcs1_der()
                .expect("PKCS#1 encoding")
                .as_bytes()
                .to_vec(),
            AnyKey::P256(k) => k.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
            AnyKey::P384(k) => k.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
            AnyKey::P521(k) => k.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
            AnyKey::Ed25519(k) => k.verifying_key().to_bytes().to_vec(),
            AnyKey::Oct(secret) => secret,
        }
    }

    /// `jsonwebtoken`'s name for the algorithm; `None` for ES512, which it lacks.
    fn jsonwebtoken_alg(&self) -> Option<jsonwebtoken::Algorithm> {
        self.alg.name().parse().ok()
    }

    /// `jsonwebtoken` on `rust_crypto` (`aws_lc: false`) or `aws_lc_rs`, where it has the
    /// algorithm.
    pub fn jsonwebtoken(&self, aws_lc: bool) -> Option<JsonWebToken> {
        let alg = self.jsonwebtoken_alg()?;
        Some(match self.kind {
            TokenKind::Access => JsonWebToken::for_keys(&self.setup, &self.jwks(), alg, aws_lc),
            TokenKind::IdToken => {
                JsonWebToken::for_id_tokens(&self.setup, &self.jwks(), alg, aws_lc)
            }
        })
    }

    /// `jwt-simple` with this setup's one key pinned, where it has the algorithm.
    pub fn jwt_simple(&self) -> Option<JwtSimpleAlg> {
        JwtSimpleAlg::new(self)
    }

    /// The floor a contender is paired with under this algorithm: [`alg_floor_of`], but the
    /// reference on `ring` runs ES512 on `p521` (`ring` has no P-521), so its floor is then the
    /// RustCrypto one.
    pub fn floor_of(&self, name: &'static str) -> &'static str {
        alg_floor_for(self.alg.name(), name)
    }
}

/// [`AlgSetup::floor_of`] by algorithm name, for the report.
pub fn alg_floor_for(alg: &str, name: &str) -> &'static str {
    match alg_floor_of(name) {
        crate::RING_FLOOR if alg == "ES512" => RUSTCRYPTO_FLOOR,
        floor => floor,
    }
}

/// The RustCrypto primitive of the algorithm over the token's signing input, with the key and
/// signature parsed once: the crates of the reference's default backend (`p256`, `p384`,
/// `p521`'s `verify`; `rsa`'s `PublicKey::verify` over the hash with PKCS#1 v1.5 or PSS;
/// `ed25519-dalek`'s `verify`; `hmac`'s constant-time `verify_slice` on a keyed state cloned per
/// call).
///
/// For EdDSA the floor is `verify`, not `verify_strict`: the strict checks (R decompressed and
/// of large order, the key of large order) are work a verifier chooses to add, as the reference
/// does and `jsonwebtoken` does not; a `verify_strict` floor hid that work in the floor and made
/// the reference's overhead look like `jsonwebtoken`'s, whose own extra work is decompressing
/// the key on every call.
pub struct RustCryptoFloor {
    check: Box<dyn Fn() -> bool>,
}

/// `rsa`'s verification of `$scheme` over the `$hash` of the input.
macro_rules! rsa_floor {
    ($key:expr, $input:expr, $signature:expr, $hash:ty, $scheme:expr) => {{
        let (key, input, signature) = ($key, $input, $signature);
        Box::new(move || {
            let hash = <$hash>::digest(&input);
            key.verify($scheme, &hash, &signature).is_ok()
        })
    }};
}

/// `hmac`'s verification with `$hash`, the keyed state built once.
macro_rules! hmac_floor {
    ($secret:expr, $input:expr, $signature:expr, $hash:ty) => {{
        let mac = <Hmac<$hash> as KeyInit>::new_from_slice(&$secret).expect("any length");
        let (input, signature) = ($input, $signature);
        Box::new(move || {
            mac.clone()
                .chain_update(&input)
                .verify_slice(&signature)
                .is_ok()
        })
    }};
}

impl RustCryptoFloor {
    pub fn new(s: &AlgSetup, token: &str) -> RustCryptoFloor {
        use p256::ecdsa::signature::Verifier as _;
        use rsa::{Pkcs1v15Sign, Pss};
        let (input, signature) = split_signed(token);
        let check: Box<dyn Fn() -> bool> = match (s.alg, s.key()) {
            (Alg::RS256, AnyKey::Rsa(k)) => rsa_floor!(
                k.public(),
                input,
                signature,
                Sha256,
                Pkcs1v15Sign::new::<Sha256>()
            ),
            (Alg::RS384, AnyKey::Rsa(k)) => rsa_floor!(
                k.public(),
                input,
                signature,
                Sha384,
                Pkcs1v15Sign::new::<Sha384>()
            ),
            (Alg::RS512, AnyKey::Rsa(k)) => rsa_floor!(
                k.public(),
                input,
                signature,
                Sha512,
                Pkcs1v15Sign::new::<Sha512>()
            ),
            (Alg::PS256, AnyKey::Rsa(k)) => {
                rsa_floor!(k.public(), input, signature, Sha256, Pss::<Sha256>::new())
            }
            (Alg::PS384, AnyKey::Rsa(k)) => {
                rsa_floor!(k.public(), input, signature, Sha384, Pss::<Sha384>::new())
            }
            (Alg::PS512, AnyKey::Rsa(k)) => {
                rsa_floor!(k.public(), input, signature, Sha512, Pss::<Sha512>::new())
            }
            (Alg::EdDSA, AnyKey::Ed25519(k)) => {
                let key = k.verifying_key();
                let sig = ed25519_dalek::Signature::from_slice(&signature).expect("64 bytes");
                Box::new(move || key.verify(&input, &sig).is_ok())
            }
            (Alg::ES256, AnyKey::P256(k)) => {
                let key = *k.verifying_key();
                let sig = p256::ecdsa::Signature::from_slice(&signature).expect("64 bytes");
                Box::new(move || key.verify(&input, &sig).is_ok())
            }
            (Alg::ES384, AnyKey::P384(k)) => {
                let key = *k.verifying_key();
                let sig = p384::ecdsa::Signature::from_slice(&signature).expect("96 bytes");
                Box::new(move || key.verify(&input, &sig).is_ok())
            }
            (Alg::ES512, AnyKey::P521(k)) => {
                let key = *k.verifying_key();
                let sig = p521::ecdsa::Signature::from_slice(&signature).expect("132 bytes");
                Box::new(move || key.verify(&input, &sig).is_ok())
            }
            (Alg::HS256, AnyKey::Oct(secret)) => hmac_floor!(secret, input, signature, Sha256),
            (Alg::HS384, AnyKey::Oct(secret)) => hmac_floor!(secret, input, signature, Sha384),
            (Alg::HS512, AnyKey::Oct(secret)) => hmac_floor!(secret, input, signature, Sha512),
            (alg, key) => panic!("no RustCrypto floor for {alg} with {key:?}"),
        };
        RustCryptoFloor { check }
    }

    /// True when the signature verifies.
    pub fn verify(&self) -> bool {
        (self.check)()
    }
}

/// The custom claims of an ID token a `jwt-simple` user would declare next to its standard
/// ones (`nonce` is one of those).
#[derive(Debug, serde::Deserialize, serde::Serialize)]
pub struct JwtSimpleIdExtra {
    pub auth_time: i64,
    pub azp: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub email_verified: Option<bool>,
}

/// A key of `jwt-simple` verifying a token under some options.
type JwtSimpleCheck = Box<dyn Fn(&str, jwt_simple::prelude::VerificationOptions) -> bool>;

/// `jwt-simple` 0.15 (`pure-rust`) for one algorithm: the key type of the algorithm, its `kid`
/// pinned, and the options of [`crate::JwtSimple`] (issuer, audience, `typ`, `kid`, zero
/// tolerance, the 8192-byte cap); for the ID token no `typ`, the client as audience and
/// `required_nonce`. It has no ES512.
pub struct JwtSimpleAlg {
    verify: JwtSimpleCheck,
    options: jwt_simple::prelude::VerificationOptions,
}

impl JwtSimpleAlg {
    fn new(s: &AlgSetup) -> Option<JwtSimpleAlg> {
        use jwt_simple::prelude::*;
        let kid = &s.setup.kid;
        let id_token = s.kind == TokenKind::IdToken;
        // One closure per key type and claims type: the API is generic over both.
        macro_rules! boxed {
            ($key:expr) => {{
                let key = $key.with_key_id(kid);
                if id_token {
                    Box::new(move |t: &str, o| {
                        key.verify_token::<JwtSimpleIdExtra>(t, Some(o)).is_ok()
                    }) as JwtSimpleCheck
                } else {
                    Box::new(move |t: &str, o| {
                        key.verify_token::<crate::JwtSimpleExtra>(t, Some(o))
                            .is_ok()
                    })
                }
            }};
        }
        let rsa = |k: &forge::RsaKey| (k.n(), k.e());
        let verify = match (s.alg, s.key()) {
            (Alg::RS256, AnyKey::Rsa(k)) => {
                let (n, e) = rsa(k);
                boxed!(RS256PublicKey::from_components(&n, &e).ok()?)
            }
            (Alg::RS384, AnyKey::Rsa(k)) => {
                let (n, e) = rsa(k);
                boxed!(RS384PublicKey::from_components(&n, &e).ok()?)
            }
            (Alg::RS512, AnyKey::Rsa(k)) => {
                let (n, e) = rsa(k);
                boxed!(RS512PublicKey::from_components(&n, &e).ok()?)
            }
            (Alg::PS256, AnyKey::Rsa(k)) => {
                let (n, e) = rsa(k);
                boxed!(PS256PublicKey::from_components(&n, &e).ok()?)
            }
            (Alg::PS384, AnyKey::Rsa(k)) => {
                let (n, e) = rsa(k);
                boxed!(PS384PublicKey::from_components(&n, &e).ok()?)
            }
            (Alg::PS512, AnyKey::Rsa(k)) => {
                let (n, e) = rsa(k);
                boxed!(PS512PublicKey::from_components(&n, &e).ok()?)
            }
            (Alg::EdDSA, AnyKey::Ed25519(k)) => {
                boxed!(Ed25519PublicKey::from_bytes(&k.verifying_key().to_bytes()).ok()?)
            }
            (Alg::ES256, AnyKey::P256(_)) => {
                boxed!(ES256PublicKey::from_bytes(&s.primitive_key()).ok()?)
            }
            (Alg::ES384, AnyKey::P384(_)) => {
                boxed!(ES384PublicKey::from_bytes(&s.primitive_key()).ok()?)
            }
            (Alg::HS256, AnyKey::Oct(secret)) => boxed!(HS256Key::from_bytes(&secret)),
            (Alg::HS384, AnyKey::Oct(secret)) => boxed!(HS384Key::from_bytes(&secret)),
            (Alg::HS512, AnyKey::Oct(secret)) => boxed!(HS512Key::from_bytes(&secret)),
            _ => return None,
        };
        let mut options = VerificationOptions {
            allowed_issuers: Some(HashSet::from_strings(&[&s.setup.issuer])),
            allowed_audiences: Some(HashSet::from_strings(&[&s.setup.audience])),
            required_signature_type: Some("at+jwt".to_owned()),
            required_key_id: Some(kid.clone()),
            time_tolerance: Some(Duration::from_secs(0)),
            max_token_length: Some(MAX_TOKEN_BYTES),
            ..VerificationOptions::default()
        };
        if id_token {
            options.allowed_audiences = Some(HashSet::from_strings(&[CLIENT_ID]));
            options.required_signature_type = None;
            options.required_nonce = Some(NONCE.to_owned());
        }
        Some(JwtSimpleAlg { verify, options })
    }

    /// True when `token` is accepted.
    pub fn verify(&self, token: &str) -> bool {
        (self.verify)(token, self.options.clone())
    }
}

/// The contenders of `lanes` for `token` under `s`: the floors, the reference on each backend,
/// then the peers that have the algorithm; each paired with its lane's floor
/// ([`AlgSetup::floor_of`]).
pub fn alg_contenders(s: &AlgSetup, token: &str, lanes: Lanes) -> Vec<Contender> {
    let contender =
        |name, run: Box<dyn Fn(&str) -> bool>| Contender::with_floor(name, s.floor_of(name), run);
    let reference = |name, backend| {
        let reference = s.reference_on(backend);
        contender(
            name,
            Box::new(move |t| reference.verify(t.as_bytes()).is_ok()),
        )
    };
    let jsonwebtoken = |name, aws_lc| {
        s.jsonwebtoken(aws_lc)
            .map(|jsonwebtoken| contender(name, Box::new(move |t| jsonwebtoken.verify_any(t))))
    };
    let floor = RustCryptoFloor::new(s, token);
    #[cfg_attr(not(feature = "fast"), allow(unused_mut))]
    let mut all = vec![
        contender(RUSTCRYPTO_FLOOR, Box::new(move |_| floor.verify())),
        reference(REFERENCE, Backend::P256),
    ];
    all.extend(jsonwebtoken(JSONWEBTOKEN, false));
    all.extend(
        s.jwt_simple()
            .map(|jwt_simple| contender(JWT_SIMPLE, Box::new(move |t| jwt_simple.verify(t)))),
    );
    #[cfg(feature = "fast")]
    if lanes == Lanes::All {
        use crate::{
            AWS_LC_FLOOR, JOSEKIT, JSONWEBTOKEN_AWS_LC, REFERENCE_AWS_LC, REFERENCE_RING,
            RING_FLOOR, fast,
        };
        let aws_lc_floor = fast::AlgFloor::aws_lc(s, token).expect("aws-lc-rs has every algorithm");
        let mut floors = vec![contender(
            AWS_LC_FLOOR,
            Box::new(move |_| aws_lc_floor.verify()),
        )];
        if let Some(ring_floor) = fast::AlgFloor::ring(s, token) {
            floors.push(contender(
                RING_FLOOR,
                Box::new(move |_| ring_floor.verify()),
            ));
        }
        all.splice(1..1, floors);
        let josekit = fast::JoseKit::for_alg_setup(s);
        all.extend([
            reference(REFERENCE_AWS_LC, Backend::AwsLcRs),
            reference(REFERENCE_RING, Backend::Ring),
        ]);
        all.extend(jsonwebtoken(JSONWEBTOKEN_AWS_LC, true));
        all.push(contender(JOSEKIT, Box::new(move |t| josekit.verify(t))));
    }
    #[cfg(not(feature = "fast"))]
    let _ = lanes;
    all
}

/// The token with its signature's middle byte flipped: every contender must refuse it.
pub fn tampered(token: &str) -> String {
    let (input, mut signature) = split_signed(token);
    let middle = signature.len() / 2;
    signature[middle] ^= 1;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}",
        String::from_utf8(input).expect("ASCII"),
        engine.encode(signature)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The contenders of an algorithm: `jsonwebtoken` (both providers) and `jwt-simple` have
    /// no ES512, nor `ring` a P-521 floor.
    fn expected(alg: Alg) -> usize {
        let es512 = usize::from(alg == Alg::ES512);
        if crate::FAST {
            10 - 4 * es512
        } else {
            4 - 2 * es512
        }
    }

    #[test]
    fn every_contender_accepts_each_token_of_each_algorithm_and_refuses_a_tampered_one() {
        for alg in ALGORITHMS {
            for kind in TokenKind::ALL {
                let s = AlgSetup::of(alg, kind);
                let token = s.token();
                let contenders = alg_contenders(&s, &token, Lanes::All);
                assert_eq!(contenders.len(), expected(alg), "{alg} {kind:?}");
                crate::assert_all_accept(&contenders, &token);
                let bad = tampered(&token);
                for c in contenders.iter().filter(|c| !c.is_floor()) {
                    assert!(!c.run(&bad), "{} accepts a tampered {alg} {kind:?}", c.name);
                }
                for c in &contenders {
                    assert!(contenders.iter().any(|f| f.name == c.floor), "{}", c.floor);
                }
            }
        }
    }

    /// Every contender checks the ID token's audience, and those that can its nonce.
    #[test]
    fn id_token_checks_hold() {
        let s = AlgSetup::of(Alg::HS256, TokenKind::IdToken);
        let contenders = alg_contenders(&s, &s.token(), Lanes::All);
        let mut claims = id_token_claims();
        claims["nonce"] = json!("another-nonce");
        let wrong_nonce = Token::new(&s.header(), &claims).sign_with(s.alg, &s.key());
        let mut claims = id_token_claims();
        claims["aud"] = json!("another-client");
        let wrong_aud = Token::new(&s.header(), &claims).sign_with(s.alg, &s.key());
        for c in contenders.iter().filter(|c| !c.is_floor()) {
            assert!(!c.run(&wrong_aud), "{} accepts another audience", c.name);
            assert!(!c.run(&wrong_nonce), "{} accepts another nonce", c.name);
        }
    }

    #[test]
    fn the_id_token_payload_is_typical() {
        let len = id_token_claims().to_string().len();
        assert!((350..=450).contains(&len), "{len}");
    }

    #[test]
    fn the_floors_check_the_signature() {
        for alg in ALGORITHMS {
            let s = AlgSetup::new(alg);
            let bad = tampered(&s.token());
            assert!(!RustCryptoFloor::new(&s, &bad).verify(), "{alg}");
            #[cfg(feature = "fast")]
            {
                let aws_lc = crate::fast::AlgFloor::aws_lc(&s, &bad).expect("every algorithm");
                assert!(!aws_lc.verify(), "{alg}");
                if let Some(ring) = crate::fast::AlgFloor::ring(&s, &bad) {
                    assert!(!ring.verify(), "{alg}");
                }
            }
        }
    }
}
