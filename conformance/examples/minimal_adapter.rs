//! A complete adapter in under 50 lines (`cargo run -p conformance --example minimal_adapter`).
use std::sync::Arc;

use conformance::adapter::{Adapter, AdapterInfo, Capabilities, Case, Outcome as Out};
use conformance::runner::{self, Corpus, RunOptions};
use conformance::vector::Feature::{Clock, Domain, JwksParsing, TokenCategory};
use verifier::{KeySet, Verifier};

pub struct MinimalAdapter;

impl Adapter for MinimalAdapter {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "minimal".into(),
            library: "verifier (Rust)".into(),
            version: "0.1.0".into(),
            capabilities: Capabilities::new([Clock, JwksParsing, Domain, TokenCategory]),
            notes: vec![],
        }
    }

    fn verify(&self, case: &Case<'_>) -> Out {
        // 1. Configure the library from the vector: a refusal is a configuration error.
        let keys = match KeySet::for_algorithms(&case.jwks_bytes(), &case.profile.algorithms) {
            Ok(keys) => keys,
            Err(e) => return Out::config_error(e),
        };
        let verifier = match Verifier::new(case.profile.clone(), keys) {
            Ok(verifier) => verifier,
            Err(e) => return Out::config_error(e),
        };
        // 2. Verify; report the library's own words and, where known, the reason ID.
        match verifier.verify(case.token, case.now) {
            Ok(claims) => Out::Accept {
                claims: claims.into_map().into(),
            },
            Err(r) => Out::reject_as(r, Some(r.reason)),
        }
    }
}

#[allow(dead_code)] // also compiled into the test suite, which has its own main
fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "vectors".into());
    let corpus = Corpus::load(dir.as_ref()).expect("a corpus directory");
    let report = runner::run_quietly(Arc::new(MinimalAdapter), &corpus, &RunOptions::default());
    print!("{}", conformance::report::text::render(&report));
    std::process::exit(i32::from(!report.passed()));
}
