//! The messages of the subprocess protocol, version [`PROTOCOL_VERSION`] (documented in
//! `docs/adapters.md`, with JSON Schemas in `docs/schemas/`): the hello line an adapter
//! process prints first, the request line the runner writes for each case, and the response
//! line it reads back. The transport (processes, pipes, bounds, timeouts) is in
//! [`super::subprocess`]; this module only says what the lines mean, so that it can be read,
//! tested and versioned on its own.
//!
//! Versions: the adapter names its version in the hello and the runner answers in kind, so a
//! version 1 adapter keeps working unchanged. Version 2 adds, to the request, the key set's
//! exact bytes (`jwks_base64`), so that key-set parse vectors reach libraries that parse key
//! sets from bytes, and, to the hello, `claims`: the adapter returns the library's own claims,
//! and the runner compares them with the expected ones. Version 3 adds, to the hello,
//! `algorithms` and `presets`: what the library can be configured for (absent: ES256 under
//! `rfc9068`, all that versions 1 and 2 are sent). Its requests are version 2's; their
//! profiles may carry the members of vector schema 3.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use verifier::{Algorithm, Preset};

use crate::adapter::{AdapterInfo, Capabilities, Case, Outcome};
use crate::vector::Feature;

/// The protocol name a hello line must carry.
pub const PROTOCOL: &str = "jwt-conformance-adapter";
/// The protocol version this runner speaks natively (the newest).
pub const PROTOCOL_VERSION: u32 = 3;
/// Every version the runner speaks: an adapter that greets with one of these gets requests of
/// that version. Versions 1 and 2 stay so that adapters written for them need no change.
pub const SUPPORTED_VERSIONS: [u32; 3] = [1, 2, PROTOCOL_VERSION];

/// How much of an adapter's text (a bad line, a parser's error about it) goes into an error
/// message: enough to recognize it, never a whole hostile line.
const QUOTE_CHARS: usize = 200;

/// The first line an adapter process prints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    /// Always [`PROTOCOL`].
    pub protocol: String,
    /// One of [`SUPPORTED_VERSIONS`]; the requests that follow are of this version.
    pub version: u32,
    pub name: String,
    pub library: String,
    pub library_version: String,
    /// The vector features the adapter supports. An unknown name is refused, not ignored: the
    /// adapter was written against another contract than this runner's, a setup error.
    #[serde(default)]
    pub features: Vec<Feature>,
    #[serde(default)]
    pub exact: bool,
    /// (Version 2.) The claims of every `accept` are the library's own decoded payload, so the
    /// runner compares them with the expected claims. Ignored in a version 1 hello, which
    /// predates it.
    #[serde(default)]
    pub claims: bool,
    /// (Version 3.) The algorithms the library can be pinned to; absent: `ES256`. An unknown
    /// name is refused, as an unknown feature is. Ignored in an older hello.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithms: Option<Vec<Algorithm>>,
    /// (Version 3.) The profile presets the library can be configured for; absent: `rfc9068`.
    /// An unknown name is refused. Ignored in an older hello.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presets: Option<Vec<Preset>>,
    #[serde(default)]
    pub notes: Vec<String>,
}

impl Hello {
    /// Parses and checks a hello line: the protocol name and a supported version. An unknown
    /// feature or a missing field is an error too.
    pub fn parse(line: &str) -> Result<Hello, String> {
        let mut hello: Hello = serde_json::from_str(line).map_err(|e| {
            format!(
                "bad hello line ({}): {}",
                quote(&e.to_string()),
                quote(line)
            )
        })?;
        if hello.protocol != PROTOCOL || !SUPPORTED_VERSIONS.contains(&hello.version) {
            return Err(format!(
                "the adapter speaks {} version {}; this runner speaks {PROTOCOL} version {}",
                quote(&hello.protocol),
                hello.version,
                SUPPORTED_VERSIONS.map(|v| v.to_string()).join(" or ")
            ));
        }
        if hello.version < 2 {
            hello.claims = false;
        }
        if hello.version < 3 {
            hello.algorithms = None;
            hello.presets = None;
        }
        // An empty list would declare an adapter that can run nothing: a setup mistake.
        if hello.algorithms.as_ref().is_some_and(Vec::is_empty)
            || hello.presets.as_ref().is_some_and(Vec::is_empty)
        {
            return Err(format!(
                "bad hello line (an empty algorithms or presets list): {}",
                quote(line)
            ));
        }
        Ok(hello)
    }

