//! The claims of an authenticated payload, read once by the strict JSON reader into borrowed
//! values ([`ClaimSet`], what the rules read), and the verified claims handed to the caller
//! ([`Claims`]: the registered ones typed, the rest as JSON text parsed on demand).

use std::fmt;
use std::ops::Range;

use serde_json::{Map, Value};

use crate::json::{self, JsonError, Member};

/// The claims some rule reads: each has a slot of its own in a [`ClaimSet`], so a rule finds
/// its claim without a map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    Iss,
    Sub,
    Aud,
    Exp,
    Nbf,
    Iat,
    Jti,
    ClientId,
    Azp,
    Nonce,
    Cat,
    Sid,
    Sv,
    AccountType,
    Caps,
    Scopes,
    DlgDepth,
    Admin,
    ActivePpnum,
}

impl Claim {
    const COUNT: usize = 19;

    /// The claim's name in a JWT Claims Set.
    pub fn name(self) -> &'static str {
        match self {
            Claim::Iss => "iss",
            Claim::Sub => "sub",
            Claim::Aud => "aud",
            Claim::Exp => "exp",
            Claim::Nbf => "nbf",
            Claim::Iat => "iat",
            Claim::Jti => "jti",
            Claim::ClientId => "client_id",
            Claim::Azp => "azp",
            Claim::Nonce => "nonce",
            Claim::Cat => "cat",
            Claim::Sid => "sid",
            Claim::Sv => "sv",
            Claim::AccountType => "account_type",
            Claim::Caps => "caps",
            Claim::Scopes => "scopes",
            Claim::DlgDepth => "dlg_depth",
            Claim::Admin => "admin",
            Claim::ActivePpnum => "active_ppnum",
        }
    }

    /// The claim named `name`, when a rule reads it.
    pub fn from_name(name: &str) -> Option<Claim> {
        Some(match name {
            "iss" => Claim::Iss,
            "sub" => Claim::Sub,
            "aud" => Claim::Aud,
            "exp" => Claim::Exp,
            "nbf" => Claim::Nbf,
            "iat" => Claim::Iat,
            "jti" => Claim::Jti,
            "client_id" => Claim::ClientId,
            "azp" => Claim::Azp,
            "nonce" => Claim::Nonce,
            "cat" => Claim::Cat,
            "sid" => Claim::Sid,
            "sv" => Claim::Sv,
            "account_type" => Claim::AccountType,
            "caps" => Claim::Caps,
            "scopes" => Claim::Scopes,
            "dlg_depth" => Claim::DlgDepth,
            "admin" => Claim::Admin,
            "active_ppnum" => Claim::ActivePpnum,
            _ => return None,
        })
    }
}

/// An authenticated payload, read: the values of the claims the rules read, borrowed from the
/// payload text, and the text itself for the rare rule that asks about any other name.
pub struct ClaimSet<'a> {
    text: &'a str,
    max_depth: usize,
    values: [Option<Member<'a>>; Claim::COUNT],
}

impl<'a> ClaimSet<'a> {
    /// Reads `text`, which must be one strict JSON object (see [`crate::json`]); only `aud`
    /// keeps its array elements (the one array a rule compares element by element).
    pub fn read(text: &'a str, max_depth: usize) -> Result<ClaimSet<'a>, JsonError> {
        let mut values = [const { None }; Claim::COUNT];
        let keep = |name: &str| name == "aud";
        json::visit_object_str(text, max_depth, keep, |name, value| {
            if let Some(claim) = Claim::from_name(&name) {
                values[claim as usize] = Some(value);
            }
        })?;
        Ok(ClaimSet {
            text,
            max_depth,
            values,
        })
    }

    /// The claim's value, when present.
    pub fn get(&self, claim: Claim) -> Option<&Member<'a>> {
        self.values[claim as usize].as_ref()
    }

    /// The claim's value, when it is a string.
    pub fn str(&self, claim: Claim) -> Option<&str> {
        self.get(claim).and_then(Member::as_str)
    }

    /// The claim's value, when it is a non-empty string.
    pub fn non_empty_str(&self, claim: Claim) -> Option<&str> {
        self.str(claim).filter(|s| !s.is_empty())
    }

    /// The claim's value, when it is an integer in the `i64` range.
    pub fn int(&self, claim: Claim) -> Option<i64> {
        self.get(claim).and_then(Member::as_i64)
    }

    /// True when the payload has a member `name`, whatever its value.
    pub fn contains(&self, name: &str) -> bool {
        match Claim::from_name(name) {
            Some(claim) => self.get(claim).is_some(),
            None => !self.every_name(|n| n != name),
        }
    }

