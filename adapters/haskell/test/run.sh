#!/usr/bin/env bash
# The Haskell helper's test: builds test/FixtureAdapter.hs with Debian's ghc (the flags
# scripts/setup/haskell.sh builds the adapters with) into a temporary directory and runs
# protocol_test.py on the shared fixture, adapters/fixtures/protocol.json.
# Run: adapters/haskell/test/run.sh (needs the debs of scripts/setup/haskell.debs and python3).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
ghc -v0 -Wall -Werror -O1 -i"$here/.." -outputdir "$out" -o "$out/fixture_adapter" "$here/FixtureAdapter.hs"
python3 "$here/protocol_test.py" "$out/fixture_adapter"
