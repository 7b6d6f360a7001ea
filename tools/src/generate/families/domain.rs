//! Domain rules of the IAM profile (M39–M45), each under a profile that turns it on.
//!
//! All `profile`: RFC 7519 §4 leaves the claims a JWT must contain to the application and has
//! claims that are not understood ignored, so these rules are this project's, not an RFC's.

use corpus::vector::Severity::Profile;
use serde_json::{Value, json};
use verifier::AdminBand;
use verifier::Reason::{
    AccountTypeInvalid, AdminBandRejected, CapsShapeInvalid, DlgDepthInvalid, ScopesShapeInvalid,
    ScopesTooLong, SubFormatInvalid, UnknownClaim,
};

use super::{Family, rej};
use crate::generate::{Draft, Expect, Mutation, Row, all_of, claim, custom, reject_for};

const ULID: &str = "01HZY2J3K4M5N6P7Q8R9S0T1V2";

fn domain_base() -> Draft {
    let mut d = Draft::default();
    let r = &mut d.profile.domain;
    r.ulid_sub = true;
    r.account_types = Some(vec!["human".into(), "ai_agent".into()]);
    r.caps_shape = true;
    r.scopes_shape = true;
    r.dlg_depth = true;
    r.admin_band = Some(AdminBand { min: 900, max: 999 });
    d
}

/// The basis of the rule on `claim`: its M-ID, and the RFC 7519 clause that leaves the claim's
/// content to the application.
fn rule(claim: &str) -> &'static [&'static str] {
    match claim {
        "sub" => &["M39", "RFC7519-4.1.2-sub"],
        "account_type" => &["M40", "RFC7519-4-ignore"],
        "caps" => &["M41", "RFC7519-4-ignore"],
        "scopes" => &["M42", "RFC7519-4-ignore"],
        "dlg_depth" => &["M43", "RFC7519-4-ignore"],
        "admin" => &["M44", "RFC7519-4-ignore"],
        _ => &["M45", "RFC7519-4-ignore"],
    }
}

/// `claim = value` under every domain rule.
fn check(name: &str, name_of_claim: &'static str, value: Value, expect: Expect) -> Row {
    Row::new(
        name,
        format!("{name_of_claim} = {value}"),
        claim(name_of_claim, value),
        expect,
        Profile,
        rule(name_of_claim),
    )
}

/// `admin` with this `active_ppnum`.
fn admin(name: &str, description: &str, ppnum: Value, expect: Expect) -> Row {
    Row::new(
        name,
        description,
        all_of([claim("admin", json!(true)), claim("active_ppnum", ppnum)]),
        expect,
        Profile,
        rule("admin"),
    )
}

/// An allowlist of the baseline's claim names plus `scope` and `cat`.
fn allowlist(d: &mut Draft) {
    let mut names: Vec<String> = d
        .claims
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    names.extend(["scope".to_owned(), "cat".to_owned()]);
    d.profile.domain.claim_allowlist = Some(names);
}

/// The allowlist on, then `claim` set.
fn allowlisted(name_of_claim: &'static str, value: Value) -> Mutation {
    all_of([custom(allowlist), claim(name_of_claim, value)])
}

