//! Strict JSON for JOSE headers, payloads and key sets.
//!
//! On top of `serde_json`'s RFC 8259 parser (which already refuses invalid UTF-8, lone
//! surrogates in `\u` escapes, BOMs, comments, `NaN` and trailing data) this layer adds what JOSE
//! needs and `serde_json` does not do: duplicate member names are detected after unescaping
//! (RFC 7515 §5.2, RFC 8725 §3.x), and nesting is bounded well below the stack.
//!
//! Two readers share those rules: [`parse`] / [`parse_object`] build a `serde_json` tree (key
//! sets), and [`visit_object`] reads an object's top-level members into borrowed [`Member`]s
//! without building one (headers and claims, on every token).

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

/// A top-level member's value as [`visit_object`] hands it over: scalars typed, strings
/// borrowed from the text unless they had escapes, arrays summarised, objects checked and
/// dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Member<'de> {
    Null,
    Bool(bool),
    /// An integer in the `i64` range: what `serde_json::Value::as_i64` answers for (not a
    /// fraction, not exponent form, not `-0`).
    Int(i64),
    /// An integer above `i64::MAX` that fits a `u64`.
    BigUint(u64),
    /// Any other number.
    OtherNumber,
    Str(Cow<'de, str>),
    Array(Strings<'de>),
    Object,
}

/// An array member, summarised: what the claim rules ask of an array.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Strings<'de> {
    /// How many elements it has.
    pub len: usize,
    /// Every element is a string.
    pub all_strings: bool,
    /// Its string elements in order, only for the members [`visit_object`] was asked to keep.
    pub kept: Vec<Cow<'de, str>>,
}

impl<'de> Member<'de> {
    /// The string, when the value is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Member::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The integer, when the value is one in the `i64` range.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Member::Int(i) => Some(i),
            _ => None,
        }
    }

    /// The integer, when the value is a non-negative one that fits a `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Member::Int(i) => u64::try_from(i).ok(),
            Member::BigUint(u) => Some(u),
            _ => None,
        }
    }

    /// True for an array whose every element is a string.
    pub fn is_string_array(&self) -> bool {
        matches!(self, Member::Array(a) if a.all_strings)
    }
}

/// Reads a JSON text that must be an object and hands each top-level member to `member`, in
/// document order, without building a tree: the header and claim rules read a few typed values,
/// so a map of owned members would be all allocation. Arrays keep their string elements only
/// for the names `keep` picks. Refuses exactly what [`parse_object`] refuses, with the same
/// precedence (a caller discards what `member` collected when this returns an error).
pub fn visit_object<'de>(
    bytes: &'de [u8],
    max_depth: usize,
    keep: impl Fn(&str) -> bool,
    mut member: impl FnMut(Cow<'de, str>, Member<'de>),
) -> Result<(), JsonError> {
    let text = std::str::from_utf8(bytes).map_err(|_| JsonError::Malformed)?;
    visit_object_str(text, max_depth, keep, &mut member)
}

