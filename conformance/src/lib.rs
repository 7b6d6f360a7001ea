//! jwt-conformance: the adapter contract, the adapters that ship, the runner (exact /
//! acceptable / fail, with an impact class for every failure), its reports, the published
//! matrix and the disputes page.
//!
//! Data flows one way: [`call`] calls an adapter (workers, timeouts, wedge, setup errors),
//! [`judge`] scores what it answered, [`runner`] orchestrates the two over a corpus, and
//! [`report`] (model, renderers, [`report::matrix`], [`report::disputes`]) shows the result;
//! the report never calls an adapter. [`schedule`] runs several adapters at once for the
//! pages. [`text`] holds the names and text helpers they share.
#![forbid(unsafe_code)]

// The vector format, loader, corpus set, the one outcome type and the reference run live in
// the light `corpus` crate; re-exported here under their historical paths.
pub use ::corpus::load as corpus;
pub use ::corpus::{outcome, reference, set, vector};

pub mod adapter;
pub mod adapters;
pub mod call;
pub mod embedded;
pub mod gate;
pub mod hunt;
pub mod impact;
pub mod judge;
pub mod live;
pub mod report;
pub mod runner;
pub mod schedule;
pub mod text;
