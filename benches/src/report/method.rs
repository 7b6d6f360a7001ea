//! How the figures are made, regenerated with the tables so that it never drifts from them.

pub(crate) const METHOD: &str = r#"## How to reproduce

```sh
# 1. Measure (about 45 minutes on 2 cores; criterion writes target/criterion/, or
#    $CARGO_TARGET_DIR/criterion when that is set). RUST_LIB_BACKTRACE=0 keeps a
#    RUST_BACKTRACE=1 shell from making every jwt-simple error capture a backtrace. The `fast`
#    feature adds the fast lane (without it: p256, jsonwebtoken on rust_crypto, jwt-simple).
RUST_LIB_BACKTRACE=0 cargo bench -p benches --features fast -- --warm-up-time 1 --measurement-time 3
# 2. Regenerate this file from criterion's output (the one command):
cargo run -p benches --bin perf-report
```

`perf-report` reads every `new/estimates.json` under criterion's directory (`$CRITERION_HOME`,
else `$CARGO_TARGET_DIR/criterion`, else `target/criterion`; `--criterion DIR` overrides) and
writes `docs/performance.md` (`--out FILE`, or `--out -` for standard output). Run all six
benches in one `cargo bench` so that every ratio compares figures of the same run; the
"measured" line above spans the first to the last estimate used. The benches record their
clock, backtrace setting and nice value in `benches-run.json` beside criterion's output, and
the machine table shows them, with the commit checked out (and whether tracked files had
uncommitted changes) and the corpus under `vectors/` (its vector count and version) at the time
of the run. On a shared machine, building first (`cargo bench -p benches
--features fast --no-run`) and then running the same command under `nice -n -20` (root only)
keeps other jobs from taking the benchmark thread's core.

## What is measured

The benches live in `benches/benches/`; their fixtures (tokens, malformed inputs, contender
setup) are written once, in `benches/src/` (`fixtures.rs`, `contenders.rs`, `peers.rs`,
`algs.rs`), and unit tests there check that every contender accepts every accept-path token
and rejects every malformed input.

- **Floors.** `p256`'s `VerifyingKey::verify` over the token's signing input with the signature
  already parsed: the least any ES256 verifier on `p256` must do. With `--features fast`, also
  `aws-lc-rs`'s `ParsedPublicKey::verify_sig` (the key parsed once, the 64-byte r || s) and
  `ring`'s `UnparsedPublicKey::verify` (`ring` has no parsed-key type).
- **Contenders.** The reference verifier is `verifier::Verifier::verify` with the default
  profile (issuer, audience, `typ` `at+jwt`, ES256 only, zero leeway, 8192-byte cap), on
  `p256` and, with `--features fast`, on its `aws-lc-rs` and `ring` backends
  (`VerifierBuilder::signature_backend`; the `aws-lc-rs` one verifies with a key parsed once,
  when the key set loads). `jsonwebtoken` (feature `rust_crypto`)
  runs `decode_header` for the `kid`, takes that key from a map built once from the JWK Set,
  then `decode` into a typed claims struct with a `Validation` for ES256 only, the issuer and
  audience, zero leeway and `exp`, `iss`, `aud`, `sub` required; it has no length cap.
  `jwt-simple` (feature `pure-rust`) verifies into its claims plus a typed `client_id`, with
  `VerificationOptions` requiring the issuer, audience, `typ` `at+jwt` and the `kid`, zero clock
  tolerance and `max_token_length` 8192 (its API takes the options by value, so each call
  clones them); with a multi-key set it first reads the `kid` with `Token::decode_metadata`.
  With `--features fast`: `jsonwebtoken` again on its `aws_lc_rs` provider (the same code and
  `Validation`; the crate takes one provider per process, so the bench installs one that
  forwards each call to the provider the calling contender chose: one thread-local read per
  token), and `josekit` 0.10 on OpenSSL (an ES256 verifier per key built once and picked by
  `kid` in `decode_with_verifier_selector`, then a `JwtPayloadValidator` built once for the
  issuer and audience; it has no `typ` check, no length cap and cannot require `exp`, `sub`,
  `client_id` or `jti`). `josekit` turns on `serde_json`'s `preserve_order` for the whole
  build, so in the fast lane's run every contender's JSON objects are insertion-ordered maps.
- **Time.** The peers read the system clock, so every token is clock-independent (`iat` in
  2001, `exp` in 2100) and the reference verifier's profile lifts the lifetime bound
  (`max_lifetime_secs: null`, `forge::timeless_profile_json`).
- **Accept path.** The typical token carries RFC 9068's claims and the usual optional ones
  (`scope`, `auth_time`, `acr`, `amr`) under `forge`'s primary key. All contenders run in
  turn, three rounds over, and each ratio is the median of the ratios within a round, so that
  load drifting over the minutes of a run does not land on one contender only.
