//! Shared fixtures of the benchmarks: the contenders (the reference verifier, the raw `p256`
//! floor, `jsonwebtoken` and `jwt-simple`), the typical access token, the malformed inputs, the
//! size and key-set series and the corpus cases (loaded with `corpus::set::Corpus`). Every
//! bench file builds on these, so that all of them measure the same inputs against the same
//! configuration.
//!
//! Every contender is configured as strictly as its API allows for the same policy: ES256 only,
//! the pinned issuer and audience, zero leeway, `kid` matched against the pinned keys. The peers
//! read the system clock, so every token here is clock-independent (issued long ago, expiring
//! far in the future) and the reference verifier runs a profile without the lifetime bound
//! (`forge::timeless_profile_json`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use corpus::vector::{Body, TokenSpec, Vector};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use forge::{SigningKey, Token, VerifyingKey, b64};
use p256::ecdsa::Signature;
use p256::ecdsa::signature::Verifier as _;
use serde::Deserialize;
use serde_json::{Value, json};
use verifier::{Backend, KeySet, Profile, Reason, Rejection, Verifier};

pub mod report;

/// Criterion group of the accept path of the typical token.
pub const ACCEPT: &str = "accept";
/// Criterion group of the pre-signature rejections.
pub const REJECT: &str = "reject";
/// Criterion group of the accept path by token size.
pub const SCALING_SIZE: &str = "scaling-size";
/// Criterion group of the accept path by key-set size.
pub const SCALING_JWKS: &str = "scaling-jwks";
/// Criterion group of the whole-corpus throughput.
pub const CORPUS: &str = "corpus";

/// Raw `p256` ECDSA verification of the signing input: the floor.
pub const FLOOR: &str = "p256-floor";
/// The reference verifier.
pub const REFERENCE: &str = "reference";
/// `jsonwebtoken` with its `rust_crypto` provider.
pub const JSONWEBTOKEN: &str = "jsonwebtoken";
/// `jwt-simple` with its `pure-rust` backend.
pub const JWT_SIMPLE: &str = "jwt-simple";
/// The peers on pure-Rust crypto, in report order: the `p256` lane.
pub const PURE_RUST_PEERS: [&str; 2] = [JSONWEBTOKEN, JWT_SIMPLE];

/// The RustCrypto primitive of a non-ES256 algorithm (`rsa`, `p384`, `ed25519-dalek`, `hmac`):
/// the floor of the pure-Rust lane in the accept-by-algorithm group ([`algs`]).
pub const RUSTCRYPTO_FLOOR: &str = "rustcrypto-floor";

/// Raw `aws-lc-rs` verification with the key parsed once: the fast lane's floor.
pub const AWS_LC_FLOOR: &str = "aws-lc-rs-floor";
/// Raw `ring` verification.
pub const RING_FLOOR: &str = "ring-floor";
/// The reference verifier on its `aws-lc-rs` backend.
pub const REFERENCE_AWS_LC: &str = "reference-aws-lc-rs";
/// The reference verifier on its `ring` backend.
pub const REFERENCE_RING: &str = "reference-ring";
/// `jsonwebtoken` with its `aws_lc_rs` provider.
pub const JSONWEBTOKEN_AWS_LC: &str = "jsonwebtoken-aws-lc-rs";
/// `josekit` on OpenSSL.
pub const JOSEKIT: &str = "josekit";

/// Every peer, in report order (the last two only in a build with the `fast` feature).
pub const PEERS: [&str; 4] = [JSONWEBTOKEN, JWT_SIMPLE, JSONWEBTOKEN_AWS_LC, JOSEKIT];
/// The floors, `p256` first.
pub const FLOORS: [&str; 3] = [FLOOR, AWS_LC_FLOOR, RING_FLOOR];
/// The reference verifier on each backend, `p256` first.
pub const REFERENCES: [&str; 3] = [REFERENCE, REFERENCE_AWS_LC, REFERENCE_RING];

/// Criterion group of verified tokens per second with 1 and 2 threads sharing one verifier.
pub const THROUGHPUT: &str = "throughput";
/// Thread counts of the throughput group.
pub const THREADS: [usize; 2] = [1, 2];

/// The parameter of the throughput bench with `threads` threads.
pub fn threads_id(threads: usize) -> String {
    match threads {
        1 => "1-thread".to_owned(),
        n => format!("{n}-threads"),
    }
}

/// The contender name of the reference verifier on `backend`.
pub fn reference_name(backend: Backend) -> &'static str {
    match backend.name() {
        "aws-lc-rs" => REFERENCE_AWS_LC,
        "ring" => REFERENCE_RING,
        _ => REFERENCE,
    }
}

