//! The subprocess adapter: any verifier, in any language, speaking the JSON-lines protocol
//! (version [`ADAPTER_API_VERSION`], documented in `docs/adapters.md`) over stdin/stdout.
//!
//! One process per run: it is started on first use and kept for every vector. The process
//! first prints a hello line (name, library, version, features); then, for each case, the
//! runner writes one request line and reads one response line. A process that does not answer
//! within the case's timeout is killed and restarted for the next case; one that exits is
//! restarted too. Its stderr is drained and its tail is quoted in adapter errors.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::adapter::{
    ADAPTER_API_VERSION, Adapter, AdapterInfo, AdapterOutcome, Capabilities, Case,
};
use crate::vector::Feature;

/// The protocol name a hello line must carry.
pub const PROTOCOL: &str = "jwt-conformance-adapter";
/// How long a process may take to print its hello line.
pub const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
const STDERR_TAIL_LINES: usize = 20;

/// The first line an adapter process prints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub protocol: String,
    pub version: u32,
    pub name: String,
    pub library: String,
    pub library_version: String,
    #[serde(default)]
    pub features: Vec<Feature>,
    #[serde(default)]
    pub exact: bool,
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Deserialize)]
struct Response {
    id: String,
    step: usize,
    #[serde(flatten)]
    outcome: AdapterOutcome,
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

struct Conn {
    child: Child,
    requests: Option<Sender<String>>,
    lines: Receiver<Result<String, String>>,
    stderr: Arc<Mutex<VecDeque<String>>>,
}

impl Conn {
    fn stderr_tail(&self) -> String {
        let tail = self
            .stderr
            .lock()
            .map(|t| t.iter().cloned().collect::<Vec<_>>());
        tail.map(|t| t.join(" | ")).unwrap_or_default()
    }

    fn recv(&self, timeout: Duration) -> Result<String, String> {
        match self.lines.recv_timeout(timeout) {
            Ok(Ok(line)) => Ok(line),
            Ok(Err(e)) => Err(format!("reading the adapter's stdout failed: {e}")),
            Err(RecvTimeoutError::Timeout) => Err(format!("timeout: no answer within {timeout:?}")),
            Err(RecvTimeoutError::Disconnected) => {
                // Give the stderr drain a moment to catch the last words.
                std::thread::sleep(Duration::from_millis(50));
                Err(format!(
                    "adapter process exited; stderr: {}",
                    self.stderr_tail()
                ))
            }
        }
    }
}

impl Conn {
    /// Kills the process at once (a hung adapter gets no grace period).
    fn kill(&mut self) {
        self.requests.take();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        // Closing stdin asks the process to exit; it is killed if it does not, promptly.
        self.requests.take();
        let deadline = Instant::now() + Duration::from_millis(500);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
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
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        if conn.is_none() {
            *conn = Some(self.start()?);
        }
        self.hello
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or_else(|| "no hello".to_owned())
    }

    fn start(&self) -> Result<Conn, String> {
        let mut command = Command::new(&self.program);
        command
            .args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(cwd) = &self.cwd {
            command.current_dir(cwd);
        }
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.program))?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            return Err("no pipes to the adapter process".to_owned());
        };
        let requests = spawn_writer(stdin)?;
        let lines = spawn_reader(stdout)?;
        let tail = spawn_stderr_drain(stderr)?;
        let conn = Conn {
            child,
            requests: Some(requests),
            lines,
            stderr: tail,
        };
        let line = conn
            .recv(STARTUP_TIMEOUT)
            .map_err(|e| format!("no hello from {}: {e}", self.program))?;
        let hello: Hello = serde_json::from_str(&line)
            .map_err(|e| format!("bad hello line from {}: {e}: {line}", self.program))?;
        if hello.protocol != PROTOCOL || hello.version != ADAPTER_API_VERSION {
            return Err(format!(
                "{} speaks {} version {}; this runner speaks {PROTOCOL} version {ADAPTER_API_VERSION}",
                self.program, hello.protocol, hello.version
            ));
        }
        *self.hello.lock().unwrap_or_else(|p| p.into_inner()) = Some(hello);
        Ok(conn)
    }
}

fn spawn_writer(mut stdin: ChildStdin) -> Result<Sender<String>, String> {
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::Builder::new()
        .name("adapter-stdin".to_owned())
        .spawn(move || {
            for line in rx {
                let ok = stdin
                    .write_all(line.as_bytes())
                    .and_then(|()| stdin.write_all(b"\n"))
                    .and_then(|()| stdin.flush());
                if ok.is_err() {
                    break;
                }
            }
        })
        .map_err(|e| e.to_string())?;
    Ok(tx)
}

fn spawn_reader(
    stdout: impl Read + Send + 'static,
) -> Result<Receiver<Result<String, String>>, String> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("adapter-stdout".to_owned())
        .spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let stop = line.is_err();
                if tx.send(line.map_err(|e| e.to_string())).is_err() || stop {
                    break;
                }
            }
        })
        .map_err(|e| e.to_string())?;
    Ok(rx)
}

