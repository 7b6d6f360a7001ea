//! forge's keys and signatures for every algorithm: deterministic, pinned, and accepted by
//! verifiers that share no code with the project's (RustCrypto's own and ring).

use forge::alg::{ed25519_dalek, p384, p521, rsa};
use forge::{Alg, AnyKey, RsaId, Token, b64, sign};
use ring::signature as rs;
use rsa::signature::Verifier;
use rsa::traits::PublicKeyParts;
use rstest::rstest;
use serde_json::json;
use sha2::{Digest, Sha256, Sha384, Sha512};

const INPUT: &[u8] = b"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJmb3JnZSJ9";

fn key(alg: Alg, rsa: RsaId) -> AnyKey {
    match alg {
        Alg::RS256 | Alg::RS384 | Alg::RS512 | Alg::PS256 | Alg::PS384 | Alg::PS512 => {
            AnyKey::Rsa(rsa.key())
        }
        _ => AnyKey::for_alg(alg, "test"),
    }
}

/// RustCrypto's verifier for the pair (the rsa crate's own, p384, p521, ed25519-dalek in strict
/// mode, HMAC recomputed through the hmac crate's constant-time check).
fn rustcrypto_verifies(alg: Alg, key: &AnyKey, msg: &[u8], sig: &[u8]) -> bool {
    match (alg, key) {
        (Alg::ES256, AnyKey::P256(k)) => p256::ecdsa::Signature::from_slice(sig)
            .is_ok_and(|s| k.verifying_key().verify(msg, &s).is_ok()),
        (Alg::ES384, AnyKey::P384(k)) => p384::ecdsa::Signature::from_slice(sig)
            .is_ok_and(|s| k.verifying_key().verify(msg, &s).is_ok()),
        (Alg::ES512, AnyKey::P521(k)) => p521::ecdsa::Signature::from_slice(sig)
            .is_ok_and(|s| k.verifying_key().verify(msg, &s).is_ok()),
        (Alg::EdDSA, AnyKey::Ed25519(k)) => ed25519_dalek::Signature::from_slice(sig)
            .is_ok_and(|s| k.verifying_key().verify_strict(msg, &s).is_ok()),
        (Alg::RS256 | Alg::RS384 | Alg::RS512, AnyKey::Rsa(k)) => {
            use rsa::pkcs1v15::{Signature, VerifyingKey};
            let Ok(s) = Signature::try_from(sig) else {
                return false;
            };
            match alg {
                Alg::RS384 => VerifyingKey::<Sha384>::new(k.public()).verify(msg, &s),
                Alg::RS512 => VerifyingKey::<Sha512>::new(k.public()).verify(msg, &s),
                _ => VerifyingKey::<Sha256>::new(k.public()).verify(msg, &s),
            }
            .is_ok()
        }
        (Alg::PS256 | Alg::PS384 | Alg::PS512, AnyKey::Rsa(k)) => {
            use rsa::pss::{Signature, VerifyingKey};
            let Ok(s) = Signature::try_from(sig) else {
                return false;
            };
            match alg {
                Alg::PS384 => VerifyingKey::<Sha384>::new(k.public()).verify(msg, &s),
                Alg::PS512 => VerifyingKey::<Sha512>::new(k.public()).verify(msg, &s),
                _ => VerifyingKey::<Sha256>::new(k.public()).verify(msg, &s),
            }
            .is_ok()
        }
        (Alg::HS256 | Alg::HS384 | Alg::HS512, AnyKey::Oct(secret)) => {
            use hmac::{Hmac, KeyInit, Mac};
            fn check<M: Mac + KeyInit>(secret: &[u8], msg: &[u8], sig: &[u8]) -> bool {
                let mut mac = <M as KeyInit>::new_from_slice(secret).expect("any length");
                mac.update(msg);
                mac.verify_slice(sig).is_ok()
            }
            match alg {
                Alg::HS384 => check::<Hmac<Sha384>>(secret, msg, sig),
                Alg::HS512 => check::<Hmac<Sha512>>(secret, msg, sig),
                _ => check::<Hmac<Sha256>>(secret, msg, sig),
            }
        }
        _ => panic!("no verifier for {alg} with {key:?}"),
    }
}

