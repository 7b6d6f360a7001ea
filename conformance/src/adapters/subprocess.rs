//! The subprocess adapter: any verifier, in any language, speaking the JSON-lines protocol
//! (version [`PROTOCOL_VERSION`] or 1; the messages are in [`super::protocol`], documented in
//! `docs/adapters.md`) over stdin/stdout.
//!
//! One process per run: it is started on first use and kept for every vector. The process
//! first prints a hello line (name, library, version, features); then, for each case, the
//! runner writes one request line and reads one response line. A process that does not answer
//! within the case's timeout is killed and restarted for the next case; one that exits is
//! restarted too. Its stderr is drained and its tail is quoted in adapter errors.
//!
//! An adapter process is untrusted: it may hang, spew, fork or lie. So every read from it is
//! bounded ([`MAX_LINE_BYTES`] per line, [`MAX_CASE_BYTES`] per case, stdout and stderr
//! together), every text kept from it is scrubbed of tokens and cut to [`MAX_TEXT_BYTES`], and
//! it runs in a process group of its own, which is killed as a whole (SIGKILL) when a wait on
//! it is given up, when it is done with, and by [`shutdown`] (the CLI's exit and Ctrl-C), so
//! that children it forked do not outlive the run.

use std::collections::{BTreeMap, VecDeque};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

pub use super::protocol::{
    Hello, MAX_RESPONSE_DEPTH, PROTOCOL, PROTOCOL_VERSION, Response, nesting_depth, parse_response,
    repair_surrogates, request,
};
use crate::adapter::{Adapter, AdapterInfo, Capabilities, Case, Outcome};
use crate::text::scrub;

/// How long a process may take to print its hello line (the runner may give up sooner:
/// [`crate::call::RunOptions::hello_timeout`]).
pub const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest line read from an adapter (hello or response). A longer one is a protocol
/// error, detected without buffering it: the process is killed.
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// The most an adapter may write, stdout and stderr together, from one request to its answer
/// (or from its start to its hello): an adapter that spews short lines or endless logs is cut
/// off too, not only one that writes an endless line.
pub const MAX_CASE_BYTES: usize = 4 << 20;
/// The longest text kept from an adapter (an error, a note, a stderr quote), so that reports
/// stay small whatever the adapter says.
pub const MAX_TEXT_BYTES: usize = 400;
/// The most hello notes kept.
pub const MAX_NOTES: usize = 16;
/// What [`AdapterInfo::library`] says when the process could not be started or greeted wrongly
/// (the runner reports a setup error).
pub const UNAVAILABLE: &str = "unavailable";
/// How much of the adapter's stderr is kept (the last bytes), and how much of it is quoted.
const STDERR_KEEP_BYTES: usize = 4096;
const STDERR_QUOTE_BYTES: usize = 240;
/// How often a wait checks the per-case byte budget.
const POLL: Duration = Duration::from_millis(50);
/// How long a process that is done with may take to exit by itself once its stdin is closed.
const EXIT_GRACE: Duration = Duration::from_millis(500);
/// The most requests [`Adapter::verify_batch`] keeps unanswered on one process: enough to hide
/// the round trip, few enough that what waits in the writer's queue stays small.
pub const PIPELINE_WINDOW: usize = 32;
/// The most request bytes a batch writes ahead of the oldest unanswered request (requests may
/// carry megabyte tokens); the oldest itself is always written.
const PIPELINE_AHEAD_BYTES: usize = 4 << 20;
/// Failures in a row (no good answer between them) after which a batch stops restarting the
/// process and answers the rest of its cases with an adapter error.
pub const BATCH_WEDGE_AFTER: usize = 3;

/// The process groups of the adapter processes started and not yet reaped, each with the
/// thread last waiting on it: whoever gives up on a thread's wait (the runner, on a timeout)
/// can kill what that thread was waiting for, and [`shutdown`] can kill everything.
struct Groups {
    live: BTreeMap<i32, ThreadId>,
    closed: bool,
}

