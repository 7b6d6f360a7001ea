#!/usr/bin/env bash
# The test command: installs what the adapter tests need (scripts/setup.sh: every adapter's
# library, pinned), runs the protocol helpers' own tests (Python, Node, Go, C, Ruby, Perl,
# Erlang, Haskell; no network; each reads the shared fixture adapters/fixtures/protocol.json), every test
# of the workspace, then the reference verifier and the whole corpus again with both fast
# signature backends compiled in (the differential test of the backends, Wycheproof on each,
# every vector on each) and the benches' fixtures with the fast lane's peers. Extra arguments go
# to the workspace's cargo test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
python3 -m unittest discover -q -s adapters/python/tests
node --test adapters/node/test/
# -count=1: the fixture is outside the package, so Go's test cache would not see it change.
(. scripts/setup/go-env.sh && go test -count=1 jwtconformance)
make -s -C adapters/c test
for test in adapters/ruby/test/test_*.rb; do ruby "$test"; done
prove -Q adapters/perl/t
escript adapters/erlang/test/protocol_test.escript
bash adapters/haskell/test/run.sh
cargo test --workspace "$@"
# `benches/fast` turns on both of the verifier's fast backends (and the benches' fast peers).
cargo test -q -p verifier -p corpus -p benches --features benches/fast
