#!/usr/bin/env python3
"""jwt-conformance subprocess adapter for Authlib's authlib.jose (protocol version 2, docs/adapters.md).

One process serves a whole run; the helper package jwt_conformance_adapter (adapters/python)
runs the protocol. authlib.jose is configured as strictly as its API allows and nothing is
checked here: every verdict is Authlib's.

Configuration: JsonWebKey.import_key_set parses the key set (its refusal is a config error) and
JsonWebToken.decode is given the KeySet, so Authlib picks the key by kid (KeySet.find_by_kid,
which uses the only key of a one-key set when the token has no kid); JsonWebToken restricted to
the profile's algorithms (ES256); JsonWebSignature.MAX_CONTENT_LENGTH (the longest serialization
Authlib reads) = the profile's max_token_bytes; claims_options with iss = the issuer, aud = one of
the audiences and exp, iat, iss, aud, sub, client_id, jti essential; JWTClaims.validate with
now = the vector's time (clock injection) and leeway (0). authlib.jose cannot require a typ
header value. The claims of an acceptance are the JWTClaims decode returned (a dict), as is.
An exception that is not a JoseError (Authlib raises ValueError for a kid not in the set and for
an oversized token) is still a rejection, its text prefixed "unexpected ".
"""

import re
import warnings

import authlib
from authlib.deprecate import AuthlibDeprecationWarning

warnings.simplefilter("ignore", AuthlibDeprecationWarning)  # authlib.jose is deprecated in favour of joserfc

from authlib.jose import JsonWebKey, JsonWebSignature, JsonWebToken  # noqa: E402
from authlib.jose import errors as e  # noqa: E402
from authlib.jose.util import extract_header  # noqa: E402
from jwt_conformance_adapter import REQUIRED_CLAIMS, alg_reason, missing_claim_reason, serve  # noqa: E402

# InvalidClaimError's claim -> reason, for the claims whose every failure has one reason (for
# the time claims it is either a non-number or a falsy essential value such as 0: no reason).
INVALID_CLAIM = {"iss": "iss_mismatch", "aud": "aud_mismatch", "sub": "sub_missing",
                 "client_id": "client_id_missing", "jti": "jti_missing"}
REASONS = {  # authlib.jose error class -> catalog reason ID, when unambiguous
    e.ExpiredTokenError: "expired", e.BadSignatureError: "signature_invalid",
    e.MissingAlgorithmError: "alg_none", e.InvalidCritHeaderParameterNameError: "header_crit",
}


def keys(req):
    return JsonWebKey.import_key_set(req.jwks_json())


def verify(req, key_set):
    p = req.profile
    JsonWebSignature.MAX_CONTENT_LENGTH = p.max_token_bytes
    options = {claim: {"essential": True} for claim in REQUIRED_CLAIMS}
    options.update(iss={"essential": True, "value": p.issuer}, aud={"essential": True, "values": p.audiences})
    claims = JsonWebToken(p.algorithms).decode(req.token, key_set, claims_options=options)
    claims.validate(now=req.now, leeway=p.leeway_secs)
    return dict(claims)


def reason(error, req):  # an exception here (an unreadable header, say) counts as no reason
    if isinstance(error, e.MissingClaimError):
        missing = re.fullmatch(r"Missing '(.+)' claim", error.description)
        return missing_claim_reason(missing.group(1)) if missing else None
    if isinstance(error, e.InvalidClaimError):
        return INVALID_CLAIM.get(error.claim_name)
    if isinstance(error, e.InvalidTokenError):  # nbf or iat after now
        return "iat_future" if "issued in the future" in error.description else "not_yet_valid"
    if isinstance(error, e.UnsupportedAlgorithmError):
        return alg_reason(extract_header(req.token.split(b".", 1)[0], e.DecodeError).get("alg"))
    if isinstance(error, e.InvalidHeaderParameterNameError) and error.description.endswith(": crit"):
        return "header_crit"
    return REASONS.get(type(error))


serve(
    name="authlib", library="Authlib (Python)", version=authlib.__version__,
    features=["clock", "jwks_parsing"], claims=True, keys=keys, verify=verify, reason=reason,
    errors=(e.JoseError,), notes=[
        "authlib.jose: JsonWebKey.import_key_set + key lookup by kid; JsonWebToken(profile algorithms).decode, "
        "MAX_CONTENT_LENGTH = max_token_bytes; JWTClaims.validate with injected now, leeway 0, iss value, aud values, "
        "exp/iat/iss/aud/sub/client_id/jti essential",
        "no typ check",
    ],
)
