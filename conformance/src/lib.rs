//! jwt-conformance: the vector model, the corpus loader, the reference run, the adapter
//! contract, the adapters that ship, the runner (exact / acceptable / fail, with an impact
//! class for every failure), its reports, the published matrix and the disputes page.
#![forbid(unsafe_code)]

// The vector format, loader and reference run live in the light `corpus` crate; re-exported
// here under their historical paths.
pub use ::corpus::load as corpus;
pub use ::corpus::{reference, vector};

pub mod adapter;
pub mod adapters;
pub mod disputes;
pub mod impact;
pub mod matrix;
pub mod report;
pub mod runner;
