#!/usr/bin/env python3
"""Authlib (authlib.jose) accepts a JWT at the very second it expires: with now = exp, leeway 0,
JWTClaims.validate compares exp < now - leeway, so a token whose exp equals the current time is
still accepted (one second too long).

RFC 7519 §4.1.4: "The "exp" (expiration time) claim identifies the expiration time on or after
which the JWT MUST NOT be accepted for processing. The processing of the "exp" claim requires
that the current date/time MUST be before the expiration date/time listed in the "exp" claim."
(RFC 9068 §4: "The current time MUST be before the time represented by the "exp" claim.")

Reproduces: time/exp-equals-now (policy-bypass)

Run (after scripts/setup.sh): adapters/authlib/.venv/bin/python adapters/authlib/repro.py
Configured as adapters/authlib/adapter.py configures it; needs only Authlib.
"""

import sys
import warnings

from authlib.deprecate import AuthlibDeprecationWarning

warnings.simplefilter("ignore", AuthlibDeprecationWarning)  # authlib.jose is deprecated in favour of joserfc

from authlib.jose import JsonWebKey, JsonWebSignature, JsonWebToken, JoseError  # noqa: E402

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
ISSUER, AUDIENCES, ALGORITHMS = "https://issuer.example", ["https://api.example"], ["ES256"]
NOW, LEEWAY, MAX_TOKEN_BYTES = 1700000000, 0, 8192
REQUIRED = ("exp", "iat", "iss", "aud", "sub", "client_id", "jti")


def main():
    JsonWebSignature.MAX_CONTENT_LENGTH = MAX_TOKEN_BYTES
    options = {claim: {"essential": True} for claim in REQUIRED}
    options.update(iss={"essential": True, "value": ISSUER}, aud={"essential": True, "values": AUDIENCES})
    try:
        claims = JsonWebToken(ALGORITHMS).decode(TOKEN, JsonWebKey.import_key_set(JWKS), claims_options=options)
        claims.validate(now=NOW, leeway=LEEWAY)
    except (JoseError, ValueError) as error:
        print(f"NOT REPRODUCED {VECTOR}: Authlib rejected the token: {type(error).__name__}: {error}")
        return 1
    if claims["exp"] == NOW:
        print(f"REPRODUCED {VECTOR}: Authlib accepted a token with exp = now = {NOW} (leeway 0) instead of rejecting it as expired")
        return 0
    print(f"NOT REPRODUCED {VECTOR}: Authlib accepted, but exp is {claims['exp']!r}, not {NOW}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
