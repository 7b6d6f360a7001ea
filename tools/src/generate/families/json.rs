//! JSON in the header and in a validly signed payload (RFC 7515 §5.2 step 3, RFC 7519 §7.2
//! step 10, RFC 8259, JSONTestSuite).
//!
//! Octets that are not the UTF-8 encoding of a valid JSON object are a binding rejection. What
//! RFC 8259 leaves to the parser (a byte order mark, unpaired surrogate escapes, numbers beyond a
//! double, nesting depth) is the strict profile. A duplicate member is binding when both parsers
//! RFC 7515 §4 / RFC 7519 §4 allow (reject duplicates, or keep the last member) reject the token:
//! the last member is then itself a binding defect, and its reason is acceptable.

use corpus::vector::Severity::{self, Must, Profile};
use corpus::vector::{Acceptable, Feature};
use serde_json::{Value, json};
use verifier::Reason::{
    self, AlgNone, AudMismatch, AudMissing, DuplicateJsonKeys, ExpMissing, Expired, HeaderB64False,
    HeaderCrit, HeaderExtraParam, HeaderJwk, HeaderUnparseable, IatFuture, IatMissing,
    InvalidNumericType, IssMismatch, KidUnknown, NotYetValid, PayloadUnparseable, SubMissing,
    TypMismatch, UnknownClaim,
};

use super::claims::{allowlist_baseline, raw_claim};
use super::{Family, nested, rej};
use crate::generate::{
    Expect, Mutation, Row, accept, all_of, any_reject, claim, custom, hdr, no_claim, no_hdr,
    reject_for,
};

/// The baseline header's members, for raw header texts.
const HEADER: &str = r#""alg":"ES256","typ":"at+jwt","kid":"primary""#;

/// Header octets that are not a UTF-8 valid JSON object.
const HEADER_JSON: &[&str] = &["RFC7515-5.2-json", "PROFILE-JSON"];
/// Payload octets that are not a UTF-8 valid JSON object.
const PAYLOAD_JSON: &[&str] = &["RFC7519-7.2-json", "PROFILE-JSON"];
/// A nesting depth past the profile's `max_json_depth`.
const DEPTH: &[&str] = &["PROFILE-LIMITS", "PROFILE-JSON", "RFC8259-9-limits"];

const UTF8: &str = "RFC 7515 §5.2 step 3 and RFC 7519 §7.2 step 10 require the octets to be the UTF-8 \
                    encoding of a valid JSON object, whatever a JSON parser makes of other bytes \
                    (JSONTestSuite leaves them to the implementation).";
const BOM: &str = "RFC 8259 §8.1 lets a parser ignore a byte order mark, so accepting this validly \
                   signed token conforms; the strict profile refuses it.";
const SURROGATE: &str = "An unpaired surrogate escape is valid RFC 8259 grammar whose handling is \
                         unpredictable (§8.2), so a parser may accept it; the strict profile \
                         refuses it.";

/// `{HEADER,extra}`.
fn header_with(extra: &str) -> Vec<u8> {
    format!("{{{HEADER},{extra}}}").into_bytes()
}

/// `{claims,extra}` over the baseline claims.
fn payload_with(extra: &str) -> Vec<u8> {
    format!("{{{},{extra}}}", claims_body()).into_bytes()
}

/// The baseline claims' members, without braces.
fn claims_body() -> String {
    let text = forge::claims().to_string();
    text[1..text.len() - 1].to_owned()
}

/// JSONTestSuite case names as refs.
fn suite(cases: &[&str]) -> Vec<String> {
    cases.iter().map(|c| format!("JSONTestSuite {c}")).collect()
}

/// A row whose refs are JSONTestSuite cases.
fn with_suite(row: Row, cases: &[&str]) -> Row {
    let refs = suite(cases);
    let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
    row.refs(&refs)
}

/// A header or payload that is not a UTF-8 JSON object: a binding rejection (RFC 7515 §5.2,
/// RFC 7519 §7.2), with the encoding rationale where the bytes are not UTF-8.
fn not_json(
    (name, description, mutation, cases): (&str, &str, Mutation, &[&str]),
    reason: Reason,
    basis: &[&str],
) -> Row {
    let row = Row::new(name, description, mutation, rej(reason), Must, basis);
    let row = if name.contains("utf8") || name.contains("latin1") {
        row.rationale(UTF8)
    } else {
        row
    };
    with_suite(row, cases)
}

/// Which duplicate rule a duplicate falls under.
#[derive(Clone, Copy)]
enum Dup {
    /// A Header Parameter name (RFC 7515 §4).
    Header,
    /// A Claim Name (RFC 7519 §4).
    Claim,
}

impl Dup {
    fn clause(self) -> &'static str {
        match self {
            Dup::Header => "RFC7515-4-dup",
            Dup::Claim => "RFC7519-4-dup",
        }
    }

    fn section(self) -> &'static str {
        match self {
            Dup::Header => "RFC 7515 §4",
            Dup::Claim => "RFC 7519 §4",
        }
    }

    fn mutation(self, extra: &str) -> Mutation {
        match self {
            Dup::Header => Mutation::HeaderBytes(header_with(extra)),
            Dup::Claim => Mutation::PayloadBytes(payload_with(extra)),
        }
    }
}

/// A duplicate whose last member is itself a binding defect: a parser that rejects duplicates and
/// one that keeps the last member both reject, only a first-wins parser accepts. `violated` are
/// the clauses the last member breaks, `reason` what a last-wins verifier says.
fn dup_must(
    dup: Dup,
    name: &str,
    description: &str,
    extra: &str,
    violated: &[&str],
    reason: verifier::Reason,
    last: &str,
) -> Row {
    let mut basis = vec![dup.clause()];
    basis.extend_from_slice(violated);
    basis.push("M32");
    Row::new(
        name,
        description,
        dup.mutation(extra),
        rej(DuplicateJsonKeys),
        Must,
        &basis,
    )
    .acceptable(&[reject_for(reason)])
    .flags(&["DuplicateKey"])
    .rationale(&format!(
        "{} lets a parser reject duplicate names or keep the last member; the last member {last}, \
         so both reject and only a first-wins parser accepts.",
        dup.section()
    ))
}

/// A duplicate whose last member is not a binding defect: only a parser that rejects duplicates
/// (this profile, M32) has to reject; `last_wins` is what this profile says with a last-wins
/// parser.
fn dup_profile(
    name: &str,
    description: &str,
    mutation: Mutation,
    basis: &[&str],
    last_wins: Acceptable,
    rationale: &str,
) -> Row {
    let mut b = vec!["M32"];
    b.extend_from_slice(basis);
    Row::new(
        name,
        description,
        mutation,
        rej(DuplicateJsonKeys),
        Profile,
        &b,
    )
    .acceptable(&[last_wins])
    .flags(&["DuplicateKey"])
    .rationale(rationale)
}

