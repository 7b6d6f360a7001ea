#!/usr/bin/env python3
"""jwcrypto accepts an ES512 token whose signature is 130 octets instead of 132: its ECDSA
verification splits the JWS signature in two halves of whatever length it has (r = first half,
s = second half) and never checks the length RFC 7518 fixes, so the genuine r and s written in
65 octets each (their leading zero octets dropped) verify. The token carries a signature no
conforming signer produces; the runner classes an accepted signature of the wrong size as a
forgery (the vector is flagged SignatureSize, not Malleability).

RFC 7518 §3.4: "The JWS Signature value MUST be a 64-octet sequence. If it is not a 64-octet
sequence, the validation has failed." (ES256), and for ES512 "R and S will be 521 bits each,
resulting in a 132-octet sequence" ("performed identically to the procedure for ECDSA P-256
SHA-256").

Reproduces: ecdsa/es512-sig-130-octets (forgery)

(The same root cause accepts ecdsa/es512-sig-131-octets-r-short. jwcrypto has no setting for the
signature length: jwcrypto.jwa._RawEC.verify takes signature[:len // 2] and signature[len // 2:].)

Run (after scripts/setup.sh): adapters/jwcrypto/.venv/bin/python adapters/jwcrypto/repro-es512-short-signature.py
Configured as adapters/jwcrypto/adapter.py configures it; needs only jwcrypto (with cryptography).
"""

import base64
import json
import sys

from jwcrypto import jwt
from jwcrypto.common import JWException, json_decode
from jwcrypto.jwk import JWKSet

VECTOR = "ecdsa/es512-sig-130-octets"
TOKEN = (
    "eyJhbGciOiJFUzUxMiIsImtpZCI6InA1MjEiLCJ0eXAiOiJhdCtqd3QifQ"
    ".eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6"
    "MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxLTIiLCJzdWIiOiIwMUhaWTJK"
    "M0s0TTVONlA3UThSOVMwVDFWMiJ9"
    ".9vA-zkz2FEhBr-DSPAv_jWsSr3UfMEHQ1cv5OIcuBCdml4xoL1QrX2FAHWX6EWjtiWqRvk-I3VzKwSE40lHtg67BoFHPD92vrOxw"
    "TD8r1_37ajQ4o0E9NR78p-iIa7ZvCIa0VgFGH9q-VPGWIbTY0FLE8pPRRWsNUC80CljMe0n7oQ"
)
JWKS = {"keys": [{"alg": "ES512", "crv": "P-521", "kid": "p521", "kty": "EC", "use": "sig",
                  "x": "AQBWDia6cnF2VfA3xO8kmEFSN8LysA0SPzi1S7U6eN9fiMJaCdGyXvw_kHcJ-cAIyuwVIBEB1UgoOzUkFjJ289o1",
                  "y": "AFcPFqZ56uio-PflDhAFXLWkaNCXs8emPSdxKQoB5Y0KptCFiZKbFt6GEc0gBlxHtuwr_1hJSsH-1B-fyFVEgBj2"}]}
ISSUER, AUDIENCES, ALGORITHMS, NOW, LEEWAY = "https://issuer.example", ["https://api.example"], ["ES512"], 1700000000, 0


def main():
    check = {"exp": NOW, "iat": None, "iss": ISSUER, "aud": AUDIENCES, "sub": None, "client_id": None, "jti": None}
    token = jwt.JWT(algs=ALGORITHMS, check_claims=check, expected_type="JWS", strict_serialization=True)
    token.leeway = LEEWAY
    try:
        token.deserialize(TOKEN, JWKSet.from_json(json.dumps(JWKS)))
        claims = json_decode(token.claims)
    except (JWException, ValueError, TypeError) as error:
        print(f"NOT REPRODUCED {VECTOR}: jwcrypto rejected the token: {type(error).__name__}: {error}")
        return 1
    signature = TOKEN.rsplit(".", 1)[1]
    length = len(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    if length == 132:
        print(f"NOT REPRODUCED {VECTOR}: the signature is 132 octets")
        return 1
    print(f"REPRODUCED {VECTOR}: jwcrypto accepted an ES512 signature of {length} octets (RFC 7518: 132): "
          f"sub = {claims.get('sub')!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
