#!/usr/bin/env bash
# Installs what the conformance adapters need, from the package registries, pinned exactly:
#   - OpenSSL headers and pkg-config (Debian packages) for the josekit adapter;
#   - the Python helper package (adapters/python) and PyJWT and cryptography (PyPI,
#     adapters/pyjwt/requirements.txt) into adapters/pyjwt/.venv, for the PyJWT adapter;
#   - jose (npm) and the Node helper package (adapters/node, a file: dependency), as pinned in
#     adapters/jose/package-lock.json, into adapters/jose/node_modules with `npm ci`.
# Idempotent: what is already there is kept. Run it before `cargo build -p conformance`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
dpkg -s libssl-dev >/dev/null 2>&1 || missing+=(libssl-dev)
command -v python3 >/dev/null 2>&1 || missing+=(python3 python3-venv)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "setup: apt-get install ${missing[*]}"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Python: PyJWT adapter.
py_dir="$root/adapters/pyjwt"
venv="$py_dir/.venv"
if [ ! -x "$venv/bin/python" ]; then
    echo "setup: creating $venv"
    if ! python3 -m venv "$venv"; then
        # Debian's python3 needs python3-venv for ensurepip.
        rm -rf "$venv"
        sudo=""
        if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
        $sudo apt-get update -q
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends python3-venv
        python3 -m venv "$venv"
    fi
fi
# The helper is reinstalled each time (pip would keep a stale copy of the same version).
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    --force-reinstall --no-deps "$root/adapters/python"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    -r "$py_dir/requirements.txt"
"$venv/bin/python" -c 'import jwt, cryptography, jwt_conformance_adapter as h; print("setup: PyJWT", jwt.__version__, "cryptography", cryptography.__version__, "helper", h.__version__)'

# Node: jose adapter (the helper is a file: dependency, linked into node_modules).
node_dir="$root/adapters/jose"
(cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
node -e 'console.log("setup: jose", require(process.argv[1]).version)' "$node_dir/node_modules/jose/package.json"
