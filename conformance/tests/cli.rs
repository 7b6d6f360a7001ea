//! The `conformance` binary: default run, formats, exit codes, adapter listing.

mod common;

use std::process::Command;

use serde_json::Value;

fn conformance(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(args)
        .output()
        .expect("the conformance binary runs")
}

#[test]
fn run_reference_writes_json_and_exits_zero() {
    let dir = common::corpus_dir("cli-json");
    let out = conformance(&[
        "run",
        "--vectors",
        dir.to_str().unwrap(),
        "--format",
        "json",
        "--no-progress",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["header"]["adapter"], "reference");
    assert_eq!(json["summary"]["total"]["pass"], 7);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_weaker_library_fails_the_run_unless_exit_zero() {
    let dir = common::corpus_dir("cli-junit");
    let report = dir.join("report.xml");
    let vectors = dir.to_str().unwrap();
    let failing = conformance(&[
        "run",
        "--adapter",
        "jwt-compact",
        "--vectors",
        vectors,
        "--no-progress",
    ]);
    assert_eq!(failing.status.code(), Some(1));
    let out = conformance(&[
        "run",
        "--adapter",
        "jwt-compact",
        "--vectors",
        vectors,
        "--format",
        "junit",
        "--output",
        report.to_str().unwrap(),
        "--exit-zero",
        "--no-progress",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let xml = std::fs::read_to_string(&report).unwrap();
    assert!(xml.contains("<testsuites"), "{xml}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("jwt-compact: 7 vectors"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn filters_and_unknown_adapters() {
    let dir = common::corpus_dir("cli-filter");
    let vectors = dir.to_str().unwrap();
    let out = conformance(&[
        "run",
        "--vectors",
        vectors,
        "--filter",
        "alg/*",
        "--format",
        "json",
        "--no-progress",
    ]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["total"]["vectors"], 1);
    let bogus = conformance(&["run", "--adapter", "bogus", "--vectors", vectors]);
    assert_eq!(bogus.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bogus.stderr).contains("unknown adapter"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn list_adapters_names_every_shipped_adapter() {
    let out = conformance(&["list-adapters", "--format", "json"]);
    assert!(out.status.success());
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    for name in [
        "reference",
        "jsonwebtoken",
        "jwt-simple",
        "jwt-compact",
        "josekit",
        "pyjwt",
        "jose",
        "pyjwt+hardened",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    assert_eq!(rows[0]["info"]["capabilities"]["exact"], true);
}