/// The floor a contender's overhead is paired with: its own backend's raw verification, the
/// `aws-lc-rs` floor for `josekit` (OpenSSL has the same assembly for P-256, and a shared floor
/// keeps the fast lane's overheads comparable), and a floor's is itself.
pub fn floor_of(name: &str) -> &'static str {
    match name {
        AWS_LC_FLOOR | REFERENCE_AWS_LC | JSONWEBTOKEN_AWS_LC | JOSEKIT => AWS_LC_FLOOR,
        RING_FLOOR | REFERENCE_RING => RING_FLOOR,
        RUSTCRYPTO_FLOOR => RUSTCRYPTO_FLOOR,
        _ => FLOOR,
    }
}

/// [`floor_of`] in the accept-by-algorithm group, where the pure-Rust lane's floor is the
/// algorithm's RustCrypto primitive rather than `p256`.
pub fn alg_floor_of(name: &str) -> &'static str {
    match floor_of(name) {
        FLOOR => RUSTCRYPTO_FLOOR,
        floor => floor,
    }
}

/// True when this build measures the fast lane (cargo feature `fast`).
pub const FAST: bool = cfg!(feature = "fast");

#[cfg(feature = "fast")]
pub mod fast;

pub mod algs;

/// Rounds of the accept group: every contender runs once per round, in turn, so that each
/// ratio pairs figures taken a few seconds apart and the report takes the median over rounds.
pub const ACCEPT_ROUNDS: usize = 5;
/// Rounds of each scaling point (one: their peer comparison comes from the paired overhead
/// benches, [`overhead_id`], which do not drift).
pub const SCALING_ROUNDS: usize = 1;

/// The bench function that times `contender`'s overhead over the floor: each iteration runs
/// the contender and the floor back to back and counts the difference, so that load drifting
/// over the seconds of a benchmark lands on both sides. On the accept path the contenders share
/// the floor's signature check, and the few microseconds in three hundred by which they differ
/// are only resolvable this way; comparing overheads compares the contenders' times.
pub fn overhead_id(contender: &str) -> String {
    format!("{contender}-over-floor")
}

/// The criterion parameter of round `k` (from 1) of `point` (empty for the accept group).
pub fn round_id(point: &str, k: usize) -> String {
    match point {
        "" => format!("round-{k}"),
        _ => format!("{point}-round-{k}"),
    }
}

/// Token sizes of the scaling series, in bytes (each token is exactly this long).
pub const SIZES: [usize; 6] = [256, 512, 1024, 2048, 4096, 8192];
/// Key-set sizes of the scaling series (the signing key is always the last one).
pub const KEY_COUNTS: [usize; 3] = [1, 10, 100];
/// The reference profile's default `max_token_bytes`; peers that can cap length get it too.
pub const MAX_TOKEN_BYTES: usize = 8192;

/// The verification time given to the reference verifier (the peers read the clock; every
/// token here is valid at any time between 2001 and 2100).
pub const NOW: i64 = forge::NOW;

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

/// The malformed inputs a peer accepts (so the rejection bench has nothing of it to time):
/// `josekit` reads a header with `alg` twice, taking the last (RFC 7515 §4 lets a parser do so
/// unless it rejects; the strict profile rejects).
pub const ACCEPTED_MALFORMED: [(&str, &str); 1] = [(JOSEKIT, "duplicate-header-keys")];

/// Which contenders a bench series runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lanes {
    /// The `p256` floor, the reference on `p256` and the pure-Rust peers.
    P256,
    /// Those and, with the `fast` feature, the fast lane as well.
    All,
}

/// One contender: a verifier (run on the token it is given) or a floor (bound to one token,
/// ignoring the argument), with the floor its overhead is paired with (a floor's is itself).
pub struct Contender {
    pub name: &'static str,
    pub floor: &'static str,
    run: Box<dyn Fn(&str) -> bool>,
}

impl Contender {
    fn new(name: &'static str, run: impl Fn(&str) -> bool + 'static) -> Self {
        Contender::with_floor(name, floor_of(name), run)
    }

    fn with_floor(
        name: &'static str,
        floor: &'static str,
        run: impl Fn(&str) -> bool + 'static,
    ) -> Self {
        Contender {
            name,
            floor,
            run: Box::new(run),
        }
    }

    /// True when the contender accepts `token`.
    pub fn run(&self, token: &str) -> bool {
        (self.run)(std::hint::black_box(token))
    }

    /// True for a floor.
    pub fn is_floor(&self) -> bool {
        self.name == self.floor
    }
}

