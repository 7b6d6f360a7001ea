//! The adapters that ship, and the registry the CLI builds them from.
//!
//! In-process: the reference verifier and four Rust libraries. Out of process: PyJWT (Python)
//! and `jose` (Node) through [`subprocess::Subprocess`], installed by `scripts/setup.sh`. Any
//! of them can be wrapped in [`hardened::Hardened`] as `NAME+hardened`, and any command that
//! speaks the protocol can be run as `exec:COMMAND ARGS…`.

pub mod common;
pub mod hardened;
#[cfg(feature = "josekit")]
pub mod josekit;
pub mod jsonwebtoken;
pub mod jwt_compact;
pub mod jwt_simple;
pub mod reference;
pub mod subprocess;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::adapter::Adapter;

/// The third-party adapters that ship, in matrix order.
pub const THIRD_PARTY: [&str; 6] = [
    "jsonwebtoken",
    "jwt-simple",
    "jwt-compact",
    "josekit",
    "pyjwt",
    "jose",
];

/// Suffix that wraps an adapter in [`hardened::Hardened`].
pub const HARDENED_SUFFIX: &str = "+hardened";

/// Every shipped adapter name: the reference, then each library alone and hardened.
pub fn names() -> Vec<String> {
    let mut names = vec!["reference".to_owned()];
    for lib in THIRD_PARTY {
        names.push(lib.to_owned());
        names.push(format!("{lib}{HARDENED_SUFFIX}"));
    }
    names
}

/// The project root: the nearest ancestor of the working directory holding `adapters/` and a
/// `Cargo.toml`, else the workspace this binary was built from.
pub fn project_root() -> PathBuf {
    if let Ok(cwd) = std::env::current_dir() {
        for dir in cwd.ancestors() {
            if dir.join("adapters").is_dir() && dir.join("Cargo.toml").is_file() {
                return dir.to_path_buf();
            }
        }
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Builds the adapter called `name` (see [`names`]; also `exec:COMMAND ARGS…`).
pub fn build(name: &str, root: &Path) -> Result<Arc<dyn Adapter>, String> {
    if let Some(inner) = name.strip_suffix(HARDENED_SUFFIX) {
        let inner = build(inner, root)?;
        return Ok(Arc::new(hardened::Hardened::new(inner)));
    }
    if let Some(command) = name.strip_prefix("exec:") {
        let mut words = command.split_whitespace().map(str::to_owned);
        let program = words.next().ok_or("exec: needs a command")?;
        return Ok(Arc::new(subprocess::Subprocess::new(
            name,
            program,
            words.collect(),
            None,
        )));
    }
    Ok(match name {
        "reference" => Arc::new(reference::Reference::new()),
        "jsonwebtoken" => Arc::new(jsonwebtoken::JsonWebToken),
        "jwt-simple" => Arc::new(jwt_simple::JwtSimple),
        "jwt-compact" => Arc::new(jwt_compact::JwtCompact),
        #[cfg(feature = "josekit")]
        "josekit" => Arc::new(josekit::Josekit),
        #[cfg(not(feature = "josekit"))]
        "josekit" => return Err(
            "josekit: built without the `josekit` feature (needs OpenSSL; run scripts/setup.sh)"
                .to_owned(),
        ),
        "pyjwt" => Arc::new(python(root)?),
        "jose" => Arc::new(node(root)?),
        _ => {
            return Err(format!(
                "unknown adapter {name:?}; known: {}, or exec:COMMAND",
                names().join(", ")
            ));
        }
    })
}

/// The PyJWT adapter process (`adapters/python`, venv made by `scripts/setup.sh`).
pub fn python(root: &Path) -> Result<subprocess::Subprocess, String> {
    let dir = root.join("adapters/python");
    let python = dir.join(".venv/bin/python");
    if !python.is_file() {
        return Err(format!(
            "pyjwt: {} not found: run scripts/setup.sh",
            python.display()
        ));
    }
    Ok(subprocess::Subprocess::new(
        "pyjwt",
        python.to_string_lossy(),
        vec![dir.join("adapter.py").to_string_lossy().into_owned()],
        Some(dir),
    ))
}

/// The `jose` adapter process (`adapters/node`, `npm ci` by `scripts/setup.sh`).
pub fn node(root: &Path) -> Result<subprocess::Subprocess, String> {
    let dir = root.join("adapters/node");
    if !dir.join("node_modules/jose").is_dir() {
        return Err(format!(
            "jose: {} not installed: run scripts/setup.sh",
            dir.join("node_modules/jose").display()
        ));
    }
    Ok(subprocess::Subprocess::new(
        "jose",
        "node",
        vec![dir.join("adapter.mjs").to_string_lossy().into_owned()],
        Some(dir),
    ))
}
