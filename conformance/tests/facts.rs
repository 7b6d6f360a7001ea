//! The figures the prose quotes cannot go stale: every count README.md and the docs give about
//! the corpus and the matrix (vectors, live key-set vectors, families, `must` and `profile`
//! vectors, libraries, languages, the schema version) is found by the words around it and held
//! to the live count: the corpus as `corpus::load` reads it (the figures `cargo run -p tools --
//! stats` prints), `adapters::LIBRARIES` and `corpus::vector::SCHEMA_VERSION`. A figure that is
//! reworded so that its words no longer match fails too, until its row here follows. The
//! generated pages (`docs/matrix*`, `findings.md`, `disputes.md`) are written from the same
//! counts and checked by `conformance matrix --check` instead.
//!
//! Also here: the supported platform the README names is the one the GitHub workflows run on.

use std::path::{Path, PathBuf};

use conformance::adapters::{LIBRARIES, by_language, distinct_libraries};
use corpus::vector::{SCHEMA_VERSION, Severity};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_path_buf()
}

/// What a figure counts.
#[derive(Clone, Copy, Debug)]
enum Count {
    Vectors,
    Must,
    Profile,
    Families,
    Live,
    Libraries,
    Languages,
    SchemaVersion,
}

/// The live counts.
struct Live {
    vectors: usize,
    must: usize,
    profile: usize,
    families: usize,
    live: usize,
}

impl Live {
    fn load() -> Live {
        let vectors = corpus::load::load_dir(&root().join("vectors")).expect("the corpus loads");
        let mut families: Vec<&str> = vectors.iter().map(|v| v.category.as_str()).collect();
        families.sort_unstable();
        families.dedup();
        let severity = |s: Severity| vectors.iter().filter(|v| v.severity == s).count();
        Live {
            vectors: vectors.len(),
            must: severity(Severity::Must),
            profile: severity(Severity::Profile),
            families: families.len(),
            live: vectors.iter().filter(|v| corpus::live::is_live(v)).count(),
        }
    }

    fn of(&self, count: Count) -> usize {
        match count {
            Count::Vectors => self.vectors,
            Count::Must => self.must,
            Count::Profile => self.profile,
            Count::Families => self.families,
            Count::Live => self.live,
            Count::Libraries => distinct_libraries(&LIBRARIES).count(),
            Count::Languages => by_language(&LIBRARIES).len(),
            Count::SchemaVersion => SCHEMA_VERSION as usize,
        }
    }
}

/// How a figure is written.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Form {
    /// The count itself (`1388` or `1,388`).
    Exact,
    /// A floor that stays true as the corpus grows, `1,300+`: the count rounded down to a
    /// hundred, so it is rewritten once per hundred vectors, not never.
    Hundreds,
}

/// One figure in one file: the number between the words `before` and `after` (whitespace and
/// line breaks in the file count as one space).
struct Fact {
    file: &'static str,
    before: &'static str,
    after: &'static str,
    count: Count,
    form: Form,
}

const fn fact(
    file: &'static str,
    before: &'static str,
    after: &'static str,
    count: Count,
    form: Form,
) -> Fact {
    Fact {
        file,
        before,
        after,
        count,
        form,
    }
}

use Count::*;
use Form::*;

/// Every count the hand-written prose gives: file, the words before and after the figure, what
/// it counts, how it is written.
#[rustfmt::skip]
const FACTS: &[Fact] = &[
    fact("README.md", "a corpus of ", "+ signed and malformed tokens", Vectors, Hundreds),
    fact("README.md", "(the ", " adapted libraries", Libraries, Exact),
    fact("README.md", "(", " libraries in ", Libraries, Exact),
    fact("README.md", " libraries in ", " languages — ", Languages, Exact),
    fact("README.md", "the live key-set vectors: ", " vectors (fetch", Live, Exact),
    fact("README.md", "| Vector format | `schema_version` ", " (", SchemaVersion, Exact),
    fact("docs/maintainers.md", "server for the ", " live key-set vectors", Live, Exact),
    fact("docs/adapters.md", "## Adapters that ship ", " libraries in ", Libraries, Exact),
    fact("docs/adapters.md", " libraries in ", " languages. ", Languages, Exact),
    fact("vectors/README.md", "corpus (schema version ", ")", SchemaVersion, Exact),
    fact("vectors/README.md", "tools -- stats`) ", " vectors in ", Vectors, Exact),
    fact("vectors/README.md", " vectors in ", " families", Families, Exact),
    fact("vectors/README.md", "`regressions` and `hunt`): ", " `must`", Must, Exact),
    fact("vectors/README.md", "`must` and ", " `profile`", Profile, Exact),
    fact("fuzz/README.md", ".json` (schema v", ",", SchemaVersion, Exact),
    fact("corpus/Cargo.toml", "vector format (schema v", ")", SchemaVersion, Exact),
    fact("corpus/src/lib.rs", "the vector format (schema v", ")", SchemaVersion, Exact),
    fact("corpus/src/vector.rs", "format, schema version ", " (", SchemaVersion, Exact),
];

