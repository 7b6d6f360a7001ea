//! `conformance`: run JWT verifiers against the corpus.
//!
//! - no arguments: the reference verifier over the corpus, a summary, exit 1 on any
//!   disagreement, including a result that is only acceptable (the reference must be exact);
//! - `run --adapter NAME|all --vectors DIR --filter PATTERN --format text|json|junit|markdown
//!   --output FILE --reports DIR --fail-on forgery|dos|must|profile|any --baseline FILE
//!   --write-baseline FILE --allow-missing` (the gates: [`conformance::gate`]);
//! - `list-adapters`;
//! - `matrix` (writes `docs/matrix.md`, `docs/matrix/*.md`, the heatmap
//!   `docs/matrix/heatmap.svg`, `docs/findings.md` and `docs/disputes.md`; `--check` compares
//!   instead, for CI; the adapters run on `--jobs` workers: [`conformance::schedule`]);
//! - `disputes` (runs each third-party library alone and writes `docs/disputes.md`: the
//!   vectors at least half of them disagree with; `--check` compares instead).
//!
//! `matrix` and `disputes` write into `docs/` of the project only when run from its checkout;
//! anywhere else they need `--docs DIR`, and a folder other than the project's `docs/` gets
//! self-contained pages (the files they link to copied in: [`matrix::site`]).
//!
//! `matrix` and `disputes` exit 1 when a disputed `must` vector has no `rationale`.
//!
//! The corpus is the one built into the binary ([`conformance::embedded`]) unless `--vectors`
//! names a folder.
//!
//! Exit codes: 0 when everything required passed; 1 for conformance failures the gate counts,
//! and for coverage lost against the baseline (`--exit-zero` turns that into 0); 2 for usage
//! and setup errors, which `--exit-zero` never hides and which the inputs are checked for
//! before the first vector runs: a bad argument, no vectors, an unreadable corpus or baseline,
//! an output that cannot be written, an unknown adapter or (without `--allow-missing`) one that
//! is not installed; and after the run, an adapter that broke (no hello, a bad one, a protocol
//! mismatch, or wedged mid-run: its report then says nothing about the library) and a run where
//! every vector was skipped;
//! 130 when interrupted (Ctrl-C, SIGTERM, SIGHUP), after killing every adapter process group.
#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};
use conformance::adapter::Adapter;
use conformance::adapters::subprocess::{self, UNAVAILABLE};
use conformance::adapters::{self, HARDENED_SUFFIX, project_root};
use conformance::call::{self, RunOptions};
use conformance::embedded;
use conformance::gate::{Baseline, FailOn, Gate};
use conformance::report::disputes::{self, Disputes};
use conformance::report::matrix::{self, Layout};
use conformance::report::{self, Format, Report};
use conformance::runner::{self, Corpus};
use conformance::schedule::{self, Phase};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

#[derive(Parser)]
#[command(
    name = "conformance",
    version,
    about = "Run JWT verifiers against the jwt-conformance corpus",
    long_about = "Run JWT verifiers against the jwt-conformance corpus. Without a subcommand, runs \
                  the reference verifier over the corpus built in and exits non-zero unless it is exact on every \
                  vector (a failure, or a result that is only acceptable, fails the run)."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run one adapter (or all) over the corpus and report.
    Run(RunArgs),
    /// List the adapters that ship, with their library versions and features.
    ListAdapters {
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
    },
    /// Run every adapter and write docs/matrix.md, docs/matrix/*.md, the heatmap
    /// docs/matrix/heatmap.svg, docs/findings.md and docs/disputes.md.
    Matrix(MatrixArgs),
    /// Run each third-party library alone and write docs/disputes.md: the vectors at least half
    /// of them disagree with (a disputed `must` vector without a rationale is an error).
    Disputes(MatrixArgs),
    /// Search for disagreements no vector was written for: mutated corpus tokens, re-signed,
    /// sent to every library, judged against the reference; new clusters are minimized and
    /// written as draft vectors with a triage page (docs/hunt.md).
    Hunt(HuntArgs),
}

