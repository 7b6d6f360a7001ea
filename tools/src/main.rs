//! `cargo run -p tools -- <command>`: corpus generation and maintenance.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod crash;
mod fuzz_seeds;
mod generate;
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
                severity: severity.map(|s| match s.as_str() {
                    "must" => corpus::vector::Severity::Must,
                    _ => corpus::vector::Severity::Profile,
                }),
                basis,
            };
            crash::run(&file, &out, target.as_deref(), date.as_deref(), &review)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tools: {message}");
            ExitCode::FAILURE
        }
    }
}
