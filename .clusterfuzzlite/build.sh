#!/bin/bash -eu
# Builds every cargo-fuzz target with the sanitizer flags the base-builder image sets, and
# ships each with its seed corpus (from vectors/, via `tools fuzz-seeds`), the JOSE dictionary
# and libFuzzer options.
cd "$SRC/jwt-conformance"

# The seed tool is an ordinary host program: build it without the fuzzing flags.
env -u RUSTFLAGS -u CFLAGS -u CXXFLAGS -u LIB_FUZZING_ENGINE \
    CARGO_TARGET_DIR="$WORK/tools-target" \
    cargo run --release -q -p tools -- fuzz-seeds --vectors vectors --out fuzz/seeds

cd fuzz
cargo fuzz build -O
release="target/x86_64-unknown-linux-gnu/release"
for target in verify structured json base64url jwks differential; do
    cp "$release/$target" "$OUT/$target"
    if compgen -G "seeds/$target/*" >/dev/null; then
        zip -q -j "$OUT/${target}_seed_corpus.zip" seeds/"$target"/*
    fi
    cp dict/jose.dict "$OUT/$target.dict"
    printf '[libfuzzer]\nmax_len = 16384\ntimeout = 10\nrss_limit_mb = 4096\n' >"$OUT/$target.options"
done
