//! The adapters that ship, and the registry the CLI builds them from.
//!
//! In-process: the reference verifier and four Rust libraries. Out of process, through
//! [`subprocess::Subprocess`]: the Python, JavaScript, Go, C, Ruby, Perl and Erlang libraries of
//! [`SHIPPED_PROCESSES`], installed by `scripts/setup.sh`. Any
//! of them can be wrapped in [`hardened::Hardened`] as `NAME+hardened`, and any command that
//! speaks the protocol can be run as `exec:COMMAND` ([`exec_argv`] says how it is split).

pub mod common;
pub mod hardened;
#[cfg(feature = "josekit")]
pub mod josekit;
#[cfg(feature = "rust-crates")]
pub mod jsonwebtoken;
#[cfg(feature = "rust-crates")]
pub mod jwt_compact;
#[cfg(feature = "rust-crates")]
pub mod jwt_simple;
pub mod protocol;
pub mod reference;
pub mod subprocess;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::adapter::Adapter;

/// A third-party library the suite ships an adapter for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Library {
    /// The adapter's name on the command line and in reports.
    pub name: &'static str,
    /// The language the library is written for.
    pub language: &'static str,
    /// The standalone snippet that reproduces the library's gravest `must` finding without the
    /// suite; `None` when it has no `must` failure.
    pub repro: Option<Repro>,
    /// Snippets for its other `forgery` findings, one per root cause (the gravest is `repro`).
    pub more_repros: &'static [Repro],
    /// For an adapter on a library's own access-token or ID-token entry point: the adapter of
    /// the same library's generic decode. It is a row of its own in the matrix but not another
    /// library in the counts.
    pub entry_point_of: Option<&'static str>,
}

impl Library {
    /// Another adapter of `library`, on the entry point the library ships for one kind of token.
    pub const fn entry_point(self, library: &'static str) -> Library {
        Library {
            entry_point_of: Some(library),
            ..self
        }
    }

    /// The same library with snippets for its other `forgery` findings.
    pub const fn with_more_repros(self, more_repros: &'static [Repro]) -> Library {
        Library {
            more_repros,
            ..self
        }
    }
}

/// The distinct libraries among `adapters` (an entry-point adapter is not another library).
pub fn distinct_libraries<'a>(
    adapters: impl IntoIterator<Item = &'a Library>,
) -> impl Iterator<Item = &'a Library> {
    adapters.into_iter().filter(|l| l.entry_point_of.is_none())
}

/// A standalone snippet in the library's own language and the vector whose token it carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Repro {
    /// Relative to the project root.
    pub path: &'static str,
    /// The vector it reproduces (its `Reproduces: ID (IMPACT)` line).
    pub vector: &'static str,
}

const fn repro(path: &'static str, vector: &'static str) -> Repro {
    Repro { path, vector }
}

const fn lib(
    name: &'static str,
    language: &'static str,
    path: &'static str,
    vector: &'static str,
) -> Library {
    Library {
        name,
        language,
        repro: Some(Repro { path, vector }),
        more_repros: &[],
        entry_point_of: None,
    }
}

