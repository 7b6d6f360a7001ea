//! Criterion's output read back, and the lookups every table shares: rounds, medians, paired
//! ratios and overheads.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde_json::Value;

use crate::*;

/// One benchmark's headline estimate, in nanoseconds per iteration: what criterion prints as
/// `time:`, the slope of its linear regression over samples (which leaves out any constant
/// per-sample cost, such as reading the clock) or, for flat-sampled benches, the mean.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    pub point: f64,
    /// The 95% confidence interval of `point`.
    pub low: f64,
    pub high: f64,
    /// The median of the per-iteration sample times.
    pub median: f64,
    /// Elements per iteration, when the bench declared a throughput.
    pub elements: Option<u64>,
    /// When criterion wrote the estimate.
    pub written: Option<SystemTime>,
}

/// Every estimate found, by (group, function, parameter).
#[derive(Clone, Debug, Default)]
pub struct Results {
    estimates: BTreeMap<(String, String, String), Estimate>,
    /// The last bench run as the benches recorded it (`RUN_FILE`).
    pub run: Option<Value>,
}

impl Results {
    /// Reads every `*/new/benchmark.json` + `estimates.json` pair under `dir`.
    pub fn load(dir: &Path) -> Results {
        let mut results = Results {
            run: std::fs::read(dir.join(RUN_FILE))
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok()),
            ..Results::default()
        };
        let mut stack = vec![dir.to_path_buf()];
        while let Some(path) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&path) else {
                continue;
            };
            for entry in entries.flatten() {
                let p = entry.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.file_name().is_some_and(|n| n == "estimates.json")
                    && p.parent()
                        .and_then(Path::file_name)
                        .is_some_and(|n| n == "new")
                {
                    results.read_one(&p);
                }
            }
        }
        results
    }

    fn read_one(&mut self, estimates_path: &Path) {
        let read =
            |p: &Path| -> Option<Value> { serde_json::from_slice(&std::fs::read(p).ok()?).ok() };
        let Some(bench) = read(&estimates_path.with_file_name("benchmark.json")) else {
            return;
        };
        let Some(est) = read(estimates_path) else {
            return;
        };
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let number = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
        let key = (
            text(&bench["group_id"]),
            text(&bench["function_id"]),
            text(&bench["value_str"]),
        );
        let headline = if est["slope"].is_object() {
            &est["slope"]
        } else {
            &est["mean"]
        };
        let estimate = Estimate {
            point: number(&headline["point_estimate"]),
            low: number(&headline["confidence_interval"]["lower_bound"]),
            high: number(&headline["confidence_interval"]["upper_bound"]),
            median: number(&est["median"]["point_estimate"]),
            elements: bench["throughput"]["Elements"].as_u64(),
            written: std::fs::metadata(estimates_path)
                .and_then(|m| m.modified())
                .ok(),
        };
        self.insert(&key.0, &key.1, &key.2, estimate);
    }

    /// Adds one estimate (`value` empty for a benchmark without parameter).
    pub fn insert(&mut self, group: &str, function: &str, value: &str, estimate: Estimate) {
        self.estimates.insert(
            (group.to_owned(), function.to_owned(), value.to_owned()),
            estimate,
        );
    }

    /// One estimate.
    pub fn get(&self, group: &str, function: &str, value: &str) -> Option<&Estimate> {
        self.estimates
            .get(&(group.to_owned(), function.to_owned(), value.to_owned()))
    }

    /// The headline estimate, in nanoseconds.
    pub fn time(&self, group: &str, function: &str, value: &str) -> Option<f64> {
        self.get(group, function, value).map(|e| e.point)
    }

    /// The parameters measured for `group`/`function`.
    pub fn values(&self, group: &str, function: &str) -> Vec<String> {
        self.estimates
            .keys()
            .filter(|(g, f, _)| g == group && f == function)
            .map(|(_, _, v)| v.clone())
            .collect()
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.estimates.is_empty()
    }

    pub(crate) fn written(&self) -> Vec<SystemTime> {
        self.estimates.values().filter_map(|e| e.written).collect()
    }
}

/// Where criterion writes: `$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`, else the
/// workspace's `target/criterion`.
pub fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .or_else(metadata_target_dir)
        .unwrap_or_else(|| workspace_root().join("target"));
    let target = if target.is_relative() {
        workspace_root().join(target)
    } else {
        target
    };
    target.join("criterion")
}

