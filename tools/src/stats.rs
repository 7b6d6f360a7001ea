//! `stats`: corpus counts per family (category) and per basis clause, by reason, severity and
//! feature, and the coverage checks CI holds the corpus to.

use std::collections::BTreeMap;
use std::path::Path;

use corpus::vector::{Expected, Severity, Vector};
use verifier::{Algorithm, Preset, Reason};

/// Minimum distinct vectors per reason ID.
const MIN_PER_REASON: usize = 5;
/// Minimum share of accept controls (vectors whose final step expects `accept`), in percent.
const MIN_ACCEPT_PERCENT: usize = 10;
/// Minimum corpus size.
const MIN_TOTAL: usize = 2100;
/// Minimum vectors per algorithm (a vector counts for every algorithm its profile lists).
const MIN_PER_ALGORITHM: usize = 40;

fn table(title: &str, counts: &BTreeMap<String, usize>) {
    println!("\n{title}");
    for (k, v) in counts {
        println!("  {k:<40} {v:>5}");
    }
}

/// Prints the counts; fails when coverage targets are missed.
pub fn run(dir: &Path) -> Result<(), String> {
    let vectors = corpus::load::load_dir(dir).map_err(|e| e.to_string())?;
    let report = Stats::of(&vectors);
    // The figures README.md and docs/ quote (conformance/tests/facts.rs holds them to the corpus).
    println!("vectors: {}", vectors.len());
    println!("live key-set vectors: {}", report.live);
    println!("families: {}", report.family.len());
    println!("schema_version: {}", corpus::vector::SCHEMA_VERSION);
    report.print_families();
    report.print_basis();
    table("by expected verdict", &report.verdict);
    table("by reason (every step)", &report.reason);
    table("by config-error code", &report.config_code);
    table("by severity", &report.severity);
    table("by feature", &report.feature);
    report.print_algorithms();
    report.print_presets();
    let problems = report.problems(vectors.len());
    if problems.is_empty() {
        println!(
            "\ncoverage: every reason has >= {MIN_PER_REASON} vectors, >= {MIN_ACCEPT_PERCENT} % \
             accept controls, every algorithm >= {MIN_PER_ALGORITHM} vectors with >= \
             {MIN_ACCEPT_PERCENT} % accept controls, >= {MIN_TOTAL} vectors"
        );
        Ok(())
    } else {
        Err(format!("coverage targets missed:\n{}", problems.join("\n")))
    }
}

/// Vectors and accept controls (vectors whose final step expects `accept`).
#[derive(Default, Clone, Copy, Debug, PartialEq, Eq)]
struct Tally {
    vectors: usize,
    accepts: usize,
}

impl Tally {
    fn add(&mut self, accept: bool) {
        self.vectors += 1;
        self.accepts += usize::from(accept);
    }

    /// Whether the accept controls are below [`MIN_ACCEPT_PERCENT`] of the vectors.
    fn few_accepts(self) -> bool {
        self.accepts * 100 < self.vectors * MIN_ACCEPT_PERCENT
    }
}

/// One family's counts.
#[derive(Default)]
struct Family {
    total: usize,
    must: usize,
    accept: usize,
    config_error: usize,
}

#[derive(Default)]
struct Stats {
    /// Vectors run against the live key-set server (`corpus::live::is_live`).
    live: usize,
    family: BTreeMap<String, Family>,
    basis: BTreeMap<String, usize>,
    verdict: BTreeMap<String, usize>,
    reason: BTreeMap<String, usize>,
    config_code: BTreeMap<String, usize>,
    severity: BTreeMap<String, usize>,
    feature: BTreeMap<String, usize>,
    /// Per algorithm the profile lists.
    algorithm: BTreeMap<Algorithm, Tally>,
    /// Per profile preset.
    preset: BTreeMap<Preset, Tally>,
}

