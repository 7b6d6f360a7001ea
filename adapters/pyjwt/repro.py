#!/usr/bin/env python3
"""PyJWT accepts a JWT whose claims set is not valid JSON: the payload holds the bare literal NaN
({"…","x":NaN}), which RFC 8259 does not allow. PyJWT decodes the payload with Python's
json.loads, which reads NaN as a float, and accepts the signed token.

RFC 7519 §7.2, step 10: "Verify that the resulting octet sequence is a UTF-8-encoded
representation of a completely valid JSON object conforming to RFC 7159 [RFC7159]; let the JWT
Claims Set be this JSON object."

Reproduces: json/payload-nan (parser-laxity)

(PyJWT's policy-bypass vectors, json/header-dup-typ and header/extra-and-typ-jwt, need the typ
feature, which PyJWT lacks: they are skipped, so parser-laxity is its gravest must class.)

Run (after scripts/setup.sh): adapters/pyjwt/.venv/bin/python adapters/pyjwt/repro.py
Configured as adapters/pyjwt/adapter.py configures it; needs only PyJWT (with cryptography).
"""

import json
import math
import sys

import jwt

VECTOR = "json/payload-nan"
TOKEN = (
    "eyJhbGciOiJFUzI1NiIsImtpZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ"
    ".eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAw"
    "MDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4"
    "UjlTMFQxVjIiLCJ4IjpOYU59"
    ".B8ubNa_RGc12rAfghsT_BTQdpleZwDSE9pY8BmpChdZwNGfx1QF0xRGePeeXEDbPQ_I_I7RiKLPeAy3rHHjBLw"
)
JWKS = {"keys": [{"alg": "ES256", "crv": "P-256", "kid": "primary", "kty": "EC", "use": "sig",
                  "x": "Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE",
                  "y": "opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI"}]}
ISSUER, AUDIENCES, ALGORITHMS, LEEWAY = "https://issuer.example", ["https://api.example"], ["ES256"], 0
VERIFY_ALL = ("signature", "exp", "nbf", "iat", "aud", "iss", "sub", "jti")
OPTIONS = {"require": ["exp", "iat", "iss", "aud", "sub", "client_id", "jti"], "strict_aud": False,
           **{f"verify_{v}": True for v in VERIFY_ALL}}


def main():
    try:
        key_set = jwt.PyJWKSet.from_json(json.dumps(JWKS))
        key = key_set[jwt.get_unverified_header(TOKEN).get("kid")]
        claims = jwt.decode(TOKEN, key=key, algorithms=ALGORITHMS, audience=AUDIENCES, issuer=ISSUER,
                            leeway=LEEWAY, options=OPTIONS)
    except (jwt.PyJWTError, KeyError) as error:
        print(f"NOT REPRODUCED {VECTOR}: PyJWT rejected the token: {type(error).__name__}: {error}")
        return 1
    x = claims.get("x")
    if isinstance(x, float) and math.isnan(x):
        print(f"REPRODUCED {VECTOR}: PyJWT accepted a claims set holding the non-JSON literal NaN (claim x = {x!r})")
        return 0
    print(f"NOT REPRODUCED {VECTOR}: PyJWT accepted, but claim x is {x!r}, not NaN")
    return 1


if __name__ == "__main__":
    sys.exit(main())
