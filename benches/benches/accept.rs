//! The accept path of the typical RFC 9068 access token (about 600 bytes): the reference
//! verifier against the raw `p256` verification of the same signing input (the floor) and the
//! peers verifying the same token with the same key.
//!
//! The contenders run in turn, [`ACCEPT_ROUNDS`] times over (parameters `round-1` …), so that
//! every ratio can pair two figures taken seconds apart: on a shared machine the load drifts
//! over the minutes a single pass through the contenders would span.

use benches::{ACCEPT, ACCEPT_ROUNDS, Clock, Setup, bench_contenders, typical_token};
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
    );
    group.finish();
}

criterion_group!(benches, accept);
criterion_main!(benches);