/// The verifiers of `lanes` configured for `setup`: the reference on each backend, then the peers.
pub fn verifiers(setup: &Setup, lanes: Lanes) -> Vec<Contender> {
    let reference = setup.reference();
    let jsonwebtoken = setup.jsonwebtoken();
    let jwt_simple = setup.jwt_simple();
    #[cfg_attr(not(feature = "fast"), allow(unused_mut))]
    let mut all = vec![
        Contender::new(REFERENCE, move |t| reference.verify(t.as_bytes()).is_ok()),
        Contender::new(JSONWEBTOKEN, move |t| jsonwebtoken.verify(t).is_some()),
        Contender::new(JWT_SIMPLE, move |t| jwt_simple.verify(t).is_some()),
    ];
    #[cfg(feature = "fast")]
    if lanes == Lanes::All {
        let aws_lc = setup.reference_on(verifier::Backend::AwsLcRs);
        let ring = setup.reference_on(verifier::Backend::Ring);
        let jsonwebtoken = setup.jsonwebtoken_aws_lc();
        let josekit = fast::JoseKit::new(setup);
        all.extend([
            Contender::new(REFERENCE_AWS_LC, move |t| {
                aws_lc.verify(t.as_bytes()).is_ok()
            }),
            Contender::new(REFERENCE_RING, move |t| ring.verify(t.as_bytes()).is_ok()),
            Contender::new(JSONWEBTOKEN_AWS_LC, move |t| {
                jsonwebtoken.verify(t).is_some()
            }),
            Contender::new(JOSEKIT, move |t| josekit.verify(t)),
        ]);
    }
    #[cfg(not(feature = "fast"))]
    let _ = lanes;
    all
}

/// The floors of `lanes` for `token`, then [`verifiers`].
pub fn contenders(setup: &Setup, token: &str, lanes: Lanes) -> Vec<Contender> {
    let p256 = Floor::new(setup, token);
    let mut all = vec![Contender::new(FLOOR, move |_| p256.verify())];
    #[cfg(feature = "fast")]
    if lanes == Lanes::All {
        let aws_lc = fast::AwsLcFloor::new(setup, token);
        let ring = fast::RingFloor::new(setup, token);
        all.push(Contender::new(AWS_LC_FLOOR, move |_| aws_lc.verify()));
        all.push(Contender::new(RING_FLOOR, move |_| ring.verify()));
    }
    all.extend(verifiers(setup, lanes));
    all
}

/// The accept-path contenders of `lanes` on one `token`, `rounds` times in turn, under the
/// parameters [`round_id`]`(point, k)` (each ratio then pairs figures taken seconds apart),
/// and each verifier's overhead over its floor ([`overhead_id`]).
pub fn bench_contenders(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    clock: Clock,
    setup: &Setup,
    token: &str,
    point: &str,
    rounds: usize,
    lanes: Lanes,
) {
    bench_these(
        group,
        clock,
        &contenders(setup, token, lanes),
        token,
        point,
        rounds,
    );
}

/// [`bench_contenders`] for a given list of contenders (floors included).
pub fn bench_these(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    clock: Clock,
    contenders: &[Contender],
    token: &str,
    point: &str,
    rounds: usize,
) {
    use criterion::BenchmarkId;

    assert_all_accept(contenders, token);
    let floor_for = |c: &Contender| {
        contenders
            .iter()
            .find(|f| f.name == c.floor)
            .expect("every floor is a contender")
    };
    // The overhead benches are read from the slope over samples, which linear sampling gives.
    group.sampling_mode(criterion::SamplingMode::Linear);
    for c in contenders.iter().filter(|c| !c.is_floor()) {
        let id = BenchmarkId::new(overhead_id(c.name), overhead_point(point));
        let floor = floor_for(c);
        group.bench_function(id, |b| {
            measure_over_floor(b, clock, || floor.run(token), || c.run(token))
        });
    }
    for k in 1..=rounds {
        let round = round_id(point, k);
        for c in contenders {
            group.bench_function(BenchmarkId::new(c.name, &round), |b| {
                measure(b, clock, || c.run(token))
            });
        }
    }
}

