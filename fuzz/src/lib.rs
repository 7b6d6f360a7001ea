//! Shared code of the jwt-conformance fuzz targets: the fixed verification worlds, the
//! structure-aware token model and its independent oracle, strict reference codecs for the
//! differential targets, the third-party verifiers, and the finding files that
//! `tools crash-to-vector` turns into regression vectors. See `fuzz/README.md`.
#![forbid(unsafe_code)]

pub mod finding;
pub mod model;
pub mod oracle;
pub mod thirdparty;
pub mod world;
