//! Loading the corpus: files, token forms, recipes, and the reference verifier's run of a vector.

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use verifier::{Algorithm, Profile};

use crate::vector::{Piece, SCHEMA_VERSION, SCHEMA_VERSIONS, TokenSpec, Vector};

/// Largest token a recipe may expand to: a bound on what a hostile vector file can allocate.
pub const MAX_RECIPE_BYTES: usize = 16 << 20;
/// Largest vector file read.
pub const MAX_VECTOR_FILE_BYTES: u64 = 4 << 20;

/// Why a vector could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    Io(PathBuf, std::io::Error),
    TooLarge(PathBuf),
    Json(PathBuf, serde_json::Error),
    Version(PathBuf, u32),
    /// A vector that says `schema_version` 2 while its profile uses what version 3 added: a
    /// version 2 reader would verify it under the `rfc9068` defaults, another check.
    Understated(PathBuf),
    Token(PathBuf, &'static str),
    /// A second file with the ID of one already loaded (a copy of the corpus inside it, say).
    DuplicateId(PathBuf, String),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            LoadError::TooLarge(p) => write!(
                f,
                "{}: file larger than {MAX_VECTOR_FILE_BYTES} bytes",
                p.display()
            ),
            LoadError::Json(p, e) => write!(f, "{}: not a vector: {e}", p.display()),
            LoadError::Version(p, v) => {
                write!(
                    f,
                    "{}: schema_version {v}, this reader knows 2 and {SCHEMA_VERSION}",
                    p.display()
                )
            }
            LoadError::Understated(p) => write!(
                f,
                "{}: schema_version 2, but its profile uses members of version 3 (a preset, \
                 typ null, required_claims, client_id, nonce or an algorithm other than ES256)",
                p.display()
            ),
            LoadError::Token(p, why) => write!(f, "{}: {why}", p.display()),
            LoadError::DuplicateId(p, id) => write!(
                f,
                "{}: vector ID {id} is already taken by another file of the corpus",
                p.display()
            ),
        }
    }
}

impl std::error::Error for LoadError {}

/// Reads and checks one vector file (its tokens are expanded on demand by [`token_bytes`]).
pub fn load_vector(path: &Path) -> Result<Vector, LoadError> {
    let len = std::fs::metadata(path)
        .map_err(|e| LoadError::Io(path.into(), e))?
        .len();
    if len > MAX_VECTOR_FILE_BYTES {
        return Err(LoadError::TooLarge(path.into()));
    }
    let bytes = std::fs::read(path).map_err(|e| LoadError::Io(path.into(), e))?;
    parse_vector(path, &bytes)
}

/// Checks one vector file's bytes; `path` names it in errors.
pub fn parse_vector(path: &Path, bytes: &[u8]) -> Result<Vector, LoadError> {
    if bytes.len() as u64 > MAX_VECTOR_FILE_BYTES {
        return Err(LoadError::TooLarge(path.into()));
    }
    let vector: Vector =
        serde_json::from_slice(bytes).map_err(|e| LoadError::Json(path.into(), e))?;
    if !SCHEMA_VERSIONS.contains(&vector.schema_version) {
        return Err(LoadError::Version(path.into(), vector.schema_version));
    }
    if vector.schema_version < schema_version_of(&vector.profile) {
        return Err(LoadError::Understated(path.into()));
    }
    // A live vector's minted tokens are checked by signing them for stand-in origins.
    let concrete = crate::live::instantiate(&vector, &crate::live::Origins::in_memory())
        .map_err(|_| LoadError::Token(path.into(), "token_mint cannot be signed"))?;
    for step in concrete.steps() {
        token_bytes(&step.token).map_err(|why| LoadError::Token(path.into(), why))?;
    }
    Ok(vector)
}

/// The profile members of schema version 2, the only ones a version 2 vector may carry.
const VERSION_2_PROFILE: [&str; 12] = [
    "issuer",
    "audiences",
    "algorithms",
    "typ",
    "max_token_bytes",
    "max_json_depth",
    "leeway_secs",
    "iat_skew_secs",
    "max_lifetime_secs",
    "expected_cat",
    "domain",
    "state",
];

