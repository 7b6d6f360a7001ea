//! The structure-aware token model of the `structured` target, its renderer, and the verdict
//! computed from the model alone.
//!
//! The model is lowered once into header and payload member lists; the renderer turns those
//! into bytes (JSON quirks, escapes, base64url quirks, signature choices) and the oracle
//! evaluates the catalog's rules on the lowered values, never on the rendered bytes except for
//! the raw-byte properties (length, alphabet, dot count) that the form stages look at.
//!
//! Every enum's first variant and every `Option`/`bool`/`Vec` default is the valid choice, so
//! the empty input is the baseline token and each byte the fuzzer adds makes one defect.

use std::fmt::Write as _;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use p256::ecdsa::Signature;
use serde_json::{Map, Value};
use verifier::{Profile, Verifier};

use crate::world::{self, NOW};

/// The issuer, audience and `cat` the structured world pins.
pub const ISSUER: &str = forge::ISSUER;
pub const AUDIENCE: &str = forge::AUDIENCE;
pub const CAT: &str = "access";
/// The profile's JSON nesting bound (the default).
pub const MAX_DEPTH: usize = 16;
/// The profile's token size bound (the default).
pub const MAX_TOKEN_BYTES: usize = 8192;
/// At most this many quirks of a model are applied.
pub const MAX_QUIRKS: usize = 4;

#[derive(Arbitrary, Clone, Debug)]
pub struct Model {
    pub header: HeaderModel,
    pub claims: ClaimsModel,
    pub sig: Sig,
    pub knobs: Knobs,
    pub quirks: Vec<Quirk>,
    pub form: Form,
}

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

#[derive(Arbitrary, Clone, Debug)]
pub struct HeaderModel {
    pub alg: Slot,
    pub typ: Slot,
    pub kid: KidSlot,
    pub extra: Vec<(HName, JVal)>,
    pub order: u8,
    pub escape: Escape,
    pub form: DocForm,
    pub spaced: bool,
}

#[derive(Arbitrary, Clone, Debug)]
pub struct ClaimsModel {
    pub iss: Slot,
    pub aud: Slot,
    pub exp: TimeSlot,
    pub iat: TimeSlot,
    pub nbf: NbfSlot,
    pub sub: Slot,
    pub client_id: Slot,
    pub jti: Slot,
    pub cat: Slot,
    pub extra: Vec<(CName, JVal)>,
    pub order: u8,
    pub escape: Escape,
    pub form: DocForm,
    pub spaced: bool,
}

/// A member with a valid default.
#[derive(Arbitrary, Clone, Debug)]
pub enum Slot {
    Default,
    Missing,
    Value(JVal),
}

#[derive(Arbitrary, Clone, Debug)]
pub enum KidSlot {
    Primary,
    Secondary,
    Missing,
    Value(JVal),
}

/// A time claim: default, absent, `now + offset`, or any JSON value.
#[derive(Arbitrary, Clone, Debug)]
pub enum TimeSlot {
    Default,
    Missing,
    Rel(i32),
    Value(JVal),
}

#[derive(Arbitrary, Clone, Debug)]
pub enum NbfSlot {
    Missing,
    Rel(i32),
    Value(JVal),
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

/// Which forge key signs.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SKey {
    Primary,
    Secondary,
    Outsider,
}

#[derive(Arbitrary, Clone, Debug)]
pub enum Sig {
    Valid(SKey),
    /// (r, n − s): the other valid signature of the same message (accepted by policy).
    HighS(SKey),
    Der(SKey),
    BitFlip(SKey, u16),
    Zero,
    RIsN(SKey),
    SIsN(SKey),
    Extended(SKey),
    Empty,
    /// HS256 keyed with the public key's PEM (algorithm confusion).
    Hmac,
    Random([u8; 64]),
}

impl Sig {
    /// The length of the signature when it is made by ECDSA signing and that length does not
    /// depend on the signature's value (not DER); `None` for every other variant.
    fn ecdsa_len(&self) -> Option<usize> {
        match self {
            Sig::Valid(_) | Sig::HighS(_) | Sig::BitFlip(..) | Sig::RIsN(_) | Sig::SIsN(_) => {
                Some(64)
            }
            Sig::Extended(_) => Some(65),
            Sig::Der(_) | Sig::Zero | Sig::Empty | Sig::Hmac | Sig::Random(_) => None,
        }
    }
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

impl StrLit {
    pub fn text(self) -> String {
        match self {
            StrLit::Long(n) => "a".repeat(usize::from(n) % 12000),
            other => other.fixed().to_owned(),
        }
    }