/// ring's verdict, or `None` where ring has no such algorithm (P-521; PSS and RS384 under a
/// 1024-bit modulus).
fn ring_verifies(alg: Alg, key: &AnyKey, msg: &[u8], sig: &[u8]) -> Option<bool> {
    if let AnyKey::Rsa(k) = key {
        let weak = k.bits() < 2048;
        let params: &rs::RsaParameters = match alg {
            Alg::RS256 if weak => &rs::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
            Alg::RS512 if weak => &rs::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
            _ if weak => return None,
            Alg::RS256 => &rs::RSA_PKCS1_2048_8192_SHA256,
            Alg::RS384 => &rs::RSA_PKCS1_2048_8192_SHA384,
            Alg::RS512 => &rs::RSA_PKCS1_2048_8192_SHA512,
            Alg::PS256 => &rs::RSA_PSS_2048_8192_SHA256,
            Alg::PS384 => &rs::RSA_PSS_2048_8192_SHA384,
            Alg::PS512 => &rs::RSA_PSS_2048_8192_SHA512,
            _ => return None,
        };
        let public = rs::RsaPublicKeyComponents { n: k.n(), e: k.e() };
        return Some(public.verify(params, msg, sig).is_ok());
    }
    if let AnyKey::Oct(secret) = key {
        let hmac = match alg {
            Alg::HS384 => ring::hmac::HMAC_SHA384,
            Alg::HS512 => ring::hmac::HMAC_SHA512,
            _ => ring::hmac::HMAC_SHA256,
        };
        let k = ring::hmac::Key::new(hmac, secret);
        return Some(ring::hmac::verify(&k, msg, sig).is_ok());
    }
    let params: &dyn rs::VerificationAlgorithm = match alg {
        Alg::ES256 => &rs::ECDSA_P256_SHA256_FIXED,
        Alg::ES384 => &rs::ECDSA_P384_SHA384_FIXED,
        Alg::EdDSA => &rs::ED25519,
        _ => return None,
    };
    let der = key.public_der()?;
    let raw = raw_public(key, &der);
    Some(
        rs::UnparsedPublicKey::new(params, raw)
            .verify(msg, sig)
            .is_ok(),
    )
}

/// The raw public key ring takes: the SEC1 point or the Ed25519 key, i.e. the SPKI's
/// BIT STRING contents.
fn raw_public(key: &AnyKey, der: &[u8]) -> Vec<u8> {
    let len = match key {
        AnyKey::P256(_) => 65,
        AnyKey::P384(_) => 97,
        AnyKey::P521(_) => 133,
        _ => 32,
    };
    der[der.len() - len..].to_vec()
}

#[rstest]
#[case::es256(Alg::ES256, RsaId::Rsa2048)]
#[case::es384(Alg::ES384, RsaId::Rsa2048)]
#[case::es512(Alg::ES512, RsaId::Rsa2048)]
#[case::rs256(Alg::RS256, RsaId::Rsa2048)]
#[case::rs384(Alg::RS384, RsaId::Rsa3072)]
#[case::rs512(Alg::RS512, RsaId::Rsa4096)]
#[case::rs256_weak(Alg::RS256, RsaId::Weak1024)]
#[case::rs256_e3(Alg::RS256, RsaId::E3)]
#[case::ps256(Alg::PS256, RsaId::Rsa2048)]
#[case::ps384(Alg::PS384, RsaId::Rsa3072)]
#[case::ps512(Alg::PS512, RsaId::Rsa4096)]
#[case::ps256_weak(Alg::PS256, RsaId::Weak1024)]
#[case::ps512_e3(Alg::PS512, RsaId::E3)]
#[case::eddsa(Alg::EdDSA, RsaId::Rsa2048)]
#[case::hs256(Alg::HS256, RsaId::Rsa2048)]
#[case::hs384(Alg::HS384, RsaId::Rsa2048)]
#[case::hs512(Alg::HS512, RsaId::Rsa2048)]
fn signatures_are_deterministic_and_verify_independently(#[case] alg: Alg, #[case] rsa: RsaId) {
    let key = key(alg, rsa);
    let sig = sign(alg, &key, INPUT);
    assert_eq!(
        sign(alg, &key, INPUT),
        sig,
        "{alg}: a second signing differs"
    );
    assert!(
        rustcrypto_verifies(alg, &key, INPUT, &sig),
        "{alg}: RustCrypto refuses"
    );
    assert_ne!(
        ring_verifies(alg, &key, INPUT, &sig),
        Some(false),
        "{alg}: ring refuses"
    );

    let mut bad = sig.clone();
    bad[sig.len() / 2] ^= 1;
    assert!(
        !rustcrypto_verifies(alg, &key, INPUT, &bad),
        "{alg}: tampered accepted"
    );
    assert_ne!(
        ring_verifies(alg, &key, INPUT, &bad),
        Some(true),
        "{alg}: tampered accepted"
    );
}