#[derive(Parser)]
struct HuntArgs {
    /// Comma-separated adapters; `lang:LANGUAGE` names every library of a language (default:
    /// every third-party library installed here). Repeat it for several `exec:` adapters.
    #[arg(long)]
    adapters: Vec<String>,
    /// Search this long (this run), then minimize and write (the default: 60 s).
    #[arg(long, conflicts_with = "candidates")]
    seconds: Option<u64>,
    /// Search until the campaign has judged this many candidates in all.
    #[arg(long)]
    candidates: Option<u64>,
    /// The campaign's seed: the same seed gives the same candidates.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The campaign's folder: state, baseline, drafts and triage.md. A folder holding a
    /// campaign resumes it.
    #[arg(long, default_value = "hunt-out")]
    out: PathBuf,
    /// Corpus directory (default: the corpus built into this binary).
    #[arg(long)]
    vectors: Option<PathBuf>,
    /// Per-case timeout, seconds.
    #[arg(long, default_value_t = 10.0)]
    timeout: f64,
    /// Exit 1 when a cluster is new against the corpus (for the nightly job).
    #[arg(long)]
    fail_on_new: bool,
    /// Instances of each adapter a batch is split among (default: the machine's cores), so
    /// that the slowest library, which every batch waits for, gets more than one core.
    #[arg(long)]
    instances: Option<usize>,
    /// Run no campaign: time the hunt's engine against a naive loop of `run` over the first N
    /// candidates of the seed, and print both rates (docs/hunt.md).
    #[arg(long, value_name = "N")]
    compare_naive: Option<usize>,
    /// With --compare-naive: how many of the N candidates the loop of `conformance run` calls
    /// (one process per candidate and adapter) is timed on.
    #[arg(long, default_value_t = 5, value_name = "K")]
    naive_cli: usize,
    #[arg(long)]
    no_progress: bool,
}

#[derive(Parser)]
struct RunArgs {
    /// Adapter name, `all`, a comma-separated list, `NAME+hardened`, or `exec:` (a shell-quoted
    /// command line or a JSON argv array; it takes the rest of the list, commas included).
    #[arg(long, default_value = "reference")]
    adapter: String,
    /// Corpus directory (default: the corpus built into this binary).
    #[arg(long)]
    vectors: Option<PathBuf>,
    /// Only vectors whose ID matches (glob with * and ?, else substring).
    #[arg(long)]
    filter: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Write the report here instead of stdout.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Per-vector timeout, seconds.
    #[arg(long, default_value_t = 10.0)]
    timeout: f64,
    /// Never draw a progress bar.
    #[arg(long)]
    no_progress: bool,
    /// Exit 0 even when vectors fail (reports only). A broken adapter or another setup error
    /// still exits 2.
    #[arg(long)]
    exit_zero: bool,
    /// What fails the run (exit 1), each level counting all the one before it does: a
    /// `forgery`-class failure, or an adapter error on a `must` vector (`forgery`); also a
    /// `denial-of-service` (timeout) on a `must` vector (`dos`); any failure of a `must` vector
    /// (`must`); a failure of any vector (`profile`, the default); also any result that is
    /// only acceptable (`any`). Adapter errors count within the level's scope. Skips are no
    /// failures at any level, but at every level a vector the --baseline says ran and that is
    /// skipped now fails the run as coverage lost, and a run where nothing ran exits 2.
    #[arg(long, value_enum, default_value = "profile")]
    fail_on: FailOn,
    /// Known failures and the vectors run and skipped (written by --write-baseline): only a
    /// failure it does not list, one graver than it says, or a vector it says ran that is now
    /// skipped, fails the run; entries no longer failing are listed, so it can shrink. Read,
    /// and refused with exit 2 if bad, before the first vector runs.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write every result that is not exact, and every vector run and skipped, to FILE as the
    /// new baseline, and exit 0 (2 on a setup error, or when nothing ran).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Also write every report format into DIR: results.txt, results.json, results.xml (JUnit),
    /// results.md, and the --fail-on/--baseline decision as gate.txt and gate.json.
    #[arg(long, value_name = "DIR")]
    reports: Option<PathBuf>,
    /// Report a shipped adapter that is not built or installed here as skipped (cause
    /// `adapter_unavailable`) instead of exiting 2.
    #[arg(long)]
    allow_missing: bool,
}

