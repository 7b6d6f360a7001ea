//! The vocabulary of malformed tokens shared by the `structured` fuzz target and the
//! `conformance hunt` campaign: JSON values and literals a header or payload member can take,
//! the shapes a document can be rendered in (escapes, trailing data, comments…), base64url and
//! segment quirks, the JWS serialization, and profile knobs. Each type derives `Arbitrary`, so
//! a fuzzer or a seeded byte stream picks values; [`Doc::render`] and the quirk functions turn
//! them into bytes. Every enum's first variant is the valid choice.

use std::fmt::Write as _;

use arbitrary::Arbitrary;
use serde_json::{Map, Value};

/// The issuer and audience the baseline world pins, and the `cat` a knob can require.
pub const ISSUER: &str = crate::ISSUER;
pub const AUDIENCE: &str = crate::AUDIENCE;
pub const CAT: &str = "access";
/// The default profile's JSON nesting bound ([`Doc::semantics`] reads it).
pub const MAX_DEPTH: usize = 16;

/// Profile variations (each `false` is the default strict profile without lifetime bound).
#[derive(Arbitrary, Clone, Copy, Debug)]
pub struct Knobs {
    /// 30 s of exp/nbf leeway instead of 0.
    pub leeway: bool,
    /// 0 s of iat skew instead of 60.
    pub no_iat_skew: bool,
    /// A 3600 s lifetime bound instead of none.
    pub lifetime: bool,
    /// Require `cat` = `access`.
    pub cat: bool,
}

impl Knobs {
    /// Seconds of `exp`/`nbf` leeway.
    pub fn leeway_secs(self) -> u64 {
        if self.leeway { 30 } else { 0 }
    }

    /// Seconds an `iat` may lie in the future.
    pub fn iat_skew_secs(self) -> u64 {
        if self.no_iat_skew { 0 } else { 60 }
    }

    /// The longest lifetime (`exp − iat`) allowed, if bounded.
    pub fn max_lifetime_secs(self) -> Option<u64> {
        self.lifetime.then_some(3600)
    }

    /// The `cat` claim required, if any.
    pub fn expected_cat(self) -> Option<&'static str> {
        self.cat.then_some(CAT)
    }
}

/// Which strings are written as `\uXXXX` escapes (the unescaped value is what counts).
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Escape {
    None,
    Names,
    Values,
    All,
}

/// The shape of a header or payload document.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocForm {
    Object,
    Array,
    Scalar,
    TrailingComma,
    MissingBrace,
    TrailingData,
    TwoObjects,
    Bom,
    InvalidUtf8,
    Comment,
    SingleQuoted,
    NanValue,
    LoneSurrogate,
    Empty,
    LeadingZero,
}

#[derive(Arbitrary, Clone, Debug)]
pub enum JVal {
    Str(StrLit),
    Num(NumLit),
    Bool(bool),
    Null,
    Arr(Vec<JVal>),
    Obj(Vec<(StrLit, JVal)>),
    /// `depth` nested arrays (or objects), innermost empty.
    Deep(u8, bool),
    /// A value kept as it is: a member of a corpus token that a mutation leaves alone. Never
    /// picked by `Arbitrary` (the structured model builds its documents from the vocabulary).
    #[arbitrary(skip)]
    Json(Value),
}

#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum NumLit {
    Int(i64),
    Small(i16),
    /// `2^63 | n`: a JSON integer outside i64.
    Big(u64),
    /// `1` followed by 20 to 39 zeros.
    Huge(u8),
    /// `i.f`
    Float(i32, u8),
    /// `me±e`
    Exp(i16, i8),
    NegZero,
    /// `i.0`
    IntDotZero(i32),
}

#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrLit {
    Es256,
    Es256Lower,
    Es256Space,
    None_,
    NoneCap,
    NoneUpper,
    Hs256,
    Hs384,
    Hs512,
    Rs256,
    Ps256,
    Es384,
    Es512,
    Es256k,
    EdDsa,
    AtJwt,
    AtJwtUpper,
    AppAtJwt,
    Jwt,
    Primary,
    Secondary,
    Outsider,
    Empty,
    Issuer,
    IssuerSlash,
    IssuerUpper,
    Audience,
    OtherAud,
    Client,
    Jti,
    Sub,
    Access,
    Refresh,
    Alg,
    Kid,
    Typ,
    Exp,
    NonAscii,
    Astral,
    Control,
    Quotes,
    /// `a` repeated `n % 12000` times.
    Long(u16),
}

