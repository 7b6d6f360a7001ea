//! Payload rule: only authenticated bytes reach this parser.

use super::Object;
use crate::b64;
use crate::json::{self, JsonError};
use crate::reason::{Reason, Rejection, reject};

/// `payload_unparseable` / `duplicate_json_keys`.
pub fn decode_payload(segment: &[u8], max_depth: usize) -> Result<Object, Rejection> {
    let bytes = b64::decode(segment).ok_or(reject(
        Reason::PayloadUnparseable,
        "payload is not canonical base64url",
    ))?;
    json::parse_object(&bytes, max_depth).map_err(|e| match e {
        JsonError::DuplicateKey => reject(Reason::DuplicateJsonKeys, "payload repeats a member"),
        JsonError::Malformed => reject(Reason::PayloadUnparseable, "payload is not a JSON object"),
    })
}
