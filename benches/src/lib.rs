//! Shared fixtures of the benchmarks, by concern: [`clock`](crate::Clock) (what the benches
//! time with, and the timing loops), `contenders` (names, floors, the reference and the bench
//! series), `fixtures` (setups, the typical token, sized tokens, malformed inputs), `peers`
//! (`jsonwebtoken`, `jwt-simple`), `corpus` (the throughput bench's vectors), [`algs`] (every
//! algorithm, access and ID tokens), `fast` with the `fast` feature, and [`report`]. Every
//! bench file builds on these, so that all of them measure the same inputs against the same
//! configuration; the public names are re-exported here.
//!
//! Every contender is configured as strictly as its API allows for the same policy: ES256 only,
//! the pinned issuer and audience, zero leeway, `kid` matched against the pinned keys. The peers
//! read the system clock, so every token here is clock-independent (issued long ago, expiring
//! far in the future) and the reference verifier runs a profile without the lifetime bound
//! (`forge::timeless_profile_json`).

mod clock;
mod contenders;
mod corpus;
mod fixtures;
mod peers;

pub use self::clock::*;
pub use self::contenders::*;
pub use self::corpus::*;
pub use self::fixtures::*;
pub use self::peers::*;

pub mod report;

/// Criterion group of the accept path of the typical token.
pub const ACCEPT: &str = "accept";
/// Criterion group of the pre-signature rejections.
pub const REJECT: &str = "reject";
/// Criterion group of the accept path by token size.
pub const SCALING_SIZE: &str = "scaling-size";
/// Criterion group of the accept path by key-set size.
pub const SCALING_JWKS: &str = "scaling-jwks";
/// Criterion group of the whole-corpus throughput.
pub const CORPUS: &str = "corpus";

/// Criterion group of verified tokens per second with 1 and 2 threads sharing one verifier.
pub const THROUGHPUT: &str = "throughput";
/// Thread counts of the throughput group.
pub const THREADS: [usize; 2] = [1, 2];

/// The parameter of the throughput bench with `threads` threads.
pub fn threads_id(threads: usize) -> String {
    match threads {
        1 => "1-thread".to_owned(),
        n => format!("{n}-threads"),
    }
}

/// True when this build measures the fast lane (cargo feature `fast`).
pub const FAST: bool = cfg!(feature = "fast");

#[cfg(feature = "fast")]
pub mod fast;

pub mod algs;