#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum HName {
    Alg,
    Typ,
    Kid,
    Jku,
    X5u,
    Jwk,
    X5c,
    Crit,
    B64,
    Cty,
    Zip,
    Enc,
    X5t,
    Other(StrLit),
}

#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum CName {
    Iss,
    Aud,
    Exp,
    Iat,
    Nbf,
    Sub,
    ClientId,
    Jti,
    Cat,
    Scope,
    Other(StrLit),
}

#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seg {
    Header,
    Payload,
    Signature,
}

#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum BadByte {
    Space,
    Newline,
    Tab,
    Nul,
    High,
    Quote,
    Comma,
}

#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Quirk {
    /// Append `=` (padding).
    AppendPad(Seg),
    /// Insert `+` (or `/`) at a position.
    InsertStd(Seg, u16, bool),
    InsertBad(Seg, u16, BadByte),
    InsertDot(Seg, u16),
    /// Set a non-zero bit among the unused trailing bits (no effect on lengths 4k).
    TrailingBits(Seg),
    /// Drop 1 to 4 characters from the end.
    Truncate(Seg, u8),
}

#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Form {
    Compact,
    /// JWS JSON serialization, after 0–3 spaces.
    JwsJson(u8),
}

impl Form {
    /// The token of these header, payload and signature segments in this serialization.
    pub fn assemble(self, header: &[u8], payload: &[u8], signature: &[u8]) -> Vec<u8> {
        match self {
            Form::Compact => [header, b".", payload, b".", signature].concat(),
            Form::JwsJson(ws) => [
                " ".repeat(usize::from(ws % 4)).as_bytes(),
                b"{\"protected\":\"",
                header,
                b"\",\"payload\":\"",
                payload,
                b"\",\"signature\":\"",
                signature,
                b"\"}",
            ]
            .concat(),
        }
    }
}

impl StrLit {
    pub fn text(self) -> String {
        match self {
            StrLit::Long(n) => "a".repeat(usize::from(n) % 12000),
            other => other.fixed().to_owned(),
        }
    }

    pub fn fixed(self) -> &'static str {
        match self {
            StrLit::Es256 => "ES256",
            StrLit::Es256Lower => "es256",
            StrLit::Es256Space => "ES256 ",
            StrLit::None_ => "none",
            StrLit::NoneCap => "None",
            StrLit::NoneUpper => "NONE",
            StrLit::Hs256 => "HS256",
            StrLit::Hs384 => "HS384",
            StrLit::Hs512 => "HS512",
            StrLit::Rs256 => "RS256",
            StrLit::Ps256 => "PS256",
            StrLit::Es384 => "ES384",
            StrLit::Es512 => "ES512",
            StrLit::Es256k => "ES256K",
            StrLit::EdDsa => "EdDSA",
            StrLit::AtJwt => "at+jwt",
            StrLit::AtJwtUpper => "AT+JWT",
            StrLit::AppAtJwt => "application/at+jwt",
            StrLit::Jwt => "JWT",
            StrLit::Primary => "primary",
            StrLit::Secondary => "secondary",
            StrLit::Outsider => "outsider",
            StrLit::Empty => "",
            StrLit::Issuer => ISSUER,
            StrLit::IssuerSlash => "https://issuer.example/",
            StrLit::IssuerUpper => "HTTPS://ISSUER.EXAMPLE",
            StrLit::Audience => AUDIENCE,
            StrLit::OtherAud => "https://other.example",
            StrLit::Client => "client-1",
            StrLit::Jti => "jti-1",
            StrLit::Sub => "01HZY2J3K4M5N6P7Q8R9S0T1V2",
            StrLit::Access => CAT,
            StrLit::Refresh => "refresh",
            StrLit::Alg => "alg",
            StrLit::Kid => "kid",
            StrLit::Typ => "typ",
            StrLit::Exp => "exp",
            StrLit::NonAscii => "ünïcødé",
            StrLit::Astral => "\u{1F600}x",
            StrLit::Control => "a\u{0}b\u{1f}\u{7f}",
            StrLit::Quotes => "\"\\/'",
            StrLit::Long(_) => "",
        }
    }
}

