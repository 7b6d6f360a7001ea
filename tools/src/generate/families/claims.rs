//! Registered claims: the shape of the NumericDates (M30), the presence and type of `exp`, `iat`,
//! `sub`, `client_id`, `jti`, and the token category (M29). Clock-independent: every time is far
//! from any plausible now, so a verifier that cannot inject a clock runs these at the real time.
//!
//! RFC 9068 §4 binds the resource server to check `exp`, so a token without a usable `exp` is a
//! binding rejection. RFC 7519 §2 lets a NumericDate be any JSON number, so a fraction, an
//! exponent or a huge integer naming a valid time is the profile's rule (M30), and accepting it
//! conforms. `iat`, `sub`, `client_id` and `jti` are required of the issuer (RFC 9068 §2.2), not
//! checked by the recipient: their rows are profile rows that list `accept` as acceptable. So are
//! the `nbf` rejections: RFC 7519 §4.1 makes no claim mandatory to implement, so a verifier
//! without `nbf` support accepts. The token category (`cat`) is the profile's claim.

use corpus::vector::Acceptable;
use corpus::vector::Severity::{self, Must, Profile};
use serde_json::{Value, json};
use verifier::Reason::{
    self, CapsShapeInvalid, ClientIdMissing, DlgDepthInvalid, ExpMissing, Expired, IatFuture,
    IatMissing, InvalidNumericType, JtiMissing, NotYetValid, PayloadUnparseable, SubMissing,
    TokenTypeMismatch,
};

use super::{Family, rej};
use crate::generate::{
    Draft, Expect, Mutation, Row, accept, all_of, claim, custom, no_claim, reject_for,
};

/// A missing `exp`: RFC 9068 §4 checks the current time against it, §2.2 requires it.
const EXP_REQUIRED: &[&str] = &["RFC9068-4-exp", "RFC9068-2.2-claims", "M17"];
/// An `exp` in the past.
const EXPIRED: &[&str] = &["RFC7519-4.1.4-exp", "RFC9068-4-exp", "M18"];
/// An `nbf` in the future: rejected only by a verifier that implements nbf, which none must.
const NOT_YET: &[&str] = &["RFC7519-4.1.5-nbf", "RFC7519-4.1-optional", "M26"];
/// Why a rejection on nbf alone is `profile` with `accept` acceptable.
const NBF_OPTIONAL: &str = "RFC 7519 §4.1 makes no claim mandatory to implement and §4 has \
                            claims not understood ignored, so a verifier without nbf support \
                            accepts and breaks no MUST; one that processes nbf rejects (RFC 7519 \
                            §4.1.5), as the profile does (M26).";
/// An `exp` that is no JSON number: no time to check it against.
const EXP_NOT_A_DATE: &[&str] = &[
    "RFC9068-4-exp",
    "RFC7519-4.1.4-leeway",
    "RFC7519-2-numericdate",
    "M30",
];
/// A JSON number in another form than an integer: still a NumericDate.
const DATE_FORM: &[&str] = &["RFC7519-2-numericdate", "M30"];
/// An integer beyond i64: a NumericDate, refused by the profile's numeric range.
const DATE_RANGE: &[&str] = &[
    "RFC7519-2-numericdate",
    "RFC8259-6-numbers",
    "RFC8259-9-limits",
    "M30",
];
/// `iat` in a form the profile refuses; the recipient need not check `iat` at all.
const IAT_FORM: &[&str] = &["RFC7519-4.1.6-iat", "RFC7519-2-numericdate", "M30"];
/// `iat` missing or in the future: required of the issuer, never bounded by an RFC.
const IAT: &[&str] = &["RFC7519-4.1.6-iat", "RFC9068-2.2-claims", "M24"];
/// The token category the profile requires.
const CAT: &[&str] = &["M29", "RFC7519-4-ignore"];

/// Why a NumericDate in another form is the profile's rule.
const FORM_WHY: &str = "RFC 7519 §2 lets a NumericDate be any JSON number, non-integer values \
                        included; this one names a valid time, so refusing its form is the \
                        profile's rule (M30).";
/// Why a NumericDate beyond i64 is the profile's rule.
const RANGE_WHY: &str = "RFC 7519 §2 lets a NumericDate be any JSON number and RFC 8259 §6 lets \
                         a parser limit their range; this one names a valid far-future time, so \
                         refusing it is the profile's range rule (M30).";

/// A claim allowlist of exactly the baseline's claim names (M45 on).
pub(super) fn allowlist_baseline(d: &mut Draft) {
    d.profile.domain.claim_allowlist = forge::claims()
        .as_object()
        .map(|m| m.keys().cloned().collect());
}

