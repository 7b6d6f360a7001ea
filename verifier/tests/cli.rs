//! The `jwt-verify` binary: one JSON line on stdout and exit 0 (accept) or 1 (reject); usage
//! and configuration errors exit 2 with nothing on stdout and a message on stderr. The CLI is
//! also held to its hostile-input promises: bounded reads, `OsString` arguments, no argument
//! value echoed, no silent "last flag wins".

mod common;

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::Write;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;
use rstest::rstest;
use serde_json::{Value, json};

/// Runs `jwt-verify` with `args`, feeding `stdin` (or nothing).
fn jwt_verify<S: AsRef<OsStr>>(args: &[S], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jwt-verify"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run jwt-verify");
    {
        let mut pipe = child.stdin.take().expect("stdin");
        // The binary may exit before reading (configuration errors): ignore a broken pipe.
        let _ = pipe.write_all(stdin);
    }
    child.wait_with_output().expect("jwt-verify output")
}

/// The files and flags of a run against the baseline key set at `NOW`.
struct Setup {
    jwks: TempFile,
}

impl Setup {
    fn new() -> Setup {
        Setup {
            jwks: TempFile::new(baseline_jwks().to_string()),
        }
    }

    /// [`base_args`], then `extra`.
    fn run(&self, extra: &[&str], stdin: &[u8]) -> Output {
        let mut args = base_args(self.jwks.arg());
        args.extend(extra.iter().map(|arg| arg.to_string()));
        jwt_verify(&args, stdin)
    }
}

/// `--jwks JWKS --issuer ISS --audience AUD --now NOW`: arguments 1 to 8 of most runs (the
/// positions in expected messages count from here).
fn base_args(jwks: &str) -> Vec<String> {
    let now = NOW.to_string();
    [
        "--jwks",
        jwks,
        "--issuer",
        ISSUER,
        "--audience",
        AUDIENCE,
        "--now",
        &now,
    ]
    .map(String::from)
    .into()
}

/// The single JSON line a verdict prints, and the exit code.
fn verdict(output: &Output) -> (i32, Value) {
    let stdout = String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout");
    assert!(stdout.ends_with('\n'), "one line: {stdout:?}");
    assert_eq!(stdout.matches('\n').count(), 1, "one line: {stdout:?}");
    let line = serde_json::from_str(stdout.trim_end()).expect("JSON line");
    (output.status.code().expect("exit code"), line)
}

fn reject(reason: &str, m_id: Option<&str>) -> Value {
    json!({"verdict": "reject", "reason": reason, "m_id": m_id})
}

/// Asserts a configuration error: exit 2, empty stdout, a `jwt-verify:` message on stderr
/// containing `needle`.
fn assert_config_error(output: &Output, needle: &str) {
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "stdout: {:?}", output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("jwt-verify: "), "stderr: {stderr}");
    assert!(
        stderr.contains(needle),
        "stderr {stderr:?} lacks {needle:?}"
    );
}

#[test]
fn accept_prints_the_claims() {
    let setup = Setup::new();
    for aud in [json!(AUDIENCE), json!([AUDIENCE, "https://other.example"])] {
        let sent = claims(&json!({ "aud": aud }));
        let token = mint(&json!({}), &sent);
        let (code, line) = verdict(&setup.run(&[], token.as_bytes()));
        assert_eq!(code, 0);
        assert_eq!(line, json!({"verdict": "accept", "claims": sent}));
    }
}

#[rstest]
#[case::expired(mint(&json!({}), &json!({"exp": NOW})), reject("expired", Some("M18")))]
#[case::alg_none(mint(&json!({"alg": "none"}), &json!({})), reject("alg_none", Some("M01")))]
#[case::signature(with_segment(&baseline(), 2, noncanonical), reject("signature_invalid", None))]
#[case::aud(mint(&json!({}), &json!({"aud": "https://other.example"})), reject("aud_mismatch", Some("M21/M22")))]
#[case::jwe("a.b.c.d.e".to_owned(), reject("jwe_payload", Some("M15")))]
#[case::empty(String::new(), reject("not_jws_compact", None))]
fn reject_prints_reason_and_m_id(#[case] token: String, #[case] expected: Value) {
    let (code, line) = verdict(&Setup::new().run(&[], token.as_bytes()));
    assert_eq!(code, 1);
    assert_eq!(line, expected);
}

