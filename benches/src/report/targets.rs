//! The targets, each as data (what it is, what the run measured, its verdict), judged from the
//! estimates of one run.

use super::fmt::*;
use super::results::*;
use super::*;
use crate::*;

/// One target and how the run did against it.
pub(crate) struct Target {
    pub(crate) name: String,
    pub(crate) measured: String,
    pub(crate) met: Option<bool>,
}

pub(crate) fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "**missed**",
        None => "not measured",
    }
}

/// "`ours` at most 1.0× the fastest peer on the accept path, whatever its backend".
pub(crate) fn fastest_peer_target(r: &Results, ours: &str) -> Target {
    let fastest = fastest_peer(r, ACCEPT, "");
    let q = fastest.and_then(|(peer, _)| accept_versus(r, ours, peer));
    Target {
        name: format!(
            "accept path ({}) ≤ {FASTEST_PEER_TARGET}× the fastest peer, whatever its backend",
            backend_of(ours)
        ),
        measured: match (fastest, q) {
            (Some((peer, _)), Some(q)) => format!("{} against {peer}", fmt_ratio(q)),
            _ => "–".to_owned(),
        },
        met: q.map(|q| q <= FASTEST_PEER_TARGET),
    }
}

/// "`ours` at most [`ACCEPT_TARGET`]× its floor", from the paired overhead where it ran (floor plus
/// overhead over floor: no drift) and the ratios within rounds beside it.
pub(crate) fn floor_target(r: &Results, ours: &str, what: &str) -> Target {
    let rounds = paired_ratio(r, ACCEPT, "", ours, floor_of(ours));
    let paired = over_floor(r, ACCEPT, ours, "");
    let judged = paired.or(rounds.map(|(m, _, _)| m));
    Target {
        name: format!("accept path ≤ {ACCEPT_TARGET}× {what}"),
        measured: match (paired, rounds) {
            (Some(p), Some((m, lo, hi))) => format!(
                "{} paired (rounds: {}, {} – {})",
                fmt_ratio(p),
                fmt_ratio(m),
                fmt_ratio(lo),
                fmt_ratio(hi)
            ),
            (None, Some((m, lo, hi))) => format!(
                "{} (rounds: {} – {})",
                fmt_ratio(m),
                fmt_ratio(lo),
                fmt_ratio(hi)
            ),
            (Some(p), None) => format!("{} paired", fmt_ratio(p)),
            (None, None) => "–".to_owned(),
        },
        met: judged.map(|m| m <= ACCEPT_TARGET),
    }
}