static GROUPS: Mutex<Groups> = Mutex::new(Groups {
    live: BTreeMap::new(),
    closed: false,
});

fn groups() -> MutexGuard<'static, Groups> {
    GROUPS.lock().unwrap_or_else(PoisonError::into_inner)
}

fn kill_group(pgid: i32) {
    // ESRCH (the group is gone already) is the only expected error, and harmless.
    let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
}

/// Records a new group as waited on by this thread; after [`shutdown`] it is killed at once.
fn register(pgid: i32) -> Result<(), String> {
    let mut groups = groups();
    if groups.closed {
        kill_group(pgid);
        return Err("the runner is shutting down".to_owned());
    }
    groups.live.insert(pgid, std::thread::current().id());
    Ok(())
}

/// Kills every live adapter process group and refuses to start new ones: for the CLI's exit
/// and its Ctrl-C handler, where nothing an adapter started may outlive the runner.
pub fn shutdown() {
    {
        let mut groups = groups();
        groups.closed = true;
        for pgid in groups.live.keys() {
            kill_group(*pgid);
        }
    }
    crate::live::shutdown();
}

/// Kills the process groups `thread` is waiting on (a hello, an answer). The runner calls it
/// when it abandons a call that overran its timeout, so that an abandoned wait never leaves a
/// process behind; the waiting thread then sees the process gone and returns.
pub fn abort_waits_of(thread: ThreadId) {
    for (pgid, owner) in &groups().live {
        if *owner == thread {
            kill_group(*pgid);
        }
    }
}

/// `text` scrubbed of tokens and addresses ([`scrub`]) and cut to [`MAX_TEXT_BYTES`]: what may
/// be kept of anything an adapter said. Scrubbed before it is cut, so that a token across the
/// cut is still recognized.
pub fn clip_text(text: &str) -> String {
    // Scrub a prefix several times longer than what is kept, not a whole 1 MiB line.
    let prefix = cut(text, 8 * MAX_TEXT_BYTES);
    let clean = scrub(prefix);
    if clean.len() <= MAX_TEXT_BYTES && prefix.len() == text.len() {
        return clean;
    }
    let mut out = cut(&clean, MAX_TEXT_BYTES - '…'.len_utf8()).to_owned();
    out.push('…');
    out
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut at = max;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    &text[..at]
}

/// The outcome with every text in it clipped ([`clip_text`]); claims are left as they are
/// (they are compared, never printed).
fn clipped(outcome: Outcome) -> Outcome {
    match outcome {
        Outcome::Accept { claims } => Outcome::Accept { claims },
        Outcome::Reject { error, reason } => Outcome::Reject {
            error: clip_text(&error),
            reason: reason.map(|r| clip_text(r.as_str()).as_str().into()),
        },
        Outcome::ConfigError { error, code } => Outcome::ConfigError {
            error: clip_text(&error),
            code: code.map(|c| clip_text(c.as_str()).as_str().into()),
        },
        Outcome::Skipped { why } => Outcome::Skipped {
            why: clip_text(&why),
        },
        Outcome::AdapterError { error } => Outcome::AdapterError {
            error: clip_text(&error),
        },
        Outcome::AdapterBroken { error } => Outcome::AdapterBroken {
            error: clip_text(&error),
        },
    }
}

/// The hello with its texts clipped and at most [`MAX_NOTES`] notes.
fn clipped_hello(mut hello: Hello) -> Hello {
    hello.name = clip_text(&hello.name);
    hello.library = clip_text(&hello.library);
    hello.library_version = clip_text(&hello.library_version);
    hello.notes.truncate(MAX_NOTES);
    for note in &mut hello.notes {
        *note = clip_text(note);
    }
    hello
}

/// An adapter process.
pub struct Subprocess {
    name: String,
    program: String,
    args: Vec<String>,
    cwd: Option<PathBuf>,
    conn: Mutex<Option<Conn>>,
    hello: Mutex<Option<Hello>>,
}

impl std::fmt::Debug for Subprocess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subprocess")
            .field("name", &self.name)
            .field("program", &self.program)
            .field("args", &self.args)
            .finish_non_exhaustive()
    }
}