impl HName {
    pub fn text(self) -> String {
        match self {
            HName::Alg => "alg".into(),
            HName::Typ => "typ".into(),
            HName::Kid => "kid".into(),
            HName::Jku => "jku".into(),
            HName::X5u => "x5u".into(),
            HName::Jwk => "jwk".into(),
            HName::X5c => "x5c".into(),
            HName::Crit => "crit".into(),
            HName::B64 => "b64".into(),
            HName::Cty => "cty".into(),
            HName::Zip => "zip".into(),
            HName::Enc => "enc".into(),
            HName::X5t => "x5t".into(),
            HName::Other(s) => s.text(),
        }
    }
}

impl CName {
    pub fn text(self) -> String {
        match self {
            CName::Iss => "iss".into(),
            CName::Aud => "aud".into(),
            CName::Exp => "exp".into(),
            CName::Iat => "iat".into(),
            CName::Nbf => "nbf".into(),
            CName::Sub => "sub".into(),
            CName::ClientId => "client_id".into(),
            CName::Jti => "jti".into(),
            CName::Cat => "cat".into(),
            CName::Scope => "scope".into(),
            CName::Other(s) => s.text(),
        }
    }
}

impl NumLit {
    pub fn render(self) -> String {
        match self {
            NumLit::Int(i) => i.to_string(),
            NumLit::Small(i) => i.to_string(),
            NumLit::Big(u) => (u | (1 << 63)).to_string(),
            NumLit::Huge(n) => format!("1{}", "0".repeat(20 + usize::from(n % 20))),
            NumLit::Float(i, f) => format!("{i}.{f}"),
            NumLit::Exp(m, e) => format!("{m}e{e}"),
            NumLit::NegZero => "-0".into(),
            NumLit::IntDotZero(i) => format!("{i}.0"),
        }
    }

    /// The value as a JSON integer in i64 range, if it is one (RFC 8259 number grammar:
    /// a fraction or exponent makes a float, and so does `-0` in serde_json).
    pub fn integer(self) -> Option<i64> {
        match self {
            NumLit::Int(i) => Some(i),
            NumLit::Small(i) => Some(i64::from(i)),
            _ => None,
        }
    }
}

impl JVal {
    pub fn str(&self) -> Option<String> {
        match self {
            JVal::Str(s) => Some(s.text()),
            JVal::Json(Value::String(s)) => Some(s.clone()),
            _ => None,
        }
    }

    pub fn integer(&self) -> Option<i64> {
        match self {
            JVal::Num(n) => n.integer(),
            JVal::Json(v) => v.as_i64(),
            _ => None,
        }
    }

    pub fn depth(&self) -> usize {
        match self {
            JVal::Arr(items) => 1 + items.iter().map(JVal::depth).max().unwrap_or(0),
            JVal::Obj(members) => 1 + members.iter().map(|(_, v)| v.depth()).max().unwrap_or(0),
            JVal::Deep(d, _) => usize::from(*d).max(1),
            JVal::Json(v) => json_depth(v),
            _ => 0,
        }
    }

    pub fn has_duplicate(&self) -> bool {
        match self {
            JVal::Arr(items) => items.iter().any(JVal::has_duplicate),
            JVal::Obj(members) => {
                let names: Vec<String> = members.iter().map(|(k, _)| k.text()).collect();
                has_repeat(&names) || members.iter().any(|(_, v)| v.has_duplicate())
            }
            _ => false,
        }
    }

    /// The value serde_json produces for this JSON (numbers through serde_json's own parser).
    pub fn to_value(&self) -> Value {
        match self {
            JVal::Json(v) => v.clone(),
            JVal::Str(s) => Value::String(s.text()),
            JVal::Num(n) => serde_json::from_str(&n.render()).unwrap_or(Value::Null),
            JVal::Bool(b) => Value::Bool(*b),
            JVal::Null => Value::Null,
            JVal::Arr(items) => Value::Array(items.iter().map(JVal::to_value).collect()),
            JVal::Obj(members) => {
                let mut map = Map::new();
                for (k, v) in members {
                    map.insert(k.text(), v.to_value());
                }
                Value::Object(map)
            }
            JVal::Deep(d, obj) => {
                let mut v = if *obj {
                    Value::Object(Map::new())
                } else {
                    Value::Array(Vec::new())
                };
                for _ in 1..usize::from(*d).max(1) {
                    v = if *obj {
                        let mut m = Map::new();
                        m.insert("a".into(), v);
                        Value::Object(m)
                    } else {
                        Value::Array(vec![v])
                    };
                }
                v
            }
        }
    }
}