/// The parameter of an overhead bench at `point` (the accept group's point is empty).
pub fn overhead_point(point: &str) -> &str {
    match point {
        "" => "typical",
        _ => point,
    }
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

/// Who issues, for whom, and under which keys: one configuration that every contender gets.
#[derive(Clone, Debug)]
pub struct Setup {
    pub issuer: String,
    pub audience: String,
    pub kid: String,
    /// Keys that are in the set but sign nothing, listed before the signing key.
    pub decoys: usize,
}

impl Setup {
    /// The baseline of `forge`: its issuer, audience and primary key, alone in the set.
    pub fn typical() -> Setup {
        Setup {
            issuer: forge::ISSUER.to_owned(),
            audience: forge::AUDIENCE.to_owned(),
            kid: forge::KID.to_owned(),
            decoys: 0,
        }
    }

    /// One-letter issuer, audience and `kid`, so that a complete RFC 9068 token fits in 256 bytes.
    pub fn compact() -> Setup {
        Setup {
            issuer: "i".to_owned(),
            audience: "a".to_owned(),
            kid: "k".to_owned(),
            decoys: 0,
        }
    }

    /// The typical setup with `count` keys in the set, the signing key last.
    pub fn with_keys(count: usize) -> Setup {
        Setup {
            decoys: count.saturating_sub(1),
            ..Setup::typical()
        }
    }

    /// The signing key.
    pub fn key(&self) -> SigningKey {
        forge::key(&self.kid)
    }

    /// The `(kid, key)` pairs of the set, decoys first.
    pub fn keys(&self) -> Vec<(String, SigningKey)> {
        let mut keys: Vec<(String, SigningKey)> = (0..self.decoys)
            .map(|i| {
                let kid = format!("decoy-{i:03}");
                let key = forge::key(&kid);
                (kid, key)
            })
            .collect();
        keys.push((self.kid.clone(), self.key()));
        keys
    }

    /// The public JWK Set.
    pub fn jwks(&self) -> Value {
        let keys = self.keys();
        let named: Vec<(&str, &SigningKey)> = keys.iter().map(|(k, s)| (k.as_str(), s)).collect();
        forge::jwks(&named)
    }

    /// The reference profile: defaults, this issuer and audience, no lifetime bound.
    pub fn profile_json(&self) -> Value {
        let mut profile = forge::timeless_profile_json();
        profile["issuer"] = json!(self.issuer);
        profile["audiences"] = json!([self.audience]);
        profile
    }

    /// The header every valid token of this setup carries.
    pub fn header(&self) -> Value {
        json!({"alg": "ES256", "typ": "at+jwt", "kid": self.kid})
    }

    /// The smallest claim set the reference verifier accepts (every RFC 9068 required claim).
    pub fn minimal_claims(&self) -> Value {
        json!({
            "iss": self.issuer,
            "aud": self.audience,
            "sub": "s",
            "client_id": "c",
            "jti": "j",
            "iat": 1,
            "exp": forge::FAR_FUTURE,
        })
    }

    /// Signs `claims` under this setup's header and key.
    pub fn sign(&self, claims: &Value) -> String {
        Token::new(&self.header(), claims).sign(&self.key())
    }

    /// The reference verifier for this setup, on `p256`.
    pub fn reference(&self) -> Reference {
        self.reference_on(Backend::P256)
    }

    /// The reference verifier for this setup, on `backend`.
    pub fn reference_on(&self, backend: Backend) -> Reference {
        let es256 = [verifier::Algorithm::ES256];
        Reference::new(&self.profile_json(), &self.jwks(), &es256, backend)
    }

    /// `jsonwebtoken` on `rust_crypto`, configured strictly for this setup.
    pub fn jsonwebtoken(&self) -> JsonWebToken {
        JsonWebToken::new(self, false)
    }

    /// `jsonwebtoken` on `aws_lc_rs`, configured strictly for this setup.
    #[cfg(feature = "fast")]
    pub fn jsonwebtoken_aws_lc(&self) -> JsonWebToken {
        JsonWebToken::new(self, true)
    }

    /// `jwt-simple`, configured strictly for this setup.
    pub fn jwt_simple(&self) -> JwtSimple {
        JwtSimple::new(self)
    }
}

/// The claims of the typical RFC 9068 access token (about 600 bytes): those of RFC 9068 §2.2
/// with the usual optional ones (`scope`, `auth_time`, `acr`, `amr`).
pub fn typical_claims() -> Value {
    let mut claims = forge::claims();
    claims["jti"] = json!("4f1c2a7e-9b3d-4c8e-a6f2-0d5b7e9c1a34");
    claims["client_id"] = json!("s6BhdRkqt3-web-frontend");
    claims["scope"] = json!("openid profile orders:read orders:write");
    claims["auth_time"] = json!(forge::LONG_AGO);
    claims["acr"] = json!("urn:mace:incommon:iap:silver");
    claims["amr"] = json!(["pwd", "otp"]);
    claims
}

/// The typical token, signed by the typical setup.
pub fn typical_token() -> String {
    Setup::typical().sign(&typical_claims())
}

/// A token of exactly `len` bytes from `setup`: its minimal claims plus a `scope` of
/// space-separated names, then a `jti` lengthened byte by byte to land on `len` exactly.
///
/// Panics when `len` is too small for the minimal claims or not reachable (base64url lengths
/// skip every value of the form 4k + 1).
pub fn sized_token(setup: &Setup, len: usize) -> String {
    // An ES256 signature is 86 base64url characters, after a dot.
    let length = |claims: &Value| Token::new(&setup.header(), claims).signing_input().len() + 87;
    let mut claims = setup.minimal_claims();
    assert!(
        length(&claims) <= len,
        "{len} bytes cannot hold the minimal claims ({})",
        length(&claims)
    );
    // The scope takes all but the last few bytes; `,"scope":""` alone costs 11 bytes of JSON.
    if length(&claims) + 24 <= len {
        let mut fill = 0;
        loop {
            claims["scope"] = json!(scope_text(fill + 1));
            if length(&claims) + 4 > len {
                claims["scope"] = json!(scope_text(fill));
                break;
            }
            fill += 1;
        }
    }
    let mut jti = String::from("j");
    loop {
        claims["jti"] = json!(jti);
        match length(&claims) {
            n if n == len => return setup.sign(&claims),
            n if n > len => panic!("no token of exactly {len} bytes"),
            _ => jti.push('0'),
        }
    }
}

/// Space-separated scope names, cut to `len` bytes.
fn scope_text(len: usize) -> String {
    let mut text = String::with_capacity(len + 16);
    let mut i = 0;
    while text.len() < len {
        text.push_str(&format!("scope:{i:04} "));
        i += 1;
    }
    text.truncate(len);
    text
}

/// The pre-signature rejections, each with the reason the reference verifier gives.
pub fn malformed_inputs() -> Vec<Malformed> {
    let setup = Setup::typical();
    let key = setup.key();
    let claims = typical_claims();
    let header = setup.header();
    let payload = b64(claims.to_string());
    let signature = b64(forge::es256(&key, b"any"));

    // Typical header and signature around a payload of filler: exactly `len` bytes.
    let oversized = |len: usize| {
        let head = b64(header.to_string());
        let fill = len - head.len() - signature.len() - 2;
        format!("{head}.{}.{signature}", "A".repeat(fill))
    };

    // The header in the standard alphabet with padding, correctly signed, so that a lax
    // peer would accept it.
    let lax = {
        let head = STANDARD.encode(header.to_string());
        assert!(head.ends_with('='), "the lax header carries padding");
        let input = format!("{head}.{payload}");
        format!("{input}.{}", b64(forge::es256(&key, input.as_bytes())))
    };

    // Compact JWE (RFC 7516 §7.1): direct encryption, so an empty encrypted key.
    let jwe = {
        let protected =
            json!({"alg": "dir", "enc": "A256GCM", "typ": "at+jwt", "kid": setup.kid}).to_string();
        let iv: Vec<u8> = (0u8..12).collect();
        let ciphertext: Vec<u8> = (0..claims.to_string().len())
            .map(|i| (i * 37 % 251) as u8)
            .collect();
        let tag: Vec<u8> = (100u8..116).collect();
        format!(
            "{}..{}.{}.{}",
            b64(protected),
            b64(iv),
            b64(ciphertext),
            b64(tag)
        )
    };

    // The same member twice, correctly signed.
    let duplicate = Token::raw(
        br#"{"alg":"ES256","typ":"at+jwt","kid":"primary","alg":"ES256"}"#.to_vec(),
        claims.to_string(),
    )
    .sign(&key);

    // `alg: none` with an empty signature.
    let none = Token::new(
        &json!({"alg": "none", "typ": "at+jwt", "kid": setup.kid}),
        &claims,
    )
    .with_signature(b"");

    // A kid outside the set, correctly signed by its own key.
    let unknown_kid = Token::new(
        &json!({"alg": "ES256", "typ": "at+jwt", "kid": "unknown"}),
        &claims,
    )
    .sign(&forge::key("unknown"));

    vec![
        Malformed::new("1MiB", oversized(1 << 20), Reason::OversizedToken),
        Malformed::new(
            "8193B",
            oversized(MAX_TOKEN_BYTES + 1),
            Reason::OversizedToken,
        ),
        Malformed::new("alg-none", none, Reason::AlgNone),
        Malformed::new("lax-base64", lax, Reason::LaxBase64),
        Malformed::new("jwe", jwe, Reason::JwePayload),
        Malformed::new(
            "duplicate-header-keys",
            duplicate,
            Reason::DuplicateJsonKeys,
        ),
        Malformed::new("unknown-kid", unknown_kid, Reason::KidUnknown),
    ]
}

/// One malformed input: its bench name, its bytes and the reference verifier's reason.
#[derive(Clone, Debug)]
pub struct Malformed {
    pub name: &'static str,
    pub token: String,
    pub reason: Reason,
}

impl Malformed {
    fn new(name: &'static str, token: String, reason: Reason) -> Malformed {
        Malformed {
            name,
            token,
            reason,
        }
    }
}

/// The reference verifier.
pub struct Reference(pub Verifier);

impl Reference {
    /// The verifier of the bench `profile` with the keys of `jwks` for `algorithms`, on
    /// `backend`.
    pub fn new(
        profile: &Value,
        jwks: &Value,
        algorithms: &[verifier::Algorithm],
        backend: Backend,
    ) -> Reference {
        let profile =
            Profile::from_json(profile.to_string().as_bytes()).expect("the bench profile parses");
        let keys = KeySet::for_algorithms(jwks.to_string().as_bytes(), algorithms)
            .expect("the bench key set parses");
        let verifier = Verifier::builder(profile)
            .key_set(keys)
            .signature_backend(backend)
            .build()
            .expect("the bench verifier builds");
        Reference(verifier)
    }

    /// Verifies at [`NOW`].
    pub fn verify(&self, token: &[u8]) -> Result<verifier::Claims, Rejection> {
        self.0.verify(token, NOW)
    }
}

/// Raw ECDSA P-256 verification of one signing input with an already-parsed signature: what any
/// ES256 verifier must at least do.
pub struct Floor {
    key: VerifyingKey,
    signing_input: Vec<u8>,
    signature: Signature,
}

/// The signing input and the 64-byte r || s of a compact token: what every floor verifies.
pub fn split_signed(token: &str) -> (Vec<u8>, Vec<u8>) {
    let (signing_input, signature) = token.rsplit_once('.').expect("a compact token");
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(signature)
        .expect("a base64url signature");
    (signing_input.as_bytes().to_vec(), signature)
}

impl Floor {
    /// The floor of `token` under `setup`'s signing key.
    pub fn new(setup: &Setup, token: &str) -> Floor {
        let (signing_input, signature) = split_signed(token);
        Floor {
            key: *setup.key().verifying_key(),
            signing_input,
            signature: Signature::from_slice(&signature).expect("a valid signature"),
        }
    }

    /// True when the signature verifies.
    pub fn verify(&self) -> bool {
        self.key
            .verify(&self.signing_input, &self.signature)
            .is_ok()
    }
}

/// `aud` as a string or an array of strings.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

/// The RFC 9068 claims a `jsonwebtoken` user would deserialize (all required but `scope`).
#[derive(Debug, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: Audience,
    pub sub: String,
    pub client_id: String,
    pub jti: String,
    pub iat: i64,
    pub exp: i64,
    #[serde(default)]
    pub scope: Option<String>,
}

