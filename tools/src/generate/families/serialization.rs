//! Other serializations around a genuine signature: the JWS JSON Serialization (M31), compact and
//! JSON polyglots (CVE-2022-39227), and nested tokens announced by `cty` (M14).
//!
//! A JWS JSON object that carries the pinned key's signature over the baseline forges nothing:
//! refusing it is the strict profile. One that carries no valid signature by the pinned key, or
//! that two parsers read differently, is a binding or attack rejection. A nested token whose
//! inner JWS is weaker than the outer (unsigned, HMAC, another key, expired, another issuer) must
//! be refused: RFC 8725 §3.3 validates both layers with the application's keys, and the inner
//! claims are the ones RFC 9068 §4 checks.

use corpus::vector::Severity::{Must, Profile};
use corpus::vector::{Acceptable, TokenSpec};
use serde_json::{Value, json};
use verifier::Reason::{
    self, AlgHmacRejected, AlgNone, AudMismatch, Expired, IssMismatch, JwsJsonRejected, NestedJws,
    NotJwsCompact, PayloadUnparseable, SignatureInvalid,
};

use super::{Family, rej};
use crate::generate::{Draft, Mutation, Row, accept, any_reject, hdr, reject_for};

/// The JWS JSON serialization of a genuine signature.
const JSON_SERIALIZATION: &[&str] = &["M31", "RFC7519-1-compact", "RFC7515-7.2-json-serialization"];
/// No signature by the pinned key over what the object presents.
const NO_VALID_SIGNATURE: &[&str] = &["RFC7515-5.2-signature", "RFC9068-4-signature", "M31"];
/// A polyglot two parsers read differently.
const POLYGLOT: &[&str] = &["CVE-2022-39227", "RFC7519-1-compact", "M31"];
/// `cty` over a genuine inner token.
const CTY: &[&str] = &["M14", "RFC7519-7.2-cty", "RFC7515-4.1.10-cty"];

const GENUINE: &str = "RFC 7519 §1 makes a JWT compact, but this object carries the pinned key's \
                       signature over the baseline, so a JOSE library that verifies it forges \
                       nothing; refusing it is the strict profile (M31).";
const POLYGLOT_WHY: &str = "One parser reads a signed JWS JSON object, another a compact token \
                            whose payload the pinned key never signed (CVE-2022-39227); a JWT \
                            verifier must not accept input that two parsers read differently.";

/// The baseline's three segments.
fn segments() -> [String; 3] {
    let compact = Draft::default().compact();
    let mut it = compact.split('.').map(str::to_owned);
    [(); 3].map(|()| it.next().unwrap_or_default())
}

/// A compact JWS over `header` and `claims`, signed by the named ES256 key.
fn compact(header: &Value, claims: &Value, key: &str) -> String {
    forge::Token::new(header, claims).sign(&forge::key(key))
}

/// The base64url of a JSON value.
fn b64_json(value: &Value) -> String {
    forge::b64(value.to_string())
}

/// Claims an attacker would like signed.
fn forged_claims() -> String {
    let mut claims = forge::claims();
    claims["sub"] = json!("admin");
    b64_json(&claims)
}

/// A profile row whose token is exactly this text.
fn text(name: &str, description: &str, token: String, reason: Reason) -> Row {
    Row::new(
        name,
        description,
        Mutation::Token(TokenSpec::Text(token)),
        rej(reason),
        Profile,
        JSON_SERIALIZATION,
    )
}