/// The targets of the ES256 accept path, the rejections and the peers.
pub(crate) fn targets(r: &Results) -> Vec<Target> {
    let malformed = malformed_inputs();
    let mut targets = vec![floor_target(r, REFERENCE, "raw p256 verification")];
    targets.push(floor_target(
        r,
        REFERENCE_AWS_LC,
        "raw aws-lc-rs verification (fast backend)",
    ));
    targets.push(fastest_peer_target(r, REFERENCE_AWS_LC));
    let rejects: Vec<(String, f64)> = malformed
        .iter()
        .flat_map(|m| {
            REFERENCES.iter().filter_map(|f| {
                r.time(REJECT, f, m.name)
                    .map(|t| (format!("{} ({f})", m.name), t))
            })
        })
        .collect();
    let worst = rejects.iter().max_by(|a, b| a.1.total_cmp(&b.1));
    let over: Vec<String> = rejects
        .iter()
        .filter(|(_, t)| *t >= REJECT_TARGET_NS)
        .map(|(n, t)| format!("{n} {}", fmt_ns(*t)))
        .collect();
    targets.push(Target {
        name: "every pre-signature rejection < 1 µs, on every backend".to_owned(),
        measured: match (worst, over.is_empty()) {
            (Some((n, t)), true) => format!("slowest: {n}, {}", fmt_ns(*t)),
            (Some(_), false) => format!("over: {}", over.join(", ")),
            (None, _) => "–".to_owned(),
        },
        met: worst.map(|_| over.is_empty()),
    });
    let mib = r.time(REJECT, REFERENCE, "1MiB");
    targets.push(Target {
        name: "1 MiB input rejected < 100 ns".to_owned(),
        measured: cell(mib),
        met: mib.map(|t| t < MIB_TARGET_NS),
    });
    // Shared cases: every rejection (each backend of the reference against every peer), and the
    // p256 lane's accept points (against the pure-Rust peers, on the same floor).
    let mut cases: Vec<(String, &str, String, &str)> = malformed
        .iter()
        .flat_map(|m| {
            REFERENCES.iter().map(|f| {
                (
                    format!("reject {} ({f})", m.name),
                    REJECT,
                    m.name.to_owned(),
                    *f,
                )
            })
        })
        .collect();
    cases.extend(
        accept_points()
            .into_iter()
            .map(|(label, group, point)| (label, group, point, REFERENCE)),
    );
    let mut compared = 0;
    let mut losses = Vec::new();
    for (label, group, value, ours) in &cases {
        let peers: &[&str] = if *group == REJECT {
            &PEERS
        } else {
            &PURE_RUST_PEERS
        };
        for peer in peers {
            if let Some(q) = versus_peer(r, group, value, ours, peer) {
                compared += 1;
                if q >= 1.0 {
                    losses.push((q, format!("{label} vs {peer} ({q:.3}×)")));
                }
            }
        }
    }
    targets.push(Target {
        name: "every rejection, and the p256 accept path, ahead of every peer".to_owned(),
        measured: if losses.is_empty() {
            format!("{compared} of {compared} comparisons won")
        } else {
            let list = |tie: bool| {
                let cases: Vec<&str> = losses
                    .iter()
                    .filter(|(q, _)| (*q < TIE) == tie)
                    .map(|(_, case)| case.as_str())
                    .collect();
                if cases.is_empty() {
                    "none".to_owned()
                } else {
                    cases.join("; ")
                }
            };
            format!(
                "{} of {compared} won; slower by more than 2%: {}; slower by less than 2% (a tie \
                 at this noise): {}",
                compared - losses.len(),
                list(false),
                list(true)
            )
        },
        met: (compared > 0).then_some(losses.is_empty()),
    });
    targets.push(threads_target(r));
    targets
}

/// The reference's overhead at most this many nanoseconds on the typical access token.
pub const OVERHEAD_TARGET_NS: f64 = 3_000.0;
/// The reference's overhead at most this multiple of the lowest peer overhead.
pub const PEER_OVERHEAD_TARGET: f64 = 0.5;
/// The algorithms whose accept path is held to [`ACCEPT_TARGET`]× the floor.
pub const FLOOR_TARGET_ALGS: [&str; 2] = ["ES256", "RS256"];
/// The reference backends held to [`ACCEPT_TARGET`]× the floor: the default and the fast one.
pub const FLOOR_TARGET_BACKENDS: [&str; 2] = [REFERENCE, REFERENCE_AWS_LC];
/// Two threads at least this multiple of one thread's throughput.
pub const THREADS_TARGET: f64 = 1.9;

/// A verdict with what the run measured for it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Verdict {
    Met(String),
    Missed(String),
    NotMeasured,
    NotApplicable,
}

impl Verdict {
    fn judge(met: bool, measured: String) -> Verdict {
        if met {
            Verdict::Met(measured)
        } else {
            Verdict::Missed(measured)
        }
    }

    /// The table cell.
    pub(crate) fn cell(&self) -> String {
        match self {
            Verdict::Met(m) => format!("met ({m})"),
            Verdict::Missed(m) => format!("**missed** ({m})"),
            Verdict::NotMeasured => "not measured".to_owned(),
            Verdict::NotApplicable => "n/a".to_owned(),
        }
    }
}

/// The targets of issue 30 for one algorithm, judged from the per-algorithm group.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct AlgVerdicts {
    pub(crate) alg: &'static str,
    /// Every backend's overhead on the access token ≤ [`OVERHEAD_TARGET_NS`].
    pub(crate) overhead: Verdict,
    /// Every backend's overhead ≤ [`PEER_OVERHEAD_TARGET`]× the lowest peer's, on both tokens.
    pub(crate) versus_peers: Verdict,
    /// ES256 and RS256: the default and fast backends' accept ≤ [`ACCEPT_TARGET`]× their floors.
    pub(crate) floor: Verdict,
    /// HS256: every backend's accept time below every peer's, on the access token (the ID
    /// token's floors are not timed).
    pub(crate) ahead: Verdict,
}

/// The worst (largest) of some `(value, what)` pairs.
fn worst(values: Vec<(f64, String)>) -> Option<(f64, String)> {
    values.into_iter().max_by(|a, b| a.0.total_cmp(&b.0))
}