/// `jsonwebtoken` 11: `decode_header` for the `kid`, the pinned key of that `kid` (looked up in
/// a map built once), then `decode` with a strict `Validation`. The library has no length cap.
pub struct JsonWebToken {
    keys: HashMap<String, jsonwebtoken::DecodingKey>,
    validation: jsonwebtoken::Validation,
    /// On the `aws_lc_rs` provider rather than `rust_crypto` (a `fast` build has both).
    #[cfg_attr(not(feature = "fast"), allow(dead_code))]
    aws_lc: bool,
}

impl JsonWebToken {
    fn new(setup: &Setup, aws_lc: bool) -> JsonWebToken {
        JsonWebToken::for_keys(setup, &setup.jwks(), jsonwebtoken::Algorithm::ES256, aws_lc)
    }

    /// `setup`'s issuer and audience, the keys of `jwks` and `alg` only.
    fn for_keys(
        setup: &Setup,
        jwks: &Value,
        alg: jsonwebtoken::Algorithm,
        aws_lc: bool,
    ) -> JsonWebToken {
        let set: jsonwebtoken::jwk::JwkSet =
            serde_json::from_value(jwks.clone()).expect("jsonwebtoken reads the key set");
        let keys = set
            .keys
            .iter()
            .map(|jwk| {
                let kid = jwk
                    .common
                    .key_id
                    .clone()
                    .expect("every bench key has a kid");
                let key = jsonwebtoken::DecodingKey::from_jwk(jwk).expect("a public key");
                (kid, key)
            })
            .collect();
        let mut validation = jsonwebtoken::Validation::new(alg);
        validation.leeway = 0;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_issuer(&[&setup.issuer]);
        validation.set_audience(&[&setup.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        JsonWebToken {
            keys,
            validation,
            aws_lc,
        }
    }

    /// The claims of an accepted token.
    pub fn verify(&self, token: &str) -> Option<AccessClaims> {
        #[cfg(feature = "fast")]
        return fast::provider::with(self.aws_lc, || self.decode(token));
        #[cfg(not(feature = "fast"))]
        self.decode(token)
    }

    fn decode(&self, token: &str) -> Option<AccessClaims> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        let key = self.keys.get(header.kid.as_deref()?)?;
        jsonwebtoken::decode::<AccessClaims>(token, key, &self.validation)
            .ok()
            .map(|data| data.claims)
    }
}

/// The custom claims a `jwt-simple` user would declare next to its standard ones.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct JwtSimpleExtra {
    pub client_id: String,
    #[serde(default)]
    pub scope: Option<String>,
}