    /// The registered claims, as places in the text.
    pub(crate) fn registered(&self) -> Registered {
        let text = self.text;
        let at = |claim| match self.get(claim) {
            Some(Member::Str(s)) => Some(Text::of(s, text)),
            _ => None,
        };
        let aud = match self.get(Claim::Aud) {
            Some(Member::Str(s)) => Audience::One(Text::of(s, text)),
            Some(Member::Array(a)) => {
                Audience::Many(a.kept.iter().map(|s| Text::of(s, text)).collect())
            }
            _ => Audience::None,
        };
        Registered {
            iss: at(Claim::Iss),
            sub: at(Claim::Sub),
            jti: at(Claim::Jti),
            client_id: at(Claim::ClientId),
            azp: at(Claim::Azp),
            nonce: at(Claim::Nonce),
            aud,
            exp: self.int(Claim::Exp),
            nbf: self.int(Claim::Nbf),
            iat: self.int(Claim::Iat),
        }
    }

    /// True when every member name satisfies `ok`. Reads the text again: only a profile with a
    /// claim allowlist or an unusual required claim asks.
    pub fn every_name(&self, mut ok: impl FnMut(&str) -> bool) -> bool {
        let mut all = true;
        let read = json::visit_object_str(
            self.text,
            self.max_depth,
            |_| false,
            |name, _| {
                all &= ok(&name);
            },
        );
        // The text was read once already; should it fail now, no name is vouched for.
        read.is_ok() && all
    }
}

/// The verified claims of an accepted token: the registered claims typed, every claim as the
/// payload's JSON text, and a `serde_json` map on demand.
///
/// Contract v2 (README, *Public contracts*; v1 was the map itself, built on every token): the
/// accept path builds no map, so what is not registered is parsed only when asked for.
#[derive(Clone, PartialEq, Eq)]
pub struct Claims {
    text: String,
    registered: Registered,
}

/// The registered claims' values, as places in the text (or owned, for a string that had
/// escapes).
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Registered {
    iss: Option<Text>,
    sub: Option<Text>,
    jti: Option<Text>,
    client_id: Option<Text>,
    azp: Option<Text>,
    nonce: Option<Text>,
    aud: Audience,
    exp: Option<i64>,
    nbf: Option<i64>,
    iat: Option<i64>,
}

/// `aud` as registered: one string (the common case, kept without a list), or the strings of
/// an array.
#[derive(Clone, Default, PartialEq, Eq)]
enum Audience {
    #[default]
    None,
    One(Text),
    Many(Vec<Text>),
}

#[derive(Clone, PartialEq, Eq)]
enum Text {
    In(Range<usize>),
    Owned(Box<str>),
}

impl Text {
    /// Where `s` lies in `text` when it is borrowed from it, else a copy.
    fn of(s: &str, text: &str) -> Text {
        let start = (s.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        let range = start..start.wrapping_add(s.len());
        match text.get(range.clone()) {
            Some(t) if std::ptr::eq(s.as_ptr(), t.as_ptr()) => Text::In(range),
            _ => Text::Owned(s.into()),
        }
    }

    fn get<'t>(&'t self, text: &'t str) -> &'t str {
        match self {
            Text::In(range) => text.get(range.clone()).unwrap_or_default(),
            Text::Owned(s) => s,
        }
    }
}

impl Claims {
    /// The claims read from `text`, with the registered ones `ClaimSet::registered` found.
    pub(crate) fn new(text: String, registered: Registered) -> Claims {
        Claims { text, registered }
    }

    fn text<'s>(&'s self, t: &'s Option<Text>) -> Option<&'s str> {
        t.as_ref().map(|t| t.get(&self.text))
    }

    /// `iss`, when a string.
    pub fn iss(&self) -> Option<&str> {
        self.text(&self.registered.iss)
    }

    /// `sub`, when a string.
    pub fn sub(&self) -> Option<&str> {
        self.text(&self.registered.sub)
    }

    /// `jti`, when a string.
    pub fn jti(&self) -> Option<&str> {
        self.text(&self.registered.jti)
    }

    /// `client_id` (RFC 9068 §2.2), when a string.
    pub fn client_id(&self) -> Option<&str> {
        self.text(&self.registered.client_id)
    }

    /// `azp` (OpenID Connect Core §2), when a string.
    pub fn azp(&self) -> Option<&str> {
        self.text(&self.registered.azp)
    }

    /// `nonce` (OpenID Connect Core §2), when a string.
    pub fn nonce(&self) -> Option<&str> {
        self.text(&self.registered.nonce)
    }

    /// The audiences `aud` names: itself when a string, its string elements when an array.
    pub fn audiences(&self) -> impl Iterator<Item = &str> {
        let texts = match &self.registered.aud {
            Audience::None => &[][..],
            Audience::One(t) => std::slice::from_ref(t),
            Audience::Many(ts) => &ts[..],
        };
        texts.iter().map(|t| t.get(&self.text))
    }

    /// `exp`, when an integer.
    pub fn exp(&self) -> Option<i64> {
        self.registered.exp
    }

    /// `nbf`, when an integer.
    pub fn nbf(&self) -> Option<i64> {
        self.registered.nbf
    }

    /// `iat`, when an integer.
    pub fn iat(&self) -> Option<i64> {
        self.registered.iat
    }