fn label<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl Stats {
    fn of(vectors: &[Vector]) -> Stats {
        let mut s = Stats::default();
        for v in vectors {
            s.count(v);
        }
        s
    }

    fn count(&mut self, v: &Vector) {
        self.live += usize::from(corpus::live::is_live(v));
        *self.severity.entry(label(&v.severity)).or_default() += 1;
        for f in &v.features {
            *self.feature.entry(label(f)).or_default() += 1;
        }
        if v.features.is_empty() {
            *self.feature.entry("(none)".into()).or_default() += 1;
        }
        for b in &v.basis {
            *self.basis.entry(b.clone()).or_default() += 1;
        }
        let mut reasons: Vec<&str> = v
            .steps()
            .iter()
            .filter_map(|st| st.expected.reason().map(Reason::id))
            .collect();
        reasons.sort();
        reasons.dedup();
        for r in reasons {
            *self.reason.entry(r.to_owned()).or_default() += 1;
        }
        let last = v.steps().last().map(|st| &st.expected);
        let verdict = match last {
            Some(Expected::Accept { .. }) => "accept",
            Some(Expected::Reject { .. }) => "reject",
            Some(Expected::ConfigError { error }) => {
                *self.config_code.entry(error.id().to_owned()).or_default() += 1;
                "config_error"
            }
            None => "config_error",
        };
        *self.verdict.entry(verdict.into()).or_default() += 1;
        if v.steps()
            .iter()
            .any(|st| matches!(st.expected, Expected::Accept { .. }))
            && verdict != "accept"
        {
            *self
                .verdict
                .entry("(sequences with an accept step)".into())
                .or_default() += 1;
        }
        for alg in v.algorithms() {
            self.algorithm
                .entry(alg)
                .or_default()
                .add(verdict == "accept");
        }
        self.preset
            .entry(v.profile.preset)
            .or_default()
            .add(verdict == "accept");
        let family = self.family.entry(v.category.clone()).or_default();
        family.total += 1;
        family.must += usize::from(v.severity == Severity::Must);
        family.accept += usize::from(verdict == "accept");
        family.config_error += usize::from(verdict == "config_error");
    }

    fn print_families(&self) {
        println!("\nby family (category)");
        println!(
            "  {:<22} {:>6} {:>6} {:>8} {:>7} {:>7}",
            "family", "total", "must", "profile", "accept", "config"
        );
        for (name, f) in &self.family {
            println!(
                "  {name:<22} {:>6} {:>6} {:>8} {:>7} {:>7}",
                f.total,
                f.must,
                f.total - f.must,
                f.accept,
                f.config_error
            );
        }
    }

    /// Vectors and accept controls per algorithm, every algorithm listed.
    fn print_algorithms(&self) {
        println!("\nby algorithm (vectors, accepts)");
        for alg in Algorithm::ALL {
            let t = self.algorithm.get(&alg).copied().unwrap_or_default();
            println!("  {:<22} {:>6} {:>7}", alg.name(), t.vectors, t.accepts);
        }
    }

    /// Vectors and accept controls per preset, every preset listed.
    fn print_presets(&self) {
        println!("\nby preset (vectors, accepts)");
        for preset in Preset::ALL {
            let t = self.preset.get(&preset).copied().unwrap_or_default();
            println!("  {:<22} {:>6} {:>7}", preset.name(), t.vectors, t.accepts);
        }
    }

    /// Vectors per basis clause, grouped by the clause's kind in `docs/normative.md`, and the
    /// clauses no vector cites yet.
    fn print_basis(&self) {
        let normative = corpus::normative::table();
        let mut by_kind: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for (id, n) in &self.basis {
            let kind = normative
                .get(id)
                .map_or_else(|| "unknown".to_owned(), |c| format!("{:?}", c.kind));
            by_kind.entry(kind).or_default().insert(id.clone(), *n);
        }
        for (kind, counts) in &by_kind {
            table(
                &format!("by basis: {} clauses", kind.to_lowercase()),
                counts,
            );
        }
        let uncited: Vec<&str> = normative
            .clauses
            .keys()
            .filter(|id| !self.basis.contains_key(*id))
            .map(String::as_str)
            .collect();
        if !uncited.is_empty() {
            println!("\nclauses no vector cites: {}", uncited.join(", "));
        }
    }

    fn problems(&self, total: usize) -> Vec<String> {
        let mut out: Vec<String> = Reason::ALL
            .iter()
            .filter(|r| self.reason.get(r.id()).copied().unwrap_or(0) < MIN_PER_REASON)
            .map(|r| {
                format!(
                    "reason {} has {} vectors (< {MIN_PER_REASON})",
                    r.id(),
                    self.reason.get(r.id()).copied().unwrap_or(0)
                )
            })
            .collect();
        let accepts = self.verdict.get("accept").copied().unwrap_or(0);
        if accepts * 100 < total * MIN_ACCEPT_PERCENT {
            out.push(format!(
                "{accepts} accept controls of {total} vectors (< {MIN_ACCEPT_PERCENT} %)"
            ));
        }
        for alg in Algorithm::ALL {
            let t = self.algorithm.get(&alg).copied().unwrap_or_default();
            if t.vectors < MIN_PER_ALGORITHM {
                out.push(format!(
                    "algorithm {} has {} vectors (< {MIN_PER_ALGORITHM})",
                    alg.name(),
                    t.vectors
                ));
            }
            if t.few_accepts() {
                out.push(format!(
                    "algorithm {} has {} accept controls of {} vectors (< {MIN_ACCEPT_PERCENT} %)",
                    alg.name(),
                    t.accepts,
                    t.vectors
                ));
            }
        }
        if total < MIN_TOTAL {
            out.push(format!("{total} vectors (< {MIN_TOTAL})"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The corpus, loaded once per test from the repository's `vectors/`.
    fn corpus() -> Vec<Vector> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors");
        corpus::load::load_dir(&dir).expect("the corpus loads")
    }

    #[test]
    fn the_corpus_meets_every_target() {
        let vectors = corpus();
        assert_eq!(
            Stats::of(&vectors).problems(vectors.len()),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_reason_below_the_minimum_is_named() {
        let vectors = corpus();
        let thin = Reason::ALL[0];
        let mut kept = 0;
        let fewer: Vec<Vector> = vectors
            .into_iter()
            .filter(|v| {
                let hits = v.steps().iter().any(|s| s.expected.reason() == Some(thin));
                kept += usize::from(hits);
                !hits || kept < MIN_PER_REASON
            })
            .collect();
        let problems = Stats::of(&fewer).problems(fewer.len());
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with(&format!("reason {thin} has"))),
            "{problems:?}"
        );
    }

    #[test]
    fn too_few_accept_controls_are_named() {
        let vectors = corpus();
        let rejects: Vec<Vector> = vectors
            .into_iter()
            .filter(|v| {
                !matches!(
                    v.steps().last().map(|s| &s.expected),
                    Some(Expected::Accept { .. })
                )
            })
            .collect();
        let problems = Stats::of(&rejects).problems(rejects.len());
        assert!(
            problems.iter().any(|p| p.contains("accept controls")),
            "{problems:?}"
        );
    }

    fn lists(v: &Vector, alg: Algorithm) -> bool {
        v.algorithms().contains(&alg)
    }

    #[test]
    fn an_algorithm_below_the_minimum_is_named() {
        let vectors = corpus();
        let thin = Algorithm::HS512;
        let mut kept = 0;
        let fewer: Vec<Vector> = vectors
            .into_iter()
            .filter(|v| {
                let hits = lists(v, thin);
                kept += usize::from(hits);
                !hits || kept < MIN_PER_ALGORITHM
            })
            .collect();
        let problems = Stats::of(&fewer).problems(fewer.len());
        assert!(
            problems.contains(&format!(
                "algorithm HS512 has {} vectors (< {MIN_PER_ALGORITHM})",
                MIN_PER_ALGORITHM - 1
            )),
            "{problems:?}"
        );
    }

    #[test]
    fn an_algorithm_without_accept_controls_is_named() {
        let vectors = corpus();
        let thin = Algorithm::PS384;
        let rejects: Vec<Vector> = vectors
            .into_iter()
            .filter(|v| {
                !(lists(v, thin)
                    && matches!(
                        v.steps().last().map(|s| &s.expected),
                        Some(Expected::Accept { .. })
                    ))
            })
            .collect();
        let problems = Stats::of(&rejects).problems(rejects.len());
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("algorithm PS384 has 0 accept controls of ")),
            "{problems:?}"
        );
        // The other algorithms are not named for it.
        assert!(
            !problems.iter().any(|p| p.starts_with("algorithm ES256 ")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_vector_counts_for_each_listed_algorithm_and_its_preset() {
        let vectors = corpus();
        let two = vectors
            .iter()
            .find(|v| v.profile.algorithms.len() == 2)
            .expect("a vector lists two algorithms");
        let stats = Stats::of(std::slice::from_ref(two));
        let counted: Vec<Algorithm> = stats.algorithm.keys().copied().collect();
        let mut listed = two.profile.algorithms.clone();
        listed.sort();
        assert_eq!(counted, listed);
        assert!(stats.algorithm.values().all(|t| t.vectors == 1));
        assert_eq!(
            stats.preset.get(&two.profile.preset).map(|t| t.vectors),
            Some(1)
        );
    }

    #[test]
    fn presets_add_up_and_every_algorithm_is_counted() {
        let vectors = corpus();
        let stats = Stats::of(&vectors);
        let total: usize = stats.preset.values().map(|t| t.vectors).sum();
        assert_eq!(total, vectors.len());
        let listed: usize = vectors.iter().map(|v| v.algorithms().len()).sum();
        assert_eq!(
            stats.algorithm.values().map(|t| t.vectors).sum::<usize>(),
            listed
        );
    }

    #[test]
    fn families_and_basis_add_up() {
        let vectors = corpus();
        let stats = Stats::of(&vectors);
        let total: usize = stats.family.values().map(|f| f.total).sum();
        assert_eq!(total, vectors.len());
        let cites: usize = vectors.iter().map(|v| v.basis.len()).sum();
        assert_eq!(stats.basis.values().sum::<usize>(), cites);
    }
}
