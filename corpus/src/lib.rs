//! The jwt-conformance corpus as data: the vector format (schema v3), the loader, and the
//! reference verifier's run of a vector. Light on purpose: the generator, fuzzers and benches
//! depend on it without pulling in the third-party libraries the runner wraps.
#![forbid(unsafe_code)]

pub mod live;
pub mod load;
pub mod normative;
pub mod outcome;
pub mod reference;
pub mod set;
pub mod triage;
pub mod vector;
