//! The JWS algorithms the reference verifier implements (RFC 7518 §3, RFC 8037 §3.1), and the
//! one key family each is bound to. `none` is not one of them and never will be.

/// A JWS `alg` the verifier can check. The name is the registered `alg` value, exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Algorithm {
    ES256,
    ES384,
    ES512,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    EdDSA,
    HS256,
    HS384,
    HS512,
}

/// The kind of key an algorithm takes (RFC 7518 §3.1, §6; RFC 8037 §2). A key verifies only
/// the algorithms of its own family: this binding is what defeats algorithm confusion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyFamily {
    /// `kty: EC`, `crv: P-256`.
    P256,
    /// `kty: EC`, `crv: P-384`.
    P384,
    /// `kty: EC`, `crv: P-521`.
    P521,
    /// `kty: RSA` (PKCS#1 v1.5 and PSS alike).
    Rsa,
    /// `kty: OKP`, `crv: Ed25519`.
    Ed25519,
    /// `kty: oct`: an HMAC secret.
    Oct,
}

impl Algorithm {
    /// Every algorithm, in the order of RFC 7518's table (EdDSA after the RSA ones).
    pub const ALL: [Algorithm; 13] = [
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::EdDSA,
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
    ];

    /// The registered `alg` value.
    pub const fn name(self) -> &'static str {
        match self {
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::ES512 => "ES512",
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
            Algorithm::EdDSA => "EdDSA",
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
        }
    }

    /// The algorithm with this exact name (case-sensitive, as RFC 7515 §4.1.1 compares `alg`).
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The one key family this algorithm verifies with.
    pub const fn family(self) -> KeyFamily {
        match self {
            Algorithm::ES256 => KeyFamily::P256,
            Algorithm::ES384 => KeyFamily::P384,
            Algorithm::ES512 => KeyFamily::P521,
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512 => KeyFamily::Rsa,
            Algorithm::EdDSA => KeyFamily::Ed25519,
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => KeyFamily::Oct,
        }
    }

    /// The SHA-2 output size in bits (EdDSA: SHA-512, internal to Ed25519).
    pub const fn hash_bits(self) -> u16 {
        match self {
            Algorithm::ES256 | Algorithm::RS256 | Algorithm::PS256 | Algorithm::HS256 => 256,
            Algorithm::ES384 | Algorithm::RS384 | Algorithm::PS384 | Algorithm::HS384 => 384,
            Algorithm::ES512
            | Algorithm::RS512
            | Algorithm::PS512
            | Algorithm::EdDSA
            | Algorithm::HS512 => 512,
        }
    }

    /// True for HS256/384/512.
    pub const fn is_hmac(self) -> bool {
        matches!(self.family(), KeyFamily::Oct)
    }
}

impl KeyFamily {
    /// The JWK `kty` of keys of this family.
    pub const fn kty(self) -> &'static str {
        match self {
            KeyFamily::P256 | KeyFamily::P384 | KeyFamily::P521 => "EC",
            KeyFamily::Rsa => "RSA",
            KeyFamily::Ed25519 => "OKP",
            KeyFamily::Oct => "oct",
        }
    }

    /// The JWK `crv` of keys of this family, where it has one.
    pub const fn crv(self) -> Option<&'static str> {
        match self {
            KeyFamily::P256 => Some("P-256"),
            KeyFamily::P384 => Some("P-384"),
            KeyFamily::P521 => Some("P-521"),
            KeyFamily::Ed25519 => Some("Ed25519"),
            KeyFamily::Rsa | KeyFamily::Oct => None,
        }
    }
}

by_stable_name!(Algorithm, name, from_name, |_| {
    "not an algorithm the verifier implements"
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_case_sensitive() {
        for alg in Algorithm::ALL {
            assert_eq!(Algorithm::from_name(alg.name()), Some(alg));
            assert_eq!(Algorithm::from_name(&alg.name().to_lowercase()), None);
        }
        assert_eq!(Algorithm::from_name("none"), None);
    }

    #[test]
    fn each_family_has_its_own_kty_and_curve() {
        let families: Vec<_> = Algorithm::ALL.iter().map(|a| a.family()).collect();
        assert_eq!(families.iter().filter(|f| **f == KeyFamily::Rsa).count(), 6);
        assert_eq!(KeyFamily::P521.crv(), Some("P-521"));
        assert_eq!(KeyFamily::Ed25519.kty(), "OKP");
        assert!(Algorithm::HS384.is_hmac() && !Algorithm::RS256.is_hmac());
    }
}
