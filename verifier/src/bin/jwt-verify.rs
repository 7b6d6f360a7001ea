//! `jwt-verify`: verify one token with the reference verifier and print one JSON line.
//!
//! ```text
//! jwt-verify --jwks FILE --issuer ISS --audience AUD [--audience AUD ...]
//!            [--profile FILE] [--now UNIX_SECONDS] [--token FILE]
//! ```
//! Exit status: 0 accept, 1 reject, 2 usage or configuration error (message on stderr only).
#![forbid(unsafe_code)]

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::json;
use verifier::{KeySet, Profile, Verifier};

const USAGE: &str = "usage: jwt-verify --jwks FILE --issuer ISS --audience AUD [--audience AUD ...] \
                     [--profile FILE] [--now UNIX_SECONDS] [--token FILE]";

#[derive(Default)]
struct Args {
    jwks: Option<String>,
    issuer: Option<String>,
    audiences: Vec<String>,
    profile: Option<String>,
    now: Option<i64>,
    token: Option<String>,
}

fn parse_args(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut args = Args::default();
    while let Some(flag) = argv.next() {
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.to_owned());
        }
        let value = argv.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--jwks" => args.jwks = Some(value),
            "--issuer" => args.issuer = Some(value),
            "--audience" => args.audiences.push(value),
            "--profile" => args.profile = Some(value),
            "--token" => args.token = Some(value),
            "--now" => {
                let now = value
                    .parse()
                    .map_err(|_| "--now takes an integer (Unix seconds)")?;
                args.now = Some(now);
            }
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    Ok(args)
}

fn read_file(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
}

/// Reads the token: a file exactly as it is, or stdin less one trailing `\n` or `\r\n`.
fn read_token(path: Option<&str>) -> Result<Vec<u8>, String> {
    if let Some(path) = path {
        return read_file(path);
    }
    let mut token = Vec::new();
    std::io::stdin()
        .read_to_end(&mut token)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    if token.ends_with(b"\r\n") {
        token.truncate(token.len() - 2);
    } else if token.ends_with(b"\n") {
        token.truncate(token.len() - 1);
    }
    Ok(token)
}

fn build(args: &Args) -> Result<Verifier, String> {
    let jwks = args.jwks.as_deref().ok_or("--jwks is required")?;
    let mut profile = match &args.profile {
        Some(path) => Profile::from_json(&read_file(path)?).map_err(|e| e.to_string())?,
        None => Profile::default(),
    };
    if let Some(issuer) = &args.issuer {
        profile.issuer = Some(issuer.clone());
    }
    if !args.audiences.is_empty() {
        profile.audiences = args.audiences.clone();
    }
    if profile.issuer.is_none() {
        return Err("--issuer is required (or set \"issuer\" in the profile)".into());
    }
    if profile.audiences.is_empty() {
        return Err("--audience is required (or set \"audiences\" in the profile)".into());
    }
    let keys = KeySet::from_jwks_json(&read_file(jwks)?).map_err(|e| format!("{jwks}: {e}"))?;
    Verifier::new(profile, keys).map_err(|e| e.to_string())
}

fn system_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn run() -> Result<bool, String> {
    let args = parse_args(std::env::args().skip(1))?;
    let verifier = build(&args)?;
    let token = read_token(args.token.as_deref())?;
    let now = args.now.unwrap_or_else(system_now);
    let (accepted, line) = match verifier.verify(&token, now) {
        Ok(claims) => (
            true,
            json!({"verdict": "accept", "claims": claims.into_map()}),
        ),
        Err(rejection) => (
            false,
            json!({
                "verdict": "reject",
                "reason": rejection.reason.id(),
                "m_id": rejection.reason.m_id(),
            }),
        ),
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}").map_err(|e| format!("cannot write output: {e}"))?;
    Ok(accepted)
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("jwt-verify: {message}");
            ExitCode::from(2)
        }
    }
}