/// `jwt-simple` 0.15 (`pure-rust`): with one pinned key, `verify_token` requiring its `kid`;
/// with a set, `decode_metadata` for the `kid` and that key (looked up in a map built once). The
/// options (cloned per call, as the API takes them by value) require ES256 by construction, the
/// issuer, audience, `typ` and `kid`, zero clock tolerance and the 8192-byte cap.
pub struct JwtSimple {
    keys: HashMap<String, jwt_simple::prelude::ES256PublicKey>,
    pinned: Option<(String, jwt_simple::prelude::ES256PublicKey)>,
    options: jwt_simple::prelude::VerificationOptions,
}

impl JwtSimple {
    fn new(setup: &Setup) -> JwtSimple {
        use jwt_simple::prelude::*;
        let keys: HashMap<String, ES256PublicKey> = setup
            .keys()
            .into_iter()
            .map(|(kid, key)| {
                let public = ES256PublicKey::from_bytes(&forge::public_raw(key.verifying_key()))
                    .expect("a P-256 point")
                    .with_key_id(&kid);
                (kid, public)
            })
            .collect();
        let pinned = (keys.len() == 1).then(|| {
            let (kid, key) = keys.iter().next().expect("one key");
            (kid.clone(), key.clone())
        });
        let options = VerificationOptions {
            allowed_issuers: Some(HashSet::from_strings(&[&setup.issuer])),
            allowed_audiences: Some(HashSet::from_strings(&[&setup.audience])),
            required_signature_type: Some("at+jwt".to_owned()),
            required_key_id: pinned.as_ref().map(|(kid, _)| kid.clone()),
            time_tolerance: Some(Duration::from_secs(0)),
            max_token_length: Some(MAX_TOKEN_BYTES),
            ..VerificationOptions::default()
        };
        JwtSimple {
            keys,
            pinned,
            options,
        }
    }

