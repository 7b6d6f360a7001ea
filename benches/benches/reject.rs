//! Pre-signature rejections: each malformed input of `benches::malformed_inputs`, rejected by
//! the reference verifier (on each backend of the build: they share every stage before the
//! signature) and by the peers (the fixtures check that every contender rejects).

use benches::{Clock, Lanes, REJECT, Setup, malformed_inputs, measure, verifiers};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn reject(c: &mut Criterion) {
    let clock = Clock::from_env();
    clock.record();
    let setup = Setup::typical();
    let reference = setup.reference();
    let verifiers = verifiers(&setup, Lanes::All);

    let mut group = c.benchmark_group(REJECT);
    for m in malformed_inputs() {
        let got = reference.verify(m.token.as_bytes()).map(|_| ());
        assert_eq!(got.map_err(|r| r.reason), Err(m.reason), "{}", m.name);
        let token = m.token.as_str();
        // A peer that accepts the input has no rejection to time (`ACCEPTED_MALFORMED`).
        for v in verifiers.iter().filter(|v| !v.run(token)) {
            group.bench_with_input(BenchmarkId::new(v.name, m.name), token, |b, t| {
                measure(b, clock, || v.run(t))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, reject);
criterion_main!(benches);