    /// What the runner reports about the adapter.
    pub fn info(&self) -> AdapterInfo {
        let mut capabilities = Capabilities {
            exact: self.exact,
            claims: self.claims,
            ..Capabilities::new(self.features.iter().copied())
        };
        if let Some(algorithms) = &self.algorithms {
            capabilities.algorithms = algorithms.iter().copied().collect();
        }
        if let Some(presets) = &self.presets {
            capabilities.presets = presets.iter().copied().collect();
        }
        AdapterInfo {
            name: self.name.clone(),
            library: self.library.clone(),
            version: self.library_version.clone(),
            capabilities,
            notes: self.notes.clone(),
        }
    }
}

/// One response line: the answer for one step of one vector (the same in every version).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Response {
    pub id: String,
    pub step: usize,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The request line for a case, in protocol `version` (the one the adapter's hello named).
/// Versions 2 and 3 write the same members; version 1 has no key-set bytes and no `key_fetch`.
pub fn request(case: &Case<'_>, version: u32) -> Value {
    let mut request = json!({
        "version": version,
        "type": "verify",
        "id": case.vector.id,
        "step": case.step,
        "token": case.token_str(),
        "token_b64": STANDARD.encode(case.token),
        "jwks": case.jwks,
        "profile": case.profile,
        "now": case.now,
        "actions": case.actions,
        "features": case.vector.features,
        "timeout_ms": u64::try_from(case.timeout.as_millis()).unwrap_or(u64::MAX),
    });
    if version == 1 {
        return request;
    }
    // The key set's exact bytes ([`Case::jwks_bytes`]).
    request["jwks_base64"] = json!(STANDARD.encode(case.jwks_bytes()));
    if let Some(live) = case.live {
        request["key_fetch"] = json!(live);
    }
    request
}

/// The start of an adapter's text, on one line, for an error message.
fn quote(text: &str) -> String {
    crate::text::one_line(text, QUOTE_CHARS)
}

/// Deepest nesting accepted in a response line (claims of deeply nested payloads come back).
pub const MAX_RESPONSE_DEPTH: usize = 2048;

/// Parses a response line. Lone UTF-16 surrogate escapes (which JSON encoders of other
/// languages emit for strings their JSON parser accepted) are replaced with U+FFFD first, since
/// they are not Unicode scalar values.
pub fn parse_response(line: &str) -> Result<Response, String> {
    let bad = |e: String| {
        format!(
            "protocol error: bad response line ({}): {}",
            quote(&e),
            quote(line)
        )
    };
    if nesting_depth(line) > MAX_RESPONSE_DEPTH {
        return Err(bad(format!("nested deeper than {MAX_RESPONSE_DEPTH}")));
    }
    let repaired = repair_surrogates(line);
    let mut de = serde_json::Deserializer::from_str(&repaired);
    de.disable_recursion_limit();
    let response = Response::deserialize(&mut de).map_err(|e| bad(e.to_string()))?;
    de.end().map_err(|e| bad(e.to_string()))?;
    Ok(response)
}

/// The deepest nesting of arrays and objects, outside strings.
pub fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Replaces `\uD800`–`\uDFFF` escapes that are not a high-low pair with `\uFFFD`.
pub fn repair_surrogates(text: &str) -> std::borrow::Cow<'_, str> {
    let unit = |s: &str| -> Option<u16> {
        let hex = s.strip_prefix("\\u")?.get(..4)?;
        u16::from_str_radix(hex, 16).ok()
    };
    if !text.contains("\\u") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with("\\\\") {
            out.push_str("\\\\");
            i += 2;
            continue;
        }
        match unit(rest) {
            Some(0xD800..=0xDBFF) => {
                if let Some(0xDC00..=0xDFFF) = rest.get(6..).and_then(unit) {
                    out.push_str(&rest[..12]);
                    i += 12;
                } else {
                    out.push_str("\\uFFFD");
                    i += 6;
                }
            }
            Some(0xDC00..=0xDFFF) => {
                out.push_str("\\uFFFD");
                i += 6;
            }
            _ => {
                let c = rest.chars().next().unwrap_or('\0');
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    std::borrow::Cow::Owned(out)
}
