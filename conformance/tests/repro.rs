//! Every shipped library's gravest finding is reproduced outside the suite.
//!
//! Each library in `adapters::LIBRARIES` names a standalone snippet in its own language that
//! embeds one vector's token and shows the library's behaviour on it, or `None` when the library
//! has no `must` failure. This test holds each snippet to the published findings:
//! - it names its vector (`Reproduces: ID (IMPACT)`), the one `LIBRARIES` names, a vector of the
//!   corpus whose token it carries;
//! - `docs/findings.md` lists that vector in the library's gravest impact group, and that group's
//!   impact is the one the snippet names;
//! - run as `scripts/setup.sh` installed it, it prints `REPRODUCED ID: …` and exits 0
//!   (the Rust snippets are test targets of their own, `tests/repro_*.rs`, which cargo runs);
//! - a library without a snippet has no `must` failure in `docs/findings.md`;
//! - each of its `more_repros`, one per other root cause of a `forgery` finding, holds to the
//!   same rules for a vector of the library's `forgery` group.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use conformance::adapters::{LIBRARIES, Library, Repro, ShippedProcess};
use conformance::runner::Corpus;
use corpus::vector::TokenSpec;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_path_buf()
}

fn findings() -> String {
    std::fs::read_to_string(root().join("docs/findings.md")).expect("docs/findings.md")
}

/// The library's section of `docs/findings.md`: from its `## NAME` heading to the next one.
fn section<'a>(findings: &'a str, name: &str) -> Option<&'a str> {
    let start = findings.find(&format!("\n## {name}\n"))? + 1;
    let rest = &findings[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 4);
    Some(&rest[..end])
}

/// The gravest impact group of a section: its first `### IMPACT: N vector(s)` heading and the
/// text up to the next impact group.
fn gravest_group(section: &str) -> Option<(&str, &str)> {
    let start = section.find("\n### ")? + 5;
    let rest = &section[start..];
    let impact = rest.split(':').next()?;
    let end = rest.find("\n### ").unwrap_or(rest.len());
    Some((impact, &rest[..end]))
}

/// `(vector ID, impact)` from the snippet's `Reproduces: ID (IMPACT)` line.
fn reproduces(source: &str) -> Option<(String, String)> {
    let line = source.lines().find_map(|l| {
        l.split_once("Reproduces: ")
            .map(|(_, rest)| rest.trim().to_owned())
    })?;
    let (id, impact) = line.split_once(" (")?;
    Some((id.to_owned(), impact.trim_end_matches(')').to_owned()))
}

/// Whether `source` carries `token`: every run of 16 or more base64url characters of the token
/// appears in the source's base64url characters, so a token split into several string literals,
/// or written with its language's escapes for the other bytes, counts.
fn carries(source: &str, token: &str) -> bool {
    let base64url = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let letters: String = source.chars().filter(|&c| base64url(c)).collect();
    let runs: Vec<&str> = token
        .split(|c: char| !base64url(c))
        .filter(|run| run.len() >= 16)
        .collect();
    !runs.is_empty() && runs.iter().all(|run| letters.contains(run))
}

/// How to run a snippet: with its adapter's interpreter, or the binary setup built.
fn command(lib: &Library, repro: &str) -> Result<Option<Command>, String> {
    let root = root();
    if repro.ends_with(".rs") {
        return Ok(None);
    }
    let process = ShippedProcess::named(lib.name).expect("a shipped subprocess adapter");
    let dir = root.join(process.dir);
    let mut command = if process.script.is_some() {
        let argv = process.argv(&root)?;
        let mut c = Command::new(&argv[0]);
        c.arg(root.join(repro));
        c
    } else {
        // Setup builds `repro.c` or `repro/main.go` as `bin/repro`, and `repro-SHORT.c` or
        // `repro-SHORT/main.go` as `bin/repro-SHORT`.
        let path = Path::new(repro);
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let binary = if stem == "main" {
            path.parent()
                .and_then(|p| p.file_name())
                .and_then(|n| n.to_str())
                .unwrap_or_default()
        } else {
            stem
        };
        Command::new(dir.join("bin").join(binary))
    };
    command.current_dir(dir);
    Ok(Some(command))
}

