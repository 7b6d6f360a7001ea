//! `fuzz-seeds`: per-target seed corpora for `fuzz/`, derived from the vectors.
//!
//! | target | seeds |
//! |---|---|
//! | `verify`, `differential` | every step's exact token bytes |
//! | `json` | the decoded header and payload of every token, and every key-set document |
//! | `base64url` | every segment of every token, and every `x`/`y` of every key |
//! | `jwks` | every key-set document: the vector's, published ones, and served bodies |
//! | `structured` | a few short byte strings (the empty input is the baseline token) |
//!
//! The forge baseline token and key set are always included, so the seeds are never empty.
//! Seeds are regenerated, not committed: each target directory is emptied and refilled, each
//! file named by the first 16 hex digits of its SHA-256, so the output is a pure function of
//! the corpus. Tokens longer than [`MAX_SEED_BYTES`] (recipe-built giants) are left out.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use corpus::load::{load_vector, token_bytes, vector_files};
use corpus::vector::{Action, EndpointBehaviour, Vector};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The fuzz targets, each with its own seed directory.
pub const TARGETS: [&str; 6] = [
    "verify",
    "structured",
    "json",
    "base64url",
    "jwks",
    "differential",
];

/// Largest seed written, in bytes.
pub const MAX_SEED_BYTES: usize = 64 * 1024;

#[derive(Default)]
struct Seeds {
    by_target: BTreeMap<&'static str, BTreeMap<String, Vec<u8>>>,
}

impl Seeds {
    fn add(&mut self, target: &'static str, bytes: impl Into<Vec<u8>>) {
        let bytes = bytes.into();
        if bytes.len() > MAX_SEED_BYTES {
            return;
        }
        let name = short_hash(&bytes);
        self.by_target
            .entry(target)
            .or_default()
            .insert(name, bytes);
    }

    fn token(&mut self, token: &[u8]) {
        self.add("verify", token);
        self.add("differential", token);
        for segment in token.split(|&b| b == b'.') {
            self.add("base64url", segment);
        }
        let segments: Vec<&[u8]> = token.split(|&b| b == b'.').collect();
        for segment in segments.iter().take(2) {
            if let Ok(json) = URL_SAFE_NO_PAD.decode(segment) {
                self.add("json", json);
            }
        }
    }

    fn jwks(&mut self, document: &[u8]) {
        self.add("jwks", document);
        self.add("json", document);
        if let Ok(doc) = serde_json::from_slice::<Value>(document)
            && let Some(keys) = doc.get("keys").and_then(Value::as_array)
        {
            for key in keys {
                for coordinate in ["x", "y"] {
                    if let Some(text) = key.get(coordinate).and_then(Value::as_str) {
                        self.add("base64url", text.as_bytes());
                    }
                }
            }
        }
    }

    fn vector(&mut self, vector: &Vector) {
        self.jwks(&vector.jwks_bytes());
        for step in vector.steps() {
            if let Ok(token) = token_bytes(&step.token) {
                self.token(&token);
            }
            for action in &step.actions {
                match action {
                    Action::PublishJwks { jwks } => self.jwks(jwks.to_string().as_bytes()),
                    Action::KeyEndpoint {
                        behaviour: EndpointBehaviour::Body { body },
                    } => self.jwks(body.as_bytes()),
                    _ => {}
                }
            }
        }
    }
}

/// First 16 hex digits of SHA-256.
pub fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn run(vectors: &Path, out: &Path) -> Result<(), String> {
    let mut seeds = Seeds::default();
    seeds.token(forge::baseline_token().as_bytes());
    seeds.jwks(forge::baseline_jwks().to_string().as_bytes());
    for seed in [
        &b""[..],
        b"\x01",
        b"\x02\x01",
        b"\x00\x00\x00\x01",
        b"\xff\xff",
    ] {
        seeds.add("structured", seed);
    }
    let (mut loaded, mut skipped) = (0usize, 0usize);
    if vectors.is_dir() {
        let files = vector_files(vectors).map_err(|e| e.to_string())?;
        for file in files {
            match load_vector(&file) {
                Ok(vector) => {
                    seeds.vector(&vector);
                    loaded += 1;
                }
                Err(e) => {
                    eprintln!("fuzz-seeds: skipping {e}");
                    skipped += 1;
                }
            }
        }
    } else {
        eprintln!(
            "fuzz-seeds: no vectors at {}: forge baseline seeds only",
            vectors.display()
        );
    }
    for target in TARGETS {
        let dir = out.join(target);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let files = seeds.by_target.get(target).cloned().unwrap_or_default();
        for (name, bytes) in &files {
            let path = dir.join(name);
            std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        println!("{target}: {} seeds", files.len());
    }
    println!(
        "fuzz-seeds: {loaded} vectors read, {skipped} skipped, seeds in {}",
        out.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baseline_seeds_cover_every_target_but_structured_from_vectors() {
        let mut seeds = Seeds::default();
        seeds.token(forge::baseline_token().as_bytes());
        seeds.jwks(forge::baseline_jwks().to_string().as_bytes());
        for target in ["verify", "differential", "json", "base64url", "jwks"] {
            assert!(!seeds.by_target.get(target).unwrap().is_empty(), "{target}");
        }
        // header, payload and key set
        assert_eq!(seeds.by_target["json"].len(), 3);
        // 3 segments + x + y
        assert_eq!(seeds.by_target["base64url"].len(), 5);
    }
}
