//! One function per rule, grouped by pipeline stage. The order they run in is written once, in
//! [`crate::Verifier::verify`].

pub mod claims;
pub mod domain;
pub mod envelope;
pub mod header;
pub mod key;
pub mod payload;
pub mod signature;
pub mod state;

use serde_json::{Map, Value};

/// A decoded JSON object (header or claims).
pub type Object = Map<String, Value>;

/// The string value of a member, if it is a string.
pub(crate) fn str_member<'a>(object: &'a Object, name: &str) -> Option<&'a str> {
    object.get(name).and_then(Value::as_str)
}

/// The non-empty string value of a member.
pub(crate) fn non_empty_str<'a>(object: &'a Object, name: &str) -> Option<&'a str> {
    str_member(object, name).filter(|s| !s.is_empty())
}

/// True when the member is an array whose every element is a string.
pub(crate) fn is_string_array(value: &Value) -> bool {
    matches!(value, Value::Array(items) if items.iter().all(Value::is_string))
}
