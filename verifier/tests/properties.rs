//! Property tests: arbitrary input never panics, every mutation of a valid token is rejected,
//! and a token built from arbitrary claims is accepted exactly when an independent model of the
//! claim rules of each preset (written here from `docs/reasons.md` and `docs/profile.md`, not
//! calling the verifier's rules) says so, with the same reason when it is not. Case counts are modest to keep debug runs short.

mod common;

use std::cell::Cell;
use std::sync::LazyLock;

use common::*;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rstest::rstest;
use serde_json::{Map, Value, json};
use verifier::json::{self, JsonError, Member};
use verifier::{Reason, Verifier};

/// The default profile over the baseline keys, shared by every case.
static VERIFIER: LazyLock<Verifier> = LazyLock::new(|| verifier(&json!({})));
/// The baseline token, valid at `NOW`.
static TOKEN: LazyLock<String> = LazyLock::new(baseline);

fn verdict(token: &[u8]) -> Result<(), Reason> {
    VERIFIER.verify(token, NOW).map(drop).map_err(|r| r.reason)
}

#[test]
fn the_baseline_token_is_valid() {
    // Every "is rejected" property below is relative to this.
    assert_eq!(verdict(TOKEN.as_bytes()), Ok(()));
}

proptest! {
    #![proptest_config(Config::with_cases(384))]

    #[test]
    fn arbitrary_bytes_are_rejected_without_panic(bytes in vec(any::<u8>(), 0..512)) {
        prop_assert!(verdict(&bytes).is_err());
    }

    #[test]
    fn arbitrary_three_segment_tokens_are_rejected_without_panic(
        token in "[A-Za-z0-9_-]{0,80}\\.[A-Za-z0-9_-]{0,200}\\.[A-Za-z0-9_=+/-]{0,100}"
    ) {
        prop_assert!(verdict(token.as_bytes()).is_err());
    }

    #[test]
    fn single_byte_changes_are_rejected(index in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut token = TOKEN.as_bytes().to_vec();
        let i = index.index(token.len());
        prop_assume!(token[i] != byte);
        token[i] = byte;
        prop_assert!(verdict(&token).is_err(), "byte {i} set to {byte:#04x}");
    }

    #[test]
    fn truncations_are_rejected(len in 0..TOKEN.len()) {
        prop_assert!(verdict(&TOKEN.as_bytes()[..len]).is_err());
    }

    #[test]
    fn extensions_are_rejected(suffix in vec(any::<u8>(), 1..16)) {
        let token = [TOKEN.as_bytes(), &suffix].concat();
        prop_assert!(verdict(&token).is_err());
    }
}

/// Member names and values that make `visit_object` and `parse_object` meet every case: repeated
/// names (also through an escape), strings with and without escapes, nested duplicates, depth,
/// and values that are not JSON.
const NAMES: [&str; 6] = ["alg", "kid", "jku", "x", r"\u0061lg", ""];
const VALUES: [&str; 16] = [
    r#""ES256""#,
    r#""\u0045S256""#,
    "1",
    "-0",
    "1.5",
    "9223372036854775808",
    "-9223372036854775809",
    r#"["a","\u0062"]"#,
    r#"["a",1,[]]"#,
    "null",
    "1e999",
    r#"{"a":1,"a":2}"#,
    r#"[1,{"b":[2]}]"#,
    r#"{"c":{"d":[]}}"#,
    "tru",
    r#"[{"e":0,"\u0065":1}]"#,
];

/// What a rule can ask of a member: its string, integer, non-negative integer, and for an array
/// its length and kept strings.
type Typed = (
    Option<String>,
    Option<i64>,
    Option<u64>,
    Option<(usize, Vec<String>)>,
);

fn typed_member(value: &Member<'_>) -> Typed {
    let array = match value {
        Member::Array(a) => Some((a.len, a.kept.iter().map(|s| s.to_string()).collect())),
        _ => None,
    };
    (
        value.as_str().map(str::to_owned),
        value.as_i64(),
        value.as_u64(),
        array,
    )
}

fn typed_value(value: &Value) -> Typed {
    let array = value.as_array().map(|items| {
        let strings = items.iter().filter_map(Value::as_str).map(str::to_owned);
        (items.len(), strings.collect())
    });
    (
        value.as_str().map(str::to_owned),
        value.as_i64(),
        value.as_u64(),
        array,
    )
}

/// The members `visit_object` handed over (keeping every array's strings), or its error.
fn visited(text: &[u8], depth: usize) -> Result<Vec<(String, Typed)>, JsonError> {
    let mut members = Vec::new();
    json::visit_object(
        text,
        depth,
        |_| true,
        |name, value| members.push((name.into_owned(), typed_member(&value))),
    )?;
    Ok(members)
}