/// Payload bytes: the baseline claims without `drop` and `name`, with `"name":literal` written
/// first, byte for byte (serde_json would normalize `4.1024448e9` or `-0`).
pub(super) fn raw_claim(name: &str, literal: &str, drop: &[&str]) -> Mutation {
    let mut claims = forge::claims();
    if let Some(map) = claims.as_object_mut() {
        map.remove(name);
        drop.iter().for_each(|d| {
            map.remove(*d);
        });
    }
    let text = claims
        .to_string()
        .replacen('{', &format!("{{\"{name}\":{literal},"), 1);
    Mutation::PayloadBytes(text.into_bytes())
}

/// A time claim written as `literal`: the reference refuses every non-integer form.
fn numeric(
    name: &str,
    claim: &str,
    literal: &str,
    severity: Severity,
    basis: &[&str],
    acceptable: &[Acceptable],
) -> Row {
    Row::new(
        name,
        format!("{claim} written as {literal}"),
        raw_claim(claim, literal, &[]),
        rej(InvalidNumericType),
        severity,
        basis,
    )
    .acceptable(acceptable)
    .flags(&["NumericType"])
}

/// The NumericDate rows.
fn numeric_rows() -> Vec<Row> {
    // Not a JSON number: the token has no expiry a verifier could check.
    let exp_not_a_date = |name: &str, literal: &str| {
        numeric(
            name,
            "exp",
            literal,
            Must,
            EXP_NOT_A_DATE,
            &[reject_for(ExpMissing)],
        )
        .rationale(
            "A NumericDate is a JSON number (RFC 7519 §2, §4.1.4), so this token carries no \
                 expiration time, and RFC 9068 §4 requires the resource server to check one \
                 before it accepts: reading the value as absent (exp_missing) conforms, ignoring \
                 or coercing it does not.",
        )
    };
    // A JSON number that names a valid time in a form (or range) the profile refuses.
    let other_form =
        |name: &str, claim: &str, literal: &str, basis: &[&str], extra: &[Acceptable]| {
            let mut acceptable = vec![accept()];
            acceptable.extend_from_slice(extra);
            let why = if extra.is_empty() {
                FORM_WHY
            } else {
                RANGE_WHY
            };
            numeric(name, claim, literal, Profile, basis, &acceptable).rationale(why)
        };
    // An optional claim that is no JSON number: nothing binds the recipient to read it.
    let optional_not_a_date = |name: &str, claim: &str, literal: &str, extra: &[Acceptable]| {
        let mut acceptable = vec![accept()];
        acceptable.extend_from_slice(extra);
        let basis = if claim == "iat" { IAT_FORM } else { DATE_FORM };
        numeric(name, claim, literal, Profile, basis, &acceptable).rationale(
            "The claim is optional for the recipient and names no time in the future under any \
             reading, so a verifier that ignores the malformed value accepts nothing early or \
             late.",
        )
    };
    let limit = [reject_for(PayloadUnparseable)];
    vec![
        numeric(
            "exp-string",
            "exp",
            "\"4102444800\"",
            Profile,
            &["M30", "RFC7519-2-numericdate", "RFC7519-4.1.4-leeway"],
            &[reject_for(ExpMissing)],
        )
        .notes(
            "the string spells a time in 2100: a verifier that coerces it still checks a real \
             expiry, so only the form is wrong (RFC 7519 §4.1.4 binds the producer to a number); \
             exp-string-past is the binding case",
        ),
        numeric(
            "exp-string-past",
            "exp",
            "\"1000000000\"",
            Must,
            EXP_NOT_A_DATE,
            &[reject_for(ExpMissing), reject_for(Expired)],
        )
        .rationale(
            "The string spells a time in 2001: a verifier that coerces it finds the token \
             expired and one that reads it as absent refuses it, so only a verifier that ignores \
             exp accepts, and RFC 9068 §4 requires the current time to be before exp.",
        ),
        exp_not_a_date("exp-bool", "true"),
        exp_not_a_date("exp-null", "null"),
        exp_not_a_date("exp-array", "[4102444800]"),
        exp_not_a_date("exp-object", "{\"t\":4102444800}"),
        numeric(
            "exp-negative-zero",
            "exp",
            "-0",
            Must,
            &[
                "RFC7519-4.1.4-exp",
                "RFC9068-4-exp",
                "RFC7519-2-numericdate",
                "M30",
            ],
            &[reject_for(Expired)],
        )
        .rationale(
            "-0 is a JSON number naming the epoch, so a verifier that reads it finds the token \
             expired and one that refuses its form rejects it too; no reading accepts it.",
        ),
        other_form("exp-float", "exp", "4102444800.0", DATE_FORM, &[]),
        other_form("exp-exponent", "exp", "4.1024448e9", DATE_FORM, &[]),
        other_form(
            "exp-beyond-i64",
            "exp",
            "9223372036854775808",
            DATE_RANGE,
            &limit,
        ),
        other_form(
            "exp-beyond-u64",
            "exp",
            "18446744073709551616",
            DATE_RANGE,
            &limit,
        ),
        other_form("iat-float", "iat", "1000000000.5", IAT_FORM, &[]),
        other_form("iat-exponent", "iat", "1e9", IAT_FORM, &[]),
        other_form("nbf-float", "nbf", "1.0", DATE_FORM, &[]),
        other_form("nbf-negative-zero", "nbf", "-0", DATE_FORM, &[]),
        optional_not_a_date(
            "iat-string",
            "iat",
            "\"1000000000\"",
            &[reject_for(IatMissing)],
        ),
        optional_not_a_date("nbf-string", "nbf", "\"1000000000\"", &[]),
        optional_not_a_date("nbf-bool", "nbf", "false", &[]),
        Row::new(
            "exp-missing-nbf-string",
            "no exp and nbf as a string",
            raw_claim("nbf", "\"1\"", &["exp"]),
            rej(InvalidNumericType),
            Must,
            &["RFC9068-4-exp", "RFC9068-2.2-claims", "M17", "M30"],
        )
        .acceptable(&[reject_for(ExpMissing)])
        .notes(
            "numeric types are checked before presence; checking presence first gives exp_missing",
        ),
    ]
}

