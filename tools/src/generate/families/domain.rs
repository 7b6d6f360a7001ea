//! Domain rules of the IAM seed (M39–M45), each under a profile that turns it on.

use corpus::vector::Severity;
use serde_json::{Value, json};
use verifier::{AdminBand, Reason};

use super::{Family, rej, set_claim};
use crate::generate::{Case, Draft, Expect};

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

fn claim_case(name: &str, claim: &'static str, value: Value, expect: Expect) -> Case {
    let description = format!("{claim} = {value}");
    Case::new(name, description, expect, move |d| {
        set_claim(d, claim, value.clone())
    })
}

pub fn family() -> Family {
    let mut f = Family::new("domain", Severity::Profile, &["seed 003"]).base(domain_base);
    f.add(Case::new(
        "all-rules-baseline",
        "every domain rule on, baseline claims",
        Expect::Accept,
        |_| {},
    ));
    let rejects: [(&str, &str, Value, Reason); 28] = [
        (
            "sub-not-ulid",
            "sub",
            json!("user-1"),
            Reason::SubFormatInvalid,
        ),
        (
            "sub-ulid-lowercase",
            "sub",
            json!(ULID.to_lowercase()),
            Reason::SubFormatInvalid,
        ),
        (
            "sub-ulid-25",
            "sub",
            json!(&ULID[..25]),
            Reason::SubFormatInvalid,
        ),
        (
            "sub-ulid-27",
            "sub",
            json!(format!("{ULID}0")),
            Reason::SubFormatInvalid,
        ),
        (
            "sub-ulid-letter-u",
            "sub",
            json!(format!("{}U", &ULID[..25])),
            Reason::SubFormatInvalid,
        ),
        (
            "sub-ulid-overflow",
            "sub",
            json!(format!("8{}", &ULID[1..])),
            Reason::SubFormatInvalid,
        ),
        (
            "account-type-admin",
            "account_type",
            json!("admin"),
            Reason::AccountTypeInvalid,
        ),
        (
            "account-type-case",
            "account_type",
            json!("HUMAN"),
            Reason::AccountTypeInvalid,
        ),
        (
            "account-type-number",
            "account_type",
            json!(1),
            Reason::AccountTypeInvalid,
        ),
        (
            "account-type-null",
            "account_type",
            json!(null),
            Reason::AccountTypeInvalid,
        ),
        (
            "caps-string",
            "caps",
            json!("admin"),
            Reason::CapsShapeInvalid,
        ),
        ("caps-numbers", "caps", json!([1]), Reason::CapsShapeInvalid),
        (
            "caps-object",
            "caps",
            json!({"admin": true}),
            Reason::CapsShapeInvalid,
        ),
        (
            "caps-nested",
            "caps",
            json!([["admin"]]),
            Reason::CapsShapeInvalid,
        ),
        ("caps-null", "caps", json!(null), Reason::CapsShapeInvalid),
        (
            "scopes-string",
            "scopes",
            json!("read write"),
            Reason::ScopesShapeInvalid,
        ),
        (
            "scopes-numbers",
            "scopes",
            json!([1, 2]),
            Reason::ScopesShapeInvalid,
        ),
        (
            "scopes-null",
            "scopes",
            json!(null),
            Reason::ScopesShapeInvalid,
        ),
        (
            "scopes-257",
            "scopes",
            json!((0..257).map(|i| format!("s{i}")).collect::<Vec<_>>()),
            Reason::ScopesTooLong,
        ),
        (
            "scopes-1000",
            "scopes",
            json!(vec!["s"; 1000]),
            Reason::ScopesTooLong,
        ),
        (
            "dlg-depth-5",
            "dlg_depth",
            json!(5),
            Reason::DlgDepthInvalid,
        ),
        (
            "dlg-depth-negative",
            "dlg_depth",
            json!(-1),
            Reason::DlgDepthInvalid,
        ),
        (
            "dlg-depth-string",
            "dlg_depth",
            json!("1"),
            Reason::DlgDepthInvalid,
        ),
        (
            "dlg-depth-float",
            "dlg_depth",
            json!(1.5),
            Reason::DlgDepthInvalid,
        ),
        (
            "dlg-depth-bool",
            "dlg_depth",
            json!(true),
            Reason::DlgDepthInvalid,
        ),
        (
            "admin-no-ppnum",
            "admin",
            json!(true),
            Reason::AdminBandRejected,
        ),
        (
            "admin-string-true",
            "admin",
            json!("true"),
            Reason::AdminBandRejected,
        ),
        ("admin-one", "admin", json!(1), Reason::AdminBandRejected),
    ];
    for (name, claim, value, reason) in rejects {
        f.add(claim_case(name, claim, value, rej(reason)));
    }
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
    for (name, claim, value) in accepts {
        f.add(claim_case(name, claim, value, Expect::Accept));
    }
    let ppnum = |admin: Value, ppnum: Value| {
        move |d: &mut Draft| {
            set_claim(d, "admin", admin.clone());
            set_claim(d, "active_ppnum", ppnum.clone());
        }
    };
    f.add(Case::new(
        "admin-in-band",
        "admin with active_ppnum 900…",
        Expect::Accept,
        ppnum(json!(true), json!("9001234567")),
    ));
    f.add(Case::new(
        "admin-band-top",
        "admin with active_ppnum 999…",
        Expect::Accept,
        ppnum(json!(true), json!("9999999999")),
    ));
    f.add(Case::new(
        "admin-below-band",
        "admin with active_ppnum 899…",
        rej(Reason::AdminBandRejected),
        ppnum(json!(true), json!("8999999999")),
    ));
    f.add(Case::new(
        "admin-ppnum-number",
        "admin with a numeric active_ppnum",
        rej(Reason::AdminBandRejected),
        ppnum(json!(true), json!(9_001_234_567_i64)),
    ));
    f.add(Case::new(
        "admin-ppnum-short",
        "admin with a two-digit active_ppnum",
        rej(Reason::AdminBandRejected),
        ppnum(json!(true), json!("90")),
    ));
    f.add(Case::new(
        "admin-ppnum-letters",
        "admin with a non-digit active_ppnum",
        rej(Reason::AdminBandRejected),
        ppnum(json!(true), json!("900abc")),
    ));
    f.add(Case::new(
        "profile-max-scopes-2",
        "a bound of 2 scopes and 3 scopes",
        rej(Reason::ScopesTooLong),
        |d| {
            d.profile.domain.max_scopes = 2;
            set_claim(d, "scopes", json!(["a", "b", "c"]));
        },
    ));
    let allowlist = |d: &mut Draft| {
        let mut names: Vec<String> = d
            .claims
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        names.extend(["scope".to_owned(), "cat".to_owned()]);
        d.profile.domain.claim_allowlist = Some(names);
    };
    f.add(
        Case::new(
            "allowlist-exact",
            "claims exactly within the allowlist",
            Expect::Accept,
            move |d| {
                allowlist(d);
                set_claim(d, "scope", json!("read"));
            },
        )
        .refs(&["seed 003 M45"]),
    );
    for claim in ["email", "phone_number", "name"] {
        f.add(
            Case::new(
                format!("allowlist-{}", claim.replace('_', "-")),
                format!("{claim} outside the allowlist"),
                rej(Reason::UnknownClaim),
                move |d| {
                    allowlist(d);
                    set_claim(d, claim, json!("pii"));
                },
            )
            .refs(&["seed 003 M45"]),
        );
    }
    f.add(
        Case::new(
            "multi-sub-and-caps",
            "a non-ULID sub and string caps",
            rej(Reason::SubFormatInvalid),
            |d| {
                set_claim(d, "sub", json!("user-1"));
                set_claim(d, "caps", json!("admin"));
            },
        )
        .notes("sub format is the first domain rule"),
    );
    f
}
