//! The `jwt-verify` binary: one JSON line on stdout and exit 0 (accept) or 1 (reject); usage
//! and configuration errors exit 2 with nothing on stdout and a message on stderr.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::*;
use rstest::rstest;
use serde_json::{Value, json};

/// Runs `jwt-verify` with `args`, feeding `stdin` (or nothing).
fn jwt_verify(args: &[&str], stdin: &[u8]) -> Output {
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

    /// `--jwks F --issuer ISS --audience AUD --now NOW`, then `extra`.
    fn run(&self, extra: &[&str], stdin: &[u8]) -> Output {
        let now = NOW.to_string();
        let mut args = vec![
            "--jwks",
            self.jwks.arg(),
            "--issuer",
            ISSUER,
            "--audience",
            AUDIENCE,
            "--now",
            &now,
        ];
        args.extend_from_slice(extra);
        jwt_verify(&args, stdin)
    }
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
    let setup = Setup::new();
    let later = (NOW + LIFETIME).to_string();
    let (code, line) = verdict(&setup.run(&["--now", &later], baseline().as_bytes()));
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
#[case::missing_profile(&["--profile", "/nonexistent/profile.json"], "cannot read /nonexistent/profile.json")]
#[case::missing_token_file(&["--token", "/nonexistent/token"], "cannot read /nonexistent/token")]
fn usage_errors_exit_2(#[case] extra: &[&str], #[case] needle: &str) {
    let out = Setup::new().run(extra, baseline().as_bytes());
    assert_config_error(&out, needle);
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
