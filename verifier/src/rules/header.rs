//! Header rules: parse, algorithm, forbidden parameters, allowlist, `typ`.

use std::borrow::Cow;

use crate::json::{self, JsonError, Member};
use crate::reason::{Reason, Rejection, reject};
use crate::{Algorithm, Profile, b64};

/// Parameters whose mere presence rejects the token, each with its own reason, in catalog order.
const FORBIDDEN: [(&str, Reason, &str); 7] = [
    ("jku", Reason::HeaderJku, "jku: key URL from the token"),
    (
        "x5u",
        Reason::HeaderX5u,
        "x5u: certificate URL from the token",
    ),
    ("jwk", Reason::HeaderJwk, "jwk: key embedded in the token"),
    (
        "x5c",
        Reason::HeaderX5c,
        "x5c: certificate chain in the token",
    ),
    (
        "crit",
        Reason::HeaderCrit,
        "crit: no extension is understood",
    ),
    (
        "b64",
        Reason::HeaderB64False,
        "b64: unencoded payload (RFC 7797)",
    ),
    ("cty", Reason::NestedJws, "cty: nested token"),
];

/// The decoded JOSE header, as the rules read it: the string values of `alg`, `typ` and `kid`
/// and which other names it carries. Borrows from the decoded bytes (see [`decode_header`]), so
/// reading a valid header allocates nothing per member.
#[derive(Default)]
pub struct Header<'b> {
    alg: Option<Cow<'b, str>>,
    typ: Option<Cow<'b, str>>,
    kid: Option<Cow<'b, str>>,
    /// A `kid` member is present, string or not.
    kid_member: bool,
    /// Bit `i` set: `FORBIDDEN[i]` is present.
    forbidden: u8,
    /// Some name other than `alg`, `typ` and `kid` is present (forbidden names included).
    outside_allowlist: bool,
}

impl<'b> Header<'b> {
    /// The `kid`, when it is a string.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// True when the header has a `kid` member, string or not (a token "without `kid`" has none).
    pub fn has_kid(&self) -> bool {
        self.kid_member
    }

    /// The `alg`, when it names one of the implemented algorithms exactly. After
    /// [`check_alg`] it is always `Some`, and one the profile allows.
    pub fn algorithm(&self) -> Option<Algorithm> {
        self.alg.as_deref().and_then(Algorithm::from_name)
    }

    fn add(&mut self, name: Cow<'b, str>, value: Member<'b>) {
        let text = match value {
            Member::Str(s) => Some(s),
            _ => None,
        };
        match &*name {
            "alg" => self.alg = text,
            "typ" => self.typ = text,
            "kid" => {
                self.kid = text;
                self.kid_member = true;
            }
            other => {
                self.outside_allowlist = true;
                if let Some(i) = FORBIDDEN.iter().position(|(n, _, _)| *n == other) {
                    self.forbidden |= 1 << i;
                }
            }
        }
    }
}

// Token text stays out of logs (a header can carry anything): only what was present.
impl std::fmt::Debug for Header<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Header")
            .field("alg_is_string", &self.alg.is_some())
            .field("typ_is_string", &self.typ.is_some())
            .field("kid_is_string", &self.kid.is_some())
            .field("forbidden", &format_args!("{:#09b}", self.forbidden))
            .field("outside_allowlist", &self.outside_allowlist)
            .finish()
    }
}

/// The buffer a header is decoded into: on the stack up to 512 bytes (a typical header is under
/// a hundred).
pub type HeaderBuf = b64::Decoded<512>;

