//! A real, deterministic X.509 chain (root CA → leaf for the attacker's key) for `x5c` vectors.
//!
//! rcgen builds the certificates; signing goes through forge's RFC 6979 keys so the DER is
//! byte-identical on every run.

use p256::ecdsa::DerSignature;
use p256::ecdsa::signature::Signer as _;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyUsagePurpose, PublicKeyData,
    SignatureAlgorithm, SigningKey, date_time_ymd,
};

struct Key {
    key: forge::SigningKey,
    public: Vec<u8>,
}

impl Key {
    fn named(name: &str) -> Key {
        let key = forge::key(name);
        let public = forge::public_raw(key.verifying_key());
        Key { key, public }
    }
}

impl PublicKeyData for Key {
    fn der_bytes(&self) -> &[u8] {
        &self.public
    }

    fn algorithm(&self) -> &'static SignatureAlgorithm {
        &rcgen::PKCS_ECDSA_P256_SHA256
    }
}

impl SigningKey for Key {
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        let sig: DerSignature = self.key.sign(msg);
        Ok(sig.as_bytes().to_vec())
    }
}

fn params(cn: &str, serial: u64, ca: bool) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).expect("no SANs is valid");
    p.distinguished_name.push(DnType::CommonName, cn);
    p.serial_number = Some(serial.into());
    p.not_before = date_time_ymd(2024, 1, 1);
    p.not_after = date_time_ymd(2099, 12, 31);
    if ca {
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::DigitalSignature,
        ];
    } else {
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    }
    p
}

/// `[leaf, root]` as base64 (standard, padded) DER, as `x5c` carries them (RFC 7515 §4.1.6).
pub fn x5c_chain() -> Vec<String> {
    use base64::Engine;
    let b64 = |der: &[u8]| base64::engine::general_purpose::STANDARD.encode(der);
    let root_key = Key::named("attacker-root-ca");
    let root_params = params("Attacker Root CA", 1, true);
    let root = root_params
        .self_signed(&root_key)
        .expect("root certificate");
    let issuer = Issuer::new(root_params, root_key);
    let leaf_key = Key::named("attacker");
    let leaf = params("issuer.example", 2, false)
        .signed_by(&leaf_key, &issuer)
        .expect("leaf certificate");
    vec![b64(leaf.der()), b64(root.der())]
}