#[rstest]
#[case::bare(b"".as_slice(), Ok(()))]
#[case::newline(b"\n".as_slice(), Ok(()))]
#[case::crlf(b"\r\n".as_slice(), Ok(()))]
#[case::two_newlines(b"\n\n".as_slice(), Err("not_jws_compact"))]
#[case::lone_cr(b"\r".as_slice(), Err("not_jws_compact"))]
#[case::space_newline(b" \n".as_slice(), Err("not_jws_compact"))]
fn stdin_strips_one_trailing_line_ending(
    #[case] suffix: &[u8],
    #[case] expected: Result<(), &str>,
) {
    let input = [baseline().as_bytes(), suffix].concat();
    let (code, line) = verdict(&Setup::new().run(&[], &input));
    match expected {
        Ok(()) => assert_eq!((code, &line["verdict"]), (0, &json!("accept"))),
        Err(reason) => assert_eq!((code, line), (1, reject(reason, None))),
    }
}

#[rstest]
#[case::exact(b"".as_slice(), Ok(()))]
#[case::newline(b"\n".as_slice(), Err("not_jws_compact"))]
#[case::crlf(b"\r\n".as_slice(), Err("not_jws_compact"))]
fn token_file_is_read_exactly(#[case] suffix: &[u8], #[case] expected: Result<(), &str>) {
    let file = TempFile::new([baseline().as_bytes(), suffix].concat());
    // stdin carries a different, valid-looking token: the file must win.
    let (code, line) = verdict(&Setup::new().run(&["--token", file.arg()], b"x.y.z\n"));
    match expected {
        Ok(()) => assert_eq!((code, &line["verdict"]), (0, &json!("accept"))),
        Err(reason) => assert_eq!((code, line), (1, reject(reason, None))),
    }
}

#[test]
fn profile_file_overrides_defaults() {
    let setup = Setup::new();
    let jwt_typed = mint(&json!({"typ": "JWT"}), &json!({}));
    let (code, line) = verdict(&setup.run(&[], jwt_typed.as_bytes()));
    assert_eq!((code, line), (1, reject("typ_mismatch", Some("M13"))));

    let profile = TempFile::new(json!({"typ": "JWT"}).to_string());
    let (code, line) = verdict(&setup.run(&["--profile", profile.arg()], jwt_typed.as_bytes()));
    assert_eq!((code, &line["verdict"]), (0, &json!("accept")));

    // A lifetime bound from the profile.
    let short = TempFile::new(json!({"max_lifetime_secs": 60}).to_string());
    let (code, line) = verdict(&setup.run(&["--profile", short.arg()], baseline().as_bytes()));
    assert_eq!((code, line), (1, reject("exp_upper_bound", Some("M19"))));
}

#[test]
fn profile_file_can_carry_issuer_and_audience() {
    let jwks = TempFile::new(baseline_jwks().to_string());
    let profile = TempFile::new(profile_json(&json!({})).to_string());
    let now = NOW.to_string();
    let base = [
        "--jwks",
        jwks.arg(),
        "--profile",
        profile.arg(),
        "--now",
        &now,
    ];
    let (code, line) = verdict(&jwt_verify(&base, baseline().as_bytes()));
    assert_eq!((code, &line["verdict"]), (0, &json!("accept")));

    // Flags override the profile's issuer.
    let other_issuer = [&base[..], &["--issuer", "https://other.example"]].concat();
    let (code, line) = verdict(&jwt_verify(&other_issuer, baseline().as_bytes()));
    assert_eq!((code, line), (1, reject("iss_mismatch", Some("M23"))));
}

#[test]
fn now_flag_sets_the_clock() {
    let jwks = TempFile::new(baseline_jwks().to_string());
    let mut args = base_args(jwks.arg());
    args[7] = (NOW + LIFETIME).to_string();
    let (code, line) = verdict(&jwt_verify(&args, baseline().as_bytes()));
    assert_eq!((code, line), (1, reject("expired", Some("M18"))));
}

