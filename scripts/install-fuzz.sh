#!/usr/bin/env bash
# Installs what the fuzz targets need: cargo-fuzz (from the Rust package registry, `--locked`)
# when missing.
# The targets build on the nightly toolchain the machine image ships; where there is none,
# scripts/fuzz-smoke.sh falls back to stable with RUSTC_BOOTSTRAP=1 (toolchains cannot be
# downloaded here). Coverage reports (`cargo fuzz coverage`) also need the nightly
# `llvm-tools-preview` component: pass --coverage to try adding it (non-fatal when the
# component server is out of reach). Idempotent.
set -euo pipefail

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "install-fuzz: cargo install cargo-fuzz --locked"
    cargo install cargo-fuzz --locked
fi
cargo fuzz --version

if [ "${1:-}" = "--coverage" ]; then
    if ! rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^llvm-tools'; then
        echo "install-fuzz: rustup component add llvm-tools-preview --toolchain nightly"
        rustup component add llvm-tools-preview --toolchain nightly ||
            echo "install-fuzz: llvm-tools-preview unavailable; libFuzzer's cov/ft counters still work"
    fi
fi
