//! `jwt-verify`: verify one token with the reference verifier and print one JSON line.
//!
//! ```text
//! jwt-verify --jwks FILE [--issuer ISS] [--audience AUD ...]
//!            [--profile FILE] [--now UNIX_SECONDS] [--token FILE]
//! ```
//! Exit status: 0 accept, 1 reject, 2 usage or configuration error (message on stderr only).
//!
//! The profile (`docs/profile.md`) chooses the preset, the algorithms, `typ`, the required
//! claims and, for ID tokens, the client and nonce. `--issuer` and `--audience` override the
//! profile's `issuer` and `audiences`; either may be left out when the profile names it or its
//! preset does not need it (`jwt` needs neither, `oidc-id-token` matches `aud` against its
//! `client_id`). The key set may hold keys of every type; it is loaded for the profile's
//! algorithms, so a key none of them can use refuses the set (`verifier/src/jwks.rs`).
//!
//! The CLI is fed by scripts and by people pasting things, so it is written for hostile input:
//!
//! - Every read is bounded. The token is read to at most the profile's `max_token_bytes` + 1
//!   bytes (+ 3 from standard input: room for the line ending it strips), enough for the
//!   verifier to give its own `oversized_token` rejection, so `--token /dev/zero` ends at once.
//!   The key set is read to [`MAX_JWKS_BYTES`] + 1 bytes (the verifier refuses anything longer)
//!   and the profile to [`MAX_PROFILE_BYTES`].
//! - Arguments are `OsString`s: a path may be any bytes the OS allows, while flags and the
//!   values of `--issuer`, `--audience` and `--now` must be UTF-8 (exit 2 otherwise).
//! - No argument value is ever echoed: a token or key pasted where a path or issuer belongs
//!   would otherwise land in a terminal, a CI log or a shell history scraper. Messages name
//!   the flag and the argument's position instead. Only an unknown argument that looks like a
//!   flag name (see [`looks_like_flag_name`]) is quoted back.
//! - A single-value flag given twice is an error rather than "last one wins": two `--jwks` in
//!   one command line are a mistake in a script, and silently picking one hides it.
#![forbid(unsafe_code)]

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::json;
use verifier::jwks::MAX_JWKS_BYTES;
use verifier::{ConfigError, KeySet, Profile, Verifier};

const USAGE: &str = "usage: jwt-verify --jwks FILE [--issuer ISS] [--audience AUD ...] \
                     [--profile FILE] [--now UNIX_SECONDS] [--token FILE]";

/// Largest profile file read. A profile is a few hundred bytes of settings; the cap only has to
/// stop `--profile /dev/zero` (or a token dump given by mistake) from filling memory.
const MAX_PROFILE_BYTES: usize = 64 * 1024;

/// Longest unknown argument quoted back in an error, see [`looks_like_flag_name`].
const MAX_ECHOED_FLAG_BYTES: usize = 24;

/// The flags, each taking one value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flag {
    Jwks,
    Issuer,
    Audience,
    Profile,
    Now,
    Token,
}

impl Flag {
    const ALL: [Flag; 6] = [
        Flag::Jwks,
        Flag::Issuer,
        Flag::Audience,
        Flag::Profile,
        Flag::Now,
        Flag::Token,
    ];

    fn name(self) -> &'static str {
        match self {
            Flag::Jwks => "--jwks",
            Flag::Issuer => "--issuer",
            Flag::Audience => "--audience",
            Flag::Profile => "--profile",
            Flag::Now => "--now",
            Flag::Token => "--token",
        }
    }

    fn from_name(name: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|flag| flag.name() == name)
    }
}

#[derive(Default)]
struct Args {
    jwks: Option<PathBuf>,
    issuer: Option<String>,
    audiences: Vec<String>,
    profile: Option<PathBuf>,
    now: Option<i64>,
    token: Option<PathBuf>,
}

/// Sets a single-value flag, refusing a second occurrence.
fn set_once<T>(slot: &mut Option<T>, value: T, flag: Flag, position: usize) -> Result<(), String> {
    if slot.is_some() {
        return Err(format!(
            "{} given more than once (argument {position}); only --audience may repeat",
            flag.name()
        ));
    }
    *slot = Some(value);
    Ok(())
}

