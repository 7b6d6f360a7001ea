//! The contenders: their names, the floor each is paired with, the reference verifier, the
//! raw `p256` floor, the lists a bench series runs and the criterion benches that time them.

use p256::ecdsa::Signature;
use p256::ecdsa::signature::Verifier as _;
use serde_json::Value;
use verifier::{Backend, KeySet, Profile, Rejection, Verifier};

use base64::Engine;
use forge::VerifyingKey;

use crate::*;

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

/// Rounds of the accept group: every contender runs once per round, in turn, so that each
/// ratio pairs figures taken a few seconds apart and the report takes the median over rounds.
pub const ACCEPT_ROUNDS: usize = 3;
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
    pub(crate) fn new(name: &'static str, run: impl Fn(&str) -> bool + 'static) -> Self {
        Contender::with_floor(name, floor_of(name), run)
    }

    pub(crate) fn with_floor(
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

/// Each verifier's paired overhead over its floor ([`overhead_id`]) and, with `time_floors`,
/// each floor's own time once (parameter [`round_id`]`(point, 1)`): the per-algorithm group,
/// where the overheads are the measure and the floors' times only scale them into ratios.
pub fn bench_paired(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    clock: Clock,
    contenders: &[Contender],
    token: &str,
    point: &str,
    time_floors: bool,
) {
    use criterion::BenchmarkId;

    assert_all_accept(contenders, token);
    group.sampling_mode(paired_sampling(contenders, token));
    for c in contenders.iter().filter(|c| !c.is_floor()) {
        let floor = contenders
            .iter()
            .find(|f| f.name == c.floor)
            .expect("every floor is a contender");
        let id = BenchmarkId::new(overhead_id(c.name), overhead_point(point));
        group.bench_function(id, |b| {
            measure_over_floor(b, clock, || floor.run(token), || c.run(token))
        });
    }
    for f in contenders.iter().filter(|c| time_floors && c.is_floor()) {
        group.bench_function(BenchmarkId::new(f.name, round_id(point, 1)), |b| {
            measure(b, clock, || f.run(token))
        });
    }
}

/// Linear sampling (criterion's slope) unless the slowest floor takes over [`SLOW_FLOOR`]: the
/// 5,050 iterations linear sampling needs at least would then outlast the measurement time
/// several times over (P-384 and P-521 on RustCrypto, about 1 ms on the bench machine), and flat
/// sampling (the mean) keeps the run within its budget. The threshold sits well clear of the
/// next slowest floor (P-256, about 0.2 ms under load), so that the mode of an algorithm does
/// not change from run to run.
pub fn paired_sampling(contenders: &[Contender], token: &str) -> criterion::SamplingMode {
    let slowest = contenders
        .iter()
        .filter(|c| c.is_floor())
        .map(|f| {
            // CPU time: a probe preempted by another job must not flip the mode.
            let start = thread_cpu_time();
            for _ in 0..10 {
                f.run(token);
            }
            thread_cpu_time().saturating_sub(start) / 10
        })
        .max()
        .unwrap_or_default();
    if slowest > SLOW_FLOOR {
        criterion::SamplingMode::Flat
    } else {
        criterion::SamplingMode::Linear
    }
}

/// See [`paired_sampling`].
pub const SLOW_FLOOR: std::time::Duration = std::time::Duration::from_micros(500);

/// The parameter of an overhead bench at `point` (the accept group's point is empty).
pub fn overhead_point(point: &str) -> &str {
    match point {
        "" => "typical",
        _ => point,
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

/// Checks that every contender accepts `token` (the floors included), so that a bench never
/// times a failure by mistake.
pub fn assert_all_accept(contenders: &[Contender], token: &str) {
    for c in contenders {
        assert!(c.run(token), "{} rejects {} bytes", c.name, token.len());
    }
}