fn spawn_stderr_drain(
    stderr: impl Read + Send + 'static,
) -> Result<Arc<Mutex<VecDeque<String>>>, String> {
    let tail = Arc::new(Mutex::new(VecDeque::new()));
    let sink = tail.clone();
    std::thread::Builder::new()
        .name("adapter-stderr".to_owned())
        .spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(mut t) = sink.lock() {
                    if t.len() == STDERR_TAIL_LINES {
                        t.pop_front();
                    }
                    t.push_back(line);
                }
            }
        })
        .map_err(|e| e.to_string())?;
    Ok(tail)
}

/// The request line for a case (protocol version 1).
pub fn request(case: &Case<'_>) -> Value {
    json!({
        "version": ADAPTER_API_VERSION,
        "type": "verify",
        "id": case.vector.id,
        "step": case.step,
        "token": case.token_str(),
        "token_b64": STANDARD.encode(case.token),
        "jwks": case.jwks,
        "profile": case.profile,
        "now": case.now,
        "actions": case.actions,
        "features": case.vector.features,
        "timeout_ms": u64::try_from(case.timeout.as_millis()).unwrap_or(u64::MAX),
    })
}

impl Adapter for Subprocess {
    fn info(&self) -> AdapterInfo {
        match self.probe() {
            Ok(h) => AdapterInfo {
                name: h.name,
                library: h.library,
                version: h.library_version,
                capabilities: Capabilities {
                    features: h.features.into_iter().collect(),
                    exact: h.exact,
                },
                notes: h.notes,
            },
            Err(e) => AdapterInfo {
                name: self.name.clone(),
                library: "unavailable".to_owned(),
                version: "unknown".to_owned(),
                capabilities: Capabilities::default(),
                notes: vec![e],
            },
        }
    }

    fn verify(&self, case: &Case<'_>) -> AdapterOutcome {
        let mut guard = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            match self.start() {
                Ok(conn) => *guard = Some(conn),
                Err(error) => return AdapterOutcome::AdapterError { error },
            }
        }
        let Some(conn) = guard.as_ref() else {
            return AdapterOutcome::AdapterError {
                error: "no adapter process".to_owned(),
            };
        };
        let line = request(case).to_string();
        let sent = conn
            .requests
            .as_ref()
            .is_some_and(|tx| tx.send(line).is_ok());
        let answer = if sent {
            conn.recv(case.timeout)
        } else {
            Err("the adapter process's stdin is closed".to_owned())
        };
        let response = answer.and_then(|line| parse_response(&line));
        match response {
            Ok(r) if r.id == case.vector.id && r.step == case.step => r.outcome,
            Ok(r) => {
                *guard = None;
                AdapterOutcome::AdapterError {
                    error: format!(
                        "protocol error: answer for {} step {} while asking {} step {}; process restarted",
                        r.id, r.step, case.vector.id, case.step
                    ),
                }
            }
            Err(error) => {
                // Timeout, crash or garbage: this process is done; the next case gets a new one.
                if let Some(mut conn) = guard.take() {
                    conn.kill();
                }
                AdapterOutcome::AdapterError {
                    error: format!("{error} (adapter process restarted)"),
                }
            }
        }
    }
}

/// Deepest nesting accepted in a response line (claims of deeply nested payloads come back).
pub const MAX_RESPONSE_DEPTH: usize = 2048;

/// Parses a response line. Lone UTF-16 surrogate escapes (which JSON encoders of other
/// languages emit for strings their JSON parser accepted) are replaced with U+FFFD first, since
/// they are not Unicode scalar values.
fn parse_response(line: &str) -> Result<Response, String> {
    let bad = |e: String| {
        format!(
            "protocol error: bad response line ({e}): {}",
            crate::runner::one_line(line, 200)
        )
    };
    if nesting_depth(line) > MAX_RESPONSE_DEPTH {
        return Err(bad(format!("nested deeper than {MAX_RESPONSE_DEPTH}")));
    }
    let repaired = repair_surrogates(line);
    let mut de = serde_json::Deserializer::from_str(&repaired);
    de.disable_recursion_limit();
    let response = Response::deserialize(&mut de).map_err(|e| bad(e.to_string()))?;
    de.end().map_err(|e| bad(e.to_string()))?;
    Ok(response)
}

/// The deepest nesting of arrays and objects, outside strings.
fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Replaces `\uD800`–`\uDFFF` escapes that are not a high-low pair with `\uFFFD`.
pub fn repair_surrogates(text: &str) -> std::borrow::Cow<'_, str> {
    let unit = |s: &str| -> Option<u16> {
        let hex = s.strip_prefix("\\u")?.get(..4)?;
        u16::from_str_radix(hex, 16).ok()
    };
    if !text.contains("\\u") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with("\\\\") {
            out.push_str("\\\\");
            i += 2;
            continue;
        }
        match unit(rest) {
            Some(0xD800..=0xDBFF) => {
                if let Some(0xDC00..=0xDFFF) = rest.get(6..).and_then(unit) {
                    out.push_str(&rest[..12]);
                    i += 12;
                } else {
                    out.push_str("\\uFFFD");
                    i += 6;
                }
            }
            Some(0xDC00..=0xDFFF) => {
                out.push_str("\\uFFFD");
                i += 6;
            }
            _ => {
                let c = rest.chars().next().unwrap_or('\0');
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    std::borrow::Cow::Owned(out)
}
