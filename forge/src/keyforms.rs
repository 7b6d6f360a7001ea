//! The forms of an RSA public key that an algorithm-confusion attacker feeds to HMAC as the
//! secret (CVE-2015-9235, CVE-2016-10555, CVE-2017-11424, CVE-2022-29217, CVE-2023-48223,
//! CVE-2024-33663): a verifier that takes `alg` from the token and hands its configured public
//! key, in whatever form it holds it, to HMAC verifies a MAC the attacker computed over those
//! very bytes.
//!
//! - SPKI PEM (`-----BEGIN PUBLIC KEY-----`, RFC 7468 §13) and PKCS#1 PEM
//!   (`-----BEGIN RSA PUBLIC KEY-----`, RFC 8017 Appendix A.1.1, the form PyJWT's blocklist
//!   missed: CVE-2017-11424);
//! - the SPKI PEM with its whitespace changed (CRLF, no final newline, 76-column lines, a blank
//!   line before or after): a detector that matches exact PEM text misses them (CVE-2023-48223);
//! - SPKI and PKCS#1 DER;
//! - the public JWK as JSON text;
//! - the raw modulus `n`;
//! - the OpenSSH public-key line (`ssh-rsa AAAA… comment`, RFC 4253 §6.6; CVE-2022-29217).
//!
//! Everything here is a pure function of the stored key: byte-identical on every run.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs1::{EncodeRsaPublicKey, LineEnding};

use crate::alg::{Alg, AnyKey, RsaKey};

/// The comment of the OpenSSH line (the third, free-text field of an `authorized_keys` line).
pub const SSH_COMMENT: &str = "issuer@jwt-conformance";

/// One form of an RSA public key as HMAC secret bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RsaForm {
    /// SPKI PEM, 64-column lines, LF, final newline (what `openssl rsa -pubout` writes).
    SpkiPem,
    /// The SPKI PEM with CRLF line endings.
    SpkiPemCrlf,
    /// The SPKI PEM without its final newline.
    SpkiPemNoNewline,
    /// The SPKI PEM re-wrapped at 76 columns (the MIME line length).
    SpkiPem76,
    /// The SPKI PEM after a blank line.
    SpkiPemLeadingBlank,
    /// The SPKI PEM followed by a blank line.
    SpkiPemTrailingBlank,
    /// PKCS#1 PEM (`-----BEGIN RSA PUBLIC KEY-----`), LF, final newline.
    Pkcs1Pem,
    /// SPKI DER.
    SpkiDer,
    /// PKCS#1 DER (`RSAPublicKey ::= SEQUENCE { modulus, publicExponent }`).
    Pkcs1Der,
    /// The public JWK as compact JSON text, exactly as the key set serializes it.
    JwkJson,
    /// The modulus `n`, big-endian, without leading zero octets.
    RawN,
    /// The OpenSSH public-key line `ssh-rsa <base64 blob> <comment>`, no final newline.
    OpenSsh,
}

impl RsaForm {
    pub const ALL: [RsaForm; 12] = [
        RsaForm::SpkiPem,
        RsaForm::SpkiPemCrlf,
        RsaForm::SpkiPemNoNewline,
        RsaForm::SpkiPem76,
        RsaForm::SpkiPemLeadingBlank,
        RsaForm::SpkiPemTrailingBlank,
        RsaForm::Pkcs1Pem,
        RsaForm::SpkiDer,
        RsaForm::Pkcs1Der,
        RsaForm::JwkJson,
        RsaForm::RawN,
        RsaForm::OpenSsh,
    ];