/// The third-party libraries that ship, in matrix order (grouped by language).
pub const LIBRARIES: [Library; 33] = [
    lib(
        "jsonwebtoken",
        "Rust",
        "conformance/tests/repro_jsonwebtoken.rs",
        "eddsa/key-non-canonical-identity-sign-bit",
    ),
    lib(
        "jwt-simple",
        "Rust",
        "conformance/tests/repro_jwt_simple.rs",
        "eddsa/alg-ed25519-fully-specified",
    ),
    lib(
        "jwt-compact",
        "Rust",
        "conformance/tests/repro_jwt_compact.rs",
        "aud/other",
    ),
    lib(
        "josekit",
        "Rust",
        "conformance/tests/repro_josekit.rs",
        "eddsa/key-non-canonical-identity-sign-bit",
    ),
    lib(
        "pyjwt",
        "Python",
        "adapters/pyjwt/repro.py",
        "eddsa/key-non-canonical-identity-sign-bit",
    ),
    lib(
        "joserfc",
        "Python",
        "adapters/joserfc/repro.py",
        "eddsa/key-non-canonical-identity-sign-bit",
    ),
    lib(
        "authlib",
        "Python",
        "adapters/authlib/repro.py",
        "eddsa/key-non-canonical-identity-sign-bit",
    ),
    lib(
        "authlib-rfc9068",
        "Python",
        "adapters/authlib-rfc9068/repro.py",
        "confusion/mixed-oct-hs256",
    )
    .entry_point("authlib"),
    Library {
        name: "authlib-oidc",
        language: "Python",
        repro: None,
        more_repros: &[],
        entry_point_of: Some("authlib"),
    },
    lib(
        "python-jose",
        "Python",
        "adapters/python-jose/repro.py",
        "ecdsa/es256-signed-by-p384-key",
    )
    .with_more_repros(&[repro(
        "adapters/python-jose/repro-kid-ignored.py",
        "confusion/rsa-mixed-rs256-kid-of-oct",
    )]),
    lib(
        "jwcrypto",
        "Python",
        "adapters/jwcrypto/repro.py",
        "eddsa/key-non-canonical-identity-sign-bit",
    )
    .with_more_repros(&[repro(
        "adapters/jwcrypto/repro-es512-short-signature.py",
        "ecdsa/es512-sig-130-octets",
    )]),
    lib(
        "python-jwt",
        "Python",
        "adapters/python-jwt/repro.py",
        "presets/jwt-audience-configured-other",
    ),
    lib(
        "jose",
        "JavaScript",
        "adapters/jose/repro.mjs",
        "eddsa/key-non-canonical-identity-y-p-plus-1",
    ),
    lib(
        "fast-jwt",
        "JavaScript",
        "adapters/fast-jwt/repro.mjs",
        "fetch/discovery-issuer-mismatch",
    ),
    lib(
        "node-jsonwebtoken",
        "JavaScript",
        "adapters/node-jsonwebtoken/repro.mjs",
        "header/crit-unknown-extension",
    ),
    lib(
        "jsrsasign",
        "JavaScript",
        "adapters/jsrsasign/repro.mjs",
        "rsa/rs256-short-padding-string",
    )
    .with_more_repros(&[
        repro(
            "adapters/jsrsasign/repro-ec-curve.mjs",
            "ecdsa/es256-signed-by-p384-key",
        ),
        repro(
            "adapters/jsrsasign/repro-es512-short.mjs",
            "ecdsa/es512-sig-130-octets",
        ),
    ]),
    lib(
        "njwt",
        "JavaScript",
        "adapters/njwt/repro.mjs",
        "header/crit-unknown-extension",
    ),
    lib(
        "golang-jwt",
        "Go",
        "adapters/golang-jwt/repro/main.go",
        "header/crit-unknown-extension",
    ),
    lib(
        "go-jose",
        "Go",
        "adapters/go-jose/repro/main.go",
        "confusion/mixed-oct-hs256",
    )
    .with_more_repros(&[
        repro(
            "adapters/go-jose/repro-allowlist/main.go",
            "allowlist/ps256-not-in-rs256",
        ),
        repro(
            "adapters/go-jose/repro-eddsa-key/main.go",
            "eddsa/key-non-canonical-identity-sign-bit",
        ),
    ]),
    lib(
        "jose2go",
        "Go",
        "adapters/jose2go/repro/main.go",
        "allowlist/ps256-not-in-rs256",
    )
    .with_more_repros(&[
        repro(
            "adapters/jose2go/repro-es512-short/main.go",
            "ecdsa/es512-sig-130-octets",
        ),
        repro(
            "adapters/jose2go/repro-nested/main.go",
            "serialization/nested-inner-attacker-key",
        ),
    ]),
    lib(
        "jwt-go",
        "Go",
        "adapters/jwt-go/repro/main.go",
        "header/crit-unknown-extension",
    ),
    lib(
        "libjwt",
        "C",
        "adapters/libjwt/repro.c",
        "confusion/hs256-pem-no-typ",
    ),
    lib(
        "rhonabwy",
        "C",
        "adapters/rhonabwy/repro.c",
        "confusion/mixed-oct-hs256",
    )
    .with_more_repros(&[repro(
        "adapters/rhonabwy/repro-curve.c",
        "ecdsa/es256-signed-by-p384-key",
    )]),
    lib(
        "cjose",
        "C",
        "adapters/cjose/repro.c",
        "serialization/nested-inner-alg-none",
    )
    .with_more_repros(&[
        repro(
            "adapters/cjose/repro-allowlist.c",
            "allowlist/rs256-not-in-rs512",
        ),
        repro(
            "adapters/cjose/repro-curve.c",
            "ecdsa/es256-signed-by-p384-key",
        ),
        repro(
            "adapters/cjose/repro-ecdsa-length.c",
            "across/es256-sig-extra-byte",
        ),
    ]),
    lib(
        "latchset-jose",
        "C",
        "adapters/latchset-jose/repro.c",
        "alg/missing",
    )
    .with_more_repros(&[
        repro(
            "adapters/latchset-jose/repro-allowlist.c",
            "allowlist/rs256-not-in-rs512",
        ),
        repro(
            "adapters/latchset-jose/repro-curve.c",
            "ecdsa/es256-signed-by-p384-key",
        ),
        repro(
            "adapters/latchset-jose/repro-kid.c",
            "algorithms/rs256-kid-of-hmac-key",
        ),
        repro(
            "adapters/latchset-jose/repro-nested.c",
            "serialization/nested-inner-attacker-key",
        ),
        repro("adapters/latchset-jose/repro-segments.c", "form/segments-4"),
    ]),
    lib(
        "cpp-jwt",
        "C++",
        "adapters/cpp-jwt/repro.cpp",
        "confusion/rsa-oidc-hs256-spki-pem-hs256-allowed",
    ),
    lib(
        "poco-jwt",
        "C++",
        "adapters/poco-jwt/repro.cpp",
        "ecdsa/es256-signed-by-p384-key",
    )
    .with_more_repros(&[
        repro("adapters/poco-jwt/repro-segments.cpp", "form/segments-4"),
        repro(
            "adapters/poco-jwt/repro-sig-length.cpp",
            "ecdsa/es512-sig-130-octets",
        ),
        repro(
            "adapters/poco-jwt/repro-nul-name.cpp",
            "json/header-escaped-alg-trailing-nul-only",
        ),
    ]),
    lib(
        "haskell-jwt",
        "Haskell",
        "adapters/haskell-jwt/repro.hs",
        "across/rs256-alg-missing",
    )
    .with_more_repros(&[repro(
        "adapters/haskell-jwt/repro-segments.hs",
        "across/rs256-segments-4",
    )]),
    lib(
        "ruby-jwt",
        "Ruby",
        "adapters/ruby-jwt/repro.rb",
        "alg/lowercase-es256",
    )
    .with_more_repros(&[repro(
        "adapters/ruby-jwt/repro-es512-short-sig.rb",
        "ecdsa/es512-sig-131-octets-s-short",
    )]),
    lib(
        "json-jwt",
        "Ruby",
        "adapters/json-jwt/repro.rb",
        "ecdsa/es256-signed-by-p384-key",
    )
    .with_more_repros(&[repro(
        "adapters/json-jwt/repro-es512-short-sig.rb",
        "ecdsa/es512-sig-131-octets-s-short",
    )]),
    lib(
        "crypt-jwt",
        "Perl",
        "adapters/crypt-jwt/repro.pl",
        "ecdsa/es256-signed-by-p384-key",
    )
    .with_more_repros(&[repro(
        "adapters/crypt-jwt/repro-eddsa-key.pl",
        "eddsa/key-non-canonical-identity-y-p-plus-1",
    )]),
    lib(
        "mojo-jwt",
        "Perl",
        "adapters/mojo-jwt/repro.pl",
        "allowlist/rs384-not-in-rs256",
    )
    .with_more_repros(&[repro(
        "adapters/mojo-jwt/repro-segments.pl",
        "across/rs256-segments-4",
    )]),
    lib(
        "erlang-jose",
        "Erlang",
        "adapters/erlang-jose/repro.escript",
        "eddsa/key-non-canonical-identity-y-p-plus-1",
    )
    .with_more_repros(&[repro(
        "adapters/erlang-jose/repro-es512-short-sig.escript",
        "ecdsa/es512-sig-131-octets-r-short",
    )]),
];