- **Accept path by algorithm.** Every JWS algorithm: ES256, ES384 and ES512 under `forge`'s
  P-256, P-384 and P-521 keys of the `kid`; RS* and PS* under its stored 2048-bit RSA key
  (`e` = 65537; the PSS salt as long as the hash); EdDSA (Ed25519); HS* under a secret as long
  as the hash. Each signs two tokens: the typical access token (header `typ` `at+jwt`) and a
  typical OpenID Connect ID token (no `typ`; `iss`, `sub`, `aud` = the client, `exp`, `iat`,
  `auth_time`, `nonce`, `azp` and name, email and picture claims), with a set of that one key
  (its JWK `alg` set). The reference's profile allows that algorithm only
  (`KeySet::for_algorithms`); for the ID token it is `Preset::OidcIdToken` with `client_id`
  and `nonce` (`typ` null, the preset's). `jsonwebtoken` gets a `Validation` for the algorithm
  (for the ID token: the client as audience, `exp`, `iat`, `iss`, `aud`, `sub` required, and
  `nonce` and `azp` compared on the decoded claims, which its `Validation` cannot do);
  `jwt-simple` the key type of the algorithm (on its `pure-rust` feature, `superboring` for RSA
  and `ed25519-compact` for EdDSA) with the same options as for ES256 (for the ID token: no
  `typ`, the client as audience, `required_nonce`; it cannot check `azp`); `josekit` the
  algorithm's verifier from the JWK (for the ID token: the client as audience and the `nonce`
  claim; it cannot check `azp` or require claims). Neither `jsonwebtoken` nor `jwt-simple` has
  ES512; `ring` has no P-521, so the reference on `ring` runs ES512 on `p521` and is paired
  with the RustCrypto floor. The floors, each with the key parsed once: `p256`, `p384` and
  `p521`'s `verify`; `rsa`'s `PublicKey::verify` over the hash (PKCS#1 v1.5 or PSS);
  `ed25519-dalek`'s `verify` (not `verify_strict`: its extra checks are work a verifier
  chooses, and the reference's overhead includes them); `hmac`'s `verify_slice` on a keyed
  state cloned per call; with `--features fast`, `aws-lc-rs`'s `ParsedPublicKey::verify_sig`
  and `ring`'s `UnparsedPublicKey::verify` (`hmac::verify` for HS*). Each verifier's overhead
  over its floor is paired per iteration; the floors' own times are measured once (no rounds:
  a paired overhead does not drift).
- **Rejections.** `1MiB` and `8193B`: the typical header and signature around a payload of
  filler, exactly 1,048,576 and 8,193 bytes. `alg-none`: `alg: none` and an empty signature.
  `lax-base64`: the header in the standard alphabet with `=` padding, correctly signed.
  `jwe`: a five-segment compact JWE (`dir`, `A256GCM`). `duplicate-header-keys`: `alg` twice,
  correctly signed. `unknown-kid`: a `kid` outside the set, signed by its own key. Every peer
  rejects each of them but `josekit`, which reads the duplicate `alg` (taking the last, as
  RFC 7515 §4 allows a parser to), though not always before the signature: `jsonwebtoken`,
  having no length cap, hashes and verifies the whole 1 MiB and 8193-byte inputs.
- **Scaling.** Token sizes use one-letter issuer, audience and `kid` (so that a complete token
  fits in 256 bytes) with a `scope` and `jti` padded to the exact size; each size has its own
  floor. Key sets of 1, 10 and 100 keys verify the typical token with the signing key last
  (every contender looks the `kid` up in an index built once: the reference's own ordered
  map, the peers' hash maps built by the bench). The scaling series run the `p256` lane only:
  what grows with the token or the set is the work around the signature, the same code on
  every backend.
- **Overhead over the floor.** For the accept path and every scaling point, one bench per
  contender runs it and the floor back to back in each iteration, alternating which goes
  first, and counts only the difference (a sample that comes out negative is clamped to 1 ns,
  which biases against the smallest overhead). The peer verdicts of those cases compare these
  overheads, which is the same as comparing the contenders' times, measured without drift.
- **Throughput.** 1 and 2 threads share one `Verifier` (and so one key set) and verify the
  typical token over and over on each backend; the wall clock times each sample (the threads
  are started once per sample), and tokens per second are iterations over elapsed time. The
  machine has two cores, so two threads is all it can show.
- **Corpus.** On each backend, one pass verifies every single-step vector of `vectors/**/*.json` (top-level
  `token` string, `now` integer, `profile` and `jwks` objects, no `key_source`; sequences,
  non-UTF-8 or recipe tokens, fetched keys, stateful profiles and key sets that must not load
  are skipped), each with its own prebuilt verifier. When the workspace has no usable vector,
  it verifies a synthetic mix from `forge` instead (the tokens above plus bad-signature,
  expired, wrong-issuer and wrong-audience tokens), and the source column says `synthetic`.
"#;
