//! Records the exact versions of the wrapped libraries (from the workspace's Cargo.lock) so that
//! every report names the library version it actually ran, and embeds the corpus (`vectors/`)
//! so that an installed runner carries it (`conformance::embedded`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const LIBRARIES: [&str; 4] = ["jsonwebtoken", "jwt-simple", "jwt-compact", "josekit"];

fn main() {
    embed_corpus();
    let lock = manifest_dir().join("../Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let text = std::fs::read_to_string(&lock).unwrap_or_default();
    for name in LIBRARIES {
        let version = locked_version(&text, name).unwrap_or_else(|| "unknown".to_owned());
        let var = name.to_uppercase().replace('-', "_");
        println!("cargo:rustc-env=LIBVER_{var}={version}");
    }
}

/// This package's folder, as cargo names it to the running build script. Not `env!`: that is
/// fixed when the script is compiled, and cargo shares one compiled script between copies of
/// the package at other paths (an install from a copy of the tree), which would then read the
/// copy's `vectors/`, or a folder that no longer exists.
fn manifest_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
}

/// The highest locked version of package `name` (several may be locked; adapters use the
/// workspace's, which is the newest).
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let needle = format!("name = \"{name}\"\nversion = \"");
    lock.match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest = &lock[at + needle.len()..];
            rest.find('"').map(|end| rest[..end].to_owned())
        })
        .max_by_key(|v| {
            v.split(['.', '-'])
                .map(|p| p.parse::<u64>().unwrap_or(0))
                .collect::<Vec<_>>()
        })
}

/// Writes `$OUT_DIR/embedded_corpus.rs`: every file of `vectors/` (`*.json` and `VERSION`) as
/// `(path relative to vectors/, include_bytes!(…))`, sorted. `include_bytes!` makes cargo
/// rebuild when a file changes; the folder itself is watched for files added or removed. Built
/// outside the repository (no `vectors/`), the list is empty and the runner says so.
fn embed_corpus() {
    let dir = manifest_dir().join("../vectors");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.sort();
    let mut code = String::from("pub static FILES: &[(&str, &[u8])] = &[\n");
    for path in &files {
        let Ok(relative) = path.strip_prefix(&dir) else {
            continue;
        };
        let (Some(relative), Some(absolute)) = (relative.to_str(), path.to_str()) else {
            panic!(
                "vectors/: a file name that is not UTF-8: {}",
                path.display()
            );
        };
        let _ = writeln!(code, "    ({relative:?}, include_bytes!({absolute:?})),");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("embedded_corpus.rs"), code).expect("OUT_DIR is writable");
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json")
            || path.file_name().is_some_and(|n| n == "VERSION")
        {
            out.push(path);
        }
    }
}
