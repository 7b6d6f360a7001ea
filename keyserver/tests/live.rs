//! The key-set server and the reference client against each other, over real loopback sockets.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use keyserver::{Connection, GetError, Listener, Live, Logged, LoggedKind, Reply, Router, Server};

const TIMEOUT: Duration = Duration::from_secs(3);
const MAX: usize = 64 * 1024;

/// One server for the whole file: certificates are made once, as in a run.
fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| Server::start().expect("server starts"))
}

/// Replies by path, connection decisions by listener; unknown paths get 404.
#[derive(Default)]
struct Script {
    replies: Mutex<HashMap<String, Reply>>,
    connections: Mutex<HashMap<Listener, Connection>>,
}

impl Script {
    fn reply(&self, path: &str, reply: Reply) {
        self.replies.lock().unwrap().insert(path.to_owned(), reply);
    }
    fn connection(&self, listener: Listener, c: Connection) {
        self.connections.lock().unwrap().insert(listener, c);
    }
}

impl Router for Script {
    fn connection(&self, listener: Listener) -> Connection {
        let map = self.connections.lock().unwrap();
        map.get(&listener).copied().unwrap_or(Connection::Serve)
    }
    fn reply(&self, _: Listener, _: &str, path: &str) -> Reply {
        let map = self.replies.lock().unwrap();
        map.get(path).cloned().unwrap_or(Reply::Respond {
            status: 404,
            location: None,
            content_type: None,
            body: b"not found".to_vec(),
        })
    }
}

fn open() -> (Arc<Script>, Live) {
    let script = Arc::new(Script::default());
    let live = server().open(script.clone()).expect("listeners open");
    (script, live)
}

fn ok(body: &[u8]) -> Reply {
    Reply::Respond {
        status: 200,
        location: None,
        content_type: Some("application/json"),
        body: body.to_vec(),
    }
}

fn fetch(live: &Live, listener: Listener, path: &str) -> Result<(u16, Vec<u8>), GetError> {
    let url = format!("{}{path}", live.origin(listener));
    keyserver::get(&url, server().ca_pem(), TIMEOUT, MAX)
}

fn entries(log: &[Logged], listener: Listener, kind: LoggedKind) -> Vec<&Logged> {
    log.iter()
        .filter(|e| e.listener == listener && e.kind == kind)
        .collect()
}

#[test]
fn serves_a_body_and_logs_connect_and_request() {
    let (script, live) = open();
    let body = br#"{"keys":[{"kty":"EC","crv":"P-256"}]}"#;
    script.reply("/jwks.json", ok(body));
    let got = fetch(&live, Listener::Issuer, "/jwks.json");
    assert_eq!(got, Ok((200, body.to_vec())));
    let log = live.log();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0].kind, LoggedKind::Connect);
    assert_eq!(log[0].listener, Listener::Issuer);
    assert_eq!(log[1].kind, LoggedKind::Request);
    assert_eq!(log[1].method, "GET");
    assert_eq!(log[1].path, "/jwks.json");
    assert!(log[0].seq < log[1].seq);
    assert_eq!(live.log_dropped(), 0);
    assert!(
        live.origin(Listener::Issuer)
            .starts_with("https://127.0.0.1:")
    );
    assert!(
        live.origin(Listener::Decoy)
            .starts_with("https://127.0.0.1:")
    );
    assert!(
        live.origin(Listener::Plain)
            .starts_with("http://127.0.0.1:")
    );
    assert!(server().ca_pem().starts_with("-----BEGIN CERTIFICATE-----"));
    let on_disk = std::fs::read_to_string(server().ca_file()).unwrap();
    assert_eq!(on_disk, server().ca_pem());
}

#[test]
fn error_statuses_are_returned_as_statuses() {
    let (script, live) = open();
    script.reply(
        "/e500",
        Reply::Respond {
            status: 500,
            location: None,
            content_type: None,
            body: b"boom".to_vec(),
        },
    );
    assert_eq!(
        fetch(&live, Listener::Issuer, "/missing"),
        Ok((404, b"not found".to_vec()))
    );
    assert_eq!(
        fetch(&live, Listener::Issuer, "/e500"),
        Ok((500, b"boom".to_vec()))
    );
}

#[test]
fn redirects_are_returned_not_followed() {
    let (script, live) = open();
    let target = format!("{}/jwks.json", live.origin(Listener::Decoy));
    script.reply(
        "/jwks.json",
        Reply::Respond {
            status: 302,
            location: Some(target),
            content_type: None,
            body: Vec::new(),
        },
    );
    let (status, _) = fetch(&live, Listener::Issuer, "/jwks.json").unwrap();
    assert_eq!(status, 302);
    // Give a (wrongly) followed redirect time to land before looking.
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        live.log().iter().all(|e| e.listener == Listener::Issuer),
        "{:?}",
        live.log()
    );
}

