//! `cargo run -p tools -- <command>`: corpus generation and maintenance.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod crash;
mod fuzz_seeds;
mod generate;
mod hunt;
mod stats;

#[derive(Parser)]
#[command(about = "jwt-conformance corpus tools")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the whole corpus under vectors/ (with --check: regenerate in memory and compare).
    Generate {
        #[arg(long)]
        check: bool,
        #[arg(long, default_value = "vectors")]
        out: PathBuf,
    },
    /// Print corpus counts by category, reason, severity and feature.
    Stats {
        #[arg(long, default_value = "vectors")]
        vectors: PathBuf,
    },
    /// Write fuzz seed corpora derived from the vectors.
    FuzzSeeds {
        #[arg(long, default_value = "vectors")]
        vectors: PathBuf,
        #[arg(long, default_value = "fuzz/seeds")]
        out: PathBuf,
    },
    /// Turn a minimized fuzz crash or finding into a regression vector.
    CrashToVector {
        file: PathBuf,
        #[arg(long, default_value = "vectors/regressions")]
        out: PathBuf,
        /// The fuzz target of a raw crash input (default: from the path, `artifacts/<target>/`).
        #[arg(long)]
        target: Option<String>,
        /// Date recorded in the provenance (default: the finding's, else the file's mtime).
        #[arg(long)]
        date: Option<String>,
        /// A reviewer's severity (default: profile, or what the existing file says).
        #[arg(long, value_parser = ["must", "profile"])]
        severity: Option<String>,
        /// A reviewer's basis, comma-separated IDs of docs/normative.md (default: the catalogue
        /// rule of the expected reason, or what the existing file says).
        #[arg(long, value_delimiter = ',')]
        basis: Option<Vec<String>>,
    },
    /// Turn a reviewed `conformance hunt` draft into a row of the `hunt` family and its vector
    /// (docs/hunt.md, "From a draft to a vector").
    HuntToVector {
        draft: PathBuf,
        /// A reviewer's severity (default: profile, or what the draft's row says).
        #[arg(long, value_parser = ["must", "profile"])]
        severity: Option<String>,
        /// A reviewer's basis, comma-separated IDs of docs/normative.md (default: the catalogue
        /// rule of the expected reason, or what the draft's row says).
        #[arg(long, value_delimiter = ',')]
        basis: Option<Vec<String>>,
        /// Other outcomes that conform, comma-separated: accept, reject, config_error, reason IDs,
        /// configuration-error codes, reject:ID, config_error:CODE; `none` clears the list.
        #[arg(long, value_delimiter = ',')]
        acceptable: Option<Vec<String>>,
        /// One line: what the vector checks (default: the draft's, or what its row says).
        #[arg(long)]
        description: Option<String>,
        /// The vector's name within hunt/ (default: the draft's hex, or what its row says).
        #[arg(long)]
        name: Option<String>,
        /// The family's data file.
        #[arg(long, default_value = "tools/src/generate/families/hunt.json")]
        data: PathBuf,
        /// The corpus folder; the vector is written to <VECTORS>/hunt/<name>.json.
        #[arg(long, default_value = "vectors")]
        vectors: PathBuf,
    },
}

/// `must` or `profile`, as clap's value parser admits them.
fn severity(s: &str) -> corpus::vector::Severity {
    match s {
        "must" => corpus::vector::Severity::Must,
        _ => corpus::vector::Severity::Profile,
    }
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Generate { check, out } => generate::run(&out, check),
        Command::Stats { vectors } => stats::run(&vectors),
        Command::FuzzSeeds { vectors, out } => fuzz_seeds::run(&vectors, &out),
        Command::CrashToVector {
            file,
            out,
            target,
            date,
            severity,
            basis,
        } => {
            let review = crash::Review {
                severity: severity.as_deref().map(self::severity),
                basis,
            };
            crash::run(&file, &out, target.as_deref(), date.as_deref(), &review)
        }
        Command::HuntToVector {
            draft,
            severity,
            basis,
            acceptable,
            description,
            name,
            data,
            vectors,
        } => acceptable
            .as_deref()
            .map(hunt::parse_acceptable)
            .transpose()
            .and_then(|acceptable| {
                let review = hunt::Review {
                    severity: severity.as_deref().map(self::severity),
                    basis,
                    acceptable,
                    description,
                    name,
                };
                hunt::run(&draft, &data, &vectors, &review)
            }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tools: {message}");
            ExitCode::FAILURE
        }
    }
}
