#!/usr/bin/env bash
# The test command: installs what the adapter tests need (scripts/setup.sh: OpenSSL headers,
# PyJWT and jose, pinned), runs the protocol helpers' own tests (Python and Node, no network),
# then every test of the workspace. Extra arguments go to cargo.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
python3 -m unittest discover -q -s adapters/python/tests
node --test adapters/node/test/
cargo test --workspace "$@"
