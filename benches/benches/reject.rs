//! Pre-signature rejections: each malformed input of `benches::malformed_inputs`, rejected by
//! the reference verifier and by the peers (the fixtures check that every contender rejects).

use std::hint::black_box;

use benches::{
    Clock, JSONWEBTOKEN, JWT_SIMPLE, REFERENCE, REJECT, Setup, malformed_inputs, measure,
};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn reject(c: &mut Criterion) {
    let clock = Clock::from_env();
    clock.record();
    let setup = Setup::typical();
    let reference = setup.reference();
    let jsonwebtoken = setup.jsonwebtoken();
    let jwt_simple = setup.jwt_simple();

    let mut group = c.benchmark_group(REJECT);
    for m in malformed_inputs() {
        let got = reference.verify(m.token.as_bytes()).map(|_| ());
        assert_eq!(got.map_err(|r| r.reason), Err(m.reason), "{}", m.name);
        assert!(jsonwebtoken.verify(&m.token).is_none(), "{}", m.name);
        assert!(jwt_simple.verify(&m.token).is_none(), "{}", m.name);

        let token = m.token.as_str();
        group.bench_with_input(BenchmarkId::new(REFERENCE, m.name), token, |b, t| {
            measure(b, clock, || reference.verify(black_box(t.as_bytes())))
        });
        group.bench_with_input(BenchmarkId::new(JSONWEBTOKEN, m.name), token, |b, t| {
            measure(b, clock, || jsonwebtoken.verify(black_box(t)))
        });
        group.bench_with_input(BenchmarkId::new(JWT_SIMPLE, m.name), token, |b, t| {
            measure(b, clock, || jwt_simple.verify(black_box(t)))
        });
    }
    group.finish();
}

criterion_group!(benches, reject);
criterion_main!(benches);
