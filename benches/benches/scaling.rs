//! Scaling of the accept path: tokens of 256 B to 8 KiB (compact setup, padded `scope` and
//! `jti`), and JWK Sets of 1, 10 and 100 keys (typical token, signing key last in the set).
//! Each point has its own floor, so every ratio compares like with like; it runs
//! [`SCALING_ROUNDS`] rounds (parameters `256-round-1` …) and, for the peer comparison, the
//! paired overhead benches of `bench_contenders` (the peers differ from the reference by a few
//! microseconds in three hundred: less than the load drifts between two benchmarks). The series
//! runs the `p256` lane: the reference's overhead over its floor is the same code on every
//! backend, and the fast lane's comparison is the accept group's.

use benches::{
    Clock, KEY_COUNTS, Lanes, SCALING_JWKS, SCALING_ROUNDS, SCALING_SIZE, SIZES, Setup,
    bench_contenders, sized_token, typical_token,
};
use criterion::{Criterion, criterion_group, criterion_main};

fn token_size(c: &mut Criterion) {
    let clock = Clock::from_env();
    clock.record();
    let setup = Setup::compact();
    let mut group = c.benchmark_group(SCALING_SIZE);
    for len in SIZES {
        let token = sized_token(&setup, len);
        bench_contenders(
            &mut group,
            clock,
            &setup,
            &token,
            &len.to_string(),
            SCALING_ROUNDS,
            Lanes::P256,
        );
    }
    group.finish();
}

fn key_set_size(c: &mut Criterion) {
    let clock = Clock::from_env();
    let token = typical_token();
    let mut group = c.benchmark_group(SCALING_JWKS);
    for count in KEY_COUNTS {
        let setup = Setup::with_keys(count);
        bench_contenders(
            &mut group,
            clock,
            &setup,
            &token,
            &count.to_string(),
            SCALING_ROUNDS,
            Lanes::P256,
        );
    }
    group.finish();
}

criterion_group!(benches, token_size, key_set_size);
criterion_main!(benches);
