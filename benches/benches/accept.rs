//! The accept path of the typical RFC 9068 access token (about 600 bytes): the reference
//! verifier against the raw `p256` verification of the same signing input (the floor) and the
//! peers verifying the same token with the same key.
//!
//! The contenders run in turn, [`ACCEPT_ROUNDS`] times over (parameters `round-1` …), so that
//! every ratio can pair two figures taken seconds apart: on a shared machine the load drifts
//! over the minutes a single pass through the contenders would span.

use std::hint::black_box;

use benches::{
    ACCEPT, ACCEPT_ROUNDS, Clock, FLOOR, Floor, JSONWEBTOKEN, JWT_SIMPLE, REFERENCE, Setup,
    assert_all_accept, measure, round_id, typical_token,
};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn accept(c: &mut Criterion) {
    let clock = Clock::from_env();
    clock.record();
    let setup = Setup::typical();
    let token = typical_token();
    assert_all_accept(&setup, &token);
    let floor = Floor::new(&setup, &token);
    let reference = setup.reference();
    let jsonwebtoken = setup.jsonwebtoken();
    let jwt_simple = setup.jwt_simple();

    let mut group = c.benchmark_group(ACCEPT);
    for k in 1..=ACCEPT_ROUNDS {
        let round = round_id(k);
        group.bench_function(BenchmarkId::new(FLOOR, &round), |b| {
            measure(b, clock, || black_box(&floor).verify())
        });
        group.bench_function(BenchmarkId::new(REFERENCE, &round), |b| {
            measure(b, clock, || reference.verify(black_box(token.as_bytes())))
        });
        group.bench_function(BenchmarkId::new(JSONWEBTOKEN, &round), |b| {
            measure(b, clock, || jsonwebtoken.verify(black_box(&token)))
        });
        group.bench_function(BenchmarkId::new(JWT_SIMPLE, &round), |b| {
            measure(b, clock, || jwt_simple.verify(black_box(&token)))
        });
    }
    group.finish();
}

criterion_group!(benches, accept);
criterion_main!(benches);