/// One running adapter process: the leader of its own process group.
struct Conn {
    child: Child,
    pgid: i32,
    requests: Option<Sender<Vec<u8>>>,
    lines: Receiver<Result<Vec<u8>, String>>,
    stderr: Arc<Mutex<VecDeque<u8>>>,
    /// Disconnected once stderr is closed and fully drained.
    stderr_closed: Receiver<()>,
    /// Bytes read from stdout and stderr since the last request (or the start).
    written: Arc<AtomicUsize>,
    reaped: bool,
}

impl Conn {
    /// This thread waits on the process now (see [`abort_waits_of`]).
    fn claim(&self) {
        if let Some(owner) = groups().live.get_mut(&self.pgid) {
            *owner = std::thread::current().id();
        }
    }

    /// The end of the adapter's stderr, on one line, scrubbed, at most a few hundred bytes.
    fn stderr_tail(&self) -> String {
        let bytes: Vec<u8> = self
            .stderr
            .lock()
            .map(|t| t.iter().copied().collect())
            .unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let quoted = scrub(&lines.join(" | "));
        if quoted.len() <= STDERR_QUOTE_BYTES {
            return if quoted.is_empty() {
                "(nothing)".to_owned()
            } else {
                quoted
            };
        }
        let mut at = quoted.len() - STDERR_QUOTE_BYTES;
        while !quoted.is_char_boundary(at) {
            at += 1;
        }
        format!("…{}", &quoted[at..])
    }

    /// Sends one request line, starting the case's byte budget; false when the process's
    /// stdin is gone.
    fn send(&self, line: Vec<u8>) -> bool {
        self.written.store(0, Ordering::SeqCst);
        self.push(line)
    }

    /// Hands one request line to the writer thread (which never blocks the caller), leaving
    /// the byte count alone; false when the process's stdin is gone.
    fn push(&self, mut line: Vec<u8>) -> bool {
        line.push(b'\n');
        self.requests
            .as_ref()
            .is_some_and(|tx| tx.send(line).is_ok())
    }

    /// Bytes read from stdout and stderr so far (since the last [`Conn::send`]).
    fn written(&self) -> usize {
        self.written.load(Ordering::SeqCst)
    }

    /// The next line, within `wait` and the per-case byte budget.
    fn recv(&self, wait: Duration) -> Result<String, String> {
        self.recv_by(deadline_after(Instant::now(), wait), wait, 0)
    }

    /// The next line, by `deadline` (a timeout names `wait`), before the process has written
    /// more than [`MAX_CASE_BYTES`] beyond `base` bytes ([`Conn::written`]).
    fn recv_by(&self, deadline: Instant, wait: Duration, base: usize) -> Result<String, String> {
        loop {
            if self.written().saturating_sub(base) > MAX_CASE_BYTES {
                return Err(format!(
                    "the adapter wrote more than {} MiB for one case",
                    MAX_CASE_BYTES >> 20
                ));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(format!("timeout: no answer within {wait:?}"));
            }
            match self.lines.recv_timeout(left.min(POLL)) {
                Ok(Ok(line)) => {
                    return String::from_utf8(line)
                        .map_err(|_| "protocol error: a line that is not UTF-8".to_owned());
                }
                Ok(Err(e)) => return Err(e),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    // Let the stderr drain catch the last words (a child may hold stderr open,
                    // so not for long).
                    let _ = self.stderr_closed.recv_timeout(EXIT_GRACE);
                    return Err(format!(
                        "adapter process exited (or closed its stdout); stderr: {}",
                        self.stderr_tail()
                    ));
                }
            }
        }
    }

    /// Kills the whole process group at once (a hung adapter gets no grace period) and reaps
    /// the leader. The group is killed before the leader is reaped: until then its ID cannot
    /// be reused, so the signal cannot reach a stranger.
    fn kill(&mut self) {
        if self.reaped {
            return;
        }
        self.requests.take();
        kill_group(self.pgid);
        groups().live.remove(&self.pgid);
        let _ = self.child.wait();
        self.reaped = true;
    }
}

