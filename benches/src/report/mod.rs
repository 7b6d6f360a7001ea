//! `docs/performance.md` from criterion's output: reads every `new/estimates.json` (with its
//! `benchmark.json`) under criterion's directory, divides estimates of the same run and renders
//! the tables, the targets and the machine they came from.
//!
//! By concern: [`results`] reads criterion's output and holds the shared lookups (rounds,
//! medians, paired ratios, overheads); [`machine`] the machine and provenance; [`targets`] each
//! target's verdict as data; [`tables`] one function per table; [`fmt`] the cells' formatting.

mod fmt;
mod machine;
mod method;
mod results;
mod tables;
mod targets;

pub use fmt::{fmt_ns, fmt_ratio};
pub use machine::{Machine, provenance};
pub use results::{Estimate, Results, criterion_dir};
pub use tables::render;

/// The command that regenerates the report (documented in it).
pub const COMMAND: &str = "cargo run -p benches --bin perf-report";
/// The bench run the committed figures come from.
pub const BENCH_COMMAND: &str = "RUST_LIB_BACKTRACE=0 cargo bench -p benches --features fast -- \
     --warm-up-time 1 --measurement-time 3";

/// Accept path at most this multiple of the floor.
pub const ACCEPT_TARGET: f64 = 1.05;
/// The fast backend's accept path at most this multiple of the fastest peer.
pub const FASTEST_PEER_TARGET: f64 = 1.0;
/// Every pre-signature rejection under this many nanoseconds.
pub const REJECT_TARGET_NS: f64 = 1_000.0;
/// A loss to a peer by less than this ratio is reported as a tie at this machine's noise.
pub const TIE: f64 = 1.02;
/// A 1 MiB input rejected under this many nanoseconds.
pub const MIB_TARGET_NS: f64 = 100.0;
