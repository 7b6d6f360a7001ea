#!/usr/bin/env python3
"""python-jose verifies an ES256 token with a P-384 key: the key set's one EC key is on P-384 (no
alg member), the profile allows ES256 and ES384, and the token says ES256 but was signed with the
P-384 key over SHA-256. python-jose builds the key for the header's alg (CryptographyECKey takes
ES256's hash, SHA-256) and never checks that the key's curve is ES256's P-256, so the signature
verifies and the token is accepted. ES256 means ECDSA on P-256: a P-384 key must not verify it.

RFC 7518 §3.4: "The ECDSA P-256 SHA-256 digital signature for a JWS is validated as follows …
Submit the JWS Signing Input, R, S, and the public key (x, y) to the ECDSA P-256 SHA-256
validator."; RFC 8725 §3.1: "each key MUST be used with exactly one algorithm".

Reproduces: ecdsa/es256-signed-by-p384-key (forgery)

(The same root cause accepts algorithms/es256-kid-of-p384-key, ecdsa/es384-signed-by-p256-key,
es384-signed-by-p521-key, es512-signed-by-p256-key and es512-signed-by-p384-key. python-jose's
other forgery root cause, a kid that names another key ignored because every key of the set is
tried, is repro-kid-ignored.py. python-jose has no setting that binds a key to an algorithm or
selects it by kid. Before the adapter declared ES384/ES512, RS* and HS*, python-jose's gravest
finding was header/crit-unknown-extension, policy-bypass: crit is still ignored.)

Run (after scripts/setup.sh): adapters/python-jose/.venv/bin/python adapters/python-jose/repro.py
Configured as adapters/python-jose/adapter.py configures it (cryptography backend); needs only
python-jose.
"""

import json
import sys

from jose import jwt
from jose.exceptions import JOSEError

VECTOR = "ecdsa/es256-signed-by-p384-key"
TOKEN = (
    "eyJhbGciOiJFUzI1NiIsImtpZCI6InAzODQiLCJ0eXAiOiJhdCtqd3QifQ"
    ".eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6"
    "MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNL"
    "NE01TjZQN1E4UjlTMFQxVjIifQ"
    ".N30x3JTCnci3wqaq4oLiNFeCpUTyiKqd5Z-XiC50OdAppf5Tm56D0KcHd45470xYdPimEN-t-nlkRYVRJmhaP0IVHn25qq4hWYWa"
    "f9IZOkc_pw-KO3OktxWh8yTubw4u"
)
JWKS = {"keys": [{"crv": "P-384", "kid": "p384", "kty": "EC", "use": "sig",
                  "x": "L7sEUkkF-LfDYiaMeKV6kzFD7oBQ0ti2LVUPxjhIz_-4-bQHzRPIfnR2RA8o0x5k",
                  "y": "Mz9ugU5C1rbjCMja3boHI2sceo1S0gTT7GM0IJrxqMsC41GAv2t44bbOw4ocU9Al"}]}
ALGORITHMS = ["ES256", "ES384"]
ISSUER, AUDIENCE, LEEWAY = "https://issuer.example", "https://api.example", 0
OPTIONS = {
    **{f"verify_{v}": True for v in ("signature", "aud", "iat", "exp", "nbf", "iss", "sub", "jti", "at_hash")},
    **{f"require_{c}": True for c in ("exp", "iat", "iss", "aud", "sub", "jti")},
    "require_nbf": False,
    "leeway": LEEWAY,
}


def main():
    try:
        claims = jwt.decode(TOKEN, json.dumps(JWKS), algorithms=ALGORITHMS, audience=AUDIENCE, issuer=ISSUER,
                            options=OPTIONS)
    except JOSEError as error:
        print(f"NOT REPRODUCED {VECTOR}: python-jose rejected the token: {type(error).__name__}: {error}")
        return 1
    alg = jwt.get_unverified_header(TOKEN).get("alg")
    print(f"REPRODUCED {VECTOR}: python-jose accepted an {alg} token verified by the set's only key, a P-384 key: "
          f"sub = {claims.get('sub')!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