/// `target_directory` of `cargo metadata`, as criterion finds it when cargo runs us.
pub(crate) fn metadata_target_dir() -> Option<PathBuf> {
    let output = std::process::Command::new(std::env::var_os("CARGO")?)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(workspace_root())
        .output()
        .ok()?;
    let metadata: Value = serde_json::from_slice(&output.stdout).ok()?;
    metadata["target_directory"].as_str().map(PathBuf::from)
}

pub(crate) fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? / b?)
}

/// The fastest peer's time for one case (of those that ran it), with its name.
pub(crate) fn fastest_peer(r: &Results, group: &str, value: &str) -> Option<(&'static str, f64)> {
    PEERS
        .iter()
        .filter_map(|p| round_time(r, group, p, value).map(|t| (*p, t)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// The parameters of `point`'s rounds (`round_id(point, k)`) that ran, or `point` itself when
/// it ran without rounds (the rejections, or an older layout).
pub(crate) fn rounds(r: &Results, group: &str, point: &str) -> Vec<String> {
    let ran = |k: &str| {
        let mut all = FLOORS
            .iter()
            .chain(&[RUSTCRYPTO_FLOOR])
            .chain(&REFERENCES)
            .chain(&PEERS);
        all.any(|f| r.get(group, f, k).is_some())
    };
    let mut rounds: Vec<String> = (1..=ACCEPT_ROUNDS.max(SCALING_ROUNDS))
        .map(|k| round_id(point, k))
        .filter(|k| ran(k))
        .collect();
    if rounds.is_empty() && ran(point) {
        rounds.push(point.to_owned());
    }
    rounds
}

/// The median over `point`'s rounds of `function`'s time.
pub(crate) fn round_time(r: &Results, group: &str, function: &str, point: &str) -> Option<f64> {
    median(
        rounds(r, group, point)
            .iter()
            .filter_map(|k| r.time(group, function, k))
            .collect(),
    )
}

/// Every accept-path case as (label, group, point): the typical token, then the scaling points.
pub(crate) fn accept_points() -> Vec<(String, &'static str, String)> {
    let mut points = vec![("typical token".to_owned(), ACCEPT, String::new())];
    points.extend(
        SIZES
            .iter()
            .map(|s| (format!("{s} B token"), SCALING_SIZE, s.to_string())),
    );
    points.extend(
        KEY_COUNTS
            .iter()
            .map(|k| (format!("{k}-key set"), SCALING_JWKS, k.to_string())),
    );
    points
}

/// The overhead of `function` over the floor at `point`, from its paired bench.
pub(crate) fn overhead(r: &Results, group: &str, function: &str, point: &str) -> Option<f64> {
    r.time(group, &overhead_id(function), overhead_point(point))
}

/// `ours` ÷ `peer` at `point`: on the accept path, when both are paired with the same floor, the
/// ratio of their overheads over it (the same comparison as of their times, without the drift
/// between two benchmarks), where both were measured and the peer's is positive; else the paired
/// ratio of their times.
pub(crate) fn versus_peer(
    r: &Results,
    group: &str,
    point: &str,
    ours: &str,
    peer: &str,
) -> Option<f64> {
    let same_floor = floor_of(ours) == floor_of(peer);
    match (
        overhead(r, group, ours, point),
        overhead(r, group, peer, point),
    ) {
        (Some(a), Some(b)) if b > 0.0 && same_floor => Some(a / b),
        _ => paired_ratio(r, group, point, ours, peer).map(|(m, _, _)| m),
    }
}

/// `ours` ÷ the fastest of `peers` at `point` (the largest of [`versus_peer`]).
pub(crate) fn versus_fastest_peer(
    r: &Results,
    group: &str,
    point: &str,
    ours: &str,
    peers: &[&str],
) -> Option<f64> {
    peers
        .iter()
        .filter_map(|p| versus_peer(r, group, point, ours, p))
        .max_by(f64::total_cmp)
}

/// The time ratio of `ours` to `peer` on the accept path: drift-free, from the paired overheads,
/// when both are paired with the same floor (floor plus one overhead over floor plus the other),
/// else the median of the ratios within rounds.
pub(crate) fn accept_versus(r: &Results, ours: &str, peer: &str) -> Option<f64> {
    let floor = round_time(r, ACCEPT, floor_of(ours), "");
    match (
        overhead(r, ACCEPT, ours, ""),
        overhead(r, ACCEPT, peer, ""),
        floor,
    ) {
        (Some(a), Some(b), Some(f)) if floor_of(ours) == floor_of(peer) => Some((f + a) / (f + b)),
        _ => paired_ratio(r, ACCEPT, "", ours, peer).map(|(m, _, _)| m),
    }
}

/// `name`'s time over its floor's at `point` from its paired overhead (one plus the overhead over
/// the floor's time: no drift between two benchmarks), where both ran.
pub(crate) fn over_floor(r: &Results, group: &str, name: &str, point: &str) -> Option<f64> {
    let extra = overhead(r, group, name, point)?;
    let floor = round_time(r, group, floor_of(name), point)?;
    (floor > 0.0).then(|| 1.0 + extra / floor)
}

/// The median of some values.
pub(crate) fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

/// `a ÷ b` within each round of `point` where both ran: (median, smallest, largest).
pub(crate) fn paired_ratio(
    r: &Results,
    group: &str,
    point: &str,
    a: &str,
    b: &str,
) -> Option<(f64, f64, f64)> {
    let ratios: Vec<f64> = rounds(r, group, point)
        .iter()
        .filter_map(|k| ratio(r.time(group, a, k), r.time(group, b, k)))
        .collect();
    let lo = ratios.iter().copied().min_by(f64::total_cmp)?;
    let hi = ratios.iter().copied().max_by(f64::total_cmp)?;
    Some((median(ratios)?, lo, hi))
}

/// The per-algorithm group's figures of one algorithm and token: overheads over each contender's
/// own floor ([`crate::algs::alg_floor_for`]) and the floors' times.
pub(crate) struct AlgPoint<'a> {
    pub(crate) r: &'a Results,
    pub(crate) alg: &'static str,
    pub(crate) point: String,
}

impl<'a> AlgPoint<'a> {
    pub(crate) fn new(r: &'a Results, alg: &'static str, kind: crate::algs::TokenKind) -> Self {
        AlgPoint {
            r,
            alg,
            point: kind.point(alg),
        }
    }

    /// `name`'s paired overhead over its floor.
    pub(crate) fn overhead(&self, name: &str) -> Option<f64> {
        overhead(self.r, crate::algs::ACCEPT_ALG, name, &self.point)
    }

    /// The time of `name`'s own floor.
    pub(crate) fn floor_time(&self, name: &str) -> Option<f64> {
        let floor = crate::algs::alg_floor_for(self.alg, name);
        round_time(self.r, crate::algs::ACCEPT_ALG, floor, &self.point)
    }

    /// `name`'s accept time: its floor's time plus its paired overhead.
    pub(crate) fn accept_time(&self, name: &str) -> Option<f64> {
        Some(self.floor_time(name)? + self.overhead(name)?)
    }

    /// The reference's backends that ran, with their overheads.
    pub(crate) fn references(&self) -> Vec<(&'static str, f64)> {
        REFERENCES
            .iter()
            .filter_map(|n| self.overhead(n).map(|o| (*n, o)))
            .collect()
    }

    /// The peer with the lowest overhead, of those that ran.
    pub(crate) fn lowest_peer(&self) -> Option<(&'static str, f64)> {
        PEERS
            .iter()
            .filter_map(|n| self.overhead(n).map(|o| (*n, o)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_criterion_layout() {
        let dir = std::env::temp_dir().join(format!("perf-report-test-{}", std::process::id()));
        let new = dir.join("reject/reference/1MiB/new");
        std::fs::create_dir_all(&new).unwrap();
        std::fs::write(
            new.join("benchmark.json"),
            r#"{"group_id":"reject","function_id":"reference","value_str":"1MiB","throughput":{"Elements":7}}"#,
        )
        .unwrap();
        std::fs::write(
            new.join("estimates.json"),
            r#"{"mean":{"point_estimate":6.0},"median":{"point_estimate":5.5},"slope":{"point_estimate":5.0,"confidence_interval":{"lower_bound":4.0,"upper_bound":6.0}}}"#,
        )
        .unwrap();
        let r = Results::load(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        let e = r.get(REJECT, REFERENCE, "1MiB").unwrap();
        assert_eq!(
            (e.point, e.low, e.median, e.elements),
            (5.0, 4.0, 5.5, Some(7))
        );
    }
}
