//! The RSA public-key forms of `forge::keyforms`: each re-parses to the same key with an
//! independent decoder (the rsa crate's PKCS#1 and SPKI readers, a hand-written SSH reader).

use std::collections::BTreeSet;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use forge::alg::rsa;
use forge::keyforms::{
    RsaForm, SSH_COMMENT, openssh_line, pem, pkcs1_der, pkcs1_pem, spki_der, spki_pem, ssh_mpint,
    ssh_rsa_blob, ssh_string,
};
use forge::{Alg, RsaId, b64};
use rsa::pkcs1::{DecodeRsaPublicKey, EncodeRsaPublicKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use rstest::rstest;

/// The base64 body of a PEM text whatever its line endings and blank lines, and its label.
fn pem_body(text: &str) -> (String, Vec<u8>) {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty())
        .collect();
    let first = lines.first().expect("a BEGIN line");
    let label = first
        .strip_prefix("-----BEGIN ")
        .and_then(|l| l.strip_suffix("-----"))
        .expect("a BEGIN line");
    assert_eq!(
        lines.last().copied(),
        Some(format!("-----END {label}-----").as_str())
    );
    let body: String = lines[1..lines.len() - 1].concat();
    (
        label.to_owned(),
        STANDARD.decode(body).expect("PEM body is base64"),
    )
}

/// Reads an SSH `string` at the front of `bytes`, returning it and the rest.
fn read_string(bytes: &[u8]) -> (&[u8], &[u8]) {
    let len = u32::from_be_bytes(bytes[..4].try_into().expect("4 bytes")) as usize;
    (&bytes[4..4 + len], &bytes[4 + len..])
}

#[rstest]
fn pkcs1_der_reparses_to_the_same_key(
    #[values(
        RsaId::Rsa2048,
        RsaId::Rsa3072,
        RsaId::Rsa4096,
        RsaId::Weak1024,
        RsaId::E3
    )]
    id: RsaId,
) {
    let key = id.key();
    let der = pkcs1_der(key);
    let parsed = rsa::PublicKey::from_pkcs1_der(&der).expect("PKCS#1 DER parses");
    assert_eq!(parsed, key.public());
    // RSAPublicKey is a SEQUENCE, shorter than the SPKI that wraps it, and ends the SPKI.
    let spki = spki_der(key);
    assert_eq!(der[0], 0x30);
    assert!(spki.len() > der.len());
    assert!(
        spki.ends_with(&der),
        "the SPKI's BIT STRING holds the PKCS#1 key"
    );
    let parsed = rsa::PublicKey::from_public_key_der(&spki).expect("SPKI DER parses");
    assert_eq!(parsed, key.public());
}

#[rstest]
fn pkcs1_pem_is_labelled_and_reparses(#[values(RsaId::Rsa2048, RsaId::E3)] id: RsaId) {
    let key = id.key();
    let text = pkcs1_pem(key);
    assert!(text.starts_with("-----BEGIN RSA PUBLIC KEY-----\n"));
    assert!(text.ends_with("-----END RSA PUBLIC KEY-----\n"));
    assert!(!text.contains('\r'));
    let (label, der) = pem_body(&text);
    assert_eq!(label, "RSA PUBLIC KEY");
    assert_eq!(der, pkcs1_der(key));
    let parsed = rsa::PublicKey::from_pkcs1_pem(&text).expect("PKCS#1 PEM parses");
    assert_eq!(parsed, key.public());
    // The helper writes exactly what the rsa crate writes.
    assert_eq!(text, pem("RSA PUBLIC KEY", &pkcs1_der(key), 64));
    assert_eq!(
        der,
        key.public().to_pkcs1_der().expect("encodes").as_bytes()
    );
}

