//! Verified tokens per second: the typical token accepted over and over by 1 and by 2 threads
//! sharing one `Verifier` (it is `Sync` and holds no lock on the accept path), on each signature
//! backend of the build. Timed by the wall clock whatever `BENCH_CLOCK` says: a throughput is
//! tokens per elapsed second across threads, which a thread's CPU time cannot give. An iteration
//! is one token; each sample splits its iterations evenly over the threads, started once per
//! sample (a few tens of microseconds in samples of tens of milliseconds).

use std::hint::black_box;
use std::time::Instant;

use benches::{Setup, THREADS, THROUGHPUT, reference_name, threads_id, typical_token};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use verifier::Backend;

fn throughput(c: &mut Criterion) {
    let setup = Setup::typical();
    let token = typical_token();
    let mut group = c.benchmark_group(THROUGHPUT);
    group.throughput(Throughput::Elements(1));
    for &backend in Backend::ALL {
        let reference = setup.reference_on(backend);
        assert!(reference.verify(token.as_bytes()).is_ok());
        for threads in THREADS {
            let id = BenchmarkId::new(reference_name(backend), threads_id(threads));
            group.bench_function(id, |b| {
                b.iter_custom(|iters| {
                    let start = Instant::now();
                    std::thread::scope(|s| {
                        for t in 0..threads as u64 {
                            let share =
                                iters / threads as u64 + u64::from(t < iters % threads as u64);
                            let (reference, token) = (&reference, token.as_bytes());
                            s.spawn(move || {
                                for _ in 0..share {
                                    let _ = black_box(reference.verify(black_box(token)));
                                }
                            });
                        }
                    });
                    start.elapsed()
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