/// JWS JSON objects carrying the pinned key's signature: the profile's rule.
fn genuine_objects() -> Vec<Row> {
    let [h, p, s] = segments();
    let unprotected = |header: Value| {
        json!({"protected": h, "header": header, "payload": p, "signature": s}).to_string()
    };
    // The protected header without kid, kid only in the unprotected header.
    let no_kid = json!({"alg": "ES256", "typ": "at+jwt"});
    let h2 = b64_json(&no_kid);
    let s2 = forge::b64(forge::es256(
        &forge::key(forge::KID),
        format!("{h2}.{p}").as_bytes(),
    ));
    let attacker = forge::b64(forge::es256(
        &forge::key("attacker"),
        format!("{h}.{p}").as_bytes(),
    ));
    let flattened = json!({"protected": h, "payload": p, "signature": s});
    let genuine = json!({"protected": h, "signature": s});
    let forged = json!({"protected": h, "signature": attacker});
    let cases: Vec<(&str, &str, String)> = vec![
        (
            "flattened-unprotected-kid",
            "flattened JSON with the kid repeated in the unprotected header",
            unprotected(json!({"kid": forge::KID})),
        ),
        (
            "flattened-kid-only-unprotected",
            "flattened JSON whose kid is only in the unprotected header",
            json!({"protected": h2, "header": {"kid": forge::KID}, "payload": p, "signature": s2})
                .to_string(),
        ),
        (
            "flattened-unprotected-jku",
            "flattened JSON with an attacker jku in the unprotected header",
            unprotected(json!({"jku": "https://attacker.example/jwks.json"})),
        ),
        (
            "flattened-unprotected-typ-jwt",
            "flattened JSON with typ JWT in the unprotected header beside a protected at+jwt",
            unprotected(json!({"typ": "JWT"})),
        ),
        (
            "general-two-signatures-valid-last",
            "general JSON with an attacker signature, then the pinned key's",
            json!({"payload": p, "signatures": [forged, genuine]}).to_string(),
        ),
        (
            "general-two-signatures-valid-first",
            "general JSON with the pinned key's signature, then an attacker's",
            json!({"payload": p, "signatures": [genuine, forged]}).to_string(),
        ),
        (
            "general-and-flattened-members",
            "an object with both signatures and signature members",
            json!({"protected": h, "payload": p, "signature": s, "signatures": [genuine]})
                .to_string(),
        ),
        (
            "flattened-pretty-printed",
            "flattened JSON pretty-printed over several lines",
            serde_json::to_string_pretty(&flattened).unwrap_or_default(),
        ),
    ];
    let mut rows: Vec<Row> = cases
        .into_iter()
        .map(|(name, description, token)| {
            text(name, description, token, JwsJsonRejected)
                .acceptable(&[reject_for(NotJwsCompact), any_reject()])
                .rationale(GENUINE)
        })
        .collect();
    // Not starting with `{`: the form rule sees bytes outside the alphabet first.
    rows.extend(
        [
            text(
                "flattened-after-bom",
                "flattened JSON after a UTF-8 byte order mark",
                format!("\u{feff}{flattened}"),
                NotJwsCompact,
            ),
            text(
                "flattened-in-array",
                "a flattened JSON object inside a JSON array",
                json!([flattened]).to_string(),
                NotJwsCompact,
            ),
        ]
        .map(|row| {
            row.acceptable(&[reject_for(JwsJsonRejected)])
            .notes("the first byte is not {, so the form rule names the bytes outside the alphabet")
            .rationale(GENUINE)
        }),
    );
    rows
}

/// JWS JSON objects with no valid signature by the pinned key over what they present.
fn unsigned_objects() -> Vec<Row> {
    let [h, p, s] = segments();
    let none = b64_json(&json!({"alg": "none", "typ": "at+jwt"}));
    let attacker = forge::b64(forge::es256(
        &forge::key("attacker"),
        format!("{h}.{p}").as_bytes(),
    ));
    let cases: Vec<(&str, &str, String, &[&str])> = vec![
        (
            "general-attacker-signature-only",
            "general JSON whose only signature is an attacker key's",
            json!({"payload": p, "signatures": [{"protected": h, "signature": attacker}]})
                .to_string(),
            NO_VALID_SIGNATURE,
        ),
        (
            "general-no-signatures",
            "general JSON with an empty signatures array",
            json!({"payload": p, "signatures": []}).to_string(),
            NO_VALID_SIGNATURE,
        ),
        (
            "general-alg-none",
            "general JSON with one alg none signature",
            json!({"payload": p, "signatures": [{"protected": none, "signature": ""}]}).to_string(),
            &["RFC7518-3.6-none", "RFC9068-4-signature", "M31"],
        ),
        (
            "flattened-forged-payload",
            "flattened JSON whose payload is not the one the signature covers",
            json!({"protected": h, "payload": forged_claims(), "signature": s}).to_string(),
            NO_VALID_SIGNATURE,
        ),
        (
            "flattened-detached-payload",
            "flattened JSON without a payload member",
            json!({"protected": h, "signature": s}).to_string(),
            NO_VALID_SIGNATURE,
        ),
    ];
    cases
        .into_iter()
        .map(|(name, description, token, basis)| {
            Row::new(
                name,
                description,
                Mutation::Token(TokenSpec::Text(token)),
                rej(JwsJsonRejected),
                Must,
                basis,
            )
            .acceptable(&[any_reject()])
            .notes(
                "no signature by the pinned key over the presented claims: any rejection conforms",
            )
        })
        .collect()
}

