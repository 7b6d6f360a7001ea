//! The accept path of the typical RFC 9068 access token (about 600 bytes): the reference
//! verifier on each backend against the raw verification of the same signing input on that
//! backend (the floors) and the peers verifying the same token with the same key (with the `fast`
//! feature: the `aws-lc-rs` and `ring` lanes, `jsonwebtoken` on `aws_lc_rs` and `josekit`).
//!
//! The contenders run in turn, [`ACCEPT_ROUNDS`] times over (parameters `round-1` …), so that
//! every ratio can pair two figures taken seconds apart: on a shared machine the load drifts
//! over the minutes a single pass through the contenders would span.

use benches::{ACCEPT, ACCEPT_ROUNDS, Clock, Lanes, Setup, bench_contenders, typical_token};
use criterion::{Criterion, criterion_group, criterion_main};

fn accept(c: &mut Criterion) {
    let clock = Clock::from_env();
    clock.record();
    let mut group = c.benchmark_group(ACCEPT);
    let setup = Setup::typical();
    bench_contenders(
        &mut group,
        clock,
        &setup,
        &typical_token(),
        "",
        ACCEPT_ROUNDS,
        Lanes::All,
    );
    group.finish();
}

criterion_group!(benches, accept);
criterion_main!(benches);