pub fn family() -> Family {
    let rejects: [(&str, &str, Value, _); 27] = [
        ("sub-not-ulid", "sub", json!("user-1"), SubFormatInvalid),
        ("sub-ulid-25", "sub", json!(&ULID[..25]), SubFormatInvalid),
        (
            "sub-ulid-27",
            "sub",
            json!(format!("{ULID}0")),
            SubFormatInvalid,
        ),
        (
            "sub-ulid-letter-u",
            "sub",
            json!(format!("{}U", &ULID[..25])),
            SubFormatInvalid,
        ),
        (
            "sub-ulid-overflow",
            "sub",
            json!(format!("8{}", &ULID[1..])),
            SubFormatInvalid,
        ),
        (
            "account-type-admin",
            "account_type",
            json!("admin"),
            AccountTypeInvalid,
        ),
        (
            "account-type-case",
            "account_type",
            json!("HUMAN"),
            AccountTypeInvalid,
        ),
        (
            "account-type-number",
            "account_type",
            json!(1),
            AccountTypeInvalid,
        ),
        (
            "account-type-null",
            "account_type",
            json!(null),
            AccountTypeInvalid,
        ),
        ("caps-string", "caps", json!("admin"), CapsShapeInvalid),
        ("caps-numbers", "caps", json!([1]), CapsShapeInvalid),
        (
            "caps-object",
            "caps",
            json!({"admin": true}),
            CapsShapeInvalid,
        ),
        ("caps-nested", "caps", json!([["admin"]]), CapsShapeInvalid),
        ("caps-null", "caps", json!(null), CapsShapeInvalid),
        (
            "scopes-string",
            "scopes",
            json!("read write"),
            ScopesShapeInvalid,
        ),
        (
            "scopes-numbers",
            "scopes",
            json!([1, 2]),
            ScopesShapeInvalid,
        ),
        ("scopes-null", "scopes", json!(null), ScopesShapeInvalid),
        (
            "scopes-257",
            "scopes",
            json!((0..257).map(|i| format!("s{i}")).collect::<Vec<_>>()),
            ScopesTooLong,
        ),
        (
            "scopes-1000",
            "scopes",
            json!(vec!["s"; 1000]),
            ScopesTooLong,
        ),
        ("dlg-depth-5", "dlg_depth", json!(5), DlgDepthInvalid),
        (
            "dlg-depth-negative",
            "dlg_depth",
            json!(-1),
            DlgDepthInvalid,
        ),
        ("dlg-depth-string", "dlg_depth", json!("1"), DlgDepthInvalid),
        ("dlg-depth-float", "dlg_depth", json!(1.5), DlgDepthInvalid),
        ("dlg-depth-bool", "dlg_depth", json!(true), DlgDepthInvalid),
        ("admin-no-ppnum", "admin", json!(true), AdminBandRejected),
        (
            "admin-string-true",
            "admin",
            json!("true"),
            AdminBandRejected,
        ),
        ("admin-one", "admin", json!(1), AdminBandRejected),
    ];
    let accepts: [(&str, &str, Value); 8] = [
        ("account-type-human", "account_type", json!("human")),
        ("account-type-ai-agent", "account_type", json!("ai_agent")),
        ("caps-array", "caps", json!(["read", "write"])),
        ("caps-empty", "caps", json!([])),
        (
            "scopes-256",
            "scopes",
            json!((0..256).map(|i| format!("s{i}")).collect::<Vec<_>>()),
        ),
        ("dlg-depth-0", "dlg_depth", json!(0)),
        ("dlg-depth-4", "dlg_depth", json!(4)),
        ("admin-false", "admin", json!(false)),
    ];
    let mut rows: Vec<Row> = rejects
        .into_iter()
        .map(|(name, c, value, reason)| check(name, c, value, rej(reason)))
        .collect();
    rows.push(
        check(
            "sub-ulid-lowercase",
            "sub",
            json!(ULID.to_lowercase()),
            rej(SubFormatInvalid),
        )
        .rationale(
            "The ULID spec decodes either case, but `sub` is a case-sensitive string (RFC 7519 \
             §4.1.2), so two spellings of one ULID would name two subjects: the profile takes \
             only the canonical upper-case form.",
        ),
    );
    rows.extend(
        accepts
            .into_iter()
            .map(|(name, c, value)| check(name, c, value, Expect::Accept)),
    );
    rows.extend([
        Row::new(
            "all-rules-baseline",
            "every domain rule on, baseline claims",
            Mutation::Baseline,
            Expect::Accept,
            Profile,
            &["M39", "M40", "M41", "M42", "M43", "M44"],
        ),
        admin(
            "admin-in-band",
            "admin with active_ppnum 900…",
            json!("9001234567"),
            Expect::Accept,
        ),
        admin(
            "admin-band-top",
            "admin with active_ppnum 999…",
            json!("9999999999"),
            Expect::Accept,
        ),
        admin(
            "admin-below-band",
            "admin with active_ppnum 899…",
            json!("8999999999"),
            rej(AdminBandRejected),
        ),
        admin(
            "admin-ppnum-number",
            "admin with a numeric active_ppnum",
            json!(9_001_234_567_i64),
            rej(AdminBandRejected),
        ),
        admin(
            "admin-ppnum-short",
            "admin with a two-digit active_ppnum",
            json!("90"),
            rej(AdminBandRejected),
        ),
        admin(
            "admin-ppnum-letters",
            "admin with a non-digit active_ppnum",
            json!("900abc"),
            rej(AdminBandRejected),
        ),
        Row::new(
            "profile-max-scopes-2",
            "a bound of 2 scopes and 3 scopes",
            all_of([
                custom(|d| d.profile.domain.max_scopes = 2),
                claim("scopes", json!(["a", "b", "c"])),
            ]),
            rej(ScopesTooLong),
            Profile,
            rule("scopes"),
        ),
        Row::new(
            "allowlist-exact",
            "claims exactly within the allowlist",
            allowlisted("scope", json!("read")),
            Expect::Accept,
            Profile,
            rule("allowlist"),
        ),
        Row::new(
            "multi-sub-and-caps",
            "a non-ULID sub and string caps",
            all_of([claim("sub", json!("user-1")), claim("caps", json!("admin"))]),
            rej(SubFormatInvalid),
            Profile,
            &["M39", "M41", "RFC7519-4.1.2-sub", "RFC7519-4-ignore"],
        )
        .acceptable(&[reject_for(CapsShapeInvalid)])
        .notes("sub format is the first domain rule; another rule order names caps"),
    ]);
    for name_of_claim in ["email", "phone_number", "name"] {
        rows.push(Row::new(
            format!("allowlist-{}", name_of_claim.replace('_', "-")),
            format!("{name_of_claim} outside the allowlist"),
            allowlisted(name_of_claim, json!("pii")),
            rej(UnknownClaim),
            Profile,
            rule("allowlist"),
        ));
    }
    rows.extend(shape_rows());
    Family::table("domain", rows).base(domain_base)
}

