//! `tools hunt-to-vector` on the command line: the fixture draft (vectors/typ/jwt.json made a
//! `conformance hunt` draft) into a temporary data file and corpus folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tools(args: &[&str], dir: &Path) -> Output {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hunt-draft.json");
    Command::new(env!("CARGO_BIN_EXE_tools"))
        .arg("hunt-to-vector")
        .arg(&fixture)
        .arg("--data")
        .arg(dir.join("hunt.json"))
        .arg("--vectors")
        .arg(dir.join("vectors"))
        .args(args)
        .output()
        .expect("the tools binary runs")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hunt-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("hunt.json"), "[]\n").unwrap();
    dir
}

#[test]
fn the_command_writes_a_row_and_a_vector_and_refuses_a_weak_must() {
    let dir = temp("cli");
    let refused = tools(&["--severity", "must"], &dir);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("no basis is a binding clause"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("hunt.json")).unwrap(),
        "[]\n"
    );

    let bad = tools(&["--acceptable", "maybe"], &dir);
    assert_eq!(bad.status.code(), Some(1));

    let args = [
        "--severity",
        "must",
        "--basis",
        "RFC9068-4-typ,M13",
        "--acceptable",
        "accept",
        "--description",
        "typ JWT where at+jwt is required",
        "--name",
        "typ-jwt",
    ];
    let done = tools(&args, &dir);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let path = dir.join("vectors/hunt/typ-jwt.json");
    let vector = corpus::load::load_vector(&path).unwrap();
    assert_eq!(vector.id, "hunt/typ-jwt");
    assert_eq!(vector.basis, ["RFC9068-4-typ", "M13"]);
    let rows: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("hunt.json")).unwrap()).unwrap();
    assert_eq!(rows[0]["name"], "typ-jwt");
    assert_eq!(rows[0]["severity"], "must");
    let _ = std::fs::remove_dir_all(&dir);
}