/// `exp`, `iat`, `nbf` present as integers but outside the valid window, or absent.
fn time_rows() -> Vec<Row> {
    let range = [reject_for(InvalidNumericType)];
    vec![
        Row::new(
            "exp-missing",
            "no exp",
            no_claim("exp"),
            rej(ExpMissing),
            Must,
            EXP_REQUIRED,
        ),
        Row::new(
            "exp-missing-iat-missing",
            "neither exp nor iat",
            all_of([no_claim("exp"), no_claim("iat")]),
            rej(ExpMissing),
            Must,
            &["RFC9068-4-exp", "RFC9068-2.2-claims", "M17", "M24"],
        )
        .acceptable(&[reject_for(IatMissing)])
        .notes("exp is checked before iat"),
        Row::new(
            "exp-renamed",
            "exp spelled Exp",
            all_of([no_claim("exp"), claim("Exp", json!(forge::FAR_FUTURE))]),
            rej(ExpMissing),
            Must,
            &[
                "RFC9068-4-exp",
                "RFC9068-2.2-claims",
                "RFC7519-4-ignore",
                "M17",
            ],
        )
        .notes("claim names are case-sensitive: Exp is an unknown claim, and exp is missing"),
        Row::new(
            "exp-zero",
            "exp at the epoch",
            claim("exp", json!(0)),
            rej(Expired),
            Must,
            EXPIRED,
        ),
        Row::new(
            "exp-negative",
            "exp negative",
            claim("exp", json!(-1)),
            rej(Expired),
            Must,
            EXPIRED,
        )
        .acceptable(&range),
        Row::new(
            "exp-i64-min",
            "exp at i64::MIN",
            claim("exp", json!(i64::MIN)),
            rej(Expired),
            Must,
            EXPIRED,
        )
        .acceptable(&range)
        .flags(&["Overflow"]),
        Row::new(
            "exp-2001",
            "exp long past (2001)",
            claim("exp", json!(forge::LONG_AGO + 1)),
            rej(Expired),
            Must,
            EXPIRED,
        )
        .refs(&["OpenID conformance oidcc-client-test-expired"]),
        Row::new(
            "nbf-year-2099",
            "nbf in 2099",
            claim("nbf", json!(4_070_908_800_i64)),
            rej(NotYetValid),
            Profile,
            NOT_YET,
        )
        .acceptable(&[accept()])
        .rationale(NBF_OPTIONAL),
        Row::new(
            "nbf-i64-max",
            "nbf at i64::MAX",
            claim("nbf", json!(i64::MAX)),
            rej(NotYetValid),
            Profile,
            NOT_YET,
        )
        .acceptable(&[reject_for(InvalidNumericType), accept()])
        .rationale(NBF_OPTIONAL)
        .flags(&["Overflow"]),
        Row::new(
            "iat-missing",
            "no iat",
            no_claim("iat"),
            rej(IatMissing),
            Profile,
            IAT,
        )
        .acceptable(&[accept()])
        .refs(&["OpenID conformance oidcc-client-test-missing-iat"]),
        Row::new(
            "iat-missing-nbf-present",
            "no iat, but nbf",
            all_of([no_claim("iat"), claim("nbf", json!(forge::LONG_AGO))]),
            rej(IatMissing),
            Profile,
            IAT,
        )
        .acceptable(&[accept()]),
        Row::new(
            "iat-missing-auth-time-present",
            "no iat, but auth_time",
            all_of([no_claim("iat"), claim("auth_time", json!(forge::LONG_AGO))]),
            rej(IatMissing),
            Profile,
            IAT,
        )
        .acceptable(&[accept()])
        .notes("auth_time is not an issuance time"),
        Row::new(
            "iat-year-2099",
            "iat in 2099",
            claim("iat", json!(4_070_908_800_i64)),
            rej(IatFuture),
            Profile,
            IAT,
        )
        .acceptable(&[accept()])
        .rationale("No RFC rejects an iat in the future; bounding it is the profile's rule (M24)."),
        Row::new(
            "iat-i64-max",
            "iat at i64::MAX",
            claim("iat", json!(i64::MAX)),
            rej(IatFuture),
            Profile,
            IAT,
        )
        .acceptable(&[accept(), reject_for(InvalidNumericType)])
        .flags(&["Overflow"])
        .rationale("No RFC rejects an iat in the future; bounding it is the profile's rule (M24)."),
    ]
}

