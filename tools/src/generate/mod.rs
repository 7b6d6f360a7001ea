//! The corpus generator: a baseline token plus tables of named mutations, per family.
//!
//! Everything is deterministic (named keys, RFC 6979 signatures, sorted output), so
//! `generate --check` can demand byte-identical files.

mod certs;
mod draft;
mod families;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use corpus::vector::to_file_json;
pub use draft::{
    Draft, Expect, Family, Mutation, Row, Signer, StepCase, accept, all_of, any_config_error,
    any_reject, claim, custom, hdr, no_claim, no_hdr, reject_for,
};

/// Builds the whole corpus in memory, keyed by relative path.
pub fn corpus() -> Result<BTreeMap<PathBuf, String>, String> {
    let vectors = families::all();
    let table = corpus::normative::table();
    let mut files = BTreeMap::new();
    for v in &vectors {
        // A row that breaks the severity rule never reaches a file.
        table.check(v)?;
        let path = PathBuf::from(format!("{}.json", v.id));
        if files.insert(path.clone(), to_file_json(v)).is_some() {
            return Err(format!("duplicate vector id {}", v.id));
        }
    }
    Ok(files)
}

/// `generate` and `generate --check`.
pub fn run(out: &Path, check: bool) -> Result<(), String> {
    let files = corpus()?;
    let roots: Vec<PathBuf> = {
        let mut r: Vec<PathBuf> = files
            .keys()
            .filter_map(|p| p.components().next().map(|c| PathBuf::from(c.as_os_str())))
            .collect();
        r.dedup();
        r
    };
    let existing = existing_files(out, &roots)?;
    if check {
        let mut problems = Vec::new();
        for (rel, text) in &files {
            match std::fs::read_to_string(out.join(rel)) {
                Ok(old) if old == *text => {}
                Ok(_) => problems.push(format!("differs: {}", out.join(rel).display())),
                Err(_) => problems.push(format!("missing: {}", out.join(rel).display())),
            }
        }
        for rel in existing.iter().filter(|p| !files.contains_key(*p)) {
            problems.push(format!("stale: {}", out.join(rel).display()));
        }
        if !problems.is_empty() {
            return Err(format!(
                "corpus is not fresh ({} files); run `cargo run -p tools -- generate`:\n{}",
                problems.len(),
                problems.join("\n")
            ));
        }
        println!("corpus is fresh: {} vectors", files.len());
        return Ok(());
    }
    for rel in existing.iter().filter(|p| !files.contains_key(*p)) {
        std::fs::remove_file(out.join(rel)).map_err(|e| format!("{}: {e}", rel.display()))?;
    }
    for (rel, text) in &files {
        let path = out.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    println!("wrote {} vectors under {}", files.len(), out.display());
    Ok(())
}

/// The JSON files currently under the generated category folders.
fn existing_files(out: &Path, roots: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    for root in roots {
        let dir = out.join(root);
        if !dir.is_dir() {
            continue;
        }
        for path in corpus::load::vector_files(&dir).map_err(|e| e.to_string())? {
            if let Ok(rel) = path.strip_prefix(out) {
                found.push(rel.to_path_buf());
            }
        }
    }
    Ok(found)
}