/// `account_type` and `scopes` (M40, M42): near misses of the allowed shapes, with controls.
fn shape_rows() -> Vec<Row> {
    let scopes_n = |n: usize| json!((0..n).map(|i| format!("s{i}")).collect::<Vec<_>>());
    let rejects: [(&str, &str, Value, _); 16] = [
        (
            "account-type-empty",
            "account_type",
            json!(""),
            AccountTypeInvalid,
        ),
        (
            "account-type-array",
            "account_type",
            json!(["human"]),
            AccountTypeInvalid,
        ),
        (
            "account-type-trailing-space",
            "account_type",
            json!("human "),
            AccountTypeInvalid,
        ),
        (
            "account-type-object",
            "account_type",
            json!({"type": "human"}),
            AccountTypeInvalid,
        ),
        (
            "account-type-bool",
            "account_type",
            json!(true),
            AccountTypeInvalid,
        ),
        (
            "account-type-hyphen",
            "account_type",
            json!("ai-agent"),
            AccountTypeInvalid,
        ),
        (
            "scopes-mixed",
            "scopes",
            json!(["read", 1]),
            ScopesShapeInvalid,
        ),
        (
            "scopes-object",
            "scopes",
            json!({"read": true}),
            ScopesShapeInvalid,
        ),
        (
            "scopes-nested",
            "scopes",
            json!([["read"]]),
            ScopesShapeInvalid,
        ),
        ("scopes-bool", "scopes", json!(true), ScopesShapeInvalid),
        (
            "scopes-null-member",
            "scopes",
            json!(["read", null]),
            ScopesShapeInvalid,
        ),
        (
            "scopes-empty-string",
            "scopes",
            json!(""),
            ScopesShapeInvalid,
        ),
        ("scopes-300", "scopes", scopes_n(300), ScopesTooLong),
        (
            "scopes-257-empty-strings",
            "scopes",
            json!(vec![""; 257]),
            ScopesTooLong,
        ),
        (
            "scopes-257-duplicates",
            "scopes",
            json!(vec!["read"; 257]),
            ScopesTooLong,
        ),
        (
            "account-type-unicode-lookalike",
            "account_type",
            json!("hum\u{430}n"),
            AccountTypeInvalid,
        ),
    ];
    let accepts: [(&str, &str, Value); 5] = [
        ("scopes-empty", "scopes", json!([])),
        ("scopes-array", "scopes", json!(["read", "write"])),
        ("scopes-empty-string-member", "scopes", json!([""])),
        ("scopes-unicode", "scopes", json!(["lire", "écrire"])),
        ("scopes-255", "scopes", scopes_n(255)),
    ];
    let mut rows: Vec<Row> = rejects
        .into_iter()
        .map(|(name, c, value, reason)| check(name, c, value, rej(reason)))
        .collect();
    rows.extend(
        accepts
            .into_iter()
            .map(|(name, c, value)| check(name, c, value, Expect::Accept)),
    );
    let bound = |max: usize| custom(move |d| d.profile.domain.max_scopes = max);
    let types = |set: &'static [&'static str]| {
        custom(move |d| {
            d.profile.domain.account_types = Some(set.iter().map(|t| (*t).to_owned()).collect());
        })
    };
    let configured =
        |name: &str, description: &str, setup: Mutation, c: &str, value: Value, expect| {
            Row::new(
                name,
                description,
                all_of([setup, claim(c, value)]),
                expect,
                Profile,
                rule(c),
            )
        };
    rows.extend([
        configured("profile-max-scopes-0", "a bound of 0 scopes and one scope", bound(0), "scopes", json!(["read"]), rej(ScopesTooLong)),
        configured("profile-max-scopes-1", "a bound of 1 scope and 2 scopes", bound(1), "scopes", json!(["a", "b"]), rej(ScopesTooLong)),
        configured("profile-max-scopes-2-exact", "a bound of 2 scopes and exactly 2", bound(2), "scopes", json!(["a", "b"]), Expect::Accept),
        configured("profile-max-scopes-0-empty", "a bound of 0 scopes and an empty array", bound(0), "scopes", json!([]), Expect::Accept),
        configured("account-type-custom-set", "account types {service}: service", types(&["service"]), "account_type", json!("service"), Expect::Accept),
        configured("account-type-outside-custom-set", "account types {service}: human", types(&["service"]), "account_type", json!("human"), rej(AccountTypeInvalid)),
        configured("account-type-empty-set", "an empty set of account types: human", types(&[]), "account_type", json!("human"), rej(AccountTypeInvalid)),
        check("scopes-257-with-number", "scopes", {
            let mut v: Vec<Value> = (0..256).map(|i| json!(format!("s{i}"))).collect();
            v.push(json!(1));
            json!(v)
        }, rej(ScopesShapeInvalid))
        .acceptable(&[reject_for(ScopesTooLong)])
        .notes("257 entries, one not a string: the shape rule comes first in the catalogue; a length-first check names scopes_too_long"),
    ]);
    rows
}