/// Runs `command` with a deadline: a snippet that hangs fails the test instead of stalling it.
fn run(mut command: Command) -> (bool, String, String) {
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while child.try_wait().expect("wait").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("{command:?} ran for over 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The impact groups of a section, each `(IMPACT, text up to the next group)`, gravest first.
fn groups(section: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = section;
    while let Some((impact, group)) = gravest_group(rest) {
        out.push((impact, group));
        // `group` is a slice of `rest`: go on after it.
        let consumed = group.as_ptr() as usize - rest.as_ptr() as usize + group.len();
        rest = &rest[consumed..];
    }
    out
}

/// Which finding a snippet must hold: the library's gravest, or one of its `forgery` ones.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Gravest,
    Forgery,
}

/// Every problem with one snippet: its `Reproduces:` line, the token it carries, its place in
/// `docs/findings.md`, and what it prints when run.
fn check_snippet(
    lib: &Library,
    repro: Repro,
    role: Role,
    corpus: &Corpus,
    section: Option<&str>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let Repro {
        path: repro,
        vector: named,
    } = repro;
    let source = match std::fs::read_to_string(root().join(repro)) {
        Ok(s) => s,
        Err(e) => return vec![format!("{}: {repro}: {e}", lib.name)],
    };
    let Some((id, impact)) = reproduces(&source) else {
        return vec![format!(
            "{}: {repro} has no `Reproduces: ID (IMPACT)` line",
            lib.name
        )];
    };
    if id != named {
        problems.push(format!(
            "{}: {repro} reproduces {id}, adapters::LIBRARIES says {named}",
            lib.name
        ));
    }
    let Some(vector) = corpus.vectors.iter().find(|v| v.id == id) else {
        problems.push(format!("{}: {repro} names {id}, not a vector", lib.name));
        return problems;
    };
    // A live vector's token names the server's origin, so its snippet mints it: it must
    // carry the minting key.
    let carried = vector.steps().iter().any(|s| match &s.token {
        TokenSpec::Text(t) | TokenSpec::Base64(t) => carries(&source, t),
        TokenSpec::Mint(mint) => mint
            .key
            .get("d")
            .and_then(|d| d.as_str())
            .is_some_and(|d| source.contains(d)),
        TokenSpec::Recipe(_) => false,
    });
    if !carried {
        problems.push(format!(
            "{}: {repro} does not carry the token of {id}",
            lib.name
        ));
    }
    let groups = section.map(groups).unwrap_or_default();
    let listed = |(group_impact, group): &(&str, &str)| {
        *group_impact == impact && group.contains(&format!("`{id}`"))
    };
    match (role, groups.first()) {
        (_, None) => problems.push(format!(
            "{}: findings.md has no must failure to reproduce",
            lib.name
        )),
        (Role::Gravest, Some(first)) if !listed(first) => problems.push(format!(
            "{}: {repro} reproduces {id} ({impact}), which is not listed in the library's gravest \
             group of findings.md ({})",
            lib.name, first.0
        )),
        (Role::Forgery, Some(_)) if impact != "forgery" || !groups.iter().any(listed) => problems
            .push(format!(
                "{}: {repro} reproduces {id} ({impact}), which is not among the library's forgery \
                 findings in findings.md",
                lib.name
            )),
        _ => {}
    }
    let command = match command(lib, repro) {
        Ok(command) => command,
        Err(e) => {
            problems.push(e);
            return problems;
        }
    };
    if let Some(command) = command {
        let (ok, stdout, stderr) = run(command);
        let said = stdout.lines().next().unwrap_or_default();
        if !ok || !said.starts_with(&format!("REPRODUCED {id}: ")) {
            problems.push(format!(
                "{}: {repro} did not reproduce {id}: {said} {}",
                lib.name,
                stderr.lines().last().unwrap_or_default()
            ));
        }
    }
    problems
}

#[test]
fn every_library_reproduces_its_gravest_finding_or_has_none() {
    let corpus = Corpus::load(&root().join("vectors")).expect("vectors/");
    let findings = findings();
    let mut problems = Vec::new();
    for lib in &LIBRARIES {
        let section = section(&findings, lib.name);
        let Some(repro) = lib.repro else {
            // The summary row: `| [NAME](#NAME) | VERSION | MUST RUN | MUST FAILURES | …`.
            let row = findings
                .lines()
                .find(|l| l.starts_with(&format!("| [{}](#", lib.name)));
            let failures = row.and_then(|r| r.split('|').nth(4)).map(str::trim);
            if failures != Some("0") || section.is_some_and(|s| !groups(s).is_empty()) {
                problems.push(format!(
                    "{}: no snippet, but findings.md lists must failures",
                    lib.name
                ));
            }
            continue;
        };
        problems.extend(check_snippet(lib, repro, Role::Gravest, &corpus, section));
        for more in lib.more_repros {
            problems.extend(check_snippet(lib, *more, Role::Forgery, &corpus, section));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_findings_parser_reads_sections_and_groups() {
    let page = "# Findings\n\n## a\n\nx\n\n### forgery: 1 vector(s)\n\n| [`v/1`](..) |\n\n### parser-laxity: 2 vector(s)\n\n| [`v/2`](..) |\n\n## b\n\ny\n";
    let a = section(page, "a").unwrap();
    assert!(a.starts_with("## a") && !a.contains("## b"));
    assert_eq!(
        gravest_group(a).map(|(i, g)| (i, g.contains("`v/1`"), g.contains("`v/2`"))),
        Some(("forgery", true, false))
    );
    assert_eq!(gravest_group(section(page, "b").unwrap()), None);
    let impacts: Vec<&str> = groups(a).into_iter().map(|(i, _)| i).collect();
    assert_eq!(impacts, ["forgery", "parser-laxity"]);
    assert_eq!(section(page, "c"), None);
    assert!(carries(
        "t = 'eyJhbGciOiJFUzI1NiJ9' + '.' + \"eyJzdWIiOiJhYmMifQ\\n\"",
        "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhYmMifQ\n"
    ));
    assert!(carries(
        "T = (\"eyJhbGciOiJF\"\n  \"UzI1NiJ9.eyJzdWIiOiJhYmMifQ\")",
        "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhYmMifQ"
    ));
    assert!(!carries(
        "eyJhbGciOiJFUzI1NiJ9",
        "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhYmMifQ"
    ));
    assert!(!carries("anything", "a.b.c"));
    assert_eq!(
        reproduces("//! Reproduces: header/crit-b64 (policy-bypass)\n"),
        Some(("header/crit-b64".into(), "policy-bypass".into()))
    );
}