/// Nesting depth of a JSON value (0 for a scalar), as [`JVal::depth`] counts it.
fn json_depth(v: &Value) -> usize {
    match v {
        Value::Array(items) => 1 + items.iter().map(json_depth).max().unwrap_or(0),
        Value::Object(members) => 1 + members.values().map(json_depth).max().unwrap_or(0),
        _ => 0,
    }
}

pub fn has_repeat(names: &[String]) -> bool {
    names
        .iter()
        .enumerate()
        .any(|(i, n)| names[..i].contains(n))
}

/// A lowered document: members in rendering order.
#[derive(Clone, Debug)]
pub struct Doc {
    pub members: Vec<(String, JVal)>,
    pub escape: Escape,
    pub form: DocForm,
    pub spaced: bool,
}

impl Doc {
    pub fn new(
        mut members: Vec<(String, JVal)>,
        order: u8,
        escape: Escape,
        form: DocForm,
        spaced: bool,
    ) -> Doc {
        if !members.is_empty() {
            let n = usize::from(order) % members.len();
            members.rotate_left(n);
        }
        Doc {
            members,
            escape,
            form,
            spaced,
        }
    }

    /// `Some(members)` when the bytes are a strict JSON object within the depth bound without
    /// repeated names; `Err(true)` for a duplicate; `Err(false)` for anything unparseable.
    pub fn semantics(&self) -> Result<Map<String, Value>, bool> {
        if self.form != DocForm::Object {
            return Err(false);
        }
        let depth = 1 + self
            .members
            .iter()
            .map(|(_, v)| v.depth())
            .max()
            .unwrap_or(0);
        if depth > MAX_DEPTH {
            return Err(false);
        }
        let names: Vec<String> = self.members.iter().map(|(n, _)| n.clone()).collect();
        if has_repeat(&names) || self.members.iter().any(|(_, v)| v.has_duplicate()) {
            return Err(true);
        }
        Ok(self
            .members
            .iter()
            .map(|(n, v)| (n.clone(), v.to_value()))
            .collect())
    }

    pub fn get(&self, name: &str) -> Option<&JVal> {
        self.members.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The document's bytes.
    pub fn render(&self) -> Vec<u8> {
        let esc_names = matches!(self.escape, Escape::Names | Escape::All);
        let esc_values = matches!(self.escape, Escape::Values | Escape::All);
        let r = Renderer {
            esc_names,
            esc_values,
            spaced: self.spaced,
        };
        let mut body = String::new();
        for (i, (name, value)) in self.members.iter().enumerate() {
            if i > 0 {
                body.push(',');
                r.space(&mut body);
            }
            r.string(name, esc_names, &mut body);
            body.push(':');
            r.space(&mut body);
            r.value(value, &mut body);
        }
        let object = format!("{{{body}}}");
        let bytes = match self.form {
            DocForm::Object => object,
            DocForm::Array => {
                let mut s = String::from("[");
                for (i, (_, v)) in self.members.iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    r.value(v, &mut s);
                }
                s.push(']');
                s
            }
            DocForm::Scalar => "\"ES256\"".into(),
            DocForm::TrailingComma => format!("{{{body},}}"),
            DocForm::MissingBrace => format!("{{{body}"),
            // The trailing text is at least 4 bytes, so no truncation of ≤ 3 bytes repairs it.
            DocForm::TrailingData => format!("{object} garbage"),
            DocForm::TwoObjects => format!("{object}{{\"zz\":1}}"),
            DocForm::Bom => format!("\u{feff}{object}"),
            DocForm::InvalidUtf8 => {
                let mut b = b"{\"x\":\"".to_vec();
                b.push(0xFF);
                b.extend_from_slice(b"\"}");
                return b;
            }
            DocForm::Comment => format!("{{/*c*/{body}}}"),
            DocForm::SingleQuoted => "{'alg':'ES256'}".into(),
            DocForm::NanValue => "{\"n\":NaN}".into(),
            DocForm::LoneSurrogate => "{\"s\":\"\\ud800\"}".into(),
            DocForm::Empty => String::new(),
            DocForm::LeadingZero => "{\"n\":01}".into(),
        };
        bytes.into_bytes()
    }
}