/// Each target's verdict for `alg`.
pub(crate) fn alg_verdicts(r: &Results, alg: &'static str) -> AlgVerdicts {
    use crate::algs::TokenKind;
    let access = AlgPoint::new(r, alg, TokenKind::Access);
    let points = TokenKind::ALL.map(|k| (k, AlgPoint::new(r, alg, k)));

    let overhead = match worst(
        access
            .references()
            .into_iter()
            .map(|(n, o)| (o, format!("{}: {}", alg_backend(n), fmt_ns(o))))
            .collect(),
    ) {
        Some((o, what)) => Verdict::judge(o <= OVERHEAD_TARGET_NS, format!("worst {what}")),
        None => Verdict::NotMeasured,
    };

    let mut ratios = Vec::new();
    let mut any_reference = false;
    for (kind, p) in &points {
        let refs = p.references();
        any_reference |= !refs.is_empty();
        let Some((peer, lowest)) = p.lowest_peer().filter(|(_, o)| *o > 0.0) else {
            continue;
        };
        for (n, o) in refs {
            ratios.push((
                o / lowest,
                format!("{}, {}, vs {peer}", alg_backend(n), kind.describe()),
            ));
        }
    }
    let versus_peers = match worst(ratios) {
        Some((q, what)) => Verdict::judge(
            q <= PEER_OVERHEAD_TARGET,
            format!("worst {} ({what})", fmt_ratio(q)),
        ),
        None if any_reference => Verdict::NotApplicable,
        None => Verdict::NotMeasured,
    };

    let floor = if FLOOR_TARGET_ALGS.contains(&alg) {
        let ratios: Vec<(f64, String)> = FLOOR_TARGET_BACKENDS
            .iter()
            .filter_map(|n| {
                let f = access.floor_time(n).filter(|f| *f > 0.0)?;
                let q = 1.0 + access.overhead(n)? / f;
                Some((q, format!("{}: {}", alg_backend(n), fmt_ratio(q))))
            })
            .collect();
        let ran = ratios.len();
        match worst(ratios) {
            Some((q, what)) => {
                let partial = if ran < FLOOR_TARGET_BACKENDS.len() {
                    ", default backend only"
                } else {
                    ""
                };
                Verdict::judge(q <= ACCEPT_TARGET, format!("worst {what}{partial}"))
            }
            None => Verdict::NotMeasured,
        }
    } else {
        Verdict::NotApplicable
    };

    let ahead = if alg == "HS256" {
        let mut ratios = Vec::new();
        for (kind, p) in &points {
            for ours in REFERENCES {
                for peer in PEERS {
                    if let (Some(a), Some(b)) = (p.accept_time(ours), p.accept_time(peer)) {
                        ratios.push((
                            a / b,
                            format!("{} vs {peer}, {}", alg_backend(ours), kind.describe()),
                        ));
                    }
                }
            }
        }
        match worst(ratios) {
            Some((q, what)) => Verdict::judge(q < 1.0, format!("worst {} ({what})", fmt_ratio(q))),
            None => Verdict::NotMeasured,
        }
    } else {
        Verdict::NotApplicable
    };

    AlgVerdicts {
        alg,
        overhead,
        versus_peers,
        floor,
        ahead,
    }
}

/// "2 threads give at least 1.9× the throughput of 1", on every backend that ran.
pub(crate) fn threads_target(r: &Results) -> Target {
    let ratios: Vec<(f64, String)> = REFERENCES
        .iter()
        .filter_map(|n| {
            let one = r.time(THROUGHPUT, n, &threads_id(1))?;
            let two = r.time(THROUGHPUT, n, &threads_id(2))?;
            let q = one / two;
            Some((-q, format!("{}: {}", backend_of(n), fmt_ratio(q))))
        })
        .collect();
    let lowest = worst(ratios);
    Target {
        name: format!("2 threads ≥ {THREADS_TARGET}× the throughput of 1, on every backend"),
        measured: lowest
            .as_ref()
            .map_or_else(|| "–".to_owned(), |(_, what)| format!("lowest {what}")),
        met: lowest.map(|(q, _)| -q >= THREADS_TARGET),
    }
}

/// The backend of a contender in the per-algorithm group, where the default backend is the
/// RustCrypto crate of the algorithm.
fn alg_backend(name: &str) -> &'static str {
    match name {
        REFERENCE => "RustCrypto",
        other => backend_of(other),
    }
}
