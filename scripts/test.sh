#!/usr/bin/env bash
# The test command: installs what the adapter tests need (scripts/setup.sh: OpenSSL headers,
# PyJWT and jose, pinned), then runs every test of the workspace. Extra arguments go to cargo.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
cargo test --workspace "$@"