#[test]
fn spki_pem_variants_hold_the_same_der_and_differ_only_in_whitespace() {
    let key = RsaId::Rsa2048.key();
    let der = spki_der(key);
    let plain = spki_pem(key);
    assert!(plain.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    assert!(plain.ends_with("-----END PUBLIC KEY-----\n"));
    assert!(plain.lines().all(|l| l.len() <= 64));
    let squeeze = |b: &[u8]| -> Vec<u8> {
        b.iter()
            .copied()
            .filter(|c| !c.is_ascii_whitespace())
            .collect()
    };
    for form in RsaForm::ALL
        .into_iter()
        .filter(|f| f.is_pem() && *f != RsaForm::Pkcs1Pem)
    {
        let bytes = form.bytes(key, "k", Alg::RS256);
        let text = String::from_utf8(bytes.clone()).expect("PEM is text");
        let (label, body) = pem_body(&text);
        assert_eq!(label, "PUBLIC KEY", "{form:?}");
        assert_eq!(body, der, "{form:?}");
        assert_eq!(squeeze(&bytes), squeeze(plain.as_bytes()), "{form:?}");
    }
    let crlf = RsaForm::SpkiPemCrlf.bytes(key, "k", Alg::RS256);
    let crlf = String::from_utf8(crlf).expect("text");
    assert_eq!(crlf.matches("\r\n").count(), crlf.matches('\n').count());
    assert!(crlf.ends_with("-----\r\n"));
    let bare = RsaForm::SpkiPemNoNewline.bytes(key, "k", Alg::RS256);
    assert!(bare.ends_with(b"-----END PUBLIC KEY-----"));
    let wide = String::from_utf8(RsaForm::SpkiPem76.bytes(key, "k", Alg::RS256)).expect("text");
    let body_lines: Vec<&str> = wide.lines().filter(|l| !l.starts_with("-----")).collect();
    let (last, full) = body_lines.split_last().expect("several lines");
    assert!(full.iter().all(|l| l.len() == 76));
    assert!(!last.is_empty() && last.len() <= 76);
    let leading = RsaForm::SpkiPemLeadingBlank.bytes(key, "k", Alg::RS256);
    assert_eq!(leading, [b"\n".as_slice(), plain.as_bytes()].concat());
    let trailing = RsaForm::SpkiPemTrailingBlank.bytes(key, "k", Alg::RS256);
    assert!(trailing.ends_with(b"-----\n\n"));
}

#[rstest]
fn openssh_blob_follows_rfc_4253(#[values(RsaId::Rsa2048, RsaId::E3, RsaId::Rsa4096)] id: RsaId) {
    let key = id.key();
    let line = openssh_line(key, SSH_COMMENT);
    let fields: Vec<&str> = line.split(' ').collect();
    assert_eq!(fields.len(), 3);
    assert_eq!(fields[0], "ssh-rsa");
    assert_eq!(fields[2], SSH_COMMENT);
    let blob = STANDARD.decode(fields[1]).expect("standard base64");
    assert_eq!(blob, ssh_rsa_blob(key));
    assert!(
        fields[1].starts_with("AAAAB3NzaC1yc2E"),
        "every ssh-rsa blob starts so"
    );
    let (name, rest) = read_string(&blob);
    assert_eq!(name, b"ssh-rsa");
    let (e, rest) = read_string(rest);
    let (n, rest) = read_string(rest);
    assert!(rest.is_empty());
    // mpints: positive, minimal, a leading zero exactly when the top bit is set.
    let public = key.public();
    let strip = |m: &[u8]| -> Vec<u8> {
        if m.first() == Some(&0) {
            assert!(
                m.len() > 1 && m[1] & 0x80 != 0,
                "zero octet only before a set top bit"
            );
            m[1..].to_vec()
        } else {
            assert!(m[0] & 0x80 == 0);
            m.to_vec()
        }
    };
    assert_eq!(strip(e), public.e_bytes().to_vec());
    assert_eq!(strip(n), public.n_bytes().to_vec());
    assert_eq!(
        n[0], 0,
        "an RSA modulus has its top bit set, so its mpint starts with 0x00"
    );
    assert_eq!(
        RsaForm::OpenSsh.bytes(key, "k", Alg::RS256),
        line.into_bytes()
    );
}

#[test]
fn ssh_encodings_match_rfc_4251_examples() {
    // RFC 4251 §5's mpint examples.
    assert_eq!(ssh_mpint(&[]), [0, 0, 0, 0]);
    assert_eq!(ssh_mpint(&[0, 0]), [0, 0, 0, 0]);
    assert_eq!(
        ssh_mpint(&[0x09, 0xa3, 0x78, 0xf9, 0xb2, 0xe3, 0x32, 0xa7]),
        [0, 0, 0, 8, 0x09, 0xa3, 0x78, 0xf9, 0xb2, 0xe3, 0x32, 0xa7]
    );
    assert_eq!(ssh_mpint(&[0x80]), [0, 0, 0, 2, 0x00, 0x80]);
    assert_eq!(ssh_mpint(&[0, 0x7f]), [0, 0, 0, 1, 0x7f]);
    assert_eq!(ssh_string(b"testing"), b"\0\0\0\x07testing");
}

#[test]
fn every_form_is_distinct_deterministic_and_names_the_key() {
    let key = RsaId::Rsa2048.key();
    let forms: Vec<Vec<u8>> = RsaForm::ALL
        .iter()
        .map(|f| f.bytes(key, "rsa-2048", Alg::RS256))
        .collect();
    let again: Vec<Vec<u8>> = RsaForm::ALL
        .iter()
        .map(|f| f.bytes(key, "rsa-2048", Alg::RS256))
        .collect();
    assert_eq!(forms, again);
    let distinct: BTreeSet<&Vec<u8>> = forms.iter().collect();
    assert_eq!(distinct.len(), RsaForm::ALL.len());
    let names: BTreeSet<&str> = RsaForm::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(names.len(), RsaForm::ALL.len());
    assert_eq!(RsaForm::RawN.bytes(key, "k", Alg::RS256), key.n());
    assert_eq!(key.n().len(), 256);
    let jwk: serde_json::Value =
        serde_json::from_slice(&RsaForm::JwkJson.bytes(key, "rsa-2048", Alg::RS256)).expect("JSON");
    assert_eq!(jwk["kty"], "RSA");
    assert_eq!(jwk["n"], b64(key.n()));
    assert_eq!(jwk["e"], "AQAB");
    assert_eq!(jwk["kid"], "rsa-2048");
    assert_eq!(jwk["alg"], "RS256");
}
