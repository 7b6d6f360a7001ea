//! Arbitrary key-set documents: never a panic, and an accepted set holds exactly the document's
//! keys, each public EC P-256 with a non-empty unique kid and no private member, whose point is
//! on the curve by an independent big-integer check of y² = x³ − 3x + b.
#![no_main]

use jwt_conformance_fuzz::oracle;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use verifier::KeySet;

const PRIVATE: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

fuzz_target!(|data: &[u8]| {
    let Ok(set) = KeySet::from_jwks_json(data) else {
        return;
    };
    let doc: Value = serde_json::from_slice(data).expect("an accepted key set is JSON");
    let entries = doc["keys"]
        .as_array()
        .expect("an accepted key set has a keys array");
    assert_eq!(entries.len(), set.len(), "key count");
    let kids: Vec<&str> = set.kids().collect();
    for (i, (kid, entry)) in kids.iter().zip(entries).enumerate() {
        assert!(
            !kid.is_empty() && !kids[..i].contains(kid),
            "kid empty or repeated"
        );
        assert_eq!(entry["kid"].as_str(), Some(*kid), "kid order");
        assert_eq!(entry["kty"], "EC");
        assert_eq!(entry["crv"], "P-256");
        assert!(
            PRIVATE.iter().all(|m| entry.get(m).is_none()),
            "private member"
        );
        let key = set.get(kid).expect("listed kid resolves");
        let (x, y) = forge::coordinates(key.point().expect("an ES256 set holds P-256 keys"));
        assert!(oracle::on_p256(&x, &y), "key {kid} is not on P-256");
        let coord = |name: &str| {
            entry[name]
                .as_str()
                .and_then(|s| oracle::naive_b64url_decode(s.as_bytes()))
        };
        assert_eq!(
            coord("x").as_deref(),
            Some(&x[..]),
            "x differs from the document"
        );
        assert_eq!(
            coord("y").as_deref(),
            Some(&y[..]),
            "y differs from the document"
        );
    }
});
