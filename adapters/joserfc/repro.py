#!/usr/bin/env python3
"""joserfc accepts a JWT whose claims set is not valid JSON: the payload holds the bare literal
NaN ({"…","x":NaN}), which RFC 8259 does not allow. joserfc decodes the payload with Python's
json.loads, which reads NaN as a float, and accepts the signed token.

RFC 7519 §7.2, step 10: "Verify that the resulting octet sequence is a UTF-8-encoded
representation of a completely valid JSON object conforming to RFC 7159 [RFC7159]; let the JWT
Claims Set be this JSON object."

Reproduces: json/payload-nan (parser-laxity)

Run (after scripts/setup.sh): adapters/joserfc/.venv/bin/python adapters/joserfc/repro.py
Configured as adapters/joserfc/adapter.py configures it; needs only joserfc.
"""

import math
import sys

from joserfc import errors, jwt
from joserfc.jwk import KeySet

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
ISSUER, AUDIENCES, ALGORITHMS, NOW, LEEWAY = "https://issuer.example", ["https://api.example"], ["ES256"], 1700000000, 0
REQUIRED = ("exp", "iat", "iss", "aud", "sub", "client_id", "jti")


def main():
    try:
        token = jwt.decode(TOKEN, KeySet.import_key_set(JWKS), algorithms=ALGORITHMS)
        rules = {claim: {"essential": True} for claim in REQUIRED}
        rules.update(iss={"essential": True, "value": ISSUER}, aud={"essential": True, "values": AUDIENCES})
        jwt.JWTClaimsRegistry(now=NOW, leeway=LEEWAY, **rules).validate(token.claims)
    except errors.JoseError as error:
        print(f"NOT REPRODUCED {VECTOR}: joserfc rejected the token: {type(error).__name__}: {error}")
        return 1
    x = token.claims.get("x")
    if isinstance(x, float) and math.isnan(x):
        print(f"REPRODUCED {VECTOR}: joserfc accepted a claims set holding the non-JSON literal NaN (claim x = {x!r})")
        return 0
    print(f"NOT REPRODUCED {VECTOR}: joserfc accepted, but claim x is {x!r}, not NaN")
    return 1


if __name__ == "__main__":
    sys.exit(main())