fn duplicates() -> Vec<Row> {
    // Past the handful of members a valid header has: a parser that tracks only the first few
    // names (or switches to another structure beyond them) must still see the repeat.
    let twelve = (0..12)
        .map(|i| format!("\"x{i}\":{i}"))
        .collect::<Vec<_>>()
        .join(",");
    let kid_last = "names no pinned key; refusing an unknown kid is this profile's rule (M12), \
                    and a verifier that tries the pinned keys accepts nothing forged";
    vec![
        dup_profile(
            "header-dup-alg-same",
            "alg twice with the same value",
            Dup::Header.mutation(r#""alg":"ES256""#),
            &["RFC7515-4-dup", "RFC8259-4-names"],
            accept(),
            "RFC 7515 §4 lets a parser keep the last member, here the same ES256, so a last-wins \
             parser accepts; only this profile rejects every duplicate.",
        ),
        dup_must(
            Dup::Header,
            "header-dup-alg-none-last",
            "alg twice, none last",
            r#""alg":"none""#,
            &["RFC9068-4-signature", "RFC7518-3.6-none"],
            AlgNone,
            "is alg none",
        ),
        dup_must(
            Dup::Header,
            "header-dup-escaped-alg",
            "alg twice, once as \\u0061lg",
            r#""\u0061lg":"none""#,
            &["RFC9068-4-signature", "RFC7518-3.6-none"],
            AlgNone,
            "(\\u0061lg unescapes to alg) is alg none",
        ),
        dup_must(
            Dup::Header,
            "header-dup-alg-after-many",
            "alg repeated as none after twelve other members",
            &format!("{twelve},\"alg\":\"none\""),
            &["RFC9068-4-signature", "RFC7518-3.6-none"],
            AlgNone,
            "is alg none",
        )
        .acceptable(&[reject_for(HeaderExtraParam)])
        .notes(
            "duplicate detection runs before header parameter rules, at any member count; a \
             last-wins verifier that checks the member allowlist before alg says \
             header_extra_param",
        ),
        dup_must(
            Dup::Header,
            "header-dup-typ",
            "typ twice, JWT last",
            r#""typ":"JWT""#,
            &["RFC9068-4-typ", "M13"],
            TypMismatch,
            "is typ JWT, which RFC 9068 §4 makes a resource server reject",
        )
        .features(&[Feature::Typ]),
        dup_profile(
            "header-dup-kid",
            "kid twice, an unknown kid last",
            Dup::Header.mutation(r#""kid":"other""#),
            &["RFC7515-4-dup", "M12", "RFC7515-4.1.4-kid"],
            reject_for(KidUnknown),
            &format!("RFC 7515 §4 lets a parser keep the last kid, which {kid_last}."),
        ),
        dup_profile(
            "header-dup-escaped-kid",
            "kid twice, once as \\u006bid",
            Dup::Header.mutation(r#""\u006bid":"attacker""#),
            &["RFC7515-4-dup", "M12", "RFC7515-4.1.4-kid"],
            reject_for(KidUnknown),
            &format!(
                "RFC 7515 §4 lets a parser keep the last kid (\\u006bid unescapes to kid), which \
                 {kid_last}."
            ),
        ),
        dup_profile(
            "header-dup-among-many",
            "two of fourteen extra members share a name, both past the twelfth member",
            Dup::Header.mutation(&format!("{twelve},\"y\":1,\"y\":2")),
            &["RFC7515-4-dup", "M16", "RFC7515-4-ignore"],
            reject_for(HeaderExtraParam),
            "RFC 7515 §4 lets a parser keep the last y, an extension member a recipient ignores \
             (RFC 7515 §4), so only this profile's rules refuse the token.",
        )
        .notes("duplicate detection runs before header parameter rules, at any member count"),
        dup_profile(
            "header-dup-nested",
            "a duplicate inside a nested header object (kty twice in a jwk)",
            Mutation::HeaderBytes(header_with(r#""jwk":{"kty":"EC","kty":"oct"}"#)),
            &["RFC7517-4-unique", "M09", "RFC7515-4.1.3-jwk"],
            reject_for(HeaderJwk),
            "RFC 7517 §4 lets a JWK parser keep the last kty; the token is signed by the pinned \
             key, so what the embedded jwk is worth is the header rules' question (M09), and only \
             this profile refuses the duplicate itself.",
        )
        .notes("duplicate detection runs before header parameter rules"),
        dup_must(
            Dup::Claim,
            "payload-dup-exp",
            "exp twice, the later far in the past",
            r#""exp":1"#,
            &["RFC7519-4.1.4-exp", "RFC9068-4-exp", "M18"],
            Expired,
            "is an exp of 1 (1970), long expired",
        ),
        dup_must(
            Dup::Claim,
            "payload-dup-escaped-exp",
            "exp twice, once as \\u0065xp",
            r#""\u0065xp":1"#,
            &["RFC7519-4.1.4-exp", "RFC9068-4-exp", "M18"],
            Expired,
            "(\\u0065xp unescapes to exp) is an exp of 1 (1970), long expired",
        ),
        dup_must(
            Dup::Claim,
            "payload-dup-aud",
            "aud twice, another audience last",
            r#""aud":"https://other.example""#,
            &["RFC7519-4.1.3-aud", "RFC9068-4-aud", "M21"],
            AudMismatch,
            "is an audience that is not this resource server",
        ),
        dup_must(
            Dup::Claim,
            "payload-dup-iss",
            "iss twice, another issuer last",
            r#""iss":"https://attacker.example""#,
            &["RFC9068-4-iss", "M23"],
            IssMismatch,
            "is an issuer other than the pinned one",
        ),
        dup_profile(
            "payload-dup-sub",
            "sub twice, admin last",
            Dup::Claim.mutation(r#""sub":"admin""#),
            &["RFC7519-4-dup", "RFC7519-4.1.2-sub"],
            accept(),
            "RFC 7519 §4 lets a parser keep the last sub, a valid subject under this profile, so \
             a last-wins parser accepts; only this profile rejects every duplicate.",
        ),
        dup_profile(
            "payload-dup-nested",
            "a duplicate inside a nested claim object",
            Mutation::PayloadBytes(payload_with(r#""ext":{"role":"user","role":"admin"}"#)),
            &["RFC8259-4-names", "RFC7519-4-ignore"],
            accept(),
            "RFC 7519 §4 governs claim names only; a nested duplicate is valid JSON (RFC 8259 §4) \
             inside a claim the verifier ignores, so accepting conforms.",
        ),
        dup_profile(
            "payload-dup-in-array-object",
            "a duplicate inside an object in an array",
            Mutation::PayloadBytes(payload_with(r#""l":[{"a":1,"a":2}]"#)),
            &["RFC8259-4-names", "RFC7519-4-ignore"],
            accept(),
            "RFC 7519 §4 governs claim names only; a nested duplicate is valid JSON (RFC 8259 §4) \
             inside a claim the verifier ignores, so accepting conforms.",
        ),
    ]
}

fn header_rows() -> Vec<Row> {
    let invalid: [(&str, &str, Vec<u8>, &[&str]); 14] = [
        (
            "header-invalid-utf8",
            "an invalid UTF-8 byte in a header string",
            [format!("{{{HEADER},\"x\":\"").as_bytes(), &[0xff], b"\"}"].concat(),
            &["i_string_invalid_utf-8.json"],
        ),
        (
            "header-overlong-utf8",
            "an overlong UTF-8 encoding of '/'",
            [
                format!("{{{HEADER},\"x\":\"").as_bytes(),
                &[0xc0, 0xaf],
                b"\"}",
            ]
            .concat(),
            &["i_string_overlong_sequence_2_bytes.json"],
        ),
        (
            "header-trailing-garbage",
            "text after the header object",
            format!("{{{HEADER}}}x").into_bytes(),
            &["n_object_with_trailing_garbage.json"],
        ),
        (
            "header-two-objects",
            "two header objects",
            format!("{{{HEADER}}}{{}}").into_bytes(),
            &[],
        ),
        (
            "header-trailing-comma",
            "a trailing comma",
            format!("{{{HEADER},}}").into_bytes(),
            &["n_object_trailing_comma.json"],
        ),
        (
            "header-block-comment",
            "a block comment",
            format!("{{/*c*/{HEADER}}}").into_bytes(),
            &["n_structure_object_with_comment.json"],
        ),
        (
            "header-line-comment",
            "a line comment",
            format!("{{{HEADER}//c\n}}").into_bytes(),
            &[],
        ),
        (
            "header-single-quotes",
            "single-quoted strings",
            b"{'alg':'ES256','typ':'at+jwt','kid':'primary'}".to_vec(),
            &["n_object_single_quote.json"],
        ),
        (
            "header-unquoted-keys",
            "unquoted member names",
            b"{alg:\"ES256\",typ:\"at+jwt\",kid:\"primary\"}".to_vec(),
            &["n_object_unquoted_key.json"],
        ),
        (
            "header-array",
            "a header that is an array",
            br#"["ES256","at+jwt","primary"]"#.to_vec(),
            &[],
        ),
        (
            "header-string",
            "a header that is a string",
            br#""ES256""#.to_vec(),
            &["y_structure_lonely_string.json"],
        ),
        (
            "header-null",
            "a header that is null",
            b"null".to_vec(),
            &["y_structure_lonely_null.json"],
        ),
        (
            "header-raw-control",
            "a raw control character inside a string",
            format!("{{{HEADER},\"x\":\"a\u{1}b\"}}").into_bytes(),
            &["n_string_unescaped_ctrl_char.json"],
        ),
        (
            "header-truncated",
            "a truncated header object",
            format!("{{{HEADER}").into_bytes(),
            &["n_structure_unclosed_object.json"],
        ),
    ];
    let mut rows: Vec<Row> = invalid
        .into_iter()
        .map(|(name, description, raw, cases)| {
            not_json(
                (name, description, Mutation::HeaderBytes(raw), cases),
                HeaderUnparseable,
                HEADER_JSON,
            )
        })
        .collect();
    let surrogate = |name: &str, description: &str, kid: &str, case: &str| {
        with_suite(
            Row::new(
                name,
                description,
                Mutation::HeaderBytes(
                    format!(r#"{{"alg":"ES256","typ":"at+jwt","kid":"{kid}"}}"#).into_bytes(),
                ),
                rej(HeaderUnparseable),
                Profile,
                &["PROFILE-JSON", "RFC8259-8.2-surrogates", "M12"],
            )
            .acceptable(&[reject_for(KidUnknown)])
            .rationale(
                "An unpaired surrogate escape is valid RFC 8259 grammar whose handling is \
                 unpredictable (§8.2); a parser that keeps it reads a kid that names no pinned \
                 key, and the strict profile refuses the text itself.",
            ),
            &[case],
        )
    };
    let deep = |name: &str, description: &str, depth: usize, cases: &[&str]| {
        with_suite(
            Row::new(
                name,
                description,
                Mutation::HeaderBytes(header_with(&format!("\"x\":{}", nested(depth, "1")))),
                rej(HeaderUnparseable),
                Profile,
                &[DEPTH, &["M16"]].concat(),
            )
            .acceptable(&[reject_for(HeaderExtraParam)])
            .rationale(
                "RFC 8259 §9 lets an implementation set a nesting limit; the profile's is 16, and \
                 a verifier with a larger one still refuses the extra member x (M16).",
            ),
            cases,
        )
    };
    rows.extend([
        with_suite(
            Row::new(
                "header-bom",
                "UTF-8 BOM before the header JSON",
                Mutation::HeaderBytes(
                    [&[0xef, 0xbb, 0xbf][..], format!("{{{HEADER}}}").as_bytes()].concat(),
                ),
                rej(HeaderUnparseable),
                Profile,
                &["PROFILE-JSON", "RFC8259-8.1-bom"],
            )
            .acceptable(&[accept()])
            .rationale(BOM),
            &["i_structure_UTF-8_BOM_empty_object.json"],
        ),
        surrogate(
            "header-lone-high-surrogate",
            "a lone high surrogate escape in kid",
            r"\ud888",
            "i_string_1st_surrogate_but_2nd_missing.json",
        ),
        surrogate(
            "header-lone-low-surrogate",
            "a lone low surrogate escape",
            r"\udc00x",
            "i_string_lone_second_surrogate.json",
        ),
        deep(
            "header-nested-17",
            "a header nested one level past the bound",
            16,
            &[],
        ),
        deep(
            "header-nested-500",
            "a header nested 500 deep",
            500,
            &["i_structure_500_nested_arrays.json"],
        ),
        Row::new(
            "header-empty-object",
            "an empty header object",
            Mutation::HeaderBytes(b"{}".to_vec()),
            rej(AlgNone),
            Must,
            &["RFC7515-4.1.1-alg", "M01"],
        )
        .acceptable(&[any_reject()])
        .notes(
            "a well-formed header without alg: alg_none; typ and kid are missing too, so any \
             rejection conforms",
        ),
        Row::new(
            "header-case-variant-member",
            "ALG beside alg is a distinct member",
            Mutation::HeaderBytes(header_with(r#""ALG":"none""#)),
            rej(HeaderExtraParam),
            Profile,
            &["M16", "RFC7515-4-ignore"],
        )
        .notes("member names are case-sensitive: not a duplicate, but outside the allowlist"),
    ]);
    rows
}

fn payload_rows() -> Vec<Row> {
    let invalid: [(&str, &str, Vec<u8>, &[&str]); 16] = [
        (
            "payload-invalid-utf8",
            "an invalid UTF-8 byte in a claim",
            [payload_open().as_bytes(), &[0xff], b"\"}"].concat(),
            &["i_string_invalid_utf-8.json"],
        ),
        (
            "payload-overlong-utf8",
            "an overlong UTF-8 sequence in a claim",
            [payload_open().as_bytes(), &[0xe0, 0x80, 0xaf], b"\"}"].concat(),
            &[],
        ),
        (
            "payload-latin1",
            "a Latin-1 byte in a claim",
            [payload_open().as_bytes(), b"caf", &[0xe9], b"\"}"].concat(),
            &["i_string_iso_latin_1.json"],
        ),
        (
            "payload-trailing-garbage",
            "text after the payload object",
            format!("{{{}}}x", claims_body()).into_bytes(),
            &["n_object_with_trailing_garbage.json"],
        ),
        (
            "payload-two-objects",
            "two payload objects",
            format!("{{{}}}{{\"sub\":\"admin\"}}", claims_body()).into_bytes(),
            &[],
        ),
        (
            "payload-trailing-comma",
            "a trailing comma",
            format!("{{{},}}", claims_body()).into_bytes(),
            &["n_object_trailing_comma.json"],
        ),
        (
            "payload-comment",
            "a comment",
            format!("{{{}/* admin */}}", claims_body()).into_bytes(),
            &["n_structure_object_with_comment.json"],
        ),
        (
            "payload-nan",
            "NaN as a claim value",
            payload_with("\"x\":NaN"),
            &["n_number_NaN.json"],
        ),
        (
            "payload-infinity",
            "Infinity as a claim value",
            payload_with("\"x\":Infinity"),
            &["n_number_infinity.json"],
        ),
        (
            "payload-leading-zero",
            "a number with a leading zero",
            payload_with("\"x\":0123"),
            &["n_number_with_leading_zero.json"],
        ),
        (
            "payload-plus-sign",
            "a number with a plus sign",
            payload_with("\"x\":+1"),
            &["n_number_+1.json"],
        ),
        (
            "payload-array",
            "a payload that is an array",
            b"[]".to_vec(),
            &["y_array_empty.json"],
        ),
        (
            "payload-string",
            "a payload that is a JSON string",
            br#""eyJzdWIiOiJhZG1pbiJ9""#.to_vec(),
            &["y_structure_lonely_string.json"],
        ),
        (
            "payload-number",
            "a payload that is a number",
            b"1".to_vec(),
            &["y_structure_lonely_int.json"],
        ),
        (
            "payload-null",
            "a payload that is null",
            b"null".to_vec(),
            &["y_structure_lonely_null.json"],
        ),
        (
            "payload-true",
            "a payload that is true",
            b"true".to_vec(),
            &["y_structure_lonely_true.json"],
        ),
    ];
    let mut rows: Vec<Row> = invalid
        .into_iter()
        .map(|(name, description, raw, cases)| {
            not_json(
                (name, description, Mutation::PayloadBytes(raw), cases),
                PayloadUnparseable,
                PAYLOAD_JSON,
            )
        })
        .collect();
    // Valid RFC 8259 grammar a parser may accept: a claim nobody reads.
    let lenient: [Lenient; 5] = [
        (
            "payload-bom",
            "UTF-8 BOM before the payload JSON",
            [
                &[0xef, 0xbb, 0xbf][..],
                format!("{{{}}}", claims_body()).as_bytes(),
            ]
            .concat(),
            &["PROFILE-JSON", "RFC8259-8.1-bom"],
            "i_structure_UTF-8_BOM_empty_object.json",
            BOM,
        ),
        (
            "payload-lone-high-surrogate",
            "a lone high surrogate escape in a claim",
            payload_with(r#""x":"\ud888""#),
            &["PROFILE-JSON", "RFC8259-8.2-surrogates"],
            "i_string_1st_surrogate_but_2nd_missing.json",
            SURROGATE,
        ),
        (
            "payload-lone-low-surrogate",
            "a lone low surrogate escape",
            payload_with(r#""x":"\udc00""#),
            &["PROFILE-JSON", "RFC8259-8.2-surrogates"],
            "i_string_lone_second_surrogate.json",
            SURROGATE,
        ),
        (
            "payload-reversed-surrogates",
            "a low surrogate before a high one",
            payload_with(r#""x":"\udc00\ud800""#),
            &["PROFILE-JSON", "RFC8259-8.2-surrogates"],
            "i_string_inverted_surrogates_U+1D11E.json",
            SURROGATE,
        ),
        (
            "payload-huge-float",
            "a float beyond the double range",
            payload_with(r#""x":1e400"#),
            &["PROFILE-JSON", "RFC8259-6-numbers", "RFC8259-9-limits"],
            "i_number_real_pos_overflow.json",
            "1e400 is valid RFC 8259 grammar and §6 leaves the range of numbers to the \
             implementation, so a parser that reads it (as infinity or exactly) accepts a claim \
             nobody checks; the strict profile refuses it.",
        ),
    ];
    rows.extend(
        lenient
            .into_iter()
            .map(|(name, description, raw, basis, case, rationale)| {
                with_suite(
                    Row::new(
                        name,
                        description,
                        Mutation::PayloadBytes(raw),
                        rej(PayloadUnparseable),
                        Profile,
                        basis,
                    )
                    .acceptable(&[accept()])
                    .rationale(rationale),
                    &[case],
                )
            }),
    );
    let deep = |name: &str, description: &str, depth: usize| {
        Row::new(
            name,
            description,
            Mutation::PayloadBytes(payload_with(&format!("\"x\":{}", nested(depth, "1")))),
            rej(PayloadUnparseable),
            Profile,
            DEPTH,
        )
        .rationale(
            "RFC 8259 §9 lets an implementation set a nesting limit; the profile's is 16 (a \
             resource bound, like the token size), so a deeper claim is a profile rejection.",
        )
    };
    rows.extend([
        deep(
            "payload-nested-17",
            "a claim nested one level past the bound",
            16,
        ),
        deep("payload-nested-1000", "a claim nested 1000 deep", 1000),
        Row::new(
            "payload-nested-token",
            "a payload that is itself a compact JWS",
            Mutation::PayloadBytes(b"eyJhbGciOiJFUzI1NiJ9.e30.AAAA".to_vec()),
            rej(PayloadUnparseable),
            Must,
            &["RFC7519-7.2-json", "RFC7519-7.2-cty", "PROFILE-JSON"],
        )
        .notes("a nested JWS without cty is still not a claims object"),
    ]);
    rows
}

/// A payload a parser may accept: name, description, bytes, basis, JSONTestSuite case, rationale.
type Lenient = (
    &'static str,
    &'static str,
    Vec<u8>,
    &'static [&'static str],
    &'static str,
    &'static str,
);

/// `{claims,"x":"` — a claim string left open for raw bytes.
fn payload_open() -> String {
    format!("{{{},\"x\":\"", claims_body())
}

/// A header member outside the allowlist that RFC 7515 §4 says to ignore.
const EXTRA_HDR: &[&str] = &["M16", "RFC7515-4-ignore"];
/// A claim no rule reads: RFC 7519 §4 has it ignored.
const IGNORED_CLAIM: &[&str] = &["RFC7519-4-ignore", "RFC8259-4-names"];
/// A claim outside a configured allowlist.
const ALLOWLIST: &[&str] = &["M45", "RFC7519-4-ignore"];
/// `crit` naming an extension the recipient does not understand: the JWS is invalid.
const CRIT_BIND: &[&str] = &[
    "RFC7515-4.1.11-crit",
    "RFC7515-5.2-understood",
    "CVE-2026-32597",
    "M11",
];
/// `crit` breaking only the producer's constraints: recipients MAY reject.
const CRIT_SHAPE: &[&str] = &["M11", "RFC7515-4.1.11-crit-shape"];
/// `b64` without `crit`: a recipient unaware of RFC 7797 ignores it.
const B64: &[&str] = &["M16a", "RFC7797-6-ignore"];

const ESCAPED_NAME: &str = "The escaped name is valid JSON for another member than the registered \
                            one (names are compared after unescaping, code point by code point); \
                            RFC 7515 §4 makes a recipient ignore a member it does not understand, \
                            so accepting conforms, and the strict profile refuses it (M16).";
const CRIT_SHAPE_WHY: &str = "RFC 7515 §4.1.11 forbids this crit to producers and lets a \
                              recipient consider the JWS invalid; it names no extension the \
                              recipient fails to understand, so accepting conforms, and the \
                              strict profile refuses every crit (M11).";
const CRIT_BIND_WHY: &str = "crit lists an extension this recipient does not understand, so RFC \
                             7515 §4.1.11 makes the JWS invalid whatever else crit holds.";

/// Control characters by their row-id label.
const CONTROLS: [(u8, &str); 6] = [
    (0x00, "nul"),
    (0x01, "soh"),
    (0x09, "tab"),
    (0x0a, "lf"),
    (0x0d, "cr"),
    (0x1f, "us"),
];

/// The JSON text of a string (its escaped form, for descriptions).
fn quoted(text: &str) -> String {
    json!(text).to_string()
}

/// A claim of the baseline renamed: the registered name is gone, `to` holds its value.
fn rename_claim(from: &str, to: &str) -> Mutation {
    all_of([no_claim(from), claim(to, forge::claims()[from].clone())])
}

/// Header octets with a raw control character: no JSON text.
const HEADER_CONTROL: &[&str] = &["RFC7515-5.2-json", "PROFILE-JSON", "RFC8259-7-control"];
/// Payload octets with a raw control character: no JSON text.
const PAYLOAD_CONTROL: &[&str] = &["RFC7519-7.2-json", "PROFILE-JSON", "RFC8259-7-control"];

/// Member names holding U+0000–U+001F: raw (no JSON text, RFC 8259 §7) or escaped (valid JSON,
/// but another name than the registered one it resembles).
fn control_names() -> Vec<Row> {
    let mut rows = Vec::new();
    for (ctl, label) in CONTROLS {
        let member = [b"\"x".as_slice(), &[ctl], b"\":1"].concat();
        rows.push(not_json(
            (
                &format!("header-raw-{label}-in-name"),
                &format!("a raw U+{ctl:04X} in a header member name"),
                Mutation::HeaderBytes([format!("{{{HEADER},").as_bytes(), &member, b"}"].concat()),
                &["n_string_unescaped_ctrl_char.json"],
            ),
            HeaderUnparseable,
            HEADER_CONTROL,
        ));
        if matches!(ctl, 0x00 | 0x09 | 0x0a | 0x1f) {
            rows.push(not_json(
                (
                    &format!("payload-raw-{label}-in-name"),
                    &format!("a raw U+{ctl:04X} in a claim name"),
                    Mutation::PayloadBytes(
                        [format!("{{{},", claims_body()).as_bytes(), &member, b"}"].concat(),
                    ),
                    &["n_string_unescaped_ctrl_char.json"],
                ),
                PayloadUnparseable,
                PAYLOAD_CONTROL,
            ));
        }
    }
    // A parser that stops a name at NUL reads a second kid or exp.
    let truncated = |name: &str, bytes: Vec<u8>, reason, basis, others: &[Acceptable]| {
        Row::new(
            name,
            "a raw NUL inside a member name that a C-string parser cuts to a registered name",
            bytes_at(name, bytes),
            rej(reason),
            Must,
            basis,
        )
        .acceptable(others)
        .rationale(
            "A raw control character makes the octets no JSON text (RFC 8259 §7), so RFC 7515 \
             §5.2 and RFC 7519 §7.2 refuse them; a parser that cuts the name at the NUL sees a \
             duplicate instead, and still rejects.",
        )
    };
    rows.extend([
        truncated(
            "header-raw-nul-truncates-to-kid",
            [
                format!("{{{HEADER},\"kid").as_bytes(),
                &[0],
                b"x\":\"attacker\"}",
            ]
            .concat(),
            HeaderUnparseable,
            HEADER_CONTROL,
            &[
                reject_for(DuplicateJsonKeys),
                reject_for(KidUnknown),
                reject_for(HeaderExtraParam),
            ],
        ),
        truncated(
            "payload-raw-nul-truncates-to-exp",
            [
                format!("{{{},\"exp", claims_body()).as_bytes(),
                &[0],
                b"x\":1}",
            ]
            .concat(),
            PayloadUnparseable,
            PAYLOAD_CONTROL,
            &[reject_for(DuplicateJsonKeys), reject_for(Expired)],
        ),
    ]);
    // Escaped: an extra header member whose name resembles a registered one.
    let header_extras: [(&str, &str, Value); 6] = [
        ("al-nul-g", "al\u{0}g", json!("none")),
        ("alg-nul", "alg\u{0}", json!("none")),
        ("us-alg", "\u{1f}alg", json!("none")),
        ("typ-lf", "typ\n", json!("JWT")),
        ("kid-tab", "kid\t", json!("attacker")),
        ("crit-nul", "crit\u{0}", json!(["x-ext"])),
    ];
    for (slug, name, value) in header_extras {
        rows.push(
            Row::new(
                format!("header-escaped-{slug}-extra"),
                format!("an extra header member named {}", quoted(name)),
                hdr(name, value),
                rej(HeaderExtraParam),
                Profile,
                EXTRA_HDR,
            )
            .acceptable(&[accept()])
            .rationale(ESCAPED_NAME),
        );
    }
    // Escaped: the registered header member renamed, so it is missing.
    let rename_hdr =
        |from: &str, to: &str| all_of([no_hdr(from), hdr(to, forge::header()[from].clone())]);
    rows.extend(
        [
            ("header-escaped-alg-nul-only", "al\u{0}g", "al\\u0000g"),
            (
                "header-escaped-alg-trailing-nul-only",
                "alg\u{0}",
                "alg\\u0000",
            ),
        ]
        .map(|(name, renamed, written)| {
            Row::new(
                name,
                format!("alg present only as \"{written}\""),
                rename_hdr("alg", renamed),
                rej(AlgNone),
                Must,
                &["RFC7515-4.1.1-alg", "M01", "M16"],
            )
            .acceptable(&[reject_for(HeaderExtraParam)])
            .notes(
                "a name with a NUL in it is not alg, so alg is missing (alg_none comes before \
                 the allowlist; the other order names the extra member); a parser that cuts \
                 names at NUL finds alg",
            )
        }),
    );
    rows.extend([
        Row::new(
            "header-escaped-typ-lf-only",
            "typ present only as \"typ\\n\"",
            rename_hdr("typ", "typ\n"),
            rej(HeaderExtraParam),
            Must,
            &[
                "RFC9068-4-typ",
                "RFC7515-4.1.9-typ",
                "M13",
                "M16",
                "RFC7515-4-ignore",
            ],
        )
        .acceptable(&[reject_for(TypMismatch)])
        .features(&[Feature::Typ])
        .notes("typ is missing; the allowlist is checked before typ, the other order gives typ_mismatch")
        .rationale("RFC 9068 §4 makes the resource server reject a token without typ at+jwt, and \"typ\\n\" is not typ."),
        Row::new(
            "header-escaped-kid-tab-only",
            "kid present only as \"kid\\t\"",
            rename_hdr("kid", "kid\t"),
            rej(HeaderExtraParam),
            Profile,
            &["M16", "M12", "RFC7515-4.1.4-kid", "RFC7515-4-ignore"],
        )
        .acceptable(&[accept(), reject_for(KidUnknown)])
        .notes("kid is missing; the allowlist (header stage) comes before the key lookup")
        .rationale("kid is OPTIONAL (RFC 7515 §4.1.4) and the unknown member is ignored (RFC 7515 §4), so a verifier that tries its pinned key accepts."),
    ]);
    // Escaped: an extra claim resembling a registered one, ignored unless an allowlist is set.
    let claim_extras: [(&str, &str, Value); 4] = [
        ("exp-nul", "exp\u{0}", json!(1)),
        ("iss-lf", "iss\n", json!("https://attacker.example")),
        ("aud-tab", "aud\t", json!("https://other.example")),
        ("sub-us", "sub\u{1f}", json!("admin")),
    ];
    for (slug, name, value) in claim_extras {
        rows.push(
            Row::new(
                format!("payload-escaped-{slug}-extra"),
                format!(
                    "an extra claim named {} beside the registered one",
                    quoted(name)
                ),
                claim(name, value.clone()),
                Expect::Accept,
                Must,
                IGNORED_CLAIM,
            )
            .notes(
                "a different claim name: RFC 7519 §4 has claims that are not understood ignored",
            ),
        );
        if matches!(slug, "exp-nul" | "sub-us") {
            rows.push(
                Row::new(
                    format!("payload-escaped-{slug}-allowlist"),
                    format!("a claim named {} outside the claim allowlist", quoted(name)),
                    all_of([custom(allowlist_baseline), claim(name, value)]),
                    rej(UnknownClaim),
                    Profile,
                    ALLOWLIST,
                )
                .acceptable(&[accept()]),
            );
        }
    }
    // Escaped: the registered claim renamed, so it is missing.
    let renamed: [(&str, &str, Reason, Severity, &[&str]); 5] = [
        (
            "exp",
            "exp\u{0}",
            ExpMissing,
            Must,
            &["RFC9068-4-exp", "RFC9068-2.2-claims", "M17"],
        ),
        (
            "iat",
            "iat\n",
            IatMissing,
            Profile,
            &["RFC7519-4.1.6-iat", "RFC9068-2.2-claims", "M24"],
        ),
        (
            "aud",
            "aud\t",
            AudMissing,
            Must,
            &[
                "RFC9068-4-aud",
                "RFC8725-3.9-aud",
                "RFC9068-2.2-claims",
                "M20",
            ],
        ),
        (
            "sub",
            "sub\u{1f}",
            SubMissing,
            Profile,
            &["RFC9068-2.2-claims", "RFC7519-4.1.2-sub", "M28"],
        ),
        (
            "iss",
            "iss\u{0}",
            IssMismatch,
            Must,
            &["RFC9068-4-iss", "RFC9068-2.2-claims", "M23"],
        ),
    ];
    for (from, to, reason, severity, basis) in renamed {
        let row = Row::new(
            format!("payload-escaped-{from}-renamed"),
            format!("{from} present only as {}", quoted(to)),
            rename_claim(from, to),
            rej(reason),
            severity,
            basis,
        )
        .notes("the escaped name is another claim, so the registered one is missing");
        rows.push(if severity == Profile {
            row.acceptable(&[accept()])
        } else {
            row
        });
    }
    rows
}

/// [`Mutation::HeaderBytes`] or [`Mutation::PayloadBytes`] by the row name's prefix.
fn bytes_at(name: &str, bytes: Vec<u8>) -> Mutation {
    if name.starts_with("header") {
        Mutation::HeaderBytes(bytes)
    } else {
        Mutation::PayloadBytes(bytes)
    }
}

/// The Unicode encodings JSON once allowed (RFC 7159 §8.1) and JOSE does not.
#[derive(Clone, Copy)]
enum Utf {
    U16Le,
    U16Be,
    U32Le,
    U32Be,
}

impl Utf {
    fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Utf::U16Le => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            Utf::U16Be => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
            Utf::U32Le => text
                .chars()
                .flat_map(|c| u32::from(c).to_le_bytes())
                .collect(),
            Utf::U32Be => text
                .chars()
                .flat_map(|c| u32::from(c).to_be_bytes())
                .collect(),
        }
    }
}

const ENCODING: &str = "RFC 7159 §8.1 let a JSON text be UTF-16 or UTF-32, but RFC 7515 §5.2 \
                        step 3 and RFC 7519 §7.2 step 10 require the UTF-8 encoding of the JSON \
                        object, so a parser that detects the encoding must not be used here.";

/// Header and payload as UTF-16/UTF-32, with and without a byte order mark, and CESU-8.
fn encodings() -> Vec<Row> {
    let header = format!("{{{HEADER}}}");
    let payload = forge::claims().to_string();
    let mut rows = Vec::new();
    for (utf, label) in [
        (Utf::U16Le, "utf16le"),
        (Utf::U16Be, "utf16be"),
        (Utf::U32Le, "utf32le"),
        (Utf::U32Be, "utf32be"),
    ] {
        for bom in [false, true] {
            let suffix = if bom { "-bom" } else { "" };
            let with = if bom { " with a byte order mark" } else { "" };
            let text = |t: &str| {
                let t = if bom {
                    format!("\u{feff}{t}")
                } else {
                    t.to_owned()
                };
                utf.encode(&t)
            };
            for (part, what, bytes, reason, basis) in [
                (
                    "header",
                    "header",
                    text(&header),
                    HeaderUnparseable,
                    HEADER_JSON,
                ),
                (
                    "payload",
                    "claims",
                    text(&payload),
                    PayloadUnparseable,
                    PAYLOAD_JSON,
                ),
            ] {
                let mutation = if part == "header" {
                    Mutation::HeaderBytes(bytes)
                } else {
                    Mutation::PayloadBytes(bytes)
                };
                rows.push(
                    Row::new(
                        format!("{part}-{label}{suffix}"),
                        format!("the {what} JSON encoded as {label}{with}"),
                        mutation,
                        rej(reason),
                        Must,
                        &[basis, &["RFC8259-8.1-utf8", "RFC7159-8.1-encodings"]].concat(),
                    )
                    .rationale(ENCODING),
                );
            }
        }
    }
    // U+1F600 as two UTF-8-encoded surrogates (CESU-8): no UTF-8.
    rows.push(
        Row::new(
            "payload-cesu8-surrogate-pair",
            "a claim holding U+1F600 as CESU-8 (two encoded surrogates)",
            Mutation::PayloadBytes(
                [
                    payload_open().as_bytes(),
                    &[0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80],
                    b"\"}",
                ]
                .concat(),
            ),
            rej(PayloadUnparseable),
            Must,
            PAYLOAD_JSON,
        )
        .rationale(UTF8),
    );
    rows
}

/// Numbers at the edges of the double range and exponent forms, in time claims (M30) and in a
/// claim nobody reads (ignored).
fn numbers() -> Vec<Row> {
    const FORM: &[&str] = &["RFC7519-2-numericdate", "M30"];
    const RANGE: &[&str] = &[
        "RFC7519-2-numericdate",
        "RFC8259-6-numbers",
        "RFC8259-9-limits",
        "M30",
    ];
    const EXP_PAST: &[&str] = &[
        "RFC7519-4.1.4-exp",
        "RFC9068-4-exp",
        "RFC7519-2-numericdate",
        "RFC8259-6-numbers",
        "M30",
    ];
    const NBF_FUTURE: &[&str] = &[
        "RFC7519-4.1.5-nbf",
        "RFC7519-4.1-optional",
        "RFC7519-2-numericdate",
        "RFC8259-6-numbers",
        "M30",
    ];
    const IAT_RANGE: &[&str] = &[
        "RFC7519-4.1.6-iat",
        "RFC7519-2-numericdate",
        "RFC8259-6-numbers",
        "M24",
        "M30",
    ];
    /// Beyond the double range: the JSON stage refuses it before any claim rule.
    const OVERFLOW: &[&str] = &[
        "PROFILE-JSON",
        "RFC8259-6-numbers",
        "RFC8259-9-limits",
        "RFC7519-2-numericdate",
        "M30",
    ];
    const OVERFLOW_WHY: &str = "The number is beyond the double range, which the strict JSON \
                                profile refuses in any member (RFC 8259 §6, §9 let a parser \
                                limit numbers), before the claim rules; a parser that reads it \
                                as infinity or exactly finds a far-future exp, and accepting \
                                conforms.";
    const FORM_OK: &str = "RFC 7519 §2 lets a NumericDate be any JSON number; this one names a \
                           valid time, so refusing its form is the profile's rule (M30).";
    const RANGE_OK: &str = "RFC 7519 §2 lets a NumericDate be any JSON number and RFC 8259 §6 \
                            lets a parser limit their range; read exactly or as a double it \
                            names a time that leaves the token valid, so refusing it is the \
                            profile's rule (M30).";
    const NO_READING: &str = "Read exactly, as a double, truncated, or refused as out of range, \
                              this number never leaves the token valid now, so no conforming \
                              verifier accepts it.";
    const NBF_WHY: &str = "Read exactly, as a double, truncated, or refused as out of range, this \
                           nbf never lies in the past, so a verifier that processes nbf rejects \
                           (RFC 7519 §4.1.5); one without nbf support accepts, and RFC 7519 §4.1 \
                           makes no claim mandatory to implement.";
    const IAT_WHY: &str = "No RFC bounds iat, and RFC 8259 §6 lets a parser limit the range of \
                           numbers; refusing this one is the profile's rule (M24, M30).";
    let int = rej(InvalidNumericType);
    let unparseable = reject_for(PayloadUnparseable);
    type Num<'a> = (
        &'a str,
        &'a str,
        &'a str,
        Expect,
        Severity,
        &'a [&'a str],
        Vec<Acceptable>,
        &'a str,
    );
    let time: Vec<Num> = vec![
        (
            "max-double",
            "exp",
            "1.7976931348623157e308",
            int,
            Profile,
            RANGE,
            vec![accept(), unparseable],
            RANGE_OK,
        ),
        (
            "1e309",
            "exp",
            "1e309",
            rej(PayloadUnparseable),
            Profile,
            OVERFLOW,
            vec![accept(), reject_for(InvalidNumericType)],
            OVERFLOW_WHY,
        ),
        (
            "1E400",
            "exp",
            "1E400",
            rej(PayloadUnparseable),
            Profile,
            OVERFLOW,
            vec![accept(), reject_for(InvalidNumericType)],
            OVERFLOW_WHY,
        ),
        (
            "min-subnormal",
            "exp",
            "5e-324",
            int,
            Must,
            EXP_PAST,
            vec![reject_for(Expired)],
            NO_READING,
        ),
        (
            "underflow",
            "exp",
            "1e-400",
            int,
            Must,
            EXP_PAST,
            vec![reject_for(Expired), unparseable],
            NO_READING,
        ),
        (
            "negative-zero-float",
            "exp",
            "-0.0",
            int,
            Must,
            EXP_PAST,
            vec![reject_for(Expired)],
            NO_READING,
        ),
        (
            "below-i64",
            "exp",
            "-9223372036854775809",
            int,
            Must,
            EXP_PAST,
            vec![reject_for(Expired), unparseable],
            NO_READING,
        ),
        (
            "2p53-plus-1",
            "exp",
            "9007199254740993",
            Expect::Accept,
            Profile,
            &["RFC7519-4.1.4-exp", "RFC8259-6-numbers", "M30"],
            vec![reject_for(InvalidNumericType), unparseable],
            "An integer in the i64 range is a NumericDate the profile accepts; a double reads it as 9007199254740992, still far in the future, and a parser that limits precision (RFC 8259 §6) may refuse it.",
        ),
        (
            "e0",
            "exp",
            "4102444800e0",
            int,
            Profile,
            FORM,
            vec![accept()],
            FORM_OK,
        ),
        (
            "upper-e-plus-0",
            "exp",
            "4102444800E+0",
            int,
            Profile,
            FORM,
            vec![accept()],
            FORM_OK,
        ),
        (
            "e-minus-1",
            "exp",
            "41024448000e-1",
            int,
            Profile,
            FORM,
            vec![accept()],
            FORM_OK,
        ),
        (
            "upper-e9",
            "exp",
            "4.1024448E9",
            int,
            Profile,
            FORM,
            vec![accept()],
            FORM_OK,
        ),
        (
            "fraction-e10",
            "exp",
            "0.41024448e10",
            int,
            Profile,
            FORM,
            vec![accept()],
            FORM_OK,
        ),
        (
            "beyond-i64",
            "nbf",
            "9223372036854775808",
            int,
            Profile,
            NBF_FUTURE,
            vec![reject_for(NotYetValid), unparseable, accept()],
            NBF_WHY,
        ),
        (
            "max-double",
            "nbf",
            "1.7976931348623157e308",
            int,
            Profile,
            NBF_FUTURE,
            vec![reject_for(NotYetValid), accept()],
            NBF_WHY,
        ),
        (
            "below-i64",
            "nbf",
            "-9223372036854775809",
            int,
            Profile,
            RANGE,
            vec![accept(), unparseable],
            RANGE_OK,
        ),
        (
            "upper-e9",
            "nbf",
            "1E9",
            int,
            Profile,
            FORM,
            vec![accept()],
            FORM_OK,
        ),
        (
            "min-subnormal",
            "nbf",
            "5e-324",
            int,
            Profile,
            FORM,
            vec![accept()],
            FORM_OK,
        ),
        (
            "beyond-i64",
            "iat",
            "9223372036854775808",
            int,
            Profile,
            IAT_RANGE,
            vec![accept(), reject_for(IatFuture), unparseable],
            IAT_WHY,
        ),
        (
            "below-i64",
            "iat",
            "-9223372036854775809",
            int,
            Profile,
            IAT_RANGE,
            vec![accept(), unparseable],
            IAT_WHY,
        ),
        (
            "e0",
            "iat",
            "1000000000e0",
            int,
            Profile,
            IAT_RANGE,
            vec![accept()],
            IAT_WHY,
        ),
        (
            "underflow",
            "iat",
            "1e-400",
            int,
            Profile,
            IAT_RANGE,
            vec![accept(), unparseable],
            IAT_WHY,
        ),
    ];
    let mut rows: Vec<Row> = time
        .into_iter()
        .map(
            |(slug, name, literal, expect, severity, basis, others, why)| {
                Row::new(
                    format!("{name}-number-{slug}"),
                    format!("{name} written as {literal}"),
                    raw_claim(name, literal, &[]),
                    expect,
                    severity,
                    basis,
                )
                .acceptable(&others)
                .flags(&["NumericType"])
                .rationale(why)
            },
        )
        .collect();
    // A claim no rule reads: ignored (RFC 7519 §4), unless the parser limits numbers.
    for (slug, literal) in [
        ("max-double", "1.7976931348623157e308"),
        ("min-subnormal", "5e-324"),
        ("negative-zero", "-0"),
        ("2p53-plus-1", "9007199254740993"),
        ("2p63", "9223372036854775808"),
        ("2p64", "18446744073709551616"),
        ("below-i64", "-9223372036854775809"),
        ("underflow", "1e-400"),
    ] {
        rows.push(
            Row::new(
                format!("other-claim-number-{slug}"),
                format!("a claim nobody reads holding {literal}"),
                Mutation::PayloadBytes(payload_with(&format!("\"x\":{literal}"))),
                Expect::Accept,
                Profile,
                &["RFC7519-4-ignore", "RFC8259-6-numbers", "PROFILE-JSON"],
            )
            .acceptable(std::slice::from_ref(&unparseable))
            .rationale(
                "RFC 7519 §4 has a claim that is not understood ignored, and the number is \
                 within the double range; a parser that limits range or precision (RFC 8259 §6) \
                 may refuse the payload instead.",
            ),
        );
    }
    rows
}

/// `crit` in every shape, `b64` beside it, and `crit` where it is only a claim.
fn crit_rows() -> Vec<Row> {
    let ext = || hdr("x-ext", json!(true));
    let bind = |name: &str, description: &str, mutation: Mutation, others: &[Acceptable]| {
        Row::new(
            name,
            description,
            mutation,
            rej(HeaderCrit),
            Must,
            CRIT_BIND,
        )
        .acceptable(others)
        .rationale(CRIT_BIND_WHY)
    };
    let shape = |name: &str, description: &str, mutation: Mutation| {
        Row::new(
            name,
            description,
            mutation,
            rej(HeaderCrit),
            Profile,
            CRIT_SHAPE,
        )
        .acceptable(&[accept()])
        .rationale(CRIT_SHAPE_WHY)
    };
    let extra = [reject_for(HeaderExtraParam)];
    let mut rows = vec![
        bind(
            "crit-string-extension",
            "crit as the string \"x-ext\", x-ext present",
            all_of([hdr("crit", json!("x-ext")), ext()]),
            &extra,
        )
        .notes("read as a list of one or as malformed, crit names an extension nobody here understands"),
        bind(
            "crit-absent-extension",
            "crit naming an extension absent from the header",
            hdr("crit", json!(["x-ext"])),
            &[],
        ),
        bind(
            "crit-duplicate-extension",
            "crit listing the same present extension twice",
            all_of([hdr("crit", json!(["x-ext", "x-ext"])), ext()]),
            &extra,
        ),
        bind(
            "crit-registered-and-extension",
            "crit [alg, x-ext], x-ext present",
            all_of([hdr("crit", json!(["alg", "x-ext"])), ext()]),
            &extra,
        ),
        bind(
            "crit-empty-name",
            "crit [\"\"]: a name no header member has",
            hdr("crit", json!([""])),
            &[],
        ),
        bind(
            "crit-escaped-name",
            "crit spelled \\u0063rit, naming a present extension",
            Mutation::HeaderBytes(header_with(r#""\u0063rit":["x-ext"],"x-ext":true"#)),
            &extra,
        )
        .notes("member names are compared after unescaping: this is crit"),
    ];
    for (slug, value) in [
        ("object", json!({"x-ext": true})),
        ("null", json!(null)),
        ("number", json!(1)),
        ("bool", json!(true)),
    ] {
        rows.push(shape(
            &format!("crit-{slug}"),
            &format!("crit as {value}, not an array"),
            hdr("crit", value),
        ));
    }
    for (slug, value) in [
        ("alg", json!(["alg"])),
        ("kid", json!(["kid"])),
        ("typ", json!(["typ"])),
        ("duplicate-registered", json!(["kid", "kid"])),
    ] {
        rows.push(shape(
            &format!("crit-{slug}"),
            &format!("crit {value}: registered names every recipient understands"),
            hdr("crit", value),
        ));
    }
    let b64_crit =
        |name: &str, description: &str, mutation: Mutation| {
            Row::new(
            name,
            description,
            mutation,
            rej(HeaderCrit),
            Profile,
            &["M11", "M16a", "RFC7515-4.1.11-crit-shape", "RFC7797-6-ignore"],
        )
        .acceptable(&[accept(), reject_for(HeaderB64False)])
        .rationale(
            "A recipient that supports RFC 7797 understands b64, and b64 true (or absent) is the \
             ordinary base64url payload, so accepting conforms; one without RFC 7797 must reject \
             the critical b64. crit is checked before b64.",
        )
        };
    rows.extend([
        b64_crit(
            "crit-b64-true",
            "crit [b64] with b64 true",
            all_of([hdr("crit", json!(["b64"])), hdr("b64", json!(true))]),
        ),
        b64_crit(
            "crit-b64-absent",
            "crit [b64] without a b64 member",
            hdr("crit", json!(["b64"])),
        ),
    ]);
    let b64 = |name: &str, description: &str, mutation: Mutation| {
        Row::new(
            name,
            description,
            mutation,
            rej(HeaderB64False),
            Profile,
            B64,
        )
        .acceptable(&[accept(), any_reject()])
        .rationale(
            "Without crit, RFC 7797 §6 lets a recipient unaware of b64 process the JWS as if \
                 b64 were true, the same signing input, so accepting conforms; the strict \
                 profile refuses b64 by presence (M16a).",
        )
    };
    rows.extend([
        b64(
            "b64-null",
            "b64 null, without crit",
            hdr("b64", json!(null)),
        ),
        b64("b64-zero", "b64 0, without crit", hdr("b64", json!(0))),
        b64(
            "b64-escaped-name",
            "b64 false spelled \\u0062\\u0036\\u0034, without crit",
            Mutation::HeaderBytes(header_with(r#""\u0062\u0036\u0034":false"#)),
        )
        .notes("member names are compared after unescaping: this is b64"),
    ]);
    // Header parameter names as claims are claims like any other: ignored.
    for (name, value) in [("b64", json!(false)), ("cty", json!("JWT"))] {
        rows.push(
            Row::new(
                format!("payload-{name}-claim"),
                format!("{name} {value} as a claim in the payload, not in the header"),
                claim(name, value),
                Expect::Accept,
                Must,
                &["RFC7519-4-ignore"],
            )
            .notes("a Header Parameter name in the claims set is an unregistered claim, ignored"),
        );
    }
    rows.extend([
        Row::new(
            "payload-crit-claim",
            "crit [exp] as a claim in the payload, not in the header",
            claim("crit", json!(["exp"])),
            Expect::Accept,
            Must,
            &["RFC7519-4-ignore"],
        )
        .notes(
            "crit is a Header Parameter; in the claims set it is an unregistered claim, ignored",
        ),
        Row::new(
            "payload-crit-claim-allowlist",
            "crit as a claim outside the claim allowlist",
            all_of([custom(allowlist_baseline), claim("crit", json!(["exp"]))]),
            rej(UnknownClaim),
            Profile,
            ALLOWLIST,
        )
        .acceptable(&[accept()]),
    ]);
    rows
}

pub fn family() -> Family {
    let mut rows = duplicates();
    rows.extend(header_rows());
    rows.extend(payload_rows());
    rows.extend(control_names());
    rows.extend(encodings());
    rows.extend(numbers());
    rows.extend(crit_rows());
    Family::table("json", rows)
}
