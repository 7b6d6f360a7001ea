//! The families of the corpus. Each file is one category: a table of named mutations.

mod accept;
mod across;
mod alg;
mod algorithms;
mod allowlist;
mod aud;
mod base64;
mod claims;
mod confusion;
mod domain;
mod ecdsa;
mod eddsa;
mod fetch;
mod form;
mod header;
mod hmac;
mod hunt;
mod interop;
mod iss;
mod json;
mod jwk;
mod jwks;
mod jwks_bytes;
mod kid;
mod presets;
mod pss;
mod rsa;
mod rsa_confusion;
mod serialization;
mod sigform;
mod signature;
mod size;
mod state;
mod time;
mod typ;

use corpus::vector::{Severity, Vector};
use serde_json::Value;
use verifier::Reason;

use super::{Draft, Expect, Family, Mutation, Row};

/// Every vector of every family, sorted by id.
pub fn all() -> Vec<Vector> {
    let families: Vec<Family> = vec![
        accept::family(),
        alg::family(),
        algorithms::family(),
        aud::family(),
        base64::family(),
        claims::family(),
        confusion::family(),
        domain::family(),
        form::family(),
        header::family(),
        interop::family(),
        iss::family(),
        json::family(),
        jwk::family(),
        jwks::family(),
        jwks_bytes::family(),
        kid::family(),
        presets::oidc_family(),
        presets::jwt_family(),
        serialization::family(),
        signature::family(),
        sigform::family(),
        size::family(),
        state::family(),
        fetch::family(),
        time::family(),
        typ::family(),
        rsa::family(),
        pss::family(),
        eddsa::family(),
        ecdsa::family(),
        hmac::family(),
        rsa_confusion::family(),
        allowlist::family(),
        across::family(),
        hunt::family(),
    ];
    let mut vectors: Vec<Vector> = families.iter().flat_map(Family::vectors).collect();
    vectors.sort_by(|a, b| a.id.cmp(&b.id));
    vectors
}

/// `Expect::Reject(reason)`.
pub fn rej(reason: Reason) -> Expect {
    Expect::Reject(reason)
}

/// Sets a claim.
pub fn set_claim(d: &mut Draft, name: &str, value: Value) {
    d.claims[name] = value;
}

/// Sets `jti` to the first of `jti-0001`, `jti-0001-1`, … for which `ok(draft)` holds (a
/// deterministic search for a payload whose hash or signature has some property).
pub fn find_jti(d: &mut Draft, ok: impl Fn(&Draft) -> bool) {
    for i in 0..512 {
        let jti = if i == 0 {
            "jti-0001".to_owned()
        } else {
            format!("jti-0001-{i}")
        };
        set_claim(d, "jti", serde_json::json!(jti));
        if ok(d) {
            return;
        }
    }
    panic!("no payload of the 512 tried has the property");
}

/// A `must` rejection with `signature_invalid`.
pub fn invalid_sig(
    name: impl Into<String>,
    description: impl Into<String>,
    mutation: Mutation,
    basis: &[&str],
) -> Row {
    Row::new(
        name,
        description,
        mutation,
        rej(Reason::SignatureInvalid),
        Severity::Must,
        basis,
    )
}

/// A valid signature under a key too weak for its algorithm: `key_too_weak`, `profile`, with
/// `accept` acceptable (RFC 7518 §3.2 and §3.3 bind whoever chooses the key).
pub fn weak_key(
    name: impl Into<String>,
    description: impl Into<String>,
    mutation: Mutation,
    basis: &[&str],
) -> Row {
    Row::new(
        name,
        description,
        mutation,
        rej(Reason::KeyTooWeak),
        Severity::Profile,
        basis,
    )
    .acceptable(&[crate::generate::accept()])
    .flags(&["WeakKey"])
}

/// Removes a claim.
pub fn del_claim(d: &mut Draft, name: &str) {
    if let Some(map) = d.claims.as_object_mut() {
        map.remove(name);
    }
}

/// Sets a header member.
pub fn set_hdr(d: &mut Draft, name: &str, value: Value) {
    d.header[name] = value;
}

/// A compact token from already-encoded header and payload segments, ES256-signed over exactly
/// those bytes with the named key (so only the defect under test is present).
pub fn sign_segments(header: &str, payload: &str, key: &str) -> String {
    let input = format!("{header}.{payload}");
    let sig = forge::es256(&forge::key(key), input.as_bytes());
    format!("{input}.{}", forge::b64(sig))
}

/// `n` nested arrays around `inner`.
pub fn nested(n: usize, inner: &str) -> String {
    format!("{}{inner}{}", "[".repeat(n), "]".repeat(n))
}
