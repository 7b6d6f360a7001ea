#!/usr/bin/env python3
"""jwt-conformance subprocess adapter for joserfc (protocol version 2, docs/adapters.md).

One process serves a whole run; the helper package jwt_conformance_adapter (adapters/python)
runs the protocol. joserfc is configured as strictly as its API allows and nothing is checked
here: every verdict is joserfc's.

Configuration: KeySet.import_key_set parses the key set (its refusal is a config error) and
jwt.decode is given the KeySet, so joserfc picks the key by kid (and uses the only key of a
one-key set when the token has no kid); jwt.decode with the profile's algorithms (a JWSRegistry
that allows only ES256, with its default strict header check: only registered header parameters);
then JWTClaimsRegistry with now = the vector's time (clock injection), leeway (0), iss = the
issuer, aud = one of the audiences, and exp, iat, iss, aud, sub, client_id, jti essential.
joserfc cannot require a typ header value and has no whole-token size limit (its per-segment
limits stay at their defaults). The claims of an acceptance are the decoded Token's claims, as
is. An exception that is not a JoseError is still a rejection, its text prefixed "unexpected ".
"""

import joserfc
from joserfc import errors as e
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact
from joserfc.util import json_b64decode
from jwt_conformance_adapter import REQUIRED_CLAIMS, alg_reason, missing_claim_reason, serve

# InvalidClaimError's claim -> reason, for the claims whose every failure has one reason.
INVALID_CLAIM = {"iss": "iss_mismatch", "aud": "aud_mismatch", "sub": "sub_missing",
                 "client_id": "client_id_missing", "jti": "jti_missing"}
REASONS = {  # joserfc error class -> catalog reason ID, when unambiguous
    e.ExpiredTokenError: "expired", e.BadSignatureError: "signature_invalid",
    e.InvalidKeyIdError: "kid_unknown", e.InvalidPayloadError: "payload_unparseable",
}


def keys(req):
    return KeySet.import_key_set(req.jwks_json())


def verify(req, key_set):
    p = req.profile
    token = jwt.decode(req.token, key_set, algorithms=p.algorithms)
    rules = {claim: {"essential": True} for claim in REQUIRED_CLAIMS}
    rules.update(iss={"essential": True, "value": p.issuer}, aud={"essential": True, "values": p.audiences})
    jwt.JWTClaimsRegistry(now=req.now, leeway=p.leeway_secs, **rules).validate(token.claims)
    return token.claims


def reason(error, req):  # an exception here (an unreadable header, say) counts as no reason
    if isinstance(error, e.MissingClaimError):
        return missing_claim_reason(error.claim)  # None for "exp,iat" (several missing)
    if isinstance(error, e.UnsupportedAlgorithmError):
        return alg_reason(extract_compact(req.token).protected["alg"])
    if isinstance(error, e.MissingAlgorithmError):  # also raised for a header that is no object
        return "alg_none" if isinstance(json_b64decode(req.token.split(b".", 1)[0]), dict) else None
    if type(error) is e.InvalidClaimError:
        if error.claim in INVALID_CLAIM:
            return INVALID_CLAIM[error.claim]
        text = str(error)
        if "must be a NumericDate value" in text:
            return "invalid_numeric_type"
        if error.claim == "iat" and "issued in the future" in text:
            return "iat_future"
        if error.claim == "nbf" and "not yet valid" in text:
            return "not_yet_valid"
        return None
    return REASONS.get(type(error))


serve(
    name="joserfc", library="joserfc (Python)", version=joserfc.__version__,
    features=["clock", "jwks_parsing"], claims=True, keys=keys, verify=verify, reason=reason,
    errors=(e.JoseError,), notes=[
        "KeySet.import_key_set + key lookup by kid; jwt.decode with profile algorithms (strict header registry); "
        "JWTClaimsRegistry with injected now, leeway 0, iss value, aud values, exp/iat/iss/aud/sub/client_id/jti essential",
        "no typ check; no whole-token size limit (per-segment defaults)",
    ],
)
