//! The packaging builds from what it copies. The paths the lean runner's build reads are derived
//! from the workspace's manifests and sources, not listed by hand: the workspace's members
//! (cargo loads every one), and for `conformance` and its path dependencies, each crate's
//! folder, the targets of its `include_str!`/`include_bytes!` and the `../` paths its build
//! script reads. The `Dockerfile`'s build stage must copy each of them (a missing member,
//! `keyserver/` once, made the image unbuildable while every path it did copy existed), the
//! Action's cache key must hash the runner's inputs, and every install line the project
//! documents or runs must keep the live key-set vectors (feature `live`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use toml_edit::{DocumentMut, Item};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("conformance/ is in the workspace")
        .to_path_buf()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn manifest(dir: &Path) -> DocumentMut {
    read(&dir.join("Cargo.toml"))
        .parse()
        .unwrap_or_else(|e| panic!("{}/Cargo.toml: {e}", dir.display()))
}

/// `path` relative to the root with `.`/`..` folded, `/`-separated.
fn normal(root: &Path, path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.strip_prefix(root).unwrap_or(path).components() {
        match c {
            Component::ParentDir => {
                assert!(
                    parts.pop().is_some(),
                    "{} leaves the workspace",
                    path.display()
                );
            }
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

/// The workspace's members, as paths from the root.
fn members(workspace: &DocumentMut) -> Vec<String> {
    workspace["workspace"]["members"]
        .as_array()
        .expect("[workspace] members")
        .iter()
        .map(|m| m.as_str().expect("a member is a path").to_owned())
        .collect()
}

/// The crate paths of `[workspace.dependencies]` entries with a `path`, by name.
fn workspace_paths(workspace: &DocumentMut) -> BTreeMap<String, String> {
    let Some(table) = workspace["workspace"]["dependencies"].as_table_like() else {
        return BTreeMap::new();
    };
    table
        .iter()
        .filter_map(|(name, dep)| Some((name.to_owned(), dep.get("path")?.as_str()?.to_owned())))
        .collect()
}

/// The path dependencies a build of the crate at `dir` reads (normal and build dependencies,
/// also target-specific ones; not dev-dependencies), as paths from the root.
fn path_deps(
    root: &Path,
    dir: &str,
    manifest: &DocumentMut,
    shared: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut tables: Vec<&Item> = ["dependencies", "build-dependencies"]
        .iter()
        .filter_map(|t| manifest.get(t))
        .collect();
    if let Some(targets) = manifest.get("target").and_then(Item::as_table_like) {
        for (_, target) in targets.iter() {
            tables.extend(
                ["dependencies", "build-dependencies"]
                    .iter()
                    .filter_map(|t| target.get(t)),
            );
        }
    }
    let mut out = Vec::new();
    for table in tables.into_iter().filter_map(Item::as_table_like) {
        for (name, dep) in table.iter() {
            if let Some(path) = dep.get("path").and_then(Item::as_str) {
                out.push(normal(root, &root.join(dir).join(path)));
            } else if dep
                .get("workspace")
                .and_then(Item::as_bool)
                .unwrap_or(false)
                && let Some(path) = shared.get(name)
            {
                out.push(path.clone());
            }
        }
    }
    out
}

/// The string literals that follow `marker` in `text` (`include_str!("` → its path).
fn literals_after<'a>(text: &'a str, marker: &str) -> Vec<&'a str> {
    text.match_indices(marker)
        .filter_map(|(at, _)| {
            let rest = &text[at + marker.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The files outside the crate folder `dir` that its build reads: the targets of
/// `include_str!`/`include_bytes!` in `src/` and `build.rs`, and the `../` paths the build
/// script joins to its manifest folder.
fn read_by_build(root: &Path, dir: &str) -> Vec<String> {
    let crate_dir = root.join(dir);
    let mut sources = vec![crate_dir.join("build.rs")];
    rust_files(&crate_dir.join("src"), &mut sources);
    let mut out = Vec::new();
    for file in sources.iter().filter(|f| f.is_file()) {
        let text = read(file);
        let folder = file.parent().expect("a file has a folder");
        for marker in ["include_str!(\"", "include_bytes!(\""] {
            out.extend(
                literals_after(&text, marker)
                    .into_iter()
                    .map(|p| normal(root, &folder.join(p))),
            );
        }
        if file.ends_with("build.rs") {
            out.extend(
                literals_after(&text, ".join(\"")
                    .into_iter()
                    .filter(|p| p.starts_with("../"))
                    .map(|p| normal(root, &crate_dir.join(p))),
            );
        }
    }
    out
}

/// Everything the lean runner's build reads: the crate folders of `conformance` and its path
/// dependencies (transitively), what they read outside their folders, and the lockfile.
fn runner_inputs(root: &Path) -> BTreeSet<String> {
    let workspace = manifest(root);
    let shared = workspace_paths(&workspace);
    let mut inputs = BTreeSet::from(["Cargo.toml".to_owned(), "Cargo.lock".to_owned()]);
    let mut todo = vec!["conformance".to_owned()];
    let mut crates = BTreeSet::new();
    while let Some(dir) = todo.pop() {
        if !crates.insert(dir.clone()) {
            continue;
        }
        let m = manifest(&root.join(&dir));
        todo.extend(path_deps(root, &dir, &m, &shared));
        inputs.extend(read_by_build(root, &dir));
    }
    inputs.extend(crates);
    inputs
}

/// What the image's build needs: the runner's inputs and every workspace member, since cargo
/// refuses a workspace with a member missing.
fn image_inputs(root: &Path) -> BTreeSet<String> {
    let mut inputs = runner_inputs(root);
    inputs.extend(members(&manifest(root)));
    inputs
}

/// The sources the `Dockerfile`'s first stage copies from the build context (`COPY` lines
/// without `--from`; every argument but the last).
fn build_stage_copies(dockerfile: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stages = 0;
    for line in dockerfile.replace("\\\n", " ").lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.first().map(|w| w.to_uppercase()).as_deref() {
            Some("FROM") => stages += 1,
            Some("COPY") if stages == 1 => {
                let args: Vec<&str> = words[1..]
                    .iter()
                    .copied()
                    .filter(|w| !w.starts_with("--"))
                    .collect();
                if words[1..].iter().any(|w| w.starts_with("--from")) {
                    continue;
                }
                out.extend(
                    args[..args.len() - 1]
                        .iter()
                        .map(|s| s.trim_end_matches('/').to_owned()),
                );
            }
            _ => {}
        }
    }
    out
}

/// Whether `.dockerignore`'s `pattern` excludes `path` (the forms the file uses: a path, which
/// excludes what is under it too, and `**/NAME`, any path with a component NAME).
fn ignored(pattern: &str, path: &str) -> bool {
    if let Some(name) = pattern.strip_prefix("**/") {
        assert!(
            !name.contains(['*', '?', '[']),
            "unsupported pattern {pattern}"
        );
        return path.split('/').any(|c| c == name);
    }
    assert!(
        !pattern.contains(['*', '?', '[', '!']),
        "unsupported .dockerignore pattern {pattern}: teach tests/packaging.rs"
    );
    path == pattern || path.starts_with(&format!("{pattern}/"))
}

/// The `needed` paths the build stage of `dockerfile` does not copy, or copies but
/// `dockerignore` leaves out of the context.
fn not_copied(dockerfile: &str, dockerignore: &str, needed: &BTreeSet<String>) -> Vec<String> {
    let copies = build_stage_copies(dockerfile);
    let patterns: Vec<&str> = dockerignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    needed
        .iter()
        .filter(|path| {
            let copied = copies
                .iter()
                .any(|c| c == "." || *path == c || path.starts_with(&format!("{c}/")));
            !copied || patterns.iter().any(|p| ignored(p, path))
        })
        .cloned()
        .collect()
}

#[test]
fn the_derived_inputs_are_the_ones_the_build_reads() {
    // Guards the derivation itself: were it to find nothing, every check below would pass.
    let inputs = image_inputs(&root());
    for path in [
        "Cargo.lock",
        "conformance",
        "verifier",
        "corpus",
        "keyserver",
        "forge",
        "tools",
        "benches",
        "docs/normative.md",
        "vectors",
        "docs/adapters.md",
    ] {
        assert!(inputs.contains(path), "{path} not derived: {inputs:?}");
    }
    assert!(
        !inputs.iter().any(|p| p.starts_with("adapters")),
        "the adapters are not build inputs: {inputs:?}"
    );
}

#[test]
fn the_dockerfile_copies_everything_the_build_reads() {
    let root = root();
    let missing = not_copied(
        &read(&root.join("Dockerfile")),
        &read(&root.join(".dockerignore")),
        &image_inputs(&root),
    );
    assert!(
        missing.is_empty(),
        "the Dockerfile does not copy {missing:?}"
    );
}

#[test]
fn every_copy_of_the_build_stage_is_needed_and_dropping_it_is_caught() {
    // Data-driven: the Dockerfile with one COPY line of its build stage removed must fail the
    // check (keyserver's, the bug this test was written for, among them).
    let root = root();
    let dockerfile = read(&root.join("Dockerfile"));
    let dockerignore = read(&root.join(".dockerignore"));
    let needed = image_inputs(&root);
    let build_stage: Vec<&str> = dockerfile
        .lines()
        .skip_while(|l| !l.starts_with("FROM"))
        .skip(1)
        .take_while(|l| !l.starts_with("FROM"))
        .filter(|l| l.starts_with("COPY") && !l.contains("--from"))
        .collect();
    assert!(
        build_stage.contains(&"COPY keyserver keyserver"),
        "{build_stage:?}"
    );
    for line in build_stage {
        let without = dockerfile.replacen(&format!("{line}\n"), "", 1);
        assert!(
            !not_copied(&without, &dockerignore, &needed).is_empty(),
            "without `{line}` the check still passes"
        );
    }
    // And a context that leaves a needed path out is caught as well.
    let missing = not_copied(&dockerfile, &format!("{dockerignore}\nvectors\n"), &needed);
    assert!(missing.contains(&"vectors".to_owned()), "{missing:?}");
    assert!(
        missing.iter().all(|p| p.starts_with("vectors")),
        "{missing:?}"
    );
}

#[test]
fn the_action_cache_key_hashes_every_input_of_the_runner() {
    let root = root();
    let key = read(&root.join("scripts/action/key.sh")).replace("\\\n", " ");
    let find = key
        .lines()
        .find_map(|l| l.split_once("$(find ").map(|(_, rest)| rest))
        .expect("key.sh lists its files with find");
    let hashed: Vec<&str> = find
        .split_whitespace()
        .take_while(|w| !w.starts_with('-'))
        .collect();
    let mut needed = runner_inputs(&root);
    // The features the runner is built with.
    needed.insert("scripts/action/install.sh".to_owned());
    let unhashed: Vec<&String> = needed
        .iter()
        .filter(|p| {
            !hashed
                .iter()
                .any(|h| *p == h || p.starts_with(&format!("{h}/")))
        })
        .collect();
    assert!(
        unhashed.is_empty(),
        "scripts/action/key.sh does not hash {unhashed:?}: a change there would reuse a stale runner"
    );
}

/// The shell and TOML lines that install or depend on the lean runner, in every file that
/// documents or runs one.
const INSTALLERS: [&str; 6] = [
    "README.md",
    "docs/maintainers.md",
    "Dockerfile",
    "scripts/action/install.sh",
    "scripts/maintainer/check.sh",
    "conformance/Cargo.toml",
];

/// The lean lines of `text` (continuation lines joined) that leave out `live`.
fn lean_without_live(text: &str) -> Vec<String> {
    text.replace("\\\n", " ")
        .lines()
        .filter(|l| {
            let install = l.contains("cargo install") && l.contains("--no-default-features");
            let dependency =
                l.contains("conformance = {") && l.contains("default-features = false");
            (install && !l.contains("--features live"))
                || (dependency && !l.contains("features = [\"live\"]"))
        })
        .map(|l| l.trim().to_owned())
        .collect()
}

#[test]
fn every_lean_install_keeps_the_live_vectors() {
    let root = root();
    for file in INSTALLERS {
        let text = read(&root.join(file));
        assert!(
            text.contains("--no-default-features --features live"),
            "{file}: no lean install line found"
        );
        let offending = lean_without_live(&text);
        assert!(
            offending.is_empty(),
            "{file}: a lean install without the live key-set vectors: {offending:?}"
        );
    }
    // The check can fail: the line every file used before `live` joined the lean install.
    assert_eq!(
        lean_without_live(
            "cargo install --locked --path conformance \\\n    --no-default-features --root x"
        )
        .len(),
        1
    );
    assert_eq!(
        lean_without_live("conformance = { git = \"u\", default-features = false }").len(),
        1
    );
}