/// `sub`, `client_id`, `jti`: required of the issuer by RFC 9068 §2.2, not checked by an RFC
/// recipient; the profile requires non-empty strings.
fn identity_rows() -> Vec<Row> {
    let required: [(&str, Reason, &[&str]); 3] = [
        (
            "sub",
            SubMissing,
            &["RFC9068-2.2-claims", "RFC7519-4.1.2-sub", "M28"],
        ),
        ("client_id", ClientIdMissing, &["RFC9068-2.2-claims", "M28"]),
        (
            "jti",
            JtiMissing,
            &["RFC9068-2.2-claims", "RFC7519-4.1.7-jti", "M27"],
        ),
    ];
    let bad_values: [(&str, Value); 5] = [
        ("number", json!(1)),
        ("null", json!(null)),
        ("empty", json!("")),
        ("array", json!(["x"])),
        ("object", json!({"id": "x"})),
    ];
    let mut rows = Vec::new();
    for (name, reason, basis) in required {
        let slug = name.replace('_', "-");
        rows.push(
            Row::new(
                format!("{slug}-missing"),
                format!("no {name}"),
                no_claim(name),
                rej(reason),
                Profile,
                basis,
            )
            .acceptable(&[accept()]),
        );
        for (kind, value) in &bad_values {
            rows.push(
                Row::new(
                    format!("{slug}-{kind}"),
                    format!("{name} as {value}"),
                    claim(name, value.clone()),
                    rej(reason),
                    Profile,
                    basis,
                )
                .acceptable(&[accept()]),
            );
        }
    }
    rows.push(
        Row::new(
            "sub-missing-jti-missing",
            "neither sub nor jti",
            all_of([no_claim("sub"), no_claim("jti")]),
            rej(SubMissing),
            Profile,
            &["RFC9068-2.2-claims", "RFC7519-4.1.2-sub", "M28", "M27"],
        )
        .acceptable(&[accept(), reject_for(JtiMissing)])
        .notes("sub is checked before client_id and jti"),
    );
    rows
}