#[test]
fn missing_issuer_is_a_config_error() {
    let jwks = TempFile::new(baseline_jwks().to_string());
    let out = jwt_verify(
        &["--jwks", jwks.arg(), "--audience", AUDIENCE],
        baseline().as_bytes(),
    );
    assert_config_error(&out, "--issuer is required");
}

#[test]
fn missing_audience_or_jwks_is_a_config_error() {
    let jwks = TempFile::new(baseline_jwks().to_string());
    let out = jwt_verify(&["--jwks", jwks.arg(), "--issuer", ISSUER], b"");
    assert_config_error(&out, "--audience is required");
    let out = jwt_verify(&["--issuer", ISSUER, "--audience", AUDIENCE], b"");
    assert_config_error(&out, "--jwks is required");
}

#[rstest]
#[case::private_key(json!({"keys": [{"d": "AAAA"}]}).to_string(), "private key member")]
#[case::empty(json!({"keys": []}).to_string(), "no keys")]
#[case::not_json("not json".to_owned(), "not strict JSON")]
#[case::off_curve(json!({"keys": [{"kty": "EC", "crv": "P-256", "kid": "k", "x": b64([1u8; 32]), "y": b64([1u8; 32])}]}).to_string(), "not on P-256")]
fn bad_jwks_is_a_config_error(#[case] jwks: String, #[case] needle: &str) {
    let file = TempFile::new(jwks);
    let out = jwt_verify(
        &[
            "--jwks",
            file.arg(),
            "--issuer",
            ISSUER,
            "--audience",
            AUDIENCE,
        ],
        baseline().as_bytes(),
    );
    assert_config_error(&out, needle);
}

#[rstest]
#[case::unknown_flag(&["--verbose", "1"], "unknown argument --verbose")]
#[case::unknown_trailing_flag(&["--leeway"], "--leeway")]
#[case::flag_without_value(&["--audience"], "--audience needs a value")]
#[case::bad_now(&["--now", "yesterday"], "--now takes an integer")]
#[case::help(&["--help"], "usage: jwt-verify")]
#[case::missing_profile(&["--profile", "/nonexistent/profile.json"], "cannot read the --profile file (No such file")]
#[case::missing_token_file(&["--token", "/nonexistent/token"], "cannot read the --token file (No such file")]
#[case::repeated_jwks(&["--jwks", "/nonexistent/jwks.json"], "--jwks given more than once (argument 9)")]
#[case::repeated_issuer(&["--issuer", ISSUER], "--issuer given more than once (argument 9)")]
#[case::repeated_now(&["--now", "0"], "--now given more than once (argument 9)")]
#[case::repeated_profile(&["--profile", "/p", "--profile", "/p"], "--profile given more than once (argument 11)")]
#[case::repeated_token(&["--token", "/t", "--token", "/t"], "--token given more than once (argument 11)")]
#[case::positional(&["token.jwt"], "unexpected argument 9 (not shown): jwt-verify takes no positional")]
#[case::positional_dash(&["-"], "unexpected argument 9 (not shown)")]
#[case::positional_empty(&[""], "unexpected argument 9 (not shown)")]
#[case::positional_after_value(&["--token", "/t", "extra"], "unexpected argument 11 (not shown)")]
#[case::equals_form(&["--profile=/p"], "--profile=VALUE is not accepted (argument 9, value not shown): write --profile VALUE")]
#[case::unknown_unlike_a_flag(&["--Verbose"], "unknown argument 9 (not shown")]
fn usage_errors_exit_2(#[case] extra: &[&str], #[case] needle: &str) {
    let out = Setup::new().run(extra, baseline().as_bytes());
    assert_config_error(&out, needle);
    // Paths and values stay out of the message (only a flag-like name is quoted back).
    let stderr = String::from_utf8_lossy(&out.stderr);
    for value in extra
        .iter()
        .filter(|arg| arg.contains('/') || arg.contains('.'))
    {
        assert!(
            !stderr.contains(value),
            "stderr {stderr:?} echoes {value:?}"
        );
    }
}

