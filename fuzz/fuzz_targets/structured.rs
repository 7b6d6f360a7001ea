//! An `arbitrary` token model (header members, claim values and types, signature choice,
//! encoding quirks, profile knobs) rendered to a token and signed where the model says; the
//! verifier's verdict, and its claims on accept, must equal what the model implies
//! (`model::Model::expected`). A mismatch writes a finding with the rendered token, then panics.
#![no_main]

use jwt_conformance_fuzz::finding::Finding;
use jwt_conformance_fuzz::model::{KnobsExt, Model, Verdict};
use jwt_conformance_fuzz::world;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn describe(v: &Verdict) -> String {
    match v {
        Ok(_) => "accept".into(),
        Err(reason) => format!("reject ({reason})"),
    }
}

fuzz_target!(|model: Model| {
    // Most models are refused before the signature stage, where the signature's bytes do not
    // count: judge those on a rendering with a stand-in signature of the same length, and sign
    // (RFC 6979, half of this target's own time otherwise) only models that reach the signature.
    // The oracle still judges the exact token the verifier gets.
    let mut case = model.render_unsigned();
    let want = match model.expected_before_signature(&case) {
        Err(reason) => Err(reason),
        Ok(_) => {
            if !case.signed {
                case = model.render();
            }
            model.expected(&case)
        }
    };
    let verifier = model.knobs.verifier();
    assert!(
        verifier.profile() == &case.profile,
        "cached verifier has another profile"
    );
    let got: Verdict = verifier
        .verify(&case.token, world::NOW)
        .map(|c| Value::Object(c.into_map()))
        .map_err(|r| r.reason.id());
    if got != want {
        let mut finding = Finding::new(
            "structured",
            "oracle_mismatch",
            &case.token,
            describe(&got),
            describe(&want),
        );
        finding.profile = serde_json::to_value(&case.profile).ok();
        finding.jwks = Some(world::structured_jwks());
        let path = finding.write();
        panic!(
            "verifier says {}, model says {} (finding {path:?})\ntoken: {}",
            describe(&got),
            describe(&want),
            String::from_utf8_lossy(&case.token)
        );
    }
});
