//! The strict base64url decoder against the `base64` crate configured explicitly as URL-safe,
//! no padding, canonical trailing bits, and against a from-the-RFC decoder: same accept set,
//! same bytes; accepted encodings are the unique canonical ones; encode/decode round-trips.
#![no_main]

use base64::Engine;
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use jwt_conformance_fuzz::oracle;
use libfuzzer_sys::fuzz_target;
use verifier::b64;

const CANONICAL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

fuzz_target!(|data: &[u8]| {
    let strict = b64::decode(data);
    assert_eq!(
        strict,
        CANONICAL.decode(data).ok(),
        "strict vs base64 crate"
    );
    assert_eq!(
        strict,
        oracle::naive_b64url_decode(data),
        "strict vs RFC decoder"
    );
    if let Some(bytes) = &strict {
        assert_eq!(
            b64::encode(bytes).as_bytes(),
            data,
            "accepted a non-canonical encoding"
        );
    }
    let encoded = b64::encode(data);
    assert_eq!(
        encoded,
        oracle::naive_b64url_encode(data),
        "encoder vs RFC encoder"
    );
    assert_eq!(
        b64::decode(encoded.as_bytes()).as_deref(),
        Some(data),
        "round trip"
    );
});
