//! Payload rule: only authenticated bytes reach this parser.

use crate::b64;
use crate::claims::ClaimSet;
use crate::json::JsonError;
use crate::reason::{Reason, Rejection, reject};

/// `payload_unparseable` / `duplicate_json_keys`: canonical base64url of a strict JSON object,
/// read once into `text` (cleared first), which the returned claims borrow.
pub fn decode_payload<'t>(
    segment: &[u8],
    max_depth: usize,
    text: &'t mut String,
) -> Result<ClaimSet<'t>, Rejection> {
    let unparseable = |detail| reject(Reason::PayloadUnparseable, detail);
    let mut bytes = std::mem::take(text).into_bytes();
    bytes.clear();
    if !b64::decode_into(segment, &mut bytes) {
        return Err(unparseable("payload is not canonical base64url"));
    }
    *text = String::from_utf8(bytes).map_err(|_| unparseable("payload is not a JSON object"))?;
    ClaimSet::read(text, max_depth).map_err(|e| match e {
        JsonError::DuplicateKey => reject(Reason::DuplicateJsonKeys, "payload repeats a member"),
        JsonError::Malformed => unparseable("payload is not a JSON object"),
    })
}