/// The token category, when the profile requires `cat` to be `access`.
fn cat_rows() -> Vec<Row> {
    let require = |value: Option<Value>| {
        custom(move |d| {
            d.profile.expected_cat = Some("access".into());
            if let Some(v) = &value {
                d.claims["cat"] = v.clone();
            }
        })
    };
    let refused = |name: &str, description: &str, value: Option<Value>| {
        Row::new(
            format!("cat-{name}"),
            format!("{description} when access is required"),
            require(value),
            rej(TokenTypeMismatch),
            Profile,
            CAT,
        )
    };
    vec![
        Row::new(
            "cat-access",
            "cat access when the profile requires it",
            require(Some(json!("access"))),
            Expect::Accept,
            Profile,
            CAT,
        ),
        refused("missing", "cat absent", None),
        Row::new(
            "cat-refresh",
            "cat \"refresh\" when access is required: a refresh token presented as an access token",
            require(Some(json!("refresh"))),
            rej(TokenTypeMismatch),
            Profile,
            &["ADV-SUBSTITUTION", "RFC8725-3.12-exclusive", "M29"],
        )
        .rationale(
            "The application configured the category check to tell refresh tokens from access \
             tokens, and accepting a token its issuer labelled refresh is cross-JWT substitution; \
             but cat is the profile's claim and RFC 8725 §3.12 only recommends mutually \
             exclusive validation rules, so no RFC MUST decides it.",
        ),
        refused("upper", "cat \"ACCESS\"", Some(json!("ACCESS"))),
        refused("number", "cat 1", Some(json!(1))),
        refused("array", "cat [\"access\"]", Some(json!(["access"]))),
    ]
}

/// Registered claims under another name, the category's near-misses, and mixed domain values
/// (numbers in integral float form, arrays of strings with one stray member).
fn near_miss_rows() -> Vec<Row> {
    let renamed = |name: &str, description: &str, from: &str, to: &str, reason, severity, basis| {
        let value = forge::claims()[from].clone();
        Row::new(
            name,
            description,
            all_of([no_claim(from), claim(to, value)]),
            rej(reason),
            severity,
            basis,
        )
        .notes("claim names are case-sensitive and exact: the other name is an unknown claim")
    };
    let mut rows = vec![
        renamed(
            "exp-renamed-expires-in",
            "exp given only as expires_in (a token response field)",
            "exp",
            "expires_in",
            ExpMissing,
            Must,
            EXP_REQUIRED,
        ),
        Row::new(
            "exp-missing-nbf-present",
            "no exp, an nbf long past",
            all_of([no_claim("exp"), claim("nbf", json!(forge::LONG_AGO))]),
            rej(ExpMissing),
            Must,
            EXP_REQUIRED,
        ),
        renamed(
            "iat-renamed-capital",
            "iat spelled Iat",
            "iat",
            "Iat",
            IatMissing,
            Profile,
            IAT,
        )
        .acceptable(&[accept()]),
        renamed(
            "iat-renamed-issued-at",
            "iat given only as issued_at",
            "iat",
            "issued_at",
            IatMissing,
            Profile,
            IAT,
        )
        .acceptable(&[accept()]),
    ];
    let cat = |name: &str, value: &str| {
        Row::new(
            format!("cat-{name}"),
            format!("cat {} when access is required", json!(value)),
            custom({
                let value = value.to_owned();
                move |d| {
                    d.profile.expected_cat = Some("access".into());
                    d.claims["cat"] = json!(value);
                }
            }),
            rej(TokenTypeMismatch),
            Profile,
            CAT,
        )
    };
    rows.extend([cat("empty", ""), cat("trailing-space", "access ")]);
    // Domain rules switched on one at a time; the values are JSON-level near-misses.
    let domain = |name: &str, claim_name: &'static str, literal: &str, reason, basis| {
        let mutation = raw_claim(claim_name, literal, &[]);
        Row::new(
            name,
            format!("{claim_name} written as {literal}"),
            all_of([
                custom(move |d| match claim_name {
                    "caps" => d.profile.domain.caps_shape = true,
                    _ => d.profile.domain.dlg_depth = true,
                }),
                mutation,
            ]),
            rej(reason),
            Profile,
            basis,
        )
    };
    let dlg: &[&str] = &["M43", "RFC7519-4-ignore"];
    let caps: &[&str] = &["M41", "RFC7519-4-ignore"];
    rows.extend([
        domain(
            "dlg-depth-integral-float",
            "dlg_depth",
            "4.0",
            DlgDepthInvalid,
            dlg,
        )
        .notes("4.0 is a JSON number with a fraction part, not an integer"),
        domain(
            "dlg-depth-exponent",
            "dlg_depth",
            "1e0",
            DlgDepthInvalid,
            dlg,
        ),
        domain(
            "caps-string-and-number",
            "caps",
            r#"["read",1]"#,
            CapsShapeInvalid,
            caps,
        ),
        domain(
            "caps-string-and-null",
            "caps",
            r#"["read",null]"#,
            CapsShapeInvalid,
            caps,
        ),
    ]);
    rows
}

pub fn family() -> Family {
    let mut rows = numeric_rows();
    rows.extend(time_rows());
    rows.extend(identity_rows());
    rows.extend(cat_rows());
    rows.extend(near_miss_rows());
    Family::table("claims", rows)
}
