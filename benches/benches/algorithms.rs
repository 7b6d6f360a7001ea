//! The accept path per algorithm: all 13 JWS algorithms (`benches::algs`), each with the typical
//! access token and a typical OpenID Connect ID token, with the same contenders as the ES256
//! accept group (`accept.rs`). What is timed is each verifier's overhead over its backend's raw
//! primitive, paired per iteration (`measure_over_floor`), and each floor's own time once
//! on the access token (`benches::algs::ALG_ROUNDS`): drift cannot skew a paired overhead, so separate
//! rounds of the verifiers' times would add minutes and no information, and the ID token's
//! floors differ from the access token's by a few dozen bytes of hashing.

use benches::algs::{ACCEPT_ALG, ALGORITHMS, AlgSetup, TokenKind, alg_contenders};
use benches::{Clock, Lanes, bench_paired};
use criterion::{Criterion, criterion_group, criterion_main};

fn accept_by_algorithm(c: &mut Criterion) {
    let clock = Clock::from_env();
    clock.record();
    let mut group = c.benchmark_group(ACCEPT_ALG);
    for alg in ALGORITHMS {
        for kind in TokenKind::ALL {
            let setup = AlgSetup::of(alg, kind);
            let token = setup.token();
            let contenders = alg_contenders(&setup, &token, Lanes::All);
            bench_paired(
                &mut group,
                clock,
                &contenders,
                &token,
                &kind.point(alg.name()),
                kind == TokenKind::Access,
            );
        }
    }
    group.finish();
}

criterion_group!(benches, accept_by_algorithm);
criterion_main!(benches);