/// SHA-256 of one signature per algorithm. A change means every minted vector changes: it must
/// be deliberate (a crate upgrade that alters RFC 6979 nonces or the PSS salt draw, say).
#[rstest]
#[case::es256(
    Alg::ES256,
    "fa3435bf7d982639dcddf7a13d407985e47573e943453a2fcb83ac9b09df0f16"
)]
#[case::es384(
    Alg::ES384,
    "c5cd7269314d9caf74bf2d4139db07c0ae956a63a6d817de86945f95beb11b48"
)]
#[case::es512(
    Alg::ES512,
    "8a5cc37e89ff2073c9b5cc8ffad3cbb11dc7d84ee3a134f3da207ecdfec0d165"
)]
#[case::rs256(
    Alg::RS256,
    "cdafbda9114bd6ae5b0d035c170c5d0b2b1906dace3d4edad3fceae11cb73ff2"
)]
#[case::rs384(
    Alg::RS384,
    "d988dd3aa4e30ce414bc834fee117c47a0f9e6e577ea4904cae06775b19894ac"
)]
#[case::rs512(
    Alg::RS512,
    "ae0df353fd08d9aa85b90e2c63552a80915a81dc9c2ad63a77eedd7024d329c0"
)]
#[case::ps256(
    Alg::PS256,
    "164721228e032cc2a6b53b7c5e772b6f195d7db85e2ce20a24731b08ea9f284e"
)]
#[case::ps384(
    Alg::PS384,
    "6ef97343852e1e8972534eac66155d2f36405493bb044315170f6054e35168d8"
)]
#[case::ps512(
    Alg::PS512,
    "7a8ab0143962a9192973d5fc0d7c60aa903b0a4cedb35df7272ed88c9e9551eb"
)]
#[case::eddsa(
    Alg::EdDSA,
    "d48f464dd1490bf409cc025d3e3ebcf47f3562dcf249a6c7f78894bd99311b2b"
)]
#[case::hs256(
    Alg::HS256,
    "59820f5d93ebdb6c5a7079d14f6e28d2c2b0469f243b830c6ddc4d2af26c03d4"
)]
#[case::hs384(
    Alg::HS384,
    "304cfaf7fd5c40df280e593094d060f99f5652b46129a2db7a49918dee41daec"
)]
#[case::hs512(
    Alg::HS512,
    "82ce3335e6266c3d9a560e775649f080b5935073af98ba096d733e6d3abc3729"
)]
fn signatures_are_pinned(#[case] alg: Alg, #[case] sha256: &str) {
    let sig = sign(alg, &AnyKey::for_alg(alg, "pinned"), INPUT);
    assert_eq!(hex(&Sha256::digest(&sig)), sha256, "{alg}");
}

#[test]
fn pss_salt_depends_on_key_name_and_input() {
    let (a, b) = (RsaId::Rsa2048.key(), RsaId::E3.key());
    assert_eq!(a.bits(), b.bits());
    let other = b"eyJhbGciOiJQUzI1NiJ9.e30";
    let one = sign(Alg::PS256, &AnyKey::Rsa(a), INPUT);
    let two = sign(Alg::PS256, &AnyKey::Rsa(a), other);
    assert_ne!(one, two);
    assert!(rustcrypto_verifies(
        Alg::PS256,
        &AnyKey::Rsa(a),
        other,
        &two
    ));
}

