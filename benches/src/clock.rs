//! What the benches time with and how: the thread-CPU or wall clock, the run file that records
//! it, and the loops that time a routine alone or paired with its floor.

use serde_json::{Value, json};

use crate::report;

/// What the benches time with: the benchmark thread's CPU time (default) or the wall clock
/// (`BENCH_CLOCK=wall`). On a shared machine the thread's CPU time leaves out the time other
/// jobs hold the cores, which the wall clock charges to whichever bench happens to be running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    ThreadCpu,
    Wall,
}

/// The file, in criterion's directory, describing the last bench run (clock, backtraces).
pub const RUN_FILE: &str = "benches-run.json";

/// The variables that make `std::backtrace::Backtrace::capture` (and so `anyhow`, which
/// `jwt-simple`'s errors use) capture a backtrace on every error.
pub const BACKTRACE_VARS: [&str; 2] = ["RUST_LIB_BACKTRACE", "RUST_BACKTRACE"];

/// True when library backtraces are on: `RUST_LIB_BACKTRACE`, else `RUST_BACKTRACE`, set to
/// anything but `0` (the rule of `Backtrace::capture`).
pub fn library_backtraces() -> bool {
    BACKTRACE_VARS
        .iter()
        .find_map(|v| std::env::var(v).ok())
        .is_some_and(|v| v != "0")
}

impl Clock {
    /// `BENCH_CLOCK=wall` or `BENCH_CLOCK=cpu` (the default).
    pub fn from_env() -> Clock {
        match std::env::var("BENCH_CLOCK").as_deref() {
            Ok("wall") => Clock::Wall,
            Ok("cpu") | Err(_) => Clock::ThreadCpu,
            Ok(other) => panic!("BENCH_CLOCK must be `cpu` or `wall`, not {other:?}"),
        }
    }

    /// The current reading: time since the first reading for the wall clock.
    pub fn now(self) -> std::time::Duration {
        static START: std::sync::LazyLock<std::time::Instant> =
            std::sync::LazyLock::new(std::time::Instant::now);
        match self {
            Clock::ThreadCpu => thread_cpu_time(),
            Clock::Wall => START.elapsed(),
        }
    }

    /// How the report names it.
    pub fn describe(self) -> &'static str {
        match self {
            Clock::ThreadCpu => "thread CPU time (`CLOCK_THREAD_CPUTIME_ID`)",
            Clock::Wall => "wall clock",
        }
    }

    /// Records this clock and the backtrace setting next to criterion's output, for the
    /// report, and warns when library backtraces would inflate the peers' rejections.
    pub fn record(self) {
        let backtraces = library_backtraces();
        if backtraces {
            eprintln!(
                "warning: library backtraces are on (RUST_LIB_BACKTRACE / RUST_BACKTRACE): \
                 every jwt-simple error captures one; run with RUST_LIB_BACKTRACE=0"
            );
        }
        let vars: serde_json::Map<String, Value> = BACKTRACE_VARS
            .iter()
            .map(|v| (v.to_string(), json!(std::env::var(v).ok())))
            .collect();
        // SAFETY: getpriority only reads the calling process's nice value.
        let nice = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
        let run = json!({
            "clock": self.describe(),
            "library_backtraces": backtraces,
            "env": vars,
            "nice": nice,
            "provenance": report::provenance(),
        });
        let dir = report::criterion_dir();
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(RUN_FILE), run.to_string());
    }
}

/// The CPU time this thread has used so far.
pub fn thread_cpu_time() -> std::time::Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant Linux knows.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    std::time::Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Times `routine` minus `floor`, paired per iteration (alternating which runs first, so that
/// neither side always finds the caches warmed by the other).
pub fn measure_over_floor<O, F>(
    bencher: &mut criterion::Bencher<'_>,
    clock: Clock,
    floor: impl Fn() -> F,
    mut routine: impl FnMut() -> O,
) {
    bencher.iter_custom(|iters| {
        let (mut own, mut base) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
        for i in 0..iters {
            let t0 = clock.now();
            if i % 2 == 0 {
                std::hint::black_box(routine());
            } else {
                std::hint::black_box(floor());
            }
            let t1 = clock.now();
            if i % 2 == 0 {
                std::hint::black_box(floor());
            } else {
                std::hint::black_box(routine());
            }
            let t2 = clock.now();
            let (first, second) = (t1 - t0, t2 - t1);
            if i % 2 == 0 {
                own += first;
                base += second;
            } else {
                own += second;
                base += first;
            }
        }
        // A sample of a few iterations can come out negative, which criterion refuses; it is
        // clamped to 1 ns. That biases upward (against the smallest overhead, the reference's),
        // and hardly: criterion's slope runs through the origin, weighting the long samples.
        own.saturating_sub(base)
            .max(std::time::Duration::from_nanos(1))
    })
}

/// Times `routine` on `clock`: criterion's own loop for the wall clock, the same loop timed by
/// the thread's CPU time otherwise. Outputs go through `black_box` either way.
pub fn measure<O>(
    bencher: &mut criterion::Bencher<'_>,
    clock: Clock,
    mut routine: impl FnMut() -> O,
) {
    match clock {
        Clock::Wall => bencher.iter(routine),
        Clock::ThreadCpu => bencher.iter_custom(|iters| {
            let start = thread_cpu_time();
            for _ in 0..iters {
                std::hint::black_box(routine());
            }
            thread_cpu_time().saturating_sub(start)
        }),
    }
}
