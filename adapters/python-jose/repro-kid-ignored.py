#!/usr/bin/env python3
"""python-jose ignores the token's kid: the key set holds an RSA key ("rsa-2048") and an HMAC
secret ("hmac"), RS256 and HS256 are allowed, and the RS256 token names the HMAC secret as its
key (kid "hmac"). A verifier must verify with the key the kid names, and an oct secret cannot
verify RS256; python-jose instead tries every key of the set with the header's alg until one
verifies, so the RSA key verifies the token and it is accepted. The key a token names is not the
key that vouches for it (the kid-to-key binding an issuer relies on is lost).

RFC 7515 §4.1.4: "The "kid" (key ID) Header Parameter is a hint indicating which key was used to
secure the JWS."; RFC 8725 §3.1: "each key MUST be used with exactly one algorithm".

Reproduces: confusion/rsa-mixed-rs256-kid-of-oct (forgery)

(The same root cause accepts confusion/rsa-mixed-rs384-kid-of-oct, rsa-mixed-rs512-kid-of-oct,
rsa-mixed-alg-members-rs256-kid-of-oct, algorithms/rs256-kid-of-hmac-key and
algorithms/es512-kid-of-rsa-key. jose.jws._sig_matches_keys loops over every key; python-jose
has no kid selection.)

Run (after scripts/setup.sh): adapters/python-jose/.venv/bin/python adapters/python-jose/repro-kid-ignored.py
Configured as adapters/python-jose/adapter.py configures it (cryptography backend); needs only
python-jose.
"""

import json
import sys

from jose import jwt
from jose.exceptions import JOSEError

VECTOR = "confusion/rsa-mixed-rs256-kid-of-oct"
TOKEN = (
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImhtYWMiLCJ0eXAiOiJhdCtqd3QifQ"
    ".eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6"
    "MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNL"
    "NE01TjZQN1E4UjlTMFQxVjIifQ"
    ".l9O5QbraNAQXYs2gPq7AVDBm85e7C199Ne147JCy6durtbrH-iNJpQBb3JL05m-m_wFWsvZPMtDk9VYmTjA9i2_gD4v0A7rv2hgN"
    "IpYS68ISglyzSlkA7xX_lg2G-oXRgbek6aeqUjUvmQU1hmex7jC38bnE6pl01SuFpxTCwLipyl1A0VqDOvoKQtnVOg3IFaqIB3E6"
    "bTGW8-MurRqnTMmuZRmRIkXjoRf6EZ1pty-R8yIEW_T_GLqNCbgqaov61aeEfvo_Rmf-rdpMqMHIZhfVwkG32xcC9pRE9oHPsFeb"
    "_-pGTu4f3ayjWUgPdHtsX2CMvUgh2ejcJCmGdrfbsw"
)
RSA_N = (
                  "2ZMM5FrzlwilE7MG6ER-aGOY0l6HYNpwU0GVK7isUvPG2MCK5rhVWolMqhXYzcKKX69grtDzz-TjLgBUKPDow2tIa9plyLoO"
                  "wNy1UoPkhjpeHV0sPhYpQR2LlMDVcTbYX8tTOKjjwh0R44NlZlxO70MzX4SIKrJYX8EBacimn8W0xUe3TPtICKUVb435Q4da"
                  "E93psWzWmJPVwI2yY7mZUPmUvKQuFdtMFm2wutTb1_V7FefEZXyIReOYM9IPuUFv7qIF5k6OfGoIQI6a3aQaOyic6Ep7tDi9"
                  "einTeTNKFmmWhdnVn55EgP34cXQI56yUnlM8MB4VFERUGbZrSMaxyw"
)
JWKS = {"keys": [{"e": "AQAB", "kid": "rsa-2048", "kty": "RSA", "n": RSA_N, "use": "sig"},
                 {"k": "GxCYDDoq-QesDRPx2BsL6SKBMCu5Bal7BGhyR3h8z0CwGqsOLRRbrgsgQCv107xFDq_gXakkRBn5jxr691FcZA", "kid": "hmac", "kty": "oct", "use": "sig"}]}
ALGORITHMS = ["RS256", "HS256"]
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
    header = jwt.get_unverified_header(TOKEN)
    print(f"REPRODUCED {VECTOR}: python-jose accepted an {header.get('alg')} token whose kid names the oct key "
          f"{header.get('kid')!r} (another key of the set verified it): sub = {claims.get('sub')!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