proptest! {
    #![proptest_config(Config::with_cases(384))]

    /// The header's allocation-free reader refuses exactly what the map parser refuses, for the
    /// same reason, and reads the same members when both accept.
    #[test]
    fn visit_object_agrees_with_parse_object(
        // Names past `NAMES` are distinct (`n6`, `n7`, …), so that objects of more than the 32
        // names the duplicate table holds, with and without a repeat, are common.
        members in vec((0..NAMES.len() + 48, 0..VALUES.len()), 0..44),
        wrap in 0..6usize,
        depth in 1..5usize,
    ) {
        let body = members
            .iter()
            .map(|&(n, v)| match NAMES.get(n) {
                Some(name) => format!(r#""{name}":{}"#, VALUES[v]),
                None => format!(r#""n{n}":{}"#, VALUES[v]),
            })
            .collect::<Vec<_>>()
            .join(",");
        let text = match wrap {
            0 => format!("[{{{body}}}]"),
            1 => format!("{{{body}}} x"),
            _ => format!(" {{{body}}}\n"),
        };
        match (visited(text.as_bytes(), depth), json::parse_object(text.as_bytes(), depth)) {
            (Ok(got), Ok(map)) => {
                prop_assert_eq!(got.len(), map.len());
                for (name, value) in got {
                    prop_assert_eq!(value, typed_value(&map[&name]), "{}", name);
                }
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b, "{}", text),
            (a, b) => prop_assert!(false, "{text}: visit_object {a:?}, parse_object {b:?}"),
        }
    }
}

proptest! {
    #![proptest_config(Config::with_cases(64))]

    /// Signed garbage passes the signature and reaches the payload parser and claim rules; it
    /// must come back as a rejection, never a panic.
    #[test]
    fn signed_arbitrary_payloads_never_panic(payload in vec(any::<u8>(), 0..64)) {
        let token = mint_bytes(header(&json!({})).to_string(), payload);
        prop_assert!(verdict(token.as_bytes()).is_err());
    }
}

/// Every single-character substitution at every position of the signature segment's last and
/// first characters (where base64url's unused bits live) is rejected: an exhaustive sample.
#[test]
fn signature_edge_characters_are_exhaustively_rejected() {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let token = TOKEN.as_bytes();
    let sig_start = TOKEN.rfind('.').expect("three segments") + 1;
    for i in [sig_start, token.len() - 1] {
        for &c in ALPHABET.iter().filter(|&&c| c != token[i]) {
            let mut t = token.to_vec();
            t[i] = c;
            assert!(verdict(&t).is_err(), "position {i} set to {}", c as char);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Claims against an independent model

/// A time claim as generated: absent, an integer offset from `NOW`, or an ill-typed value.
#[derive(Clone, Debug)]
enum Time {
    Absent,
    At(i64),
    Float(i64),
    Text(i64),
}

/// A string claim as generated.
#[derive(Clone, Debug)]
enum Text {
    Absent,
    Good(String),
    Empty,
    Number(i64),
}

#[derive(Clone, Debug)]
enum Aud {
    Absent,
    One(String),
    Many(Vec<Value>),
}

#[derive(Clone, Debug)]
struct Spec {
    exp: Time,
    iat: Time,
    nbf: Time,
    iss: Text,
    aud: Aud,
    sub: Text,
    client_id: Text,
    jti: Text,
    azp: Text,
    nonce: Text,
    extra: Vec<(String, String)>,
}

const DAY_SECS: i64 = 86_400;

fn time(near: impl Strategy<Value = i64> + Clone + 'static) -> impl Strategy<Value = Time> {
    prop_oneof![
        1 => Just(Time::Absent),
        30 => near.clone().prop_map(Time::At),
        1 => near.clone().prop_map(Time::Float),
        1 => near.prop_map(Time::Text),
    ]
}

fn text(good: &'static str) -> impl Strategy<Value = Text> {
    prop_oneof![
        30 => Just(Text::Good(good.to_owned())),
        3 => "[a-z0-9]{1,8}".prop_map(Text::Good),
        1 => Just(Text::Absent),
        1 => Just(Text::Empty),
        1 => any::<i64>().prop_map(Text::Number),
    ]
}

fn aud_member() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => Just(json!(AUDIENCE)),
        3 => "[a-z]{1,6}".prop_map(Value::from),
        1 => any::<i32>().prop_map(Value::from),
        1 => Just(Value::Null),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    // Offsets cluster on every boundary of the rules: exp at now and now + 24 h, iat at
    // now + 60, nbf at now, plus a wide spread.
    let exp = time(prop_oneof![
        6 => 1i64..DAY_SECS,
        1 => -2i64..3,
        1 => DAY_SECS - 2..DAY_SECS + 3,
        1 => -200_000i64..200_000,
    ]);
    let iat = time(prop_oneof![5 => -200_000i64..0, 1 => 58i64..63, 1 => -100i64..200]);
    let nbf = prop_oneof![
        8 => Just(Time::Absent),
        12 => prop_oneof![1 => -2i64..3, 2 => -1000i64..0, 1 => 1i64..1000].prop_map(Time::At),
        1 => (-2i64..3).prop_map(Time::Float),
        1 => (-2i64..3).prop_map(Time::Text),
    ];
    let issuer = prop_oneof![
        20 => Just(Text::Good(ISSUER.to_owned())),
        1 => Just(Text::Good(format!("{ISSUER}/"))),
        1 => Just(Text::Absent),
        1 => Just(Text::Number(1)),
    ];
    let aud = prop_oneof![
        10 => Just(Aud::One(AUDIENCE.to_owned())),
        1 => "[a-z]{1,6}".prop_map(Aud::One),
        4 => vec(aud_member(), 0..4).prop_map(Aud::Many),
        1 => Just(Aud::Absent),
    ];
    let extra = vec(
        (
            prop::sample::select(vec!["scope", "sid", "cat", "email", "roles", "tenant"]),
            "[a-z ]{0,10}",
        ),
        0..3,
    )
    .prop_map(|pairs| pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
    // `azp` is usually absent, as in access tokens, and right when present; `nonce` usually
    // the one the `oidc-id-token` profile expects (the other profiles ignore both).
    let azp = prop_oneof![
        12 => Just(Text::Absent),
        4 => Just(Text::Good(AUDIENCE.to_owned())),
        1 => "[a-z0-9-]{1,8}".prop_map(Text::Good),
        1 => Just(Text::Empty),
        1 => any::<i64>().prop_map(Text::Number),
    ];
    let nonce = prop_oneof![
        16 => Just(Text::Good(NONCE.to_owned())),
        1 => Just(Text::Absent),
        1 => "[a-z0-9-]{1,8}".prop_map(Text::Good),
        1 => Just(Text::Number(1)),
    ];
    (
        (exp, iat, nbf, issuer, aud),
        (text("user-1"), text("client-1"), text("jti-1"), extra),
        (azp, nonce),
    )
        .prop_map(
            |((exp, iat, nbf, iss, aud), (sub, client_id, jti, extra), (azp, nonce))| Spec {
                exp,
                iat,
                nbf,
                iss,
                aud,
                sub,
                client_id,
                jti,
                azp,
                nonce,
                extra,
            },
        )
}

fn put_time(claims: &mut Map<String, Value>, name: &str, t: &Time) {
    let value = match *t {
        Time::Absent => return,
        Time::At(o) => json!(NOW + o),
        Time::Float(o) => json!((NOW + o) as f64 + 0.5),
        Time::Text(o) => json!((NOW + o).to_string()),
    };
    claims.insert(name.to_owned(), value);
}

fn put_text(claims: &mut Map<String, Value>, name: &str, t: &Text) {
    let value = match t {
        Text::Absent => return,
        Text::Good(s) => json!(s),
        Text::Empty => json!(""),
        Text::Number(n) => json!(n),
    };
    claims.insert(name.to_owned(), value);
}

fn claims_of(spec: &Spec) -> Value {
    let mut c = Map::new();
    for (name, value) in &spec.extra {
        c.insert(name.clone(), json!(value));
    }
    put_time(&mut c, "exp", &spec.exp);
    put_time(&mut c, "iat", &spec.iat);
    put_time(&mut c, "nbf", &spec.nbf);
    put_text(&mut c, "iss", &spec.iss);
    put_text(&mut c, "sub", &spec.sub);
    put_text(&mut c, "client_id", &spec.client_id);
    put_text(&mut c, "jti", &spec.jti);
    put_text(&mut c, "azp", &spec.azp);
    put_text(&mut c, "nonce", &spec.nonce);
    match &spec.aud {
        Aud::Absent => {}
        Aud::One(a) => {
            c.insert("aud".into(), json!(a));
        }
        Aud::Many(items) => {
            c.insert("aud".into(), Value::Array(items.clone()));
        }
    }
    Value::Object(c)
}

/// The `nonce` the `oidc-id-token` profile of [`Preset::OidcIdToken`] expects.
const NONCE: &str = "n-1";

/// The profiles the claims property runs under (`docs/profile.md`), each over the baseline key.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Preset {
    /// The default profile: issuer and audience pinned, RFC 9068 §2.2 claims required.
    Rfc9068,
    /// `jwt` with no issuer, audience or required claim: only present times are checked.
    Jwt,
    /// `oidc-id-token` whose client is the baseline audience, expecting [`NONCE`].
    OidcIdToken,
}

impl Preset {
    fn verifier(self) -> &'static Verifier {
        static VERIFIERS: LazyLock<[Verifier; 3]> = LazyLock::new(|| {
            [
                verifier(&json!({})),
                verifier(
                    &json!({"preset": "jwt", "algorithms": ["ES256"], "issuer": null, "audiences": []}),
                ),
                verifier(
                    &json!({"preset": "oidc-id-token", "algorithms": ["ES256"], "client_id": AUDIENCE, "nonce": NONCE}),
                ),
            ]
        });
        &VERIFIERS[self as usize]
    }
}

/// The claim rules of `preset`, in catalog order, at `NOW`: zero leeway, 60 s iat skew, 24 h
/// maximum lifetime for a present `exp`; under `rfc9068` issuer and audience pinned and
/// sub/client_id/jti non-empty strings; under `oidc-id-token` issuer pinned, `aud` the client and
/// nothing else, `sub` a non-empty string, a present `azp` the client, `nonce` the expected one.
fn model(spec: &Spec, preset: Preset) -> Result<(), Reason> {
    let (rfc9068, oidc) = (preset == Preset::Rfc9068, preset == Preset::OidcIdToken);
    let ill_typed = |t: &Time| matches!(t, Time::Float(_) | Time::Text(_));
    if [&spec.exp, &spec.iat, &spec.nbf].into_iter().any(ill_typed) {
        return Err(Reason::InvalidNumericType);
    }
    let offset = |t: &Time| match *t {
        Time::At(o) => Some(o),
        _ => None,
    };
    match offset(&spec.exp) {
        None if rfc9068 || oidc => return Err(Reason::ExpMissing),
        Some(exp) if exp <= 0 => return Err(Reason::Expired),
        Some(exp) if exp > DAY_SECS => return Err(Reason::ExpUpperBound),
        _ => {}
    }
    match offset(&spec.iat) {
        None if rfc9068 || oidc => return Err(Reason::IatMissing),
        Some(iat) if iat > 60 => return Err(Reason::IatFuture),
        _ => {}
    }
    if offset(&spec.nbf).is_some_and(|nbf| nbf > 0) {
        return Err(Reason::NotYetValid);
    }
    if preset == Preset::Jwt {
        return Ok(());
    }
    if !matches!(&spec.iss, Text::Good(s) if s == ISSUER) {
        return Err(Reason::IssMismatch);
    }
    let aud_ok = match &spec.aud {
        Aud::Absent => return Err(Reason::AudMissing),
        Aud::One(a) => a == AUDIENCE,
        Aud::Many(items) => {
            items.iter().all(Value::is_string) && items.iter().any(|v| v == AUDIENCE)
        }
    };
    if !aud_ok {
        return Err(Reason::AudMismatch);
    }
    if oidc && matches!(&spec.aud, Aud::Many(items) if items.iter().any(|v| v != AUDIENCE)) {
        return Err(Reason::AudUntrusted);
    }
    let present = |t: &Text| matches!(t, Text::Good(_));
    if !present(&spec.sub) {
        return Err(Reason::SubMissing);
    }
    if rfc9068 && !present(&spec.client_id) {
        return Err(Reason::ClientIdMissing);
    }
    if rfc9068 && !present(&spec.jti) {
        return Err(Reason::JtiMissing);
    }
    if oidc
        && !matches!(&spec.azp, Text::Absent)
        && !matches!(&spec.azp, Text::Good(a) if a == AUDIENCE)
    {
        return Err(Reason::AzpMismatch);
    }
    if oidc && !matches!(&spec.nonce, Text::Good(n) if n == NONCE) {
        return Err(Reason::NonceMismatch);
    }
    Ok(())
}

#[rstest]
fn arbitrary_claims_are_accepted_exactly_when_the_model_says_so(
    #[values(Preset::Rfc9068, Preset::Jwt, Preset::OidcIdToken)] preset: Preset,
) {
    let accepted = Cell::new(0usize);
    let rejected = Cell::new(0usize);
    let mut runner = TestRunner::new(Config {
        cases: 320,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&spec(), |spec| {
            let claims = claims_of(&spec);
            let token = mint_bytes(header(&json!({})).to_string(), claims.to_string());
            let got = preset
                .verifier()
                .verify(token.as_bytes(), NOW)
                .map(drop)
                .map_err(|r| r.reason);
            let want = model(&spec, preset);
            prop_assert_eq!(got, want, "claims {}", claims);
            if want.is_ok() {
                accepted.set(accepted.get() + 1);
            } else {
                rejected.set(rejected.get() + 1);
            }
            Ok(())
        })
        .expect("verifier agrees with the model");
    // Both sides of the property were exercised.
    println!("accepted {}, rejected {}", accepted.get(), rejected.get());
    assert!(accepted.get() >= 20, "accepted {}", accepted.get());
    assert!(rejected.get() >= 20, "rejected {}", rejected.get());
}