/// `start + wait`, or a year from `start` for a wait too long to add.
fn deadline_after(start: Instant, wait: Duration) -> Instant {
    start
        .checked_add(wait)
        .or_else(|| start.checked_add(Duration::from_secs(365 * 86_400)))
        .unwrap_or(start)
}

/// What a case gets for the failure that ended its process (which is restarted for the next).
fn restarted(error: &str) -> Outcome {
    Outcome::AdapterError {
        error: format!(
            "{} (adapter process restarted)",
            cut(error, MAX_TEXT_BYTES - 40)
        ),
    }
}

/// The answer `r` was not for `case`.
fn wrong_answer(r: &Response, case: &Case<'_>) -> String {
    format!(
        "protocol error: answer for {} step {} while asking {} step {}",
        cut(&r.id, 100),
        r.step,
        case.vector.id,
        case.step
    )
}

/// The `skipped` answer for a case an adapter of protocol `version` must not be sent: one of
/// protocol 1 or 2 predates the profile members of vector schema 3 (a rfc9068 ES256 profile may
/// still carry `typ: null`, `required_claims`, …) and would misread them.
fn predates(version: u32, case: &Case<'_>) -> Option<Outcome> {
    (version < 3 && crate::corpus::schema_version_of(case.profile) > 2).then(|| Outcome::Skipped {
        why: format!(
            "the adapter speaks protocol {version}, which predates this profile's members \
             (vector schema 3)"
        ),
    })
}

/// True when `a` and `b` ask about the same step of the same vector: their answers could not
/// be told apart, so they are never unanswered at the same time.
fn same_step(a: &Case<'_>, b: &Case<'_>) -> bool {
    a.step == b.step && a.vector.id == b.vector.id
}

impl Drop for Conn {
    fn drop(&mut self) {
        if self.reaped {
            return;
        }
        // Closing stdin asks the process to exit: wait a moment for its stdout to close, then
        // kill the group anyway, which takes care of the leader if it is slow and of anything it
        // forked that is still around.
        self.requests.take();
        let deadline = Instant::now() + EXIT_GRACE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(_) if !left.is_zero() => {}
                Ok(_) | Err(_) => break,
            }
        }
        self.kill();
    }
}

impl Subprocess {
    /// An adapter that runs `program args…` (in `cwd`, if given). `name` is used until the
    /// process has said its own.
    pub fn new(
        name: impl Into<String>,
        program: impl Into<String>,
        args: Vec<String>,
        cwd: Option<PathBuf>,
    ) -> Self {
        Subprocess {
            name: name.into(),
            program: program.into(),
            args,
            cwd,
            conn: Mutex::new(None),
            hello: Mutex::new(None),
        }
    }

    /// Starts the process now (if it is not running) and returns its hello.
    pub fn probe(&self) -> Result<Hello, String> {
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        if conn.is_none() {
            *conn = Some(self.start()?);
        }
        self.hello
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or_else(|| "no hello".to_owned())
    }