struct Renderer {
    esc_names: bool,
    esc_values: bool,
    spaced: bool,
}

impl Renderer {
    pub fn space(&self, out: &mut String) {
        if self.spaced {
            out.push(' ');
        }
    }

    pub fn string(&self, s: &str, escape: bool, out: &mut String) {
        if escape {
            out.push('"');
            // Written in place: a `format!` per UTF-16 unit was one allocation each (an ASan
            // stack capture apiece), the largest cost of rendering a long escaped string.
            for unit in s.encode_utf16() {
                let _ = write!(out, "\\u{unit:04x}");
            }
            out.push('"');
        } else {
            out.push_str(&serde_json::to_string(s).unwrap_or_default());
        }
    }

    pub fn value(&self, v: &JVal, out: &mut String) {
        match v {
            JVal::Json(Value::String(s)) => self.string(s, self.esc_values, out),
            JVal::Json(other) => out.push_str(&other.to_string()),
            JVal::Str(s) => self.string(&s.text(), self.esc_values, out),
            JVal::Num(n) => out.push_str(&n.render()),
            JVal::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            JVal::Null => out.push_str("null"),
            JVal::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                        self.space(out);
                    }
                    self.value(item, out);
                }
                out.push(']');
            }
            JVal::Obj(members) => {
                out.push('{');
                for (i, (k, item)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                        self.space(out);
                    }
                    self.string(&k.text(), self.esc_names, out);
                    out.push(':');
                    self.value(item, out);
                }
                out.push('}');
            }
            JVal::Deep(d, obj) => {
                let d = usize::from(*d).max(1);
                if *obj {
                    for _ in 1..d {
                        out.push_str("{\"a\":");
                    }
                    out.push_str("{}");
                    out.push_str(&"}".repeat(d - 1));
                } else {
                    out.push_str(&"[".repeat(d));
                    out.push_str(&"]".repeat(d));
                }
            }
        }
    }
}

pub fn targets(q: &Quirk, seg: Seg) -> bool {
    let s = match *q {
        Quirk::AppendPad(s)
        | Quirk::InsertStd(s, ..)
        | Quirk::InsertBad(s, ..)
        | Quirk::InsertDot(s, _)
        | Quirk::TrailingBits(s)
        | Quirk::Truncate(s, _) => s,
    };
    s == seg
}

/// Quirks that change what a segment decodes to.
pub fn modify(q: &Quirk, seg: Seg, bytes: &mut Vec<u8>) {
    if !targets(q, seg) {
        return;
    }
    match *q {
        Quirk::TrailingBits(_) => {
            if matches!(bytes.len() % 4, 2 | 3)
                && let Some(last) = bytes.last_mut()
            {
                const A: &[u8] =
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                if let Some(v) = A.iter().position(|c| c == last) {
                    *last = A[v | 1];
                }
            }
        }
        Quirk::Truncate(_, n) => {
            let n = (1 + usize::from(n % 4)).min(bytes.len());
            bytes.truncate(bytes.len() - n);
        }
        _ => {}
    }
}

/// Quirks that insert bytes the form and alphabet stages refuse.
pub fn insert(q: &Quirk, seg: Seg, bytes: &mut Vec<u8>) {
    if !targets(q, seg) {
        return;
    }
    let at = |pos: u16, len: usize| usize::from(pos) % (len + 1);
    match *q {
        Quirk::AppendPad(_) => bytes.push(b'='),
        Quirk::InsertStd(_, pos, slash) => {
            let i = at(pos, bytes.len());
            bytes.insert(i, if slash { b'/' } else { b'+' });
        }
        Quirk::InsertBad(_, pos, bad) => {
            let i = at(pos, bytes.len());
            let b = match bad {
                BadByte::Space => b' ',
                BadByte::Newline => b'\n',
                BadByte::Tab => b'\t',
                BadByte::Nul => 0,
                BadByte::High => 0xC3,
                BadByte::Quote => b'"',
                BadByte::Comma => b',',
            };
            bytes.insert(i, b);
        }
        Quirk::InsertDot(_, pos) => {
            let i = at(pos, bytes.len());
            bytes.insert(i, b'.');
        }
        _ => {}
    }
}
