//! Names and text helpers shared by the judge, the reports and the adapters.

use crate::vector::{Feature, Severity};

/// The snake_case name of a feature, as vectors spell it.
pub fn feature_name(f: Feature) -> String {
    serde_json::to_value(f)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// `must` or `profile`.
pub fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Must => "must",
        Severity::Profile => "profile",
    }
}

/// Reads a file of at most `max` bytes: a larger one is refused, not read in full.
pub fn read_bounded(path: &std::path::Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > max {
        return Err(format!("larger than {max} bytes"));
    }
    Ok(bytes)
}

/// The first line of `text`, at most `max` characters, for tables and summaries.
pub fn one_line(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    let mut out: String = line.chars().take(max).collect();
    if line.chars().count() > max || text.lines().nth(1).is_some() {
        out.push('…');
    }
    out
}

/// Removes what could differ between two runs of the same library (addresses) and what should
/// not be published (tokens, or base64url runs that look like parts of one, become `‹token›`).
pub fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("0x") {
        out.push_str(&rest[..at]);
        let hex = rest[at + 2..]
            .bytes()
            .take_while(u8::is_ascii_hexdigit)
            .count();
        if hex >= 8 {
            out.push_str("0x…");
        } else {
            out.push_str(&rest[at..at + 2 + hex]);
        }
        rest = &rest[at + 2 + hex..];
    }
    out.push_str(rest);
    scrub_tokens(&out)
}

/// Replaces every run of base64url characters and dots that starts like a JOSE header (`eyJ`)
/// or holds a segment of 20 or more characters mixing upper case, lower case and digits (random
/// base64url does; words, identifiers and snake_case names do not) with `‹token›`.
fn scrub_tokens(text: &str) -> String {
    let is_run = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let looks_like_token = |run: &str| {
        run.starts_with("eyJ") && run.len() >= 8
            || run.split('.').any(|seg| {
                seg.len() >= 20
                    && seg.bytes().any(|b| b.is_ascii_uppercase())
                    && seg.bytes().any(|b| b.is_ascii_lowercase())
                    && seg.bytes().any(|b| b.is_ascii_digit())
            })
    };
    let flush = |out: &mut String, run: &str| {
        if looks_like_token(run) {
            out.push_str("‹token›");
        } else {
            out.push_str(run);
        }
    };
    let mut out = String::with_capacity(text.len());
    let mut run_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (is_run(c), run_start) {
            (true, None) => run_start = Some(i),
            (true, Some(_)) => {}
            (false, Some(start)) => {
                flush(&mut out, &text[start..i]);
                run_start = None;
                out.push(c);
            }
            (false, None) => out.push(c),
        }
    }
    if let Some(start) = run_start {
        flush(&mut out, &text[start..]);
    }
    out
}