#[test]
fn hang_times_out_within_the_timeout() {
    let (script, live) = open();
    script.reply("/slow", Reply::Hang { ms: 5000 });
    let url = format!("{}/slow", live.origin(Listener::Issuer));
    let start = Instant::now();
    let got = keyserver::get(&url, server().ca_pem(), Duration::from_millis(300), MAX);
    let took = start.elapsed();
    assert_eq!(got, Err(GetError::Timeout));
    assert!(took < Duration::from_millis(1500), "took {took:?}");
    assert_eq!(
        entries(&live.log(), Listener::Issuer, LoggedKind::Request).len(),
        1
    );
}

#[test]
fn dropped_request_is_a_transport_error() {
    let (script, live) = open();
    script.reply("/drop", Reply::Drop);
    assert_eq!(
        fetch(&live, Listener::Issuer, "/drop"),
        Err(GetError::Transport)
    );
    assert_eq!(
        entries(&live.log(), Listener::Issuer, LoggedKind::Request).len(),
        1
    );
}

#[test]
fn refused_connection_is_logged_and_a_transport_error() {
    let (script, live) = open();
    script.reply("/jwks.json", ok(b"{}"));
    script.connection(Listener::Issuer, Connection::Refuse);
    assert_eq!(
        fetch(&live, Listener::Issuer, "/jwks.json"),
        Err(GetError::Transport)
    );
    let log = live.log();
    assert_eq!(
        entries(&log, Listener::Issuer, LoggedKind::Connect).len(),
        1
    );
    assert!(entries(&log, Listener::Issuer, LoggedKind::Request).is_empty());
}

#[test]
fn untrusted_certificate_is_a_transport_error() {
    let (script, live) = open();
    script.reply("/jwks.json", ok(b"{}"));
    script.connection(Listener::Decoy, Connection::Untrusted);
    assert_eq!(
        fetch(&live, Listener::Decoy, "/jwks.json"),
        Err(GetError::Transport)
    );
    assert!(entries(&live.log(), Listener::Decoy, LoggedKind::Request).is_empty());
    // The same listener with the trusted leaf serves, so the failure was the certificate.
    script.connection(Listener::Decoy, Connection::Serve);
    assert_eq!(
        fetch(&live, Listener::Decoy, "/jwks.json"),
        Ok((200, b"{}".to_vec()))
    );
}

#[test]
fn plain_listener_serves_http_and_get_refuses_it() {
    let (script, live) = open();
    script.reply("/jwks.json", ok(b"{}"));
    assert_eq!(
        fetch(&live, Listener::Plain, "/jwks.json"),
        Err(GetError::NotHttps)
    );
    std::thread::sleep(Duration::from_millis(50));
    assert!(live.log().is_empty(), "{:?}", live.log());
    // An https URL to the plain port fails the handshake.
    let port = live.ports()[2];
    let url = format!("https://127.0.0.1:{port}/jwks.json");
    assert_eq!(
        keyserver::get(&url, server().ca_pem(), TIMEOUT, MAX),
        Err(GetError::Transport)
    );
    // And the plain listener does speak HTTP/1.1, closing after one response.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    s.write_all(b"GET /jwks.json HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let text = String::from_utf8_lossy(&out).to_ascii_lowercase();
    assert!(text.starts_with("http/1.1 200"), "{text}");
    assert!(text.contains("connection: close"), "{text}");
    assert!(text.ends_with("\r\n\r\n{}"), "{text}");
}

#[test]
fn body_over_the_limit_is_too_large() {
    let (script, live) = open();
    script.reply("/big", ok(&vec![b'x'; 5000]));
    let url = format!("{}/big", live.origin(Listener::Issuer));
    let ca = server().ca_pem();
    assert_eq!(
        keyserver::get(&url, ca, TIMEOUT, 4999),
        Err(GetError::TooLarge)
    );
    assert_eq!(
        keyserver::get(&url, ca, TIMEOUT, 5000),
        Ok((200, vec![b'x'; 5000]))
    );
}

#[test]
fn get_trusts_only_the_given_ca() {
    let (script, live) = open();
    script.reply("/jwks.json", ok(b"{}"));
    let other = Server::start().unwrap();
    let url = format!("{}/jwks.json", live.origin(Listener::Issuer));
    assert_eq!(
        keyserver::get(&url, other.ca_pem(), TIMEOUT, MAX),
        Err(GetError::Transport)
    );
    assert_eq!(
        keyserver::get(&url, "not a pem", TIMEOUT, MAX),
        Err(GetError::Transport)
    );
}