/// [`visit_object`] on text already known to be UTF-8.
pub fn visit_object_str<'de>(
    text: &'de str,
    max_depth: usize,
    keep: impl Fn(&str) -> bool,
    mut member: impl FnMut(Cow<'de, str>, Member<'de>),
) -> Result<(), JsonError> {
    let duplicate = Cell::new(false);
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_any(ObjectVisitor {
        depth: Depth {
            remaining: max_depth,
            duplicate: &duplicate,
        },
        keep: &keep,
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
    let value = ValueSeed(Depth {
        remaining: max_depth,
        duplicate: &duplicate,
    })
    .deserialize(&mut de)
    .map_err(|_| JsonError::Malformed)?;
    de.end().map_err(|_| JsonError::Malformed)?;
    Ok((value, duplicate.get()))
}

/// The nesting left and where a repeated name is recorded: the two rules every reader shares.
#[derive(Clone, Copy)]
struct Depth<'a> {
    remaining: usize,
    duplicate: &'a Cell<bool>,
}

impl Depth<'_> {
    /// One level down, or an error past the bound.
    fn nested<E: de::Error>(&self) -> Result<Depth<'_>, E> {
        match self.remaining.checked_sub(1) {
            Some(remaining) => Ok(Depth {
                remaining,
                duplicate: self.duplicate,
            }),
            None => Err(E::custom("nesting bound exceeded")),
        }
    }

    /// Reads an object's members, each value with the seed `value` gives for its name,
    /// recording a repeated name (names arrive unescaped, so `"\u0061lg"` and `"alg"` collide
    /// here as they must).
    fn members<'de, A, S>(
        &self,
        mut map: A,
        value: impl Fn(&str) -> S,
        mut each: impl FnMut(Cow<'de, str>, S::Value),
    ) -> Result<(), A::Error>
    where
        A: MapAccess<'de>,
        S: DeserializeSeed<'de>,
    {
        let mut names = Names::default();
        while let Some(name) = map.next_key_seed(NameSeed)? {
            let v = map.next_value_seed(value(&name))?;
            if !names.insert(&name) {
                self.duplicate.set(true);
            }
            each(name, v);
        }
        Ok(())
    }

    /// Checks a finite number (`serde_json` hands over what overflowed as infinite).
    fn finite<E: de::Error>(v: f64) -> Result<f64, E> {
        if v.is_finite() {
            Ok(v)
        } else {
            Err(E::custom("non-finite number"))
        }
    }
}

/// Builds a `serde_json` tree under the shared rules.
#[derive(Clone, Copy)]
struct ValueSeed<'a>(Depth<'a>);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
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
        serde_json::Number::from_f64(Depth::finite(v)?)
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
        let inner = ValueSeed(self.0.nested()?);
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        let inner = self.0.nested()?;
        let mut members = Map::new();
        inner.members(
            map,
            |_| ValueSeed(inner),
            |name, value| {
                members.insert(name.into_owned(), value);
            },
        )?;
        Ok(Value::Object(members))
    }
}

/// Checks a value under the shared rules and keeps nothing of it.
#[derive(Clone, Copy)]
struct SkipSeed<'a>(Depth<'a>);

impl<'de> DeserializeSeed<'de> for SkipSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SkipSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        Depth::finite(v).map(|_| ())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let inner = SkipSeed(self.0.nested()?);
        while seq.next_element_seed(inner)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let inner = self.0.nested()?;
        inner.members(map, |_| SkipSeed(inner), |_, ()| ())
    }
}

/// The top level of [`visit_object`]: an object, and nothing else.
struct ObjectVisitor<'a, K, F> {
    depth: Depth<'a>,
    keep: &'a K,
    member: &'a mut F,
}

impl<'de, K, F> Visitor<'de> for ObjectVisitor<'_, K, F>
where
    K: Fn(&str) -> bool,
    F: FnMut(Cow<'de, str>, Member<'de>),
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let inner = self.depth.nested()?;
        let seed = |name: &str| MemberSeed {
            depth: inner,
            keep: (self.keep)(name),
        };
        inner.members(map, seed, |name, value| (self.member)(name, value))
    }
}

/// The member names of one object, for duplicate detection without allocating in the common
/// case: a small open-addressed table over the first [`Names::FEW`] names (a claims set has a
/// dozen or two) as long as they are borrowed from the text, a set beyond them or from the first
/// name that had escapes, so an object of thousands of names stays `O(n log n)`.
struct Names<'de> {
    few: [&'de str; Names::FEW],
    len: usize,
    /// Index + 1 into `few` per slot, 0 when empty; probed linearly from the name's hash.
    slots: [u8; Names::SLOTS],
    /// Every name so far, once the table is left behind (empty until then).
    many: BTreeSet<Cow<'de, str>>,
}

