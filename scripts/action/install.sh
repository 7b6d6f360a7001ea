#!/usr/bin/env bash
# Action step: installs the lean runner (the reference verifier, `exec:` adapters, the live
# key-set vectors and the corpus built in; no OpenSSL, no Rust JWT crates) into
# ~/.jwt-conformance/runner unless the cache restored it, puts it on PATH, and installs the
# protocol helpers the adapter needs (JWT_CONFORMANCE_HELPERS: python, node, both, or none).
set -euo pipefail
prefix="$HOME/.jwt-conformance/runner"
if [ ! -x "$prefix/bin/conformance" ]; then
    cargo install --locked --quiet --path "$GITHUB_ACTION_PATH/conformance" \
        --no-default-features --features live --root "$prefix"
fi
echo "$prefix/bin" >>"$GITHUB_PATH"
"$prefix/bin/conformance" --version

for helper in ${JWT_CONFORMANCE_HELPERS:-none}; do
    case "$helper" in
        python) python3 -m pip install --quiet --disable-pip-version-check "$GITHUB_ACTION_PATH/adapters/python" ;;
        node) npm install --no-save --no-audit --no-fund --loglevel=error "$GITHUB_ACTION_PATH/adapters/node" ;;
        none) ;;
        *) echo "jwt-conformance: unknown helper '$helper' (python, node or none)" >&2; exit 2 ;;
    esac
done
