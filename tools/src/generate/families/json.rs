//! JSON in the header and in a validly signed payload (RFC 7515 §5.2 step 3, RFC 7519 §7.2
//! step 10, RFC 8259, JSONTestSuite).
//!
//! Octets that are not the UTF-8 encoding of a valid JSON object are a binding rejection. What
//! RFC 8259 leaves to the parser (a byte order mark, unpaired surrogate escapes, numbers beyond a
//! double, nesting depth) is the strict profile. A duplicate member is binding when both parsers
//! RFC 7515 §4 / RFC 7519 §4 allow (reject duplicates, or keep the last member) reject the token:
//! the last member is then itself a binding defect, and its reason is acceptable.

use corpus::vector::Severity::{Must, Profile};
use corpus::vector::{Feature, Outcome};
use verifier::Reason::{
    self, AlgNone, AudMismatch, DuplicateJsonKeys, Expired, HeaderExtraParam, HeaderJwk,
    HeaderUnparseable, IssMismatch, KidUnknown, PayloadUnparseable, TypMismatch,
};

use super::{Family, nested, rej};
use crate::generate::{Mutation, Row, accept, any_reject, reject_for};

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
    last_wins: Outcome,
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

pub fn family() -> Family {
    let mut rows = duplicates();
    rows.extend(header_rows());
    rows.extend(payload_rows());
    Family::table("json", rows)
}