    /// The payload: the JSON text the signature covered, decoded from base64url.
    pub fn json(&self) -> &str {
        &self.text
    }

    /// One claim, parsed from the text.
    pub fn get(&self, name: &str) -> Option<Value> {
        self.to_map().remove(name)
    }

    /// Every claim as a `serde_json` map, parsed from the text.
    pub fn to_map(&self) -> Map<String, Value> {
        // The verifier read this text under the same rules (with a depth bound no deeper than
        // the ceiling), so this parse cannot fail; an empty map would be the fail-closed answer.
        json::parse_object(self.text.as_bytes(), crate::profile::MAX_JSON_DEPTH_CEILING)
            .unwrap_or_default()
    }

    /// Every claim as a `serde_json` map.
    pub fn into_map(self) -> Map<String, Value> {
        self.to_map()
    }
}

impl fmt::Debug for Claims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Claim values can carry personal data; names are enough to debug.
        let mut names = Vec::new();
        let _ = json::visit_object_str(
            &self.text,
            crate::profile::MAX_JSON_DEPTH_CEILING,
            |_| false,
            |name, _| names.push(name),
        );
        f.debug_struct("Claims").field("names", &names).finish()
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;
    use serde_json::json;

    use super::*;

    /// The claims `verify` would return for `text`.
    fn claims(text: &str) -> Claims {
        let set = ClaimSet::read(text, 16).expect("a claims set");
        let registered = set.registered();
        Claims::new(text.to_owned(), registered)
    }

    /// Every typed accessor answers what the `serde_json` map holds, escapes and all.
    #[rstest]
    #[case::plain(r#"{"iss":"i","sub":"s","aud":"a","exp":2,"nbf":1,"iat":0,"jti":"j","client_id":"c","azp":"z","nonce":"n"}"#)]
    #[case::escaped(r#"{"iss":"\u0069ss","sub":"a\"b","aud":["x","\u0079",3],"jti":"\\"}"#)]
    #[case::escaped_names(r#"{"\u0069ss":"i","a\u0075d":"a"}"#)]
    #[case::wrong_types(
        r#"{"iss":1,"sub":null,"aud":{"a":1},"exp":1.5,"nbf":"1","iat":-0,"nonce":[]}"#
    )]
    #[case::big(r#"{"exp":9223372036854775808,"iat":-9223372036854775808}"#)]
    #[case::empty("{}")]
    fn accessors_agree_with_the_map(#[case] text: &str) {
        let c = claims(text);
        let map = c.to_map();
        let s = |name: &str| map.get(name).and_then(Value::as_str);
        let i = |name: &str| map.get(name).and_then(Value::as_i64);
        assert_eq!(c.iss(), s("iss"));
        assert_eq!(c.sub(), s("sub"));
        assert_eq!(c.jti(), s("jti"));
        assert_eq!(c.client_id(), s("client_id"));
        assert_eq!(c.azp(), s("azp"));
        assert_eq!(c.nonce(), s("nonce"));
        assert_eq!((c.exp(), c.nbf(), c.iat()), (i("exp"), i("nbf"), i("iat")));
        let want: Vec<&str> = match map.get("aud") {
            Some(Value::String(a)) => vec![a],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        assert_eq!(c.audiences().collect::<Vec<_>>(), want);
        assert_eq!(c.get("aud"), map.get("aud").cloned());
        assert_eq!(c.json(), text);
        assert_eq!(c.clone().into_map(), map);
    }

    #[test]
    fn names_are_found_whether_a_rule_reads_them_or_not() {
        let text = r#"{"iss":"i","x-tenant":"t","\u0063at":"k"}"#;
        let set = ClaimSet::read(text, 16).unwrap();
        assert!(set.contains("iss") && set.contains("x-tenant") && set.contains("cat"));
        assert!(!set.contains("sub") && !set.contains("x-other"));
        assert!(set.every_name(|n| ["iss", "x-tenant", "cat"].contains(&n)));
        assert!(!set.every_name(|n| n != "x-tenant"));
        assert_eq!(set.str(Claim::Cat), Some("k"));
    }

    #[test]
    fn every_claim_name_round_trips() {
        for name in json!({"iss":0,"sub":0,"aud":0,"exp":0,"nbf":0,"iat":0,"jti":0,"client_id":0,
            "azp":0,"nonce":0,"cat":0,"sid":0,"sv":0,"account_type":0,"caps":0,"scopes":0,
            "dlg_depth":0,"admin":0,"active_ppnum":0})
        .as_object()
        .unwrap()
        .keys()
        {
            let claim = Claim::from_name(name).expect("a claim");
            assert_eq!(claim.name(), name);
            assert!((claim as usize) < Claim::COUNT);
        }
    }

    #[test]
    fn debug_shows_names_not_values() {
        let shown = format!("{:?}", claims(r#"{"sub":"secret-subject","email":"a@b"}"#));
        assert_eq!(shown, r#"Claims { names: ["sub", "email"] }"#);
    }
}