/// Compact and JSON at once (CVE-2022-39227).
fn polyglots() -> Vec<Row> {
    let [h, p, s] = segments();
    let forged = forged_claims();
    let flattened = json!({"protected": h, "payload": p, "signature": s});
    let cases: Vec<(&str, &str, String, Reason, Vec<Acceptable>)> = vec![
        (
            "polyglot-member-value",
            "flattened JSON with a forged compact token as a member value",
            json!({"x": format!("{h}.{forged}.{s}"), "protected": h, "payload": p, "signature": s})
                .to_string(),
            JwsJsonRejected,
            vec![reject_for(NotJwsCompact)],
        ),
        (
            "polyglot-general-member-name",
            "general JSON whose member name is a forged compact token",
            format!(
                "{{\"{h}.{forged}.\":\"\",\"payload\":\"{p}\",\"signatures\":[{{\"protected\":\"{h}\",\"signature\":\"{s}\"}}]}}"
            ),
            JwsJsonRejected,
            vec![reject_for(NotJwsCompact)],
        ),
        (
            "polyglot-leading-tab",
            "a tab, then JSON whose member name is a forged compact token",
            format!(
                "\t{{\"  {h}.{forged}.  \":\"\",\"protected\":\"{h}\",\"payload\":\"{p}\",\"signature\":\"{s}\"}}"
            ),
            JwsJsonRejected,
            vec![reject_for(NotJwsCompact)],
        ),
        (
            "polyglot-compact-then-json",
            "a forged compact token immediately followed by the signed flattened JSON",
            format!("{h}.{forged}.{s}{flattened}"),
            NotJwsCompact,
            vec![reject_for(JwsJsonRejected), reject_for(SignatureInvalid)],
        ),
        (
            "polyglot-json-then-compact",
            "the signed flattened JSON followed by a forged compact token",
            format!("{flattened}{h}.{forged}.{s}"),
            JwsJsonRejected,
            vec![reject_for(NotJwsCompact)],
        ),
    ];
    cases
        .into_iter()
        .map(|(name, description, token, reason, others)| {
            Row::new(
                name,
                description,
                Mutation::Token(TokenSpec::Text(token)),
                rej(reason),
                Must,
                POLYGLOT,
            )
            .acceptable(&others)
            .flags(&["Polyglot"])
            .rationale(POLYGLOT_WHY)
        })
        .collect()
}

/// An outer token signed by the pinned key, `cty` set, whose payload is the inner token.
fn outer(cty: &str, inner: String) -> Mutation {
    let cty = cty.to_owned();
    crate::generate::all_of([
        hdr("cty", json!(cty)),
        Mutation::PayloadBytes(inner.into_bytes()),
    ])
}

