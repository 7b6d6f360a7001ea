#!/usr/bin/env python3
"""jwt-conformance subprocess adapter for python-jose (protocol version 2, docs/adapters.md).

One process serves a whole run; the helper package jwt_conformance_adapter (adapters/python)
runs the protocol. python-jose runs on its cryptography backend (selected because cryptography
is installed; setup checks it) and is configured as strictly as its API allows; nothing is checked
here: every verdict is python-jose's.

Configuration: jwt.decode is given the key set's exact bytes (jwks_base64), which python-jose
parses itself as a JWK Set; it then tries every key of the set with the header's alg and does
not select by kid. Algorithms = the profile's (ES256), issuer, audience, options leeway (0),
every verify_* on and require_exp, require_iat, require_iss, require_aud, require_sub,
require_jti. python-jose has no clock injection (it reads the system clock), so clock vectors
are skipped; it never refuses a key set (a key it cannot load is skipped while verifying), so
jwks_parsing is not declared; it takes a single audience string, so a profile with several
audiences cannot be expressed (skipped); it cannot require client_id nor a typ header value.
The claims of an acceptance are jwt.decode's return value, as is. An exception that is not a
JOSEError is still a rejection, its text prefixed "unexpected ".
"""

import re

import jose
from jose import exceptions as e
from jose import jwt
from jwt_conformance_adapter import Skip, alg_reason, missing_claim_reason, serve

CLAIMS_REQUIRED_BY_API = ("exp", "iat", "iss", "aud", "sub", "jti")  # no require_client_id option
OPTIONS = {
    **{f"verify_{v}": True for v in ("signature", "aud", "iat", "exp", "nbf", "iss", "sub", "jti", "at_hash")},
    **{f"require_{c}": True for c in CLAIMS_REQUIRED_BY_API},
}
MESSAGES = {  # python-jose's exact error messages (JWS errors re-raised as JWTError) -> reason ID
    "Signature verification failed.": "signature_invalid",
    "Invalid audience": "aud_mismatch",
    "Invalid claim format in token": "aud_mismatch",  # aud not a string or an array of strings
    "Invalid issuer": "iss_mismatch",
    "Subject must be a string.": "sub_missing",
    "JWT ID must be a string.": "jti_missing",
    "The token is not yet valid (nbf)": "not_yet_valid",
    "Expiration Time claim (exp) must be an integer.": "invalid_numeric_type",
    "Issued At claim (iat) must be an integer.": "invalid_numeric_type",
    "Not Before claim (nbf) must be an integer.": "invalid_numeric_type",
}


def verify(req, _):
    p = req.profile
    if len(p.audiences) != 1:
        raise Skip(f"python-jose's decode takes one audience; the profile has {len(p.audiences)}")
    return jwt.decode(req.token, req.jwks_bytes, algorithms=p.algorithms, audience=p.audiences[0],
                      issuer=p.issuer, options={**OPTIONS, "leeway": p.leeway_secs})


def reason(error, req):  # an exception here (an unreadable header, say) counts as no reason
    if isinstance(error, e.ExpiredSignatureError):
        return "expired"
    text = str(error)
    if text in ("The specified alg value is not allowed", "No algorithm was specified in the JWS header."):
        return alg_reason(jwt.get_unverified_header(req.token).get("alg"))
    missing = re.fullmatch(r'missing required key "(.+)" among claims', text)
    if missing:
        return missing_claim_reason(missing.group(1))
    return MESSAGES.get(text)


serve(
    name="python-jose", library="python-jose (Python)", version=jose.__version__, features=[],
    claims=True, verify=verify, reason=reason, errors=(e.JOSEError,), notes=[
        "cryptography backend; jwt.decode with the key set's bytes (tries every key, no kid selection), "
        "profile algorithms, issuer, audience, leeway 0, all verify_* on, require exp/iat/iss/aud/sub/jti",
        "no clock injection (system clock): clock vectors skipped; never refuses a key set: key-set vectors skipped; "
        "one audience only: two-audience profiles skipped; cannot require client_id; no typ check",
    ],
)
