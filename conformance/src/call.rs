//! Calling an adapter safely: every call runs on a worker thread inside `catch_unwind`; a call
//! that overruns the per-vector timeout is abandoned (the worker is replaced, the adapter
//! processes it waited on, each in its own process group, are killed) and answered with an
//! adapter error marked as a timeout ([`Called::timed_out`]: the runner files it as a denial of
//! service). `Caller` counts consecutive timeouts to declare the adapter wedged after
//! [`RunOptions::wedge_after`]; [`info_of`] asks the adapter who it is within
//! [`RunOptions::hello_timeout`], and anything else is a [`SetupError`]. Bad input never panics
//! or hangs the runner.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::adapter::{Adapter, AdapterInfo, Capabilities, Case, LiveEndpoint, Outcome};
use crate::adapters::subprocess::{self, STARTUP_TIMEOUT, UNAVAILABLE};
use crate::vector::Vector;

/// How a run is carried out.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Per-step budget handed to the adapter in [`Case::timeout`].
    pub timeout: Duration,
    /// Extra time the runner waits beyond `timeout` before abandoning a call (lets adapters
    /// that enforce the timeout themselves, like the subprocess adapter, report it first).
    pub grace: Duration,
    /// Consecutive timeouts after which the adapter is wedged (0: never). A subprocess adapter
    /// that answers with an adapter error only once the whole `timeout` is spent timed out too.
    pub wedge_after: usize,
}

impl RunOptions {
    /// How long an adapter may take to say who it is (a subprocess's hello line): three cases'
    /// budget, since a cold interpreter loading its crypto libraries on a loaded machine is
    /// slow, but at least 5 s and at most [`STARTUP_TIMEOUT`]. Nothing by then is a setup error.
    pub fn hello_timeout(&self) -> Duration {
        (self.timeout * 3).clamp(Duration::from_secs(5), STARTUP_TIMEOUT)
    }
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            timeout: Duration::from_secs(10),
            grace: Duration::from_secs(2),
            wedge_after: 3,
        }
    }
}

struct Job {
    vector: Arc<Vector>,
    step: usize,
    token: Vec<u8>,
    live: Option<Arc<LiveEndpoint>>,
    timeout: Duration,
}

struct Worker {
    jobs: Sender<Job>,
    results: Receiver<Outcome>,
    thread: JoinHandle<()>,
}

impl Worker {
    fn spawn(adapter: Arc<dyn Adapter>) -> Result<Worker, String> {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (result_tx, results) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name(WORKER_THREAD.to_owned())
            .spawn(move || {
                for job in job_rx {
                    let outcome = call(&*adapter, &job);
                    if result_tx.send(outcome).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| format!("cannot start a worker thread: {e}"))?;
        Ok(Worker {
            jobs,
            results,
            thread,
        })
    }

    /// Gives up on the worker's call: kills the adapter processes it is waiting on, so that an
    /// abandoned wait never leaves one behind (the thread then returns). An in-process library
    /// that hangs for good keeps its thread; nothing else can be done about it safely.
    fn abandon(self) {
        subprocess::abort_waits_of(self.thread.thread().id());
    }

    /// Ends an idle worker and waits for its thread, so that the adapter it holds is dropped
    /// (and its processes closed) before the run returns, not at some later point.
    fn finish(self) {
        drop(self.jobs);
        let _ = self.thread.join();
    }
}

/// Name of the threads adapter calls run on (the CLI's panic hook stays quiet on them).
pub const WORKER_THREAD: &str = "adapter-worker";

fn call(adapter: &dyn Adapter, job: &Job) -> Outcome {
    let Some(step) = job.vector.steps().get(job.step) else {
        return Outcome::AdapterError {
            error: "no such step".to_owned(),
        };
    };
    let case = Case {
        vector: &job.vector,
        step: job.step,
        token: &job.token,
        jwks: &job.vector.jwks,
        profile: &job.vector.profile,
        now: step.now,
        actions: &step.actions,
        live: job.live.as_deref(),
        timeout: job.timeout,
    };
    catch_unwind(AssertUnwindSafe(|| adapter.verify(&case))).unwrap_or_else(|panic| {
        Outcome::AdapterError {
            error: format!("panic: {}", panic_message(&*panic)),
        }
    })
}

/// The message of a caught panic.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_owned()
    }
}

/// What one call came to: the adapter's outcome, and whether it was a timeout (no answer within
/// [`RunOptions::timeout`]: the runner reports that as a denial of service, not as an adapter
/// error).
pub(crate) struct Called {
    pub(crate) outcome: Outcome,
    pub(crate) timed_out: bool,
}

impl Called {
    fn error(error: String, timed_out: bool) -> Called {
        Called {
            outcome: Outcome::AdapterError { error },
            timed_out,
        }
    }
}

/// Calls the adapter with timeouts, replacing a worker that hangs, and counts consecutive
/// timeouts to declare the adapter wedged.
pub(crate) struct Caller {
    adapter: Arc<dyn Adapter>,
    worker: Option<Worker>,
    opts: RunOptions,
    consecutive_timeouts: usize,
}

