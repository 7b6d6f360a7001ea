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

/// The verdict on `token` of a run with `jwks` and `profile` in files, `--now NOW`, then
/// `flags`: no `--issuer` or `--audience` unless `flags` gives them.
fn verdict_under_profile(
    jwks: &Value,
    profile: &Value,
    flags: &[&str],
    token: &str,
) -> (i32, Value) {
    let jwks = TempFile::new(jwks.to_string());
    let profile = TempFile::new(profile.to_string());
    let now = NOW.to_string();
    let mut args = vec![
        "--jwks",
        jwks.arg(),
        "--profile",
        profile.arg(),
        "--now",
        &now,
    ];
    args.extend(flags);
    verdict(&jwt_verify(&args, token.as_bytes()))
}

#[test]
fn profile_file_can_carry_issuer_and_audience() {
    let (jwks, profile) = (baseline_jwks(), profile_json(&json!({})));
    let (code, line) = verdict_under_profile(&jwks, &profile, &[], &baseline());
    assert_eq!((code, &line["verdict"]), (0, &json!("accept")));

    // Flags override the profile's issuer.
    let other_issuer = ["--issuer", "https://other.example"];
    let (code, line) = verdict_under_profile(&jwks, &profile, &other_issuer, &baseline());
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
#[case::off_curve(json!({"keys": [{"kty": "EC", "crv": "P-256", "kid": "k", "x": b64([1u8; 32]), "y": b64([1u8; 32])}]}).to_string(), "not a valid point of the curve")]
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
#[case::unknown_algorithm(json!({"algorithms": ["ES256", "HS1024"]}).to_string(), "algorithms names an algorithm that is not implemented")]
#[case::no_algorithms(json!({"algorithms": []}).to_string(), "no algorithms configured")]
#[case::jwt_without_algorithms(json!({"preset": "jwt"}).to_string(), "no algorithms configured")]
#[case::oidc_without_client(json!({"preset": "oidc-id-token"}).to_string(), "no client_id configured")]
#[case::oidc_other_audience(json!({"preset": "oidc-id-token", "client_id": "app-1"}).to_string(), "audiences must be empty or exactly [client_id]")]
#[case::client_id_under_rfc9068(json!({"client_id": "app-1"}).to_string(), "client_id and nonce apply to the oidc-id-token preset only")]
#[case::not_json("{".to_owned(), "profile is not valid")]
fn bad_profile_is_a_config_error(#[case] profile: String, #[case] needle: &str) {
    let file = TempFile::new(profile);
    let out = Setup::new().run(&["--profile", file.arg()], baseline().as_bytes());
    assert_config_error(&out, needle);
}

// ---------------------------------------------------------------------------------------------
// Presets: what the flags may leave out, and which wins

/// `--issuer` and `--audience` may be left out when the profile names them or its preset does
/// not need them; when given they override the profile. The baseline token (ES256, `typ`
/// `at+jwt`, `aud` the baseline audience) is verified under each profile, with no flag but
/// `--jwks` and `--now` unless the case adds some.
#[rstest]
#[case::jwt_needs_neither(json!({"preset": "jwt", "algorithms": ["ES256"]}), &[], Ok(()))]
#[case::jwt_issuer_flag_is_checked(json!({"preset": "jwt", "algorithms": ["ES256"]}), &["--issuer", "https://other.example"], Err("iss_mismatch"))]
#[case::jwt_audience_flag_is_checked(json!({"preset": "jwt", "algorithms": ["ES256"]}), &["--audience", "https://other.example"], Err("aud_mismatch"))]
#[case::jwt_typ_stated(json!({"preset": "jwt", "algorithms": ["ES256"], "typ": "JWT"}), &[], Err("typ_mismatch"))]
#[case::oidc_from_the_profile(json!({"preset": "oidc-id-token", "algorithms": ["ES256"], "issuer": ISSUER, "client_id": AUDIENCE}), &[], Ok(()))]
#[case::oidc_issuer_flag_overrides(json!({"preset": "oidc-id-token", "algorithms": ["ES256"], "issuer": ISSUER, "client_id": AUDIENCE}), &["--issuer", "https://other.example"], Err("iss_mismatch"))]
#[case::oidc_issuer_from_the_flag(json!({"preset": "oidc-id-token", "algorithms": ["ES256"], "client_id": AUDIENCE}), &["--issuer", ISSUER], Ok(()))]
#[case::oidc_audience_flag_of_the_client(json!({"preset": "oidc-id-token", "algorithms": ["ES256"], "issuer": ISSUER, "client_id": AUDIENCE}), &["--audience", AUDIENCE], Ok(()))]
#[case::oidc_other_client(json!({"preset": "oidc-id-token", "algorithms": ["ES256"], "issuer": ISSUER, "client_id": "app-1"}), &[], Err("aud_mismatch"))]
#[case::oidc_nonce(json!({"preset": "oidc-id-token", "algorithms": ["ES256"], "issuer": ISSUER, "client_id": AUDIENCE, "nonce": "n-1"}), &[], Err("nonce_mismatch"))]
#[case::oidc_required_claims(json!({"preset": "oidc-id-token", "algorithms": ["ES256"], "issuer": ISSUER, "client_id": AUDIENCE, "required_claims": ["auth_time"]}), &[], Err("claim_missing"))]
#[case::rfc9068_audience_flag_overrides(profile_json(&json!({})), &["--audience", "https://other.example"], Err("aud_mismatch"))]
fn profile_and_flags(
    #[case] profile: Value,
    #[case] flags: &[&str],
    #[case] expected: Result<(), &str>,
) {
    let (code, line) = verdict_under_profile(&baseline_jwks(), &profile, flags, &baseline());
    match expected {
        Ok(()) => assert_eq!((code, &line["verdict"]), (0, &json!("accept")), "{line}"),
        Err(reason) => assert_eq!((code, &line["reason"]), (1, &json!(reason)), "{line}"),
    }
}

/// An issuer or audience the preset needs and neither the profile nor a flag gives is exit 2,
/// with the flag named.
#[rstest]
#[case::rfc9068_issuer(json!({"audiences": [AUDIENCE]}), "--issuer is required")]
#[case::rfc9068_audience(json!({"issuer": ISSUER}), "--audience is required")]
#[case::oidc_issuer(json!({"preset": "oidc-id-token", "client_id": "app-1"}), "--issuer is required")]
#[case::oidc_audience_not_the_client(json!({"preset": "oidc-id-token", "issuer": ISSUER, "client_id": "app-1", "audiences": [AUDIENCE]}), "audiences must be empty or exactly [client_id]")]
fn preset_requirements_are_config_errors(#[case] profile: Value, #[case] needle: &str) {
    let jwks = TempFile::new(baseline_jwks().to_string());
    let file = TempFile::new(profile.to_string());
    let out = jwt_verify(
        &["--jwks", jwks.arg(), "--profile", file.arg()],
        baseline().as_bytes(),
    );
    assert_config_error(&out, needle);
}

/// The client of the ID-token cases below.
const CLIENT_ID: &str = "app-1";

/// The RSA key's `kid` in the mixed key set.
const RSA_KID: &str = "rsa-2048";

/// A key set holding one key of each type: RSA (RS256), EC P-256 (ES256), OKP Ed25519 (EdDSA)
/// and an `oct` secret (HS256).
fn mixed_jwks() -> Value {
    use forge::{Alg, AnyKey, RsaId};
    forge::jwks_of(&[
        (RSA_KID, &AnyKey::Rsa(RsaId::Rsa2048.key()), Alg::RS256),
        ("ec", &AnyKey::for_alg(Alg::ES256, "ec"), Alg::ES256),
        ("okp", &AnyKey::for_alg(Alg::EdDSA, "okp"), Alg::EdDSA),
        ("oct", &AnyKey::for_alg(Alg::HS256, "oct"), Alg::HS256),
    ])
}

/// The RSA key alone.
fn rsa_jwks() -> Value {
    use forge::{Alg, AnyKey, RsaId};
    forge::jwks_of(&[(RSA_KID, &AnyKey::Rsa(RsaId::Rsa2048.key()), Alg::RS256)])
}

/// An ID token as an OpenID provider issues it (OIDC Core §2: `typ` `JWT`, `azp` the client,
/// `nonce`), signed RS256 with the stored 2048-bit key; or, `forged`, the same header and
/// claims with `alg` HS256, MACed with the RSA key's SPKI PEM as the secret (CVE-2016-10555).
fn id_token(forged: bool) -> String {
    use forge::{Alg, AnyKey, RsaId};
    let rsa = AnyKey::Rsa(RsaId::Rsa2048.key());
    let alg = if forged { Alg::HS256 } else { Alg::RS256 };
    let header = json!({"alg": alg.name(), "typ": "JWT", "kid": RSA_KID});
    let claims = json!({
        "iss": ISSUER, "sub": "248289761001", "aud": CLIENT_ID, "azp": CLIENT_ID,
        "nonce": "n-0S6_WzA2Mj", "iat": NOW, "exp": NOW + 600, "auth_time": NOW - 5,
    });
    let token = forge::Token::new(&header, &claims);
    if forged {
        let pem = rsa.public_pem().expect("an RSA key has a PEM");
        token.sign_with(Alg::HS256, &AnyKey::Oct(pem.into_bytes()))
    } else {
        token.sign_with(Alg::RS256, &rsa)
    }
}

/// The issue's done-when: `jwt-verify` accepts a genuine RS256 ID token under `oidc-id-token`
/// from a key set holding RSA, EC, OKP and `oct` keys, and refuses the HS256 re-signing with the
/// RSA key's PEM: by the key binding (`key_alg_mismatch`) when HS256 is allowed, by the
/// allowlist (`alg_hmac_rejected`) under the preset's default `["RS256"]`.
#[rstest]
#[case::genuine_every_key_type(false, Some(json!(["RS256", "ES256", "EdDSA", "HS256"])), mixed_jwks(), Ok(()))]
#[case::forged_every_key_type(true, Some(json!(["RS256", "ES256", "EdDSA", "HS256"])), mixed_jwks(), Err("key_alg_mismatch"))]
#[case::genuine_default_algorithms(false, None, rsa_jwks(), Ok(()))]
#[case::forged_default_algorithms(true, None, rsa_jwks(), Err("alg_hmac_rejected"))]
fn oidc_id_token_rs256_and_its_hs256_confusion(
    #[case] forged: bool,
    #[case] algorithms: Option<Value>,
    #[case] jwks: Value,
    #[case] expected: Result<(), &str>,
) {
    let mut profile = json!({"preset": "oidc-id-token", "issuer": ISSUER, "client_id": CLIENT_ID});
    if let Some(algorithms) = algorithms {
        profile["algorithms"] = algorithms;
    }
    let (code, line) = verdict_under_profile(&jwks, &profile, &[], &id_token(forged));
    match expected {
        Ok(()) => {
            assert_eq!((code, &line["verdict"]), (0, &json!("accept")), "{line}");
            assert_eq!(line["claims"]["azp"], json!(CLIENT_ID));
        }
        Err(reason) => assert_eq!((code, &line["reason"]), (1, &json!(reason)), "{line}"),
    }
}

/// A key set holding a key none of the profile's algorithms can use is refused whole (exit 2):
/// the mixed set under the default `rfc9068` profile (ES256 only).
#[test]
fn key_set_is_loaded_for_the_profile_algorithms() {
    let jwks = TempFile::new(mixed_jwks().to_string());
    let out = jwt_verify(
        &[
            "--jwks",
            jwks.arg(),
            "--issuer",
            ISSUER,
            "--audience",
            AUDIENCE,
        ],
        baseline().as_bytes(),
    );
    assert_config_error(&out, "--jwks: key #0");
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
