//! Regenerates `docs/performance.md` from criterion's output.
//!
//! ```sh
//! cargo run -p benches --bin perf-report [-- --criterion DIR] [--out FILE|-]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use benches::report::{Machine, Results, criterion_dir, render};
use benches::workspace_root;

fn main() -> ExitCode {
    let mut criterion = criterion_dir();
    let mut out = workspace_root().join("docs").join("performance.md");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--criterion", Some(dir)) => criterion = PathBuf::from(dir),
            ("--out", Some(file)) => out = PathBuf::from(file),
            _ => {
                eprintln!("usage: perf-report [--criterion DIR] [--out FILE|-]");
                return ExitCode::from(2);
            }
        }
    }
    let results = Results::load(&criterion);
    if results.is_empty() {
        eprintln!(
            "perf-report: no criterion estimates under {}; run `cargo bench -p benches` first",
            criterion.display()
        );
        return ExitCode::FAILURE;
    }
    let markdown = render(&results, &Machine::detect());
    if out.as_os_str() == "-" {
        print!("{markdown}");
        return ExitCode::SUCCESS;
    }
    if let Some(dir) = out.parent()
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        eprintln!("perf-report: cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    match std::fs::write(&out, markdown) {
        Ok(()) => {
            eprintln!(
                "perf-report: wrote {} from {}",
                out.display(),
                criterion.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("perf-report: cannot write {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}