impl Caller {
    /// A caller of `adapter` with no worker yet.
    pub(crate) fn new(adapter: Arc<dyn Adapter>, opts: &RunOptions) -> Caller {
        Caller {
            adapter,
            worker: None,
            opts: opts.clone(),
            consecutive_timeouts: 0,
        }
    }

    /// Why the adapter is no longer called, once [`RunOptions::wedge_after`] consecutive calls
    /// timed out.
    pub(crate) fn wedged(&self) -> Option<String> {
        (self.opts.wedge_after > 0 && self.consecutive_timeouts >= self.opts.wedge_after).then(
            || {
                format!(
                    "adapter wedged: {} consecutive timeouts; not run",
                    self.consecutive_timeouts
                )
            },
        )
    }

    pub(crate) fn call(
        &mut self,
        vector: &Arc<Vector>,
        step: usize,
        token: Vec<u8>,
        live: Option<Arc<LiveEndpoint>>,
    ) -> Called {
        if let Some(error) = self.wedged() {
            return Called::error(error, false);
        }
        let worker = match self.worker.take() {
            Some(w) => w,
            None => match Worker::spawn(self.adapter.clone()) {
                Ok(w) => w,
                Err(error) => return Called::error(error, false),
            },
        };
        let job = Job {
            vector: vector.clone(),
            step,
            token,
            live,
            timeout: self.opts.timeout,
        };
        if worker.jobs.send(job).is_err() {
            return Called::error("adapter worker exited".to_owned(), false);
        }
        let started = Instant::now();
        match worker
            .results
            .recv_timeout(self.opts.timeout + self.opts.grace)
        {
            Ok(outcome) => {
                // An adapter that enforces the timeout itself (a subprocess) reports it as an
                // adapter error once the whole budget is spent: that is a timeout as well.
                let timed_out = matches!(outcome, Outcome::AdapterError { .. })
                    && started.elapsed() >= self.opts.timeout;
                self.consecutive_timeouts = if timed_out {
                    self.consecutive_timeouts + 1
                } else {
                    0
                };
                self.worker = Some(worker);
                Called { outcome, timed_out }
            }
            Err(RecvTimeoutError::Timeout) => {
                // The worker is abandoned (its processes killed); a fresh one serves the rest.
                worker.abandon();
                self.consecutive_timeouts += 1;
                Called::error(
                    format!(
                        "timeout: no answer within {:?} (call abandoned)",
                        self.opts.timeout
                    ),
                    true,
                )
            }
            Err(RecvTimeoutError::Disconnected) => {
                Called::error("adapter worker exited".to_owned(), false)
            }
        }
    }

    /// Ends the run's calls: the idle worker is joined, and the adapter released.
    pub(crate) fn finish(self) {
        if let Some(worker) = self.worker {
            worker.finish();
        }
    }
}

/// An adapter that could not be set up: what is known of it, and why.
#[derive(Clone, Debug)]
pub struct SetupError {
    /// The adapter's info as far as it is known (`library` is [`UNAVAILABLE`]).
    pub info: Box<AdapterInfo>,
    /// One line, scrubbed and short.
    pub why: String,
}

/// The adapter's info, obtained with the same protections as a verification, within
/// [`RunOptions::hello_timeout`] (plus the grace). An adapter whose info panics, does not come
/// in time (its processes are then killed), or says the adapter is [`UNAVAILABLE`] (a
/// subprocess that did not start or greeted wrongly) is a setup error.
pub fn info_of(adapter: &Arc<dyn Adapter>, opts: &RunOptions) -> Result<AdapterInfo, SetupError> {
    let (tx, rx) = mpsc::channel();
    let a = adapter.clone();
    let spawned = std::thread::Builder::new()
        .name(WORKER_THREAD.to_owned())
        .spawn(move || {
            let info = catch_unwind(AssertUnwindSafe(|| a.info()));
            // Released before answering, so that the caller holds the last reference.
            drop(a);
            let _ = tx.send(info.map_err(|p| panic_message(&*p)));
        });
    let fail = |why: String| SetupError {
        info: Box::new(AdapterInfo {
            name: "unknown".to_owned(),
            library: UNAVAILABLE.to_owned(),
            version: "unknown".to_owned(),
            capabilities: Capabilities::default(),
            notes: vec![why.clone()],
        }),
        why,
    };
    let thread = match spawned {
        Ok(handle) => handle.thread().id(),
        Err(e) => return Err(fail(format!("cannot start a worker thread: {e}"))),
    };
    let wait = opts.hello_timeout() + opts.grace;
    match rx.recv_timeout(wait) {
        Ok(Ok(info)) if info.library == UNAVAILABLE => {
            let why = info
                .notes
                .first()
                .cloned()
                .unwrap_or_else(|| "the adapter is unavailable".to_owned());
            Err(SetupError {
                info: Box::new(info),
                why,
            })
        }
        Ok(Ok(info)) => Ok(info),
        Ok(Err(panic)) => Err(fail(format!("info() panicked: {panic}"))),
        Err(_) => {
            subprocess::abort_waits_of(thread);
            Err(fail(format!(
                "the adapter did not identify itself within {wait:?} (no hello)"
            )))
        }
    }
}
