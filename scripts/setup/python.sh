#!/usr/bin/env bash
# Python adapters: one virtual environment per adapter (adapters/NAME/.venv), with the protocol
# helper (adapters/python) and the adapter's requirements.txt, pinned exactly.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# python_adapter NAME IMPORT-CHECK: creates adapters/NAME/.venv, installs the helper and
# adapters/NAME/requirements.txt, then runs IMPORT-CHECK (Python code printing the versions).
python_adapter() {
    local dir="$root/adapters/$1" venv="$root/adapters/$1/.venv"
    if [ ! -x "$venv/bin/python" ]; then
        echo "setup: creating $venv"
        if ! python3 -m venv "$venv"; then
            # Debian's python3 needs python3-venv for ensurepip.
            rm -rf "$venv"
            sudo=""
            if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
            $sudo apt-get update -q
            DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
                python3 python3-venv
            python3 -m venv "$venv"
        fi
    fi
    # Installed again only when requirements.txt or the helper's sources changed (the stamp keeps
    # their digest). The helper is force-reinstalled: pip would keep a stale copy of one version.
    # No pip cache: every wheel would be stored twice on a CI disk that has run out once.
    local digest stamp="$venv/.setup-digest"
    digest="$(helper_digest; sha256sum <"$dir/requirements.txt")"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
        rm -f "$stamp"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input --no-cache-dir \
            --force-reinstall --no-deps "$root/adapters/python"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input --no-cache-dir \
            -r "$dir/requirements.txt"
        printf '%s' "$digest" >"$stamp"
    fi
    "$venv/bin/python" -c "$2"
}

helper_digest() {
    (cd "$root/adapters/python" && find . -type f -not -path '*/__pycache__/*' -not -path './build/*' \
        -not -path '*.egg-info/*' -not -path './dist/*' | LC_ALL=C sort | xargs sha256sum | sha256sum)
}

python_adapter pyjwt 'import jwt, cryptography, jwt_conformance_adapter as h; print("setup: PyJWT", jwt.__version__, "cryptography", cryptography.__version__, "helper", h.__version__)'
python_adapter joserfc 'import joserfc, cryptography, jwt_conformance_adapter as h; print("setup: joserfc", joserfc.__version__, "cryptography", cryptography.__version__, "helper", h.__version__)'
python_adapter authlib 'import warnings, authlib.deprecate as d; warnings.simplefilter("ignore", d.AuthlibDeprecationWarning); import authlib, authlib.jose, cryptography, jwt_conformance_adapter as h; print("setup: Authlib", authlib.__version__, "cryptography", cryptography.__version__, "helper", h.__version__)'
python_adapter python-jose 'import jose, cryptography, jwt_conformance_adapter as h; from jose.backends import ECKey; assert ECKey.__name__ == "CryptographyECKey", ECKey; print("setup: python-jose", jose.__version__, "(cryptography backend)", "cryptography", cryptography.__version__, "helper", h.__version__)'
python_adapter jwcrypto 'import jwcrypto.version, jwcrypto.jwt, cryptography, jwt_conformance_adapter as h; print("setup: jwcrypto", jwcrypto.version.__version__, "cryptography", cryptography.__version__, "helper", h.__version__)'
python_adapter python-jwt 'import warnings; warnings.simplefilter("ignore", DeprecationWarning); import python_jwt, jwcrypto.version, cryptography, jwt_conformance_adapter as h; from importlib.metadata import version; print("setup: python_jwt", version("python_jwt"), "jwcrypto", jwcrypto.version.__version__, "cryptography", cryptography.__version__, "helper", h.__version__)'
python_adapter authlib-rfc9068 'import authlib, joserfc, cryptography, jwt_conformance_adapter as h; from authlib.oauth2.rfc9068 import JWTBearerTokenValidator; print("setup: Authlib", authlib.__version__, "(oauth2.rfc9068) joserfc", joserfc.__version__, "cryptography", cryptography.__version__, "helper", h.__version__)'
python_adapter authlib-oidc 'import authlib, joserfc, cryptography, jwt_conformance_adapter as h; from authlib.oidc.core import CodeIDToken; from authlib.integrations.base_client.sync_openid import OpenIDMixin; print("setup: Authlib", authlib.__version__, "(oidc.core) joserfc", joserfc.__version__, "cryptography", cryptography.__version__, "helper", h.__version__)'
