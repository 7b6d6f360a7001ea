//! Records the exact versions of the wrapped libraries (from the workspace's Cargo.lock) so that
//! every report names the library version it actually ran.

use std::path::Path;

const LIBRARIES: [&str; 4] = ["jsonwebtoken", "jwt-simple", "jwt-compact", "josekit"];

fn main() {
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let text = std::fs::read_to_string(&lock).unwrap_or_default();
    for name in LIBRARIES {
        let version = locked_version(&text, name).unwrap_or_else(|| "unknown".to_owned());
        let var = name.to_uppercase().replace('-', "_");
        println!("cargo:rustc-env=LIBVER_{var}={version}");
    }
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