#[test]
fn audience_may_repeat_and_any_one_matches() {
    let setup = Setup::new();
    let other = "https://other.example";
    for aud in [AUDIENCE, other] {
        let token = mint(&json!({}), &json!({ "aud": aud }));
        let (code, line) = verdict(&setup.run(&["--audience", other], token.as_bytes()));
        assert_eq!((code, &line["verdict"]), (0, &json!("accept")), "aud {aud}");
    }
}

// ---------------------------------------------------------------------------------------------
// Bounded reads

/// Address-space limit (`ulimit -v`, KiB) for the bounded-read runs. The binary peaks at a few
/// MiB of RSS (3 MiB measured on `--token /dev/zero`); an unbounded read of `/dev/zero` hits this
/// limit within a fraction of a second and aborts, which the exit-code assertion catches.
const ADDRESS_SPACE_KIB: u64 = 256 * 1024;

/// Wall-time bound for a bounded-read run: the run takes milliseconds; the margin is for a loaded
/// 2-core CI machine. Past it the child is killed and the test fails.
const WALL_LIMIT: Duration = Duration::from_secs(10);

/// Runs `jwt-verify` under [`ADDRESS_SPACE_KIB`] with `stdin`, killing it after [`WALL_LIMIT`].
fn jwt_verify_bounded(args: &[String], stdin: Stdio) -> Output {
    let start = Instant::now();
    let mut child = Command::new("/bin/sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_jwt-verify"))
        .args(args)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run jwt-verify under sh");
    // The outputs are a line or two: they fit the pipe buffers while we poll.
    while child.try_wait().expect("poll jwt-verify").is_none() {
        if start.elapsed() > WALL_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("jwt-verify still running after {WALL_LIMIT:?}: an unbounded read");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().expect("jwt-verify output")
}

/// Where the endless input (`/dev/zero`) goes.
#[derive(Debug, Clone, Copy)]
enum Endless {
    TokenFile,
    TokenStdin,
    /// `--token /dev/zero` under a profile at the ceiling of `max_token_bytes` (1 MiB): the
    /// largest read the CLI ever makes for a token.
    TokenFileAtCeiling,
    Jwks,
    Profile,
}

/// An endless token is read to the profile's limit and rejected as `oversized_token` (exit 1),
/// as the verifier rejects any token over the limit; an endless key set or profile is a
/// configuration error (exit 2). Each run stays under [`WALL_LIMIT`] and [`ADDRESS_SPACE_KIB`].
#[rstest]
#[case::token_file(Endless::TokenFile, Ok(()))]
#[case::token_stdin(Endless::TokenStdin, Ok(()))]
#[case::token_file_at_ceiling(Endless::TokenFileAtCeiling, Ok(()))]
#[case::jwks(Endless::Jwks, Err("--jwks: key set larger than 262144 bytes"))]
#[case::profile(Endless::Profile, Err("the --profile file is larger than 65536 bytes"))]
fn endless_inputs_are_read_bounded(#[case] endless: Endless, #[case] expected: Result<(), &str>) {
    const ZERO: &str = "/dev/zero";
    let jwks = TempFile::new(baseline_jwks().to_string());
    let ceiling = TempFile::new(profile_json(&json!({"max_token_bytes": 1 << 20})).to_string());
    let jwks_path = if matches!(endless, Endless::Jwks) {
        ZERO
    } else {
        jwks.arg()
    };
    let mut args = base_args(jwks_path);
    let mut stdin = Stdio::null();
    match endless {
        Endless::TokenFile => args.extend(["--token", ZERO].map(String::from)),
        Endless::TokenStdin => stdin = Stdio::from(File::open(ZERO).expect("open /dev/zero")),
        Endless::TokenFileAtCeiling => {
            args.extend(["--token", ZERO, "--profile", ceiling.arg()].map(String::from))
        }
        Endless::Jwks => {}
        Endless::Profile => args.extend(["--profile", ZERO].map(String::from)),
    }
    let out = jwt_verify_bounded(&args, stdin);
    match expected {
        Ok(()) => assert_eq!(verdict(&out), (1, reject("oversized_token", Some("M34")))),
        Err(needle) => assert_config_error(&out, needle),
    }
}