/// `header_unparseable` / `duplicate_json_keys`: canonical base64url of a strict JSON object.
/// The decoded bytes go to `scratch`, which the returned header borrows.
pub fn decode_header<'b>(
    segment: &[u8],
    max_depth: usize,
    scratch: &'b mut HeaderBuf,
) -> Result<Header<'b>, Rejection> {
    // An empty segment decodes to nothing, which the JSON reader refuses as not an object.
    let Some(bytes) = scratch.decode(segment) else {
        return Err(reject(
            Reason::HeaderUnparseable,
            "header is not canonical base64url",
        ));
    };
    let mut header = Header::default();
    json::visit_object(
        bytes,
        max_depth,
        |_| false,
        |name, value| header.add(name, value),
    )
    .map_err(|e| match e {
        JsonError::DuplicateKey => reject(Reason::DuplicateJsonKeys, "header repeats a member"),
        JsonError::Malformed => reject(Reason::HeaderUnparseable, "header is not a JSON object"),
    })?;
    Ok(header)
}

/// `alg_*`: `alg` must name, exactly, an algorithm in the profile's allowed list; the ones it
/// does not allow are refused by family, any other name as `alg_not_allowed`.
pub fn check_alg(header: &Header<'_>, profile: &Profile) -> Result<(), Rejection> {
    let Some(alg) = header.alg.as_deref() else {
        return Err(reject(Reason::AlgNone, "alg missing or not a string"));
    };
    if alg.eq_ignore_ascii_case("none") {
        return Err(reject(Reason::AlgNone, "alg none"));
    }
    if header
        .algorithm()
        .is_some_and(|a| profile.algorithms.contains(&a))
    {
        return Ok(());
    }
    Err(match alg {
        "HS256" | "HS384" | "HS512" => reject(Reason::AlgHmacRejected, "HMAC algorithm"),
        "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" => {
            reject(Reason::AlgRsaRejected, "RSA algorithm")
        }
        "ES256" | "ES384" | "ES512" | "ES256K" => {
            reject(Reason::AlgEcdsaRejected, "ECDSA algorithm")
        }
        _ => reject(Reason::AlgNotAllowed, "algorithm not allowed"),
    })
}

/// `header_jku` … `nested_jws`: parameters that would move trust into the token; the one
/// earliest in catalog order decides.
pub fn reject_forbidden_params(header: &Header<'_>) -> Result<(), Rejection> {
    if header.forbidden == 0 {
        return Ok(());
    }
    let (_, reason, detail) = FORBIDDEN[header.forbidden.trailing_zeros() as usize];
    Err(reject(reason, detail))
}

/// `header_extra_param`: nothing outside `alg`, `typ`, `kid`.
pub fn check_allowlist(header: &Header<'_>) -> Result<(), Rejection> {
    if !header.outside_allowlist {
        return Ok(());
    }
    Err(reject(
        Reason::HeaderExtraParam,
        "header member outside alg, typ, kid",
    ))
}

/// `typ_mismatch`: `typ` present and the profile's media type, when the profile requires one
/// (with `typ: null` the header's `typ` is not looked at). RFC 7515 §4.1.9 makes media types
/// case-insensitive and `x` the same as `application/x` (RFC 9068 §4 names both `at+jwt` and
/// `application/at+jwt`); nothing else is folded, so `JWT` and `at+jwt ` differ.
pub fn check_typ(header: &Header<'_>, profile: &Profile) -> Result<(), Rejection> {
    let Some(required) = profile.typ.as_deref() else {
        return Ok(());
    };
    match header.typ.as_deref() {
        Some(typ) if same_media_type(typ, required) => Ok(()),
        _ => Err(reject(
            Reason::TypMismatch,
            "typ missing or not the profile's value",
        )),
    }
}

/// Media types compared as RFC 7515 §4.1.9 says: ASCII case-insensitive, with `application/`
/// implied where there is no `/`.
fn same_media_type(a: &str, b: &str) -> bool {
    fn subtype_of_application(t: &str) -> Option<&str> {
        match t.split_once('/') {
            None => Some(t),
            Some((top, sub)) if top.eq_ignore_ascii_case("application") => Some(sub),
            Some(_) => None,
        }
    }
    match (subtype_of_application(a), subtype_of_application(b)) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => a.eq_ignore_ascii_case(b),
    }
}
