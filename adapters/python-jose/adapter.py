#!/usr/bin/env python3
"""jwt-conformance subprocess adapter for python-jose (protocol version 3, docs/adapters.md).

One process serves a whole run; the helper package jwt_conformance_adapter (adapters/python)
runs the protocol. python-jose runs on its cryptography backend (selected because cryptography
is installed; setup checks it) and is configured as strictly as its API allows; nothing is checked
here: every verdict is python-jose's.

Algorithms: the 9 python-jose implements, HS256/384/512, RS256/384/512 and ES256/384/512 (it has
no PS* and no EdDSA: profiles allowing them are skipped). Presets: rfc9068, jwt and
oidc-id-token, as configurations of the generic jwt.decode (python-jose has no ID-token or
access-token validator; its at_hash check needs the access token, which the vectors do not have).

Configuration: jwt.decode is given the key set's exact bytes (jwks_base64), which python-jose
parses itself as a JWK Set (EC, RSA and oct keys; an OKP key is never usable); it then tries
every key of the set with the header's alg and does not select by kid (so a kid-less token is
tried against every key too). Algorithms = exactly the profile's, issuer (None: no check),
audience (the profile's one audience; oidc-id-token: the client_id; none configured: None, and
python-jose then refuses a token that carries aud), options leeway, every verify_* on and
require_X for each of the profile's required claims python-jose can require (exp, iat, iss, aud,
sub, jti, nbf; required_claims(profile)). python-jose has no clock injection (it reads the system
clock), so clock vectors are skipped; it never refuses a key set (a key it cannot load is skipped
while verifying), so jwks_parsing is not declared; it takes a single audience string, so a
profile with several audiences cannot be expressed (skipped); it cannot require client_id or
another claim outside that list, check a nonce or azp, nor require a typ header value (a
profile typ, or null, is not configured).
The claims of an acceptance are jwt.decode's return value, as is. An exception that is not a
JOSEError is still a rejection, its text prefixed "unexpected ".
"""

import re

import jose
from jose import exceptions as e
from jose import jwt
from jwt_conformance_adapter import PRESETS, Skip, alg_reason, missing_claim_reason, preset, required_claims, serve

ALGORITHMS = ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "HS256", "HS384", "HS512"]
CLAIMS_REQUIRED_BY_API = ("exp", "iat", "iss", "aud", "sub", "jti", "nbf")  # no require_client_id option
OPTIONS = {f"verify_{v}": True for v in ("signature", "aud", "iat", "exp", "nbf", "iss", "sub", "jti", "at_hash")}
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
    if preset(p) == "oidc-id-token":
        audience = p.get("client_id")
    else:
        audiences = p.get("audiences") or []
        if len(audiences) > 1:
            raise Skip(f"python-jose's decode takes one audience; the profile has {len(audiences)}")
        audience = audiences[0] if audiences else None
    required = required_claims(p)
    options = {**OPTIONS, **{f"require_{c}": c in required for c in CLAIMS_REQUIRED_BY_API},
               "leeway": p.get("leeway_secs", 0)}
    return jwt.decode(req.token, req.jwks_bytes, algorithms=p.algorithms, audience=audience,
                      issuer=p.get("issuer"), options=options)


def reason(error, req):  # an exception here (an unreadable header, say) counts as no reason
    if isinstance(error, e.ExpiredSignatureError):
        return "expired"
    text = str(error)
    if text in ("The specified alg value is not allowed", "No algorithm was specified in the JWS header."):
        return alg_reason(jwt.get_unverified_header(req.token).get("alg"))
    missing = re.fullmatch(r'missing required key "(.+)" among claims', text)
    if missing:
        return missing_claim_reason(missing.group(1)) or "claim_missing"
    return MESSAGES.get(text)


serve(
    name="python-jose", library="python-jose (Python)", version=jose.__version__, features=[],
    claims=True, verify=verify, reason=reason, errors=(e.JOSEError,), algorithms=ALGORITHMS, presets=PRESETS, notes=[
        "cryptography backend; jwt.decode with the key set's bytes (tries every key, no kid selection), "
        "exactly the profile's algorithms, issuer, audience (oidc-id-token: client_id; none: None), leeway, "
        "all verify_* on, require_X for the profile's required claims among exp/iat/iss/aud/sub/jti/nbf",
        "algorithms HS*, RS*, ES* (no PS*, no EdDSA in python-jose); presets rfc9068, jwt, oidc-id-token "
        "(generic decode)",
        "no clock injection (system clock): clock vectors skipped; never refuses a key set: key-set vectors skipped; "
        "one audience only: two-audience profiles skipped; cannot require client_id or other claims; no nonce or "
        "azp check; no typ check (typ not configured)",
    ],
)