/// Standard input is cut at `max_token_bytes` + 3, yet a token exactly at the limit followed by
/// `\r\n` is still whole, and one byte more is still oversized.
#[rstest]
#[case::at_limit_crlf(0, b"\r\n".as_slice(), 0)]
#[case::at_limit_lf(0, b"\n".as_slice(), 0)]
#[case::over_limit_crlf(1, b"\r\n".as_slice(), 1)]
#[case::over_limit_with_trailing_bytes(0, b"\r\nxyz".as_slice(), 1)]
fn stdin_cap_keeps_the_line_ending_rule(
    #[case] extra_bytes: usize,
    #[case] suffix: &[u8],
    #[case] expected_code: i32,
) {
    let token = baseline();
    let limit = token.len();
    let profile = TempFile::new(profile_json(&json!({"max_token_bytes": limit})).to_string());
    // Extra bytes go into the signature segment: still one token, just a longer one.
    let input = [token.as_bytes(), &b"A".repeat(extra_bytes), suffix].concat();
    let (code, line) = verdict(&Setup::new().run(&["--profile", profile.arg()], &input));
    match expected_code {
        0 => assert_eq!((code, &line["verdict"]), (0, &json!("accept"))),
        _ => assert_eq!((code, line), (1, reject("oversized_token", Some("M34")))),
    }
}

// ---------------------------------------------------------------------------------------------
// Arguments: non-UTF-8, and values never echoed

/// The non-UTF-8 argument: readable bytes around an invalid one, so a lossy echo would show.
fn non_utf8() -> OsString {
    OsString::from_vec(b"eyJ\xffsecret-bytes".to_vec())
}

/// A non-UTF-8 flag, text value or positional is exit 2, and the message shows none of its
/// bytes (it is ASCII and lacks the readable part).
#[rstest]
#[case::as_flag(None, "argument 9 is not valid UTF-8 (not shown)")]
#[case::issuer_value(
    Some(3),
    "the value of --issuer (argument 4) is not valid UTF-8 (not shown)"
)]
#[case::audience_value(
    Some(5),
    "the value of --audience (argument 6) is not valid UTF-8 (not shown)"
)]
#[case::now_value(
    Some(7),
    "the value of --now (argument 8) is not valid UTF-8 (not shown)"
)]
fn non_utf8_argument_exits_2_without_echo(#[case] replace: Option<usize>, #[case] needle: &str) {
    let jwks = TempFile::new(baseline_jwks().to_string());
    let mut args: Vec<OsString> = base_args(jwks.arg())
        .into_iter()
        .map(OsString::from)
        .collect();
    match replace {
        Some(index) => args[index] = non_utf8(),
        None => args.push(non_utf8()),
    }
    let out = jwt_verify(&args, baseline().as_bytes());
    assert_config_error(&out, needle);
    assert!(out.stderr.is_ascii(), "stderr: {:?}", out.stderr);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("secret"));
}

/// A file whose name is not UTF-8, removed on drop.
struct RawNamedFile(PathBuf);

impl Drop for RawNamedFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Paths are OS strings: a key set under a non-UTF-8 file name is read like any other.
#[test]
fn non_utf8_path_is_a_path() {
    let pid = std::process::id().to_string();
    let name = [b"verifier-cli-\xff-".as_slice(), pid.as_bytes()].concat();
    let file = RawNamedFile(std::env::temp_dir().join(OsStr::from_bytes(&name)));
    std::fs::write(&file.0, baseline_jwks().to_string()).expect("write the key set");
    let mut args: Vec<OsString> = base_args("").into_iter().map(OsString::from).collect();
    args[1] = file.0.clone().into_os_string();
    let (code, line) = verdict(&jwt_verify(&args, baseline().as_bytes()));
    assert_eq!((code, &line["verdict"]), (0, &json!("accept")));
}

/// Things a user may paste where a path or a value belongs.
#[derive(Debug, Clone, Copy)]
enum Secret {
    Jwt,
    PrivateJwk,
    PublicPem,
}