    fn fixed(self) -> &'static str {
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
    fn text(self) -> String {
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
    fn text(self) -> String {
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
    fn render(self) -> String {
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
    fn integer(self) -> Option<i64> {
        match self {
            NumLit::Int(i) => Some(i),
            NumLit::Small(i) => Some(i64::from(i)),
            _ => None,
        }
    }
}

impl JVal {
    fn str(&self) -> Option<String> {
        match self {
            JVal::Str(s) => Some(s.text()),
            _ => None,
        }
    }

    fn integer(&self) -> Option<i64> {
        match self {
            JVal::Num(n) => n.integer(),
            _ => None,
        }
    }

    fn depth(&self) -> usize {
        match self {
            JVal::Arr(items) => 1 + items.iter().map(JVal::depth).max().unwrap_or(0),
            JVal::Obj(members) => 1 + members.iter().map(|(_, v)| v.depth()).max().unwrap_or(0),
            JVal::Deep(d, _) => usize::from(*d).max(1),
            _ => 0,
        }
    }

    fn has_duplicate(&self) -> bool {
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
    fn to_value(&self) -> Value {
        match self {
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

fn has_repeat(names: &[String]) -> bool {
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
    fn new(
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
    fn semantics(&self) -> Result<Map<String, Value>, bool> {
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

    fn get(&self, name: &str) -> Option<&JVal> {
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
    fn space(&self, out: &mut String) {
        if self.spaced {
            out.push(' ');
        }
    }

    fn string(&self, s: &str, escape: bool, out: &mut String) {
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

    fn value(&self, v: &JVal, out: &mut String) {
        match v {
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

/// A rendered model: what the verifier sees, and what the oracle needs.
#[derive(Clone, Debug)]
pub struct Case {
    pub token: Vec<u8>,
    pub profile: Profile,
    pub header: Doc,
    pub payload: Doc,
    pub header_tampered: bool,
    pub payload_tampered: bool,
    pub signature_tampered: bool,
    /// False when the signature segment is a stand-in ([`Model::render_unsigned`]): only the
    /// stages before the signature may be judged on such a case.
    pub signed: bool,
}

/// The verdict: accepted claims, or the reason ID.
pub type Verdict = Result<Value, &'static str>;

impl Knobs {
    /// The profile these knobs give.
    pub fn profile(self) -> Profile {
        let mut p = world::baseline_profile();
        p.leeway_secs = if self.leeway { 30 } else { 0 };
        p.iat_skew_secs = if self.no_iat_skew { 0 } else { 60 };
        p.max_lifetime_secs = self.lifetime.then_some(3600);
        p.expected_cat = self.cat.then(|| CAT.to_owned());
        p
    }

    /// The structured world's verifier for [`Knobs::profile`], built once for each of the 16
    /// combinations: building one per input (a profile and key-set clone and a validation) was
    /// per-input setup outside the code under test.
    pub fn verifier(self) -> &'static Verifier {
        static VERIFIERS: OnceLock<Vec<Verifier>> = OnceLock::new();
        let all = VERIFIERS.get_or_init(|| {
            (0..16)
                .map(|bits| {
                    let knobs = Knobs {
                        leeway: bits & 1 != 0,
                        no_iat_skew: bits & 2 != 0,
                        lifetime: bits & 4 != 0,
                        cat: bits & 8 != 0,
                    };
                    Verifier::new(knobs.profile(), world::structured_keys().clone())
                        .expect("structured world builds")
                })
                .collect()
        });
        let bits = usize::from(self.leeway)
            | usize::from(self.no_iat_skew) << 1
            | usize::from(self.lifetime) << 2
            | usize::from(self.cat) << 3;
        &all[bits]
    }
}

impl Model {
    pub fn profile(&self) -> Profile {
        self.knobs.profile()
    }

    fn header_doc(&self) -> Doc {
        let h = &self.header;
        let mut m: Vec<(String, JVal)> = Vec::new();
        slot(&mut m, "alg", &h.alg, JVal::Str(StrLit::Es256));
        slot(&mut m, "typ", &h.typ, JVal::Str(StrLit::AtJwt));
        match &h.kid {
            KidSlot::Primary => m.push(("kid".into(), JVal::Str(StrLit::Primary))),
            KidSlot::Secondary => m.push(("kid".into(), JVal::Str(StrLit::Secondary))),
            KidSlot::Missing => {}
            KidSlot::Value(v) => m.push(("kid".into(), v.clone())),
        }
        m.extend(h.extra.iter().map(|(n, v)| (n.text(), v.clone())));
        Doc::new(m, h.order, h.escape, h.form, h.spaced)
    }

    fn payload_doc(&self) -> Doc {
        let c = &self.claims;
        let int = |i: i64| JVal::Num(NumLit::Int(i));
        let mut m: Vec<(String, JVal)> = Vec::new();
        slot(&mut m, "iss", &c.iss, JVal::Str(StrLit::Issuer));
        slot(&mut m, "aud", &c.aud, JVal::Str(StrLit::Audience));
        for (name, t, default) in [("exp", &c.exp, NOW + 3600), ("iat", &c.iat, NOW - 60)] {
            match t {
                TimeSlot::Default => m.push((name.into(), int(default))),
                TimeSlot::Missing => {}
                TimeSlot::Rel(r) => m.push((name.into(), int(NOW + i64::from(*r)))),
                TimeSlot::Value(v) => m.push((name.into(), v.clone())),
            }
        }
        match &c.nbf {
            NbfSlot::Missing => {}
            NbfSlot::Rel(r) => m.push(("nbf".into(), int(NOW + i64::from(*r)))),
            NbfSlot::Value(v) => m.push(("nbf".into(), v.clone())),
        }
        slot(&mut m, "sub", &c.sub, JVal::Str(StrLit::Sub));
        slot(&mut m, "client_id", &c.client_id, JVal::Str(StrLit::Client));
        slot(&mut m, "jti", &c.jti, JVal::Str(StrLit::Jti));
        slot(&mut m, "cat", &c.cat, JVal::Str(StrLit::Access));
        m.extend(c.extra.iter().map(|(n, v)| (n.text(), v.clone())));
        Doc::new(m, c.order, c.escape, c.form, c.spaced)
    }

    fn quirks(&self) -> impl Iterator<Item = &Quirk> {
        self.quirks.iter().take(MAX_QUIRKS)
    }

    /// Renders the model to a token.
    pub fn render(&self) -> Case {
        self.render_with(true)
    }

    /// Renders the model with a stand-in signature (zero bytes) of the exact length the model's
    /// ECDSA signature would have, instead of signing; variants that need no ECDSA signing, or
    /// whose length depends on the signature's value (DER), are rendered as [`Model::render`]
    /// does. The token then differs from the signed one only inside the signature segment, with
    /// the same length and alphabet, and every quirk lands at the same place: the stages before
    /// the signature ([`Model::expected_before_signature`]) cannot tell them apart. Signing with
    /// RFC 6979 was half of the `structured` target's own time, for models the verifier rejects
    /// before it looks at the signature.
    pub fn render_unsigned(&self) -> Case {
        self.render_with(false)
    }

    fn render_with(&self, sign: bool) -> Case {
        let header = self.header_doc();
        let payload = self.payload_doc();
        let mut h = forge::b64(header.render()).into_bytes();
        let mut p = forge::b64(payload.render()).into_bytes();
        // Semantic changes first, then insertions, so every inserted byte survives.
        let h0 = h.clone();
        let p0 = p.clone();
        for q in self.quirks() {
            modify(q, Seg::Header, &mut h);
            modify(q, Seg::Payload, &mut p);
        }
        let header_tampered = h != h0;
        let payload_tampered = p != p0;
        for q in self.quirks() {
            insert(q, Seg::Header, &mut h);
            insert(q, Seg::Payload, &mut p);
        }
        let mut input = h.clone();
        input.push(b'.');
        input.extend_from_slice(&p);
        let (sig, signed) = match self.sig.ecdsa_len() {
            Some(len) if !sign => (vec![0; len], false),
            _ => (self.signature_bytes(&input), true),
        };
        let mut s = forge::b64(sig).into_bytes();
        let s0 = s.clone();
        for q in self.quirks() {
            modify(q, Seg::Signature, &mut s);
        }
        let signature_tampered = s != s0;
        for q in self.quirks() {
            insert(q, Seg::Signature, &mut s);
        }
        let token = match self.form {
            Form::Compact => {
                let mut t = input;
                t.push(b'.');
                t.extend_from_slice(&s);
                t
            }
            Form::JwsJson(ws) => {
                let mut t = " ".repeat(usize::from(ws % 4)).into_bytes();
                t.extend_from_slice(b"{\"protected\":\"");
                t.extend_from_slice(&h);
                t.extend_from_slice(b"\",\"payload\":\"");
                t.extend_from_slice(&p);
                t.extend_from_slice(b"\",\"signature\":\"");
                t.extend_from_slice(&s);
                t.extend_from_slice(b"\"}");
                t
            }
        };
        Case {
            token,
            profile: self.profile(),
            header,
            payload,
            header_tampered,
            payload_tampered,
            signature_tampered,
            signed,
        }
    }

    fn signature_bytes(&self, input: &[u8]) -> Vec<u8> {
        let name = |k: SKey| match k {
            SKey::Primary => "primary",
            SKey::Secondary => "secondary",
            SKey::Outsider => world::OUTSIDER,
        };
        let valid = |k: SKey| world::es256(name(k), input);
        match &self.sig {
            Sig::Valid(k) => valid(*k).to_vec(),
            Sig::HighS(k) => {
                let mut sig = valid(*k);
                let s: [u8; 32] = sig[32..].try_into().expect("32 bytes");
                sig[32..].copy_from_slice(&forge::sub_be(&forge::ORDER_N, &s));
                sig.to_vec()
            }
            Sig::Der(k) => Signature::from_slice(&valid(*k))
                .map(|s| s.to_der().as_bytes().to_vec())
                .unwrap_or_default(),
            Sig::BitFlip(k, bit) => {
                let mut sig = valid(*k);
                let bit = usize::from(*bit) % 512;
                sig[bit / 8] ^= 1 << (bit % 8);
                sig.to_vec()
            }
            Sig::Zero => vec![0; 64],
            Sig::RIsN(k) => {
                let mut sig = valid(*k);
                sig[..32].copy_from_slice(&forge::ORDER_N);
                sig.to_vec()
            }
            Sig::SIsN(k) => {
                let mut sig = valid(*k);
                sig[32..].copy_from_slice(&forge::ORDER_N);
                sig.to_vec()
            }
            Sig::Extended(k) => {
                let mut sig = valid(*k).to_vec();
                sig.push(0);
                sig
            }
            Sig::Empty => Vec::new(),
            Sig::Hmac => {
                let pem = forge::public_pem(world::signing_key("primary").verifying_key());
                forge::hs256(pem.as_bytes(), input).to_vec()
            }
            Sig::Random(bytes) => bytes.to_vec(),
        }
    }

    /// The verdict the catalog's rules give this model, in pipeline order.
    pub fn expected(&self, case: &Case) -> Verdict {
        let kid_key = self.expected_before_signature(case)?;
        assert!(
            case.signed,
            "a case rendered without its signature reached the signature stage"
        );
        self.expected_from_signature(case, kid_key)
    }

    /// The stages before the signature (size → form → alphabet → header → key), in pipeline
    /// order: the reason one of them rejects for, or the pinned key the `kid` names. They read
    /// the signature segment only through its length and bytes' classes (dots, alphabet), so an
    /// unsigned rendering ([`Model::render_unsigned`]) gets the same answer as the signed one.
    pub fn expected_before_signature(&self, case: &Case) -> Result<SKey, &'static str> {
        let token = &case.token;
        let profile = &case.profile;
        // size → form → alphabet, on the raw bytes.
        if token.len() > MAX_TOKEN_BYTES {
            return Err("oversized_token");
        }
        if token
            .iter()
            .find(|b| !b" \t\r\n".contains(b))
            .is_some_and(|&b| b == b'{')
        {
            return Err("jws_json_rejected");
        }
        let dots = token.iter().filter(|&&b| b == b'.').count();
        if dots == 4 {
            return Err("jwe_payload");
        }
        let alphabet = |b: &u8| b.is_ascii_alphanumeric() || b"-_+/=.".contains(b);
        if dots != 2 || !token.iter().all(alphabet) {
            return Err("not_jws_compact");
        }
        if token.iter().any(|b| b"+/=".contains(b)) {
            return Err("lax_base64");
        }
        // Past this point no insertion quirk is present (each one fails a check above).
        // header
        if case.header_tampered {
            return Err("header_unparseable");
        }
        let header = match case.header.semantics() {
            Ok(h) => h,
            Err(true) => return Err("duplicate_json_keys"),
            Err(false) => return Err("header_unparseable"),
        };
        let hdr = &case.header;
        match hdr.get("alg").and_then(JVal::str) {
            None => return Err("alg_none"),
            Some(a) if a.eq_ignore_ascii_case("none") => return Err("alg_none"),
            Some(a) if a == "ES256" => {}
            Some(a) => {
                return Err(match a.as_str() {
                    "HS256" | "HS384" | "HS512" => "alg_hmac_rejected",
                    "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" => "alg_rsa_rejected",
                    "ES384" | "ES512" | "ES256K" => "alg_ecdsa_rejected",
                    _ => "alg_not_allowed",
                });
            }
        }
        for (name, reason) in [
            ("jku", "header_jku"),
            ("x5u", "header_x5u"),
            ("jwk", "header_jwk"),
            ("x5c", "header_x5c"),
            ("crit", "header_crit"),
            ("b64", "header_b64_false"),
            ("cty", "nested_jws"),
        ] {
            if header.contains_key(name) {
                return Err(reason);
            }
        }
        if header
            .keys()
            .any(|k| !["alg", "typ", "kid"].contains(&k.as_str()))
        {
            return Err("header_extra_param");
        }
        let typ = hdr.get("typ").and_then(JVal::str);
        if let Some(want) = &profile.typ
            && typ.map(|t| media_type(&t)) != Some(media_type(want))
        {
            return Err("typ_mismatch");
        }
        match hdr.get("kid").and_then(JVal::str).as_deref() {
            Some("primary") => Ok(SKey::Primary),
            Some("secondary") => Ok(SKey::Secondary),
            _ => Err("kid_unknown"),
        }
    }

    /// The stages from the signature on, for a case whose earlier stages passed with `kid_key`.
    fn expected_from_signature(&self, case: &Case, kid_key: SKey) -> Verdict {
        let profile = &case.profile;
        // signature
        let signed_by = match &self.sig {
            Sig::Valid(k) | Sig::HighS(k) => Some(*k),
            _ => None,
        };
        if case.signature_tampered || signed_by != Some(kid_key) {
            return Err("signature_invalid");
        }
        // payload
        if case.payload_tampered {
            return Err("payload_unparseable");
        }
        let claims = match case.payload.semantics() {
            Ok(c) => c,
            Err(true) => return Err("duplicate_json_keys"),
            Err(false) => return Err("payload_unparseable"),
        };
        let pl = &case.payload;
        // claims
        let times: Vec<Option<Option<i64>>> = ["exp", "iat", "nbf"]
            .iter()
            .map(|n| pl.get(n).map(JVal::integer))
            .collect();
        if times.iter().any(|t| matches!(t, Some(None))) {
            return Err("invalid_numeric_type");
        }
        let [exp, iat, nbf] = [times[0].flatten(), times[1].flatten(), times[2].flatten()];
        let now = i128::from(NOW);
        let leeway = i128::from(profile.leeway_secs);
        let Some(exp) = exp.map(i128::from) else {
            return Err("exp_missing");
        };
        if now >= exp + leeway {
            return Err("expired");
        }
        if let Some(max) = profile.max_lifetime_secs
            && exp > now + i128::from(max)
        {
            return Err("exp_upper_bound");
        }
        let Some(iat) = iat.map(i128::from) else {
            return Err("iat_missing");
        };
        if iat > now + i128::from(profile.iat_skew_secs) {
            return Err("iat_future");
        }
        if let Some(nbf) = nbf.map(i128::from)
            && now + leeway < nbf
        {
            return Err("not_yet_valid");
        }
        if pl.get("iss").and_then(JVal::str).as_deref() != Some(ISSUER) {
            return Err("iss_mismatch");
        }
        let Some(aud) = pl.get("aud") else {
            return Err("aud_missing");
        };
        let aud_ok = match aud {
            JVal::Str(s) => s.text() == AUDIENCE,
            JVal::Arr(items) => {
                let strings: Option<Vec<String>> = items.iter().map(JVal::str).collect();
                strings.is_some_and(|s| s.iter().any(|a| a == AUDIENCE))
            }
            _ => false,
        };
        if !aud_ok {
            return Err("aud_mismatch");
        }
        for (name, reason) in [
            ("sub", "sub_missing"),
            ("client_id", "client_id_missing"),
            ("jti", "jti_missing"),
        ] {
            if pl
                .get(name)
                .and_then(JVal::str)
                .is_none_or(|s| s.is_empty())
            {
                return Err(reason);
            }
        }
        if let Some(want) = &profile.expected_cat
            && pl.get("cat").and_then(JVal::str).as_ref() != Some(want)
        {
            return Err("token_type_mismatch");
        }
        Ok(Value::Object(claims))
    }
}

/// A `typ` value as the media type it names (RFC 7515 §4.1.9): `application/` prepended when
/// it has no `/`, and ASCII case folded (media types are case-insensitive, RFC 2045 §5.1), so
/// `AT+JWT` and `application/at+jwt` name the profile's `at+jwt`.
fn media_type(typ: &str) -> String {
    let typ = typ.to_ascii_lowercase();
    if typ.contains('/') {
        typ
    } else {
        format!("application/{typ}")
    }
}

fn slot(m: &mut Vec<(String, JVal)>, name: &str, slot: &Slot, default: JVal) {
    match slot {
        Slot::Default => m.push((name.into(), default)),
        Slot::Missing => {}
        Slot::Value(v) => m.push((name.into(), v.clone())),
    }
}

fn targets(q: &Quirk, seg: Seg) -> bool {
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
fn modify(q: &Quirk, seg: Seg, bytes: &mut Vec<u8>) {
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
fn insert(q: &Quirk, seg: Seg, bytes: &mut Vec<u8>) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use arbitrary::Unstructured;
    use verifier::Verifier;

    fn verdict(case: &Case) -> Verdict {
        let v = Verifier::new(case.profile.clone(), world::structured_keys().clone()).unwrap();
        v.verify(&case.token, NOW)
            .map(|c| Value::Object(c.into_map()))
            .map_err(|r| r.reason.id())
    }

    #[test]
    fn empty_input_is_the_valid_baseline() {
        let m = Model::arbitrary(&mut Unstructured::new(&[])).unwrap();
        let case = m.render();
        let want = m.expected(&case);
        assert!(want.is_ok(), "{want:?}");
        assert_eq!(verdict(&case), want);
    }

    #[test]
    fn typ_is_compared_as_a_media_type() {
        for (typ, accepted) in [
            (StrLit::AtJwtUpper, true),
            (StrLit::AppAtJwt, true),
            (StrLit::Jwt, false),
        ] {
            let mut m = Model::arbitrary(&mut Unstructured::new(&[])).unwrap();
            m.header.typ = Slot::Value(JVal::Str(typ));
            let case = m.render();
            let want = m.expected(&case);
            assert_eq!(want.is_ok(), accepted, "{typ:?}");
            assert_eq!(verdict(&case), want, "{typ:?}");
        }
    }

    /// The models of 600 xorshift byte strings of 1 to 200 bytes from `seed` (those that parse).
    fn pseudo_random_models(seed: u64) -> Vec<Model> {
        let mut state = seed;
        (0..600)
            .filter_map(|round| {
                let len = 1 + round % 200;
                let data: Vec<u8> = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        (state >> 24) as u8
                    })
                    .collect();
                Model::arbitrary(&mut Unstructured::new(&data)).ok()
            })
            .collect()
    }

    #[test]
    fn unsigned_rendering_keeps_every_stage_before_the_signature() {
        let mut unsigned = 0;
        for m in pseudo_random_models(0x0fed_cba9_8765_4321) {
            let (signed, stand_in) = (m.render(), m.render_unsigned());
            assert!(signed.signed);
            unsigned += usize::from(!stand_in.signed);
            assert_eq!(signed.token.len(), stand_in.token.len(), "{m:#?}");
            let before = m.expected_before_signature(&signed);
            assert_eq!(before, m.expected_before_signature(&stand_in), "{m:#?}");
            // The verifier cannot tell them apart either when it rejects before the signature.
            if let Err(reason) = before {
                assert_eq!(verdict(&stand_in), Err(reason), "{m:#?}");
            }
            assert!(m.knobs.verifier().profile() == &signed.profile);
        }
        assert!(unsigned > 100, "only {unsigned} unsigned renderings");
    }

    #[test]
    fn pseudo_random_models_agree_with_the_verifier() {
        for m in pseudo_random_models(0x1234_5678_9abc_def0) {
            let case = m.render();
            let want = m.expected(&case);
            let got = verdict(&case);
            assert_eq!(
                got,
                want,
                "model {m:#?}\ntoken {}",
                String::from_utf8_lossy(&case.token)
            );
        }
    }
}
