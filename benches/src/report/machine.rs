//! The machine and the provenance (commit, corpus) the figures came from.

use serde_json::{Value, json};

use crate::*;

/// The machine the figures came from.
#[derive(Clone, Debug)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    pub rustc: String,
    pub kernel: String,
    /// `(crate, version)` of the contenders and the harness, from `Cargo.lock`.
    pub crates: Vec<(String, String)>,
}

impl Machine {
    /// This machine.
    pub fn detect() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, m)| m.trim().to_owned())
            .unwrap_or_else(|| "unknown".to_owned());
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        let rustc = std::process::Command::new(rustc)
            .arg("--version")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_owned())
            .unwrap_or_else(|| "unknown".to_owned());
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| format!("Linux {}", s.trim()))
            .unwrap_or_else(|_| std::env::consts::OS.to_owned());
        let lock = std::fs::read_to_string(workspace_root().join("Cargo.lock")).unwrap_or_default();
        let crates = [
            "p256",
            "aws-lc-rs",
            "ring",
            "jsonwebtoken",
            "jwt-simple",
            "josekit",
            "openssl",
            "criterion",
        ]
        .iter()
        .map(|name| (name.to_string(), locked_versions(&lock, name).join(", ")))
        .collect();
        Machine {
            cpus: std::thread::available_parallelism().map_or(0, usize::from),
            cpu_model,
            rustc,
            kernel,
            crates,
        }
    }
}

/// What a bench run measures, recorded in `RUN_FILE` by the benches as they run (the report is
/// written later, maybe from another checkout): the commit checked out, whether tracked files
/// had uncommitted changes, and the corpus under `vectors/` (its vector count and version). A
/// field that cannot be read (no git, no corpus) is `null`.
pub fn provenance() -> Value {
    let root = workspace_root();
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(&root)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let corpus = ::corpus::set::Corpus::load(&root.join("vectors")).ok();
    json!({
        "commit": git(&["rev-parse", "HEAD"]),
        "uncommitted_changes": git(&["status", "--porcelain", "--untracked-files=no"])
            .map(|changes| !changes.is_empty()),
        "corpus": corpus.map(|c| json!({"vectors": c.vectors.len(), "version": c.version})),
    })
}

/// The machine table's `commit` and `corpus` cells, from the run's recorded provenance.
pub(crate) fn provenance_cells(run: Option<&Value>) -> (String, String) {
    let recorded = run.map(|r| &r["provenance"]);
    let commit = match recorded.and_then(|p| p["commit"].as_str()) {
        Some(commit) => {
            let short = commit.get(..12).unwrap_or(commit);
            match recorded.and_then(|p| p["uncommitted_changes"].as_bool()) {
                Some(false) => format!("`{short}`"),
                Some(true) => format!("`{short}` with uncommitted changes"),
                None => format!("`{short}` (uncommitted changes unknown)"),
            }
        }
        None => "not recorded".to_owned(),
    };
    let corpus = recorded.map(|p| &p["corpus"]);
    let corpus = match (
        corpus.and_then(|c| c["vectors"].as_u64()),
        corpus.and_then(|c| c["version"].as_str()),
    ) {
        (Some(n), Some(version)) => format!("{n} vectors (`{version}`)"),
        _ => "not recorded".to_owned(),
    };
    (commit, corpus)
}

/// Every version of `name` in a `Cargo.lock`.
pub(crate) fn locked_versions(lock: &str, name: &str) -> Vec<String> {
    let mut versions = Vec::new();
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{name}\"")
            && let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
        {
            versions.push(v.trim_matches('"').to_owned());
        }
    }
    versions
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the benches record is this checkout: its corpus as the loader counts it and, in a
    /// git checkout, a full commit hash.
    #[test]
    fn provenance_is_this_checkout() {
        let p = provenance();
        let vectors = ::corpus::load::load_dir(&workspace_root().join("vectors")).unwrap();
        assert_eq!(p["corpus"]["vectors"].as_u64(), Some(vectors.len() as u64));
        if workspace_root().join(".git").exists() {
            let commit = p["commit"].as_str().unwrap_or_default();
            assert!(
                commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()),
                "{p}"
            );
            assert!(p["uncommitted_changes"].is_boolean(), "{p}");
        }
    }

    #[test]
    fn locked_versions_reads_cargo_lock() {
        let lock = "[[package]]\nname = \"p256\"\nversion = \"0.13.2\"\n\n[[package]]\nname = \"p256\"\nversion = \"0.14.0\"\n";
        assert_eq!(locked_versions(lock, "p256"), ["0.13.2", "0.14.0"]);
    }
}