/// Nested tokens (`cty`): weaker inner tokens are binding rejections, a genuine one the profile's.
fn nested() -> Vec<Row> {
    let header = forge::header();
    let claims = forge::claims();
    let genuine = compact(&header, &claims, forge::KID);
    let with_claim = |name: &str, value: Value| {
        let mut c = forge::claims();
        c[name] = value;
        compact(&header, &c, forge::KID)
    };
    let unsigned = format!(
        "{}.{}.",
        b64_json(&json!({"alg": "none", "typ": "at+jwt"})),
        b64_json(&claims)
    );
    let hs256 = {
        let h = json!({"alg": "HS256", "typ": "at+jwt", "kid": forge::KID});
        let input = format!("{}.{}", b64_json(&h), b64_json(&claims));
        let pem = forge::public_pem(forge::key(forge::KID).verifying_key());
        format!(
            "{input}.{}",
            forge::b64(forge::hmac(256, pem.as_bytes(), input.as_bytes()))
        )
    };
    let attacker = compact(&header, &claims, "attacker");
    let weaker: Vec<(&str, &str, String, &[&str], Reason)> = vec![
        (
            "nested-inner-alg-none",
            "an unsigned (alg none) inner token",
            unsigned,
            &["RFC8725-3.3-crypto", "RFC7518-3.6-none", "M14"],
            AlgNone,
        ),
        (
            "nested-inner-hs256-public-key",
            "an inner HS256 token keyed with the pinned public key's PEM",
            hs256,
            &[
                "RFC8725-3.3-crypto",
                "RFC8725-3.1-alg",
                "CVE-2016-10555",
                "M14",
            ],
            AlgHmacRejected,
        ),
        (
            "nested-inner-attacker-key",
            "an inner token signed by an attacker key under the pinned kid",
            attacker,
            &["RFC8725-3.3-crypto", "M14"],
            SignatureInvalid,
        ),
        (
            "nested-inner-expired",
            "an inner token that expired in 2001",
            with_claim("exp", json!(forge::LONG_AGO + 1)),
            &[
                "RFC7519-4.1.4-exp",
                "RFC9068-4-exp",
                "RFC7519-7.2-cty",
                "M14",
            ],
            Expired,
        ),
        (
            "nested-inner-other-issuer",
            "an inner token from another issuer",
            with_claim("iss", json!("https://attacker.example")),
            &["RFC9068-4-iss", "RFC7519-7.2-cty", "M14"],
            IssMismatch,
        ),
        (
            "nested-inner-other-audience",
            "an inner token for another audience",
            with_claim("aud", json!("https://other.example")),
            &["RFC9068-4-aud", "RFC7519-7.2-cty", "M14"],
            AudMismatch,
        ),
    ];
    let mut rows: Vec<Row> = weaker
        .into_iter()
        .map(|(name, description, inner, basis, inner_reason)| {
            Row::new(
                name,
                format!("outer token (cty JWT) signed by the pinned key around {description}"),
                outer("JWT", inner),
                rej(NestedJws),
                Must,
                basis,
            )
            .acceptable(&[reject_for(PayloadUnparseable), reject_for(inner_reason)])
            .rationale(
                "A verifier that follows cty (RFC 7519 §7.2 step 8) must validate the inner \
                 token with the application's keys and rules (RFC 8725 §3.3), which refuse it; \
                 one that does not reads a payload that is no claims set. Only trusting the \
                 outer signature for the inner claims accepts.",
            )
        })
        .collect();
    for (slug, cty) in [
        ("jwt", "JWT"),
        ("jwt-lowercase", "jwt"),
        ("application-jwt", "application/jwt"),
        ("application-jwt-mixed-case", "Application/JWT"),
    ] {
        rows.push(
            Row::new(
                format!("nested-genuine-cty-{slug}"),
                format!("outer token with cty {cty} around a genuine inner token"),
                outer(cty, genuine.clone()),
                rej(NestedJws),
                Profile,
                CTY,
            )
            .acceptable(&[accept(), reject_for(PayloadUnparseable)])
            .rationale(
                "Both layers carry the pinned key's signature over valid claims, so a verifier \
                 that validates the nesting accepts, and one that does not follow cty finds no \
                 claims set; refusing every cty is the strict profile (M14).",
            ),
        );
    }
    rows
}

pub fn family() -> Family {
    let mut rows = genuine_objects();
    rows.extend(unsigned_objects());
    rows.extend(polyglots());
    rows.extend(nested());
    Family::table("serialization", rows)
}
