//! The reference verifier against the runner's in-process third-party adapters
//! (`thirdparty::libraries`), on each input token and on the same token re-signed with the
//! pinned key (so mutated headers and claims get past the signature; not signed when the
//! reference refuses it before the signature for a reason that is no finding, since nothing
//! would then look at it). When a library accepts a token that the reference rejects for a
//! reason whose acceptance breaks a binding clause (`corpus::triage`), a finding is written to
//! `fuzz/findings/` (one per library and reason per run and findings directory); the target
//! only crashes on a panic, its own or a library's.
#![no_main]

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use corpus::triage;
use jwt_conformance_fuzz::finding::Finding;
use jwt_conformance_fuzz::thirdparty;
use jwt_conformance_fuzz::{oracle, world};
use libfuzzer_sys::fuzz_target;
use verifier::Reason;

/// (library, reason) pairs already written, seeded from the findings directory.
fn reported() -> &'static Mutex<HashSet<(String, String)>> {
    static SEEN: OnceLock<Mutex<HashSet<(String, String)>>> = OnceLock::new();
    SEEN.get_or_init(|| {
        let mut seen = HashSet::new();
        let dir = std::env::var_os("JWT_FUZZ_FINDINGS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/findings").into());
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            if let Ok(f) = serde_json::from_str::<Finding>(&text)
                && let Some(lib) = f.library
            {
                seen.insert((lib, f.reference));
            }
        }
        Mutex::new(seen)
    })
}

fn time_based(reason: Reason) -> bool {
    matches!(
        reason,
        Reason::Expired | Reason::NotYetValid | Reason::IatFuture | Reason::ExpUpperBound
    )
}

fn check(token: &[u8]) {
    let reference = world::baseline_verifier().verify(token, world::NOW);
    let rejection = match reference {
        Ok(claims) => {
            if let Err(why) =
                oracle::check_accepted(token, &claims.to_map(), world::baseline_key_for)
            {
                panic!("accept oracle: {why}");
            }
            return;
        }
        Err(r) => r,
    };
    // Binding reasons only; a merely deep document is a local bound (`of_rejection`).
    if !triage::of_rejection(rejection.reason, token) {
        return;
    }
    let described = format!("reject ({})", rejection.reason);
    for lib in thirdparty::libraries() {
        if !lib.accepts(token) {
            continue;
        }
        if !lib.injects_time && time_based(rejection.reason) {
            // The library read the system clock: judge it at that time too.
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(world::NOW, |d| d.as_secs() as i64);
            match world::baseline_verifier().verify(token, now) {
                Err(r) if triage::of_rejection(r.reason, token) => {}
                _ => continue,
            }
        }
        let key = (lib.name.clone(), described.clone());
        let fresh = reported()
            .lock()
            .map(|mut s| s.insert(key))
            .unwrap_or(false);
        if !fresh {
            continue;
        }
        let mut finding = Finding::new(
            "differential",
            "third_party_accept",
            token,
            described.clone(),
            "accept".into(),
        );
        finding.library = Some(lib.name.clone());
        finding.severity = Some("must".into());
        let path = finding.write();
        eprintln!(
            "FINDING: {} accepts a token the reference rejects ({}): {path:?}",
            lib.name, rejection.reason
        );
    }
}

/// Encoded length of an ES256 signature (64 bytes).
const SIG_B64_LEN: usize = 86;

/// `header.payload` of the input, signed with the pinned key; `None` for an input with no dot,
/// and for one whose re-signed token `check` would not look past the reference's verdict.
fn resign(data: &[u8]) -> Option<Vec<u8>> {
    let mut dots = data
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'.')
        .map(|(i, _)| i);
    let first = dots.next()?;
    let end = dots.next().unwrap_or(data.len());
    debug_assert!(first < end);
    let input = &data[..end];
    let mut token = Vec::with_capacity(end + 1 + SIG_B64_LEN);
    token.extend_from_slice(input);
    token.push(b'.');
    // The re-signed token differs from this stand-in only inside the signature segment (same
    // length, both base64url), so the stages before the signature give both the same verdict.
    // When they reject for a reason that is no finding (size, lax base64, an extra or a
    // key-carrying header member, a repeated name, a merely deep header), `check` stops at the
    // reference's verdict and never reaches a library or the accept oracle: signing (RFC 6979,
    // as costly as a verification) would be wasted.
    token.resize(token.len() + SIG_B64_LEN, b'A');
    let mut scratch = verifier::rules::header::HeaderBuf::default();
    let profile = world::baseline_verifier().profile();
    if let Err(r) = verifier::check_envelope_and_header(&token, profile, &mut scratch)
        && !triage::of_rejection(r.reason, &token)
    {
        return None;
    }
    token.truncate(end + 1);
    token.extend_from_slice(forge::b64(world::es256(forge::KID, input)).as_bytes());
    debug_assert_eq!(token.len(), end + 1 + SIG_B64_LEN);
    Some(token)
}

fuzz_target!(|data: &[u8]| {
    check(data);
    if let Some(token) = resign(data)
        && token != data
    {
        check(&token);
    }
});