impl Secret {
    fn text(self) -> String {
        match self {
            Secret::Jwt => baseline(),
            Secret::PrivateJwk => {
                let key = forge::key(KID);
                let mut jwk = forge::public_jwk(key.verifying_key(), KID);
                jwk["d"] = json!(b64(key.to_bytes()));
                jwk.to_string()
            }
            Secret::PublicPem => forge::public_pem(forge::key(KID).verifying_key()),
        }
    }
}

/// Where the pasted secret lands.
#[derive(Debug, Clone, Copy)]
enum Place {
    TokenPath,
    JwksPath,
    ProfilePath,
    Positional,
    UnknownFlag,
    EqualsForm,
    RepeatedIssuer,
    Now,
}

impl Place {
    /// A full command line with `secret` in this place; every one of them is an error.
    fn argv(self, jwks: &str, secret: &str) -> Vec<String> {
        let jwks = if matches!(self, Place::JwksPath) {
            secret
        } else {
            jwks
        };
        let mut args = base_args(jwks);
        let tail = match self {
            Place::TokenPath => vec!["--token".to_owned(), secret.to_owned()],
            Place::JwksPath => vec![],
            Place::ProfilePath => vec!["--profile".to_owned(), secret.to_owned()],
            Place::Positional => vec![secret.to_owned()],
            Place::UnknownFlag => vec![format!("--{secret}")],
            Place::EqualsForm => vec![format!("--jwks={secret}")],
            Place::RepeatedIssuer => vec!["--issuer".to_owned(), secret.to_owned()],
            Place::Now => {
                args.truncate(6);
                vec!["--now".to_owned(), secret.to_owned()]
            }
        };
        args.extend(tail);
        args
    }
}

/// A token or key pasted anywhere on the command line is refused (exit 2) and never appears on
/// stdout or stderr: no 16-byte window of it is in either.
#[rstest]
fn pasted_secret_is_not_echoed(
    #[values(Secret::Jwt, Secret::PrivateJwk, Secret::PublicPem)] secret: Secret,
    #[values(
        Place::TokenPath,
        Place::JwksPath,
        Place::ProfilePath,
        Place::Positional,
        Place::UnknownFlag,
        Place::EqualsForm,
        Place::RepeatedIssuer,
        Place::Now
    )]
    place: Place,
) {
    let jwks = TempFile::new(baseline_jwks().to_string());
    let text = secret.text();
    let out = jwt_verify(&place.argv(jwks.arg(), &text), baseline().as_bytes());
    assert_eq!(out.status.code(), Some(2), "{secret:?} at {place:?}");
    assert!(out.stdout.is_empty(), "stdout: {:?}", out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("jwt-verify: "), "stderr: {stderr}");
    for window in text.as_bytes().windows(16) {
        let window = String::from_utf8_lossy(window);
        assert!(
            !stderr.contains(&*window),
            "stderr {stderr:?} echoes {window:?}"
        );
    }
}

#[rstest]
#[case::unknown_field(json!({"leeway": 5}).to_string(), "profile is not valid")]
#[case::loose_algorithms(json!({"algorithms": ["ES256", "HS256"]}).to_string(), "algorithms must be exactly")]
#[case::not_json("{".to_owned(), "profile is not valid")]
fn bad_profile_is_a_config_error(#[case] profile: String, #[case] needle: &str) {
    let file = TempFile::new(profile);
    let out = Setup::new().run(&["--profile", file.arg()], baseline().as_bytes());
    assert_config_error(&out, needle);
}

/// The README's `examples/` calls behave as the README says.
#[test]
fn readme_examples_behave_as_documented() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
    let jwks = format!("{dir}/jwks.json");
    let profile = format!("{dir}/profile.json");
    let token = format!("{dir}/token.jwt");
    let accepted = jwt_verify(
        &["--jwks", &jwks, "--profile", &profile, "--token", &token],
        b"",
    );
    let (code, out) = verdict(&accepted);
    assert_eq!((code, &out["verdict"]), (0, &json!("accept")));
    let alg_none = std::fs::read(format!("{dir}/alg-none.jwt")).expect("examples/alg-none.jwt");
    let rejected = jwt_verify(&["--jwks", &jwks, "--profile", &profile], &alg_none);
    assert_eq!(verdict(&rejected), (1, reject("alg_none", Some("M01"))));
}