    /// A short name for vector ids.
    pub const fn name(self) -> &'static str {
        match self {
            RsaForm::SpkiPem => "spki-pem",
            RsaForm::SpkiPemCrlf => "spki-pem-crlf",
            RsaForm::SpkiPemNoNewline => "spki-pem-no-newline",
            RsaForm::SpkiPem76 => "spki-pem-76-columns",
            RsaForm::SpkiPemLeadingBlank => "spki-pem-leading-blank-line",
            RsaForm::SpkiPemTrailingBlank => "spki-pem-trailing-blank-line",
            RsaForm::Pkcs1Pem => "pkcs1-pem",
            RsaForm::SpkiDer => "spki-der",
            RsaForm::Pkcs1Der => "pkcs1-der",
            RsaForm::JwkJson => "jwk-json",
            RsaForm::RawN => "raw-n",
            RsaForm::OpenSsh => "openssh",
        }
    }

    /// What the form is, for descriptions.
    pub const fn describe(self) -> &'static str {
        match self {
            RsaForm::SpkiPem => "SPKI PEM",
            RsaForm::SpkiPemCrlf => "SPKI PEM with CRLF line endings",
            RsaForm::SpkiPemNoNewline => "SPKI PEM without its final newline",
            RsaForm::SpkiPem76 => "SPKI PEM wrapped at 76 columns",
            RsaForm::SpkiPemLeadingBlank => "SPKI PEM after a blank line",
            RsaForm::SpkiPemTrailingBlank => "SPKI PEM followed by a blank line",
            RsaForm::Pkcs1Pem => "PKCS#1 PEM (BEGIN RSA PUBLIC KEY)",
            RsaForm::SpkiDer => "SPKI DER",
            RsaForm::Pkcs1Der => "PKCS#1 DER",
            RsaForm::JwkJson => "public JWK as JSON text",
            RsaForm::RawN => "raw modulus n",
            RsaForm::OpenSsh => "OpenSSH public-key line (ssh-rsa)",
        }
    }

    /// Whether the form is PEM text.
    pub const fn is_pem(self) -> bool {
        matches!(
            self,
            RsaForm::SpkiPem
                | RsaForm::SpkiPemCrlf
                | RsaForm::SpkiPemNoNewline
                | RsaForm::SpkiPem76
                | RsaForm::SpkiPemLeadingBlank
                | RsaForm::SpkiPemTrailingBlank
                | RsaForm::Pkcs1Pem
        )
    }

    /// The form's bytes for `key`; the JWK form is the key's public JWK with `kid` and `alg`
    /// (compact JSON, as [`AnyKey::public_jwk`] serializes).
    pub fn bytes(self, key: &'static RsaKey, kid: &str, alg: Alg) -> Vec<u8> {
        let spki = spki_pem(key);
        match self {
            RsaForm::SpkiPem => spki.into_bytes(),
            RsaForm::SpkiPemCrlf => spki.replace('\n', "\r\n").into_bytes(),
            RsaForm::SpkiPemNoNewline => spki.trim_end_matches('\n').as_bytes().to_vec(),
            RsaForm::SpkiPem76 => pem("PUBLIC KEY", &spki_der(key), 76).into_bytes(),
            RsaForm::SpkiPemLeadingBlank => format!("\n{spki}").into_bytes(),
            RsaForm::SpkiPemTrailingBlank => format!("{spki}\n").into_bytes(),
            RsaForm::Pkcs1Pem => pkcs1_pem(key).into_bytes(),
            RsaForm::SpkiDer => spki_der(key),
            RsaForm::Pkcs1Der => pkcs1_der(key),
            RsaForm::JwkJson => jwk_json(key, kid, alg).into_bytes(),
            RsaForm::RawN => key.n(),
            RsaForm::OpenSsh => openssh_line(key, SSH_COMMENT).into_bytes(),
        }
    }
}

/// `-----BEGIN <label>-----`, the base64 of `der` in lines of `columns`, `-----END <label>-----`,
/// each line ending in LF (RFC 7468 §2 writes 64 columns).
pub fn pem(label: &str, der: &[u8], columns: usize) -> String {
    let body = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(columns.max(4)) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// SPKI DER (RFC 5280 §4.1.2.7, rsaEncryption with NULL parameters).
pub fn spki_der(key: &'static RsaKey) -> Vec<u8> {
    AnyKey::Rsa(key)
        .public_der()
        .expect("an RSA key has an SPKI form")
}

/// SPKI PEM, 64 columns, LF: [`AnyKey::public_pem`].
pub fn spki_pem(key: &'static RsaKey) -> String {
    AnyKey::Rsa(key)
        .public_pem()
        .expect("an RSA key has an SPKI form")
}

/// PKCS#1 `RSAPublicKey` DER (RFC 8017 Appendix A.1.1), from the `rsa` crate's encoder.
pub fn pkcs1_der(key: &RsaKey) -> Vec<u8> {
    key.public()
        .to_pkcs1_der()
        .expect("PKCS#1 encoding of a valid key")
        .as_bytes()
        .to_vec()
}

/// PKCS#1 PEM (`-----BEGIN RSA PUBLIC KEY-----`), 64 columns, LF, from the `rsa` crate.
pub fn pkcs1_pem(key: &RsaKey) -> String {
    key.public()
        .to_pkcs1_pem(LineEnding::LF)
        .expect("PKCS#1 encoding of a valid key")
}

/// The public JWK (`kty`, `n`, `e`, `kid`, `use`, `alg`) as compact JSON text.
pub fn jwk_json(key: &'static RsaKey, kid: &str, alg: Alg) -> String {
    AnyKey::Rsa(key).public_jwk(kid, alg).to_string()
}

/// An SSH `mpint` (RFC 4251 §5): a uint32 length, then the two's-complement big-endian value
/// with no needless leading octets (a 0x00 first when the top bit would be set; zero is empty).
pub fn ssh_mpint(unsigned_be: &[u8]) -> Vec<u8> {
    let start = unsigned_be
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(unsigned_be.len());
    let digits = &unsigned_be[start..];
    let pad = digits.first().is_some_and(|&b| b & 0x80 != 0);
    let mut body = Vec::with_capacity(digits.len() + 1);
    if pad {
        body.push(0);
    }
    body.extend_from_slice(digits);
    ssh_string(&body)
}

/// An SSH `string` (RFC 4251 §5): a uint32 length, then the bytes.
pub fn ssh_string(bytes: &[u8]) -> Vec<u8> {
    let len = u32::try_from(bytes.len()).expect("an SSH string is under 4 GiB");
    let mut out = len.to_be_bytes().to_vec();
    out.extend_from_slice(bytes);
    out
}

/// The `ssh-rsa` public-key blob (RFC 4253 §6.6): string "ssh-rsa", mpint e, mpint n.
pub fn ssh_rsa_blob(key: &RsaKey) -> Vec<u8> {
    let mut out = ssh_string(b"ssh-rsa");
    out.extend(ssh_mpint(&key.e()));
    out.extend(ssh_mpint(&key.n()));
    out
}

/// The OpenSSH public-key line: `ssh-rsa <standard base64 of the blob> <comment>`.
pub fn openssh_line(key: &RsaKey, comment: &str) -> String {
    format!("ssh-rsa {} {comment}", STANDARD.encode(ssh_rsa_blob(key)))
}
