//! The families of the corpus. Each file is one category: a table of named mutations.

mod accept;
mod alg;
mod algorithms;
mod aud;
mod base64;
mod claims;
mod confusion;
mod domain;
mod fetch;
mod form;
mod header;
mod interop;
mod iss;
mod json;
mod jwk;
mod jwks;
mod jwks_bytes;
mod kid;
mod presets;
mod serialization;
mod sigform;
mod signature;
mod size;
mod state;
mod time;
mod typ;

use corpus::vector::Vector;
use serde_json::Value;
use verifier::Reason;

use super::{Draft, Expect, Family};

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