/// The least schema version that holds a vector with this profile: 2 when the profile, as
/// written, is one a version 2 reader understands as meant (`rfc9068` defaults, `typ` a string,
/// `["ES256"]`), else 3. Judged on the written form because a profile writes a version 3
/// member only when it differs from the preset's default. Key sets do not count: a key of a
/// type version 2 never verified with is, under a version 2 profile, what it always was, a key
/// the set must not hold.
pub fn schema_version_of(profile: &Profile) -> u32 {
    let Ok(Value::Object(members)) = serde_json::to_value(profile) else {
        return SCHEMA_VERSION;
    };
    let es256 = serde_json::to_value([Algorithm::ES256]).ok();
    let version_2 = members
        .keys()
        .all(|m| VERSION_2_PROFILE.contains(&m.as_str()))
        && members.get("typ").is_some_and(Value::is_string)
        && members
            .get("algorithms")
            .is_none_or(|a| Some(a) == es256.as_ref());
    if version_2 { 2 } else { SCHEMA_VERSION }
}

/// Whether a file of a corpus folder is a vector: `*.json` other than `schema.json`.
pub fn is_vector_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
        && path.file_name().is_some_and(|n| n != "schema.json")
}

/// Every `*.json` vector file under `dir` (except `schema.json`), sorted by path.
pub fn vector_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| LoadError::Io(dir.clone(), e))?;
        for entry in entries {
            let path = entry.map_err(|e| LoadError::Io(dir.clone(), e))?.path();
            if path.is_dir() {
                pending.push(path);
            } else if is_vector_file(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Loads every vector under `dir`, sorted by path; two files with one ID are refused.
pub fn load_dir(dir: &Path) -> Result<Vec<Vector>, LoadError> {
    let mut ids = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for path in vector_files(dir)? {
        let vector = load_vector(&path)?;
        if !ids.insert(vector.id.clone()) {
            return Err(LoadError::DuplicateId(path, vector.id));
        }
        out.push(vector);
    }
    Ok(out)
}

/// The token's exact bytes.
pub fn token_bytes(spec: &TokenSpec) -> Result<Vec<u8>, &'static str> {
    match spec {
        TokenSpec::Text(text) => Ok(text.as_bytes().to_vec()),
        TokenSpec::Base64(b64) => STANDARD
            .decode(b64)
            .map_err(|_| "token_base64 is not standard base64"),
        TokenSpec::Recipe(pieces) => expand(pieces),
        TokenSpec::Mint(_) => Err("token_mint is signed only in live (key_source) vectors"),
    }
}

fn expand(pieces: &[Piece]) -> Result<Vec<u8>, &'static str> {
    let mut total = 0usize;
    for piece in pieces {
        let len = match piece {
            Piece::Text { text } => Some(text.len()),
            Piece::Repeat { repeat, count } => repeat.len().checked_mul(*count),
        };
        total = len
            .and_then(|l| total.checked_add(l))
            .filter(|&t| t <= MAX_RECIPE_BYTES)
            .ok_or("token_recipe expands beyond 16 MiB")?;
    }
    let mut out = Vec::with_capacity(total);
    for piece in pieces {
        match piece {
            Piece::Text { text } => out.extend_from_slice(text.as_bytes()),
            Piece::Repeat { repeat, count } => out.extend(repeat.as_bytes().repeat(*count)),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vector is ours: every reason ID and code it names is one of the catalog's, and one
    /// that is not fails the load, naming the file and the ID.
    #[test]
    fn an_id_outside_the_catalog_does_not_load() {
        let path = Path::new("../vectors/alg/none-empty-signature.json");
        let good: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).expect("read")).expect("JSON");
        assert!(parse_vector(path, good.to_string().as_bytes()).is_ok());
        type Breakage = (&'static str, fn(&mut serde_json::Value));
        let cases: [Breakage; 3] = [
            ("no_such_reason", |v| {
                v["expected"]["reason"] = "no_such_reason".into()
            }),
            (
                "jwks_emptyy",
                |v| {
                    v["expected"] =
                        serde_json::json!({"verdict": "config_error", "error": "jwks_emptyy"})
                },
            ),
            (
                "alg_nonee",
                |v| {
                    v["acceptable"] =
                        serde_json::json!([{"verdict": "reject", "reason": "alg_nonee"}])
                },
            ),
        ];
        for (id, breakage) in cases {
            let mut bad = good.clone();
            breakage(&mut bad);
            let err = parse_vector(path, bad.to_string().as_bytes())
                .expect_err(id)
                .to_string();
            assert!(
                err.starts_with("../vectors/alg/none-empty-signature.json: "),
                "{err}"
            );
            assert!(err.contains(id), "{err}");
        }
    }
}