/// The names of the third-party adapters that ship, in matrix order.
pub fn third_party() -> impl Iterator<Item = &'static str> {
    LIBRARIES.iter().map(|l| l.name)
}

/// Libraries grouped by language, in first-seen order: `[("Rust", ["jsonwebtoken", …]), …]`;
/// entry-point adapters are left out (their library is counted once, by its generic adapter).
pub fn by_language<'a>(
    libraries: impl IntoIterator<Item = &'a Library>,
) -> Vec<(&'static str, Vec<&'static str>)> {
    let mut groups: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for library in distinct_libraries(libraries) {
        match groups.iter_mut().find(|(l, _)| *l == library.language) {
            Some((_, names)) => names.push(library.name),
            None => groups.push((library.language, vec![library.name])),
        }
    }
    groups
}

/// The shipped library an adapter name (alone or `+hardened`) wraps.
pub fn library(adapter: &str) -> Option<&'static Library> {
    let name = adapter.strip_suffix(HARDENED_SUFFIX).unwrap_or(adapter);
    LIBRARIES.iter().find(|l| l.name == name)
}

/// Suffix that wraps an adapter in [`hardened::Hardened`].
pub const HARDENED_SUFFIX: &str = "+hardened";

/// Every shipped adapter name: the reference, then each library alone and hardened.
pub fn names() -> Vec<String> {
    let mut names = vec!["reference".to_owned()];
    for lib in third_party() {
        names.push(lib.to_owned());
        names.push(format!("{lib}{HARDENED_SUFFIX}"));
    }
    names
}

