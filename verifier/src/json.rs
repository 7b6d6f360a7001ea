//! Strict JSON for JOSE headers, payloads and key sets.
//!
//! On top of `serde_json`'s RFC 8259 parser (which already refuses invalid UTF-8, lone
//! surrogates in `\u` escapes, BOMs, comments, `NaN` and trailing data) this layer adds what JOSE
//! needs and `serde_json` does not do: duplicate member names are detected after unescaping
//! (RFC 7515 §5.2, RFC 8725 §3.x), and nesting is bounded well below the stack.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeSet;
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

/// A top-level member's value as [`visit_object`] hands it over: a string (borrowed from the
/// text unless it had escapes), or any other value, checked and then dropped.
#[derive(Debug, PartialEq, Eq)]
pub enum Member<'de> {
    Str(Cow<'de, str>),
    Other,
}

/// Reads a JSON text that must be an object and hands each top-level member to `member`, in
/// document order, without building a tree: the header rules read three strings, so a map of
/// owned members would be all allocation. Refuses exactly what [`parse_object`] refuses, with
/// the same precedence (a caller discards what `member` collected when this returns an error).
pub fn visit_object<'de>(
    bytes: &'de [u8],
    max_depth: usize,
    mut member: impl FnMut(Cow<'de, str>, Member<'de>),
) -> Result<(), JsonError> {
    let text = std::str::from_utf8(bytes).map_err(|_| JsonError::Malformed)?;
    let duplicate = Cell::new(false);
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_any(ObjectVisitor {
        value: ValueSeed {
            remaining_depth: max_depth,
            duplicate: &duplicate,
        },
        member: &mut member,
    })
    .map_err(|_| JsonError::Malformed)?;
    de.end().map_err(|_| JsonError::Malformed)?;
    if duplicate.get() {
        return Err(JsonError::DuplicateKey);
    }
    Ok(())
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

/// The top level of [`visit_object`]: an object, and nothing else.
struct ObjectVisitor<'a, F> {
    value: ValueSeed<'a>,
    member: &'a mut F,
}

impl<'de, F: FnMut(Cow<'de, str>, Member<'de>)> Visitor<'de> for ObjectVisitor<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let inner = self.value.nested()?;
        let mut names = Names::default();
        while let Some(name) = map.next_key_seed(NameSeed)? {
            let value = map.next_value_seed(MemberSeed(inner))?;
            // Names arrive unescaped, as in `ValueSeed::visit_map`.
            if !names.insert(name.clone()) {
                self.value.duplicate.set(true);
            }
            (self.member)(name, value);
        }
        Ok(())
    }
}

/// The member names of one object, for duplicate detection without allocating in the common
/// case: a linear scan over the first few (a valid header has three), a set beyond them, so a
/// header of thousands of names stays `O(n log n)`.
#[derive(Default)]
struct Names<'de> {
    few: [Cow<'de, str>; Names::FEW],
    len: usize,
    many: BTreeSet<Cow<'de, str>>,
}

impl<'de> Names<'de> {
    const FEW: usize = 8;

    /// Records `name`; false when it was already there.
    fn insert(&mut self, name: Cow<'de, str>) -> bool {
        if self.len < Names::FEW {
            if self.few[..self.len].contains(&name) {
                return false;
            }
            self.few[self.len] = name;
            self.len += 1;
            return true;
        }
        if self.many.is_empty() {
            self.many.extend(self.few.iter_mut().map(std::mem::take));
        }
        self.many.insert(name)
    }
}

/// A member name, borrowed from the text unless it had escapes.
struct NameSeed;

impl<'de> DeserializeSeed<'de> for NameSeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for NameSeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

/// A top-level member value: strings kept, everything else checked by [`ValueSeed`] and dropped.
#[derive(Clone, Copy)]
struct MemberSeed<'a>(ValueSeed<'a>);

impl<'de> DeserializeSeed<'de> for MemberSeed<'_> {
    type Value = Member<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MemberSeed<'_> {
    type Value = Member<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Member::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Member::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Member::Other)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Member::Other)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Member::Other)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.0.visit_f64(v).map(|_| Member::Other)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Member::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.visit_seq(seq).map(|_| Member::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.visit_map(map).map(|_| Member::Other)
    }
}

/// True when `value` is a JSON integer in the i64 range: not a float, not `-0`, not exponent form.
pub fn is_integer(value: &Value) -> bool {
    value.as_i64().is_some()
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    /// An object of `len` distinct names `n0…`, where name `at` repeats name `of` when given.
    fn object(len: usize, repeat: Option<(usize, usize)>) -> String {
        let names = (0..len).map(|i| match repeat {
            Some((of, at)) if i == at => format!(r#""n{of}":{i}"#),
            _ => format!(r#""n{i}":{i}"#),
        });
        format!("{{{}}}", names.collect::<Vec<_>>().join(","))
    }

    /// Both sides of the switch from the linear scan to the set.
    #[rstest]
    #[case::few(Names::FEW, None, Ok(Names::FEW))]
    #[case::many(5 * Names::FEW, None, Ok(5 * Names::FEW))]
    #[case::repeat_among_few(Names::FEW, Some((1, 6)), Err(JsonError::DuplicateKey))]
    #[case::repeat_of_few_after_switch(40, Some((2, 30)), Err(JsonError::DuplicateKey))]
    #[case::repeat_after_switch(40, Some((20, 30)), Err(JsonError::DuplicateKey))]
    #[case::repeat_at_switch(40, Some((0, Names::FEW)), Err(JsonError::DuplicateKey))]
    fn duplicates_are_found_at_any_count(
        #[case] len: usize,
        #[case] repeat: Option<(usize, usize)>,
        #[case] want: Result<usize, JsonError>,
    ) {
        let text = object(len, repeat);
        let mut count = 0;
        let got = visit_object(text.as_bytes(), 4, |_, _| count += 1).map(|()| count);
        assert_eq!(got, want);
        assert_eq!(parse_object(text.as_bytes(), 4).map(|m| m.len()), want);
    }
}