/// Whether an unknown argument may be quoted back: a dash, then lowercase letters, digits and
/// dashes, short. A token always holds a `.`, a JWK a `{`, a PEM block capitals and spaces, and
/// a bare base64url key is longer than [`MAX_ECHOED_FLAG_BYTES`]: none of them qualifies.
fn looks_like_flag_name(arg: &str) -> bool {
    arg.len() <= MAX_ECHOED_FLAG_BYTES
        && arg.starts_with('-')
        && arg
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The message for an argument at a flag's place that is not a known flag.
fn unknown_argument(arg: &str, position: usize) -> String {
    if let Some((name, _)) = arg.split_once('=')
        && let Some(flag) = Flag::from_name(name)
    {
        return format!(
            "{name}=VALUE is not accepted (argument {position}, value not shown): write {} VALUE",
            flag.name()
        );
    }
    if looks_like_flag_name(arg) {
        format!("unknown argument {arg}\n{USAGE}")
    } else {
        format!("unknown argument {position} (not shown: it does not look like a flag)\n{USAGE}")
    }
}

/// Parses the arguments after the program name. Positions in messages count from 1.
fn parse_args(argv: impl IntoIterator<Item = OsString>) -> Result<Args, String> {
    let mut args = Args::default();
    let mut argv = argv.into_iter().zip(1usize..);
    while let Some((arg, position)) = argv.next() {
        let Some(text) = arg.to_str() else {
            return Err(format!(
                "argument {position} is not valid UTF-8 (not shown)"
            ));
        };
        if text == "--help" || text == "-h" {
            return Err(USAGE.to_owned());
        }
        // `-` alone and the empty string are values, not flags: both land here as positionals.
        if !(text.starts_with('-') && text.len() > 1) {
            return Err(format!(
                "unexpected argument {position} (not shown): jwt-verify takes no positional \
                 arguments; give the token with --token FILE or on standard input\n{USAGE}"
            ));
        }
        let flag = Flag::from_name(text).ok_or_else(|| unknown_argument(text, position))?;
        let (value, value_position) = argv
            .next()
            .ok_or_else(|| format!("{} needs a value", flag.name()))?;
        // The values of text flags must be UTF-8; paths are taken as the OS gave them.
        let utf8 = |value: OsString| {
            value.into_string().map_err(|_| {
                format!(
                    "the value of {} (argument {value_position}) is not valid UTF-8 (not shown)",
                    flag.name()
                )
            })
        };
        match flag {
            Flag::Jwks => set_once(&mut args.jwks, value.into(), flag, position)?,
            Flag::Profile => set_once(&mut args.profile, value.into(), flag, position)?,
            Flag::Token => set_once(&mut args.token, value.into(), flag, position)?,
            Flag::Issuer => set_once(&mut args.issuer, utf8(value)?, flag, position)?,
            Flag::Audience => args.audiences.push(utf8(value)?),
            Flag::Now => {
                let now = utf8(value)?
                    .parse()
                    .map_err(|_| "--now takes an integer (Unix seconds)")?;
                set_once(&mut args.now, now, flag, position)?;
            }
        }
    }
    Ok(args)
}

/// Reads at most `cap` bytes from `reader`: whatever is longer is cut, and the caller's size
/// check then refuses it, so an endless source costs `cap` bytes and no more.
fn read_capped(reader: impl Read, cap: usize) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let limit = u64::try_from(cap).unwrap_or(u64::MAX);
    reader.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads the file given to `flag`, at most `cap` bytes. The message names the flag and the I/O
/// error but never the path: it may be a token or key pasted in the wrong place.
fn read_file(path: &Path, flag: Flag, cap: usize) -> Result<Vec<u8>, String> {
    File::open(path)
        .and_then(|file| read_capped(file, cap))
        .map_err(|e| format!("cannot read the {} file ({e})", flag.name()))
}

/// Reads the token: a file exactly as it is, or stdin less one trailing `\n` or `\r\n`, in both
/// cases to at most `max_bytes` + 1 bytes of token, so the verifier's own size rule still
/// rejects an oversized token as `oversized_token`.
fn read_token(path: Option<&Path>, max_bytes: usize) -> Result<Vec<u8>, String> {
    if let Some(path) = path {
        return read_file(path, Flag::Token, max_bytes.saturating_add(1)).map_err(|e| {
            format!("{e}; --token takes a file path, the token itself goes on standard input")
        });
    }
    // Two more bytes for the line ending: whatever is cut still has more than `max_bytes` left
    // after stripping, so truncation never turns an oversized input into an acceptable one.
    let mut token = read_capped(io::stdin().lock(), max_bytes.saturating_add(3))
        .map_err(|e| format!("cannot read standard input ({e})"))?;
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
        Some(path) => {
            let bytes = read_file(path, Flag::Profile, MAX_PROFILE_BYTES + 1)?;
            if bytes.len() > MAX_PROFILE_BYTES {
                return Err(format!(
                    "the --profile file is larger than {MAX_PROFILE_BYTES} bytes"
                ));
            }
            Profile::from_json(&bytes).map_err(|e| e.to_string())?
        }
        None => Profile::default(),
    };
    if let Some(issuer) = &args.issuer {
        profile.issuer = Some(issuer.clone());
    }
    if !args.audiences.is_empty() {
        profile.audiences = args.audiences.clone();
    }
    // Before the key set: which keys load depends on the profile's algorithms.
    profile.validate().map_err(|e| match e {
        ConfigError::MissingIssuer => {
            "--issuer is required (or set \"issuer\" in the profile)".into()
        }
        ConfigError::MissingAudience => {
            "--audience is required (or set \"audiences\" in the profile)".into()
        }
        other => other.to_string(),
    })?;
    // One byte over the cap is enough for the key set parser to say "too large".
    let bytes = read_file(jwks, Flag::Jwks, MAX_JWKS_BYTES + 1)?;
    let keys =
        KeySet::for_algorithms(&bytes, &profile.algorithms).map_err(|e| format!("--jwks: {e}"))?;
    Verifier::new(profile, keys).map_err(|e| e.to_string())
}

fn system_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn run() -> Result<bool, String> {
    let args = parse_args(std::env::args_os().skip(1))?;
    let verifier = build(&args)?;
    let token = read_token(args.token.as_deref(), verifier.profile().max_token_bytes)?;
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
    let mut out = io::stdout().lock();
    writeln!(out, "{line}").map_err(|e| format!("cannot write output ({e})"))?;
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