/// Ports in LISTEN state (`0A`) in /proc/net/tcp.
#[cfg(target_os = "linux")]
fn listening_ports() -> Vec<u16> {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (_, port) = fields.get(1)?.split_once(':')?;
            (fields.get(3) == Some(&"0A")).then(|| u16::from_str_radix(port, 16).ok())?
        })
        .collect()
}

fn assert_closed(ports: [u16; 3]) {
    for port in ports {
        let err = TcpStream::connect(("127.0.0.1", port)).expect_err("port still listens");
        assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused, "{port}");
    }
    #[cfg(target_os = "linux")]
    {
        let listening = listening_ports();
        for port in ports {
            assert!(!listening.contains(&port), "{port} still in LISTEN");
        }
    }
}

#[test]
fn nothing_listens_after_drop() {
    let (script, live) = open();
    script.reply("/jwks.json", ok(b"{}"));
    let ports = live.ports();
    #[cfg(target_os = "linux")]
    {
        let listening = listening_ports();
        for port in ports {
            assert!(
                listening.contains(&port),
                "{port} not listening before drop"
            );
        }
    }
    assert!(fetch(&live, Listener::Issuer, "/jwks.json").is_ok());
    drop(live);
    assert_closed(ports);
}

#[test]
fn dropping_the_server_removes_the_ca_dir() {
    let server = Server::start().unwrap();
    let dir = server.ca_file().parent().unwrap().to_owned();
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(&format!("jwt-conformance-{}-", std::process::id())),
        "{name}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
    assert!(server.ca_file().is_file());
    drop(server);
    assert!(!dir.exists());
}

#[test]
fn idle_connections_neither_block_serving_nor_drop() {
    let (script, live) = open();
    script.reply("/jwks.json", ok(b"{}"));
    let port = live.ports()[0];
    let idle: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    // While they are open the server may be saturated; after they go it must serve again,
    // well within the handshake timeout, once it has accepted them (a connection accepted
    // while all 64 slots are taken is closed at once, by design).
    drop(idle);
    let start = Instant::now();
    while entries(&live.log(), Listener::Issuer, LoggedKind::Connect).len() < 100 {
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "backlog not accepted"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(
        fetch(&live, Listener::Issuer, "/jwks.json"),
        Ok((200, b"{}".to_vec()))
    );
    assert!(start.elapsed() < Duration::from_secs(3));

    // Dropping a Live with 100 open connections returns promptly and closes everything.
    let idle: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let connects = entries(&live.log(), Listener::Issuer, LoggedKind::Connect).len();
    assert!(connects >= 200, "{connects} connects logged");
    // Over the limit of 64, the server closes at once; the 64 wait for their handshake.
    let closed_at_once = idle
        .iter()
        .filter(|s| {
            s.set_nonblocking(true).unwrap();
            let closed = matches!((&**s).read(&mut [0u8; 1]), Ok(0));
            s.set_nonblocking(false).unwrap();
            closed
        })
        .count();
    assert_eq!(closed_at_once, 100 - 64);
    let ports = live.ports();
    let start = Instant::now();
    drop(live);
    assert!(
        start.elapsed() < Duration::from_millis(500),
        "{:?}",
        start.elapsed()
    );
    assert_closed(ports);
    // The server side of every idle connection closes too (EOF or reset, not a hang).
    for mut s in idle {
        s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        let mut buf = [0u8; 1];
        match s.read(&mut buf) {
            Ok(0) => {}
            Ok(_) => panic!("unexpected byte"),
            Err(e) => assert_ne!(e.kind(), std::io::ErrorKind::WouldBlock, "still open"),
        }
        let _ = s.shutdown(Shutdown::Both);
    }
}

#[test]
fn log_is_bounded() {
    let (_script, live) = open();
    let port = live.ports()[2];
    let deadline = Instant::now() + Duration::from_secs(5);
    let logged = |live: &Live| live.log().len() as u64 + live.log_dropped();
    // In batches, so the accept backlog never overflows (a dropped SYN costs a 1 s retry).
    for batch in 1..=10u64 {
        let n = if batch == 10 { 110 } else { 100 };
        for _ in 0..n {
            drop(TcpStream::connect(("127.0.0.1", port)).unwrap());
        }
        while logged(&live) < (batch * 100 + if batch == 10 { 10 } else { 0 }) {
            assert!(Instant::now() < deadline, "connections not accepted");
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    assert_eq!(live.log().len(), 1000);
    assert_eq!(live.log_dropped(), 10);
}
