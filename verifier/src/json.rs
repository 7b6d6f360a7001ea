//! Strict JSON for JOSE headers, payloads and key sets.
//!
//! On top of `serde_json`'s RFC 8259 parser (which already refuses invalid UTF-8, lone
//! surrogates in `\u` escapes, BOMs, comments, `NaN` and trailing data) this layer adds what JOSE
//! needs and `serde_json` does not do: duplicate member names are detected after unescaping
//! (RFC 7515 §5.2, RFC 8725 §3.x), and nesting is bounded well below the stack.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Why a document was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonError {
    /// Not valid UTF-8 or not a single valid JSON text, or nested past the bound.
    Malformed,
    /// Well-formed, but some object repeats a member name.
    DuplicateKey,
}

/// Parses one JSON text with at most `max_depth` levels of arrays and objects.
///
/// A syntax or depth error wins over a duplicate key, so the outcome does not depend on where in
/// the text the two defects sit.
pub fn parse(bytes: &[u8], max_depth: usize) -> Result<Value, JsonError> {
    let (value, duplicate) = parse_tracking(bytes, max_depth)?;
    if duplicate {
        return Err(JsonError::DuplicateKey);
    }
    Ok(value)
}

/// Parses a JSON text that must be an object. Not being an object is a malformation, and wins
/// over a duplicate key nested inside (an array holding an object with a repeated name is not a
/// header, whatever is inside it).
pub fn parse_object(bytes: &[u8], max_depth: usize) -> Result<Map<String, Value>, JsonError> {
    match parse_tracking(bytes, max_depth)? {
        (Value::Object(_), true) => Err(JsonError::DuplicateKey),
        (Value::Object(map), false) => Ok(map),
        _ => Err(JsonError::Malformed),
    }
}

/// The value and whether some object in it repeats a member name.
fn parse_tracking(bytes: &[u8], max_depth: usize) -> Result<(Value, bool), JsonError> {
    let text = std::str::from_utf8(bytes).map_err(|_| JsonError::Malformed)?;
    let duplicate = Cell::new(false);
    let mut de = serde_json::Deserializer::from_str(text);
    let value = ValueSeed {
        remaining_depth: max_depth,
        duplicate: &duplicate,
    }
    .deserialize(&mut de)
    .map_err(|_| JsonError::Malformed)?;
    de.end().map_err(|_| JsonError::Malformed)?;
    Ok((value, duplicate.get()))
}

#[derive(Clone, Copy)]
struct ValueSeed<'a> {
    remaining_depth: usize,
    duplicate: &'a Cell<bool>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl ValueSeed<'_> {
    fn nested<E: de::Error>(&self) -> Result<ValueSeed<'_>, E> {
        match self.remaining_depth.checked_sub(1) {
            Some(remaining_depth) => Ok(ValueSeed {
                remaining_depth,
                duplicate: self.duplicate,
            }),
            None => Err(E::custom("nesting bound exceeded")),
        }
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("non-finite number"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.nested()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.nested()?;
        let mut members = Map::new();
        // Keys arrive unescaped, so `"\u0061lg"` and `"alg"` collide here as they must.
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(inner)?;
            if members.insert(key, value).is_some() {
                self.duplicate.set(true);
            }
        }
        Ok(Value::Object(members))
    }
}

/// True when `value` is a JSON integer in the i64 range: not a float, not `-0`, not exponent form.
pub fn is_integer(value: &Value) -> bool {
    value.as_i64().is_some()
}
