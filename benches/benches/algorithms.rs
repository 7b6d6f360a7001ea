//! The accept path per algorithm: RS256, PS256, EdDSA, ES384 and HS256 (`benches::algs`), the
//! typical token's claims under each, with the same contenders and pairing as the ES256 accept
//! group (`accept.rs`): every verifier against its backend's raw primitive measured in the same
//! run, [`ALG_ROUNDS`] rounds in turn, and each verifier's overhead over its floor.

use benches::algs::{ACCEPT_ALG, ALG_ROUNDS, ALGORITHMS, AlgSetup, alg_contenders};
use benches::{Clock, Lanes, bench_these};
use criterion::{Criterion, criterion_group, criterion_main};

fn accept_by_algorithm(c: &mut Criterion) {
    let clock = Clock::from_env();
    clock.record();
    let mut group = c.benchmark_group(ACCEPT_ALG);
    for alg in ALGORITHMS {
        let setup = AlgSetup::new(alg);
        let token = setup.token();
        let contenders = alg_contenders(&setup, &token, Lanes::All);
        bench_these(
            &mut group,
            clock,
            &contenders,
            &token,
            alg.name(),
            ALG_ROUNDS,
        );
    }
    group.finish();
}

criterion_group!(benches, accept_by_algorithm);
criterion_main!(benches);