/// The text with every run of whitespace made one space, so that a figure may wrap.
fn normalized(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The figures of `fact` in `text` (normalized), as written: each number between `before` and
/// `after`, with its `+` when the form is a floor.
fn figures(text: &str, fact: &Fact) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices(fact.before) {
        let rest = &text[at + fact.before.len()..];
        // Digits, with a thousands separator only between digits (`1,388`; `v2,` is 2).
        let bytes = rest.as_bytes();
        let end = (0..bytes.len())
            .find(|&i| {
                !(bytes[i].is_ascii_digit()
                    || (bytes[i] == b','
                        && i > 0
                        && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
            })
            .unwrap_or(bytes.len());
        let (number, tail) = rest.split_at(end);
        if number.is_empty() {
            continue;
        }
        if tail.starts_with(fact.after) {
            found.push(number.to_owned());
        }
    }
    found
}

/// `n` as the figure `form` writes (`1,300` for a floor of 1,388; `1388` exactly).
fn expected_value(n: usize, form: Form) -> usize {
    match form {
        Exact => n,
        Hundreds => n / 100 * 100,
    }
}

/// Checks one fact against `text`: `Err` says what the prose says and what it should say.
fn check(text: &str, fact: &Fact, live: &Live) -> Result<(), String> {
    let figures = figures(text, fact);
    let count = live.of(fact.count);
    let want = expected_value(count, fact.form);
    let plus = if fact.form == Hundreds { "+" } else { "" };
    if figures.is_empty() {
        return Err(format!(
            "{}: no figure between {:?} and {:?} (reworded? update FACTS); the {:?} count is \
             {count}",
            fact.file, fact.before, fact.after, fact.count
        ));
    }
    let wrong: Vec<&String> = figures
        .iter()
        .filter(|f| f.replace(',', "").parse::<usize>().ok() != Some(want))
        .collect();
    if wrong.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{}: {:?}…{:?} says {}; the {:?} count is {count}: write {want}{plus}",
        fact.file,
        fact.before.trim(),
        fact.after.trim(),
        wrong
            .iter()
            .map(|f| format!("{f}{plus}"))
            .collect::<Vec<_>>()
            .join(", "),
        fact.count
    ))
}

#[test]
fn every_figure_in_the_prose_is_the_live_count() {
    let live = Live::load();
    let problems: Vec<String> = FACTS
        .iter()
        .filter_map(|fact| {
            let text = std::fs::read_to_string(root().join(fact.file))
                .unwrap_or_else(|e| panic!("{}: {e}", fact.file));
            check(&normalized(&text), fact, &live).err()
        })
        .collect();
    assert!(
        problems.is_empty(),
        "stale figures:\n{}",
        problems.join("\n")
    );
}

/// The check catches a stale figure, a floor that is no longer the count's hundred, and a
/// figure whose words changed, and accepts a wrapped figure with a thousands separator.
#[test]
fn stale_wrong_and_missing_figures_are_named() {
    let live = Live {
        vectors: 1388,
        must: 800,
        profile: 588,
        families: 23,
        live: 64,
    };
    let vectors = fact("x.md", "a corpus of ", "+ signed", Vectors, Hundreds);
    let live_fact = fact("x.md", "key-set vectors: ", " vectors", Live, Exact);
    let ok = |text: &str, f: &Fact| check(&normalized(text), f, &live);

    assert_eq!(ok("a corpus\n   of 1,300+ signed", &vectors), Ok(()));
    let schema = fact("x.md", "(schema v", ",", SchemaVersion, Exact);
    assert_eq!(ok("(schema v3, category", &schema), Ok(()));
    assert!(ok("(schema v2, category", &schema).is_err());
    let stale = ok("a corpus of 600+ signed", &vectors).unwrap_err();
    assert!(
        stale.contains("says 600+") && stale.contains("write 1300+"),
        "{stale}"
    );
    assert!(ok("a corpus of 1,400+ signed", &vectors).is_err());
    assert!(
        ok("a corpus of 1,388 signed", &vectors).is_err(),
        "a floor needs its +"
    );

    assert_eq!(ok("key-set vectors: 64 vectors", &live_fact), Ok(()));
    let stale = ok("key-set vectors: 60 vectors", &live_fact).unwrap_err();
    assert!(
        stale.contains("says 60") && stale.contains("write 64"),
        "{stale}"
    );
    let missing = ok("key-set vectors: sixty vectors", &live_fact).unwrap_err();
    assert!(missing.contains("no figure"), "{missing}");
    // Every occurrence counts, not only the first.
    assert!(
        ok(
            "key-set vectors: 64 vectors; key-set vectors: 60 vectors",
            &live_fact
        )
        .is_err()
    );
}

/// The README names Debian 12 (bookworm) on x86_64 as the supported platform, and every job of
/// every GitHub workflow runs in a bookworm container: the setup scripts pin the adapters'
/// libraries to bookworm's packages, so a job on the runner's own system cannot pass.
#[test]
fn the_workflows_run_on_the_platform_the_readme_names() {
    let readme = normalized(&std::fs::read_to_string(root().join("README.md")).unwrap());
    assert!(
        readme.contains("Supported platform: Debian 12 (bookworm) on x86_64"),
        "README.md names the supported platform"
    );
    let dir = root().join(".github/workflows");
    let mut workflows: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect(".github/workflows")
        .map(|e| e.expect("a workflow").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    workflows.sort();
    assert!(!workflows.is_empty(), "no workflow in {}", dir.display());
    let mut problems = Vec::new();
    for path in &workflows {
        let text = std::fs::read_to_string(path).unwrap();
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        let jobs = lines.iter().filter(|l| l.starts_with("runs-on:")).count();
        let bookworm = lines
            .iter()
            .filter(|l| l.starts_with("image:") && l.ends_with("-bookworm"))
            .count();
        if jobs == 0 || bookworm != jobs {
            problems.push(format!(
                "{}: {jobs} jobs, {bookworm} in a bookworm container (`container: image: \
                 …-bookworm`)",
                path.display()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