    /// The claims of an accepted token.
    pub fn verify(&self, token: &str) -> Option<jwt_simple::prelude::JWTClaims<JwtSimpleExtra>> {
        use jwt_simple::prelude::*;
        if let Some((_, key)) = &self.pinned {
            return key.verify_token(token, Some(self.options.clone())).ok();
        }
        let metadata = Token::decode_metadata(token).ok()?;
        let kid = metadata.key_id()?;
        let key = self.keys.get(kid)?;
        let mut options = self.options.clone();
        options.required_key_id = Some(kid.to_owned());
        key.verify_token(token, Some(options)).ok()
    }
}

/// Checks that every contender accepts `token` (the floors included), so that a bench never
/// times a failure by mistake.
pub fn assert_all_accept(contenders: &[Contender], token: &str) {
    for c in contenders {
        assert!(c.run(token), "{} rejects {} bytes", c.name, token.len());
    }
}

/// One corpus vector ready to run: a built verifier, the token and the time.
pub struct CorpusCase {
    pub verifier: Verifier,
    pub token: Vec<u8>,
    pub now: i64,
}

/// Where the corpus came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CorpusSource {
    /// `vectors/**/*.json` of the workspace.
    Vectors,
    /// No usable vector on disk: a synthetic mix from `forge`.
    Synthetic,
}

impl CorpusSource {
    /// The bench parameter naming the source.
    pub fn id(self) -> &'static str {
        match self {
            CorpusSource::Vectors => "vectors",
            CorpusSource::Synthetic => "synthetic",
        }
    }
}

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("benches/ sits in the workspace")
        .to_path_buf()
}

/// The corpus of the throughput bench.
pub struct Corpus {
    pub source: CorpusSource,
    pub cases: Vec<CorpusCase>,
    /// Vector files found but not usable here (see [`load_corpus`]).
    pub skipped: usize,
}

/// The corpus: every single-step vector under `dir` (loaded with the `corpus` crate's loader)
/// with a `token` string and a pinned key set (no `key_source`) whose profile and key set build
/// a verifier without stores; other vectors (sequences, byte or recipe tokens, fetched keys,
/// stateful profiles, config errors) are skipped. With none usable (or a corpus that does not
/// load), the synthetic mix.
pub fn load_corpus(dir: &Path, backend: Backend) -> Corpus {
    let vectors = corpus::set::Corpus::load(dir)
        .map(|c| c.vectors)
        .unwrap_or_default();
    let cases: Vec<CorpusCase> = vectors
        .iter()
        .filter_map(|v| corpus_case(v, backend))
        .collect();
    let skipped = vectors.len() - cases.len();
    if cases.is_empty() {
        Corpus {
            source: CorpusSource::Synthetic,
            cases: synthetic_corpus(backend),
            skipped,
        }
    } else {
        Corpus {
            source: CorpusSource::Vectors,
            cases,
            skipped,
        }
    }
}

fn corpus_case(vector: &Vector, backend: Backend) -> Option<CorpusCase> {
    let Body::Single(step) = &vector.body else {
        return None;
    };
    let TokenSpec::Text(token) = &step.token else {
        return None;
    };
    if vector.key_source.is_some() || !vector.jwks.is_object() {
        return None;
    }
    let keys = KeySet::from_jwks_json(&vector.jwks_bytes()).ok()?;
    let verifier = Verifier::builder(vector.profile.clone())
        .key_set(keys)
        .signature_backend(backend)
        .build()
        .ok()?;
    Some(CorpusCase {
        verifier,
        token: token.as_bytes().to_vec(),
        now: step.now,
    })
}