impl Default for Names<'_> {
    fn default() -> Self {
        Names {
            few: [""; Names::FEW],
            len: 0,
            slots: [0; Names::SLOTS],
            many: BTreeSet::new(),
        }
    }
}

impl<'de> Names<'de> {
    const FEW: usize = 32;
    /// Twice [`Names::FEW`], a power of two: probes stay short.
    const SLOTS: usize = 64;

    /// Records `name`; false when it was already there.
    // The variant matters, not just the text: only a borrowed name outlives this call.
    #[allow(clippy::ptr_arg)]
    fn insert(&mut self, name: &Cow<'de, str>) -> bool {
        if self.many.is_empty() {
            match name {
                Cow::Borrowed(text) if self.len < Names::FEW => return self.insert_few(text),
                _ => self
                    .many
                    .extend(self.few[..self.len].iter().map(|&n| Cow::Borrowed(n))),
            }
        }
        self.many.insert(name.clone())
    }

    fn insert_few(&mut self, name: &'de str) -> bool {
        let mut slot = fnv1a(name.as_bytes()) & (Names::SLOTS - 1);
        while let Some(i) = usize::from(self.slots[slot]).checked_sub(1) {
            if self.few[i] == name {
                return false;
            }
            slot = (slot + 1) & (Names::SLOTS - 1);
        }
        self.few[self.len] = name;
        self.len += 1;
        // `len` is at most `FEW`, which fits a `u8`.
        self.slots[slot] = self.len as u8;
        true
    }
}

/// FNV-1a: names are short, and the table only needs them spread.
fn fnv1a(bytes: &[u8]) -> usize {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    // Only the low bits index the table.
    hash as usize
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

/// A top-level member value, typed as [`Member`]; nested values are checked by [`SkipSeed`].
#[derive(Clone, Copy)]
struct MemberSeed<'a> {
    depth: Depth<'a>,
    /// Keep an array's string elements.
    keep: bool,
}

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

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Member::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Member::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(i64::try_from(v).map_or(Member::BigUint(v), Member::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Depth::finite(v).map(|_| Member::OtherNumber)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Member::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let inner = self.depth.nested()?;
        let mut strings = Strings {
            all_strings: true,
            ..Strings::default()
        };
        while let Some(element) = seq.next_element_seed(ElementSeed(inner))? {
            strings.len += 1;
            match element {
                Some(s) if self.keep => strings.kept.push(s),
                Some(_) => {}
                None => strings.all_strings = false,
            }
        }
        Ok(Member::Array(strings))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        SkipSeed(self.depth).visit_map(map).map(|()| Member::Object)
    }
}

/// An element of a top-level array: the string when it is one, else checked by [`SkipSeed`].
#[derive(Clone, Copy)]
struct ElementSeed<'a>(Depth<'a>);

