//! One function per rule, grouped by pipeline stage. The order they run in is written once, in
//! [`crate::Verifier::verify`].

pub mod claims;
pub mod domain;
pub mod envelope;
pub mod header;
pub mod key;
pub mod payload;
pub mod signature;
pub mod state;
