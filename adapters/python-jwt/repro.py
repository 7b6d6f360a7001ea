#!/usr/bin/env python3
"""python_jwt accepts a JWT whose audience is not the one the verifier expects: verify_jwt has no
audience setting at all, so a token signed by the trusted key for another service
("aud": "https://other.example") is accepted by a verifier that serves https://api.example.

RFC 7519 §4.1.3: "If the principal processing the claim does not identify itself with a value in
the "aud" claim when this claim is present, then the JWT MUST be rejected."

Reproduces: presets/jwt-audience-configured-other (policy-bypass)

(python_jwt 4.1.0 also refuses every RFC 9068 access token, its false rejects: verify_jwt
requires typ "JWT" when typ is present. The CVE-2022-39227 polyglots, form/json-polyglot and
serialization/polyglot-*, are refused by its compact-form check, "invalid JWT format".)

Run (after scripts/setup.sh): adapters/python-jwt/.venv/bin/python adapters/python-jwt/repro.py
Configured as adapters/python-jwt/adapter.py configures it; needs only python_jwt (with jwcrypto).
"""

import json
import sys
import warnings
from datetime import timedelta

warnings.simplefilter("ignore", DeprecationWarning)  # python_jwt warns that it is deprecated on import

import python_jwt  # noqa: E402
from jwcrypto.common import JWException  # noqa: E402
from jwcrypto.jwk import JWKSet  # noqa: E402

VECTOR = "presets/jwt-audience-configured-other"
TOKEN = (
    "eyJhbGciOiJFUzI1NiIsImtpZCI6InByaW1hcnkifQ"
    ".eyJhdWQiOiJodHRwczovL290aGVyLmV4YW1wbGUiLCJzY29wZSI6InJlYWQifQ"
    ".-a_ei1ZT1vjJ3JM_AK_RdXq8LLLjXQBTmwDUKJpQlSvAq0fvnUxcBQY-5ze8DfxkwAVJfAOXU05gw3n91eI3aA"
)
JWKS = {"keys": [{"alg": "ES256", "crv": "P-256", "kid": "primary", "kty": "EC", "use": "sig",
                  "x": "Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE",
                  "y": "opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI"}]}
# The verifier serves https://api.example; python_jwt has no parameter to say so.
ALGORITHMS, IAT_SKEW = ["ES256"], 60


def main():
    key_set = JWKSet.from_json(json.dumps(JWKS))
    try:
        _, claims = python_jwt.verify_jwt(TOKEN, key_set, allowed_algs=ALGORITHMS, iat_skew=timedelta(seconds=IAT_SKEW),
                                          checks_optional=True, ignore_not_implemented=False)
    except (python_jwt._JWTError, JWException, ValueError, TypeError) as error:
        print(f"NOT REPRODUCED {VECTOR}: rejected: {type(error).__name__}: {error}")
        return 1
    print(f"REPRODUCED {VECTOR}: python_jwt accepted a token for another audience: aud = {claims.get('aud')!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