#[derive(Parser)]
struct MatrixArgs {
    /// Corpus directory (default: the corpus built into this binary).
    #[arg(long)]
    vectors: Option<PathBuf>,
    /// Where the pages go (default: docs/ of the project, when run from its checkout). Any
    /// folder but the project's docs/ gets the files the pages link to copied in.
    #[arg(long, value_name = "DIR")]
    docs: Option<PathBuf>,
    /// Compare with the committed pages instead of writing; exit 1 if stale.
    #[arg(long)]
    check: bool,
    /// Comma-separated adapters (default: every shipped adapter; for `disputes`, every
    /// third-party library alone). Repeat it for several `exec:` adapters: `exec:` takes the
    /// rest of its list.
    #[arg(long)]
    adapters: Vec<String>,
    /// Leave out adapters that are not installed instead of failing.
    #[arg(long)]
    allow_missing: bool,
    /// Per-vector timeout, seconds.
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
    /// Adapters run at once (default: the machine's cores). Progress bars show only with 1.
    #[arg(long)]
    jobs: Option<usize>,
    #[arg(long)]
    no_progress: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

/// Conformance failures: some vector failed (or, for the reference, was merely acceptable).
const EXIT_FAILED: u8 = 1;
/// Usage and setup errors, including a broken adapter; never hidden by `--exit-zero`.
const EXIT_SETUP: u8 = 2;
/// Interrupted by Ctrl-C (or SIGTERM, SIGHUP).
const EXIT_INTERRUPTED: i32 = 130;

fn main() -> ExitCode {
    quiet_worker_panics();
    // Adapter processes run in process groups of their own, out of reach of the terminal's
    // Ctrl-C: the runner kills them itself before it goes.
    if let Err(e) = ctrlc::set_handler(|| {
        subprocess::shutdown();
        eprintln!("conformance: interrupted; adapter processes killed");
        std::process::exit(EXIT_INTERRUPTED);
    }) {
        eprintln!("conformance: cannot handle Ctrl-C: {e}");
        return ExitCode::from(EXIT_SETUP);
    }
    let code = dispatch(Cli::parse());
    // Whatever an abandoned call left running dies with the runner.
    subprocess::shutdown();
    code
}

fn dispatch(cli: Cli) -> ExitCode {
    let result = match cli.command {
        None => run(RunArgs {
            adapter: "reference".to_owned(),
            vectors: None,
            filter: None,
            format: Format::Text,
            output: None,
            timeout: 10.0,
            no_progress: false,
            exit_zero: false,
            fail_on: FailOn::Profile,
            baseline: None,
            write_baseline: None,
            reports: None,
            allow_missing: false,
        }),
        Some(Command::Run(args)) => run(args),
        Some(Command::ListAdapters { format }) => list_adapters(format),
        Some(Command::Matrix(args)) => run_matrix(args),
        Some(Command::Disputes(args)) => run_disputes(args),
        Some(Command::Hunt(args)) => run_hunt(args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("conformance: {message}");
            ExitCode::from(EXIT_SETUP)
        }
    }
}

fn run_hunt(args: HuntArgs) -> Result<ExitCode, String> {
    use conformance::hunt;
    let timeout = timeout_of(args.timeout)?;
    let corpus = load_corpus(args.vectors)?;
    let names: Vec<String> = args
        .adapters
        .iter()
        .flat_map(|spec| adapters::parse_list(spec))
        .collect();
    let instances = args
        .instances
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let (mut lineup, missing) = hunt::lineup(
        (!names.is_empty()).then_some(&names[..]),
        &project_root(),
        timeout,
        instances,
    )?;
    for (name, why) in &missing {
        eprintln!("hunt: {name} is not installed here, left out ({why})");
    }
    eprintln!(
        "hunt: {} adapters: {}",
        lineup.len(),
        lineup
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some(n) = args.compare_naive {
        let runner = std::env::current_exe().map_err(|e| e.to_string())?;
        let t = hunt::throughput(
            args.seed,
            n,
            args.naive_cli,
            &runner,
            &corpus,
            &mut lineup,
            timeout,
        )?;
        #[allow(clippy::cast_precision_loss)]
        let per = |count: usize, secs: f64| count as f64 / secs.max(1e-9);
        let hunt_rate = per(t.candidates, t.hunt_secs);
        let runner_rate = per(t.candidates, t.runner_secs);
        let cli_rate = per(t.cli_candidates, t.cli_secs);
        println!(
            "throughput with {} adapters: hunt {hunt_rate:.2} candidates/s ({} in {:.1} s, {:.1} s \
             of it rendering); \
             runner, one adapter after another: {runner_rate:.2}/s ({:.1}x slower); a loop of \
             `conformance run` per candidate and adapter: {cli_rate:.3}/s ({} in {:.1} s, \
             {:.0}x slower)",
            lineup.len(),
            t.candidates,
            t.hunt_secs,
            t.render_secs,
            hunt_rate / runner_rate.max(1e-9),
            t.cli_candidates,
            t.cli_secs,
            hunt_rate / cli_rate.max(1e-9)
        );
        return Ok(ExitCode::SUCCESS);
    }
    let budget = match (args.seconds, args.candidates) {
        (_, Some(n)) => hunt::Budget::Candidates(n),
        (Some(s), None) => hunt::Budget::Seconds(s),
        (None, None) => hunt::Budget::Seconds(60),
    };
    let opts = hunt::Options {
        seed: args.seed,
        budget,
        out: args.out.clone(),
        timeout,
    };
    let show = !args.no_progress && std::io::stderr().is_terminal();
    let started = Instant::now();
    let mut progress = |s: &hunt::State| {
        if show {
            eprint!(
                "\rhunt: {} candidates, {} disagreements, {} clusters ({:.0} s)   ",
                s.next,
                s.disagreements,
                s.clusters.len(),
                started.elapsed().as_secs_f64()
            );
        }
    };
    let summary = hunt::hunt(&opts, &corpus, &mut lineup, &mut progress)?;
    if show {
        eprintln!();
    }
    #[allow(clippy::cast_precision_loss)]
    let rate = summary.judged_now as f64 / summary.secs_now.max(1e-9);
    println!(
        "hunt: {} candidates judged this run in {:.1} s ({rate:.1}/s) by {} adapters from {} \
         seeds; campaign: {} candidates, {} clusters, {} new; triage: {}",
        summary.judged_now,
        summary.secs_now,
        lineup.len(),
        summary.seeds,
        summary.state.next,
        summary.state.clusters.len(),
        summary.new.len(),
        args.out.join("triage.md").display()
    );
    for sig in &summary.new {
        println!("new cluster: {sig}");
    }
    if args.fail_on_new && !summary.new.is_empty() {
        return Ok(ExitCode::from(EXIT_FAILED));
    }
    Ok(ExitCode::SUCCESS)
}

/// Panics inside adapters are caught and reported by the runner; keep them off the terminal.
/// A panic of the main thread ends the process: the adapter processes go first.
fn quiet_worker_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| match std::thread::current().name() {
        Some(call::WORKER_THREAD) => {}
        Some("main") => {
            subprocess::shutdown();
            default(info);
        }
        _ => default(info),
    }));
}