#[rstest]
#[case(RsaId::Rsa2048, 2048, "AQAB")]
#[case(RsaId::Rsa3072, 3072, "AQAB")]
#[case(RsaId::Rsa4096, 4096, "AQAB")]
#[case(RsaId::Weak1024, 1024, "AQAB")]
#[case(RsaId::E3, 2048, "Aw")]
fn stored_rsa_keys_have_their_size_and_exponent(
    #[case] id: RsaId,
    #[case] bits: usize,
    #[case] e: &str,
) {
    let key = id.key();
    assert_eq!(key.bits(), bits);
    assert_eq!(key.n().len() * 8, bits, "n has no leading zero octet");
    let jwk = AnyKey::Rsa(key).public_jwk("k", Alg::RS256);
    assert_eq!(jwk["e"], e);
    assert_eq!(jwk["n"], b64(key.n()));
    assert_eq!(jwk["kty"], "RSA");
}

/// The private RSA JWK is a key: rebuilt from its members, it signs exactly as forge does.
#[test]
fn rsa_private_jwk_round_trips() {
    let key = RsaId::Rsa2048.key();
    let jwk = AnyKey::Rsa(key).private_jwk("k", Alg::RS256);
    let uint = |m: &str| {
        let bytes = base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            jwk[m].as_str().expect(m),
        )
        .expect(m);
        rsa::BoxedUint::from_be_slice_vartime(&bytes)
    };
    let rebuilt = rsa::PrivateKey::from_components(
        uint("n"),
        uint("e"),
        uint("d"),
        vec![uint("p"), uint("q")],
    )
    .expect("a consistent key");
    assert_eq!(rebuilt.n_bytes(), key.private().n_bytes());
    assert_eq!(
        uint("dp").to_be_bytes_trimmed_vartime(),
        rsa::traits::PrivateKeyParts::dp(key.private())
            .expect("precomputed")
            .to_be_bytes_trimmed_vartime()
    );
    let signature = rsa::pkcs1v15::SigningKey::<Sha256>::new(rebuilt);
    let rebuilt_sig: Box<[u8]> = rsa::signature::Signer::sign(&signature, INPUT).into();
    assert_eq!(
        rebuilt_sig.as_ref(),
        sign(Alg::RS256, &AnyKey::Rsa(key), INPUT)
    );
}

#[rstest]
#[case::p256(Alg::ES256, "EC", Some("P-256"), &["x", "y"], 32)]
#[case::p384(Alg::ES384, "EC", Some("P-384"), &["x", "y"], 48)]
#[case::p521(Alg::ES512, "EC", Some("P-521"), &["x", "y"], 66)]
#[case::ed25519(Alg::EdDSA, "OKP", Some("Ed25519"), &["x"], 32)]
#[case::oct(Alg::HS384, "oct", None, &["k"], 48)]
fn public_jwks_carry_their_members(
    #[case] alg: Alg,
    #[case] kty: &str,
    #[case] crv: Option<&str>,
    #[case] members: &[&str],
    #[case] len: usize,
) {
    let jwk = AnyKey::for_alg(alg, "jwk").public_jwk("kid-1", alg);
    assert_eq!(jwk["kty"], kty);
    assert_eq!(jwk["crv"].as_str(), crv);
    assert_eq!(
        (jwk["kid"].as_str(), jwk["use"].as_str()),
        (Some("kid-1"), Some("sig"))
    );
    assert_eq!(jwk["alg"], alg.name());
    for m in members {
        let text = jwk[*m].as_str().expect("member present");
        assert_eq!(text.len(), (len * 4).div_ceil(3), "{m} is {len} bytes");
    }
    assert!(jwk.get("d").is_none());
}