impl<'de> DeserializeSeed<'de> for ElementSeed<'_> {
    type Value = Option<Cow<'de, str>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ElementSeed<'_> {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_owned())))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Depth::finite(v).map(|_| None)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        SkipSeed(self.0).visit_seq(seq).map(|()| None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        SkipSeed(self.0).visit_map(map).map(|()| None)
    }
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

    /// Both sides of the switch from the table to the set.
    #[rstest]
    #[case::few(Names::FEW, None, Ok(Names::FEW))]
    #[case::many(5 * Names::FEW, None, Ok(5 * Names::FEW))]
    #[case::repeat_among_few(Names::FEW, Some((1, 6)), Err(JsonError::DuplicateKey))]
    #[case::repeat_of_few_after_switch(80, Some((2, 60)), Err(JsonError::DuplicateKey))]
    #[case::repeat_after_switch(80, Some((40, 60)), Err(JsonError::DuplicateKey))]
    #[case::repeat_at_switch(80, Some((0, Names::FEW)), Err(JsonError::DuplicateKey))]
    #[case::repeat_last_of_few(Names::FEW, Some((0, Names::FEW - 1)), Err(JsonError::DuplicateKey))]
    fn duplicates_are_found_at_any_count(
        #[case] len: usize,
        #[case] repeat: Option<(usize, usize)>,
        #[case] want: Result<usize, JsonError>,
    ) {
        let text = object(len, repeat);
        let mut count = 0;
        let got = visit_object(text.as_bytes(), 4, |_| false, |_, _| count += 1).map(|()| count);
        assert_eq!(got, want);
        assert_eq!(parse_object(text.as_bytes(), 4).map(|m| m.len()), want);
    }

    /// A name with escapes leaves the table for the set, keeping what the table held.
    #[rstest]
    #[case::escaped_repeats_borrowed(r#"{"a":1,"b":2,"\u0061":3}"#, Err(JsonError::DuplicateKey))]
    #[case::borrowed_repeats_escaped(r#"{"\u0061":1,"b":2,"a":3}"#, Err(JsonError::DuplicateKey))]
    #[case::escaped_repeats_escaped(r#"{"\u0061":1,"\u0061":2}"#, Err(JsonError::DuplicateKey))]
    #[case::escaped_distinct(r#"{"a":1,"\u0062":2,"c":3}"#, Ok(3))]
    fn escaped_names_are_compared_unescaped(
        #[case] text: &str,
        #[case] want: Result<usize, JsonError>,
    ) {
        let mut count = 0;
        let got = visit_object(text.as_bytes(), 4, |_| false, |_, _| count += 1).map(|()| count);
        assert_eq!(got, want);
        assert_eq!(parse_object(text.as_bytes(), 4).map(|m| m.len()), want);
    }

    /// Names that share a table slot are still told apart, and still found again.
    #[test]
    fn colliding_names_are_compared_by_their_text() {
        let mut names = Names::default();
        let all: Vec<String> = (0..Names::FEW).map(|i| format!("claim{i}")).collect();
        for name in &all {
            assert!(names.insert(&Cow::Borrowed(name)), "{name} is new");
        }
        for name in &all {
            assert!(!names.insert(&Cow::Borrowed(name)), "{name} repeats");
        }
    }

    #[rstest]
    #[case::int("-5", Member::Int(-5))]
    #[case::max("9223372036854775807", Member::Int(i64::MAX))]
    #[case::big("9223372036854775808", Member::BigUint(1 << 63))]
    #[case::beyond_u64("18446744073709551616", Member::OtherNumber)]
    #[case::minus_zero("-0", Member::OtherNumber)]
    #[case::fraction("1.0", Member::OtherNumber)]
    #[case::exponent("1e2", Member::OtherNumber)]
    #[case::escaped(r#""ab""#, Member::Str(Cow::Owned("ab".into())))]
    #[case::object(r#"{"a":[1]}"#, Member::Object)]
    #[case::mixed(r#"["a",1,"b"]"#, Member::Array(Strings { len: 3, all_strings: false, kept: vec!["a".into(), "b".into()] }))]
    #[case::empty("[]", Member::Array(Strings { len: 0, all_strings: true, kept: vec![] }))]
    fn members_are_typed_as_serde_json_reads_them(#[case] value: &str, #[case] want: Member) {
        let text = format!(r#"{{"v":{value}}}"#);
        let mut got = Vec::new();
        visit_object(text.as_bytes(), 4, |_| true, |_, v| got.push(v.clone())).unwrap();
        assert_eq!(got, std::slice::from_ref(&want));
        let parsed = parse_object(text.as_bytes(), 4).unwrap();
        assert_eq!(parsed["v"].as_i64(), want.as_i64(), "as_i64 agrees");
        assert_eq!(parsed["v"].as_u64(), want.as_u64(), "as_u64 agrees");
        assert_eq!(parsed["v"].as_str(), want.as_str(), "as_str agrees");
    }
}
