#!/usr/bin/env python3
"""jwt-conformance subprocess adapter for jwcrypto (protocol version 2, docs/adapters.md).

One process serves a whole run; the helper package jwt_conformance_adapter (adapters/python)
runs the protocol. jwcrypto is configured as strictly as its API allows and nothing is checked
here: every verdict is jwcrypto's.

Configuration: JWKSet.from_json parses the key set from its exact bytes (jwks_base64; its
refusal is a config error) and the JWT is verified against the JWKSet, so jwcrypto picks the key
by kid (a token without kid is tried against every key); jwt.JWT with algs = the profile's
algorithms (ES256), expected_type "JWS", strict_serialization (compact only), leeway (0), and
check_claims iss = the issuer, aud = the audiences (any one), exp = the vector's time (jwcrypto
then checks exp against that time, with no leeway: its clock injection) and iat, sub, client_id,
jti required (None: presence only). jwcrypto checks nbf only when check_claims is absent or
requires nbf, so with required claims nbf is not checked; it checks no iat time and cannot require
a typ header value. jwcrypto takes the token as text: a token whose bytes are not UTF-8 is
skipped. The claims of an acceptance are the token's claims as jwcrypto decodes them
(jwcrypto.common.json_decode of JWT.claims). An exception that is not a JWException (jwcrypto
raises ValueError for a token that is not compact, TypeError for a JWE) is still a rejection, its
text prefixed "unexpected ".
"""

import re

import jwcrypto.version
from jwcrypto import jwt
from jwcrypto.common import JWException, json_decode
from jwcrypto.jwk import JWKSet
from jwt_conformance_adapter import Skip, missing_claim_reason, serve

INVALID = {  # the claim named in a JWTInvalidClaimFormat or JWTInvalidClaimValue -> reason ID
    "iss": "iss_mismatch", "aud": "aud_mismatch", "sub": "sub_missing", "jti": "jti_missing",
    "exp": "invalid_numeric_type", "iat": "invalid_numeric_type", "nbf": "invalid_numeric_type",
}


def keys(req):
    return JWKSet.from_json(req.jwks_bytes)


def verify(req, key_set):
    if req.token_text is None:
        raise Skip("jwcrypto takes the token as text; these bytes are not UTF-8")
    p = req.profile
    check = {"iss": p.issuer, "aud": p.audiences, "exp": req.now,
             "iat": None, "sub": None, "client_id": None, "jti": None}
    token = jwt.JWT(algs=p.algorithms, check_claims=check, expected_type="JWS", strict_serialization=True)
    token.leeway = p.leeway_secs
    token.deserialize(req.token_text, key_set)
    return json_decode(token.claims)


def reason(error, req):  # an exception here counts as no reason
    text = str(error)
    if isinstance(error, jwt.JWTExpired):
        return "expired"
    if isinstance(error, jwt.JWTMissingClaim):
        missing = re.fullmatch(r"Claim (.+) is missing", text)
        return missing_claim_reason(missing.group(1)) if missing else None
    if isinstance(error, jwt.JWTInvalidClaimFormat):  # "Claim NAME is not …" / "contains non …"
        named = re.match(r"Claim (\S+) (is not|contains non)", text)
        return INVALID.get(named.group(1)) if named else None
    if isinstance(error, jwt.JWTInvalidClaimValue):  # only iss and aud have values to match
        named = re.match(r"Invalid '(iss|aud)' value", text)
        return INVALID[named.group(1)] if named else None
    # JWTMissingKey covers an unknown kid, a disallowed alg and a bad signature alike: no reason.
    return None


serve(
    name="jwcrypto", library="jwcrypto (Python)", version=jwcrypto.version.__version__,
    features=["clock", "jwks_parsing"], claims=True, keys=keys, verify=verify, reason=reason,
    errors=(JWException,), notes=[
        "JWKSet.from_json + key lookup by kid; jwt.JWT with profile algs, expected_type JWS, strict_serialization, "
        "check_claims iss, aud, exp = injected now (no leeway), iat/sub/client_id/jti present",
        "nbf is not checked once check_claims is set (unless nbf is required); no iat time check; no typ check",
    ],
)