/// The project root: the nearest ancestor of the working directory holding `adapters/` and a
/// `Cargo.toml`, else the workspace this binary was built from.
pub fn project_root() -> PathBuf {
    if let Ok(cwd) = std::env::current_dir() {
        for dir in cwd.ancestors() {
            if dir.join("adapters").is_dir() && dir.join("Cargo.toml").is_file() {
                return dir.to_path_buf();
            }
        }
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The adapters a `--adapter` value names: `all` (every shipped one, see [`names`]), or a
/// comma-separated list. An `exec:` item takes the rest of the value, commas included, since a
/// command line may hold commas; so it comes last: `reference,pyjwt,exec:./my-adapter --x=a,b`.
pub fn parse_list(spec: &str) -> Vec<String> {
    if spec.trim() == "all" {
        return names();
    }
    let mut out = Vec::new();
    let mut rest = spec;
    loop {
        let item = rest.trim_start();
        if item.starts_with("exec:") {
            out.push(item.trim_end().to_owned());
            break;
        }
        let (head, tail) = item.split_once(',').unwrap_or((item, ""));
        if !head.trim().is_empty() {
            out.push(head.trim().to_owned());
        }
        if tail.is_empty() {
            break;
        }
        rest = tail;
    }
    out
}

/// The program and arguments of an `exec:` adapter, from what follows `exec:`. Two forms:
///
/// - a JSON array of strings, `["node", "my adapter.mjs", "--flag"]`: exact, for any argument;
/// - a command line split as a POSIX shell would (quotes and backslashes, via the `shlex`
///   crate): `python3 'my adapter.py' --x="a b"`. No expansion of any kind happens and no shell
///   is run: `$HOME`, `*` or `|` are passed as they are.
///
/// The error never repeats the command (it could hold anything pasted there).
pub fn exec_argv(command: &str) -> Result<Vec<String>, String> {
    let command = command.trim();
    let argv: Vec<String> = if command.starts_with('[') {
        serde_json::from_str(command).map_err(|e| {
            format!(
                "exec: a command starting with `[` must be a JSON array of strings ({})",
                crate::text::one_line(&e.to_string(), 100)
            )
        })?
    } else {
        shlex::split(command)
            .ok_or("exec: the command has an unclosed quote or a trailing backslash")?
    };
    match argv.first() {
        Some(program) if !program.is_empty() => Ok(argv),
        _ => Err("exec: needs a command: exec:PROGRAM ARGS… or exec:[\"PROGRAM\", …]".to_owned()),
    }
}

/// Builds the adapter called `name` (see [`names`]; also `exec:COMMAND`, see [`exec_argv`]).
pub fn build(name: &str, root: &Path) -> Result<Arc<dyn Adapter>, String> {
    if let Some(inner) = name.strip_suffix(HARDENED_SUFFIX) {
        let inner = build(inner, root)?;
        return Ok(Arc::new(hardened::Hardened::new(inner)));
    }
    if let Some(command) = name.strip_prefix("exec:") {
        let mut argv = exec_argv(command)?;
        let program = argv.remove(0);
        return Ok(Arc::new(subprocess::Subprocess::new(
            name, program, argv, None,
        )));
    }
    if let Some(feature) = missing_feature(name) {
        return Err(format!(
            "{name}: this runner was built without the `{feature}` cargo feature (a lean \
             install); build it with `--features {feature}` to run this adapter"
        ));
    }
    if let Some(process) = ShippedProcess::named(name) {
        return Ok(Arc::new(process.build(root)?));
    }
    Ok(match name {
        "reference" => Arc::new(reference::Reference::new()),
        #[cfg(feature = "rust-crates")]
        "jsonwebtoken" => Arc::new(jsonwebtoken::JsonWebToken),
        #[cfg(feature = "rust-crates")]
        "jwt-simple" => Arc::new(jwt_simple::JwtSimple),
        #[cfg(feature = "rust-crates")]
        "jwt-compact" => Arc::new(jwt_compact::JwtCompact),
        #[cfg(feature = "josekit")]
        "josekit" => Arc::new(josekit::Josekit),
        _ => {
            return Err(format!(
                "unknown adapter {name:?}; known: {}, or exec:COMMAND",
                names().join(", ")
            ));
        }
    })
}

/// The cargo feature an in-process adapter needs, when this build lacks it.
fn missing_feature(name: &str) -> Option<&'static str> {
    match name {
        "jsonwebtoken" | "jwt-simple" | "jwt-compact" if !cfg!(feature = "rust-crates") => {
            Some("rust-crates")
        }
        "josekit" if !cfg!(feature = "josekit") => Some("josekit"),
        _ => None,
    }
}

/// A subprocess adapter that ships: its folder under `adapters/`, the program that runs it, its
/// script (none for a compiled adapter), and what `scripts/setup.sh` installs for it (checked
/// before starting it).
pub struct ShippedProcess {
    pub name: &'static str,
    pub dir: &'static str,
    pub program: &'static str,
    pub script: Option<&'static str>,
    pub installed: &'static str,
}

/// An interpreted adapter: `PROGRAM SCRIPT` in `adapters/NAME`.
const fn script(
    name: &'static str,
    dir: &'static str,
    program: &'static str,
    script: &'static str,
    installed: &'static str,
) -> ShippedProcess {
    ShippedProcess {
        name,
        dir,
        program,
        script: Some(script),
        installed,
    }
}

/// A Python adapter on the Python helper, in its own virtual environment.
const fn python(name: &'static str, dir: &'static str) -> ShippedProcess {
    script(
        name,
        dir,
        ".venv/bin/python",
        "adapter.py",
        ".venv/bin/python",
    )
}

/// A Node adapter on the Node helper; `installed` is its library under `node_modules`.
const fn node(name: &'static str, dir: &'static str, installed: &'static str) -> ShippedProcess {
    script(name, dir, "node", "adapter.mjs", installed)
}

/// A compiled adapter (Go, C): `scripts/setup.sh` builds `bin/adapter`.
const fn compiled(name: &'static str, dir: &'static str) -> ShippedProcess {
    ShippedProcess {
        name,
        dir,
        program: "bin/adapter",
        script: None,
        installed: ".installed",
    }
}

/// Every subprocess adapter that ships, each on its language's protocol helper
/// (`adapters/python`, `adapters/node`, `adapters/go`, `adapters/c`, `adapters/ruby`,
/// `adapters/perl`, `adapters/erlang`).
pub const SHIPPED_PROCESSES: [ShippedProcess; 29] = [
    python("pyjwt", "adapters/pyjwt"),
    python("joserfc", "adapters/joserfc"),
    python("authlib", "adapters/authlib"),
    python("python-jose", "adapters/python-jose"),
    python("jwcrypto", "adapters/jwcrypto"),
    python("python-jwt", "adapters/python-jwt"),
    python("authlib-rfc9068", "adapters/authlib-rfc9068"),
    python("authlib-oidc", "adapters/authlib-oidc"),
    node("jose", "adapters/jose", "node_modules/jose"),
    node("fast-jwt", "adapters/fast-jwt", "node_modules/fast-jwt"),
    node(
        "node-jsonwebtoken",
        "adapters/node-jsonwebtoken",
        "node_modules/jsonwebtoken",
    ),
    node("jsrsasign", "adapters/jsrsasign", "node_modules/jsrsasign"),
    node("njwt", "adapters/njwt", "node_modules/njwt"),
    compiled("golang-jwt", "adapters/golang-jwt"),
    compiled("go-jose", "adapters/go-jose"),
    compiled("jose2go", "adapters/jose2go"),
    compiled("jwt-go", "adapters/jwt-go"),
    compiled("libjwt", "adapters/libjwt"),
    compiled("rhonabwy", "adapters/rhonabwy"),
    compiled("cjose", "adapters/cjose"),
    compiled("latchset-jose", "adapters/latchset-jose"),
    compiled("cpp-jwt", "adapters/cpp-jwt"),
    compiled("poco-jwt", "adapters/poco-jwt"),
    compiled("haskell-jwt", "adapters/haskell-jwt"),
    script(
        "ruby-jwt",
        "adapters/ruby-jwt",
        "ruby",
        "adapter.rb",
        ".installed",
    ),
    script(
        "json-jwt",
        "adapters/json-jwt",
        "ruby",
        "adapter.rb",
        ".installed",
    ),
    script(
        "crypt-jwt",
        "adapters/crypt-jwt",
        "perl",
        "adapter.pl",
        ".installed",
    ),
    script(
        "mojo-jwt",
        "adapters/mojo-jwt",
        "perl",
        "adapter.pl",
        ".installed",
    ),
    script(
        "erlang-jose",
        "adapters/erlang-jose",
        "escript",
        "adapter.escript",
        ".installed",
    ),
];

impl ShippedProcess {
    /// The shipped subprocess adapter called `name`.
    pub fn named(name: &str) -> Option<&'static ShippedProcess> {
        SHIPPED_PROCESSES.iter().find(|p| p.name == name)
    }

    /// The program and its arguments under the project `root`, once `scripts/setup.sh` has
    /// installed what it needs.
    pub fn argv(&self, root: &Path) -> Result<Vec<String>, String> {
        let dir = root.join(self.dir);
        let marker = dir.join(self.installed);
        if !marker.exists() {
            return Err(format!(
                "{}: {} not installed: run scripts/setup.sh",
                self.name,
                marker.display()
            ));
        }
        // A program with a slash is inside the adapter's folder; else it is looked up on PATH.
        let program = if self.program.contains('/') {
            dir.join(self.program).to_string_lossy().into_owned()
        } else {
            self.program.to_owned()
        };
        let mut argv = vec![program];
        argv.extend(
            self.script
                .map(|script| dir.join(script).to_string_lossy().into_owned()),
        );
        Ok(argv)
    }

    /// The adapter process, run in its own folder.
    pub fn build(&self, root: &Path) -> Result<subprocess::Subprocess, String> {
        let mut argv = self.argv(root)?;
        let program = argv.remove(0);
        Ok(subprocess::Subprocess::new(
            self.name,
            program,
            argv,
            Some(root.join(self.dir)),
        ))
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::{exec_argv, parse_list};

    #[rstest]
    #[case::words("python3 a.py --x", &["python3", "a.py", "--x"])]
    #[case::single_quotes("python3 'my adapter.py'", &["python3", "my adapter.py"])]
    #[case::double_quotes(r#"node "a b.mjs" --x="1 2""#, &["node", "a b.mjs", "--x=1 2"])]
    #[case::backslash(r"node a\ b.mjs", &["node", "a b.mjs"])]
    #[case::comma("prog --list=a,b", &["prog", "--list=a,b"])]
    #[case::no_expansion("prog $HOME * |", &["prog", "$HOME", "*", "|"])]
    #[case::json(r#"["node", "a b.mjs", "x,y", "it's"]"#, &["node", "a b.mjs", "x,y", "it's"])]
    #[case::json_padded(r#" ["prog"] "#, &["prog"])]
    fn exec_commands_split_like_a_shell_or_as_json(#[case] command: &str, #[case] argv: &[&str]) {
        assert_eq!(exec_argv(command).unwrap(), argv);
    }

    #[rstest]
    #[case::empty("")]
    #[case::blank("   ")]
    #[case::unclosed_quote("prog 'a")]
    #[case::trailing_backslash("prog \\")]
    #[case::json_not_strings(r#"["prog", 1]"#)]
    #[case::json_empty("[]")]
    #[case::json_empty_program(r#"["", "x"]"#)]
    #[case::json_broken(r#"["prog""#)]
    fn bad_exec_commands_are_refused_without_echo(#[case] command: &str) {
        let error = exec_argv(command).unwrap_err();
        assert!(error.starts_with("exec:"), "{error}");
        if command.trim().len() > 2 {
            assert!(!error.contains(command.trim()), "{error}");
        }
    }

    #[rstest]
    #[case::one("reference", &["reference"])]
    #[case::list(" reference , pyjwt+hardened,,", &["reference", "pyjwt+hardened"])]
    #[case::exec_last("reference,exec:prog --x=a,b", &["reference", "exec:prog --x=a,b"])]
    #[case::exec_json(r#"exec:["prog", "a,b"]"#, &[r#"exec:["prog", "a,b"]"#])]
    #[case::exec_hardened(r#"jose, exec:["p", "x,y"]+hardened"#, &["jose", r#"exec:["p", "x,y"]+hardened"#])]
    fn adapter_lists_split_on_commas_except_inside_exec(
        #[case] spec: &str,
        #[case] names: &[&str],
    ) {
        assert_eq!(parse_list(spec), names);
    }

    #[test]
    fn libraries_group_by_language_in_first_seen_order() {
        let groups = super::by_language(&super::LIBRARIES);
        let languages: Vec<&str> = groups.iter().map(|(l, _)| *l).collect();
        assert_eq!(
            languages,
            [
                "Rust",
                "Python",
                "JavaScript",
                "Go",
                "C",
                "C++",
                "Haskell",
                "Ruby",
                "Perl",
                "Erlang"
            ]
        );
        // Entry points (authlib-rfc9068, authlib-oidc) are not libraries of their own.
        let count = groups.iter().map(|(_, n)| n.len()).sum::<usize>();
        assert_eq!(count, super::LIBRARIES.len() - 2);
        assert!(!groups.iter().any(|(_, n)| n.contains(&"authlib-oidc")));
        // Ungrouped input: languages in the order first seen, names in input order.
        let named = |name| super::library(name).unwrap();
        let mixed = super::by_language([named("pyjwt"), named("jsonwebtoken"), named("joserfc")]);
        assert_eq!(
            mixed,
            [
                ("Python", vec!["pyjwt", "joserfc"]),
                ("Rust", vec!["jsonwebtoken"])
            ]
        );
    }

    /// The libraries `docs/adapters.md` lists under *Adapters that ship*, written out here so
    /// that `all` is checked against an expectation that is not the code it tests.
    const SHIPPED: [&str; 33] = [
        "jsonwebtoken",
        "jwt-simple",
        "jwt-compact",
        "josekit",
        "pyjwt",
        "joserfc",
        "authlib",
        "authlib-rfc9068",
        "authlib-oidc",
        "python-jose",
        "jwcrypto",
        "python-jwt",
        "jose",
        "fast-jwt",
        "node-jsonwebtoken",
        "jsrsasign",
        "njwt",
        "golang-jwt",
        "go-jose",
        "jose2go",
        "jwt-go",
        "libjwt",
        "rhonabwy",
        "cjose",
        "latchset-jose",
        "cpp-jwt",
        "poco-jwt",
        "haskell-jwt",
        "ruby-jwt",
        "json-jwt",
        "crypt-jwt",
        "mojo-jwt",
        "erlang-jose",
    ];

    /// `all` is the reference, then each shipped library alone and hardened, in matrix order;
    /// and `build` knows every name it gives (a missing library or feature is an install error,
    /// never "unknown adapter").
    #[rstest]
    #[case::bare("all")]
    #[case::padded(" all ")]
    fn all_is_the_reference_and_every_library_alone_and_hardened(#[case] spec: &str) {
        let mut expected = vec!["reference".to_owned()];
        for name in SHIPPED {
            expected.extend([name.to_owned(), format!("{name}+hardened")]);
        }
        assert_eq!(parse_list(spec), expected);
        let nowhere = std::env::temp_dir().join("jwt-conformance-no-adapters-here");
        for name in parse_list(spec) {
            if let Err(error) = super::build(&name, &nowhere) {
                assert!(!error.contains("unknown adapter"), "{name}: {error}");
            }
        }
    }

    /// `all` is a keyword only on its own: in a list it is an adapter name like any other.
    #[test]
    fn all_inside_a_list_is_a_name() {
        assert_eq!(parse_list("all,reference"), ["all", "reference"]);
        assert!(
            super::build("all", std::path::Path::new("."))
                .err()
                .is_some_and(|e| e.contains("unknown adapter"))
        );
    }

    /// The literal list above is the table of `docs/adapters.md` (*Adapters that ship*), in its
    /// order, after the reference.
    #[test]
    fn the_shipped_list_is_the_documented_table() {
        let doc = std::fs::read_to_string(super::project_root().join("docs/adapters.md"))
            .expect("docs/adapters.md");
        let table = doc
            .split_once("\n| name | library | language |")
            .expect("the table of shipped adapters")
            .1;
        let names: Vec<&str> = table
            .lines()
            .skip(2)
            .map_while(|line| line.strip_prefix("| `")?.split_once('`').map(|(n, _)| n))
            .collect();
        assert_eq!(names.first(), Some(&"reference"));
        assert_eq!(names[1..], SHIPPED);
    }
}
