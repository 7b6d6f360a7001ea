//! Loading the corpus: files, token forms, recipes, and the reference verifier's run of a vector.

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::vector::{Piece, SCHEMA_VERSION, TokenSpec, Vector};

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
                    "{}: schema_version {v}, this reader knows {SCHEMA_VERSION}",
                    p.display()
                )
            }
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
    if vector.schema_version != SCHEMA_VERSION {
        return Err(LoadError::Version(path.into(), vector.schema_version));
    }
    // A live vector's minted tokens are checked by signing them for stand-in origins.
    let concrete = crate::live::instantiate(&vector, &crate::live::Origins::in_memory())
        .map_err(|_| LoadError::Token(path.into(), "token_mint cannot be signed"))?;
    for step in concrete.steps() {
        token_bytes(&step.token).map_err(|why| LoadError::Token(path.into(), why))?;
    }
    Ok(vector)
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
