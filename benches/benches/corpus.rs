//! Whole-corpus throughput of the reference verifier on each signature backend of the build: one
//! pass verifies every usable vector of `vectors/` (single-step vectors with a `token` string,
//! see `benches::load_corpus`), or, when the workspace has none yet, the synthetic mix of
//! `benches::synthetic_corpus`. The parameter (`vectors` or `synthetic`) names the source and the
//! function the backend; criterion reports vectors per second.

use std::hint::black_box;

use benches::{CORPUS, Clock, load_corpus, measure, reference_name, workspace_root};
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use verifier::Backend;

fn corpus(c: &mut Criterion) {
    let clock = Clock::from_env();
    clock.record();
    let dir = workspace_root().join("vectors");
    let mut group = c.benchmark_group(CORPUS);
    // A pass takes a good part of a second: ten flat samples fit the measurement time.
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    for &backend in Backend::ALL {
        let corpus = load_corpus(&dir, backend);
        eprintln!(
            "corpus on {}: {} vectors ({}; {} vector files of {} skipped)",
            backend.name(),
            corpus.cases.len(),
            corpus.source.id(),
            corpus.skipped,
            dir.display()
        );
        let cases = corpus.cases;
        group.throughput(Throughput::Elements(cases.len() as u64));
        let id = BenchmarkId::new(reference_name(backend), corpus.source.id());
        group.bench_function(id, |b| {
            measure(b, clock, || {
                for case in &cases {
                    let _ = black_box(case.verifier.verify(black_box(&case.token), case.now));
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, corpus);
criterion_main!(benches);
