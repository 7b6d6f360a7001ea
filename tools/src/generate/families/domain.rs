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
    Family::table("domain", rows).base(domain_base)
}