#[test]
fn p256_forms_are_the_existing_functions() {
    let key = forge::key(forge::KID);
    let any = AnyKey::P256(key.clone());
    assert_eq!(
        any.public_jwk(forge::KID, Alg::ES256),
        forge::public_jwk(key.verifying_key(), forge::KID)
    );
    assert_eq!(
        any.private_jwk(forge::KID, Alg::ES256),
        forge::private_jwk(&key, forge::KID)
    );
    // forge's own PEM writer against the p256 crate's.
    assert_eq!(
        any.public_pem(),
        Some(forge::public_pem(key.verifying_key()))
    );
    let token = Token::new(&forge::header(), &forge::claims());
    assert_eq!(token.sign_with(Alg::ES256, &any), forge::baseline_token());
}

#[test]
fn spki_forms_parse_with_the_key_crates() {
    use p256::pkcs8::DecodePublicKey;
    let p384 = AnyKey::for_alg(Alg::ES384, "spki");
    let AnyKey::P384(k) = &p384 else {
        unreachable!()
    };
    let pem = p384.public_pem().expect("EC key");
    assert_eq!(
        p384::ecdsa::VerifyingKey::from_public_key_pem(&pem).ok(),
        Some(*k.verifying_key())
    );
    let rsa = AnyKey::Rsa(RsaId::E3.key());
    let parsed = rsa::PublicKey::from_public_key_der(&rsa.public_der().expect("RSA key"));
    assert_eq!(parsed.ok(), Some(RsaId::E3.key().public()));
    let ed = AnyKey::for_alg(Alg::EdDSA, "spki");
    let der = ed.public_der().expect("OKP key");
    assert_eq!(der.len(), 44);
    assert!(
        ed.public_pem()
            .expect("OKP key")
            .starts_with("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA")
    );
    assert_eq!(AnyKey::Oct(vec![1]).public_pem(), None);
}

#[test]
fn named_keys_are_distinct_and_stable() {
    assert_eq!(forge::p384_key("a"), forge::p384_key("a"));
    assert_ne!(forge::p384_key("a"), forge::p384_key("b"));
    assert_ne!(forge::p521_key("a"), forge::p521_key("b"));
    assert_ne!(
        forge::ed25519_key("a").to_bytes(),
        forge::ed25519_key("b").to_bytes()
    );
    assert_ne!(
        forge::ed25519_key("a").to_bytes(),
        forge::key("a").to_bytes().as_slice()
    );
}

#[rstest]
#[case(0)]
#[case(31)]
#[case(32)]
#[case(64)]
#[case(65)]
#[case(200)]
fn secrets_have_any_length_and_extend(#[case] len: usize) {
    let s = forge::secret("hmac", len);
    assert_eq!(s.len(), len);
    assert_eq!(forge::secret("hmac", len + 7)[..len], s[..]);
    if len > 0 {
        assert_ne!(forge::secret("other", len), s);
    }
}

#[rstest]
#[case(Alg::RS256, AnyKey::for_alg(Alg::ES256, "x"))]
#[case(Alg::ES256, AnyKey::for_alg(Alg::ES384, "x"))]
#[case(Alg::HS256, AnyKey::Rsa(RsaId::Rsa2048.key()))]
#[case(Alg::EdDSA, AnyKey::Oct(vec![0; 32]))]
#[should_panic(expected = "does not sign with")]
fn a_key_of_another_family_panics(#[case] alg: Alg, #[case] key: AnyKey) {
    sign(alg, &key, INPUT);
}

/// Algorithm confusion: an HMAC keyed with the RSA key's PEM is an ordinary HS256 signature.
#[test]
fn confusion_secret_is_the_pem() {
    let rsa = AnyKey::Rsa(RsaId::Rsa2048.key());
    let pem = rsa.public_pem().expect("RSA key");
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A"));
    let token = Token::new(&json!({"alg": "HS256"}), &json!({}));
    let forged = token.sign_with(Alg::HS256, &AnyKey::Oct(pem.clone().into_bytes()));
    let sig = forged.rsplit('.').next().expect("three parts");
    assert_eq!(
        sig,
        b64(forge::hs256(
            pem.as_bytes(),
            token.signing_input().as_bytes()
        ))
    );
}

#[test]
fn names_round_trip() {
    for alg in Alg::ALL {
        assert_eq!(Alg::from_name(alg.name()), Some(alg));
    }
    assert_eq!(Alg::from_name("none"), None);
    assert_eq!(Alg::from_name("rs256"), None);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
