//! forge's raw RSA encoders against the rsa crate: a genuine encoding through the raw path is
//! the signature `forge::alg::sign` makes, and the knobs change what they say and nothing else.

use forge::rsa_raw::{self, Hash, Padding, Pkcs1, Pss};
use forge::{Alg, AnyKey, RsaId, sign};
use num_bigint::BigUint;
use rstest::rstest;

const INPUT: &[u8] = b"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyc2EtcmF3In0";

/// The encoded message a signature opens to under the public key (RSAVP1, RFC 8017 §5.2.2).
fn open(id: RsaId, sig: &[u8]) -> Vec<u8> {
    let key = id.key();
    let e = BigUint::from_bytes_be(&key.e());
    let n = rsa_raw::modulus(key);
    let m = BigUint::from_bytes_be(sig).modpow(&e, &n);
    rsa_raw::i2osp(&m, rsa_raw::modulus_len(key))
}

#[rstest]
fn genuine_pkcs1_is_the_rsa_crates(
    #[values(Alg::RS256, Alg::RS384, Alg::RS512)] alg: Alg,
    #[values(RsaId::Rsa2048, RsaId::Rsa3072, RsaId::E3, RsaId::Weak1024)] id: RsaId,
) {
    let key = id.key();
    let raw = rsa_raw::sign_pkcs1(key, INPUT, Pkcs1::genuine(alg));
    assert_eq!(raw, sign(alg, &AnyKey::Rsa(key), INPUT));
}

#[rstest]
fn genuine_pss_is_the_rsa_crates(
    #[values(Alg::PS256, Alg::PS384, Alg::PS512)] alg: Alg,
    #[values(RsaId::Rsa2048, RsaId::Rsa4096, RsaId::E3)] id: RsaId,
) {
    let key = id.key();
    let raw = rsa_raw::sign_pss(key, INPUT, Pss::genuine(alg));
    assert_eq!(raw, sign(alg, &AnyKey::Rsa(key), INPUT));
}

#[test]
fn digest_info_matches_rfc_8017_note_1() {
    let h = [0xaa; 32];
    let t = rsa_raw::digest_info(Hash::Sha256, true, &h);
    let prefix = [
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    assert_eq!(&t[..prefix.len()], prefix);
    assert_eq!(&t[prefix.len()..], h);
    let bare = rsa_raw::digest_info(Hash::Sha256, false, &h);
    assert_eq!(
        &bare[..6],
        [0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09],
        "two octets shorter"
    );
    assert_eq!(bare.len(), t.len() - 2);
}

#[test]
fn pkcs1_knobs_open_to_what_they_say() {
    let k = 256;
    let t = rsa_raw::digest_info(Hash::Sha512, true, &Hash::Sha512.digest(INPUT));
    let garbage = Pkcs1 {
        hash: Hash::Sha512,
        null_params: true,
        padding: Padding::Garbage,
        after: 20,
    };
    let sig = rsa_raw::sign_pkcs1(RsaId::Rsa2048.key(), INPUT, garbage);
    let em = open(RsaId::Rsa2048, &sig);
    assert_eq!(em, garbage.encode(INPUT, k));
    assert_eq!(em[..2], [0x00, 0x01]);
    let ps_len = k - 3 - t.len() - 20;
    assert!(em[2..2 + ps_len].iter().all(|&b| b != 0 && b != 0xff));
    assert_eq!(em[2 + ps_len], 0x00);
    assert_eq!(&em[3 + ps_len..k - 20], &t[..]);
}

#[test]
fn pss_knobs_open_to_what_they_say() {
    let key = RsaId::Rsa2048.key();
    let knob = Pss {
        hash: Hash::Sha256,
        mgf_hash: Hash::Sha384,
        salt_len: 0,
        trailer: 0xbd,
    };
    let em = open(RsaId::Rsa2048, &rsa_raw::sign_pss(key, INPUT, knob));
    assert_eq!(em[255], 0xbd);
    // Unmask with MGF1-SHA-384: PS, 0x01, then no salt.
    let h = &em[256 - 33..255];
    let mask = Hash::Sha384.mgf1(h, 256 - 33);
    let db: Vec<u8> = em[..256 - 33]
        .iter()
        .zip(mask)
        .map(|(a, b)| a ^ b)
        .collect();
    assert!(db[..db.len() - 1].iter().skip(1).all(|&b| b == 0));
    assert_eq!(db[db.len() - 1], 0x01);
    let m_prime = [&[0u8; 8][..], &Hash::Sha256.digest(INPUT)].concat();
    assert_eq!(h, Hash::Sha256.digest(&m_prime));
}

#[rstest]
fn e3_forgery_cubes_to_the_prefix(#[values(Alg::RS256, Alg::RS384)] alg: Alg) {
    let key = RsaId::E3.key();
    let sig = rsa_raw::forge_e3_garbage_after(key, alg, INPUT, 8).expect("room for garbage");
    let em = open(RsaId::E3, &sig);
    let hash = Hash::of(alg);
    let t = rsa_raw::digest_info(hash, true, &hash.digest(INPUT));
    assert_eq!(
        em[..11],
        [0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0]
    );
    assert_eq!(&em[11..11 + t.len()], &t[..]);
    assert_ne!(
        em,
        Pkcs1::genuine(alg).encode(INPUT, 256),
        "garbage follows"
    );
}

#[test]
fn e3_garbage_in_padding_forgery_ends_with_the_digest_info() {
    let key = RsaId::E3.key();
    let found = (0..64).find_map(|i| {
        let input = format!("{}{i}", String::from_utf8_lossy(INPUT));
        rsa_raw::forge_e3_garbage_in_padding(key, Alg::RS256, input.as_bytes())
            .map(|sig| (input, sig))
    });
    let (input, sig) = found.expect("an odd digest among 64 messages");
    let em = open(RsaId::E3, &sig);
    let t = rsa_raw::digest_info(Hash::Sha256, true, &Hash::Sha256.digest(input.as_bytes()));
    assert_eq!(em[..2], [0x00, 0x01]);
    assert!(em.ends_with(&[&[0u8][..], &t].concat()));
    assert!(!em[2..256 - t.len() - 1].contains(&0));
    assert!(em[2..256 - t.len() - 1].iter().any(|&b| b != 0xff));
}

#[test]
fn i2osp_keeps_the_length() {
    let v = BigUint::from(0x0102u32);
    assert_eq!(rsa_raw::i2osp(&v, 4), [0, 0, 1, 2]);
    assert_eq!(rsa_raw::i2osp(&BigUint::from(0u32), 3), [0, 0, 0]);
}