/// Synthetic corpus: the typical token, the scaling tokens, the malformed inputs, and tokens
/// failing after the signature (bad signature, expired, wrong issuer and audience), under the
/// clock-bound and timeless default profiles.
pub fn synthetic_corpus(backend: Backend) -> Vec<CorpusCase> {
    let typical = Setup::typical();
    let compact = Setup::compact();
    let case = |setup: &Setup, profile: Value, token: String, now: i64| CorpusCase {
        verifier: Verifier::builder(
            Profile::from_json(profile.to_string().as_bytes()).expect("profile"),
        )
        .key_set(KeySet::from_jwks_json(setup.jwks().to_string().as_bytes()).expect("key set"))
        .signature_backend(backend)
        .build()
        .expect("verifier"),
        token: token.into_bytes(),
        now,
    };
    let timeless = |setup: &Setup, token: String| case(setup, setup.profile_json(), token, NOW);
    let bound = |token: String, now: i64| case(&typical, forge::profile_json(), token, now);

    let mut cases = vec![timeless(&typical, typical_token())];
    for len in SIZES {
        cases.push(timeless(&compact, sized_token(&compact, len)));
    }
    for m in malformed_inputs() {
        cases.push(timeless(&typical, m.token));
    }
    let mut bad_signature = typical_token();
    bad_signature.replace_range(bad_signature.len() - 2.., "AA");
    cases.push(timeless(&typical, bad_signature));
    let now = forge::NOW;
    let sign = |claims: Value| typical.sign(&claims);
    cases.push(bound(sign(forge::claims_at(now - 600, 300)), now));
    cases.push(bound(sign(forge::claims_at(now, 600)), now));
    let mut wrong_iss = forge::claims_at(now, 600);
    wrong_iss["iss"] = json!("https://issuer.example/");
    cases.push(bound(sign(wrong_iss), now));
    let mut wrong_aud = forge::claims_at(now, 600);
    wrong_aud["aud"] = json!(["https://other.example"]);
    cases.push(bound(sign(wrong_aud), now));
    cases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typical_token_is_about_600_bytes_and_accepted_by_all() {
        let token = typical_token();
        assert!((580..=680).contains(&token.len()), "{}", token.len());
        let setup = Setup::typical();
        assert_all_accept(&contenders(&setup, &token, Lanes::All), &token);
    }

    #[test]
    fn sized_tokens_are_exact_and_accepted_by_all() {
        let setup = Setup::compact();
        for len in SIZES {
            let token = sized_token(&setup, len);
            assert_eq!(token.len(), len);
            assert_all_accept(&contenders(&setup, &token, Lanes::All), &token);
        }
    }

    #[test]
    fn key_set_series_is_accepted_by_all() {
        let token = typical_token();
        for count in KEY_COUNTS {
            let setup = Setup::with_keys(count);
            assert_eq!(setup.keys().len(), count);
            assert_all_accept(&contenders(&setup, &token, Lanes::All), &token);
        }
    }

    #[test]
    fn malformed_inputs_are_rejected_by_all_for_the_expected_reason() {
        let setup = Setup::typical();
        let verifiers = verifiers(&setup, Lanes::All);
        assert_eq!(verifiers.len(), if FAST { 7 } else { 3 });
        for &backend in Backend::ALL {
            let reference = setup.reference_on(backend);
            for m in malformed_inputs() {
                let got = reference.verify(m.token.as_bytes()).map(|_| ());
                assert_eq!(got.map_err(|r| r.reason), Err(m.reason), "{}", m.name);
            }
        }
        for m in malformed_inputs() {
            for v in &verifiers {
                let known = ACCEPTED_MALFORMED.contains(&(v.name, m.name));
                assert_eq!(v.run(&m.token), known, "{} on {}", v.name, m.name);
            }
        }
        let sizes: Vec<usize> = malformed_inputs().iter().map(|m| m.token.len()).collect();
        assert_eq!(sizes[..2], [1 << 20, MAX_TOKEN_BYTES + 1]);
    }

    #[test]
    fn synthetic_corpus_builds() {
        let cases = synthetic_corpus(Backend::DEFAULT);
        let accepted = cases
            .iter()
            .filter(|c| c.verifier.verify(&c.token, c.now).is_ok())
            .count();
        assert!(accepted >= 8 && accepted < cases.len(), "{accepted}");
    }

    #[test]
    fn corpus_falls_back_to_synthetic_without_vectors() {
        let corpus = load_corpus(Path::new("/nonexistent/vectors"), Backend::DEFAULT);
        assert_eq!(corpus.source, CorpusSource::Synthetic);
        assert!(!corpus.cases.is_empty());
        assert_eq!(corpus.skipped, 0);
    }
}
