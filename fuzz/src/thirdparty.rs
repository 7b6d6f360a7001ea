//! The in-process third-party adapters of the conformance runner (`conformance::adapters`), run
//! on the baseline world for the `differential` target: jsonwebtoken, jwt-simple and
//! jwt-compact, and josekit when this crate's `josekit` feature is on (it links OpenSSL). Each
//! adapter configures its library as strictly as the library allows; see `docs/adapters.md`.
//!
//! Adapters are called directly, not through the runner's worker thread, so that a library
//! panic is a crash of the target.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use conformance::adapter::{Adapter, Case, Outcome};
use corpus::vector::{Body, Expected, Feature, SCHEMA_VERSION, Severity, Step, TokenSpec, Vector};

use crate::world;

/// The in-process libraries the differential target runs.
#[cfg(feature = "josekit")]
pub const LIBRARIES: [&str; 4] = ["jsonwebtoken", "jwt-simple", "jwt-compact", "josekit"];
#[cfg(not(feature = "josekit"))]
pub const LIBRARIES: [&str; 3] = ["jsonwebtoken", "jwt-simple", "jwt-compact"];

/// One adapter, and whether it verifies at the injected time.
pub struct Library {
    pub name: String,
    /// False when the library reads the system clock (no `clock` capability): the target then
    /// re-judges time-based reference rejections at the system time.
    pub injects_time: bool,
    adapter: Arc<dyn Adapter>,
}

impl Library {
    /// True when the library accepts `token` in the baseline world at `world::NOW`.
    pub fn accepts(&self, token: &[u8]) -> bool {
        let vector = baseline_vector();
        let case = Case {
            live: None,
            vector,
            step: 0,
            token,
            jwks: &vector.jwks,
            profile: &vector.profile,
            now: world::NOW,
            actions: &[],
            timeout: Duration::from_secs(10),
        };
        matches!(self.adapter.verify(&case), Outcome::Accept { .. })
    }
}

/// The libraries, built once.
pub fn libraries() -> &'static [Library] {
    static LIBS: OnceLock<Vec<Library>> = OnceLock::new();
    LIBS.get_or_init(|| {
        let root = conformance::adapters::project_root();
        LIBRARIES
            .iter()
            .map(|name| {
                let adapter = conformance::adapters::build(name, &root)
                    .unwrap_or_else(|e| panic!("adapter {name}: {e}"));
                let info = adapter.info();
                Library {
                    name: format!("{} {}", info.name, info.version),
                    injects_time: info.capabilities.supports(Feature::Clock),
                    adapter,
                }
            })
            .collect()
    })
}

/// The vector every case points at: the baseline world, one step at `world::NOW`.
fn baseline_vector() -> &'static Vector {
    static V: OnceLock<Vector> = OnceLock::new();
    V.get_or_init(|| Vector {
        schema_version: SCHEMA_VERSION,
        id: "fuzz/differential".into(),
        description: "differential fuzz input".into(),
        category: "fuzz".into(),
        basis: Vec::new(),
        refs: Vec::new(),
        flags: Vec::new(),
        severity: Severity::Must,
        features: Vec::new(),
        profile: world::baseline_profile(),
        jwks: world::baseline_jwks(),
        key_source: None,
        jwks_base64: None,
        notes: None,
        rationale: None,
        body: Body::Single(Step {
            requests: None,
            actions: Vec::new(),
            now: world::NOW,
            token: TokenSpec::Text(String::new()),
            expected: Expected::Reject {
                reason: verifier::Reason::SignatureInvalid,
                m_id: None,
            },
            acceptable: Vec::new(),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libraries_accept_the_baseline_and_reject_a_forgery() {
        let token = forge::baseline_token();
        let forged = forge::Token::new(&forge::header(), &forge::claims()).sign(&forge::key("x"));
        for lib in libraries() {
            assert!(lib.accepts(token.as_bytes()), "{}", lib.name);
            assert!(!lib.accepts(forged.as_bytes()), "{}", lib.name);
        }
    }
}