    /// Starts the process in a process group of its own and reads its hello. Any failure kills
    /// the group before returning.
    fn start(&self) -> Result<Conn, String> {
        let mut command = Command::new(&self.program);
        command
            .args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        if let Some(cwd) = &self.cwd {
            command.current_dir(cwd);
        }
        // The run CA, for adapters whose key-set client fetches from the live server.
        command.envs(crate::live::child_env()?);
        for proxy in crate::live::PROXY_VARS {
            command.env_remove(proxy);
        }
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.program))?;
        let Ok(pgid) = i32::try_from(child.id()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err("the adapter process has an impossible process ID".to_owned());
        };
        if let Err(e) = register(pgid) {
            let _ = child.wait();
            return Err(e);
        }
        let (stdin, stdout, stderr) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take());
        let written = Arc::new(AtomicUsize::new(0));
        // Until the Conn exists, a failure must kill the group by hand.
        let fail = |mut child: Child, e: String| {
            kill_group(pgid);
            groups().live.remove(&pgid);
            let _ = child.wait();
            Err(e)
        };
        let (Some(stdin), Some(stdout), Some(stderr)) = (stdin, stdout, stderr) else {
            return fail(child, "no pipes to the adapter process".to_owned());
        };
        let threads = spawn_writer(stdin).and_then(|requests| {
            let lines = spawn_reader(stdout, written.clone())?;
            let tail = spawn_stderr_drain(stderr, written.clone())?;
            Ok((requests, lines, tail))
        });
        let (requests, lines, (stderr, stderr_closed)) = match threads {
            Ok(t) => t,
            Err(e) => return fail(child, e),
        };
        let mut conn = Conn {
            child,
            pgid,
            requests: Some(requests),
            lines,
            stderr,
            stderr_closed,
            written,
            reaped: false,
        };
        let hello = conn
            .recv(STARTUP_TIMEOUT)
            .map_err(|e| format!("no hello from {}: {e}", self.program))
            .and_then(|line| Hello::parse(&line).map_err(|e| format!("{}: {e}", self.program)));
        match hello {
            Ok(hello) => {
                *self.hello.lock().unwrap_or_else(PoisonError::into_inner) =
                    Some(clipped_hello(hello));
                Ok(conn)
            }
            Err(e) => {
                conn.kill();
                Err(clip_text(&e))
            }
        }
    }

    fn exchange(&self, case: &Case<'_>) -> Outcome {
        let mut guard = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        if guard.is_none() {
            match self.start() {
                Ok(conn) => *guard = Some(conn),
                Err(error) => return Outcome::AdapterError { error },
            }
        }
        let Some(conn) = guard.as_mut() else {
            return Outcome::AdapterError {
                error: "no adapter process".to_owned(),
            };
        };
        conn.claim();
        let version = self.version();
        if let Some(skipped) = predates(version, case) {
            return skipped;
        }
        let line = request(case, version).to_string().into_bytes();
        let answer = if conn.send(line) {
            conn.recv(case.timeout)
        } else {
            Err("the adapter process's stdin is closed".to_owned())
        };
        let response = answer.and_then(|line| parse_response(&line));
        let error = match response {
            Ok(r) if r.id == case.vector.id && r.step == case.step => return r.outcome,
            Ok(r) => wrong_answer(&r, case),
            Err(error) => error,
        };
        // Timeout, crash, garbage or a wrong answer: this process is done; the next case gets
        // a new one.
        conn.kill();
        *guard = None;
        restarted(&error)
    }

    /// The protocol version of the process's hello.
    fn version(&self) -> u32 {
        self.hello
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map_or(PROTOCOL_VERSION, |h| h.version)
    }

    /// [`Adapter::verify_batch`]: the cases pipelined over the process, each answer held to
    /// what [`Subprocess::exchange`] holds one to. A failure costs the oldest unanswered case
    /// (answered as `exchange` would answer it) and the process; the cases written after it
    /// are sent again to a new one, until [`BATCH_WEDGE_AFTER`] failures in a row.
    fn exchange_batch(&self, cases: &[Case<'_>]) -> Vec<Outcome> {
        let mut out: Vec<Option<Outcome>> = cases.iter().map(|_| None).collect();
        let mut queue: VecDeque<usize> = (0..cases.len()).collect();
        let mut failures = 0;
        let mut guard = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        while let Some(&first) = queue.front() {
            if failures >= BATCH_WEDGE_AFTER {
                let error =
                    format!("adapter wedged: {failures} failures in a row in this batch; not sent");
                for i in queue.drain(..) {
                    out[i] = Some(Outcome::AdapterError {
                        error: error.clone(),
                    });
                }
                break;
            }
            let conn = match guard.as_mut() {
                Some(conn) => conn,
                None => match self.start() {
                    Ok(conn) => guard.insert(conn),
                    Err(error) => {
                        queue.pop_front();
                        out[first] = Some(Outcome::AdapterError { error });
                        failures += 1;
                        continue;
                    }
                },
            };
            if let Err((i, error)) = self.pipeline(conn, cases, &mut queue, &mut out, &mut failures)
            {
                // This process is done: the case it failed on is answered, the ones written
                // after it are back at the head of the queue for the next process.
                conn.kill();
                *guard = None;
                out[i] = Some(restarted(&error));
                failures += 1;
            }
        }
        out.into_iter()
            .map(|o| {
                clipped(o.unwrap_or_else(|| Outcome::AdapterError {
                    error: "no answer".to_owned(),
                }))
            })
            .collect()
    }

    /// Writes the cases of `queue` to `conn` up to [`PIPELINE_WINDOW`] ahead and reads their
    /// answers in order, until the queue is empty or a case fails: then the failing case and
    /// its error, the cases written after it back at the head of `queue`. Each answer is due
    /// within its case's timeout of the previous answer (or of the first write), within the
    /// byte budget counted from there. A good answer sets `failures` back to 0.
    fn pipeline(
        &self,
        conn: &Conn,
        cases: &[Case<'_>],
        queue: &mut VecDeque<usize>,
        out: &mut [Option<Outcome>],
        failures: &mut usize,
    ) -> Result<(), (usize, String)> {
        conn.claim();
        let version = self.version();
        // The cases written and not yet answered, oldest first, with their request sizes.
        let mut unanswered: VecDeque<(usize, usize)> = VecDeque::new();
        let mut ahead = 0;
        let mut stdin_closed = false;
        let mut since = Instant::now();
        let mut base = conn.written();
        loop {
            while !stdin_closed && unanswered.len() < PIPELINE_WINDOW {
                let Some(&i) = queue.front() else { break };
                if let Some(skipped) = predates(version, &cases[i]) {
                    queue.pop_front();
                    out[i] = Some(skipped);
                    continue;
                }
                let twin = unanswered
                    .iter()
                    .any(|&(j, _)| same_step(&cases[j], &cases[i]));
                if !unanswered.is_empty() && (ahead >= PIPELINE_AHEAD_BYTES || twin) {
                    break;
                }
                let line = request(&cases[i], version).to_string().into_bytes();
                let size = line.len();
                if unanswered.is_empty() {
                    since = Instant::now();
                    base = conn.written();
                }
                if !conn.push(line) {
                    stdin_closed = true;
                    break;
                }
                queue.pop_front();
                unanswered.push_back((i, size));
                ahead += size;
            }
            let Some(&(i, size)) = unanswered.front() else {
                return match queue.pop_front() {
                    Some(i) => Err((i, "the adapter process's stdin is closed".to_owned())),
                    None => Ok(()),
                };
            };
            let case = &cases[i];
            let response = conn
                .recv_by(deadline_after(since, case.timeout), case.timeout, base)
                .and_then(|line| parse_response(&line));
            unanswered.pop_front();
            let error = match response {
                Ok(r) if r.id == case.vector.id && r.step == case.step => {
                    out[i] = Some(r.outcome);
                    ahead -= size;
                    since = Instant::now();
                    base = conn.written();
                    *failures = 0;
                    continue;
                }
                Ok(r) => wrong_answer(&r, case),
                Err(error) => error,
            };
            for &(j, _) in unanswered.iter().rev() {
                queue.push_front(j);
            }
            return Err((i, error));
        }
    }
}

fn spawn_writer(mut stdin: ChildStdin) -> Result<Sender<Vec<u8>>, String> {
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::Builder::new()
        .name("adapter-stdin".to_owned())
        .spawn(move || {
            for line in rx {
                if stdin.write_all(&line).and_then(|()| stdin.flush()).is_err() {
                    break;
                }
            }
        })
        .map_err(|e| e.to_string())?;
    Ok(tx)
}

/// Reads stdout line by line, never holding more than [`MAX_LINE_BYTES`] of one line, and
/// hands lines over one at a time (a full hand-over blocks the reader, and so the adapter:
/// nothing piles up). A line too long ends the reading with an error; the caller kills the
/// process.
fn spawn_reader(
    mut stdout: impl Read + Send + 'static,
    written: Arc<AtomicUsize>,
) -> Result<Receiver<Result<Vec<u8>, String>>, String> {
    let (tx, rx) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("adapter-stdout".to_owned())
        .spawn(move || read_lines(&mut stdout, &written, &tx))
        .map_err(|e| e.to_string())?;
    Ok(rx)
}

fn read_lines(
    stdout: &mut impl Read,
    written: &AtomicUsize,
    tx: &SyncSender<Result<Vec<u8>, String>>,
) {
    let too_long = || {
        Err(format!(
            "protocol error: a line longer than {} MiB",
            MAX_LINE_BYTES >> 20
        ))
    };
    let mut buf = vec![0u8; 64 * 1024];
    let mut line = Vec::new();
    loop {
        let n = match stdout.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => {
                let _ = tx.send(Err(format!("reading the adapter's stdout failed: {e}")));
                return;
            }
        };
        written.fetch_add(n, Ordering::SeqCst);
        let mut chunk = &buf[..n];
        while let Some(at) = chunk.iter().position(|&b| b == b'\n') {
            if line.len() + at > MAX_LINE_BYTES {
                let _ = tx.send(too_long());
                return;
            }
            line.extend_from_slice(&chunk[..at]);
            if tx.send(Ok(std::mem::take(&mut line))).is_err() {
                return;
            }
            chunk = &chunk[at + 1..];
        }
        if line.len() + chunk.len() > MAX_LINE_BYTES {
            let _ = tx.send(too_long());
            return;
        }
        line.extend_from_slice(chunk);
    }
    if !line.is_empty() {
        let _ = tx.send(Ok(line));
    }
}

