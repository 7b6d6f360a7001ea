//! Scaling of the accept path: tokens of 256 B to 8 KiB (compact setup, padded `scope` and
//! `jti`), and JWK Sets of 1, 10 and 100 keys (typical token, signing key last in the set).
//! Each point has its own floor, so every ratio compares like with like.

use std::hint::black_box;

use benches::{
    Clock, FLOOR, Floor, JSONWEBTOKEN, JWT_SIMPLE, KEY_COUNTS, REFERENCE, SCALING_JWKS,
    SCALING_SIZE, SIZES, Setup, assert_all_accept, measure, sized_token, typical_token,
};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main};

/// Every contender on one token, under the parameter `point`.
fn contenders(
    group: &mut BenchmarkGroup<'_, WallTime>,
    clock: Clock,
    setup: &Setup,
    token: &str,
    point: usize,
) {
    assert_all_accept(setup, token);
    let floor = Floor::new(setup, token);
    let reference = setup.reference();
    let jsonwebtoken = setup.jsonwebtoken();
    let jwt_simple = setup.jwt_simple();
    group.bench_function(BenchmarkId::new(FLOOR, point), |b| {
        measure(b, clock, || black_box(&floor).verify())
    });
    group.bench_function(BenchmarkId::new(REFERENCE, point), |b| {
        measure(b, clock, || reference.verify(black_box(token.as_bytes())))
    });
    group.bench_function(BenchmarkId::new(JSONWEBTOKEN, point), |b| {
        measure(b, clock, || jsonwebtoken.verify(black_box(token)))
    });
    group.bench_function(BenchmarkId::new(JWT_SIMPLE, point), |b| {
        measure(b, clock, || jwt_simple.verify(black_box(token)))
    });
}

fn token_size(c: &mut Criterion) {
    let clock = Clock::from_env();
    clock.record();
    let setup = Setup::compact();
    let mut group = c.benchmark_group(SCALING_SIZE);
    for len in SIZES {
        let token = sized_token(&setup, len);
        contenders(&mut group, clock, &setup, &token, len);
    }
    group.finish();
}

fn key_set_size(c: &mut Criterion) {
    let clock = Clock::from_env();
    let token = typical_token();
    let mut group = c.benchmark_group(SCALING_JWKS);
    for count in KEY_COUNTS {
        contenders(&mut group, clock, &Setup::with_keys(count), &token, count);
    }
    group.finish();
}

criterion_group!(benches, token_size, key_set_size);
criterion_main!(benches);
