#!/usr/bin/env python3
"""jwt-conformance subprocess adapter for PyJWT (protocol version 2, docs/adapters.md).

One process serves a whole run; the helper package jwt_conformance_adapter (adapters/python)
runs the protocol: it prints a hello line, then answers one JSON line per request line on stdin
until stdin closes. PyJWT is configured as strictly as its API allows and nothing is checked
here: every verdict is PyJWT's.

Configuration: PyJWKSet.from_json parses the key set from its exact bytes (jwks_base64; its
refusal is a config error) and the token's key is looked up by kid in it (a kid it does not hold
is a kid_unknown rejection); jwt.decode with the profile's algorithms (ES256), issuer, audiences,
leeway (0), every verify_* option on, and require = exp, iat, iss, aud, sub, client_id, jti.
PyJWT has no clock injection (it reads the system clock), so clock vectors are skipped, and it
has no typ check. The claims of an acceptance are jwt.decode's return value, as is: the hello
says so ("claims": true) and the runner compares them. An exception that is not a PyJWTError is
still a rejection (PyJWT failed closed), its text prefixed "unexpected ".
"""

import jwt
from jwt import exceptions as e
from jwt_conformance_adapter import REQUIRED_CLAIMS, Reject, alg_reason, missing_claim_reason, serve

VERIFY_ALL = ("signature", "exp", "nbf", "iat", "aud", "iss", "sub", "jti")
OPTIONS = {"require": REQUIRED_CLAIMS, "strict_aud": False, **{f"verify_{v}": True for v in VERIFY_ALL}}
REASONS = {  # PyJWT error class -> catalog reason ID, when unambiguous
    e.ExpiredSignatureError: "expired", e.InvalidAudienceError: "aud_mismatch",
    e.InvalidIssuerError: "iss_mismatch", e.InvalidSignatureError: "signature_invalid",
    e.InvalidIssuedAtError: "invalid_numeric_type", e.InvalidSubjectError: "sub_missing",
    e.InvalidJTIError: "jti_missing",
}


def keys(req):
    return jwt.PyJWKSet.from_json(req.jwks_bytes)


def verify(req, key_set):
    try:
        key = key_set[jwt.get_unverified_header(req.token).get("kid")]
    except KeyError as error:
        raise Reject(error, "kid_unknown") from error
    p = req.profile
    return jwt.decode(req.token, key=key, algorithms=p.algorithms, audience=p.audiences,
                      issuer=p.issuer, leeway=p.leeway_secs, options=OPTIONS)


def reason(error, req):
    if isinstance(error, e.ImmatureSignatureError):
        return "iat_future" if "(iat)" in str(error) else "not_yet_valid"
    if isinstance(error, e.MissingRequiredClaimError):
        return missing_claim_reason(error.claim)
    if isinstance(error, e.InvalidAlgorithmError):  # a header PyJWT cannot read: None
        return alg_reason(jwt.get_unverified_header(req.token).get("alg"))
    for cls, reason_id in REASONS.items():  # InvalidSignatureError before DecodeError
        if isinstance(error, cls):
            return reason_id
    if isinstance(error, e.DecodeError) and "must be an integer" in str(error):
        return "invalid_numeric_type"
    return None


serve(
    name="pyjwt", library="PyJWT (Python)", version=jwt.__version__, features=["jwks_parsing"],
    claims=True, keys=keys, verify=verify, reason=reason, errors=(jwt.PyJWTError,), notes=[
        "PyJWKSet.from_json on the key set's bytes + key lookup by kid; jwt.decode with profile algorithms, issuer, "
        "audiences, leeway 0, all verify_* on, require exp/iat/iss/aud/sub/client_id/jti",
        "no clock injection (system clock): clock vectors skipped; no typ check",
    ],
)
