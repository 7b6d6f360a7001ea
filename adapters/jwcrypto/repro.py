#!/usr/bin/env python3
"""jwcrypto accepts a JWT at the very second it expires: given the verification time as
check_claims["exp"] (its clock injection), it compares exp < now, so a token whose exp equals
the current time is still accepted (one second too long).

RFC 7519 §4.1.4: "The "exp" (expiration time) claim identifies the expiration time on or after
which the JWT MUST NOT be accepted for processing. The processing of the "exp" claim requires
that the current date/time MUST be before the expiration date/time listed in the "exp" claim."
(RFC 9068 §4: "The current time MUST be before the time represented by the "exp" claim.")

Reproduces: time/exp-equals-now (policy-bypass)

(jwcrypto also accepts time/nbf-now-plus-1 and the like: it does not check nbf once check_claims
is given without nbf. Those vectors are profile, since RFC 7519 §4.1 makes no claim mandatory to
implement; exp = now breaks a MUST under any reading.)

Run (after scripts/setup.sh): adapters/jwcrypto/.venv/bin/python adapters/jwcrypto/repro.py
Configured as adapters/jwcrypto/adapter.py configures it; needs only jwcrypto.
"""

import json
import sys

from jwcrypto import jwt
from jwcrypto.common import JWException, json_decode
from jwcrypto.jwk import JWKSet

VECTOR = "time/exp-equals-now"
TOKEN = (
    "eyJhbGciOiJFUzI1NiIsImtpZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ"
    ".eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjE3MDAwMDAwMDAsImlhdCI6MTY"
    "5OTk5OTk5MCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZ"
    "QN1E4UjlTMFQxVjIifQ"
    ".R3HfUjiP8kUeiAgIuZC9Zcs8EVNkQNTWcQ46TOeg1Kf4KF26AbrWVTAp4u9uTs5fpLYMEOcguAG9vhUDYcXVBA"
)
JWKS = {"keys": [{"alg": "ES256", "crv": "P-256", "kid": "primary", "kty": "EC", "use": "sig",
                  "x": "Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE",
                  "y": "opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI"}]}
ISSUER, AUDIENCES, ALGORITHMS, NOW, LEEWAY = "https://issuer.example", ["https://api.example"], ["ES256"], 1700000000, 0


def main():
    check = {"iss": ISSUER, "aud": AUDIENCES, "exp": NOW, "iat": None, "sub": None, "client_id": None, "jti": None}
    token = jwt.JWT(algs=ALGORITHMS, check_claims=check, expected_type="JWS", strict_serialization=True)
    token.leeway = LEEWAY
    try:
        token.deserialize(TOKEN, JWKSet.from_json(json.dumps(JWKS)))
    except (JWException, ValueError, TypeError) as error:
        print(f"NOT REPRODUCED {VECTOR}: jwcrypto rejected the token: {type(error).__name__}: {error}")
        return 1
    exp = json_decode(token.claims)["exp"]
    if exp == NOW:
        print(f"REPRODUCED {VECTOR}: jwcrypto accepted a token with exp = now = {NOW} (no leeway) instead of rejecting it as expired")
        return 0
    print(f"NOT REPRODUCED {VECTOR}: jwcrypto accepted, but exp is {exp!r}, not {NOW}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
