//! The strict JSON layer against `serde_json` as a differential, at nesting bounds 1, 16 and 64:
//! strict accept ⇒ serde_json parses to the same value within the bound; serde_json reject ⇒
//! strict reject; a strict rejection of what serde_json parses is exactly a depth overrun or a
//! repeated member name, both measured by an independent walk of the whole document (serde_json's
//! `Value` keeps only the last of repeated members, so its depth can be less than the text's).
//! `parse_object` agrees with `parse`, except that a non-object is malformed even when it holds
//! a repeated name; `visit_object` (the header's and the claims' reader) and `ClaimSet::read`
//! refuse exactly what `parse_object` refuses, and `visit_object` types every member as
//! `serde_json` reads it (strings, integers in and beyond `i64`, arrays of strings).
#![no_main]

use std::fmt;

use jwt_conformance_fuzz::oracle;
use libfuzzer_sys::fuzz_target;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use verifier::json::{self, JsonError, Member};

/// Walks every value of the text, dropped duplicates included: (some object repeats a member
/// name after unescaping, nesting depth as the strict parser counts it).
struct Walk;

type Shape = (bool, usize);

impl<'de> Visitor<'de> for Walk {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
        Ok((false, 0))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
        Ok((false, 0))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
        Ok((false, 0))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
        Ok((false, 0))
    }
    fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
        Ok((false, 0))
    }
    fn visit_unit<E>(self) -> Result<Shape, E> {
        Ok((false, 0))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let (mut dup, mut depth) = (false, 0);
        while let Some((d, n)) = seq.next_element_seed(Seed)? {
            dup |= d;
            depth = depth.max(n);
        }
        Ok((dup, depth + 1))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut names: Vec<String> = Vec::new();
        let (mut dup, mut depth) = (false, 0);
        while let Some(name) = map.next_key::<String>()? {
            dup |= names.contains(&name);
            names.push(name);
            let (d, n) = map.next_value_seed(Seed)?;
            dup |= d;
            depth = depth.max(n);
        }
        Ok((dup, depth + 1))
    }
}

struct Seed;

impl<'de> de::DeserializeSeed<'de> for Seed {
    type Value = Shape;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        d.deserialize_any(Walk)
    }
}

/// The shape of a text serde_json parses (its own recursion limit of 128 applies).
fn shape(data: &[u8]) -> Option<Shape> {
    let mut de = serde_json::Deserializer::from_slice(data);
    let shape = de.deserialize_any(Walk).ok()?;
    de.end().ok()?;
    Some(shape)
}

fuzz_target!(|data: &[u8]| {
    let lenient: Result<Value, _> = serde_json::from_slice(data);
    let shape = lenient.as_ref().ok().and_then(|_| shape(data));
    // Each strict parse once: `parse` at 16 and `parse_object` are needed again below (they were
    // parsed twice and three times per input).
    let strict_at = [1usize, 16, 64].map(|bound| (bound, json::parse(data, bound)));
    for (bound, strict) in &strict_at {
        let bound = *bound;
        match (strict, &lenient) {
            (Ok(v), Ok(l)) => {
                assert_eq!(v, l, "strict and serde_json values differ");
                assert!(oracle::depth(v) <= bound, "accepted beyond the depth bound");
                assert_eq!(shape.map(|s| s.0), Some(false), "accepted a repeated name");
                assert!(
                    shape.is_some_and(|s| s.1 <= bound),
                    "accepted a deep dropped member"
                );
            }
            (Ok(_), Err(e)) => panic!("strict accepted what serde_json rejects: {e}"),
            (Err(_), Err(_)) => {}
            (Err(JsonError::DuplicateKey), Ok(_)) => {
                let (dup, depth) = shape.expect("serde_json parsed it");
                assert!(depth <= bound, "depth overrun reported as duplicate");
                assert!(dup, "duplicate reported without one");
            }
            (Err(JsonError::Malformed), Ok(_)) => {
                let (_, depth) = shape.expect("serde_json parsed it");
                assert!(depth > bound, "rejected well-formed JSON within the bound");
            }
        }
    }
    // `parse_object`: not being an object wins over a nested duplicate.
    let is_object = lenient.as_ref().is_ok_and(Value::is_object);
    let object = json::parse_object(data, 16);
    match (&object, &strict_at[1].1) {
        (Ok(map), Ok(Value::Object(whole))) => assert_eq!(map, whole),
        (Ok(_), _) => panic!("parse_object accepted what parse does not give as an object"),
        (Err(JsonError::DuplicateKey), Err(JsonError::DuplicateKey)) => assert!(is_object),
        (Err(JsonError::DuplicateKey), _) => panic!("parse_object invented a duplicate"),
        (Err(JsonError::Malformed), Ok(v)) => assert!(!v.is_object()),
        (Err(JsonError::Malformed), Err(JsonError::DuplicateKey)) => {
            assert!(!is_object, "a duplicate in an object reported as malformed")
        }
        (Err(JsonError::Malformed), Err(JsonError::Malformed)) => {}
    }
    // `visit_object`: the same verdict as `parse_object`, and each member typed as `serde_json`
    // reads it; `ClaimSet::read` (the payload's reader) the same verdict again.
    let mut members = Vec::new();
    let visited = json::visit_object(
        data,
        16,
        |name| name.len() % 2 == 0,
        |name, value| {
            members.push((name.into_owned(), value.clone()));
        },
    );
    let claims = std::str::from_utf8(data).map_or(Err(JsonError::Malformed), |text| {
        verifier::ClaimSet::read(text, 16).map(drop)
    });
    assert_eq!(claims, visited, "ClaimSet::read and visit_object differ");
    match (visited, &object) {
        (Ok(()), Ok(map)) => {
            assert_eq!(members.len(), map.len(), "visit_object saw other names");
            for (name, member) in &members {
                same_member(name, member, &map[name]);
            }
        }
        (Err(a), Err(b)) => assert_eq!(&a, b, "visit_object and parse_object refuse differently"),
        (a, b) => panic!(
            "visit_object {a:?}, parse_object {:?}",
            b.as_ref().map(drop)
        ),
    }
});

/// `member`, as `visit_object` typed it (keeping the strings of arrays under even-length
/// names), is `value` as `serde_json` reads it.
fn same_member(name: &str, member: &Member<'_>, value: &Value) {
    assert_eq!(member.as_str(), value.as_str(), "{name:?}: as_str");
    assert_eq!(member.as_i64(), value.as_i64(), "{name:?}: as_i64");
    assert_eq!(member.as_u64(), value.as_u64(), "{name:?}: as_u64");
    let kind = match value {
        Value::Null => matches!(member, Member::Null),
        Value::Bool(b) => member == &Member::Bool(*b),
        Value::Number(_) => matches!(
            member,
            Member::Int(_) | Member::BigUint(_) | Member::OtherNumber
        ),
        Value::String(_) => matches!(member, Member::Str(_)),
        Value::Object(_) => matches!(member, Member::Object),
        Value::Array(items) => match member {
            Member::Array(a) => {
                let strings: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                let kept: Vec<&str> = a.kept.iter().map(|s| &**s).collect();
                let want: &[&str] = if name.len() % 2 == 0 { &strings } else { &[] };
                a.len == items.len()
                    && a.all_strings == (strings.len() == items.len())
                    && kept == want
            }
            _ => false,
        },
    };
    assert!(kind, "{name:?}: {member:?} is not {value}");
}
