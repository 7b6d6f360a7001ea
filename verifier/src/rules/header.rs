//! Header rules: parse, algorithm, forbidden parameters, allowlist, `typ`.

use serde_json::Value;

use super::{Object, str_member};
use crate::json::{self, JsonError};
use crate::reason::{Reason, Rejection, reject};
use crate::{Profile, b64};

/// Parameters whose mere presence rejects the token, each with its own reason, in catalog order.
const FORBIDDEN: [(&str, Reason, &str); 7] = [
    ("jku", Reason::HeaderJku, "jku: key URL from the token"),
    (
        "x5u",
        Reason::HeaderX5u,
        "x5u: certificate URL from the token",
    ),
    ("jwk", Reason::HeaderJwk, "jwk: key embedded in the token"),
    (
        "x5c",
        Reason::HeaderX5c,
        "x5c: certificate chain in the token",
    ),
    (
        "crit",
        Reason::HeaderCrit,
        "crit: no extension is understood",
    ),
    (
        "b64",
        Reason::HeaderB64False,
        "b64: unencoded payload (RFC 7797)",
    ),
    ("cty", Reason::NestedJws, "cty: nested token"),
];

/// The only header members the profile admits.
const ALLOWED: [&str; 3] = ["alg", "typ", "kid"];

/// `header_unparseable` / `duplicate_json_keys`: canonical base64url of a strict JSON object.
pub fn decode_header(segment: &[u8], max_depth: usize) -> Result<Object, Rejection> {
    let bytes = b64::decode(segment)
        .filter(|b| !b.is_empty())
        .ok_or(reject(
            Reason::HeaderUnparseable,
            "header is not canonical base64url",
        ))?;
    json::parse_object(&bytes, max_depth).map_err(|e| match e {
        JsonError::DuplicateKey => reject(Reason::DuplicateJsonKeys, "header repeats a member"),
        JsonError::Malformed => reject(Reason::HeaderUnparseable, "header is not a JSON object"),
    })
}

/// `alg_*`: `alg` must be a string in the profile's allowed list; others by family.
pub fn check_alg(header: &Object, profile: &Profile) -> Result<(), Rejection> {
    let Some(alg) = str_member(header, "alg") else {
        return Err(reject(Reason::AlgNone, "alg missing or not a string"));
    };
    if alg.eq_ignore_ascii_case("none") {
        return Err(reject(Reason::AlgNone, "alg none"));
    }
    if profile.algorithms.iter().any(|a| a == alg) {
        return Ok(());
    }
    Err(match alg {
        "HS256" | "HS384" | "HS512" => reject(Reason::AlgHmacRejected, "HMAC algorithm"),
        "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" => {
            reject(Reason::AlgRsaRejected, "RSA algorithm")
        }
        "ES384" | "ES512" | "ES256K" => reject(Reason::AlgEcdsaRejected, "other ECDSA algorithm"),
        _ => reject(Reason::AlgNotAllowed, "algorithm not allowed"),
    })
}

/// `header_jku` … `nested_jws`: parameters that would move trust into the token.
///
/// One pass over the header's members (three in a valid token) instead of a map lookup per
/// forbidden name; the forbidden member earliest in catalog order still decides.
pub fn reject_forbidden_params(header: &Object) -> Result<(), Rejection> {
    let earliest = header
        .keys()
        .filter_map(|k| {
            FORBIDDEN
                .iter()
                .position(|(name, _, _)| *name == k.as_str())
        })
        .min();
    match earliest.map(|i| FORBIDDEN[i]) {
        Some((_, reason, detail)) => Err(reject(reason, detail)),
        None => Ok(()),
    }
}

/// `header_extra_param`: nothing outside `alg`, `typ`, `kid`.
pub fn check_allowlist(header: &Object) -> Result<(), Rejection> {
    if header.keys().all(|k| ALLOWED.contains(&k.as_str())) {
        return Ok(());
    }
    Err(reject(
        Reason::HeaderExtraParam,
        "header member outside alg, typ, kid",
    ))
}

/// `typ_mismatch`: `typ` present and exactly the profile's value (no case folding, no
/// `application/` prefix: RFC 9068 §4 leaves that to the verifier and this profile is exact).
pub fn check_typ(header: &Object, profile: &Profile) -> Result<(), Rejection> {
    match header.get("typ") {
        Some(Value::String(typ)) if *typ == profile.typ => Ok(()),
        _ => Err(reject(
            Reason::TypMismatch,
            "typ missing or not the profile's value",
        )),
    }
}