/// The last bytes of an adapter's stderr, and a channel that disconnects when it is closed.
type StderrTail = (Arc<Mutex<VecDeque<u8>>>, Receiver<()>);

/// Drains stderr so that the adapter never blocks on it, counting what it writes and keeping
/// only the last [`STDERR_KEEP_BYTES`].
fn spawn_stderr_drain(
    mut stderr: impl Read + Send + 'static,
    written: Arc<AtomicUsize>,
) -> Result<StderrTail, String> {
    let tail = Arc::new(Mutex::new(VecDeque::with_capacity(STDERR_KEEP_BYTES)));
    let sink = tail.clone();
    let (closed, stderr_closed) = mpsc::channel::<()>();
    std::thread::Builder::new()
        .name("adapter-stderr".to_owned())
        .spawn(move || {
            // Dropped when the drain ends: the receiver then knows every byte is in.
            let _closed = closed;
            let mut buf = vec![0u8; 8 * 1024];
            loop {
                let n = match stderr.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(_) => break,
                };
                written.fetch_add(n, Ordering::SeqCst);
                let mut t = sink.lock().unwrap_or_else(PoisonError::into_inner);
                t.extend(&buf[..n]);
                let excess = t.len().saturating_sub(STDERR_KEEP_BYTES);
                t.drain(..excess);
            }
        })
        .map_err(|e| e.to_string())?;
    Ok((tail, stderr_closed))
}

impl Adapter for Subprocess {
    fn info(&self) -> AdapterInfo {
        match self.probe() {
            Ok(h) => h.info(),
            Err(e) => AdapterInfo {
                name: self.name.clone(),
                library: UNAVAILABLE.to_owned(),
                version: "unknown".to_owned(),
                capabilities: Capabilities::default(),
                notes: vec![clip_text(&e)],
            },
        }
    }

    fn verify(&self, case: &Case<'_>) -> Outcome {
        clipped(self.exchange(case))
    }

    /// The cases pipelined over the one process ([`PIPELINE_WINDOW`] at a time), with the
    /// bounds, errors and restarts of [`Adapter::verify`]. A failure costs the oldest
    /// unanswered case and the process; the cases written after it go to a new one, until
    /// [`BATCH_WEDGE_AFTER`] failures in a row answer the rest with an adapter error.
    fn verify_batch(&self, cases: &[Case<'_>]) -> Vec<Outcome> {
        self.exchange_batch(cases)
    }
}
