#!/usr/bin/env bash
# Action step: the cache key of the installed runner, from everything it is built from (the
# lockfile, the crates' sources, the corpus, the documents the binary carries, and install.sh
# with its features), so a new corpus or runner is a cache miss. conformance/tests/packaging.rs
# checks that the list covers every input of the build.
# Linux and macOS runners (sha256sum, or shasum on macOS).
set -euo pipefail
cd "$GITHUB_ACTION_PATH"
sha256() { if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi; }
files="$(find Cargo.lock Cargo.toml verifier forge corpus conformance keyserver vectors docs/normative.md \
    docs/adapters.md docs/profile.md docs/reasons.md docs/rfc/README.md scripts/action/install.sh -type f \
    -not -path '*/target/*' | LC_ALL=C sort)"
# The names, then the contents: a rename changes the key too.
digest="$({ printf '%s\n' "$files"; printf '%s\n' "$files" | tr '\n' '\0' | xargs -0 cat; } | sha256 | cut -c1-16)"
echo "key=jwt-conformance-runner-$(uname -s)-$(uname -m)-$digest" >>"$GITHUB_OUTPUT"
