#!/usr/bin/env bash
# Action step: the cache key of the installed runner, from everything it is built from (the
# lockfile, the crates' sources and the corpus), so a new corpus or runner is a cache miss.
set -euo pipefail
cd "$GITHUB_ACTION_PATH"
digest="$(find Cargo.lock Cargo.toml verifier corpus conformance vectors -type f \
    -not -path '*/target/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
echo "key=jwt-conformance-runner-$(uname -s)-$(uname -m)-$digest" >>"$GITHUB_OUTPUT"