fn timeout_of(secs: f64) -> Result<Duration, String> {
    Duration::try_from_secs_f64(secs)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("bad timeout {secs}"))
}

/// The corpus in `dir`, or else the one built into this binary.
fn load_corpus(dir: Option<PathBuf>) -> Result<Corpus, String> {
    let corpus = match &dir {
        Some(dir) => Corpus::load(dir).map_err(|e| e.to_string())?,
        None => embedded::corpus()?,
    };
    if corpus.vectors.is_empty() {
        return Err(match dir {
            Some(dir) => format!("no vectors under {}", dir.display()),
            None => "this runner was built without a corpus (outside the repository): \
                     pass --vectors DIR"
                .to_owned(),
        });
    }
    Ok(corpus)
}

fn adapter_names(spec: &str) -> Vec<String> {
    adapters::parse_list(spec)
}

/// The adapters of every `--adapters` given, in order; `None` when none was.
fn listed(lists: &[String]) -> Option<Vec<String>> {
    (!lists.is_empty()).then(|| lists.iter().flat_map(|l| adapter_names(l)).collect())
}

fn run(args: RunArgs) -> Result<ExitCode, String> {
    let root = project_root();
    // Everything the run reads or writes is checked before the first vector runs: a bad
    // corpus, filter, baseline, output path or adapter list is exit 2 at once, not after the
    // corpus has run.
    let corpus = load_corpus(args.vectors)?.filtered(args.filter.as_deref());
    if corpus.vectors.is_empty() {
        return Err("the filter matches no vector".to_owned());
    }
    let opts = RunOptions {
        timeout: timeout_of(args.timeout)?,
        ..RunOptions::default()
    };
    let baseline = args.baseline.as_deref().map(Baseline::read).transpose()?;
    for path in [&args.output, &args.write_baseline].into_iter().flatten() {
        writable_file(path)?;
    }
    if let Some(dir) = &args.reports {
        writable_dir(dir)?;
    }
    let adapters = build_adapters(&args.adapter, &root, args.allow_missing)?;
    let mut reports = Vec::new();
    for (name, adapter) in adapters {
        reports.push(match adapter {
            Ok(adapter) => run_one(adapter, &name, &corpus, &opts, !args.no_progress),
            Err(why) => {
                eprintln!("conformance: {name} is unavailable, its vectors are skipped: {why}");
                runner::unavailable(&name, &why, &corpus)
            }
        });
    }
    let text = report::render(&reports, args.format);
    match &args.output {
        Some(path) => std::fs::write(path, &text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(text.as_bytes());
        }
    }
    if args.output.is_some() || args.format != Format::Text {
        for r in &reports {
            eprintln!("{}", summary_line(r));
        }
    }
    let gate = Gate::judge(args.fail_on, &reports, baseline.as_ref());
    if let Some(dir) = &args.reports {
        write_reports(dir, &reports, (args.format, &text), &gate)?;
    }
    let mut broken = false;
    for r in &reports {
        if let Some(why) = r.broken() {
            eprintln!("conformance: {}: {why}", r.header.adapter);
            broken = true;
        }
    }
    if broken {
        return Ok(ExitCode::from(EXIT_SETUP));
    }
    // A run that tested nothing says nothing about the library: a setup error, like a filter
    // that matches no vector.
    if gate.nothing_ran() {
        eprint!("{}", gate.render());
        return Ok(ExitCode::from(EXIT_SETUP));
    }
    if let Some(path) = &args.write_baseline {
        let (failures, skips) = Baseline::write(&reports, path)?;
        eprintln!(
            "conformance: wrote {failures} known failures and {skips} skips to {}",
            path.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    // The gate speaks when asked for, when it fails the run, or when vectors were skipped.
    let skipped = gate.skipped.values().any(|n| *n > 0);
    if args.baseline.is_some() || args.fail_on != FailOn::Profile || !gate.passed() || skipped {
        eprint!("{}", gate.render());
    }
    Ok(if !gate.passed() && !args.exit_zero {
        ExitCode::from(EXIT_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

/// An adapter of the run: built, or unavailable here (`--allow-missing`) and why.
type Planned = (String, Result<Arc<dyn Adapter>, String>);

/// Builds every adapter `spec` names before anything runs. An unknown or repeated name is a
/// usage error. A shipped adapter that is not built or installed here is a setup error, unless
/// `allow_missing`: then it is kept as unavailable, and its vectors are reported skipped.
fn build_adapters(spec: &str, root: &Path, allow_missing: bool) -> Result<Vec<Planned>, String> {
    let names = adapter_names(spec);
    if names.is_empty() {
        return Err("--adapter names no adapter".to_owned());
    }
    let shipped = adapters::names();
    let mut planned: Vec<Planned> = Vec::new();
    for name in names {
        if planned.iter().any(|(n, _)| *n == name) {
            return Err(format!("adapter {name} is listed twice"));
        }
        let adapter = match adapters::build(&name, root) {
            Ok(adapter) => Ok(adapter),
            Err(e) if allow_missing && shipped.contains(&name) => Err(e),
            Err(e) if shipped.contains(&name) => {
                return Err(format!(
                    "{e} (or pass --allow-missing to report its vectors as skipped)"
                ));
            }
            Err(e) => return Err(e),
        };
        planned.push((name, adapter));
    }
    Ok(planned)
}

/// Fails unless `path` can be written: an existing file opens for writing, or else its folder
/// exists and takes a new file; a folder is refused.
fn writable_file(path: &Path) -> Result<(), String> {
    let cannot = |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", path.display());
    if path.is_dir() {
        return Err(cannot(&"it is a folder"));
    }
    if path.exists() {
        return std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map(drop)
            .map_err(|e| cannot(&e));
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    probe_dir(parent).map_err(|e| cannot(&e))
}

/// Creates `dir` if need be and fails unless it takes a new file.
fn writable_dir(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .and_then(|()| probe_dir(dir))
        .map_err(|e| format!("cannot write under {}: {e}", dir.display()))
}

/// Creates and removes a file in `dir`.
fn probe_dir(dir: &Path) -> std::io::Result<()> {
    let probe = dir.join(format!(".conformance-probe-{}", std::process::id()));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)?;
    std::fs::remove_file(&probe)
}

/// `--reports DIR`: every format of the same run, and the gate's decision. `rendered` is the
/// report already rendered in the run's `--format`, written as is rather than rendered again.
fn write_reports(
    dir: &Path,
    reports: &[Report],
    rendered: (Format, &str),
    gate: &Gate<'_>,
) -> Result<(), String> {
    let formats = [
        (Format::Text, "results.txt"),
        (Format::Json, "results.json"),
        (Format::Junit, "results.xml"),
        (Format::Markdown, "results.md"),
    ];
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    for (format, name) in formats {
        if format == rendered.0 {
            write(name, rendered.1)?;
        } else {
            write(name, &report::render(reports, format))?;
        }
    }
    write("gate.txt", &gate.render())?;
    write("gate.json", &gate.to_json())
}

fn summary_line(r: &Report) -> String {
    report::text::summary_line(r)
}

/// Runs one adapter with a progress bar that appears only if the run takes more than a moment.
fn run_one(
    adapter: Arc<dyn Adapter>,
    name: &str,
    corpus: &Corpus,
    opts: &RunOptions,
    progress: bool,
) -> Report {
    let show = progress && std::io::stderr().is_terminal();
    let bar = ProgressBar::with_draw_target(
        Some(corpus.vectors.len() as u64),
        ProgressDrawTarget::hidden(),
    );
    bar.set_style(
        ProgressStyle::with_template("{prefix:>24} [{bar:30}] {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_prefix(name.to_owned());
    let started = Instant::now();
    let mut visible = false;
    let mut on_progress = |done: usize, _total: usize, id: &str| {
        if show && !visible && started.elapsed() > Duration::from_millis(700) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            visible = true;
        }
        bar.set_position(done as u64);
        if visible {
            bar.set_message(id.to_owned());
        }
    };
    let report = runner::run(adapter, corpus, opts, &mut on_progress);
    bar.finish_and_clear();
    report
}

fn list_adapters(format: ListFormat) -> Result<ExitCode, String> {
    let root = project_root();
    let opts = RunOptions::default();
    let mut rows = Vec::new();
    for name in adapters::names() {
        let row = match adapters::build(&name, &root) {
            Ok(adapter) => match call::info_of(&adapter, &opts) {
                Ok(info) => serde_json::json!({"name": name, "available": true, "info": info}),
                Err(e) => serde_json::json!({"name": name, "available": false, "error": e.why}),
            },
            Err(e) => serde_json::json!({"name": name, "available": false, "error": e}),
        };
        rows.push(row);
    }
    match format {
        ListFormat::Json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            );
        }
        ListFormat::Text => {
            println!(
                "adapter API version {}",
                conformance::adapter::ADAPTER_API_VERSION
            );
            for row in &rows {
                let name = row["name"].as_str().unwrap_or_default();
                match row.get("info") {
                    Some(info) if row["available"] == true => {
                        // A capability list, comma-separated, `-` when empty.
                        let list = |member: &str| {
                            let items: Vec<&str> = info["capabilities"][member]
                                .as_array()
                                .map(|a| a.iter().filter_map(|f| f.as_str()).collect())
                                .unwrap_or_default();
                            if items.is_empty() {
                                "-".to_owned()
                            } else {
                                items.join(", ")
                            }
                        };
                        println!(
                            "{name:<24} {} {}  features: {}  algorithms: {}  presets: {}",
                            info["library"].as_str().unwrap_or_default(),
                            info["version"].as_str().unwrap_or_default(),
                            list("features"),
                            list("algorithms"),
                            list("presets"),
                        );
                    }
                    _ => println!(
                        "{name:<24} unavailable: {}",
                        row["error"].as_str().unwrap_or_default()
                    ),
                }
            }
            let available = |lib: &&adapters::Library| {
                rows.iter()
                    .any(|r| r["name"] == lib.name && r["available"] == true)
            };
            let languages = adapters::by_language(adapters::LIBRARIES.iter().filter(available));
            let count: usize = languages.iter().map(|(_, names)| names.len()).sum();
            let names: Vec<&str> = languages.iter().map(|(language, _)| *language).collect();
            println!(
                "{count} of {} third-party libraries available, in {} languages: {}",
                adapters::distinct_libraries(&adapters::LIBRARIES).count(),
                names.len(),
                names.join(", ")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs the adapters `names` over `corpus` for the generated pages, `--jobs` at once
/// ([`schedule::run_all`]), and keeps the reports the pages can be made from.
fn run_for_pages(
    names: &[String],
    corpus: &Corpus,
    args: &MatrixArgs,
    root: &Path,
) -> Result<Vec<Report>, String> {
    let opts = RunOptions {
        timeout: timeout_of(args.timeout)?,
        ..RunOptions::default()
    };
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .clamp(1, names.len().max(1));
    let progress = !args.no_progress && jobs == 1;
    let runs = schedule::run_all(
        names,
        corpus,
        jobs,
        |name| adapters::build(name, root),
        |adapter, name, part, phase| {
            run_one(adapter, name, part, &opts, progress && phase == Phase::Rest)
        },
    );
    let mut reports = Vec::new();
    for (name, run) in names.iter().zip(runs) {
        let report = match run {
            Ok(report) => report,
            Err(e) if args.allow_missing => {
                eprintln!("conformance: leaving out {name}: {e}");
                continue;
            }
            Err(e) => return Err(format!("{e} (or pass --allow-missing)")),
        };
        // A page from a broken run would describe the adapter, not the library.
        if let Some(why) = report.broken() {
            if report.header.library == UNAVAILABLE && args.allow_missing {
                eprintln!("conformance: leaving out {name}: {why}");
                continue;
            }
            return Err(format!("{name}: {why}"));
        }
        eprintln!("{}", summary_line(&report));
        reports.push(report);
    }
    Ok(reports)
}

/// Prints the missing-rationale error, if any; true when there was one.
fn missing_rationale(command: &str, reports: &[Report], corpus: &Corpus) -> bool {
    match Disputes::of(reports, corpus).error() {
        Some(error) => {
            eprintln!("{command}: {error}");
            true
        }
        None => false,
    }
}

/// Whether `dir` is a checkout of this project (its pages live in `docs/`).
fn is_checkout(dir: &Path) -> bool {
    dir.join("conformance/Cargo.toml").is_file()
        && dir.join("docs/normative.md").is_file()
        && dir.join("vectors").is_dir()
}

/// Where `matrix` and `disputes` write, and how the pages link: `--docs DIR` (the project's
/// own `docs/` when DIR is that, self-contained anywhere else), or without it `docs/` of the
/// checkout the command runs in. Outside a checkout there is no default: the runner never
/// writes into the source tree it was built from unless asked to.
fn pages_dir(docs: Option<&Path>) -> Result<(PathBuf, Layout), String> {
    match docs {
        Some(dir) => {
            let project = std::path::absolute(dir)
                .ok()
                .filter(|d| d.file_name().is_some_and(|n| n == "docs"))
                .and_then(|d| d.parent().map(is_checkout))
                .unwrap_or(false);
            Ok((
                dir.to_path_buf(),
                if project {
                    Layout::Project
                } else {
                    Layout::SelfContained
                },
            ))
        }
        None => std::env::current_dir()
            .ok()
            .and_then(|cwd| {
                cwd.ancestors()
                    .find(|d| is_checkout(d))
                    .map(Path::to_path_buf)
            })
            .map(|root| (root.join("docs"), Layout::Project))
            .ok_or_else(|| {
                "not in a jwt-conformance checkout: name the folder for the pages with --docs DIR"
                    .to_owned()
            }),
    }
}

/// The files to write for `layout`: the pages, and in a self-contained folder every file they
/// link to but `siblings`, the pages `matrix` writes beside them.
fn bundled(
    mut files: BTreeMap<String, String>,
    siblings: &[&str],
    corpus: &Corpus,
    layout: Layout,
) -> Result<BTreeMap<String, String>, String> {
    if layout == Layout::SelfContained {
        matrix::site::bundle(&mut files, siblings, matrix::site::vector_files(corpus))?;
    }
    Ok(files)
}

fn run_matrix(args: MatrixArgs) -> Result<ExitCode, String> {
    let root = project_root();
    let (docs, layout) = pages_dir(args.docs.as_deref())?;
    let corpus = load_corpus(args.vectors.clone())?;
    let names = match listed(&args.adapters) {
        Some(names) => names,
        None => adapters::names(),
    };
    let reports = run_for_pages(&names, &corpus, &args, &root)?;
    let files = bundled(
        matrix::render_in(&reports, &corpus, layout),
        &[],
        &corpus,
        layout,
    )?;
    let unexplained = missing_rationale("matrix", &reports, &corpus);
    if args.check {
        let stale = matrix::check(&docs, &files);
        if stale.is_empty() {
            eprintln!("matrix: {} files up to date", files.len());
        } else {
            eprintln!(
                "matrix: stale under {}: {} — regenerate with `{}`",
                docs.display(),
                stale.join(", "),
                matrix::COMMAND
            );
        }
        return Ok(if stale.is_empty() && !unexplained {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    matrix::write(&docs, &files)
        .map_err(|e| format!("cannot write under {}: {e}", docs.display()))?;
    eprintln!(
        "matrix: wrote {} files under {}",
        files.len(),
        docs.display()
    );
    Ok(if unexplained {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn run_disputes(args: MatrixArgs) -> Result<ExitCode, String> {
    let root = project_root();
    let (docs, layout) = pages_dir(args.docs.as_deref())?;
    let corpus = load_corpus(args.vectors.clone())?;
    let names: Vec<String> = match listed(&args.adapters) {
        Some(names) => names,
        None => adapters::third_party().map(str::to_owned).collect(),
    };
    if let Some(name) = names
        .iter()
        .find(|n| *n == "reference" || n.ends_with(HARDENED_SUFFIX))
    {
        return Err(format!(
            "disputes runs third-party libraries alone; {name} is not one"
        ));
    }
    let reports = run_for_pages(&names, &corpus, &args, &root)?;
    let found = Disputes::of(&reports, &corpus);
    let files = bundled(
        BTreeMap::from([(disputes::PAGE.to_owned(), found.page_in(&corpus, layout))]),
        &[matrix::PAGE],
        &corpus,
        layout,
    )?;
    let path = docs.join(disputes::PAGE);
    eprintln!(
        "disputes: {} of {} vectors disputed by the {} libraries run",
        found.disputed.len(),
        corpus.vectors.len(),
        found.adapters.len()
    );
    let unexplained = missing_rationale("disputes", &reports, &corpus);
    if args.check {
        let fresh = matrix::changed(&docs, &files).is_empty();
        if fresh {
            eprintln!("disputes: {} up to date", path.display());
        } else {
            eprintln!(
                "disputes: {} is stale — regenerate with `{}`",
                path.display(),
                disputes::COMMAND
            );
        }
        return Ok(if fresh && !unexplained {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    matrix::put(&docs, &files)
        .map_err(|e| format!("cannot write under {}: {e}", docs.display()))?;
    eprintln!("disputes: wrote {}", path.display());
    Ok(if unexplained {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
