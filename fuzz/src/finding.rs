//! Finding files: what a target writes when it observes something worth a regression vector
//! without crashing (a third-party accept of a must-rejected token), or just before it panics
//! on an oracle mismatch of an input that is not itself a token (the `structured` target).
//!
//! Format (version 1), read by `cargo run -p tools -- crash-to-vector FILE`:
//!
//! ```json
//! { "finding_version": 1, "target": "differential", "kind": "third_party_accept",
//!   "library": "jsonwebtoken 11", "token_base64": "<standard base64 of the exact token>",
//!   "now": 1700000000, "profile": {..} | null, "jwks": {..} | null,
//!   "reference": "reject (header_crit)", "observed": "accept", "severity": "must",
//!   "sha256": "<hex of the token>", "date": "YYYY-MM-DD" }
//! ```
//!
//! `profile` and `jwks` absent or null mean the baseline world. Files are named
//! `<16 hex>.json` (a hash of library and token) under `$JWT_FUZZ_FINDINGS` (default
//! `fuzz/findings/`).

use std::path::PathBuf;
use std::time::SystemTime;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub finding_version: u32,
    pub target: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<String>,
    pub token_base64: String,
    pub now: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks: Option<Value>,
    pub reference: String,
    pub observed: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl Finding {
    /// A finding about `token`, dated today (UTC).
    pub fn new(
        target: &str,
        kind: &str,
        token: &[u8],
        reference: String,
        observed: String,
    ) -> Finding {
        Finding {
            finding_version: 1,
            target: target.into(),
            kind: kind.into(),
            library: None,
            token_base64: STANDARD.encode(token),
            now: crate::world::NOW,
            profile: None,
            jwks: None,
            reference,
            observed,
            severity: None,
            sha256: hex(&Sha256::digest(token)),
            date: Some(today()),
        }
    }

    /// Writes the finding (best effort: a target must not fail because a directory is
    /// read-only) and returns where.
    pub fn write(&self) -> Option<PathBuf> {
        let dir = std::env::var_os("JWT_FUZZ_FINDINGS")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/findings")));
        std::fs::create_dir_all(&dir).ok()?;
        // One file per (library, token): two libraries accepting one token are two findings.
        let mut id = Sha256::new();
        id.update(self.library.as_deref().unwrap_or_default());
        id.update([0]);
        id.update(&self.sha256);
        let path = dir.join(format!("{}.json", &hex(&id.finalize())[..16]));
        let mut text = serde_json::to_string_pretty(self).ok()?;
        text.push('\n');
        std::fs::write(&path, text).ok()?;
        Some(path)
    }
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Today's UTC date as YYYY-MM-DD.
pub fn today() -> String {
    date_of(SystemTime::now())
}

/// The UTC date of `t` as YYYY-MM-DD.
pub fn date_of(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()[..10].to_owned()
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn dates() {
        let at = |secs| super::date_of(UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "1970-01-01");
        assert_eq!(at(1_700_000_000), "2023-11-14");
        assert_eq!(at(11_016 * 86_400), "2000-02-29");
    }
}
